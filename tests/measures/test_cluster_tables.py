"""The cluster tables as the table-level measures read them (``measures._cluster_tables``)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

import innocluster as ic
from innocluster.errors import InnoclusterError
from innocluster.measures._cluster_tables import cluster_frames, life_cycle, localisation_by
from innocluster.measures.diagnosis import diagnose
from innocluster.measures.profile import measure_cluster


def test_frames_of_a_mapping_and_of_a_run_like_object(cluster_tables):
    tables = cluster_tables()
    orgs, patents, alliances = cluster_frames(tables, "f")
    assert orgs is tables["organizations"] and patents is tables["patents"]

    held = SimpleNamespace(organizations=orgs, patents=patents, alliances=alliances)
    assert cluster_frames(held, "f")[2] is alliances
    with pytest.raises(InnoclusterError, match="^diagnose: the tables have no patents table$"):
        cluster_frames({"organizations": orgs, "alliances": alliances}, "f")


@pytest.mark.parametrize("path", ["data/ca", Path("data/ca")])
def test_the_measures_refuse_a_path_naming_themselves(path):
    for call, name in ((diagnose, "diagnose"), (measure_cluster, "measure_cluster")):
        with pytest.raises(InnoclusterError, match=f"^{name}: the tables are the path") as err:
            call(path)
        assert "innocluster.load_tables" in str(err.value) and "\n" not in str(err.value)


def test_the_diagnosis_refuses_a_reference_file_and_innocluster_diagnose_reads_it(
    tmp_path, cluster_tables
):
    ref = tmp_path / "reference.toml"
    ref.write_text("knowledge = 1e9\nalliances = 0\n")
    with pytest.raises(InnoclusterError, match="is a file, and measures read no file"):
        diagnose(cluster_tables(), reference=str(ref))
    read = ic.diagnose(cluster_tables(), reference=ref)
    given = diagnose(cluster_tables(), reference="thresholds", thresholds=(1e9, 0.0))
    assert read.phase == given.phase


def test_the_life_cycle_row_states_its_numbers(cluster_tables):
    row = life_cycle(cluster_tables()["organizations"], 10)
    assert row["mechanism"] == "life cycle" and row["value"] == 380.0
    assert row["verdict"] in ("emergence", "growth", "maturity", "shakeout", "decline")
    assert "380 organisations in 10" in row["evidence"]


def test_the_localisation_reads_a_seeded_sample_of_very_many_citations():
    tables = ic.load_tables("example")
    orgs, patents, cites = tables["organizations"], tables["patents"], tables["citations"]
    full, counts = localisation_by(cites, orgs, patents, 80, (10.0,))
    assert counts["sampled"] == 0 and counts["citations"] == len(cites)
    part, few = localisation_by(cites, orgs, patents, 80, (10.0,), limit=5000)
    again, _ = localisation_by(cites, orgs, patents, 80, (10.0,), limit=5000)
    assert few["sampled"] == 5000 and part.equals(again)  # the same sample every time
    assert part["citations"].iloc[0] < 5000 < full["citations"].iloc[0]  # less self-citations
    gap = abs(part["share_cite"] - full["share_cite"]).max()
    assert gap < 0.03  # a random sample: the same shares, up to sampling error
