"""Marcon-Puech M: the published formula by brute force over all pairs of a small point set."""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.measures.marcon_puech import m_function
from tests.measures.test_points import close, distances, pattern


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
