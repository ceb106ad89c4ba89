"""Command-line options for wells: where a LAS log sits in time, and which curves to use.

A LAS log is in depth. The command line never assumes that its top is at t = 0: a LAS well
needs ``--time-at-top`` (the two-way time at the top of the sonic, integrated downwards) or
``--time-depth`` (a checkshot or time-depth table). Well-tie CSVs carry their own time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from impedance_sklearn.cli._common import UsageError, require_input

_FT = 0.3048


def add_well_time_options(parser):
    """--time-at-top, --time-depth, --sonic, --density (an argument group)."""
    g = parser.add_argument_group("LAS wells: time and curves (a LAS log is in depth; it is "
                                  "never assumed to start at t = 0)")
    g.add_argument("--time-at-top", type=float, metavar="SECONDS",
                   help="two-way time (s) at the top of the sonic; below it the sonic is "
                        "integrated (Penobscot L-30: 0.4106)")
    g.add_argument("--time-depth", metavar="TD.csv",
                   help="a checkshot / time-depth table instead: two columns with a header "
                        "naming the units, depth_m or depth_ft and twt_s or twt_ms")
    g.add_argument("--sonic", metavar="CURVE", help="LAS sonic curve (default: DT, DTC, ...)")
    g.add_argument("--density", metavar="CURVE", help="LAS density curve (default: RHOB, ...)")
    return g


def read_time_depth(path):
    """A time-depth table as (n, 2) of (depth m, two-way time s); the header names the units."""
    path = require_input(path, "time-depth table")
    lines = [ln for ln in Path(path).read_text(errors="replace").splitlines() if ln.strip()]
    if not lines:
        raise UsageError(f"time-depth table {str(path)!r} is empty.")
    header = [h.strip().lower() for h in lines[0].replace(";", ",").replace("\t", ",").split(",")]
    if len(header) != 2 or header[0] not in ("depth_m", "depth_ft") \
            or header[1] not in ("twt_s", "twt_ms"):
        raise UsageError(f"time-depth table {str(path)!r}: the first line must name the two "
                         "columns and their units, 'depth_m' or 'depth_ft', then 'twt_s' or "
                         f"'twt_ms'; got {lines[0]!r}.")
    try:
        rows = [[float(v) for v in ln.replace(";", ",").replace("\t", ",").split(",")]
                for ln in lines[1:]]
        table = np.array(rows, dtype=np.float64)
    except ValueError:
        raise UsageError(f"time-depth table {str(path)!r}: expected two numbers per row after "
                         "the header.") from None
    if table.ndim != 2 or table.shape[1] != 2 or table.shape[0] < 2:
        raise UsageError(f"time-depth table {str(path)!r}: expected at least 2 rows of 2 "
                         "numbers.")
    table[:, 0] *= _FT if header[0] == "depth_ft" else 1.0
    table[:, 1] *= 1e-3 if header[1] == "twt_ms" else 1.0
    order = np.argsort(table[:, 0])
    if np.any(np.diff(table[order, 1]) <= 0) or np.any(np.diff(table[order, 0]) <= 0):
        raise UsageError(f"time-depth table {str(path)!r}: two-way time must increase with "
                         "depth, and depths be distinct.")
    return table


def load_cli_well(path, args):
    """:func:`impedance_sklearn.io.load_well` with the well options; a LAS well without a time
    reference is refused (naming both options)."""
    from impedance_sklearn.io import load_well

    path = require_input(path, "well file")
    if Path(path).suffix.lower() != ".las":
        return load_well(path)
    top, td = getattr(args, "time_at_top", None), getattr(args, "time_depth", None)
    if top is None and td is None:
        raise UsageError(f"{Path(path).name} is a LAS log in depth: give the two-way time at "
                         "the top of its sonic (--time-at-top SECONDS) or a time-depth table "
                         "(--time-depth TD.csv); the log is not assumed to start at t = 0.")
    if top is not None and td is not None:
        raise UsageError("give --time-at-top or --time-depth, not both.")
    kw = {"sonic": getattr(args, "sonic", None), "density": getattr(args, "density", None)}
    try:
        if td is not None:
            return load_well(path, time_depth=read_time_depth(td), **kw)
        return load_well(path, time_at_top=float(top), **kw)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
