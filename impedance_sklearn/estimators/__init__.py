"""The estimator registry: one short name per estimator, used by the command line and the
comparisons.

A new estimator is added here once (name, module, class, one-line description) and becomes a
``--model`` choice of every command and a row of the comparisons.

Examples
--------
>>> from impedance_sklearn.estimators import ESTIMATORS, make_estimator
>>> sorted(ESTIMATORS)
['cnn', 'colored', 'few-wells', 'few-wells-ridge', 'model-based', 'trace-integration']
>>> make_estimator("colored", {"background_sigma": 5.0})
ColoredInversion(background_sigma=5.0)
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass

__all__ = [
    "ESTIMATORS",
    "EstimatorSpec",
    "make_estimator",
    "estimator_class",
    "registry_name",
    "UnknownNameError",
]


@dataclass(frozen=True)
class EstimatorSpec:
    """Where an estimator lives, what it is, and its parameters under this name.

    Parameters
    ----------
    module : str
        The module that defines the class.
    name : str
        The class's name in ``module``.
    description : str
        One line for the command line's help and the comparison tables.
    defaults : callable, optional
        A function returning a dict of the parameters that differ from the class's defaults
        under this registry name (None: the class's defaults).
    """

    module: str
    name: str
    description: str
    defaults: object = None


def _few_wells_ridge():
    import numpy as np
    from sklearn.linear_model import RidgeCV

    return {"estimator": RidgeCV(alphas=np.logspace(-3, 3, 13)), "forward": "convolutional"}


#: Short name -> estimator, in the order the comparisons list them.
ESTIMATORS = {
    "cnn": EstimatorSpec("impedance_sklearn.estimators.cnn", "ImpedanceCNN",
                         "the Das et al. (2019) CNN (skorch), trained on labelled traces"),
    "trace-integration": EstimatorSpec("impedance_sklearn.estimators.baselines", "TraceIntegration",
                                       "recursive inversion with a learned scale and background"),
    "colored": EstimatorSpec("impedance_sklearn.estimators.baselines", "ColoredInversion",
                             "coloured inversion (Lancaster & Whitcombe 2000)"),
    "model-based": EstimatorSpec("impedance_sklearn.estimators.modelbased", "ModelBasedInversion",
                                 "least-squares model-based inversion (PyLops)"),
    "few-wells": EstimatorSpec("impedance_sklearn.estimators.fewwells", "FewWellsRegressor",
                               "a CNN trained on synthetics matched to a few wells"),
    "few-wells-ridge": EstimatorSpec("impedance_sklearn.estimators.fewwells", "FewWellsRegressor",
                                     "ridge regression (RidgeCV) trained on convolutional "
                                     "synthetics matched to a few wells: the best learned "
                                     "model on the blind Penobscot interval",
                                     defaults=_few_wells_ridge),
}


class UnknownNameError(ValueError):
    """An estimator or parameter name that the registry does not know (the message lists the
    valid ones)."""


def estimator_class(name):
    """The class registered under ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`ESTIMATORS`.

    Returns
    -------
    type
        The estimator class (its module imported on demand).

    Raises
    ------
    UnknownNameError
        If ``name`` is not registered.
    """
    if name not in ESTIMATORS:
        raise UnknownNameError(
            f"unknown model {name!r}; choose one of {', '.join(ESTIMATORS)}."
        )
    spec = ESTIMATORS[name]
    return getattr(importlib.import_module(spec.module), spec.name)


def make_estimator(name, params=None):
    """An unfitted estimator by its registry name, with ``params`` set.

    Parameters
    ----------
    name : str
        A key of :data:`ESTIMATORS`.
    params : dict, optional
        Estimator parameters; names not in ``get_params()`` raise :class:`UnknownNameError`
        with the closest valid name. Routed ``prefix__name`` keys (skorch's
        ``optimizer__weight_decay``, ...) are checked by ``set_params``.

    Returns
    -------
    estimator
    """
    est = estimator_class(name)()
    if ESTIMATORS[name].defaults is not None:
        est.set_params(**ESTIMATORS[name].defaults())
    params = dict(params or {})
    valid = est.get_params(deep=False)
    unknown = sorted(k for k in params if k not in valid and "__" not in k)
    if unknown:
        close = {k: difflib.get_close_matches(k, list(valid), n=1) for k in unknown}
        hint = "; ".join(f"did you mean {m[0]}?" for m in close.values() if m)
        raise UnknownNameError(
            f"unknown parameter(s) {', '.join(unknown)} for {type(est).__name__}"
            f"{' (' + hint + ')' if hint else ''}; valid names: {', '.join(sorted(valid))}."
        )
    return est.set_params(**params)


def registry_name(estimator):
    """The registry name of an estimator's class (the first name registered for it).

    Parameters
    ----------
    estimator : estimator instance
        Any object; compared by its class's name and module.

    Returns
    -------
    str or None
        The first key of :data:`ESTIMATORS` registered for its class, or None.
    """
    for name, spec in ESTIMATORS.items():
        cls = type(estimator)
        if cls.__name__ == spec.name and cls.__module__ == spec.module:
            return name
    return None
