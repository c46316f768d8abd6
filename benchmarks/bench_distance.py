"""Time the distance-based measures and their envelopes, and measure the envelopes' real risk.

Speed: each case runs in a fresh child process (so its peak memory, max RSS, is its own) after
a warm-up call on a few points (the compiled kernels are loaded from numba's cache, or compiled,
outside the timing). Sites are uniform in a 100 km x 100 km window; a share of them are the
points of interest (label 'a'); distances ``r`` are 101 values from 0 to ``r_max``. The time of
an envelope is the whole call: the pairs of sites within ``2 r_max`` (Kd) or ``r_max`` (K, M)
found once, the observed curve, ``n_sim`` simulations under random location and the global
envelope.

Risk: on 200 patterns drawn under the null (150 sites in a 10 km square, 30 of them 'a' at
random), the share whose observed curve leaves the envelope at some distance, for the global
envelope (innocluster's), dbmss's global envelope and the local envelope, 99 simulations and
30 distances.

    python benchmarks/bench_distance.py            # all cases, writes the results
    python benchmarks/bench_distance.py --quick    # small cases only, prints them

Results go to ``benchmarks/results/distance-measures.md`` with the machine description.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import describe, format_line  # noqa: E402

#: name: (function, sites, share of interest, r_max km, n_sim, weighted)
CASES = {
    "kd-2k": ("kd_envelope", 10_000, 0.2, 10.0, 99, False),
    "kd-2k-weighted": ("kd_envelope", 10_000, 0.2, 10.0, 99, True),
    "kd-5k": ("kd_envelope", 10_000, 0.5, 25.0, 99, False),
    "kd-2k-999": ("kd_envelope", 10_000, 0.2, 10.0, 999, False),
    "m-2k": ("m_envelope", 10_000, 0.2, 10.0, 99, True),
    "m-5k": ("m_envelope", 10_000, 0.5, 25.0, 99, False),
    "k-2k": ("k_envelope", 10_000, 0.2, 10.0, 99, False),
    "dbscan": ("dbscan_hotspots", 10_000, 0.0, 0.0, 0, False),
    "hdbscan": ("hdbscan_hotspots", 10_000, 0.0, 0.0, 0, False),
}
QUICK = ("kd-2k", "m-2k", "k-2k", "dbscan")


def points(n: int, share: float, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, 100, n), rng.uniform(0, 100, n)
    labels = np.where(rng.random(n) < share, "a", "b")
    return x, y, labels, rng.lognormal(2.0, 1.0, n)


def blobs(n: int, seed: int = 0):
    """Half the points in 20 groups of sd 1 km, half uniform."""
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.uniform(10, 90, (20, 2))
    k = rng.integers(0, 20, n // 2)
    x = np.concatenate([centres[k, 0] + rng.normal(0, 1, k.size), rng.uniform(0, 100, n - k.size)])
    y = np.concatenate([centres[k, 1] + rng.normal(0, 1, k.size), rng.uniform(0, 100, n - k.size)])
    return x, y


def child(name: str) -> dict:
    """Time one case in this process."""
    import numpy as np

    from innocluster.measures import envelopes, hotspots

    fn, n, share, r_max, n_sim, weighted = CASES[name]
    if fn.endswith("hotspots"):
        x, y = blobs(n)
        call = getattr(hotspots, fn)
        call(x[:200], y[:200], *((1.0, 10) if fn == "dbscan_hotspots" else (20,)))
        start = time.perf_counter()
        spots = call(x, y, *((1.0, 10) if fn == "dbscan_hotspots" else (20,)))
        took = time.perf_counter() - start
        return {"seconds": took, "spots": spots.n_spots, "max_rss_mib": _max_rss_mib()}
    x, y, labels, w = points(n, share)
    r = np.linspace(0.0, r_max, 101)
    kw = {"labels": labels, "reference": "a", "n_sim": n_sim, "seed": 1}
    if fn == "k_envelope":
        kw["window"] = (0.0, 0.0, 100.0, 100.0)
    elif weighted:
        kw["weights"] = w
    call = getattr(envelopes, fn)
    small = {**kw, "labels": labels[:300], "n_sim": 19}
    small.pop("weights", None)
    call(x[:300], y[:300], np.linspace(0.0, 2.0, 11), **small)  # load or compile the kernels
    measure = {"kd_envelope": "kd", "m_envelope": "m_function", "k_envelope": "ripley_k"}[fn]
    import innocluster.measures as measures

    observed_kw = {k: v for k, v in kw.items() if k not in ("n_sim", "seed")}
    start = time.perf_counter()
    getattr(measures, measure)(x, y, r, **observed_kw)
    observed = time.perf_counter() - start
    start = time.perf_counter()
    e = call(x, y, r, **kw)
    took = time.perf_counter() - start
    return {
        "seconds": took,
        "observed_seconds": observed,
        "n_interest": int((labels == "a").sum()),
        "significant": bool(e.significant),
        "max_rss_mib": _max_rss_mib(),
    }


def risk(patterns: int = 200) -> dict:
    """Share of null patterns leaving each kind of envelope, for Kd and M."""
    import numpy as np

    from innocluster.measures.envelopes import kd_envelope, m_envelope

    r = np.linspace(0.1, 3.0, 30)
    out = {}
    for name, call in (("Kd", kd_envelope), ("M", m_envelope)):
        left = {"global": 0, "global_dbmss": 0, "local": 0}
        for p in range(patterns):
            rng = np.random.default_rng(1000 + p)
            x, y = rng.uniform(0, 10, 150), rng.uniform(0, 10, 150)
            labels = np.where(rng.permutation(150) < 30, "a", "b")
            e = call(x, y, r, labels=labels, reference="a", seed=p)
            for kind in left:
                left[kind] += e.with_kind(kind).significant
        out[name] = {kind: count / patterns for kind, count in left.items()}
    out["patterns"] = patterns
    return out


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str) -> dict:
    """Run :func:`child` in a fresh interpreter and return its result."""
    cmd = [sys.executable, __file__, "--child", name]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(results: dict) -> str:
    """The results as a Markdown page."""
    m = results["machine"]
    lines = [
        "# Distance-based measures: measured results",
        "",
        f"Measured {format_line(m, 'sklearn')}. Command: `python benchmarks/bench_distance.py`.",
        "",
        "## Envelopes (random location, global, 101 distances)",
        "",
        "Sites uniform in a 100 km square; wall time of the whole call, after the kernels are "
        "loaded; the observed curve alone in the next column.",
        "",
        "| case | measure | sites | points of interest | r_max km | simulations | weighted "
        "| seconds | observed only s | peak RSS MiB |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for name, row in results["cases"].items():
        fn, n, _, r_max, n_sim, weighted = CASES[name]
        if fn.endswith("hotspots"):
            continue
        lines.append(
            f"| {name} | {fn} | {n:,} | {row['n_interest']:,} | {r_max:g} | {n_sim} | "
            f"{'yes' if weighted else 'no'} | {row['seconds']:.2f} | "
            f"{row['observed_seconds']:.3f} | {row['max_rss_mib']:.0f} |"
        )
    hot = [(k, v) for k, v in results["cases"].items() if CASES[k][0].endswith("hotspots")]
    if hot:
        lines += [
            "",
            "## Hot spots",
            "",
            "10,000 points, half in 20 groups (sd 1 km), half uniform in a 100 km square; "
            "DBSCAN eps = 1 km, min_samples = 10; HDBSCAN min_cluster_size = 20.",
            "",
            "| method | seconds | hot spots | peak RSS MiB |",
            "|---|---:|---:|---:|",
        ]
        for name, row in hot:
            lines.append(
                f"| {name} | {row['seconds']:.2f} | {row['spots']} | {row['max_rss_mib']:.0f} |"
            )
    if "risk" in results:
        rk = results["risk"]
        lines += [
            "",
            "## Real risk of the envelopes (nominal 5%)",
            "",
            f"Share of {rk['patterns']} patterns drawn under the null (150 sites in a 10 km "
            "square, 30 of them of interest at random sites) whose observed curve leaves the "
            "envelope at some distance; 99 simulations, 30 distances from 0.1 to 3 km. "
            f"Binomial standard error about {100 * (0.05 * 0.95 / rk['patterns']) ** 0.5:.1f} "
            "points.",
            "",
            "| measure | global (innocluster) | global_dbmss (dbmss) | local |",
            "|---|---:|---:|---:|",
        ]
        for name in ("Kd", "M"):
            v = rk[name]
            lines.append(
                f"| {name} | {100 * v['global']:.1f}% | {100 * v['global_dbmss']:.1f}% | "
                f"{100 * v['local']:.1f}% |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small cases only, write nothing")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    names = QUICK if args.quick else tuple(CASES)
    results = {"machine": describe("sklearn"), "cases": {}}
    for name in names:
        print(f"{name} ...", flush=True)
        results["cases"][name] = measure(name)
        print(json.dumps(results["cases"][name]), flush=True)
    if not args.quick:
        print("risk ...", flush=True)
        results["risk"] = risk()
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "distance-measures.md").write_text(report(results))
    print(report(results))


if __name__ == "__main__":
    main()
