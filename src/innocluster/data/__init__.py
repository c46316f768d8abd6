"""Real data in: cluster tables from a user's files (CSV, TSV, Parquet), validated."""

from innocluster.data.files import KINDS, Problem, load_tables, validate_folder
from innocluster.data.mapping import import_csv

__all__ = ["KINDS", "Problem", "import_csv", "load_tables", "validate_folder"]
