"""Reading and writing traces: MATLAB ``.mat``, ``.npz`` / ``.npy``, SEG-Y and well logs.

One entry point per direction, keyed by the file's suffix:

* :func:`read_traces` -- seismic (and impedance) traces from any supported file, with what the
  file says about its sampling (``dt``, start time) in a :class:`TraceData`;
* :func:`write_traces` -- impedance traces to a file of the same kind as the one they were
  predicted from (a ``.mat`` keeps its seismic beside them, a SEG-Y its headers).

The format modules hold the details and the public readers: :mod:`~impedance_sklearn.io.mat`
(:func:`load_mat`, :func:`save_mat`), :mod:`~impedance_sklearn.io.npz` (:func:`load_npz`,
:func:`save_npz`, :func:`load_npy`), :mod:`~impedance_sklearn.io.segy` (:func:`read_segy`,
:func:`write_segy`, :func:`predict_segy`), :mod:`~impedance_sklearn.io.wells`
(:func:`load_well`, :func:`well_on_time_axis`, :func:`well_windows`),
:mod:`~impedance_sklearn.io.pairs` (:func:`survey_well_windows`: training windows from wells on
a survey; :func:`trace_positions`), :mod:`~impedance_sklearn.io.geometry` (:func:`locate_well`:
a well's trace by its map X/Y; :func:`line_distance`, :func:`project_onto_line`: positions
along a line), :mod:`~impedance_sklearn.io.lasheader` (:func:`las_location`: a LAS header's
X/Y). Every writer validates before it writes and writes atomically
(:mod:`~impedance_sklearn.io._files`). Readers know no models.

Units: impedance in a file equals the model's units times ``scale``; the default scale is 1e6 for
``.mat`` (the paper's convention) and 1 for the other kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from impedance_sklearn._validation import as_traces
from impedance_sklearn.io._files import (
    atomic_path,
    check_destination,
    check_input_file,
    write_text,
)
from impedance_sklearn.io.geometry import (
    line_distance,
    locate_well,
    looks_like_line,
    project_onto_line,
    trace_spacing,
)
from impedance_sklearn.io.lasheader import las_location
from impedance_sklearn.io.mat import load_mat, save_mat
from impedance_sklearn.io.npz import load_npy, load_npz, save_npz
from impedance_sklearn.io.pairs import survey_positions, survey_well_windows, trace_positions
from impedance_sklearn.io.segy import read_segy, read_trace_headers, write_segy
from impedance_sklearn.io.survey import predict_segy
from impedance_sklearn.io.timedepth import read_time_depth
from impedance_sklearn.io.wells import load_well, well_on_time_axis, well_windows, write_tie

__all__ = [
    "TraceData",
    "UnsupportedFormatError",
    "read_traces",
    "write_traces",
    "file_kind",
    "load_mat",
    "save_mat",
    "load_npz",
    "save_npz",
    "load_npy",
    "read_segy",
    "read_trace_headers",
    "write_segy",
    "predict_segy",
    "load_well",
    "write_tie",
    "read_time_depth",
    "well_on_time_axis",
    "well_windows",
    "survey_well_windows",
    "trace_positions",
    "survey_positions",
    "locate_well",
    "line_distance",
    "project_onto_line",
    "looks_like_line",
    "trace_spacing",
    "las_location",
    "write_text",
]

#: Supported suffixes and the kind of file each names.
KINDS = {".mat": "mat", ".npz": "npz", ".npy": "npy", ".sgy": "segy", ".segy": "segy"}


class UnsupportedFormatError(ValueError):
    """A file whose suffix names no supported format."""


def file_kind(path, what="file"):
    """``"mat"``, ``"npz"``, ``"npy"`` or ``"segy"`` from the suffix of ``path``.

    Parameters
    ----------
    path : str or path-like
        The file (only its suffix is read, case-insensitive).
    what : str, default="file"
        What the file is, for the error message.

    Returns
    -------
    {"mat", "npz", "npy", "segy"}
        ``KINDS[suffix]``.

    Raises
    ------
    UnsupportedFormatError
        If the suffix is none of .mat, .npz, .npy, .sgy, .segy.

    Examples
    --------
    >>> file_kind("survey.SGY")
    'segy'
    """
    kind = KINDS.get(Path(path).suffix.lower())
    if kind is None:
        raise UnsupportedFormatError(
            f"{what} {str(path)!r}: unsupported file type {Path(path).suffix!r}; expected "
            ".mat, .npz, .npy, .sgy or .segy."
        )
    return kind


def default_scale(kind, scale=None):
    """The impedance scale of a file kind: ``scale`` if given, else 1e6 for .mat, 1 otherwise."""
    if scale is not None:
        if not np.isfinite(scale) or scale <= 0:
            raise ValueError(f"scale must be a positive number, got {scale}.")
        return float(scale)
    return 1e6 if kind == "mat" else 1.0


@dataclass
class TraceData:
    """Traces read by :func:`read_traces`.

    A dataclass: its fields are its parameters and its attributes.

    Parameters
    ----------
    X : ndarray of shape (n_traces, n_samples)
        Seismic traces, one per row.
    y : ndarray of shape (n_traces, n_samples_y) or None
        Impedance traces divided by ``scale`` (model units), when the file has them.
    kind : {"mat", "npz", "npy", "segy"}
    scale : float
        Impedance in the file = model units x scale.
    path : pathlib.Path
    dt : float or None
        Sample interval in seconds when the file records it (SEG-Y headers, ``.npz`` metadata
        ``dt``), else None.
    t0 : float or None
        Time of the first sample in seconds when recorded (SEG-Y delay, ``.npz`` metadata
        ``t0``), else None.
    segy : SegyData or None
        The whole SEG-Y description (headers, geometry) for SEG-Y input.
    metadata : dict
        ``.npz`` metadata; the impedance file used, if any (``impedance_file``).
    """

    X: np.ndarray
    y: np.ndarray | None
    kind: str
    scale: float
    path: Path
    dt: float | None = None
    t0: float | None = None
    segy: object = None
    metadata: dict = field(default_factory=dict)

    @property
    def time(self):
        """Sample times in seconds (``t0 + i dt``) when ``dt`` is known, else None."""
        if self.dt is None:
            return None
        return (self.t0 or 0.0) + np.arange(self.X.shape[1]) * self.dt


def _impedance_beside(path):
    """``survey.sgy`` -> ``survey_impedance.npy`` (or ``.sgy``/``.segy``) if one exists."""
    path = Path(path)
    for suffix in (".npy", ".sgy", ".segy"):
        cand = path.with_name(f"{path.stem}_impedance{suffix}")
        if cand.is_file():
            return cand
    return None


def _read_impedance(path, scale):
    kind = file_kind(path, "impedance file")
    if kind == "npy":
        y = load_npy(path, "impedance")
    elif kind == "segy":
        y = read_segy(path).traces
    else:
        raise UnsupportedFormatError(
            f"impedance file {str(path)!r}: expected a .npy or SEG-Y file."
        )
    return y / scale


def read_traces(path, *, need_impedance=False, impedance=None, seismic_key=None,
                impedance_key=None, scale=None):
    """Read seismic (and impedance) traces from a ``.mat``, ``.npz``, ``.npy`` or SEG-Y file.

    Parameters
    ----------
    path : str or path-like
    need_impedance : bool, default=False
        Raise a ValueError (naming how to supply them) when no impedance traces are found.
    impedance : str or path-like, optional
        For ``.npy`` and SEG-Y seismic: a ``.npy`` or SEG-Y file of impedance traces. Without
        it, ``<name>_impedance.npy`` (or ``.sgy``) beside the file is used when
        ``need_impedance`` and it exists.
    seismic_key, impedance_key : str, optional
        ``.mat`` variable names (see :func:`load_mat`).
    scale : float, optional
        Impedance in the file = model units x scale; default 1e6 for ``.mat``, else 1.

    Returns
    -------
    TraceData
    """
    path = check_input_file(path, "data file")
    kind = file_kind(path, "data file")
    scale = default_scale(kind, scale)
    if impedance is not None:
        check_input_file(impedance, "impedance file")
    meta, dt, t0, segy = {}, None, None, None
    if kind == "mat":
        key = impedance_key
        if not need_impedance and key is None:
            key = False  # the seismic is all that is needed
        X, y = load_mat(path, seismic_key=seismic_key, impedance_key=key, scale=scale)
    elif kind == "npz":
        X, y, meta = load_npz(path, return_metadata=True)
        if y is not None:
            y = y / scale
        dt, t0 = meta.get("dt"), meta.get("t0")
    else:
        if kind == "npy":
            X = load_npy(path, "seismic")
        else:
            segy = read_segy(path)
            X, dt, t0 = segy.traces, segy.dt / 1000.0, float(segy.samples[0]) / 1000.0
        y = None
        if impedance is None and need_impedance:
            impedance = _impedance_beside(path)
        if impedance is not None:
            y = _read_impedance(impedance, scale)
            meta = {"impedance_file": str(Path(impedance).resolve())}
    if need_impedance and y is None:
        hint = {
            "npy": f"pass impedance= (--impedance FILE) or put {path.stem}_impedance.npy beside it",
            "segy": f"pass impedance= (--impedance FILE) or put {path.stem}_impedance.npy beside it",
            "npz": "save it with save_npz(path, X, y)",
            "mat": "name its variable with impedance_key= (--impedance-key)",
        }[kind]
        raise ValueError(f"no impedance traces in {str(path)!r}: {hint}.")
    if y is not None and y.shape[0] != X.shape[0]:
        raise ValueError(
            f"{str(path)!r}: {X.shape[0]} seismic traces but {y.shape[0]} impedance traces; "
            "expected one impedance trace per seismic trace."
        )
    return TraceData(X=np.asarray(X), y=None if y is None else np.asarray(y), kind=kind,
                     scale=scale, path=path, dt=dt, t0=t0, segy=segy, metadata=meta)


def write_traces(path, values, *, like, overwrite=False, metadata=None):
    """Write impedance traces (model units) to a file of the kind ``like`` was read from.

    The values are multiplied by ``like.scale``; ``.mat`` files get ``Seismic`` (the input's)
    and ``Impedance``, ``.npz`` files ``X``, ``y`` and ``metadata``, ``.npy`` the values alone,
    SEG-Y files every header of the input with the samples replaced. Values are validated
    (finite, one row per input trace) before anything is written; the input is never
    overwritten.

    Parameters
    ----------
    path : str or path-like
    values : array-like of shape (n_traces, n_samples_y)
    like : TraceData
    overwrite : bool, default=False
    metadata : dict, optional
        Extra ``.npz`` metadata.

    Returns
    -------
    pathlib.Path
    """
    kind = file_kind(path, "output file")
    if kind != like.kind:
        raise UnsupportedFormatError(
            f"output {str(path)!r} must be of the input's kind (.{like.kind}): predictions are "
            "written in the format they were read from."
        )
    check_destination(path, overwrite=overwrite, sources=[like.path])
    values = as_traces(values, "the predictions", allow_1d=False)
    if values.shape[0] != like.X.shape[0]:
        raise ValueError(
            f"the predictions have {values.shape[0]} traces; the input has {like.X.shape[0]}."
        )
    values = values * like.scale
    if not np.all(np.isfinite(values)):
        raise ValueError("the predictions times the scale overflow to infinity; nothing written.")
    if kind == "mat":
        return save_mat(path, like.X, values, overwrite=overwrite)
    if kind == "npz":
        return save_npz(path, like.X, values, overwrite=overwrite, **dict(metadata or {}))
    if kind == "segy":
        return write_segy(path, values, like=like.path, overwrite=overwrite)
    with atomic_path(path, overwrite=overwrite, sources=[like.path]) as tmp, open(tmp, "wb") as fh:
        np.save(fh, values)
    return Path(path)

