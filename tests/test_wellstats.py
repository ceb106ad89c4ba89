"""Impedance statistics of well logs and the noise model (FewWellsRegressor's priors):
impedance_sklearn.synthetic.wellstats."""

import numpy as np
import pytest
from test_fewwells import make_field

from impedance_sklearn.synthetic.wellstats import (
    _coloured_noise,
    _power_spectrum,
    fit_impedance_statistics,
    sample_impedance,
)


def test_statistics_round_trip_known_model():
    """Fit -> sample -> refit: the model's own parameters come back within stated tolerances."""
    stats = fit_impedance_statistics(np.exp(1.7 + 0.1 * np.random.default_rng(0).random((2, 50))))
    stats.update(  # a two-facies model with known parameters
        trend_coef=np.array([0.3, 1.5]),
        lateral_std=0.03,
        facies_means=np.array([-0.15, 0.1]),
        facies_proportions=np.array([0.4, 0.6]),
        within_std=0.04,
        facies_persistence=0.9,
        ar_coef=0.6,
    )
    y = sample_impedance(stats, 400, 331, random_state=0)
    fit = fit_impedance_statistics(y)
    np.testing.assert_allclose(fit.trend_coef, [0.3, 1.5], atol=0.02)
    assert fit.lateral_std == pytest.approx(0.03, abs=0.01)
    np.testing.assert_allclose(fit.facies_means, [-0.15, 0.1], atol=0.03)
    np.testing.assert_allclose(fit.facies_proportions, [0.4, 0.6], atol=0.08)
    assert fit.facies_persistence == pytest.approx(0.9, abs=0.03)
    # mean layer thickness of facies 0: 1 / ((1 - 0.9) * 0.6) = 16.7 samples
    assert fit.layer_thickness[0] == pytest.approx(1 / (0.1 * 0.6), rel=0.25)


def test_statistics_recovered_from_five_wells_of_the_generator():
    """Five wells of a field predict the whole field's statistics; the synthetics reproduce them.

    Tolerances: mean impedance 5 %, standard deviation 20 %, vertical correlation length 35 %.
    """
    X, y = make_field(205, seed=5)
    whole = fit_impedance_statistics(y[5:])
    wells = fit_impedance_statistics(y[:5])
    assert wells.mean == pytest.approx(whole.mean, rel=0.05)
    assert wells.std == pytest.approx(whole.std, rel=0.20)
    assert wells.correlation_length == pytest.approx(whole.correlation_length, rel=0.35)
    syn = fit_impedance_statistics(sample_impedance(wells, 300, y.shape[1], random_state=0))
    assert syn.mean == pytest.approx(whole.mean, rel=0.05)
    assert syn.std == pytest.approx(whole.std, rel=0.20)
    assert syn.correlation_length == pytest.approx(whole.correlation_length, rel=0.35)


def test_statistics_distinguish_vertical_ranges():
    # measured: 11.5 samples (3 m facies range) vs 22.8 samples (60 m); the porosity and clay
    # fields (20 m range in both) bound the ratio
    short = fit_impedance_statistics(make_field(20, seed=0, vertical_range=3.0)[1])
    long = fit_impedance_statistics(make_field(20, seed=0, vertical_range=60.0)[1])
    assert long.correlation_length > 1.5 * short.correlation_length


def test_coloured_noise_has_the_requested_spectrum():
    rng = np.random.default_rng(0)
    psd = np.linspace(2.0, 0.1, 101) ** 2
    noise = _coloured_noise(psd, 4000, 200, rng)
    got = _power_spectrum(noise, 200)
    np.testing.assert_allclose(got, psd, rtol=0.12)
