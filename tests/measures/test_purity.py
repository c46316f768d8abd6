"""The measures stay pure functions of arrays and tables, checked on their source with ``ast``.

For every module under ``innocluster/measures``:

- it imports no private (underscore) name of another module and reads none through a module
  (``module._name``); what modules share is a public name of an internal module;
- it imports nothing that reads files or runs the simulator (``innocluster.data``,
  ``textfiles``, ``models``, ``engine``, ``run``, ``scenario``, ``mechanisms``, ``cluster_*``,
  ``core``, ...), and calls no file reader or writer (``open``, ``read_text``, ``read_parquet``,
  ...);
- it makes no random generator of its own: only ``_seeds`` does;
- it has at most 900 lines, is not named like a function of the package (which would shadow
  it), and, if internal, states its interface in its docstring.

The checker is itself tested on snippets that break each rule, so that it fails if any comes
back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import innocluster.measures as measures

PACKAGE = "innocluster.measures"
FOLDER = Path(measures.__file__).resolve().parent
MODULES = sorted(p for p in FOLDER.glob("*.py"))
MAX_LINES = 900

#: Parts of innocluster a measure must not import: file readers and the simulator.
FORBIDDEN = (
    "innocluster.data",
    "innocluster.datasets",
    "innocluster._files",
    "innocluster.tables",
    "innocluster.models",
    "innocluster.run",
    "innocluster.scenario",
    "innocluster.scenarios",
    "innocluster.core",
    "innocluster.report",
    "innocluster.cli",
    "innocluster.estimate",
    "innocluster.experiments",
)
#: Calls that read or write files.
FILE_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "read_parquet",
    "read_csv",
    "read_table",
    "read_json",
    "read_excel",
    "read_feather",
    "read_pickle",
    "read_toml",
    "load_tables",
    "load_run",
    "to_parquet",
    "to_csv",
}
#: Calls that make a random generator (allowed in ``_seeds`` only).
GENERATOR_CALLS = {
    "default_rng",
    "RandomState",
    "Generator",
    "SeedSequence",
    "PCG64",
    "PCG64DXSM",
    "MT19937",
    "Philox",
    "SFC64",
    "seed",
    "Random",
}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _absolute(module: str | None, level: int, here: str) -> str:
    """The absolute name of an imported module, ``here`` being the importing module."""
    if level == 0:
        return module or ""
    base = here.split(".")[:-level]
    return ".".join(base + ([module] if module else []))


def _is_module(name: str) -> bool:
    """Whether ``innocluster.measures.<name>`` is a module of the package (a file)."""
    return (FOLDER / f"{name}.py").is_file()


def _forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") or (
        f.endswith("_") and module.startswith(f)) for f in FORBIDDEN)  # fmt: skip


def violations(source: str, here: str) -> list[str]:
    """What ``source`` (the module ``here``) does against the rules above."""
    tree = ast.parse(source)
    found = []
    imported: set[str] = set()  # names bound by an import: modules or their objects
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _forbidden(alias.name):
                    found.append(f"imports {alias.name}")
                imported.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            source_module = _absolute(node.module, node.level, here)
            if _forbidden(source_module):
                found.append(f"imports {source_module}")
            if source_module == "innocluster":
                for alias in node.names:
                    if alias.name not in ("errors",):
                        found.append(f"imports innocluster.{alias.name} (the whole package)")
            for alias in node.names:
                if _forbidden(f"{source_module}.{alias.name}"):
                    found.append(f"imports {source_module}.{alias.name}")
                internal_module = source_module == PACKAGE and _is_module(alias.name)
                if _private(alias.name) and not internal_module:
                    found.append(f"imports the private name {alias.name} of {source_module}")
                imported.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported
            and _private(node.attr)
        ):
            found.append(f"uses the private name {node.value.id}.{node.attr}")
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in FILE_CALLS:
                found.append(f"calls {name}()")
            if name in GENERATOR_CALLS and here != f"{PACKAGE}._seeds":
                found.append(f"makes a random generator: {ast.unparse(func)}()")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_measures_module_is_pure(path):
    here = f"{PACKAGE}.{path.stem}"  # for __init__ too: relative imports resolve alike
    assert violations(path.read_text("utf-8"), here) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_measures_module_is_short_and_well_named(path):
    lines = path.read_text("utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines, more than {MAX_LINES}"
    # A submodule named like a function of the package would replace it, once imported, as the
    # attribute innocluster.measures.<name>.
    assert path.stem not in measures.__all__, path.name
    if _private(path.stem):
        doc = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
        assert "Interface" in doc, f"{path.name} does not state its interface"


def test_every_export_names_an_existing_module():
    for name, module in measures._EXPORTS.items():
        assert _is_module(module), (name, module)


BAD = {
    "from innocluster.measures.distance import _positions, _weights": "private name _positions",
    "from innocluster.measures import distance as _d\nx = _d._REF": "private name _d._REF",
    "import innocluster.measures.weights as w\nw._csr(1)": "private name w._csr",
    "from .weights import _apply_transform": "private name _apply_transform",
    "from innocluster.data.files import load_tables": "imports innocluster.data.files",
    "from innocluster._files import read_toml": "imports innocluster._files",
    "import innocluster.models.cluster.state": "imports innocluster.models",
    "from innocluster import run": "imports innocluster.run",
    "from innocluster.core.engine import run_model": "imports innocluster.core",
    "from innocluster import scenario": "imports innocluster.scenario",
    "from innocluster.models.cluster.mechanisms import spillover": "imports innocluster.models",
    "def f(p):\n    return open(p).read()": "calls open()",
    "def f(p):\n    return p.read_text()": "calls read_text()",
    "import pandas as pd\npd.read_parquet('x')": "calls read_parquet()",
    "import numpy as np\nrng = np.random.default_rng(0)": "makes a random generator",
    "import numpy as np\nnp.random.seed(1)": "makes a random generator",
}


@pytest.mark.parametrize("source", BAD, ids=range(len(BAD)))
def test_the_checker_catches_each_rule(source):
    found = violations(source, f"{PACKAGE}.example")
    assert any(BAD[source] in v for v in found), found


def test_the_checker_allows_public_names_of_internal_modules():
    good = (
        "from innocluster.measures._points import checked_positions\n"
        "from innocluster.measures import _inference as inference\n"
        "from innocluster.measures._seeds import as_generator\n"
        "from innocluster.errors import InnoclusterError\n"
        "import numpy as np\n"
        "x: np.random.Generator = as_generator(0, 'f')\n"
        "inference.GlobalStat\n"
    )
    assert violations(good, f"{PACKAGE}.example") == []
