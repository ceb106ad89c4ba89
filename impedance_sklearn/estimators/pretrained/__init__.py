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

from impedance_sklearn._validation import check_positive_int

__all__ = ["PRETRAINED", "SAMPLING", "DAS2019_TRAINING_INFO", "load_pretrained",
           "save_pretrained", "estimator_from_state_dict", "pretrained_for", "load_windowed"]

#: The ImpedanceCNN parameters a pretrained file records (plain values only).
_PARAMS = ("kernel_size", "n_filters", "architecture", "output_activation", "conv_mode",
           "standardize", "whiten", "domain", "lr", "lr_schedule", "max_epochs", "batch_size", "random_state")
_FITTED = ("n_features_in_", "n_outputs_", "x_scale_", "y_loc_", "y_scale_", "domain_", "y_range_")

HERE = Path(__file__).resolve().parent

#: Shipped networks: name -> what it is for (details in its JSON and docs/cnn.md). "field" and
#: "das2019" take 331-sample traces at dt = 4.3875e-4 s (the paper's axis); "field-4ms" and
#: "field-2ms" windows of 512 ms at a survey's sampling (:func:`load_windowed`: any length).
PRETRAINED = {
    "field": "seismic as field surveys deliver it: band-limited (down to what 4 ms sampling "
             "holds), noisy (0-20 %), any amplitude, wavelet phase +-30 deg and corners x "
             "0.75-1.25; a dilated residual network (architecture='tcn') standardised per "
             "trace. On clean full-band paper-like data 'das2019' is better.",
    "das2019": "full-band paper-like data (the paper's physics and wavelet): the default "
               "ImpedanceCNN on 5,000 generator traces, 15 % of them noisy. Not for "
               "band-limited or re-scaled data (it relies on the weak content above 100 Hz).",
    "field-4ms": "field-like surveys sampled at 4 ms, traces of any length (128-sample windows): "
                 "a dilated residual network on zero-phase Ricker synthetics (15-40 Hz), "
                 "pressure polarity (an impedance increase is a peak), noisy, any amplitude. "
                 "Relative impedance only: its level is the generator's, not your wells'.",
    "field-2ms": "as field-4ms, for surveys sampled at 2 ms (256-sample windows).",
}

#: The sampling interval (s) each shipped network was trained at.
SAMPLING = {"field": 4.3875e-4, "das2019": 4.3875e-4, "field-4ms": 0.004, "field-2ms": 0.002}

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
    n_samples = check_positive_int(n_samples, "n_samples", 1)
    if n_samples < kernel_size:
        raise ValueError(
            f"n_samples={n_samples} is shorter than the network's kernel ({kernel_size} "
            f"samples); traces need at least {kernel_size} samples, as in fit."
        )
    n_outputs = n_samples if n_outputs is None else check_positive_int(n_outputs, "n_outputs", 1)
    params.setdefault("standardize", False)
    est = cls(**params)
    est._validate_params()
    est._check_training_setup()
    est.n_features_in_, est.n_outputs_, est._y_was_1d = n_samples, n_outputs, False
    est.initialize()
    core = getattr(est.module_, "core", est.module_)
    try:
        core.load_state_dict({k: state[k] for k in _SEED_KEYS})
    except RuntimeError as exc:
        raise ValueError(f"state_dict does not fit the seed's network: {exc}") from exc
    return est


def load_pretrained(cls, name="field", folder=None):
    """A shipped network by name (see :data:`PRETRAINED`) as an instance of ``cls``
    (:class:`~impedance_sklearn.ImpedanceCNN`), fitted and ready to predict; ``folder``: read
    ``<name>.pt`` / ``<name>.json`` written by :func:`save_pretrained` there instead."""
    import torch

    if folder is None and name not in PRETRAINED:
        raise ValueError(f"unknown pretrained network {name!r}; choose one of "
                         f"{', '.join(PRETRAINED)}.")
    base = HERE if folder is None else Path(folder)
    spec = json.loads((base / f"{name}.json").read_text())
    est = cls(**spec["params"])
    for key, value in spec["fitted"].items():
        setattr(est, key, tuple(value) if isinstance(value, list) else value)
    if "y_range_" not in spec["fitted"]:  # files written before outputs were bounded
        est.y_range_ = _range_from_info(spec["training_info"], est.domain_, est.y_scale_)
    prefilter = spec.get("prefilter")
    est._prefilter = None if prefilter is None else np.asarray(prefilter)
    est._y_was_1d = False
    est.initialize()
    state = torch.load(base / f"{name}.pt", weights_only=True, map_location="cpu")
    est.module_.load_state_dict(state)
    est.training_info_ = spec["training_info"]
    return est


def _range_from_info(info, domain, scale):
    """``y_range_`` of a file written without one, from the impedance range it records."""
    from impedance_sklearn.estimators.compatibility import target_range

    low, high = (float(v) for v in info["impedance_range"])
    T = np.log([low, high]) if domain == "log" else np.array([low, high])
    return target_range(T, domain, scale)


def pretrained_for(name, dt):
    """The shipped network of ``name``'s family (``"field"``, ``"field-4ms"``: family
    ``"field"``) trained at the sampling ``dt`` (s, within 1 %), or None."""
    family = str(name).split("-")[0]
    for key, at in SAMPLING.items():
        if key.split("-")[0] == family and abs(at - float(dt)) <= 0.01 * float(dt):
            return key
    return None


def load_windowed(cls, name):
    """A shipped network as a fitted :class:`~impedance_sklearn.WindowedRegressor` (traces of
    any length at its sampling, by overlap-add of windows of its trace length); its
    ``training_info_`` no longer fixes the trace length, and a per-trace standardised network
    records no amplitude (it takes any)."""
    from impedance_sklearn.estimators.windowed import WindowedRegressor

    est = load_pretrained(cls, name)
    w = WindowedRegressor.from_fitted(est)
    info = dict(est.training_info_, n_samples=None, window_samples=int(est.n_features_in_))
    if est.standardize == "trace":
        info.pop("seismic", None)
    w.training_info_ = info
    return w


def save_pretrained(estimator, stem, training_info, *, overwrite=False):
    """Write a fitted, standardised :class:`~impedance_sklearn.ImpedanceCNN` as ``<stem>.pt``
    (its module's ``state_dict``) and ``<stem>.json`` (parameters, scalings and
    ``training_info``), both atomically; the format :func:`load_pretrained` reads.

    Returns the two paths.
    """
    import torch

    from impedance_sklearn.io._files import atomic_paths

    if not getattr(estimator, "standardize", False) or not hasattr(estimator, "x_scale_"):
        raise ValueError("save_pretrained needs a fitted ImpedanceCNN with standardize=True "
                         "or 'trace'.")
    params = {k: estimator.get_params()[k] for k in _PARAMS}
    fitted = {k: getattr(estimator, k) for k in _FITTED}
    fitted = {k: (v if isinstance(v, str) else [float(b) for b in v] if k == "y_range_"
                  else int(v) if k.startswith("n_") else float(v))
              for k, v in fitted.items()}
    prefilter = getattr(estimator, "_prefilter", None)
    spec = {"params": params, "fitted": fitted,
            "prefilter": None if prefilter is None else [float(g) for g in prefilter],
            "training_info": dict(training_info)}
    text = json.dumps(spec, indent=1, sort_keys=True)
    state = {k: v.detach().cpu().contiguous() for k, v in estimator.module_.state_dict().items()}
    paths = [Path(f"{stem}.pt"), Path(f"{stem}.json")]
    with atomic_paths(paths, overwrite=overwrite) as (pt, js):
        torch.save(state, pt)
        js.write_text(text + "\n")
    return paths
