"""Diagnosis of a cluster from its tables: phase, governance and forming mechanisms."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from innocluster.cli import app
from innocluster.errors import InnoclusterError
from innocluster.measures.diagnosis import MechanismRules, diagnose
from innocluster.tables import ALLIANCES, ORGANIZATIONS, PATENTS, from_arrays, write_table

SIDE = 6  # a 6 x 6 grid of 10 km regions
HUB = (0, 1, 6, 7)  # a 2 x 2 block of neighbouring regions where innovation concentrates


def cluster_tables(seed=0, patents_on=True, entrants=True, institutes=True):
    """Ten organisations per region (thirty in region 0), born at year 0, plus recent entrants."""
    rng = np.random.default_rng(seed)
    region = np.concatenate([np.repeat(np.arange(SIDE * SIDE), 10), np.zeros(20, int)])
    n = len(region)
    born = np.zeros(n, int)
    parent = np.full(n, -1)
    if entrants:  # 15% entered over the last five years, two thirds of them spin-offs
        new = rng.choice(n, int(0.15 * n), replace=False)
        born[new] = rng.integers(6, 11, len(new))
        parent[new[: 2 * len(new) // 3]] = 0
    kind = np.where(rng.random(n) < (0.1 if institutes else 0.0), "institute", "firm")
    x = (region % SIDE) * 10 + rng.uniform(0, 10, n)
    y = (region // SIDE) * 10 + rng.uniform(0, 10, n)
    orgs = pd.DataFrame(
        {
            "org_id": np.arange(n),
            "kind": kind,
            "x": x,
            "y": y,
            "region": region,
            "field_focus": 0,
            "born": born,
            "exited": pd.array([pd.NA] * n, dtype="Int32"),
            "employees": 10,
            "parent": pd.array(np.where(parent < 0, None, parent), dtype="Int64"),
        }
    )
    rate = np.where(np.isin(region, HUB), 3.0, 0.2) if patents_on else np.zeros(n)
    counts = rng.poisson(rate * 10)  # patents over ten years
    owner = np.repeat(np.arange(n), counts)
    patents = pd.DataFrame(
        {
            "patent_id": np.arange(len(owner)),
            "org_id": owner,
            "year": rng.integers(1, 11, len(owner)),
            "field": 0,
            "x": x[owner],
            "y": y[owner],
        }
    )
    in_zero = np.flatnonzero(region == 0)
    a, b = in_zero[:20], in_zero[10:30]  # twenty alliances inside region 0
    alliances = pd.DataFrame(
        {
            "org_a": np.minimum(a, b),
            "org_b": np.maximum(a, b),
            "start": 2,
            "end": pd.array([pd.NA] * 20, dtype="Int32"),
            "strength": 1.0,
        }
    )
    return {"organizations": orgs, "patents": patents, "alliances": alliances}


def test_a_hub_with_alliances_calls_for_a_platform_and_has_every_mechanism():
    d = diagnose(cluster_tables())
    assert d.year == 10 and d.focus == 0
    assert (d.phase["knowledge_level"], d.phase["alliance_level"]) == ("high", "high")
    assert d.phase["action"] == "platform"
    verdicts = dict(zip(d.mechanisms["mechanism"], d.mechanisms["verdict"], strict=True))
    assert verdicts["spillover"] == "present"  # patents concentrate in neighbouring regions
    assert verdicts["entrepreneurship"] == "present" and verdicts["government"] == "present"
    assert d.lacking == []
    away = d.regions.set_index("unit").loc[35]
    assert away["action"] == "supply"  # low knowledge, no alliances


def test_missing_mechanisms_are_flagged_with_their_numbers():
    d = diagnose(cluster_tables(patents_on=False, entrants=False, institutes=False), year=10)
    assert set(d.lacking) == {"spillover", "entrepreneurship", "government"}
    row = d.mechanisms.set_index("mechanism").loc["entrepreneurship"]
    assert row["value"] == 0 and "0 entries over 5 years" in row["evidence"]
    assert d.phase["action"] == "supply_network"  # no knowledge anywhere, alliances in region 0
    assert d.phase["knowledge_level"] == "low" and d.phase["alliance_level"] == "high"


def test_rules_and_focus_can_be_changed():
    tables = cluster_tables()
    strict = diagnose(tables, rules=MechanismRules(min_entry_rate=0.5, min_public_share=0.5))
    assert {"entrepreneurship", "government"} <= set(strict.lacking)
    other = diagnose(tables, region=35, per_organisation=True)
    assert other.focus == 35 and other.phase["action"] == "supply"
    with pytest.raises(InnoclusterError, match="region 99 has no organisation"):
        diagnose(tables, region=99)
    with pytest.raises(InnoclusterError, match="organizations table has no column kind"):
        diagnose({**tables, "organizations": tables["organizations"].drop(columns="kind")})


def test_the_cli_reads_a_folder_and_prints_json(tmp_path):
    tables = cluster_tables()
    for schema in (ORGANIZATIONS, PATENTS, ALLIANCES):
        frame = tables[schema.name]
        arrays = {
            c.name: frame[c.name].to_numpy(dtype=None, na_value=-1)
            if str(frame[c.name].dtype) in ("Int32", "Int64")
            else frame[c.name].to_numpy()
            for c in schema.columns
        }
        write_table(from_arrays(schema, arrays), tmp_path / f"{schema.name}.parquet")
    result = CliRunner().invoke(app, ["diagnose", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["phase"]["action"] == "platform" and out["lacking"] == []
    assert {m["mechanism"] for m in out["mechanisms"]} == {
        "spillover",
        "entrepreneurship",
        "government",
        "life cycle",
    }
    table = CliRunner().invoke(app, ["diagnose", str(tmp_path)])
    assert table.exit_code == 0 and "platform" in table.stdout
    assert diagnose(tmp_path).phase["action"] == "platform"  # a folder works in Python too
    missing = CliRunner().invoke(app, ["diagnose", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_a_simulated_run_can_be_diagnosed():
    import innocluster as ic

    run = ic.simulate("benchmark", seed=1, steps=8, overrides={"n0": 1500})
    d = ic.diagnose(run)
    assert d.year == 8 and d.phase["action"] == "supply"  # the benchmark has no patents
    assert "spillover" in d.lacking and "government" in d.lacking
