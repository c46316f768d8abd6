"""The result store: an experiment's output folder, its run files and its DuckDB catalog.

Layout of an output folder (``docs/experiments.md`` lists every column)::

    OUTDIR/
      experiment.json     the experiment: name, base, factors, seeds, indicators, plan hash
      design.parquet      one row per design point: design_id and the designed factor values
      problem.json        the SALib problem of a sampled design (sobol, morris, lhs)
      runs/<run_id>.parquet   one file per finished run: run_id, step and the kept indicators
      catalog.duckdb      table ``runs``: one row per design point and seed
      compare.parquet, sensitivity.parquet, attribution.parquet   analyses (when made)

A run's id is the first 16 hex digits of the SHA-256 of the canonical JSON (keys sorted, no
spaces) of the resolved scenario without its ``name`` and ``description`` (which do not change
a run), together with the seed. The package version is *not* part of it: the id names the
question (scenario, seed), the version that answered it is recorded beside it in the run file
and the catalog. Ids are therefore stable across machines, worker counts and releases.

Files are written under a temporary name in their folder and renamed into place, so a run file
is either complete or absent. Workers write run files; only the process that drives a sweep
writes the catalog, opening it for each batch of rows and closing it at once, so readers get in
between. :func:`connect` reads through a read-only attachment, with views ``steps`` (every run
file) and ``design``, ``compare``, ``sensitivity``, ``attribution`` over the Parquet files.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from innocluster.core.parameters import ScenarioBase
from innocluster.errors import InnoclusterError

__all__ = [
    "CATALOG",
    "DESIGN",
    "EXPERIMENT",
    "PROBLEM",
    "RUNS",
    "connect",
    "query",
    "read_runs",
    "run_id",
    "write_catalog",
    "write_parquet",
    "write_run",
]

RUNS = "runs"
CATALOG = "catalog.duckdb"
EXPERIMENT = "experiment.json"
DESIGN = "design.parquet"
PROBLEM = "problem.json"
#: Analysis files that get a view of their own name in :func:`connect`.
ANALYSES = ("compare", "sensitivity", "attribution")
_TEMPORARY = ".tmp"


def run_id(scenario: ScenarioBase, seed: int) -> str:
    """The id of the run of ``scenario`` with ``seed``: 16 hex digits, stable everywhere."""
    data = scenario.model_dump(mode="json", exclude={"name", "description"})
    text = json.dumps({"scenario": data, "seed": int(seed)}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def run_path(out: Path, rid: str) -> Path:
    """Where the run file of run ``rid`` goes."""
    return out / RUNS / f"{rid}.parquet"


def write_run(table: pa.Table, path: Path, metadata: dict[str, Any]) -> None:
    """Write one run's per-step table atomically, with ``metadata`` as JSON in the schema."""
    table = table.replace_schema_metadata({"innocluster": json.dumps(metadata)})
    _atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame as Parquet atomically (no index)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    _atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def write_json(data: dict[str, Any], path: Path) -> None:
    """Write JSON atomically."""
    _atomic(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2) + "\n", "utf-8"))


def _atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(f"{path.name}{_TEMPORARY}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def remove_temporary(folder: Path) -> None:
    """Delete what interrupted writers left behind in ``folder`` (names ``*.tmp-*``)."""
    for item in folder.glob(f"*{_TEMPORARY}-*"):
        item.unlink(missing_ok=True)


def present_runs(out: Path) -> set[str]:
    """The ids of the runs whose files are in ``out/runs``."""
    return {path.stem for path in (out / RUNS).glob("*.parquet")}


def read_final(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The last row of a run file (without ``run_id`` and ``step``) and the file's metadata."""
    table = pq.read_table(path)
    meta = json.loads((table.schema.metadata or {}).get(b"innocluster", b"{}"))
    last = {name: table.column(name)[-1].as_py() for name in table.column_names}
    last.pop("run_id", None)
    last.pop("step", None)
    return last, meta


def write_catalog(out: Path, rows: pa.Table) -> None:
    """Insert or replace ``rows`` (keyed by ``design_id`` and ``seed``) in the ``runs`` table."""
    with _open(out / CATALOG, read_only=False) as con:
        con.register("batch", rows)
        con.execute("CREATE TABLE IF NOT EXISTS runs AS SELECT * FROM batch WHERE false")
        con.execute(
            "DELETE FROM runs WHERE (design_id, seed) IN (SELECT (design_id, seed) FROM batch)"
        )
        con.execute("INSERT INTO runs SELECT * FROM batch")
        con.unregister("batch")


def read_runs(out: Path) -> pd.DataFrame:
    """The catalog's ``runs`` table, sorted by design point and seed (empty if none)."""
    if not (out / CATALOG).is_file():
        return pd.DataFrame()
    with _open(out / CATALOG, read_only=True) as con:
        return con.execute("SELECT * FROM runs ORDER BY design_id, seed").df()


def _open(path: Path, read_only: bool, tries: int = 50) -> duckdb.DuckDBPyConnection:
    # Another process may hold the file for a moment (a sweep writing a batch): wait for it.
    for attempt in range(tries):
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException:
            if attempt == tries - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def connect(out: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the folder's catalog attached read-only.

    Views: ``runs`` (the catalog's table), ``steps`` (every run file: ``run_id``, ``step`` and
    the kept indicators), ``design`` and, when their files exist, ``compare``, ``sensitivity``
    and ``attribution``. Nothing written through it reaches the folder.

    Raises:
        InnoclusterError: ``out`` holds no catalog.
    """
    folder = Path(out)
    catalog = folder / CATALOG
    if not catalog.is_file():
        raise InnoclusterError(f"output folder '{folder}' has no {CATALOG}: run a sweep first")
    con = duckdb.connect(":memory:")
    for attempt in range(50):
        try:
            con.execute(f"ATTACH {_literal(catalog)} AS catalog (READ_ONLY)")
            break
        except duckdb.IOException:
            if attempt == 49:
                raise
            time.sleep(0.1)
    con.execute("CREATE VIEW runs AS SELECT * FROM catalog.runs")
    if any((folder / RUNS).glob("*.parquet")):
        pattern = _literal(folder / RUNS / "*.parquet")
        con.execute(
            f"CREATE VIEW steps AS SELECT * FROM read_parquet({pattern}, union_by_name=true)"
        )
    if (folder / DESIGN).is_file():
        con.execute(
            f"CREATE VIEW design AS SELECT * FROM read_parquet({_literal(folder / DESIGN)})"
        )
    for name in ANALYSES:
        if (folder / f"{name}.parquet").is_file():
            path = _literal(folder / f"{name}.parquet")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({path})")
    return con


def query(out: str | Path, sql: str) -> pd.DataFrame:
    """Answer ``sql`` over the folder's catalog and run files (see :func:`connect`).

    Raises:
        InnoclusterError: the folder has no catalog, or the SQL is not valid.
    """
    con = connect(out)
    try:
        return con.execute(sql).df()
    except duckdb.Error as err:
        first = str(err).splitlines()[0]
        raise InnoclusterError(f"query: {first}") from None
    finally:
        con.close()


def _literal(path: Path) -> str:
    return "'" + str(path.resolve()).replace("'", "''") + "'"


def read_record(out: Path) -> dict[str, Any]:
    """The folder's ``experiment.json``.

    Raises:
        InnoclusterError: the folder holds no experiment.
    """
    path = Path(out) / EXPERIMENT
    if not path.is_file():
        raise InnoclusterError(f"output folder '{out}' holds no experiment ({EXPERIMENT})")
    return json.loads(path.read_text("utf-8"))


def metric_values(out: Path, metric: str, at_step: int | None = None) -> pd.DataFrame:
    """The finished runs of the folder with one indicator's value.

    The table has the catalog's run columns (run id, design id, seed, scenario, factors) and
    ``value``, the indicator at the last step or at step ``at_step``.

    Args:
        out: the experiment folder.
        metric: the indicator, one of those the experiment kept.
        at_step: the step at which the indicator is read (default: the last).

    Raises:
        InnoclusterError: the indicator was not kept, or no run reached ``at_step``.
    """
    out = Path(out)
    record = read_record(out)
    if metric not in record["indicators"]:
        raise InnoclusterError(
            f"--metric {metric}: not an indicator of this experiment; expected one of: "
            f"{', '.join(record['indicators'])}"
        )
    runs = read_runs(out)
    runs = runs[runs["status"] == "ok"]
    keep = [c for c in runs.columns if c not in record["indicators"]]
    if at_step is None:
        return runs[keep].assign(value=runs[metric]).reset_index(drop=True)
    con = connect(out)
    try:
        sql = f'SELECT run_id, "{metric}" AS value FROM steps WHERE step = ?'
        values = con.execute(sql, [int(at_step)]).df() if not runs.empty else None
    finally:
        con.close()
    if values is None or values.empty:
        raise InnoclusterError(f"--at-step {at_step}: no finished run has this step")
    return runs[keep].merge(values, on="run_id").reset_index(drop=True)


def merge_analysis(out: Path, name: str, table: pd.DataFrame, keys: list[str]) -> None:
    """Write ``table`` into ``out/NAME.parquet``, replacing the rows it supersedes.

    Those are the rows of the file that agree with ``table`` on every column of ``keys``; a file
    with other columns than ``table`` is replaced whole.
    """
    path = Path(out) / f"{name}.parquet"
    if path.is_file():
        before = pd.read_parquet(path)
        if list(before.columns) == list(table.columns):
            new = set(table[keys].astype(str).itertuples(index=False, name=None))
            old = before[keys].astype(str).itertuples(index=False, name=None)
            kept = before[[row not in new for row in old]]
            table = pd.concat([kept, table], ignore_index=True) if not kept.empty else table
    write_parquet(table, path)
