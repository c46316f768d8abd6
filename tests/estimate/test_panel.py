"""The simulated firm panel: the run is the ordinary run, the panel's counts add up, other
models are refused, and a KPF on the panel recovers the simulator's R&D elasticity."""

from __future__ import annotations

import numpy as np
import pytest

import innocluster as ic
from innocluster.errors import InnoclusterError
from innocluster.estimate import kpf
from innocluster.estimate.panel import PANEL_COLUMNS, simulate_panel
from tests.estimate.helpers import SMALL


def test_panel_run_is_the_ordinary_run(simulated):
    run, panel, _ = simulated
    reference = ic.simulate("default", seed=5, overrides=SMALL)
    for name, table in reference.tables.items():
        assert table.equals(run.tables[name]), name
    assert tuple(panel.columns) == PANEL_COLUMNS


def test_panel_counts_add_up(simulated):
    run, panel, _ = simulated
    by_year = panel.groupby("year")[["patents", "research_patents", "innovations"]].sum()
    assert np.array_equal(by_year["patents"].to_numpy(), run.indicators["patents"].to_numpy())
    assert (by_year["research_patents"] <= by_year["patents"]).all()
    assert (panel["research_patents"] <= panel["innovations"]).all()
    assert (panel.loc[panel["rd"] == 0, "innovations"] == 0).all()
    assert not panel.duplicated(["org_id", "year"]).any()


def test_panel_refuses_other_models():
    with pytest.raises(InnoclusterError, match="cluster model"):
        simulate_panel("benchmark", seed=0, steps=1)
    with pytest.raises(InnoclusterError, match="research mechanism is off"):
        simulate_panel(ic.load_scenario("default", {**SMALL, "mechanisms.research": False}))


def test_kpf_recovers_the_simulators_rd_elasticity_only_with_knowledge():
    """The simulator's beta, from a Poisson KPF on its own firm panel.

    ``mu = a Q RD^beta (1 + K)^eta_t``: the knowledge stock K is built by past innovations,
    which past R&D paid for, so log R&D and log(1 + K) are correlated (about 0.8 here) and a
    KPF without K credits R&D with the effect of knowledge. With log(1 + K), its interaction
    with maturity (eta_t moves with it) and year effects (Q, and the share p_patent of
    innovations patented), the model is the simulator's own but for the split of R&D between
    process and product (a factor between 1 and 2^(1 - beta)), and beta is recovered.
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


def test_one_row_per_organisation_and_year_of_its_life_with_the_declared_types(simulated):
    run, panel, _ = simulated
    integers = ["org_id", "year", "innovations", "research_patents", "patents"]
    assert (panel.dtypes[integers] == "int64").all()
    assert (panel.dtypes[["rd", "knowledge", "maturity", "Q"]] == "float64").all()
    assert sorted(panel["year"].unique()) == list(range(1, run.scenario.steps + 1))
    orgs = run.organizations.set_index("org_id")
    assert panel["org_id"].isin(orgs.index).all()
    rows = orgs.loc[panel["org_id"]]
    year = panel["year"].to_numpy()
    assert (rows["kind"].to_numpy() == panel["kind"].to_numpy()).all()
    assert (rows["born"].to_numpy() <= year).all()
    assert (rows["exited"].to_numpy(dtype=float, na_value=np.inf) >= year).all()
    assert (panel[["rd", "knowledge", "innovations", "research_patents"]] >= 0).all().all()
    assert (panel["rd"] > 0).any()
    assert (panel["research_patents"] <= panel["patents"]).all()


def test_steps_shorten_the_run_and_bad_seeds_are_refused():
    scenario = ic.load_scenario("default", SMALL)
    run, panel = simulate_panel(scenario, seed=5, steps=3)
    assert run.scenario.steps == 3 and sorted(panel["year"].unique()) == [1, 2, 3]
    assert run.indicators.equals(ic.simulate(scenario, seed=5, steps=3).indicators)
    for seed in (-1, True, 1.5, "1"):
        with pytest.raises(InnoclusterError, match="seed: expected a non-negative integer"):
            simulate_panel(scenario, seed=seed)


def test_the_spillover_pool_is_the_knowledge_within_reach(simulated):
    _, panel, _ = simulated
    assert (panel["spillover_pool"] >= 0).all() and (panel["spillover_pool"] > 0).any()
    scenario = ic.load_scenario("default", {**SMALL, "spillover.r_geo": 1e-6})
    _, alone = simulate_panel(scenario, seed=0, steps=3)
    assert (alone["spillover_pool"] == 0).all()  # nobody within a micrometre
