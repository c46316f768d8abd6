"""Inequality of a distribution over units (regions, cells, firms)."""

from __future__ import annotations

import numpy as np

__all__ = ["gini"]


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
    v = np.sort(np.asarray(values, dtype=np.float64).ravel())
    n, total = len(v), float(v.sum())
    if n == 0 or total == 0.0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(np.dot(2.0 * ranks - n - 1.0, v) / (n * total))
