"""Trace coordinates (CDP X/Y and the coordinate scalar), wells placed by their map position,
arbitrary lines (read without a truncation warning, positions as distances along the line) and
the LAS header's well location; and the real F3 arbitrary line with its wells."""

import math
import warnings

import numpy as np
import pytest
import segyio
from conftest import shared_file
from sklearn.utils import Bunch

from impedance_sklearn.estimators.lowfreq import LowFrequencyModel
from impedance_sklearn.io import (
    las_location,
    line_distance,
    locate_well,
    looks_like_line,
    project_onto_line,
    read_segy,
    read_trace_headers,
    read_traces,
    survey_positions,
    trace_positions,
    trace_spacing,
)
from impedance_sklearn.io.pairs import survey_lateral, survey_well_windows

F = segyio.TraceField

# --------------------------------------------------------------------------------------------
# helpers


def write_traces_with_headers(path, inlines, crosslines, x=None, y=None, scalar=-10,
                              source=False, units=1, ns=20):
    """An unstructured SEG-Y, one trace per entry, with bytes 189/193, 181/185 (or 73/77 when
    ``source``), 71 and 89 set from raw integers."""
    n = len(inlines)
    x = np.zeros(n, dtype=int) if x is None else np.asarray(x)
    y = np.zeros(n, dtype=int) if y is None else np.asarray(y)
    spec = segyio.spec()
    spec.format, spec.samples, spec.tracecount = 5, list(range(ns)), n
    rng = np.random.default_rng(0)
    with segyio.create(str(path), spec) as f:
        f.bin.update({segyio.BinField.Interval: 4000, segyio.BinField.Samples: ns})
        for i in range(n):
            xy = {F.SourceX: int(x[i]), F.SourceY: int(y[i])} if source else \
                {F.CDP_X: int(x[i]), F.CDP_Y: int(y[i])}
            f.header[i] = {F.INLINE_3D: int(inlines[i]), F.CROSSLINE_3D: int(crosslines[i]),
                           F.SourceGroupScalar: int(np.broadcast_to(scalar, n)[i]),
                           F.CoordinateUnits: units, F.TRACE_SEQUENCE_FILE: i + 1,
                           F.TRACE_SAMPLE_INTERVAL: 4000, F.TRACE_SAMPLE_COUNT: ns, **xy}
            f.trace[i] = rng.normal(size=ns).astype(np.float32)
    return path


#: A staircase through the bins of a 25 m grid: (inline, crossline) and map X/Y in metres.
STAIR_IL = np.array([10, 10, 11, 12, 12, 13, 14, 14, 15, 16])
STAIR_XL = np.array([1, 2, 3, 3, 4, 5, 5, 6, 7, 7])


def stair_xy():
    """Map X/Y (m) of the staircase: crossline along x, inline along y, 25 m bins."""
    return 25.0 * STAIR_XL, 25.0 * STAIR_IL


def stair_file(tmp_path, coordinates=True):
    x, y = stair_xy()
    if not coordinates:
        return write_traces_with_headers(tmp_path / "line.sgy", STAIR_IL, STAIR_XL)
    return write_traces_with_headers(tmp_path / "line.sgy", STAIR_IL, STAIR_XL,
                                     (10 * x).astype(int), (10 * y).astype(int), scalar=-10)


def by_hand_distances():
    """Cumulative distances along the staircase, step by step: 25 m straight, 25 sqrt 2 m
    diagonal."""
    steps = []
    for k in range(1, STAIR_IL.size):
        dil, dxl = STAIR_IL[k] - STAIR_IL[k - 1], STAIR_XL[k] - STAIR_XL[k - 1]
        steps.append(25.0 * math.sqrt(2.0) if dil and dxl else 25.0)
    return np.concatenate([[0.0], np.cumsum(steps)])


def no_warning_read(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_segy(path)


# --------------------------------------------------------------------------------------------
# SegyData: coordinates, the scalar, the source fallback


@pytest.mark.parametrize("scalar, factor", [(-10, 0.1), (-100, 0.01), (10, 10.0), (0, 1.0),
                                            (1, 1.0), (-1, 1.0)])
def test_coordinate_scalar_is_applied(tmp_path, scalar, factor):
    raw_x, raw_y = np.array([6056526, 6056776, 6057026]), np.array([60801038, 60801045, 6080])
    path = write_traces_with_headers(tmp_path / "s.sgy", [1, 2, 3], [5, 5, 5], raw_x, raw_y,
                                     scalar=scalar)
    data = read_segy(path)
    np.testing.assert_allclose(data.cdp_x, raw_x * factor, rtol=1e-15)
    np.testing.assert_allclose(data.cdp_y, raw_y * factor, rtol=1e-15)
    assert data.cdp_x.dtype == np.float64 and data.coordinate_source == "cdp"
    assert data.coordinate_units == 1
    if scalar == -10:  # divided, not multiplied by 0.1: the decimal is exact
        assert data.cdp_x[0] == 605652.6


def test_coordinate_scalar_per_trace(tmp_path):
    path = write_traces_with_headers(tmp_path / "s.sgy", [1, 2, 3], [5, 5, 5], [1000, 1000, 1000],
                                     [0, 0, 0], scalar=np.array([-10, 0, 100]))
    assert read_segy(path).cdp_x.tolist() == [100.0, 1000.0, 100000.0]


def test_source_xy_when_cdp_xy_are_zero(tmp_path):
    path = write_traces_with_headers(tmp_path / "s.sgy", [1, 2], [5, 5], [2500, 5000], [70, 80],
                                     scalar=-100, source=True)
    data = read_segy(path)
    assert data.coordinate_source == "source"
    assert data.cdp_x.tolist() == [25.0, 50.0] and data.cdp_y.tolist() == [0.7, 0.8]


def test_no_coordinates(tmp_path):
    data = read_segy(write_traces_with_headers(tmp_path / "s.sgy", [1, 2, 3], [5, 5, 5]))
    assert data.coordinate_source is None and not data.cdp_x.any() and not data.cdp_y.any()
    with pytest.raises(ValueError, match=r"no trace coordinates.*181/185.*73/77.*"
                                         r"--well-location INLINE CROSSLINE"):
        locate_well(data, 100.0, 200.0)
    with pytest.raises(ValueError, match="no trace coordinates"):
        line_distance(data)


def test_read_trace_headers_match_read_segy(tmp_path):
    path = stair_file(tmp_path)
    data, heads = read_segy(path), read_trace_headers(path)
    for key in ("inlines", "crosslines", "cdp_x", "cdp_y"):
        np.testing.assert_array_equal(heads[key], getattr(data, key))
    assert heads.coordinate_source == "cdp" and heads.path == data.path
    traces = read_traces(path)  # a TraceData works wherever a SegyData does
    assert locate_well(traces, 26.0, 250.0).index == locate_well(data, 26.0, 250.0).index


def test_geographic_coordinates_are_refused(tmp_path):
    x, y = stair_xy()
    path = write_traces_with_headers(tmp_path / "s.sgy", STAIR_IL, STAIR_XL, x.astype(int),
                                     y.astype(int), scalar=1, units=2)
    with pytest.raises(ValueError, match="arc seconds.*projected"):
        locate_well(read_segy(path), 25.0, 250.0)


# --------------------------------------------------------------------------------------------
# locate_well


def small_line():
    return Bunch(inlines=np.arange(100, 105), crosslines=np.arange(200, 205),
                 cdp_x=25.0 * np.arange(5), cdp_y=np.zeros(5), path="line.sgy")


def test_locate_well_nearest_trace_by_hand():
    hit = locate_well(small_line(), 52.0, 3.0)
    # trace 2 at (50, 0): sqrt(2**2 + 3**2); trace 1 at (25, 0) and 3 at (75, 0) are farther
    assert hit.index == 2 and hit.inline == 102 and hit.crossline == 202
    assert hit.x == 50.0 and hit.y == 0.0
    assert hit.distance == pytest.approx(math.sqrt(13.0))
    assert hit.max_distance == pytest.approx(62.5)  # 2.5 x the 25 m spacing
    assert locate_well(small_line(), -10.0, 0.0).index == 0
    assert locate_well(small_line(), 63.0, 0.0).index == 3


def test_locate_well_beyond_the_limit_is_refused():
    with pytest.raises(ValueError) as err:
        locate_well(small_line(), 50.0, 70.0, name="F03-2")
    msg = str(err.value)
    for part in ("well F03-2 at x=50.0, y=70.0", "70.0 from the nearest trace", "'line.sgy'",
                 "trace 2 (inline 102, crossline 202) at x=50.0, y=0.0", "limit of 62.5",
                 "2.5 x the trace spacing of 25.0", "max_distance=", "--force"):
        assert part in msg, (part, msg)
    hit = locate_well(small_line(), 50.0, 70.0, max_distance=100)
    assert hit.index == 2 and hit.distance == pytest.approx(70.0) and hit.max_distance == 100
    with pytest.raises(ValueError, match="limit of 1.0 \\(max_distance\\)"):
        locate_well(small_line(), 50.0, 3.0, max_distance=1.0)


@pytest.mark.parametrize("bad", [float("nan"), "606554", None])
def test_locate_well_checks_its_input(bad):
    with pytest.raises(ValueError, match="the well's x"):
        locate_well(small_line(), bad, 0.0)
    with pytest.raises(ValueError, match="max_distance must be"):
        locate_well(small_line(), 0.0, 0.0, max_distance=-1)
    with pytest.raises(TypeError, match="SEG-Y"):
        locate_well(np.zeros((3, 4)), 0.0, 0.0)


def test_trace_spacing_on_a_map():
    il, xl = np.meshgrid(np.arange(4), np.arange(6), indexing="ij")
    cube = Bunch(inlines=il.ravel(), crosslines=xl.ravel(), cdp_x=25.0 * xl.ravel(),
                 cdp_y=12.5 * il.ravel())
    assert trace_spacing(cube) == pytest.approx(12.5)  # the smaller bin side
    assert locate_well(cube, 51.0, 26.0).index == 2 * 6 + 2


# --------------------------------------------------------------------------------------------
# arbitrary lines: recognised, distances along them


def test_line_distance_is_the_cumulative_map_distance(tmp_path):
    data = no_warning_read(stair_file(tmp_path))
    expected = by_hand_distances()
    np.testing.assert_allclose(line_distance(data), expected, rtol=1e-12)
    assert line_distance(data, 4) == pytest.approx(expected[4])
    np.testing.assert_allclose(line_distance(data, [0, 9]), expected[[0, 9]])
    hit = locate_well(data, 26.0 * 4, 25.0 * 12 + 3.0)  # near trace 4 at (100, 300)
    assert hit.index == 4 and line_distance(data, hit.index) == pytest.approx(expected[4])


def test_line_distance_refuses_a_map():
    il, xl = np.meshgrid(np.arange(4), np.arange(6), indexing="ij")
    cube = Bunch(inlines=il.ravel(), crosslines=xl.ravel(), cdp_x=25.0 * xl.ravel(),
                 cdp_y=25.0 * il.ravel())
    with pytest.raises(ValueError, match="do not form a line"):
        line_distance(cube)


def test_arbitrary_line_reads_without_warning(tmp_path):
    for coordinates in (True, False):
        data = no_warning_read(stair_file(tmp_path, coordinates))
        assert data.ilines is None and data.shape == (10, 20)


def test_truncated_cube_still_warns(tmp_path):
    # a 3 x 4 cube, inline-sorted, cut after 10 of its 12 traces, with and without coordinates
    il, xl = np.meshgrid([1, 2, 3], [1, 2, 3, 4], indexing="ij")
    il, xl = il.ravel()[:10], xl.ravel()[:10]
    for name, x, y in (("xy", 250 * xl, 250 * il), ("none", None, None)):
        path = write_traces_with_headers(tmp_path / f"cut_{name}.sgy", il, xl, x, y)
        with pytest.warns(UserWarning, match="may be truncated"):
            read_segy(path)
    # two crosslines: every step is a bin or a diagonal, but the path zig-zags
    il2, xl2 = np.meshgrid(np.arange(1, 9), [1, 2], indexing="ij")
    path = write_traces_with_headers(tmp_path / "zigzag.sgy", il2.ravel()[:-1], xl2.ravel()[:-1])
    with pytest.warns(UserWarning, match="may be truncated"):
        read_segy(path)


def test_looks_like_line_cases():
    assert looks_like_line(STAIR_IL, STAIR_XL)
    assert looks_like_line(STAIR_IL, STAIR_XL, *stair_xy())
    assert not looks_like_line([1, 1, 2, 2], [1, 1, 2, 3])  # a repeated (inline, crossline)
    assert not looks_like_line([1, 1, 1, 1], [1, 2, 3, 9])  # a gap: a jump of 6 bins
    # a cube read row after row in alternating directions comes back beside itself
    il, xl = np.meshgrid(np.arange(6), np.arange(10), indexing="ij")
    xl[1::2] = xl[1::2, ::-1]
    assert not looks_like_line(il.ravel()[:-3], xl.ravel()[:-3])
    assert not looks_like_line([0, 0, 0], [0, 0, 0])


def test_survey_lateral_and_positions(tmp_path):
    data = read_segy(stair_file(tmp_path))
    # old calls: inline/crossline numbers only, as before
    assert survey_lateral([1, 2, 3], [5, 5, 5]) == "inline"
    assert survey_lateral([5, 5, 5], [1, 2, 3]) == "crossline"
    assert survey_lateral(STAIR_IL, STAIR_XL) == "inline-crossline"
    np.testing.assert_array_equal(trace_positions("inline-crossline", [10], [1]), [[10.0, 1.0]])
    # with coordinates: distance along an arbitrary line, x/y on a map
    assert survey_lateral(data) == "distance"
    assert survey_lateral(STAIR_IL, STAIR_XL, *stair_xy()) == "distance"
    il, xl = np.meshgrid(np.arange(4), np.arange(6), indexing="ij")
    assert survey_lateral(il.ravel(), xl.ravel(), 25.0 * xl.ravel(), 25.0 * il.ravel()) == "xy"
    d = by_hand_distances()
    np.testing.assert_allclose(trace_positions("distance", [12, 14], [4, 6], survey=data),
                               d[[4, 7]])
    np.testing.assert_allclose(survey_positions("distance", data), d)
    np.testing.assert_allclose(survey_positions("distance", read_trace_headers(data.path)), d)
    np.testing.assert_array_equal(trace_positions("xy", [12], [4], survey=data), [[100., 300.]])
    with pytest.raises(ValueError, match="need the survey's trace coordinates"):
        trace_positions("distance", [12], [4])
    with pytest.raises(ValueError, match="no trace at inline 99, crossline 4"):
        trace_positions("distance", [99], [4], survey=data)
    with pytest.raises(ValueError, match="lateral must be one of"):
        trace_positions("map", [1], [1])
    # a 2-D line whose inline/crossline are unfilled is placed by distance too
    line2d = Bunch(inlines=np.zeros(5), crosslines=np.zeros(5), cdp_x=25.0 * np.arange(5),
                   cdp_y=np.zeros(5))
    assert survey_lateral(line2d) == "distance"
    line2d.inlines = np.full(5, 7)  # a constant line number
    assert survey_lateral(line2d) == "distance"
    np.testing.assert_allclose(line_distance(line2d), 25.0 * np.arange(5))


def test_survey_well_windows_on_an_arbitrary_line(tmp_path):
    path = stair_file(tmp_path)
    survey = read_traces(path)
    t = survey.time
    wells = [Bunch(time=t[2:18], impedance=np.full(16, 5.0 + k)) for k in range(2)]
    pairs = survey_well_windows(wells, survey, locations=[(11, 3), (15, 7)], window=8)
    d = by_hand_distances()
    assert pairs.lateral == "distance"
    assert set(np.unique(pairs.positions).tolist()) == {d[2], d[8]}


def test_low_frequency_model_along_line_distances(tmp_path):
    """LowFrequencyModel interpolates between wells by their distances along the line."""
    data = read_segy(stair_file(tmp_path))
    d = line_distance(data)
    t = np.linspace(0.2, 1.0, 50)
    lfm = LowFrequencyModel(loss="squared").fit([t, t], [np.full(50, 4.0), np.full(50, 8.0)],
                                               positions=d[[1, 8]])
    pred = lfm.predict(t, positions=d)
    w = np.clip((d - d[1]) / (d[8] - d[1]), 0, 1)  # linear in distance between the two wells
    np.testing.assert_allclose(np.log(pred[:, 10]), (1 - w) * np.log(4.0) + w * np.log(8.0),
                               rtol=1e-6)


def test_project_onto_line_by_hand():
    line = small_line()  # x from 0 to 100 along y = 0
    p = project_onto_line(line, 60.0, -8000.0)
    assert (p.along, p.across, p.index, p.x, p.y, p.beyond) == (60.0, -8000.0, 2, 60.0, 0.0,
                                                                 False)
    assert project_onto_line(line, 60.0, 5.0).across == 5.0  # left of the line's direction
    past = project_onto_line(line, 150.0, 10.0)  # the last segment extended
    assert past.along == 150.0 and past.across == 10.0 and past.beyond and past.index == 4
    before = project_onto_line(line, -30.0, 0.0)
    assert before.along == -30.0 and before.across == 0.0 and before.beyond
    # a corner: the line turns, the point is nearest its vertex
    corner = Bunch(inlines=np.arange(5), crosslines=np.arange(5),
                   cdp_x=np.array([0.0, 25, 50, 50, 50]), cdp_y=np.array([0.0, 0, 0, 25, 50]))
    c = project_onto_line(corner, 60.0, 25.0)
    assert c.along == pytest.approx(75.0) and c.across == pytest.approx(-10.0)


# --------------------------------------------------------------------------------------------
# las_location


LAS_HEAD = """~VERSION INFORMATION
 VERS.                          2.0   : CWLS LOG ASCII STANDARD - VERSION 2.0
 WRAP.                          NO    : ONE LINE PER DEPTH STEP
~Well Information Section
#MNEM     .UNIT     DATA                DESCRIPTION
 STRT     .M        48.0000             : START DEPTH
 STOP     .M        49.0000             : END DEPTH
 STEP     .M        0.5000              : INCREMENT DEPTH
 NULL     .         -999.2500           : NULL VALUE
 WELL     .         TEST-1              : WELL NAME
{lines}
~Curve Information Section
 DEPT     .M                             : DEPTH
 DT       .US/M                          : SONIC
~A
48.0 400.0
48.5 401.0
49.0 402.0
"""


@pytest.mark.parametrize("lines, expected", [
    (" LOC      . X = 606554.0000 Y = 6080126.0000: WELL LOCATION", (606554.0, 6080126.0)),
    (" LOC      .          X: 606554.5, Y: 6080126.25  : LOCATION", (606554.5, 6080126.25)),
    (" XCOORD   .M        623256.0000         : X COORDINATE\n"
     " YCOORD   .M        6082586.0000        : Y COORDINATE", (623256.0, 6082586.0)),
    (" X        .M        607903.0            : X\n Y        .M        6077213.0   : Y",
     (607903.0, 6077213.0)),
    (" XWELL    .M        1.5e5               : SURFACE X\n"
     " YWELL    .M        6.1e6               : SURFACE Y", (150000.0, 6100000.0)),
    (" EASTING  .M        619101              : EASTING\n"
     " NORTHING .M        6089491             : NORTHING", (619101.0, 6089491.0)),
    # mnemonics first, then LOC
    (" XCOORD   .M        1.0 : X\n YCOORD   .M  2.0 : Y\n LOC  . X = 3 Y = 4 : LOC", (1.0, 2.0)),
    # nothing usable
    (" LOC  .          44\u00b0 09' 43.558\"N LAT|60\u00b0 04' 0   :Location\n"
     " LATI .          0             :Latitude/Northing\n"
     " LONG .          0             :Longitude/Easting", None),
    (" XCOORD   .M        -999.2500 : X\n YCOORD   .M  -999.2500 : Y", None),
    (" X        .M        0.0 : X\n Y        .M        0.0 : Y", None),
    (" XCOORD   .M        606554.0 : X only", None),
    ("", None),
])
def test_las_location(tmp_path, lines, expected):
    path = tmp_path / "w.las"
    path.write_text(LAS_HEAD.format(lines=lines), encoding="latin-1")
    assert las_location(path) == expected
    assert las_location(str(path)) == expected
    import lasio

    assert las_location(lasio.read(str(path))) == expected


def test_las_location_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.las"):
        las_location(tmp_path / "nope.las")


# --------------------------------------------------------------------------------------------
# the real F3 line (../shared/data)

#: Measured on f3_arbline.sgy: (trace index, inline, crossline, distance in m) per well.
F3_WELLS = {"F02-1": (36, 362, 336, 3.36), "F06-1": (228, 244, 389, 56.26),
            "F03-4": (932, 443, 1005, 54.07)}


def test_f3_arbitrary_line_and_its_wells():
    line = no_warning_read(shared_file("f3_arbline.sgy"))
    assert line.shape == (1169, 463) and line.coordinate_source == "cdp"
    assert line.cdp_x[0] == 605652.6 and line.cdp_y[0] == 6080103.8
    assert survey_lateral(line) == "distance"
    assert trace_spacing(line) == pytest.approx(25.0, abs=0.05)
    d = line_distance(line)
    assert d[-1] == pytest.approx(32607.0, abs=1.0)
    for well, (index, il, xl, dist) in F3_WELLS.items():
        x, y = las_location(shared_file(f"f3_{well}.las"))
        hit = locate_well(line, x, y, name=well)
        assert (hit.index, hit.inline, hit.crossline) == (index, il, xl), well
        assert hit.distance == pytest.approx(dist, abs=1.0), well
        p = project_onto_line(line, x, y)
        assert abs(p.along - d[index]) < 30.0 and abs(abs(p.across) - dist) < 1.0, well
    x, y = las_location(shared_file("f3_F03-2.las"))
    assert (x, y) == (619101.0, 6089491.0)
    with pytest.raises(ValueError, match=r"well F03-2 .* 7914\.8 from the nearest trace .*"
                                         r"trace 884 \(inline 425, crossline 957\)"):
        locate_well(line, x, y, name="F03-2")
    off = project_onto_line(line, x, y)
    assert off.across == pytest.approx(7914.8, abs=1.0) and 0 < off.along < d[-1]


def test_predict_places_traces_by_the_models_lateral(tmp_path):
    """`predict` reads each trace's position from the headers, as the model was trained."""
    from impedance_sklearn.cli.predict import _positions

    path = stair_file(tmp_path)

    def model(lateral):
        return Bunch(background_=Bunch(well_positions_=np.array([0.0, 1.0]),
                                       coef_=np.zeros((2, 2))),
                     training_info_={"lateral": lateral})

    np.testing.assert_allclose(_positions(model("distance"), path), by_hand_distances())
    x, y = stair_xy()
    np.testing.assert_array_equal(_positions(model("xy"), path), np.column_stack([x, y]))
    np.testing.assert_array_equal(_positions(model("inline-crossline"), path),
                                  np.column_stack([STAIR_IL, STAIR_XL]).astype(float))
    np.testing.assert_array_equal(_positions(model("inline"), path), STAIR_IL.astype(float))


def test_survey_well_windows_on_a_cube_with_coordinates(tmp_path):
    il, xl = np.meshgrid([1, 2, 3], [1, 2, 3, 4], indexing="ij")
    il, xl = il.ravel(), xl.ravel()
    path = write_traces_with_headers(tmp_path / "cube.sgy", il, xl, 250 * xl, 125 * il)
    survey = read_traces(path)
    t = survey.time
    wells = [Bunch(time=t[2:18], impedance=np.full(16, 5.0 + k)) for k in range(2)]
    pairs = survey_well_windows(wells, survey, locations=[(1, 2), (3, 4)], window=8)
    assert pairs.lateral == "xy"
    np.testing.assert_array_equal(np.unique(pairs.positions, axis=0), [[50.0, 12.5],
                                                                       [100.0, 37.5]])
