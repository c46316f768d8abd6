"""The documentation lists what the code declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from innocluster.models import MODELS
from innocluster.models.benchmark.parameters import BenchmarkParams
from innocluster.scenario import preset_names
from innocluster.tables import ALLIANCES, ORGANIZATIONS, PATENTS, indicators_schema

DOCS = Path(__file__).resolve().parents[1] / "docs"
SCHEMAS = [ORGANIZATIONS, PATENTS, ALLIANCES, indicators_schema(MODELS["benchmark"].indicators)]


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.name)
def test_every_declared_column_is_documented(schema):
    text = (DOCS / "data-formats.md").read_text()
    section = text.split(f"## {schema.name}\n", 1)[1].split("\n## ", 1)[0]
    for col in schema.columns:
        assert f"| `{col.name}` | {col.dtype}" in section, col.name


def test_every_parameter_and_preset_is_documented():
    text = (DOCS / "scenarios.md").read_text()
    for name in BenchmarkParams.model_fields:
        assert f"| `{name}` |" in text, name
    for name in preset_names():
        assert f"| `{name}` |" in text, name
