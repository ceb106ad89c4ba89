"""Tests of impedance_sklearn.physics: analytic cases, exact round trips, known answers."""

import numpy as np
import pytest

from impedance_sklearn.physics import (
    convolve_traces,
    depth_to_time,
    estimate_wavelet,
    impedance_from_reflectivity,
    kennett,
    layer_times,
    minimum_phase,
    ormsby,
    reflectivity,
    ricker,
)

DT = 4.3875e-4


# ------------------------------------------------------------------ wavelets
def test_ricker_formula_and_shape():
    w = ricker(25.0, 0.002, 0.1)
    assert w.size == 51 and w.size % 2 == 1
    assert w.argmax() == 25 and w[25] == 1.0
    t = (np.arange(51) - 25) * 0.002
    a = (np.pi * 25.0 * t) ** 2
    np.testing.assert_allclose(w, (1 - 2 * a) * np.exp(-a), atol=1e-15)
    # zero crossings at t = +-1 / (pi f sqrt(2))
    tz = 1 / (np.pi * 25.0 * np.sqrt(2))
    i = int(np.floor(tz / 0.002)) + 25
    assert w[i] > 0 > w[i + 1]
    np.testing.assert_allclose(w, w[::-1])


def test_ormsby_spectrum_is_trapezoid():
    dt = 0.001
    w = ormsby(5, 10, 40, 60, dt, 2.0)  # long, so the truncated spectrum is close to ideal
    assert w.size % 2 == 1 and w.argmax() == w.size // 2 and w.max() == 1.0
    np.testing.assert_allclose(w, w[::-1])
    W = np.abs(np.fft.rfft(np.fft.ifftshift(w)))
    f = np.fft.rfftfreq(w.size, dt)
    flat = W[(f >= 12) & (f <= 38)]
    ref = flat.mean()
    np.testing.assert_allclose(flat, ref, rtol=0.02)
    assert np.all(W[f > 62] < 0.02 * ref) and np.all(W[f < 4] < 0.05 * ref)
    # on the ramps: linear between the corners
    for fq, expected in [(7.5, 0.5), (50.0, 0.5)]:
        k = np.argmin(np.abs(f - fq))
        assert abs(W[k] / ref - expected) < 0.03


def test_minimum_phase_same_amplitude_causal_and_min_phase():
    w = ormsby(4, 10, 50, 70, DT, 0.2)
    wm = minimum_phase(w)
    assert wm.shape == w.shape
    nfft = 4096
    A, Am = np.abs(np.fft.rfft(w, nfft)), np.abs(np.fft.rfft(wm, nfft))
    assert np.max(np.abs(A - Am)) < 0.01 * A.max()
    # minimum phase: the partial energy of the result dominates that of the zero-phase version
    # (and of the time-reversed one) at every time
    e_min = np.cumsum(wm**2)
    assert np.all(e_min >= np.cumsum(w**2) - 1e-3 * e_min[-1])  # up to truncation
    assert np.searchsorted(e_min, 0.5 * e_min[-1]) < w.size // 4  # front-loaded (zero phase: 1/2)
    assert np.sum(wm**2) == pytest.approx(np.sum(w**2), rel=0.01)


def test_minimum_phase_of_minimum_phase_dipole_is_itself():
    # (1, -0.5) has its zero inside the unit circle: already minimum phase
    w = np.array([1.0, -0.5, 0, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(minimum_phase(w, eps=1e-12), w, atol=1e-6)
    # its time reverse (-0.5, 1) is maximum phase: same answer
    np.testing.assert_allclose(minimum_phase(np.r_[-0.5, 1.0, np.zeros(6)], eps=1e-12), w, atol=1e-6)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ricker(-1, 0.001, 0.1),
        lambda: ricker(30, 0, 0.1),
        lambda: ormsby(10, 5, 40, 60, 0.001, 0.1),
        lambda: minimum_phase([]),
        lambda: minimum_phase([1.0, np.nan]),
        lambda: minimum_phase(np.zeros(5)),
        lambda: minimum_phase(np.ones((2, 3))),
    ],
)
def test_wavelet_bad_input(call):
    with pytest.raises(ValueError):
        call()


# ------------------------------------------------------------------ reflectivity
@pytest.mark.parametrize("method", ["exact", "log"])
def test_reflectivity_round_trip(method, rng):
    Z = np.exp(rng.normal(15, 0.3, (7, 120)))
    r = reflectivity(Z, method)
    assert r.shape == (7, 119)
    Z2 = impedance_from_reflectivity(r, Z[:, 0], method)
    np.testing.assert_allclose(Z2, Z, rtol=1e-12)


def test_reflectivity_values_and_log_approximation():
    Z = np.array([[2.0, 3.0, 3.0, 1.5]])
    np.testing.assert_allclose(reflectivity(Z), [[0.2, 0.0, -1 / 3]])
    np.testing.assert_allclose(reflectivity(Z, "log"), 0.5 * np.log([[1.5, 1.0, 0.5]]))
    # the log approximation agrees to third order for small contrasts: atanh(r) = 0.5 ln(Z2/Z1)
    Z = np.array([1.0, 1.02])
    assert abs(reflectivity(Z)[0] - reflectivity(Z, "log")[0]) < 1e-5
    np.testing.assert_allclose(np.arctanh(reflectivity(Z)), reflectivity(Z, "log"))


def test_reflectivity_bad_input():
    with pytest.raises(ValueError, match="positive"):
        reflectivity([1.0, -1.0])
    with pytest.raises(ValueError, match="at least 2"):
        reflectivity([1.0])
    with pytest.raises(ValueError, match="NaN"):
        reflectivity([1.0, np.inf])
    with pytest.raises(ValueError, match="method"):
        reflectivity([1.0, 2.0], method="linear")
    with pytest.raises(ValueError, match="broadcast"):
        impedance_from_reflectivity(np.zeros((3, 4)), np.ones(2))
    with pytest.raises(ValueError, match=r"\|r\| < 1"):
        impedance_from_reflectivity([1.0], 1.0)


# ------------------------------------------------------------------ convolution
@pytest.mark.parametrize("origin", [None, 0, 3, 10])
def test_convolve_traces_matches_direct_sum(origin, rng):
    r = rng.normal(size=(4, 50))
    w = rng.normal(size=11)
    s = convolve_traces(r, w, origin=origin)
    o = 11 // 2 if origin is None else origin
    direct = np.zeros_like(r)
    for j in range(50):
        for k in range(11):
            if 0 <= j - k + o < 50:
                direct[:, j] += w[k] * r[:, j - k + o]
    np.testing.assert_allclose(s, direct, atol=1e-12)
    # equals the middle of np.convolve
    np.testing.assert_allclose(s[1], np.convolve(r[1], w)[o : o + 50] if o <= 10 else 0, atol=1e-12)


def test_convolve_traces_is_linear_and_adjoint_is_correlation(rng):
    r1, r2 = rng.normal(size=(2, 3, 40))
    w = ricker(30, 0.002, 0.05)
    np.testing.assert_allclose(
        convolve_traces(2 * r1 + r2, w), 2 * convolve_traces(r1, w) + convolve_traces(r2, w), atol=1e-12
    )
    # dot test: <C r, d> == <r, C^T d>, C^T = correlation = convolution with the reversed wavelet
    d = rng.normal(size=(3, 40))
    o = w.size // 2
    lhs = np.sum(convolve_traces(r1, w, o) * d)
    rhs = np.sum(r1 * convolve_traces(d, w[::-1], w.size - 1 - o))
    assert lhs == pytest.approx(rhs, rel=1e-10)


# ------------------------------------------------------------------ wavelet estimation
def _tie_data(rng, w, origin, lag, n_tr=30, n=250):
    y = np.exp(np.cumsum(rng.normal(0, 0.08, (n_tr, n)), axis=1)) * 5.0
    r = np.concatenate([np.zeros((n_tr, 1)), reflectivity(y)], axis=1)
    X = convolve_traces(r, w, origin)
    X = np.roll(X, lag, axis=1)
    if lag > 0:
        X[:, :lag] = 0
    return X, y


@pytest.mark.parametrize("kind,lag", [("zero", 0), ("minimum", 0), ("minimum", 24), ("zero", -5)])
def test_estimate_wavelet_recovers_wavelet(kind, lag, rng):
    w0 = ormsby(4, 10, 50, 70, DT, 0.06)
    if kind == "zero":
        w, origin = w0, w0.size // 2
    else:
        w, origin = minimum_phase(w0), 0
    X, y = _tie_data(rng, w, origin, lag)
    r = reflectivity(y, pad=True)
    w_est = estimate_wavelet(X, r, w.size, origin=origin, lag=lag, damp=1e-4)
    assert np.corrcoef(w_est, w)[0, 1] > 0.99
    assert np.max(np.abs(w_est - w)) < 0.05  # amplitude too, not just shape
    # the wrong lag does worse
    w_bad = estimate_wavelet(X, r, w.size, origin=origin, lag=lag + 6, damp=1e-4)
    assert np.corrcoef(w_bad, w)[0, 1] < 0.9


def test_estimate_wavelet_bad_input(rng):
    X = rng.normal(size=(3, 50))
    r = reflectivity(np.ones((3, 50)) + rng.uniform(size=(3, 50)), pad=True)
    with pytest.raises(ValueError, match="same shape"):
        estimate_wavelet(X, r[:, :40], 11)
    with pytest.raises(ValueError, match="length"):
        estimate_wavelet(X, r, 0)
    with pytest.raises(ValueError, match="NaN"):
        estimate_wavelet(np.where(X > 1, np.nan, X), r, 11)
    with pytest.raises(ValueError, match="contrast"):
        estimate_wavelet(X, np.zeros((3, 50)), 11)


# ------------------------------------------------------------------ depth to time
def test_layer_times_and_depth_to_time_rules():
    vp = np.array([1000.0, 2000.0, 4000.0, 3000.0])
    rho = np.array([1.0, 2.0, 1.0, 1.0])
    np.testing.assert_allclose(layer_times(vp, 2.0), [0.0, 0.004, 0.006, 0.007])
    Zp = depth_to_time(vp, rho, 2.0, 0.001, 10, kind="previous")
    np.testing.assert_allclose(Zp, [1000] * 4 + [4000] * 2 + [4000] + [3000] * 3)
    Zn = depth_to_time(vp, rho, 2.0, 0.001, 10)  # 'next': (t_{k-1}, t_k] -> Z_k
    np.testing.assert_allclose(Zn, [1000] + [4000] * 4 + [4000] * 2 + [3000] * 3)
    # 2-D input: one row per trace, rows independent
    Z2 = depth_to_time(np.stack([vp, vp[::-1]]), np.stack([rho, rho]), 2.0, 0.001, 10)
    np.testing.assert_allclose(Z2[0], Zn)
    with pytest.raises(ValueError, match="kind"):
        depth_to_time(vp, rho, 2.0, 0.001, 10, kind="linear")
    with pytest.raises(ValueError, match="broadcast"):
        depth_to_time(vp, rho[:3], 2.0, 0.001, 10)
    with pytest.raises(ValueError, match="positive"):
        depth_to_time(-vp, rho, 2.0, 0.001, 10)


# ------------------------------------------------------------------ Kennett
def _on_grid_model(rng, n_tr, n_lay, dt):
    """Layers whose two-way times are whole numbers of samples."""
    vp = rng.choice([2000.0, 2500.0, 3200.0, 4000.0], size=(n_tr, n_lay))
    m = rng.integers(1, 5, size=(n_tr, n_lay))
    thickness = vp * dt / 2 * m
    rho = rng.uniform(1800, 2600, size=(n_tr, n_lay))
    return vp, rho, thickness, m


def test_kennett_single_interface_is_r_times_wavelet():
    dt = 0.001
    w = ricker(30.0, dt, 0.08)
    o = w.size // 2
    vp, rho = [2000.0, 3000.0], [2000.0, 2400.0]
    s = kennett(vp, rho, [60.0, 5.0], w, dt, 160, origin=o, f_max=np.inf)
    r = (3000 * 2400 - 2000 * 2000) / (3000 * 2400 + 2000 * 2000)
    expected = np.zeros(160)
    expected[60 - o : 60 - o + w.size] = r * w  # two-way time 2 * 60 / 2000 = 60 ms
    np.testing.assert_allclose(s, expected, atol=1e-9)
    # an impedance decrease flips the polarity (2 * 90 / 3000 = 60 ms again)
    s2 = kennett(vp[::-1], rho[::-1], [90.0, 5.0], w, dt, 160, origin=o, f_max=np.inf)
    assert s2[60] == pytest.approx(-r, rel=1e-9)


@pytest.mark.parametrize("transmission_loss", [False, True])
def test_kennett_primaries_equal_convolutional_model(transmission_loss, rng):
    dt = 0.001
    vp, rho, thickness, m = _on_grid_model(rng, 5, 30, dt)
    w = minimum_phase(ormsby(5, 10, 60, 80, dt, 0.1))
    n = int(m[:, :-1].sum(1).max()) + 60
    s = kennett(vp, rho, thickness, w, dt, n, multiples=False, transmission_loss=transmission_loss,
                f_max=np.inf)
    # reflectivity on the time grid from depth_to_time, convention of estimate_wavelet
    Z = depth_to_time(vp, rho, thickness, dt, n, kind="previous")
    r = np.concatenate([np.zeros((5, 1)), reflectivity(Z)], axis=1)
    if transmission_loss:
        r_int = reflectivity(vp * rho)  # interfaces in depth
        loss = np.concatenate([np.ones((5, 1)), np.cumprod(1 - r_int**2, axis=1)[:, :-1]], axis=1)
        tops = np.cumsum(m[:, :-1], axis=1)  # sample of interface j (j = 1..)
        r = np.zeros_like(r)
        np.put_along_axis(r, tops, r_int * loss, axis=1)
    np.testing.assert_allclose(s, convolve_traces(r, w, origin=0), atol=1e-9)


def test_kennett_two_interface_multiples_analytic():
    # spike wavelet; layer 1 has a two-way time of 7 samples: the internal multiples of the
    # layer arrive every 7 samples with amplitude (1 - r1^2) r2 (-r1 r2)^k
    dt = 0.001
    vp = np.array([2000.0, 3500.0, 2200.0])
    rho = np.array([2100.0, 2500.0, 2000.0])
    d = np.array([10.0, 3.5 * 3.5, 1.0])  # 2 * 12.25 / 3500 = 7 ms
    s = kennett(vp, rho, d, [1.0], dt, 60, f_max=np.inf, n_fft=8192)
    r1, r2 = reflectivity(vp * rho)
    expected = np.zeros(60)
    expected[10] = r1
    for k in range(7):  # arrivals at 17, 24, ..., 59
        expected[17 + 7 * k] = (1 - r1**2) * r2 * (-r1 * r2) ** k
    np.testing.assert_allclose(s, expected, atol=1e-9)
    # without multiples only the first two arrivals remain
    p = kennett(vp, rho, d, [1.0], dt, 60, multiples=False, f_max=np.inf, n_fft=8192)
    np.testing.assert_allclose(p, np.where(np.arange(60) <= 17, expected, 0.0), atol=1e-9)


def test_kennett_chunks_and_batches_do_not_change_result(rng):
    dt = DT
    vp = rng.uniform(2000, 4000, (9, 40))
    rho = rng.uniform(1900, 2500, (9, 40))
    w = minimum_phase(ormsby(4, 10, 50, 70, dt, 0.1))
    ref = kennett(vp, rho, 1.0, w, dt, 150)
    for chunk in (1, 4, 100):
        np.testing.assert_allclose(kennett(vp, rho, 1.0, w, dt, 150, chunk_size=chunk), ref,
                                   rtol=0, atol=1e-14)
    np.testing.assert_allclose(kennett(vp[3], rho[3], 1.0, w, dt, 150), ref[3], atol=1e-14)
    # multiples matter for these contrasts
    assert np.abs(kennett(vp, rho, 1.0, w, dt, 150, multiples=False) - ref).max() > 1e-3


def test_kennett_split_layer_and_equal_time_layers(rng):
    """Splitting a layer into two equal halves (no interface between them) changes nothing.

    The split stacks have runs of layers with the same one-way time, whose phase factors the
    recursion reuses; the unsplit stacks change one-way time from layer to layer, per trace.
    """
    dt = DT
    n_tr = 4
    vp = rng.uniform(2000, 4000, (n_tr, 6))
    rho = rng.uniform(1900, 2500, (n_tr, 6))
    vp[0, :3] = vp[0, 0]  # trace 0: three layers of the same one-way time in a row
    d = rng.uniform(2.0, 12.0, (n_tr, 6))
    d[0, :3] = 5.0
    w = minimum_phase(ormsby(4, 10, 50, 70, dt, 0.1))
    ref = kennett(vp, rho, d, w, dt, 120)
    # split every layer but the half-space into two halves of the same properties
    rep = np.repeat(np.arange(6), [2, 2, 2, 2, 2, 1])
    split = kennett(vp[:, rep], rho[:, rep], np.where(rep < 5, 0.5, 1.0) * d[:, rep], w, dt, 120)
    np.testing.assert_allclose(split, ref, rtol=0, atol=1e-12)
    assert np.abs(ref).max() > 0.05


def test_kennett_bad_input():
    with pytest.raises(ValueError, match="at least 2 layers"):
        kennett([2000.0], [2000.0], 1.0, [1.0], 0.001)
    with pytest.raises(ValueError, match="broadcast"):
        kennett(np.ones((3, 5)) * 2000, np.ones((2, 5)), 1.0, [1.0], 0.001)
    with pytest.raises(ValueError, match="NaN"):
        kennett([2000.0, np.nan], [1.0, 1.0], 1.0, [1.0], 0.001)
    with pytest.raises(ValueError, match="thickness"):
        kennett([2000.0, 3000.0], [1.0, 1.0], -1.0, [1.0], 0.001)
    with pytest.raises(ValueError, match="chunk_size"):
        kennett([2000.0, 3000.0], [1.0, 1.0], 1.0, [1.0], 0.001, chunk_size=0)
