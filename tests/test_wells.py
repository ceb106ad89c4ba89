"""Wells in (impedance_sklearn.io.wells): the Volve tie, LAS logs, the survey's time axis."""

import numpy as np
import pytest

from impedance_sklearn.datasets import load_well, well_on_time_axis

FT = 0.3048


def test_volve_tie(volve_well_csv_path):
    w = load_well(volve_well_csv_path)
    raw = np.loadtxt(volve_well_csv_path, delimiter=";")
    assert w.kind == "tie" and w.seismic is not None
    assert np.all(np.diff(w.time) > 0)  # strictly increasing: repeats merged, order fixed
    assert w.time.size == np.unique(np.abs(raw[:, 0])).size == raw.shape[0] - w.merged_rows
    assert w.time[0] == pytest.approx(2.340) and w.time[-1] == pytest.approx(2.720)
    # a repeated time is the mean of its rows
    t = np.abs(raw[:, 0])
    k = np.flatnonzero(t == 2341.0)
    assert k.size == 2
    i = np.searchsorted(w.time, 2.341)
    assert w.seismic[i] == pytest.approx(raw[k, 1].mean())
    assert w.impedance.min() == pytest.approx(raw[:, 2].min(), abs=0.05)


def test_volve_tie_on_the_cube_axis(volve_well_csv_path, volve_segy_path):
    from impedance_sklearn.io import read_traces

    w = load_well(volve_well_csv_path)
    cube = read_traces(volve_segy_path)
    on = well_on_time_axis(w, cube.time)
    # the tie covers 2340-2720 ms, the cube 2600-2748 ms: 31 shared samples at 4 ms
    assert on.window == pytest.approx((2.600, 2.720))
    assert on.mask.sum() == 31 and np.isnan(on.impedance[~on.mask]).all()
    # bin means of the 1 ms log
    inside = (w.time >= 2.598) & (w.time < 2.602)
    assert on.impedance[0] == pytest.approx(w.impedance[inside].mean())


def _write_las(path, depth_ft, dt_us_ft, rhob):
    import lasio

    las = lasio.LASFile()
    las.well["WELL"].value = "TEST-1"
    las.append_curve("DEPT", depth_ft, unit="ft")
    las.append_curve("DT", dt_us_ft, unit="us/ft")
    las.append_curve("RHOB", rhob, unit="g/cc")
    las.write(str(path), version=2.0)


def test_las_time_depth_by_sonic_integration(tmp_path):
    """Hand-computed: 100 us/ft above 1000 ft, 80 us/ft below; two-way time = 2 * sum(s dz)."""
    depth = np.arange(0.0, 2001.0, 10.0)  # ft
    dt = np.where(depth < 1000, 100.0, 80.0)
    rhob = np.where(depth < 1000, 2.2, 2.5)
    path = tmp_path / "well.las"
    _write_las(path, depth, dt, rhob)
    w = load_well(path, time_at_top=0.1)
    s1, s2 = 100e-6 / FT, 80e-6 / FT  # s/m
    # at 2000 ft: 0-990 ft at s1, the 990-1000 ft step at the mean of s1 and s2 (trapezoid),
    # 1000-2000 ft at s2
    expected = 0.1 + 2 * (990 * FT * s1 + 10 * FT * (s1 + s2) / 2 + 1000 * FT * s2)
    assert w.time[-1] == pytest.approx(expected, rel=1e-12)
    assert w.time[0] == pytest.approx(0.1)
    # impedance = density / slowness, divided by 1e6
    assert w.impedance[0] == pytest.approx(2200 / s1 / 1e6, rel=1e-12)
    assert w.impedance[-1] == pytest.approx(2500 / s2 / 1e6, rel=1e-12)
    assert w.name == "TEST-1" and w.depth[-1] == pytest.approx(2000 * FT)


def test_las_time_is_anchored_at_the_top_of_the_sonic(tmp_path):
    """A density log that starts below the sonic's top (Penobscot L-30): its first time is
    time_at_top plus the sonic's two-way time down to it, not time_at_top."""
    depth = np.arange(0.0, 2001.0, 10.0)  # ft
    dt = np.where(depth >= 100, 100.0, np.nan)  # the sonic from 100 ft
    dt[[50, 51]] = np.nan  # a gap, bridged
    rhob = np.where(depth >= 1000, 2.4, np.nan)  # the density from 1000 ft
    path = tmp_path / "well.las"
    _write_las(path, depth, dt, rhob)
    w = load_well(path, time_at_top=0.4)
    s = 100e-6 / FT
    assert w.time[0] == pytest.approx(0.4 + 2 * 900 * FT * s, rel=1e-12)
    assert w.time[-1] == pytest.approx(0.4 + 2 * 1900 * FT * s, rel=1e-12)
    assert w.depth[0] == pytest.approx(1000 * FT)


def test_las_with_a_checkshot_table(tmp_path):
    depth = np.arange(0.0, 1001.0, 10.0)
    path = tmp_path / "well.las"
    _write_las(path, depth, np.full(depth.size, 100.0), np.full(depth.size, 2.3))
    table = [[0.0, 0.5], [1000 * FT, 0.7]]  # depth m, two-way time s
    w = load_well(path, time_depth=table)
    np.testing.assert_allclose(w.time, 0.5 + 0.2 * depth / 1000, rtol=1e-12)
    for bad in ([[0.0, 0.5], [300.0, 0.4]], [[0.0, 0.5], [0.0, 0.6]], [[0.0, np.nan], [1, 2]]):
        with pytest.raises(ValueError, match="time_depth"):
            load_well(path, time_depth=bad)


def test_well_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("1;2\n3;4\n")
    with pytest.raises(ValueError, match="3 columns"):
        load_well(bad)
    with pytest.raises(ValueError, match="unsupported type"):
        load_well(tmp_path.joinpath("x.xyz").resolve().__class__(bad).with_suffix(".csv").rename(
            tmp_path / "x.xyz"))
    with pytest.raises(FileNotFoundError):
        load_well(tmp_path / "missing.csv")
    las = tmp_path / "nosonic.las"
    import lasio

    f = lasio.LASFile()
    f.append_curve("DEPT", np.arange(10.0), unit="m")
    f.append_curve("GR", np.ones(10), unit="API")
    f.write(str(las))
    with pytest.raises(ValueError, match="no sonic curve"):
        load_well(las)


def test_missing_log_values_stay_in_their_bins():
    """One NaN in a log leaves the other bins exact (it once spread through the running sum)."""
    from sklearn.utils import Bunch

    from impedance_sklearn.io.wells import well_on_time_axis

    t = np.arange(100) * 1e-3
    imp = 5.0 + np.arange(100) * 0.01
    imp[3] = np.nan
    well = Bunch(time=t, impedance=imp, seismic=None)
    axis = np.arange(0.002, 0.095, 0.004)
    out = well_on_time_axis(well, axis)
    clean = well_on_time_axis(Bunch(time=t, impedance=5.0 + np.arange(100) * 0.01,
                                    seismic=None), axis)
    assert np.all(np.isfinite(out.impedance[out.mask]))
    # the bin holding the NaN averages its other samples; every other bin is unchanged
    np.testing.assert_allclose(out.impedance[1:], clean.impedance[1:], rtol=1e-12)
    assert abs(out.impedance[0] - clean.impedance[0]) < 0.02
    allnan = well_on_time_axis(Bunch(time=t, impedance=np.full(100, np.nan), seismic=None), axis)
    assert np.all(np.isnan(allnan.impedance))


def test_the_sonic_carries_the_time_below_a_short_checkshot(tmp_path):
    """A checkshot that ends above the log's bottom (F06-1's ends at 1,261 m, the log at
    1,700 m): below its last row the time is the last row's plus the sonic's two-way time, by
    hand; between rows the table is exact at every row. The last time is never held."""
    depth = np.arange(0.0, 2001.0, 10.0)  # ft
    dt = np.where(depth < 1000, 100.0, 80.0)
    path = tmp_path / "well.las"
    _write_las(path, depth, dt, np.full(depth.size, 2.3))
    table = [[0.0, 0.5], [1000 * FT, 0.72]]  # the sonic's own time there would be 0.70
    w = load_well(path, time_depth=table)
    assert w.time[0] == pytest.approx(0.5) and w.time[100] == pytest.approx(0.72)
    s2 = 80e-6 / FT
    assert w.time[-1] == pytest.approx(0.72 + 2 * 1000 * FT * s2, rel=1e-12)
    assert np.all(np.diff(w.time) > 0)
    assert any("the sonic carries the time on" in n for n in w.notes)
    # half way between the rows: the sonic's time plus half the correction (0.02 s)
    s1 = 100e-6 / FT
    sonic_1000 = 2 * (990 * FT * s1 + 10 * FT * (s1 + s2) / 2)  # trapezoid over the step
    correction = 0.5 + 0.5 * ((0.72 - sonic_1000) - 0.5)
    assert w.time[50] == pytest.approx(2 * 500 * FT * s1 + correction, rel=1e-12)


def _write_las_si(path, depth_m, curves):
    import lasio

    las = lasio.LASFile()
    las.well["WELL"].value = "SI-1"
    las.well["LOC"] = lasio.HeaderItem("LOC", value="X = 606554.0000 Y = 6080126.0000")
    las.append_curve("DEPT", depth_m, unit="m")
    for name, (values, unit) in curves.items():
        las.append_curve(name, values, unit=unit)
    las.write(str(path), version=2.0)


def test_impedance_where_both_curves_were_measured(tmp_path):
    """F3's LAS: us/m and kg/m3, the unlogged top filled with a smooth trend in DT, RHOB and
    AI. Impedance is RHOB / DT where both were measured; the AI curve only when asked, and
    never its filled part; the interval used is said."""
    rng = np.random.default_rng(0)
    depth = np.arange(100.0, 400.0, 0.15)
    top = depth < 200  # the fill
    dt = np.where(top, np.linspace(600, 500, depth.size), 450 + rng.normal(0, 10, depth.size))
    rho = np.where(top, 2000 + depth, 2200 + rng.normal(0, 30, depth.size))
    ai = rho / (dt * 1e-6)
    path = tmp_path / "f3.las"
    _write_las_si(path, depth, {"DT": (dt, "us/m"), "RHOB": (rho, "kg/m3"),
                                "AI": (ai, "(m/s)*(kg/m3)")})
    w = load_well(path, time_at_top=0.3)
    assert w.depth[0] == pytest.approx(depth[~top][0], abs=0.16)
    k = np.searchsorted(depth, w.depth[5])
    assert w.impedance[5] == pytest.approx(rho[k] / (dt[k] * 1e-6) / 1e6, rel=1e-6)  # us/m
    assert w.measured[0] == pytest.approx(200.0, abs=0.2)
    assert any("smoothly filled" in n for n in w.notes)
    assert any("RHOB (kg/m3) / DT (us/m) where both were measured" in n for n in w.notes)
    assert w.location == {"x": 606554.0, "y": 6080126.0}
    # the time still comes from the whole sonic, its trend included: anchored at its top
    s = dt * 1e-6
    expected = 0.3 + 2 * np.sum(0.5 * (s[1:k + 1] + s[:k]) * np.diff(depth[:k + 1]))
    assert w.time[5] == pytest.approx(expected, rel=1e-9)
    asked = load_well(path, time_at_top=0.3, impedance="AI")
    np.testing.assert_allclose(asked.impedance, w.impedance, rtol=1e-6)  # never its fill
    assert any("curve AI" in n and "as asked" in n for n in asked.notes)
    only_ai = tmp_path / "ai.las"
    _write_las_si(only_ai, depth, {"DT": (dt, "us/m"), "AI": (ai, "(m/s)*(kg/m3)")})
    with pytest.raises(ValueError, match="used only when named"):
        load_well(only_ai, time_at_top=0.3)


def test_f3_wells_as_delivered(f3_data):
    """The four F3 wells with their checkshots exactly as delivered: every one reads, the
    measured intervals start below the fills, and F06-1's log reaches 1.62 s, not the 1.22 s
    of its last checkshot row."""
    got = {}
    for name in ("F02-1", "F03-2", "F03-4", "F06-1"):
        w = load_well(f3_data / f"f3_{name}.las",
                      time_depth=f3_data / f"f3_{name}_checkshot.txt")
        assert np.all(np.diff(w.time) > 0)
        got[name] = (w.time[0], w.time[-1], w.measured[0])
    assert got["F06-1"][1] == pytest.approx(1.622, abs=0.002)
    assert got["F06-1"][2] == pytest.approx(593.7, abs=0.5)
    assert got["F03-4"][0] == pytest.approx(0.493, abs=0.002)
    assert got["F02-1"][2] == pytest.approx(305.0, abs=0.5)
