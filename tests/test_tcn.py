"""The dilated residual network option of ImpedanceCNN (architecture="tcn")."""

import numpy as np
import pytest
import torch

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.estimators.nn import TemporalConvNet


def test_receptive_field_is_what_the_dilations_say():
    """The output at one sample depends on exactly the inputs within the receptive field."""
    torch.manual_seed(0)
    net = TemporalConvNet(channels=3, kernel_size=3, dilations=(1, 2, 4), in_kernel=5)
    assert net.receptive_field == 5 + 2 * 2 * 7 == 33
    x = torch.randn(1, 1, 101, requires_grad=True)
    net(x)[0, 0, 50].backward()
    support = np.flatnonzero(x.grad[0, 0].numpy() != 0)
    assert support.min() == 50 - 16 and support.max() == 50 + 16


def test_output_length_follows_n_outputs():
    net = TemporalConvNet(channels=2, dilations=(1,), n_outputs=40)
    assert net(torch.zeros(3, 80)).shape == (3, 40)
    with pytest.raises(ValueError, match="odd"):
        TemporalConvNet(kernel_size=4)


def test_tcn_estimator_learns_and_round_trips_its_options():
    X, y = make_impedance_dataset(160, n_samples=120, random_state=0)
    est = ImpedanceCNN(architecture="tcn", module__channels=8, module__dilations=(1, 2, 4),
                       max_epochs=15, random_state=0).fit(X[:128], y[:128])
    assert isinstance(est.module_.core, TemporalConvNet)
    assert est.module_.core.inp.out_channels == 8
    base = np.mean((np.log(y[128:]) - np.log(y[:128]).mean()) ** 2)
    err = np.mean((np.log(est.predict(X[128:])) - np.log(y[128:])) ** 2)
    assert err < 0.8 * base  # measured 0.72 of the mean log-impedance's error
    again = ImpedanceCNN(architecture="tcn", module__channels=8, module__dilations=(1, 2, 4),
                         max_epochs=15, random_state=0).fit(X[:128], y[:128])
    np.testing.assert_array_equal(again.predict(X[128:]), est.predict(X[128:]))
    with pytest.raises(ValueError, match="standardi"):
        ImpedanceCNN(architecture="tcn", standardize=False, max_epochs=1).fit(X, y)
    # short traces are fine: no 300-sample kernel
    ImpedanceCNN(architecture="tcn", module__channels=2, max_epochs=1).fit(X[:8, :20], y[:8, :20])
