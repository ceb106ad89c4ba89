"""``impedance-sklearn train``: fit an estimator on a data file, or on wells and a survey."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from pathlib import Path

import numpy as np

from impedance_sklearn.cli._common import (
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
from impedance_sklearn.estimators import ESTIMATORS


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
                     "its sampling and trace length; unlabelled traces for few-wells")
    src.add_argument("--well-location", nargs=2, type=int, action="append",
                     metavar=("INLINE", "CROSSLINE"), help="where a well is in the survey (one "
                     "per well, in order): the survey trace there is its seismic (needed for LAS "
                     "wells; a tie's own seismic is used otherwise)")
    p.add_argument("--model", default="cnn", choices=list(ESTIMATORS))
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="estimator parameter, value a Python literal (repeatable), e.g. "
                        "--param max_epochs=50 --param kernel_size=101")
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
    """(X, y, X_unlabeled, dt, t0, description) from --wells and --survey."""
    from impedance_sklearn.io import load_well, read_traces, well_windows

    if args.survey is None:
        raise UsageError("--wells needs --survey CUBE.sgy: the pairs take its sampling and trace "
                         "length.")
    survey = read_traces(require_input(args.survey, "survey"))
    if survey.dt is None:
        raise UsageError(f"survey {args.survey!r} records no sampling interval (use a SEG-Y).")
    locations = args.well_location or []
    if locations and len(locations) != len(args.wells):
        raise UsageError(f"{plural(len(locations), '--well-location')} for "
                         f"{plural(len(args.wells), 'well')}: give one per well, in order.")
    n, rms = survey.X.shape[1], float(np.sqrt(np.mean(survey.X**2)))
    Xs, ys, notes = [], [], []
    for i, path in enumerate(args.wells):
        well = load_well(require_input(path, "well file"))
        if locations:
            il, xl = locations[i]
            hit = np.flatnonzero((survey.segy.inlines == il) & (survey.segy.crosslines == xl))
            if hit.size == 0:
                raise UsageError(f"no trace at inline {il}, crossline {xl} in {args.survey!r}.")
            X, y, _ = well_windows(well, survey.dt, n, seismic=survey.X[hit[0]],
                                   seismic_time=survey.time)
            notes.append(f"{Path(path).name}: survey trace at inline {il}, crossline {xl}")
        else:
            X, y, _ = well_windows(well, survey.dt, n)
            # a tie's exported seismic has its own scale and offset: de-mean, survey RMS
            X = X - X.mean()
            X = X * rms / max(float(np.sqrt(np.mean(X**2))), 1e-30)
            notes.append(f"{Path(path).name}: its own seismic, de-meaned and scaled to the "
                         "survey's RMS")
        Xs.append(X)
        ys.append(y)
    X, y = np.concatenate(Xs), np.concatenate(ys)
    description = (f"{plural(len(args.wells), 'well')} on the sampling of {args.survey} "
                   f"({plural(X.shape[0], 'window')} of {n} samples); " + "; ".join(notes))
    return X, y / survey.scale, survey.X, survey.dt, survey.t0, description, survey.path


def run(args):
    from impedance_sklearn.compatibility import describe_training_data
    from impedance_sklearn.evaluation import format_table, scores

    set_threads(args)
    params = parse_params(args.param)
    if (args.data is None) == (args.wells is None):
        raise UsageError("give the training data: --data FILE, or --wells ... --survey CUBE.")
    inputs = [require_input(args.data, "data file")] if args.data else []
    out = check_output(args.out, args.force, sources=inputs)
    sidecar = check_output(sidecar_path(out), args.force, sources=inputs)
    est = make_estimator(args.model, params)
    if is_skorch(est) and "verbose" not in params:
        est.set_params(verbose=0)  # the command shows its own progress bar
    X_unlabeled = None
    if args.data:
        data = read_data(args, inputs[0], need_y=True)
        X, y, dt, t0, scale, source = data.X, data.y, data.dt, data.t0, data.scale, data.path
        description = f"{plural(X.shape[0], 'trace')} x {plural(X.shape[1], 'sample')} from " \
                      f"{data.path}"
    else:
        X, y, X_unlabeled, dt, t0, description, source = _survey_pairs(args)
        scale = 1.0
    echo(args, f"training {type(est).__name__} on {description}")
    t_start = time.perf_counter()
    with _interrupts_raise():
        if X_unlabeled is not None and args.model == "few-wells":
            est.fit(X, y, X_unlabeled=X_unlabeled)
        else:
            fit_with_progress(est, X, y, quiet=args.quiet)
    fit_s = time.perf_counter() - t_start
    train_scores = scores(y, predict_with_progress(est, X, quiet=args.quiet))
    meta = {
        "model": args.model,
        "estimator": f"{type(est).__module__}.{type(est).__qualname__}",
        "params": jsonable(est.get_params(deep=False)),
        "training_data": {**describe_training_data(X, y, dt=dt, t0=t0, scale=scale,
                                                   source=source),
                          "description": description},
        "training_scores": train_scores,
        "fit_time_s": round(fit_s, 3),
        "versions": versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    save_model(est, out, sidecar, meta, force=args.force, sources=inputs)
    # the result: printed even with --quiet
    print(format_table([{"set": "train", "model": type(est).__name__, **train_scores,
                         "fit_s": fit_s}]), flush=True)
    echo(args, f"saved {out} and {sidecar}")
    return 0
