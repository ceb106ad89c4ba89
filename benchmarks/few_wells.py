"""Few wells to a whole survey: how much does training on matched synthetics help?

A generated "field" differs from the generator's defaults in wavelet (minimum-phase Ormsby
8-15-60-90 Hz instead of 4-10-50-70 Hz), amplitude scale (x 3.7), layer statistics (facies
vertical range 5 m, outside the default 10-60 m) and noise (10 % RMS). For N labelled traces
("wells"), every method is scored on all the *other* traces of the field:

* ``cnn_wells_only``    ImpedanceCNN trained on the N traces alone (with as many optimizer steps
  as FewWellsRegressor's CNN, i.e. more epochs);
* ``cnn_default_syn``   ImpedanceCNN trained on the generator's default synthetics (no wells);
* ``fewwells``          FewWellsRegressor: tie + fitted statistics + matched synthetics + wells;
* ``trace_integration``, ``colored``, ``model_based``: the classical baselines fitted on the same
  N traces.

Metrics: mean per-trace Pearson correlation (higher is better) and mean relative L2 error
(RMSE / mean impedance, lower is better). Results go to ``benchmarks/results/few_wells.md`` and
``.csv`` (written atomically).

Usage::

    python benchmarks/few_wells.py            # the default size (about 5 min on 2 busy cores)
    python benchmarks/few_wells.py --quick    # a smoke run (about a minute)
    python benchmarks/few_wells.py --data my.mat --n-wells 5 10   # a user's .mat (load_mat)

With ``--data``, the file's traces are the field and ``cnn_default_syn`` is trained on default
synthetics of the file's trace length.
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import sys
import time
from pathlib import Path

import numpy as np

from impedance_sklearn.evaluation import cpu_model

RESULTS = Path(__file__).resolve().parent / "results"
DT = 4.3875e-4


def _atomic_write(path, text):
    from impedance_sklearn.io import write_text

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_text(text, path)


def make_field(n_traces, seed):
    """The benchmark's field: non-default wavelet, amplitude, vertical range, smoother
    porosity/clay (property_range=20 m) and noise."""
    from impedance_sklearn import physics
    from impedance_sklearn.datasets import make_impedance_dataset

    w = physics.minimum_phase(physics.ormsby(8.0, 15.0, 60.0, 90.0, DT, 0.12))
    w /= np.abs(w).max()
    X, y = make_impedance_dataset(
        n_traces, wavelet=w, vertical_range=5.0, property_range=20.0, noise=0.1, random_state=seed
    )
    return 3.7 * X, y


def cnn(args, seed, max_epochs=None):
    from impedance_sklearn import ImpedanceCNN

    return ImpedanceCNN(
        kernel_size=args.kernel_size,
        n_filters=args.n_filters,
        max_epochs=args.max_epochs if max_epochs is None else max_epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        output_activation=args.output_activation,
        random_state=seed,
    )


def equal_steps_epochs(args, n_wells):
    """Epochs that give the wells-only CNN as many optimizer steps as FewWellsRegressor's CNN."""
    ww = 0.1  # FewWellsRegressor's default well_weight
    n_train = args.n_synthetic + n_wells * max(1, round(ww / (1 - ww) * args.n_synthetic / n_wells))
    steps = args.max_epochs * -(-n_train // args.batch_size)
    return int(steps // -(-n_wells // args.batch_size))


def run(args):
    import torch

    from impedance_sklearn import (
        ColoredInversion,
        FewWellsRegressor,
        ModelBasedInversion,
        TraceIntegration,
    )
    from impedance_sklearn.datasets import load_mat, make_impedance_dataset
    from impedance_sklearn.metrics import relative_l2, trace_pcc
    from impedance_sklearn.transforms import resample_traces

    torch.set_num_threads(args.threads)
    if args.data:
        X, y = load_mat(args.data)
        if y is None:
            raise SystemExit(f"{args.data} holds no impedance; labelled traces are needed.")
        source = f"file {args.data}: {X.shape[0]} traces of {X.shape[1]} samples"
    else:
        X, y = make_field(args.n_field, args.seed)
        source = (
            f"generated field: {args.n_field} traces, min-phase Ormsby 8-15-60-90 Hz, x3.7, "
            "vertical range 5 m, 10 % noise"
        )
    X, y = np.asarray(X, float), np.asarray(y, float)
    n = X.shape[1]
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(X.shape[0])

    # (b) default synthetics, trained once
    t0 = time.perf_counter()
    Xd, yd = make_impedance_dataset(args.n_synthetic, n_samples=n, random_state=args.seed + 1)
    default_cnn = cnn(args, args.seed).fit(Xd, yd)
    t_default = time.perf_counter() - t0

    rows = []
    for n_wells in args.n_wells:
        wells, rest = order[:n_wells], order[n_wells:]
        Xw, yw, Xt, yt = X[wells], y[wells], X[rest], y[rest]
        methods = {
            "cnn_wells_only": lambda: cnn(args, args.seed, equal_steps_epochs(args, n_wells)).fit(
                Xw, yw
            ),
            "cnn_default_syn": lambda: default_cnn,
            "fewwells": lambda: FewWellsRegressor(
                cnn(args, args.seed),
                n_synthetic=args.n_synthetic,
                forward=args.forward,
                random_state=args.seed,
            ).fit(Xw, yw, X_unlabeled=Xt if args.unlabeled else None),
            "trace_integration": lambda: TraceIntegration().fit(Xw, yw),
            "colored": lambda: ColoredInversion().fit(Xw, yw),
            "model_based": lambda: ModelBasedInversion().fit(Xw, yw),
        }
        for name, make in methods.items():
            t0 = time.perf_counter()
            try:
                est = make()
                pred = est.predict(Xt)
                if pred.shape != yt.shape:  # default-synthetics CNN: seismic length
                    pred = resample_traces(pred, yt.shape[1])
                pcc, rl2 = trace_pcc(yt, pred), relative_l2(yt, pred)
                err = ""
            except Exception as exc:  # report, keep benchmarking the others
                pcc = rl2 = float("nan")
                err = f"{type(exc).__name__}: {exc}"[:120]
            dt = time.perf_counter() - t0 + (t_default if name == "cnn_default_syn" else 0.0)
            row = dict(
                n_wells=n_wells, method=name, pcc=pcc, rel_l2=rl2, fit_predict_s=dt, error=err
            )
            if name == "fewwells" and not err:
                row["noise_level"] = est.noise_level_
                row["amplitude_scale"] = est.amplitude_scale_
            rows.append(row)
            print(
                f"N={n_wells:3d} {name:18s} pcc={pcc:.3f} relL2={rl2:.3f} ({dt:.1f} s) {err}",
                flush=True,
            )
    return rows, source


def write(rows, source, args):
    fields = ["n_wells", "method", "pcc", "rel_l2", "fit_predict_s", "error"]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in r.items()})
    out = Path(args.out)
    _atomic_write(out.with_suffix(".csv"), buf.getvalue())

    methods = list(dict.fromkeys(r["method"] for r in rows))
    ns = list(dict.fromkeys(r["n_wells"] for r in rows))
    get = {(r["n_wells"], r["method"]): r for r in rows}
    lines = [
        "# Few wells to a whole survey",
        "",
        f"Field: {source}. Scored on all traces except the N wells.",
        f"CNN: kernel {args.kernel_size}, {args.n_filters} filters, {args.max_epochs} epochs, "
        f"batch {args.batch_size}, lr {args.lr}, {args.output_activation} output; the wells-only "
        "CNN gets as many optimizer steps as FewWellsRegressor's (more epochs); "
        f"n_synthetic = {args.n_synthetic} "
        f"(FewWellsRegressor forward = {args.forward}"
        f"{', X_unlabeled = the other traces' if args.unlabeled else ''}; the default-synthetics "
        f"CNN trained on as many). Seed {args.seed}, {args.threads} torch thread(s), "
        f"{cpu_model()}, Python {platform.python_version()}.",
        "Command: `" + " ".join(["python", f"benchmarks/{Path(__file__).name}", *sys.argv[1:]])
        + f"` ({getattr(args, 'elapsed', float('nan')) / 60:.1f} min in all).",
        "",
        "Mean per-trace Pearson correlation (higher is better) / mean relative L2 error "
        "(lower is better):",
        "",
        "| method | " + " | ".join(f"N = {n}" for n in ns) + " |",
        "| --- | " + " | ".join("---" for _ in ns) + " |",
    ]
    for m in methods:
        cells = []
        for n in ns:
            r = get.get((n, m))
            ok = r is not None and not r["error"]
            cells.append(f"{r['pcc']:.3f} / {r['rel_l2']:.3f}" if ok else "n/a")
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    fw = [r for r in rows if r["method"] == "fewwells" and "noise_level" in r]
    if fw:
        lines += ["", "FewWellsRegressor fitted: " + "; ".join(
            f"N = {r['n_wells']}: amplitude_scale_ {r['amplitude_scale']:.2f}, "
            f"noise_level_ {r['noise_level']:.2f}" for r in fw)]
    errs = [r for r in rows if r["error"]]
    if errs:
        lines += ["", "Errors:"] + [f"- N={r['n_wells']} {r['method']}: {r['error']}" for r in errs]
    _atomic_write(out.with_suffix(".md"), "\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", help=".mat file with seismic and impedance (load_mat)")
    p.add_argument("--quick", action="store_true", help="tiny smoke run")
    p.add_argument("--n-wells", type=int, nargs="+", default=[5, 10, 20])
    p.add_argument("--n-field", type=int, default=400)
    p.add_argument("--n-synthetic", type=int, default=3000)
    p.add_argument("--forward", choices=["kennett", "convolutional"], default="kennett")
    p.add_argument("--unlabeled", action="store_true", help="pass the other traces as X_unlabeled")
    p.add_argument("--kernel-size", type=int, default=101)
    p.add_argument("--n-filters", type=int, default=32)
    p.add_argument("--max-epochs", type=int, default=30)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--output-activation", choices=["relu", "linear"], default="linear")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default=str(RESULTS / "few_wells"))
    args = p.parse_args(argv)
    if args.quick:
        args.n_field, args.n_synthetic, args.max_epochs = 120, 200, 5
        args.n_wells = [5]
        if args.out == str(RESULTS / "few_wells"):
            args.out = str(RESULTS / "few_wells_quick")
    t0 = time.perf_counter()
    rows, source = run(args)
    args.elapsed = time.perf_counter() - t0
    write(rows, source, args)


if __name__ == "__main__":
    main()
