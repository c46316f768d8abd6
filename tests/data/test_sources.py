"""Reading before measuring: the folder and the reference file of a diagnosis (data.sources)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import innocluster as ic
from innocluster.data.sources import read_and_diagnose, read_reference, read_tables
from innocluster.errors import InnoclusterError


def test_a_folder_is_read_and_loaded_tables_pass_through(
    tmp_path, cluster_tables, write_cluster_tables
):
    tables = cluster_tables()
    assert read_tables(tables) is tables
    write_cluster_tables(tables, tmp_path)
    read = read_tables(str(tmp_path))
    pd.testing.assert_frame_equal(
        read["patents"][["org_id", "year"]].reset_index(drop=True),
        tables["patents"][["org_id", "year"]].reset_index(drop=True),
        check_dtype=False,
    )
    with pytest.raises(InnoclusterError, match="does not exist"):
        read_tables(tmp_path / "none")


def test_a_reference_file_gives_two_numbers(tmp_path):
    ref = tmp_path / "reference.toml"
    ref.write_text("knowledge = 12\nalliances = 3.5\n")
    assert read_reference(ref) == (12.0, 3.5)
    ref.write_text("knowledge = true\nalliances = 1\n")
    with pytest.raises(InnoclusterError, match=r"knowledge: expected a number, got True$"):
        read_reference(ref)
    ref.write_text("knowledge = 1\n")
    with pytest.raises(InnoclusterError, match=r"alliances: expected a number, got None$"):
        read_reference(ref)
    with pytest.raises(InnoclusterError, match="reference file '.*none.toml' does not exist"):
        read_reference(tmp_path / "none.toml")


def test_innocluster_diagnose_reads_then_runs_the_measure(
    tmp_path, cluster_tables, write_cluster_tables
):
    assert ic.diagnose is read_and_diagnose
    write_cluster_tables(cluster_tables(), tmp_path)
    from innocluster.measures import diagnose

    expected = diagnose(ic.load_tables(tmp_path), year=9, per_organisation=True)
    got = ic.diagnose(tmp_path, year=9, per_organisation=True)
    pd.testing.assert_frame_equal(got.regions, expected.regions)
    pd.testing.assert_frame_equal(got.mechanisms, expected.mechanisms)


def test_reading_imports_no_drawing_library():
    code = (
        "import sys, innocluster.data.sources; "
        "print(sorted(m for m in ('plotly', 'matplotlib', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
