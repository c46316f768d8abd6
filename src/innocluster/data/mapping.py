"""A user's own files mapped onto the cluster tables: ``innocluster import csv``.

A mapping file (TOML) says, for each table, which file holds it, which of the file's columns
gives each column of the table, and, optionally, how the file's kinds of organisation translate::

    [organizations]
    file = "firms.csv"                      # relative to the source folder; .csv or .tsv
    columns = { org_id = "firm_no", kind = "type", lon = "longitude", lat = "latitude",
                born = "founded", name = "firm_name" }      # source_id and name optional
    kinds = { "Company" = "firm", "University" = "institute", "Agency" = "institute" }

    [patents]
    file = "patents.tsv"
    columns = { patent_id = "number", org_id = "applicant", year = "filed", field = "ipc_class" }

    [alliances]                             # optional: an empty alliances table otherwise
    file = "projects.csv"
    columns = { org_a = "partner1", org_b = "partner2", start = "year" }

Columns of the file that the mapping does not name are dropped. The mapped tables then go
through every check of :func:`~innocluster.data.files.validate_folder`, with each problem told
in terms of the user's file and column, and are written as Parquet cluster tables into the
output folder, each file moved into place once all are written; nothing is written when there
is a problem.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from innocluster._files import read_toml
from innocluster.data.files import Problem, file_columns, read_delimited, validate_folder
from innocluster.errors import InnoclusterError
from innocluster.tables import ALLIANCES, KINDS, ORGANIZATIONS, PATENTS, from_arrays, write_table

__all__ = ["import_csv"]

_SCHEMAS = {"organizations": ORGANIZATIONS, "patents": PATENTS, "alliances": ALLIANCES}


def import_csv(
    source: str | Path, out: str | Path, mapping: str | Path, grid_km: float = 10.0
) -> dict[str, int]:
    """Map a user's CSV/TSV files onto the cluster tables and write them into ``out``.

    Args:
        source: the folder holding the user's files.
        out: the data folder to write (created; its cluster tables are replaced).
        mapping: the TOML mapping file (see the module docstring).
        grid_km: grid of regions when the data have no region column.

    Returns:
        Rows written per table.

    Raises:
        InnoclusterError: the mapping or a file is not valid; every problem of the mapped
            tables is listed (see :func:`~innocluster.data.files.load_tables`).
    """
    source, out, mapping = Path(source), Path(out), Path(mapping)
    spec = _read_mapping(mapping)
    with tempfile.TemporaryDirectory(prefix=".innocluster-import-") as staging:
        staged = Path(staging)
        for table, entry in spec.items():
            _map_table(source, table, entry, mapping, staged)
        if "alliances" not in spec:
            (staged / "alliances.csv").write_text("org_a,org_b,start\n", "utf-8")
        tables, problems = validate_folder(staged, grid_km=grid_km)
        if problems:
            lines = "\n".join(str(_in_source(p, spec, source)) for p in problems)
            raise InnoclusterError(f"{len(problems)} problem(s) in the mapped files:\n{lines}")
        out.mkdir(parents=True, exist_ok=True)
        written = {}
        for name, schema in _SCHEMAS.items():
            frame = tables[name]
            columns = schema.including(list(frame.columns)).columns
            arrays = {c.name: _column(frame[c.name]) for c in columns}
            write_table(from_arrays(schema, arrays), staged / f"{name}.parquet")
            written[name] = len(frame)
        for name in _SCHEMAS:
            os.replace(staged / f"{name}.parquet", out / f"{name}.parquet")
    return written


def _read_mapping(path: Path) -> dict[str, dict[str, Any]]:
    spec = read_toml(path, "mapping file")
    unknown = [k for k in spec if k not in _SCHEMAS]
    if unknown:
        raise InnoclusterError(
            f"mapping file '{path}': unknown table [{unknown[0]}]; expected organizations, "
            "patents, alliances"
        )
    for table in ("organizations", "patents"):
        if table not in spec:
            raise InnoclusterError(f"mapping file '{path}': missing table [{table}]")
    for table, entry in spec.items():
        extra = [k for k in entry if k not in ("file", "columns", "kinds")]
        if (
            extra
            or not isinstance(entry.get("file"), str)
            or not isinstance(entry.get("columns"), dict)
        ):
            raise InnoclusterError(
                f"mapping file '{path}': [{table}] needs file = \"...\" and columns = {{...}}"
                + (f"; unknown key {extra[0]}" if extra else "")
            )
        targets = [k for k in entry["columns"] if k not in file_columns(table)]
        if targets:
            raise InnoclusterError(
                f"mapping file '{path}': [{table}].columns: unknown column {targets[0]}; "
                f"expected some of {', '.join(file_columns(table))}"
            )
        bad = [v for v in entry.get("kinds", {}).values() if v not in KINDS]
        if bad:
            raise InnoclusterError(
                f"mapping file '{path}': [{table}].kinds: expected one of {', '.join(KINDS)}, "
                f"got {bad[0]!r}"
            )
    return spec


def _map_table(source: Path, table: str, entry: dict, mapping: Path, staged: Path) -> None:
    path = source / entry["file"]
    if path.suffix not in (".csv", ".tsv"):
        raise InnoclusterError(
            f"mapping file '{mapping}': [{table}].file: expected a .csv or "
            f".tsv file, got '{entry['file']}'"
        )
    if not path.is_file():
        raise InnoclusterError(f"{path}: file not found (named by [{table}] of '{mapping}')")
    try:
        frame = read_delimited(path)
    except UnicodeDecodeError as err:
        raise InnoclusterError(f"{path}: not UTF-8 text (byte {err.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InnoclusterError(f"{path}: cannot be parsed ({err})") from None
    columns = entry["columns"]
    missing = [src for src in columns.values() if src not in frame.columns]
    if missing:
        raise InnoclusterError(
            f"{path}: no column {missing[0]!r} (mapped by [{table}].columns of '{mapping}'); "
            f"the file has {', '.join(frame.columns)}"
        )
    mapped = frame[list(columns.values())].set_axis(list(columns), axis=1)
    if "kinds" in entry and "kind" in mapped:
        mapped["kind"] = mapped["kind"].map(lambda v: entry["kinds"].get(v, v))
    mapped.to_csv(staged / f"{table}.csv", index=False)


def _in_source(problem: Problem, spec: dict, source: Path) -> Problem:
    # A problem found in a staged table, told in terms of the user's file and column.
    table = Path(problem.file).stem
    if table not in spec:
        return problem
    renamed = {target: name for target, name in spec[table]["columns"].items()}
    column = renamed.get(problem.column, problem.column)
    return Problem(str(source / spec[table]["file"]), problem.row, column, problem.message)


def _column(series: pd.Series) -> Any:
    # The state's conventions for from_arrays: -1 for a missing integer, NaN for a float.
    if str(series.dtype) in ("Int32", "Int64"):
        return series.to_numpy(na_value=-1)
    return series.to_numpy()
