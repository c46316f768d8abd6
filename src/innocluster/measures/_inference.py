"""Shared machinery of the spatial autocorrelation statistics: inputs, moments, permutations.

Internal to :mod:`innocluster.measures`: the family modules :mod:`~innocluster.measures.moran_i`,
:mod:`~innocluster.measures.geary_c` and :mod:`~innocluster.measures.getis_ord_g` build on it, and
only :func:`pseudo_p_value` is public (``innocluster.measures.pseudo_p_value``).

Inference is analytical (moments with a normal approximation, in the family modules) and by
permutation: the values are randomly permuted over the regions (for the local statistics,
*conditionally*: the region's own value stays and its neighbours' values are drawn from the
other regions). Permutations are seeded (``seed``: an int, a :class:`numpy.random.Generator`, a
:class:`numpy.random.SeedSequence` or None, turned into a generator by
:func:`innocluster.measures._seeds.as_generator`, never the global random state), so the same
seed gives the same result. The pseudo p-value is
``(larger + 1) / (P + 1)``, where ``larger`` counts the ``P`` simulated statistics at least as
extreme as the observed one, in one helper shared by all statistics
(:func:`permutation_inference`).

Interface offered to the family modules:

- option and input checks: :data:`ALTERNATIVES`, :func:`check_alternative`,
  :func:`check_options` (transform, permutations, alternative), :func:`checked_values` (the
  values per region) and :func:`prepared_weights` (checked, transformed CSR weights and the
  islands);
- moments: :func:`s012` (``S0, S1, S2`` of the weights), :func:`normal_p` (normal p-values);
- global permutations: :class:`GlobalStat` (a global statistic on permuted values) and
  :func:`global_permutations` (its permutation inference);
- conditional (local) permutations: :func:`max_cardinality`, :func:`conditional_ids` (the
  draws), :func:`local_core` (observed and simulated local statistics) and
  :func:`local_inference`;
- :func:`permutation_inference`, :func:`pseudo_p_value` and :func:`read_only` (results are
  read-only arrays).
"""

from __future__ import annotations

import numba
import numpy as np
import scipy.sparse as sp
from scipy.special import ndtr

from innocluster.errors import InnoclusterError
from innocluster.measures._seeds import Seed, as_generator
from innocluster.measures.weights import TRANSFORMS, apply_transform, as_weights

__all__ = ["pseudo_p_value"]

ALTERNATIVES = ("two-sided", "greater", "less")
#: Elements of one batch of global permutations (bounds the memory of the simulations).
_BATCH_ELEMENTS = 1 << 19


# --------------------------------------------------------------------------------------------
# Validation and data preparation
# --------------------------------------------------------------------------------------------


def check_alternative(alternative: str, caller: str) -> None:
    """Raise unless ``alternative`` is one of :data:`ALTERNATIVES`."""
    if alternative not in ALTERNATIVES:
        raise InnoclusterError(
            f"The 'alternative' parameter of {caller} must be one of 'two-sided', 'greater', "
            f"'less'; got {alternative!r}"
        )


def check_options(caller: str, transform: str, permutations: int, alternative: str) -> None:
    """Raise unless the options shared by every statistic are valid."""
    check_alternative(alternative, caller)
    if transform not in TRANSFORMS:
        raise InnoclusterError(
            f"The 'transform' parameter of {caller} must be one of 'r', 'b', 'o'; got {transform!r}"
        )
    if (
        isinstance(permutations, bool)
        or not isinstance(permutations, int | np.integer)
        or permutations < 0
    ):
        raise InnoclusterError(
            f"The 'permutations' parameter of {caller} must be a non-negative integer; "
            f"got {permutations!r}"
        )


def checked_values(y: np.ndarray, caller: str, nonnegative: bool = False) -> np.ndarray:
    """The values per region as ``float64`` ``(n,)``, ``n >= 4``, finite (and ``>= 0``)."""
    arr = np.asarray(y)
    if arr.ndim != 1 or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise InnoclusterError(
            f"The values of {caller} must be a numeric array of shape (n,); got shape "
            f"{arr.shape} and dtype {arr.dtype}"
        )
    if len(arr) < 4:
        raise InnoclusterError(f"{caller} needs at least 4 regions; got {len(arr)}")
    v = arr.astype(np.float64)
    if not np.all(np.isfinite(v)):
        raise InnoclusterError(f"The values of {caller} must be finite")
    if nonnegative and np.any(v < 0):
        raise InnoclusterError(
            f"The values of {caller} must be non-negative (counts); got {int((v < 0).sum())} "
            "negative"
        )
    return v


def prepared_weights(
    w: sp.spmatrix | np.ndarray, n: int, transform: str, caller: str, star: bool = False
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Checked, transformed CSR weights and the islands (regions without a neighbour).

    With ``star`` each region becomes its own neighbour with self-weight ``max_j w_ij`` (1 for
    an island) before the transform, as local ``G_i*`` needs.
    """
    W = as_weights(w, caller, n)
    diag = W.diagonal()
    if np.any(diag != 0):
        raise InnoclusterError(
            f"The weights of {caller} must have a zero diagonal (a region is not its own "
            f"neighbour); got {int((diag != 0).sum())} regions with a self-weight"
        )
    if W.nnz == 0:
        raise InnoclusterError(f"The weights of {caller} have no neighbours at all")
    counts = np.diff(W.indptr)
    isl = np.flatnonzero(counts == 0)
    isl.setflags(write=False)
    if star:
        rowmax = np.asarray(W.max(axis=1).todense()).ravel()
        W = (W + sp.diags(np.where(rowmax > 0, rowmax, 1.0))).tocsr()
        W.sort_indices()
    return apply_transform(W, transform), isl


def s012(W: sp.csr_matrix) -> tuple[float, float, float]:
    """``S0 = sum w``, ``S1 = 1/2 sum (w_ij + w_ji)^2``, ``S2 = sum_i (w_i. + w_.i)^2``."""
    s0 = float(W.sum())
    sym = (W + W.T).tocsr()
    s1 = 0.5 * float((sym.data**2).sum())
    rows = np.asarray(W.sum(axis=1)).ravel()
    cols = np.asarray(W.sum(axis=0)).ravel()
    s2 = float(((rows + cols) ** 2).sum())
    return s0, s1, s2


def max_cardinality(W: sp.csr_matrix) -> int:
    """The largest number of neighbours of a region (its self-weight not counted)."""
    counts = np.diff(W.indptr) - (W.diagonal() != 0)
    return int(counts.max()) if len(counts) else 0


def read_only(a: np.ndarray) -> np.ndarray:
    """``a`` as an array that cannot be written to (results are frozen)."""
    a = np.asarray(a)
    a.setflags(write=False)
    return a


# --------------------------------------------------------------------------------------------
# Inference helpers
# --------------------------------------------------------------------------------------------


def pseudo_p_value(
    n_ge: np.ndarray | int,
    n_le: np.ndarray | int,
    permutations: int,
    alternative: str = "two-sided",
) -> np.ndarray:
    """Pseudo p-value of a permutation test, ``(larger + 1) / (P + 1)``.

    ``larger`` is ``n_ge`` (simulated statistics ``>=`` the observed one) for
    ``'greater'`` and ``n_le`` (``<=``) for ``'less'``; ``'two-sided'`` doubles the smaller
    one-sided pseudo p-value, ``min(1, 2 (min(n_ge, n_le) + 1) / (P + 1))``. Counting the
    observed statistic among the permutations (the ``+ 1``) makes the test exact and the
    p-value never 0.

    Args:
        n_ge: counts of simulated statistics ``>=`` the observed one, scalar or ``(n,)``.
        n_le: counts ``<=`` the observed one, same shape.
        permutations: number of permutations ``P >= 1``.
        alternative: ``'two-sided'``, ``'greater'`` or ``'less'``.

    Returns:
        p-values, ``float64`` of the shape of ``n_ge``.

    References:
        Phipson, B. and Smyth, G. K. (2010) Permutation p-values should never be zero:
        calculating exact p-values when permutations are randomly drawn. *Statistical
        Applications in Genetics and Molecular Biology* 9(1), 39. doi:10.2202/1544-6115.1585
    """
    check_alternative(alternative, "pseudo_p_value")
    ge = np.asarray(n_ge, dtype=np.float64)
    le = np.asarray(n_le, dtype=np.float64)
    if alternative == "greater":
        return (ge + 1.0) / (permutations + 1.0)
    if alternative == "less":
        return (le + 1.0) / (permutations + 1.0)
    return np.minimum(1.0, 2.0 * (np.minimum(ge, le) + 1.0) / (permutations + 1.0))


def permutation_inference(
    observed: np.ndarray | float,
    n_ge: np.ndarray | int,
    n_le: np.ndarray | int,
    mean: np.ndarray | float,
    var: np.ndarray | float,
    permutations: int,
    alternative: str,
    caller: str,
) -> dict:
    """The one permutation-inference helper: pseudo p-value, z-score and its normal p-value.

    Validates ``alternative``; returns ``mean``, ``var``, ``se`` (``sqrt(var)``), ``z``
    (``(observed - mean) / se``, NaN where ``se == 0``), ``p_z`` (normal p-value of ``z``) and
    ``p`` (:func:`pseudo_p_value`).
    """
    check_alternative(alternative, caller)
    se = np.sqrt(var)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (np.asarray(observed) - mean) / np.where(se > 0, se, 1.0), np.nan)
    return {
        "mean": mean,
        "var": var,
        "se": se,
        "z": z,
        "p_z": normal_p(z, alternative),
        "p": pseudo_p_value(n_ge, n_le, permutations, alternative),
    }


def normal_p(z: np.ndarray | float, alternative: str) -> np.ndarray:
    """Normal-approximation p-value of z-scores for the alternative."""
    z = np.asarray(z, dtype=np.float64)
    if alternative == "greater":
        return ndtr(-z)
    if alternative == "less":
        return ndtr(z)
    return 2.0 * ndtr(-np.abs(z))


# --------------------------------------------------------------------------------------------
# Global statistics under permutation
# --------------------------------------------------------------------------------------------


class GlobalStat:
    """A global statistic evaluated on permutations of the values, rows of ``idx`` ``(m, n)``.

    ``kind`` is ``'moran'`` or ``'getis_ord'`` (``scale * sum_ij w_ij x_i x_j``) or
    ``'geary'`` (``scale * sum_ij w_ij (x_i - x_j)^2``). The observed statistic (the identity
    permutation) and every permutation go through the same compiled arithmetic, so a
    permutation that reproduces the observed configuration ties with it exactly.
    """

    def __init__(self, kind: str, W: sp.csr_matrix, scale: float) -> None:
        self.kind, self.scale = kind, scale
        self.indptr = W.indptr.astype(np.int64)
        self.indices = W.indices.astype(np.int64)
        self.data = W.data.astype(np.float64)

    def __call__(self, x: np.ndarray, idx: np.ndarray | None = None) -> np.ndarray:
        """The statistic of ``x[idx[p]]`` for each row ``p`` (``idx=None``: of ``x`` itself)."""
        if idx is None:
            idx = np.arange(len(x), dtype=np.int64)[None, :]
        idx = np.ascontiguousarray(idx, dtype=np.int64)
        geary = self.kind == "geary"
        return _global_kernel(x, idx, self.indptr, self.indices, self.data, geary) * self.scale

    def shuffled(self, x: np.ndarray, u: np.ndarray) -> np.ndarray:
        """The statistic of each random permutation of ``x`` drawn from the uniforms ``u``."""
        geary = self.kind == "geary"
        raw = _global_kernel_shuffled(x, u, self.indptr, self.indices, self.data, geary)
        return raw * self.scale


@numba.njit(cache=True, parallel=True)
def _global_kernel(x, idx, indptr, indices, data, squared_difference):  # pragma: no cover
    """``sum_ij w_ij f(x_p[i], x_p[j])`` for each permutation ``x_p = x[idx[p]]``."""
    m, n = idx.shape
    out = np.empty(m)
    for p in numba.prange(m):
        xp = np.empty(n)
        for i in range(n):
            xp[i] = x[idx[p, i]]
        out[p] = _pair_sum(xp, indptr, indices, data, squared_difference)
    return out


@numba.njit(cache=True, parallel=True)
def _global_kernel_shuffled(x, u, indptr, indices, data, squared_difference):  # pragma: no cover
    """As :func:`_global_kernel`, each ``x_p`` a Fisher-Yates shuffle of ``x`` driven by ``u[p]``.

    ``u`` is ``(m, n - 1)`` uniforms on ``[0, 1)``: step ``s`` swaps position ``i = n - 1 - s``
    with position ``floor(u[p, s] (i + 1))``.
    """
    m = u.shape[0]
    n = x.shape[0]
    out = np.empty(m)
    for p in numba.prange(m):
        xp = x.copy()
        for s in range(n - 1):
            i = n - 1 - s
            j = min(int(u[p, s] * (i + 1)), i)
            t = xp[i]
            xp[i] = xp[j]
            xp[j] = t
        out[p] = _pair_sum(xp, indptr, indices, data, squared_difference)
    return out


@numba.njit(cache=True)
def _pair_sum(xp, indptr, indices, data, squared_difference):  # pragma: no cover
    """``sum_ij w_ij x_i x_j`` or ``sum_ij w_ij (x_i - x_j)^2``, rows in order."""
    total = 0.0
    for i in range(xp.shape[0]):
        row = 0.0
        xi = xp[i]
        if squared_difference:
            for k in range(indptr[i], indptr[i + 1]):
                d = xi - xp[indices[k]]
                row += data[k] * d * d
            total += row
        else:
            for k in range(indptr[i], indptr[i + 1]):
                row += data[k] * xp[indices[k]]
            total += xi * row
    return total


def global_permutations(
    stat: GlobalStat,
    x: np.ndarray,
    observed: float,
    permutations: int,
    alternative: str,
    seed: Seed,
    caller: str,
) -> dict:
    """Permutation inference for a global statistic (all None when ``permutations == 0``).

    Returns ``sim`` (the ``(P,)`` read-only simulated statistics) and the floats ``mean``,
    ``var``, ``se``, ``z``, ``p_z``, ``p`` of :func:`permutation_inference`.
    """
    if permutations == 0:
        return dict.fromkeys(("sim", "mean", "var", "se", "z", "p_z", "p"))
    sim = _global_simulations(stat, x, as_generator(seed, caller), permutations)
    out = permutation_inference(
        observed,
        int((sim >= observed).sum()),
        int((sim <= observed).sum()),
        float(sim.mean()),
        float(sim.var()),
        permutations,
        alternative,
        caller,
    )
    sim.setflags(write=False)
    out = {key: float(value) for key, value in out.items()}
    out["sim"] = sim
    return out


def _global_simulations(
    stat: GlobalStat, x: np.ndarray, rng: np.random.Generator, permutations: int
) -> np.ndarray:
    """The statistic for ``permutations`` random permutations of ``x``, in batches.

    Each batch draws ``(m, n - 1)`` uniforms from ``rng`` (bounded memory) and shuffles ``x``
    with them in compiled code; the batch size depends only on ``n``, so the result depends
    only on the seed.
    """
    n = len(x)
    m = max(1, min(permutations, _BATCH_ELEMENTS // n))
    out = np.empty(permutations)
    for start in range(0, permutations, m):  # batches of permutations, not regions
        rows = min(m, permutations - start)
        out[start : start + rows] = stat.shuffled(x, rng.random((rows, n - 1)))
    return out


# --------------------------------------------------------------------------------------------
# Local statistics under conditional permutation
# --------------------------------------------------------------------------------------------


def local_core(
    v: np.ndarray, a: np.ndarray, b: np.ndarray, W: sp.csr_matrix, ids: np.ndarray, keep: bool
) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Observed ``a_i lag_i + b_i`` (``lag = W v``, off-diagonal ``W``) and its simulations.

    Returns the observed statistics ``(n,)``, the observed lags ``(n,)`` and the simulation
    summary ``(n_ge, n_le, mean, var, sims or None)`` that :func:`local_inference` reads.
    """
    obs, lag, n_ge, n_le, mean, var, sims = _conditional_kernel(
        v.astype(np.float64),
        a.astype(np.float64),
        b.astype(np.float64),
        W.indptr.astype(np.int64),
        W.indices.astype(np.int64),
        W.data,
        ids,
        keep,
    )
    return obs, lag, (n_ge, n_le, mean, var, sims if keep else None)


def local_inference(
    observed: np.ndarray,
    crand: tuple,
    isl: np.ndarray,
    permutations: int,
    alternative: str,
    caller: str,
) -> dict:
    """Conditional permutation inference per region (NaN for islands; all None if ``P == 0``).

    Returns read-only ``(n,)`` arrays ``mean``, ``var``, ``se``, ``z``, ``p_z``, ``p`` and
    ``sim`` (``(P, n)``, or None unless the simulations were kept).
    """
    if permutations == 0:
        return dict.fromkeys(("sim", "mean", "var", "se", "z", "p_z", "p"))
    n_ge, n_le, mean, var, sims = crand
    out = permutation_inference(observed, n_ge, n_le, mean, var, permutations, alternative, caller)
    for key in ("mean", "var", "se", "z", "p_z", "p"):
        arr = np.array(out[key], dtype=np.float64)
        arr[isl] = np.nan
        out[key] = read_only(arr)
    out["sim"] = None if sims is None else read_only(np.ascontiguousarray(sims.T))
    return out


def conditional_ids(rng: np.random.Generator, n: int, kmax: int, permutations: int) -> np.ndarray:
    """``(P, kmax)`` positions among the ``n - 1`` other regions, distinct within each row.

    Row ``p`` gives, for every region ``i``, the values of its ``k_i`` neighbours in
    permutation ``p``: position ``t`` stands for region ``t`` if ``t < i``, else ``t + 1``.
    """
    kmax = min(kmax, n - 1)
    u = rng.random((permutations, kmax))
    return _sample_without_replacement(u, n - 1)


@numba.njit(cache=True)
def _sample_without_replacement(u: np.ndarray, m: int) -> np.ndarray:  # pragma: no cover
    """Each row: the first ``k`` draws of a Fisher-Yates shuffle of ``range(m)``, from ``u``."""
    P, k = u.shape
    out = np.empty((P, k), dtype=np.int64)
    pool = np.arange(m)
    swaps = np.empty(k, dtype=np.int64)
    for p in range(P):
        for j in range(k):
            t = j + int(u[p, j] * (m - j))
            t = min(t, m - 1)
            swaps[j] = t
            tmp = pool[j]
            pool[j] = pool[t]
            pool[t] = tmp
            out[p, j] = pool[j]
        for j in range(k - 1, -1, -1):  # undo, so that the pool is range(m) again
            t = swaps[j]
            tmp = pool[j]
            pool[j] = pool[t]
            pool[t] = tmp
    return out


@numba.njit(cache=True, parallel=True)
def _conditional_kernel(v, a, b, indptr, indices, data, ids, keep):  # pragma: no cover
    """Local statistics ``a_i sum_k w_ik v_jk + b_i``, observed and conditionally permuted.

    Returns the observed statistics, the observed lags, the counts of simulations ``>=`` and
    ``<=`` the observed statistic, their mean and variance (Welford, divisor ``P``), and the
    ``(n, P)`` simulations when ``keep``. Deterministic: no random draw inside, each region
    written by one thread, sums in the order of ``W``'s columns.
    """
    n = v.shape[0]
    P = ids.shape[0]
    obs = np.empty(n)
    lags = np.empty(n)
    n_ge = np.zeros(n, dtype=np.int64)
    n_le = np.zeros(n, dtype=np.int64)
    mean = np.zeros(n)
    var = np.zeros(n)
    sims = np.empty((n, P if keep else 0))
    for i in numba.prange(n):
        s = indptr[i]
        c = indptr[i + 1] - s
        lag = 0.0
        for k in range(c):
            lag += data[s + k] * v[indices[s + k]]
        o = a[i] * lag + b[i]
        obs[i] = o
        lags[i] = lag
        mu = 0.0
        m2 = 0.0
        ge = 0
        le = 0
        for p in range(P):
            lag = 0.0
            for k in range(c):
                j = ids[p, k]
                if j >= i:
                    j += 1
                lag += data[s + k] * v[j]
            x = a[i] * lag + b[i]
            if x >= o:
                ge += 1
            if x <= o:
                le += 1
            d = x - mu
            mu += d / (p + 1)
            m2 += d * (x - mu)
            if keep:
                sims[i, p] = x
        n_ge[i] = ge
        n_le[i] = le
        mean[i] = mu
        var[i] = m2 / P if P > 0 else 0.0
    return obs, lags, n_ge, n_le, mean, var, sims
