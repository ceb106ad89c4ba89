"""
Penobscot: a well, the line through it, a blind interval
========================================================

*Needs ../shared/data* (``penobscot_L-30.las`` and ``penobscot_xl1155.sgy``; set
``IMPEDANCE_SHARED_DATA`` to the folder if it lives elsewhere; skipped without it).

The walkthrough of :doc:`/walkthrough`, in Python: the ``impedance-sklearn`` commands are run
in process through :func:`impedance_sklearn.cli.main`, with the same arguments as the shell
commands, in a temporary folder.

1. **tie** the LAS well L-30 to crossline 1155 (401 traces at 4 ms): find its trace, the bulk
   shift, the drift and the wavelet;
2. keep the upper 55 % of the tied log for training; the rest is blind;
3. **train** ``few-wells-ridge`` (``MODEL`` below: a
   :class:`~impedance_sklearn.FewWellsRegressor` with a ridge, on convolutional synthetics
   matched to the well) on the survey's trace at the well;
4. **predict** the whole line, and score the blind lower part against the log: PCC after an
   8-60 Hz band-pass of both, raw PCC and relative L2;
5. draw the section with the log in it.

Data: Penobscot 3-D (Nova Scotia Department of Energy, owner of the seismic; dGB Earth
Sciences and the Canada-Nova Scotia Offshore Petroleum Board through the Open Seismic
Repository); well L-30 digitised by Neil Watson (Atlantic Petrophysics).
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from scipy.signal import butter, sosfiltfilt

from impedance_sklearn import cli
from impedance_sklearn.io import load_well, read_traces, well_on_time_axis
from impedance_sklearn.plotting import plot_section

here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
shared = Path(os.environ.get("IMPEDANCE_SHARED_DATA", here.parent.parent / "shared" / "data"))
las, line = shared / "penobscot_L-30.las", shared / "penobscot_xl1155.sgy"
if not (las.exists() and line.exists()):
    print(f"{las} or {line} not found: this example needs ../shared/data, skipped")
    sys.exit(0)

MODEL = "few-wells-ridge"  # or "model-based", "colored", "few-wells" (docs/walkthrough.md's table)
work = Path(tempfile.mkdtemp(prefix="penobscot_"))  # every file of the example goes here

# %%
# 1. The tie
# ----------
# ``--time-at-top 0.4106``: the two-way time at the top of the log, from the SEG tutorial that
# published the data. The tie searches every trace of the line (the files do not say which
# inline the well is on: ``--search``; the LAS header gives no map position), against a null
# (the synthetic displaced by 200-600 ms).

tie, tie_png = work / "L30_tie.csv", work / "L30_tie.png"
assert cli.main(["tie", "--well", str(las), "--survey", str(line), "--time-at-top", "0.4106",
                 "--search", "--out", str(tie), "--figure", str(tie_png)]) == 0

fig, ax = plt.subplots(figsize=(12, 6))
ax.imshow(plt.imread(tie_png))
ax.set_axis_off()
fig.tight_layout()
plt.show()

# %%
# 2. Train on the upper 55 % of the log, 3. predict the line
# ----------------------------------------------------------
# The tie CSV has ``# key: value`` lines (where the well is), a header and 466 samples; the
# first 256 (to 1.992 s) are for training (``--well-location`` says where the well is).

rows = [r for r in tie.read_text().splitlines() if not r.startswith("#")]
upper = work / "L30_upper.csv"
upper.write_text("\n".join(rows[:257]) + "\n")
model, prediction = work / "L30.model", work / "L30_impedance.sgy"
assert cli.main(["train", "--wells", str(upper), "--survey", str(line), "--well-location",
                 "1182", "1155", "--model", MODEL, "--out", str(model)]) == 0
assert cli.main(["predict", "--model", str(model), "--input", str(line),
                 "--out", str(prediction), "--quiet"]) == 0

# %%
# 4. The blind interval
# ---------------------
# The log below 1.992 s was not trained on. It is compared with the predicted trace at the
# well on the line's 4 ms samples.

pred = read_traces(prediction)
well = load_well(tie)
on = well_on_time_axis(well, pred.time)
m = on.mask & np.isfinite(on.impedance)
at = int(np.flatnonzero(pred.segy.inlines == 1182)[0])
blind = m & (pred.time > 1.992 + 1e-9)
sos = butter(4, [8.0, 60.0], btype="band", fs=1 / pred.dt, output="sos")
p, z = pred.X[at][blind], on.impedance[blind]
band_pcc = np.corrcoef(sosfiltfilt(sos, p), sosfiltfilt(sos, z))[0, 1]
print(f"blind below 1.992 s ({int(blind.sum())} samples): band PCC {band_pcc:.3f}, "
      f"raw PCC {np.corrcoef(p, z)[0, 1]:.3f}, rel. L2 {np.linalg.norm(p - z) / np.linalg.norm(z):.3f}")

t_ms = pred.time * 1e3
fig, ax = plt.subplots(figsize=(4, 6))
ax.plot(on.impedance[m], t_ms[m], "k", lw=1, label="L-30 log (tied)")
ax.plot(pred.X[at][m], t_ms[m], "C1", lw=1, label="predicted at inline 1182")
ax.axhline(1992, color="C3", ls="--", lw=1, label="blind below")
ax.set_ylim(t_ms[m][-1], t_ms[m][0])
ax.set_xlabel("impedance (log units)")
ax.set_ylabel("TWT (ms)")
ax.legend(loc="lower left", fontsize="small")
fig.tight_layout()
plt.show()

# %%
# 5. The section with the log drawn in
# ------------------------------------

keep = (t_ms >= 800.0) & (t_ms <= 3000.0)
lo, hi = np.percentile(pred.X[:, keep], [1, 99])
fig = plot_section(pred.X[:, keep], x=pred.segy.inlines.astype(float), time=t_ms[keep],
                   xlabel="Inline", time_label="TWT (ms)", vmin=lo, vmax=hi,
                   title="Predicted impedance, crossline 1155; L-30 (inline 1182) drawn in",
                   logs=[(1182, t_ms[m], on.impedance[m])], log_width=8)
fig.set_size_inches(10, 5.5)
plt.show()

shutil.rmtree(work)  # the example's files
