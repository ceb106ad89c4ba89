"""GridSearchCV over ImpedanceCNN's kernel_size x lr (optionally n_filters) with K-fold CV.

On data from the package's generator (the paper's training vertical ranges 10-60 m), every cell
of the grid is scored by K-fold cross-validation with the package's scorers: the mean per-trace
Pearson correlation (``trace_pcc``) and the negated relative L2 error (``neg_relative_l2``). The
table gives the mean and standard deviation over folds of each score and the mean fit time; the
heatmap shows the mean Pearson correlation per (kernel_size, lr) cell, one panel per n_filters.

Writes ``benchmarks/results/grid_search.md``, ``grid_search.csv`` and ``grid_search.png``.

Usage::

    python benchmarks/grid_search.py                      # 3 kernels x 3 lr, 3-fold, 300 traces
    python benchmarks/grid_search.py --quick              # 2 x 2 grid, tiny data: a smoke test
    python benchmarks/grid_search.py --n-jobs 2 --n-filters 30 60
    python benchmarks/grid_search.py --kernel-sizes 51 151 300 --lrs 1e-3 3e-3 --max-epochs 30
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="2 x 2 grid, 2 folds, 48 traces")
    p.add_argument("--n-traces", type=int, default=300, help="generated traces (default 300)")
    p.add_argument("--cv", type=int, default=3, help="number of folds (default 3)")
    p.add_argument("--kernel-sizes", type=int, nargs="+", default=[51, 151, 300])
    p.add_argument("--lrs", type=float, nargs="+", default=[3e-4, 1e-3, 3e-3])
    p.add_argument("--n-filters", type=int, nargs="+", default=None,
                   help="also search n_filters (default: the estimator's default only)")
    p.add_argument("--max-epochs", type=int, default=20,
                   help="ImpedanceCNN max_epochs (default 20, to keep the run short; the "
                        "estimator's own default is 200)")
    p.add_argument("--refit-scoring", default="trace_pcc", choices=["trace_pcc", "neg_relative_l2"],
                   help="score that ranks the cells (default trace_pcc)")
    p.add_argument("--n-jobs", type=int, default=1, help="GridSearchCV n_jobs (default 1)")
    p.add_argument("--random-state", type=int, default=0)
    p.add_argument("--out", default=str(RESULTS), help="results folder")
    args = p.parse_args(argv)
    if args.quick:
        args.n_traces, args.cv = 48, 2
        args.kernel_sizes, args.lrs = [21, 51], [1e-3, 3e-3]
        args.max_epochs = 3
    return args


def scorers():
    """The package's Pearson and relative-L2 scorers (neg MSE if metrics is unavailable)."""
    from impedance_sklearn.metrics import SCORERS

    return {"trace_pcc": SCORERS["trace_pcc"], "neg_relative_l2": SCORERS["neg_relative_l2"]}


def run_search(args):
    from sklearn.model_selection import GridSearchCV, KFold

    from impedance_sklearn import ImpedanceCNN
    from impedance_sklearn.datasets import make_impedance_dataset
    from impedance_sklearn.evaluation import TRAIN_RANGE

    X, y = make_impedance_dataset(args.n_traces, vertical_range=TRAIN_RANGE,
                                  random_state=args.random_state)
    est = ImpedanceCNN(random_state=args.random_state, verbose=0)
    if args.max_epochs is not None:
        est.set_params(max_epochs=args.max_epochs)
    grid = {"kernel_size": args.kernel_sizes, "lr": args.lrs}
    if args.n_filters:
        grid["n_filters"] = args.n_filters
    scoring = scorers()
    refit = args.refit_scoring if args.refit_scoring in scoring else next(iter(scoring))
    search = GridSearchCV(est, grid, scoring=scoring, refit=False, n_jobs=args.n_jobs,
                          cv=KFold(args.cv, shuffle=True, random_state=args.random_state))
    t0 = time.perf_counter()
    search.fit(X, y)
    wall = time.perf_counter() - t0
    return search, est, scoring, refit, wall


def result_rows(search, scoring):
    res = search.cv_results_
    params = list(search.param_grid.keys())
    rows = []
    for i in range(len(res["params"])):
        row = {p: res["params"][i][p] for p in params}
        for name in scoring:
            row[f"mean_{name}"] = float(res[f"mean_test_{name}"][i])
            row[f"std_{name}"] = float(res[f"std_test_{name}"][i])
            row[f"rank_{name}"] = int(res[f"rank_test_{name}"][i])
        row["mean_fit_s"] = float(res["mean_fit_time"][i])
        rows.append(row)
    return rows, params


def markdown(rows, params, scoring, refit):
    head = list(params)
    for name in scoring:
        head += [f"{name} mean", f"{name} std"]
    head += ["fit (s)", f"rank ({refit})"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in sorted(rows, key=lambda r: r[f"rank_{refit}"]):
        cells = [f"{r[p]:g}" for p in params]
        for name in scoring:
            cells += [f"{r[f'mean_{name}']:.4f}", f"{r[f'std_{name}']:.4f}"]
        cells += [f"{r['mean_fit_s']:.1f}", str(r[f"rank_{refit}"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def heatmap(rows, refit, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = sorted({r["kernel_size"] for r in rows})
    lrs = sorted({r["lr"] for r in rows})
    nfs = sorted({r.get("n_filters") for r in rows}, key=lambda v: (v is None, v))
    size = (2.7 + 1.3 * len(lrs) * len(nfs), 0.9 + 0.55 * len(ks))
    fig, axes = plt.subplots(1, len(nfs), figsize=size, squeeze=False)
    values = np.array([r[f"mean_{refit}"] for r in rows])
    vmin, vmax = values.min(), values.max()
    for ax, nf in zip(axes[0], nfs):
        M = np.full((len(ks), len(lrs)), np.nan)
        for r in rows:
            if r.get("n_filters") == nf:
                M[ks.index(r["kernel_size"]), lrs.index(r["lr"])] = r[f"mean_{refit}"]
        im = ax.imshow(M, cmap="viridis", vmin=vmin, vmax=vmax, aspect="auto")
        for (i, j), v in np.ndenumerate(M):
            ax.text(j, i, f"{v:.3f}", ha="center", va="center",
                    color="w" if v < (vmin + vmax) / 2 else "k", fontsize=9)
        ax.set_xticks(range(len(lrs)), [f"{v:g}" for v in lrs])
        ax.set_yticks(range(len(ks)), [str(k) for k in ks])
        ax.set_xlabel("lr")
        ax.set_ylabel("kernel_size")
        if nf is not None:
            ax.set_title(f"n_filters = {nf}")
    fig.colorbar(im, ax=axes[0].tolist(), label=f"mean CV {refit}")
    fig.suptitle(title, fontsize=10)
    return fig


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    from impedance_sklearn.evaluation import machine_description, write_csv
    from impedance_sklearn.io import write_text
    from impedance_sklearn.plotting import save_figure

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"grid search on {args.n_traces} generated traces, {args.cv}-fold CV; "
          f"{machine_description()}", flush=True)
    search, est, scoring, refit, wall = run_search(args)
    rows, params = result_rows(search, scoring)
    table = markdown(rows, params, scoring, refit)
    fixed = {k: v for k, v in est.get_params().items()
             if k in ("kernel_size", "n_filters", "lr", "max_epochs", "batch_size")
             and k not in params}
    command = "python benchmarks/grid_search.py " + " ".join(shlex.quote(a) for a in argv)
    text = (f"# GridSearchCV over ImpedanceCNN hyperparameters\n\nCommand: `{command.strip()}`  \n"
            f"Data: {args.n_traces} generated traces (vertical range 10-60 m), "
            f"{args.cv}-fold shuffled KFold (random_state={args.random_state})  \n"
            f"Fixed: {', '.join(f'{k}={v!r}' for k, v in fixed.items())}  \n"
            f"Machine: {machine_description()}; n_jobs={args.n_jobs}; total {wall:.0f} s\n\n"
            f"{table}\n\nScores are means (std) over the folds of the per-trace Pearson "
            "correlation and the negated relative L2 error (RMSE / mean impedance) on the held-out "
            "fold; fit time is the mean per fold.\n")
    print("\n" + table + f"\n\ntotal {wall:.1f} s", flush=True)
    write_text(text, out / "grid_search.md")
    write_csv(rows, out / "grid_search.csv")
    fig = heatmap(rows, refit, f"ImpedanceCNN, {args.n_traces} traces, {args.cv}-fold CV "
                               f"({', '.join(f'{k}={v}' for k, v in fixed.items())})")
    save_figure(fig, out / "grid_search.png")
    print(f"wrote {out / 'grid_search.md'}, .csv, .png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
