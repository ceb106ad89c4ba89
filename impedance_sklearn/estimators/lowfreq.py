"""A low-frequency model: the background impedance of a survey, from its wells.

Seismic carries no information below a few hertz, so every inversion takes its lowest
frequencies from somewhere else. :class:`LowFrequencyModel` takes them from the wells: the
compaction trend of each log, a polynomial of :math:`\\ln Z` in two-way time,

.. math:: \\ln Z_k(t) = \\sum_{j=0}^{d} a_{kj}\\, u^j, \\qquad u = (\\tau - \\bar \\tau_k) / s_k,

where :math:`\\tau = t` (``time_axis="linear"``, default: an exponential trend of Z in time) or
:math:`\\tau = \\ln t` (``time_axis="log"``: a power law :math:`Z \\propto t^{a_1}`, the form of
Faust's (1951) velocity law, :math:`V \\propto z^{1/6}`, carried through Gardner's density),

fitted robustly (Huber loss, ``loss="huber"``, default; or least squares) to the log of well
:math:`k`, centred and scaled by the mean :math:`\\bar t_k` and standard deviation :math:`s_k`
of its logged :math:`\\tau`. Between wells along a line the trends are interpolated linearly by
position, and beyond the end wells the outermost well's trend is held
(:func:`impedance_sklearn.estimators.section.interpolate_logs`); with map coordinates, inverse distance.

**Uncertainty.** :meth:`LowFrequencyModel.predict` with ``return_std=True`` also returns the
standard deviation of :math:`\\ln Z` about the trend: the scatter of the log about its trend
(:math:`\\sigma_k`, 1.4826 times the median absolute residual for the Huber fit) plus the
uncertainty of the fitted coefficients,

.. math:: \\mathrm{std}_k(t)^2 = \\sigma_k^2 \\left(1 + \\frac{n}{n_\\mathrm{eff}}\\,
          \\mathbf a(t)^T (A^T A)^{-1} \\mathbf a(t)\\right),

where :math:`\\mathbf a(t) = (1, u, \\dots, u^d)`, :math:`A` stacks :math:`\\mathbf a` at the
logged times, and :math:`n_\\mathrm{eff} = n / L` discounts the :math:`n` log samples by the
correlation length :math:`L` of the residuals (in samples: the lag where their autocorrelation
first falls below :math:`1/e`): the layers make neighbouring samples far from independent. The
second term is small inside the logged interval and grows (as :math:`u^{2d}`) outside it. Between
several wells the variances are blended with the interpolation weights.

Plain numpy, scipy and scikit-learn; no estimator of the package.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.linear_model import HuberRegressor
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from impedance_sklearn.estimators.section import interpolate_logs

__all__ = ["LowFrequencyModel"]


def _as_wells(time, impedance):
    """Lists of 1-D float arrays (one per well) from one well's arrays or sequences of them."""
    def many(a):
        if isinstance(a, np.ndarray):
            return a.ndim == 2
        return isinstance(a, (list, tuple)) and len(a) > 0 and np.ndim(a[0]) == 1

    one = not (many(time) or many(impedance))
    times = [time] if one else list(time)
    imps = [impedance] if one else list(impedance)
    if len(times) != len(imps) or not times:
        raise ValueError(f"time and impedance must hold as many wells; got {len(times)} and "
                         f"{len(imps)}.")
    out = []
    for k, (t, z) in enumerate(zip(times, imps)):
        t, z = np.asarray(t, dtype=np.float64), np.asarray(z, dtype=np.float64)
        if t.ndim != 1 or t.shape != z.shape:
            raise ValueError(f"well {k}: time and impedance must be 1-D arrays of one length; "
                             f"got shapes {t.shape} and {z.shape}.")
        ok = np.isfinite(t) & np.isfinite(z)
        if np.any(z[ok] <= 0):
            raise ValueError(f"well {k}: impedance must be positive (the trend is of ln Z); "
                             f"got values down to {z[ok].min():.6g}.")
        out.append((t[ok], z[ok]))
    return out


def _correlation_length(r, t):
    """Lag (in samples of the median spacing) where the residuals' autocorrelation first falls
    below 1/e, on a regular resampling of ``r(t)``."""
    dt = float(np.median(np.diff(t)))
    if r.size < 4 or dt <= 0:
        return 1.0
    grid = np.arange(t[0], t[-1] + 0.5 * dt, dt)
    g = np.interp(grid, t, r)
    g = g - g.mean()
    n = g.size
    f = np.fft.rfft(g, 2 * n)
    acf = np.fft.irfft(f * np.conj(f))[:n]
    if acf[0] <= 0:
        return 1.0
    below = np.flatnonzero(acf / acf[0] < np.exp(-1.0))
    return float(below[0]) if below.size else float(n)


class LowFrequencyModel(BaseEstimator):
    """Background impedance from well logs: a trend of ln Z in two-way time per well,
    extrapolated with its uncertainty and interpolated between wells.

    Parameters
    ----------
    degree : int, default=1
        Degree of the polynomial in time (1: a straight line of ln Z, i.e. an exponential
        compaction trend of Z).
    loss : {"huber", "squared"}, default="huber"
        Robust fit (:class:`sklearn.linear_model.HuberRegressor`, ``epsilon``) or ordinary least
        squares.
    epsilon : float, default=1.35
        Huber's threshold, in units of the residuals' scale.
    time_axis : {"linear", "log"}, default="linear"
        The trend's variable: two-way time (an exponential trend of Z), or its logarithm (a
        power law of time, which flattens with depth as compaction does; the logs' times must
        be > 0, and above the shallowest logged time the trend is held at its value there, as a
        power law falls to 0 at t = 0).
    method : {"auto", "linear", "idw"}, default="auto"
        Lateral interpolation between wells (:func:`~impedance_sklearn.estimators.section.interpolate_logs`):
        linear along a line (the outermost well's trend held beyond the end wells, its
        variance growing with the distance there: the wells' disagreement per well spacing),
        inverse distance for map coordinates.

    Attributes
    ----------
    coef_ : ndarray of shape (n_wells, degree + 1)
        Coefficients of each well's trend in the centred, scaled time ``u`` (constant first).
    time_center_, time_scale_ : ndarray of shape (n_wells,)
        Mean and standard deviation of each well's logged times (s; of ln t with
        ``time_axis="log"``).
    sigma_ : ndarray of shape (n_wells,)
        Scatter of ln Z about the trend.
    coef_cov_ : ndarray of shape (n_wells, degree + 1, degree + 1)
        Covariance of the coefficients (inflated by ``n / n_eff``).
    correlation_length_ : ndarray of shape (n_wells,)
        Correlation length of the residuals, in samples of each log.
    interval_ : ndarray of shape (n_wells, 2)
        First and last logged time (s).
    well_positions_ : ndarray or None
        The wells' positions (one per well, or (n_wells, 2) map coordinates).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(1.0, 2.0, 0.002)
    >>> z = 5.0 * np.exp(0.4 * (t - 1.0)) * (1 + 0.05 * np.cos(20 * np.pi * (t - 1.5)))
    >>> lfm = LowFrequencyModel().fit(t, z)
    >>> mean, std = lfm.predict([1.5, 3.0], return_std=True)
    >>> np.round(mean / (5.0 * np.exp(0.4 * np.array([0.5, 2.0]))), 2).tolist()
    [1.0, 1.0]
    >>> bool(std[1] > std[0])  # less certain beyond the log
    True
    """

    _parameter_constraints: dict = {
        "degree": [Interval(numbers.Integral, 0, None, closed="left")],
        "loss": [StrOptions({"huber", "squared"})],
        "epsilon": [Interval(numbers.Real, 1.0, None, closed="left")],
        "method": [StrOptions({"auto", "linear", "idw"})],
        "time_axis": [StrOptions({"linear", "log"})],
    }

    def __init__(self, degree=1, loss="huber", epsilon=1.35, method="auto",
                 time_axis="linear"):
        self.degree = degree
        self.loss = loss
        self.epsilon = epsilon
        self.method = method
        self.time_axis = time_axis

    def _axis(self, t):
        """The trend's variable: t, or ln t (refusing times <= 0)."""
        if self.time_axis == "linear":
            return t
        if np.any(t[np.isfinite(t)] <= 0):
            raise ValueError("time_axis='log' needs two-way times > 0; got "
                             f"{float(np.nanmin(t)):.4g} s. Use time_axis='linear', or times "
                             "from the surface.")
        return np.log(t)

    def _features(self, u):
        return np.vander(np.asarray(u, dtype=np.float64).ravel(), self.degree + 1,
                         increasing=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, time, impedance, positions=None):
        """Fit one trend per well.

        Parameters
        ----------
        time, impedance : array-like of shape (n,), or sequences of them (one per well)
            Two-way times (s) and impedance (> 0) of the logs, e.g. ``load_well(path).time``
            and ``.impedance``; unsorted, irregular sampling and NaN (dropped) are fine.
        positions : array-like of shape (n_wells,) or (n_wells, 2), optional
            Where each well is (a trace index or coordinate along a line, or map coordinates);
            needed with several wells.

        Returns
        -------
        self : LowFrequencyModel
        """
        wells = _as_wells(time, impedance)
        if positions is None:
            if len(wells) > 1:
                raise ValueError(f"{len(wells)} wells need positions (one per well) to be "
                                 "interpolated between.")
            self.well_positions_ = None
        else:
            pos = np.asarray(positions, dtype=np.float64)
            if pos.shape[0] != len(wells) or pos.ndim not in (1, 2):
                raise ValueError(f"positions has shape {pos.shape}; expected one position per "
                                 f"well ({len(wells)}).")
            self.well_positions_ = pos
        p = self.degree + 1
        coef, cov, centre, scale, sigma, corr, interval = [], [], [], [], [], [], []
        for k, (t, z) in enumerate(wells):
            if np.unique(t).size < p:
                raise ValueError(f"well {k} has {np.unique(t).size} distinct finite samples; a "
                                 f"trend of degree {self.degree} needs at least {p}.")
            order = np.argsort(t, kind="stable")
            t, lz = t[order], np.log(z[order])
            tau = self._axis(t)
            c, s = float(tau.mean()), float(tau.std())
            if not s > 0:
                raise ValueError(f"well {k}: all its samples share one time.")
            A = self._features((tau - c) / s)
            if self.loss == "huber":
                reg = HuberRegressor(epsilon=self.epsilon, alpha=0.0, fit_intercept=False,
                                     max_iter=1000).fit(A, lz)
                a = reg.coef_
                r = lz - A @ a
                sig = 1.4826 * float(np.median(np.abs(r - np.median(r))))
            else:
                a = np.linalg.lstsq(A, lz, rcond=None)[0]
                r = lz - A @ a
                sig = float(np.sqrt(r @ r / max(t.size - p, 1)))
            L = _correlation_length(r, t)
            inflate = max(L, 1.0)
            cov.append(sig**2 * inflate * np.linalg.pinv(A.T @ A))
            coef.append(a)
            centre.append(c)
            scale.append(s)
            sigma.append(sig)
            corr.append(L)
            interval.append((float(t[0]), float(t[-1])))
        self.coef_ = np.array(coef)
        self.coef_cov_ = np.array(cov)
        self.time_center_ = np.array(centre)
        self.time_scale_ = np.array(scale)
        self.sigma_ = np.array(sigma)
        self.correlation_length_ = np.array(corr)
        self.interval_ = np.array(interval)
        return self

    def _weights(self, positions, n_rows):
        """Lateral weights (n_rows, n_wells)."""
        k = self.coef_.shape[0]
        if positions is None:
            if k > 1:
                raise ValueError(f"the model holds {k} wells: give positions (one per trace) "
                                 "to interpolate between them.")
            return np.ones((n_rows, 1))
        if self.well_positions_ is None:
            return np.ones((np.asarray(positions).shape[0], 1))
        return interpolate_logs(np.eye(k), self.well_positions_, positions, method=self.method)

    def _beyond_variance(self, positions, trends):
        """Past the end wells of a line the held trend grows uncertain: the wells' trends
        disagree by ``v(t)`` (their variance about their mean at each time), and a trace a
        distance ``d`` beyond the nearest end well, where wells are ``s`` apart on average,
        adds ``v(t) d / s``. Zero between the wells, on a map, and with one well."""
        wp = self.well_positions_
        if wp is None or np.ndim(wp) != 1 or len(trends) < 2:
            return 0.0
        p = np.asarray(positions, dtype=np.float64).reshape(-1)
        spacing = (wp.max() - wp.min()) / (wp.size - 1)
        if not spacing > 0:
            return 0.0
        beyond = np.maximum(wp.min() - p, 0.0) + np.maximum(p - wp.max(), 0.0)
        between = np.var(np.stack(trends), axis=0)
        return between * (beyond / spacing)[:, None]

    def predict_log(self, time, positions=None, return_std=False):
        """ln Z of the background (and its standard deviation) at ``time``.

        Same arguments and shapes as :meth:`predict`.

        Parameters
        ----------
        time : array-like of shape (n_samples,) or (n_traces, n_samples)
            Two-way times (s): one axis for every trace, or one row per trace.
        positions : array-like of shape (n_traces,) or (n_traces, 2), optional
            Where each trace is, in the units of the wells' ``positions`` (needed with several
            wells; ignored with one).
        return_std : bool, default=False
            Also return the standard deviation of ln Z.

        Returns
        -------
        log_impedance : ndarray of shape (n_samples,) or (n_traces, n_samples)
            The interpolated ln Z trend.
        std : ndarray of the same shape
            With ``return_std``: its standard deviation.
        """
        check_is_fitted(self, "coef_")
        t = np.asarray(time, dtype=np.float64)
        if t.ndim not in (1, 2):
            raise ValueError(f"time must be 1-D (n_samples,) or 2-D (n_traces, n_samples); "
                             f"got shape {t.shape}.")
        if positions is None and t.ndim == 1:
            W, T = self._weights(None, 1), t[None, :]
        else:
            n = t.shape[0] if t.ndim == 2 else np.asarray(positions).shape[0]
            W = self._weights(positions, n)
            if W.shape[0] != n:
                raise ValueError(f"positions has {W.shape[0]} entries for {n} traces of time.")
            T = t if t.ndim == 2 else np.broadcast_to(t, (n, t.size))
        mean = np.zeros(T.shape)
        var = np.zeros(T.shape)
        trends = []
        for k in range(self.coef_.shape[0]):
            Tk = T if self.time_axis == "linear" else np.maximum(T, self.interval_[k, 0])
            F = self._features((self._axis(Tk) - self.time_center_[k]) / self.time_scale_[k])
            m_k = (F @ self.coef_[k]).reshape(T.shape)
            mean += W[:, k:k + 1] * m_k
            trends.append(m_k)
            if return_std:
                q = np.einsum("ij,jk,ik->i", F, self.coef_cov_[k], F).reshape(T.shape)
                var += W[:, k:k + 1] * (self.sigma_[k] ** 2 + q)
        if return_std and positions is not None:
            var += self._beyond_variance(positions, trends)
        if positions is None and t.ndim == 1:
            mean, var = mean[0], var[0]
        return (mean, np.sqrt(var)) if return_std else mean

    def predict(self, time, positions=None, return_std=False):
        """The background impedance at ``time`` (s), at ``positions``.

        Parameters
        ----------
        time : array-like of shape (n_samples,) or (n_traces, n_samples)
            Two-way times (s): one axis for every trace, or one row per trace.
        positions : array-like of shape (n_traces,) or (n_traces, 2), optional
            Where each trace is, in the units of the wells' ``positions`` (needed with several
            wells; ignored with one).
        return_std : bool, default=False
            Also return the standard deviation of ln Z.

        Returns
        -------
        impedance : ndarray of shape (n_samples,) (1-D time, no positions) or (n_traces, n_samples)
            ``exp`` of the interpolated ln Z trend.
        std : ndarray of the same shape
            With ``return_std``: standard deviation of ln Z (a 90 % interval of Z is
            ``impedance * exp(+-1.645 std)``).
        """
        out = self.predict_log(time, positions, return_std=return_std)
        if return_std:
            return np.exp(out[0]), out[1]
        return np.exp(out)
