"""The report of an experiment folder: overview, bands over steps, comparison, sensitivity and
attribution, in HTML and in headless Chromium.

Four tiny experiments of the benchmark model (200 organisations, 8 steps) on one local worker:
a grid with failing runs and a comparison, a Sobol design with its indices, a Morris design
(analysed inside a test), and a mechanism attribution.
"""

from __future__ import annotations

import re
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from innocluster.cli import app
from innocluster.experiments import (
    attribute,
    compare,
    dask_client,
    load_experiment,
    query,
    sensitivity,
    sweep,
)
from innocluster.report import write_report
from innocluster.report.experiment import load_experiment_folder
from tests.report.test_browser import CHROMIUM, browser  # noqa: F401  (a fixture)

BASE = {
    "base": "benchmark",
    "steps": 8,
    "overrides": {"n0": 200},
    "indicators": ["n_orgs", "total_knowledge"],
}
RANGES = {"s": {"low": 0.0, "high": 0.1}, "delta": {"low": 0.0, "high": 0.2}}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The four experiment folders, by name: grid, sobol, morris, attribution."""
    tmp = tmp_path_factory.mktemp("experiments")
    out = {name: tmp / name for name in ("grid", "sobol", "morris", "attribution")}
    # a = 1e300 passes validation but overflows the model's Poisson draw: those runs fail
    grid = {**BASE, "name": "grid", "replications": 3, "out": str(out["grid"])}
    grid["factors"] = {"benchmark.s": [0.0, 0.05], "benchmark.a": [0.5, 1e300]}
    sobol = {**BASE, "name": "sobol", "replications": 2, "out": str(out["sobol"])}
    sobol.update(factors=RANGES, design={"method": "sobol", "samples": 4, "seed": 2})
    morris = {**BASE, "name": "morris", "replications": 2, "out": str(out["morris"])}
    morris.update(factors=RANGES, design={"method": "morris", "samples": 2, "seed": 2})
    with dask_client(workers=1) as client:
        for spec in (grid, sobol, morris):
            sweep(load_experiment(spec), client=client)
        attribute(
            "benchmark",
            "total_knowledge",
            ["spillover", "innovation"],
            replications=2,
            overrides=["n0=200"],
            steps=8,
            out=out["attribution"],
            client=client,
        )
    compare(out["grid"], "benchmark.s", "total_knowledge", plot=False)
    sensitivity(out["sobol"])
    return out


@pytest.fixture(scope="module")
def reports(folders):
    """The HTML of each folder's report (the Morris folder before its analysis), by name."""
    return {name: write_report(folder)[0].read_text("utf-8") for name, folder in folders.items()}


def _sections(html: str) -> dict[str, str]:
    parts = re.split(r'(?=<section class="panel")', html)[1:]
    return {re.search(r'data-panel="([^"]+)"', p).group(1): p for p in parts}


def _missing(section: str) -> str:
    return re.search(r'<p class="missing">Not available: (.*?)</p>', section, re.S).group(1)


def test_grid_report_names_failed_runs_and_compares(folders, reports):
    sections = _sections(reports["grid"])
    assert list(sections) == [
        "overview", "steps-0", "steps-1", "compare", "sensitivity", "attribution",
    ]  # fmt: skip
    overview = sections["overview"]
    failed = query(folders["grid"], "SELECT run_id FROM runs WHERE status = 'error'")["run_id"]
    assert len(failed) == 6
    assert "6 ok, 6 failed, 0 pending" in overview
    for run in failed:
        assert f"<td>{run}</td>" in overview
    assert "ValueError" in overview
    for key in ("steps-0", "steps-1", "compare"):
        assert f'id="figure-{key}"' in sections[key] and 'data-available="yes"' in sections[key]
    assert "No finished run for benchmark.a = 1e+300: not drawn." in sections["steps-1"]
    diff = pd.read_parquet(folders["grid"] / "compare.parquet").query("kind == 'difference'")
    row = diff.iloc[0]
    assert (
        f"{row['mean']:,.4g} (95% CI {row['ci_low']:,.4g} to {row['ci_high']:,.4g}"
        in (sections["compare"])
    )
    assert "the design is &#39;grid&#39;" in _missing(sections["sensitivity"])
    assert "`innocluster attribute benchmark --out DIR`" in _missing(sections["attribution"])


def test_bands_agree_with_the_run_files(folders):
    data = load_experiment_folder(folders["grid"])
    bands = data.bands("benchmark.s", ["total_knowledge"]).table
    runs = data.ok
    steps = pd.concat(
        [pd.read_parquet(folders["grid"] / "runs" / f"{r}.parquet") for r in runs["run_id"]]
    ).merge(runs[["run_id", "benchmark.s"]], on="run_id")
    for (level, step), values in steps.groupby(["benchmark.s", "step"])["total_knowledge"]:
        row = bands[(bands["level"] == str(level)) & (bands["step"] == step)].iloc[0]
        half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
        assert row["n"] == len(values) == 3
        assert (row["mean"], row["low"], row["high"]) == pytest.approx(
            (values.mean(), values.mean() - half, values.mean() + half)
        )


def test_sobol_report_bins_sampled_factors_and_draws_indices(folders, reports):
    sections = _sections(reports["sobol"])
    assert "benchmark.s takes 8 sampled values" in sections["steps-0"]
    assert 'id="figure-sensitivity"' in sections["sensitivity"]
    indices = pd.read_parquet(folders["sobol"] / "sensitivity.parquet")
    top = indices.query("indicator == 'total_knowledge' and index == 'ST'")
    top = top.sort_values("value").iloc[-1]
    assert (
        f"most influential factor {top['factor']} (ST {top['value']:,.4g}"
        in (sections["sensitivity"])
    )
    assert _missing(sections["compare"]).startswith(
        f"no comparison of final values in this folder: run `innocluster compare "
        f"{folders['sobol']} --by benchmark.s --metric n_orgs`"
    )


def test_morris_report_says_to_run_the_analysis_then_draws_it(folders, reports, tmp_path):
    before = _sections(reports["morris"])["sensitivity"]
    assert _missing(before) == (
        f"no sensitivity analysis in this folder: run `innocluster sensitivity "
        f"{folders['morris']}`."
    )
    copy = tmp_path / "morris"
    shutil.copytree(folders["morris"], copy)
    sensitivity(copy, ["total_knowledge"])
    after = _sections(write_report(copy)[0].read_text("utf-8"))["sensitivity"]
    assert 'id="figure-sensitivity"' in after and "mu*" in after


def test_attribution_report_lists_shapley_values(folders, reports):
    section = _sections(reports["attribution"])["attribution"]
    table = pd.read_parquet(folders["attribution"] / "attribution.parquet")
    for row in table.itertuples():
        assert f"<td>{row.mechanism}</td><td>{row.shapley:,.4g}</td>" in section
    first = table.iloc[0]
    assert f"{first['all_on']:,.4g} with every chosen mechanism on" in section


def test_reports_are_small_and_embed_plotly_once(reports):
    for html in reports.values():
        assert len(html.encode()) < 6e6
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
        library = [s for s in scripts if len(s) > 1e6]
        assert len(library) == 1 and "plotly.js v" in library[0]
        page = html.replace(library[0], "")
        assert not re.search(r"<script[^>]*\bsrc=", page)
        assert not re.search(r"""(href|src)=["']?(https?:)?//""", page)


def test_cli_report_detects_an_experiment_folder(folders, tmp_path):
    out = tmp_path / "e.html"
    result = CliRunner().invoke(app, ["report", str(folders["grid"]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote report {out}" in " ".join(result.output.split())
    assert "<p>Experiment from " in out.read_text("utf-8")


@pytest.fixture(scope="module", params=["sobol", "attribution", "grid"])
def opened(request, browser, folders, reports):  # noqa: F811  (browser is a fixture)
    """A report's page in Chromium, with the console errors and the requests seen."""
    path = folders[request.param] / "report.html"
    figures = reports[request.param].count('<div id="figure-')
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {figures}")
    page.wait_for_timeout(200)
    yield request.param, path, figures, page, errors, requests
    page.close()


def test_page_loads_without_errors_or_network_and_every_plot_draws(opened, tmp_path):
    name, path, figures, page, errors, requests = opened
    assert errors == []
    assert requests == [path.as_uri()]
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
            id: gd.id, traces: gd.data.length,
            marks: gd.querySelectorAll('.scatterlayer .trace path, .scatterlayer .point, '
                                       + '.barlayer .point').length}))"""
    )
    assert len(drawn) == figures >= 2
    for plot in drawn:
        assert plot["traces"] >= 1 and plot["marks"] >= 2, (name, plot)
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 50_000


def test_plot_of_an_experiment_folder_is_one_line_error(folders, tmp_path):
    out = tmp_path / "x.png"
    result = CliRunner().invoke(
        app, ["plot", str(folders["grid"]), "--kind", "map", "--out", str(out)]
    )
    assert result.exit_code == 2 and not out.exists()
    said = " ".join(result.output.split())
    assert "is an experiment folder: innocluster plot draws run and data folders" in said
