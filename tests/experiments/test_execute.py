"""Running on Dask: one numba thread per task, the same results whatever the workers, a killed
worker's runs run again, and run_batch.

The package's Dask cluster (``conftest.py``) is shared; tests that need other worker counts
start their own.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pandas as pd
import pytest

import innocluster as ic
from innocluster.errors import InnoclusterError
from innocluster.experiments import dask_client, load_experiment, run_batch, sweep
from innocluster.experiments.execute import run_tasks
from tests.experiments.helpers import SMALL, make_spec, sweep_results


def _numba_threads() -> int:
    import numba

    return numba.get_num_threads()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: numba has one thread anyway")
def test_a_task_runs_with_one_numba_thread_whatever_the_worker_environment():
    # Workers started without NUMBA_NUM_THREADS=1 (a user's cluster, or a worker whose main
    # module loaded numba before the variable was read) still run each task on one thread.
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0") as cluster:
        with Client(cluster) as plain:
            assert max(plain.run(_numba_threads).values()) > 1
            assert run_tasks(plain, _numba_threads, [()]) == [1]


@pytest.mark.parametrize("workers", [1, pytest.param(8, marks=pytest.mark.slow)])
def test_same_results_as_two_workers(tmp_path, reference, workers):
    out = tmp_path / f"w{workers}"
    with dask_client(workers=workers) as local:
        threads = local.run(lambda: os.environ["NUMBA_NUM_THREADS"])
        assert set(threads.values()) == {"1"} and len(threads) == workers
        sweep(load_experiment(make_spec(tmp_path, out=str(out))), client=local)
    runs, steps = sweep_results(out)
    pd.testing.assert_frame_equal(runs, reference[0])
    pd.testing.assert_frame_equal(steps, reference[1])


def test_killing_a_worker_loses_nothing(tmp_path, client):
    spec = make_spec(tmp_path, overrides={"n0": 2000}, steps=15, replications=6)
    plan = load_experiment(spec)
    pids = list(client.run(os.getpid).values())
    killed = []

    def kill_when_started():
        deadline = time.monotonic() + 60
        while not any((plan.out / "runs").glob("*.parquet")) and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(pids[0], signal.SIGKILL)
        killed.append(len(list((plan.out / "runs").glob("*.parquet"))))

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    result = sweep(plan, client=client)
    killer.join()
    assert killed and killed[0] < len(plan.runs)  # the kill landed mid-sweep
    assert result.failed.empty and (result.runs["status"] == "ok").all()
    client.wait_for_workers(2, timeout=60)
    fresh = load_experiment(spec, out=tmp_path / "fresh")
    sweep(fresh, client=client)
    runs, steps = sweep_results(plan.out)
    expected = sweep_results(fresh.out)
    pd.testing.assert_frame_equal(runs, expected[0])
    pd.testing.assert_frame_equal(steps, expected[1])


def test_run_batch_matches_simulate_in_order(client):
    scenarios = [ic.load_scenario("benchmark", {**SMALL, "steps": 3, "s": s}) for s in (0, 0.1)]
    frames = run_batch(scenarios, [4, 5], client=client)
    for frame, scenario, seed in zip(frames, scenarios, [4, 5], strict=True):
        pd.testing.assert_frame_equal(frame, ic.simulate(scenario, seed=seed).indicators)
    bad = ic.load_scenario("benchmark", {**SMALL, "steps": 2, "a": 1e300})
    with pytest.raises(InnoclusterError, match=r"run 1 \(scenario 'benchmark', seed 0\) failed"):
        run_batch([scenarios[0], bad], [0, 0], client=client)
