"""Calibration by simulated moments: the targets file, evaluation, and known parameters found
again."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

import innocluster as ic
from innocluster.errors import InnoclusterError
from innocluster.estimate.calibrate import calibrate, evaluate, load_targets
from innocluster.estimate.moments import parse_moment
from innocluster.experiments.execute import dask_client

SMALL = {"population.n_firms": 50, "population.n_institutes": 4, "steps": 12}
TRUTH = {"research.beta": 0.7, "entrepreneurship.p_spin": 0.6}
MOMENTS = ("kpf_rd_elasticity", "entry_rate", "indicator:spinoffs@1-12", "indicator:patents@6-12")


def _targets(**changes):
    raw = {
        "parameters": {"research.beta": [0.3, 0.95], "entrepreneurship.p_spin": [0.2, 1.0]},
        "moments": {"entry_rate": 0.15, "indicator:patents@6-12": {"target": 300, "weight": 0.01}},
    }
    raw.update(changes)
    return raw


def test_targets_are_read_and_checked():
    base = ic.load_scenario("default", SMALL)
    targets = load_targets(_targets(calibration={"budget": 9}), base)
    assert targets.parameters == ("research.beta", "entrepreneurship.p_spin")
    assert np.isnan(targets.weight[0]) and targets.weight[1] == 0.01
    assert (targets.budget, targets.replications, targets.seed) == (9, 4, 0)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"research.betta": [0.1, 0.2]}, "parameter 'research.betta': unknown key"),
        ({"nosuch.beta": [0.1, 0.2]}, "expected SECTION.KEY"),
        ({"population.n_firms": [10.0, 20.0]}, "only real-valued parameters"),
        ({"research.beta": [0.5, 3.0]}, r"leaves the parameter's bounds \(expected < 1\)"),
        ({"research.beta": [0.5, 0.5]}, "expected low < high"),
    ],
)
def test_bad_parameters_are_refused_by_name(parameters, message):
    with pytest.raises(InnoclusterError, match=message):
        load_targets(_targets(parameters=parameters), ic.load_scenario("default"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"moments": {"entry_rates": 0.1}}, "unknown moment 'entry_rates'"),
        ({"moments": {"indicator:patents@1-99": 1.0}}, "ends after the scenario's last step"),
        ({"moments": {"entry_rate": {"target": 0.1, "weight": -1}}}, "greater than 0"),
        ({"calibration": {"budget": 2}}, "calibration.budget"),
        ({"extra": {}}, "extra: unknown key"),
    ],
)
def test_bad_targets_files(changes, message):
    with pytest.raises(InnoclusterError, match=message):
        load_targets(_targets(**changes), ic.load_scenario("default", SMALL))


def test_shipped_example_is_valid():
    example = resources.files("innocluster.estimate").joinpath("examples/targets.toml")
    targets = load_targets(example, ic.load_scenario("default", SMALL))
    assert [m.text for m in targets.moments] == list(MOMENTS)


def test_shipped_size_tail_targets_are_valid():
    example = resources.files("innocluster.estimate").joinpath("examples/size_tail.toml")
    targets = load_targets(example, ic.load_scenario("default", {"steps": 30}))
    assert targets.parameters == ("research.new_sales",)
    assert [m.text for m in targets.moments] == ["size_tail"]


def test_shipped_life_cycle_targets_are_valid():
    example = resources.files("innocluster.estimate").joinpath("examples/life_cycle.toml")
    targets = load_targets(example, ic.load_scenario("default"))
    assert targets.parameters == ("research.cost_step", "market.growth_noise", "market.hiring")
    assert [m.text for m in targets.moments] == [
        "shakeout_fall",
        "job_reallocation@50-80",
        "creation_persistence@50-80",
        "destruction_persistence@50-80",
    ]


def test_evaluation_does_not_depend_on_workers():
    base = ic.load_scenario("default", {**SMALL, "steps": 4})
    scenarios = [base, ic.load_scenario(base, TRUTH)]
    moments = [parse_moment(m) for m in ("entry_rate", "indicator:patents")]
    one = evaluate(scenarios, [1, 2], moments)
    with dask_client(workers=2) as client:
        two = evaluate(scenarios, [1, 2], moments, client)
    assert one.shape == (2, 2, 2)
    assert np.array_equal(one, two)


@pytest.mark.slow
def test_calibration_recovers_known_parameters():
    """Targets from runs with known parameters (other seeds), found again from the defaults.

    Since firms split their R&D between process and product by size, the pooled KPF elasticity
    no longer pins beta on its own and beta trades off against p_spin through the patent count:
    the search needs a budget of 40, and p_spin is found to within 0.2 (its standard error is
    about 0.2; the 3-standard-error check is the method's own promise).
    """
    base = ic.load_scenario("default", SMALL)
    moments = [parse_moment(m) for m in MOMENTS]
    with dask_client(workers=2) as client:
        values = evaluate([ic.load_scenario(base, TRUTH)], range(100, 104), moments, client)
    targets = {
        "parameters": {"research.beta": [0.3, 0.95], "entrepreneurship.p_spin": [0.2, 1.0]},
        "moments": {m.text: float(v) for m, v in zip(moments, values.mean(axis=1)[0], strict=True)},
        "calibration": {"budget": 40, "replications": 4, "seed": 0},
    }
    result = calibrate(base, load_targets(targets, base), workers=2)
    fit = result.parameters.set_index("parameter")
    assert list(fit["start"]) == pytest.approx([0.5, 1.0])
    tolerance = {"research.beta": 0.05, "entrepreneurship.p_spin": 0.2}
    for name, value in TRUTH.items():
        estimate, se = fit.loc[name, "estimate"], fit.loc[name, "std_error"]
        assert abs(estimate - value) < tolerance[name], name
        assert abs(estimate - value) < 3 * se, name
    assert result.objective < result.evaluations["objective"].iloc[0] / 10
