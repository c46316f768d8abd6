"""Experiments: the experiment file, designs, run ids, sweeps on Dask, the catalog, comparison,
sensitivity and Shapley attribution.

One local Dask cluster of two worker processes is shared by the module; sweeps that need their
own cluster (other worker counts) say so.
"""

from __future__ import annotations

import itertools
import math
import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app
from innocluster.errors import InnoclusterError
from innocluster.experiments import (
    attribute,
    compare,
    dask_client,
    load_experiment,
    query,
    read_runs,
    run_batch,
    run_id,
    sensitivity,
    shapley,
    sweep,
)
from innocluster.experiments.compare import _welch, mean_interval
from innocluster.experiments.execute import run_tasks

SMALL = {"n0": 200}


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2) as active:
        yield active


def _spec(tmp_path: Path, **changes) -> dict:
    spec = {
        "name": "t",
        "base": "benchmark",
        "steps": 4,
        "overrides": dict(SMALL),
        "factors": {"benchmark.s": [0.0, 0.05], "benchmark.delta": [0.05, 0.1]},
        "replications": 2,
        "indicators": ["n_orgs", "total_knowledge"],
        "out": str(tmp_path / "out"),
    }
    spec.update(changes)
    return spec


def _results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The catalog without the timing columns, and every run file, both sorted."""
    runs = read_runs(out).drop(columns=["wall_seconds"])
    steps = query(out, "SELECT * FROM steps ORDER BY run_id, step")
    return runs, steps


# --- the experiment file -------------------------------------------------------------------


def test_grid_design_has_every_combination_and_seed(tmp_path):
    plan = load_experiment(_spec(tmp_path))
    assert plan.design.to_dict("list") == {
        "benchmark.s": [0.0, 0.0, 0.05, 0.05],
        "benchmark.delta": [0.05, 0.1, 0.05, 0.1],
    }
    assert [(r.design_id, r.seed) for r in plan.runs] == list(itertools.product(range(4), (0, 1)))
    assert plan.scenarios[3].benchmark.s == 0.05 and plan.scenarios[3].benchmark.n0 == 200


def test_list_design_reads_lists_side_by_side_and_keys_get_sections(tmp_path):
    spec = _spec(tmp_path, factors={"s": [0.0, 0.1], "n0": [100, 300]}, seeds=[5, 9])
    spec["design"] = {"method": "list"}
    del spec["replications"]
    plan = load_experiment(spec)
    assert plan.factors == ("benchmark.s", "benchmark.n0")
    assert [s.benchmark.n0 for s in plan.scenarios] == [100, 300]
    assert plan.seeds == (5, 9)


def test_sampled_design_rounds_integer_factors_and_is_reproducible(tmp_path):
    spec = _spec(tmp_path, factors={"n0": {"low": 100, "high": 200}, "s": {"low": 0, "high": 1}})
    spec["design"] = {"method": "lhs", "samples": 7, "seed": 3}
    one, two = load_experiment(spec), load_experiment(spec)
    assert len(one.design) == 7
    pd.testing.assert_frame_equal(one.design, two.design)
    n0 = one.design["benchmark.n0"]
    assert [s.benchmark.n0 for s in one.scenarios] == [math.floor(v + 0.5) for v in n0]


def test_design_from_a_dataframe(tmp_path):
    spec = _spec(tmp_path, factors={})
    rows = pd.DataFrame({"benchmark.s": [0.0, 0.02, 0.04], "steps": [2.0, 3.0, 4.0]})
    plan = load_experiment(spec, design=rows)
    assert [s.steps for s in plan.scenarios] == [2, 3, 4]
    assert plan.applied["steps"].tolist() == [2, 3, 4]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bogus": 1}, "bogus: unknown key; expected one of: name,"),
        ({"replications": 0}, "replications: expected greater than or equal to 1, got 0"),
        ({"seeds": [1], "replications": 2}, "give replications or seeds, not both"),
        ({"factors": {"benchmark.nope": [1]}}, "factors.benchmark.nope: unknown key"),
        ({"factors": {"s": {"low": 0, "high": 1}}}, "factors.s: the grid design needs"),
        ({"factors": {"s": {"low": 1, "high": 0}}}, "expected high > low"),
        ({"indicators": ["nope"]}, "indicators: unknown indicator 'nope'"),
        ({"factors": {"s": [0.1, -1.0]}}, "design row 1: override benchmark.s=-1.0"),
        ({"base": "nosuch"}, "base: unknown scenario preset 'nosuch'"),
        ({"design": {"method": "sobol", "samples": 6}}, None),
    ],
)
def test_bad_experiment_is_refused_naming_the_key(tmp_path, changes, message):
    spec = _spec(tmp_path, **changes)
    if message is None:  # a Sobol design needs ranges and a power-of-two sample size
        spec["factors"] = {"s": {"low": 0.0, "high": 1.0}}
        message = "design.samples: the Sobol design needs a power of two, got 6"
    with pytest.raises(InnoclusterError, match="experiment mapping: ") as err:
        load_experiment(spec)
    assert message in str(err.value)


def test_experiment_file_errors_name_the_file(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text('base = "benchmark"\nreplications = "three"\n')
    with pytest.raises(InnoclusterError, match=r"experiment file '.*e.toml': replications: "):
        load_experiment(path)


# --- run ids -------------------------------------------------------------------------------


def test_run_id_is_stable_and_ignores_name_and_number_spelling():
    scenario = ic.load_scenario("benchmark", {"n0": 200, "steps": 4})
    # A recorded value: changing it orphans every stored run (see docs/experiments.md).
    assert run_id(scenario, 0) == "c669c9773bffab13"
    renamed = ic.load_scenario(scenario, {"name": "x", "description": "y", "s": 0.02})
    assert run_id(renamed, 0) == run_id(scenario, 0)
    assert run_id(scenario, 1) != run_id(scenario, 0)
    assert run_id(ic.load_scenario(scenario, {"s": 0.03}), 0) != run_id(scenario, 0)


# --- sweeps --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory, client):
    """The uninterrupted sweep of the test experiment on the module's two workers."""
    tmp = tmp_path_factory.mktemp("reference")
    result = sweep(load_experiment(_spec(tmp)), client=client)
    assert result.ran == 8 and result.failed.empty
    return _results(tmp / "out")


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
        sweep(load_experiment(_spec(tmp_path, out=str(out))), client=local)
    runs, steps = _results(out)
    pd.testing.assert_frame_equal(runs, reference[0])
    pd.testing.assert_frame_equal(steps, reference[1])


def test_resume_runs_only_what_is_missing(tmp_path, client, reference):
    plan = load_experiment(_spec(tmp_path))
    sweep(plan, client=client)
    with pytest.raises(InnoclusterError, match="already holds an experiment: pass --resume"):
        sweep(plan, client=client)
    assert sweep(plan, client=client, resume=True).ran == 0
    gone = plan.runs[3].run_id
    (plan.out / "runs" / f"{gone}.parquet").unlink()
    again = sweep(plan, client=client, resume=True)
    assert (again.ran, again.skipped) == (1, 7)
    runs, steps = _results(plan.out)
    pd.testing.assert_frame_equal(runs, reference[0])
    pd.testing.assert_frame_equal(steps, reference[1])
    other = load_experiment(_spec(tmp_path, replications=3))
    with pytest.raises(InnoclusterError, match="holds a different experiment"):
        sweep(other, client=client, resume=True)


def test_run_files_missing_from_the_catalog_are_read_back(tmp_path, client, reference):
    plan = load_experiment(_spec(tmp_path))
    sweep(plan, client=client)
    (plan.out / "catalog.duckdb").unlink()  # the driver died before writing its last batch
    assert sweep(plan, client=client, resume=True).ran == 0
    pd.testing.assert_frame_equal(_results(plan.out)[0], reference[0])


def test_killing_a_worker_loses_nothing(tmp_path, client):
    spec = _spec(tmp_path, overrides={"n0": 2000}, steps=15, replications=6)
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
    runs, steps = _results(plan.out)
    expected = _results(fresh.out)
    pd.testing.assert_frame_equal(runs, expected[0])
    pd.testing.assert_frame_equal(steps, expected[1])


def test_a_broken_run_is_recorded_and_the_others_finish(tmp_path, client):
    # a = 1e300 passes validation but overflows the Poisson draw of the model
    spec = _spec(tmp_path, factors={"benchmark.a": [0.5, 1e300]})
    result = sweep(load_experiment(spec), client=client)
    failed = result.failed
    assert len(failed) == 2 and set(failed["design_id"]) == {1}
    assert failed["error"].str.startswith("ValueError: ").all()
    assert (result.runs.loc[result.runs["design_id"] == 0, "status"] == "ok").all()
    assert query(tmp_path / "out", "SELECT count(*) AS n FROM steps")["n"][0] == 2 * 4


def test_cli_sweep_exits_non_zero_naming_failed_runs(tmp_path, client):
    path = tmp_path / "e.toml"
    path.write_text(
        'base = "benchmark"\nsteps = 3\nreplications = 1\nout = "o"\n'
        '[overrides]\nn0 = 100\n[factors]\n"benchmark.a" = [0.5, 1e300]\n'
    )
    address = client.scheduler.address
    result = CliRunner().invoke(app, ["sweep", str(path), "--scheduler", address])
    assert result.exit_code == 1
    failed = read_runs(tmp_path / "o").query("status == 'error'")["run_id"].item()
    assert f"failed: run {failed} (design 1, seed 0): ValueError" in result.output
    assert "1 runs failed" in result.output
    query_ = CliRunner().invoke(
        app, ["query", str(tmp_path / "o"), "SELECT status FROM runs ORDER BY 1", "--csv"]
    )
    assert query_.output == "status\nerror\nok\n"


def test_query_is_read_only(tmp_path, client, reference):
    plan = load_experiment(_spec(tmp_path))
    sweep(plan, client=client)
    with pytest.raises(InnoclusterError, match="query: "):
        query(plan.out, "DELETE FROM catalog.runs")
    assert len(read_runs(plan.out)) == 8
    with pytest.raises(InnoclusterError, match="has no catalog.duckdb"):
        query(tmp_path, "SELECT 1")


def test_run_batch_matches_simulate_in_order(client):
    scenarios = [ic.load_scenario("benchmark", {**SMALL, "steps": 3, "s": s}) for s in (0, 0.1)]
    frames = run_batch(scenarios, [4, 5], client=client)
    for frame, scenario, seed in zip(frames, scenarios, [4, 5], strict=True):
        pd.testing.assert_frame_equal(frame, ic.simulate(scenario, seed=seed).indicators)
    bad = ic.load_scenario("benchmark", {**SMALL, "steps": 2, "a": 1e300})
    with pytest.raises(InnoclusterError, match=r"run 1 \(scenario 'benchmark', seed 0\) failed"):
        run_batch([scenarios[0], bad], [0, 0], client=client)


# --- comparison ----------------------------------------------------------------------------


def test_mean_interval_and_welch_agree_with_scipy():
    rng = np.random.default_rng(1)
    a, b = rng.normal(1, 1, 12), rng.normal(0, 2, 9)
    mean, sd, low, high = mean_interval(a)
    ci = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    assert (mean, sd) == pytest.approx((a.mean(), a.std(ddof=1)))
    assert (low, high) == pytest.approx(ci)
    diff, low, high = _welch(a, b)
    test = stats.ttest_ind(a, b, equal_var=False)
    ci = test.confidence_interval(0.95)
    assert (diff, low, high) == pytest.approx((a.mean() - b.mean(), ci.low, ci.high))


def test_compare_gives_means_and_paired_differences(tmp_path, client):
    plan = load_experiment(_spec(tmp_path, replications=3))
    sweep(plan, client=client)
    table = compare(plan.out, "benchmark.s", "total_knowledge")
    runs = read_runs(plan.out)
    low, high = (runs[runs["benchmark.s"] == v] for v in (0.0, 0.05))
    means = table[table["kind"] == "mean"]
    assert means["mean"].tolist() == pytest.approx(
        [low["total_knowledge"].mean(), high["total_knowledge"].mean()]
    )
    diff = table[table["kind"] == "difference"].iloc[0]
    pairs = high.merge(low, on=["seed", "benchmark.delta"])
    d = pairs["total_knowledge_x"] - pairs["total_knowledge_y"]
    assert bool(diff["paired"]) and diff["n"] == 6
    assert diff["mean"] == pytest.approx(d.mean())
    assert (diff["ci_low"], diff["ci_high"]) == pytest.approx(mean_interval(d.to_numpy())[2:])
    assert Path(table.attrs["plot"]).is_file()
    compare(plan.out, "benchmark.delta", "total_knowledge", at_step=2)
    stored = pd.read_parquet(plan.out / "compare.parquet")
    assert set(stored["factor"]) == {"benchmark.s", "benchmark.delta"} and len(stored) == 6
    with pytest.raises(InnoclusterError, match="--by nope: not a factor"):
        compare(plan.out, "nope", "total_knowledge")


# --- sensitivity ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "samples"), [("sobol", 8), ("morris", 4)])
def test_sensitivity_uses_salib_on_the_matching_design(tmp_path, client, method, samples):
    from SALib.analyze import morris, sobol

    spec = _spec(
        tmp_path,
        factors={"s": {"low": 0.0, "high": 0.1}, "delta": {"low": 0.0, "high": 0.2}},
        design={"method": method, "samples": samples, "seed": 2},
    )
    plan = load_experiment(spec)
    sweep(plan, client=client)
    table = sensitivity(plan.out, ["total_knowledge"])
    problem = {"num_vars": 2, "names": list(plan.factors), "bounds": [[0.0, 0.1], [0.0, 0.2]]}
    y = read_runs(plan.out).groupby("design_id")["total_knowledge"].mean().to_numpy()
    if method == "sobol":
        expected = sobol.analyze(problem, y, calc_second_order=False, num_resamples=1000, seed=2)
        got = table[table["index"] == "ST"]["value"].to_numpy()
        assert got == pytest.approx(expected["ST"])
        assert len(table) == 4
    else:
        x = plan.design.to_numpy(float)
        expected = morris.analyze(problem, x, y, num_resamples=1000, num_levels=4, seed=2)
        got = table[table["index"] == "mu_star"]["value"].to_numpy()
        assert got == pytest.approx(expected["mu_star"])
        assert len(table) == 6
    assert (plan.out / "problem.json").is_file()


def test_sensitivity_needs_a_sobol_or_morris_design(tmp_path, client):
    plan = load_experiment(_spec(tmp_path))
    sweep(plan, client=client)
    with pytest.raises(InnoclusterError, match="needs a sobol or morris design"):
        sensitivity(plan.out)


# --- attribution ---------------------------------------------------------------------------


def test_exact_shapley_values_of_a_known_game():
    # The glove game: player 0 holds a left glove, players 1 and 2 a right one; a pair is worth 1.
    worth = np.array([0, 0, 0, 1, 0, 1, 0, 1], dtype=float)  # bit i: player i
    assert shapley(worth) == pytest.approx([2 / 3, 1 / 6, 1 / 6])


def test_shapley_values_are_efficient_exact_and_sampled():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(2**5, 3))  # five players, three replications
    exact = shapley(values)
    assert exact.sum(axis=0) == pytest.approx(values[-1] - values[0], abs=1e-12)
    orders = np.array([rng.permutation(5) for _ in range(7)])
    sampled = shapley(values, orders)
    assert sampled.sum(axis=0) == pytest.approx(values[-1] - values[0], abs=1e-12)
    every = np.array(list(itertools.permutations(range(5))))
    assert shapley(values, every) == pytest.approx(exact)


def test_attribute_splits_the_whole_effect_over_the_mechanisms(tmp_path, client):
    out = tmp_path / "attr"
    table = attribute(
        "benchmark",
        "total_knowledge",
        ["spillover", "innovation", "depreciation"],
        replications=2,
        overrides=["n0=200"],
        steps=3,
        out=out,
        client=client,
    )
    assert table["method"].eq("exact").all() and table["coalitions"].eq(8).all()
    first = table.iloc[0]
    assert table["shapley"].sum() == pytest.approx(first["all_on"] - first["all_off"], rel=1e-12)
    runs = read_runs(out).sort_values(["design_id", "seed"])
    on = runs[
        runs["mechanisms.spillover"]
        & runs["mechanisms.innovation"]
        & runs["mechanisms.depreciation"]
    ]
    assert first["all_on"] == pytest.approx(on["total_knowledge"].mean())
    assert pd.read_parquet(out / "attribution.parquet")["mechanism"].tolist() == [
        "spillover",
        "innovation",
        "depreciation",
    ]
    sampled = attribute(
        "benchmark",
        "total_knowledge",
        ["spillover", "innovation", "depreciation"],
        replications=2,
        overrides=["n0=200"],
        steps=3,
        permutations=2,
        out=tmp_path / "sampled",
        client=client,
    )
    assert sampled["method"].eq("permutation").all()
    assert sampled["shapley"].sum() == pytest.approx(first["all_on"] - first["all_off"])
    with pytest.raises(InnoclusterError, match="--mechanisms nope: not a mechanism"):
        attribute("benchmark", mechanisms=["nope"], client=client)


def test_cli_attribute_and_compare(tmp_path, client):
    address = client.scheduler.address
    out = tmp_path / "attr"
    args = [
        "attribute",
        "benchmark",
        "--mechanisms",
        "spillover,innovation",
        "--replications",
        "2",
        "--steps",
        "2",
        "--set",
        "n0=100",
        "--scheduler",
        address,
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the table's title may wrap
    assert "Shapley values for total_knowledge (exact, 4 coalitions x 2 seeds)" in said
    result = CliRunner().invoke(
        app, ["compare", str(out), "--by", "mechanisms.spillover", "--metric", "total_knowledge"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "compare-total_knowledge-by-mechanisms.spillover.png").is_file()
    broken = [*args[:-1], str(tmp_path / "broken"), "--set", "a=1e300"]
    result = CliRunner().invoke(app, broken)
    assert result.exit_code == 1 and "4 runs failed" in result.output  # innovation on


def test_docs_list_every_key_and_column():
    from innocluster.experiments.attribution import COLUMNS as ATTRIBUTION
    from innocluster.experiments.compare import COLUMNS as COMPARE
    from innocluster.experiments.sensitivity import COLUMNS as SENSITIVITY
    from innocluster.experiments.spec import DesignSection, ExperimentFile

    text = (Path(__file__).resolve().parents[2] / "docs" / "experiments.md").read_text()
    for name in set(ExperimentFile.model_fields) - {"design"}:  # design.* below
        assert f"| `{name}` |" in text, name
    for name in DesignSection.model_fields:
        assert f"| `design.{name}` |" in text, name
    for columns in (COMPARE, SENSITIVITY, ATTRIBUTION):
        for name in columns:
            assert f"`{name}`" in text, name
