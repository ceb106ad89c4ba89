r"""Compiled kernels (numba): the Kennett reflection response of layered models.

:func:`kennett_response` evaluates, for every trace and every frequency bin, the reflection
response of a stack of layers by the bottom-up invariant-imbedding recursion, times the
wavelet's spectrum; :func:`impedance_sklearn.physics.kennett` validates the inputs, builds the
spectra and transforms back. Pure numpy + numba (no torch).

The recursion
-------------
With :math:`r_j` the reflection coefficient of interface :math:`j` and
:math:`P_j = E_j^2 = e^{-2 i \omega \tau_j}` (:math:`\tau_j = d_j / v_j`),

.. math:: R_j = r_j + \frac{(1 - r_j^2) P_j R_{j+1}}{1 + r_j P_j R_{j+1}}
              = \frac{r_j + P_j R_{j+1}}{1 + r_j P_j R_{j+1}},

(the two forms are identical because the transmission product is :math:`1 - r_j^2`). The kernel
carries :math:`R = N / D` as a ratio (homogeneous coordinates of the Moebius map), so each layer
costs one complex product and four real multiply-adds, without a complex division:
:math:`N \leftarrow r_j D + P_j N`, :math:`D \leftarrow D + r_j P_j N`, and divides once at the
top, :math:`R = P_0 N / D`. Since :math:`|N| \le |D|` and :math:`(1 - |r_j|) |D| \le |D'| \le
(1 + |r_j|) |D|`, the magnitudes are bounded a priori; ``N, D`` are rescaled by
``1 / (|Re D| + |Im D|)`` when the accumulated bound :math:`\sum 2|r| / (1 - |r|)` since the last
rescaling exceeds a limit (300 in double, 40 in single precision). Primaries only
(``multiples=False``) is the linear recursion :math:`R_j = r_j + t_j P_j R_{j+1}`.

Loop order and phase factors
----------------------------
``prange`` over traces; per trace the frequencies are cut into tiles of :data:`TILE`
consecutive bins, and for each tile the whole layer recursion runs with ``N, D`` of the
``TILE`` lanes in small (L1-resident) buffers, the lane loop innermost (it vectorises). The
phase factor of layer ``j`` at bin ``k = k0 + b`` is :math:`z_j^{k} = z_j^{k_0} z_j^{b}` with
:math:`z_j = e^{-2 i\, d\omega\, \tau_j}`: ``z_j^b`` (``b < TILE``) is a per-trace table built
by a running product, ``z_j^{k0}`` a running product over tiles kept in double precision (phase
round-off ~ (TILE + n_freq / TILE) x eps). Consecutive layers with the same one-way time reuse
the previous layer's factors (the one-sample-per-layer stacks of
:class:`~impedance_sklearn.physics.forward.KennettModel` on a time grid).

Measured (10,000 traces of 200 layers, 1,025 bins, one core of a 2-core AMD EPYC): 1.5
CPU-seconds, 22x the vectorised numpy recursion it replaces; 3e-15 relative RMS from it in
complex128 (the default), 2.8e-7 in complex64.

Threads and processes: ``numba.set_num_threads`` sets the threads; small problems, one thread,
and children forked from a process whose numba thread pool was running use a serial driver
(:func:`_run_kernel`: GNU OpenMP is not fork-safe; the workqueue layer is not thread-safe, so
its launches take a lock). JIT: compiled on first call (about 3 CPU-seconds for the parallel
driver) and cached on disk (``__pycache__`` beside this file, else numba's user cache;
``NUMBA_CACHE_DIR`` overrides).
"""

from __future__ import annotations

import os
import threading

import numba
import numpy as np
from numba import njit, prange

__all__ = ["TILE", "kennett_response"]

#: Frequency bins per tile (a compile-time constant of the kernel).
TILE = 32

#: Rescaling limits of the accumulated growth bound (natural log), double / single precision.
_LOG_LIMIT = {np.dtype(np.float64): 300.0, np.dtype(np.float32): 40.0}


@njit(cache=True, fastmath={"contract"})
def _trace_response(r, tau, log_limit, dw, nf, multiples, trans_loss, W, spec, proto):
    """Reflection response of one trace times the wavelet spectrum, ``spec[:nf] = R(k dw) W[k]``.

    Parameters
    ----------
    r : float64 (n_lay - 1,)
        ``r[j - 1]`` is the reflection coefficient of interface ``j`` (layer j-1 over j).
    tau : float64 (n_lay,)
        One-way time of each layer (the last, the half-space, is not used).
    log_limit : float
        Rescale N, D when the accumulated log growth bound exceeds it.
    dw : float
        Angular-frequency step (rad/s); bin ``k`` is ``omega = k dw``.
    nf : int
        Number of bins evaluated (``k = 0 .. nf - 1``).
    multiples, trans_loss : bool
        As in :func:`impedance_sklearn.physics.kennett`.
    W : complex128 (nf,)
        Wavelet spectrum.
    spec : complex128 (>= nf,)
        Output; only the first ``nf`` columns are written.
    proto : float64 or float32 array of shape (1,)
        Its dtype is the precision of the layer recursion (one compiled version per dtype).
    """
    n_lay = tau.size
    n_up = n_lay - 1  # layers 0 .. n_lay - 2 carry a phase
    n_tiles = (nf + TILE - 1) // TILE
    wt = proto.dtype
    # ---- per-trace tables -------------------------------------------------------------
    same = np.zeros(n_up, dtype=np.bool_)  # layer j has the one-way time of layer j + 1
    for j in range(n_up - 1):
        same[j] = tau[j] == tau[j + 1]
    rescale = np.zeros(n_up, dtype=np.bool_)  # rescale N, D after processing layer j
    rr = np.empty(n_up, dtype=wt)  # rr[j] = r of interface j (j >= 1), as work dtype
    tt = np.empty(n_up, dtype=wt)  # transmission factor (primaries only)
    acc = 0.0
    for j in range(n_up - 1, 0, -1):
        rj = r[j - 1]
        rr[j] = rj
        tt[j] = 1.0 - rj * rj if trans_loss else 1.0
        a = abs(rj)
        acc += 2.0 * a / (1.0 - a)  # >= ln((1 + a) / (1 - a)) = 2 atanh(a), no log needed
        if acc > log_limit:
            rescale[j] = True
            acc = 0.0
    rr[0] = 0.0
    tt[0] = 1.0
    br = np.empty((n_up, TILE), dtype=wt)  # z_j^b, b < TILE
    bi = np.empty((n_up, TILE), dtype=wt)
    qr = np.ones(n_up)  # z_j^(k0) for the current tile, float64
    qi = np.zeros(n_up)
    sr = np.empty(n_up)  # z_j^TILE, float64
    si = np.empty(n_up)
    for j in range(n_up):
        if j < n_up - 1 and same[j]:
            continue  # never read
        th = -2.0 * dw * tau[j]
        zr, zi = np.cos(th), np.sin(th)
        pr, pi = 1.0, 0.0
        for b in range(TILE):
            br[j, b] = pr
            bi[j, b] = pi
            pr, pi = pr * zr - pi * zi, pr * zi + pi * zr
        sr[j] = pr  # z^TILE, the step of the tiles' running product
        si[j] = pi
    sc = np.empty(3, dtype=wt)  # scalars in the work precision
    sc[0] = r[n_lay - 2]
    r_last = sc[0]
    # ---- tile buffers --------------------------------------------------------------
    Nr = np.empty(TILE, dtype=wt)
    Ni = np.empty(TILE, dtype=wt)
    Dr = np.empty(TILE, dtype=wt)
    Di = np.empty(TILE, dtype=wt)
    Pr = np.empty(TILE, dtype=wt)
    Pi = np.empty(TILE, dtype=wt)
    for t in range(n_tiles):
        k0 = t * TILE
        for b in range(TILE):
            Nr[b] = r_last
            Ni[b] = 0.0
            Dr[b] = 1.0
            Di[b] = 0.0
        for j in range(n_up - 1, -1, -1):
            if j == n_up - 1 or not same[j]:
                sc[1] = qr[j]
                sc[2] = qi[j]
                q_r, q_i = sc[1], sc[2]
                for b in range(TILE):
                    Pr[b] = q_r * br[j, b] - q_i * bi[j, b]
                    Pi[b] = q_r * bi[j, b] + q_i * br[j, b]
                # advance z_j^(k0) to the next tile (float64 running product)
                a_r, a_i = qr[j], qi[j]
                qr[j] = a_r * sr[j] - a_i * si[j]
                qi[j] = a_r * si[j] + a_i * sr[j]
            if j == 0:
                break
            rj = rr[j]
            if multiples:
                for b in range(TILE):
                    ar = Pr[b] * Nr[b] - Pi[b] * Ni[b]
                    ai = Pr[b] * Ni[b] + Pi[b] * Nr[b]
                    Nr[b] = rj * Dr[b] + ar
                    Ni[b] = rj * Di[b] + ai
                    Dr[b] = Dr[b] + rj * ar
                    Di[b] = Di[b] + rj * ai
                if rescale[j]:
                    for b in range(TILE):
                        s = 1.0 / (abs(Dr[b]) + abs(Di[b]))
                        Nr[b] *= s
                        Ni[b] *= s
                        Dr[b] *= s
                        Di[b] *= s
            else:
                tj = tt[j]
                for b in range(TILE):
                    ar = Pr[b] * Nr[b] - Pi[b] * Ni[b]
                    ai = Pr[b] * Ni[b] + Pi[b] * Nr[b]
                    Nr[b] = rj + tj * ar
                    Ni[b] = tj * ai
        # ---- top: R = P_0 N / D, times the wavelet spectrum (float64) ---------------
        kmax = min(TILE, nf - k0)
        for b in range(kmax):
            nr_ = np.float64(Pr[b]) * Nr[b] - np.float64(Pi[b]) * Ni[b]
            ni_ = np.float64(Pr[b]) * Ni[b] + np.float64(Pi[b]) * Nr[b]
            if multiples:
                dr_ = np.float64(Dr[b])
                di_ = np.float64(Di[b])
                inv = 1.0 / (dr_ * dr_ + di_ * di_)
                Rr = (nr_ * dr_ + ni_ * di_) * inv
                Ri = (ni_ * dr_ - nr_ * di_) * inv
            else:
                Rr, Ri = nr_, ni_
            w = W[k0 + b]
            spec[k0 + b] = complex(Rr * w.real - Ri * w.imag, Rr * w.imag + Ri * w.real)


@njit(parallel=True, cache=True)
def _response_parallel(r, tau, log_limit, dw, nf, multiples, trans_loss, W, spec, proto):
    """:func:`_trace_response` for every row (trace), ``prange`` over traces."""
    for i in prange(tau.shape[0]):
        _trace_response(r[i], tau[i], log_limit, dw, nf, multiples, trans_loss, W, spec[i], proto)


@njit(cache=True)
def _response_serial(r, tau, log_limit, dw, nf, multiples, trans_loss, W, spec, proto):
    """:func:`_trace_response` for every row, in the calling thread (no thread pool)."""
    for i in range(tau.shape[0]):
        _trace_response(r[i], tau[i], log_limit, dw, nf, multiples, trans_loss, W, spec[i], proto)


# --------------------------------------------------------------------------------------------
# dispatch: thread pool or calling thread
# --------------------------------------------------------------------------------------------
#: Below this many layer x frequency x trace updates the kernel runs in the calling thread.
_SERIAL_WORK = 1 << 21

_pool_started = False  # this module has launched numba's thread pool in this process
_forked_with_pool = False  # this process was forked from one whose thread pool was running
_pool_lock = threading.Lock()


def _after_fork_in_child():
    global _forked_with_pool
    from numba.np.ufunc import parallel as _numba_parallel

    if _pool_started or getattr(_numba_parallel, "_is_initialized", False):
        _forked_with_pool = True


os.register_at_fork(after_in_child=_after_fork_in_child)


def _run_kernel(*args):
    """Run the parallel driver, or the serial one where the thread pool cannot be used.

    * ``numba.get_num_threads() == 1`` or a small problem (fewer than :data:`_SERIAL_WORK`
      layer-frequency updates, about a millisecond): serial (no pool launch; waking the pool
      costs up to ~10 ms on a loaded machine);
    * in a child forked from a process whose numba thread pool was running: serial. numba's
      default layer here is GNU OpenMP, which is not fork-safe: a parallel launch in such a
      child is killed ("Terminating: fork() called from a process already using GNU OpenMP,
      this is unsafe."), e.g. in a ``multiprocessing`` "fork" worker or a torch DataLoader
      worker;
    * the ``workqueue`` layer is not thread-safe: concurrent launches from several Python
      threads abort the process, so launches are serialised by a lock under that layer (and
      until the layer is known, i.e. on the first launch).
    """
    global _pool_started
    tau, nf = args[1], args[4]
    small = tau.shape[0] < 2 or tau.size * nf < _SERIAL_WORK
    if _forked_with_pool or small or numba.get_num_threads() == 1:
        _response_serial(*args)
    elif not _pool_started or numba.threading_layer() == "workqueue":
        with _pool_lock:
            _response_parallel(*args)
            _pool_started = True
    else:
        _response_parallel(*args)


def kennett_response(r, tau, dw, nf, multiples, transmission_loss, W, spec, dtype=np.complex128):
    """``spec[i, :nf] = R_i(k dw) W[k]`` for every trace ``i`` (the rest of ``spec`` untouched).

    Parameters
    ----------
    r : float64 array (n_traces, n_layers - 1)
        ``r[:, j - 1]`` is the reflection coefficient of interface ``j`` (layer j-1 over j).
    tau : float64 array (n_traces, n_layers)
        One-way time of each layer (s); the last (the half-space) is not used.
    dw : float
        Angular-frequency step (rad/s).
    nf : int
        Bins evaluated, ``k = 0 .. nf - 1``.
    multiples, transmission_loss : bool
    W : complex128 array (nf,)
        The wavelet's spectrum.
    spec : complex128 array (n_traces, >= nf)
        Output.
    dtype : {np.complex128, np.complex64}
        Precision of the layer recursion.
    """
    dtype = np.dtype(dtype)
    if dtype == np.complex128:
        work = np.zeros(1, np.float64)
    elif dtype == np.complex64:
        work = np.zeros(1, np.float32)
    else:
        raise ValueError(f"dtype must be complex128 or complex64, got {dtype}.")
    if nf <= 0:
        return spec
    _run_kernel(np.ascontiguousarray(r, dtype=np.float64), np.ascontiguousarray(tau, np.float64),
                _LOG_LIMIT[work.dtype], float(dw), int(nf), bool(multiples),
                bool(transmission_loss), np.ascontiguousarray(W, dtype=np.complex128), spec, work)
    return spec
