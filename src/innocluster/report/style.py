"""Colours shared by the interactive and the static figures, so both read the same way."""

from __future__ import annotations

__all__ = ["KIND_COLOURS", "STAGE_COLOURS", "ACTION_COLOURS", "SERIES_COLOURS"]

#: Organisation kind -> colour.
KIND_COLOURS = {
    "firm": "#4c78a8",
    "institute": "#54a24b",
    "leader": "#e45756",
    "intermediary": "#b279a2",
    "unknown": "#9d9d9d",
}

#: Life-cycle stage -> shading colour (light, drawn behind the series).
STAGE_COLOURS = {
    "emergence": "#d9f0d3",
    "growth": "#c6dbef",
    "maturity": "#fdf2c4",
    "shakeout": "#fdd9b5",
    "decline": "#f8c9c9",
}

#: Governance action -> colour.
ACTION_COLOURS = {
    "none": "#9d9d9d",
    "supply": "#54a24b",
    "connect": "#4c78a8",
    "platform": "#e45756",
    "supply_network": "#f58518",
}

#: Colours of the lines of a row of series, in order.
SERIES_COLOURS = (
    "#4c78a8", "#e45756", "#54a24b", "#b279a2", "#f58518", "#72b7b2", "#9d755d", "#eeca3b",
    "#ff9da6", "#2f3e4e",
)  # fmt: skip
