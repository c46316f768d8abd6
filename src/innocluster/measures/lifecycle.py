"""Life-cycle stage of an industry or cluster from its firm counts, entries and exits.

The industry life cycle (Gort and Klepper 1982; Klepper 1996) runs through emergence (few firms,
entry starting), growth (the number of firms rises fast, entry exceeds exit), maturity (the
number of firms levels off), a shakeout (the number of firms falls from its peak while the
industry goes on: exit exceeds entry) and, in some industries, decline. Audretsch and Feldman
(1996) show that innovative activity clusters most in the early stages and disperses later, so
the stage conditions which forming mechanisms matter.

The rule, applied to each year from the series alone (documented in ``docs/measures.md``):

1. the growth rate ``g_t`` of the number of firms is the centred moving average, over
   ``window`` years, of ``N_t / N_{t-1} - 1`` (years with no firm before count as growth 0);
2. ``peak`` is the largest number of firms up to and including year ``t`` (no look-ahead);
3. the stage is, in this order of precedence:

   - ``emergence`` while ``N_t < emergence_share * peak_total``, the number of firms has not yet
     fallen from a peak, and exits do not exceed entries (``peak_total``: the series' maximum);
   - ``decline`` when ``N_t <= decline_share * peak`` after the peak;
   - ``shakeout`` when ``g_t < -threshold`` and ``N_t`` is below the running peak;
   - ``growth`` when ``g_t > threshold``;
   - ``maturity`` otherwise (``|g_t| <= threshold``).
"""

from __future__ import annotations

import numpy as np

from innocluster.errors import InnoclusterError

__all__ = ["STAGES", "lifecycle_stage", "shakeout", "exit_hazard", "cohort_survival"]

#: The stages, in their usual order.
STAGES = ("emergence", "growth", "maturity", "shakeout", "decline")


def lifecycle_stage(
    firms: np.ndarray,
    entries: np.ndarray | None = None,
    exits: np.ndarray | None = None,
    *,
    window: int = 3,
    threshold: float = 0.02,
    emergence_share: float = 0.25,
    decline_share: float = 0.5,
) -> np.ndarray:
    """The life-cycle stage of each year.

    Args:
        firms: number of firms (or organisations) per year, shape ``(T,)``.
        entries: entries per year, shape ``(T,)``; when omitted, the positive part of the
            change in ``firms`` (the first year's firms all entered in it).
        exits: exits per year, shape ``(T,)``; when omitted, the negative part of the change in
            ``firms``.
        window: years of the centred moving average of the growth rate (odd, >= 1).
        threshold: growth rate per year separating growth, maturity and shakeout.
        emergence_share: below this share of the series' largest number of firms, and before any
            fall, a year without net exit is emergence.
        decline_share: at or below this share of the running peak, after it, a year is decline.

    Returns:
        An array of stage names (one of :data:`STAGES`), shape ``(T,)``.

    References:
        Gort, M. and Klepper, S. (1982) Time paths in the diffusion of product innovations.
        *Economic Journal* 92(367), 630-653. doi:10.2307/2232554
        Klepper, S. (1996) Entry, exit, growth, and innovation over the product life cycle.
        *American Economic Review* 86(3), 562-583.
        Audretsch, D. B. and Feldman, M. P. (1996) Innovative clusters and the industry life
        cycle. *Review of Industrial Organization* 11, 253-273. doi:10.1007/BF00157670
    """
    n = np.asarray(firms, dtype=np.float64)
    if n.ndim != 1 or (n < 0).any():
        raise InnoclusterError(
            "The 'firms' parameter of lifecycle_stage must be a 1-D series of non-negative counts"
        )
    if window < 1 or window % 2 == 0:
        raise InnoclusterError(
            f"The 'window' parameter of lifecycle_stage must be an odd integer >= 1; got {window}"
        )
    change = np.diff(n, prepend=0.0)  # the first year's firms entered in it
    entries = np.maximum(change, 0) if entries is None else np.asarray(entries, dtype=float)
    exits = np.maximum(-change, 0) if exits is None else np.asarray(exits, dtype=float)
    if entries.shape != n.shape or exits.shape != n.shape:
        raise InnoclusterError(
            "lifecycle_stage: 'entries' and 'exits' must have the shape of 'firms'"
        )
    previous = np.concatenate([n[:1], n[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(previous > 0, n / previous - 1.0, 0.0)
    pad = window // 2
    smooth = np.convolve(np.pad(rate, pad, mode="edge"), np.ones(window) / window, "valid")
    peak = np.maximum.accumulate(n)
    below_peak = n < peak
    fallen = np.maximum.accumulate(below_peak)  # the series has fallen from a peak before
    stage = np.full(len(n), "maturity", dtype=object)
    stage[smooth > threshold] = "growth"
    stage[(smooth < -threshold) & below_peak] = "shakeout"
    stage[fallen & (n <= decline_share * peak)] = "decline"
    early = (n < emergence_share * (n.max() if len(n) else 0)) & ~fallen & (entries >= exits)
    stage[early] = "emergence"
    return stage.astype(str)


def shakeout(firms: np.ndarray) -> tuple[int, float]:
    """The peak of the number of firms and the fall from it: ``(peak index, fall)``.

    ``fall = 1 - min(N_t for t >= peak) / N_peak`` in [0, 1] (Klepper and Simons 2000 measure
    a shakeout as the fall of the number of producers from its peak). The first maximum is the
    peak; a series without firms gives ``(0, nan)``.
    """
    firms = np.asarray(firms, dtype=float)
    if len(firms) == 0 or firms.max() <= 0:
        return 0, float("nan")
    peak = int(firms.argmax())
    return peak, float(1.0 - firms[peak:].min() / firms[peak])


def exit_hazard(born: np.ndarray, exited: np.ndarray, end: int, ages: int) -> float:
    """Discrete-time exit hazard of a group of firms over their first ``ages`` years.

    ``exits at ages 0..ages-1 / firm-years at risk at those ages``; a firm still alive at the
    last year ``end`` is censored there. Ages are ``year - born``; a firm that exits at age
    ``a`` was at risk at ages ``0..a``.

    Args:
        born: entry year of each firm ``(n,)``.
        exited: exit year of each firm, or -1 (or NaN) if alive at ``end`` ``(n,)``.
        end: the last observed year.
        ages: how many years of age to count.

    Returns:
        The hazard in [0, 1], NaN if no firm-year is at risk.
    """
    born = np.asarray(born, dtype=float)
    exited = np.asarray(exited, dtype=float)
    gone = np.isfinite(exited) & (exited >= 0)
    last = np.where(gone, exited, end)  # the last year at risk
    at_risk = np.clip(np.minimum(last - born + 1, ages), 0, None)
    exits = gone & (exited - born < ages)
    total = at_risk.sum()
    return float(exits.sum() / total) if total > 0 else float("nan")


def cohort_survival(
    born: np.ndarray, exited: np.ndarray, end: int, width: int = 5, horizons=(5, 10, 20)
):
    """Survival of firms by entry cohort (Klepper and Simons 2000), as a table.

    Args:
        born: entry year of each firm ``(n,)``.
        exited: exit year of each firm, or -1 (or NaN) if alive at ``end`` ``(n,)``.
        end: the last observed year.
        width: years per entry cohort (cohort ``k`` entered in ``[k * width, (k+1) * width)``).
        horizons: ages at which survival is reported.

    Returns:
        A :class:`pandas.DataFrame`, one row per cohort with firms: ``cohort`` (first entry
        year), ``firms``, ``hazard_10`` (exit hazard over the first 10 years of age) and
        ``survive_<h>`` (share alive at age ``h``; NaN when a member's age ``h`` lies beyond
        ``end``).
    """
    import pandas as pd

    born = np.asarray(born, dtype=float)
    exited = np.asarray(exited, dtype=float)
    gone = np.isfinite(exited) & (exited >= 0)
    cohort = (born // width).astype(int)
    rows = []
    for k in np.unique(cohort):
        members = cohort == k
        row = {"cohort": int(k * width), "firms": int(members.sum())}
        row["hazard_10"] = exit_hazard(born[members], exited[members], end, 10)
        for h in horizons:
            observable = born[members].max() + h <= end
            alive = ~gone[members] | (exited[members] - born[members] >= h)
            row[f"survive_{h}"] = float(alive.mean()) if observable else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)
