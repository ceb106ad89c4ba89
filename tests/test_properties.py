"""Property-based tests (hypothesis): generated bad arrays against every public estimator,
reader and metric.

Each gets NaN, inf, huge, empty, wrongly shaped or typed arrays, or X and y of different lengths,
and must either raise a ValueError or TypeError whose message names the argument (or says what
was wrong in scikit-learn's standard words), or return a finite result of the right shape.
Bounded (few examples, no shrinking deadline) so that the module adds well under a minute.
"""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impedance_sklearn import (
    ColoredInversion,
    FewWellsRegressor,
    ImpedanceCNN,
    ModelBasedInversion,
    TraceIntegration,
)
from impedance_sklearn import metrics as M

SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))

#: Words that say what was wrong (besides the argument's name).
_WHAT = r"NaN|nan|inf|infinite|empty|0 sample|0 feature|minimum of|dimension|2-D|1-D|shape|" \
        r"numeric|real|complex|string|float|magnitude|traces but|inconsistent|sparse|features"


def _bad_array(kind, n=6, length=40, rng=None):
    rng = rng or np.random.default_rng(0)
    good = rng.normal(size=(n, length))
    if kind == "nan":
        good[1, 3] = np.nan
    elif kind == "inf":
        good[0, 0] = np.inf
    elif kind == "huge":
        good = good * 1e300
    elif kind == "empty":
        good = np.empty((0, length))
    elif kind == "ndim3":
        good = good[:, :, None]
    elif kind == "scalar":
        good = np.float64(3.0)
    elif kind == "strings":
        good = np.full((n, length), "a")
    elif kind == "complex":
        good = good + 1j
    elif kind == "object":
        good = np.array([[object()] * length] * n, dtype=object)
    return good


BAD = ["nan", "inf", "huge", "empty", "ndim3", "scalar", "strings", "complex", "object"]


def _assert_clear(exc, names):
    msg = str(exc)
    assert isinstance(exc, (ValueError, TypeError)), type(exc)
    assert any(re.search(rf"\b{n}\b", msg) for n in names) or re.search(_WHAT, msg), msg


def _estimators():
    return [
        ImpedanceCNN(kernel_size=5, n_filters=2, max_epochs=1, random_state=0),
        TraceIntegration(),
        ColoredInversion(),
        ModelBasedInversion(wavelet_length=11),
        FewWellsRegressor(ImpedanceCNN(kernel_size=5, n_filters=2, max_epochs=1),
                          n_synthetic=20, random_state=0),
    ]


def _y(n=6, length=40, rng=None):
    rng = rng or np.random.default_rng(1)
    return 3.0 * np.exp(0.05 * np.cumsum(rng.normal(size=(n, length)), axis=1))


@pytest.mark.parametrize("est", _estimators(), ids=lambda e: type(e).__name__)
@SETTINGS
@given(kind=st.sampled_from(BAD), where=st.sampled_from(["X", "y"]))
def test_estimators_refuse_bad_arrays_clearly(est, kind, where):
    X, y = _bad_array("good"), _y()
    if where == "X":
        X = _bad_array(kind)
    else:
        y = _bad_array(kind)
        if kind == "huge":
            y = np.abs(y) + 1.0
    try:
        est.fit(X, y)
    except Exception as exc:  # noqa: BLE001 - the property is about the exception's kind
        _assert_clear(exc, [where, "y_true", "target"])
        return
    # accepted (e.g. y values that are merely odd): the prediction is finite and shaped
    pred = est.predict(_bad_array("good"))
    assert pred.shape == (6, 40) and np.all(np.isfinite(pred))


@pytest.mark.parametrize("est", _estimators(), ids=lambda e: type(e).__name__)
@SETTINGS
@given(n_y=st.integers(1, 9).filter(lambda n: n != 6))
def test_estimators_refuse_mismatched_lengths(est, n_y):
    with pytest.raises(ValueError) as info:
        est.fit(_bad_array("good"), _y(n=n_y))
    _assert_clear(info.value, ["X", "y"])


@pytest.mark.parametrize("metric", [M.trace_pcc, M.relative_l2, M.relative_l1, M.trace_mae,
                                    M.trace_rmse, M.r2], ids=lambda f: f.__name__)
@SETTINGS
@given(kind=st.sampled_from(BAD + ["shape"]), which=st.sampled_from(["y_true", "y_pred"]))
def test_metrics_refuse_bad_arrays_clearly(metric, kind, which):
    y = _y()
    a, b = y, y * 1.05
    bad = _y(length=30) if kind == "shape" else _bad_array(kind)
    if kind == "huge":
        bad = np.abs(bad) + 1.0  # huge but valid: a finite result
    if which == "y_true":
        a = bad
    else:
        b = bad
    try:
        value = metric(a, b)
    except Exception as exc:  # noqa: BLE001
        _assert_clear(exc, [which, "y_true", "y_pred"])
        return
    assert np.isfinite(value)


@SETTINGS
@given(kind=st.sampled_from(BAD), which=st.sampled_from(["X", "y"]))
def test_npz_reader_refuses_bad_arrays_clearly(tmp_path_factory, kind, which):
    from impedance_sklearn.io import load_npz

    path = tmp_path_factory.mktemp("npz") / "d.npz"
    X, y = _bad_array("good"), _y()
    if which == "X":
        X = _bad_array(kind)
    else:
        y = _bad_array(kind)
    try:
        np.savez(path, X=X, y=y)
    except (ValueError, TypeError):  # numpy cannot store it at all
        return
    try:
        Xr, yr = load_npz(path)
    except Exception as exc:  # noqa: BLE001
        _assert_clear(exc, [which])
        return
    assert Xr.shape == X.shape and np.all(np.isfinite(Xr)) and np.all(np.isfinite(yr))


@SETTINGS
@given(kind=st.sampled_from(["nan", "inf", "strings", "complex", "ndim3", "empty"]))
def test_mat_reader_refuses_bad_arrays_clearly(tmp_path_factory, kind):
    import scipy.io

    from impedance_sklearn.io import load_mat

    path = tmp_path_factory.mktemp("mat") / "d.mat"
    bad = _bad_array(kind)
    try:
        scipy.io.savemat(path, {"Seismic": np.asarray(bad).T, "Impedance": _y().T})
    except (ValueError, TypeError):
        return
    with pytest.raises((ValueError, TypeError)) as info:
        load_mat(path)
    _assert_clear(info.value, ["Seismic"])
