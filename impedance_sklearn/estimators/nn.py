"""Torch modules: the Das et al. (2019) network, a dilated residual network, and the torch twin
of the convolutional forward model.

* :class:`ImpedanceModule` -- the seed's two-layer network (``Conv1d(1 -> n_filters, k)`` +
  ReLU, ``Conv1d(n_filters -> 1, k)`` + output activation), whose output has the input's length
  for every kernel size and every trace length, by direct or FFT convolution (``_FFTConvNet``,
  an autograd Function with a hand-written backward; ``FFT_MIN_KERNEL`` picks between them);
* :class:`TemporalConvNet` -- dilated residual blocks (``architecture="tcn"``);
* :class:`ConvolutionalForward` -- impedance -> reflectivity -> convolution with a wavelet, the
  differentiable twin of :class:`impedance_sklearn.physics.forward.ConvolutionalModel` (same
  numbers as :func:`impedance_sklearn.physics.convolve_traces` of
  :func:`~impedance_sklearn.physics.reflectivity`), for the closed-loop loss;
* :func:`same_padding` (the padding below), :func:`resample_torch` (outputs to ``n_outputs``
  samples, the semantics of :func:`~impedance_sklearn.physics.transforms.resample_traces`),
  :func:`check_device`.

The standardised units the estimator trains these in are :mod:`impedance_sklearn.estimators.scaling`;
:class:`~impedance_sklearn.ImpedanceCNN` (:mod:`impedance_sklearn.estimators.cnn`) is the
scikit-learn estimator around them.

Padding scheme
--------------
Each layer is a cross-correlation ``h[i] = b + sum_j w[j] x[i + j - p]`` with ``p`` zeros on both
sides, which changes the length from ``L`` to ``L + 2 p - k + 1``. Two layers keep the length when
``p1 + p2 = k - 1``; the package uses::

    p1 = (k - 1) // 2,    p2 = k - 1 - p1

For odd ``k`` both layers are "same" convolutions (``p1 = p2 = (k - 1) / 2``). For even ``k`` the
first layer shortens the trace by one sample and the second lengthens it by one: this is exactly
the seed's ``p = int((k - 3) / 2)``, ``p1 = p + 1``, ``p2 = p + 2`` for every even ``k >= 4``
(for ``k = 300``: 149 and 150, 331 -> 330 -> 331 samples), so the seed's weights give the seed's
numbers. (The seed's formula itself adds two samples for odd ``k`` and four for ``k = 2``.)
Traces shorter than the kernel are handled by the same formula (the padding is applied
explicitly, so a one-sample trace works for every ``k``).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from scipy.fft import next_fast_len
from torch import nn

__all__ = [
    "ImpedanceModule",
    "TemporalConvNet",
    "ConvolutionalForward",
    "same_padding",
    "resample_torch",
    "check_device",
]

#: Kernel sizes at or above this use FFT convolution on the CPU when ``conv_mode="auto"``
#: (measured crossover, see ``benchmarks/throughput.py`` and docs/cnn.md).
FFT_MIN_KERNEL = 16
#: Traces per FFT block: larger blocks fall out of the CPU caches and get slower per trace.
FFT_CHUNK = 32


def same_padding(kernel_size):
    """Zero padding ``(p1, p2)`` of the two layers that keeps the trace length.

    ``p1 = (k - 1) // 2`` and ``p2 = k - 1 - p1``; equal to the seed's
    ``int((k - 3) / 2) + 1`` and ``+ 2`` for every even ``k >= 4``.

    Parameters
    ----------
    kernel_size : int >= 1

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> same_padding(300)
    (149, 150)
    >>> same_padding(5)
    (2, 2)
    """
    k = int(kernel_size)
    if k < 1:
        raise ValueError(f"kernel_size must be >= 1, got {kernel_size}.")
    p1 = (k - 1) // 2
    return p1, k - 1 - p1


def resample_torch(y, n_out):
    """Resample the last axis of ``y`` to ``n_out`` samples (torch twin of ``resample_traces``).

    Fewer samples: ``adaptive_avg_pool1d`` (bin means); more samples: linear interpolation with
    ``align_corners=False``; equal: ``y`` itself.

    Parameters
    ----------
    y : Tensor of shape (n, c, n_in)
    n_out : int >= 1

    Returns
    -------
    Tensor of shape (n, c, n_out)

    Examples
    --------
    >>> import torch
    >>> resample_torch(torch.tensor([[[1.0, 2.0, 3.0, 4.0]]]), 2)
    tensor([[[1.5000, 3.5000]]])
    """
    n_in = y.shape[-1]
    if n_out is None or n_out == n_in:
        return y
    if n_out < n_in:
        return F.adaptive_avg_pool1d(y, n_out)
    return F.interpolate(y, size=n_out, mode="linear", align_corners=False)


def _corr_direct(x, w, b, pad_left, out_len):
    """``y[:, o, i] = b[o] + sum_{c, j} w[o, c, j] x[:, c, i + j - pad_left]``, zeros outside x."""
    n, _, length = x.shape
    k = w.shape[-1]
    if out_len <= 0:
        return x.new_zeros((n, w.shape[0], 0))
    pad_right = out_len + k - 1 - pad_left - length
    if length == 0:
        xp = x.new_zeros((n, x.shape[1], out_len + k - 1))
    else:
        xp = F.pad(x, (pad_left, pad_right))
    return F.conv1d(xp, w, b)


def _fft_plan(len_sig, len_ker, start, out_len):
    """FFT size for samples ``[start, start + out_len)`` of a full linear convolution.

    The full convolution of a ``len_sig`` signal and a ``len_ker`` kernel has
    ``len_sig + len_ker - 1`` samples; a circular convolution of size ``N`` leaves samples
    ``[lo, hi)`` free of wrap-around when ``N >= hi`` and ``N >= len_sig + len_ker - 1 - lo``.
    Returns ``(N, lo, hi)`` with ``[lo, hi)`` the wanted samples inside the support, or
    ``(None, 0, 0)`` when none is.
    """
    full = len_sig + len_ker - 1
    lo, hi = max(start, 0), min(start + out_len, full)
    if hi <= lo or len_sig == 0:
        return None, 0, 0
    return next_fast_len(max(len_sig, len_ker, hi, full - lo), real=True), lo, hi


def _take(c, start, out_len, lo, hi):
    """Samples ``[start, start + out_len)`` of a circular result ``c`` (zero outside [lo, hi))."""
    if lo == start and hi == start + out_len:
        return c[..., start : start + out_len]
    if hi <= lo:
        return c.new_zeros(c.shape[:-1] + (out_len,))
    return F.pad(c[..., lo:hi], (lo - start, start + out_len - hi))


class _FFTConvNet(torch.autograd.Function):
    """``z = corr(relu(corr(x, w1) + b1), w2) + b2`` by FFTs, with a hand-written backward.

    ``corr(x, w)[i] = sum_j w[j] x[i + j - p]`` (``F.conv1d`` with padding p) is the sample
    ``i + k - 1 - p`` of the full convolution of x with the flipped kernel. The backward pass
    uses the same identity: ``dx = corr(dz, flip(w)^T)`` with padding ``k - 1 - p`` and
    ``dw[j] = sum_{n,i} dz[i] x[i + j - p]``. autograd through ``rfft``/``irfft`` would give the
    same numbers but spends about half of the time in zero-filling and copies.
    """

    @staticmethod
    def forward(ctx, x, w1, b1, w2, b2, p1, p2):
        n_tr, _, length = x.shape
        c, _, k = w1.shape
        len1 = length + 2 * p1 - k + 1
        n1, lo1, hi1 = _fft_plan(length, k, k - 1 - p1, len1)
        n2, lo2, hi2 = _fft_plan(max(len1, 0), k, k - 1 - p2, length)
        if n1 is None:  # no hidden sample: the hidden layer is all padding
            g = x.new_zeros((n_tr, c, max(len1, 0)))
        else:
            w1_f = torch.fft.rfft(w1[:, 0].flip(-1), n=n1)  # (c, f1)
            h = torch.fft.irfft(torch.fft.rfft(x, n=n1) * w1_f, n=n1)
            h = _take(h, k - 1 - p1, len1, lo1, hi1) + b1[:, None]
            g = torch.relu(h)
        if n2 is None:
            z = b2.view(1, 1, 1).expand(n_tr, 1, length).clone()
            g_f = None
        else:
            w2_f = torch.fft.rfft(w2[0].flip(-1), n=n2)  # (c, f2)
            g_f = torch.fft.rfft(g, n=n2)  # (n, c, f2)
            z = torch.fft.irfft((g_f * w2_f).sum(1, keepdim=True), n=n2)
            z = _take(z, k - 1 - p2, length, lo2, hi2) + b2.view(1, 1, 1)
        ctx.save_for_backward(x, w1, w2, g)
        ctx.geom = (p1, p2, n2, g_f)
        return z

    @staticmethod
    def backward(ctx, dz):
        x, w1, w2, g = ctx.saved_tensors
        p1, p2, n2, g_f = ctx.geom
        ctx.geom = None
        n_tr, _, length = x.shape
        c, _, k = w1.shape
        len1 = g.shape[-1]
        dz = dz.contiguous()
        db2 = dz.sum((0, 2)).reshape(1)
        # dw2[c, j] = sum_{n,i} dz[n, i] g[n, c, i + j - p2]
        nw, lo, hi = _fft_plan(len1, length, length - 1 - p2, k)
        if nw is None:
            dw2 = w2.new_zeros((c, k))
        else:
            gf = g_f if (g_f is not None and nw == n2) else torch.fft.rfft(g, n=nw)
            dzr_f = torch.fft.rfft(dz.flip(-1), n=nw)  # (n, 1, f)
            dw2 = torch.fft.irfft((gf * dzr_f).sum(0), n=nw)
            dw2 = _take(dw2, length - 1 - p2, k, lo, hi)
        # dg = corr(dz, flip(w2)^T) with padding k - 1 - p2
        nd, lo, hi = _fft_plan(length, k, p2, len1)
        if nd is None:
            dx = x.new_zeros(x.shape) if ctx.needs_input_grad[0] else None
            return dx, w1.new_zeros(w1.shape), w1.new_zeros(c), dw2.view(1, c, k), db2, None, None
        dh = torch.fft.irfft(torch.fft.rfft(dz, n=nd) * torch.fft.rfft(w2[0], n=nd), n=nd)
        # ReLU's backward (the gradient where the hidden activation is positive)
        dh = torch.ops.aten.threshold_backward(_take(dh, p2, len1, lo, hi), g, 0.0)
        db1 = dh.sum((0, 2))
        # dw1[c, j] = sum_{n,i} dh[n, c, i] x[n, i + j - p1]
        nw, lo, hi = _fft_plan(length, len1, len1 - 1 - p1, k)
        if nw is None:
            dw1 = w1.new_zeros((c, k))
        else:
            prod = torch.fft.rfft(dh.flip(-1), n=nw) * torch.fft.rfft(x, n=nw)
            dw1 = _take(torch.fft.irfft(prod.sum(0), n=nw), len1 - 1 - p1, k, lo, hi)
        dx = None
        if ctx.needs_input_grad[0]:  # dx = corr(dh, flip(w1)^T) with padding k - 1 - p1
            nx, lo, hi = _fft_plan(len1, k, p1, length)
            if nx is None:
                dx = x.new_zeros(x.shape)
            else:
                dx_f = (torch.fft.rfft(dh, n=nx) * torch.fft.rfft(w1[:, 0], n=nx)).sum(1, True)
                dx = _take(torch.fft.irfft(dx_f, n=nx), p1, length, lo, hi)
        return dx, dw1.view(c, 1, k), db1, dw2.view(1, c, k), db2, None, None


class ImpedanceModule(nn.Module):
    """The seed's network: two 1-D convolutions with the trace length preserved.

    ``layer1 = Conv1d(1, n_filters, k) + ReLU``, ``layer2 = Conv1d(n_filters, 1, k) + output
    activation``, with the zero padding of :func:`same_padding`. The submodule names
    (``layer1.0``, ``layer2.0``) are the seed's, so the seed's ``state_dict`` loads directly.

    Parameters
    ----------
    kernel_size : int, default=300
        Length of both convolution kernels.
    n_filters : int, default=60
        Channels between the two layers.
    output_activation : {"relu", "linear"} or None, default="relu"
        Activation of the last layer. ``"relu"`` is the seed's (impedance is positive);
        ``"linear"`` (or None) suits a standardised target.
    n_outputs : int or None, default=None
        Samples per output trace. None: the input's length. Otherwise the network's output is
        resampled with :func:`resample_torch` (bin means when coarser, linear interpolation
        when finer), as :func:`impedance_sklearn.estimators._base.resample_traces` does in numpy.
    conv_mode : {"auto", "direct", "fft"}, default="auto"
        How the convolutions are computed; all give the same function to float32 round-off.
        ``"auto"``: FFT on the CPU for ``kernel_size >= 16`` (measured crossover), direct
        (``F.conv1d``; cuDNN on a GPU) otherwise.

    Examples
    --------
    >>> import torch
    >>> m = ImpedanceModule(kernel_size=4, n_filters=3)
    >>> m(torch.zeros(2, 1, 7)).shape
    torch.Size([2, 1, 7])
    >>> m(torch.zeros(2, 7)).shape  # 2-D in, 2-D out
    torch.Size([2, 7])
    """

    def __init__(
        self, kernel_size=300, n_filters=60, output_activation="relu", n_outputs=None,
        conv_mode="auto",
    ):
        super().__init__()
        if output_activation not in ("relu", "linear", None):
            raise ValueError(
                f"output_activation must be 'relu', 'linear' or None, got {output_activation!r}."
            )
        if conv_mode not in ("auto", "direct", "fft"):
            raise ValueError(f"conv_mode must be 'auto', 'direct' or 'fft', got {conv_mode!r}.")
        self.kernel_size = int(kernel_size)
        self.n_filters = int(n_filters)
        if self.n_filters < 1:
            raise ValueError(f"n_filters must be >= 1, got {n_filters}.")
        self.p1, self.p2 = same_padding(self.kernel_size)
        self.n_outputs = n_outputs
        self.conv_mode = conv_mode
        self.layer1 = nn.Sequential(
            nn.Conv1d(1, self.n_filters, self.kernel_size, padding=self.p1), nn.ReLU()
        )
        out_act = nn.ReLU() if output_activation == "relu" else nn.Identity()
        self.layer2 = nn.Sequential(
            nn.Conv1d(self.n_filters, 1, self.kernel_size, padding=self.p2), out_act
        )

    def _use_fft(self, x):
        if self.conv_mode != "auto":
            return self.conv_mode == "fft"
        return x.device.type == "cpu" and self.kernel_size >= FFT_MIN_KERNEL

    def forward(self, x):
        """Map seismic ``x`` (n, 1, L) or (n, L) to impedance of the same rank.

        The last axis has ``n_outputs`` samples (L when ``n_outputs`` is None).
        """
        squeeze = x.dim() == 2
        if squeeze:
            x = x.unsqueeze(1)
        if x.dim() != 3 or x.shape[1] != 1:
            raise ValueError(f"expected input of shape (n, L) or (n, 1, L), got {tuple(x.shape)}.")
        length = x.shape[-1]
        k = self.kernel_size
        len1 = length + 2 * self.p1 - k + 1  # L for odd k, L - 1 for even k
        conv1, conv2 = self.layer1[0], self.layer2[0]
        if self._use_fft(x):
            # FFT_CHUNK traces at a time: larger blocks fall out of the CPU caches
            args = (conv1.weight, conv1.bias, conv2.weight, conv2.bias, self.p1, self.p2)
            outs = [_FFTConvNet.apply(xc, *args) for xc in x.split(FFT_CHUNK)]
            y = outs[0] if len(outs) == 1 else torch.cat(outs)
        else:
            h = self.layer1[1](_corr_direct(x, conv1.weight, conv1.bias, self.p1, len1))
            y = _corr_direct(h, conv2.weight, conv2.bias, self.p2, length)
        y = resample_torch(self.layer2[1](y), self.n_outputs)
        return y.squeeze(1) if squeeze else y


class _ResidualBlock(nn.Module):
    def __init__(self, channels, kernel_size, dilation):
        super().__init__()
        pad = dilation * (kernel_size - 1) // 2
        self.c1 = nn.Conv1d(channels, channels, kernel_size, padding=pad, dilation=dilation)
        self.c2 = nn.Conv1d(channels, channels, kernel_size, padding=pad, dilation=dilation)
        self.act = nn.GELU()

    def forward(self, x):
        return x + self.c2(self.act(self.c1(self.act(x))))


class TemporalConvNet(nn.Module):
    """A non-causal dilated residual network (TCN): a wider view than the seed's two layers.

    An input convolution (1 -> ``channels``, kernel ``in_kernel``), one residual block (GELU,
    dilated convolution, GELU, dilated convolution, plus the input) per dilation, GELU and a 1x1
    output convolution (linear: for a standardised target); receptive field ``in_kernel + 2
    (kernel_size - 1) sum(dilations)`` samples (1,029 by default, 50,017 parameters). The
    second convolution of each block starts scaled by ``1 / sqrt(len(dilations))``.

    Examples
    --------
    >>> import torch
    >>> net = TemporalConvNet(channels=4, dilations=(1, 2))
    >>> net(torch.zeros(3, 1, 50)).shape, net.receptive_field
    (torch.Size([3, 1, 50]), 21)
    """

    def __init__(self, channels=32, kernel_size=3, dilations=(1, 2, 4, 8, 16, 32, 64, 128),
                 in_kernel=9, n_outputs=None):
        super().__init__()
        if kernel_size % 2 != 1 or in_kernel % 2 != 1:
            raise ValueError(f"kernel_size and in_kernel must be odd, got {kernel_size} and "
                             f"{in_kernel}.")
        self.n_outputs = n_outputs
        self.inp = nn.Conv1d(1, channels, in_kernel, padding=in_kernel // 2)
        self.blocks = nn.Sequential(*[_ResidualBlock(channels, kernel_size, int(d))
                                      for d in dilations])
        self.act = nn.GELU()
        self.out = nn.Conv1d(channels, 1, 1)
        with torch.no_grad():
            for b in self.blocks:
                b.c2.weight.mul_(1.0 / np.sqrt(len(dilations)))
        self.receptive_field = in_kernel + 2 * (kernel_size - 1) * int(sum(dilations))

    def forward(self, x):
        """(n, 1, L) -> (n, 1, n_outputs or L); (n, L) -> (n, n_outputs or L)."""
        squeeze = x.dim() == 2
        if squeeze:
            x = x.unsqueeze(1)
        y = resample_torch(self.out(self.act(self.blocks(self.inp(x)))), self.n_outputs)
        return y.squeeze(1) if squeeze else y


class ConvolutionalForward(nn.Module):
    r"""Differentiable convolutional model: impedance traces -> seismic traces (torch).

    .. math:: d[j] = \sum_k w[k]\, r[j - k + o], \qquad r[0] = 0, \quad
              r[j] = \frac{Z_j - Z_{j-1}}{Z_j + Z_{j-1}} \;(\text{exact}) \text{ or }
              \tfrac12 (\ln Z_j - \ln Z_{j-1}) \;(\text{log}),

    the torch twin of :class:`impedance_sklearn.physics.forward.ConvolutionalModel`: for the same
    wavelet and origin it returns ``physics.convolve_traces(physics.reflectivity(Z, pad=True),
    wavelet, origin)`` to float round-off, with gradients.

    Parameters
    ----------
    wavelet : array-like of shape (n_w,)
        Wavelet (stored as a float64 buffer, moved and cast with the module; the convolution
        runs in the dtype of the input).
    origin : int, optional
        Index of time zero in the wavelet; default the centre sample.
    reflectivity : {"exact", "log"}, default="exact"

    Examples
    --------
    >>> import numpy as np, torch
    >>> from impedance_sklearn.physics import convolve_traces, reflectivity, ricker
    >>> w = ricker(30.0, 0.002, 0.1)
    >>> Z = np.exp(np.random.default_rng(0).normal(0, 0.1, (3, 80)).cumsum(1))
    >>> d = ConvolutionalForward(w)(torch.tensor(Z, dtype=torch.float64)).numpy()
    >>> bool(np.allclose(d, convolve_traces(reflectivity(Z, pad=True), w)))
    True
    """

    def __init__(self, wavelet, origin=None, reflectivity="exact"):
        super().__init__()
        w = torch.as_tensor(np.asarray(wavelet, dtype=np.float64)).flatten()
        if w.numel() == 0:
            raise ValueError("wavelet is empty; expected at least one sample.")
        if reflectivity not in ("exact", "log"):
            raise ValueError(f"reflectivity must be 'exact' or 'log', got {reflectivity!r}.")
        self.origin = w.numel() // 2 if origin is None else int(origin)
        self.reflectivity = reflectivity
        # conv1d is a correlation: flip the wavelet to convolve
        self.register_buffer("kernel", w.flip(0).view(1, 1, -1))

    def reflectivity_series(self, Z):
        """Reflectivity on the time grid of ``Z`` (n, L) or (n, 1, L): ``r[..., 0] = 0``."""
        if self.reflectivity == "log":
            r = 0.5 * torch.diff(torch.log(Z), dim=-1)
        else:
            r = (Z[..., 1:] - Z[..., :-1]) / (Z[..., 1:] + Z[..., :-1])
        return F.pad(r, (1, 0))

    def forward(self, Z):
        """Seismic of impedance ``Z`` (n, L) or (n, 1, L), same shape."""
        squeeze = Z.dim() == 2
        r = self.reflectivity_series(Z.unsqueeze(1) if squeeze else Z)
        k = self.kernel.to(r.dtype)
        n_w, length = k.shape[-1], r.shape[-1]
        # d[j] = sum_k w[k] r[j - k + o]: full convolution sample j + o
        left, right = n_w - 1 - self.origin, self.origin
        d = F.conv1d(F.pad(r, (max(left, 0), max(right, 0))), k)
        start = max(-left, 0)
        d = d[..., start : start + length]
        if d.shape[-1] < length:
            d = F.pad(d, (0, length - d.shape[-1]))
        return d.squeeze(1) if squeeze else d


def check_device(device):
    """Return ``device`` if torch can use it here, else raise a ValueError naming it."""
    if device is None:
        return device
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a torch device; expected 'cpu', 'cuda', 'cuda:N', 'mps' "
            "or None."
        ) from exc
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                f"device={device!r} but CUDA is not available with this torch build "
                f"({torch.__version__}); use device='cpu' or install a CUDA build of torch."
            )
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ValueError(
                f"device={device!r} but only {torch.cuda.device_count()} CUDA device(s) exist."
            )
    elif dev.type == "mps":
        if not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
            raise ValueError(f"device={device!r} but MPS is not available on this machine.")
    elif dev.type != "cpu":
        raise ValueError(
            f"device={device!r} is not supported; expected 'cpu', 'cuda', 'cuda:N', 'mps' or None."
        )
    return device
