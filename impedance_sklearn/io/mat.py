"""MATLAB ``.mat`` files (v5 and v7.3/HDF5): the seed's and the paper's data sets.

Arrays are stored the MATLAB way, (n_samples, n_traces), one trace per column; the package
works with one trace per row, so :func:`load_mat` transposes on reading and :func:`save_mat` on
writing.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np

from impedance_sklearn._validation import as_traces
from impedance_sklearn.io._files import atomic_path, check_input_file

__all__ = ["load_mat", "save_mat", "MissingKeyError", "SEISMIC_KEYS", "IMPEDANCE_KEYS"]

# Keys tried in order when the caller names none: the seed's files, then the paper's.
SEISMIC_KEYS = ("Seismic", "wz_with_multiples")
IMPEDANCE_KEYS = ("Impedance", "Imp", "IpTimeVec")


class MissingKeyError(KeyError):
    """A key (or every known key) is missing from a file; the message lists the keys found.

    A :class:`KeyError` whose ``str`` is the plain message (not its ``repr``).
    """

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def _is_hdf5(path):
    import h5py

    try:
        return h5py.is_hdf5(path)
    except OSError:
        return False


def _read_v5(path):
    """Variables of a MATLAB v4/v5/v7 file as a dict name -> ndarray (MATLAB shape)."""
    import scipy.io

    try:
        raw = scipy.io.loadmat(path, squeeze_me=False)
    except Exception as exc:  # scipy raises ValueError/TypeError/MatReadError on junk
        raise ValueError(
            f"{str(path)!r} is not a readable MATLAB .mat file ({type(exc).__name__}: {exc})."
        ) from exc
    return {k: v for k, v in raw.items() if not k.startswith("__")}


def _read_v73(path):
    """Variables of a MATLAB v7.3 (HDF5) file, transposed back to their MATLAB shape.

    MATLAB writes arrays column-major, so h5py sees every 2-D array transposed: a MATLAB
    (n_samples, n_traces) array reads as (n_traces, n_samples) and is transposed here.
    """
    import h5py

    out = {}
    try:
        with h5py.File(path, "r") as fh:
            for name, obj in fh.items():
                if name.startswith("#"):
                    continue  # '#refs#' / '#subsystem#'
                if not isinstance(obj, h5py.Dataset):  # a struct or cell: named, not readable
                    out[name] = _NotAnArray(f"a MATLAB struct or cell ({type(obj).__name__})")
                    continue
                out[name] = np.asarray(obj[()]).T
    except OSError as exc:
        raise ValueError(f"{str(path)!r} is not a readable MATLAB v7.3 file ({exc}).") from exc
    return out


class _NotAnArray:
    """A variable that exists in the file but is no numeric array (the message says what)."""

    def __init__(self, what):
        self.what = what


def _variables(path):
    variables = _read_v73(path) if _is_hdf5(path) else _read_v5(path)
    if not variables:
        raise ValueError(
            f"{str(path)!r} holds no MATLAB variables: a truncated or empty .mat file, or not a "
            "MATLAB file."
        )
    return variables


def _pick(variables, key, candidates, what, path, required):
    """Return (name, array) for ``key`` or the first candidate present."""
    found = sorted(variables)
    if key is not None:
        if key not in variables:
            raise MissingKeyError(
                f"{what} key {key!r} not found in {str(path)!r}; keys found: {found}."
            )
        return key, variables[key]
    for cand in candidates:
        if cand in variables:
            return cand, variables[cand]
    odd = [k for k, v in variables.items() if isinstance(v, _NotAnArray)]
    if odd and required:
        raise ValueError(
            f"no {what} array in {str(path)!r}: variables {odd} are "
            f"{variables[odd[0]].what}, not numeric arrays; save the traces as a plain matrix."
        )
    if not required:
        return None, None
    raise MissingKeyError(
        f"no {what} array in {str(path)!r}: tried keys {list(candidates)}, keys found: {found}; "
        f"pass {what}_key= to name it."
    )


def _matlab_traces(name, A, path):
    """MATLAB (n_samples, n_traces) array -> float (n_traces, n_samples), one trace per row."""
    if isinstance(A, _NotAnArray):
        raise ValueError(f"{name!r} in {str(path)!r} is {A.what}, not a numeric array; save "
                         "the traces as a plain matrix.")
    A = np.asarray(A)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim == 2:
        A = A.T
    try:
        return np.ascontiguousarray(as_traces(A, repr(name), where=repr(str(path)), dtype=None))
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    except ValueError:
        if A.ndim != 2:
            raise ValueError(
                f"{name!r} in {str(path)!r} has shape {np.shape(A)}; expected a 2-D array "
                "stored (n_samples, n_traces), one trace per column."
            ) from None
        raise


def load_mat(path, seismic_key=None, impedance_key=None, scale=1e6):
    """Load seismic and impedance traces from a MATLAB ``.mat`` file.

    Reads MATLAB v5/v7 files (:func:`scipy.io.loadmat`) and v7.3 files (HDF5, with h5py).
    Arrays are stored the MATLAB way, (n_samples, n_traces), one trace per column, and are
    returned one trace per row. In a v7.3 file h5py sees MATLAB arrays transposed; this is undone
    so both versions give the same result.

    Parameters
    ----------
    path : str or path-like
        The ``.mat`` file.
    seismic_key : str or None, default=None
        Name of the seismic variable. ``None`` tries ``"Seismic"`` (the seed's files), then
        ``"wz_with_multiples"`` (the paper's).
    impedance_key : str, None or False, default=None
        Name of the impedance variable. ``None`` tries ``"Impedance"``, ``"Imp"`` (the seed's),
        then ``"IpTimeVec"`` (the paper's), and returns ``y=None`` when none is present (a
        predict-only file). ``False`` skips the impedance. A named key that is missing raises.
    scale : float, default=1e6
        The impedance is divided by ``scale`` (the paper trains on impedance / 1e6). Use 1 to
        keep the file's units.

    Returns
    -------
    X : ndarray of shape (n_traces, n_samples)
        Seismic traces (float; float32 stays float32).
    y : ndarray of shape (n_traces, n_samples_y) or None
        Impedance traces divided by ``scale``, or ``None`` when the file holds no impedance (or
        ``impedance_key=False``). ``n_samples_y`` may differ from ``n_samples``; the number of
        traces may not.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    MissingKeyError
        (a :class:`KeyError`) a key is not in the file; the message lists the keys found.
    ValueError
        Not a .mat file, arrays that are not 2-D numeric, NaN/inf, or seismic and impedance with
        different numbers of traces (the message says whether one looks transposed).

    Examples
    --------
    >>> import numpy as np, scipy.io, tempfile, os
    >>> from impedance_sklearn.datasets import load_mat
    >>> path = os.path.join(tempfile.mkdtemp(), "seed.mat")
    >>> seis = np.zeros((331, 4)); imp = np.full((331, 4), 5.0e6)  # (n_samples, n_traces)
    >>> scipy.io.savemat(path, {"Seismic": seis, "Impedance": imp})
    >>> X, y = load_mat(path)
    >>> X.shape, y.shape, float(y[0, 0])
    ((4, 331), (4, 331), 5.0)
    """
    path = check_input_file(path, "MATLAB file")
    if not isinstance(scale, numbers.Real) or isinstance(scale, bool) or not (
        np.isfinite(scale) and scale > 0
    ):
        raise ValueError(f"scale must be a positive finite number, got {scale!r}.")
    if impedance_key is True:
        raise ValueError("impedance_key must be a key name, None (auto) or False (skip), not True.")
    variables = _variables(path)
    s_name, S = _pick(variables, seismic_key, SEISMIC_KEYS, "seismic", path, required=True)
    X = _matlab_traces(s_name, S, path)
    if impedance_key is False:
        return X, None
    i_name, Imp = _pick(variables, impedance_key, IMPEDANCE_KEYS, "impedance", path,
                        required=impedance_key is not None)
    if i_name is None:
        return X, None
    y = _matlab_traces(i_name, Imp, path)
    if y.shape[0] != X.shape[0]:
        S_shape, I_shape = np.shape(S), np.shape(Imp)
        hint = ""
        if y.shape[1] == X.shape[0]:
            hint = (f" {i_name!r} looks stored (n_traces, n_samples); transpose it to "
                    "(n_samples, n_traces) like the seismic.")
        elif X.shape[1] == y.shape[0]:
            hint = (f" {s_name!r} looks stored (n_traces, n_samples); transpose it to "
                    "(n_samples, n_traces) like the impedance.")
        raise ValueError(
            f"{str(path)!r}: seismic {s_name!r} has shape {S_shape} ({X.shape[0]} traces) but "
            f"impedance {i_name!r} has shape {I_shape} ({y.shape[0]} traces); both are "
            f"expected as (n_samples, n_traces) with the same number of traces.{hint}"
        )
    return X, y / scale




def save_mat(path, X, y=None, *, overwrite=False, seismic_key="Seismic",
             impedance_key="Impedance"):
    """Write traces to a MATLAB v5 ``.mat`` file the way the seed stores them, atomically.

    Parameters
    ----------
    path : str or path-like
        Destination (an existing file only with ``overwrite=True``).
    X : array-like of shape (n_traces, n_samples)
        Seismic traces, one per row; stored (n_samples, n_traces) under ``seismic_key``.
    y : array-like of shape (n_traces, n_samples_y), optional
        Impedance traces (in the file's units), stored under ``impedance_key``.
    overwrite : bool, default=False
    seismic_key, impedance_key : str
        Variable names (the seed's by default).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "out.mat")
    >>> _ = save_mat(path, np.zeros((3, 5)), np.full((3, 5), 4.0e6))
    >>> X, y = load_mat(path)
    >>> X.shape, float(y[0, 0])
    ((3, 5), 4.0)
    """
    from scipy.io import savemat

    X = as_traces(X, "X", dtype=None)
    arrays = {seismic_key: X.T}
    if y is not None:
        y = as_traces(y, "y", dtype=None)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"X has {X.shape[0]} traces but y has {y.shape[0]}; expected one impedance "
                "trace per seismic trace."
            )
        arrays[impedance_key] = y.T
    with atomic_path(path, overwrite=overwrite) as tmp, open(tmp, "wb") as fh:
        savemat(fh, arrays, do_compression=True)
    return Path(path)
