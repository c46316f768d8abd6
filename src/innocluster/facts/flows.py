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
"""

from __future__ import annotations

from innocluster.facts.claim import AS_GIVEN, Claim, Variant

__all__ = ["CLAIMS", "NO_SPILLOVER"]

JTH = "Jaffe, Trajtenberg and Henderson (1993, Quarterly Journal of Economics)"

NO_SPILLOVER = Variant("spillover off", {"mechanisms.spillover": False})


def _excess(runs) -> float:
    return runs[AS_GIVEN.label]["localisation_excess"]


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
)
