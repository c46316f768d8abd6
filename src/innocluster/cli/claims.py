"""The model's stylised facts, checked on demand: ``innocluster claims``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from innocluster.cli.common import SimulationProgress, app, cell, console


@app.command()
def claims(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Claims to check (default: all; see docs/validation.md).", show_default=False
        ),
    ] = None,
    preset: Annotated[
        list[str] | None,
        typer.Option(help="Base scenario: a preset name or a TOML file; repeat for several."),
    ] = None,
    seeds: Annotated[
        str, typer.Option(help="Seeds A-B (inclusive); the default range was not tuned on.")
    ] = "1000-1019",
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: one per core).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Check the stylised facts the model claims, with 95% intervals over the seeds.

    Exit code 0 when every claim passes, 1 when one fails, 2 on a user error.
    """
    from innocluster.facts import check_claims, claim_named, parse_seeds

    chosen = [claim_named(name).name for name in names or []] or None
    seed_range = parse_seeds(seeds)
    with SimulationProgress() as progress:
        results = check_claims(
            chosen, presets=preset or ["default"], seeds=seed_range, workers=workers,
            on_run=progress.update,
        )  # fmt: skip
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        table = Table(title=f"claims over seeds {seeds}", title_justify="left")
        for column in ("claim", "preset", "source", "compares", "effect", "95% interval",
                       "margin", "verdict"):  # fmt: skip
            table.add_column(column, overflow="fold")
        for r in results:
            side = ">" if r.direction == "above" else "<"
            table.add_row(
                r.name,
                r.preset,
                r.source,
                r.compares,
                f"{cell(r.effect)} {r.unit}".strip(),
                f"[{cell(r.ci_low)}, {cell(r.ci_high)}]",
                f"{side} {cell(r.margin)}",
                "pass" if r.passed else "[bold red]fail[/]",
            )
        console.print(table)
    if not all(r.passed for r in results):
        raise typer.Exit(code=1)
