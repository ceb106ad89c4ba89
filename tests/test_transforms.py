"""Trace transforms (impedance_sklearn.physics.transforms)."""

import numpy as np
import pytest
import scipy.fft as sfft

from impedance_sklearn.physics.transforms import (
    add_noise,
    field_variants,
    lowpass,
    rotate_phase,
)

DT = 4.3875e-4


def test_lowpass_removes_everything_above_the_cut(rng):
    X = rng.normal(size=(4, 331))
    Y = lowpass(X, 125.0, DT)
    n_fft = 4096
    f = sfft.rfftfreq(n_fft, DT)
    # no energy above 125 Hz (up to the truncation of the filtered trace to 331 samples)
    S_in = np.abs(sfft.rfft(X, n_fft)) ** 2
    S_out = np.abs(sfft.rfft(Y, n_fft)) ** 2
    assert S_out[:, f > 200].sum() < 1e-2 * S_in[:, f > 200].sum()
    # and the pass band is kept: a 20 Hz sine is unchanged away from the edges
    t = np.arange(2000) * DT
    s = np.sin(2 * np.pi * 20 * t)
    np.testing.assert_allclose(lowpass(s, 125.0, DT)[300:-300], s[300:-300], atol=1e-3)


def test_lowpass_is_zero_phase_and_linear(rng):
    X = rng.normal(size=(2, 200))
    np.testing.assert_allclose(lowpass(2 * X + 1e-3, 300.0, DT),
                               2 * lowpass(X, 300.0, DT) + lowpass(np.full_like(X, 1e-3), 300.0, DT),
                               atol=1e-12)
    # zero phase: a symmetric spike stays symmetric about its centre
    spike = np.zeros(201)
    spike[100] = 1.0
    y = lowpass(spike, 300.0, DT)
    np.testing.assert_allclose(y[:100], y[101:][::-1], atol=1e-12)
    assert np.argmax(y) == 100


def test_add_noise_level_and_seed():
    X = np.tile(np.sin(np.linspace(0, 20, 5000)), (3, 1)) * np.array([[1.0], [10.0], [0.1]])
    noisy = add_noise(X, 0.1, random_state=0)
    rms = np.sqrt(np.mean(X**2, axis=1))
    np.testing.assert_allclose((noisy - X).std(axis=1) / rms, 0.1, rtol=0.05)
    np.testing.assert_array_equal(noisy, add_noise(X, 0.1, random_state=0))
    np.testing.assert_array_equal(add_noise(X, 0.0), X)


def test_rotate_phase_identities(rng):
    # traces without DC and Nyquist content (where the discrete Hilbert transform is exact)
    spec = rng.normal(size=(3, 129)) + 1j * rng.normal(size=(3, 129))
    spec[:, [0, -1]] = 0.0
    x = np.fft.irfft(spec, 256)
    np.testing.assert_allclose(rotate_phase(x, 0), x, atol=1e-12)
    np.testing.assert_allclose(rotate_phase(x, 180), -x, atol=1e-10)
    np.testing.assert_allclose(rotate_phase(rotate_phase(x, 30), -30), x, atol=1e-8)
    # energy preserved (an all-pass filter, for zero-mean signals)
    np.testing.assert_allclose((rotate_phase(x, 30) ** 2).sum(1), (x**2).sum(1), rtol=1e-8)


def test_field_variants_are_reproducible(rng):
    X = rng.normal(size=(3, 331))
    a, b = field_variants(X, DT, random_state=1), field_variants(X, DT, random_state=1)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    np.testing.assert_array_equal(a["amplitude x3"], 3 * X)
    with pytest.raises(ValueError, match="NaN"):
        field_variants(np.full((2, 10), np.nan), DT)
