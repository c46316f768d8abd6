"""innocluster import csv: a user's own files mapped onto the cluster tables."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app
from innocluster.data.mapping import import_csv
from innocluster.errors import InnoclusterError

MAPPING = """
[organizations]
file = "firms.csv"
kinds = { "Company" = "firm", "University" = "institute" }

[organizations.columns]
org_id = "firm_no"
kind = "type"
lon = "longitude"
lat = "latitude"
born = "founded"

[patents]
file = "patents.tsv"
columns = { patent_id = "number", org_id = "applicant", year = "filed", field = "class" }
"""
FIRMS = """firm_no,type,longitude,latitude,founded,notes
7,Company,-117.16,32.72,1990,first
8,University,-117.23,32.88,1960-09-01,
9,Company,-117.10,32.80,2001,spin-off
"""
PATENTS = "number\tapplicant\tfiled\tclass\n100\t7\t1995\t3\n101\t8\t2003\t3\n"


def source(tmp_path, firms=FIRMS, mapping=MAPPING):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "firms.csv").write_text(firms)
    (folder / "patents.tsv").write_text(PATENTS)
    (tmp_path / "map.toml").write_text(mapping)
    return folder, tmp_path / "map.toml"


def test_mapped_files_become_cluster_tables(tmp_path):
    folder, mapping = source(tmp_path)
    written = import_csv(folder, tmp_path / "data", mapping)
    assert written == {"organizations": 3, "patents": 2, "alliances": 0}
    tables = ic.load_tables(tmp_path / "data")
    orgs = tables["organizations"]
    assert orgs["org_id"].tolist() == [7, 8, 9]
    assert orgs["kind"].tolist() == ["firm", "institute", "firm"]
    assert orgs["born"].tolist() == [1990, 1960, 2001]
    assert ic.diagnose(tmp_path / "data").year == 2003


def test_problems_name_the_users_file_and_column_and_nothing_is_written(tmp_path):
    folder, mapping = source(tmp_path, firms=FIRMS.replace("Company,-117.10", "Shop,-117.10"))
    with pytest.raises(InnoclusterError) as err:
        import_csv(folder, tmp_path / "data", mapping)
    assert "firms.csv, row 3, column type: expected one of firm" in str(err.value)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (MAPPING.replace("[patents]", "[inventors]"), "unknown table [inventors]"),
        (MAPPING.replace('born = "founded"', 'birth = "founded"'), "unknown column birth"),
        (
            MAPPING.replace('"University" = "institute"', '"University" = "school"'),
            "expected one of firm, leader, institute, intermediary, got 'school'",
        ),
        (MAPPING.replace('"firm_no"', '"firm_id"'), "no column 'firm_id'"),
        ("[organizations\n", "not valid TOML"),
    ],
)
def test_bad_mappings(tmp_path, mapping, message):
    folder, path = source(tmp_path, mapping=mapping)
    with pytest.raises(InnoclusterError, match=message.replace("[", r"\[").replace("(", r"\(")):
        import_csv(folder, tmp_path / "data", path)


def test_cli_import_csv(tmp_path):
    folder, mapping = source(tmp_path)
    out = tmp_path / "data"
    result = CliRunner().invoke(
        app, ["import", "csv", str(folder), "--out", str(out), "--map", str(mapping)]
    )
    assert result.exit_code == 0, result.output
    assert "3 organizations, 2 patents, 0 alliances" in result.stdout
    assert CliRunner().invoke(app, ["validate", str(out)]).exit_code == 0
    bad = CliRunner().invoke(
        app, ["import", "csv", str(folder), "--out", str(out), "--map", str(tmp_path / "no.toml")]
    )
    assert bad.exit_code == 2 and "mapping file" in bad.stderr and "does not exist" in bad.stderr


def test_source_id_and_name_can_be_mapped_and_are_written(tmp_path):
    mapping = MAPPING.replace('born = "founded"', 'born = "founded"\nname = "notes"')
    folder, path = source(tmp_path, mapping=mapping)
    import_csv(folder, tmp_path / "data", path)
    orgs = ic.load_tables(tmp_path / "data")["organizations"]
    assert orgs["name"].fillna("-").tolist() == ["first", "-", "spin-off"]
    run_orgs = ic.simulate("benchmark", seed=1, steps=1, overrides={"n0": 50}).organizations
    assert "name" not in run_orgs and "source_id" not in run_orgs  # the simulator leaves them out
