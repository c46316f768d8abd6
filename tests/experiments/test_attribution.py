"""Attribution: exact and sampled Shapley values, and the whole effect split over mechanisms."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from innocluster.errors import InnoclusterError
from innocluster.experiments import attribute, read_runs, shapley


def test_exact_shapley_values_of_a_known_game():
    # The glove game: player 0 holds a left glove, players 1 and 2 a right one; a pair is worth 1.
    worth = np.array([0, 0, 0, 1, 0, 1, 0, 1], dtype=float)  # bit i: player i
    assert shapley(worth) == pytest.approx([2 / 3, 1 / 6, 1 / 6])


def test_shapley_values_are_efficient_exact_and_sampled():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(2**5, 3))  # five players, three replications
    exact = shapley(values)
    assert exact.sum(axis=0) == pytest.approx(values[-1] - values[0], abs=1e-12)
    orders = np.array([rng.permutation(5) for _ in range(7)])
    sampled = shapley(values, orders)
    assert sampled.sum(axis=0) == pytest.approx(values[-1] - values[0], abs=1e-12)
    every = np.array(list(itertools.permutations(range(5))))
    assert shapley(values, every) == pytest.approx(exact)


def test_attribute_splits_the_whole_effect_over_the_mechanisms(tmp_path, client):
    out = tmp_path / "attr"
    table = attribute(
        "benchmark",
        "total_knowledge",
        ["spillover", "innovation", "depreciation"],
        replications=2,
        overrides=["n0=200"],
        steps=3,
        out=out,
        client=client,
    )
    assert table["method"].eq("exact").all() and table["coalitions"].eq(8).all()
    first = table.iloc[0]
    assert table["shapley"].sum() == pytest.approx(first["all_on"] - first["all_off"], rel=1e-12)
    runs = read_runs(out).sort_values(["design_id", "seed"])
    on = runs[
        runs["mechanisms.spillover"]
        & runs["mechanisms.innovation"]
        & runs["mechanisms.depreciation"]
    ]
    assert first["all_on"] == pytest.approx(on["total_knowledge"].mean())
    assert pd.read_parquet(out / "attribution.parquet")["mechanism"].tolist() == [
        "spillover",
        "innovation",
        "depreciation",
    ]
    sampled = attribute(
        "benchmark",
        "total_knowledge",
        ["spillover", "innovation", "depreciation"],
        replications=2,
        overrides=["n0=200"],
        steps=3,
        permutations=2,
        out=tmp_path / "sampled",
        client=client,
    )
    assert sampled["method"].eq("permutation").all()
    assert sampled["shapley"].sum() == pytest.approx(first["all_on"] - first["all_off"])
    with pytest.raises(InnoclusterError, match="--mechanisms nope: not a mechanism"):
        attribute("benchmark", mechanisms=["nope"], client=client)
