"""The data of each panel's figure, computed once from a cluster folder and drawn twice.

Each ``*_data`` function turns a :class:`~innocluster.report.data.ClusterData` into plain arrays
(a small dataclass) with the measures of :mod:`innocluster.measures`; the interactive report
(:mod:`innocluster.report.interactive`, plotly) and the static figures
(:mod:`innocluster.report.static`, matplotlib) draw the same arrays. A function raises
:class:`~innocluster.report.data.Unavailable` with a sentence when the folder lacks its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError
from innocluster.report.data import ClusterData, Unavailable
from innocluster.tables import KINDS, PRODUCERS

__all__ = [
    "MapData",
    "NetworkData",
    "SeriesData",
    "PhaseData",
    "TechSpaceData",
    "map_data",
    "network_data",
    "lifecycle_data",
    "knowledge_data",
    "phase_data",
    "techspace_data",
    "concentration_data",
]


def marker_size(employees: np.ndarray) -> np.ndarray:
    """Marker diameter (px) growing with the log of employees: 1 -> 5, 100 -> 12, 10^4 -> 20."""
    return (4.0 + 4.0 * np.log10(1.0 + np.nan_to_num(employees, nan=1.0))).astype(np.float32)


# -- the map -----------------------------------------------------------------------------------


@dataclass
class MapFrame:
    """The organisations alive after one year, by kind, and the hot spots found among them.

    Attributes:
        year: the year (step).
        points: by kind, ``(x, y, size, org_id)`` arrays of the organisations alive (km, km,
            px, id).
        density: organisations per cell of the ``grid x grid`` map, ``(grid, grid)``, rows north.
        hulls: the outline of each hot spot, ``(k, 2)`` closed polygons, km.
        spots: one row per hot spot: organisations, share of those alive, centre (km).
    """

    year: int
    points: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
    density: np.ndarray
    hulls: list[np.ndarray]
    spots: pd.DataFrame


@dataclass
class MapData:
    """Map frames at a subsample of years; ``edges_x``/``edges_y`` bound the density cells (km)."""

    frames: list[MapFrame]
    edges_x: np.ndarray
    edges_y: np.ndarray
    sized: bool
    notes: list[str] = field(default_factory=list)


def frame_years(years: np.ndarray, max_frames: int) -> np.ndarray:
    """At most ``max_frames`` evenly spread years, first and last included."""
    if len(years) <= max_frames:
        return years
    pick = np.unique(np.round(np.linspace(0, len(years) - 1, max_frames)).astype(int))
    return years[pick]


def map_data(
    data: ClusterData,
    max_frames: int = 20,
    years: list[int] | None = None,
    *,
    min_strength: float = 0.5,
    contrast: float = 3.0,
) -> MapData:
    """Organisations by kind and size, cell densities and hot spots at up to ``max_frames`` years.

    Hot spots are HDBSCAN's (:func:`innocluster.measures.hotspots.hdbscan_hotspots`) over the
    positions of the organisations alive, with a smallest hot spot of 2% of them (at least 10)
    and members of at least ``min_strength`` (the cores); HDBSCAN finds groups even in points
    spread at random, so a group is kept only where its density (points over the area of its
    convex hull) is at least ``contrast`` times the map's mean density.
    Sizes are the employees recorded in the organizations table (at exit or at the end): the
    tables keep one value per organisation, not a yearly one.
    """
    from innocluster.measures.hotspots import hdbscan_hotspots

    orgs = data.organizations
    xmin, xmax, ymin, ymax = data.extent
    grid = data.grid
    edges_x = np.linspace(xmin, xmax, grid + 1)
    edges_y = np.linspace(ymin, ymax, grid + 1)
    sized = bool(orgs["employees"].notna().any())
    chosen = frame_years(data.years, max_frames) if years is None else np.asarray(years)
    frames = []
    for year in chosen:
        alive = data.alive(int(year))
        x = alive["x"].to_numpy(np.float64)
        y = alive["y"].to_numpy(np.float64)
        points = {}
        for kind in KINDS:
            rows = (alive["kind"] == kind).to_numpy()
            size = marker_size(alive["employees"].to_numpy(np.float64, na_value=np.nan)[rows])
            points[kind] = (
                x[rows].astype(np.float32),
                y[rows].astype(np.float32),
                size if sized else np.full(int(rows.sum()), 6.0, np.float32),
                alive["org_id"].to_numpy(np.int64)[rows].astype(np.int32),
            )
        density = np.histogram2d(y, x, bins=[edges_y, edges_x])[0].astype(np.int32)
        hulls, spots = [], pd.DataFrame(columns=["organisations", "share", "x", "y"])
        if len(x) >= 20:
            found = hdbscan_hotspots(
                x, y, min_cluster_size=max(10, len(x) // 50), min_strength=min_strength
            )
            mean_density = len(x) / ((xmax - xmin) * (ymax - ymin))
            dense = []
            for s in found.spots:
                hull, area = _hull(x[s.members], y[s.members])
                if s.n_points >= contrast * mean_density * area:
                    dense.append((s, hull))
            hulls = [hull for _, hull in dense]
            spots = pd.DataFrame(
                {
                    "organisations": [s.n_points for s, _ in dense],
                    "share": [s.n_points / len(x) for s, _ in dense],
                    "x": [s.centroid[0] for s, _ in dense],
                    "y": [s.centroid[1] for s, _ in dense],
                }
            )
        frames.append(MapFrame(int(year), points, density, hulls, spots))
    notes = [
        "Hot spots: HDBSCAN over the positions of the organisations alive (smallest hot spot "
        f"2% of them, at least 10; members of strength >= {min_strength:g}), kept where at least "
        f"{contrast:g} times as dense as the map on average; outlined by their convex hulls.",
        f"Density: organisations per cell of a {grid} x {grid} grid"
        + (" (the run's regions)." if data.scenario is not None else " over the data's extent."),
    ]
    if sized:
        notes.append(
            "Marker size: employees recorded at exit or at the end (one value per organisation)."
        )
    else:
        notes.append("The organizations table has no employees: all markers are one size.")
    if len(chosen) < len(data.years):
        notes.append(f"{len(chosen)} of {len(data.years)} years shown (evenly spread).")
    return MapData(frames, edges_x, edges_y, sized, notes)


def _hull(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Closed convex hull of points (``(k + 1, 2)``, km) and its area (km^2).

    When the points have no 2-D hull (collinear or repeated), the ring is the points themselves,
    closed, and the area 0.
    """
    from scipy.spatial import ConvexHull, QhullError

    pts = np.column_stack([x, y])
    try:
        hull = ConvexHull(pts)
        ring, area = pts[hull.vertices], float(hull.volume)
    except QhullError:
        ring, area = pts, 0.0
    return np.vstack([ring, ring[:1]]), area


# -- the alliance network ----------------------------------------------------------------------


@dataclass
class NetworkData:
    """The alliance network active in one year, laid out.

    Attributes:
        year: the year (step).
        nodes: one row per node drawn: ``org_id``, ``kind``, ``degree``, ``x``, ``y`` (layout
            units), ``owner`` (True for the platform owner).
        edges: ``(m, 2, 2)`` segment ends in layout units.
        total_nodes, total_edges: nodes and edges of the whole network before capping.
    """

    year: int
    nodes: pd.DataFrame
    edges: np.ndarray
    total_nodes: int
    total_edges: int
    notes: list[str] = field(default_factory=list)


def platform_owner(data: ClusterData) -> tuple[int | None, str]:
    """The platform owner's ``org_id`` (None if none or public) and a sentence on the platform.

    The cluster model records the owner in its ``platform_owner`` indicator. Without that
    column, for a run with a private platform, the owner is taken as the model's rule picks it
    (the leading company with most employees when the platform is first built,
    ``mechanisms/governance.py``), approximated with the employees recorded in the table.
    """
    action = data.column("governance_action")
    if action is None:
        return None, "The tables record no knowledge platform."
    built = np.flatnonzero(action == "platform")
    if built.size == 0:
        return None, "No knowledge platform was built in this run."
    first = int(data.years[built[0]])
    if data.scenario.governance.platform_owner == "public":
        return None, f"A public platform (run by government, no owner) was built in step {first}."
    recorded = data.column("platform_owner")
    if recorded is not None and np.isfinite(recorded[built[0]]):
        return int(recorded[built[0]]), (
            f"A private platform was built in step {first}; its owner is the star."
        )
    alive = data.alive(first)
    for kinds in (("leader",), PRODUCERS):
        candidates = alive[alive["kind"].isin(kinds)]
        if len(candidates):
            owner = int(candidates.loc[candidates["employees"].idxmax(), "org_id"])
            return owner, (
                f"A private platform was built in step {first}; its owner (star) is inferred as "
                "the model chooses it, the largest leading company then (by recorded employees)."
            )
    return None, f"A public platform was built in step {first}."


def network_data(
    data: ClusterData,
    year: int | None = None,
    max_edges: int = 1500,
    max_nodes: int = 450,
    seed: int = 0,
) -> NetworkData:
    """The alliances active in ``year`` (default the last), laid out by a seeded spring layout.

    Every intermediary alive is drawn, tied or not; beyond ``max_edges`` alliances or
    ``max_nodes`` organisations only the strongest alliances are drawn (ties broken by age).
    Layout: ``networkx.spring_layout`` with ``seed`` (Fruchterman and Reingold 1991); networkx
    switches to a much slower sparse solver from 500 nodes, hence the default node cap.
    """
    import networkx as nx

    year = data.last_year if year is None else int(year)
    a = data.alliances
    if len(a) == 0:
        raise Unavailable("The folder has no alliances: there is no alliance network to draw.")
    end = a["end"].to_numpy(np.float64, na_value=np.inf)
    active = a[(a["start"].to_numpy() <= year) & (end > year)]
    if len(active) == 0:
        raise Unavailable(f"No alliance is active in {year}.")
    total_edges = len(active)
    drawn = active.sort_values(["strength", "start"], ascending=[False, True]).head(max_edges)
    alive = data.alive(year)
    owner, platform_note = platform_owner(data)
    extra = alive.loc[alive["kind"] == "intermediary", "org_id"].tolist()
    if owner is not None:
        extra.append(owner)
    # The number of distinct organisations among the first k alliances and the extra nodes.
    ends = drawn[["org_a", "org_b"]].to_numpy().ravel()
    first_seen = np.zeros(ends.size, dtype=bool)
    first = np.unique(np.concatenate([np.asarray(extra, np.int64), ends]), return_index=True)[1]
    first_seen[first[first >= len(extra)] - len(extra)] = True
    seen = len(set(extra)) + np.cumsum(first_seen.reshape(-1, 2).sum(axis=1))
    drawn = drawn.iloc[: max(int(np.searchsorted(seen, max_nodes, "right")), 1)]
    graph = nx.Graph()
    graph.add_nodes_from(extra)
    graph.add_edges_from(zip(drawn["org_a"].tolist(), drawn["org_b"].tolist(), strict=True))
    total_nodes = len(set(active["org_a"]) | set(active["org_b"]) | set(extra))
    pos = nx.spring_layout(graph, seed=seed, iterations=50)
    ids = np.array(list(graph.nodes), dtype=np.int64)
    kind = data.organizations.set_index("org_id")["kind"].reindex(ids).fillna("unknown")
    xy = np.array([pos[i] for i in ids.tolist()])
    nodes = pd.DataFrame(
        {
            "org_id": ids,
            "kind": kind.to_numpy(),
            "degree": [graph.degree(i) for i in ids.tolist()],
            "x": xy[:, 0],
            "y": xy[:, 1],
            "owner": ids == (owner if owner is not None else -1),
        }
    )
    edges = np.array([[pos[u], pos[v]] for u, v in graph.edges]).reshape(-1, 2, 2)
    notes = [f"Alliances active in {year}: {total_edges:,} among {total_nodes:,} organisations."]
    if total_edges > len(drawn):
        notes.append(
            f"Only the {len(drawn):,} strongest alliances are drawn (at most {max_edges:,} "
            f"alliances and {max_nodes:,} organisations)."
        )
    notes.append("Every intermediary alive is drawn (diamonds), with or without alliances.")
    notes.append(platform_note)
    return NetworkData(year, nodes, edges, total_nodes, total_edges, notes)


# -- time series -------------------------------------------------------------------------------


@dataclass
class SeriesData:
    """Yearly series grouped into the rows of a figure.

    Attributes:
        years: ``(T,)``.
        rows: ``[(row title, {series name: (T,) values})]``, top to bottom.
        stages: the life-cycle stage of each year ``(T,)``, or None.
        secondary: series drawn on a right-hand axis of their row (e.g. price), by name.
    """

    years: np.ndarray
    rows: list[tuple[str, dict[str, np.ndarray]]]
    stages: np.ndarray | None = None
    secondary: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def lifecycle_data(data: ClusterData) -> SeriesData:
    """Firms, entries, exits, spin-offs, demand, output and price, with the life-cycle stages.

    Firms are firms and leading companies alive (the producers); entries, exits and spin-offs
    come from the indicators of a run, else from the organizations table (entries: born in the
    year after the first; spin-offs: entries with a parent). Stages by
    :func:`innocluster.measures.lifecycle.lifecycle_stage` with its defaults.
    """
    from innocluster.measures.lifecycle import lifecycle_stage

    years = data.years
    o = data.organizations
    firms = data.alive_counts(PRODUCERS).astype(np.float64)
    if not firms.any():
        raise Unavailable("The organizations table has no firms or leading companies.")
    later = o[o["born"] > years[0]]
    derived = {
        "entries": data.per_year(later.loc[later["kind"].isin(PRODUCERS), "born"]),
        "exits": data.per_year(o.loc[o["kind"].isin(PRODUCERS), "exited"]),
        "spin-offs": data.per_year(later.loc[later["parent"].notna(), "born"]),
    }
    flows = {}
    for name, column in (("entries", "entries"), ("exits", "exits"), ("spin-offs", "spinoffs")):
        values = data.column(column)
        flows[name] = derived[name] if values is None else np.nan_to_num(values.astype(float))
    stages = lifecycle_stage(firms, flows["entries"], flows["exits"])
    rows = [("firms and leaders alive", {"firms": firms}), ("organisations per year", flows)]
    market = {name: data.column(name) for name in ("demand", "output", "price")}
    notes = ["Stages: lifecycle_stage of the firms alive, with entries and exits (measures.md)."]
    if all(v is None for v in market.values()):
        notes.append("Demand, output and price are not in the folder (real data carry no market).")
    else:
        rows.append(("market", {k: v.astype(float) for k, v in market.items() if v is not None}))
    secondary = {"price": "price (MU per quality unit)"} if market["price"] is not None else {}
    return SeriesData(years, rows, stages.astype(str), secondary, notes)


def knowledge_data(data: ClusterData, depreciation: float = 0.15) -> SeriesData:
    """Tacit and explicit knowledge, patents filed and their stock, the four SECI flows.

    The patent stock is the perpetual inventory ``S_t = (1 - d) S_{t-1} + P_t`` of the patents
    per year (:func:`innocluster.measures.knowledge.perpetual_inventory`).
    """
    from innocluster.measures.knowledge import perpetual_inventory

    rows: list[tuple[str, dict[str, np.ndarray]]] = []
    notes = []
    stocks = {
        name: data.column(col)
        for name, col in (("tacit", "knowledge_tacit"), ("explicit", "knowledge_explicit"))
    }
    stocks = {k: v.astype(float) for k, v in stocks.items() if v is not None}
    if data.column("total_knowledge") is not None:
        stocks["total"] = data.column("total_knowledge").astype(float)
    if stocks:
        rows.append(("knowledge stocks (units)", stocks))
    else:
        notes.append("Tacit and explicit knowledge are not in the folder (simulated runs only).")
    if len(data.patents):
        filed = data.per_year(data.patents["year"])
        rows.append(
            (
                "patents",
                {
                    "filed per year": filed,
                    "stock (d = 0.15)": perpetual_inventory(filed, depreciation),
                },
            )
        )
    else:
        notes.append("The folder has no patents.")
    seci = {
        name: data.column(f"seci_{name}")
        for name in ("socialization", "externalization", "combination", "internalization")
    }
    if all(v is not None for v in seci.values()):
        rows.append(("SECI flows (units per year)", {k: v.astype(float) for k, v in seci.items()}))
    else:
        notes.append("The SECI flows are not in the folder (the cluster model records them).")
    if not rows:
        raise Unavailable("The folder has no knowledge stocks, patents or SECI flows.")
    return SeriesData(data.years, rows, notes=notes)


# -- the phase trajectory ----------------------------------------------------------------------


@dataclass
class PhaseData:
    """The cluster's path in the knowledge-stock x alliance-stock plane.

    Attributes:
        years, knowledge, alliances: ``(T,)``: patent stock per 100 organisations alive and
            active alliances per organisation alive (the model's ``knowledge_stock_index`` and
            ``alliance_stock_index``).
        phase, action: the phase and governance action of each year, or None (real data).
        thresholds: ``(knowledge, alliances)`` that score a stock high, or None.
    """

    years: np.ndarray
    knowledge: np.ndarray
    alliances: np.ndarray
    phase: np.ndarray | None
    action: np.ndarray | None
    thresholds: tuple[float, float] | None
    notes: list[str] = field(default_factory=list)


def phase_data(data: ClusterData) -> PhaseData:
    """The phase trajectory: from a run's indicators, else computed from the tables.

    For real data the two indices are computed as the model defines them (perpetual inventory
    of patents, ``d = 0.15``, per 100 organisations alive; active alliances per organisation
    alive); there is no governance action and no threshold, so each year is not scored.
    """
    k, a = data.column("knowledge_stock_index"), data.column("alliance_stock_index")
    if k is not None and a is not None:
        keep = ~np.isnan(k.astype(float))
        gov = data.scenario.governance
        return PhaseData(
            data.years[keep],
            k.astype(float)[keep],
            a.astype(float)[keep],
            data.column("phase")[keep].astype(str),
            data.column("governance_action")[keep].astype(str),
            (float(gov.knowledge_threshold), float(gov.alliance_threshold)),
            [
                f"Scored against the run's thresholds: knowledge stock index "
                f"{gov.knowledge_threshold:g} patents per 100 organisations, alliance stock "
                f"index {gov.alliance_threshold:g} alliances per organisation "
                f"(regime '{gov.regime}')."
            ],
        )
    if data.source == "run":
        raise Unavailable("This model records no knowledge or alliance stock indices.")
    from innocluster.measures.knowledge import alliance_stock, perpetual_inventory

    if len(data.patents) == 0 and len(data.alliances) == 0:
        raise Unavailable("The folder has neither patents nor alliances.")
    n = np.maximum(data.alive_counts(), 1).astype(float)
    stock = perpetual_inventory(data.per_year(data.patents["year"])) if len(data.patents) else 0 * n
    links = (
        alliance_stock(data.alliances, data.years)["alliances"].to_numpy(float)
        if len(data.alliances)
        else 0 * n
    )
    return PhaseData(
        data.years,
        100.0 * stock / n,
        links / n,
        None,
        None,
        None,
        [
            "Real data record no governance actions and no thresholds: the path is computed "
            "from the tables (patent stock per 100 organisations, alliances per organisation); "
            "the diagnosis panel scores the focus region against the other regions."
        ],
    )


# -- technology space --------------------------------------------------------------------------


@dataclass
class TechSpaceData:
    """The proximity network of technology fields and the focus region's specialisation.

    Attributes:
        fields: field ids ``(F,)``; ``patents``: the cluster's patents per field ``(F,)``.
        rca: the focus region's RCA in each field ``(F,)``; specialised where ``> 1``.
        proximity: ``(F, F)`` minimum conditional probability of specialisation.
        x, y: layout positions ``(F,)``; ``edges``: ``(i, j)`` pairs drawn.
        focus: the focus region.
    """

    fields: np.ndarray
    patents: np.ndarray
    rca: np.ndarray
    proximity: np.ndarray
    x: np.ndarray
    y: np.ndarray
    edges: list[tuple[int, int]]
    focus: int
    notes: list[str] = field(default_factory=list)


def techspace_data(data: ClusterData, seed: int = 0) -> TechSpaceData:
    """Fields linked by proximity (Hidalgo et al. 2007) across regions, and the specialisation.

    Regions are specialised in a field where their patents' RCA is at least 1
    (:func:`~innocluster.measures.technology.specialisation`); the proximity of two fields is
    :func:`~innocluster.measures.technology.proximity` over the regions. Drawn: the maximum
    spanning tree of the proximities plus every pair at or above 0.5 (the product-space
    convention). The focus region is the diagnosis's: most organisations alive in the last year.
    """
    import networkx as nx

    from innocluster.measures.technology import proximity, rca, specialisation

    p = data.patents
    if len(p) == 0:
        raise Unavailable("The folder has no patents, so fields cannot be related.")
    region = p["org_id"].map(data.organizations.set_index("org_id")["region"])
    matrix = pd.crosstab(region, p["field"])
    if matrix.shape[0] < 2 or matrix.shape[1] < 2:
        raise Unavailable("Patents fall in fewer than two regions or two fields.")
    counts = matrix.to_numpy(np.float64)
    phi = proximity(specialisation(counts))
    alive = data.alive(data.last_year)
    focus = int(alive["region"].value_counts().idxmax())
    row = np.flatnonzero(matrix.index.to_numpy() == focus)
    focus_rca = rca(counts)[row[0]] if row.size else np.zeros(counts.shape[1])
    graph = nx.Graph()
    n = phi.shape[0]
    graph.add_nodes_from(range(n))
    iu, ju = np.triu_indices(n, 1)
    graph.add_weighted_edges_from(zip(iu.tolist(), ju.tolist(), phi[iu, ju].tolist(), strict=True))
    tree = nx.maximum_spanning_tree(graph)
    edges = sorted(
        set(tree.edges) | {(i, j) for i, j in zip(iu, ju, strict=True) if phi[i, j] >= 0.5}
    )
    drawn = nx.Graph()
    drawn.add_nodes_from(range(n))
    drawn.add_weighted_edges_from((i, j, phi[i, j]) for i, j in edges)
    pos = nx.spring_layout(drawn, seed=seed, weight="weight")
    xy = np.array([pos[i] for i in range(n)])
    notes = [
        f"Focus region {focus}: {int((focus_rca > 1).sum())} of {n} fields with RCA > 1 "
        "(filled, labelled); node size: the cluster's patents in the field.",
        f"{len(edges)} links: the maximum spanning tree and every proximity >= 0.5.",
    ]
    return TechSpaceData(
        matrix.columns.to_numpy(),
        counts.sum(axis=0),
        np.asarray(focus_rca, dtype=float),
        phi,
        xy[:, 0],
        xy[:, 1],
        [(int(i), int(j)) for i, j in edges],
        focus,
        notes,
    )


# -- distance-based concentration --------------------------------------------------------------


@dataclass
class ConcentrationData:
    """Kd of the innovating organisations with its envelope, and what it compares."""

    envelope: object  # innocluster.measures.envelopes.Envelope
    year: int
    interest: int
    sites: int
    notes: list[str] = field(default_factory=list)


def concentration_data(
    data: ClusterData, window: int = 5, n_sim: int = 99, seed: int = 0
) -> ConcentrationData:
    """Duranton-Overman Kd of the organisations that patented recently, with its 95% envelope.

    The points of interest are the organisations that patented in the last ``window`` years,
    among all organisations alive in the last year; the envelope is global, under random
    location over those sites (:func:`innocluster.measures.envelopes.kd_envelope`).

    Above the envelope at a distance: innovators are closer to each other there than
    organisations in general (localised); below: dispersed.

    Args:
        data: the run or data folder, as read for the report.
        window: the years of patents that make an organisation an innovator, up to the last.
        n_sim: number of random relocations for the envelope.
        seed: the seed of the relocations.

    Raises:
        Unavailable: there are no patents, fewer than three or all the organisations alive
            patented in the window, or Kd cannot be computed.
    """
    from innocluster.measures.envelopes import kd_envelope

    year = data.last_year
    alive = data.alive(year)
    p = data.patents
    if len(p) == 0:
        raise Unavailable("The folder has no patents: innovators cannot be told from others.")
    recent = p.loc[(p["year"] > year - window) & (p["year"] <= year), "org_id"]
    interest = alive["org_id"].isin(set(recent)).to_numpy()
    if interest.sum() < 3 or interest.all():
        raise Unavailable(
            f"Kd needs some but not all organisations alive in {year} to have patented in the "
            f"last {window} years ({int(interest.sum())} of {len(alive)} did)."
        )
    xmin, xmax, ymin, ymax = data.extent
    reach = max(xmax - xmin, ymax - ymin) / 2
    r = np.linspace(0.0, float(f"{reach:.2g}"), 41)
    try:
        envelope = kd_envelope(
            alive["x"].to_numpy(np.float64),
            alive["y"].to_numpy(np.float64),
            r,
            labels=interest,
            reference=True,
            n_sim=n_sim,
            seed=seed,
        )
    except InnoclusterError as err:
        raise Unavailable(f"Kd could not be computed: {err}") from None
    notes = [
        f"Kd of the {int(interest.sum()):,} organisations that patented in the last {window} "
        f"years among the {len(alive):,} alive in {year}; global 95% envelope of {n_sim} "
        "random relocations over the same sites (Duranton and Overman 2005).",
        envelope.summary() + ".",
    ]
    return ConcentrationData(envelope, year, int(interest.sum()), len(alive), notes)


@dataclass
class FlowsData:
    """How far citations travel against their field-year controls: the localisation test."""

    table: pd.DataFrame  # rows of innocluster.measures.localisation.citation_localisation
    distances: np.ndarray
    same_region: dict | None
    notes: list[str] = field(default_factory=list)


def flows_data(data: ClusterData, points: int = 30, seed: int = 0) -> FlowsData:
    """The share of citations within each distance of the cited patent, against controls.

    Every citation between two patents of the data (self-citations left out) gets a control
    patent of the citing patent's field and year (Jaffe, Trajtenberg and Henderson 1993); the
    shares of citations and of controls within ``d`` km of the cited patent, at ``points``
    distances up to half the map's extent, are the distance-based comparison of Murata et al.
    (2014), with pointwise 95% bootstrap intervals. Patents lie in their owners' regions.

    Raises:
        Unavailable: the folder has no citations, or none between two of its patents.
    """
    from innocluster.measures.localisation import citation_localisation

    cites = data.citations
    if cites is None or len(cites) == 0:
        raise Unavailable("The folder has no citations table: knowledge flows cannot be seen.")
    region = data.organizations.set_index("org_id")["region"]
    patents = data.patents.assign(region=data.patents["org_id"].map(region))
    patents = patents[patents["region"].notna()]
    known = patents["patent_id"].to_numpy()
    inside = cites[cites["cited"].notna()]
    pairs = inside[inside["citing"].isin(known) & inside["cited"].isin(known)]
    if len(pairs) == 0:
        raise Unavailable("No citation links two patents of the folder (all cite outside it).")
    xmin, xmax, ymin, ymax = data.extent
    reach = max(xmax - xmin, ymax - ymin) / 2
    distances = np.linspace(0.0, reach, points + 1)[1:]
    table = citation_localisation(
        pairs[["citing", "cited"]].astype(np.int64), patents, distances, seed=seed
    )
    same = table.iloc[0].to_dict() if table["comparison"].iloc[0] == "same region" else None
    row = table.iloc[0]
    notes = [
        f"{int(row['citations']):,} citations between patents of the folder, each with a "
        f"control of the citing patent's field and year ({int(row['self_citations']):,} "
        f"self-citations left out, {int(row['no_control']):,} without a control; "
        f"{len(cites) - len(inside):,} of the {len(cites):,} citations cite patents outside "
        "the data). Bands: pointwise 95% bootstrap intervals over citations.",
    ]
    return FlowsData(table, distances, same, notes)
