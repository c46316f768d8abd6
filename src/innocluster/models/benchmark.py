"""The benchmark model of ``benchmark-model.md``, exactly as specified.

A small model, fixed so that innocluster's engine can be timed against other toolkits and its
results compared in distribution. Organisations sit in the unit square with knowledge over ``D``
technology fields. One step:

1. ``spillover``: ``S_i = s * sum_{j != i, d_ij < r} exp(-d_ij / lam) * cos(k_i, k_j) * K_j``,
   from the state at the start of the step (cell-grid neighbour search, never all pairs);
2. ``innovation``: ``n_i ~ Poisson(a * sqrt(1 + S_i))`` units, spread over fields as
   ``Multinomial(n_i, k_i / K_i)`` (uniform where ``K_i = 0``), added to ``k_i``;
3. ``depreciation``: ``k_i <- (1 - delta) * k_i``;
4. ``spinoff``: with probability ``p_spin`` an organisation founds one at
   ``x_i + Normal(0, sigma_spin^2 I)`` clipped to the square, with knowledge ``phi * k_i``;
5. ``exit``: each organisation that existed at the start of the step leaves with probability
   ``q_exit``.

State fields: ``x, y`` (float64, unit square), ``k`` (float64, ``(n, D)``), ``pool`` (float64,
the last ``S_i``). The five steps are the mechanisms of this model (each can be switched off in
``[mechanisms]``); see ``docs/benchmark-model.md`` for the derivations and the tests.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from innocluster.measures.inequality import gini
from innocluster.models.spec import ModelSpec
from innocluster.numerics import exp_neg
from innocluster.scenario import BenchmarkScenario
from innocluster.space import build_grid, cell_of
from innocluster.state import FieldSpec, Population, State
from innocluster.tables import Column

__all__ = ["MODEL", "spillover_pool", "spread_innovations"]

#: Regions per side of the grid the benchmark's Gini is computed on.
GRID = 10


def init(scenario: BenchmarkScenario, rng: np.random.Generator) -> State:
    """Organisations uniform on the unit square, every ``k_id ~ Exponential(1)``."""
    p = scenario.benchmark
    fields = [
        FieldSpec("x", "float64"),
        FieldSpec("y", "float64"),
        FieldSpec("k", "float64", width=p.D),
        FieldSpec("pool", "float64"),
    ]
    orgs = Population(fields, capacity=max(16, int(p.n0 * 1.25)))
    xy = rng.random((p.n0, 2))
    k = rng.exponential(1.0, (p.n0, p.D))
    orgs.add(step=0, x=xy[:, 0], y=xy[:, 1], k=k)
    return State(orgs=orgs)


def spillover(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 1. Reads ``x, y, k``; writes ``pool``; records the flow ``mean_pool``."""
    p, orgs = scenario.benchmark, state.orgs
    pool = spillover_pool(orgs["x"], orgs["y"], orgs["k"], p.r, p.lam, p.s)
    orgs["pool"][:] = pool
    state.flows["mean_pool"] = float(pool.mean()) if len(pool) else 0.0


def innovation(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 2. Reads ``pool, k``; adds the innovation units to ``k``."""
    p, orgs = scenario.benchmark, state.orgs
    counts = rng.poisson(p.a * np.sqrt(1.0 + orgs["pool"]))
    uniforms = rng.random(int(counts.sum()))
    spread_innovations(orgs["k"], counts, uniforms)
    state.flows["innovations"] = float(counts.sum())


def depreciation(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 3. Scales ``k`` by ``1 - delta``."""
    state.orgs["k"][:] *= 1.0 - scenario.benchmark.delta


def spinoff(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 4. Adds spin-offs near their parents with ``phi`` times the parent's ``k``."""
    p, orgs = scenario.benchmark, state.orgs
    founders = np.flatnonzero(rng.random(orgs.n) < p.p_spin)
    shift = rng.normal(0.0, p.sigma_spin, (len(founders), 2))
    x = np.clip(orgs["x"][founders] + shift[:, 0], 0.0, 1.0)
    y = np.clip(orgs["y"][founders] + shift[:, 1], 0.0, 1.0)
    k = p.phi * orgs["k"][founders]
    orgs.add(state.step, parent=orgs["org_id"][founders], x=x, y=y, k=k)
    state.flows["spinoffs"] = float(len(founders))


def exit_(state: State, scenario: BenchmarkScenario, rng: np.random.Generator) -> None:
    """Step 5. Removes organisations born before this step with probability ``q_exit``."""
    orgs = state.orgs
    candidates = np.flatnonzero(orgs["born"] < state.step)
    leaving = candidates[rng.random(len(candidates)) < scenario.benchmark.q_exit]
    leave = np.zeros(orgs.n, dtype=bool)
    leave[leaving] = True
    state.flows["exits"] = float(orgs.remove(leave, state.step))


def observe(state: State, scenario: BenchmarkScenario) -> dict[str, float]:
    """The recorded quantities of the spec, after the step."""
    orgs = state.orgs
    counts = np.bincount(cell_of(orgs["x"], orgs["y"], GRID), minlength=GRID * GRID)
    return {
        "n_orgs": orgs.n,
        "total_knowledge": float(orgs["k"].sum()),
        "mean_pool": state.flows.get("mean_pool", 0.0),
        "grid_gini": gini(counts),
    }


INDICATORS = (
    Column("n_orgs", "int64", "organisations", "organisations after the step"),
    Column("total_knowledge", "float64", "knowledge units", "sum of all knowledge after the step"),
    Column("mean_pool", "float64", "knowledge units", "mean spillover pool S_i of the step"),
    Column("grid_gini", "float64", "", "Gini of organisation counts over a 10 x 10 grid"),
)


def organizations(state: State, scenario: BenchmarkScenario) -> dict[str, np.ndarray]:
    """Columns of the organizations table: live organisations, then exited ones."""
    orgs, gone = state.orgs, state.orgs.exited()
    live = {name: orgs[name] for name in ("org_id", "x", "y", "born", "parent")}
    live["exited"] = np.full(orgs.n, -1, dtype=np.int32)
    cols = {name: np.concatenate([live[name], gone[name]]) for name in live}
    n = len(cols["org_id"])
    return {
        **cols,
        "kind": np.full(n, "firm"),
        "region": cell_of(cols["x"], cols["y"], GRID),
        "field_focus": np.concatenate([_focus(orgs["k"]), _focus(gone["k"])]),
        "employees": np.full(n, -1),
    }


def _focus(k: np.ndarray) -> np.ndarray:
    # The field of largest knowledge; -1 (null in the table) for an organisation without any.
    return np.where(k.max(axis=1, initial=0.0) > 0, k.argmax(axis=1), -1)


MODEL = ModelSpec(
    name="benchmark",
    init=init,
    mechanisms=(
        ("spillover", spillover),
        ("innovation", innovation),
        ("depreciation", depreciation),
        ("spinoff", spinoff),
        ("exit", exit_),
    ),
    observe=observe,
    indicators=INDICATORS,
    organizations=organizations,
)


# --- kernels -------------------------------------------------------------------------------


def spillover_pool(
    x: np.ndarray, y: np.ndarray, k: np.ndarray, r: float, lam: float, s: float
) -> np.ndarray:
    """The spillover pool ``S_i`` of every organisation.

    Args:
        x, y: positions in the unit square, shape ``(n,)``.
        k: knowledge, shape ``(n, D)``, non-negative.
        r: neighbour radius (strict: ``d_ij < r``); lam: decay length; s: strength.

    Returns:
        ``S``, shape ``(n,)``.

    With unit vectors ``u_j = k_j / |k_j|`` (zero for a zero vector) the pool factorises as
    ``S_i = s * u_i . V_i`` with ``V_i = sum_j exp(-d_ij / lam) K_j u_j``: each pair costs one
    exponential and two D-wide multiply-adds. Pairs come from a cell grid of side ``r / 2``, each
    pair visited once. The pairs of a grid row write that row and the two above it, so rows are
    processed in three phases (row mod 3); within a phase rows run in parallel, no two threads
    write the same organisation, and every sum is added in an order that does not depend on the
    number of threads.
    """
    n = len(x)
    if n == 0:
        return np.zeros(0)
    grid = build_grid(x, y, r, reach=_REACH)
    xs, ys, units, totals = _gather(x, y, k, grid.order)
    pool_sorted = _pool_kernel(xs, ys, units, totals, grid.cell_start, grid.ncell, r, lam)
    pool = np.empty(n)
    pool[grid.order] = s * pool_sorted
    return pool


#: Grid cells per neighbour radius in the spillover kernel.
_REACH = 2


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
    field = np.zeros((n, dims))
    buffer = (2 * _REACH + 1) * (_REACH + 1) * np.diff(cell_start).max()
    for phase in range(_REACH + 1):
        for block in numba.prange((ncell - phase + _REACH) // (_REACH + 1)):
            row = (_REACH + 1) * block + phase
            near = np.empty(buffer, dtype=np.int64)
            dist2 = np.empty(buffer)
            for col in range(ncell):
                _cell_pairs(
                    xs, ys, units, totals, cell_start, ncell, row, col, r, lam, field, near, dist2
                )
    out = np.empty(n)
    for p in numba.prange(n):
        acc = 0.0
        for d in range(dims):
            acc += units[p, d] * field[p, d]
        out[p] = acc
    return out


@numba.njit(cache=True, inline="always")
def _cell_pairs(xs, ys, units, totals, cell_start, ncell, row, col, r, lam, field, near, dist2):
    # Pairs (p, q) with p in cell (row, col) and q later in the same row within _REACH cells
    # east, or in the _REACH rows above within _REACH cells either side: each pair once. Each
    # row's candidates are one contiguous run of the cell order.
    r2 = r * r
    inv_lam = 1.0 / lam
    dims = units.shape[1]
    c = row * ncell + col
    for p in range(cell_start[c], cell_start[c + 1]):
        m = 0
        for above in range(min(_REACH + 1, ncell - row)):
            base = (row + above) * ncell
            first = p + 1 if above == 0 else cell_start[base + max(col - _REACH, 0)]
            last = cell_start[base + min(col + _REACH + 1, ncell)]
            for q in range(first, last):
                dx = xs[q] - xs[p]
                dy = ys[q] - ys[p]
                d2 = dx * dx + dy * dy
                near[m] = q  # branch-free compaction of the candidates within r
                dist2[m] = d2
                m += d2 < r2
        _weights(dist2, m, inv_lam)
        for t in range(m):
            q = near[t]
            wq = dist2[t] * totals[q]
            wp = dist2[t] * totals[p]
            for d in range(dims):
                field[p, d] += wq * units[q, d]
                field[q, d] += wp * units[p, d]


# error_model="numpy" drops Python's zero-division checks, which keep the loop from vectorising;
# kept out of line, it compiles to vector square roots and exponentials.
@numba.njit(cache=True, error_model="numpy")
def _weights(dist2, m, inv_lam):
    # dist2[:m] (squared distances) becomes exp(-distance / lam), in place.
    for t in range(m):
        dist2[t] = exp_neg(-math.sqrt(dist2[t]) * inv_lam)


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
