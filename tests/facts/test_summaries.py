"""One run's summary: what the claims read, checked against the run's own tables."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.facts.summaries import CROSS_SECTION_STEPS, summarise
from innocluster.measures.lifecycle import shakeout
from innocluster.scenario import load_scenario


@pytest.fixture(scope="module")
def summary():
    return summarise(load_scenario("default", {"steps": 45, "population.n_firms": 100}), 3)


def test_the_summary_has_every_statistic_as_a_number(summary):
    assert {"fall", "peak_step", "late_entry", "hazard_early", "rd_size", "tail_alpha"} <= set(
        summary
    )
    assert all(isinstance(v, float) for v in summary.values())
    assert 0.0 <= summary["fall"] <= 1.0
    assert 1 <= summary["entry_peak_step"] <= 45


def test_the_fall_is_the_runs_own(summary):
    import innocluster as ic

    run = ic.simulate("default", seed=3, overrides={"steps": 45, "population.n_firms": 100})
    ind = run.indicators
    peak, fall = shakeout((ind.n_firms + ind.n_leaders).to_numpy())
    assert summary["fall"] == fall and summary["peak_step"] == ind.step[peak]


def test_cross_sections_are_taken_in_the_growth_and_shakeout_years():
    assert min(CROSS_SECTION_STEPS) >= 5 and len(CROSS_SECTION_STEPS) >= 3
    assert np.all(np.diff(CROSS_SECTION_STEPS) > 0)


def test_the_localisation_is_the_measure_on_the_runs_own_citations(summary):
    import innocluster as ic
    from innocluster.measures.localisation import citation_localisation
    from innocluster.models.cluster.state import region_of

    run = ic.simulate("default", seed=3, overrides={"steps": 45, "population.n_firms": 100})
    patents = run.patents
    patents["region"] = region_of(patents.x.to_numpy(), patents.y.to_numpy(), 100.0, 10)
    inside = run.citations.dropna(subset=["cited"])[["citing", "cited"]].astype("int64")
    row = citation_localisation(inside, patents, boot=0, seed=3).iloc[0]
    assert summary["localisation_excess"] == row["share_cite"] - row["share_control"]
    assert summary["localisation_ratio"] == row["ratio"] > 1
