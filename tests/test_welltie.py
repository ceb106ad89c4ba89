"""welltie.tie_well and the tie command: known shifts and drifts recovered, the null test, the
Penobscot L-30 tie (skipped without ../shared), and bad input."""

import numpy as np
import pytest
from sklearn.utils import Bunch

from impedance_sklearn import cli
from impedance_sklearn.io import load_well
from impedance_sklearn.physics.wavelets import ricker
from impedance_sklearn.welltie import dominant_frequency, statistical_wavelet, tie_well

DT = 0.004


def _earth(seed, n=700):
    rng = np.random.default_rng(seed)
    return np.exp(1.5 + np.cumsum(rng.normal(0, 0.04, n)) * 0.5 + 0.3 * rng.normal(size=n) * 0.1)


def _seismic(z, true_time_of, t, f=25.0):
    """Seismic of the log z (defined on times t) observed at times true_time_of(t)."""
    r = np.concatenate([[0.0], 0.5 * np.diff(np.log(z))])
    # put each reflection at its true time on the regular axis
    spikes = np.zeros_like(t)
    idx = np.clip(np.round(true_time_of(t) / DT).astype(int), 0, t.size - 1)
    np.add.at(spikes, idx, r)
    return np.convolve(spikes, ricker(f, DT, 0.128), mode="same")


@pytest.fixture(scope="module")
def line():
    """A 'line' of 9 traces; the well's trace (row 5) sees the log 16 ms late plus a drift that
    grows linearly to 10 ms over the log; the other rows are other earths."""
    t = DT * np.arange(700)
    z = _earth(0)
    true = lambda tt: tt + 0.016 + 0.010 * np.clip((tt - 0.8) / 1.2, 0, 1)  # noqa: E731
    traces = np.array([_seismic(_earth(10 + k), lambda tt: tt, t) for k in range(9)])
    traces[5] = _seismic(z, true, t)
    well = Bunch(time=t[200:500], impedance=z[200:500], seismic=None)  # 0.8-2.0 s
    return t, traces, well, true


def test_known_shift_and_drift_are_recovered(line):
    t, traces, well, true = line
    tie = tie_well(well, traces, t, frequency=25.0)
    assert tie.position == 5 and tie.confident
    # the bulk shift is the mean shift over the log (16 ms plus half the 10 ms drift)
    assert tie.shift == pytest.approx(np.mean(true(well.time) - well.time), abs=DT)
    total = tie.shift + tie.drift.shift
    expected = true(tie.drift.time) - tie.drift.time
    # the time-variant shift follows the true one to within a sample
    assert np.max(np.abs(total - expected)) < 1.5 * DT
    assert tie.correlation["before"] < 0.5 < tie.correlation["bulk"]
    assert tie.correlation["after"] > 0.9 and tie.correlation["after"] > tie.correlation["bulk"]
    assert tie.velocity_change <= 0.05 / 0.95 + 1e-9
    # the tied well's times moved by the same shift
    np.testing.assert_allclose(tie.well.time - well.time,
                               tie.shift + np.interp(well.time, tie.drift.time, tie.drift.shift))
    # the estimated wavelet is the Ricker (zero phase, 25 Hz) up to scale
    w = tie.wavelet.amplitude / np.abs(tie.wavelet.amplitude).max()
    ref = ricker(25.0, DT, 0.128)
    assert np.corrcoef(w, ref / ref.max())[0, 1] > 0.9


def test_dynamic_warping_recovers_the_drift_too(line):
    t, traces, well, true = line
    tie = tie_well(well, traces, t, frequency=25.0, drift="dtw")
    total = tie.shift + tie.drift.shift
    expected = true(tie.drift.time) - tie.drift.time
    assert np.max(np.abs(total - expected)) < 1.5 * DT  # measured 4.1 ms, one sample
    assert tie.correlation["after"] > 0.95 and tie.velocity_change <= 0.05 / 0.95 + 1e-9
    with pytest.raises(ValueError, match="'drift' parameter of tie_well must be a str among"):
        tie_well(well, traces, t, drift="warp")
    with pytest.raises(ValueError, match="'max_strain' parameter of tie_well must be a float "
                                         r"in the range \[0.0, 1.0\)"):
        tie_well(well, traces, t, max_strain=1.5)


def test_strain_limit_and_the_implied_velocity_change(line):
    """With a strain limit below the true drift's (10 ms over 1.2 s: 0.0083), the drift's slope
    stays within it per unit time; the reported velocity change is the tied log's own:
    interval velocity ~ 1 / (dt_tied / dt_log), so max |dt_log / dt_tied - 1|."""
    t, traces, well, _ = line
    for max_strain in (0.003, 0.02):
        tie = tie_well(well, traces, t, frequency=25.0, max_strain=max_strain)
        strain = np.diff(tie.drift.shift) / np.diff(tie.drift.time)
        assert np.max(np.abs(strain)) <= max_strain * (1 + 1e-9)
        ratio = np.diff(well.time) / np.diff(tie.well.time)
        assert tie.velocity_change == pytest.approx(np.max(np.abs(ratio - 1)), rel=1e-6)
    assert np.max(np.abs(strain)) > 0.005  # the looser limit lets the true drift through


def test_dynamic_warping_lag_changes_by_a_sample_per_1_over_strain_samples(line):
    """The warping path itself (before the tie's own strain clamp) on a noisy trace: its slope
    never exceeds max_strain."""
    from impedance_sklearn.welltie import _drift_dtw, _synthetic

    t, traces, well, _ = line
    tie = tie_well(well, traces, t, frequency=25.0)
    noisy = tie.trace + np.random.default_rng(0).normal(scale=tie.trace.std(), size=t.size)
    s, _ = _synthetic(tie.on_axis.impedance, tie.synthetic.mask_after, ricker(25.0, DT, 0.128))
    for max_strain in (0.02, 0.05):
        times, shift = _drift_dtw(s, noisy, tie.synthetic.mask_after, DT, window=0.2,
                                  max_drift=0.02, max_strain=max_strain)
        assert np.max(np.abs(np.diff(shift) / np.diff(times))) <= max_strain * (1 + 1e-6)


@pytest.mark.parametrize("max_strain", [0.02, 0.05])
def test_smooth_dynamic_warping_recovers_the_drift_within_its_strain(line, max_strain):
    """drift="sdw": quarter-sample lags at knots, linear between them. It follows the true
    drift (strain 0.0083) to within the truth's own rounding to whole samples (the reflections sit
    on samples), and its raw path's slope never exceeds max_strain, also on a noisy trace."""
    from impedance_sklearn.welltie import _drift_sdw, _synthetic

    t, traces, well, true = line
    tie = tie_well(well, traces, t, frequency=25.0, drift="sdw", max_strain=max_strain)
    total = tie.shift + tie.drift.shift
    expected = true(tie.drift.time) - tie.drift.time
    assert np.max(np.abs(total - expected)) < 1.5 * DT
    assert tie.correlation["after"] > 0.95
    noisy = tie.trace + np.random.default_rng(1).normal(scale=tie.trace.std(), size=t.size)
    s, _ = _synthetic(tie.on_axis.impedance, tie.synthetic.mask_after, ricker(25.0, DT, 0.128))
    times, shift = _drift_sdw(s, noisy, tie.synthetic.mask_after, DT, window=0.2,
                              max_drift=0.02, max_strain=max_strain)
    assert np.max(np.abs(np.diff(shift) / np.diff(times))) <= max_strain * (1 + 1e-9)
    # quarter-sample steps: not only whole samples
    assert np.any(np.abs(shift / DT - np.round(shift / DT)) > 0.1)


def test_smooth_dynamic_warping_follows_a_steep_drift():
    """A drift of 20 ms over 1.2 s (strain 0.017) under max_strain=0.05: followed to a sample."""
    t = DT * np.arange(700)
    z = _earth(0)
    true = lambda tt: tt + 0.01 + 0.020 * np.clip((tt - 0.8) / 1.2, 0, 1)  # noqa: E731
    well = Bunch(time=t[200:500], impedance=z[200:500], seismic=None)
    tie = tie_well(well, _seismic(z, true, t), t, frequency=25.0, drift="sdw", max_strain=0.05)
    total = tie.shift + tie.drift.shift
    assert np.max(np.abs(total - (true(tie.drift.time) - tie.drift.time))) < 1.5 * DT
    assert 0.02 < tie.velocity_change <= 0.05 / 0.95


def test_a_survey_that_starts_late_gets_the_drift_at_its_times(line):
    t, traces, well, true = line
    late = Bunch(time=well.time + 2.0, impedance=well.impedance, seismic=None)
    tie = tie_well(late, traces, t + 2.0, frequency=25.0)
    total = tie.shift + tie.drift.shift
    expected = true(tie.drift.time - 2.0) - (tie.drift.time - 2.0)
    assert tie.drift.time.min() > 2.0 and np.max(np.abs(total - expected)) < 1.5 * DT


def test_given_position_is_used(line):
    t, traces, well, _ = line
    tie = tie_well(well, traces, t, position=2, frequency=25.0)
    assert tie.position == 2 and not tie.confident  # another earth: no better than the null
    assert tie.correlation["bulk"] <= tie.null


def test_dominant_frequency_of_a_ricker():
    x = np.zeros(512)
    x[256] = 1.0
    assert dominant_frequency(np.convolve(x, ricker(30.0, DT, 0.2), "same"), DT) == \
        pytest.approx(30.0, abs=2.0)


def test_bad_input(line):
    t, traces, well, _ = line
    late = Bunch(time=well.time + 10.0, impedance=well.impedance, seismic=None)
    with pytest.raises(ValueError, match="is the well's time right"):
        tie_well(late, traces, t)
    with pytest.raises(ValueError, match="position 9 is outside"):
        tie_well(well, traces, t, position=9)
    with pytest.raises(ValueError, match="samples"):
        tie_well(well, traces[:, :-1], t)
    bad = traces.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        tie_well(well, bad, t)


def _segy(path, traces, inlines):
    import segyio

    spec = segyio.spec()
    spec.format, spec.samples = 5, np.arange(traces.shape[1]) * DT * 1e3
    spec.ilines, spec.xlines, spec.sorting = list(inlines), [7], 2
    with segyio.create(str(path), spec) as f:
        for i, (il, tr) in enumerate(zip(inlines, traces)):
            f.header[i] = {segyio.TraceField.INLINE_3D: il, segyio.TraceField.CROSSLINE_3D: 7}
            f.trace[i] = tr.astype(np.float32)
        f.bin.update(hdt=int(DT * 1e6))


def test_tie_command_writes_a_tie_that_load_well_reads(tmp_path, line, capsys):
    t, traces, well, _ = line
    _segy(tmp_path / "line.sgy", traces, range(100, 109))
    rows = "\n".join(f"{tt * 1e3:.3f};0;{z:.6f}" for tt, z in zip(well.time, well.impedance))
    (tmp_path / "log.csv").write_text("time_ms;seismic;impedance\n" + rows + "\n")
    out = tmp_path / "tie.csv"
    args = ["tie", "--well", str(tmp_path / "log.csv"), "--survey", str(tmp_path / "line.sgy"),
            "--out", str(out), "--figure", str(tmp_path / "tie.png")]
    # neither coordinates nor a location: refused, naming the ways to place the well
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "--well-xy X Y, --well-location INLINE CROSSLINE, or --search" in err
    assert not out.exists() and not (tmp_path / "tie.png").exists()
    assert cli.main(args + ["--search"]) == 0
    printed = capsys.readouterr().out
    assert "(inline 105, crossline 7; searched, 9 traces)" in printed
    tie = tie_well(well, traces, t)
    assert f"bulk shift {tie.shift * 1e3:+.1f} ms" in printed
    tied = load_well(out)
    assert tied.time[0] == pytest.approx(well.time[0] + 0.016, abs=1.5 * DT)
    np.testing.assert_allclose(tied.seismic, traces[5][np.isin(np.round(t, 6),
                                                              np.round(tied.time, 6))],
                               rtol=1e-6)
    assert (tmp_path / "tie.png").stat().st_size > 10_000
    # at another trace: no better than chance; exit 1 and nothing written
    out2 = tmp_path / "tie2.csv"
    assert cli.main(["tie", "--well", str(tmp_path / "log.csv"), "--survey",
                     str(tmp_path / "line.sgy"), "--well-location", "102", "7",
                     "--out", str(out2)]) == 1
    assert "no better than chance" in capsys.readouterr().err and not out2.exists()
    assert cli.main(["tie", "--well", str(tmp_path / "log.csv"), "--survey",
                     str(tmp_path / "line.sgy"), "--well-location", "99", "7",
                     "--out", str(out2)]) == 2
    assert "outside the survey" in capsys.readouterr().err


def test_penobscot_l30_ties_at_inline_1182(tmp_path, capsys):
    from conftest import shared_file

    las, sgy = shared_file("penobscot_L-30.las"), shared_file("penobscot_xl1155.sgy")
    out = tmp_path / "L30.csv"
    assert cli.main(["tie", "--well", str(las), "--survey", str(sgy), "--out", str(out)]) == 2
    assert "--time-at-top" in capsys.readouterr().err and not out.exists()
    assert cli.main(["tie", "--well", str(las), "--survey", str(sgy), "--time-at-top", "0.4106",
                     "--search", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    # the facts: inline 1182, 12 ms, r about 0.5 against a null <= 0.35, 0.72 after
    assert "inline 1182, crossline 1155" in printed and "bulk shift +12.0 ms" in printed
    tied = load_well(out)
    assert 0.96 < tied.time[0] < 0.99 and 2.8 < tied.time[-1] < 2.85
    from impedance_sklearn.io import read_traces

    s = read_traces(sgy)
    tie = tie_well(load_well(las, time_at_top=0.4106), s.X, s.time)
    # the Ricker that ties best (20 Hz here), positive polarity; the null searched the same
    # wavelets and both polarities
    assert tie.polarity == 1 and tie.frequency == 20.0 and tie.shift == pytest.approx(0.012)
    assert tie.correlation["bulk"] > tie.null + 0.08 and tie.correlation["after"] > 0.7


def test_time_depth_tables_name_their_units(tmp_path):
    from impedance_sklearn.io.timedepth import read_time_depth

    (tmp_path / "a.csv").write_text("depth_ft,twt_ms\n1000,500\n2000,700\n")
    a = read_time_depth(tmp_path / "a.csv")
    np.testing.assert_allclose(np.column_stack([a.depth, a.time]), [[304.8, 0.5], [609.6, 0.7]])
    (tmp_path / "b.csv").write_text("depth_m;twt_s\n100;0.5\n200;0.6\n")
    b = read_time_depth(tmp_path / "b.csv")
    np.testing.assert_allclose(np.column_stack([b.depth, b.time]), [[100, 0.5], [200, 0.6]])
    for name, text, match in (("c.csv", "depth,twt\n1,2\n3,4\n", "does not name the columns"),
                              ("d.csv", "depth_m,twt_s\n100,0.6\n200,0.5\n",
                               "does not increase with depth between rows 2 and 3"),
                              ("e.csv", "depth_m,twt_s\n100,x\n200,0.5\n", "row 2: '100,x'"),
                              ("f.csv", "depth_m,twt_s\n100,0.5\n", "fewer than 2")):
        (tmp_path / name).write_text(text)
        with pytest.raises(ValueError, match=match):
            read_time_depth(tmp_path / name)


def test_time_depth_tables_as_delivered(tmp_path):
    """No header, unsorted and repeated rows (as F3's checkshots come): read, sorted, merged,
    every assumption said; contradictions refused naming the rows; units overridable."""
    from impedance_sklearn.io.timedepth import read_time_depth

    path = tmp_path / "cs.txt"
    path.write_text("30\t0\n500\t0.5\n500\t0.5\n900\t0.8\n700\t0.7\n")
    td = read_time_depth(path)
    np.testing.assert_array_equal(td.depth, [30, 500, 700, 900])
    np.testing.assert_array_equal(td.time, [0, 0.5, 0.7, 0.8])
    assert "read as depth (m, the log's unit) then two-way time (s: every value is below 20)" \
        in td.notes[0]
    assert "row 5 out of order" in td.notes[1] and "rows 2 and 3 repeat depth 500" in td.notes[2]
    ms = tmp_path / "ms.txt"
    ms.write_text("100 400\n200 600\n")  # a value >= 20: milliseconds
    assert read_time_depth(ms).time.tolist() == [0.4, 0.6]
    ft = read_time_depth(ms, depth_unit="ft", time_unit="ms")
    np.testing.assert_allclose(ft.depth, [30.48, 60.96])
    assert "depth (ft, given)" in ft.notes[0] and "(ms, given)" in ft.notes[0]
    for text, match in (("100 0.5\n100 0.6\n200 0.7\n", "rows 1 and 2 give depth 100 different "
                         "times"),
                        ("100 0.5\n200 0.4\n", "between rows 1 and 2"),
                        ("100 0.5\n200 0.6\nabc 0.7\n", "row 3: 'abc 0.7' is not two numbers"),
                        ("100 0.5 7\n", "row 1: '100 0.5 7' has 3 values")):
        path.write_text(text)
        with pytest.raises(ValueError, match=match):
            read_time_depth(path)


def test_train_refuses_a_las_well_without_a_time_reference(tmp_path, capsys):
    from test_wells import _write_las

    depth = np.arange(1000.0, 3000.0, 1.0)
    _write_las(tmp_path / "w.las", depth, np.full(depth.size, 100.0), np.full(depth.size, 2.3))
    _segy(tmp_path / "s.sgy", np.random.default_rng(0).normal(size=(3, 100)), range(1, 4))
    args = ["train", "--wells", str(tmp_path / "w.las"), "--survey", str(tmp_path / "s.sgy"),
            "--well-location", "2", "7", "--model", "colored", "--out", str(tmp_path / "m")]
    assert cli.main(args) == 2
    assert "--time-at-top SECONDS" in capsys.readouterr().err and not (tmp_path / "m").exists()
    assert cli.main(args + ["--time-at-top", "0.1", "--time-depth", "x.csv"]) == 2
    assert "not both" in capsys.readouterr().err


def test_reversed_polarity_is_found_and_tested_against_the_null(line):
    """The seismic of the line negated (F3's polarity): polarity="auto" finds -1 with the same
    shift and correlation as +1 on the original; the null searches both polarities, so it is at
    least the +1-only null; forced to +1, the tie finds no good match."""
    t, traces, well, true = line
    plus = tie_well(well, traces, t, frequency=25.0, polarity=1)
    minus = tie_well(well, -traces, t, frequency=25.0)
    assert plus.polarity == 1 and minus.polarity == -1 and minus.confident
    assert minus.position == plus.position == 5 and minus.shift == plus.shift
    assert minus.correlation["bulk"] == pytest.approx(plus.correlation["bulk"], abs=1e-12)
    assert minus.null >= tie_well(well, -traces, t, frequency=25.0, polarity=-1).null
    forced = tie_well(well, -traces, t, frequency=25.0, polarity=1)
    assert forced.correlation["bulk"] < minus.correlation["bulk"] - 0.2  # a half-cycle skip
    # the estimated wavelet carries the polarity: a negated Ricker
    w = minus.wavelet.amplitude
    assert w[np.argmax(np.abs(w))] < 0


def test_the_band_is_estimated_from_the_data(line):
    """Without a frequency the tie tries the Ricker frequencies and keeps the one that ties
    best: the line is made with a 25 Hz Ricker."""
    t, traces, well, true = line
    tie = tie_well(well, traces, t)
    assert tie.frequency == 25.0 and tie.wavelet_used == "ricker" and tie.position == 5
    w = statistical_wavelet(traces, DT, 33)
    assert w.shape == (33,) and int(np.argmax(w)) == 16 and w.max() == pytest.approx(1.0)
