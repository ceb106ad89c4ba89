"""A blind interval of a real well: Penobscot L-30 on the line through it (../shared/data).

The well is tied first, whole (:func:`impedance_sklearn.welltie.tie_well`: the sonic anchored at
0.4106 s at its top, the trace searched along crossline 1155, bulk shift, drift), which is a
calibration, as a blind well in a real study is tied too. Then, at each split, the log's upper
fraction (in time) trains every model on windows of ``--window`` samples of the trace at the well
(X) and the log (y), through :class:`~impedance_sklearn.WindowedRegressor`, with a
:class:`~impedance_sklearn.LowFrequencyModel` background fitted to the upper log (and without
one, for comparison); the whole logged interval is predicted and the part below the split,
which nothing was fitted or tuned on, is scored:

* ``band PCC``: correlation after an 8-60 Hz band-pass (4th-order Butterworth, both ways) of
  prediction and log (the band the seismic holds);
* ``raw PCC`` and ``rel. L2`` (``||pred - log|| / ||log||``) of the impedance itself.

Reference rows: the background alone (its straight line of ln Z, extrapolated), the bound the
issue describes (the log's own 8-60 Hz band on that background), and the shipped 4 ms network
``from_pretrained("field-4ms")``, which has seen no well (its impedance level is the generator's).

Writes ``benchmarks/results/penobscot.md`` and ``.csv``.

Usage::

    python benchmarks/penobscot.py [--splits 0.4 0.55 0.7] [--window 64] [--quick]
    python benchmarks/penobscot.py --window 64 96 --time-axis log --stem penobscot_logtime
    python benchmarks/penobscot.py --splits 0.4 0.45 0.5 0.55 0.6 0.65 0.7 --window 64 96 \
        --models ColoredInversion few-wells-ridge --stem penobscot_splits
    python benchmarks/penobscot.py --splits 0.4 0.45 0.5 0.55 0.6 0.65 0.7 --window 64 96 \
        --models ColoredInversion few-wells-ridge --fit-stride 1 --stem penobscot_every_start
    python benchmarks/penobscot.py --blind above --splits 0.3 0.35 0.4 0.45 0.5 0.55 0.6 \
        --window 64 96 --models ColoredInversion few-wells-ridge --stem penobscot_above
    (and the same with --fit-stride 1 --stem penobscot_above_every_start)
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from challenge import SHARED  # benchmarks/ is on sys.path
from scipy.signal import butter, sosfiltfilt
from sklearn.utils import Bunch

from impedance_sklearn import (
    ColoredInversion,
    FewWellsRegressor,
    ImpedanceCNN,
    LowFrequencyModel,
    ModelBasedInversion,
    TraceIntegration,
    WindowedRegressor,
)
from impedance_sklearn.estimators import make_estimator
from impedance_sklearn.estimators.pretrained import load_windowed
from impedance_sklearn.evaluation import (
    format_table,
    machine_description,
    write_results,
)
from impedance_sklearn.io import load_well, read_traces, well_on_time_axis
from impedance_sklearn.welltie import tie_well

RESULTS = Path(__file__).resolve().parent / "results"
TIME_AT_TOP = 0.4106


def band(a, dt, low=8.0, high=60.0):
    sos = butter(4, [low, high], btype="band", fs=1 / dt, output="sos")
    return sosfiltfilt(sos, a)


def blind_scores(pred, true, dt):
    bp, bt = band(pred, dt), band(true, dt)
    return {"band_pcc": float(np.corrcoef(bp, bt)[0, 1]),
            "raw_pcc": float(np.corrcoef(pred, true)[0, 1]),
            "rel_l2": float(np.linalg.norm(pred - true) / np.linalg.norm(true))}


def models(quick):
    epochs = 30 if quick else 150
    return {
        "ColoredInversion": ColoredInversion(),
        # the default lag search (+-40 samples, 17.5 ms at the paper's 0.44 ms) spans +-160 ms
        # at 4 ms, where a lag and a phase rotation trade off; after the tie +-8 ms is enough
        "ColoredInversion (max_lag=2: +-8 ms after the tie)": ColoredInversion(max_lag=2),
        "TraceIntegration": TraceIntegration(),
        "ModelBasedInversion": ModelBasedInversion(),
        "ImpedanceCNN (kernel 31)": ImpedanceCNN(kernel_size=31, max_epochs=epochs,
                                                 random_state=0),
        "FewWellsRegressor": FewWellsRegressor(random_state=0),
        "FewWellsRegressor (CNN kernel 31, convolutional)": FewWellsRegressor(
            ImpedanceCNN(kernel_size=31, max_epochs=30, random_state=0),
            forward="convolutional", random_state=0),
        "few-wells-ridge (RidgeCV, convolutional)": make_estimator("few-wells-ridge",
                                                                   {"random_state": 0}),
    }


def issue_ridge(log, train, seed=0, n_syn=300, half=32, block=24):
    """The reference of the real-wells issue: RidgeCV from a 65-sample seismic window to the
    detrended ln Z at its centre, trained only on synthetics made from the upper log (its
    reflectivity in 24-sample blocks, shuffled, random sign and scale, convolved with a 41-tap
    least-squares wavelet, white noise at the upper residual's level); the upper log's
    background added back (``train``: the slice of the log it learns from; the issue's is the
    upper part). Returns the prediction over the whole logged interval."""
    from sklearn.linear_model import RidgeCV

    from impedance_sklearn.physics import estimate_wavelet, reflectivity

    rng = np.random.default_rng(seed)
    x_up, z_up = log.trace[train], log.impedance[train]
    cut = x_up.size
    r_up = reflectivity(z_up[None], pad=True)[0]
    w = estimate_wavelet(x_up[None], r_up[None], 41, origin=20, damp=1e-2)
    noise = float(np.std(x_up - np.convolve(r_up, w, mode="same")))
    blocks = [r_up[i:i + block] for i in range(1, cut - block + 1, block)]
    Xf, yf = [], []
    for _ in range(n_syn):
        order = rng.permutation(len(blocks))
        r = np.concatenate([blocks[k] * rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 1.5)
                            for k in order])
        lz = 2 * np.cumsum(r)
        u = np.arange(lz.size)
        lz = lz - np.polyval(np.polyfit(u, lz, 1), u)
        x = np.convolve(r, w, mode="same") + noise * rng.standard_normal(r.size)
        xp = np.pad(x, half)
        idx = np.arange(0, r.size, 4)
        Xf.append(np.stack([xp[i:i + 2 * half + 1] for i in idx]))
        yf.append(lz[idx])
    model = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(np.concatenate(Xf), np.concatenate(yf))
    bg = LowFrequencyModel().fit(log.time[train], z_up)
    xp = np.pad(log.trace, half)
    feats = np.stack([xp[i:i + 2 * half + 1] for i in range(log.trace.size)])
    return np.exp(np.log(bg.predict(log.time[None])[0]) + model.predict(feats))


def tied_log():
    """The tied well on the survey's axis: Bunch of trace, impedance, time, mask, tie."""
    las, sgy = SHARED / "penobscot_L-30.las", SHARED / "penobscot_xl1155.sgy"
    if not (las.exists() and sgy.exists()):
        return None
    survey = read_traces(sgy)
    tie = tie_well(load_well(las, time_at_top=TIME_AT_TOP), survey.X, survey.time)
    a = well_on_time_axis(tie.well, survey.time)
    m = a.mask & np.isfinite(a.impedance)
    idx = np.flatnonzero(m)
    sl = slice(idx[0], idx[-1] + 1)
    return Bunch(trace=tie.trace[sl], impedance=a.impedance[sl], time=survey.time[sl],
                 dt=survey.dt, tie=tie, inline=int(survey.segy.inlines[tie.position]))


def run_split(log, split, window, quick, time_axis="linear", only=None, fit_stride=None,
              blind="below"):
    n = log.time.size
    cut = int(round(split * n))
    # train above the split and score below it (the issue's set-up), or the other way round
    train, test = (slice(0, cut), slice(cut, n)) if blind == "below" else \
        (slice(cut, n), slice(0, cut))
    x_up, z_up = log.trace[None, train], log.impedance[None, train]
    t0_up, t0 = float(log.time[train][0]), float(log.time[0])
    truth = log.impedance[test]
    rows = []
    bg = LowFrequencyModel(time_axis=time_axis).fit(log.time[train], log.impedance[train])
    trend = bg.predict(log.time[None])[0]
    line = "ln Z line" if time_axis == "linear" else "ln Z against ln t"
    rows.append({"split": split, "window": window, "model": f"background only ({line})",
                 "background": "yes", **blind_scores(trend[test], truth, log.dt), "fit_s": 0.0})
    bound = np.exp(np.log(trend) + band(np.log(log.impedance), log.dt))
    rows.append({"split": split, "window": window, "model": "bound: the log's 8-60 Hz on it",
                 "background": "yes", **blind_scores(bound[test], truth, log.dt), "fit_s": 0.0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shipped = load_windowed(ImpedanceCNN, "field-4ms").predict(log.trace[None])[0]
    rows.append({"split": split, "window": window, "model": "from_pretrained('field-4ms'), no well",
                 "background": "no", **blind_scores(shipped[test], truth, log.dt), "fit_s": 0.0})
    ridge = issue_ridge(log, train)
    rows.append({"split": split, "window": window, "model": "ridge on block-shuffled synthetics "
                 "(the issue's reference)", "background": "yes",
                 **blind_scores(ridge[test], truth, log.dt), "fit_s": 0.0})
    for name, est in models(quick).items():
        if only is not None and not any(o in name for o in only):
            continue
        for with_bg in (True, False):
            w = WindowedRegressor(est, window=window,
                                  background=LowFrequencyModel(time_axis=time_axis)
                                  if with_bg else None,
                                  dt=log.dt, fit_stride=fit_stride)
            c0 = time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                w.fit(x_up, z_up, t0=t0_up)
                pred = w.predict(log.trace[None], t0=t0)[0]
            rows.append({"split": split, "window": window, "model": name,
                         "background": "yes" if with_bg else "no",
                         **blind_scores(pred[test], truth, log.dt),
                         "fit_s": round(time.process_time() - c0, 1)})
            print(f"split {split} window {window} {name} bg={with_bg}: "
                  f"{rows[-1]['band_pcc']:.2f} {rows[-1]['raw_pcc']:.2f} "
                  f"{rows[-1]['rel_l2']:.3f}", file=sys.stderr)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--splits", type=float, nargs="+", default=[0.4, 0.55, 0.7])
    ap.add_argument("--window", type=int, nargs="+", default=[64])
    ap.add_argument("--quick", action="store_true", help="30 CNN epochs instead of 150")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--time-axis", choices=["linear", "log"], default="linear",
                    help="the background's trend: ln Z against time (default) or against ln t "
                         "(LowFrequencyModel(time_axis=)); the issue's ridge keeps its straight "
                         "line")
    ap.add_argument("--stem", default="penobscot")
    ap.add_argument("--models", nargs="+", metavar="NAME",
                    help="only the models whose row names contain one of these (the reference "
                         "rows are always there)")
    ap.add_argument("--fit-stride", type=int, nargs="+", metavar="N",
                    help="WindowedRegressor(fit_stride=N): samples between training windows, "
                         "one for every --window or one per window (default: the stride, a "
                         "quarter of the window)")
    ap.add_argument("--blind", choices=["below", "above"], default="below",
                    help="the blind part: below the split (the issue's; trained above it) or "
                         "above it (trained on the deeper part, the background extrapolated "
                         "upwards): a second blind interval that nothing was tuned on")
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    log = tied_log()
    if log is None:
        print(f"skipped: the Penobscot files are not in {SHARED}", file=sys.stderr)
        return
    strides = args.fit_stride or [None]
    if len(strides) not in (1, len(args.window)):
        ap.error(f"--fit-stride takes one value or one per --window ({len(args.window)}).")
    if len(strides) == 1:
        strides = strides * len(args.window)
    rows = []
    for window, stride in zip(args.window, strides):
        for split in args.splits:
            rows += run_split(log, split, window, args.quick, args.time_axis, args.models,
                              stride, args.blind)
    columns = [("split", "split", "{:.2f}"), ("window", "window", "{}"), ("model", "model", "{}"),
               ("background", "background", "{}"), ("band_pcc", "band PCC", "{:.3f}"),
               ("raw_pcc", "raw PCC", "{:.3f}"), ("rel_l2", "rel. L2", "{:.3f}"),
               ("fit_s", "fit (CPU s)", "{}")]
    c = log.tie.correlation
    pre = (f"Machine: {machine_description()}.  \n"
           f"Tie: inline {log.inline} (searched along crossline 1155), bulk shift "
           f"{log.tie.shift * 1e3:+.0f} ms, drift {log.tie.drift.shift.min() * 1e3:+.1f} to "
           f"{log.tie.drift.shift.max() * 1e3:+.1f} ms; correlation {c['before']:.2f} before, "
           f"{c['bulk']:.2f} after the shift (null at most {log.tie.null:.2f}), {c['after']:.2f} "
           f"after the drift. Logged {log.time[0]:.3f}-{log.time[-1]:.3f} s "
           f"({log.time.size} samples at {log.dt * 1e3:g} ms). "
           f"CNN: {'30' if args.quick else '150'} epochs. Background: LowFrequencyModel("
           f"time_axis={args.time_axis!r}). Training windows "
           f"{'/'.join(map(str, args.fit_stride)) if args.fit_stride else 'a quarter window'}"
           f" samples apart. Blind part: {args.blind} the split (trained on the part "
           f"{'above' if args.blind == 'below' else 'below'} it).")
    write_results(args.out, args.stem, rows, title="Penobscot L-30: a blind interval",
                  preamble=pre, columns=columns,
                  notes=f"Scored {args.blind} the split only (blind). band PCC: 8-60 Hz "
                        "band-pass of both; rel. L2 of the impedance itself.")
    print(format_table(rows, columns))


if __name__ == "__main__":
    main()
