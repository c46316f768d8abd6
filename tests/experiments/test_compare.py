"""Comparison: means with intervals, Welch's difference, and paired differences of a sweep."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from innocluster.errors import InnoclusterError
from innocluster.experiments import compare, load_experiment, read_runs, sweep
from innocluster.experiments.compare import _welch, mean_interval
from tests.experiments.helpers import make_spec


def test_mean_interval_and_welch_agree_with_scipy():
    rng = np.random.default_rng(1)
    a, b = rng.normal(1, 1, 12), rng.normal(0, 2, 9)
    mean, sd, low, high = mean_interval(a)
    ci = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    assert (mean, sd) == pytest.approx((a.mean(), a.std(ddof=1)))
    assert (low, high) == pytest.approx(ci)
    diff, low, high = _welch(a, b)
    test = stats.ttest_ind(a, b, equal_var=False)
    ci = test.confidence_interval(0.95)
    assert (diff, low, high) == pytest.approx((a.mean() - b.mean(), ci.low, ci.high))


def test_compare_gives_means_and_paired_differences(tmp_path, client):
    plan = load_experiment(make_spec(tmp_path, replications=3))
    sweep(plan, client=client)
    table = compare(plan.out, "benchmark.s", "total_knowledge")
    runs = read_runs(plan.out)
    low, high = (runs[runs["benchmark.s"] == v] for v in (0.0, 0.05))
    means = table[table["kind"] == "mean"]
    assert means["mean"].tolist() == pytest.approx(
        [low["total_knowledge"].mean(), high["total_knowledge"].mean()]
    )
    diff = table[table["kind"] == "difference"].iloc[0]
    pairs = high.merge(low, on=["seed", "benchmark.delta"])
    d = pairs["total_knowledge_x"] - pairs["total_knowledge_y"]
    assert bool(diff["paired"]) and diff["n"] == 6
    assert diff["mean"] == pytest.approx(d.mean())
    assert (diff["ci_low"], diff["ci_high"]) == pytest.approx(mean_interval(d.to_numpy())[2:])
    assert Path(table.attrs["plot"]).is_file()
    compare(plan.out, "benchmark.delta", "total_knowledge", at_step=2)
    stored = pd.read_parquet(plan.out / "compare.parquet")
    assert set(stored["factor"]) == {"benchmark.s", "benchmark.delta"} and len(stored) == 6
    with pytest.raises(InnoclusterError, match="--by nope: not a factor"):
        compare(plan.out, "nope", "total_knowledge")
