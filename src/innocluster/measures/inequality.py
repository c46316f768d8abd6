"""Inequality of a distribution over units (regions, cells, firms)."""

from __future__ import annotations

import numpy as np

__all__ = ["gini", "gini_rows", "pareto_tail"]


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


def pareto_tail(sizes: np.ndarray, top: float = 0.1) -> float:
    """Hill estimate of the Pareto exponent of the upper tail of a size distribution.

    With the sizes sorted downwards ``x_(1) >= x_(2) >= ...`` and ``k = ceil(top * n)``::

        alpha = k / sum_{i=1..k} ln(x_(i) / x_(k+1))

    so that ``P(S > s) ~ s^-alpha`` above ``x_(k+1)``. Axtell (2001) finds ``alpha`` close to 1
    for US firms by employees (Zipf's law).

    Args:
        sizes: positive sizes (employees), ``(n,)``; zeros and negatives are dropped.
        top: the share of the largest sizes that forms the tail, in (0, 1).

    Returns:
        ``alpha`` > 0; NaN when fewer than 3 sizes are in the tail or the tail is flat.

    References:
        Hill, B. M. (1975) A simple general approach to inference about the tail of a
        distribution. *Annals of Statistics* 3(5), 1163-1174.
        Axtell, R. L. (2001) Zipf distribution of U.S. firm sizes. *Science* 293, 1818-1820.
    """
    x = np.sort(np.asarray(sizes, dtype=np.float64).ravel())[::-1]
    x = x[x > 0]
    k = int(np.ceil(top * len(x)))
    if k < 3 or k >= len(x):
        return float("nan")
    logs = np.log(x[:k] / x[k])
    return float(k / logs.sum()) if logs.sum() > 0 else float("nan")
