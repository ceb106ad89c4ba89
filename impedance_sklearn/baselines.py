"""Classical post-stack impedance inversions as scikit-learn regressors.

Three methods geophysicists use today, with the same ``fit(X, y)`` / ``predict(X)`` contract as
:class:`~impedance_sklearn.ImpedanceCNN` (X seismic and y impedance, one trace per row):

* :class:`TraceIntegration` -- recursive inversion: integrate the seismic trace as if it were a
  scaled reflectivity series, keep its high frequencies, take the low ones from a background;
* :class:`ColoredInversion` -- Lancaster & Whitcombe (2000) coloured inversion: one convolution
  operator whose spectrum turns the mean seismic spectrum into the impedance spectrum, -90 degrees
  of phase, plus a background;
* :class:`ModelBasedInversion` -- least-squares model-based inversion of the convolutional model
  with PyLops (the linearised :class:`~impedance_sklearn.forward.ConvolutionalModel`), wavelet
  tied from the training pairs, damped towards a background.

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
  (:func:`impedance_sklearn._base.resample_traces`) and predictions are resampled back to
  ``n_outputs_`` samples.
* **Background.** ``background_`` is the mean training model trace (log-impedance, or impedance
  in the linear domain) smoothed by a Gaussian of ``background_sigma`` samples: the low
  frequencies that seismic does not carry.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.fft as sfft
from scipy.ndimage import gaussian_filter1d
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions

from impedance_sklearn._base import TraceRegressorMixin, resample_traces

__all__ = ["TraceIntegration", "ColoredInversion", "ModelBasedInversion"]


# --------------------------------------------------------------------------------------------
# shared machinery
# --------------------------------------------------------------------------------------------
def _smooth(A, sigma):
    """Gaussian smoothing of rows (``sigma`` in samples, 0 = identity), edges held constant."""
    if sigma == 0 or A.shape[-1] < 2:
        return np.array(A, dtype=np.float64)
    return gaussian_filter1d(np.asarray(A, dtype=np.float64), float(sigma), axis=-1, mode="nearest")


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


class _TraceInversion(TraceRegressorMixin, BaseEstimator):
    """Common fit/predict scaffolding of the classical inversions (private).

    Subclasses implement ``_fit_model(X, M)`` (X on the seismic grid, M the model traces on the
    same grid, ``self.background_`` set) and ``_predict_model(X)`` returning model traces.
    """

    _parameter_constraints: dict = {
        "background_sigma": [Interval(numbers.Real, 0, None, closed="left")],
        "domain": [StrOptions({"auto", "log", "linear"})],
    }

    def _model_from_impedance(self, Y):
        if self.domain == "log" or (self.domain == "auto" and np.all(Y > 0)):
            if np.any(Y <= 0):
                raise ValueError(
                    "domain='log' needs strictly positive impedance y; got values <= 0 "
                    f"(min {Y.min():.6g}). Use domain='linear' or 'auto'."
                )
            self.domain_ = "log"
            return np.log(Y)
        self.domain_ = "linear"
        return np.array(Y, dtype=np.float64)

    def _impedance_from_model(self, M):
        if self.domain_ == "log":
            return np.exp(np.clip(M, *self._model_clip))
        return M

    def fit(self, X, y):
        """Fit the inversion to training pairs.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
            Seismic traces, one per row.
        y : array-like of shape (n_traces, n_samples_y) or (n_traces,)
            Impedance traces on the same time span (any sampling; resampled to ``n_samples``).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._validate_params()
        X, Y = self._validate_fit_data(X, y)
        X = np.asarray(X, dtype=np.float64)
        Y = resample_traces(np.asarray(Y, dtype=np.float64), X.shape[1])
        M = self._model_from_impedance(Y)
        lo, hi = float(M.min()), float(M.max())
        span = max(hi - lo, 1.0)
        self._model_clip = (lo - span, hi + span)
        self.background_ = _smooth(M.mean(axis=0), self.background_sigma)
        self._fit_model(X, M)
        return self

    def predict(self, X):
        """Invert seismic traces to impedance.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
            Seismic traces with as many samples as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_traces, n_outputs_) or (n_traces,)
            Impedance in the units of the training ``y``.
        """
        X = self._validate_predict_data(X)
        M = self._predict_model(np.asarray(X, dtype=np.float64))
        return self._format_prediction(self._impedance_from_model(M))


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
    >>> from impedance_sklearn.baselines import TraceIntegration
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
    >>> from impedance_sklearn.baselines import ColoredInversion
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


# --------------------------------------------------------------------------------------------
# model-based inversion (PyLops)
# --------------------------------------------------------------------------------------------
class ModelBasedInversion(_TraceInversion):
    r"""Least-squares model-based post-stack inversion (PyLops), wavelet tied to the training pairs.

    Forward model: the linearised :class:`~impedance_sklearn.forward.ConvolutionalModel` with
    PyLops' centred derivative (the discretisation of
    :func:`pylops.avo.poststack.PoststackLinearModelling`), :math:`\mathbf{d} =
    \mathbf{W}\mathbf{r}`, :math:`\mathbf{r} = \tfrac12 \mathbf{D}\mathbf{m}`, :math:`\mathbf{m}
    = \ln Z`, :math:`(\mathbf{Dm})_j = (m_{j+1} - m_{j-1}) / 2`. ``predict`` solves

    .. math:: \hat{\mathbf m} = \arg\min_{\mathbf m} \lVert \mathbf d - \mathbf{WDm}/2 \rVert^2
              + \epsilon_I \lVert \mathbf m - \mathbf m_0 \rVert^2
              \;[+\; \epsilon_R^2 \lVert \nabla^2 (\mathbf m - \mathbf m_0) \rVert^2],

    with :math:`\mathbf m_0` the background (``background_``). ``simultaneous=False``: each trace
    alone, exactly, through the damped normal equations (one dense solve for all traces).
    ``simultaneous=True``: all traces together with LSQR
    (:func:`pylops.optimization.leastsquares.regularized_inversion`, ``iter_lim`` iterations),
    adding the Laplacian over time and trace number weighted by ``eps_r`` (spatial
    regularisation; the rows of ``X`` must then be neighbouring traces of a line, in order, and a
    prediction depends on the other traces passed with it). ``eps_i`` and ``eps_r`` are
    scale-free: they multiply the mean diagonal of :math:`\mathbf{G}^T\mathbf{G}` (:math:`\mathbf
    G` the operator) and its square root.

    ``fit`` ties the wavelet with :func:`impedance_sklearn.physics.estimate_wavelet` (least
    squares over all training pairs, ``wavelet_length`` samples centred on time zero, so it may
    be causal, e.g. minimum phase, as long as it fits in half the length) on the reflectivity of
    the training log-impedance, and takes the background from the training impedance. Training
    impedance without contrast along the traces (e.g. a single sample per trace, or traces
    shorter than 3 samples, whose centred derivative is zero) ties no wavelet: ``wavelet_`` is
    then zero and ``predict`` returns the background.

    **Assumes** the convolutional model with one stationary wavelet for all traces (no
    multiples, no attenuation, no noise model beyond the damping), small contrasts (linearised
    in log-impedance) and a background that is right below the seismic band.

    Parameters
    ----------
    wavelet_length : int, default=301
        Samples of the estimated wavelet, clipped to ``2 n - 1`` for traces of ``n`` samples.
    wavelet_origin : int or None, default=None
        Index of time zero in the estimated wavelet; ``None`` centres it (``wavelet_length //
        2``), which suits zero-phase and, if long enough, causal wavelets; a small value
        estimates a causal (e.g. minimum-phase) wavelet with fewer unknowns. The wavelet is
        zero-padded to put time zero at its centre for PyLops.
    wavelet_damp : float, default=1e-3
        Relative damping of the wavelet estimate (see ``estimate_wavelet``).
    background_sigma : float, default=20.0
        Gaussian smoothing (samples) of the mean training log-impedance trace (the background).
    eps_i : float, default=1e-2
        Relative damping towards the background.
    simultaneous : bool, default=False
        Invert all traces together (LSQR, spatial regularisation) instead of trace by trace.
    eps_r : float, default=0.0
        Relative weight of the Laplacian regularisation; used only when ``simultaneous=True``.
    iter_lim : int, default=100
        LSQR iterations when ``simultaneous=True``.
    domain : {"auto", "log", "linear"}, default="auto"
        Invert log-impedance, impedance itself, or log when every training value is positive.

    Attributes
    ----------
    wavelet_ : ndarray of shape (n_wavelet,)
        Estimated wavelet, time zero at the centre sample, acting on the reflectivity
        :math:`\mathbf{r}`.
    forward_model_ : ConvolutionalModel
        The forward model with that wavelet (absent when no wavelet could be tied).
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
    impedance_sklearn.forward.ConvolutionalModel, impedance_sklearn.physics.estimate_wavelet

    Examples
    --------
    >>> import numpy as np
    >>> from impedance_sklearn.baselines import ModelBasedInversion
    >>> from impedance_sklearn.physics import convolve_traces, reflectivity, ricker
    >>> rng = np.random.default_rng(0)
    >>> w = ricker(40.0, 0.002, 0.1)
    >>> p = convolve_traces(rng.normal(size=(40, 150)), w)  # impedance inside the seismic band
    >>> Z = np.exp(np.log(3.0) + 0.1 * p / p.std())
    >>> X = convolve_traces(np.pad(reflectivity(Z), ((0, 0), (1, 0))), w)
    >>> est = ModelBasedInversion(wavelet_length=51).fit(X[:30], Z[:30])
    >>> pcc = [np.corrcoef(a, b)[0, 1] for a, b in zip(est.predict(X[30:]), Z[30:])]
    >>> bool(min(pcc) > 0.99)
    True
    """

    _parameter_constraints: dict = {
        **_TraceInversion._parameter_constraints,
        "wavelet_length": [Interval(numbers.Integral, 1, None, closed="left")],
        "wavelet_origin": [Interval(numbers.Integral, 0, None, closed="left"), None],
        "wavelet_damp": [Interval(numbers.Real, 0, None, closed="left")],
        "eps_i": [Interval(numbers.Real, 0, None, closed="left")],
        "simultaneous": ["boolean"],
        "eps_r": [Interval(numbers.Real, 0, None, closed="left")],
        "iter_lim": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(
        self, wavelet_length=301, wavelet_origin=None, wavelet_damp=1e-3, background_sigma=20.0,
        eps_i=1e-2, simultaneous=False, eps_r=0.0, iter_lim=100, domain="auto",
    ):
        self.wavelet_length = wavelet_length
        self.wavelet_origin = wavelet_origin
        self.wavelet_damp = wavelet_damp
        self.background_sigma = background_sigma
        self.eps_i = eps_i
        self.simultaneous = simultaneous
        self.eps_r = eps_r
        self.iter_lim = iter_lim
        self.domain = domain

    def _fit_model(self, X, M):
        from impedance_sklearn.forward import ConvolutionalModel
        from impedance_sklearn.physics import estimate_wavelet

        if self.wavelet_origin is not None and self.wavelet_origin >= self.wavelet_length:
            raise ValueError(
                f"wavelet_origin={self.wavelet_origin} must lie in [0, wavelet_length) = "
                f"[0, {self.wavelet_length})."
            )
        n = X.shape[1]
        length = min(int(self.wavelet_length), 2 * n - 1)
        origin = length // 2 if self.wavelet_origin is None else int(self.wavelet_origin)
        origin = min(origin, length - 1)
        # Time zero at the centre sample of wavelet_ (PyLops' convention): pad the estimate.
        half = max(origin, length - 1 - origin)
        self.wavelet_ = np.zeros(2 * half + 1)
        # PyLops' discretisation: r = (m[j+1] - m[j-1]) / 4, m = ln Z (zero at both ends)
        # (in the linear domain the same operator acts on the impedance itself)
        model = ConvolutionalModel(self.wavelet_, origin=half, derivative="centred")
        r = np.zeros_like(M)
        r[:, 1:-1] = 0.25 * (M[:, 2:] - M[:, :-2])
        self._scale_ref = 1.0
        self._G = None
        if not np.any(r):
            return
        w = estimate_wavelet(X, r, length, origin=origin, damp=self.wavelet_damp)
        self.wavelet_[half - origin : half - origin + length] = w
        self.forward_model_ = model
        G = np.asarray(model.operator(n).todense())
        self._scale_ref = float(np.trace(G.T @ G) / n)
        if self._scale_ref == 0:
            self.wavelet_[:] = 0.0
            self._scale_ref = 1.0
        else:
            self._G = G

    def _predict_model(self, X):
        import pylops
        from pylops.optimization.leastsquares import regularized_inversion

        n_tr, n = X.shape
        M0 = np.broadcast_to(self.background_, (n_tr, n))
        if self._G is None:
            return np.array(M0)
        eps_i = float(self.eps_i) * self._scale_ref
        G = self._G
        if not self.simultaneous:
            # every trace alone, exactly: (G^T G + eps_i I) m = G^T d + eps_i m0
            A = G.T @ G + eps_i * np.eye(n)
            B = G.T @ X.T + eps_i * M0.T
            return np.linalg.solve(A, B).T
        # all traces together (LSQR), Laplacian over (trace, time) on the update
        op = self.forward_model_.operator(n, n_tr)
        resid = (X - (M0 @ G.T)).ravel()
        eps_r = float(self.eps_r) * np.sqrt(self._scale_ref)
        regs = [pylops.Laplacian((n_tr, n), axes=(0, 1), dtype="float64")] if eps_r > 0 else None
        dm = regularized_inversion(
            op, resid, regs, epsRs=[eps_r] if regs else None, damp=np.sqrt(eps_i),
            iter_lim=int(self.iter_lim), show=False,
        )[0]
        return M0 + dm.reshape(n_tr, n)
