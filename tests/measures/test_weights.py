"""Spatial weights: grid contiguity by hand; distance bands and kNN against brute force."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.core.space import cell_of
from innocluster.errors import InnoclusterError
from innocluster.measures.weights import (
    IslandWarning,
    distance_band,
    grid_centroids,
    grid_contiguity,
    islands,
    knn,
    transform_weights,
)

# The 3 x 3 grid, regions numbered row * 3 + col:
#   6 7 8
#   3 4 5
#   0 1 2
ROOK_3X3 = {
    0: {1, 3},
    1: {0, 2, 4},
    2: {1, 5},
    3: {0, 4, 6},
    4: {1, 3, 5, 7},
    5: {2, 4, 8},
    6: {3, 7},
    7: {4, 6, 8},
    8: {5, 7},
}
QUEEN_3X3 = {
    0: {1, 3, 4},
    1: {0, 2, 3, 4, 5},
    2: {1, 4, 5},
    3: {0, 1, 4, 6, 7},
    4: {0, 1, 2, 3, 5, 6, 7, 8},
    5: {1, 2, 4, 7, 8},
    6: {3, 4, 7},
    7: {3, 4, 5, 6, 8},
    8: {4, 5, 7},
}


def neighbours(w: sp.csr_matrix) -> dict[int, set[int]]:
    return {i: set(w.indices[w.indptr[i] : w.indptr[i + 1]].tolist()) for i in range(w.shape[0])}


def brute_band(pts: np.ndarray, threshold: float) -> np.ndarray:
    d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2))
    adj = d <= threshold
    np.fill_diagonal(adj, False)
    return adj


@pytest.mark.parametrize(("criterion", "expected"), [("rook", ROOK_3X3), ("queen", QUEEN_3X3)])
def test_grid_contiguity_3x3_by_hand(criterion, expected):
    w = grid_contiguity(3, criterion)
    assert isinstance(w, sp.csr_matrix) and w.shape == (9, 9) and w.dtype == np.float64
    assert neighbours(w) == expected
    assert np.all(w.data == 1.0) and np.all(w.diagonal() == 0)
    assert (w != w.T).nnz == 0 and w.has_sorted_indices


def test_grid_contiguity_counts_on_a_larger_grid():
    side = 7
    rook, queen = grid_contiguity(side), grid_contiguity(side, "queen")
    # Edges between horizontally or vertically adjacent cells, and diagonals, both directions.
    assert rook.nnz == 2 * 2 * side * (side - 1)
    assert queen.nnz == rook.nnz + 2 * 2 * (side - 1) ** 2
    assert np.array_equal(np.bincount(np.diff(queen.indptr)), [0, 0, 0, 4, 0, 20, 0, 0, 25])


def test_grid_contiguity_agrees_with_libpysal_lat2w():
    libpysal = pytest.importorskip("libpysal")
    for rook in (True, False):
        theirs = libpysal.weights.lat2W(5, 5, rook=rook)
        ours = grid_contiguity(5, "rook" if rook else "queen")
        expected = {i: set(theirs.neighbors[i]) for i in range(25)}
        assert neighbours(ours) == expected


def test_grid_centroids_fall_in_their_own_region():
    side = 6
    c = grid_centroids(side, extent=2.0)
    assert c.shape == (36, 2)
    assert np.array_equal(cell_of(c[:, 0], c[:, 1], side, 2.0), np.arange(36))


def test_distance_band_on_the_grid_reproduces_rook_and_queen():
    side, h = 6, 1.0 / 6
    c = grid_centroids(side)
    assert (distance_band(c, 1.01 * h) != grid_contiguity(side)).nnz == 0
    assert (distance_band(c, 1.01 * h * np.sqrt(2)) != grid_contiguity(side, "queen")).nnz == 0


@pytest.mark.parametrize("threshold", [0.05, 0.12, 0.3, 2.0])
def test_distance_band_equals_all_pairs(threshold):
    pts = np.random.default_rng(3).random((80, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IslandWarning)
        w = distance_band(pts, threshold)
    assert np.array_equal(w.toarray() > 0, brute_band(pts, threshold))
    assert np.all(w.data == 1.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=2, max_size=30),
    st.integers(1, 12),
)
def test_distance_band_equals_all_pairs_with_ties(points, threshold):
    # Integer coordinates: many distances equal the threshold exactly, and duplicates occur.
    pts = np.array(points, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IslandWarning)
        w = distance_band(pts, float(threshold))
    assert np.array_equal(w.toarray() > 0, brute_band(pts, threshold))


def test_distance_band_inverse_distance_weights():
    pts = np.random.default_rng(4).random((50, 2))
    w = distance_band(pts, 0.4, binary=False, alpha=-2.0).toarray()
    d = np.sqrt(((pts[:, None] - pts[None, :]) ** 2).sum(axis=2))
    adj = brute_band(pts, 0.4)
    expected = np.where(adj, np.where(adj, d, 1.0) ** -2.0, 0.0)
    np.testing.assert_allclose(w, expected, rtol=1e-12)


def test_distance_band_reports_islands():
    pts = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [0.0, 0.1]])
    with pytest.warns(IslandWarning, match=r"1 of 4 regions have no neighbour \(regions 2\)"):
        w = distance_band(pts, 0.5)
    assert w.shape == (4, 4) and w[2].nnz == 0
    assert islands(w).tolist() == [2]
    with pytest.warns(IslandWarning):
        assert islands(grid_contiguity(1)).tolist() == [0]


def test_knn_equals_brute_force():
    pts = np.random.default_rng(5).random((120, 2))
    for k in (1, 4, 9):
        w = knn(pts, k)
        d = np.sqrt(((pts[:, None] - pts[None, :]) ** 2).sum(axis=2))
        np.fill_diagonal(d, np.inf)
        nearest = np.argsort(d, axis=1)[:, :k]
        expected = np.zeros((120, 120), dtype=bool)
        np.put_along_axis(expected, nearest, True, axis=1)
        assert np.array_equal(w.toarray() > 0, expected)
        assert np.all(np.diff(w.indptr) == k) and np.all(w.diagonal() == 0)


def test_knn_with_duplicate_points_never_picks_itself():
    pts = np.array([[0.0, 0.0]] * 4 + [[1.0, 1.0]])
    w = knn(pts, 2)
    assert np.all(w.diagonal() == 0) and np.all(np.diff(w.indptr) == 2)


def test_knn_agrees_with_libpysal():
    libpysal = pytest.importorskip("libpysal")
    pts = np.random.default_rng(6).random((60, 2))
    theirs = libpysal.weights.KNN(pts, k=5)
    ours = knn(pts, 5)
    assert neighbours(ours) == {i: set(theirs.neighbors[i]) for i in range(60)}


def test_transform_row_standardises_and_keeps_islands():
    pts = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [0.0, 0.1], [0.05, 0.05]])
    with pytest.warns(IslandWarning):
        w = distance_band(pts, 0.5, binary=False)
    before = w.copy()
    r = transform_weights(w, "r")
    sums = np.asarray(r.sum(axis=1)).ravel()
    np.testing.assert_allclose(sums, [1, 1, 0, 1, 1])
    assert (w != before).nnz == 0  # input untouched
    b = transform_weights(w, "b")
    assert np.all(b.data == 1.0) and (b != (w > 0).astype(float)).nnz == 0
    assert (transform_weights(w, "o") != w).nnz == 0
    np.testing.assert_allclose(transform_weights(w.toarray(), "r").toarray(), r.toarray())


def test_errors_name_the_parameter():
    with pytest.raises(
        InnoclusterError,
        match=r"^The 'criterion' parameter of grid_contiguity must be one of 'rook', 'queen'; "
        r"got 'bishop'$",
    ):
        grid_contiguity(3, "bishop")
    with pytest.raises(InnoclusterError, match="'how' parameter of transform_weights"):
        transform_weights(grid_contiguity(2), "x")
    with pytest.raises(InnoclusterError, match="'side' parameter"):
        grid_contiguity(0)
    with pytest.raises(InnoclusterError, match="'k' parameter of knn must be below"):
        knn(np.zeros((3, 2)), 3)
    with pytest.raises(InnoclusterError, match="'threshold'"):
        distance_band(np.zeros((3, 2)), -1.0)
    with pytest.raises(InnoclusterError, match="'centroids'"):
        distance_band(np.zeros(3), 1.0)
    with pytest.raises(InnoclusterError, match="non-negative"):
        transform_weights(-np.eye(3), "r")
    with pytest.raises(InnoclusterError, match="square"):
        islands(np.zeros((2, 3)))
    with pytest.raises(ValueError):  # InnoclusterError is a ValueError
        transform_weights(np.ones((2, 2)), "rr")
