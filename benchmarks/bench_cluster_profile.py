"""Time every measure of a cluster (``innocluster measure``) on a 1,000,000-patent table.

A synthetic but realistic cluster: organisations over a 30 x 30 grid of 10 km regions, with
three innovation hubs; patents over 100 technology fields, each organisation favouring a few;
alliances mostly within regions; entries over 20 years. The tables are written as Parquet and
the whole profile (reading and validating the tables included) is timed.

    python benchmarks/bench_cluster_profile.py                  # 1,000,000 patents
    python benchmarks/bench_cluster_profile.py --patents 100000

The result goes to ``benchmarks/results/cluster-profile.md``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from innocluster.measures.profile import measure_cluster  # noqa: E402
from innocluster.tables import ALLIANCES, ORGANIZATIONS, PATENTS, from_arrays, write_table  # noqa: E402
from machine import describe_line  # noqa: E402

SIDE, FIELDS, YEARS = 30, 100, 20


def synthetic_cluster(patents: int, organisations: int, alliances: int, seed: int) -> dict:
    """Arrays for the three tables."""
    rng = np.random.default_rng(seed)
    hubs = np.array([[60.0, 60.0], [220.0, 90.0], [150.0, 240.0]])
    near = rng.random(organisations) < 0.5
    xy = rng.uniform(0, SIDE * 10, (organisations, 2))
    hub = hubs[rng.integers(0, 3, organisations)]
    xy[near] = np.clip(hub[near] + rng.normal(0, 15, (near.sum(), 2)), 0, SIDE * 10 - 1e-9)
    region = (xy[:, 1] // 10).astype(int) * SIDE + (xy[:, 0] // 10).astype(int)
    born = np.where(rng.random(organisations) < 0.6, 0, rng.integers(1, YEARS + 1, organisations))
    exited = np.where(rng.random(organisations) < 0.1, np.minimum(born + 5, YEARS), -1)
    kind = rng.choice(
        ["firm", "leader", "institute", "intermediary"], organisations, p=[0.85, 0.03, 0.08, 0.04]
    )
    orgs = {
        "org_id": np.arange(organisations),
        "kind": kind,
        "x": xy[:, 0],
        "y": xy[:, 1],
        "region": region,
        "field_focus": rng.integers(0, FIELDS, organisations),
        "born": born,
        "exited": exited,
        "employees": rng.pareto(1.5, organisations).astype(int) + 1,
        "parent": np.where(born > 0, rng.integers(0, organisations, organisations), -1),
    }
    weight = np.where(near, 5.0, 1.0)
    owner = rng.choice(organisations, patents, p=weight / weight.sum())
    field = np.where(
        rng.random(patents) < 0.7, orgs["field_focus"][owner], rng.integers(0, FIELDS, patents)
    )
    year = np.maximum(born[owner], rng.integers(0, YEARS + 1, patents))
    pats = {
        "patent_id": np.arange(patents),
        "org_id": owner,
        "year": year,
        "field": field,
        "x": xy[owner, 0],
        "y": xy[owner, 1],
    }
    a = rng.integers(0, organisations, alliances)
    order = np.argsort(region, kind="stable")
    b = order[
        np.clip(
            np.searchsorted(region[order], region[a]) + rng.integers(0, 30, alliances),
            0,
            organisations - 1,
        )
    ]
    keep = a != b
    lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    pairs = np.unique(np.stack([lo, hi], axis=1), axis=0)
    start = rng.integers(0, YEARS, len(pairs))
    links = {
        "org_a": pairs[:, 0],
        "org_b": pairs[:, 1],
        "start": start,
        "end": np.where(rng.random(len(pairs)) < 0.3, start + 3, -1),
        "strength": rng.random(len(pairs)),
    }
    return {"organizations": orgs, "patents": pats, "alliances": links}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patents", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=50_000)
    parser.add_argument("--alliances", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "cluster-profile.md")
    args = parser.parse_args()
    machine = describe_line()
    data = synthetic_cluster(args.patents, args.organisations, args.alliances, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        for schema in (ORGANIZATIONS, PATENTS, ALLIANCES):
            write_table(
                from_arrays(schema, data[schema.name]), Path(tmp) / f"{schema.name}.parquet"
            )
        measure_cluster(tmp, seed=0)  # load the compiled kernels once
        start = time.perf_counter()
        profile = measure_cluster(tmp, seed=0)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        "# Every measure of a cluster: measured speed",
        "",
        f"Measured {machine}. Command: `python benchmarks/bench_cluster_profile.py"
        + (f" --patents {args.patents}" if args.patents != 1_000_000 else "")
        + "`.",
        "",
        f"Synthetic cluster: {args.patents:,} patents, {args.organisations:,} organisations over "
        f"{SIDE} x {SIDE} regions, {len(data['alliances']['org_a']):,} alliances, {FIELDS} fields, "
        f"{YEARS + 1} years. `measure_cluster(folder)` reads and validates the Parquet tables and "
        "computes every section; the second call is timed (the first loads compiled kernels).",
        "",
        f"**Total: {seconds:.2f} s** (peak RSS {peak:.0f} MiB; target: under a minute).",
        "",
        "| section | seconds |",
        "|---|---:|",
        *(f"| {name} | {sec:.3f} |" for name, sec in profile["seconds"].items()),
        "",
        f"Diagnosis of the largest region: {profile['diagnosis']['phase']['phase']} -> "
        f"{profile['diagnosis']['phase']['action']}; lacking: "
        f"{', '.join(profile['diagnosis']['lacking']) or 'none'}.",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
