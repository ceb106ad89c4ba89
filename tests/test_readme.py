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
    # four layers -> three impedance steps on the time grid, and a seismogram with energy
    assert len(np.unique(np.round(imp[0], 6))) == 4
    assert np.abs(seis).max() > 0.01


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
