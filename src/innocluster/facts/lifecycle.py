"""The industry life cycle's claims: Klepper's shakeout for Klepper's reasons, firm sizes.

Each claim names its cause and is checked by removing it (``docs/validation.md``):

- the shakeout (Klepper and Simons 1997, 2000) comes from process innovation, whose value grows
  with a firm's output (Klepper 1996): with process innovation ineffective
  (``research.cost_step = 0``) it goes; without a fixed cost it stays; with demand held
  constant it stays (it needs no demand peak);
- early entrants survive longer than later ones of the same age (Klepper 1996; Klepper and
  Simons 2000);
- larger firms do more R&D, and more of it in process (Cohen and Klepper 1996);
- the producers' sizes have a heavy, Pareto-like upper tail at maturity (Axtell 2001).
"""

from __future__ import annotations

import math

from innocluster.facts.claim import AS_GIVEN, Claim, Variant

__all__ = ["CLAIMS", "NO_PROCESS", "NO_FIXED_COST", "CONSTANT_DEMAND"]

KLEPPER_SIMONS = "Klepper and Simons (1997, 2000); Klepper (1996)"

NO_PROCESS = Variant("process innovation ineffective", {"research.cost_step": 0.0})
NO_FIXED_COST = Variant("no fixed cost", {"market.fixed_cost": 0.0})
CONSTANT_DEMAND = Variant(
    "constant demand",
    lambda scenario: {
        "market.demand0": scenario.market.demand_max,
        "market.decline_start": 0,
        "institutions.variety_demand": 0.0,
    },
)


def _given(key: str):
    return lambda runs: runs[AS_GIVEN.label][key]


CLAIMS = (
    Claim(
        name="klepper-shakeout",
        source=KLEPPER_SIMONS,
        compares="fall of the number of producers from its peak",
        variants=(AS_GIVEN,),
        effect=_given("fall"),
        margin=0.70,
        direction="above",
        cause="process innovation and scale (see klepper-process-cause)",
    ),
    Claim(
        name="klepper-output-grows",
        source=KLEPPER_SIMONS,
        # In logs: the ratio multiplies cost cuts, so it is heavy-tailed across runs, and the
        # t interval of its mean would be as wide as its largest run. A run whose output
        # vanished counts as a fall by a factor of 10^12, not as a missing value.
        compares="log of output of the last 5 years over output around the producers' peak",
        variants=(AS_GIVEN,),
        effect=lambda runs: math.log(max(runs[AS_GIVEN.label]["output_growth"], 1e-12)),
        margin=0.0,
        direction="above",
        unit="log",
        cause="falling unit costs and price while the number of producers falls",
    ),
    Claim(
        name="klepper-entry-dries-up",
        source=KLEPPER_SIMONS,
        compares="entries a year from 10 years after the producers' peak, over peak entry",
        variants=(AS_GIVEN,),
        effect=_given("late_entry"),
        margin=0.10,
        direction="below",
        cause="entrants judge profit at the current price and their own (higher) cost",
    ),
    Claim(
        name="klepper-entry-peaks-first",
        source=KLEPPER_SIMONS,
        compares="year of the producers' peak minus the year of peak entry",
        variants=(AS_GIVEN,),
        effect=lambda runs: (
            runs[AS_GIVEN.label]["peak_step"] - runs[AS_GIVEN.label]["entry_peak_step"]
        ),
        margin=0.0,
        direction="above",
        unit="years",
    ),
    Claim(
        name="klepper-process-cause",
        source="Klepper (1996)",
        compares="fall from the peak with process innovation ineffective (cost_step = 0)",
        variants=(NO_PROCESS,),
        effect=lambda runs: runs[NO_PROCESS.label]["fall"],
        margin=0.30,
        direction="below",
        cause="removing process innovation removes the shakeout",
    ),
    Claim(
        name="klepper-no-fixed-cost",
        source="Klepper (1996)",
        compares="fall from the peak with no fixed cost (fixed_cost = 0)",
        variants=(NO_FIXED_COST,),
        effect=lambda runs: runs[NO_FIXED_COST.label]["fall"],
        margin=0.60,
        direction="above",
        cause="the shakeout does not need a fixed cost",
    ),
    Claim(
        name="klepper-constant-demand",
        source="Klepper (1996): the shakeout needs no peak in demand",
        compares="fall from the peak with demand held at its saturation level",
        variants=(CONSTANT_DEMAND,),
        effect=lambda runs: runs[CONSTANT_DEMAND.label]["fall"],
        margin=0.50,
        direction="above",
        cause="the shakeout does not need a demand life cycle",
    ),
    Claim(
        name="klepper-early-entrants-survive",
        source="Klepper (1996); Klepper and Simons (2000)",
        compares="exit hazard at ages 0-9 of producers entering after the peak over those "
        "entering up to it",
        variants=(AS_GIVEN,),
        effect=lambda runs: (
            runs[AS_GIVEN.label]["hazard_late"] / runs[AS_GIVEN.label]["hazard_early"]
        ),
        margin=1.0,
        direction="above",
        unit="x",
        cause="early entrants grow first and out-innovate later ones in process",
    ),
    Claim(
        name="cohen-klepper-rd-size",
        source="Cohen and Klepper (1996)",
        compares="rank correlation of producers' employees with their R&D money",
        variants=(AS_GIVEN,),
        effect=_given("rd_size"),
        margin=0.5,
        direction="above",
    ),
    Claim(
        name="cohen-klepper-process-size",
        source="Cohen and Klepper (1996)",
        compares="rank correlation of producers' employees with the process share of their R&D",
        variants=(AS_GIVEN,),
        effect=_given("process_size"),
        margin=0.0,
        direction="above",
        cause="process returns grow with output, product returns do not",
    ),
    Claim(
        name="klepper-process-share-rises",
        source="Klepper (1996); Utterback and Abernathy (1975)",
        compares="process share of innovations, last 20 years minus first 10",
        variants=(AS_GIVEN,),
        effect=lambda runs: (
            runs[AS_GIVEN.label]["process_late"] - runs[AS_GIVEN.label]["process_early"]
        ),
        margin=0.3,
        direction="above",
        cause="firms grow, and process returns grow with output",
    ),
    Claim(
        name="axtell-size-tail",
        source="Axtell (2001)",
        compares="Hill exponent of the top 10% of producers' employees 10 years after their "
        "peak (Zipf: 1; below 2: a heavy tail)",
        variants=(AS_GIVEN,),
        effect=_given("tail_alpha"),
        margin=2.0,
        direction="below",
    ),
)
