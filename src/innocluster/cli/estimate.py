"""Estimation on firm panels: ``estimate kpf``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from innocluster.cli.common import app, column_list, console, errors

if TYPE_CHECKING:  # the estimation stack (statsmodels) loads only when a command needs it
    from innocluster.estimate import KPFResult


estimate_app = typer.Typer(
    help="Estimate models on real firm panels (see docs/estimation.md).",
    no_args_is_help=True,
)
app.add_typer(estimate_app, name="estimate")


@estimate_app.command("kpf")
def estimate_kpf(
    data: Annotated[
        str,
        typer.Argument(
            help="A CSV or Parquet file, or a bundled dataset: cincera1997, hgh1986.",
            show_default=False,
        ),
    ],
    count: Annotated[str, typer.Option(help="Column of counts (patents).", show_default=False)],
    inputs: Annotated[
        str,
        typer.Option(
            help="Input columns, comma-separated: log R&D, its lags, the log spillover pool.",
            show_default=False,
        ),
    ],
    panel: Annotated[
        str | None,
        typer.Option(help="Firm column: clusters the standard errors; needed by fe-poisson."),
    ] = None,
    time_: Annotated[
        str | None, typer.Option("--time", help="Period column; needed by --year-effects.")
    ] = None,
    model: Annotated[str, typer.Option(help="poisson, negbin or fe-poisson.")] = "poisson",
    year_effects: Annotated[
        bool, typer.Option("--year-effects", help="Add one dummy per period but the first.")
    ] = False,
    controls: Annotated[
        str | None,
        typer.Option(help="Control columns, comma-separated (text columns enter as dummies)."),
    ] = None,
    cluster: Annotated[
        bool,
        typer.Option(
            "--cluster/--no-cluster",
            help="Cluster the standard errors by --panel (robust HC0 without a panel), or not.",
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Estimate a knowledge production function: a count model of patents on inputs."""
    from innocluster.datasets import load
    from innocluster.estimate import kpf

    result = kpf(
        load(data),
        count,
        column_list(inputs, "--inputs"),
        panel=panel,
        time=time_,
        model=model,
        year_effects=year_effects,
        controls=column_list(controls, "--controls") if controls is not None else (),
        cluster=cluster,
    )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print_kpf(result, data)
    for note in result.notes:
        errors.print(f"note: {note}", highlight=False, markup=False, soft_wrap=True)


def _print_kpf(result: KPFResult, data: str) -> None:
    inputs = ", ".join(result.inputs)
    table = Table(
        title=f"{result.model}: {result.count} on {inputs} ({data})",
        show_header=True,
        header_style="bold",
    )
    for name in ("term", "estimate", "std. error", "z", "p-value", "95% CI"):
        table.add_column(name, justify="left" if name == "term" else "right")
    for row in result.coefficients.itertuples(index=False):
        table.add_row(
            row.term,
            f"{row.estimate:.4f}",
            f"{row.std_error:.4f}",
            f"{row.z:.2f}",
            f"{row.p_value:.3g}",
            f"[{row.ci_low:.3f}, {row.ci_high:.3f}]",
        )
    errors_by = {
        "cluster": f"clustered by {result.panel}",
        "robust": "robust (HC0)",
        "model": "model-based",
    }[result.cov_type]
    firms = "" if result.n_groups is None else f", {result.n_groups:,} firms"
    table.caption = (
        f"{result.nobs:,} observations{firms}; standard errors {errors_by}; "
        f"log-likelihood {result.loglike:,.2f}"
    )
    console.print(table)
