"""SEG-Y in and out, and whole-survey prediction that streams a volume of any size.

* :func:`read_segy` -- a whole file into memory: traces (n_traces, n_samples), the time axis, the
  inline/crossline geometry (header bytes 189/193) and the path to use as a template.
* :func:`write_segy` -- new traces into a copy of a source file: every textual, binary and trace
  header of the source is kept byte for byte.
* :func:`predict_segy` -- apply a fitted estimator to every trace of a SEG-Y file, chunk by chunk
  (memory bounded by the chunk, not the file), optionally in parallel with joblib or on a Dask
  cluster, writing a SEG-Y with the source's headers.

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

import contextlib
import numbers
import os
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from impedance_sklearn._base import resample_traces
from impedance_sklearn.io._files import atomic_path, check_destination, check_input_file

__all__ = ["SegyData", "read_segy", "write_segy", "predict_segy"]

_FLOAT_FORMATS = {1: "4-byte IBM float", 5: "4-byte IEEE float", 6: "8-byte IEEE float"}
_INT_FORMATS = {2: "4-byte integer", 3: "2-byte integer", 8: "1-byte integer",
                9: "8-byte integer", 10: "4-byte unsigned integer",
                11: "2-byte unsigned integer", 12: "8-byte unsigned integer",
                16: "1-byte unsigned integer"}
_DASK_HINT = "pip install 'impedance-sklearn[dask]'"


# --------------------------------------------------------------------------------------------
# opening files


def _segyio():
    import segyio

    return segyio


def _check_exists(path, what="SEG-Y file"):
    return check_input_file(path, what)


def _endian(path):
    """'big' or 'little', from the sample-format code (binary header bytes 3225-3226)."""
    with open(path, "rb") as fh:
        head = fh.read(3600)
    if len(head) < 3600:
        raise ValueError(
            f"{str(path)!r} is not a SEG-Y file: {len(head)} bytes, shorter than the 3,600-byte "
            "textual + binary file header."
        )
    big, little = struct.unpack(">h", head[3224:3226])[0], struct.unpack("<h", head[3224:3226])[0]
    known = set(_FLOAT_FORMATS) | set(_INT_FORMATS)
    if big in known:
        return "big"
    if little in known:
        return "little"
    raise ValueError(
        f"{str(path)!r} is not a SEG-Y file: the sample-format code (bytes 3225-3226) is "
        f"{big}, not one of {sorted(known)}."
    )


@contextlib.contextmanager
def _open(path, mode="r", *, geometry=False, endian=None):
    """segyio.open with errors that name the file; geometry inferred only when asked."""
    segyio = _segyio()
    path = _check_exists(path)
    endian = endian or _endian(path)
    try:
        f = segyio.open(str(path), mode, strict=False, ignore_geometry=not geometry,
                        endian=endian)
    except Exception as exc:  # segyio raises RuntimeError/OSError/ValueError on bad files
        raise ValueError(
            f"{str(path)!r} is not a readable SEG-Y file ({type(exc).__name__}: {exc})."
        ) from exc
    try:
        if f.tracecount == 0 or len(f.samples) == 0:
            raise ValueError(
                f"{str(path)!r} holds no traces ({f.tracecount} traces of {len(f.samples)} "
                "samples)."
            )
        yield f
    finally:
        f.close()


def _format_code(f):
    return int(f.bin[_segyio().BinField.Format])


def _check_float_format(f, path):
    code = _format_code(f)
    if code not in _FLOAT_FORMATS:
        raise ValueError(
            f"{str(path)!r} stores samples as {_INT_FORMATS.get(code, f'format {code}')} "
            f"(format code {code}); impedance would be truncated. Convert the source to "
            "IEEE float (format 5) first."
        )
    return code


# --------------------------------------------------------------------------------------------
# read


@dataclass
class SegyData:
    """A SEG-Y file read into memory by :func:`read_segy`.

    Attributes
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
        per-trace ``data.inlines`` / ``data.crosslines``, the grid ``data.ilines`` /
        ``data.xlines`` / ``data.sorting`` when there is one (else ``None``), and ``data.path``
        to pass as ``like=`` to :func:`write_segy`.

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
    segyio = _segyio()
    path = _check_exists(path)
    endian = _endian(path)
    with _open(path, geometry=True, endian=endian) as f:
        traces = f.trace.raw[:]
        traces = traces.astype(np.result_type(traces.dtype, np.float32), copy=False)
        samples = np.asarray(f.samples, dtype=np.float64)
        dt = float(segyio.tools.dt(f, fallback_dt=0.0)) / 1000.0
        if dt == 0.0 and len(samples) > 1:
            dt = float(samples[1] - samples[0])
        inlines = np.asarray(f.attributes(segyio.TraceField.INLINE_3D)[:])
        crosslines = np.asarray(f.attributes(segyio.TraceField.CROSSLINE_3D)[:])
        ilines = xlines = sorting = None
        if not f.unstructured and len(f.offsets) == 1:
            ilines, xlines = np.asarray(f.ilines).copy(), np.asarray(f.xlines).copy()
            sorting = {segyio.TraceSortingFormat.INLINE_SORTING: "inline",
                       segyio.TraceSortingFormat.CROSSLINE_SORTING: "crossline"}.get(f.sorting)
            if sorting is None:
                ilines = xlines = None
        text = bytes(f.text[0]).decode("latin-1")
        return SegyData(
            traces=traces, samples=samples, dt=dt, inlines=inlines, crosslines=crosslines,
            ilines=ilines, xlines=xlines, sorting=sorting, sample_format=_format_code(f),
            endian=endian, text=text, path=path, ext_headers=int(f.ext_headers),
        )


# --------------------------------------------------------------------------------------------
# write


def _check_destination(dst, src, overwrite):
    return check_destination(dst, overwrite=overwrite, sources=[src])


@contextlib.contextmanager
def _temporary_copy(src, dst):
    """Copy ``src`` to a temporary file beside ``dst``; yield its path; rename it on success.

    Any exception (KeyboardInterrupt and SIGTERM included) removes the temporary file and
    re-raises; leftovers of a killed process are removed by the next write to ``dst``.
    """
    with atomic_path(dst, overwrite=True, sources=[src]) as tmp:
        shutil.copyfile(src, tmp)
        yield tmp


def _as_like_path(like):
    if isinstance(like, SegyData):
        return like.path
    if like is None:
        raise ValueError("write_segy needs like=: a source SEG-Y whose headers the file copies.")
    return Path(like)


def write_segy(path, traces, like, *, overwrite=False):
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

    Returns
    -------
    path : pathlib.Path
        The written file.

    Raises
    ------
    ValueError
        Wrong shape, NaN/inf, destination is the source, an integer sample format, a corrupt
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
    src = _check_exists(_as_like_path(like), "source SEG-Y file")
    dst = _check_destination(path, src, overwrite)
    endian = _endian(src)
    with _open(src, endian=endian) as f:
        n_traces, n_samples = f.tracecount, len(f.samples)
        _check_float_format(f, src)
        dtype = f.dtype
    A = np.asarray(traces)
    if A.ndim != 2 or A.shape != (n_traces, n_samples):
        raise ValueError(
            f"traces have shape {A.shape}; the source {str(src)!r} has {n_traces} traces of "
            f"{n_samples} samples: expected ({n_traces}, {n_samples})."
        )
    if A.dtype.kind not in "fiu":
        raise ValueError(f"traces must be numeric, got dtype {A.dtype}.")
    if not np.isfinite(A).all():
        raise ValueError("traces hold NaN or infinite values; expected finite samples.")
    with _temporary_copy(src, dst) as tmp, _open(tmp, "r+", endian=endian) as out:
        step = 65536
        for a in range(0, n_traces, step):
            out.trace[a:a + step] = np.ascontiguousarray(A[a:a + step], dtype=dtype)
    return dst


# --------------------------------------------------------------------------------------------
# predict


def _expected_length(estimator):
    """Samples per trace the estimator was fitted on, or None when it does not say."""
    n_in = getattr(estimator, "n_features_in_", None)
    return int(n_in) if isinstance(n_in, numbers.Integral) else None


def _predict_block(estimator, X, n_in, n_samples, resample):
    """Predict one block of traces (n, n_samples) -> (n, n_samples) float."""
    if n_in is not None and n_in != n_samples:
        X = resample_traces(np.asarray(X, dtype=np.float64), n_in)
    Y = np.asarray(estimator.predict(X))
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[0] != X.shape[0]:
        raise ValueError(
            f"{type(estimator).__name__}.predict returned shape {Y.shape} for {X.shape[0]} "
            "traces; expected (n_traces, n_samples)."
        )
    if Y.shape[1] != n_samples:
        if not resample:
            raise ValueError(
                f"{type(estimator).__name__} predicts traces of {Y.shape[1]} samples but the "
                f"SEG-Y traces have {n_samples}; a SEG-Y output keeps the source's sample "
                "count. Fit the model on impedance with as many samples as the seismic, or pass "
                "resample=True to resample its output onto the source's time axis."
            )
        Y = resample_traces(np.asarray(Y, dtype=np.float64), n_samples)
    return Y


def _read_block(f, a, b):
    return f.trace.raw[a:b]


def _write_block(f, a, Y):
    f.trace[a:a + len(Y)] = np.ascontiguousarray(Y, dtype=f.dtype)


def _chunk_task(estimator, src, tmp, a, b, n_in, n_samples, resample, endian):
    """One Dask task: read traces [a, b) of src, predict, write them in place into tmp."""
    with _open(src, endian=endian) as f:
        X = _read_block(f, a, b)
    Y = _predict_block(estimator, X, n_in, n_samples, resample)
    with _open(tmp, "r+", endian=endian) as out:
        _write_block(out, a, Y)
    return b - a


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(
            "predict_segy(client=...) needs Dask's distributed scheduler, which is not "
            f"installed: {_DASK_HINT}"
        ) from exc
    return distributed


def _check_params(chunk_traces, n_jobs):
    if (not isinstance(chunk_traces, numbers.Integral) or isinstance(chunk_traces, bool)
            or chunk_traces < 1):
        raise ValueError(f"chunk_traces must be a positive integer, got {chunk_traces!r}.")
    if n_jobs is not None and (not isinstance(n_jobs, numbers.Integral) or n_jobs == 0
                               or isinstance(n_jobs, bool)):
        raise ValueError(f"n_jobs must be None or a non-zero integer, got {n_jobs!r}.")


def predict_segy(estimator, src, dst, *, chunk_traces=4096, n_jobs=None, client=None,
                 resample=False, overwrite=False, progress=False):
    """Predict every trace of a SEG-Y file and write the result as a SEG-Y with its headers.

    Streams the file in chunks of ``chunk_traces`` traces: peak memory is bounded by the chunk
    size (times the number of chunks in flight), not by the file size. The output is a byte copy
    of the source (every textual, binary and trace header kept) with the samples replaced by
    ``estimator.predict``; it is written to a temporary file beside ``dst`` and renamed at the
    end, so an error or Ctrl-C leaves nothing under ``dst`` and never touches ``src``.

    Parameters
    ----------
    estimator : fitted regressor
        Anything with ``predict`` mapping (n, n_samples) seismic traces to (n, n_out)
        impedance traces: the package's estimators, a Pipeline, any multi-output scikit-learn
        regressor fitted on traces.
    src : str or path-like
        Source SEG-Y file (any size; float sample format).
    dst : str or path-like
        Destination SEG-Y file (same sample format and headers as ``src``).
    chunk_traces : int, default=4096
        Traces read, predicted and written at a time.
    n_jobs : int or None, default=None
        Chunks predicted in parallel with joblib on this machine (``None``/1: one at a time;
        -1: all cores). Reading and writing stay in the calling process; the joblib backend
        follows :func:`joblib.parallel_config` (default: processes, "loky"). Ignored with
        ``client``.
    client : dask.distributed.Client or None, default=None
        Spread the chunks over a Dask cluster: the output is pre-allocated (a copy of the source
        beside ``dst``), each task reads its own slice of ``src`` and writes its own slice of
        the copy in place, and the copy is renamed at the end. ``src`` and the folder of ``dst``
        must be on storage every worker sees. Needs ``pip install 'impedance-sklearn[dask]'``.
    resample : bool, default=False
        What to do when the file's trace length differs from the one the model was fitted on
        (``estimator.n_features_in_``), or when the model predicts traces of another length
        than the file's. ``False`` raises a ``ValueError``. ``True`` resamples each input trace
        to the model's length and each prediction back to the file's length with
        :func:`impedance_sklearn._base.resample_traces` (block averages when shortening, linear
        interpolation when lengthening, over the same time window): right when the model's
        window and the file's are the same span sampled differently, wrong when the spans differ.
    overwrite : bool, default=False
        Replace an existing ``dst`` (atomically, at the end). Never allowed for ``src`` itself.
    progress : bool, default=False
        Show a tqdm progress bar (traces) on stderr.

    Returns
    -------
    dst : pathlib.Path
        The written file.

    Raises
    ------
    ValueError
        Trace-length mismatch without ``resample``, ``dst`` is ``src``, a corrupt or
        integer-format source, bad parameters.
    FileExistsError
        ``dst`` exists and ``overwrite`` is False.
    ImportError
        ``client`` given but Dask is not installed.

    Examples
    --------
    >>> import numpy as np, segyio, tempfile, os
    >>> from sklearn.linear_model import Ridge
    >>> from impedance_sklearn.segy import predict_segy, read_segy
    >>> folder = tempfile.mkdtemp()
    >>> src = os.path.join(folder, "seismic.sgy")
    >>> rng = np.random.default_rng(0)
    >>> segyio.tools.from_array(src, rng.normal(size=(4, 5, 20)).astype(np.float32), format=5)
    >>> X = read_segy(src).traces
    >>> model = Ridge(alpha=1e-3).fit(X, 5.0 + np.cumsum(X, axis=1))  # (n, 20) -> (n, 20)
    >>> out = predict_segy(model, src, os.path.join(folder, "impedance.sgy"), chunk_traces=7)
    >>> bool(np.allclose(read_segy(out).traces, model.predict(X), atol=1e-5))
    True
    """
    _check_params(chunk_traces, n_jobs)
    if not hasattr(estimator, "predict"):
        raise TypeError(f"estimator must have a predict method, got {type(estimator).__name__}.")
    src = _check_exists(src, "source SEG-Y file")
    dst = _check_destination(dst, src, overwrite)
    if client is not None:
        distributed = _import_distributed()
    endian = _endian(src)
    with _open(src, endian=endian) as f:
        _check_float_format(f, src)
        n_traces, n_samples = f.tracecount, len(f.samples)
        n_in = _expected_length(estimator)
        if n_in is not None and n_in != n_samples and not resample:
            raise ValueError(
                f"{type(estimator).__name__} was fitted on traces of {n_in} samples but "
                f"{str(src)!r} has {n_samples} samples per trace; pass resample=True to "
                f"resample each trace to {n_in} samples and the prediction back to "
                f"{n_samples}, or use a model fitted on {n_samples}-sample traces."
            )
        bounds = [(a, min(a + chunk_traces, n_traces)) for a in range(0, n_traces, chunk_traces)]
        # Predict the first chunk before copying anything: a wrong output length fails fast.
        a0, b0 = bounds[0]
        first = _predict_block(estimator, _read_block(f, a0, b0), n_in, n_samples, resample)
        bar = _progress_bar(progress, n_traces)
        try:
            with _temporary_copy(src, dst) as tmp:
                with _open(tmp, "r+", endian=endian) as out:
                    _write_block(out, a0, first)
                bar.update(b0 - a0)
                del first
                rest = bounds[1:]
                if client is not None:
                    _run_dask(client, distributed, estimator, src, tmp, rest, n_in, n_samples,
                              resample, endian, bar)
                else:
                    with _open(tmp, "r+", endian=endian) as out:
                        _run_local(estimator, f, out, rest, n_in, n_samples, resample, n_jobs,
                                   bar)
        finally:
            bar.close()
    return dst


def _progress_bar(progress, total):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not progress, unit="tr", unit_scale=True,
                desc="predict_segy", leave=False)


def _run_local(estimator, f, out, bounds, n_in, n_samples, resample, n_jobs, bar):
    if n_jobs is None or n_jobs == 1 or len(bounds) < 2:
        for a, b in bounds:
            Y = _predict_block(estimator, _read_block(f, a, b), n_in, n_samples, resample)
            _write_block(out, a, Y)
            bar.update(b - a)
        return
    from joblib import Parallel, delayed

    # An ordered generator: chunks are read lazily as workers free up (about 2 * n_jobs in
    # flight), so memory stays bounded by the chunk size, and written in order here.
    tasks = (delayed(_predict_block)(estimator, _read_block(f, a, b), n_in, n_samples, resample)
             for a, b in bounds)
    parallel = Parallel(n_jobs=n_jobs, return_as="generator")
    for (a, b), Y in zip(bounds, parallel(tasks)):
        _write_block(out, a, Y)
        bar.update(b - a)


def _run_dask(client, distributed, estimator, src, tmp, bounds, n_in, n_samples, resample,
              endian, bar):
    if not bounds:
        return
    import uuid

    [est] = client.scatter([estimator], broadcast=True)
    run_id = uuid.uuid4().hex
    futures = [
        client.submit(_chunk_task, est, os.path.abspath(src), os.path.abspath(tmp), a, b, n_in,
                      n_samples, resample, endian, pure=False, key=f"predict_segy-{run_id}-{a}")
        for a, b in bounds
    ]
    try:
        for fut in distributed.as_completed(futures):
            bar.update(fut.result())
    except BaseException:
        client.cancel(futures)
        raise
