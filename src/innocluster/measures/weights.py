"""Spatial weights between regions, as ``scipy.sparse`` CSR matrices.

The spatial statistics (:mod:`~innocluster.measures.moran_i`,
:mod:`~innocluster.measures.geary_c`, :mod:`~innocluster.measures.getis_ord_g`) need to know
which regions neighbour which, and how much each neighbour counts. This module builds that
matrix ``W`` (``W[i, j] > 0`` when region ``j`` is a neighbour of region ``i``; the diagonal is
zero) in the three usual ways:

- contiguity on the ``R x R`` grid of regions that the simulator uses (regions numbered
  ``row * R + col``, as :func:`innocluster.core.space.cell_of` numbers them): rook (shared edge) or
  queen (shared edge or corner), :func:`grid_contiguity`;
- distance bands between region centroids, :func:`distance_band`, found with
  :class:`scipy.spatial.cKDTree` (never all pairs);
- the ``k`` nearest neighbours of each centroid, :func:`knn`.

:func:`transform_weights` row-standardises (``'r'``, PySAL's ``transform='r'``) or binarises
(``'b'``) a matrix. A region with no neighbour (an *island*) is never dropped: it keeps its
empty row, the builders warn with :class:`IslandWarning` naming it, and :func:`islands` lists
such regions.

Every matrix is ``float64`` CSR in canonical form (sorted column indices, no explicit zeros), so
two builds of the same weights are equal entry for entry.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from innocluster.errors import InnoclusterError

__all__ = [
    "IslandWarning",
    "distance_band",
    "grid_centroids",
    "grid_contiguity",
    "islands",
    "knn",
    "transform_weights",
]

TRANSFORMS = ("r", "b", "o")
CRITERIA = ("rook", "queen")


class IslandWarning(UserWarning):
    """Some regions have no neighbour; they are kept, with an empty row of weights."""


def grid_contiguity(side: int, criterion: str = "rook") -> sp.csr_matrix:
    """Binary contiguity weights of the ``side x side`` grid of regions.

    Region ``row * side + col`` neighbours the regions that share an edge with it (``'rook'``:
    up to 4) or an edge or a corner (``'queen'``: up to 8). The grid does not wrap around.
    ``W`` is symmetric with ones for neighbours and a zero diagonal.

    Args:
        side: regions per side ``R`` (``R >= 1``); the matrix is ``(R * R, R * R)``.
        criterion: ``'rook'`` (the default, as libpysal's ``lat2W``) or ``'queen'``.

    Returns:
        ``float64`` CSR matrix of shape ``(side**2, side**2)``. With ``side == 1`` the single
        region is an island (and :class:`IslandWarning` is issued).

    References:
        Cliff, A. D. and Ord, J. K. (1981) *Spatial Processes: Models and Applications*.
        London: Pion (chapter 1, the rook and queen cases of contiguity).
    """
    side = _positive_int(side, "side", "grid_contiguity")
    if criterion not in CRITERIA:
        raise InnoclusterError(
            "The 'criterion' parameter of grid_contiguity must be one of 'rook', 'queen'; "
            f"got {criterion!r}"
        )
    offsets = [(0, 1), (1, 0)]
    if criterion == "queen":
        offsets += [(1, 1), (1, -1)]
    row, col = np.divmod(np.arange(side * side, dtype=np.int64), side)
    heads, tails = [], []
    for dr, dc in offsets:  # two or four directions, each a vector operation over all regions
        r2, c2 = row + dr, col + dc
        ok = (r2 >= 0) & (r2 < side) & (c2 >= 0) & (c2 < side)
        heads.append(row[ok] * side + col[ok])
        tails.append(r2[ok] * side + c2[ok])
    i = np.concatenate(heads + tails)
    j = np.concatenate(tails + heads)
    w = _csr(np.ones(len(i)), i, j, side * side)
    _warn_islands(w, "grid_contiguity")
    return w


def grid_centroids(side: int, extent: float = 1.0) -> np.ndarray:
    """Centroids of the ``side x side`` regions of the square ``[0, extent]^2``.

    Region ``row * side + col`` has centroid ``((col + 0.5) h, (row + 0.5) h)`` with
    ``h = extent / side``, matching :func:`innocluster.core.space.cell_of` (``x`` picks the column,
    ``y`` the row).

    Args:
        side: regions per side ``R``.
        extent: side of the square, in the units of the positions.

    Returns:
        ``float64`` array of shape ``(side**2, 2)``: ``x, y`` of each region.
    """
    side = _positive_int(side, "side", "grid_centroids")
    if not (np.isfinite(extent) and extent > 0):
        raise InnoclusterError(
            f"The 'extent' parameter of grid_centroids must be a positive number; got {extent!r}"
        )
    h = extent / side
    row, col = np.divmod(np.arange(side * side, dtype=np.int64), side)
    return np.column_stack([(col + 0.5) * h, (row + 0.5) * h])


def distance_band(
    centroids: np.ndarray, threshold: float, binary: bool = True, alpha: float = -1.0
) -> sp.csr_matrix:
    """Weights between regions whose centroids are at most ``threshold`` apart.

    ``j`` neighbours ``i`` when ``j != i`` and ``|c_i - c_j| <= threshold`` (Euclidean
    distance; a region is never its own neighbour, distinct regions at the same place are). The
    pairs come from :meth:`scipy.spatial.cKDTree.query_pairs`, which visits only nearby
    points. Weights are 1 (``binary=True``) or ``d_ij ** alpha`` (inverse-distance weights
    with the default ``alpha = -1``), as libpysal's ``DistanceBand``. The matrix is symmetric.

    Args:
        centroids: region centroids, shape ``(n, 2)`` (or ``(n, d)``), in any length unit.
        threshold: the band, in the unit of ``centroids``, ``> 0``.
        binary: ones for neighbours (default) or distance-decay weights ``d ** alpha``.
        alpha: exponent of the distance decay when ``binary=False``; must be negative.

    Returns:
        ``float64`` CSR matrix of shape ``(n, n)``. Regions with no neighbour within the band
        keep an empty row and are named in an :class:`IslandWarning`.

    References:
        Getis, A. and Ord, J. K. (1992) The analysis of spatial association by use of distance
        statistics. *Geographical Analysis* 24(3), 189-206. doi:10.1111/j.1538-4632.1992.tb00261.x
    """
    pts = _centroids(centroids, "distance_band")
    if not (np.isfinite(threshold) and threshold > 0):
        raise InnoclusterError(
            "The 'threshold' parameter of distance_band must be a positive number; "
            f"got {threshold!r}"
        )
    if not binary and not (np.isfinite(alpha) and alpha < 0):
        raise InnoclusterError(
            f"The 'alpha' parameter of distance_band must be a negative number; got {alpha!r}"
        )
    n = len(pts)
    pairs = cKDTree(pts).query_pairs(float(threshold), output_type="ndarray")
    i, j = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    if binary:
        data = np.ones(len(i))
    else:
        d = np.sqrt(((pts[i] - pts[j]) ** 2).sum(axis=1))
        if np.any(d == 0):
            raise InnoclusterError(
                "distance_band with binary=False needs distinct centroids (a distance of 0 has "
                "no inverse-distance weight); got regions at the same place"
            )
        data = d**alpha
    w = _csr(np.concatenate([data, data]), np.concatenate([i, j]), np.concatenate([j, i]), n)
    _warn_islands(w, "distance_band")
    return w


def knn(centroids: np.ndarray, k: int) -> sp.csr_matrix:
    """Binary weights to the ``k`` nearest other regions of each region.

    Row ``i`` has ones at the ``k`` centroids nearest to ``c_i`` other than region ``i`` itself
    (found with :meth:`scipy.spatial.cKDTree.query`). Ties at the ``k``-th distance are broken
    by the tree's order, as in libpysal's ``KNN``. The matrix is not symmetric in general
    (``j`` among the nearest of ``i`` does not make ``i`` among the nearest of ``j``); no region
    is an island.

    Args:
        centroids: region centroids, shape ``(n, 2)`` (or ``(n, d)``).
        k: neighbours per region, ``1 <= k < n``.

    Returns:
        ``float64`` CSR matrix of shape ``(n, n)`` with exactly ``k`` ones per row.

    References:
        Anselin, L. (1988) *Spatial Econometrics: Methods and Models*. Dordrecht: Kluwer.
        doi:10.1007/978-94-015-7799-1
    """
    pts = _centroids(centroids, "knn")
    n = len(pts)
    k = _positive_int(k, "k", "knn")
    if k >= n:
        raise InnoclusterError(f"The 'k' parameter of knn must be below the {n} regions; got {k}")
    _, idx = cKDTree(pts).query(pts, k=k + 1)
    idx = idx.astype(np.int64)
    keep = idx != np.arange(n)[:, None]
    # A region absent from its own k + 1 nearest (more than k other regions at distance 0)
    # keeps its first k.
    keep[keep.all(axis=1), -1] = False
    j = idx[keep]
    i = np.repeat(np.arange(n, dtype=np.int64), k)
    return _csr(np.ones(n * k), i, j, n)


def transform_weights(w: sp.spmatrix | np.ndarray, how: str = "r") -> sp.csr_matrix:
    """Row-standardised (``'r'``), binary (``'b'``) or original (``'o'``) weights.

    ``'r'``: ``w*_ij = w_ij / sum_j w_ij``, so every row with neighbours sums to 1 and the
    spatial lag ``(W y)_i`` is the weighted mean of the neighbours' values; an island's row
    stays empty (no division by zero), as in PySAL. ``'b'``: ``w*_ij = 1`` where ``w_ij != 0``.
    ``'o'``: the weights as given. The input is never modified.

    Args:
        w: weights, square ``(n, n)`` sparse matrix or array, non-negative.
        how: ``'r'``, ``'b'`` or ``'o'``.

    Returns:
        A new ``float64`` CSR matrix of shape ``(n, n)``.

    References:
        Anselin, L. (1988) *Spatial Econometrics: Methods and Models*. Dordrecht: Kluwer.
        doi:10.1007/978-94-015-7799-1
    """
    if how not in TRANSFORMS:
        raise InnoclusterError(
            f"The 'how' parameter of transform_weights must be one of 'r', 'b', 'o'; got {how!r}"
        )
    return apply_transform(as_weights(w, "transform_weights"), how)


def islands(w: sp.spmatrix | np.ndarray) -> np.ndarray:
    """Regions without any neighbour (empty rows of ``w``, ignoring the diagonal).

    Args:
        w: weights, square ``(n, n)``.

    Returns:
        ``int64`` array of the island regions' indices, ascending.
    """
    w = as_weights(w, "islands")
    return np.flatnonzero(_off_diagonal_counts(w) == 0)


def as_weights(w: sp.spmatrix | np.ndarray, caller: str, n: int | None = None) -> sp.csr_matrix:
    """``w`` checked and copied into canonical ``float64`` CSR form (sorted, no stored zeros).

    Raises :class:`InnoclusterError` unless ``w`` is a square matrix (of side ``n`` when given)
    of finite, non-negative weights.
    """
    if sp.issparse(w):
        m = sp.csr_matrix(w, dtype=np.float64, copy=True)
    else:
        arr = np.asarray(w)
        if arr.ndim != 2 or not np.issubdtype(arr.dtype, np.number):
            raise InnoclusterError(
                f"The weights of {caller} must be a square numeric matrix; got an array of "
                f"shape {arr.shape} and dtype {arr.dtype}"
            )
        m = sp.csr_matrix(arr.astype(np.float64))
    if m.shape[0] != m.shape[1]:
        raise InnoclusterError(f"The weights of {caller} must be square; got shape {m.shape}")
    if n is not None and m.shape[0] != n:
        raise InnoclusterError(
            f"The weights of {caller} must be ({n}, {n}) to match the {n} values; "
            f"got shape {m.shape}"
        )
    if not np.all(np.isfinite(m.data)) or np.any(m.data < 0):
        raise InnoclusterError(f"The weights of {caller} must be finite and non-negative")
    m.sum_duplicates()
    m.eliminate_zeros()
    m.sort_indices()
    return m


def apply_transform(w: sp.csr_matrix, how: str) -> sp.csr_matrix:
    """:func:`transform_weights` of weights already checked by :func:`as_weights` (a new matrix).

    ``how`` must be one of :data:`TRANSFORMS`; the statistics check it first, with their own
    name in the message.
    """
    w = w.copy()
    if how == "b":
        w.data[:] = 1.0
    elif how == "r":
        rows = np.asarray(w.sum(axis=1)).ravel()
        scale = np.divide(1.0, rows, out=np.zeros_like(rows), where=rows > 0)
        w.data *= np.repeat(scale, np.diff(w.indptr))
    return w


def _off_diagonal_counts(w: sp.csr_matrix) -> np.ndarray:
    counts = np.diff(w.indptr)
    return counts - (w.diagonal() != 0)


def _csr(data: np.ndarray, i: np.ndarray, j: np.ndarray, n: int) -> sp.csr_matrix:
    w = sp.csr_matrix((data.astype(np.float64), (i, j)), shape=(n, n))
    w.sum_duplicates()
    w.eliminate_zeros()
    w.sort_indices()
    return w


def _warn_islands(w: sp.csr_matrix, caller: str) -> None:
    isl = np.flatnonzero(_off_diagonal_counts(w) == 0)
    if len(isl):
        shown = ", ".join(str(r) for r in isl[:10]) + (", ..." if len(isl) > 10 else "")
        warnings.warn(
            f"{caller}: {len(isl)} of {w.shape[0]} regions have no neighbour (regions {shown}); "
            "they are kept with an empty row of weights",
            IslandWarning,
            stacklevel=3,
        )


def _centroids(centroids: np.ndarray, caller: str) -> np.ndarray:
    pts = np.asarray(centroids, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[0] < 1 or pts.shape[1] < 1:
        raise InnoclusterError(
            f"The 'centroids' parameter of {caller} must have shape (n, 2); got {pts.shape}"
        )
    if not np.all(np.isfinite(pts)):
        raise InnoclusterError(f"The 'centroids' parameter of {caller} must be finite")
    return pts


def _positive_int(value: int, name: str, caller: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InnoclusterError(
            f"The '{name}' parameter of {caller} must be a positive integer; got {value!r}"
        )
    return int(value)
