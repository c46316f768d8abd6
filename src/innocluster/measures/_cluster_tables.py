"""The cluster tables as the table-level measures read them, and the rows they share.

Internal to :mod:`innocluster.measures`: the diagnosis (:mod:`~innocluster.measures.diagnosis`)
and the profile (:mod:`~innocluster.measures.profile`) of a cluster both start from its three
tables (``organizations``, ``patents``, ``alliances``; ``docs/data-formats.md``) and both report
its life-cycle stage.

Interface offered to those modules:

- :func:`cluster_frames`: the three DataFrames of a mapping of tables or of a run (any object
  with the attributes ``organizations``, ``patents`` and ``alliances``); a path is refused, as
  the measures read no file (their callers load the tables: :mod:`innocluster.data.sources`);
- :func:`life_cycle`: the life-cycle row, the stage of the number of organisations in a year
  with the numbers behind it;
- :func:`citations_of`: the citations table when the tables have one (it is optional);
- :func:`localisation_by`: the localisation test of the citations made up to a year, with the
  patents placed in their owners' regions.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError
from innocluster.measures._seeds import as_generator, spawn
from innocluster.measures.lifecycle import lifecycle_stage
from innocluster.measures.localisation import citation_localisation


def cluster_frames(tables: Any, caller: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``organizations, patents, alliances`` of ``tables`` (a mapping or a run).

    Raises:
        InnoclusterError: ``tables`` is a path (the measures read no file; the message, naming
            ``caller``, says how to load it) or a mapping without one of the tables.
    """
    if isinstance(tables, (str, PurePath)):
        raise InnoclusterError(
            f"{caller}: the tables are the path '{tables}', and measures read no file: load "
            "the folder first (innocluster.load_tables(folder), or innocluster.load_run for a "
            "run folder)"
        )
    if isinstance(tables, Mapping):
        missing = [n for n in ("organizations", "patents", "alliances") if n not in tables]
        if missing:
            raise InnoclusterError(f"diagnose: the tables have no {missing[0]} table")
        return tables["organizations"], tables["patents"], tables["alliances"]
    return tables.organizations, tables.patents, tables.alliances


def life_cycle(orgs: pd.DataFrame, year: int) -> dict[str, Any]:
    """The life-cycle row of the organisations by ``year``, for the diagnosis' mechanisms table.

    The row has ``mechanism``, ``indicator``, ``value`` (organisations alive), ``rule``,
    ``verdict`` (the stage) and ``evidence``.
    """
    first = int(orgs["born"].min())
    years = np.arange(first, year + 1)
    born = orgs["born"].to_numpy()
    exited = orgs["exited"].to_numpy(dtype=np.float64, na_value=np.inf)
    firms = ((born[None, :] <= years[:, None]) & (exited[None, :] > years[:, None])).sum(axis=1)
    entries = np.bincount(born - first, minlength=len(years))[: len(years)]
    left = exited[np.isfinite(exited) & (exited <= year)].astype(np.int64) - first
    exits = np.bincount(left, minlength=len(years))[: len(years)]
    stage = lifecycle_stage(firms, entries, exits)[-1]
    return {
        "mechanism": "life cycle",
        "indicator": "stage of the number of organisations",
        "value": float(firms[-1]),
        "rule": "context: the stage conditions which mechanisms matter",
        "verdict": stage,
        "evidence": (
            f"{firms[-1]:,} organisations in {year}, peak {firms.max():,}; "
            f"{entries[-1]:,} entries and {exits[-1]:,} exits in {year}"
        ),
    }


def citations_of(tables: Any) -> pd.DataFrame | None:
    """The citations table of a mapping or a run, or ``None`` when it has none or it is empty."""
    if isinstance(tables, Mapping):
        citations = tables.get("citations")
    else:
        citations = getattr(tables, "citations", None)
    if citations is None or len(citations) == 0:
        return None
    return citations


def localisation_by(
    citations: pd.DataFrame,
    orgs: pd.DataFrame,
    patents: pd.DataFrame,
    year: int,
    distances: tuple[float, ...],
    first: int | None = None,
    seed: int = 0,
    limit: int = 10_000_000,
) -> tuple[pd.DataFrame | None, dict[str, Any]]:
    """The localisation test of the citations made in ``[first, year]`` between placed patents.

    A patent lies in its owner's region; citations of patents outside the data (``cited``
    missing) or of patents whose owner has no region cannot be placed and are left out, and
    counted. Above ``limit`` placed citations (a national import holds about 100 million), the
    test reads a seeded random sample of ``limit`` of them: the shares stay unbiased, the
    intervals widen, and the memory stays bounded. Returns ``(table, counts)``: the rows of
    :func:`~innocluster.measures.localisation.citation_localisation` (``None`` when no
    citation can be placed), and ``citations`` (made in the window), ``outside`` (cited outside
    the data), ``unplaced`` and ``sampled`` (the citations the test read, 0 when all).
    """
    made = citations[citations["year"] <= year]
    if first is not None:
        made = made[made["year"] >= first]
    inside = made[made["cited"].notna()]
    region = orgs.set_index("org_id")["region"]
    placed = patents.assign(region=patents["org_id"].map(region))
    placed = placed[placed["region"].notna()]
    known = placed["patent_id"].to_numpy()
    both = inside[inside["citing"].isin(known) & inside["cited"].isin(known)]
    counts = {
        "citations": len(made),
        "outside": len(made) - len(inside),
        "unplaced": len(inside) - len(both),
        "sampled": 0,
    }
    if len(both) == 0:
        return None, counts
    if len(both) > limit:
        # A stream apart from the controls' draws, from the same seed.
        rng = as_generator(spawn(seed, "localisation_by", 1)[0], "localisation_by")
        both = both.iloc[np.sort(rng.choice(len(both), limit, replace=False))]
        counts["sampled"] = limit
    table = citation_localisation(
        both[["citing", "cited"]].astype("int64"), placed, distances, seed=seed
    )
    return table, counts
