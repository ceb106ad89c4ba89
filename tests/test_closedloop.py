"""Closed-loop (semi-supervised) training and FewWellsRegressor's choice of prior."""

import copy

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from impedance_sklearn import FewWellsRegressor, ImpedanceCNN, TraceIntegration, physics
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.estimators.closedloop import closed_loop_finetune, physics_misfit
from impedance_sklearn.estimators.nn import ConvolutionalForward

DT = 4.3875e-4


def _conv_field(n, seed):
    """Impedance of the generator, seismic by the convolutional model with a Ricker wavelet."""
    _, y = make_impedance_dataset(n, n_samples=120, random_state=seed)
    w = 0.2 * physics.ricker(60.0, DT, 0.04)
    X = physics.convolve_traces(physics.reflectivity(y, pad=True), w, w.size // 2)
    return X, y, w


def _small_cnn(**kw):
    return ImpedanceCNN(kernel_size=31, n_filters=8, max_epochs=kw.pop("max_epochs", 5),
                        random_state=0, **kw)


def test_physics_loss_lowers_the_misfit_on_the_unlabelled_traces():
    X, y, w = _conv_field(80, 0)
    est = _small_cnn().fit(X[:6], y[:6])
    forward = ConvolutionalForward(w)
    before = physics_misfit(est, X[6:], forward)
    closed_loop_finetune(est, X[:6], y[:6], X[6:], w, weight=10.0, n_steps=150, lr=1e-3,
                         random_state=0)
    after = physics_misfit(est, X[6:], forward)
    # measured 0.54 -> 0.029 (a convolutional field: the physics can be fitted exactly)
    assert after < 0.2 * before
    assert np.all(np.isfinite(est.predict(X)))
    # skorch's loop ran it: one epoch per step, the loss recorded and falling
    losses = est.closed_loop_history_[:, "train_loss"]
    assert len(losses) == 150 and losses[-1] < 0.5 * losses[0]


def test_physics_misfit_is_zero_for_the_true_impedance():
    X, y, w = _conv_field(5, 1)

    class Oracle:
        def predict(self, X_):
            return y

    assert physics_misfit(Oracle(), X, ConvolutionalForward(w)) < 1e-12


def test_synthetics_stay_in_the_loss():
    """Given synthetics, the fine-tuning keeps fitting them (it does not forget them)."""
    X, y, w = _conv_field(40, 3)
    est = _small_cnn(max_epochs=2).fit(X[:4], y[:4])

    def synthetic_error(e):
        return np.mean((np.log(e.predict(X[4:])) - np.log(y[4:])) ** 2)

    runs = {}
    for name, syn in (("with", (X[4:], y[4:])), ("without", (None, None))):
        e = copy.deepcopy(est)
        closed_loop_finetune(e, X[:4], y[:4], X, w, weight=0.0, n_steps=60, lr=1e-3,
                             X_synthetic=syn[0], y_synthetic=syn[1], random_state=0)
        runs[name] = synthetic_error(e)
    assert runs["with"] < 0.7 * runs["without"]


def test_zero_weight_is_supervised_fine_tuning():
    X, y, w = _conv_field(20, 2)
    est = _small_cnn(max_epochs=2).fit(X, y)
    err = np.mean((np.log(est.predict(X[:4])) - np.log(y[:4])) ** 2)
    closed_loop_finetune(est, X[:4], y[:4], X, w, weight=0.0, n_steps=100, lr=1e-3,
                         random_state=0)
    assert np.mean((np.log(est.predict(X[:4])) - np.log(y[:4])) ** 2) < 0.5 * err


def test_closed_loop_needs_a_standardised_network():
    X, y, w = _conv_field(8, 3)
    raw = _small_cnn(standardize=False, max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="standardize"):
        closed_loop_finetune(raw, X, y, X, w)
    fw = FewWellsRegressor(TraceIntegration(), n_synthetic=10, physics_weight=1.0,
                           forward="convolutional", random_state=0)
    with pytest.raises(ValueError, match="network"):
        fw.fit(X[:4], y[:4], X_unlabeled=X)


def test_fewwells_physics_weight_changes_the_network_deterministically():
    X, y, _ = _conv_field(40, 4)
    kw = dict(estimator=_small_cnn(max_epochs=2), n_synthetic=60, forward="convolutional",
              random_state=0, physics_steps=20)
    off = FewWellsRegressor(**kw).fit(X[:4], y[:4], X_unlabeled=X[4:])
    on = FewWellsRegressor(physics_weight=1.0, **kw).fit(X[:4], y[:4], X_unlabeled=X[4:])
    again = FewWellsRegressor(physics_weight=1.0, **kw).fit(X[:4], y[:4], X_unlabeled=X[4:])
    assert not np.allclose(off.predict(X), on.predict(X))
    np.testing.assert_array_equal(on.predict(X), again.predict(X))


# ------------------------------------------------------------------ the prior


def test_auto_prior_is_the_generator_on_paper_physics_and_statistics_elsewhere():
    X, y = make_impedance_dataset(60, vertical_range=(3.0, 8.0), random_state=5)
    fw = FewWellsRegressor(Ridge(), n_synthetic=20, random_state=0).fit(X[:10], y[:10],
                                                                        X_unlabeled=X[10:])
    assert fw.prior_ == "generator" and fw.paper_likeness_ > 0.9
    lo, hi = fw.generator_range_
    assert 1.0 <= lo < hi <= 20.0  # the short beds are found, not the 10-60 m default
    # the survey is the generator's own amplitude: gain about 1
    assert fw.generator_gain_ == pytest.approx(1.0, rel=0.25)
    Xc, yc, _ = _conv_field(40, 6)
    other = FewWellsRegressor(Ridge(), n_synthetic=20, forward="convolutional",
                              random_state=0).fit(Xc[:6], yc[:6])
    assert other.prior_ == "statistics" and other.paper_likeness_ < 0.9
    forced = FewWellsRegressor(Ridge(), n_synthetic=20, prior="statistics",
                               random_state=0).fit(X[:10], y[:10])
    assert forced.prior_ == "statistics"


def test_generator_prior_gain_follows_the_survey_amplitude():
    X, y = make_impedance_dataset(40, vertical_range=(3.0, 8.0), random_state=7)
    a = FewWellsRegressor(Ridge(), n_synthetic=10, prior="generator", random_state=0)
    b = FewWellsRegressor(Ridge(), n_synthetic=10, prior="generator", random_state=0)
    g1 = a.fit(X[:8], y[:8], X_unlabeled=X[8:]).generator_gain_
    g3 = b.fit(3 * X[:8], y[:8], X_unlabeled=3 * X[8:]).generator_gain_
    assert g3 == pytest.approx(3 * g1, rel=1e-9)
