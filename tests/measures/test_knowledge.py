"""Knowledge stock (perpetual inventory) and alliance stock."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from innocluster.errors import InnoclusterError
from innocluster.measures.knowledge import (
    alliance_stock,
    alliances_per_organisation,
    patent_stock,
    perpetual_inventory,
)


def loop_stock(flows, d, initial):
    out, s = [], np.asarray(initial, float)
    for p in flows:
        s = (1 - d) * s + p
        out.append(s)
    return np.array(out)


@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 30), st.integers(1, 4)), elements=st.floats(0, 1e6)
    ),
    st.floats(0, 1),
)
def test_matches_the_recursion(flows, d):
    initial = np.arange(flows.shape[1], dtype=float)
    np.testing.assert_allclose(
        perpetual_inventory(flows, d, initial), loop_stock(flows, d, initial), rtol=1e-12, atol=1e-6
    )


def test_default_depreciation_and_one_dimensional_input():
    np.testing.assert_allclose(perpetual_inventory([1, 0, 0]), [1, 0.85, 0.7225])
    with pytest.raises(InnoclusterError, match="depreciation"):
        perpetual_inventory([1, 2], depreciation=1.5)


def test_patent_stock_by_region_fills_missing_years():
    patents = pd.DataFrame({"year": [2000, 2000, 2002], "region": [3, 5, 3]})
    stock = patent_stock(patents, by="region", depreciation=0.5)
    assert stock.index.tolist() == [2000, 2001, 2002]
    assert stock[3].tolist() == [1.0, 0.5, 1.25] and stock[5].tolist() == [1.0, 0.5, 0.25]
    total = patent_stock(patents, by=None, years=[1999, 2000], depreciation=0.5)
    assert total["cluster"].tolist() == [0.0, 2.0]
    empty = patent_stock(patents.iloc[:0], by=None, years=[1, 2])
    assert empty["cluster"].tolist() == [0.0, 0.0]
    with pytest.raises(InnoclusterError, match="no column region"):
        patent_stock(patents.drop(columns="region"))


def test_alliance_stock_counts_active_alliances_and_density():
    alliances = pd.DataFrame(
        {
            "org_a": [0, 1, 2],
            "org_b": [1, 2, 3],
            "start": [1, 2, 2],
            "end": pd.array([3, None, 2], dtype="Int32"),
        }
    )
    out = alliance_stock(alliances, years=[0, 1, 2, 3], n_orgs=[4, 4, 4, 4])
    assert out["alliances"].tolist() == [0, 1, 2, 1]  # (2, 3) ends the year it starts
    assert out["partners"].tolist() == [0, 2, 3, 2]
    np.testing.assert_allclose(out["density"], [0, 1 / 6, 2 / 6, 1 / 6])


def test_alliances_per_organisation_is_the_degree_in_the_year():
    alliances = pd.DataFrame(
        {
            "org_a": [0, 1, 2],
            "org_b": [1, 2, 3],
            "start": [1, 2, 2],
            "end": pd.array([3, None, 2], dtype="Int32"),
        }
    )
    assert alliances_per_organisation(alliances, 2).to_dict() == {0: 1, 1: 2, 2: 1}
    assert alliances_per_organisation(alliances, 2, org_ids=[3, 0]).tolist() == [0, 1]
