"""Experiments: ``sweep``, ``query``, ``compare``, ``sensitivity`` and ``attribute``.

Dask, DuckDB and SALib are imported inside the commands, so that ``innocluster --help`` stays
quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from innocluster.cli.common import app, cell, column_list, console, errors

Workers = Annotated[
    int | None,
    typer.Option(help="Worker processes of a local Dask cluster (default: one per core)."),
]
Scheduler = Annotated[
    str | None,
    typer.Option(help="Address of a running Dask scheduler (tcp://HOST:8786) instead."),
]


class RunProgress:
    """A progress bar over the runs of a sweep (shown on a terminal only)."""

    def __init__(self, label: str) -> None:
        self._bar = Progress(
            TextColumn(label),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} runs"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._task = None

    def __enter__(self) -> RunProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def update(self, done: int, total: int) -> None:
        """Called as each run finishes."""
        if self._task is None:
            self._task = self._bar.add_task("runs", total=total)
        self._bar.update(self._task, completed=done)


@app.command()
def sweep(
    experiment: Annotated[Path, typer.Argument(help="The experiment file (TOML).")],
    workers: Workers = None,
    scheduler: Scheduler = None,
    resume: Annotated[
        bool, typer.Option(help="Continue the experiment already in the output folder.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: the file's `out`).")
    ] = None,
) -> None:
    """Run every design point of an experiment with every seed, on Dask; resumable."""
    from innocluster.experiments import load_experiment
    from innocluster.experiments import sweep as run_sweep

    plan = load_experiment(experiment, out=out)
    console.print(
        f"{plan.name}: {len(plan.design)} design points x {len(plan.seeds)} seeds = "
        f"{len(plan.runs)} runs -> {plan.out}/",
        highlight=False,
    )
    with RunProgress("sweeping") as progress:
        result = run_sweep(
            plan, workers=workers, scheduler=scheduler, resume=resume, progress=progress.update
        )
    ok = int((result.runs["status"] == "ok").sum())
    console.print(
        f"ran {result.ran}, already done {result.skipped}; {ok} of {len(result.runs)} runs ok; "
        f"catalog: {plan.out / 'catalog.duckdb'}",
        highlight=False,
    )
    _fail_on(result.failed)


def _fail_on(failed: pd.DataFrame) -> None:
    if failed.empty:
        return
    for row in failed.itertuples():
        errors.print(
            f"failed: run {row.run_id} (design {row.design_id}, seed {row.seed}): {row.error}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    errors.print(f"{len(failed)} runs failed", highlight=False)
    raise typer.Exit(code=1)


@app.command()
def query(
    outdir: Annotated[Path, typer.Argument(help="The output folder of a sweep.")],
    sql: Annotated[str, typer.Argument(help="SQL over runs, steps, design, compare, ...")],
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
) -> None:
    """Answer SQL over a sweep's catalog (read-only); per-step tables are the view `steps`."""
    from innocluster.experiments import query as run_query

    frame = run_query(outdir, sql)
    if csv:
        typer.echo(frame.to_csv(index=False), nl=False)
        return
    _print_frame(frame, None)


def _print_frame(frame: pd.DataFrame, title: str | None) -> None:
    table = Table(title=title, show_header=True, header_style="bold")
    for name in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[name])
        # Folded, not cut: every value stays readable in a narrow terminal.
        table.add_column(str(name), justify="right" if numeric else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(cell(None if _missing(v) else _plain(v)) for v in row))
    console.print(table)


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: object) -> object:
    value = value.item() if hasattr(value, "item") else value
    return str(value).lower() if isinstance(value, bool) else value


@app.command()
def compare(
    outdir: Annotated[Path, typer.Argument(help="The output folder of a sweep.")],
    by: Annotated[str, typer.Option(help="The factor whose levels are compared.")],
    metric: Annotated[str, typer.Option(help="The indicator compared.")],
    at_step: Annotated[
        int | None, typer.Option(help="Compare at this step (default: the last).")
    ] = None,
    reference: Annotated[
        str | None, typer.Option(help="The level the others are compared with (default: first).")
    ] = None,
) -> None:
    """Means with 95% intervals per level, and paired differences over common seeds."""
    from innocluster.experiments import compare as run_compare

    table = run_compare(outdir, by, metric, at_step=at_step, reference=reference)
    shown = table.drop(columns=["factor", "metric", "step"])
    where = "last step" if at_step is None else f"step {at_step}"
    _print_frame(shown, f"{metric} ({where}) by {by}")
    console.print(f"wrote {outdir / 'compare.parquet'} and {table.attrs['plot']}", highlight=False)


@app.command()
def sensitivity(
    outdir: Annotated[Path, typer.Argument(help="The output folder of a sobol or morris sweep.")],
    indicators: Annotated[
        str | None, typer.Option(help="Indicators to analyse, a,b,c (default: all numeric).")
    ] = None,
) -> None:
    """Sobol indices (S1, ST) or Morris mu*, sigma with 95% intervals, through SALib."""
    from innocluster.experiments import sensitivity as run_sensitivity

    names = column_list(indicators, "--indicators") if indicators else None
    table = run_sensitivity(outdir, names)
    _print_frame(table.drop(columns=["method"]), f"sensitivity ({table['method'].iloc[0]})")
    console.print(f"wrote {outdir / 'sensitivity.parquet'}", highlight=False)


@app.command()
def attribute(
    scenario: Annotated[str, typer.Argument(help="A preset name or a scenario file.")],
    metric: Annotated[
        str | None,
        typer.Option(help="The indicator (default: patents; benchmark model: total_knowledge)."),
    ] = None,
    mechanisms: Annotated[
        str | None, typer.Option(help="Mechanisms a,b,c (default: the forming mechanisms).")
    ] = None,
    replications: Annotated[int, typer.Option(help="Seeds per coalition.")] = 10,
    steps: Annotated[int | None, typer.Option(help="Steps per run.")] = None,
    at_step: Annotated[int | None, typer.Option(help="Read the metric at this step.")] = None,
    permutations: Annotated[
        int | None, typer.Option(help="Sample this many orders instead of every coalition.")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a value: SECTION.KEY=VALUE (repeatable)."),
    ] = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: out/attribution-SCENARIO).")
    ] = None,
) -> None:
    """Shapley value of each mechanism for a metric, by switching mechanisms off."""
    from innocluster.experiments import attribute as run_attribute
    from innocluster.experiments.attribution import FailedRuns

    names = column_list(mechanisms, "--mechanisms") if mechanisms else None
    with RunProgress("attributing") as progress:
        try:
            table = run_attribute(
                scenario,
                metric,
                names,
                replications,
                overrides=set_ or [],
                steps=steps,
                at_step=at_step,
                permutations=permutations,
                out=out,
                workers=workers,
                scheduler=scheduler,
                progress=progress.update,
            )
        except FailedRuns as err:
            failed = err.failed
        else:
            failed = None
    if failed is not None:
        _fail_on(failed)
    first = table.iloc[0]
    shown = table[["mechanism", "shapley", "ci_low", "ci_high", "share"]]
    _print_frame(
        shown,
        f"Shapley values for {first['metric']} ({first['method']}, "
        f"{first['coalitions']} coalitions x {first['n']} seeds)",
    )
    best = table.loc[table["shapley"].idxmax(), "mechanism"]
    worst = table.loc[table["shapley"].idxmin(), "mechanism"]
    console.print(
        f"all on {cell(float(first['all_on']))}, all off {cell(float(first['all_off']))}; "
        f"largest contribution: {best}; smallest: {worst}",
        highlight=False,
    )
    console.print(f"wrote {Path(table.attrs['out']) / 'attribution.parquet'}", highlight=False)
