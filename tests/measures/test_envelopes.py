"""Envelopes of the distance-based measures (K, L, Kd, M) under the null hypotheses.

The envelopes find the localisation of a clustered type, their observed curves are the
measures' values, their simulations depend only on the seed, each null moves the right marks,
the global envelope drops the most extreme curves one at a time (and dbmss's version replicates
dbmss), and the global envelope's risk is checked on patterns simulated under the null.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from scipy import stats

from innocluster.measures import envelopes as env
from innocluster.measures.duranton_overman import kd
from innocluster.measures.envelopes import (
    global_envelope,
    global_envelope_dbmss,
    k_envelope,
    kd_envelope,
    l_envelope,
    local_envelope,
    m_envelope,
)
from innocluster.measures.marcon_puech import m_function
from innocluster.measures.ripley import ripley_k, ripley_l
from tests.measures.test_points import WINDOW, close, pattern


def clustered(seed=0, n_sites=300, n_a=40):
    """Sites uniform in the window; the points 'a' in three tight groups."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n_sites)
    y = rng.uniform(0, 8, n_sites)
    centres = np.array([[2.0, 2.0], [7.0, 6.0], [8.0, 1.5]])
    pick = rng.integers(0, 3, n_a)
    x[:n_a] = np.clip(centres[pick, 0] + rng.normal(0, 0.2, n_a), 0, 10)
    y[:n_a] = np.clip(centres[pick, 1] + rng.normal(0, 0.2, n_a), 0, 8)
    labels = np.array(["a"] * n_a + ["b"] * (n_sites - n_a))
    return x, y, labels, rng.uniform(1, 10, n_sites)


def test_envelopes_find_localisation_of_a_clustered_type():
    x, y, labels, w = clustered()
    r = np.linspace(0.1, 3.0, 30)
    for e in (
        kd_envelope(x, y, r, labels=labels, reference="a", seed=1),
        kd_envelope(x, y, r, labels=labels, reference="a", weights=w, seed=1),
        m_envelope(x, y, r, labels=labels, reference="a", seed=1),
        k_envelope(x, y, r, window=(0, 0, 10, 8), labels=labels, reference="a", seed=1),
        l_envelope(x, y, r, window=(0, 0, 10, 8), labels=labels, reference="a", seed=1),
    ):
        assert e.localised[:3].all(), e.measure  # concentrated at short distances
        assert e.localised_r[0] == pytest.approx(0.1)
        assert not (e.localised & e.dispersed).any()
        assert e.significant and "localised at 0.1-" in e.summary()
        assert e.simulations.shape == (99, r.size) and e.n_sim == 99
        assert e.kind == "global" and e.null == "random_location"
    # Kd: far pairs are rarer than under random location
    e = kd_envelope(x, y, r, labels=labels, reference="a", seed=1)
    assert e.dispersed.any() and e.dispersed_r.min() > 1.0


def test_envelope_values_are_the_functions_values():
    x, y, labels, w = pattern(120, seed=8)
    r = np.linspace(0.2, 2.5, 12)
    kw = dict(labels=labels, reference="a", neighbor="b")
    e = kd_envelope(x, y, r, weights=w, n_sim=19, seed=0, **kw)
    close(e.value, kd(x, y, r, weights=w, **kw).value, 1e-13)
    e = m_envelope(x, y, r, weights=w, n_sim=19, seed=0, case_control=True, **kw)
    close(e.value, m_function(x, y, r, weights=w, case_control=True, **kw).value, 1e-13)
    e = k_envelope(x, y, r, window=WINDOW, n_sim=19, seed=0, correction="border", **kw)
    close(e.value, ripley_k(x, y, r, window=WINDOW, correction="border", **kw).value, 1e-13)
    e = l_envelope(x, y, r, window=WINDOW, n_sim=19, seed=0, **kw)
    close(e.value, ripley_l(x, y, r, window=WINDOW, **kw).value, 1e-13)
    close(e.mean, e.simulations.mean(axis=0), 1e-13)


def test_simulations_depend_only_on_the_seed(monkeypatch):
    x, y, labels, w = pattern(150, seed=9)
    r = np.linspace(0.2, 2.5, 12)
    kw = dict(labels=labels, reference="a", weights=w, n_sim=24)
    base = kd_envelope(x, y, r, seed=5, **kw)
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = kd_envelope(x, y, r, seed=5, **kw)
    finally:
        numba.set_num_threads(threads)
    monkeypatch.setattr(env, "_BATCH_ELEMENTS", 300)  # batches of two simulations
    small = kd_envelope(x, y, r, seed=5, **kw)
    np.testing.assert_array_equal(base.simulations, one.simulations)
    np.testing.assert_array_equal(base.simulations, small.simulations)
    again = kd_envelope(x, y, r, seed=np.random.default_rng(5), **kw)
    assert np.array_equal(again.simulations, kd_envelope(
        x, y, r, seed=np.random.default_rng(5), **kw).simulations)  # fmt: skip
    other = kd_envelope(x, y, r, seed=6, **kw)
    assert not np.array_equal(base.simulations, other.simulations)
    m1 = m_envelope(x, y, r, labels=labels, reference="a", n_sim=19, seed=3)
    m2 = m_envelope(x, y, r, labels=labels, reference="a", n_sim=19, seed=3, kind="local")
    np.testing.assert_array_equal(m1.simulations, m2.simulations)
    k1 = k_envelope(x, y, r, window=WINDOW, n_sim=19, seed=3)  # no labels: random position
    assert k1.null == "random_position"
    k2 = k_envelope(x, y, r, window=WINDOW, null="random_position", n_sim=19, seed=3)
    np.testing.assert_array_equal(k1.simulations, k2.simulations)


def test_null_hypotheses_move_the_right_marks():
    code = np.array([3, 3, 0, 0, 0, 3, 0], dtype=np.int8)
    code_bi = np.array([1, 1, 2, 0, 2, 1, 0], dtype=np.int8)
    w = np.arange(1.0, 8.0)
    rng = np.random.default_rng(0)
    for _ in range(20):
        c, ws = env._relabel(code, w, "random_location", rng)
        assert sorted(zip(c, ws, strict=True)) == sorted(zip(code, w, strict=True))
        c, ws = env._relabel(code, w, "random_labelling", rng)
        assert np.array_equal(ws, w) and np.array_equal(np.sort(c), np.sort(code))
        c, ws = env._relabel(code_bi, w, "population_independence", rng)
        ref = code_bi == 1
        assert np.array_equal(c[ref], code_bi[ref]) and np.array_equal(ws[ref], w[ref])
        assert sorted(zip(c[~ref], ws[~ref], strict=True)) == sorted(
            zip(code_bi[~ref], w[~ref], strict=True)
        )


def test_population_independence_of_a_bivariate_m():
    x, y, labels, w = clustered(seed=3)
    labels = labels.copy()
    labels[40:60] = "c"  # 20 points c at random sites: independent of the points a
    r = np.linspace(0.1, 3.0, 15)
    e = m_envelope(
        x, y, r, labels=labels, reference="a", neighbor="c", null="population_independence",
        seed=2,
    )  # fmt: skip
    assert e.null == "population_independence" and np.all(np.isfinite(e.lo[1:]))


def test_global_envelope_drops_the_most_extreme_curves_one_at_a_time():
    col0 = np.arange(1.0, 21.0)
    col1 = col0.copy()
    col1[0], col1[9] = col1[9], col1[0]  # curve 0: lowest at distance 0 only
    sims = np.column_stack([col0, col1])  # curve 19: highest at both distances
    lo, hi = global_envelope(sims, alpha=0.05)  # drops 1 curve: the highest (ranks 1, 1)
    assert list(lo) == [1.0, 1.0] and list(hi) == [19.0, 19.0]
    lo, hi = global_envelope(sims, alpha=0.1)  # then curve 18, now the highest at both
    assert list(lo) == [1.0, 1.0] and list(hi) == [18.0, 18.0]
    # Ties (one distance: the lowest and the highest curve) drop the first simulation first
    lo, hi = global_envelope(col0[:, None], alpha=0.1)
    assert (lo[0], hi[0]) == (3.0, 20.0)
    # with the observed curve: it leaves the envelope iff it is among the dropped curves
    lo, hi = global_envelope(sims[:19], alpha=0.1, observed=np.array([30.0, 30.0]))
    assert list(hi) == [18.0, 18.0]  # the observed and the highest simulation dropped
    lo, hi = global_envelope(sims[:19], alpha=0.1, observed=np.array([10.5, 10.5]))
    assert np.all(lo <= 10.5) and np.all(hi >= 10.5)
    rng = np.random.default_rng(0)
    sims = rng.normal(size=(99, 40)).cumsum(axis=1)
    lo, hi = global_envelope(sims, alpha=0.05)
    inside = ((sims >= lo) & (sims <= hi)).all(axis=1)
    assert inside.sum() == 99 - 4  # floor(0.05 * 99) curves dropped
    lo_l, hi_l = local_envelope(sims, alpha=0.05)
    np.testing.assert_allclose(lo_l, np.quantile(sims, 0.025, axis=0))
    assert np.all(lo <= lo_l) and np.all(hi >= hi_l)


def test_global_envelope_dbmss_replicates_dbmss():
    sims = np.arange(1.0, 21.0)[:, None]
    # target 19 curves; one round keeps 18: (2, 19) moved back by (19 - 18) / 20 of a step
    lo, hi = global_envelope_dbmss(sims, alpha=0.05)
    assert lo[0] == pytest.approx(1.95) and hi[0] == pytest.approx(19.05)
    x, y, labels, _ = clustered()
    e = m_envelope(x, y, np.linspace(0.1, 3, 10), labels=labels, reference="a", seed=1)
    d = e.with_kind("global_dbmss")
    np.testing.assert_array_equal(d.lo, global_envelope_dbmss(e.simulations, 0.05)[0])
    local = e.with_kind("local", alpha=0.1)
    np.testing.assert_array_equal(local.hi, local_envelope(e.simulations, 0.1)[1])
    assert local.alpha == 0.1 and local.kind == "local"


def test_envelopes_with_nan_curves():
    sims = np.full((30, 3), np.nan)
    sims[:, 1] = np.arange(30.0)
    sims[::3, 2] = 1.0
    lo, hi = global_envelope(sims, 0.1, observed=np.array([np.nan, 40.0, 1.0]))
    # NaN: all NaN gives NaN; NaN among values ranks as central. Ties between the observed
    # (highest) and the lowest simulations drop the simulations first: conservative.
    assert np.isnan(lo[0]) and (lo[1], hi[1]) == (3.0, 40.0) and lo[2] == hi[2] == 1.0
    lo, hi = local_envelope(sims, 0.1)
    assert np.isnan(lo[0]) and lo[2] == 1.0


# ---------------------------------------------------------------------------------------------
# The global envelope's risk under the null


def null_rate(make_envelope, patterns):
    """Share of patterns drawn under the null whose global and local envelopes are left."""
    left = np.array([make_envelope(p) for p in range(patterns)])
    return left.mean(axis=0)


def null_pattern(p, n=150, n_a=30):
    """Sites uniform in a 10 km square; n_a points 'a' at random sites: random location holds."""
    rng = np.random.default_rng(1000 + p)
    x, y = rng.uniform(0, 10, n), rng.uniform(0, 10, n)
    labels = np.where(rng.permutation(n) < n_a, "a", "b")
    return x, y, labels, rng.lognormal(1, 1, n)


def binomial_ok(rate, patterns, p=0.05):
    """The number of rejections is within the central 99.8% of Binomial(patterns, p)."""
    lo, hi = stats.binom.ppf([0.001, 0.999], patterns, p)
    return lo <= rate * patterns <= hi


R_NULL = np.linspace(0.1, 3.0, 30)


def test_global_m_envelope_is_left_by_five_percent_of_null_patterns():
    def left(p):
        x, y, labels, _ = null_pattern(p)
        e = m_envelope(x, y, R_NULL, labels=labels, reference="a", seed=p)
        return e.significant, e.with_kind("local").significant

    rate, local_rate = null_rate(left, 200)
    assert binomial_ok(rate, 200), rate
    assert local_rate > 0.2  # the local envelope is no test over 30 distances


@pytest.mark.slow
def test_global_kd_envelope_is_left_by_five_percent_of_null_patterns():
    def left(p):
        x, y, labels, w = null_pattern(p)
        e = kd_envelope(x, y, R_NULL, labels=labels, reference="a", weights=w, seed=p)
        return e.significant, e.with_kind("global_dbmss").significant

    rate, dbmss_rate = null_rate(left, 200)
    assert binomial_ok(rate, 200), rate
    assert dbmss_rate > 0.1  # dbmss's global envelope is left far more often than alpha


@pytest.mark.slow
def test_global_k_envelope_is_left_by_five_percent_of_poisson_patterns():
    def left(p):
        rng = np.random.default_rng(p)
        x, y = rng.uniform(0, 10, 40), rng.uniform(0, 10, 40)
        e = k_envelope(x, y, R_NULL, window=(0, 0, 10, 10), null="random_position", seed=p)
        return (e.significant,)

    (rate,) = null_rate(left, 200)
    assert binomial_ok(rate, 200), rate
