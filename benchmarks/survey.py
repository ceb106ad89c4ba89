"""Whole-survey prediction: predict_segy on a generated SEG-Y of 1,000,000 traces x 331 samples.

Generates a big-endian IEEE-float SEG-Y (1,000 crosslines per inline, headers filled at bytes
189/193) without holding it in memory, fits a fast estimator (``TraceIntegration``, the recursive
inversion baseline) on 1,000 synthetic traces of the same length, then times
:func:`impedance_sklearn.segy.predict_segy` on the file in each mode, each in a fresh Python
process so that its peak resident memory (``getrusage`` ``ru_maxrss``) is its own:

* ``single``  -- one process, chunks one after the other (``n_jobs=None``);
* ``jobs2``   -- one process reading/writing, chunks predicted by 2 joblib (loky) processes;
* ``dask``    -- ``client=`` a ``LocalCluster`` of 2 worker processes x 1 thread: tasks read and
  write their own slices of the file; the cluster's start-up is timed apart.

Peak RSS is reported for the main process and, for ``jobs2``/``dask``, the largest worker.
The generated file is deleted at the end (``--keep`` keeps it). The file is written just before
the runs, so it is read from the page cache: the figures measure the package, not the disk.

Writes ``benchmarks/results/survey.md`` and ``survey.csv`` (``survey_quick.*`` with ``--quick``).

Usage::

    python benchmarks/survey.py                          # 1,000,000 traces (1.3 GB), all modes
    python benchmarks/survey.py --n-traces 20000 --quick # a smoke test
    python benchmarks/survey.py --n-traces 100000 1000000 --modes single dask
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
N_XLINES = 1000
DT_US = 4000


# --------------------------------------------------------------------------------------------
# the synthetic survey


def synthetic_block(n, n_samples, seed=0):
    """(seismic, impedance) of ``n`` traces: blocky log-impedance, Ricker-convolved reflectivity."""
    from scipy.signal import fftconvolve

    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, 0.05, (n, n_samples)) * (rng.random((n, n_samples)) < 0.15)
    logz = np.log(5.0) + np.cumsum(steps, axis=1)
    refl = 0.5 * np.diff(logz, axis=1, prepend=logz[:, :1])
    t = np.arange(-40, 41) * DT_US * 1e-6
    a = (np.pi * 30.0 * t) ** 2
    wavelet = (1 - 2 * a) * np.exp(-a)
    seis = fftconvolve(refl, wavelet[None, :], mode="same", axes=1)
    return seis.astype(np.float32), np.exp(logz)


def file_header(n_samples):
    text = "".join(f"C{i:2d} {line}".ljust(80) for i, line in enumerate(
        ["impedance-sklearn benchmarks/survey.py synthetic survey",
         f"{N_XLINES} crosslines per inline, {n_samples} samples at {DT_US} us, IEEE float",
         "inline bytes 189-192, crossline bytes 193-196"] + [""] * 37, start=1))
    binary = bytearray(400)
    for pos, fmt, value in [(3213, ">h", 1), (3217, ">h", DT_US), (3221, ">h", n_samples),
                            (3225, ">h", 5), (3255, ">h", 1), (3501, ">H", 0x0100),
                            (3503, ">h", 1), (3505, ">h", 0)]:
        struct.pack_into(fmt, binary, pos - 3201, value)
    return text.encode("ascii") + bytes(binary)


def generate_segy(path, n_traces, n_samples, chunk=20000):
    """Write the survey chunk by chunk (memory: one chunk), headers as a numpy record array."""
    block, _ = synthetic_block(4096, n_samples, seed=1)
    rng = np.random.default_rng(2)
    rec = np.dtype([("h", "V240"), ("d", ">f4", (n_samples,))])
    with open(path, "wb") as fh:
        fh.write(file_header(n_samples))
        for a in range(0, n_traces, chunk):
            n = min(chunk, n_traces - a)
            out = np.zeros(n, dtype=rec)
            heads = np.zeros((n, 240), dtype=np.uint8)
            idx = np.arange(a, a + n)
            for pos, values, width in [(1, idx + 1, 4), (5, idx + 1, 4),
                                       (115, np.full(n, n_samples), 2), (117, np.full(n, DT_US), 2),
                                       (189, 1 + idx // N_XLINES, 4),
                                       (193, 1 + idx % N_XLINES, 4)]:
                heads[:, pos - 1:pos - 1 + width] = (
                    values.astype(f">i{width}").view(np.uint8).reshape(n, width))
            out["h"] = heads.view("V240").ravel()
            pick = rng.integers(0, len(block), n)
            out["d"] = block[pick] * rng.uniform(0.5, 1.5, (n, 1)).astype(np.float32)
            fh.write(out.tobytes())


# --------------------------------------------------------------------------------------------
# one measured run (in its own process)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def status_mb(pid, field):
    """VmHWM (peak) or VmRSS (current) of a process from /proc, in MB (None if unreadable)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def reset_peak_rss():
    """Reset this process's peak-RSS counter (Linux >= 4.0: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def descendants(pid):
    """PIDs of all processes below ``pid`` (from /proc/*/stat)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def run_one(args):
    """Child process: fit the model, predict the file in one mode, print a JSON line."""
    import joblib

    from impedance_sklearn import TraceIntegration
    from impedance_sklearn.segy import predict_segy

    X, y = synthetic_block(1000, args.n_samples, seed=3)
    est = TraceIntegration().fit(X, y)
    del X, y
    kwargs = dict(chunk_traces=args.chunk_traces)
    result = {"mode": args.run}
    client = cluster = None
    if args.run == "dask":
        from distributed import Client, LocalCluster

        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
        client.wait_for_workers(2)
        result["cluster_start_s"] = time.perf_counter() - t0
        kwargs["client"] = client
    elif args.run == "jobs2":
        kwargs["n_jobs"] = 2
    import gc

    gc.collect()
    result["rss_before_mb"] = status_mb("self", "VmRSS")
    if not reset_peak_rss():  # fall back to the lifetime peak
        result["rss_before_mb"] = peak_rss_mb()
    t0 = time.perf_counter()
    with joblib.parallel_config(backend="loky"):
        predict_segy(est, args.src, args.dst, **kwargs)
    result["seconds"] = time.perf_counter() - t0
    result["peak_rss_mb"] = status_mb("self", "VmHWM") or peak_rss_mb()
    # worker processes (loky or dask nanny + worker) are descendants of this process
    peaks = [status_mb(p, "VmHWM") for p in descendants(os.getpid())]
    peaks = [p for p in peaks if p]
    if peaks:
        result["worker_peak_rss_mb"] = max(peaks)
    if client is not None:
        client.close()
        cluster.close()
    print("RESULT " + json.dumps(result), flush=True)


def measure(mode, src, dst, n_samples, chunk_traces):
    cmd = [sys.executable, __file__, "--run", mode, "--src", str(src), "--dst", str(dst),
           "--n-samples", str(n_samples), "--chunk-traces", str(chunk_traces)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if os.path.exists(dst):
        os.remove(dst)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{mode} run failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(lines[-1][len("RESULT "):])


# --------------------------------------------------------------------------------------------
# main


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n-traces", type=int, nargs="+", default=[1_000_000],
                   help="survey sizes to generate and predict (default 1000000)")
    p.add_argument("--n-samples", type=int, default=331)
    p.add_argument("--chunk-traces", type=int, default=4096)
    p.add_argument("--modes", nargs="+", default=["single", "jobs2", "dask"],
                   choices=["single", "jobs2", "dask"])
    p.add_argument("--dir", default="/tmp", help="where the survey is generated (default /tmp)")
    p.add_argument("--keep", action="store_true", help="keep the generated file")
    p.add_argument("--quick", action="store_true", help="write survey_quick.* instead")
    p.add_argument("--out", default=str(RESULTS))
    p.add_argument("--run", help=argparse.SUPPRESS)
    p.add_argument("--src", help=argparse.SUPPRESS)
    p.add_argument("--dst", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.run:
        return run_one(args)
    rows = []
    for n in args.n_traces:
        size = 3600 + n * (240 + 4 * args.n_samples)
        free = shutil.disk_usage(args.dir).free
        if 2.2 * size > free:
            sys.exit(f"not enough free space in {args.dir}: need ~{2.2 * size / 1e9:.1f} GB "
                     f"(survey + output), {free / 1e9:.1f} GB free")
        src = Path(args.dir) / f"impedance_sklearn_survey_{n}.sgy"
        dst = Path(args.dir) / f"impedance_sklearn_survey_{n}_impedance.sgy"
        try:
            t0 = time.perf_counter()
            generate_segy(src, n, args.n_samples)
            gen_s = time.perf_counter() - t0
            print(f"generated {src} ({size / 1e9:.2f} GB, {n:,} traces) in {gen_s:.1f} s; "
                  f"generator peak RSS {peak_rss_mb():.0f} MB", flush=True)
            for mode in args.modes:
                r = measure(mode, src, dst, args.n_samples, args.chunk_traces)
                row = {"n_traces": n, "n_samples": args.n_samples,
                       "file_gb": round(size / 1e9, 3), "mode": mode,
                       "chunk_traces": args.chunk_traces, "seconds": round(r["seconds"], 2),
                       "traces_per_s": round(n / r["seconds"]),
                       "peak_rss_main_mb": round(r["peak_rss_mb"]),
                       "rss_before_predict_mb": round(r["rss_before_mb"]),
                       "peak_rss_worker_mb": round(r.get("worker_peak_rss_mb", 0)) or "",
                       "cluster_start_s": round(r["cluster_start_s"], 2)
                       if "cluster_start_s" in r else "",
                       "generate_s": round(gen_s, 1)}
                rows.append(row)
                print(json.dumps(row), flush=True)
        finally:
            for path in (src, dst):
                if path.exists() and not (args.keep and path == src):
                    path.unlink()
    write_results(rows, Path(args.out), "survey_quick" if args.quick else "survey")


def write_results(rows, out, stem):
    from impedance_sklearn.evaluation import cpu_model

    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"{stem}.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    load = os.getloadavg()
    lines = [
        "# Whole-survey prediction (`benchmarks/survey.py`)", "",
        f"Machine: {cpu_model()}, {os.cpu_count()} CPU cores, Python "
        f"{platform.python_version()}; load average at the end {load[0]:.1f} "
        "(the cores are shared with other jobs, so times are pessimistic).",
        "Estimator: `TraceIntegration()` fitted on 1,000 synthetic traces. File: big-endian IEEE "
        "float SEG-Y, read from the page cache. Peak RSS: the kernel's high-water mark (VmHWM, "
        "reset just before `predict_segy`) of the calling process (main; its baseline "
        "is Python with numpy, scipy, scikit-learn and segyio), beside its RSS just before "
        "the call, and the "
        "lifetime peak of the largest worker process (loky workers or Dask nanny/worker).", "",
        "| traces | file (GB) | mode | chunk | time (s) | traces/s | peak RSS main (MB) "
        "| RSS before predict (MB) | peak RSS worker (MB) | cluster start (s) |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['n_traces']:,} | {r['file_gb']:.2f} | {r['mode']} | {r['chunk_traces']} "
            f"| {r['seconds']:.1f} | {r['traces_per_s']:,} | {r['peak_rss_main_mb']} "
            f"| {r['rss_before_predict_mb']} | {r['peak_rss_worker_mb']} "
            f"| {r['cluster_start_s']} |")
    (out / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out / (stem + '.md')} and {stem}.csv")


if __name__ == "__main__":
    main()
