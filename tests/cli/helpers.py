"""Shared helpers of the command line's tests.

A plain module (not a conftest): tests import what they use, e.g.
``from tests.cli.helpers import invoke``.
"""

from __future__ import annotations

from typer.testing import CliRunner

from innocluster.cli import app

__all__ = ["invoke", "runner", "unwrapped"]

runner = CliRunner()


def invoke(*args):
    """``innocluster ARGS`` in this process, every argument as text."""
    return runner.invoke(app, [str(a) for a in args])


def unwrapped(text: str) -> str:
    """``text`` without any white space: the console folds long lines (and paths) at 80 columns."""
    return "".join(text.split())
