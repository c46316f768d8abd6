"""The report's panels: a list of builders, each returning a figure with notes.

When a panel's data are not available, it shows instead a sentence saying why.

A panel is a :class:`Panel`: a key (the HTML anchor and the id of its figure), a title, one
sentence on what it shows, and ``build(data) -> PanelContent``. The report renders
:data:`PANELS` in order; a builder that raises
:class:`~innocluster.report.data.Unavailable` becomes a panel that says so in words. New panels
(experiment comparisons, sensitivity, attribution) are entries of such a list, with a
builder that reads what they need from the folder (``experiment_panels.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from innocluster.report import interactive as draw
from innocluster.report import panel_data
from innocluster.report.data import ClusterData, Unavailable

__all__ = ["Panel", "PanelContent", "PANELS", "build_panels"]


@dataclass
class PanelContent:
    """What one panel shows.

    Attributes:
        figure: the plotly figure, or None.
        paragraphs: sentences shown above the figure.
        table: a small table shown under the figure (all columns as text), or None.
        notes: how the figure was made (method, caps, what is left out).
        missing: why the panel has no data; set instead of everything else.
        seconds: time taken to build it.
    """

    figure: Any = None
    paragraphs: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    missing: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Panel:
    """A report panel: ``build`` turns a folder's data into its content.

    The data are a run or data folder's :class:`ClusterData`, or an experiment folder's
    ``ExperimentData``.
    """

    key: str
    title: str
    about: str
    build: Callable[[Any], PanelContent]


def _map(data: ClusterData) -> PanelContent:
    result = panel_data.map_data(data)
    return PanelContent(draw.map_figure(result), notes=result.notes)


def _network(data: ClusterData) -> PanelContent:
    result = panel_data.network_data(data)
    return PanelContent(draw.network_figure(result), notes=result.notes)


def _lifecycle(data: ClusterData) -> PanelContent:
    result = panel_data.lifecycle_data(data)
    counts = pd.Series(result.stages).value_counts()
    spans = ", ".join(f"{stage} {n} years" for stage, n in counts.items())
    return PanelContent(
        draw.series_figure(result),
        paragraphs=[f"Stage in {int(result.years[-1])}: {result.stages[-1]} ({spans})."],
        notes=result.notes,
    )


def _knowledge(data: ClusterData) -> PanelContent:
    result = panel_data.knowledge_data(data)
    return PanelContent(draw.series_figure(result), notes=result.notes)


def _phase(data: ClusterData) -> PanelContent:
    result = panel_data.phase_data(data)
    words = []
    if result.action is not None:
        changes = [
            0,
            *[i for i in range(1, len(result.action)) if result.action[i] != result.action[i - 1]],
        ]
        path = "; ".join(f"{int(result.years[i])}: {result.action[i]}" for i in changes)
        words.append(f"Governance actions from the step they were taken: {path}.")
        words.append(f"Phase in {int(result.years[-1])}: {result.phase[-1]}.")
    return PanelContent(draw.phase_figure(result), paragraphs=words, notes=result.notes)


def _techspace(data: ClusterData) -> PanelContent:
    result = panel_data.techspace_data(data)
    special = result.fields[result.rca > 1]
    return PanelContent(
        draw.techspace_figure(result),
        paragraphs=[
            f"Region {result.focus} is specialised (RCA > 1) in fields "
            + (", ".join(str(f) for f in special) if len(special) else "none")
            + "."
        ],
        notes=result.notes,
    )


def _concentration(data: ClusterData) -> PanelContent:
    result = panel_data.concentration_data(data)
    return PanelContent(draw.concentration_figure(result), notes=result.notes)


def _flows(data: ClusterData) -> PanelContent:
    result = panel_data.flows_data(data)
    words = []
    if result.same_region is not None:
        r = result.same_region
        words.append(
            f"{r['share_cite']:.1%} of citations come from the cited patent's region, against "
            f"{r['share_control']:.1%} of their controls: {r['ratio']:.2f} times as often "
            f"(95% interval {r['ratio_low']:.2f}-{r['ratio_high']:.2f}; Jaffe, Trajtenberg "
            "and Henderson 1993 found several times)."
        )
    return PanelContent(draw.flows_figure(result), paragraphs=words, notes=result.notes)


def _diagnosis(data: ClusterData) -> PanelContent:
    d = data.diagnosis
    p = d.phase
    paragraphs = [
        f"Phase and governance (DESIGN 4.2), region {d.focus} in {d.year}: {p['phase']}. "
        f"Recommended: {p['recommendation']} (action '{p['action']}').",
        f"Evidence: {p['evidence']}.",
        "Forming mechanisms (DESIGN 4.3): "
        + (
            "lacking: " + ", ".join(d.lacking) + "."
            if d.lacking
            else "none is judged lacking by the stated rules."
        ),
    ]
    table = d.mechanisms[["mechanism", "indicator", "value", "rule", "verdict", "evidence"]].copy()
    table["value"] = table["value"].map(lambda v: f"{v:,.4g}")
    return PanelContent(
        draw.regions_figure(d.regions, d.focus),
        paragraphs=paragraphs,
        table=table,
        notes=[
            "Each region's knowledge stock (perpetual inventory of its patents) and alliance "
            "stock, scored against the median of the other regions (innocluster diagnose).",
            f"{len(d.regions)} regions; the focus region has most organisations alive.",
        ],
    )


#: The panels of a run or data folder, in the order of the report.
PANELS: tuple[Panel, ...] = (
    Panel("diagnosis", "Diagnosis", "Which phase, what governance, which forming mechanisms lack.",
          _diagnosis),
    Panel("map", "Map", "Organisations by kind and size over time, cell densities, hot spots.",
          _map),
    Panel("network", "Alliance network", "Who is allied with whom in the last year.", _network),
    Panel("lifecycle", "Life cycle", "Firms, entry, exit, spin-offs and the market, by stage.",
          _lifecycle),
    Panel("knowledge", "Knowledge", "Tacit and explicit stocks, patents, the SECI flows.",
          _knowledge),
    Panel("phase", "Phase trajectory", "The path in the knowledge x alliance plane, with the "
          "governance action taken at each point.", _phase),
    Panel("techspace", "Technology space", "Related fields and the focus region's "
          "specialisations.", _techspace),
    Panel("flows", "Knowledge flows", "How far do citations travel, against patents of the "
          "same field and year that do not cite?", _flows),
    Panel("concentration", "Distance-based concentration", "Are innovators closer to each "
          "other than organisations in general, and at what distances?", _concentration),
)  # fmt: skip


def build_panels(
    data: ClusterData | Any, panels: Sequence[Panel] = PANELS
) -> list[tuple[Panel, PanelContent]]:
    """Build every panel; one whose data are missing gets a ``missing`` sentence instead."""
    out = []
    for panel in panels:
        start = time.perf_counter()
        try:
            content = panel.build(data)
        except Unavailable as reason:
            content = PanelContent(missing=str(reason))
        content.seconds = time.perf_counter() - start
        out.append((panel, content))
    return out
