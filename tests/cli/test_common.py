"""What every command shares: ``--version``, the ``--help`` listing, user mistakes as one line
on stderr and exit code 2 with no traceback (also from the console script), and the progress
bar of long runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import innocluster as ic
from tests.cli.helpers import invoke


def test_version_and_scenarios():
    assert invoke("--version").stdout.strip() == f"innocluster {ic.__version__}"
    listing = invoke("scenarios")
    assert listing.exit_code == 0
    lines = [line for line in listing.stdout.splitlines() if line.strip()]
    assert any(line.startswith("benchmark ") for line in lines)
    assert any(line.startswith("default ") for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "benchmark", "--set", "nope=1"], "override nope=1: unknown key"),
        (["run", "benchmark", "--set", "n0=-3"], "override benchmark.n0=-3: expected greater"),
        (["run", "benchmark", "--set", "r=abc"], "override benchmark.r='abc': expected a valid"),
        (["run", "benchmark", "--set", "n0"], "--set 'n0': expected KEY=VALUE"),
        (["run", "nosuch"], "unknown scenario preset 'nosuch'"),
        (["run", "benchmark", "--seed", "-1"], "seed: expected a non-negative integer"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, args, message):
    out = tmp_path / "out"
    result = invoke(*args, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not out.exists()


def test_console_script_reports_errors_without_traceback(tmp_path):
    beside = Path(sys.executable).parent / "innocluster"  # the venv's scripts folder
    exe = str(beside) if beside.exists() else shutil.which("innocluster")
    assert exe, "the innocluster console script is not installed"
    proc = subprocess.run(
        [exe, "run", "benchmark", "--set", "benchmark.q_exit=2"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "error: override benchmark.q_exit=2: expected less than or equal to 1, got 2"
    )
    assert not (tmp_path / "out").exists()


def test_progress_bar_appears_only_for_long_runs_on_a_terminal(monkeypatch):
    import io

    from rich.console import Console

    from innocluster.cli import common
    from innocluster.cli.common import SimulationProgress

    screen = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=screen, force_terminal=True, width=80))
    with SimulationProgress() as quick:
        quick.update(1, 3)  # a step just now: the run will be short
    assert quick._bar is None and screen.getvalue() == ""
    with SimulationProgress() as slow:
        slow._start -= 10.0  # the first step took ten seconds
        slow.update(1, 50)
        slow.update(2, 50)
        assert slow._bar is not None
    assert "simulating" in screen.getvalue()


def _listed(help_text: str) -> set[str]:
    """The command names in the Commands panel of a ``--help`` page."""
    panel = help_text.split("Commands")[1]
    return {match[1] for match in re.finditer(r"^[│|] ([a-z]\S*) ", panel, re.MULTILINE)}


def test_help_lists_every_command_of_every_module():
    shown = invoke("--help")
    assert shown.exit_code == 0 and shown.stdout.lstrip().startswith("Usage: innocluster ")
    assert _listed(shown.stdout) == {
        "run", "scenarios",  # simulate
        "diagnose", "measure",  # measure
        "report", "plot",  # report
        "validate", "import",  # data
        "sweep", "query", "compare", "sensitivity", "attribute",  # experiments
        "estimate",  # estimate
        "calibrate",  # calibrate
        "claims",  # claims
    }  # fmt: skip
    assert _listed(invoke("import", "--help").stdout) == {"csv", "patentsview"}
    assert _listed(invoke("estimate", "--help").stdout) == {"kpf"}
