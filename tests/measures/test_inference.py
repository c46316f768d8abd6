"""Spatial autocorrelation, what the statistics share: permutations, p-values, seeds, checks.

Tests of :mod:`innocluster.measures._inference` and of the properties every statistic
(Moran's I, Geary's C, Getis-Ord G, local Moran, local G) owes to it, in three independent
checks:

- against esda/libpysal on the Columbus data that libpysal ships (no download): the pseudo
  p-values drawn with each library's own generator agree in distribution (the statistics and
  the replayed permutations of each family are in ``tests/measures/test_moran_i.py``,
  ``tests/measures/test_geary_c.py`` and ``tests/measures/test_getis_ord_g.py``, which share the
  Columbus fixture and the brute-force example defined here);
- against the published formulas computed by brute force: the moments under randomisation are
  the mean and variance over *all* permutations of a small example (720 of them), under
  normality a Monte Carlo over normal samples;
- properties: invariance to affine changes of the values, seeding, islands, validation.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.errors import InnoclusterError
from innocluster.measures import _inference as inference
from innocluster.measures._inference import pseudo_p_value
from innocluster.measures.geary_c import geary
from innocluster.measures.getis_ord_g import getis_ord, getis_ord_local
from innocluster.measures.moran_i import moran, moran_local
from innocluster.measures.weights import (
    IslandWarning,
    as_weights,
    distance_band,
    grid_contiguity,
    transform_weights,
)

P = 199  # permutations in the esda comparisons

# ----------------------------------------------------------------------------------------------
# Columbus, with esda
# ----------------------------------------------------------------------------------------------


def load_columbus():
    """The Columbus data, its weights and the two libraries (skips without them)."""
    libpysal = pytest.importorskip("libpysal")
    esda = pytest.importorskip("esda")
    from libpysal import examples

    gal = libpysal.io.open(examples.get_path("columbus.gal")).read()
    dbf = libpysal.io.open(examples.get_path("columbus.dbf"))
    assert gal.id_order == [str(i) for i in dbf.by_col("POLYID")]
    data = {name: np.array(dbf.by_col(name), dtype=float) for name in ("CRIME", "HOVAL", "INC")}
    return {"libpysal": libpysal, "esda": esda, "gal": gal, "w": gal.sparse.copy(), **data}


@pytest.fixture(scope="module")
def columbus():
    return load_columbus()


def fresh(columbus):
    """A new libpysal W (esda transforms its argument in place)."""
    gal = columbus["gal"]
    return columbus["libpysal"].weights.W(gal.neighbors, id_order=gal.id_order)


def legacy_permutations(seed: int, n: int, count: int) -> np.ndarray:
    """The permutations esda's global statistics draw after ``np.random.seed(seed)``."""
    state = np.random.RandomState(seed)
    return np.array([state.permutation(n) for _ in range(count)])


def esda_conditional(esda, n: int, kmax: int, permutations: int, seed: int) -> np.ndarray:
    """esda's conditional draws (``crand.vec_permutations``, run as Python: no JIT compile)."""
    return esda.crand.vec_permutations.py_func(kmax, n, permutations, seed)


def esda_local_sims(stat_func, z: np.ndarray, w: sp.csr_matrix, ids, scaling) -> np.ndarray:
    """esda's own per-region statistic on given draws, weights laid out as esda's ``crand``."""
    sims = []
    for i in range(len(z)):  # test only: esda's code is per region
        row = w.getrow(i)
        weights_i = np.concatenate([[w[i, i]], row.data[row.indices != i]])
        sims.append(stat_func.py_func(i, z, ids, weights_i, scaling))
    return np.array(sims).T


def test_pseudo_p_values_agree_in_distribution_with_esda(columbus):
    """Different generators, same null: the pseudo p-values differ only by Monte Carlo noise."""
    esda, y, n = columbus["esda"], columbus["CRIME"], 49
    perms = 999
    base = esda.Moran_Local(y, fresh(columbus), permutations=0)
    ids = esda_conditional(esda, n, columbus["gal"].max_neighbors, perms, 1)
    w_r = transform_weights(columbus["w"], "r")
    theirs_sim = esda_local_sims(
        esda.moran._moran_local_crand, base.z, w_r, ids, (n - 1) / (base.z @ base.z)
    )
    their_p = ((theirs_sim >= base.Is).sum(axis=0) + 1) / (perms + 1)
    ours = moran_local(y, columbus["w"], permutations=perms, seed=1, alternative="greater")
    diff = np.abs(ours.p_sim - their_p)
    # Binomial noise: sd of a difference of two estimates <= sqrt(2 * 0.25 / 999) = 0.022.
    assert diff.max() < 0.1 and diff.mean() < 0.02
    # Means of 999 draws each: within 5 standard errors of their difference.
    se = np.sqrt(2 * theirs_sim.var(axis=0) / perms)
    assert np.all(np.abs(ours.EI_sim * (n - 1) / n - theirs_sim.mean(axis=0)) < 5 * se + 1e-12)
    np.random.seed(5)  # noqa: NPY002 -- esda draws from the global state
    g_theirs = esda.Moran(y, fresh(columbus), permutations=perms)
    g_ours = moran(y, columbus["w"], permutations=perms, seed=5)
    assert g_ours.z_sim == pytest.approx(g_theirs.z_sim, abs=0.3)
    assert g_ours.EI_sim == pytest.approx(g_theirs.EI_sim, abs=0.01)
    assert g_ours.p_sim <= 0.002 and g_theirs.p_sim <= 0.002  # crime clusters in Columbus


# ----------------------------------------------------------------------------------------------
# Brute force from the published formulas
# ----------------------------------------------------------------------------------------------

N6 = 6
Y6 = np.array([3.0, 8.0, 1.0, 4.0, 12.0, 2.0])
# Asymmetric, non-binary weights with a zero diagonal.
W6 = np.array(
    [
        [0, 1, 0.5, 0, 0, 2],
        [1, 0, 1, 0, 0, 0],
        [0, 3, 0, 1, 0, 0],
        [0, 0, 1, 0, 1, 0.5],
        [0.2, 0, 0, 1, 0, 1],
        [1, 0, 0, 0, 1, 0],
    ]
)
ALL_PERMS = np.array(list(itertools.permutations(range(N6))))


def dense_moran(y, w):
    z = y - y.mean()
    return len(y) / w.sum() * (z @ w @ z) / (z @ z)


def dense_geary(y, w):
    n = len(y)
    z = y - y.mean()
    return (n - 1) * (w * (y[:, None] - y[None, :]) ** 2).sum() / (2 * w.sum() * (z @ z))


def dense_g(y, w):
    return (w * np.outer(y, y)).sum() / (np.outer(y, y).sum() - (y * y).sum())


def test_global_statistics_equal_their_definitions():
    for transformation in ("o", "r", "b"):
        w = transform_weights(W6, transformation).toarray()
        kw = {"transform": transformation, "permutations": 0}
        assert moran(Y6, W6, **kw).I == pytest.approx(dense_moran(Y6, w), rel=1e-12)
        assert geary(Y6, W6, **kw).C == pytest.approx(dense_geary(Y6, w), rel=1e-12)
        assert getis_ord(Y6, W6, **kw).G == pytest.approx(dense_g(Y6, w), rel=1e-12)


@pytest.mark.parametrize("transformation", ["o", "r"])
def test_randomisation_moments_are_exact_over_all_permutations(transformation):
    w = transform_weights(W6, transformation).toarray()
    I_all = np.array([dense_moran(Y6[p], w) for p in ALL_PERMS])
    C_all = np.array([dense_geary(Y6[p], w) for p in ALL_PERMS])
    G_all = np.array([dense_g(Y6[p], w) for p in ALL_PERMS])
    m = moran(Y6, W6, transform=transformation, permutations=0)
    c = geary(Y6, W6, transform=transformation, permutations=0)
    g = getis_ord(Y6, W6, transform=transformation, permutations=0)
    assert I_all.mean() == pytest.approx(m.EI, rel=1e-12)
    assert I_all.var() == pytest.approx(m.VI_rand, rel=1e-10)
    assert C_all.mean() == pytest.approx(c.EC, rel=1e-12)
    assert C_all.var() == pytest.approx(c.VC_rand, rel=1e-10)
    assert G_all.mean() == pytest.approx(g.EG, rel=1e-12)
    assert G_all.var() == pytest.approx(g.VG, rel=1e-10)


def test_normality_moments_by_monte_carlo():
    rng = np.random.default_rng(0)
    Y = rng.standard_normal((200_000, N6))
    w = W6
    Z = Y - Y.mean(axis=1, keepdims=True)
    ss = (Z * Z).sum(axis=1)
    I_mc = N6 / w.sum() * np.einsum("ki,ij,kj->k", Z, w, Z) / ss
    diff2 = (Y[:, :, None] - Y[:, None, :]) ** 2
    C_mc = (N6 - 1) * np.einsum("kij,ij->k", diff2, w) / (2 * w.sum() * ss)
    m = moran(Y6, w, transform="o", permutations=0)
    c = geary(Y6, w, transform="o", permutations=0)
    assert I_mc.mean() == pytest.approx(m.EI, abs=0.003)
    assert I_mc.var() == pytest.approx(m.VI_norm, rel=0.02)
    assert C_mc.mean() == pytest.approx(1.0, abs=0.003)
    assert C_mc.var() == pytest.approx(c.VC_norm, rel=0.02)


def test_conditional_permutations_reproduce_the_conditional_moments():
    w = grid_contiguity(8, "queen")
    y = np.random.default_rng(2).gamma(2.0, size=64)
    r = moran_local(y, w, permutations=20_000, seed=4)
    np.testing.assert_allclose(r.EI_sim, r.EIc, atol=4 * np.sqrt(r.VIc.max() / 20_000))
    np.testing.assert_allclose(r.VI_sim, r.VIc, rtol=0.05)
    g = getis_ord_local(y, w, permutations=20_000, seed=4)
    np.testing.assert_allclose(g.EG_sim, g.EGs, rtol=0.01)
    np.testing.assert_allclose(g.VG_sim, g.VGs, rtol=0.05)


def test_conditional_draws_are_distinct_and_uniform():
    u = np.random.default_rng(0).random((30_000, 5))
    ids = inference._sample_without_replacement(u, 9)
    assert ids.min() >= 0 and ids.max() <= 8
    assert all(len(set(row)) == 5 for row in ids[:2000].tolist())
    counts = np.bincount(ids.ravel(), minlength=9)
    expected = ids.size / 9
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected))


# ----------------------------------------------------------------------------------------------
# Properties, seeds, islands, validation
# ----------------------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(-100, 100, allow_nan=False), min_size=9, max_size=9),
    st.floats(0.1, 50),
    st.floats(-1e3, 1e3),
)
def test_affine_invariance(values, scale, shift):
    y = np.array(values)
    if np.ptp(y) < 1e-3:
        return
    w = grid_contiguity(3, "queen")
    a, b = moran(y, w, permutations=0), moran(scale * y + shift, w, permutations=0)
    assert b.I == pytest.approx(a.I, rel=1e-7, abs=1e-9)
    assert b.z_rand == pytest.approx(a.z_rand, rel=1e-6, abs=1e-8)
    assert geary(scale * y + shift, w, permutations=0).C == pytest.approx(
        geary(y, w, permutations=0).C, rel=1e-7
    )
    la, lb = moran_local(y, w, permutations=0), moran_local(scale * y + shift, w, permutations=0)
    np.testing.assert_allclose(lb.Is, la.Is, rtol=1e-6, atol=1e-8)


def test_seeds_make_results_identical():
    w = grid_contiguity(10, "queen")
    y = np.random.default_rng(1).poisson(4.0, 100).astype(float)
    for f in (moran, geary, getis_ord):
        a, b = f(y, w, permutations=99, seed=17), f(y, w, permutations=99, seed=17)
        assert np.array_equal(a.sim, b.sim)
        c = f(y, w, permutations=99, seed=np.random.default_rng(17))
        assert np.array_equal(a.sim, c.sim)
        assert not np.array_equal(a.sim, f(y, w, permutations=99, seed=18).sim)
    for f in (moran_local, getis_ord_local):
        a = f(y, w, permutations=99, seed=3, keep_simulations=True)
        b = f(y, w, permutations=99, seed=3)
        assert np.array_equal(a.p_sim, b.p_sim) and b.sim is None
        assert a.sim.shape == (99, 100)


def test_results_do_not_depend_on_the_number_of_threads():
    import numba

    w = grid_contiguity(9, "queen")
    y = np.random.default_rng(5).poisson(3.0, 81).astype(float)
    before = numba.get_num_threads()
    runs = []
    try:
        for threads in (1, before):
            numba.set_num_threads(threads)
            runs.append(
                (
                    moran(y, w, permutations=49, seed=2).sim,
                    moran_local(y, w, permutations=49, seed=2, keep_simulations=True).sim,
                )
            )
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(runs[0][0], runs[1][0]) and np.array_equal(runs[0][1], runs[1][1])


def test_clear_clusters_are_detected():
    side = 12
    w = grid_contiguity(side, "queen")
    row = np.arange(side * side) // side
    y = (row >= side // 2) * 10.0 + np.random.default_rng(0).random(side * side)
    m = moran(y, w, permutations=99, seed=0, alternative="greater")
    assert m.I > 0.8 and m.p_sim == pytest.approx(1 / 100) and m.p_norm < 1e-10
    g = geary(y, w, permutations=99, seed=0, alternative="less")
    assert g.C < 0.2 and g.p_sim == pytest.approx(1 / 100)
    lm = moran_local(y, w, permutations=99, seed=0)
    hot = row >= side // 2 + 1
    cold = row < side // 2 - 1
    assert np.all(lm.q[hot] == 1) and np.all(lm.q[cold] == 3)
    lg = getis_ord_local(y, w, star=True, permutations=99, seed=0, alternative="greater")
    # Edge regions have few neighbours, so few ways to be extreme: look at the interior.
    col = np.arange(side * side) % side
    inner = hot & (row < side - 1) & (col > 0) & (col < side - 1)
    assert np.all(lg.Zs[hot] > 2) and np.all(lg.p_sim[inner] < 0.05)


def test_islands_are_kept_and_reported():
    pts = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [9, 9], [0.5, 0.5]], dtype=float)
    with pytest.warns(IslandWarning):
        w = distance_band(pts, 1.0)
    y = np.array([1.0, 4.0, 2.0, 8.0, 5.0, 3.0])
    m = moran(y, w, permutations=9, seed=0)
    assert m.islands.tolist() == [4] and np.isfinite(m.I)
    lm = moran_local(y, w, permutations=9, seed=0)
    assert lm.q[4] == 0 and lm.Is[4] == 0.0
    assert np.isnan(lm.p_sim[4]) and np.isnan(lm.z_rand[4]) and np.isfinite(lm.p_sim[0])
    lg = getis_ord_local(y, w, permutations=9, seed=0)
    assert np.isnan(lg.Zs[4]) and np.isnan(lg.p_sim[4]) and lg.islands.tolist() == [4]


def test_results_are_frozen_and_read_only():
    w = grid_contiguity(4)
    y = np.arange(16.0) % 5
    r = moran_local(y, w, permutations=9, seed=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.Is = None
    with pytest.raises(ValueError):
        r.Is[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        moran(y, w, permutations=0).I = 0.0
    assert moran(y, w, permutations=0).sim is None


def test_pseudo_p_value_definition():
    assert pseudo_p_value(0, 99, 99, "greater") == pytest.approx(0.01)
    assert pseudo_p_value(99, 0, 99, "less") == pytest.approx(0.01)
    assert pseudo_p_value(10, 90, 99, "two-sided") == pytest.approx(2 * 11 / 100)
    assert pseudo_p_value(60, 60, 99, "two-sided") == 1.0
    np.testing.assert_allclose(
        pseudo_p_value(np.array([0, 5]), np.array([99, 94]), 99, "greater"), [0.01, 0.06]
    )
    with pytest.raises(
        InnoclusterError,
        match=r"^The 'alternative' parameter of pseudo_p_value must be one of 'two-sided', "
        r"'greater', 'less'; got 'lesser'$",
    ):
        pseudo_p_value(1, 1, 9, "lesser")


def test_validation_messages():
    w = grid_contiguity(3)
    y = np.arange(9.0)
    with pytest.raises(
        InnoclusterError,
        match=r"^The 'alternative' parameter of moran must be one of 'two-sided', 'greater', "
        r"'less'; got 'x'$",
    ):
        moran(y, w, alternative="x")
    for f in (geary, getis_ord, moran_local, getis_ord_local):
        with pytest.raises(InnoclusterError, match=f"'alternative' parameter of {f.__name__}"):
            f(y, w, alternative="both")
    with pytest.raises(InnoclusterError, match="'transform' parameter of moran"):
        moran(y, w, transform="x")
    with pytest.raises(InnoclusterError, match="'permutations' parameter of geary"):
        geary(y, w, permutations=-1)
    with pytest.raises(InnoclusterError, match="'seed' parameter of moran"):
        moran(y, w, seed=-3)
    with pytest.raises(InnoclusterError, match=r"must be \(9, 9\) to match the 9 values"):
        moran(y, grid_contiguity(2))
    with pytest.raises(InnoclusterError, match="zero diagonal"):
        moran(y, w + sp.eye(9))
    with pytest.raises(InnoclusterError, match="all equal"):
        moran(np.ones(9), w)
    with pytest.raises(InnoclusterError, match="non-negative"):
        getis_ord(y - 4, w)
    with pytest.raises(InnoclusterError, match="shape"):
        moran_local(y.reshape(3, 3), w)
    with pytest.raises(InnoclusterError, match="'star' parameter"):
        getis_ord_local(y, w, star="yes")
    with pytest.raises(InnoclusterError, match="at least 4 regions"):
        moran(y[:3], as_weights(np.ones((3, 3)) - np.eye(3), "t"))
