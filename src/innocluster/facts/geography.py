"""Where innovation happens over the life cycle: Audretsch and Feldman (1996), in two forms.

Audretsch and Feldman compare industries at different stages of their life cycle in one
period: innovation is more concentrated in space in the early stages than in mature
industries, particularly once the concentration of production is controlled for. The model's
form of their experiment (``audretsch-feldman-industries``): two industries that differ only in
when their life cycle started, measured in one common year, 60 years after the older one
started: the older is then mature, the younger (started 50 years later) in its growth. Each is
a run of its own (the younger with seeds of its own), measured over its last five years. The
within-industry form (``audretsch-feldman-stages``) compares one industry's early and late
stages.

The cause, in the model, is the shakeout: process innovation concentrates a mature
industry's production in a few large survivors, while its innovation, which also comes from
research institutes and from the smaller firms' product R&D, stays more spread than its
production. ``audretsch-feldman-shakeout-cause`` removes process innovation
(``research.cost_step = 0``): the mature industry keeps its many firms and the effect reverses.
Congestion is not the cause: without it (``market.congestion = 0``) production piles up
further and the effect grows (``docs/validation.md``).
"""

from __future__ import annotations

from innocluster.facts.claim import AS_GIVEN, Claim, Variant

__all__ = ["CLAIMS", "COMMON_YEAR", "YOUNG_AGE", "MATURE", "YOUNG"]

AUDRETSCH_FELDMAN = "Audretsch and Feldman (1996, Review of Industrial Organization)"

#: The year in which the industries are compared, counted from the older one's start.
COMMON_YEAR = 60

#: The younger industry's age in that year.
YOUNG_AGE = 10

MATURE = Variant("mature industry", {"steps": COMMON_YEAR})
YOUNG = Variant("young industry", {"steps": YOUNG_AGE}, seed_offset=1_000_000)
MATURE_NO_PROCESS = Variant(
    "mature industry, process innovation ineffective",
    {"steps": COMMON_YEAR, "research.cost_step": 0.0},
)
YOUNG_NO_PROCESS = Variant(
    "young industry, process innovation ineffective",
    {"steps": YOUNG_AGE, "research.cost_step": 0.0},
    seed_offset=1_000_000,
)


def _industries(young: Variant, mature: Variant):
    return lambda runs: runs[young.label]["excess_last"] - runs[mature.label]["excess_last"]


def _stages(runs) -> float:
    r = runs[AS_GIVEN.label]
    return (r["patents_early"] - r["production_early"]) - (r["patents_late"] - r["production_late"])


CLAIMS = (
    Claim(
        name="audretsch-feldman-industries",
        source=AUDRETSCH_FELDMAN,
        compares=f"Gini of innovation over the regions minus Gini of production, in year "
        f"{COMMON_YEAR}: an industry aged {YOUNG_AGE} minus one aged {COMMON_YEAR}",
        variants=(YOUNG, MATURE),
        effect=_industries(YOUNG, MATURE),
        margin=0.05,
        direction="above",
        cause="the shakeout concentrates mature production (see the shakeout-cause claim)",
    ),
    Claim(
        name="audretsch-feldman-stages",
        source=AUDRETSCH_FELDMAN,
        compares="Gini of innovation minus Gini of production, emergence and growth minus the "
        "stages after (one industry)",
        variants=(AS_GIVEN,),
        effect=_stages,
        margin=0.05,
        direction="above",
    ),
    Claim(
        name="audretsch-feldman-innovation-early",
        source=AUDRETSCH_FELDMAN,
        compares="Gini of innovation over the regions, emergence and growth minus the stages "
        "after (one industry, both rarefied to the smaller count)",
        variants=(AS_GIVEN,),
        effect=lambda runs: (
            runs[AS_GIVEN.label]["patents_early"] - runs[AS_GIVEN.label]["patents_late"]
        ),
        margin=0.02,
        direction="above",
    ),
    Claim(
        name="audretsch-feldman-shakeout-cause",
        source=AUDRETSCH_FELDMAN,
        compares="audretsch-feldman-industries with process innovation ineffective (cost_step = 0)",
        variants=(YOUNG_NO_PROCESS, MATURE_NO_PROCESS),
        effect=_industries(YOUNG_NO_PROCESS, MATURE_NO_PROCESS),
        margin=0.05,
        direction="below",
        cause="without the shakeout, mature production stays spread and the effect goes",
    ),
)
