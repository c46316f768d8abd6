"""Every mechanism of every model does what its contract declares, and no more.

Each mechanism runs one step on copies of populated states (several scenarios and steps, so
that its branches run) under recording wrappers: the organisations record the fields read, the
world the attributes touched, the scenario the sections read. A test fails when a mechanism

- reads an organisation field, a world attribute or a scenario section it did not declare;
- changes a field of an organisation that existed before the step, a world attribute, a flow,
  the alliances, the patents or the set of organisations without declaring it;
- declares something that none of the states shows it using (a stale contract).
"""

from __future__ import annotations

import copy
import dataclasses
from functools import cache

import numpy as np
import pytest

import innocluster as ic
from innocluster.core.engine import generator_for, run_model
from innocluster.core.spec import Contract, Mechanism
from innocluster.core.state import Population, State
from innocluster.models import MODELS

#: (preset, overrides, steps before the checked step, seed) for each model: states in which
#: every branch of every mechanism runs at least once.
STATES = {
    "cluster": (
        ("default", {}, 0, 0),
        (
            "default",
            {"population.n_firms": 0, "population.n_leaders": 0, "openness.fdi_rate": 5.0},
            0,
            5,
        ),
        ("default", {}, 14, 1),
        ("default", {}, 32, 2),
        ("default", {"government.targeted": True}, 0, 3),
        (
            "default",
            {
                "governance.regime": "platform",
                "governance.platform_owner": "private",
                "government.anchor_steps": [9],
            },
            8,
            3,
        ),
        ("default", {"governance.regime": "supply", "openness.fdi_rate": 8.0}, 20, 4),
    ),
    "benchmark": (("benchmark", {"benchmark.n0": 500}, 3, 0),),
}


class _RecordedPopulation(Population):
    """A population that records the fields read through ``pop[name]``."""

    seen: set[str]
    recording: bool

    def __getitem__(self, name: str) -> np.ndarray:
        if self.recording:
            self.seen.add(name)
        return super().__getitem__(name)

    def remove(self, leave: np.ndarray, step: int) -> int:
        # Removing rows reads every field: the structure's doing, not the mechanism's.
        self.recording = False
        try:
            return super().remove(leave, step)
        finally:
            self.recording = True


class _Recorder:
    """Records the names of the attributes read from the wrapped object."""

    def __init__(self, wrapped: object) -> None:
        object.__setattr__(self, "_wrapped", wrapped)
        object.__setattr__(self, "_seen", set())

    def __getattr__(self, name: str) -> object:
        self._seen.add(name)
        return getattr(self._wrapped, name)

    def __setattr__(self, name: str, value: object) -> None:
        self._seen.add(name)
        setattr(self._wrapped, name, value)


@dataclasses.dataclass
class Observed:
    """What one step of a mechanism was seen to read and change."""

    sections: set[str]
    reads: set[str]
    writes: set[str]
    world_reads: set[str]
    world_writes: set[str]
    flows: set[str]
    structure: set[str]


@cache
def _state(model_name: str, index: int) -> tuple[State, object, int]:
    # The state after ``steps`` steps (0: the initial state).
    preset, overrides, steps, seed = STATES[model_name][index]
    model = MODELS[model_name]
    scenario = ic.load_scenario(preset, {**overrides, "steps": max(steps, 1)})
    if steps == 0:
        return model.init(scenario, generator_for(seed, "init")), scenario, seed
    return run_model(model, scenario, seed, observe=False).state, scenario, seed


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    return a == b


def _snapshot_orgs(orgs: Population) -> dict[str, np.ndarray]:
    return {name: Population.__getitem__(orgs, name).copy() for name in orgs.specs}


def observe_step(mechanism: Mechanism, state: State, scenario: object, seed: int) -> Observed:
    """Run one step of ``mechanism`` on a copy of ``state`` and record what it did."""
    state = copy.deepcopy(state)
    state.step += 1
    state.flows.clear()
    before_orgs = _snapshot_orgs(state.orgs)
    before_world = copy.deepcopy(state.world)
    before_ties = state.alliances.records()
    n_patents, next_id = len(state.patents), state.orgs.next_id
    n_citations = len(state.citations)
    n_exits = len(state.orgs.archive)

    state.orgs.__class__ = _RecordedPopulation
    state.orgs.seen, state.orgs.recording = set(), True
    world = state.world
    if world is not None:
        state.world = _Recorder(world)
    recorded_scenario = _Recorder(scenario)
    mechanism.step(state, recorded_scenario, generator_for(seed, mechanism.name))
    state.orgs.__class__ = Population
    if world is not None:
        world_seen = state.world._seen
        state.world = world

    # Fields of the organisations that existed before the step, matched by org id.
    after = _snapshot_orgs(state.orgs)
    rows_before = {int(i): r for r, i in enumerate(before_orgs["org_id"])}
    kept = [
        (rows_before[int(i)], r) for r, i in enumerate(after["org_id"]) if int(i) in rows_before
    ]
    old_rows = np.array([o for o, _ in kept], dtype=np.int64)
    new_rows = np.array([n for _, n in kept], dtype=np.int64)
    writes = {
        name
        for name in state.orgs.specs
        if not _same(before_orgs[name][old_rows], after[name][new_rows])
    }
    world_writes = set()
    if world is not None:
        world_writes = {
            f.name
            for f in dataclasses.fields(world)
            if not _same(getattr(before_world, f.name), getattr(world, f.name))
        }
    ties = state.alliances.records()
    structure = set()
    if state.orgs.next_id != next_id:
        structure.add("add_orgs")
    if len(state.orgs.archive) != n_exits:
        structure.add("remove_orgs")
    if len(state.patents) != n_patents:
        structure.add("patents")
    if len(state.citations) != n_citations:
        structure.add("citations")
    if any(not _same(before_ties[k], ties[k]) for k in ties):
        structure.add("alliances")
    return Observed(
        sections=set(recorded_scenario._seen),
        reads=set(state.orgs.seen),
        writes=writes,
        world_reads=world_seen if world is not None else set(),
        world_writes=world_writes,
        flows=set(state.flows),
        structure=structure,
    )


MECHANISMS = [(model.name, m) for model in MODELS.values() for m in model.mechanisms]


@cache
def _observations(model_name: str, mechanism_name: str) -> tuple[Observed, ...]:
    mechanism = next(m for m in MODELS[model_name].mechanisms if m.name == mechanism_name)
    return tuple(
        observe_step(mechanism, *_state(model_name, i)) for i in range(len(STATES[model_name]))
    )


def _ids(item):
    return f"{item[0]}.{item[1].name}"


@pytest.mark.parametrize("item", MECHANISMS, ids=_ids)
def test_a_mechanism_touches_only_what_it_declares(item):
    model_name, mechanism = item
    c: Contract = mechanism.contract
    for seen in _observations(model_name, mechanism.name):
        assert seen.sections <= set(c.sections), (
            f"undeclared sections {seen.sections - set(c.sections)}"
        )
        fields = set(c.reads) | set(c.writes)
        assert seen.reads <= fields, f"reads undeclared fields {sorted(seen.reads - fields)}"
        assert seen.writes <= set(c.writes), (
            f"writes undeclared fields {sorted(seen.writes - set(c.writes))}"
        )
        world = set(c.world_reads) | set(c.world_writes)
        assert seen.world_reads <= world, f"touches world {sorted(seen.world_reads - world)}"
        assert seen.world_writes <= set(c.world_writes), (
            f"changes world {sorted(seen.world_writes - set(c.world_writes))}"
        )
        assert seen.flows <= set(c.flows), (
            f"sets undeclared flows {sorted(seen.flows - set(c.flows))}"
        )
        assert seen.structure <= set(c.structure), (
            f"changes {sorted(seen.structure - set(c.structure))} of the state"
        )


@pytest.mark.parametrize("item", MECHANISMS, ids=_ids)
def test_everything_a_mechanism_declares_is_used(item):
    model_name, mechanism = item
    c: Contract = mechanism.contract
    seen = _observations(model_name, mechanism.name)
    union = {
        f.name: set().union(*(getattr(s, f.name) for s in seen))
        for f in dataclasses.fields(Observed)
    }
    assert set(c.sections) <= union["sections"], (
        f"sections never read: {set(c.sections) - union['sections']}"
    )
    # A write of the value a field already holds cannot be seen: a declared write must at
    # least be touched (read or assigned) in some state.
    fields = union["reads"] | union["writes"]
    assert set(c.reads) <= fields, f"fields never read: {sorted(set(c.reads) - fields)}"
    assert set(c.writes) <= fields, f"fields never written: {sorted(set(c.writes) - fields)}"
    world = union["world_reads"] | union["world_writes"]
    assert set(c.world_reads) <= world, f"world never read: {sorted(set(c.world_reads) - world)}"
    assert set(c.world_writes) <= world, f"world never set: {sorted(set(c.world_writes) - world)}"
    assert set(c.flows) <= union["flows"], (
        f"flows never set: {sorted(set(c.flows) - union['flows'])}"
    )
    assert set(c.structure) <= union["structure"], (
        f"structure never changed: {sorted(set(c.structure) - union['structure'])}"
    )


def test_the_checker_catches_an_undeclared_write():
    # A mechanism that lies about its writes must be caught by the check above.
    model = MODELS["benchmark"]
    honest = next(m for m in model.mechanisms if m.name == "depreciation")

    def sneaky(state, scenario, rng):
        honest.step(state, scenario, rng)
        state.orgs["pool"][:] += 1.0

    seen = observe_step(dataclasses.replace(honest, step=sneaky), *_state("benchmark", 0))
    assert "pool" in seen.writes
    assert not seen.writes <= set(honest.contract.writes)
