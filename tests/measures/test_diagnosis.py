"""Diagnosis of a cluster from its tables: phase, governance and forming mechanisms."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app
from innocluster.errors import InnoclusterError
from innocluster.measures.diagnosis import MechanismRules, diagnose


def test_a_hub_with_alliances_calls_for_a_platform_and_has_every_mechanism(cluster_tables):
    d = diagnose(cluster_tables())
    assert d.year == 10 and d.focus == 0
    assert (d.phase["knowledge_level"], d.phase["alliance_level"]) == ("high", "high")
    assert d.phase["action"] == "platform"
    verdicts = dict(zip(d.mechanisms["mechanism"], d.mechanisms["verdict"], strict=True))
    assert verdicts["spillover"] == "present"  # patents concentrate in neighbouring regions
    assert verdicts["entrepreneurship"] == "present" and verdicts["government"] == "present"
    assert d.lacking == []
    spill = d.mechanisms.set_index("mechanism").loc["spillover", "evidence"]
    assert "100% of 20 active alliances are inside one region" in spill
    away = d.regions.set_index("unit").loc[35]
    assert away["action"] == "supply"  # low knowledge, no alliances


def test_missing_mechanisms_are_flagged_with_their_numbers(cluster_tables):
    d = diagnose(cluster_tables(patents_on=False, entrants=False, institutes=False), year=10)
    assert set(d.lacking) == {"spillover", "entrepreneurship", "government"}
    row = d.mechanisms.set_index("mechanism").loc["entrepreneurship"]
    assert row["value"] == 0 and "0 entries over 5 years" in row["evidence"]
    assert d.phase["action"] == "supply_network"  # no knowledge anywhere, alliances in region 0
    assert d.phase["knowledge_level"] == "low" and d.phase["alliance_level"] == "high"


def test_rules_and_focus_can_be_changed(cluster_tables):
    tables = cluster_tables()
    strict = diagnose(tables, rules=MechanismRules(min_entry_rate=0.5, min_public_share=0.5))
    assert {"entrepreneurship", "government"} <= set(strict.lacking)
    other = diagnose(tables, region=35, per_organisation=True)
    assert other.focus == 35 and other.phase["action"] == "supply"
    with pytest.raises(InnoclusterError, match="region 99 has no organisation"):
        diagnose(tables, region=99)
    with pytest.raises(InnoclusterError, match="organizations table has no column kind"):
        diagnose({**tables, "organizations": tables["organizations"].drop(columns="kind")})


def test_the_cli_reads_a_folder_and_prints_json(tmp_path, cluster_tables, write_cluster_tables):
    write_cluster_tables(cluster_tables(), tmp_path)
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
    assert ic.diagnose(tmp_path).phase["action"] == "platform"  # a folder works in Python too
    missing = CliRunner().invoke(app, ["diagnose", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_a_simulated_run_can_be_diagnosed():
    import innocluster as ic

    run = ic.simulate("benchmark", seed=1, steps=8, overrides={"n0": 1500})
    d = ic.diagnose(run)
    assert d.year == 8 and d.phase["action"] == "supply"  # the benchmark has no patents
    assert "spillover" in d.lacking and "government" in d.lacking


def test_a_reference_file_sets_the_thresholds(tmp_path, cluster_tables):
    ref = tmp_path / "reference.toml"
    ref.write_text("knowledge = 1e9\nalliances = 0\n")
    d = ic.diagnose(cluster_tables(), reference=ref)
    assert (d.phase["knowledge_level"], d.phase["alliance_level"]) == ("low", "high")
    ref.write_text("knowledge = 'lots'\nalliances = 1\n")
    with pytest.raises(InnoclusterError, match="knowledge: expected a number, got 'lots'"):
        ic.diagnose(cluster_tables(), reference=ref)
    with pytest.raises(InnoclusterError, match="does not exist"):
        ic.diagnose(cluster_tables(), reference=tmp_path / "none.toml")


def _with_citations(tables, local, seed=0):
    # Each patent of years 6-10 cites 3 earlier patents: of its own region (local) or of
    # another one; the owners' regions place them.
    rng = np.random.default_rng(seed)
    patents, orgs = tables["patents"], tables["organizations"]
    region = patents["org_id"].map(orgs.set_index("org_id")["region"]).to_numpy()
    earlier = patents[patents["year"] <= 5]
    rows = []
    for _, p in patents[patents["year"] >= 6].iterrows():
        same = region[earlier.index] == region[p.name]
        pool = earlier[same if local else ~same]
        for cited in rng.choice(pool["patent_id"].to_numpy(), 3) if len(pool) else []:
            rows.append((p["patent_id"], cited, p["year"]))
    citations = pd.DataFrame(rows, columns=["citing", "cited", "year"]).drop_duplicates(
        ["citing", "cited"]
    )
    return {**tables, "citations": citations.assign(channel=None)}


@pytest.mark.parametrize(("local", "verdict"), [(True, "present"), (False, "lacking")])
def test_citations_judge_spillover_by_the_localisation_of_the_flows(cluster_tables, local, verdict):
    tables = _with_citations(cluster_tables(), local)
    row = diagnose(tables).mechanisms.set_index("mechanism").loc["spillover"]
    assert row["indicator"].startswith("same-region share of citations")
    assert row["verdict"] == verdict
    assert (row["value"] > 1) == local and "Moran's I of knowledge stock" in row["evidence"]
    without = diagnose(cluster_tables()).mechanisms.set_index("mechanism").loc["spillover"]
    assert without["indicator"] == "Moran's I of knowledge stock"
