"""The compiled exponential against numpy's."""

from __future__ import annotations

import numba
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from innocluster.core.numerics import exp_neg


@numba.njit
def _many(x):
    out = np.empty_like(x)
    for i in range(len(x)):
        out[i] = exp_neg(x[i])
    return out


def test_relative_error_is_a_few_ulps_over_the_normal_range():
    x = -np.concatenate([np.linspace(0, 1, 10_001), np.geomspace(1e-12, 708, 100_000)])
    rel = np.abs(_many(x) / np.exp(x) - 1.0)
    assert rel.max() < 4.5e-16
    assert _many(np.array([0.0]))[0] == 1.0


def test_underflow_goes_to_zero_like_exp():
    x = -np.linspace(708, 800, 1000)
    got = _many(x)
    assert np.all(got >= 0) and np.all(got < 1e-307)
    np.testing.assert_allclose(got, np.exp(x), rtol=0, atol=1e-320)
    assert _many(np.array([-745.0, -1e6, -np.inf])).tolist() == [0.0, 0.0, 0.0]


@given(st.floats(min_value=-700.0, max_value=0.0))
def test_matches_numpy_anywhere_in_range(x):
    assert abs(_many(np.array([x]))[0] / np.exp(x) - 1.0) < 4.5e-16
