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
