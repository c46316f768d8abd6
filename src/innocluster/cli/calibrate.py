"""Calibrating the simulator to target moments: ``calibrate``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from innocluster.cli.common import app, console, errors
from innocluster.errors import InnoclusterError
from innocluster.scenario import load_scenario

if TYPE_CHECKING:  # the estimation stack (statsmodels) loads only when the command runs
    from innocluster.estimate.calibrate import CalibrationResult


@app.command()
def calibrate(
    scenario: Annotated[
        str, typer.Argument(help="A preset name (see `scenarios`) or a TOML file.")
    ],
    targets: Annotated[
        Path,
        typer.Option(help="Targets file: parameters and ranges, moments and targets (TOML)."),
    ],
    budget: Annotated[
        int | None,
        typer.Option(help="Candidates to simulate in the search (default: the targets file's)."),
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option(help="Runs per candidate, common seeds (default: the targets file's)."),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes of a local Dask cluster (1: in this process).")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler, instead of local workers."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="First seed of the replications (default: the file's).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a value of the scenario: SECTION.KEY=VALUE."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: out/calibrate-SCENARIO).")
    ] = None,
) -> None:
    """Choose scenario parameters so that simulated moments match targets (simulated moments)."""
    from innocluster.estimate.calibrate import calibrate as run_calibration

    base = load_scenario(scenario, set_ or [])
    folder = out or Path("out") / f"calibrate-{base.name}"
    if folder.exists() and not folder.is_dir():
        raise InnoclusterError(f"output '{folder}' exists and is not a folder")
    with console.status("calibrating") as status:
        result = run_calibration(
            base,
            targets,
            budget=budget,
            replications=replications,
            workers=workers,
            scheduler=scheduler,
            seed=seed,
            on_evaluation=lambda n, stage: status.update(f"calibrating: {n} runs ({stage})"),
        )
    result.write(folder)
    _print_result(result)
    for note in result.notes:
        errors.print(f"note: {note}", highlight=False, markup=False, soft_wrap=True)
    console.print(f"wrote {folder}/", highlight=False)


def _number(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.4g}"


def _table(title: str, first: str, *numbers: str) -> Table:
    # A name column, then numbers; long names fold instead of being cut in narrow terminals.
    table = Table(title=title, header_style="bold")
    table.add_column(first, overflow="fold")
    for name in numbers:
        table.add_column(name, justify="right", overflow="fold")
    return table


def _print_result(result: CalibrationResult) -> None:
    table = _table(
        "calibrated parameters", "parameter", "estimate", "std. error", "95% CI", "range", "start"
    )
    for row in result.parameters.itertuples(index=False):
        table.add_row(
            row.parameter,
            _number(row.estimate),
            _number(row.std_error),
            f"[{_number(row.ci_low)}, {_number(row.ci_high)}]",
            f"[{row.low:g}, {row.high:g}]",
            _number(row.start),
        )
    console.print(table)
    table = _table("moments", "moment", "target", "simulated", "s.d.", "weight", "contribution")
    for row in result.moments.itertuples(index=False):
        table.add_row(
            row.moment,
            _number(row.target),
            _number(row.simulated),
            _number(row.sd),
            _number(row.weight),
            _number(row.contribution),
        )
    candidates = int((result.evaluations["stage"] != "jacobian").sum())
    table.caption = (
        f"objective {result.objective:.4g}; {candidates} candidates x {len(result.seeds)} "
        f"replications (seeds {result.seeds[0]}..{result.seeds[-1]}); weights from "
        f"{result.weights_from}"
    )
    console.print(table)
