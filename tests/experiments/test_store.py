"""The store: stable run ids, and the catalog's read-only queries."""

from __future__ import annotations

import pytest

import innocluster as ic
from innocluster.errors import InnoclusterError
from innocluster.experiments import load_experiment, query, read_runs, run_id, sweep
from tests.experiments.helpers import make_spec


def test_run_id_is_stable_and_ignores_name_and_number_spelling():
    scenario = ic.load_scenario("benchmark", {"n0": 200, "steps": 4})
    # A recorded value: changing it orphans every stored run (see docs/experiments.md).
    assert run_id(scenario, 0) == "c669c9773bffab13"
    renamed = ic.load_scenario(scenario, {"name": "x", "description": "y", "s": 0.02})
    assert run_id(renamed, 0) == run_id(scenario, 0)
    assert run_id(scenario, 1) != run_id(scenario, 0)
    assert run_id(ic.load_scenario(scenario, {"s": 0.03}), 0) != run_id(scenario, 0)


def test_query_is_read_only(tmp_path, client, reference):
    plan = load_experiment(make_spec(tmp_path))
    sweep(plan, client=client)
    with pytest.raises(InnoclusterError, match="query: "):
        query(plan.out, "DELETE FROM catalog.runs")
    assert len(read_runs(plan.out)) == 8
    with pytest.raises(InnoclusterError, match="has no catalog.duckdb"):
        query(tmp_path, "SELECT 1")
