"""Reporting from the command line: ``innocluster report`` and ``innocluster plot``.

The report, the figures and the commands' mistakes are tested in ``tests/report``; these tests
cover what the commands add: where they write by default and what they print.
"""

from __future__ import annotations

import shutil

import innocluster as ic
from tests.cli.helpers import invoke, unwrapped


def test_report_writes_report_html_in_the_folder_by_default(tmp_path):
    folder = tmp_path / "example"
    shutil.copytree(ic.datasets.example_cluster(), folder)
    result = invoke("report", folder)
    assert result.exit_code == 0, result.output
    path = folder / "report.html"
    said = unwrapped(result.stdout)
    assert said.startswith(unwrapped(f"wrote report {path} (")) and "MB," in said
    assert path.read_text("utf-8").lstrip().lower().startswith("<!doctype html>")


def test_plot_prints_the_path_it_wrote(tmp_path):
    out = tmp_path / "figures" / "lifecycle.png"
    result = invoke("plot", ic.datasets.example_cluster(), "--kind", "lifecycle", "--out", out)
    assert result.exit_code == 0, result.output
    assert unwrapped(result.stdout) == unwrapped(f"wrote {out}")
    assert out.read_bytes().startswith(b"\x89PNG")


def test_the_word_example_stands_for_the_shipped_example_cluster(tmp_path, monkeypatch):
    # As for measure and diagnose: "example" is the example cluster when no such folder exists.
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "lifecycle.png"
    plotted = invoke("plot", "example", "--kind", "lifecycle", "--out", out)
    assert plotted.exit_code == 0, plotted.output
    assert out.read_bytes().startswith(b"\x89PNG")
    reported = invoke("report", "example", "--out", tmp_path / "example.html")
    assert reported.exit_code == 0, reported.output
    assert (tmp_path / "example.html").stat().st_size > 100_000
