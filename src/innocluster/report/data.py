"""A cluster folder read once for the report: its tables, its kind, its per-year counts.

A *run folder* (``run.json`` and ``scenario.toml`` beside the tables) is read with
:func:`innocluster.run.load_run` and brings its indicators and scenario; any other folder is
real data, read with :func:`innocluster.data.files.load_tables` (organizations, patents,
alliances and citations when there are any; no indicators, no scenario). The panels ask this
object for what they need and say "not available" when it has nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError

__all__ = ["ClusterData", "Unavailable", "load_cluster"]


class Unavailable(Exception):  # noqa: N818  (a state of the data, not a failure)
    """A panel's data are not in the folder; the message says what is missing, in words."""


@dataclass
class ClusterData:
    """The cluster tables of one folder, and what the panels derive from them.

    Attributes:
        folder: the folder read.
        source: ``'run'`` (a simulated run folder) or ``'data'`` (real data).
        organizations, patents, alliances: the cluster tables (``docs/data-formats.md``).
        indicators: one row per step for a run; None for real data.
        scenario: the run's resolved scenario; None for real data.
        info: the run's ``run.json``; empty for real data.
        citations: the citations table; None when the folder has none.
    """

    folder: Path
    source: str
    organizations: pd.DataFrame
    patents: pd.DataFrame
    alliances: pd.DataFrame
    indicators: pd.DataFrame | None = None
    scenario: Any = None
    info: dict[str, Any] = field(default_factory=dict)
    citations: pd.DataFrame | None = None

    @property
    def title(self) -> str:
        """One line naming the cluster: scenario, seed and steps, or the data folder."""
        if self.source == "run":
            return (
                f"{self.info.get('scenario', self.folder.name)}: seed {self.info.get('seed')}, "
                f"{self.info.get('steps')} steps ({self.info.get('model')} model)"
            )
        return f"real data: {self.folder.name}"

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables the measures read, by name (citations only when there are some)."""
        tables = {
            "organizations": self.organizations,
            "patents": self.patents,
            "alliances": self.alliances,
        }
        if self.citations is not None:
            tables["citations"] = self.citations
        return tables

    @cached_property
    def years(self) -> np.ndarray:
        """Every year (step) from the first entry to the last event, int64 ``(T,)``."""
        o = self.organizations
        if len(o) == 0:
            raise InnoclusterError(f"'{self.folder}': the organizations table is empty")
        last = [o["born"].max(), o["exited"].max()]
        if len(self.patents):
            last.append(self.patents["year"].max())
        if len(self.alliances):
            last.append(self.alliances["start"].max())
        if self.indicators is not None and len(self.indicators):
            last.append(self.indicators["step"].max())
        first = int(o["born"].min())
        return np.arange(first, int(max(v for v in last if pd.notna(v))) + 1, dtype=np.int64)

    @property
    def last_year(self) -> int:
        """The last year (step) of the data."""
        return int(self.years[-1])

    def alive(self, year: int) -> pd.DataFrame:
        """The organisations alive after ``year``: born by then and not exited by then."""
        o = self.organizations
        exited = o["exited"].to_numpy(dtype=np.float64, na_value=np.inf)
        return o[(o["born"].to_numpy() <= year) & (exited > year)]

    def alive_counts(self, kinds: tuple[str, ...] | None = None) -> np.ndarray:
        """Organisations (of ``kinds``, default all) alive after each of :attr:`years`, ``(T,)``."""
        o = (
            self.organizations
            if kinds is None
            else self.organizations[self.organizations["kind"].isin(kinds)]
        )
        born = np.sort(o["born"].to_numpy(dtype=np.int64))
        exited = np.sort(o["exited"].dropna().to_numpy(dtype=np.int64))
        return np.searchsorted(born, self.years, "right") - np.searchsorted(
            exited, self.years, "right"
        )

    def per_year(self, values: pd.Series) -> np.ndarray:
        """How many of ``values`` (years of events) fall in each of :attr:`years`, ``(T,)``."""
        counts = values.dropna().astype(np.int64).value_counts()
        return counts.reindex(self.years, fill_value=0).to_numpy(dtype=np.float64)

    def column(self, name: str) -> np.ndarray | None:
        """An indicator column aligned on :attr:`years` (NaN before the first step), or None."""
        if self.indicators is None or name not in self.indicators.columns:
            return None
        series = self.indicators.set_index("step")[name]
        return series.reindex(self.years).to_numpy()

    @cached_property
    def diagnosis(self):
        """The phase and forming-mechanism diagnosis of the last year.

        See :func:`innocluster.measures.diagnosis.diagnose`.

        Raises:
            Unavailable: no organisation has a region, or the folder has neither patents nor
                alliances.
        """
        from innocluster.measures.diagnosis import diagnose

        if self.organizations["region"].isna().all():
            raise Unavailable("No organisation has a region, so regions cannot be diagnosed.")
        if len(self.patents) == 0 and len(self.alliances) == 0:
            raise Unavailable(
                "The folder has neither patents nor alliances: every region would score low on "
                "both stocks, which says nothing about its phase."
            )
        return diagnose(self.tables, year=self.last_year)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)`` of the map, km: the run's square, else the data's box."""
        side = getattr(getattr(self.scenario, "space", None), "L", None)
        if side is not None:
            return 0.0, float(side), 0.0, float(side)
        o = self.organizations
        return float(o["x"].min()), float(o["x"].max()), float(o["y"].min()), float(o["y"].max())

    @property
    def grid(self) -> int:
        """Cells per side of the density grid: the run's ``R``, else 10 over the data's box."""
        return int(getattr(getattr(self.scenario, "space", None), "R", 10))


def load_cluster(folder: str | Path) -> ClusterData:
    """Read a run folder or a folder of real data (``"example"``: the shipped example cluster).

    Raises:
        InnoclusterError: the folder does not exist, or a table is missing or not valid.
    """
    from innocluster.data.files import resolve_folder

    path = resolve_folder(folder)
    if not path.is_dir():
        raise InnoclusterError(f"'{path}' is not a folder")
    if (path / "run.json").is_file() and (path / "scenario.toml").is_file():
        from innocluster.run import load_run

        run = load_run(path)
        return ClusterData(
            path,
            "run",
            run.organizations,
            run.patents,
            run.alliances,
            run.indicators,
            run.scenario,
            dict(run.info),
            run.citations,
        )
    from innocluster.data.files import load_tables

    tables = load_tables(path)
    return ClusterData(
        path,
        "data",
        tables["organizations"],
        tables["patents"],
        tables["alliances"],
        citations=tables.get("citations"),
    )
