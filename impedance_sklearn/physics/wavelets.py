"""Source wavelets: Ricker, Ormsby, minimum-phase conversion and the paper's wavelet.

Pure numpy/scipy. A wavelet is a 1-D array ``w`` whose time zero sits at sample ``origin``:
``len(w) // 2`` for the zero-phase :func:`ricker` and :func:`ormsby`, ``0`` for the causal output
of :func:`minimum_phase` and :func:`das2019_wavelet`. Re-exported by
:mod:`impedance_sklearn.physics`.
"""

from __future__ import annotations

import numpy as np
import scipy.fft as sfft
from scipy.signal import hilbert
from scipy.signal.windows import parzen

from impedance_sklearn._validation import check_positive_float, finite_array

__all__ = ["ricker", "ormsby", "minimum_phase", "das2019_wavelet", "DAS_DT"]

#: The paper's sampling interval (s).
DAS_DT = 4.3875e-4


def _wavelet_grid(dt, length):
    """Symmetric time axis with an odd number of samples covering ``length`` seconds."""
    dt = check_positive_float(dt, "dt")
    length = check_positive_float(length, "length")
    half = int(round(length / (2.0 * dt)))
    return np.arange(-half, half + 1) * dt


def ricker(f, dt, length):
    r"""Zero-phase Ricker wavelet, peak 1 at the centre sample.

    .. math:: w(t) = (1 - 2\pi^2 f^2 t^2)\, e^{-\pi^2 f^2 t^2}

    Parameters
    ----------
    f : float
        Peak frequency in Hz.
    dt : float
        Sampling interval in seconds.
    length : float
        Wavelet length in seconds; the wavelet has ``2 * round(length / (2 dt)) + 1`` samples
        (always odd), time zero at index ``len(w) // 2``.

    Returns
    -------
    w : ndarray of shape (n,)

    Examples
    --------
    >>> w = ricker(25.0, 0.004, 0.2)
    >>> len(w), int(w.argmax()), float(w.max())
    (51, 25, 1.0)
    """
    f = check_positive_float(f, "f")
    t = _wavelet_grid(dt, length)
    a = (np.pi * f * t) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def ormsby(f1, f2, f3, f4, dt, length):
    r"""Zero-phase Ormsby (trapezoidal band-pass) wavelet, peak 1 at the centre sample.

    The amplitude spectrum ramps linearly from 0 at ``f1`` to 1 at ``f2``, is flat to ``f3`` and
    ramps down to 0 at ``f4``. In time, with :math:`\operatorname{sinc}(x) = \sin(\pi x)/(\pi x)`,

    .. math::
        w(t) \propto \frac{\pi f_4^2 \operatorname{sinc}^2(f_4 t) - \pi f_3^2
        \operatorname{sinc}^2(f_3 t)}{f_4 - f_3} - \frac{\pi f_2^2 \operatorname{sinc}^2(f_2 t)
        - \pi f_1^2 \operatorname{sinc}^2(f_1 t)}{f_2 - f_1},

    scaled so that :math:`w(0) = 1`.

    Parameters
    ----------
    f1, f2, f3, f4 : float
        Corner frequencies in Hz, ``0 <= f1 < f2 <= f3 < f4``.
    dt : float
        Sampling interval in seconds.
    length : float
        Wavelet length in seconds (odd number of samples, time zero at ``len(w) // 2``).

    Returns
    -------
    w : ndarray of shape (n,)

    Examples
    --------
    >>> w = ormsby(4, 10, 50, 70, 4.3875e-4, 0.2)
    >>> len(w), int(w.argmax()), float(w.max())
    (457, 228, 1.0)
    """
    f = [float(v) for v in (f1, f2, f3, f4)]
    if not all(np.isfinite(f)) or not (0 <= f[0] < f[1] <= f[2] < f[3]):
        raise ValueError(f"ormsby needs 0 <= f1 < f2 <= f3 < f4, got {tuple(f)}.")
    t = _wavelet_grid(dt, length)

    def g(fc):
        return np.pi * fc**2 * np.sinc(fc * t) ** 2

    w = (g(f[3]) - g(f[2])) / (f[3] - f[2]) - (g(f[1]) - g(f[0])) / (f[1] - f[0])
    return w / w[len(w) // 2]


def minimum_phase(w, n_fft=None, eps=1e-6):
    r"""Minimum-phase wavelet with (nearly) the same amplitude spectrum, by the real cepstrum.

    With :math:`c = \mathcal{F}^{-1}[\ln |W|]` the real cepstrum, the minimum-phase equivalent is
    :math:`w_{min} = \mathcal{F}^{-1}[\exp(\mathcal{F}[\ell\, c])]` where the folding window
    :math:`\ell` keeps :math:`c_0`, doubles the positive quefrencies and zeroes the negative ones
    (Oppenheim & Schafer). The FFT is ``n_fft`` long (default: 16 x the next power of two of
    ``len(w)``, small cepstral aliasing) and ``|W|`` is floored at ``eps * max|W|`` so that
    band-limited wavelets (zeros outside the band) have a finite logarithm. The result is truncated
    to ``len(w)`` samples; no rescaling is applied (scale it yourself, e.g. ``w / abs(w).max()``).

    Parameters
    ----------
    w : array-like of shape (n,)
        Any wavelet (its phase is ignored).
    n_fft : int, optional
        FFT length, at least ``len(w)``.
    eps : float, default=1e-6
        Relative floor of the amplitude spectrum.

    Returns
    -------
    w_min : ndarray of shape (n,)
        Causal: time zero at index 0, energy concentrated at the start.

    Examples
    --------
    >>> import numpy as np
    >>> wz = ricker(30.0, 0.002, 0.2)
    >>> wm = minimum_phase(wz)
    >>> int(np.argmax(np.abs(wm))) < 20  # energy front-loaded (centre of wz: 50)
    True
    >>> W, Wm = np.abs(np.fft.rfft(wz, 512)), np.abs(np.fft.rfft(wm, 512))
    >>> bool(np.max(np.abs(W - Wm)) < 0.01 * W.max())
    True
    """
    w = finite_array(w, "w")
    if w.ndim != 1:
        raise ValueError(f"w must be 1-D, got shape {w.shape}.")
    n = w.size
    if n_fft is None:
        n_fft = 16 * (1 << int(np.ceil(np.log2(max(n, 2)))))
    n_fft = int(n_fft)
    if n_fft < n:
        raise ValueError(f"n_fft={n_fft} must be at least len(w)={n}.")
    amp = np.abs(sfft.fft(w, n_fft))
    if amp.max() == 0:
        raise ValueError("w is identically zero; its minimum-phase equivalent is undefined.")
    return _minimum_phase_from_amplitude(amp, n, eps)


def _minimum_phase_from_amplitude(amp, n, eps=1e-6):
    """Minimum-phase signal of ``n`` samples whose ``len(amp)``-point DFT amplitude is ``amp``
    (full, two-sided spectrum), by folding the real cepstrum."""
    n_fft = amp.size
    amp = np.maximum(amp, eps * amp.max())
    cep = sfft.ifft(np.log(amp)).real
    fold = np.zeros(n_fft)
    fold[0] = 1.0
    fold[1 : (n_fft + 1) // 2] = 2.0
    if n_fft % 2 == 0:
        fold[n_fft // 2] = 1.0
    w_min = sfft.ifft(np.exp(sfft.fft(fold * cep))).real
    return w_min[:n]


def das2019_wavelet(dt=DAS_DT, f=(4.0, 10.0, 50.0, 70.0), length=0.248):
    """Minimum-phase Ormsby wavelet as SeisLab's ``s_create_wavelet`` builds it (used by the paper).

    A zero-phase trapezoid (corners ``f``, Hz) filtered spike of ``length`` seconds, its
    amplitude spectrum (2^(nextpow2(n)+1)-point FFT, smoothed by [1/4, 1/2, 1/4]) turned minimum
    phase by the real cepstrum, signed so that its largest sample is positive, tapered by a half
    Parzen window and scaled so that its Hilbert envelope peaks at 1. Time zero at index 0.

    Parameters
    ----------
    dt : float, default=4.3875e-4
        Sampling interval (s); the paper's by default.
    f : (float, float, float, float), default=(4, 10, 50, 70)
        Ormsby corner frequencies (Hz).
    length : float, default=0.248
        Wavelet length (s).

    Returns
    -------
    w : ndarray of shape (floor(length / dt) + 1,)

    Examples
    --------
    >>> w = das2019_wavelet()
    >>> len(w), int(abs(w).argmax())  # 248 ms at dt = 0.43875 ms; causal, peak at 24 ms
    (566, 54)
    """
    dtms = dt * 1e3
    nsamp = int(np.floor(length * 1e3 / dtms + 1e-9)) + 1
    nz = nsamp + 1 - nsamp % 2  # odd
    # trapezoid-filtered spike, FFT length as SeisLab's ormsby()
    n = 4 * nz if 4 * nz <= 256 else max((nz + 3) // 2 * 2, 256)
    nh = n // 2
    fr = np.arange(nh + 1) * (500.0 / dtms) / nh
    trap = np.zeros(n)
    m = (fr >= f[0]) & (fr <= f[3])
    ff = fr[m]
    trap[: nh + 1][m] = np.minimum.reduce(
        [(ff - f[0]) / (f[1] - f[0]), np.ones_like(ff), (f[3] - ff) / (f[3] - f[2])]
    )
    trap[n - 1 : n - nh : -1] = trap[1:nh]
    spike = np.zeros(nz)
    spike[nz // 2] = 1.0
    w0 = np.real(np.fft.ifft(np.fft.fft(spike, n) * trap))[:nz]
    w0[[0, -1]] *= 0.5
    nfft = 2 ** (int(np.ceil(np.log2(nsamp))) + 1)
    F = np.abs(np.fft.fft(w0, nfft))
    x = np.r_[F[0], F, 0.0]
    amp = 0.25 * x[2:] + 0.5 * x[1:-1] + 0.25 * x[:-2]
    w = _minimum_phase_from_amplitude(amp, nsamp, eps=1e-12)
    w *= np.sign(w[np.argmax(np.abs(w))]) * np.linalg.norm(w0) / np.linalg.norm(w)
    w *= parzen(2 * nsamp - 1)[nsamp - 1 :]
    return w / np.abs(hilbert(w)).max()
