"""Closed-loop (semi-supervised) training: the survey's own seismic as a training signal.

The technique of the semi-supervised inversion codes (e.g. Alfarraj & AlRegib 2019): the
network's impedance for an unlabelled trace is put through a forward model and compared with
the seismic observed there,

.. math:: L = \\underbrace{\\frac{1}{n_w}\\sum_{\\text{wells}} \\| f(x) - t \\|^2}_{\\text{supervised}}
          + \\frac{1}{n_s}\\sum_{\\text{synthetics}} \\| f(x) - t \\|^2
          + \\lambda\\, \\frac{\\| F(g^{-1}(f(x_u))) - x_u \\|^2}{\\| x_u \\|^2},

with :math:`f` the network in its standardised units, :math:`t` the standardised targets and
:math:`F` a differentiable forward model (:class:`~impedance_sklearn.estimators.nn.ConvolutionalForward`,
the torch twin of :class:`~impedance_sklearn.physics.forward.ConvolutionalModel`, with the wavelet tied
at the wells). :func:`closed_loop_finetune` applies it to a fitted
:class:`~impedance_sklearn.ImpedanceCNN`; :class:`~impedance_sklearn.FewWellsRegressor` does so
with ``physics_weight > 0``.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from sklearn.utils import check_random_state
from skorch import NeuralNet

from impedance_sklearn.estimators.nn import ConvolutionalForward
from impedance_sklearn.estimators.scaling import StandardizedNetwork

__all__ = ["ClosedLoopTrainer", "closed_loop_finetune", "physics_misfit"]


def _tensor(a):
    return torch.as_tensor(np.asarray(a, dtype=np.float32))


def physics_misfit(estimator, X, forward):
    """Relative misfit ``||F(predict(X)) - X||^2 / ||X||^2`` of a fitted network's impedance.

    ``forward`` is a torch module mapping impedance (n, L) to seismic (n, L), e.g.
    :class:`~impedance_sklearn.estimators.nn.ConvolutionalForward`.
    """
    Z = torch.as_tensor(np.asarray(estimator.predict(X), dtype=np.float64))
    Xt = torch.as_tensor(np.asarray(X, dtype=np.float64))
    with torch.no_grad():
        d = copy.deepcopy(forward).double()(Z)  # the caller's module keeps its dtype
    return float(torch.sum((d - Xt) ** 2) / torch.sum(Xt**2))


class ClosedLoopTrainer(NeuralNet):
    """skorch's training loop with the closed-loop loss, on a fitted standardised network.

    One epoch is one Adam step on every well trace (one batch), plus ``n_draw`` synthetics
    and ``n_draw`` unlabelled traces drawn at random in :meth:`get_loss`. The module is the
    fitted :class:`~impedance_sklearn.estimators.scaling.StandardizedNetwork` itself (trained in place); the
    losses are skorch's ``history_``.
    """

    def __init__(self, module, *, physics, X_unlabeled, X_synthetic=None, y_synthetic=None,
                 weight=1.0, n_draw=16, seed=0, **kwargs):
        self.physics = physics
        self.X_unlabeled = X_unlabeled
        self.X_synthetic = X_synthetic
        self.y_synthetic = y_synthetic
        self.weight = weight
        self.n_draw = n_draw
        self.seed = seed
        super().__init__(module, criterion=torch.nn.MSELoss, **kwargs)

    def initialize(self):
        """skorch's, plus the draw generator and the tensors of the unlabelled traces."""
        super().initialize()
        self._gen = torch.Generator().manual_seed(int(self.seed))
        self._Xu = _tensor(self.X_unlabeled).unsqueeze(1)
        self._u_ms = float(torch.mean(self._Xu**2)) or 1.0
        syn = self.X_synthetic is not None and len(self.X_synthetic) > 0
        self._syn = (_tensor(self.X_synthetic).unsqueeze(1), _tensor(self.y_synthetic)) \
            if syn else None
        return self

    def _standardized_mse(self, y_pred, y_true):
        net = self.module_
        return super().get_loss(net.standardize(y_pred.squeeze(1)), net.standardize(y_true))

    def get_loss(self, y_pred, y_true, X=None, training=False):
        """Wells (MSE in standardised units) + synthetics + ``weight`` x relative misfit."""
        loss = self._standardized_mse(y_pred, torch.as_tensor(y_true))
        if not training:
            return loss
        if self._syn is not None:
            Xs, Ts = self._syn
            i = torch.randint(len(Xs), (self.n_draw,), generator=self._gen)
            loss = loss + self._standardized_mse(self.module_(Xs[i]), Ts[i])
        if self.weight > 0:
            j = torch.randint(len(self._Xu), (self.n_draw,), generator=self._gen)
            d = self.physics(self.module_(self._Xu[j]).squeeze(1))
            loss = loss + self.weight * torch.mean((d - self._Xu[j].squeeze(1)) ** 2) / self._u_ms
        return loss


def closed_loop_finetune(estimator, X, y, X_unlabeled, wavelet, origin=None, *, weight=1.0,
                         n_steps=200, batch_size=16, lr=3e-4, X_synthetic=None,
                         y_synthetic=None, random_state=None, callbacks=None):
    """Fine-tune a fitted, standardised ImpedanceCNN with the closed-loop loss (in place).

    Parameters
    ----------
    estimator : ImpedanceCNN
        Fitted, with ``standardize`` (its module a
        :class:`~impedance_sklearn.estimators.scaling.StandardizedNetwork`).
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
    callbacks : list of (name, callback), optional
        skorch callbacks of the run (one epoch is one step).

    Returns
    -------
    estimator
        Its ``closed_loop_history_`` holds the run's losses (skorch's ``History``).
    """
    net = estimator.module_
    if not isinstance(net, StandardizedNetwork):
        raise ValueError("closed-loop training needs an ImpedanceCNN fitted with standardize=True "
                         "or 'trace' (its loss is taken in the standardised units).")
    rng = check_random_state(random_state)
    Xw = np.asarray(X, dtype=np.float32)[:, np.newaxis, :]
    trainer = ClosedLoopTrainer(
        net, physics=ConvolutionalForward(wavelet, origin).float(), X_unlabeled=X_unlabeled,
        X_synthetic=X_synthetic, y_synthetic=y_synthetic, weight=weight, n_draw=batch_size,
        seed=int(rng.randint(2**31 - 1)), optimizer=torch.optim.Adam, lr=lr,
        max_epochs=int(n_steps), batch_size=len(Xw), train_split=None,
        iterator_train__shuffle=False, callbacks=callbacks, verbose=0)
    trainer.partial_fit(Xw, np.asarray(y, dtype=np.float32))
    net.eval()
    estimator.closed_loop_history_ = trainer.history_
    return estimator
