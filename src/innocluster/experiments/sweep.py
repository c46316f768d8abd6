"""Sweeps: run every (design point, seed) of an experiment on Dask, resumably.

Each run is a Dask task that writes its own run file (``runs/<run_id>.parquet``, atomically);
the process that calls :func:`sweep` alone writes the catalog (``catalog.duckdb``), in batches
as results come in. Runs whose files are already present are not run again, so a sweep that
was interrupted (a worker killed, the machine rebooted, Ctrl-C) continues where it stopped with
``resume=True``: nothing finished is lost and nothing is run twice. A run that raises is
recorded in the catalog with ``status = 'error'`` and its error, and the others go on; it is
tried again by the next resumed sweep.

The catalog's ``runs`` table has one row per design point and seed (columns in
``docs/experiments.md``): run id, design id, seed, scenario, status (``pending``, ``ok`` or
``error``), error, wall seconds, package version, the factors' values and the last step's
indicators.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from innocluster._version import __version__
from innocluster.errors import InnoclusterError
from innocluster.experiments import store
from innocluster.experiments.execute import dask_client, run_tasks, run_to_file
from innocluster.experiments.spec import Experiment, load_experiment
from innocluster.models import MODELS
from innocluster.tables import indicators_schema

__all__ = ["SweepResult", "sweep"]

#: Seconds between two writes of the catalog while results come in.
FLUSH_SECONDS = 1.0

#: The catalog's first columns, before the factors and the indicators.
FIXED_COLUMNS = pa.schema(
    [
        ("run_id", pa.string()),
        ("design_id", pa.int64()),
        ("seed", pa.int64()),
        ("scenario", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("wall_seconds", pa.float64()),
        ("innocluster", pa.string()),
    ]
)


@dataclass(frozen=True)
class SweepResult:
    """What a sweep did.

    Attributes:
        experiment: the experiment.
        runs: the catalog's rows of the experiment (one per design point and seed).
        ran: runs simulated by this sweep.
        skipped: runs found already done.
    """

    experiment: Experiment
    runs: pd.DataFrame
    ran: int
    skipped: int

    @property
    def failed(self) -> pd.DataFrame:
        """The rows of runs that raised: ``run_id``, ``design_id``, ``seed``, ``error``, ..."""
        return self.runs[self.runs["status"] == "error"]


def sweep(
    experiment: Experiment | str | Path | dict[str, Any],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    resume: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Run every design point of ``experiment`` with every seed, on Dask.

    Args:
        experiment: an :class:`Experiment` or what :func:`load_experiment` reads.
        workers: worker processes of a local cluster (default: one per core).
        scheduler: the address of a running Dask scheduler, instead of a local cluster.
        client: a Dask client to reuse.
        resume: continue the experiment already in the output folder (required when the
            folder holds one; it must be the same experiment).
        progress: called as ``progress(done, total)`` as runs finish (``total``: runs to do).

    Returns:
        The catalog's rows and what was run; failed runs are in ``result.failed``.

    Raises:
        InnoclusterError: the experiment is not valid, or the output folder holds an
            experiment and ``resume`` is false, or holds a different experiment.
    """
    if not isinstance(experiment, Experiment):
        experiment = load_experiment(experiment)
    out = experiment.out
    record = experiment.record()
    _check_folder(out, record, resume)
    (out / store.RUNS).mkdir(parents=True, exist_ok=True)
    store.remove_temporary(out)
    store.remove_temporary(out / store.RUNS)
    store.write_json(record, out / store.EXPERIMENT)
    store.write_parquet(_design_table(experiment), out / store.DESIGN)
    if experiment.problem is not None:
        store.write_json(experiment.problem, out / store.PROBLEM)

    schema = catalog_schema(experiment)
    present, rows = _starting_rows(experiment)
    store.write_catalog(out, pa.Table.from_pylist(rows, schema=schema))
    by_run: dict[str, list[int]] = {}
    for i, planned in enumerate(experiment.runs):
        by_run.setdefault(planned.run_id, []).append(i)
    todo = [rid for rid in by_run if rid not in present]
    skipped = len(by_run) - len(todo)

    if todo:
        tag = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:8]
        arguments = [
            (
                experiment.scenarios[experiment.runs[by_run[rid][0]].design_id],
                experiment.runs[by_run[rid][0]].seed,
                rid,
                experiment.indicators,
                str(out.resolve()),
            )
            for rid in todo
        ]
        pending: list[dict[str, Any]] = []
        last_flush = time.monotonic()
        done = 0

        def on_result(i: int, result: Any) -> None:
            nonlocal last_flush, done
            if isinstance(result, Exception):  # the task was lost (e.g. it killed its workers)
                result = {
                    "status": "error",
                    "error": f"{type(result).__name__}: {result}",
                    "final": {},
                    "wall_seconds": None,
                }
            for j in by_run[todo[i]]:
                pending.append(_row(experiment, j, result, __version__))
            done += 1
            if progress is not None:
                progress(done, len(todo))
            if time.monotonic() - last_flush > FLUSH_SECONDS:
                store.write_catalog(out, pa.Table.from_pylist(pending, schema=schema))
                pending.clear()
                last_flush = time.monotonic()

        try:
            with dask_client(workers, scheduler, client) as active:
                run_tasks(
                    active,
                    run_to_file,
                    arguments,
                    keys=[f"innocluster-run-{rid}-{tag}" for rid in todo],
                    on_result=on_result,
                )
        finally:
            if pending:
                store.write_catalog(out, pa.Table.from_pylist(pending, schema=schema))
    runs = store.read_runs(out)
    return SweepResult(experiment, runs, ran=len(todo), skipped=skipped)


def catalog_schema(experiment: Experiment) -> pa.Schema:
    """The columns of the catalog's ``runs`` table for ``experiment``."""
    factors = pa.Schema.from_pandas(experiment.applied, preserve_index=False)
    columns = {c.name: c for c in indicators_schema(MODELS[experiment.model].indicators).columns}
    finals = [pa.field(name, columns[name].arrow_type) for name in experiment.indicators]
    return pa.schema([*FIXED_COLUMNS, *factors, *finals])


def _check_folder(out: Path, record: dict[str, Any], resume: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InnoclusterError(f"output '{out}' exists and is not a folder")
    path = out / store.EXPERIMENT
    if not path.is_file():
        return
    if not resume:
        raise InnoclusterError(
            f"output folder '{out}' already holds an experiment: pass --resume to continue it, "
            "or choose another output folder"
        )
    try:
        before = json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InnoclusterError(f"{path}: not valid JSON ({err})") from None
    if before.get("plan") != record["plan"]:
        raise InnoclusterError(
            f"output folder '{out}' holds a different experiment ('{before.get('name')}', "
            f"{before.get('runs')} runs; this one: '{record['name']}', {record['runs']} runs): "
            "choose another output folder"
        )


def _design_table(experiment: Experiment) -> pd.DataFrame:
    design = experiment.design.map(
        lambda v: v if isinstance(v, (bool, int, float, str)) else json.dumps(v)
    )
    design.insert(0, "design_id", range(len(design)))
    return design


def _row(experiment: Experiment, i: int, result: dict[str, Any], version: str) -> dict[str, Any]:
    planned = experiment.runs[i]
    row = {
        "run_id": planned.run_id,
        "design_id": planned.design_id,
        "seed": planned.seed,
        "scenario": experiment.scenarios[planned.design_id].name,
        "status": result["status"],
        "error": result["error"],
        "wall_seconds": result["wall_seconds"],
        "innocluster": version,
    }
    row.update(experiment.applied.iloc[planned.design_id].to_dict())
    row.update(result["final"])
    return row


def _starting_rows(experiment: Experiment) -> tuple[set[str], list[dict[str, Any]]]:
    """The runs already done, and the catalog rows to write before the sweep starts.

    The rows are those of runs done but missing from the catalog (read back from their run
    files) and of runs still to do.
    """
    out = experiment.out
    present = store.present_runs(out)
    known = store.read_runs(out)
    listed: set[tuple[int, int, str]] = set()
    if not known.empty:
        ok = known[(known["status"] == "ok") & known["run_id"].isin(present)]
        listed = set(zip(ok["design_id"], ok["seed"], ok["run_id"], strict=True))
    rows = []
    for i, planned in enumerate(experiment.runs):
        if (planned.design_id, planned.seed, planned.run_id) in listed:
            continue
        if planned.run_id in present:
            final, meta = store.read_final(store.run_path(out, planned.run_id))
            result = {
                "status": "ok",
                "error": None,
                "final": final,
                "wall_seconds": meta.get("wall_seconds"),
            }
            rows.append(_row(experiment, i, result, meta.get("innocluster", __version__)))
        else:
            result = {"status": "pending", "error": None, "final": {}, "wall_seconds": None}
            rows.append(_row(experiment, i, result, __version__))
    return present, rows
