"""io.pairs: training windows from wells on a survey's sampling."""

import numpy as np
import pytest
from sklearn.utils import Bunch

from impedance_sklearn.io.pairs import (
    survey_lateral,
    survey_well_windows,
    trace_positions,
)
from impedance_sklearn.io.wells import well_windows

DT = 0.004


def _survey(n_traces=5, n=100):
    t = np.arange(n) * DT
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_traces, n)) * 3.0
    headers = Bunch(inlines=np.arange(100, 100 + n_traces), crosslines=np.full(n_traces, 7))
    return Bunch(X=X, dt=DT, time=t, scale=1.0, path="line.sgy", segy=headers)


def _well(t0_index, n, value=5.0, seismic=None):
    """A log sampled at 1 ms that covers samples t0_index .. t0_index + n - 1 of the survey."""
    t = np.arange((t0_index - 0.5) * DT, (t0_index + n - 0.5) * DT - 1e-9, 0.001)
    if seismic is not None:
        seismic = np.repeat(seismic, 4)
    return Bunch(time=t, impedance=value + t, seismic=seismic, name="w")


def test_windows_take_the_survey_trace_at_each_well():
    survey = _survey()
    wells = [_well(10, 40), _well(20, 50, value=7.0)]
    pairs = survey_well_windows(wells, survey, locations=[(101, 7), (103, 7)], window=16)
    # every start inside each logged interval: 40 - 16 + 1 and 50 - 16 + 1
    assert pairs.X.shape == (25 + 35, 16) and pairs.window == 16
    assert pairs.lateral == "inline"
    np.testing.assert_array_equal(pairs.positions, [101.0] * 25 + [103.0] * 35)
    # the second well's windows come from survey trace 103 (inline 103), not from another
    X2, _, _ = well_windows(wells[1], DT, 16, seismic=survey.X[3], seismic_time=survey.time)
    np.testing.assert_array_equal(pairs.X[25:], X2)
    assert np.corrcoef(pairs.X[25], survey.X[3, 20:36])[0, 1] > 0.8
    np.testing.assert_allclose(pairs.y[25], 7.0 + np.arange(20, 36) * DT, atol=2e-3)
    np.testing.assert_allclose(pairs.t0[:3], [10 * DT, 11 * DT, 12 * DT])
    assert pairs.intervals[0] == pytest.approx((10 * DT, 49 * DT))
    assert pairs.seismic[1] == "survey trace at inline 103, crossline 7"


def test_a_ties_own_seismic_is_scaled_to_the_survey_rms_and_y_to_its_units():
    survey = _survey()
    survey.scale = 1e6
    seis = 5.0 + 0.01 * np.sin(np.arange(40.0))  # offset and tiny scale of an export
    pairs = survey_well_windows([_well(10, 40, seismic=seis)], survey, window=40)
    assert pairs.positions is None and pairs.lateral is None
    assert abs(pairs.X.mean()) < 1e-12
    assert np.sqrt(np.mean(pairs.X**2)) == pytest.approx(np.sqrt(np.mean(survey.X**2)))
    np.testing.assert_allclose(pairs.y[0], (5.0 + np.arange(10, 50) * DT) / 1e6, atol=2e-9)


def test_default_window_is_256_ms_capped_by_the_shortest_log():
    survey = _survey()
    assert survey_well_windows([_well(0, 80)], survey, locations=[(100, 7)]).window == 64
    assert survey_well_windows([_well(0, 30)], survey, locations=[(100, 7)]).window == 30


@pytest.mark.parametrize("kw, match", [
    (dict(window=41), "longer than the logged interval of w"),
    (dict(window=0), "positive number of samples"),
    (dict(locations=[(99, 7)]), "outside the survey"),
    (dict(locations=[(100, 7), (101, 7)]), "2 well location"),
])
def test_errors_say_what_was_wrong(kw, match):
    kw.setdefault("locations", [(100, 7)])
    with pytest.raises(ValueError, match=match):
        survey_well_windows([_well(0, 40)], _survey(), **kw)


def test_window_longer_than_the_traces_and_no_headers():
    survey = _survey(n=30)
    with pytest.raises(ValueError, match="longer than the survey's traces"):
        survey_well_windows([_well(1, 40, seismic=np.ones(40))], survey, window=35)
    survey.segy = None
    with pytest.raises(ValueError, match="need inline/crossline headers"):
        survey_well_windows([_well(0, 40)], survey, locations=[(100, 7)])
    survey.dt = None
    with pytest.raises(ValueError, match="no sampling interval"):
        survey_well_windows([_well(0, 40)], survey)


def test_positions_along_a_line_and_on_a_map():
    assert survey_lateral([1, 2, 3], [5, 5, 5]) == "inline"
    assert survey_lateral([1, 1], [5, 6]) == "crossline"
    assert survey_lateral([1, 2], [5, 6]) == "inline-crossline"
    np.testing.assert_array_equal(trace_positions("crossline", [1, 1], [5, 6]), [5.0, 6.0])
    np.testing.assert_array_equal(trace_positions("inline-crossline", [1, 2], [5, 6]),
                                  [[1, 5], [2, 6]])
    with pytest.raises(ValueError, match="lateral must be"):
        trace_positions("x", [1], [2])


def test_train_command_refuses_a_window_longer_than_the_log_and_writes_nothing(tmp_path, capsys):
    import segyio

    from impedance_sklearn import cli

    survey = _survey(n_traces=3, n=120)
    spec = segyio.spec()
    spec.format, spec.samples = 5, np.arange(120) * DT * 1e3
    spec.ilines, spec.xlines, spec.sorting = [100, 101, 102], [7], 2
    with segyio.create(str(tmp_path / "line.sgy"), spec) as f:
        for i, tr in enumerate(survey.X):
            f.header[i] = {segyio.TraceField.INLINE_3D: 100 + i,
                           segyio.TraceField.CROSSLINE_3D: 7}
            f.trace[i] = tr.astype(np.float32)
        f.bin.update(hdt=int(DT * 1e6))
    t = np.arange(20, 70) * DT
    rows = "\n".join(f"{tt * 1e3:.3f};0;{5 + tt:.6f}" for tt in t)
    (tmp_path / "log.csv").write_text("time_ms;seismic;impedance\n" + rows + "\n")
    base = ["train", "--wells", str(tmp_path / "log.csv"), "--survey", str(tmp_path / "line.sgy"),
            "--model", "colored", "-q", "--out", str(tmp_path / "m.model")]
    assert cli.main(base + ["--well-location", "101", "7", "--window", "80"]) == 2
    err = capsys.readouterr().err
    assert "--window 80 is longer than the logged interval of log.csv" in err
    assert "give --window" in err and not (tmp_path / "m.model").exists()
    assert cli.main(base + ["--well-location", "109", "7"]) == 2
    assert "outside the survey" in capsys.readouterr().err
    assert cli.main(base + ["--well-location", "101", "7", "--window", "32"]) == 0
    assert (tmp_path / "m.model").exists()
    from impedance_sklearn.estimators.persist import load_model

    model = load_model(tmp_path / "m.model")
    assert model.background_.time_axis == "linear"
    # at tied wells the lag search is +-8 ms, not ColoredInversion's +-40 samples
    assert model.estimator_.max_lag == round(0.008 / DT)
    own = tmp_path / "own_lag.model"
    assert cli.main(base[:-1] + [str(own), "--well-location", "101", "7", "--window", "32",
                                 "--param", "max_lag=5"]) == 0
    assert load_model(own).estimator_.max_lag == 5
    out = tmp_path / "log_axis.model"
    assert cli.main(base[:-1] + [str(out), "--well-location", "101", "7", "--window", "32",
                                 "--background-time-axis", "log"]) == 0, \
        capsys.readouterr().err
    bg = load_model(out).background_
    assert bg.time_axis == "log"
    # the log's ln Z = ln(5 + t) against ln t: the fitted trend reproduces it inside the log
    np.testing.assert_allclose(bg.predict(t[5:-5]), 5 + t[5:-5], rtol=0.02)


def test_a_survey_trace_is_taken_as_it_is_under_a_finer_log():
    """A log at 1 ms on a 4 ms survey: the training seismic is the trace's own samples (not a
    three-point average of it, which put F3's at 0.80 of its amplitude); windows are grouped by
    well, and a trace index places a well as its inline/crossline do."""
    survey = _survey()
    wells = [_well(10, 40), _well(20, 50, value=7.0)]
    pairs = survey_well_windows(wells, survey, locations=[(101, 7), 3], window=16)
    np.testing.assert_allclose(pairs.X[0], survey.X[1, 10:26], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(pairs.X[25], survey.X[3, 20:36], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(pairs.groups, [0] * 25 + [1] * 35)
    assert pairs.seismic[1] == "survey trace at trace 3 (inline 103, crossline 7)"
    np.testing.assert_array_equal(pairs.positions, [101.0] * 25 + [103.0] * 35)
    with pytest.raises(ValueError, match="at trace 9 is outside the survey"):
        survey_well_windows(wells, survey, locations=[(101, 7), 9], window=16)
