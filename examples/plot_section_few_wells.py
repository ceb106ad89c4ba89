"""
A section from a few wells, with its uncertainty
================================================

:class:`~impedance_sklearn.SectionInversion` predicts the impedance of a whole section from
its seismic and a few wells in it: it paints the wells' logs along the section's structure and
updates them with the seismic (a Gaussian update), so that ``predict(X, return_std=True)``
returns a standard deviation beside the mean. Here on
:func:`~impedance_sklearn.datasets.make_section`, a folded and faulted synthetic section with
10 % noise, from five wells.
"""

import matplotlib.pyplot as plt
import numpy as np

from impedance_sklearn import SectionInversion
from impedance_sklearn.datasets import make_section
from impedance_sklearn.metrics import relative_l2, trace_pcc

X, y = make_section(random_state=0)  # 267 traces x 550 samples at 4 ms, one trace per row
wells = np.linspace(10, X.shape[0] - 11, 5).astype(int)
print(f"section {X.shape}, wells at traces {wells.tolist()}")

# %%
# Fit on the wells, the other traces unlabelled
# ---------------------------------------------
# ``well_positions`` says where the wells are along the section (rows of ``X_unlabeled``).

reg = SectionInversion().fit(X[wells], y[wells], X_unlabeled=X, well_positions=wells)
mean, std = reg.predict(X, return_std=True)

others = np.setdiff1d(np.arange(X.shape[0]), wells)
inside = np.abs(y - mean)[others] <= 1.645 * std[others]
print(f"away from the wells: PCC {trace_pcc(y[others], mean[others]):.3f}, "
      f"relative L2 {relative_l2(y[others], mean[others]):.3f}")
print(f"90 % intervals (mean +- 1.645 std) hold {inside.mean():.1%} of the true values")
print(f"std at the wells {std[wells].max():.2g}, elsewhere median {np.median(std[others]):.3f}")

# %%
# The section, the prediction, its error and its standard deviation
# -----------------------------------------------------------------
# Time down, traces across; the wells are the dashed lines.

t = np.arange(X.shape[1]) * 0.004
panels = [("seismic", X, "gray"), ("true impedance", y, "viridis"),
          ("predicted (mean)", mean, "viridis"), ("error (predicted - true)", mean - y, "RdBu_r"),
          ("standard deviation", std, "magma")]
fig, axes = plt.subplots(1, len(panels), figsize=(15, 4), sharey=True)
lo, hi = np.percentile(y, [1, 99])
for ax, (title, a, cmap) in zip(axes, panels):
    kw = {"vmin": lo, "vmax": hi} if cmap == "viridis" else {}
    if cmap == "RdBu_r":
        m = np.percentile(np.abs(a), 99)
        kw = {"vmin": -m, "vmax": m}
    im = ax.imshow(a.T, aspect="auto", cmap=cmap, extent=(0, a.shape[0], t[-1], t[0]), **kw)
    for w in wells:
        ax.axvline(w, color="w" if cmap != "RdBu_r" else "k", ls="--", lw=0.7)
    ax.set_title(title, fontsize="medium")
    ax.set_xlabel("trace")
    fig.colorbar(im, ax=ax, orientation="horizontal", pad=0.15)
axes[0].set_ylabel("time (s)")
fig.tight_layout()
plt.show()

# %%
# A trace half-way between two wells, with its 90 % interval:

k = int((wells[1] + wells[2]) // 2)
fig, ax = plt.subplots(figsize=(4, 5))
ax.fill_betweenx(t, mean[k] - 1.645 * std[k], mean[k] + 1.645 * std[k], color="C0", alpha=0.3,
                 label="90 % interval")
ax.plot(y[k], t, "k", lw=1, label="true")
ax.plot(mean[k], t, "C0", lw=1, label="predicted")
ax.set_ylim(t[-1], t[0])
ax.set_xlabel("impedance")
ax.set_ylabel("time (s)")
ax.set_title(f"trace {k}")
ax.legend(loc="lower left", fontsize="small")
fig.tight_layout()
plt.show()
