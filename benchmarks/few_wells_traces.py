"""Few wells, independent traces: the challenge protocol of the few-wells issue, closed loop or not.

A hard test set of the package's generator (700 traces, facies ranges 3-8 m, full band; the
stand-in for the paper's HardTest) gives 10 labelled traces (evenly spaced, the "wells") and
690 unlabelled ones (``X_unlabeled``), on which everything is scored. Variants of the data:
clean, and with 10 % white noise. Rows: ``FewWellsRegressor(random_state=0)`` with the
closed-loop physics loss off (the default) and on (``physics_weight`` 0.3, 1), the paper's
network trained on 520 labelled traces (for scale; ``../shared/data``, skipped without it), and
the baselines fitted on the 10 wells.

Writes ``benchmarks/results/few_wells_traces.md`` and ``.csv``.

Usage::

    python benchmarks/few_wells_traces.py [--weights 0 0.3 1] [--quick]
"""

import argparse
import time
from pathlib import Path

import numpy as np
from challenge import PAPER  # benchmarks/ is on sys.path

from impedance_sklearn import (
    ColoredInversion,
    FewWellsRegressor,
    ImpedanceCNN,
    ModelBasedInversion,
    TraceIntegration,
)
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.evaluation import (
    format_table,
    machine_description,
    scores,
    write_results,
)
from impedance_sklearn.physics.transforms import add_noise

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.3, 1.0])
    ap.add_argument("--noise", type=float, nargs="+", default=[0.0, 0.1])
    ap.add_argument("--quick", action="store_true", help="200 traces, 1,000 synthetics")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    n = 200 if args.quick else 700
    X0, y = make_impedance_dataset(n, vertical_range=(3.0, 8.0), random_state=3)
    wells = np.linspace(0, n - 1, 10).round().astype(int)
    rest = np.setdiff1d(np.arange(n), wells)
    paper = PAPER
    rows = []
    for level in args.noise:
        X = X0 if level == 0 else add_noise(X0, level, random_state=0)
        data = f"3-8 m, {level:.0%} noise"
        models = {}
        for wgt in args.weights:
            kw = {"n_synthetic": 1000} if args.quick else {}
            models[f"FewWellsRegressor(physics_weight={wgt:g})"] = FewWellsRegressor(
                random_state=0, physics_weight=wgt, **kw)
        models.update({"ColoredInversion": ColoredInversion(),
                       "ModelBasedInversion": ModelBasedInversion(),
                       "TraceIntegration": TraceIntegration()})
        for name, est in models.items():
            c0, t0 = time.process_time(), time.perf_counter()
            if isinstance(est, FewWellsRegressor):
                est.fit(X[wells], y[wells], X_unlabeled=X[rest])
            else:
                est.fit(X[wells], y[wells])
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
            s = scores(y[rest], est.predict(X[rest]))
            rows.append({"set": data, "model": name, "pcc": s["pcc"], "rel_l2": s["rel_l2"],
                         "r2": s["r2"], "fit_s": cpu, "fit_wall_s": wall})
            print(format_table(rows[-1:]), flush=True)
        if paper.exists():
            est = ImpedanceCNN.from_state_dict(paper)
            s = scores(y[rest], est.predict(X[rest]))
            rows.append({"set": data, "model": "paper's network (520 labelled traces)",
                         "pcc": s["pcc"], "rel_l2": s["rel_l2"], "r2": s["r2"]})
    pre = (f"{machine_description()}\n\n10 labelled traces of {n} (facies ranges 3-8 m, full "
           f"band), scored on the other {n - 10} (given as X_unlabeled). Mean per-trace PCC / "
           "rel. L2, pooled r2; fit (s): CPU seconds of the fit at one torch thread.\n\nCommand: "
           "`python benchmarks/few_wells_traces.py" + (" --quick" if args.quick else "") + "`")
    write_results(args.out, "few_wells_traces", rows, title="Few wells, independent traces",
                  preamble=pre)
    print(format_table(rows))


if __name__ == "__main__":
    main()
