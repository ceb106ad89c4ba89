"""The paper's challenge protocol on the package's generator (full band).

Train on the paper's training design (520 traces, facies variogram ranges 10-60 m: exactly
``make_impedance_dataset(520, random_state=1)``), test on the same ranges and on the hard ranges
3-8 m and 70-100 m (held out: nothing was tuned on them). Rows: the default
``ImpedanceCNN(random_state=0).fit``, the networks shipped with the package
(``ImpedanceCNN.from_pretrained``), the paper's published network (``../shared/data``, skipped
without it) and every baseline fitted on the same 520 traces. Then a 5-fold cross-validation on
the 3-8 m set itself (the protocol of the acceptance test on the paper's HardTest): each model
fitted on 4/5, scored on the rest; the paper's network scored on the same folds.

Writes ``benchmarks/results/challenge.md``, ``.csv`` and ``.png``.

Usage::

    python benchmarks/challenge.py            # about 5 CPU-minutes
    python benchmarks/challenge.py --quick    # a smoke run
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from impedance_sklearn import (
    ColoredInversion,
    ImpedanceCNN,
    ModelBasedInversion,
    TraceIntegration,
)
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.estimators.pretrained import PRETRAINED, pretrained_for
from impedance_sklearn.evaluation import machine_description, scores, write_results
from impedance_sklearn.physics.wavelets import DAS_DT

RESULTS = Path(__file__).resolve().parent / "results"
SHARED = Path(os.environ.get("IMPEDANCE_SHARED_DATA",
                             Path(__file__).resolve().parents[2] / "shared" / "data"))
PAPER = SHARED / "das2019_cnn_k300_f60_state_dict.pkl"

TEST_SETS = {"10-60 m (training ranges)": ((10.0, 60.0), 11),
             "3-8 m (hard)": ((3.0, 8.0), 12),
             "70-100 m (hard)": ((70.0, 100.0), 13)}


def baseline_models():
    return {"TraceIntegration": TraceIntegration(), "ColoredInversion": ColoredInversion(),
            "ModelBasedInversion": ModelBasedInversion()}


def fixed_models():
    """Models that are not fitted here: the shipped networks at the paper's sampling (the 2 and
    4 ms ones take other traces) and the paper's network."""
    out = {}
    for name in PRETRAINED:
        if pretrained_for(name, DAS_DT) != name:  # its family's network at another sampling
            continue
        try:
            out[f"from_pretrained({name!r})"] = ImpedanceCNN.from_pretrained(name)
        except FileNotFoundError:  # a name without a shipped file
            pass
    if PAPER.exists():
        out["paper's network"] = ImpedanceCNN.from_state_dict(PAPER)
    return out


def _timed_fit(est, X, y):
    t0, c0 = time.perf_counter(), time.process_time()
    est.fit(X, y)
    return time.perf_counter() - t0, time.process_time() - c0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-test", type=int, default=700)
    ap.add_argument("--quick", action="store_true", help="small sets, 10 CNN epochs")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    n_test = 60 if args.quick else args.n_test
    cnn_params = {"max_epochs": 10} if args.quick else {}
    X, y = make_impedance_dataset(520, random_state=1)
    tests = {name: make_impedance_dataset(n_test, vertical_range=vr, random_state=seed)
             for name, (vr, seed) in TEST_SETS.items()}
    fitted = {"ImpedanceCNN().fit (default)": ImpedanceCNN(random_state=0, **cnn_params),
              **baseline_models()}
    rows = []
    for name, est in {**fitted, **fixed_models()}.items():
        wall = cpu = None
        if name in fitted:
            wall, cpu = _timed_fit(est, X, y)
            print(f"fitted {name} in {wall:.1f} s ({cpu:.1f} CPU-s)", file=sys.stderr)
        for set_name, (Xt, yt) in tests.items():
            rows.append({"protocol": "train 520 (10-60 m)", "set": set_name, "model": name,
                         **scores(yt, est.predict(Xt)),
                         "fit_cpu_s": "" if cpu is None else round(cpu, 1)})
    rows += _cross_validation(*tests["3-8 m (hard)"], cnn_params, quick=args.quick)
    preamble = (f"Machine: {machine_description()} (torch 1 thread).  \n"
                f"Training: `make_impedance_dataset(520, random_state=1)`; test sets of {n_test} "
                "traces each (`vertical_range`, `random_state` 11-13); 5-fold CV on the 3-8 m "
                "set. Full-band Kennett modelling with all multiples throughout.")
    cols = [("protocol", "protocol", "{}"), ("set", "test set", "{}"), ("model", "model", "{}"),
            ("pcc", "PCC", "{:.3f}"), ("rel_l2", "rel. L2", "{:.3f}"), ("r2", "r2", "{:.3f}"),
            ("fit_cpu_s", "fit (CPU s)", "{}")]
    notes = ("PCC: mean per-trace Pearson correlation (higher is better); rel. L2: mean per-trace "
             "RMSE / mean impedance (lower is better); r2 pooled over all samples (higher is "
             "better). The paper's published network scores 0.794 / 0.104 / 0.364 on the "
             "paper's own 700-trace HardTest (not available here).")
    write_results(args.out, "challenge", rows, title="The challenge protocol", preamble=preamble,
                  columns=cols, notes=notes, figure=_figure(rows))
    from impedance_sklearn.evaluation import format_table

    print(format_table(rows, cols))
    return 0


def _cross_validation(X, y, cnn_params, quick):
    from sklearn.model_selection import KFold

    fixed = {k: v for k, v in fixed_models().items() if k == "paper's network"}
    per_model = {}
    for train, test in KFold(5, shuffle=True, random_state=0).split(X):
        models = {"ImpedanceCNN().fit (default)": ImpedanceCNN(random_state=0, **cnn_params),
                  **baseline_models()}
        for name, est in models.items():
            est.fit(X[train], y[train])
            per_model.setdefault(name, []).append(scores(y[test], est.predict(X[test])))
        for name, est in fixed.items():
            per_model.setdefault(name, []).append(scores(y[test], est.predict(X[test])))
        if quick:
            break
    return [{"protocol": "5-fold CV", "set": "3-8 m (hard)", "model": name,
             **{k: float(np.mean([f[k] for f in folds])) for k in ("pcc", "rel_l2", "r2")},
             "fit_cpu_s": ""} for name, folds in per_model.items()]


def _figure(rows):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sets = list(dict.fromkeys(r["set"] for r in rows if r["protocol"].startswith("train")))
    models = list(dict.fromkeys(r["model"] for r in rows))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    width = 0.8 / len(models)
    for ax, key, label in zip(axes, ("pcc", "rel_l2"),
                              ("PCC (higher is better)", "relative L2 (lower is better)")):
        for j, m in enumerate(models):
            vals = [next((r[key] for r in rows if r["model"] == m and r["set"] == s
                          and r["protocol"].startswith("train")), np.nan) for s in sets]
            ax.bar(np.arange(len(sets)) + (j - (len(models) - 1) / 2) * width, vals, width,
                   label=m)
        ax.set_xticks(np.arange(len(sets)), sets)
        ax.set_ylabel(label)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(fontsize="small", loc="lower left")
    fig.suptitle("Trained on 520 traces of the training ranges (10-60 m), tested on held-out "
                 "ranges")
    fig.tight_layout()
    return fig


if __name__ == "__main__":
    sys.exit(main())
