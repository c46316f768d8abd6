"""The cluster model's parameters: mistakes in a scenario are refused and explained."""

from __future__ import annotations

import pytest

from innocluster.errors import InnoclusterError
from innocluster.scenario import load_scenario


def test_budget_shares_above_one_are_refused_by_name():
    with pytest.raises(
        InnoclusterError, match="budget shares of the instruments sum to 1.5; expected at most 1$"
    ):
        load_scenario("default", {"government.subsidy": 0.6, "government.institutes": 0.5})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"strategic_fields": [3, 16]}, r"strategic_fields \[16\]: expected fields 0..15$"),
        ({"zone_regions": [100]}, r"zone_regions \[100\]: expected regions 0..99$"),
        ({"anchor_x": 150.0}, "expected a position in the 100 km square$"),
        ({"research.p_patent": 1.5}, "research.p_patent"),
        ({"n_firms": 2.5}, "population.n_firms"),
    ],
)
def test_bad_cluster_parameters_are_explained(overrides, message):
    with pytest.raises(InnoclusterError, match=message):
        load_scenario("default", overrides)
