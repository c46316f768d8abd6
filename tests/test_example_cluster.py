"""The simulated example cluster shipped with the package: it loads, validates and measures."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app


def test_the_example_is_a_small_simulated_run_folder():
    folder = ic.datasets.example_cluster()
    assert sum(p.stat().st_size for p in folder.iterdir()) < 2 * 2**20
    readme = (folder / "README.md").read_text("utf-8")
    assert "SIMULATED" in readme and "innocluster run default --seed 0" in readme
    info = json.loads((folder / "run.json").read_text("utf-8"))
    assert info["seed"] == 0 and info["scenario"] == "default"
    tables = ic.load_tables("example")  # every table validated
    assert tables.keys() == {"organizations", "patents", "alliances", "citations"}
    assert min(len(frame) for frame in tables.values()) > 0
    assert set(tables["organizations"]["kind"]) <= set(ic.data.KINDS)
    steps = pq.read_table(folder / "indicators.parquet")["step"].to_pylist()
    assert steps == list(range(1, info["steps"] + 1))  # one row per simulated year


def test_validate_measure_and_diagnose_accept_the_word_example():
    runner = CliRunner()
    valid = runner.invoke(app, ["validate", "example"])
    assert valid.exit_code == 0 and "example: valid (" in valid.stdout, valid.output
    measured = runner.invoke(app, ["measure", "example"])
    assert measured.exit_code == 0, measured.output
    profile = json.loads(measured.stdout)
    assert profile["size"]["organisations"] > 0 and "diagnosis" in profile
    diagnosed = runner.invoke(app, ["diagnose", "example", "--json"])
    assert diagnosed.exit_code == 0, diagnosed.output
    assert json.loads(diagnosed.stdout)["phase"]["action"]


def test_a_folder_named_example_wins_over_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "example").mkdir()
    result = CliRunner().invoke(app, ["validate", "example"])
    assert result.exit_code == 2 and "organizations: missing" in result.stderr
