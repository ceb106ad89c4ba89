"""Training pairs from wells on a survey: the windows a model learns from, in the survey's units.

* :func:`survey_well_windows` -- every window of a chosen length inside each well's logged
  interval, with the survey trace at the well's location (or the well tie's own seismic,
  scaled to the survey), the window's start time and the well's position;
* :func:`survey_lateral`, :func:`trace_positions`, :func:`survey_positions` -- how wells and
  traces are placed along a line (inline or crossline numbers, or the map distance along an
  arbitrary line) or on a map (CDP X/Y, or inline/crossline numbers without coordinates), for a
  background from several wells.

Readers know no models: this module returns arrays.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import Bunch

from impedance_sklearn.io.geometry import line_distance, looks_like_line, survey_headers
from impedance_sklearn.io.wells import well_windows

__all__ = ["survey_well_windows", "trace_positions", "survey_positions", "survey_lateral",
           "LATERALS", "DEFAULT_WINDOW_S"]

#: Default training window of :func:`survey_well_windows` (s): 64 samples at 4 ms.
DEFAULT_WINDOW_S = 0.256


LATERALS = ("inline", "crossline", "inline-crossline", "distance", "xy")


def survey_lateral(inlines, crosslines=None, x=None, y=None):
    """How traces are placed along a survey, for a background from several wells.

    * ``"inline"`` -- a crossline (only the inline number varies): positions are inline numbers;
    * ``"crossline"`` -- an inline: crossline numbers;
    * ``"distance"`` -- an arbitrary line (both numbers vary, or neither is filled, and the
      traces form a line: :func:`~impedance_sklearn.io.geometry.looks_like_line`) with map
      coordinates: the map distance along the line from its first trace;
    * ``"xy"`` -- a map (a cube) with map coordinates: (CDP X, CDP Y);
    * ``"inline-crossline"`` -- a map without coordinates: (inline, crossline) numbers.

    Without coordinates (``x``/``y`` not given or all zero) the answer is what it was before
    coordinates were read: ``"inline"``, ``"crossline"`` or ``"inline-crossline"``.

    Parameters
    ----------
    inlines : array-like of shape (n,), or a survey
        Per-trace inline numbers; or a SegyData / TraceData of a SEG-Y / header Bunch, whose
        inlines, crosslines and CDP X/Y are used.
    crosslines : array-like of shape (n,), optional
        With inline numbers.
    x, y : array-like of shape (n,), optional
        Per-trace map coordinates (CDP X/Y).

    Examples
    --------
    >>> survey_lateral([1100, 1101, 1102], [1155, 1155, 1155])
    'inline'
    >>> survey_lateral([10, 10, 11, 11], [1, 2, 3, 4], x=[0, 25, 50, 75], y=[0, 0, 0, 0])
    'distance'
    """
    if crosslines is None:
        heads = survey_headers(inlines)
        inlines, crosslines, x, y = heads.inlines, heads.crosslines, heads.cdp_x, heads.cdp_y
    il, xl = np.asarray(inlines), np.asarray(crosslines)
    coords = x is not None and y is not None and bool(np.any(x) or np.any(y))
    one_il, one_xl = np.unique(il).size == 1, np.unique(xl).size == 1
    if coords and one_il and one_xl and il.size > 1 and looks_like_line(il, xl, x, y):
        return "distance"  # a 2-D line that leaves inline/crossline unfilled
    if one_xl:
        return "inline"
    if one_il:
        return "crossline"
    if not coords:
        return "inline-crossline"
    return "distance" if looks_like_line(il, xl, x, y) else "xy"


def _trace_indices(heads, inlines, crosslines):
    """The trace index (file order) of each (inline, crossline) pair of a survey."""
    il, xl = np.asarray(inlines).reshape(-1), np.asarray(crosslines).reshape(-1)
    sil, sxl = np.asarray(heads.inlines), np.asarray(heads.crosslines)
    if il.shape == sil.shape and np.array_equal(il, sil) and np.array_equal(xl, sxl):
        return np.arange(il.size)
    table = {}
    for k, pair in enumerate(zip(sil.tolist(), sxl.tolist())):
        table.setdefault(pair, []).append(k)
    out = np.empty(il.size, dtype=np.intp)
    for i, pair in enumerate(zip(il.tolist(), xl.tolist())):
        hit = table.get(pair)
        if not hit:
            raise ValueError(f"no trace at inline {pair[0]}, crossline {pair[1]} in "
                             f"{getattr(heads, 'path', 'the survey')!r}.")
        if len(hit) > 1:
            raise ValueError(f"{len(hit)} traces share inline {pair[0]}, crossline {pair[1]} "
                             f"in {getattr(heads, 'path', 'the survey')!r}: place the well by "
                             "its trace index (line_distance(survey, index)).")
        out[i] = hit[0]
    return out


def trace_positions(lateral, inlines, crosslines, *, survey=None):
    """Positions of traces (or wells) for a background from several wells: the inline or
    crossline numbers along a straight line, the distance along an arbitrary line, (inline,
    crossline) pairs or (x, y) on a map.

    Parameters
    ----------
    lateral : {"inline", "crossline", "inline-crossline", "distance", "xy"}
        From :func:`survey_lateral`.
    inlines, crosslines : array-like of shape (n,)
        The traces' (or wells') inline and crossline numbers.
    survey : SegyData, TraceData or header Bunch, optional
        Needed for ``"distance"`` (each pair's trace's
        :func:`~impedance_sklearn.io.geometry.line_distance`) and ``"xy"`` (its CDP X/Y).

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
    if lateral not in LATERALS:
        raise ValueError(f"lateral must be one of {', '.join(map(repr, LATERALS))}, got "
                         f"{lateral!r}.")
    if lateral in ("distance", "xy"):
        if survey is None:
            raise ValueError(f"positions by {lateral!r} need the survey's trace coordinates: "
                             "pass survey= (the SEG-Y's SegyData or read_trace_headers).")
        heads = survey_headers(survey)
        k = _trace_indices(heads, inlines, crosslines)
        if lateral == "distance":
            return np.asarray(line_distance(heads), dtype=float)[k]
        return np.column_stack([np.asarray(heads.cdp_x, dtype=float)[k],
                                np.asarray(heads.cdp_y, dtype=float)[k]])
    il, xl = np.asarray(inlines, dtype=float), np.asarray(crosslines, dtype=float)
    return {"inline": il, "crossline": xl}.get(lateral, np.column_stack([il, xl]))


def survey_positions(lateral, survey):
    """Every trace's position in a survey (file order), as :func:`trace_positions` gives it.

    Parameters
    ----------
    lateral : {"inline", "crossline", "inline-crossline", "distance", "xy"}
        From :func:`survey_lateral`.
    survey : SegyData, TraceData or header Bunch
        A SEG-Y's headers (:func:`~impedance_sklearn.io.segy.read_trace_headers`, for a survey
        too large to read).

    Returns
    -------
    ndarray of shape (n_traces,) or (n_traces, 2)
    """
    heads = survey_headers(survey)
    return trace_positions(lateral, heads.inlines, heads.crosslines, survey=heads)


def _survey_trace(survey, location, name):
    """The row of the survey trace at (inline, crossline) ``location``; a clear error when there
    is none."""
    headers = survey.segy
    il, xl = location
    hit = np.flatnonzero((headers.inlines == il) & (headers.crosslines == xl))
    if hit.size == 0:
        raise ValueError(f"well {name} at inline {il}, crossline {xl} is outside the survey: "
                         f"{survey.path!r} has no trace there (inlines "
                         f"{headers.inlines.min()}-{headers.inlines.max()}, crosslines "
                         f"{headers.crosslines.min()}-{headers.crosslines.max()}).")
    return int(hit[0])


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
    locations : list of (inline, crossline) or int, optional
        One per well, in order: its trace by inline and crossline numbers, or by index (file
        order; what a tie file records, and the only way on an arbitrary line whose numbers
        repeat).
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
        ``seismic`` -- where each well's seismic came from; ``groups`` (n_windows,) -- each
        window's well (its index in ``wells``): the groups of
        :class:`~sklearn.model_selection.LeaveOneGroupOut`, so that ``cross_validate`` and
        ``GridSearchCV`` score blind wells; ``well_positions`` -- each well's position;
        ``well_traces`` -- each well's row of ``survey.X`` (None without locations).

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
        lateral = survey_lateral(headers) if hasattr(headers, "cdp_x") else \
            survey_lateral(headers.inlines, headers.crosslines)
    kws, runs, sources, poss, rows = [], [], [], [], []
    for i, (well, name) in enumerate(zip(wells, names)):
        kw, source, pos = {}, "its own seismic, de-meaned and scaled to the survey's RMS", None
        k = None
        if locations is not None:
            loc = locations[i]
            if isinstance(loc, numbers.Integral):
                k = int(loc)
                if not 0 <= k < X_survey.shape[0]:
                    raise ValueError(f"well {name} at trace {k} is outside the survey: "
                                     f"{survey.path!r} has {X_survey.shape[0]} traces.")
                il, xl = int(headers.inlines[k]), int(headers.crosslines[k])
                where = f"trace {k} (inline {il}, crossline {xl})"
                pos = survey_positions(lateral, headers)[k] if lateral in ("distance", "xy") \
                    else trace_positions(lateral, [il], [xl])[0]
            else:
                il, xl = loc
                k, where = _survey_trace(survey, (il, xl), name), f"inline {il}, crossline {xl}"
                pos = trace_positions(lateral, [il], [xl], survey=headers)[0]
            kw = {"seismic": X_survey[k], "seismic_time": survey.time}
            source = f"survey trace at {where}"
        _, _, times = well_windows(well, dt, 1, **kw)  # the longest logged run at this sampling
        runs.append((name, times.size, (float(times[0]), float(times[-1])), dt))
        kws.append(kw)
        sources.append(source)
        poss.append(pos)
        rows.append(k)
    window = _window(window, runs, n)
    Xs, ys, t0s, positions, groups = [], [], [], [], []
    for g, (well, kw, pos) in enumerate(zip(wells, kws, poss)):
        X, y, t0 = well_windows(well, dt, window, **kw)
        if not kw:  # a tie's exported seismic has its own scale and offset
            X = X - X.mean()
            X = X * rms / max(float(np.sqrt(np.mean(X**2))), 1e-30)
        Xs.append(X)
        ys.append(y)
        t0s.append(t0)
        groups.append(np.full(X.shape[0], g))
        if pos is not None:
            positions.append(np.repeat(np.asarray(pos, dtype=float)[None], X.shape[0], axis=0))
    return Bunch(X=np.concatenate(Xs), y=np.concatenate(ys) / float(getattr(survey, "scale", 1.0)),
                 t0=np.concatenate(t0s),
                 positions=np.concatenate(positions).squeeze() if positions else None,
                 lateral=lateral, window=window, intervals=[r[2] for r in runs],
                 seismic=sources, groups=np.concatenate(groups), well_positions=poss,
                 well_traces=rows)
