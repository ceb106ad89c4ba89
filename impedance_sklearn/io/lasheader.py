"""What a LAS file's header says about where its well is.

* :func:`las_location` -- the well's map X/Y from the ~Well section, or None.

The header is read as text (the ~Well section only, so a large log is not parsed), or taken
from a ``lasio.LASFile`` already read. Readers know no models: this module returns numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["las_location", "LOCATION_MNEMONICS"]

#: Pairs of ~Well mnemonics that hold a well's map X and Y, tried in this order (before LOC).
LOCATION_MNEMONICS = (("XCOORD", "YCOORD"), ("X", "Y"), ("XWELL", "YWELL"),
                      ("EASTING", "NORTHING"), ("EAST", "NORTH"), ("X_COORD", "Y_COORD"),
                      ("XLOC", "YLOC"))

_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
#: ``X = 606554.0000 Y = 6080126.0000`` (F3), ``X: 606554, Y: 6080126``, ``X 606554 Y 6080126``.
_LOC_XY = re.compile(rf"\bX\s*[=:]?\s*{_NUMBER}[\s,;/]*(?:M\b|FT\b|m\b|ft\b)?[\s,;/]*"
                     rf"Y\s*[=:]?\s*{_NUMBER}", re.IGNORECASE)


def _well_items_from_text(path):
    """(mnemonic, value) of each line of the ~Well section of a LAS file (LAS 1.2/2.0 layout:
    ``MNEM.UNIT  VALUE : DESCRIPTION``, the value before the last colon)."""
    items, inside = [], False
    with open(path, encoding="latin-1", errors="replace") as fh:
        for line in fh:
            stripped = line.strip()
            if stripped.startswith("~"):
                if inside:
                    break
                inside = stripped[1:2].upper() == "W"
                continue
            if not inside or not stripped or stripped.startswith("#") or "." not in stripped:
                continue
            mnem, _, rest = stripped.partition(".")
            # the unit runs to the first space after the dot; the value to the last colon
            unit_value = rest.rsplit(":", 1)[0] if ":" in rest else rest
            parts = unit_value.split(None, 1) if not unit_value[:1].isspace() else \
                ["", unit_value]
            value = parts[1] if len(parts) > 1 else ""
            items.append((mnem.strip().upper(), value.strip()))
    return items


def _well_items_from_lasio(las):
    out = []
    for item in las.well:
        value = item.value
        out.append((str(item.mnemonic).strip().upper(), "" if value is None else str(value)))
    return out


def _number(text, null):
    try:
        v = float(str(text).strip())
    except ValueError:
        return None
    if v != v or (null is not None and abs(v - null) < 1e-9):
        return None
    return v


def las_location(las):
    """The well's map X/Y from a LAS header, or None when the header gives none.

    Looked for in the ~Well section, in this order: a pair of mnemonics of
    :data:`LOCATION_MNEMONICS` (``XCOORD``/``YCOORD``, ``X``/``Y``, ``XWELL``/``YWELL``,
    ``EASTING``/``NORTHING`` ...), then ``LOC`` written as ``X = 606554.0000 Y = 6080126.0000``
    (F3's format; ``X: ..., Y: ...`` too). A value equal to the header's ``NULL`` or a 0, 0
    pair counts as none; latitude/longitude (``LATI``/``LONG``, or a ``LOC`` in degrees) is not
    a map position and is not read.

    Parameters
    ----------
    las : str, path-like or lasio.LASFile
        A LAS file (only its header is read) or one read with ``lasio``.

    Returns
    -------
    (x, y) : tuple of float, or None
        In the header's units (those of the survey's projection, e.g. UTM metres).

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "w.las")
    >>> _ = open(path, "w").write("~W\\n LOC . X = 606554.0000 Y = 6080126.0000: WELL LOCATION\\n")
    >>> las_location(path)
    (606554.0, 6080126.0)
    """
    if hasattr(las, "well"):
        items = _well_items_from_lasio(las)
    else:
        path = Path(las)
        if not path.is_file():
            raise FileNotFoundError(f"LAS file {str(path)!r} not found.")
        items = _well_items_from_text(path)
    values = {}
    for mnem, value in items:
        values.setdefault(mnem, value)
    null = _number(values.get("NULL", ""), None)
    for mx, my in LOCATION_MNEMONICS:
        if mx in values and my in values:
            x, y = _number(values[mx], null), _number(values[my], null)
            if x is not None and y is not None and (x, y) != (0.0, 0.0):
                return x, y
    for key in ("LOC", "LOCATION"):
        match = _LOC_XY.search(values.get(key, ""))
        if match:
            x, y = _number(match.group(1), null), _number(match.group(2), null)
            if x is not None and y is not None and (x, y) != (0.0, 0.0):
                return x, y
    return None
