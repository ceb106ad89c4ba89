"""benchmarks/throughput.py's matrix-product network computes the package's network."""

import importlib.util
import sys
from pathlib import Path

import pytest
import torch

from impedance_sklearn.estimators.nn import ImpedanceModule

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def throughput():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("throughput", BENCH / "throughput.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(BENCH))
    return mod


@pytest.mark.parametrize("kernel, length", [(8, 23), (9, 23), (300, 331)])
def test_matmul_net_matches_the_fft_network_forward_and_backward(throughput, kernel, length):
    torch.manual_seed(0)
    net = ImpedanceModule(kernel_size=kernel, n_filters=5, output_activation="linear")
    c1, c2 = net.layer1[0], net.layer2[0]
    x, y = torch.randn(3, 1, length), torch.randn(3, 1, length)

    def grads(forward):
        net.zero_grad()
        z = forward()
        ((z - y) ** 2).mean().backward()
        return z.detach(), [p.grad.clone() for p in (c1.weight, c1.bias, c2.weight, c2.bias)]

    z_ref, g_ref = grads(lambda: net(x))
    z_mm, g_mm = grads(lambda: throughput._MatmulNet.apply(
        x, c1.weight, c1.bias, c2.weight, c2.bias, net.p1, net.p2, torch.float32))
    assert z_mm.shape == z_ref.shape == (3, 1, length)
    torch.testing.assert_close(z_mm, z_ref, rtol=1e-4, atol=1e-5)
    for a, b in zip(g_mm, g_ref):
        torch.testing.assert_close(a, b, rtol=1e-3, atol=1e-5)
