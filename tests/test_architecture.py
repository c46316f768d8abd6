"""The layout's rules, checked on the source (``docs/architecture.md``).

- the generic core (``innocluster.core``) knows no model: it imports only itself, the error
  type and the tables' declarations;
- a model's mechanisms never import each other;
- no module imports, or reaches through an imported module for, another module's private
  (underscore) name; an internal module (``_files``, ``measures/_points``, ...) offers public
  names and is imported by name;
- the measures' own rules (pure, short, no simulator) are in ``tests/measures/test_purity.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import innocluster

ROOT = Path(innocluster.__file__).resolve().parent
MODULES = sorted(ROOT.rglob("*.py"))
CORE_MAY_IMPORT = ("innocluster.core", "innocluster.errors", "innocluster.tables")


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str | None, level: int, here: str, is_package: bool) -> str:
    if level == 0:
        return module or ""
    base = here.split(".")
    base = base[: len(base) - level + (1 if is_package else 0)]
    return ".".join(base + ([module] if module else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """``(module, names)`` for every import of the file (names empty for ``import module``)."""
    return _imports(path.read_text("utf-8"), _name(path), path.name == "__init__.py")


def _imports(source: str, here: str, package: bool) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node.module, node.level, here, package)
            found.append((module, tuple(alias.name for alias in node.names)))
    return found


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (ROOT / relative).with_suffix(".py").is_file() or (ROOT / relative).is_dir()


def private_uses(source: str, here: str, package: bool = False) -> list[str]:
    """Private names of other modules that ``source`` (the module ``here``) imports or uses."""
    tree = ast.parse(source)
    found, modules = [], set()
    for module, names in _imports(source, here, package):
        if not module.startswith("innocluster"):
            continue
        if not names:
            modules.add(module.split(".")[-1])
        for name in names:
            if _is_module(f"{module}.{name}"):
                modules.add(name)  # a (possibly internal) module imported by name
            elif _private(name) and module != here:
                found.append(f"imports {module}.{name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            found.append(f"uses {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _name(p))
def test_no_module_uses_another_modules_private_names(path):
    assert private_uses(path.read_text("utf-8"), _name(path), path.name == "__init__.py") == []


CORE = [p for p in MODULES if _name(p).startswith("innocluster.core")]


@pytest.mark.parametrize("path", CORE, ids=lambda p: _name(p))
def test_the_core_knows_no_model(path):
    bad = [
        module
        for module, _ in imports(path)
        if module.startswith("innocluster")
        and not any(module == ok or module.startswith(ok + ".") for ok in CORE_MAY_IMPORT)
    ]
    assert bad == [], f"{path.name} imports {bad}"


MECHANISMS = [p for p in MODULES if p.parent.name == "mechanisms" and p.name != "__init__.py"]


@pytest.mark.parametrize("path", MECHANISMS, ids=lambda p: _name(p))
def test_a_mechanism_imports_no_other_mechanism(path):
    package = _name(path).rsplit(".", 1)[0]
    others = {p.stem for p in path.parent.glob("*.py")} - {path.stem, "__init__"}
    bad = [
        (module, names)
        for module, names in imports(path)
        if module.startswith(package + ".") or (module == package and set(names) & others)
    ]
    assert bad == [], f"{path.name} imports other mechanisms: {bad}"


def test_the_checks_see_what_they_should():
    # The rules above find something in code that breaks them (no check that cannot fail).
    assert len(MECHANISMS) == 13 and len(CORE) >= 7
    sample = ROOT / "core" / "engine.py"
    assert ("innocluster.core.spec", ("ModelSpec", "stream_key")) in imports(sample)
    spill = ROOT / "models" / "cluster" / "mechanisms" / "spillover.py"
    assert any(m == "innocluster.models.cluster.kernels" for m, _ in imports(spill))


def test_private_use_is_found():
    source = (
        "from innocluster.models.cluster.kernels import _GapPairs\n"
        "from innocluster.models.cluster import state\n"
        "from innocluster import _files\n"  # an internal module, imported by name: allowed
        "x = state._row_totals\n"
    )
    found = private_uses(source, "innocluster.models.cluster.mechanisms.probe")
    assert found == [
        "imports innocluster.models.cluster.kernels._GapPairs",
        "uses state._row_totals",
    ]


#: Source modules without a test module of their own, and why.
UNTESTED = {
    "_version.py": "the version string only",
    "errors.py": "one exception class, raised and checked across the suite",
    "report/style.py": "colour constants only",
    "models/benchmark/parameters.py": "declarations only, validated in tests/test_scenario.py",
}


def _test_module(source: Path) -> Path:
    relative = source.relative_to(ROOT)
    name = "test_" + relative.stem.removeprefix("_") + ".py"
    return ROOT.parents[1] / "tests" / relative.parent / name


SOURCES = [p for p in MODULES if p.name != "__init__.py"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_has_its_test_module_at_the_mirrored_path(source):
    relative = str(source.relative_to(ROOT))
    if relative in UNTESTED:
        assert not _test_module(source).exists(), f"{relative} has tests now: drop it from UNTESTED"
        return
    assert _test_module(source).is_file(), f"{relative}: expected {_test_module(source)}"
