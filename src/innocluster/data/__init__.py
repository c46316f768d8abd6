"""Real data in: cluster tables from a user's files (CSV, TSV, Parquet), validated."""

from innocluster.data.files import KINDS, Problem, load_tables, validate_folder

__all__ = ["KINDS", "Problem", "load_tables", "validate_folder"]
