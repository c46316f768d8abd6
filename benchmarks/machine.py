"""What a benchmark was measured on: one description shared by every benchmark script."""

from __future__ import annotations

import contextlib
import importlib
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path


def describe(*packages: str) -> dict:
    """CPU, cores, memory, OS, load, date, and the versions of Python, numpy, scipy, numba (with
    its threads), the BLAS threads and any further ``packages``."""
    import numba

    cpu = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):  # no /proc/cpuinfo outside Linux
        names = [
            line
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu

    out = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "os": platform.platform(),
        "load_average": round(os.getloadavg()[0], 2),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "numba_threads": numba.config.NUMBA_NUM_THREADS,
        "blas": _blas(),
    }
    for name in ("numpy", "scipy", "numba", *packages):
        out[name] = importlib.import_module(name).__version__
    return out


def describe_line(*packages: str) -> str:
    """:func:`describe` as one sentence for a results page."""
    return format_line(describe(*packages), *packages)


def format_line(m: dict, *packages: str) -> str:
    """A :func:`describe` result (e.g. read back from a results file) as one sentence."""
    versions = ", ".join(f"{name} {m[name]}" for name in ("numpy", "scipy", "numba", *packages))
    return (
        f"{m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB ({m['os']}); "
        f"Python {m['python']}, {versions}; numba threads {m['numba_threads']}; {m['blas']}; "
        f"load average {m['load_average']} at the start"
    )


def _blas() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS threads unknown"
    info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(f"{i['internal_api']} ({i['num_threads']} threads)" for i in info) or "no BLAS"


def code_version() -> dict:
    """The commit measured and the files of ``src/`` that differed from it (a model in flux)."""

    def git(*args: str) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=Path(__file__).resolve().parents[1], capture_output=True,
            text=True, check=False,
        )  # fmt: skip
        return proc.stdout.rstrip()

    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "modified": git("status", "--porcelain", "--", "src").splitlines(),
    }
