"""
Volve: a cube and a well tie that cannot validate anything
==========================================================

*Needs ../shared/data* (``volve_psdm_time_cropped.sgy`` and
``volve_well_15-9-F-15A_seismic_ip.csv``; set ``IMPEDANCE_SHARED_DATA`` to the folder if it
lives elsewhere; skipped without it).

The cautionary case of :doc:`/walkthrough`: a real post-stack cube from the Volve field and the
well tie of well 15/9-F-15A. They share 31 samples (120 ms), the files do not say where the
well is in the cube, and there is one well. The example

1. **locates** the well: the cube trace whose Pearson correlation with the tie's seismic over
   the shared samples has the largest magnitude, against a null (the same search with windows
   of the tie's seismic from the wrong times), and the tie's polarity against a synthetic of
   its own log;
2. **trains** three models on the tie (``impedance-sklearn train``, in process through
   :func:`impedance_sklearn.cli.main`) and **predicts** the cube;
3. **scores** each cube against the log at the chosen trace, beside two baselines;
4. draws the inline through the chosen trace, the log and the prediction there.

Volve data: released by Equinor and the Volve licence partners under the Equinor Open Data
Licence.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.utils import Bunch

from impedance_sklearn import cli, metrics
from impedance_sklearn.io import load_well, read_traces, well_on_time_axis
from impedance_sklearn.physics import ricker
from impedance_sklearn.plotting import plot_section

QUICK = os.environ.get("IMPEDANCE_SKLEARN_GALLERY_QUICK") == "1"
N_SYNTHETIC = 500 if QUICK else 5000  # few-wells' matched synthetics (5,000: its default)

here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
shared = Path(os.environ.get("IMPEDANCE_SHARED_DATA", here.parent.parent / "shared" / "data"))
cube_path = shared / "volve_psdm_time_cropped.sgy"
tie_path = shared / "volve_well_15-9-F-15A_seismic_ip.csv"
if not (cube_path.exists() and tie_path.exists()):
    print(f"{cube_path} or {tie_path} not found: this example needs ../shared/data, skipped")
    sys.exit(0)

work = Path(tempfile.mkdtemp(prefix="volve_"))  # every file of the example goes here
cube, well = read_traces(cube_path), load_well(tie_path)
il, xl = cube.segy.inlines, cube.segy.crosslines


def unit(a):
    """Rows de-meaned and scaled to unit norm (so that a dot product is Pearson's r)."""
    a = np.asarray(a, dtype=np.float64)
    a = a - a.mean(axis=-1, keepdims=True)
    return a / np.linalg.norm(a, axis=-1, keepdims=True)


def correlations(well, mask=None):
    """Pearson r of the tie's seismic with every cube trace over the shared samples (or over
    ``mask``, which they must cover; None if they do not), and the mask."""
    on = well_on_time_axis(well, cube.time)
    m = on.mask & np.isfinite(on.seismic)
    if mask is not None:
        if not m[mask].all():
            return None, mask
        m = mask
    return unit(cube.X[:, m]) @ unit(on.seismic[m]), m


# %%
# 1. Where is the well?
# ---------------------

r, m = correlations(well)
k, kp = int(np.argmax(np.abs(r))), int(np.argmax(r))
print(f"overlap: {int(m.sum())} samples, {cube.time[m][0] * 1000:g}-{cube.time[m][-1] * 1000:g} ms;"
      f" cube inlines {il.min()}-{il.max()}, crosslines {xl.min()}-{xl.max()}")
order = np.argsort(-np.abs(r))[:5]
print("largest |r|: " + ", ".join(f"{il[i]}/{xl[i]} {r[i]:+.3f}" for i in order))
print(f"largest +r:  {il[kp]}/{xl[kp]} {r[kp]:+.3f}")

# the null: tie windows from other times (shifted 40-256 ms down)
null = []
for shift in range(40, 260, 8):
    moved = Bunch(time=well.time + shift / 1000.0, impedance=well.impedance, seismic=well.seismic)
    rn, _ = correlations(moved, mask=m)
    if rn is not None:
        null.append(np.abs(rn).max())
print(f"null (tie windows from the wrong times, {len(null)} shifts): best |r| median "
      f"{np.median(null):.3f}, 95% {np.quantile(null, 0.95):.3f}")

# polarity: the tie's seismic against its own log's reflectivity * Ricker, on a 1 ms grid
t = np.arange(np.ceil(well.time[0] * 1000 + 1), np.floor(well.time[-1] * 1000)) / 1000.0
on = well_on_time_axis(well, t)
ok = np.isfinite(on.impedance) & np.isfinite(on.seismic)
z, s = on.impedance[ok], on.seismic[ok]
refl = np.concatenate([[0.0], np.diff(np.log(z)) / 2])
for f in (15.0, 20.0, 25.0):
    syn = np.convolve(refl, ricker(f, 0.001, 0.2), mode="same")
    rr, lag = max(((float(unit(np.roll(syn, lag)[50:-50]) @ unit(s[50:-50])), lag)
                   for lag in range(-20, 21)), key=lambda p: abs(p[0]))
    print(f"polarity: tie seismic vs its log's reflectivity * Ricker {f:g} Hz: "
          f"r = {rr:+.3f} at {lag:+d} ms")
print(f"chosen (largest |r|): inline {il[k]} crossline {xl[k]} r = {r[k]:+.3f}")

# %%
# The best match is negatively correlated, on the cube's first inline; windows of the tie from
# the wrong times find traces as well correlated: with 31 band-limited samples and 1,533
# candidates, the location is not identifiable, and the trace chosen is used only to score.
#
# 2. Train on the tie, predict the cube
# -------------------------------------
# ``--well-location`` cannot be used here (the log and the cube share fewer samples than a
# trace holds), so the models train on the tie's own seismic, de-meaned and scaled to the
# survey's RMS by the command.

predictions = {}
for name, params in (("few-wells", ["--param", f"n_synthetic={N_SYNTHETIC}",
                                    "--param", "random_state=0"]),
                     ("model-based", []), ("colored", [])):
    model, out = work / f"{name}.model", work / f"{name}.sgy"
    assert cli.main(["train", "--wells", str(tie_path), "--survey", str(cube_path), "--model",
                     name, *params, "--out", str(model), "--quiet"]) == 0
    assert cli.main(["predict", "--model", str(model), "--input", str(cube_path),
                     "--out", str(out), "--quiet"]) == 0
    predictions[name] = read_traces(out)

# %%
# 3. Agreement with the log at the chosen trace
# ---------------------------------------------
# Over the shared samples, against the log averaged onto the cube's 4 ms samples; beside the
# log's mean and the log smoothed over 100 ms (the answer, low-passed: not a fair competitor).

on = well_on_time_axis(well, cube.time)
y = on.impedance[on.mask][None]
n = 100
smooth = np.convolve(np.pad(well.impedance, n // 2, mode="edge"), np.ones(n) / n, "valid")
smooth = np.interp(cube.time[on.mask], well.time, smooth[: well.time.size])[None]
print(f"at {il[k]}/{xl[k]}, over {int(on.mask.sum())} samples: | prediction | PCC | rel. L2 |")
print(f"| the log's mean | n/a | {metrics.relative_l2(y, np.full_like(y, well.impedance.mean())):.3f} |")
print(f"| the log, 100 ms moving average | {metrics.trace_pcc(y, smooth):.3f} | "
      f"{metrics.relative_l2(y, smooth):.3f} |")
for name, pred in predictions.items():
    p = pred.X[k, on.mask][None]
    every = metrics.trace_pcc(np.broadcast_to(y, pred.X[:, on.mask].shape), pred.X[:, on.mask],
                              per_trace=True)
    print(f"| {name} | {metrics.trace_pcc(y, p):.3f} | {metrics.relative_l2(y, p):.3f} | "
          f"(PCC over all traces: median {np.median(every):.3f}, max {np.max(every):.3f})")

# %%
# No model beats the log's mean in relative L2, and none has a PCC at the well that is
# distinguishable from zero: the maximum over all traces shows how high a PCC chance gives on
# 31 samples.
#
# 4. The inline through the chosen trace
# --------------------------------------

pred = predictions["few-wells"]
rows = np.flatnonzero(il == il[k])
rows = rows[np.argsort(xl[rows])]
t_ms = pred.time * 1000
fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.2), width_ratios=[3, 1])
both = np.concatenate([pred.X[rows].ravel(), on.impedance[on.mask]])
vmin, vmax = np.percentile(both, [1, 99])
plot_section(pred.X[rows], x=xl[rows], time=t_ms, xlabel="Crossline",
             time_label="Two-way time (ms)", vmin=vmin, vmax=vmax, ax=ax,
             title=f"few-wells: inline {il[k]}, the chosen trace dashed")
ax.axvline(xl[k], color="w", ls="--", lw=1)
ax2.plot(well.impedance, well.time * 1000, color="0.6", lw=0.8, label="log (1 ms)")
ax2.plot(on.impedance, t_ms, "k", lw=1.5, label="log on the cube's 4 ms")
ax2.plot(pred.X[k], t_ms, "r", lw=1.5, label=f"predicted at {il[k]}/{xl[k]}")
ax2.set_ylim(t_ms[-1], t_ms[0])
ax2.set_xlabel("Impedance")
ax2.legend(fontsize=7, loc="lower left")
ax2.set_title("at the chosen trace")
fig.tight_layout()
plt.show()

shutil.rmtree(work)  # the example's files
