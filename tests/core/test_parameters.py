"""A parameter records its meaning, unit, source and bounds; a section is strict."""

from __future__ import annotations

import pydantic
import pytest

from innocluster.core.parameters import ScenarioBase, Section, parameter


class _Example(Section):
    rate: float = parameter(0.5, "a rate", "1/year", "Someone (2001)", ge=0.0, le=1.0)
    count: int = parameter(3, "a count", ge=1)


def test_a_parameter_carries_its_documentation():
    field = _Example.model_fields["rate"]
    assert field.default == 0.5
    assert field.description == "a rate"
    assert field.json_schema_extra == {"unit": "1/year", "source": "Someone (2001)"}


def test_bounds_types_and_unknown_keys_are_enforced():
    with pytest.raises(pydantic.ValidationError, match="less than or equal to 1"):
        _Example(rate=1.5)
    with pytest.raises(pydantic.ValidationError, match="valid integer"):
        _Example(count=2.5)
    with pytest.raises(pydantic.ValidationError, match="valid number"):
        _Example(rate="0.3")
    with pytest.raises(pydantic.ValidationError, match="Extra inputs"):
        _Example(speed=1.0)
    section = _Example()
    with pytest.raises(pydantic.ValidationError):
        section.count = 0  # assignments are validated too


def test_every_scenario_has_a_name_and_steps():
    assert ScenarioBase().steps == 50
    with pytest.raises(pydantic.ValidationError):
        ScenarioBase(steps=0)
