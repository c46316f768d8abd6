"""An experiment folder read for the report (``report/experiment.py``): which folders are
experiments, the levels of a factor (sampled factors binned), the indicators and factors drawn
over steps, and the step bands aggregated in DuckDB.

The bands are checked on the grid experiment of ``conftest.py``; the rest on catalogs built
by hand, with no run.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from innocluster.errors import InnoclusterError
from innocluster.report.experiment import (
    BAND_INDICATORS,
    BINS,
    ExperimentData,
    is_experiment,
    load_experiment_folder,
)


def test_bands_agree_with_the_run_files(folders):
    data = load_experiment_folder(folders["grid"])
    bands = data.bands("benchmark.s", ["total_knowledge"]).table
    runs = data.ok
    steps = pd.concat(
        [pd.read_parquet(folders["grid"] / "runs" / f"{r}.parquet") for r in runs["run_id"]]
    ).merge(runs[["run_id", "benchmark.s"]], on="run_id")
    for (level, step), values in steps.groupby(["benchmark.s", "step"])["total_knowledge"]:
        row = bands[(bands["level"] == str(level)) & (bands["step"] == step)].iloc[0]
        half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
        assert row["n"] == len(values) == 3
        assert (row["mean"], row["low"], row["high"]) == pytest.approx(
            (values.mean(), values.mean() - half, values.mean() + half)
        )


def _experiment(runs, record=None, **analyses):
    """An ExperimentData over a hand-made catalog (no folder on disk)."""
    record = {
        "name": "toy",
        "base": "benchmark",
        "model": "benchmark",
        "design_points": runs["design_id"].nunique(),
        "seeds": sorted(runs["seed"].unique().tolist()),
        **(record or {}),
    }
    return ExperimentData(
        folder=None,
        record=record,
        runs=runs,
        design=None,
        compare=analyses.get("compare"),
        sensitivity=analyses.get("sensitivity"),
        attribution=analyses.get("attribution"),
    )


def _catalog(values, status=None, seeds=2):
    """One row per value of factor ``f`` and seed, with two numeric indicators and a text one."""
    f = np.repeat(np.asarray(values), seeds)
    n = len(f)
    return pd.DataFrame(
        {
            "run_id": [f"r{i:03d}" for i in range(n)],
            "design_id": np.repeat(np.arange(len(values)), seeds),
            "seed": np.tile(np.arange(seeds), len(values)),
            "status": status if status is not None else ["ok"] * n,
            "f": f,
            "g": "x",
            "a": np.arange(n, dtype=float),
            "b": np.arange(n),
            "label": "text",
            "flag": True,
        }
    )


def test_levels_keep_design_order_and_name_levels_without_a_finished_run():
    runs = _catalog([0.5, 0.1, 0.3], status=["ok", "ok", "error", "error", "ok", "pending"])
    data = _experiment(runs, {"factors": ["f", "g"], "indicators": ["a", "label", "b", "flag"]})
    level, order, empty, notes = data.levels("f")
    assert order == ["0.5", "0.3"] and empty == ["0.1"] and notes == []
    assert level.tolist() == ["0.5", "0.5", "0.3"] and level.index.equals(data.ok.index)
    level, order, empty, _ = data.levels(None)
    assert order == ["all runs"] and empty == [] and len(level) == 3
    assert data.title == "experiment toy: benchmark (benchmark model), 3 design points x 2 seeds"


def test_a_sampled_factor_is_binned_into_quantiles():
    values = np.linspace(0.0, 1.0, 12)  # more distinct values than MAX_LEVELS
    data = _experiment(_catalog(values), {"factors": ["f"]})
    level, order, empty, notes = data.levels("f")
    assert len(order) == BINS and empty == []
    assert level.value_counts().tolist() == [len(values) * 2 // BINS] * BINS
    assert order[0].startswith("0 to ") and order[-1].endswith(" to 1")
    assert notes == [
        f"f takes {len(values)} sampled values: the runs are grouped into {BINS} bins of about "
        "equal counts (quantiles of the design's values)."
    ]
    lows = [float(label.split(" to ")[0]) for label in order]
    assert lows == sorted(lows)


def test_indicators_and_factors_drawn_over_steps_come_from_the_analyses_first():
    runs = _catalog([1, 2]).assign(c=1.5, d=2.5)
    record = {"factors": ["g", "f"], "indicators": ["a", "label", "b", "flag", "c", "d"]}
    data = _experiment(runs, record)
    assert data.numeric_indicators == ["a", "b", "c", "d"]  # no text, no true/false
    assert data.band_indicators() == ["a", "b", "c"][:BAND_INDICATORS]
    assert data.band_factors() == ["g", "f"]
    compare = pd.DataFrame({"factor": ["f", "scenario"], "metric": ["d", "d"]})
    sensitivity = pd.DataFrame({"indicator": ["c"]})
    data = _experiment(runs, record, compare=compare, sensitivity=sensitivity)
    assert data.band_indicators() == ["d", "c", "a"][:BAND_INDICATORS]
    assert data.band_factors() == ["f", "g"]  # 'scenario' is not a catalog column here


def test_only_folders_with_a_catalog_are_experiments(folders, run_folder, tmp_path):
    assert is_experiment(folders["grid"]) and not is_experiment(run_folder)
    with pytest.raises(InnoclusterError, match="holds no catalog.duckdb: not an experiment"):
        load_experiment_folder(run_folder)
    data = load_experiment_folder(folders["sobol"])
    assert data.source == "experiment" and data.record["name"] == "sobol"
    assert data.sensitivity is not None and data.compare is None and data.attribution is None
    assert data.design is not None and len(data.runs) == len(data.ok) > 0
    record = json.loads((folders["sobol"] / "experiment.json").read_text("utf-8"))
    assert data.factors == list(record["factors"]) == ["benchmark.s", "benchmark.delta"]
    shutil.copy(folders["grid"] / "catalog.duckdb", tmp_path)
    assert is_experiment(tmp_path)
    with pytest.raises(InnoclusterError, match="holds no experiment.json: not an experiment"):
        load_experiment_folder(tmp_path)
