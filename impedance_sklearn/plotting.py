"""Figures: trace panels, loss curves, error distributions and sections.

Every function returns a :class:`matplotlib.figure.Figure` (made with ``pyplot`` so that it shows
in notebooks; close it with ``plt.close(fig)`` when making many). matplotlib is imported inside
the functions only, so importing this module, or the package, never imports it.

Arrays follow the package convention: one trace per row, time down the columns. Time runs
downwards in every plot, as geophysicists read logs and sections.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = [
    "plot_traces",
    "plot_loss",
    "plot_error_distributions",
    "plot_section",
    "plot_comparison",
    "save_figure",
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _traces(a, name, allow_1d=True):
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array; got {type(a).__name__}.") from exc
    if arr.ndim == 1 and allow_1d:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_traces, n_samples){' or 1-D (one trace)' if allow_1d else ''}; "
            f"got shape {arr.shape}."
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}).")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf; plots need finite values.")
    return arr


def _time_axis(n, time, dt, name="time"):
    """Return (values, label) for a vertical axis of n samples."""
    if time is not None and dt is not None:
        raise ValueError("Give either time or dt, not both.")
    if time is not None:
        t = np.asarray(time, dtype=np.float64)
        if t.shape != (n,):
            raise ValueError(f"{name} must have one value per sample, shape ({n},); got {t.shape}.")
        if not np.all(np.isfinite(t)):
            raise ValueError(f"{name} contains NaN or inf.")
        return t, "Time"
    if dt is not None:
        if not np.isfinite(dt) or dt <= 0:
            raise ValueError(f"dt must be a positive number; got {dt!r}.")
        return np.arange(n) * float(dt), "Time (s)"
    return np.arange(n, dtype=np.float64), "Sample"


def _regular_extent(v, name):
    """Image extent (first - d/2, last + d/2) of regularly spaced centres ``v``."""
    if v.size == 1:
        return v[0] - 0.5, v[0] + 0.5
    d = np.diff(v)
    if not np.allclose(d, d[0], rtol=1e-6, atol=0) or d[0] == 0:
        raise ValueError(f"{name} must be regularly spaced (equal, non-zero steps).")
    return v[0] - d[0] / 2, v[-1] + d[0] / 2


# --------------------------------------------------------------------------------------------
# trace panels
# --------------------------------------------------------------------------------------------


def plot_traces(
    y_true,
    y_pred=None,
    X=None,
    *,
    indices=None,
    n_traces=4,
    time=None,
    dt=None,
    impedance_label="Impedance",
    seismic_label="Seismic",
    time_label=None,
    show_pcc=True,
    figsize=None,
):
    """The paper's trace panels: true vs predicted impedance per trace, time down.

    One column per trace (true impedance in black, each prediction in colour), with the seismic
    trace in a narrow column to its left when ``X`` is given. All panels share the time axis.

    Parameters
    ----------
    y_true : array-like of shape (n_traces, n_samples) or (n_samples,)
        True impedance traces, one per row.
    y_pred : array-like of the same shape, or dict of str to such arrays, optional
        Predicted impedance; a dict plots several predictions (e.g. ``{"CNN": p1, "colored":
        p2}``) with those names in the legend.
    X : array-like of shape (n_traces, n_seismic_samples), optional
        Seismic traces, one per row of ``y_true``, drawn beside each impedance trace. If its
        length differs from the impedance's, it is drawn against its own sample axis
        (``arange(n_seismic_samples) * dt``); an explicit ``time`` then raises.
    indices : sequence of int, optional
        Rows to plot. Default: ``n_traces`` rows evenly spread over the set.
    n_traces : int, default=4
        Number of traces plotted when ``indices`` is None (fewer if the set is smaller).
    time : array-like of shape (n_samples,), optional
        Vertical axis values (e.g. two-way time in s or ms). Exclusive with ``dt``.
    dt : float, optional
        Sample interval in seconds: the axis is ``arange(n_samples) * dt``. Without ``time`` or
        ``dt`` the axis is the sample index.
    impedance_label, seismic_label : str
        x-axis labels of the impedance and seismic panels.
    time_label : str, optional
        y-axis label; default "Time (s)" with ``dt``, "Time" with ``time``, else "Sample".
    show_pcc : bool, default=True
        With a single prediction, put each trace's Pearson correlation in its title.
    figsize : tuple of float, optional
        Default: 2.2 inches per impedance panel (+1.1 per seismic panel) by 6 inches.

    Returns
    -------
    fig : matplotlib.figure.Figure
        ``fig.axes`` lists, for each trace, its seismic axes (if ``X``) then its impedance axes;
        the legend (with predictions) is ``fig.legends[0]``. The layout is "constrained": add a
        ``fig.suptitle`` freely, do not call ``tight_layout``.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.cumsum(np.random.default_rng(0).normal(size=(6, 100)), axis=1) + 50
    >>> fig = plot_traces(y, y + 1.0, X=np.gradient(y, axis=1), dt=0.004, n_traces=3)
    >>> len(fig.axes)  # 3 x (seismic, impedance)
    6
    >>> fig.axes[1].get_title()
    'Trace 0\\nPCC 1.000'
    """
    import matplotlib.pyplot as plt

    from impedance_sklearn.metrics import trace_pcc

    Y = _traces(y_true, "y_true")
    n, L = Y.shape
    preds = {}
    if y_pred is not None:
        items = y_pred.items() if isinstance(y_pred, Mapping) else [("Predicted", y_pred)]
        for name, p in items:
            P = _traces(p, f"y_pred[{name!r}]" if isinstance(y_pred, Mapping) else "y_pred")
            if P.shape != Y.shape:
                raise ValueError(
                    f"Prediction {name!r} has shape {P.shape}; expected the shape of y_true "
                    f"{Y.shape}."
                )
            preds[str(name)] = P
        if not preds:
            raise ValueError("y_pred is an empty dict; give at least one prediction or None.")
    S = None
    if X is not None:
        S = _traces(X, "X")
        if S.shape[0] != n:
            raise ValueError(f"X has {S.shape[0]} traces; expected one per row of y_true ({n}).")

    if indices is None:
        if not isinstance(n_traces, (int, np.integer)) or n_traces < 1:
            raise ValueError(f"n_traces must be a positive integer; got {n_traces!r}.")
        indices = np.unique(np.linspace(0, n - 1, min(int(n_traces), n)).round().astype(int))
    else:
        indices = np.asarray(indices)
        if indices.ndim != 1 or indices.size == 0 or not np.issubdtype(indices.dtype, np.integer):
            raise ValueError(f"indices must be a non-empty sequence of ints; got {indices!r}.")
        if indices.min() < -n or indices.max() >= n:
            raise ValueError(f"indices must lie in [-{n}, {n - 1}] (y_true has {n} traces).")
        indices = np.where(indices < 0, indices + n, indices)

    t, tlabel = _time_axis(L, time, dt)
    if time_label is not None:
        tlabel = time_label
    ts = None
    if S is not None:
        if S.shape[1] == L:
            ts = t
        elif time is not None:
            raise ValueError(
                f"X has {S.shape[1]} samples per trace but time has {L} values; give dt instead "
                "of time, or resample X to the impedance's length."
            )
        else:
            ts = _time_axis(S.shape[1], None, dt)[0]

    k = len(indices)
    if S is None:
        ratios = [1.0] * k
    else:
        ratios = [0.5, 1.0] * k
    if figsize is None:
        figsize = (sum(ratios) * 2.2, 6.0)
    fig, axes = plt.subplots(
        1, len(ratios), sharey=True, figsize=figsize, gridspec_kw={"width_ratios": ratios},
        squeeze=False, layout="constrained",
    )
    axes = axes[0]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for c, i in enumerate(indices):
        if S is not None:
            axs = axes[2 * c]
            axs.plot(S[i], ts, color="0.3", lw=0.8)
            axs.fill_betweenx(ts, 0, S[i], where=S[i] > 0, color="0.3", lw=0)
            axs.set_xlabel(seismic_label)
            axs.set_title(f"Seismic {i}", fontsize="medium")
            lim = float(np.max(np.abs(S[i]))) or 1.0
            axs.set_xlim(-1.1 * lim, 1.1 * lim)
            # two symmetric ticks at a rounded amplitude: narrow panels stay legible
            r = float(f"{lim:.1g}")
            axs.set_xticks([-r, r])
            axs.tick_params(axis="x", labelsize="small")
            ax = axes[2 * c + 1]
        else:
            ax = axes[c]
        ax.plot(Y[i], t, color="k", lw=1.2, label="True")
        for m, (name, P) in enumerate(preds.items()):
            ax.plot(P[i], t, color=colors[m % len(colors)], lw=1.0, label=name)
        title = f"Trace {i}"
        if show_pcc and len(preds) == 1:
            title += f"\nPCC {trace_pcc(Y[i], next(iter(preds.values()))[i]):.3f}"
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel(impedance_label)
    axes[0].set_ylabel(tlabel)
    # first sample at the top (time down); the axes share y
    t_all = t if ts is None else np.concatenate([t, ts])
    if t[-1] >= t[0]:
        axes[0].set_ylim(t_all.max(), t_all.min())
    else:  # values decreasing with time (e.g. negative two-way times): still first on top
        axes[0].set_ylim(t_all.min(), t_all.max())
    if preds:  # one legend for the figure, below the panels, clear of the curves
        fig.legend(
            *axes[-1].get_legend_handles_labels(), loc="outside lower center",
            ncol=len(preds) + 1, fontsize="small", frameon=False,
        )
    return fig


# --------------------------------------------------------------------------------------------
# loss curve
# --------------------------------------------------------------------------------------------


def _history_curves(history, keys):
    """Normalise the accepted history inputs to {name: (epochs, values)}."""
    # a fitted skorch net (or anything with a list-of-dicts .history)
    if not isinstance(history, (Mapping, np.ndarray, list, tuple)) and hasattr(history, "history"):
        history = history.history
    curves = {}
    if isinstance(history, Mapping):
        if not history:
            raise ValueError("history is an empty dict; expected {name: sequence of losses}.")
        wanted = list(history) if keys is None else list(keys)
        missing = [k for k in wanted if k not in history]
        if missing:
            raise ValueError(f"history has no {missing}; its keys are {sorted(map(str, history))}.")
        for k in wanted:
            v = np.asarray(history[k], dtype=np.float64)
            if v.ndim != 1 or v.size == 0:
                raise ValueError(
                    f"history[{k!r}] must be a non-empty 1-D sequence; got shape {v.shape}."
                )
            curves[str(k)] = (np.arange(1, v.size + 1), v)
        return curves
    if isinstance(history, Sequence) and history and all(isinstance(r, Mapping) for r in history):
        # skorch History: a list of per-epoch dicts
        wanted = ["train_loss", "valid_loss"] if keys is None else list(keys)
        found = set().union(*history)
        for k in wanted:
            rows = [(r.get("epoch", e + 1), r[k]) for e, r in enumerate(history) if k in r]
            if rows:
                ep, v = zip(*rows)
                curves[k] = (np.asarray(ep), np.asarray(v, dtype=np.float64))
        if not curves or (keys is not None and len(curves) < len(wanted)):
            raise ValueError(
                f"history has no {[k for k in wanted if k not in curves]}; its epochs record "
                f"{sorted(found)}."
            )
        return curves
    try:
        v = np.asarray(history, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            "history must be a fitted skorch net, a skorch History, a dict of loss sequences, "
            f"or a 1-D array of losses; got {type(history).__name__}."
        ) from exc
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"A loss array must be non-empty and 1-D; got shape {v.shape}.")
    return {"loss" if keys is None else str(list(keys)[0]): (np.arange(1, v.size + 1), v)}


def plot_loss(history, *, keys=None, log_scale=True, mark_best=True, ax=None, title="Loss"):
    """Training and validation loss per epoch.

    Parameters
    ----------
    history : skorch net, skorch History, dict or array-like
        A fitted skorch net such as :class:`~impedance_sklearn.ImpedanceCNN` (its ``history``
        is read), a ``skorch.history.History`` (list of per-epoch dicts; the ``epoch`` entry,
        if recorded, gives the x values), a dict ``{name: sequence of losses}``, or one 1-D
        sequence of losses. Non-finite losses (a diverged run) are drawn as gaps.
    keys : sequence of str, optional
        Entries to draw. Default: ``("train_loss", "valid_loss")`` for a history (those
        recorded; a net fitted without a validation split has only ``train_loss``), every key
        for a dict. Missing keys raise a ValueError listing the recorded ones.
    log_scale : bool, default=True
        Logarithmic loss axis, used only when every finite loss is positive.
    mark_best : bool, default=True
        Mark the minimum of ``valid_loss`` (or of the last curve) with a dot.
    ax : matplotlib Axes, optional
        Axes to draw on; default a new figure.
    title : str, default="Loss"

    Returns
    -------
    fig : matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_loss({"train_loss": [1.0, 0.5, 0.2], "valid_loss": [1.2, 0.6, 0.4]})
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['train_loss', 'valid_loss']
    """
    import matplotlib.pyplot as plt

    curves = _history_curves(history, keys)
    if not any(np.isfinite(v).any() for _, v in curves.values()):
        raise ValueError("history holds no finite loss value.")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 4))
    else:
        fig = ax.figure
    for name, (ep, v) in curves.items():
        ax.plot(ep, v, label=name, lw=1.2)
    if mark_best:
        name = "valid_loss" if "valid_loss" in curves else list(curves)[-1]
        ep, v = curves[name]
        if np.isfinite(v).any():
            b = int(np.nanargmin(np.where(np.isfinite(v), v, np.nan)))
            ax.scatter(
                [ep[b]], [v[b]], color="k", zorder=3, s=18, label=f"best {name} (epoch {ep[b]})"
            )
    finite = np.concatenate([v[np.isfinite(v)] for _, v in curves.values()])
    if log_scale and finite.size and np.all(finite > 0):
        ax.set_yscale("log")
    ax.set_xlabel("Epoch")
    ax.set_ylabel("Loss")
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


# --------------------------------------------------------------------------------------------
# error distributions
# --------------------------------------------------------------------------------------------


def _values(v, where):
    a = np.asarray(v, dtype=np.float64)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(
            f"{where} must be a non-empty 1-D array of per-trace values; got shape {a.shape}."
        )
    if not np.all(np.isfinite(a)):
        raise ValueError(
            f"{where} contains NaN or inf (e.g. trace_pcc(..., force_finite=False) on constant "
            "traces); drop or replace them first."
        )
    return a


def plot_error_distributions(
    scores, *, metric=None, kind="hist", bins=30, ax=None, title=None, figsize=None
):
    """Distributions of per-trace metrics for several data sets (e.g. train / test / challenge).

    Parameters
    ----------
    scores : dict
        Either ``{set_name: per_trace_values}`` for one metric, e.g.
        ``{"train": trace_pcc(y, p, per_trace=True), "test": ...}``, or
        ``{set_name: {metric_name: per_trace_values}}`` for several metrics (one panel per
        metric; every set must have the same metric names).
    metric : str, optional
        Name of the single metric (x-axis label); ignored with nested dicts.
    kind : {"hist", "box", "violin"}, default="hist"
        Overlaid step histograms on common bins (legend gives each set's mean), or one box /
        violin per set (means marked).
    bins : int, default=30
        Number of histogram bins (common to all sets of a panel).
    ax : matplotlib Axes, optional
        Axes to draw on; only for a single metric.
    title : str, optional
        Figure title.
    figsize : tuple of float, optional
        Default: 4.5 inches wide per panel by 3.5.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes per metric.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> fig = plot_error_distributions(
    ...     {"test": {"PCC": rng.uniform(0.6, 1, 50), "rel. L2": rng.uniform(0, 0.2, 50)},
    ...      "challenge": {"PCC": rng.uniform(0.3, 1, 40), "rel. L2": rng.uniform(0, 0.4, 40)}})
    >>> [a.get_xlabel() for a in fig.axes]
    ['PCC', 'rel. L2']
    """
    import matplotlib.pyplot as plt

    if kind not in ("hist", "box", "violin"):
        raise ValueError(f"kind must be 'hist', 'box' or 'violin'; got {kind!r}.")
    if not isinstance(scores, Mapping) or not scores:
        raise ValueError("scores must be a non-empty dict {set_name: per-trace values}.")
    if not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins must be a positive integer; got {bins!r}.")
    nested = [isinstance(v, Mapping) for v in scores.values()]
    if any(nested) and not all(nested):
        raise ValueError("scores must be all arrays or all dicts of arrays, not a mixture.")
    if all(nested):
        names = list(next(iter(scores.values())))
        for s, d in scores.items():
            if list(d) != names:
                raise ValueError(
                    f"Set {s!r} has metrics {list(d)}; expected the same as the first set: {names}."
                )
        if not names:
            raise ValueError("The per-set metric dicts are empty.")
        panels = {
            m: {str(s): _values(d[m], f"scores[{s!r}][{m!r}]") for s, d in scores.items()}
            for m in names
        }
    else:
        m = "value" if metric is None else str(metric)
        panels = {m: {str(s): _values(v, f"scores[{s!r}]") for s, v in scores.items()}}

    if ax is not None:
        if len(panels) != 1:
            raise ValueError(f"ax can only be given for one metric; scores hold {len(panels)}.")
        fig, axes = ax.figure, [ax]
    else:
        if figsize is None:
            figsize = (4.5 * len(panels), 3.5)
        fig, axes = plt.subplots(1, len(panels), figsize=figsize, squeeze=False)
        axes = list(axes[0])

    for a, (m, sets) in zip(axes, panels.items()):
        labels = list(sets)
        data = [sets[s] for s in labels]
        if kind == "hist":
            lo = min(d.min() for d in data)
            hi = max(d.max() for d in data)
            edges = np.linspace(lo, hi if hi > lo else lo + 1.0, int(bins) + 1)
            for s, d in zip(labels, data):
                a.hist(d, bins=edges, histtype="step", lw=1.5, label=f"{s} (mean {d.mean():.3g})")
            a.set_xlabel(m)
            a.set_ylabel("Traces")
            a.legend(fontsize="small")
        else:
            pos = np.arange(1, len(labels) + 1)
            if kind == "box":
                a.boxplot(data, positions=pos, showmeans=True)
            else:
                a.violinplot(data, positions=pos, showmeans=True, showextrema=True)
            a.set_xticks(pos, labels)
            a.set_ylabel(m)
        a.grid(True, alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------
# section
# --------------------------------------------------------------------------------------------


def plot_section(
    section,
    *,
    x=None,
    time=None,
    dt=None,
    xlabel="Trace",
    time_label=None,
    cmap="viridis",
    symmetric=False,
    vmin=None,
    vmax=None,
    colorbar_label="Impedance",
    title=None,
    ax=None,
):
    """A 2-D section (e.g. an inline of a predicted cube) as an image, time down.

    Parameters
    ----------
    section : array-like of shape (n_traces, n_samples)
        One trace per row, as everywhere in the package; drawn with traces across and time down
        (the image is ``section.T``).
    x : array-like of shape (n_traces,), optional
        Regularly spaced horizontal positions (e.g. crossline numbers). Default: trace index.
    time : array-like of shape (n_samples,), optional
        Regularly spaced vertical values (e.g. two-way time in ms). Exclusive with ``dt``.
    dt : float, optional
        Sample interval in seconds; the axis is ``arange(n_samples) * dt``.
    xlabel : str, default="Trace"
    time_label : str, optional
        Default "Time (s)" with ``dt``, "Time" with ``time``, else "Sample".
    cmap : str, default="viridis"
        Colour map; ``"gray"`` or ``"seismic"`` with ``symmetric=True`` suit seismic amplitudes.
    symmetric : bool, default=False
        Colour limits symmetric about zero (``-max|a|, +max|a|``), for seismic amplitudes.
    vmin, vmax : float, optional
        Colour limits (override ``symmetric``).
    colorbar_label : str, default="Impedance"
    title : str, optional
    ax : matplotlib Axes, optional
        Axes to draw on; default a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The image is ``fig.axes[0].images[0]`` and the colour bar has its own axes.

    Examples
    --------
    >>> import numpy as np
    >>> cube = np.random.default_rng(0).normal(size=(21, 73, 38))  # inline, crossline, time
    >>> fig = plot_section(cube[10], x=np.arange(1000, 1073), time=2600 + 4.0 * np.arange(38),
    ...                    xlabel="Crossline", time_label="TWT (ms)", cmap="gray", symmetric=True)
    >>> fig.axes[0].images[0].get_array().shape  # (time, crossline)
    (38, 73)
    """
    import matplotlib.pyplot as plt

    A = _traces(section, "section", allow_1d=False)
    n, L = A.shape
    t, tlabel = _time_axis(L, time, dt)
    if time_label is not None:
        tlabel = time_label
    if x is None:
        xv = np.arange(n, dtype=np.float64)
    else:
        xv = np.asarray(x, dtype=np.float64)
        if xv.shape != (n,):
            raise ValueError(f"x must have one value per trace, shape ({n},); got {xv.shape}.")
    x0, x1 = _regular_extent(xv, "x")
    t0, t1 = _regular_extent(t, "time")
    if symmetric and vmin is None and vmax is None:
        lim = float(np.max(np.abs(A))) or 1.0
        vmin, vmax = -lim, lim
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
    else:
        fig = ax.figure
    im = ax.imshow(
        A.T, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, extent=(x0, x1, t1, t0),
        interpolation="nearest",
    )  # extent (left, right, bottom, top): first sample on top, time down
    ax.set_xlabel(xlabel)
    ax.set_ylabel(tlabel)
    if title:
        ax.set_title(title)
    fig.colorbar(im, ax=ax, label=colorbar_label)
    return fig


# --------------------------------------------------------------------------------------------
# comparison bars and saving
# --------------------------------------------------------------------------------------------


def plot_comparison(rows, title=None):
    """Grouped bars of the mean per-trace Pearson correlation and relative L2 error."""
    import matplotlib.pyplot as plt

    models = list(dict.fromkeys(r["model"] for r in rows))
    sets = list(dict.fromkeys(r["set"] for r in rows))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    width = 0.8 / len(sets)
    for ax, key, label in zip(axes, ("pcc", "rel_l2"), ("Pearson correlation", "relative L2")):
        for j, s in enumerate(sets):
            vals = [next((r[key] for r in rows if r["model"] == m and r["set"] == s), np.nan)
                    for m in models]
            ax.bar(np.arange(len(models)) + (j - (len(sets) - 1) / 2) * width, vals, width,
                   label=s)
        ax.set_xticks(np.arange(len(models)), models, rotation=20, ha="right")
        ax.set_ylabel(label)
        ax.grid(axis="y", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(sets), frameon=False)
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def save_figure(fig, path, *, dpi=110, overwrite=True):
    """Save ``fig`` as PNG to ``path`` atomically (temporary file, then rename) and close it."""
    import matplotlib.pyplot as plt

    from impedance_sklearn.io._files import atomic_path

    try:
        with atomic_path(path, overwrite=overwrite) as tmp:
            fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format="png")
    finally:
        plt.close(fig)
    return path
