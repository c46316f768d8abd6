"""The SECI knowledge spiral: socialisation, externalisation, combination, internalisation.

Nonaka and Takeuchi (1995): organisations create knowledge by converting it between its tacit
and explicit forms. All four conversions are computed from the state at the start of the step
and then applied, with ``A_i`` the absorptive capacity (Cohen and Levinthal 1990):

- **socialisation** (tacit to tacit): from alliance partners, in proportion to tie strength
  ``s_ij``, and from co-located organisations closer than ``r_tacit`` km (weight
  ``exp(-d / r_tacit)`` times technological proximity, the kernel of
  :mod:`innocluster.knowledge_gap`)::

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

Depreciation is its own mechanism. Reads ``kind, x, y, tacit, explicit, member``, the alliances
and the world's ``language`` and ``platform_owner``. Writes ``tacit, explicit``; appends
patents. Flows: ``seci_socialization``, ``seci_externalization``, ``seci_combination``,
``seci_internalization`` (units), ``seci_patents``, ``platform_owner_share`` (share of the
combination gain that went to a private platform's owner and its partners; 0 on a public
platform, NaN without a platform).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from innocluster.cluster_parameters import ClusterScenario
from innocluster.cluster_state import (
    INTERMEDIARY,
    absorptive_capacity,
    alliance_rows,
    draw_fields,
    file_patents,
    knowledge_stock,
    partner_ids,
)
from innocluster.knowledge_gap import gap_to_neighbours
from innocluster.state import State

__all__ = ["step", "partner_gaps"]


def partner_gaps(tacit, rows_a, rows_b, strength) -> np.ndarray:
    """``sum_partners s_ij max(tacit_j - tacit_i, 0)`` per organisation, ``(n, D)``."""
    n = len(tacit)
    diff = tacit[rows_b] - tacit[rows_a]
    values = np.concatenate(
        [strength[:, None] * np.maximum(diff, 0.0), strength[:, None] * np.maximum(-diff, 0.0)]
    )
    receiver = np.concatenate([rows_a, rows_b])
    gather = sp.csr_matrix(
        (np.ones(len(receiver)), (receiver, np.arange(len(receiver)))), shape=(n, len(receiver))
    )
    return np.asarray(gather @ values)


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
    if len(ties):
        rows_a, rows_b = alliance_rows(orgs, ties.a, ties.b)
        gap += partner_gaps(tacit, rows_a, rows_b, ties.strength)
        weight += np.bincount(np.r_[rows_a, rows_b], np.r_[ties.strength, ties.strength], n)
    social = p.socialisation * A[:, None] * gap / np.maximum(weight, 1.0)[:, None]

    codified = p.externalisation * tacit * able[:, None]
    internal = p.internalisation * A[:, None] * np.maximum(explicit - tacit, 0.0)

    combined = np.zeros_like(explicit)
    owner_share = float("nan")
    members = orgs["member"] == 1
    if members.any() and world.platform_age > 0:
        pool = np.broadcast_to(explicit[members].mean(axis=0), explicit.shape).copy()
        favoured = np.zeros(n, dtype=bool)
        if world.platform_owner >= 0:
            network = np.append(partner_ids(ties, world.platform_owner), world.platform_owner)
            favoured = np.isin(orgs["org_id"], network) & members
            pool[favoured] = explicit[members].max(axis=0)
        rate = p.combination * world.language * A * members
        combined = rate[:, None] * np.maximum(pool - explicit, 0.0)
        total = combined.sum()
        owner_share = float(combined[favoured].sum() / total) if total > 0 else float("nan")

    tacit += social + internal
    explicit += codified + combined
    _file_patents(state, codified, p.units_per_patent, rng)
    flows = state.flows
    flows["seci_socialization"] = float(social.sum())
    flows["seci_externalization"] = float(codified.sum())
    flows["seci_combination"] = float(combined.sum())
    flows["seci_internalization"] = float(internal.sum())
    flows["platform_owner_share"] = owner_share


def _file_patents(state: State, codified: np.ndarray, units_per_patent: float, rng) -> None:
    counts = rng.poisson(codified.sum(axis=1) / units_per_patent)
    owner = np.repeat(np.arange(state.orgs.n), counts)
    file_patents(state, owner, draw_fields(codified, owner, rng.random(len(owner))))
    state.flows["seci_patents"] = float(len(owner))
