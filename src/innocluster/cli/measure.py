"""Measuring a run or a data folder: ``measure`` and ``diagnose``.

The measures read no file: these commands read the folder (and a reference file) with
:mod:`innocluster.data.sources`, then measure the tables.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from innocluster.cli.common import app, console
from innocluster.errors import InnoclusterError


@app.command()
def diagnose(
    data: Annotated[Path, typer.Argument(help="A run folder or a folder of cluster tables.")],
    region: Annotated[
        int | None, typer.Option(help="Region to diagnose (default: largest).")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="Year (step) to diagnose (default: last).")
    ] = None,
    reference: Annotated[
        str,
        typer.Option(help="Score stocks against: others, median, thresholds, or a FILE.toml."),
    ] = "others",
    thresholds: Annotated[
        str | None, typer.Option(help="With --reference thresholds: KNOWLEDGE,ALLIANCES.")
    ] = None,
    per_organisation: Annotated[
        bool, typer.Option("--per-organisation", help="Score stocks per organisation.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Phase, governance and forming mechanisms of a cluster (docs/measures.md)."""
    from innocluster.data.sources import read_and_diagnose  # reads, then diagnoses

    cuts = None
    if thresholds is not None:
        try:
            k, a = (float(v) for v in thresholds.split(","))
        except ValueError:
            raise InnoclusterError(
                f"--thresholds '{thresholds}': expected two numbers, KNOWLEDGE,ALLIANCES"
            ) from None
        cuts = (k, a)
    result = read_and_diagnose(
        data,
        region=region,
        year=year,
        reference=reference,
        thresholds=cuts,
        per_organisation=per_organisation,
    )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
        return
    phase = result.phase
    console.print(
        f"[bold]Region {result.focus}, year {result.year}[/bold]: {phase['phase']} -> "
        f"[bold]{phase['action']}[/bold]: {phase['recommendation']}.\n{phase['evidence']}.",
        highlight=False,
    )
    table = Table(title="forming mechanisms", show_header=True, header_style="bold")
    for name in ("mechanism", "value", "verdict", "evidence"):
        table.add_column(name, justify="right" if name == "value" else "left")
    for row in result.mechanisms.itertuples(index=False):
        table.add_row(row.mechanism, f"{row.value:.4g}", row.verdict, row.evidence)
    console.print(table)


@app.command()
def measure(
    data: Annotated[Path, typer.Argument(help="A run folder or a folder of cluster tables.")],
    year: Annotated[
        int | None, typer.Option(help="Year (step) to measure (default: last).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write to FILE.json or FILE.parquet instead of printing.")
    ] = None,
) -> None:
    """Every measure of a cluster: geography, technology, network, knowledge, life cycle."""
    from innocluster.data.sources import read_tables
    from innocluster.measures.profile import measure_cluster, profile_rows

    if out is not None and out.suffix not in (".json", ".parquet"):
        raise InnoclusterError(f"--out '{out}': expected a .json or .parquet file")
    profile = measure_cluster(read_tables(data), year=year)
    if out is None:
        typer.echo(json.dumps(profile, indent=2))
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.tmp")
    if out.suffix == ".json":
        staging.write_text(json.dumps(profile, indent=2) + "\n", "utf-8")
    else:
        profile_rows(profile).to_parquet(staging, index=False)
    staging.replace(out)
    console.print(f"wrote {out}", highlight=False)
