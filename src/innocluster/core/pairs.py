"""The phased cell-pair walk: every pair of points closer than ``r`` visited once, in parallel.

The walk's sums do not depend on the number of threads.

Both models' neighbour kernels (the benchmark's spillover pool, the cluster model's knowledge
gaps for spillover and socialisation) are this walk with a different *visit*: a compiled
function ``visit(p, q, w, data)`` called once for each unordered pair ``p < q`` (rows in cell
order) with distance below ``r`` and weight ``w = exp(-distance / lam)``, which adds the pair's
contributions into the arrays of ``data``, a ``typing.NamedTuple`` whose class carries the
visit. A kernel runs the walk as::

    for phase in range(PHASES):
        for block in numba.prange(blocks_in_phase(ncell, phase)):
            walk_row(xs, ys, cell_start, ncell, PHASES * block + phase, r, lam, data)

inside its own ``@numba.njit(parallel=True, cache=True)`` function, in the model's module, so
that editing the visit invalidates the kernel's compiled cache (numba keys a cache by the
source file of the cached function only; after editing this file, remove the ``__pycache__``
folders of the kernels' modules).

The schedule, and why it is deterministic: points are sorted by cell of a grid with cells of
side ``>= r / REACH`` (:func:`innocluster.core.space.build_grid` with ``reach=REACH``). The
pairs found from a cell in grid row ``row`` involve only points of rows ``row .. row + REACH``.
Rows are processed in ``REACH + 1`` phases (``row mod (REACH + 1)``); within a phase the rows
handled in parallel are ``REACH + 1`` apart, so no two threads ever write the same point (no
races, no atomics), and one thread walks a row's cells and pairs in a fixed order. Every point
thus receives its contributions in the same order whatever the number of threads, and its
floating-point sums come out bit-identical.

Within a cell, the candidates of each of the ``REACH + 1`` rows are one contiguous run of the
cell order, walked in tiles of :data:`TILE` candidates (a tile stays in the L2 cache while
every point of the cell is paired with it); each point meets its candidates in increasing
order, so the order of the sums does not depend on the tile size. Distances are compacted
branch-free and their exponentials computed in one vectorisable loop
(:func:`innocluster.core.numerics.exp_neg`).
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba.extending import overload

from innocluster.core.numerics import exp_neg

__all__ = ["PHASES", "REACH", "TILE", "blocks_in_phase", "walk_row"]

#: Grid cells per neighbour radius: the grid of the walk has cells of side ``>= r / REACH``.
REACH = 2

#: Rows of one phase are ``PHASES`` apart, so that no two threads write the same point.
PHASES = REACH + 1

#: Candidates examined at a time (dense cells hold thousands of points).
TILE = 256


@numba.njit(cache=True)
def blocks_in_phase(ncell: int, phase: int) -> int:
    """Rows of the phase ``phase``: rows ``PHASES * block + phase`` for ``block < this``."""
    return (ncell - phase + REACH) // PHASES


def walk_row(xs, ys, cell_start, ncell, row, r, lam, data):
    """Visit every pair found from the cells of grid row ``row`` (compiled code only).

    For each unordered pair ``p < q`` (rows in cell order) with ``p`` in row ``row``, ``q`` in
    the rows ``row .. row + REACH`` and distance ``d_pq < r``, calls
    ``type(data).visit(p, q, exp(-d_pq / lam), data)``.

    Args:
        xs: abscissae gathered in cell order, float64 ``(n,)``.
        ys: ordinates gathered in cell order, float64 ``(n,)``.
        cell_start: int64 ``(ncell * ncell + 1,)``, the start of each cell's run in cell order
            (:class:`innocluster.core.space.CellGrid`, built with ``reach=REACH``).
        ncell: cells per side.
        row: the grid row.
        r: neighbour radius (strict: ``d < r``), in the units of the positions.
        lam: distance-decay length, same units.
        data: an instance of a ``typing.NamedTuple`` class whose class attribute ``visit`` is a
            compiled function ``visit(p, q, w, data)`` that adds the pair's contributions into
            the arrays of ``data``, writing only rows ``p`` and ``q``.
    """
    raise TypeError("walk_row runs only inside compiled (numba) code")


# Compiled as a function of its own, called once per row. Inlining it (and the visit) into the
# kernel's parallel loop made the kernels 12-20% faster, but numba then lost the visit's writes
# when the data tuple came in as an argument of the parallel function: not worth a kernel that
# is right or wrong depending on where its data are made.
@overload(walk_row)
def _walk_row(xs, ys, cell_start, ncell, row, r, lam, data):
    visit = data.instance_class.visit  # resolved when the caller compiles

    def impl(xs, ys, cell_start, ncell, row, r, lam, data):
        # Pairs (p, q) with p in cell (row, col) and q later in the same row within REACH
        # cells east, or in the REACH rows above within REACH cells either side: each
        # unordered pair once.
        r2 = r * r
        inv_lam = 1.0 / lam
        near = np.empty(TILE, dtype=np.int64)
        weight = np.empty(TILE)
        for col in range(ncell):
            c = row * ncell + col
            a0 = cell_start[c]
            a1 = cell_start[c + 1]
            if a0 == a1:
                continue
            for above in range(min(REACH + 1, ncell - row)):
                base = (row + above) * ncell
                lo = a0 if above == 0 else cell_start[base + max(col - REACH, 0)]
                hi = cell_start[base + min(col + REACH + 1, ncell)]
                for t0 in range(lo, hi, TILE):
                    t1 = min(t0 + TILE, hi)
                    for p in range(a0, a1):
                        m = 0
                        for q in range(max(t0, p + 1) if above == 0 else t0, t1):
                            dx = xs[q] - xs[p]
                            dy = ys[q] - ys[p]
                            d2 = dx * dx + dy * dy
                            near[m] = q  # branch-free compaction of the candidates within r
                            weight[m] = d2
                            m += d2 < r2
                        _decay(weight, m, inv_lam)
                        for t in range(m):
                            visit(p, near[t], weight[t], data)

    return impl


# error_model="numpy" drops Python's zero-division checks, which keep the loop from vectorising;
# kept out of line, it compiles to vector square roots and exponentials.
@numba.njit(cache=True, error_model="numpy")
def _decay(dist2, m, inv_lam):
    # dist2[:m] (squared distances) becomes exp(-distance / lam), in place.
    for t in range(m):
        dist2[t] = exp_neg(-math.sqrt(dist2[t]) * inv_lam)
