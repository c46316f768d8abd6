"""Hot spots (DBSCAN, HDBSCAN): planted clusters are found with their members; noise is noise."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.errors import InnoclusterError
from innocluster.measures.hotspots import NOISE, dbscan_hotspots, hdbscan_hotspots

CENTRES = np.array([[20.0, 20.0], [60.0, 70.0], [80.0, 20.0]])
SIZES = (80, 50, 30)


def planted(seed=0, n_noise=100):
    """Three tight groups (sd 0.5 km) in a 100 km square and uniform noise at least 10 km away.

    The points are shuffled; returns positions, the planted group of each point (-1: noise)
    and a weight (patents) per point.
    """
    rng = np.random.default_rng(seed)
    xs, ys, group = [], [], []
    for k, ((cx, cy), size) in enumerate(zip(CENTRES, SIZES, strict=True)):
        xs.append(rng.normal(cx, 0.5, size))
        ys.append(rng.normal(cy, 0.5, size))
        group.append(np.full(size, k))
    nx, ny = rng.uniform(0, 100, 10 * n_noise), rng.uniform(0, 100, 10 * n_noise)
    far = np.hypot(nx[:, None] - CENTRES[:, 0], ny[:, None] - CENTRES[:, 1]).min(axis=1) > 10
    xs.append(nx[far][:n_noise])
    ys.append(ny[far][:n_noise])
    group.append(np.full(n_noise, -1))
    x, y, group = np.concatenate(xs), np.concatenate(ys), np.concatenate(group)
    order = rng.permutation(x.size)
    weights = rng.integers(0, 10, x.size).astype(float)
    return x[order], y[order], group[order], weights[order]


def check_found(spots, x, y, group, weights):
    assert spots.n_spots == 3
    for k, size in enumerate(SIZES):  # ids by decreasing size: id k is planted group k
        spot = spots.spots[k]
        members = np.flatnonzero(group == k)
        np.testing.assert_array_equal(spot.members, members)
        assert spot.id == k and spot.n_points == size
        np.testing.assert_array_equal(spots.labels[members], k)
        assert spot.centroid == pytest.approx((x[members].mean(), y[members].mean()))
        assert np.hypot(*(np.array(spot.centroid) - CENTRES[k])) < 0.5
        assert spot.bbox == pytest.approx(
            (x[members].min(), y[members].min(), x[members].max(), y[members].max())
        )
        dx, dy = x[members] - spot.centroid[0], y[members] - spot.centroid[1]
        assert spot.radius_of_gyration == pytest.approx(np.sqrt(np.mean(dx**2 + dy**2)))
        assert 0.5 < spot.radius_of_gyration < 1.0  # sqrt(2) * 0.5 km for a normal group
        assert spot.weight == pytest.approx(weights[members].sum())
        assert spot.weight_share == pytest.approx(weights[members].sum() / weights.sum())
    np.testing.assert_array_equal(spots.noise, np.flatnonzero(group == -1))
    np.testing.assert_array_equal(spots.labels[group == -1], NOISE)


def test_dbscan_finds_the_planted_hot_spots():
    x, y, group, weights = planted()
    spots = dbscan_hotspots(x, y, eps=1.5, min_samples=10, weights=weights)
    check_found(spots, x, y, group, weights)
    assert spots.method == "dbscan" and spots.params == {"eps": 1.5, "min_samples": 10}
    assert spots.strength is None
    table = spots.table()
    assert list(table["n_points"]) == list(SIZES)
    assert table["weight_share"].sum() == pytest.approx(weights[group >= 0].sum() / weights.sum())


def test_hdbscan_finds_the_planted_hot_spots():
    x, y, group, weights = planted(seed=1)
    spots = hdbscan_hotspots(x, y, min_cluster_size=20, min_samples=10, weights=weights)
    # Sparse points around a dense core join it, weakly: min_strength keeps the cores.
    assert spots.n_spots == 3
    for k in range(3):
        assert set(np.flatnonzero(group == k)) <= set(spots.spots[k].members)
    assert spots.strength[group >= 0].min() > 0.1
    cores = hdbscan_hotspots(x, y, 20, 10, min_strength=0.1, weights=weights)
    check_found(cores, x, y, group, weights)
    assert np.all(cores.strength[cores.labels == NOISE] == 0.0)
    assert cores.params["min_strength"] == 0.1


def test_uniform_points_and_empty_input_have_no_hot_spot():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 100, 200), rng.uniform(0, 100, 200)
    spots = dbscan_hotspots(x, y, eps=1.0, min_samples=5)
    assert spots.n_spots == 0 and spots.noise.size == 200
    assert np.all(spots.labels == NOISE)
    empty = dbscan_hotspots(np.empty(0), np.empty(0), eps=1.0)
    assert empty.n_spots == 0 and empty.labels.size == 0 and empty.table().empty
    one = hdbscan_hotspots(np.array([1.0]), np.array([2.0]))
    assert one.n_spots == 0 and list(one.labels) == [NOISE]


def test_bad_parameters_raise_one_line_errors():
    x, y, _, _ = planted()
    cases = [
        (lambda: dbscan_hotspots(x, y, eps=0.0), "The 'eps' parameter of dbscan_hotspots"),
        (lambda: dbscan_hotspots(x, y, eps=1.0, min_samples=0), "'min_samples' parameter"),
        (lambda: hdbscan_hotspots(x, y, min_cluster_size=1), "'min_cluster_size' parameter"),
        (lambda: hdbscan_hotspots(x, y, min_strength=2.0), "'min_strength' parameter"),
        (lambda: dbscan_hotspots(x, y[:-1], eps=1.0), "one length"),
        (lambda: dbscan_hotspots(x, y, eps=1.0, weights=np.ones(3)), "weights must have shape"),
    ]
    for call, message in cases:
        with pytest.raises(InnoclusterError) as err:
            call()
        assert message in str(err.value) and "\n" not in str(err.value)
