"""Cluster tables from a user's files: CSV, TSV or Parquet, validated, positions in kilometres.

A data folder holds ``organizations``, ``patents`` and ``alliances`` (and optionally
``citations`` and ``indicators``) as ``<name>.csv``, ``<name>.tsv`` or ``<name>.parquet``.
Reading checks every value against the table's declared schema (:mod:`innocluster.tables`) and
collects the problems (up to a limit) instead of stopping at the first: a missing column, a
value of the wrong type, a missing value where one is required, a negative count, a coordinate
out of range, a duplicate id, a patent or alliance naming an organisation that does not exist,
a year or date that cannot be read, an unknown kind, an empty file, bytes that are not UTF-8, a
citation of a patent that does not exist or of one filed after the citing one. Each problem
names the file, the row (1-based, the header not counted), the column and what was expected.

What real data may leave out is filled in:

- positions may be given as ``lon``/``lat`` (degrees) instead of ``x``/``y`` (km): they are
  projected with the Lambert azimuthal equal-area projection of a sphere of radius 6371.0088 km
  centred on the data, and shifted so that the smallest ``x`` and ``y`` are 0;
- without a ``region`` column, organisations are assigned to the cells of a square grid of
  ``grid_km`` km over their positions (region ``row * R + col``);
- optional columns (``field_focus``, ``exited``, ``employees``, ``parent`` of organisations;
  ``x``, ``y`` of patents, taken from their owner; ``end``, ``strength`` of alliances;
  ``channel`` of citations) may be absent; an empty ``cited`` is a patent outside the data;
  organisations may carry ``source_id`` and ``name`` (text on one line: no tab, line break or
  other control character), kept as they are;
- years (``born``, ``exited``, ``year``, ``start``, ``end``) may be integers or ISO dates
  (``2015-03-01``), of which the year is kept.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from innocluster.errors import InnoclusterError
from innocluster.tables import CLUSTER_TABLES, KINDS, OPTIONAL_TABLES

__all__ = ["Problem", "file_columns", "load_tables", "resolve_folder", "validate_folder"]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
_SUFFIXES = (".csv", ".tsv", ".parquet")
_DATE = re.compile(r"^\s*(\d{4})-\d{2}-\d{2}(?:[ T][\d:.]*Z?)?\s*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: The name that stands for the example cluster shipped with the package.
EXAMPLE = "example"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data folder."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


# What a user's file of each table may hold: column -> (how its values are read, required in
# files), derived from the tables' one declaration (innocluster.tables).
_COLUMNS = {
    name: {c.name: (c.value, c.in_files) for c in schema.file_columns}
    for name, schema in CLUSTER_TABLES.items()
}


class _Collector:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        if len(self.problems) < self.limit:
            self.problems.append(Problem(file, row, column, message))

    def missing(self, file: str, column: str, absent: np.ndarray) -> None:
        for i in np.flatnonzero(absent)[: self.limit]:
            self.add(file, int(i) + 1, column, "missing value")

    def rows(self, file: str, column: str, bad: np.ndarray, values, expected: str) -> None:
        for i in np.flatnonzero(bad)[: self.limit]:
            self.add(file, int(i) + 1, column, f"expected {expected}, got {values[i]!r}")

    @property
    def full(self) -> bool:
        return len(self.problems) >= self.limit


def validate_folder(
    folder: str | Path, *, limit: int = 50, grid_km: float = 10.0
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read and check a data folder; return the tables read so far and the problems found.

    Args:
        folder: the data folder; ``"example"`` (when no such folder exists here) is the
            simulated example cluster shipped with the package
            (:func:`innocluster.datasets.example_cluster`).
        limit: stop collecting after this many problems.
        grid_km: side of the grid cells that become regions when there is no ``region`` column.
    """
    folder = resolve_folder(folder)
    out = _Collector(limit)
    if not folder.is_dir():
        out.add(str(folder), None, None, "data folder does not exist")
        return {}, out.problems
    raw = {name: _read(folder, name, out) for name in _COLUMNS}
    tables: dict[str, pd.DataFrame] = {}
    for name, frame in raw.items():
        if frame is not None:
            tables[name] = _check(name, frame[0], frame[1], out)
    if "organizations" in tables:
        _positions(raw["organizations"][1], raw["organizations"][0], out)
        _references(tables, raw, out)
        if not out.problems:
            _complete(tables, grid_km)
    return tables, out.problems


def load_tables(
    folder: str | Path, *, limit: int = 50, grid_km: float = 10.0
) -> dict[str, pd.DataFrame]:
    """The cluster tables of a data folder, validated and completed, as DataFrames.

    Raises:
        InnoclusterError: listing every problem found (up to ``limit``), one per line.
    """
    tables, problems = validate_folder(folder, limit=limit, grid_km=grid_km)
    if problems:
        more = " (stopped at the limit)" if len(problems) >= limit else ""
        lines = "\n".join(str(p) for p in problems)
        raise InnoclusterError(f"{len(problems)} problem(s) in '{folder}'{more}:\n{lines}")
    return tables


def resolve_folder(folder: str | Path) -> Path:
    """The data folder a name stands for.

    That is the folder itself, or the example cluster for ``"example"`` when no folder of that
    name exists.
    """
    path = Path(folder)
    if str(folder) == EXAMPLE and not path.exists():
        from innocluster.datasets import example_cluster

        return example_cluster()
    return path


def _read(folder: Path, name: str, out: _Collector) -> tuple[str, pd.DataFrame] | None:
    found = [folder / f"{name}{s}" for s in _SUFFIXES if (folder / f"{name}{s}").is_file()]
    if not found and name in OPTIONAL_TABLES:
        return None
    if not found:
        out.add(
            str(folder / name),
            None,
            None,
            f"missing: expected {name}.csv, {name}.tsv or {name}.parquet",
        )
        return None
    if len(found) > 1:
        out.add(
            str(folder / name),
            None,
            None,
            f"several files for one table: {', '.join(p.name for p in found)}",
        )
        return None
    path = found[0]
    if path.stat().st_size == 0:
        out.add(str(path), None, None, "empty file: expected a header row")
        return None
    if path.suffix == ".parquet":
        try:
            frame = pq.read_table(path).to_pandas()
        except Exception as err:  # noqa: BLE001 - any reading failure is the file's fault
            out.add(str(path), None, None, f"not a readable Parquet file ({err})")
            return None
        return str(path), frame.astype(object).where(frame.notna(), None)
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        out.add(
            str(path),
            None,
            None,
            f"not UTF-8 text: byte {err.start} (line {line}) is {data[err.start]:#04x}",
        )
        return None
    try:
        frame = read_delimited(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        out.add(str(path), None, None, f"cannot be parsed as {path.suffix[1:].upper()} ({err})")
        return None
    return str(path), frame.astype(object).where(frame.notna(), None)


def file_columns(table: str) -> list[str]:
    """The columns a user's file of ``table`` may hold, in their declared order."""
    return list(_COLUMNS[table])


def read_delimited(path: Path) -> pd.DataFrame:
    """A CSV (``.csv``) or tab-separated (``.tsv``) UTF-8 file as strings; empty cells missing."""
    sep = "\t" if path.suffix == ".tsv" else ","
    return pd.read_csv(
        path, sep=sep, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
    )


def _check(name: str, file: str, frame: pd.DataFrame, out: _Collector) -> pd.DataFrame:
    spec = _COLUMNS[name]
    unknown = [c for c in frame.columns if c not in spec]
    if unknown:
        out.add(file, None, unknown[0], f"unknown column; expected some of {', '.join(spec)}")
    for column, (_, required) in spec.items():
        if required and column not in frame.columns:
            out.add(file, None, column, "missing column")
    if name == "organizations":
        has_xy = {"x", "y"} <= set(frame.columns)
        has_ll = {"lon", "lat"} <= set(frame.columns)
        if not has_xy and not has_ll:
            out.add(file, None, "x", "missing columns: expected x and y (km) or lon and lat")
    result = {}
    for column in frame.columns:
        if column not in spec:
            continue
        kind, required = spec[column]
        result[column] = _convert(frame[column].to_numpy(), kind, required, file, column, out)
    return pd.DataFrame(result)


def _convert(
    values: np.ndarray, kind: str, required: bool, file: str, column: str, out: _Collector
) -> np.ndarray:
    series = pd.Series(values, dtype=object)
    missing = series.isna().to_numpy()
    if required:
        out.missing(file, column, missing)
    if kind == "kind":
        text = series.astype(str).str.strip()
        out.rows(
            file,
            column,
            ~missing & ~text.isin(KINDS).to_numpy(),
            values,
            f"one of {', '.join(KINDS)}",
        )
        return np.where(missing, None, text.to_numpy())
    if kind == "text":
        return _text(series, missing, file, column, out)
    number = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, copy=True)
    if kind == "year":
        # Not a plain number: an ISO date, of which the year is kept.
        dated = ~missing & ~np.isfinite(number)
        found = series[dated].astype(str).str.extract(_DATE, expand=False)
        number[dated] = pd.to_numeric(found, errors="coerce").to_numpy(dtype=float)
        bad = ~missing & (~np.isfinite(number) | (number % 1 != 0))
        out.rows(file, column, bad, values, "a year or an ISO date (YYYY or YYYY-MM-DD)")
        return number
    if kind in ("id", "count"):
        bad = ~missing & (~np.isfinite(number) | (number % 1 != 0))
        out.rows(file, column, bad, values, "an integer")
        if kind == "count":
            out.rows(file, column, number < 0, values, "a count >= 0")
        return number
    out.rows(file, column, ~missing & ~np.isfinite(number), values, "a finite number")
    if kind == "lon":
        out.rows(file, column, np.abs(number) > 180, values, "a longitude in [-180, 180]")
    if kind == "lat":
        out.rows(file, column, np.abs(number) > 90, values, "a latitude in [-90, 90]")
    return number


def _text(
    series: pd.Series, missing: np.ndarray, file: str, column: str, out: _Collector
) -> np.ndarray:
    # Text on one line; whole numbers (an id column read from Parquet) become their digits.
    values = series.to_numpy()
    text = np.empty(len(values), dtype=object)
    for i in np.flatnonzero(~missing):
        value = values[i]
        if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
            value = str(value)
        if not isinstance(value, str):
            out.add(file, int(i) + 1, column, f"expected text, got {value!r}")
        elif _CONTROL.search(value):
            out.add(
                file,
                int(i) + 1,
                column,
                f"expected text on one line (no tab, line break or control character), "
                f"got {value!r}",
            )
        text[i] = value
    return text


def _positions(raw: pd.DataFrame, file: str, out: _Collector) -> None:
    # Every organisation needs a position: x and y, or lon and lat.
    pair = ("x", "y") if {"x", "y"} <= set(raw.columns) else ("lon", "lat")
    for column in pair:
        if column in raw:
            out.missing(file, column, raw[column].isna().to_numpy())


def _complete(tables: dict[str, pd.DataFrame], grid_km: float) -> None:
    orgs = tables["organizations"]
    if "x" not in orgs or orgs["x"].isna().all():
        orgs["x"], orgs["y"] = lambert_equal_area(orgs["lon"].to_numpy(), orgs["lat"].to_numpy())
    orgs = tables["organizations"] = orgs.drop(columns=[c for c in ("lon", "lat") if c in orgs])
    if "region" not in orgs:
        orgs["region"] = grid_regions(orgs["x"].to_numpy(), orgs["y"].to_numpy(), grid_km)
    defaults = {
        "organizations": ("field_focus", "exited", "employees", "parent"),
        "alliances": ("end",),
        "citations": ("channel",),
    }
    for name, columns in defaults.items():
        if name in tables:
            for column in columns:
                if column not in tables[name]:
                    tables[name][column] = np.nan
    if "alliances" in tables and "strength" not in tables["alliances"]:
        tables["alliances"]["strength"] = 1.0
    if "patents" in tables and "x" not in tables["patents"]:
        position = orgs.set_index("org_id")[["x", "y"]]
        owner = tables["patents"]["org_id"]
        tables["patents"]["x"] = owner.map(position["x"]).to_numpy()
        tables["patents"]["y"] = owner.map(position["y"]).to_numpy()
    for name, frame in tables.items():
        for column in frame.columns:
            if _COLUMNS[name].get(column, ("",))[0] in ("id", "count", "year"):
                frame[column] = pd.array(frame[column].to_numpy(), dtype="Int64")


def _references(tables: dict[str, pd.DataFrame], raw, out: _Collector) -> None:
    # Unique ids, and every organisation named by a patent, an alliance or a spin-off exists.
    orgs, file = tables["organizations"], raw["organizations"][0]
    _duplicates(orgs, "org_id", file, out)
    known = orgs["org_id"].dropna().to_numpy()
    if "parent" in orgs:
        _dangling(orgs, "parent", known, file, out)
    if "patents" in tables:
        _duplicates(tables["patents"], "patent_id", raw["patents"][0], out)
        _dangling(tables["patents"], "org_id", known, raw["patents"][0], out)
    if "alliances" in tables:
        for column in ("org_a", "org_b"):
            _dangling(tables["alliances"], column, known, raw["alliances"][0], out)
    if "citations" in tables:
        _citations(tables, raw["citations"][0], out)


def _citations(tables: dict[str, pd.DataFrame], file: str, out: _Collector) -> None:
    # Both patents of a citation exist (an empty cited: outside the data), and the cited one
    # was filed no later than the citing one.
    citations = tables["citations"]
    if "cited" not in citations:  # its values may be empty, but the column must be there
        out.add(file, None, "cited", "missing column")
    if "patents" not in tables:
        out.add(file, None, None, "citations need the patents table")
    if "patents" not in tables or not {"citing", "cited"} <= set(citations):
        return
    patents = tables["patents"]
    year = pd.Series(patents["year"].to_numpy(dtype=float), index=patents["patent_id"])
    year = year[~year.index.duplicated()]
    for column in ("citing", "cited"):
        ids = citations[column].to_numpy(dtype=float)
        bad = ~np.isnan(ids) & ~np.isin(ids, patents["patent_id"].to_numpy(dtype=float))
        for i in np.flatnonzero(bad)[: out.limit]:
            out.add(file, int(i) + 1, column, f"patent {ids[i]:.0f} does not exist in patents")
    citing = citations["citing"].map(year).to_numpy(dtype=float)
    cited = citations["cited"].map(year).to_numpy(dtype=float)
    for i in np.flatnonzero(cited > citing)[: out.limit]:
        out.add(
            file,
            int(i) + 1,
            "cited",
            f"patent {citations['cited'].iloc[i]:.0f} was filed in {cited[i]:.0f}, after the "
            f"citing patent {citations['citing'].iloc[i]:.0f} ({citing[i]:.0f})",
        )


def _duplicates(frame: pd.DataFrame, column: str, file: str, out: _Collector) -> None:
    if column not in frame:
        return
    ids = frame[column]
    dup = (ids.duplicated(keep="first") & ids.notna()).to_numpy()
    for i in np.flatnonzero(dup)[: out.limit]:
        first = int(np.flatnonzero((ids == ids.iloc[i]).to_numpy())[0]) + 1
        out.add(file, int(i) + 1, column, f"duplicate id {ids.iloc[i]:.0f} (first in row {first})")


def _dangling(
    frame: pd.DataFrame, column: str, known: np.ndarray, file: str, out: _Collector
) -> None:
    if column not in frame:
        return
    ids = frame[column].to_numpy(dtype=float)
    bad = ~np.isnan(ids) & ~np.isin(ids, known)
    for i in np.flatnonzero(bad)[: out.limit]:
        out.add(
            file, int(i) + 1, column, f"organisation {ids[i]:.0f} does not exist in organizations"
        )


def grid_regions(x: np.ndarray, y: np.ndarray, grid_km: float) -> np.ndarray:
    """Regions of positions: the cells of a square grid laid from the smallest ``x`` and ``y``.

    The grid has ``R`` cells a side (enough to cover the positions' range, at least 1), of side
    ``grid_km`` km, numbered ``row * R + col``.

    Args:
        x: abscissae, km, shape ``(n,)``.
        y: ordinates, km, shape ``(n,)``.
        grid_km: side of a cell, km.

    Returns:
        The region of each position, int, shape ``(n,)``.
    """
    side = max(1, math.ceil(max(np.ptp(x), np.ptp(y), 1e-9) / grid_km))
    col = np.minimum(((x - x.min()) // grid_km).astype(int), side - 1)
    row = np.minimum(((y - y.min()) // grid_km).astype(int), side - 1)
    return row * side + col


def lambert_equal_area(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project degrees to km with the Lambert azimuthal equal-area projection of a sphere.

    Centred on the midpoint of the data's range, then shifted so that the smallest ``x`` and
    ``y`` are 0. Areas are exact on the sphere; distances within a cluster of a few hundred km are
    within a fraction of a percent (Snyder 1987, *Map Projections: A Working Manual*, USGS
    Professional Paper 1395, pp. 182-190, doi:10.3133/pp1395).
    """
    lam, phi = np.radians(lon), np.radians(lat)
    lam0 = np.radians((np.nanmin(lon) + np.nanmax(lon)) / 2)
    phi0 = np.radians((np.nanmin(lat) + np.nanmax(lat)) / 2)
    k = np.sqrt(
        2.0 / (1.0 + np.sin(phi0) * np.sin(phi) + np.cos(phi0) * np.cos(phi) * np.cos(lam - lam0))
    )
    x = EARTH_RADIUS_KM * k * np.cos(phi) * np.sin(lam - lam0)
    y = (
        EARTH_RADIUS_KM
        * k
        * (np.cos(phi0) * np.sin(phi) - np.sin(phi0) * np.cos(phi) * np.cos(lam - lam0))
    )
    return x - np.nanmin(x), y - np.nanmin(y)
