"""The Volve walkthrough's helper (docs/walkthrough.md): locate the well, score, draw.

Run from the repository root with ``../shared/data`` beside it::

    python docs/make_volve_figure.py locate
    python docs/make_volve_figure.py flip  TIE.csv OUT.csv
    python docs/make_volve_figure.py score PRED.sgy [PRED.sgy ...]
    python docs/make_volve_figure.py figure PRED.sgy [--out docs/volve.png]

``locate`` correlates the tie's seismic with every cube trace over the samples they share and
prints the best traces, a null distribution (the same search with windows of the tie's seismic
from the wrong times) and the tie's polarity against a synthetic made from its own log.
``score`` prints Pearson and relative L2 of predicted cubes against the log at the chosen trace
(and, for reference, at the other candidate and over the whole cube), with the baselines.
Everything uses the package's public API (``impedance_sklearn.io``, ``metrics``, ``plotting``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("IMPEDANCE_SHARED_DATA", REPO.parent / "shared" / "data"))
CUBE = SHARED / "volve_psdm_time_cropped.sgy"
TIE = SHARED / "volve_well_15-9-F-15A_seismic_ip.csv"


def _unit(a):
    a = np.asarray(a, dtype=np.float64)
    a = a - a.mean(axis=-1, keepdims=True)
    return a / np.linalg.norm(a, axis=-1, keepdims=True)


def correlations(cube, well, mask=None):
    """Pearson r of the tie's seismic with every cube trace over the shared samples (or over
    ``mask``, which they must cover), and the mask."""
    from impedance_sklearn.io import well_on_time_axis

    on = well_on_time_axis(well, cube.time)
    m = on.mask & np.isfinite(on.seismic)
    if mask is not None:
        if not m[mask].all():
            return None, mask
        m = mask
    return _unit(cube.X[:, m]) @ _unit(on.seismic[m]), m


def locate(cube=CUBE, tie=TIE, *, verbose=True):
    """The trace best correlated (largest |r|) with the tie's seismic over the overlap.

    Returns a dict: ``inline``, ``crossline``, ``r`` (signed), ``index``, the best positive
    (``pos_*``), the overlap size, the null distribution's median and 95 % of the best |r|, and
    the polarity of the tie's seismic against a Ricker synthetic of its own log.
    """
    from sklearn.utils import Bunch

    from impedance_sklearn.io import load_well, read_traces, well_on_time_axis
    from impedance_sklearn.physics import ricker

    cube, well = read_traces(cube), load_well(tie)
    il, xl = cube.segy.inlines, cube.segy.crosslines
    r, m = correlations(cube, well)
    k, kp = int(np.argmax(np.abs(r))), int(np.argmax(r))
    # null: the same search with tie windows from other times (shifted 40-256 ms down)
    null = []
    for shift in range(40, 260, 8):
        moved = Bunch(time=well.time + shift / 1000.0, impedance=well.impedance,
                      seismic=well.seismic)
        rn, _ = correlations(cube, moved, mask=m)
        if rn is not None:
            null.append(np.abs(rn).max())
    # polarity: the tie's seismic against its own log's reflectivity * Ricker, 1 ms grid
    t = np.arange(np.ceil(well.time[0] * 1000 + 1), np.floor(well.time[-1] * 1000)) / 1000.0
    on = well_on_time_axis(well, t)
    ok = np.isfinite(on.impedance) & np.isfinite(on.seismic)
    z, s = on.impedance[ok], on.seismic[ok]
    refl = np.concatenate([[0.0], np.diff(np.log(z)) / 2])
    pol = []
    for f in (15.0, 20.0, 25.0):
        syn = np.convolve(refl, ricker(f, 0.001, 0.2), mode="same")
        lag_r = [(float(_unit(np.roll(syn, lag)[50:-50]) @ _unit(s[50:-50])), lag)
                 for lag in range(-20, 21)]
        pol.append((f, *max(lag_r, key=lambda p: abs(p[0]))))
    out = {"inline": int(il[k]), "crossline": int(xl[k]), "r": float(r[k]), "index": k,
           "pos_inline": int(il[kp]), "pos_crossline": int(xl[kp]), "pos_r": float(r[kp]),
           "pos_index": kp, "n_overlap": int(m.sum()),
           "window_ms": (float(cube.time[m][0] * 1000), float(cube.time[m][-1] * 1000)),
           "null_median": float(np.median(null)), "null_95": float(np.quantile(null, 0.95)),
           "n_null": len(null), "polarity": pol}
    if verbose:
        print(f"overlap: {out['n_overlap']} samples, {out['window_ms'][0]:g}-"
              f"{out['window_ms'][1]:g} ms; cube inlines {il.min()}-{il.max()}, crosslines "
              f"{xl.min()}-{xl.max()}")
        order = np.argsort(-np.abs(r))[:5]
        print("largest |r|: " + ", ".join(f"{il[i]}/{xl[i]} {r[i]:+.3f}" for i in order))
        print(f"largest +r:  {out['pos_inline']}/{out['pos_crossline']} {out['pos_r']:+.3f}")
        print(f"null (tie windows from the wrong times, {len(null)} shifts): best |r| median "
              f"{out['null_median']:.3f}, 95% {out['null_95']:.3f}")
        for f, rr, lag in pol:
            print(f"polarity: tie seismic vs its log's reflectivity * Ricker {f:g} Hz: "
                  f"r = {rr:+.3f} at {lag:+d} ms")
        print(f"chosen (largest |r|): inline {out['inline']} crossline {out['crossline']} "
              f"r = {out['r']:+.3f}")
    return out


def flip(src, dst):
    """Write the tie with its seismic reversed in polarity (``1 - s``: it is min-max scaled)."""
    from impedance_sklearn.io import load_well

    load_well(src)  # checks the file
    rows = [line.split(";") for line in Path(src).read_text().split() if line.strip()]
    with open(dst, "w") as f:
        for t, s, z in rows:
            f.write(f"{t};{1.0 - float(s):.10g};{z}\n")
    print(f"wrote {dst}: seismic 1 - s")


def well_scores(pred_sgy, index, cube=CUBE, tie=TIE):
    """(PCC, relative L2) of one predicted trace against the log on the cube's samples."""
    from impedance_sklearn import metrics
    from impedance_sklearn.io import load_well, read_traces, well_on_time_axis

    pred = read_traces(pred_sgy)
    on = well_on_time_axis(load_well(tie), pred.time)
    m = on.mask
    y, p = on.impedance[m][None], pred.X[index, m][None]
    return float(metrics.trace_pcc(y, p)), float(metrics.relative_l2(y, p))


def baselines(cube=CUBE, tie=TIE, smooth_ms=100):
    """Scores over the overlap of the log's mean (whole tie) and of the log smoothed."""
    from impedance_sklearn import metrics
    from impedance_sklearn.io import load_well, read_traces, well_on_time_axis

    cube, well = read_traces(cube), load_well(tie)
    on = well_on_time_axis(well, cube.time)
    m = on.mask
    y = on.impedance[m][None]
    const = np.full_like(y, well.impedance.mean())
    n = int(round(smooth_ms))  # the 1 ms log, a centred moving average of smooth_ms samples
    sm = np.convolve(np.pad(well.impedance, n // 2, mode="edge"), np.ones(n) / n, "valid")
    sm = np.interp(cube.time[m], well.time, sm[: well.time.size])[None]
    return {"log mean": (float("nan"), float(metrics.relative_l2(y, const))),
            f"log smoothed {smooth_ms} ms": (float(metrics.trace_pcc(y, sm)),
                                              float(metrics.relative_l2(y, sm)))}


def score(preds, cube=CUBE, tie=TIE):
    from impedance_sklearn import metrics
    from impedance_sklearn.io import load_well, read_traces, well_on_time_axis

    loc = locate(cube, tie, verbose=False)
    well = load_well(tie)
    print(f"at the chosen trace {loc['inline']}/{loc['crossline']} (and at "
          f"{loc['pos_inline']}/{loc['pos_crossline']}, the best positive r), over "
          f"{loc['n_overlap']} samples:")
    print("| prediction | PCC | rel. L2 | PCC (alt.) | rel. L2 (alt.) | PCC over all traces: "
          "median, max |")
    print("|---|---|---|---|---|---|")
    for name, (pcc, l2) in baselines(cube, tie).items():
        print(f"| {name} | {pcc:.3f} | {l2:.4f} | {pcc:.3f} | {l2:.4f} | |")
    for p in preds:
        a, b = well_scores(p, loc["index"], cube, tie), well_scores(p, loc["pos_index"], cube, tie)
        pred = read_traces(p)
        on = well_on_time_axis(well, pred.time)
        m = on.mask
        every = metrics.trace_pcc(np.broadcast_to(on.impedance[m], pred.X[:, m].shape),
                                  pred.X[:, m], per_trace=True)
        print(f"| {Path(p).name} | {a[0]:.3f} | {a[1]:.4f} | {b[0]:.3f} | {b[1]:.4f} | "
              f"{np.median(every):.3f}, {np.max(every):.3f} |")


def figure(pred_sgy, out=REPO / "docs" / "volve.png", cube=CUBE, tie=TIE):
    """A crossline section of the predicted cube through the chosen trace, the log overlaid."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from impedance_sklearn import plotting
    from impedance_sklearn.io import load_well, read_traces, well_on_time_axis

    loc = locate(cube, tie, verbose=False)
    pred, well = read_traces(pred_sgy), load_well(tie)
    il, xl = pred.segy.inlines, pred.segy.crosslines
    rows = np.flatnonzero(il == loc["inline"])
    rows = rows[np.argsort(xl[rows])]
    t_ms = pred.time * 1000
    on = well_on_time_axis(well, pred.time)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.2), width_ratios=[3, 1])
    both = np.concatenate([pred.X[rows].ravel(), on.impedance[on.mask]])
    vmin, vmax = np.percentile(both, [1, 99])
    plotting.plot_section(pred.X[rows], x=xl[rows], time=t_ms, xlabel="Crossline",
                          time_label="Two-way time (ms)", vmin=vmin, vmax=vmax, ax=ax,
                          title=f"{Path(pred_sgy).stem}: inline {loc['inline']}, the well's trace dashed")
    ax.axvline(loc["crossline"], color="w", ls="--", lw=1)
    k = loc["index"]
    ax2.plot(well.impedance, well.time * 1000, color="0.6", lw=0.8, label="log (1 ms)")
    ax2.plot(on.impedance, t_ms, "k", lw=1.5, label="log on the cube's 4 ms")
    ax2.plot(pred.X[k], t_ms, "r", lw=1.5, label=f"predicted at {loc['inline']}/{loc['crossline']}")
    ax2.set_ylim(t_ms[-1], t_ms[0])
    ax2.set_xlabel(plotting.IMPEDANCE_LABEL if hasattr(plotting, "IMPEDANCE_LABEL")
                   else "Impedance")
    ax2.legend(fontsize=7, loc="lower left")
    ax2.set_title("at the chosen trace")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("locate")
    f = sub.add_parser("flip")
    f.add_argument("src")
    f.add_argument("dst")
    s = sub.add_parser("score")
    s.add_argument("preds", nargs="+")
    g = sub.add_parser("figure")
    g.add_argument("pred")
    g.add_argument("--out", default=str(REPO / "docs" / "volve.png"))
    a = p.parse_args(argv)
    if a.cmd == "locate":
        locate()
    elif a.cmd == "flip":
        flip(a.src, a.dst)
    elif a.cmd == "score":
        score(a.preds)
    else:
        figure(a.pred, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
