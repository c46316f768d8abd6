"""Knowledge flows you can see: the localisation of patent citations (Jaffe et al. 1993).

Jaffe, Trajtenberg and Henderson (1993) found a patent's citations several times as likely as
field-year matched controls to come from the cited patent's metropolitan area. The model's
form (``jth-localisation``): over a whole run of an industry, the same-region share of the
citations between its patents (self-citations left out) minus that of the controls, measured
by the one implementation used on real data
(:func:`~innocluster.measures.localisation.citation_localisation`).

The cause the model credits is knowledge spillover (seed 000's first forming mechanism):
``jth-localisation-spillover-cause`` switches the spillover mechanism off, with everything else
kept, and asks what share of the excess goes with it. Other channels are local too (co-located
socialisation, movers within the labour market, a spin-off's parent), so the excess need not
vanish; the claim is that spillover makes at least half of it.

A cluster forms while the industry is young (seed 000): ``formation-spillover`` and
``formation-spinoffs`` compare the concentration of the patents of emergence and growth over
the regions (rarefied Gini, comparable across runs) with spillover off, and with spin-offs off
(academic ones too; outside entrants kept), each alone.
"""

from __future__ import annotations

from innocluster.facts.claim import AS_GIVEN, Claim, Variant

__all__ = ["CLAIMS", "NO_SPILLOVER", "NO_SPINOFFS"]

JTH = "Jaffe, Trajtenberg and Henderson (1993, Quarterly Journal of Economics)"

NO_SPILLOVER = Variant("spillover off", {"mechanisms.spillover": False})
NO_SPINOFFS = Variant(
    "spin-offs off", {"entrepreneurship.p_spin": 0.0, "entrepreneurship.p_academic": 0.0}
)
SEED_000 = "seed 000 (knowledge spillover and entrepreneurs form the cluster)"


def _excess(runs) -> float:
    return runs[AS_GIVEN.label]["localisation_excess"]


def _formation_without(variant: Variant):
    return lambda runs: (
        runs[AS_GIVEN.label]["formation_gini"] - runs[variant.label]["formation_gini"]
    )


def _spillover_share(runs) -> float:
    # The share of the localisation excess that goes when spillover is switched off.
    on = runs[AS_GIVEN.label]["localisation_excess"]
    return 1.0 - runs[NO_SPILLOVER.label]["localisation_excess"] / on


CLAIMS = (
    Claim(
        name="jth-localisation",
        source=JTH,
        compares="same-region share of citations minus that of field-year matched controls, "
        "self-citations left out, over the run",
        variants=(AS_GIVEN,),
        effect=_excess,
        margin=0.0,
        direction="above",
        unit="share",
    ),
    Claim(
        name="jth-localisation-spillover-cause",
        source=JTH,
        compares="the share of jth-localisation's excess that goes when spillover is off",
        variants=(AS_GIVEN, NO_SPILLOVER),
        effect=_spillover_share,
        margin=0.5,
        direction="above",
        cause="spillover within r_geo makes citations local: without it at least half the "
        "excess goes",
    ),
    Claim(
        name="formation-spillover",
        source=SEED_000,
        compares="Gini of the patents of emergence and growth over the regions (rarefied to "
        "400), as given minus with spillover off",
        variants=(AS_GIVEN, NO_SPILLOVER),
        effect=_formation_without(NO_SPILLOVER),
        margin=0.0,
        direction="above",
        cause="spillover within r_geo concentrates innovation where knowledge is",
    ),
    Claim(
        name="formation-spinoffs",
        source=SEED_000 + "; Klepper (2007)",
        compares="Gini of the patents of emergence and growth over the regions (rarefied to "
        "400), as given minus with spin-offs off (outside entrants kept)",
        variants=(AS_GIVEN, NO_SPINOFFS),
        effect=_formation_without(NO_SPINOFFS),
        margin=0.0,
        direction="above",
        cause="spin-offs settle near their parents and carry their knowledge",
    ),
)
