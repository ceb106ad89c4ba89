"""``impedance-sklearn blind``: leave each well out in turn, for every model named.

For each blind well every model is trained on the other wells' windows (as ``train --wells``
trains it: a low-frequency background interpolated between the training wells along the line,
by map distance on a cube) and scored over the blind log's measured interval
(:func:`impedance_sklearn.evaluation.blind.leave_one_well_out`): band PCC (8-60 Hz), raw PCC
and relative L2, beside the background alone and the bound (the blind log's own 8-60 Hz band
on that background). ``--figure`` draws the section predicted by the first model trained on
every well, with the wells drawn in, and each blind prediction beside its log.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from impedance_sklearn.cli._common import (
    PROG,
    UsageError,
    add_output_options,
    add_threads_option,
    check_output,
    echo,
    is_skorch,
    make_estimator,
    plural,
    require_input,
    set_threads,
)
from impedance_sklearn.cli._wells import add_well_time_options, load_cli_well
from impedance_sklearn.estimators import ESTIMATORS

#: The models ``blind`` compares when none are named: the classical inversions first, then the
#: learned ones (FewWellsRegressor with its CNN is the recommended one for several wells).
DEFAULT_MODELS = ("colored", "model-based", "few-wells-ridge", "few-wells")


def register(sub, fmt):
    p = sub.add_parser("blind", formatter_class=fmt, help="blind-well validation: leave each "
                       "well out in turn", description=__doc__.split("\n\n")[0] + "\n\n"
                       "  impedance-sklearn blind --wells A.csv B.csv C.csv --survey S.sgy "
                       "--figure blind.png")
    p.add_argument("--wells", required=True, nargs="+", metavar="WELL",
                   help="tied wells (tie CSVs written by impedance-sklearn tie record where "
                        "each well is), at least 2")
    p.add_argument("--survey", required=True, metavar="CUBE", help="the SEG-Y they belong to")
    p.add_argument("--well-location", nargs=2, type=int, action="append",
                   metavar=("INLINE", "CROSSLINE"), help="where each well is (one per well, in "
                   "order), when the tie files do not record it")
    add_well_time_options(p)
    p.add_argument("--models", nargs="+", choices=list(ESTIMATORS), default=list(DEFAULT_MODELS),
                   metavar="MODEL", help="registry names (default: "
                   f"{' '.join(DEFAULT_MODELS)}; choices: {', '.join(ESTIMATORS)})")
    p.add_argument("--window", type=int, metavar="N", help="training windows of N samples "
                   "(default 256 ms of samples, 64 at 4 ms)")
    p.add_argument("--background-time-axis", choices=["linear", "log"], default="linear",
                   help="the background's trend: ln Z against time, or against ln t")
    p.add_argument("--random-state", type=int, default=0, metavar="SEED",
                   help="seed of every model (default 0: the same command gives the same table)")
    p.add_argument("--out", metavar="TABLE.md", help="write the table (Markdown; a CSV beside "
                   "it)")
    p.add_argument("--figure", metavar="PNG", help="the section with the wells drawn in and "
                   "each blind prediction beside its log")
    p.add_argument("--force", action="store_true", help="overwrite outputs")
    add_threads_option(p)
    add_output_options(p)
    p.set_defaults(func=run)


def windowed_estimator(name, window, dt, seed, params=None):
    """The registry's estimator as ``train --wells`` uses it on windows: seeded, the CNN's
    kernel cut to fit the window, ColoredInversion's lag search cut to the tied wells'."""
    from impedance_sklearn.cli.train import _tied_lag, seed_estimator

    params = dict(params or {})
    if name == "cnn" and "kernel_size" not in params:
        params["kernel_size"] = min(31, window) | 1 if window > 1 else 1
    est = make_estimator(name, params)
    seed_estimator(est, seed, params)
    _tied_lag(est, params, dt)
    if is_skorch(est):
        est.set_params(verbose=0)
    return est


def blind_table(rows):
    """The table as the issue reads it: one row per model (the background and the bound first),
    one column per blind well, each cell band PCC / raw PCC / rel. L2."""
    from impedance_sklearn.evaluation import format_table

    wells = list(dict.fromkeys(r["well"] for r in rows))
    models = list(dict.fromkeys(r["model"] for r in rows))
    cells = {(r["well"], r["model"]): f"{r['band_pcc']:.2f} / {r['raw_pcc']:.2f} / "
             f"{r['rel_l2']:.3f}" for r in rows}
    table = [{"model": m, **{w: cells.get((w, m), "") for w in wells}} for m in models]
    columns = [("model", "model", "{}")] + [(w, f"{w} blind", "{}") for w in wells]
    return format_table(table, columns) + ("\n\neach cell: band PCC (8-60 Hz) / raw PCC / "
                                           "rel. L2, over the blind log's interval")


def run(args):
    import warnings

    from sklearn.utils.validation import has_fit_parameter

    from impedance_sklearn.cli.train import recorded_locations
    from impedance_sklearn.estimators.lowfreq import LowFrequencyModel
    from impedance_sklearn.evaluation.blind import leave_one_well_out
    from impedance_sklearn.io import read_traces
    from impedance_sklearn.io._files import write_text

    set_threads(args)
    if len(args.wells) < 2:
        raise UsageError(f"blind-well validation needs at least 2 wells, got {len(args.wells)}.")
    survey_path = require_input(args.survey, "survey")
    out = check_output(args.out, args.force, sources=[survey_path]) if args.out else None
    fig_path = check_output(args.figure, args.force, sources=[survey_path]) if args.figure \
        else None
    survey = read_traces(survey_path)
    if survey.dt is None or survey.segy is None:
        raise UsageError(f"survey {args.survey!r} must be a SEG-Y with a sampling interval.")
    wells = [load_cli_well(p, args, index=i) for i, p in enumerate(args.wells)]
    names = [w.get("name") or Path(p).stem for w, p in zip(wells, args.wells)]
    if args.well_location:
        if len(args.well_location) != len(wells):
            raise UsageError(f"{plural(len(args.well_location), '--well-location')} for "
                             f"{plural(len(wells), 'well')}: give one per well, in order.")
        locations = [tuple(loc) for loc in args.well_location]
    else:
        locations = recorded_locations(wells, names, survey, args.survey)
        if locations is None:
            raise UsageError("the wells record no location: tie them first (impedance-sklearn "
                             "tie ... --out TIE.csv) or give --well-location for each.")
    from impedance_sklearn.io.pairs import survey_well_windows

    try:
        window = survey_well_windows(wells, survey, locations=locations, window=args.window,
                                     names=names).window
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    models = {m: windowed_estimator(m, window, survey.dt, args.random_state)
              for m in args.models}
    fit_params = {m: {"X_unlabeled": survey.X} for m, e in models.items()
                  if has_fit_parameter(e, "X_unlabeled")}
    echo(args, f"leaving each of {plural(len(wells), 'well')} out in turn: "
               f"{', '.join(models)} on {window}-sample windows of {args.survey}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = leave_one_well_out(models, wells, survey, locations, window=window,
                                     background=LowFrequencyModel(
                                         time_axis=args.background_time_axis),
                                     names=names, fit_params=fit_params)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    table = blind_table(res.rows)
    print(table, flush=True)
    if out is not None:
        from impedance_sklearn.evaluation import write_csv

        write_text(f"# Blind wells on {Path(args.survey).name}\n\n{table}\n", out,
                   overwrite=args.force)
        write_csv(res.rows, out.with_suffix(".csv"))
        echo(args, f"wrote {out} and {out.with_suffix('.csv')}")
    if fig_path is not None:
        _figure(args, res, survey, wells, names, models, window, fit_params,
                fig_path)
    return 0


def _figure(args, res, survey, wells, names, models, window, fit_params, path):
    """The first model trained on every well predicts the line; the section with the logs, and
    each blind prediction beside its log."""
    import warnings

    from sklearn.base import clone

    from impedance_sklearn.estimators.lowfreq import LowFrequencyModel
    from impedance_sklearn.estimators.windowed import WindowedRegressor
    from impedance_sklearn.io.pairs import survey_positions
    from impedance_sklearn.plotting import save_figure
    from impedance_sklearn.plotting.sections import plot_blind_wells

    first = next(iter(models))
    pairs = res.pairs
    w = WindowedRegressor(clone(models[first]), window=window, dt=survey.dt,
                          t0=float(survey.t0 or 0.0),
                          background=LowFrequencyModel(time_axis=args.background_time_axis))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w.fit(pairs.X, pairs.y, t0=pairs.t0, positions=pairs.positions,
              **fit_params.get(first, {}))
        positions = None if pairs.lateral is None else survey_positions(pairs.lateral,
                                                                        survey.segy)
        section = w.predict(survey.X, t0=float(survey.t0 or 0.0), positions=positions)
    from impedance_sklearn.io.wells import well_on_time_axis

    x = positions if positions is not None and np.ndim(positions) == 1 else \
        np.arange(survey.X.shape[0], dtype=float)
    logs = []
    for name, well, row in zip(names, wells, pairs.well_traces):
        a = well_on_time_axis(well, survey.time)
        m = a.mask & np.isfinite(a.impedance)
        logs.append((name, float(x[row]), survey.time[m], a.impedance[m]))
    fig = plot_blind_wells(section, survey.time, x, logs, res.predictions, list(models),
                           xlabel="distance along the line (m)" if pairs.lateral == "distance"
                           else (pairs.lateral or "trace"),
                           title=f"{first} trained on every well, {Path(args.survey).name}")
    save_figure(fig, path, overwrite=args.force)
    echo(args, f"wrote {path}")
    print(f"{PROG} blind: the section is {first} trained on every well (in-sample at the "
          "wells); the panels are blind", file=sys.stderr)
