"""The report's interactive figures (plotly), drawn from the arrays of the panels' data.

The arrays come from :mod:`innocluster.report.panel_data`.

Arrays go to plotly as float32 or int32 numpy arrays, which plotly writes as base64 typed
arrays: about 5 bytes a number instead of about 18 as JSON text, which keeps the map's frames
small.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from innocluster.report.panel_data import (
    ConcentrationData,
    MapData,
    MapFrame,
    NetworkData,
    PhaseData,
    SeriesData,
    TechSpaceData,
)
from innocluster.report.style import ACTION_COLOURS, KIND_COLOURS, SERIES_COLOURS, STAGE_COLOURS
from innocluster.tables import KINDS

__all__ = [
    "map_figure",
    "network_figure",
    "series_figure",
    "phase_figure",
    "techspace_figure",
    "concentration_figure",
    "regions_figure",
]

_LAYOUT = dict(template="plotly_white", margin=dict(l=60, r=20, t=30, b=50), height=520)


def _segments(lines: list[np.ndarray]) -> tuple[list, list]:
    """Polylines ``(k, 2)`` joined into one x and one y list, broken by None."""
    xs: list = []
    ys: list = []
    for line in lines:
        xs.extend(np.round(line[:, 0], 3).tolist() + [None])
        ys.extend(np.round(line[:, 1], 3).tolist() + [None])
    return xs, ys


def _map_traces(frame: MapFrame, data: MapData) -> list[go.BaseTraceType]:
    centres_x = (data.edges_x[:-1] + data.edges_x[1:]) / 2
    centres_y = (data.edges_y[:-1] + data.edges_y[1:]) / 2
    traces: list[go.BaseTraceType] = [
        go.Heatmap(
            x=centres_x.astype(np.float32),
            y=centres_y.astype(np.float32),
            z=frame.density,
            colorscale="Greys",
            zmin=0,
            zmax=max(int(max(f.density.max() for f in data.frames)), 1),
            opacity=0.45,
            colorbar=dict(title="per cell", thickness=12, x=1.0),
            hovertemplate="%{z} organisations<extra>cell</extra>",
            name="density",
        )
    ]
    for kind in KINDS:
        x, y, size, ids = frame.points[kind]
        traces.append(
            go.Scatter(
                x=x,
                y=y,
                mode="markers",
                name=kind,
                marker=dict(
                    size=size,
                    color=KIND_COLOURS[kind],
                    opacity=0.75,
                    symbol="diamond" if kind == "intermediary" else "circle",
                    line=dict(width=0.5, color="white"),
                ),
                customdata=ids,
                hovertemplate="org %{customdata}<br>(%{x:.1f}, %{y:.1f}) km<extra>"
                + kind
                + "</extra>",
            )
        )
    hx, hy = _segments(frame.hulls)
    traces.append(
        go.Scatter(
            x=hx,
            y=hy,
            mode="lines",
            name="hot spots",
            line=dict(color="black", width=1.5, dash="dot"),
            hoverinfo="skip",
        )
    )
    return traces


def map_figure(data: MapData) -> go.Figure:
    """Organisations by kind and size, cell density and hot spots, one frame per year.

    A slider (starting at the last year) and play/pause buttons move through the years.
    """
    last = data.frames[-1]
    fig = go.Figure(data=_map_traces(last, data))
    fig.frames = [
        go.Frame(data=_map_traces(f, data), name=str(f.year), layout=dict(title_text=_map_title(f)))
        for f in data.frames
    ]
    steps = [
        dict(
            method="animate",
            label=str(f.year),
            args=[[str(f.year)], dict(mode="immediate", frame=dict(duration=0, redraw=True))],
        )
        for f in data.frames
    ]
    xmin, xmax = float(data.edges_x[0]), float(data.edges_x[-1])
    ymin, ymax = float(data.edges_y[0]), float(data.edges_y[-1])
    fig.update_layout(
        **{**_LAYOUT, "height": 700, "margin": dict(l=60, r=20, t=90, b=40)},
        title=dict(text=_map_title(last), x=0.02, y=0.98, yanchor="top"),
        xaxis=dict(title="x (km)", range=[xmin, xmax], constrain="domain"),
        yaxis=dict(title="y (km)", range=[ymin, ymax], scaleanchor="x", scaleratio=1),
        legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom", itemsizing="constant"),
        sliders=[
            dict(
                active=len(data.frames) - 1,
                currentvalue=dict(prefix="year: "),
                pad=dict(t=40),
                steps=steps,
            )
        ],
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0,
                y=0,
                xanchor="right",
                yanchor="top",
                pad=dict(t=40, r=10),
                buttons=[
                    dict(
                        label="play",
                        method="animate",
                        args=[None, dict(frame=dict(duration=400, redraw=True), fromcurrent=True)],
                    ),
                    dict(
                        label="pause",
                        method="animate",
                        args=[[None], dict(mode="immediate", frame=dict(duration=0))],
                    ),
                ],
            )
        ],
    )
    return fig


def _map_title(frame: MapFrame) -> str:
    alive = sum(len(p[0]) for p in frame.points.values())
    spots = len(frame.spots)
    if spots:
        share = frame.spots["share"].sum()
        return f"year {frame.year}: {alive:,} organisations, {spots} hot spots hold {share:.0%}"
    return f"year {frame.year}: {alive:,} organisations, no hot spot"


def network_figure(data: NetworkData) -> go.Figure:
    """The alliance network: ties in grey, organisations coloured by kind.

    Intermediaries are drawn as diamonds, the platform owner as a star.
    """
    ex, ey = _segments(list(data.edges))
    fig = go.Figure(
        go.Scatter(
            x=ex,
            y=ey,
            mode="lines",
            line=dict(color="#7f7f7f", width=1),
            hoverinfo="skip",
            name="alliances",
        )
    )
    nodes = data.nodes
    for kind in (*KINDS, "unknown"):
        part = nodes[(nodes["kind"] == kind) & ~nodes["owner"]]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["x"].to_numpy(np.float32),
                y=part["y"].to_numpy(np.float32),
                mode="markers",
                name=kind,
                marker=dict(
                    color=KIND_COLOURS[kind],
                    size=(5 + 2 * np.sqrt(part["degree"].to_numpy(float))).astype(np.float32)
                    * (1.6 if kind == "intermediary" else 1.0),
                    symbol="diamond" if kind == "intermediary" else "circle",
                    line=dict(width=0.7, color="black" if kind == "intermediary" else "white"),
                ),
                customdata=np.column_stack([part["org_id"], part["degree"]]).astype(np.int32),
                hovertemplate="org %{customdata[0]}: %{customdata[1]} alliances<extra>"
                + kind
                + "</extra>",
            )
        )
    owner = nodes[nodes["owner"]]
    if not owner.empty:
        fig.add_trace(
            go.Scatter(
                x=owner["x"],
                y=owner["y"],
                mode="markers+text",
                name="platform owner",
                text=["platform owner"],
                textposition="top center",
                marker=dict(symbol="star", size=22, color="gold", line=dict(width=1.5)),
            )
        )
    fig.update_layout(
        **_LAYOUT,
        title=f"alliances active in {data.year}",
        xaxis=dict(visible=False),
        yaxis=dict(visible=False, scaleanchor="x"),
    )
    return fig


def _stage_shapes(fig: go.Figure, years: np.ndarray, stages: np.ndarray) -> None:
    """Shade each run of equal stages across the whole height, and name the stages once."""
    start = 0
    for i in range(1, len(stages) + 1):
        if i == len(stages) or stages[i] != stages[start]:
            fig.add_vrect(
                x0=years[start] - 0.5,
                x1=years[i - 1] + 0.5,
                fillcolor=STAGE_COLOURS.get(stages[start], "#eeeeee"),
                opacity=1.0,
                layer="below",
                line_width=0,
            )
            start = i
    for stage in dict.fromkeys(stages):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=stage,
                legendgroup="stages",
                marker=dict(symbol="square", size=12, color=STAGE_COLOURS.get(stage, "#eee")),
            )
        )


def series_figure(data: SeriesData, y_title: str = "") -> go.Figure:
    """One row of lines per group of series, sharing the year axis, stages shaded if known."""
    n = len(data.rows)
    specs = [[{"secondary_y": any(k in data.secondary for k in s)}] for _, s in data.rows]
    fig = make_subplots(
        rows=n,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=[title for title, _ in data.rows],
        specs=specs,
    )
    years = data.years.astype(np.int32)
    c = 0  # one colour per series over all rows, so the shared legend tells them apart
    for r, (_, series) in enumerate(data.rows, start=1):
        for name, values in series.items():
            right = name in data.secondary
            fig.add_trace(
                go.Scatter(
                    x=years,
                    y=np.asarray(values, dtype=np.float32),
                    mode="lines",
                    name=name,
                    line=dict(color=SERIES_COLOURS[c % len(SERIES_COLOURS)], width=2),
                    hovertemplate="%{x}: %{y:,.4g}<extra>" + name + "</extra>",
                ),
                row=r,
                col=1,
                **({"secondary_y": right} if specs[r - 1][0]["secondary_y"] else {}),
            )
            c += 1
            if right:
                fig.update_yaxes(title_text=data.secondary[name], row=r, col=1, secondary_y=True)
    if data.stages is not None:
        _stage_shapes(fig, data.years, data.stages)
    fig.update_xaxes(title_text="year (step)", row=n, col=1)
    fig.update_layout(**{**_LAYOUT, "height": 230 * n + 80}, hovermode="x unified")
    return fig


def phase_figure(data: PhaseData) -> go.Figure:
    """The path of the cluster in the knowledge x alliance plane, thresholds dashed.

    Each point is coloured by the governance action of that year (or by year for real data).
    """
    years = data.years.astype(np.int32)
    fig = go.Figure(
        go.Scatter(
            x=data.knowledge.astype(np.float32),
            y=data.alliances.astype(np.float32),
            mode="lines",
            line=dict(color="#c0c0c0", width=1.5),
            name="path",
            hoverinfo="skip",
        )
    )
    if data.action is not None:
        for action in dict.fromkeys(data.action):
            rows = data.action == action
            fig.add_trace(
                go.Scatter(
                    x=data.knowledge[rows].astype(np.float32),
                    y=data.alliances[rows].astype(np.float32),
                    mode="markers",
                    name=f"action: {action}",
                    marker=dict(size=8, color=ACTION_COLOURS.get(action, "#333")),
                    customdata=np.column_stack([years[rows], data.phase[rows]]),
                    hovertemplate="step %{customdata[0]}: %{customdata[1]}<br>knowledge "
                    "%{x:.4g}, alliances %{y:.3g}<extra>" + action + "</extra>",
                )
            )
    else:
        fig.add_trace(
            go.Scatter(
                x=data.knowledge.astype(np.float32),
                y=data.alliances.astype(np.float32),
                mode="markers",
                name="year",
                marker=dict(size=8, color=years, colorscale="Viridis", showscale=True),
                customdata=years,
                hovertemplate="year %{customdata}<extra></extra>",
            )
        )
    for i, word in ((0, "start"), (-1, "end")):
        fig.add_annotation(
            x=float(data.knowledge[i]),
            y=float(data.alliances[i]),
            text=f"{word} ({int(years[i])})",
            showarrow=True,
            arrowhead=2,
        )
    if data.thresholds is not None:
        fig.add_vline(x=data.thresholds[0], line_dash="dash", line_color="#555")
        fig.add_hline(y=data.thresholds[1], line_dash="dash", line_color="#555")
    fig.update_layout(
        **_LAYOUT,
        xaxis_title="knowledge stock index (patent stock per 100 organisations)",
        yaxis_title="alliance stock index (alliances per organisation)",
    )
    return fig


def techspace_figure(data: TechSpaceData) -> go.Figure:
    """The technology space: fields as nodes (size: patents), linked by proximity.

    The focus region's specialisations (RCA > 1) are filled and labelled, the other fields
    hollow.
    """
    lines = [np.array([[data.x[i], data.y[i]], [data.x[j], data.y[j]]]) for i, j in data.edges]
    ex, ey = _segments(lines)
    fig = go.Figure(
        go.Scatter(
            x=ex,
            y=ey,
            mode="lines",
            line=dict(color="#c8c8c8", width=1),
            hoverinfo="skip",
            name="proximity links",
        )  # fmt: skip
    )
    size = 10 + 30 * np.sqrt(data.patents / max(data.patents.max(), 1))
    for special in (True, False):
        rows = (data.rca > 1) == special
        fig.add_trace(
            go.Scatter(
                x=data.x[rows],
                y=data.y[rows],
                mode="markers+text" if special else "markers",
                text=[f"field {f}" for f in data.fields[rows]],
                textposition="top center",
                name=f"RCA > 1 in region {data.focus}" if special else "other fields",
                marker=dict(
                    size=size[rows],
                    color="#e45756" if special else "white",
                    line=dict(width=2, color="#e45756" if special else "#4c78a8"),
                ),
                customdata=np.column_stack([data.fields[rows], data.patents[rows], data.rca[rows]]),
                hovertemplate="field %{customdata[0]}: %{customdata[1]:,} patents, RCA "
                "%{customdata[2]:.2f}<extra></extra>",
            )
        )
    fig.update_layout(
        **_LAYOUT, xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x")
    )
    return fig


def concentration_figure(data: ConcentrationData) -> go.Figure:
    """Kd with its envelope band and the mean under the null; localised distances marked."""
    e = data.envelope
    r = e.r.astype(np.float32)
    fig = go.Figure(
        [
            go.Scatter(x=r, y=e.hi.astype(np.float32), mode="lines", line=dict(width=0),
                       showlegend=False, hoverinfo="skip"),
            go.Scatter(x=r, y=e.lo.astype(np.float32), mode="lines", line=dict(width=0),
                       fill="tonexty", fillcolor="rgba(120,120,120,0.25)",
                       name=f"{e.kind} {100 * (1 - e.alpha):g}% envelope"),
            go.Scatter(x=r, y=e.mean.astype(np.float32), mode="lines",
                       line=dict(color="#555", dash="dash"), name="mean under the null"),
            go.Scatter(x=r, y=e.value.astype(np.float32), mode="lines+markers",
                       line=dict(color="#e45756", width=2.5), marker=dict(size=4),
                       name="Kd of innovators"),
        ]
    )  # fmt: skip
    if e.localised.any():
        fig.add_trace(
            go.Scatter(
                x=r[e.localised],
                y=e.value[e.localised].astype(np.float32),
                mode="markers",
                marker=dict(size=9, color="#e45756", symbol="triangle-up"),
                name="localised",
            )
        )
    fig.update_layout(**_LAYOUT, xaxis_title="distance r (km)", yaxis_title="Kd(r) (per km)")
    return fig


def flows_figure(data) -> go.Figure:
    """Shares of citations and of their controls within each distance, with their bands."""
    rows = data.table[data.table["comparison"] != "same region"]
    d = data.distances.astype(np.float32)
    traces = []
    for name, prefix, colour, fill in (
        ("controls (same field and year)", "share_control", "#555", "rgba(120,120,120,0.25)"),
        ("citations", "share_cite", "#e45756", "rgba(228,87,86,0.2)"),
    ):
        traces += [
            go.Scatter(x=d, y=rows[f"{prefix}_high"].to_numpy(np.float32), mode="lines",
                       line=dict(width=0), showlegend=False, hoverinfo="skip"),
            go.Scatter(x=d, y=rows[f"{prefix}_low"].to_numpy(np.float32), mode="lines",
                       line=dict(width=0), fill="tonexty", fillcolor=fill, showlegend=False,
                       hoverinfo="skip"),
            go.Scatter(x=d, y=rows[prefix].to_numpy(np.float32), mode="lines+markers",
                       line=dict(color=colour, width=2.5), marker=dict(size=4), name=name),
        ]  # fmt: skip
    fig = go.Figure(traces)
    fig.update_layout(
        **_LAYOUT, xaxis_title="distance d (km)", yaxis_title="share within d of the cited patent"
    )
    return fig


def regions_figure(regions, focus) -> go.Figure:
    """Every region's knowledge and alliance stocks, the focus region marked, by phase."""
    fig = go.Figure()
    for phase in dict.fromkeys(regions["phase"]):
        part = regions[regions["phase"] == phase]
        fig.add_trace(
            go.Scatter(
                x=part["knowledge"].to_numpy(np.float32),
                y=part["alliances"].to_numpy(np.float32),
                mode="markers",
                name=phase,
                marker=dict(size=8, color=ACTION_COLOURS.get(part["action"].iloc[0], "#333")),
                customdata=part["unit"].to_numpy(np.int32),
                hovertemplate="region %{customdata}<br>knowledge %{x:.4g}, alliances %{y:.3g}"
                "<extra></extra>",
            )
        )
    row = regions[regions["unit"] == focus]
    fig.add_trace(
        go.Scatter(
            x=row["knowledge"],
            y=row["alliances"],
            mode="markers+text",
            text=[f"focus region {focus}"],
            textposition="top center",
            name="focus region",
            marker=dict(size=18, symbol="circle-open", color="black", line=dict(width=2)),
        )
    )
    fig.update_layout(
        **{**_LAYOUT, "height": 420},
        xaxis_title="knowledge stock (perpetual inventory of patents)",
        yaxis_title="alliance stock (active alliances)",
    )
    return fig
