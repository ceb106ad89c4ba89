"""The package's own ``.npz`` data sets (X, optional y, JSON metadata) and plain ``.npy`` arrays.

:func:`save_npz` writes atomically with the usual file mode; :func:`load_npz` validates what it
reads (2-D finite numeric arrays, one impedance trace per seismic trace, readable metadata), so
that a bad file fails here, with its name, rather than later inside an estimator.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from impedance_sklearn._validation import as_traces
from impedance_sklearn.io._files import atomic_path, check_input_file
from impedance_sklearn.io.mat import MissingKeyError

__all__ = ["load_npz", "save_npz", "load_npy"]


def save_npz(path, X, y=None, *, overwrite=False, compress=False, **metadata):
    """Save traces (and optional impedance and metadata) to an ``.npz`` file, atomically.

    The arrays are validated first (2-D, numeric, finite, one impedance trace per seismic
    trace); the file is written to a temporary file in the destination folder, then renamed over
    ``path``, so a crash never leaves a half-written file under that name.

    Parameters
    ----------
    path : str or path-like
        Destination; written exactly as given (no ``.npz`` is appended).
    X : array-like of shape (n_traces, n_samples)
        Seismic traces, one per row.
    y : array-like of shape (n_traces, n_samples_y), optional
        Impedance traces, one per row of ``X``.
    overwrite : bool, default=False
        Replace an existing file. Without it an existing ``path`` raises ``FileExistsError``.
    compress : bool, default=False
        Use :func:`numpy.savez_compressed`.
    **metadata
        JSON-serialisable values (numbers, strings, lists, dicts: e.g. ``dt=4.3875e-4``,
        ``scale=1e6``) stored beside the arrays and returned by ``load_npz(...,
        return_metadata=True)``.

    Returns
    -------
    path : pathlib.Path
        The written file.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from impedance_sklearn.datasets import load_npz, save_npz
    >>> path = os.path.join(tempfile.mkdtemp(), "train.npz")
    >>> _ = save_npz(path, np.zeros((2, 5)), np.ones((2, 5)), dt=0.004)
    >>> X, y, meta = load_npz(path, return_metadata=True)
    >>> X.shape, y.shape, meta
    ((2, 5), (2, 5), {'dt': 0.004})
    """
    arrays = {"X": as_traces(X, "X", dtype=None)}
    if y is not None:
        arrays["y"] = _check_pair(arrays["X"], as_traces(y, "y", dtype=None), path)
    reserved = {"X", "y", "metadata"} & set(metadata)
    if reserved:
        raise ValueError(f"metadata names {sorted(reserved)} are reserved for the arrays.")
    try:
        meta = json.dumps(metadata, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"metadata must be JSON-serialisable: {exc}") from exc
    arrays["metadata"] = np.array(meta)
    with atomic_path(path, overwrite=overwrite) as tmp, open(tmp, "wb") as fh:
        (np.savez_compressed if compress else np.savez)(fh, **arrays)
    return Path(path)


def _check_pair(X, y, path):
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"{str(path)!r}: X has {X.shape[0]} traces but y has {y.shape[0]}; expected one "
            "impedance trace per seismic trace."
        )
    return y


class _ObjectArray(Exception):
    pass


def _npz_contents(path):
    try:
        data = np.load(path, allow_pickle=False)
        if not hasattr(data, "files"):
            raise ValueError("it holds a single array (an .npy file), not named arrays")
        with data:
            out = {}
            for k in data.files:
                try:
                    out[k] = data[k]
                except ValueError as exc:
                    if "Object arrays" in str(exc):
                        raise _ObjectArray(k) from None
                    raise
            return out
    except _ObjectArray as exc:
        raise ValueError(
            f"{str(path)!r}: array {exc.args[0]!r} holds Python objects, which are not loaded "
            "(they could run code); save numeric arrays."
        ) from None
    except ValueError as exc:
        msg = str(exc)
        if "allow_pickle" in msg or "pickled" in msg:
            msg = "not an .npz archive (a text file, a pickle or another format)"
        raise ValueError(f"{str(path)!r} is not a readable .npz file: {msg}.") from None
    except Exception as exc:
        raise ValueError(
            f"{str(path)!r} is not a readable .npz file ({type(exc).__name__}: {exc})."
        ) from None


def load_npz(path, return_metadata=False):
    """Load a data set written by :func:`save_npz`, validated.

    Parameters
    ----------
    path : str or path-like
        An ``.npz`` file written by :func:`save_npz` (any ``.npz`` with an ``X`` array works).
    return_metadata : bool, default=False
        Also return the metadata dict.

    Returns
    -------
    X : ndarray of shape (n_traces, n_samples)
    y : ndarray of shape (n_traces, n_samples_y) or None
        ``None`` when the file was saved without impedance.
    metadata : dict
        Only with ``return_metadata=True``.

    Raises
    ------
    FileNotFoundError, IsADirectoryError
        No such file, or a folder.
    MissingKeyError
        No ``X`` array (the message lists the arrays found).
    ValueError
        Not an .npz file; X or y not 2-D, not numeric or not finite; X and y with different
        numbers of traces; unreadable metadata.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from impedance_sklearn.datasets import load_npz, save_npz
    >>> path = os.path.join(tempfile.mkdtemp(), "seismic_only.npz")
    >>> _ = save_npz(path, np.arange(6.0).reshape(2, 3))
    >>> X, y = load_npz(path)
    >>> X.tolist(), y
    ([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], None)
    """
    path = check_input_file(path, "data file")
    contents = _npz_contents(path)
    if "X" not in contents:
        raise MissingKeyError(
            f"no 'X' array in {str(path)!r}; arrays found: {sorted(contents)}."
        )
    where = repr(str(path))
    try:
        X = as_traces(contents["X"], "X", where=where, dtype=None)
        y = contents.get("y")
        if y is not None:
            y = _check_pair(X, as_traces(y, "y", where=where, dtype=None), path)
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    if not return_metadata:
        return X, y
    meta = {}
    if "metadata" in contents:
        try:
            meta = json.loads(str(contents["metadata"]))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{str(path)!r}: its metadata is not valid JSON ({exc}).") from None
        if not isinstance(meta, dict):
            raise ValueError(f"{str(path)!r}: its metadata is not a JSON object.")
    return X, y, meta


def load_npy(path, what="seismic"):
    """Traces from a ``.npy`` file (no pickles), validated: (n_traces, n_samples) finite floats.

    Parameters
    ----------
    path : str or path-like
        The ``.npy`` file.
    what : str, default="seismic"
        What the array is, for the error messages.

    Returns
    -------
    ndarray of shape (n_traces, n_samples)
        The traces, one per row.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x.npy")
    >>> np.save(path, np.ones((2, 4)))
    >>> load_npy(path).shape
    (2, 4)
    """
    path = check_input_file(path, f"{what} file")
    try:
        A = np.load(path, allow_pickle=False)
    except ValueError as exc:
        msg = str(exc)
        if "allow_pickle" in msg or "pickled" in msg:
            msg = "it holds pickled objects, which are not loaded"
        raise ValueError(f"{str(path)!r} is not a readable .npy file: {msg}.") from None
    except Exception as exc:
        raise ValueError(
            f"{str(path)!r} is not a readable .npy file ({type(exc).__name__}: {exc})."
        ) from None
    if not isinstance(A, np.ndarray):
        raise ValueError(f"{str(path)!r} is an .npz archive, not an .npy array.")
    try:
        return as_traces(A, what, where=repr(str(path)), dtype=None)
    except TypeError as exc:
        raise ValueError(str(exc)) from None
