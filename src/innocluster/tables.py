"""The cluster tables: the one data shape shared by simulation and real data.

Five tables describe a cluster (``docs/data-formats.md`` lists every column):

- ``organizations``: one row per organisation, alive or exited;
- ``patents``: one row per patent (codified innovation);
- ``alliances``: one row per alliance, ended or not;
- ``citations``: one row per citation of one patent by a later one (optional in real data);
- ``indicators``: one row per step (simulation) or year (real data); its columns depend on the
  model (``step`` always comes first).

Each table has one declared :class:`TableSchema` (column, dtype, unit, meaning), and may have
optional columns that a table carries or leaves out (the source identifier and name of
organisations from real data; the simulator leaves them out). Tables are
written as Parquet with pyarrow and read back with validation: a missing column, a value that
does not fit the declared type, a null where none is allowed, or a duplicate key is an
:class:`~innocluster.errors.InnoclusterError` naming the file, the column and the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from innocluster.errors import InnoclusterError

__all__ = [
    "KINDS",
    "PRODUCERS",
    "VALUES",
    "CLUSTER_TABLES",
    "OPTIONAL_TABLES",
    "Column",
    "TableSchema",
    "ORGANIZATIONS",
    "PATENTS",
    "ALLIANCES",
    "CITATIONS",
    "indicators_schema",
    "from_arrays",
    "write_table",
    "read_table",
    "to_pandas",
]

_TYPES = {
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "string": pa.string(),
}


#: Kinds of organisation the tables know (the values of the organizations table's ``kind``).
KINDS = ("firm", "leader", "institute", "intermediary")
#: The kinds that sell on the market.
PRODUCERS = ("firm", "leader")

#: How a value of a user's file is read and checked (:mod:`innocluster.data.files`): an id
#: (integer), a count (integer >= 0), a year (integer or ISO date), a finite number, a
#: longitude, a latitude, one of :data:`KINDS`, or text on one line.
VALUES = ("id", "count", "year", "float", "lon", "lat", "kind", "text")


@dataclass(frozen=True)
class Column:
    """One declared column.

    Attributes:
        name: the column's name.
        dtype: ``int32``, ``int64``, ``float64`` or ``string``.
        unit: its unit ("" for none).
        meaning: what it holds.
        nullable: whether the table may hold nulls in it.
        value: how a user's file gives it (one of :data:`VALUES`); default from the dtype.
        in_files: whether a user's data file must have the column; default: when it is not
            nullable. A column the reader fills in (positions from ``lon``/``lat``, a patent's
            position from its owner, an alliance's strength) is not required in files.
    """

    name: str
    dtype: str
    unit: str
    meaning: str
    nullable: bool = False
    value: str = ""
    in_files: bool | None = None

    def __post_init__(self) -> None:
        if not self.value:
            default = {"string": "text", "float64": "float"}.get(self.dtype, "count")
            object.__setattr__(self, "value", default)
        if self.value not in VALUES:
            raise ValueError(f"column {self.name}: value {self.value!r} not in {VALUES}")
        if self.in_files is None:
            object.__setattr__(self, "in_files", not self.nullable)

    @property
    def arrow_type(self) -> pa.DataType:
        """The pyarrow type of the column."""
        return _TYPES[self.dtype]


@dataclass(frozen=True)
class TableSchema:
    """A table's declared columns and what a user's file of it may hold.

    Attributes:
        name: the table's name.
        columns: the declared columns, in order.
        unique: the columns whose values must be unique.
        optional: nullable columns a table may carry after the declared ones, or leave out.
        alternatives: columns a user's file may give instead of declared ones, converted on
            reading and not part of the table (``lon``/``lat`` for ``x``/``y``).
    """

    name: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    optional: tuple[Column, ...] = ()
    alternatives: tuple[Column, ...] = ()

    @property
    def file_columns(self) -> tuple[Column, ...]:
        """Every column a user's file of this table may hold: declared, alternatives, optional."""
        return self.columns + self.alternatives + self.optional

    def including(self, names: list[str] | tuple[str, ...]) -> TableSchema:
        """This schema with the optional columns named in ``names`` appended.

        They are appended in their declared order; other names are ignored.
        """
        extra = tuple(c for c in self.optional if c.name in names)
        return TableSchema(self.name, self.columns + extra, self.unique)

    @property
    def arrow(self) -> pa.Schema:
        """The pyarrow schema, with each column's unit and meaning as field metadata."""
        return pa.schema(
            [
                pa.field(
                    c.name,
                    c.arrow_type,
                    nullable=c.nullable,
                    metadata={"unit": c.unit, "meaning": c.meaning},
                )
                for c in self.columns
            ]
        )

    def empty(self) -> pa.Table:
        """A table with this schema and no rows."""
        return self.arrow.empty_table()


ORGANIZATIONS = TableSchema(
    "organizations",
    (
        Column("org_id", "int64", "", "unique organisation id", value="id"),
        Column("kind", "string", "", "firm, leader, institute or intermediary", value="kind"),
        # In a user's file, positions may come as lon/lat instead (projected on reading).
        Column(
            "x",
            "float64",
            "km",
            "position, east (model length units for the benchmark)",
            in_files=False,
        ),
        Column(
            "y",
            "float64",
            "km",
            "position, north (model length units for the benchmark)",
            in_files=False,
        ),
        Column("region", "int32", "", "region index row * R + col of the R x R grid", True),
        Column("field_focus", "int32", "", "technology field of largest knowledge", True),
        Column(
            "born",
            "int32",
            "step or year",
            "step (year) of entry; 0 for the initial ones",
            value="year",
        ),
        Column(
            "exited",
            "int32",
            "step or year",
            "step (year) of exit; null if alive",
            True,
            value="year",
        ),
        Column("employees", "int64", "persons", "employees at exit or at the end", True),
        Column(
            "parent",
            "int64",
            "",
            "org_id of the parent of a spin-off; null if none",
            True,
            value="id",
        ),
    ),
    unique=("org_id",),
    optional=(
        Column("source_id", "string", "", "identifier in the source data (real data)", True),
        Column("name", "string", "", "name in the source data (real data)", True),
    ),
    alternatives=(
        Column("lon", "float64", "degrees", "longitude (instead of x, y)", True, value="lon"),
        Column("lat", "float64", "degrees", "latitude (instead of x, y)", True, value="lat"),
    ),
)

PATENTS = TableSchema(
    "patents",
    (
        Column("patent_id", "int64", "", "unique patent id", value="id"),
        Column("org_id", "int64", "", "owner organisation", value="id"),
        Column("year", "int32", "step or year", "step (year) of filing", value="year"),
        Column("field", "int32", "", "technology field"),
        # In a user's file, a patent without a position takes its owner's.
        Column("x", "float64", "km", "owner's position when filed, east", in_files=False),
        Column("y", "float64", "km", "owner's position when filed, north", in_files=False),
    ),
    unique=("patent_id",),
)

ALLIANCES = TableSchema(
    "alliances",
    (
        Column("org_a", "int64", "", "one partner (the smaller org_id)", value="id"),
        Column("org_b", "int64", "", "the other partner", value="id"),
        Column("start", "int32", "step or year", "step (year) the alliance began", value="year"),
        Column(
            "end",
            "int32",
            "step or year",
            "step (year) it ended; null if active",
            True,
            value="year",
        ),
        # In a user's file, an alliance without a strength has strength 1.
        Column("strength", "float64", "", "tie strength (grows with use)", in_files=False),
    ),
)


CITATIONS = TableSchema(
    "citations",
    (
        Column("citing", "int64", "", "the citing patent's patent_id", value="id"),
        Column(
            "cited",
            "int64",
            "",
            "the cited patent's patent_id; null if it lies outside the data",
            True,
            value="id",
        ),
        Column("year", "int32", "step or year", "step (year) of the citing patent", value="year"),
        Column(
            "channel",
            "string",
            "",
            "how the citing organisation learned what it cites (simulation), or who added the "
            "citation, examiner or applicant (real data); null if unknown",
            True,
        ),
    ),
)

#: The cluster tables a data folder holds, by name (the indicators table depends on the model).
CLUSTER_TABLES = {schema.name: schema for schema in (ORGANIZATIONS, PATENTS, ALLIANCES, CITATIONS)}
#: The cluster tables a data folder may leave out (real data without citations).
OPTIONAL_TABLES = ("citations",)


def indicators_schema(columns: tuple[Column, ...]) -> TableSchema:
    """The indicators table of a model: ``step`` followed by the model's indicator columns."""
    step = Column("step", "int32", "step or year", "step (year) observed")
    return TableSchema("indicators", (step, *columns), unique=("step",))


def from_arrays(schema: TableSchema, columns: dict[str, np.ndarray]) -> pa.Table:
    """Build a table from numpy arrays produced by the simulator (or by an import).

    In nullable integer columns the state's sentinel ``-1`` becomes null; a float NaN becomes
    null in nullable float columns, and ``None`` (or NaN) in nullable string columns. Optional
    columns of the schema are included when ``columns`` has them.
    """
    schema = schema.including(list(columns))
    arrays = []
    for col in schema.columns:
        values = np.asarray(columns[col.name])
        mask = None
        if col.nullable and col.dtype.startswith("int"):
            mask = values < 0
        elif col.nullable and col.dtype == "float64":
            mask = np.isnan(values)
        if col.dtype == "string" and col.nullable:
            arrays.append(pa.array(values.astype(object), type=pa.string(), from_pandas=True))
        elif col.dtype == "string":
            arrays.append(pa.array(values.astype(str), type=pa.string()))
        else:
            arrays.append(pa.array(values.astype(col.dtype), type=col.arrow_type, mask=mask))
    return pa.Table.from_arrays(arrays, schema=schema.arrow)


def write_table(table: pa.Table, path: str | Path) -> None:
    """Write a table as Parquet (zstd)."""
    pq.write_table(table, path, compression="zstd")


def read_table(path: str | Path, schema: TableSchema) -> pa.Table:
    """Read a Parquet table and validate it against ``schema``.

    Columns are returned in the declared order and cast to the declared types; extra columns
    are an error, since a misspelt column would otherwise be dropped silently.

    Raises:
        InnoclusterError: the file is missing or not Parquet, or a column is missing, extra,
            of the wrong type, null where not allowed, or a key is duplicated.
    """
    path = Path(path)
    if not path.is_file():
        raise InnoclusterError(f"{path}: file not found (expected the {schema.name} table)")
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise InnoclusterError(f"{path}: not a readable Parquet file ({err})") from None
    return validate(table, schema, str(path))


def validate(table: pa.Table, schema: TableSchema, source: str) -> pa.Table:
    """Check ``table`` against ``schema``; return it with the declared column order and types.

    The optional columns it has come after the declared ones.

    Args:
        table: the table as read.
        schema: the table's schema.
        source: where the table comes from (a file's path), for the error messages.

    Raises:
        InnoclusterError: a declared column is missing, a column is unknown, a value cannot be
            cast to its column's type, a required value is missing, or a unique column has a
            duplicate value.
    """
    absent = [c.name for c in schema.optional if c.name not in table.column_names]
    schema = schema.including(table.column_names)
    declared = [c.name for c in schema.columns]
    missing = [name for name in declared if name not in table.column_names]
    if missing:
        raise InnoclusterError(
            f"{source}: missing column(s) {', '.join(missing)} of the {schema.name} table"
        )
    extra = [name for name in table.column_names if name not in declared]
    if extra:
        raise InnoclusterError(
            f"{source}: unknown column(s) {', '.join(extra)}; the {schema.name} table has "
            f"{', '.join(declared + absent)}"
        )
    arrays = []
    for col in schema.columns:
        values = table.column(col.name)
        try:
            values = values.cast(col.arrow_type, safe=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise InnoclusterError(
                f"{source}: column {col.name}: expected {col.dtype}, got {values.type}"
            ) from None
        if not col.nullable and values.null_count:
            row = int(np.flatnonzero(values.is_null().to_numpy(zero_copy_only=False))[0])
            raise InnoclusterError(f"{source}: row {row}, column {col.name}: missing value")
        arrays.append(values)
    out = pa.Table.from_arrays(arrays, schema=schema.arrow)
    for name in schema.unique:
        keys = out.column(name).to_numpy()
        uniq, first, counts = np.unique(keys, return_index=True, return_counts=True)
        if (counts > 1).any():
            dup = uniq[counts > 1][0]
            rows = np.flatnonzero(keys == dup)[:2]
            raise InnoclusterError(
                f"{source}: column {name}: duplicate value {dup} (rows {rows[0]} and {rows[1]})"
            )
    return out


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A table as a DataFrame; nullable integer columns become pandas' nullable integers."""
    nullable = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}
    data = {}
    for f in table.schema:
        mapper = nullable.get if f.nullable and f.type in nullable else None
        data[f.name] = table.column(f.name).to_pandas(types_mapper=mapper)
    return pd.DataFrame(data)
