"""Training pairs from wells on a survey: the windows a model learns from, in the survey's units.

* :func:`survey_well_windows` -- every window of a chosen length inside each well's logged
  interval, with the survey trace at the well's location (or the well tie's own seismic,
  scaled to the survey), the window's start time and the well's position;
* :func:`survey_lateral`, :func:`trace_positions` -- how wells and traces are placed along a
  line (inline or crossline numbers) or on a map, for a background from several wells.

Readers know no models: this module returns arrays.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import Bunch

from impedance_sklearn.io.wells import well_windows

__all__ = ["survey_well_windows", "trace_positions", "survey_lateral", "DEFAULT_WINDOW_S"]

#: Default training window of :func:`survey_well_windows` (s): 64 samples at 4 ms.
DEFAULT_WINDOW_S = 0.256


def survey_lateral(inlines, crosslines):
    """How traces are placed along a survey: ``"inline"`` (a crossline: the inline number
    varies), ``"crossline"`` (an inline), or ``"inline-crossline"`` (a cube, on a map).

    Examples
    --------
    >>> survey_lateral([1100, 1101, 1102], [1155, 1155, 1155])
    'inline'
    """
    il, xl = np.asarray(inlines), np.asarray(crosslines)
    if np.unique(xl).size == 1:
        return "inline"
    if np.unique(il).size == 1:
        return "crossline"
    return "inline-crossline"


def trace_positions(lateral, inlines, crosslines):
    """Positions of traces (or wells) for a background from several wells: the inline or
    crossline numbers along a line, (inline, crossline) pairs on a map.

    Parameters
    ----------
    lateral : {"inline", "crossline", "inline-crossline"}
        From :func:`survey_lateral`.
    inlines, crosslines : array-like of shape (n,)

    Returns
    -------
    ndarray of shape (n,) or (n, 2)

    Examples
    --------
    >>> trace_positions("inline", [1182], [1155])
    array([1182.])
    >>> trace_positions("inline-crossline", [1182], [1155]).shape
    (1, 2)
    """
    if lateral not in ("inline", "crossline", "inline-crossline"):
        raise ValueError(f"lateral must be 'inline', 'crossline' or 'inline-crossline', got "
                         f"{lateral!r}.")
    il, xl = np.asarray(inlines, dtype=float), np.asarray(crosslines, dtype=float)
    return {"inline": il, "crossline": xl}.get(lateral, np.column_stack([il, xl]))


def _survey_trace(survey, location, name):
    """The survey trace at (inline, crossline) ``location``; a clear error when there is none."""
    headers = survey.segy
    il, xl = location
    hit = np.flatnonzero((headers.inlines == il) & (headers.crosslines == xl))
    if hit.size == 0:
        raise ValueError(f"well {name} at inline {il}, crossline {xl} is outside the survey: "
                         f"{survey.path!r} has no trace there (inlines "
                         f"{headers.inlines.min()}-{headers.inlines.max()}, crosslines "
                         f"{headers.crosslines.min()}-{headers.crosslines.max()}).")
    return survey.X[hit[0]]


def _window(window, runs, n):
    """``window``, or the default (:data:`DEFAULT_WINDOW_S` of samples, at most the shortest
    logged interval and the survey's trace); refused when longer than either."""
    name, count, (a, b), dt = min(runs, key=lambda r: r[1])
    if window is None:
        return min(max(1, int(round(DEFAULT_WINDOW_S / dt))), count, n)
    if not (isinstance(window, numbers.Integral) and window >= 1):
        raise ValueError(f"window must be a positive number of samples, got {window!r}.")
    if window > count:
        raise ValueError(f"window {window} is longer than the logged interval of {name} "
                         f"({count} samples at {dt * 1e3:g} ms, {a:.4g}-{b:.4g} s): give a "
                         f"window of {count} samples or less.")
    if window > n:
        raise ValueError(f"window {window} is longer than the survey's traces ({n} samples): "
                         "the model could not predict them.")
    return int(window)


def survey_well_windows(wells, survey, *, locations=None, window=None, names=None):
    """Training windows from several wells on a survey's sampling.

    Each well gives every window of ``window`` samples inside its logged interval
    (:func:`well_windows`). Its seismic is the survey trace at its location when ``locations``
    are given, otherwise the well's own (a tie's exported trace), de-meaned and scaled to the
    survey's RMS so that every window is in the survey's amplitude units.

    Parameters
    ----------
    wells : list of Bunch
        From :func:`load_well`; times on the survey's time axis (tied, or from a checkshot).
    survey : TraceData
        From :func:`impedance_sklearn.io.read_traces`, with ``dt``; a SEG-Y when ``locations``
        are given.
    locations : list of (inline, crossline), optional
        One per well, in order.
    window : int, optional
        Samples per window; default :data:`DEFAULT_WINDOW_S` of samples (64 at 4 ms), at most
        the shortest logged interval and the survey's trace length.
    names : list of str, optional
        The wells' names in messages; default each well's ``name`` or its index.

    Returns
    -------
    Bunch
        ``X``, ``y`` (n_windows, window) -- seismic and impedance in the survey's units (the
        impedance divided by ``survey.scale``); ``t0`` (n_windows,) -- each window's start time
        (s); ``positions`` -- each window's well position (:func:`trace_positions`) or None
        without locations; ``lateral`` (:func:`survey_lateral`, or None); ``window``;
        ``intervals`` -- each well's logged interval (s) on the survey's sampling;
        ``seismic`` -- where each well's seismic came from.

    Raises
    ------
    ValueError
        When the survey records no sampling, the locations do not match the wells, a well is
        outside the survey, or the window is longer than a logged interval or a trace.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> t = np.arange(0.0, 0.4, 0.004)
    >>> survey = Bunch(X=np.sin(40 * t)[None], dt=0.004, time=t, scale=1.0, path="line")
    >>> well = Bunch(time=t[10:60], impedance=np.full(50, 5.0), seismic=np.sin(40 * t[10:60]))
    >>> pairs = survey_well_windows([well], survey, window=32)
    >>> pairs.X.shape, pairs.positions is None
    ((18, 32), True)
    """
    wells = list(wells)
    if not wells:
        raise ValueError("no wells: give at least one.")
    names = list(names) if names is not None else [
        str(w.get("name") or f"#{i}") for i, w in enumerate(wells)]
    if len(names) != len(wells):
        raise ValueError(f"{len(names)} names for {len(wells)} wells.")
    if getattr(survey, "dt", None) is None:
        raise ValueError(f"survey {survey.path!r} records no sampling interval (use a SEG-Y).")
    if locations is not None and len(locations) != len(wells):
        raise ValueError(f"{len(locations)} well location(s) for {len(wells)} well(s): give one "
                         "per well, in order.")
    X_survey = np.asarray(survey.X, dtype=np.float64)
    n, dt = X_survey.shape[1], float(survey.dt)
    rms = float(np.sqrt(np.mean(X_survey**2)))
    lateral = None
    if locations is not None:
        headers = getattr(survey, "segy", None)
        if headers is None:
            raise ValueError(f"well locations need inline/crossline headers, and the survey "
                             f"{survey.path!r} has none (use a SEG-Y).")
        lateral = survey_lateral(headers.inlines, headers.crosslines)
    kws, runs, sources, poss = [], [], [], []
    for i, (well, name) in enumerate(zip(wells, names)):
        kw, source, pos = {}, "its own seismic, de-meaned and scaled to the survey's RMS", None
        if locations is not None:
            il, xl = locations[i]
            kw = {"seismic": _survey_trace(survey, (il, xl), name), "seismic_time": survey.time}
            source, pos = f"survey trace at inline {il}, crossline {xl}", \
                trace_positions(lateral, [il], [xl])[0]
        _, _, times = well_windows(well, dt, 1, **kw)  # the longest logged run at this sampling
        runs.append((name, times.size, (float(times[0]), float(times[-1])), dt))
        kws.append(kw)
        sources.append(source)
        poss.append(pos)
    window = _window(window, runs, n)
    Xs, ys, t0s, positions = [], [], [], []
    for well, kw, pos in zip(wells, kws, poss):
        X, y, t0 = well_windows(well, dt, window, **kw)
        if not kw:  # a tie's exported seismic has its own scale and offset
            X = X - X.mean()
            X = X * rms / max(float(np.sqrt(np.mean(X**2))), 1e-30)
        Xs.append(X)
        ys.append(y)
        t0s.append(t0)
        if pos is not None:
            positions.append(np.repeat(np.asarray(pos, dtype=float)[None], X.shape[0], axis=0))
    return Bunch(X=np.concatenate(Xs), y=np.concatenate(ys) / float(getattr(survey, "scale", 1.0)),
                 t0=np.concatenate(t0s),
                 positions=np.concatenate(positions).squeeze() if positions else None,
                 lateral=lateral, window=window, intervals=[r[2] for r in runs],
                 seismic=sources)
