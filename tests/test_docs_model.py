"""docs/model.md documents every parameter, mechanism and indicator the cluster model declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from innocluster.cluster_parameters import ClusterScenario
from innocluster.models import MODELS
from innocluster.sections import Section

TEXT = (Path(__file__).resolve().parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
MODEL = MODELS["cluster"]


def _section_parameters() -> list[str]:
    names = []
    for section, field in ClusterScenario.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, Section):
            names.extend(f"{section}.{name}" for name in annotation.model_fields)
    return names


PARAMETERS = _section_parameters()
HEADINGS = [line for line in TEXT.splitlines() if re.match(r"#{2,3} ", line)]


def test_the_scenario_has_parameter_sections():
    # Guard against the iteration finding nothing and every test passing vacuously.
    sections = {name.split(".")[0] for name in PARAMETERS}
    assert {"space", "research", "government", "mechanisms"} <= sections


@pytest.mark.parametrize("name", PARAMETERS)
def test_every_parameter_has_a_table_row(name):
    assert f"| `{name}` |" in TEXT, name


@pytest.mark.parametrize("name", [name for name, _ in MODEL.mechanisms])
def test_every_mechanism_has_a_heading(name):
    assert any(name in heading for heading in HEADINGS), name


@pytest.mark.parametrize("name", [column.name for column in MODEL.indicators])
def test_every_indicator_column_is_documented(name):
    assert f"`{name}`" in TEXT, name
