"""
The CNN against the classical inversions
========================================

:func:`~sklearn.model_selection.cross_validate` scores
:class:`~impedance_sklearn.ImpedanceCNN` and the three classical inversions it is compared
with, :class:`~impedance_sklearn.TraceIntegration`,
:class:`~impedance_sklearn.ColoredInversion` and
:class:`~impedance_sklearn.ModelBasedInversion` (PyLops least squares), on the same folds with
the paper's per-trace metrics (:data:`impedance_sklearn.metrics.SCORERS`).
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import KFold, cross_validate

from impedance_sklearn import ColoredInversion, ImpedanceCNN, ModelBasedInversion, TraceIntegration
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.metrics import SCORERS

QUICK = os.environ.get("IMPEDANCE_SKLEARN_GALLERY_QUICK") == "1"
N_TRACES, EPOCHS = (200, 15) if QUICK else (650, 150)

X, y = make_impedance_dataset(N_TRACES, random_state=2)

models = {
    "ImpedanceCNN": ImpedanceCNN(max_epochs=EPOCHS, random_state=0),
    "ModelBasedInversion": ModelBasedInversion(),
    "ColoredInversion": ColoredInversion(),
    "TraceIntegration": TraceIntegration(),
}
scoring = {name: SCORERS[name] for name in ("trace_pcc", "neg_relative_l2", "global_r2")}
cv = KFold(5, shuffle=True, random_state=0)
results = {name: cross_validate(est, X, y, cv=cv, scoring=scoring)
           for name, est in models.items()}

# %%
# The mean and standard deviation over the five folds (each fold trains on 4/5 of the
# traces and scores the rest):

print(f"{'model':20s} {'PCC':>13s} {'rel. L2':>13s} {'r2':>13s} {'fit (s)':>8s}")
for name, res in results.items():
    cells = [f"{s * res['test_' + k].mean():.3f} +- {res['test_' + k].std():.3f}"
             for k, s in (("trace_pcc", 1), ("neg_relative_l2", -1), ("global_r2", 1))]
    print(f"{name:20s} " + " ".join(f"{c:>13s}" for c in cells)
          + f" {res['fit_time'].mean():8.2f}")

# %%
# Per fold, PCC and relative L2:

fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
names = list(results)
for ax, (key, sign, label) in zip(axes, (("trace_pcc", 1, "PCC (higher is better)"),
                                         ("neg_relative_l2", -1, "relative L2 (lower is better)"))):
    values = [sign * results[n]["test_" + key] for n in names]
    ax.boxplot(values, orientation="horizontal")
    ax.set_yticks(np.arange(1, len(names) + 1), names)
    ax.set_xlabel(label)
fig.suptitle(f"5-fold cross_validate on {N_TRACES} generated traces")
fig.tight_layout()
plt.show()
