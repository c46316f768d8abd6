"""Every measure of a cluster from its tables in one call: the profile of ``innocluster measure``.

The profile is plain data (numbers, lists, short strings) in sections, for a simulated run or
for real data in the cluster tables:

- ``size``: organisations alive by kind, patents, active alliances, the year;
- ``geography``: organisations and patents per region; the locational Gini of each; the Hoover
  coefficient of patents against organisations; Moran's I of patents over the 4 nearest regions;
  the Ellison-Glaeser index of each technology field (organisations as plants, their patents as
  employment);
- ``technology``: the region x field patent matrix's RCA specialisations, diversity, ubiquity,
  ECI and PCI, and the cluster's entropy over fields;
- ``network``: the alliance network of the year (every organisation alive a node);
- ``knowledge``: the cluster's knowledge stock, and the alliance stock;
- ``knowledge_flows``: the citations made up to the year (when the tables have them): how many,
  the share citing patents outside the data, the share by channel (simulated data), and the
  localisation test of Jaffe, Trajtenberg and Henderson (1993) in the same region and within
  :data:`DISTANCES` km (:func:`~innocluster.measures.localisation.citation_localisation`);
- ``life_cycle``: the stage of the number of organisations, year by year;
- ``diagnosis``: :func:`~innocluster.measures.diagnosis.diagnose`.

A section whose data the tables lack says so (``{"missing": "..."}``) instead of failing; each
section records the seconds it took.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from innocluster.measures._cluster_tables import (
    citations_of,
    cluster_frames,
    life_cycle,
    localisation_by,
)
from innocluster.measures.complexity import complexity_indices
from innocluster.measures.concentration import ellison_glaeser, hoover, locational_gini
from innocluster.measures.diagnosis import diagnose
from innocluster.measures.knowledge import alliance_stock, patent_stock
from innocluster.measures.moran_i import moran
from innocluster.measures.network import network_summary
from innocluster.measures.technology import diversity, entropy, specialisation, ubiquity
from innocluster.measures.weights import knn

__all__ = ["DISTANCES", "measure_cluster", "profile_rows"]

#: Distances (km) of the localisation test of citations in the profile: from a neighbourhood to
#: a metropolitan area and a region of a country (a choice; the measure takes any).
DISTANCES = (5.0, 10.0, 25.0, 50.0, 100.0)


def measure_cluster(tables: Any, year: int | None = None, seed: int = 0) -> dict[str, Any]:
    """The profile of a cluster (see the module docstring).

    Args:
        tables: a :class:`~innocluster.Run`, or a mapping of the ``organizations``,
            ``patents`` and ``alliances`` DataFrames (load a folder first:
            :func:`innocluster.load_tables`; this function reads no file).
        year: the year (step) measured; default the last in the tables.
        seed: seed of the permutation inference.

    Returns:
        ``{section: {...}}`` of plain data; ``seconds`` per section.
    """
    orgs, patents, alliances = cluster_frames(tables, "measure_cluster")
    frames = {"organizations": orgs, "patents": patents, "alliances": alliances}
    if year is None:
        values = [orgs["born"].max(), orgs["exited"].max(), patents["year"].max()]
        year = int(max(v for v in values if pd.notna(v)))
    alive = orgs[(orgs["born"] <= year) & ~(orgs["exited"] <= year).fillna(False)]
    patents = patents[patents["year"] <= year]
    regions = np.sort(orgs["region"].dropna().unique().astype(np.int64))
    sections: dict[str, Callable[[], dict[str, Any]]] = {
        "size": lambda: _size(alive, patents, alliances, year),
        "geography": lambda: _geography(orgs, alive, patents, regions, seed),
        "technology": lambda: _technology(orgs, patents, regions),
        "network": lambda: _network(alive, alliances, year),
        "knowledge": lambda: _knowledge(patents, alliances, alive, year),
        "knowledge_flows": lambda: _knowledge_flows(
            citations_of(tables), orgs, patents, year, seed
        ),
        "life_cycle": lambda: life_cycle(orgs, year),
        "diagnosis": lambda: diagnose(frames, year=year).to_dict(),
    }
    out: dict[str, Any] = {"year": year, "seconds": {}}
    for name, compute in sections.items():
        start = time.perf_counter()
        out[name] = _plain(compute())
        out["seconds"][name] = round(time.perf_counter() - start, 4)
    return out


def profile_rows(profile: dict[str, Any]) -> pd.DataFrame:
    """A profile as a long table, one row per entry of each section.

    The columns are ``section``, ``measure``, ``value`` (numbers) and ``json`` (everything
    else, as JSON text).
    """
    rows = []
    for section, entries in profile.items():
        if not isinstance(entries, dict):
            entries = {section: entries}
        for name, value in entries.items():
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            rows.append(
                {
                    "section": section,
                    "measure": str(name),
                    "value": float(value) if number else None,
                    "json": None if number else json.dumps(value),
                }
            )
    return pd.DataFrame(rows, columns=["section", "measure", "value", "json"])


def _size(alive, patents, alliances, year) -> dict[str, Any]:
    end = alliances["end"].to_numpy(dtype=np.float64, na_value=np.inf)
    active = int(((alliances["start"].to_numpy() <= year) & (end > year)).sum())
    return {
        "year": year,
        "organisations": len(alive),
        "by_kind": alive["kind"].value_counts().to_dict(),
        "patents": len(patents),
        "active_alliances": active,
    }


def _geography(orgs, alive, patents, regions, seed) -> dict[str, Any]:
    if len(regions) == 0:
        return {"missing": "no organisation has a region"}
    where = orgs.set_index("org_id")["region"]
    org_counts = alive["region"].value_counts().reindex(regions, fill_value=0).to_numpy(float)
    patent_region = patents["org_id"].map(where)
    pat_counts = patent_region.value_counts().reindex(regions, fill_value=0).to_numpy(float)
    out: dict[str, Any] = {
        "regions": regions.tolist(),
        "organisations": org_counts.tolist(),
        "patents": pat_counts.tolist(),
        "gini_organisations": float(locational_gini(org_counts)),
    }
    if pat_counts.sum() == 0:
        out["patents_missing"] = "no patents"
        return out
    out["gini_patents"] = float(locational_gini(pat_counts))
    if org_counts.sum() > 0:
        out["hoover_patents_vs_organisations"] = float(hoover(pat_counts, org_counts))
    if len(regions) > 4 and np.ptp(pat_counts) > 0:
        centroids = orgs.groupby("region")[["x", "y"]].mean().reindex(regions).to_numpy()
        m = moran(pat_counts, knn(centroids, 4), permutations=999, alternative="greater", seed=seed)
        out["morans_i_patents"] = {"I": m.I, "EI": m.EI, "p_sim": m.p_sim, "z_norm": m.z_norm}
    if "field" in patents.columns:
        per_org = patents.groupby(["org_id", "field"]).size().reset_index(name="patents")
        per_org["region"] = per_org["org_id"].map(where)
        per_org = per_org.dropna(subset=["region"])
        fields = np.sort(per_org["field"].unique())
        eg = ellison_glaeser(
            per_org["patents"].to_numpy(float),
            np.searchsorted(regions, per_org["region"].to_numpy(np.int64)),
            np.searchsorted(fields, per_org["field"].to_numpy()),
            n_regions=len(regions),
            n_industries=len(fields),
        )
        out["ellison_glaeser_by_field"] = dict(
            zip(fields.tolist(), np.asarray(eg.gamma).tolist(), strict=True)
        )
    return out


def _technology(orgs, patents, regions) -> dict[str, Any]:
    if len(patents) == 0 or "field" not in patents.columns:
        return {"missing": "no patents with fields"}
    region = patents["org_id"].map(orgs.set_index("org_id")["region"])
    matrix = pd.crosstab(region, patents["field"])
    counts = matrix.to_numpy(float)
    out: dict[str, Any] = {
        "fields": matrix.columns.tolist(),
        "regions": matrix.index.astype(np.int64).tolist(),
        "entropy_cluster": float(entropy(counts.sum(axis=0, keepdims=True))[0]),
    }
    M = specialisation(counts)
    out["diversity"] = diversity(M).tolist()
    out["ubiquity"] = ubiquity(M).tolist()
    if min(counts.shape) >= 2:
        result = complexity_indices(M)
        out["eci"] = np.asarray(result.eci).tolist()
        out["pci"] = np.asarray(result.pci).tolist()
    return out


def _network(alive, alliances, year) -> dict[str, Any]:
    end = alliances["end"].to_numpy(dtype=np.float64, na_value=np.inf)
    active = alliances[(alliances["start"].to_numpy() <= year) & (end > year)]
    if len(alive) == 0:
        return {"missing": "no organisation alive"}
    nodes = np.union1d(alive["org_id"].to_numpy(), active[["org_a", "org_b"]].to_numpy().ravel())
    s = network_summary(active["org_a"].to_numpy(), active["org_b"].to_numpy(), nodes)
    return {name: getattr(s, name) for name in s.__dataclass_fields__}


def _knowledge(patents, alliances, alive, year) -> dict[str, Any]:
    first = int(patents["year"].min()) if len(patents) else year
    stock = patent_stock(patents, by=None, years=range(first, year + 1))
    links = alliance_stock(alliances, [year], n_orgs=[len(alive)])
    return {
        "knowledge_stock": float(stock["cluster"].iloc[-1]) if len(stock) else 0.0,
        "alliance_stock": int(links["alliances"].iloc[0]),
        "alliance_density": float(links["density"].iloc[0]),
    }


def _knowledge_flows(citations, orgs, patents, year, seed) -> dict[str, Any]:
    if citations is None:
        return {"missing": "no citations table"}
    table, counts = localisation_by(citations, orgs, patents, year, DISTANCES, seed=seed)
    out: dict[str, Any] = {
        "citations": counts["citations"],
        "share_outside": counts["outside"] / counts["citations"] if counts["citations"] else None,
    }
    channel = citations.loc[citations["year"] <= year, "channel"].dropna()
    if len(channel):
        out["channels"] = channel.value_counts(normalize=True).sort_index().to_dict()
    if table is None:
        out["localisation_missing"] = "no citation between two placed patents"
        return out
    if counts["sampled"]:
        out["localisation_sample"] = counts["sampled"]
    out["self_citations"] = int(table["self_citations"].iloc[0])
    out["localisation"] = _records(table)
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(value: Any) -> Any:
    """The value made JSON-friendly, recursively: numpy scalars as Python values, NaN as None.

    Infinities become None too; tuples become lists.
    """
    if isinstance(value, dict):
        return {(_plain(k) if not isinstance(k, str) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
