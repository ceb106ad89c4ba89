"""ImpedanceCNN vs TraceIntegration, ColoredInversion and ModelBasedInversion on the same splits.

Paper-like generated data by default (Das et al. 2019: 520 training traces, 1,000 test traces
from the training vertical ranges 10-60 m, plus a 1,000-trace challenge set from the hard range
3-8 m), or a user's labelled file with ``--data FILE`` (split by ``--test-size`` and
``--random-state``). For each estimator: the mean per-trace Pearson correlation and relative L2
error, the pooled r2, fit and predict times.

Writes ``benchmarks/results/compare.md``, ``compare.csv`` and ``compare.png`` (overwriting the
previous results). The same comparison is ``impedance-sklearn benchmark`` in an installed
package (both run :func:`impedance_sklearn.evaluation.run_benchmark`).

Usage::

    python benchmarks/compare.py                   # paper-like sizes, default ImpedanceCNN
    python benchmarks/compare.py --quick           # 64 traces per set, 8 epochs: a smoke test
    python benchmarks/compare.py --data seed.mat --test-size 0.5 --random-state 0
"""

import argparse
import shlex
import sys
from pathlib import Path

from impedance_sklearn import evaluation

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--data", help="labelled .mat/.npz/.npy/SEG-Y file instead of generated data")
    ap.add_argument("--test-size", type=float, default=0.5)
    ap.add_argument("--n-train", type=int, default=520)
    ap.add_argument("--n-test", type=int, default=1000)
    ap.add_argument("--n-challenge", type=int, default=1000)
    ap.add_argument("--random-state", type=int, default=0)
    args = ap.parse_args(argv)
    cnn_params = {"max_epochs": 8} if args.quick else {}
    if args.data:
        from sklearn.model_selection import train_test_split

        from impedance_sklearn.io import read_traces

        data = read_traces(args.data, need_impedance=True)
        Xtr, Xte, ytr, yte = train_test_split(data.X, data.y, test_size=args.test_size,
                                              random_state=args.random_state)
        train, tests = (Xtr, ytr), {"test": (Xte, yte)}
        source = f"data {args.data} (test_size={args.test_size})"
    else:
        sizes = (64, 64, 64) if args.quick else (args.n_train, args.n_test, args.n_challenge)
        train, tests = evaluation.generated_sets(*sizes, random_state=args.random_state)
        source = (f"generated data: {sizes[0]} train / {sizes[1]} test traces (10-60 m), "
                  f"{sizes[2]} challenge traces (3-8 m)")
    command = "python benchmarks/compare.py " + " ".join(shlex.quote(a) for a in argv)
    rows = evaluation.run_benchmark(train, tests, args.out, source=source, cnn_params=cnn_params,
                                    random_state=args.random_state, command=command.strip(),
                                    log=lambda m: print(m, file=sys.stderr, flush=True))
    print(evaluation.format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
