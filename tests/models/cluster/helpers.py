"""Shared helpers of the cluster model's tests: scenarios, populated and hand-built states.

A plain module (not a conftest): tests import what they use, e.g.
``from tests.models.cluster.helpers import scenario, fresh_state, step_once``.
"""

from __future__ import annotations

import numpy as np

from innocluster.core.engine import generator_for
from innocluster.models import MODELS
from innocluster.models.cluster.state import region_of
from innocluster.scenario import load_scenario

__all__ = [
    "SMALL",
    "scenario",
    "fresh_state",
    "step_once",
    "mechanism_rng",
    "bare_state",
    "place",
    "capacity",
]

#: A small cluster: 60 firms, 2 leaders, 4 institutes, 15 steps.
SMALL = {"steps": 15, "n_firms": 60, "n_institutes": 4}


def scenario(**overrides):
    """The default scenario, made small, with ``overrides`` (``"section.key"`` or unique keys)."""
    return load_scenario("default", {**SMALL, **overrides})


def fresh_state(sc, seed=0):
    """The populated initial state of scenario ``sc``, drawn as a run with ``seed`` draws it."""
    return MODELS["cluster"].init(sc, generator_for(seed, "init"))


def step_once(module, state, sc, seed=0, t=1):
    """Run one mechanism ``module`` once, at step ``t``, on cleared flows."""
    state.step = t
    state.flows.clear()
    module.step(state, sc, np.random.default_rng(seed))


def mechanism_rng(name, seed=0):
    """The generator the engine hands mechanism ``name`` in a run with ``seed``."""
    return generator_for(seed, name)


def bare_state(**overrides):
    """A scenario without initial organisations and its empty initial state: ``(sc, state)``."""
    sc = scenario(
        **{
            "n_firms": 0,
            "n_leaders": 0,
            "n_institutes": 0,
            "population.n_intermediaries": 0,
            **overrides,
        }
    )
    return sc, fresh_state(sc)


def place(state, sc, kind, x, y, tacit=None, explicit=None, **fields):
    """Add organisations of ``kind`` (one code or one per organisation) at ``x``, ``y`` (km).

    ``tacit`` and ``explicit`` are ``(m, D)`` (or one row, repeated); other fields are passed on
    to :meth:`~innocluster.core.state.Population.add`. Returns the rows of the new organisations.
    """
    x, y = np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))
    m, D = len(x), sc.space.D
    values = {
        "kind": np.broadcast_to(np.asarray(kind, dtype=np.int8), (m,)).copy(),
        "x": x,
        "y": y,
        "region": region_of(x, y, sc.space.L, sc.space.R),
    }
    for name, value in (("tacit", tacit), ("explicit", explicit)):
        if value is not None:
            values[name] = np.broadcast_to(np.asarray(value, dtype=float), (m, D)).copy()
    values.update(fields)
    new = state.orgs.add(state.step, **values)
    return np.arange(new.start, new.stop)


def capacity(state, sc):
    """``A_i = K_i / (K_i + K_half)`` of every organisation, written out from the formula."""
    K = state.orgs["tacit"].sum(axis=1) + state.orgs["explicit"].sum(axis=1)
    return K / (K + sc.knowledge.K_half)
