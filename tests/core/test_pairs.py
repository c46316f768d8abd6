"""The phased cell-pair walk visits every pair within ``r`` once, with its distance decay, in an
order that does not depend on the number of threads."""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.core.pairs import PHASES, REACH, blocks_in_phase, walk_row
from innocluster.core.space import build_grid


class _Tally(NamedTuple):
    # Per point (cell order): pairs seen, the sum of their weights, and a sum that depends on
    # the order of the additions (to show the order is fixed).
    count: np.ndarray
    weight: np.ndarray
    ordered: np.ndarray


@numba.njit
def _tally(p, q, w, data):
    data.count[p] += 1
    data.count[q] += 1
    data.weight[p] += w
    data.weight[q] += w
    data.ordered[p] = data.ordered[p] * 0.5 + w * (q + 1)
    data.ordered[q] = data.ordered[q] * 0.5 + w * (p + 1)


_Tally.visit = _tally


@numba.njit(parallel=True)
def _walk(xs, ys, cell_start, ncell, r, lam, data):
    for phase in range(PHASES):
        for block in numba.prange(blocks_in_phase(ncell, phase)):
            walk_row(xs, ys, cell_start, ncell, PHASES * block + phase, r, lam, data)


def walk(x, y, r, lam, extent=1.0):
    """Pairs counted, weights summed and the order-sensitive sum, per point in input order."""
    grid = build_grid(x, y, r, extent=extent, reach=REACH)
    n = len(x)
    data = _Tally(np.zeros(n, np.int64), np.zeros(n), np.zeros(n))
    xs, ys = x[grid.order], y[grid.order]
    _walk(xs, ys, grid.cell_start, grid.ncell, r, lam, data)
    out = [np.empty_like(a) for a in data]
    for a, b in zip(out, data, strict=True):
        a[grid.order] = b
    return out


def brute_force(x, y, r, lam):
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    near = (d < r) & ~np.eye(len(x), dtype=bool)
    return near.sum(1), np.where(near, np.exp(-d / lam), 0.0).sum(1)


@pytest.mark.parametrize(("n", "r"), [(1, 0.1), (2, 1.5), (50, 0.3), (700, 0.05), (400, 0.011)])
def test_every_pair_within_r_is_visited_once_with_its_decay(n, r):
    rng = np.random.default_rng(n)
    x, y = rng.random(n), rng.random(n)
    x[::13], y[::11] = 1.0, 0.0  # on the border of the square
    count, weight, _ = walk(x, y, r, 0.04)
    want_count, want_weight = brute_force(x, y, r, 0.04)
    np.testing.assert_array_equal(count, want_count)
    np.testing.assert_allclose(weight, want_weight, rtol=1e-12, atol=1e-300)


def test_clustered_points_and_duplicates_fill_dense_cells():
    # More points in a cell than a tile holds: the tiles must cover every candidate.
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(0.5, 0.003, 900).clip(0, 1), np.full(7, 0.2)])
    y = np.concatenate([rng.normal(0.5, 0.003, 900).clip(0, 1), np.full(7, 0.9)])
    count, weight, _ = walk(x, y, 0.02, 0.01)
    want_count, want_weight = brute_force(x, y, 0.02, 0.01)
    np.testing.assert_array_equal(count, want_count)
    np.testing.assert_allclose(weight, want_weight, rtol=1e-12)


def test_the_cut_off_is_strict():
    x, y = np.array([0.25, 0.5]), np.array([0.5, 0.5])  # exactly 0.25 apart in binary
    assert walk(x, y, 0.25, 1.0)[0].tolist() == [0, 0]
    assert walk(x, y, 0.2500001, 1.0)[0].tolist() == [1, 1]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(0, 120), r=st.floats(0.01, 0.6), seed=st.integers(0, 2**32 - 1))
def test_pair_counts_match_all_pairs(n, r, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.random(n) * 10.0, rng.random(n) * 10.0
    count, _, _ = walk(x, y, r * 10.0, 1.0, extent=10.0)
    np.testing.assert_array_equal(count, brute_force(x, y, r * 10.0, 1.0)[0])


def test_sums_do_not_depend_on_the_number_of_threads():
    rng = np.random.default_rng(9)
    x, y = rng.random(3000), rng.random(3000)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = walk(x, y, 0.03, 0.01)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = walk(x, y, 0.03, 0.01)
    finally:
        numba.set_num_threads(before)
    for a, b in zip(one, many, strict=True):
        np.testing.assert_array_equal(a, b)  # bit for bit, the order-sensitive sum too


def test_walk_row_runs_only_in_compiled_code():
    with pytest.raises(TypeError, match="compiled"):
        walk_row(None, None, None, 1, 0, 1.0, 1.0, None)
