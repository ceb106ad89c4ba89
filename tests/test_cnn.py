"""ImpedanceModule and ImpedanceCNN: shapes, seed interop, FFT exactness, sklearn integration."""

import io
import pickle

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.estimators.nn import ImpedanceModule, same_padding
from impedance_sklearn.physics.transforms import resample_traces


class SeedCNN(torch.nn.Module):
    """The seed's class, verbatim (Das et al. 2019 tutorial)."""

    def __init__(self):
        super().__init__()
        self.layer1 = torch.nn.Sequential(
            torch.nn.Conv1d(1, 60, kernel_size=300, stride=1, padding=int((300 - 3) / 2) + 1),
            torch.nn.ReLU(),
        )
        self.layer2 = torch.nn.Sequential(
            torch.nn.Conv1d(60, 1, kernel_size=300, stride=1, padding=int((300 - 3) / 2) + 2),
            torch.nn.ReLU(),
        )

    def forward(self, x):
        return self.layer2(self.layer1(x))


def _data(rng, n=24, length=16):
    """Small learnable problem: impedance = 3 + smoothed running sum of the seismic."""
    X = rng.normal(size=(n, length))
    y = 3.0 + 0.3 * np.cumsum(X, axis=1) / np.sqrt(np.arange(1, length + 1))
    return X, y


def _small(**kw):
    params = dict(kernel_size=3, n_filters=4, max_epochs=3, batch_size=8, random_state=0)
    params.update(kw)
    return ImpedanceCNN(**params)


# ----------------------------------------------------------------------------- the module
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 8, 9, 300])
@pytest.mark.parametrize("mode", ["direct", "fft"])
def test_module_output_length_equals_input_length(k, mode):
    torch.manual_seed(0)
    m = ImpedanceModule(kernel_size=k, n_filters=2, conv_mode=mode)
    lengths = range(1, 13) if k < 300 else [1, 2, 299, 300, 331]
    for length in lengths:
        assert m(torch.randn(3, 1, length)).shape == (3, 1, length)
        assert m(torch.randn(3, length)).shape == (3, length)


def test_padding_is_the_seeds_for_even_kernels():
    assert same_padding(300) == (149, 150)
    for k in range(4, 302, 2):
        p = int((k - 3) / 2)
        assert same_padding(k) == (p + 1, p + 2)
    m = ImpedanceModule()
    assert m.layer1[0].padding == (149,) and m.layer2[0].padding == (150,)
    assert sum(p.numel() for p in m.parameters()) == 36061
    assert set(m.state_dict()) == set(SeedCNN().state_dict())


@pytest.mark.parametrize("k", [4, 7, 300])
def test_module_equals_seed_padding_convs(k):
    """Direct mode equals nn.Conv1d with the seed's symmetric padding (length >= k)."""
    torch.manual_seed(1)
    m = ImpedanceModule(kernel_size=k, n_filters=3, conv_mode="direct")
    x = torch.randn(2, 1, max(k, 20) + 5)
    ref = m.layer2(m.layer1(x))  # the layers' own (symmetric) padding, as in the seed
    out = m(x)
    assert out.shape == ref.shape == x.shape
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("k", [2, 5, 16, 17, 64])
@pytest.mark.parametrize("length", [1, 7, 40])
def test_fft_equals_direct_forward_and_gradients(k, length):
    torch.manual_seed(2)
    a = ImpedanceModule(kernel_size=k, n_filters=5, output_activation="linear", conv_mode="direct")
    b = ImpedanceModule(kernel_size=k, n_filters=5, output_activation="linear", conv_mode="fft")
    b.load_state_dict(a.state_dict())
    x = torch.randn(70, 1, length)  # > FFT_CHUNK traces: several FFT blocks
    xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
    ya, yb = a(xa), b(xb)
    torch.testing.assert_close(yb, ya, rtol=1e-4, atol=1e-5)
    target = torch.randn_like(ya)
    ((ya - target) ** 2).mean().backward()
    ((yb - target) ** 2).mean().backward()
    for (name, pa), pb in zip(a.named_parameters(), b.parameters()):
        # a weight that cannot reach the output (one-sample traces, even k) may have no grad
        ga = torch.zeros_like(pa) if pa.grad is None else pa.grad
        gb = torch.zeros_like(pb) if pb.grad is None else pb.grad
        torch.testing.assert_close(gb, ga, rtol=1e-3, atol=1e-5, msg=name)
    dxa = torch.zeros_like(x) if xa.grad is None else xa.grad
    torch.testing.assert_close(xb.grad, dxa, rtol=1e-3, atol=1e-6)


def test_fft_equals_direct_gradients_at_paper_size():
    torch.manual_seed(4)
    a = ImpedanceModule(conv_mode="direct")
    b = ImpedanceModule(conv_mode="fft")
    b.load_state_dict(a.state_dict())
    x, t = torch.randn(3, 1, 331), torch.rand(3, 1, 331)
    ((a(x) - t) ** 2).mean().backward()
    ((b(x) - t) ** 2).mean().backward()
    for pa, pb in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(pb.grad, pa.grad, rtol=1e-3, atol=1e-6)


@pytest.mark.parametrize("n_out", [1, 5, 16, 33])
def test_module_resampling_matches_numpy(n_out):
    torch.manual_seed(3)
    m = ImpedanceModule(kernel_size=3, n_filters=2, output_activation="linear")
    x = torch.randn(4, 16)
    full = m(x).detach().numpy().astype(np.float64)
    m.n_outputs = n_out
    got = m(x).detach().numpy()
    np.testing.assert_allclose(got, resample_traces(full, n_out), rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------- seed interop
def test_from_state_dict_equals_seed(das_state_dict_path, rng):
    from impedance_sklearn.datasets import make_impedance_dataset

    state = torch.load(das_state_dict_path, weights_only=True, map_location="cpu")
    seed = SeedCNN()
    seed.load_state_dict(state)

    def seed_predict(X):  # the seed's way: one float32 trace at a time
        with torch.no_grad():
            return np.concatenate(
                [seed(torch.tensor(x, dtype=torch.float32).view(1, 1, -1)).numpy()[0] for x in X]
            )

    # traces of the paper's kind (outputs ~2.5-9): equal to the seed within 1e-4
    X, _ = make_impedance_dataset(40, random_state=3)
    ref = seed_predict(X)
    for src in (das_state_dict_path, state):
        est = ImpedanceCNN.from_state_dict(src)
        assert est.kernel_size == 300 and est.n_filters == 60 and est.n_features_in_ == 331
        pred = est.predict(X)
        assert pred.dtype == np.float64 and pred.shape == (40, 331)
        np.testing.assert_allclose(pred, ref, rtol=0, atol=1e-4)
    # direct mode too, and a clone is an unfitted estimator with the same parameters
    est = ImpedanceCNN.from_state_dict(state, conv_mode="direct")
    np.testing.assert_allclose(est.predict(X), ref, rtol=0, atol=1e-4)

    # rougher input (outputs up to ~40): float32 round-off grows with the output, in the seed's
    # own sums as in ours (the seed was 1.2e-4 off exact arithmetic on one CPU), so both modes
    # are held to exact (float64) arithmetic, within 1e-5 of the largest output
    t = (np.arange(101) - 50) * 4.3875e-4
    ricker = (1 - 2 * (np.pi * 30 * t) ** 2) * np.exp(-((np.pi * 30 * t) ** 2))
    refl = rng.normal(scale=0.05, size=(40, 331))
    X2 = np.array([np.convolve(r, ricker, mode="same") for r in refl])
    seed64 = SeedCNN().double()
    seed64.load_state_dict({k: v.double() for k, v in state.items()})
    with torch.no_grad():
        exact = seed64(torch.from_numpy(X2)[:, None]).numpy()[:, 0]
    atol = 1e-5 * np.abs(exact).max()
    np.testing.assert_allclose(seed_predict(X2), exact, rtol=0, atol=atol)  # the seed itself
    for mode in ("fft", "direct"):
        pred = ImpedanceCNN.from_state_dict(state, conv_mode=mode).predict(X2)
        np.testing.assert_allclose(pred, exact, rtol=0, atol=atol, err_msg=mode)
    with pytest.raises(NotFittedError):
        clone(est).predict(X)


def test_from_state_dict_rejects_bad_input(tmp_path):
    good = ImpedanceModule(kernel_size=3, n_filters=2).state_dict()
    with pytest.raises(ValueError, match="lacks"):
        ImpedanceCNN.from_state_dict({k: v for k, v in good.items() if "bias" not in k})
    with pytest.raises(ValueError, match="contradicts"):
        ImpedanceCNN.from_state_dict(good, kernel_size=5)
    bad = dict(good)
    bad["layer2.0.weight"] = torch.zeros(1, 3, 3)
    with pytest.raises(ValueError, match="does not fit"):
        ImpedanceCNN.from_state_dict(bad)
    corrupt = tmp_path / "corrupt.pkl"
    corrupt.write_bytes(b"not a torch file")
    with pytest.raises(ValueError, match="could not read"):
        ImpedanceCNN.from_state_dict(corrupt)
    est = ImpedanceCNN.from_state_dict(good, n_samples=10, max_epochs=1)
    assert est.predict(np.zeros((2, 10))).shape == (2, 10)
    with pytest.raises(ValueError, match="features"):
        est.predict(np.zeros((2, 11)))
    # fine-tuning starts from the loaded weights and moves them by one small Adam step
    # (a live output: the random weights alone give ReLU outputs of 0, hence no gradient)
    live = {k: v.clone() for k, v in good.items()}
    live["layer2.0.bias"].fill_(1.0)
    est = ImpedanceCNN.from_state_dict(live, n_samples=10, max_epochs=1)
    before = {k: v.detach().clone() for k, v in est.module_.state_dict().items()}
    assert before.keys() == live.keys()
    assert all(torch.equal(before[k], live[k]) for k in live)
    X_ft = np.random.default_rng(0).normal(size=(4, 10))
    est.partial_fit(X_ft, 1.5 + np.zeros((4, 10)))
    assert len(est.history) == 1
    for k, v in est.module_.state_dict().items():  # one batch: Adam's first step, about lr
        step = (v - before[k]).abs()
        assert 0.5 * est.lr < step.min() and step.max() < 1.01 * est.lr, k
    with pytest.raises(ValueError, match="same output length"):
        est.partial_fit(np.ones((4, 10)), np.ones((4, 5)))


# ----------------------------------------------------------------------------- estimator
def test_fit_learns_and_shapes(rng):
    X, y = _data(rng)
    # a kernel that covers the running sum: the (standardised) loss falls 10-fold, r2 > 0.9
    est = _small(kernel_size=15, max_epochs=40, lr=1e-2).fit(X, y)
    losses = est.history[:, "train_loss"]
    assert losses[-1] < 0.1 * losses[0]
    from impedance_sklearn.metrics import r2

    assert r2(y, est.predict(X)) > 0.9
    pred = est.predict(X)
    assert pred.shape == y.shape and pred.dtype == np.float64
    # any float dtype in, float32 inside, float64 out
    for dtype in (np.float32, np.float16):
        np.testing.assert_allclose(est.predict(X.astype(dtype)), pred, atol=5e-2)
    # 1-D y: one output sample per trace (bin mean of the trace output), 1-D predictions
    est1 = _small().fit(X, y.mean(1))
    assert est1.predict(X).shape == (X.shape[0],) and est1.n_outputs_ == 1
    # y coarser than X
    est2 = _small().fit(X, resample_traces(y, 4))
    assert est2.predict(X).shape == (X.shape[0], 4)


def test_random_state_is_bit_for_bit(rng):
    X, y = _data(rng)
    state = torch.get_rng_state()
    est = _small(random_state=7).fit(X, y)
    assert torch.equal(torch.get_rng_state(), state)  # fit leaves the global RNG untouched
    a = est.predict(X)
    b = _small(random_state=7).fit(X, y).predict(X)
    c = _small(random_state=8).fit(X, y).predict(X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_warm_start_and_partial_fit(rng):
    X, y = _data(rng)
    est = _small(max_epochs=2, warm_start=True).fit(X, y)
    w = est.module_.core.layer1[0].weight.detach().clone()
    scalings = (est.x_scale_, est.y_loc_, est.y_scale_)
    est.fit(X, y)
    assert len(est.history) == 4  # continued, not restarted
    assert not torch.equal(w, est.module_.core.layer1[0].weight)
    assert (est.x_scale_, est.y_loc_, est.y_scale_) == scalings  # kept, not refitted
    cold = _small(max_epochs=2).fit(X, y)
    cold.fit(X, y)
    assert len(cold.history) == 2  # re-initialised
    pf = _small(max_epochs=2)
    pf.partial_fit(X, y)
    pf.partial_fit(X, y)
    assert len(pf.history) == 4
    with pytest.raises(ValueError, match="features"):
        pf.partial_fit(X[:, :10], y[:, :10])


def test_pipeline_with_scaler(rng):
    X, y = _data(rng)
    pipe = make_pipeline(StandardScaler(), _small()).fit(X, y)
    pred = pipe.predict(X)
    assert pred.shape == y.shape
    # the same numbers as scaling by hand, then the same network (same random_state)
    scaler = StandardScaler().fit(X)
    by_hand = _small().fit(scaler.transform(X), y).predict(scaler.transform(X))
    np.testing.assert_allclose(pred, by_hand, rtol=1e-6)


def test_transformed_target_regressor(rng):
    X, y = _data(rng)
    ttr = TransformedTargetRegressor(
        regressor=_small(output_activation="linear", max_epochs=30), transformer=StandardScaler()
    ).fit(X, y)
    pred = ttr.predict(X)
    assert pred.shape == y.shape
    # the inner network saw standardised targets: its output is centred, not at y's level 3
    inner = ttr.regressor_.predict(X)
    assert abs(inner.mean()) < 1.0 and abs(pred.mean() - y.mean()) < 0.5


def test_cross_validate_multioutput_scoring(rng):
    X, y = _data(rng)
    res = cross_validate(
        _small(), X, y, cv=KFold(3), scoring={"r2": "r2", "mse": "neg_mean_squared_error"}
    )
    assert res["test_r2"].shape == (3,)
    # each fold's scores are the multi-output metrics of that fold's own fit
    from sklearn.metrics import mean_squared_error, r2_score

    for i, (train, test) in enumerate(KFold(3).split(X)):
        pred = _small().fit(X[train], y[train]).predict(X[test])
        assert res["test_mse"][i] == pytest.approx(-mean_squared_error(y[test], pred), rel=1e-5)
        assert res["test_r2"][i] == pytest.approx(r2_score(y[test], pred), rel=1e-5, abs=1e-6)


def test_grid_search_n_jobs_1_and_2_agree(rng):
    X, y = _data(rng)
    grid = {"kernel_size": [2, 3], "lr": [1e-3, 1e-2]}
    runs = []
    for n_jobs in (1, 2):
        gs = GridSearchCV(_small(max_epochs=2), grid, cv=KFold(2), n_jobs=n_jobs).fit(X, y)
        runs.append(gs)
    one, two = runs
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        np.testing.assert_allclose(one.cv_results_[key], two.cv_results_[key], rtol=1e-6)
    assert len(set(one.cv_results_["mean_test_score"])) == 4  # four different candidates
    assert one.best_params_ == two.best_params_
    np.testing.assert_allclose(one.predict(X), two.predict(X), rtol=1e-6)


def test_pickle_and_joblib_round_trips(rng, tmp_path):
    X, y = _data(rng)
    est = _small().fit(X, y)
    pred = est.predict(X)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(est)).predict(X), pred)
    buf = io.BytesIO()
    joblib.dump(est, buf)
    buf.seek(0)
    np.testing.assert_array_equal(joblib.load(buf).predict(X), pred)
    unfitted = pickle.loads(pickle.dumps(_small(kernel_size=5)))
    assert unfitted.kernel_size == 5 and not unfitted.initialized_


def test_params_survive_clone_and_set_params():
    est = _small(kernel_size=7, n_filters=3, iterator_train__shuffle=False)
    c = clone(est)
    assert c.kernel_size == 7 and c.n_filters == 3 and c.iterator_train__shuffle is False
    c.set_params(kernel_size=9, lr=0.5)
    assert c.get_params()["kernel_size"] == 9 and c.lr == 0.5


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "params, X, y, match",
    [
        ({}, np.zeros((4, 8, 1)), np.zeros((4, 8)), r"X has shape \(4, 8, 1\); expected a 2-D"),
        ({}, np.zeros(8), np.zeros(8), r"X has shape \(8,\); expected a 2-D"),
        ({}, np.zeros((4, 8)), np.zeros((5, 8)), "X has 4 traces but y has 5"),
        ({}, np.full((4, 8), np.nan), np.zeros((4, 8)), "NaN"),
        ({}, np.zeros((4, 8)), np.full((4, 8), np.inf), "infinity"),
        ({}, np.zeros((0, 8)), np.zeros((0, 8)), "0 sample"),
        ({}, np.zeros((4, 0)), np.zeros((4, 8)), "0 feature"),
        ({"kernel_size": 0}, np.zeros((4, 8)), np.zeros((4, 8)), "kernel_size"),
        ({"n_filters": 0}, np.zeros((4, 8)), np.zeros((4, 8)), "n_filters"),
        ({"kernel_size": 9}, np.zeros((4, 8)), np.zeros((4, 8)), "minimum of 9"),
        ({"device": "tpu"}, np.zeros((4, 8)), np.zeros((4, 8)), "tpu"),
        ({"device": "cuda:99"}, np.zeros((4, 8)), np.zeros((4, 8)), "cuda"),
        ({}, np.zeros((4, 8)), None, "requires y"),
    ],
)
def test_bad_input_raises_value_error(params, X, y, match):
    with pytest.raises(ValueError, match=match):
        _small(**params).fit(X, y)


def test_predict_errors(rng):
    X, y = _data(rng)
    with pytest.raises(NotFittedError):
        _small().predict(X)
    est = _small().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :-1])
    with pytest.raises(ValueError, match="NaN"):
        est.predict(np.where(X > 1, np.nan, X))
    assert not hasattr(est, "predict_proba")


def test_whitening_filter_gains():
    """Gains 1 / max(S / max S, floor): 1 at the strongest bin, 1 / S for a weak bin above the
    floor, 1 / floor at and below it; ImpedanceCNN keeps the filter of its training traces."""
    from impedance_sklearn.estimators.scaling import whitening_filter

    n, n_fft = 64, 64
    t = np.arange(n)
    amps = {4: 1.0, 10: 0.05, 20: 1e-3}  # rFFT bins, cosines of whole periods: S = amp n / 2
    X = np.tile(sum(a * np.cos(2 * np.pi * k * t / n) for k, a in amps.items()), (3, 1))
    g = whitening_filter(X, 0.01, n_fft)
    assert g.shape == (n_fft // 2 + 1,)
    np.testing.assert_allclose(g[[4, 10, 20]], [1.0, 20.0, 100.0], rtol=1e-9)
    others = np.setdiff1d(np.arange(g.size), [4, 10, 20])
    np.testing.assert_allclose(g[others], 100.0, rtol=1e-9)  # no energy: the floor
    assert whitening_filter(np.zeros((2, n)), 0.01, n_fft) is None
    rng = np.random.default_rng(0)
    X, y = _data(rng)
    est = _small(max_epochs=1).fit(X, y)
    np.testing.assert_allclose(est._prefilter, whitening_filter(X, 0.01, 32), rtol=1e-6)


def test_thin_skorch_subclass():
    """ImpedanceCNN extends skorch: NeuralNet.__init__ runs, no parameter machinery of its own,
    routed parameters survive clone, and fit's history is skorch's."""
    from unittest import mock

    import skorch
    from sklearn.base import clone

    assert "_get_param_names" not in vars(ImpedanceCNN) and "set_params" not in vars(ImpedanceCNN)
    with mock.patch.object(skorch.NeuralNet, "__init__", autospec=True,
                           side_effect=skorch.NeuralNet.__init__) as init:
        est = ImpedanceCNN(kernel_size=5, optimizer__weight_decay=1e-4)
    assert init.call_count == 1
    params = est.get_params(deep=False)
    assert params["optimizer__weight_decay"] == 1e-4 and params["kernel_size"] == 5
    assert not any(k.startswith("_") for k in params)
    assert "history_" not in vars(est) and "initialized_" not in vars(est)
    assert clone(est).get_params(deep=False).keys() == params.keys()
    with pytest.raises(ValueError, match="'optimizer' parameter of ImpedanceCNN must be a "
                                         "torch optimizer class"):
        ImpedanceCNN(kernel_size=5, optimizer=torch.nn.Linear).fit(np.ones((2, 8)), np.ones((2, 8)))
    # skorch's own check of routed names still runs (once the modules exist)
    with pytest.raises(ValueError, match="did you mean optimizer__weight_decay"):
        ImpedanceCNN(kernel_size=5, max_epochs=1, optimizer_weight_decay=1e-4).fit(
            np.ones((2, 8)), np.ones((2, 8)))
