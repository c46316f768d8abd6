"""Concentration and specialisation: hand-worked cases, properties, and the EG/MS dartboard."""

from __future__ import annotations

from fractions import Fraction as Fr

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from innocluster.errors import InnoclusterError
from innocluster.measures.concentration import (
    ellison_glaeser,
    hoover,
    krugman_specialisation,
    location_quotient,
    locational_gini,
    maurel_sedillot,
    plant_herfindahl,
    rarefied_gini,
)
from innocluster.measures.inequality import gini

# Two regions by two industries; region totals 10 and 30, industry totals 8 and 32, all 40.
COUNTS = np.array([[6.0, 4.0], [2.0, 28.0]])

count_matrices = arrays(
    np.int64,
    st.tuples(st.integers(2, 8), st.integers(1, 6)),
    elements=st.integers(0, 50),
)


def test_location_quotient_by_hand():
    # LQ_rf = (x_rf / x_r.) / (x_.f / x..): (6/10)/(8/40) = 3, (4/10)/(32/40) = 1/2,
    # (2/30)/(8/40) = 1/3, (28/30)/(32/40) = 7/6.
    np.testing.assert_allclose(location_quotient(COUNTS), [[3, 0.5], [1 / 3, 7 / 6]])
    # One industry against a reference: its share over the region's share of the reference.
    np.testing.assert_allclose(location_quotient([6, 2], reference=[10, 30]), [3, 1 / 3])
    # Equal-sized regions by default for (R,): count over mean count.
    np.testing.assert_allclose(location_quotient([1, 3, 0, 4]), [0.5, 1.5, 0, 2])


def test_location_quotient_is_nan_where_undefined():
    lq = location_quotient(np.array([[1.0, 0.0], [0.0, 0.0], [3.0, 0.0]]))
    assert np.isnan(lq[1]).all()  # region without activity
    assert np.isnan(lq[:, 1]).all()  # industry without activity
    assert lq[0, 0] == 1.0


def test_hoover_by_hand():
    # Industry shares (6/8, 2/8) against region shares (1/4, 3/4): 1/2 (1/2 + 1/2) = 1/2;
    # (4/32, 28/32) against the same: 1/2 (1/8 + 1/8) = 1/8.
    np.testing.assert_allclose(hoover(COUNTS), [0.5, 0.125])
    assert hoover([5, 0, 0, 0]) == pytest.approx(0.75)  # all in one of four equal regions
    assert hoover([2, 2, 2]) == 0.0
    assert hoover([1, 3], reference=[1, 3]) == 0.0


def test_krugman_specialisation_by_hand():
    # Region mixes (0.6, 0.4) and (1/15, 14/15). Against the rest (here: the other region),
    # both are 2 |0.6 - 1/15| = 16/15. Against the total mix (0.2, 0.8): 2 * 0.4 = 0.8 and
    # 2 * (0.2 - 1/15) = 4/15.
    np.testing.assert_allclose(krugman_specialisation(COUNTS), [16 / 15, 16 / 15])
    np.testing.assert_allclose(krugman_specialisation(COUNTS, "total"), [0.8, 4 / 15])
    # Completely different industries: the maximum, 2.
    np.testing.assert_allclose(krugman_specialisation(np.eye(3)), [2, 2, 2])
    k = krugman_specialisation(np.array([[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]]))
    assert np.isnan(k[1]) and k[0] == 0.0 and k[2] == 0.0


def test_locational_gini_calls_the_project_gini():
    lq = location_quotient(COUNTS)
    np.testing.assert_allclose(locational_gini(COUNTS), [gini(lq[:, 0]), gini(lq[:, 1])])
    # By hand: LQs (3, 1/3): Gini = |3 - 1/3| / (2 * 2 * mean) with mean 5/3 -> 0.4.
    assert locational_gini(COUNTS)[0] == pytest.approx(0.4)
    # (R,) counts against equal-sized regions: the Gini of the counts themselves.
    assert locational_gini([0, 0, 0, 5]) == pytest.approx(0.75)
    assert locational_gini([3, 6, 9], reference=[1, 2, 3]) == 0.0
    g = locational_gini(np.array([[1.0, 0.0], [2.0, 0.0]]))
    assert g[0] == 0.0 and np.isnan(g[1])


@settings(max_examples=80, deadline=None)
@given(count_matrices, st.integers(1, 1000))
def test_hoover_properties(counts, scale):
    assume(counts.sum() > 0)
    h = hoover(counts)
    active = counts.sum(axis=0) > 0
    assert np.all(np.isnan(h[~active]))
    assert np.all((h[active] >= 0) & (h[active] < 1))
    np.testing.assert_allclose(hoover(counts * scale), h, atol=1e-12)  # scale free
    # Proportional to the aggregate: zero.
    ref = counts.sum(axis=1)
    np.testing.assert_allclose(hoover(np.outer(ref, [1, 3])), [0, 0], atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(count_matrices, st.integers(1, 1000))
def test_location_quotient_and_krugman_properties(counts, scale):
    assume(counts.sum() > 0)
    lq = location_quotient(counts)
    share = counts.sum(axis=1) / counts.sum()
    active = counts.sum(axis=0) > 0
    # The reference-weighted mean of every industry's LQ is 1.
    np.testing.assert_allclose(np.nansum(share[:, None] * lq, axis=0)[active], 1.0)
    np.testing.assert_allclose(location_quotient(counts * scale), lq, atol=1e-12)
    for benchmark in ("rest", "total"):
        k = krugman_specialisation(counts, benchmark)
        ok = ~np.isnan(k)
        assert np.all((k[ok] >= 0) & (k[ok] <= 2 + 1e-12))
        np.testing.assert_allclose(krugman_specialisation(counts * scale, benchmark), k)
    g = locational_gini(counts)
    assert np.all((g[active] >= 0) & (g[active] < 1))


# ----------------------------------------------------------------------------------------------
# Ellison-Glaeser and Maurel-Sedillot
# ----------------------------------------------------------------------------------------------

# Three regions with aggregate employment 50, 30, 20: x = (1/2, 3/10, 1/5), sum x^2 = 19/50.
AGGREGATE = np.array([50.0, 30.0, 20.0])
# Industry 0: plants of 4, 2, 2, 2 in regions 0, 0, 1, 2; industry 1: two plants of 5 in region 0.
SIZES = np.array([4.0, 2.0, 2.0, 2.0, 5.0, 5.0])
REGION = np.array([0, 0, 1, 2, 0, 0])
INDUSTRY = np.array([0, 0, 0, 0, 1, 1])


def test_ellison_glaeser_worked_example():
    x = [Fr(1, 2), Fr(3, 10), Fr(1, 5)]
    sx2 = sum(v * v for v in x)  # 19/50
    # Industry 0: s = (3/5, 1/5, 1/5), H = (16 + 4 + 4 + 4) / 100 = 7/25, G = 1/50.
    s0, H0 = [Fr(3, 5), Fr(1, 5), Fr(1, 5)], Fr(7, 25)
    G0 = sum((a - b) ** 2 for a, b in zip(s0, x, strict=True))
    assert G0 == Fr(1, 50)
    gamma0 = (G0 - (1 - sx2) * H0) / ((1 - sx2) * (1 - H0))
    assert gamma0 == Fr(-32, 93)
    # Industry 1: s = (1, 0, 0), H = 1/2, G = 1/4 + 9/100 + 1/25 = 19/50, gamma = 7/31.
    G1 = Fr(19, 50)
    gamma1 = (G1 - (1 - sx2) * Fr(1, 2)) / ((1 - sx2) * Fr(1, 2))
    assert gamma1 == Fr(7, 31)

    r = ellison_glaeser(SIZES, REGION, INDUSTRY, aggregate=AGGREGATE)
    np.testing.assert_allclose(r.gamma, [-32 / 93, 7 / 31], rtol=1e-12)
    np.testing.assert_allclose(r.G, [1 / 50, 19 / 50], rtol=1e-12)
    np.testing.assert_allclose(r.H, [7 / 25, 1 / 2], rtol=1e-12)
    np.testing.assert_allclose(r.employment, [10, 10])
    assert r.plants.tolist() == [4, 2] and r.sum_x2 == pytest.approx(19 / 50)
    np.testing.assert_allclose(plant_herfindahl(SIZES, INDUSTRY), [7 / 25, 1 / 2])


def test_maurel_sedillot_worked_example():
    sx2 = Fr(19, 50)
    # Industry 0: sum s^2 = 9/25 + 1/25 + 1/25 = 11/25, G_MS = (11/25 - 19/50) / (31/50) = 3/31,
    # gamma = (3/31 - 7/25) / (18/25) = -71/279.
    G0 = (Fr(11, 25) - sx2) / (1 - sx2)
    assert G0 == Fr(3, 31)
    assert (G0 - Fr(7, 25)) / (1 - Fr(7, 25)) == Fr(-71, 279)
    # Industry 1: all in region 0: G_MS = 1 and gamma = 1 whatever H.
    r = maurel_sedillot(SIZES, REGION, INDUSTRY, aggregate=AGGREGATE)
    np.testing.assert_allclose(r.gamma, [-71 / 279, 1.0], rtol=1e-12)
    np.testing.assert_allclose(r.G, [3 / 31, 1.0], rtol=1e-12)


def test_limiting_cases():
    # All of an industry's employment in one plant: H = 1, the indices are undefined (NaN).
    one = ellison_glaeser([7.0, 3.0, 3.0], [1, 0, 1], [0, 1, 1], aggregate=[5, 5])
    assert one.H[0] == 1.0 and np.isnan(one.gamma[0]) and np.isfinite(one.gamma[1])
    assert np.isnan(maurel_sedillot([7.0], [1], aggregate=[5, 5]).gamma[0])
    # Employment spread exactly like aggregate employment in n equal plants: G = 0 and
    # gamma = -H / (1 - H) = -1 / (n - 1), zero in the limit.
    for n_per_region in (1, 10, 1000):
        agg = np.array([1.0, 2.0, 3.0, 4.0])
        region = np.repeat(np.arange(4), (agg * n_per_region).astype(int))
        sizes = np.ones(len(region))
        r = ellison_glaeser(sizes, region, aggregate=agg)
        n = len(region)
        assert r.G[0] == pytest.approx(0.0, abs=1e-15)
        assert r.gamma[0] == pytest.approx(-1 / (n - 1), rel=1e-12)
        assert maurel_sedillot(sizes, region, aggregate=agg).gamma[0] == pytest.approx(
            -1 / (n - 1), rel=1e-12
        )
    # Many small plants all in one region: MS is exactly 1.
    r = maurel_sedillot(np.ones(50), np.zeros(50, dtype=int), n_regions=3, aggregate=[1, 1, 1])
    assert r.gamma[0] == pytest.approx(1.0)
    # No employment at all in an industry: NaN, not an error.
    r = ellison_glaeser([1.0, 2.0], [0, 1], [0, 0], n_industries=2)
    assert np.isnan(r.gamma[1]) and np.isnan(r.H[1]) and r.plants[1] == 0


def brute_force(sizes, region, industry, agg, kind):
    """Per-industry loop straight from the formulas (test only)."""
    x = agg / agg.sum()
    out = []
    for f in range(industry.max() + 1):
        e, reg = sizes[industry == f], region[industry == f]
        s = np.array([e[reg == r].sum() for r in range(len(agg))]) / e.sum()
        H = ((e / e.sum()) ** 2).sum()
        if kind == "eg":
            G = ((s - x) ** 2).sum()
            out.append((G - (1 - (x**2).sum()) * H) / ((1 - (x**2).sum()) * (1 - H)))
        else:
            G = ((s**2).sum() - (x**2).sum()) / (1 - (x**2).sum())
            out.append((G - H) / (1 - H))
    return np.array(out)


def test_against_a_per_industry_loop_with_the_default_aggregate():
    rng = np.random.default_rng(11)
    n, R, F = 3000, 25, 8
    sizes = rng.lognormal(2, 1, n)
    region = rng.integers(0, R, n)
    industry = rng.integers(0, F, n)
    agg = np.bincount(region, weights=sizes, minlength=R)
    eg = ellison_glaeser(sizes, region, industry)
    ms = maurel_sedillot(sizes, region, industry)
    np.testing.assert_allclose(eg.gamma, brute_force(sizes, region, industry, agg, "eg"))
    np.testing.assert_allclose(ms.gamma, brute_force(sizes, region, industry, agg, "ms"))
    # Scaling sizes and shuffling the plants change nothing.
    perm = rng.permutation(n)
    eg2 = ellison_glaeser(3.5 * sizes[perm], region[perm], industry[perm])
    np.testing.assert_allclose(eg2.gamma, eg.gamma, rtol=1e-10)


@pytest.mark.parametrize("gamma", [0.0, 0.2, 0.6])
def test_unbiased_in_the_dartboard_model(gamma):
    """E[gamma_EG] = E[gamma_MS] = gamma when two plants co-locate with probability
    gamma + (1 - gamma) sum x^2 (Ellison and Glaeser 1997, proposition 1).

    Each industry draws a common region c from x; each plant goes to c with probability
    sqrt(gamma), else to a region drawn from x, independently.
    """
    rng = np.random.default_rng(int(gamma * 100) + 1)
    F, per, R = 4000, 40, 12
    agg = rng.random(R) + 0.2
    x = agg / agg.sum()
    industry = np.repeat(np.arange(F), per)
    sizes = rng.integers(1, 30, F * per).astype(float)  # lumpy plants
    common = rng.choice(R, size=F, p=x)[industry]
    own = rng.choice(R, size=F * per, p=x)
    region = np.where(rng.random(F * per) < np.sqrt(gamma), common, own)
    eg = ellison_glaeser(sizes, region, industry, aggregate=agg)
    ms = maurel_sedillot(sizes, region, industry, aggregate=agg)
    se = eg.gamma.std() / np.sqrt(F)
    assert abs(eg.gamma.mean() - gamma) < 4 * se + 1e-3
    assert abs(ms.gamma.mean() - gamma) < 4 * ms.gamma.std() / np.sqrt(F) + 1e-3


def test_errors_name_the_parameter():
    with pytest.raises(InnoclusterError, match="'counts' parameter of hoover must be non-negative"):
        hoover([1, -1])
    with pytest.raises(
        InnoclusterError,
        match=r"^The 'benchmark' parameter of krugman_specialisation must be one of 'rest', "
        r"'total'; got 'mean'$",
    ):
        krugman_specialisation(COUNTS, "mean")
    with pytest.raises(InnoclusterError, match=r"shape \(R, F\)"):
        krugman_specialisation([1, 2])
    with pytest.raises(InnoclusterError, match="'reference' parameter of location_quotient"):
        location_quotient(COUNTS, reference=[1, 2, 3])
    with pytest.raises(InnoclusterError, match="'region' parameter of ellison_glaeser"):
        ellison_glaeser([1.0, 2.0], [0.0, 1.0])
    with pytest.raises(InnoclusterError, match="'n_regions' parameter of maurel_sedillot is 2"):
        maurel_sedillot([1.0, 2.0], [0, 2], n_regions=2)
    with pytest.raises(InnoclusterError, match="'aggregate' parameter of ellison_glaeser"):
        ellison_glaeser([1.0, 2.0], [0, 1], aggregate=[1, 1, 1, 1, 1], n_regions=2)
    with pytest.raises(InnoclusterError, match="'sizes' parameter of plant_herfindahl"):
        plant_herfindahl([1.0, np.nan])


def test_rarefied_gini_at_the_full_size_is_the_plain_gini():
    counts = np.array([0, 3, 7, 1, 0, 12, 2])
    assert rarefied_gini(counts, int(counts.sum()), draws=3) == pytest.approx(gini(counts))


def test_rarefied_gini_removes_the_small_sample_bias_between_sample_sizes():
    # The same uniform process over 100 regions, observed with 400 and with 4,000 events:
    # the plain Gini differs by sampling alone; rarefied to 400 events both agree.
    rng = np.random.default_rng(3)
    small = np.bincount(rng.integers(0, 100, 400), minlength=100)
    large = np.bincount(rng.integers(0, 100, 4000), minlength=100)
    assert gini(small) > gini(large) + 0.15
    assert rarefied_gini(large, 400) == pytest.approx(gini(small), abs=0.03)
    # Against an independent Monte Carlo: labels drawn without replacement.
    labels = np.repeat(np.arange(100), large)
    direct = np.mean(
        [
            gini(np.bincount(rng.choice(labels, 400, replace=False), minlength=100))
            for _ in range(300)
        ]
    )
    assert rarefied_gini(large, 400, draws=300) == pytest.approx(direct, abs=0.005)


@given(
    arrays(np.int64, st.integers(2, 30), elements=st.integers(0, 50)),
    st.floats(0.01, 1.0),
    st.integers(0, 2**31),
)
@settings(max_examples=60, deadline=None)
def test_rarefied_gini_is_a_gini_and_repeatable(counts, share, seed):
    assume(counts.sum() > 0)
    size = max(1, int(share * counts.sum()))
    value = rarefied_gini(counts, size, draws=20, seed=seed)
    assert 0.0 <= value < 1.0
    assert value == rarefied_gini(counts, size, draws=20, seed=seed)
    # All events in one region stay there whatever is drawn.
    one = np.zeros_like(counts)
    one[0] = counts.sum()
    assert rarefied_gini(one, size, draws=5, seed=seed) == pytest.approx(gini(one))


@pytest.mark.parametrize(
    ("counts", "size", "match"),
    [
        (np.array([1.5, 2.0]), 1, "integers"),
        (np.array([[1, 2]]), 1, "shape"),
        (np.array([-1, 3]), 1, "non-negative"),
        (np.array([1, 2]), 4, r"\[1, 3\]"),
        (np.array([1, 2]), 0, r"\[1, 3\]"),
    ],
)
def test_rarefied_gini_rejects_bad_input(counts, size, match):
    with pytest.raises(InnoclusterError, match=match):
        rarefied_gini(counts, size)
