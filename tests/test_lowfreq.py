"""LowFrequencyModel: trends of ln Z in time or in ln t, extrapolated with their uncertainty."""

import numpy as np
import pytest

from impedance_sklearn import LowFrequencyModel


def _log(t, rng, law):
    """A layered log on a known trend: ln Z = trend + small blocky scatter."""
    blocks = np.repeat(rng.normal(scale=0.03, size=t.size // 10 + 1), 10)[: t.size]
    return np.exp(law(t) + blocks)


@pytest.mark.parametrize("axis, law", [
    ("linear", lambda t: 1.5 + 0.4 * t),            # exponential in time
    ("log", lambda t: 1.9 + 0.5 * np.log(t)),       # power law: Z = e^1.9 t^0.5
])
def test_each_axis_recovers_its_own_trend_far_beyond_the_log(axis, law):
    rng = np.random.default_rng(0)
    t = np.arange(1.0, 2.0, 0.004)
    z = _log(t, rng, law)
    far = np.array([2.8, 3.5])
    own = LowFrequencyModel(time_axis=axis).fit(t, z)
    other = LowFrequencyModel(time_axis="log" if axis == "linear" else "linear").fit(t, z)
    err_own = np.abs(np.log(own.predict(far)) - law(far)).max()
    err_other = np.abs(np.log(other.predict(far)) - law(far)).max()
    assert err_own < 0.03 < err_other
    mean, std = own.predict(np.array([1.5, 3.5]), return_std=True)
    assert std[1] > std[0] > 0


def test_log_axis_coefficient_is_the_power_law_exponent():
    t = np.linspace(0.8, 2.5, 400)
    lfm = LowFrequencyModel(time_axis="log", loss="squared").fit(t, 3.0 * t**0.7)
    # ln Z = a0 + a1 (ln t - c) / s: the exponent is a1 / s
    assert lfm.coef_[0, 1] / lfm.time_scale_[0] == pytest.approx(0.7, rel=1e-9)
    np.testing.assert_allclose(lfm.predict([4.0]), 3.0 * 4.0**0.7, rtol=1e-9)


def test_log_axis_refuses_times_at_or_before_zero():
    t = np.linspace(0.0, 1.0, 50)
    with pytest.raises(ValueError, match="time_axis='log' needs two-way times > 0"):
        LowFrequencyModel(time_axis="log").fit(t, 2.0 + t)
    fitted = LowFrequencyModel(time_axis="log").fit(t[1:], 2.0 + t[1:])
    with pytest.raises(ValueError, match="> 0"):
        fitted.predict(np.array([-0.1, 0.5]))
    with pytest.raises(ValueError, match="time_axis"):
        LowFrequencyModel(time_axis="sqrt").fit(t[1:], 2.0 + t[1:])
