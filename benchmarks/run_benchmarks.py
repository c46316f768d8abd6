"""Time the benchmark model at 10^4, 10^5 and 10^6 organisations, and Mesa at 10^4.

Each size runs in a fresh child process, so its peak memory (max RSS) is its own. Sizes keep
about 80 neighbours per organisation (r = 0.05, 0.0158, 0.005). For each size three timings:

- ``mechanisms``: the five steps of the model only (no indicators observed);
- ``observed``: the same run observing the indicators every step;
- ``with_tables``: ``innocluster.simulate`` plus ``Run.save`` (the cluster tables built and
  written as Parquet), as ``innocluster run`` does.

Each is reported in seconds per step, the best of three repeats (one at a million). Mesa's
per-step time at 10^4 (a few steps of the independent implementation in
``benchmarks/mesa_model.py``) gives the speed ratio, measured in the same invocation on the same
machine.

    python benchmarks/run_benchmarks.py                # all sizes, 50 steps, Mesa 3 steps
    python benchmarks/run_benchmarks.py --sizes 10000 --steps 10 --mesa-steps 1

Results go to ``benchmarks/results/benchmark-model.json`` and ``.md`` with the machine
description.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import describe, format_line  # noqa: E402

RADIUS = {10_000: 0.05, 100_000: 0.0158, 1_000_000: 0.005}


def child(kind: str, n0: int, steps: int, seed: int) -> dict:
    """Run one measurement in this process and return it."""
    if kind == "mesa":
        sys.path.insert(0, str(HERE.parent))
        from benchmarks import mesa_model

        model = mesa_model.BenchmarkModel(seed=seed, n0=n0, r=RADIUS.get(n0, 0.05))
        start = time.perf_counter()
        for _ in range(steps):
            model.step()
        per_step = (time.perf_counter() - start) / steps
        return {"per_step": per_step, "max_rss_mib": _max_rss_mib()}

    import innocluster as ic
    from innocluster.core.engine import run_model
    from innocluster.models import model_of

    overrides = {"n0": n0, "r": RADIUS.get(n0, 0.05), "steps": steps}
    scenario = ic.load_scenario("benchmark", overrides)
    warm = ic.load_scenario(scenario, {"n0": 2000, "steps": 2})
    run_model(model_of(warm), warm, seed)  # compile / load JIT
    # The best of a few repeats (one at a million): a shared machine only ever adds time.
    repeats = 3 if n0 <= 100_000 else 1
    out = {"repeats": repeats}
    best = None
    for _ in range(repeats):
        start = time.perf_counter()
        sim = run_model(model_of(scenario), scenario, seed, observe=False)
        took = (time.perf_counter() - start) / steps
        if best is None or took < best:
            best = took
            out["mechanism_seconds"] = {
                k: round(v / steps, 6)
                for k, v in sim.timings.items()
                if k not in ("init", "observe")
            }
        del sim
    out["mechanisms"] = best
    model = model_of(scenario)
    out["observed"] = min(_timed(lambda: run_model(model, scenario, seed)) for _ in range(repeats))
    out["observed"] /= steps
    with tempfile.TemporaryDirectory() as tmp:
        out["with_tables"] = (
            min(_timed(lambda: ic.simulate(scenario, seed=seed).save(tmp)) for _ in range(repeats))
            / steps
        )
        run = ic.load_run(tmp)
        out["final"] = run.final()
        out["table_rows"] = {name: table.num_rows for name, table in run.tables.items()}
    out["max_rss_mib"] = _max_rss_mib()
    return out


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, n0: int, steps: int, seed: int) -> dict:
    """Run :func:`child` in a fresh interpreter and return its result."""
    cmd = [sys.executable, __file__, "--child", kind, str(n0), str(steps), str(seed)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(RADIUS))
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--mesa-steps", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, n0, steps, seed = args.child
        print(json.dumps(child(kind, int(n0), int(steps), int(seed))))
        return

    results = {"machine": describe("mesa"), "steps": args.steps, "sizes": {}}
    for n0 in args.sizes:
        print(f"innocluster, {n0:,} organisations, {args.steps} steps ...", flush=True)
        results["sizes"][str(n0)] = {
            "r": RADIUS.get(n0, 0.05),
            **measure("ours", n0, args.steps, args.seed),
        }
        print(json.dumps(results["sizes"][str(n0)]), flush=True)
    if args.mesa_steps:
        print(f"Mesa, 10,000 organisations, {args.mesa_steps} steps ...", flush=True)
        mesa = measure("mesa", 10_000, args.mesa_steps, args.seed)
        results["mesa_10000"] = mesa
        ours = results["sizes"].get("10000")
        if ours:
            results["speedup_vs_mesa_10000"] = {
                key: mesa["per_step"] / ours[key]
                for key in ("mechanisms", "observed", "with_tables")
            }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmark-model.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "benchmark-model.md").write_text(report(results))
    print(report(results))


def report(results: dict) -> str:
    """The results as a Markdown page."""
    m = results["machine"]
    lines = [
        "# Benchmark model: measured results",
        "",
        f"Measured {format_line(m, 'mesa')}. {results['steps']} steps per size. "
        "Command: `python benchmarks/run_benchmarks.py`.",
        "",
        "Seconds per step, best of three repeats (one at 1,000,000).",
        "",
        "| organisations | r | s/step mechanisms | s/step observed | s/step with tables "
        "| peak RSS MiB | final n_orgs |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n0, row in results["sizes"].items():
        lines.append(
            f"| {int(n0):,} | {row['r']} | {row['mechanisms']:.4f} | {row['observed']:.4f} | "
            f"{row['with_tables']:.4f} | {row['max_rss_mib']:.0f} | {row['final']['n_orgs']:,} |"
        )
    if "mesa_10000" in results:
        mesa = results["mesa_10000"]
        lines += [
            "",
            f"Mesa 3 (benchmarks/mesa_model.py), 10,000 organisations: "
            f"{mesa['per_step']:.3f} s/step, peak RSS {mesa['max_rss_mib']:.0f} MiB.",
        ]
        if "speedup_vs_mesa_10000" in results:
            s = results["speedup_vs_mesa_10000"]
            lines.append(
                f"Speed-up per step at 10,000: {s['mechanisms']:.0f}x (mechanisms), "
                f"{s['observed']:.0f}x (observed), {s['with_tables']:.0f}x (with tables)."
            )
    sizes = sorted(int(n) for n in results["sizes"])
    if len(sizes) > 1:
        lines += ["", "Growth of the time per step (observed) against n log n:", ""]
        for lo, hi in zip(sizes, sizes[1:], strict=False):
            t_lo = results["sizes"][str(lo)]["observed"]
            t_hi = results["sizes"][str(hi)]["observed"]
            nlogn = hi * math.log(hi) / (lo * math.log(lo))
            lines.append(f"- {lo:,} -> {hi:,}: time x{t_hi / t_lo:.1f}, n log n x{nlogn:.1f}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
