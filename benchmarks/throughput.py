"""Training and inference throughput: the seed's loop vs ImpedanceCNN, side by side in one run.

The seed (Das et al. 2019 tutorial) trains with batch 1 (one optimizer step per trace) and
predicts one trace at a time with ``F.conv1d``-based ``nn.Conv1d`` layers. ImpedanceCNN computes
the same function (same weights give the same outputs to float32 round-off) with FFT
convolutions, mini-batches and skorch's loop. Both train on the same traces for the same
number of epochs; throughput is traces per second (traces x epochs / wall time).

Usage::

    python benchmarks/throughput.py            # ~1-2 minutes on 2 cores
    python benchmarks/throughput.py --quick    # a few seconds, for smoke tests
    python benchmarks/throughput.py --device cuda

Writes benchmarks/results/throughput.md and .csv (and .png when matplotlib is available).
Timings on a shared machine move with the load; the ratios are measured side by side.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import torch
from survey import reset_peak_rss, status_mb  # benchmarks/ is on sys.path for scripts
from torch import nn

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.evaluation import cpu_model, write_csv
from impedance_sklearn.io import write_text

RESULTS = Path(__file__).resolve().parent / "results"


class SeedCNN(nn.Module):
    """The seed's network, verbatim."""

    def __init__(self):
        super().__init__()
        self.layer1 = nn.Sequential(
            nn.Conv1d(1, 60, kernel_size=300, stride=1, padding=int((300 - 3) / 2) + 1), nn.ReLU()
        )
        self.layer2 = nn.Sequential(
            nn.Conv1d(60, 1, kernel_size=300, stride=1, padding=int((300 - 3) / 2) + 2), nn.ReLU()
        )

    def forward(self, x):
        return self.layer2(self.layer1(x))


def _data(n, seed=0):
    from impedance_sklearn.datasets import make_impedance_dataset

    X, y = make_impedance_dataset(n, random_state=seed)
    return np.asarray(X, np.float32), np.asarray(y, np.float32), "make_impedance_dataset"


def seed_train(X, y, epochs, device):
    """The seed's loop: Adam 1e-3, MSE, batch 1, traces in order."""
    torch.manual_seed(0)
    cnn = SeedCNN().to(device)
    crit = nn.MSELoss()
    opt = torch.optim.Adam(cnn.parameters(), lr=1e-3)
    xt = torch.from_numpy(X).to(device)
    yt = torch.from_numpy(y).to(device)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        for i in range(len(X)):
            x = xt[i].view(1, 1, -1)
            opt.zero_grad()
            loss = crit(cnn(x), yt[i].view(1, 1, -1))
            loss.backward()
            opt.step()
    if device != "cpu":
        torch.cuda.synchronize()
    n = len(X) * epochs
    return n / (time.perf_counter() - t0), n / (time.process_time() - c0), cnn


class _MatmulNet(torch.autograd.Function):
    """The package's two-layer network as five matrix products per step, in ``dtype``.

    Not the package's path: measured here beside it, for the ceiling of the arithmetic. With
    bfloat16 the products run on the CPU's matrix units where it has them (AMX, AVX512-BF16).
    The windows of all traces sit side by side, so each product is one large ``mm``:
    ``h = W1 @ windows(x)`` (c, n L1), ``z[t] = sum_j (W2^T @ pad(relu(h)))[j, t + j]``; the
    backward products are the transposes, with the flipped windows of dz.
    """

    @staticmethod
    def forward(ctx, x, w1, b1, w2, b2, p1, p2, dtype):
        pad = torch.nn.functional.pad
        n, _, length = x.shape
        c, _, k = w1.shape
        len1 = length + 2 * p1 - k + 1
        width = length + k - 1
        xp = pad(x[:, 0], (p1, len1 + k - 1 - p1 - length)).to(dtype)
        xw = xp.unfold(1, len1, 1).transpose(0, 1).reshape(k, n * len1)
        h = torch.mm(w1[:, 0].to(dtype), xw)  # (c, n len1)
        g = torch.relu(h.add_(b1.to(dtype)[:, None])).view(c, n, len1)
        prod = torch.mm(w2[0].t().to(dtype), pad(g, (p2, width - p2 - len1)).view(c, -1))
        z = prod.as_strided((n, k, length), (width, n * width + 1, 1)).sum(1)
        ctx.save_for_backward(xw, w2, g)
        ctx.geom = (p2, dtype)
        return z.to(x.dtype).unsqueeze(1) + b2.view(1, 1, 1)

    @staticmethod
    def backward(ctx, dz):
        xw, w2, g = ctx.saved_tensors
        p2, dtype = ctx.geom
        c, n, len1 = g.shape
        k, length = xw.shape[0], dz.shape[-1]
        dzp = torch.nn.functional.pad(dz[:, 0], (k - 1 - p2, len1 + p2 - length)).to(dtype)
        d = dzp.unfold(1, len1, 1).transpose(0, 1).reshape(k, n * len1)  # kernel index flipped
        g2 = g.reshape(c, n * len1)
        dh = torch.ops.aten.threshold_backward(torch.mm(w2[0].flip(-1).to(dtype), d), g2, 0)
        dw2 = torch.mm(g2, d.t()).float().flip(-1)
        dw1 = torch.mm(dh, xw.t()).float()
        return (None, dw1.view(c, 1, k), dh.sum(1, dtype=torch.float32),
                dw2.view(1, c, k), dz.sum().reshape(1), None, None, None)


def bare_train(X, y, epochs, batch_size, device, dtype=None):
    """The package's network without skorch or scalings: Adam 1e-3, MSE, batches in order.

    ``dtype=None``: its own FFT convolutions (float32); a torch dtype: :class:`_MatmulNet`.
    Returns (traces/s, traces per CPU-second, max |output - FFT output| / max |FFT output|).
    """
    from impedance_sklearn.estimators.nn import ImpedanceModule

    torch.manual_seed(0)
    net = ImpedanceModule(output_activation="linear").to(device)
    c1, c2 = net.layer1[0], net.layer2[0]

    def forward(x):
        if dtype is None:
            return net(x)
        return _MatmulNet.apply(x, c1.weight, c1.bias, c2.weight, c2.bias, net.p1, net.p2,
                                dtype)

    xt = torch.from_numpy(X).to(device).unsqueeze(1)
    yt = torch.from_numpy(y).to(device).unsqueeze(1)
    with torch.no_grad():
        probe = xt[:batch_size]
        ref = net(probe)
        diff = float((forward(probe) - ref).abs().max() / ref.abs().max())
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    crit = nn.MSELoss()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        for i in range(0, len(X), batch_size):
            opt.zero_grad()
            crit(forward(xt[i:i + batch_size]), yt[i:i + batch_size]).backward()
            opt.step()
    if device != "cpu":
        torch.cuda.synchronize()
    n = len(X) * epochs
    return n / (time.perf_counter() - t0), n / (time.process_time() - c0), diff


def seed_predict(cnn, X, device):
    """The seed's prediction: one trace at a time under no_grad."""
    cnn.eval()
    t0, c0 = time.perf_counter(), time.process_time()
    with torch.no_grad():
        out = [cnn(torch.from_numpy(x).view(1, 1, -1).to(device)).cpu().numpy() for x in X]
    if device != "cpu":
        torch.cuda.synchronize()
    n = len(X)
    return n / (time.perf_counter() - t0), n / (time.process_time() - c0), np.concatenate(out)[:, 0]


def _malloc_trim():
    """Give the heap's free pages back to the OS (glibc only; untimed, between measurements).

    The seed's per-trace inference (``nn.Conv1d`` under ``no_grad``, one trace per call) grows
    the process by ~10-20 MB per trace on some machines (torch 2.13.0+cpu on an AMD EPYC: peak
    RSS 22.6 GB for 1,024 traces; with 1 or 2 threads alike; ImpedanceCNN's own predict stays
    under 0.5 GB, in FFT and direct mode). Trimming between runs (untimed) gives the memory
    back before the next measurement, and the seed predicts at most 256 traces per run.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc
        pass


def _write_atomic(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(text, path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="tiny run (smoke test)")
    p.add_argument("--n-train", type=int, default=520)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--n-predict", type=int, default=1024)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--skip-default-fit", action="store_true",
                   help="do not time a full default fit (150 epochs)")
    args = p.parse_args(argv)
    if args.quick:
        args.n_train, args.epochs, args.n_predict = 32, 1, 128
    if args.threads:
        torch.set_num_threads(args.threads)
    dev = args.device

    X, y, source = _data(max(args.n_train, args.n_predict))
    Xtr, ytr, Xp = X[: args.n_train], y[: args.n_train], X[: args.n_predict]

    rows = []
    # warm-ups (oneDNN primitives, FFT plans, thread pools) are not timed
    seed_train(Xtr[:4], ytr[:4], 1, dev)
    ImpedanceCNN(max_epochs=1, device=dev).fit(Xtr[:64], ytr[:64])
    seed_tr, seed_tr_cpu, seed_net = seed_train(Xtr, ytr, args.epochs, dev)
    print(f"seed training: {seed_tr:.0f} traces/s", flush=True)
    rows.append(("train", "seed loop (batch 1, nn.Conv1d)", 1, seed_tr, 1.0, seed_tr_cpu, 1.0))
    for bs in sorted({ImpedanceCNN().batch_size, 32}):
        est = ImpedanceCNN(max_epochs=args.epochs, batch_size=bs, random_state=0, device=dev)
        t0, c0 = time.perf_counter(), time.process_time()
        est.fit(Xtr, ytr)
        n = args.n_train * args.epochs
        rate, cpu = n / (time.perf_counter() - t0), n / (time.process_time() - c0)
        core = getattr(est.module_, "core", est.module_)  # inside the standardisation
        mode = "FFT" if core._use_fft(torch.zeros(1, device=dev)) else "direct"
        rows.append(("train", f"ImpedanceCNN.fit ({mode})", bs, rate, rate / seed_tr, cpu,
                     cpu / seed_tr_cpu))

    # the network's own arithmetic without the loop around it: the ceiling of ImpedanceCNN.fit
    bare_train(Xtr[:64], ytr[:64], 1, 32, dev)  # warm-up
    own = "FFT, float32" if dev == "cpu" else "the module's convolutions"
    for label, dtype in ((own, None), ("matrix products, float32", torch.float32),
                         ("matrix products, bfloat16", torch.bfloat16)):
        if dtype is not None and dev != "cpu":
            continue
        if dtype is not None:
            bare_train(Xtr[:64], ytr[:64], 1, 32, dev, dtype)
        rate, cpu, diff = bare_train(Xtr, ytr, args.epochs, 32, dev, dtype)
        rows.append(("train", f"the network's step alone ({label}; no skorch, no scalings; "
                     f"output {diff:.0e} from FFT's)", 32, rate, rate / seed_tr, cpu,
                     cpu / seed_tr_cpu))

    # inference: the same trained weights in both, so the outputs can be compared
    # The seed's per-trace rate swings widely on this machine (35 to 800 traces/s seen for the
    # same weights, depending on the process's state right after training). To keep the ratio
    # conservative, the seed predicts with a fresh copy of its trained weights, three times,
    # and its best run is the reference.
    seed_copy = SeedCNN().to(dev)
    seed_copy.load_state_dict(seed_net.state_dict())
    # The seed predicts at most 256 traces per run: its per-trace nn.Conv1d calls can grow the
    # process by ~10-20 MB per trace on some machines (see _malloc_trim).
    Xseed = Xp[:256]
    seed_predict(seed_copy, Xp[:64], dev)
    _malloc_trim()
    reset_peak_rss()
    runs = []
    for _ in range(3):
        runs.append(seed_predict(seed_copy, Xseed, dev))
        _malloc_trim()
    seed_peak = status_mb("self", "VmHWM")
    seed_inf, seed_inf_cpu, ref = max(runs, key=lambda r: r[0])
    reset_peak_rss()
    rows.append(("predict", "seed per-trace (nn.Conv1d)", 1, seed_inf, 1.0, seed_inf_cpu, 1.0))
    pkg = ImpedanceCNN.from_state_dict(seed_net.state_dict(), device=dev)
    max_diff = float(np.abs(pkg.predict(Xseed) - ref).max())
    for bs in (1, 16, 32, 64, 256, 1024):
        pkg.set_params(batch_size=bs)
        pkg.predict(Xp[: min(bs, len(Xp))])  # warm-up
        t0, c0 = time.perf_counter(), time.process_time()
        pkg.predict(Xp)
        rate = len(Xp) / (time.perf_counter() - t0)
        cpu = len(Xp) / (time.process_time() - c0)
        rows.append(("predict", "ImpedanceCNN.predict", bs, rate, rate / seed_inf, cpu,
                     cpu / seed_inf_cpu))

    pkg_peak = status_mb("self", "VmHWM")
    print("inference done", flush=True)
    default_fit = None
    if not args.quick and not args.skip_default_fit:
        t0, c0 = time.perf_counter(), time.process_time()
        est = ImpedanceCNN(random_state=0, device=dev).fit(Xtr, ytr)
        default_fit = (time.perf_counter() - t0, time.process_time() - c0, est.max_epochs,
                       est.batch_size)

    machine = {
        "cpu": cpu_model(),
        "cores (os.cpu_count)": os.cpu_count(),
        "torch": torch.__version__,
        "torch threads": torch.get_num_threads(),
        "device": dev if dev == "cpu" else torch.cuda.get_device_name(torch.device(dev)),
        "load average (1 min) at end": round(os.getloadavg()[0], 2),
        "note": "wall-clock rates move with other users' load; the CPU-second rates "
        "(process time) are steadier on a shared machine",
        "data": f"{source}: {args.n_train} training traces x {X.shape[1]} samples, "
        f"{args.epochs} epoch(s); {args.n_predict} traces predicted ({len(Xseed)} per run by "
        "the seed, best of 3 runs)",
        "max |package - seed| on the same weights": f"{max_diff:.2e}",
    }
    if seed_peak is not None and pkg_peak is not None:
        machine["peak RSS while predicting (seed per-trace / ImpedanceCNN)"] = (
            f"{seed_peak:,.0f} MB / {pkg_peak:,.0f} MB"
        )
    if default_fit:
        machine["default ImpedanceCNN().fit on the training traces"] = (
            f"{default_fit[0]:.1f} s wall, {default_fit[1]:.1f} s CPU "
            f"({default_fit[2]} epochs, batch {default_fit[3]})"
        )

    out = args.out
    name = "throughput_quick" if args.quick else "throughput"
    lines = [
        "# Throughput: seed vs ImpedanceCNN\n",
        "| | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in machine.items()],
        "",
        "| task | method | batch | traces/s (wall) | x seed | traces per CPU-second | x seed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        *[f"| {t} | {m} | {b} | {r:,.0f} | {x:.1f} | {c:,.0f} | {xc:.1f} |"
          for t, m, b, r, x, c, xc in rows],
        "",
    ]
    _write_atomic(out / f"{name}.md", "\n".join(lines))
    keys = ["task", "method", "batch_size", "traces_per_s", "x_seed", "traces_per_cpu_s",
            "x_seed_cpu"]
    write_csv([dict(zip(keys, (t, m, b, f"{r:.1f}", f"{x:.2f}", f"{c:.1f}", f"{xc:.2f}")))
               for t, m, b, r, x, c, xc in rows], out / f"{name}.csv")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 3.5))
        labels = [f"{t}: {m.split(' (')[0]}, batch {b}" for t, m, b, *_ in rows]
        ax.barh(range(len(rows)), [r[3] for r in rows],
                color=["C1" if "seed" in r[1] else "C0" for r in rows])
        ax.set_yticks(range(len(rows)), labels, fontsize=6)
        ax.set_xscale("log")
        ax.set_xlabel("traces per second (log)")
        ax.invert_yaxis()
        fig.tight_layout()
        from impedance_sklearn.plotting import save_figure

        save_figure(fig, out / f"{name}.png")
    except ImportError:  # pragma: no cover
        pass
    print("\n".join(lines))
    return rows


if __name__ == "__main__":
    main()
