"""The layout of docs/architecture.md, checked on the source: its arrows are the code's, and
its rules hold (no cycle, no module over 600 lines, the physics side knows no torch and no
estimator, one home per name, every estimator in the estimator checks, benchmarks on the public
API, ``import impedance_sklearn.physics`` without torch)."""

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


def _group(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "impedance_sklearn"


def _documented_arrows():
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = text.split("<!-- arrows -->", 1)[1].split("<!-- /arrows -->", 1)[0]
    arrows = {}
    for line in block.strip().strip("`").strip().splitlines():
        group, _, targets = line.partition("->")
        targets = targets.strip()
        arrows[group.strip()] = set() if targets == "(nothing)" else {
            t.strip() for t in targets.split(",")}
    return arrows


def test_the_documented_arrows_are_the_code():
    code = {}
    for m, deps in GRAPH.items():
        g = _group(m)
        code.setdefault(g, set()).update(_group(d) for d in deps if _group(d) != g)
    code = {g: t for g, t in code.items() if g != "impedance_sklearn"}
    assert _documented_arrows() == code
    # and the groups form no cycle either
    assert not [g for g in code if g in _reachable(g, code)]


PHYSICS_SIDE = ("physics", "io", "synthetic", "welltie", "metrics", "_validation")
ALIASES = ("impedance_sklearn.datasets", "impedance_sklearn.segy")


@pytest.mark.parametrize("name", sorted(m for m in MODULES if _group(m) in PHYSICS_SIDE))
def test_physics_side_knows_no_torch_and_no_estimators(name):
    tree = ast.parse(MODULES[name].read_text())
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"torch", "skorch"}, name
    bad = {_group(d) for d in GRAPH[name]} & {"estimators", "evaluation", "plotting", "cli"}
    assert not bad, (name, bad)


def test_estimators_know_no_command_line():
    for m in MODULES:
        if _group(m) == "estimators":
            assert not {d for d in GRAPH[m] if _group(d) == "cli"}, m


def _defined(tree):
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _all(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def _imported_from(tree):
    """name -> the module it is imported from (module-level ``from X import name``)."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                out[a.asname or a.name] = node.module
    return out


@pytest.mark.parametrize("name", sorted(MODULES))
def test_one_home_per_name(name):
    """Only the alias modules re-export; a package's __init__ may gather its own submodules."""
    if name == "impedance_sklearn":
        return  # the lazy public names (its _LAZY table names each one's home)
    path = MODULES[name]
    tree = ast.parse(path.read_text())
    exported = _all(tree)
    if name in ALIASES:
        kinds = {type(n) for n in tree.body} - {ast.Expr, ast.ImportFrom}
        assert kinds <= {ast.Assign}, f"{name} is an alias module: imports and __all__ only"
        return
    foreign = exported - _defined(tree)
    if path.name == "__init__.py":
        sources = _imported_from(tree)
        foreign = {n for n in foreign if not sources.get(n, "").startswith(name + ".")}
    assert not foreign, f"{name} re-exports {sorted(foreign)}"


def test_no_module_imports_an_alias_module():
    users = {m for m, deps in GRAPH.items() if deps & set(ALIASES)} - {"impedance_sklearn"}
    assert not users, f"import the names from their homes, not the aliases: {sorted(users)}"


def test_estimator_checks_list_every_public_estimator():
    import impedance_sklearn
    from impedance_sklearn.estimators._base import TraceRegressorMixin

    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from test_estimator_checks import ESTIMATORS
    finally:
        sys.path.remove(str(ROOT / "tests"))
    public = {getattr(impedance_sklearn, n) for n in impedance_sklearn.__all__}
    regressors = {c for c in public if isinstance(c, type) and issubclass(c, TraceRegressorMixin)}
    assert regressors == {type(e) for e in ESTIMATORS}


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


def test_the_layout_names_every_module():
    text = (ROOT / "docs" / "architecture.md").read_text()
    layout = text.split("## The layout", 1)[1].split("## The arrows", 1)[0]
    missing = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG)
        if path.name == "__init__.py" and len(rel.parts) > 1:
            if f"{rel.parts[-2]}/" not in layout:
                missing.append(str(rel))
        elif path.name not in layout:
            missing.append(str(rel))
    assert not missing, f"docs/architecture.md does not show {missing}"


def test_benchmarks_share_only_public_names():
    scripts = {p.stem for p in (ROOT / "benchmarks").glob("*.py")}
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in scripts:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"
