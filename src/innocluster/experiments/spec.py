"""The experiment file: a base scenario, factors, a design, seeds, indicators, an output folder.

An experiment file is TOML, validated with pydantic like a scenario (strict types, unknown keys
refused by name); every key is described in ``docs/experiments.md``::

    name = "policy"
    base = "default"                       # a preset or a scenario file
    steps = 30
    replications = 10                      # seeds 0..9, the same for every design point
    indicators = ["patents", "n_firms"]    # kept per step; default: all
    [overrides]                            # fixed for every run
    "population.n_firms" = 100
    [factors]                              # varied
    "government.targeted" = [false, true]
    "governance.regime" = ["none", "connect", "platform"]
    [design]
    method = "grid"

:func:`load_experiment` reads and validates the file, builds the design, and validates every
design point as a scenario, so that a bad value is refused before anything runs, with the row and
key named. The result, an :class:`Experiment`, lists its runs: one per design point and seed, each
with its run id (:func:`innocluster.experiments.store.run_id`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from innocluster._files import read_toml
from innocluster._version import __version__
from innocluster.core.parameters import Section
from innocluster.errors import InnoclusterError
from innocluster.experiments import design as designs
from innocluster.experiments.store import run_id
from innocluster.models import MODELS
from innocluster.scenario import SCENARIO_CLASSES, Scenario, load_scenario

__all__ = [
    "DesignSection",
    "Experiment",
    "ExperimentFile",
    "PlannedRun",
    "Range",
    "load_experiment",
]

#: The factor that varies the base scenario itself (a preset name or a scenario file).
BASE = "base"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Range(_Strict):
    """A uniform range ``[low, high]`` of a sampled factor."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.high > self.low:
            raise ValueError(f"expected high > low, got low = {self.low}, high = {self.high}")
        return self


class DesignSection(_Strict):
    """How the design points are made (``[design]``)."""

    method: Literal["grid", "list", "lhs", "sobol", "morris", "file"] = "grid"
    samples: int | None = Field(None, ge=1, le=10_000_000)
    seed: int = Field(0, ge=0)
    levels: int = Field(4, ge=2, le=1000)
    second_order: bool = False
    file: str | None = None


class ExperimentFile(_Strict):
    """The keys of an experiment file, validated."""

    name: str | None = None
    description: str = ""
    base: str = "default"
    steps: int | None = Field(None, ge=1, le=100_000)
    overrides: dict[str, Any] = {}
    factors: dict[str, list[Any] | Range] = {}
    design: DesignSection = DesignSection()
    replications: int | None = Field(None, ge=1, le=1_000_000)
    seeds: list[int] | None = None
    first_seed: int = Field(0, ge=0)
    indicators: list[str] | None = None
    out: str | None = None

    @model_validator(mode="after")
    def _one_way_to_seed(self) -> ExperimentFile:
        if self.replications is not None and self.seeds is not None:
            raise ValueError("give replications or seeds, not both")
        if self.seeds is not None and (not self.seeds or min(self.seeds) < 0):
            raise ValueError(f"seeds: expected non-negative integers, got {self.seeds}")
        if self.seeds is not None and len(set(self.seeds)) < len(self.seeds):
            raise ValueError(f"seeds: expected distinct seeds, got {self.seeds}")
        return self


@dataclass(frozen=True)
class PlannedRun:
    """One run of an experiment: a design point and a seed, and the run's id."""

    design_id: int
    seed: int
    run_id: str


@dataclass(frozen=True)
class Experiment:
    """A validated experiment, ready to run.

    Attributes:
        name: the experiment's name.
        origin: where it was read from (for messages).
        spec: the validated experiment file.
        factors: the factors' scenario keys (``SECTION.KEY``, ``steps`` or ``base``), in order.
        design: one row per design point, one column per factor, as designed (sampled values
            unrounded); the row position is the ``design_id``.
        applied: the same shape, holding the values the runs use (integers rounded, lists as
            JSON text, the base as written).
        scenarios: the resolved scenario of each design point.
        seeds: the seeds every design point runs with.
        indicators: the indicator columns kept for every step.
        model: the model every run uses.
        out: the output folder.
        problem: the SALib problem of a sampled design (names, bounds, method, samples, ...),
            or ``None``.
        runs: one :class:`PlannedRun` per design point and seed, design point first.
    """

    name: str
    origin: str
    spec: ExperimentFile
    factors: tuple[str, ...]
    design: pd.DataFrame
    applied: pd.DataFrame
    scenarios: tuple[Scenario, ...]
    seeds: tuple[int, ...]
    indicators: tuple[str, ...]
    model: str
    out: Path
    problem: dict[str, Any] | None
    runs: tuple[PlannedRun, ...]

    def record(self) -> dict[str, Any]:
        """What ``experiment.json`` holds: the experiment's identity and its plan's hash."""
        plan = [(r.design_id, r.seed, r.run_id) for r in self.runs]
        text = json.dumps([plan, list(self.indicators)], separators=(",", ":"))
        return {
            "name": self.name,
            "description": self.spec.description,
            "base": self.spec.base,
            "model": self.model,
            "method": self.spec.design.method,
            "factors": list(self.factors),
            "seeds": list(self.seeds),
            "indicators": list(self.indicators),
            "design_points": len(self.design),
            "runs": len(self.runs),
            "plan": hashlib.sha256(text.encode()).hexdigest(),
            "innocluster": __version__,
        }

    def with_out(self, out: str | Path) -> Experiment:
        """The same experiment writing into ``out``."""
        return dataclasses.replace(self, out=Path(out))


def load_experiment(
    source: str | Path | dict[str, Any],
    *,
    design: pd.DataFrame | None = None,
    out: str | Path | None = None,
) -> Experiment:
    """Read, validate and plan an experiment.

    Args:
        source: a path to an experiment file (TOML) or a mapping with its keys. Relative paths
            inside a file (``base``, ``design.file``, ``out``) are relative to the file's folder;
            inside a mapping, to the current folder.
        design: a design made elsewhere: one row per design point, one column per factor key
            (``SECTION.KEY``, ``steps`` or ``base``); replaces ``[factors]`` and ``[design]``.
        out: the output folder, instead of the file's ``out`` (default ``out/NAME``).

    Returns:
        The experiment, with every design point validated as a scenario.

    Raises:
        InnoclusterError: the file cannot be read, a key or value is not valid, a design row
            makes an invalid scenario, or an indicator is unknown; the message names the key or
            the row.
    """
    raw, origin, folder, stem = _read(source)
    try:
        spec = ExperimentFile.model_validate(raw)
    except ValidationError as err:
        raise InnoclusterError(f"{origin}: {_describe(err)}") from None
    base = _scenario_source(spec.base, folder)
    fixed = dict(spec.overrides)
    if spec.steps is not None:
        fixed["steps"] = spec.steps
    try:
        base_scenario = load_scenario(base, fixed)
    except InnoclusterError as err:
        raise InnoclusterError(f"{origin}: base: {err}") from None
    cls = SCENARIO_CLASSES[base_scenario.model]

    frame, problem = _design(spec, design, folder, origin)
    keys = [_canonical(cls, str(key), origin) for key in frame.columns]
    if len(set(keys)) < len(keys):
        raise InnoclusterError(f"{origin}: factors: a key is given twice ({', '.join(keys)})")
    frame.columns = keys
    if problem is not None:
        problem["names"] = keys

    scenarios, applied = _resolve_rows(frame, cls, base_scenario, base, fixed, folder, origin)
    models = {s.model for s in scenarios}
    if len(models) > 1:
        raise InnoclusterError(
            f"{origin}: factors.base: every run must use one model, got {', '.join(sorted(models))}"
        )
    model = scenarios[0].model if scenarios else base_scenario.model
    indicators = _indicators(spec.indicators, model, origin)
    first = spec.first_seed
    seeds = tuple(spec.seeds or range(first, first + (spec.replications or 1)))
    runs = tuple(
        PlannedRun(i, seed, run_id(scenario, seed))
        for i, scenario in enumerate(scenarios)
        for seed in seeds
    )
    name = spec.name or stem
    target = Path(out) if out is not None else _out(spec.out, folder, name)
    return Experiment(
        name=name,
        origin=origin,
        spec=spec,
        factors=tuple(keys),
        design=frame.reset_index(drop=True),
        applied=applied,
        scenarios=tuple(scenarios),
        seeds=seeds,
        indicators=indicators,
        model=model,
        out=target,
        problem=problem,
        runs=runs,
    )


def _read(source: str | Path | dict[str, Any]) -> tuple[dict[str, Any], str, Path, str]:
    if isinstance(source, dict):
        return dict(source), "experiment mapping", Path.cwd(), "experiment"
    path = Path(source)
    raw = read_toml(path, "experiment file")
    return raw, f"experiment file '{path}'", path.resolve().parent, path.stem


def _describe(err: ValidationError) -> str:
    found = err.errors()
    first = found[0]
    if first["type"] == "list_type":  # a factor is a list or a range: a table was a range
        first = next((e for e in found if any("Range" in str(p) for p in e["loc"])), first)
    loc = ".".join(str(p) for p in first["loc"] if "[" not in str(p) and p != "Range")
    if first["type"] == "extra_forbidden":
        allowed = {
            "": ExperimentFile,
            "design": DesignSection,
        }.get(".".join(str(p) for p in first["loc"][:-1]), Range)
        return f"{loc}: unknown key; expected one of: {', '.join(allowed.model_fields)}"
    message = first["msg"].removeprefix("Value error, ").removeprefix("Input should be ")
    if first["type"] == "value_error":
        return f"{loc}: {message}" if loc else message
    return f"{loc}: expected {message}, got {first['input']!r}"


def _scenario_source(text: str, folder: Path) -> str:
    looks_like_path = text.endswith(".toml") or "/" in text or "\\" in text
    return str(folder / text) if looks_like_path else text


def _out(text: str | None, folder: Path, name: str) -> Path:
    return folder / text if text is not None else Path("out") / name


def _design(
    spec: ExperimentFile, given: pd.DataFrame | None, folder: Path, origin: str
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    method, factors = spec.design.method, spec.factors
    if given is not None or method == "file":
        if factors:
            raise InnoclusterError(
                f"{origin}: factors: a design file (or DataFrame) gives the factors; "
                "leave [factors] out"
            )
        frame = (
            given.copy() if given is not None else _read_design(spec.design.file, folder, origin)
        )
        if frame.empty or frame.columns.empty:
            raise InnoclusterError(f"{origin}: design: expected at least one row and column")
        return frame.reset_index(drop=True), None
    if not factors:
        return pd.DataFrame(index=range(1)), None
    if method in ("grid", "list"):
        for key, values in factors.items():
            if isinstance(values, Range):
                raise InnoclusterError(
                    f"{origin}: factors.{key}: the {method} design needs a list of values, "
                    'got a range (use design.method = "lhs", "sobol" or "morris")'
                )
            if not values:
                raise InnoclusterError(f"{origin}: factors.{key}: expected at least one value")
        lists = {key: list(values) for key, values in factors.items()}
        frame = designs.grid(lists) if method == "grid" else designs.listed(lists, origin)
        return frame, None
    ranges = {}
    for key, values in factors.items():
        if not isinstance(values, Range):
            raise InnoclusterError(
                f"{origin}: factors.{key}: the {method} design needs a range "
                "{low = .., high = ..}, got a list"
            )
        ranges[key] = (values.low, values.high)
    if spec.design.samples is None:
        raise InnoclusterError(f"{origin}: design.samples: the {method} design needs samples")
    problem = designs.problem_of(ranges)
    frame = designs.sample(
        method,
        problem,
        spec.design.samples,
        seed=spec.design.seed,
        levels=spec.design.levels,
        second_order=spec.design.second_order,
        origin=origin,
    )
    problem.update(
        method=method,
        samples=spec.design.samples,
        seed=spec.design.seed,
        levels=spec.design.levels,
        second_order=spec.design.second_order,
    )
    return frame, problem


def _read_design(text: str | None, folder: Path, origin: str) -> pd.DataFrame:
    if text is None:
        raise InnoclusterError(f"{origin}: design.file: the file design needs a file")
    path = folder / text
    if not path.is_file():
        raise InnoclusterError(f"{origin}: design.file: '{path}' does not exist")
    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path)
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise InnoclusterError(f"{origin}: design.file: cannot read '{path}' ({err})") from None
    raise InnoclusterError(
        f"{origin}: design.file: expected a .csv or .parquet file, got '{path.name}'"
    )


def _canonical(cls: type, key: str, origin: str) -> str:
    """The factor's key with its section (``n_firms`` -> ``population.n_firms``)."""
    if key in (BASE, "steps"):
        return key
    sections = {
        name: field.annotation
        for name, field in cls.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, Section)
    }
    parts = key.split(".")
    if len(parts) == 1:
        owners = [name for name, section in sections.items() if key in section.model_fields]
        if len(owners) != 1:
            found = f"in several sections ({', '.join(owners)})" if owners else "not a key"
            raise InnoclusterError(
                f"{origin}: factors.{key}: {found}; expected SECTION.KEY, steps or base"
            )
        return f"{owners[0]}.{key}"
    if len(parts) != 2 or parts[0] not in sections:
        raise InnoclusterError(
            f"{origin}: factors.{key}: expected SECTION.KEY with a section of the model "
            f"({', '.join(sections)}), steps or base"
        )
    if parts[1] not in sections[parts[0]].model_fields:
        allowed = ", ".join(sections[parts[0]].model_fields)
        raise InnoclusterError(f"{origin}: factors.{key}: unknown key; expected one of: {allowed}")
    return key


def _annotation(cls: type, key: str) -> Any:
    if key == BASE:
        return str
    if key == "steps":
        return int
    section, name = key.split(".")
    return cls.model_fields[section].annotation.model_fields[name].annotation


def _coerce(value: Any, annotation: Any) -> Any:
    """A design value as the scenario field wants it.

    Numpy scalars become Python values, a sampled or file float is rounded for an integer
    field, and a list is read from its JSON text.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if annotation is int and isinstance(value, float) and math.isfinite(value):
        return math.floor(value + 0.5)
    if typing.get_origin(annotation) is list and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _resolve_rows(
    frame: pd.DataFrame,
    cls: type,
    base_scenario: Scenario,
    base: str,
    fixed: dict[str, Any],
    folder: Path,
    origin: str,
) -> tuple[list[Scenario], pd.DataFrame]:
    annotations = {key: _annotation(cls, key) for key in frame.columns}
    bases: dict[str, Scenario] = {base: base_scenario}
    scenarios, applied = [], []
    for i, row in enumerate(frame.itertuples(index=False, name=None)):
        values = {
            key: _coerce(value, annotations[key])
            for key, value in zip(frame.columns, row, strict=True)
        }
        for key, value in values.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                raise InnoclusterError(f"{origin}: design row {i}, {key}: missing value")
        where = f"{origin}: design row {i}"
        text = values.pop(BASE, None)
        source = base if text is None else _scenario_source(str(text), folder)
        try:
            if source not in bases:
                bases[source] = load_scenario(source, fixed)
            scenario = load_scenario(bases[source], values) if values else bases[source]
        except InnoclusterError as err:
            raise InnoclusterError(f"{where}: {err}") from None
        scenarios.append(scenario)
        shown = {key: _shown(_value_of(scenario, key)) for key in values}
        if text is not None:
            shown[BASE] = str(text)
        applied.append(shown)
    columns = list(frame.columns)
    return scenarios, pd.DataFrame(applied, columns=columns).reset_index(drop=True)


def _value_of(scenario: Scenario, key: str) -> Any:
    if key == "steps":
        return scenario.steps
    section, name = key.split(".")
    return getattr(getattr(scenario, section), name)


def _shown(value: Any) -> Any:
    """A value as stored in the catalog: scalars as they are, anything else as JSON text."""
    if isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value)


def _indicators(names: list[str] | None, model: str, origin: str) -> tuple[str, ...]:
    available = [column.name for column in MODELS[model].indicators]
    if names is None:
        return tuple(available)
    unknown = [name for name in names if name not in available]
    if unknown:
        raise InnoclusterError(
            f"{origin}: indicators: unknown indicator {unknown[0]!r} of the {model} model; "
            f"expected some of: {', '.join(available)}"
        )
    if len(set(names)) < len(names) or not names:
        raise InnoclusterError(f"{origin}: indicators: expected distinct names, got {names}")
    return tuple(names)
