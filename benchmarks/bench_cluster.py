"""Time the full cluster model (every forming mechanism on) at 100,000 organisations, 100 steps.

The target (design brief, section 7) is under 2 minutes for the run on 2 cores.

The scenario is the embedded ``default`` scaled up by a factor ``f`` (``--scale``, 500 by
default) in *area* and in every extensive quantity, so that the density of organisations, the
neighbours per organisation and the economics per firm stay as in the default:

- ``space.L = 100 * sqrt(f)`` km (2,236 km at f = 500);
- ``space.R = round(L / 10)`` so regions stay 10 km wide, but at most 200 (the parameter's
  upper bound): at f = 500 that gives R = 224, so R = 200 and regions are 11.2 km wide;
- the planned zone (default: the central 2 x 2 of 10 x 10 regions, 4% of the area) becomes the
  central ``round(R / 5)`` x ``round(R / 5)`` regions, the same share of the area (40 x 40 at
  f = 500), so the zone's budget per firm inside it is as in the default;
- ``n_leaders = 2 f``, ``n_institutes = 10 f`` and ``n_firms = 200 f - 12 f = 188 f``, so the
  organisations at start number ``200 f`` (100,000 at f = 500: 94,000 firms, 1,000 leaders and
  5,000 institutes). This is 6% fewer firms per km2 than the default's 200 firms, 2 leaders and
  10 institutes: it makes the claim "100,000 organisations" exact at the start;
- ``market.demand0``, ``market.demand_max``, ``entrepreneurship.m_entry`` and
  ``government.exogenous`` times ``f``; ``government.intermediary_cost`` and ``anchor_cost``
  unchanged (a larger budget buys proportionally more intermediaries); every other parameter
  (radii, rates, shares, per-firm quantities) as in the default.

The population then changes through entry, spin-offs and the shakeout; the organisations at
the start, at their peak and at the end are reported beside the times.

One short warm-up run (the unscaled default, 5 steps) comes first, so numba's compilation or
cache loading is not timed. Then ``run_model(model_of(scenario), scenario, seed)`` is timed with
the indicators observed every step (as a user's run), wall time, best of ``--repeats`` runs; the
seconds of each part (init, each mechanism, observe) are those of the best run. Peak memory is
the process's maximum resident set size (the warm-up's is far smaller).

    python benchmarks/bench_cluster.py                        # f = 500, 100 steps, best of 2
    python benchmarks/bench_cluster.py --scale 5 --steps 5 --repeats 1 --no-write  # smoke check
    python benchmarks/bench_cluster.py --page-only      # rewrite cluster.md from cluster.json

Results go to ``benchmarks/results/cluster.md`` and ``cluster.json`` with the machine
description.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

from innocluster.core.engine import run_model
from innocluster.models import model_of
from innocluster.models.cluster.parameters import ClusterScenario
from innocluster.scenario import load_scenario

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import code_version, describe, format_line  # noqa: E402

RESULTS = HERE / "results"
TARGET_SECONDS = 120.0
MAX_R = 200  # upper bound of space.R


def scaled_overrides(scale: float, steps: int) -> dict:
    """Overrides of ``default`` scaled by ``scale`` in area and in extensive quantities."""
    base = ClusterScenario()
    L = base.space.L * math.sqrt(scale)
    width = base.space.L / base.space.R  # 10 km
    R = min(max(round(L / width), 2), MAX_R)
    side = max(1, round(R * 2 / base.space.R))  # the default zone: 2 of 10 regions a side
    first = (R - side) // 2
    zone = [
        row * R + col for row in range(first, first + side) for col in range(first, first + side)
    ]
    pop = base.population
    n_leaders = round(pop.n_leaders * scale)
    n_institutes = round(pop.n_institutes * scale)
    n_firms = round(pop.n_firms * scale) - n_leaders - n_institutes
    return {
        "steps": steps,
        "space": {"L": L, "R": R},
        "population": {
            "n_firms": n_firms,
            "n_leaders": n_leaders,
            "n_institutes": n_institutes,
        },
        "market": {
            "demand0": base.market.demand0 * scale,
            "demand_max": base.market.demand_max * scale,
        },
        "entrepreneurship": {"m_entry": base.entrepreneurship.m_entry * scale},
        "government": {"exogenous": base.government.exogenous * scale, "zone_regions": zone},
    }


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(scale: float, steps: int, repeats: int, seed: int) -> dict:
    """Warm up, then time ``repeats`` runs of the scaled scenario; the best run's figures."""
    overrides = scaled_overrides(scale, steps)
    scenario = load_scenario("default", overrides)
    start = time.perf_counter()
    warm = load_scenario("default", {"steps": 5})
    run_model(model_of(warm), warm, seed)  # compile / load the numba kernels
    warmup = time.perf_counter() - start
    pop = scenario.population
    n_start = pop.n_firms + pop.n_leaders + pop.n_institutes + pop.n_intermediaries
    # The overrides as stored: the zone's list of regions as its side.
    zone = overrides["government"]["zone_regions"]
    summary = {
        **overrides,
        "government": {
            "exogenous": overrides["government"]["exogenous"],
            "zone_regions": f"central {math.isqrt(len(zone))} x {math.isqrt(len(zone))} regions",
        },
    }
    totals, best = [], None
    for repeat in range(repeats):
        start = time.perf_counter()
        sim = run_model(model_of(scenario), scenario, seed)
        took = time.perf_counter() - start
        totals.append(took)
        print(f"  repeat {repeat + 1}/{repeats}: {took:.2f} s", flush=True)
        if best is None or took < best["seconds"]:
            n = np.array([row["n_orgs"] for row in sim.rows])
            last = sim.rows[-1]
            best = {
                "seconds": took,
                # init, each enabled mechanism in the model's order, observe
                "timings": dict(sim.timings),
                "orgs_start": int(n_start),
                "orgs_peak": int(n.max()),
                "orgs_peak_step": int(np.argmax(n)) + 1,
                "orgs_end": int(n[-1]),
                "orgs_by_step": n.tolist(),
                "end_by_kind": {
                    kind: int(last[f"n_{kind}"])
                    for kind in ("firms", "leaders", "institutes", "intermediaries")
                },
                "entries": int(sum(row["entries"] for row in sim.rows)),
                "spinoffs": int(sum(row["spinoffs"] for row in sim.rows)),
                "exits": int(sum(row["exits"] for row in sim.rows)),
            }
        del sim
    return {
        "scale": scale,
        "steps": steps,
        "seed": seed,
        "repeats": repeats,
        "overrides": summary,
        "region_km": scenario.space.L / scenario.space.R,
        "warmup_seconds": warmup,
        "repeat_seconds": totals,
        **best,
        "seconds_per_step": best["seconds"] / steps,
        "max_rss_mib": max_rss_mib(),
        "target_seconds": TARGET_SECONDS,
    }


def report(results: dict) -> str:
    """The results as a Markdown page."""
    m, o, code = results["machine"], results["overrides"], results["code"]
    steps, seconds = results["steps"], results["seconds"]
    timings = results["timings"]
    accounted = sum(timings.values())
    pop = o["population"]
    command = "python benchmarks/bench_cluster.py"
    if results["scale"] != 500 or steps != 100 or results["repeats"] != 2:
        command += f" --scale {results['scale']:g} --steps {steps} --repeats {results['repeats']}"
    full = results["scale"] == 500 and steps == 100
    verdict = (
        ("met" if seconds < TARGET_SECONDS else "**not met**")
        if full
        else "not applicable (not the full-scale run)"
    )
    lines = [
        "# The cluster model at scale: measured speed",
        "",
        f"Measured {format_line(m)}, {results['load_average_end']} at the end. "
        f"Command: `{command}`. Code: commit {code['commit']}"
        + (
            f" with uncommitted changes to {', '.join(line[3:] for line in code['modified'])}"
            if code["modified"]
            else ""
        )
        + ".",
        "",
        f"The `default` scenario (the cluster model, every forming mechanism on) scaled by "
        f"f = {results['scale']:g} in area and in every extensive quantity: "
        f"L = {o['space']['L']:.1f} km, R = {o['space']['R']} "
        f"(regions {results['region_km']:.2f} km wide"
        + (
            "; R = round(L / 10) would exceed the bound of 200"
            if o["space"]["R"] == MAX_R and round(o["space"]["L"] / 10) > MAX_R
            else ""
        )
        + f"), {pop['n_firms']:,} firms, {pop['n_leaders']:,} leaders and "
        f"{pop['n_institutes']:,} institutes at start, demand0 {o['market']['demand0']:,.0f} and "
        f"demand_max {o['market']['demand_max']:,.0f} MU/year, m_entry "
        f"{o['entrepreneurship']['m_entry']:,.0f}/year, exogenous budget "
        f"{o['government']['exogenous']:,.0f} MU/year, planned zone the "
        f"{o['government']['zone_regions']} (4% of the area as in the default); "
        "intermediary and anchor costs and every other parameter as in the default. "
        "See the docstring of `benchmarks/bench_cluster.py` for the rule.",
        "",
        f"`run_model(model_of(scenario), scenario, seed={results['seed']})` with the indicators "
        f"observed every step, wall time, best of {results['repeats']} "
        f"(all: {', '.join(f'{s:.2f}' for s in results['repeat_seconds'])} s), after a warm-up "
        f"run of the unscaled default for 5 steps ({results['warmup_seconds']:.1f} s) so "
        "numba's compilation is not timed.",
        "",
        f"**Total: {seconds:.2f} s for {steps} steps** "
        f"(target: under {TARGET_SECONDS:.0f} s at 100,000 organisations, 100 steps: {verdict}).",
        "",
        "| quantity | value |",
        "|---|---:|",
        f"| total seconds, {steps} steps (init and observe included) | {seconds:.2f} |",
        f"| seconds per step | {results['seconds_per_step']:.3f} |",
        f"| organisations at start | {results['orgs_start']:,} |",
        f"| organisations at peak (step {results['orgs_peak_step']}) | {results['orgs_peak']:,} |",
        f"| organisations at the end (step {steps}) | {results['orgs_end']:,} |",
        f"| organisations, mean over the steps | {np.mean(results['orgs_by_step']):,.0f} |",
        f"| peak memory (max RSS of the process) | {results['max_rss_mib']:,.0f} MiB |",
        "",
        f"Over the run: {results['entries']:,} entries (of which {results['spinoffs']:,} "
        f"spin-offs), {results['exits']:,} exits; at the end "
        + ", ".join(f"{v:,} {k}" for k, v in results["end_by_kind"].items())
        + ".",
        "",
        "Seconds per part of the best run (from `Simulation.timings`); the share is of the "
        "total wall time of the run.",
        "",
        "| part | seconds | seconds per step | share |",
        "|---|---:|---:|---:|",
    ]
    for part, sec in timings.items():
        per_step = "" if part == "init" else f"{sec / steps:.4f}"
        lines.append(f"| {part} | {sec:.3f} | {per_step} | {100 * sec / seconds:.1f}% |")
    lines.append(
        f"| other (loop, bookkeeping) | {seconds - accounted:.3f} | | "
        f"{100 * (seconds - accounted) / seconds:.1f}% |"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=500.0, help="the factor f (default 500)")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--page-only", action="store_true", help="rewrite cluster.md from cluster.json, no run"
    )
    args = parser.parse_args()
    if args.page_only:
        page = report(json.loads((args.out / "cluster.json").read_text()))
        (args.out / "cluster.md").write_text(page)
        print(page)
        return
    machine = describe()
    code = code_version()
    print(
        f"cluster model, scale {args.scale:g}, {args.steps} steps, best of {args.repeats} ...",
        flush=True,
    )
    results = {
        "machine": machine,
        "code": code,
        **measure(args.scale, args.steps, args.repeats, args.seed),
        "load_average_end": round(os.getloadavg()[0], 2),
    }
    page = report(results)
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "cluster.json").write_text(json.dumps(results, indent=2) + "\n")
        (args.out / "cluster.md").write_text(page)
    print(page)


if __name__ == "__main__":
    main()
