"""Forward models (impedance_sklearn.physics.forward) and the torch twin (impedance_sklearn.estimators.nn)."""

import numpy as np
import pytest
import torch
from pylops.utils import dottest

from impedance_sklearn.estimators.nn import ConvolutionalForward
from impedance_sklearn.physics import convolve_traces, kennett, reflectivity, ricker
from impedance_sklearn.physics.forward import (
    ConvolutionalModel,
    KennettModel,
    get_forward_model,
)


def _logs(rng, n=5, length=120, sigma=0.08):
    return 3.0 * np.exp(np.cumsum(rng.normal(0, sigma, (n, length)), axis=1))


@pytest.mark.parametrize("origin", [None, 0, 7, 40])
def test_convolutional_seismic_is_convolution_of_reflectivity(rng, origin):
    Z = _logs(rng)
    w = ricker(30.0, 0.002, 0.1)
    model = ConvolutionalModel(w, origin=origin)
    expected = convolve_traces(reflectivity(Z, pad=True), w, origin)
    np.testing.assert_allclose(model.seismic(Z), expected, atol=1e-15)


def test_convolutional_analytic_step():
    """One contrast 2 -> 3 at sample 30: r = 0.2 there, the seismic is 0.2 times the wavelet."""
    w = ricker(25.0, 0.002, 0.1)
    Z = np.r_[np.full(30, 2.0), np.full(50, 3.0)]
    d = ConvolutionalModel(w).seismic(Z)
    o = len(w) // 2
    expected = np.zeros(80)
    lo = 30 - o
    expected[max(lo, 0) : lo + len(w)] = 0.2 * w[max(-lo, 0) : 80 - lo]
    np.testing.assert_allclose(d, expected, atol=1e-14)


@pytest.mark.parametrize("derivative", ["backward", "centred"])
def test_operator_dot_test_and_linearisation(rng, derivative):
    w = ricker(30.0, 0.002, 0.1)
    model = ConvolutionalModel(w, derivative=derivative, reflectivity="log")
    op = model.operator(90, 4)
    assert op.shape == (360, 360)
    assert dottest(op, 360, 360, rtol=1e-10)
    Z = _logs(rng, 4, 90)
    # the operator on ln Z is the log-reflectivity model exactly
    d_op = (op @ np.log(Z).ravel()).reshape(4, 90)
    np.testing.assert_allclose(d_op, model.seismic(Z), atol=1e-12)


def test_operator_matches_pylops_poststack_modelling(rng):
    """Centred derivative = PyLops' PoststackLinearModelling with the wavelet halved."""
    import warnings

    from pylops.avo.poststack import PoststackLinearModelling

    w = ricker(20.0, 0.004, 0.16)
    Z = _logs(rng, 3, 100)
    op = ConvolutionalModel(w, derivative="centred").operator(100, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        P = PoststackLinearModelling(w / 2, nt0=100, spatdims=3)
    d_pylops = (P @ np.log(Z).T).T
    np.testing.assert_allclose((op @ np.log(Z).ravel()).reshape(3, 100), d_pylops, atol=1e-12)


def test_kennett_model_one_sample_layers_match_primaries(rng):
    """On a time grid, the Kennett model without multiples is the convolutional model of the
    exact reflection coefficients scaled by the two-way transmission loss above each."""
    Z = _logs(rng, 2, 100, sigma=0.02)
    w = ricker(0.08, 1.0, 40.0)  # dt = 1 sample
    primaries = KennettModel(w, dt=1.0, multiples=False, f_max=np.inf).seismic(Z)
    r = reflectivity(Z, pad=True)
    loss = np.cumprod(np.concatenate([np.ones((2, 1)), 1 - r[:, 1:-1] ** 2], axis=1), axis=1)
    loss = np.concatenate([np.ones((2, 1)), loss], axis=1)
    expected = convolve_traces(r * loss, w)
    np.testing.assert_allclose(primaries, expected, atol=2e-3 * np.abs(expected).max())


def test_kennett_model_layers_equal_physics_kennett(rng):
    vp = rng.uniform(2000, 3500, (3, 40))
    rho = rng.uniform(2000, 2500, (3, 40))
    w = ricker(40.0, 0.001, 0.08)
    model = KennettModel(w, origin=len(w) // 2, dt=0.001, polarity="displacement")
    got = model.from_layers(vp, rho, 2.0, 120)
    want = -kennett(vp, rho, 2.0, w, 0.001, 120, origin=len(w) // 2)
    np.testing.assert_allclose(got, want, atol=1e-15)


def test_torch_twin_equals_numpy(rng):
    Z = _logs(rng, 4, 70)
    for method in ("exact", "log"):
        for origin in (None, 0, 12, -4):
            w = rng.normal(size=25)
            d = ConvolutionalForward(w, origin, reflectivity=method)(
                torch.tensor(Z, dtype=torch.float64)).numpy()
            want = ConvolutionalModel(w, origin=origin, reflectivity=method).seismic(Z)
            np.testing.assert_allclose(d, want, atol=1e-14)


def test_torch_twin_has_gradients(rng):
    Z = torch.tensor(_logs(rng, 2, 40), requires_grad=True)
    d = ConvolutionalForward(ricker(30.0, 0.002, 0.05))(Z)
    d.pow(2).sum().backward()
    assert Z.grad is not None and torch.isfinite(Z.grad).all() and Z.grad.abs().sum() > 0


def test_get_forward_model():
    assert isinstance(get_forward_model("kennett", [1.0]), KennettModel)
    m = get_forward_model(ConvolutionalModel(reflectivity="log"), [0.0, 1.0, 0.0], 1)
    assert m.reflectivity == "log" and m.origin == 1 and list(m.wavelet) == [0.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="forward must be one of"):
        get_forward_model("acoustic-fd")
