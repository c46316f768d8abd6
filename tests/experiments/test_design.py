"""Designs: the grid of every combination, lists side by side, and sampled (Latin hypercube)
designs, as an experiment plans them."""

from __future__ import annotations

import itertools
import math

import pandas as pd

from innocluster.experiments import load_experiment
from tests.experiments.helpers import make_spec


def test_grid_design_has_every_combination_and_seed(tmp_path):
    plan = load_experiment(make_spec(tmp_path))
    assert plan.design.to_dict("list") == {
        "benchmark.s": [0.0, 0.0, 0.05, 0.05],
        "benchmark.delta": [0.05, 0.1, 0.05, 0.1],
    }
    assert [(r.design_id, r.seed) for r in plan.runs] == list(itertools.product(range(4), (0, 1)))
    assert plan.scenarios[3].benchmark.s == 0.05 and plan.scenarios[3].benchmark.n0 == 200


def test_list_design_reads_lists_side_by_side_and_keys_get_sections(tmp_path):
    spec = make_spec(tmp_path, factors={"s": [0.0, 0.1], "n0": [100, 300]}, seeds=[5, 9])
    spec["design"] = {"method": "list"}
    del spec["replications"]
    plan = load_experiment(spec)
    assert plan.factors == ("benchmark.s", "benchmark.n0")
    assert [s.benchmark.n0 for s in plan.scenarios] == [100, 300]
    assert plan.seeds == (5, 9)


def test_sampled_design_rounds_integer_factors_and_is_reproducible(tmp_path):
    spec = make_spec(
        tmp_path, factors={"n0": {"low": 100, "high": 200}, "s": {"low": 0, "high": 1}}
    )
    spec["design"] = {"method": "lhs", "samples": 7, "seed": 3}
    one, two = load_experiment(spec), load_experiment(spec)
    assert len(one.design) == 7
    pd.testing.assert_frame_equal(one.design, two.design)
    n0 = one.design["benchmark.n0"]
    assert [s.benchmark.n0 for s in one.scenarios] == [math.floor(v + 0.5) for v in n0]
