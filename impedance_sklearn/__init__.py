"""impedance-sklearn: seismic-to-acoustic-impedance inversion as scikit-learn estimators.

Public names are imported lazily, so that ``import impedance_sklearn.physics`` (pure numpy/scipy)
does not pay for importing torch.

The layout (docs/architecture.md): ``physics/`` (forward models, wavelets, transforms; numpy and
scipy), ``io/`` (files), ``synthetic/`` (data generators), ``welltie`` (a well on the seismic's
time axis), ``estimators/`` (the scikit-learn regressors, their torch modules and model files),
``metrics``, ``evaluation/`` (comparisons), ``plotting/`` and ``cli/``. Two modules only gather
documented names from elsewhere: ``datasets`` and ``segy``.
"""

__version__ = "0.3.0"

_LAZY = {
    "ImpedanceCNN": "impedance_sklearn.estimators.cnn",
    "TraceIntegration": "impedance_sklearn.estimators.baselines",
    "ColoredInversion": "impedance_sklearn.estimators.baselines",
    "ModelBasedInversion": "impedance_sklearn.estimators.modelbased",
    "FewWellsRegressor": "impedance_sklearn.estimators.fewwells",
    "SectionInversion": "impedance_sklearn.estimators.section",
    "WindowedRegressor": "impedance_sklearn.estimators.windowed",
    "LowFrequencyModel": "impedance_sklearn.estimators.lowfreq",
    "tie_well": "impedance_sklearn.welltie",
    "make_impedance_dataset": "impedance_sklearn.synthetic.generator",
    "load_mat": "impedance_sklearn.io.mat",
    "load_npz": "impedance_sklearn.io.npz",
    "save_npz": "impedance_sklearn.io.npz",
    "read_segy": "impedance_sklearn.io.segy",
    "write_segy": "impedance_sklearn.io.segy",
    "predict_segy": "impedance_sklearn.io.survey",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'impedance_sklearn' has no attribute {name!r}")


def __dir__():
    return __all__
