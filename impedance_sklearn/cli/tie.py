"""``impedance-sklearn tie``: tie wells to a survey (trace, polarity, bulk shift, drift, wavelet).

Each well is placed at its trace: ``--well-location`` (inline, crossline), ``--well-xy``, or the
LAS header's X/Y against the traces' CDP X/Y (the distance printed; a well farther than a few
bins is refused unless ``--force``); ``--search`` searches every trace instead. Several wells
share one Ricker and one polarity (the ones that tie best summed over the wells,
:func:`~impedance_sklearn.welltie.tie_wells`) and a per-well QC table is printed. Each tied
well is written as a tie CSV (``# key: value`` lines saying where the well is, then
``time_ms;seismic;impedance`` on the survey's time axis) that ``load_well`` and ``train
--wells`` read. A tie no better than its null test is refused with the reason, and nothing is
written for it (exit status 1), unless ``--force``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from impedance_sklearn.cli._common import PROG, UsageError, check_output, plural, require_input
from impedance_sklearn.cli._wells import add_well_time_options, load_cli_well


def register(sub, fmt):
    p = sub.add_parser("tie", formatter_class=fmt, help="tie wells to a survey",
                       description="Tie wells to the seismic: place each at its trace (the "
                                   "LAS header's X/Y, --well-xy, --well-location, or --search), "
                                   "find the polarity, the wavelet's band, a bulk shift and a "
                                   "strain-limited drift; write each tied well as a tie CSV.\n\n"
                                   "  impedance-sklearn tie --well W.las --survey S.sgy "
                                   "--time-depth W_checkshot.txt --out W_tie.csv\n"
                                   "  impedance-sklearn tie --well A.las B.las --time-depth "
                                   "A.txt B.txt --survey S.sgy --out A.csv B.csv")
    p.add_argument("--well", required=True, nargs="+", metavar="WELL",
                   help="LAS logs or tie CSVs (several: one wavelet and polarity for all)")
    p.add_argument("--survey", required=True, metavar="CUBE", help="SEG-Y line or cube")
    where = p.add_argument_group("where each well is (default: the LAS header's X/Y against "
                                 "the traces' CDP X/Y)")
    where.add_argument("--well-location", nargs=2, type=int, action="append",
                       metavar=("INLINE", "CROSSLINE"), help="a well's trace (one per well, "
                       "in order)")
    where.add_argument("--well-xy", nargs=2, type=float, action="append", metavar=("X", "Y"),
                       help="a well's map position, overriding its header (one per well)")
    where.add_argument("--max-distance", type=float, metavar="M",
                       help="the farthest a well may be from its trace (default 2.5 trace "
                            "spacings); --force takes the nearest trace at any distance")
    where.add_argument("--search", action="store_true",
                       help="search every trace of the survey for the well (one well)")
    add_well_time_options(p)
    g = p.add_argument_group("the tie")
    g.add_argument("--max-shift", type=float, default=60.0, metavar="MS",
                   help="largest bulk shift searched, ms (default 60)")
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
    g.add_argument("--frequency", type=float, metavar="HZ",
                   help="tie with a Ricker of this peak frequency (default: the one of 15-60 Hz "
                        "that ties best)")
    g.add_argument("--polarity", choices=("auto", "normal", "reversed"), default="auto",
                   help="the seismic's polarity (default: found, and tested against the null)")
    p.add_argument("--out", required=True, nargs="+", metavar="TIE.csv",
                   help="the tied wells (one per well, in order)")
    p.add_argument("--figure", nargs="+", metavar="TIE.png", help="QC figures (one per well)")
    p.add_argument("--force", action="store_true",
                   help="overwrite outputs; write a tie no better than its null test; take a "
                        "well's nearest trace however far")
    p.set_defaults(func=run)


def write_tie_csv(path, time, seismic, impedance, location=None):
    """The tie CSV (:func:`impedance_sklearn.io.wells.write_tie`)."""
    from impedance_sklearn.io.wells import write_tie

    write_tie(path, time, seismic, impedance, location=location)


def _per_well(values, n, option):
    if values is None:
        return [None] * n
    if len(values) != n:
        raise UsageError(f"{plural(len(values), option)} for {plural(n, 'well')}: give one per "
                         "well, in order.")
    return list(values)


def place_well(well, survey, *, location=None, xy=None, max_distance=None, force=False):
    """Where a well is on the survey: a dict with ``trace`` (index) and what says so (inline,
    crossline, x, y, distance_m); UsageError when it cannot be placed."""
    from impedance_sklearn.io.geometry import has_coordinates, locate_well

    heads = survey.segy
    inl, xl = heads.inlines, heads.crosslines
    name = well.get("name", "the well")
    if location is not None:
        il, x = location
        hit = np.flatnonzero((inl == il) & (xl == x))
        if hit.size == 0:
            raise UsageError(f"inline {il}, crossline {x} is outside the survey: it has inlines "
                             f"{inl.min()}-{inl.max()}, crosslines {xl.min()}-{xl.max()}.")
        return {"trace": int(hit[0]), "inline": int(il), "crossline": int(x), "how": "given"}
    if xy is None:
        rec = well.get("location") or {}
        if "trace" in rec and well.get("kind") == "tie":
            return {k: rec[k] for k in ("trace", "inline", "crossline", "x", "y", "distance_m")
                    if k in rec} | {"how": "from the tie file"}
        if "x" in rec and "y" in rec:
            xy = (rec["x"], rec["y"])
    if xy is None:
        raise UsageError(f"{name}: the file gives no map coordinates and no location was given: "
                         "pass --well-xy X Y, --well-location INLINE CROSSLINE, or --search to "
                         "search every trace.")
    if not has_coordinates(heads):
        raise UsageError(f"{name} is at x={xy[0]:g}, y={xy[1]:g}, but the survey's traces carry "
                         "no coordinates (CDP X/Y): pass --well-location INLINE CROSSLINE.")
    try:
        hit = locate_well(heads, *xy, max_distance=np.inf if force else max_distance, name=name)
    except ValueError as exc:
        raise UsageError(str(exc).replace("pass a larger max_distance= (--force on the command "
                                          "line)", "pass --max-distance M or --force")) from None
    return {"trace": hit.index, "inline": hit.inline, "crossline": hit.crossline,
            "x": float(xy[0]), "y": float(xy[1]), "distance_m": round(hit.distance, 1),
            "how": f"nearest by CDP X/Y, {hit.distance:.1f} m away"}


def _refusal(name, tie, args):
    c = tie.correlation
    return (f"{PROG} tie: error: {name} does not tie: its best correlation, {c['bulk']:.2f} "
            f"(polarity {tie.polarity:+d}, Ricker {tie.frequency:g} Hz, shift "
            f"{tie.shift * 1e3:+.0f} ms), is no better than chance, {tie.null:.2f} for the same "
            f"search with the synthetic displaced by 0.2-0.6 s: the log matches this trace at no "
            f"shift within +-{args.max_shift:g} ms. Check the time-depth table (or "
            "--time-at-top), the well's location, and the logged interval; --force writes it "
            "anyway.")


def run(args):
    from impedance_sklearn.io import read_traces
    from impedance_sklearn.io._files import atomic_path
    from impedance_sklearn.welltie import tie_well, tie_wells

    survey_path = require_input(args.survey, "survey")
    n = len(args.well)
    outs = [check_output(o, args.force, sources=[survey_path])
            for o in _per_well(args.out, n, "--out")]
    if len({str(Path(o).resolve()) for o in outs}) != n:
        raise UsageError("--out names the same file twice: give one tie file per well.")
    figs = [check_output(f, args.force, sources=[survey_path]) if f else None
            for f in _per_well(args.figure, n, "--figure")] if args.figure else [None] * n
    locations = _per_well(args.well_location, n, "--well-location")
    xys = _per_well(args.well_xy, n, "--well-xy")
    if args.search and n > 1:
        raise UsageError("--search searches the survey for one well; place several with their "
                         "coordinates or --well-location.")
    wells = [load_cli_well(path, args, index=i) for i, path in enumerate(args.well)]
    survey = read_traces(survey_path)
    if survey.dt is None or survey.segy is None:
        raise UsageError(f"survey {args.survey!r} must be a SEG-Y with a sampling interval.")
    places = [None] * n if args.search else [
        place_well(w, survey, location=loc, xy=xy, max_distance=args.max_distance,
                   force=args.force) for w, loc, xy in zip(wells, locations, xys)]
    kw = {"max_shift": args.max_shift * 1e-3, "max_drift": args.max_drift * 1e-3,
          "max_strain": args.max_strain, "window": args.window * 1e-3, "drift": args.drift}
    polarity = {"auto": "auto", "normal": 1, "reversed": -1}[args.polarity]
    try:
        if n > 1 and args.frequency is None and polarity == "auto":
            shared = tie_wells(wells, survey.X, survey.time, [p["trace"] for p in places], **kw)
            ties = shared.ties
        else:
            shared = None
            ties = [tie_well(w, survey.X, survey.time,
                             position=None if p is None else p["trace"],
                             frequency=args.frequency, polarity=polarity, **kw)
                    for w, p in zip(wells, places)]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    inl, xl = survey.segy.inlines, survey.segy.crosslines
    if shared is not None:
        print(f"{plural(n, 'well')} on {Path(args.survey).name}: one Ricker ({shared.frequency:g}"
              f" Hz) and polarity ({shared.polarity:+d}) for all, the ones that tie best summed "
              "over the wells")
    status = 0
    rows = []
    for i, (path, well, tie, place) in enumerate(zip(args.well, wells, ties, places)):
        c = tie.correlation
        name = well.get("name") or Path(path).stem
        where = f"inline {inl[tie.position]}, crossline {xl[tie.position]}"
        how = place["how"] if place else f"searched, {len(inl)} traces"
        print(f"{name} ({Path(path).name}): trace {tie.position} ({where}; {how})")
        print(f"  polarity {tie.polarity:+d}{' (found)' if polarity == 'auto' else ''}; "
              f"Ricker {tie.frequency:g} Hz; bulk shift {tie.shift * 1e3:+.1f} ms; drift "
              f"{tie.drift.shift.min() * 1e3:+.1f} to {tie.drift.shift.max() * 1e3:+.1f} ms "
              f"(interval velocities change by up to {100 * tie.velocity_change:.1f} %)")
        print(f"  correlation: {c['before']:.2f} before, {c['bulk']:.2f} after the bulk shift "
              f"(null test: at most {tie.null:.2f}), {c['after']:.2f} after the drift, "
              f"{c['after_wavelet']:.2f} with its own estimated wavelet"
              + (f", {shared.shared_correlation[i]:.2f} with the shared one" if shared else "")
              + f"; tied log {tie.window[0]:.3f}-{tie.window[1]:.3f} s")
        rows.append((name, tie, shared.shared_correlation[i] if shared else None))
        if not tie.confident and not args.force:
            print(_refusal(name, tie, args), file=sys.stderr)
            status = 1
            continue
        a = tie.on_axis
        m = a.mask & np.isfinite(a.impedance)
        location = {"well": name, **{k: v for k, v in (place or {}).items() if k != "how"},
                    "trace": int(tie.position), "inline": int(inl[tie.position]),
                    "crossline": int(xl[tie.position]), "survey": Path(args.survey).name,
                    "polarity": tie.polarity}
        with atomic_path(outs[i], overwrite=args.force) as tmp:
            write_tie_csv(tmp, survey.time[m], tie.trace[m], a.impedance[m], location)
        print(f"wrote {outs[i]} ({int(m.sum())} samples)")
        if figs[i] is not None:
            from impedance_sklearn.plotting import save_figure
            from impedance_sklearn.plotting.tie import plot_tie

            save_figure(plot_tie(tie, survey.time, title=f"{name}: {where}"), figs[i],
                        overwrite=args.force)
            print(f"wrote {figs[i]}")
    if n > 1:
        print("\nwell       r bulk   null   r drift  r shared  shift ms  drift ms      tie")
        for name, tie, r_shared in rows:
            verdict = "accepted" if tie.confident else ("forced" if args.force else "refused")
            print(f"{name:<9} {tie.correlation['bulk']:6.2f} {tie.null:6.2f} "
                  f"{tie.correlation['after']:8.2f} {r_shared:9.2f} {tie.shift * 1e3:+9.1f} "
                  f"{tie.drift.shift.min() * 1e3:+5.0f}..{tie.drift.shift.max() * 1e3:+.0f}"
                  f"  {verdict:>9}")
    return status
