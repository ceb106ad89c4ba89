"""Benchmark of the Das et al. (2019) data generator: time for 10,000 traces at full band, the
accuracy of its modelling against Kennett at every frequency, and its geostatistics against the
paper's own training earth models (``../shared/data/das2019_train_*.mat``, when present).

Writes benchmarks/results/generator.md.

Run:  python benchmarks/generator.py [--n 10000]
"""

import argparse
import os
import resource
import time
from pathlib import Path

import numpy as np

from impedance_sklearn.datasets import load_earth_models, make_impedance_dataset
from impedance_sklearn.evaluation import machine_description
from impedance_sklearn.io import write_text
from impedance_sklearn.physics import kennett

OUT = Path(__file__).resolve().parent / "results" / "generator.md"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _beds(facies):
    """Bed thicknesses (cells) per facies of (n, n_cells) columns."""
    out = {0: [], 1: []}
    for row in facies:
        b = np.flatnonzero(np.diff(row)) + 1
        starts, ends = np.r_[0, b], np.r_[b, row.size]
        for s, e in zip(starts, ends):
            out[int(row[s])].append(e - s)
    return {k: np.asarray(v) for k, v in out.items()}


def _ks(a, b):
    grid = np.arange(1, 1 + max(a.max(), b.max()))
    ca = np.searchsorted(np.sort(a), grid, side="right") / a.size
    cb = np.searchsorted(np.sort(b), grid, side="right") / b.size
    return float(np.abs(ca - cb).max())


def _timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    make_impedance_dataset(10, random_state=0)  # compile / load the kernel cache
    (X, y, info), wall, cpu = _timed(
        lambda: make_impedance_dataset(args.n, random_state=0, return_info=True))
    _, wall_p, cpu_p = _timed(lambda: make_impedance_dataset(args.n, random_state=0,
                                                             multiples=False))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sl = slice(0, 200)
    exact = -kennett(info.vp[sl], info.rho[sl], 1.0, info.wavelet, info.dt, 331 + info.lag,
                     f_max=np.inf, n_fft=16384)[:, info.lag:]
    err = np.sqrt(np.mean((X[sl] - exact) ** 2) / np.mean(exact**2))
    lines = [
        "# Generator benchmark (`make_impedance_dataset`)",
        "",
        f"Machine: {machine_description()}. numba threads: "
        f"{os.environ.get('NUMBA_NUM_THREADS', 'default')}. Timings on a shared machine: "
        "CPU seconds are the comparable figure.",
        "",
        "| what | value |",
        "| --- | --- |",
        f"| traces | {args.n:,} x 331 samples, 200 layers |",
        f"| time, Kennett with all multiples, whole band | {wall:.1f} s wall, {cpu:.1f} s CPU |",
        f"| time, primaries only | {wall_p:.1f} s wall, {cpu_p:.1f} s CPU |",
        f"| peak resident memory of the process | {rss:.0f} MiB |",
        "| modelling band | every frequency of a 2048-point FFT, 0 - 1,140 Hz |",
        f"| relative RMS error vs every frequency with a 16384-point FFT (200 traces) | "
        f"{err:.1e} |",
        "",
    ]
    names = {k: SHARED / f"das2019_train_{k}.mat" for k in ("facies", "porosity", "clay")}
    if all(p.exists() for p in names.values()):
        em = load_earth_models(names["facies"], names["porosity"], names["clay"])
        n = min(args.n, em.facies.shape[0])
        Xp, yp, ip = make_impedance_dataset(n, earth_models=em, random_state=0, return_info=True)
        bp, bg = _beds(em.facies), _beds(info.facies)
        rows = [
            ("sand fraction", f"{np.mean(info.facies == 0):.3f}", f"{np.mean(em.facies == 0):.3f}"),
            ("mean sand bed (cells)", f"{bg[0].mean():.1f}", f"{bp[0].mean():.1f}"),
            ("mean shale bed (cells)", f"{bg[1].mean():.1f}", f"{bp[1].mean():.1f}"),
            ("sand beds of 1-3 cells", f"{np.mean(bg[0] <= 3):.2f}", f"{np.mean(bp[0] <= 3):.2f}"),
            ("shale beds of 1-3 cells", f"{np.mean(bg[1] <= 3):.2f}", f"{np.mean(bp[1] <= 3):.2f}"),
            ("KS distance of bed thicknesses, sand / shale",
             f"{_ks(bg[0], bp[0]):.3f} / {_ks(bg[1], bp[1]):.3f}", "0"),
        ]
        for f, name in ((0, "sand"), (1, "shale")):
            for key in ("phi", "clay"):
                g, p = info[key][info.facies == f], em[key][em.facies == f]
                rows.append((f"{name} {key} 5 / 50 / 95 %",
                             " / ".join(f"{v:.3f}" for v in np.percentile(g, [5, 50, 95])),
                             " / ".join(f"{v:.3f}" for v in np.percentile(p, [5, 50, 95]))))
        rows += [
            ("impedance min / mean / max (x1e6)", f"{y.min():.2f} / {y.mean():.2f} / {y.max():.2f}",
             f"{yp.min():.2f} / {yp.mean():.2f} / {yp.max():.2f}"),
            ("seismic RMS", f"{np.sqrt(np.mean(X**2)):.4f}", f"{np.sqrt(np.mean(Xp**2)):.4f}"),
            ("gas-bearing cells", f"{np.mean(info.sw < 1):.3f}", f"{np.mean(ip.sw < 1):.3f}"),
        ]
        lines += [
            "## Geostatistics: the generator (training ranges 10-60 m) against the paper's "
            f"training earth models ({em.facies.shape[0]:,} columns, seismic modelled by the "
            "same recipe)",
            "",
            "| statistic | generator | paper's earth models |",
            "| --- | --- | --- |",
            *[f"| {a} | {b} | {c} |" for a, b, c in rows],
            "",
        ]
    else:
        lines += ["(The paper's earth models are not in ../shared/data: no comparison.)", ""]
    write_text("\n".join(lines), OUT)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
