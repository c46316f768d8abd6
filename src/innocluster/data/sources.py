"""Where the cluster tables come from, read before any measure sees them.

The measures are pure functions of arrays and tables: they read no file. Their callers read
here: ``innocluster diagnose`` and ``innocluster measure`` (:mod:`innocluster.cli.measure`) and
:func:`innocluster.diagnose`, which is :func:`read_and_diagnose`. (The report reads its folder
once, in :mod:`innocluster.report.data`.)

- :func:`read_tables`: the cluster tables of a folder (read and validated with
  :func:`innocluster.data.files.load_tables`), or tables already loaded, as they are;
- :func:`read_reference`: the knowledge and alliance stocks of a reference cluster from a TOML
  file, the thresholds of a diagnosis;
- :func:`read_and_diagnose`: both, then :func:`innocluster.measures.diagnosis.diagnose`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from innocluster.errors import InnoclusterError
from innocluster.measures.diagnosis import Diagnosis, MechanismRules, diagnose
from innocluster.measures.knowledge import DEPRECIATION

__all__ = ["read_and_diagnose", "read_reference", "read_tables"]


def read_tables(source: Any) -> Any:
    """The cluster tables of ``source``, read and validated if it is a folder.

    A folder (a ``str`` or a path) is read and validated; anything else (a mapping of
    DataFrames, a :class:`~innocluster.Run`) is returned as it is.

    Raises:
        InnoclusterError: the folder does not exist, or a table is missing or not valid.
    """
    if isinstance(source, (str, Path)):
        from innocluster.data.files import load_tables

        return load_tables(source)
    return source


def read_reference(path: str | Path) -> tuple[float, float]:
    """``(knowledge, alliances)``: the stocks of a reference cluster from a TOML file.

    The file gives ``knowledge = ...`` and ``alliances = ...`` (numbers); a diagnosis scores the
    regions' stocks against them (``reference="thresholds"``).

    Raises:
        InnoclusterError: the file does not exist, is not TOML, or a value is not a number.
    """
    from innocluster._files import read_toml

    path = Path(path)
    values = read_toml(path, "reference file")
    cuts = []
    for key in ("knowledge", "alliances"):
        value = values.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InnoclusterError(
                f"reference file '{path}': {key}: expected a number, got {value!r}"
            )
        cuts.append(float(value))
    return cuts[0], cuts[1]


def read_and_diagnose(
    tables: Any,
    *,
    region: Any = None,
    year: int | None = None,
    reference: str | Path = "others",
    thresholds: tuple[float, float] | None = None,
    per_organisation: bool = False,
    depreciation: float = DEPRECIATION,
    rules: MechanismRules = MechanismRules(),  # noqa: B008 -- frozen, as the measure's default
) -> Diagnosis:
    """Phase, governance and forming mechanisms of a cluster: ``innocluster.diagnose``.

    :func:`innocluster.measures.diagnosis.diagnose` after reading what it cannot: ``tables`` may
    also be the path of a data folder (a run folder, or CSV, TSV or Parquet files, read with
    :func:`read_tables`), and ``reference`` the path of a TOML file giving a reference cluster's
    stocks, ``knowledge = ...`` and ``alliances = ...``, used as thresholds
    (:func:`read_reference`). The other arguments are those of the measure.
    """
    tables = read_tables(tables)  # first, as before: a bad folder is reported before the file
    if str(reference).endswith(".toml"):
        thresholds, reference = read_reference(reference), "thresholds"
    return diagnose(
        tables,
        region=region,
        year=year,
        reference=reference,
        thresholds=thresholds,
        per_organisation=per_organisation,
        depreciation=depreciation,
        rules=rules,
    )
