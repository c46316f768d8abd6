"""The command line: run, scenarios, --version, and bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_version_and_scenarios():
    assert invoke("--version").stdout.strip() == f"innocluster {ic.__version__}"
    listing = invoke("scenarios")
    assert listing.exit_code == 0
    lines = [line for line in listing.stdout.splitlines() if line.strip()]
    assert any(line.startswith("benchmark ") for line in lines)
    assert any(line.startswith("default ") for line in lines)


def run_acceptance_case(seed, out):
    """``innocluster run benchmark --set n0=2000 --steps 20 --seed SEED --out OUT``."""
    result = invoke(
        "run", "benchmark", "--set", "n0=2000", "--steps", 20, "--seed", seed, "--out", out
    )
    assert result.exit_code == 0, result.output
    return result, pd.read_parquet(out / "indicators.parquet")


def test_run_writes_the_folder_and_repeats_exactly(tmp_path):
    out = tmp_path / "out"
    result, first = run_acceptance_case(7, out)
    assert "n_orgs" in result.stdout and f"wrote {out}/" in result.stdout
    assert len(first) == 20
    assert sorted(p.name for p in out.iterdir()) == [
        "alliances.parquet",
        "indicators.parquet",
        "organizations.parquet",
        "patents.parquet",
        "run.json",
        "scenario.toml",
    ]
    pd.testing.assert_frame_equal(first, run_acceptance_case(7, tmp_path / "again")[1])
    assert not first.equals(run_acceptance_case(8, tmp_path / "other")[1])

    replay = invoke("run", out / "scenario.toml", "--seed", 7, "--out", tmp_path / "replay")
    assert replay.exit_code == 0
    pd.testing.assert_frame_equal(first, pd.read_parquet(tmp_path / "replay/indicators.parquet"))


def test_default_output_folder_is_out_slash_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("run", "default", "--steps", 1, "--set", "n_firms=20").exit_code == 0
    assert (tmp_path / "out/default/organizations.parquet").is_file()


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


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"steps = [", "malformed TOML"),
        (b"\x89PNG\r\n\x1a\n\x00", "not UTF-8 text"),
        (b"[benchmark]\nn0 = 'many'\n", "benchmark.n0: expected a valid integer"),
    ],
)
def test_bad_scenario_files(tmp_path, content, message):
    path = tmp_path / "s.toml"
    path.write_bytes(content)
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code == 2 and message in result.stderr and str(path) in result.stderr
    assert not (tmp_path / "out").exists()


def test_output_path_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = invoke("run", "benchmark", "--set", "n0=10", "--steps", 1, "--out", target)
    assert result.exit_code == 2 and "is not a folder" in result.stderr


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
