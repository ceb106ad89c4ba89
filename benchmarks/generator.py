"""Benchmark of the Das et al. (2019) data generator: time and peak memory for 10,000 traces,
statistics of the output against the paper's description, and the accuracy of the band-limited
Kennett modelling it uses. Writes benchmarks/results/generator.md.

Run:  python benchmarks/generator.py [--n 10000] [--threads 2]
"""

import argparse
import os
import time
import tracemalloc
from pathlib import Path

import numpy as np

from impedance_sklearn.evaluation import cpu_model
from impedance_sklearn.io import write_text

OUT = Path(__file__).resolve().parent / "results" / "generator.md"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    from impedance_sklearn._synthetic import _modelling_f_max
    from impedance_sklearn.datasets import make_impedance_dataset
    from impedance_sklearn.physics import kennett

    make_impedance_dataset(10, random_state=0)  # warm-up
    tracemalloc.start()
    t0 = time.perf_counter()
    X, y, info = make_impedance_dataset(args.n, random_state=0, return_info=True)
    wall = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    t0 = time.perf_counter()
    make_impedance_dataset(args.n, random_state=0, multiples=False)
    wall_prim = time.perf_counter() - t0

    # accuracy of the modelling shortcut (band cut at f_max, 2048-point FFT) on 100 traces
    sl = slice(0, 100)
    exact = -kennett(info.vp[sl], info.rho[sl], 1.0, info.wavelet, info.dt, 331 + info.lag,
                     f_max=np.inf, n_fft=16384)[:, info.lag:]
    err = np.sqrt(np.mean((X[sl] - exact) ** 2) / np.mean(exact**2))
    f_max = _modelling_f_max(info.wavelet, info.dt)

    beds = info.facies.shape[1] / (1 + np.count_nonzero(np.diff(info.facies, axis=1), axis=1))
    rows = [
        ("impedance min / max (x1e6)", f"{y.min():.2f} / {y.max():.2f}", "about 2.6 / 9.6"),
        ("impedance mean / std (x1e6)", f"{y.mean():.2f} / {y.std():.2f}", "n/a"),
        ("seismic min / max", f"{X.min():.3f} / {X.max():.3f}", "about -0.23 / 0.29"),
        ("seismic 0.1 / 99.9 percentile", f"{np.percentile(X, 0.1):.3f} / {np.percentile(X, 99.9):.3f}", "n/a"),
        ("seismic RMS", f"{np.sqrt(np.mean(X**2)):.4f}", "n/a"),
        ("Vp min / max (m/s)", f"{info.vp.min():.0f} / {info.vp.max():.0f}", "n/a"),
        ("sand fraction", f"{1 - info.facies.mean():.3f}", "0.4"),
        ("mean bed thickness (m)", f"{beds.mean():.1f}", "n/a"),
        ("gas-bearing cells", f"{np.mean(info.sw < 1):.3f}", "n/a"),
        ("traces whose 200 layers end before sample 331",
         f"{np.mean(info.layer_time[:, -1] < 330 * info.dt):.3f}", "0 (331 = shortest trace)"),
    ]
    lines = [
        "# Generator benchmark (`make_impedance_dataset`)",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, numpy {np.__version__}. "
        "Timings on a shared machine; rerun to compare.",
        "",
        "| what | value |",
        "| --- | --- |",
        f"| traces | {args.n:,} x 331 samples, 200 layers |",
        f"| time, Kennett with all multiples | {wall:.1f} s |",
        f"| time, primaries only | {wall_prim:.1f} s |",
        f"| peak traced memory (numpy allocations) | {peak:.0f} MiB |",
        f"| modelling band (wavelet spectrum > 1e-3 of peak) | 0 - {f_max:.0f} Hz, 2048-point FFT |",
        f"| RMS error of that shortcut vs all frequencies, 16384-point FFT (100 traces) | {err:.2e} |",
        "",
        "## Statistics vs the paper's description",
        "",
        "| statistic | generator (default parameters) | paper |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
    ]
    write_text("\n".join(lines), OUT)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
