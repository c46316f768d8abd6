"""The HTML report: panels from run folders, real data and a model without patents or alliances.

The helpers ``small_run`` and ``data_folder`` are shared with the other report test files.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app
from innocluster.errors import InnoclusterError
from innocluster.measures.lifecycle import lifecycle_stage
from innocluster.report import PANELS, build_panels, write_report
from innocluster.report.data import load_cluster
from innocluster.report.panel_data import lifecycle_data, map_data, network_data, platform_owner

#: A small default run: 30 steps from 100 firms (a few seconds).
SMALL = {"population.n_firms": 100}


def small_run(folder, steps=30, **overrides):
    """Simulate the default scenario with 100 firms into ``folder``; returns the folder."""
    ic.simulate("default", seed=1, steps=steps, overrides={**SMALL, **overrides}).save(folder)
    return folder


def data_folder(folder, n=300, years=20, seed=0, alliances=True, employees=True):
    """A synthetic real-data folder (CSV): firms entering and leaving over ``years`` years in a
    50 km square, two technology hubs, patents in 8 fields, some alliances."""
    rng = np.random.default_rng(seed)
    hub = rng.integers(0, 3, n)  # 0, 1: hubs; 2: scattered
    centres = np.array([[12.0, 15.0], [35.0, 30.0]])
    x = np.where(
        hub < 2, centres[np.minimum(hub, 1), 0] + rng.normal(0, 2, n), rng.uniform(0, 50, n)
    )
    y = np.where(
        hub < 2, centres[np.minimum(hub, 1), 1] + rng.normal(0, 2, n), rng.uniform(0, 50, n)
    )
    born = np.where(np.arange(n) < n // 3, 2000, 2000 + rng.integers(1, years // 2, n))
    life = rng.integers(3, 3 * years, n)
    exited = np.where(born + life < 2000 + years, born + life, -1)
    kind = np.where(rng.random(n) < 0.08, "institute", "firm")
    orgs = pd.DataFrame(
        {
            "org_id": np.arange(n) + 100,
            "kind": kind,
            "x": np.clip(x, 0, 50).round(3),
            "y": np.clip(y, 0, 50).round(3),
            "born": born,
            "exited": pd.array(np.where(exited > 0, exited, None), dtype="Int64"),
        }
    )
    if employees:
        orgs["employees"] = rng.integers(1, 200, n)
    folder.mkdir(parents=True, exist_ok=True)
    orgs.to_csv(folder / "organizations.csv", index=False)
    m = 2000
    owner = rng.integers(0, n, m)
    field = np.where(hub[owner] == 0, rng.integers(0, 3, m), rng.integers(0, 8, m))
    year = np.minimum(born[owner] + rng.integers(0, years, m), 2000 + years - 1)
    pd.DataFrame(
        {"patent_id": np.arange(m), "org_id": owner + 100, "year": year, "field": field}
    ).to_csv(folder / "patents.csv", index=False)
    pairs = rng.integers(0, n // 3, (150, 2)) + 100  # among the first organisations
    pairs = np.unique(np.sort(pairs[pairs[:, 0] != pairs[:, 1]], axis=1), axis=0)
    table = pd.DataFrame({"org_a": pairs[:, 0], "org_b": pairs[:, 1], "start": 2001})
    (table if alliances else table.iloc[:0]).to_csv(folder / "alliances.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    return small_run(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def run_report(run_folder):
    path, _ = write_report(run_folder)
    return path.read_text("utf-8")


def _sections(html):
    """Panel key -> the HTML of its section."""
    parts = re.split(r'(?=<section class="panel")', html)
    return {re.search(r'data-panel="(\w+)"', p).group(1): p for p in parts if "data-panel" in p}


def test_report_of_a_run_has_every_panel_with_a_figure(run_report):
    sections = _sections(run_report)
    assert list(sections) == [p.key for p in PANELS]
    for key, html in sections.items():
        assert 'data-available="yes"' in html, key
        assert f'id="figure-{key}"' in html, key
        assert "Not available" not in html, key


def test_report_is_self_contained(run_report):
    # plotly's library once, inline; nothing outside it names a file to fetch.
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", run_report, flags=re.S)
    library = [s for s in scripts if len(s) > 1e6]
    assert len(library) == 1 and "plotly.js v" in library[0]
    page = run_report.replace(library[0], "")
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"""(href|src)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(http" not in page
    assert len(run_report.encode()) < 8e6


def test_diagnosis_panel_states_phase_and_mechanisms_with_numbers(run_folder, run_report):
    d = ic.diagnose(run_folder)
    html = _sections(run_report)["diagnosis"]
    assert d.phase["phase"] in html and d.phase["recommendation"] in html
    for mechanism in d.mechanisms["mechanism"]:
        assert f"<td>{mechanism}</td>" in html
    assert f"{d.mechanisms['value'].iloc[2]:,.4g}" in html


def test_map_frames_are_subsampled_and_end_at_the_last_year(run_folder):
    data = load_cluster(run_folder)
    result = map_data(data, max_frames=7)
    years = [f.year for f in result.frames]
    assert len(years) == 7 and years[0] == data.years[0] and years[-1] == data.last_year
    last = result.frames[-1]
    alive = data.alive(data.last_year)
    assert sum(len(p[0]) for p in last.points.values()) == len(alive)
    assert last.density.sum() == len(alive)
    assert all(len(f.hulls) == len(f.spots) for f in result.frames)
    assert any(len(f.spots) for f in result.frames)


def test_lifecycle_stages_are_those_of_the_measure(run_folder):
    data = load_cluster(run_folder)
    result = lifecycle_data(data)
    firms, flows = result.rows[0][1]["firms"], result.rows[1][1]
    expected = lifecycle_stage(firms, flows["entries"], flows["exits"])
    assert (result.stages == expected).all()
    ind = data.indicators.set_index("step")
    assert firms[-1] == ind["n_firms"].iloc[-1] + ind["n_leaders"].iloc[-1]


def test_network_draws_at_most_max_edges_and_says_so(run_folder):
    data = load_cluster(run_folder)
    full = network_data(data)
    capped = network_data(data, max_edges=3)
    assert len(capped.edges) == 3 < full.total_edges == capped.total_edges
    assert any("Only the 3 strongest" in note for note in capped.notes)
    alive = data.alive(data.last_year)
    intermediaries = set(alive.loc[alive["kind"] == "intermediary", "org_id"])
    assert intermediaries <= set(capped.nodes["org_id"])


def test_private_platform_owner_is_the_one_the_model_recorded(tmp_path):
    folder = small_run(
        tmp_path,
        steps=8,
        **{"governance.regime": "platform", "governance.platform_owner": "private"},
    )
    data = load_cluster(folder)
    owner, sentence = platform_owner(data)
    assert data.indicators["platform_owner"].dropna().unique().tolist() == [owner]
    assert data.organizations.set_index("org_id").loc[owner, "kind"] == "leader"
    assert "private platform" in sentence
    assert network_data(data).nodes["owner"].sum() == 1
    # Tables without the column: the owner is inferred as the model picks it, the largest
    # leading company (by the employees the table records).
    data.indicators = data.indicators.drop(columns="platform_owner")
    inferred, sentence = platform_owner(data)
    leaders = data.alive(1)
    leaders = leaders[leaders["kind"] == "leader"]
    assert inferred == leaders.loc[leaders["employees"].idxmax(), "org_id"]
    assert "inferred" in sentence


def test_real_data_report_says_what_it_lacks(tmp_path):
    folder = data_folder(tmp_path / "data", employees=False)
    path, _ = write_report(folder)
    sections = _sections(path.read_text("utf-8"))
    assert all('data-available="yes"' in html for html in sections.values())
    assert "Real data record no governance actions" in sections["phase"]
    assert "Demand, output and price are not in the folder" in sections["lifecycle"]
    assert "The SECI flows are not in the folder" in sections["knowledge"]
    assert "The organizations table has no employees" in sections["map"]


def test_panels_without_data_say_so_in_words(tmp_path):
    ic.simulate("benchmark", steps=3, overrides={"n0": 300}).save(tmp_path / "bench")
    contents = dict((p.key, c) for p, c in build_panels(load_cluster(tmp_path / "bench")))
    for key in ("network", "techspace", "concentration", "diagnosis", "phase"):
        assert contents[key].figure is None and contents[key].missing, key
    assert "no alliances" in contents["network"].missing
    assert contents["map"].figure is not None and contents["lifecycle"].figure is not None
    path, _ = write_report(tmp_path / "bench", tmp_path / "bench.html")
    html = path.read_text("utf-8")
    assert html.count('<p class="missing">Not available: ') == 5


def test_cli_report_writes_and_prints_the_path(run_folder, tmp_path):
    out = tmp_path / "sub" / "r.html"
    result = CliRunner().invoke(app, ["report", str(run_folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and out.stat().st_size > 1e6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "no/such/folder"], "is not a folder"),
        (["report", "{run}", "--out", "{tmp}/r.txt"], "expected a file name ending in .html"),
    ],
)
def test_cli_report_mistakes_are_one_line(run_folder, tmp_path, args, message):
    args = [a.format(run=run_folder, tmp=tmp_path) for a in args]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_write_report_leaves_nothing_behind_on_error(tmp_path):
    with pytest.raises(InnoclusterError):
        write_report(tmp_path)  # an empty folder: no tables
    assert list(tmp_path.iterdir()) == []
