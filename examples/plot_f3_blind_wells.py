"""
F3: three wells on one line, each left out in turn
==================================================

*Needs ../shared/data* (the F3 files; set ``IMPEDANCE_SHARED_DATA`` to the folder if it lives
elsewhere; skipped without it).

The F3 part of :doc:`/walkthrough`, in Python, from the files exactly as delivered:

1. read each well's LAS log and checkshot (no header, repeated and unsorted rows, a checkshot
   that ends above the log): every assumption is in ``well.notes``;
2. place each well on the arbitrary line by its header X/Y (:func:`~impedance_sklearn.io.locate_well`);
3. tie the three with one Ricker and one polarity (:func:`~impedance_sklearn.welltie.tie_wells`),
   with a QC line per well;
4. leave each well out in turn (:func:`~impedance_sklearn.evaluation.blind.leave_one_well_out`)
   and print the blind-well table beside the bound;
5. the same split with scikit-learn: wells are groups for
   :class:`~sklearn.model_selection.LeaveOneGroupOut`.

F3 data: dGB Earth Sciences and TNO, CC BY-SA (Open Seismic Repository).
"""

import os
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
shared = Path(os.environ.get("IMPEDANCE_SHARED_DATA", here.parent.parent / "shared" / "data"))
if not (shared / "f3_arbline.sgy").exists():
    print(f"{shared / 'f3_arbline.sgy'} not found: this example needs ../shared/data, skipped")
    sys.exit(0)

from impedance_sklearn.estimators import make_estimator  # noqa: E402
from impedance_sklearn.evaluation.blind import leave_one_well_out  # noqa: E402
from impedance_sklearn.io import load_well, locate_well, read_traces  # noqa: E402
from impedance_sklearn.welltie import tie_wells  # noqa: E402

QUICK = os.environ.get("IMPEDANCE_SKLEARN_GALLERY_QUICK") == "1"
WELLS = ("F02-1", "F03-4", "F06-1")
warnings.simplefilter("ignore")  # the models' convergence notes

# %%
# 1-2. The wells as delivered, placed by their coordinates
# --------------------------------------------------------

line = read_traces(shared / "f3_arbline.sgy")
wells, rows = [], []
for name in WELLS:
    well = load_well(shared / f"f3_{name}.las",
                     time_depth=shared / f"f3_{name}_checkshot.txt")
    hit = locate_well(line, well.location["x"], well.location["y"], name=name)
    print(f"{name}: trace {hit.index}, {hit.distance:.1f} m from the well")
    for note in well.notes:
        print("   ", note)
    wells.append(well)
    rows.append(hit.index)

# %%
# 3. One wavelet and one polarity for the three
# ---------------------------------------------

shared_tie = tie_wells(wells, line.X, line.time, rows)
print(f"Ricker {shared_tie.frequency:g} Hz, polarity {shared_tie.polarity:+d}")
for name, tie, r in zip(WELLS, shared_tie.ties, shared_tie.shared_correlation):
    verdict = "ties" if tie.confident else "does not tie (kept here only to be left out)"
    print(f"{name}: r {tie.correlation['bulk']:.2f} against the null's {tie.null:.2f}, "
          f"shift {tie.shift * 1e3:+.0f} ms, r {r:.2f} with the shared wavelet: {verdict}")
tied = [t.well for t in shared_tie.ties]

# %%
# 4. Blind wells
# --------------
# Each model is trained on the two other wells (64-sample windows, a background interpolated
# along the line), and scored over the blind log: band PCC (8-60 Hz) / raw PCC / rel. L2.

models = {"colored": make_estimator("colored", {"max_lag": 2}),
          "few-wells-ridge": make_estimator("few-wells-ridge", {"random_state": 0})}
if not QUICK:
    models["model-based"] = make_estimator("model-based", {})
res = leave_one_well_out(models, tied, line, rows, names=WELLS,
                         fit_params={"few-wells-ridge": {"X_unlabeled": line.X}})
for r in res.rows:
    print(f"{r['well']:6} {r['model'][:44]:44} {r['band_pcc']:5.2f} / {r['raw_pcc']:5.2f} / "
          f"{r['rel_l2']:.3f}")

fig, axes = plt.subplots(1, len(WELLS), figsize=(11, 6), sharex=False)
for ax, name in zip(axes, WELLS):
    t, _, truth = res.predictions[(name, "colored")]
    ax.plot(truth, t * 1e3, "k", lw=0.8, label="log (blind)")
    for model in models:
        ax.plot(res.predictions[(name, model)][1], t * 1e3, lw=0.8, label=model)
    ax.invert_yaxis()
    ax.set(title=f"{name}, blind", xlabel="impedance / 1e6")
axes[0].set_ylabel("TWT (ms)")
axes[0].legend(fontsize=7)
fig.tight_layout()

# %%
# 5. The same split in scikit-learn
# ---------------------------------
# ``survey_well_windows(...).groups`` names each window's well; with metadata routing the
# windows' start times and positions reach ``fit`` and ``score``.

import sklearn  # noqa: E402
from sklearn.model_selection import LeaveOneGroupOut, cross_validate  # noqa: E402

from impedance_sklearn.estimators.lowfreq import LowFrequencyModel  # noqa: E402
from impedance_sklearn.estimators.windowed import WindowedRegressor  # noqa: E402

pairs = res.pairs
with sklearn.config_context(enable_metadata_routing=True):
    est = WindowedRegressor(make_estimator("colored", {"max_lag": 2}), window=pairs.window,
                            dt=line.dt, background=LowFrequencyModel())
    est.set_fit_request(t0=True, positions=True).set_score_request(t0=True, positions=True)
    cv = cross_validate(est, pairs.X, pairs.y, cv=LeaveOneGroupOut(),
                        params={"t0": pairs.t0, "positions": pairs.positions,
                                "groups": pairs.groups})
print("r2 of each blind well's windows:", np.round(cv["test_score"], 2).tolist())
