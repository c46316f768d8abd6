"""Time the technology-space measures on 3,000 regions x 600 fields.

The input is a seeded random count matrix shaped like patent data: region sizes and field
popularity are log-normal, counts Poisson, most cells zero. Four measures are timed,
each on a dense numpy input and on the same matrix as ``scipy.sparse`` CSR:

- ``rca``: the Balassa index of the counts (``specialisation``, RCA >= 1, is timed beside it);
- ``proximity``: minimum conditional probability between fields, from ``M``;
- ``relatedness_density``: density of every region to every field, from ``M`` and proximity;
- ``complexity_indices``: ECI and PCI by the eigenvector method with ``solver='auto'`` (LAPACK
  on the 600 x 600 side for the dense input, ARPACK for the sparse one); both solvers are
  also timed on both inputs.

Each figure is the best of ``--repeat`` runs (after one warm-up run), in seconds. The target is
under 2 seconds for the four together.

    python benchmarks/bench_technology.py            # writes benchmarks/results/...
    python benchmarks/bench_technology.py --no-write --repeat 3

Results go to ``benchmarks/results/technology-measures.md`` with a one-line machine
description.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from innocluster.measures import (
    complexity_indices,
    proximity,
    rca,
    relatedness_density,
    specialisation,
)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import describe_line  # noqa: E402

RESULT = HERE / "results" / "technology-measures.md"
TARGET_SECONDS = 2.0


def make_counts(n_regions: int, n_fields: int, seed: int) -> np.ndarray:
    """Seeded patent-like counts: log-normal sizes and popularity, Poisson, mostly zero."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 1.0, n_regions)
    popularity = rng.lognormal(0.0, 1.0, n_fields)
    rate = (
        0.12 * size[:, None] * popularity[None, :] * rng.lognormal(0.0, 0.8, (n_regions, n_fields))
    )
    return rng.poisson(rate).astype(np.float64)


def best(action: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs after one warm-up run, in seconds."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(X: np.ndarray | sp.csr_array, repeat: int) -> dict[str, float]:
    M = specialisation(X)
    phi = proximity(M)
    return {
        "rca": best(lambda: rca(X), repeat),
        "specialisation (RCA >= 1)": best(lambda: specialisation(X), repeat),
        "proximity": best(lambda: proximity(M), repeat),
        "relatedness_density": best(lambda: relatedness_density(M, phi), repeat),
        "complexity_indices (solver='auto')": best(lambda: complexity_indices(M), repeat),
        "complexity_indices (solver='dense', LAPACK)": best(
            lambda: complexity_indices(M, solver="dense"), repeat
        ),
        "complexity_indices (solver='arpack')": best(
            lambda: complexity_indices(M, solver="arpack"), repeat
        ),
    }


def report(results: dict[str, dict[str, float]], X: np.ndarray, args: argparse.Namespace) -> str:
    four = ("rca", "proximity", "relatedness_density", "complexity_indices (solver='auto')")
    lines = [
        "# Technology-space measures: measured speed",
        "",
        f"Measured {describe_line()}. Command: `python benchmarks/bench_technology.py`.",
        "",
        f"Input: {args.regions:,} regions x {args.fields:,} fields, seed {args.seed}, "
        f"{np.count_nonzero(X) / X.size:.1%} of cells non-zero, "
        f"{int(np.count_nonzero(specialisation(X))):,} specialisations (RCA >= 1). "
        f"Best of {args.repeat} runs after a warm-up, seconds.",
        "",
        "| measure | dense input | sparse (CSR) input |",
        "|---|---:|---:|",
    ]
    for name in results["dense"]:
        lines.append(f"| {name} | {results['dense'][name]:.4f} | {results['sparse'][name]:.4f} |")
    for kind in ("dense", "sparse"):
        total = sum(results[kind][k] for k in four)
        verdict = "within" if total < TARGET_SECONDS else "OVER"
        lines.append("")
        lines.append(
            f"Total of rca, proximity, relatedness_density and complexity_indices (auto), "
            f"{kind} input: {total:.3f} s "
            f"({verdict} the {TARGET_SECONDS:g} s target)."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--fields", type=int, default=600)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    X = make_counts(args.regions, args.fields, args.seed)
    results = {"dense": measure(X, args.repeat), "sparse": measure(sp.csr_array(X), args.repeat)}
    text = report(results, X, args)
    print(text)
    if not args.no_write:
        RESULT.parent.mkdir(parents=True, exist_ok=True)
        RESULT.write_text(text)
        print(f"written to {RESULT.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
