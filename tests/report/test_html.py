"""The HTML report (``write_report``, ``innocluster report``): every panel in one page that needs
no network, for run folders and experiment folders; the command's mistakes; no half-written
file.

What the panels say is tested in ``test_panels.py`` and ``test_experiment_panels.py``; the page
opened in a browser in ``test_browser.py``.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import plotly.graph_objects as go
import pytest
from typer.testing import CliRunner

from innocluster.cli import app
from innocluster.errors import InnoclusterError
from innocluster.report import PANELS, Panel, PanelContent, render_report, write_report
from innocluster.report.data import Unavailable
from tests.report.helpers import panel_sections


def test_report_of_a_run_has_every_panel_with_a_figure(run_report):
    sections = panel_sections(run_report)
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


def test_reports_are_small_and_embed_plotly_once(reports):
    for html in reports.values():
        assert len(html.encode()) < 6e6
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
        library = [s for s in scripts if len(s) > 1e6]
        assert len(library) == 1 and "plotly.js v" in library[0]
        page = html.replace(library[0], "")
        assert not re.search(r"<script[^>]*\bsrc=", page)
        assert not re.search(r"""(href|src)=["']?(https?:)?//""", page)


def test_cli_report_writes_and_prints_the_path(run_folder, tmp_path):
    out = tmp_path / "sub" / "r.html"
    result = CliRunner().invoke(app, ["report", str(run_folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and out.stat().st_size > 1e6


def test_cli_report_detects_an_experiment_folder(folders, tmp_path):
    out = tmp_path / "e.html"
    result = CliRunner().invoke(app, ["report", str(folders["grid"]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote report {out}" in " ".join(result.output.split())
    assert "<p>Experiment from " in out.read_text("utf-8")


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


def test_render_report_draws_the_panels_it_is_given_and_escapes_text(tmp_path):
    def drawn(_data):
        return PanelContent(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), paragraphs=["a < b"])

    def lacking(_data):
        raise Unavailable("no <such> table")

    data = SimpleNamespace(title="a <title>", folder=tmp_path, source="data")
    panels = [Panel("one", "One", "drawn", drawn), Panel("two", "Two", "lacking", lacking)]
    html = render_report(data, panels)
    sections = panel_sections(html)
    assert list(sections) == ["one", "two"]
    assert 'id="figure-one"' in sections["one"] and "<p>a &lt; b</p>" in sections["one"]
    assert 'data-available="no"' in sections["two"]
    assert "Not available: no &lt;such&gt; table" in sections["two"]
    assert "a &lt;title&gt;" in html and "a <title>" not in html


def test_write_report_refuses_a_folder_as_out(tmp_path):
    target = tmp_path / "r.html"
    target.mkdir()
    with pytest.raises(InnoclusterError, match="is a folder: expected an .html file"):
        write_report(tmp_path, target)
