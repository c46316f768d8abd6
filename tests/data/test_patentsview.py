"""innocluster import patentsview: the PatentsView bulk files become cluster tables."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app
from innocluster.data.files import grid_regions, lambert_equal_area
from innocluster.data.patentsview import import_patentsview, parse_bbox, parse_years
from innocluster.errors import InnoclusterError

# The tables of a small release, as PatentsView writes them: a header row, tab-separated,
# quoted with " (doubled inside). None is an empty unquoted field.
PATENTS = (
    ["patent_id", "patent_type", "patent_date", "patent_title", "wipo_kind", "num_claims"],
    [
        ["1000001", "utility", "2010-01-01", 'A "smart"\twidget', "B2", "12"],  # first day
        ["1000002", "utility", "2012-06-30", "Widget\nover two lines", "B2", "3"],
        ["1000003", "utility", "2015-12-31", "Drug", "B1", "7"],  # last day of 2015
        ["1000004", "utility", "2016-01-01", "Too late", "B2", "1"],
        ["1000005", "utility", "2009-12-31", "Too early", "B2", "1"],
        ["D900001", "design", "2011-03-03", "Ornamental seat", "S1", "1"],
        ["1000006", "utility", "2013-05-05", "No class", "B2", "2"],
        ["1000007", "utility", None, "No date", "B2", "2"],
        ["1000008", "utility", "2014-02-02", "Compound", "B2", "5"],
        ["1000009", "utility", "2011-11-11", "Grid", "B2", "9"],
    ],
)
ACME, BETA = "Acme\tWidgets,  Inc.", 'Beta "Quoted"\x01 Corp'
STANFORD, TUM = "Leland Stanford University", "Technische Universität München"
ASSIGNEES = (
    [
        "patent_id",
        "assignee_sequence",
        "assignee_id",
        "disambig_assignee_individual_name_first",
        "disambig_assignee_individual_name_last",
        "disambig_assignee_organization",
        "assignee_type",
        "location_id",
    ],
    [
        ["1000001", "0", "asg-1", None, None, ACME, "2", "loc-sf"],
        ["1000001", "1", "asg-2", None, None, STANFORD, "2", "loc-stanford"],
        ["1000002", "0", "asg-2", None, None, STANFORD, "2", "loc-stanford"],
        ["1000002", "1", "asg-1", None, None, ACME, "2", "loc-sf"],
        ["1000003", "0", "asg-3", None, None, BETA, "3", None],
        ["1000004", "0", "asg-1", None, None, ACME, "2", "loc-sf"],
        ["1000005", "0", "asg-2", None, None, STANFORD, "2", "loc-stanford"],
        ["D900001", "0", "asg-4", "Jane", "Doe", None, "4", "loc-boston"],
        ["1000006", "0", "asg-6", None, None, "United States Navy", "6", "loc-dc"],
        ["1000007", "0", "asg-1", None, None, ACME, "2", "loc-sf"],
        ["1000008", "0", "asg-5", None, None, "Gamma LLC", "12", "loc-nowhere"],
        ["1000008", "1", "asg-7", None, None, TUM, "3", "loc-munich"],
        ["1000009", "0", "asg-1", None, None, ACME, "12.0", "loc-sf"],
        ["1000009", "1", "asg-3", None, None, BETA, "3", ""],
    ],
)
INVENTORS = (
    [
        "patent_id",
        "inventor_sequence",
        "inventor_id",
        "disambig_inventor_name_first",
        "disambig_inventor_name_last",
        "gender_code",
        "location_id",
    ],
    [
        ["1000003", "1", "inv-1", "Ann", "Lee", "F", "loc-sf"],
        ["1000003", "0", "inv-2", "Bo", "Kim", "M", "loc-austin"],  # the first-listed
        ["1000008", "0", "inv-3", "Cy", "Ng", "M", "loc-nowhere"],
        ["1000009", "0", "inv-4", "Di", "Li", "F", "loc-sf"],
    ],
)
LOCATIONS = (
    [
        "location_id",
        "disambig_city",
        "disambig_state",
        "disambig_country",
        "latitude",
        "longitude",
        "county",
        "state_fips",
        "county_fips",
    ],
    [
        ["loc-sf", "San Francisco", "CA", "US", "37.7749", "-122.4194", "SF", "06", "075"],
        ["loc-stanford", "Stanford", "CA", "US", "37.4275", "-122.1697", "SC", "06", "085"],
        ["loc-austin", "Austin", "TX", "US", "30.2672", "-97.7431", "Travis", "48", "453"],
        ["loc-boston", "Boston", "MA", "US", "42.3601", "-71.0589", "Suffolk", "25", "025"],
        ["loc-dc", "Washington", "DC", "US", "38.9072", "-77.0369", "DC", "11", "001"],
        ["loc-nowhere", "Unknown", None, "US", None, None, None, None, None],
        ["loc-munich", "München", None, "DE", "48.1351", "11.5820", None, None, None],
    ],
)
CPC = (
    [
        "patent_id",
        "cpc_sequence",
        "cpc_section",
        "cpc_class",
        "cpc_subclass",
        "cpc_group",
        "cpc_type",
    ],
    [
        ["1000001", "0", "G", "G06", "G06F", "G06F3/01", "additional"],
        ["1000001", "1", "H", "H01", "H01L", "H01L21/02", "inventional"],  # inventional first
        ["1000002", "1", "H", "H04", "H04L", "H04L9/00", "inventional"],
        ["1000002", "0", "G", "G06", "G06F", "G06F3/01", "inventional"],  # lowest sequence
        ["1000003", "0", "A", "A61", "A61K", "A61K31/00", "inventional"],
        ["1000004", "0", "A", "A61", "A61K", "A61K31/00", "inventional"],
        ["D900001", "0", "B", "B60", "B60N", "B60N2/00", "inventional"],
        ["1000008", "0", "C", "C07", "C07D", "C07D401/00", "inventional"],
        ["1000009", "0", "Y", "Y02", "Y02E", "Y02E10/00", "additional"],  # none inventional
        ["1000009", "1", "H", "H02", "H02J", "H02J3/00", "additional"],
    ],
)
TABLES = {
    "g_patent": PATENTS,
    "g_assignee_disambiguated": ASSIGNEES,
    "g_inventor_disambiguated": INVENTORS,
    "g_location_disambiguated": LOCATIONS,
    "g_cpc_current": CPC,
}


def tsv(header, rows, newline="\r\n"):
    """A PatentsView TSV: every value quoted, quotes doubled; None an empty field."""

    def cell(value):
        return "" if value is None else '"' + value.replace('"', '""') + '"'

    lines = ["\t".join(cell(v) for v in header)] + ["\t".join(map(cell, r)) for r in rows]
    return newline.join(lines) + newline


def release(folder, tables=TABLES, zipped=False, old=False):
    """Write the tables into ``folder``; ``old``: male_flag for gender_code, columns reversed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables.items():
        header, rows = list(header), [list(r) for r in rows]
        if old:
            header = ["male_flag" if h == "gender_code" else h for h in header][::-1]
            rows = [[{"F": "0", "M": "1"}.get(v, v) for v in r][::-1] for r in rows]
        text = tsv(header, rows, newline="\n" if old else "\r\n")
        if zipped:
            with zipfile.ZipFile(folder / f"{name}.tsv.zip", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(f"{name}.tsv", text)
        else:
            (folder / f"{name}.tsv").write_text(text, "utf-8")
    return folder


def replaced(table, column, old, new):
    """TABLES with ``old`` -> ``new`` in ``column`` of ``table`` (None renames the column)."""
    header, rows = TABLES[table]
    if old is None:
        header = [new if h == column else h for h in header]
    else:
        i = header.index(column)
        rows = [[new if j == i and v == old else v for j, v in enumerate(r)] for r in rows]
    return {**TABLES, table: (header, rows)}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("pv")
    counts = import_patentsview(release(root / "src"), root / "out", years=(2010, 2015))
    return counts, ic.load_tables(root / "out"), root


def test_organisations_kinds_names_and_positions(imported):
    counts, tables, _ = imported
    orgs = tables["organizations"]
    assert orgs["source_id"].tolist() == ["asg-1", "asg-2", "asg-3", "asg-4", "asg-6", "asg-7"]
    assert orgs["org_id"].tolist() == [0, 1, 2, 3, 4, 5]
    assert orgs["name"].tolist() == [
        "Acme Widgets, Inc.",  # the tab and the double space became one space
        STANFORD,
        'Beta "Quoted" Corp',  # the control character became a space, the two one
        "Doe, Jane",
        "United States Navy",
        TUM,
    ]
    # company, university by name, company (12.0: part interest), individual kept as a firm,
    # government, foreign company that is a university by name
    assert orgs["kind"].tolist() == ["firm", "institute", "firm", "firm", "institute", "institute"]
    assert orgs["born"].tolist() == [2010, 2010, 2011, 2011, 2013, 2014]
    assert orgs["field_focus"].tolist()[:4] == [606, 606, 61, 160]  # ties: the smallest field
    assert orgs["field_focus"].isna().tolist() == [False] * 4 + [True, False]
    # Beta has no location: its first-listed inventor's (Austin), not the second one's (SF).
    lon = np.array([-122.4194, -122.1697, -97.7431, -71.0589, -77.0369, 11.5820])
    lat = np.array([37.7749, 37.4275, 30.2672, 42.3601, 38.9072, 48.1351])
    x, y = lambert_equal_area(lon, lat)
    np.testing.assert_allclose(orgs["x"], x)
    np.testing.assert_allclose(orgs["y"], y)
    assert orgs["region"].tolist() == grid_regions(x, y, 10.0).tolist()
    assert orgs["exited"].isna().all() and orgs["parent"].isna().all()
    assert counts["assignees"] == 7  # Gamma (asg-5) has no position anywhere: dropped
    assert counts["without_position"] == 1 and counts["placed_by_inventors"] == 1


def test_patents_fields_years_and_alliances(imported):
    counts, tables, _ = imported
    pats = tables["patents"]
    # 2009-12-31 and 2016-01-01 are outside 2010-2015; 2010-01-01 and 2015-12-31 inside;
    # 1000006 has no CPC, 1000007 no date; D900001 is design patent 900001 (prefix code 1).
    assert pats["patent_id"].tolist() == [1000001, 1000002, 1000003, 1000008, 1000009, 1000900001]
    assert pats["year"].tolist() == [2010, 2012, 2015, 2014, 2011, 2011]
    # owner: the first-listed kept assignee (Gamma, first on 1000008, has no position)
    assert pats["org_id"].tolist() == [0, 1, 2, 5, 0, 3]
    # H01 (the inventional row), G06 (lowest sequence), A61, C07, Y02 (none inventional), B60
    assert pats["field"].tolist() == [701, 606, 61, 207, 802, 160]
    orgs = tables["organizations"].set_index("org_id")
    assert pats["x"].tolist() == orgs.loc[pats["org_id"], "x"].tolist()
    allies = tables["alliances"]
    assert allies[["org_a", "org_b", "start"]].values.tolist() == [[0, 1, 2010], [0, 2, 2011]]
    assert allies["strength"].tolist() == [2.0, 1.0] and allies["end"].isna().all()
    assert counts["organizations"] == 6 and counts["patents"] == 6 and counts["alliances"] == 2
    assert counts["patents_without_field"] == 1 and counts["patents_without_date"] == 1


def test_zipped_old_release_with_other_column_order_gives_the_same_tables(imported, tmp_path):
    _, tables, _ = imported
    src = release(tmp_path / "src", zipped=True, old=True)
    import_patentsview(src, tmp_path / "out", years=(2010, 2015))
    again = ic.load_tables(tmp_path / "out")
    for name, frame in tables.items():
        assert again[name].equals(frame), name
    assert sorted(p.name for p in src.iterdir()) == sorted(f"{t}.tsv.zip" for t in TABLES)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_written_folder_validates_and_measures(imported):
    _, _, root = imported
    runner = CliRunner()
    valid = runner.invoke(app, ["validate", str(root / "out")])
    assert valid.exit_code == 0, valid.output
    assert "6 organizations, 6 patents, 2 alliances" in valid.stdout
    assert runner.invoke(app, ["measure", str(root / "out")]).exit_code == 0
    assert ic.diagnose(root / "out").year == 2015


CITATIONS = (
    ["patent_id", "citation_sequence", "citation_patent_id", "citation_date", "record_name",
     "wipo_kind", "citation_category"],
    [
        ["1000002", "0", "1000001", "2010-01", "Smith", "B2", "cited by applicant"],
        ["1000002", "1", "1000001", "2010-01", "Smith", "B2", "cited by examiner"],  # again
        ["1000003", "0", "D0900001", "2011-03", "Doe", "S1", "cited by examiner"],  # zero-padded
        ["1000003", "1", "1000005", "2009-12", "Roe", "B2", "cited by applicant"],  # too early
        ["1000003", "2", "999999", "1999-01", "Poe", "A", "cited by applicant"],  # not in g_patent
        ["1000001", "0", "1000009", "2011-11", "Lee", "B2", "cited by examiner"],  # granted later
        ["1000004", "0", "1000001", "2010-01", "Smith", "B2", "cited by applicant"],  # too late
        ["1000009", "0", "1000001", "2010-01", "Smith", "B2", "cited by third party"],
    ],
)  # fmt: skip


def test_citations_are_read_when_their_file_is_there(tmp_path):
    src = release(tmp_path / "src", tables={**TABLES, "g_us_patent_citation": CITATIONS})
    counts = import_patentsview(src, tmp_path / "out", years=(2010, 2015))
    cites = ic.load_tables(tmp_path / "out")["citations"]  # validated: cited no later than citing
    assert cites["citing"].tolist() == [1000002, 1000003, 1000003, 1000003, 1000009]
    assert cites["cited"].tolist()[:2] == [1000001, 1000900001]
    assert cites["cited"].isna().tolist() == [False, False, True, True, False]  # outside
    assert cites["year"].tolist() == [2012, 2015, 2015, 2015, 2011]
    assert cites["channel"].tolist()[:2] == ["applicant", "examiner"]  # a pair kept once
    assert cites["channel"].isna().tolist()[-1]  # "cited by third party": no channel
    assert counts["citations"] == 5 and counts["citations_outside"] == 2
    assert counts["citations_cited_later"] == 1
    without = import_patentsview(release(tmp_path / "plain"), tmp_path / "out2")
    assert "citations" not in without and not (tmp_path / "out2" / "citations.parquet").exists()
    result = CliRunner().invoke(
        app,
        ["import", "patentsview", str(src), "--out", str(tmp_path / "cli"), "--years", "2010-2015"],
    )
    assert result.exit_code == 0, result.output
    assert "6 patents, 2 alliances, 5 citations" in result.stdout
    assert "note: 2 citation(s) of patents outside the import" in result.stdout


@pytest.mark.parametrize(
    ("options", "source_ids", "outside", "dropped"),
    [
        ({"state": "ca"}, ["asg-1", "asg-2"], 4, 0),
        ({"county": "06085"}, ["asg-2"], 5, 0),  # state_fips 06 + county_fips 085
        (
            {"bbox": (-100.0, 25.0, -70.0, 45.0)},
            ["asg-3", "asg-4", "asg-6"],
            3,
            0,
        ),  # Beta: inventor
        ({"individuals": "drop"}, ["asg-1", "asg-2", "asg-3", "asg-6", "asg-7"], 0, 1),
        ({"years": (2012, 2013)}, ["asg-1", "asg-2", "asg-6"], 0, 0),
    ],
)
def test_filters(tmp_path, options, source_ids, outside, dropped):
    src = release(tmp_path / "src")
    counts = import_patentsview(src, tmp_path / "out", **{"years": (2010, 2015), **options})
    tables = ic.load_tables(tmp_path / "out")
    assert tables["organizations"]["source_id"].tolist() == source_ids
    assert tables["organizations"]["org_id"].tolist() == list(range(len(source_ids)))
    assert (counts["outside_filter"], counts["individuals_dropped"]) == (outside, dropped)
    assert (1000900001 in tables["patents"]["patent_id"].tolist()) == ("asg-4" in source_ids)


@pytest.mark.parametrize(
    ("level", "fields"), [("section", [7, 6, 0]), ("subclass", [70111, 60605, 6110])]
)
def test_cpc_levels(tmp_path, level, fields):
    src = release(tmp_path / "src")
    import_patentsview(src, tmp_path / "out", years=(2010, 2015), cpc_level=level)
    assert ic.load_tables(tmp_path / "out")["patents"]["field"].tolist()[:3] == fields


@pytest.mark.parametrize(
    ("tables", "file", "column"),
    [
        (replaced("g_location_disambiguated", "latitude", None, "lat"), "g_location", "latitude"),
        (replaced("g_patent", "patent_date", None, "date"), "g_patent.tsv", "patent_date"),
        (replaced("g_cpc_current", "cpc_class", None, "class"), "g_cpc_current", "cpc_class"),
    ],
)
def test_a_missing_column_is_named_with_its_file(tmp_path, tables, file, column):
    src = release(tmp_path / "src", tables=tables)
    with pytest.raises(InnoclusterError, match=f"{file}.*: missing column {column} "):
        import_patentsview(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_filter_column_is_needed_only_with_its_filter(tmp_path):
    src = release(
        tmp_path / "src", tables=replaced("g_location_disambiguated", "county_fips", None, "fips")
    )
    import_patentsview(src, tmp_path / "out")
    with pytest.raises(InnoclusterError, match="missing column county_fips"):
        import_patentsview(src, tmp_path / "again", county="06085")


def test_a_broken_file_leaves_nothing_behind(tmp_path):
    header, rows = CPC
    broken = tsv(header, rows).replace('"A61K31/00"', '"A61K31/00')  # an unterminated quote
    src = release(tmp_path / "src")
    (src / "g_cpc_current.tsv").write_text(broken, "utf-8")
    reason = "cannot be read as a PatentsView TSV: CSV Error on Line: 6: Value with unterminated"
    with pytest.raises(InnoclusterError, match=f"g_cpc_current.tsv: {reason}"):
        import_patentsview(src, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]  # no output, no staging


def test_cli(tmp_path):
    src = release(tmp_path / "src")
    runner = CliRunner()
    args = ["import", "patentsview", str(src), "--out", str(tmp_path / "out")]
    good = runner.invoke(app, [*args, "--years", "2010-2015", "--state", "CA", "--grid-km", "5"])
    assert good.exit_code == 0, good.output
    assert "2 organizations, 3 patents, 1 alliances" in good.stdout
    assert "4 assignee(s) outside the filter" in good.stdout
    for bad, message in [
        (["--years", "2015-2010"], "the first year is after the last"),
        (["--bbox", "1,2,3"], "expected lon1,lat1,lon2,lat2"),
        (["--state", "CA", "--county", "06085"], "give at most one of them"),
        (["--cpc-level", "group"], "expected one of section, class, subclass"),
    ]:
        result = runner.invoke(app, [*args[:-1], str(tmp_path / "bad"), *bad])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error: ") and message in result.stderr
        assert "Traceback" not in result.output and not (tmp_path / "bad").exists()
    (src / "g_patent.tsv").unlink()
    missing = runner.invoke(app, [*args[:-1], str(tmp_path / "bad")])
    assert missing.exit_code == 2 and "g_patent.tsv: file not found" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_option_parsing():
    assert parse_years("2000-2019") == (2000, 2019) and parse_years("2010") == (2010, 2010)
    assert parse_bbox("-122.6,37.2,-121.7,37.9") == (-122.6, 37.2, -121.7, 37.9)
    with pytest.raises(InnoclusterError, match="--years '20-30'"):
        parse_years("20-30")


def test_an_assignee_without_any_name_keeps_a_null_name(tmp_path):
    header, rows = ASSIGNEES
    rows = [*rows, ["1000002", "2", "asg-8", None, None, None, "2", "loc-dc"]]
    tables = {**TABLES, "g_assignee_disambiguated": (header, rows)}
    import_patentsview(release(tmp_path / "src", tables=tables), tmp_path / "out")
    orgs = ic.load_tables(tmp_path / "out")["organizations"].set_index("source_id")
    assert pd.isna(orgs.loc["asg-8", "name"]) and orgs.loc["asg-8", "kind"] == "firm"


def test_duckdb_settings_are_checked(tmp_path):
    with pytest.raises(InnoclusterError, match="DuckDB settings refused: "):
        import_patentsview(release(tmp_path / "src"), tmp_path / "out", memory_limit="lots")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
