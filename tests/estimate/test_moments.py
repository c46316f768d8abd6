"""The moments of calibration, on a simulated run and its firm panel (``conftest.py``) and by
hand."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

import innocluster as ic
from innocluster.errors import InnoclusterError
from innocluster.estimate import moments as M
from innocluster.estimate.calibrate import _run_moments, load_targets


def test_alliance_density_and_patent_gini_match_the_indicators(simulated):
    run, _, tables = simulated
    ind = run.indicators
    last = ind["alliance_density"].iloc[-1]
    assert M.compute(M.parse_moment("alliance_density"), tables, 100.0, 10) == pytest.approx(last)
    mean = ind.loc[ind["step"].between(3, 8), "alliance_density"].mean()
    assert M.compute(M.parse_moment("alliance_density@3-8"), tables, 100.0, 10) == pytest.approx(
        mean
    )
    for year in (4, 10):
        value = M.compute(M.parse_moment(f"patent_gini@{year}"), tables, 100.0, 10)
        expected = ind.loc[ind["step"] == year, "gini_patents_regions"].item()
        assert value == pytest.approx(expected)


def test_indicator_windows(simulated):
    run, _, tables = simulated
    patents = run.indicators["patents"].to_numpy()
    assert M.compute(M.parse_moment("indicator:patents"), tables, 100.0, 10) == patents[-1]
    window = M.compute(M.parse_moment("indicator:patents@2-5"), tables, 100.0, 10)
    assert window == pytest.approx(patents[1:5].mean())
    with pytest.raises(InnoclusterError, match="expected a numeric indicators column"):
        M.indicator(run.indicators, "phase")


def test_the_shakeout_fall_is_the_fall_of_the_producers_in_the_indicators(simulated):
    run, _, tables = simulated
    ind = run.indicators
    producers = (ind["n_firms"] + ind["n_leaders"]).to_numpy()
    expected = 1.0 - producers[producers.argmax() :].min() / producers.max()
    assert M.compute(M.parse_moment("shakeout_fall"), tables, 100.0, 10) == pytest.approx(expected)
    by_hand = pd.DataFrame(
        {"kind": ["firm"] * 4, "born": [0, 1, 1, 2], "exited": [np.nan, 3, 3, np.nan]}
    )
    # Alive at the end of years 1, 2, 3: 3, 4, 2 producers: a fall of half from the peak.
    assert M.shakeout_fall(by_hand, 1, 3) == pytest.approx(0.5)


def test_the_size_tail_is_the_hill_exponent_of_the_live_producers():
    rng = np.random.default_rng(2)
    sizes = np.floor(10 * (1.0 - rng.random(3000)) ** (-1.0)).astype(int)  # Pareto, alpha 1
    orgs = pd.DataFrame(
        {
            "kind": ["firm"] * 3000 + ["institute", "firm"],
            "exited": [np.nan] * 3000 + [np.nan, 5.0],
            "employees": [*sizes, 10**9, 10**9],  # neither counts: an institute, an exited firm
        }
    )
    assert M.size_tail(orgs) == pytest.approx(1.0, rel=0.12)


def test_entry_and_exit_rates_by_hand():
    orgs = pd.DataFrame(
        {
            "kind": ["firm", "firm", "leader", "firm", "institute", "firm"],
            "born": [0, 0, 0, 1, 0, 2],
            "exited": [np.nan, 2, np.nan, 2, np.nan, np.nan],
        }
    )
    # At the start of year 1: the 3 initial producers; of year 2: those plus the entrant of 1.
    assert M.entry_rate(orgs, 1, 2) == pytest.approx(2 / 7)
    assert M.exit_rate(orgs, 1, 2) == pytest.approx(2 / 7)
    assert M.entry_rate(orgs, 1, 1) == pytest.approx(1 / 3)
    assert M.exit_rate(orgs, 1, 1) == 0.0


def _job_panel() -> pd.DataFrame:
    # Firm 1: 10, 14, 12 (4 jobs created in year 1, 2 of them still filled in year 2).
    # Firm 2: 10, 6, 4 (4 lost in year 1, all still lost in year 2; 2 more lost in year 2).
    # Firm 3: enters in year 1 with 2 and exits in year 2. An institute's 50 jobs never count.
    rows = [(1, 0, 10), (1, 1, 14), (1, 2, 12), (2, 0, 10), (2, 1, 6), (2, 2, 4), (3, 1, 2)]
    rows += [(9, t, 50) for t in range(3)]
    return pd.DataFrame(
        {
            "org_id": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "kind": ["firm"] * 7 + ["institute"] * 3,
            "employees": [r[2] for r in rows],
        }
    )


def test_job_flows_by_hand():
    panel = _job_panel()
    # Year 1: |4| + |-4| + 2 = 10 over (20 + 22) / 2; year 2: 2 + 2 + 2 = 6 over (22 + 16) / 2.
    assert M.job_reallocation(panel, 1, 1) == pytest.approx(10 / 21)
    assert M.job_reallocation(panel, 2, 2) == pytest.approx(6 / 19)
    assert M.job_reallocation(panel) == pytest.approx((10 / 21 + 6 / 19) / 2)
    # Year 1 created 4 + 2 jobs; 2 + 0 are still filled in year 2. It lost 4, all still lost.
    assert M.job_persistence(panel, "creation") == pytest.approx(2 / 6)
    assert M.job_persistence(panel, "destruction") == pytest.approx(1.0)
    assert np.isnan(M.job_persistence(panel, "creation", 2, 2))  # no year after year 2
    with pytest.raises(ValueError, match="creation"):
        M.job_persistence(panel, "growth")


def test_job_flows_of_a_run_are_rates_and_shares(simulated):
    _, panel, tables = simulated
    rate = M.compute(M.parse_moment("job_reallocation"), tables, 10.0, 4)
    assert rate == pytest.approx(M.job_reallocation(panel)) and 0.0 < rate < 2.0
    for name in ("creation_persistence", "destruction_persistence"):
        share = M.compute(M.parse_moment(name), tables, 10.0, 4)
        assert 0.0 <= share <= 1.0


def test_kpf_rd_elasticity_recovers_a_known_elasticity():
    rng = np.random.default_rng(3)
    firms, years = 300, 6
    rd = rng.lognormal(1.0, 1.0, firms * years)
    year = np.tile(np.arange(1, years + 1), firms)
    mu = 0.3 * rd**0.6 * np.exp(0.1 * year)
    panel = pd.DataFrame(
        {
            "org_id": np.repeat(np.arange(firms), years),
            "year": year,
            "kind": "firm",
            "rd": rd,
            "patents": rng.poisson(mu),
        }
    )
    assert M.kpf_rd_elasticity(panel) == pytest.approx(0.6, abs=0.05)
    assert np.isnan(M.kpf_rd_elasticity(panel.assign(patents=0)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entry", "unknown moment 'entry'"),
        ("indicator:nope", "unknown indicator 'nope'"),
        ("entry_rate@5-2", "1 <= A <= B"),
        ("entry_rate@x", "expected NAME"),
    ],
)
def test_bad_moment_names(text, message):
    with pytest.raises(InnoclusterError, match=message):
        M.parse_moment(text, ("patents",))


def test_moment_names_parse():
    moment = M.parse_moment("indicator:patents@11-20", ("patents",))
    assert (moment.name, moment.column, moment.first, moment.last) == (
        "indicator",
        "patents",
        11,
        20,
    )
    assert M.parse_moment("entry_rate@7").last == 7


@pytest.mark.slow
def test_the_default_reproduces_its_calibration_targets_on_other_seeds():
    """The life-cycle calibration (estimate/examples/life_cycle.toml, seeds 0-9) on 2000-2009.

    The defaults are the calibrated values, so the mean of 10 runs on other seeds is near the
    targets: within about the estimate's own miss plus 2.5 standard errors of a 10-run mean
    (one run's s.d. at the estimate: 0.055 for the fall, 0.009 for reallocation, 0.03 for the
    persistences).
    """
    scenario = ic.load_scenario("default")
    example = resources.files("innocluster.estimate").joinpath("examples/life_cycle.toml")
    targets = load_targets(example, scenario)
    runs = [_run_moments(scenario, seed, targets.moments) for seed in range(2000, 2010)]
    miss = np.abs(np.mean(runs, axis=0) - targets.target)
    assert np.all(miss < [0.05, 0.008, 0.05, 0.04]), miss


def test_kpf_pool_elasticity_recovers_a_known_within_firm_elasticity():
    rng = np.random.default_rng(5)
    firms, years = 300, 8
    effect = np.repeat(rng.normal(0.0, 1.0, firms), years)  # firm effects, correlated with the pool
    year = np.tile(np.arange(1, years + 1), firms)
    rd = rng.lognormal(1.0, 0.5, firms * years)
    pool = np.exp(effect + rng.normal(0.0, 0.5, firms * years) + 0.1 * year)
    mu = np.exp(effect) * rd**0.5 * pool**0.3
    panel = pd.DataFrame(
        {
            "org_id": np.repeat(np.arange(firms), years),
            "year": year,
            "kind": "firm",
            "rd": rd,
            "spillover_pool": pool,
            "patents": rng.poisson(mu),
        }
    )
    assert M.kpf_pool_elasticity(panel) == pytest.approx(0.3, abs=0.05)
    assert np.isnan(M.kpf_pool_elasticity(panel.assign(spillover_pool=0.0)))
