"""Sweeps: resuming runs only what is missing, run files missing from the catalog are read
back, a broken run is recorded while the others finish, and a killed sweep command (with its
local cluster) resumes with nothing lost or run twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from innocluster.errors import InnoclusterError
from innocluster.experiments import load_experiment, query, sweep
from tests.experiments.helpers import make_spec, sweep_results


def test_resume_runs_only_what_is_missing(tmp_path, client, reference):
    plan = load_experiment(make_spec(tmp_path))
    sweep(plan, client=client)
    with pytest.raises(InnoclusterError, match="already holds an experiment: pass --resume"):
        sweep(plan, client=client)
    assert sweep(plan, client=client, resume=True).ran == 0
    gone = plan.runs[3].run_id
    (plan.out / "runs" / f"{gone}.parquet").unlink()
    again = sweep(plan, client=client, resume=True)
    assert (again.ran, again.skipped) == (1, 7)
    runs, steps = sweep_results(plan.out)
    pd.testing.assert_frame_equal(runs, reference[0])
    pd.testing.assert_frame_equal(steps, reference[1])
    other = load_experiment(make_spec(tmp_path, replications=3))
    with pytest.raises(InnoclusterError, match="holds a different experiment"):
        sweep(other, client=client, resume=True)


def test_run_files_missing_from_the_catalog_are_read_back(tmp_path, client, reference):
    plan = load_experiment(make_spec(tmp_path))
    sweep(plan, client=client)
    (plan.out / "catalog.duckdb").unlink()  # the driver died before writing its last batch
    assert sweep(plan, client=client, resume=True).ran == 0
    pd.testing.assert_frame_equal(sweep_results(plan.out)[0], reference[0])


def test_a_broken_run_is_recorded_and_the_others_finish(tmp_path, client):
    # a = 1e300 passes validation but overflows the Poisson draw of the model
    spec = make_spec(tmp_path, factors={"benchmark.a": [0.5, 1e300]})
    result = sweep(load_experiment(spec), client=client)
    failed = result.failed
    assert len(failed) == 2 and set(failed["design_id"]) == {1}
    assert failed["error"].str.startswith("ValueError: ").all()
    assert (result.runs.loc[result.runs["design_id"] == 0, "status"] == "ok").all()
    assert query(tmp_path / "out", "SELECT count(*) AS n FROM steps")["n"][0] == 2 * 4


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
    for got, expected in zip(sweep_results(killed), sweep_results(whole), strict=True):
        pd.testing.assert_frame_equal(got, expected)
