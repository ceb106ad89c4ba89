"""Impedance statistics of well logs and noise models: the priors of the few-wells workflow.

* :func:`fit_impedance_statistics` / :func:`sample_impedance` -- a stochastic layered model of
  log-impedance (trend, lateral offset, two facies as a Markov chain, AR(1) fluctuation) fitted to
  logs, and draws from it;
* the noise helpers of :class:`~impedance_sklearn.FewWellsRegressor`: power spectra and coloured
  Gaussian noise with a given spectrum.

Pure numpy/scikit-learn.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.utils import Bunch, check_random_state

__all__ = ["fit_impedance_statistics", "sample_impedance"]

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
# the package's generator as a prior
# --------------------------------------------------------------------------------------------
#: Facies variogram ranges (m) among which the generator prior picks the two that match the
#: wells' vertical correlation best.
RANGE_CANDIDATES = (2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 30.0, 45.0, 60.0, 80.0, 100.0)


def log_correlation_length(y):
    """Samples for the pooled autocorrelation of the de-meaned log-impedance to fall to 1/e."""
    L = np.log(np.asarray(y, dtype=np.float64))
    E = L - L.mean(axis=1, keepdims=True)
    return _correlation_length(_acf(E, min(_MAX_ACF_LAG, max(1, E.shape[1] // 3))))


def fit_generator_range(y, n_per_range=200, random_state=0):
    """The (low, high) facies range of :func:`~impedance_sklearn.datasets.make_impedance_dataset`
    whose logs' vertical correlation length is closest to that of the logs ``y`` (the two
    nearest of :data:`RANGE_CANDIDATES`), with the correlation lengths compared."""
    from impedance_sklearn.synthetic.generator import make_impedance_dataset

    target = log_correlation_length(y)
    lengths = []
    for r in RANGE_CANDIDATES:
        _, yg = make_impedance_dataset(n_per_range, n_samples=np.shape(y)[1], vertical_range=r,
                                       random_state=random_state)
        lengths.append(log_correlation_length(yg))
    order = np.argsort(np.abs(np.asarray(lengths) - target))[:2]
    lo, hi = sorted(np.asarray(RANGE_CANDIDATES)[order])
    return (float(lo), float(hi)), target


def paper_likeness(wavelet, origin, lag=24):
    """Correlation of a wavelet tied at wells (time-grid convention, time zero at ``origin``)
    with what the paper's recipe would give: its minimum-phase Ormsby wavelet, displacement
    polarity, the seismic starting ``lag`` samples after time zero (best of +-3 samples)."""
    from impedance_sklearn.physics.wavelets import das2019_wavelet

    wp = das2019_wavelet()
    best = -1.0
    for shift in range(-3, 4):
        e = np.zeros_like(wavelet)
        k = np.arange(wp.size)
        idx = origin + k - lag + shift
        ok = (idx >= 0) & (idx < e.size)
        e[idx[ok]] = -wp[k[ok]]
        if np.any(e) and np.any(wavelet):
            best = max(best, float(np.corrcoef(wavelet, e)[0, 1]))
    return best
