"""SEG-Y in and out, and whole-survey prediction that streams a volume of any size.

* :func:`read_segy` -- a whole file into memory: traces (n_traces, n_samples), the time axis, the
  inline/crossline geometry (header bytes 189/193), each trace's CDP X/Y (181/185, the
  coordinate scalar of byte 71 applied) and the path to use as a template;
* :func:`read_trace_headers` -- the same geometry and coordinates without the samples.
* :func:`write_segy` -- new traces into a copy of a source file: every textual, binary and trace
  header of the source is kept byte for byte.
* :func:`~impedance_sklearn.io.survey.predict_segy` -- apply a fitted estimator to every trace
  of a SEG-Y file, streamed (in :mod:`impedance_sklearn.io.survey`).

How files are written
---------------------
The output starts as a byte copy of the source (so the textual header, the extended textual
headers, the binary header and all trace headers are identical, with no field-by-field
translation), made in a temporary file beside the destination; the trace samples are then
overwritten in place with segyio (mode ``"r+"``) and the temporary file is renamed to the
destination with :func:`os.replace` only when everything succeeded. A crash, an exception or
Ctrl-C removes the temporary file and leaves no file (or the previous file, with
``overwrite=True``) under the destination name. The source is never opened for writing, and a
destination that is the source raises.

The samples keep the source's sample format. Integer formats (2, 3, 8) cannot hold impedance and
are refused; IBM floats (format 1) are converted by segyio (about 6 significant digits).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from impedance_sklearn.io._segyfile import (
    check_exists,
    check_float_format,
    check_segy_destination,
    endian_of,
    format_code,
    open_segy,
    segyio_module,
    stamp_text,
    temporary_copy,
)
from impedance_sklearn.io.geometry import looks_like_line

__all__ = ["SegyData", "read_segy", "read_trace_headers", "write_segy"]

# --------------------------------------------------------------------------------------------
# read


@dataclass
class SegyData:
    """A SEG-Y file read into memory by :func:`read_segy`.

    A dataclass: its fields are its parameters and its attributes.

    Parameters
    ----------
    traces : ndarray of shape (n_traces, n_samples)
        Samples, one trace per row in file order (float32 for 4-byte float files; float64 for
        8-byte floats and 4/8-byte integers; float32 for 1/2-byte integers).
    samples : ndarray of shape (n_samples,)
        The time (or depth) axis from the headers: delay + i * interval, in ms for time data.
    dt : float
        Sample interval in the axis' units (ms for time data).
    inlines, crosslines : ndarray of shape (n_traces,)
        Per-trace inline and crossline numbers (trace header bytes 189 and 193; zeros when the
        file does not fill them).
    ilines, xlines : ndarray or None
        The sorted distinct inline and crossline numbers when the traces form a regular grid
        (one trace per inline/crossline pair, sorted by one of them), else ``None``.
    sorting : {"inline", "crossline"} or None
        How a regular grid is ordered: ``"inline"`` means crosslines vary fastest.
    sample_format : int
        The binary header's sample-format code (1 IBM float, 5 IEEE float, ...).
    endian : {"big", "little"}
    text : str
        The first textual header (3,200 characters, decoded as Latin-1).
    path : pathlib.Path
        The source file: pass it (or this object) as ``like=`` to :func:`write_segy` to write
        new traces with every header of the source.
    ext_headers : int
        Number of extended textual headers (3,200 bytes each) after the binary header.
    cdp_x, cdp_y : ndarray of shape (n_traces,) or None
        Per-trace map coordinates (float64) in the file's units (metres for a projected
        survey): CDP X/Y, trace header bytes 181/185, times the coordinate scalar of bytes
        71-72 (negative: divide by its absolute value; positive: multiply; 0: 1). When every
        CDP X/Y is zero, the source X/Y (bytes 73/77, same scalar) are used instead, as some
        exporters fill only those; all zeros when neither is filled.
    coordinate_source : {"cdp", "source"} or None
        Where ``cdp_x`` / ``cdp_y`` came from; ``None`` when the file records no coordinates.
    coordinate_units : int
        Trace header bytes 89-90 of the first trace: 0 unset, 1 length (metres or feet),
        2 arc seconds, 3 decimal degrees, 4 degrees-minutes-seconds.
    """

    traces: np.ndarray
    samples: np.ndarray
    dt: float
    inlines: np.ndarray
    crosslines: np.ndarray
    ilines: np.ndarray | None
    xlines: np.ndarray | None
    sorting: str | None
    sample_format: int
    endian: str
    text: str
    path: Path
    ext_headers: int = 0
    cdp_x: np.ndarray | None = None
    cdp_y: np.ndarray | None = None
    coordinate_source: str | None = None
    coordinate_units: int = 0

    @property
    def shape(self):
        """(n_traces, n_samples)."""
        return self.traces.shape

    def cube(self, traces=None):
        """Reshape traces (default: :attr:`traces`) to (n_inlines, n_crosslines, n_samples).

        Parameters
        ----------
        traces : array-like of shape (n_traces, m), optional
            Values in file order, e.g. predictions for :attr:`traces`.

        Returns
        -------
        ndarray of shape (len(ilines), len(xlines), m)
        """
        if self.ilines is None:
            raise ValueError(
                f"{str(self.path)!r} has no regular inline/crossline grid (bytes 189/193); "
                "it cannot be shaped as a cube."
            )
        A = self.traces if traces is None else np.asarray(traces)
        n_il, n_xl = len(self.ilines), len(self.xlines)
        if A.ndim != 2 or A.shape[0] != n_il * n_xl:
            raise ValueError(
                f"traces of shape {A.shape} do not fit the grid of {n_il} inlines x {n_xl} "
                "crosslines; expected (n_inlines * n_crosslines, n_samples)."
            )
        if self.sorting == "inline":
            return A.reshape(n_il, n_xl, -1)
        return A.reshape(n_xl, n_il, -1).transpose(1, 0, 2)


def read_segy(path):
    """Read a whole SEG-Y file: traces, time axis, geometry and the template to write it back.

    Parameters
    ----------
    path : str or path-like
        A SEG-Y file (rev 0/1/2, big- or little-endian; detected from the binary header).

    Returns
    -------
    data : SegyData
        ``data.traces`` (n_traces, n_samples), ``data.samples`` (the time axis), ``data.dt``,
        per-trace ``data.inlines`` / ``data.crosslines`` and map coordinates ``data.cdp_x`` /
        ``data.cdp_y`` (scalar applied), the grid ``data.ilines`` / ``data.xlines`` /
        ``data.sorting`` when there is one (else ``None``), and ``data.path`` to pass as
        ``like=`` to :func:`write_segy`. A file whose headers name a grid its traces do not
        fill warns (it may be truncated), unless the traces form a line (an arbitrary line:
        :func:`~impedance_sklearn.io.geometry.looks_like_line`).

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ValueError
        Not a SEG-Y file, truncated, or without traces (the message names the file).

    Examples
    --------
    >>> import numpy as np, segyio, tempfile, os
    >>> from impedance_sklearn.segy import read_segy
    >>> path = os.path.join(tempfile.mkdtemp(), "cube.sgy")
    >>> cube = np.arange(2 * 3 * 5, dtype=np.float32).reshape(2, 3, 5)  # 2 inlines, 3 xlines
    >>> segyio.tools.from_array(path, cube, format=5, dt=4000)
    >>> data = read_segy(path)
    >>> data.traces.shape, data.samples.tolist(), data.ilines.tolist(), data.sorting
    ((6, 5), [0.0, 4.0, 8.0, 12.0, 16.0], [1, 2], 'inline')
    >>> bool(np.array_equal(data.cube(), cube))
    True
    """
    segyio = segyio_module()
    path = check_exists(path)
    endian = endian_of(path)
    with open_segy(path, geometry=True, endian=endian) as f:
        traces = f.trace.raw[:]
        traces = traces.astype(np.result_type(traces.dtype, np.float32), copy=False)
        samples = np.asarray(f.samples, dtype=np.float64)
        dt = float(segyio.tools.dt(f, fallback_dt=0.0)) / 1000.0
        if dt == 0.0 and len(samples) > 1:
            dt = float(samples[1] - samples[0])
        heads = _trace_geometry(f)
        inlines, crosslines = heads.inlines, heads.crosslines
        ilines = xlines = sorting = None
        if not f.unstructured and len(f.offsets) == 1:
            ilines, xlines = np.asarray(f.ilines).copy(), np.asarray(f.xlines).copy()
            sorting = {segyio.TraceSortingFormat.INLINE_SORTING: "inline",
                       segyio.TraceSortingFormat.CROSSLINE_SORTING: "crossline"}.get(f.sorting)
            if sorting is None:
                ilines = xlines = None
        if ilines is None:
            _warn_incomplete_grid(path, inlines, crosslines, heads.cdp_x, heads.cdp_y)
        text = bytes(f.text[0]).decode("latin-1")
        return SegyData(
            traces=traces, samples=samples, dt=dt, inlines=inlines, crosslines=crosslines,
            ilines=ilines, xlines=xlines, sorting=sorting, sample_format=format_code(f),
            endian=endian, text=text, path=path, ext_headers=int(f.ext_headers),
            cdp_x=heads.cdp_x, cdp_y=heads.cdp_y, coordinate_source=heads.coordinate_source,
            coordinate_units=heads.coordinate_units,
        )


def _scaled(values, scalar):
    """Header coordinates times the SEG-Y coordinate scalar (negative: divide by |s|; 0: 1)."""
    v, s = np.asarray(values, dtype=np.float64), np.asarray(scalar, dtype=np.float64)
    s = np.where(s == 0, 1.0, s)
    return np.where(s < 0, v / np.abs(s), v * s)  # divide, not multiply by 0.1: exact decimals


def _trace_geometry(f):
    """Inlines, crosslines and map coordinates of every trace of an open file (one pass over
    the trace headers per field, no samples)."""
    segyio = segyio_module()
    field = segyio.TraceField
    inlines = np.asarray(f.attributes(field.INLINE_3D)[:])
    crosslines = np.asarray(f.attributes(field.CROSSLINE_3D)[:])
    scalar = np.asarray(f.attributes(field.SourceGroupScalar)[:])
    x, y, source = (np.asarray(f.attributes(field.CDP_X)[:]),
                    np.asarray(f.attributes(field.CDP_Y)[:]), "cdp")
    if not (x.any() or y.any()):
        x, y, source = (np.asarray(f.attributes(field.SourceX)[:]),
                        np.asarray(f.attributes(field.SourceY)[:]), "source")
    if not (x.any() or y.any()):
        source = None
    return Bunch(inlines=inlines, crosslines=crosslines, cdp_x=_scaled(x, scalar),
                 cdp_y=_scaled(y, scalar), coordinate_source=source,
                 coordinate_units=int(f.header[0][field.CoordinateUnits]))


def read_trace_headers(path):
    """The geometry of a SEG-Y file without its samples: what :func:`read_segy` gives in
    ``inlines``, ``crosslines``, ``cdp_x``, ``cdp_y``, ``coordinate_source`` and
    ``coordinate_units`` (see :class:`SegyData`), for a survey too large to read whole.

    Parameters
    ----------
    path : str or path-like
        A SEG-Y file.

    Returns
    -------
    Bunch
        Those six fields, and ``path`` (a :class:`pathlib.Path`).
    """
    path = check_exists(path)
    with open_segy(path, endian=endian_of(path)) as f:
        heads = _trace_geometry(f)
    heads.path = path
    return heads


def _warn_incomplete_grid(path, inlines, crosslines, x=None, y=None):
    """Warn when the headers name a grid that the traces do not fill (a truncated file); an
    arbitrary line (both numbers vary, the traces in a row one bin apart) reads silently."""
    import warnings

    il, xl = np.unique(inlines), np.unique(crosslines)
    if il.size < 2 or xl.size < 2 or (il == 0).all():
        return
    if looks_like_line(inlines, crosslines, x, y):
        return
    expected = il.size * xl.size
    if inlines.size < expected:
        warnings.warn(
            f"{str(path)!r} holds {inlines.size:,} traces, but the {il.size} inlines x "
            f"{xl.size} crosslines of its headers make {expected:,}: the file may be truncated "
            "(cut at a trace boundary) or the survey irregular; no inline/crossline grid is "
            "given (ilines = xlines = None).", UserWarning, stacklevel=3)


def sample_traces(path, n=2048):
    """Up to ``n`` traces spread evenly over a SEG-Y file, with its time axis (ms) and dt (ms),
    for checks that need a look at a survey without reading it all."""
    path = check_exists(path)
    with open_segy(path, endian=endian_of(path)) as f:
        idx = np.unique(np.linspace(0, f.tracecount - 1, min(n, f.tracecount)).astype(int))
        traces = np.stack([np.asarray(f.trace[int(i)], dtype=np.float64) for i in idx])
        samples = np.asarray(f.samples, dtype=np.float64)
        dt = float(samples[1] - samples[0]) if samples.size > 1 else 0.0
        return traces, samples, dt, f.tracecount


def check_representable(A, dtype, what="traces"):
    """Raise if ``A`` holds NaN/inf, or values that become inf in ``dtype`` (the file's format)."""
    A = np.asarray(A)
    if not np.isfinite(A).all():
        bad = np.flatnonzero(~np.isfinite(A).all(axis=-1)) if A.ndim == 2 else []
        where = f" (first in trace {bad[0]})" if len(bad) else ""
        raise ValueError(f"{what} hold NaN or infinite values{where}; nothing was written.")
    info = np.finfo(dtype) if np.dtype(dtype).kind == "f" else None
    if info is not None and A.size and np.abs(A).max() > info.max:
        raise ValueError(
            f"{what} reach {np.abs(A).max():.3g}, beyond what the file's {np.dtype(dtype)} "
            f"samples hold ({info.max:.3g}); nothing was written."
        )


# --------------------------------------------------------------------------------------------
# write


def _as_like_path(like):
    if isinstance(like, SegyData):
        return like.path
    if like is None:
        raise ValueError("write_segy needs like=: a source SEG-Y whose headers the file copies.")
    return Path(like)


def write_segy(path, traces, like, *, overwrite=False, text=None):
    """Write traces to a new SEG-Y file with every header of a source file.

    The new file is a byte copy of ``like`` (textual, extended textual, binary and trace
    headers identical) with the trace samples replaced by ``traces``, written to a temporary
    file beside ``path`` and renamed at the end.

    Parameters
    ----------
    path : str or path-like
        Destination. Never the source; an existing file only with ``overwrite=True``.
    traces : array-like of shape (n_traces, n_samples)
        New samples, one trace per row in the source's trace order; as many traces and samples
        as the source. Cast to the source's sample type (float32 for 4-byte floats).
    like : str, path-like or SegyData
        The source file (or what :func:`read_segy` returned for it).
    overwrite : bool, default=False
        Replace an existing destination.
    text : sequence of str, optional
        Up to four lines that replace lines C36-C39 of the textual header (say what the traces
        now are); every other header byte is the source's.

    Returns
    -------
    path : pathlib.Path
        The written file.

    Raises
    ------
    ValueError
        Wrong shape, NaN/inf or values the file's sample format cannot hold (checked before
        anything is written), destination is the source, an integer sample format, a corrupt
        source.
    FileExistsError
        ``path`` exists and ``overwrite`` is False.

    Examples
    --------
    >>> import numpy as np, segyio, tempfile, os
    >>> from impedance_sklearn.segy import read_segy, write_segy
    >>> folder = tempfile.mkdtemp()
    >>> src = os.path.join(folder, "in.sgy")
    >>> segyio.tools.from_array(src, np.ones((2, 3, 5), dtype=np.float32), format=5)
    >>> data = read_segy(src)
    >>> _ = write_segy(os.path.join(folder, "out.sgy"), 2 * data.traces, like=data)
    >>> read_segy(os.path.join(folder, "out.sgy")).traces[0].tolist()
    [2.0, 2.0, 2.0, 2.0, 2.0]
    """
    src = check_exists(_as_like_path(like), "source SEG-Y file")
    dst = check_segy_destination(path, src, overwrite)
    endian = endian_of(src)
    with open_segy(src, endian=endian) as f:
        n_traces, n_samples = f.tracecount, len(f.samples)
        check_float_format(f, src)
        dtype = f.dtype
    A = np.asarray(traces)
    if A.ndim != 2 or A.shape != (n_traces, n_samples):
        raise ValueError(
            f"traces have shape {A.shape}; the source {str(src)!r} has {n_traces} traces of "
            f"{n_samples} samples: expected ({n_traces}, {n_samples})."
        )
    if A.dtype.kind not in "fiu":
        raise ValueError(f"traces must be numeric, got dtype {A.dtype}.")
    check_representable(A, dtype)
    with temporary_copy(src, dst) as tmp, open_segy(tmp, "r+", endian=endian) as out:
        step = 65536
        for a in range(0, n_traces, step):
            out.trace[a:a + step] = np.ascontiguousarray(A[a:a + step], dtype=dtype)
        stamp_text(out, text)
    return dst
