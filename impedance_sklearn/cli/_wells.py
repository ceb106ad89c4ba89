"""Command-line options for wells: where a LAS log sits in time, and which curves to use.

A LAS log is in depth. The command line never assumes that its top is at t = 0: a LAS well
needs ``--time-at-top`` (the two-way time at the top of the sonic, integrated downwards) or
``--time-depth`` (a checkshot or time-depth table). Well-tie CSVs carry their own time.
"""

from __future__ import annotations

import sys
from pathlib import Path

from impedance_sklearn.cli._common import PROG, UsageError, plural, require_input


def add_well_time_options(parser):
    """--time-at-top, --time-depth, --sonic, --density (an argument group)."""
    g = parser.add_argument_group("LAS wells: time and curves (a LAS log is in depth; it is "
                                  "never assumed to start at t = 0)")
    g.add_argument("--time-at-top", type=float, metavar="SECONDS",
                   help="two-way time (s) at the top of the sonic; below it the sonic is "
                        "integrated (Penobscot L-30: 0.4106)")
    g.add_argument("--time-depth", nargs="+", metavar="TD.txt",
                   help="a checkshot / time-depth table instead (one per LAS well, in order), "
                        "as delivered: two columns, "
                        "depth then two-way time; a header naming the units (depth_m or "
                        "depth_ft, twt_s or twt_ms) is optional: without one, time is in s "
                        "when every value is below 20 (else ms) and depth in the LAS's unit, "
                        "and the command says what it assumed. Rows out of order are sorted, "
                        "repeated rows merged; below the deepest row the sonic carries the time")
    g.add_argument("--time-depth-units", nargs=2, metavar=("DEPTH", "TIME"),
                   help="the table's units, overriding its header and the inference: m or ft, "
                        "then s or ms")
    g.add_argument("--sonic", metavar="CURVE", help="LAS sonic curve (default: DT, DTC, ...)")
    g.add_argument("--density", metavar="CURVE", help="LAS density curve (default: RHOB, ...)")
    g.add_argument("--impedance-curve", metavar="CURVE",
                   help="use this precomputed impedance curve of the LAS (never its smoothly "
                        "filled part) instead of density / sonic where both were measured")
    return g


def load_cli_well(path, args, index=0):
    """:func:`impedance_sklearn.io.load_well` with the well options (``index``: the well's
    place among --well's, for its --time-depth); a LAS well without a time reference is
    refused (naming both options). The assumptions made are printed."""
    from impedance_sklearn.io import load_well

    path = require_input(path, "well file")
    if Path(path).suffix.lower() != ".las":
        try:
            return load_well(path)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    top, td = getattr(args, "time_at_top", None), getattr(args, "time_depth", None)
    if td is not None:
        paths = getattr(args, "well", None) or getattr(args, "wells", None) or [path]
        is_las = [Path(p).suffix.lower() == ".las" for p in paths]
        if len(td) != sum(is_las) and len(td) != 1:
            raise UsageError(f"{plural(len(td), '--time-depth table')} for "
                             f"{plural(sum(is_las), 'LAS well')}: give one per LAS well, in "
                             "order.")
        td = td[sum(is_las[:index])] if len(td) > 1 else td[0]
    if top is None and td is None:
        raise UsageError(f"{Path(path).name} is a LAS log in depth: give the two-way time at "
                         "the top of its sonic (--time-at-top SECONDS) or a time-depth table "
                         "(--time-depth TD.csv); the log is not assumed to start at t = 0.")
    if top is not None and td is not None:
        raise UsageError("give --time-at-top or --time-depth, not both.")
    kw = {"sonic": getattr(args, "sonic", None), "density": getattr(args, "density", None),
          "impedance": getattr(args, "impedance_curve", None)}
    units = getattr(args, "time_depth_units", None)
    try:
        if td is not None:
            depth_unit, time_unit = units if units else (None, None)
            well = load_well(path, time_depth=require_input(td, "time-depth table"),
                             depth_unit=depth_unit, time_unit=time_unit, **kw)
        else:
            well = load_well(path, time_at_top=float(top), **kw)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for note in well.get("notes", []):
        print(f"{PROG}: note: {note}", file=sys.stderr)
    return well
