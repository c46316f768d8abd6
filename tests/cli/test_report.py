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
