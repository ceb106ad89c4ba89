"""The CNN-vs-baselines comparison used by ``impedance-sklearn demo`` and ``benchmark``.

Fit :class:`~impedance_sklearn.ImpedanceCNN` and the classical baselines on the same training
traces, score each on named test sets (mean per-trace Pearson correlation, relative L2, pooled
r2, fit and predict times) and present the rows as a Markdown table or a bar chart;
:func:`generated_sets` makes the paper-like generated data. ``benchmarks/compare.py`` runs the
same comparison through the CLI; :mod:`impedance_sklearn.cli` re-exports these names.

Heavy imports (torch, matplotlib) happen inside the functions, so importing the CLI stays instant.
"""

from __future__ import annotations

import sys
import time

import numpy as np

__all__ = [
    "compare_estimators",
    "format_table",
    "generated_sets",
    "default_estimators",
    "plot_comparison",
    "TRAIN_RANGE",
    "CHALLENGE_RANGE",
]


# ----------------------------------------------------------------------------------------------
# metrics and tables


def _scores(y_true, y_pred):
    from impedance_sklearn import metrics

    return {
        "pcc": float(metrics.trace_pcc(y_true, y_pred)),
        "rel_l2": float(metrics.relative_l2(y_true, y_pred)),
        "r2": float(metrics.r2(y_true, y_pred)),
    }


def compare_estimators(estimators, train, tests, *, quiet=True):
    """Fit each estimator on ``train`` and score it on every set of ``tests``.

    Parameters
    ----------
    estimators : dict of str -> estimator
        Unfitted estimators by display name.
    train : tuple (X, y)
        Training traces, (n_traces, n_samples) each.
    tests : dict of str -> tuple (X, y)
        Named test sets.
    quiet : bool, default=True
        Hide the progress bars.

    Returns
    -------
    rows : list of dict
        One row per (estimator, test set) with keys ``model``, ``set``, ``pcc``, ``rel_l2``,
        ``r2``, ``fit_s``, ``predict_s``, ``n_traces``.
    fitted : dict of str -> estimator
        The fitted estimators.
    predictions : dict of (str, str) -> ndarray
        Predictions by (model, set).

    Examples
    --------
    >>> from impedance_sklearn import TraceIntegration
    >>> from impedance_sklearn.datasets import make_impedance_dataset
    >>> X, y = make_impedance_dataset(12, random_state=0)
    >>> rows, fitted, preds = compare_estimators(
    ...     {"TI": TraceIntegration()}, (X[:8], y[:8]), {"test": (X[8:], y[8:])})
    >>> [(r["model"], r["set"], r["n_traces"]) for r in rows], preds["TI", "test"].shape
    ([('TI', 'test', 4)], (4, 331))
    """
    from impedance_sklearn.cli import _fit, _predict  # cli imports this module

    rows, fitted, predictions = [], {}, {}
    for name, est in estimators.items():
        if not quiet:
            print(f"fitting {name} on {len(train[0])} traces ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        _fit(est, train[0], train[1], quiet=quiet)
        fit_s = time.perf_counter() - t0
        fitted[name] = est
        for set_name, (X, y) in tests.items():
            t0 = time.perf_counter()
            pred = _predict(est, X, quiet=quiet)
            predict_s = time.perf_counter() - t0
            predictions[name, set_name] = pred
            row = {"model": name, "set": set_name, "n_traces": int(X.shape[0])}
            row.update(_scores(y, pred))
            row.update(fit_s=fit_s, predict_s=predict_s)
            rows.append(row)
    return rows, fitted, predictions


_COLUMNS = [
    ("set", "set", "{}"),
    ("model", "model", "{}"),
    ("pcc", "Pearson", "{:.3f}"),
    ("rel_l2", "rel. L2", "{:.4f}"),
    ("r2", "r2", "{:.3f}"),
    ("fit_s", "fit (s)", "{:.2f}"),
    ("predict_s", "predict (s)", "{:.3f}"),
]


def format_table(rows, columns=None):
    """Format result rows as a Markdown table (also readable in a terminal).

    Parameters
    ----------
    rows : list of dict
    columns : list of (key, header, format), optional
        Defaults to set, model, Pearson, relative L2, r2, fit and predict time.

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_table([{"set": "test", "model": "M", "pcc": 0.91, "rel_l2": 0.05,
    ...                      "r2": 0.8, "fit_s": 1.0, "predict_s": 0.01}]))
    | set  | model | Pearson | rel. L2 | r2    | fit (s) | predict (s) |
    |------|-------|---------|---------|-------|---------|-------------|
    | test | M     | 0.910   | 0.0500  | 0.800 | 1.00    | 0.010       |
    """
    columns = columns or [c for c in _COLUMNS if any(c[0] in r for r in rows)]
    cells = [[h for _, h, _ in columns]]
    for r in rows:
        cells.append([fmt.format(r[k]) if k in r else "" for k, _, fmt in columns])
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# the compare logic shared by ``demo``, ``benchmark`` and benchmarks/compare.py

#: The paper's training design and one of its hard tests (vertical ranges of the facies
#: variogram, in m); see :func:`impedance_sklearn.datasets.make_impedance_dataset`.
TRAIN_RANGE = (10.0, 60.0)
CHALLENGE_RANGE = (3.0, 8.0)


def generated_sets(n_train, n_test, n_challenge, *, random_state=0, challenge_range=CHALLENGE_RANGE,
                   quiet=True):
    """Paper-like data: train and test sets on the training ranges, a challenge set on others.

    Parameters
    ----------
    n_train, n_test, n_challenge : int
        Number of traces of each set (the paper: 520, 1,000 and 1,000).
    random_state : int, default=0
        Seed; each set uses its own derived seed.
    challenge_range : float or (float, float), default=(3, 8)
        Vertical range (m) of the challenge set.
    quiet : bool, default=True

    Returns
    -------
    train : tuple (X, y)
    tests : dict {"test": (X, y), "challenge": (X, y)}
    """
    from impedance_sklearn.datasets import make_impedance_dataset

    t0 = time.perf_counter()
    seeds = np.random.SeedSequence(random_state).generate_state(3)
    train = make_impedance_dataset(n_train, vertical_range=TRAIN_RANGE, random_state=int(seeds[0]))
    test = make_impedance_dataset(n_test, vertical_range=TRAIN_RANGE, random_state=int(seeds[1]))
    challenge = make_impedance_dataset(n_challenge, vertical_range=challenge_range,
                                       random_state=int(seeds[2]))
    if not quiet:
        print(f"generated {n_train} + {n_test} + {n_challenge} traces in "
              f"{time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return train, {"test": test, "challenge": challenge}


def default_estimators(cnn_params=None, random_state=0):
    """ImpedanceCNN and the three baselines, by display name."""
    import impedance_sklearn as isk

    cnn = isk.ImpedanceCNN(random_state=random_state)
    cnn_params = dict(cnn_params or {})
    cnn_params.setdefault("verbose", 0)
    cnn.set_params(**cnn_params)
    return {
        "ImpedanceCNN": cnn,
        "TraceIntegration": isk.TraceIntegration(),
        "ColoredInversion": isk.ColoredInversion(),
        "ModelBasedInversion": isk.ModelBasedInversion(),
    }


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
