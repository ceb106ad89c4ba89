"""``impedance-sklearn evaluate``: score a saved model on a labelled data file."""

from __future__ import annotations

import time
from pathlib import Path

from impedance_sklearn.cli._common import (
    add_data_options,
    add_output_options,
    check_output,
    echo,
    load_model,
    predict_with_progress,
    read_data,
)


def register(sub, fmt):
    p = sub.add_parser("evaluate", help="score a saved model on a labelled data file",
                       description="Print the paper's metrics (mean per-trace Pearson, relative "
                                   "L2 and L1, MAE, RMSE) and the pooled r2; optional figures.")
    p.add_argument("--model", required=True, metavar="MODEL")
    p.add_argument("--data", required=True, metavar="FILE")
    p.add_argument("--figures", metavar="DIR", help="write traces.png and errors.png here")
    p.add_argument("--force", action="store_true", help="overwrite figures")
    add_data_options(p)
    add_output_options(p)
    p.set_defaults(func=run)


def run(args):
    from impedance_sklearn import metrics
    from impedance_sklearn.evaluation import format_table, scores

    est = load_model(args.model)
    if args.figures is not None:
        fig_dir = Path(args.figures)
        for name in ("traces.png", "errors.png") if fig_dir.exists() else ():
            check_output(fig_dir / name, args.force)
    data = read_data(args, args.data, need_y=True)
    t0 = time.perf_counter()
    pred = predict_with_progress(est, data.X, quiet=args.quiet)
    predict_s = time.perf_counter() - t0
    y = data.y
    row = {"set": Path(data.path).name, "model": type(est).__name__,
           "n_traces": int(data.X.shape[0]), **scores(y, pred),
           "rel_l1": float(metrics.relative_l1(y, pred)), "mae": float(metrics.trace_mae(y, pred)),
           "rmse": float(metrics.trace_rmse(y, pred)), "predict_s": predict_s}
    cols = [("set", "set", "{}"), ("model", "model", "{}"), ("n_traces", "traces", "{}"),
            ("pcc", "Pearson", "{:.3f}"), ("rel_l2", "rel. L2", "{:.4f}"),
            ("rel_l1", "rel. L1", "{:.4f}"), ("mae", "MAE", "{:.4g}"), ("rmse", "RMSE", "{:.4g}"),
            ("r2", "r2", "{:.3f}"), ("predict_s", "predict (s)", "{:.3f}")]
    print(format_table([row], cols))
    if args.figures is not None:
        from impedance_sklearn import plotting

        fig_dir.mkdir(parents=True, exist_ok=True)
        plotting.save_figure(plotting.plot_traces(y, pred, X=data.X, n_traces=4),
                             fig_dir / "traces.png")
        per_trace = {row["set"]: {"Pearson": metrics.trace_pcc(y, pred, per_trace=True),
                                  "relative L2": metrics.relative_l2(y, pred, per_trace=True)}}
        plotting.save_figure(plotting.plot_error_distributions(per_trace), fig_dir / "errors.png")
        echo(args, f"figures written to {fig_dir}/ (traces.png, errors.png)")
    return 0
