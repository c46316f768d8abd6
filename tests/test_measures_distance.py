"""Distance-based measures (K, L, Kd, M) and their envelopes.

Each measure is checked against a brute-force computation of its published formula over all
pairs of a small point set, Ripley's K also against pointpats and against ``pi r^2`` for a
Poisson pattern; the global envelope's risk is checked on patterns simulated under the null.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest
from scipy import stats

from innocluster.errors import InnoclusterError
from innocluster.measures import distance as dist
from innocluster.measures import envelopes as env
from innocluster.measures.distance import kd, m_function, ripley_k, ripley_l
from innocluster.measures.envelopes import (
    global_envelope,
    global_envelope_dbmss,
    k_envelope,
    kd_envelope,
    l_envelope,
    local_envelope,
    m_envelope,
)

WINDOW = (0.0, 0.0, 10.0, 8.0)


def pattern(n=80, seed=1, kinds=("a", "b", "c"), p=(0.3, 0.3, 0.4)):
    rng = np.random.default_rng(seed)
    x = rng.uniform(WINDOW[0], WINDOW[2], n)
    y = rng.uniform(WINDOW[1], WINDOW[3], n)
    labels = rng.choice(np.array(kinds), n, p=p)
    weights = rng.uniform(1.0, 20.0, n)
    return x, y, labels, weights


def distances(x, y):
    return np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])


def close(a, b, tol=1e-9):
    """Equal up to ``tol`` relative to the largest magnitude (NaN where both are NaN)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert np.array_equal(np.isnan(a), np.isnan(b))
    ok = ~np.isnan(a)
    scale = max(np.abs(b[ok]).max(initial=0.0), 1e-300)
    assert np.abs(a[ok] - b[ok]).max(initial=0.0) <= tol * scale


# ---------------------------------------------------------------------------------------------
# Ripley's K and L


def share_inside(px, py, rad, win):
    """Share of the circle of radius rad around (px, py) inside the window, from its crossings."""
    xmin, ymin, xmax, ymax = win
    angles = [0.0, 2 * math.pi]
    for edge in (xmin, xmax):
        c = (edge - px) / rad
        if abs(c) <= 1:
            a = math.acos(c)
            angles += [a % (2 * math.pi), (-a) % (2 * math.pi)]
    for edge in (ymin, ymax):
        s = (edge - py) / rad
        if abs(s) <= 1:
            a = math.asin(s)
            angles += [a % (2 * math.pi), (math.pi - a) % (2 * math.pi)]
    angles.sort()
    inside = 0.0
    for a0, a1 in zip(angles[:-1], angles[1:], strict=True):
        mid = 0.5 * (a0 + a1)
        qx, qy = px + rad * math.cos(mid), py + rad * math.sin(mid)
        if xmin <= qx <= xmax and ymin <= qy <= ymax:
            inside += a1 - a0
    return inside / (2 * math.pi)


def brute_k(x, y, r, win, correction, ref=None, nbr=None):
    n = x.size
    ref = np.ones(n, bool) if ref is None else ref
    nbr = ref if nbr is None else nbr
    d = distances(x, y)
    area = (win[2] - win[0]) * (win[3] - win[1])
    b = np.minimum.reduce([x - win[0], win[2] - x, y - win[1], win[3] - y])
    out = []
    for rk in r:
        total = 0.0
        centres = 0
        for i in np.flatnonzero(ref):
            if correction == "border" and b[i] < rk:
                continue
            centres += 1
            for j in np.flatnonzero(nbr):
                if i == j or d[i, j] > rk:
                    continue
                if correction == "isotropic":
                    total += min(1.0 / share_inside(x[i], y[i], d[i, j], win), 100.0)
                else:
                    total += 1.0
        n_ref, n_nbr = ref.sum(), nbr.sum()
        if correction == "border":
            out.append(area * total / (n_nbr * centres) if centres else np.nan)
        else:
            pairs = n_ref * n_nbr - np.sum(ref & nbr)
            out.append(area * total / pairs)
    return np.array(out)


@pytest.mark.parametrize("correction", ["isotropic", "border", "none"])
def test_k_equals_brute_force(correction):
    x, y, labels, _ = pattern(60)
    r = np.array([0.0, 0.4, 1.0, 1.7, 2.5, 3.3])
    got = ripley_k(x, y, r, window=WINDOW, correction=correction)
    close(got.value, brute_k(x, y, r, WINDOW, correction))
    # univariate on the points labelled 'a', and bivariate 'b' around 'a'
    a, b = labels == "a", labels == "b"
    got = ripley_k(x, y, r, window=WINDOW, labels=labels, reference="a", correction=correction)
    close(got.value, brute_k(x[a], y[a], r, WINDOW, correction))
    assert got.n_reference == got.n_neighbor == a.sum()
    got = ripley_k(
        x, y, r, window=WINDOW, labels=labels, reference="a", neighbor="b", correction=correction
    )
    close(got.value, brute_k(x, y, r, WINDOW, correction, ref=a, nbr=b))
    assert (got.n_reference, got.n_neighbor) == (a.sum(), b.sum())


def test_isotropic_weight_at_corners_and_edges():
    win = (0.0, 0.0, 4.0, 4.0)
    px = np.array([0.0, 2.0, 2.0, 0.5, 1.0])
    py = np.array([0.0, 0.0, 2.0, 0.5, 3.5])
    d = np.array([1.0, 1.0, 1.0, 1.0, 2.5])
    got = dist._isotropic_weight(px, py, d, win)
    want = [1 / share_inside(a, b, c, win) for a, b, c in zip(px, py, d, strict=True)]
    close(got, want, 1e-12)
    assert got[0] == pytest.approx(4.0) and got[1] == pytest.approx(2.0) and got[2] == 1.0


def test_k_agrees_with_pointpats():
    pointpats = pytest.importorskip("pointpats")
    x, y, _, _ = pattern(120, seed=3)
    r = np.linspace(0.05, 3.0, 25)  # no pair distance falls on these values
    support, expected = pointpats.k(np.column_stack([x, y]), support=r)
    # pointpats: window = bounding box of the points, no edge correction, lambda^2 = n^2 / A^2,
    # pairs closer than r (strictly); innocluster divides by n (n - 1).
    got = ripley_k(x, y, r, correction="none")
    n = x.size
    close(got.value * (n - 1) / n, expected, 1e-12)
    _, expected_l = pointpats.l(np.column_stack([x, y]), support=r)
    close(ripley_l(x, y, r, correction="none").value * math.sqrt((n - 1) / n), expected_l, 1e-12)


@pytest.mark.parametrize("correction", ["isotropic", "border"])
def test_k_of_a_poisson_pattern_is_pi_r_squared(correction):
    rng = np.random.default_rng(2024)
    n, side = 2000, 100.0
    x, y = rng.uniform(0, side, n), rng.uniform(0, side, n)
    r = np.linspace(1.0, 10.0, 10)
    k = ripley_k(x, y, r, window=(0, 0, side, side), correction=correction)
    # Var K(r) ~ 2 pi r^2 A / n^2 for a Poisson pattern (Ripley 1988): 4 standard deviations,
    # more for the border correction, which keeps fewer centres.
    sd = np.sqrt(2 * math.pi * r**2 * side**2) / n
    factor = 4.0 if correction == "isotropic" else 6.0
    assert np.all(np.abs(k.value - math.pi * r**2) < factor * sd + 0.01 * math.pi * r**2)
    el = ripley_l(x, y, r, window=(0, 0, side, side), correction=correction)
    np.testing.assert_allclose(el.value, r, rtol=0.05)
    np.testing.assert_allclose(el.value, np.sqrt(k.value / math.pi))


def test_border_k_is_nan_where_no_point_is_far_enough_inside():
    x, y, _, _ = pattern(40)
    k = ripley_k(x, y, np.array([1.0, 4.5]), window=WINDOW, correction="border")
    assert np.isfinite(k.value[0]) and np.isnan(k.value[1])


# ---------------------------------------------------------------------------------------------
# Kd


def nrd0(v):
    v = np.sort(v)
    lo = min(v.std(ddof=1), (np.quantile(v, 0.75) - np.quantile(v, 0.25)) / 1.34)
    return 0.9 * lo * v.size ** (-0.2)


def brute_kd(x, y, r, h, ref, nbr=None, w=None):
    """Duranton and Overman (2005), eq. (1), over all pairs, reflected at 0."""
    d = distances(x, y)
    w = np.ones(x.size) if w is None else w
    if nbr is None:
        iu = np.triu_indices(x.size, 1)
        keep = ref[iu[0]] & ref[iu[1]]
        dij, wij = d[iu][keep], (w[:, None] * w[None, :])[iu][keep]
    else:
        dij = d[np.ix_(ref, nbr)].ravel()
        wij = (w[ref][:, None] * w[nbr][None, :]).ravel()
    phi = stats.norm.pdf
    dens = phi((r[:, None] - dij) / h) + phi((r[:, None] + dij) / h)
    return (dens * wij).sum(axis=1) / (wij.sum() * h), dij


@pytest.mark.parametrize("weighted", [False, True])
def test_kd_equals_the_published_formula(weighted):
    x, y, labels, w = pattern(90)
    r = np.linspace(0.0, 3.0, 31)
    a = labels == "a"
    got = kd(x, y, r, labels=labels, reference="a", weights=w if weighted else None)
    # The bandwidth: Silverman's rule over the distances of interest up to 2 max(r).
    _, dij = brute_kd(x, y, r, 1.0, a)
    h = nrd0(dij[dij <= 2 * r[-1]])
    assert got.bandwidth == pytest.approx(h, rel=1e-12)
    want, _ = brute_kd(x, y, r, h, a, w=w if weighted else None)
    close(got.value, want)
    assert got.weighted is weighted
    n_a = a.sum()
    total = n_a * (n_a - 1) / 2 if not weighted else (w[a].sum() ** 2 - (w[a] ** 2).sum()) / 2
    assert got.total_pairs == pytest.approx(total)


def test_kd_bivariate_fixed_bandwidth_and_all_points():
    x, y, labels, w = pattern(70, seed=5)
    r = np.linspace(0.0, 4.0, 17)
    a, b = labels == "a", labels == "b"
    got = kd(x, y, r, labels=labels, reference="a", neighbor="b", weights=w, bandwidth=0.7)
    close(got.value, brute_kd(x, y, r, 0.7, a, nbr=b, w=w)[0])
    got = kd(x, y, r, bandwidth=0.25, adjust=3.0)  # a fixed bandwidth ignores adjust
    close(got.value, brute_kd(x, y, r, 0.25, np.ones(x.size, bool))[0])
    got = kd(x, y, r, adjust=0.5)
    _, dij = brute_kd(x, y, r, 1.0, np.ones(x.size, bool))
    assert got.bandwidth == pytest.approx(0.5 * nrd0(dij[dij <= 8.0]), rel=1e-12)


def test_kd_is_a_density_over_nonnegative_distances():
    x, y, labels, _ = pattern(150, seed=7)
    r = np.linspace(0.0, 20.0, 4001)  # beyond the largest distance (12.8 km)
    got = kd(x, y, r, labels=labels, reference="a", bandwidth=0.3)
    assert np.trapezoid(got.value, r) == pytest.approx(1.0, abs=1e-6)


def test_kernel_sums_match_direct_evaluation_at_fine_and_odd_distances():
    rng = np.random.default_rng(11)
    d = np.sort(rng.uniform(0, 5, 3000))
    wt = rng.uniform(0.5, 2.0, d.size)
    r = np.sort(rng.uniform(0, 6, 57))
    for h in (0.01, 0.2, 3.0):
        got = dist._kernel_sums(d, wt, r, h)
        u1 = (r[:, None] - d) / h
        u2 = (r[:, None] + d) / h
        want = ((np.exp(-0.5 * u1**2) + np.exp(-0.5 * u2**2)) * wt).sum(axis=1)
        close(got, want, 1e-12)


def test_silverman_rule_matches_r():
    # R: bw.nrd0(c(1, 2, 3, 4, 10)) = 0.9 * min(sd, IQR / 1.34) * 5^(-1/5)
    assert dist._nrd0(np.array([1.0, 2.0, 3.0, 4.0, 10.0])) == pytest.approx(0.97358, abs=1e-5)
    assert dist._nrd0(np.array([2.0, 2.0, 2.0])) == pytest.approx(0.9 * 2.0 * 3 ** (-0.2))
    assert np.isnan(dist._nrd0(np.array([1.0])))


# ---------------------------------------------------------------------------------------------
# M


def brute_m(x, y, r, ref, nbr, w, case_control=False):
    """Marcon and Puech (2010) M, and the case-control M of Marcon and Puech (2017)."""
    d = distances(x, y)
    univariate = np.array_equal(ref, nbr)
    out = []
    for rk in r:
        num = den = 0.0
        for i in np.flatnonzero(ref):
            near = (d[i] <= rk) & (np.arange(x.size) != i)
            if case_control:
                local = w[near & ref].sum(), w[near & nbr].sum()
                glob = (w[ref].sum() - w[i]) / w[nbr].sum()
            else:
                local = w[near & nbr].sum(), w[near].sum()
                rest = w.sum() - w[i]
                glob = ((w[ref].sum() - w[i]) if univariate else w[nbr].sum()) / rest
            if local[1] > 0:
                num += local[0] / local[1]
                den += glob
        out.append(num / den if den > 0 else np.nan)
    return np.array(out)


@pytest.mark.parametrize("weighted", [False, True])
def test_m_equals_the_published_formula(weighted):
    x, y, labels, w = pattern(80, seed=4)
    wt = w if weighted else np.ones(x.size)
    d = distances(x, y)
    # distances that equal pair distances: neighbours are within r, bounds included
    r = np.concatenate([[0.0, 0.3], np.sort(d[0, 1:4]), [1.5, 2.5, 4.0]])
    r = np.unique(r)
    a, b = labels == "a", labels == "b"
    weights = w if weighted else None
    got = m_function(x, y, r, labels=labels, reference="a", weights=weights)
    close(got.value, brute_m(x, y, r, a, a, wt))
    got = m_function(x, y, r, labels=labels, reference="a", neighbor="b", weights=weights)
    close(got.value, brute_m(x, y, r, a, b, wt))
    got = m_function(
        x, y, r, labels=labels, reference="a", neighbor="b", weights=weights, case_control=True
    )
    close(got.value, brute_m(x, y, r, a, b, wt, case_control=True))
    assert got.case_control and got.n_reference == a.sum()
    np.testing.assert_array_equal(got.theo, 1.0)


def test_m_is_one_when_every_point_is_of_interest_nearby():
    x, y, _, _ = pattern(50)
    labels = np.array(["a"] * 25 + ["b"] * 25)
    got = m_function(x, y, np.array([20.0]), labels=labels, reference="a")
    assert got.value[0] == pytest.approx(1.0)  # every point is everyone's neighbour


# ---------------------------------------------------------------------------------------------
# Envelopes


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
# Parameter validation


def test_bad_parameters_raise_one_line_errors():
    x, y, labels, w = pattern(30)
    r = np.array([0.5, 1.0])
    cases = [
        (
            lambda: kd_envelope(x, y, r, labels=labels, reference="a", null="x"),
            "The 'null' parameter of kd_envelope must be one of 'random_location', "
            "'random_labelling', 'population_independence'; got 'x'",
        ),
        (
            lambda: ripley_k(x, y, r, correction="ripley"),
            "The 'correction' parameter of ripley_k must be one of 'isotropic', 'border', "
            "'none'; got 'ripley'",
        ),
        (lambda: kd(x, y, [1.0, 0.5]), "'r' parameter of kd must be a non-empty, strictly"),
        (lambda: kd(x, y, [-1.0, 0.5]), "'r' parameter of kd"),
        (lambda: m_function(x, y, r, labels=labels, reference="z"), "no point has the reference"),
        (lambda: m_function(x, y, r, labels=None, reference="a"), "m_function needs 'labels'"),
        (lambda: kd(x, y[:-1], r), "one length"),
        (lambda: kd(x, y, r, weights=-w), "weights must be finite and >= 0"),
        (lambda: kd(x, y, r, bandwidth=0.0), "'bandwidth' parameter of kd"),
        (lambda: ripley_k(x, y, r, window=(0, 0, 5, 5)), "points lie outside the window"),
        (lambda: ripley_k(x, y, r, window=(0, 0, 5)), "'window' parameter of ripley_k"),
        (
            lambda: m_function(x, y, r, labels=labels, reference="a", case_control=True),
            "case-control M needs 'neighbor'",
        ),
        (
            lambda: m_envelope(x, y, r, labels=labels, reference="a", seed=-1),
            "The 'seed' parameter of m_envelope",
        ),
        (
            lambda: m_envelope(x, y, r, labels=labels, reference="a", n_sim=10),
            "needs at least 19 simulations",
        ),
        (
            lambda: m_envelope(x, y, r, labels=labels, reference="a", alpha=1.5),
            "'alpha' parameter of m_envelope must be in (0, 1)",
        ),
        (
            lambda: m_envelope(x, y, r, labels=labels, reference="a", kind="pointwise"),
            "The 'kind' parameter of m_envelope must be one of 'global', 'local'",
        ),
        (
            lambda: kd_envelope(
                x, y, r, labels=labels, reference="a", null="population_independence"
            ),
            "needs a 'neighbor' label different from 'reference'",
        ),
        (lambda: k_envelope(x, y, r, null="random_labelling"), "use null='random_position'"),
        (lambda: kd(x[:1], y[:1], r), "kd needs at least 2 reference points"),
        (lambda: kd(x[:2], y[:2], [0.01]), "pass 'bandwidth'"),
    ]
    for call, message in cases:
        with pytest.raises(InnoclusterError) as err:
            call()
        assert message in str(err.value), str(err.value)
        assert "\n" not in str(err.value)
        assert isinstance(err.value, ValueError)


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
