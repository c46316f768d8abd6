"""A cluster folder read for the report (``report/data.py``): run folders and real data, the
years, who is alive, per-year counts, indicator columns, the map's extent, and the mistakes.

Counts are checked against direct pandas counts of the tables as written to the folder.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innocluster.errors import InnoclusterError
from innocluster.report.data import ClusterData, Unavailable, load_cluster
from innocluster.tables import PRODUCERS
from tests.report.helpers import data_folder


@pytest.fixture(scope="module")
def real_folder(tmp_path_factory):
    """A synthetic real-data folder (CSV), as ``data_folder`` writes it."""
    return data_folder(tmp_path_factory.mktemp("data") / "data")


def test_a_run_folder_is_read_with_its_indicators_and_scenario(run_folder):
    data = load_cluster(run_folder)
    assert isinstance(data, ClusterData) and data.source == "run" and data.folder == run_folder
    assert data.title == "default: seed 1, 30 steps (cluster model)"
    assert data.indicators is not None and data.scenario is not None
    assert data.info["seed"] == 1 and data.info["steps"] == 30
    assert set(data.tables) == {"organizations", "patents", "alliances", "citations"}
    assert data.tables["patents"] is data.patents
    orgs = pd.read_parquet(run_folder / "organizations.parquet")
    assert len(data.organizations) == len(orgs)
    assert data.extent == (0.0, float(data.scenario.space.L), 0.0, float(data.scenario.space.L))
    assert data.grid == data.scenario.space.R


def test_a_data_folder_is_real_data_without_indicators(real_folder):
    data = load_cluster(real_folder)
    assert data.source == "data" and data.title == "real data: data"
    assert data.indicators is None and data.scenario is None and data.info == {}
    assert data.column("n_firms") is None
    orgs = pd.read_csv(real_folder / "organizations.csv")
    assert data.extent == (orgs["x"].min(), orgs["x"].max(), orgs["y"].min(), orgs["y"].max())
    assert data.grid == 10


@pytest.mark.parametrize("which", ["run", "data"])
def test_years_run_from_the_first_entry_to_the_last_event(which, run_folder, real_folder):
    folder = run_folder if which == "run" else real_folder
    data = load_cluster(folder)
    read = pd.read_parquet if which == "run" else pd.read_csv
    suffix = ".parquet" if which == "run" else ".csv"
    orgs = read(folder / f"organizations{suffix}")
    last = [
        orgs["born"].max(),
        orgs["exited"].max(),
        read(folder / f"patents{suffix}")["year"].max(),
    ]
    last.append(read(folder / f"alliances{suffix}")["start"].max())
    if which == "run":
        last.append(pd.read_parquet(folder / "indicators.parquet")["step"].max())
    np.testing.assert_array_equal(data.years, np.arange(orgs["born"].min(), np.nanmax(last) + 1))
    assert data.years.dtype == np.int64 and data.last_year == data.years[-1]


@pytest.mark.parametrize("which", ["run", "data"])
def test_alive_and_alive_counts_agree_with_pandas(which, run_folder, real_folder):
    folder = run_folder if which == "run" else real_folder
    data = load_cluster(folder)
    orgs = data.organizations
    exited = orgs["exited"].astype("Float64")
    for year in data.years[:: max(1, len(data.years) // 6)]:
        want = orgs[(orgs["born"] <= year) & (exited.isna() | (exited > year))]
        assert data.alive(int(year))["org_id"].tolist() == want["org_id"].tolist()
    counts = [len(data.alive(int(year))) for year in data.years]
    np.testing.assert_array_equal(data.alive_counts(), counts)
    producers = [int(data.alive(int(year))["kind"].isin(PRODUCERS).sum()) for year in data.years]
    np.testing.assert_array_equal(data.alive_counts(PRODUCERS), producers)


def test_per_year_and_column_are_aligned_on_the_years(run_folder):
    data = load_cluster(run_folder)
    filed = data.per_year(data.patents["year"])
    assert filed.shape == data.years.shape and filed.dtype == np.float64
    assert filed.sum() == len(data.patents)
    by_year = data.patents["year"].value_counts()
    np.testing.assert_array_equal(filed, [by_year.get(y, 0) for y in data.years])
    indicators = pd.read_parquet(run_folder / "indicators.parquet").set_index("step")
    column = data.column("n_firms")
    assert column.shape == data.years.shape
    for year, value in zip(data.years, column, strict=True):
        if year in indicators.index:
            assert value == indicators.loc[year, "n_firms"]
        else:
            assert np.isnan(value)
    assert data.column("no_such_indicator") is None


def test_mistakes_and_missing_data_are_named(run_folder, tmp_path):
    with pytest.raises(InnoclusterError, match="is not a folder"):
        load_cluster(tmp_path / "nowhere")
    with pytest.raises(InnoclusterError):
        load_cluster(tmp_path)  # an empty folder: no tables
    data = load_cluster(run_folder)
    empty = ClusterData(tmp_path, "data", data.organizations.iloc[:0], data.patents, data.alliances)
    with pytest.raises(InnoclusterError, match="the organizations table is empty"):
        empty.years  # noqa: B018  (a property that checks)
    no_region = load_cluster(run_folder)
    no_region.organizations = no_region.organizations.assign(region=pd.NA)
    with pytest.raises(Unavailable, match="No organisation has a region"):
        no_region.diagnosis  # noqa: B018
    no_stocks = load_cluster(run_folder)
    no_stocks.patents, no_stocks.alliances = data.patents.iloc[:0], data.alliances.iloc[:0]
    with pytest.raises(Unavailable, match="neither patents nor alliances"):
        no_stocks.diagnosis  # noqa: B018
    assert data.diagnosis.year == data.last_year
