"""Phase diagnosis and the governance it recommends."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from innocluster.errors import InnoclusterError
from innocluster.measures.phase import diagnose_phase, leave_one_out_median, phase_of


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40))
def test_leave_one_out_median_matches_deleting_each_value(values):
    v = np.array(values)
    expected = [np.median(np.delete(v, i)) for i in range(len(v))]
    np.testing.assert_allclose(leave_one_out_median(v), expected, rtol=1e-12)


def test_the_four_phases_follow_the_seed():
    _, action, _ = phase_of([False, True, True, False], [False, False, True, True])
    assert action.tolist() == ["supply", "connect", "platform", "supply_network"]


def test_diagnosis_against_the_other_regions_and_fixed_thresholds():
    df = diagnose_phase([10, 2, 8, 1], [1, 5, 9, 0], units=["a", "b", "c", "d"])
    assert df["action"].tolist() == ["connect", "supply_network", "platform", "supply"]
    assert df.loc[0, "knowledge_reference"] == 2.0  # median of 2, 8, 1
    assert "knowledge stock 10 is high against 2" in df.loc[0, "evidence"]
    fixed = diagnose_phase([10, 2], [1, 5], reference="thresholds", thresholds=(5, 5))
    assert fixed["action"].tolist() == ["connect", "supply"]  # 5 is not above 5


def test_bad_references():
    with pytest.raises(InnoclusterError, match="must be one of 'others'"):
        diagnose_phase([1, 2], [1, 2], reference="mean")
    with pytest.raises(InnoclusterError, match="needs 'thresholds'"):
        diagnose_phase([1, 2], [1, 2], reference="thresholds")
    with pytest.raises(InnoclusterError, match="same length"):
        diagnose_phase([1, 2], [1])
