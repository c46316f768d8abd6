"""The knowledge-flow claims: the localisation of citations and the share spillover makes."""

from __future__ import annotations

import pytest

from innocluster.facts.claim import AS_GIVEN
from innocluster.facts.flows import CLAIMS, NO_SPILLOVER

CLAIM = {claim.name: claim for claim in CLAIMS}


def test_the_cause_claim_switches_spillover_off_and_nothing_else():
    claim = CLAIM["jth-localisation-spillover-cause"]
    assert claim.variants == (AS_GIVEN, NO_SPILLOVER)
    assert NO_SPILLOVER.resolve(None) == {"mechanisms.spillover": False}
    assert NO_SPILLOVER.seed_offset == 0  # paired: the same draws with and without


@pytest.mark.parametrize(("on", "off", "share"), [(0.04, 0.01, 0.75), (0.04, 0.04, 0.0)])
def test_the_cause_effect_is_the_share_of_the_excess_that_goes(on, off, share):
    runs = {
        AS_GIVEN.label: {"localisation_excess": on},
        NO_SPILLOVER.label: {"localisation_excess": off},
    }
    assert CLAIM["jth-localisation-spillover-cause"].effect(runs) == pytest.approx(share)
    assert CLAIM["jth-localisation"].effect(runs) == on
