"""The state of the cluster model: organisation fields, kinds, the world, shared knowledge.

The world holds the cluster-wide scalars; the shared knowledge quantities are those every
mechanism reads the same way.

Mechanisms import this module and never each other. They communicate only through the fields
documented here: each mechanism's docstring lists the fields it reads and writes.

Organisation fields (one row per live organisation; ``D`` technology fields):

============  =========  ======================================================================
field         dtype      meaning
============  =========  ======================================================================
kind          int8       :data:`FIRM`, :data:`LEADER`, :data:`INSTITUTE`, :data:`INTERMEDIARY`
x, y          float64    position, km, in ``[0, L]``
region        int32      region ``row * R + col`` of the ``R x R`` grid
tacit         (n, D)     tacit knowledge by field, units >= 0
explicit      (n, D)     explicit (codified) knowledge by field, units >= 0
capital       float64    MU; a firm or leader whose capital falls below 0 exits
employees     int64      persons
unit_cost     float64    MU per unit of output (firms and leaders)
quality       float64    product quality (firms and leaders), 1 at the start of the industry
revenue       float64    MU in the last market step
margin        float64    profit / revenue in the last market step (NaN before the first)
subsidy       float64    MU of public R&D money received this step (government)
relief        float64    MU of costs paid by the planned zone this step (government)
supply        float64    MU of research money from the governance regime this step (governance)
pool          float64    usable local knowledge pool this step, units (spillover; 0 without it)
member        int8       1 if the organisation is a member of the knowledge platform
rd            float64    MU of R&D money this step (research)
rd_process    float64    share of that money spent on process R&D (firms and leaders; research)
learned       (n, C)     knowledge gained by each channel of :data:`CHANNELS`, units >= 0,
                         depreciating as knowledge does: what a patent's citations follow
held          (n, D)     patents the organisation has filed, by field (citations)
============  =========  ======================================================================

``born`` and ``parent`` (org id of the parent of a spin-off, -1 if none) are built into
:class:`~innocluster.core.state.Population`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba
import numpy as np

from innocluster.core.space import cell_of
from innocluster.core.state import FieldSpec
from innocluster.measures import perpetual_inventory
from innocluster.tables import KINDS

__all__ = [
    "FIRM",
    "LEADER",
    "INSTITUTE",
    "INTERMEDIARY",
    "KIND_NAMES",
    "World",
    "organisation_fields",
    "knowledge_stock",
    "absorptive_capacity",
    "is_producer",
    "capacity",
    "region_of",
    "alliance_rows",
    "file_patents",
    "patents_of_step",
    "partner_ids",
    "draw_fields",
    "cluster_stocks",
    "CHANNELS",
    "LEARNED",
    "channel",
]

#: Kind codes to the names used in the organizations table (:data:`innocluster.tables.KINDS`).
KIND_NAMES = np.array(KINDS)
FIRM, LEADER, INSTITUTE, INTERMEDIARY = (
    KINDS.index(name) for name in ("firm", "leader", "institute", "intermediary")
)


#: The channels by which an organisation acquires knowledge, and so cites: its own research,
#: spillover from neighbours, alliance partners and co-located organisations (socialisation),
#: movers' former employers, the platform (combination), a spin-off's parent, the outside
#: frontier, and a background draw from the field's stock (the last has no column in
#: ``learned``; see :mod:`~innocluster.models.cluster.mechanisms.citations`).
CHANNELS = (
    "own",
    "spillover",
    "alliance",
    "colocation",
    "mobility",
    "platform",
    "parent",
    "frontier",
    "background",
)
#: The channels recorded in the ``learned`` field (every one but ``background``).
LEARNED = CHANNELS[:-1]


def channel(name: str) -> int:
    """The column of ``learned`` that records the channel ``name`` (one of :data:`LEARNED`)."""
    return LEARNED.index(name)


@dataclass
class World:
    """Cluster-wide scalars and arrays (the government, the market, the policy layout).

    Attributes:
        Q: institutional quality in [0, 1].
        demand: market demand of the step, MU/year (market).
        maturity: demand over saturation demand, in [0, 1]; the stage of demand, which sets
            the knowledge elasticity of research (market writes, research reads).
        price: market price per quality-weighted unit of the step, MU (market).
        revenue: total revenue of firms and leaders in the last market step, MU (market).
        congestion: float ``(R * R,)``, unit-cost multiplier of each region from crowding in
            the last market step, >= 1 (market writes, entrepreneurship reads).
        strategic: bool ``(D,)``, the strategic fields of targeted subsidies (government).
        zone: bool ``(R * R,)``, regions of the planned zone (government).
        location_weight: float ``(R * R,)``, multiplier of entrants' location choice (government).
        grant_pool: MU available for start-up grants (government adds, entrepreneurship spends).
        intermediary_fund: MU saved towards new intermediaries (government).
        patents_filed: patents filed so far: the next patent id (research, seci).
        demand_factor: multiplier of market demand from variety (institutions).
        frontier: float ``(D,)``, the outside world's knowledge per field (openness).
        platform_owner: org id of a private platform's owner, -1 for a public platform or none.
        platform_age: years since the platform was built; 0 when there is none (governance).
        language: common-language factor of the platform in [0, 1] (governance).
        connect: intensity of the connect instrument this year, >= 0 (governance).
        phase, action: the last diagnosis of the cluster's phase and the governance it applies.
        knowledge_total: total knowledge at the end of the last institutions step.
        patent_keys, patent_index: the patents filed before this year, sorted by
            ``field * 2**32 + org_id`` and, within a key, by id: ``patent_keys`` the keys and
            ``patent_index`` the ids (citations writes, to find what an organisation can cite).
    """

    Q: float
    D: int
    regions: int
    demand: float = 0.0
    maturity: float = 0.0
    price: float = float("nan")
    revenue: float = 0.0
    congestion: np.ndarray = field(default_factory=lambda: np.zeros(0))
    strategic: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    zone: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    location_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    grant_pool: float = 0.0
    intermediary_fund: float = 0.0
    patents_filed: int = 0
    demand_factor: float = 1.0
    frontier: np.ndarray = field(default_factory=lambda: np.zeros(0))
    platform_owner: int = -1
    platform_age: int = 0
    language: float = 0.0
    connect: float = 0.0
    phase: str = ""
    action: str = "none"
    knowledge_total: float = float("nan")
    patent_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    patent_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        if len(self.strategic) == 0:
            self.strategic = np.zeros(self.D, dtype=bool)
        if len(self.zone) == 0:
            self.zone = np.zeros(self.regions, dtype=bool)
        if len(self.location_weight) == 0:
            self.location_weight = np.ones(self.regions)
        if len(self.congestion) == 0:
            self.congestion = np.ones(self.regions)


def organisation_fields(D: int) -> list[FieldSpec]:
    """The per-organisation fields of the cluster model with ``D`` technology fields."""
    return [
        FieldSpec("kind", "int8"),
        FieldSpec("x", "float64"),
        FieldSpec("y", "float64"),
        FieldSpec("region", "int32"),
        FieldSpec("tacit", "float64", width=D),
        FieldSpec("explicit", "float64", width=D),
        FieldSpec("capital", "float64"),
        FieldSpec("employees", "int64"),
        FieldSpec("unit_cost", "float64"),
        FieldSpec("quality", "float64", fill=1.0),
        FieldSpec("revenue", "float64"),
        FieldSpec("margin", "float64", fill=np.nan),
        FieldSpec("subsidy", "float64"),
        FieldSpec("relief", "float64"),
        FieldSpec("supply", "float64"),
        FieldSpec("pool", "float64"),
        FieldSpec("member", "int8"),
        FieldSpec("rd", "float64"),
        FieldSpec("rd_process", "float64"),
        FieldSpec("learned", "float64", width=len(LEARNED)),
        FieldSpec("held", "float64", width=D),
    ]


def knowledge_stock(tacit: np.ndarray, explicit: np.ndarray) -> np.ndarray:
    """``K_i = sum_d (tacit_id + explicit_id)``, units, shape ``(n,)``."""
    return _row_totals(tacit, explicit)


@numba.njit(parallel=True, cache=True)
def _row_totals(tacit, explicit):
    # One pass over both (n, D) arrays; each row summed by one thread in field order.
    n, dims = tacit.shape
    out = np.empty(n)
    for i in numba.prange(n):
        total = 0.0
        for d in range(dims):
            total += tacit[i, d] + explicit[i, d]
        out[i] = total
    return out


def absorptive_capacity(K: np.ndarray, K_half: float) -> np.ndarray:
    """``A_i = K_i / (K_i + K_half)`` in ``[0, 1)`` (Cohen and Levinthal 1990), shape ``(n,)``."""
    return K / (K + K_half)


def is_producer(kind: np.ndarray) -> np.ndarray:
    """Firms and leaders: the organisations that sell on the market, bool ``(n,)``."""
    return kind <= LEADER


def capacity(employees: np.ndarray, unit_cost: np.ndarray, market) -> np.ndarray:
    """Output of each producer, units/year ``(n,)``: ``productivity * E_i * c_0 / c_i``.

    The unit cost is the wage bill over labour productivity: a process innovation that cuts
    the unit cost ``c_i`` below the industry's first cost ``c_0`` (``market.unit_cost``) lets
    each employee make proportionally more, so the wage bill per employee stays
    ``c_0 * productivity``.
    """
    per_unit = np.divide(
        market.unit_cost, unit_cost, out=np.zeros(np.shape(unit_cost)), where=unit_cost > 0
    )
    return market.productivity * employees * per_unit


def region_of(x: np.ndarray, y: np.ndarray, L: float, R: int) -> np.ndarray:
    """Region ``row * R + col`` of positions in the ``L`` km square, int32 ``(n,)``."""
    return cell_of(x, y, R, L).astype(np.int32)


def alliance_rows(orgs, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the alliance ends ``a``, ``b`` (org ids) among the live organisations.

    A lookup table from org id to row (ids are below ``orgs.next_id``) finds them in one pass.
    Every end must be alive (exits end their alliances).
    """
    row = np.empty(orgs.next_id, dtype=np.int64)
    row[orgs["org_id"]] = np.arange(orgs.n)
    return row[a], row[b]


def cluster_stocks(state) -> tuple[float, float]:
    """The cluster's knowledge and alliance stock indices, as the phase diagnosis reads them.

    Knowledge: the perpetual-inventory patent stock ``S_t = 0.85 S_{t-1} + P_t`` (the measures'
    :func:`~innocluster.measures.perpetual_inventory`) over the years so far, per 100
    organisations. Alliances: active alliances per organisation.
    """
    counts = np.zeros(state.step + 1)
    for chunk in state.patents:  # one chunk per mechanism and year: cheap to count
        if len(chunk["year"]):
            counts[chunk["year"][0]] += len(chunk["year"])
    stock = float(perpetual_inventory(counts)[-1])
    per = max(state.orgs.n, 1)
    return 100.0 * stock / per, len(state.alliances) / per


def draw_fields(profile: np.ndarray, owner: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """Draw field ``d`` for each event with probability ``profile[owner, d] / sum``.

    Inverse-CDF sampling; an owner with an all-zero profile draws uniformly.

    Args:
        profile: non-negative weights ``(n, D)`` (knowledge, codified amounts).
        owner: the row of each event ``(m,)``.
        uniforms: one draw in ``[0, 1)`` per event ``(m,)``.

    Returns:
        The fields, int64 ``(m,)``.
    """
    D = profile.shape[1]
    cum = np.cumsum(profile[owner], axis=1)
    total = cum[:, -1]
    drawn = np.minimum((cum <= (uniforms * total)[:, None]).sum(axis=1), D - 1)
    flat = np.minimum((uniforms * D).astype(np.int64), D - 1)
    return np.where(total > 0, drawn, flat)


def file_patents(state, rows: np.ndarray, fields: np.ndarray) -> None:
    """Append patents of the organisations at ``rows`` in ``fields`` (one each), filed now.

    Ids continue from the world's ``patents_filed``; position is the owner's at filing.
    """
    orgs, world = state.orgs, state.world
    first = world.patents_filed
    world.patents_filed += len(rows)
    state.patents.append(
        {
            "patent_id": np.arange(first, first + len(rows), dtype=np.int64),
            "org_id": orgs["org_id"][rows],
            "year": np.full(len(rows), state.step, dtype=np.int32),
            "field": np.asarray(fields, dtype=np.int32),
            "x": orgs["x"][rows],
            "y": orgs["y"][rows],
        }
    )


def patents_of_step(chunks: list, step: int, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The columns ``names`` of the patents filed at ``step``, in filing order.

    They are the last chunks of ``state.patents`` (one per patenting mechanism and step);
    without any, empty arrays (positions float64, the other columns int64).
    """
    recent = []
    for chunk in reversed(chunks):
        if len(chunk["year"]) and chunk["year"][0] != step:
            break
        recent.append(chunk)
    recent.reverse()
    if not recent:
        return {n: np.zeros(0, dtype=np.float64 if n in ("x", "y") else np.int64) for n in names}
    return {name: np.concatenate([c[name] for c in recent]) for name in names}


def partner_ids(alliances, org_id: int) -> np.ndarray:
    """Org ids of the active partners of ``org_id``."""
    return np.concatenate([alliances.b[alliances.a == org_id], alliances.a[alliances.b == org_id]])
