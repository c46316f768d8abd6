"""Reporting: ``report`` (the HTML report) and ``plot`` (one figure as PNG, SVG or PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innocluster.cli.common import app, console


@app.command()
def report(
    folder: Annotated[
        Path,
        typer.Argument(help="A run folder, a folder of real data, or an experiment folder."),
    ],
    out: Annotated[
        Path | None, typer.Option(help="The HTML file to write (default: DIR/report.html).")
    ] = None,
) -> None:
    """Write the self-contained HTML report of a run, data or experiment folder; print its path."""
    from innocluster.report import write_report

    path, seconds = write_report(folder, out)
    size = path.stat().st_size / 1e6
    console.print(f"wrote report {path} ({size:.1f} MB, {seconds:.1f} s)", highlight=False)


@app.command()
def plot(
    folder: Annotated[Path, typer.Argument(help="A run folder or a folder of real data.")],
    kind: Annotated[
        str,
        typer.Option(help="map, network, lifecycle, knowledge, phase, techspace or concentration."),
    ],
    out: Annotated[Path, typer.Option(help="The image to write: FILE.png, .svg or .pdf.")],
    year: Annotated[
        int | None, typer.Option(help="The year (step) of the map or network (default: last).")
    ] = None,
) -> None:
    """Write one figure of the report as a static image (for papers)."""
    from innocluster.report.static import plot_figure

    path = plot_figure(folder, kind, out, year=year)
    console.print(f"wrote {path}", highlight=False)
