"""ImpedanceCNN vs TraceIntegration, ColoredInversion and ModelBasedInversion on the same splits.

Paper-like generated data by default (Das et al. 2019: 520 training traces, 1,000 test traces
from the training vertical ranges 10-60 m, plus a 1,000-trace challenge set from the hard range
3-8 m), or a user's labelled file with ``--data FILE`` (split by ``--test-size`` and
``--random-state``; ``--challenge FILE`` adds a second test file). For each estimator: the mean
per-trace Pearson correlation and relative L2 error, the pooled r2, fit and predict times.

Writes ``benchmarks/results/compare.md``, ``compare.csv`` and ``compare.png`` (overwriting the
previous results). The logic is the package's ``impedance-sklearn benchmark`` command, so an
installed package runs the same comparison without this file.

Usage::

    python benchmarks/compare.py                   # paper-like sizes, default ImpedanceCNN
    python benchmarks/compare.py --quick           # 64 traces per set, 8 epochs: a smoke test
    python benchmarks/compare.py --data seed.mat --test-size 0.5 --random-state 0
    python benchmarks/compare.py --param max_epochs=100 --param batch_size=16

Run ``python benchmarks/compare.py --help`` for every option.
"""

import shlex
import sys
from pathlib import Path

from impedance_sklearn.cli import main

RESULTS = Path(__file__).resolve().parent / "results"


def run(argv):
    argv = list(argv)
    if "-h" in argv or "--help" in argv:
        return main(["benchmark", "--help"])
    command = "python benchmarks/compare.py " + " ".join(shlex.quote(a) for a in argv)
    if "--out" not in argv:
        argv = ["--out", str(RESULTS), *argv]
    if "--force" not in argv:  # the results folder is meant to be regenerated
        argv.append("--force")
    return main(["benchmark", *argv, "--command-text", command.strip()])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
