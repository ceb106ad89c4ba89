"""The standardised units a network learns in: whitened seismic over its RMS in, standardised
(log-)impedance out, bounded smoothly to the range seen in training.

* :class:`StandardizedNetwork` -- any core network wrapped in its fitted scalings (buffers, so a
  ``state_dict`` carries them): the module :class:`~impedance_sklearn.ImpedanceCNN` trains;
* :func:`whitening_filter` -- the zero-phase gains that flatten the training spectrum;
* :func:`per_trace_rms` -- each trace's RMS (``standardize="trace"``);
* :func:`soft_clip` -- the smooth bound into ``y_range_``.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["StandardizedNetwork", "whitening_filter", "per_trace_rms", "soft_clip"]


def per_trace_rms(x, floor=1e-30):
    """RMS of each trace along the last axis (kept as a length-1 axis), never below ``floor``:
    an all-zero trace stays zero when divided by it."""
    if isinstance(x, torch.Tensor):
        return torch.sqrt(torch.mean(x * x, dim=-1, keepdim=True)).clamp_min(floor)
    return np.maximum(np.sqrt(np.mean(np.square(x), axis=-1, keepdims=True)), floor)


class StandardizedNetwork(nn.Module):
    r"""A network that learns in standardised units: raw seismic in, impedance out.

    .. math:: \hat y = g^{-1}\big(\mu + \sigma\, f(\, W x / s \,)\big),

    where :math:`W` is an optional zero-phase whitening filter (gains on an rFFT grid, traces
    zero-padded to ``n_fft = 2 (len(prefilter) - 1)``), :math:`s` the training seismic's global
    RMS after it, :math:`f` the core network (linear output), and :math:`g` the target transform
    (``log`` -- impedance positive by construction -- or the identity) with the training
    target's mean :math:`\mu` and standard deviation :math:`\sigma` in that domain. The constants
    are buffers, so that a ``state_dict`` carries them.

    Parameters
    ----------
    core : nn.Module
        Maps (n, 1, L) to (n, 1, L') standardised outputs.
    x_scale, y_loc, y_scale : float
    log_target : bool, default=True
    prefilter : array-like of shape (n_fft // 2 + 1,), optional
    per_trace : bool, default=False
        Divide each (whitened) trace by its own RMS before :math:`s`: the prediction does not
        depend on the traces' amplitude (a field survey's gain is arbitrary).
    t_range : (float, float), optional
        Bounds of the target (ln Z when ``log_target``) that no output crosses: the output is
        :func:`soft_clip`-ed into them (identity well inside, smooth near the bounds), so
        input unlike the training data cannot give an absurd impedance.

    Examples
    --------
    >>> import torch
    >>> from impedance_sklearn.estimators.nn import ImpedanceModule
    >>> net = StandardizedNetwork(ImpedanceModule(5, 2, output_activation="linear"),
    ...                           x_scale=0.05, y_loc=1.7, y_scale=0.15)
    >>> bool((net(torch.zeros(3, 1, 40)) > 0).all())  # exp(...): impedance stays positive
    True
    """

    def __init__(self, core, x_scale=1.0, y_loc=0.0, y_scale=1.0, log_target=True,
                 prefilter=None, per_trace=False, t_range=None):
        super().__init__()
        self.core = core
        # plain floats, not buffers: state_dicts written before the bound existed still load
        self.t_range = None if t_range is None else (float(t_range[0]), float(t_range[1]))
        if self.t_range is not None and not self.t_range[0] < self.t_range[1]:
            raise ValueError(f"t_range must be (low, high) with low < high, got {t_range!r}.")
        self.log_target = bool(log_target)
        self.per_trace = bool(per_trace)
        pf = torch.zeros(0) if prefilter is None else torch.as_tensor(
            np.asarray(prefilter, dtype=np.float32))
        self.register_buffer("prefilter", pf)
        self.register_buffer("x_scale", torch.tensor(float(x_scale)))
        self.register_buffer("y_loc", torch.tensor(float(y_loc)))
        self.register_buffer("y_scale", torch.tensor(float(y_scale)))

    def scale_input(self, x):
        """Whitened, RMS-scaled seismic (what the core sees)."""
        if self.prefilter.numel():
            n_fft, length = 2 * (self.prefilter.numel() - 1), x.shape[-1]
            x = torch.fft.irfft(torch.fft.rfft(x, n=n_fft) * self.prefilter, n=n_fft)[..., :length]
        if self.per_trace:
            x = x / per_trace_rms(x)
        return x / self.x_scale

    def standardize(self, y):
        """Impedance -> the core's standardised units (for the loss)."""
        t = torch.log(y) if self.log_target else y
        return (t - self.y_loc) / self.y_scale

    def forward(self, x):
        """Impedance of seismic ``x`` (n, 1, L) or (n, L), same rank."""
        squeeze = x.dim() == 2
        if squeeze:
            x = x.unsqueeze(1)
        t = self.y_loc + self.y_scale * self.core(self.scale_input(x))
        if self.t_range is not None:
            t = soft_clip(t, *self.t_range)
        y = torch.exp(t) if self.log_target else t
        return y.squeeze(1) if squeeze else y


def soft_clip(t, low, high, sharpness=30.0):
    """``t`` bounded smoothly to ``[low, high]``: ``low + softplus(t - low) - softplus(t - high)``
    with softplus of slope ``sharpness / (high - low)``.

    Inside the middle two thirds of the interval it is the identity to within
    ``1e-3 * (high - low)``; beyond the bounds it tends to them; it is monotone and smooth, so
    gradients flow during training.

    Examples
    --------
    >>> import torch
    >>> [round(v, 6) for v in soft_clip(torch.tensor([-100.0, 0.5, 100.0]), 0.0, 1.0).tolist()]
    [0.0, 0.5, 1.0]
    """
    span = high - low
    beta = sharpness / span
    # a hard clamp one span beyond the bounds first (where the curve is flat to 1e-13 x span):
    # without it, softplus(t - low) - softplus(t - high) cancels catastrophically for large t
    t = t.clamp(low - span, high + span)
    return low + F.softplus(t - low, beta=beta) - F.softplus(t - high, beta=beta)


def whitening_filter(X, floor, n_fft):
    """Zero-phase gains ``1 / max(S(f) / max S, floor)``, ``S`` the RMS amplitude spectrum of the
    traces zero-padded to ``n_fft`` (None when the traces have no energy)."""
    S = np.sqrt(np.mean(np.abs(np.fft.rfft(X, n=n_fft, axis=-1)) ** 2, axis=0))
    if not S.max() > 0:
        return None
    return 1.0 / np.maximum(S / S.max(), floor)
