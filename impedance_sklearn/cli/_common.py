"""What every command shares: errors, messages, progress, options, data and model files.

Heavy imports (torch, matplotlib, skorch) happen inside the functions, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

import numpy as np

PROG = "impedance-sklearn"


class UsageError(Exception):
    """A problem with the command line itself: exit status 2."""


# ----------------------------------------------------------------------------------------------
# messages and progress


def echo(args, *msg):
    """Print a message unless ``--quiet``."""
    if not getattr(args, "quiet", False):
        print(*msg, flush=True)


def log_to_stderr(args):
    """A callable that prints one message to stderr unless ``--quiet`` (or None)."""
    if getattr(args, "quiet", False):
        return None
    return lambda msg: print(msg, file=sys.stderr, flush=True)


def progress(iterable=None, *, quiet, **kwargs):
    """A tqdm progress bar on stderr (disabled with ``quiet``)."""
    from tqdm.auto import tqdm

    return tqdm(iterable, disable=quiet, file=sys.stderr, dynamic_ncols=True, **kwargs)


def plural(n, word, plural_word=None):
    """``"1 trace"``, ``"2 traces"``.

    Examples
    --------
    >>> plural(1, "trace"), plural(3, "trace")
    ('1 trace', '3 traces')
    """
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


# ----------------------------------------------------------------------------------------------
# files


def require_input(path, what="input file"):
    """``path`` as a Path if it is a readable regular file, else a UsageError saying why."""
    from impedance_sklearn.io._files import check_input_file

    try:
        return check_input_file(path, what)
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None


def check_output(path, force, *, sources=()):
    """``path`` as a Path if it may be written (``--force`` for an existing file)."""
    from impedance_sklearn.io._files import check_destination

    try:
        return check_destination(path, overwrite=force, sources=sources)
    except FileExistsError:
        raise UsageError(f"{str(path)!r} already exists; use --force to overwrite it.") from None
    except FileNotFoundError:
        raise UsageError(f"output folder {str(Path(path).parent)!r} does not exist.") from None
    except (IsADirectoryError, ValueError) as exc:
        raise UsageError(str(exc)) from None


def file_kind(path, what="file"):
    """The kind of a data file from its suffix (UsageError when unsupported)."""
    from impedance_sklearn.io import UnsupportedFormatError
    from impedance_sklearn.io import file_kind as _file_kind

    try:
        return _file_kind(path, what)
    except UnsupportedFormatError as exc:
        raise UsageError(str(exc)) from None


def read_data(args, path, *, need_y, impedance=None):
    """Read traces for a command (the data options of ``args``); see ``io.read_traces``.

    ``impedance``: the impedance file for .npy/SEG-Y seismic (None: ``args.impedance``; False:
    none given).
    """
    from impedance_sklearn.io import read_traces

    path = require_input(path, "data file")
    file_kind(path, "data file")
    imp = getattr(args, "impedance", None) if impedance is None else (impedance or None)
    if imp is not None:
        require_input(imp, "impedance file")
    scale = getattr(args, "scale", None)
    if scale is not None and (not np.isfinite(scale) or scale <= 0):
        raise UsageError(f"--scale must be a positive number, got {scale}.")
    return read_traces(path, need_impedance=need_y, impedance=imp,
                       seismic_key=getattr(args, "seismic_key", None),
                       impedance_key=getattr(args, "impedance_key", None), scale=scale)


# ----------------------------------------------------------------------------------------------
# estimators


def parse_params(pairs):
    """``["name=literal", ...]`` -> dict; a bare word (``cpu``, ``relu``) is a string."""
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


def _torch_class(value, key):
    """``--param optimizer=SGD`` / ``criterion=L1Loss``: the torch class of that name."""
    import torch

    where = torch.optim if key.split("__")[0] == "optimizer" else torch.nn
    cls = getattr(where, value, None)
    if not isinstance(cls, type):
        kind = "optimizer (torch.optim)" if where is torch.optim else "loss (torch.nn)"
        raise UsageError(f"--param {key}={value}: not a torch {kind} class, e.g. "
                         f"{'Adam, SGD, AdamW' if where is torch.optim else 'MSELoss, L1Loss'}.")
    return cls


def make_estimator(name, params=None):
    """The registry's estimator (UsageError for an unknown name or parameter)."""
    from impedance_sklearn.estimators import UnknownNameError
    from impedance_sklearn.estimators import make_estimator as _make

    params = dict(params or {})
    for key in ("optimizer", "criterion", "estimator__optimizer", "estimator__criterion"):
        if isinstance(params.get(key), str):
            params[key] = _torch_class(params[key], key.rsplit("__", 1)[-1])
    try:
        return _make(name, params)
    except UnknownNameError as exc:
        raise UsageError(str(exc)) from None


def is_skorch(est):
    return hasattr(est, "history") and hasattr(est, "callbacks")


def fit_with_progress(est, X, y, *, quiet):
    """Fit ``est``; skorch nets get an epoch progress bar, not kept in the fitted net."""
    if not is_skorch(est):
        return est.fit(X, y)
    from impedance_sklearn.cli._callbacks import EpochProgress

    original = est.callbacks
    est.set_params(callbacks=list(original or []) + [("cli_progress", EpochProgress(quiet))])
    try:
        est.fit(X, y)
    finally:  # the saved net keeps the user's callbacks only
        est.set_params(callbacks=original)
        if getattr(est, "initialized_", False) and hasattr(est, "initialize_callbacks"):
            est.initialize_callbacks()
    return est


def predict_with_progress(est, X, *, quiet, chunk=8192):
    """Predict in chunks of ``chunk`` traces, with a progress bar when there is more than one."""
    from impedance_sklearn.evaluation import predict_chunked

    return predict_chunked(
        est, X, chunk,
        progress=lambda it: progress(it, quiet=quiet, desc="predict", unit="chunk"),
    )


# ----------------------------------------------------------------------------------------------
# options


def add_output_options(parser):
    g = parser.add_argument_group("output control")
    g.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS,
                   help="no progress bars or messages (result tables are still printed)")
    g.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show the full traceback on errors")


def add_data_options(parser, *, impedance=True):
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


# ----------------------------------------------------------------------------------------------
# metadata


def jsonable(value):
    """``value`` as JSON-serialisable data (classes by dotted name, other objects by repr)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)


def versions():
    import sklearn

    import impedance_sklearn

    v = {"impedance_sklearn": impedance_sklearn.__version__, "scikit-learn": sklearn.__version__,
         "numpy": np.__version__}
    if "torch" in sys.modules:
        v["torch"] = sys.modules["torch"].__version__
    return v


def sidecar_path(model_path):
    return Path(str(model_path) + ".json")


def add_model_options(parser):
    g = parser.add_argument_group("model")
    g.add_argument("--model", required=True, metavar="MODEL",
                   help="a model file saved by 'train', a torch state_dict of the paper's network "
                        "(e.g. das2019_cnn_k300_f60_state_dict.pkl), or a pretrained name: "
                        "field, das2019")
    g.add_argument("--trust", action="store_true",
                   help="also open pickle/joblib model files: they run code when opened, so "
                        "only for files you made yourself")


def load_model(path, trust=False):
    """A fitted estimator from a model file, a state_dict or a pretrained name."""
    from impedance_sklearn.estimators.persist import ModelFileError
    from impedance_sklearn.estimators.persist import load_model as _load
    from impedance_sklearn.estimators.pretrained import PRETRAINED

    if not Path(str(path)).exists() and str(path) not in PRETRAINED:
        raise UsageError(f"model {str(path)!r} is neither a file nor a pretrained name "
                         f"({', '.join(PRETRAINED)}).")
    try:
        return _load(path, trust=trust)
    except ModelFileError as exc:
        if "trust" in str(exc):
            raise UsageError(str(exc)) from None
        raise


def save_model(est, out, sidecar, meta, *, force, sources):
    """Save ``est`` (safe format) and its JSON sidecar together, atomically."""
    import json

    from impedance_sklearn.estimators.persist import save_model as _save
    from impedance_sklearn.io._files import atomic_paths

    with atomic_paths([out, sidecar], overwrite=force, sources=sources) as (tmp, tmp_json):
        _save(est, tmp, metadata=meta, overwrite=True)
        tmp_json.write_text(json.dumps(meta, indent=2) + "\n")


def set_threads(args):
    """Apply ``--threads`` to torch (and numba) before any work."""
    n = getattr(args, "threads", None)
    if n is None:
        return
    if n < 1:
        raise UsageError(f"--threads must be >= 1, got {n}.")
    import torch

    torch.set_num_threads(int(n))
    try:
        import numba

        numba.set_num_threads(min(int(n), numba.config.NUMBA_NUM_THREADS))
    except (ImportError, ValueError):  # pragma: no cover
        pass


def add_threads_option(parser):
    parser.add_argument("--threads", type=int, default=1, metavar="N",
                        help="CPU threads for torch and numba (default 1: on a busy 2-core "
                             "machine two torch threads ran 8x slower than one; raise it on an "
                             "idle machine with more cores)")


def check_survey(args, est, X, *, dt, t0, resample):
    """Compare the input with what the model was trained on; stop on a bad mismatch unless
    --force. Returns the amplitude factor to apply (``--match-amplitude``) and the notes."""
    from impedance_sklearn.estimators.compatibility import (
        amplitude_factor,
        check_compatibility,
    )

    info = getattr(est, "training_info_", None) or {}
    inner = getattr(est, "estimator_", est)
    if getattr(inner, "standardize", None) == "trace":  # each trace divided by its own RMS
        info = {k: v for k, v in info.items() if k != "seismic"}
    match = bool(getattr(args, "match_amplitude", False))
    findings = check_compatibility(info, X, dt=dt, t0=t0, resample=resample,
                                   match_amplitude=match)
    blocking = [f for f in findings if f.blocking]
    for f in findings:
        if not f.blocking or getattr(args, "force", False):
            print(f"{PROG}: warning: {f}", file=sys.stderr)
    if blocking and not getattr(args, "force", False):
        raise UsageError(" ".join(str(f) for f in blocking) + " (--force predicts anyway.)")
    return amplitude_factor(info, X) if match else 1.0


class Scaled:
    """Delegates to a fitted estimator: ``scale * estimator.predict(x_factor * X)``."""

    def __init__(self, estimator, scale=1.0, x_factor=1.0):
        self.estimator, self.scale, self.x_factor = estimator, scale, x_factor

    def __getattr__(self, name):
        return getattr(self.estimator, name)

    def __sklearn_is_fitted__(self):
        return True

    def predict(self, X):
        X = np.asarray(X) if self.x_factor == 1.0 else np.asarray(X) * self.x_factor
        return np.asarray(self.estimator.predict(X)) * self.scale
