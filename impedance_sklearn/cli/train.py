"""``impedance-sklearn train``: fit an estimator on a data file, or on wells and a survey."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
from sklearn.utils.validation import has_fit_parameter

from impedance_sklearn.cli._common import (
    PROG,
    UsageError,
    add_data_options,
    add_output_options,
    add_threads_option,
    check_output,
    echo,
    fit_with_progress,
    is_skorch,
    jsonable,
    make_estimator,
    parse_params,
    plural,
    predict_with_progress,
    read_data,
    require_input,
    save_model,
    set_threads,
    sidecar_path,
    versions,
)
from impedance_sklearn.cli._wells import add_well_time_options, load_cli_well
from impedance_sklearn.estimators import ESTIMATORS
from impedance_sklearn.io.pairs import DEFAULT_WINDOW_S


def register(sub, fmt):
    p = sub.add_parser("train", formatter_class=fmt,
                       help="fit an estimator on a data file, or on wells and a survey",
                       description="Fit an estimator and save it as MODEL (a safe model file: "
                                   "data only, no code) plus MODEL.json (parameters, what it was "
                                   "trained on, training scores, versions).\n\n"
                                   "  --data FILE                      labelled traces\n"
                                   "  --wells W.csv|W.las ... --survey CUBE.sgy\n"
                                   "                                   wells tied to a survey")
    src = p.add_argument_group("training data (--data, or --wells with --survey)")
    src.add_argument("--data", metavar="FILE", help=".mat, .npz, .npy or SEG-Y with impedance")
    src.add_argument("--wells", nargs="+", metavar="WELL", help="well ties (.csv: time; seismic; "
                     "impedance) or LAS logs; pairs of the survey's trace length are taken at "
                     "every position along each well")
    src.add_argument("--survey", metavar="CUBE", help="the SEG-Y survey the wells belong to: "
                     "its sampling and trace length; unlabelled traces for estimators whose fit takes X_unlabeled")
    src.add_argument("--well-location", nargs=2, type=int, action="append",
                     metavar=("INLINE", "CROSSLINE"), help="where a well is in the survey (one "
                     "per well, in order): the survey trace there is its seismic (needed for LAS "
                     "wells; a tie's own seismic is used otherwise)")
    add_well_time_options(p)
    win = p.add_argument_group("windows and background (logs shorter than the traces)")
    win.add_argument("--window", type=int, metavar="N", help="train on windows of N samples "
                     "(with --wells: inside each logged interval, every start; default "
                     f"{DEFAULT_WINDOW_S * 1e3:g} ms of samples, 64 at 4 ms, or the shortest "
                     "logged interval or trace if shorter); the model then predicts traces of "
                     "any length >= N by overlap-add (WindowedRegressor)")
    win.add_argument("--no-background", action="store_true", help="with --wells: no "
                     "low-frequency model (by default a robust straight line of ln Z in time is "
                     "fitted to each log, interpolated between the wells, and the model learns "
                     "the impedance relative to it)")
    win.add_argument("--background-time-axis", choices=["linear", "log"], default="linear",
                     help="with --wells: the background's trend is a straight line of ln Z "
                     "against two-way time (linear: exponential in time) or against ln t (log: a "
                     "power law of time, flattening with depth; LowFrequencyModel(time_axis=))")
    p.add_argument("--model", default="cnn", choices=list(ESTIMATORS))
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="estimator parameter, value a Python literal (repeatable), e.g. "
                        "--param max_epochs=50 --param kernel_size=101")
    p.add_argument("--random-state", type=int, default=0, metavar="SEED",
                   help="seed of every random_state the estimator has (default 0: the same "
                        "command twice gives the same model); --param random_state=... wins")
    p.add_argument("--out", required=True, metavar="MODEL", help="output model file")
    p.add_argument("--force", action="store_true", help="overwrite MODEL and MODEL.json")
    add_threads_option(p)
    add_data_options(p)
    add_output_options(p)
    p.set_defaults(func=run)


@contextlib.contextmanager
def _interrupts_raise():
    """skorch ends training quietly on Ctrl-C (KeyboardInterrupt); record it so that the
    command stops with exit status 130 instead of saving a half-trained model."""
    seen = []
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return

    def handler(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)
    if seen:
        raise KeyboardInterrupt


def _survey_pairs(args):
    """Training windows from --wells and --survey
    (:func:`impedance_sklearn.io.pairs.survey_well_windows`), with the survey and a
    description; the library's errors become usage errors."""
    from impedance_sklearn.io import read_traces
    from impedance_sklearn.io.pairs import survey_well_windows

    if args.survey is None:
        raise UsageError("--wells needs --survey CUBE.sgy: the pairs take its sampling and trace "
                         "length.")
    if args.window is not None and args.window < 1:
        raise UsageError(f"--window must be a positive number of samples, got {args.window}.")
    survey = read_traces(require_input(args.survey, "survey"))
    locations = args.well_location or None
    if locations and len(locations) != len(args.wells):
        raise UsageError(f"{plural(len(locations), '--well-location')} for "
                         f"{plural(len(args.wells), 'well')}: give one per well, in order.")
    wells, names = [], []
    for i, path in enumerate(args.wells):
        well = load_cli_well(path, args, index=i)
        if well.get("kind") == "las":
            print(f"{PROG} train: note: {Path(path).name}'s times come from its sonic, untied; "
                  "a tie first (impedance-sklearn tie ... --out TIE.csv, then --wells TIE.csv) "
                  "corrects its shift and drift (Penobscot L-30: correlation -0.12 untied, 0.73 "
                  "tied).", file=sys.stderr)
        wells.append(well)
        names.append(Path(path).name)
    if not locations:
        locations = recorded_locations(wells, names, survey, args.survey)
    try:
        pairs = survey_well_windows(wells, survey, locations=locations, window=args.window,
                                    names=names)
    except ValueError as exc:
        msg = str(exc)
        if msg.startswith("window "):  # the option's name on the command line
            msg = "--" + msg.replace(": give a window of", ": give --window").replace(
                " samples or less.", " or less.")
        raise UsageError(msg) from exc
    notes = [f"{name}: {source}, logged {a:.4g}-{b:.4g} s"
             for name, source, (a, b) in zip(names, pairs.seismic, pairs.intervals)]
    pairs.description = (f"{plural(len(args.wells), 'well')} on the sampling of {args.survey} "
                         f"({plural(pairs.X.shape[0], 'window')} of {pairs.window} samples, "
                         f"{pairs.window * survey.dt * 1e3:g} ms); " + "; ".join(notes))
    pairs.survey = survey
    return pairs


def recorded_locations(wells, names, survey, survey_name):
    """Each well's trace as its tie file records it (``# trace:``), or None when no well records
    one; a UsageError when only some do, or the trace is not in this survey."""
    recs = [w.get("location") or {} for w in wells]
    have = ["trace" in r for r in recs]
    if not any(have):
        return None
    if not all(have):
        missing = [n for n, h in zip(names, have) if not h]
        raise UsageError(f"{', '.join(missing)} record(s) no location, and the other wells do: "
                         "give --well-location for every well, in order.")
    out = []
    for name, r in zip(names, recs):
        if r.get("survey") and r["survey"] != Path(survey_name).name:
            print(f"{PROG} train: note: {name} was tied to {r['survey']}, not "
                  f"{Path(survey_name).name}: its recorded trace {r['trace']} is used.",
                  file=sys.stderr)
        if not 0 <= int(r["trace"]) < survey.X.shape[0]:
            raise UsageError(f"{name} records trace {r['trace']}, and {survey_name!r} has "
                             f"{survey.X.shape[0]} traces: was it tied to another survey?")
        out.append(int(r["trace"]))
    return out


def background_lines(bg, lateral, survey_time):
    """What the low-frequency model fitted, one line per well."""
    lines = []
    for k in range(bg.coef_.shape[0]):
        pos = None if bg.well_positions_ is None else np.ravel(bg.well_positions_[k])
        where = "" if pos is None else (
            f" at {pos[0]:.0f} m along the line" if lateral == "distance" else
            f" at x={pos[0]:.0f}, y={pos[1]:.0f}" if lateral == "xy" else
            f" at {lateral} {bg.well_positions_[k]}")
        a, b = bg.interval_[k]
        ends = np.array([survey_time[0], a, b, survey_time[-1]])
        pos = None if bg.well_positions_ is None else bg.well_positions_[k:k + 1]
        z, sd = (np.ravel(a) for a in bg.predict(ends, pos, return_std=True))
        lines.append(
            f"background{where}: ln Z trend of degree {bg.degree} in "
            f"{'ln t' if bg.time_axis == 'log' else 'time'} ({bg.loss}) fitted to "
            f"{a:.4g}-{b:.4g} s: Z = {z[1]:.4g} -> {z[2]:.4g} there, {z[0]:.4g} at "
            f"{ends[0]:.4g} s and {z[3]:.4g} at {ends[3]:.4g} s (std of ln Z {sd[1]:.3g} inside, "
            f"{sd[0]:.3g} / {sd[3]:.3g} at the ends; scatter of the log {bg.sigma_[k]:.3g})")
    return lines


def seed_estimator(est, seed, given=()):
    """Set every ``random_state`` of ``est`` (nested ones included) that ``given`` (the
    --param names) does not name to ``seed``: a default seed, so that training is repeatable."""
    keys = [k for k in est.get_params(deep=True)
            if (k == "random_state" or k.endswith("__random_state")) and k not in given]
    if keys:
        est.set_params(**dict.fromkeys(keys, seed))
    return keys


#: The residual bulk shift (s) ColoredInversion searches at tied wells (train --wells).
TIED_LAG_S = 0.008


def _tied_lag(est, params, dt):
    """At tied wells, ColoredInversion's lag search (+-40 samples by default: 17.5 ms at the
    paper's 0.44 ms, 160 ms at 4 ms, where a shift of a period and a phase rotation fit equally
    well) is cut to +-TIED_LAG_S unless --param max_lag= is given; returns the line to print."""
    from impedance_sklearn.estimators.baselines import ColoredInversion

    if not isinstance(est, ColoredInversion) or "max_lag" in params:
        return None
    lag = max(1, int(round(TIED_LAG_S / float(dt))))
    if lag >= est.max_lag:
        return None
    est.set_params(max_lag=lag)
    return (f"ColoredInversion: lag search +-{lag} samples ({lag * float(dt) * 1e3:g} ms) at "
            "the tied wells (--param max_lag=N to change)")


def run(args):
    from impedance_sklearn.estimators.compatibility import describe_training_data
    from impedance_sklearn.estimators.lowfreq import LowFrequencyModel
    from impedance_sklearn.estimators.windowed import WindowedRegressor
    from impedance_sklearn.evaluation import format_table, scores

    set_threads(args)
    params = parse_params(args.param)
    if (args.data is None) == (args.wells is None):
        raise UsageError("give the training data: --data FILE, or --wells ... --survey CUBE.")
    inputs = [require_input(args.data, "data file")] if args.data else []
    out = check_output(args.out, args.force, sources=inputs)
    sidecar = check_output(sidecar_path(out), args.force, sources=inputs)
    est = make_estimator(args.model, params)
    seed_estimator(est, args.random_state, params)
    if args.wells is None and args.no_background:
        raise UsageError("--no-background goes with --wells (the background is fitted to the "
                         "wells' logs).")
    if is_skorch(est) and "verbose" not in params:
        est.set_params(verbose=0)  # the command shows its own progress bar
    X_unlabeled, fit_kw, extra, lag_note = None, {}, {}, None
    if args.data:
        data = read_data(args, inputs[0], need_y=True)
        X, y, dt, t0, scale, source = data.X, data.y, data.dt, data.t0, data.scale, data.path
        description = f"{plural(X.shape[0], 'trace')} x {plural(X.shape[1], 'sample')} from " \
                      f"{data.path}"
        if args.window is not None:
            if not 1 <= args.window <= X.shape[1]:
                raise UsageError(f"--window {args.window} must be between 1 and the traces' "
                                 f"{X.shape[1]} samples.")
            est = WindowedRegressor(est, window=args.window, dt=dt, t0=t0 or 0.0)
    else:
        pairs = _survey_pairs(args)
        X, y, dt, t0 = pairs.X, pairs.y, pairs.survey.dt, pairs.survey.t0
        X_unlabeled, description, source = pairs.survey.X, pairs.description, pairs.survey.path
        scale = 1.0
        lag_note = _tied_lag(est, params, dt)
        est = WindowedRegressor(est, window=pairs.window, dt=dt, t0=t0,
                                background=None if args.no_background else
                                LowFrequencyModel(time_axis=args.background_time_axis))
        fit_kw = {"t0": pairs.t0, "positions": pairs.positions}
        extra = {"window_samples": pairs.window, "lateral": pairs.lateral,
                 "n_wells": len(args.wells)}
    inner = getattr(est, "estimator", None)
    kernel = getattr(inner, "kernel_size", None)
    if isinstance(est, WindowedRegressor) and kernel is not None and kernel > est.window:
        raise UsageError(f"the CNN's kernel ({kernel} samples) is longer than the training "
                         f"windows ({est.window} samples): pass --param kernel_size=N with N <= "
                         f"{est.window} (31 suits 64-sample windows at 4 ms), or a longer "
                         "--window.")
    echo(args, f"training {type(est).__name__} on {description}")
    if lag_note:
        echo(args, lag_note)
    t_start = time.perf_counter()
    with _interrupts_raise():
        if isinstance(est, WindowedRegressor):
            if X_unlabeled is not None and has_fit_parameter(est.estimator, "X_unlabeled"):
                fit_kw["X_unlabeled"] = X_unlabeled  # the survey, for estimators that use it
            est.fit(X, y, **fit_kw)
        else:
            fit_with_progress(est, X, y, quiet=args.quiet)
    fit_s = time.perf_counter() - t_start
    if fit_kw:
        pred = est.predict(X, t0=fit_kw["t0"], positions=fit_kw["positions"])
    else:
        pred = predict_with_progress(est, X, quiet=args.quiet)
    train_scores = scores(y, pred)
    fitted = []
    if isinstance(est, WindowedRegressor) and est.background_ is not None:
        fitted = background_lines(est.background_, extra.get("lateral"),
                                  t0 + dt * np.arange(X_unlabeled.shape[1]))
        for line in fitted:
            echo(args, line)
    elif args.wells:
        echo(args, "no background (--no-background): the model predicts the impedance itself")
    info = describe_training_data(X, y, dt=dt, t0=t0, scale=scale, source=source)
    if isinstance(est, WindowedRegressor):
        # traces of any length >= the window: no trace length to compare a survey with
        info.update(n_samples=None, **extra)
    meta = {
        "model": args.model,
        "estimator": f"{type(est).__module__}.{type(est).__qualname__}",
        "params": jsonable(est.get_params(deep=False)),
        "training_data": {**info, "description": description, "background": fitted},
        "training_scores": train_scores,
        "fit_time_s": round(fit_s, 3),
        "versions": versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    save_model(est, out, sidecar, meta, force=args.force, sources=inputs)
    # the result: printed even with --quiet
    name = type(est).__name__
    if isinstance(est, WindowedRegressor):
        name = f"{name}({type(est.estimator_).__name__})"
    print(format_table([{"set": "train", "model": name, **train_scores,
                         "fit_s": fit_s}]), flush=True)
    echo(args, f"saved {out} and {sidecar}")
    return 0
