"""Every public name has a numpydoc docstring with its summary, Parameters and Returns, and the
API reference (docs/api.rst) lists it.

The public names are those of each documented module's ``__all__``: the package itself, the
two alias modules of ``../shared/design.md`` (``datasets``, ``segy``), ``metrics``,
``welltie`` and each subpackage's ``__init__`` (``physics``, ``io``, ``synthetic``,
``estimators``, ``evaluation``, ``plotting``, ``cli``), and the public methods that their
classes define themselves (inherited scikit-learn and skorch methods are those projects'
to document). ``numpydoc.validate.validate`` checks each, and the test fails on these codes:

* GL08: the object has no docstring;
* SS01: no summary line;
* PR01: a parameter of the signature is not documented in Parameters;
* PR02: Parameters documents a name that is not in the signature (a stale docstring);
* RT01: the function returns a value, and there is no Returns section.

Not enforced: the codes of form and style (ES01 no extended summary, EX01 no Examples, SA01
no See Also, SS05 a summary not in the infinitive, SS06, GL02, PR03 parameter order, PR07 /
RT03 an entry without a description, as in scikit-learn's ``X : array-like of shape ...``
shorthand, RT02, PR04 / PR08 / PR09 wording of types and descriptions). They are numpydoc's
preferences rather than missing content. Skips when numpydoc is not installed
(``pip install -e ".[docs]"`` or ``".[test]"``).
"""

import importlib
import inspect
import re
from pathlib import Path

import pytest

validate = pytest.importorskip("numpydoc.validate").validate

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "impedance_sklearn",
    "impedance_sklearn.datasets",
    "impedance_sklearn.segy",
    "impedance_sklearn.metrics",
    "impedance_sklearn.physics",
    "impedance_sklearn.io",
    "impedance_sklearn.synthetic",
    "impedance_sklearn.welltie",
    "impedance_sklearn.estimators",
    "impedance_sklearn.evaluation",
    "impedance_sklearn.evaluation.blind",
    "impedance_sklearn.plotting",
    "impedance_sklearn.cli",
]
CHECKED = ("GL08", "SS01", "PR01", "PR02", "RT01")


def _public_names():
    """(module, name) for every name of every documented module's ``__all__``."""
    for mod_name in MODULES:
        mod = importlib.import_module(mod_name)
        for name in mod.__all__:
            if name != "__version__":
                yield mod_name, name


def _documented_objects():
    """{import path of the defining home: object}: functions, classes, their own methods."""
    out = {}
    for mod_name, name in _public_names():
        obj = getattr(importlib.import_module(mod_name), name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue  # constants: documented in docs/api.rst, no docstring of their own
        home = f"{obj.__module__}.{obj.__qualname__}"
        out.setdefault(home, obj)
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if attr.startswith("_"):
                    continue
                func = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
                if inspect.isfunction(func):
                    out.setdefault(f"{home}.{attr}", func)
    return out


OBJECTS = _documented_objects()


def test_the_public_names_are_found():
    # the estimators, their fit / predict and the design's functions are all among them
    for name in ("impedance_sklearn.estimators.cnn.ImpedanceCNN.fit",
                 "impedance_sklearn.estimators.cnn.ImpedanceCNN.from_state_dict",
                 "impedance_sklearn.estimators.section.SectionInversion.predict",
                 "impedance_sklearn.synthetic.generator.make_impedance_dataset",
                 "impedance_sklearn.metrics.trace_pcc"):
        assert name in OBJECTS
    assert len(OBJECTS) > 90


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_numpydoc(name):
    errors = [f"{code}: {msg}" for code, msg in validate(name)["errors"] if code in CHECKED]
    assert not errors, f"{name}:\n  " + "\n  ".join(errors)


def test_the_api_page_lists_every_public_name():
    """docs/api.rst: every public name under its module (``.. module::`` then autosummary or
    autodata entries)."""
    text = (ROOT / "docs" / "api.rst").read_text()
    listed, module = set(), None
    for line in text.splitlines():
        m = re.match(r"\.\. (?:module|currentmodule):: (\S+)", line)
        if m:
            module = m.group(1)
            continue
        m = re.match(r"(?:   |\.\. autodata:: )([A-Za-z_][A-Za-z0-9_]*)\s*$", line)
        if m and module:
            listed.add((module, m.group(1)))
    missing = sorted(f"{m}.{n}" for m, n in _public_names() if (m, n) not in listed)
    assert not missing, f"docs/api.rst does not list {missing}"
