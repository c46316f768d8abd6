"""The cluster model: how an innovation cluster forms (seed 000), on the engine's arrays.

Organisations of four kinds (firms, leading companies, research institutes, intermediaries)
start spread uniformly over an ``L`` km square. Each year the mechanisms run in this order,
each one switchable in ``[mechanisms]`` and seeded by its own name:

1. ``government``: the budget and its instruments (seed 000);
2. ``governance``: the knowledge governance regime and the platform (seed 004);
3. ``spillover``: explicit knowledge leaks locally;
4. ``alliances``: partners are sought, accepted, strengthened, dropped;
5. ``seci``: socialisation, externalisation, combination, internalisation;
6. ``research``: the knowledge production function, innovations, patents;
7. ``citations``: this year's patents cite earlier ones through the channels of learning;
8. ``entrepreneurship``: spin-offs, academic spin-offs, outside entrants;
9. ``market``: demand over the life cycle, price, profits, growth, exit;
10. ``mobility``: employees move between nearby firms with their know-how;
11. ``institutions``: reforms and institutional quality, variety and demand;
12. ``openness``: learning from the outside frontier, foreign direct investment;
13. ``depreciation``: knowledge becomes obsolete.

The indicators are computed by the same functions that measure real clusters
(:mod:`innocluster.measures`). See ``docs/model.md`` for the equations and their sources.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from innocluster.core.spec import Mechanism, ModelSpec
from innocluster.core.state import Population, State
from innocluster.measures import (
    ellison_glaeser,
    entropy,
    gini,
    grid_contiguity,
    moran,
    transitivity,
)
from innocluster.models.cluster.mechanisms import (
    alliances,
    citations,
    depreciation,
    entrepreneurship,
    governance,
    government,
    institutions,
    market,
    mobility,
    openness,
    research,
    seci,
    spillover,
)
from innocluster.models.cluster.parameters import INSTRUMENTS, ClusterScenario
from innocluster.models.cluster.state import (
    CHANNELS,
    FIRM,
    INSTITUTE,
    INTERMEDIARY,
    KIND_NAMES,
    LEADER,
    World,
    alliance_rows,
    cluster_stocks,
    is_producer,
    knowledge_stock,
    organisation_fields,
    patents_of_step,
    region_of,
)
from innocluster.tables import Column

__all__ = ["MODEL", "top_share", "morans_i"]


def init(scenario: ClusterScenario, rng: np.random.Generator) -> State:
    """Step 0: the initial organisations, uniform over the square, and the world."""
    space, pop = scenario.space, scenario.population
    counts = {
        FIRM: pop.n_firms,
        LEADER: pop.n_leaders,
        INSTITUTE: pop.n_institutes,
        INTERMEDIARY: pop.n_intermediaries,
    }
    kind = np.repeat(np.array(list(counts), dtype=np.int8), list(counts.values()))
    n = len(kind)
    employees = np.select(
        [kind == FIRM, kind == LEADER, kind == INSTITUTE],
        [pop.firm_employees, pop.leader_employees, pop.institute_employees],
        2,
    )
    mean_knowledge = np.select(
        [kind == FIRM, kind == LEADER, kind == INSTITUTE],
        [pop.firm_knowledge, pop.leader_knowledge, pop.institute_knowledge],
        0.0,
    )
    capital = np.select([kind == FIRM, kind == LEADER], [pop.firm_capital, pop.leader_capital], 0.0)
    xy = rng.random((n, 2)) * space.L
    tacit = rng.exponential(1.0, (n, space.D)) * mean_knowledge[:, None]
    orgs = Population(organisation_fields(space.D), capacity=max(1024, 2 * n))
    orgs.add(
        0,
        kind=kind,
        x=xy[:, 0],
        y=xy[:, 1],
        region=region_of(xy[:, 0], xy[:, 1], space.L, space.R),
        tacit=tacit,
        capital=capital,
        employees=employees,
        unit_cost=np.where(is_producer(kind), scenario.market.unit_cost, 0.0),
    )
    world = World(
        Q=scenario.institutions.Q0,
        D=space.D,
        regions=space.R * space.R,
        frontier=np.full(space.D, scenario.openness.frontier0),
    )
    return State(orgs=orgs, world=world)


def observe(state: State, scenario: ClusterScenario) -> dict[str, float]:
    """One row of the indicators table (see :data:`INDICATORS`)."""
    orgs, world, flows = state.orgs, state.world, state.flows
    regions = scenario.space.R**2
    kind = orgs["kind"]
    producer = is_producer(kind)
    tacit, explicit = orgs["tacit"], orgs["explicit"]
    patents = patents_of_step(state.patents, state.step, ("x", "y"))
    patent_regions = region_of(patents["x"], patents["y"], scenario.space.L, scenario.space.R)
    per_region = np.bincount(patent_regions, minlength=regions).astype(float)
    orgs_per_region = np.bincount(orgs["region"], minlength=regions)
    process, product = flows.get("process", 0.0), flows.get("product", 0.0)
    row = {
        "n_orgs": orgs.n,
        "n_firms": int((kind == FIRM).sum()),
        "n_leaders": int((kind == LEADER).sum()),
        "n_institutes": int((kind == INSTITUTE).sum()),
        "n_intermediaries": int((kind == INTERMEDIARY).sum()),
        "entries": flows.get("entries", 0.0),
        "spinoffs": flows.get("spinoffs", 0.0),
        "exits": flows.get("exits", 0.0),
        "employees": int(orgs["employees"].sum()),
        "knowledge_tacit": float(tacit.sum()),
        "knowledge_explicit": float(explicit.sum()),
        "patents": float(len(patents["x"])),
        "citations": flows.get("citations", 0.0),
        "price": world.price,
        "demand": world.demand,
        "output": flows.get("output", 0.0),
        "process_share": process / (process + product) if process + product else np.nan,
        "gini_orgs_regions": gini(orgs_per_region) if orgs.n else np.nan,
        "gini_patents_regions": gini(per_region) if per_region.sum() else np.nan,
        "gini_employment_regions": _employment_gini(orgs, producer, regions),
        "eg_index": _eg_index(orgs, producer, regions),
        "morans_i_patents": morans_i(per_region, scenario.space.R),
        "tech_entropy": _entropy(tacit + explicit),
        "size_top10_share": top_share(orgs["employees"][producer], 0.1),
        "gov_spending": flows.get("gov_spending", 0.0),
    }
    for name in INSTRUMENTS:
        row[f"gov_{name}"] = flows.get(f"gov_{name}", 0.0)
    row.update(_network(state))
    K = knowledge_stock(tacit, explicit)
    knowledge_index, alliance_index = cluster_stocks(state)
    row.update(
        {
            "platform_members": int(orgs["member"].sum()),
            "platform_owner": float(world.platform_owner) if world.platform_owner >= 0 else np.nan,
            "platform_owner_share": flows.get("platform_owner_share", np.nan),
            "seci_socialization": flows.get("seci_socialization", 0.0),
            "seci_externalization": flows.get("seci_externalization", 0.0),
            "seci_combination": flows.get("seci_combination", 0.0),
            "seci_internalization": flows.get("seci_internalization", 0.0),
            "institutional_quality": world.Q,
            "reforms": flows.get("reforms", 0.0),
            "frontier_gap": _frontier_gap(world.frontier, explicit),
            "knowledge_gini_orgs": gini(K) if orgs.n else np.nan,
            "knowledge_stock_index": knowledge_index,
            "alliance_stock_index": alliance_index,
        }
    )
    row["phase"] = governance.diagnose(knowledge_index, alliance_index, scenario)[0]
    row["governance_action"] = world.action
    return row


def _network(state: State) -> dict[str, float]:
    n, ties = state.orgs.n, state.alliances
    if n < 2:
        return {
            "alliances": 0,
            "alliance_density": 0.0,
            "alliance_clustering": 0.0,
            "largest_component_share": 0.0,
        }
    rows_a, rows_b = alliance_rows(state.orgs, ties.a, ties.b)
    matrix = sp.csr_matrix(
        (np.ones(2 * len(ties)), (np.r_[rows_a, rows_b], np.r_[rows_b, rows_a])), shape=(n, n)
    )
    _, labels = connected_components(matrix, directed=False)
    return {
        "alliances": len(ties),
        "alliance_density": 2.0 * len(ties) / (n * (n - 1)),
        "alliance_clustering": transitivity(matrix),
        "largest_component_share": float(np.bincount(labels).max() / n),
    }


def _frontier_gap(frontier: np.ndarray, explicit: np.ndarray) -> float:
    # Share of the frontier the cluster's average organisation lacks, in [0, 1].
    if frontier.sum() <= 0 or len(explicit) == 0:
        return float("nan")
    return float(np.maximum(frontier - explicit.mean(axis=0), 0.0).sum() / frontier.sum())


def _employment_gini(orgs, producer: np.ndarray, regions: int) -> float:
    # The concentration of production, against which Audretsch and Feldman (1996) read the
    # concentration of innovation.
    E = np.bincount(orgs["region"][producer], orgs["employees"][producer], minlength=regions)
    return gini(E) if E.sum() else np.nan


def top_share(sizes: np.ndarray, top: float) -> float:
    """Share of the total held by the largest ``ceil(top * n)`` values (NaN if none or all 0)."""
    sizes = np.sort(np.asarray(sizes, dtype=float))[::-1]
    if len(sizes) == 0 or sizes.sum() <= 0:
        return float("nan")
    k = int(np.ceil(top * len(sizes)))
    return float(sizes[:k].sum() / sizes.sum())


_ROOK: dict[int, object] = {}


def morans_i(values: np.ndarray, R: int) -> float:
    """Moran's I of values over the ``R x R`` regions, rook contiguity, row-standardised.

    NaN when the values are all equal (the statistic is undefined).
    """
    if np.ptp(values) == 0:
        return float("nan")
    if R not in _ROOK:
        _ROOK[R] = grid_contiguity(R, "rook")
    return float(moran(values, _ROOK[R], permutations=0).I)


def _eg_index(orgs, producer, regions) -> float:
    sizes = orgs["employees"][producer]
    if producer.sum() < 2 or sizes.sum() <= 0:
        return float("nan")
    # One industry: the benchmark is area (equal regions), not the industry's own employment.
    result = ellison_glaeser(
        sizes, orgs["region"][producer], n_regions=regions, aggregate=np.ones(regions)
    )
    return float(result.gamma[0])


def _entropy(profile: np.ndarray) -> float:
    totals = profile.sum(axis=0, keepdims=True)
    return float(entropy(totals)[0]) if totals.sum() > 0 else float("nan")


def organizations(state: State, scenario: ClusterScenario) -> dict[str, np.ndarray]:
    """Columns of the organizations table: live organisations, then exited ones."""
    orgs, gone = state.orgs, state.orgs.exited()
    names = ("org_id", "x", "y", "region", "born", "parent", "employees", "kind")
    cols = {name: np.concatenate([orgs[name], gone[name]]) for name in names}
    cols["exited"] = np.concatenate([np.full(orgs.n, -1, dtype=np.int32), gone["exited"]])
    cols["kind"] = KIND_NAMES[cols["kind"]]
    profile = np.concatenate([orgs["tacit"] + orgs["explicit"], gone["tacit"] + gone["explicit"]])
    cols["field_focus"] = np.where(profile.max(axis=1, initial=0.0) > 0, profile.argmax(axis=1), -1)
    return cols


def _column(name: str, unit: str, meaning: str, dtype: str = "float64") -> Column:
    return Column(name, dtype, unit, meaning, nullable=dtype == "float64")


INDICATORS = (
    _column("n_orgs", "organisations", "live organisations after the step", "int64"),
    _column("n_firms", "organisations", "live firms", "int64"),
    _column("n_leaders", "organisations", "live leading companies", "int64"),
    _column("n_institutes", "organisations", "live research institutes", "int64"),
    _column("n_intermediaries", "organisations", "live intermediaries", "int64"),
    _column("entries", "organisations", "new firms this step (outside entrants and spin-offs)"),
    _column("spinoffs", "organisations", "new firms this step with a parent"),
    _column("exits", "organisations", "firms and leaders that exited this step"),
    _column("employees", "persons", "employees of all organisations", "int64"),
    _column("knowledge_tacit", "units", "tacit knowledge of all organisations"),
    _column("knowledge_explicit", "units", "explicit knowledge of all organisations"),
    _column("patents", "patents", "patents filed this step"),
    _column("citations", "citations", "citations made by this step's patents"),
    _column("price", "MU per quality unit", "market-clearing price"),
    _column("demand", "MU/year", "market demand"),
    _column("output", "units/year", "output of firms and leaders"),
    _column("process_share", "", "process innovations / innovations of firms and leaders"),
    _column("gini_orgs_regions", "", "Gini of organisation counts over the R x R regions"),
    _column("gini_patents_regions", "", "Gini of this step's patents over the regions"),
    _column(
        "gini_employment_regions", "", "Gini of firms' and leaders' employees over the regions"
    ),
    _column("eg_index", "", "Ellison-Glaeser index of firm and leader employment against area"),
    _column("morans_i_patents", "", "Moran's I of this step's patents by region (rook)"),
    _column("tech_entropy", "nats", "entropy of all knowledge over fields"),
    _column("size_top10_share", "", "employee share of the largest 10% of firms and leaders"),
    _column("gov_spending", "MU", "government money allocated this step"),
    *(
        _column(f"gov_{name}", "MU", f"government money allocated to {name} this step")
        for name in INSTRUMENTS
    ),
    _column("alliances", "alliances", "active alliances", "int64"),
    _column("alliance_density", "", "alliances / possible pairs of organisations"),
    _column("alliance_clustering", "", "global clustering (transitivity) of the alliance network"),
    _column("largest_component_share", "", "organisations in the largest connected component"),
    _column("platform_members", "organisations", "members of the knowledge platform", "int64"),
    _column("platform_owner", "", "org_id of a private platform's owner (NaN: public or none)"),
    _column(
        "platform_owner_share",
        "",
        "share of the combination gain to a private owner and its partners (public: 0)",
    ),
    _column("seci_socialization", "units", "tacit knowledge gained by socialisation"),
    _column("seci_externalization", "units", "tacit knowledge codified (externalisation)"),
    _column("seci_combination", "units", "explicit knowledge gained on the platform (combination)"),
    _column("seci_internalization", "units", "tacit knowledge gained by internalisation"),
    _column("institutional_quality", "", "institutional quality Q after the step"),
    _column("reforms", "", "1 if an institutional reform happened this step"),
    _column("frontier_gap", "", "share of the outside frontier the average organisation lacks"),
    _column("knowledge_gini_orgs", "", "Gini of knowledge stocks K_i over organisations"),
    _column(
        "knowledge_stock_index",
        "patents per 100 organisations",
        "perpetual-inventory patent stock (15%) per 100 organisations",
    ),
    _column(
        "alliance_stock_index", "alliances per organisation", "active alliances per organisation"
    ),
    Column("phase", "string", "", "phase diagnosed from the two stock indices (DESIGN 4.2)"),
    Column("governance_action", "string", "", "the governance action applied this step"),
)


#: The mechanisms in the order they run each year (see the module docstring).
ORDER = (
    government,
    governance,
    spillover,
    alliances,
    seci,
    research,
    citations,
    entrepreneurship,
    market,
    mobility,
    institutions,
    openness,
    depreciation,
)

MODEL = ModelSpec(
    name="cluster",
    scenario=ClusterScenario,
    init=init,
    mechanisms=tuple(
        Mechanism(module.__name__.rsplit(".", 1)[-1], module.step, module.CONTRACT)
        for module in ORDER
    ),
    observe=observe,
    indicators=INDICATORS,
    organizations=organizations,
    channels=CHANNELS,
)
