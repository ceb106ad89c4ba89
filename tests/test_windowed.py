"""WindowedRegressor: windows in, traces of any length out (overlap-add), with a background."""

import numpy as np
import pytest
import segyio
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from impedance_sklearn import ColoredInversion, ImpedanceCNN
from impedance_sklearn.estimators.lowfreq import LowFrequencyModel
from impedance_sklearn.estimators.persist import load_model, save_model
from impedance_sklearn.estimators.windowed import WindowedRegressor, window_starts
from impedance_sklearn.io import predict_segy, read_traces


class _Identity(RegressorMixin, BaseEstimator):
    """predict(X) = X: the overlap-add must give the input back."""

    def fit(self, X, y):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.asarray(X, dtype=np.float64)


def _log_ratio_regressor():
    # learns ln(y / b) = 0.1 X exactly (linear in X), so the ratio exp(0.1 X) is exact
    return TransformedTargetRegressor(LinearRegression(), func=np.log, inverse_func=np.exp,
                                      check_inverse=False)


@pytest.mark.parametrize("taper", ["hann", "boxcar", ("tukey", 0.5)])
@pytest.mark.parametrize("window, stride, length", [(16, 4, 16), (16, 5, 101), (7, 7, 50),
                                                    (8, 1, 9), (1, None, 5)])
def test_identity_inner_model_reconstructs_exactly(taper, window, stride, length):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 40))
    est = WindowedRegressor(_Identity(), window=window, stride=stride, taper=taper).fit(X, X)
    long = rng.normal(size=(4, length))
    np.testing.assert_allclose(est.predict(long), long, rtol=0, atol=1e-12)


def test_window_starts_keep_the_last_full_window():
    assert window_starts(11, 4, 3).tolist() == [0, 3, 6, 7]
    assert window_starts(4, 4, 3).tolist() == [0]
    with pytest.raises(ValueError, match="shorter than the window"):
        window_starts(3, 4, 1)


def test_a_plain_estimator_still_refuses_another_length_the_windowed_one_does_not():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(10, 64))
    y = np.exp(0.05 * np.cumsum(X, axis=1))
    plain = ColoredInversion().fit(X, y)
    with pytest.raises(ValueError, match="X has 80 features, but ColoredInversion is expecting 64"):
        plain.predict(rng.normal(size=(2, 80)))
    win = WindowedRegressor(ColoredInversion(), window=32).fit(X, y)
    assert win.predict(rng.normal(size=(2, 80))).shape == (2, 80)
    # on traces of the fitted length, a single window of the full length is the plain model
    one = WindowedRegressor(ColoredInversion(), window=64).fit(X, y)
    np.testing.assert_allclose(one.predict(X), plain.predict(X), rtol=1e-12)


class _Recorder(_Identity):
    """Keeps the windows it was fitted on."""

    def fit(self, X, y):
        self.X_ = np.asarray(X)
        return super().fit(X, y)


def test_fit_stride_sets_the_training_windows_and_leaves_the_overlap_add_alone():
    X = np.arange(2 * 40, dtype=np.float64).reshape(2, 40)
    dense = WindowedRegressor(_Recorder(), window=16, stride=8, fit_stride=3).fit(X, X)
    # starts 0, 3, ..., 24 and the last full window (24): 9 per trace, in order
    assert dense.fit_stride_ == 3 and dense.stride_ == 8
    assert dense.n_windows_ == 2 * 9
    np.testing.assert_array_equal(dense.estimator_.X_[:9, 0], [0, 3, 6, 9, 12, 15, 18, 21, 24])
    np.testing.assert_array_equal(dense.estimator_.X_[9, :], X[1, :16])
    plain = WindowedRegressor(_Recorder(), window=16, stride=8).fit(X, X)
    assert plain.fit_stride_ == 8 and plain.n_windows_ == 2 * 4  # 0, 8, 16, 24
    long = np.random.default_rng(0).normal(size=(2, 57))
    np.testing.assert_allclose(dense.predict(long), plain.predict(long), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="fit_stride"):
        WindowedRegressor(Ridge(), window=16, fit_stride=0).fit(X, X)


def test_bad_lengths_are_refused_with_the_numbers():
    X = np.ones((4, 10))
    with pytest.raises(ValueError, match="minimum of 16 is required"):
        WindowedRegressor(Ridge(), window=16).fit(X, X)
    est = WindowedRegressor(Ridge(), window=8).fit(X, X)
    with pytest.raises(ValueError, match="at least its window, 8 samples"):
        est.predict(np.ones((2, 5)))


def test_grid_search_and_pipeline():
    """GridSearchCV scores with predict(X), so the traces' start time is the t0 parameter;
    a Pipeline passes per-trace times to fit as a routed fit parameter."""
    rng = np.random.default_rng(2)
    dt, m = 0.004, 24
    X = rng.normal(size=(60, m))
    y = np.exp(1.0 + 0.5 * (1.2 + dt * np.arange(m)) + 0.1 * X)
    est = WindowedRegressor(_log_ratio_regressor(), window=12, dt=dt, t0=1.2,
                            background=LowFrequencyModel(loss="squared"))
    search = GridSearchCV(est, {"window": [6, 12], "background__degree": [0, 1]}, cv=3)
    search.fit(X, y)
    assert search.best_score_ > 0.999
    assert search.best_params_["background__degree"] == 1
    t0 = rng.uniform(1.0, 1.6, size=60)
    T = t0[:, None] + dt * np.arange(m)
    y = np.exp(1.0 + 0.5 * T + 0.1 * X)
    pipe = make_pipeline(FunctionTransformer(), est).fit(X, y, windowedregressor__t0=t0)
    Xl = rng.normal(size=(2, 300))
    truth = np.exp(1.0 + 0.5 * (0.5 + dt * np.arange(300)) + 0.1 * Xl)
    assert np.abs(np.log(pipe[-1].predict(Xl, t0=0.5) / truth)).max() < 0.01
    # without the per-trace times, every window is taken to start at 1.2 s: a wrong trend
    wrong = make_pipeline(FunctionTransformer(), est).fit(X, y)
    assert np.abs(np.log(wrong[-1].predict(Xl, t0=0.5) / truth)).max() > 0.04  # 0.064


def test_background_adds_the_trend_beyond_the_training_times():
    """Windows from 1.0-1.8 s; the whole trace 0.4-3.0 s is predicted. The trend of ln Z
    (1 + 0.5 t) comes from the background: without it the far end is off by a factor e^0.5."""
    rng = np.random.default_rng(3)
    dt, m = 0.004, 32
    t0 = np.linspace(1.0, 1.8 - m * dt, 40)
    T = t0[:, None] + dt * np.arange(m)
    X = rng.normal(size=(40, m))
    noise = 0.02 * rng.normal(size=X.shape)
    y = np.exp(1.0 + 0.5 * T + 0.1 * X + noise)
    Xl = rng.normal(size=(3, 651))
    Tl = 0.4 + dt * np.arange(651)
    truth = np.exp(1.0 + 0.5 * Tl + 0.1 * Xl)
    bg = WindowedRegressor(_log_ratio_regressor(), window=16, dt=dt,
                           background=LowFrequencyModel()).fit(X, y, t0=t0)
    plain = WindowedRegressor(_log_ratio_regressor(), window=16).fit(X, y)
    err_bg = np.abs(np.log(bg.predict(Xl, t0=0.4) / truth)).max()
    err_plain = np.abs(np.log(plain.predict(Xl) / truth)).max()
    assert err_bg < 0.03 and err_plain > 0.4
    # the stored t0 is the default of predict
    again = WindowedRegressor(_log_ratio_regressor(), window=16, dt=dt, t0=0.4,
                              background=LowFrequencyModel()).fit(X, y, t0=t0)
    np.testing.assert_array_equal(again.predict(Xl), bg.predict(Xl, t0=0.4))


def test_background_from_two_wells_along_a_line():
    """Two wells at positions 10 and 30 with trends ln Z = 1 + 0.2 t and 2 + 0.2 t: at 20
    the background is halfway in ln Z, beyond 30 it is the second well's."""
    rng = np.random.default_rng(4)
    dt, m = 0.004, 20
    t0 = np.tile(np.linspace(1.0, 1.5, 15), 2)
    pos = np.repeat([10.0, 30.0], 15)
    T = t0[:, None] + dt * np.arange(m)
    X = rng.normal(size=(30, m))
    y = np.exp(np.where(pos[:, None] == 10, 1.0, 2.0) + 0.2 * T)  # exact trends
    est = WindowedRegressor(_log_ratio_regressor(), window=10, dt=dt,
                            background=LowFrequencyModel(loss="squared")).fit(
        X, y, t0=t0, positions=pos)
    Xl = np.zeros((3, 50))
    pred = est.predict(Xl, t0=0.0, positions=[20.0, 40.0, 0.0])
    t = dt * np.arange(50)
    np.testing.assert_allclose(np.log(pred), [1.5 + 0.2 * t, 2 + 0.2 * t, 1 + 0.2 * t],
                               atol=1e-9)
    with pytest.raises(ValueError, match="give positions"):
        est.predict(Xl)


def _pairs(seed=5, n=30, m=48):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    y = np.exp(1.5 + 0.3 * (1.0 + 0.004 * np.arange(m)) + 0.05 * np.cumsum(X, axis=1))
    return X, y


@pytest.mark.parametrize("inner", [ColoredInversion(),
                                   ImpedanceCNN(kernel_size=3, n_filters=2, max_epochs=2,
                                                random_state=0, verbose=0)])
def test_save_and_load_round_trip_exactly(tmp_path, inner):
    X, y = _pairs()
    est = WindowedRegressor(inner, window=16, dt=0.004, t0=1.0,
                            background=LowFrequencyModel(degree=2)).fit(X, y)
    again = load_model(save_model(est, tmp_path / "w.model"))
    Xl = np.random.default_rng(6).normal(size=(3, 77))
    np.testing.assert_array_equal(again.predict(Xl), est.predict(Xl))
    np.testing.assert_array_equal(again.background_.coef_, est.background_.coef_)
    assert again.get_params()["window"] == 16 and again.min_trace_length_ == 16


def test_predict_segy_streams_traces_of_another_length(tmp_path):
    """Trained on windows of 16 samples; the SEG-Y has 90-sample traces starting at 0.2 s,
    predicted in chunks of 4 with each trace's position (two-well background)."""
    X, y = _pairs(n=20)
    pos = np.repeat([0.0, 10.0], 10)
    est = WindowedRegressor(ColoredInversion(), window=16, dt=0.004, t0=0.2,
                            background=LowFrequencyModel()).fit(X, y, positions=pos)
    src = tmp_path / "line.sgy"
    cube = np.random.default_rng(7).normal(size=(1, 11, 90)).astype(np.float32)
    segyio.tools.from_array(src, cube, dt=4000, format=5)
    traces = read_traces(src).X
    positions = np.arange(11, dtype=float)
    out = predict_segy(est, src, tmp_path / "z.sgy", chunk_traces=4,
                       predict_params={"positions": positions})
    expected = est.predict(traces, positions=positions)
    np.testing.assert_allclose(read_traces(out).X, expected, rtol=1e-6)
    assert not np.allclose(expected[0], expected[-1])
    # a plain model trained on 16-sample traces still refuses the file
    with pytest.raises(ValueError, match="fitted on traces of 48 samples"):
        predict_segy(ColoredInversion().fit(X, y), src, tmp_path / "p.sgy")
    assert not (tmp_path / "p.sgy").exists()


def test_from_fitted_wraps_a_fitted_network_for_any_trace_length():
    from impedance_sklearn import ImpedanceCNN
    from impedance_sklearn.datasets import make_impedance_dataset

    X, y = make_impedance_dataset(20, n_samples=64, random_state=0)
    net = ImpedanceCNN(kernel_size=15, n_filters=4, max_epochs=2, random_state=0).fit(X, y)
    w = WindowedRegressor.from_fitted(net)
    assert w.window == 64 and w.estimator_ is net and w.background_ is None
    np.testing.assert_allclose(w.predict(X), net.predict(X), rtol=1e-6)  # one window: itself
    long = np.concatenate([X[:3], X[3:6]], axis=1)  # 128-sample traces
    p = w.predict(long)
    assert p.shape == (3, 128)
    # the first stride (16 samples) lies in the first window only: the network's prediction
    np.testing.assert_allclose(p[:, :16], net.predict(X[:3])[:, :16], rtol=1e-5)
    with pytest.raises(ValueError, match="output samples"):
        from sklearn.linear_model import LinearRegression

        WindowedRegressor.from_fitted(LinearRegression().fit(X, y[:, :10]))
