"""Spatial autocorrelation of a quantity over regions: global and local, with inference.

Are regions with many organisations (patents, employees) next to other such regions? This
module answers with the classical statistics, each a pure function of the values per region
``y`` (shape ``(n,)``) and a spatial weights matrix ``w`` (``(n, n)``, see
:mod:`innocluster.measures.weights`):

- global: Moran's I (:func:`moran`), Geary's C (:func:`geary`), Getis-Ord G (:func:`getis_ord`);
- local: local Moran (LISA, :func:`moran_local`, with the HH/LH/LL/HL quadrants) and local
  Getis-Ord G_i and G_i* (:func:`getis_ord_local`).

Each comes with analytical inference (moments under normality and under randomisation where the
literature gives both, with a normal approximation) and permutation inference: the values are
randomly permuted over the regions (for the local statistics, *conditionally*: the region's own
value stays and its neighbours' values are drawn from the other regions). Permutations are
seeded (``seed``: an int or a :class:`numpy.random.Generator`, never the global random state),
so the same seed gives the same result. The pseudo p-value is ``(larger + 1) / (P + 1)``, where
``larger`` counts the ``P`` simulated statistics at least as extreme as the observed one, in
one helper shared by all statistics (:func:`_permutation_inference`).

Results are frozen dataclasses whose attribute names are those of PySAL ``esda`` where esda has
the quantity (``I``, ``EI``, ``VI_norm``, ``z_norm``, ``p_norm``, ``VI_rand``, ``z_rand``,
``p_rand``, ``sim``, ``EI_sim``, ``z_sim``, ``p_sim``, ``Is``, ``q``, ``Gs``, ``Zs``...). Where
innocluster deliberately differs from esda (the alternative hypothesis, the scale of local
Moran, the variance of local G with non-binary weights, islands) is listed in
``docs/measures-geography.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import scipy.sparse as sp
from scipy.special import ndtr

from innocluster.errors import InnoclusterError
from innocluster.measures.weights import TRANSFORMS, _apply_transform, as_weights

__all__ = [
    "QUADRANTS",
    "GearyResult",
    "GetisOrdLocalResult",
    "GetisOrdResult",
    "MoranLocalResult",
    "MoranResult",
    "geary",
    "getis_ord",
    "getis_ord_local",
    "moran",
    "moran_local",
    "pseudo_p_value",
]

ALTERNATIVES = ("two-sided", "greater", "less")
#: Codes of the local Moran quadrants (PySAL's scheme); 0 marks an island (no neighbour).
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL", 0: "island"}
#: Elements of one batch of global permutations (bounds the memory of the simulations).
_BATCH_ELEMENTS = 1 << 19


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MoranResult:
    """Global Moran's I with its inference (see :func:`moran`).

    Attributes:
        n: regions.
        I: Moran's I.
        EI: its expectation ``-1 / (n - 1)`` under both nulls.
        VI_norm, seI_norm, z_norm, p_norm: variance, standard error, z-score and p-value under
            normality.
        VI_rand, seI_rand, z_rand, p_rand: the same under randomisation.
        permutations: number of permutations ``P`` (0: no permutation inference).
        alternative: ``'two-sided'``, ``'greater'`` or ``'less'`` (for every p-value).
        sim: ``(P,)`` I of each permutation, or None when ``P == 0``.
        EI_sim, VI_sim, seI_sim: mean, variance (``ddof=0``) and standard deviation of ``sim``.
        z_sim: ``(I - EI_sim) / seI_sim``; p_z_sim: its normal p-value.
        p_sim: pseudo p-value ``(larger + 1) / (P + 1)``.
        islands: ``int64`` indices of regions without neighbours (kept in the computation).
    """

    n: int
    I: float  # noqa: E741 -- esda's name
    EI: float
    VI_norm: float
    seI_norm: float
    z_norm: float
    p_norm: float
    VI_rand: float
    seI_rand: float
    z_rand: float
    p_rand: float
    permutations: int
    alternative: str
    sim: np.ndarray | None
    EI_sim: float | None
    VI_sim: float | None
    seI_sim: float | None
    z_sim: float | None
    p_z_sim: float | None
    p_sim: float | None
    islands: np.ndarray


@dataclass(frozen=True, eq=False)
class GearyResult:
    """Geary's C with its inference (see :func:`geary`); fields as :class:`MoranResult`.

    Attributes:
        n, permutations, alternative, islands: as in :class:`MoranResult`.
        C: Geary's C; EC: its expectation, 1.
        VC_norm, seC_norm, z_norm, p_norm: under normality.
        VC_rand, seC_rand, z_rand, p_rand: under randomisation.
        sim, EC_sim, VC_sim, seC_sim, z_sim, p_z_sim, p_sim: permutation inference (None when
            ``permutations == 0``).
    """

    n: int
    C: float
    EC: float
    VC_norm: float
    seC_norm: float
    z_norm: float
    p_norm: float
    VC_rand: float
    seC_rand: float
    z_rand: float
    p_rand: float
    permutations: int
    alternative: str
    sim: np.ndarray | None
    EC_sim: float | None
    VC_sim: float | None
    seC_sim: float | None
    z_sim: float | None
    p_z_sim: float | None
    p_sim: float | None
    islands: np.ndarray


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
class MoranLocalResult:
    """Local Moran (LISA) per region with its inference (see :func:`moran_local`).

    All arrays have shape ``(n,)`` (``sim``: ``(P, n)``) and are read-only; an island's
    inference is NaN and its quadrant 0.

    Attributes:
        n, permutations, alternative, islands: as in :class:`MoranResult`.
        Is: local Moran ``I_i``.
        q: quadrant of ``(z_i, lag_i)``: 1 HH, 2 LH, 3 LL, 4 HL (PySAL's scheme), 0 island.
        EI, VI: expectation and variance of ``I_i`` under total randomisation.
        z_rand, p_rand: z-score and normal p-value from ``EI, VI``.
        EIc, VIc: expectation and variance under conditional randomisation (``z_i`` fixed).
        z_cond, p_cond: z-score and normal p-value from ``EIc, VIc``.
        sim: ``(P, n)`` simulated ``I_i`` (only with ``keep_simulations=True``), else None.
        EI_sim, VI_sim, seI_sim, z_sim, p_z_sim, p_sim: conditional permutation inference
            (None when ``permutations == 0``).
    """

    n: int
    Is: np.ndarray
    q: np.ndarray
    EI: np.ndarray
    VI: np.ndarray
    z_rand: np.ndarray
    p_rand: np.ndarray
    EIc: np.ndarray
    VIc: np.ndarray
    z_cond: np.ndarray
    p_cond: np.ndarray
    permutations: int
    alternative: str
    sim: np.ndarray | None
    EI_sim: np.ndarray | None
    VI_sim: np.ndarray | None
    seI_sim: np.ndarray | None
    z_sim: np.ndarray | None
    p_z_sim: np.ndarray | None
    p_sim: np.ndarray | None
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


# --------------------------------------------------------------------------------------------
# Global statistics
# --------------------------------------------------------------------------------------------


def moran(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    transform: str = "r",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: int | np.random.Generator | None = None,
) -> MoranResult:
    """Global Moran's I of values over regions.

    ``I = (n / S0) * sum_ij w_ij z_i z_j / sum_i z_i^2`` with ``z = y - mean(y)`` and
    ``S0 = sum_ij w_ij``. ``E[I] = -1 / (n - 1)``. With ``S1 = 1/2 sum_ij (w_ij + w_ji)^2``,
    ``S2 = sum_i (w_i. + w_.i)^2`` and the kurtosis ``b2 = n sum z^4 / (sum z^2)^2``:

    - normality: ``V[I] = (n^2 S1 - n S2 + 3 S0^2) / ((n^2 - 1) S0^2) - E[I]^2``;
    - randomisation: ``V[I] = (n ((n^2 - 3n + 3) S1 - n S2 + 3 S0^2)
      - b2 ((n^2 - n) S1 - 2n S2 + 6 S0^2)) / ((n - 1)(n - 2)(n - 3) S0^2) - E[I]^2``.

    Permutation inference recomputes ``I`` for ``permutations`` random permutations of ``y``
    over the regions.

    Args:
        y: values per region, shape ``(n,)``, ``n >= 4`` (counts of organisations, employees,
            patents; any real unit), not all equal.
        w: spatial weights ``(n, n)`` (sparse or dense), non-negative, zero diagonal.
        transform: ``'r'`` row-standardise (default, as esda), ``'b'`` binary, ``'o'`` as given.
        permutations: number of random permutations ``P >= 0`` (0 skips permutation inference).
        alternative: ``'two-sided'`` (default), ``'greater'`` (positive autocorrelation) or
            ``'less'``; used by every p-value.
        seed: int or :class:`numpy.random.Generator` for the permutations (None: fresh entropy).

    Returns:
        :class:`MoranResult`.

    References:
        Moran, P. A. P. (1950) Notes on continuous stochastic phenomena. *Biometrika* 37(1/2),
        17-23. doi:10.2307/2332142
        Cliff, A. D. and Ord, J. K. (1981) *Spatial Processes: Models and Applications*.
        London: Pion (the moments, chapter 2).
    """
    caller = "moran"
    _check_options(caller, transform, permutations, alternative)
    yv = _values(y, caller)
    n = len(yv)
    W, isl = _prepare(w, n, transform, caller)
    s0, s1, s2 = _s012(W)
    z = yv - yv.mean()
    z2ss = float(z @ z)
    if z2ss == 0.0:
        raise InnoclusterError(f"The values of {caller} are all equal; the statistic is undefined")

    EI = -1.0 / (n - 1)
    n2, s02 = n * n, s0 * s0
    VI_norm = (n2 * s1 - n * s2 + 3 * s02) / ((n - 1) * (n + 1) * s02) - EI * EI
    k = (z**4).sum() / n / (z2ss / n) ** 2
    a = n * ((n2 - 3 * n + 3) * s1 - n * s2 + 3 * s02)
    b = k * ((n2 - n) * s1 - 2 * n * s2 + 6 * s02)
    VI_rand = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s02) - EI * EI

    stat = _GlobalStat("moran", W, n / (s0 * z2ss))
    I_obs = float(stat(z)[0])
    seI_norm, seI_rand = np.sqrt(VI_norm), np.sqrt(VI_rand)
    z_norm, z_rand = (I_obs - EI) / seI_norm, (I_obs - EI) / seI_rand
    perm = _global_permutations(stat, z, I_obs, permutations, alternative, seed, caller)
    return MoranResult(
        n=n,
        I=I_obs,
        EI=EI,
        VI_norm=float(VI_norm),
        seI_norm=float(seI_norm),
        z_norm=float(z_norm),
        p_norm=float(_normal_p(z_norm, alternative)),
        VI_rand=float(VI_rand),
        seI_rand=float(seI_rand),
        z_rand=float(z_rand),
        p_rand=float(_normal_p(z_rand, alternative)),
        permutations=permutations,
        alternative=alternative,
        sim=perm["sim"],
        EI_sim=perm["mean"],
        VI_sim=perm["var"],
        seI_sim=perm["se"],
        z_sim=perm["z"],
        p_z_sim=perm["p_z"],
        p_sim=perm["p"],
        islands=isl,
    )


def geary(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    transform: str = "r",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: int | np.random.Generator | None = None,
) -> GearyResult:
    """Geary's contiguity ratio C of values over regions.

    ``C = (n - 1) sum_ij w_ij (y_i - y_j)^2 / (2 S0 sum_i z_i^2)``, ``z = y - mean(y)``;
    ``E[C] = 1``; ``C < 1`` means positive autocorrelation. With ``S0, S1, S2, b2`` as in
    :func:`moran`:

    - normality: ``V[C] = ((2 S1 + S2)(n - 1) - 4 S0^2) / (2 (n + 1) S0^2)``;
    - randomisation: ``V[C] = ((n - 1) S1 (n^2 - 3n + 3 - (n - 1) b2)
      - 1/4 (n - 1) S2 (n^2 + 3n - 6 - (n^2 - n + 2) b2)
      + S0^2 (n^2 - 3 - (n - 1)^2 b2)) / (n (n - 2)(n - 3) S0^2)``.

    Args:
        y: values per region, shape ``(n,)``, ``n >= 4``, not all equal.
        w: spatial weights ``(n, n)``, non-negative, zero diagonal.
        transform: ``'r'`` (default, as esda), ``'b'`` or ``'o'``.
        permutations: number of random permutations ``P >= 0``.
        alternative: ``'two-sided'`` (default), ``'greater'`` (C above 1: negative
            autocorrelation) or ``'less'`` (C below 1: positive autocorrelation).
        seed: int or :class:`numpy.random.Generator` for the permutations.

    Returns:
        :class:`GearyResult`.

    References:
        Geary, R. C. (1954) The contiguity ratio and statistical mapping. *The Incorporated
        Statistician* 5(3), 115-145. doi:10.2307/2986645
        Cliff, A. D. and Ord, J. K. (1981) *Spatial Processes: Models and Applications*.
        London: Pion.
    """
    caller = "geary"
    _check_options(caller, transform, permutations, alternative)
    yv = _values(y, caller)
    n = len(yv)
    W, isl = _prepare(w, n, transform, caller)
    s0, s1, s2 = _s012(W)
    z = yv - yv.mean()
    z2ss = float(z @ z)
    if z2ss == 0.0:
        raise InnoclusterError(f"The values of {caller} are all equal; the statistic is undefined")
    n2, s02 = n * n, s0 * s0
    k = (z**4).sum() / n / (z2ss / n) ** 2
    a = (n - 1) * s1 * (n2 - 3 * n + 3 - (n - 1) * k)
    b = 0.25 * (n - 1) * s2 * (n2 + 3 * n - 6 - (n2 - n + 2) * k)
    c = s02 * (n2 - 3 - (n - 1) ** 2 * k)
    VC_rand = (a - b + c) / (n * (n - 2) * (n - 3) * s02)
    VC_norm = ((2 * s1 + s2) * (n - 1) - 4 * s02) / (2 * (n + 1) * s02)

    stat = _GlobalStat("geary", W, (n - 1) / (2.0 * s0 * z2ss))
    C_obs = float(stat(z)[0])
    seC_norm, seC_rand = np.sqrt(VC_norm), np.sqrt(VC_rand)
    z_norm, z_rand = (C_obs - 1.0) / seC_norm, (C_obs - 1.0) / seC_rand
    perm = _global_permutations(stat, z, C_obs, permutations, alternative, seed, caller)
    return GearyResult(
        n=n,
        C=C_obs,
        EC=1.0,
        VC_norm=float(VC_norm),
        seC_norm=float(seC_norm),
        z_norm=float(z_norm),
        p_norm=float(_normal_p(z_norm, alternative)),
        VC_rand=float(VC_rand),
        seC_rand=float(seC_rand),
        z_rand=float(z_rand),
        p_rand=float(_normal_p(z_rand, alternative)),
        permutations=permutations,
        alternative=alternative,
        sim=perm["sim"],
        EC_sim=perm["mean"],
        VC_sim=perm["var"],
        seC_sim=perm["se"],
        z_sim=perm["z"],
        p_z_sim=perm["p_z"],
        p_sim=perm["p"],
        islands=isl,
    )


def getis_ord(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    transform: str = "b",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: int | np.random.Generator | None = None,
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
        seed: int or :class:`numpy.random.Generator` for the permutations.

    Returns:
        :class:`GetisOrdResult`.

    References:
        Getis, A. and Ord, J. K. (1992) The analysis of spatial association by use of distance
        statistics. *Geographical Analysis* 24(3), 189-206. doi:10.1111/j.1538-4632.1992.tb00261.x
    """
    caller = "getis_ord"
    _check_options(caller, transform, permutations, alternative)
    yv = _values(y, caller, nonnegative=True)
    n = len(yv)
    W, isl = _prepare(w, n, transform, caller)
    s0, s1, s2 = _s012(W)
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
    stat = _GlobalStat("getis_ord", W, 1.0 / den)
    G_obs = float(stat(yv)[0])
    seG = float(np.sqrt(VG))
    z_norm = (G_obs - EG) / seG
    perm = _global_permutations(stat, yv, G_obs, permutations, alternative, seed, caller)
    return GetisOrdResult(
        n=n,
        G=G_obs,
        EG=EG,
        VG=float(VG),
        seG=seG,
        z_norm=float(z_norm),
        p_norm=float(_normal_p(z_norm, alternative)),
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


# --------------------------------------------------------------------------------------------
# Local statistics
# --------------------------------------------------------------------------------------------


def moran_local(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    transform: str = "r",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: int | np.random.Generator | None = None,
    keep_simulations: bool = False,
) -> MoranLocalResult:
    """Local Moran ``I_i`` (LISA) of each region, its quadrant and its inference.

    ``I_i = (z_i / m2) sum_j w_ij z_j`` with ``z = y - mean(y)`` and ``m2 = sum_i z_i^2 / n``
    (Anselin 1995, eq. 12), so that ``sum_i I_i = S0 * I`` (global Moran). The quadrant ``q_i``
    of ``(z_i, lag_i = sum_j w_ij z_j)`` is HH (1) when both are positive, LH (2) when only the
    lag is, LL (3) when neither is, HL (4) when only ``z_i`` is (PySAL's codes; 0 for islands).
    With ``w_i = sum_j w_ij``, ``w_i2 = sum_j w_ij^2`` and ``b2 = m4 / m2^2``:

    - total randomisation: ``E[I_i] = -w_i / (n - 1)``, ``V[I_i] = w_i2 (n - b2) / (n - 1)
      + (w_i^2 - w_i2)(2 b2 - n) / ((n - 1)(n - 2)) - w_i^2 / (n - 1)^2``;
    - conditional randomisation (``z_i`` fixed): ``E[I_i] = -z_i^2 w_i / ((n - 1) m2)``,
      ``V[I_i] = (z_i / m2)^2 n / (n - 2) (w_i2 - w_i^2 / (n - 1)) (m2 - z_i^2 / (n - 1))``.

    Conditional permutation inference keeps ``y_i`` at region ``i`` and draws its neighbours'
    values without replacement from the other ``n - 1`` regions; as in esda, one set of
    ``P`` draws of positions serves every region (each region's p-value is exact for its
    null; p-values of different regions are dependent).

    Args:
        y: values per region, shape ``(n,)``, ``n >= 4``, not all equal.
        w: spatial weights ``(n, n)``, non-negative, zero diagonal.
        transform: ``'r'`` (default, as esda), ``'b'`` or ``'o'``.
        permutations: number of conditional permutations ``P >= 0``.
        alternative: ``'two-sided'`` (default), ``'greater'`` or ``'less'``.
        seed: int or :class:`numpy.random.Generator` for the permutations.
        keep_simulations: keep the ``(P, n)`` simulated statistics in ``sim``.

    Returns:
        :class:`MoranLocalResult`.

    References:
        Anselin, L. (1995) Local indicators of spatial association - LISA. *Geographical
        Analysis* 27(2), 93-115. doi:10.1111/j.1538-4632.1995.tb00338.x
        Sokal, R. R., Oden, N. L. and Thomson, B. A. (1998) Local spatial autocorrelation in a
        biological model. *Geographical Analysis* 30(4), 331-354.
        doi:10.1111/j.1538-4632.1998.tb00406.x
    """
    caller = "moran_local"
    _check_options(caller, transform, permutations, alternative)
    yv = _values(y, caller)
    n = len(yv)
    W, isl = _prepare(w, n, transform, caller)
    rng = _rng(seed, caller)
    ids = _conditional_ids(rng, n, _max_cardinality(W), permutations)
    return _moran_local(yv, W, isl, ids, alternative, keep_simulations)


def getis_ord_local(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    star: bool = False,
    transform: str = "b",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: int | np.random.Generator | None = None,
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
        seed: int or :class:`numpy.random.Generator` for the permutations.
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
    _check_options(caller, transform, permutations, alternative)
    if not isinstance(star, bool | np.bool_):
        raise InnoclusterError(
            f"The 'star' parameter of getis_ord_local must be True or False; got {star!r}"
        )
    yv = _values(y, caller, nonnegative=True)
    if yv.sum() <= 0:
        raise InnoclusterError(f"The values of {caller} are all zero; G_i is undefined")
    n = len(yv)
    W, isl = _prepare(w, n, transform, caller, star=bool(star))
    rng = _rng(seed, caller)
    ids = _conditional_ids(rng, n, _max_cardinality(W), permutations)
    return _getis_ord_local(yv, W, isl, bool(star), ids, alternative, keep_simulations)


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
    _check_alternative(alternative, "pseudo_p_value")
    ge = np.asarray(n_ge, dtype=np.float64)
    le = np.asarray(n_le, dtype=np.float64)
    if alternative == "greater":
        return (ge + 1.0) / (permutations + 1.0)
    if alternative == "less":
        return (le + 1.0) / (permutations + 1.0)
    return np.minimum(1.0, 2.0 * (np.minimum(ge, le) + 1.0) / (permutations + 1.0))


def _permutation_inference(
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
    _check_alternative(alternative, caller)
    se = np.sqrt(var)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (np.asarray(observed) - mean) / np.where(se > 0, se, 1.0), np.nan)
    return {
        "mean": mean,
        "var": var,
        "se": se,
        "z": z,
        "p_z": _normal_p(z, alternative),
        "p": pseudo_p_value(n_ge, n_le, permutations, alternative),
    }


def _normal_p(z: np.ndarray | float, alternative: str) -> np.ndarray:
    """Normal-approximation p-value of z-scores for the alternative."""
    z = np.asarray(z, dtype=np.float64)
    if alternative == "greater":
        return ndtr(-z)
    if alternative == "less":
        return ndtr(z)
    return 2.0 * ndtr(-np.abs(z))


class _GlobalStat:
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


def _global_permutations(
    stat: _GlobalStat,
    x: np.ndarray,
    observed: float,
    permutations: int,
    alternative: str,
    seed: int | np.random.Generator | None,
    caller: str,
) -> dict:
    """Permutation inference for a global statistic (all None when ``permutations == 0``)."""
    if permutations == 0:
        return dict.fromkeys(("sim", "mean", "var", "se", "z", "p_z", "p"))
    sim = _global_simulations(stat, x, _rng(seed, caller), permutations)
    out = _permutation_inference(
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
    stat: _GlobalStat, x: np.ndarray, rng: np.random.Generator, permutations: int
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
# Local statistics: computations shared with the tests (which pass esda's draws as ``ids``)
# --------------------------------------------------------------------------------------------


def _moran_local(
    y: np.ndarray,
    W: sp.csr_matrix,
    isl: np.ndarray,
    ids: np.ndarray,
    alternative: str,
    keep: bool,
) -> MoranLocalResult:
    n = len(y)
    z = y - y.mean()
    m2 = float(z @ z) / n
    if m2 == 0.0:
        raise InnoclusterError("The values of moran_local are all equal; I_i is undefined")
    wi = np.asarray(W.sum(axis=1)).ravel()
    wi2 = np.asarray(W.multiply(W).sum(axis=1)).ravel()
    b2 = float((z**4).sum()) / n / m2**2
    n1 = n - 1
    EI = -wi / n1
    VI = wi2 * (n - b2) / n1 + (wi**2 - wi2) * (2 * b2 - n) / (n1 * (n - 2)) - (wi / n1) ** 2
    EIc = -(z**2) * wi / (n1 * m2)
    VIc = (z / m2) ** 2 * (n / (n - 2)) * (wi2 - wi**2 / n1) * (m2 - z**2 / n1)

    Is, lag, crand = _local_core(z, z / m2, np.zeros(n), W, ids, keep)
    q = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3)).astype(np.int8)
    q[isl] = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        z_rand = (Is - EI) / np.sqrt(VI)
        z_cond = (Is - EIc) / np.sqrt(VIc)
    z_rand[isl] = np.nan
    z_cond[isl] = np.nan
    perm = _local_inference(Is, crand, isl, ids.shape[0], alternative, "moran_local")
    return MoranLocalResult(
        n=n,
        Is=_ro(Is),
        q=_ro(q),
        EI=_ro(EI),
        VI=_ro(VI),
        z_rand=_ro(z_rand),
        p_rand=_ro(_normal_p(z_rand, alternative)),
        EIc=_ro(EIc),
        VIc=_ro(VIc),
        z_cond=_ro(z_cond),
        p_cond=_ro(_normal_p(z_cond, alternative)),
        permutations=ids.shape[0],
        alternative=alternative,
        sim=perm["sim"],
        EI_sim=perm["mean"],
        VI_sim=perm["var"],
        seI_sim=perm["se"],
        z_sim=perm["z"],
        p_z_sim=perm["p_z"],
        p_sim=perm["p"],
        islands=isl,
    )


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
    Gs, _, crand = _local_core(y, a, b, off, ids, keep)
    with np.errstate(divide="ignore", invalid="ignore"):
        Zs = (Gs - EGs) / np.sqrt(VGs)
    Zs[isl] = np.nan
    perm = _local_inference(Gs, crand, isl, ids.shape[0], alternative, "getis_ord_local")
    return GetisOrdLocalResult(
        n=n,
        star=star,
        Gs=_ro(Gs),
        EGs=_ro(EGs),
        VGs=_ro(VGs),
        Zs=_ro(Zs),
        p_norm=_ro(_normal_p(Zs, alternative)),
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


def _local_core(
    v: np.ndarray, a: np.ndarray, b: np.ndarray, W: sp.csr_matrix, ids: np.ndarray, keep: bool
) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Observed ``a_i lag_i + b_i`` (``lag = W v``, off-diagonal ``W``) and its simulations."""
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


def _local_inference(
    observed: np.ndarray,
    crand: tuple,
    isl: np.ndarray,
    permutations: int,
    alternative: str,
    caller: str,
) -> dict:
    if permutations == 0:
        return dict.fromkeys(("sim", "mean", "var", "se", "z", "p_z", "p"))
    n_ge, n_le, mean, var, sims = crand
    out = _permutation_inference(observed, n_ge, n_le, mean, var, permutations, alternative, caller)
    for key in ("mean", "var", "se", "z", "p_z", "p"):
        arr = np.array(out[key], dtype=np.float64)
        arr[isl] = np.nan
        out[key] = _ro(arr)
    out["sim"] = None if sims is None else _ro(np.ascontiguousarray(sims.T))
    return out


def _conditional_ids(rng: np.random.Generator, n: int, kmax: int, permutations: int) -> np.ndarray:
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


# --------------------------------------------------------------------------------------------
# Validation and small helpers
# --------------------------------------------------------------------------------------------


def _check_alternative(alternative: str, caller: str) -> None:
    if alternative not in ALTERNATIVES:
        raise InnoclusterError(
            f"The 'alternative' parameter of {caller} must be one of 'two-sided', 'greater', "
            f"'less'; got {alternative!r}"
        )


def _check_options(caller: str, transform: str, permutations: int, alternative: str) -> None:
    _check_alternative(alternative, caller)
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


def _values(y: np.ndarray, caller: str, nonnegative: bool = False) -> np.ndarray:
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


def _prepare(
    w: sp.spmatrix | np.ndarray, n: int, transform: str, caller: str, star: bool = False
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Checked, transformed CSR weights and the islands (regions without a neighbour)."""
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
    return _apply_transform(W, transform), isl


def _s012(W: sp.csr_matrix) -> tuple[float, float, float]:
    """``S0 = sum w``, ``S1 = 1/2 sum (w_ij + w_ji)^2``, ``S2 = sum_i (w_i. + w_.i)^2``."""
    s0 = float(W.sum())
    sym = (W + W.T).tocsr()
    s1 = 0.5 * float((sym.data**2).sum())
    rows = np.asarray(W.sum(axis=1)).ravel()
    cols = np.asarray(W.sum(axis=0)).ravel()
    s2 = float(((rows + cols) ** 2).sum())
    return s0, s1, s2


def _max_cardinality(W: sp.csr_matrix) -> int:
    counts = np.diff(W.indptr) - (W.diagonal() != 0)
    return int(counts.max()) if len(counts) else 0


def _rng(seed: int | np.random.Generator | None, caller: str) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (
        isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0
    ):
        return np.random.default_rng(seed)
    raise InnoclusterError(
        f"The 'seed' parameter of {caller} must be a non-negative int, a numpy Generator or "
        f"None; got {seed!r}"
    )


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    a.setflags(write=False)
    return a
