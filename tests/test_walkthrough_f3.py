"""docs/walkthrough.md, F3: three wells on an arbitrary line, from the files as delivered to a
blind-well table, as the page runs it (in process, small settings: the classical and the ridge
models only). Skips without ../shared/data."""

import numpy as np
import pytest

from impedance_sklearn import cli
from impedance_sklearn.io import load_well

WELLS = ("F02-1", "F03-4", "F06-1")


def test_f3_walkthrough(tmp_path, capsys, f3_data):
    D = f3_data
    ties = [tmp_path / f"{w}_tie.csv" for w in WELLS]
    figs = [tmp_path / f"{w}_tie.png" for w in WELLS]
    args = ["tie", "--well", *[str(D / f"f3_{w}.las") for w in WELLS],
            "--time-depth", *[str(D / f"f3_{w}_checkshot.txt") for w in WELLS],
            "--survey", str(D / "f3_arbline.sgy"),
            "--out", *map(str, ties), "--figure", *map(str, figs)]
    # F02-1 does not tie and is refused (exit 1, nothing written for it); the two others are
    # accepted without --force, placed by their header X/Y, reversed polarity found
    assert cli.main(args) == 1
    out, err = capsys.readouterr()
    assert "F02-1 does not tie" in err and not ties[0].exists() and not figs[0].exists()
    assert "nearest by CDP X/Y, 54.1 m away" in out and "nearest by CDP X/Y, 56.3 m away" in out
    assert "polarity (-1) for all" in out
    for name, tie in zip(WELLS[1:], ties[1:]):
        w = load_well(tie)
        assert w.location["well"] == name and w.location["polarity"] == -1
        assert w.location["trace"] == {"F03-4": 932, "F06-1": 228}[name]
    # the files as delivered: every assumption said
    assert "rows 4, 5 and 6 repeat depth 547.75 with the same time: merged" in err
    assert "below the deepest time-depth row (1261.3 m, 1.221 s) the sonic carries" in err
    f06 = load_well(ties[2])
    assert f06.time[-1] == pytest.approx(1.624, abs=0.005)  # not the checkshot's 1.22 s
    # F03-2, 7.9 km off the line: refused, the distance and the way round it said
    off = tmp_path / "F03-2_tie.csv"
    assert cli.main(["tie", "--well", str(D / "f3_F03-2.las"), "--time-depth",
                     str(D / "f3_F03-2_checkshot.txt"), "--survey", str(D / "f3_arbline.sgy"),
                     "--out", str(off)]) == 2
    err = capsys.readouterr().err
    assert "7914.8 from the nearest trace" in err and "--max-distance M or --force" in err
    assert not off.exists()
    # F02-1 forced, for a three-well blind test (the page says why)
    assert cli.main(["tie", "--well", str(D / "f3_F02-1.las"), "--time-depth",
                     str(D / "f3_F02-1_checkshot.txt"), "--survey", str(D / "f3_arbline.sgy"),
                     "--frequency", "40", "--polarity", "reversed", "--force",
                     "--out", str(ties[0])]) == 0
    capsys.readouterr()
    table = tmp_path / "blind.md"
    assert cli.main(["blind", "--wells", *map(str, ties), "--survey", str(D / "f3_arbline.sgy"),
                     "--models", "colored", "few-wells-ridge", "--out", str(table),
                     "--figure", str(tmp_path / "blind.png"), "-q"]) == 0
    printed = capsys.readouterr().out
    for w in WELLS:
        assert f"{w} blind" in printed
    rows = np.genfromtxt(tmp_path / "blind.csv", delimiter=",", names=True, dtype=None,
                         encoding=None)
    got = {(r["well"], r["model"]): r for r in rows}
    # the page's figures (same seed, same files): F06-1 ties best and inverts best
    assert got[("F06-1", "colored")]["band_pcc"] == pytest.approx(0.80, abs=0.02)
    assert got[("F06-1", "few-wells-ridge")]["band_pcc"] == pytest.approx(0.75, abs=0.02)
    assert all(got[(w, "bound: the log's 8-60 Hz on the background")]["band_pcc"] > 0.95
               for w in WELLS)
    # train on the two accepted wells, their locations read from the tie files; predict the line
    model = tmp_path / "f3.model"
    assert cli.main(["train", "--wells", *map(str, ties[1:]), "--survey",
                     str(D / "f3_arbline.sgy"), "--model", "colored", "--out", str(model),
                     "-q"]) == 0
    assert "background at distance" not in capsys.readouterr().out  # -q
    assert cli.main(["predict", "--model", str(model), "--input", str(D / "f3_arbline.sgy"),
                     "--out", str(tmp_path / "f3_impedance.sgy"), "-q"]) == 0
    assert (tmp_path / "f3_impedance.sgy").stat().st_size > 2_000_000
