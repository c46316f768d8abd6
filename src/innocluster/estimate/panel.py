"""A simulated firm panel: each organisation's R&D, knowledge and patents, year by year.

The cluster tables of a run say which patents each organisation filed and when, but not how much
R&D it spent or how much knowledge it held when it did its research: the knowledge production
function (Griliches 1979) cannot be estimated from them. :func:`simulate_panel` runs the model
like :func:`innocluster.simulate` and, in every year, records what the ``research`` mechanism
sees just before it draws the innovations, and what it produced:

- ``org_id`` (int64): the organisation;
- ``year`` (int64, step): the year (step) of the research;
- ``kind`` (str): firm, leader, institute or intermediary;
- ``employees`` (int64, persons): employment at the time of research: what last year's market
  and mobility left, before this year's entry and market;
- ``rd`` (float64, MU): R&D money ``RD_i`` of the knowledge production function this year;
- ``knowledge`` (float64, units): knowledge stock ``K_i`` at the time of research;
- ``spillover_pool`` (float64, units): the knowledge within reach at the time of research,
  ``sum_j exp(-d_ij / lam) prox_ij K_j`` over the other organisations within
  ``spillover.r_geo`` km (the spillover kernel's weights: the local form of Jaffe's 1986
  pool, measured whether or not the spillover mechanism runs);
- ``maturity`` (float64): the life-cycle stage of the year (it moves ``eta`` to ``eta_late``);
- ``Q`` (float64): institutional quality of the year;
- ``innovations`` (int64): innovations drawn by research (``~ Poisson(mu_i)``);
- ``research_patents`` (int64, patents): those of them codified as patents;
- ``patents`` (int64, patents): every patent the organisation filed this year (research and
  externalisation), from the patents table: what a real panel records.

One row per organisation alive when research runs, every year the mechanism is on. The run
itself (the cluster tables) is identical to ``innocluster.simulate(scenario, seed)``.

References:
    Griliches, Z. (1979). Issues in assessing the contribution of research and development to
    productivity growth. Bell Journal of Economics 10(1), 92-116.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from innocluster.core.spec import ModelSpec
from innocluster.core.state import State
from innocluster.errors import InnoclusterError
from innocluster.models import MODELS
from innocluster.models.cluster.kernels import pool_of_neighbours
from innocluster.models.cluster.mechanisms import research
from innocluster.models.cluster.state import KIND_NAMES, knowledge_stock
from innocluster.run import Run, simulate
from innocluster.scenario import ScenarioBase, load_scenario

__all__ = ["PANEL_COLUMNS", "simulate_panel"]

#: The columns of the panel, in order.
PANEL_COLUMNS = (
    "org_id",
    "year",
    "kind",
    "employees",
    "rd",
    "knowledge",
    "spillover_pool",
    "maturity",
    "Q",
    "innovations",
    "research_patents",
    "patents",
)


class _ResearchRecorder:
    """Wraps the research mechanism: records its inputs before it runs and its output after."""

    def __init__(self, step) -> None:
        self._step = step
        self.chunks: list[dict[str, np.ndarray]] = []

    def __call__(self, state: State, scenario: Any, rng: np.random.Generator) -> None:
        orgs, world, p = state.orgs, state.world, scenario.research
        rd = research.rd_money(
            orgs["kind"], orgs["revenue"], orgs["subsidy"], orgs["supply"], p.rd_share,
            p.institute_budget,
        )  # fmt: skip
        tacit_before = orgs["tacit"].sum(axis=1)
        explicit_before = orgs["explicit"].sum(axis=1)
        knowledge = knowledge_stock(orgs["tacit"], orgs["explicit"])
        sp = scenario.spillover
        pool = pool_of_neighbours(
            orgs["x"], orgs["y"], knowledge, orgs["tacit"] + orgs["explicit"], sp.r_geo, sp.lam,
            scenario.space.L,
        )  # fmt: skip
        chunk = {
            "org_id": orgs["org_id"].copy(),
            "year": np.full(orgs.n, state.step, dtype=np.int64),
            "kind": orgs["kind"].copy(),
            "employees": orgs["employees"].copy(),
            "rd": rd,
            "knowledge": knowledge,
            "spillover_pool": pool,
            "maturity": np.full(orgs.n, world.maturity),
            "Q": np.full(orgs.n, world.Q),
        }
        self._step(state, scenario, rng)
        # Research adds one unit of tacit knowledge per innovation and one unit of explicit
        # knowledge per patent, and changes no organisation's row.
        chunk["innovations"] = np.rint(orgs["tacit"].sum(axis=1) - tacit_before).astype(np.int64)
        chunk["research_patents"] = np.rint(orgs["explicit"].sum(axis=1) - explicit_before).astype(
            np.int64
        )
        self.chunks.append(chunk)


def simulate_panel(
    scenario: str | Path | ScenarioBase | dict[str, Any],
    seed: int = 0,
    steps: int | None = None,
    model: ModelSpec | None = None,
) -> tuple[Run, pd.DataFrame]:
    """Simulate a cluster-model scenario and return the run and its firm panel.

    Args:
        scenario: a preset name, a TOML path, a mapping or a validated scenario of the cluster
            model.
        seed: the run's seed (non-negative integer).
        steps: steps to simulate; default the scenario's.
        model: the cluster model to record (default: the registered one); a caller that wraps
            the model's ``observe`` passes its wrapped model.

    Returns:
        ``(run, panel)``: the run, identical to ``innocluster.simulate(scenario, seed, steps)``,
        and the panel (columns :data:`PANEL_COLUMNS`, one row per organisation and year).

    Raises:
        InnoclusterError: the scenario is not of the cluster model, its research mechanism is
            switched off, or the seed is not valid.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InnoclusterError(f"seed: expected a non-negative integer, got {seed!r}")
    resolved = load_scenario(scenario, {"steps": steps} if steps is not None else None)
    if resolved.model != "cluster":
        raise InnoclusterError(
            f"scenario '{resolved.name}': a firm panel needs the cluster model, "
            f"got model '{resolved.model}'"
        )
    if not resolved.mechanisms.research:
        raise InnoclusterError(
            f"scenario '{resolved.name}': the research mechanism is off, so there is no "
            "knowledge production function to record"
        )
    model = model or MODELS["cluster"]
    research = next(m for m in model.mechanisms if m.name == "research")
    recorder = _ResearchRecorder(research.step)
    recorded = replace(
        model,
        mechanisms=tuple(
            replace(m, step=recorder) if m.name == "research" else m for m in model.mechanisms
        ),
    )
    run = simulate(resolved, int(seed), model=recorded)
    return run, _panel(recorder.chunks, run.patents)


def _panel(chunks: list[dict[str, np.ndarray]], patents: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {name: np.concatenate([c[name] for c in chunks]) for name in PANEL_COLUMNS[:-1]}
    )
    frame["kind"] = KIND_NAMES[frame["kind"].to_numpy()]
    filed = patents.groupby(["org_id", "year"]).size().rename("patents")
    frame = frame.join(filed, on=["org_id", "year"])
    frame["patents"] = frame["patents"].fillna(0).astype(np.int64)
    return frame.loc[:, list(PANEL_COLUMNS)]
