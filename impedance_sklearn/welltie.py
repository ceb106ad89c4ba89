"""Well ties: put a well's impedance log on the seismic's time axis, against the seismic.

:func:`tie_well` takes a well (:func:`impedance_sklearn.io.load_well`: a log in two-way time
from its sonic or a checkshot) and survey traces, and returns the tied well with what the tie
found:

1. **Which trace, which bulk shift.** The log's synthetic (its reflectivity convolved with a
   zero-phase Ricker wavelet at the survey's dominant frequency) is correlated with every
   candidate trace (all of them when the well's position is not given) at every bulk shift up to
   ``max_shift``. The best is compared with a **null**: the same search with the synthetic
   displaced by 200-600 ms, where any correlation is chance. A tie no better than the null is
   flagged (``confident=False``); the command line refuses it without ``--force``.
2. **A drift** (stretch and squeeze): windowed cross-correlation lags along the log (windows of
   ``window`` s), median-smoothed; or (``drift="dtw"``, ``"sdw"``) dynamic time warping of the
   synthetic to the trace. Either way strain-limited: the local time shift changes by at most
   ``max_strain`` per unit time, so the implied interval velocities change by at most about as
   much (``velocity_change`` reports it).
3. **A wavelet** estimated from the tied log and the trace by damped least squares
   (:func:`impedance_sklearn.physics.estimate_wavelet`, any phase); steps 2 and 3 are iterated
   with it.

The correlations before (the sonic's time-depth, zero shift) and after (bulk shift and drift,
the Ricker synthetic; and with the estimated wavelet, which is fitted and so optimistic) are
reported. The default is the classical stretch-and-squeeze of commercial tie windows; the
``"dtw"`` option is dynamic warping with a strain bound in the manner of Hale (2013) and Munoz &
Hale (2015), its path Gaussian-smoothed; ``"sdw"`` is Hale's smooth dynamic warping (quarter-sample
lags at sparse knots, linear between them). On Penobscot L-30 all three give 0.71-0.74 after the
drift.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.ndimage import median_filter
from sklearn.utils import Bunch
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from impedance_sklearn.io.wells import well_on_time_axis
from impedance_sklearn.physics import estimate_wavelet
from impedance_sklearn.physics import reflectivity as physics_reflectivity
from impedance_sklearn.physics.wavelets import ricker

__all__ = ["tie_well", "tie_wells", "tie_wavelet", "dominant_frequency", "statistical_wavelet",
           "RICKER_FREQUENCIES"]


def tie_wavelet(X, M, length, *, origin=None, damp=1e-3, reflectivity="exact"):
    """The package's wavelet tie on a common time axis: the least-squares wavelet
    (:func:`~impedance_sklearn.physics.estimate_wavelet`) from seismic ``X`` and logs ``M`` on
    the same samples, with the reflectivity of the caller's forward model.

    ``reflectivity="exact"``: ``M`` is impedance, ``physics.reflectivity(M, pad=True)`` (the
    generator's and :func:`tie_well`'s); ``"centred"``: PyLops' post-stack derivative
    ``(M[j+1] - M[j-1]) / 4`` of ``M`` (ln Z, or Z in the linear domain; zero at both ends:
    ``ModelBasedInversion``, ``section.fit_section``). ``FewWellsRegressor``,
    ``ModelBasedInversion`` and ``fit_section`` tie through it; :func:`tie_well` makes the same
    estimate on the tied log's reflectivity.

    Parameters
    ----------
    X : array-like of shape (n_traces, n_samples)
        Seismic traces.
    M : array-like of the same shape
        The logs on the same samples: impedance (``reflectivity="exact"``) or what the forward
        model differentiates (``"centred"``).
    length : int
        Number of wavelet samples to estimate.
    origin : int, optional
        Index of time zero in the wavelet; default ``length // 2``.
    damp : float, default=1e-3
        Relative Tikhonov damping (:func:`~impedance_sklearn.physics.estimate_wavelet`).
    reflectivity : {"exact", "centred"}, default="exact"
        How the reflectivity is made from ``M`` (above).

    Returns
    -------
    w : ndarray of shape (length,) or None
        None when the logs have no contrast (zero reflectivity): there is nothing to tie.
    r : ndarray
        The reflectivity used (shape of ``M``).

    Examples
    --------
    >>> import numpy as np
    >>> Z = np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.1, (4, 200)), axis=1))
    >>> w_true = ricker(30.0, 0.004, 0.06)
    >>> from impedance_sklearn.physics import convolve_traces, reflectivity
    >>> X = convolve_traces(reflectivity(Z, pad=True), w_true, 8)  # 17 samples, zero at 8
    >>> w, _ = tie_wavelet(X, Z, 17, origin=8, damp=1e-6)
    >>> bool(np.allclose(w, w_true, atol=1e-6))
    True
    """
    M = np.asarray(M, dtype=np.float64)
    if reflectivity == "exact":
        r = physics_reflectivity(M, pad=True)
    elif reflectivity == "centred":
        r = np.zeros_like(M)
        r[..., 1:-1] = 0.25 * (M[..., 2:] - M[..., :-2])
    else:
        raise ValueError(f"reflectivity must be 'exact' or 'centred', got {reflectivity!r}.")
    if not np.any(r):
        return None, r
    return estimate_wavelet(X, r, length, origin=origin, damp=damp), r


def dominant_frequency(traces, dt):
    """The peak of the traces' mean amplitude spectrum (Hz), trace means removed, tapered.

    Parameters
    ----------
    traces : array-like of shape (n_traces, n_samples) or (n_samples,)
        Seismic traces.
    dt : float
        Their sampling interval (s).

    Returns
    -------
    float
        The frequency (Hz) of the largest mean amplitude (Hann-tapered, zero frequency left out).
    """
    X = np.atleast_2d(np.asarray(traces, dtype=np.float64))
    X = (X - X.mean(axis=1, keepdims=True)) * np.hanning(X.shape[1])
    spec = np.abs(np.fft.rfft(X, axis=1)).mean(axis=0)
    freqs = np.fft.rfftfreq(X.shape[1], dt)
    spec[0] = 0.0
    return float(freqs[int(np.argmax(spec))])


def statistical_wavelet(traces, dt, length, *, smooth=5.0):
    """The zero-phase wavelet whose amplitude spectrum is the traces' mean (the band estimated
    from the data): trace means removed, Hann-tapered, the mean amplitude spectrum smoothed over
    ``smooth`` Hz, inverse-transformed at zero phase, Hann-windowed to ``length`` samples and
    scaled to a peak of 1.

    Parameters
    ----------
    traces : array-like of shape (n_traces, n_samples)
    dt : float
        Sampling interval (s).
    length : int
        Samples (odd: the peak at the centre).
    smooth : float, default=5.0
        Width (Hz) of the running mean over the spectrum.

    Returns
    -------
    ndarray of shape (length,)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> w0 = ricker(25.0, 0.004, 0.128)
    >>> X = np.array([np.convolve(rng.normal(size=500), w0, mode="same") for _ in range(50)])
    >>> w = statistical_wavelet(X, 0.004, 33)
    >>> int(np.argmax(w)), round(float(np.corrcoef(w, w0)[0, 1]), 2) > 0.95
    (16, True)
    """
    from scipy.ndimage import uniform_filter1d

    X = np.atleast_2d(np.asarray(traces, dtype=np.float64))
    X = (X - X.mean(axis=1, keepdims=True)) * np.hanning(X.shape[1])
    nfft = int(2 ** np.ceil(np.log2(max(4 * X.shape[1], 4 * length))))
    amp = np.abs(np.fft.rfft(X, nfft, axis=1)).mean(axis=0)
    df = 1.0 / (nfft * dt)
    amp = uniform_filter1d(amp, size=max(int(round(smooth / df)), 1), mode="nearest")
    amp[0] = 0.0
    w = np.roll(np.fft.irfft(amp, nfft), length // 2)[:length] * np.hanning(length + 2)[1:-1]
    peak = np.abs(w).max()
    return w / peak if peak > 0 else w


def _shifted(a, lag):
    """``a`` delayed by ``lag`` samples (later for lag > 0), zero-filled."""
    out = np.zeros_like(a)
    if lag >= 0:
        out[..., lag:] = a[..., :a.shape[-1] - lag]
    else:
        out[..., :lag] = a[..., -lag:]
    return out


def _corr(a, B, mask):
    """Pearson correlation of ``a`` with each row of ``B`` over the samples in ``mask``."""
    a = a[mask] - a[mask].mean()
    B = B[:, mask] - B[:, mask].mean(axis=1, keepdims=True)
    den = np.sqrt((a @ a) * np.einsum("ij,ij->i", B, B))
    return np.where(den > 0, B @ a / np.where(den > 0, den, 1.0), 0.0)


def _search(synth, mask, traces, lags):
    """Correlation of the synthetic delayed by each lag with each trace: (n_lags, n_traces)."""
    return np.array([_corr(_shifted(synth, L), traces, _shifted(mask, L)) for L in lags])


def _synthetic(z, mask, wavelet):
    """The log's synthetic on the axis: reflectivity (zero outside the log) * wavelet (centred)."""
    r = np.zeros_like(z)
    zz = np.where(mask, z, np.nan)
    inside = np.flatnonzero(mask)
    r_in = physics_reflectivity(zz[inside[0]:inside[-1] + 1][None], pad=True)[0]
    r[inside[0]:inside[-1] + 1] = np.nan_to_num(r_in)
    return np.convolve(r, wavelet, mode="same"), r


def _drift(synth, trace, mask, dt, *, window, max_drift, max_strain, t0=0.0):
    """Windowed cross-correlation lags (s) at window centres, smoothed and strain-limited."""
    inside = np.flatnonzero(mask)
    half = max(int(round(window / dt / 2)), 4)
    step = max(half // 2, 1)
    centres = np.arange(inside[0] + half, inside[-1] - half + 1, step)
    if centres.size < 2:
        return np.array([t0 + 0.5 * (inside[0] + inside[-1]) * dt]), np.zeros(1)
    max_lag = max(int(np.ceil(max_drift / dt)), 1)
    lags = np.arange(-max_lag, max_lag + 1)
    found = np.zeros(centres.size)
    for k, c in enumerate(centres):
        m = np.zeros_like(mask)
        m[c - half:c + half + 1] = True
        cc = _search(synth, m & mask, trace[None], lags)[:, 0]
        i = int(np.argmax(cc))
        shift = float(lags[i])
        if 0 < i < lags.size - 1:  # parabolic sub-sample peak
            a, b, c3 = cc[i - 1], cc[i], cc[i + 1]
            den = a - 2 * b + c3
            if den < 0:
                shift += 0.5 * (a - c3) / den
        found[k] = shift * dt
    smooth = median_filter(found, size=min(5, found.size | 1), mode="nearest")
    times = t0 + centres * dt
    return times, np.clip(_limit_strain(times, smooth, max_strain), -max_drift, max_drift)


def _limit_strain(times, shifts, max_strain):
    """``shifts`` (s) changed as little as possible, front to back, so that between
    consecutive ``times`` they change by at most ``max_strain`` per unit time."""
    out = np.asarray(shifts, dtype=np.float64).copy()
    for k in range(1, out.size):
        d = max_strain * (times[k] - times[k - 1])
        out[k] = np.clip(out[k], out[k - 1] - d, out[k - 1] + d)
    return out


def _alignment_errors(synth, trace, mask, lags, delay):
    """Squared differences of the trace and the synthetic ``delay(synth, lag)``, both normalised
    over the log, at every sample of the log (rows) and every lag (columns); and the log's
    first sample."""
    inside = np.flatnonzero(mask)
    i0, i1 = int(inside[0]), int(inside[-1])
    x = trace[i0:i1 + 1]
    x = (x - x.mean()) / (x.std() or 1.0)
    sm = synth[mask]
    s = (synth - sm.mean()) / (sm.std() or 1.0)
    e = np.empty((i1 - i0 + 1, len(lags)))
    for k, lag in enumerate(lags):
        e[:, k] = (x - delay(s, lag)[i0:i1 + 1]) ** 2
    return i0, e


def _drift_dtw(synth, trace, mask, dt, *, window, max_drift, max_strain, t0=0.0):
    """Dynamic time warping of the synthetic to the trace (Hale 2013): squared differences of the
    normalised traces at every lag, summed over ``window``, accumulated along time with the lag
    changing by at most one sample every ``1 / max_strain`` samples, backtracked, smoothed."""
    from scipy.ndimage import gaussian_filter1d, uniform_filter1d

    L = max(int(np.ceil(max_drift / dt)), 1)
    lags = np.arange(-L, L + 1)
    i0, e = _alignment_errors(synth, trace, mask, lags, lambda a, lag: _shifted(a, int(lag)))
    n = e.shape[0]
    e = uniform_filter1d(e, size=max(int(round(window / dt)), 1), axis=0, mode="nearest")
    b = max(int(np.ceil(1.0 / max_strain)), 1)
    D = np.empty_like(e)
    D[0] = e[0]
    step = np.zeros((n, lags.size), dtype=np.int8)  # -1, 0, +1: where the lag came from
    for i in range(1, n):
        prev = D[i - 1]
        if i % b:
            D[i] = prev + e[i]
            continue
        down = np.concatenate([[np.inf], prev[:-1]])
        up = np.concatenate([prev[1:], [np.inf]])
        stack = np.stack([down, prev, up])
        choice = np.argmin(stack, axis=0)
        D[i] = stack[choice, np.arange(lags.size)] + e[i]
        step[i] = choice - 1
    k = int(np.argmin(D[-1]))
    path = np.empty(n, dtype=int)
    for i in range(n - 1, -1, -1):
        path[i] = k
        k = k + int(step[i, k])
    shift = gaussian_filter1d(lags[path].astype(float), sigma=b / 2, mode="nearest") * dt
    return t0 + (i0 + np.arange(n)) * dt, np.clip(shift, -max_drift, max_drift)


def _drift_sdw(synth, trace, mask, dt, *, window, max_drift, max_strain, t0=0.0, upsample=4):
    """Smooth dynamic warping (Hale 2013): lags in steps of ``dt / upsample`` (the synthetic
    delayed by cubic-spline interpolation) at knots ``h`` samples apart, the lag changing by at
    most ``max_strain * h`` samples from knot to knot, each step scored by the alignment errors
    (squared differences of the normalised traces, averaged over a quarter of ``window``) summed
    along the straight line between its two knots. The path minimises the accumulated errors;
    the shift between knots is its linear interpolation, strain-bounded by construction. ``h``
    is the larger of ``1 / max_strain`` samples and half the ``window``."""
    from scipy.ndimage import shift as nd_shift
    from scipy.ndimage import uniform_filter1d

    q = int(upsample)
    L = max(int(np.ceil(max_drift / dt * q)), 1)
    lags = np.arange(-L, L + 1) / q  # samples
    i0, e = _alignment_errors(synth, trace, mask, lags,
                              lambda a, lag: nd_shift(a, lag, order=3, mode="constant"))
    n = e.shape[0]
    e = uniform_filter1d(e, size=max(int(round(window / dt / 4)), 1), axis=0, mode="nearest")
    h = max(int(np.ceil(1.0 / max_strain)) if max_strain > 0 else n,
            int(round(window / dt / 2)), 2)
    knots = np.unique(np.append(np.arange(0, n, h), n - 1))
    D = e[knots[0]].copy()
    back = []
    for a, b in zip(knots[:-1], knots[1:]):
        m = int(np.floor(max_strain * (b - a) * q + 1e-9))  # in lag steps
        frac = (np.arange(a + 1, b + 1) - a) / (b - a)  # the samples after knot a, up to b
        rows = np.arange(a + 1, b + 1)[:, None]
        best = np.full(lags.size, np.inf)
        arg = np.zeros(lags.size, dtype=int)
        for dl in range(-m, m + 1):  # the lag step at b minus the one at a
            start = np.arange(lags.size) - dl  # index of the lag at knot a
            ok = np.flatnonzero((start >= 0) & (start < lags.size))
            idx = np.rint(start[None, ok] + dl * frac[:, None]).astype(int)
            cost = D[start[ok]] + e[rows, idx].sum(0)
            better = cost < best[ok]
            best[ok[better]], arg[ok[better]] = cost[better], start[ok][better]
        D = best
        back.append(arg)
    k = int(np.argmin(D))
    path = [k]
    for arg in reversed(back):
        k = int(arg[k])
        path.append(k)
    shift = lags[np.array(path[::-1])] * dt
    return t0 + (i0 + knots) * dt, np.clip(shift, -max_drift, max_drift)


_SECONDS = Interval(numbers.Real, 0, None, closed="neither")

#: The Ricker peak frequencies (Hz) :func:`tie_well` tries when none is given.
RICKER_FREQUENCIES = (15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0)


@validate_params({
    "position": [None, Interval(numbers.Integral, 0, None, closed="left")],
    "max_shift": [Interval(numbers.Real, 0, None, closed="left")], "window": [_SECONDS],
    "max_drift": [Interval(numbers.Real, 0, None, closed="left")],
    "max_strain": [Interval(numbers.Real, 0, 1, closed="left")], "wavelet_length": [_SECONDS],
    "frequency": [None, Interval(numbers.Real, 0, None, closed="neither")],
    "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
    "null_shifts": [tuple, list], "drift": [StrOptions({"windows", "dtw", "sdw"})],
    "polarity": [StrOptions({"auto"}), Interval(numbers.Integral, -1, 1, closed="both")],
    "wavelet": [None, StrOptions({"statistical"}), "array-like"],
}, prefer_skip_nested_validation=True)
def tie_well(well, traces, time, *, position=None, max_shift=0.06, window=0.2, max_drift=0.02,
             max_strain=0.05, wavelet_length=0.128, frequency=None, n_iter=2,
             null_shifts=(0.2, 0.6), drift="windows", polarity="auto", wavelet=None):
    """Tie a well to the seismic: trace, bulk shift, drift, wavelet (see the module docstring).

    Parameters
    ----------
    well : Bunch
        From :func:`~impedance_sklearn.io.load_well` (``time`` in s, ``impedance``).
    traces : array-like of shape (n_traces, n_samples) or (n_samples,)
        Survey traces: the one at the well, or candidates to search (a line through the well).
    time : array-like of shape (n_samples,)
        Their regular time axis (s).
    position : int, optional
        Row of ``traces`` at the well; default: search every row.
    max_shift : float, default=0.06
        Largest bulk shift searched (s), either way (a checkshot 40 ms off is inside it).
    window : float, default=0.2
        Length of the drift's correlation windows (s).
    max_drift : float, default=0.02
        Largest drift (s) either way after the bulk shift.
    max_strain : float, default=0.05
        Largest change of the drift per unit time (the implied interval velocities change by at
        most about this fraction).
    wavelet_length : float, default=0.128
        Length of the initial Ricker wavelet and of the estimated wavelet (s).
    frequency : float, optional
        Tie with a zero-phase Ricker of this peak frequency (Hz). Default: the band is
        estimated from the data: the Ricker of :data:`RICKER_FREQUENCIES` (up to 0.4 x
        Nyquist) that ties best, the null test searching them all too.
    wavelet : "statistical" or array-like of shape (m,), optional
        Tie with this wavelet instead: :func:`statistical_wavelet` of ``traces``, or one given
        (its peak at its centre sample), e.g. one shared by several wells.
    polarity : {"auto", 1, -1}, default="auto"
        The seismic's polarity against the synthetic (+1: an impedance increase is a peak).
        ``"auto"`` searches both, and the null test searches both too, so that a reversed
        polarity (F3) is found without making chance look better.
    n_iter : int, default=2
        Drift and wavelet estimations after the bulk shift.
    drift : {"windows", "dtw", "sdw"}, default="windows"
        How the drift is found: ``"windows"``, lags of windowed cross-correlations (``window``
        s long), median-smoothed and strain-limited; ``"dtw"``, dynamic time warping (Hale
        2013): squared differences summed over ``window``, the lag changing by at most one
        sample every ``1 / max_strain`` samples, then smoothed; ``"sdw"``, smooth dynamic
        warping (Hale 2013): quarter-sample lags at knots ``max(1 / max_strain, window / 2)``
        samples apart, changing by at most ``max_strain`` times their spacing, linear between.
    null_shifts : (float, float), default=(0.2, 0.6)
        The null test displaces the synthetic by this range of times (s; nine displacements,
        both ways) and repeats the search.

    Returns
    -------
    Bunch
        ``well`` (a copy of ``well`` with ``time`` tied), ``on_axis`` (the tied well on ``time``:
        :func:`~impedance_sklearn.io.well_on_time_axis`), ``trace`` (the survey trace used),
        ``position`` (its row), ``shift`` (bulk, s; positive: the log moves later), ``drift``
        (Bunch ``time``, ``shift``: the time-variant part, s), ``wavelet`` (Bunch ``time``,
        ``amplitude``: estimated, any phase; its time zero at ``time == 0``), ``frequency``,
        ``correlation`` (dict: ``before`` at zero shift, ``bulk``, ``after`` (bulk and drift,
        Ricker), ``after_wavelet`` (the estimated wavelet; fitted, so optimistic)), ``null``
        (the best null correlation), ``confident`` (``bulk > null``), ``polarity`` (+1 or -1,
        applied to the synthetics: the correlations are of the synthetic times it),
        ``wavelet_used`` (the initial wavelet: ``"ricker"``, ``"statistical"`` or ``"given"``;
        ``frequency`` is its peak),
        ``velocity_change`` (the
        largest implied interval-velocity change, a fraction), ``window`` (tied log's time span),
        ``synthetic`` (Bunch ``before``: the Ricker synthetic at the sonic's times, ``after``:
        the estimated wavelet's on the tied log, both on ``time``, with their masks).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from impedance_sklearn.physics.wavelets import ricker
    >>> rng = np.random.default_rng(0)
    >>> t = 0.004 * np.arange(500)
    >>> z = np.exp(np.cumsum(rng.normal(0, 0.05, 500)))
    >>> r = np.concatenate([[0.0], 0.5 * np.diff(np.log(z))])
    >>> trace = np.convolve(np.roll(r, 3), ricker(25.0, 0.004, 0.128), mode="same")
    >>> well = Bunch(time=t[100:400], impedance=z[100:400], seismic=None)
    >>> tie = tie_well(well, trace, t, frequency=25.0)
    >>> round(tie.shift, 3), tie.confident, tie.correlation["bulk"] > 0.95
    (0.012, True, True)
    """
    drift_fn = {"windows": _drift, "dtw": _drift_dtw, "sdw": _drift_sdw}[drift]
    traces = np.atleast_2d(np.asarray(traces, dtype=np.float64))
    time = np.asarray(time, dtype=np.float64)
    if traces.shape[1] != time.size:
        raise ValueError(f"traces have {traces.shape[1]} samples but time has {time.size}.")
    if not np.all(np.isfinite(traces)):
        raise ValueError("traces hold NaN or infinite values.")
    dt = float(np.median(np.diff(time)))
    axis = well_on_time_axis(well, time)
    mask = axis.mask & np.isfinite(axis.impedance)
    if mask.sum() < 16:
        raise ValueError(
            f"the log covers {int(mask.sum())} samples of the traces' axis ({time[0]:.4g}-"
            f"{time[-1]:.4g} s); a tie needs at least 16: is the well's time right "
            f"(logged {well.time[0]:.4g}-{well.time[-1]:.4g} s)?")
    if position is not None:
        position = int(position)
        if not 0 <= position < traces.shape[0]:
            raise ValueError(f"position {position} is outside the {traces.shape[0]} traces.")
    n_w = max(int(round(wavelet_length / dt)) | 1, 5)
    if isinstance(wavelet, str) and wavelet == "statistical":
        wavelets, used = [statistical_wavelet(traces, dt, n_w)], "statistical"
    elif wavelet is not None:
        wavelets, used = [np.asarray(wavelet, dtype=np.float64).ravel()], "given"
        n_w = wavelets[0].size
    elif frequency is not None:
        wavelets, used = [ricker(float(frequency), dt, (n_w - 1) * dt)], "ricker"
        freqs = [float(frequency)]
    else:  # the band from the data: the Ricker that ties best, among those the data can hold
        nyq = 0.5 / dt
        freqs = [f for f in RICKER_FREQUENCIES if f <= 0.4 * nyq] or [0.2 * nyq]
        wavelets, used = [ricker(f, dt, (n_w - 1) * dt) for f in freqs], "ricker"
    signs = (1, -1) if polarity == "auto" else (int(polarity),)
    cands = traces if position is None else traces[position:position + 1]
    max_lag = int(np.ceil(max_shift / dt))
    lags = np.arange(-max_lag, max_lag + 1)
    offs = np.unique(np.round(np.linspace(*null_shifts, 9) / dt).astype(int))
    best, null = None, -1.0
    for k, w_try in enumerate(wavelets):
        syn, _ = _synthetic(axis.impedance, mask, w_try)
        cc = _search(syn, mask, cands, lags)
        for sg in signs:  # a reversed polarity negates the correlations
            r = float((sg * cc).max())
            if best is None or r > best[0]:
                best = (r, sg, k, syn, cc)
        # the null: the same search (traces, lags, polarities and wavelets), the synthetic
        # displaced where no true match can be
        for o in np.concatenate([offs, -offs]):
            m = _shifted(mask, int(o))
            if m.sum() >= 16:
                c = _search(_shifted(syn, int(o)), m, cands, lags)
                null = max(null, *(float((sg * c).max()) for sg in signs))
    _, sign, k, synth, cc = best
    w0 = wavelets[k]
    f = freqs[k] if used == "ricker" else dominant_frequency(w0, dt)
    il, it = np.unravel_index(int(np.argmax(sign * cc)), cc.shape)
    pos = int(it) if position is None else position
    trace = traces[pos]
    before = float(sign * _corr(synth, trace[None], mask)[0])
    bulk_r, shift = float(sign * cc[il, it]), float(lags[il] * dt)
    w0 = sign * w0  # the polarity applied: the synthetics below are of the signed wavelet

    def tied_on_axis(d_time, d_shift):
        """The well moved by the bulk shift and the drift, and its log on the traces' axis."""
        t = np.asarray(well.time, float)
        tied = Bunch(**{**well, "time": t + shift + np.interp(t, d_time, d_shift)})
        a = well_on_time_axis(tied, time)
        return tied, a, a.mask & np.isfinite(a.impedance)

    synth = sign * synth
    d_time, d_shift, w = np.array([0.0]), np.array([0.0]), w0
    origin = n_w // 2
    tied, a, m = tied_on_axis(d_time, d_shift)
    for _ in range(max(int(n_iter), 1)):
        s, _ = _synthetic(a.impedance, m, w)
        dt2, ds2 = drift_fn(s, trace, m, dt, window=window, max_drift=max_drift, t0=float(time[0]),
                            max_strain=max_strain)
        # the drift is measured relative to the current tie: accumulate it, strain-limited
        d_shift = _limit_strain(dt2, np.interp(dt2, d_time, d_shift) + ds2, max_strain)
        d_time = dt2
        tied, a, m = tied_on_axis(d_time, d_shift)
        s_after, r = _synthetic(a.impedance, m, w0)
        w = estimate_wavelet(trace * m, r, n_w, origin=origin, damp=1e-2)  # the tied log's r
    s_wav, _ = _synthetic(a.impedance, m, w)
    after = float(_corr(s_after, trace[None], m)[0])
    after_w = float(_corr(s_wav, trace[None], m)[0])
    strain = np.diff(d_shift) / np.diff(d_time) if d_time.size > 1 else np.zeros(1)
    return Bunch(
        well=tied, on_axis=a, trace=trace, position=pos, shift=shift,
        drift=Bunch(time=d_time, shift=d_shift), frequency=f,
        wavelet=Bunch(time=(np.arange(n_w) - origin) * dt, amplitude=w),
        correlation={"before": before, "bulk": bulk_r, "after": after, "after_wavelet": after_w},
        null=null, confident=bool(bulk_r > null), polarity=int(sign), wavelet_used=used,
        synthetic=Bunch(before=synth, after=s_wav, mask_before=mask, mask_after=m),
        velocity_change=float(np.max(np.abs(strain / (1 + strain)))),
        window=(float(time[m][0]), float(time[m][-1])))


def tie_wells(wells, traces, time, positions, **params):
    """Tie several wells to one survey with one wavelet and one polarity: the Ricker frequency
    and polarity that tie best summed over the wells (the null of each well searching the
    same), then each well tied with them (:func:`tie_well`), and one least-squares wavelet
    estimated from all the tied wells together.

    Parameters
    ----------
    wells : list of Bunch
    traces, time : as for :func:`tie_well`
    positions : list of int
        Each well's row of ``traces``.
    **params
        Passed to :func:`tie_well` (not ``frequency`` or ``polarity``: shared here).

    Returns
    -------
    Bunch
        ``ties`` (one :func:`tie_well` result per well), ``frequency``, ``polarity``,
        ``wavelet`` (Bunch ``time``, ``amplitude``: the shared least-squares wavelet), and
        ``shared_correlation`` (per well: its tied log's synthetic with the shared wavelet
        against its trace).
    """
    traces = np.atleast_2d(np.asarray(traces, dtype=np.float64))
    dt = float(np.median(np.diff(time)))
    freqs = [f for f in RICKER_FREQUENCIES if f <= 0.2 / dt] or [0.1 / dt]
    best = None
    for f in freqs:
        for sign in (1, -1):
            ties = [tie_well(w, traces, time, position=p, frequency=f, polarity=sign, n_iter=1,
                             **params) for w, p in zip(wells, positions)]
            score = sum(t.correlation["bulk"] for t in ties)
            if best is None or score > best[0]:
                best = (score, f, sign)
    _, f, sign = best
    ties = [tie_well(w, traces, time, position=p, frequency=f, polarity=sign, **params)
            for w, p in zip(wells, positions)]
    n_w = ties[0].wavelet.amplitude.size
    R = np.stack([_synthetic(t.on_axis.impedance, t.synthetic.mask_after, np.ones(1))[1]
                  for t in ties])
    M = np.stack([t.synthetic.mask_after for t in ties])
    w = estimate_wavelet(np.stack([t.trace for t in ties]) * M, R, n_w, origin=n_w // 2,
                         damp=1e-2)
    shared = [float(_corr(np.convolve(r, w, mode="same"), t.trace[None], m)[0])
              for r, t, m in zip(R, ties, M)]
    return Bunch(ties=ties, frequency=f, polarity=sign, shared_correlation=shared,
                 wavelet=Bunch(time=(np.arange(n_w) - n_w // 2) * dt, amplitude=w))
