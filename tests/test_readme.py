"""The README's quick examples run as written, and print what their comments say.

The examples that train the CNN on 520 traces (the tour, the CNN and baseline sections) take
minutes and are exercised by the estimator tests instead; those that need files the user has
(.mat, SEG-Y, the paper's weights) are covered by the loader and SEG-Y tests.
"""

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks():
    """{heading: [python code blocks under it]} for the README's ```python blocks."""
    text = README.read_text()
    out = {}
    for m in re.finditer(r"```python\n(.*?)```", text, re.S):
        heading = [ln for ln in text[: m.start()].splitlines() if ln.startswith("#")][-1]
        out.setdefault(heading.lstrip("#").strip(), []).append(m.group(1))
    return out


BLOCKS = _blocks()


def _run(code, tmp_path, monkeypatch, **namespace):
    """Execute ``code`` in ``tmp_path``; return its namespace and what it printed."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, str(README), "exec"), namespace)
    return namespace, buf.getvalue().splitlines()


def _numbers(line):
    return [float(t) for t in re.findall(r"-?\d+\.\d+(?:e-?\d+)?|-?\d+", line)]


def test_metrics_example_prints_its_comments(tmp_path, monkeypatch):
    (code,) = BLOCKS["The paper's metrics (`impedance_sklearn.metrics`)"]
    _, printed = _run(code, tmp_path, monkeypatch)
    comments = [ln.split("#", 1)[1] for ln in code.splitlines() if ln.startswith("print(")]
    assert len(printed) == len(comments) == 5
    for out, comment in zip(printed, comments):
        # the value is the comment's first chunk: "[0.2 0.3]   (RMSE ...", "0.5: trace 1 ..."
        chunk = comment.strip().split("  ")[0].split(":")[0]
        got = _numbers(out)
        assert got, out
        np.testing.assert_allclose(got, _numbers(chunk)[: len(got)], atol=1e-3, err_msg=comment)


def test_scorers_example_prints_its_comments(tmp_path, monkeypatch):
    (code,) = BLOCKS["Scorers for `cross_validate` and `GridSearchCV`"]
    ns, printed = _run(code, tmp_path, monkeypatch)
    pcc, l2 = _numbers(printed[0])
    assert pcc == pytest.approx(0.980, abs=5e-4) and l2 == pytest.approx(-0.0046, abs=5e-5)
    assert ns["grid"].best_params_ == {"alpha": 0.001}


def test_physics_example(tmp_path, monkeypatch):
    (code,) = BLOCKS["Physics and synthetic data"]
    ns, _ = _run(code, tmp_path, monkeypatch)
    seis, imp = ns["seis"], ns["imp"]
    assert seis.shape == imp.shape == (1, 200)
    vp, rho, dt, w = ns["vp"][0], ns["rho"][0], ns["dt"], ns["w"]
    Z = vp * rho
    # layer tops at two-way times 0, 8, 14.67 and 22.07 ms (10 m layers) = 18.2, 33.4, 50.3
    # samples; depth_to_time's 'next' labels (t_{k-1}, t_k] with layer k
    t = np.cumsum(np.r_[0.0, 2 * 10.0 / vp[:-1]])
    assert t[1:] / dt == pytest.approx([18.234, 33.428, 50.311], abs=1e-3)
    expected = np.full(200, Z[3])
    expected[0], expected[1:19], expected[19:34] = Z[0], Z[1], Z[2]
    np.testing.assert_array_equal(imp[0], expected)
    # the first arrival: the top reflection, r1 = (Z1 - Z0) / (Z1 + Z0) = 0.1129, times the
    # (causal) wavelet delayed by 8 ms, alone until the second one at 14.67 ms
    r1 = (Z[1] - Z[0]) / (Z[1] + Z[0])
    assert r1 == pytest.approx(0.1129, abs=1e-4)
    n = 8192
    f = np.fft.rfftfreq(n, dt)
    delayed = np.fft.irfft(np.fft.rfft(w, n) * np.exp(-2j * np.pi * f * t[1]), n)
    peak = np.abs(seis).max()
    assert np.abs(seis[0, :18]).max() < 0.01 * peak  # nothing before 8 ms
    np.testing.assert_allclose(seis[0, :33], r1 * delayed[:33], rtol=0, atol=0.005 * peak)


def test_npz_example_round_trip(tmp_path, monkeypatch):
    (code,) = BLOCKS["The package's own data sets: `save_npz` / `load_npz`"]
    rng = np.random.default_rng(0)
    X0, y0 = rng.normal(size=(5, 7)), 5 + rng.random((5, 7))
    ns, _ = _run(code, tmp_path, monkeypatch, X=X0.copy(), y=y0.copy())
    np.testing.assert_array_equal(ns["X"], X0)
    np.testing.assert_array_equal(ns["y"], y0)
    assert ns["meta"] == {"dt": 4.3875e-4, "scale": 1e6}


def test_figures_example_writes_a_png(tmp_path, monkeypatch):
    (code,) = BLOCKS["Figures (`impedance_sklearn.plotting`)"]
    import matplotlib.pyplot as plt

    ns, _ = _run(code, tmp_path, monkeypatch)
    png = tmp_path / "traces.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ns["fig"].axes  # the section figure, the last one made
    plt.close("all")
