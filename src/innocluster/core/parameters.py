"""The building blocks of scenarios: a strict parameter section and the keys every scenario has.

A parameter is declared with :func:`parameter`, which records its meaning, unit and source in
the literature beside its default and range, so that the documentation and error messages can
say what a value means.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ScenarioBase", "Section", "parameter"]


class Section(BaseModel):
    """A group of parameters: strict types, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)


def parameter(default: Any, meaning: str, unit: str = "", source: str = "", **bounds: float) -> Any:
    """A scenario parameter: its default, meaning, unit, literature source and bounds.

    ``bounds`` are pydantic's ``ge``, ``gt``, ``le``, ``lt``.
    """
    return Field(
        default=default,
        description=meaning,
        json_schema_extra={"unit": unit, "source": source},
        **bounds,
    )


class ScenarioBase(Section):
    """Keys shared by every scenario."""

    name: str = "unnamed"
    description: str = ""
    steps: int = parameter(50, "steps (years) to simulate", "steps", ge=1, le=100_000)
