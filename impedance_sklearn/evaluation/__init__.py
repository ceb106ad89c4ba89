"""Evaluating estimators side by side: scores, comparisons, tables and the machine they ran on.

* :func:`scores` -- the paper's headline metrics of one prediction (mean per-trace Pearson
  correlation, mean relative L2, pooled r2);
* :func:`compare_estimators` -- fit several estimators on the same training traces and score each
  on named test sets (with fit and predict times); progress is the caller's business, passed in
  as callables (the command line passes progress bars);
* :func:`predict_chunked` -- predict a large array in chunks of traces;
* :func:`generated_sets` -- the paper-like generated train / test / challenge sets;
* :func:`format_table`, :func:`write_csv`, :func:`write_results` -- Markdown and CSV tables,
  written atomically;
* :func:`machine_description`, :func:`cpu_model` -- one line naming the machine, for every table
  of timings.

Used by the command line (demo, benchmark) and the scripts in ``benchmarks/``. Heavy imports
(torch, matplotlib) happen inside the functions.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import numpy as np

from impedance_sklearn.io._files import atomic_path, write_text

__all__ = [
    "scores",
    "compare_estimators",
    "predict_chunked",
    "format_table",
    "write_csv",
    "write_results",
    "run_benchmark",
    "generated_sets",
    "default_estimators",
    "machine_description",
    "cpu_model",
    "TRAIN_RANGE",
    "CHALLENGE_RANGE",
]


# ----------------------------------------------------------------------------------------------
# metrics and tables


def scores(y_true, y_pred):
    """Mean per-trace Pearson correlation, mean relative L2 and pooled r2, as a dict.

    Parameters
    ----------
    y_true : array-like of shape (n_traces, n_samples)
        True impedance, one trace per row.
    y_pred : array-like of shape (n_traces, n_samples)
        Predicted impedance.

    Returns
    -------
    dict
        ``{"pcc": float, "rel_l2": float, "r2": float}``
        (:func:`~impedance_sklearn.metrics.trace_pcc`,
        :func:`~impedance_sklearn.metrics.relative_l2`, :func:`~impedance_sklearn.metrics.r2`).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[1.0, 2.0, 3.0]])
    >>> scores(y, y)
    {'pcc': 1.0, 'rel_l2': 0.0, 'r2': 1.0}
    """
    from impedance_sklearn import metrics

    return {
        "pcc": float(metrics.trace_pcc(y_true, y_pred)),
        "rel_l2": float(metrics.relative_l2(y_true, y_pred)),
        "r2": float(metrics.r2(y_true, y_pred)),
    }


def predict_chunked(estimator, X, chunk_traces=8192, progress=None):
    """``estimator.predict(X)`` in chunks of ``chunk_traces`` traces, concatenated.

    Parameters
    ----------
    estimator : fitted estimator
        Anything with ``predict``.
    X : ndarray of shape (n_traces, n_samples)
        Traces, one per row.
    chunk_traces : int, default=8192
        Traces per ``predict`` call (at least 1).
    progress : callable, optional
        Wraps the iterable of chunk starts (e.g. a tqdm progress bar); used only when there is
        more than one chunk.

    Returns
    -------
    ndarray
        The predictions of every chunk, concatenated along the first axis.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> est = LinearRegression().fit(X, 2 * X)
    >>> bool(np.allclose(predict_chunked(est, X, chunk_traces=3), 2 * X))
    True
    """
    n = X.shape[0]
    if chunk_traces < 1:
        raise ValueError(f"chunk_traces must be >= 1, got {chunk_traces}.")
    if n <= chunk_traces:
        return np.asarray(estimator.predict(X))
    starts = range(0, n, chunk_traces)
    if progress is not None:
        starts = progress(starts)
    parts = [np.asarray(estimator.predict(X[a : a + chunk_traces])) for a in starts]
    return np.concatenate(parts, axis=0)


def compare_estimators(estimators, train, tests, *, fit=None, predict=None, log=None):
    """Fit each estimator on ``train`` and score it on every set of ``tests``.

    Parameters
    ----------
    estimators : dict of str -> estimator
        Unfitted estimators by display name.
    train : tuple (X, y)
        Training traces, (n_traces, n_samples) each.
    tests : dict of str -> tuple (X, y)
        Named test sets.
    fit : callable, optional
        ``fit(estimator, X, y)`` used instead of ``estimator.fit(X, y)`` (e.g. to show
        progress).
    predict : callable, optional
        ``predict(estimator, X)`` used instead of ``estimator.predict(X)``.
    log : callable, optional
        Receives one message (str) before each fit.

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
    fit = fit or (lambda est, X, y: est.fit(X, y))
    predict = predict or (lambda est, X: np.asarray(est.predict(X)))
    rows, fitted, predictions = [], {}, {}
    for name, est in estimators.items():
        if log is not None:
            log(f"fitting {name} on {len(train[0])} traces ...")
        t0 = time.perf_counter()
        fit(est, train[0], train[1])
        fit_s = time.perf_counter() - t0
        fitted[name] = est
        for set_name, (X, y) in tests.items():
            t0 = time.perf_counter()
            pred = predict(est, X)
            predict_s = time.perf_counter() - t0
            predictions[name, set_name] = pred
            row = {"model": name, "set": set_name, "n_traces": int(X.shape[0])}
            row.update(scores(y, pred))
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
                   log=None):
    """Paper-like data: train and test sets on the training ranges, a challenge set on others.

    Parameters
    ----------
    n_train, n_test, n_challenge : int
        Number of traces of each set (the paper: 520, 1,000 and 1,000).
    random_state : int, default=0
        Seed; each set uses its own derived seed.
    challenge_range : float or (float, float), default=(3, 8)
        Vertical range (m) of the challenge set.
    log : callable, optional
        Receives one message (str) with the generation time.

    Returns
    -------
    train : tuple (X, y)
    tests : dict {"test": (X, y), "challenge": (X, y)}
    """
    from impedance_sklearn.synthetic.generator import make_impedance_dataset

    t0 = time.perf_counter()
    seeds = np.random.SeedSequence(random_state).generate_state(3)
    train = make_impedance_dataset(n_train, vertical_range=TRAIN_RANGE, random_state=int(seeds[0]))
    test = make_impedance_dataset(n_test, vertical_range=TRAIN_RANGE, random_state=int(seeds[1]))
    challenge = make_impedance_dataset(n_challenge, vertical_range=challenge_range,
                                       random_state=int(seeds[2]))
    if log is not None:
        log(f"generated {n_train} + {n_test} + {n_challenge} traces in "
            f"{time.perf_counter() - t0:.1f} s")
    return train, {"test": test, "challenge": challenge}


def default_estimators(cnn_params=None, random_state=0):
    """ImpedanceCNN and the three baselines, by display name, from the registry.

    Parameters
    ----------
    cnn_params : dict, optional
        Parameters of the ImpedanceCNN (on top of ``random_state`` and ``verbose=0``).
    random_state : int, default=0
        The ImpedanceCNN's ``random_state``.

    Returns
    -------
    dict of str -> estimator
        Unfitted estimators by display name (:mod:`impedance_sklearn.estimators`), the
        baselines with their defaults.
    """
    from impedance_sklearn.estimators import ESTIMATORS, make_estimator

    cnn_params = {"random_state": random_state, "verbose": 0, **dict(cnn_params or {})}
    names = ("cnn", "trace-integration", "colored", "model-based")
    return {ESTIMATORS[n].name: make_estimator(n, cnn_params if n == "cnn" else None)
            for n in names}


def write_csv(rows, path):
    """Write result rows (dicts) to ``path`` as CSV, atomically.

    Parameters
    ----------
    rows : list of dict
        One dict per row; the columns are the keys of all rows, in first-seen order.
    path : str or Path
        The CSV file (written to a temporary file and renamed).

    Returns
    -------
    Path
        ``path``.
    """
    import csv

    keys = list(dict.fromkeys(k for r in rows for k in r))
    with atomic_path(path) as tmp, open(tmp, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    return Path(path)


def write_results(folder, stem, rows, *, title, preamble="", columns=None, notes="", figure=None):
    """Write ``<stem>.md``, ``<stem>.csv`` and (given a figure) ``<stem>.png``, atomically.

    Parameters
    ----------
    folder : str or Path
        Where the files go (created if needed).
    stem : str
        The files' name without suffix.
    rows : list of dict
        The result rows (:func:`compare_estimators`).
    title : str
        The Markdown file's heading.
    preamble : str, default=""
        Markdown between the heading and the table.
    columns : list of (key, header, format), optional
        The table's columns (:func:`format_table`).
    notes : str, default=""
        Markdown after the table.
    figure : matplotlib.figure.Figure, optional
        Saved as ``<stem>.png``.

    Returns
    -------
    list of Path
        The written files.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = f"# {title}\n\n"
    if preamble:
        text += preamble.rstrip() + "\n\n"
    text += format_table(rows, columns) + "\n"
    if notes:
        text += "\n" + notes.rstrip() + "\n"
    paths = [write_text(text, folder / f"{stem}.md"), write_csv(rows, folder / f"{stem}.csv")]
    if figure is not None:
        from impedance_sklearn.plotting import save_figure

        paths.append(save_figure(figure, folder / f"{stem}.png"))
    return paths


def run_benchmark(train, tests, out, *, source, cnn_params=None, random_state=0, command="",
                  fit=None, predict=None, log=None):
    """ImpedanceCNN against the three baselines; writes compare.md, .csv and .png into ``out``.

    What ``impedance-sklearn benchmark`` and ``benchmarks/compare.py`` run.

    Parameters
    ----------
    train : tuple (X, y)
        Training traces.
    tests : dict of str -> tuple (X, y)
        Named test sets.
    out : str or Path
        The folder of ``compare.md``, ``compare.csv`` and ``compare.png``.
    source : str
        Describes the data in the Markdown file and the figure's title.
    cnn_params : dict, optional
        Parameters of the ImpedanceCNN (:func:`default_estimators`).
    random_state : int, default=0
        The ImpedanceCNN's ``random_state``.
    command : str, default=""
        The command line that ran the benchmark, recorded in the Markdown file.
    fit, predict, log : callable, optional
        Passed to :func:`compare_estimators`.

    Returns
    -------
    list of dict
        The result rows (:func:`compare_estimators`).
    """
    import impedance_sklearn as isk
    from impedance_sklearn.plotting import plot_comparison

    ests = default_estimators(cnn_params, random_state=random_state)
    if log is not None:
        log(f"benchmark: {source}; {machine_description()}")
    rows, fitted, _ = compare_estimators(ests, train, tests, fit=fit, predict=predict, log=log)
    cnn = fitted["ImpedanceCNN"].get_params()
    cnn_desc = ", ".join(f"{k}={cnn[k]!r}" for k in
                         ("kernel_size", "n_filters", "lr", "max_epochs", "batch_size")
                         if k in cnn)
    preamble = (f"Command: `{command}`  \nData: {source}  \nImpedanceCNN: {cnn_desc}  \n"
                f"Machine: {machine_description()}")
    notes = ("Pearson and relative L2 (RMSE / mean impedance, lower is better) are means of "
             "per-trace values; r2 is pooled over all samples (higher is better); fit and predict "
             "times are wall-clock seconds for the whole set.")
    fig = plot_comparison(rows, title=f"impedance-sklearn {isk.__version__}: {source}")
    write_results(out, "compare", rows, title="ImpedanceCNN vs classical baselines",
                  preamble=preamble, notes=notes, figure=fig)
    return rows


def cpu_model():
    """The CPU's model name (``/proc/cpuinfo`` on Linux), else the architecture.

    Returns
    -------
    str
        E.g. ``"Intel(R) Xeon(R) CPU @ 2.20GHz (x86_64)"``.
    """
    import platform

    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()} ({platform.machine()})"
    return platform.processor() or platform.machine()


def machine_description():
    """One line naming the machine: CPU cores and model, load, Python, numpy and torch versions.

    Returns
    -------
    str
        Comma-separated; torch's version and thread count only if torch is imported.
    """
    import platform
    import sys

    parts = [f"{os.cpu_count()} CPU cores", cpu_model()]
    with contextlib.suppress(OSError, AttributeError):
        parts.append("load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    parts += [f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        parts.append(f"torch {torch.__version__} ({torch.get_num_threads()} threads)")
    return ", ".join(p for p in parts if p)
