"""The SECI knowledge spiral: socialisation, externalisation, combination, internalisation.

Nonaka and Takeuchi (1995): organisations create knowledge by converting it between its tacit
and explicit forms. All four conversions are computed from the state at the start of the step
and then applied, with ``A_i`` the absorptive capacity (Cohen and Levinthal 1990):

- **socialisation** (tacit to tacit): from alliance partners, in proportion to tie strength
  ``s_ij``, and from co-located organisations closer than ``r_tacit`` km (weight
  ``exp(-d / r_tacit)`` times technological proximity, the kernel of
  :mod:`innocluster.models.cluster.kernels`)::

      d tacit_i = socialisation * A_i * (sum_partners s_ij max(tacit_j - tacit_i, 0)
                                         + sum_near w_ij max(tacit_j - tacit_i, 0)) / max(W_i, 1)

  with ``W_i`` the sum of the partners' strengths and the neighbours' weights (a weighted mean
  where they sum to more than 1, so a crowd cannot push past what it knows)

- **externalisation** (tacit to explicit): ``externalisation * tacit_i`` is codified and added
  to explicit knowledge; it files ``Poisson(codified_i / units_per_patent)`` patents (firms,
  leaders, institutes), each in a field drawn in proportion to what was codified;
- **combination** (explicit to explicit, on the platform): a member draws towards the
  platform's pool with the platform's common-language factor ``language``::

      d explicit_i = combination * language * A_i * max(pool_i - explicit_i, 0)

  On a public platform the pool is the members' mean explicit knowledge per field, the same
  for all. On a private platform the owner and its partners see everything the members bring
  (the pool is the members' best per field: the owner's data advantage), while the other
  members, who pay a fee, draw towards the mean;
- **internalisation** (explicit to tacit): ``d tacit_i = internalisation * A_i *
  max(explicit_i - tacit_i, 0)``: codified knowledge becomes capability.

Depreciation is its own mechanism. What each organisation gains is recorded in its ``learned``
channels, which its patents' citations follow: socialisation from partners (``alliance``) and
from neighbours (``colocation``), in proportion to their parts of the gap, and combination
(``platform``).

What it reads and writes is declared once, as data, in :data:`CONTRACT`.
"""

from __future__ import annotations

import numba
import numpy as np

from innocluster.core.spec import Contract
from innocluster.core.state import State
from innocluster.models.cluster.kernels import gap_to_neighbours
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.models.cluster.state import (
    INTERMEDIARY,
    absorptive_capacity,
    alliance_rows,
    channel,
    draw_fields,
    file_patents,
    knowledge_stock,
    partner_ids,
)

__all__ = ["CONTRACT", "step", "partner_gaps"]


#: What the mechanism reads and writes (checked by the contract tests).
CONTRACT = Contract(
    sections=("knowledge", "seci", "space"),
    reads=("org_id", "kind", "x", "y", "tacit", "explicit", "member"),
    writes=("tacit", "explicit", "learned"),
    world_reads=("language", "platform_owner", "platform_age"),
    world_writes=("patents_filed",),
    flows=(
        "seci_socialization",
        "seci_externalization",
        "seci_combination",
        "seci_internalization",
        "seci_patents",
        "platform_owner_share",
    ),
    structure=("patents",),
)


@numba.njit(cache=True)
def partner_gaps(tacit, rows_a, rows_b, strength):
    """``sum_partners s_ij max(tacit_j - tacit_i, 0)`` per organisation, ``(n, D)``.

    One serial pass over the alliances (in their order, so the sums do not depend on threads).
    """
    n, dims = tacit.shape
    gain = np.zeros((n, dims))
    for k in range(len(rows_a)):
        a, b, s = rows_a[k], rows_b[k], strength[k]
        for d in range(dims):
            diff = tacit[b, d] - tacit[a, d]
            if diff > 0.0:
                gain[a, d] += s * diff
            else:
                gain[b, d] -= s * diff
    return gain


def step(state: State, scenario: ClusterScenario, rng: np.random.Generator) -> None:
    """One turn of the knowledge spiral; see the module docstring."""
    p, orgs, world, ties = scenario.seci, state.orgs, state.world, state.alliances
    tacit, explicit = orgs["tacit"], orgs["explicit"]
    n, D = tacit.shape
    able = (orgs["kind"] != INTERMEDIARY).astype(float)
    A = absorptive_capacity(knowledge_stock(tacit, explicit), scenario.knowledge.K_half) * able

    gap, weight = gap_to_neighbours(
        orgs["x"], orgs["y"], tacit, tacit + explicit, p.r_tacit, p.r_tacit, scenario.space.L
    )
    near = gap.sum(axis=1)
    if len(ties):
        rows_a, rows_b = alliance_rows(orgs, ties.a, ties.b)
        gap += partner_gaps(tacit, rows_a, rows_b, ties.strength)
        weight += np.bincount(np.r_[rows_a, rows_b], np.r_[ties.strength, ties.strength], n)
    members = (orgs["member"] == 1) & (world.platform_age > 0)
    pool = explicit[members].mean(axis=0) if members.any() else np.zeros(D)
    best = explicit[members].max(axis=0) if members.any() else np.zeros(D)
    favoured = np.zeros(n, dtype=bool)
    if members.any() and world.platform_owner >= 0:
        network = np.append(partner_ids(ties, world.platform_owner), world.platform_owner)
        favoured = np.isin(orgs["org_id"], network) & members
    _file_patents(state, tacit * able[:, None], p.externalisation, p.units_per_patent, rng)
    per_org = np.empty((n, 5))  # socialisation, externalisation, combination, internalisation,
    # and the combination of the favoured: summed afterwards in a fixed order (thread-free)
    _convert(
        tacit,
        explicit,
        A,
        able,
        gap,
        np.maximum(weight, 1.0),
        members,
        favoured,
        pool,
        best,
        p.socialisation,
        p.externalisation,
        p.combination * world.language,
        p.internalisation,
        per_org,
    )
    # Socialisation is linear in the gap: the partners' part of it is theirs.
    total = gap.sum(axis=1)
    from_near = np.divide(near, total, out=np.zeros(n), where=total > 0)
    learned = orgs["learned"]
    learned[:, channel("colocation")] += per_org[:, 0] * from_near
    learned[:, channel("alliance")] += per_org[:, 0] * (1.0 - from_near)
    learned[:, channel("platform")] += per_org[:, 2]
    totals = per_org.sum(axis=0)
    flows = state.flows
    flows["seci_socialization"] = float(totals[0])
    flows["seci_externalization"] = float(totals[1])
    flows["seci_combination"] = float(totals[2])
    flows["seci_internalization"] = float(totals[3])
    has_platform = members.any()
    flows["platform_owner_share"] = (
        float(totals[4] / totals[2]) if has_platform and totals[2] > 0 else float("nan")
    )


@numba.njit(parallel=True, cache=True)
def _convert(
    tacit, explicit, A, able, gap, weight, members, favoured, pool, best,
    soc, ext, comb, internal, per_org,
):  # fmt: skip
    # The four conversions of each organisation from its start-of-step knowledge, fused in one
    # pass over the (n, D) arrays; per_org receives each organisation's flows.
    n, dims = tacit.shape
    for i in numba.prange(n):
        s_sum = e_sum = c_sum = i_sum = 0.0
        for d in range(dims):
            t, e = tacit[i, d], explicit[i, d]
            social = soc * A[i] * gap[i, d] / weight[i]
            codified = ext * t * able[i]
            inward = internal * A[i] * max(e - t, 0.0)
            combined = 0.0
            if members[i]:
                target = best[d] if favoured[i] else pool[d]
                combined = comb * A[i] * max(target - e, 0.0)
            tacit[i, d] = t + social + inward
            explicit[i, d] = e + codified + combined
            s_sum += social
            e_sum += codified
            c_sum += combined
            i_sum += inward
        per_org[i, 0] = s_sum
        per_org[i, 1] = e_sum
        per_org[i, 2] = c_sum
        per_org[i, 3] = i_sum
        per_org[i, 4] = c_sum if favoured[i] else 0.0


def _file_patents(state: State, tacit, share: float, units_per_patent: float, rng) -> None:
    # Patents from what externalisation codifies this year (share * tacit, per field).
    counts = rng.poisson(share * tacit.sum(axis=1) / units_per_patent)
    owner = np.repeat(np.arange(state.orgs.n), counts)
    file_patents(state, owner, draw_fields(tacit, owner, rng.random(len(owner))))
    state.flows["seci_patents"] = float(len(owner))
