"""The life-cycle claims: each removal of a cause is a variant of its own."""

from __future__ import annotations

from innocluster.facts.lifecycle import CLAIMS, CONSTANT_DEMAND, NO_FIXED_COST, NO_PROCESS
from innocluster.scenario import load_scenario


def test_the_removed_causes_are_what_the_claims_say():
    base = load_scenario("default")
    assert NO_PROCESS.resolve(base) == {"research.cost_step": 0.0}
    assert NO_FIXED_COST.resolve(base) == {"market.fixed_cost": 0.0}
    flat = load_scenario(base, CONSTANT_DEMAND.resolve(base))
    assert flat.market.demand0 == flat.market.demand_max == base.market.demand_max


def test_every_claim_that_credits_a_cause_says_which():
    named = {c.name: c for c in CLAIMS}
    for name in ("klepper-shakeout", "klepper-process-cause", "cohen-klepper-process-size"):
        assert named[name].cause
