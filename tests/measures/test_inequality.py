"""Gini coefficient."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from innocluster.measures import gini, gini_rows, pareto_tail


def test_known_values():
    assert gini(np.ones(10)) == 0.0
    assert gini(np.array([0, 0, 0, 5])) == pytest.approx(0.75)  # (N - 1) / N
    assert gini(np.array([1, 3])) == pytest.approx(0.25)
    assert gini(np.array([])) == 0.0 and gini(np.zeros(4)) == 0.0


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=60))
def test_equals_the_mean_absolute_difference_definition(values):
    v = np.array(values, dtype=float)
    assume(v.sum() > 0)
    expected = np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) ** 2 * v.mean())
    assert gini(v) == pytest.approx(expected, abs=1e-12)
    assert gini(v[::-1] * 7) == pytest.approx(expected, abs=1e-12)  # order and scale free


@given(st.lists(st.lists(st.integers(0, 100), min_size=5, max_size=5), min_size=1, max_size=8))
def test_gini_rows_is_gini_of_each_row(rows):
    v = np.array(rows, dtype=float)
    assert gini_rows(v) == pytest.approx([gini(row) for row in v], abs=1e-12)


def test_the_hill_exponent_recovers_a_pareto_tail():
    rng = np.random.default_rng(4)
    for alpha in (1.0, 2.0):
        sizes = (1.0 - rng.random(200_000)) ** (-1.0 / alpha)  # P(S > s) = s^-alpha, s >= 1
        assert pareto_tail(sizes, 0.1) == pytest.approx(alpha, rel=0.03)
    assert np.isnan(pareto_tail(np.array([5.0, 4.0, 3.0]), 0.1))  # too few in the tail
    assert np.isnan(pareto_tail(np.full(100, 7.0), 0.1))  # flat
