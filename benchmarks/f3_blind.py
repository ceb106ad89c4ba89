"""F3 Netherlands: three wells on one arbitrary line, each left out in turn.

The wells' LAS logs and checkshots as delivered (``../shared/data``), placed by their header
X/Y on the line's CDP X/Y and tied with one Ricker and one polarity (``tie_wells``; F02-1 does
not tie and is kept anyway, so that each of three wells can be left out); then
``leave_one_well_out`` for the classical inversions and variants of the few-wells ridge (real
pairs, noise, window). Each cell: band PCC (8-60 Hz) / raw PCC / rel. L2 over the blind log's
measured interval. F3 data: dGB Earth Sciences and TNO, CC BY-SA.

Writes ``benchmarks/results/f3_blind.md`` and ``.csv``.

Usage::

    OMP_NUM_THREADS=1 NUMBA_NUM_THREADS=1 python benchmarks/f3_blind.py [--windows 64 96]
"""

import argparse
import itertools
import time
import warnings
from pathlib import Path

from impedance_sklearn.estimators import make_estimator
from impedance_sklearn.evaluation import machine_description, write_results
from impedance_sklearn.evaluation.blind import leave_one_well_out
from impedance_sklearn.io import load_well, locate_well, read_traces
from impedance_sklearn.welltie import tie_wells

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
WELLS = ("F02-1", "F03-4", "F06-1")


def tied_wells(survey):
    """The three wells tied with one Ricker and polarity; their rows of the survey."""
    wells, rows = [], []
    for name in WELLS:
        w = load_well(SHARED / f"f3_{name}.las", time_depth=SHARED / f"f3_{name}_checkshot.txt")
        wells.append(w)
        rows.append(locate_well(survey, w.location["x"], w.location["y"]).index)
    shared = tie_wells(wells, survey.X, survey.time, rows)
    return [t.well for t in shared.ties], rows, shared


def models(windows_variants):
    out = {"colored": make_estimator("colored", {"max_lag": 2}),
           "model-based": make_estimator("model-based", {})}
    for ww, noise in windows_variants:
        out[f"few-wells-ridge (real pairs {ww:.0%}, noise {noise})"] = make_estimator(
            "few-wells-ridge", {"random_state": 0, "well_weight": ww, "noise": noise})
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--windows", type=int, nargs="+", default=[64, 96])
    ap.add_argument("--out", default=Path(__file__).resolve().parent / "results")
    args = ap.parse_args(argv)
    if not (SHARED / "f3_arbline.sgy").exists():
        raise SystemExit(f"{SHARED} has no F3 files: nothing to measure.")
    warnings.simplefilter("ignore")
    survey = read_traces(SHARED / "f3_arbline.sgy")
    wells, rows_at, shared = tied_wells(survey)
    variants = list(itertools.product((0.0, 0.1, 0.5), ("auto", 0.2, 0.5)))
    table = []
    c0 = time.process_time()
    for window in args.windows:
        ests = models(variants)
        fit = {k: {"X_unlabeled": survey.X} for k in ests if k.startswith("few-wells")}
        res = leave_one_well_out(ests, wells, survey, rows_at, window=window, names=WELLS,
                                 fit_params=fit)
        cells = {(r["well"], r["model"]): r for r in res.rows}
        for model in dict.fromkeys(r["model"] for r in res.rows):
            row = {"window": window, "model": model}
            for w in WELLS:
                c = cells[(w, model)]
                row[w] = f"{c['band_pcc']:.2f} / {c['raw_pcc']:.2f} / {c['rel_l2']:.3f}"
            table.append(row)
            print(row, flush=True)
    ties = "; ".join(f"{w} r {t.correlation['bulk']:.2f} (null {t.null:.2f}), shift "
                     f"{t.shift * 1e3:+.0f} ms" for w, t in zip(WELLS, shared.ties))
    pre = (f"{machine_description()}\n\nTies: one Ricker ({shared.frequency:g} Hz) and polarity "
           f"({shared.polarity:+d}) for all; {ties}. {time.process_time() - c0:.0f} CPU-s for "
           "the blind runs.")
    cols = [("window", "window", "{}"), ("model", "model", "{}")] + [
        (w, f"{w} blind", "{}") for w in WELLS]
    write_results(args.out, "f3_blind", table, title="F3: each well left out in turn",
                  preamble=pre, columns=cols,
                  notes="Each cell: band PCC (8-60 Hz) / raw PCC / rel. L2 over the blind "
                        "log's measured interval; trained on the two other wells.")


if __name__ == "__main__":
    main()
