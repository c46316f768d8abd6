"""Ripley's K and L: brute force over all pairs, pointpats, and pi r^2 for a Poisson pattern.

K is checked against a brute-force computation of its published formula over all pairs of a
small point set, with each edge correction, univariate and bivariate.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from innocluster.measures.ripley import ripley_k, ripley_l
from tests.measures.test_points import WINDOW, close, distances, pattern, share_inside


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
