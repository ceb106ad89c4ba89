"""``impedance-sklearn train``: fit an estimator on a data file and save it."""

from __future__ import annotations

import json
import time
from pathlib import Path

from impedance_sklearn.cli._common import (
    add_data_options,
    add_output_options,
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
    sidecar_path,
    versions,
)
from impedance_sklearn.estimators import ESTIMATORS


def register(sub, fmt):
    p = sub.add_parser("train", help="fit an estimator on a data file and save it",
                       description="Fit an estimator and save it with joblib, plus MODEL.json "
                                   "(parameters, data shape, training scores, versions).")
    p.add_argument("--data", required=True, metavar="FILE", help=".mat, .npz, .npy or SEG-Y")
    p.add_argument("--model", default="cnn", choices=list(ESTIMATORS))
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="estimator parameter, value a Python literal (repeatable), e.g. "
                        "--param max_epochs=50 --param kernel_size=101")
    p.add_argument("--out", required=True, metavar="MODEL", help="output model file (.joblib)")
    p.add_argument("--force", action="store_true", help="overwrite MODEL and MODEL.json")
    add_data_options(p)
    add_output_options(p)
    p.set_defaults(func=run)


def run(args):
    import joblib

    from impedance_sklearn.evaluation import format_table, scores
    from impedance_sklearn.io._files import atomic_paths

    params = parse_params(args.param)
    data_path = require_input(args.data, "data file")
    out = check_output(args.out, args.force, sources=[data_path])
    sidecar = check_output(sidecar_path(out), args.force, sources=[data_path])
    est = make_estimator(args.model, params)
    if is_skorch(est) and "verbose" not in params:
        est.set_params(verbose=0)  # the command shows its own progress bar
    data = read_data(args, data_path, need_y=True)
    echo(args, f"training {type(est).__name__} on {plural(data.X.shape[0], 'trace')} x "
               f"{plural(data.X.shape[1], 'sample')} from {data.path}")
    t0 = time.perf_counter()
    fit_with_progress(est, data.X, data.y, quiet=args.quiet)
    fit_s = time.perf_counter() - t0
    train_scores = scores(data.y, predict_with_progress(est, data.X, quiet=args.quiet))
    meta = {
        "model": args.model,
        "estimator": f"{type(est).__module__}.{type(est).__qualname__}",
        "params": jsonable(est.get_params(deep=False)),
        "data": {"path": str(Path(data.path).resolve()), "kind": data.kind,
                 "n_traces": int(data.X.shape[0]),
                 "n_samples": int(data.X.shape[1]),
                 "n_impedance_samples": int(data.y.shape[1]) if data.y.ndim == 2 else 1,
                 "scale": data.scale, **data.metadata},
        "training_scores": train_scores,
        "fit_time_s": round(fit_s, 3),
        "versions": versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    with atomic_paths([out, sidecar], overwrite=args.force, sources=[data_path]) as (tmp, tmp_j):
        joblib.dump(est, tmp)
        tmp_j.write_text(json.dumps(meta, indent=2) + "\n")
    # the result: printed even with --quiet
    print(format_table([{"set": "train", "model": type(est).__name__, **train_scores,
                         "fit_s": fit_s}]), flush=True)
    echo(args, f"saved {out} and {sidecar}")
    return 0
