"""The citation localisation test (Jaffe, Trajtenberg and Henderson 1993)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.errors import InnoclusterError
from innocluster.measures import citation_localisation


def _patents(n: int, rng: np.random.Generator, fields: int = 3, years: int = 4) -> pd.DataFrame:
    # Patents of n organisations' own, spread over 4 regions (quadrants of a 100 km square).
    x, y = rng.uniform(0, 100, n), rng.uniform(0, 100, n)
    return pd.DataFrame(
        {
            "patent_id": np.arange(1000, 1000 + n),
            "org_id": np.arange(n),
            "year": rng.integers(0, years, n),
            "field": rng.integers(0, fields, n),
            "x": x,
            "y": y,
            "region": (x // 50).astype(int) * 2 + (y // 50).astype(int),
        }
    )


def _cite(patents: pd.DataFrame, citing_rows: np.ndarray, cited_rows: np.ndarray):
    ids = patents["patent_id"].to_numpy()
    return pd.DataFrame({"citing": ids[citing_rows], "cited": ids[cited_rows]})


def test_citations_from_the_cited_patents_region_are_found_localised():
    rng = np.random.default_rng(1)
    patents = _patents(4000, rng)
    region = patents["region"].to_numpy()
    # Each citing patent cites a patent of its own region: all citations are local, while a
    # control of the same field and year is local one time in four.
    citing = rng.choice(4000, 3000, replace=False)
    cited = np.array([rng.choice(np.flatnonzero(region == region[c])) for c in citing])
    keep = cited != citing
    table = citation_localisation(_cite(patents, citing[keep], cited[keep]), patents, [10.0])
    same = table.set_index("comparison").loc["same region"]
    assert same["share_cite"] == 1.0
    assert same["share_control"] == pytest.approx(0.25, abs=0.03)
    assert same["ratio_low"] > 3.0
    assert same["share_control_low"] <= same["share_control"] <= same["share_control_high"]
    assert list(table["comparison"]) == ["same region", "within 10 km"]


def test_citations_drawn_like_their_controls_show_no_localisation():
    rng = np.random.default_rng(2)
    patents = _patents(3000, rng)
    citing, cited = rng.integers(0, 3000, 4000), rng.integers(0, 3000, 4000)
    keep = citing != cited
    table = citation_localisation(_cite(patents, citing[keep], cited[keep]), patents, [25.0])
    for _, row in table.iterrows():
        assert row["ratio_low"] < 1.0 < row["ratio_high"], row["comparison"]


def test_self_citations_are_dropped_by_default_and_counted():
    rng = np.random.default_rng(3)
    patents = _patents(500, rng)
    patents.loc[patents.index[:100], "org_id"] = 7  # the first 100 patents share an owner
    citations = _cite(patents, np.arange(1, 51), np.zeros(50, dtype=int))  # 50 self-citations
    citations = pd.concat([citations, _cite(patents, np.arange(200, 260), np.arange(300, 360))])
    dropped = citation_localisation(citations, patents, boot=0).iloc[0]
    kept = citation_localisation(citations, patents, self_citations=True, boot=0).iloc[0]
    assert dropped["self_citations"] == kept["self_citations"] == 50
    assert dropped["citations"] + dropped["no_control"] == 60
    assert kept["citations"] + kept["no_control"] == 110
    assert np.isnan(dropped["ratio_low"])


def test_a_control_is_neither_patent_of_the_citation_nor_one_that_cites_the_cited_patent():
    # One field-year cell of three patents: 1 and 2 both cite 3, so neither citation has a
    # control (the cell's third patent is the cited one or cites it too). Patent 3's citation
    # of patent 1 has patent 2 as its only control.
    patents = pd.DataFrame(
        {
            "patent_id": [1, 2, 3],
            "org_id": [1, 2, 3],
            "year": [0, 0, 0],
            "field": [0, 0, 0],
            "x": [0.0, 50.0, 1.0],
            "y": [0.0, 0.0, 0.0],
        }
    )
    citations = pd.DataFrame({"citing": [1, 2, 3], "cited": [3, 3, 1]})
    row = citation_localisation(citations, patents, [5.0], boot=0).iloc[0]
    assert row["no_control"] == 2 and row["citations"] == 1
    # Patent 3 (at x = 1) cites patent 1 (at x = 0): within 5 km; its control, 2, is not.
    assert row["share_cite"] == 1.0 and row["share_control"] == 0.0


def test_same_seed_same_table_and_bad_input_named():
    rng = np.random.default_rng(4)
    patents = _patents(800, rng)
    citations = _cite(patents, rng.integers(0, 400, 600), rng.integers(400, 800, 600))
    one = citation_localisation(citations, patents, [20.0], seed=9)
    pd.testing.assert_frame_equal(one, citation_localisation(citations, patents, [20.0], seed=9))
    with pytest.raises(InnoclusterError, match="cited patent 5 is not in the patents table"):
        citation_localisation(pd.DataFrame({"citing": [1000], "cited": [5]}), patents)
    with pytest.raises(InnoclusterError, match="missing column 'field'"):
        citation_localisation(citations, patents.drop(columns="field"))
    with pytest.raises(InnoclusterError, match="nothing to compare"):
        citation_localisation(citations, patents.drop(columns="region"))
    with pytest.raises(InnoclusterError, match="non-negative"):
        citation_localisation(citations, patents, [-1.0])
    dup = pd.concat([patents, patents.iloc[:1]])
    with pytest.raises(InnoclusterError, match="appears more than once"):
        citation_localisation(citations, dup)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(20, 200))
def test_shares_are_shares_and_the_interval_holds_the_estimate(seed, n):
    rng = np.random.default_rng(seed)
    patents = _patents(n, rng, fields=2, years=2)
    citations = _cite(patents, rng.integers(0, n, 2 * n), rng.integers(0, n, 2 * n))
    for _, row in citation_localisation(citations, patents, [30.0], boot=200).iterrows():
        if row["citations"] == 0:
            continue
        for name in ("share_cite", "share_control"):
            assert 0.0 <= row[f"{name}_low"] <= row[name] <= row[f"{name}_high"] <= 1.0
