"""The panels of an experiment folder's report (``report/experiment_panels.py``): overview,
bands over steps, comparison, sensitivity and attribution, and what each says when its
analysis is not in the folder.

On the four tiny experiments of ``conftest.py`` (a grid with failing runs and a comparison, a
Sobol design with its indices, a Morris design analysed inside a test, a mechanism
attribution).
"""

from __future__ import annotations

import shutil

import pandas as pd

from innocluster.experiments import query, sensitivity
from innocluster.report import write_report
from innocluster.report.experiment import ExperimentData
from innocluster.report.experiment_panels import MAX_BAND_PANELS, experiment_panels
from tests.report.helpers import experiment_sections, missing_text


def test_grid_report_names_failed_runs_and_compares(folders, reports):
    sections = experiment_sections(reports["grid"])
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
    assert "the design is &#39;grid&#39;" in missing_text(sections["sensitivity"])
    assert "`innocluster attribute benchmark --out DIR`" in missing_text(sections["attribution"])


def test_sobol_report_bins_sampled_factors_and_draws_indices(folders, reports):
    sections = experiment_sections(reports["sobol"])
    assert "benchmark.s takes 8 sampled values" in sections["steps-0"]
    assert 'id="figure-sensitivity"' in sections["sensitivity"]
    indices = pd.read_parquet(folders["sobol"] / "sensitivity.parquet")
    top = indices.query("indicator == 'total_knowledge' and index == 'ST'")
    top = top.sort_values("value").iloc[-1]
    assert (
        f"most influential factor {top['factor']} (ST {top['value']:,.4g}"
        in (sections["sensitivity"])
    )
    assert missing_text(sections["compare"]).startswith(
        f"no comparison of final values in this folder: run `innocluster compare "
        f"{folders['sobol']} --by benchmark.s --metric n_orgs`"
    )


def test_morris_report_says_to_run_the_analysis_then_draws_it(folders, reports, tmp_path):
    before = experiment_sections(reports["morris"])["sensitivity"]
    assert missing_text(before) == (
        f"no sensitivity analysis in this folder: run `innocluster sensitivity "
        f"{folders['morris']}`."
    )
    copy = tmp_path / "morris"
    shutil.copytree(folders["morris"], copy)
    sensitivity(copy, ["total_knowledge"])
    after = experiment_sections(write_report(copy)[0].read_text("utf-8"))["sensitivity"]
    assert 'id="figure-sensitivity"' in after and "mu*" in after


def test_attribution_report_lists_shapley_values(folders, reports):
    section = experiment_sections(reports["attribution"])["attribution"]
    table = pd.read_parquet(folders["attribution"] / "attribution.parquet")
    for row in table.itertuples():
        assert f"<td>{row.mechanism}</td><td>{row.shapley:,.4g}</td>" in section
    first = table.iloc[0]
    assert f"{first['all_on']:,.4g} with every chosen mechanism on" in section


def _experiment(factors, folder):
    """An ExperimentData of one finished run per factor value, over ``factors`` (no runs on
    disk)."""
    runs = pd.DataFrame(
        {
            "run_id": ["r0", "r1"],
            "design_id": [0, 1],
            "seed": [0, 0],
            "status": ["ok", "ok"],
            "wall_seconds": [1.0, 2.0],
            **{f: [0.0, 1.0] for f in factors},
        }
    )
    record = {"name": "toy", "base": "benchmark", "model": "benchmark", "method": "grid",
              "factors": factors, "seeds": [0], "design_points": 2, "runs": 2,
              "indicators": []}  # fmt: skip
    return ExperimentData(folder, record, runs, None, None, None, None)


def test_one_band_panel_per_factor_up_to_the_cap(tmp_path):
    many = [f"benchmark.f{i}" for i in range(MAX_BAND_PANELS + 2)]
    panels = experiment_panels(_experiment(many, tmp_path))
    keys = [p.key for p in panels]
    bands = [f"steps-{k}" for k in range(MAX_BAND_PANELS)]
    assert keys == ["overview", *bands, "compare", "sensitivity", "attribution"]
    assert [p.title for p in panels[1:3]] == [
        "Over steps by benchmark.f0",
        "Over steps by benchmark.f1",
    ]
    overview = panels[0].build(_experiment(many, tmp_path))
    assert overview.notes[-1] == (
        f"Not drawn over steps (more than {MAX_BAND_PANELS} factors): "
        f"benchmark.f{MAX_BAND_PANELS}, benchmark.f{MAX_BAND_PANELS + 1}."
    )
    assert "2 ok, 0 failed, 0 pending. Total run time 3.0 s." in overview.paragraphs[2]
    none = experiment_panels(_experiment([], tmp_path))
    assert [p.key for p in none] == ["overview", "steps-0", "compare", "sensitivity", "attribution"]
    assert none[1].title == "Over steps"
    assert (
        "No factor is varied: one design point."
        in none[0].build(_experiment([], tmp_path)).paragraphs
    )
