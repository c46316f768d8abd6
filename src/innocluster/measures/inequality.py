"""Inequality of a distribution over units (regions, cells, firms)."""

from __future__ import annotations

import numpy as np

__all__ = ["gini", "gini_rows"]


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values.

    ``G = sum_i sum_j |v_i - v_j| / (2 N^2 mean(v))``, computed in O(N log N) from the sorted
    values as ``G = sum_i (2 i - N - 1) v_(i) / (N sum(v))`` with ranks ``i = 1..N``. It is 0 for
    equal values and ``(N - 1) / N`` when one unit holds everything; 0 by convention when all
    values are zero or there are none.

    Args:
        values: shape ``(N,)``, non-negative (counts, employees, patents, ...).

    References:
        Gini, C. (1912) *Variabilita e mutabilita*. Bologna: Tipografia di Paolo Cuppini.
        Krugman, P. (1991) *Geography and Trade*, MIT Press (the locational Gini over regions).
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    return float(gini_rows(v[None, :])[0])


def gini_rows(values: np.ndarray) -> np.ndarray:
    """Gini coefficient of each row of non-negative values, ``(M, N)`` to ``(M,)``.

    The formula and conventions of :func:`gini`, vectorised over rows (for instance many
    random draws of counts over the same ``N`` regions).
    """
    v = np.sort(np.asarray(values, dtype=np.float64), axis=1)
    n = v.shape[1]
    total = v.sum(axis=1)
    if n == 0:
        return np.zeros(v.shape[0])
    ranks = np.arange(1, n + 1, dtype=np.float64)
    weighted = v @ (2.0 * ranks - n - 1.0)
    return np.divide(weighted, n * total, out=np.zeros(v.shape[0]), where=total > 0)
