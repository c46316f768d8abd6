"""docs/model.md documents every parameter, mechanism and indicator the cluster model declares.

The parameter tables of docs/model.md are written (and regenerated) with :func:`format_default`,
so a table's ``default`` cell is exactly what the function makes of the code's default: a default
changed in ``models/cluster/parameters.py`` and not in the docs fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from innocluster.core.parameters import Section
from innocluster.models import MODELS
from innocluster.models.cluster.parameters import ClusterScenario

TEXT = (Path(__file__).resolve().parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
MODEL = MODELS["cluster"]

STRUCTURE_WORDS = {
    "add_orgs": "adds organisations",
    "remove_orgs": "removes organisations",
    "alliances": "changes the alliances",
    "patents": "files patents",
    "citations": "records citations",
}


def contract_line(contract) -> str:
    """The contract of a mechanism as one paragraph of docs/model.md."""

    def names(items):
        return "`" + ", ".join(items) + "`" if items else "nothing"

    parts = [f"sections {names(contract.sections)}", f"reads {names(contract.reads)}"]
    parts.append(f"writes {names(contract.writes)}")
    if contract.world_reads:
        parts.append(f"reads the world's {names(contract.world_reads)}")
    if contract.world_writes:
        parts.append(f"writes the world's {names(contract.world_writes)}")
    if contract.flows:
        parts.append(f"flows {names(contract.flows)}")
    parts += [STRUCTURE_WORDS[s] for s in contract.structure]
    return "Contract (the code's `CONTRACT`, checked by the tests): " + "; ".join(parts) + "."


#: Parameters outside the sections that have a row of their own.
TOP_LEVEL = ("steps",)


def _toml(value: object) -> str:
    # One value as TOML writes it (no thousands separators: the table cell is a TOML literal).
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def format_default(value: object) -> str:
    """The ``default`` cell of a parameter row in docs/model.md.

    Numbers plain, with thousands separators and no trailing ``.0`` (``1,500``, ``0.05``);
    booleans, strings and lists as TOML literals in backticks (```true```, ```"public"```,
    ```[]```, ```[3, 5]```).
    """
    if isinstance(value, bool | str | list | tuple):
        return f"`{_toml(value)}`"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.12g}"
    raise TypeError(f"format_default: no table format for {type(value).__name__} {value!r}")


def _parameters() -> dict[str, object]:
    """Every documented parameter, ``section.name`` (or a top-level name), with its default."""
    defaults: dict[str, object] = {
        name: ClusterScenario.model_fields[name].default for name in TOP_LEVEL
    }
    for section, field in ClusterScenario.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, Section):
            for name, spec in annotation.model_fields.items():
                defaults[f"{section}.{name}"] = spec.get_default(call_default_factory=True)
    return defaults


PARAMETERS = _parameters()
HEADINGS = [line for line in TEXT.splitlines() if re.match(r"#{2,3} ", line)]
PARAMETER_ROW = re.compile(r"^\| `(?P<name>[A-Za-z_][A-Za-z0-9_.]*)` \|(?P<rest>.*)\|\s*$")


def _rows(name: str) -> list[list[str]]:
    """The cells of every parameter-table row for ``name``: name, unit, default, range, ..."""
    rows = []
    for line in TEXT.splitlines():
        match = PARAMETER_ROW.match(line)
        if match and match["name"] == name:
            cells = [cell.strip() for cell in match["rest"].split("|")]
            if len(cells) == 5:  # unit, default, range, meaning, source
                rows.append([name, *cells])
    return rows


def test_the_scenario_has_parameter_sections():
    # Guard against the iteration finding nothing and every test passing vacuously.
    sections = {name.split(".")[0] for name in PARAMETERS if "." in name}
    assert {"space", "research", "government", "mechanisms", "governance", "seci"} <= sections


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (1500.0, "1,500"),
        (20_000.0, "20,000"),
        (0.05, "0.05"),
        (100, "100"),
        (1_000_000, "1,000,000"),
        (2.5, "2.5"),
        (True, "`true`"),
        (False, "`false`"),
        ("public", '`"public"`'),
        ([], "`[]`"),
        ([3, 5], "`[3, 5]`"),
    ],
)
def test_format_default(value, cell):
    assert format_default(value) == cell


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_every_parameter_has_a_table_row(name):
    assert f"| `{name}` |" in TEXT, name


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_every_parameter_row_gives_the_code_default(name):
    rows = _rows(name)
    assert len(rows) == 1, f"{name}: expected one parameter-table row, found {len(rows)}"
    expected = format_default(PARAMETERS[name])
    assert rows[0][2] == expected, (
        f"{name}: docs/model.md says the default is {rows[0][2]!r}; the code says {expected!r}"
    )


@pytest.mark.parametrize("name", [m.name for m in MODEL.mechanisms])
def test_every_mechanism_has_a_heading(name):
    assert any(name in heading for heading in HEADINGS), name
    assert any(heading.startswith(f"### {name}: ") for heading in HEADINGS), name


def test_the_step_order_is_the_code_order():
    # The numbered list under "## One step" names the mechanisms in the order the engine runs them.
    section = TEXT.split("\n## One step\n", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\d+\. \*\*(\w+)\*\*", section, flags=re.MULTILINE)
    assert listed == [m.name for m in MODEL.mechanisms] + ["observe"]


@pytest.mark.parametrize("name", [column.name for column in MODEL.indicators])
def test_every_indicator_column_is_documented(name):
    assert f"`{name}`" in TEXT, name
    section = TEXT.split("\n## Indicators\n", 1)[1].split("\n## ", 1)[0]
    assert f"| `{name}` |" in section, f"{name}: no row in the indicator table"


@pytest.mark.parametrize("mechanism", MODEL.mechanisms, ids=lambda m: m.name)
def test_every_mechanism_section_states_its_contract(mechanism):
    # The paragraph is written by contract_line (regenerate it from there when a contract
    # changes); whitespace is the text's own.
    start = re.search(rf"^### {mechanism.name}: .*$", TEXT, flags=re.MULTILINE).end()
    section = TEXT[start:].split("\n## ", 1)[0].split("\n### ", 1)[0]
    assert contract_line(mechanism.contract) in " ".join(section.split())
