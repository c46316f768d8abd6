"""Getis-Ord G of values over regions: global (:func:`getis_ord`), local (:func:`getis_ord_local`).

G measures the share of the cross-products of non-negative values (counts) that fall between
neighbours: unlike Moran's I it tells clusters of high values (hot spots) from clusters of low
ones. Both statistics are pure functions of the values per region ``y`` (``(n,)``) and the
spatial weights ``w`` (``(n, n)``, see :mod:`innocluster.measures.weights`); local ``G_i`` and
``G_i*`` (the region itself included) come with conditional permutation inference. The
permutations, pseudo p-values and input checks are shared, in
:mod:`innocluster.measures._inference`. Attribute names follow PySAL ``esda`` (``G``, ``EG``,
``Gs``, ``Zs``, ``p_sim``...); where innocluster differs from esda (the variance of local G with
non-binary weights, islands) is in ``docs/measures-geography.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from innocluster.errors import InnoclusterError
from innocluster.measures._inference import (
    GlobalStat,
    check_options,
    checked_values,
    conditional_ids,
    global_permutations,
    local_core,
    local_inference,
    max_cardinality,
    normal_p,
    prepared_weights,
    read_only,
    s012,
)
from innocluster.measures._seeds import Seed, as_generator

__all__ = ["GetisOrdLocalResult", "GetisOrdResult", "getis_ord", "getis_ord_local"]


@dataclass(frozen=True, eq=False)
class GetisOrdResult:
    """Global Getis-Ord G with its inference (see :func:`getis_ord`).

    Attributes:
        n, permutations, alternative, islands: as in :class:`MoranResult`.
        G: the statistic; EG, VG: its expectation and variance under randomisation.
        z_norm, p_norm: z-score and p-value of the normal approximation to those moments
            (esda's names; Getis and Ord give the moments under randomisation only).
        sim, EG_sim, VG_sim, seG_sim, z_sim, p_z_sim, p_sim: permutation inference (None when
            ``permutations == 0``).
    """

    n: int
    G: float
    EG: float
    VG: float
    seG: float
    z_norm: float
    p_norm: float
    permutations: int
    alternative: str
    sim: np.ndarray | None
    EG_sim: float | None
    VG_sim: float | None
    seG_sim: float | None
    z_sim: float | None
    p_z_sim: float | None
    p_sim: float | None
    islands: np.ndarray


@dataclass(frozen=True, eq=False)
class GetisOrdLocalResult:
    """Local Getis-Ord ``G_i`` or ``G_i*`` per region with its inference.

    All arrays have shape ``(n,)`` (``sim``: ``(P, n)``) and are read-only; an island's
    inference is NaN.

    Attributes:
        n, permutations, alternative, islands: as in :class:`MoranResult`.
        star: True for ``G_i*`` (the region itself included), False for ``G_i``.
        Gs: the statistics; EGs, VGs: their expectation and variance under randomisation.
        Zs, p_norm: z-scores and normal p-values from ``EGs, VGs``.
        sim, EG_sim, VG_sim, seG_sim, z_sim, p_z_sim, p_sim: conditional permutation inference
            (None when ``permutations == 0``; ``sim`` only with ``keep_simulations=True``).
    """

    n: int
    star: bool
    Gs: np.ndarray
    EGs: np.ndarray
    VGs: np.ndarray
    Zs: np.ndarray
    p_norm: np.ndarray
    permutations: int
    alternative: str
    sim: np.ndarray | None
    EG_sim: np.ndarray | None
    VG_sim: np.ndarray | None
    seG_sim: np.ndarray | None
    z_sim: np.ndarray | None
    p_z_sim: np.ndarray | None
    p_sim: np.ndarray | None
    islands: np.ndarray


def getis_ord(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    transform: str = "b",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: Seed = None,
) -> GetisOrdResult:
    """Global Getis-Ord G: the share of all cross-products of values that are between neighbours.

    ``G = sum_{i != j} w_ij y_i y_j / sum_{i != j} y_i y_j``, for non-negative ``y``.
    Under randomisation ``E[G] = S0 / (n (n - 1))`` and ``E[G^2] = (B0 m2^2 + B1 m4 +
    B2 m1^2 m2 + B3 m1 m3 + B4 m1^4) / ((m1^2 - m2)^2 n (n - 1)(n - 2)(n - 3))`` with
    ``mj = sum_i y_i^j`` and ``B0 = (n^2 - 3n + 3) S1 - n S2 + 3 S0^2``,
    ``B1 = -((n^2 - n) S1 - 2n S2 + 6 S0^2)``, ``B2 = -(2n S1 - (n + 3) S2 + 6 S0^2)``,
    ``B3 = 4 (n - 1) S1 - 2 (n + 1) S2 + 8 S0^2``, ``B4 = S1 - S2 + S0^2``;
    ``V[G] = E[G^2] - E[G]^2``. G is large when high values cluster (hot spots), unlike
    Moran's I, which does not tell high from low clusters.

    Args:
        y: non-negative values per region (counts), shape ``(n,)``, ``n >= 4``, at least two
            of them positive.
        w: spatial weights ``(n, n)``, non-negative, zero diagonal.
        transform: ``'b'`` binary (default, as Getis and Ord and as esda), ``'r'`` or ``'o'``.
        permutations: number of random permutations ``P >= 0``.
        alternative: ``'two-sided'`` (default), ``'greater'`` (high values cluster) or
            ``'less'``.
        seed: int, :class:`numpy.random.Generator` or :class:`numpy.random.SeedSequence` for
            the permutations.

    Returns:
        :class:`GetisOrdResult`.

    References:
        Getis, A. and Ord, J. K. (1992) The analysis of spatial association by use of distance
        statistics. *Geographical Analysis* 24(3), 189-206. doi:10.1111/j.1538-4632.1992.tb00261.x
    """
    caller = "getis_ord"
    check_options(caller, transform, permutations, alternative)
    yv = checked_values(y, caller, nonnegative=True)
    n = len(yv)
    W, isl = prepared_weights(w, n, transform, caller)
    s0, s1, s2 = s012(W)
    m1, m2, m3, m4 = (float((yv**j).sum()) for j in (1, 2, 3, 4))
    den = m1 * m1 - m2
    if den <= 0:
        raise InnoclusterError(
            f"The values of {caller} need at least two positive entries; G is undefined"
        )
    n2, s02 = n * n, s0 * s0
    b0 = (n2 - 3 * n + 3) * s1 - n * s2 + 3 * s02
    b1 = -((n2 - n) * s1 - 2 * n * s2 + 6 * s02)
    b2 = -(2 * n * s1 - (n + 3) * s2 + 6 * s02)
    b3 = 4 * (n - 1) * s1 - 2 * (n + 1) * s2 + 8 * s02
    b4 = s1 - s2 + s02
    EG = s0 / (n * (n - 1))
    EG2 = (b0 * m2 * m2 + b1 * m4 + b2 * m1 * m1 * m2 + b3 * m1 * m3 + b4 * m1**4) / (
        den * den * n * (n - 1) * (n - 2) * (n - 3)
    )
    VG = EG2 - EG * EG
    stat = GlobalStat("getis_ord", W, 1.0 / den)
    G_obs = float(stat(yv)[0])
    seG = float(np.sqrt(VG))
    z_norm = (G_obs - EG) / seG
    perm = global_permutations(stat, yv, G_obs, permutations, alternative, seed, caller)
    return GetisOrdResult(
        n=n,
        G=G_obs,
        EG=EG,
        VG=float(VG),
        seG=seG,
        z_norm=float(z_norm),
        p_norm=float(normal_p(z_norm, alternative)),
        permutations=permutations,
        alternative=alternative,
        sim=perm["sim"],
        EG_sim=perm["mean"],
        VG_sim=perm["var"],
        seG_sim=perm["se"],
        z_sim=perm["z"],
        p_z_sim=perm["p_z"],
        p_sim=perm["p"],
        islands=isl,
    )


def getis_ord_local(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    star: bool = False,
    transform: str = "b",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: Seed = None,
    keep_simulations: bool = False,
) -> GetisOrdLocalResult:
    """Local Getis-Ord ``G_i`` (``star=False``) or ``G_i*`` (``star=True``) of each region.

    ``G_i = sum_{j != i} w_ij y_j / sum_{j != i} y_j`` and ``G_i* = sum_j w_ij y_j / sum_j y_j``
    where, for ``G_i*``, the region counts as its own neighbour with self-weight
    ``w_ii = max_j w_ij`` (1 for binary weights; 1 for an island) before ``transform``. Under
    randomisation of the ``N`` values in the denominator (``N = n - 1`` for ``G_i``, ``n`` for
    ``G_i*``) with mean ``Y1`` and variance ``Y2`` (divisor ``N``), ``W_i = sum_j w_ij`` and
    ``S1_i = sum_j w_ij^2``::

        E[G_i] = W_i / N,    V[G_i] = (N S1_i - W_i^2) / (N^2 (N - 1)) * Y2 / Y1^2

    (Ord and Getis 1995; with binary weights ``N S1_i - W_i^2 = W_i (N - W_i)``, the form of
    Getis and Ord 1992). ``Zs`` is the z-score; large positive values mark hot spots.
    Conditional permutation inference as in :func:`moran_local`.

    Args:
        y: non-negative values per region (counts), shape ``(n,)``, ``n >= 4``, not all 0.
        w: spatial weights ``(n, n)``, non-negative, zero diagonal (``star`` adds the
            self-weights).
        star: ``G_i*`` instead of ``G_i``.
        transform: ``'b'`` (default, as Getis and Ord), ``'r'`` or ``'o'``.
        permutations: number of conditional permutations ``P >= 0``.
        alternative: ``'two-sided'`` (default), ``'greater'`` (hot spot) or ``'less'``
            (cold spot).
        seed: int, :class:`numpy.random.Generator` or :class:`numpy.random.SeedSequence` for
            the permutations.
        keep_simulations: keep the ``(P, n)`` simulated statistics in ``sim``.

    Returns:
        :class:`GetisOrdLocalResult`.

    References:
        Getis, A. and Ord, J. K. (1992) The analysis of spatial association by use of distance
        statistics. *Geographical Analysis* 24(3), 189-206. doi:10.1111/j.1538-4632.1992.tb00261.x
        Ord, J. K. and Getis, A. (1995) Local spatial autocorrelation statistics:
        distributional issues and an application. *Geographical Analysis* 27(4), 286-306.
        doi:10.1111/j.1538-4632.1995.tb00912.x
    """
    caller = "getis_ord_local"
    check_options(caller, transform, permutations, alternative)
    if not isinstance(star, bool | np.bool_):
        raise InnoclusterError(
            f"The 'star' parameter of getis_ord_local must be True or False; got {star!r}"
        )
    yv = checked_values(y, caller, nonnegative=True)
    if yv.sum() <= 0:
        raise InnoclusterError(f"The values of {caller} are all zero; G_i is undefined")
    n = len(yv)
    W, isl = prepared_weights(w, n, transform, caller, star=bool(star))
    rng = as_generator(seed, caller)
    ids = conditional_ids(rng, n, max_cardinality(W), permutations)
    return _getis_ord_local(yv, W, isl, bool(star), ids, alternative, keep_simulations)


# The computation once the draws are made: shared with the tests, which pass esda's draws as
# ``ids`` to replay its permutations exactly.


def _getis_ord_local(
    y: np.ndarray,
    W: sp.csr_matrix,
    isl: np.ndarray,
    star: bool,
    ids: np.ndarray,
    alternative: str,
    keep: bool,
) -> GetisOrdLocalResult:
    n = len(y)
    total = float(y.sum())
    self_w = W.diagonal()
    off = W.copy()
    off.setdiag(0.0)
    off.eliminate_zeros()
    wi = np.asarray(W.sum(axis=1)).ravel()  # includes the self-weight for G_i*
    wi2 = np.asarray(W.multiply(W).sum(axis=1)).ravel()
    d = y - y.mean()
    ss = float(d @ d)
    if star:
        N = float(n)
        mean = np.full(n, total / n)
        var = np.full(n, ss / n)
        a = np.full(n, 1.0 / total)
        b = self_w * y / total
    else:
        N = float(n - 1)
        mean = (total - y) / N
        var = (ss - d * d - d * d / N) / N
        with np.errstate(divide="ignore"):
            a = 1.0 / (total - y)
        b = np.zeros(n)
    EGs = wi / N
    with np.errstate(divide="ignore", invalid="ignore"):
        VGs = (N * wi2 - wi**2) / (N * N * (N - 1)) * var / mean**2
    Gs, _, crand = local_core(y, a, b, off, ids, keep)
    with np.errstate(divide="ignore", invalid="ignore"):
        Zs = (Gs - EGs) / np.sqrt(VGs)
    Zs[isl] = np.nan
    perm = local_inference(Gs, crand, isl, ids.shape[0], alternative, "getis_ord_local")
    return GetisOrdLocalResult(
        n=n,
        star=star,
        Gs=read_only(Gs),
        EGs=read_only(EGs),
        VGs=read_only(VGs),
        Zs=read_only(Zs),
        p_norm=read_only(normal_p(Zs, alternative)),
        permutations=ids.shape[0],
        alternative=alternative,
        sim=perm["sim"],
        EG_sim=perm["mean"],
        VG_sim=perm["var"],
        seG_sim=perm["se"],
        z_sim=perm["z"],
        p_z_sim=perm["p_z"],
        p_sim=perm["p"],
        islands=isl,
    )
