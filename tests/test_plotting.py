"""Tests for impedance_sklearn.plotting: each figure is rendered to PNG and its content checked."""

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from impedance_sklearn.metrics import relative_l2, trace_pcc
from impedance_sklearn.plotting import (
    plot_error_distributions,
    plot_loss,
    plot_section,
    plot_traces,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def data(rng):
    n, L = 8, 120
    y = 5.0 + np.cumsum(rng.normal(scale=0.05, size=(n, L)), axis=1)
    p = y + rng.normal(scale=0.1, size=(n, L))
    X = np.diff(np.log(y), axis=1, prepend=np.log(y[:, :1])) * 10
    return X, y, p


def _render(fig, tmp_path, name="fig.png"):
    """Render with Agg to a PNG and check it is a real, non-blank image."""
    path = tmp_path / name
    fig.savefig(path, dpi=60)
    assert path.exists() and path.stat().st_size > 5_000
    img = plt.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    assert img[..., :3].std() > 0.05  # not a blank canvas
    return img


def test_module_does_not_import_matplotlib():
    code = (
        "import sys, impedance_sklearn.plotting, impedance_sklearn.metrics; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- plot_traces


def test_plot_traces_with_seismic(data, tmp_path):
    X, y, p = data
    fig = plot_traces(y, p, X=X, indices=[0, 3, 7], dt=0.004)
    _render(fig, tmp_path)
    axes = fig.axes
    assert len(axes) == 6  # (seismic, impedance) x 3
    seis, imp = axes[0::2], axes[1::2]
    for _k, (a_s, a_i, i) in enumerate(zip(seis, imp, [0, 3, 7])):
        assert a_s.get_title() == f"Seismic {i}"
        assert a_s.get_xlabel() == "Seismic"
        np.testing.assert_allclose(a_s.get_lines()[0].get_xdata(), X[i])
        lines = a_i.get_lines()
        assert [ln.get_label() for ln in lines] == ["True", "Predicted"]
        np.testing.assert_allclose(lines[0].get_xdata(), y[i])
        np.testing.assert_allclose(lines[1].get_xdata(), p[i])
        np.testing.assert_allclose(lines[0].get_ydata(), np.arange(120) * 4.0)  # ms
        assert a_i.get_title() == f"Trace {i}\nPCC {trace_pcc(y[i], p[i]):.3f}"
        assert a_i.get_xlabel() == "Impedance (10$^6$ kg m$^{-2}$ s$^{-1}$)"
    assert axes[0].get_ylabel() == "Time (ms)"
    bottom, top = axes[1].get_ylim()
    assert bottom > top  # time increases downwards
    assert top == pytest.approx(0.0) and bottom == pytest.approx(119 * 4.0)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["True", "Predicted"]


def test_plot_traces_default_selection_and_several_predictions(data, tmp_path):
    X, y, p = data
    fig = plot_traces(y, {"CNN": p, "baseline": y * 1.01}, n_traces=3, time=np.arange(120) * 4.0,
                      time_label="TWT (ms)")
    _render(fig, tmp_path)
    assert len(fig.axes) == 3
    assert [a.get_title() for a in fig.axes] == ["Trace 0", "Trace 4", "Trace 7"]  # spread out
    labels = [ln.get_label() for ln in fig.axes[0].get_lines()]
    assert labels == ["True", "CNN", "baseline"]
    assert fig.axes[0].get_ylabel() == "TWT (ms)"
    # distinct colours for the predictions
    colors = {to_rgba(ln.get_color()) for ln in fig.axes[0].get_lines()}
    assert len(colors) == 3


def test_plot_traces_one_trace_and_negative_index(data, tmp_path):
    X, y, p = data
    fig = plot_traces(y[2], p[2])  # 1-D = one trace
    _render(fig, tmp_path)
    assert len(fig.axes) == 1 and fig.axes[0].get_ylabel() == "Sample"
    fig = plot_traces(y, indices=[-1])
    assert fig.axes[0].get_title() == "Trace 7"
    assert len(fig.axes[0].get_lines()) == 1  # truth only
    assert fig.legends == []


def test_plot_traces_seismic_of_other_length(data):
    X, y, p = data
    fig = plot_traces(y, p, X=X[:, ::2], dt=0.004, indices=[1])
    seis_t = fig.axes[0].get_lines()[0].get_ydata()
    np.testing.assert_allclose(seis_t, np.arange(60) * 4.0)
    with pytest.raises(ValueError, match="give dt instead of time"):
        plot_traces(y, p, X=X[:, ::2], time=np.arange(120.0))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(y_pred=np.ones((8, 119))), r"shape \(8, 119\).*\(8, 120\)"),
        (dict(y_pred={}), "empty dict"),
        (dict(X=np.ones((7, 120))), "X has 7 traces"),
        (dict(indices=[8]), r"indices must lie in \[-8, 7\]"),
        (dict(indices=[0.5]), "sequence of ints"),
        (dict(n_traces=0), "n_traces must be a positive integer"),
        (dict(time=np.arange(10.0)), r"one value per sample, shape \(120,\)"),
        (dict(time=np.arange(120.0), dt=0.1), "either time or dt"),
        (dict(dt=-1.0), "dt must be a positive number"),
    ],
)
def test_plot_traces_bad_input(data, kwargs, match):
    X, y, p = data
    with pytest.raises(ValueError, match=match):
        plot_traces(y, **kwargs)


def test_plot_traces_rejects_nan(data):
    X, y, p = data
    p = p.copy()
    p[0, 0] = np.nan
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        plot_traces(y, p)


# ---------------------------------------------------------------- plot_loss


def _skorch_history(n_epochs=5, with_valid=True):
    from skorch.history import History

    h = History()
    for e in range(1, n_epochs + 1):
        h.new_epoch()
        h.record("epoch", e)
        h.record("train_loss", 1.0 / e)
        if with_valid:
            h.record("valid_loss", 1.5 / e + (0.2 if e == n_epochs else 0.0))
    return h


def test_plot_loss_from_skorch_history(tmp_path):
    h = _skorch_history()
    fig = plot_loss(h)
    _render(fig, tmp_path)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["train_loss", "valid_loss"]
    np.testing.assert_allclose(lines[0].get_xdata(), [1, 2, 3, 4, 5])
    np.testing.assert_allclose(lines[0].get_ydata(), h[:, "train_loss"])
    np.testing.assert_allclose(lines[1].get_ydata(), h[:, "valid_loss"])
    assert ax.get_yscale() == "log"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("Epoch", "Loss", "Loss")
    # best validation epoch marked: valid = 1.5/e, +0.2 at the last epoch -> best at epoch 4
    best = ax.collections[0].get_offsets()[0]
    np.testing.assert_allclose(best, [4, 1.5 / 4])
    assert "best valid_loss (epoch 4)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_loss_from_net_like_object_without_validation(tmp_path):
    class FakeNet:  # what plot_loss reads from a fitted skorch net
        history = _skorch_history(4, with_valid=False)

    fig = plot_loss(FakeNet(), log_scale=False, mark_best=False)
    _render(fig, tmp_path)
    ax = fig.axes[0]
    assert [ln.get_label() for ln in ax.get_lines()] == ["train_loss"]
    assert ax.get_yscale() == "linear"
    assert len(ax.collections) == 0


def test_plot_loss_from_dict_array_and_axes(tmp_path):
    fig, ax = plt.subplots()
    out = plot_loss({"mse": [4.0, 2.0, 1.0], "other": [3.0, 3.0, -1.0]}, ax=ax, title="MSE")
    assert out is fig
    assert [ln.get_label() for ln in ax.get_lines()] == ["mse", "other"]
    assert ax.get_yscale() == "linear"  # a non-positive value: no log axis
    assert ax.get_title() == "MSE"
    fig = plot_loss(np.array([3.0, 2.0, np.nan, 1.0]))  # divergence drawn as a gap
    _render(fig, tmp_path)
    (line,) = fig.axes[0].get_lines()
    assert line.get_label() == "loss" and len(line.get_xdata()) == 4


@pytest.mark.parametrize(
    "history, kwargs, match",
    [
        (
            _skorch_history(3, with_valid=False),
            dict(keys=["valid_loss"]),
            r"no \['valid_loss'\].*train_loss",
        ),
        ({"a": [1.0]}, dict(keys=["b"]), r"no \['b'\]; its keys are \['a'\]"),
        ({}, {}, "empty dict"),
        ({"a": [[1.0, 2.0]]}, {}, "1-D"),
        (np.ones((2, 2)), {}, "1-D"),
        ([np.nan, np.nan], {}, "no finite loss"),
        (object(), {}, "skorch net, a skorch History, a dict"),
    ],
)
def test_plot_loss_bad_input(history, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_loss(history, **kwargs)


# ---------------------------------------------------------------- plot_error_distributions


@pytest.fixture
def per_trace_scores(rng):
    y = rng.uniform(3, 9, size=(40, 30))
    sets = {"train": 0.05, "test": 0.2, "challenge": 0.6}
    out = {}
    for name, noise in sets.items():
        p = y + rng.normal(scale=noise, size=y.shape)
        out[name] = {
            "PCC": trace_pcc(y, p, per_trace=True),
            "relative L2": relative_l2(y, p, per_trace=True),
        }
    return out


def test_error_distributions_hist_several_metrics(per_trace_scores, tmp_path):
    fig = plot_error_distributions(per_trace_scores, title="CNN")
    _render(fig, tmp_path)
    assert len(fig.axes) == 2
    for ax, m, better in zip(fig.axes, ["PCC", "relative L2"], ["higher", "lower"]):
        assert ax.get_xlabel() == f"{m} ({better} is better)"
        assert ax.get_ylabel().startswith("Density")
        assert len(ax.patches) == 3  # one step histogram per set
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        assert texts == [
            f"{s}, {len(per_trace_scores[s][m])} traces (mean {per_trace_scores[s][m].mean():.3g})"
            for s in ["train", "test", "challenge"]
        ]
        # densities on common bins (each integrates to 1 whatever the size of its set)
        sets = [per_trace_scores[s][m] for s in ["train", "test", "challenge"]]
        edges = np.linspace(min(v.min() for v in sets), max(v.max() for v in sets), 31)
        for patch, values in zip(ax.patches, sets):
            density, _ = np.histogram(values, bins=edges, density=True)
            assert patch.get_xy()[:, 1].max() == pytest.approx(density.max())
    assert fig._suptitle.get_text() == "CNN"


@pytest.mark.parametrize("kind", ["box", "violin"])
def test_error_distributions_box_violin_single_metric(per_trace_scores, kind, tmp_path):
    scores = {s: d["PCC"] for s, d in per_trace_scores.items()}
    fig = plot_error_distributions(scores, metric="PCC", kind=kind)
    _render(fig, tmp_path)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == ["train", "test", "challenge"]
    assert ax.get_ylabel() == "PCC (higher is better)"
    if kind == "box":
        # boxplot(showmeans=True) draws one mean marker line per set, at the set's mean
        # (fliers are marked "o", means "^" by default)
        mean_y = sorted(ln.get_ydata()[0] for ln in ax.get_lines() if ln.get_marker() == "^")
        np.testing.assert_allclose(mean_y, sorted(v.mean() for v in scores.values()))
    else:
        assert len(ax.collections) >= 3  # one violin body per set


def test_error_distributions_on_given_axes(per_trace_scores):
    fig, ax = plt.subplots()
    out = plot_error_distributions({"a": [0.1, 0.2, 0.3]}, ax=ax, bins=5)
    assert out is fig and ax.get_xlabel() == "value"
    with pytest.raises(ValueError, match="ax can only be given for one metric"):
        plot_error_distributions(per_trace_scores, ax=ax)


@pytest.mark.parametrize(
    "scores, kwargs, match",
    [
        ({}, {}, "non-empty dict"),
        ([1, 2], {}, "non-empty dict"),
        ({"a": [1.0]}, dict(kind="bar"), "kind must be"),
        ({"a": [1.0]}, dict(bins=0), "bins must be"),
        ({"a": []}, {}, "non-empty 1-D"),
        ({"a": [1.0, np.nan]}, {}, "NaN or inf"),
        ({"a": {"x": [1.0]}, "b": [1.0]}, {}, "not a mixture"),
        ({"a": {"x": [1.0]}, "b": {"y": [1.0]}}, {}, r"Set 'b' has metrics \['y'\]"),
    ],
)
def test_error_distributions_bad_input(scores, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_error_distributions(scores, **kwargs)


# ---------------------------------------------------------------- plot_section


def test_plot_section_image_axes_and_colorbar(rng, tmp_path):
    inline = rng.uniform(3, 9, size=(73, 38))  # 73 crosslines x 38 samples
    xl = np.arange(1000, 1073)
    t = 2600 + 4.0 * np.arange(38)
    fig = plot_section(inline, x=xl, time=t, xlabel="Crossline", time_label="TWT (ms)",
                       colorbar_label="Ip (1e6 kg/m2/s)", title="Inline 10")
    _render(fig, tmp_path)
    ax, cax = fig.axes
    (im,) = ax.images
    np.testing.assert_array_equal(im.get_array(), inline.T)  # time down, traces across
    assert im.get_extent() == [999.5, 1072.5, 2600 + 4 * 37 + 2, 2598.0]
    bottom, top = ax.get_ylim()
    assert bottom > top  # time down
    assert ax.get_xlabel() == "Crossline" and ax.get_ylabel() == "TWT (ms)"
    assert ax.get_title() == "Inline 10"
    assert cax.get_ylabel() == "Ip (1e6 kg/m2/s)"
    assert im.get_clim() == (inline.min(), inline.max())


def test_plot_section_symmetric_and_defaults(rng, tmp_path):
    A = rng.normal(size=(10, 20))
    fig = plot_section(A, cmap="gray", symmetric=True, dt=0.004)
    _render(fig, tmp_path)
    im = fig.axes[0].images[0]
    lim = np.abs(A).max()
    assert im.get_clim() == (-lim, lim)
    assert im.get_cmap().name == "gray"
    assert fig.axes[0].get_xlabel() == "Trace" and fig.axes[0].get_ylabel() == "Time (ms)"
    fig = plot_section(A, vmin=0, vmax=1, symmetric=True)
    assert fig.axes[0].images[0].get_clim() == (0, 1)


def test_plot_section_draws_logs_in_with_the_section_colours(rng, tmp_path):
    A = rng.uniform(3, 9, size=(40, 50))
    t_log = 4.0 * np.arange(10, 30)
    log = np.linspace(2, 12, 20)
    fig = plot_section(A, dt=0.004, x=np.arange(100, 140), logs=[(120, t_log, log)],
                       log_width=2.0)
    _render(fig, tmp_path)
    ax = fig.axes[0]
    section, strip = ax.images
    np.testing.assert_array_equal(strip.get_array()[:, 0], log)
    assert strip.get_clim() == section.get_clim() == (A.min(), A.max())
    assert strip.get_extent() == [119.0, 121.0, t_log[-1], t_log[0]]
    assert len(ax.patches) == 1 and ax.get_ylim()[0] > ax.get_ylim()[1]
    with pytest.raises(ValueError, match="each log"):
        plot_section(A, logs=[(1, t_log, log[:-1])])


@pytest.mark.parametrize(
    "section, kwargs, match",
    [
        (np.ones(5), {}, r"2-D \(n_traces, n_samples\); got shape \(5,\)"),
        (np.ones((3, 4)), dict(x=[1, 2]), r"one value per trace, shape \(3,\)"),
        (np.ones((3, 4)), dict(x=[1, 2, 4]), "x must be regularly spaced"),
        (np.ones((3, 4)), dict(time=[0, 1, 2, 5]), "time must be regularly spaced"),
        (np.array([[1.0, np.inf]]), {}, "NaN or inf"),
        (np.ones((0, 4)), {}, "empty"),
    ],
)
def test_plot_section_bad_input(section, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_section(section, **kwargs)
