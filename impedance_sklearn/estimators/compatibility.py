"""What a model was trained on, and whether a survey matches it.

A model that is applied to data unlike its training data fails silently: the paper's network on
the Volve cube (4 ms sampling against 0.44 ms, amplitudes 32 times larger) returns mostly zeros
without a word. So every model saved by the command line carries a description of its training
data (:func:`describe_training_data`: sampling interval, time window, trace length, the
seismic's amplitude statistics, impedance units), and :func:`check_compatibility` compares a
survey with it before predicting:

==================  ============================================  ==============================
finding             when                                          fix it names
==================  ============================================  ==============================
``samples``         another trace length                          ``--resample`` (same window)
``sampling``        another sampling interval (> 1 %)             ``--resample``
``window``          with resampling, time windows of different    crop the survey to the model's
                    length (more than one sample of the coarser   window, or a model trained on
                    grid)                                         this window
``amplitude``       RMS amplitude off by more than 3 times        ``--match-amplitude`` (scale to
                                                                  the training RMS), a
                                                                  well-matched model
``noise``           more than ``NOISE_TOLERANCE`` times the       a network trained with noise
                    training data's share of energy above the     (``from_pretrained("field")``),
                    frequency that holds 99.9 % of it (white      or low-pass the survey
                    noise, or finer sampling)                     (a note, not blocking)
``spectrum``        a narrower band: 95 % of the input's energy   a network trained on this band
                    below ``BAND_TOLERANCE`` times the training   (a note, not blocking)
                    data's 95 % frequency (a lower-frequency
                    wavelet, a coarse survey)
==================  ============================================  ==============================

The spectral findings need ``info["spectrum"]`` (recorded by :func:`describe_training_data` when
``dt`` is known; :func:`spectrum_summary`) and a sampling interval (the input's, else the
model's). Spectra are averaged over traces, each with its mean removed and a Hann taper (an
untapered trace's ends leak energy to every frequency). The spectrum check sees a band, not
the finer loss that a network trained on full-band synthetics suffers on data low-passed at
125 Hz (``from_pretrained("das2019")`` there: see docs/cnn.md).

Facts that are unknown (a ``.mat`` file records no sampling) are not checked; the findings say
so. Pure numpy, knows no estimators.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["describe_training_data", "check_compatibility", "Finding", "AMPLITUDE_TOLERANCE",
           "NOISE_TOLERANCE", "spectrum_summary", "target_range", "DataMismatchWarning",
           "warn_if_unlike"]


class DataMismatchWarning(UserWarning):
    """The input to ``predict`` is unlike the model's training data (noise, spectrum,
    amplitude): the prediction may be unreliable. The message names the fix."""

#: A survey whose RMS amplitude differs from the training data's by more than this factor
#: (either way) is refused without --force / --match-amplitude.
AMPLITUDE_TOLERANCE = 3.0


#: Input whose share of energy above the training data's 99.9 % frequency exceeds this many
#: times the training share is noted as noisy (on the paper's clean synthetics 5 % white noise
#: gives 10x, 10 % 36x; on the field network's noisy training data 10 % gives 0.9x).
NOISE_TOLERANCE = 3.0
#: Input whose 95 % frequency is below this fraction of the training data's is band-limited
#: (the 95 % point, not 99 %: white noise in the training data barely moves it).
BAND_TOLERANCE = 0.6


def _power(X, dt):
    X = np.asarray(X, dtype=np.float64)
    X = (X - X.mean(axis=-1, keepdims=True)) * np.hanning(X.shape[-1])
    P = (np.abs(np.fft.rfft(X, axis=-1)) ** 2).reshape(-1, X.shape[-1] // 2 + 1).mean(axis=0)
    return np.fft.rfftfreq(X.shape[-1], dt), P


def _quantile_frequency(freqs, P, q):
    c = np.cumsum(P) / P.sum()
    return float(freqs[min(int(np.searchsorted(c, q)), len(freqs) - 1)])


def _varies(X):
    """Whether the traces hold more than their means (to float precision)."""
    return float(np.std(X, axis=-1).max()) > 1e-6 * float(np.abs(X).max())


def spectrum_summary(X, dt):
    """The training data's spectrum as the spectral checks use it: ``f95`` and ``f999`` (Hz),
    the frequencies below which 95 % and 99.9 % of the energy lie, and ``share_above_f999``.

    Examples
    --------
    >>> import numpy as np
    >>> t = 0.004 * np.arange(250)  # 20 Hz sines: all the energy within a bin of 20 Hz
    >>> X = np.sin(2 * np.pi * 20 * t + np.random.default_rng(0).uniform(0, 6, (50, 1)))
    >>> s = spectrum_summary(X, 0.004)
    >>> s["f95"], s["f999"], s["share_above_f999"] < 1e-3
    (21.0, 21.0, True)
    """
    freqs, P = _power(X, dt)
    f999 = _quantile_frequency(freqs, P, 0.999)
    return {"f95": _quantile_frequency(freqs, P, 0.95), "f999": f999,
            "share_above_f999": float(P[freqs > f999].sum() / P.sum())}


def _rms(X):
    X = np.asarray(X, dtype=np.float64)
    return float(np.sqrt(np.mean(X**2)))


def target_range(T, domain, scale):
    """``y_range_`` from training targets ``T`` (ln Z in the log domain): their range widened by
    a quarter of its span (at least one ``scale``) on each side, returned in impedance units."""
    low, high = float(np.min(T)), float(np.max(T))
    margin = max(0.25 * (high - low), float(scale))
    low, high = low - margin, high + margin
    return (float(np.exp(low)), float(np.exp(high))) if domain == "log" else (low, high)


def describe_training_data(X, y=None, *, dt=None, t0=None, scale=1.0, source=None):
    """A JSON-serialisable description of training data (stored with a model).

    Parameters
    ----------
    X : array-like of shape (n_traces, n_samples)
        Training seismic.
    y : array-like, optional
        Training impedance (model units).
    dt, t0 : float, optional
        Sampling interval and time of the first sample (s), when known.
    scale : float, default=1.0
        Impedance in the user's files = model units x scale.
    source : str, optional

    Returns
    -------
    dict
        ``n_traces``, ``n_samples``, ``dt``, ``t0``, ``window`` (s, ``n_samples * dt``),
        ``seismic`` (``rms``, ``mean``, ``std``, ``p01``, ``p99``), ``impedance`` (``min``,
        ``max``, ``mean``), ``scale``, ``impedance_unit``, ``source``, and ``spectrum``
        (:func:`spectrum_summary`) when ``dt`` is known.

    Examples
    --------
    >>> import numpy as np
    >>> info = describe_training_data(np.ones((2, 10)), dt=0.004)
    >>> info["n_samples"], info["window"], info["seismic"]["rms"]
    (10, 0.04, 1.0)
    """
    X = np.asarray(X, dtype=np.float64)
    info = {
        "n_traces": int(X.shape[0]),
        "n_samples": int(X.shape[1]),
        "dt": None if dt is None else float(dt),
        "t0": None if t0 is None else float(t0),
        "window": None if dt is None else float(X.shape[1] * dt),
        "seismic": {"rms": _rms(X), "mean": float(X.mean()), "std": float(X.std()),
                    "p01": float(np.percentile(X, 1)), "p99": float(np.percentile(X, 99))},
        "scale": float(scale),
        "impedance_unit": ("impedance (m/s x kg/m^3) / 1e6" if scale == 1e6
                           else f"the training files' impedance / {scale:g}"),
        "source": None if source is None else str(source),
    }
    if dt is not None and X.shape[1] > 1 and _varies(X):
        info["spectrum"] = spectrum_summary(X, dt)
    if y is not None:
        y = np.asarray(y, dtype=np.float64)
        info["impedance"] = {"min": float(y.min()), "max": float(y.max()),
                             "mean": float(y.mean())}
    return info


@dataclass
class Finding:
    """One difference between a survey and a model's training data."""

    kind: str
    message: str
    blocking: bool

    def __str__(self):
        return self.message


def check_compatibility(info, X, *, dt=None, t0=None, resample=False, match_amplitude=False):
    """Compare survey traces with a model's training description.

    Parameters
    ----------
    info : dict
        From :func:`describe_training_data` (``estimator.training_info_``); an empty dict means
        "unknown" and gives no findings.
    X : array-like of shape (n_traces, n_samples)
        Survey seismic (a representative subset is enough).
    dt, t0 : float, optional
        The survey's sampling interval and start time (s), when known.
    resample : bool, default=False
        Whether the caller will resample the survey to the model's trace length.
    match_amplitude : bool, default=False
        Whether the caller will scale the survey to the training RMS.

    Returns
    -------
    list of Finding
        ``blocking`` findings should stop a prediction unless the user insists (``--force``);
        the others are notes.

    Examples
    --------
    >>> import numpy as np
    >>> info = describe_training_data(0.05 * np.ones((2, 331)), dt=4.3875e-4)
    >>> [f.kind for f in check_compatibility(info, 1.8 * np.ones((5, 38)), dt=0.004)]
    ['samples', 'sampling', 'amplitude']
    """
    findings = []
    if not info:
        return findings
    X = np.asarray(X, dtype=np.float64)
    n_in, n_model = X.shape[1], info.get("n_samples")
    dt_model = info.get("dt")
    if n_model is not None and n_in != n_model and not resample:
        findings.append(Finding(
            "samples", f"the model was trained on traces of {n_model} samples; these have "
            f"{n_in}: pass --resample (resample=True) to resample them over the same time "
            f"window, or use a model trained on {n_in}-sample traces.", True))
    if dt is not None and dt_model is not None:
        if abs(dt - dt_model) > 0.01 * dt_model:
            if not resample:
                findings.append(Finding(
                    "sampling", f"the model was trained at dt = {dt_model * 1e3:.4g} ms; these "
                    f"traces are sampled at {dt * 1e3:.4g} ms: pass --resample to resample them "
                    "onto the model's sampling, or use a model trained at this sampling.", True))
        if resample and n_model is not None:
            w_in, w_model = n_in * dt, n_model * dt_model
            if abs(w_in - w_model) > max(dt, dt_model):
                findings.append(Finding(
                    "window", f"--resample keeps the time window, but the windows differ: "
                    f"these traces span {w_in * 1e3:.4g} ms ({n_in} x {dt * 1e3:.4g} ms), the "
                    f"model's {w_model * 1e3:.4g} ms ({n_model} x {dt_model * 1e3:.4g} ms); "
                    "resampling would stretch the time axis. Crop the traces to the model's "
                    "window, or train a model on this window.", True))
    elif dt_model is not None and dt is None:
        findings.append(Finding(
            "sampling", "the input records no sampling interval, so it cannot be compared with "
            f"the model's dt = {dt_model * 1e3:.4g} ms.", False))
    rms_model = (info.get("seismic") or {}).get("rms")
    rms_in = _rms(X)
    if rms_model and rms_in > 0 and not match_amplitude:
        ratio = rms_in / rms_model
        if ratio > AMPLITUDE_TOLERANCE or ratio < 1 / AMPLITUDE_TOLERANCE:
            findings.append(Finding(
                "amplitude", f"the input's RMS amplitude is {rms_in:.4g}, {ratio:.3g} times the "
                f"training data's ({rms_model:.4g}): pass --match-amplitude to scale it to the "
                "training RMS, or use a model trained on data of these amplitudes "
                "(e.g. FewWellsRegressor tied at wells of this survey).", True))
    findings.extend(_spectral_findings(info, X, dt if dt is not None else dt_model))
    return findings


def _spectral_findings(info, X, dt):
    spec = info.get("spectrum")
    if not spec or dt is None or X.shape[1] < 2 or not spec.get("share_above_f999") \
            or not _varies(X):
        return []
    f999, ref = spec["f999"], spec["share_above_f999"]
    freqs, P = _power(X, dt)
    share = float(P[freqs > f999].sum() / P.sum())
    if share > NOISE_TOLERANCE * ref:
        return [Finding(
            "noise", f"{100 * share:.2g} % of the input's energy lies above {f999:.4g} Hz, where "
            f"the training data held {100 * ref:.2g} %: the input is noisier (or sampled finer) "
            "than the training data and the prediction may be unreliable; use a network trained "
            "on noisy data (ImpedanceCNN.from_pretrained('field')) or low-pass the input "
            "(impedance_sklearn.physics.transforms.lowpass).", False)]
    f95, f95_in = spec.get("f95"), _quantile_frequency(freqs, P, 0.95)
    if f95 and f95_in < BAND_TOLERANCE * f95:
        return [Finding(
            "spectrum", f"95 % of the input's energy lies below {f95_in:.4g} Hz, of the training "
            f"data's below {f95:.4g} Hz: the input is band-limited (a lower-frequency wavelet, "
            "or a coarse survey) and the prediction may lose accuracy; use a network trained on "
            "data of this band (e.g. ImpedanceCNN fitted on synthetics made with the survey's "
            "wavelet).", False)]
    return []


def warn_if_unlike(info, X, *, amplitude=True, stacklevel=3):
    """Warn (:class:`DataMismatchWarning`) for each noise, spectrum and (if ``amplitude``)
    amplitude finding of :func:`check_compatibility` on ``X`` at the model's sampling: what
    ``ImpedanceCNN.predict`` does for a model that records its training data."""
    import warnings

    kinds = {"noise", "spectrum"} | ({"amplitude"} if amplitude else set())
    for f in check_compatibility(info, X):
        if f.kind in kinds:
            warnings.warn(f.message, DataMismatchWarning, stacklevel=stacklevel)


def amplitude_factor(info, X):
    """The factor that scales ``X`` to the training RMS (1 when either RMS is unknown or 0)."""
    rms_model = (info.get("seismic") or {}).get("rms") if info else None
    rms_in = _rms(X)
    if not rms_model or rms_in == 0:
        return 1.0
    return float(rms_model / rms_in)
