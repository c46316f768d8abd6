"""Calibration by simulated moments: the targets file, evaluation, identification, the CLI."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app
from innocluster.errors import InnoclusterError
from innocluster.estimate import kpf
from innocluster.estimate.calibrate import calibrate, evaluate, load_targets
from innocluster.estimate.moments import parse_moment
from innocluster.estimate.panel import simulate_panel
from innocluster.experiments.execute import dask_client

SMALL = {"population.n_firms": 50, "population.n_institutes": 4, "steps": 12}
TRUTH = {"research.beta": 0.7, "entrepreneurship.p_spin": 0.6}
MOMENTS = ("kpf_rd_elasticity", "entry_rate", "indicator:spinoffs@1-12", "indicator:patents@6-12")


def _targets(**changes):
    raw = {
        "parameters": {"research.beta": [0.3, 1.0], "entrepreneurship.p_spin": [0.2, 1.0]},
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
        ({"research.beta": [0.5, 3.0]}, r"leaves the parameter's bounds \(expected <= 2\)"),
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


def test_evaluation_does_not_depend_on_workers():
    base = ic.load_scenario("default", {**SMALL, "steps": 4})
    scenarios = [base, ic.load_scenario(base, TRUTH)]
    moments = [parse_moment(m) for m in ("entry_rate", "indicator:patents")]
    one = evaluate(scenarios, [1, 2], moments)
    with dask_client(workers=2) as client:
        two = evaluate(scenarios, [1, 2], moments, client)
    assert one.shape == (2, 2, 2)
    assert np.array_equal(one, two)


def test_kpf_recovers_the_simulators_rd_elasticity_only_with_knowledge():
    """The simulator's beta, from a Poisson KPF on its own firm panel.

    ``mu = a Q RD^beta (1 + K)^eta_t``: the knowledge stock K is built by past innovations,
    which past R&D paid for, so log R&D and log(1 + K) are correlated (about 0.66 here) and a
    KPF without K credits R&D with the effect of knowledge. With log(1 + K), its interaction
    with maturity (eta_t moves with it) and year effects (Q, and the share p_patent of
    innovations patented), the model is the simulator's own and beta is recovered.
    """
    beta = 0.5
    scenario = ic.load_scenario(
        "default",
        {"population.n_firms": 100, "population.n_institutes": 6, "research.beta": beta},
    )
    _, panel = simulate_panel(scenario, seed=11, steps=15)
    panel = panel[panel["rd"] > 0].assign(
        log_rd=lambda d: np.log(d["rd"]), log_k=lambda d: np.log1p(d["knowledge"])
    )
    panel["log_k_maturity"] = panel["log_k"] * panel["maturity"]
    assert panel["org_id"].nunique() > 300 and len(panel) > 4000

    options = {"panel": "org_id", "time": "year", "year_effects": True}
    right = kpf(panel, "research_patents", ["log_rd", "log_k", "log_k_maturity"], **options)
    row = right.coefficients.set_index("term").loc["log_rd"]
    assert row["ci_low"] < beta < row["ci_high"]
    assert right.params["log_k"] == pytest.approx(scenario.research.eta, abs=0.15)

    naive = kpf(panel, "patents", ["log_rd"], **options)
    row = naive.coefficients.set_index("term").loc["log_rd"]
    assert row["ci_low"] > beta + 0.1  # biased upwards by the omitted knowledge stock


@pytest.mark.slow
def test_calibration_recovers_known_parameters():
    """Targets from runs with known parameters (other seeds), found again from the defaults."""
    base = ic.load_scenario("default", SMALL)
    moments = [parse_moment(m) for m in MOMENTS]
    with dask_client(workers=2) as client:
        values = evaluate([ic.load_scenario(base, TRUTH)], range(100, 104), moments, client)
    targets = {
        "parameters": {"research.beta": [0.3, 1.0], "entrepreneurship.p_spin": [0.2, 1.0]},
        "moments": {m.text: float(v) for m, v in zip(moments, values.mean(axis=1)[0], strict=True)},
        "calibration": {"budget": 24, "replications": 4, "seed": 0},
    }
    result = calibrate(base, load_targets(targets, base), workers=2)
    fit = result.parameters.set_index("parameter")
    assert list(fit["start"]) == pytest.approx([0.5, 1.0])
    tolerance = {"research.beta": 0.05, "entrepreneurship.p_spin": 0.15}
    for name, value in TRUTH.items():
        estimate, se = fit.loc[name, "estimate"], fit.loc[name, "std_error"]
        assert abs(estimate - value) < tolerance[name], name
        assert abs(estimate - value) < 3 * se, name
    assert result.objective < result.evaluations["objective"].iloc[0] / 10


def test_cli_writes_a_scenario_that_run_accepts(tmp_path):
    targets = tmp_path / "targets.toml"
    targets.write_text(
        '[parameters]\n"research.beta" = [0.4, 0.8]\n'
        '[moments]\n"indicator:patents" = 100.0\nentry_rate = 0.15\n'
        "[calibration]\nbudget = 4\nreplications = 2\n"
    )
    out = tmp_path / "cal"
    small = ["--set", "population.n_firms=30", "--set", "population.n_institutes=3"]
    runner = CliRunner()
    args = ["calibrate", "default", "--targets", str(targets), "--set", "steps=3", *small]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "calibrated parameters" in result.output and "research.beta" in result.output
    report = json.loads((out / "calibration.json").read_text())
    assert [p["parameter"] for p in report["parameters"]] == ["research.beta"]
    assert report["candidates"] == 4
    assert {m["moment"] for m in report["moments"]} == {"indicator:patents", "entry_rate"}
    for name in ("parameters.csv", "moments.csv", "evaluations.csv", "scenario.toml"):
        assert (out / name).is_file()
    fitted = ic.load_scenario(out / "scenario.toml")
    assert fitted.research.beta == pytest.approx(report["parameters"][0]["estimate"])
    again = runner.invoke(app, ["run", str(out / "scenario.toml"), "--out", str(tmp_path / "r")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "r" / "indicators.parquet").is_file()

    bad = runner.invoke(app, ["calibrate", "default", "--targets", str(tmp_path / "none.toml")])
    assert bad.exit_code == 2
    assert "none.toml' does not exist" in bad.output
