"""Parameters of the cluster model: one section per part of the model, each value documented.

Every parameter states its meaning, unit, default, range and the literature it follows; the
model's equations are in ``docs/model.md``. Money is in model money units (MU) per year, one
step is one year, lengths are kilometres, knowledge is in innovation units (one innovation adds
one unit in one technology field).
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from innocluster.core.parameters import ScenarioBase, Section, parameter

__all__ = [
    "ClusterScenario",
    "ClusterMechanisms",
    "SpaceParams",
    "PopulationParams",
    "KnowledgeParams",
    "SpilloverParams",
    "ResearchParams",
    "EntrepreneurshipParams",
    "MarketParams",
    "MobilityParams",
    "GovernmentParams",
    "InstitutionsParams",
    "SeciParams",
    "AlliancesParams",
    "GovernanceParams",
    "OpennessParams",
    "CitationsParams",
    "INSTRUMENTS",
]

GRILICHES = "Griliches (1979); Jaffe (1986)"
COHEN = "Cohen and Levinthal (1990)"
NT = "Nonaka and Takeuchi (1995)"

#: The government's instruments, in the order of the ``gov_<instrument>`` indicator columns.
INSTRUMENTS = ("subsidy", "grants", "zone", "institutes", "intermediaries", "anchors")


class SpaceParams(Section):
    """Geographic and technology space."""

    L: float = parameter(100.0, "side of the square region", "km", gt=0.0, le=10_000.0)
    R: int = parameter(10, "regions per side of the grid of regional statistics", "", ge=2, le=200)
    D: int = parameter(16, "technology fields", "", ge=2, le=512)


class PopulationParams(Section):
    """The organisations at step 0, placed uniformly over the square."""

    n_firms: int = parameter(200, "firms at start", "organisations", ge=0, le=10_000_000)
    n_leaders: int = parameter(2, "leading companies at start", "organisations", ge=0, le=100_000)
    n_institutes: int = parameter(
        10, "research institutes at start", "organisations", ge=0, le=100_000
    )
    n_intermediaries: int = parameter(
        0, "intermediaries at start", "organisations", ge=0, le=100_000
    )
    firm_employees: int = parameter(3, "employees of a firm at start", "persons", ge=1, le=100_000)
    leader_employees: int = parameter(
        15, "employees of a leading company at start", "persons", ge=1, le=1_000_000
    )
    institute_employees: int = parameter(
        30, "researchers of an institute (constant)", "persons", ge=1, le=1_000_000
    )
    firm_capital: float = parameter(5.0, "capital of a firm at start", "MU", ge=0.0)
    leader_capital: float = parameter(60.0, "capital of a leading company at start", "MU", ge=0.0)
    firm_knowledge: float = parameter(
        0.5, "mean tacit knowledge per field of a firm at start (exponential)", "units", ge=0.0
    )
    leader_knowledge: float = parameter(
        3.0, "mean tacit knowledge per field of a leader at start", "units", ge=0.0
    )
    institute_knowledge: float = parameter(
        5.0, "mean tacit knowledge per field of an institute at start", "units", ge=0.0
    )


class KnowledgeParams(Section):
    """Knowledge stocks: absorptive capacity and depreciation."""

    K_half: float = parameter(
        20.0,
        "knowledge stock at which absorptive capacity A = K / (K + K_half) is 1/2",
        "units",
        COHEN,
        gt=0.0,
    )
    delta: float = parameter(
        0.05,
        "share of tacit and explicit knowledge lost per year",
        "1/year",
        "Griliches (1979): 10-15% for R&D capital",
        ge=0.0,
        le=1.0,
    )


class SpilloverParams(Section):
    """Localised spillover of explicit knowledge."""

    s_sp: float = parameter(
        0.05,
        "spillover strength: share of a weighted knowledge gap absorbed per year",
        "1/year",
        "Jaffe (1986); Audretsch and Feldman (1996, AER)",
        ge=0.0,
        le=1.0,
    )
    r_geo: float = parameter(
        5.0,
        "spillover radius",
        "km",
        "Audretsch and Feldman (1996, AER): spillovers are local",
        gt=0.0,
        le=1000.0,
    )
    lam: float = parameter(2.5, "distance decay length of spillover", "km", gt=0.0)
    broker: float = parameter(
        1.0,
        "extra spillover (multiple) received near an intermediary",
        "",
        "Howells (2006) on innovation intermediaries",
        ge=0.0,
    )


class ResearchParams(Section):
    """The knowledge production function and the kinds of innovation."""

    a: float = parameter(
        0.4,
        "innovation productivity a in mu = a Q RD^beta (1 + K)^eta",
        "innovations/year",
        GRILICHES,
        ge=0.0,
    )
    beta: float = parameter(0.5, "R&D elasticity of innovation", "", GRILICHES, ge=0.0, lt=1.0)
    eta: float = parameter(
        0.6,
        "knowledge-stock elasticity of innovation in a new industry (maturity 0)",
        "",
        GRILICHES,
        ge=0.0,
        le=2.0,
    )
    eta_late: float = parameter(
        0.0,
        "knowledge-stock elasticity of innovation at saturated demand (maturity 1)",
        "",
        "Audretsch and Feldman (1996, RIO): new knowledge matters most early",
        ge=0.0,
        le=2.0,
    )
    gamma: float = parameter(
        0.15,
        "elasticity of innovation with respect to the usable local knowledge pool in a new "
        "industry, in (1 + U_i)^(gamma (1 - maturity))",
        "",
        "assumed; Jaffe (1986); checked: the within-firm pool elasticity it gives lies in "
        "the interval of Cincera's (1997) panel (docs/validation.md)",
        ge=0.0,
        le=2.0,
    )
    rd_share: float = parameter(
        0.08,
        "share of revenue a firm spends on R&D",
        "",
        "assumed; the R&D intensity of a research-intensive manufacturing industry",
        ge=0.0,
        le=1.0,
    )
    institute_budget: float = parameter(
        3.0, "base research budget of an institute", "MU/year", ge=0.0
    )
    p_radical: float = parameter(
        0.1,
        "probability that an innovation is radical (field drawn uniformly)",
        "",
        "Frenken et al. (2007) on variety",
        ge=0.0,
        le=1.0,
    )
    p_patent: float = parameter(
        0.5,
        "probability that an innovation is codified as a patent",
        "",
        "Cohen, Nelson and Walsh (2000)",
        ge=0.0,
        le=1.0,
    )
    new_sales: float = parameter(
        5.0,
        "new sales a product innovation draws to its innovator, whatever its size",
        "MU/year",
        "assumed; Klepper (1996); Cohen and Klepper (1996): product returns do not scale with "
        "output",
        ge=0.0,
    )
    quality_step: float = parameter(
        0.05,
        "share of the gap to the quality ceiling closed by a product innovation",
        "",
        "assumed; quality is common (imitated) and only rescales the price per quality unit",
        ge=0.0,
        lt=1.0,
    )
    quality_max: float = parameter(
        3.0,
        "highest quality product innovation can reach (quality starts at 1)",
        "",
        "assumed; as quality_step",
        ge=1.0,
    )
    cost_step: float = parameter(
        0.0096,
        "share of the unit cost cut by a process innovation",
        "",
        "calibrated (innocluster calibrate, estimate/examples/life_cycle.toml, seeds 0-9): "
        "the mean shakeout of Klepper and Simons (2000), 92%, with the job flows of US "
        "manufacturing (Davis, Haltiwanger and Schuh 1996)",
        ge=0.0,
        lt=1.0,
    )


class EntrepreneurshipParams(Section):
    """Spin-offs, academic spin-offs and outside entrants."""

    p_spin: float = parameter(
        1.0,
        "spin-off propensity of a firm (times Q, A_i and a size factor)",
        "1/year",
        "Klepper (2007); Feldman, Francis and Bercovitz (2005)",
        ge=0.0,
        le=1.0,
    )
    p_academic: float = parameter(
        0.1,
        "academic spin-off propensity of an institute (times Q and A_i)",
        "1/year",
        "Eesley and Miller (2018) on Stanford",
        ge=0.0,
        le=1.0,
    )
    E_spin: float = parameter(
        10.0,
        "employees at which the spin-off size factor E / E_spin is 1",
        "persons",
        gt=0.0,
    )
    phi: float = parameter(
        0.3, "share of the parent's tacit knowledge a spin-off carries", "", ge=0.0, le=1.0
    )
    sigma_spin: float = parameter(
        2.0,
        "distance of a spin-off from its parent (s.d. of a Gaussian)",
        "km",
        "Klepper (2007) on Detroit",
        ge=0.0,
    )
    spin_local: float = parameter(
        1.0,
        "share of spin-offs that settle near their parent (the others locate as outside "
        "entrants do)",
        "",
        "Klepper (2007) on Detroit; Buenstorf and Klepper (2009) on Akron: spin-offs locate "
        "near their parents",
        ge=0.0,
        le=1.0,
    )
    founders: int = parameter(
        2, "employees who found a new firm (at least, for a spin-off)", "persons", ge=1, le=1000
    )
    spin_share: float = parameter(
        0.1,
        "share of the parent's employees who leave with a spin-off's founders",
        "",
        "Klepper (2007): spin-offs inherit their parents' capabilities",
        ge=0.0,
        lt=1.0,
    )
    m_entry: float = parameter(
        60.0,
        "potential outside entrants per year (times Q and 1 + stimulus)",
        "1/year",
        "assumed; Klepper (1996): a stream of potential entrants each year",
        ge=0.0,
    )
    pull: float = parameter(
        0.0,
        "share of entrants choosing a region by its knowledge (agglomeration pull)",
        "",
        "Klepper (2007); Buenstorf and Klepper (2009): outside entrants did not flock to "
        "the clusters, spin-offs made them",
        ge=0.0,
        le=1.0,
    )
    entrant_knowledge: float = parameter(
        0.5, "mean tacit knowledge per field of an outside entrant", "units", ge=0.0
    )
    entrant_cost_gap: float = parameter(
        0.0,
        "unit-cost disadvantage of an outside entrant over the industry's first unit cost",
        "",
        "Klepper (1996): entrants start at the common cost; process know-how is the firm's own",
        ge=0.0,
    )
    wealth: float = parameter(5.0, "mean wealth of a founder (exponential)", "MU", gt=0.0)
    entry_cost: float = parameter(
        5.0, "cost of founding a firm, paid from wealth and grants", "MU", ge=0.0
    )
    stimulus: float = parameter(
        0.0,
        "stimulation of entrepreneurship: rates of spin-off and entry times 1 + stimulus",
        "",
        "seed 000 (stimulation of entrepreneurship)",
        ge=0.0,
    )
    entry_cost_cut: float = parameter(
        0.0,
        "share of the entry cost removed by policy (stimulation)",
        "",
        "seed 000 (stimulation of entrepreneurship)",
        ge=0.0,
        le=1.0,
    )


class MarketParams(Section):
    """Demand over the industry life cycle, price, profits and growth."""

    demand0: float = parameter(
        1500.0,
        "demand of the logistic life cycle at t = 0",
        "MU/year",
        "assumed; the shakeout does not need a demand life cycle (docs/validation.md)",
        gt=0.0,
    )
    demand_max: float = parameter(
        20000.0,
        "saturation demand of the logistic life cycle",
        "MU/year",
        "assumed; it sets the scale of the industry",
        gt=0.0,
    )
    growth: float = parameter(
        0.3,
        "logistic growth rate of demand",
        "1/year",
        "assumed; Gort and Klepper (1982): new products diffuse over decades",
        ge=0.0,
        le=5.0,
    )
    decline_start: int = parameter(
        0, "step from which demand declines (0: no decline)", "step", ge=0
    )
    decline: float = parameter(
        0.0, "share of demand lost per year after decline_start", "1/year", ge=0.0, le=1.0
    )
    productivity: float = parameter(
        1.0,
        "output per employee at the first unit cost",
        "units/person/year",
        "a normalisation: it defines the unit of output",
        gt=0.0,
    )
    congestion: float = parameter(
        0.35,
        "elasticity of unit cost to crowding (a region's output over the mean region's), "
        "above the mean",
        "",
        "assumed: set by hand on seeds 0-9 before the life-cycle rebuild; Combes, Duranton and "
        "Gobillon (2019) measure 0.04 for urban costs (docs/validation.md)",
        ge=0.0,
        le=2.0,
    )
    unit_cost: float = parameter(
        1.0,
        "unit cost of a firm at start (the industry's first unit cost c_0)",
        "MU/unit",
        "a normalisation: it defines the money unit",
        gt=0.0,
    )
    fixed_cost: float = parameter(
        0.0,
        "fixed cost of a firm",
        "MU/year",
        "sourced: Klepper (1996) has no fixed cost of production; a scale economy of its own",
        ge=0.0,
    )
    hiring: float = parameter(
        0.38,
        "employment growth per unit of profit margin",
        "1/year",
        "calibrated (as research.cost_step) to the persistence of job creation and destruction "
        "(Davis and Haltiwanger 1992); Klepper (1996): growth is costly, so gradual",
        ge=0.0,
        le=10.0,
    )
    growth_noise: float = parameter(
        0.21,
        "standard deviation of the idiosyncratic annual growth rate of employment",
        "1/year",
        "calibrated (as research.cost_step) to gross job reallocation, 19.4% a year (Davis, "
        "Haltiwanger and Schuh 1996); size-independent: Gibrat's law (Sutton 1997)",
        ge=0.0,
        le=1.0,
    )


class MobilityParams(Section):
    """Labour mobility between nearby organisations."""

    p_move: float = parameter(
        0.05,
        "share of employees changing employer per year",
        "1/year",
        "Casper (2007)",
        ge=0.0,
        le=1.0,
    )
    r_mob: float = parameter(
        10.0,
        "side of the labour-market cells movers stay within",
        "km",
        "Casper (2007): mobility within the regional labour market",
        gt=0.0,
    )
    carry: float = parameter(
        0.5,
        "share of a mover's per-capita tacit knowledge copied to the new employer",
        "",
        "Almeida and Kogut (1999)",
        ge=0.0,
        le=1.0,
    )


class GovernmentParams(Section):
    """Government leadership: a budget and its instruments (seed 000)."""

    tax: float = parameter(
        0.02, "share of last year's cluster revenue in the budget", "", ge=0.0, le=1.0
    )
    exogenous: float = parameter(20.0, "budget from outside the cluster", "MU/year", ge=0.0)
    subsidy: float = parameter(0.3, "budget share of R&D subsidies", "", ge=0.0, le=1.0)
    grants: float = parameter(0.2, "budget share of start-up grants", "", ge=0.0, le=1.0)
    zone: float = parameter(0.1, "budget share of the planned zone", "", ge=0.0, le=1.0)
    institutes: float = parameter(0.3, "budget share of institute funding", "", ge=0.0, le=1.0)
    intermediaries: float = parameter(0.1, "budget share of intermediaries", "", ge=0.0, le=1.0)
    targeted: bool = parameter(
        False,
        "subsidies only for firms focused on the strategic fields",
        source="seed 000: concentrate on the major ones and free the others",
    )
    M: int = parameter(3, "number of strategic fields", "", ge=1, le=512)
    strategic_fields: list[int] = parameter(
        [], "the strategic fields (empty: the M fields with most knowledge at step 1)"
    )
    zone_regions: list[int] = parameter(
        [], "regions of the planned zone, row * R + col (empty: the central 2 x 2)"
    )
    zone_pull: float = parameter(
        2.0,
        "extra weight of a zone region in entrants' location choice while the zone is funded",
        "",
        ge=0.0,
    )
    grant_size: float = parameter(3.0, "start-up grant per new firm", "MU", gt=0.0)
    intermediary_cost: float = parameter(
        100.0, "cost of establishing an intermediary", "MU", gt=0.0
    )
    anchor_steps: list[int] = parameter(
        [], "steps at which an anchor organisation is introduced", "step"
    )
    anchor_kind: Literal["institute", "leader"] = parameter(
        "institute", "kind of the anchor organisations"
    )
    anchor_x: float = parameter(50.0, "position of the anchors, east", "km", ge=0.0)
    anchor_y: float = parameter(50.0, "position of the anchors, north", "km", ge=0.0)
    anchor_knowledge: float = parameter(
        20.0, "tacit knowledge per field of an anchor", "units", ge=0.0
    )
    anchor_employees: int = parameter(100, "employees of an anchor", "persons", ge=1)
    anchor_cost: float = parameter(100.0, "cost of introducing one anchor", "MU", ge=0.0)

    @model_validator(mode="after")
    def _shares_at_most_one(self) -> GovernmentParams:
        total = sum(getattr(self, name) for name in INSTRUMENTS if name != "anchors")
        if total > 1.0 + 1e-12:
            raise ValueError(
                f"the budget shares of the instruments sum to {total:g}; expected at most 1"
            )
        return self


class InstitutionsParams(Section):
    """Institutional quality ``Q`` and its co-evolution with knowledge (seed 004)."""

    Q0: float = parameter(
        0.7,
        "institutional quality Q at start, scaling research and entrepreneurship",
        "",
        "North (1990)",
        ge=0.0,
        le=1.0,
    )
    p_reform: float = parameter(
        0.5,
        "reform probability per year at full responsiveness and knowledge growth g_ref",
        "1/year",
        "seed 004: knowledge, organisation and institution co-evolve",
        ge=0.0,
        le=1.0,
    )
    responsiveness: float = parameter(
        0.5, "government responsiveness: scales the reform probability", "", ge=0.0, le=1.0
    )
    g_ref: float = parameter(
        0.1, "knowledge growth rate at which reform pressure is full", "1/year", gt=0.0
    )
    lift: float = parameter(
        0.1, "share of the gap to Q = 1 a reform closes", "", "North (1990)", ge=0.0, le=1.0
    )
    decay: float = parameter(
        0.01, "share of Q lost in a year without reform", "1/year", ge=0.0, le=1.0
    )
    variety_demand: float = parameter(
        0.5,
        "demand gain from variety: demand times 1 + variety_demand (H / log D - 1/2)",
        "",
        "Frenken, Van Oort and Verburg (2007)",
        ge=0.0,
        le=2.0,
    )


class SeciParams(Section):
    """Knowledge conversion: socialisation, externalisation, combination, internalisation."""

    socialisation: float = parameter(
        0.05,
        "share of the tacit gap to a partner (times tie strength) or co-located "
        "neighbour absorbed per year",
        "1/year",
        NT,
        ge=0.0,
        le=1.0,
    )
    r_tacit: float = parameter(
        1.0,
        "co-location radius of socialisation (shorter than spillover.r_geo)",
        "km",
        "Gertler (2003): tacit knowledge needs proximity",
        gt=0.0,
    )
    externalisation: float = parameter(
        0.02,
        "share of tacit knowledge codified into explicit knowledge per year",
        "1/year",
        NT,
        ge=0.0,
        le=1.0,
    )
    units_per_patent: float = parameter(
        5.0, "codified knowledge units that make one expected patent", "units", gt=0.0
    )
    combination: float = parameter(
        0.1,
        "share of the gap to the platform's pooled explicit knowledge a member draws per "
        "year (times language and A_i)",
        "1/year",
        NT,
        ge=0.0,
        le=1.0,
    )
    internalisation: float = parameter(
        0.05,
        "share of the gap from tacit to explicit knowledge internalised per year (times A_i)",
        "1/year",
        NT + "; " + COHEN,
        ge=0.0,
        le=1.0,
    )


class AlliancesParams(Section):
    """Partner search, acceptance at intermediate proximity, ageing and dissolution."""

    p_seek: float = parameter(
        0.2,
        "probability per year that an organisation looks for a partner",
        "1/year",
        "Gilbert, Pyka and Ahrweiler (2001), SKIN",
        ge=0.0,
        le=1.0,
    )
    r_partner: float = parameter(
        10.0,
        "side of the local cells partners are found in without an intermediary",
        "km",
        gt=0.0,
    )
    prox_opt: float = parameter(
        0.6,
        "technological proximity of the most likely accepted partner",
        "",
        "Nooteboom (2000): optimal cognitive distance",
        ge=0.0,
        le=1.0,
    )
    prox_width: float = parameter(
        0.15, "width (s.d.) of acceptance around prox_opt", "", "Nooteboom (2000)", gt=0.0
    )
    match_share: float = parameter(
        0.5,
        "share of searches a nearby intermediary turns into a firm-institute match "
        "drawn from the whole cluster",
        "",
        "Howells (2006)",
        ge=0.0,
        le=1.0,
    )
    growth: float = parameter(
        0.1, "strength gained by an alliance per year of use", "1/year", ge=0.0
    )
    max_strength: float = parameter(3.0, "largest tie strength", "", ge=1.0)
    q_alliance: float = parameter(
        0.1,
        "dissolution probability per year of a tie of strength 1 (divided by strength)",
        "1/year",
        "Gilbert, Pyka and Ahrweiler (2001)",
        ge=0.0,
        le=1.0,
    )


class GovernanceParams(Section):
    """Knowledge governance regimes and platforms (seed 004)."""

    regime: Literal["none", "supply", "connect", "platform", "adaptive"] = parameter(
        "adaptive", "the knowledge governance regime", source="seed 004"
    )
    T_gov: int = parameter(
        5, "years between diagnoses of the adaptive regime", "years", ge=1, le=1000
    )
    budget: float = parameter(50.0, "money of the governance regime", "MU/year", ge=0.0)
    match_cost: float = parameter(
        1.0, "cost of one brokered firm-institute match of the connect action", "MU", gt=0.0
    )
    platform_owner: Literal["public", "private"] = parameter(
        "public",
        "who builds and runs the platform",
        source="seed 004: Zhongguancun (public), Hangzhou e-commerce (private)",
    )
    public_growth: float = parameter(
        0.05,
        "share of non-members joining a public platform per year (open to all)",
        "1/year",
        ge=0.0,
        le=1.0,
    )
    private_growth: float = parameter(
        0.5,
        "share of the owner's partners and fee payers joining a private platform per year",
        "1/year",
        ge=0.0,
        le=1.0,
    )
    fee_share: float = parameter(
        0.02,
        "share of other firms willing to pay a private platform's fee per year",
        "1/year",
        ge=0.0,
        le=1.0,
    )
    language_public: float = parameter(
        0.5,
        "common-language factor of a public platform, growing towards 1 with its age",
        "",
        "seed 004: a common culture and language",
        ge=0.0,
        le=1.0,
    )
    language_private: float = parameter(
        0.8,
        "common-language factor of a private platform (the owner's standards)",
        "",
        ge=0.0,
        le=1.0,
    )
    knowledge_threshold: float = parameter(
        100.0,
        "patent stock per 100 organisations above which knowledge scores high",
        "patents per 100 organisations",
        ge=0.0,
    )
    alliance_threshold: float = parameter(
        0.4,
        "alliances per organisation above which alliances score high",
        "alliances per organisation",
        ge=0.0,
    )


class OpennessParams(Section):
    """Interaction with the outside world: latecomer learning and FDI."""

    openness: float = parameter(
        0.02,
        "share of the gap to the outside frontier absorbed per year (times A_i)",
        "1/year",
        "Mathews (2002) on latecomer learning",
        ge=0.0,
        le=1.0,
    )
    frontier0: float = parameter(5.0, "outside frontier per field at start", "units", ge=0.0)
    g_frontier: float = parameter(
        0.02, "growth rate of the outside frontier", "1/year", ge=0.0, le=1.0
    )
    fdi_rate: float = parameter(
        0.1,
        "expected foreign leaders arriving per year",
        "1/year",
        "Finegold, Wong and Cheah (2004) on Singapore",
        ge=0.0,
    )
    fdi_knowledge: float = parameter(
        1.0, "knowledge of a foreign leader as a multiple of the frontier", "", ge=0.0
    )


class CitationsParams(Section):
    """How a new patent cites earlier ones (the citations table)."""

    per_patent: float = parameter(
        6.0,
        "mean citations a patent makes to earlier patents (Poisson)",
        "citations",
        "Hall, Jaffe and Trajtenberg (2001): US utility patents made 5 to 10 on average, 1975-1999",
        ge=0.0,
        le=1000.0,
    )
    background: float = parameter(
        0.63,
        "share of citations drawn from the field's whole stock, not through a channel of "
        "learning (prior art added by examiners)",
        "",
        "Alcacer, Gittelman and Sampat (2009): examiners added 63% of the citations of the "
        "average US patent granted 2001-2003",
        ge=0.0,
        le=1.0,
    )


class ClusterMechanisms(Section):
    """Which mechanisms of the cluster model run; a switched-off one leaves its fields alone."""

    government: bool = True
    spillover: bool = True
    research: bool = True
    citations: bool = True
    entrepreneurship: bool = True
    market: bool = True
    mobility: bool = True
    alliances: bool = True
    seci: bool = True
    governance: bool = True
    institutions: bool = True
    openness: bool = True
    depreciation: bool = True


class ClusterScenario(ScenarioBase):
    """The cluster model: the forming mechanisms of an innovation cluster (``docs/model.md``)."""

    model: Literal["cluster"] = "cluster"
    steps: int = parameter(80, "steps (years) to simulate", "years", ge=1, le=100_000)
    space: SpaceParams = SpaceParams()
    population: PopulationParams = PopulationParams()
    knowledge: KnowledgeParams = KnowledgeParams()
    spillover: SpilloverParams = SpilloverParams()
    research: ResearchParams = ResearchParams()
    entrepreneurship: EntrepreneurshipParams = EntrepreneurshipParams()
    market: MarketParams = MarketParams()
    mobility: MobilityParams = MobilityParams()
    government: GovernmentParams = GovernmentParams()
    institutions: InstitutionsParams = InstitutionsParams()
    seci: SeciParams = SeciParams()
    alliances: AlliancesParams = AlliancesParams()
    governance: GovernanceParams = GovernanceParams()
    openness: OpennessParams = OpennessParams()
    citations: CitationsParams = CitationsParams()
    mechanisms: ClusterMechanisms = ClusterMechanisms()

    @model_validator(mode="after")
    def _fields_and_regions_exist(self) -> ClusterScenario:
        g, D, R = self.government, self.space.D, self.space.R
        bad = [f for f in g.strategic_fields if not 0 <= f < D]
        if bad:
            raise ValueError(f"government.strategic_fields {bad}: expected fields 0..{D - 1}")
        bad = [r for r in g.zone_regions if not 0 <= r < R * R]
        if bad:
            raise ValueError(f"government.zone_regions {bad}: expected regions 0..{R * R - 1}")
        if g.anchor_x > self.space.L or g.anchor_y > self.space.L:
            raise ValueError(
                f"government.anchor_x, anchor_y: expected a position in the {self.space.L:g} km "
                "square"
            )
        return self
