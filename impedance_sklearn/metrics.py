"""The paper's per-trace metrics, as functions and as scikit-learn scorers.

Das et al. (2019) judge an inversion trace by trace: the Pearson correlation between the true and
the predicted impedance trace, the mean absolute and root-mean-square errors, and the L1 / L2
errors divided by the trace's mean impedance. Every function here takes ``y_true`` and ``y_pred``
of shape (n_traces, n_samples), one trace per row (a 1-D array is one trace), computes the metric
for each trace (row) and returns the mean over traces, or the per-trace values with
``per_trace=True``. ``sample_weight`` (one weight per trace) weights that mean.

With :math:`e_{ij} = \\hat y_{ij} - y_{ij}` for trace :math:`i` and sample :math:`j = 1..L`:

======================  =============================================================
function                value for trace :math:`i`
======================  =============================================================
:func:`trace_pcc`       Pearson correlation of :math:`y_{i\\cdot}` and :math:`\\hat y_{i\\cdot}`
:func:`trace_mae`       :math:`\\mathrm{MAE}_i = \\frac{1}{L}\\sum_j |e_{ij}|`
:func:`trace_rmse`      :math:`\\mathrm{RMSE}_i = \\sqrt{\\frac{1}{L}\\sum_j e_{ij}^2}`
:func:`relative_l1`     :math:`\\mathrm{MAE}_i / m_i`, :math:`m_i = \\frac{1}{L}\\sum_j |y_{ij}|`
:func:`relative_l2`     :math:`\\mathrm{RMSE}_i / m_i`
:func:`r2`              pooled over all values (see its docstring); per trace on request
======================  =============================================================

The relative errors are therefore independent of the impedance unit (Pa s/m or divided by 1e6).

Scorers
-------
scikit-learn (1.9) offers no public way to add names to the strings accepted by ``scoring=``
(its registry, ``sklearn.metrics._scorer._SCORERS``, is private), so the package does not patch
it. Use the scorer objects instead: :data:`SCORERS` maps names to scorers and can be passed whole
as ``scoring=SCORERS`` (a multi-metric dict) to ``cross_validate`` or ``GridSearchCV``, and
:func:`get_scorer` returns one scorer by name (falling back to scikit-learn's names). Errors are
negated, as scikit-learn's ``neg_*`` scorers are, so that greater is always better:

====================  ==========================================  ================
name                  metric                                      sign
====================  ==========================================  ================
``trace_pcc``         :func:`trace_pcc`                           +
``neg_relative_l2``   :func:`relative_l2`                         -
``neg_relative_l1``   :func:`relative_l1`                         -
``neg_trace_rmse``    :func:`trace_rmse`                          -
``neg_trace_mae``     :func:`trace_mae`                           -
``global_r2``         :func:`r2` (named so as not to shadow        +
                      scikit-learn's column-wise ``"r2"``)
====================  ==========================================  ================
"""

from __future__ import annotations

import copy

import numpy as np
from sklearn.metrics import get_scorer as _sk_get_scorer
from sklearn.metrics import make_scorer

from impedance_sklearn._validation import as_traces

__all__ = [
    "trace_pcc",
    "relative_l2",
    "relative_l1",
    "trace_mae",
    "trace_rmse",
    "r2",
    "SCORERS",
    "get_scorer",
    "get_scorer_names",
]


# --------------------------------------------------------------------------------------------
# validation and reduction
# --------------------------------------------------------------------------------------------


def _as_traces(a, name):
    """The metrics' traces: 1-D (one trace) or 2-D, finite (the package's one array check)."""
    return as_traces(a, name, allow_1d=True)


def _check_traces(y_true, y_pred, sample_weight=None):
    """Validate and return (Y, P, w): Y, P of shape (n_traces, n_samples), w (n_traces,) or None."""
    Y = _as_traces(y_true, "y_true")
    P = _as_traces(y_pred, "y_pred")
    if Y.shape != P.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape (n_traces, n_samples); got "
            f"{np.shape(y_true)} and {np.shape(y_pred)}."
        )
    w = None
    if sample_weight is not None:
        w = np.asarray(sample_weight, dtype=np.float64)
        if w.ndim == 0:
            w = np.full(Y.shape[0], float(w))
        if w.shape != (Y.shape[0],):
            raise ValueError(
                f"sample_weight must hold one weight per trace, shape ({Y.shape[0]},); "
                f"got shape {w.shape}."
            )
        if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError("sample_weight must be finite, non-negative and not all zero.")
    return Y, P, w


def _reduce(values, per_trace, w):
    if per_trace:
        return values
    return float(np.average(values, weights=w))


def _scaled(Y, P, per_row=True):
    """``(Y / c, P / c, c)`` with ``c`` the largest magnitude of each row (or of all): the
    metrics then square numbers of at most 1, so impedance of any unit (1e200 included) cannot
    overflow; the relative metrics do not depend on ``c``, the absolute ones are multiplied by
    it."""
    M = np.maximum(np.abs(Y), np.abs(P))
    c = M.max(axis=1, keepdims=True) if per_row else np.full((Y.shape[0], 1), M.max())
    # a power of two (exact division: ordinary values give bit-identical metrics)
    c = np.where(c > 0, np.ldexp(1.0, np.frexp(np.where(c > 0, c, 1.0))[1]), 1.0)
    return Y / c, P / c, c[:, 0]


def _mean_abs_true(Y):
    m = np.mean(np.abs(Y), axis=1)
    zero = np.flatnonzero(m == 0)
    if zero.size:
        raise ValueError(
            f"relative errors divide by the trace's mean |y_true|, which is 0 for {zero.size} "
            f"trace(s) (first at row {zero[0]}); impedance traces must not be all zeros."
        )
    return m


def _check_per_trace(per_trace):
    if not isinstance(per_trace, (bool, np.bool_)):
        raise ValueError(f"per_trace must be True or False; got {per_trace!r}.")
    return bool(per_trace)


# --------------------------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------------------------


def trace_pcc(y_true, y_pred, *, per_trace=False, sample_weight=None, force_finite=True):
    """Pearson correlation coefficient between each true and predicted trace.

    The paper's "normalised cross-correlation": for trace :math:`i`,

    .. math:: \\rho_i = \\frac{\\sum_j (y_{ij}-\\bar y_i)(\\hat y_{ij}-\\bar{\\hat y}_i)}
              {\\sqrt{\\sum_j (y_{ij}-\\bar y_i)^2}
               \\sqrt{\\sum_j (\\hat y_{ij}-\\bar{\\hat y}_i)^2}}

    Parameters
    ----------
    y_true : array-like of shape (n_traces, n_samples) or (n_samples,)
        True impedance traces, one per row; a 1-D array is one trace.
    y_pred : array-like of the same shape as ``y_true``
        Predicted impedance traces.
    per_trace : bool, default=False
        If True, return the coefficient of every trace instead of their mean.
    sample_weight : array-like of shape (n_traces,), optional
        Weights of the traces in the mean. Ignored when ``per_trace=True``.
    force_finite : bool, default=True
        Pearson's coefficient is undefined (0/0) for a constant trace (zero variance in
        ``y_true`` or ``y_pred``, which includes traces of one sample). With True such a trace
        scores 0.0, i.e. "no measurable linear agreement" -- a model that outputs a flat line
        is penalised, and a mean over traces stays finite for model selection. With False it
        scores NaN (so does the mean).

    Returns
    -------
    float or ndarray of shape (n_traces,)
        Mean coefficient over traces (in [-1, 1]), or the per-trace coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0]])
    >>> trace_pcc(y, 2 * y + 5)
    1.0
    >>> trace_pcc(y, -y, per_trace=True)
    array([-1., -1.])
    >>> trace_pcc(y, np.ones_like(y), per_trace=True)  # constant prediction
    array([0., 0.])
    """
    per_trace = _check_per_trace(per_trace)
    Y, P, w = _check_traces(y_true, y_pred, sample_weight)
    Yc = Y - Y.mean(axis=1, keepdims=True)
    Pc = P - P.mean(axis=1, keepdims=True)
    # scale each row by its largest deviation first: avoids overflow/underflow for any unit
    sy = np.max(np.abs(Yc), axis=1, keepdims=True)
    sp = np.max(np.abs(Pc), axis=1, keepdims=True)
    constant = (sy[:, 0] == 0) | (sp[:, 0] == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        Yc = Yc / sy
        Pc = Pc / sp
        rho = np.sum(Yc * Pc, axis=1) / np.sqrt(np.sum(Yc**2, axis=1) * np.sum(Pc**2, axis=1))
    rho = np.clip(rho, -1.0, 1.0)
    rho[constant] = 0.0 if force_finite else np.nan
    return _reduce(rho, per_trace, w)


def trace_mae(y_true, y_pred, *, per_trace=False, sample_weight=None):
    """Mean absolute error of each trace, :math:`\\frac{1}{L}\\sum_j |\\hat y_{ij} - y_{ij}|`.

    Parameters
    ----------
    y_true : array-like of shape (n_traces, n_samples) or (n_samples,)
        True impedance traces, one per row; a 1-D array is one trace.
    y_pred : array-like of the same shape as ``y_true``
        Predicted impedance traces.
    per_trace : bool, default=False
        If True, return the error of every trace instead of their mean.
    sample_weight : array-like of shape (n_traces,), optional
        Weights of the traces in the mean. Ignored when ``per_trace=True``.

    Returns
    -------
    float or ndarray of shape (n_traces,)
        Mean over traces of the per-trace MAE (in the unit of ``y_true``), or the per-trace values.
        With equal trace lengths the mean equals the MAE over all values.

    Examples
    --------
    >>> trace_mae([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [3.0, 7.0]], per_trace=True)
    array([0.5, 1.5])
    """
    per_trace = _check_per_trace(per_trace)
    Y, P, w = _check_traces(y_true, y_pred, sample_weight)
    Y, P, c = _scaled(Y, P)
    return _reduce(c * np.mean(np.abs(P - Y), axis=1), per_trace, w)


def trace_rmse(y_true, y_pred, *, per_trace=False, sample_weight=None):
    """Root-mean-square error of each trace, :math:`\\sqrt{\\tfrac{1}{L}\\sum_j e_{ij}^2}`.

    Here :math:`e_{ij} = \\hat y_{ij} - y_{ij}`.

    Parameters
    ----------
    y_true : array-like of shape (n_traces, n_samples) or (n_samples,)
        True impedance traces, one per row; a 1-D array is one trace.
    y_pred : array-like of the same shape as ``y_true``
        Predicted impedance traces.
    per_trace : bool, default=False
        If True, return the error of every trace instead of their mean.
    sample_weight : array-like of shape (n_traces,), optional
        Weights of the traces in the mean. Ignored when ``per_trace=True``.

    Returns
    -------
    float or ndarray of shape (n_traces,)
        Mean over traces of the per-trace RMSE (in the unit of ``y_true``), or the per-trace
        values. Note: the mean of per-trace RMSEs is not the RMSE over all values (it is smaller
        or equal).

    Examples
    --------
    >>> trace_rmse([[0.0, 0.0, 0.0, 0.0]], [[1.0, -1.0, 1.0, -1.0]])
    1.0
    >>> trace_rmse([[0.0, 0.0], [0.0, 0.0]], [[3.0, 3.0], [0.0, 4.0]], per_trace=True)
    array([3.        , 2.82842712])
    """
    per_trace = _check_per_trace(per_trace)
    Y, P, w = _check_traces(y_true, y_pred, sample_weight)
    Y, P, c = _scaled(Y, P)
    return _reduce(c * np.sqrt(np.mean((P - Y) ** 2, axis=1)), per_trace, w)


def relative_l1(y_true, y_pred, *, per_trace=False, sample_weight=None):
    """Per-trace MAE divided by the trace's mean absolute true impedance.

    .. math:: \\epsilon^{L1}_i = \\frac{\\frac{1}{L}\\sum_j |\\hat y_{ij} - y_{ij}|}
              {\\frac{1}{L}\\sum_j |y_{ij}|} = \\frac{\\|\\hat y_i - y_i\\|_1}{\\|y_i\\|_1}

    For impedance (positive) the denominator is the trace's mean impedance, as in the paper.
    The value is dimensionless: 0.05 means an average error of 5 % of the mean impedance.

    Parameters
    ----------
    y_true : array-like of shape (n_traces, n_samples) or (n_samples,)
        True impedance traces, one per row; a 1-D array is one trace. No trace may be all
        zeros (ValueError).
    y_pred : array-like of the same shape as ``y_true``
        Predicted impedance traces.
    per_trace : bool, default=False
        If True, return the error of every trace instead of their mean.
    sample_weight : array-like of shape (n_traces,), optional
        Weights of the traces in the mean. Ignored when ``per_trace=True``.

    Returns
    -------
    float or ndarray of shape (n_traces,)
        Mean over traces of the relative L1 error, or the per-trace values.

    Examples
    --------
    >>> relative_l1([[4.0, 4.0, 6.0, 6.0]], [[5.0, 5.0, 5.0, 5.0]])
    0.2
    """
    per_trace = _check_per_trace(per_trace)
    Y, P, w = _check_traces(y_true, y_pred, sample_weight)
    Y, P, _ = _scaled(Y, P)
    return _reduce(np.mean(np.abs(P - Y), axis=1) / _mean_abs_true(Y), per_trace, w)


def relative_l2(y_true, y_pred, *, per_trace=False, sample_weight=None):
    """Per-trace RMSE divided by the trace's mean absolute true impedance.

    .. math:: \\epsilon^{L2}_i = \\frac{\\sqrt{\\frac{1}{L}\\sum_j (\\hat y_{ij} - y_{ij})^2}}
              {\\frac{1}{L}\\sum_j |y_{ij}|}

    For impedance (positive) the denominator is the trace's mean impedance, as in the paper.
    The value is dimensionless: 0.10 means an RMS error of 10 % of the mean impedance.

    Parameters
    ----------
    y_true : array-like of shape (n_traces, n_samples) or (n_samples,)
        True impedance traces, one per row; a 1-D array is one trace. No trace may be all
        zeros (ValueError).
    y_pred : array-like of the same shape as ``y_true``
        Predicted impedance traces.
    per_trace : bool, default=False
        If True, return the error of every trace instead of their mean.
    sample_weight : array-like of shape (n_traces,), optional
        Weights of the traces in the mean. Ignored when ``per_trace=True``.

    Returns
    -------
    float or ndarray of shape (n_traces,)
        Mean over traces of the relative L2 error, or the per-trace values.

    Examples
    --------
    >>> relative_l2([[4.0, 4.0, 6.0, 6.0]], [[5.0, 5.0, 5.0, 5.0]])
    0.2
    >>> relative_l2([[2.0, 2.0], [10.0, 10.0]], [[3.0, 3.0], [10.0, 10.0]], per_trace=True)
    array([0.5, 0. ])
    """
    per_trace = _check_per_trace(per_trace)
    Y, P, w = _check_traces(y_true, y_pred, sample_weight)
    Y, P, _ = _scaled(Y, P)
    return _reduce(np.sqrt(np.mean((P - Y) ** 2, axis=1)) / _mean_abs_true(Y), per_trace, w)


def r2(y_true, y_pred, *, per_trace=False, sample_weight=None):
    """Coefficient of determination, pooled over all values (default) or per trace.

    By default one number for the whole set, every value of every trace counted once:

    .. math:: R^2 = 1 - \\frac{\\sum_{i,j} w_i (\\hat y_{ij} - y_{ij})^2}
              {\\sum_{i,j} w_i (y_{ij} - \\bar y)^2},
              \\qquad \\bar y = \\frac{\\sum_{i,j} w_i y_{ij}}{L \\sum_i w_i}

    i.e. ``sklearn.metrics.r2_score(y_true.ravel(), y_pred.ravel())`` (with each trace's weight
    repeated over its samples). This is *not* scikit-learn's ``r2_score(y_true, y_pred)`` on the
    2-D arrays (the default ``"r2"`` scorer), which averages one R2 per time sample computed
    across traces and so asks how well the model ranks traces at each fixed time.

    With ``per_trace=True``, the R2 of each trace about its own mean,
    :math:`1 - \\sum_j (\\hat y_{ij}-y_{ij})^2 / \\sum_j (y_{ij}-\\bar y_i)^2`; the pooled value
    is not the mean of these.

    Parameters
    ----------
    y_true : array-like of shape (n_traces, n_samples) or (n_samples,)
        True impedance traces, one per row; a 1-D array is one trace.
    y_pred : array-like of the same shape as ``y_true``
        Predicted impedance traces.
    per_trace : bool, default=False
        If True, return the R2 of every trace instead of the pooled value.
    sample_weight : array-like of shape (n_traces,), optional
        Weight of each trace in the pooled sums. Ignored when ``per_trace=True``.

    Returns
    -------
    float or ndarray of shape (n_traces,)
        At most 1.0; can be negative. A constant ``y_true`` (zero denominator) gives 1.0 for a
        perfect prediction and 0.0 otherwise, as ``r2_score(..., force_finite=True)`` does.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> r2(y, y)
    1.0
    >>> r2(y, np.full_like(y, y.mean()))  # predicting the global mean
    0.0
    >>> r2(y, y + 1.0, per_trace=True)
    array([-0.5, -0.5])
    """
    per_trace = _check_per_trace(per_trace)
    Y, P, w = _check_traces(y_true, y_pred, sample_weight)
    Y, P, _ = _scaled(Y, P, per_row=per_trace)  # r2 does not depend on a common scale
    if per_trace:
        num = np.sum((P - Y) ** 2, axis=1)
        den = np.sum((Y - Y.mean(axis=1, keepdims=True)) ** 2, axis=1)
    else:
        wt = np.ones(Y.shape[0]) if w is None else w
        mean = np.sum(wt[:, None] * Y) / (Y.shape[1] * wt.sum())
        num = np.atleast_1d(np.sum(wt[:, None] * (P - Y) ** 2))
        den = np.atleast_1d(np.sum(wt[:, None] * (Y - mean) ** 2))
    out = np.ones_like(num)
    ok = den > 0
    out[ok] = 1.0 - num[ok] / den[ok]
    out[~ok & (num > 0)] = 0.0
    return out if per_trace else float(out[0])


# --------------------------------------------------------------------------------------------
# scorers
# --------------------------------------------------------------------------------------------

#: Scorers by name: pass ``scoring=SCORERS`` (all of them) or a sub-dict to ``cross_validate`` /
#: ``GridSearchCV``; errors are negated so that greater is better.
SCORERS = {
    "trace_pcc": make_scorer(trace_pcc),
    "neg_relative_l2": make_scorer(relative_l2, greater_is_better=False),
    "neg_relative_l1": make_scorer(relative_l1, greater_is_better=False),
    "neg_trace_rmse": make_scorer(trace_rmse, greater_is_better=False),
    "neg_trace_mae": make_scorer(trace_mae, greater_is_better=False),
    "global_r2": make_scorer(r2),
}


def get_scorer_names():
    """Names of the package's scorers (keys of :data:`SCORERS`).

    Returns
    -------
    list of str
        Sorted names; any of them can be given to :func:`get_scorer`.

    Examples
    --------
    >>> get_scorer_names()  # doctest: +NORMALIZE_WHITESPACE
    ['global_r2', 'neg_relative_l1', 'neg_relative_l2', 'neg_trace_mae',
     'neg_trace_rmse', 'trace_pcc']
    """
    return sorted(SCORERS)


def get_scorer(scoring):
    """Return a scorer by name: the package's names first, then scikit-learn's.

    Parameters
    ----------
    scoring : str or callable
        A name from :func:`get_scorer_names` or from ``sklearn.metrics.get_scorer_names()``; a
        callable is returned unchanged.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``; a copy, so changing it leaves :data:`SCORERS` untouched.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyRegressor
    >>> X = np.zeros((2, 3))
    >>> y = np.array([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])
    >>> est = DummyRegressor().fit(X, y)  # predicts [2, 3, 4] for every trace
    >>> get_scorer("trace_pcc")(est, X, y)
    1.0
    >>> get_scorer("neg_relative_l2")(est, X, y)
    -0.375
    """
    if isinstance(scoring, str):
        if scoring in SCORERS:
            return copy.deepcopy(SCORERS[scoring])
        try:
            return _sk_get_scorer(scoring)
        except ValueError:
            raise ValueError(
                f"{scoring!r} is not a scorer name. The package's names: "
                f"{get_scorer_names()}; scikit-learn's: sklearn.metrics.get_scorer_names()."
            ) from None
    if callable(scoring):
        return scoring
    raise ValueError(f"scoring must be a name (str) or a callable; got {scoring!r}.")

