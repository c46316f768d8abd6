"""An experiment folder read once for the report: experiment, catalog, analyses, step bands.

The step bands are the per-step means with their 95% bands, aggregated in DuckDB.

An *experiment folder* is the output folder of a sweep (``catalog.duckdb`` beside
``experiment.json`` and ``runs/``; ``docs/experiments.md``), including the folder an
attribution runs in. The catalog (one row per design point and seed) and the analysis files
(``compare.parquet``, ``sensitivity.parquet``, ``attribution.parquet``) are small and read into
pandas; the run files are read only through DuckDB, which aggregates them per level and step
(:meth:`ExperimentData.bands`), so a sweep of many runs is never loaded whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError
from innocluster.report.data import Unavailable

__all__ = [
    "BAND_INDICATORS",
    "BINS",
    "BandData",
    "ExperimentData",
    "is_experiment",
    "load_experiment_folder",
]

#: At most this many indicators are drawn over steps (the analysed ones first).
BAND_INDICATORS = 3
#: A numeric factor with more distinct values than this (a sampled design) is grouped into
#: :data:`BINS` bins of equal run counts (quantiles).
MAX_LEVELS = 6
BINS = 4


def is_experiment(folder: str | Path) -> bool:
    """Whether ``folder`` is an experiment's output folder (it holds ``catalog.duckdb``)."""
    from innocluster.experiments.store import CATALOG

    return (Path(folder) / CATALOG).is_file()


@dataclass
class BandData:
    """Indicators over steps per level of one factor: mean and 95% interval over the runs.

    Attributes:
        factor: the factor (a catalog column), or ``None`` for all runs as one group.
        levels: the levels drawn, in design order (or bin order), as text.
        table: long format, one row per level, indicator and step: ``level``, ``indicator``,
            ``step`` (int), ``n`` (finished runs with that step), ``mean``, ``low``, ``high``
            (the Student 95% interval of the mean, NaN where ``n < 2``).
        runs: finished runs per level, ``{level: count}``.
        empty: levels of the design with no finished run.
        notes: how the levels were formed.
    """

    factor: str | None
    levels: list[str]
    table: pd.DataFrame
    runs: dict[str, int]
    empty: list[str]
    notes: list[str]


@dataclass
class ExperimentData:
    """One experiment folder.

    Attributes:
        folder: the folder read.
        record: its ``experiment.json`` (name, base, model, method, factors, seeds, indicators,
            design_points, runs).
        runs: the catalog's ``runs`` table, one row per design point and seed, sorted.
        design: ``design.parquet`` (``design_id`` and the designed factor values), or None.
        compare, sensitivity, attribution: the analysis files, or None when absent.
    """

    folder: Path
    record: dict[str, Any]
    runs: pd.DataFrame
    design: pd.DataFrame | None
    compare: pd.DataFrame | None
    sensitivity: pd.DataFrame | None
    attribution: pd.DataFrame | None

    source = "experiment"

    @property
    def title(self) -> str:
        """One line naming the experiment: its name, base scenario and size."""
        r = self.record
        return (
            f"experiment {r.get('name')}: {r.get('base')} ({r.get('model')} model), "
            f"{r.get('design_points')} design points x {len(r.get('seeds', []))} seeds"
        )

    @property
    def factors(self) -> list[str]:
        """The experiment's factors, in the file's order."""
        return list(self.record.get("factors", []))

    @property
    def ok(self) -> pd.DataFrame:
        """The catalog rows of the finished runs."""
        return self.runs[self.runs["status"] == "ok"]

    @property
    def numeric_indicators(self) -> list[str]:
        """The kept indicators with numbers (not text, not true/false), in the file's order."""
        out = []
        for name in self.record.get("indicators", []):
            column = self.runs.get(name)
            if (
                column is not None
                and pd.api.types.is_numeric_dtype(column)
                and not pd.api.types.is_bool_dtype(column)
            ):
                out.append(name)
        return out

    def band_indicators(self) -> list[str]:
        """The indicators drawn over steps, at most :data:`BAND_INDICATORS`.

        Those of the analyses come first (compare metrics, then sensitivity indicators, then
        attribution metrics), then the other numeric ones.
        """
        numeric = self.numeric_indicators
        named: list[str] = []
        for frame, column in (
            (self.compare, "metric"),
            (self.sensitivity, "indicator"),
            (self.attribution, "metric"),
        ):
            if frame is not None:
                named.extend(str(v) for v in frame[column])
        ordered = [n for n in dict.fromkeys([*named, *numeric]) if n in numeric]
        return ordered[:BAND_INDICATORS]

    def band_factors(self) -> list[str]:
        """The factors drawn over steps, those compared in ``compare.parquet`` first.

        The compared factors (which may include ``scenario``) come first, then the experiment's
        other factors.
        """
        compared = [] if self.compare is None else [str(f) for f in self.compare["factor"]]
        found = [f for f in dict.fromkeys([*compared, *self.factors]) if f in self.runs.columns]
        return found

    def levels(self, factor: str | None) -> tuple[pd.Series, list[str], list[str], list[str]]:
        """The level of every finished run for ``factor``.

        Returns:
            ``(level, order, empty, notes)``: the level of each row of :attr:`ok` as text,
            the levels in design order (or bin order), the design's levels without a finished
            run, and how the levels were formed.
        """
        ok = self.ok
        if factor is None:
            return pd.Series("all runs", index=ok.index), ["all runs"], [], []
        every = self.runs[factor]
        numeric = pd.api.types.is_numeric_dtype(every) and not pd.api.types.is_bool_dtype(every)
        distinct = every.dropna().unique()
        if numeric and len(distinct) > MAX_LEVELS:
            values = every.astype(float)
            codes = pd.qcut(values, BINS, labels=False, duplicates="drop")
            spans = values.groupby(codes).agg(["min", "max"])
            labels = {code: f"{lo:.3g} to {hi:.3g}" for code, lo, hi in spans.itertuples(name=None)}
            text = codes.map(labels).astype(str)
            order = [labels[code] for code in sorted(labels)]
            notes = [
                f"{factor} takes {len(distinct)} sampled values: the runs are grouped into "
                f"{len(order)} bins of about equal counts (quantiles of the design's values)."
            ]
        else:
            text = every.astype(str)
            order = list(dict.fromkeys(text))
            notes = []
        level = text.loc[ok.index]
        present = set(level)
        return (
            level,
            [v for v in order if v in present],
            [v for v in order if v not in present],
            notes,
        )

    def bands(self, factor: str | None, indicators: list[str]) -> BandData:
        """Mean and 95% interval over the finished runs of each level, at every step.

        The per-step values are aggregated in DuckDB over the run files (``count``, ``avg``,
        ``stddev_samp`` per level and step); the interval is
        ``mean +- t(0.975, n - 1) * sd / sqrt(n)``.

        Raises:
            Unavailable: no run has finished.
        """
        from scipy import stats

        from innocluster.experiments.store import connect

        level, order, empty, notes = self.levels(factor)
        if not order:
            raise Unavailable("No run of this experiment has finished.")
        mapping = pd.DataFrame({"run_id": self.ok["run_id"].to_numpy(), "level": level.to_numpy()})
        columns = ", ".join(
            f'count(s.{_quote(name)}) AS "n{k}", avg(CAST(s.{_quote(name)} AS DOUBLE)) AS "m{k}", '
            f'stddev_samp(CAST(s.{_quote(name)} AS DOUBLE)) AS "s{k}"'
            for k, name in enumerate(indicators)
        )
        con = connect(self.folder)
        try:
            views = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
            if ("steps",) not in views:
                raise Unavailable("The folder holds no run files (runs/*.parquet).")
            con.register("levels", mapping)
            frame = con.execute(
                f"SELECT l.level, s.step, {columns} FROM steps s JOIN levels l USING (run_id) "
                "GROUP BY l.level, s.step ORDER BY l.level, s.step"
            ).df()
        finally:
            con.close()
        parts = []
        for k, name in enumerate(indicators):
            n = frame[f"n{k}"].to_numpy(np.int64)
            mean = frame[f"m{k}"].to_numpy(float)
            with np.errstate(invalid="ignore", divide="ignore"):
                t = stats.t.ppf(0.975, np.where(n >= 2, n - 1, np.nan))
                half = t * frame[f"s{k}"].to_numpy(float) / np.sqrt(n)
            parts.append(
                pd.DataFrame(
                    {
                        "level": frame["level"].astype(str),
                        "indicator": name,
                        "step": frame["step"].to_numpy(np.int64),
                        "n": n,
                        "mean": mean,
                        "low": mean - half,
                        "high": mean + half,
                    }
                )
            )
        counts = level.value_counts()
        return BandData(
            factor=factor,
            levels=order,
            table=pd.concat(parts, ignore_index=True),
            runs={v: int(counts[v]) for v in order},
            empty=empty,
            notes=notes,
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_experiment_folder(folder: str | Path) -> ExperimentData:
    """Read an experiment folder: its record, catalog, design and analysis files.

    Raises:
        InnoclusterError: the folder holds no catalog or no ``experiment.json``.
    """
    from innocluster.experiments import store

    path = Path(folder)
    if not is_experiment(path):
        raise InnoclusterError(f"'{path}' holds no {store.CATALOG}: not an experiment folder")
    record_path = path / store.EXPERIMENT
    if not record_path.is_file():
        raise InnoclusterError(f"'{path}' holds no {store.EXPERIMENT}: not an experiment folder")
    record = json.loads(record_path.read_text("utf-8"))
    runs = store.read_runs(path)
    if runs.empty:
        raise InnoclusterError(f"'{path}': the catalog holds no runs")

    def optional(name: str) -> pd.DataFrame | None:
        file = path / name
        return pd.read_parquet(file) if file.is_file() else None

    return ExperimentData(
        folder=path,
        record=record,
        runs=runs,
        design=optional(store.DESIGN),
        compare=optional("compare.parquet"),
        sensitivity=optional("sensitivity.parquet"),
        attribution=optional("attribution.parquet"),
    )
