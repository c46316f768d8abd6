"""Real data in: validated cluster tables from a user's files or the PatentsView bulk files.

A user's files may be CSV, TSV or Parquet.
"""

from innocluster.data.files import Problem, load_tables, validate_folder
from innocluster.data.mapping import import_csv
from innocluster.data.patentsview import import_patentsview
from innocluster.tables import KINDS

__all__ = ["KINDS", "Problem", "import_csv", "import_patentsview", "load_tables", "validate_folder"]
