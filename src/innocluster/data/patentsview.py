"""Cluster tables from the PatentsView bulk files: ``innocluster import patentsview``.

Reads five tables of the PatentsView "granted patent disambiguated" bulk download, each as
``<name>.tsv`` or ``<name>.tsv.zip`` in one folder, by the names in their header row (never
by position; other columns are ignored, so columns that differ between releases, such as
``gender_code`` and the older ``male_flag`` of the inventors, do not matter):

- ``g_patent``: ``patent_id``, ``patent_date``;
- ``g_assignee_disambiguated``: ``patent_id``, ``assignee_id``, ``assignee_sequence``,
  ``assignee_type``, ``disambig_assignee_organization``, ``location_id``;
  ``disambig_assignee_individual_name_first`` and ``..._last`` when present;
- ``g_inventor_disambiguated``: ``patent_id``, ``inventor_sequence``, ``location_id`` (read
  only when an assignee has no located place of its own);
- ``g_location_disambiguated``: ``location_id``, ``latitude``, ``longitude``;
  ``disambig_state`` with ``state``; ``county_fips`` (and ``state_fips`` when present) with
  ``county``;
- ``g_cpc_current``: ``patent_id``, ``cpc_sequence``, and ``cpc_section``, ``cpc_class`` or
  ``cpc_subclass`` (the chosen level); ``cpc_type`` when present;
- ``g_us_patent_citation`` (optional: without it no citations table is written):
  ``patent_id``, ``citation_patent_id``; ``citation_category`` when present.

Everything is filtered, joined and aggregated inside DuckDB, which streams the files and keeps
its tables in a database file in the staging folder, moving them to disk beyond its
``memory_limit``; only the final tables come into Python (organisations and alliances whole,
patents in batches). Each join is written with the smaller side on the right, where DuckDB
builds its hash table, and DuckDB is told not to swap the sides: it cannot know a file's size
before reading it. The files are read as tab-separated text with a header,
fields quoted with ``"`` (a quote inside doubled), every column as text, no type sniffing. A
zipped file is first streamed out of its archive into the staging folder and deleted once read.

How the tables are made (``docs/data-formats.md`` has the same rules for users):

- **Patents**: the grant year from ``patent_date`` (kept when within ``years``, both edges
  included); the numeric ``patent_id`` as it is; ids with a letter prefix as ``code * 10**9 +
  number`` (D design 1, PP plant 2, RE reissue 3, H 4, T 5, X 6, RX 7, AI 8; others skipped).
  One row per patent, owned by its first-listed assignee (lowest ``assignee_sequence``) among
  the organisations kept; patents without a CPC code at the chosen level are skipped.
- **Organisations**: one per ``assignee_id`` with a patent in the window; ``source_id`` is the
  ``assignee_id``, ``name`` the organisation's name (or ``LAST, FIRST`` of an individual), with
  runs of white space and control characters (tabs included) made one space. ``born`` is the
  year of its first patent in the window. Kind from ``assignee_type`` (:data:`ASSIGNEE_KINDS`;
  a leading 1, as in 12 or 13, marks a part interest and is dropped); a company whose name has
  a word of :data:`RESEARCH_WORDS` is an ``institute``; individuals are kept as ``firm`` or
  dropped.
- **Positions**: the assignee's most frequent location with coordinates over its patents (ties:
  the smallest ``location_id``); failing that, the most frequent location of the first-listed
  inventor with coordinates on its patents. The most frequent place rather than a mean, since
  the mean of distant places falls between them. Organisations with no position at all are
  dropped (counted). Degrees become km with :func:`~innocluster.data.files.lambert_equal_area`
  and regions are the cells of :func:`~innocluster.data.files.grid_regions`.
- **Fields**: per patent, the first CPC row (lowest ``cpc_sequence``) among its
  ``inventional`` rows, or among all its rows when it has none (or the file has no
  ``cpc_type``), at the chosen level, as an integer: section ``A``..``H``, ``Y`` -> 0..8;
  class ``H01`` -> ``100 * section + class`` = 701; subclass ``H01L`` -> ``100 * 701 + letter``
  (A = 0) = 70111. ``field_focus`` of an organisation is its most frequent field.
- **Alliances**: a pair of kept organisations assigned the same patent in the window (whatever
  its CPC); ``start`` is the year of their first shared patent, ``strength`` the number of
  shared patents, ``end`` null.
- **Citations**: every citation made by a patent written, one row per citing and cited pair
  (a pair listed twice is kept once); ``year`` the citing patent's grant year. A cited patent
  that was written becomes its ``patent_id``; any other (outside the window, the filter or the
  CPC level, or not in ``g_patent``) is null, outside the data. A citation of a patent granted
  after the citing one is an error of the source and is skipped (counted). ``channel`` is
  ``examiner`` or ``applicant`` from ``citation_category`` ("cited by examiner", "cited by
  applicant"), null otherwise. Patent numbers on both sides are read by the patent rule above,
  so ``D0123456`` and ``D123456`` are one patent.
- **Filters** (at most one): ``bbox`` on the position used, ``state`` on the two-letter
  ``disambig_state`` of that position's location, ``county`` on its five-digit county FIPS
  code (``county_fips``, prefixed with ``state_fips`` when it has three digits).

The output is staged in a hidden folder beside ``out`` and moved into place at the end; on any
error nothing is left behind.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from innocluster.data.files import grid_regions, lambert_equal_area
from innocluster.errors import InnoclusterError
from innocluster.tables import (
    ALLIANCES,
    CITATIONS,
    ORGANIZATIONS,
    PATENTS,
    from_arrays,
    write_table,
)

__all__ = [
    "ASSIGNEE_KINDS",
    "CPC_LEVELS",
    "RESEARCH_WORDS",
    "STEPS",
    "import_patentsview",
    "parse_bbox",
    "parse_years",
]

#: The files read, each as ``<name>.tsv`` or ``<name>.tsv.zip``.
FILES = (
    "g_patent",
    "g_assignee_disambiguated",
    "g_inventor_disambiguated",
    "g_location_disambiguated",
    "g_cpc_current",
)
#: Files read when present.
OPTIONAL_FILES = ("g_us_patent_citation",)
#: ``assignee_type`` code (after dropping a part-interest leading 1) -> kind of organisation.
#: 2/3 US/foreign company, 4/5 US/foreign individual, 6/7 US/foreign government, 8/9 US
#: county/state government. Other codes (1 unassigned, missing): an individual when the
#: assignee has a person's name and no organisation name, otherwise a company.
ASSIGNEE_KINDS = {
    2: "firm",
    3: "firm",
    4: "individual",
    5: "individual",
    6: "institute",
    7: "institute",
    8: "institute",
    9: "institute",
}
#: Whole words or phrases (any case) that make a company an institute: universities and
#: public research organisations.
RESEARCH_WORDS = (
    "UNIVERSITY",
    "UNIVERSITIES",
    "UNIVERSITÄT",
    "UNIVERSITAET",
    "UNIVERSITÉ",
    "UNIVERSITE",
    "UNIVERSIDAD",
    "UNIVERSIDADE",
    "UNIVERSITÀ",
    "UNIVERSITA",
    "UNIVERSITEIT",
    "COLLEGE",
    "HOCHSCHULE",
    "POLYTECHNIC",
    "POLITECNICO",
    "INSTITUTE OF TECHNOLOGY",
    "RESEARCH INSTITUTE",
    "RESEARCH CENTER",
    "RESEARCH CENTRE",
    "RESEARCH FOUNDATION",
    "NATIONAL LABORATORY",
    "ACADEMY OF SCIENCES",
    "FRAUNHOFER",
    "MAX PLANCK",
    "MAX-PLANCK",
    "CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE",
)
#: The CPC levels a field can be taken at, and the column each is read from.
CPC_LEVELS = {"section": "cpc_section", "class": "cpc_class", "subclass": "cpc_subclass"}
#: The steps reported to ``progress``, in order.
STEPS = (
    "reading patents",
    "reading assignees",
    "reading locations",
    "placing organisations",
    "reading inventors",
    "joining tables",
    "reading CPC classes",
    "reading citations",
    "writing",
)
_REQUIRED = {
    "g_patent": ("patent_id", "patent_date"),
    "g_assignee_disambiguated": (
        "patent_id",
        "assignee_id",
        "assignee_sequence",
        "assignee_type",
        "disambig_assignee_organization",
        "location_id",
    ),
    "g_inventor_disambiguated": ("patent_id", "inventor_sequence", "location_id"),
    "g_location_disambiguated": ("location_id", "latitude", "longitude"),
    "g_cpc_current": ("patent_id", "cpc_sequence"),
    "g_us_patent_citation": ("patent_id", "citation_patent_id"),
}
# Patent-number prefixes (USPTO document kinds) -> code in the integer patent_id.
_PREFIXES = {"": 0, "D": 1, "PP": 2, "RE": 3, "H": 4, "T": 5, "X": 6, "RX": 7, "AI": 8}
_NO_SEQUENCE = 2**31 - 1  # a missing sequence number sorts last
_BATCH = 500_000  # patents per batch written


@dataclass(frozen=True)
class _Source:
    """One PatentsView file: the table's name, the file found, and its header's columns."""

    table: str
    path: Path
    header: tuple[str, ...]

    @property
    def zipped(self) -> bool:
        return self.path.name.endswith(".zip")


def parse_years(text: str) -> tuple[int, int]:
    """``"2000-2019"`` (or one year, ``"2010"``) as the inclusive range ``(2000, 2019)``."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise InnoclusterError(f"--years '{text}': expected A-B, two years such as 2000-2019")
    first, last = int(match[1]), int(match[2] or match[1])
    return first, last


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``"lon1,lat1,lon2,lat2"`` (degrees) as four numbers."""
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise InnoclusterError(
            f"--bbox '{text}': expected lon1,lat1,lon2,lat2 in degrees, such as "
            "-122.6,37.2,-121.7,37.9"
        )
    return values  # type: ignore[return-value]


def import_patentsview(
    source: str | Path,
    out: str | Path,
    *,
    years: tuple[int, int] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    state: str | None = None,
    county: str | None = None,
    cpc_level: str = "class",
    individuals: str = "keep",
    grid_km: float = 10.0,
    memory_limit: str = "1GB",
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Read the PatentsView bulk files in ``source`` and write cluster tables into ``out``.

    Args:
        source: the folder with ``g_patent``, ``g_assignee_disambiguated``,
            ``g_inventor_disambiguated``, ``g_location_disambiguated`` and ``g_cpc_current``,
            and optionally ``g_us_patent_citation``, each as ``.tsv`` or ``.tsv.zip``.
        out: the data folder to write (created; its tables are replaced when it exists).
        years: first and last grant year kept, both included (default: all).
        bbox: ``(lon1, lat1, lon2, lat2)`` in degrees: keep organisations positioned inside.
        state: keep organisations whose location is in this US state (two letters, ``CA``).
        county: keep organisations whose location is in this county (five-digit FIPS code).
        cpc_level: ``section``, ``class`` or ``subclass``: the CPC level of the fields.
        individuals: ``keep`` individual assignees (as ``firm``) or ``drop`` them.
        grid_km: side of the grid cells that become regions, km.
        memory_limit: DuckDB's memory limit (a DuckDB size such as ``"1GB"``); beyond it DuckDB
            moves data to its database file and temporary folder inside the staging folder.
        threads: DuckDB's threads (default: the machine's cores).
        progress: called with each name of :data:`STEPS` as the step begins.

    Returns:
        Rows written (``organizations``, ``patents``, ``alliances`` and, with the citation
        file, ``citations``) and what was left out or completed on the way: ``assignees``
        (with a patent in the window), ``placed_by_inventors``, ``without_position``,
        ``outside_filter``, ``individuals_dropped``, ``patents_without_date``,
        ``patents_unreadable_id``, ``patents_without_field``; with citations,
        ``citations_outside`` (cited patent not written) and ``citations_cited_later``
        (skipped).

    Raises:
        InnoclusterError: an option is not valid, a file or a column is missing, a file cannot
            be read as a PatentsView TSV, or no organisation is left to write.
    """
    import duckdb

    options = _options(years, bbox, state, county, cpc_level, individuals, grid_km)
    source, out = Path(source), Path(out)
    sources = _find(source)
    _check_columns(sources, options)
    if out.exists() and not out.is_dir():
        raise InnoclusterError(f"--out '{out}': exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.importing-", dir=out.parent))
    step = progress or (lambda name: None)
    try:
        work, tables = staging / "work", staging / "tables"
        work.mkdir()
        tables.mkdir()
        config = {
            "memory_limit": memory_limit,
            "threads": threads or os.cpu_count() or 1,
            "preserve_insertion_order": False,
            # A file's size is unknown to DuckDB before it is read, so it would build the hash
            # table of a join on the file's millions of rows; the joins below put the small side
            # right, where the hash table is built, and DuckDB keeps them so.
            "disabled_optimizers": "build_side_probe_side",
            "temp_directory": str(work / "duckdb"),
        }
        try:
            # A database file rather than memory: its tables can leave memory for disk.
            con = duckdb.connect(str(work / "import.duckdb"), config=config)
        except duckdb.Error as err:
            raise InnoclusterError(f"DuckDB settings refused: {_first_line(err)}") from None
        # A long query would otherwise draw DuckDB's progress bar on the user's stdout.
        con.execute("SET enable_progress_bar = false")
        try:
            with con:
                counts = _Import(con, sources, work, options, step).run(tables, grid_km)
        except duckdb.OutOfMemoryException as err:
            raise InnoclusterError(
                f"DuckDB ran out of memory ({_first_line(err)}); give a larger memory_limit "
                f"than {memory_limit}"
            ) from None
        record = {"source": str(source.resolve()), "options": options, "counts": counts}
        (tables / "import.json").write_text(json.dumps(record, indent=2) + "\n", "utf-8")
        _move(tables, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts


def _options(years, bbox, state, county, cpc_level, individuals, grid_km) -> dict[str, Any]:
    if sum(v is not None for v in (bbox, state, county)) > 1:
        raise InnoclusterError("--bbox, --state and --county: give at most one of them")
    if years is not None and years[0] > years[1]:
        raise InnoclusterError(f"--years {years[0]}-{years[1]}: the first year is after the last")
    if bbox is not None:
        lon1, lat1, lon2, lat2 = bbox
        if not all(math.isfinite(v) for v in bbox) or max(abs(lon1), abs(lon2)) > 180:
            raise InnoclusterError(f"--bbox {bbox}: longitudes must be within [-180, 180]")
        if max(abs(lat1), abs(lat2)) > 90:
            raise InnoclusterError(f"--bbox {bbox}: latitudes must be within [-90, 90]")
        bbox = (min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2))
    if state is not None:
        if not re.fullmatch(r"[A-Za-z]{2}", state.strip()):
            raise InnoclusterError(f"--state '{state}': expected a two-letter code such as CA")
        state = state.strip().upper()
    if county is not None:
        if not re.fullmatch(r"\d{4,5}", county.strip()):
            raise InnoclusterError(
                f"--county '{county}': expected a five-digit FIPS code such as 06085"
            )
        county = county.strip().zfill(5)
    if cpc_level not in CPC_LEVELS:
        raise InnoclusterError(
            f"--cpc-level '{cpc_level}': expected one of {', '.join(CPC_LEVELS)}"
        )
    if individuals not in ("keep", "drop"):
        raise InnoclusterError(f"--individuals '{individuals}': expected keep or drop")
    if not grid_km > 0:
        raise InnoclusterError(f"--grid-km must be > 0; got {grid_km}")
    return {
        "years": list(years) if years is not None else None,
        "bbox": list(bbox) if bbox is not None else None,
        "state": state,
        "county": county,
        "cpc_level": cpc_level,
        "individuals": individuals,
        "grid_km": grid_km,
    }


# -- the files -----------------------------------------------------------------------------------


def _find(folder: Path) -> dict[str, _Source]:
    if not folder.is_dir():
        raise InnoclusterError(f"{folder}: source folder does not exist")
    sources = {}
    for table in FILES + OPTIONAL_FILES:
        found = [folder / f"{table}{s}" for s in (".tsv", ".tsv.zip")]
        found = [p for p in found if p.is_file()]
        if not found and table in OPTIONAL_FILES:
            continue
        if not found:
            raise InnoclusterError(
                f"{folder / table}.tsv: file not found (expected {table}.tsv or "
                f"{table}.tsv.zip from the PatentsView bulk download)"
            )
        if len(found) > 1:
            raise InnoclusterError(
                f"{folder}: several files for {table}: {', '.join(p.name for p in found)}"
            )
        sources[table] = _Source(table, found[0], _header(found[0]))
    return sources


def _header(path: Path) -> tuple[str, ...]:
    # The first line only: a zipped file is read from its archive without extracting it.
    try:
        if path.name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                with archive.open(_member(path, archive)) as raw:
                    line = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="").readline()
        else:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                line = stream.readline()
    except UnicodeDecodeError as err:
        raise InnoclusterError(f"{path}: header row is not UTF-8 text ({err.reason})") from None
    except (zipfile.BadZipFile, OSError) as err:
        raise InnoclusterError(f"{path}: cannot be opened ({err})") from None
    if not line.strip():
        raise InnoclusterError(f"{path}: empty file: expected a header row")
    names = tuple(n.strip() for n in next(csv.reader([line], delimiter="\t", quotechar='"')))
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise InnoclusterError(f"{path}: column {duplicated[0]!r} appears twice in the header")
    return names


def _member(path: Path, archive: zipfile.ZipFile) -> str:
    names = [n for n in archive.namelist() if n.endswith(".tsv")]
    if len(names) != 1:
        raise InnoclusterError(f"{path}: expected one .tsv file in the archive, found {len(names)}")
    return names[0]


def _check_columns(sources: dict[str, _Source], options: dict[str, Any]) -> None:
    needed = {table: list(columns) for table, columns in _REQUIRED.items()}
    needed["g_cpc_current"].append(CPC_LEVELS[options["cpc_level"]])
    if options["state"] is not None:
        needed["g_location_disambiguated"].append("disambig_state")
    if options["county"] is not None:
        needed["g_location_disambiguated"].append("county_fips")
    for table, columns in needed.items():
        if table not in sources:
            continue  # an optional file left out
        src = sources[table]
        missing = [c for c in columns if c not in src.header]
        if missing:
            raise InnoclusterError(
                f"{src.path}: missing column {missing[0]} (the {table} table needs "
                f"{', '.join(columns)}; the header has {', '.join(src.header)})"
            )


def _extract(src: _Source, work: Path) -> Path:
    # DuckDB reads no zip archives: stream the member out in blocks, never whole in memory.
    if not src.zipped:
        return src.path
    target = work / f"{src.table}.tsv"
    with zipfile.ZipFile(src.path) as archive, archive.open(_member(src.path, archive)) as raw:
        with target.open("wb") as sink:
            shutil.copyfileobj(raw, sink, 16 * 2**20)
    return target


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _one_line(column: str) -> str:
    # Text on one line, as the tables require: runs of white space (tabs, line breaks) and
    # other control characters become one space.
    spaces = "[\\s\\x{00}-\\x{1f}\\x{7f}-\\x{9f}]+"
    return f"NULLIF(trim(regexp_replace({_name(column)}, '{spaces}', ' ', 'g')), '')"


def _number(column: str) -> str:
    # A patent id as the integer patent_id of the tables (see the module docstring), or NULL.
    prefix = " ".join(f"WHEN {_literal(k)} THEN {v}" for k, v in _PREFIXES.items())
    digits = f"TRY_CAST(regexp_extract({column}, '([0-9]+)$', 1) AS BIGINT)"
    return (
        f"CASE WHEN regexp_full_match({column}, '[A-Z]*[0-9]+') AND {digits} < 1000000000 "
        f"THEN CASE regexp_extract({column}, '^([A-Z]*)', 1) {prefix} END * 1000000000 "
        f"+ {digits} END"
    )


def _first_line(err: Exception) -> str:
    # DuckDB's CSV errors run over many lines: keep the line number and the reason.
    # The reason is the last line before "Possible fixes:" (the offending row may span lines).
    lines = [line.strip() for line in str(err).splitlines()]
    head = re.sub(r"^[A-Za-z ]*Error: ", "", lines[0]) if lines else type(err).__name__
    fixes = lines.index("Possible fixes:") if "Possible fixes:" in lines else 0
    reason = next((line for line in reversed(lines[1:fixes]) if line), "")
    return f"{head}: {reason}" if reason else head


# -- the import, inside DuckDB -------------------------------------------------------------------


class _Import:
    """The SQL of one import on one DuckDB connection: each method one step of :data:`STEPS`."""

    def __init__(self, con, sources: dict[str, _Source], work: Path, options, step) -> None:
        self.con = con
        self.sources = sources
        self.work = work  # where zipped files are extracted
        self.options = options
        self.step = step
        self.counts: dict[str, int] = {}

    def run(self, folder: Path, grid_km: float) -> dict[str, int]:
        """Run every step, then write the tables into ``folder``.

        Returns the rows written and the counts of what was left out.
        """
        self.patents()
        self.assignees()
        self.locations()
        self.own_positions()
        self.inventor_positions()
        self.organisations()
        self.fields()
        self.citations()
        self.step("writing")
        return {**self.write(folder, grid_km), **self.counts}

    @contextmanager
    def reading(self, table: str) -> Iterator[None]:
        """Within the block, the view ``table`` reads the file of that table.

        The view has the file header's names as text columns, explicit quoting and no sniffing.
        A DuckDB error there is the file's fault.
        """
        import duckdb

        src = self.sources[table]
        try:
            path = _extract(src, self.work)
        except (zipfile.BadZipFile, OSError) as err:
            raise InnoclusterError(f"{src.path}: cannot be extracted ({err})") from None
        columns = ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in src.header)
        try:
            self.con.execute(
                f"CREATE TEMP VIEW {table} AS SELECT * FROM read_csv({_literal(str(path))}, "
                f"delim='\\t', quote='\"', escape='\"', header=true, auto_detect=false, "
                f"columns={{{columns}}})"
            )
            yield
        except duckdb.OutOfMemoryException as err:
            raise InnoclusterError(
                f"{src.path}: DuckDB ran out of memory reading it ({_first_line(err)}); give a "
                "larger memory_limit"
            ) from None
        except duckdb.Error as err:
            raise InnoclusterError(
                f"{src.path}: cannot be read as a PatentsView TSV: {_first_line(err)}"
            ) from None
        finally:
            self.con.execute(f"DROP VIEW IF EXISTS {table}")
            if src.zipped:
                path.unlink(missing_ok=True)

    def has(self, table: str, column: str) -> bool:
        return column in self.sources[table].header

    def scalar(self, query: str) -> int:
        return int(self.con.execute(query).fetchall()[0][0])

    def patents(self) -> None:
        self.step("reading patents")
        with self.reading("g_patent"):
            self.con.execute(
                f"""
                CREATE TABLE pat AS
                SELECT patent_id, min(year) AS year, {_number("patent_id")} AS number
                FROM (SELECT NULLIF(trim("patent_id"), '') AS patent_id,
                             TRY_CAST(regexp_extract(trim("patent_date"), '^([0-9]{{4}})', 1)
                                      AS INTEGER) AS year
                      FROM g_patent)
                WHERE patent_id IS NOT NULL
                GROUP BY patent_id
                """
            )
        self.counts["patents_without_date"] = self.scalar(
            "SELECT count(*) FROM pat WHERE year IS NULL"
        )
        self.counts["patents_unreadable_id"] = self.scalar(
            "SELECT count(*) FROM pat WHERE year IS NOT NULL AND number IS NULL"
        )
        window = ""
        if self.options["years"] is not None:
            first, last = self.options["years"]
            window = f"OR year NOT BETWEEN {int(first)} AND {int(last)}"
        self.con.execute(f"DELETE FROM pat WHERE year IS NULL OR number IS NULL {window}")

    def assignees(self) -> None:
        self.step("reading assignees")
        t = "g_assignee_disambiguated"
        person = {
            part: _one_line(column) if self.has(t, column) else "NULL::VARCHAR"
            for part, column in (
                ("first", "disambig_assignee_individual_name_first"),
                ("last", "disambig_assignee_individual_name_last"),
            )
        }
        organization = _one_line("disambig_assignee_organization")
        with self.reading(t):
            self.con.execute(
                f"""
                CREATE TABLE asg AS
                SELECT a.*
                FROM (SELECT NULLIF(trim("patent_id"), '') AS patent_id,
                             {_one_line("assignee_id")} AS assignee_id,
                             TRY_CAST(trim("assignee_sequence") AS INTEGER) AS seq,
                             TRY_CAST(TRY_CAST(trim("assignee_type") AS DOUBLE) AS INTEGER)
                                 AS type_raw,
                             {organization} AS organization,
                             {person["first"]} AS first,
                             {person["last"]} AS last,
                             NULLIF(trim("location_id"), '') AS location_id
                      FROM g_assignee_disambiguated) a
                SEMI JOIN pat USING (patent_id)
                WHERE a.assignee_id IS NOT NULL
                """
            )

    def locations(self) -> None:
        self.step("reading locations")
        t = "g_location_disambiguated"
        state = "NULL"
        if self.has(t, "disambig_state"):
            state = "upper(NULLIF(trim(\"disambig_state\"), ''))"
        county = "NULL"
        if self.has(t, "county_fips"):
            c = "regexp_replace(trim(\"county_fips\"), '\\.0+$', '')"
            s = (
                "regexp_replace(trim(\"state_fips\"), '\\.0+$', '')"
                if self.has(t, "state_fips")
                else "NULL"
            )
            county = (
                f"CASE WHEN regexp_full_match({c}, '[0-9]{{4,5}}') THEN lpad({c}, 5, '0') "
                f"WHEN regexp_full_match({c}, '[0-9]{{1,3}}') "
                f"AND regexp_full_match({s}, '[0-9]{{1,2}}') "
                f"THEN lpad({s}, 2, '0') || lpad({c}, 3, '0') END"
            )
        with self.reading(t):
            self.con.execute(
                f"""
                CREATE TABLE loc AS
                SELECT * FROM (
                    SELECT NULLIF(trim("location_id"), '') AS location_id,
                           TRY_CAST(trim("latitude") AS DOUBLE) AS lat,
                           TRY_CAST(trim("longitude") AS DOUBLE) AS lon,
                           {state} AS state, {county} AS county
                    FROM g_location_disambiguated)
                WHERE location_id IS NOT NULL
                      AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180
                QUALIFY row_number() OVER (PARTITION BY location_id ORDER BY lat, lon) = 1
                """
            )

    def own_positions(self) -> None:
        self.step("placing organisations")
        # The assignee's most frequent located place; ties to the smallest location_id.
        self.con.execute(
            """
            CREATE TABLE own AS
            SELECT assignee_id, location_id FROM (
                SELECT assignee_id, location_id, count(*) AS n
                FROM asg SEMI JOIN loc USING (location_id) GROUP BY ALL)
            QUALIFY row_number() OVER (PARTITION BY assignee_id ORDER BY n DESC, location_id) = 1
            """
        )

    def inventor_positions(self) -> None:
        self.step("reading inventors")
        self.con.execute(
            """
            CREATE TABLE need AS
            SELECT DISTINCT patent_id FROM asg ANTI JOIN own USING (assignee_id)
            """
        )
        self.con.execute("CREATE TABLE fallback (assignee_id VARCHAR, location_id VARCHAR)")
        if self.scalar("SELECT count(*) FROM need") == 0:
            self.counts["placed_by_inventors"] = 0
            return  # every assignee has a place of its own: the inventors are not needed
        with self.reading("g_inventor_disambiguated"):
            self.con.execute(
                f"""
                CREATE TABLE first_inventor AS
                SELECT patent_id, location_id FROM (
                    SELECT NULLIF(trim("patent_id"), '') AS patent_id,
                           coalesce(TRY_CAST(trim("inventor_sequence") AS INTEGER),
                                    {_NO_SEQUENCE}) AS seq,
                           NULLIF(trim("location_id"), '') AS location_id
                    FROM g_inventor_disambiguated) i
                SEMI JOIN need USING (patent_id)
                SEMI JOIN loc USING (location_id)
                QUALIFY row_number() OVER (PARTITION BY patent_id ORDER BY seq, location_id) = 1
                """
            )
        self.con.execute(
            """
            INSERT INTO fallback
            SELECT assignee_id, location_id FROM (
                SELECT a.assignee_id, f.location_id, count(*) AS n
                FROM (SELECT * FROM asg ANTI JOIN own USING (assignee_id)) a
                JOIN first_inventor f USING (patent_id)
                GROUP BY ALL)
            QUALIFY row_number() OVER (PARTITION BY assignee_id ORDER BY n DESC, location_id) = 1
            """
        )
        self.counts["placed_by_inventors"] = self.scalar("SELECT count(*) FROM fallback")

    def organisations(self) -> None:
        self.step("joining tables")
        words = "|".join(re.escape(w).replace("\\ ", " ") for w in RESEARCH_WORDS)
        research = _literal(f"(?:^|[^\\pL\\pN])(?:{words})(?:$|[^\\pL\\pN])")
        kinds = " ".join(f"WHEN {code} THEN '{kind}'" for code, kind in ASSIGNEE_KINDS.items())
        self.con.execute(
            f"""
            CREATE TABLE org_all AS
            WITH codes AS (
                SELECT assignee_id, code FROM (
                    SELECT assignee_id, count(*) AS n,
                           CASE WHEN type_raw BETWEEN 11 AND 19 THEN type_raw - 10
                                ELSE type_raw END AS code
                    FROM asg WHERE type_raw IS NOT NULL GROUP BY ALL)
                QUALIFY row_number() OVER (PARTITION BY assignee_id ORDER BY n DESC, code) = 1
            ), names AS (
                SELECT assignee_id, min(year) AS born, min(organization) AS organization,
                       min(CASE WHEN last IS NOT NULL THEN last || coalesce(', ' || first, '')
                                ELSE first END) AS person
                FROM asg JOIN pat USING (patent_id) GROUP BY assignee_id
            ), placed AS (
                SELECT assignee_id, location_id FROM own
                UNION ALL SELECT assignee_id, location_id FROM fallback
            )
            SELECT n.assignee_id, n.born, coalesce(n.organization, n.person) AS name,
                   CASE
                       WHEN c.coded IN ('institute', 'individual') THEN c.coded
                       WHEN c.coded IS NULL AND n.organization IS NULL
                            AND n.person IS NOT NULL THEN 'individual'
                       WHEN regexp_matches(coalesce(n.organization, ''), {research}, 'i')
                            THEN 'institute'
                       ELSE 'firm'
                   END AS kind,
                   l.lon, l.lat, l.state, l.county
            FROM names n
            LEFT JOIN (SELECT assignee_id, CASE code {kinds} END AS coded FROM codes) c
                USING (assignee_id)
            LEFT JOIN placed p USING (assignee_id)
            LEFT JOIN loc l USING (location_id)
            """
        )
        keep = ["lon IS NOT NULL"]
        o = self.options
        if o["bbox"] is not None:
            lon1, lat1, lon2, lat2 = (float(v) for v in o["bbox"])
            keep.append(f"lon BETWEEN {lon1!r} AND {lon2!r} AND lat BETWEEN {lat1!r} AND {lat2!r}")
        if o["state"] is not None:
            keep.append(f"state IS NOT DISTINCT FROM {_literal(o['state'])}")
        if o["county"] is not None:
            keep.append(f"county IS NOT DISTINCT FROM {_literal(o['county'])}")
        placed_and_inside = " AND ".join(keep)
        if o["individuals"] == "drop":
            keep.append("kind <> 'individual'")
        self.con.execute(
            f"""
            CREATE TABLE org AS
            SELECT row_number() OVER (ORDER BY assignee_id) - 1 AS org_id, *
            FROM org_all WHERE {" AND ".join(keep)}
            """
        )
        c = self.counts
        c["assignees"] = self.scalar("SELECT count(*) FROM org_all")
        c["without_position"] = self.scalar("SELECT count(*) FROM org_all WHERE lon IS NULL")
        c["outside_filter"] = (
            c["assignees"]
            - c["without_position"]
            - self.scalar(f"SELECT count(*) FROM org_all WHERE {placed_and_inside}")
        )
        c["individuals_dropped"] = self.scalar(
            f"SELECT count(*) FROM org_all WHERE {placed_and_inside} AND kind = 'individual'"
            if o["individuals"] == "drop"
            else "SELECT 0"
        )
        if self.scalar("SELECT count(*) FROM org") == 0:
            raise InnoclusterError(
                f"nothing to import: none of the {c['assignees']:,} assignees with a patent in "
                f"the window has a position{' inside the filter' if len(keep) > 1 else ''} "
                f"({c['without_position']:,} without a position, {c['outside_filter']:,} "
                f"outside the filter, {c['individuals_dropped']:,} individuals dropped)"
            )
        # Each (patent, organisation) once; a patent's owner is its first-listed organisation.
        self.con.execute(
            f"""
            CREATE TABLE po AS
            SELECT a.patent_id, o.org_id, min(p.year) AS year,
                   min(coalesce(a.seq, {_NO_SEQUENCE})) AS seq
            FROM asg a JOIN org o USING (assignee_id) JOIN pat p USING (patent_id)
            GROUP BY a.patent_id, o.org_id
            """
        )
        self.con.execute(
            """
            CREATE TABLE owner AS
            SELECT patent_id, org_id, year FROM po
            QUALIFY row_number() OVER (PARTITION BY patent_id ORDER BY seq, org_id) = 1
            """
        )

    def fields(self) -> None:
        self.step("reading CPC classes")
        t = "g_cpc_current"
        code = f"upper(trim({_name(CPC_LEVELS[self.options['cpc_level']])}))"
        section = f"(strpos('ABCDEFGHY', substr({code}, 1, 1)) - 1)"
        klass = f"({section} * 100 + TRY_CAST(substr({code}, 2, 2) AS INTEGER))"
        field = {
            "section": f"CASE WHEN regexp_full_match({code}, '[A-HY]') THEN {section} END",
            "class": f"CASE WHEN regexp_full_match({code}, '[A-HY][0-9]{{2}}') THEN {klass} END",
            "subclass": (
                f"CASE WHEN regexp_full_match({code}, '[A-HY][0-9]{{2}}[A-Z]') "
                f"THEN {klass} * 100 + ascii(substr({code}, 4, 1)) - 65 END"
            ),
        }[self.options["cpc_level"]]
        rank = (
            "CASE WHEN lower(trim(\"cpc_type\")) = 'inventional' THEN 0 ELSE 1 END"
            if self.has(t, "cpc_type")
            else "0"
        )
        with self.reading(t):
            self.con.execute(
                f"""
                CREATE TABLE pfield AS
                SELECT patent_id, field FROM (
                    SELECT NULLIF(trim("patent_id"), '') AS patent_id, {field} AS field,
                           {rank} AS rank,
                           coalesce(TRY_CAST(trim("cpc_sequence") AS INTEGER), {_NO_SEQUENCE})
                               AS seq
                    FROM g_cpc_current) c
                SEMI JOIN owner USING (patent_id)
                WHERE field IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY patent_id ORDER BY rank, seq, field) = 1
                """
            )
        self.counts["patents_without_field"] = self.scalar(
            "SELECT count(*) FROM owner ANTI JOIN pfield USING (patent_id)"
        )

    def citations(self) -> None:
        if "g_us_patent_citation" not in self.sources:
            return
        self.step("reading citations")
        t = "g_us_patent_citation"
        channel = "NULL::VARCHAR"
        if self.has(t, "citation_category"):
            category = 'lower(trim("citation_category"))'
            channel = (
                f"CASE {category} WHEN 'cited by examiner' THEN 'examiner' "
                f"WHEN 'cited by applicant' THEN 'applicant' END"
            )
        # The patents written: those with an owner and a field.
        self.con.execute(
            """
            CREATE TABLE kept AS
            SELECT p.number, p.year FROM owner w JOIN pfield USING (patent_id)
            JOIN pat p USING (patent_id)
            """
        )
        # The citation file is the big side: on the left, the patents written on the right.
        with self.reading(t):
            self.con.execute(
                f"""
                CREATE TABLE cit_all AS
                SELECT c.citing, c.year, c.cited_number, k.year AS cited_year, c.channel
                FROM (
                    SELECT k.number AS citing, k.year, c.cited_number, c.channel
                    FROM (SELECT {_number("citing_id")} AS citing_number,
                                 {_number("cited_id")} AS cited_number, channel
                          FROM (SELECT trim("patent_id") AS citing_id,
                                       trim("citation_patent_id") AS cited_id,
                                       {channel} AS channel
                                FROM {t})) c
                    JOIN kept k ON c.citing_number = k.number
                ) c
                LEFT JOIN kept k ON c.cited_number = k.number
                """
            )
        self.counts["citations_cited_later"] = self.scalar(
            "SELECT count(*) FROM cit_all WHERE cited_year > year"
        )
        # One row per (citing, cited) pair; outside citations (no cited id) each kept.
        self.con.execute(
            """
            CREATE TABLE cit AS
            SELECT citing, CASE WHEN cited_year IS NOT NULL THEN cited_number END AS cited,
                   year, channel
            FROM cit_all
            WHERE cited_year IS NULL OR cited_year <= year
            QUALIFY cited_year IS NULL
                OR row_number() OVER (PARTITION BY citing, cited_number ORDER BY channel) = 1
            """
        )
        self.con.execute("DROP TABLE cit_all")
        self.counts["citations_outside"] = self.scalar(
            "SELECT count(*) FROM cit WHERE cited IS NULL"
        )

    def write(self, folder: Path, grid_km: float) -> dict[str, int]:
        """Write the tables as Parquet into ``folder``; return their rows.

        Organisations and alliances (one row per organisation or pair) come into Python whole;
        patents and citations, the long tables, stream through in batches so memory does not
        grow with them.
        """
        orgs = self.con.sql(
            """
            SELECT o.org_id, CASE WHEN o.kind = 'individual' THEN 'firm' ELSE o.kind END
                       AS kind,
                   o.lon, o.lat, o.born, coalesce(f.field, -1) AS field_focus,
                   o.assignee_id AS source_id, o.name
            FROM org o LEFT JOIN (
                SELECT org_id, field FROM (
                    SELECT po.org_id, pf.field, count(*) AS n
                    FROM po JOIN pfield pf USING (patent_id) GROUP BY ALL)
                QUALIFY row_number() OVER (PARTITION BY org_id ORDER BY n DESC, field) = 1
            ) f USING (org_id)
            ORDER BY o.org_id
            """
        ).fetchnumpy()
        n = len(orgs["org_id"])
        x, y = lambert_equal_area(np.asarray(orgs["lon"], float), np.asarray(orgs["lat"], float))
        none = np.full(n, -1)
        org_columns = {
            "org_id": orgs["org_id"],
            "kind": _text(orgs["kind"]),
            "x": x,
            "y": y,
            "region": grid_regions(x, y, grid_km),
            "field_focus": orgs["field_focus"],
            "born": orgs["born"],
            "exited": none,
            "employees": none,
            "parent": none,
            "source_id": _text(orgs["source_id"]),
            "name": _text(orgs["name"]),
        }
        write_table(from_arrays(ORGANIZATIONS, org_columns), folder / "organizations.parquet")

        patents = self.con.sql(
            """
            SELECT p.number AS patent_id, w.org_id, w.year, pf.field
            FROM owner w JOIN pfield pf USING (patent_id) JOIN pat p USING (patent_id)
            ORDER BY p.number
            """
        )

        def placed(batch):
            owner = batch.column("org_id").to_numpy().astype(np.int64)  # org_id = row
            columns = {name: batch.column(name).to_numpy() for name in batch.schema.names}
            return from_arrays(PATENTS, {**columns, "x": x[owner], "y": y[owner]})

        rows = _stream(patents, folder / "patents.parquet", PATENTS, placed)
        written = {}
        if "g_us_patent_citation" in self.sources:
            citations = self.con.sql(
                "SELECT citing, cited, year, channel FROM cit ORDER BY citing, cited NULLS LAST"
            )

            def table(batch):
                columns = {
                    "citing": batch.column("citing").to_numpy(),
                    "cited": batch.column("cited").fill_null(-1).to_numpy(),
                    "year": batch.column("year").to_numpy(),
                    "channel": batch.column("channel").to_numpy(zero_copy_only=False),
                }
                return from_arrays(CITATIONS, columns)

            written["citations"] = _stream(
                citations, folder / "citations.parquet", CITATIONS, table
            )

        alliances = self.con.sql(
            """
            SELECT a.org_id AS org_a, b.org_id AS org_b, min(a.year) AS start,
                   count(*) AS strength
            FROM po a JOIN po b ON a.patent_id = b.patent_id AND a.org_id < b.org_id
            GROUP BY ALL ORDER BY org_a, org_b
            """
        ).fetchnumpy()
        m = len(alliances["org_a"])
        ally_columns = {
            "org_a": alliances["org_a"],
            "org_b": alliances["org_b"],
            "start": alliances["start"],
            "end": np.full(m, -1),
            "strength": np.asarray(alliances["strength"], dtype=float),
        }
        write_table(from_arrays(ALLIANCES, ally_columns), folder / "alliances.parquet")
        return {"organizations": n, "patents": rows, "alliances": m, **written}


# -- writing -------------------------------------------------------------------------------------


def _stream(relation, path: Path, schema, convert) -> int:
    # A DuckDB result written in batches of _BATCH rows (zstd, as write_table); returns rows.
    # DuckDB 2 calls the batch reader to_arrow_reader; DuckDB 1 fetch_record_batch.
    if hasattr(relation, "to_arrow_reader"):
        batches = relation.to_arrow_reader(_BATCH)
    else:
        batches = relation.fetch_record_batch(_BATCH)
    rows = 0
    with pq.ParquetWriter(path, schema.arrow, compression="zstd") as writer:
        for batch in batches:
            writer.write_table(convert(batch))
            rows += batch.num_rows
    return rows


def _text(values: np.ndarray) -> np.ndarray:
    # DuckDB hands text with nulls over as a masked array: the nulls become None.
    text = np.asarray(np.ma.getdata(values), dtype=object).copy()
    text[np.ma.getmaskarray(values)] = None
    return text


def _move(tables: Path, out: Path) -> None:
    # A new folder appears whole, by one rename; an existing one gets each file replaced.
    if not out.exists():
        os.rename(tables, out)
        return
    for path in sorted(tables.iterdir()):
        os.replace(path, out / path.name)
