"""Citations: a new patent cites earlier patents through the channels its owner learned by.

A patent's citations are the trace of the knowledge flows that the literature measures (Jaffe,
Trajtenberg and Henderson 1993). Each patent filed this year (by research or by SECI's
externalisation) makes ``Poisson(per_patent)`` citations. Each citation is

- with probability ``background``, a **background** citation: a patent of the citing patent's
  field drawn uniformly from all earlier ones, wherever they are (the prior art an examiner
  adds: Alcacer, Gittelman and Sampat 2009);
- otherwise it follows a **channel** by which the citing organisation acquired knowledge, drawn
  in proportion to what it gained through each (its ``learned`` field, which the mechanisms
  that move knowledge write and which depreciates as knowledge does):

  ==============  =========================================================================
  channel         the source organisation whose patent is cited
  ==============  =========================================================================
  own             the organisation itself (a self-citation)
  spillover       a neighbour within ``spillover.r_geo`` km, weight ``exp(-d / lam)``
  alliance        an alliance partner, weight the tie's strength
  colocation      a neighbour within ``seci.r_tacit`` km, weight ``exp(-d / r_tacit)``
  mobility        a firm or leader within ``mobility.r_mob`` km, weight its employees
                  ``E_j - 1`` (the movers it can lose)
  platform        a member of the knowledge platform
  parent          a spin-off's parent (also after the parent's exit)
  frontier        the outside world: the cited patent lies outside the cluster (no id)
  ==============  =========================================================================

  and every weight is multiplied by the patents the source holds in the citing field, so that
  a source is cited for what it has patented there. An organisation that has learned nothing
  yet makes background citations.

The cited patent is drawn uniformly among the source's patents of the citing field filed
before this year. A citation whose channel offers no such patent (no neighbour has patented in
the field) is not made: the flow left no citable trace. The rows go to the citations table
(``citing``, ``cited``, ``year``, ``channel``); ``cited`` is ``-1`` (null in the table) for the
frontier.

The patents filed before this year are kept sorted by field, owner and id
(``world.patent_keys``, ``world.patent_index``), and each organisation's patents per field in
its ``held`` field; this year's patents join both after citing. Neighbours are found on a
cell grid, never among all pairs.

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from innocluster.core.space import build_grid, counting_sort
from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import CHANNELS, is_producer, patents_of_step

__all__ = ["CONTRACT", "FIELD_SHIFT", "step"]

#: A patent's key in the sorted index is ``field << FIELD_SHIFT | org_id``.
FIELD_SHIFT = 32

_CODE = {name: code for code, name in enumerate(CHANNELS)}

#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("citations", "mobility", "seci", "space", "spillover"),
    reads=("org_id", "kind", "x", "y", "employees", "member", "parent", "learned", "held"),
    writes=("held",),
    world_reads=("platform_age", "patent_keys", "patent_index"),
    world_writes=("patent_keys", "patent_index"),
    flows=("citations", "citations_unplaced"),
    structure=("citations",),
)


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One year of citing; see the module docstring."""
    p, orgs, world = scenario.citations, state.orgs, state.world
    new = patents_of_step(state.patents, state.step, ("patent_id", "org_id", "field"))
    row_of = np.full(orgs.next_id, -1, dtype=np.int64)
    row_of[orgs["org_id"]] = np.arange(orgs.n)
    owner = row_of[new["org_id"]]
    per = rng.poisson(p.per_patent, len(owner))
    which = np.repeat(np.arange(len(owner)), per)
    m = len(which)
    u = rng.random((m, 4))
    citing, field = owner[which], new["field"][which].astype(np.int64)

    code = _draw_channels(orgs["learned"], citing, u[:, 0], u[:, 1], p.background)

    source = _sources(state, scenario, code, citing, field, u[:, 2])
    cited = _cite(world.patent_keys, world.patent_index, code, source, field, u[:, 3])
    made = (cited >= 0) | (code == _CODE["frontier"])
    state.citations.append(
        {
            "citing": new["patent_id"][which][made],
            "cited": cited[made],
            "year": np.full(int(made.sum()), state.step, dtype=np.int32),
            "channel": code[made].astype(np.int8),
        }
    )
    _index(state, owner, new)
    state.flows["citations"] = float(made.sum())
    state.flows["citations_unplaced"] = float(m - made.sum())


def _sources(state, scenario, code, citing, field, u) -> np.ndarray:
    """The org id of each citation's source (``-1``: none; background and frontier have none)."""
    orgs, world = state.orgs, state.world
    held, L = orgs["held"], scenario.space.L
    x, y, ids = orgs["x"], orgs["y"], orgs["org_id"]
    row = np.full(len(code), -1, dtype=np.int64)

    def near(name, base, r, lam):
        at = np.flatnonzero(code == _CODE[name])
        if len(at):
            grid = build_grid(x, y, r, L)
            row[at] = _draw_near(
                x, y, base, held, grid.order, grid.cell_start, grid.ncell, L,
                citing[at], field[at], u[at], r, lam,
            )  # fmt: skip

    ones = np.ones(orgs.n)
    near("spillover", ones, scenario.spillover.r_geo, scenario.spillover.lam)
    near("colocation", ones, scenario.seci.r_tacit, scenario.seci.r_tacit)
    movers = np.where(is_producer(orgs["kind"]), np.maximum(orgs["employees"] - 1, 0), 0)
    near("mobility", movers.astype(float), scenario.mobility.r_mob, math.inf)

    at = np.flatnonzero(code == _CODE["alliance"])
    ties = state.alliances
    if len(at) and len(ties):
        row_of = np.full(orgs.next_id, -1, dtype=np.int64)
        row_of[ids] = np.arange(orgs.n)
        ends = np.r_[row_of[ties.a], row_of[ties.b]]
        others = np.r_[row_of[ties.b], row_of[ties.a]]
        strength = np.r_[ties.strength, ties.strength]
        order, start = counting_sort(ends, orgs.n)
        row[at] = _draw_partner(
            others[order], strength[order], start, held, citing[at], field[at], u[at]
        )

    at = np.flatnonzero(code == _CODE["platform"])
    members = np.flatnonzero(orgs["member"] == 1) if world.platform_age > 0 else []
    if len(at) and len(members):
        cum = np.cumsum(held[members], axis=0)  # (members, D)
        for d in np.unique(field[at]):
            these = at[field[at] == d]
            pick = np.searchsorted(cum[:, d], u[these] * cum[-1, d], side="right")
            row[these] = np.where(cum[-1, d] > 0, members[np.minimum(pick, len(members) - 1)], -1)

    source = np.where(row >= 0, ids[np.maximum(row, 0)], -1)
    source = np.where(code == _CODE["own"], ids[citing], source)
    return np.where(code == _CODE["parent"], orgs["parent"][citing], source)


@numba.njit(parallel=True, cache=True)
def _draw_channels(learned, citing, u_background, u_channel, background):
    # Each citation's channel code: background with probability `background` or when its
    # organisation has learned nothing, else channel c with probability learned_c / sum.
    out = np.empty(len(citing), dtype=np.int64)
    width = learned.shape[1]
    for k in numba.prange(len(citing)):
        i = citing[k]
        total = 0.0
        for c in range(width):
            total += learned[i, c]
        if u_background[k] < background or not total > 0.0:
            out[k] = width  # background, the code after the learned channels
            continue
        target, acc, pick = u_channel[k] * total, 0.0, width - 1
        for c in range(width):
            acc += learned[i, c]
            if acc > target:
                pick = c
                break
        out[k] = pick
    return out


def _cite(keys, index, code, source, field, u) -> np.ndarray:
    """The cited patent of each citation: uniform among its source's patents of the field."""
    return _cite_kernel(
        keys, index, code, source, field, u, _CODE["background"], _CODE["frontier"], FIELD_SHIFT
    )


@numba.njit(parallel=True, cache=True)
def _cite_kernel(keys, index, code, source, field, u, background, frontier, shift):
    # The patents of a (field, source) key, or of a whole field for background, are one run of
    # the sorted keys: two binary searches find it, a uniform picks in it; -1 when it is empty.
    out = np.full(len(code), -1, dtype=np.int64)
    for k in numba.prange(len(code)):
        if code[k] == frontier or (source[k] < 0 and code[k] != background):
            continue
        if code[k] == background:
            lo_key, hi_key = field[k] << shift, (field[k] + 1) << shift
        else:
            lo_key = (field[k] << shift) | source[k]
            hi_key = lo_key + 1
        lo = np.searchsorted(keys, lo_key)
        hi = np.searchsorted(keys, hi_key)
        if hi > lo:
            out[k] = index[lo + min(int(u[k] * (hi - lo)), hi - lo - 1)]
    return out


def _index(state, owner, new) -> None:
    # This year's patents join the sorted index and their owners' counts.
    orgs, world = state.orgs, state.world
    keys = (new["field"].astype(np.int64) << FIELD_SHIFT) | new["org_id"]
    order = np.argsort(keys, kind="stable")  # ids rise within a key
    at = np.searchsorted(world.patent_keys, keys[order], side="right")
    world.patent_keys = np.insert(world.patent_keys, at, keys[order])
    world.patent_index = np.insert(world.patent_index, at, new["patent_id"][order])
    held = orgs["held"]
    D = held.shape[1]
    held += np.bincount(owner * D + new["field"], minlength=orgs.n * D).reshape(orgs.n, D)


@numba.njit(parallel=True, cache=True)
def _draw_near(x, y, base, held, order, cell_start, ncell, extent, queries, fields, u, r, lam):
    # For each query (an organisation's row, a field, a uniform): a row j != i within r km,
    # drawn with weight base_j * held_jd * exp(-d_ij / lam); -1 when no weight. Two scans of
    # the 3 x 3 cells around i (sum, then find); one thread per query, no shared writes.
    out = np.full(len(queries), -1, dtype=np.int64)
    for k in numba.prange(len(queries)):
        args = (x, y, base, held, order, cell_start, ncell, extent, queries[k], fields[k], r, lam)
        total, _ = _scan(*args, np.inf)
        if total > 0.0:
            out[k] = _scan(*args, u[k] * total)[1]
    return out


@numba.njit(cache=True)
def _scan(x, y, base, held, order, cell_start, ncell, extent, i, d, r, lam, target):
    # The neighbours' weights in a fixed order: (their sum, -1) when the running sum never
    # passes target, else (the sum so far, the neighbour at which it does).
    scale = ncell / extent
    cx = min(int(x[i] * scale), ncell - 1)
    cy = min(int(y[i] * scale), ncell - 1)
    acc = 0.0
    for row in range(max(cy - 1, 0), min(cy + 2, ncell)):
        for col in range(max(cx - 1, 0), min(cx + 2, ncell)):
            c = row * ncell + col
            for p in range(cell_start[c], cell_start[c + 1]):
                j = order[p]
                dx, dy = x[j] - x[i], y[j] - y[i]
                dist2 = dx * dx + dy * dy
                if j == i or dist2 >= r * r:
                    continue
                acc += base[j] * held[j, d] * math.exp(-math.sqrt(dist2) / lam)
                if acc > target:
                    return acc, j
    return acc, -1


@numba.njit(parallel=True, cache=True)
def _draw_partner(others, strength, start, held, queries, fields, u):
    # For each query: a partner row drawn with weight strength * held_jd; -1 when no weight.
    out = np.full(len(queries), -1, dtype=np.int64)
    for k in numba.prange(len(queries)):
        i, d = queries[k], fields[k]
        total = 0.0
        for p in range(start[i], start[i + 1]):
            total += strength[p] * held[others[p], d]
        if total <= 0.0:
            continue
        target, acc = u[k] * total, 0.0
        for p in range(start[i], start[i + 1]):
            acc += strength[p] * held[others[p], d]
            if acc > target:
                out[k] = others[p]
                break
    return out
