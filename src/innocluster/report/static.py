"""The report's figures as static images for papers (matplotlib, Agg backend: no display).

Each figure draws the same arrays as the interactive report
(:mod:`innocluster.report.panel_data`); the map and the network show one year. PNG at 150 dpi,
or vector SVG or PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from innocluster.errors import InnoclusterError
from innocluster.report import panel_data
from innocluster.report.data import ClusterData, Unavailable, load_cluster
from innocluster.report.experiment import is_experiment
from innocluster.report.style import ACTION_COLOURS, KIND_COLOURS, SERIES_COLOURS, STAGE_COLOURS
from innocluster.tables import KINDS

__all__ = ["KINDS_OF_PLOT", "plot_figure"]

#: Figure size in inches (width, height): a page-wide figure.
_SIZE = (8.0, 6.0)


def _map(fig, data: ClusterData, year: int | None) -> None:
    result = panel_data.map_data(data, years=[data.last_year if year is None else year])
    frame = result.frames[0]
    ax = fig.add_subplot()
    image = ax.pcolormesh(
        result.edges_x, result.edges_y, frame.density, cmap="Greys", alpha=0.45, zorder=0
    )
    fig.colorbar(image, ax=ax, label="organisations per cell", shrink=0.8)
    for kind in KINDS:
        x, y, size, _ = frame.points[kind]
        ax.scatter(
            x, y, s=(size / 2) ** 2, c=KIND_COLOURS[kind], alpha=0.75, edgecolors="white",
            linewidths=0.4, marker="D" if kind == "intermediary" else "o", label=kind, zorder=2,
        )  # fmt: skip
    for k, hull in enumerate(frame.hulls):
        ax.plot(hull[:, 0], hull[:, 1], "k:", lw=1.2, label="hot spots" if k == 0 else None)
    ax.set(xlabel="x (km)", ylabel="y (km)", aspect="equal", title=f"year {frame.year}")
    ax.set_xlim(result.edges_x[0], result.edges_x[-1])
    ax.set_ylim(result.edges_y[0], result.edges_y[-1])
    ax.legend(loc="upper left", fontsize=8, markerscale=0.7, framealpha=0.9)


def _network(fig, data: ClusterData, year: int | None) -> None:
    from matplotlib.collections import LineCollection

    result = panel_data.network_data(data, year=year)
    ax = fig.add_subplot()
    ax.add_collection(LineCollection(result.edges, colors="#7f7f7f", linewidths=0.6, zorder=1))
    nodes = result.nodes
    for kind in (*KINDS, "unknown"):
        part = nodes[(nodes["kind"] == kind) & ~nodes["owner"]]
        if len(part):
            ax.scatter(
                part["x"], part["y"], s=12 + 6 * part["degree"], c=KIND_COLOURS[kind],
                marker="D" if kind == "intermediary" else "o", edgecolors="black",
                linewidths=0.3, label=kind, zorder=2,
            )  # fmt: skip
    owner = nodes[nodes["owner"]]
    if len(owner):
        ax.scatter(owner["x"], owner["y"], s=250, marker="*", c="gold", edgecolors="black",
                   label="platform owner", zorder=3)  # fmt: skip
    ax.set(title=f"alliances active in {result.year}", aspect="equal")
    ax.axis("off")
    ax.legend(loc="upper left", fontsize=8)


def _series(fig, result: panel_data.SeriesData) -> None:
    axes = fig.subplots(len(result.rows), 1, sharex=True, squeeze=False)[:, 0]
    c = 0
    for ax, (title, series) in zip(axes, result.rows, strict=True):
        right = None
        for name, values in series.items():
            target = ax
            if name in result.secondary:
                right = ax.twinx()
                right.set_ylabel(result.secondary[name], fontsize=8)
                target = right
            colour = SERIES_COLOURS[c % len(SERIES_COLOURS)]
            target.plot(result.years, values, color=colour, lw=1.6, label=name)
            c += 1
        lines = ax.get_lines() + (right.get_lines() if right is not None else [])
        ax.legend(lines, [ln.get_label() for ln in lines], fontsize=7, loc="upper right")
        ax.set_title(title, fontsize=9)
        if result.stages is not None:
            _shade(ax, result.years, result.stages)
    axes[-1].set_xlabel("year (step)")


def _shade(ax, years: np.ndarray, stages: np.ndarray) -> None:
    start = 0
    for i in range(1, len(stages) + 1):
        if i == len(stages) or stages[i] != stages[start]:
            colour = STAGE_COLOURS.get(stages[start], "#eeeeee")
            ax.axvspan(years[start] - 0.5, years[i - 1] + 0.5, color=colour, zorder=0, lw=0)
            start = i


def _lifecycle(fig, data: ClusterData, year: int | None) -> None:
    result = panel_data.lifecycle_data(data)
    _series(fig, result)
    from matplotlib.patches import Patch

    handles = [Patch(color=STAGE_COLOURS[s], label=s) for s in dict.fromkeys(result.stages)]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8)
    fig.subplots_adjust(bottom=0.14)


def _knowledge(fig, data: ClusterData, year: int | None) -> None:
    _series(fig, panel_data.knowledge_data(data))


def _phase(fig, data: ClusterData, year: int | None) -> None:
    result = panel_data.phase_data(data)
    ax = fig.add_subplot()
    ax.plot(result.knowledge, result.alliances, color="#c0c0c0", lw=1.2, zorder=1)
    if result.action is not None:
        for action in dict.fromkeys(result.action):
            rows = result.action == action
            ax.scatter(result.knowledge[rows], result.alliances[rows], s=18, zorder=2,
                       c=ACTION_COLOURS.get(action, "#333"), label=f"action: {action}")  # fmt: skip
    else:
        points = ax.scatter(result.knowledge, result.alliances, c=result.years, s=18, zorder=2)
        fig.colorbar(points, ax=ax, label="year")
    if result.thresholds is not None:
        ax.axvline(result.thresholds[0], color="#555", ls="--", lw=1)
        ax.axhline(result.thresholds[1], color="#555", ls="--", lw=1)
    for i, word in ((0, "start"), (-1, "end")):
        ax.annotate(f"{word} ({int(result.years[i])})", (result.knowledge[i], result.alliances[i]),
                    textcoords="offset points", xytext=(6, 6), fontsize=8)  # fmt: skip
    ax.set(
        xlabel="knowledge stock index (patent stock per 100 organisations)",
        ylabel="alliance stock index (alliances per organisation)",
    )
    if result.action is not None:
        ax.legend(fontsize=8)


def _techspace(fig, data: ClusterData, year: int | None) -> None:
    result = panel_data.techspace_data(data)
    ax = fig.add_subplot()
    for i, j in result.edges:
        ax.plot([result.x[i], result.x[j]], [result.y[i], result.y[j]], color="#c8c8c8", zorder=1)
    size = 60 + 600 * result.patents / max(result.patents.max(), 1)
    special = result.rca > 1
    ax.scatter(result.x[~special], result.y[~special], s=size[~special], facecolors="white",
               edgecolors="#4c78a8", linewidths=1.5, zorder=2, label="other fields")  # fmt: skip
    ax.scatter(result.x[special], result.y[special], s=size[special], c="#e45756", zorder=2,
               label=f"RCA > 1 in region {result.focus}")  # fmt: skip
    for f, x, y in zip(result.fields[special], result.x[special], result.y[special], strict=True):
        ax.annotate(f"field {f}", (x, y), textcoords="offset points", xytext=(0, 10),
                    ha="center", fontsize=8)  # fmt: skip
    ax.set(aspect="equal", title="technology space: proximity of fields")
    ax.axis("off")
    ax.legend(fontsize=8, loc="upper left")


def _concentration(fig, data: ClusterData, year: int | None) -> None:
    result = panel_data.concentration_data(data)
    e = result.envelope
    ax = fig.add_subplot()
    ax.fill_between(e.r, e.lo, e.hi, color="#999", alpha=0.35,
                    label=f"{e.kind} {100 * (1 - e.alpha):g}% envelope")  # fmt: skip
    ax.plot(e.r, e.mean, "--", color="#555", label="mean under the null")
    ax.plot(e.r, e.value, color="#e45756", lw=2, label="Kd of innovators")
    ax.plot(e.r[e.localised], e.value[e.localised], "^", color="#e45756", label="localised")
    ax.set(xlabel="distance r (km)", ylabel="Kd(r) (per km)", title=f"year {result.year}")
    ax.legend(fontsize=8)


#: Figure kind -> drawing function ``(figure, data, year)``.
KINDS_OF_PLOT: dict[str, Callable] = {
    "map": _map,
    "network": _network,
    "lifecycle": _lifecycle,
    "knowledge": _knowledge,
    "phase": _phase,
    "techspace": _techspace,
    "concentration": _concentration,
}

_FORMATS = (".png", ".svg", ".pdf")


def plot_figure(
    folder: str | Path | ClusterData, kind: str, out: str | Path, *, year: int | None = None
) -> Path:
    """Write one figure of a run or data folder as PNG (150 dpi), SVG or PDF.

    Args:
        folder: a run folder, a folder of real data, or one already read.
        kind: one of :data:`KINDS_OF_PLOT`.
        out: the image file; its suffix picks the format.
        year: the year (step) of the map and the network (default: the last).

    Raises:
        InnoclusterError: an unknown kind or suffix, a folder that cannot be read or that is
            an experiment folder, or a figure whose data the folder lacks (the message says
            what is missing).
    """
    if kind not in KINDS_OF_PLOT:
        raise InnoclusterError(f"--kind '{kind}': expected one of {', '.join(KINDS_OF_PLOT)}")
    target = Path(out)
    if target.suffix.lower() not in _FORMATS:
        raise InnoclusterError(f"--out '{target}': expected a file ending in .png, .svg or .pdf")
    if not isinstance(folder, ClusterData) and is_experiment(folder):
        raise InnoclusterError(
            f"'{folder}' is an experiment folder: innocluster plot draws run and data folders; "
            f"`innocluster report {folder}` draws the experiment"
        )
    data = folder if isinstance(folder, ClusterData) else load_cluster(folder)
    if year is not None and year not in set(data.years.tolist()):
        raise InnoclusterError(
            f"--year {year}: expected a year from {data.years[0]} to {data.years[-1]}"
        )
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=_SIZE if kind not in ("lifecycle", "knowledge") else (8.0, 8.0))
    try:
        KINDS_OF_PLOT[kind](fig, data, year)
    except Unavailable as reason:
        raise InnoclusterError(f"no {kind} figure for '{data.folder}': {reason}") from None
    if kind not in ("lifecycle",):
        fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=150, metadata=_metadata(target.suffix.lower()))
    return target


def _metadata(suffix: str) -> dict:
    # No creation date or software version in the file, so the same data give the same bytes.
    if suffix == ".png":
        return {"Software": None}
    if suffix == ".pdf":
        return {"CreationDate": None, "Producer": None}
    return {"Date": None}
