"""Scenarios: every parameter of a run, validated, loaded from TOML.

A scenario is a TOML document with a few top-level keys (``name``, ``description``, ``model``,
``steps``) and one table per group of parameters (``[benchmark]``, ``[mechanisms]``, ...). It is
validated with pydantic: types are strict (``n0 = 2.5`` is refused for an integer, ``"3"`` is
refused for a number), values are range-checked and unknown keys are refused by name. The seed is
not part of the scenario: a run is keyed by (scenario, seed).

Presets live in ``innocluster/scenarios/*.toml`` and are addressed by name (``"benchmark"``);
a path to a TOML file works too. Overrides (``--set section.key=value`` on the command line,
``overrides={...}`` in Python) go through the same validation. A key may be given without its
section when exactly one section has it (``n0=2000`` means ``benchmark.n0=2000``).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from innocluster.core.parameters import ScenarioBase, Section
from innocluster.errors import InnoclusterError
from innocluster.models import SCENARIO_CLASSES, Scenario

__all__ = [
    "Scenario",
    "load_scenario",
    "parse_override",
    "preset_names",
    "preset_description",
    "scenario_to_toml",
]


_PRESETS = "innocluster.scenarios"


def preset_names() -> list[str]:
    """Names of the scenario presets shipped with the package, sorted."""
    files = resources.files(_PRESETS).iterdir()
    return sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml"))


def preset_description(name: str) -> str:
    """The ``description`` line of a preset."""
    return str(_read_toml_text(_preset_text(name), f"preset '{name}'").get("description", ""))


def load_scenario(
    source: str | Path | ScenarioBase | dict[str, Any] = "default",
    overrides: dict[str, Any] | list[str] | None = None,
) -> Scenario:
    """Load and validate a scenario.

    Args:
        source: a preset name (see :func:`preset_names`), a path to a TOML file, a mapping with
            the scenario's keys, or an already validated scenario.
        overrides: values to change, as ``{"section.key": value}`` (or ``{"key": value}`` when
            the key is unique across sections), or as ``["section.key=value", ...]`` strings
            whose values are read as TOML values (bare words are read as strings).

    Returns:
        The validated scenario.

    Raises:
        InnoclusterError: the source cannot be read, or a key or value is not valid; the message
            names the file and the key and says what was expected.
    """
    if isinstance(source, ScenarioBase):
        raw, origin = source.model_dump(), f"scenario '{source.name}'"
    elif isinstance(source, dict):
        raw, origin = dict(source), "scenario mapping"
    else:
        raw, origin = _read_source(source)
    if isinstance(overrides, list):
        overrides = dict(parse_override(item) for item in overrides)
    resolved = {
        _apply_override(raw, key, value, origin): value for key, value in (overrides or {}).items()
    }
    return _validate(raw, origin, resolved)


def scenario_to_toml(scenario: ScenarioBase) -> str:
    """The fully resolved scenario as TOML text: loading it gives back the same scenario."""
    return tomli_w.dumps(scenario.model_dump())


def parse_override(item: str) -> tuple[str, Any]:
    """Split ``"section.key=value"`` into the key and the value read as a TOML value.

    A value that is not valid TOML (``model=benchmark``) is taken as a plain string.

    Raises:
        InnoclusterError: there is no ``=`` or the key is empty.
    """
    key, sep, text = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise InnoclusterError(f"--set '{item}': expected KEY=VALUE, e.g. benchmark.n0=2000")
    text = text.strip()
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        value = text
    return key, value


def _read_source(source: str | Path) -> tuple[dict[str, Any], str]:
    text = str(source)
    looks_like_path = text.endswith(".toml") or "/" in text or "\\" in text
    if not looks_like_path:
        if text not in preset_names():
            raise InnoclusterError(
                f"unknown scenario preset '{text}': expected one of "
                f"{', '.join(preset_names())} or a path to a .toml file"
            )
        return _read_toml_text(_preset_text(text), f"preset '{text}'"), f"preset '{text}'"
    path = Path(source)
    if not path.is_file():
        raise InnoclusterError(f"scenario file '{path}' does not exist")
    try:
        content = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InnoclusterError(
            f"scenario file '{path}' is not UTF-8 text (byte {err.start}): expected a TOML file"
        ) from None
    if "\x00" in content:
        raise InnoclusterError(f"scenario file '{path}' is binary: expected a TOML text file")
    raw = _read_toml_text(content, f"scenario file '{path}'")
    raw.setdefault("name", path.stem)
    return raw, f"scenario file '{path}'"


def _preset_text(name: str) -> str:
    return resources.files(_PRESETS).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def _read_toml_text(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InnoclusterError(f"{origin}: malformed TOML: {err}") from None


def _scenario_class(raw: dict[str, Any], origin: str) -> type[ScenarioBase]:
    model = raw.setdefault("model", "benchmark")
    if model not in SCENARIO_CLASSES:
        raise InnoclusterError(
            f"{origin}: model: expected one of {', '.join(SCENARIO_CLASSES)}, got {model!r}"
        )
    return SCENARIO_CLASSES[model]


def _apply_override(raw: dict[str, Any], key: str, value: Any, origin: str) -> str:
    """Set ``key`` in ``raw``; returns the key with its section (``benchmark.n0``)."""
    cls = _scenario_class(raw, origin)
    parts = key.split(".")
    if len(parts) == 1 and key not in cls.model_fields:
        owners = [
            name
            for name, field in cls.model_fields.items()
            if isinstance(field.annotation, type)
            and issubclass(field.annotation, Section)
            and key in field.annotation.model_fields
        ]
        if len(owners) > 1:
            raise InnoclusterError(
                f"override '{key}': the key is in several sections "
                f"({', '.join(owners)}); write SECTION.{key}"
            )
        if owners:
            parts = [owners[0], key]
    if len(parts) > 2 or not all(parts):
        raise InnoclusterError(f"override '{key}': expected KEY or SECTION.KEY")
    target = raw
    if len(parts) == 2:
        section = raw.setdefault(parts[0], {})
        if not isinstance(section, dict):
            raise InnoclusterError(f"override '{key}': '{parts[0]}' is not a section")
        target = section
    target[parts[-1]] = value
    return ".".join(parts)


def _validate(raw: dict[str, Any], origin: str, overridden: dict[str, Any]) -> Scenario:
    cls = _scenario_class(raw, origin)
    try:
        return cls.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        where = f"override {loc}={overridden[loc]!r}" if loc in overridden else f"{origin}: {loc}"
        raise InnoclusterError(f"{where}: {_describe(first, cls)}") from None


def _describe(error: dict[str, Any], cls: type[ScenarioBase]) -> str:
    if error["type"] == "extra_forbidden":
        owner: type[BaseModel] = cls
        for part in error["loc"][:-1]:
            owner = owner.model_fields[part].annotation  # type: ignore[assignment]
        allowed = ", ".join(owner.model_fields)
        return f"unknown key; expected one of: {allowed}"
    if error["type"] == "value_error":  # a rule across keys: the message says it all
        return error["msg"].removeprefix("Value error, ")
    message = error["msg"].removeprefix("Input should be ")
    return f"expected {message}, got {error['input']!r}"
