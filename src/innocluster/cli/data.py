"""Real data in: ``validate`` and ``import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innocluster.cli.common import app, console, errors, user_errors
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

    with user_errors():
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

    with user_errors():
        if grid_km <= 0:
            raise InnoclusterError(f"--grid-km must be > 0; got {grid_km}")
        written = import_csv(source, out, map_, grid_km=grid_km)
    rows = ", ".join(f"{count:,} {name}" for name, count in written.items())
    console.print(f"wrote {out}/ ({rows})", highlight=False, soft_wrap=True)
