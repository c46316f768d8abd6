"""The cluster model's kernels against all-pairs references: the knowledge-spillover kernel
``gap_to_neighbours`` and its properties, and the neighbour query ``near_kind``."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from innocluster.models.cluster.kernels import gap_to_neighbours, pool_of_neighbours
from innocluster.models.cluster.state import INTERMEDIARY
from tests.models.cluster.helpers import fresh_state, scenario

EXTENT = 20.0  # km


def brute_force_gain(x, y, explicit, profile, r, lam):
    """All pairs, straight from the formula, with numpy broadcasting."""
    n = len(x)
    dist = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    norm = np.linalg.norm(profile, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        prox = (profile @ profile.T) / np.outer(norm, norm)
    prox[~np.isfinite(prox)] = 0.0
    near = (dist < r) & ~np.eye(n, dtype=bool)
    weight = np.where(near, np.exp(-dist / lam) * prox, 0.0)  # (i, j)
    gap = np.maximum(explicit[None, :, :] - explicit[:, None, :], 0.0)  # (i, j, d): j over i
    return np.einsum("ij,ijd->id", weight, gap), weight.sum(axis=1)


def uniform_points(rng, n):
    x, y = rng.random(n) * EXTENT, rng.random(n) * EXTENT
    x[::23], y[::29] = EXTENT, 0.0  # on the border of the square
    y[5::31] = EXTENT
    return x, y


def clustered_points(rng, n):
    centres = np.array([[3.0, 4.0], [12.0, 15.0], [19.5, 19.5]])
    which = rng.integers(0, len(centres), n)
    xy = (centres[which] + rng.normal(0.0, 0.8, (n, 2))).clip(0.0, EXTENT)
    x, y = xy[:, 0].copy(), xy[:, 1].copy()
    x[: n // 10], y[: n // 10] = 12.0, 15.0  # exact duplicate positions
    x[n // 10 :: 17] = EXTENT  # on the border x = extent
    return x, y


def knowledge(rng, n, dims=5):
    explicit = rng.exponential(1.0, (n, dims))
    explicit[rng.random((n, dims)) < 0.2] = 0.0  # fields an organisation knows nothing of
    profile = explicit + rng.exponential(1.0, (n, dims))  # tacit + explicit
    profile[::13] = 0.0  # no profile: proximity 0
    return explicit, profile


@pytest.mark.parametrize("layout", [uniform_points, clustered_points])
@pytest.mark.parametrize("n", [1, 2, 50, 400])
@pytest.mark.parametrize("r", [0.7, 2.5, 30.0])
def test_matches_all_pairs(layout, n, r):
    rng = np.random.default_rng(n + int(10 * r))
    x, y = layout(rng, n)
    explicit, profile = knowledge(rng, n)
    got, got_weight = gap_to_neighbours(x, y, explicit, profile, r, 1.5, EXTENT)
    want, want_weight = brute_force_gain(x, y, explicit, profile, r, 1.5)
    assert got.shape == (n, 5) and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(got_weight, want_weight, rtol=1e-12, atol=1e-9)
    if n == 400 and r < EXTENT:
        assert (want > 0).any() and (want == 0).any()  # the test exercises both cases


def test_no_organisations():
    out = gap_to_neighbours(np.zeros(0), np.zeros(0), np.zeros((0, 4)), np.zeros((0, 4)), 1, 1, 10)[
        0
    ]
    assert out.shape == (0, 4) and out.dtype == np.float64


@pytest.mark.parametrize("axis", [0, 1])
def test_distance_cut_off_is_strict(axis):
    r, lam = 2.0, 0.7
    explicit = np.array([[1.0, 4.0], [3.0, 1.0]])
    profile = np.array([[1.0, 2.0], [2.0, 1.0]])
    along = np.array([1.0, 3.0])  # exactly r apart
    across = np.array([5.0, 5.0])
    x, y = (along, across) if axis == 0 else (across, along)
    assert not gap_to_neighbours(x, y, explicit, profile, r, lam, 10.0)[0].any()

    along = np.array([1.0, 3.0 - 1e-9])  # slightly closer
    x, y = (along, across) if axis == 0 else (across, along)
    got = gap_to_neighbours(x, y, explicit, profile, r, lam, 10.0)[0]
    w = np.exp(-(2.0 - 1e-9) / lam) * 4.0 / 5.0  # cosine of (1, 2) and (2, 1) is 4 / 5
    np.testing.assert_allclose(got, [[2.0 * w, 0.0], [0.0, 3.0 * w]], rtol=1e-12)


def test_zero_profiles_and_the_best_organisation():
    rng = np.random.default_rng(7)
    n = 300
    x, y = clustered_points(rng, n)
    explicit, profile = knowledge(rng, n)
    silent = np.arange(n) % 13 == 0  # knowledge() gives these a zero profile
    explicit[silent] *= 10.0  # much to give, yet nothing flows from them
    best = 1
    explicit[best] = explicit.max(axis=0) + 1.0  # the most in every field
    got = gap_to_neighbours(x, y, explicit, profile, 3.0, 1.0, EXTENT)[0]
    assert not got[silent].any()  # nothing flows to them
    assert not got[best].any()
    assert got[~silent].any()
    keep = ~silent  # nothing flows from them either: removing them changes nobody's gain
    alone = gap_to_neighbours(x[keep], y[keep], explicit[keep], profile[keep], 3.0, 1.0, EXTENT)[0]
    np.testing.assert_allclose(got[keep], alone, rtol=1e-12, atol=1e-12)


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two numba threads")
def test_results_do_not_depend_on_the_number_of_threads():
    rng = np.random.default_rng(11)
    n = 5000
    x, y = clustered_points(rng, n)
    explicit, profile = knowledge(rng, n, dims=8)
    before = numba.get_num_threads()
    runs = []
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            runs.append(gap_to_neighbours(x, y, explicit, profile, 1.5, 0.8, EXTENT)[0])
    finally:
        numba.set_num_threads(before)
    assert runs[0].any()
    assert np.array_equal(runs[0], runs[1])  # bit for bit


def test_positions_outside_the_square_are_refused():
    k = np.ones((2, 3))
    with pytest.raises(ValueError, match="positions"):
        gap_to_neighbours(np.array([0.0, -1.0]), np.zeros(2), k, k, 1.0, 1.0, 10.0)[0]
    with pytest.raises(ValueError, match="positions"):
        gap_to_neighbours(np.array([0.0, np.nan]), np.zeros(2), k, k, 1.0, 1.0, 10.0)[0]


_values = st.floats(0.0, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def _inputs(draw):
    n = draw(st.integers(0, 40))
    dims = draw(st.integers(1, 4))
    extent = draw(st.sampled_from([1.0, 10.0, 100.0]))
    coord = st.floats(0.0, extent, allow_nan=False)
    x = draw(arrays(np.float64, n, elements=coord))
    y = draw(arrays(np.float64, n, elements=coord))
    explicit = draw(arrays(np.float64, (n, dims), elements=_values))
    profile = draw(arrays(np.float64, (n, dims), elements=_values))
    # A radius far below extent / 100 would only make the grid (and the test) slow.
    r = extent * draw(st.floats(0.01, 2.0))
    lam = extent * draw(st.floats(1e-3, 10.0))
    return x, y, explicit, profile, r, lam, extent


@settings(max_examples=60)
@given(_inputs())
def test_gains_are_finite_and_non_negative(inputs):
    x, y, explicit, profile, r, lam, extent = inputs
    got = gap_to_neighbours(x, y, explicit, profile, r, lam, extent)[0]
    assert got.shape == explicit.shape
    assert np.isfinite(got).all() and (got >= 0.0).all()


@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), r=st.floats(0.5, 40.0))
def test_near_kind_matches_all_pairs(seed, r):
    from innocluster.models.cluster.kernels import near_kind

    sc = scenario(n_firms=150, n_intermediaries=12)
    state = fresh_state(sc, seed % 1000)
    orgs = state.orgs
    got = near_kind(orgs, INTERMEDIARY, r, sc.space.L)
    brokers = np.flatnonzero(orgs["kind"] == INTERMEDIARY)
    dist = np.hypot(
        orgs["x"][:, None] - orgs["x"][brokers], orgs["y"][:, None] - orgs["y"][brokers]
    )
    dist[brokers, np.arange(len(brokers))] = np.inf  # itself does not count
    np.testing.assert_array_equal(got, (dist < r).any(axis=1))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 120), r=st.floats(0.5, 30.0))
def test_the_pool_is_the_weighted_knowledge_within_reach(seed, n, r):
    rng = np.random.default_rng(seed)
    x, y = rng.random(n) * 40, rng.random(n) * 40
    profile = rng.random((n, 5)) * (rng.random((n, 1)) < 0.9)  # some zero profiles
    values = rng.random(n) * 10
    pool = pool_of_neighbours(x, y, values, profile, r, 2.5, 40.0)
    norm = np.linalg.norm(profile, axis=1, keepdims=True)
    unit = np.divide(profile, norm, out=np.zeros_like(profile), where=norm > 0)
    dist = np.hypot(x[:, None] - x[None], y[:, None] - y[None])
    weight = np.exp(-dist / 2.5) * (unit @ unit.T) * (dist < r)
    np.fill_diagonal(weight, 0.0)
    np.testing.assert_allclose(pool, weight @ values, rtol=1e-10, atol=1e-10)
