"""Time-depth tables (checkshots) as they are delivered, and a LAS log's two-way time.

* :func:`read_time_depth` -- a two-column table (depth, two-way time), with or without a
  header. Without one the columns are read as depth then two-way time, time in s when every
  value is below 20 (else ms) and depth in the log's unit; each assumption is returned as a
  note, and a header (``depth_m`` / ``depth_ft``, ``twt_s`` / ``twt_ms``) or the arguments
  override it. Rows out of order are sorted, a depth repeated with the same time is merged
  (the rows named in a note); a repeated depth with another time, or a time that decreases
  with depth once sorted, is refused, naming the rows.
* :func:`clean_time_depth` -- the same checks on a table already in memory.
* :func:`log_time` -- two-way time at every depth of a log, from the sonic alone (anchored at
  a time at its top) or from a time-depth table calibrated with the sonic: the table's times at
  its depths, the sonic's interval times between them, and, below the deepest (above the
  shallowest) row, the sonic carrying the time on from that row. A time is never held.

Readers know no models: this module returns arrays.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from impedance_sklearn.io._files import check_input_file

__all__ = ["read_time_depth", "clean_time_depth", "log_time"]

_FT = 0.3048
_DEPTH_UNITS = {"depth_m": 1.0, "depth_ft": _FT, "m": 1.0, "ft": _FT}
_TIME_UNITS = {"twt_s": 1.0, "twt_ms": 1e-3, "s": 1.0, "ms": 1e-3}


def _split(line):
    for sep in (";", ",", "\t"):
        if sep in line:
            return [p.strip() for p in line.split(sep) if p.strip() != ""]
    return line.split()


def _rows(rows):
    """'row 3' / 'rows 3, 4 and 7' (1-based line numbers)."""
    rows = [int(r) for r in rows]
    if len(rows) == 1:
        return f"row {rows[0]}"
    return "rows " + ", ".join(map(str, rows[:-1])) + f" and {rows[-1]}"


def clean_time_depth(depth, time, *, lines=None, where="time-depth table"):
    """Sort a time-depth table by depth, merge repeated rows, refuse contradictions.

    Parameters
    ----------
    depth, time : array-like of shape (n,)
        Depth (m) and two-way time (s) of each row, as delivered.
    lines : array-like of shape (n,), optional
        The rows' line numbers in their file, for messages; default 1, 2, ...
    where : str
        The table's name in messages.

    Returns
    -------
    Bunch
        ``depth``, ``time`` (sorted, distinct depths, time strictly increasing), ``notes``
        (what was sorted or merged, naming the rows).

    Raises
    ------
    ValueError
        Fewer than 2 distinct rows, non-finite values, a depth repeated with another time, or a
        time that does not increase with depth (the rows are named).

    Examples
    --------
    >>> t = clean_time_depth([0, 500, 500, 900, 700], [0, 0.5, 0.5, 0.8, 0.7])
    >>> t.depth.tolist(), t.time.tolist()
    ([0.0, 500.0, 700.0, 900.0], [0.0, 0.5, 0.7, 0.8])
    >>> print("\\n".join(t.notes))
    time-depth table: row 5 out of order by depth (shallower than a row above): sorted
    time-depth table: rows 2 and 3 repeat depth 500 with the same time: merged
    """
    z = np.asarray(depth, dtype=np.float64).ravel()
    t = np.asarray(time, dtype=np.float64).ravel()
    lines = np.arange(1, z.size + 1) if lines is None else np.asarray(lines).ravel()
    if z.size != t.size or lines.size != z.size:
        raise ValueError(f"{where}: depth and time have {z.size} and {t.size} rows.")
    bad = ~(np.isfinite(z) & np.isfinite(t))
    if bad.any():
        raise ValueError(f"{where}: {_rows(lines[bad])} hold NaN or infinite values.")
    notes = []
    order = np.argsort(z, kind="stable")
    early = z < np.maximum.accumulate(z)  # rows shallower than a row above them
    if early.any():
        notes.append(f"{where}: {_rows(lines[early])} out of order by depth (shallower than a "
                     "row above): sorted")
    z, t, lines = z[order], t[order], lines[order]
    keep = np.ones(z.size, dtype=bool)
    k = 0
    while k < z.size:
        same = np.flatnonzero(z[k:] == z[k]) + k
        same = same[same < k + np.argmax(np.append(z[k:] != z[k], True))]
        if same.size > 1:
            if np.ptp(t[same]) > 1e-9:
                raise ValueError(
                    f"{where}: {_rows(lines[same])} give depth {z[k]:g} different times "
                    f"({', '.join(f'{v:g}' for v in t[same])} s): which one is right cannot be "
                    "told; correct the table.")
            notes.append(f"{where}: {_rows(lines[same])} repeat depth {z[k]:g} with the same "
                         "time: merged")
            keep[same[1:]] = False
        k = same[-1] + 1
    z, t, lines = z[keep], t[keep], lines[keep]
    if z.size < 2:
        raise ValueError(f"{where}: fewer than 2 distinct depths.")
    down = np.flatnonzero(np.diff(t) <= 0)
    if down.size:
        i = down[0]
        raise ValueError(
            f"{where}: two-way time does not increase with depth between {_rows(lines[[i, i + 1]])}"
            f" ({z[i]:g} -> {z[i + 1]:g} in depth, {t[i]:g} -> {t[i + 1]:g} s); correct the "
            "table.")
    return Bunch(depth=z, time=t, notes=notes)


def read_time_depth(path, *, depth_unit=None, time_unit=None, log_depth_unit="m"):
    """Read a checkshot / time-depth table as delivered: two columns, depth then two-way time.

    Parameters
    ----------
    path : str or path-like
        Text with two numbers per row, separated by whitespace, ``,``, ``;`` or tabs; blank
        lines and lines starting with ``#`` are skipped. An optional first line names the
        columns: ``depth_m`` or ``depth_ft``, then ``twt_s`` or ``twt_ms``.
    depth_unit : {"m", "ft"}, optional
        Overrides the header; without either, ``"m"`` (pass the LAS log's depth unit).
    time_unit : {"s", "ms"}, optional
        Overrides the header; without either, s when every time is below 20, else ms.
    log_depth_unit : {"m", "ft"}, default="m"
        The log's depth unit: a table without a header or ``depth_unit`` is read in it.

    Returns
    -------
    Bunch
        ``depth`` (m), ``time`` (two-way, s), both sorted with distinct depths; ``notes`` (the
        units assumed, rows sorted or merged); ``source``.

    Raises
    ------
    ValueError
        A row that is not two numbers (named), an unknown header or unit, or the
        contradictions of :func:`clean_time_depth`.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "checkshot.txt")
    >>> _ = open(path, "w").write("30\\t0\\n553.6\\t0.544\\n612.9\\t0.607\\n")
    >>> td = read_time_depth(path)
    >>> td.time.tolist()
    [0.0, 0.544, 0.607]
    >>> print(td.notes[0])
    checkshot.txt: no header: read as depth (m, the log's unit) then two-way time (s: every value is below 20)
    """
    path = check_input_file(path, "time-depth table")
    name = Path(path).name
    for unit, known in ((depth_unit, ("m", "ft")), (time_unit, ("s", "ms"))):
        if unit is not None and unit not in known:
            raise ValueError(f"unit {unit!r} is not one of {known}.")
    raw = Path(path).read_text(errors="replace").splitlines()
    header, values, lines = None, [], []
    for i, line in enumerate(raw, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = _split(line)
        try:
            row = [float(p) for p in parts]
        except ValueError:
            if header is None and not values:
                header = [p.lower() for p in parts]
                continue
            raise ValueError(f"{name}, row {i}: {line.strip()!r} is not two numbers (depth, "
                             "two-way time).") from None
        if len(row) != 2:
            raise ValueError(f"{name}, row {i}: {line.strip()!r} has {len(row)} values; "
                             "expected two (depth, two-way time).")
        values.append(row)
        lines.append(i)
    if not values:
        raise ValueError(f"time-depth table {name!r} holds no rows of numbers.")
    A = np.array(values)
    notes = []
    d_scale = t_scale = None
    if header is not None:
        if len(header) != 2 or header[0] not in _DEPTH_UNITS or header[1] not in _TIME_UNITS \
                or header[0] in ("m", "ft") or header[1] in ("s", "ms"):
            raise ValueError(f"{name}: the header {raw[lines[0] - 2].strip() if lines[0] > 1 else ''!r}"
                             " does not name the columns' units: expected 'depth_m' or "
                             "'depth_ft', then 'twt_s' or 'twt_ms' (or no header).")
        d_scale, t_scale = _DEPTH_UNITS[header[0]], _TIME_UNITS[header[1]]
    if depth_unit is not None:
        d_scale = _DEPTH_UNITS[depth_unit]
    if time_unit is not None:
        t_scale = _TIME_UNITS[time_unit]
    if header is None:
        if d_scale is None:
            d_scale = _DEPTH_UNITS[log_depth_unit]
        d_txt = ("ft" if d_scale == _FT else "m") + (", given" if depth_unit else ", the log's unit")
        if t_scale is None:
            t_scale = 1.0 if np.all(np.abs(A[:, 1]) < 20) else 1e-3
            t_txt = "s: every value is below 20" if t_scale == 1.0 else "ms: some value is 20 " \
                "or more"
        else:
            t_txt = ("s" if t_scale == 1.0 else "ms") + ", given"
        notes.append(f"{name}: no header: read as depth ({d_txt}) then two-way time ({t_txt})")
    d_scale = 1.0 if d_scale is None else d_scale
    t = clean_time_depth(A[:, 0] * d_scale, A[:, 1] * t_scale, lines=lines, where=name)
    return Bunch(depth=t.depth, time=t.time, notes=notes + t.notes, source=Path(path))


def _integrate(depth, slowness):
    """Two-way time from depth[0] at every depth: the trapezoidal integral of the slowness."""
    return 2.0 * np.concatenate([[0.0], np.cumsum(0.5 * (slowness[1:] + slowness[:-1])
                                                  * np.diff(depth))])


def log_time(depth, slowness=None, *, time_at_top=None, time_depth=None):
    """Two-way time at every depth of a log.

    Parameters
    ----------
    depth : ndarray of shape (n,)
        Increasing depths (m).
    slowness : ndarray of shape (n,), optional
        Sonic slowness (s/m), NaN where not logged; gaps are bridged linearly.
    time_at_top : float, optional
        Without a table: the two-way time (s) at the sonic's first finite sample; below it the
        sonic is integrated (NaN above it).
    time_depth : Bunch or (m, 2) array, optional
        A time-depth table (depth m, two-way time s; :func:`read_time_depth` or
        :func:`clean_time_depth`). Between its rows the time is the table's, calibrated with
        the sonic where there is one (the sonic's time plus a correction interpolated linearly
        between the rows: exact at every row); past its first and last rows the sonic carries
        the time on from that row. Without a sonic there, depths outside the table are NaN.

    Returns
    -------
    time : ndarray of shape (n,)
        NaN where no time can be given.
    notes : list of str
        What was done beyond the table (the sonic below its last row or above its first).

    Examples
    --------
    >>> import numpy as np
    >>> z = np.arange(0.0, 1001.0, 250.0)
    >>> t, notes = log_time(z, np.full(5, 1 / 2000), time_depth=np.array([[0, 0.1], [500, 0.55]]))
    >>> t.round(4).tolist()  # 0.45 s over the table's 500 m, then the sonic's 2 * 500 / 2000
    [0.1, 0.325, 0.55, 0.8, 1.05]
    """
    depth = np.asarray(depth, dtype=np.float64)
    notes = []
    s = None
    if slowness is not None:
        slowness = np.asarray(slowness, dtype=np.float64)
        good = np.isfinite(slowness) & (slowness > 0) & np.isfinite(depth)
        if good.sum() >= 2:
            top, bottom = np.flatnonzero(good)[[0, -1]]
            s = np.full(depth.shape, np.nan)
            s[top:bottom + 1] = np.interp(depth[top:bottom + 1], depth[good], slowness[good])
    if time_depth is None:
        if s is None:
            raise ValueError("a log's time needs a sonic (slowness) or a time-depth table.")
        t = np.full(depth.shape, np.nan)
        inside = np.flatnonzero(np.isfinite(s))
        t[inside] = float(time_at_top) + _integrate(depth[inside], s[inside])
        return t, notes
    if isinstance(time_depth, Bunch):
        tz, tt = np.asarray(time_depth.depth, float), np.asarray(time_depth.time, float)
    else:
        td = np.asarray(time_depth, dtype=np.float64)
        if td.ndim != 2 or td.shape[1] != 2:
            raise ValueError("time_depth must be an (n, 2) table of (depth m, two-way time s).")
        c = clean_time_depth(td[:, 0], td[:, 1], where="time_depth")
        tz, tt = c.depth, c.time
    t = np.interp(depth, tz, tt, left=np.nan, right=np.nan)
    if s is not None:
        inside = np.flatnonzero(np.isfinite(s))
        zs = depth[inside]
        ts = _integrate(zs, s[inside])
        # the sonic's time at every row (continued past its ends at its end slowness), and the
        # correction that makes it exact there, interpolated between rows, held past them
        ts_rows = np.interp(tz, zs, ts) + 2 * np.where(
            tz < zs[0], (tz - zs[0]) * s[inside[0]],
            np.where(tz > zs[-1], (tz - zs[-1]) * s[inside[-1]], 0.0))
        t[inside] = ts + np.interp(zs, tz, tt - ts_rows)
        below, above = zs > tz[-1], zs < tz[0]
        if below.any():
            notes.append(
                f"below the deepest time-depth row ({tz[-1]:.1f} m, {tt[-1]:.4g} s) the sonic "
                f"carries the time on, down to {zs[below][-1]:.1f} m "
                f"({t[inside][below][-1]:.4g} s)")
        if above.any():
            notes.append(f"above the shallowest time-depth row ({tz[0]:.1f} m) the sonic "
                         f"carries the time up to {zs[above][0]:.1f} m")
    return t, notes
