"""Tests for impedance_sklearn.metrics: analytic values, agreement with scipy/sklearn, scorers."""

import numpy as np
import pytest
from scipy.stats import pearsonr
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error
from sklearn.model_selection import GridSearchCV, KFold, cross_validate

from impedance_sklearn import metrics
from impedance_sklearn.metrics import (
    SCORERS,
    get_scorer,
    get_scorer_names,
    r2,
    relative_l1,
    relative_l2,
    trace_mae,
    trace_pcc,
    trace_rmse,
)

ALL = [trace_pcc, relative_l2, relative_l1, trace_mae, trace_rmse, r2]


@pytest.fixture
def traces(rng):
    """Impedance-like traces (positive, ~2.6 to 9.6) and a noisy prediction."""
    y = rng.uniform(2.6, 9.6, size=(7, 50))
    p = y + rng.normal(scale=0.5, size=y.shape)
    return y, p


# ---------------------------------------------------------------- analytic values


def test_pcc_perfect_and_anti_correlated():
    t = np.linspace(0, 1, 40)
    y = np.vstack([np.sin(6 * t) + 3, t**2 + 1])
    assert trace_pcc(y, 3.0 * y - 7.0) == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(trace_pcc(y, -0.5 * y + 2, per_trace=True), [-1.0, -1.0], atol=1e-12)


def test_pcc_orthogonal_is_zero():
    y = np.array([1.0, -1.0, 1.0, -1.0])
    p = np.array([1.0, 1.0, -1.0, -1.0])
    assert trace_pcc(y, p) == pytest.approx(0.0, abs=1e-15)


def test_pcc_matches_scipy_per_trace(traces):
    y, p = traces
    expected = [pearsonr(a, b).statistic for a, b in zip(y, p)]
    np.testing.assert_allclose(trace_pcc(y, p, per_trace=True), expected, rtol=1e-12)
    assert trace_pcc(y, p) == pytest.approx(np.mean(expected), rel=1e-12)


def test_pcc_is_scale_and_unit_invariant(traces):
    y, p = traces
    np.testing.assert_allclose(
        trace_pcc(y * 1e6, p * 1e6, per_trace=True), trace_pcc(y, p, per_trace=True), rtol=1e-12
    )
    # tiny values do not underflow
    np.testing.assert_allclose(
        trace_pcc(y * 1e-200, p * 1e-200, per_trace=True),
        trace_pcc(y, p, per_trace=True),
        rtol=1e-12,
    )


def test_pcc_constant_traces():
    y = np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0], [1.0, 2.0, 4.0]])
    p = np.array([[4.0, 4.0, 4.0], [1.0, 2.0, 3.0], [1.0, 2.0, 4.0]])
    np.testing.assert_array_equal(trace_pcc(y, p, per_trace=True), [0.0, 0.0, 1.0])
    assert trace_pcc(y, p) == pytest.approx(1.0 / 3.0)
    raw = trace_pcc(y, p, per_trace=True, force_finite=False)
    assert np.isnan(raw[:2]).all() and raw[2] == pytest.approx(1.0)
    assert np.isnan(trace_pcc(y, p, force_finite=False))
    # one sample per trace is constant by definition
    np.testing.assert_array_equal(trace_pcc([[1.0], [2.0]], [[1.0], [2.0]], per_trace=True), [0, 0])


def test_known_rmse_mae_and_relative_errors():
    y = np.array([[4.0, 4.0, 6.0, 6.0], [10.0, 10.0, 10.0, 10.0]])
    p = np.array([[5.0, 5.0, 5.0, 5.0], [13.0, 7.0, 13.0, 7.0]])
    np.testing.assert_allclose(trace_mae(y, p, per_trace=True), [1.0, 3.0])
    np.testing.assert_allclose(trace_rmse(y, p, per_trace=True), [1.0, 3.0])
    np.testing.assert_allclose(relative_l1(y, p, per_trace=True), [0.2, 0.3])
    np.testing.assert_allclose(relative_l2(y, p, per_trace=True), [0.2, 0.3])
    assert relative_l2(y, p) == pytest.approx(0.25)
    assert trace_rmse(y, p) == pytest.approx(2.0)


def test_rmse_differs_from_mae_when_errors_uneven():
    y = np.zeros((1, 4))
    p = np.array([[0.0, 0.0, 0.0, 4.0]])
    assert trace_mae(y, p) == pytest.approx(1.0)
    assert trace_rmse(y, p) == pytest.approx(2.0)


def test_mae_rmse_match_sklearn_per_trace(traces):
    y, p = traces
    np.testing.assert_allclose(
        trace_mae(y, p, per_trace=True), [mean_absolute_error(a, b) for a, b in zip(y, p)]
    )
    np.testing.assert_allclose(
        trace_rmse(y, p, per_trace=True), [root_mean_squared_error(a, b) for a, b in zip(y, p)]
    )
    # equal-length traces: mean per-trace MAE == global MAE
    assert trace_mae(y, p) == pytest.approx(mean_absolute_error(y.ravel(), p.ravel()))


def test_relative_errors_use_mean_abs_true_and_are_unit_free(traces):
    y, p = traces
    m = np.abs(y).mean(axis=1)
    np.testing.assert_allclose(
        relative_l2(y, p, per_trace=True), trace_rmse(y, p, per_trace=True) / m
    )
    np.testing.assert_allclose(
        relative_l1(y, p, per_trace=True), trace_mae(y, p, per_trace=True) / m
    )
    assert relative_l2(y * 1e6, p * 1e6) == pytest.approx(relative_l2(y, p), rel=1e-12)
    # mean |y|, not mean y: a sign flip of the whole trace changes nothing
    assert relative_l1(-y, -p) == pytest.approx(relative_l1(y, p), rel=1e-12)


def test_relative_error_of_all_zero_trace_raises():
    with pytest.raises(ValueError, match=r"mean \|y_true\|.*row 1"):
        relative_l2([[1.0, 2.0], [0.0, 0.0]], [[1.0, 2.0], [1.0, 1.0]])


def test_r2_pooled_matches_sklearn_on_flattened(traces):
    y, p = traces
    assert r2(y, p) == pytest.approx(r2_score(y.ravel(), p.ravel()), rel=1e-12)
    # ... and is not sklearn's column-wise default on 2-D arrays
    assert abs(r2(y, p) - r2_score(y, p)) > 1e-3


def test_r2_per_trace_matches_sklearn(traces):
    y, p = traces
    np.testing.assert_allclose(r2(y, p, per_trace=True), [r2_score(a, b) for a, b in zip(y, p)])


def test_r2_constant_truth():
    y = np.full((2, 3), 5.0)
    assert r2(y, y) == 1.0
    assert r2(y, y + 1) == 0.0
    np.testing.assert_array_equal(r2(y, np.vstack([y[0], y[1] + 1]), per_trace=True), [1.0, 0.0])


# ---------------------------------------------------------------- shapes, options, validation


@pytest.mark.parametrize("func", ALL)
def test_1d_input_is_one_trace(func, traces):
    y, p = traces
    single = func(y[2], p[2])
    assert isinstance(single, float)
    assert single == pytest.approx(func(y[2:3], p[2:3], per_trace=True)[0])


@pytest.mark.parametrize("func", ALL[:-1])
def test_default_is_mean_of_per_trace(func, traces):
    y, p = traces
    values = func(y, p, per_trace=True)
    assert values.shape == (y.shape[0],)
    assert func(y, p) == pytest.approx(values.mean(), rel=1e-12)


@pytest.mark.parametrize("func", ALL[:-1])
def test_sample_weight_weights_the_trace_mean(func, traces):
    y, p = traces
    w = np.arange(1.0, y.shape[0] + 1)
    values = func(y, p, per_trace=True)
    assert func(y, p, sample_weight=w) == pytest.approx(np.average(values, weights=w), rel=1e-12)
    # an integer-weight duplicate is the same as repeating the trace
    assert func(y, p, sample_weight=[2, 1, 1, 1, 1, 1, 1]) == pytest.approx(
        func(np.vstack([y[:1], y]), np.vstack([p[:1], p]))
    )


def test_r2_sample_weight_is_trace_repetition(traces):
    y, p = traces
    w = np.array([2, 1, 1, 1, 1, 1, 1])
    assert r2(y, p, sample_weight=w) == pytest.approx(
        r2(np.vstack([y[:1], y]), np.vstack([p[:1], p])), rel=1e-12
    )


@pytest.mark.parametrize("func", ALL)
@pytest.mark.parametrize(
    "y, p, match",
    [
        (np.ones((2, 3)), np.ones((2, 4)), r"same shape.*\(2, 3\) and \(2, 4\)"),
        (np.ones((2, 3)), np.ones((3, 3)), "same shape"),
        (np.ones((2, 3, 1)), np.ones((2, 3, 1)), r"1-D \(one trace\) or 2-D"),
        (np.ones((0, 3)), np.ones((0, 3)), "empty"),
        (np.array([[1.0, np.nan]]), np.ones((1, 2)), "y_true holds 1 NaN or infinite"),
        (np.ones((1, 2)), np.array([[1.0, np.inf]]), "y_pred holds 1 NaN or infinite"),
        (np.array([["a", "b"]]), np.ones((1, 2)), "numeric"),
    ],
)
def test_bad_input_raises(func, y, p, match):
    # text is a TypeError (the package's one array check: _validation.as_traces), the rest
    # ValueErrors
    with pytest.raises(TypeError if match == "numeric" else ValueError, match=match):
        func(y, p)


@pytest.mark.parametrize("func", ALL)
def test_bad_options_raise(func):
    y = np.array([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="per_trace must be True or False"):
        func(y, y, per_trace="yes")
    with pytest.raises(ValueError, match=r"one weight per trace, shape \(1,\)"):
        func(y, y, sample_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="non-negative"):
        func(y, y, sample_weight=[-1.0])


# ---------------------------------------------------------------- scorers


@pytest.fixture
def linear_traces(rng):
    """X (seismic-like) and y = X @ A + noise: learnable by a multi-output Ridge."""
    n, L = 60, 12
    X = rng.normal(size=(n, L))
    A = np.tril(np.ones((L, L)))  # y_j = cumulative sum of x up to j (integration)
    y = 5.0 + 0.1 * X @ A.T + rng.normal(scale=0.02, size=(n, L))
    return X, y


def test_scorer_names_and_lookup(linear_traces):
    assert get_scorer_names() == sorted(SCORERS)
    assert set(get_scorer_names()) == {
        "trace_pcc",
        "neg_relative_l2",
        "neg_relative_l1",
        "neg_trace_rmse",
        "neg_trace_mae",
        "global_r2",
    }
    s = get_scorer("trace_pcc")
    assert s is not SCORERS["trace_pcc"]  # a copy
    X, y = linear_traces
    est = Ridge(alpha=1.0).fit(X[:40], y[:40])
    pred = est.predict(X[40:])
    assert s(est, X[40:], y[40:]) == pytest.approx(trace_pcc(y[40:], pred), rel=1e-12)
    # sklearn's names still resolve (to sklearn's scorer); callables pass through
    from sklearn.metrics import mean_squared_error

    mse = get_scorer("neg_mean_squared_error")(est, X[40:], y[40:])
    assert mse == pytest.approx(-mean_squared_error(y[40:], pred), rel=1e-12)
    f = SCORERS["trace_pcc"]
    assert get_scorer(f) is f
    with pytest.raises(ValueError, match="not a scorer name.*trace_pcc"):
        get_scorer("pcc_typo")
    with pytest.raises(ValueError, match="name .* or a callable"):
        get_scorer(3)


@pytest.mark.parametrize(
    "name, func, sign",
    [
        ("trace_pcc", trace_pcc, 1),
        ("neg_relative_l2", relative_l2, -1),
        ("neg_relative_l1", relative_l1, -1),
        ("neg_trace_rmse", trace_rmse, -1),
        ("neg_trace_mae", trace_mae, -1),
        ("global_r2", r2, 1),
    ],
)
def test_scorer_value_and_sign(name, func, sign, linear_traces):
    X, y = linear_traces
    est = Ridge(alpha=1.0).fit(X[:40], y[:40])
    pred = est.predict(X[40:])
    value = get_scorer(name)(est, X[40:], y[40:])
    assert value == pytest.approx(sign * func(y[40:], pred), rel=1e-12)
    if sign < 0:
        assert value < 0


def test_scorers_rank_better_model_higher(linear_traces):
    X, y = linear_traces
    good = Ridge(alpha=1e-3).fit(X[:40], y[:40])
    bad = Ridge(alpha=1e4).fit(X[:40], y[:40])
    for name in get_scorer_names():
        s = get_scorer(name)
        assert s(good, X[40:], y[40:]) > s(bad, X[40:], y[40:]), name


def test_cross_validate_with_all_scorers(linear_traces):
    X, y = linear_traces
    cv = KFold(3, shuffle=True, random_state=0)
    res = cross_validate(Ridge(alpha=1e-3), X, y, cv=cv, scoring=SCORERS)
    for name in SCORERS:
        assert res[f"test_{name}"].shape == (3,)
    # reproduce fold 0 by hand
    train, test = next(cv.split(X))
    pred = Ridge(alpha=1e-3).fit(X[train], y[train]).predict(X[test])
    assert res["test_trace_pcc"][0] == pytest.approx(trace_pcc(y[test], pred), rel=1e-10)
    assert res["test_neg_relative_l2"][0] == pytest.approx(-relative_l2(y[test], pred), rel=1e-10)
    assert res["test_trace_pcc"].min() > 0.95
    assert (res["test_neg_relative_l2"] < 0).all()


def test_grid_search_refits_on_package_scorer(linear_traces):
    X, y = linear_traces
    grid = GridSearchCV(
        Ridge(),
        {"alpha": [1e-3, 1e4]},
        scoring={"pcc": get_scorer("trace_pcc"), "l2": get_scorer("neg_relative_l2")},
        refit="l2",
        cv=3,
    )
    grid.fit(X, y)
    assert grid.best_params_ == {"alpha": 1e-3}
    assert grid.best_score_ < 0  # negated error
    assert grid.cv_results_["mean_test_pcc"][0] > grid.cv_results_["mean_test_pcc"][1]


def test_module_exports():
    for name in metrics.__all__:
        assert hasattr(metrics, name)
