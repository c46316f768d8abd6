"""The ``innocluster`` command: a thin layer over the Python API.

User mistakes arrive here as :class:`~innocluster.errors.InnoclusterError` and leave as one line
on standard error with exit code 2, no traceback.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from innocluster._version import __version__
from innocluster.errors import InnoclusterError
from innocluster.run import Run, simulate
from innocluster.scenario import load_scenario, preset_description, preset_names

if TYPE_CHECKING:  # the estimation stack (statsmodels) loads only when a command needs it
    from innocluster.estimate import KPFResult

app = typer.Typer(
    name="innocluster",
    help="Simulate, measure and steer innovation clusters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        console.print(f"innocluster {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Simulate, measure and steer innovation clusters."""


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
    with _user_errors():
        resolved = load_scenario(scenario, set_ or [])
        folder = out or Path("out") / resolved.name
        if folder.exists() and not folder.is_dir():
            raise InnoclusterError(f"output '{folder}' exists and is not a folder")
        with _Progress() as progress:
            result = simulate(resolved, seed=seed, steps=steps, on_step=progress.update)
        result.save(folder)
    _print_summary(result, folder)


@app.command()
def scenarios() -> None:
    """List the scenario presets, one line each."""
    for name in preset_names():
        console.print(f"[bold]{name}[/bold]  {preset_description(name)}", highlight=False)


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
    with _user_errors():
        from innocluster.measures.diagnosis import diagnose as run_diagnosis

        cuts = None
        if thresholds is not None:
            try:
                k, a = (float(v) for v in thresholds.split(","))
            except ValueError:
                raise InnoclusterError(
                    f"--thresholds '{thresholds}': expected two numbers, KNOWLEDGE,ALLIANCES"
                ) from None
            cuts = (k, a)
        result = run_diagnosis(
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
def validate(
    data: Annotated[Path, typer.Argument(help="A folder of cluster tables: CSV, TSV or Parquet.")],
    grid_km: Annotated[
        float, typer.Option(help="Grid cell side (km) of the regions when there is no region.")
    ] = 10.0,
    limit: Annotated[int, typer.Option(help="Report at most this many problems.")] = 50,
) -> None:
    """Check a data folder against the cluster tables' schemas; list every problem found."""
    from innocluster.data.files import validate_folder

    with _user_errors():
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
    with _user_errors():
        from innocluster.measures.profile import measure_cluster, profile_rows

        if out is not None and out.suffix not in (".json", ".parquet"):
            raise InnoclusterError(f"--out '{out}': expected a .json or .parquet file")
        profile = measure_cluster(data, year=year)
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

    with _user_errors():
        if grid_km <= 0:
            raise InnoclusterError(f"--grid-km must be > 0; got {grid_km}")
        written = import_csv(source, out, map_, grid_km=grid_km)
    rows = ", ".join(f"{count:,} {name}" for name, count in written.items())
    console.print(f"wrote {out}/ ({rows})", highlight=False, soft_wrap=True)


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
    with _user_errors():
        from innocluster.datasets import load
        from innocluster.estimate import kpf

        result = kpf(
            load(data),
            count,
            _column_list(inputs, "--inputs"),
            panel=panel,
            time=time_,
            model=model,
            year_effects=year_effects,
            controls=_column_list(controls, "--controls") if controls is not None else (),
            cluster=cluster,
        )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print_kpf(result, data)
    for note in result.notes:
        errors.print(f"note: {note}", highlight=False, markup=False, soft_wrap=True)


def _column_list(text: str, option: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise InnoclusterError(f"{option} '{text}': expected COL[,COL...]")
    return names


class _user_errors:
    """Turn a user mistake into one line on stderr and exit code 2."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, trace) -> bool:
        if isinstance(error, InnoclusterError):
            errors.print(f"error: {error}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(code=2)
        return False


class _Progress:
    """A progress bar that appears only when the run looks longer than about two seconds."""

    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, step: int, steps: int) -> None:
        """Called after each step."""
        if self._bar is None:
            elapsed = time.perf_counter() - self._start
            if elapsed / step * steps < 2.0 or not console.is_terminal:
                return
            self._bar = Progress(
                TextColumn("simulating"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("run", total=steps)
        self._bar.update(self._task, completed=step)


def _cell(value: object) -> str:
    # Numbers with separators, text as it is, a null (undefined this step) as "-".
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


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
            table.add_row(name, _cell(value))
    for name, frame in result.tables.items():
        table.add_row(f"rows in {name}", f"{frame.num_rows:,}")
    table.add_row("wall time", f"{result.info['wall_seconds']:.2f} s")
    console.print(table)
    console.print(f"wrote {folder}/", highlight=False)


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
