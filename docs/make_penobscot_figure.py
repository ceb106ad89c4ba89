"""The Penobscot walkthrough's figure (docs/walkthrough.md): the predicted impedance section of
crossline 1155 with the tied L-30 log drawn in at its inline.

Run from the repository root, after the walkthrough's commands, with::

    python docs/make_penobscot_figure.py L30_impedance.sgy L30_tie.csv --inline 1182 \\
        [--blind-from 1.992] [--out docs/penobscot.png]

``--blind-from T`` scores the prediction against the log below ``T`` s (the part the model
was not trained on): PCC after an 8-60 Hz band-pass of both, raw PCC and relative L2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from impedance_sklearn.io import load_well, read_traces, well_on_time_axis
from impedance_sklearn.plotting import plot_section, save_figure


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("prediction", help="the predicted impedance SEG-Y")
    ap.add_argument("tie", help="the tie CSV written by impedance-sklearn tie")
    ap.add_argument("--inline", type=int, required=True, help="the well's inline")
    ap.add_argument("--out", default="docs/penobscot.png")
    ap.add_argument("--window", type=float, nargs=2, default=(800.0, 3000.0), metavar="MS")
    ap.add_argument("--blind-from", type=float, metavar="SECONDS",
                    help="score below this time only (the blind part)")
    args = ap.parse_args(argv)
    pred = read_traces(args.prediction)
    well = load_well(args.tie)
    t_ms = pred.time * 1e3
    keep = (t_ms >= args.window[0]) & (t_ms <= args.window[1])
    a = well_on_time_axis(well, pred.time)
    m = a.mask & np.isfinite(a.impedance)
    inlines = pred.segy.inlines
    at = int(np.flatnonzero(inlines == args.inline)[0])
    r = np.corrcoef(pred.X[at][m], a.impedance[m])[0, 1]
    print(f"at inline {args.inline}: Pearson {r:.3f} with the tied log over "
          f"{t_ms[m][0]:.0f}-{t_ms[m][-1]:.0f} ms (in-sample: the model was trained there)")
    if args.blind_from is not None:
        from scipy.signal import butter, sosfiltfilt

        blind = m & (pred.time > args.blind_from + 1e-9)  # as benchmarks/penobscot.py scores
        sos = butter(4, [8.0, 60.0], btype="band", fs=1 / pred.dt, output="sos")
        p, z = pred.X[at][blind], a.impedance[blind]
        bp, bz = sosfiltfilt(sos, p), sosfiltfilt(sos, z)
        print(f"blind below {args.blind_from:.3f} s ({int(blind.sum())} samples): band PCC "
              f"{np.corrcoef(bp, bz)[0, 1]:.3f}, raw PCC {np.corrcoef(p, z)[0, 1]:.3f}, "
              f"rel. L2 {np.linalg.norm(p - z) / np.linalg.norm(z):.3f}")
    lo, hi = np.percentile(pred.X[:, keep], [1, 99])
    fig = plot_section(pred.X[:, keep], x=inlines.astype(float), time=t_ms[keep],
                       xlabel="Inline", time_label="TWT (ms)", vmin=lo, vmax=hi,
                       title=f"Predicted impedance, crossline 1155; L-30 (inline {args.inline}) "
                             "drawn in",
                       logs=[(args.inline, t_ms[m], a.impedance[m])], log_width=8)
    fig.set_size_inches(10, 5.5)
    save_figure(fig, Path(args.out))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
