"""Any trace regressor on windows: train on short windows (logs shorter than the traces),
predict traces of any length by overlap-add, optionally on a low-frequency background.

:class:`WindowedRegressor` cuts the training traces into windows of ``window`` samples, fits its
inner ``estimator`` (any of the package's regressors, or any scikit-learn regressor of 2-D
traces) on them, and predicts a trace of any length :math:`m \\geq` ``window`` as the tapered
average of the predictions of its windows (starts ``0, stride, 2 stride, ...`` and one ending
on the last sample):

.. math:: \\hat y(t) = \\frac{\\sum_k w(t - s_k)\\, \\hat y_k(t - s_k)}{\\sum_k w(t - s_k)},

with :math:`w` the taper (strictly positive; ``"hann"`` by default). The normalisation makes the
reconstruction exact when the inner model is the identity, whatever the taper and stride.

**Background.** With ``background`` (a :class:`~impedance_sklearn.estimators.lowfreq.LowFrequencyModel`),
``fit`` first fits a clone of it to the training impedance at its absolute times (the trend of
the logs, one per well position), then trains the inner model on the impedance relative to it,
:math:`y / b` (for the package's log-domain inversions that is :math:`\\ln y - \\ln b`, the
relative impedance), and ``predict`` multiplies the inner prediction by the background evaluated
at each predicted trace's own times and position: the low frequencies no window can learn come
from the wells' trend, extrapolated beyond the logs.

Times: sample :math:`j` of trace :math:`i` is at :math:`t_{0,i} + j\\,dt`. ``dt`` (the sampling
interval, s) is a parameter, needed with a background; ``t0`` (the parameter) is the start time of
the traces, which ``fit(..., t0=)`` and ``predict(..., t0=)`` override per call, as a scalar or
one value per trace (the training windows cut along a log start at different times: see
:func:`impedance_sklearn.io.well_windows`). Both are saved with the model, so that a model
trained on windows of a survey predicts that survey's whole traces without arguments.

Lengths: ``n_features_in_`` is the trace length seen in ``fit`` (scikit-learn's meaning);
``predict`` takes any length of at least ``window`` samples (a shorter trace raises
``ValueError``). On traces of the fitted length the output has ``n_outputs_`` samples, as for
every estimator of the package; on traces of another length, one sample per input sample.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.signal import get_window
from sklearn.base import BaseEstimator, MetaEstimatorMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from impedance_sklearn._validation import check_estimator_input, check_magnitude
from impedance_sklearn.estimators._base import TraceRegressorMixin
from impedance_sklearn.physics.transforms import resample_traces

__all__ = ["WindowedRegressor", "window_starts"]


def window_starts(n_samples, window, stride):
    """Start indices of the windows that cover ``n_samples``: ``0, stride, ...`` and the last
    full window (ending on the last sample), without repeats.

    Examples
    --------
    >>> window_starts(10, 4, 3).tolist()
    [0, 3, 6]
    >>> window_starts(11, 4, 3).tolist()
    [0, 3, 6, 7]
    """
    if n_samples < window:
        raise ValueError(f"a trace of {n_samples} samples is shorter than the window "
                         f"({window} samples).")
    starts = np.arange(0, n_samples - window + 1, int(stride))
    if starts[-1] != n_samples - window:
        starts = np.append(starts, n_samples - window)
    return starts


def _per_trace(value, n, name):
    """A scalar or (n,) array -> float array (n,)."""
    a = np.asarray(value, dtype=np.float64)
    if a.ndim == 0:
        return np.full(n, float(a))
    if a.shape != (n,):
        raise ValueError(f"{name} must be a number or one value per trace ({n}); got shape "
                         f"{a.shape}.")
    return a


def _positions(positions, n):
    if positions is None:
        return None
    p = np.asarray(positions, dtype=np.float64)
    if p.ndim not in (1, 2) or p.shape[0] != n:
        raise ValueError(f"positions must give one position per trace ({n}), shape (n,) or "
                         f"(n, 2); got shape {p.shape}.")
    return p


class WindowedRegressor(MetaEstimatorMixin, TraceRegressorMixin, BaseEstimator):
    """Fit a trace regressor on windows; predict traces of any length by tapered overlap-add.

    Parameters
    ----------
    estimator : regressor, default=None
        Fitted (a clone) on windows of ``window`` samples: X windows of seismic, y windows of
        impedance (relative to the background when there is one). ``None``:
        :class:`~impedance_sklearn.ColoredInversion`.
    window : int, default=64
        Samples per window (64 at 4 ms: 256 ms). Training traces must have at least this many.
    stride : int, default=None
        Samples between window starts in ``predict`` (overlap-add), and in ``fit`` unless
        ``fit_stride`` is given; the last window always ends on the last sample. ``None``:
        ``max(1, window // 4)``.
    fit_stride : int, default=None
        Samples between the starts of the training windows. ``None``: the stride. A short log
        gives few windows at the default stride (a 186-sample log, ten 64-sample windows 16
        samples apart); ``fit_stride=1`` cuts every start, as ``train --wells`` does
        (:func:`impedance_sklearn.io.well_windows`), and a model tied and fitted on the
        windows (:class:`~impedance_sklearn.FewWellsRegressor`) gets more of the log. The fit
        costs in proportion (``docs/wells.md``).
    taper : str or tuple, default="hann"
        Weight of each window's samples in the overlap-add, any window of
        :func:`scipy.signal.get_window` (``"boxcar"``: a plain average), taken on
        ``window + 2`` points without its two end zeros, so every weight is positive.
    background : LowFrequencyModel, default=None
        A low-frequency model (unfitted: a clone is fitted to the training impedance at its
        times and positions). ``None``: the inner model learns the impedance itself.
    dt : float, default=None
        Sampling interval (s) of the traces; needed with ``background``.
    t0 : float, default=0.0
        Start time (s) of the traces, unless ``fit`` / ``predict`` are given ``t0``.

    Attributes
    ----------
    estimator_ : regressor
        The inner model fitted on the windows.
    background_ : LowFrequencyModel or None
        The fitted background.
    stride_ : int
    fit_stride_ : int
        The stride of the training windows.
    taper_ : ndarray of shape (window,)
    n_windows_ : int
        Training windows.
    min_trace_length_ : int
        The shortest trace ``predict`` takes (``window``); it marks the model as taking traces
        of any longer length (:func:`impedance_sklearn.io.predict_segy` reads it).
    n_features_in_, n_outputs_ : int
        Samples per trace of the ``X`` and ``y`` seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from sklearn.pipeline import make_pipeline
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(20, 32))
    >>> from sklearn.linear_model import LinearRegression
    >>> est = WindowedRegressor(LinearRegression(), window=8).fit(X, 2 * X)
    >>> long = rng.normal(size=(3, 101))   # traces of another length
    >>> bool(np.allclose(est.predict(long), 2 * long))
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "window": [Interval(numbers.Integral, 1, None, closed="left")],
        "stride": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "fit_stride": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "taper": [str, tuple],
        "background": [HasMethods(["fit", "predict"]), None],
        "dt": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "t0": [numbers.Real],
    }

    def __init__(self, estimator=None, window=64, stride=None, taper="hann", background=None,
                 dt=None, t0=0.0, fit_stride=None):
        self.estimator = estimator
        self.window = window
        self.stride = stride
        self.fit_stride = fit_stride
        self.taper = taper
        self.background = background
        self.dt = dt
        self.t0 = t0

    @property
    def _min_trace_length(self):
        return int(self.window)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = self.background is not None
        return tags

    def _inner(self):
        if self.estimator is not None:
            return clone(self.estimator)
        from impedance_sklearn.estimators.baselines import ColoredInversion

        return ColoredInversion()

    def _times(self, t0, n, m):
        return _per_trace(self.t0 if t0 is None else t0, n, "t0")[:, None] \
            + float(self.dt) * np.arange(m)

    def _cut(self, A, starts):
        idx = starts[:, None] + np.arange(self.window)
        return A[:, idx].reshape(-1, self.window)

    def _fit_background(self, T, Y, positions):
        """Fit a clone of the background to the training impedance: one log per position,
        overlapping windows merged (samples on one time averaged)."""
        if positions is None:
            groups, well_pos = [np.arange(T.shape[0])], None
        else:
            well_pos, inverse = np.unique(positions, axis=0, return_inverse=True)
            inverse = np.ravel(inverse)
            groups = [np.flatnonzero(inverse == g) for g in range(well_pos.shape[0])]
        times, logs = [], []
        for rows in groups:
            t, z = T[rows].ravel(), Y[rows].ravel()
            key, inv = np.unique(np.round(t / float(self.dt)).astype(np.int64),
                                 return_inverse=True)
            counts = np.bincount(inv)
            times.append(np.bincount(inv, t) / counts)
            logs.append(np.bincount(inv, z) / counts)
        bg = clone(self.background)
        if well_pos is None:
            return bg.fit(times[0], logs[0])
        return bg.fit(times, logs, positions=well_pos)

    def _set_overlap(self):
        self.stride_ = int(self.stride) if self.stride is not None else max(1, self.window // 4)
        self.fit_stride_ = int(self.fit_stride) if self.fit_stride is not None else self.stride_
        self.taper_ = np.asarray(get_window(self.taper, self.window + 2, fftbins=False),
                                 dtype=np.float64)[1:-1]
        if not np.all(self.taper_ > 0):
            raise ValueError(f"taper {self.taper!r} has weights <= 0 inside the window; "
                             "choose a window of scipy.signal.get_window that is positive.")

    @classmethod
    def from_fitted(cls, estimator, *, stride=None, taper="hann"):
        """A fitted WindowedRegressor around an already fitted trace regressor (no refit).

        Its window is the regressor's trace length, so it predicts traces of any longer length.

        Parameters
        ----------
        estimator : fitted regressor
            Fitted on traces of one length (``n_features_in_``), one trace per row.
        stride : int, optional
            Samples between window starts in ``predict``; ``None``: ``max(1, window // 4)``.
        taper : str or tuple, default="hann"
            Weight of each window's samples in the overlap-add (as the class's ``taper``).

        Returns
        -------
        WindowedRegressor
            Fitted: ``estimator_`` is ``estimator`` itself, ``window`` its trace length.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.linear_model import LinearRegression
        >>> X = np.random.default_rng(0).normal(size=(30, 16))
        >>> w = WindowedRegressor.from_fitted(LinearRegression().fit(X, 3 * X))
        >>> bool(np.allclose(w.predict(np.ones((2, 50))), 3.0))
        True
        """
        check_is_fitted(estimator)
        window = int(estimator.n_features_in_)
        out = getattr(estimator, "n_outputs_", None)
        if out is None:
            coef = getattr(estimator, "coef_", None)
            out = np.shape(coef)[0] if coef is not None and np.ndim(coef) == 2 else window
        if int(out) != window:
            raise ValueError(f"the estimator predicts {out} samples from {window}: a windowed "
                             "model needs as many output samples as input samples.")
        self = cls(estimator=estimator, window=window, stride=stride, taper=taper)
        self._set_overlap()
        self.estimator_, self.background_ = estimator, None
        self.n_windows_, self.min_trace_length_ = 0, window
        self.n_features_in_ = self.n_outputs_ = window
        return self

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, t0=None, positions=None, **fit_params):
        """Fit the inner model (and the background) on windows of the training traces.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
            Seismic, ``n_samples >= window``.
        y : array-like of shape (n_traces, n_samples_y) or (n_traces,)
            Impedance on the same time span (resampled to ``n_samples`` when its length
            differs); positive with a background.
        t0 : float or array-like of shape (n_traces,), default=None
            Start time (s) of each trace (default the ``t0`` parameter); used with a background.
        positions : array-like of shape (n_traces,) or (n_traces, 2), default=None
            Where each trace is (e.g. the inline of its well): with a background, one trend is
            fitted per distinct position and interpolated between them.
        **fit_params
            Passed to the inner ``fit``; an ``X_unlabeled`` (survey traces) is cut into
            non-overlapping windows first.

        Returns
        -------
        self : WindowedRegressor
        """
        X, Y = self._validate_fit_data(X, y)
        X = np.asarray(X, dtype=np.float64)
        n, m = X.shape
        Y = resample_traces(np.asarray(Y, dtype=np.float64), m)
        positions = _positions(positions, n)
        self._set_overlap()
        self.background_ = None
        if self.background is not None:
            if self.dt is None:
                raise ValueError("a background needs the traces' sampling interval: set dt "
                                 "(seconds).")
            if np.any(Y <= 0):
                raise ValueError("a background (a trend of ln Z) needs positive impedance y; "
                                 f"got values down to {Y.min():.6g}.")
            T = self._times(t0, n, m)
            self.background_ = self._fit_background(T, Y, positions)
            Y = Y / self.background_.predict(T, positions)
        starts = window_starts(m, self.window, self.fit_stride_)
        Xw, Yw = self._cut(X, starts), self._cut(Y, starts)
        if fit_params.get("X_unlabeled") is not None:
            U = check_array(fit_params["X_unlabeled"], dtype=np.float64,
                            input_name="X_unlabeled")
            fit_params["X_unlabeled"] = self._cut(
                U, window_starts(U.shape[1], self.window, self.window))
        self.estimator_ = self._inner().fit(Xw, Yw, **fit_params)
        self.n_windows_ = int(Xw.shape[0])
        self.min_trace_length_ = int(self.window)
        return self

    def _check_X(self, X):
        check_is_fitted(self)
        check_estimator_input(X, "X")
        arr = np.asarray(X) if not hasattr(X, "iloc") else X
        m = arr.shape[1]
        if m == self.n_features_in_:
            X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        else:
            X = check_array(X, dtype=[np.float64, np.float32], ensure_min_features=1)
            if m < self.window:
                raise ValueError(
                    f"X has {m} features, but {type(self).__name__} is expecting "
                    f"{self.n_features_in_} features as input (or any trace length of at "
                    f"least its window, {self.window} samples)."
                )
        check_magnitude(X, "X")
        return np.asarray(X, dtype=np.float64)

    def predict(self, X, t0=None, positions=None):
        """Predict traces of any length >= ``window`` by tapered overlap-add of the windows.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
        t0 : float or array-like of shape (n_traces,), default=None
            Start time (s) of the traces (default the ``t0`` parameter); used with a background.
        positions : array-like of shape (n_traces,) or (n_traces, 2), default=None
            Where each trace is, in the units of ``fit``'s positions (needed with a background
            from several wells).

        Returns
        -------
        y_pred : ndarray of shape (n_traces, n_samples), (n_traces, n_outputs_) or (n_traces,)
            ``n_outputs_`` samples (1-D if ``y`` was) on traces of the fitted length, else one
            per input sample.
        """
        X = self._check_X(X)
        n, m = X.shape
        starts = window_starts(m, self.window, self.stride_)
        P = np.asarray(self.estimator_.predict(self._cut(X, starts)), dtype=np.float64)
        P = P.reshape(P.shape[0], -1)
        if P.shape[1] != self.window:
            P = resample_traces(P, self.window)
        P = P.reshape(n, starts.size, self.window)
        out = np.zeros((n, m))
        weight = np.zeros(m)
        for k, s in enumerate(starts):
            out[:, s:s + self.window] += self.taper_ * P[:, k]
            weight[s:s + self.window] += self.taper_
        out /= weight
        if self.background_ is not None:
            out *= self.background_.predict(self._times(t0, n, m), _positions(positions, n))
        if m == self.n_features_in_:
            return self._format_prediction(out)
        return out

    def score(self, X, y, sample_weight=None, t0=None, positions=None):
        """r2 of :meth:`predict` (``t0``, ``positions`` as there) against ``y``.

        With a background from several wells the windows' times and positions are needed:
        route them as metadata, so that ``cross_validate`` with
        :class:`~sklearn.model_selection.LeaveOneGroupOut` over
        ``survey_well_windows(...).groups`` scores blind wells::

            with sklearn.config_context(enable_metadata_routing=True):
                est = WindowedRegressor(...).set_fit_request(t0=True, positions=True)
                est.set_score_request(t0=True, positions=True)
                cross_validate(est, pairs.X, pairs.y, cv=LeaveOneGroupOut(),
                               params={"t0": pairs.t0, "positions": pairs.positions,
                                       "groups": pairs.groups})

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
        y : array-like of shape (n_traces, n_samples)
        sample_weight : array-like of shape (n_traces,), default=None
        t0, positions : see :meth:`predict`

        Returns
        -------
        score : float
        """
        from sklearn.metrics import r2_score

        return r2_score(y, self.predict(X, t0=t0, positions=positions),
                        sample_weight=sample_weight)
