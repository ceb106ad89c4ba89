"""Figures of traces and sections: the paper's trace panels and 2-D sections, time down."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from impedance_sklearn.plotting._common import (
    IMPEDANCE_LABEL,
    _regular_extent,
    _time_axis,
    _traces,
)

__all__ = ["plot_traces", "plot_section", "plot_blind_wells"]


def plot_traces(
    y_true,
    y_pred=None,
    X=None,
    *,
    indices=None,
    n_traces=4,
    time=None,
    dt=None,
    impedance_label=IMPEDANCE_LABEL,
    seismic_label="Seismic",
    time_label=None,
    show_pcc=True,
    title=None,
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
        Sample interval in seconds: the axis is two-way time in ms, ``arange(n_samples) * dt *
        1000``. Without ``time`` or ``dt`` the axis is the sample index.
    impedance_label, seismic_label : str
        x-axis labels of the impedance and seismic panels; the default impedance label names
        the package's unit (impedance / 1e6, in 10^6 kg m^-2 s^-1).
    time_label : str, optional
        y-axis label; default "Time (ms)" with ``dt``, "Time" with ``time``, else "Sample".
    title : str, optional
        Figure title (name the data and the model, e.g. "test set: ImpedanceCNN").
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
    if title:
        fig.suptitle(title)
    return fig


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
    colorbar_label=IMPEDANCE_LABEL,
    title=None,
    ax=None,
    logs=None,
    log_width=None,
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
        Sample interval in seconds; the axis is two-way time in ms.
    xlabel : str, default="Trace"
    time_label : str, optional
        Default "Time (ms)" with ``dt``, "Time" with ``time``, else "Sample".
    cmap : str, default="viridis"
        Colour map; ``"gray"`` or ``"seismic"`` with ``symmetric=True`` suit seismic amplitudes.
    symmetric : bool, default=False
        Colour limits symmetric about zero (``-max|a|, +max|a|``), for seismic amplitudes.
    vmin, vmax : float, optional
        Colour limits (override ``symmetric``).
    colorbar_label : str, default: impedance in the package's unit
    title : str, optional
    ax : matplotlib Axes, optional
        Axes to draw on; default a new figure.
    logs : sequence of (x, time, values), optional
        Well logs drawn into the section at their position ``x`` (in the units of ``x``), as a
        strip of the same colours and limits outlined in black: ``time`` in the units of the
        vertical axis (ms with ``dt``), ``values`` in the section's. One image per log after
        the section's.
    log_width : float, optional
        Width of a log's strip in ``x`` units; default 1.5 % of the section's width, at least
        one trace spacing.

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
    if logs:
        width = log_width if log_width is not None else max(0.015 * abs(x1 - x0),
                                                            abs(x1 - x0) / max(n, 1))
        vmin_, vmax_ = im.get_clim()
        for lx, lt, lv in logs:
            lt, lv = np.asarray(lt, dtype=np.float64), np.asarray(lv, dtype=np.float64)
            if lt.shape != lv.shape or lt.ndim != 1 or lt.size < 2:
                raise ValueError("each log is (x, time, values) with 1-D time and values of "
                                 f"one length; got shapes {lt.shape} and {lv.shape}.")
            ax.imshow(lv[:, None], aspect="auto", cmap=cmap, vmin=vmin_, vmax=vmax_,
                      extent=(lx - width / 2, lx + width / 2, lt[-1], lt[0]),
                      interpolation="nearest")
            ax.add_patch(plt.Rectangle((lx - width / 2, lt[0]), width, lt[-1] - lt[0],
                                       fill=False, ec="k", lw=0.8))
        ax.set_xlim(x0, x1)
        ax.set_ylim(t1, t0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(tlabel)
    if title:
        ax.set_title(title)
    fig.colorbar(im, ax=ax, label=colorbar_label)
    return fig


def plot_blind_wells(section, time, positions, logs, predictions, models, *, xlabel="Trace",
                     title=None):
    """Blind-well validation at a glance: the predicted section with the wells' logs drawn in
    and named, and under it one panel per blind well with its log (black) and each model's
    blind prediction, time down.

    Parameters
    ----------
    section : array-like of shape (n_traces, n_samples)
        A prediction of the whole line (e.g. the model trained on every well).
    time : array-like of shape (n_samples,)
        Two-way time (s).
    positions : array-like of shape (n_traces,)
        Where the traces are (e.g. distance along the line), for the labels.
    logs : list of (name, position, time, impedance)
        Each well: its name, its position in ``positions``' units, and its log on ``time``.
    predictions : dict
        ``(well name, model) -> (time, predicted, true)``, as
        :func:`~impedance_sklearn.evaluation.blind.leave_one_well_out` returns them.
    models : list of str
        The models to draw, in order.
    xlabel, title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    A = _traces(section, "section", allow_1d=False)
    t_ms = np.asarray(time, dtype=np.float64) * 1e3
    pos = np.asarray(positions, dtype=np.float64)
    n = len(logs)
    fig = plt.figure(figsize=(max(10, 3.2 * n), 9))
    grid = fig.add_gridspec(2, n, height_ratios=[1.1, 1])
    top = fig.add_subplot(grid[0, :])
    drawn = [(int(np.argmin(np.abs(pos - p))), lt * 1e3, lz) for _, p, lt, lz in logs]
    lo, hi = np.nanpercentile(A, [1, 99])
    plot_section(A, time=t_ms, xlabel="trace", time_label="TWT (ms)", vmin=lo, vmax=hi,
                 ax=top, logs=drawn, log_width=max(A.shape[0] / 80, 2), title=title)
    for (name, p, _, _), (k, lt, _) in zip(logs, drawn):
        top.annotate(f"{name}\n{p / 1e3:.1f} km" if xlabel.startswith("distance") else name,
                     (k, lt[0]), xytext=(0, 4), textcoords="offset points", ha="center",
                     va="bottom", fontsize=8)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (name, _, _, _) in enumerate(logs):
        ax = fig.add_subplot(grid[1, i])
        shown = False
        for j, model in enumerate(models):
            if (name, model) not in predictions:
                continue
            t, pred, true = predictions[(name, model)]
            if not shown:
                ax.plot(true, t * 1e3, "k", lw=0.8, label="log (blind)")
                shown = True
            ax.plot(pred, t * 1e3, color=colors[j % len(colors)], lw=0.8, label=model)
        ax.invert_yaxis()
        ax.set(title=f"{name}, blind", xlabel=IMPEDANCE_LABEL)
        if i == 0:
            ax.set_ylabel("TWT (ms)")
            ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig
