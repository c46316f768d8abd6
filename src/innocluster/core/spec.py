"""What the engine needs to know about a model: its scenario, state, mechanisms and observer.

A model is one :class:`ModelSpec`. Its mechanisms are :class:`Mechanism` records: a name (the
scenario's ``[mechanisms]`` switch and the key of the mechanism's random stream), the step
function, and a :class:`Contract` that says, as data, what the step reads and writes. The
contracts are checked by the test suite (every mechanism is run on a populated state and must
change nothing it did not declare) and rendered in ``docs/model.md``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from innocluster.core.state import State
from innocluster.tables import Column

__all__ = ["Contract", "Mechanism", "ModelSpec", "Step", "stream_key"]

#: A mechanism's step: ``step(state, scenario, rng)`` changes what its contract declares.
Step = Callable[[State, Any, np.random.Generator], None]

#: Parts of the state other than organisation fields that a step may change.
STRUCTURE = ("add_orgs", "remove_orgs", "alliances", "patents", "citations")


def stream_key(name: str) -> int:
    """The spawn key of the random stream of the part ``name`` of a run (CRC-32 of the name)."""
    return zlib.crc32(name.encode("utf-8"))


@dataclass(frozen=True)
class Contract:
    """What a mechanism reads and writes, declared once.

    Attributes:
        sections: the scenario sections it reads (``"research"``, ``"space"``, ...).
        reads: organisation fields it reads.
        writes: organisation fields whose values it changes for organisations that existed
            before the step (the fields of organisations it adds are its own).
        world_reads: attributes of ``state.world`` it reads.
        world_writes: attributes of ``state.world`` it changes.
        flows: keys of ``state.flows`` it sets (what the observer reads).
        structure: the other parts of the state it changes: ``"add_orgs"`` (appends
            organisations), ``"remove_orgs"`` (removes organisations), ``"alliances"`` (adds,
            ends or changes alliances), ``"patents"`` (files patents).
    """

    sections: tuple[str, ...]
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    world_reads: tuple[str, ...] = ()
    world_writes: tuple[str, ...] = ()
    flows: tuple[str, ...] = ()
    structure: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.structure) - set(STRUCTURE))
        if unknown:
            raise ValueError(f"Contract.structure: unknown parts {unknown}; expected {STRUCTURE}")


@dataclass(frozen=True)
class Mechanism:
    """One step of a model: its name, its step function and its contract."""

    name: str
    step: Step
    contract: Contract


@dataclass(frozen=True)
class ModelSpec:
    """A model the engine can run.

    Attributes:
        name: the value of the scenario's ``model`` key.
        scenario: the model's scenario class (a :class:`~innocluster.core.parameters.ScenarioBase`).
        init: ``init(scenario, rng) -> State``, the state at step 0.
        mechanisms: the mechanisms in the fixed order they run each step.
        observe: ``observe(state, scenario) -> dict``, one row of the indicators table, read at
            the end of each step (``state.flows`` holds what the step's mechanisms counted).
        indicators: the indicator columns ``observe`` returns, besides ``step``.
        organizations: ``organizations(state, scenario) -> dict of arrays``: the columns of the
            organizations table for live and exited organisations.
        channels: the names of the codes of the ``channel`` column of ``state.citations``
            (empty for a model whose patents cite nothing).

    Raises:
        ValueError: two mechanisms share a name; two parts of the run (the mechanisms and
            ``init``) would draw from the same random stream; or the scenario's
            ``[mechanisms]`` switches are not the mechanisms' names.
    """

    name: str
    scenario: type
    init: Callable[[Any, np.random.Generator], State]
    mechanisms: tuple[Mechanism, ...]
    observe: Callable[[State, Any], dict[str, float]]
    indicators: tuple[Column, ...]
    organizations: Callable[[State, Any], dict[str, np.ndarray]]
    channels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = ["init", *(m.name for m in self.mechanisms)]
        if len(set(names)) != len(names):
            raise ValueError(f"model '{self.name}': mechanism names repeat: {names}")
        keys: dict[int, str] = {}
        for name in names:
            other = keys.setdefault(stream_key(name), name)
            if other != name:
                raise ValueError(
                    f"model '{self.name}': mechanisms '{other}' and '{name}' would draw from the "
                    "same random stream (their names have the same CRC-32); rename one"
                )
        # Every mechanism has its switch in the scenario's [mechanisms] section, and only they.
        switches = set(self.scenario.model_fields["mechanisms"].annotation.model_fields)
        if switches != set(names[1:]):
            raise ValueError(
                f"model '{self.name}': the [mechanisms] switches {sorted(switches)} differ from "
                f"its mechanisms {sorted(names[1:])}"
            )
