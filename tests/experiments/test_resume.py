"""An interrupted sweep, resumed, gives what an uninterrupted one gives: the sweep command is
killed (with its local cluster) once some runs are written, then resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from innocluster.experiments import query, read_runs

INNOCLUSTER = str(Path(sys.executable).with_name("innocluster"))
EXPERIMENT = """
name = "resume"
base = "benchmark"
steps = 15
replications = 8
indicators = ["n_orgs", "total_knowledge"]
[overrides]
n0 = 2000
[factors]
"benchmark.s" = [0.0, 0.05]
"""


def _sweep(path: Path, out: Path, *extra: str) -> subprocess.Popen:
    command = [INNOCLUSTER, "sweep", str(path), "--out", str(out)]
    return subprocess.Popen(
        [*command, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: killing it kills its workers too
    )


def _results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    runs = read_runs(out).drop(columns=["wall_seconds"])
    return runs, query(out, "SELECT * FROM steps ORDER BY run_id, step")


def test_a_killed_sweep_resumes_with_nothing_lost_or_run_twice(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text(EXPERIMENT)
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    first = _sweep(path, killed, "--workers", "2")
    deadline = time.monotonic() + 120
    while len(list((killed / "runs").glob("*.parquet"))) < 3 and time.monotonic() < deadline:
        assert first.poll() is None, first.communicate()
        time.sleep(0.02)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    done = {p.stem for p in (killed / "runs").glob("*.parquet")}
    assert 3 <= len(done) < 16  # killed half-way

    resumed = _sweep(path, killed, "--workers", "2", "--resume")
    assert resumed.wait(timeout=120) == 0, resumed.communicate()
    output = resumed.communicate()[0].decode()
    assert f"ran {16 - len(done)}, already done {len(done)}" in output
    assert {p.stem for p in (killed / "runs").glob("*.parquet")} >= done

    uninterrupted = _sweep(path, whole, "--workers", "1")
    assert uninterrupted.wait(timeout=120) == 0, uninterrupted.communicate()
    for got, expected in zip(_results(killed), _results(whole), strict=True):
        pd.testing.assert_frame_equal(got, expected)
