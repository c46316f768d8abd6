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
the regions (rarefied Gini, comparable across runs) with spillover off, and with spin-offs
settling where outside entrants do (``spin_local = 0``), each alone. The second null keeps the
spin-offs, their number and their inheritance and moves only where they settle: switching
spin-offs off would also halve the number of firms, and fewer firms make any count of patents
over regions lumpier (docs/validation.md).

Spillover is also an externality on research (Jaffe 1986): ``jaffe-pool-elasticity`` fits the
within-firm regression of Cincera (1997) to the run's firm panel, and
``jaffe-pool-elasticity-spillover-cause`` asks that it fall with spillover off.
"""

from __future__ import annotations

from innocluster.facts.claim import AS_GIVEN, Claim, Variant

__all__ = ["CLAIMS", "NO_SPILLOVER", "SPINOFFS_AWAY"]

JTH = "Jaffe, Trajtenberg and Henderson (1993, Quarterly Journal of Economics)"
JAFFE = "Jaffe (1986, American Economic Review); Cincera (1997)"

NO_SPILLOVER = Variant("spillover off", {"mechanisms.spillover": False})
SPINOFFS_AWAY = Variant(
    "spin-offs settle as outside entrants", {"entrepreneurship.spin_local": 0.0}
)
SEED_000 = "seed 000 (knowledge spillover and entrepreneurs form the cluster)"


def _excess(runs) -> float:
    return runs[AS_GIVEN.label]["localisation_excess"]


def _formation_without(variant: Variant):
    return lambda runs: (
        runs[AS_GIVEN.label]["formation_gini"] - runs[variant.label]["formation_gini"]
    )


def _pool_elasticity(runs) -> float:
    return runs[AS_GIVEN.label]["pool_elasticity"]


def _pool_elasticity_from_spillover(runs) -> float:
    return runs[AS_GIVEN.label]["pool_elasticity"] - runs[NO_SPILLOVER.label]["pool_elasticity"]


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
        name="jaffe-pool-elasticity",
        source=JAFFE,
        compares="within-firm elasticity of patents to the local spillover pool: fixed-effects "
        "Poisson on log R&D and log pool with year effects, on the run's firm panel",
        variants=(AS_GIVEN,),
        effect=_pool_elasticity,
        margin=0.0,
        direction="above",
        panel=True,
    ),
    Claim(
        name="jaffe-pool-elasticity-spillover-cause",
        source=JAFFE,
        compares="jaffe-pool-elasticity as given minus with spillover off",
        variants=(AS_GIVEN, NO_SPILLOVER),
        effect=_pool_elasticity_from_spillover,
        margin=0.0,
        direction="above",
        cause="the neighbours' knowledge raises research productivity (gamma): without "
        "spillover the pool does nothing and its elasticity falls",
        panel=True,
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
        "400), as given minus with spin-offs settling where outside entrants do",
        variants=(AS_GIVEN, SPINOFFS_AWAY),
        effect=_formation_without(SPINOFFS_AWAY),
        margin=0.0,
        direction="above",
        cause="spin-offs settle near their parents, where their knowledge is: the same "
        "entrants placed as outsiders are, concentrate innovation less",
    ),
)
