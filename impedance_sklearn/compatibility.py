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
==================  ============================================  ==============================

Facts that are unknown (a ``.mat`` file records no sampling) are not checked; the findings say
so. Pure numpy, knows no estimators.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["describe_training_data", "check_compatibility", "Finding", "AMPLITUDE_TOLERANCE"]

#: A survey whose RMS amplitude differs from the training data's by more than this factor
#: (either way) is refused without --force / --match-amplitude.
AMPLITUDE_TOLERANCE = 3.0


def _rms(X):
    X = np.asarray(X, dtype=np.float64)
    return float(np.sqrt(np.mean(X**2)))


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
        ``max``, ``mean``), ``scale``, ``impedance_unit``, ``source``.

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
    return findings


def amplitude_factor(info, X):
    """The factor that scales ``X`` to the training RMS (1 when either RMS is unknown or 0)."""
    rms_model = (info.get("seismic") or {}).get("rms") if info else None
    rms_in = _rms(X)
    if not rms_model or rms_in == 0:
        return 1.0
    return float(rms_model / rms_in)
