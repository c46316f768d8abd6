"""``innocluster calibrate``: the folder it writes, a scenario that ``run`` accepts, and a
missing targets file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app


def test_cli_writes_a_scenario_that_run_accepts(tmp_path):
    targets = tmp_path / "targets.toml"
    targets.write_text(
        '[parameters]\n"research.beta" = [0.4, 0.8]\n'
        '[moments]\n"indicator:patents" = 100.0\nentry_rate = 0.15\n'
        "[calibration]\nbudget = 4\nreplications = 2\n"
    )
    out = tmp_path / "cal"
    small = ["--set", "population.n_firms=30", "--set", "population.n_institutes=3"]
    runner = CliRunner()
    args = ["calibrate", "default", "--targets", str(targets), "--set", "steps=3", *small]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "calibrated parameters" in result.output and "research.beta" in result.output
    report = json.loads((out / "calibration.json").read_text())
    assert [p["parameter"] for p in report["parameters"]] == ["research.beta"]
    assert report["candidates"] == 4
    assert {m["moment"] for m in report["moments"]} == {"indicator:patents", "entry_rate"}
    for name in ("parameters.csv", "moments.csv", "evaluations.csv", "scenario.toml"):
        assert (out / name).is_file()
    fitted = ic.load_scenario(out / "scenario.toml")
    assert fitted.research.beta == pytest.approx(report["parameters"][0]["estimate"])
    again = runner.invoke(app, ["run", str(out / "scenario.toml"), "--out", str(tmp_path / "r")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "r" / "indicators.parquet").is_file()

    bad = runner.invoke(app, ["calibrate", "default", "--targets", str(tmp_path / "none.toml")])
    assert bad.exit_code == 2
    assert "none.toml' does not exist" in bad.output
