"""Whole-survey prediction: a fitted estimator applied to every trace of a SEG-Y file, streamed.

:func:`predict_segy` reads, predicts and writes chunk by chunk (memory bounded by the chunk, not
the file), optionally in parallel with joblib or on a Dask cluster, into a copy of the source
with every header kept, written to a temporary file and renamed at the end (see
:mod:`impedance_sklearn.io.segy` for how files are written). Readers know no models: any object
with ``predict`` works.
"""

from __future__ import annotations

import numbers
import os

import numpy as np

from impedance_sklearn.io._segyfile import (
    check_exists,
    check_float_format,
    check_segy_destination,
    endian_of,
    open_segy,
    stamp_text,
    temporary_copy,
)
from impedance_sklearn.io.segy import check_representable
from impedance_sklearn.physics.transforms import resample_traces

__all__ = ["predict_segy"]

_DASK_HINT = "pip install 'impedance-sklearn[dask]'"



def _expected_length(estimator):
    """Samples per trace the estimator was fitted on, or None when it does not say or takes
    traces of any length (``min_trace_length_``: a WindowedRegressor)."""
    if getattr(estimator, "min_trace_length_", None) is not None:
        return None
    n_in = getattr(estimator, "n_features_in_", None)
    return int(n_in) if isinstance(n_in, numbers.Integral) else None


def _block_params(params, a, b, n_traces):
    """The predict parameters of traces [a, b): arrays of one entry per trace are sliced."""
    return {k: (v[a:b] if isinstance(v, np.ndarray) and v.ndim and v.shape[0] == n_traces
                else v) for k, v in (params or {}).items()}


def _predict_block(estimator, X, n_in, n_samples, resample, params=None):
    """Predict one block of traces (n, n_samples) -> (n, n_samples) float."""
    if n_in is not None and n_in != n_samples:
        X = resample_traces(np.asarray(X, dtype=np.float64), n_in)
    Y = np.asarray(estimator.predict(X, **(params or {})))
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[0] != X.shape[0]:
        raise ValueError(
            f"{type(estimator).__name__}.predict returned shape {Y.shape} for {X.shape[0]} "
            "traces; expected (n_traces, n_samples)."
        )
    if not np.isfinite(Y).all():
        raise ValueError(
            f"{type(estimator).__name__}.predict returned NaN or infinite values for "
            f"{int((~np.isfinite(Y).all(axis=1)).sum())} of {Y.shape[0]} traces; nothing was "
            "written (a diverged model, or input far from its training data?)."
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
    check_representable(Y, f.dtype, what=f"the predictions for traces {a}-{a + len(Y) - 1}")
    f.trace[a:a + len(Y)] = np.ascontiguousarray(Y, dtype=f.dtype)


def _chunk_task(estimator, src, tmp, a, b, n_in, n_samples, resample, endian, params=None):
    """One Dask task: read traces [a, b) of src, predict, write them in place into tmp."""
    with open_segy(src, endian=endian) as f:
        X = _read_block(f, a, b)
    Y = _predict_block(estimator, X, n_in, n_samples, resample, params)
    with open_segy(tmp, "r+", endian=endian) as out:
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
                 resample=False, overwrite=False, progress=False, text=None,
                 predict_params=None):
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
        -1: all cores). Reading and writing stay in the calling process. The default backend
        is threads (the package's estimators compute in torch, numpy and scipy, which release
        the GIL), so no worker process can outlive the caller; ``joblib.parallel_config`` can
        choose processes. Ignored with ``client``.
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
        :func:`impedance_sklearn.estimators._base.resample_traces` (block averages when shortening, linear
        interpolation when lengthening, over the same time window): right when the model's
        window and the file's are the same span sampled differently, wrong when the spans differ.
    overwrite : bool, default=False
        Replace an existing ``dst`` (atomically, at the end). Never allowed for ``src`` itself.
    progress : bool, default=False
        Show a tqdm progress bar (traces) on stderr.
    text : sequence of str, optional
        Up to four lines for the output's textual header (C36-C39), e.g. what the traces now
        are (see :func:`~impedance_sklearn.io.segy.write_segy`).
    predict_params : dict, optional
        Keyword arguments of ``estimator.predict``; an array with one entry per trace of
        ``src`` is sliced chunk by chunk (e.g. ``positions`` of a
        :class:`~impedance_sklearn.estimators.windowed.WindowedRegressor` whose background comes from
        several wells; ``t0`` of another start time than the model's). A model that takes
        traces of any length (``min_trace_length_``, a ``WindowedRegressor``) predicts the
        file's traces as they are.

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
    src = check_exists(src, "source SEG-Y file")
    dst = check_segy_destination(dst, src, overwrite)
    if client is not None:
        distributed = _import_distributed()
    endian = endian_of(src)
    with open_segy(src, endian=endian) as f:
        check_float_format(f, src)
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
        params = dict(predict_params or {})
        for k, v in params.items():
            if not isinstance(v, np.ndarray) and np.ndim(v) > 0:
                params[k] = np.asarray(v)
        first = _predict_block(estimator, _read_block(f, a0, b0), n_in, n_samples, resample,
                               _block_params(params, a0, b0, n_traces))
        bar = _progress_bar(progress, n_traces)
        try:
            with temporary_copy(src, dst) as tmp:
                with open_segy(tmp, "r+", endian=endian) as out:
                    _write_block(out, a0, first)
                bar.update(b0 - a0)
                del first
                rest = bounds[1:]
                if client is not None:
                    _run_dask(client, distributed, estimator, src, tmp, rest, n_in, n_samples,
                              resample, endian, bar, params, n_traces)
                else:
                    with open_segy(tmp, "r+", endian=endian) as out:
                        _run_local(estimator, f, out, rest, n_in, n_samples, resample, n_jobs,
                                   bar, params, n_traces)
                if text:
                    with open_segy(tmp, "r+", endian=endian) as out:
                        stamp_text(out, text)
        finally:
            bar.close()
    return dst


def _progress_bar(progress, total):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not progress, unit="tr", unit_scale=True,
                desc="predict_segy", leave=False)


def _run_local(estimator, f, out, bounds, n_in, n_samples, resample, n_jobs, bar, params,
               n_traces):
    if n_jobs is None or n_jobs == 1 or len(bounds) < 2:
        for a, b in bounds:
            Y = _predict_block(estimator, _read_block(f, a, b), n_in, n_samples, resample,
                               _block_params(params, a, b, n_traces))
            _write_block(out, a, Y)
            bar.update(b - a)
        return
    from joblib import Parallel, delayed

    # An ordered generator: chunks are read lazily as workers free up (about 2 * n_jobs in
    # flight), so memory stays bounded by the chunk size, and written in order here.
    tasks = (delayed(_predict_block)(estimator, _read_block(f, a, b), n_in, n_samples, resample,
                                     _block_params(params, a, b, n_traces))
             for a, b in bounds)
    parallel = Parallel(n_jobs=n_jobs, return_as="generator", prefer="threads")
    for (a, b), Y in zip(bounds, parallel(tasks)):
        _write_block(out, a, Y)
        bar.update(b - a)


def _run_dask(client, distributed, estimator, src, tmp, bounds, n_in, n_samples, resample,
              endian, bar, params, n_traces):
    if not bounds:
        return
    import uuid

    [est] = client.scatter([estimator], broadcast=True)
    run_id = uuid.uuid4().hex
    futures = [
        client.submit(_chunk_task, est, os.path.abspath(src), os.path.abspath(tmp), a, b, n_in,
                      n_samples, resample, endian, _block_params(params, a, b, n_traces),
                      pure=False, key=f"predict_segy-{run_id}-{a}")
        for a, b in bounds
    ]
    try:
        for fut in distributed.as_completed(futures):
            bar.update(fut.result())
    except BaseException:
        client.cancel(futures)
        raise
