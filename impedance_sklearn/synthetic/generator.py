"""The synthetic-data recipe of Das, Pollack, Wollner & Mukerji (2019), in numpy/scipy.

The published scripts (github.com/vishaldas/CNN_based_impedance_inversion, MATLAB + SGeMS) make
the data in five steps; this module reproduces each with a documented simplification:

1. **Facies** (sand / shale) on a 1-D column of ``n_layers`` 1-m cells. The paper uses SGeMS
   sequential indicator simulation (SISIM), marginal probabilities 0.4 sand / 0.6 shale, a
   spherical indicator variogram (nugget 0.03) whose *vertical range* is the "challenge test"
   parameter (training/test ranges 10-60 m, hard tests 3-8 m and 70-100 m). Here: a two-state
   Markov chain whose one-cell change probability follows the spherical indicator variogram at
   a lag of one cell, P(change) = 2 p (1 - p) g(1), g(1) = n + (1 - n)(1.5 / a - 0.5 / a^3),
   plus the nugget's "salt and pepper": each cell is redrawn from the marginal with probability
   q. The pair (n, q) = (0.01, 0.015) was fitted to the paper's own training earth models
   (``das2019_train_facies.mat``, 2,100 columns): the bed-thickness distributions per facies
   then match within a Kolmogorov-Smirnov distance of 0.03 (sand / shale mean beds 16.6 / 23.8
   cells against the paper's 16.7 / 24.3; sand fraction 0.400 against 0.397), where a chain with
   the published nugget alone (n = 0.03, q = 0) is 0.15 away (18.5 / 25.8 cells, too few beds of
   1-3 cells: 17 % of sand beds against the paper's 30 %). (A truncated Gaussian field with that
   covariance was tried first: it makes far too many thin beds, 9 m on average for a 60 m range.)
2. **Porosity and clay content** per facies: SGeMS SGSIM with the published sand/shale
   histograms as target (``SandPhiData.txt``, ``ShalePhiData.txt``, ``SandClayData.txt``,
   ``ShaleClayData.txt``; ``nonParamCdf`` with "No extrapolation" tails). Here: quantile tables
   (:data:`PETRO_QUANTILES`, 15 quantiles per facies and property, computed from the paper's
   training earth models ``das2019_train_{porosity,clay}.mat``) applied to Gaussian fields with
   a spherical covariance (nugget 0.03) of range ``property_range``. 20 m is what the SGeMS
   commands ask for; but the paper's *realisations* carry no vertical correlation of porosity or
   clay inside a bed: in its 2,100 training columns the lag-1 to lag-8 autocorrelations within
   beds are all below 0.01 in magnitude (a 20 m range gives 0.90). ``property_range=0``
   (independent cells, the default) reproduces that.
3. **Fluid**: brine everywhere except a gas-bearing interval (water saturation ~ N(0.23, 0.03))
   from the top of the thickest facies-1 bed down to a uniformly drawn depth above the top of the
   next facies-1 bed -- as in the published ``RockPhysics_Step2.m``, whose bed search picks the
   thickest run of category 1 (the *shale* category of the SGeMS script) after overwriting the
   facies of cells 1-3 with 0, 1, 0 (done here too, for the search only: the rock physics uses
   porosity, clay and saturation).
4. **Rock physics**: the soft-sand (uncemented sand) model -- Hertz-Mindlin contact moduli at
   critical porosity 0.4, coordination number 14, 16.5 MPa effective pressure, the modified lower
   Hashin-Shtrikman bound to the mineral point, Gassmann fluid substitution; minerals quartz
   (0.8 (1 - clay)), feldspar (0.2 (1 - clay)) and clay (K = 21, G = 7 GPa, 2.65 g/cc), all with
   the constants of the published ``SoftSandNew.m``.
5. **Seismic**: Kennett modelling with all internal multiples and no free surface over the whole
   band of the wavelet (every frequency of a 2048-point FFT, up to the 1,140 Hz Nyquist
   frequency: 4e-5 relative RMS from the exact response; the paper's network depends on content
   far above 70 Hz), :class:`~impedance_sklearn.physics.forward.KennettModel` /
   :func:`impedance_sklearn.physics.kennett`, particle-displacement polarity as ``kennet.m``
   (an impedance increase reflects ``-r`` times the wavelet), a minimum-phase Ormsby 4-10-50-70 Hz
   wavelet built like SeisLab's ``s_create_wavelet`` (248 ms, cepstral minimum phase, half Parzen
   taper, Hilbert envelope peak 1), dt = 4.3875e-4 s. The seismogram is cut to start 24 samples
   after time zero (the wavelet's first extremum) and to the impedance log's length; the
   impedance is put on the two-way-time axis with ``'next'`` interpolation
   (:func:`impedance_sklearn.physics.depth_to_time`). :func:`seismic_from_layers` is this step
   alone, for any layered earth models (e.g. the paper's, :func:`load_earth_models`).
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import ndtr
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from impedance_sklearn._validation import check_positive_int
from impedance_sklearn.physics import depth_to_time, layer_times
from impedance_sklearn.physics.forward import KennettModel
from impedance_sklearn.physics.rockphysics import ROCK, soft_sand
from impedance_sklearn.physics.wavelets import DAS_DT, das2019_wavelet

__all__ = ["make_impedance_dataset", "seismic_from_layers", "load_earth_models"]

#: Quantiles (at probabilities ``PETRO_PROBS``) of porosity and clay per facies in the paper's
#: 2,100 training earth models (``das2019_train_{facies,porosity,clay}.mat``); fractions.
PETRO_PROBS = np.array([0, .02, .05, .1, .2, .3, .4, .5, .6, .7, .8, .9, .95, .98, 1])
PETRO_QUANTILES = {
    ("sand", "phi"): np.array([0.1100, 0.1546, 0.1979, 0.2198, 0.2363, 0.2510, 0.2619, 0.2700,
                               0.2778, 0.2870, 0.2954, 0.3074, 0.3220, 0.3452, 0.4000]),
    ("sand", "clay"): np.array([0.0000, 0.0272, 0.0619, 0.0788, 0.1024, 0.1202, 0.1472, 0.1742,
                                0.2196, 0.3012, 0.3595, 0.5760, 0.6329, 0.6870, 0.7000]),
    ("shale", "phi"): np.array([0.1100, 0.1236, 0.1318, 0.1411, 0.1554, 0.1662, 0.1761, 0.1892,
                                0.1946, 0.1995, 0.2043, 0.2091, 0.2152, 0.2210, 0.3000]),
    ("shale", "clay"): np.array([0.7000, 0.7074, 0.7289, 0.7529, 0.7740, 0.7882, 0.7980, 0.8064,
                                 0.8170, 0.8262, 0.8365, 0.8492, 0.8587, 0.8685, 0.9100]),
}

DAS_LAG = 24
NUGGET = 0.03  # of the porosity and clay fields
#: Facies: the Markov chain's nugget and the probability of redrawing a cell (fitted, step 1).
FACIES_NUGGET, FACIES_REDRAW = 0.01, 0.015


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


def _markov_facies(rng, ranges, n_layers, p_sand, nugget=FACIES_NUGGET, redraw=FACIES_REDRAW):
    """Sand (0) / shale (1) columns: a stationary two-state Markov chain plus cell redraws.

    The chain's transition probabilities follow an indicator variogram at a lag of one cell:
    sill ``p (1 - p)``, nugget ``nugget`` and a spherical structure of range ``a`` (cells),
    g(1) = nugget + (1 - nugget)(1.5 / a - 0.5 / a^3) (1 for a <= 1), so P(change over one
    cell) = 2 gamma_I(1) = 2 p (1 - p) g(1). Then each cell is redrawn from the marginal with
    probability ``redraw`` (isolated cells: the nugget of sequential indicator simulation).
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
    if redraw > 0:
        flip = rng.random_sample(shale.shape) < redraw
        shale = np.where(flip, rng.random_sample(shale.shape) >= p_sand, shale)
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
def _wavelet_and_lag(wavelet, wavelet_origin, lag, dt):
    if wavelet is None:
        return das2019_wavelet(dt), 0, DAS_LAG if lag is None else check_positive_int(lag, "lag", 0)
    w = np.asarray(wavelet, dtype=float)
    if w.ndim != 1 or w.size == 0 or not np.all(np.isfinite(w)):
        raise ValueError("wavelet must be a non-empty 1-D array of finite numbers.")
    return w, wavelet_origin, 0 if lag is None else check_positive_int(lag, "lag", 0)


_POSITIVE = Interval(numbers.Real, 0, None, closed="neither")
_NON_NEGATIVE = Interval(numbers.Real, 0, None, closed="left")


@validate_params({
    "dt": [_POSITIVE], "n_samples": [Interval(numbers.Integral, 1, None, closed="left")],
    "lag": [None, Interval(numbers.Integral, 0, None, closed="left")],
    "multiples": ["boolean"], "interpolation": [StrOptions({"next", "previous"})],
    "scale": [_POSITIVE], "chunk_size": [Interval(numbers.Integral, 1, None, closed="left")],
}, prefer_skip_nested_validation=True)
def seismic_from_layers(vp, rho, thickness=1.0, *, dt=DAS_DT, wavelet=None, wavelet_origin=0,
                        n_samples=331, lag=None, multiples=True, interpolation="next",
                        scale=1e6, forward=None, chunk_size=1000):
    """The generator's modelling step: seismic and impedance traces of layered earth models.

    Exactly what :func:`make_impedance_dataset` does with its earth models: Kennett
    seismograms with all internal multiples over the whole band
    (:class:`~impedance_sklearn.physics.forward.KennettModel`, particle-displacement polarity as the
    paper's ``kennet.m``: an impedance increase reflects ``-r`` times the wavelet), cut to start
    ``lag`` samples after time zero (24 for the paper's wavelet, the first extremum); the
    impedance put on the same time samples with ``interpolation`` (``'next'`` is the paper's,
    see :func:`~impedance_sklearn.physics.depth_to_time`) and divided by ``scale``.

    Parameters
    ----------
    vp, rho : array-like of shape (n_traces, n_layers) or (n_layers,)
        P-wave velocity (m/s) and density (kg/m^3), layer 0 on top, the last a half-space.
    thickness : float or array-like, default=1.0
        Layer thickness (m).
    dt : float, default=4.3875e-4
        Sampling interval (s).
    wavelet : array-like, optional
        Default: the paper's minimum-phase Ormsby 4-10-50-70 Hz wavelet (time zero at sample 0).
    wavelet_origin : int, default=0
        Time zero of a given ``wavelet``.
    n_samples : int, default=331
    lag : int, optional
        Samples between time zero and the first output sample; default 24 with the paper's
        wavelet, 0 with a given one.
    multiples : bool, default=True
    interpolation : {"next", "previous"}, default="next"
    scale : float, default=1e6
    forward : ForwardModel, optional
        Another forward model (e.g. :class:`~impedance_sklearn.physics.forward.ConvolutionalModel`);
        its ``from_layers`` is called with ``n_samples + lag`` samples. Its polarity is its
        own: the forward models return pressure polarity (an impedance increase is a peak), the
        default displacement polarity, so their traces are about the negative of the default's.
    chunk_size : int, default=1000

    Returns
    -------
    X : ndarray of shape (n_traces, n_samples)
    y : ndarray of shape (n_traces, n_samples)

    Examples
    --------
    >>> import numpy as np
    >>> vp, rho = np.full((2, 200), 2500.0), np.full((2, 200), 2200.0)
    >>> vp[:, 100:] = 3000.0  # one contrast at 100 m: two-way time 80 ms
    >>> X, y = seismic_from_layers(vp, rho)
    >>> X.shape, round(float(y[0, 0]), 2), round(float(y[0, -1]), 2)
    ((2, 331), 5.5, 6.6)
    """
    dt, scale = float(dt), float(scale)
    w, w_origin, lag = _wavelet_and_lag(wavelet, wavelet_origin, lag, dt)
    n_model = n_samples + lag
    if forward is None:
        forward = KennettModel(w, origin=w_origin, dt=dt, multiples=multiples,
                               polarity="displacement",
                               n_fft=max(2048, 1 << int(np.ceil(np.log2(2 * (n_model + w.size))))))
    seis = np.atleast_2d(forward.from_layers(vp, rho, thickness, n_model, chunk_size=chunk_size)
                         if isinstance(forward, KennettModel)
                         else forward.from_layers(vp, rho, thickness, n_model))
    X = seis[:, lag:]
    y = np.atleast_2d(depth_to_time(vp, rho, thickness, dt, n_samples, kind=interpolation)) / scale
    return X, y


def _draw_earth_models(rng, n_traces, vr, n_layers, layer_thickness, sand_fraction,
                       property_range):
    """Facies, porosity and clay of ``n_traces`` columns (steps 1 and 2 of the recipe)."""
    if vr.size == 2:
        choices = np.linspace(vr[0], vr[1], 21)
        ranges_m = choices[rng.randint(0, choices.size, n_traces)]
    else:
        ranges_m = np.full(n_traces, vr[0])
    facies = _markov_facies(rng, ranges_m / layer_thickness, n_layers, sand_fraction)
    petro = np.full(n_traces, property_range / layer_thickness)
    props = {}
    for prop in ("phi", "clay"):
        values = np.empty((n_traces, n_layers))
        for code, name in ((0, "sand"), (1, "shale")):
            if property_range > 0:
                u = ndtr(_gaussian_fields(rng, petro, n_layers))
            else:  # independent cells, as the paper's realisations
                u = rng.random_sample((n_traces, n_layers))
            v = np.interp(u, PETRO_PROBS, PETRO_QUANTILES[(name, prop)])
            values = np.where(facies == code, v, values)
        props[prop] = values
    return Bunch(facies=facies, phi=props["phi"], clay=props["clay"], vertical_range=ranges_m)


def _gas_saturation(rng, facies):
    """Water saturation with the paper's gas interval (step 3), the search on the facies with
    cells 1-3 overwritten by 0, 1, 0 as ``RockPhysics_Step2.m`` does."""
    n_traces, n_layers = facies.shape
    search = np.array(facies, dtype=np.int8)
    k = min(3, n_layers)
    search[:, :k] = np.array([0, 1, 0], dtype=np.int8)[:k]
    top, span = _gas_interval(search == 1)
    u = rng.random_sample(n_traces)
    sw_draw = rng.normal(ROCK["sw_gas"], ROCK["sw_gas_std"], (n_traces, n_layers))
    stop = top + np.round(u * span).astype(int)  # inclusive
    idx = np.arange(n_layers)
    in_gas = (idx >= top[:, None]) & (idx <= stop[:, None]) & (span[:, None] > 0)
    return np.where(in_gas, np.clip(sw_draw, 0.0, 1.0), 1.0)


def load_earth_models(facies, porosity, clay):
    """Earth models from three MATLAB files: the paper's ``das2019_train_*.mat`` format.

    Each file holds one numeric array (``zFaciesMat``, ``zPhiMat``, ``zClayMat`` in the
    paper's; any single variable otherwise) whose last axis runs over the cells of a column,
    top first; the other axes are flattened in C order (the paper's (10, 210, 200): column
    ``i * 210 + j`` is row ``i * 210 + j``).

    Parameters
    ----------
    facies, porosity, clay : str or path-like
        The three files (facies 0 = sand, 1 = shale; fractions for the others).

    Returns
    -------
    Bunch
        ``facies`` (int8), ``phi``, ``clay``, each of shape (n_columns, n_cells), and
        ``source`` (the three paths). Pass it as ``make_impedance_dataset(...,
        earth_models=...)``.
    """
    from impedance_sklearn.io.mat import _variables

    arrays = []
    for path, what in ((facies, "facies"), (porosity, "porosity"), (clay, "clay")):
        variables = {k: v for k, v in _variables(path).items()
                     if np.asarray(v).dtype.kind in "fiub" and np.asarray(v).ndim >= 1}
        if len(variables) != 1:
            raise ValueError(
                f"{what} file {str(path)!r}: expected one numeric array, found "
                f"{sorted(variables) or 'none'}."
            )
        A = np.asarray(next(iter(variables.values())))
        arrays.append(A.reshape(-1, A.shape[-1]))
    if len({a.shape for a in arrays}) != 1:
        raise ValueError(
            f"facies, porosity and clay have different shapes {[a.shape for a in arrays]}; "
            "expected one value per cell of the same columns."
        )
    F, P, C = arrays
    if not np.isin(F, (0, 1)).all():
        raise ValueError("facies must be 0 (sand) or 1 (shale) in every cell.")
    if not (np.isfinite(P).all() and np.isfinite(C).all()):
        raise ValueError("porosity and clay must be finite in every cell.")
    return Bunch(facies=F.astype(np.int8), phi=P.astype(np.float64), clay=C.astype(np.float64),
                 source=[str(facies), str(porosity), str(clay)])


@validate_params({
    "n_traces": [Interval(numbers.Integral, 1, None, closed="left")],
    "n_samples": [Interval(numbers.Integral, 1, None, closed="left")],
    "dt": [_POSITIVE], "multiples": ["boolean"], "noise": [_NON_NEGATIVE],
    "random_state": ["random_state"], "return_info": ["boolean"],
    "n_layers": [Interval(numbers.Integral, 2, None, closed="left")],
    "layer_thickness": [_POSITIVE],
    "sand_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
    "property_range": [_NON_NEGATIVE],
    "lag": [None, Interval(numbers.Integral, 0, None, closed="left")],
    "interpolation": [StrOptions({"next", "previous"})], "scale": [_POSITIVE],
    "chunk_size": [Interval(numbers.Integral, 1, None, closed="left")],
}, prefer_skip_nested_validation=True)
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
    earth_models=None,
    forward=None,
):
    """Synthetic seismic and impedance traces following Das et al. (2019).

    Layered earth (sand/shale facies, porosity, clay, gas) -> soft-sand rock physics -> Kennett
    seismograms with all internal multiples over the whole band, exactly the recipe of the
    paper's published scripts up to the documented simplifications of
    :mod:`impedance_sklearn.synthetic.generator` (a calibrated Markov chain for the facies and quantile
    tables for porosity and clay instead of SGeMS). The modelling step alone is
    :func:`seismic_from_layers`.

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
        realisations show (module docstring, step 2); ``20.0`` is what the published SGeMS
        commands ask for (smoother properties, stronger seismic-scale contrasts).
    earth_models : Bunch, optional
        Earth models to use instead of drawing them: ``facies``, ``phi`` and ``clay`` of shape
        (n_columns, n_layers), e.g. the paper's own training models from
        :func:`load_earth_models`; the first ``n_traces`` columns are used (the gas interval is
        drawn as the paper does), and ``vertical_range``, ``n_layers``, ``sand_fraction`` and
        ``property_range`` are ignored.
    forward : ForwardModel, optional
        The forward model of :func:`seismic_from_layers` (default: Kennett with all multiples,
        displacement polarity, the whole band; a given model keeps its own polarity, see there).

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
        top, s), ``vertical_range`` (per trace, m; NaN for given earth models), ``noise_free``
        (X before noise).

    Examples
    --------
    >>> from impedance_sklearn.datasets import make_impedance_dataset
    >>> X, y = make_impedance_dataset(20, random_state=0)
    >>> X.shape, y.shape
    ((20, 331), (20, 331))
    >>> bool(2.0 < y.min() and y.max() < 11.0)  # impedance / 1e6
    True
    """
    n_traces, n_layers, dt = int(n_traces), int(n_layers), float(dt)
    layer_thickness, noise = float(layer_thickness), float(noise)
    property_range, sand_fraction = float(property_range), float(sand_fraction)
    vr = np.atleast_1d(np.asarray(vertical_range, dtype=float))
    if vr.ndim != 1 or vr.size not in (1, 2) or not np.all(np.isfinite(vr)) or np.any(vr <= 0):
        raise ValueError(
            f"vertical_range must be a positive number or a (low, high) pair, got {vertical_range!r}."
        )
    if vr.size == 2 and vr[0] > vr[1]:
        raise ValueError(f"vertical_range (low, high) needs low <= high, got {vertical_range!r}.")
    rng = check_random_state(random_state)
    # 1.-2. facies, porosity and clay
    if earth_models is None:
        model = _draw_earth_models(rng, n_traces, vr, n_layers, layer_thickness, sand_fraction,
                                   property_range)
    else:
        n_cols = np.shape(earth_models["facies"])[0]
        if n_traces > n_cols:
            raise ValueError(
                f"n_traces={n_traces} but earth_models holds {n_cols} columns; ask for at most "
                f"{n_cols}."
            )
        model = Bunch(**{k: np.asarray(earth_models[k])[:n_traces]
                         for k in ("facies", "phi", "clay")},
                      vertical_range=np.full(n_traces, np.nan))
    # 3.-4. fluid and rock physics
    sw = _gas_saturation(rng, model.facies) if gas else np.ones(model.facies.shape)
    vp, rho = soft_sand(model.phi, model.clay, sw)
    # 5. seismic (displacement polarity) and impedance in time
    X, y = seismic_from_layers(vp, rho, layer_thickness, dt=dt, wavelet=wavelet,
                               wavelet_origin=wavelet_origin, n_samples=n_samples, lag=lag,
                               multiples=multiples, interpolation=interpolation, scale=scale,
                               forward=forward, chunk_size=chunk_size)
    X_clean = X
    if noise > 0:
        rms = np.sqrt(np.mean(X**2, axis=1, keepdims=True))
        X = X + noise * rms * rng.standard_normal(X.shape)
    if not return_info:
        return X, y
    w, w_origin, lag = _wavelet_and_lag(wavelet, wavelet_origin, lag, dt)
    info = Bunch(
        wavelet=w, wavelet_origin=w_origin, dt=dt, lag=lag, time=np.arange(n_samples) * dt,
        vp=vp, rho=rho, phi=model.phi, clay=model.clay, sw=sw, facies=model.facies,
        thickness=layer_thickness, layer_time=layer_times(vp, layer_thickness),
        vertical_range=model.vertical_range, noise_free=X_clean,
    )
    return X, y, info
