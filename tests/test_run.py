"""The Python API: simulate, save, load_run."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import innocluster as ic
from innocluster.errors import InnoclusterError


def test_simulate_returns_the_four_tables_as_dataframes():
    run = ic.simulate("benchmark", seed=1, steps=4, overrides={"n0": 600})
    assert run.indicators["step"].tolist() == [1, 2, 3, 4]
    assert list(run.indicators.columns) == [
        "step",
        "n_orgs",
        "total_knowledge",
        "mean_pool",
        "grid_gini",
    ]
    orgs = run.organizations
    alive = orgs["exited"].isna()
    assert alive.sum() == run.final()["n_orgs"]
    assert orgs["org_id"].is_unique and set(orgs["kind"]) == {"firm"}
    assert run.patents.empty and list(run.patents.columns)[:2] == ["patent_id", "org_id"]
    assert run.alliances.empty
    spinoffs = orgs[orgs["parent"].notna()]
    assert (spinoffs["born"] > 0).all() and spinoffs["parent"].isin(orgs["org_id"]).all()


def test_save_and_load_give_back_the_same_run(tmp_path):
    run = ic.simulate("benchmark", seed=2, steps=3, overrides=["n0=300"])
    folder = run.save(tmp_path / "run")
    assert sorted(p.name for p in folder.iterdir()) == [
        "alliances.parquet",
        "citations.parquet",
        "indicators.parquet",
        "organizations.parquet",
        "patents.parquet",
        "run.json",
        "scenario.toml",
    ]
    back = ic.load_run(folder)
    assert back.scenario == run.scenario and back.seed == 2
    for name, table in run.tables.items():
        assert back.tables[name].equals(table), name
    info = json.loads((folder / "run.json").read_text())
    assert info["seed"] == 2 and info["steps"] == 3 and info["innocluster"] == ic.__version__
    assert info["wall_seconds"] > 0


def test_saved_scenario_repeats_the_run_exactly(tmp_path):
    first = ic.simulate("benchmark", seed=9, steps=3, overrides={"n0": 400, "r": 0.08})
    first.save(tmp_path)
    again = ic.simulate(tmp_path / "scenario.toml", seed=9)
    pd.testing.assert_frame_equal(first.indicators, again.indicators)
    pd.testing.assert_frame_equal(first.organizations, again.organizations)


def test_save_leaves_other_files_alone_and_no_staging_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    ic.simulate("benchmark", steps=1, overrides={"n0": 50}).save(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_bad_seed_is_a_user_error(seed):
    with pytest.raises(InnoclusterError, match="seed: expected a non-negative integer"):
        ic.simulate("benchmark", seed=seed, steps=1)


def test_load_run_names_what_is_missing(tmp_path):
    with pytest.raises(InnoclusterError, match="does not exist"):
        ic.load_run(tmp_path / "none")
    ic.simulate("benchmark", steps=1, overrides={"n0": 20}).save(tmp_path)
    (tmp_path / "patents.parquet").unlink()
    with pytest.raises(InnoclusterError, match=r"patents.parquet: file not found"):
        ic.load_run(tmp_path)
    (tmp_path / "run.json").write_text("{oops")
    with pytest.raises(InnoclusterError, match="run.json: not valid JSON"):
        ic.load_run(tmp_path)
