"""impedance-sklearn: seismic-to-acoustic-impedance inversion as scikit-learn estimators.

Public names are imported lazily, so that ``import impedance_sklearn.physics`` (pure numpy/scipy)
does not pay for importing torch.
"""

__version__ = "0.1.0"

_LAZY = {
    "ImpedanceCNN": "impedance_sklearn.cnn",
    "TraceIntegration": "impedance_sklearn.baselines",
    "ColoredInversion": "impedance_sklearn.baselines",
    "ModelBasedInversion": "impedance_sklearn.baselines",
    "FewWellsRegressor": "impedance_sklearn.fewwells",
    "SectionInversion": "impedance_sklearn.section",
    "WindowedRegressor": "impedance_sklearn.windowed",
    "LowFrequencyModel": "impedance_sklearn.lowfreq",
    "tie_well": "impedance_sklearn.welltie",
    "make_impedance_dataset": "impedance_sklearn.datasets",
    "load_mat": "impedance_sklearn.datasets",
    "load_npz": "impedance_sklearn.datasets",
    "save_npz": "impedance_sklearn.datasets",
    "read_segy": "impedance_sklearn.segy",
    "write_segy": "impedance_sklearn.segy",
    "predict_segy": "impedance_sklearn.segy",
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
