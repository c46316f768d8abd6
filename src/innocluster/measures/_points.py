"""Points in a rectangular window: input checks, pairs within a distance, distance bins, edges.

Internal to :mod:`innocluster.measures`: what the distance-based measures
(:mod:`~innocluster.measures.ripley`, :mod:`~innocluster.measures.duranton_overman`,
:mod:`~innocluster.measures.marcon_puech`), their envelopes (:mod:`~innocluster.measures.envelopes`)
and the hot spots (:mod:`~innocluster.measures.hotspots`) share.

Conventions: positions ``x, y`` are arrays ``(n,)`` in km, distances ``r`` an increasing array
``(n_r,)`` of non-negative km, ``labels`` one value per point (any type numpy can compare),
``weights`` non-negative ``(n,)`` (employees, patents). A point is a *neighbour* of another at
distance ``r`` when their distance ``d_ij <= r``; a point is never its own neighbour. Only pairs
closer than the largest distance needed are ever formed (a ``scipy.spatial.cKDTree``), never all
pairs.

Interface offered to those modules:

- checks, each raising :class:`~innocluster.errors.InnoclusterError` with the caller's name
  ``fn``: :func:`choice` (an option among strings), :func:`checked_positions`,
  :func:`checked_distances`, :func:`checked_weights`, :func:`checked_window`, and
  :func:`point_types` (the bit codes :data:`REF` and :data:`NBR` of each point from its label);
- pairs: :func:`pairs_within` (unordered pairs ``i < j`` within a cutoff, with their distance)
  and :func:`distance_bins` (the first ``r_k`` at which a pair counts);
- Ripley's edge corrections for the rectangle: :func:`isotropic_weight` (capped at
  :data:`MAX_EDGE_WEIGHT`) and :func:`border_bins`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from innocluster.errors import InnoclusterError

#: Largest isotropic edge-correction weight (spatstat's ``maxweight``): caps the weight of pairs
#: whose circle lies almost entirely outside the window.
MAX_EDGE_WEIGHT = 100.0

REF = np.int8(1)  # bit of a point of the reference type (cases)
NBR = np.int8(2)  # bit of a point of the neighbour type (controls in a case-control design)


# --------------------------------------------------------------------------------------------
# Validation


def choice(fn: str, name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``; else an error naming the parameter ``name``."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(f"'{a}'" for a in allowed)
        raise InnoclusterError(
            f"The '{name}' parameter of {fn} must be one of {options}; got {value!r}"
        )
    return value


def checked_distances(fn: str, r: Any) -> np.ndarray:
    """The distances ``r`` (km) as ``float64`` ``(n_r,)``: finite, >= 0, strictly increasing."""
    try:
        arr = np.asarray(r, dtype=np.float64)
    except (TypeError, ValueError):
        raise InnoclusterError(
            f"The 'r' parameter of {fn} must be an array of distances in km; got {r!r}"
        ) from None
    arr = np.atleast_1d(arr)
    if (
        arr.ndim != 1
        or arr.size == 0
        or not np.all(np.isfinite(arr))
        or arr[0] < 0
        or np.any(np.diff(arr) <= 0)
        or arr[-1] <= 0
    ):
        raise InnoclusterError(
            f"The 'r' parameter of {fn} must be a non-empty, strictly increasing 1-D array of "
            f"finite distances >= 0 (km) with a positive largest value; got {_show(arr)}"
        )
    return arr


def _show(arr: np.ndarray) -> str:
    text = np.array2string(np.asarray(arr), threshold=6, edgeitems=2)
    return text.replace("\n", " ")


def checked_positions(fn: str, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """The positions ``x, y`` (km) as finite ``float64`` arrays ``(n,)`` of one length."""
    try:
        xa = np.asarray(x, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise InnoclusterError(f"{fn}: positions x and y must be numeric arrays (km)") from None
    if xa.ndim != 1 or ya.ndim != 1 or xa.shape != ya.shape:
        raise InnoclusterError(
            f"{fn}: positions x and y must be 1-D arrays of one length; "
            f"got shapes {xa.shape} and {ya.shape}"
        )
    if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya))):
        raise InnoclusterError(f"{fn}: positions x and y must be finite")
    return xa, ya


def checked_weights(fn: str, weights: Any, n: int) -> np.ndarray | None:
    """The weights of the ``n`` points as ``float64`` ``(n,)``, finite and >= 0 (None stays)."""
    if weights is None:
        return None
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError):
        raise InnoclusterError(f"{fn}: weights must be a numeric array") from None
    if w.shape != (n,):
        raise InnoclusterError(
            f"{fn}: weights must have shape ({n},), one per point; got {w.shape}"
        )
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InnoclusterError(f"{fn}: weights must be finite and >= 0")
    return w


def point_types(
    fn: str,
    n: int,
    labels: Any,
    reference: Any,
    neighbor: Any,
    *,
    need_labels: bool,
) -> tuple[np.ndarray, bool]:
    """Bit codes per point (1: reference, 2: neighbour) and whether the measure is univariate."""
    if labels is None:
        if need_labels:
            raise InnoclusterError(f"{fn} needs 'labels' (one per point) and a 'reference' label")
        if reference is not None or neighbor is not None:
            raise InnoclusterError(f"{fn}: 'reference' and 'neighbor' need 'labels'")
        return np.full(n, REF | NBR, dtype=np.int8), True
    lab = np.asarray(labels)
    if lab.shape != (n,):
        raise InnoclusterError(
            f"{fn}: labels must have shape ({n},), one per point; got {lab.shape}"
        )
    if reference is None:
        raise InnoclusterError(f"{fn}: 'reference' (the label of interest) is missing")
    is_ref = lab == reference
    if not np.any(is_ref):
        raise InnoclusterError(f"{fn}: no point has the reference label {reference!r}")
    univariate = neighbor is None or neighbor == reference
    code = np.where(is_ref, REF, np.int8(0)).astype(np.int8)
    if univariate:
        code[is_ref] |= NBR
    else:
        is_nbr = lab == neighbor
        if not np.any(is_nbr):
            raise InnoclusterError(f"{fn}: no point has the neighbor label {neighbor!r}")
        code[is_nbr] |= NBR
    return code, bool(univariate)


def checked_window(fn: str, window: Any, x: np.ndarray, y: np.ndarray) -> tuple[float, ...]:
    """The window ``(xmin, ymin, xmax, ymax)`` (km; default the bounding box), all points in."""
    if window is None:
        if x.size == 0:
            raise InnoclusterError(f"{fn}: no points")
        win = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    else:
        try:
            win = tuple(float(v) for v in window)
        except (TypeError, ValueError):
            raise InnoclusterError(
                f"The 'window' parameter of {fn} must be (xmin, ymin, xmax, ymax) in km; "
                f"got {window!r}"
            ) from None
        if len(win) != 4:
            raise InnoclusterError(
                f"The 'window' parameter of {fn} must be (xmin, ymin, xmax, ymax) in km; "
                f"got {window!r}"
            )
    xmin, ymin, xmax, ymax = win
    if not (np.all(np.isfinite(win)) and xmax > xmin and ymax > ymin):
        raise InnoclusterError(
            f"The 'window' of {fn} must have xmin < xmax and ymin < ymax; got {win}"
        )
    outside = int(np.count_nonzero((x < xmin) | (x > xmax) | (y < ymin) | (y > ymax)))
    if outside:
        raise InnoclusterError(f"{fn}: {outside} points lie outside the window {win}")
    return win


# --------------------------------------------------------------------------------------------
# Pairs of points (never all pairs): unordered i < j within a cutoff, with their distance


def pairs_within(
    x: np.ndarray, y: np.ndarray, cutoff: float, sort: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unordered pairs ``i < j`` with ``hypot(dx, dy) <= cutoff``: indices and distances.

    The tree is asked with a hair more than the cutoff and the distances recomputed with
    ``hypot``, so that ``d <= r`` is decided by the same arithmetic everywhere.
    """
    n = x.size
    idx = np.int32 if n < 2**31 - 1 else np.int64
    if n < 2:
        return np.empty(0, idx), np.empty(0, idx), np.empty(0)
    tree = cKDTree(np.column_stack([x, y]))
    pairs = tree.query_pairs(cutoff * (1.0 + 1e-9) + 1e-12, output_type="ndarray")
    i = pairs[:, 0].astype(idx)
    j = pairs[:, 1].astype(idx)
    del pairs
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    keep = d <= cutoff
    if not np.all(keep):
        i, j, d = i[keep], j[keep], d[keep]
    if sort:
        order = np.argsort(d)
        i, j, d = i[order], j[order], d[order]
    return i, j, d


def distance_bins(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Index of the first distance ``r_k >= d`` (the pair is a neighbour from ``r_k`` on)."""
    return np.searchsorted(r, d, side="left").astype(np.int32)


# --------------------------------------------------------------------------------------------
# Ripley's edge corrections for a rectangle


def isotropic_weight(
    x: np.ndarray, y: np.ndarray, d: np.ndarray, window: tuple[float, ...]
) -> np.ndarray:
    """``1 / (share of the circle of radius d centred on (x, y) inside the window)``, capped.

    Each edge closer than ``d`` cuts an arc of half-angle ``acos(edge distance / d)``; the arcs
    of two adjacent edges overlap by ``a + b - pi/2`` when the corner lies inside the circle,
    and opposite arcs never overlap, so the outside angle is the sum of the arcs less the
    overlaps (Ripley 1977; the rectangle case of spatstat's ``edge.Ripley``).
    """
    xmin, ymin, xmax, ymax = window
    with np.errstate(divide="ignore", invalid="ignore"):
        dd = np.where(d > 0, d, 1.0)
        half = [
            np.arccos(np.clip(e / dd, 0.0, 1.0))
            for e in (x - xmin, xmax - x, y - ymin, ymax - y)  # left, right, bottom, top
        ]
    left, right, bottom, top = half
    half_pi = 0.5 * math.pi
    outside = 2.0 * (left + right + bottom + top)
    for a, b in ((left, bottom), (left, top), (right, bottom), (right, top)):
        outside -= np.maximum(a + b - half_pi, 0.0)
    inside = 1.0 - outside / (2.0 * math.pi)
    with np.errstate(divide="ignore"):
        weight = np.where(inside > 0, 1.0 / inside, np.inf)
    weight = np.minimum(weight, MAX_EDGE_WEIGHT)
    return np.where(d > 0, weight, 1.0)


def border_bins(
    x: np.ndarray, y: np.ndarray, r: np.ndarray, window: tuple[float, ...]
) -> np.ndarray:
    """Number of distances ``r_k <= b_i``, ``b_i`` the distance of point i to the window's edge."""
    xmin, ymin, xmax, ymax = window
    b = np.minimum.reduce([x - xmin, xmax - x, y - ymin, ymax - y])
    return np.searchsorted(r, b, side="right").astype(np.int32)
