"""The cell grid: region numbers of points, and the bucketing that neighbour search walks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.core.space import build_grid, cell_of


def test_cell_numbers_are_row_major_and_the_far_edge_is_in_the_last_cell():
    x = np.array([0.0, 0.49, 0.5, 1.0, 1.0])
    y = np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    assert cell_of(x, y, 2).tolist() == [0, 0, 1, 1, 3]
    assert cell_of(x * 100, y * 100, 2, extent=100.0).tolist() == [0, 0, 1, 1, 3]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(0, 300),
    radius=st.floats(0.005, 2.0),
    reach=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_grid_is_a_stable_sort_by_cell(n, radius, reach, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.random(n), rng.random(n)
    grid = build_grid(x, y, radius, reach=reach)
    cells = cell_of(x, y, grid.ncell)
    assert sorted(grid.order.tolist()) == list(range(n))
    np.testing.assert_array_equal(grid.order, np.argsort(cells, kind="stable"))
    counts = np.bincount(cells, minlength=grid.ncell**2)
    np.testing.assert_array_equal(np.diff(grid.cell_start), counts)
    assert grid.cell_size == pytest.approx(1.0 / grid.ncell)
    # Cells are at least radius / reach wide, so neighbours lie within reach cells.
    assert grid.cell_size * reach >= radius or grid.ncell == 1


def test_the_cap_limits_cells_to_about_two_per_sqrt_n():
    x = y = np.linspace(0, 1, 100)
    assert build_grid(x, y, 0.001).ncell == int(2 * np.sqrt(100)) + 1
    assert build_grid(x, y, 0.001, cap=False).ncell == 1000
