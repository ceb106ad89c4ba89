"""The synthetic-data recipe of Das, Pollack, Wollner & Mukerji (2019), in numpy/scipy.

The published scripts (github.com/vishaldas/CNN_based_impedance_inversion, MATLAB + SGeMS) make
the data in five steps; this module reproduces each with a documented simplification:

1. **Facies** (sand / shale) on a 1-D column of ``n_layers`` 1-m cells. The paper uses SGeMS
   sequential indicator simulation (SISIM), marginal probabilities 0.4 sand / 0.6 shale, a
   spherical indicator variogram (nugget 0.03) whose *vertical range* is the "challenge test"
   parameter (training/test ranges 10-60 m, hard tests 3-8 m and 70-100 m). Here: a two-state
   Markov chain whose one-cell change probability equals the published indicator variogram at
   a lag of one cell, nugget included: P(change) = 2 p (1 - p) g(1) with
   g(1) = 0.03 + 0.97 (1.5 / a - 0.5 / a^3) (``SGEMS_Commands.txt``: nugget 0.03, spherical
   contribution 0.97), i.e. mean bed thicknesses sand ``1 / (0.6 g(1))``, shale
   ``1 / (0.4 g(1))`` cells. The nugget matters for the long ranges (it halves the mean bed
   thickness at 60 m: 28 m instead of 47 m over the default 10-60 m mix). (A truncated
   Gaussian field with that covariance was tried first: it makes far too many thin beds, 9 m on
   average for a 60 m range.)
2. **Porosity and clay content** per facies: SGeMS SGSIM with the published sand/shale
   histograms as target (``SandPhiData.txt``, ``ShalePhiData.txt``, ``SandClayData.txt``,
   ``ShaleClayData.txt``; ``nonParamCdf`` with "No extrapolation" tails). Here: quantile tables
   read off those histograms (:data:`PETRO_QUANTILES`) applied to Gaussian fields with a
   spherical covariance (nugget 0.03) of range ``property_range``. 20 m is what the SGeMS
   commands ask for; but the *published realisations* carry no vertical correlation of
   porosity or clay: in ``facies_clay_porosity_60.txt`` (columns 0-9, levels 0-6, 59 pairs of
   vertically adjacent cells of the same facies) the lag-1 correlation is 0.04 for clay and
   -0.05 for porosity (a 20 m range gives 0.90), and the layer impedances of the published test
   log ``ABC_uncertainty/True_Ip_for_ABC.txt`` (62 layers of one facies) have a lag-1
   correlation of 0.06. ``property_range=0`` (independent cells, the default) reproduces that
   output: the seismic amplitudes then match the paper's (min/max -0.26/0.29 over 1,000 default traces,
   paper about -0.23/0.29; -0.37/0.41 with 20 m) and the paper's network scores a mean Pearson
   correlation 0.69 / relative L2 0.13 instead of 0.62 / 0.24 (paper: 0.79 / 0.10).
3. **Fluid**: brine everywhere except a gas-bearing interval (water saturation ~ N(0.23, 0.03))
   from the top of the thickest facies-1 bed down to a uniformly drawn depth above the top of the
   next facies-1 bed -- as in the published ``RockPhysics_Step2.m``, whose bed search picks the
   thickest run of category 1 (the *shale* category of the SGeMS script).
4. **Rock physics**: the soft-sand (uncemented sand) model -- Hertz-Mindlin contact moduli at
   critical porosity 0.4, coordination number 14, 16.5 MPa effective pressure, the modified lower
   Hashin-Shtrikman bound to the mineral point, Gassmann fluid substitution; minerals quartz
   (0.8 (1 - clay)), feldspar (0.2 (1 - clay)) and clay (K = 21, G = 7 GPa, 2.65 g/cc), all with
   the constants of the published ``SoftSandNew.m``.
5. **Seismic**: Kennett modelling with all internal multiples and no free surface
   (:func:`impedance_sklearn.physics.kennett`), particle-displacement polarity as ``kennet.m``
   (an impedance increase reflects ``-r`` times the wavelet), a minimum-phase Ormsby 4-10-50-70 Hz
   wavelet built like SeisLab's ``s_create_wavelet`` (248 ms, cepstral minimum phase, half Parzen
   taper, Hilbert envelope peak 1), dt = 4.3875e-4 s. The seismogram is cut to start 24 samples
   after time zero (the wavelet's first extremum) and to the impedance log's length; the
   impedance is put on the two-way-time axis with ``'next'`` interpolation
   (:func:`impedance_sklearn.physics.depth_to_time`).
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import ndtr
from sklearn.utils import Bunch, check_random_state

from impedance_sklearn.forward import KennettModel
from impedance_sklearn.physics import depth_to_time, layer_times
from impedance_sklearn.rockphysics import ROCK, soft_sand
from impedance_sklearn.wavelets import DAS_DT, das2019_wavelet

__all__ = ["make_impedance_dataset"]

#: Approximate quantiles (probabilities ``PETRO_PROBS``) of the four histograms published with the
#: paper (``SandPhiData.txt``, ``ShalePhiData.txt``, ``SandClayData.txt``, ``ShaleClayData.txt``),
#: read off the data files; fractions.
PETRO_PROBS = np.array([0.0, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 1.0])
PETRO_QUANTILES = {
    ("sand", "phi"): np.array([0.11, 0.17, 0.21, 0.24, 0.27, 0.29, 0.31, 0.33, 0.40]),
    ("shale", "phi"): np.array([0.11, 0.13, 0.14, 0.16, 0.19, 0.205, 0.213, 0.22, 0.30]),
    ("sand", "clay"): np.array([0.00, 0.04, 0.07, 0.11, 0.17, 0.32, 0.57, 0.63, 0.70]),
    ("shale", "clay"): np.array([0.70, 0.73, 0.75, 0.78, 0.81, 0.84, 0.86, 0.87, 0.91]),
}

DAS_LAG = 24
NUGGET = 0.03


# --------------------------------------------------------------------------------------------
# geostatistics
# --------------------------------------------------------------------------------------------
def _spherical_cholesky(n, a, nugget):
    h = np.abs(np.subtract.outer(np.arange(n), np.arange(n))).astype(float)
    x = np.minimum(h / a, 1.0)
    C = (1.0 - nugget) * (1.0 - 1.5 * x + 0.5 * x**3) + nugget * (h == 0)
    return np.linalg.cholesky(C + 1e-10 * np.eye(n))


def _gaussian_fields(rng, ranges, n_layers, nugget=NUGGET):
    """Standard Gaussian 1-D fields, one per entry of ``ranges`` (m = cells), spherical covariance."""
    out = np.empty((ranges.size, n_layers))
    for a in np.unique(ranges):
        sel = ranges == a
        L = _spherical_cholesky(n_layers, a, nugget)
        out[sel] = rng.standard_normal((int(sel.sum()), n_layers)) @ L.T
    return out


def _markov_facies(rng, ranges, n_layers, p_sand, nugget=NUGGET):
    """Sand (0) / shale (1) columns as a stationary two-state Markov chain (one step per cell).

    The transition probabilities reproduce the indicator variogram of the published SGeMS
    commands at a lag of one cell: sill ``p (1 - p)``, nugget ``nugget`` and a spherical
    structure of range ``a`` (cells), g(1) = nugget + (1 - nugget)(1.5 / a - 0.5 / a^3) (1 for
    a <= 1), so P(change over one cell) = 2 gamma_I(1) = 2 p (1 - p) g(1): sand beds average
    1 / ((1 - p) g(1)) cells and shale beds 1 / (p g(1)) cells.
    """
    a = np.asarray(ranges, dtype=float)
    sph = np.where(a > 1, 1.5 / np.maximum(a, 1) - 0.5 / np.maximum(a, 1) ** 3, 1.0)
    g1 = nugget + (1 - nugget) * sph
    k = np.minimum(g1, 1.0 / max(p_sand, 1 - p_sand))
    to_shale, to_sand = k * (1 - p_sand), k * p_sand
    u = rng.random_sample((ranges.size, n_layers))
    shale = np.empty((ranges.size, n_layers), dtype=bool)
    shale[:, 0] = u[:, 0] >= p_sand
    for i in range(1, n_layers):
        prev = shale[:, i - 1]
        shale[:, i] = np.where(prev, u[:, i] >= to_sand, u[:, i] < to_shale)
    return shale.astype(np.int8)


def _gas_interval(shale):
    """Gas interval of each trace, as ``RockPhysics_Step2.m``: from the top of the thickest
    facies-1 bed down to a uniformly drawn depth between that top and the top of the next
    facies-1 bed (or the bottom). Returns (top, span): candidate cells ``top .. top + span - 1``."""
    n_tr, n = shale.shape
    m = np.zeros((n_tr, n + 2), dtype=np.int8)
    m[:, 1:-1] = shale
    d = np.diff(m, axis=1)
    top = np.zeros(n_tr, dtype=int)
    span = np.zeros(n_tr, dtype=int)
    for i in range(n_tr):
        s = np.flatnonzero(d[i] == 1)
        if s.size:
            e = np.flatnonzero(d[i] == -1)
            k = int(np.argmax(e - s))
            top[i] = s[k]
            span[i] = (s[k + 1] if k + 1 < s.size else n - 1) - s[k] + 1
    return top, span


# --------------------------------------------------------------------------------------------
# the generator
# --------------------------------------------------------------------------------------------
def _check_int(x, name, low):
    if not isinstance(x, numbers.Integral) or isinstance(x, bool) or x < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {x!r}.")
    return int(x)


def _check_real(x, name, low, strict=False):
    if not isinstance(x, numbers.Real) or isinstance(x, bool) or not np.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x!r}.")
    if x < low or (strict and x == low):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {low}, got {x!r}.")
    return float(x)


def make_impedance_dataset(
    n_traces,
    n_samples=331,
    dt=DAS_DT,
    wavelet=None,
    multiples=True,
    vertical_range=(10.0, 60.0),
    noise=0.0,
    random_state=None,
    return_info=False,
    *,
    n_layers=200,
    layer_thickness=1.0,
    sand_fraction=0.4,
    gas=True,
    lag=None,
    wavelet_origin=0,
    interpolation="next",
    scale=1e6,
    chunk_size=1000,
    property_range=0.0,
):
    """Synthetic seismic and impedance traces following Das et al. (2019).

    Layered earth (sand/shale facies, porosity, clay, gas) -> soft-sand rock physics -> Kennett
    seismograms with all internal multiples, exactly the recipe of the paper's published scripts
    up to the documented simplifications of :mod:`impedance_sklearn._synthetic` (a Markov chain for
    the facies and Gaussian fields with histogram quantile tables for porosity and clay instead of
    SGeMS).

    Parameters
    ----------
    n_traces : int
        Number of traces (independent 1-D earth models).
    n_samples : int, default=331
        Trace length (samples of seismic and of impedance).
    dt : float, default=4.3875e-4
        Sampling interval in seconds.
    wavelet : array-like of shape (n_w,), optional
        Source wavelet; default: the paper's minimum-phase Ormsby 4-10-50-70 Hz wavelet
        (:func:`das2019_wavelet`, Hilbert-envelope peak 1). Its time zero is at
        ``wavelet_origin``.
    multiples : bool, default=True
        Kennett modelling with all internal multiples; ``False`` gives primaries only (with
        transmission losses).
    vertical_range : float or (float, float), default=(10, 60)
        Vertical range (m) of the facies variogram -- the paper's challenge-test parameter. A
        pair draws each trace's range uniformly from 21 equally spaced values between the two (the
        paper's training design, ``linspace(10, 60, 21)``).
    noise : float, default=0.0
        Additive white Gaussian noise, as the ratio of the noise RMS to each trace's signal RMS
        (``noise=0.1`` is an amplitude SNR of 10, 20 dB).
    random_state : int, RandomState instance or None, default=None
        Seed; the output is deterministic for a given seed.
    return_info : bool, default=False
        Also return a :class:`~sklearn.utils.Bunch` with the model and modelling details.
    n_layers : int, default=200
        Number of layers of the earth model (the last one is a half-space).
    layer_thickness : float, default=1.0
        Layer thickness (m).
    sand_fraction : float, default=0.4
        Marginal proportion of sand.
    gas : bool, default=True
        Put a gas-bearing interval in the thickest facies-1 bed (as the published scripts).
    lag : int, optional
        Samples between time zero and the first seismic sample; default 24 (the paper) for the
        default wavelet, 0 for a user wavelet.
    wavelet_origin : int, default=0
        Index of time zero in ``wavelet`` (``len(wavelet) // 2`` for a zero-phase one).
    interpolation : {"next", "previous"}, default="next"
        Depth-to-time rule (see :func:`impedance_sklearn.physics.depth_to_time`); ``"next"`` is
        the paper's.
    scale : float, default=1e6
        The impedance (m/s x kg/m^3) is divided by ``scale``.
    chunk_size : int, default=1000
        Traces modelled at once (memory); the output does not depend on it.
    property_range : float, default=0.0
        Vertical range (m) of the spherical variogram (nugget 0.03) of porosity and clay. The
        default ``0`` draws them independently from cell to cell, which is what the paper's
        published realisations show (module docstring, step 2) and gives the paper's seismic
        amplitudes and network scores closest to the paper's; ``20.0`` is what the published
        SGeMS commands ask for (smoother properties, stronger seismic-scale contrasts).

    Returns
    -------
    X : ndarray of shape (n_traces, n_samples)
        Seismic traces (particle-displacement polarity, the wavelet scale: amplitudes of the order
        of the reflection coefficients).
    y : ndarray of shape (n_traces, n_samples)
        Acoustic impedance / ``scale`` on the same time samples.
    info : Bunch, only if ``return_info``
        ``wavelet``, ``wavelet_origin``, ``dt``, ``lag``, ``time`` (s, of the samples of ``X`` and
        ``y``: ``y`` at ``i dt``, the seismic sample ``i`` at ``(i + lag) dt`` after the shot),
        ``vp`` (m/s), ``rho`` (kg/m^3), ``phi``, ``clay``, ``sw``, ``facies`` (0 sand, 1 shale),
        each (n_traces, n_layers), ``thickness`` (m), ``layer_time`` (two-way time to each layer
        top, s), ``vertical_range`` (per trace, m), ``noise_free`` (X before noise).

    Examples
    --------
    >>> from impedance_sklearn.datasets import make_impedance_dataset
    >>> X, y = make_impedance_dataset(20, random_state=0)
    >>> X.shape, y.shape
    ((20, 331), (20, 331))
    >>> bool(2.0 < y.min() and y.max() < 11.0)  # impedance / 1e6
    True
    """
    n_traces = _check_int(n_traces, "n_traces", 1)
    n_samples = _check_int(n_samples, "n_samples", 1)
    n_layers = _check_int(n_layers, "n_layers", 2)
    dt = _check_real(dt, "dt", 0.0, strict=True)
    layer_thickness = _check_real(layer_thickness, "layer_thickness", 0.0, strict=True)
    noise = _check_real(noise, "noise", 0.0)
    property_range = _check_real(property_range, "property_range", 0.0)
    scale = _check_real(scale, "scale", 0.0, strict=True)
    sand_fraction = _check_real(sand_fraction, "sand_fraction", 0.0, strict=True)
    if sand_fraction >= 1:
        raise ValueError(f"sand_fraction must be < 1, got {sand_fraction!r}.")
    if interpolation not in ("next", "previous"):
        raise ValueError(f"interpolation must be 'next' or 'previous', got {interpolation!r}.")
    vr = np.atleast_1d(np.asarray(vertical_range, dtype=float))
    if vr.ndim != 1 or vr.size not in (1, 2) or not np.all(np.isfinite(vr)) or np.any(vr <= 0):
        raise ValueError(
            f"vertical_range must be a positive number or a (low, high) pair, got {vertical_range!r}."
        )
    if vr.size == 2 and vr[0] > vr[1]:
        raise ValueError(f"vertical_range (low, high) needs low <= high, got {vertical_range!r}.")
    if wavelet is None:
        w = das2019_wavelet(dt)
        w_origin = 0
        lag = DAS_LAG if lag is None else lag
    else:
        w = np.asarray(wavelet, dtype=float)
        if w.ndim != 1 or w.size == 0 or not np.all(np.isfinite(w)):
            raise ValueError("wavelet must be a non-empty 1-D array of finite numbers.")
        w_origin = wavelet_origin
        lag = 0 if lag is None else lag
    lag = _check_int(lag, "lag", 0)
    rng = check_random_state(random_state)

    # 1. facies (per-trace vertical range, in cells)
    if vr.size == 2:
        choices = np.linspace(vr[0], vr[1], 21)
        ranges_m = choices[rng.randint(0, choices.size, n_traces)]
    else:
        ranges_m = np.full(n_traces, vr[0])
    facies = _markov_facies(rng, ranges_m / layer_thickness, n_layers, sand_fraction)
    # 2. porosity and clay per facies
    petro = np.full(n_traces, property_range / layer_thickness)
    props = {}
    for prop in ("phi", "clay"):
        values = np.empty((n_traces, n_layers))
        for code, name in ((0, "sand"), (1, "shale")):
            if property_range > 0:
                u = ndtr(_gaussian_fields(rng, petro, n_layers))
            else:  # independent cells, as the published realisations
                u = rng.random_sample((n_traces, n_layers))
            v = np.interp(u, PETRO_PROBS, PETRO_QUANTILES[(name, prop)])
            values = np.where(facies == code, v, values)
        props[prop] = values
    # 3. fluid
    sw = np.ones((n_traces, n_layers))
    if gas:
        top, span = _gas_interval(facies == 1)
        u = rng.random_sample(n_traces)
        sw_draw = rng.normal(ROCK["sw_gas"], ROCK["sw_gas_std"], (n_traces, n_layers))
        stop = top + np.round(u * span).astype(int)  # inclusive
        idx = np.arange(n_layers)
        in_gas = (idx >= top[:, None]) & (idx <= stop[:, None]) & (span[:, None] > 0)
        sw = np.where(in_gas, np.clip(sw_draw, 0.0, 1.0), 1.0)
    # 4. rock physics
    vp, rho = soft_sand(props["phi"], props["clay"], sw)
    # 5. seismic (displacement polarity) and impedance in time
    n_model = n_samples + lag
    model = KennettModel(w, origin=w_origin, dt=dt, multiples=multiples, polarity="displacement",
                         f_max=_modelling_f_max(w, dt),
                         n_fft=max(2048, 1 << int(np.ceil(np.log2(2 * (n_model + w.size))))))
    seis = model.from_layers(vp, rho, layer_thickness, n_model, chunk_size=chunk_size)
    X = seis[:, lag:]
    y = depth_to_time(vp, rho, layer_thickness, dt, n_samples, kind=interpolation) / scale
    X_clean = X
    if noise > 0:
        rms = np.sqrt(np.mean(X**2, axis=1, keepdims=True))
        X = X + noise * rms * rng.standard_normal(X.shape)
    if not return_info:
        return X, y
    info = Bunch(
        wavelet=w,
        wavelet_origin=w_origin,
        dt=dt,
        lag=lag,
        time=np.arange(n_samples) * dt,
        vp=vp,
        rho=rho,
        phi=props["phi"],
        clay=props["clay"],
        sw=sw,
        facies=facies,
        thickness=layer_thickness,
        layer_time=layer_times(vp, layer_thickness),
        vertical_range=ranges_m,
        noise_free=X_clean,
    )
    return X, y, info


def _modelling_f_max(w, dt, rtol=1e-3):
    """Frequency above which the wavelet spectrum stays below ``rtol`` of its peak."""
    n = 4096
    A = np.abs(np.fft.rfft(w, n))
    f = np.fft.rfftfreq(n, dt)
    above = np.flatnonzero(A > rtol * A.max())
    return f[min(above[-1] + 1, f.size - 1)]
