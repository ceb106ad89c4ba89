"""Model files that are safe to open: fitted estimators saved as data, never as code.

:func:`save_model` writes a fitted estimator (any of the registry's, a scikit-learn estimator, or
one nested in another, e.g. a :class:`~impedance_sklearn.FewWellsRegressor` with its inner CNN)
as one file of plain data: parameters, fitted arrays and, for the networks, their torch
``state_dict``, plus the JSON metadata of what it was trained on. The file is a torch archive read
back with ``torch.load(weights_only=True)``, which unpickles only tensors and plain containers, so
opening it cannot run code; classes are rebuilt by name from an allow-list (the package's own,
scikit-learn's, and torch optimizer / loss classes as parameters).

:func:`load_model` reads such a file, a torch ``state_dict`` of the paper's network (the seed's
``torch.save(cnn.state_dict(), f)``), or the name of a pretrained network; a plain pickle /
joblib file only with ``trust=True`` (it executes whatever code the file holds: open only files
you made yourself).
"""

from __future__ import annotations

import importlib
import json
import warnings
from pathlib import Path

import numpy as np

__all__ = ["save_model", "load_model", "read_metadata", "ModelFileError", "FORMAT"]

FORMAT = "impedance-sklearn-model"
VERSION = 1
_ALLOWED_PREFIXES = ("impedance_sklearn.", "sklearn.")
_ALLOWED_CLASSES = ("torch.optim.", "torch.nn.modules.loss.", "torch.utils.data.", "skorch.")


class ModelFileError(ValueError):
    """A file that is not a model this package can open (the message says what it expected)."""


# ----------------------------------------------------------------------------------------------
# encoding


def _qualname(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


#: Where the classes that 0.2 files name live since 0.3 (the modules moved into subpackages).
MOVED_IN_0_3 = {
    "impedance_sklearn.cnn": "impedance_sklearn.estimators.cnn",
    "impedance_sklearn.nn": "impedance_sklearn.estimators.nn",
    "impedance_sklearn.baselines": "impedance_sklearn.estimators.baselines",
    "impedance_sklearn.modelbased": "impedance_sklearn.estimators.modelbased",
    "impedance_sklearn.fewwells": "impedance_sklearn.estimators.fewwells",
    "impedance_sklearn.windowed": "impedance_sklearn.estimators.windowed",
    "impedance_sklearn.lowfreq": "impedance_sklearn.estimators.lowfreq",
    "impedance_sklearn.forward": "impedance_sklearn.physics.forward",
}


def _resolve(name, allowed):
    module, _, attr = name.rpartition(".")
    module = MOVED_IN_0_3.get(module, module)
    name = f"{module}.{attr}"
    if not any(name.startswith(p) for p in allowed):
        raise ModelFileError(f"the model file names class {name!r}, which is not allowed here.")
    try:
        obj = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        raise ModelFileError(f"the model file names {name!r}, which this installation lacks.")  # noqa: B904
    if not isinstance(obj, type):
        raise ModelFileError(f"{name!r} in the model file is not a class.")
    return obj


def _is_skorch(obj):
    try:
        from skorch import NeuralNet
    except ImportError:  # pragma: no cover
        return False
    return isinstance(obj, NeuralNet)


def _fitted_state(est):
    """Fitted attributes of a scikit-learn-style estimator (not its parameters)."""
    params = set(est.get_params(deep=False))
    return {k: v for k, v in vars(est).items() if k not in params}




def _encode(v):
    import torch
    from sklearn.base import BaseEstimator
    from sklearn.utils import Bunch

    from impedance_sklearn.physics.forward import ForwardModel

    if isinstance(v, np.generic):  # numpy scalars (np.float64 is also a float): plain Python
        if isinstance(v, np.complexfloating):
            return {"__complex__": [float(v.real), float(v.imag)]}
        return v.item()
    if isinstance(v, complex):
        return {"__complex__": [v.real, v.imag]}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in "biufc":
            raise TypeError(f"cannot save an array of dtype {v.dtype}")
        # keep the memory order (LAPACK results depend on it in the last bits)
        fortran = v.ndim > 1 and v.flags.f_contiguous and not v.flags.c_contiguous
        data = np.ascontiguousarray(v.T if fortran else v).copy()
        return {"__array__": torch.from_numpy(data), "__fortran__": fortran}
    if isinstance(v, torch.Tensor):
        return {"__tensor__": v.detach().cpu().clone()}
    if isinstance(v, tuple):
        return {"__tuple__": [_encode(x) for x in v]}
    if isinstance(v, list):
        return [_encode(x) for x in v]
    if isinstance(v, dict):
        return {"__dict__": {str(k): _encode(x) for k, x in v.items()},
                "__bunch__": isinstance(v, Bunch)}
    if isinstance(v, type):
        return {"__class__": _qualname(v)}
    if isinstance(v, ForwardModel):
        return {"__object__": _qualname(type(v)), "state": _encode(dict(vars(v)))}
    if _is_skorch(v):
        # skorch rebuilds its own attributes in initialize(); the net names the ones it fits
        keep = getattr(type(v), "_fitted_attributes", ())
        state = {k: x for k, x in vars(v).items() if k in keep}
        params = {k: x for k, x in v.get_params(deep=False).items() if k != "callbacks"}
        fitted = bool(getattr(v, "initialized_", False))
        return {"__skorch__": _qualname(type(v)), "params": _encode(params),
                "state": _encode(state), "fitted": fitted,
                "weights": v.module_.state_dict() if fitted else None,
                "history": _encode(json.loads(json.dumps(list(v.history_ or []), default=str)))}
    if isinstance(v, BaseEstimator):
        return {"__estimator__": _qualname(type(v)), "params": _encode(v.get_params(deep=False)),
                "state": _encode(_fitted_state(v))}
    raise TypeError(f"cannot save a value of type {type(v).__name__}")


def _decode(v):
    from sklearn.utils import Bunch

    if isinstance(v, list):
        return [_decode(x) for x in v]
    if not isinstance(v, dict):
        return v
    if "__array__" in v:
        a = v["__array__"].numpy().copy()
        return a.T if v.get("__fortran__") else a
    if "__complex__" in v:
        return complex(*v["__complex__"])
    if "__tensor__" in v:
        return v["__tensor__"]
    if "__tuple__" in v:
        return tuple(_decode(x) for x in v["__tuple__"])
    if "__dict__" in v:
        d = {k: _decode(x) for k, x in v["__dict__"].items()}
        return Bunch(**d) if v.get("__bunch__") else d
    if "__class__" in v:
        return _resolve(v["__class__"], _ALLOWED_PREFIXES + _ALLOWED_CLASSES)
    if "__object__" in v:
        obj = object.__new__(_resolve(v["__object__"], ("impedance_sklearn.physics.forward.",)))
        vars(obj).update(_decode(v["state"]))
        return obj
    if "__estimator__" in v:
        cls = _resolve(v["__estimator__"], _ALLOWED_PREFIXES)
        est = cls(**_decode(v["params"]))
        vars(est).update(_decode(v["state"]))
        return est
    if "__skorch__" in v:
        from skorch.history import History

        cls = _resolve(v["__skorch__"], ("impedance_sklearn.",))
        est = cls(**_decode(v["params"]))
        vars(est).update(_decode(v["state"]))
        if v["fitted"]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est.initialize()
            est.module_.load_state_dict(v["weights"])
            est.history_ = History(_decode(v["history"]))
        return est
    raise ModelFileError("the model file holds an entry this version cannot read.")


# ----------------------------------------------------------------------------------------------
# files


def save_model(estimator, path, *, metadata=None, overwrite=False):
    """Save a fitted estimator (and JSON ``metadata``) as a safe model file, atomically.

    Parameters
    ----------
    estimator : estimator
        A registry estimator, a scikit-learn estimator, or one nesting them.
    path : str or path-like
        Destination (an existing file only with ``overwrite=True``).
    metadata : dict, optional
        JSON-serialisable facts about the model; returned by :func:`read_metadata`.
        :func:`load_model` sets ``estimator.training_info_`` to its ``"training_data"`` entry
        (what it was trained on: see :func:`impedance_sklearn.estimators.compatibility.describe_training_data`)
        or, without one, to the whole dict.
    overwrite : bool, default=False

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from impedance_sklearn import ColoredInversion
    >>> X = np.random.default_rng(0).normal(size=(8, 64)); y = np.exp(0.1 * X.cumsum(1))
    >>> est = ColoredInversion().fit(X, y)
    >>> path = save_model(est, os.path.join(tempfile.mkdtemp(), "ci.pt"), metadata={"dt": 0.004})
    >>> again = load_model(path)
    >>> bool(np.array_equal(again.predict(X), est.predict(X))), again.training_info_
    (True, {'dt': 0.004})
    """
    import torch

    from impedance_sklearn.io._files import atomic_path

    payload = {"format": FORMAT, "version": VERSION, "estimator": _encode(estimator),
               "metadata": json.dumps(metadata or {}, allow_nan=False)}
    with atomic_path(path, overwrite=overwrite) as tmp:
        torch.save(payload, tmp)
    return Path(path)


def _torch_load(path):
    payload, error = _try_safe_load(path)
    if error is not None:
        raise ModelFileError(f"{str(path)!r} cannot be opened safely as a model ({error}).")
    return payload


def _try_safe_load(path):
    """(payload, None) when ``torch.load(weights_only=True)`` can read the file, else
    (None, the reason): it refuses any pickle that would build other objects than tensors and
    plain containers, so nothing in the file runs."""
    import torch

    try:
        with warnings.catch_warnings():  # torch's notes on foreign pickle protocols
            warnings.simplefilter("ignore")
            return torch.load(path, weights_only=True, map_location="cpu"), None
    except Exception as exc:  # not a torch file, a pickle with code, or damaged
        return None, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def read_metadata(path):
    """The metadata dict saved with a model file: a :func:`save_model` file's, a
    :func:`save_pretrained` network's JSON (``params``, ``training_data``), or ``{}`` for a
    bare state_dict."""
    payload = _torch_load(path)
    if isinstance(payload, dict) and payload.get("format") == FORMAT:
        return json.loads(payload["metadata"])
    sidecar = _pretrained_sidecar(path)
    if sidecar is not None:
        spec = json.loads(sidecar.read_text())
        return {"params": spec["params"], "training_data": spec.get("training_info", {})}
    return {}


def _pretrained_sidecar(path):
    """``<stem>.json`` beside a ``.pt`` when it is :func:`save_pretrained`'s, else None."""
    sidecar = Path(path).with_suffix(".json")
    if Path(path).suffix != ".pt" or not sidecar.is_file():
        return None
    try:
        spec = json.loads(sidecar.read_text())
    except (OSError, ValueError):
        return None
    return sidecar if isinstance(spec, dict) and {"params", "fitted"} <= set(spec) else None


def _is_pickle(path):
    with open(path, "rb") as fh:
        head = fh.read(2)
    return len(head) == 2 and head[0] == 0x80  # pickle protocol >= 2 (joblib writes these)


def load_model(path_or_name, *, trust=False):
    """Open a model: a file of :func:`save_model`, a seed-style state_dict, or a pretrained name.

    Parameters
    ----------
    path_or_name : str or path-like
        A model file written by :func:`save_model` (``impedance-sklearn train``); a torch
        ``state_dict`` with the seed's keys (the paper's ``das2019_cnn_k300_f60_state_dict.pkl``),
        opened as :meth:`ImpedanceCNN.from_state_dict <impedance_sklearn.ImpedanceCNN.from_state_dict>`;
        a network written by :func:`~impedance_sklearn.estimators.pretrained.save_pretrained`
        (``<name>.pt`` with its ``<name>.json`` beside it, as ``benchmarks/train_pretrained.py``
        writes them); or the name of a network shipped with the package (``"field"``,
        ``"das2019"``, ``"field-4ms"``, ``"field-2ms"``).
    trust : bool, default=False
        Also open plain pickle / joblib files. **They run whatever code they contain**: only for
        files you made yourself.

    Returns
    -------
    estimator
        Fitted; ``training_info_`` holds the saved metadata (what it was trained on).

    Raises
    ------
    FileNotFoundError
        No such file (and not a pretrained name).
    ModelFileError
        Not a model file (the message says what was expected), or a pickle without ``trust``.
    """
    from impedance_sklearn.io._files import check_input_file

    text = str(path_or_name)
    if not Path(text).exists():
        from impedance_sklearn.estimators.pretrained import PRETRAINED

        if text in PRETRAINED:
            from impedance_sklearn.estimators.cnn import ImpedanceCNN

            return ImpedanceCNN.from_pretrained(text)
    path = check_input_file(path_or_name, "model file")
    payload, safe_error = _try_safe_load(path)
    if safe_error is None:
        if isinstance(payload, dict) and payload.get("format") == FORMAT:
            if payload.get("version", 0) > VERSION:
                raise ModelFileError(
                    f"{text!r} was written by a newer impedance-sklearn (format version "
                    f"{payload['version']}); upgrade the package to open it."
                )
            est = _decode(payload["estimator"])
            meta = json.loads(payload["metadata"])
            est.training_info_ = meta.get("training_data", meta)
            return est
        if isinstance(payload, dict) and _pretrained_sidecar(path) is not None:
            from impedance_sklearn.estimators.cnn import ImpedanceCNN
            from impedance_sklearn.estimators.pretrained import load_pretrained

            return load_pretrained(ImpedanceCNN, path.stem, folder=path.parent)
        if isinstance(payload, dict) and "layer1.0.weight" in payload:
            from impedance_sklearn.estimators.cnn import ImpedanceCNN
            from impedance_sklearn.estimators.pretrained import DAS2019_TRAINING_INFO

            est = ImpedanceCNN.from_state_dict(payload)
            est.training_info_ = dict(DAS2019_TRAINING_INFO)
            return est
        raise ModelFileError(
            f"{text!r} is a torch file holding {_article(type(payload).__name__)}, not a model: "
            "expected a file saved by 'impedance-sklearn train' (save_model) or a state_dict "
            "of the paper's network (keys layer1.0.weight, ...)."
        )
    if _is_pickle(path):
        if not trust:
            raise ModelFileError(
                f"{text!r} is a pickle/joblib file, which runs code when opened; open it only "
                "if you made it, with trust=True (--trust on the command line), or re-save the "
                "model with save_model ('impedance-sklearn train' does)."
            )
        import joblib

        warnings.warn(f"opening {text!r} as a pickle: it can run arbitrary code.", UserWarning,
                      stacklevel=2)
        est = joblib.load(path)
        if not hasattr(est, "predict"):
            raise ModelFileError(f"{text!r} holds {_article(type(est).__name__)}, not an "
                                 "estimator.")
        return est
    raise ModelFileError(
        f"{text!r} is not a model file: expected a file saved by 'impedance-sklearn train', a "
        "torch state_dict of the paper's network, or a pretrained name (field, das2019, field-4ms, "
        "field-2ms)."
    )


def _article(word):
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
