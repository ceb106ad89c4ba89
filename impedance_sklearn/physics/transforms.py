"""Trace transforms: resampling, band limits, noise, amplitude and phase.

Pure numpy/scipy, one trace per row, time along the last axis. They serve three purposes:

* matching a survey to a model (:func:`resample_traces`);
* the field-like variants of the robustness benchmark (:func:`field_variants`: low-passed to
  what 4 ms sampling holds, noisy, other amplitudes, another wavelet phase);
* augmenting training data (:func:`lowpass`, :func:`add_noise`, :func:`rotate_phase`).
"""

from __future__ import annotations

import numpy as np
import scipy.fft as sfft
from scipy.signal import hilbert
from sklearn.utils import check_random_state

from impedance_sklearn._validation import check_positive_float, finite_array

__all__ = ["resample_traces", "lowpass", "add_noise", "rotate_phase", "field_variants",
           "augment_field"]


def resample_traces(A, n_out):
    """Resample each row of ``A`` (n_traces, n_in) to ``n_out`` samples over the same window.

    Downsampling averages equal-width bins (adaptive average pooling: bin ``i`` covers
    ``[floor(i n_in / n_out), ceil((i + 1) n_in / n_out))``); upsampling interpolates linearly
    at sample centres (``align_corners=False``, edges clamped). ``n_out == n_in`` returns ``A``
    itself. These are the semantics of ``torch.nn.functional.adaptive_avg_pool1d`` and
    ``interpolate(mode="linear")``.

    Parameters
    ----------
    A : ndarray of shape (n_traces, n_in)
    n_out : int >= 1

    Returns
    -------
    ndarray of shape (n_traces, n_out)

    Examples
    --------
    >>> import numpy as np
    >>> resample_traces(np.array([[1.0, 2.0, 3.0, 4.0]]), 2)
    array([[1.5, 3.5]])
    >>> resample_traces(np.array([[0.0, 2.0]]), 4)
    array([[0. , 0.5, 1.5, 2. ]])
    """
    A = np.asarray(A)
    n_in = A.shape[-1]
    n_out = int(n_out)
    if n_out < 1:
        raise ValueError(f"n_out must be >= 1, got {n_out}.")
    if n_out == n_in:
        return A
    if n_out < n_in:
        i = np.arange(n_out)
        start = (i * n_in) // n_out
        stop = -((-(i + 1) * n_in) // n_out)
        csum = np.concatenate([np.zeros(A.shape[:-1] + (1,), A.dtype), np.cumsum(A, axis=-1)], -1)
        return (csum[..., stop] - csum[..., start]) / (stop - start)
    scale = n_in / n_out
    x = np.clip((np.arange(n_out) + 0.5) * scale - 0.5, 0, n_in - 1)
    lo = np.floor(x).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    w = (x - lo).astype(A.dtype)
    return A[..., lo] * (1 - w) + A[..., hi] * w


def _lowpass_gains(f, f_max, width):
    """Raised-cosine low-pass gains on frequencies ``f`` for each cut in ``f_max`` (rows)."""
    f_max = np.asarray(f_max, dtype=np.float64)[..., None]
    f0 = f_max * (1.0 - width)
    if width == 0:
        return (f <= f_max).astype(np.float64)
    ramp = 0.5 * (1.0 + np.cos(np.pi * np.clip((f - f0) / (f_max - f0), 0.0, 1.0)))
    return np.where(f <= f0, 1.0, np.where(f < f_max, ramp, 0.0))


def lowpass(X, f_max, dt, *, width=0.2):
    """Zero-phase low-pass filter: pass below ``f_max (1 - width)``, nothing above ``f_max``.

    The traces are zero-padded to at least twice their length (no wrap-around), transformed, and
    the spectrum multiplied by a raised-cosine roll-off from ``f_max (1 - width)`` to ``f_max``.
    ``f_max=125`` Hz models what data sampled at 4 ms can hold (its Nyquist frequency).

    Parameters
    ----------
    X : array-like of shape (..., n_samples)
    f_max : float
        Frequency (Hz) above which nothing passes.
    dt : float
        Sampling interval (s).
    width : float in [0, 1), default=0.2
        Relative width of the roll-off.

    Returns
    -------
    ndarray of the shape of ``X``

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(1000) * 1e-3
    >>> x = np.sin(2 * np.pi * 20 * t) + np.sin(2 * np.pi * 300 * t)
    >>> y = lowpass(x, 100.0, 1e-3)
    >>> bool(np.abs(y[200:800] - np.sin(2 * np.pi * 20 * t[200:800])).max() < 1e-2)
    True
    """
    X = finite_array(X, "X")
    f_max = check_positive_float(f_max, "f_max")
    dt = check_positive_float(dt, "dt")
    if not 0 <= width < 1:
        raise ValueError(f"width must lie in [0, 1), got {width!r}.")
    n = X.shape[-1]
    n_fft = sfft.next_fast_len(2 * n, real=True)
    H = _lowpass_gains(sfft.rfftfreq(n_fft, dt), f_max, width)
    return sfft.irfft(sfft.rfft(X, n_fft, axis=-1) * H, n_fft, axis=-1)[..., :n]


def add_noise(X, level, random_state=None):
    """Add white Gaussian noise of RMS ``level`` times each trace's RMS.

    ``level=0.1`` is an amplitude signal-to-noise ratio of 10 (20 dB).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.ones((2, 10000))
    >>> noisy = add_noise(X, 0.1, random_state=0)
    >>> round(float((noisy - X).std()), 2)
    0.1
    """
    X = finite_array(X, "X")
    level = check_positive_float(level, "level", allow_zero=True)
    rng = check_random_state(random_state)
    rms = np.sqrt(np.mean(X**2, axis=-1, keepdims=True))
    return X + level * rms * rng.standard_normal(X.shape)


def rotate_phase(x, degrees, axis=-1):
    r"""Constant-phase rotation of traces: :math:`x \cos\varphi - \mathcal{H}[x] \sin\varphi`.

    Every frequency's phase is advanced by ``degrees``, :math:`\cos\omega t \to \cos(\omega t +
    \varphi)` (the analytic-signal rotation that models a wavelet of another phase); 180 degrees
    flips the polarity.

    Parameters
    ----------
    x : array-like
        Traces (or a wavelet) along ``axis``.
    degrees : float
    axis : int, default=-1

    Returns
    -------
    ndarray of the shape of ``x``

    Examples
    --------
    >>> import numpy as np
    >>> x = np.cos(2 * np.pi * 4 * np.arange(64) / 64)
    >>> bool(np.allclose(rotate_phase(x, 90), -np.sin(2 * np.pi * 4 * np.arange(64) / 64)))
    True
    """
    x = finite_array(x, "x")
    p = np.radians(float(degrees))
    return np.cos(p) * x - np.sin(p) * np.imag(hilbert(x, axis=axis))


def field_variants(X, dt, random_state=0):
    """The field-like variants of test traces used by the robustness benchmark.

    ``clean``; ``lowpass125`` (:func:`lowpass` at 125 Hz, what 4 ms sampling holds);
    ``noise5`` / ``noise10`` (:func:`add_noise`, 5 % / 10 % of each trace's RMS);
    ``lowpass125+noise10``; ``amplitude x3``; ``phase 30`` (:func:`rotate_phase` by 30 degrees).
    The noise is drawn from ``random_state`` (the same for every call with the same seed).

    Returns
    -------
    dict of str -> ndarray

    Examples
    --------
    >>> import numpy as np
    >>> v = field_variants(np.random.default_rng(0).normal(size=(3, 331)), 4.3875e-4)
    >>> list(v)
    ['clean', 'lowpass125', 'noise5', 'noise10', 'lowpass125+noise10', 'amplitude x3', 'phase 30']
    """
    X = finite_array(X, "X")
    seeds = np.random.SeedSequence(random_state).generate_state(3)
    lp = lowpass(X, 125.0, dt)
    return {
        "clean": X,
        "lowpass125": lp,
        "noise5": add_noise(X, 0.05, int(seeds[0])),
        "noise10": add_noise(X, 0.10, int(seeds[1])),
        "lowpass125+noise10": add_noise(lp, 0.10, int(seeds[2])),
        "amplitude x3": 3.0 * X,
        "phase 30": rotate_phase(X, 30.0),
    }


def augment_field(X, dt, random_state=None, *, lowpass_range=(100.0, 300.0), p_lowpass=0.7,
                  phase=30.0, p_phase=0.7, noise_range=(0.0, 0.2), p_noise=0.8, gain=3.0):
    """Degrade each trace at random the way field data differ from clean synthetics.

    Independently per trace, in this order: with probability ``p_lowpass`` a :func:`lowpass` at
    a cut drawn uniformly from ``lowpass_range`` (Hz; 125 Hz is what 4 ms sampling holds); with
    probability ``p_phase`` a constant-phase rotation (:func:`rotate_phase`) drawn uniformly
    from ``[-phase, phase]`` degrees (a wavelet of another phase); with probability ``p_noise``
    white noise at a level drawn uniformly from ``noise_range`` times the trace's RMS; finally
    a gain ``exp(U(-ln gain, ln gain))``. The training augmentation of the ``"field"``
    pretrained network (``benchmarks/train_pretrained.py``).

    Parameters
    ----------
    X : array-like of shape (n_traces, n_samples)
    dt : float
        Sampling interval (s).
    random_state : int, RandomState instance or None

    Returns
    -------
    ndarray of shape (n_traces, n_samples)

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(4, 331))
    >>> A = augment_field(X, 4.3875e-4, random_state=0)
    >>> A.shape, bool(np.array_equal(A, augment_field(X, 4.3875e-4, random_state=0)))
    ((4, 331), True)
    >>> bool(np.array_equal(augment_field(X, 4.3875e-4, p_lowpass=0, p_phase=0, p_noise=0,
    ...                                   gain=1.0), X))
    True
    """
    X = finite_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_traces, n_samples), got shape {X.shape}.")
    dt = check_positive_float(dt, "dt")
    for name, value in (("p_lowpass", p_lowpass), ("p_phase", p_phase), ("p_noise", p_noise)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must lie in [0, 1], got {value!r}.")
    if gain < 1:
        raise ValueError(f"gain must be >= 1 (the largest factor drawn), got {gain!r}.")
    rng = check_random_state(random_state)
    n_traces, n = X.shape
    u = rng.uniform(size=(3, n_traces))
    cuts = rng.uniform(*lowpass_range, n_traces)
    angles = np.radians(rng.uniform(-phase, phase, n_traces))
    levels = rng.uniform(*noise_range, n_traces)
    gains = np.exp(rng.uniform(-np.log(gain), np.log(gain), n_traces))
    noise = rng.standard_normal(X.shape)
    out = X.copy()
    lp = u[0] < p_lowpass
    if lp.any():
        n_fft = sfft.next_fast_len(2 * n, real=True)
        H = _lowpass_gains(sfft.rfftfreq(n_fft, dt), cuts[lp], 0.2)
        out[lp] = sfft.irfft(sfft.rfft(out[lp], n_fft, axis=-1) * H, n_fft, axis=-1)[:, :n]
    ph = u[1] < p_phase
    if ph.any():
        a = angles[ph, None]
        out[ph] = np.cos(a) * out[ph] - np.sin(a) * np.imag(hilbert(out[ph], axis=-1))
    nz = u[2] < p_noise
    rms = np.sqrt(np.mean(out**2, axis=-1, keepdims=True))
    out[nz] += (levels[nz, None] * rms[nz]) * noise[nz]
    return out * gains[:, None]
