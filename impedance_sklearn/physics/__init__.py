"""Forward physics of post-stack seismic: wavelets, reflectivity, convolution, Kennett modelling.

Pure numpy/scipy (no torch), vectorised over traces. Conventions shared by every function:

* traces are rows, time (or depth) runs along the **last axis**;
* times are in seconds, frequencies in hertz, velocities in m/s, densities in kg/m^3,
  thicknesses in metres and impedances in any consistent unit (``Z = vp * rho``);
* a wavelet is a 1-D array ``w`` whose time zero sits at sample ``origin``: ``len(w) // 2`` for
  the zero-phase wavelets of :func:`ricker` and :func:`ormsby`, ``0`` for the causal output of
  :func:`minimum_phase`;
* reflection coefficients use the pressure convention, positive where impedance increases
  downwards: ``r = (Z_below - Z_above) / (Z_below + Z_above)``.

The functions are small and composable, in the spirit of PyLops: each docstring states the
equation it implements.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.fft as sfft
import scipy.linalg
from scipy.signal import fftconvolve

from impedance_sklearn._validation import check_origin as _check_origin
from impedance_sklearn._validation import check_positive_float as _positive_scalar
from impedance_sklearn._validation import finite_array as _finite_array
from impedance_sklearn.physics._kernels import kennett_response
from impedance_sklearn.physics.wavelets import (
    das2019_wavelet,
    minimum_phase,
    ormsby,
    ricker,
)

__all__ = [
    "ricker",
    "ormsby",
    "minimum_phase",
    "das2019_wavelet",
    "reflectivity",
    "impedance_from_reflectivity",
    "convolve_traces",
    "estimate_wavelet",
    "kennett",
    "depth_to_time",
    "layer_times",
]


# --------------------------------------------------------------------------------------------
# reflectivity
# --------------------------------------------------------------------------------------------
_METHODS = ("exact", "log")


def reflectivity(Z, method="exact", pad=False):
    r"""Normal-incidence reflection coefficients of impedance traces along the last axis.

    ``method="exact"``: :math:`r_i = (Z_{i+1} - Z_i) / (Z_{i+1} + Z_i)`;
    ``method="log"``: :math:`r_i = \tfrac12 (\ln Z_{i+1} - \ln Z_i)` (small-contrast
    approximation). ``r[..., i]`` is the interface between samples ``i`` and ``i + 1``.

    **On the seismic grid** (``pad=True``): a zero is prepended, so that ``r`` has as many
    samples as ``Z`` and ``r[..., j]`` (``j >= 1``) is the coefficient between impedance samples
    ``j - 1`` and ``j``: the reflection sits at the top of the deeper sample. This is the grid of
    :func:`depth_to_time` and of the generator with ``lag=0``, and the one
    :func:`convolve_traces` and :func:`estimate_wavelet` take.

    Parameters
    ----------
    Z : array-like of shape (..., n)
        Positive impedance, ``n >= 2``.
    method : {"exact", "log"}, default="exact"
    pad : bool, default=False
        Prepend a zero (reflectivity on the seismic grid, shape (..., n)).

    Returns
    -------
    r : ndarray of shape (..., n - 1), or (..., n) with ``pad=True``

    Examples
    --------
    >>> reflectivity([1.0, 3.0, 3.0, 1.0])
    array([ 0.5,  0. , -0.5])
    >>> reflectivity([1.0, 3.0, 3.0, 1.0], pad=True)
    array([ 0. ,  0.5,  0. , -0.5])
    """
    Z = _finite_array(Z, "Z")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}.")
    if Z.shape[-1] < 2:
        raise ValueError(f"Z needs at least 2 samples along its last axis, got shape {Z.shape}.")
    if np.any(Z <= 0):
        raise ValueError("Z must be strictly positive (impedance).")
    if method == "log":
        r = 0.5 * np.diff(np.log(Z), axis=-1)
    else:
        r = (Z[..., 1:] - Z[..., :-1]) / (Z[..., 1:] + Z[..., :-1])
    if pad:
        r = np.concatenate([np.zeros(r.shape[:-1] + (1,)), r], axis=-1)
    return r


def impedance_from_reflectivity(r, z0, method="exact"):
    r"""Invert :func:`reflectivity`: impedance traces from reflection coefficients and the top value.

    ``method="exact"``: :math:`Z_{i+1} = Z_i (1 + r_i)/(1 - r_i)`, i.e.
    :math:`Z_k = z_0 \prod_{i<k} (1 + r_i)/(1 - r_i)`;
    ``method="log"``: :math:`Z_k = z_0 \exp(2 \sum_{i<k} r_i)`.
    The round trip ``impedance_from_reflectivity(reflectivity(Z, m), Z[..., 0], m)`` returns ``Z``
    to round-off for both methods.

    Parameters
    ----------
    r : array-like of shape (..., n - 1)
        Reflection coefficients, ``|r| < 1`` for ``"exact"``.
    z0 : float or array-like broadcastable to ``r.shape[:-1]``
        Impedance of the first sample of each trace (> 0).
    method : {"exact", "log"}, default="exact"

    Returns
    -------
    Z : ndarray of shape (..., n)

    Examples
    --------
    >>> impedance_from_reflectivity([0.5, 0.0, -0.5], 1.0)
    array([1., 3., 3., 1.])
    """
    r = _finite_array(r, "r")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}.")
    z0 = _finite_array(z0, "z0", ndim_min=0)
    if np.any(z0 <= 0):
        raise ValueError("z0 must be strictly positive (impedance).")
    try:
        z0 = np.broadcast_to(z0, r.shape[:-1])[..., None]
    except ValueError:
        raise ValueError(
            f"z0 of shape {z0.shape} does not broadcast to the trace shape {r.shape[:-1]}."
        ) from None
    if method == "log":
        steps = np.exp(2.0 * np.cumsum(r, axis=-1))
    else:
        if np.any(np.abs(r) >= 1):
            raise ValueError("exact inversion needs |r| < 1 everywhere.")
        steps = np.cumprod((1.0 + r) / (1.0 - r), axis=-1)
    return z0 * np.concatenate([np.ones(r.shape[:-1] + (1,)), steps], axis=-1)


# --------------------------------------------------------------------------------------------
# convolutional model and well tie
# --------------------------------------------------------------------------------------------
def convolve_traces(r, wavelet, origin=None):
    r"""Convolutional model for many traces at once (FFT), output as long as the input.

    .. math:: s[..., j] = \sum_k w[k]\, r[..., j - k + o],

    with :math:`o` = ``origin``, the index of time zero in the wavelet. This is the middle
    (``mode="same"``-like) part of the full convolution, starting at sample ``origin``:
    ``fftconvolve(r, w)[..., origin : origin + n]``.

    Parameters
    ----------
    r : array-like of shape (..., n)
        Reflectivity (or any signal) along the last axis.
    wavelet : array-like of shape (n_w,)
    origin : int, optional
        Index of time zero in ``wavelet``; default ``len(wavelet) // 2`` (zero-phase wavelet
        centred). Use ``0`` for a causal (e.g. minimum-phase) wavelet. Values outside
        ``[0, n_w)`` are allowed and shift the output.

    Returns
    -------
    s : ndarray of shape (..., n)

    Examples
    --------
    >>> convolve_traces([0.0, 1.0, 0.0, 0.0], [1.0, 2.0, 3.0]).round(12)
    array([1., 2., 3., 0.])
    >>> convolve_traces([0.0, 1.0, 0.0, 0.0], [1.0, 2.0, 3.0], origin=0).round(12) + 0.0
    array([0., 1., 2., 3.])
    """
    r = _finite_array(r, "r")
    w = _finite_array(wavelet, "wavelet")
    if w.ndim != 1:
        raise ValueError(f"wavelet must be 1-D, got shape {w.shape}.")
    origin = _check_origin(origin, w.size)
    n = r.shape[-1]
    full = fftconvolve(r, w.reshape((1,) * (r.ndim - 1) + (-1,)), axes=-1)
    # full[..., m] = sum_k w[k] r[..., m - k]; we need m = j + origin, j = 0..n-1
    out = np.zeros(r.shape)
    lo, hi = max(origin, 0), min(origin + n, full.shape[-1])
    if hi > lo:
        out[..., lo - origin : hi - origin] = full[..., lo:hi]
    return out


def estimate_wavelet(X, r, length, origin=None, lag=0, damp=1e-3):
    r"""Least-squares wavelet from paired seismic and reflectivity traces (a statistical well tie).

    Solves, over all traces at once,

    .. math:: \min_w \sum_{\text{traces}} \lVert x - \mathbf{R} w \rVert^2
              + \lambda \lVert w \rVert^2,
              \qquad (\mathbf{R} w)[j] = \sum_k w[k]\, r[j - \text{lag} - k + o],

    i.e. ``X[:, j] ~ convolve_traces(r, w, origin)[:, j - lag]``, by the damped normal equations
    (``scipy.linalg.solve``). :math:`\lambda` = ``damp`` times the mean diagonal of
    :math:`\mathbf{R}^T\mathbf{R}` (scale-free).

    ``r`` is any reflectivity series on the seismic grid: ``reflectivity(Z, pad=True)`` of an
    impedance log on the seismic time samples (the reflection of the interface between
    impedance samples ``j - 1`` and ``j`` at seismic sample ``j``), or PyLops' derivative of the
    log-impedance (:class:`~impedance_sklearn.physics.forward.ConvolutionalModel`). ``lag`` (samples,
    may be negative) shifts the seismic later relative to the reflectivity.

    Parameters
    ----------
    X : array-like of shape (n_traces, n_samples) or (n_samples,)
        Seismic traces.
    r : array-like, same shape as ``X``
        Reflectivity on the same time samples.
    length : int
        Number of wavelet samples to estimate (>= 1).
    origin : int, optional
        Index of time zero in the estimated wavelet; default ``length // 2`` (a wavelet
        centred on its time zero, as for zero-phase); ``0`` for a causal wavelet.
    lag : int, default=0
        Delay of the seismic relative to the reflectivity, in samples.
    damp : float, default=1e-3
        Relative Tikhonov damping (>= 0).

    Returns
    -------
    w : ndarray of shape (length,)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = np.exp(np.cumsum(rng.normal(0, 0.1, (20, 200)), axis=1))
    >>> w_true = ricker(40.0, 0.002, 0.06)
    >>> r = reflectivity(y, pad=True)
    >>> X = convolve_traces(r, w_true)
    >>> w = estimate_wavelet(X, r, len(w_true), damp=1e-6)
    >>> bool(np.corrcoef(w, w_true)[0, 1] > 0.999)
    True
    """
    X = _finite_array(X, "X")
    r = _finite_array(r, "r")
    if X.shape != r.shape:
        raise ValueError(f"X and r must have the same shape, got {X.shape} and {r.shape}.")
    if X.ndim == 1:
        X, r = X[None], r[None]
    if X.ndim != 2:
        raise ValueError(f"X and r must be 1-D or 2-D (n_traces, n_samples), got {X.shape}.")

    if not isinstance(length, numbers.Integral) or isinstance(length, bool) or length < 1:
        raise ValueError(f"length must be a positive integer number of samples, got {length!r}.")
    if not isinstance(lag, numbers.Integral) or isinstance(lag, bool):
        raise ValueError(f"lag must be an integer number of samples, got {lag!r}.")
    if not isinstance(damp, numbers.Real) or not np.isfinite(damp) or damp < 0:
        raise ValueError(f"damp must be a finite number >= 0, got {damp!r}.")
    length = int(length)
    origin = _check_origin(origin, length)
    n_tr, n = X.shape
    # column k of R holds r shifted by s_k = lag + k - origin: R[j, k] = r[j - s_k]
    shifts = int(lag) + np.arange(length) - origin
    pad = int(np.max(np.abs(shifts))) if length else 0
    rp = np.pad(r, ((0, 0), (pad, pad)))
    idx = np.arange(n)[:, None] - shifts[None, :] + pad  # (n, length)
    AtA = np.zeros((length, length))
    Atx = np.zeros(length)
    chunk = max(1, int(2e6 // max(n * length, 1)))
    for s in range(0, n_tr, chunk):
        A = rp[s : s + chunk][:, idx]  # (c, n, length)
        AtA += np.einsum("cjk,cjl->kl", A, A, optimize=True)
        Atx += np.einsum("cjk,cj->k", A, X[s : s + chunk], optimize=True)
    lam = damp * np.trace(AtA) / length
    if not np.any(AtA):
        raise ValueError("r is zero everywhere (no impedance contrast); cannot tie a wavelet.")
    return scipy.linalg.solve(AtA + lam * np.eye(length), Atx, assume_a="pos")


# --------------------------------------------------------------------------------------------
# layered earth: depth to time and Kennett modelling
# --------------------------------------------------------------------------------------------
def _layer_arrays(vp, rho, thickness):
    """Validate and broadcast (vp, rho, thickness) to 2-D (n_traces, n_layers) float arrays."""
    vp = _finite_array(vp, "vp")
    rho = _finite_array(rho, "rho")
    thickness = _finite_array(thickness, "thickness", ndim_min=0)
    single = vp.ndim == 1 and rho.ndim == 1 and thickness.ndim <= 1
    for name, a in (("vp", vp), ("rho", rho)):
        if a.ndim > 2:
            raise ValueError(f"{name} must be 1-D (n_layers,) or 2-D (n_traces, n_layers), got {a.shape}.")
    try:
        vp, rho, thickness = np.broadcast_arrays(np.atleast_2d(vp), np.atleast_2d(rho), thickness)
    except ValueError:
        raise ValueError(
            f"vp {vp.shape}, rho {rho.shape} and thickness {thickness.shape} do not broadcast to a "
            "common (n_traces, n_layers) shape."
        ) from None
    if vp.shape[-1] < 2:
        raise ValueError(f"a layered model needs at least 2 layers, got {vp.shape[-1]}.")
    if np.any(vp <= 0) or np.any(rho <= 0):
        raise ValueError("vp and rho must be strictly positive.")
    if np.any(thickness < 0):
        raise ValueError("thickness must be >= 0.")
    return vp, rho, thickness, single


def layer_times(vp, thickness):
    r"""Two-way time (s) to the top of each layer: :math:`t_0 = 0`,
    :math:`t_k = 2 \sum_{i<k} d_i / v_i`.

    Parameters
    ----------
    vp : array-like of shape (..., n_layers)
        P-wave velocity (m/s).
    thickness : array-like broadcastable to ``vp``
        Layer thickness (m).

    Returns
    -------
    t : ndarray of shape (..., n_layers)

    Examples
    --------
    >>> layer_times([1000.0, 2000.0, 4000.0], 2.0)
    array([0.   , 0.004, 0.006])
    """
    vp = np.asarray(vp, dtype=float)
    tau = 2.0 * np.broadcast_to(np.asarray(thickness, dtype=float), vp.shape) / vp
    return np.concatenate([np.zeros(vp.shape[:-1] + (1,)), np.cumsum(tau[..., :-1], -1)], -1)


def depth_to_time(vp, rho, thickness, dt, n_samples, kind="next"):
    r"""Acoustic impedance of a layered model on a regular two-way-time grid.

    Layer :math:`k` spans two-way times :math:`[t_k, t_{k+1})` with :math:`t_k` from
    :func:`layer_times`; the last layer is a half-space. Sample :math:`i` (time :math:`i\,dt`)
    takes the impedance :math:`Z_k = v_k \rho_k` of

    * ``kind="next"`` (the paper's ``interp1(t, Z, time, 'next')``): the first layer whose top
      time is :math:`\ge i\,dt`, i.e. :math:`Z_0` at :math:`t = 0` and :math:`Z_{k}` on
      :math:`(t_{k-1}, t_k]`. This labels each time interval with the layer *below* it, so the
      log is about one layer shallower than the physical one;
    * ``kind="previous"``: the layer that occupies the time, :math:`Z_k` on :math:`[t_k, t_{k+1})`
      (physical; the reflection of interface :math:`k` then sits at the sample where layer
      :math:`k` starts, the convention of :func:`estimate_wavelet`).

    Times past the top of the last layer take the last layer's (half-space) impedance.

    Parameters
    ----------
    vp : array-like of shape (n_layers,) or (n_traces, n_layers)
        P-wave velocity (m/s).
    rho : array-like, same shape as ``vp``
        Density (any unit; the impedance is ``vp * rho``).
    thickness : float or array-like broadcastable to ``vp``
        Layer thickness (m).
    dt : float
        Sampling interval (s).
    n_samples : int
        Number of time samples.
    kind : {"next", "previous"}, default="next"

    Returns
    -------
    Z : ndarray of shape (n_samples,) or (n_traces, n_samples)

    Examples
    --------
    >>> depth_to_time([1000.0, 2000.0, 3000.0], [1.0, 1.0, 1.0], 1.0, 0.001, 6, kind="previous")
    array([1000., 1000., 2000., 3000., 3000., 3000.])
    >>> depth_to_time([1000.0, 2000.0, 3000.0], [1.0, 1.0, 1.0], 1.0, 0.001, 6)
    array([1000., 2000., 2000., 3000., 3000., 3000.])
    """
    vp, rho, thickness, single = _layer_arrays(vp, rho, thickness)
    dt = _positive_scalar(dt, "dt")
    if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
    if kind not in ("next", "previous"):
        raise ValueError(f"kind must be 'next' or 'previous', got {kind!r}.")
    tt = layer_times(vp, thickness)
    t = np.arange(int(n_samples)) * dt
    # tolerance so that a layer top falling on a sample (up to round-off) counts as on it
    tol = 1e-9 * dt
    n_lay = vp.shape[-1]
    idx = np.empty((vp.shape[0], t.size), dtype=np.intp)
    for i in range(vp.shape[0]):
        if kind == "next":
            idx[i] = np.searchsorted(tt[i], t - tol, side="left")
        else:
            idx[i] = np.searchsorted(tt[i], t + tol, side="right") - 1
    idx = np.clip(idx, 0, n_lay - 1)
    Z = np.take_along_axis(vp * rho, idx, axis=-1)
    return Z[0] if single else Z


def _auto_f_max(W, freqs, rtol):
    """Highest frequency at which |W| exceeds ``rtol * max|W|`` (plus one bin)."""
    a = np.abs(W)
    above = np.nonzero(a > rtol * a.max())[0]
    return freqs[min(above[-1] + 1, freqs.size - 1)]


def kennett(
    vp,
    rho,
    thickness,
    wavelet,
    dt,
    n_samples=None,
    multiples=True,
    origin=0,
    transmission_loss=True,
    n_fft=None,
    f_max=None,
    chunk_size=1000,
):
    r"""Normal-incidence reflection seismograms of 1-D layered models (Kennett invariant imbedding).

    For every frequency :math:`\omega` the plane-wave reflection response :math:`R(\omega)` of
    the stack is built from the bottom up (Kennett 1983; the recursion of the SRB ``kennet.m``),
    with :math:`r_j = (Z_j - Z_{j-1})/(Z_j + Z_{j-1})` the reflection coefficient of interface
    :math:`j` (layer :math:`j-1` above layer :math:`j`, pressure convention as in
    :func:`reflectivity`), :math:`t_j^d t_j^u = 1 - r_j^2` and
    :math:`E_j = e^{-i\omega d_j / v_j}` the one-way phase through layer :math:`j`:

    .. math::
        R_{N} = 0, \qquad
        R_j = r_j + \frac{(1 - r_j^2)\, E_j^2 R_{j+1}}{1 + r_j E_j^2 R_{j+1}}, \qquad
        R = E_0^2 R_1,

    so all internal multiples are included (no free surface); the last layer is a half-space and
    the source/receiver sit at the top of layer 0. The seismogram is the inverse FFT of
    :math:`R(\omega) W(\omega)`, :math:`W` the wavelet's spectrum, sampled at ``dt`` from time
    zero. ``multiples=False`` drops the reverberation denominator (primaries, with transmission
    losses :math:`\prod (1-r^2)` unless ``transmission_loss=False``, in which case it is the
    convolutional model of the exact reflection coefficients placed at the layer-top times).

    Polarity: an impedance increase gives ``+r`` times the wavelet (pressure). The particle
    displacement seismogram of ``kennet.m`` (used by Das et al., 2019) is the negative of this.

    Parameters
    ----------
    vp : array-like of shape (n_layers,) or (n_traces, n_layers)
        P-wave velocity (m/s), layer 0 on top.
    rho : array-like, same shape as ``vp``
        Density (kg/m^3 or any consistent unit).
    thickness : float or array-like broadcastable to ``vp``
        Layer thickness (m). That of the last layer (half-space) is ignored.
    wavelet : array-like of shape (n_w,)
        Source wavelet sampled at ``dt``.
    dt : float
        Sampling interval (s).
    n_samples : int, optional
        Output length; default: the largest total two-way time plus the wavelet length.
    multiples : bool, default=True
        Include all internal multiples.
    origin : int, default=0
        Index of time zero in ``wavelet`` (0 for a causal/minimum-phase wavelet,
        ``len(wavelet) // 2`` for a zero-phase one).
    transmission_loss : bool, default=True
        With ``multiples=False``, scale each primary by the two-way transmission loss.
        (Always included with multiples.)
    n_fft : int, optional
        FFT length; default: a power of two at least 4 x (n_samples + n_w) and >= 2048, so that
        late multiples do not wrap around into the output window.
    f_max : float, optional
        Highest frequency (Hz) evaluated; above it the spectrum is taken as zero. Default: where
        the wavelet's amplitude spectrum stays below 1e-6 of its peak (exact to that
        tolerance; for the paper's wavelet that is the whole band up to Nyquist). Use
        ``np.inf`` for all frequencies.
    chunk_size : int, default=1000
        Traces processed at once (memory ~ 16 x chunk_size x n_fft / 2 bytes).
        The result does not depend on it.

    Notes
    -----
    The recursion runs in a compiled kernel (:mod:`impedance_sklearn.physics._kernels`, numba; parallel
    over traces): 10,000 traces of 200 layers at all 1,025 frequencies of a 2048-point FFT take
    about 1.5 CPU-seconds.

    Returns
    -------
    seismogram : ndarray of shape (n_samples,) or (n_traces, n_samples)

    Examples
    --------
    One interface at 10 ms two-way time, r = (6e6 - 2e6)/(6e6 + 2e6) = 0.5, a spike wavelet:

    >>> import numpy as np
    >>> s = kennett([2000.0, 3000.0], [1000.0, 2000.0], [10.0, 1.0], [1.0], 0.001, 20)
    >>> int(np.argmax(s)), round(float(s.max()), 6)
    (10, 0.5)
    """
    vp, rho, thickness, single = _layer_arrays(vp, rho, thickness)
    w = _finite_array(wavelet, "wavelet")
    if w.ndim != 1:
        raise ValueError(f"wavelet must be 1-D, got shape {w.shape}.")
    dt = _positive_scalar(dt, "dt")
    origin = _check_origin(origin, w.size)
    if not isinstance(chunk_size, numbers.Integral) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}.")
    n_tr, n_lay = vp.shape
    tau = thickness / vp  # one-way time through each layer (s)
    t_total = 2.0 * np.max(np.sum(tau[:, :-1], axis=1))
    if n_samples is None:
        n_samples = int(np.ceil(t_total / dt)) + w.size
    if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
    n_samples = int(n_samples)
    if n_fft is None:
        n_fft = max(2048, 1 << int(np.ceil(np.log2(4 * (n_samples + w.size)))))
    n_fft = int(n_fft)
    if n_fft < n_samples + abs(origin):
        raise ValueError(f"n_fft={n_fft} is too short for n_samples={n_samples}.")

    # wavelet spectrum with time zero at index `origin` (circular shift)
    wpad = np.zeros(n_fft)
    k = (np.arange(w.size) - origin) % n_fft
    np.add.at(wpad, k, w)
    W = sfft.rfft(wpad)
    freqs = sfft.rfftfreq(n_fft, dt)
    if f_max is None:
        f_max = _auto_f_max(W, freqs, 1e-6)

    W = np.ascontiguousarray(W[freqs <= f_max])  # freqs increase: the first bins
    nf = W.size
    dw = 2.0 * np.pi * (freqs[1] - freqs[0]) if freqs.size > 1 else 0.0
    Z = vp * rho
    r = (Z[:, 1:] - Z[:, :-1]) / (Z[:, 1:] + Z[:, :-1])  # r[:, j-1] = interface j
    tau = np.ascontiguousarray(tau, dtype=np.float64)
    out = np.empty((n_tr, n_samples))
    spec = np.zeros((min(chunk_size, n_tr), n_fft // 2 + 1), dtype=complex)
    for s0 in range(0, n_tr, chunk_size):
        sl = slice(s0, min(s0 + chunk_size, n_tr))
        c = sl.stop - sl.start
        kennett_response(r[sl], tau[sl], dw, nf, multiples, transmission_loss, W, spec[:c])
        out[sl] = sfft.irfft(spec[:c], n_fft, axis=-1)[:, :n_samples]
    return out[0] if single else out
