"""Shared helpers of the technology and complexity tests: matrices, properties, a comparison."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

#: Largest absolute difference allowed against the independent implementation.
TOL = 1e-9


def counts(seed: int, n: int, m: int, p_zero: float = 0.5, lam: float = 3.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.poisson(lam, size=(n, m)) * (rng.random((n, m)) >= p_zero)).astype(float)


# Hidalgo & Hausmann (2009), Fig. S4: C1 makes P1-P4, C2 P2, C3 P3 and P4, C4 P4.
HH = np.array([[1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]], dtype=float)

count_matrices = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=12),
    elements=st.integers(0, 50).map(float),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def with_empty() -> np.ndarray:
    X = counts(4, 14, 9, p_zero=0.3)
    X[[2, 9]] = 0
    X[:, 5] = 0
    return X


def assert_close(ours, theirs, name):
    mask = ~np.isnan(theirs)
    assert mask.any(), name
    err = np.max(np.abs(np.asarray(ours)[mask] - theirs[mask]))
    assert err < TOL, f"{name}: max abs difference {err:.3g}"
