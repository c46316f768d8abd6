"""Time ``innocluster import patentsview`` on a generated release of N patents (default 5,000,000).

The target: under 2 GiB of memory (peak RSS of the importing process) and a few minutes on 2
cores, for a release about the size of the whole PatentsView grant data of one to two decades,
with 100 million citation rows (20 per patent by default, ``--citations-per-patent``).

The release is generated inside DuckDB (``COPY ... TO``, no Python loop over rows) into a
temporary folder, in the PatentsView format: a header row, tab-separated, every value quoted with
``"`` (doubled inside), and from hashes of the row number so it is the same on every run:

- ``g_patent``: one row per patent, grant dates 1976-2024 rising with the patent number,
  titles with tabs and quotes inside;
- ``g_assignee_disambiguated``: 90% of the patents have an assignee, 5% a second one; the
  assignees (N / 20 of them) are drawn with a skew (a few hold many patents); 2% are
  individuals, 2% universities, 1% governments; 5% have no location (placed by inventors);
- ``g_inventor_disambiguated``: 1 to 3 inventors per patent;
- ``g_location_disambiguated``: 60,000 locations over the United States, 50 states;
- ``g_cpc_current``: 1 to 4 CPC rows per patent;
- ``g_us_patent_citation``: ``--citations-per-patent`` rows per patent (0: no file), each
  citing a patent of lower number (granted no later) drawn uniformly, or, for 5%, a patent
  number outside the release; 60% "cited by examiner", 40% "cited by applicant".

Then ``import_patentsview`` runs in a child process (the whole release, no filter, ``--cpc-level
class``), with DuckDB's ``memory_limit`` (default ``1GB``) and ``threads`` (default 2) set; its
wall time and peak memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the child's maximum resident
set size, DuckDB's buffers included) are measured, and the seconds of each step.

    python benchmarks/bench_patentsview.py                      # 5,000,000 patents
    python benchmarks/bench_patentsview.py --patents 200000 --no-write   # a quick check

Results go to ``benchmarks/results/patentsview.md`` and ``patentsview.json`` with the machine
description.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from machine import code_version, describe, format_line  # noqa: E402

RESULTS = HERE / "results"
TARGET_MIB = 2048
LOCATIONS = 60_000
STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split()

# One SELECT per file over range(rows); h(i, salt) is a uniform number in [0, 1) from a hash.
_TABLES = {
    "g_location_disambiguated": f"""
        SELECT 'loc-' || i AS location_id, 'City ' || i AS disambig_city,
               list_extract({list(STATES)}, 1 + i % 50) AS disambig_state,
               'US' AS disambig_country,
               round(25 + 24 * h(i, 'lat'), 4)::VARCHAR AS latitude,
               round(-124 + 57 * h(i, 'lon'), 4)::VARCHAR AS longitude,
               'County ' || (i % 3000) AS county,
               lpad(((1 + i % 50))::VARCHAR, 2, '0') AS state_fips,
               lpad((1 + i % 300)::VARCHAR, 3, '0') AS county_fips
        FROM range({LOCATIONS}) t(i)""",
    "g_patent": """
        SELECT (3000000 + i)::VARCHAR AS patent_id, 'utility' AS patent_type,
               (DATE '1976-01-01' + CAST(i * 17897 // {n} AS INTEGER))::VARCHAR
                   AS patent_date,
               'Method for "item" ' || i || E'\\tand apparatus' AS patent_title,
               'B2' AS wipo_kind, (1 + i % 40)::VARCHAR AS num_claims,
               '0' AS withdrawn
        FROM range({n}) t(i)""",
    "g_assignee_disambiguated": """
        WITH rows AS (
            SELECT i AS patent, 0 AS seq, h(i, 'a0') AS u FROM range({n}) t(i)
            WHERE h(i, 'has') < 0.9
            UNION ALL
            SELECT i, 1, h(i, 'a1') FROM range({n}) t(i) WHERE h(i, 'co') < 0.05
        ), drawn AS (
            SELECT patent, seq, CAST(floor({n} / 20 * u * u * u) AS BIGINT) AS a FROM rows
        )
        SELECT (3000000 + patent)::VARCHAR AS patent_id, seq::VARCHAR AS assignee_sequence,
               md5('assignee' || a) AS assignee_id,
               CASE WHEN a % 50 = 7 THEN 'Jo' END AS disambig_assignee_individual_name_first,
               CASE WHEN a % 50 = 7 THEN 'Doe ' || a END
                   AS disambig_assignee_individual_name_last,
               CASE WHEN a % 50 = 7 THEN NULL
                    WHEN a % 50 = 3 THEN 'University of Place ' || a
                    ELSE 'Company "' || a || E'"\\tInc.' END
                   AS disambig_assignee_organization,
               CASE WHEN a % 50 = 7 THEN '4' WHEN a % 100 = 11 THEN '6'
                    WHEN a % 2 = 0 THEN '2' ELSE '3' END AS assignee_type,
               CASE WHEN a % 20 = 13 THEN NULL
                    ELSE 'loc-' || (a * 7919 % {locations}) END AS location_id
        FROM drawn""",
    "g_inventor_disambiguated": """
        SELECT (3000000 + i)::VARCHAR AS patent_id, k::VARCHAR AS inventor_sequence,
               md5('inventor' || i || '-' || k) AS inventor_id,
               'First' AS disambig_inventor_name_first, 'Last ' || i AS disambig_inventor_name_last,
               CASE WHEN h(i, 'g') < 0.2 THEN 'F' ELSE 'M' END AS gender_code,
               'loc-' || CAST(h(i, 'il' || k) * {locations} AS BIGINT) AS location_id
        FROM range({n}) t(i), range(3) s(k)
        WHERE k < 1 + CAST(h(i, 'ninv') * 3 AS INTEGER)""",
    "g_cpc_current": """
        WITH codes AS (
            SELECT i, k, substr('ABCDEFGHY', 1 + CAST(h(i, 'sec' || k) * 9 AS INTEGER), 1) AS s,
                   lpad((1 + CAST(h(i, 'cls' || k) * 98 AS INTEGER))::VARCHAR, 2, '0') AS c,
                   chr(65 + CAST(h(i, 'sub' || k) * 26 AS INTEGER)) AS u
            FROM range({n}) t(i), range(4) r(k)
            WHERE k < 1 + CAST(h(i, 'ncpc') * 4 AS INTEGER))
        SELECT (3000000 + i)::VARCHAR AS patent_id, k::VARCHAR AS cpc_sequence,
               s AS cpc_section, s || c AS cpc_class, s || c || u AS cpc_subclass,
               s || c || u || (1 + k) || '/00' AS cpc_group,
               CASE WHEN k = 0 THEN 'inventional' ELSE 'additional' END AS cpc_type
        FROM codes""",
    "g_us_patent_citation": """
        SELECT (3000000 + i)::VARCHAR AS patent_id, k::VARCHAR AS citation_sequence,
               CASE WHEN h(i, 'out' || k) < 0.05
                    THEN (1000000 + CAST(h(i, 'o' || k) * 1999999 AS BIGINT))::VARCHAR
                    ELSE (3000000 + CAST(h(i, 'c' || k) * i AS BIGINT))::VARCHAR
               END AS citation_patent_id,
               '1975-01' AS citation_date, 'Name ' || (i % 1000) AS record_name, 'B2' AS wipo_kind,
               CASE WHEN h(i, 'cat' || k) < 0.6 THEN 'cited by examiner'
                    ELSE 'cited by applicant' END AS citation_category
        FROM range({n}) t(i), range({per}) s(k)""",
}


def generate(folder: Path, n: int, per: int, threads: int) -> dict[str, int]:
    """Write the release of ``n`` patents (``per`` citations each) into ``folder``.

    Returns the bytes of each file.
    """
    con = duckdb.connect(config={"threads": threads, "preserve_insertion_order": False})
    con.execute("CREATE MACRO h(i, salt) AS (hash(i::VARCHAR || salt) % 1000000007) / 1000000007.0")
    sizes = {}
    for name, select in _TABLES.items():
        if name == "g_us_patent_citation" and per == 0:
            continue
        path = folder / f"{name}.tsv"
        query = select.format(n=n, locations=LOCATIONS, per=per)
        con.execute(
            f"COPY ({query}) TO '{path}' "
            "(FORMAT csv, DELIMITER '\t', HEADER, QUOTE '\"', ESCAPE '\"', FORCE_QUOTE *)"
        )
        sizes[name] = path.stat().st_size
    con.close()
    return sizes


# The child: the import through the Python API, the seconds of each step as JSON on stdout.
_CHILD = """
import json, sys, time
from innocluster.data.patentsview import import_patentsview
marks = []
counts = import_patentsview(sys.argv[1], sys.argv[2], memory_limit=sys.argv[3],
                            threads=int(sys.argv[4]),
                            progress=lambda step: marks.append((step, time.perf_counter())))
marks.append(("end", time.perf_counter()))
steps = {a[0]: round(b[1] - a[1], 3) for a, b in zip(marks, marks[1:])}
print(json.dumps({"counts": counts, "steps": steps}))
"""


def measure(n: int, per: int, memory_limit: str, threads: int, keep: Path | None) -> dict:
    """Generate the release, import it in a child process, and return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-patentsview-", dir=keep) as tmp:
        folder = Path(tmp)
        src = folder / "src"
        src.mkdir()
        start = time.perf_counter()
        sizes = generate(src, n, per, threads)
        generated = time.perf_counter() - start
        print(f"  generated {sum(sizes.values()) / 2**30:.2f} GiB in {generated:.1f} s", flush=True)
        start = time.perf_counter()
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                _CHILD,
                str(src),
                str(folder / "out"),
                memory_limit,
                str(threads),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        if child.returncode != 0:
            raise SystemExit(f"the import failed:\n{child.stderr}")
        lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
        result = json.loads(lines[-1])
        out_bytes = sum(p.stat().st_size for p in (folder / "out").iterdir())
    return {
        "patents_generated": n,
        "citations_per_patent": per,
        "file_bytes": sizes,
        "generate_seconds": round(generated, 2),
        "memory_limit": memory_limit,
        "threads": threads,
        "wall_seconds": round(wall, 2),
        "step_seconds": result["steps"],
        "counts": result["counts"],
        "output_bytes": out_bytes,
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "target_mib": TARGET_MIB,
    }


def report(results: dict) -> str:
    """The results as a Markdown page."""
    m, code, counts = results["machine"], results["code"], results["counts"]
    n = results["patents_generated"]
    command = "python benchmarks/bench_patentsview.py"
    per = results.get("citations_per_patent", 0)
    if n != 5_000_000:
        command += f" --patents {n}"
    if per != 20:
        command += f" --citations-per-patent {per}"
    if results["memory_limit"] != "1GB" or results["threads"] != 2:
        command += f" --memory-limit {results['memory_limit']} --threads {results['threads']}"
    total = sum(results["file_bytes"].values())
    rss = results["max_rss_mib"]
    full = n == 5_000_000 and per == 20
    verdict = (
        ("met" if rss < TARGET_MIB else "**not met**")
        if full
        else "not applicable (not the full-size run)"
    )
    lines = [
        "# Importing PatentsView bulk files: measured speed and memory",
        "",
        f"Measured {format_line(m, 'duckdb')}, {results['load_average_end']} at the end. "
        f"Command: `{command}`. Code: commit {code['commit']}"
        + (
            f" with uncommitted changes to {', '.join(line[3:] for line in code['modified'])}"
            if code["modified"]
            else ""
        )
        + ".",
        "",
        f"A generated release of {n:,} patents and {n * per:,} citation rows in the "
        "PatentsView format "
        f"({total / 2**30:.2f} GiB of TSV; see the docstring of "
        "`benchmarks/bench_patentsview.py`), imported whole (no filter, CPC classes) by "
        "`innocluster.data.import_patentsview` in a child process, with DuckDB's "
        f"`memory_limit = {results['memory_limit']}` and `threads = {results['threads']}`.",
        "",
        f"**{results['wall_seconds']:.1f} s, peak memory {rss:,.0f} MiB** "
        f"(target: under {TARGET_MIB:,} MiB: {verdict}).",
        "",
        "| quantity | value |",
        "|---|---:|",
        f"| wall seconds of the import (child process, start to exit) | "
        f"{results['wall_seconds']:.1f} |",
        f"| peak memory (max RSS of the child, DuckDB included) | {rss:,.0f} MiB |",
        f"| organisations written | {counts['organizations']:,} |",
        f"| patents written | {counts['patents']:,} |",
        f"| alliances written | {counts['alliances']:,} |",
        f"| citations written | {counts.get('citations', 0):,} (of which "
        f"{counts.get('citations_outside', 0):,} of patents outside the import) |",
        f"| output (Parquet) | {results['output_bytes'] / 2**20:,.1f} MiB |",
        f"| generating the release (not part of the import) | "
        f"{results['generate_seconds']:.1f} s |",
        "",
        "| file | size |",
        "|---|---:|",
    ]
    for name, size in results["file_bytes"].items():
        lines.append(f"| `{name}.tsv` | {size / 2**20:,.0f} MiB |")
    lines += ["", "Seconds per step of the import:", "", "| step | seconds |", "|---|---:|"]
    for step, seconds in results["step_seconds"].items():
        lines.append(f"| {step} | {seconds:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patents", type=int, default=5_000_000)
    parser.add_argument("--citations-per-patent", type=int, default=20)
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB's memory_limit")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB's threads")
    parser.add_argument(
        "--tmp", type=Path, default=None, help="folder for the generated release (default: TMP)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    machine = describe("duckdb")
    code = code_version()
    print(f"PatentsView import, {args.patents:,} patents ...", flush=True)
    results = {
        "machine": machine,
        "code": code,
        **measure(
            args.patents, args.citations_per_patent, args.memory_limit, args.threads, args.tmp
        ),
        "load_average_end": round(os.getloadavg()[0], 2),
    }
    page = report(results)
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "patentsview.json").write_text(json.dumps(results, indent=2) + "\n")
        (args.out / "patentsview.md").write_text(page)
    print(page)


if __name__ == "__main__":
    main()
