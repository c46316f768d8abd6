"""Hot spots: dense groups of points found by density-based clustering, and what they hold.

Where the distance-based measures (:mod:`~innocluster.measures.ripley`,
:mod:`~innocluster.measures.duranton_overman`, :mod:`~innocluster.measures.marcon_puech`) say
*whether* and *at what distances* points concentrate, hot spots say *where*: DBSCAN (Ester et
al. 1996) and HDBSCAN (Campello, Moulavi and Sander 2013), as implemented by scikit-learn, group
the points that lie in dense areas and label the others noise. Each hot spot is described by its
members, centroid, extent (bounding box and radius of gyration), number of points and share of a
weight (patents, employees) carried by its points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from innocluster.errors import InnoclusterError
from innocluster.measures._points import checked_positions, checked_weights

__all__ = ["HotSpot", "HotSpots", "NOISE", "dbscan_hotspots", "hdbscan_hotspots"]

#: The label of points in no hot spot.
NOISE = -1


@dataclass(frozen=True, eq=False)
class HotSpot:
    """One hot spot.

    Attributes:
        id: its number, 0 for the hot spot with the most points (ties: the smallest first
            member), then decreasing size.
        members: indices of its points in the input arrays, increasing, ``(n_points,)``.
        centroid: ``(x, y)`` mean position of its points, km.
        bbox: ``(xmin, ymin, xmax, ymax)`` of its points, km.
        radius_of_gyration: ``sqrt(mean |p - centroid|^2)`` over its points, km.
        n_points: number of points.
        weight: total weight of its points (their number when no weight was given).
        weight_share: ``weight`` over the total weight of all points (noise included).
    """

    id: int
    members: np.ndarray
    centroid: tuple[float, float]
    bbox: tuple[float, float, float, float]
    radius_of_gyration: float
    n_points: int
    weight: float
    weight_share: float


@dataclass(frozen=True, eq=False)
class HotSpots:
    """The hot spots of a point set.

    Attributes:
        labels: hot spot id of each point, ``NOISE`` (-1) for noise, int64 ``(n,)``.
        spots: the hot spots, by ``id``.
        noise: indices of the noise points, increasing.
        method: ``'dbscan'`` or ``'hdbscan'``.
        params: the clustering parameters used.
        strength: HDBSCAN's membership strength of each point in its hot spot, in ``[0, 1]``
            (0 for noise), ``(n,)``; None for DBSCAN.
    """

    labels: np.ndarray
    spots: tuple[HotSpot, ...]
    noise: np.ndarray
    method: str
    params: dict
    strength: np.ndarray | None = None

    @property
    def n_spots(self) -> int:
        """Number of hot spots."""
        return len(self.spots)

    def table(self):
        """The hot spots as a pandas DataFrame, one row each (members left out)."""
        import pandas as pd

        cols = ["id", "n_points", "weight", "weight_share", "x", "y", "xmin", "ymin", "xmax",
                "ymax", "radius_of_gyration"]  # fmt: skip
        rows = [
            (
                s.id,
                s.n_points,
                s.weight,
                s.weight_share,
                *s.centroid,
                *s.bbox,
                s.radius_of_gyration,
            )  # fmt: skip
            for s in self.spots
        ]
        return pd.DataFrame(rows, columns=cols)


def _describe(
    x: np.ndarray,
    y: np.ndarray,
    raw: np.ndarray,
    w: np.ndarray,
    method: str,
    params: dict,
    strength: np.ndarray | None = None,
) -> HotSpots:
    """Renumber scikit-learn's labels by decreasing size and describe each hot spot."""
    total = float(w.sum())
    found = [np.flatnonzero(raw == lab) for lab in np.unique(raw[raw >= 0])]
    found.sort(key=lambda idx: (-idx.size, idx[0]))
    labels = np.full(raw.size, NOISE, dtype=np.int64)
    spots = []
    for k, idx in enumerate(found):
        labels[idx] = k
        px, py = x[idx], y[idx]
        cx, cy = float(px.mean()), float(py.mean())
        rg = float(np.sqrt(np.mean((px - cx) ** 2 + (py - cy) ** 2)))
        wk = float(w[idx].sum())
        spots.append(
            HotSpot(
                id=k,
                members=idx,
                centroid=(cx, cy),
                bbox=(float(px.min()), float(py.min()), float(px.max()), float(py.max())),
                radius_of_gyration=rg,
                n_points=int(idx.size),
                weight=wk,
                weight_share=wk / total if total > 0 else float("nan"),
            )
        )
    noise = np.flatnonzero(labels == NOISE)
    return HotSpots(labels, tuple(spots), noise, method, params, strength)


def _inputs(fn: str, x: Any, y: Any, weights: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xa, ya = checked_positions(fn, x, y)
    w = checked_weights(fn, weights, xa.size)
    return xa, ya, np.ones(xa.size) if w is None else w


def _number(value: Any) -> bool:
    """Whether ``value`` is a finite real number (not a bool)."""
    real = isinstance(value, int | float | np.integer | np.floating)
    return real and not isinstance(value, bool) and bool(np.isfinite(value))


def _positive_int(fn: str, name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InnoclusterError(
            f"The '{name}' parameter of {fn} must be an integer >= {minimum}; got {value!r}"
        )
    return int(value)


def dbscan_hotspots(
    x: np.ndarray,
    y: np.ndarray,
    eps: float,
    min_samples: int = 5,
    *,
    weights: np.ndarray | None = None,
) -> HotSpots:
    """Hot spots by DBSCAN: groups of points each within ``eps`` of a dense (core) point.

    A point is a core point when at least ``min_samples`` points (itself included) lie within
    ``eps`` km; a hot spot is a maximal set of core points linked by steps of at most ``eps``,
    with the non-core points within ``eps`` of them (a border point near two hot spots joins the
    first one found, in the order of the input). Other points are noise. Positions are
    Euclidean, in km; the neighbour search is a k-d tree (scikit-learn's ``DBSCAN``).

    Args:
        x: abscissae of the points, km, ``(n,)``.
        y: ordinates of the points, km, ``(n,)``.
        eps: neighbourhood radius, km (> 0).
        min_samples: points within ``eps`` that make a core point (itself included).
        weights: ``(n,)`` non-negative weight of each point (patents, employees) for the
            hot spots' ``weight`` and ``weight_share``; it does not change the clustering.

    Returns:
        :class:`HotSpots`.

    References:
        Ester, M., Kriegel, H.-P., Sander, J. and Xu, X. (1996) A density-based algorithm for
        discovering clusters in large spatial databases with noise. *Proceedings of the Second
        International Conference on Knowledge Discovery and Data Mining (KDD-96)*, 226-231.
        Schubert, E., Sander, J., Ester, M., Kriegel, H.-P. and Xu, X. (2017) DBSCAN revisited,
        revisited. *ACM Transactions on Database Systems* 42(3), 19. doi:10.1145/3068335.
    """
    fn = "dbscan_hotspots"
    xa, ya, w = _inputs(fn, x, y, weights)
    if not _number(eps) or eps <= 0:
        raise InnoclusterError(
            f"The 'eps' parameter of {fn} must be a positive distance (km); got {eps!r}"
        )
    min_samples = _positive_int(fn, "min_samples", min_samples)
    params = {"eps": float(eps), "min_samples": min_samples}
    if xa.size == 0:
        return _describe(xa, ya, np.empty(0, np.int64), w, "dbscan", params)
    from sklearn.cluster import DBSCAN

    model = DBSCAN(eps=float(eps), min_samples=min_samples, algorithm="kd_tree")
    raw = model.fit_predict(np.column_stack([xa, ya]))
    return _describe(xa, ya, raw, w, "dbscan", params)


def hdbscan_hotspots(
    x: np.ndarray,
    y: np.ndarray,
    min_cluster_size: int = 5,
    min_samples: int | None = None,
    *,
    cluster_selection_epsilon: float = 0.0,
    min_strength: float = 0.0,
    weights: np.ndarray | None = None,
) -> HotSpots:
    """Hot spots by HDBSCAN: the clusters that persist over all density levels.

    HDBSCAN builds the hierarchy of DBSCAN clusterings over all ``eps`` (with the mutual
    reachability distance, the core distance being the distance to the ``min_samples``-th
    neighbour) and keeps the most stable clusters of at least ``min_cluster_size`` points, so
    hot spots of different densities are found without choosing a radius. Other points are
    noise. scikit-learn's ``HDBSCAN`` (excess of mass selection).

    A selected cluster keeps every point that was in it when it was born, so sparse points
    around a dense core join it with a weak membership strength (``HotSpots.strength``, the
    density level at which the point leaves the cluster relative to the cluster's densest):
    ``min_strength`` labels the points below it noise, keeping the hot spots' cores.

    Args:
        x: abscissae of the points, km, ``(n,)``.
        y: ordinates of the points, km, ``(n,)``.
        min_cluster_size: the fewest points a hot spot may have (>= 2).
        min_samples: neighbours that make a core point; default ``min_cluster_size``.
        cluster_selection_epsilon: distance (km) below which clusters are merged (0: none).
        min_strength: points whose membership strength is below it become noise (0: none).
        weights: ``(n,)`` non-negative weight of each point for ``weight`` and
            ``weight_share``; it does not change the clustering.

    Returns:
        :class:`HotSpots`.

    References:
        Campello, R. J. G. B., Moulavi, D. and Sander, J. (2013) Density-based clustering based
        on hierarchical density estimates. *Advances in Knowledge Discovery and Data Mining
        (PAKDD 2013)*, LNCS 7819, 160-172. doi:10.1007/978-3-642-37456-2_14.
        McInnes, L., Healy, J. and Astels, S. (2017) hdbscan: Hierarchical density based
        clustering. *Journal of Open Source Software* 2(11), 205. doi:10.21105/joss.00205.
    """
    fn = "hdbscan_hotspots"
    xa, ya, w = _inputs(fn, x, y, weights)
    min_cluster_size = _positive_int(fn, "min_cluster_size", min_cluster_size, 2)
    if min_samples is not None:
        min_samples = _positive_int(fn, "min_samples", min_samples)
    eps = cluster_selection_epsilon
    if not _number(eps) or eps < 0:
        raise InnoclusterError(
            f"The 'cluster_selection_epsilon' parameter of {fn} must be a distance >= 0 (km); "
            f"got {eps!r}"
        )
    if not _number(min_strength) or not 0 <= min_strength <= 1:
        raise InnoclusterError(
            f"The 'min_strength' parameter of {fn} must be in [0, 1]; got {min_strength!r}"
        )
    params = {
        "min_cluster_size": min_cluster_size,
        "min_samples": min_samples,
        "cluster_selection_epsilon": float(eps),
        "min_strength": float(min_strength),
    }
    if xa.size < 2:
        none = np.full(xa.size, NOISE, np.int64)
        return _describe(xa, ya, none, w, "hdbscan", params, np.zeros(xa.size))
    from sklearn.cluster import HDBSCAN

    model = HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        cluster_selection_epsilon=float(eps),
        copy=True,
    )
    raw = model.fit_predict(np.column_stack([xa, ya]))
    strength = np.asarray(model.probabilities_, dtype=np.float64)
    raw = np.where(strength < min_strength, NOISE, raw)
    strength = np.where(raw == NOISE, 0.0, strength)
    return _describe(xa, ya, raw, w, "hdbscan", params, strength)
