"""Real data in: ``validate`` and ``import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innocluster.cli.common import app, console, errors
from innocluster.errors import InnoclusterError


@app.command()
def validate(
    data: Annotated[Path, typer.Argument(help="A folder of cluster tables: CSV, TSV or Parquet.")],
    grid_km: Annotated[
        float, typer.Option(help="Grid cell side (km) of the regions when there is no region.")
    ] = 10.0,
    limit: Annotated[int, typer.Option(help="Report at most this many problems.")] = 50,
) -> None:
    """Check a data folder against the cluster tables' schemas; list every problem found."""
    from innocluster.data.files import validate_folder

    if grid_km <= 0 or limit < 1:
        raise InnoclusterError("--grid-km must be > 0 and --limit >= 1")
    tables, problems = validate_folder(data, limit=limit, grid_km=grid_km)
    if problems:
        for problem in problems:
            errors.print(f"error: {problem}", highlight=False, markup=False, soft_wrap=True)
        more = " (the limit; there may be more)" if len(problems) >= limit else ""
        errors.print(f"{len(problems)} problem(s){more}", highlight=False, markup=False)
        raise typer.Exit(code=2)
    rows = ", ".join(f"{len(frame):,} {name}" for name, frame in tables.items())
    console.print(f"{data}: valid ({rows})", highlight=False, soft_wrap=True)


import_app = typer.Typer(help="Bring real data into cluster tables.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("csv")
def import_csv_command(
    source: Annotated[Path, typer.Argument(help="The folder with your CSV or TSV files.")],
    out: Annotated[Path, typer.Option(help="The data folder to write.")],
    map_: Annotated[Path, typer.Option("--map", help="The TOML mapping of your columns.")],
    grid_km: Annotated[
        float, typer.Option(help="Grid cell side (km) of the regions when there is no region.")
    ] = 10.0,
) -> None:
    """Map your own files onto the cluster tables (docs/data-formats.md) and write them."""
    from innocluster.data.mapping import import_csv

    if grid_km <= 0:
        raise InnoclusterError(f"--grid-km must be > 0; got {grid_km}")
    written = import_csv(source, out, map_, grid_km=grid_km)
    rows = ", ".join(f"{count:,} {name}" for name, count in written.items())
    console.print(f"wrote {out}/ ({rows})", highlight=False, soft_wrap=True)


#: How the notes of an import read, for the counts that are not zero.
_NOTES = {
    "without_position": "assignee(s) without any position dropped",
    "outside_filter": "assignee(s) outside the filter",
    "individuals_dropped": "individual(s) dropped",
    "placed_by_inventors": "assignee(s) placed at their first inventors' location",
    "patents_without_date": "patent(s) without a readable patent_date skipped",
    "patents_unreadable_id": "patent(s) with an id that is not a patent number skipped",
    "patents_without_field": "patent(s) without a CPC code at the chosen level skipped",
    "citations_outside": "citation(s) of patents outside the import (cited left empty)",
    "citations_cited_later": "citation(s) of a patent granted after the citing one skipped",
}


@import_app.command("patentsview")
def import_patentsview_command(
    source: Annotated[
        Path, typer.Argument(help="The folder with the PatentsView files (.tsv or .tsv.zip).")
    ],
    out: Annotated[Path, typer.Option(help="The data folder to write.")],
    years: Annotated[
        str | None, typer.Option(help="Grant years A-B, both included (default: all).")
    ] = None,
    bbox: Annotated[
        str | None, typer.Option(help="Keep organisations inside lon1,lat1,lon2,lat2 (degrees).")
    ] = None,
    state: Annotated[
        str | None, typer.Option(help="Keep organisations in this US state (two letters).")
    ] = None,
    county: Annotated[
        str | None, typer.Option(help="Keep organisations in this county (five-digit FIPS).")
    ] = None,
    cpc_level: Annotated[
        str, typer.Option(help="Fields from CPC: section, class or subclass.")
    ] = "class",
    individuals: Annotated[
        str, typer.Option(help="Individual assignees: keep (as firms) or drop.")
    ] = "keep",
    grid_km: Annotated[float, typer.Option(help="Grid cell side (km) of the regions.")] = 10.0,
) -> None:
    """Cluster tables from the PatentsView bulk files (docs/data-formats.md), via DuckDB."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from innocluster.data.patentsview import STEPS, import_patentsview, parse_bbox, parse_years

    span = parse_years(years) if years is not None else None
    box = parse_bbox(bbox) if bbox is not None else None
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with bar:
        task = bar.add_task("importing", total=len(STEPS))

        def step(name: str) -> None:
            done = STEPS.index(name)
            bar.update(task, description=f"{name} ({done + 1}/{len(STEPS)})", completed=done)

        counts = import_patentsview(
            source,
            out,
            years=span,
            bbox=box,
            state=state,
            county=county,
            cpc_level=cpc_level,
            individuals=individuals,
            grid_km=grid_km,
            progress=step,
        )
    tables = ("organizations", "patents", "alliances", "citations")
    rows = ", ".join(f"{counts[name]:,} {name}" for name in tables if name in counts)
    console.print(f"wrote {out}/ ({rows})", highlight=False, soft_wrap=True)
    for key, text in _NOTES.items():
        if counts.get(key):
            console.print(f"note: {counts[key]:,} {text}", highlight=False, soft_wrap=True)
