"""
The paper's tutorial, with the package
======================================

The seed of this package is a tutorial that reimplements Das, Pollack, Wollner & Mukerji
(2019), "Convolutional neural network for seismic impedance inversion" (Geophysics 84(6),
R869-R880): generate layered earth models with the paper's rock physics, model their
seismograms with all internal multiples (Kennett), train the two-layer CNN on 520 traces and
predict impedance on traces it never saw.

Here the same steps are four calls: :func:`~impedance_sklearn.datasets.make_impedance_dataset`,
:class:`~impedance_sklearn.ImpedanceCNN` ``.fit`` and ``.predict``, and the paper's figures
from :mod:`impedance_sklearn.plotting`. The paper's published network sits beside the one
trained here when its weights file is at hand (*needs ../shared/data* for that part only).
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.metrics import r2, relative_l2, trace_pcc
from impedance_sklearn.plotting import plot_error_distributions, plot_traces

# small settings for the documentation build (IMPEDANCE_SKLEARN_GALLERY_QUICK=1)
QUICK = os.environ.get("IMPEDANCE_SKLEARN_GALLERY_QUICK") == "1"
N_TRAIN, N_TEST = (200, 200) if QUICK else (520, 1000)
MAX_EPOCHS = 20 if QUICK else 150  # 150 is ImpedanceCNN's default

# %%
# The paper's data
# ----------------
# 1 m layers, sand and shale facies, soft-sand rock physics, Kennett seismograms at
# dt = 4.3875e-4 s, 331 samples per trace. The impedance is divided by 1e6, as in the paper.

X, y = make_impedance_dataset(N_TRAIN + N_TEST, random_state=0)
X_train, y_train, X_test, y_test = X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]
print(f"seismic {X.shape}, impedance {y.shape}, impedance {y.min():.2f}-{y.max():.2f} (1e6 units)")

# %%
# Fit and predict
# ---------------
# ``ImpedanceCNN`` is the paper's network (``Conv1d(1 -> 60, 300)``, ReLU,
# ``Conv1d(60 -> 1, 300)``) as a scikit-learn regressor: one trace per row in, one per row out.

cnn = ImpedanceCNN(max_epochs=MAX_EPOCHS, random_state=0).fit(X_train, y_train)
predictions = {f"ImpedanceCNN ({MAX_EPOCHS} epochs)": cnn.predict(X_test)}

# %%
# The paper's published network
# -----------------------------
# ``ImpedanceCNN.from_state_dict`` loads the weights the paper's code saved with
# ``torch.save(cnn.state_dict(), f)``, ready to predict, computing the paper's function
# exactly. The file lives in ``../shared/data`` beside the repository (or set
# ``IMPEDANCE_SHARED_DATA``); without it this part is skipped.

here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
shared = Path(os.environ.get("IMPEDANCE_SHARED_DATA", here.parent.parent / "shared" / "data"))
weights = shared / "das2019_cnn_k300_f60_state_dict.pkl"
if weights.exists():
    paper = ImpedanceCNN.from_state_dict(str(weights))
    predictions["the paper's network"] = paper.predict(X_test)
else:
    print(f"{weights} not found: the paper's network is left out")

for name, pred in predictions.items():
    print(f"{name}: PCC {trace_pcc(y_test, pred):.3f}, relative L2 "
          f"{relative_l2(y_test, pred):.3f}, r2 {r2(y_test, pred):.3f} "
          f"on {len(y_test)} test traces")

# %%
# Traces
# ------
# Four test traces: the seismic on the left of each, the true impedance in black, the
# predictions in colour (their PCC in the titles).

fig = plot_traces(y_test, predictions, X=X_test, n_traces=4, dt=4.3875e-4, show_pcc=True)
fig.suptitle("Test traces: true impedance (black) and the predictions")
plt.show()

# %%
# Per-trace metrics
# -----------------
# The distributions of the per-trace PCC and relative L2 over the test set.

scores = {name: {"PCC": trace_pcc(y_test, p, per_trace=True),
                 "relative L2": relative_l2(y_test, p, per_trace=True)}
          for name, p in predictions.items()}
fig = plot_error_distributions(scores, bins=30, title="Per-trace metrics on the test traces")
plt.show()
