"""Tests for FewWellsRegressor: the well tie, the fitted statistics, the synthetics, the gain."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge

from impedance_sklearn import ImpedanceCNN, physics
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.estimators.fewwells import FewWellsRegressor

DT = 4.3875e-4
SCALE = 3.7


def field_wavelet():
    """A non-default wavelet: minimum-phase Ormsby 8-15-60-90 Hz, peak |w| = 1, origin 0."""
    w = physics.minimum_phase(physics.ormsby(8.0, 15.0, 60.0, 90.0, DT, 0.12))
    return w / np.abs(w).max()


def make_field(n, seed=0, multiples=True, noise=0.0, vertical_range=5.0):
    """The generator's recipe with a field's wavelet, amplitude (x 3.7) and vertical range."""
    X, y = make_impedance_dataset(
        n,
        wavelet=field_wavelet(),
        vertical_range=vertical_range,
        multiples=multiples,
        noise=noise,
        interpolation="previous",
        property_range=20.0,
        random_state=seed,
    )
    return SCALE * X, y


def true_wavelet_in_window(length, origin):
    """The field's effective wavelet (displacement polarity: -w, scale 3.7) on the tie's window."""
    w = field_wavelet()
    wt = np.zeros(length)
    k = min(length - origin, w.size)
    wt[origin : origin + k] = -w[:k]
    return wt


@pytest.fixture(scope="module")
def field():
    return make_field(140, seed=1, noise=0.05)


# ---------------------------------------------------------------------------------------------
# step 1: the well tie
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("multiples", [False, True])
def test_wavelet_recovered_from_five_wells(multiples):
    X, y = make_field(5, seed=3, multiples=multiples)
    reg = FewWellsRegressor(Ridge(), n_synthetic=0, forward="convolutional").fit(X, y)
    wt = true_wavelet_in_window(reg.wavelet_.size, reg.wavelet_origin_)
    assert np.corrcoef(reg.wavelet_, wt)[0, 1] > 0.95  # measured 0.990 / 0.994
    assert np.abs(reg.wavelet_).max() == pytest.approx(1.0)  # by construction (unit peak)
    # the field's amplitude, 3.7: measured 3.49 (primaries) and 3.62 (with multiples)
    assert reg.amplitude_scale_ == pytest.approx(SCALE, rel=0.1)


def test_amplitude_scale_recovered_on_convolutional_field(rng):
    # exact convolutional model, zero-phase Ricker of peak 1 times 3.7
    y = np.exp(1.6 + np.cumsum(rng.normal(0, 0.03, (8, 200)), axis=1))
    r = np.concatenate([np.zeros((8, 1)), physics.reflectivity(y)], axis=1)
    w = physics.ricker(40.0, 0.002, 0.1)
    X = SCALE * physics.convolve_traces(r, w)
    reg = FewWellsRegressor(Ridge(), n_synthetic=0, wavelet_length=w.size).fit(X, y)
    assert reg.amplitude_scale_ == pytest.approx(SCALE, rel=0.03)
    assert np.corrcoef(reg.wavelet_, w)[0, 1] > 0.999
    assert reg.wavelet_origin_ == w.size // 2


# ---------------------------------------------------------------------------------------------
# step 2: synthetics and noise
# ---------------------------------------------------------------------------------------------
def test_noise_fixed_level_and_auto_level_follow_the_field():
    X, y = make_field(10, seed=2)
    Xn = X + 0.5 * X.std() * np.random.default_rng(0).standard_normal(X.shape)
    base = FewWellsRegressor(Ridge(), n_synthetic=50, forward="convolutional", random_state=0)
    assert clone(base).set_params(noise=0.0).fit(X, y).noise_level_ == 0.0
    assert clone(base).set_params(noise=0.2).fit(X, y).noise_level_ == pytest.approx(0.2, rel=0.05)
    clean = clone(base).fit(X, y).noise_level_
    noisy = clone(base).fit(Xn, y).noise_level_
    assert 0 < clean < noisy
    # true relative noise 0.5 of the field RMS; the estimate (model error included): 0.528
    assert noisy == pytest.approx(0.5, rel=0.15)
    # the survey's excess power gives a comparable level
    Xu = make_field(40, seed=9)[0]
    Xu = Xu + 0.5 * Xu.std() * np.random.default_rng(1).standard_normal(Xu.shape)
    from_survey = clone(base).fit(Xn, y, X_unlabeled=Xu).noise_level_
    assert from_survey == pytest.approx(noisy, rel=0.12)  # measured 0.549 against 0.528
    # clean wells, noisy survey: the survey's white-noise floor lifts the level (0.14 -> 0.53)
    floored = clone(base).fit(X, y, X_unlabeled=Xu).noise_level_
    assert floored > 3 * clean


@pytest.mark.parametrize("forward, rms_rel", [("convolutional", 0.2), ("kennett", 0.12)])
def test_synthetics_match_the_field_scale(forward, rms_rel):
    X, y = make_field(30, seed=4)
    reg = FewWellsRegressor(
        Ridge(), n_synthetic=60, forward=forward, noise=0.0, well_weight=0.0, random_state=0
    ).fit(X[:5], y[:5])
    Xs, ys = reg.generate(60, random_state=0)
    assert Xs.shape == (60, X.shape[1]) and ys.shape == (60, y.shape[1])
    # the field's seismic RMS (measured ratio 1.135 convolutional, 1.072 Kennett: the field has
    # multiples) and its impedance level (ratio 0.996)
    assert np.sqrt(np.mean(Xs**2)) == pytest.approx(np.sqrt(np.mean(X**2)), rel=rms_rel)
    assert ys.mean() == pytest.approx(y.mean(), rel=0.02)


# ---------------------------------------------------------------------------------------------
# step 3: training
# ---------------------------------------------------------------------------------------------
def test_well_weight_repeats_the_real_pairs():
    X, y = make_field(6, seed=2)
    base = FewWellsRegressor(Ridge(), n_synthetic=300, forward="convolutional", random_state=0)
    assert base.fit(X, y).n_repeats_ == round(0.1 / 0.9 * 300 / 6)
    assert clone(base).set_params(well_weight=0.0).fit(X, y).n_repeats_ == 0
    only = clone(base).set_params(well_weight=1.0).fit(X, y)
    np.testing.assert_allclose(only.predict(X), Ridge().fit(X, y).predict(X))


def test_deterministic_with_random_state(field):
    X, y = field
    a = FewWellsRegressor(Ridge(), n_synthetic=40, forward="convolutional", random_state=3)
    p1 = clone(a).fit(X[:5], y[:5]).predict(X[5:10])
    p2 = clone(a).fit(X[:5], y[:5]).predict(X[5:10])
    np.testing.assert_array_equal(p1, p2)


def test_fallback_when_y_is_not_an_impedance():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 20)), rng.standard_normal((6, 20))
    with pytest.warns(UserWarning, match="non-positive"):
        reg = FewWellsRegressor(Ridge(), n_synthetic=10).fit(X, y)
    assert reg.fallback_ is not None and reg.stats_ is None and reg.n_repeats_ == 1
    assert np.all(np.isfinite(reg.predict(X)))
    np.testing.assert_allclose(reg.predict(X), Ridge().fit(X, y).predict(X))
    with pytest.raises(ValueError, match="no synthetic model"):
        reg.generate(3)


def test_bad_input_is_rejected(field):
    X, y = field
    reg = FewWellsRegressor(Ridge(), n_synthetic=10, forward="convolutional")
    with pytest.raises(ValueError, match="X_unlabeled has 10 samples"):
        reg.fit(X[:5], y[:5], X_unlabeled=X[:3, :10])
    bad = X[:3].copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        reg.fit(X[:5], y[:5], X_unlabeled=bad)
    with pytest.raises(ValueError, match="well_weight"):
        FewWellsRegressor(well_weight=1.5).fit(X[:5], y[:5])
    with pytest.raises(ValueError, match="forward"):
        FewWellsRegressor(forward="born").fit(X[:5], y[:5])
    with pytest.raises(ValueError, match="requires y"):
        reg.fit(X[:5], None)


def test_resampled_y_length(field):
    X, y = field
    from impedance_sklearn.physics.transforms import resample_traces

    y_coarse = resample_traces(y[:5], 100)
    reg = FewWellsRegressor(Ridge(), n_synthetic=20, forward="convolutional", random_state=0)
    fitted = clone(reg).fit(X[:5], y_coarse)
    pred = fitted.predict(X[5:8])
    assert pred.shape == (3, 100) and fitted.n_outputs_ == 100
    # the documented rule: y resampled to the seismic's 331 samples, predictions back to 100
    fine = clone(reg).fit(X[:5], resample_traces(y_coarse, X.shape[1])).predict(X[5:8])
    np.testing.assert_allclose(pred, resample_traces(fine, 100), rtol=1e-12)
    truth = resample_traces(y[5:8], 100)
    rel = np.sqrt(((pred - truth) ** 2).mean(axis=1)) / truth.mean(axis=1)
    assert rel.max() < 0.2  # measured 0.10-0.14 (five wells, Ridge)


# ---------------------------------------------------------------------------------------------
# scikit-learn conventions
# ---------------------------------------------------------------------------------------------
# (the estimator checks: tests/test_estimator_checks.py)


# ---------------------------------------------------------------------------------------------
# the point of it all: better than a CNN trained on the wells alone
# ---------------------------------------------------------------------------------------------
def test_beats_cnn_trained_on_the_wells_alone():
    """Five wells of a field (non-default wavelet, x 3.7, 5 m vertical range, 5 % noise).

    Same CNN for both; the wells-only CNN gets about as many optimizer steps (630 epochs of one
    batch) as the meta-estimator's CNN (30 epochs of ~21 batches). Measured with this set-up on
    field seeds 1, 2, 3: Pearson 0.427 -> 0.541, 0.420 -> 0.565, 0.401 -> 0.542; relative L2
    0.130 -> 0.107, 0.122 -> 0.103, 0.144 -> 0.106. Asserted: +0.05 and -10 %.
    """
    from impedance_sklearn.metrics import relative_l2, trace_pcc

    X, y = make_field(85, seed=2, noise=0.05)
    Xw, yw, Xt, yt = X[:5], y[:5], X[5:], y[5:]

    def cnn(epochs):
        return ImpedanceCNN(
            kernel_size=61,
            n_filters=16,
            max_epochs=epochs,
            batch_size=16,
            lr=3e-3,
            output_activation="linear",
            random_state=0,
        )

    alone = cnn(630).fit(Xw, yw).predict(Xt)
    few = FewWellsRegressor(cnn(30), n_synthetic=300, forward="convolutional", random_state=0)
    pred = few.fit(Xw, yw).predict(Xt)
    assert trace_pcc(yt, pred) > trace_pcc(yt, alone) + 0.05
    assert relative_l2(yt, pred) < 0.9 * relative_l2(yt, alone)


def test_ensemble_std_for_independent_traces(rng):
    from sklearn.linear_model import Ridge

    from impedance_sklearn.physics import convolve_traces, reflectivity, ricker

    y = np.exp(1.5 + np.cumsum(rng.normal(0, 0.02, (30, 64)), axis=1))
    X = 2.0 * convolve_traces(reflectivity(y, pad=True), ricker(60.0, 0.002, 0.04))
    one = FewWellsRegressor(Ridge(1e-3), n_synthetic=100, forward="convolutional",
                            random_state=0).fit(X[:6], y[:6])
    Z1, S1 = one.predict(X[6:], return_std=True)
    assert np.all(S1 == 0) and len(one.estimators_) == 1
    many = FewWellsRegressor(Ridge(1e-3), n_synthetic=100, forward="convolutional",
                             n_estimators=3, n_jobs=2, random_state=0).fit(X[:6], y[:6])
    Z3, S3 = many.predict(X[6:], return_std=True)
    members = np.stack([e.predict(X[6:]) for e in many.estimators_])
    np.testing.assert_allclose(Z3, members.mean(0), rtol=1e-12)
    np.testing.assert_allclose(S3, members.std(0), rtol=1e-12)


def test_few_wells_ridge_is_registered_with_its_defaults():
    from sklearn.linear_model import RidgeCV

    from impedance_sklearn.estimators import make_estimator, registry_name

    est = make_estimator("few-wells-ridge", {"n_synthetic": 100})
    assert isinstance(est.estimator, RidgeCV) and est.forward == "convolutional"
    assert est.n_synthetic == 100
    assert registry_name(est) == "few-wells"  # the class's first name
