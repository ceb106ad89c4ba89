"""Figures of results: loss curves, per-trace error distributions, model comparisons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["plot_loss", "plot_error_distributions", "plot_comparison"]

_HIGHER = ("pearson", "pcc", "r2", "correlation")
_LOWER = ("l1", "l2", "rmse", "mae", "error", "loss")


def _with_direction(name):
    """``name`` with "(higher is better)" / "(lower is better)" when the metric says which."""
    low = name.lower()
    if "better" in low:
        return name
    if any(k in low for k in _LOWER):
        return f"{name} (lower is better)"
    if any(k in low for k in _HIGHER):
        return f"{name} (higher is better)"
    return name


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
        Overlaid step histograms on common bins, as densities so that sets of different sizes
        compare (the legend gives each set's size and mean), or one box / violin per set (means
        marked). Metric names that say which way is better get "(higher is better)" or "(lower
        is better)" on their axis.
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
    ['PCC (higher is better)', 'rel. L2 (lower is better)']
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
                a.hist(d, bins=edges, histtype="step", lw=1.5, density=True,
                       label=f"{s}, {len(d)} traces (mean {d.mean():.3g})")
            a.set_xlabel(_with_direction(m))
            a.set_ylabel("Density (fraction of traces per unit)")
            a.legend(fontsize="small")
        else:
            pos = np.arange(1, len(labels) + 1)
            if kind == "box":
                a.boxplot(data, positions=pos, showmeans=True)
            else:
                a.violinplot(data, positions=pos, showmeans=True, showextrema=True)
            a.set_xticks(pos, labels)
            a.set_ylabel(_with_direction(m))
        a.grid(True, alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_comparison(rows, title=None):
    """Grouped bars of the mean per-trace Pearson correlation and relative L2 error.

    Parameters
    ----------
    rows : list of dict
        As returned by :func:`impedance_sklearn.evaluation.compare_estimators` (keys
        ``model``, ``set``, ``pcc``, ``rel_l2``).
    title : str, optional
        The figure's title; it should name the data (the benchmark and demo pass it).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels, one bar per model and set.
    """
    import matplotlib.pyplot as plt

    models = list(dict.fromkeys(r["model"] for r in rows))
    sets = list(dict.fromkeys(r["set"] for r in rows))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    width = 0.8 / len(sets)
    labels_ = ("Pearson correlation (higher is better)", "relative L2 error (lower is better)")
    for ax, key, label in zip(axes, ("pcc", "rel_l2"), labels_):
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
