"""The profile of a cluster: every measure from its tables, and `innocluster measure`."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app
from innocluster.measures.concentration import locational_gini
from innocluster.measures.profile import measure_cluster, profile_rows


def test_profile_of_a_cluster_with_a_hub(cluster_tables):
    tables = cluster_tables()
    p = measure_cluster(tables)
    assert p["year"] == 10 and set(p["seconds"]) == {
        "size",
        "geography",
        "technology",
        "network",
        "knowledge",
        "knowledge_flows",
        "life_cycle",
        "diagnosis",
    }
    assert p["size"]["organisations"] == 380 and p["size"]["active_alliances"] == 20
    geo = p["geography"]
    patents = np.array(geo["patents"])
    assert patents.sum() == p["size"]["patents"]
    assert geo["gini_patents"] == locational_gini(patents)
    assert geo["gini_patents"] > geo["gini_organisations"]  # innovation concentrates in the hub
    assert geo["morans_i_patents"]["I"] > 0 and geo["morans_i_patents"]["p_sim"] < 0.05
    assert p["network"]["edges"] == 20 and p["diagnosis"]["phase"]["action"] == "platform"
    json.dumps(p)  # plain data all the way down


def test_a_run_without_patents_says_what_is_missing():
    run = ic.simulate("benchmark", seed=2, steps=4, overrides={"n0": 600})
    p = measure_cluster(run)
    assert p["technology"] == {"missing": "no patents with fields"}
    assert p["geography"]["patents_missing"] == "no patents"
    assert p["knowledge"]["knowledge_stock"] == 0.0
    assert p["size"]["organisations"] == run.final()["n_orgs"]


def test_rows_and_cli_outputs(tmp_path, cluster_tables, write_cluster_tables):
    write_cluster_tables(cluster_tables(), tmp_path)
    rows = profile_rows(measure_cluster(ic.load_tables(tmp_path)))
    assert list(rows.columns) == ["section", "measure", "value", "json"]
    size = rows[(rows["section"] == "size") & (rows["measure"] == "organisations")]
    assert size["value"].tolist() == [380.0]
    runner = CliRunner()
    shown = runner.invoke(app, ["measure", str(tmp_path)])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["size"]["organisations"] == 380
    out = tmp_path / "profile" / "p.parquet"
    assert runner.invoke(app, ["measure", str(tmp_path), "--out", str(out)]).exit_code == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(out)[["section", "measure"]], rows[["section", "measure"]]
    )
    bad = runner.invoke(app, ["measure", str(tmp_path), "--out", str(tmp_path / "p.csv")])
    assert bad.exit_code == 2 and "expected a .json or .parquet file" in bad.stderr
    assert not (tmp_path / "p.csv").exists()


def test_knowledge_flows_of_a_simulated_run_and_of_tables_without_citations(cluster_tables):
    run = ic.simulate("default", seed=4, steps=20, overrides={"n_firms": 120})
    flows = measure_cluster(run)["knowledge_flows"]
    cites = run.citations
    assert flows["citations"] == len(cites)
    assert flows["share_outside"] == cites["cited"].isna().mean()
    assert flows["channels"]["background"] == (cites["channel"] == "background").mean()
    rows = {row["comparison"]: row for row in flows["localisation"]}
    assert list(rows) == ["same region"] + [f"within {d:g} km" for d in (5, 10, 25, 50, 100)]
    shares = [rows[f"within {d:g} km"]["share_cite"] for d in (5, 10, 25, 50, 100)]
    assert shares == sorted(shares) and shares[-1] > 0.95  # cumulative over distance
    assert rows["same region"]["ratio"] > 1  # the flows are local
    assert measure_cluster(cluster_tables())["knowledge_flows"] == {"missing": "no citations table"}
