"""Time a sweep of many small runs: serial in one process versus a local Dask cluster.

The target (design brief, section 7; issue): a sweep on 2 local workers keeps both cores busy,
so a 200-run sweep takes at most 0.6 of the serial time, and a 2,000-run sweep at least 85%
of the ideal ``serial seconds per run x runs / 2``.

The runs are the ``default`` cluster scenario as shipped (200 firms at start, 80 years, about
half a second a run; ``--n-firms`` and ``--steps`` make it smaller or larger), one run per seed
``0..runs-1``: an experiment with ``replications = runs``. Each run is a Dask task, which costs
some 40 ms of scheduling, transfer and event-loop time beside the run itself: on much shorter
runs that overhead, not the cores, sets the ratio (documented in the results page).

- *serial*: the sweep's own task (:func:`innocluster.experiments.execute.run_to_file`:
  simulate, write the run file) called in a loop in this process, on ``--serial-runs`` of the
  runs (default: all of them); the seconds per run times ``runs`` is the serial time.
- *parallel*: :func:`innocluster.experiments.sweep` on a local cluster of ``--workers``
  processes (one thread each), with its catalog writes; timed from submission to the last
  catalog write, after the cluster has started and each worker has made one warm-up run (the
  start is reported apart).

Both sides make one warm-up run first, so numba's compilation (or cache load) is not timed.
Afterwards the catalog is queried through DuckDB (a count over the ``runs`` table and a mean
over every step of every run file through the ``steps`` view), which reads the Parquet files
without loading the runs into memory.

    python benchmarks/bench_sweep.py                          # 200 runs, 2 workers
    python benchmarks/bench_sweep.py --runs 2000 --serial-runs 200 --name sweep-2000
    python benchmarks/bench_sweep.py --runs 8 --steps 5 --no-write      # smoke check

Results go to ``benchmarks/results/NAME.md`` and ``NAME.json`` (``NAME`` = ``sweep``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import code_version, describe, format_line  # noqa: E402

RESULTS = HERE / "results"
TARGET_RATIO = 0.6
TARGET_EFFICIENCY = 0.85


def measure(runs: int, serial_runs: int, workers: int, n_firms: int, steps: int) -> dict:
    """Time the serial loop and the parallel sweep; query the catalog."""
    from innocluster.experiments import dask_client, load_experiment, query, sweep
    from innocluster.experiments.execute import run_to_file

    spec = {
        "name": "bench",
        "base": "default",
        "steps": steps,
        "overrides": {"population.n_firms": n_firms},
        "replications": runs,
        "indicators": ["n_orgs", "patents", "knowledge_tacit", "alliances"],
    }
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        plan = load_experiment(spec, out=Path(tmp) / "parallel")
        serial_out = Path(tmp) / "serial"
        (serial_out / "runs").mkdir(parents=True)
        (Path(tmp) / "runs").mkdir()
        warm = load_experiment({**spec, "replications": 1, "first_seed": runs}, out=tmp)
        run_to_file(warm.scenarios[0], runs, warm.runs[0].run_id, plan.indicators, tmp)

        chosen = plan.runs[:serial_runs]
        start = time.perf_counter()
        for planned in chosen:
            run_to_file(
                plan.scenarios[0], planned.seed, planned.run_id, plan.indicators, str(serial_out)
            )
        serial_seconds = time.perf_counter() - start
        per_run = serial_seconds / len(chosen)

        start = time.perf_counter()
        with dask_client(workers=workers) as client:
            started = time.perf_counter() - start
            warmups = [
                client.submit(
                    run_to_file,
                    warm.scenarios[0],
                    runs,
                    warm.runs[0].run_id,
                    plan.indicators,
                    tmp,
                    workers=[address],
                    pure=False,
                )
                for address in client.scheduler_info()["workers"]
            ]
            client.gather(warmups)
            start = time.perf_counter()
            result = sweep(plan, client=client)
            parallel_seconds = time.perf_counter() - start
        assert result.failed.empty, result.failed
        start = time.perf_counter()
        counted = query(plan.out, "SELECT count(*) AS n, avg(patents) AS p FROM runs")
        runs_query = time.perf_counter() - start
        start = time.perf_counter()
        steps_row = query(plan.out, "SELECT count(*) AS n, avg(patents) AS p FROM steps")
        steps_query = time.perf_counter() - start
        size = sum(p.stat().st_size for p in (plan.out / "runs").glob("*.parquet"))

    ideal = per_run * runs / workers
    return {
        "runs": runs,
        "serial_runs": len(chosen),
        "workers": workers,
        "scenario": {"preset": "default", "population.n_firms": n_firms, "steps": steps},
        "serial_seconds_measured": serial_seconds,
        "serial_seconds_per_run": per_run,
        "serial_seconds": per_run * runs,
        "cluster_start_seconds": started,
        "parallel_seconds": parallel_seconds,
        "ratio": parallel_seconds / (per_run * runs),
        "efficiency": ideal / parallel_seconds,
        "query_runs_seconds": runs_query,
        "query_steps_seconds": steps_query,
        "query_runs_rows": int(counted["n"][0]),
        "query_steps_rows": int(steps_row["n"][0]),
        "run_files_mib": size / 2**20,
        "cores_visible": os.cpu_count(),
    }


def report(results: dict) -> str:
    """The results page."""
    r = results
    machine = format_line(r["machine"], "dask", "distributed", "duckdb")
    code = r["code"]
    changes = (
        f" with uncommitted changes to {', '.join(line[3:] for line in code['modified'])}"
        if code["modified"]
        else ""
    )
    met_ratio = "met" if r["ratio"] <= TARGET_RATIO else "not met"
    met_eff = "met" if r["efficiency"] >= TARGET_EFFICIENCY else "not met"
    scenario = r["scenario"]
    return f"""# A sweep on a local Dask cluster: measured speed

Measured {machine}; load average {r["load_average_end"]} at the end. Command: `{r["command"]}`.
Code: commit {code["commit"]}{changes}.

{r["runs"]} runs of the `default` cluster scenario with `population.n_firms = \
{scenario["population.n_firms"]}` and `steps = {scenario["steps"]}`, seeds 0..{r["runs"] - 1}.
Serial: the sweep's task (simulate, write the run file) in a loop in one process, on \
{r["serial_runs"]} runs. Parallel: `innocluster.experiments.sweep` on a `LocalCluster` of \
{r["workers"]} worker processes with one thread each (numba threads 1), catalog writes included, \
after the cluster started and each worker made one warm-up run. See the docstring of \
`benchmarks/bench_sweep.py`.

**Parallel / serial: {r["ratio"]:.3f}** (target: at most {TARGET_RATIO}: {met_ratio}); \
**efficiency {r["efficiency"]:.1%}** of the ideal serial time / {r["workers"]} \
(target: at least {TARGET_EFFICIENCY:.0%}: {met_eff}).

| quantity | value |
|---|---:|
| runs | {r["runs"]:,} |
| serial seconds per run | {r["serial_seconds_per_run"]:.4f} |
| serial seconds ({r["serial_runs"]:,} runs measured) | {r["serial_seconds_measured"]:.2f} |
| serial seconds for all runs (per run x runs) | {r["serial_seconds"]:.2f} |
| parallel seconds, {r["workers"]} workers | {r["parallel_seconds"]:.2f} |
| cluster start seconds (not in the parallel time) | {r["cluster_start_seconds"]:.2f} |
| parallel / serial | {r["ratio"]:.3f} |
| efficiency: serial / workers / parallel | {r["efficiency"]:.1%} |
| run files (MiB) | {r["run_files_mib"]:.1f} |
| query over the `runs` table (s; rows) | {r["query_runs_seconds"]:.3f}; \
{r["query_runs_rows"]:,} |
| query over the `steps` view, every run file (s; rows) | {r["query_steps_seconds"]:.3f}; \
{r["query_steps_rows"]:,} |
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--serial-runs", type=int, default=None, help="default: --runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--n-firms", type=int, default=200)
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--name", default="sweep", help="results file name (default sweep)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    machine = describe("dask", "distributed", "duckdb")
    serial_runs = min(args.serial_runs or args.runs, args.runs)
    results = measure(args.runs, serial_runs, args.workers, args.n_firms, args.steps)
    results.update(
        machine=machine,
        code=code_version(),
        command="python benchmarks/bench_sweep.py " + " ".join(sys.argv[1:]),
        load_average_end=round(os.getloadavg()[0], 2),
    )
    page = report(results)
    print(page)
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{args.name}.json").write_text(json.dumps(results, indent=2) + "\n")
        (args.out / f"{args.name}.md").write_text(page)


if __name__ == "__main__":
    main()
