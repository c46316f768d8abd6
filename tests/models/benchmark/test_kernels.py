"""The benchmark model's kernels against direct computations: the spillover pool against all
pairs, the spread of innovations against a numpy reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.models.benchmark.kernels import spillover_pool, spread_innovations


def brute_force_pool(x, y, k, r, lam, s):
    """All pairs, straight from the spec's formula."""
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    norm = np.linalg.norm(k, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = (k @ k.T) / np.outer(norm, norm)
    cos[~np.isfinite(cos)] = 0.0
    near = (d < r) & ~np.eye(len(x), dtype=bool)
    return s * np.where(near, np.exp(-d / lam) * cos * k.sum(1)[None, :], 0.0).sum(1)


@pytest.mark.parametrize(("n", "r"), [(1, 0.1), (2, 0.9), (300, 0.05), (800, 0.13), (500, 1.2)])
def test_spillover_pool_matches_all_pairs(n, r):
    rng = np.random.default_rng(n)
    x, y = rng.random(n), rng.random(n)
    k = rng.exponential(1.0, (n, 7))
    k[::17] = 0.0  # organisations without knowledge: cosine 0
    x[::23], y[::29] = 1.0, 0.0  # on the border of the square
    got = spillover_pool(x, y, k, r, 0.02, 0.02)
    np.testing.assert_allclose(got, brute_force_pool(x, y, k, r, 0.02, 0.02), rtol=0, atol=1e-9)


def test_spillover_pool_with_clustered_points_and_exact_duplicates():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(0.3, 0.01, 200).clip(0, 1), np.full(5, 0.7)])
    y = np.concatenate([rng.normal(0.6, 0.01, 200).clip(0, 1), np.full(5, 0.2)])
    k = rng.exponential(1.0, (205, 16))
    got = spillover_pool(x, y, k, 0.05, 0.03, 0.1)
    np.testing.assert_allclose(got, brute_force_pool(x, y, k, 0.05, 0.03, 0.1), atol=1e-9)


def test_neighbour_at_exactly_r_is_excluded():
    x, y = np.array([0.25, 0.5]), np.array([0.5, 0.5])  # exactly 0.25 apart in binary
    k = np.ones((2, 2))
    assert spillover_pool(x, y, k, 0.25, 0.02, 1.0).tolist() == [0.0, 0.0]
    near = spillover_pool(x, y, k, 0.2500001, 0.1, 1.0)
    np.testing.assert_allclose(near, [np.exp(-2.5) * 2.0] * 2)


def reference_spread(k, counts, uniforms):
    """numpy reference: unit j of organisation i takes the first field whose cumulative share
    exceeds its uniform draw."""
    k = k.copy()
    owner = np.repeat(np.arange(len(counts)), counts)
    total = k.sum(1)
    cum = np.cumsum(k, axis=1)
    field = np.where(
        total[owner] > 0,
        (cum[owner] <= (uniforms * total[owner])[:, None]).sum(1),
        np.minimum((uniforms * k.shape[1]).astype(int), k.shape[1] - 1),
    )
    added = np.zeros_like(k)
    np.add.at(added, (owner, field), 1.0)
    return k + added


def test_spread_innovations_matches_the_numpy_reference():
    rng = np.random.default_rng(5)
    k = rng.exponential(1.0, (500, 16))
    k[::7, :] = 0.0
    k[1::9, 3:] = 0.0
    counts = rng.poisson(3.0, 500)
    uniforms = rng.random(counts.sum())
    expected = reference_spread(k, counts, uniforms)
    spread_innovations(k, counts, uniforms)
    np.testing.assert_array_equal(k, expected)


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(1, 40),
    dims=st.integers(1, 20),
    seed=st.integers(0, 2**32 - 1),
    rate=st.floats(0.0, 20.0),
)
def test_innovation_units_are_whole_non_negative_and_all_placed(n, dims, seed, rate):
    rng = np.random.default_rng(seed)
    k = np.floor(rng.exponential(1.0, (n, dims)) * 3)  # integral, some zeros
    counts = rng.poisson(rate, n)
    before = k.copy()
    spread_innovations(k, counts, rng.random(counts.sum()))
    added = k - before
    assert np.all(added >= 0) and np.all(added == np.round(added))
    np.testing.assert_array_equal(added.sum(1), counts)
    has_knowledge = before.sum(1) > 0
    assert np.all(added[has_knowledge][before[has_knowledge] == 0] == 0)  # no unit where k = 0


def test_multinomial_shares_follow_knowledge():
    k = np.tile(np.array([[1.0, 3.0, 0.0, 6.0]]), (20_000, 1))
    counts = np.full(20_000, 5)
    before = k.copy()
    spread_innovations(k, counts, np.random.default_rng(1).random(100_000))
    share = (k - before).sum(0) / 100_000
    np.testing.assert_allclose(share, [0.1, 0.3, 0.0, 0.6], atol=0.005)
