"""Claims: the interval, the verdict, variants."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from innocluster.facts.claim import Claim, Variant, interval, verdict


def test_the_interval_is_the_t_interval_of_the_mean():
    values = np.array([0.1, 0.4, 0.35, 0.2, 0.3])
    mean, low, high = interval(values)
    expected = stats.t.interval(0.95, 4, loc=values.mean(), scale=stats.sem(values))
    assert mean == pytest.approx(values.mean())
    assert (low, high) == pytest.approx(expected)
    assert interval(np.array([np.nan, 2.0])) == (2.0, 2.0, 2.0)
    assert all(np.isnan(interval(np.array([np.nan]))))


def _claim(direction: str, margin: float) -> Claim:
    return Claim(
        "c", "s", "x", (Variant("as given"),), lambda r: r["as given"]["v"], margin, direction
    )


def test_a_claim_passes_only_when_the_whole_interval_clears_the_margin():
    clear = np.array([0.8, 0.82, 0.79, 0.81])
    assert verdict(_claim("above", 0.7), clear, "default", range(4)).passed
    assert not verdict(_claim("above", 0.8), clear, "default", range(4)).passed
    assert verdict(_claim("below", 0.9), clear, "default", range(4)).passed
    assert not verdict(_claim("below", 0.8), clear, "default", range(4)).passed
    assert not verdict(_claim("above", 0.0), np.array([np.nan, np.nan]), "d", range(2)).passed


def test_a_world_at_the_margin_rarely_passes():
    # The effect sits exactly at the margin: the claim should pass in at most 2.5% of worlds.
    rng = np.random.default_rng(0)
    passes = [
        verdict(_claim("above", 0.5), rng.normal(0.5, 0.1, 20), "d", range(20)).passed
        for _ in range(4000)
    ]
    assert np.mean(passes) < 0.035


def test_results_are_plain_json_values():
    per_seed = np.array([1.0, np.nan, 2.0, 1.5, 1.2])
    plain = verdict(_claim("above", 0.0), per_seed, "default", [1, 2, 3, 4, 5]).as_dict()
    assert plain["per_seed"] == [1.0, None, 2.0, 1.5, 1.2] and plain["passed"] is True
    assert {"name", "source", "effect", "ci_low", "ci_high", "margin", "passed"} <= set(plain)


def test_a_variant_may_depend_on_the_base_scenario():
    variant = Variant("half", lambda sc: {"x": sc["x"] / 2})
    assert variant.resolve({"x": 4}) == {"x": 2}
    assert Variant("fixed", {"y": 1}).resolve(None) == {"y": 1}
