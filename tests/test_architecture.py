"""The layout rules of docs/architecture.md, checked on the source.

* no import cycle between the package's modules (imports inside functions count too);
* no module over 600 lines;
* physics-side modules import neither torch nor the estimators; readers know no models;
* benchmarks import only public names, never the command line;
* ``import impedance_sklearn.physics`` does not import torch.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "impedance_sklearn"


def _module_name(path):
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PKG.rglob("*.py")}


def _imports(path):
    """Every impedance_sklearn module imported by ``path`` (module level and inside functions)."""
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("impedance_sklearn"):
                # the deepest known module named by the import
                while name and name not in MODULES:
                    name = name.rpartition(".")[0]
                if name:
                    out.add(name)
    return out


GRAPH = {m: _imports(p) - {m} for m, p in MODULES.items()}


def _reachable(start, graph):
    seen, stack = set(), [start]
    while stack:
        for nxt in graph.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def test_no_import_cycle():
    # ``impedance_sklearn`` itself (lazy public names) and package __init__ re-exports of their
    # own submodules are the package's entry points, not cycles: drop edges into a package from
    # its own submodules.
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in GRAPH.items()}
    cycles = sorted(m for m in graph if m in _reachable(m, graph))
    assert not cycles, f"modules on an import cycle: {cycles}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name):
    n = len(MODULES[name].read_text().splitlines())
    assert n <= 600, f"{name} has {n} lines; split it by concept (docs/architecture.md)"


def test_physics_side_knows_no_torch_and_no_estimators():
    physics_side = ["wavelets", "physics", "rockphysics", "forward", "_kernels", "_synthetic",
                    "io", "io.mat", "io.npz", "io.segy", "io.survey", "io.wells", "io._files", "transforms"]
    banned = {"impedance_sklearn.estimators.cnn", "impedance_sklearn.estimators.nn", "impedance_sklearn.estimators.fewwells",
              "impedance_sklearn.estimators.baselines", "impedance_sklearn.estimators", "impedance_sklearn.cli",
              "impedance_sklearn.estimators._base", "impedance_sklearn.estimators.modelbased"}
    for short in physics_side:
        name = f"impedance_sklearn.{short}"
        if name not in MODULES:
            continue
        source = MODULES[name].read_text()
        assert "import torch" not in source, name
        assert not (GRAPH[name] & banned), (name, GRAPH[name] & banned)


def test_benchmarks_never_import_the_cli_or_private_modules():
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        for dep in _imports(path):
            parts = dep.split(".")
            assert parts[1:2] != ["cli"], f"{path.name} imports {dep}"
            assert not any(p.startswith("_") for p in parts[1:]), f"{path.name} imports {dep}"


def test_physics_import_does_not_load_torch():
    code = "import sys, impedance_sklearn.physics, impedance_sklearn.physics.forward; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
