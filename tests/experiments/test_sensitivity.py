"""Sensitivity: SALib's Sobol and Morris analyses on the matching designs."""

from __future__ import annotations

import pytest

from innocluster.errors import InnoclusterError
from innocluster.experiments import load_experiment, read_runs, sensitivity, sweep
from tests.experiments.helpers import make_spec


@pytest.mark.parametrize(("method", "samples"), [("sobol", 8), ("morris", 4)])
def test_sensitivity_uses_salib_on_the_matching_design(tmp_path, client, method, samples):
    from SALib.analyze import morris, sobol

    spec = make_spec(
        tmp_path,
        factors={"s": {"low": 0.0, "high": 0.1}, "delta": {"low": 0.0, "high": 0.2}},
        design={"method": method, "samples": samples, "seed": 2},
    )
    plan = load_experiment(spec)
    sweep(plan, client=client)
    table = sensitivity(plan.out, ["total_knowledge"])
    problem = {"num_vars": 2, "names": list(plan.factors), "bounds": [[0.0, 0.1], [0.0, 0.2]]}
    y = read_runs(plan.out).groupby("design_id")["total_knowledge"].mean().to_numpy()
    if method == "sobol":
        expected = sobol.analyze(problem, y, calc_second_order=False, num_resamples=1000, seed=2)
        got = table[table["index"] == "ST"]["value"].to_numpy()
        assert got == pytest.approx(expected["ST"])
        assert len(table) == 4
    else:
        x = plan.design.to_numpy(float)
        expected = morris.analyze(problem, x, y, num_resamples=1000, num_levels=4, seed=2)
        got = table[table["index"] == "mu_star"]["value"].to_numpy()
        assert got == pytest.approx(expected["mu_star"])
        assert len(table) == 6
    assert (plan.out / "problem.json").is_file()


def test_sensitivity_needs_a_sobol_or_morris_design(tmp_path, client):
    plan = load_experiment(make_spec(tmp_path))
    sweep(plan, client=client)
    with pytest.raises(InnoclusterError, match="needs a sobol or morris design"):
        sensitivity(plan.out)
