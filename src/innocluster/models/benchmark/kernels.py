"""The benchmark model's compiled kernels: the spillover pool and the spread of innovations."""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

from innocluster.core.pairs import PHASES, REACH, blocks_in_phase, walk_row
from innocluster.core.space import build_grid

__all__ = ["spillover_pool", "spread_innovations"]


def spillover_pool(
    x: np.ndarray, y: np.ndarray, k: np.ndarray, r: float, lam: float, s: float
) -> np.ndarray:
    """The spillover pool ``S_i`` of every organisation.

    Args:
        x: abscissae in the unit square, shape ``(n,)``.
        y: ordinates in the unit square, shape ``(n,)``.
        k: knowledge, shape ``(n, D)``, non-negative.
        r: neighbour radius (strict: ``d_ij < r``), in units of the square's side.
        lam: distance-decay length, in units of the square's side.
        s: spillover strength, ``>= 0``.

    Returns:
        ``S``, shape ``(n,)``.

    With unit vectors ``u_j = k_j / |k_j|`` (zero for a zero vector) the pool factorises as
    ``S_i = s * u_i . V_i`` with ``V_i = sum_j exp(-d_ij / lam) K_j u_j``: each pair costs one
    exponential and two D-wide multiply-adds. The pairs come from the phased cell-pair walk
    (:mod:`innocluster.core.pairs`): each pair once, never all pairs, and sums that
    do not depend on the number of threads.
    """
    n = len(x)
    if n == 0:
        return np.zeros(0)
    grid = build_grid(x, y, r, reach=REACH)
    xs, ys, units, totals = _gather(x, y, k, grid.order)
    pool_sorted = _pool_kernel(xs, ys, units, totals, grid.cell_start, grid.ncell, r, lam)
    pool = np.empty(n)
    pool[grid.order] = s * pool_sorted
    return pool


@numba.njit(parallel=True, cache=True)
def _gather(x, y, k, order):
    # Positions, unit knowledge vectors and totals in cell order (a zero vector stays zero).
    n, dims = k.shape
    xs = np.empty(n)
    ys = np.empty(n)
    units = np.empty((n, dims))
    totals = np.empty(n)
    for p in numba.prange(n):
        i = order[p]
        xs[p] = x[i]
        ys[p] = y[i]
        total = 0.0
        sq = 0.0
        for d in range(dims):
            total += k[i, d]
            sq += k[i, d] * k[i, d]
        totals[p] = total
        scale = 1.0 / math.sqrt(sq) if sq > 0.0 else 0.0
        for d in range(dims):
            units[p, d] = k[i, d] * scale
    return xs, ys, units, totals


@numba.njit(parallel=True, cache=True)
def _pool_kernel(xs, ys, units, totals, cell_start, ncell, r, lam):
    n, dims = units.shape
    field = np.zeros((n, dims))  # V_i in cell order
    data = _PoolPairs(units, totals, field)
    for phase in range(PHASES):  # the phased schedule of innocluster.core.pairs
        for block in numba.prange(blocks_in_phase(ncell, phase)):
            walk_row(xs, ys, cell_start, ncell, PHASES * block + phase, r, lam, data)
    out = np.empty(n)
    for p in numba.prange(n):
        acc = 0.0
        for d in range(dims):
            acc += units[p, d] * field[p, d]
        out[p] = acc
    return out


class _PoolPairs(NamedTuple):
    # What the walk's visit reads and adds into, in cell order: unit knowledge vectors u,
    # totals K, and the sums V.
    units: np.ndarray
    totals: np.ndarray
    field: np.ndarray


@numba.njit(cache=True, inline="always")
def _add_pair(p, q, w, data):
    # V_p += w K_q u_q and V_q += w K_p u_p.
    units, totals, field = data.units, data.totals, data.field
    wq = w * totals[q]
    wp = w * totals[p]
    for d in range(units.shape[1]):
        field[p, d] += wq * units[q, d]
        field[q, d] += wp * units[p, d]


_PoolPairs.visit = _add_pair


def spread_innovations(k: np.ndarray, counts: np.ndarray, uniforms: np.ndarray) -> None:
    """Add ``Multinomial(counts_i, k_i / K_i)`` units to ``k`` in place.

    Each unit picks its field by inverting the cumulative distribution of the organisation's
    knowledge at one uniform draw (``n_i`` categorical draws are a multinomial draw); an
    organisation with no knowledge picks uniformly. All of an organisation's units are drawn
    from its knowledge before any of them is added.

    Args:
        k: knowledge, shape ``(n, D)``, changed in place.
        counts: units per organisation, int ``(n,)``.
        uniforms: ``counts.sum()`` draws in ``[0, 1)``, consumed in organisation order.
    """
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    _spread_kernel(k, counts.astype(np.int64), offsets, uniforms)


@numba.njit(parallel=True, cache=True)
def _spread_kernel(k, counts, offsets, uniforms):
    n, dims = k.shape
    for i in numba.prange(n):
        c = counts[i]
        if c == 0:
            continue
        total = 0.0
        last = dims - 1
        for d in range(dims):
            total += k[i, d]
            if k[i, d] > 0.0:
                last = d
        added = np.zeros(dims)
        for m in range(offsets[i], offsets[i] + c):
            if total > 0.0:
                target = uniforms[m] * total
                field = last  # if rounding puts target at the very top
                acc = 0.0
                for d in range(dims):
                    acc += k[i, d]
                    if target < acc:
                        field = d
                        break
            else:
                field = min(int(uniforms[m] * dims), dims - 1)
            added[field] += 1.0
        for d in range(dims):
            k[i, d] += added[d]
