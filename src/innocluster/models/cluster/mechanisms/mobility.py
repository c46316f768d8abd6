"""Labour mobility: employees move between nearby firms and carry tacit knowledge.

Casper (2007) traces the San Diego biotech cluster's growth to the movement of managers and
scientists between its firms; Almeida and Kogut (1999) show that knowledge travels with
mobile engineers and that mobility stays within regional labour markets. Each year every firm
or leader loses ``Binomial(E_i - 1, p_move)`` employees (one always stays). Each mover takes a
job at a firm or leader of the same labour-market cell (a square grid of cells of side at
least ``r_mob`` km, the spatial index of :mod:`innocluster.core.space`), chosen with probability
proportional to its employees (bigger employers hire more); a mover drawn back to the firm it
left stays. The new employer gains ``carry`` times the mover's
share of the old employer's tacit knowledge, ``carry * tacit_src / E_src`` per field; the old
employer keeps its knowledge (know-how is copied, not lost). The gain is recorded in the new
employer's ``learned`` mobility channel, which its patents' citations follow.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numba
import numpy as np

from innocluster.core.space import build_grid
from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import channel, is_producer

__all__ = ["CONTRACT", "step"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("mobility", "space"),
    reads=("kind", "x", "y", "employees", "tacit"),
    writes=("employees", "tacit", "learned"),
    flows=("movers",),
)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of labour mobility; see the module docstring."""
    p, orgs = scenario.mobility, state.orgs
    employees = orgs["employees"]
    workers = np.flatnonzero(is_producer(orgs["kind"]))
    movers = rng.binomial(np.maximum(employees[workers] - 1, 0), p.p_move)
    if movers.sum() == 0:
        state.flows["movers"] = 0.0
        return
    grid = build_grid(orgs["x"][workers], orgs["y"][workers], p.r_mob, scenario.space.L, cap=False)
    order, bounds = grid.order, grid.cell_start
    sorted_cell = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    cum = np.cumsum(employees[workers][order].astype(float))
    lo, hi = bounds[sorted_cell], bounds[sorted_cell + 1]
    start = np.concatenate([[0.0], cum])[lo]  # employees before each worker's cell
    size = cum[hi - 1] - start

    # One entry per mover: its old employer (position in `order`), then its new one.
    rank = np.empty(len(workers), dtype=np.int64)
    rank[order] = np.arange(len(workers))
    src = np.repeat(rank, movers)
    dst = _new_employers(src, rng.random(len(src)), cum, lo, hi, start, size)
    moved = dst != src
    src, dst = order[src[moved]], order[dst[moved]]  # back to positions in `workers`

    n = len(workers)
    departures = np.bincount(src, minlength=n)
    arrivals = np.bincount(dst, minlength=n)
    E = employees[workers].astype(float)
    gained = _carry(orgs["tacit"], workers[src], workers[dst], p.carry / E[src])
    orgs["learned"][:, channel("mobility")] += gained
    employees[workers] += arrivals - departures
    state.flows["movers"] = float(len(src))


@numba.njit(parallel=True, cache=True)
def _new_employers(src, u, cum, lo, hi, start, size):
    # Each mover's new employer: the worker of its cell whose employees' cumulative range holds
    # start + u * size (a binary search within the cell); one thread per mover, no shared writes.
    dst = np.empty(len(src), dtype=np.int64)
    for k in numba.prange(len(src)):
        s = src[k]
        target = start[s] + u[k] * size[s]
        a, b = lo[s], hi[s] - 1
        while a < b:  # the first position of the cell with cum > target
            mid = (a + b) // 2
            if cum[mid] > target:
                b = mid
            else:
                a = mid + 1
        dst[k] = a
    return dst


@numba.njit(cache=True)
def _carry(tacit, src, dst, weight):
    # tacit[dst] += weight * tacit[src] per mover, all read from the start-of-step knowledge;
    # one serial pass in the movers' order, so the sums do not depend on threads. Returns each
    # organisation's total gain.
    n, dims = tacit.shape
    gain = np.zeros((n, dims))
    for k in range(len(src)):
        for d in range(dims):
            gain[dst[k], d] += weight[k] * tacit[src[k], d]
    total = np.zeros(n)
    for i in range(n):
        for d in range(dims):
            tacit[i, d] += gain[i, d]
            total[i] += gain[i, d]
    return total
