"""``impedance-sklearn benchmark``: ImpedanceCNN against the baselines; tables and a plot."""

from __future__ import annotations

import argparse
from pathlib import Path

from impedance_sklearn.cli._common import (
    UsageError,
    add_data_options,
    add_output_options,
    add_threads_option,
    check_output,
    echo,
    fit_with_progress,
    log_to_stderr,
    parse_params,
    predict_with_progress,
    read_data,
    set_threads,
)
from impedance_sklearn.evaluation import CHALLENGE_RANGE, TRAIN_RANGE


def register(sub, fmt):
    p = sub.add_parser("benchmark", help="ImpedanceCNN vs the baselines: tables and a plot",
                       description="The comparison of benchmarks/compare.py: paper-like "
                                   "generated sets (or --data FILE split in train/test), fit and "
                                   "predict times, metrics; writes compare.md/.csv/.png.")
    p.add_argument("--out", default="benchmark_out", help="folder (default: benchmark_out)")
    p.add_argument("--quick", action="store_true", help="64 traces per set, 8 CNN epochs")
    p.add_argument("--force", action="store_true", help="overwrite results in --out")
    p.add_argument("--data", metavar="FILE", help="labelled data file instead of generated data")
    p.add_argument("--challenge", metavar="FILE", help="with --data: a second test file")
    p.add_argument("--test-size", type=float, default=0.5, help="with --data (default 0.5)")
    p.add_argument("--n-train", type=int, default=520)
    p.add_argument("--n-test", type=int, default=1000)
    p.add_argument("--n-challenge", type=int, default=1000)
    p.add_argument("--challenge-range", type=float, nargs=2, default=list(CHALLENGE_RANGE),
                   metavar=("LO", "HI"), help="vertical range (m) of the challenge set "
                   "(default 3 8)")
    p.add_argument("--random-state", type=int, default=0)
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="ImpedanceCNN parameter (repeatable)")
    p.add_argument("--command-text", help=argparse.SUPPRESS)  # set by benchmarks/compare.py
    add_data_options(p)
    add_threads_option(p)
    add_output_options(p)
    p.set_defaults(func=run)


def run(args):
    """Compare ImpedanceCNN with the baselines; write compare.md, compare.csv, compare.png."""
    set_threads(args)
    from impedance_sklearn import evaluation

    out = Path(args.out)
    files = [out / "compare.md", out / "compare.csv", out / "compare.png"]
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} exists and is not a folder.")
    for f in files if out.exists() else []:
        check_output(f, args.force)
    cnn_params = parse_params(args.param)
    if args.data is not None:
        from sklearn.model_selection import train_test_split

        data = read_data(args, args.data, need_y=True)
        Xtr, Xte, ytr, yte = train_test_split(data.X, data.y, test_size=args.test_size,
                                              random_state=args.random_state)
        train, tests = (Xtr, ytr), {"test": (Xte, yte)}
        if args.challenge is not None:
            chal = read_data(args, args.challenge, need_y=True, impedance=False)
            tests["challenge"] = (chal.X, chal.y)
        source = f"data {args.data} (test_size={args.test_size})"
    else:
        sizes = (64, 64, 64) if args.quick else (args.n_train, args.n_test, args.n_challenge)
        train, tests = evaluation.generated_sets(*sizes, random_state=args.random_state,
                                                 challenge_range=tuple(args.challenge_range),
                                                 log=log_to_stderr(args))
        source = (f"generated data: {sizes[0]} train / {sizes[1]} test traces "
                  f"(vertical range {TRAIN_RANGE[0]:g}-{TRAIN_RANGE[1]:g} m), {sizes[2]} challenge "
                  f"traces ({args.challenge_range[0]:g}-{args.challenge_range[1]:g} m)")
    if args.quick:
        cnn_params.setdefault("max_epochs", 8)
    command = args.command_text or "impedance-sklearn benchmark " + " ".join(
        a for a in args.argv_tail if a != "--force")
    rows = evaluation.run_benchmark(
        train, tests, out, source=source, cnn_params=cnn_params,
        random_state=args.random_state, command=command,
        fit=lambda est, X, y: fit_with_progress(est, X, y, quiet=args.quiet),
        predict=lambda est, X: predict_with_progress(est, X, quiet=args.quiet),
        log=log_to_stderr(args))
    print("\n" + evaluation.format_table(rows) + "\n", flush=True)  # printed even with --quiet
    echo(args, f"wrote {', '.join(str(f) for f in files)}")
    return 0
