"""Helpers shared by the figure modules (validation, axes, saving)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _traces(a, name, allow_1d=True):
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array; got {type(a).__name__}.") from exc
    if arr.ndim == 1 and allow_1d:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_traces, n_samples){' or 1-D (one trace)' if allow_1d else ''}; "
            f"got shape {arr.shape}."
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}).")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf; plots need finite values.")
    return arr


#: The package's impedance unit: impedance (m/s x kg/m^3) divided by 1e6, as in the paper.
IMPEDANCE_LABEL = "Impedance (10$^6$ kg m$^{-2}$ s$^{-1}$)"


def _time_axis(n, time, dt, name="time"):
    """Return (values, label) for a vertical axis of n samples: ms when ``dt`` (s) is given."""
    if time is not None and dt is not None:
        raise ValueError("Give either time or dt, not both.")
    if time is not None:
        t = np.asarray(time, dtype=np.float64)
        if t.shape != (n,):
            raise ValueError(f"{name} must have one value per sample, shape ({n},); got {t.shape}.")
        if not np.all(np.isfinite(t)):
            raise ValueError(f"{name} contains NaN or inf.")
        return t, "Time"
    if dt is not None:
        if not np.isfinite(dt) or dt <= 0:
            raise ValueError(f"dt must be a positive number; got {dt!r}.")
        return np.arange(n) * float(dt) * 1e3, "Time (ms)"
    return np.arange(n, dtype=np.float64), "Sample"


def _regular_extent(v, name):
    """Image extent (first - d/2, last + d/2) of regularly spaced centres ``v``."""
    if v.size == 1:
        return v[0] - 0.5, v[0] + 0.5
    d = np.diff(v)
    if not np.allclose(d, d[0], rtol=1e-6, atol=0) or d[0] == 0:
        raise ValueError(f"{name} must be regularly spaced (equal, non-zero steps).")
    return v[0] - d[0] / 2, v[-1] + d[0] / 2


def save_figure(fig, path, *, dpi=110, overwrite=True):
    """Save ``fig`` as PNG to ``path`` atomically (temporary file, then rename) and close it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (closed afterwards, also on error).
    path : str or path-like
        The PNG file.
    dpi : int, default=110
        Resolution.
    overwrite : bool, default=True
        Whether an existing ``path`` may be replaced.

    Returns
    -------
    Path
        ``path``.
    """
    import matplotlib.pyplot as plt

    from impedance_sklearn.io._files import atomic_path

    path = Path(path)
    try:
        with atomic_path(path, overwrite=overwrite) as tmp:
            fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format="png")
    finally:
        plt.close(fig)
    return path
