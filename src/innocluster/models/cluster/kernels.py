"""The per-field knowledge gap to nearby organisations, on the cell grid (never all pairs).

The kernel of two mechanisms: spillover (explicit knowledge within ``r_geo``) and the
co-located socialisation of SECI (tacit knowledge within ``r_tacit``). Organisation ``i`` at
``(x_i, y_i)`` (km) holds knowledge ``e_i`` over ``D`` technology fields and has a knowledge
profile ``k_i`` (the caller passes tacit + explicit). Its gain is

    G[i, d] = sum_{j != i, dist_ij < r} exp(-dist_ij / lam) * prox_ij * max(e[j, d] - e[i, d], 0)

so an organisation learns, field by field, only where a neighbour knows more than it does, with
a weight that decays with distance (decay length ``lam``, cut off at ``r``) and grows with the
technological proximity of the two organisations. The proximity is the cosine similarity of
their profiles, ``prox_ij = k_i . k_j / (|k_i| |k_j|)`` (0 if either profile is a zero vector),
the measure of technological closeness of Jaffe (1986).

Each pair is visited once, by the phased cell-pair walk shared with the benchmark model
(:mod:`innocluster.core.pairs`): its weight ``exp(-dist / lam) * prox`` costs one
exponential and one D-wide dot product of precomputed unit profile vectors, and it then adds the
positive part of the gap to whichever of the two knows less in each field. Results do not depend
on the number of numba threads, bit for bit.

Reference:
    Jaffe, A. B. (1986) Technological opportunity and spillovers of R&D: evidence from firms'
    patents, profits, and market value. American Economic Review 76(5), 984-1001.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

from innocluster.core.pairs import PHASES, REACH, blocks_in_phase, walk_row
from innocluster.core.space import build_grid

__all__ = ["gap_to_neighbours", "near_kind", "pool_of_neighbours"]


def gap_to_neighbours(
    x: np.ndarray,
    y: np.ndarray,
    knowledge: np.ndarray,
    profile: np.ndarray,
    r: float,
    lam: float,
    extent: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-field knowledge gap pulled from neighbours, and the total weight of the neighbours.

    ``G[i, d] = sum over j != i with dist_ij < r of
    exp(-dist_ij / lam) * prox_ij * max(knowledge[j, d] - knowledge[i, d], 0)``, where
    ``prox_ij`` is the cosine similarity of ``profile[i]`` and ``profile[j]`` (0 if either is a
    zero vector). The distance cut-off is strict (``dist_ij < r``).

    Args:
        x: abscissae in ``[0, extent]``, km, float64 ``(n,)``.
        y: ordinates in ``[0, extent]``, km, float64 ``(n,)``.
        knowledge: knowledge, float64 ``(n, D)``, non-negative (knowledge units).
        profile: knowledge profile used for the proximity (tacit + explicit), float64
            ``(n, D)``, non-negative.
        r: neighbour radius, km, ``> 0``.
        lam: distance-decay length, km, ``> 0``.
        extent: side of the square, km.

    Returns:
        ``(G, W)`` in the row order of the inputs: ``G`` float64 ``(n, D)`` in knowledge units,
        and ``W[i] = sum_j exp(-dist_ij / lam) * prox_ij`` over the same neighbours, float64
        ``(n,)``, so that a caller can turn the sum into a weighted mean where neighbours are
        many (``G / max(W, 1)``).
    """
    x, y, knowledge, profile = _checked(
        "gap_to_neighbours", x, y, knowledge, profile, r, lam, extent
    )
    if len(x) == 0:
        return np.zeros((0, knowledge.shape[1])), np.zeros(0)
    grid = build_grid(x, y, r, extent=extent, reach=REACH)
    xs, ys, es, units = _gather(x, y, knowledge, profile, grid.order)
    gain_sorted = _gain_kernel(xs, ys, es, units, grid.cell_start, grid.ncell, r, lam)
    return _scatter(gain_sorted, grid.order)  # the last sorted column holds the weights


def _checked(caller, x, y, knowledge, profile, r, lam, extent):
    # The inputs as contiguous float64 arrays, checked: shapes, positive lengths, and positions
    # inside the square (outside it, or NaN, a point would index a cell that does not exist).
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64)
    knowledge = np.ascontiguousarray(knowledge, dtype=np.float64)
    profile = np.ascontiguousarray(profile, dtype=np.float64)
    n = len(x)
    if (
        knowledge.ndim != 2
        or profile.shape != knowledge.shape
        or len(knowledge) != n
        or len(y) != n
    ):
        raise ValueError(
            f"{caller}: x, y must be (n,) and knowledge, profile (n, D); got x {x.shape}, "
            f"y {y.shape}, knowledge {knowledge.shape}, profile {profile.shape}"
        )
    if not (r > 0 and lam > 0 and extent > 0):
        raise ValueError(f"{caller}: r, lam, extent must be > 0; got {r}, {lam}, {extent}")
    if n and not (x.min() >= 0.0 and y.min() >= 0.0 and x.max() <= extent and y.max() <= extent):
        raise ValueError(f"{caller}: positions must lie in [0, {extent}]^2")
    return x, y, knowledge, profile


@numba.njit(parallel=True, cache=True)
def _gather(x, y, knowledge, profile, order):
    # Positions, knowledge and unit profile vectors in cell order (a zero profile stays
    # zero, so its proximity to every other organisation is 0).
    n, dims = knowledge.shape
    xs = np.empty(n)
    ys = np.empty(n)
    es = np.empty((n, dims))
    units = np.empty((n, dims))
    for p in numba.prange(n):
        i = order[p]
        xs[p] = x[i]
        ys[p] = y[i]
        sq = 0.0
        for d in range(dims):
            es[p, d] = knowledge[i, d]
            sq += profile[i, d] * profile[i, d]
        scale = 1.0 / math.sqrt(sq) if sq > 0.0 else 0.0
        for d in range(dims):
            units[p, d] = profile[i, d] * scale
    return xs, ys, es, units


@numba.njit(parallel=True, cache=True)
def _scatter(gain_sorted, order):
    # Back to the caller's row order (row order[p] of the results is row p in cell order), the
    # gaps and the weights (the last column of gain_sorted) apart.
    n, width = gain_sorted.shape
    dims = width - 1
    gain = np.empty((n, dims))
    weight = np.empty(n)
    for p in numba.prange(n):
        i = order[p]
        for d in range(dims):
            gain[i, d] = gain_sorted[p, d]
        weight[i] = gain_sorted[p, dims]
    return gain, weight


@numba.njit(parallel=True, cache=True)
def _gain_kernel(xs, ys, es, units, cell_start, ncell, r, lam):
    # Gains in cell order, (n, D + 1) (the last column: the sum of the weights), from
    # positions, knowledge and unit profiles gathered in cell order.
    n, dims = es.shape
    gain = np.zeros((n, dims + 1))
    data = _GapPairs(es, units, gain)
    for phase in range(PHASES):  # the phased schedule of innocluster.core.pairs
        for block in numba.prange(blocks_in_phase(ncell, phase)):
            walk_row(xs, ys, cell_start, ncell, PHASES * block + phase, r, lam, data)
    return gain


class _GapPairs(NamedTuple):
    # What the walk's visit reads and adds into, in cell order: knowledge, unit profiles, and
    # the gains (the last column: the sum of the weights).
    knowledge: np.ndarray
    units: np.ndarray
    gain: np.ndarray


@numba.njit(cache=True, inline="always")
def _add_gaps(p, q, decay, data):
    # The pair's weight is its distance decay times the cosine of the two profiles (>= 0:
    # profiles are non-negative); each side gains, field by field, what the other knows more.
    es, units, gain = data.knowledge, data.units, data.gain
    dims = es.shape[1]
    prox = 0.0
    for d in range(dims):
        prox += units[p, d] * units[q, d]
    w = decay * prox
    if w > 0.0:
        gain[p, dims] += w
        gain[q, dims] += w
        for d in range(dims):
            up = es[q, d] - es[p, d]  # what p can learn from q
            down = es[p, d] - es[q, d]  # what q can learn from p
            gain[p, d] += w * (up if up > 0.0 else 0.0)
            gain[q, d] += w * (down if down > 0.0 else 0.0)


_GapPairs.visit = _add_gaps


def pool_of_neighbours(
    x: np.ndarray,
    y: np.ndarray,
    values: np.ndarray,
    profile: np.ndarray,
    r: float,
    lam: float,
    extent: float,
) -> np.ndarray:
    """The local spillover pool ``P_i = sum_j exp(-dist_ij / lam) prox_ij v_j``, ``dist_ij < r``.

    The knowledge within reach of each organisation ``i`` (the others, ``j != i``), weighted as
    spillover weighs it (the distance decay and the cosine proximity of the profiles of
    :func:`gap_to_neighbours`): the local form of Jaffe's (1986) spillover pool, which a
    knowledge production function reads.

    Args:
        x: abscissae in ``[0, extent]``, km, float64 ``(n,)``.
        y: ordinates in ``[0, extent]``, km, float64 ``(n,)``.
        values: what each organisation holds, float64 ``(n,)`` (its knowledge stock ``K_j``).
        profile: knowledge profiles for the proximity, float64 ``(n, D)``, non-negative.
        r: radius, km, ``> 0``.
        lam: distance-decay length, km, ``> 0``.
        extent: side of the square, km.

    Returns:
        ``P``, float64 ``(n,)``, in the units of ``values``.
    """
    x, y, _, profile = _checked("pool_of_neighbours", x, y, profile, profile, r, lam, extent)
    values = np.asarray(values, dtype=np.float64)
    if values.shape != x.shape:
        raise ValueError(f"pool_of_neighbours: values must be (n,); got {values.shape}")
    if len(x) == 0:
        return np.zeros(0)
    grid = build_grid(x, y, r, extent=extent, reach=REACH)
    xs, ys, _, units = _gather(x, y, profile, profile, grid.order)
    pool_sorted = _pool_kernel(
        xs, ys, values[grid.order], units, grid.cell_start, grid.ncell, r, lam
    )
    pool = np.empty(len(x))
    pool[grid.order] = pool_sorted
    return pool


@numba.njit(parallel=True, cache=True)
def _pool_kernel(xs, ys, values, units, cell_start, ncell, r, lam):
    # Pools in cell order, from positions, values and unit profiles gathered in cell order.
    pool = np.zeros(len(xs))
    data = _PoolPairs(values, units, pool)
    for phase in range(PHASES):  # the phased schedule of innocluster.core.pairs
        for block in numba.prange(blocks_in_phase(ncell, phase)):
            walk_row(xs, ys, cell_start, ncell, PHASES * block + phase, r, lam, data)
    return pool


class _PoolPairs(NamedTuple):
    # What the pool walk's visit reads and adds into, in cell order.
    values: np.ndarray
    units: np.ndarray
    pool: np.ndarray


@numba.njit(cache=True, inline="always")
def _add_pool(p, q, decay, data):
    # Each side of the pair adds the other's value, weighted by decay times proximity.
    units = data.units
    prox = 0.0
    for d in range(units.shape[1]):
        prox += units[p, d] * units[q, d]
    w = decay * prox
    data.pool[p] += w * data.values[q]
    data.pool[q] += w * data.values[p]


_PoolPairs.visit = _add_pool


def near_kind(orgs, kind: int, r: float, extent: float) -> np.ndarray:
    """Bool ``(n,)``: an organisation of ``kind`` is closer than ``r`` km (itself excluded).

    The organisations of ``kind`` are bucketed on the cell grid (cells of side ``>= r``), so
    each organisation looks only at the 3 x 3 cells around its own.
    """
    rows = np.flatnonzero(orgs["kind"] == kind)
    if len(rows) == 0:
        return np.zeros(orgs.n, dtype=bool)
    x, y = orgs["x"], orgs["y"]
    grid = build_grid(x[rows], y[rows], r, extent)
    return _any_within(x, y, rows, grid.order, grid.cell_start, grid.ncell, extent, r)


@numba.njit(parallel=True, cache=True)
def _any_within(x, y, rows, order, cell_start, ncell, extent, r):
    # One thread per organisation, each writing only its own answer.
    n = len(x)
    out = np.zeros(n, dtype=np.bool_)
    r2 = r * r
    scale = ncell / extent
    for i in numba.prange(n):
        cx = min(int(x[i] * scale), ncell - 1)
        cy = min(int(y[i] * scale), ncell - 1)
        found = False
        for row in range(max(cy - 1, 0), min(cy + 2, ncell)):
            for col in range(max(cx - 1, 0), min(cx + 2, ncell)):
                c = row * ncell + col
                for p in range(cell_start[c], cell_start[c + 1]):
                    j = rows[order[p]]
                    dx = x[j] - x[i]
                    dy = y[j] - y[i]
                    if j != i and dx * dx + dy * dy < r2:
                        found = True
                        break
                if found:
                    break
            if found:
                break
        out[i] = found
    return out
