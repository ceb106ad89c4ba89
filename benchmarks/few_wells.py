"""Few wells to a whole section: SectionInversion against the baselines and PyLops' own recipe.

Two fields, each a 2-D section (traces in lateral order):

* ``pylops`` -- the PyLops post-stack tutorial model (``../shared/data/pylops_poststack_model.npz``,
  skipped without it), ``model[:, ::3]`` (267 traces x 550 samples, dt 4 ms), modelled as its
  tutorial does: ``PoststackLinearModelling(wav / 2) * log(model)``, 20 Hz Ricker of 41 samples;
* ``generated`` -- ``datasets.make_section(random_state=0)``: folded layers with a fault, the
  same modelling.

White noise of 10 % of the section's RMS (seed 0); N = 5, 10, 20 wells evenly spaced; every
method scored on all the other traces. Rows: ``SectionInversion()`` (its defaults: the section
workflow), the package's baselines fitted on the wells (``ModelBasedInversion`` also with its
section options, Laplacian and blocky, and with the background interpolated from the wells),
and PyLops' own recipe (its tutorial:
the background is the *true* model smoothed, an oracle no real survey has): trace by trace,
spatially regularised (``epsR=5e1``) and blocky (Split-Bregman). For SectionInversion, the
coverage of its 90 % intervals (mean +- 1.645 std) on the scored traces.

Writes ``benchmarks/results/few_wells.md``, ``.csv`` and ``few_wells.png`` (the PyLops section
with 10 wells: true, predicted, error, standard deviation).

Usage::

    python benchmarks/few_wells.py [--wells 5 10 20] [--noise 0.1]
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from challenge import SHARED  # benchmarks/ is on sys.path

from impedance_sklearn import (
    ColoredInversion,
    ModelBasedInversion,
    SectionInversion,
    TraceIntegration,
)
from impedance_sklearn.datasets import make_section
from impedance_sklearn.evaluation import (
    format_table,
    machine_description,
    scores,
    write_results,
)

RESULTS = Path(__file__).resolve().parent / "results"


def _pylops_field(noise, seed=0):
    from pylops.avo.poststack import PoststackLinearModelling
    from pylops.utils.wavelets import ricker

    path = SHARED / "pylops_poststack_model.npz"
    if not path.exists():
        return None
    m = np.load(path)["model"][:, ::3]
    nt0, nx = m.shape
    wav = ricker(np.arange(nt0)[:21] * 0.004, f0=20)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        d = (PoststackLinearModelling(wav / 2, nt0=nt0, spatdims=nx) @ np.log(m)).T
    rng = np.random.default_rng(seed)
    X = d + noise * np.sqrt(np.mean(d**2)) * rng.standard_normal(d.shape)
    return X, m.T, wav


def _generated_field(noise, seed=0):
    X, y, info = make_section(noise=noise, random_state=seed, return_info=True)
    return X, y, info.wavelet


def _pylops_recipe(X, y, wav):
    """PyLops' tutorial: background = the true log model smoothed (boxcars of 60 samples and 50
    traces, filtfilt); trace by trace (explicit, epsI=4e-2), spatially regularised from it
    (LSQR, epsR=5e1, damp 1e-2, 80 iterations) and blocky (Split-Bregman, epsR=0.4,
    epsRL1=0.1, mu=0.1)."""
    from pylops.avo.poststack import PoststackInversion
    from scipy.signal import filtfilt

    mback = filtfilt(np.ones(60) / 60.0, 1, np.log(y).T, axis=0)
    mback = filtfilt(np.ones(50) / 50.0, 1, mback, axis=1)
    d = X.T
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = PoststackInversion(d, wav / 2, m0=mback, explicit=True, epsI=4e-2,
                                   simultaneous=False)[0]
        out["PyLops recipe, trace by trace (oracle background)"] = dense
        out["PyLops recipe, spatially regularised epsR=5e1 (oracle)"] = PoststackInversion(
            d, wav / 2, m0=dense, explicit=False, epsR=5e1,
            **dict(damp=np.sqrt(1e-4), iter_lim=80, show=0))[0]
        out["PyLops recipe, blocky Split-Bregman (oracle)"] = PoststackInversion(
            d, wav / 2, m0=mback, explicit=False, epsR=0.4, epsRL1=0.1,
            **dict(mu=0.1, niter_outer=3, niter_inner=1, iter_lim=40, show=0))[0]
    return {k: np.exp(np.asarray(v).reshape(d.shape)).T for k, v in out.items()}


def _run_field(name, X, y, wav, n_wells_list, rows, keep):
    n_tr = X.shape[0]
    recipe = _pylops_recipe(X, y, wav)
    for n_w in n_wells_list:
        wells = np.linspace(0, n_tr - 1, n_w).round().astype(int)
        others = np.setdiff1d(np.arange(n_tr), wells)
        ests = {"SectionInversion()": SectionInversion(),
                "TraceIntegration": TraceIntegration(), "ColoredInversion": ColoredInversion(),
                "ModelBasedInversion": ModelBasedInversion(),
                "ModelBasedInversion(regularization='laplacian', eps_r=0.3)":
                    ModelBasedInversion(regularization="laplacian", eps_r=0.3),
                "ModelBasedInversion(regularization='blocky', eps_r=0.3)":
                    ModelBasedInversion(regularization="blocky", eps_r=0.3),
                "ModelBasedInversion, background from the wells (well_positions)":
                    ModelBasedInversion()}
        for label, est in ests.items():
            t0 = time.process_time()
            cover = ""
            if isinstance(est, SectionInversion):
                est.fit(X[wells], y[wells], X_unlabeled=X, well_positions=wells)
                Z, S = est.predict(X, return_std=True)
                cover = float(np.mean(np.abs(y[others] - Z[others]) <= 1.645 * S[others]))
                if n_w == 10:
                    keep[name] = (y, Z, S, wells)
            elif "well_positions" in label:
                est.fit(X[wells], y[wells], well_positions=wells)
                Z = est.predict(X)
            else:
                est.fit(X[wells], y[wells])
                Z = est.predict(X)
            cpu = time.process_time() - t0
            rows.append({"field": name, "wells": n_w, "model": label,
                         **scores(y[others], Z[others]), "coverage90": cover,
                         "cpu_s": round(cpu, 1)})
        for label, Z in recipe.items():
            rows.append({"field": name, "wells": n_w, "model": label,
                         **scores(y[others], Z[others]), "coverage90": "", "cpu_s": ""})
        print(f"{name}: {n_w} wells done", file=sys.stderr, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wells", type=int, nargs="+", default=[5, 10, 20])
    ap.add_argument("--noise", type=float, default=0.1)
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args(argv)
    rows, keep = [], {}
    fields = {"pylops": _pylops_field(args.noise), "generated": _generated_field(args.noise)}
    for name, field in fields.items():
        if field is None:
            print(f"skipping {name}: {SHARED / 'pylops_poststack_model.npz'} not found",
                  file=sys.stderr)
            continue
        _run_field(name, *field, args.wells, rows, keep)
    cols = [("field", "field", "{}"), ("wells", "wells", "{}"), ("model", "model", "{}"),
            ("pcc", "PCC", "{:.3f}"), ("rel_l2", "rel. L2", "{:.3f}"), ("r2", "r2", "{:.3f}"),
            ("coverage90", "90 % coverage", "{}"), ("cpu_s", "CPU s", "{}")]
    for r in rows:
        if r["coverage90"] != "":
            r["coverage90"] = f"{r['coverage90']:.3f}"
    preamble = (f"Machine: {machine_description()}.  \nNoise {args.noise:.0%} of the section's "
                "RMS; wells evenly spaced; scores on every other trace.")
    notes = ("PCC and r2: higher is better; rel. L2: lower is better. The PyLops recipe rows use "
             "the true model smoothed as background (its tutorial's choice): an oracle, shown "
             "as the reference the tutorial gives.")
    figure = _figure(keep.get("pylops") or keep.get("generated"))
    write_results(args.out, "few_wells", rows, title="Few wells to a whole section",
                  preamble=preamble, columns=cols, notes=notes, figure=figure)
    print(format_table(rows, cols))
    return 0


def _figure(kept):
    if kept is None:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    y, Z, S, wells = kept
    fig, axes = plt.subplots(1, 4, figsize=(16, 4), sharey=True)
    vmin, vmax = np.percentile(y, [1, 99])
    err = Z - y
    lim = float(np.percentile(np.abs(err), 99))
    panels = [(y, "true impedance", "viridis", vmin, vmax), (Z, "SectionInversion", "viridis",
              vmin, vmax), (err, "error (predicted - true)", "RdBu_r", -lim, lim),
              (S, "posterior std", "magma", 0, float(np.percentile(S, 99)))]
    for ax, (A, title, cmap, lo, hi) in zip(axes, panels):
        im = ax.imshow(A.T, aspect="auto", cmap=cmap, vmin=lo, vmax=hi)
        for w in wells:
            ax.axvline(w, color="w" if cmap != "RdBu_r" else "k", lw=0.5, alpha=0.7)
        ax.set_title(title)
        ax.set_xlabel("trace")
        fig.colorbar(im, ax=ax, fraction=0.05)
    axes[0].set_ylabel("time sample (4 ms)")
    fig.suptitle(f"PyLops post-stack model, {len(wells)} wells (lines), 10 % noise")
    fig.tight_layout()
    return fig


if __name__ == "__main__":
    sys.exit(main())
