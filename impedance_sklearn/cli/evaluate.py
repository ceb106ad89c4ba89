"""``impedance-sklearn evaluate``: score a model on a labelled data file."""

from __future__ import annotations

import time
from pathlib import Path

from impedance_sklearn.cli._common import (
    UsageError,
    add_data_options,
    add_model_options,
    add_output_options,
    add_threads_option,
    check_output,
    check_survey,
    echo,
    load_model,
    predict_with_progress,
    read_data,
    set_threads,
)

FIGURES = ("traces.png", "errors.png")


def register(sub, fmt):
    p = sub.add_parser("evaluate", help="score a model on a labelled data file",
                       description="Print the paper's metrics (mean per-trace Pearson, relative "
                                   "L2 and L1, MAE, RMSE) and the pooled r2; optional figures. "
                                   "The model may be a saved model, the paper's state_dict or a "
                                   "pretrained name.")
    add_model_options(p)
    p.add_argument("--data", required=True, metavar="FILE")
    p.add_argument("--figures", metavar="DIR", help="write traces.png and errors.png here")
    p.add_argument("--match-amplitude", action="store_true", help="scale the input to the RMS "
                   "amplitude of the model's training seismic")
    p.add_argument("--force", action="store_true", help="overwrite figures; evaluate despite a "
                   "mismatch with the model's training data")
    add_threads_option(p)
    add_data_options(p)
    add_output_options(p)
    p.set_defaults(func=run)


def run(args):
    from impedance_sklearn import metrics
    from impedance_sklearn.evaluation import format_table, scores

    set_threads(args)
    fig_dir = None
    if args.figures is not None:  # checked before any work (nothing printed, then refused)
        fig_dir = Path(args.figures)
        if fig_dir.exists() and not fig_dir.is_dir():
            raise UsageError(f"--figures {str(fig_dir)!r} exists and is not a folder.")
        for name in FIGURES if fig_dir.exists() else ():
            check_output(fig_dir / name, args.force)
    est = load_model(args.model, trust=args.trust)
    data = read_data(args, args.data, need_y=True)
    factor = check_survey(args, est, data.X, dt=data.dt, t0=data.t0, resample=False)
    X = data.X if factor == 1.0 else data.X * factor
    t0 = time.perf_counter()
    pred = predict_with_progress(est, X, quiet=args.quiet)
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
    if fig_dir is not None:
        from impedance_sklearn import plotting

        fig_dir.mkdir(parents=True, exist_ok=True)
        dt = data.dt or (getattr(est, "training_info_", None) or {}).get("dt")
        label = (plotting.IMPEDANCE_LABEL if data.scale in (1.0, 1e6)
                 else f"Impedance (file units / {data.scale:g})")
        fig = plotting.plot_traces(y, pred, X=X, n_traces=4, dt=dt, impedance_label=label,
                                   title=f"{row['set']}: {row['model']} (black: true)")
        plotting.save_figure(fig, fig_dir / FIGURES[0], overwrite=True)
        per_trace = {row["set"]: {"Pearson": metrics.trace_pcc(y, pred, per_trace=True),
                                  "relative L2": metrics.relative_l2(y, pred, per_trace=True)}}
        plotting.save_figure(plotting.plot_error_distributions(
            per_trace, title=f"{row['model']} on {row['set']}: per-trace scores"),
            fig_dir / FIGURES[1], overwrite=True)
        echo(args, f"figures written to {fig_dir}/ ({', '.join(FIGURES)})")
    return 0
