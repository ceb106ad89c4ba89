"""Behaviours of the well tie, the LAS reader, the low-frequency model and the well commands,
pinned (issue 32, item 9): each test checks real numbers against a computation made here by hand
(numpy, scipy), and benchmarks/mutations.py plants the bug each one guards against."""

import json
import re

import numpy as np
import pytest
from scipy.ndimage import gaussian_filter1d
from scipy.ndimage import shift as nd_shift
from sklearn.utils import Bunch

from impedance_sklearn.io import well_on_time_axis

DT = 0.004


def _ricker(f, n):
    """Zero-phase Ricker of n (odd) samples at DT, time zero at the centre: by hand."""
    t = (np.arange(n) - n // 2) * DT
    a = (np.pi * f * t) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def _delay(a, k):
    """``a`` delayed by k samples (later for k > 0), zero-filled."""
    out = np.zeros_like(a)
    if k >= 0:
        out[k:] = a[:a.size - k]
    else:
        out[:k] = a[-k:]
    return out


def _pearson(a, b):
    a, b = a - a.mean(), b - b.mean()
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


def _earth(rng, n):
    return np.exp(1.5 + 0.02 * np.cumsum(rng.normal(size=n)) + 0.03 * rng.normal(size=n))


def _synthetic_by_hand(z, mask, f=25.0, n_w=33):
    """Reflectivity (Z_j - Z_j-1) / (Z_j + Z_j-1) inside the mask (zero outside and at the
    log's first sample), convolved with a centred Ricker."""
    inside = np.flatnonzero(mask)
    r = np.zeros(z.size)
    j = np.arange(inside[0] + 1, inside[-1] + 1)
    r[j] = (z[j] - z[j - 1]) / (z[j] + z[j - 1])
    return np.convolve(r, _ricker(f, n_w), mode="same")


# --- the null test at a given position ---------------------------------------------------

def test_null_test_at_a_given_position_searches_only_that_trace():
    """Row 1 is the well's trace (the log 16 ms late, noisy); row 0 holds the log's synthetic
    displaced by 300 ms, one of the null test's own displacements, so a null searched over row 0
    would be 1. At position=1 the null is the best correlation, over the displacements of
    0.2-0.6 s either way and the bulk shifts of +-40 ms, with row 1 only (computed here)."""
    from impedance_sklearn.welltie import tie_well

    rng = np.random.default_rng(3)
    n = 700
    t = DT * np.arange(n)
    z = _earth(rng, n)
    well = Bunch(time=t[200:500], impedance=z[200:500], seismic=None)
    mask = well_on_time_axis(well, t).mask
    synth = _synthetic_by_hand(z, mask)
    traces = np.stack([_delay(synth, 75),
                       _delay(synth, 4) + 0.3 * synth.std() * rng.normal(size=n),
                       _synthetic_by_hand(_earth(rng, n), mask)])
    tie = tie_well(well, traces, t, position=1, frequency=25.0, max_shift=0.04,
                   null_shifts=(0.2, 0.6))

    lags = range(-10, 11)
    offsets = [50, 62, 75, 87, 100, 112, 125, 138, 150]  # round(linspace(0.2, 0.6, 9) / dt)

    def best(rows, displacements):
        out = -1.0
        for o in displacements:
            m_o = _delay(mask, o)
            if m_o.sum() < 16:
                continue
            for L in lags:
                m = _delay(m_o, L)
                s = _delay(_delay(synth, o), L)
                out = max(out, *(_pearson(s[m], traces[k][m]) for k in rows))
        return out

    null_here = best([1], [*offsets, *(-o for o in offsets)])
    null_all = best([0, 1, 2], [75])
    assert tie.position == 1 and tie.shift == pytest.approx(4 * DT)
    assert tie.correlation["bulk"] == pytest.approx(best([1], [0]), abs=1e-9)
    assert tie.null == pytest.approx(null_here, abs=1e-9)
    assert null_here < 0.5 < 0.999 < null_all  # the other trace would make the null certain
    assert tie.confident


# --- the dynamic time warping's error window ----------------------------------------------

def _dtw_by_hand(s, trace, mask, n_avg, L, b):
    """Hale's (2013) dynamic warping, written out: squared differences of the normalised
    trace and synthetic at every lag, averaged over n_avg (odd) samples (ends repeated),
    accumulated with the lag changing by at most one every b samples, backtracked, smoothed."""
    inside = np.flatnonzero(mask)
    i0, i1 = inside[0], inside[-1]
    x = trace[i0:i1 + 1]
    x = (x - x.mean()) / x.std()
    sn = (s - s[mask].mean()) / s[mask].std()
    lags = np.arange(-L, L + 1)
    e = np.stack([(x - _delay(sn, k)[i0:i1 + 1]) ** 2 for k in lags], axis=1)
    h = n_avg // 2
    padded = np.concatenate([np.repeat(e[:1], h, 0), e, np.repeat(e[-1:], h, 0)])
    c = np.concatenate([np.zeros((1, lags.size)), np.cumsum(padded, axis=0)])
    e = (c[n_avg:] - c[:-n_avg]) / n_avg
    n = e.shape[0]
    D = np.empty_like(e)
    D[0] = e[0]
    came = np.zeros((n, lags.size), dtype=int)
    for i in range(1, n):
        for j in range(lags.size):
            if i % b:
                D[i, j], came[i, j] = D[i - 1, j] + e[i, j], j
                continue
            options = [(D[i - 1, k], k) for k in (j - 1, j, j + 1) if 0 <= k < lags.size]
            cost, k = min(options)
            D[i, j], came[i, j] = cost + e[i, j], k
    path = np.empty(n, dtype=int)
    path[-1] = int(np.argmin(D[-1]))
    for i in range(n - 1, 0, -1):
        path[i - 1] = came[i, path[i]]
    shift = gaussian_filter1d(lags[path].astype(float), sigma=b / 2, mode="nearest") * DT
    return (i0 + np.arange(n)) * DT, np.clip(shift, -L * DT, L * DT)


def test_dtw_error_window_is_in_seconds():
    """drift="dtw" with window=0.044 s at dt = 4 ms averages the alignment errors over 11
    samples: the drift equals the warping written out here with an 11-sample running mean (and
    not with 1 sample, i.e. a window read as samples)."""
    from impedance_sklearn.welltie import _drift_dtw

    rng = np.random.default_rng(5)
    n = 400
    t = DT * np.arange(n)
    mask = (t >= 0.4) & (t < 1.2)
    s = _synthetic_by_hand(_earth(rng, n), mask)
    # the trace: the synthetic two samples late over the first half, two early over the second
    trace = np.where(t < 0.8, _delay(s, 2), _delay(s, -2)) + 0.8 * s.std() * rng.normal(size=n)
    times, shift = _drift_dtw(s, trace, mask, DT, window=0.044, max_drift=0.012,
                              max_strain=0.25)
    want_t, want = _dtw_by_hand(s, trace, mask, 11, 3, 4)
    np.testing.assert_allclose(times, want_t, atol=1e-12)
    np.testing.assert_allclose(shift, want, atol=1e-12)
    _, unaveraged = _dtw_by_hand(s, trace, mask, 1, 3, 4)
    assert np.max(np.abs(unaveraged - want)) > DT / 2  # the window does change the drift


# --- smooth dynamic warping between its knots ---------------------------------------------

def test_sdw_shift_between_knots_is_their_linear_blend():
    """drift="sdw" with two knots (100 log samples, max_strain=0.01: knots 100 samples apart)
    and a trace whose delay grows linearly from -0.5 to +0.25 samples: the path's two knot lags
    are the pair (within the strain bound) whose straight line, the lag at sample s between
    knots a and b being lag_a (b - s) / (b - a) + lag_b (s - a) / (b - a) rounded to the
    quarter-sample grid, has the least summed squared error. Found here by trying every pair."""
    from impedance_sklearn.welltie import _drift_sdw

    rng = np.random.default_rng(7)
    n = 300
    t = DT * np.arange(n)
    i0, n_log = 100, 100
    mask = np.zeros(n, dtype=bool)
    mask[i0:i0 + n_log] = True
    spikes = np.flatnonzero(mask)
    r = rng.normal(size=spikes.size) * 0.05

    def seismic(delay_samples):  # analytic Ricker at each spike, delayed by a fraction
        tau = (spikes + delay_samples) * DT
        a = (np.pi * 25.0 * (t[:, None] - tau[None, :])) ** 2
        return ((1 - 2 * a) * np.exp(-a)) @ r

    s = seismic(np.zeros(spikes.size))
    trace = seismic(-0.5 + 0.75 * (spikes - i0) / (n_log - 1))
    times, shift = _drift_sdw(s, trace, mask, DT, window=0.016, max_drift=0.008,
                              max_strain=0.01)

    lags = np.arange(-8, 9) / 4.0
    x = trace[mask]
    x = (x - x.mean()) / x.std()
    sn = (s - s[mask].mean()) / s[mask].std()
    e = np.stack([(x - nd_shift(sn, lag, order=3, mode="constant")[mask]) ** 2 for lag in lags],
                 axis=1)
    samples = np.arange(1, n_log)
    near_b = samples / (n_log - 1)  # the weight of knot b at each sample after knot a

    def best_pair(weight_b):
        best = (np.inf, None)
        for ia in range(lags.size):
            for ib in range(max(ia - 3, 0), min(ia + 3, lags.size - 1) + 1):
                idx = np.rint(ia * (1 - weight_b) + ib * weight_b).astype(int)
                best = min(best, (e[0, ia] + e[samples, idx].sum(), (ia, ib)))
        return best[1]

    ia, ib = best_pair(near_b)
    np.testing.assert_allclose(times, [(i0) * DT, (i0 + n_log - 1) * DT], atol=1e-12)
    np.testing.assert_allclose(shift, [lags[ia] * DT, lags[ib] * DT], atol=1e-12)
    assert (lags[ia], lags[ib]) == (-0.5, 0.25)  # the true delay at the two knots
    assert best_pair(1 - near_b) != (ia, ib)  # the weights swapped would pick another pair


# --- the low-frequency model's correlation length -----------------------------------------

def test_lowfreq_correlation_length_from_a_linear_autocorrelation():
    """The residuals of the trend hold one period of a cosine over the log. Their linear
    (zero-padded) autocorrelation, sum_i g_i g_i+k over the n - k overlapping samples, falls
    below 1/e at lag 61; the circular one (which wraps the log round) only at 77."""
    from impedance_sklearn.estimators.lowfreq import LowFrequencyModel

    n = 400
    t = 1.0 + DT * np.arange(n)
    lz = 1.2 + 0.3 * (t - 1.0) + 0.05 * np.cos(2 * np.pi * np.arange(n) / n)
    lfm = LowFrequencyModel(loss="squared").fit(t, np.exp(lz))
    g = lz - np.polyval(np.polyfit(t, lz, 1), t)
    g = g - g.mean()
    linear = np.array([g[:n - k] @ g[k:] for k in range(n)])
    circular = np.array([g @ np.roll(g, -k) for k in range(n)])
    first_below = lambda acf: int(np.flatnonzero(acf / acf[0] < np.exp(-1.0))[0])  # noqa: E731
    assert lfm.correlation_length_[0] == first_below(linear)
    assert (first_below(linear), first_below(circular)) == (61, 77)


# --- LAS sonic units ----------------------------------------------------------------------

def _las(path, depth_unit, depth, sonic_unit, sonic, density_unit, density):
    import lasio

    las = lasio.LASFile()
    las.well["WELL"].value = "UNITS-1"
    las.append_curve("DEPT", depth, unit=depth_unit)
    las.append_curve("DT", sonic, unit=sonic_unit)
    las.append_curve("RHOB", density, unit=density_unit)
    las.write(str(path), version=2.0)


def test_las_sonic_in_us_per_m_and_in_us_per_ft(tmp_path):
    """The same rock, logged in metres with a sonic in us/m and density in kg/m3, and in feet
    with us/ft and g/cc: 400 us/m (2,500 m/s) above 1,000 m, 250 us/m (4,000 m/s) below, the
    two-way time integrated by the trapezoid rule, impedance = density / slowness / 1e6."""
    from impedance_sklearn.io import load_well

    FT = 0.3048
    depth_m = np.arange(500.0, 1500.1, 5.0)
    slow_us_m = np.where(depth_m < 1000.0, 400.0, 250.0)
    rho = np.where(depth_m < 1000.0, 2200.0, 2500.0)
    _las(tmp_path / "m.las", "m", depth_m, "us/m", slow_us_m, "kg/m3", rho)
    _las(tmp_path / "ft.las", "ft", depth_m / FT, "us/ft", slow_us_m * FT, "g/cc", rho / 1000)
    s = slow_us_m * 1e-6  # s/m
    twt = 0.3 + 2.0 * np.concatenate([[0.0], np.cumsum(0.5 * (s[1:] + s[:-1]) * 5.0)])
    # by hand: 995 m at 400 us/m, one 5 m step at the mean, 500 m at 250 us/m
    assert twt[-1] == pytest.approx(0.3 + 2 * (495 * 400e-6 + 5 * 325e-6 + 500 * 250e-6))
    for name in ("m.las", "ft.las"):
        w = load_well(tmp_path / name, time_at_top=0.3)
        # (the feet file's numbers are written rounded: 1e-7)
        np.testing.assert_allclose(w.time, twt, rtol=1e-7, err_msg=name)
        np.testing.assert_allclose(w.impedance, rho / s / 1e6, rtol=1e-7, err_msg=name)
        assert w.impedance[0] == pytest.approx(5.5) and w.impedance[-1] == pytest.approx(10.0)


# --- the tie command: a refused tie writes nothing ----------------------------------------

def _segy(path, traces, inlines, crossline=7):
    """A 2-D line of float traces at DT (segyio), one trace per inline."""
    import segyio

    spec = segyio.spec()
    spec.format, spec.samples = 5, np.arange(traces.shape[1]) * DT * 1e3
    spec.ilines, spec.xlines, spec.sorting = list(inlines), [crossline], 2
    with segyio.create(str(path), spec) as f:
        for i, (il, tr) in enumerate(zip(inlines, traces)):
            f.header[i] = {segyio.TraceField.INLINE_3D: il,
                           segyio.TraceField.CROSSLINE_3D: crossline}
            f.trace[i] = np.asarray(tr, dtype=np.float32)
        f.bin.update(hdt=int(round(DT * 1e6)))


def test_refused_tie_writes_neither_the_tie_nor_the_figure(tmp_path, capsys):
    """At a trace that holds the log's synthetic only 300 ms away (where the null test looks)
    the tie is no better than its null: exit 1, and neither the tie CSV nor the QC figure
    exists afterwards. The same tie at the well's own trace is
    accepted and writes both (so the refusal is the tie's, not the files')."""
    from impedance_sklearn import cli

    rng = np.random.default_rng(11)
    n = 600
    t = DT * np.arange(n)
    z = _earth(rng, n)
    well = Bunch(time=t[150:450], impedance=z[150:450], seismic=None)
    mask = well_on_time_axis(well, t).mask
    synth = _synthetic_by_hand(z, mask)
    traces = np.stack([_synthetic_by_hand(_earth(rng, n), mask), _delay(synth, 3),
                       _delay(synth, -75)])
    traces += 0.05 * traces.std() * rng.normal(size=traces.shape)
    sgy = tmp_path / "line.sgy"
    _segy(sgy, traces, [10, 11, 12], crossline=5)
    rows = "\n".join(f"{tt * 1e3:.3f};0;{zz:.6f}" for tt, zz in zip(well.time, well.impedance))
    (tmp_path / "log.csv").write_text("time_ms;seismic;impedance\n" + rows + "\n")
    base = ["tie", "--well", str(tmp_path / "log.csv"), "--survey", str(sgy)]
    out, fig = tmp_path / "refused.csv", tmp_path / "refused.png"
    assert cli.main(base + ["--well-location", "12", "5", "--out", str(out),
                            "--figure", str(fig)]) == 1
    captured = capsys.readouterr()
    assert "no better than chance" in captured.err
    null = float(re.search(r"null test: at most (-?[0-9.]+)", captured.out).group(1))
    assert null > 0.6
    assert not out.exists() and not fig.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.sgy", "log.csv"]
    ok, ok_fig = tmp_path / "tie.csv", tmp_path / "tie.png"
    assert cli.main(base + ["--well-location", "11", "5", "--out", str(ok),
                            "--figure", str(ok_fig)]) == 0
    assert ok.exists() and ok_fig.exists()


# --- train --wells: the training scores use each window's own background ------------------

def test_train_wells_scores_use_each_windows_own_background(tmp_path, capsys):
    """Two tied wells (inlines 100 and 102) with steep, different ln Z trends, 32-sample
    windows. The scores that train prints (and records) are those of the inner model's
    relative prediction times each window's own background: the trend of its own well, fitted
    to it, at the window's own times exp(a0 + a1 (t - t_mean) / t_std), t = t0 + dt j."""
    from impedance_sklearn import cli
    from impedance_sklearn.estimators.persist import load_model

    rng = np.random.default_rng(13)
    n = 150
    t = DT * np.arange(n)
    traces = rng.normal(size=(3, n))
    traces = np.stack([np.convolve(tr, _ricker(30.0, 15), mode="same") for tr in traces])
    sgy = tmp_path / "line.sgy"
    _segy(sgy, traces, [100, 101, 102])
    logs = {}
    for name, (i0, i1, z0, slope) in {"a.csv": (50, 125, 4.0, 1.5),
                                       "b.csv": (25, 110, 6.0, -0.8)}.items():
        tt = t[i0:i1]
        zz = z0 * np.exp(slope * tt) * (1 + 0.05 * rng.normal(size=tt.size))
        rows = "\n".join(f"{a * 1e3:.3f};0;{b:.9g}" for a, b in zip(tt, zz))
        (tmp_path / name).write_text("time_ms;seismic;impedance\n" + rows + "\n")
        logs[name] = Bunch(time=tt, impedance=np.array([float(f"{b:.9g}") for b in zz]))
    out = tmp_path / "m.model"
    assert cli.main(["train", "--wells", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"),
                     "--survey", str(sgy), "--well-location", "100", "7", "--well-location",
                     "102", "7", "--model", "colored", "--window", "32", "-q",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    model = load_model(out)
    bg = model.background_
    X, Y, B, which = [], [], [], []
    for k, (log, row) in enumerate(zip(logs.values(), (0, 2))):
        on = well_on_time_axis(log, t)
        valid = np.flatnonzero(on.mask)
        for s in range(valid[0], valid[-1] - 32 + 2):  # every start of a full window
            times = t[s:s + 32]
            X.append(traces[row, s:s + 32])
            Y.append(on.impedance[s:s + 32])
            u = (times - bg.time_center_[k]) / bg.time_scale_[k]
            B.append(np.exp(bg.coef_[k, 0] + bg.coef_[k, 1] * u))
            which.append(k)
    X, Y, B = np.array(X), np.array(Y), np.array(B)
    P = model.estimator_.predict(X) * B
    pcc = np.mean([_pearson(y, p) for y, p in zip(Y, P)])
    rel_l2 = np.mean(np.sqrt(np.mean((P - Y) ** 2, axis=1)) / np.mean(np.abs(Y), axis=1))
    r2 = 1 - np.sum((P - Y) ** 2) / np.sum((Y - Y.mean()) ** 2)
    recorded = json.loads((tmp_path / "m.model.json").read_text())["training_scores"]
    assert recorded == pytest.approx({"pcc": pcc, "rel_l2": rel_l2, "r2": r2}, rel=1e-9)
    row = next(line for line in printed.splitlines() if line.startswith("| train"))
    assert f"| {pcc:.3f} " in row and f"| {rel_l2:.4f} " in row and f"| {r2:.3f} " in row
    # the background at the survey's start for every window would score apart
    B0 = np.exp(bg.coef_[:, :1] + bg.coef_[:, 1:] * (t[:32] - bg.time_center_[:, None])
                / bg.time_scale_[:, None])
    wrong = model.estimator_.predict(X) * B0[which]
    wrong_l2 = np.mean(np.sqrt(np.mean((wrong - Y) ** 2, axis=1)) / np.mean(np.abs(Y), axis=1))
    assert wrong_l2 > rel_l2 + 0.1
