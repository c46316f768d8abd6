"""Phase of a cluster and the knowledge governance it calls for.

A cluster's phase is its knowledge attribute (knowledge stock) crossed with its organisational
attribute (alliance stock), each scored high or low against a reference (seed
``004_70e059df8064ca9b.txt``; DESIGN.md section 4.2). The recommendation follows the seed:

================ ============ ================= =========================================
knowledge stock  alliances    action            recommendation
================ ============ ================= =========================================
low              low          ``supply``        increase the supply of knowledge
high             low          ``connect``       connect knowledge suppliers with users
high             high         ``platform``      build a knowledge-sharing platform with a
                                                common culture and language
low              high         ``supply_network`` supply knowledge through the network and
                                                from outside
================ ============ ================= =========================================

The simulator's governance mechanism and the diagnosis of real data call the same functions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError

__all__ = ["PHASES", "phase_of", "phase_at", "leave_one_out_median", "diagnose_phase"]

#: (knowledge high, alliances high) -> (phase, action, recommendation).
PHASES: dict[tuple[bool, bool], tuple[str, str, str]] = {
    (False, False): (
        "low knowledge, few alliances",
        "supply",
        "increase the supply of knowledge (fund research institutes and R&D, attract "
        "knowledge-rich organisations)",
    ),
    (True, False): (
        "high knowledge, few alliances",
        "connect",
        "connect knowledge suppliers with users (intermediaries, matching, joint projects)",
    ),
    (True, True): (
        "high knowledge, many alliances",
        "platform",
        "build a knowledge-sharing platform with a common culture and language",
    ),
    (False, True): (
        "low knowledge, many alliances",
        "supply_network",
        "supply knowledge through the network and from outside (absorb from partners and the "
        "frontier)",
    ),
}


def phase_of(knowledge_high: np.ndarray, alliances_high: np.ndarray) -> tuple[np.ndarray, ...]:
    """Phase, action and recommendation of each unit from its two high/low scores.

    Args:
        knowledge_high: whether each unit's knowledge stock scores high, bool, shape ``(R,)``.
        alliances_high: whether each unit's alliance stock scores high, bool, shape ``(R,)``.

    Returns:
        ``(phase, action, recommendation)``, three string arrays of shape ``(R,)``.
    """
    k = np.asarray(knowledge_high, dtype=bool)
    a = np.asarray(alliances_high, dtype=bool)
    code = 2 * k + a  # 0: low/low, 1: low/high, 2: high/low, 3: high/high
    table = [
        PHASES[(False, False)],
        PHASES[(False, True)],
        PHASES[(True, False)],
        PHASES[(True, True)],
    ]
    return tuple(
        np.array([row[i] for row in table], dtype=object)[code].astype(str) for i in range(3)
    )


def phase_at(
    knowledge: float, alliances: float, thresholds: tuple[float, float]
) -> tuple[str, str]:
    """Phase and action of one cluster whose stocks are scored against fixed cut-offs.

    The same as one row of :func:`diagnose_phase` with ``reference="thresholds"`` (a stock is
    high when it exceeds its cut-off), without building a table: the simulator diagnoses itself
    with it every year.

    Args:
        knowledge: the knowledge stock (any unit the cut-off shares).
        alliances: the alliance stock.
        thresholds: the cut-offs ``(knowledge, alliances)``.

    Returns:
        ``(phase, action)``, e.g. ``("high knowledge, few alliances", "connect")``.
    """
    phase, action, _ = PHASES[(bool(knowledge > thresholds[0]), bool(alliances > thresholds[1]))]
    return phase, action


def leave_one_out_median(values: np.ndarray) -> np.ndarray:
    """The median of the *other* values, for each value: the reference "the other regions".

    Computed in O(R log R) from the order statistics. Shape ``(R,)`` -> ``(R,)``; needs R >= 2.
    """
    v = np.asarray(values, dtype=np.float64)
    n = len(v)
    if n < 2:
        raise InnoclusterError("leave_one_out_median needs at least two values")
    order = np.argsort(v, kind="stable")
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n)
    s = v[order]

    def kth_without(k: int) -> np.ndarray:
        # The k-th smallest (0-based) of the others: skip one place at or above one's own rank.
        return np.where(ranks <= k, s[np.minimum(k + 1, n - 1)], s[k])

    m = n - 1
    if m % 2:
        return kth_without(m // 2)
    return 0.5 * (kth_without(m // 2 - 1) + kth_without(m // 2))


def diagnose_phase(
    knowledge: np.ndarray,
    alliances: np.ndarray,
    units: Sequence | None = None,
    *,
    reference: str = "others",
    thresholds: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Score each unit's knowledge and alliance stocks high or low and recommend governance.

    Args:
        knowledge: knowledge stock per unit (region, cluster), shape ``(R,)``.
        alliances: alliance stock per unit, shape ``(R,)``; use the same scale for every unit
            (counts, or per organisation when units differ in size).
        units: names of the units (default ``0..R-1``).
        reference: ``"others"``: a unit is high when its value exceeds the median of the other
            units (needs R >= 2); ``"median"``: the median of all units; ``"thresholds"``: the
            fixed ``thresholds`` (knowledge, alliances).
        thresholds: with ``reference="thresholds"``, the two cut-offs.

    Returns:
        One row per unit: ``unit``, ``knowledge``, ``knowledge_reference``, ``knowledge_level``
        (high/low), ``alliances``, ``alliance_reference``, ``alliance_level``, ``phase``,
        ``action``, ``recommendation`` and ``evidence`` (the numbers behind the verdict, in
        words). A value equal to its reference scores low.
    """
    k = np.asarray(knowledge, dtype=np.float64)
    a = np.asarray(alliances, dtype=np.float64)
    if k.shape != a.shape or k.ndim != 1:
        raise InnoclusterError(
            "diagnose_phase: 'knowledge' and 'alliances' must be 1-D arrays of the same length; "
            f"got shapes {k.shape} and {a.shape}"
        )
    if reference == "others":
        k_ref, a_ref, how = leave_one_out_median(k), leave_one_out_median(a), "median of the others"
    elif reference == "median":
        k_ref = np.full(len(k), np.median(k))
        a_ref = np.full(len(a), np.median(a))
        how = "median of all units"
    elif reference == "thresholds":
        if thresholds is None:
            raise InnoclusterError("diagnose_phase: reference='thresholds' needs 'thresholds'")
        k_ref, a_ref = np.full(len(k), thresholds[0]), np.full(len(a), thresholds[1])
        how = "fixed threshold"
    else:
        raise InnoclusterError(
            "The 'reference' parameter of diagnose_phase must be one of 'others', 'median', "
            f"'thresholds'; got {reference!r}"
        )
    k_high, a_high = k > k_ref, a > a_ref
    phase, action, advice = phase_of(k_high, a_high)
    level = np.array(["low", "high"])
    names = list(range(len(k))) if units is None else list(units)
    evidence = [
        f"knowledge stock {kv:.4g} is {level[int(kh)]} against {kr:.4g} ({how}); alliance "
        f"stock {av:.4g} is {level[int(ah)]} against {ar:.4g} ({how})"
        for kv, kr, kh, av, ar, ah in zip(k, k_ref, k_high, a, a_ref, a_high, strict=True)
    ]
    return pd.DataFrame(
        {
            "unit": names,
            "knowledge": k,
            "knowledge_reference": k_ref,
            "knowledge_level": level[k_high.astype(int)],
            "alliances": a,
            "alliance_reference": a_ref,
            "alliance_level": level[a_high.astype(int)],
            "phase": phase,
            "action": action,
            "recommendation": advice,
            "evidence": evidence,
        }
    )
