"""
Grid search and pipelines
=========================

Every estimator of the package is a scikit-learn regressor, so the model-selection tools take
it as they are: here :class:`~sklearn.model_selection.GridSearchCV` tunes
:class:`~impedance_sklearn.ImpedanceCNN`'s kernel size and learning rate with the paper's
per-trace PCC as the score (:data:`impedance_sklearn.metrics.SCORERS`), and a
:class:`~sklearn.pipeline.Pipeline` puts a scaler in front of the network.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.metrics import SCORERS, trace_pcc

QUICK = os.environ.get("IMPEDANCE_SKLEARN_GALLERY_QUICK") == "1"
N_TRAIN, EPOCHS = (120, 8) if QUICK else (520, 40)

X, y = make_impedance_dataset(N_TRAIN + 200, random_state=1)
X_train, y_train, X_test, y_test = X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]

# %%
# Kernel size x learning rate
# ---------------------------
# Three shuffled folds; ``scoring`` takes the package's scorers as objects or by name
# (``"trace_pcc"``, ``"neg_relative_l2"``, ...; errors negated, so that larger is better).
# ``refit`` names the one that picks the winner.

grid = {"kernel_size": [31, 101, 300], "lr": [3e-4, 1e-3, 3e-3]}
search = GridSearchCV(
    ImpedanceCNN(max_epochs=EPOCHS, random_state=0), grid,
    cv=KFold(3, shuffle=True, random_state=0),
    scoring={"pcc": SCORERS["trace_pcc"], "neg_rel_l2": SCORERS["neg_relative_l2"]}, refit="pcc")
search.fit(X_train, y_train)
print("best:", search.best_params_, f"mean PCC over the folds {search.best_score_:.3f}")
print(f"held-out PCC of the refitted best: {trace_pcc(y_test, search.predict(X_test)):.3f}")

# %%
# The mean PCC of each cell over the folds:

pcc = search.cv_results_["mean_test_pcc"].reshape(len(grid["kernel_size"]), len(grid["lr"]))
for k, row in zip(grid["kernel_size"], pcc):
    print(f"kernel_size {k:3d}: " + "  ".join(f"lr {lr:g}: {v:.3f}" for lr, v in zip(grid["lr"], row)))
fig, ax = plt.subplots(figsize=(5, 4))
im = ax.imshow(pcc, cmap="viridis")
ax.set_xticks(range(len(grid["lr"])), [f"{lr:g}" for lr in grid["lr"]])
ax.set_yticks(range(len(grid["kernel_size"])), grid["kernel_size"])
ax.set_xlabel("lr")
ax.set_ylabel("kernel_size")
for (i, j), v in np.ndenumerate(pcc):
    ax.text(j, i, f"{v:.3f}", ha="center", va="center", color="w")
fig.colorbar(im, label="mean PCC over 3 folds")
ax.set_title(f"GridSearchCV on {N_TRAIN} traces, {EPOCHS} epochs")
fig.tight_layout()
plt.show()

# %%
# A pipeline with a scaler
# ------------------------
# A :class:`~sklearn.preprocessing.StandardScaler` in front standardises every time sample
# over the training traces; the network still sees one trace per row. The pipeline is a
# regressor like any other: fit, predict, score, search its ``cnn__`` parameters.

pipe = make_pipeline(StandardScaler(), ImpedanceCNN(max_epochs=EPOCHS, random_state=0))
pipe.fit(X_train, y_train)
print(f"Pipeline(StandardScaler, ImpedanceCNN): held-out PCC "
      f"{trace_pcc(y_test, pipe.predict(X_test)):.3f}")
print("its parameters for a search:", [p for p in pipe.get_params() if p.startswith("impedancecnn__l")])
