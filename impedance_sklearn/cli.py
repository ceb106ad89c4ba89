"""The ``impedance-sklearn`` command: demo, train, predict, evaluate, benchmark.

Run ``impedance-sklearn --help`` (or ``python -m impedance_sklearn --help``) for the usage.

Units
-----
Impedance in a file equals the model's units times ``--scale``. The default scale is 1e6 for
MATLAB ``.mat`` files (the paper's convention: :func:`~impedance_sklearn.datasets.load_mat`
divides by 1e6) and 1 for ``.npz``, ``.npy`` and SEG-Y files. ``train`` and ``evaluate`` divide
the impedance they read by the scale; ``predict`` multiplies what it writes by it, so a ``.mat``
written by ``predict`` reads back with ``load_mat`` as the estimator's own predictions.

Exit status
-----------
0 on success; 2 for a usage error (bad option, unknown parameter, missing input file, an output
that exists without ``--force``, a file type that is not supported); 1 when the work itself fails
(a corrupt file, a missing key, bad data). Errors are one line on stderr; ``--debug`` shows the
traceback.

Heavy imports (torch, matplotlib) happen inside the commands, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from impedance_sklearn._compare import (  # re-exported: tests and benchmarks import them here
    CHALLENGE_RANGE,
    TRAIN_RANGE,
    _scores,
    compare_estimators,
    default_estimators,
    format_table,
    generated_sets,
    plot_comparison,
)

__all__ = ["main", "compare_estimators", "format_table", "make_estimator", "MODEL_NAMES"]

PROG = "impedance-sklearn"

MODEL_NAMES = {
    "cnn": "ImpedanceCNN",
    "trace-integration": "TraceIntegration",
    "colored": "ColoredInversion",
    "model-based": "ModelBasedInversion",
}

_MAT, _NPZ, _NPY, _SEGY = ".mat", ".npz", ".npy", ".sgy"
_KINDS = {".mat": _MAT, ".npz": _NPZ, ".npy": _NPY, ".sgy": _SEGY, ".segy": _SEGY}


class UsageError(Exception):
    """A problem with the command line itself: exit status 2."""


# ----------------------------------------------------------------------------------------------
# small utilities


def _kind(path, what="file"):
    kind = _KINDS.get(Path(path).suffix.lower())
    if kind is None:
        raise UsageError(
            f"{what} {str(path)!r}: unsupported file type {Path(path).suffix!r}; "
            "expected .mat, .npz, .npy, .sgy or .segy."
        )
    return kind


def _require_input(path, what="input file"):
    if not Path(path).is_file():
        raise UsageError(f"{what} {str(path)!r} does not exist.")
    return Path(path)


def _check_output(path, force):
    path = Path(path)
    if path.exists() and not force:
        raise UsageError(f"{str(path)!r} already exists; use --force to overwrite it.")
    if not path.parent.exists():
        raise UsageError(f"output folder {str(path.parent)!r} does not exist.")
    return path


@contextlib.contextmanager
def _atomic_path(path):
    """Yield a temporary path beside ``path`` (same suffix); on success rename it to ``path``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}",
                               dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _echo(args, *msg):
    if not getattr(args, "quiet", False):
        print(*msg, flush=True)


def _progress(iterable=None, *, quiet, **kwargs):
    from tqdm.auto import tqdm

    return tqdm(iterable, disable=quiet, file=sys.stderr, dynamic_ncols=True, **kwargs)


# ----------------------------------------------------------------------------------------------
# estimators


def make_estimator(name, params=None):
    """Return an unfitted estimator by its command-line name with ``params`` set.

    Parameters
    ----------
    name : {"cnn", "trace-integration", "colored", "model-based"}
    params : dict, optional
        Estimator parameters; names not in ``get_params()`` raise :class:`UsageError`.

    Returns
    -------
    estimator : an unfitted scikit-learn regressor

    Raises
    ------
    UsageError
        Unknown model name or parameter name (the message lists the valid ones).

    Examples
    --------
    >>> make_estimator("colored", {"background_sigma": 5.0})
    ColoredInversion(background_sigma=5.0)
    """
    import impedance_sklearn

    if name not in MODEL_NAMES:
        raise UsageError(f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}.")
    est = getattr(impedance_sklearn, MODEL_NAMES[name])()
    params = dict(params or {})
    valid = est.get_params(deep=False)
    # ``prefix__name`` keys are routed (skorch's optimizer__weight_decay, ...): set_params checks
    unknown = sorted(k for k in params if k not in valid and "__" not in k)
    if unknown:
        import difflib

        close = {k: difflib.get_close_matches(k, list(valid), n=1) for k in unknown}
        hint = "; ".join(f"did you mean {m[0]}?" for m in close.values() if m)
        raise UsageError(
            f"unknown parameter(s) {', '.join(unknown)} for {MODEL_NAMES[name]}"
            f"{' (' + hint + ')' if hint else ''}; valid names: {', '.join(sorted(valid))}."
        )
    return est.set_params(**params)


def _parse_params(pairs):
    params = {}
    for pair in pairs or []:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--param {pair!r}: expected NAME=VALUE, e.g. --param max_epochs=20.")
        try:
            value = ast.literal_eval(text.strip())
        except (ValueError, SyntaxError):
            if text.strip().isidentifier():  # a bare word such as cpu or relu: take it as a string
                value = text.strip()
            else:
                raise UsageError(
                    f"--param {pair!r}: {text!r} is not a Python literal "
                    "(numbers, quoted strings, True/False/None, lists, tuples)."
                ) from None
        params[key] = value
    return params


class _Callback:
    """skorch's callback protocol, without importing skorch (torch) when the module loads."""

    def initialize(self):
        return self

    def get_params(self, deep=True):
        return {k: v for k, v in vars(self).items() if not k.endswith("_")}

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        pass

    def on_train_end(self, net, X=None, y=None, **kwargs):
        pass

    def on_epoch_begin(self, net, **kwargs):
        pass

    def on_epoch_end(self, net, **kwargs):
        pass

    def on_batch_begin(self, net, **kwargs):
        pass

    def on_batch_end(self, net, **kwargs):
        pass

    def on_grad_computed(self, net, named_parameters, **kwargs):
        pass


class _EpochProgress(_Callback):
    """One tqdm bar over the training epochs (on stderr), with the last losses."""

    def __init__(self, quiet=False):
        self.quiet = quiet

    def initialize(self):
        self.bar_ = None
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.bar_ = _progress(total=net.max_epochs, quiet=self.quiet, desc="epochs", unit="epoch")

    def on_epoch_end(self, net, **kwargs):
        if self.bar_ is not None:
            row = net.history[-1]
            post = {k: f"{row[k]:.4g}" for k in ("train_loss", "valid_loss") if k in row}
            self.bar_.set_postfix(post, refresh=False)
            self.bar_.update(1)

    def on_train_end(self, net, X=None, y=None, **kwargs):
        if self.bar_ is not None:
            self.bar_.close()
            self.bar_ = None


class _ValidationLoss(_Callback):
    """Record ``valid_loss`` (MSE, as the training loss) on a held-out set after each epoch.

    The paper's loss figure shows training and validation loss; ImpedanceCNN trains on every
    trace it is given (``train_split=None``), so the demo scores a separate generated set.
    """

    def __init__(self, X, y):
        self.X, self.y = X, y

    def on_epoch_end(self, net, **kwargs):
        import torch

        # predict's DataLoader draws a seed from torch's global RNG; without fork_rng, watching
        # the validation loss would change the next epochs' shuffling and so the trained net.
        with torch.random.fork_rng():
            pred = np.asarray(net.predict(self.X))
        net.history.record("valid_loss", float(np.mean((pred - self.y) ** 2)))


def _is_skorch(est):
    return hasattr(est, "history") and hasattr(est, "callbacks")


def _fit(est, X, y, *, quiet):
    """Fit ``est``; skorch nets get an epoch progress bar, not kept in the fitted net."""
    if not _is_skorch(est):
        return est.fit(X, y)
    original = est.callbacks
    extra = [("cli_progress", _EpochProgress(quiet=quiet))]
    est.set_params(callbacks=list(original or []) + extra)
    try:
        est.fit(X, y)
    finally:  # the saved net keeps the user's callbacks only
        est.set_params(callbacks=original)
        if getattr(est, "initialized_", False) and hasattr(est, "initialize_callbacks"):
            est.initialize_callbacks()
    return est


def _predict(est, X, *, quiet, chunk=8192):
    """Predict in chunks of ``chunk`` traces, with a progress bar when there is more than one."""
    n = X.shape[0]
    if n <= chunk:
        return np.asarray(est.predict(X))
    parts = []
    for start in _progress(range(0, n, chunk), quiet=quiet, desc="predict", unit="chunk"):
        parts.append(np.asarray(est.predict(X[start : start + chunk])))
    return np.concatenate(parts, axis=0)


# ----------------------------------------------------------------------------------------------
# data in and out


@dataclass
class _Data:
    X: np.ndarray
    y: np.ndarray | None
    kind: str
    scale: float
    source: Path
    info: dict = field(default_factory=dict)


def _default_scale(kind, scale):
    if scale is not None:
        if not np.isfinite(scale) or scale <= 0:
            raise UsageError(f"--scale must be a positive number, got {scale}.")
        return float(scale)
    return 1e6 if kind == _MAT else 1.0


def _as_traces(A, what, path):
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(
            f"{what} in {str(path)!r} has shape {A.shape}; expected a 2-D array "
            "(n_traces, n_samples), one trace per row."
        )
    return A


def _read_impedance(path, scale):
    kind = _kind(path, "impedance file")
    if kind == _NPY:
        y = np.load(path, allow_pickle=False)
    elif kind == _SEGY:
        from impedance_sklearn.segy import read_segy

        y = read_segy(path).traces
    else:
        raise UsageError(f"impedance file {str(path)!r}: expected a .npy or SEG-Y file.")
    return _as_traces(y, "impedance", path) / scale


def _impedance_beside(path):
    """``survey.sgy`` -> ``survey_impedance.npy`` (or ``.sgy``/``.segy``) if one exists."""
    path = Path(path)
    for suffix in (".npy", ".sgy", ".segy"):
        cand = path.with_name(f"{path.stem}_impedance{suffix}")
        if cand.is_file():
            return cand
    return None


def _read_data(args, path, *, need_y, impedance=None):
    """Read seismic (and impedance when ``need_y``) traces from a .mat/.npz/.npy/SEG-Y file.

    ``impedance``: the impedance file for .npy/SEG-Y seismic (None: ``args.impedance``; False:
    none given); without one, ``<name>_impedance.npy`` beside the file is used if it exists.
    """
    path = _require_input(path, "data file")
    kind = _kind(path, "data file")
    scale = _default_scale(kind, getattr(args, "scale", None))
    imp_path = getattr(args, "impedance", None) if impedance is None else (impedance or None)
    if imp_path is not None:
        _require_input(imp_path, "impedance file")
    info = {}
    if kind == _MAT:
        from impedance_sklearn.datasets import load_mat

        imp_key = getattr(args, "impedance_key", None)
        if not need_y and imp_key is None:
            imp_key = False  # predict: the seismic is all it needs
        X, y = load_mat(path, seismic_key=args.seismic_key, impedance_key=imp_key, scale=scale)
    elif kind == _NPZ:
        from impedance_sklearn.datasets import load_npz

        X, y = load_npz(path)
        if y is not None and scale != 1.0:
            y = np.asarray(y) / scale
    elif kind == _NPY:
        X = _as_traces(np.load(path, allow_pickle=False), "seismic", path)
        y = None
        if need_y and imp_path is None:
            imp_path = _impedance_beside(path)
    else:  # SEG-Y
        from impedance_sklearn.segy import read_segy

        X = read_segy(path).traces
        y = None
        if need_y and imp_path is None:
            imp_path = _impedance_beside(path)
    if imp_path is not None and kind in (_NPY, _SEGY):
        y = _read_impedance(imp_path, scale)
        info["impedance_file"] = str(Path(imp_path).resolve())
    if need_y and y is None:
        hint = {
            _NPY: f"pass --impedance FILE or put {path.stem}_impedance.npy beside it",
            _SEGY: f"pass --impedance FILE or put {path.stem}_impedance.npy beside it",
            _NPZ: "save it with save_npz(path, X, y)",
            _MAT: "pass --impedance-key",
        }[kind]
        raise ValueError(f"no impedance traces for {str(path)!r}: {hint}.")
    X = np.asarray(X)
    if y is not None:
        y = np.asarray(y)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"{str(path)!r}: {X.shape[0]} seismic traces but {y.shape[0]} impedance traces; "
                "expected one impedance trace per seismic trace."
            )
    return _Data(X=X, y=y, kind=kind, scale=scale, source=path, info=info)


def _write_prediction(data, pred, out):
    """Write ``pred`` (model units) to ``out`` (same kind as the input), times the scale."""
    values = np.asarray(pred, dtype=np.float64) * data.scale
    with _atomic_path(out) as tmp:
        if data.kind == _MAT:
            from scipy.io import savemat

            with open(tmp, "wb") as fh:
                savemat(fh, {"Seismic": data.X.T, "Impedance": values.T}, do_compression=True)
        elif data.kind == _NPZ:
            from impedance_sklearn.datasets import save_npz

            save_npz(tmp, data.X, values, overwrite=True)
        else:
            with open(tmp, "wb") as fh:
                np.save(fh, values)


class _Scaled:
    """Delegates to a fitted estimator and multiplies its predictions by ``scale``."""

    def __init__(self, estimator, scale):
        self.estimator, self.scale = estimator, scale

    def __getattr__(self, name):
        return getattr(self.estimator, name)

    def __sklearn_is_fitted__(self):
        return True

    def predict(self, X):
        return np.asarray(self.estimator.predict(X)) * self.scale


# ----------------------------------------------------------------------------------------------
# writing results


def write_csv(rows, path):
    """Write result rows to ``path`` as CSV (temporary file, then rename)."""
    import csv

    keys = list(dict.fromkeys(k for r in rows for k in r))
    with _atomic_path(path) as tmp, open(tmp, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)


def _write_text(text, path):
    with _atomic_path(path) as tmp, open(tmp, "w") as fh:
        fh.write(text)


def _save_figure(fig, path):
    import matplotlib.pyplot as plt

    with _atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, bbox_inches="tight", format="png")
    plt.close(fig)


def cpu_model():
    """The CPU's model name (``/proc/cpuinfo`` on Linux), else the architecture."""
    import platform

    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()} ({platform.machine()})"
    return platform.processor() or platform.machine()


def machine_description():
    """One line naming the machine: CPU cores and model, Python, torch and numpy versions."""
    import platform

    parts = [f"{os.cpu_count()} CPU cores", cpu_model(),
             f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    with contextlib.suppress(ImportError):
        import torch

        parts.append(f"torch {torch.__version__} ({torch.get_num_threads()} threads)")
    return ", ".join(p for p in parts if p)


# ----------------------------------------------------------------------------------------------
# commands

#: Demo sizes: (n_train, n_valid, n_test, n_challenge, CNN epochs; None: ImpedanceCNN's
#: default). The paper: 520 training, 500 validation, 1,000 test traces.
DEMO_SIZES = {"default": (520, 200, 1000, 1000, None), "quick": (128, 32, 64, 64, 30)}


def cmd_demo(args):
    import impedance_sklearn as isk

    out = Path(args.out)
    names = ["traces_test.png", "traces_challenge.png", "loss.png", "errors.png", "results.md",
             "results.csv"]
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} exists and is not a folder.")
    existing = [n for n in names if (out / n).exists()]
    if existing and not args.force:
        raise UsageError(f"{str(out)!r} already holds demo results ({', '.join(existing)}); "
                         "use --force to overwrite them or --out another folder.")
    n_train, n_valid, n_test, n_chal, epochs = DEMO_SIZES["quick" if args.quick else "default"]
    _echo(args, f"impedance-sklearn {isk.__version__} demo: Das et al. (2019) on generated data "
                f"({n_train} training traces, {n_test} test, {n_chal} challenge; "
                f"{machine_description()})")
    from impedance_sklearn.datasets import make_impedance_dataset

    t0 = time.perf_counter()
    train, tests = generated_sets(n_train, n_test, n_chal, random_state=args.random_state,
                                  quiet=args.quiet)
    valid = make_impedance_dataset(n_valid, vertical_range=TRAIN_RANGE,
                                   random_state=int(np.random.SeedSequence(args.random_state)
                                                    .generate_state(4)[3]))
    cnn_params = {"callbacks": [("valid", _ValidationLoss(*valid))]}
    if epochs is not None:
        cnn_params["max_epochs"] = epochs
    ests = default_estimators(cnn_params, random_state=args.random_state)
    epochs = ests["ImpedanceCNN"].max_epochs
    rows, fitted, preds = compare_estimators(ests, train, tests, quiet=args.quiet)
    table = format_table(rows)
    print("\n" + table + "\n", flush=True)  # the result: printed even with --quiet

    from impedance_sklearn import metrics, plotting

    out.mkdir(parents=True, exist_ok=True)
    cnn = fitted["ImpedanceCNN"]
    for set_name, (X, y) in tests.items():
        fig = plotting.plot_traces(
            y, {m: preds[m, set_name] for m in fitted}, X=X, n_traces=4, dt=4.3875e-4)
        fig.suptitle(f"{set_name} set: true (black) and predicted impedance / 1e6")
        _save_figure(fig, out / f"traces_{set_name}.png")
    _save_figure(plotting.plot_loss(cnn, title="ImpedanceCNN training loss"), out / "loss.png")
    cnn_preds = {"train": (train[1], _predict(cnn, train[0], quiet=True))}
    cnn_preds.update({s: (y, preds["ImpedanceCNN", s]) for s, (_, y) in tests.items()})
    scores = {s: {"Pearson": metrics.trace_pcc(y, p, per_trace=True),
                  "relative L2": metrics.relative_l2(y, p, per_trace=True)}
              for s, (y, p) in cnn_preds.items()}
    _save_figure(plotting.plot_error_distributions(scores, title="ImpedanceCNN per-trace errors"),
                 out / "errors.png")
    total = time.perf_counter() - t0
    header = (f"impedance-sklearn demo ({'quick' if args.quick else 'default'}): "
              f"{n_train} training traces, ImpedanceCNN {epochs} epochs; {machine_description()}; "
              f"{total:.0f} s in all")
    _write_text(f"{header}\n\n{table}\n", out / "results.md")
    write_csv(rows, out / "results.csv")
    _echo(args, f"figures and tables written to {out}/ ({', '.join(names)}); "
                f"{total:.0f} s in all (data, fits, predictions, figures)")
    return 0


def cmd_benchmark(args):
    """Compare ImpedanceCNN with the baselines; write compare.md, compare.csv, compare.png."""
    import impedance_sklearn as isk

    out = Path(args.out)
    files = [out / "compare.md", out / "compare.csv", out / "compare.png"]
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} exists and is not a folder.")
    for f in files if out.exists() else []:
        _check_output(f, args.force)
    cnn_params = _parse_params(args.param)
    if args.data is not None:
        from sklearn.model_selection import train_test_split

        data = _read_data(args, args.data, need_y=True)
        Xtr, Xte, ytr, yte = train_test_split(data.X, data.y, test_size=args.test_size,
                                              random_state=args.random_state)
        train, tests = (Xtr, ytr), {"test": (Xte, yte)}
        if args.challenge is not None:
            chal = _read_data(args, args.challenge, need_y=True, impedance=False)
            tests["challenge"] = (chal.X, chal.y)
        source = f"data {args.data} (test_size={args.test_size})"
    else:
        sizes = (64, 64, 64) if args.quick else (args.n_train, args.n_test, args.n_challenge)
        train, tests = generated_sets(*sizes, random_state=args.random_state,
                                      challenge_range=tuple(args.challenge_range),
                                      quiet=args.quiet)
        source = (f"generated data: {sizes[0]} train / {sizes[1]} test traces "
                  f"(vertical range {TRAIN_RANGE[0]:g}-{TRAIN_RANGE[1]:g} m), {sizes[2]} challenge "
                  f"traces ({args.challenge_range[0]:g}-{args.challenge_range[1]:g} m)")
    if args.quick:
        cnn_params.setdefault("max_epochs", 8)
    ests = default_estimators(cnn_params, random_state=args.random_state)
    _echo(args, f"benchmark: {source}; {machine_description()}")
    rows, fitted, _ = compare_estimators(ests, train, tests, quiet=args.quiet)
    table = format_table(rows)
    print("\n" + table + "\n", flush=True)  # the result: printed even with --quiet
    out.mkdir(parents=True, exist_ok=True)
    cnn = fitted["ImpedanceCNN"]
    cnn_desc = ", ".join(f"{k}={cnn.get_params()[k]!r}" for k in
                         ("kernel_size", "n_filters", "lr", "max_epochs", "batch_size")
                         if k in cnn.get_params())
    command = args.command_text or "impedance-sklearn benchmark " + " ".join(
        a for a in args.argv_tail if a != "--force")
    text = (f"# ImpedanceCNN vs classical baselines\n\nCommand: `{command}`  \n"
            f"Data: {source}  \nImpedanceCNN: {cnn_desc}  \nMachine: {machine_description()}\n\n"
            f"{table}\n\nPearson and relative L2 (RMSE / mean impedance) are means of per-trace "
            "values; r2 is pooled over all samples; fit and predict times are wall-clock "
            "seconds for the whole set.\n")
    _write_text(text, files[0])
    write_csv(rows, files[1])
    _save_figure(plot_comparison(rows, title=f"impedance-sklearn {isk.__version__}"), files[2])
    _echo(args, f"wrote {', '.join(str(f) for f in files)}")
    return 0


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)


def _versions():
    import sklearn

    import impedance_sklearn

    v = {"impedance_sklearn": impedance_sklearn.__version__, "scikit-learn": sklearn.__version__,
         "numpy": np.__version__}
    if "torch" in sys.modules:
        v["torch"] = sys.modules["torch"].__version__
    return v


def _sidecar_path(model_path):
    return Path(str(model_path) + ".json")


def cmd_train(args):
    import joblib

    params = _parse_params(args.param)
    _require_input(args.data, "data file")
    out = _check_output(args.out, args.force)
    sidecar = _check_output(_sidecar_path(out), args.force)
    est = make_estimator(args.model, params)
    if _is_skorch(est) and "verbose" not in params:
        est.set_params(verbose=0)  # the command shows its own progress bar
    data = _read_data(args, args.data, need_y=True)
    _echo(args, f"training {type(est).__name__} on {data.X.shape[0]} traces x "
                f"{data.X.shape[1]} samples from {data.source}")
    t0 = time.perf_counter()
    _fit(est, data.X, data.y, quiet=args.quiet)
    fit_s = time.perf_counter() - t0
    scores = _scores(data.y, _predict(est, data.X, quiet=args.quiet))
    meta = {
        "model": args.model,
        "estimator": f"{type(est).__module__}.{type(est).__qualname__}",
        "params": _jsonable(est.get_params(deep=False)),
        "data": {"path": str(Path(data.source).resolve()), "kind": data.kind,
                 "n_traces": int(data.X.shape[0]),
                 "n_samples": int(data.X.shape[1]),
                 "n_impedance_samples": int(data.y.shape[1]) if data.y.ndim == 2 else 1,
                 "scale": data.scale, **data.info},
        "training_scores": scores,
        "fit_time_s": round(fit_s, 3),
        "versions": _versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    with _atomic_path(out) as tmp:
        joblib.dump(est, tmp)
    _write_text(json.dumps(meta, indent=2) + "\n", sidecar)
    _echo(args, format_table([{"set": "train", "model": type(est).__name__, **scores,
                               "fit_s": fit_s}]))
    _echo(args, f"saved {out} and {sidecar}")
    return 0


def _load_model(path):
    import joblib

    path = _require_input(path, "model file")
    try:
        est = joblib.load(path)
    except Exception as exc:
        raise ValueError(f"could not load a model from {str(path)!r} "
                         f"({type(exc).__name__}: {exc}); expected a file saved by "
                         f"'{PROG} train' or joblib.dump.") from exc
    if not hasattr(est, "predict"):
        raise ValueError(f"{str(path)!r} holds a {type(est).__name__}, not an estimator.")
    return est


def cmd_predict(args):
    src = _require_input(args.input, "input file")
    kind_in, kind_out = _kind(src, "input file"), _kind(args.out, "output file")
    if kind_in != kind_out:
        raise UsageError(f"--out {args.out!r} must be of the input's kind ({kind_in}): "
                         "predictions are written in the format they were read from.")
    if Path(args.out).resolve() == src.resolve():
        raise UsageError("--out is the input file; choose another name.")
    out = _check_output(args.out, args.force)
    if args.chunk_traces < 1:
        raise UsageError(f"--chunk-traces must be >= 1, got {args.chunk_traces}.")
    est = _load_model(args.model)
    if kind_in == _SEGY:
        from impedance_sklearn.segy import predict_segy

        scale = _default_scale(kind_in, args.scale)
        model = est if scale == 1.0 else _Scaled(est, scale)
        t0 = time.perf_counter()
        predict_segy(model, src, out, chunk_traces=args.chunk_traces, progress=not args.quiet,
                     overwrite=args.force, resample=args.resample)
        _echo(args, f"wrote {out} ({time.perf_counter() - t0:.1f} s)")
        return 0
    data = _read_data(args, src, need_y=False)
    t0 = time.perf_counter()
    pred = _predict(est, data.X, quiet=args.quiet, chunk=args.chunk_traces)
    dt = time.perf_counter() - t0
    _write_prediction(data, pred, out)
    _echo(args, f"predicted {data.X.shape[0]} traces in {dt:.2f} s; wrote {out}")
    return 0


def cmd_evaluate(args):
    from impedance_sklearn import metrics

    est = _load_model(args.model)
    if args.figures is not None:
        fig_dir = Path(args.figures)
        for name in ("traces.png", "errors.png") if fig_dir.exists() else ():
            _check_output(fig_dir / name, args.force)
    data = _read_data(args, args.data, need_y=True)
    t0 = time.perf_counter()
    pred = _predict(est, data.X, quiet=args.quiet)
    predict_s = time.perf_counter() - t0
    y = data.y
    row = {"set": Path(data.source).name, "model": type(est).__name__,
           "n_traces": int(data.X.shape[0]), **_scores(y, pred),
           "rel_l1": float(metrics.relative_l1(y, pred)), "mae": float(metrics.trace_mae(y, pred)),
           "rmse": float(metrics.trace_rmse(y, pred)), "predict_s": predict_s}
    cols = [("set", "set", "{}"), ("model", "model", "{}"), ("n_traces", "traces", "{}"),
            ("pcc", "Pearson", "{:.3f}"), ("rel_l2", "rel. L2", "{:.4f}"),
            ("rel_l1", "rel. L1", "{:.4f}"), ("mae", "MAE", "{:.4g}"), ("rmse", "RMSE", "{:.4g}"),
            ("r2", "r2", "{:.3f}"), ("predict_s", "predict (s)", "{:.3f}")]
    print(format_table([row], cols))
    if args.figures is not None:
        from impedance_sklearn import plotting

        fig_dir.mkdir(parents=True, exist_ok=True)
        _save_figure(plotting.plot_traces(y, pred, X=data.X, n_traces=4), fig_dir / "traces.png")
        scores = {row["set"]: {"Pearson": metrics.trace_pcc(y, pred, per_trace=True),
                               "relative L2": metrics.relative_l2(y, pred, per_trace=True)}}
        _save_figure(plotting.plot_error_distributions(scores), fig_dir / "errors.png")
        _echo(args, f"figures written to {fig_dir}/ (traces.png, errors.png)")
    return 0


# ----------------------------------------------------------------------------------------------
# the parser and main


def _common(parser):
    g = parser.add_argument_group("output control")
    g.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS,
                   help="no progress bars or messages (result tables are still printed)")
    g.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show the full traceback on errors")


def _data_options(parser, *, impedance=True):
    g = parser.add_argument_group("data files")
    g.add_argument("--seismic-key", help=".mat: seismic variable (default: Seismic or "
                   "wz_with_multiples, whichever is there)")
    if impedance:
        g.add_argument("--impedance-key", help=".mat: impedance variable (default: Impedance, "
                       "Imp or IpTimeVec)")
        g.add_argument("--impedance", metavar="FILE", help="SEG-Y or .npy seismic: impedance "
                       "traces (.npy or SEG-Y); default for SEG-Y: <name>_impedance.npy beside it")
    g.add_argument("--scale", type=float, help="impedance in the file = model units x SCALE "
                   "(default 1e6 for .mat, 1 otherwise)")


def _build_parser():
    from impedance_sklearn import __version__

    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=fmt,
        description="Seismic-to-impedance inversion: the Das et al. (2019) CNN and classical "
                    "baselines as scikit-learn estimators.",
        epilog="Start with:  impedance-sklearn demo\n"
               "Exit status: 0 ok, 1 failure, 2 usage error.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--quiet", "-q", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", formatter_class=fmt,
                       help="fit the CNN and the baselines on generated data; table and figures",
                       description="Generate Das-like data (training ranges 10-60 m, challenge "
                                   "3-8 m), fit ImpedanceCNN and the three baselines, print the "
                                   "metrics table and write the figures.")
    p.add_argument("--out", default="demo_out", help="folder for figures and tables "
                   "(default: demo_out)")
    p.add_argument("--quick", action="store_true", help="tiny sizes, under a minute")
    p.add_argument("--force", action="store_true", help="overwrite results in --out")
    p.add_argument("--random-state", type=int, default=0)
    _common(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("train", help="fit an estimator on a data file and save it",
                       description="Fit an estimator and save it with joblib, plus MODEL.json "
                                   "(parameters, data shape, training scores, versions).")
    p.add_argument("--data", required=True, metavar="FILE", help=".mat, .npz, .npy or SEG-Y")
    p.add_argument("--model", default="cnn", choices=list(MODEL_NAMES))
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="estimator parameter, value a Python literal (repeatable), e.g. "
                        "--param max_epochs=50 --param kernel_size=101")
    p.add_argument("--out", required=True, metavar="MODEL", help="output model file (.joblib)")
    p.add_argument("--force", action="store_true", help="overwrite MODEL and MODEL.json")
    _data_options(p)
    _common(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("predict", help="predict impedance for a file of seismic traces",
                       description="Predict impedance. .mat/.npz/.npy in -> same kind out "
                                   "(.mat: Seismic and Impedance, stored (n_samples, n_traces)); "
                                   "SEG-Y in -> SEG-Y out with the input's headers, streamed.")
    p.add_argument("--model", required=True, metavar="MODEL")
    p.add_argument("--input", required=True, metavar="FILE")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--chunk-traces", type=int, default=8192, metavar="N",
                   help="traces per prediction chunk (default 8192)")
    p.add_argument("--resample", action="store_true", help="SEG-Y: resample traces whose "
                   "length differs from the model's (same time window, other sampling)")
    p.add_argument("--force", action="store_true", help="overwrite --out")
    _data_options(p, impedance=False)
    _common(p)
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("evaluate", help="score a saved model on a labelled data file",
                       description="Print the paper's metrics (mean per-trace Pearson, relative "
                                   "L2 and L1, MAE, RMSE) and the pooled r2; optional figures.")
    p.add_argument("--model", required=True, metavar="MODEL")
    p.add_argument("--data", required=True, metavar="FILE")
    p.add_argument("--figures", metavar="DIR", help="write traces.png and errors.png here")
    p.add_argument("--force", action="store_true", help="overwrite figures")
    _data_options(p)
    _common(p)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("benchmark", help="ImpedanceCNN vs the baselines: tables and a plot",
                       description="The comparison of benchmarks/compare.py: paper-like "
                                   "generated sets (or --data FILE split in train/test), fit and "
                                   "predict times, metrics; writes compare.md/.csv/.png.")
    p.add_argument("--out", default="benchmark_out", help="folder (default: benchmark_out)")
    p.add_argument("--quick", action="store_true", help="64 traces per set, 8 CNN epochs")
    p.add_argument("--force", action="store_true", help="overwrite results in --out")
    p.add_argument("--data", metavar="FILE", help="labelled data file instead of generated data")
    p.add_argument("--challenge", metavar="FILE", help="with --data: a second test file")
    p.add_argument("--test-size", type=float, default=0.5, help="with --data (default 0.5)")
    p.add_argument("--n-train", type=int, default=520)
    p.add_argument("--n-test", type=int, default=1000)
    p.add_argument("--n-challenge", type=int, default=1000)
    p.add_argument("--challenge-range", type=float, nargs=2, default=list(CHALLENGE_RANGE),
                   metavar=("LO", "HI"), help="vertical range (m) of the challenge set "
                   "(default 3 8)")
    p.add_argument("--random-state", type=int, default=0)
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="ImpedanceCNN parameter (repeatable)")
    p.add_argument("--command-text", help=argparse.SUPPRESS)  # set by benchmarks/compare.py
    _data_options(p)
    _common(p)
    p.set_defaults(func=cmd_benchmark)
    return parser


def main(argv=None):
    """Run the command line; returns the exit status (0 ok, 1 failure, 2 usage error).

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    args.argv_tail = argv[argv.index(args.command) + 1:]
    with warnings.catch_warnings():
        if not args.debug:  # library deprecation chatter is not the user's business here
            warnings.filterwarnings("ignore", category=FutureWarning, module=r"pylops(\.|$)")
        return _run(args)


def _run(args):
    try:
        return args.func(args)
    except UsageError as exc:
        if args.debug:
            raise
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"{PROG} {args.command}: error: {type(exc).__name__}: {msg}", file=sys.stderr)
        return 1
