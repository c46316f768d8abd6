"""Shared helpers of the experiments' tests: a small test experiment and a sweep's results.

A plain module (not a conftest): tests import what they use, e.g.
``from tests.experiments.helpers import SMALL, make_spec, sweep_results``. The shared Dask
client and the reference sweep are fixtures, in ``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from innocluster.experiments import query, read_runs

__all__ = ["SMALL", "make_spec", "sweep_results"]

SMALL = {"n0": 200}


def make_spec(tmp_path: Path, **changes) -> dict:
    """The test experiment: a 2 x 2 grid of the benchmark model, 2 seeds, 4 steps."""
    spec = {
        "name": "t",
        "base": "benchmark",
        "steps": 4,
        "overrides": dict(SMALL),
        "factors": {"benchmark.s": [0.0, 0.05], "benchmark.delta": [0.05, 0.1]},
        "replications": 2,
        "indicators": ["n_orgs", "total_knowledge"],
        "out": str(tmp_path / "out"),
    }
    spec.update(changes)
    return spec


def sweep_results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The catalog without the timing columns, and every run file, both sorted."""
    runs = read_runs(out).drop(columns=["wall_seconds"])
    steps = query(out, "SELECT * FROM steps ORDER BY run_id, step")
    return runs, steps
