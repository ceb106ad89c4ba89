"""compatibility: the description of training data and each finding against a survey."""

import numpy as np
import pytest

from impedance_sklearn.estimators.compatibility import (
    AMPLITUDE_TOLERANCE,
    amplitude_factor,
    check_compatibility,
    describe_training_data,
    target_range,
)


@pytest.fixture
def info():
    X = np.random.default_rng(0).normal(0, 0.05, size=(20, 331))
    return describe_training_data(X, np.full((20, 331), 6.0), dt=4.3875e-4, t0=0.01,
                                  scale=1e6, source="train.npz")


def kinds(findings):
    return [(f.kind, f.blocking) for f in findings]


def test_description_records_what_the_checks_need(info):
    assert info["n_samples"] == 331 and info["dt"] == 4.3875e-4 and info["t0"] == 0.01
    assert info["window"] == pytest.approx(331 * 4.3875e-4)
    assert info["seismic"]["rms"] == pytest.approx(0.05, rel=0.05)
    assert info["impedance"] == {"min": 6.0, "max": 6.0, "mean": 6.0}
    assert info["impedance_unit"] == "impedance (m/s x kg/m^3) / 1e6"
    assert set(info["spectrum"]) == {"f95", "f999", "share_above_f999"}
    assert "spectrum" not in describe_training_data(np.ones((2, 10)), dt=0.004)  # no signal


def test_each_finding_and_its_fix(info):
    rng = np.random.default_rng(1)
    like = rng.normal(0, 0.05, size=(5, 331))
    assert check_compatibility(info, like, dt=4.3875e-4) == []
    assert check_compatibility({}, like) == []  # nothing known, nothing checked
    (f,) = check_compatibility(info, rng.normal(0, 0.05, (5, 300)), dt=4.3875e-4)
    assert (f.kind, f.blocking) == ("samples", True) and "--resample" in f.message
    out = check_compatibility(info, rng.normal(0, 0.05, (5, 331)), dt=0.004)
    assert ("sampling", True) in kinds(out)
    out = check_compatibility(info, rng.normal(0, 0.05, (5, 40)), dt=0.004, resample=True)
    assert ("window", True) in kinds(out)  # 160 ms against 145 ms: resampling would stretch
    assert kinds(check_compatibility(info, like)) == [("sampling", False)]  # dt unknown: a note
    loud = check_compatibility(info, (AMPLITUDE_TOLERANCE * 1.2) * like, dt=4.3875e-4)
    assert kinds(loud) == [("amplitude", True)] and "--match-amplitude" in loud[0].message
    assert check_compatibility(info, 10 * like, dt=4.3875e-4, match_amplitude=True) == []


def test_amplitude_factor_scales_to_the_training_rms(info):
    X = np.random.default_rng(2).normal(0, 1.0, size=(10, 331))
    f = amplitude_factor(info, X)
    assert np.sqrt(np.mean((f * X) ** 2)) == pytest.approx(info["seismic"]["rms"], rel=1e-12)
    assert amplitude_factor({}, X) == 1.0 and amplitude_factor(info, 0 * X) == 1.0


def test_target_range_in_both_domains():
    low, high = target_range(np.array([0.0, 2.0]), "linear", 0.1)
    assert (low, high) == (-0.5, 2.5)
    low, high = target_range(np.log([1.0, np.e**2]), "log", 0.1)
    assert (low, high) == pytest.approx((np.exp(-0.5), np.exp(2.5)))
