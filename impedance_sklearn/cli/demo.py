"""``impedance-sklearn demo``: the CNN and the baselines on generated data; table and figures."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from impedance_sklearn.cli._common import (
    UsageError,
    add_output_options,
    add_threads_option,
    echo,
    fit_with_progress,
    log_to_stderr,
    predict_with_progress,
    set_threads,
)

#: Demo sizes: (n_train, n_valid, n_test, n_challenge, CNN epochs; None: ImpedanceCNN's
#: default). The paper: 520 training, 500 validation, 1,000 test traces.
DEMO_SIZES = {"default": (520, 200, 1000, 1000, None), "quick": (128, 32, 64, 64, 30)}
FILES = ["traces_test.png", "traces_challenge.png", "loss.png", "errors.png", "results.md",
         "results.csv", "cnn.model", "cnn.model.json"]


def register(sub, fmt):
    p = sub.add_parser("demo", formatter_class=fmt,
                       help="fit the CNN and the baselines on generated data; table and figures",
                       description="Generate Das-like data (training ranges 10-60 m, challenge "
                                   "3-8 m), fit ImpedanceCNN and the three baselines, print the "
                                   "metrics table and write the figures.")
    p.add_argument("--out", default="demo_out", help="folder for figures and tables "
                   "(default: demo_out)")
    p.add_argument("--quick", action="store_true", help="tiny sizes, under a minute")
    p.add_argument("--force", action="store_true", help="overwrite results in --out")
    p.add_argument("--random-state", type=int, default=0)
    add_threads_option(p)
    add_output_options(p)
    p.set_defaults(func=run)


def run(args):
    set_threads(args)
    import impedance_sklearn as isk
    from impedance_sklearn import evaluation, metrics, plotting
    from impedance_sklearn.cli._callbacks import ValidationLoss
    from impedance_sklearn.io._files import write_text
    from impedance_sklearn.synthetic.generator import make_impedance_dataset

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} exists and is not a folder.")
    existing = [n for n in FILES if (out / n).exists()]
    if existing and not args.force:
        raise UsageError(f"{str(out)!r} already holds demo results ({', '.join(existing)}); "
                         "use --force to overwrite them or --out another folder.")
    n_train, n_valid, n_test, n_chal, epochs = DEMO_SIZES["quick" if args.quick else "default"]
    echo(args, f"impedance-sklearn {isk.__version__} demo: Das et al. (2019) on generated data "
               f"({n_train} training traces, {n_test} test, {n_chal} challenge; "
               f"{evaluation.machine_description()})")
    t0 = time.perf_counter()
    train, tests = evaluation.generated_sets(n_train, n_test, n_chal,
                                             random_state=args.random_state,
                                             log=log_to_stderr(args))
    valid = make_impedance_dataset(n_valid, vertical_range=evaluation.TRAIN_RANGE,
                                   random_state=int(np.random.SeedSequence(args.random_state)
                                                    .generate_state(4)[3]))
    cnn_params = {"callbacks": [("valid", ValidationLoss(*valid))]}
    if epochs is not None:
        cnn_params["max_epochs"] = epochs
    ests = evaluation.default_estimators(cnn_params, random_state=args.random_state)
    epochs = ests["ImpedanceCNN"].max_epochs
    rows, fitted, preds = evaluation.compare_estimators(
        ests, train, tests,
        fit=lambda est, X, y: fit_with_progress(est, X, y, quiet=args.quiet),
        predict=lambda est, X: predict_with_progress(est, X, quiet=args.quiet),
        log=log_to_stderr(args))
    table = evaluation.format_table(rows)
    print("\n" + table + "\n", flush=True)  # the result: printed even with --quiet

    out.mkdir(parents=True, exist_ok=True)
    cnn = fitted["ImpedanceCNN"]
    for set_name, (X, y) in tests.items():
        fig = plotting.plot_traces(
            y, {m: preds[m, set_name] for m in fitted}, X=X, n_traces=4, dt=4.3875e-4)
        fig.suptitle(f"{set_name} set: true (black) and predicted impedance / 1e6")
        plotting.save_figure(fig, out / f"traces_{set_name}.png")
    plotting.save_figure(plotting.plot_loss(cnn, title="ImpedanceCNN training loss"),
                         out / "loss.png")
    cnn_preds = {"train": (train[1], np.asarray(cnn.predict(train[0])))}
    cnn_preds.update({s: (y, preds["ImpedanceCNN", s]) for s, (_, y) in tests.items()})
    scores = {s: {"Pearson": metrics.trace_pcc(y, p, per_trace=True),
                  "relative L2": metrics.relative_l2(y, p, per_trace=True)}
              for s, (y, p) in cnn_preds.items()}
    plotting.save_figure(
        plotting.plot_error_distributions(scores, title="ImpedanceCNN per-trace errors"),
        out / "errors.png")
    total = time.perf_counter() - t0
    header = (f"impedance-sklearn demo ({'quick' if args.quick else 'default'}): "
              f"{n_train} training traces, ImpedanceCNN {epochs} epochs; "
              f"{evaluation.machine_description()}; {total:.0f} s in all")
    write_text(f"{header}\n\n{table}\n", out / "results.md")
    evaluation.write_csv(rows, out / "results.csv")
    _save_cnn(cnn, train, out, args)
    echo(args, f"figures and tables written to {out}/ ({', '.join(FILES)}); "
               f"{total:.0f} s in all (data, fits, predictions, figures)")
    return 0


def _save_cnn(cnn, train, out, args):
    """The demo's CNN as ``cnn.model`` + ``cnn.model.json`` (usable by ``predict --model``)."""
    from sklearn.base import clone

    from impedance_sklearn.cli._common import jsonable, save_model, versions
    from impedance_sklearn.estimators.compatibility import describe_training_data
    from impedance_sklearn.evaluation import scores

    # the validation-loss callback holds its data set: the saved network leaves it out
    est = clone(cnn).set_params(callbacks=None)
    for key in cnn._fitted_attributes:
        if hasattr(cnn, key):
            setattr(est, key, getattr(cnn, key))
    est.initialize()
    est.module_.load_state_dict(cnn.module_.state_dict())
    X, y = train
    meta = {"model": "cnn", "estimator": "impedance_sklearn.estimators.cnn.ImpedanceCNN",
            "params": jsonable(est.get_params(deep=False)),
            "training_data": {**describe_training_data(X, y, dt=4.3875e-4, t0=24 * 4.3875e-4,
                                                       scale=1e6, source="demo"),
                              "description": f"the demo's {X.shape[0]} generated traces"},
            "training_scores": scores(y, est.predict(X)), "versions": versions()}
    model = out / "cnn.model"
    save_model(est, model, Path(str(model) + ".json"), meta, force=True, sources=())
