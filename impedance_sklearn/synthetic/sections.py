"""A synthetic 2-D section with folds and a fault, and its seismic (PyLops' modelling)."""

from __future__ import annotations

import numbers

from sklearn.utils._param_validation import Interval, validate_params

__all__ = ["make_section"]


@validate_params({
    "n_traces": [Interval(numbers.Integral, 1, None, closed="left")],
    "n_samples": [Interval(numbers.Integral, 2, None, closed="left")],
    "dt": [Interval(numbers.Real, 0, None, closed="neither")], "wavelet": [None, "array-like"],
    "noise": [Interval(numbers.Real, 0, None, closed="left")], "fault": ["boolean"],
    "random_state": ["random_state"], "return_info": ["boolean"],
}, prefer_skip_nested_validation=True)
def make_section(n_traces=267, n_samples=550, *, dt=0.004, wavelet=None, noise=0.1,
                 fault=True, random_state=None, return_info=False):
    """A synthetic 2-D impedance section with folds and a fault, and its seismic.

    A blocky layered log (exponential layer thicknesses, mean 8 samples; log-impedance a random
    walk on a trend), folded (sinusoidal folds of 30 samples, decaying with depth, wavelength
    180 traces), with a vertical normal fault at 64 % of the line (18 samples of throw below
    sample 120) and a smooth lateral drift of every layer (0.04 in log units). The seismic is
    PyLops' post-stack model: :class:`~impedance_sklearn.physics.forward.ConvolutionalModel` with the
    centred derivative (``PoststackLinearModelling(wavelet / 2)``) of ln Z, plus white noise of
    RMS ``noise`` times the RMS of the noise-free section. A field for the few-wells workflow
    that does not ship data: traces in lateral order, one per row.

    Parameters
    ----------
    n_traces, n_samples : int, default=267, 550
    dt : float, default=0.004
    wavelet : array-like, optional
        Time zero at its centre sample; default a 20 Hz Ricker of 41 samples (PyLops' tutorial).
    noise : float, default=0.1
    fault : bool, default=True
    random_state : int, RandomState instance or None
    return_info : bool, default=False
        Also return a Bunch with the noise-free seismic, the wavelet and ``dt``.

    Returns
    -------
    X : ndarray of shape (n_traces, n_samples)
    y : ndarray of shape (n_traces, n_samples)
    info : Bunch, only with ``return_info`` (``noise_free``, ``wavelet``, ``dt``)

    Examples
    --------
    >>> X, y = make_section(60, 120, random_state=0)
    >>> X.shape, bool(y.min() > 0)
    ((60, 120), True)
    """
    import numpy as np
    from sklearn.utils import Bunch, check_random_state

    from impedance_sklearn.physics.forward import ConvolutionalModel
    from impedance_sklearn.physics.wavelets import ricker

    rng = check_random_state(random_state)
    n = int(n_samples)
    N = 3 * n
    th = np.clip(rng.exponential(8.0, N), 2, None)
    tops = np.cumsum(th) - 2 * n // 3
    vals = 1.0 + 0.0012 * np.clip(tops, 0, None) + np.cumsum(rng.normal(0, 0.07, N))
    drift = np.cumsum(rng.normal(0, 1, (N, int(n_traces))), axis=1)
    drift = drift - drift.mean(axis=1, keepdims=True)
    drift = 0.04 * drift / (np.abs(drift).max(axis=1, keepdims=True) + 1e-9)
    t = np.arange(n, dtype=float)
    m = np.empty((int(n_traces), n))
    x_fault = int(round(0.64 * n_traces))
    for j in range(int(n_traces)):
        shift = 30 * np.sin(2 * np.pi * j / 180.0) * (1 - 0.5 * t / n)
        if fault and j >= x_fault:
            shift = shift + 18 * (t > 120)
        k = np.clip(np.searchsorted(tops, t - shift), 0, N - 1)
        m[j] = vals[k] + drift[k, j]
    y = np.exp(m)
    w = ricker(20.0, dt, 0.16) if wavelet is None else np.asarray(wavelet, dtype=float)
    clean = ConvolutionalModel(w, origin=len(w) // 2, derivative="centred",
                               reflectivity="log").seismic(y)
    X = clean + noise * np.sqrt(np.mean(clean**2)) * rng.standard_normal(clean.shape)
    if return_info:
        return X, y, Bunch(noise_free=clean, wavelet=w, dt=dt)
    return X, y
