"""Render the README figures from real package output.

    python docs/make_figures.py [--out docs] [--n-traces 300] [--seed 2019]

Data: :func:`impedance_sklearn.datasets.make_impedance_dataset` (the paper's recipe) with its
default settings ("test": vertical variogram ranges 10-60 m, as the paper's training set) and a
challenge set with longer ranges (100 m, outside the training design). Model: the paper's
published network, ``../shared/data/das2019_cnn_k300_f60_state_dict.pkl`` (set
``IMPEDANCE_SHARED_DATA`` to its folder if it lives elsewhere), loaded through
``ImpedanceCNN.from_state_dict`` and checked against the same two-layer network built here in
plain torch from the layout in design.md; if the package's CNN is not usable, the plain-torch
network is used instead (the script says which it used).

Writes ``trace_panel.png`` (4 traces: seismic beside true vs predicted impedance) and
``error_distributions.png`` (per-trace PCC and relative L2 of both sets) and prints the metrics.
Figures are written to a temporary file in the same folder and then renamed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from impedance_sklearn.datasets import make_impedance_dataset  # noqa: E402
from impedance_sklearn.metrics import r2, relative_l2, trace_pcc  # noqa: E402
from impedance_sklearn.plotting import plot_error_distributions, plot_traces  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("IMPEDANCE_SHARED_DATA", REPO.parent / "shared" / "data"))
WEIGHTS = SHARED / "das2019_cnn_k300_f60_state_dict.pkl"
DT = 4.3875e-4


def _reference_predictor(path):
    """The paper's network in plain torch, from the layout in design.md (a cross-check)."""
    import torch
    from torch import nn

    k, f = 300, 60
    p = int((k - 3) / 2)
    net = nn.Module()
    net.layer1 = nn.Sequential(nn.Conv1d(1, f, k, padding=p + 1), nn.ReLU())
    net.layer2 = nn.Sequential(nn.Conv1d(f, 1, k, padding=p + 2), nn.ReLU())
    net.load_state_dict(torch.load(path, weights_only=True, map_location="cpu"))
    net.eval()

    def predict(X):
        with torch.no_grad():
            x = torch.as_tensor(np.asarray(X, dtype=np.float32)[:, None, :])
            return net.layer2(net.layer1(x))[:, 0, :].double().numpy()

    return predict


def load_predictor(path, X_check):
    """Return (predict(X) -> y, description).

    Uses ``ImpedanceCNN.from_state_dict`` and checks it against the plain-torch network on
    ``X_check``; if the package's CNN cannot be loaded or fails to predict, falls back to the
    plain-torch network and says why.
    """
    reference = _reference_predictor(path)
    try:
        from impedance_sklearn import ImpedanceCNN

        est = ImpedanceCNN.from_state_dict(str(path))
        diff = np.max(np.abs(est.predict(X_check) - reference(X_check)))
    except Exception as exc:  # a doc script: render anyway, and say what happened
        return reference, f"plain torch (ImpedanceCNN unusable: {type(exc).__name__}: {exc})"
    if diff > 1e-3:
        raise RuntimeError(f"ImpedanceCNN and the plain-torch network differ by {diff:.3g}.")
    return est.predict, f"ImpedanceCNN.from_state_dict (max |diff| vs plain torch {diff:.2g})"


def save(fig, path):
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=110, bbox_inches="tight")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    print(f"wrote {path}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs")
    ap.add_argument("--n-traces", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2019)
    args = ap.parse_args(argv)
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass

    sets = {
        "test (ranges 10-60 m)": make_impedance_dataset(args.n_traces, random_state=args.seed),
        "challenge (range 100 m)": make_impedance_dataset(
            args.n_traces, vertical_range=100.0, random_state=args.seed + 1
        ),
    }
    predict, how = load_predictor(WEIGHTS, next(iter(sets.values()))[0][:20])
    print(f"model: {how}")
    scores = {}
    preds = {}
    for name, (X, y) in sets.items():
        p = predict(X)
        preds[name] = p
        scores[name] = {
            "PCC": trace_pcc(y, p, per_trace=True),
            "relative L2": relative_l2(y, p, per_trace=True),
        }
        print(
            f"{name}: {len(y)} traces, mean PCC {trace_pcc(y, p):.3f}, "
            f"mean relative L2 {relative_l2(y, p):.3f}, pooled r2 {r2(y, p):.3f}"
        )

    import matplotlib.pyplot as plt

    X, y = sets["test (ranges 10-60 m)"]
    fig = plot_traces(
        y,
        {"CNN (paper's weights)": preds["test (ranges 10-60 m)"]},
        X=X,
        n_traces=4,
        dt=DT,
        impedance_label="Ip (10$^6$ kg m$^{-2}$ s$^{-1}$)",
        show_pcc=True,
    )
    fig.suptitle(
        "The paper's CNN on make_impedance_dataset traces: true (black) vs predicted impedance",
        fontsize="medium",
    )
    save(fig, args.out / "trace_panel.png")
    plt.close(fig)

    fig = plot_error_distributions(scores, bins=30, title="Per-trace metrics, paper's CNN")
    save(fig, args.out / "error_distributions.png")
    plt.close(fig)


if __name__ == "__main__":
    main()
