"""Robustness: the models of the challenge benchmark on test data as field surveys deliver it.

The hard test set (facies ranges 3-8 m, full band, clean) and its field-like variants
(:func:`impedance_sklearn.physics.transforms.field_variants`): low-passed to 125 Hz (all that 4 ms
sampling holds), 5 % and 10 % white noise, low-passed plus 10 % noise, amplitude x 3, and the
wavelet's phase rotated by 30 degrees. Rows: the default ``ImpedanceCNN().fit`` on 520 traces of
the training ranges, the shipped networks (``ImpedanceCNN.from_pretrained``), the paper's
network (``../shared/data``, skipped without it) and the baselines fitted on the same 520 traces.

Writes ``benchmarks/results/robustness.md``, ``.csv`` and ``.png``.

Usage::

    python benchmarks/robustness.py [--set 70-100] [--quick]
"""

import argparse
import sys
from pathlib import Path

import numpy as np
from challenge import (  # benchmarks/ is on sys.path
    TEST_SETS,
    baseline_models,
    fixed_models,
)

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.evaluation import (
    format_table,
    machine_description,
    scores,
    write_results,
)
from impedance_sklearn.physics.transforms import field_variants
from impedance_sklearn.physics.wavelets import DAS_DT

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default="3-8", choices=["3-8", "70-100", "10-60"])
    ap.add_argument("--n-test", type=int, default=700)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    name = next(k for k in TEST_SETS if k.startswith(args.set))
    vr, seed = TEST_SETS[name]
    Xt, yt = make_impedance_dataset(60 if args.quick else args.n_test, vertical_range=vr,
                                    random_state=seed)
    variants = field_variants(Xt, DAS_DT, random_state=0)
    X, y = make_impedance_dataset(520, random_state=1)
    models = {"ImpedanceCNN().fit (default)":
              ImpedanceCNN(random_state=0, **({"max_epochs": 10} if args.quick else {})),
              **baseline_models()}
    for est in models.values():
        est.fit(X, y)
    models.update(fixed_models())
    rows = []
    for model, est in models.items():
        for variant, Xv in variants.items():
            rows.append({"model": model, "variant": variant, **scores(yt, est.predict(Xv))})
    cols = [("model", "model", "{}"), ("variant", "test data", "{}"), ("pcc", "PCC", "{:.3f}"),
            ("rel_l2", "rel. L2", "{:.3f}"), ("r2", "r2", "{:.3f}")]
    preamble = (f"Machine: {machine_description()}.  \nTest set: {name}, {Xt.shape[0]} traces "
                "(`make_impedance_dataset`, full band); variants from "
                "`transforms.field_variants(X, dt, random_state=0)` (noise relative to each "
                "trace's RMS, added after the low-pass). Fitted models: "
                "`make_impedance_dataset(520, random_state=1)`.")
    write_results(args.out, "robustness", rows, title="Robustness to field conditions",
                  preamble=preamble, columns=cols, figure=_figure(rows, name),
                  notes="PCC higher is better; rel. L2 lower is better; r2 higher is better.")
    print(format_table(rows, cols))
    return 0


def _figure(rows, set_name):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = list(dict.fromkeys(r["model"] for r in rows))
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    fig, ax = plt.subplots(figsize=(11, 4))
    width = 0.8 / len(models)
    for j, m in enumerate(models):
        vals = [next(r["pcc"] for r in rows if r["model"] == m and r["variant"] == v)
                for v in variants]
        ax.bar(np.arange(len(variants)) + (j - (len(models) - 1) / 2) * width, vals, width,
               label=m)
    ax.set_xticks(np.arange(len(variants)), variants, rotation=15)
    ax.set_ylabel("PCC (higher is better)")
    ax.axhline(0.7, color="k", lw=0.8, ls="--")
    ax.set_title(f"Test set {set_name} as a field survey would deliver it")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize="small", ncol=2)
    fig.tight_layout()
    return fig


if __name__ == "__main__":
    sys.exit(main())
