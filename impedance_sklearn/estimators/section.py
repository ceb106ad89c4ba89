"""Along a 2-D section: reflector slopes, well logs carried along them, and the Bayesian update.

:class:`SectionInversion` is the estimator; the functions below are its steps.

The traces of a seismic line, in lateral order, carry what a handful of wells lack: the shape of
the layers between them. Three steps turn that into an impedance section (pure numpy/scipy):

1. :func:`structure_slopes` -- the local reflector slope :math:`p(x, t) = dt/dx` (samples per
   trace) from the structure tensor of the seismic (smoothed products of its gradients);
2. :func:`paint_logs` -- every well log carried along the slopes to every trace ("predictive
   painting": characteristics tracked trace by trace), and the paintings of the two
   neighbouring wells blended linearly by distance (the nearest well beyond the end ones): the
   low and the high frequencies of the logs follow the layers;
3. :class:`GaussianUpdate` -- the Bayesian linear inversion of each trace with the painted
   log-impedance as prior mean: :math:`d = G m + n`, :math:`n \\sim N(0, \\sigma_n^2 I)`,
   :math:`m \\sim N(m_0(x), s(x)^2 C)`, :math:`C_{ij} = e^{-|i - j| / \\ell}`, solved for all
   traces at once by one generalised eigendecomposition; the posterior gives a mean and a
   standard deviation per sample.

The prior standard deviation grows with the distance to the wells as a Brownian bridge,
:math:`s(x)^2 = c\\, h(x)`, :math:`h = d_a d_b / (d_a + d_b)` (the distances to the two
neighbouring wells; the distance to the end well beyond it; 0 at a well), with :math:`c` and
:math:`\\ell` fitted from leave-one-well-out paintings (:func:`loo_residuals`).

Measured on the PyLops post-stack model with 10 wells and 10 % noise (docs/fewwells.md): the
painting alone reaches a mean per-trace correlation of 0.993, the update 0.996; its 90 %
intervals cover 89-95 % of the truth on twelve held-out variants.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.linalg
from scipy.ndimage import gaussian_filter
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array

from impedance_sklearn.estimators._base import TraceRegressorMixin
from impedance_sklearn.physics.transforms import resample_traces

__all__ = [
    "SectionInversion",
    "structure_slopes",
    "time_maps",
    "lateral_weights",
    "interpolate_logs",
    "paint_logs",
    "bridge_factor",
    "loo_residuals",
    "correlation_length",
    "GaussianUpdate",
    "fit_section",
    "section_posterior",
]


def structure_slopes(X, sigma=3.0, pre=1.0, max_slope=4.0):
    """Reflector slopes ``p[x, t]`` (samples per trace) of a section ``X`` (n_traces, n_samples).

    The gradient's direction from the structure tensor (products of the gradients smoothed by a
    Gaussian of ``sigma`` samples and traces, after a pre-smoothing of ``pre``); the slope is
    the tangent's, clipped to ``max_slope``.

    Examples
    --------
    >>> import numpy as np
    >>> t, x = np.meshgrid(np.arange(200), np.arange(60))
    >>> X = np.sin(2 * np.pi * (t - 0.5 * x) / 25.0)  # planes dipping 0.5 sample per trace
    >>> round(float(np.median(structure_slopes(X))), 2)
    0.5
    """
    X = np.asarray(X, dtype=np.float64)
    S = gaussian_filter(X, pre) if pre else X
    gx, gt = np.gradient(S)  # axis 0: trace, axis 1: time
    Ttt = gaussian_filter(gt * gt, sigma)
    Txx = gaussian_filter(gx * gx, sigma)
    Ttx = gaussian_filter(gt * gx, sigma)
    theta = 0.5 * np.arctan2(2 * Ttx, Ttt - Txx)  # direction of the normal (t, x)
    return np.clip(-np.tan(theta), -max_slope, max_slope)


def _step_map(p_mid, t_map):
    n = t_map.size
    t = np.arange(n, dtype=float)
    return np.interp(np.clip(t - p_mid, 0, n - 1), t, t_map)


def time_maps(P, well):
    """``T[x, t]``: the time on trace ``well`` of the reflector through (x, t), by tracking the
    characteristics of the slope field ``P`` trace by trace away from the well."""
    nx, n = P.shape
    T = np.empty((nx, n))
    T[well] = np.arange(n, dtype=float)
    t = np.arange(n, dtype=float)
    for x in range(well + 1, nx):
        p_mid = 0.5 * (P[x - 1] + P[x])
        p_src = np.interp(np.clip(t - p_mid, 0, n - 1), t, p_mid)
        T[x] = _step_map(0.5 * (p_mid + p_src), T[x - 1])
    for x in range(well - 1, -1, -1):
        p_mid = 0.5 * (P[x + 1] + P[x])
        p_src = np.interp(np.clip(t + p_mid, 0, n - 1), t, p_mid)
        T[x] = _step_map(-0.5 * (p_mid + p_src), T[x + 1])
    return T


def lateral_weights(n_traces, wells):
    """(n_traces, n_wells) weights: linear between the two neighbouring wells, the nearest well
    outside them; each row sums to one and a well's own row is 1 at that well.

    Examples
    --------
    >>> lateral_weights(5, [1, 3]).tolist()
    [[1.0, 0.0], [1.0, 0.0], [0.5, 0.5], [0.0, 1.0], [0.0, 1.0]]
    """
    wells = np.asarray(wells)
    order = np.argsort(wells)
    ws = wells[order]
    W = np.zeros((n_traces, wells.size))
    for i in range(n_traces):
        j = np.searchsorted(ws, i)
        if j < ws.size and ws[j] == i:
            W[i, order[j]] = 1.0
        elif j == 0:
            W[i, order[0]] = 1.0
        elif j >= ws.size:
            W[i, order[-1]] = 1.0
        else:
            a, b = ws[j - 1], ws[j]
            f = (i - a) / (b - a)
            W[i, order[j - 1]] += 1 - f
            W[i, order[j]] += f
    return W


def interpolate_logs(logs, well_positions, positions, *, method="auto", power=2.0):
    """Well logs (n_wells, n_samples) interpolated to traces at ``positions``, sample by sample.

    ``well_positions`` / ``positions``: trace indices or coordinates along a line, shape
    (n_wells,) / (n_traces,), or map coordinates, shape (n_wells, 2) / (n_traces, 2) (e.g. from
    the SEG-Y headers). ``method``: ``"linear"`` (along a line: between the two neighbouring
    wells, the nearest well beyond the ends), ``"idw"`` (inverse distance to the power
    ``power``, any dimension), ``"auto"`` (linear along a line, else idw). Exact at the wells.

    Examples
    --------
    >>> logs = np.array([[1.0, 1.0], [3.0, 5.0]])
    >>> interpolate_logs(logs, [0, 4], [0, 1, 4, 6]).tolist()
    [[1.0, 1.0], [1.5, 2.0], [3.0, 5.0], [3.0, 5.0]]
    >>> interpolate_logs(logs, [[0, 0], [2, 0]], [[1, 0], [0, 0]]).tolist()
    [[2.0, 3.0], [1.0, 1.0]]
    """
    logs = np.asarray(logs, dtype=np.float64)
    wp = np.asarray(well_positions, dtype=np.float64)
    pos = np.asarray(positions, dtype=np.float64)
    if logs.ndim != 2 or wp.shape[0] != logs.shape[0]:
        raise ValueError(f"well_positions has {wp.shape[0] if wp.ndim else 0} entries for "
                         f"{logs.shape[0]} well logs; expected one position per log.")
    line = wp.ndim == 1 or wp.shape[1] == 1
    if (pos.ndim == 1 or pos.shape[-1] == 1) != line:
        raise ValueError("positions and well_positions must both be along a line (1-D) or "
                         f"both map coordinates (n, 2); got shapes {pos.shape} and {wp.shape}.")
    if method not in ("auto", "linear", "idw"):
        raise ValueError(f"method must be 'auto', 'linear' or 'idw', got {method!r}.")
    if method == "linear" and not line:
        raise ValueError("method='linear' needs positions along a line; use 'idw' for maps.")
    if line and method in ("auto", "linear"):
        wp, pos = wp.reshape(-1), pos.reshape(-1)
        order = np.argsort(wp)
        ws, ls = wp[order], logs[order]
        if np.any(np.diff(ws) == 0):
            raise ValueError("two wells share a position.")
        j = np.clip(np.searchsorted(ws, pos), 1, max(ws.size - 1, 1))
        if ws.size == 1:
            return np.repeat(ls, pos.size, axis=0)
        a, b = ws[j - 1], ws[j]
        f = np.clip((pos - a) / (b - a), 0.0, 1.0)[:, None]
        return (1 - f) * ls[j - 1] + f * ls[j]
    d = np.linalg.norm(pos.reshape(pos.shape[0], -1)[:, None, :]
                       - wp.reshape(wp.shape[0], -1)[None, :, :], axis=-1)
    at = d == 0
    with np.errstate(divide="ignore"):
        W = np.where(at, 0.0, 1.0 / d**power)
    W[at.any(axis=1)] = at[at.any(axis=1)]
    return (W / W.sum(axis=1, keepdims=True)) @ logs


def paint_logs(logs, wells, n_traces, slopes=None, return_paintings=False):
    """Well logs (n_wells, n_samples) carried to every trace along ``slopes`` (flat without).

    Returns the blend (n_traces, n_samples) of the two neighbouring wells' paintings (exact at
    the wells) and, with ``return_paintings``, each well's painting (n_wells, n_traces, n).
    """
    logs = np.asarray(logs, dtype=np.float64)
    wells = np.asarray(wells)
    n = logs.shape[1]
    t = np.arange(n, dtype=float)
    paints = np.empty((wells.size, n_traces, n))
    for k, w in enumerate(wells):
        if slopes is None:
            paints[k] = logs[k][None, :]
            continue
        T = time_maps(slopes, int(w))
        for x in range(n_traces):
            paints[k, x] = np.interp(T[x], t, logs[k])
    out = np.einsum("xk,kxt->xt", lateral_weights(n_traces, wells), paints)
    return (out, paints) if return_paintings else out


def bridge_factor(n_traces, wells):
    """``h(x) = d_a d_b / (d_a + d_b)`` between the two neighbouring wells, the distance to the
    end well beyond it, 0 at a well (the variance factor of linear interpolation).

    Examples
    --------
    >>> bridge_factor(5, [1, 3]).tolist()
    [1.0, 0.0, 0.5, 0.0, 1.0]
    """
    ws = np.sort(np.asarray(wells))
    h = np.zeros(n_traces)
    for i in range(n_traces):
        j = np.searchsorted(ws, i)
        if j < ws.size and ws[j] == i:
            continue
        if j == 0:
            h[i] = ws[0] - i
        elif j >= ws.size:
            h[i] = i - ws[-1]
        else:
            a, b = i - ws[j - 1], ws[j] - i
            h[i] = a * b / (a + b)
    return h


def loo_residuals(logs, wells, paintings, n_traces):
    """Leave-one-well-out residuals of the painting at each well and that well's bridge factor
    (without it): the data for the prior variance and correlation."""
    wells = np.asarray(wells)
    res, hs = [], []
    for k in range(wells.size):
        keep = np.delete(np.arange(wells.size), k)
        W = lateral_weights(n_traces, wells[keep])
        pred = np.einsum("k,kt->t", W[wells[k]], paintings[keep, wells[k]])
        res.append(logs[k] - pred)
        hs.append(bridge_factor(n_traces, wells[keep])[wells[k]])
    return np.array(res), np.array(hs)


def correlation_length(E, max_lag=60):
    """First lag (samples) where the pooled autocorrelation of the rows of E falls below 1/e."""
    E = E - E.mean(axis=1, keepdims=True)
    var = np.mean(E * E)
    if var == 0:
        return 1.0
    for k in range(1, min(max_lag, E.shape[1])):
        if np.mean(E[:, :-k] * E[:, k:]) / var < np.exp(-1):
            return float(k)
    return float(max_lag)


class GaussianUpdate:
    """Posterior of ``m`` per trace for ``d = G m + N(0, sigma_n^2 I)``, ``m ~ N(m0, s^2 C)``.

    A generalised eigendecomposition ``G^T G v = mu C^{-1} v`` (``V^T C^{-1} V = I``) makes every
    trace's posterior a diagonal scaling in one basis, whatever its prior scale ``s``:
    ``A^{-1} = V diag(1 / (mu / sigma_n^2 + 1 / s^2)) V^T``.

    Parameters
    ----------
    G : ndarray of shape (n, n)
        The linear forward model (e.g. ``ConvolutionalModel.operator(n).todense()``).
    C : ndarray of shape (n, n)
        The prior correlation (unit variance).
    sigma_n : float
        Noise standard deviation.
    """

    def __init__(self, G, C, sigma_n):
        n = G.shape[0]
        Ci = np.linalg.inv(C + 1e-10 * np.trace(C) / n * np.eye(n))
        Ci = 0.5 * (Ci + Ci.T)
        self.G = G
        self.sn2 = max(float(sigma_n) ** 2, 1e-30)
        self.mu, self.V = scipy.linalg.eigh(G.T @ G, Ci)
        self.mu = np.clip(self.mu, 0, None)

    @staticmethod
    def exponential(n, length):
        """The correlation ``exp(-|i - j| / length)`` (identity for length <= 0)."""
        lag = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :])
        return np.eye(n) if length <= 0 else np.exp(-lag / float(length))

    def posterior(self, X, M0, prior_std):
        """Posterior mean and standard deviation (n_traces, n) of ``m`` for data ``X``."""
        s = np.broadcast_to(np.asarray(prior_std, dtype=float), (X.shape[0],))
        s2 = np.maximum(s, 1e-6) ** 2
        lam = 1.0 / (self.mu[None, :] / self.sn2 + 1.0 / s2[:, None])
        R = (X - M0 @ self.G.T) @ self.G / self.sn2
        mean = M0 + ((R @ self.V) * lam) @ self.V.T
        std = np.sqrt(np.clip(lam @ (self.V.T ** 2), 0, None))
        return mean, std


def fit_section(section, wells, logs, X_wells=None, *, slope_sigma=3.0, wavelet_length=81,
                wavelet_damp=1e-3):
    """Everything the Bayesian update of a section needs, from the section and its wells.

    Parameters
    ----------
    section : ndarray of shape (n_traces, n_samples)
        The seismic line, traces in lateral order.
    wells : array-like of int, shape (n_wells,)
        Rows of ``section`` at the wells (at least two, distinct).
    logs : ndarray of shape (n_wells, n_samples)
        Positive impedance at the wells, on the seismic time samples.
    X_wells : ndarray of shape (n_wells, n_samples), optional
        The seismic at the wells for the tie (default ``section[wells]``).
    slope_sigma : float, default=3.0
        Smoothing of the structure tensor (samples and traces).
    wavelet_length : int, default=81
        Samples of the tied wavelet (time zero at its centre), clipped to the trace length.
    wavelet_damp : float, default=1e-3

    Returns
    -------
    Bunch
        ``prior_mean`` (log-impedance, (n_traces, n_samples)), ``prior_std`` ((n_traces,)),
        ``prior_scale`` (c), ``corr_length`` (samples), ``wavelet`` (time zero at the centre,
        acting on the reflectivity (m[j+1] - m[j-1]) / 4), ``noise_std``, ``G`` (the linear
        forward model, (n_samples, n_samples)).
    """
    from sklearn.utils import Bunch

    from impedance_sklearn.physics.forward import ConvolutionalModel
    from impedance_sklearn.welltie import tie_wavelet

    section = np.asarray(section, dtype=np.float64)
    wells = np.asarray(wells, dtype=int)
    n_traces, n = section.shape
    L = np.log(np.asarray(logs, dtype=np.float64))
    slopes = structure_slopes(section, slope_sigma)
    M0, paints = paint_logs(L, wells, n_traces, slopes, return_paintings=True)
    E, hs = loo_residuals(L, wells, paints, n_traces)
    scale = float(np.sum(np.mean(E**2, axis=1)) / max(np.sum(hs), 1e-9))
    ell = correlation_length(E)
    Xw = section[wells] if X_wells is None else np.asarray(X_wells, dtype=np.float64)
    length = int(min(wavelet_length, 2 * (n // 2) - 1))
    half = length // 2
    w, _ = tie_wavelet(Xw, L, length, origin=half, damp=wavelet_damp, reflectivity="centred")
    if w is None:
        w = np.zeros(length)
    model = ConvolutionalModel(w, origin=half, derivative="centred")
    G = np.asarray(model.operator(n).todense())
    resid = Xw - L @ G.T
    dof = Xw.size / max(Xw.size - length, 1)
    noise = float(np.sqrt(np.mean(resid**2) * dof))
    return Bunch(prior_mean=M0, prior_std=np.sqrt(scale * bridge_factor(n_traces, wells)),
                 prior_scale=scale, corr_length=ell, wavelet=w, noise_std=noise, G=G,
                 wells=wells)


def section_posterior(state, X, positions):
    """Posterior mean and std of log-impedance for traces ``X`` at rows ``positions`` of the
    fitted section (``state`` from :func:`fit_section`)."""
    n = state.G.shape[0]
    update = GaussianUpdate(state.G, GaussianUpdate.exponential(n, state.corr_length),
                            state.noise_std)
    return update.posterior(np.asarray(X, dtype=np.float64), state.prior_mean[positions],
                            state.prior_std[positions])


class SectionInversion(TraceRegressorMixin, BaseEstimator):
    """Impedance along a seismic section from a few wells in it, guided by its layers.

    ``fit(X_wells, y_wells, X_unlabeled=section, well_positions=rows)``: the unlabelled traces
    are one seismic line in lateral order, and ``well_positions`` the rows of the wells in it.
    The logs are carried along the reflector slopes of the section to every trace
    (:func:`paint_logs`), which brings the low frequencies the seismic lacks and follows the
    layers between the wells; that is the prior mean of a Bayesian model-based inversion of
    every trace (the wavelet tied at the wells, the noise from the tie residual, a prior
    variance that grows with the distance to the wells, fitted by leave-one-well-out).
    ``predict(X, return_std=True)`` gives the posterior mean and a calibrated standard
    deviation (zero at the wells up to round-off, ~1e-6). The steps are in the module
    docstring.

    Parameters
    ----------
    wavelet_length : int, default=81
        Samples of the wavelet tied at the wells (time zero at its centre), at most the trace
        length.
    slope_sigma : float, default=3.0
        Smoothing (samples and traces) of the structure tensor of the reflector slopes.

    Attributes
    ----------
    section_ : Bunch
        The painted prior (log-impedance), its standard deviation per trace, the tied wavelet,
        the noise level and the forward operator (see :func:`fit_section`).
    n_section_traces_ : int
        Traces of the fitted section.
    n_features_in_ : int
    n_outputs_ : int

    Examples
    --------
    >>> from impedance_sklearn.datasets import make_section
    >>> X, y = make_section(n_traces=60, random_state=0)
    >>> wells = [5, 30, 55]
    >>> est = SectionInversion().fit(X[wells], y[wells], X_unlabeled=X, well_positions=wells)
    >>> Z, std = est.predict(X, return_std=True)
    >>> Z.shape, float(abs(Z[30] / y[30] - 1).max()) < 1e-3
    ((60, 550), True)
    """

    _parameter_constraints = {
        "wavelet_length": [Interval(numbers.Integral, 1, None, closed="left")],
        "slope_sigma": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    def __init__(self, wavelet_length=81, slope_sigma=3.0):
        self.wavelet_length = wavelet_length
        self.slope_sigma = slope_sigma

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, X_unlabeled=None, well_positions=None):
        """Fit the painted prior and the Bayesian update to the wells of a section.

        Parameters
        ----------
        X : array-like of shape (n_wells, n_samples)
            Seismic traces at the wells.
        y : array-like of shape (n_wells, n_samples_y) or (n_wells,)
            Positive impedance at the wells, on the seismic time axis (resampled to
            ``n_samples`` when its length differs).
        X_unlabeled : array-like of shape (n_traces, n_samples)
            The whole section, traces in lateral order.
        well_positions : array-like of int, shape (n_wells,)
            Rows of ``X_unlabeled`` at the wells, one per row of ``X``, at least two.

        Returns
        -------
        self : SectionInversion
        """
        X, Y = self._validate_fit_data(X, y, dtype=(np.float64,))
        Yg = resample_traces(Y, X.shape[1])
        section = self._check_section(X, X_unlabeled)
        wells = self._check_wells(well_positions, X.shape[0], section.shape[0])
        if np.any(Yg <= 0):
            raise ValueError("the section workflow works in log-impedance: y must be positive.")
        self.section_ = fit_section(section, wells, Yg, X, slope_sigma=self.slope_sigma,
                                    wavelet_length=min(int(self.wavelet_length), X.shape[1]))
        self.n_section_traces_ = section.shape[0]
        return self

    @staticmethod
    def _check_section(X, section):
        if section is None:
            raise ValueError("well_positions index the traces of X_unlabeled (the section, in "
                             "lateral order): pass X_unlabeled=.")
        section = check_array(section, dtype=np.float64, input_name="X_unlabeled")
        if section.shape[1] != X.shape[1]:
            raise ValueError(f"X_unlabeled has {section.shape[1]} samples per trace; expected "
                             f"{X.shape[1]}, as X.")
        return section

    @staticmethod
    def _check_wells(well_positions, n_wells, n_traces):
        if well_positions is None:
            raise ValueError("SectionInversion needs well_positions: the rows of X_unlabeled "
                             "(the section) at the wells, one per row of X.")
        wells = np.asarray(well_positions)
        if wells.ndim != 1 or wells.size != n_wells or wells.dtype.kind not in "iu":
            raise ValueError(f"well_positions must be {n_wells} integer rows of "
                             f"X_unlabeled, one per well; got {np.asarray(well_positions)!r}.")
        if np.unique(wells).size != wells.size or wells.size < 2:
            raise ValueError("well_positions must name at least two distinct traces (the prior "
                             "variance is fitted by leaving one well out).")
        if wells.min() < 0 or wells.max() >= n_traces:
            raise ValueError(f"well_positions must lie in [0, {n_traces}) (rows of "
                             "X_unlabeled).")
        return wells

    def predict(self, X, positions=None, return_std=False):
        """Posterior impedance (and its standard deviation) of traces of the fitted section.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
        positions : array-like of int, shape (n_traces,), optional
            The rows of the fitted section at which the traces of ``X`` lie; default
            ``0 .. n - 1`` when ``X`` has as many traces as the section (the section itself).
        return_std : bool, default=False
            Also return the posterior standard deviation (delta method: impedance times the
            std of log-impedance).

        Returns
        -------
        y : ndarray of shape (n_traces, n_outputs_) or (n_traces,) if y was 1-D
        std : ndarray of the same shape, only with ``return_std``
        """
        X = self._validate_predict_data(X, dtype=(np.float64,))
        n_sec = self.n_section_traces_
        if positions is None:
            if X.shape[0] != n_sec:
                raise ValueError(
                    f"X has {X.shape[0]} traces; the fitted section has {n_sec}: pass "
                    "positions= (the rows of the section where these traces lie)."
                )
            positions = np.arange(n_sec)
        positions = np.asarray(positions)
        if positions.shape != (X.shape[0],) or positions.dtype.kind not in "iu" or (
                positions.size and (positions.min() < 0 or positions.max() >= n_sec)):
            raise ValueError(f"positions must be {X.shape[0]} integer rows in [0, {n_sec}).")
        mean, std = section_posterior(self.section_, X, positions)
        Y = self._format_prediction(np.exp(mean))
        if return_std:
            return Y, self._format_prediction(np.exp(mean) * std)
        return Y
