"""LAS logs in, as delivered: curves in their units, the measured interval, two-way time.

:func:`load_las` reads a LAS file (through ``lasio``) and returns the well on a time axis:

* **impedance** is density x velocity (``RHOB / DT``) wherever both were measured, with the
  units the LAS names (us/ft or us/m, g/cc or kg/m3). Data sets often fill the unlogged part of
  a curve with a smooth trend; such a fill (a run of at least :data:`FILL_MIN_SAMPLES` samples
  whose second differences are below :data:`FILL_ROUGHNESS` of the curve's own 90th
  percentile) is not a measurement, and those depths carry no impedance. A precomputed
  impedance curve (``impedance="AI"``) is used only when asked, and never its filled part.
* **time** from the sonic, anchored at ``time_at_top``, or from a time-depth table calibrated
  with the sonic (:func:`impedance_sklearn.io.timedepth.log_time`): below the deepest row the
  sonic carries the time on; a time is never held.
* **notes**: every assumption made (units, fills dropped, the interval used), for the command
  line to print.

Readers know no models: this module returns arrays.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from impedance_sklearn.io.timedepth import clean_time_depth, log_time, read_time_depth

__all__ = ["load_las", "measured", "SONIC_CURVES", "DENSITY_CURVES", "IMPEDANCE_CURVES"]

#: LAS curve mnemonics tried in order (case-insensitive) when none is named.
SONIC_CURVES = ("DT", "DTC", "DTCO", "AC", "DTP", "SONIC")
DENSITY_CURVES = ("RHOB", "RHOZ", "DEN", "DENS", "RHO")
#: Precomputed impedance curves: used only when named (``impedance=``).
IMPEDANCE_CURVES = ("AI", "IP", "IMP", "ZP", "PIMP")

#: A fill: a run of at least this many samples ...
FILL_MIN_SAMPLES = 20
#: ... whose absolute second differences stay below this fraction of the curve's 90th
#: percentile (F3: about 1e-4 in the fills against 1-10 measured).
FILL_ROUGHNESS = 1e-2

_FT = 0.3048


def measured(values, *, min_samples=FILL_MIN_SAMPLES, roughness=FILL_ROUGHNESS):
    """Which samples of a log curve were measured: finite, and not inside a smooth fill.

    A fill is a run of at least ``min_samples`` samples whose absolute second differences are
    below ``roughness`` times their 90th percentile over the curve: a trend or a straight line
    drawn where the tool did not log (measured logs are rough at every sample).

    Parameters
    ----------
    values : array-like of shape (n,)
    min_samples : int
    roughness : float

    Returns
    -------
    ndarray of bool, shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> rough = np.random.default_rng(1).normal(100, 5, 60)
    >>> log = np.concatenate([np.linspace(80, 100, 40), rough])  # a trend above the log
    >>> m = measured(log)
    >>> int(m[:40].sum()), int(m[40:].sum())
    (0, 60)
    """
    v = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(v)
    d2 = np.full(v.shape, np.nan)
    d2[1:-1] = np.abs(v[2:] - 2 * v[1:-1] + v[:-2])
    fin = np.isfinite(d2)
    if fin.sum() < 3:
        return ok
    scale = np.percentile(d2[fin], 90)
    if not scale > 0:  # a blocked (piecewise constant) log: no roughness to tell fills by
        return ok
    small = fin & (d2 < roughness * scale)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], small.astype(np.int8), [0]])))
    fill = np.zeros(v.shape, dtype=bool)
    for a, b in zip(edges[::2], edges[1::2]):
        if b - a >= min_samples:
            fill[max(a - 1, 0):b + 1] = True  # the run's end points belong to the line too
    return ok & ~fill


def _curve(las, names, wanted, path):
    available = {c.mnemonic.upper(): c for c in las.curves}
    if wanted is not None:
        c = available.get(str(wanted).upper())
        if c is None:
            raise ValueError(
                f"LAS file {str(path)!r} has no curve {wanted!r}; curves: {sorted(available)}."
            )
        return c
    for n in names:
        if n in available:
            return available[n]
    return None


def _unit(curve):
    return (curve.unit or "").lower().replace(" ", "").replace("µ", "u")


def _slowness_s_per_m(curve, path):
    unit = _unit(curve)
    values = np.asarray(curve.data, dtype=np.float64)
    if unit in ("us/m", "usec/m", "us/meter", "us/metre"):
        return values * 1e-6, "us/m"
    if unit in ("us/ft", "usec/ft", "us/f", "usec/f", "us/feet", ""):
        return values * 1e-6 / _FT, "us/ft" + (" (no unit given: the LAS default)" if not unit
                                              else "")
    if unit == "s/m":
        return values, "s/m"
    raise ValueError(
        f"LAS file {str(path)!r}: sonic curve {curve.mnemonic!r} has unit {curve.unit!r}; "
        "expected us/ft, us/m or s/m."
    )


def _density_kg_m3(curve, path):
    unit = _unit(curve)
    values = np.asarray(curve.data, dtype=np.float64)
    if unit in ("g/cc", "g/cm3", "g/cm^3", "gm/cc", "g/c3", "gr/cc", ""):
        return values * 1000.0, "g/cc" + (" (no unit given)" if not unit else "")
    if unit in ("kg/m3", "kg/m^3"):
        return values, "kg/m3"
    raise ValueError(
        f"LAS file {str(path)!r}: density curve {curve.mnemonic!r} has unit {curve.unit!r}; "
        "expected g/cc or kg/m3."
    )


def _depth_m(las, path):
    unit = (las.curves[0].unit or "").lower()
    depth = np.asarray(las.index, dtype=np.float64)
    if unit in ("f", "ft", "feet"):
        return depth * _FT, "ft"
    if unit in ("m", "meters", "metres", ""):
        return depth, "m"
    raise ValueError(f"LAS file {str(path)!r}: depth unit {unit!r}; expected m or ft.")


def _header_location(las):
    """What the LAS header says of where the well is (x, y), or {}."""
    from impedance_sklearn.io.lasheader import las_location

    xy = las_location(las)
    return {} if xy is None else {"x": float(xy[0]), "y": float(xy[1])}


def _span(depth, mask):
    idx = np.flatnonzero(mask)
    return (float(depth[idx[0]]), float(depth[idx[-1]])) if idx.size else None


def load_las(path, *, scale=1e6, sonic=None, density=None, impedance=None, time_depth=None,
             time_at_top=0.0, depth_unit=None, time_unit=None):
    """A LAS log on a time axis (see the module docstring); :func:`~impedance_sklearn.io.load_well`
    calls it for ``.las`` files.

    Parameters
    ----------
    path : path-like
    scale : float, default=1e6
        Impedance is divided by it.
    sonic, density : str, optional
        Curve names; default the first of :data:`SONIC_CURVES` / :data:`DENSITY_CURVES`.
    impedance : str, optional
        A precomputed impedance curve to use instead of density / slowness (its filled part
        dropped); default none: impedance is computed.
    time_depth : str, path-like, Bunch or (m, 2) array, optional
        A checkshot: a file (:func:`~impedance_sklearn.io.timedepth.read_time_depth`, depth
        in the LAS's unit unless it says otherwise) or a table (depth m, two-way time s).
    time_at_top : float, default=0.0
        Without ``time_depth``: two-way time (s) at the sonic's first sample.
    depth_unit, time_unit : str, optional
        The checkshot file's units, overriding its header and the inference.

    Returns
    -------
    Bunch
        As :func:`~impedance_sklearn.io.load_well`, with ``measured`` (the measured interval,
        depth m) and ``notes``.
    """
    try:
        import lasio
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ImportError("reading LAS files needs lasio: pip install lasio") from exc
    try:
        las = lasio.read(str(path))
    except Exception as exc:
        raise ValueError(f"{str(path)!r} is not a readable LAS file ({exc}).") from None
    name = Path(path).name
    depth, d_unit = _depth_m(las, path)
    notes = []
    s_curve = _curve(las, SONIC_CURVES, sonic, path)
    if s_curve is None and time_depth is None:
        raise ValueError(
            f"LAS file {str(path)!r} has no sonic curve (tried {list(SONIC_CURVES)}); name one "
            "with sonic=, or give a time-depth table (time_depth=)."
        )
    slowness = None
    if s_curve is not None:
        slowness, s_unit = _slowness_s_per_m(s_curve, path)
        slowness = np.where(slowness > 0, slowness, np.nan)
    if impedance is not None:
        i_curve = _curve(las, IMPEDANCE_CURVES, impedance, path)
        imp = np.asarray(i_curve.data, dtype=np.float64)
        ok = measured(imp)
        for c in (s_curve, _curve(las, DENSITY_CURVES, density, path)):
            if c is not None:  # where the inputs were filled, so is the product
                ok &= measured(c.data) | ~np.isfinite(np.asarray(c.data, dtype=float))
        what = f"curve {i_curve.mnemonic} ({i_curve.unit or 'no unit'}), as asked"
        filled = np.isfinite(imp) & ~ok
    else:
        d_curve = _curve(las, DENSITY_CURVES, density, path)
        if d_curve is None or slowness is None:
            raise ValueError(
                f"LAS file {str(path)!r}: impedance needs a density curve (tried "
                f"{list(DENSITY_CURVES)}) and a sonic curve; a precomputed impedance curve is "
                f"used only when named (impedance= / --impedance-curve; curves here: "
                f"{sorted(c.mnemonic for c in las.curves)})."
            )
        rho, r_unit = _density_kg_m3(d_curve, path)
        s_ok, r_ok = measured(s_curve.data), measured(d_curve.data)
        imp = rho / slowness
        ok = s_ok & r_ok
        filled = np.isfinite(imp) & ~ok
        what = (f"{d_curve.mnemonic} ({r_unit}) / {s_curve.mnemonic} ({s_unit}) where both "
                "were measured")
    ok &= np.isfinite(depth) & np.isfinite(imp) & (imp > 0)
    if filled.any():
        edges = np.flatnonzero(np.diff(np.concatenate([[0], filled.astype(np.int8), [0]])))
        runs = [f"{depth[a]:.1f}-{depth[b - 1]:.1f} m" for a, b in zip(edges[::2], edges[1::2])]
        notes.append(f"{name}: smoothly filled curve (not a measurement), no impedance at "
                     f"{', '.join(runs[:4])}{f' and {len(runs) - 4} more' if len(runs) > 4 else ''}")
    if ok.sum() < 2:
        raise ValueError(f"LAS file {str(path)!r}: fewer than 2 depths with measured logs.")
    if time_depth is not None:
        if isinstance(time_depth, (str, Path)):
            time_depth = read_time_depth(time_depth, depth_unit=depth_unit, time_unit=time_unit,
                                         log_depth_unit=d_unit)
        elif not isinstance(time_depth, Bunch):
            td = np.asarray(time_depth, dtype=np.float64)
            if td.ndim != 2 or td.shape[1] != 2 or td.shape[0] < 2 or \
                    not np.all(np.isfinite(td)):
                raise ValueError("time_depth must be an (n, 2) table of finite (depth m, "
                                 "two-way time s) rows, at least 2.")
            time_depth = clean_time_depth(td[:, 0], td[:, 1], where="time_depth")
        notes.extend(time_depth.get("notes", []))
        time, t_notes = log_time(depth, slowness, time_depth=time_depth)
    else:
        time, t_notes = log_time(depth, slowness, time_at_top=float(time_at_top))
    notes.extend(f"{name}: {n}" for n in t_notes)
    if (ok & ~np.isfinite(time)).any():
        notes.append(f"{name}: {int((ok & ~np.isfinite(time)).sum())} measured depth(s) with no "
                     "time (outside the time-depth table, no sonic there): dropped")
    ok &= np.isfinite(time)
    if ok.sum() < 2:
        raise ValueError(f"LAS file {str(path)!r}: fewer than 2 measured depths have a time.")
    lo, hi = _span(depth, ok)
    t_ok = time[ok]
    notes.append(f"{name}: impedance = {what}: {lo:.1f}-{hi:.1f} m, "
                 f"{t_ok.min():.4g}-{t_ok.max():.4g} s two-way")
    well_name = las.well["WELL"].value if "WELL" in las.well else Path(path).stem
    return Bunch(depth_all=depth, time_all=time, depth=depth[ok], time=time[ok],
                 impedance=imp[ok] / scale, name=str(well_name) or Path(path).stem,
                 measured=(lo, hi), notes=notes, location=_header_location(las))
