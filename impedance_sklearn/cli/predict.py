"""``impedance-sklearn predict``: impedance for a file of seismic traces."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from impedance_sklearn.cli._common import (
    PROG,
    Scaled,
    UsageError,
    add_data_options,
    add_model_options,
    add_output_options,
    add_threads_option,
    check_output,
    check_survey,
    echo,
    file_kind,
    load_model,
    plural,
    predict_with_progress,
    read_data,
    require_input,
    set_threads,
)


def register(sub, fmt):
    p = sub.add_parser("predict", help="predict impedance for a file of seismic traces",
                       description="Predict impedance. .mat/.npz/.npy in -> same kind out "
                                   "(.mat: Seismic and Impedance, stored (n_samples, n_traces)); "
                                   "SEG-Y in -> SEG-Y out with the input's headers, streamed. "
                                   "The input is first compared with what the model was trained "
                                   "on (sampling, time window, trace length, amplitudes).")
    add_model_options(p)
    p.add_argument("--input", required=True, metavar="FILE")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--chunk-traces", type=int, default=8192, metavar="N",
                   help="traces per prediction chunk (default 8192)")
    p.add_argument("--resample", action="store_true", help="resample traces whose sampling "
                   "differs from the model's onto its samples (same time window; refused when "
                   "the windows differ)")
    p.add_argument("--match-amplitude", action="store_true", help="scale the input to the RMS "
                   "amplitude of the model's training seismic")
    p.add_argument("--force", action="store_true", help="overwrite --out; predict despite a "
                   "mismatch with the model's training data")
    add_threads_option(p)
    add_data_options(p, impedance=False)
    add_output_options(p)
    p.set_defaults(func=run)


class _AtTimes:
    """A windowed model predicted at the input's start time (and each trace's position),
    scaled like ``Scaled``: ``scale * estimator.predict(x_factor * X, t0=t0, positions=...)``."""

    def __init__(self, estimator, t0, scale=1.0, x_factor=1.0):
        self.estimator, self.t0, self.scale, self.x_factor = estimator, t0, scale, x_factor

    def __getattr__(self, name):
        return getattr(self.estimator, name)

    def __sklearn_is_fitted__(self):
        return True

    def predict(self, X, positions=None):
        X = np.asarray(X) * self.x_factor
        return np.asarray(self.estimator.predict(X, t0=self.t0, positions=positions)) \
            * self.scale


def _positions(est, src):
    """Each trace's position for a background from several wells, from the SEG-Y headers
    (the coordinate the model was trained with), or None when the model needs none."""
    if not _positions_needed(est):
        return None
    from impedance_sklearn.io.pairs import survey_positions
    from impedance_sklearn.io.segy import read_trace_headers

    lateral = (getattr(est, "training_info_", None) or {}).get("lateral")
    if lateral is None:
        raise UsageError("the model's background comes from several wells, but its file does "
                         "not say how traces are placed (inline, crossline); retrain it.")
    return survey_positions(lateral, read_trace_headers(src))


def _positions_needed(est):
    bg = getattr(est, "background_", None)
    return bg is not None and bg.well_positions_ is not None and bg.coef_.shape[0] > 1


def model_name(est):
    """``WindowedRegressor(ColoredInversion)`` for a windowed model, else the class name."""
    inner = getattr(est, "estimator_", None)
    if getattr(est, "min_trace_length_", None) is not None and inner is not None:
        return f"{type(est).__name__}({type(inner).__name__})"
    return type(est).__name__


def text_lines(est, model, scale, source):
    """The four textual-header lines of a predicted SEG-Y."""
    import impedance_sklearn

    unit = ("m/s x kg/m3" if scale == 1e6 else
            f"(m/s x kg/m3) / 1e6 x {scale:g}" if scale != 1.0 else
            "the model's units: (m/s x kg/m3) / 1e6 for the package's models")
    return [f"IMPEDANCE-SKLEARN {impedance_sklearn.__version__}: TRACES ARE ACOUSTIC IMPEDANCE",
            f"UNITS: {unit}"[:75],
            f"MODEL: {model_name(est)} FROM {str(model)[-50:]}"[:75],
            f"PREDICTED FROM: {source.name[-60:]}"]


def _pretrained_at(args, est, dt, n_samples):
    """A pretrained name on a survey: the family's network at the survey's sampling, windowed
    (traces of any length), when one is shipped; else the model as loaded."""
    from impedance_sklearn.estimators.pretrained import (
        PRETRAINED,
        load_windowed,
        pretrained_for,
    )

    name = str(args.model)
    if name not in PRETRAINED or Path(name).exists() or dt is None:
        return est
    chosen = pretrained_for(name, dt)
    if chosen is None:
        return est
    if chosen == name and n_samples == getattr(est, "n_features_in_", None):
        return est
    from impedance_sklearn.estimators.cnn import ImpedanceCNN

    w = load_windowed(ImpedanceCNN, chosen)
    echo(args, f"--model {name}: using {chosen!r}, trained at {dt * 1e3:.4g} ms, on windows of "
               f"{w.window} samples (traces of any length)")
    return w


def run(args):
    from impedance_sklearn.io import default_scale, predict_segy, write_traces
    from impedance_sklearn.io.segy import sample_traces

    set_threads(args)
    src = require_input(args.input, "input file")
    kind_in, kind_out = file_kind(src, "input file"), file_kind(args.out, "output file")
    if kind_in != kind_out:
        raise UsageError(f"--out {args.out!r} must be of the input's kind (.{kind_in}): "
                         "predictions are written in the format they were read from.")
    out = check_output(args.out, args.force, sources=[src])
    if args.chunk_traces < 1:
        raise UsageError(f"--chunk-traces must be >= 1, got {args.chunk_traces}.")
    est = load_model(args.model, trust=args.trust)
    scale = default_scale(kind_in, args.scale)
    if kind_in == "segy":
        X_look, samples, dt_ms, n_traces = sample_traces(src)
        est = _pretrained_at(args, est, dt_ms / 1000.0, X_look.shape[1])
        factor = check_survey(args, est, X_look, dt=dt_ms / 1000.0, t0=samples[0] / 1000.0,
                              resample=args.resample)
        params = None
        if getattr(est, "min_trace_length_", None) is not None:  # WindowedRegressor
            model = _AtTimes(est, samples[0] / 1000.0, scale, factor)
            positions = _positions(est, src)
            params = None if positions is None else {"positions": positions}
        else:
            model = est if (scale == 1.0 and factor == 1.0) else Scaled(est, scale, factor)
        t0 = time.perf_counter()
        predict_segy(model, src, out, chunk_traces=args.chunk_traces, progress=not args.quiet,
                     overwrite=args.force, resample=args.resample,
                     text=text_lines(est, args.model, scale, src), predict_params=params)
        echo(args, f"predicted {plural(n_traces, 'trace')} in {time.perf_counter() - t0:.1f} s;"
                   f" wrote {out}")
        return 0
    data = read_data(args, src, need_y=False)
    est = _pretrained_at(args, est, data.dt, data.X.shape[1])
    factor = check_survey(args, est, data.X, dt=data.dt, t0=data.t0, resample=args.resample)
    X = data.X if factor == 1.0 else data.X * factor
    if getattr(est, "min_trace_length_", None) is not None:  # WindowedRegressor
        if getattr(est, "background_", None) is not None and data.t0 is None:
            raise UsageError(f"{src} records no start time, which the model's background "
                             "needs: use a SEG-Y or an .npz with t0 in its metadata.")
        if _positions_needed(est):
            raise UsageError("the model's background comes from several wells: predict a "
                             "SEG-Y, whose headers place each trace.")
        est = _AtTimes(est, data.t0 if data.t0 is not None else est.t0)
    n_in = None if getattr(est, "min_trace_length_", None) is not None else \
        getattr(est, "n_features_in_", None)
    if args.resample and n_in is not None and X.shape[1] != n_in:
        from impedance_sklearn.physics.transforms import resample_traces

        X = resample_traces(np.asarray(X, dtype=np.float64), int(n_in))
    t0 = time.perf_counter()
    pred = predict_with_progress(est, X, quiet=args.quiet, chunk=args.chunk_traces)
    if args.resample and pred.ndim == 2 and pred.shape[1] != data.X.shape[1]:
        from impedance_sklearn.physics.transforms import resample_traces

        pred = resample_traces(pred, data.X.shape[1])
    seconds = time.perf_counter() - t0
    if not np.all(np.isfinite(pred)):
        raise ValueError(f"{type(est).__name__} predicted NaN or infinite values; nothing was "
                         f"written (see '{PROG} predict --help' on matching the input).")
    write_traces(out, pred, like=data, overwrite=args.force)
    echo(args, f"predicted {plural(data.X.shape[0], 'trace')} in {seconds:.2f} s; wrote {out}")
    return 0
