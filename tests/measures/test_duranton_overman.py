"""Duranton-Overman Kd: the published formula by brute force, R's bandwidth, the kernel sums.

Kd is checked against a brute-force computation of its formula over all pairs of a small point
set (weighted and unweighted, univariate and bivariate), Silverman's rule against R's
``bw.nrd0``, and the binned Hermite kernel sums against a direct evaluation.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from innocluster.measures import duranton_overman as do
from innocluster.measures.duranton_overman import kd
from tests.measures.test_points import close, distances, pattern


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
        got = do._kernel_sums(d, wt, r, h)
        u1 = (r[:, None] - d) / h
        u2 = (r[:, None] + d) / h
        want = ((np.exp(-0.5 * u1**2) + np.exp(-0.5 * u2**2)) * wt).sum(axis=1)
        close(got, want, 1e-12)


def test_silverman_rule_matches_r():
    # R: bw.nrd0(c(1, 2, 3, 4, 10)) = 0.9 * min(sd, IQR / 1.34) * 5^(-1/5)
    assert do._nrd0(np.array([1.0, 2.0, 3.0, 4.0, 10.0])) == pytest.approx(0.97358, abs=1e-5)
    assert do._nrd0(np.array([2.0, 2.0, 2.0])) == pytest.approx(0.9 * 2.0 * 3 ** (-0.2))
    assert np.isnan(do._nrd0(np.array([1.0])))
