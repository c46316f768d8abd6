"""Fixtures shared by the report's test modules: one small run folder, the experiment folders.

Both are session-scoped, so the simulation and the sweeps run once however many modules use
them. Tests read these folders and write only into their own temporary folders (the reports
written beside the folders by ``run_report`` and ``reports`` excepted).

The experiment folders are four tiny experiments of the benchmark model (200 organisations,
8 steps) on one local worker: a grid with failing runs and a comparison, a Sobol design with its
indices, a Morris design (analysed inside a test), and a mechanism attribution.
"""

from __future__ import annotations

import pytest

from innocluster.experiments import (
    attribute,
    compare,
    dask_client,
    load_experiment,
    sensitivity,
    sweep,
)
from innocluster.report import write_report
from tests.report.helpers import small_run

BASE = {
    "base": "benchmark",
    "steps": 8,
    "overrides": {"n0": 200},
    "indicators": ["n_orgs", "total_knowledge"],
}
RANGES = {"s": {"low": 0.0, "high": 0.1}, "delta": {"low": 0.0, "high": 0.2}}


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory):
    """A small run of the default scenario (``small_run``: 100 firms, 30 steps)."""
    return small_run(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="session")
def run_report(run_folder):
    """The HTML of the run folder's report (written to ``run_folder/report.html``)."""
    path, _ = write_report(run_folder)
    return path.read_text("utf-8")


@pytest.fixture(scope="session")
def folders(tmp_path_factory):
    """The four experiment folders, by name: grid, sobol, morris, attribution."""
    tmp = tmp_path_factory.mktemp("experiments")
    out = {name: tmp / name for name in ("grid", "sobol", "morris", "attribution")}
    # a = 1e300 passes validation but overflows the model's Poisson draw: those runs fail
    grid = {**BASE, "name": "grid", "replications": 3, "out": str(out["grid"])}
    grid["factors"] = {"benchmark.s": [0.0, 0.05], "benchmark.a": [0.5, 1e300]}
    sobol = {**BASE, "name": "sobol", "replications": 2, "out": str(out["sobol"])}
    sobol.update(factors=RANGES, design={"method": "sobol", "samples": 4, "seed": 2})
    morris = {**BASE, "name": "morris", "replications": 2, "out": str(out["morris"])}
    morris.update(factors=RANGES, design={"method": "morris", "samples": 2, "seed": 2})
    with dask_client(workers=1) as client:
        for spec in (grid, sobol, morris):
            sweep(load_experiment(spec), client=client)
        attribute(
            "benchmark",
            "total_knowledge",
            ["spillover", "innovation"],
            replications=2,
            overrides=["n0=200"],
            steps=8,
            out=out["attribution"],
            client=client,
        )
    compare(out["grid"], "benchmark.s", "total_knowledge", plot=False)
    sensitivity(out["sobol"])
    return out


@pytest.fixture(scope="session")
def reports(folders):
    """The HTML of each folder's report (the Morris folder before its analysis), by name.

    Each is written to ``FOLDER/report.html``, where the browser tests open it.
    """
    return {name: write_report(folder)[0].read_text("utf-8") for name, folder in folders.items()}
