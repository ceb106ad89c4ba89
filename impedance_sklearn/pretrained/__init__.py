"""Networks from weight files: the paper's ``state_dict`` and the networks shipped with the package.

* :func:`estimator_from_state_dict` -- an :class:`~impedance_sklearn.ImpedanceCNN` computing the
  seed's function exactly from weights saved the seed's way (``ImpedanceCNN.from_state_dict``);
* :func:`load_pretrained` -- a network trained by the package (``ImpedanceCNN.from_pretrained``):
  ``<name>.pt`` (the module's ``state_dict``, loaded with ``weights_only=True``) and
  ``<name>.json`` (its parameters, scalings and what it was trained on) in this folder. The
  script that trains them reproducibly is ``benchmarks/train_pretrained.py``.

:data:`PRETRAINED` lists the shipped names with what each is for; :data:`DAS2019_TRAINING_INFO`
records what the paper's network was trained on (so that the command line can compare a survey
with it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

__all__ = ["PRETRAINED", "DAS2019_TRAINING_INFO", "load_pretrained", "estimator_from_state_dict"]

HERE = Path(__file__).resolve().parent

#: Shipped networks: name -> one line on what it is for (details in its JSON and docs/cnn.md).
PRETRAINED = {
    "field": "seismic as field surveys deliver it: band-limited (down to what 4 ms sampling "
             "holds), noisy, any amplitude; 331 samples at dt = 4.3875e-4 s",
    "das2019": "full-band, paper-like data (the paper's physics, clean); 331 samples at "
               "dt = 4.3875e-4 s",
}

#: What the paper's published network was trained on (Das et al. 2019 and its scripts).
DAS2019_TRAINING_INFO = {
    "source": "Das, Pollack, Wollner & Mukerji (2019), the published network (seed keys)",
    "dt": 4.3875e-4,
    "n_samples": 331,
    "t0": 24 * 4.3875e-4,
    "seismic": {"rms": 0.056, "note": "Kennett synthetics, all frequencies up to 1,140 Hz"},
    "impedance_unit": "impedance (m/s x kg/m^3) / 1e6",
    "impedance_range": [2.6, 9.6],
}

_SEED_KEYS = ("layer1.0.weight", "layer1.0.bias", "layer2.0.weight", "layer2.0.bias")


def _read_state_dict(path_or_dict):
    import torch

    if isinstance(path_or_dict, Mapping):
        return dict(path_or_dict)
    try:
        state = torch.load(path_or_dict, weights_only=True, map_location="cpu")
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise ValueError(
            f"could not read a torch state_dict from {path_or_dict!r}: {exc}"
        ) from exc
    if not isinstance(state, Mapping):
        article = "an" if type(state).__name__[:1].lower() in "aeiou" else "a"
        raise ValueError(
            f"{path_or_dict!r} holds {article} {type(state).__name__}, expected a state_dict "
            "(a mapping of parameter names to tensors)."
        )
    return state


def _positive_int(value, name, low):
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}.") from None
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value}.")
    return value


def estimator_from_state_dict(cls, path_or_dict, n_samples=331, n_outputs=None, **params):
    """The body of :meth:`ImpedanceCNN.from_state_dict <impedance_sklearn.ImpedanceCNN.from_state_dict>`."""
    import torch

    state = _read_state_dict(path_or_dict)
    missing = [k for k in _SEED_KEYS if k not in state]
    if missing:
        raise ValueError(
            f"state_dict lacks {missing}; expected the seed's keys {list(_SEED_KEYS)}, got "
            f"{sorted(state)}."
        )
    w1 = state["layer1.0.weight"]
    if not (torch.is_tensor(w1) and w1.dim() == 3 and w1.shape[1] == 1):
        raise ValueError(
            "layer1.0.weight must be a tensor of shape (n_filters, 1, kernel_size), got "
            f"{getattr(w1, 'shape', type(w1))}."
        )
    bad = [k for k in _SEED_KEYS if not (torch.is_tensor(state[k])
                                         and torch.isfinite(state[k]).all())]
    if bad:
        raise ValueError(f"state_dict entries {bad} hold NaN or infinite weights.")
    n_filters, _, kernel_size = (int(s) for s in w1.shape)
    for name, value in (("kernel_size", kernel_size), ("n_filters", n_filters)):
        if name in params and params[name] != value:
            raise ValueError(f"{name}={params[name]} contradicts the weights ({name}={value}).")
        params[name] = value
    n_samples = _positive_int(n_samples, "n_samples", 1)
    if n_samples < kernel_size:
        raise ValueError(
            f"n_samples={n_samples} is shorter than the network's kernel ({kernel_size} "
            f"samples); traces need at least {kernel_size} samples, as in fit."
        )
    n_outputs = n_samples if n_outputs is None else _positive_int(n_outputs, "n_outputs", 1)
    params.setdefault("standardize", False)
    est = cls(**params)
    est._check_params()
    est.n_features_in_, est.n_outputs_, est._y_was_1d = n_samples, n_outputs, False
    est.initialize()
    core = getattr(est.module_, "core", est.module_)
    try:
        core.load_state_dict({k: state[k] for k in _SEED_KEYS})
    except RuntimeError as exc:
        raise ValueError(f"state_dict does not fit the seed's network: {exc}") from exc
    return est


def load_pretrained(cls, name="field"):
    """A shipped network by name (see :data:`PRETRAINED`) as an instance of ``cls``
    (:class:`~impedance_sklearn.ImpedanceCNN`), fitted and ready to predict."""
    import torch

    if name not in PRETRAINED:
        raise ValueError(f"unknown pretrained network {name!r}; choose one of "
                         f"{', '.join(PRETRAINED)}.")
    spec = json.loads((HERE / f"{name}.json").read_text())
    est = cls(**spec["params"])
    for key, value in spec["fitted"].items():
        setattr(est, key, value)
    prefilter = spec.get("prefilter")
    est._prefilter = None if prefilter is None else np.asarray(prefilter)
    est._y_was_1d = False
    est.initialize()
    state = torch.load(HERE / f"{name}.pt", weights_only=True, map_location="cpu")
    est.module_.load_state_dict(state)
    est.training_info_ = spec["training_info"]
    return est
