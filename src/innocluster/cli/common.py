"""What every command shares: the application, the consoles, progress.

The application turns user mistakes into one line and exit code 2.
"""

from __future__ import annotations

import time
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from typer.core import TyperGroup

from innocluster._version import __version__
from innocluster.errors import InnoclusterError


class _Commands(TyperGroup):
    """The command group: the one place where a user mistake becomes one line and exit 2.

    Every command runs inside :meth:`invoke`; an :class:`InnoclusterError` raised anywhere in
    it is printed as ``error: ...`` on standard error, with no traceback, and the command exits
    with code 2.
    """

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InnoclusterError as error:
            errors.print(f"error: {error}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(code=2) from None


app = typer.Typer(
    name="innocluster",
    cls=_Commands,
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


def column_list(text: str, option: str) -> list[str]:
    """The column names of a comma-separated option value, ``COL[,COL...]``, stripped.

    Args:
        text: the option's value as the user wrote it.
        option: the option's name (``--inputs``), for the error message.

    Raises:
        InnoclusterError: a name is empty.
    """
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise InnoclusterError(f"{option} '{text}': expected COL[,COL...]")
    return names


class SimulationProgress:
    """A progress bar that appears only when the run looks longer than about two seconds."""

    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> SimulationProgress:
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


def cell(value: object) -> str:
    """A value as a table cell: numbers with separators, text as it is, a null as ``-``.

    A null is a value undefined at this step; floats keep four significant digits.
    """
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
