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
    # above the shallowest logged time (here 0.02 s), the surface included, the trend is held
    np.testing.assert_allclose(fitted.predict(np.array([-0.1, 0.0, 0.01])),
                               fitted.predict(np.array([t[1]] * 3)), rtol=1e-12)
    assert fitted.predict(np.array([0.5]))[0] > fitted.predict(np.array([t[1]]))[0]
    with pytest.raises(ValueError, match="time_axis"):
        LowFrequencyModel(time_axis="sqrt").fit(t[1:], 2.0 + t[1:])


def _acf_length(r):
    """First lag where the (biased) autocorrelation of r falls below 1/e: np.correlate."""
    g = r - r.mean()
    acf = np.correlate(g, g, mode="full")[g.size - 1:]
    return int(np.flatnonzero(acf / acf[0] < np.exp(-1.0))[0])


def test_std_is_the_scatter_inflated_by_the_correlation_length():
    """std^2 = sigma^2 (1 + L a(t)^T (A^T A)^-1 a(t)), every factor computed here with numpy."""
    rng = np.random.default_rng(3)
    t = np.arange(1.0, 3.0, 0.002)                                  # 1000 regular samples
    blocks = np.repeat(rng.normal(scale=0.05, size=t.size // 40), 40)  # 40-sample layers
    lz = 1.5 + 0.3 * t + blocks
    lfm = LowFrequencyModel(loss="squared").fit(t, np.exp(lz))
    u = (t - t.mean()) / t.std()
    A = np.column_stack([np.ones_like(u), u])
    coef, *_ = np.linalg.lstsq(A, lz, rcond=None)
    r = lz - A @ coef
    sigma = np.sqrt(r @ r / (t.size - 2))
    L = _acf_length(r)
    assert 20 <= L <= 32                     # about 2/3 of the layers' 40 samples
    assert lfm.correlation_length_[0] == L
    assert lfm.sigma_[0] == pytest.approx(sigma, rel=1e-9)
    at = np.array([2.0, 5.0])               # inside and far beyond the log
    a = np.column_stack([np.ones(2), (at - t.mean()) / t.std()])
    q = np.einsum("ij,jk,ik->i", a, np.linalg.inv(A.T @ A), a)
    mean, std = lfm.predict_log(at, return_std=True)
    np.testing.assert_allclose(mean, a @ coef, rtol=1e-10)
    np.testing.assert_allclose(std, sigma * np.sqrt(1.0 + L * q), rtol=1e-9)


def test_huber_scatter_is_the_scaled_mad_and_ignores_spikes():
    """Default (Huber): a straight line through 3 % of +1.0 spikes, sigma the normal-consistent
    MAD; least squares is pulled by the spikes."""
    rng = np.random.default_rng(4)
    t = np.linspace(1.0, 3.0, 2000)
    lz = 1.5 + 0.3 * t + rng.normal(scale=0.05, size=t.size)
    spikes = rng.choice(t.size, 60, replace=False)
    lz[spikes] += 1.0
    huber = LowFrequencyModel().fit(t, np.exp(lz))
    lsq = LowFrequencyModel(loss="squared").fit(t, np.exp(lz))
    true = 1.5 + 0.3 * np.array([1.0, 3.0])
    assert np.abs(huber.predict_log([1.0, 3.0]) - true).max() < 0.01
    assert np.abs(lsq.predict_log([1.0, 3.0]) - true).max() > 0.02
    assert huber.sigma_[0] == pytest.approx(0.05, rel=0.1)


def test_unsorted_samples_give_the_same_trend():
    rng = np.random.default_rng(5)
    t = np.linspace(1.0, 2.0, 300)
    z = np.exp(1.2 + 0.5 * t + rng.normal(scale=0.02, size=t.size))
    order = rng.permutation(t.size)
    a = LowFrequencyModel().fit(t, z)
    b = LowFrequencyModel().fit(t[order], z[order])
    np.testing.assert_allclose(b.coef_, a.coef_, rtol=1e-6)
    np.testing.assert_allclose(b.predict([0.5, 2.5]), a.predict([0.5, 2.5]), rtol=1e-6)


def test_two_wells_along_a_line_blend_linearly_and_hold_beyond():
    """Between wells at 0 and 10 the mean of ln Z and its variance are blended with the linear
    weights (0.75, 0.25 at position 2.5); beyond the end well its trend is held, less
    certain with the distance."""
    t = np.linspace(1.0, 2.0, 200)
    rng = np.random.default_rng(6)
    z0 = np.exp(1.0 + 0.2 * t + rng.normal(scale=0.02, size=t.size))
    z1 = np.exp(1.6 + 0.6 * t + rng.normal(scale=0.08, size=t.size))
    both = LowFrequencyModel().fit([t, t], [z0, z1], positions=[0.0, 10.0])
    w0 = LowFrequencyModel().fit(t, z0)
    w1 = LowFrequencyModel().fit(t, z1)
    at = np.array([1.5, 3.0])
    m0, s0 = w0.predict_log(at, return_std=True)
    m1, s1 = w1.predict_log(at, return_std=True)
    m, s = both.predict_log(np.vstack([at, at]), positions=[2.5, 15.0], return_std=True)
    np.testing.assert_allclose(m[0], 0.75 * m0 + 0.25 * m1, rtol=1e-10)
    np.testing.assert_allclose(s[0] ** 2, 0.75 * s0**2 + 0.25 * s1**2, rtol=1e-10)
    np.testing.assert_allclose(m[1], m1, rtol=1e-10)
    # beyond the end well (5 past it, wells 10 apart) the variance grows by half the wells'
    # disagreement at that time: ((m0 - m1) / 2)^2 * 5 / 10
    np.testing.assert_allclose(s[1] ** 2, s1**2 + ((m0 - m1) / 2) ** 2 * 0.5, rtol=1e-10)
    _, at_end = both.predict_log(np.vstack([at]), positions=[10.0], return_std=True)
    np.testing.assert_allclose(at_end[0], s1, rtol=1e-10)
