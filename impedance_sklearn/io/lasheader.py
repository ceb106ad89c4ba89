"""Where a LAS header says its well is: ``las_location`` (X/Y from LOC, as F3 writes it)."""
import re


def las_location(las):
    for item in las.well:
        if item.mnemonic.upper() == "LOC":
            m = re.search(r"X\s*=\s*([-\d.]+)\s*Y\s*=\s*([-\d.]+)", str(item.value) + str(item.descr))
            if m:
                return float(m.group(1)), float(m.group(2))
    return None
