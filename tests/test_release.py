"""The release's metadata agrees with itself: one version everywhere, the licence file that
pyproject names, a changelog section for the version. (.ci/wheel_check.sh checks the built
archives.)"""

import re
from pathlib import Path

import impedance_sklearn

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = (ROOT / "pyproject.toml").read_text()


def _field(name):
    m = re.search(rf'^{name}\s*=\s*"([^"]+)"', PYPROJECT, re.MULTILINE)
    assert m, f"pyproject.toml has no {name}"
    return m.group(1)


def test_one_version():
    assert _field("version") == impedance_sklearn.__version__


def test_licence_file_is_the_declared_licence():
    assert _field("license") == "MIT"
    assert re.search(r'^license-files\s*=\s*\["LICENSE"\]', PYPROJECT, re.MULTILINE)
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "impedance-sklearn developers" in text


def test_changelog_has_the_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d\d-\d\d$", text, re.MULTILINE)
    assert versions[0] == impedance_sklearn.__version__, versions
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))),
                              reverse=True)
