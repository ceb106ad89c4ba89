"""Validation shared by the whole package: one module, one set of messages.

Every message names the argument (and the file it came from), says what was wrong and what was
expected.

* :func:`as_traces` -- anything array-like as a float array of traces (one trace per row):
  readers, writers, metrics and plots;
* :func:`check_estimator_input` then scikit-learn's ``validate_data`` -- an estimator's X and y
  (sklearn's own messages where its estimator checks expect them), with
  :func:`check_magnitude`;
* :func:`finite_array` -- any other array (a wavelet, a log, a spectrum);
* :func:`check_positive_int`, :func:`check_positive_float`, :func:`check_origin` -- scalars
  inside the physics functions. Estimator parameters are checked by scikit-learn's
  ``_parameter_constraints`` and ``@_fit_context`` on ``fit``, and the public generators and the
  tie by ``validate_params``.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_traces",
    "reject_sparse",
    "check_positive_int",
    "check_positive_float",
    "finite_array",
    "check_origin",
    "as_float32",
    "check_estimator_input",
    "check_magnitude",
    "MAX_MAGNITUDE",
]

_F32_MAX = float(np.finfo(np.float32).max)


def _is_sparse(a):
    return hasattr(a, "tocsr") or type(a).__module__.startswith("scipy.sparse")


def reject_sparse(a, name):
    """Raise a TypeError for a sparse matrix (traces are dense)."""
    if _is_sparse(a):
        raise TypeError(
            f"{name} is a sparse matrix ({type(a).__name__}); traces are dense arrays: pass "
            f"{name}.toarray()."
        )


def as_traces(a, name, *, where=None, allow_1d=False, dtype=np.float64, finite=True,
              min_samples=1):
    """Validate ``a`` as traces; return a float array of shape (n_traces, n_samples).

    Parameters
    ----------
    a : array-like
    name : str
        The argument's name, used in the messages (e.g. ``"X"``, ``"y_true"``).
    where : str, optional
        Where the array came from (a file name), added to the messages.
    allow_1d : bool, default=False
        Accept a 1-D array as one trace (returned with shape (1, n)).
    dtype : numpy dtype or None, default=float64
        Result dtype; ``None`` keeps a floating input's dtype (integers become float64).
    finite : bool, default=True
        Refuse NaN and infinite values.
    min_samples : int, default=1
        Fewest samples per trace.

    Raises
    ------
    TypeError
        Sparse, complex, string or object input.
    ValueError
        Wrong number of dimensions, empty, too short, NaN or inf.

    Examples
    --------
    >>> as_traces([[1, 2], [3, 4]], "X")
    array([[1., 2.],
           [3., 4.]])
    >>> as_traces([1.0, float("nan")], "y", allow_1d=True)
    Traceback (most recent call last):
    ...
    ValueError: y holds 1 NaN or infinite value(s) in 1 trace(s) (first at row 0); expected finite numbers.
    """
    at = f" in {where}" if where else ""
    reject_sparse(a, name)
    arr = np.asarray(a)
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{name}{at} is complex (dtype {arr.dtype}); expected real numbers.")
    if kind not in "fiub":
        raise TypeError(
            f"{name}{at} must be a numeric array, got dtype {arr.dtype} "
            f"({type(a).__name__})."
        )
    if arr.ndim == 1 and allow_1d:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        expected = "1-D (one trace) or 2-D" if allow_1d else "2-D"
        raise ValueError(
            f"{name}{at} has shape {arr.shape}; expected a {expected} array (n_traces, "
            "n_samples), one trace per row."
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{name}{at} is empty (shape {arr.shape}); expected at least one trace of one sample."
        )
    if arr.shape[1] < min_samples:
        raise ValueError(
            f"{name}{at} has traces of {arr.shape[1]} samples; at least {min_samples} are needed."
        )
    if dtype is None:
        arr = arr if kind == "f" else arr.astype(np.float64)
    else:
        arr = arr.astype(dtype, copy=False)
    if finite:
        bad = ~np.isfinite(arr)
        if bad.any():
            rows = np.flatnonzero(bad.any(axis=1))
            raise ValueError(
                f"{name}{at} holds {int(bad.sum())} NaN or infinite value(s) in {rows.size} "
                f"trace(s) (first at row {rows[0]}); expected finite numbers."
            )
    return arr


def check_positive_int(x, name, low=1):
    """``int(x)`` for an integral ``x >= low``, else a ValueError naming ``name``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {x!r}.")
    return int(x)


def check_positive_float(x, name, *, allow_zero=False):
    """``float(x)`` for a finite ``x > 0`` (``>= 0`` with ``allow_zero``), else a ValueError."""
    ok = isinstance(x, numbers.Real) and not isinstance(x, bool) and np.isfinite(x)
    if not ok or x < 0 or (x == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {x!r}.")
    return float(x)


def finite_array(a, name, ndim_min=1, dtype=np.float64):
    """``np.asarray(a, dtype)`` with at least ``ndim_min`` dimensions, non-empty and finite."""
    reject_sparse(a, name)
    if np.iscomplexobj(a):
        raise TypeError(f"{name} is complex; expected real numbers.")
    try:
        a = np.asarray(a, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers ({exc}).") from None
    if a.ndim < ndim_min:
        raise ValueError(f"{name} must have at least {ndim_min} dimension(s), got shape {a.shape}.")
    if a.size == 0:
        raise ValueError(f"{name} is empty (shape {a.shape}); expected at least one sample.")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite values; expected finite numbers.")
    return a


def check_origin(origin, n_w):
    """Index of time zero in a wavelet of ``n_w`` samples (default: the centre, ``n_w // 2``)."""
    if origin is None:
        return n_w // 2
    if not isinstance(origin, numbers.Integral) or isinstance(origin, bool):
        raise ValueError(f"origin must be an integer sample index, got {origin!r}.")
    return int(origin)


def as_float32(A, name="X"):
    """C-contiguous, writeable float32; refuses values float32 cannot hold (they would be inf)."""
    A = np.asarray(A)
    if A.size and float(np.abs(A).max()) > _F32_MAX:
        raise ValueError(
            f"{name} holds values beyond float32's range (|{name}| up to {np.abs(A).max():.3g} > "
            f"{_F32_MAX:.3g}); the network computes in float32: rescale the traces."
        )
    A = np.ascontiguousarray(A, dtype=np.float32)
    return A if A.flags.writeable else A.copy()


#: Larger magnitudes are refused: least squares and spectra square them (1e154 squared
#: overflows float64), and no seismic or impedance unit needs them.
MAX_MAGNITUDE = 1e150


def check_estimator_input(A, name, allow_1d=False):
    """An estimator's X or y, before scikit-learn's ``validate_data``: what sklearn would
    reject with messages that do not name the argument (sparse, complex -- sklearn's "Complex
    data not supported" kept --, text, wrong ndim). Returns ``A`` unchanged otherwise (dtype
    conversion, NaN and emptiness are sklearn's, with the messages its checks expect)."""
    reject_sparse(A, name)
    arr = np.asarray(A)
    kind = arr.dtype.kind
    if kind == "c":
        raise ValueError(f"Complex data not supported: {name} is complex (dtype {arr.dtype}); "
                         "expected real numbers.")
    if kind in "USV":
        raise ValueError(f"{name} holds text or raw bytes (dtype {arr.dtype}); expected numbers.")
    if kind == "O":
        try:
            arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} holds values that are not numbers ({exc}).") from None
    ok_ndim = (1, 2) if allow_1d else (2,)
    if arr.ndim not in ok_ndim:
        expected = "1-D (n_traces,) or 2-D" if allow_1d else "2-D"
        raise ValueError(f"{name} has shape {arr.shape}; expected a {expected} array "
                         "(n_traces, n_samples), one trace per row. Reshape your data "
                         "(e.g. array.reshape(1, -1) for a single trace).")
    return A


def check_magnitude(A, name):
    """Refuse magnitudes above ``MAX_MAGNITUDE`` (their squares overflow)."""
    if A.size and float(np.abs(A).max()) > MAX_MAGNITUDE:
        raise ValueError(
            f"{name} holds values of magnitude up to {np.abs(A).max():.3g} (> {MAX_MAGNITUDE:g});"
            f" rescale the traces (their squares would overflow)."
        )
