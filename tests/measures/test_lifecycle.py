"""Life-cycle stages of a firm-count series."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from innocluster.errors import InnoclusterError
from innocluster.measures.lifecycle import (
    STAGES,
    cohort_survival,
    exit_hazard,
    lifecycle_stage,
    shakeout,
)


def klepper_series():
    rise = np.linspace(1, 10, 8)
    boom = np.linspace(10, 100, 12)
    plateau = np.full(10, 100)
    shake = np.linspace(100, 60, 10)
    fall = np.linspace(60, 25, 20)
    return np.concatenate([rise, boom, plateau, shake, fall]).round()


def test_a_full_life_cycle_passes_through_every_stage_in_order():
    stages = lifecycle_stage(klepper_series())
    assert stages[0] == "emergence" and stages[-1] == "decline"
    firsts = [int(np.flatnonzero(stages == s)[0]) for s in STAGES]
    assert firsts == sorted(firsts)
    assert stages[25] == "maturity" and stages[35] == "shakeout"


def test_explicit_entries_and_exits_decide_emergence():
    firms = np.array([2, 2, 2, 2, 40, 80, 100])
    assert lifecycle_stage(firms)[1] == "emergence"
    assert lifecycle_stage(firms, entries=np.zeros(7), exits=np.ones(7))[1] != "emergence"


@given(st.lists(st.integers(0, 500), min_size=1, max_size=60))
def test_every_year_gets_a_known_stage(counts):
    stages = lifecycle_stage(np.array(counts))
    assert len(stages) == len(counts) and set(stages) <= set(STAGES)


def test_bad_input():
    with pytest.raises(InnoclusterError, match="non-negative"):
        lifecycle_stage(np.array([1, -2]))
    with pytest.raises(InnoclusterError, match="odd integer"):
        lifecycle_stage(np.array([1, 2]), window=2)


def test_the_shakeout_is_the_fall_from_the_first_peak():
    assert shakeout(np.array([2, 5, 10, 8, 4, 6])) == (2, pytest.approx(0.6))
    assert shakeout(np.array([1, 2, 3])) == (2, 0.0)
    peak, fall = shakeout(np.zeros(4))
    assert peak == 0 and np.isnan(fall)


def test_the_exit_hazard_counts_firm_years_at_risk():
    # Born 0, exits at 2 (at risk at ages 0, 1, 2); born 1, alive at 5 (ages 0..4, capped at 3).
    born, exited = np.array([0, 1]), np.array([2, -1])
    assert exit_hazard(born, exited, end=5, ages=3) == pytest.approx(1 / (3 + 3))
    # An exit beyond the ages counted is not an exit of those ages.
    assert exit_hazard(np.array([0]), np.array([4]), end=9, ages=3) == 0.0
    assert np.isnan(exit_hazard(np.array([]), np.array([]), end=5, ages=3))


def test_cohort_survival_reports_each_entry_cohort():
    born = np.array([0, 0, 0, 0, 6, 6])
    exited = np.array([-1, 3, 12, np.nan, 8, -1])
    table = cohort_survival(born, exited, end=20, width=5, horizons=(5, 10, 20))
    assert table.cohort.tolist() == [0, 5] and table.firms.tolist() == [4, 2]
    first = table.iloc[0]
    assert first.survive_5 == 0.75 and first.survive_10 == 0.75 and first.survive_20 == 0.5
    assert table.iloc[1].survive_5 == 0.5 and np.isnan(table.iloc[1].survive_20)
