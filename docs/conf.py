"""Sphinx configuration of the impedance-sklearn documentation site.

Build it from the repository root (``pip install -e ".[docs]"`` first)::

    IMPEDANCE_SKLEARN_GALLERY_QUICK=1 sphinx-build -W -b html docs docs/_build/html

``-W`` turns every warning into an error; ``.ci/run`` builds it so, after the tests.

Pages
    The hand-written pages in ``docs/*.md`` are Markdown, read by myst-parser; ``index.md``
    includes the README as the landing page. ``api.rst`` lists the public names; autosummary
    writes one page per name from its numpydoc docstring into ``docs/generated/``.

Gallery
    sphinx-gallery runs every ``examples/*.py`` at build time and writes its figures and
    printed numbers into ``docs/auto_examples/``. With ``IMPEDANCE_SKLEARN_GALLERY_QUICK=1``
    the examples use small settings (fewer traces and epochs: the gallery builds in minutes on
    two cores; the numbers printed are then those of the small run). Examples that read the
    real files of ``../shared/data`` (or ``$IMPEDANCE_SHARED_DATA``) say so and stop early
    when the files are absent.

Intersphinx (links to scikit-learn, numpy, scipy, skorch, torch and PyLops)
    The mappings are configured below, but the extension is loaded only when
    ``IMPEDANCE_SKLEARN_DOCS_INTERSPHINX=1`` is set. The inventories are downloaded at build
    time, and CI and the development machines have no network: Sphinx reports an unreachable
    inventory as a warning that no ``suppress_warnings`` entry silences, so under ``-W`` it
    would fail the build. Without the variable, references to those projects render as plain
    text (no warning: the build is not nitpicky). Set it where the network is reachable, e.g.
    for a published build.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

os.environ.setdefault("OMP_NUM_THREADS", "1")  # the gallery runs in this process: one
os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # thread each, polite on a shared machine

import impedance_sklearn  # noqa: E402

project = "impedance-sklearn"
author = "impedance-sklearn developers"
copyright = "impedance-sklearn developers"
release = impedance_sklearn.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

INTERSPHINX = os.environ.get("IMPEDANCE_SKLEARN_DOCS_INTERSPHINX", "") == "1"
if INTERSPHINX:
    extensions.append("sphinx.ext.intersphinx")
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "sklearn": ("https://scikit-learn.org/stable", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "scipy": ("https://docs.scipy.org/doc/scipy", None),
    "skorch": ("https://skorch.readthedocs.io/en/stable", None),
    "torch": ("https://docs.pytorch.org/docs/stable", None),
    "pylops": ("https://pylops.readthedocs.io/en/stable", None),
    "matplotlib": ("https://matplotlib.org/stable", None),
}
intersphinx_timeout = 10

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/*.examples", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.md5",
                    "auto_examples/*.json"]

# myst: the pages use ``$...$`` nowhere; anchors for the "#section" links between pages
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3

# autosummary / autodoc / numpydoc
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False  # the class template lists the members itself
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False  # its aliases point into the intersphinx inventories

# sphinx-gallery. An example that needs the real files of ../shared/data throughout says so
# and exits early when they are absent (for a user running it); the build leaves it out then.
SHARED = Path(os.environ.get("IMPEDANCE_SHARED_DATA", REPO.parent / "shared" / "data"))
NEEDS_SHARED = {"plot_penobscot.py": ["penobscot_L-30.las", "penobscot_xl1155.sgy"],
                "plot_volve.py": ["volve_psdm_time_cropped.sgy",
                                  "volve_well_15-9-F-15A_seismic_ip.csv"]}
_absent = [re.escape(name) for name, files in NEEDS_SHARED.items()
           if not all((SHARED / f).exists() for f in files)]
QUICK = os.environ.get("IMPEDANCE_SKLEARN_GALLERY_QUICK", "") == "1"
sphinx_gallery_conf = {
    "examples_dirs": str(REPO / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": "|".join([r"__init__\.py", r"/_"] + _absent),
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "capture_repr": (),
    "matplotlib_animations": False,
    "abort_on_example_error": True,
    "show_memory": False,
    "reset_modules": ("matplotlib",),
    "plot_gallery": "True",
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("impedance_sklearn",),
}

# the examples' own warnings (a shipped network on unlike data) are part of their output;
# matplotlib's Agg backend complaint is not
warnings.filterwarnings("ignore", message="Matplotlib is currently using agg")

# The benchmark results (benchmarks/results/*.md and their figures) are part of the site: the
# pages link to them. Sphinx reads only below docs/, so they are copied into docs/results/
# (generated, not committed) and the links to them are rewritten on reading.
RESULTS = HERE / "results"


def _copy_results():
    import shutil

    RESULTS.mkdir(exist_ok=True)
    for old in RESULTS.iterdir():
        if old.is_file():
            old.unlink()
    for src in sorted((REPO / "benchmarks" / "results").iterdir()):
        if src.suffix in (".md", ".png"):
            shutil.copy2(src, RESULTS / src.name)


_copy_results()


_EXAMPLE_LINK = re.compile(r"\[([^\]]*)\]\((?:\.\./)?examples/(plot_\w+)\.py\)")


def _example_links(text):
    """``[text](../examples/plot_x.py)`` (a link that works on GitHub) -> the gallery's page,
    or plain text when the example is left out of this build (no ../shared/data)."""
    def sub(m):
        if any(re.escape(m.group(2) + ".py") == a for a in _absent):
            return m.group(1)
        return f"[{m.group(1)}](auto_examples/{m.group(2)}.rst)"

    return _EXAMPLE_LINK.sub(sub, text)


def _rewrite_page(app, docname, source):
    # docs/*.md link to ../benchmarks/results/X.md and ../examples/plot_X.py
    text = source[0].replace("](../benchmarks/results/", "](results/")
    source[0] = _example_links(text.replace("](../CHANGELOG.md)", "](changelog.md)"))


def _rewrite_readme(app, relative_path, parent_docname, content):
    # the README (the landing page) and the changelog link to docs/X.md, benchmarks/results/X.md,
    # examples/
    if Path(relative_path).name in ("README.md", "CHANGELOG.md"):
        text = content[0].replace("](benchmarks/results/", "](results/").replace(
            "](CHANGELOG.md)", "](changelog.md)")
        content[0] = _example_links(text.replace("](docs/", "]("))


_PARENS = re.compile(r"\(([^()`]*)\)")
_TRAILING_UNDERSCORE = re.compile(r"(\w)_(?=[\s,)+*-]|$)")


def _escape_shapes(app, what, name, obj, options, lines):
    """``(n_traces, n_outputs_)`` in a docstring: reST reads ``n_outputs_`` as a link.

    The docstrings follow scikit-learn (shapes named after fitted attributes, which end in an
    underscore); escape the underscore inside parentheses before numpydoc parses them.
    """
    for i, line in enumerate(lines):
        lines[i] = _PARENS.sub(
            lambda m: "(" + _TRAILING_UNDERSCORE.sub(r"\1\\_", m.group(1)) + ")", line)


def setup(app):
    app.connect("autodoc-process-docstring", _escape_shapes, priority=400)
    app.connect("source-read", _rewrite_page)
    app.connect("include-read", _rewrite_readme)


html_theme = "pydata_sphinx_theme"
html_title = f"impedance-sklearn {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "github_url": None,
}
html_static_path: list[str] = []
