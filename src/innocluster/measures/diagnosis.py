"""Diagnose a cluster from its tables: its phase and governance, and its forming mechanisms.

The two questions of the seeds, answered from the cluster tables (organizations, patents,
alliances) of a simulated run or of real data:

1. **Phase and governance** (seed ``004_70e059df8064ca9b.txt``; DESIGN.md 4.2): each region's
   knowledge stock (perpetual inventory of its patents) and alliance stock (alliances active with
   one of its organisations) in the diagnosed year, scored high or low against a reference, give
   its phase and the governance it calls for (:func:`~innocluster.measures.phase.diagnose_phase`).
2. **Forming mechanisms** (seed ``000_3bff078fec5296ad.txt``: "the problems ... are associated
   with the lack of forming mechanism"; DESIGN.md 4.3): one indicator per mechanism, each with
   its value, the rule that judges it and a verdict (``present`` or ``lacking``; the life-cycle
   stage is context):

   - *spillover*: with a citations table, the localisation of the knowledge flows themselves
     (Jaffe, Trajtenberg and Henderson 1993): the share of the last ``window`` years' citations
     whose citing and cited patents lie in one region, against field-year matched controls;
     lacking unless the 95% bootstrap interval of the ratio lies above 1. Without citations,
     the spatial autocorrelation of the regions' knowledge stocks (Moran's I over the 4 nearest
     regions, 999 seeded permutations); lacking unless ``I > 0`` with ``p < alpha``
     (innovation does not concentrate in neighbouring regions). Moran's I is in the evidence
     either way;
   - *entrepreneurship*: entries per year over the last ``window`` years, per organisation alive,
     and the share of them that are spin-offs; lacking below ``min_entry_rate``;
   - *government*: the share of public organisations (institutes and intermediaries, which the
     simulator's government funds) among those alive; lacking below ``min_public_share``;
   - *life cycle*: the stage of the number of organisations over time
     (:func:`~innocluster.measures.lifecycle.lifecycle_stage`).

The rules are thresholds, stated with every verdict; change them with
:class:`MechanismRules`. Every verdict carries the numbers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError
from innocluster.measures._cluster_tables import (
    citations_of,
    cluster_frames,
    life_cycle,
    localisation_by,
)
from innocluster.measures.knowledge import DEPRECIATION, patent_stock
from innocluster.measures.moran_i import moran
from innocluster.measures.phase import diagnose_phase
from innocluster.measures.weights import knn

__all__ = ["MechanismRules", "Diagnosis", "diagnose"]

#: Organisation kinds counted as public (funded by government) in the government indicator.
PUBLIC_KINDS = ("institute", "intermediary")


@dataclass(frozen=True)
class MechanismRules:
    """The thresholds that call a forming mechanism lacking (all stated in the verdicts)."""

    alpha: float = 0.05
    min_entry_rate: float = 0.02
    min_public_share: float = 0.05
    window: int = 5
    neighbours: int = 4
    permutations: int = 999
    seed: int = 0


@dataclass(frozen=True)
class Diagnosis:
    """What :func:`diagnose` found.

    Attributes:
        year: the year (step) diagnosed.
        focus: the region the verdict is about.
        phase: the focus region's row of :attr:`regions`.
        regions: one row per region: stocks, references, levels, phase, action,
            recommendation, evidence (see :func:`~innocluster.measures.phase.diagnose_phase`).
        mechanisms: one row per forming mechanism: ``mechanism``, ``indicator``, ``value``,
            ``rule``, ``verdict``, ``evidence``.
    """

    year: int
    focus: Any
    phase: dict[str, Any]
    regions: pd.DataFrame = field(repr=False)
    mechanisms: pd.DataFrame = field(repr=False)

    @property
    def lacking(self) -> list[str]:
        """The forming mechanisms judged lacking."""
        return self.mechanisms.loc[self.mechanisms["verdict"] == "lacking", "mechanism"].tolist()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "year": self.year,
            "focus": _plain(self.focus),
            "phase": {k: _plain(v) for k, v in self.phase.items()},
            "lacking": self.lacking,
            "mechanisms": _records(self.mechanisms),
            "regions": _records(self.regions),
        }


def diagnose(
    tables: Any,
    *,
    region: Any = None,
    year: int | None = None,
    reference: str = "others",
    thresholds: tuple[float, float] | None = None,
    per_organisation: bool = False,
    depreciation: float = DEPRECIATION,
    rules: MechanismRules = MechanismRules(),
) -> Diagnosis:
    """Phase, governance and forming mechanisms of a cluster, from its tables.

    Args:
        tables: the cluster tables (``docs/data-formats.md``): a mapping with the DataFrames
            ``organizations``, ``patents`` and ``alliances``, or a :class:`~innocluster.Run`.
            This function reads no file: load a data folder first
            (:func:`innocluster.load_tables`), or call :func:`innocluster.diagnose`, which
            reads a folder and a reference file (:mod:`innocluster.data.sources`).
        region: the region to diagnose (default: the region with most organisations alive).
        year: the year (step) to diagnose (default: the last year in the tables).
        reference: how the regions' stocks are scored high or low (see
            :func:`~innocluster.measures.phase.diagnose_phase`): ``"others"`` (the median of the
            other regions), ``"median"`` (of all regions) or ``"thresholds"``.
        thresholds: with ``reference="thresholds"``, the two cut-offs ``(knowledge,
            alliances)``, such as a reference cluster's stocks.
        per_organisation: score stocks per organisation alive in the region (for regions of
            different sizes) instead of totals.
        depreciation: annual depreciation of the knowledge stock.
        rules: the thresholds of the forming-mechanism verdicts.

    Raises:
        InnoclusterError: ``tables`` or ``reference`` is a path, a column is missing, there are
            no organisations with a region, or the focus region is unknown.
    """
    organizations, patents, alliances = cluster_frames(tables, "diagnose")
    if str(reference).endswith(".toml"):
        raise InnoclusterError(
            f"diagnose: the reference '{reference}' is a file, and measures read no file: pass "
            "its stocks as thresholds=(knowledge, alliances) with reference='thresholds', or "
            "diagnose with innocluster.diagnose, which reads it"
        )
    _require(
        organizations,
        ("org_id", "kind", "x", "y", "region", "born", "exited", "parent"),
        "organizations",
    )
    _require(patents, ("org_id", "year"), "patents")
    _require(alliances, ("org_a", "org_b", "start", "end"), "alliances")
    orgs = organizations[organizations["region"].notna()]
    if orgs.empty:
        raise InnoclusterError("diagnose: no organisation has a region")
    if year is None:
        candidates = [orgs["born"].max(), orgs["exited"].max(), patents["year"].max()]
        year = int(max(v for v in candidates if pd.notna(v)))
    alive = orgs[(orgs["born"] <= year) & ~(orgs["exited"] <= year).fillna(False)]
    regions = np.sort(orgs["region"].unique().astype(np.int64))
    size = alive["region"].value_counts().reindex(regions, fill_value=0)
    if region is None:
        region = int(size.idxmax())
    if region not in set(regions.tolist()):
        raise InnoclusterError(f"diagnose: region {region!r} has no organisation")

    knowledge = _knowledge_by_region(orgs, patents, regions, year, depreciation)
    links = _alliances_by_region(orgs, alliances, regions, year)
    if per_organisation:
        scale = np.maximum(size.to_numpy(dtype=float), 1.0)
        knowledge, links = knowledge / scale, links / scale
    table = diagnose_phase(
        knowledge, links, units=regions.tolist(), reference=reference, thresholds=thresholds
    )
    phase = table.loc[table["unit"] == region].iloc[0].to_dict()
    mechanisms = pd.DataFrame(
        [
            _spillover(
                orgs,
                regions,
                knowledge,
                _local_ties(alive, alliances, year),
                _flows(citations_of(tables), orgs, patents, year, rules),
                rules,
            ),
            _entrepreneurship(orgs, alive, year, rules),
            _government(alive, rules),
            life_cycle(orgs, year),
        ]
    )
    return Diagnosis(year=year, focus=region, phase=phase, regions=table, mechanisms=mechanisms)


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InnoclusterError(f"diagnose: the {name} table has no column {missing[0]}")


def _knowledge_by_region(orgs, patents, regions, year, depreciation) -> np.ndarray:
    located = patents.merge(orgs[["org_id", "region"]], on="org_id", how="inner")
    located = located[located["year"] <= year]
    if located.empty:
        return np.zeros(len(regions))
    first = int(located["year"].min())
    stock = patent_stock(
        located, by="region", years=range(first, year + 1), depreciation=depreciation
    )
    return stock.iloc[-1].reindex(regions, fill_value=0.0).to_numpy(dtype=float)


def _alliances_by_region(orgs, alliances, regions, year) -> np.ndarray:
    end = alliances["end"].to_numpy(dtype=np.float64, na_value=np.inf)
    active = alliances[(alliances["start"].to_numpy() <= year) & (end > year)]
    where = orgs.set_index("org_id")["region"]
    ends = (
        pd.DataFrame(
            {
                "link": np.tile(np.arange(len(active)), 2),
                "region": np.concatenate([active["org_a"].map(where), active["org_b"].map(where)]),
            }
        )
        .dropna()
        .drop_duplicates()
    )  # an alliance within one region counts once there
    counts = ends["region"].astype(np.int64).value_counts()
    return counts.reindex(regions, fill_value=0).to_numpy(dtype=float)


def _local_ties(alive, alliances, year) -> str:
    # Alliances whose partners share a region, against random pairing of organisations alive.
    end = alliances["end"].to_numpy(dtype=np.float64, na_value=np.inf)
    active = alliances[(alliances["start"].to_numpy() <= year) & (end > year)]
    where = alive.set_index("org_id")["region"]
    a, b = active["org_a"].map(where), active["org_b"].map(where)
    both = a.notna() & b.notna()
    if not both.any():
        return "no active alliance between organisations alive"
    share = float((a[both] == b[both]).mean())
    chance = float(((alive["region"].value_counts() / len(alive)) ** 2).sum())
    return (
        f"{share:.0%} of {int(both.sum()):,} active alliances are inside one region "
        f"({chance:.0%} under random pairing)"
    )


def _flows(citations, orgs, patents, year, rules) -> dict[str, Any] | None:
    # The same-region row of the localisation test over the last `window` years' citations.
    if citations is None:
        return None
    first = year - rules.window + 1
    table, counts = localisation_by(
        citations, orgs, patents, year, (), first=first, seed=rules.seed
    )
    if table is None:
        return None
    return {**table.iloc[0].to_dict(), "outside": counts["outside"], "first": first}


def _spillover(orgs, regions, knowledge, ties, flows, rules) -> dict[str, Any]:
    moran_row = _moran(orgs, regions, knowledge, ties, rules)
    if flows is None:
        return moran_row
    present = flows["ratio_low"] > 1.0
    evidence = (
        f"{flows['share_cite']:.1%} of {flows['citations']:,} citations made in "
        f"{flows['first']}-{int(flows['first']) + rules.window - 1} come from the cited patent's "
        f"region, against {flows['share_control']:.1%} of field-year controls: ratio "
        f"{flows['ratio']:.2f}, 95% interval {flows['ratio_low']:.2f}-{flows['ratio_high']:.2f} "
        f"({flows['self_citations']:,} self-citations and {flows['outside']:,} citations of "
        f"patents outside the data left out); {moran_row['indicator']}: "
        f"{moran_row['evidence']}"
    )
    return {
        "mechanism": "spillover",
        "indicator": "same-region share of citations against matched controls (JTH 1993)",
        "value": float(flows["ratio"]),
        "rule": "the 95% bootstrap interval of the ratio lies above 1",
        "verdict": "present" if present else "lacking",
        "evidence": evidence,
    }


def _moran(orgs, regions, knowledge, ties, rules) -> dict[str, Any]:
    rule = f"I > 0 with p < {rules.alpha} (Moran's I, {rules.neighbours} nearest regions)"
    row = {"mechanism": "spillover", "indicator": "Moran's I of knowledge stock", "rule": rule}
    if len(regions) <= rules.neighbours or np.ptp(knowledge) == 0:
        why = (
            "no variation of knowledge stock across regions"
            if np.ptp(knowledge) == 0
            else f"only {len(regions)} regions"
        )
        return {**row, "value": float("nan"), "verdict": "lacking", "evidence": f"{why}; {ties}"}
    centroids = orgs.groupby("region")[["x", "y"]].mean().reindex(regions).to_numpy()
    result = moran(
        knowledge,
        knn(centroids, rules.neighbours),
        permutations=rules.permutations,
        alternative="greater",
        seed=rules.seed,
    )
    present = result.I > 0 and result.p_sim < rules.alpha
    evidence = (
        f"I = {result.I:.3f} (expected {result.EI:.3f} without spillover), "
        f"pseudo p = {result.p_sim:.3f} from {rules.permutations} permutations; {ties}"
    )
    return {
        **row,
        "value": float(result.I),
        "verdict": "present" if present else "lacking",
        "evidence": evidence,
    }


def _entrepreneurship(orgs, alive, year, rules) -> dict[str, Any]:
    first = year - rules.window + 1
    entrants = orgs[(orgs["born"] >= max(first, 1)) & (orgs["born"] <= year)]
    years = year - max(first, 1) + 1
    rate = len(entrants) / years / max(len(alive), 1) if years > 0 else 0.0
    spinoffs = float(entrants["parent"].notna().mean()) if len(entrants) else 0.0
    return {
        "mechanism": "entrepreneurship",
        "indicator": f"entries per year per organisation, last {rules.window} years",
        "value": rate,
        "rule": f"at least {rules.min_entry_rate}",
        "verdict": "present" if rate >= rules.min_entry_rate else "lacking",
        "evidence": (
            f"{len(entrants):,} entries over {years} years for {len(alive):,} "
            f"organisations alive; {spinoffs:.0%} of them spin-offs"
        ),
    }


def _government(alive, rules) -> dict[str, Any]:
    public = alive["kind"].isin(PUBLIC_KINDS)
    share = float(public.mean()) if len(alive) else 0.0
    return {
        "mechanism": "government",
        "indicator": "share of institutes and intermediaries among organisations",
        "value": share,
        "rule": f"at least {rules.min_public_share}",
        "verdict": "present" if share >= rules.min_public_share else "lacking",
        "evidence": f"{int(public.sum()):,} public organisations of {len(alive):,} alive",
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
