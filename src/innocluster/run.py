"""The Python API of a run: :func:`simulate`, :class:`Run`, :func:`load_run`.

>>> import innocluster as ic
>>> run = ic.simulate("benchmark", seed=1, steps=3, overrides={"n0": 500})
>>> run.indicators.columns.tolist()
['step', 'n_orgs', 'total_knowledge', 'mean_pool', 'grid_gini']

A run folder holds the five cluster tables as Parquet, ``scenario.toml`` (the fully resolved
scenario: ``simulate("DIR/scenario.toml", seed=S)`` repeats the run exactly) and ``run.json``
(package version, seed, steps, wall time).
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from innocluster._files import staged_folder
from innocluster._version import __version__
from innocluster.core.engine import Simulation, run_model
from innocluster.errors import InnoclusterError
from innocluster.models import ModelSpec, model_of
from innocluster.scenario import Scenario, ScenarioBase, load_scenario, scenario_to_toml
from innocluster.tables import (
    ALLIANCES,
    CITATIONS,
    ORGANIZATIONS,
    PATENTS,
    TableSchema,
    from_arrays,
    indicators_schema,
    read_table,
    to_pandas,
    write_table,
)

__all__ = ["Run", "simulate", "load_run", "TABLE_NAMES"]

#: The cluster tables of a run, in the order they are written.
TABLE_NAMES = ("organizations", "patents", "alliances", "citations", "indicators")


@dataclass
class Run:
    """A finished run: its scenario, seed, cluster tables and facts about the run.

    Attributes:
        scenario: the fully resolved scenario.
        seed: the run's seed.
        tables: the cluster tables as pyarrow tables, by name (:data:`TABLE_NAMES`).
        info: package version, model, seed, steps, wall seconds and per-part timings.
    """

    scenario: Scenario
    seed: int
    tables: dict[str, pa.Table]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def organizations(self) -> pd.DataFrame:
        """One row per organisation, alive or exited (see ``docs/data-formats.md``)."""
        return to_pandas(self.tables["organizations"])

    @property
    def patents(self) -> pd.DataFrame:
        """One row per patent (empty, with its columns, for models without patents)."""
        return to_pandas(self.tables["patents"])

    @property
    def alliances(self) -> pd.DataFrame:
        """One row per alliance (empty, with its columns, for models without alliances)."""
        return to_pandas(self.tables["alliances"])

    @property
    def citations(self) -> pd.DataFrame:
        """One row per citation (empty, with its columns, for models whose patents cite none)."""
        return to_pandas(self.tables["citations"])

    @property
    def indicators(self) -> pd.DataFrame:
        """One row per step: the model's indicators."""
        return to_pandas(self.tables["indicators"])

    def final(self) -> dict[str, float]:
        """The indicators of the last step."""
        table = self.tables["indicators"]
        return {name: table.column(name)[-1].as_py() for name in table.column_names}

    def save(self, path: str | Path) -> Path:
        """Write the run into folder ``path`` (created if needed); returns the folder.

        Everything is written into a temporary folder first and then moved into place, so an
        interrupted save leaves no half-written table. Files of other names in the folder are
        left alone.
        """
        with staged_folder(path) as staging:
            for name in TABLE_NAMES:
                write_table(self.tables[name], staging / f"{name}.parquet")
            (staging / "scenario.toml").write_text(scenario_to_toml(self.scenario), "utf-8")
            (staging / "run.json").write_text(json.dumps(self.info, indent=2) + "\n", "utf-8")
        return Path(path)


def simulate(
    scenario: str | Path | ScenarioBase | dict[str, Any] = "default",
    seed: int = 0,
    steps: int | None = None,
    overrides: dict[str, Any] | list[str] | None = None,
    *,
    on_step: Callable[[int, int], None] | None = None,
    model: ModelSpec | None = None,
) -> Run:
    """Simulate a scenario and return its cluster tables.

    Args:
        scenario: a preset name, a path to a TOML file, a mapping or a validated scenario.
        seed: the run's seed (non-negative integer); every random draw derives from it.
        steps: steps to simulate; default the scenario's ``steps``.
        overrides: values to change, ``{"section.key": value}`` or ``["section.key=value"]``.
        on_step: called as ``on_step(t, steps)`` after each step.
        model: run this model instead of the scenario's own (the same model with a mechanism
            wrapped, e.g. to record what it sees).

    Raises:
        InnoclusterError: the scenario, an override or the seed is not valid.
    """
    resolved = load_scenario(scenario, overrides)
    if steps is not None:
        resolved = load_scenario(resolved, {"steps": steps})
    start = time.perf_counter()
    sim = run_model(model or model_of(resolved), resolved, seed, on_step=on_step)
    tables = _tables(sim)
    wall = time.perf_counter() - start
    info = {
        "innocluster": __version__,
        "model": resolved.model,
        "scenario": resolved.name,
        "seed": int(seed),
        "steps": resolved.steps,
        "wall_seconds": round(wall, 4),
        "timings": {name: round(sec, 4) for name, sec in sim.timings.items()},
        "python": platform.python_version(),
        "numpy": np.__version__,
        "citation_channels": channel_shares(tables["citations"]),
    }
    return Run(resolved, int(seed), tables, info)


def load_run(path: str | Path) -> Run:
    """Read a run folder written by :meth:`Run.save` (or ``innocluster run``), validated.

    Raises:
        InnoclusterError: the folder, a file or a column is missing or not valid.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise InnoclusterError(f"run folder '{folder}' does not exist")
    scenario = load_scenario(folder / "scenario.toml")
    info_path = folder / "run.json"
    try:
        info = json.loads(info_path.read_text("utf-8"))
    except FileNotFoundError:
        raise InnoclusterError(f"{info_path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InnoclusterError(f"{info_path}: not valid JSON ({err})") from None
    if not isinstance(info, dict) or not isinstance(info.get("seed"), int):
        raise InnoclusterError(f"{info_path}: expected an object with an integer 'seed'")
    schemas = _schemas(scenario)
    tables = {name: read_table(folder / f"{name}.parquet", schemas[name]) for name in TABLE_NAMES}
    return Run(scenario, info["seed"], tables, info)


def _schemas(scenario: Scenario) -> dict[str, TableSchema]:
    return {
        "organizations": ORGANIZATIONS,
        "patents": PATENTS,
        "alliances": ALLIANCES,
        "citations": CITATIONS,
        "indicators": indicators_schema(model_of(scenario).indicators),
    }


def _tables(sim: Simulation) -> dict[str, pa.Table]:
    schemas = _schemas(sim.scenario)
    patents = sim.state.patent_records()
    indicators = {
        c.name: np.array([row[c.name] for row in sim.rows]) for c in schemas["indicators"].columns
    }
    return {
        "organizations": from_arrays(
            ORGANIZATIONS, sim.model.organizations(sim.state, sim.scenario)
        ),
        "patents": from_arrays(PATENTS, patents) if patents else PATENTS.empty(),
        "alliances": from_arrays(ALLIANCES, sim.state.alliances.records()),
        "citations": _citations(sim),
        "indicators": from_arrays(schemas["indicators"], indicators),
    }


def _citations(sim: Simulation) -> pa.Table:
    # The channel codes of the state's chunks become the model's channel names.
    records = sim.state.citation_records()
    if not records:
        return CITATIONS.empty()
    names = np.array(sim.model.channels, dtype=object)
    return from_arrays(CITATIONS, {**records, "channel": names[records["channel"]]})


def channel_shares(citations: pa.Table) -> dict[str, float]:
    """The share of a run's citations made through each channel (empty without citations)."""
    channel = citations.column("channel").to_numpy(zero_copy_only=False)
    if len(channel) == 0:
        return {}
    names, counts = np.unique(channel.astype(str), return_counts=True)
    return {str(k): round(float(c) / len(channel), 6) for k, c in zip(names, counts, strict=True)}
