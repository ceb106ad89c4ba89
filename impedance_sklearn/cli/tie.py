"""``impedance-sklearn tie``: tie a well to a survey (trace, bulk shift, drift, wavelet).

Prints the trace chosen (inline / crossline), the bulk shift, the drift's range and the
correlation before and after, and writes the tied well as a tie CSV (``time_ms;seismic;
impedance`` on the survey's time axis) that ``load_well`` and ``train --wells`` read. A tie no
better than its null test exits 1 and writes nothing, unless ``--force``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from impedance_sklearn.cli._common import PROG, UsageError, check_output, require_input
from impedance_sklearn.cli._wells import add_well_time_options, load_cli_well


def register(sub, fmt):
    p = sub.add_parser("tie", formatter_class=fmt, help="tie a well to a survey",
                       description="Tie a well to the seismic: find the trace (unless "
                                   "--well-location), a bulk shift and a strain-limited drift, "
                                   "estimate the wavelet; write the tied well as a tie CSV.\n\n"
                                   "  impedance-sklearn tie --well W.las --survey S.sgy "
                                   "--time-at-top 0.4106 --out tie.csv")
    p.add_argument("--well", required=True, metavar="WELL", help="LAS log or tie CSV")
    p.add_argument("--survey", required=True, metavar="CUBE", help="SEG-Y line or cube")
    p.add_argument("--well-location", nargs=2, type=int, metavar=("INLINE", "CROSSLINE"),
                   help="the well's trace; default: search every trace of the survey")
    add_well_time_options(p)
    g = p.add_argument_group("the tie")
    g.add_argument("--max-shift", type=float, default=40.0, metavar="MS",
                   help="largest bulk shift searched, ms (default 40)")
    g.add_argument("--max-drift", type=float, default=20.0, metavar="MS",
                   help="largest drift after the bulk shift, ms (default 20)")
    g.add_argument("--max-strain", type=float, default=0.05, metavar="F",
                   help="largest change of the drift per unit time (default 0.05: interval "
                        "velocities change by at most about 5 %%)")
    g.add_argument("--window", type=float, default=200.0, metavar="MS",
                   help="drift correlation windows, ms (default 200)")
    g.add_argument("--drift", choices=("windows", "dtw", "sdw"), default="windows",
                   help="the drift by windowed correlation (default), dynamic time warping, "
                        "or smooth dynamic warping (Hale 2013)")
    p.add_argument("--out", required=True, metavar="TIE.csv", help="the tied well")
    p.add_argument("--figure", metavar="TIE.png", help="a QC figure")
    p.add_argument("--force", action="store_true",
                   help="overwrite outputs; write a tie no better than its null test")
    p.set_defaults(func=run)


def write_tie_csv(path, time, seismic, impedance):
    """The tie CSV: a header, then ``time_ms;seismic;impedance`` rows (the load_well format)."""
    lines = ["time_ms;seismic;impedance"]
    lines += [f"{t * 1e3:.6f};{s:.9g};{z:.9g}" for t, s, z in zip(time, seismic, impedance)]
    Path(path).write_text("\n".join(lines) + "\n")


def run(args):
    from impedance_sklearn.io import read_traces
    from impedance_sklearn.io._files import atomic_path
    from impedance_sklearn.welltie import tie_well

    survey_path = require_input(args.survey, "survey")
    out = check_output(args.out, args.force, sources=[survey_path])
    fig_path = check_output(args.figure, args.force, sources=[survey_path]) if args.figure \
        else None
    well = load_cli_well(args.well, args)
    survey = read_traces(survey_path)
    if survey.dt is None or survey.segy is None:
        raise UsageError(f"survey {args.survey!r} must be a SEG-Y with a sampling interval.")
    inl, xl = survey.segy.inlines, survey.segy.crosslines
    position = None
    if args.well_location:
        il, x = args.well_location
        hit = np.flatnonzero((inl == il) & (xl == x))
        if hit.size == 0:
            raise UsageError(f"inline {il}, crossline {x} is outside the survey: {args.survey!r} "
                             f"has inlines {inl.min()}-{inl.max()}, crosslines "
                             f"{xl.min()}-{xl.max()}.")
        position = int(hit[0])
    try:
        tie = tie_well(well, survey.X, survey.time, position=position,
                       max_shift=args.max_shift * 1e-3, max_drift=args.max_drift * 1e-3,
                       max_strain=args.max_strain, window=args.window * 1e-3,
                       drift=args.drift)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    c = tie.correlation
    where = f"inline {inl[tie.position]}, crossline {xl[tie.position]}"
    print(f"{Path(args.well).name} on {Path(args.survey).name}: {where}"
          f"{' (given)' if position is not None else ' (searched, ' + str(len(inl)) + ' traces)'}")
    print(f"  bulk shift {tie.shift * 1e3:+.1f} ms; drift {tie.drift.shift.min() * 1e3:+.1f} to "
          f"{tie.drift.shift.max() * 1e3:+.1f} ms (interval velocities change by up to "
          f"{100 * tie.velocity_change:.1f} %)")
    print(f"  correlation: {c['before']:.2f} before, {c['bulk']:.2f} after the bulk shift "
          f"(null test: at most {tie.null:.2f}), {c['after']:.2f} after the drift "
          f"(Ricker {tie.frequency:.0f} Hz), {c['after_wavelet']:.2f} with the estimated "
          f"wavelet; tied log {tie.window[0]:.3f}-{tie.window[1]:.3f} s")
    if not tie.confident and not args.force:
        print(f"{PROG} tie: error: the tie is no better than chance (correlation {c['bulk']:.2f} "
              f"against {tie.null:.2f} for the displaced synthetic): check the time at top, the "
              "well location and the survey; --force writes it anyway.", file=sys.stderr)
        return 1
    a = tie.on_axis
    m = a.mask & np.isfinite(a.impedance)
    with atomic_path(out, overwrite=args.force) as tmp:
        write_tie_csv(tmp, survey.time[m], tie.trace[m], a.impedance[m])
    print(f"wrote {out} ({int(m.sum())} samples)")
    if fig_path is not None:
        from impedance_sklearn.plotting import save_figure
        from impedance_sklearn.plotting.tie import plot_tie

        save_figure(plot_tie(tie, survey.time, title=f"{Path(args.well).name}: {where}"),
                    fig_path, overwrite=args.force)
        print(f"wrote {fig_path}")
    return 0
