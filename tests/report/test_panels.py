"""The panels of a run or data folder's report (``PANELS``, ``build_panels``): each builds a
figure with its notes, or says in words what the folder lacks.

The data behind the figures are tested in ``test_panel_data.py``, the page in ``test_html.py``.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

import innocluster as ic
from innocluster.report import PANELS, Panel, PanelContent, build_panels, write_report
from innocluster.report.data import Unavailable, load_cluster
from innocluster.report.panel_data import lifecycle_data, techspace_data
from tests.report.helpers import data_folder, panel_sections


def test_diagnosis_panel_states_phase_and_mechanisms_with_numbers(run_folder, run_report):
    d = ic.diagnose(run_folder)
    html = panel_sections(run_report)["diagnosis"]
    assert d.phase["phase"] in html and d.phase["recommendation"] in html
    for mechanism in d.mechanisms["mechanism"]:
        assert f"<td>{mechanism}</td>" in html
    assert f"{d.mechanisms['value'].iloc[2]:,.4g}" in html


def test_real_data_report_says_what_it_lacks(tmp_path):
    folder = data_folder(tmp_path / "data", employees=False)
    path, _ = write_report(folder)
    sections = panel_sections(path.read_text("utf-8"))
    assert "The folder has no citations table" in sections.pop("flows")
    assert all('data-available="yes"' in html for html in sections.values())
    assert "Real data record no governance actions" in sections["phase"]
    assert "Demand, output and price are not in the folder" in sections["lifecycle"]
    assert "The SECI flows are not in the folder" in sections["knowledge"]
    assert "The organizations table has no employees" in sections["map"]


def test_panels_without_data_say_so_in_words(tmp_path):
    ic.simulate("benchmark", steps=3, overrides={"n0": 300}).save(tmp_path / "bench")
    contents = dict((p.key, c) for p, c in build_panels(load_cluster(tmp_path / "bench")))
    for key in ("network", "techspace", "flows", "concentration", "diagnosis", "phase"):
        assert contents[key].figure is None and contents[key].missing, key
    assert "no citations table" in contents["flows"].missing
    assert "no alliances" in contents["network"].missing
    assert contents["map"].figure is not None and contents["lifecycle"].figure is not None
    path, _ = write_report(tmp_path / "bench", tmp_path / "bench.html")
    html = path.read_text("utf-8")
    assert html.count('<p class="missing">Not available: ') == 6


def _built_or_missing(panel, data):
    """A panel's content, or the sentence its builder raised to say what is missing."""
    try:
        return panel.build(data), None
    except Unavailable as reason:
        return None, str(reason)


def test_every_panel_builds_on_a_small_run_or_says_what_is_missing(run_folder, tmp_path):
    run = load_cluster(run_folder)
    bare = load_cluster(data_folder(tmp_path / "data", alliances=False))
    keys = [p.key for p in PANELS]
    assert len(set(keys)) == len(keys) and all(p.title and p.about for p in PANELS)
    for data, can_lack in ((run, set()), (bare, {"network", "flows"})):
        for panel in PANELS:
            content, missing = _built_or_missing(panel, data)
            if missing is not None:
                assert panel.key in can_lack and missing.endswith("."), (panel.key, missing)
                continue
            assert isinstance(content, PanelContent) and content.missing is None, panel.key
            assert isinstance(content.figure, go.Figure) and len(content.figure.data), panel.key
            assert all(isinstance(n, str) and n for n in content.notes), panel.key
    _, missing = _built_or_missing(PANELS[[p.key for p in PANELS].index("network")], bare)
    assert missing == "The folder has no alliances: there is no alliance network to draw."


def test_lifecycle_and_techspace_panels_state_what_their_data_show(run_folder):
    data = load_cluster(run_folder)
    panels = {p.key: p for p in PANELS}
    stages = lifecycle_data(data).stages
    sentence = panels["lifecycle"].build(data).paragraphs[0]
    assert sentence.startswith(f"Stage in {data.last_year}: {stages[-1]} (")
    for stage in set(stages):
        assert f"{stage} {(stages == stage).sum()} years" in sentence
    space = techspace_data(data)
    special = space.fields[space.rca > 1]
    words = panels["techspace"].build(data).paragraphs[0]
    assert words.startswith(f"Region {space.focus} is specialised (RCA > 1) in fields ")
    assert words.endswith((", ".join(str(f) for f in special) if len(special) else "none") + ".")


def test_build_panels_keeps_order_times_each_and_turns_unavailable_into_words():
    def drawn(data):
        return PanelContent(paragraphs=[f"got {data}"])

    def lacking(_data):
        raise Unavailable("The folder has no such table.")

    panels = [Panel("b", "B", "drawn", drawn), Panel("a", "A", "lacking", lacking)]
    built = build_panels("x", panels)
    assert [p.key for p, _ in built] == ["b", "a"]
    (_, first), (_, second) = built
    assert first.paragraphs == ["got x"] and first.missing is None
    assert second.missing == "The folder has no such table." and second.figure is None
    assert first.seconds >= 0 and second.seconds >= 0


def test_build_panels_lets_other_errors_through():
    def broken(_data):
        raise KeyError("column")

    with pytest.raises(KeyError):
        build_panels(None, [Panel("x", "X", "broken", broken)])


def test_flows_panel_compares_citations_with_their_controls_over_distance():
    data = load_cluster("example")
    content = PANELS[[p.key for p in PANELS].index("flows")].build(data)
    names = [t.name for t in content.figure.data if t.name]
    assert names == ["controls (same field and year)", "citations"]
    cites = content.figure.data[5].y  # the citations' cumulative shares over distance
    assert (cites[1:] >= cites[:-1]).all() and 0.5 < cites[-1] < 1  # up to half the map
    assert "times as often" in content.paragraphs[0]
    assert "self-citations left out" in content.notes[0]
