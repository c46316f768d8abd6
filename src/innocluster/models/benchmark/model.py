"""The benchmark model of ``benchmark-model.md``, exactly as specified.

A small model, fixed so that innocluster's engine can be timed against other toolkits and its
results compared in distribution. Organisations sit in the unit square with knowledge over ``D``
technology fields. One step:

1. ``spillover``: ``S_i = s * sum_{j != i, d_ij < r} exp(-d_ij / lam) * cos(k_i, k_j) * K_j``,
   from the state at the start of the step (cell-grid neighbour search, never all pairs);
2. ``innovation``: ``n_i ~ Poisson(a * sqrt(1 + S_i))`` units, spread over fields as
   ``Multinomial(n_i, k_i / K_i)`` (uniform where ``K_i = 0``), added to ``k_i``;
3. ``depreciation``: ``k_i <- (1 - delta) * k_i``;
4. ``spinoff``: with probability ``p_spin`` an organisation founds one at
   ``x_i + Normal(0, sigma_spin^2 I)`` clipped to the square, with knowledge ``phi * k_i``;
5. ``exit``: each organisation that existed at the start of the step leaves with probability
   ``q_exit``.

State fields: ``x, y`` (float64, unit square), ``k`` (float64, ``(n, D)``), ``pool`` (float64,
the last ``S_i``). The five steps are the mechanisms of this model (each can be switched off in
``[mechanisms]``); see ``docs/benchmark-model.md`` for the derivations and the tests.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.space import cell_of
from innocluster.core.spec import Contract, Mechanism, ModelSpec
from innocluster.core.state import FieldSpec, Population, State
from innocluster.measures import gini
from innocluster.models.benchmark.kernels import spillover_pool, spread_innovations
from innocluster.models.benchmark.parameters import BenchmarkScenario
from innocluster.tables import Column

__all__ = ["MODEL"]

#: Regions per side of the grid the benchmark's Gini is computed on.
GRID = 10


def init(scenario: BenchmarkScenario, rng: np.random.Generator) -> State:
    """Organisations uniform on the unit square, every ``k_id ~ Exponential(1)``."""
    p = scenario.benchmark
    fields = [
        FieldSpec("x", "float64"),
        FieldSpec("y", "float64"),
        FieldSpec("k", "float64", width=p.D),
        FieldSpec("pool", "float64"),
    ]
    orgs = Population(fields, capacity=max(16, int(p.n0 * 1.25)))
    xy = rng.random((p.n0, 2))
    k = rng.exponential(1.0, (p.n0, p.D))
    orgs.add(step=0, x=xy[:, 0], y=xy[:, 1], k=k)
    return State(orgs=orgs)


def spillover(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 1. Reads ``x, y, k``; writes ``pool``; records the flow ``mean_pool``."""
    p, orgs = scenario.benchmark, state.orgs
    pool = spillover_pool(orgs["x"], orgs["y"], orgs["k"], p.r, p.lam, p.s)
    orgs["pool"][:] = pool
    state.flows["mean_pool"] = float(pool.mean()) if len(pool) else 0.0


def innovation(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 2. Reads ``pool, k``; adds the innovation units to ``k``."""
    p, orgs = scenario.benchmark, state.orgs
    counts = rng.poisson(p.a * np.sqrt(1.0 + orgs["pool"]))
    uniforms = rng.random(int(counts.sum()))
    spread_innovations(orgs["k"], counts, uniforms)
    state.flows["innovations"] = float(counts.sum())


def depreciation(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 3. Scales ``k`` by ``1 - delta``."""
    state.orgs["k"][:] *= 1.0 - scenario.benchmark.delta


def spinoff(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 4. Adds spin-offs near their parents with ``phi`` times the parent's ``k``."""
    p, orgs = scenario.benchmark, state.orgs
    founders = np.flatnonzero(rng.random(orgs.n) < p.p_spin)
    shift = rng.normal(0.0, p.sigma_spin, (len(founders), 2))
    x = np.clip(orgs["x"][founders] + shift[:, 0], 0.0, 1.0)
    y = np.clip(orgs["y"][founders] + shift[:, 1], 0.0, 1.0)
    k = p.phi * orgs["k"][founders]
    orgs.add(state.step, parent=orgs["org_id"][founders], x=x, y=y, k=k)
    state.flows["spinoffs"] = float(len(founders))


def exit_(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 5. Removes organisations born before this step with probability ``q_exit``."""
    orgs = state.orgs
    candidates = np.flatnonzero(orgs["born"] < state.step)
    leaving = candidates[rng.random(len(candidates)) < scenario.benchmark.q_exit]
    leave = np.zeros(orgs.n, dtype=bool)
    leave[leaving] = True
    state.flows["exits"] = float(orgs.remove(leave, state.step))


def observe(state: State, scenario: BenchmarkScenario) -> dict[str, float]:
    """The recorded quantities of the spec, after the step."""
    orgs = state.orgs
    counts = np.bincount(cell_of(orgs["x"], orgs["y"], GRID), minlength=GRID * GRID)
    return {
        "n_orgs": orgs.n,
        "total_knowledge": float(orgs["k"].sum()),
        "mean_pool": state.flows.get("mean_pool", 0.0),
        "grid_gini": gini(counts),
    }


INDICATORS = (
    Column("n_orgs", "int64", "organisations", "organisations after the step"),
    Column("total_knowledge", "float64", "knowledge units", "sum of all knowledge after the step"),
    Column("mean_pool", "float64", "knowledge units", "mean spillover pool S_i of the step"),
    Column("grid_gini", "float64", "", "Gini of organisation counts over a 10 x 10 grid"),
)


def organizations(state: State, scenario: BenchmarkScenario) -> dict[str, np.ndarray]:
    """Columns of the organizations table: live organisations, then exited ones."""
    orgs, gone = state.orgs, state.orgs.exited()
    live = {name: orgs[name] for name in ("org_id", "x", "y", "born", "parent")}
    live["exited"] = np.full(orgs.n, -1, dtype=np.int32)
    cols = {name: np.concatenate([live[name], gone[name]]) for name in live}
    n = len(cols["org_id"])
    return {
        **cols,
        "kind": np.full(n, "firm"),
        "region": cell_of(cols["x"], cols["y"], GRID),
        "field_focus": np.concatenate([_focus(orgs["k"]), _focus(gone["k"])]),
        "employees": np.full(n, -1),
    }


def _focus(k: np.ndarray) -> np.ndarray:
    # The field of largest knowledge; -1 (null in the table) for an organisation without any.
    return np.where(k.max(axis=1, initial=0.0) > 0, k.argmax(axis=1), -1)


_PARAMS = ("benchmark",)

MODEL = ModelSpec(
    name="benchmark",
    scenario=BenchmarkScenario,
    init=init,
    mechanisms=(
        Mechanism(
            "spillover",
            spillover,
            Contract(_PARAMS, reads=("x", "y", "k"), writes=("pool",), flows=("mean_pool",)),
        ),
        Mechanism(
            "innovation",
            innovation,
            Contract(_PARAMS, reads=("pool", "k"), writes=("k",), flows=("innovations",)),
        ),
        Mechanism("depreciation", depreciation, Contract(_PARAMS, reads=("k",), writes=("k",))),
        Mechanism(
            "spinoff",
            spinoff,
            Contract(
                _PARAMS,
                reads=("org_id", "x", "y", "k"),
                flows=("spinoffs",),
                structure=("add_orgs",),
            ),
        ),
        Mechanism(
            "exit",
            exit_,
            Contract(_PARAMS, reads=("born",), flows=("exits",), structure=("remove_orgs",)),
        ),
    ),
    observe=observe,
    indicators=INDICATORS,
    organizations=organizations,
)
