"""From a few wells to a whole survey: train on synthetics matched to the user's data.

:class:`FewWellsRegressor` is a meta-estimator that turns a handful of labelled traces (seismic
at the wells, impedance logs on the same time samples) into a large training set:

1. **Well tie.** A wavelet is estimated from the labelled pairs by least squares
   (:func:`impedance_sklearn.physics.estimate_wavelet`) and split into its shape ``wavelet_``
   (peak absolute value 1) and the seismic amplitude scale ``amplitude_scale_``, so that
   ``X ~ amplitude_scale_ * convolve_traces(r, wavelet_, wavelet_origin_)``.
2. **Impedance statistics.** A stochastic layered model of log-impedance is fitted to the logs
   (``stats_``): a polynomial background trend in time, a per-trace (lateral) offset, two facies
   (a 1-D Gaussian mixture: facies means, i.e. the facies contrast, proportions and within-facies
   spread), and the vertical correlation: facies switch as a Markov chain (mean layer thickness
   in samples) and the within-facies fluctuation is an AR(1) process; both correlation rates are
   fitted so that the model's autocorrelation matches the logs' empirical autocorrelation.
3. **Synthetics.** ``n_synthetic`` impedance traces are drawn from that model and turned into
   seismic with the package's forward model (Kennett's method with internal multiples, or the
   convolutional model) and the tied wavelet, plus noise matched to the field: coloured noise with
   the power spectrum of the well-tie residual, floored, when unlabelled survey traces are given,
   at the survey's white-noise level (its power outside the wavelet's band).
4. **Training.** The inner estimator (a clone of ``estimator``, by default an
   :class:`~impedance_sklearn.ImpedanceCNN`) is fitted on the synthetics plus the real pairs,
   which are repeated (oversampled) so that they make up a fraction ``well_weight`` of the
   training traces.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, _fit_context, clone
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted

from impedance_sklearn import physics
from impedance_sklearn._base import TraceRegressorMixin, resample_traces
from impedance_sklearn.forward import ForwardModel, get_forward_model

__all__ = ["FewWellsRegressor", "fit_impedance_statistics", "sample_impedance"]

_MAX_ACF_LAG = 60


# --------------------------------------------------------------------------------------------
# impedance statistics: fit and sample
# --------------------------------------------------------------------------------------------
def _acf(E, max_lag):
    """Pooled autocorrelation of the rows of E (already zero-mean) at lags 0..max_lag."""
    var = np.mean(E * E)
    out = np.ones(max_lag + 1)
    for k in range(1, max_lag + 1):
        out[k] = np.mean(E[:, :-k] * E[:, k:]) / var if var > 0 else 0.0
    return out


def _correlation_length(acf):
    """First lag (samples, linearly interpolated) where the autocorrelation falls below 1/e."""
    below = np.nonzero(acf < np.exp(-1.0))[0]
    if below.size == 0:
        return float(len(acf) - 1)
    k = int(below[0])
    a0, a1 = acf[k - 1], acf[k]
    return float(k - 1 + (a0 - np.exp(-1.0)) / (a0 - a1)) if a0 != a1 else float(k)


def fit_impedance_statistics(y, trend_degree=1, max_lag=_MAX_ACF_LAG):
    r"""Fit the stochastic layered model of :class:`FewWellsRegressor` to impedance traces.

    With :math:`L = \ln Z` and :math:`t \in [0, 1]` the normalised time,

    .. math:: L(t) = b(t) + o + \mu_{f(t)} + \sigma_w u(t),

    where :math:`b` is a polynomial trend of degree ``trend_degree`` (least squares over all
    traces), :math:`o \sim N(0, \sigma_o^2)` a per-trace offset, :math:`f(t) \in \{0, 1\}` the
    facies, a stationary Markov chain with proportions :math:`p_f` and lag-one persistence
    :math:`\lambda`, :math:`\mu_f` the facies means (a two-component Gaussian mixture of the
    detrended logs; one component when the two are not separated by more than one within-facies
    standard deviation) and :math:`u` a unit AR(1) process with coefficient :math:`\phi`. The
    model autocorrelation is
    :math:`\rho(k) = (c_f \lambda^k + \sigma_w^2 \phi^k) / (c_f + \sigma_w^2)`,
    :math:`c_f = p_0 p_1 (\mu_1 - \mu_0)^2`; :math:`\lambda, \phi` are fitted by a grid search to
    the empirical autocorrelation of the detrended logs at lags 1..``max_lag``. The mean layer
    thickness of facies :math:`f` is :math:`1 / ((1 - \lambda) p_{1-f})` samples.

    Parameters
    ----------
    y : ndarray of shape (n_traces, n_samples)
        Strictly positive impedance traces, at least 4 samples.
    trend_degree : int, default=1
    max_lag : int, default=60

    Returns
    -------
    stats : Bunch
        ``mean``, ``std`` (of the impedance itself), ``log_mean``, ``log_std``, ``trend_coef``
        (highest power first, in normalised time), ``lateral_std``, ``facies_means``,
        ``facies_proportions``, ``facies_contrast`` (difference of the facies means, log
        units), ``within_std``, ``facies_persistence`` (:math:`\lambda`), ``ar_coef``
        (:math:`\phi`), ``layer_thickness`` (mean samples per facies layer), ``acf`` (empirical,
        lags 0..max_lag) and ``correlation_length`` (samples to fall to 1/e).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = np.exp(1.5 + 0.1 * rng.standard_normal((5, 200)))
    >>> s = fit_impedance_statistics(y)
    >>> round(s.log_std, 2), s.correlation_length < 1.5
    (0.1, True)
    """
    y = np.asarray(y, dtype=np.float64)
    n_tr, n = y.shape
    L = np.log(y)
    t = np.linspace(0.0, 1.0, n)
    deg = int(min(trend_degree, max(n - 2, 0)))
    coef = np.polyfit(np.tile(t, n_tr), L.ravel(), deg)
    E0 = L - np.polyval(coef, t)
    offsets = E0.mean(axis=1)
    E = E0 - offsets[:, None]
    max_lag = int(max(1, min(max_lag, n // 3)))
    acf = _acf(E, max_lag)
    var_e = float(np.mean(E * E))
    # lateral offsets: variance of trace means beyond what the correlated fluctuation explains
    k = np.arange(1, max_lag + 1)
    expected = var_e * (1 + 2 * np.sum((1 - k / n) * np.clip(acf[1:], 0, None))) / n
    lateral_var = max(float(np.var(offsets, ddof=1)) - expected, 0.0) if n_tr > 1 else 0.0

    means, props, within = np.zeros(1), np.ones(1), np.sqrt(var_e)
    if var_e > 0 and E.size >= 20:
        from sklearn.mixture import GaussianMixture

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                gm = GaussianMixture(2, random_state=0, n_init=2).fit(E.reshape(-1, 1))
            m, w = gm.means_.ravel(), gm.weights_
            s = np.sqrt(np.sum(w * gm.covariances_.ravel()))
            if abs(m[1] - m[0]) > s and w.min() > 0.05:
                order = np.argsort(m)
                means, props, within = m[order], w[order], float(s)
        except (ValueError, np.linalg.LinAlgError):  # degenerate data: keep one facies
            pass
    c_f = float(props[0] * props[-1] * (means[-1] - means[0]) ** 2) if means.size == 2 else 0.0
    # renormalise so the model variance equals the data variance
    within = float(np.sqrt(max(var_e - c_f, 0.0))) if c_f < var_e else 0.0
    grid = np.linspace(0.0, 0.995, 200)
    lags = np.arange(1, max_lag + 1)
    tot = c_f + within**2
    if tot > 0:
        fac = (c_f / tot) * grid[:, None, None] ** lags  # (lam, 1, lag)
        ar = (within**2 / tot) * grid[None, :, None] ** lags  # (1, phi, lag)
        err = np.sum((fac + ar - acf[1:]) ** 2, axis=-1)
        if c_f == 0:
            err = err[:1]
        i, j = np.unravel_index(np.argmin(err), err.shape)
        lam, phi = float(grid[i]), float(grid[j])
    else:
        lam, phi = 0.0, 0.0
    if means.size == 2:
        thickness = 1.0 / np.maximum((1 - lam) * props[::-1], 1e-12)
    else:
        thickness = np.array([np.inf])
    return Bunch(
        mean=float(y.mean()),
        std=float(y.std()),
        log_mean=float(L.mean()),
        log_std=float(L.std()),
        trend_coef=coef,
        lateral_std=float(np.sqrt(lateral_var)),
        facies_means=means,
        facies_proportions=props,
        facies_contrast=float(means[-1] - means[0]),
        within_std=within,
        facies_persistence=lam,
        ar_coef=phi,
        layer_thickness=thickness,
        acf=acf,
        correlation_length=_correlation_length(acf),
    )


def sample_impedance(stats, n_traces, n_samples, random_state=None):
    """Draw impedance traces from the model fitted by :func:`fit_impedance_statistics`.

    Parameters
    ----------
    stats : Bunch
        Output of :func:`fit_impedance_statistics`.
    n_traces, n_samples : int
    random_state : int, RandomState instance or None

    Returns
    -------
    y : ndarray of shape (n_traces, n_samples)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> s = fit_impedance_statistics(np.exp(1.0 + 0.2 * rng.standard_normal((4, 300))))
    >>> z = sample_impedance(s, 50, 300, random_state=0)
    >>> z.shape, bool(abs(np.log(z).std() - 0.2) < 0.02)
    ((50, 300), True)
    """
    rng = check_random_state(random_state)
    t = np.linspace(0.0, 1.0, n_samples)
    L = np.tile(np.polyval(stats.trend_coef, t), (n_traces, 1))
    L += stats.lateral_std * rng.standard_normal((n_traces, 1))
    phi, lam = stats.ar_coef, stats.facies_persistence
    u = np.empty((n_traces, n_samples))
    u[:, 0] = rng.standard_normal(n_traces)
    innov = np.sqrt(1 - phi**2) * rng.standard_normal((n_traces, n_samples))
    for j in range(1, n_samples):
        u[:, j] = phi * u[:, j - 1] + innov[:, j]
    L += stats.within_std * u
    means, props = stats.facies_means, stats.facies_proportions
    if means.size == 2:
        # Markov chain: keep the facies with probability lam, else redraw from the proportions
        f = rng.random(n_traces) < props[1]
        keep = rng.random((n_traces, n_samples)) < lam
        redraw = rng.random((n_traces, n_samples)) < props[1]
        F = np.empty((n_traces, n_samples), dtype=bool)
        F[:, 0] = f
        for j in range(1, n_samples):
            F[:, j] = np.where(keep[:, j], F[:, j - 1], redraw[:, j])
        L += np.where(F, means[1], means[0])
    else:
        L += means[0]
    return np.exp(L)


# --------------------------------------------------------------------------------------------
# forward modelling and noise
# --------------------------------------------------------------------------------------------
def _forward(Z, wavelet, origin, forward):
    """Seismic of impedance traces Z (time grid) with the tied wavelet (amplitude included)."""
    return get_forward_model(forward, wavelet, origin).seismic(Z)


def _power_spectrum(A, n_fft):
    return np.mean(np.abs(np.fft.rfft(A, n_fft, axis=1)) ** 2, axis=0) / A.shape[1]


def _moving_average(p, width=5):
    if p.size < width:
        return p
    k = np.ones(width) / width
    return np.convolve(np.pad(p, width // 2, mode="edge"), k, mode="valid")


def _mean_power(psd):
    """Mean power per sample of a one-sided spectrum from :func:`_power_spectrum` (Parseval)."""
    n_fft = 2 * (psd.size - 1)
    return float((psd[0] + psd[-1] + 2.0 * np.sum(psd[1:-1])) / n_fft)


def _coloured_noise(psd, n_traces, n_samples, rng):
    """Gaussian noise whose mean power spectrum (per sample, FFT length len) is ``psd``."""
    n_fft = 2 * (psd.size - 1)
    white = rng.standard_normal((n_traces, n_fft))
    spec = np.fft.rfft(white, axis=1) * np.sqrt(psd)
    return np.fft.irfft(spec, n_fft, axis=1)[:, :n_samples]


# --------------------------------------------------------------------------------------------
# the meta-estimator
# --------------------------------------------------------------------------------------------
class FewWellsRegressor(MetaEstimatorMixin, TraceRegressorMixin, BaseEstimator):
    """Train a trace-to-trace regressor on synthetics matched to a few labelled wells.

    ``fit(X_wells, y_wells, X_unlabeled=None)`` ties a wavelet and amplitude scale at the wells,
    fits a stochastic layered model of the impedance logs, generates ``n_synthetic`` matched
    synthetic pairs (forward model plus field-matched noise) and fits a clone of ``estimator``
    on the synthetics plus the real pairs. See the module docstring for the equations.

    Parameters
    ----------
    estimator : estimator object, default=None
        Trace-to-trace regressor trained on the synthetics (cloned). ``None`` means
        ``ImpedanceCNN()`` with its defaults.
    n_synthetic : int, default=5000
        Number of synthetic pairs generated in ``fit``.
    forward : {"kennett", "convolutional"} or ForwardModel, default="kennett"
        Forward model of the synthetics (:mod:`impedance_sklearn.forward`), with the tied
        wavelet put in: Kennett's invariant imbedding with all internal multiples
        (:class:`~impedance_sklearn.forward.KennettModel`) or the primaries-only convolutional
        model (:class:`~impedance_sklearn.forward.ConvolutionalModel`), by name or as an object
        (its wavelet is replaced by the tied one).
    wavelet_length : int, default=None
        Samples of the estimated wavelet, time zero at its centre sample (``length // 2``), so
        that any phase and a bulk shift of the logs are absorbed. ``None`` means
        ``2 * (n_samples // 4) + 1`` (about half the trace), at most 201; never more than
        ``n_samples``.
    well_weight : float in [0, 1], default=0.1
        Fraction of the training traces that are real pairs: the wells are repeated
        ``round(well_weight / (1 - well_weight) * n_synthetic / n_wells)`` times (at least once
        when ``well_weight > 0``). ``0`` trains on synthetics only, ``1`` on the wells only.
    noise : "auto" or float >= 0, default="auto"
        ``"auto"``: coloured noise with the power spectrum of the well-tie residual (corrected
        for the wavelet's degrees of freedom); when ``X_unlabeled`` is given, raised at every
        frequency to at least the survey's white-noise floor, its mean power at frequencies
        where the tied wavelet's amplitude is below 5 % of its peak (used when such frequencies
        make up at least 5 % of the spectrum). A float is the RMS of white noise relative to
        the RMS of the modelled (noise-free) seismic at the wells; ``0`` adds no noise.
    trend_degree : int, default=1
        Degree of the polynomial background trend of log-impedance.
    random_state : int, RandomState instance or None, default=None
        Seeds the synthetic data, and the inner estimator's ``random_state`` when it is None.

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator``.
    wavelet_ : ndarray of shape (wavelet_length,)
        Estimated wavelet shape, peak absolute value 1 (``None`` if the tie was impossible).
    wavelet_origin_ : int
        Index of time zero in ``wavelet_`` (its centre sample).
    amplitude_scale_ : float
        Seismic amplitude of a unit-peak wavelet: ``X ~ amplitude_scale_ * (r * wavelet_)``.
    stats_ : Bunch
        Fitted impedance statistics (see :func:`fit_impedance_statistics`; ``mean`` and ``std``
        in the units of ``y``, the rest in log-impedance and samples); ``None`` when the physics
        could not be applied.
    noise_psd_ : ndarray of shape (n_features_in_ + 1,) or None
        Power spectrum of the noise added to the synthetics (one-sided, FFT length
        ``2 * n_features_in_``; power per sample).
    noise_level_ : float
        RMS of that noise over the RMS of the modelled (noise-free) seismic at the wells.
    n_repeats_ : int
        Times each real pair appears in the training set.
    fallback_ : str or None
        Why no synthetics were generated (non-positive impedance, too few samples, no
        contrast), in which case the inner estimator was trained on the wells alone.
    n_features_in_ : int
    n_outputs_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from impedance_sklearn.physics import convolve_traces, reflectivity, ricker
    >>> rng = np.random.default_rng(0)
    >>> y = np.exp(1.5 + np.cumsum(rng.normal(0, 0.02, (40, 64)), axis=1))
    >>> r = np.concatenate([np.zeros((40, 1)), reflectivity(y)], axis=1)
    >>> X = 3.7 * convolve_traces(r, ricker(60.0, 0.002, 0.04))
    >>> reg = FewWellsRegressor(Ridge(1e-3), n_synthetic=200, forward="convolutional",
    ...                         noise=0.0, random_state=0).fit(X[:5], y[:5])
    >>> reg.predict(X[5:]).shape
    (35, 64)
    >>> round(reg.amplitude_scale_, 1)
    3.7
    """

    _parameter_constraints = {
        "estimator": [None, HasMethods(["fit", "predict"])],
        "n_synthetic": [Interval(numbers.Integral, 0, None, closed="left")],
        "forward": [StrOptions({"kennett", "convolutional"}), ForwardModel],
        "wavelet_length": [None, Interval(numbers.Integral, 1, None, closed="left")],
        "well_weight": [Interval(numbers.Real, 0, 1, closed="both")],
        "noise": [StrOptions({"auto"}), Interval(numbers.Real, 0, None, closed="left")],
        "trend_degree": [Interval(numbers.Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        n_synthetic=5000,
        forward="kennett",
        wavelet_length=None,
        well_weight=0.1,
        noise="auto",
        trend_degree=1,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_synthetic = n_synthetic
        self.forward = forward
        self.wavelet_length = wavelet_length
        self.well_weight = well_weight
        self.noise = noise
        self.trend_degree = trend_degree
        self.random_state = random_state

    @property
    def _min_trace_length(self):
        """The inner estimator's shortest trace (e.g. an ImpedanceCNN's kernel size)."""
        est = self.estimator
        if est is None:
            from impedance_sklearn.cnn import ImpedanceCNN

            est = ImpedanceCNN()
        try:
            return max(1, int(getattr(est, "_min_trace_length", 1)))
        except (TypeError, ValueError):
            return 1

    def _make_estimator(self, rng):
        if self.estimator is None:
            from impedance_sklearn.cnn import ImpedanceCNN

            est = ImpedanceCNN()
        else:
            est = clone(self.estimator)
        params = est.get_params(deep=False)
        if "random_state" in params and params["random_state"] is None:
            if self.random_state is not None:
                est.set_params(random_state=int(rng.randint(np.iinfo(np.int32).max)))
        return est

    def _tie(self, X, Y):
        """Wavelet (with amplitude), origin, and why the physics cannot be used (or None)."""
        n = X.shape[1]
        if n < 4:
            return None, None, f"traces of {n} samples are too short to tie a wavelet (need 4)"
        if np.any(Y <= 0):
            return None, None, "y has non-positive values: not an impedance, no reflectivity"
        if np.all(np.ptp(Y, axis=1) == 0):
            return None, None, "y has no impedance contrast: no reflectivity to tie"
        length = self.wavelet_length
        if length is None:
            length = min(2 * (n // 4) + 1, 201)
        length = int(min(length, n))
        origin = length // 2
        try:
            r = physics.reflectivity(Y, pad=True)
            w = physics.estimate_wavelet(X, r, length, origin=origin, damp=1e-2)
        except (ValueError, np.linalg.LinAlgError) as exc:
            return None, None, f"wavelet estimation failed: {exc}"
        if not np.all(np.isfinite(w)) or not np.any(w):
            return None, None, "the estimated wavelet is zero or not finite"
        return w, origin, None

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, X_unlabeled=None):
        """Tie, fit the statistics, generate matched synthetics and fit the inner estimator.

        Parameters
        ----------
        X : array-like of shape (n_wells, n_samples)
            Seismic traces at the wells.
        y : array-like of shape (n_wells, n_samples_y) or (n_wells,)
            Impedance at the wells, on the seismic time axis (resampled to ``n_samples`` when
            its length differs).
        X_unlabeled : array-like of shape (n_traces, n_samples), default=None
            Unlabelled survey traces; with ``noise="auto"`` their power outside the wavelet's
            band sets a floor under the synthetics' noise spectrum.

        Returns
        -------
        self : FewWellsRegressor
        """
        X, Y = self._validate_fit_data(X, y, dtype=(np.float64,))
        n_wells, n = X.shape
        Yg = resample_traces(Y, n)
        if X_unlabeled is not None:
            X_unlabeled = check_array(X_unlabeled, dtype=np.float64, input_name="X_unlabeled")
            if X_unlabeled.shape[1] != n:
                raise ValueError(
                    f"X_unlabeled has {X_unlabeled.shape[1]} samples per trace; expected "
                    f"{n}, as X."
                )
        rng = check_random_state(self.random_state)
        w, origin, reason = self._tie(X, Yg)
        self.fallback_ = reason
        self.wavelet_, self.wavelet_origin_, self.amplitude_scale_ = None, None, 1.0
        self.stats_, self.noise_psd_, self.noise_level_ = None, None, 0.0
        if reason is None:
            try:
                self._fit_synthetic_model(X, Yg, w, origin, X_unlabeled)
            except (ValueError, FloatingPointError) as exc:  # e.g. absurd fitted statistics
                reason = self.fallback_ = f"the synthetic model could not be fitted ({exc})"
                self.stats_ = None
        n_syn = self.n_synthetic if self.well_weight < 1 else 0
        if reason is None and n_syn > 0:
            X_syn, Y_syn = self._generate(n_syn, rng)
            if not (np.all(np.isfinite(X_syn)) and np.all(np.isfinite(Y_syn))):
                reason = self.fallback_ = "the synthetic traces were not finite"
        if reason is not None:
            warnings.warn(
                f"FewWellsRegressor: {reason}; training the inner estimator on the wells alone.",
                UserWarning,
            )
            n_syn = 0
        if n_syn == 0:
            reps = 1
            X_tr, Y_tr = X, Yg
        else:
            reps = 0
            if self.well_weight > 0:
                ratio = self.well_weight / (1.0 - self.well_weight)
                reps = max(1, int(round(ratio * n_syn / n_wells)))
            X_tr = np.concatenate([X_syn, np.tile(X, (reps, 1))])
            Y_tr = np.concatenate([Y_syn, np.tile(Yg, (reps, 1))])
        self.n_repeats_ = reps
        self.estimator_ = self._make_estimator(rng)
        self.estimator_.fit(X_tr, Y_tr)
        return self

    def _fit_synthetic_model(self, X, Yg, w, origin, X_unlabeled):
        """Set wavelet_, amplitude_scale_, stats_, noise_psd_ and noise_level_."""
        n = X.shape[1]
        self.amplitude_scale_ = float(np.max(np.abs(w)))
        self.wavelet_, self.wavelet_origin_ = w / self.amplitude_scale_, origin
        self.stats_ = fit_impedance_statistics(Yg, trend_degree=self.trend_degree)
        S_wells = _forward(Yg, w, origin, self.forward)
        signal_power = float(np.mean(S_wells**2))
        n_fft = 2 * n
        if self.noise == "auto":
            # well-tie residual, inflated for the wavelet's degrees of freedom
            dof = X.size / max(X.size - w.size, 1)
            psd = _moving_average(_power_spectrum(X - S_wells, n_fft)) * dof
            if X_unlabeled is not None:
                # the survey's white-noise floor: its mean power where the wavelet has none
                W = np.abs(np.fft.rfft(w, n_fft))
                out = W < 0.05 * W.max()
                if out.mean() >= 0.05:
                    floor = float(np.mean(_power_spectrum(X_unlabeled, n_fft)[out]))
                    psd = np.maximum(psd, floor)
        else:
            psd = np.full(n_fft // 2 + 1, self.noise**2 * signal_power)
        self.noise_psd_ = psd
        power = _mean_power(psd)
        self.noise_level_ = float(np.sqrt(power / signal_power)) if signal_power > 0 else 0.0

    def _generate(self, n_traces, rng):
        n = self.n_features_in_
        Y = sample_impedance(self.stats_, n_traces, n, rng)
        S = _forward(Y, self.amplitude_scale_ * self.wavelet_, self.wavelet_origin_, self.forward)
        if _mean_power(self.noise_psd_) > 0:
            S += _coloured_noise(self.noise_psd_, n_traces, n, rng)
        return S, Y

    def generate(self, n_traces, random_state=None):
        """Draw synthetic (seismic, impedance) pairs from the fitted model, as used in ``fit``.

        Parameters
        ----------
        n_traces : int
        random_state : int, RandomState instance or None, default=None

        Returns
        -------
        X : ndarray of shape (n_traces, n_features_in_)
            Seismic: forward model with the tied wavelet and amplitude, plus the fitted noise.
        y : ndarray of shape (n_traces, n_features_in_)
            Impedance on the seismic time axis.
        """
        check_is_fitted(self)
        if self.stats_ is None:
            raise ValueError(f"no synthetic model was fitted: {self.fallback_}.")
        if not isinstance(n_traces, numbers.Integral) or n_traces < 1:
            raise ValueError(f"n_traces must be a positive integer, got {n_traces!r}.")
        return self._generate(int(n_traces), check_random_state(random_state))

    def predict(self, X):
        """Predict impedance traces with the inner estimator.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)

        Returns
        -------
        y : ndarray of shape (n_traces, n_outputs_) or (n_traces,) if y was 1-D
        """
        X = self._validate_predict_data(X, dtype=(np.float64,))
        Y = np.asarray(self.estimator_.predict(X), dtype=np.float64)
        return self._format_prediction(Y.reshape(X.shape[0], -1))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags
