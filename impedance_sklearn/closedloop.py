"""Closed-loop (semi-supervised) training: the survey's own seismic as a training signal.

The technique of the semi-supervised inversion codes (e.g. Alfarraj & AlRegib 2019): the
network's impedance for an unlabelled trace is put through a forward model and compared with
the seismic observed there,

.. math:: L = \\underbrace{\\frac{1}{n_w}\\sum_{\\text{wells}} \\| f(x) - t \\|^2}_{\\text{supervised}}
          + \\frac{1}{n_s}\\sum_{\\text{synthetics}} \\| f(x) - t \\|^2
          + \\lambda\\, \\frac{\\| F(g^{-1}(f(x_u))) - x_u \\|^2}{\\| x_u \\|^2},

with :math:`f` the network in its standardised units, :math:`t` the standardised targets and
:math:`F` a differentiable forward model (:class:`~impedance_sklearn.nn.ConvolutionalForward`,
the torch twin of :class:`~impedance_sklearn.forward.ConvolutionalModel`, with the wavelet tied
at the wells). :func:`closed_loop_finetune` applies it to a fitted
:class:`~impedance_sklearn.ImpedanceCNN`; :class:`~impedance_sklearn.FewWellsRegressor` does so
with ``physics_weight > 0``.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from sklearn.utils import check_random_state

from impedance_sklearn.nn import ConvolutionalForward, StandardizedNetwork

__all__ = ["closed_loop_finetune", "physics_misfit"]


def _tensor(a):
    return torch.as_tensor(np.asarray(a, dtype=np.float32))


def physics_misfit(estimator, X, forward):
    """Relative misfit ``||F(predict(X)) - X||^2 / ||X||^2`` of a fitted network's impedance.

    ``forward`` is a torch module mapping impedance (n, L) to seismic (n, L), e.g.
    :class:`~impedance_sklearn.nn.ConvolutionalForward`.
    """
    Z = torch.as_tensor(np.asarray(estimator.predict(X), dtype=np.float64))
    Xt = torch.as_tensor(np.asarray(X, dtype=np.float64))
    with torch.no_grad():
        d = copy.deepcopy(forward).double()(Z)  # the caller's module keeps its dtype
    return float(torch.sum((d - Xt) ** 2) / torch.sum(Xt**2))


def closed_loop_finetune(estimator, X, y, X_unlabeled, wavelet, origin=None, *, weight=1.0,
                         n_steps=200, batch_size=16, lr=3e-4, X_synthetic=None,
                         y_synthetic=None, random_state=None):
    """Fine-tune a fitted, standardised ImpedanceCNN with the closed-loop loss (in place).

    Parameters
    ----------
    estimator : ImpedanceCNN
        Fitted, with ``standardize`` (its module a
        :class:`~impedance_sklearn.nn.StandardizedNetwork`).
    X, y : arrays of shape (n_wells, n_samples)
        Seismic and impedance at the wells (the supervised term).
    X_unlabeled : array of shape (n_traces, n_samples)
        The survey's traces (the physics term).
    wavelet : array-like
        Tied wavelet, amplitude included: ``seismic = wavelet * reflectivity(impedance)``.
    origin : int, optional
        Time zero in ``wavelet`` (default its centre).
    weight : float, default=1.0
        :math:`\\lambda`, the physics term's weight.
    n_steps : int, default=200
        Adam steps.
    batch_size : int, default=16
        Unlabelled (and synthetic) traces per step.
    lr : float, default=3e-4
        Adam's learning rate (constant): small, the network is already trained.
    X_synthetic, y_synthetic : arrays, optional
        Labelled synthetics to keep in the loss (so that the network does not forget them).
    random_state : int, RandomState instance or None

    Returns
    -------
    estimator
    """
    net = estimator.module_
    if not isinstance(net, StandardizedNetwork):
        raise ValueError("closed-loop training needs an ImpedanceCNN fitted with standardize=True "
                         "or 'trace' (its loss is taken in the standardised units).")
    rng = check_random_state(random_state)
    forward = ConvolutionalForward(wavelet, origin).float()
    Xw, Tw = _tensor(X).unsqueeze(1), _tensor(y)
    Xu = _tensor(X_unlabeled).unsqueeze(1)
    u_ms = float(torch.mean(Xu**2)) or 1.0
    syn = X_synthetic is not None and len(X_synthetic) > 0
    if syn:
        Xs, Ts = _tensor(X_synthetic).unsqueeze(1), _tensor(y_synthetic)
    gen = torch.Generator().manual_seed(int(rng.randint(2**31 - 1)))
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    net.train()
    for _ in range(int(n_steps)):
        opt.zero_grad()
        sup = torch.mean((net.standardize(net(Xw).squeeze(1)) - net.standardize(Tw)) ** 2)
        loss = sup
        if syn:
            i = torch.randint(len(Xs), (batch_size,), generator=gen)
            loss = loss + torch.mean(
                (net.standardize(net(Xs[i]).squeeze(1)) - net.standardize(Ts[i])) ** 2)
        if weight > 0:
            j = torch.randint(len(Xu), (batch_size,), generator=gen)
            d = forward(net(Xu[j]).squeeze(1))
            loss = loss + weight * torch.mean((d - Xu[j].squeeze(1)) ** 2) / u_ms
        loss.backward()
        opt.step()
    net.eval()
    return estimator
