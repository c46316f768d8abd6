"""The benchmark model, step by step against its specification (benchmark-model.md); its kernels
are tested in ``test_kernels.py``."""

from __future__ import annotations

import numpy as np
import pytest

import innocluster as ic
from innocluster.core.engine import generator_for, run_model
from innocluster.models import model_of
from innocluster.models.benchmark import model as benchmark


def one_step(**overrides):
    scenario = ic.load_scenario("benchmark", {"n0": 300, "steps": 1, **overrides})
    return run_model(model_of(scenario), scenario, seed=11)


def test_spinoffs_inherit_phi_of_the_parents_knowledge_after_innovation_and_depreciation():
    sim = one_step(p_spin=1.0, q_exit=0.0, phi=0.3)
    orgs = sim.state.orgs
    parents, children = np.arange(300), np.arange(300, 600)
    assert len(orgs) == 600
    np.testing.assert_array_equal(orgs["parent"][children], orgs["org_id"][parents])
    np.testing.assert_allclose(orgs["k"][children], 0.3 * orgs["k"][parents], rtol=1e-15)
    assert set(orgs["born"][children]) == {1} and set(orgs["born"][parents]) == {0}
    shift = np.hypot(
        orgs["x"][children] - orgs["x"][parents], orgs["y"][children] - orgs["y"][parents]
    )
    assert 0.005 < shift.mean() < 0.02  # sigma_spin = 0.01: mean displacement 0.0125


def test_spinoff_positions_are_clipped_to_the_square():
    sim = one_step(p_spin=1.0, q_exit=0.0, sigma_spin=2.0)
    x, y = sim.state.orgs["x"][300:], sim.state.orgs["y"][300:]
    assert x.min() == 0.0 and x.max() == 1.0 and y.min() == 0.0 and y.max() == 1.0
    assert np.all((x >= 0) & (x <= 1) & (y >= 0) & (y <= 1))


def test_exit_spares_organisations_born_in_the_step():
    sim = one_step(p_spin=1.0, q_exit=1.0)
    orgs = sim.state.orgs
    assert len(orgs) == 300 and set(orgs["born"]) == {1}
    assert sim.state.orgs.exited()["exited"].tolist() == [1] * 300
    assert sim.rows[0]["n_orgs"] == 300


def test_exit_rate_matches_q_exit():
    sim = one_step(n0=20_000, q_exit=0.2, p_spin=0.0)
    left = 20_000 - sim.rows[0]["n_orgs"]
    assert abs(left - 4000) < 4 * np.sqrt(20_000 * 0.2 * 0.8)


def test_innovation_count_matches_the_poisson_mean():
    scenario = ic.load_scenario("benchmark", {"n0": 5000, "steps": 1})
    state = benchmark.init(scenario, generator_for(3, "init"))
    benchmark.spillover(state, scenario, generator_for(3, "spillover"))
    expected = (0.5 * np.sqrt(1.0 + state.orgs["pool"])).sum()
    before = state.orgs["k"].sum()
    benchmark.innovation(state, scenario, generator_for(3, "innovation"))
    added = state.orgs["k"].sum() - before
    assert added == state.flows["innovations"]
    assert abs(added - expected) < 4 * np.sqrt(expected)


def test_depreciation_scales_knowledge():
    scenario = ic.load_scenario("benchmark", {"n0": 50, "delta": 0.2})
    state = benchmark.init(scenario, generator_for(0, "init"))
    before = state.orgs["k"].copy()
    benchmark.depreciation(state, scenario, generator_for(0, "depreciation"))
    np.testing.assert_allclose(state.orgs["k"], 0.8 * before)


def test_initial_state_follows_the_spec():
    scenario = ic.load_scenario("benchmark", {"n0": 20_000})
    state = benchmark.init(scenario, generator_for(0, "init"))
    k = state.orgs["k"]
    assert k.shape == (20_000, 16) and abs(k.mean() - 1.0) < 0.01 and abs(k.std() - 1.0) < 0.01
    assert 0 <= state.orgs["x"].min() and state.orgs["y"].max() <= 1
    assert abs(state.orgs["x"].mean() - 0.5) < 0.01


def test_observed_gini_is_the_grid_gini():
    sim = one_step(n0=2000)
    orgs = sim.state.orgs
    counts = np.zeros((10, 10))
    np.add.at(
        counts,
        (np.minimum((orgs["y"] * 10).astype(int), 9), np.minimum((orgs["x"] * 10).astype(int), 9)),
        1,
    )
    c = counts.ravel()
    expected = np.abs(c[:, None] - c[None, :]).sum() / (2 * 100**2 * c.mean())
    assert sim.rows[0]["grid_gini"] == pytest.approx(expected, rel=1e-12)
    assert sim.rows[0]["total_knowledge"] == pytest.approx(orgs["k"].sum())
