"""Blind wells: leave_one_well_out, LeaveOneGroupOut over well windows, the blind command."""

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import LeaveOneGroupOut, cross_validate
from sklearn.utils import Bunch

from impedance_sklearn import cli
from impedance_sklearn.estimators.baselines import ColoredInversion
from impedance_sklearn.estimators.lowfreq import LowFrequencyModel
from impedance_sklearn.estimators.windowed import WindowedRegressor
from impedance_sklearn.evaluation.blind import band_pass, blind_scores, leave_one_well_out
from impedance_sklearn.io.pairs import survey_well_windows
from impedance_sklearn.physics import reflectivity
from impedance_sklearn.physics.wavelets import ricker

DT = 0.004


@pytest.fixture(scope="module")
def line():
    """A line of 40 traces: ln Z a lateral ramp plus random layers, the seismic its Ricker
    synthetic; three wells at traces 5, 20 and 35, logged over different intervals."""
    rng = np.random.default_rng(0)
    n_tr, n = 40, 300
    t = DT * np.arange(n)
    layers = np.cumsum(rng.normal(0, 0.04, n))
    lnz = np.log(4.0) + 0.3 * t[None] + 0.004 * np.arange(n_tr)[:, None] + layers[None]
    Z = np.exp(lnz)
    X = np.array([np.convolve(reflectivity(z[None], pad=True)[0], ricker(25, DT, 0.128), "same")
                  for z in Z])
    heads = Bunch(inlines=np.arange(100, 100 + n_tr), crosslines=np.full(n_tr, 7))
    survey = Bunch(X=X, dt=DT, t0=0.0, time=t, scale=1.0, path="line.sgy", segy=heads)
    wells = []
    for k, (a, b) in zip((5, 20, 35), ((40, 260), (60, 280), (30, 240))):
        tt = np.arange(t[a], t[b], 0.001)
        wells.append(Bunch(time=tt, impedance=np.interp(tt, t, Z[k]), seismic=None,
                           name=f"W{k}"))
    return survey, wells, [5, 20, 35], Z


def test_references_by_hand(line):
    """The background alone is the low-frequency model of the two other wells at the blind
    well's position; the bound is its 8-60 Hz band of the blind log on that background."""
    survey, wells, locs, Z = line
    res = leave_one_well_out({"colored": ColoredInversion(max_lag=2)}, wells, survey, locs,
                             window=32)
    pairs = survey_well_windows(wells, survey, locations=locs, window=32)
    times, logs = [], []
    for g in (1, 2):  # each training well's samples once (its windows overlap)
        T = pairs.t0[pairs.groups == g][:, None] + DT * np.arange(32)
        key, first = np.unique(np.round(T.ravel() / DT).astype(int), return_index=True)
        times.append(T.ravel()[first])
        logs.append(pairs.y[pairs.groups == g].ravel()[first])
    bg = LowFrequencyModel().fit(times, logs, positions=np.array([120.0, 135.0]))
    t, trend, truth = res.predictions[("W5", "background alone")]
    k = np.round(t / DT).astype(int)  # the samples the log covers (its ends half-covered)
    assert k[0] in (40, 41) and k[-1] in (258, 259) and np.all(np.diff(k) == 1)
    from impedance_sklearn.io import well_on_time_axis

    np.testing.assert_allclose(truth, well_on_time_axis(wells[0], survey.time).impedance[k])
    assert np.max(np.abs(truth / Z[5, k] - 1)) < 0.03  # 4 ms bins of the 1 ms log
    expected = bg.predict(t[None], np.array([105.0]))[0]
    np.testing.assert_allclose(trend, expected, rtol=1e-6)
    _, bound, _ = res.predictions[("W5", "bound: the log's 8-60 Hz on the background")]
    np.testing.assert_allclose(bound, np.exp(np.log(expected) + band_pass(np.log(truth), DT)),
                               rtol=1e-6)
    row = [r for r in res.rows if r["well"] == "W5" and r["model"] == "colored"][0]
    _, pred, _ = res.predictions[("W5", "colored")]
    assert row["rel_l2"] == pytest.approx(np.linalg.norm(pred - truth) / np.linalg.norm(truth))
    # the synthetic line inverts well: the band is right at every blind well
    assert all(r["band_pcc"] > 0.9 for r in res.rows if r["model"] == "colored")
    assert [r["well"] for r in res.rows].count("W20") == 3


def test_blind_scores_against_numpy():
    rng = np.random.default_rng(1)
    a, b = 5 + rng.normal(size=300), 5 + rng.normal(size=300)
    s = blind_scores(a, b, DT)
    assert s["raw_pcc"] == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert s["rel_l2"] == pytest.approx(np.linalg.norm(a - b) / np.linalg.norm(b))
    with pytest.raises(ValueError, match="1-D of one shape"):
        blind_scores(a, b[:10], DT)


def test_wells_are_groups_for_leave_one_group_out(line):
    """cross_validate with LeaveOneGroupOut over the windows' wells: each fold's background
    holds the two other wells only, and its score is the r2 of the blind well's windows with
    their own times and positions (routed as metadata), as computed by hand."""
    survey, wells, locs, _ = line
    pairs = survey_well_windows(wells, survey, locations=locs, window=32)
    with sklearn.config_context(enable_metadata_routing=True):
        est = WindowedRegressor(ColoredInversion(max_lag=2), window=32, dt=DT,
                                background=LowFrequencyModel())
        est.set_fit_request(t0=True, positions=True).set_score_request(t0=True, positions=True)
        cv = cross_validate(est, pairs.X, pairs.y, cv=LeaveOneGroupOut(),
                            params={"t0": pairs.t0, "positions": pairs.positions,
                                    "groups": pairs.groups}, return_estimator=True)
    for g, fitted in enumerate(cv["estimator"]):
        others = sorted({100.0 + k for k in locs} - {100.0 + locs[g]})
        assert sorted(fitted.background_.well_positions_.ravel().tolist()) == others
        m = pairs.groups == g
        by_hand = fitted.score(pairs.X[m], pairs.y[m], t0=pairs.t0[m],
                               positions=pairs.positions[m])
        assert cv["test_score"][g] == pytest.approx(by_hand)
    assert np.all(np.isfinite(cv["test_score"]))


def test_blind_command(tmp_path, line, capsys):
    """The command on tie files that record their traces: the table, the files, the figure."""
    from test_welltie import _segy

    from impedance_sklearn.io.wells import write_tie

    survey, wells, locs, Z = line
    _segy(tmp_path / "line.sgy", survey.X, range(100, 140))
    paths = []
    for w, k in zip(wells, locs):
        on = np.arange(np.ceil(w.time[0] / DT), np.floor(w.time[-1] / DT) + 1).astype(int)
        p = tmp_path / f"{w.name}.csv"
        write_tie(p, on * DT, survey.X[k, on], Z[k, on], location={"well": w.name, "trace": k})
        paths.append(str(p))
    out, fig = tmp_path / "blind.md", tmp_path / "blind.png"
    args = ["blind", "--wells", *paths, "--survey", str(tmp_path / "line.sgy"), "--models",
            "colored", "--window", "32", "--out", str(out), "--figure", str(fig), "-q"]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert "| model " in printed and "W5 blind" in printed and "background alone" in printed
    assert "W5" in out.read_text() and fig.stat().st_size > 20_000
    assert (tmp_path / "blind.csv").exists()
    assert cli.main(args) == 2  # the table exists: nothing overwritten without --force
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["blind", "--wells", paths[0], "--survey", str(tmp_path / "line.sgy")]) == 2
    assert "at least 2 wells" in capsys.readouterr().err


def test_bad_well_input_is_refused_and_nothing_written(tmp_path, line, capsys):
    """A well farther than the limit from every trace, a time-depth table with text in a row,
    training wells that share no sampling with the survey: a clear message, exit 2, no file."""
    import lasio
    from test_welltie import _segy

    from impedance_sklearn.io.wells import write_tie

    survey, wells, locs, Z = line
    sgy = tmp_path / "line.sgy"
    _segy(sgy, survey.X, range(100, 140))
    # the line carries no coordinates: a LAS with X/Y cannot be placed on it
    las = lasio.LASFile()
    las.well["LOC"] = lasio.HeaderItem("LOC", value="X = 606554.0 Y = 6080126.0")
    depth = np.arange(100.0, 1000.0, 0.5)
    las.append_curve("DEPT", depth, unit="m")
    las.append_curve("DT", 400 + 50 * np.sin(depth), unit="us/m")
    las.append_curve("RHOB", 2200 + 30 * np.cos(depth / 3), unit="kg/m3")
    las.write(str(tmp_path / "w.las"), version=2.0)
    (tmp_path / "cs.txt").write_text("100 0.1\n500 0.5\nabc 0.7\n")
    out = tmp_path / "tie.csv"
    base = ["tie", "--well", str(tmp_path / "w.las"), "--survey", str(sgy), "--out", str(out)]
    assert cli.main(base + ["--time-depth", str(tmp_path / "cs.txt")]) == 2
    assert "row 3: 'abc 0.7' is not two numbers" in capsys.readouterr().err
    (tmp_path / "cs.txt").write_text("100 0.1\n500 0.5\n900 0.8\n")
    assert cli.main(base + ["--time-depth", str(tmp_path / "cs.txt")]) == 2
    assert "carry no coordinates (CDP X/Y): pass --well-location" in capsys.readouterr().err
    assert not out.exists()
    # training wells whose logs lie outside the survey's time
    far = tmp_path / "late.csv"
    write_tie(far, 5.0 + DT * np.arange(50), np.ones(50), np.full(50, 5.0),
              location={"well": "late", "trace": 3})
    model = tmp_path / "m.model"
    assert cli.main(["train", "--wells", str(far), str(far), "--survey", str(sgy), "--model",
                     "colored", "--out", str(model)]) == 2
    assert "share no sample" in capsys.readouterr().err and not model.exists()
