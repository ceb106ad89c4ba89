"""Where traces and wells are on the map: a survey's CDP X/Y, lines and distances along them.

* :func:`locate_well` -- the trace nearest a well's map coordinates, refused beyond a few bins;
* :func:`line_distance` -- the map distance along a line (a 2-D or an arbitrary line) from its
  first trace, for every trace or the ones asked for;
* :func:`project_onto_line` -- a well's position along a line and its distance across it, for a
  well off the line;
* :func:`looks_like_line` -- do traces form a line (one trace per position, in order, a bin or
  so apart) rather than a map;
* :func:`trace_spacing` -- the typical distance between neighbouring traces.

Every function takes what :func:`~impedance_sklearn.io.segy.read_segy` returns (a
:class:`~impedance_sklearn.io.segy.SegyData`), :func:`~impedance_sklearn.io.read_traces`'s
:class:`~impedance_sklearn.io.TraceData` of a SEG-Y, or
:func:`~impedance_sklearn.io.segy.read_trace_headers`' Bunch: anything with ``inlines``,
``crosslines``, ``cdp_x`` and ``cdp_y``. Distances are in the file's coordinate units (metres for
a projected survey such as F3's ED50 / UTM 31N).
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import Bunch

__all__ = ["survey_headers", "looks_like_line", "has_coordinates", "trace_spacing",
           "line_distance", "locate_well", "project_onto_line", "DEFAULT_BINS"]

#: A well farther than this many trace spacings from every trace is refused by
#: :func:`locate_well` unless ``max_distance`` says otherwise.
DEFAULT_BINS = 2.5

_GEOGRAPHIC = {2: "arc seconds", 3: "decimal degrees", 4: "degrees, minutes and seconds"}


def survey_headers(survey):
    """The object holding a survey's trace headers (``inlines``, ``crosslines``, ``cdp_x``,
    ``cdp_y``): a SegyData or header Bunch as it is, a TraceData's ``segy``."""
    if hasattr(survey, "inlines") and hasattr(survey, "cdp_x"):
        return survey
    heads = getattr(survey, "segy", None)
    if heads is not None and hasattr(heads, "cdp_x"):
        return heads
    raise TypeError(f"expected a SEG-Y survey (read_segy, read_traces of a SEG-Y, or "
                    f"read_trace_headers), got {type(survey).__name__}: trace coordinates come "
                    "from SEG-Y trace headers.")


def _label(heads):
    path = getattr(heads, "path", None)
    return "the survey" if path is None else repr(str(path))


def has_coordinates(survey):
    """Whether the survey's traces carry map coordinates (CDP or source X/Y not all zero)."""
    heads = survey_headers(survey)
    x, y = heads.cdp_x, heads.cdp_y
    return x is not None and y is not None and bool(np.any(x) or np.any(y))


def _points(survey):
    """(n_traces, 2) map coordinates; a ValueError saying what to do when there are none."""
    heads = survey_headers(survey)
    if not has_coordinates(heads):
        raise ValueError(
            f"{_label(heads)} records no trace coordinates: CDP X/Y (trace header bytes "
            "181/185) and source X/Y (73/77) are zero in every trace, so a well cannot be "
            "placed by its map coordinates. Give the well's trace by its inline and crossline "
            "instead (--well-location INLINE CROSSLINE on the command line).")
    units = int(getattr(heads, "coordinate_units", 0) or 0)
    if units in _GEOGRAPHIC:
        raise ValueError(
            f"{_label(heads)} gives its trace coordinates in {_GEOGRAPHIC[units]} (trace header "
            "bytes 89-90), not in a projected length unit: map distances need projected "
            "coordinates (e.g. UTM). Give the well's trace by its inline and crossline instead "
            "(--well-location INLINE CROSSLINE).")
    return np.column_stack([np.asarray(heads.cdp_x, dtype=np.float64),
                            np.asarray(heads.cdp_y, dtype=np.float64)])


def looks_like_line(inlines, crosslines, x=None, y=None):
    """Whether traces form a line rather than a map (or a truncated cube).

    A line: one trace per (inline, crossline) pair (when the numbers vary); consecutive traces apart by a near-constant
    step (none more than twice the median, none zero: a cube's rows wrap with a jump); the path
    seldom turns back (at most 2, or 2 % of the turns, sharper than 120 degrees: a cube of two
    crosslines zig-zags); and it does not come back beside itself (at most 5 % of the traces
    within 1.5 steps of a trace more than 5 traces away: a cube read row after row does). The
    points are the map coordinates when given and not all zero, else the (inline, crossline)
    numbers.

    Parameters
    ----------
    inlines, crosslines : array-like of shape (n,)
        The traces' inline and crossline numbers, in file order.
    x, y : array-like of shape (n,), optional
        Their map coordinates (CDP X/Y).

    Returns
    -------
    bool

    Examples
    --------
    >>> looks_like_line([10, 10, 11, 11, 12], [1, 2, 3, 4, 5])   # an arbitrary line
    True
    >>> looks_like_line([1, 1, 1, 2, 2, 2, 3], [1, 2, 3, 1, 2, 3, 1])  # a truncated cube
    False
    """
    il, xl = np.asarray(inlines).reshape(-1), np.asarray(crosslines).reshape(-1)
    n = il.size
    if n < 2:
        return False
    if x is not None and y is not None and (np.any(x) or np.any(y)):
        P = np.column_stack([np.asarray(x, dtype=np.float64).reshape(-1),
                             np.asarray(y, dtype=np.float64).reshape(-1)])
    elif np.any(il) or np.any(xl):
        P = np.column_stack([il.astype(np.float64), xl.astype(np.float64)])
    else:
        return False
    numbered = np.unique(il).size > 1 or np.unique(xl).size > 1  # else a 2-D line's constants
    if numbered and np.unique(np.column_stack([il, xl]), axis=0).shape[0] < n:
        return False
    steps = np.diff(P, axis=0)
    d = np.hypot(steps[:, 0], steps[:, 1])
    m = float(np.median(d))
    if not m > 0 or d.min() <= 1e-9 * m or d.max() > 2.0 * m:
        return False
    if n < 3:
        return True
    u = steps / d[:, None]
    turns_back = int(np.count_nonzero(np.einsum("ij,ij->i", u[1:], u[:-1]) < -0.5))
    if turns_back > max(2, 0.02 * (n - 2)):
        return False
    from scipy.spatial import cKDTree

    pairs = cKDTree(P).query_pairs(1.5 * m, output_type="ndarray")
    far = pairs[np.abs(pairs[:, 0] - pairs[:, 1]) > 5] if len(pairs) else pairs
    beside = np.unique(far.reshape(-1)).size if len(far) else 0
    return beside <= max(2, 0.05 * n)


def trace_spacing(survey):
    """The median distance from a trace to its nearest neighbour (map units): the bin size
    along a line, the smaller bin side on a map; from up to 10,000 traces spread over the file.

    Parameters
    ----------
    survey : SegyData, TraceData or header Bunch

    Returns
    -------
    float
    """
    P = _points(survey)
    if P.shape[0] < 2:
        raise ValueError(f"{_label(survey_headers(survey))} has a single trace: no trace "
                         "spacing.")
    from scipy.spatial import cKDTree

    tree = cKDTree(P)
    idx = np.unique(np.linspace(0, P.shape[0] - 1, min(10_000, P.shape[0])).astype(int))
    k = min(8, P.shape[0])
    d, _ = tree.query(P[idx], k=k)
    d = np.where(d > 0, d, np.inf).min(axis=1)
    d = d[np.isfinite(d)]
    if d.size == 0:
        raise ValueError(f"every trace of {_label(survey_headers(survey))} has the same "
                         f"coordinates ({P[0, 0]:g}, {P[0, 1]:g}): no trace spacing.")
    return float(np.median(d))


def line_distance(survey, index=None):
    """The map distance along a line from its first trace: the cumulative sum of the distances
    between consecutive traces (from CDP X/Y), in the file's units.

    Parameters
    ----------
    survey : SegyData, TraceData or header Bunch
        A line: a 2-D line, an inline, a crossline or an arbitrary line
        (:func:`looks_like_line`).
    index : int or array-like of int, optional
        Trace indices (file order); default every trace.

    Returns
    -------
    float or ndarray
        ``distance[index]``; a well located at trace ``k`` (:func:`locate_well`) has position
        ``line_distance(survey, k)``.

    Raises
    ------
    ValueError
        No coordinates, or traces that form a map (a cube), not a line.
    """
    heads = survey_headers(survey)
    P = _points(heads)
    if not looks_like_line(heads.inlines, heads.crosslines, P[:, 0], P[:, 1]):
        raise ValueError(f"the traces of {_label(heads)} do not form a line (a map, or traces "
                         "out of order): distances along a line are not defined; use the map "
                         "coordinates (cdp_x, cdp_y).")
    D = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(P, axis=0).T))])
    if index is None:
        return D
    return D[index] if np.ndim(index) else float(D[int(index)])


def _check_xy(x, y):
    for v, what in ((x, "x"), (y, "y")):
        if isinstance(v, bool) or not (isinstance(v, numbers.Real) or (
                np.ndim(v) == 0 and np.asarray(v).dtype.kind in "fiu")):
            raise ValueError(f"the well's {what} must be a number, got {v!r}.")
        if not np.isfinite(float(v)):
            raise ValueError(f"the well's {what} must be finite, got {v!r}.")
    return float(x), float(y)


def locate_well(survey, x, y, *, max_distance=None, name=None):
    """The trace nearest a well's map position, by the traces' CDP X/Y.

    Parameters
    ----------
    survey : SegyData, TraceData or header Bunch
    x, y : float
        The well's map coordinates, in the survey's units and projection (e.g. from the LAS
        header: :func:`~impedance_sklearn.io.lasheader.las_location`).
    max_distance : float, optional
        The farthest a well may be from its trace; default :data:`DEFAULT_BINS` (2.5) times the
        trace spacing (:func:`trace_spacing`: 62.5 m for 25 m bins).
    name : str, optional
        The well's name in messages.

    Returns
    -------
    Bunch
        ``index`` (file order), ``distance`` (map units), ``inline``, ``crossline``, ``x``,
        ``y`` (of the trace), ``max_distance`` (the limit applied).

    Raises
    ------
    ValueError
        The well is farther than ``max_distance`` from every trace (the message names the
        nearest trace and the distance), or the survey has no coordinates.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> line = Bunch(inlines=np.arange(5), crosslines=np.arange(5),
    ...              cdp_x=25.0 * np.arange(5), cdp_y=np.zeros(5))
    >>> hit = locate_well(line, 52.0, 3.0)
    >>> hit.index, round(hit.distance, 2)
    (2, 3.61)
    """
    heads = survey_headers(survey)
    x, y = _check_xy(x, y)
    P = _points(heads)
    d = np.hypot(P[:, 0] - x, P[:, 1] - y)
    k = int(np.argmin(d))
    if max_distance is None:
        spacing = trace_spacing(heads)
        limit = DEFAULT_BINS * spacing
        why = f"{DEFAULT_BINS:g} x the trace spacing of {spacing:.1f}"
    else:
        if not isinstance(max_distance, numbers.Real) or not max_distance >= 0:
            raise ValueError(f"max_distance must be a non-negative number, got {max_distance!r}.")
        limit, why = float(max_distance), "max_distance"
    il, xl = int(heads.inlines[k]), int(heads.crosslines[k])
    if d[k] > limit:
        who = f"well {name}" if name else "the well"
        raise ValueError(
            f"{who} at x={x:.1f}, y={y:.1f} is {d[k]:.1f} from the nearest trace of "
            f"{_label(heads)}: trace {k} (inline {il}, crossline {xl}) at x={P[k, 0]:.1f}, "
            f"y={P[k, 1]:.1f}, farther than the limit of {limit:.1f} ({why}). Check that the "
            "well's coordinates and the survey's share a projection and units; to use that "
            "trace anyway, pass a larger max_distance= (--force on the command line).")
    return Bunch(index=k, distance=float(d[k]), inline=il, crossline=xl, x=float(P[k, 0]),
                 y=float(P[k, 1]), max_distance=limit)


def project_onto_line(survey, x, y):
    """A map position projected onto a line: how far along it, and how far off it.

    The line is the polyline through the traces' CDP X/Y in file order; its first and last
    segments are extended, so that a point beyond an end gets a position before 0 or past the
    line's length.

    Parameters
    ----------
    survey : SegyData, TraceData or header Bunch
        A line (:func:`looks_like_line`) with coordinates.
    x, y : float
        The map position (e.g. a well's, from its LAS header).

    Returns
    -------
    Bunch
        ``along`` (distance along the line, the units of :func:`line_distance`), ``across``
        (signed distance from the line: positive to the left looking along increasing
        ``along``), ``index`` (the trace nearest the foot of the projection), ``x``, ``y``
        (the foot), ``beyond`` (whether the foot lies past an end of the line).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> line = Bunch(inlines=np.arange(5), crosslines=np.arange(5),
    ...              cdp_x=25.0 * np.arange(5), cdp_y=np.zeros(5))
    >>> p = project_onto_line(line, 60.0, -8000.0)
    >>> float(p.along), float(p.across), int(p.index)
    (60.0, -8000.0, 2)
    """
    heads = survey_headers(survey)
    x, y = _check_xy(x, y)
    D = line_distance(heads)
    P = _points(heads)
    if P.shape[0] < 2:
        raise ValueError(f"{_label(heads)} has a single trace: no line to project onto.")
    A, v = P[:-1], np.diff(P, axis=0)
    L = np.hypot(v[:, 0], v[:, 1])
    q = np.array([x, y])
    t = np.einsum("ij,ij->i", q - A, v) / L**2
    lo = np.zeros_like(t)
    hi = np.ones_like(t)
    lo[0], hi[-1] = -np.inf, np.inf
    t = np.clip(t, lo, hi)
    foot = A + t[:, None] * v
    e = q - foot
    dist = np.hypot(e[:, 0], e[:, 1])
    j = int(np.argmin(dist))
    cross = (v[j, 0] * e[j, 1] - v[j, 1] * e[j, 0]) / L[j]
    across = float(np.copysign(dist[j], cross)) if dist[j] > 0 else 0.0
    index = int(np.clip(j + (1 if t[j] >= 0.5 else 0), 0, P.shape[0] - 1))
    return Bunch(along=float(D[j] + t[j] * L[j]), across=across, index=index,
                 x=float(foot[j, 0]), y=float(foot[j, 1]), beyond=bool(t[j] < 0 or t[j] > 1))
