"""The run loop: reproducibility, seeds, common random numbers, threads."""

from __future__ import annotations

import numba
import numpy as np
import pytest

import innocluster as ic
from innocluster.core.engine import generator_for, run_model
from innocluster.errors import InnoclusterError
from innocluster.models import MODELS, model_of


def indicators(scenario, seed):
    rows = run_model(model_of(scenario), scenario, seed).rows
    return np.array([[row[c] for c in sorted(row)] for row in rows])


def test_same_seed_same_run_other_seed_other_run(small):
    a, b, c = indicators(small, 7), indicators(small, 7), indicators(small, 8)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_result_does_not_depend_on_the_number_of_threads():
    scenario = ic.load_scenario("benchmark", {"n0": 3000, "steps": 4})
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = run_model(model_of(scenario), scenario, 5)
        numba.set_num_threads(max(2, before))
        many = run_model(model_of(scenario), scenario, 5)
    finally:
        numba.set_num_threads(before)
    assert one.rows == many.rows
    assert np.array_equal(one.state.orgs["k"], many.state.orgs["k"])


def test_generators_are_keyed_by_name_and_seed():
    draw = lambda seed, name: generator_for(seed, name).random(4)  # noqa: E731
    assert np.array_equal(draw(1, "exit"), draw(1, "exit"))
    assert not np.array_equal(draw(1, "exit"), draw(1, "spinoff"))
    assert not np.array_equal(draw(1, "exit"), draw(2, "exit"))


def test_switching_a_mechanism_off_leaves_the_others_draws_alone():
    # With exits off, the spin-off draws of step 1 must be the same: same founders, same shift.
    on = ic.load_scenario("benchmark", {"n0": 2000, "steps": 1, "p_spin": 0.2})
    off = ic.load_scenario(on, {"mechanisms.exit": False})
    a, b = run_model(model_of(on), on, 3).state.orgs, run_model(model_of(off), off, 3).state.orgs
    born_a, born_b = a["born"] == 1, b["born"] == 1
    assert born_a.sum() == born_b.sum() > 300
    assert np.array_equal(a["parent"][born_a], b["parent"][born_b])
    assert np.array_equal(a["x"][born_a], b["x"][born_b])
    assert len(b) > len(a)  # and the switch did switch exits off


def test_a_switched_off_mechanism_does_nothing():
    scenario = ic.load_scenario(
        "benchmark",
        {"n0": 500, "steps": 3, "mechanisms.spillover": False, "mechanisms.spinoff": False},
    )
    sim = run_model(model_of(scenario), scenario, 0)
    assert all(row["mean_pool"] == 0.0 for row in sim.rows)
    assert set(sim.state.orgs["born"]) == {0}
    assert sim.timings.keys() == {"init", "innovation", "depreciation", "exit", "observe"}


def test_negative_seed_is_refused(small):
    with pytest.raises(ValueError, match="non-negative"):
        run_model(model_of(small), small, -1)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "3"])
def test_a_bad_seed_is_a_user_mistake(small, seed):
    with pytest.raises(InnoclusterError, match="seed: expected a non-negative integer"):
        run_model(model_of(small), small, seed)


def test_the_engine_runs_only_the_scenarios_of_the_model_it_is_handed(small):
    cluster = MODELS["cluster"]
    with pytest.raises(InnoclusterError, match="not a scenario of the 'cluster' model"):
        run_model(cluster, small, 0)
