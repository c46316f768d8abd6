"""Real data in: cluster tables from CSV, TSV and Parquet files, validated."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app
from innocluster.data.files import lambert_equal_area, load_tables, validate_folder
from innocluster.errors import InnoclusterError

ORGS = """org_id,kind,lon,lat,born,exited,employees,parent
1,firm,-117.16,32.72,1990,,120,
2,institute,-117.23,32.88,1985-06-01,,3000,
3,firm,-117.10,32.80,2001,2010,15,1
"""
PATENTS = "patent_id\torg_id\tyear\tfield\n10\t1\t1995\t3\n11\t2\t2003-01-15\t3\n12\t3\t2005\t7\n"
ALLIANCES = "org_a,org_b,start\n1,2,1998\n"


def write(folder, organizations=ORGS, patents=PATENTS, alliances=ALLIANCES):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organizations.csv").write_text(organizations)
    (folder / "patents.tsv").write_text(patents)
    (folder / "alliances.csv").write_text(alliances)
    return folder


def messages(folder):
    return [str(p) for p in validate_folder(folder)[1]]


def test_a_valid_folder_is_read_and_completed(tmp_path):
    tables = load_tables(write(tmp_path))
    orgs = tables["organizations"]
    assert orgs["born"].tolist() == [1990, 1985, 2001]  # the ISO date keeps its year
    assert orgs["exited"].isna().tolist() == [True, True, False]
    assert orgs["x"].min() == 0 and orgs["y"].min() == 0  # projected, shifted to the origin
    assert orgs["region"].notna().all() and "lon" not in orgs
    pats = tables["patents"]
    assert pats["year"].tolist() == [1995, 2003, 2005]
    assert pats["x"].tolist() == orgs["x"].tolist()  # patents sit at their owner's position
    assert tables["alliances"]["strength"].tolist() == [1.0]
    assert ic.load_tables is load_tables


def test_projection_keeps_distances_within_a_cluster():
    lon, lat = np.array([-117.16, -117.23]), np.array([32.72, 32.88])
    x, y = lambert_equal_area(lon, lat)
    phi, lam = np.radians(lat), np.radians(lon)
    a = (
        np.sin((phi[1] - phi[0]) / 2) ** 2
        + np.cos(phi[0]) * np.cos(phi[1]) * np.sin((lam[1] - lam[0]) / 2) ** 2
    )
    haversine = 2 * 6371.0088 * np.arcsin(np.sqrt(a))  # great-circle distance, km
    assert np.hypot(x[1] - x[0], y[1] - y[0]) == pytest.approx(haversine, rel=1e-3)


def test_every_kind_of_problem_is_named_with_file_row_and_column(tmp_path):
    bad_orgs = (
        "org_id,kind,x,y,born,employees,colour\n1,firm,1.0,2.0,1990,-5,red\n"
        "1,univ,abc,2.0,19x0,3,blue\n3,firm,1,,2000,1.5,green\n"
    )
    folder = write(
        tmp_path,
        organizations=bad_orgs,
        patents="patent_id\torg_id\tyear\tfield\n10\t1\t1995\t3\n10\t9\t1996\t\n",
    )
    (folder / "alliances.csv").write_bytes(b"org_a,org_b,start\n1,\xff3,1999\n")
    found = "\n".join(messages(folder))
    for expected in [
        "alliances.csv: not UTF-8 text: byte 20 (line 2)",
        "organizations.csv, column colour: unknown column",
        "organizations.csv, row 2, column kind: expected one of firm, leader, institute",
        "organizations.csv, row 2, column x: expected a finite number, got 'abc'",
        "organizations.csv, row 2, column born: expected a year or an ISO date",
        "organizations.csv, row 3, column employees: expected an integer, got '1.5'",
        "organizations.csv, row 1, column employees: expected a count >= 0, got '-5'",
        "organizations.csv, row 3, column y: missing value",
        "organizations.csv, row 2, column org_id: duplicate id 1 (first in row 1)",
        "patents.tsv, row 2, column field: missing value",
        "patents.tsv, row 2, column patent_id: duplicate id 10 (first in row 1)",
        "patents.tsv, row 2, column org_id: organisation 9 does not exist in organizations",
    ]:
        assert expected in found, expected
    with pytest.raises(InnoclusterError, match=r"^12 problem\(s\) in"):
        load_tables(folder)


def test_missing_empty_and_duplicate_files(tmp_path):
    folder = write(tmp_path)
    (folder / "alliances.csv").write_text("")
    (folder / "patents.csv").write_text("patent_id,org_id,year,field\n")
    (folder / "organizations.csv").write_text("org_id,kind,born\n1,firm,1990\n")
    found = "\n".join(messages(folder))
    assert "alliances.csv: empty file" in found
    assert "several files for one table: patents.csv, patents.tsv" in found
    assert "column x: missing columns: expected x and y (km) or lon and lat" in found
    assert messages(tmp_path / "none") == [f"{tmp_path / 'none'}: data folder does not exist"]


def test_out_of_range_coordinates_and_dangling_alliances(tmp_path):
    orgs = ORGS.replace("-117.10,32.80", "-197.10,92.80")
    folder = write(tmp_path, organizations=orgs, alliances="org_a,org_b,start\n1,7,1998\n")
    found = "\n".join(messages(folder))
    assert "row 3, column lon: expected a longitude in [-180, 180], got '-197.10'" in found
    assert "row 3, column lat: expected a latitude in [-90, 90], got '92.80'" in found
    assert "alliances.csv, row 1, column org_b: organisation 7 does not exist" in found


def test_problems_stop_at_the_limit(tmp_path):
    rows = "".join(f"{i},firm,1,1,nope\n" for i in range(100))
    folder = write(tmp_path, organizations="org_id,kind,x,y,born\n" + rows)
    _, problems = validate_folder(folder, limit=7)
    assert len(problems) == 7


def test_parquet_run_folders_and_csv_folders_meet_the_same_measures(tmp_path):
    run = ic.simulate("benchmark", seed=3, steps=3, overrides={"n0": 300})
    run.save(tmp_path / "run")
    tables = load_tables(tmp_path / "run")
    assert len(tables["organizations"]) == len(run.organizations)
    assert ic.diagnose(tmp_path / "run").phase["action"] == "supply"
    folder = write(tmp_path / "csv")
    assert ic.diagnose(folder).year == 2010


def test_cli_validate(tmp_path):
    runner = CliRunner()
    good = runner.invoke(app, ["validate", str(write(tmp_path / "good"))])
    assert good.exit_code == 0 and "valid (3 organizations, 3 patents, 1 alliances)" in good.stdout
    bad_folder = write(tmp_path / "bad", alliances="org_a,org_b,start\n1,7,1998\n")
    bad = runner.invoke(app, ["validate", str(bad_folder)])
    assert bad.exit_code == 2
    lines = bad.stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and "organisation 7 does not exist" in lines[0]
    assert lines[-1] == "1 problem(s)" and "Traceback" not in bad.output


def test_source_id_and_name_are_optional_text_on_one_line(tmp_path):
    orgs = ORGS.replace("parent\n", "parent,source_id,name\n")
    orgs = orgs.replace("120,\n", '120,,A-1,"Acme, Inc."\n').replace("3000,\n", "3000,,U-7,\n")
    orgs = orgs.replace("15,1\n", '15,1,A-1,"Beta\tLab"\n')
    folder = write(tmp_path / "bad", organizations=orgs)
    assert messages(folder) == [
        f"{folder / 'organizations.csv'}, row 3, column name: expected text on one line "
        "(no tab, line break or control character), got 'Beta\\tLab'"
    ]
    folder = write(tmp_path / "good", organizations=orgs.replace("Beta\tLab", "Beta Lab"))
    orgs = load_tables(folder)["organizations"]
    assert orgs["source_id"].tolist() == ["A-1", "U-7", "A-1"]  # one source id, two sites
    assert orgs["name"].fillna("-").tolist() == ["Acme, Inc.", "-", "Beta Lab"]
    assert "source_id" not in load_tables(write(tmp_path / "without"))["organizations"]


CITATIONS = "citing,cited,year\n11,10,2003\n12,,2005\n12,11,2005\n"


def test_citations_are_optional_and_read_with_outside_patents_as_missing(tmp_path):
    assert "citations" not in load_tables(write(tmp_path / "without"))
    folder = write(tmp_path / "with")
    (folder / "citations.csv").write_text(CITATIONS)
    cites = load_tables(folder)["citations"]
    assert cites["cited"].isna().tolist() == [False, True, False]  # 12 cites outside the data
    assert cites["channel"].isna().all()  # real data does not know the channel


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("citing,cited,year\n99,10,2003\n", "row 1, column citing: patent 99 does not exist"),
        ("citing,cited,year\n11,98,2003\n", "row 1, column cited: patent 98 does not exist"),
        (
            "citing,cited,year\n10,12,1995\n",
            "row 1, column cited: patent 12 was filed in 2005, after the citing patent 10 (1995)",
        ),
        ("citing,year\n11,2003\n", "column cited: missing column"),
        ("citing,cited,year\n,10,2003\n", "row 1, column citing: missing value"),
    ],
)
def test_bad_citations_are_named_by_row_and_column(tmp_path, text, problem):
    folder = write(tmp_path)
    (folder / "citations.csv").write_text(text)
    found = "\n".join(messages(folder))
    assert f"citations.csv, {problem}" in found, found
