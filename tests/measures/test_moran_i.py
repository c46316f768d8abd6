"""Moran's I, global and local (LISA): PySAL esda on Columbus, exhaustive permutations.

- against esda/libpysal on the Columbus data that libpysal ships (no download): statistics and
  analytical moments to 1e-9, and the permutation distributions with the *same* permutations
  (esda's draws replayed through innocluster's code);
- against the published formulas computed by brute force: the moments of local Moran under total
  and conditional randomisation are the mean and variance over *all* permutations of a small
  example.

The Columbus fixture and the brute-force example are shared, in
``tests/measures/test_inference.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from innocluster.measures import moran_i
from innocluster.measures._inference import GlobalStat, pseudo_p_value
from innocluster.measures.moran_i import moran, moran_local
from innocluster.measures.weights import knn, transform_weights
from tests.measures.test_inference import (
    ALL_PERMS,
    N6,
    W6,
    Y6,
    P,
    dense_moran,
    esda_conditional,
    esda_local_sims,
    fresh,
    legacy_permutations,
    load_columbus,
)


@pytest.fixture(scope="module")
def columbus():
    return load_columbus()


@pytest.mark.parametrize("variable", ["CRIME", "HOVAL"])
@pytest.mark.parametrize("transformation", ["r", "b"])
def test_moran_matches_esda(columbus, variable, transformation):
    esda, y, n = columbus["esda"], columbus[variable], 49
    np.random.seed(12345)  # noqa: NPY002 -- esda draws from the global state
    theirs = esda.Moran(y, fresh(columbus), transformation=transformation, permutations=P)
    ours = moran(y, columbus["w"], transform=transformation, permutations=0)
    for name in ("I", "EI", "VI_norm", "seI_norm", "z_norm", "p_norm", "VI_rand", "z_rand"):
        assert getattr(ours, name) == pytest.approx(getattr(theirs, name), rel=1e-9, abs=1e-12)
    assert ours.p_rand == pytest.approx(theirs.p_rand, rel=1e-9, abs=1e-15)
    # The same permutations through our code give the same reference distribution.
    stat = GlobalStat(
        "moran", transform_weights(columbus["w"], transformation), n / (theirs.w.s0 * theirs.z2ss)
    )
    sim = stat(y - y.mean(), legacy_permutations(12345, n, P))
    np.testing.assert_allclose(sim, theirs.sim, rtol=1e-9, atol=1e-12)
    n_ge = int((sim >= ours.I).sum())
    assert theirs.p_sim == pytest.approx((min(n_ge, P - n_ge) + 1) / (P + 1))


@pytest.mark.parametrize("variable", ["CRIME", "INC"])
def test_moran_local_matches_esda(columbus, variable):
    esda, y, n = columbus["esda"], columbus[variable], 49
    theirs = esda.Moran_Local(y, fresh(columbus), transformation="r", permutations=0)
    ours = moran_local(y, columbus["w"], permutations=0)
    # esda scales I_i by (n - 1) / sum z^2 where Anselin (1995) divides by m2 = sum z^2 / n.
    np.testing.assert_allclose(ours.Is * (n - 1) / n, theirs.Is, rtol=1e-9, atol=1e-12)
    for name in ("EI", "VI", "EIc", "VIc"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-9)
    assert np.array_equal(ours.q, theirs.q)
    # The same conditional draws through esda's per-region code and through our kernel.
    ids = esda_conditional(esda, n, columbus["gal"].max_neighbors, P, 42)
    w_r = transform_weights(columbus["w"], "r")
    theirs_sim = esda_local_sims(
        esda.moran._moran_local_crand, theirs.z, w_r, ids, (n - 1) / (theirs.z @ theirs.z)
    )
    replay = moran_i._moran_local(y, w_r, ours.islands, ids, "two-sided", keep=True)
    np.testing.assert_allclose(replay.sim * (n - 1) / n, theirs_sim, rtol=1e-9, atol=1e-12)
    n_ge = (replay.sim >= replay.Is).sum(axis=0)
    n_le = (replay.sim <= replay.Is).sum(axis=0)
    np.testing.assert_allclose(replay.p_sim, pseudo_p_value(n_ge, n_le, P, "two-sided"))
    np.testing.assert_allclose(replay.EI_sim, replay.sim.mean(axis=0), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(replay.VI_sim, replay.sim.var(axis=0), rtol=1e-7)


def dense_local_moran(y, w):
    z = y - y.mean()
    return z * (w @ z) / ((z @ z) / len(y))


@pytest.mark.parametrize("transformation", ["o", "r"])
def test_local_moran_moments_are_exact_over_all_permutations(transformation):
    w = transform_weights(W6, transformation).toarray()
    r = moran_local(Y6, W6, transform=transformation, permutations=0)
    np.testing.assert_allclose(r.Is, dense_local_moran(Y6, w), rtol=1e-12)
    # Total randomisation: all 720 permutations of the values.
    Is_all = np.array([dense_local_moran(Y6[p], w) for p in ALL_PERMS])
    np.testing.assert_allclose(Is_all.mean(axis=0), r.EI, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(Is_all.var(axis=0), r.VI, rtol=1e-10)
    # Conditional randomisation: y_i stays, the others take all 120 arrangements.
    z = Y6 - Y6.mean()
    m2 = (z @ z) / N6
    for i in range(N6):
        others = [j for j in range(N6) if j != i]
        vals = []
        for p in itertools.permutations(others):
            zp = z.copy()
            zp[others] = z[list(p)]
            vals.append(z[i] * (w[i] @ zp) / m2)
        assert np.mean(vals) == pytest.approx(r.EIc[i], rel=1e-10, abs=1e-12)
        assert np.var(vals) == pytest.approx(r.VIc[i], rel=1e-10, abs=1e-12)
    # sum_i I_i = S0 * I (Anselin 1995).
    assert r.Is.sum() == pytest.approx(w.sum() * dense_moran(Y6, w), rel=1e-12)


def test_knn_weights_are_accepted_as_asymmetric():
    pts = np.random.default_rng(8).random((40, 2))
    w = knn(pts, 4)
    y = pts[:, 0] * 10
    m = moran(y, w, permutations=0, transform="o")
    assert m.I == pytest.approx(dense_moran(y, w.toarray()), rel=1e-12)
