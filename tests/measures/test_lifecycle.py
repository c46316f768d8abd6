"""Life-cycle stages of a firm-count series."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from innocluster.errors import InnoclusterError
from innocluster.measures.lifecycle import STAGES, lifecycle_stage


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
