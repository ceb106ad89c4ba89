"""The shared trace-regressor contract: resampling and validation."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from impedance_sklearn.estimators._base import TraceRegressorMixin
from impedance_sklearn.physics.transforms import resample_traces


class _Identity(TraceRegressorMixin, BaseEstimator):
    """Smallest trace regressor: predicts X itself (resampled to y's length)."""

    _min_trace_length = 3

    def fit(self, X, y):
        self._validate_fit_data(X, y)
        return self

    def predict(self, X):
        X = self._validate_predict_data(X)
        return self._format_prediction(X)


def test_resample_identity_returns_input(rng):
    A = rng.normal(size=(4, 9))
    assert resample_traces(A, 9) is A


@pytest.mark.parametrize("n_in,n_out", [(12, 4), (12, 5), (7, 1), (331, 166)])
def test_resample_down_is_block_mean_and_preserves_mean(rng, n_in, n_out):
    A = rng.normal(size=(3, n_in))
    B = resample_traces(A, n_out)
    assert B.shape == (3, n_out)
    if n_in % n_out == 0:  # equal bins: exact block means
        np.testing.assert_allclose(B, A.reshape(3, n_out, -1).mean(-1))
    if n_out == 1:
        np.testing.assert_allclose(B[:, 0], A.mean(1))
    # unequal bins: bin i averages samples floor(i n_in / n_out) .. ceil((i + 1) n_in / n_out) - 1
    # (torch's adaptive_avg_pool1d), e.g. 12 -> 5: [0:3], [2:5], [4:8], [7:10], [9:12]
    import torch

    ref = torch.nn.functional.adaptive_avg_pool1d(torch.from_numpy(A)[:, None], n_out)[:, 0]
    np.testing.assert_allclose(B, ref.numpy(), rtol=1e-12)
    if (n_in, n_out) == (12, 5):
        bins = [(0, 3), (2, 5), (4, 8), (7, 10), (9, 12)]
        np.testing.assert_allclose(B, np.stack([A[:, a:b].mean(1) for a, b in bins], 1))
    if (n_in, n_out) == (331, 166):  # [0:2], then [2i - 1 : 2i + 2] (3 samples), [329:331]
        assert B[:, 0] == pytest.approx(A[:, :2].mean(1))
        assert B[:, 165] == pytest.approx(A[:, 329:].mean(1))
        i = np.arange(1, 165)
        three = (A[:, 2 * i - 1] + A[:, 2 * i] + A[:, 2 * i + 1]) / 3
        np.testing.assert_allclose(B[:, 1:165], three)


def test_resample_up_is_linear_and_exact_on_a_ramp():
    n_in, n_out = 10, 40
    centres_in = (np.arange(n_in) + 0.5) / n_in
    centres_out = (np.arange(n_out) + 0.5) / n_out
    A = 2.0 + 3.0 * centres_in[None, :]
    B = resample_traces(A, n_out)
    inside = (centres_out >= centres_in[0]) & (centres_out <= centres_in[-1])
    np.testing.assert_allclose(B[0, inside], 2.0 + 3.0 * centres_out[inside])
    # beyond the first/last centre the edge value is held
    assert np.all(B[0, ~inside & (centres_out < 0.5)] == A[0, 0])


def test_resample_rejects_zero():
    with pytest.raises(ValueError, match="n_out must be >= 1"):
        resample_traces(np.ones((1, 3)), 0)


def test_mixin_shapes_dtype_and_1d_y(rng):
    X = rng.normal(size=(5, 8)).astype(np.float32)
    est = _Identity().fit(X, rng.normal(size=(5, 8)))
    assert est.n_features_in_ == 8 and est.n_outputs_ == 8
    pred = est.predict(X)
    assert pred.dtype == np.float64 and pred.shape == (5, 8)
    np.testing.assert_array_equal(pred, X.astype(np.float64))
    est.fit(X, rng.normal(size=5))
    pred1 = est.predict(X)
    assert pred1.shape == (5,)
    np.testing.assert_allclose(pred1, X.mean(1), rtol=1e-6)


def test_mixin_errors(rng):
    X = rng.normal(size=(5, 8))
    with pytest.raises(NotFittedError):
        _Identity().predict(X)
    with pytest.raises(ValueError, match="requires y"):
        _Identity().fit(X, None)
    with pytest.raises(ValueError, match=r"X has \d+ traces but y has 4"):
        _Identity().fit(X, X[:4])
    with pytest.raises(ValueError, match="minimum of 3 is required"):
        _Identity().fit(X[:, :2], X[:, :2])
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        _Identity().fit(bad, X)
    est = _Identity().fit(X, X)
    with pytest.raises(ValueError, match="X has 7 features, but _Identity is expecting 8"):
        est.predict(X[:, :7])
