"""Time the citation localisation test (Jaffe, Trajtenberg and Henderson 1993) at scale.

10,000,000 citations among 2,000,000 patents of 200,000 organisations, in 400 technology
fields over 20 years and 1,000 regions, with a 95% bootstrap (1,000 resamples) for the same
region and for two distances. The citations are drawn half from the cited patent's region and
half at random, so the test has something to find. The figure is the median wall time of
``--repeats`` calls (the target is under 30 s on 2 cores); peak memory is the process's max
RSS. Results go to ``benchmarks/results/localisation.md`` with a one-line machine description.

    python benchmarks/bench_localisation.py               # 3 repeats
    python benchmarks/bench_localisation.py --repeats 1   # quick look
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from innocluster.measures import citation_localisation  # noqa: E402
from machine import describe_line  # noqa: E402

PATENTS, CITATIONS, ORGS = 2_000_000, 10_000_000, 200_000
FIELDS, YEARS, SIDE = 400, 20, 1_000.0  # km; regions 100 km wide, 10 x 10
DISTANCES = (50.0, 200.0)


def data(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(citations, patents) as described in the module docstring."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, SIDE, PATENTS), rng.uniform(0, SIDE, PATENTS)
    region = (x // 100).astype(np.int64) * 10 + (y // 100).astype(np.int64)
    patents = pd.DataFrame(
        {
            "patent_id": np.arange(PATENTS, dtype=np.int64),
            "org_id": rng.integers(0, ORGS, PATENTS),
            "year": rng.integers(0, YEARS, PATENTS),
            "field": rng.integers(0, FIELDS, PATENTS),
            "x": x,
            "y": y,
            "region": region,
        }
    )
    citing = rng.integers(0, PATENTS, CITATIONS)
    cited = rng.integers(0, PATENTS, CITATIONS)
    # Half the citations are re-drawn from the cited patent's region (sorted by region).
    by_region = np.argsort(region, kind="stable")
    start = np.searchsorted(region[by_region], np.arange(100))
    size = np.diff(np.append(start, PATENTS))
    local = rng.random(CITATIONS) < 0.5
    r = region[cited[local]]
    citing[local] = by_region[start[r] + (rng.random(local.sum()) * size[r]).astype(np.int64)]
    keep = citing != cited
    return pd.DataFrame({"citing": citing[keep], "cited": cited[keep]}), patents


def markdown(table: pd.DataFrame) -> list[str]:
    """The result table as Markdown lines (numbers to 4 significant digits)."""
    cells = [[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row] for row in table.values]
    return [
        "| " + " | ".join(table.columns) + " |",
        "|" + "---|" * len(table.columns),
        *("| " + " | ".join(row) + " |" for row in cells),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    citations, patents = data(0)
    times, table = [], None
    for _ in range(args.repeats):
        start = time.perf_counter()
        table = citation_localisation(citations, patents, DISTANCES, seed=1)
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median = statistics.median(times)
    lines = [
        "# The citation localisation test at scale: measured speed",
        "",
        "Measured "
        + describe_line("pandas")
        + ". Command: `python benchmarks/bench_localisation.py`.",
        "",
        f"{len(citations):,} citations among {PATENTS:,} patents ({FIELDS} fields x {YEARS} "
        f"years, 100 regions), same region and within {', '.join(f'{d:g}' for d in DISTANCES)}"
        " km, 1,000 bootstrap resamples, self-citations dropped.",
        "",
        f"**Median {median:.2f} s** over {args.repeats} calls "
        f"(all: {', '.join(f'{t:.2f}' for t in times)} s; target: under 30 s). "
        f"Peak memory of the process (data included): {peak:,.0f} MiB.",
        "",
        *markdown(table),
        "",
    ]
    out = HERE / "results" / "localisation.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
