"""Cluster tables: schema round trip of every table and validation on read."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from innocluster.errors import InnoclusterError
from innocluster.models import MODELS
from innocluster.tables import (
    ALLIANCES,
    ORGANIZATIONS,
    PATENTS,
    from_arrays,
    indicators_schema,
    read_table,
    write_table,
)

INDICATORS = indicators_schema(MODELS["benchmark"].indicators)

SAMPLES = {
    "organizations": (
        ORGANIZATIONS,
        {
            "org_id": np.array([0, 1, 2]),
            "kind": np.array(["firm", "institute", "leader"]),
            "x": np.array([0.5, 10.0, 99.9]),
            "y": np.array([1.0, 2.0, 3.0]),
            "region": np.array([0, 5, -1]),
            "field_focus": np.array([3, -1, 0]),
            "born": np.array([0, 0, 4]),
            "exited": np.array([-1, 7, -1]),
            "employees": np.array([10, -1, 250]),
            "parent": np.array([-1, -1, 0]),
        },
    ),
    "patents": (
        PATENTS,
        {
            "patent_id": np.array([10, 11]),
            "org_id": np.array([0, 2]),
            "year": np.array([3, 5]),
            "field": np.array([1, 15]),
            "x": np.array([0.5, 99.9]),
            "y": np.array([1.0, 3.0]),
        },
    ),
    "alliances": (
        ALLIANCES,
        {
            "org_a": np.array([0, 1]),
            "org_b": np.array([2, 2]),
            "start": np.array([1, 2]),
            "end": np.array([-1, 6]),
            "strength": np.array([1.0, 2.5]),
        },
    ),
    "indicators": (
        INDICATORS,
        {
            "step": np.array([1, 2]),
            "n_orgs": np.array([100, 101]),
            "total_knowledge": np.array([1.5, 2.5]),
            "mean_pool": np.array([0.1, 0.2]),
            "grid_gini": np.array([0.3, 0.25]),
        },
    ),
}


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_table_round_trips_through_parquet(tmp_path, name):
    schema, arrays = SAMPLES[name]
    table = from_arrays(schema, arrays)
    write_table(table, tmp_path / "t.parquet")
    back = read_table(tmp_path / "t.parquet", schema)
    assert back.equals(table)
    assert back.schema.field(0).metadata[b"meaning"]  # units and meanings travel with the file


def test_sentinel_minus_one_becomes_null_only_where_allowed():
    table = from_arrays(ORGANIZATIONS, SAMPLES["organizations"][1])
    assert table.column("exited").to_pylist() == [None, 7, None]
    assert table.column("parent").to_pylist() == [None, None, 0]
    assert table.column("born").null_count == 0


def test_empty_tables_keep_their_schema(tmp_path):
    write_table(PATENTS.empty(), tmp_path / "p.parquet")
    back = read_table(tmp_path / "p.parquet", PATENTS)
    assert back.num_rows == 0 and back.schema.names == [c.name for c in PATENTS.columns]


def _write(tmp_path, table):
    path = tmp_path / "bad.parquet"
    pq.write_table(table, path)
    return path


def test_missing_extra_and_mistyped_columns_are_named(tmp_path):
    good = from_arrays(PATENTS, SAMPLES["patents"][1])
    path = _write(tmp_path, good.drop_columns(["field"]))
    with pytest.raises(InnoclusterError, match=r"bad.parquet: missing column\(s\) field"):
        read_table(path, PATENTS)
    path = _write(tmp_path, good.append_column("colour", pa.array(["r", "g"])))
    with pytest.raises(InnoclusterError, match=r"unknown column\(s\) colour"):
        read_table(path, PATENTS)
    path = _write(tmp_path, good.set_column(3, "field", pa.array(["a", "b"])))
    with pytest.raises(InnoclusterError, match="column field: expected int32, got string"):
        read_table(path, PATENTS)


def test_nulls_duplicates_and_non_parquet_are_refused(tmp_path):
    good = from_arrays(PATENTS, SAMPLES["patents"][1])
    path = _write(tmp_path, good.set_column(2, "year", pa.array([3, None], pa.int32())))
    with pytest.raises(InnoclusterError, match="row 1, column year: missing value"):
        read_table(path, PATENTS)
    path = _write(tmp_path, good.set_column(0, "patent_id", pa.array([5, 5])))
    with pytest.raises(InnoclusterError, match="column patent_id: duplicate value 5"):
        read_table(path, PATENTS)
    text = tmp_path / "text.parquet"
    text.write_text("patent_id,org_id\n1,2\n")
    with pytest.raises(InnoclusterError, match="not a readable Parquet file"):
        read_table(text, PATENTS)
    with pytest.raises(InnoclusterError, match="file not found"):
        read_table(tmp_path / "none.parquet", PATENTS)


def test_optional_columns_travel_when_present_and_may_be_absent(tmp_path):
    arrays = dict(SAMPLES["organizations"][1])
    assert from_arrays(ORGANIZATIONS, arrays).column_names == [
        c.name for c in ORGANIZATIONS.columns
    ]
    arrays["name"] = np.array(["Acme", None, "Beta"], dtype=object)
    table = from_arrays(ORGANIZATIONS, arrays)
    assert table.column_names[-1] == "name" and table.column("name").to_pylist()[1] is None
    write_table(table, tmp_path / "o.parquet")
    assert read_table(tmp_path / "o.parquet", ORGANIZATIONS).equals(table)
    _write(tmp_path, table.append_column("colour", pa.array(["r", "g", "b"])))
    with pytest.raises(InnoclusterError, match="unknown column.*colour.*name, source_id$"):
        read_table(tmp_path / "bad.parquet", ORGANIZATIONS)
