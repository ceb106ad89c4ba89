"""Classical post-stack impedance inversions as scikit-learn regressors.

Three methods geophysicists use today, with the same ``fit(X, y)`` / ``predict(X)`` contract as
:class:`~impedance_sklearn.ImpedanceCNN` (X seismic and y impedance, one trace per row):

* :class:`TraceIntegration` -- recursive inversion: integrate the seismic trace as if it were a
  scaled reflectivity series, keep its high frequencies, take the low ones from a background;
* :class:`ColoredInversion` -- Lancaster & Whitcombe (2000) coloured inversion: one convolution
  operator whose spectrum turns the mean seismic spectrum into the impedance spectrum, -90 degrees
  of phase, plus a background;
* :class:`~impedance_sklearn.ModelBasedInversion` (in
  :mod:`~impedance_sklearn.estimators.modelbased`) -- least-squares model-based inversion of the
  convolutional model with PyLops (the linearised
  :class:`~impedance_sklearn.physics.forward.ConvolutionalModel`), wavelet tied from the
  training pairs, damped towards a background.

"Training" means what a geophysicist does with wells: the training pairs (seismic, impedance)
supply the scale, the wavelet, the spectra and the low-frequency background the methods need.

Shared conventions
------------------
* **Model domain.** All three work in log-impedance (``domain="log"``: small-contrast reflectivity
  ``r = 0.5 * d ln Z``, predictions ``exp`` of the inverted model, clipped to the training
  log-impedance range widened on both sides by its width (at least 1) so that ``exp`` stays
  finite on data unlike the training set). Log needs ``y > 0``; ``domain="auto"`` (default)
  falls back to the linear domain (the same method applied to ``y`` itself) when any training
  value is <= 0, and records the choice in ``domain_``.
* **Sampling.** The methods work on the seismic grid (``n_features_in_`` samples). A ``y`` of a
  different length is resampled to that grid for fitting
  (:func:`impedance_sklearn.estimators._base.resample_traces`) and predictions are resampled back to
  ``n_outputs_`` samples.
* **Background.** ``background_`` is the mean training model trace (log-impedance, or impedance
  in the linear domain) smoothed by a Gaussian of ``background_sigma`` samples: the low
  frequencies that seismic does not carry.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.fft as sfft
from sklearn.utils._param_validation import Interval, StrOptions

from impedance_sklearn.estimators._base import _smooth, _TraceInversion

__all__ = ["TraceIntegration", "ColoredInversion"]


# --------------------------------------------------------------------------------------------
# shared machinery
# --------------------------------------------------------------------------------------------
def _shift(A, lag):
    """Advance each row by ``lag`` samples (``out[:, j] = A[:, j + lag]``), zero-filled."""
    if lag == 0:
        return A
    out = np.zeros_like(A)
    n = A.shape[-1]
    if abs(lag) >= n:
        return out
    if lag > 0:
        out[:, : n - lag] = A[:, lag:]
    else:
        out[:, -lag:] = A[:, : n + lag]
    return out


def _lstsq_gains(target, features):
    """Least-squares gains g minimising ||target - sum_k g_k features[k]||^2 (all traces pooled).

    Solved by the (tiny) normal equations with a pseudo-inverse: all-zero or collinear features
    get the minimum-norm gains, so the fit never fails on degenerate data. Returns the gains and
    the residual sum of squares.
    """
    fs = [np.ravel(f) for f in features]
    t = target.ravel()
    G = np.array([[fk @ fl for fl in fs] for fk in fs])
    b = np.array([fk @ t for fk in fs])
    g = np.linalg.pinv(G) @ b
    return g, float(t @ t - 2.0 * g @ b + g @ G @ g)


# --------------------------------------------------------------------------------------------
# recursive inversion
# --------------------------------------------------------------------------------------------
class TraceIntegration(_TraceInversion):
    r"""Recursive inversion (trace integration) with a learned scale and background.

    Treats each seismic trace as a scaled reflectivity series, :math:`r = s\,x`, and integrates
    it with the small-contrast recursion :math:`\ln Z_{j} = \ln Z_{j-1} + 2 r_j`, i.e.

    .. math:: \ln \hat Z = B + 2 s\, H\Big[\sum_{k \le j} x_{k + \ell}\Big],

    where :math:`H` removes the integrated trace's low frequencies (its Gaussian-smoothed version
    with ``lowcut_sigma`` samples, or only its mean when ``lowcut_sigma=None``), :math:`B` is the
    background (``background_``) that supplies them, and :math:`\ell` is a bulk time shift.
    ``fit`` learns :math:`s` (``scale_``) by least squares against the training log-impedance
    minus the background, after choosing :math:`\ell` (``lag_``) in ``[-max_lag, max_lag]``
    with the smallest residual.

    **Assumes** a zero-phase, broad-band wavelet whose amplitude is proportional to the
    reflectivity (seismic = scaled reflectivity up to a bulk shift), no noise and no multiples;
    the frequencies below the seismic band come from the background alone, the same for every
    trace. The band-limited wavelet blurs the result (resolution of the seismic).

    Parameters
    ----------
    background_sigma : float, default=20.0
        Gaussian smoothing (samples) of the mean training log-impedance trace that forms the
        background; 0 keeps the raw mean trace.
    lowcut_sigma : float or None, default=None
        Gaussian width (samples) of the low-cut applied to the integrated trace (it keeps
        ``c - gaussian(c)``); ``None`` removes only each trace's mean.
    max_lag : int, default=40
        Largest bulk shift (samples, either sign) tried between seismic and impedance; 0 keeps
        the textbook method (no shift).
    domain : {"auto", "log", "linear"}, default="auto"
        Invert log-impedance (``"log"``), impedance itself (``"linear"``) or log when every
        training value is positive (``"auto"``).

    Attributes
    ----------
    scale_ : float
        Amplitude-to-reflectivity scale :math:`s`.
    lag_ : int
        Bulk shift :math:`\ell` in samples (positive: the seismic lags the impedance).
    background_ : ndarray of shape (n_features_in_,)
        Background model (log-impedance, or impedance in the linear domain).
    domain_ : {"log", "linear"}
        Domain used.
    n_features_in_ : int
        Samples per seismic trace.
    n_outputs_ : int
        Samples per impedance trace of the training ``y``.

    See Also
    --------
    ColoredInversion, ModelBasedInversion

    Examples
    --------
    >>> import numpy as np
    >>> from impedance_sklearn.estimators.baselines import TraceIntegration
    >>> rng = np.random.default_rng(0)
    >>> logz = np.log(3.0) + np.cumsum(rng.normal(0, 0.02, (50, 120)), axis=1)
    >>> X = 0.5 * np.diff(logz, axis=1, prepend=logz[:, :1])  # ideal reflectivity "seismic"
    >>> est = TraceIntegration().fit(X, np.exp(logz))
    >>> round(est.scale_, 2), est.lag_, est.predict(X).shape
    (0.99, 0, (50, 120))
    """

    _parameter_constraints: dict = {
        **_TraceInversion._parameter_constraints,
        "lowcut_sigma": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "max_lag": [Interval(numbers.Integral, 0, None, closed="left")],
    }

    def __init__(self, background_sigma=20.0, lowcut_sigma=None, max_lag=40, domain="auto"):
        self.background_sigma = background_sigma
        self.lowcut_sigma = lowcut_sigma
        self.max_lag = max_lag
        self.domain = domain

    def _integrate(self, X, lag):
        c = np.cumsum(_shift(X, lag), axis=1)
        if self.lowcut_sigma is None:
            return c - c.mean(axis=1, keepdims=True)
        return c - _smooth(c, self.lowcut_sigma)

    def _fit_model(self, X, M):
        target = M - self.background_
        best = None
        max_lag = min(int(self.max_lag), X.shape[1] - 1)
        for lag in sorted(range(-max_lag, max_lag + 1), key=abs):  # ties: smallest shift
            (g,), sse = _lstsq_gains(target, [2.0 * self._integrate(X, lag)])
            if best is None or sse < best[0] - 1e-12 * abs(best[0]):
                best = (sse, lag, g)
        _, self.lag_, self.scale_ = best[0], int(best[1]), float(best[2])

    def _predict_model(self, X):
        return self.background_ + 2.0 * self.scale_ * self._integrate(X, self.lag_)


# --------------------------------------------------------------------------------------------
# coloured inversion
# --------------------------------------------------------------------------------------------
class ColoredInversion(_TraceInversion):
    r"""Coloured inversion (Lancaster & Whitcombe, 2000) with a background model.

    One convolution operator :math:`o` maps seismic to band-limited (relative) impedance. Its
    amplitude spectrum turns the mean seismic amplitude spectrum :math:`\bar S(f)` into the
    power law :math:`\bar Z(f) \approx a f^{\alpha}` fitted (log-log least squares) to the mean
    amplitude spectrum of the training log-impedance minus the background, over the seismic band
    (:math:`\bar S \ge` ``band_threshold`` :math:`\max \bar S`); its phase is a constant rotation
    :math:`\varphi` (-90 degrees in the paper: an integration):

    .. math:: O(f) = g\, a f^{\alpha}\, \frac{\bar S(f)}{\bar S(f)^2 + (\epsilon \max \bar S)^2}
              \, e^{i \varphi}\, e^{2\pi i f \ell}, \qquad \ln \hat Z = B + o * x,

    with :math:`\epsilon` = ``whitening`` (a stabilised division, which also tapers the operator
    outside the band), :math:`\ell` a bulk shift in samples and :math:`B` the background. The
    gain :math:`g` (and :math:`\varphi` when ``phase="fit"``, by least squares on the in-phase and
    quadrature outputs) is fitted to the training pairs for every shift in ``[-max_lag,
    max_lag]``, keeping the smallest residual; a negative gain absorbs a reversed polarity. The
    operator is applied by FFT on traces zero-padded to at least twice their length.

    **Assumes** a zero-phase wavelet (the published ``phase=-90, max_lag=0``; the defaults
    ``phase="fit", max_lag=40`` allow a constant phase and a bulk delay, which approximates a
    minimum-phase wavelet), the same wavelet and the same impedance spectrum everywhere
    (stationarity), a power-law impedance spectrum, no noise; frequencies outside the seismic
    band come from the background, the same for every trace.

    Parameters
    ----------
    background_sigma : float, default=20.0
        Gaussian smoothing (samples) of the mean training log-impedance trace (the background).
    phase : float or "fit", default="fit"
        Constant phase rotation of the operator in degrees (-90 is the published method), or
        ``"fit"`` to learn it from the training pairs.
    band_threshold : float, default=0.05
        Fraction of the peak mean seismic amplitude that delimits the band used to fit the
        impedance spectrum's power law.
    whitening : float, default=0.2
        Stabilisation :math:`\epsilon` of the spectral division, as a fraction of the peak.
    max_lag : int, default=40
        Largest bulk shift (samples, either sign) of the operator tried in ``fit``; 0 keeps the
        published method (no shift).
    domain : {"auto", "log", "linear"}, default="auto"
        Invert log-impedance, impedance itself, or log when every training value is positive.

    Attributes
    ----------
    operator_ : ndarray of shape (n_fft,)
        The operator in time, time zero at index ``n_fft // 2``.
    exponent_ : float
        Fitted power-law exponent :math:`\alpha` of the impedance amplitude spectrum.
    phase_ : float
        Phase rotation in degrees.
    lag_ : int
        Bulk shift :math:`\ell` in samples (positive: the seismic lags the impedance).
    gain_ : float
        Least-squares gain :math:`g`.
    background_ : ndarray of shape (n_features_in_,)
        Background model (log-impedance, or impedance in the linear domain).
    domain_ : {"log", "linear"}
        Domain used.
    n_features_in_ : int
        Samples per seismic trace.
    n_outputs_ : int
        Samples per impedance trace of the training ``y``.

    References
    ----------
    Lancaster, S. & Whitcombe, D. (2000). Fast-track 'coloured' inversion. SEG Expanded
    Abstracts, 1572-1575.

    Examples
    --------
    >>> import numpy as np
    >>> from impedance_sklearn.estimators.baselines import ColoredInversion
    >>> rng = np.random.default_rng(0)
    >>> logz = np.log(3.0) + np.cumsum(rng.normal(0, 0.02, (50, 128)), axis=1)
    >>> X = np.diff(logz, axis=1, prepend=logz[:, :1])  # broad-band reflectivity as "seismic"
    >>> est = ColoredInversion().fit(X, np.exp(logz))
    >>> est.predict(X).shape, bool(-1.5 < est.exponent_ < -0.5)  # random walk: |Z(f)| ~ 1/f
    ((50, 128), True)
    """

    _parameter_constraints: dict = {
        **_TraceInversion._parameter_constraints,
        "phase": [Interval(numbers.Real, -360, 360, closed="both"), StrOptions({"fit"})],
        "band_threshold": [Interval(numbers.Real, 0, 1, closed="neither")],
        "whitening": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_lag": [Interval(numbers.Integral, 0, None, closed="left")],
    }

    def __init__(
        self, background_sigma=20.0, phase="fit", band_threshold=0.05, whitening=0.2,
        max_lag=40, domain="auto",
    ):
        self.background_sigma = background_sigma
        self.phase = phase
        self.band_threshold = band_threshold
        self.whitening = whitening
        self.max_lag = max_lag
        self.domain = domain

    def _apply(self, X, spectrum):
        """Filter rows of X (zero-padded to ``_n_fft``) with ``spectrum``, cropped to X's length."""
        Xf = sfft.rfft(X, self._n_fft, axis=1)
        return sfft.irfft(Xf * spectrum, self._n_fft, axis=1)[:, : X.shape[1]]

    def _fit_model(self, X, M):
        n = X.shape[1]
        self._n_fft = n_fft = sfft.next_fast_len(2 * n)
        target = M - self.background_
        taper = np.hanning(n + 2)[1:-1] if n > 2 else np.ones(n)
        S = np.abs(sfft.rfft(X * taper, n_fft, axis=1)).mean(axis=0)
        Z = np.abs(sfft.rfft((target - target.mean(axis=1, keepdims=True)) * taper, n_fft,
                             axis=1)).mean(axis=0)
        f = sfft.rfftfreq(n_fft)  # cycles per sample
        amp = np.zeros_like(f)
        self.exponent_ = 0.0
        if S.max() > 0:
            band = (S >= self.band_threshold * S.max()) & (f > 0) & (Z > 0)
            if band.sum() >= 2:
                self.exponent_, log_a = np.polyfit(np.log(f[band]), np.log(Z[band]), 1)
            elif band.any():
                log_a = np.log(Z[band]).mean()
            else:
                log_a = 0.0
            eps = self.whitening * S.max()
            amp[1:] = np.exp(log_a) * f[1:] ** self.exponent_ * S[1:] / (S[1:] ** 2 + eps**2)
        # Filter once over the whole padded length; advancing the output by `lag` samples is then
        # a circular shift of it (a linear phase ramp of the spectrum).
        Xf = sfft.rfft(X, n_fft, axis=1)
        fixed = self.phase != "fit"
        rot = np.exp(1j * np.radians(float(self.phase))) if fixed else 1.0
        outs = [sfft.irfft(Xf * (amp * rot), n_fft, axis=1)]
        if not fixed:
            outs.append(sfft.irfft(Xf * (-1j * amp), n_fft, axis=1))
        best = None
        max_lag = min(int(self.max_lag), n - 1)
        for lag in sorted(range(-max_lag, max_lag + 1), key=abs):  # ties: smallest shift
            idx = (np.arange(n) + lag) % n_fft
            g, sse = _lstsq_gains(target, [o[:, idx] for o in outs])
            if fixed:
                gain, phase = g[0], float(self.phase)
            else:
                # g_in * A + g_quad * (-i A) = |g| A exp(i phi)
                gain, phase = np.hypot(*g), np.degrees(np.arctan2(-g[1], g[0]))
            if best is None or sse < best[0] - 1e-12 * abs(best[0]):
                best = (sse, lag, float(gain), float(phase))
        _, self.lag_, self.gain_, self.phase_ = best
        self._spectrum = (
            self.gain_ * amp * np.exp(1j * np.radians(self.phase_) + 2j * np.pi * f * self.lag_)
        )
        self.operator_ = np.fft.fftshift(sfft.irfft(self._spectrum, n_fft))

    def _predict_model(self, X):
        return self.background_ + self._apply(X, self._spectrum)

