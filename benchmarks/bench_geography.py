"""Time the geography-over-regions measures at the sizes of a large study area.

- Moran's I with 999 permutations and local Moran (LISA) with 999 conditional permutations on
  10,000 regions (a 100 x 100 grid, queen contiguity, row-standardised);
- the Ellison-Glaeser index of 100 industries from 1,000,000 plants over 1,000 regions;
- for reference, the same for Geary's C, local G* and Maurel-Sedillot, and building the weights.

Each figure is the median wall time of ``--repeats`` calls after one warm-up call (which
compiles the numba kernels; the compile time is reported separately). Results go to
``benchmarks/results/geography-measures.md`` with a one-line machine description.

    python benchmarks/bench_geography.py               # 5 repeats
    python benchmarks/bench_geography.py --repeats 1   # quick look
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import describe_line  # noqa: E402

SIDE = 100  # regions per side: 10,000 regions
PERMUTATIONS = 999
PLANTS, EG_REGIONS, INDUSTRIES = 1_000_000, 1_000, 100


def regional_counts(side: int, seed: int) -> np.ndarray:
    """Organisations per region: Poisson counts around a few smooth clusters, ``(side**2,)``."""
    rng = np.random.default_rng(seed)
    c = (np.arange(side) + 0.5) / side
    x, y = np.meshgrid(c, c)  # row-major: region row * side + col
    centres = rng.random((5, 2))
    intensity = 2.0 + sum(
        40.0 * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.005) for cx, cy in centres
    )
    return rng.poisson(intensity.ravel()).astype(np.float64)


def plants(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Plant sizes (lognormal), regions (skewed by region size) and industries, ``(PLANTS,)``."""
    rng = np.random.default_rng(seed)
    sizes = np.ceil(rng.lognormal(2.0, 1.2, PLANTS))
    weight = rng.pareto(1.5, EG_REGIONS) + 0.1
    region = rng.choice(EG_REGIONS, size=PLANTS, p=weight / weight.sum())
    industry = rng.integers(0, INDUSTRIES, PLANTS)
    return sizes, region, industry


def timed(func, repeats: int) -> tuple[float, float]:
    """(first call, median of ``repeats`` further calls), seconds."""
    start = time.perf_counter()
    func()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "geography-measures.md")
    args = parser.parse_args()

    from innocluster.measures import geary, getis_ord_local, moran, moran_local
    from innocluster.measures.concentration import ellison_glaeser, maurel_sedillot
    from innocluster.measures.weights import grid_contiguity

    described = describe_line()  # before timing, so that the load is that of other work
    y = regional_counts(SIDE, args.seed)
    w = grid_contiguity(SIDE, "queen")
    sizes, region, industry = plants(args.seed)
    n = SIDE * SIDE
    cases = [
        (
            f"Moran's I, {PERMUTATIONS} permutations",
            f"{n:,} regions, queen",
            lambda: moran(y, w, permutations=PERMUTATIONS, seed=args.seed),
        ),
        (
            f"local Moran, {PERMUTATIONS} conditional permutations",
            f"{n:,} regions, queen",
            lambda: moran_local(y, w, permutations=PERMUTATIONS, seed=args.seed),
        ),
        (
            "Ellison-Glaeser (with H)",
            f"{PLANTS:,} plants, {EG_REGIONS:,} regions x {INDUSTRIES} industries",
            lambda: ellison_glaeser(
                sizes, region, industry, n_regions=EG_REGIONS, n_industries=INDUSTRIES
            ),
        ),
        (
            f"Geary's C, {PERMUTATIONS} permutations",
            f"{n:,} regions, queen",
            lambda: geary(y, w, permutations=PERMUTATIONS, seed=args.seed),
        ),
        (
            f"local G*, {PERMUTATIONS} conditional permutations",
            f"{n:,} regions, queen",
            lambda: getis_ord_local(y, w, star=True, permutations=PERMUTATIONS, seed=args.seed),
        ),
        (
            "Maurel-Sedillot",
            f"{PLANTS:,} plants, {EG_REGIONS:,} regions x {INDUSTRIES} industries",
            lambda: maurel_sedillot(
                sizes, region, industry, n_regions=EG_REGIONS, n_industries=INDUSTRIES
            ),
        ),
        (
            "queen contiguity weights",
            f"{SIDE} x {SIDE} grid",
            lambda: grid_contiguity(SIDE, "queen"),
        ),
    ]
    rows = []
    for name, size, func in cases:
        first, median = timed(func, args.repeats)
        rows.append((name, size, first, median))
        print(f"{name:<45} {size:<50} first {first:8.3f} s   median {median:8.4f} s", flush=True)

    lines = [
        "# Geography measures: measured results",
        "",
        f"Measured on {described}.",
        "",
        f"Median wall time of {args.repeats} calls after a first call (the first call of a "
        "function compiles its numba kernels unless they are cached on disk). Command: "
        "`python benchmarks/bench_geography.py`.",
        "",
        "| measure | size | seconds (median) | first call, s |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {a} | {b} | {m:.3f} | {f:.3f} |" for a, b, f, m in rows]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
