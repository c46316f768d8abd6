"""Simulating: ``run`` and ``scenarios``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from innocluster.cli.common import SimulationProgress, app, cell, console
from innocluster.errors import InnoclusterError
from innocluster.run import Run, simulate
from innocluster.scenario import load_scenario, preset_description, preset_names


@app.command()
def run(
    scenario: Annotated[
        str, typer.Argument(help="A preset name (see `scenarios`) or a TOML file.")
    ],
    steps: Annotated[
        int | None, typer.Option(help="Steps to simulate (default: the scenario's).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of every random draw of the run.")] = 0,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a value: SECTION.KEY=VALUE (repeatable)."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: out/SCENARIO).")] = None,
) -> None:
    """Simulate a scenario and write its cluster tables, scenario.toml and run.json."""
    resolved = load_scenario(scenario, set_ or [])
    folder = out or Path("out") / resolved.name
    if folder.exists() and not folder.is_dir():
        raise InnoclusterError(f"output '{folder}' exists and is not a folder")
    with SimulationProgress() as progress:
        result = simulate(resolved, seed=seed, steps=steps, on_step=progress.update)
    result.save(folder)
    _print_summary(result, folder)


@app.command()
def scenarios() -> None:
    """List the scenario presets, one line each."""
    for name in preset_names():
        console.print(f"[bold]{name}[/bold]  {preset_description(name)}", highlight=False)


def _print_summary(result: Run, folder: Path) -> None:
    table = Table(
        title=f"{result.scenario.name}: seed {result.seed}, {result.scenario.steps} steps",
        show_header=True,
        header_style="bold",
    )
    table.add_column("indicator (last step)")
    table.add_column("value", justify="right")
    for name, value in result.final().items():
        if name != "step":
            table.add_row(name, cell(value))
    for name, frame in result.tables.items():
        table.add_row(f"rows in {name}", f"{frame.num_rows:,}")
    table.add_row("wall time", f"{result.info['wall_seconds']:.2f} s")
    console.print(table)
    console.print(f"wrote {folder}/", highlight=False)
