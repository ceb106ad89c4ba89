"""Wells in: well-tie tables (CSV) and LAS logs, put on a survey's time axis.

* :func:`load_well` -- a well as a :class:`~sklearn.utils.Bunch` with ``time`` (two-way time in
  seconds, strictly increasing), ``impedance`` and, for a well tie, ``seismic``:

  - **well-tie CSV** (the format of ``volve_well_15-9-F-15A_seismic_ip.csv``): three columns,
    two-way time in ms (the sign is ignored: some exports count time negative downwards),
    seismic amplitude, impedance; ``;``, ``,`` or whitespace separated; an optional header line;
  - **LAS** (through ``lasio``): sonic and density logs in depth; impedance = density / slowness;
    depth converted to two-way time by integrating the sonic (``t(z) = t(z0) + 2 \\int s dz``,
    anchored at ``time_at_top``) or with a checkshot / time-depth table.

  Rows with the same time (depth samples that land on one time) are averaged; rows out of
  order are sorted; NaN and the LAS null value are dropped.
* :func:`well_on_time_axis` -- the well's logs averaged onto a regular time axis (e.g. a SEG-Y
  cube's), with the window they overlap.
* :func:`well_windows` -- training pairs along one well (several wells on a survey:
  :mod:`~impedance_sklearn.io.pairs`).

Readers know no models: this module returns arrays.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from impedance_sklearn.io._files import check_input_file
from impedance_sklearn.io.las import load_las

__all__ = ["load_well", "write_tie", "well_on_time_axis", "well_windows", "LOCATION_KEYS"]



def _unique_times(t, columns, where):
    """Sort by time, average rows of equal time, drop non-finite rows."""
    t = np.asarray(t, dtype=np.float64)
    cols = [np.asarray(c, dtype=np.float64) for c in columns]
    ok = np.isfinite(t)
    for c in cols:
        ok &= np.isfinite(c)
    if ok.sum() < 2:
        raise ValueError(f"{where}: fewer than 2 rows with finite values; cannot make a log.")
    t, cols = t[ok], [c[ok] for c in cols]
    order = np.argsort(t, kind="stable")
    t, cols = t[order], [c[order] for c in cols]
    ut, inverse, counts = np.unique(t, return_inverse=True, return_counts=True)
    return ut, [np.bincount(inverse, c) / counts for c in cols], int(t.size - ut.size)


def _metadata_value(text):
    try:
        v = float(text)
    except ValueError:
        return text
    return int(v) if v.is_integer() and "." not in text and "e" not in text.lower() else v


def _read_table(path):
    """The numeric rows of a tie CSV, and its ``# key: value`` lines (where the well is)."""
    lines = Path(path).read_text(errors="replace").strip().splitlines()
    meta, text = {}, []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            key, sep, value = line.lstrip()[1:].partition(":")
            if sep and key.strip():
                meta[key.strip()] = _metadata_value(value.strip())
        elif line.strip():
            text.append((i, line))
    if not text:
        raise ValueError(f"well file {str(path)!r} is empty.")
    sep = ";" if ";" in text[0][1] else ("," if "," in text[0][1] else None)
    rows = []
    for k, (i, line) in enumerate(text):
        parts = [p for p in (line.split(sep) if sep else line.split()) if p.strip() != ""]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            if k == 0:  # a header line
                continue
            raise ValueError(
                f"well file {str(path)!r}, line {i + 1}: {line.strip()!r} is not numbers."
            ) from None
        rows.append(values)
    if not rows:
        raise ValueError(f"well file {str(path)!r} holds no numeric rows.")
    widths = {len(r) for r in rows}
    if len(widths) != 1 or widths.pop() < 3:
        raise ValueError(
            f"well file {str(path)!r}: expected 3 columns on every line (two-way time in ms; "
            "seismic; impedance)."
        )
    return np.array(rows), meta


#: The ``# key: value`` lines of a tie file that say where its well is.
LOCATION_KEYS = ("well", "x", "y", "trace", "inline", "crossline", "distance_m", "survey",
                 "polarity")


def write_tie(path, time, seismic, impedance, *, location=None):
    """Write a tie CSV that :func:`load_well` reads: ``# key: value`` lines (where the well is:
    :data:`LOCATION_KEYS`), a header, then ``time_ms;seismic;impedance`` rows.

    Parameters
    ----------
    path : path-like
        Written as is (callers write to a temporary file and rename).
    time, seismic, impedance : array-like of shape (n,)
        Two-way time (s), the survey's trace at the well, the impedance.
    location : dict, optional
        ``well``, ``x``, ``y``, ``trace``, ``inline``, ``crossline``, ``distance_m``, ...

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "tie.csv")
    >>> write_tie(path, [1.0, 1.004], [0.5, -0.5], [5.0, 6.0],
    ...           location={"well": "F06-1", "x": 607903.0, "inline": 362})
    >>> w = load_well(path)
    >>> w.location, w.name, w.time.tolist()
    ({'well': 'F06-1', 'x': 607903.0, 'inline': 362}, 'F06-1', [1.0, 1.004])
    """
    lines = [f"# {k}: {v}" for k, v in (location or {}).items() if v is not None]
    lines.append("time_ms;seismic;impedance")
    lines += [f"{t * 1e3:.6f};{s:.9g};{z:.9g}" for t, s, z in zip(time, seismic, impedance)]
    Path(path).write_text("\n".join(lines) + "\n")


def _load_tie(path, scale):
    A, meta = _read_table(path)
    t_ms = np.abs(A[:, 0])
    time, (seis, imp), merged = _unique_times(t_ms / 1000.0, [A[:, 1], A[:, 2]], repr(str(path)))
    if np.any(imp <= 0):
        raise ValueError(f"well file {str(path)!r}: impedance must be positive.")
    return Bunch(time=time, impedance=imp / scale, seismic=seis, depth=None,
                 name=str(meta.get("well", Path(path).stem)), source=Path(path), kind="tie",
                 merged_rows=merged, dt=float(np.median(np.diff(time))), notes=[],
                 location=meta)


def _load_las(path, scale, **kw):
    w = load_las(path, scale=scale, **kw)
    time, (imp, depth), merged = _unique_times(w.time, [w.impedance, w.depth], repr(str(path)))
    return Bunch(time=time, impedance=imp, seismic=None, depth=depth, name=w.name,
                 source=Path(path), kind="las", merged_rows=merged,
                 dt=float(np.median(np.diff(time))), measured=w.measured, notes=w.notes,
                 location=w.location)


def load_well(path, *, scale=None, sonic=None, density=None, impedance=None, time_depth=None,
              time_at_top=0.0, depth_unit=None, time_unit=None):
    """Read a well: a well-tie CSV (time; seismic; impedance) or a LAS file of logs.

    Parameters
    ----------
    path : str or path-like
        ``.csv`` / ``.txt`` / ``.dat`` (a well tie) or ``.las``.
    scale : float, optional
        Impedance is divided by ``scale``. Default: 1 for a well tie (its numbers as written;
        the Volve tie is already in 1e6 units), 1e6 for LAS (impedance computed in
        kg m^-2 s^-1, divided as in the paper).
    sonic, density : str, optional
        LAS curve names; default the first of :data:`~impedance_sklearn.io.las.SONIC_CURVES`
        and :data:`~impedance_sklearn.io.las.DENSITY_CURVES` present. Impedance is density /
        slowness wherever both were measured (smooth fills are not measurements:
        :func:`~impedance_sklearn.io.las.measured`), in the units the LAS names.
    impedance : str, optional
        LAS: use this precomputed impedance curve instead (never its filled part); it is
        divided by ``scale`` as it is, so give ``scale`` in its units.
    time_depth : str, path-like, or array-like of shape (n, 2), optional
        LAS: a checkshot / time-depth table, a file as delivered
        (:func:`~impedance_sklearn.io.timedepth.read_time_depth`) or rows of (depth m,
        two-way time s). The time is the table's at its rows, the sonic's interval times
        between them, and below the deepest row the sonic carries it on
        (:func:`~impedance_sklearn.io.timedepth.log_time`).
    time_at_top : float, default=0.0
        LAS without ``time_depth``: two-way time (s) at the top of the sonic (its first finite
        sample); deeper times integrate the sonic from there, so a density log that starts
        deeper gets the right time (Penobscot L-30: 0.4106 s at the sonic's top, 1,150 ft).
        Zero is rarely right for a real well: the command line requires it.
    depth_unit, time_unit : str, optional
        A checkshot file's units ("m" / "ft", "s" / "ms"), overriding its header and the
        inference (depth in the LAS's unit; time in s when every value is below 20).

    Returns
    -------
    well : Bunch
        ``time`` (s, strictly increasing), ``impedance``, ``seismic`` (a tie) or None,
        ``depth`` (m, LAS) or None, ``name``, ``source``, ``kind`` ("tie" or "las"),
        ``merged_rows`` (rows averaged because they shared a time), ``dt`` (median sampling),
        ``notes`` (what was assumed: units, fills, the interval used), ``location`` (a dict:
        what a tie file or a LAS header records of where the well is, e.g. ``x``, ``y``,
        ``inline``, ``crossline``; empty when nothing is recorded); LAS: ``measured`` (the
        measured interval, depth m).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "tie.csv")
    >>> _ = open(path, "w").write("-2340;0.5;7.7\\n-2341;0.6;7.8\\n-2341;0.8;7.8\\n-2342;0.1;8.0\\n")
    >>> w = load_well(path)
    >>> w.time.tolist(), w.seismic.tolist(), w.merged_rows
    ([2.34, 2.341, 2.342], [0.5, 0.7, 0.1], 1)
    """
    path = check_input_file(path, "well file")
    if scale is not None and (not isinstance(scale, numbers.Real) or not scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}.")
    suffix = path.suffix.lower()
    if suffix == ".las":
        return _load_las(path, 1e6 if scale is None else float(scale), sonic=sonic,
                         density=density, impedance=impedance, time_depth=time_depth,
                         time_at_top=time_at_top, depth_unit=depth_unit, time_unit=time_unit)
    if suffix in (".csv", ".txt", ".dat"):
        return _load_tie(path, 1.0 if scale is None else float(scale))
    raise ValueError(
        f"well file {str(path)!r}: unsupported type {path.suffix!r}; expected .las or a "
        ".csv/.txt/.dat well tie."
    )


def well_on_time_axis(well, time, *, min_coverage=0.5):
    """Average the well's logs onto the samples of a regular time axis.

    Sample ``i`` (time ``time[i]``, spacing ``dt``) takes the mean of the log values whose
    times fall in ``[time[i] - dt/2, time[i] + dt/2)`` (an anti-alias average, for logs sampled
    finer than the axis), or the log linearly interpolated when no value falls there (logs
    coarser than the axis). Samples outside the logged interval are NaN.

    Parameters
    ----------
    well : Bunch
        From :func:`load_well`.
    time : array-like of shape (n,)
        Regularly spaced times in seconds (e.g. ``read_traces(cube).time``).
    min_coverage : float, default=0.5
        Bins covered by the log over less than this fraction of their width are NaN.

    Returns
    -------
    Bunch
        ``impedance`` and ``seismic`` (None without it) of shape (n,), ``mask`` (samples inside
        the logged interval), ``window`` (first and last covered time, s) and ``time``.

    Examples
    --------
    >>> from sklearn.utils import Bunch
    >>> import numpy as np
    >>> w = Bunch(time=np.arange(0, 0.02, 0.001), impedance=np.arange(20.0), seismic=None)
    >>> out = well_on_time_axis(w, np.arange(6) * 0.004 + 0.002)  # bins of 4 ms
    >>> out.impedance.round(6).tolist()[:5], bool(np.isnan(out.impedance[5]))
    ([1.5, 5.5, 9.5, 13.5, 17.5], True)
    """
    time = np.asarray(time, dtype=np.float64)
    if time.ndim != 1 or time.size < 2:
        raise ValueError("time must be a 1-D axis of at least 2 samples.")
    dt = float(np.median(np.diff(time)))
    if dt <= 0 or not np.allclose(np.diff(time), dt, rtol=1e-6, atol=1e-12):
        raise ValueError("time must be regularly spaced and increasing.")
    t = np.asarray(well.time, dtype=np.float64)
    # bin edges nudged down by a hair so that a log time on an edge (up to round-off) falls in
    # the bin it starts
    lo, hi = time - dt / 2 - 1e-6 * dt, time + dt / 2 - 1e-6 * dt
    covered = (np.minimum(hi, t[-1]) - np.maximum(lo, t[0])) / dt
    mask = covered >= min_coverage

    def onto(values):
        # NaN (missing log values) count in no bin: a bin of only NaN is NaN, and one NaN does
        # not spread into the running sums of the bins after it
        values = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(values)
        idx = np.searchsorted(t, lo, side="left"), np.searchsorted(t, hi, side="left")
        csum = np.concatenate([[0.0], np.cumsum(np.where(ok, values, 0.0))])
        cnum = np.concatenate([[0], np.cumsum(ok)])
        inside, count = idx[1] - idx[0], cnum[idx[1]] - cnum[idx[0]]
        mean = np.where(count > 0, (csum[idx[1]] - csum[idx[0]]) / np.maximum(count, 1), np.nan)
        between = np.interp(time, t[ok], values[ok]) if ok.any() else np.full(time.shape, np.nan)
        mean = np.where(inside > 0, mean, between)
        return np.where(mask, mean, np.nan)

    seis = None if well.get("seismic") is None else onto(well.seismic)
    window = (float(time[mask][0]), float(time[mask][-1])) if mask.any() else None
    return Bunch(time=time, impedance=onto(well.impedance), seismic=seis, mask=mask,
                 window=window)


def well_windows(well, dt, n_samples, *, seismic=None, seismic_time=None, stride=1):
    """Training pairs from one well: every window of ``n_samples`` samples at ``dt`` along it.

    The log (and a well tie's own seismic) are averaged onto a regular grid of spacing ``dt``
    over the interval the log covers; a survey trace at the well, given as ``seismic`` on
    ``seismic_time``, is read at the grid's times as it is (no average: on the survey's own
    sampling, its samples); each window of ``n_samples`` consecutive samples (``stride`` apart)
    is one (seismic, impedance) pair. A well whose log is longer than a survey's traces thus
    gives many pairs of the survey's trace length, at every position of the log.

    Parameters
    ----------
    well : Bunch
        From :func:`load_well`.
    dt : float
        Sampling interval of the pairs (s), e.g. the survey's.
    n_samples : int
        Window length (the survey's trace length).
    seismic, seismic_time : array-like of shape (m,), optional
        A survey trace at the well and its sample times (s); default the tie's own seismic.
    stride : int, default=1

    Returns
    -------
    X, y : ndarray of shape (n_windows, n_samples)
    t0 : ndarray of shape (n_windows,)
        Start time (s) of each window.

    Examples
    --------
    >>> from sklearn.utils import Bunch
    >>> import numpy as np
    >>> t = np.arange(0, 0.1, 0.001)
    >>> w = Bunch(time=t, impedance=1 + t, seismic=np.sin(60 * t))
    >>> X, y, t0 = well_windows(w, 0.004, 10)
    >>> X.shape, round(float(t0[1] - t0[0]), 3)
    ((15, 10), 0.004)
    """
    if not (isinstance(n_samples, numbers.Integral) and n_samples >= 1):
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
    dt = float(dt)
    t = np.asarray(well.time, dtype=np.float64)
    grid = np.arange(np.ceil(t[0] / dt - 1e-9) * dt, t[-1] + 1e-9 * dt, dt)
    if seismic is not None:
        # the survey's trace is read at the grid's times as it is (on the survey's own sampling
        # these are its samples): only the log, sampled finer, is averaged into the bins
        seismic_time = np.asarray(seismic_time, dtype=np.float64)
        on = well_on_time_axis(Bunch(time=t, impedance=well.impedance, seismic=None), grid)
        on.seismic = np.where(on.mask, np.interp(grid, seismic_time, np.asarray(
            seismic, dtype=np.float64), left=np.nan, right=np.nan), np.nan)
    else:
        if well.get("seismic") is None:
            raise ValueError(
                f"well {well.get('name', '')!r} has no seismic: give the survey trace at the "
                "well (seismic=, seismic_time=)."
            )
        on = well_on_time_axis(well, grid)
    ok = on.mask & np.isfinite(on.seismic) & np.isfinite(on.impedance)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        raise ValueError("the well's log and seismic share no sample at this sampling.")
    # the longest run of consecutive valid samples
    breaks = np.flatnonzero(np.diff(idx) > 1)
    runs = np.split(idx, breaks + 1)
    run = max(runs, key=len)
    if run.size < n_samples:
        raise ValueError(
            f"well {well.get('name', '')!r} covers {run.size} samples at dt = {dt * 1e3:g} ms "
            f"({grid[run[0]]:.4g}-{grid[run[-1]]:.4g} s), fewer than the {n_samples} of a "
            "trace: no full training window."
        )
    starts = np.arange(run[0], run[-1] - n_samples + 2, int(stride))
    X = np.stack([on.seismic[s : s + n_samples] for s in starts])
    y = np.stack([on.impedance[s : s + n_samples] for s in starts])
    return X, y, grid[starts]

