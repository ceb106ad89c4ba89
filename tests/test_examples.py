"""The gallery's examples (examples/*.py) are sphinx-gallery scripts that run from any folder.

The documentation build (``.ci/run``: ``sphinx-build -W``) executes every example and fails on
an error; these checks are the cheap ones that the build does not make: each example has the
title sphinx-gallery needs, reads ../shared/data only through ``IMPEDANCE_SHARED_DATA`` or a
path relative to its own file, and one that needs the data throughout stops cleanly without it.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))


def test_there_are_examples():
    names = {p.stem for p in EXAMPLES}
    assert {"plot_seed_tutorial", "plot_grid_search", "plot_cnn_vs_classical",
            "plot_section_few_wells", "plot_pretrained_on_a_survey", "plot_penobscot",
            "plot_volve"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_a_gallery_script(path):
    text = path.read_text()
    doc = ast.get_docstring(ast.parse(text))
    assert doc, f"{path.name}: sphinx-gallery needs a module docstring"
    title, underline = doc.splitlines()[:2]
    assert title and set(underline) == {"="} and len(underline) >= len(title), path.name
    assert "/work/" not in text and "docs/" not in re.sub(r"#.*", "", text), (
        f"{path.name}: files must be found relative to __file__ or in a temporary folder")
    if "shared" in text:
        assert "IMPEDANCE_SHARED_DATA" in text and ".exists()" in text, (
            f"{path.name} reads ../shared/data: it must say so and skip when absent")


@pytest.mark.parametrize("name", ["plot_penobscot.py", "plot_volve.py"])
def test_an_example_that_needs_the_data_stops_cleanly_without_it(tmp_path, name):
    env = dict(os.environ, IMPEDANCE_SHARED_DATA=str(tmp_path / "absent"), MPLBACKEND="Agg")
    out = subprocess.run([sys.executable, str(ROOT / "examples" / name)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "needs ../shared/data, skipped" in out.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # wrote nothing where it ran


def test_the_build_leaves_out_exactly_the_examples_that_need_absent_data():
    """docs/conf.py's NEEDS_SHARED names real examples and files of ../shared/data's README."""
    conf = (ROOT / "docs" / "conf.py").read_text()
    needs = ast.literal_eval(re.search(r"NEEDS_SHARED = (\{.*?\})\n", conf, re.S).group(1))
    for name, files in needs.items():
        assert (ROOT / "examples" / name).exists()
        text = (ROOT / "examples" / name).read_text()
        assert all(f in text for f in files), name
