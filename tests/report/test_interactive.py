"""The report's interactive figures (``report/interactive.py``): each drawing function turns a
small hand-made example of its panel data into a plotly Figure with the traces it promises.

The examples are built by hand (no simulation), a few organisations, years or fields each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from innocluster.measures.envelopes import Envelope
from innocluster.report.interactive import (
    concentration_figure,
    map_figure,
    network_figure,
    phase_figure,
    regions_figure,
    series_figure,
    techspace_figure,
)
from innocluster.report.panel_data import (
    ConcentrationData,
    MapData,
    MapFrame,
    NetworkData,
    PhaseData,
    SeriesData,
    TechSpaceData,
)
from innocluster.report.style import KIND_COLOURS, STAGE_COLOURS
from innocluster.tables import KINDS

YEARS = np.arange(2000, 2006)


def _frame(year, n):
    """A map frame of ``n`` firms and one leader on a 10 km square, with one hot spot."""
    rng = np.random.default_rng(year)
    points = {kind: tuple(np.zeros(0, np.float32) for _ in range(3)) + (np.zeros(0, np.int32),)
              for kind in KINDS}  # fmt: skip
    xy = rng.uniform(0, 10, (n + 1, 2)).astype(np.float32)
    points["firm"] = (xy[:n, 0], xy[:n, 1], np.full(n, 6, np.float32), np.arange(n, dtype=np.int32))
    points["leader"] = (xy[n:, 0], xy[n:, 1], np.full(1, 12, np.float32), np.array([99], np.int32))
    edges = np.linspace(0, 10, 3)
    density = np.histogram2d(xy[:, 1], xy[:, 0], bins=[edges, edges])[0].astype(np.int32)
    hull = np.array([[1, 1], [3, 1], [2, 3], [1, 1]], dtype=float)
    spots = pd.DataFrame({"organisations": [3], "share": [3 / (n + 1)], "x": [2.0], "y": [1.7]})
    return MapFrame(year, points, density, [hull], spots)


def test_map_figure_has_a_frame_per_year_and_a_slider_at_the_last():
    data = MapData(
        [_frame(2000, 5), _frame(2003, 8)], np.linspace(0, 10, 3), np.linspace(0, 10, 3), True
    )
    fig = map_figure(data)
    assert isinstance(fig, go.Figure)
    assert [t.type for t in fig.data] == ["heatmap", *["scatter"] * len(KINDS), "scatter"]
    assert [t.name for t in fig.data[1:]] == [*KINDS, "hot spots"]
    assert [f.name for f in fig.frames] == ["2000", "2003"]
    assert all(len(f.data) == len(fig.data) for f in fig.frames)
    slider = fig.layout.sliders[0]
    assert slider.active == 1 and [s.label for s in slider.steps] == ["2000", "2003"]
    assert fig.layout.title.text == "year 2003: 9 organisations, 1 hot spots hold 33%"
    firms = fig.data[1 + KINDS.index("firm")]
    assert len(firms.x) == 8 and firms.x.dtype == np.float32
    assert firms.marker.color == KIND_COLOURS["firm"]
    assert fig.data[0].zmax == max(f.density.max() for f in data.frames)
    assert list(fig.data[-1].x).count(None) == 1  # one hull, closed and broken once


def test_network_figure_draws_ties_kinds_and_the_platform_owner():
    nodes = pd.DataFrame(
        {
            "org_id": [1, 2, 3, 4],
            "kind": ["firm", "firm", "intermediary", "leader"],
            "degree": [2, 1, 0, 1],
            "x": [0.0, 1.0, 0.5, -1.0],
            "y": [0.0, 0.0, 1.0, 0.5],
            "owner": [False, False, False, True],
        }
    )
    edges = np.array([[[0, 0], [1, 0]], [[0, 0], [-1, 0.5]]], dtype=float)
    fig = network_figure(NetworkData(2010, nodes, edges, 4, 2))
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["alliances", "firm", "intermediary", "platform owner"]
    assert list(fig.data[0].x).count(None) == 2  # two segments
    assert len(fig.data[1].x) == 2 and fig.data[2].marker.symbol == "diamond"
    assert (
        fig.data[3].marker.symbol == "star" and fig.layout.title.text == "alliances active in 2010"
    )


def test_series_figure_has_a_line_per_series_and_shades_the_stages():
    stages = np.array(["emergence", "emergence", "growth", "growth", "growth", "maturity"])
    data = SeriesData(
        YEARS,
        [
            ("counts", {"firms": np.arange(6.0), "entries": np.ones(6)}),
            ("market", {"demand": np.linspace(1, 2, 6), "price": np.linspace(3, 2, 6)}),
        ],
        stages,
        {"price": "price (MU)"},
    )
    fig = series_figure(data)
    assert isinstance(fig, go.Figure)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.name for t in lines] == ["firms", "entries", "demand", "price"]
    assert all(len(t.x) == len(YEARS) and t.y.dtype == np.float32 for t in lines)
    assert len({t.line.color for t in lines}) == 4
    legend = [t.name for t in fig.data if t.legendgroup == "stages"]
    assert legend == ["emergence", "growth", "maturity"]
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(shaded) == 3 * 2  # three runs of stages, shaded on both rows
    shaded = [s for s in shaded if s.xref == "x"]  # the top row
    assert [s.fillcolor for s in shaded] == [STAGE_COLOURS[s] for s in dict.fromkeys(stages)]
    assert (shaded[1].x0, shaded[1].x1) == (2001.5, 2004.5)
    price = lines[-1]  # on the market row's right-hand axis, titled
    assert fig.layout["yaxis" + price.yaxis[1:]].title.text == "price (MU)"
    assert fig.layout["yaxis" + price.yaxis[1:]].side == "right"
    plain = series_figure(SeriesData(YEARS, [("one", {"a": np.ones(6)})]))
    assert len(plain.data) == 1 and not plain.layout.shapes


def test_phase_figure_colours_actions_and_marks_thresholds():
    k, a = np.linspace(0, 5, 6), np.linspace(0, 0.5, 6)
    actions = np.array(["none", "none", "supply", "supply", "connect", "connect"])
    phases = np.array(["a", "a", "b", "b", "c", "c"])
    run = phase_figure(PhaseData(YEARS, k, a, phases, actions, (2.0, 0.2)))
    assert isinstance(run, go.Figure)
    names = ["path", "action: none", "action: supply", "action: connect"]
    assert [t.name for t in run.data] == names
    assert [len(t.x) for t in run.data] == [6, 2, 2, 2]
    assert len(run.layout.shapes) == 2  # the two thresholds, dashed
    assert [a.text for a in run.layout.annotations] == ["start (2000)", "end (2005)"]
    real = phase_figure(PhaseData(YEARS, k, a, None, None, None))
    assert [t.name for t in real.data] == ["path", "year"] and not real.layout.shapes


def test_techspace_figure_fills_and_labels_the_specialisations():
    data = TechSpaceData(
        fields=np.array([0, 1, 2, 3]),
        patents=np.array([10.0, 5.0, 0.0, 1.0]),
        rca=np.array([1.5, 0.2, 0.0, 2.0]),
        proximity=np.eye(4),
        x=np.array([0.0, 1.0, 0.0, 1.0]),
        y=np.array([0.0, 0.0, 1.0, 1.0]),
        edges=[(0, 1), (1, 2), (2, 3)],
        focus=7,
    )
    fig = techspace_figure(data)
    assert isinstance(fig, go.Figure)
    links, special, other = fig.data
    assert list(links.x).count(None) == 3
    assert special.name == "RCA > 1 in region 7" and list(special.text) == ["field 0", "field 3"]
    assert other.name == "other fields" and len(other.x) == 2
    assert max(special.marker.size) == 40  # the field with most patents


def test_concentration_figure_draws_the_band_and_the_localised_distances():
    r = np.linspace(0, 10, 6)
    value = np.array([0.0, 0.3, 0.2, 0.1, 0.05, 0.0])
    hi, lo = np.full(6, 0.15), np.zeros(6)
    envelope = Envelope(
        "Kd", r, value, lo, hi, np.full(6, 0.08), value > hi, value < lo,
        "random labelling", "global", 0.05, 19, np.zeros((19, 6)),
    )  # fmt: skip
    fig = concentration_figure(ConcentrationData(envelope, 2010, 5, 20))
    assert isinstance(fig, go.Figure)
    names = [t.name for t in fig.data]
    assert names[1:] == ["global 95% envelope", "mean under the null", "Kd of innovators",
                         "localised"]  # fmt: skip
    assert fig.data[1].fill == "tonexty"
    np.testing.assert_allclose(fig.data[-1].x, [2.0, 4.0])
    flat = Envelope(
        "Kd", r, lo, lo, hi, lo, np.zeros(6, bool), np.zeros(6, bool),
        "random labelling", "global", 0.05, 19, np.zeros((19, 6)),
    )  # fmt: skip
    assert len(concentration_figure(ConcentrationData(flat, 2010, 5, 20)).data) == 4


def test_regions_figure_has_a_trace_per_phase_and_marks_the_focus():
    regions = pd.DataFrame(
        {
            "unit": [0, 1, 2, 3],
            "knowledge": [1.0, 2.0, 3.0, 4.0],
            "alliances": [0.5, 0.1, 0.9, 0.3],
            "phase": ["p1", "p2", "p1", "p3"],
            "action": ["supply", "connect", "supply", "none"],
        }
    )
    fig = regions_figure(regions, 2)
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["p1", "p2", "p3", "focus region"]
    assert len(fig.data[0].x) == 2
    focus = fig.data[-1]
    assert list(focus.x) == [3.0] and list(focus.text) == ["focus region 2"]
