"""Benchmark of the classical baselines on a Das et al. (2019)-like synthetic set.

Data: ``make_impedance_dataset`` (Kennett modelling with all internal multiples, minimum-phase
Ormsby 4-10-50-70 Hz wavelet, dt = 4.3875e-4 s, 331 samples), split as in the paper: 520
training, 500 validation, 1,000 test traces. For each baseline: mean per-trace Pearson correlation
and relative L2 error (RMSE / mean impedance of the trace) on the test traces, fit time on the
520 training traces and on 1,000 traces, predict time for 1,000 traces. The published variants
(no shift, -90 degrees) and a "background only" row give the context of the tuned defaults.
``--tune`` adds the validation sweep that chose the defaults.

Writes benchmarks/results/baselines.md and .csv (and baselines_tuning.csv with --tune).

Run:  python benchmarks/baselines.py [--tune] [--seed 2019] [--threads 2]
"""

import argparse
import csv
import io
import os
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "results"


def _write_atomic(path, text):
    from impedance_sklearn.io import write_text

    write_text(text, path)


def _csv_text(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tune", action="store_true", help="also run the validation sweep")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    import numpy as np
    from sklearn.base import clone

    from impedance_sklearn import (
        ColoredInversion,
        ModelBasedInversion,
        TraceIntegration,
    )
    from impedance_sklearn.datasets import make_impedance_dataset
    from impedance_sklearn.evaluation import cpu_model
    from impedance_sklearn.metrics import relative_l2, trace_pcc

    t0 = time.perf_counter()
    X, y = make_impedance_dataset(2020, random_state=args.seed)
    t_gen = time.perf_counter() - t0
    Xtr, ytr = X[:520], y[:520]
    Xval, yval = X[520:1020], y[520:1020]
    Xte, yte = X[1020:], y[1020:]
    X1k, y1k = X[:1000], y[:1000]  # for the fit-time column only

    def score(est, Xs, ys):
        pred = est.predict(Xs)
        return trace_pcc(ys, pred), relative_l2(ys, pred)

    # ---------------------------------------------------------------- validation sweep
    tuning = []
    if args.tune:
        grid = (
            [TraceIntegration(max_lag=m, lowcut_sigma=lc)
             for m in (0, 40) for lc in (None, 20.0, 80.0)]
            + [TraceIntegration(background_sigma=b) for b in (0.0, 60.0)]
            + [ColoredInversion(phase=p, max_lag=m) for p in (-90.0, "fit") for m in (0, 40)]
            + [ColoredInversion(whitening=w) for w in (0.05, 0.5)]
            + [ColoredInversion(band_threshold=b) for b in (0.01, 0.2)]
            + [ModelBasedInversion(wavelet_length=L, eps_i=e)
               for L in (101, 201, 301) for e in (3e-3, 1e-2, 3e-2)]
            + [ModelBasedInversion(wavelet_length=201, wavelet_origin=30)]
            + [ModelBasedInversion(background_sigma=b) for b in (0.0, 60.0)]
        )
        for est in grid:
            est.fit(Xtr, ytr)
            pcc, rl2 = score(est, Xval, yval)
            tuning.append(
                {"estimator": repr(est), "val_pcc": f"{pcc:.4f}", "val_rel_l2": f"{rl2:.4f}"}
            )
            print(f"{est!r:70s} val pcc {pcc:.4f}  rel L2 {rl2:.4f}", flush=True)
        _write_atomic(OUT / "baselines_tuning.csv", _csv_text(tuning))

    # ---------------------------------------------------------------- test-set table
    candidates = [
        ("TraceIntegration() (defaults)", TraceIntegration()),
        ("TraceIntegration(max_lag=0) (textbook, no shift)", TraceIntegration(max_lag=0)),
        ("ColoredInversion() (defaults)", ColoredInversion()),
        ("ColoredInversion(phase=-90, max_lag=0) (published)",
         ColoredInversion(phase=-90.0, max_lag=0)),
        ("ModelBasedInversion() (defaults)", ModelBasedInversion()),
        ("ModelBasedInversion(wavelet_length=201, wavelet_origin=30) (causal wavelet)",
         ModelBasedInversion(wavelet_length=201, wavelet_origin=30)),
    ]
    rows = []
    for name, est in candidates:
        t0 = time.perf_counter()
        est.fit(Xtr, ytr)
        t_fit = time.perf_counter() - t0
        t0 = time.perf_counter()
        pred = est.predict(Xte)
        t_pred = time.perf_counter() - t0
        pcc = trace_pcc(yte, pred, per_trace=True)
        rl2 = relative_l2(yte, pred, per_trace=True)
        t0 = time.perf_counter()
        clone(est).fit(X1k, y1k)
        t_fit1k = time.perf_counter() - t0
        rows.append({
            "estimator": name,
            "pcc_mean": f"{pcc.mean():.4f}", "pcc_std": f"{pcc.std():.4f}",
            "rel_l2_mean": f"{rl2.mean():.4f}", "rel_l2_std": f"{rl2.std():.4f}",
            "fit_s_520": f"{t_fit:.2f}", "fit_s_1000": f"{t_fit1k:.2f}",
            "predict_s_1000": f"{t_pred:.2f}",
        })
        print(rows[-1], flush=True)
    # background only: what the training set alone says (the mean trace, as every method uses)
    bg = np.exp(TraceIntegration().fit(Xtr, ytr).background_)
    B = np.tile(bg, (len(yte), 1))
    pcc, rl2 = trace_pcc(yte, B, per_trace=True), relative_l2(yte, B, per_trace=True)
    rows.append({
        "estimator": "background only (smoothed mean training log-impedance)",
        "pcc_mean": f"{np.nanmean(pcc):.4f}", "pcc_std": f"{np.nanstd(pcc):.4f}",
        "rel_l2_mean": f"{rl2.mean():.4f}", "rel_l2_std": f"{rl2.std():.4f}",
        "fit_s_520": "", "fit_s_1000": "", "predict_s_1000": "",
    })
    _write_atomic(OUT / "baselines.csv", _csv_text(rows))

    md = [
        "# Classical baselines on a Das et al. (2019)-like synthetic set",
        "",
        f"Data: `make_impedance_dataset(2020, random_state={args.seed})` (Kennett with all "
        "internal multiples, minimum-phase Ormsby 4-10-50-70 Hz, dt = 4.3875e-4 s, 331 samples, "
        f"impedance / 1e6; generated in {t_gen:.1f} s); traces 0-519 train, 520-1019 validation, "
        "1020-2019 test (1,000). Metrics on the test traces, per trace then averaged: Pearson "
        "correlation (PCC) and relative L2 = RMSE / mean impedance of the trace.",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, load average at the end "
        f"{os.getloadavg()[0]:.1f}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, "
        f"numpy {np.__version__}. Timings are single runs: read them as orders of magnitude.",
        "",
        "| estimator | PCC mean (std) | rel. L2 mean (std) | fit 520 (s) | fit 1,000 (s) "
        "| predict 1,000 (s) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        md.append(
            f"| {r['estimator']} | {r['pcc_mean']} ({r['pcc_std']}) | {r['rel_l2_mean']} "
            f"({r['rel_l2_std']}) | {r['fit_s_520']} | {r['fit_s_1000']} | {r['predict_s_1000']} |"
        )
    if tuning:
        md += ["", "## Validation sweep (traces 520-1019) behind the defaults", "",
               "| estimator | val PCC | val rel. L2 |", "| --- | --- | --- |"]
        md += [f"| `{t['estimator']}` | {t['val_pcc']} | {t['val_rel_l2']} |" for t in tuning]
    _write_atomic(OUT / "baselines.md", "\n".join(md) + "\n")
    print("wrote", OUT / "baselines.md")


if __name__ == "__main__":
    main()
