"""Phase diagnosis and the governance it recommends."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from innocluster.errors import InnoclusterError
from innocluster.measures.phase import diagnose_phase, leave_one_out_median, phase_at, phase_of


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


@given(
    st.lists(st.sampled_from([0.0, 4.0, 5.0, 6.0, 1e3]), min_size=1, max_size=10),
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]), min_size=1, max_size=10),
)
def test_one_cluster_against_thresholds_is_a_row_of_the_diagnosis(knowledge, alliances):
    # Values on both sides of and at the cut-offs (5, 1): a tie is low in both.
    n = min(len(knowledge), len(alliances))
    k, a = np.array(knowledge[:n]), np.array(alliances[:n])
    table = diagnose_phase(k, a, reference="thresholds", thresholds=(5.0, 1.0))
    rows = [phase_at(ki, ai, (5.0, 1.0)) for ki, ai in zip(k, a, strict=True)]
    assert rows == list(zip(table["phase"], table["action"], strict=True))


def test_bad_references():
    with pytest.raises(InnoclusterError, match="must be one of 'others'"):
        diagnose_phase([1, 2], [1, 2], reference="mean")
    with pytest.raises(InnoclusterError, match="needs 'thresholds'"):
        diagnose_phase([1, 2], [1, 2], reference="thresholds")
    with pytest.raises(InnoclusterError, match="same length"):
        diagnose_phase([1, 2], [1])
