"""Moran's I of values over regions: global (:func:`moran`) and local (LISA, :func:`moran_local`).

Are regions with many organisations (patents, employees) next to other such regions? Both
statistics are pure functions of the values per region ``y`` (shape ``(n,)``) and a spatial
weights matrix ``w`` (``(n, n)``, see :mod:`innocluster.measures.weights`). Global Moran's I
comes with its moments under normality and under randomisation and with permutation inference;
local Moran with its HH/LH/LL/HL quadrants, its moments under total and conditional
randomisation and conditional permutation inference (the region's own value stays and its
neighbours' values are drawn from the other regions). The permutations, the pseudo p-values and
the checks of the inputs are shared with the other autocorrelation statistics, in
:mod:`innocluster.measures._inference`.

Results are frozen dataclasses whose attribute names are those of PySAL ``esda`` where esda has
the quantity (``I``, ``EI``, ``VI_norm``, ``z_norm``, ``p_norm``, ``VI_rand``, ``z_rand``,
``p_rand``, ``sim``, ``EI_sim``, ``z_sim``, ``p_sim``, ``Is``, ``q``...). Where innocluster
deliberately differs from esda (the alternative hypothesis, the scale of local Moran, islands)
is listed in ``docs/measures-geography.md``.
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

__all__ = ["QUADRANTS", "MoranLocalResult", "MoranResult", "moran", "moran_local"]

#: Codes of the local Moran quadrants (PySAL's scheme); 0 marks an island (no neighbour).
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL", 0: "island"}


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


def moran(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    transform: str = "r",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: Seed = None,
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
        seed: int, :class:`numpy.random.Generator` or :class:`numpy.random.SeedSequence` for
            the permutations (None: fresh entropy).

    Returns:
        :class:`MoranResult`.

    References:
        Moran, P. A. P. (1950) Notes on continuous stochastic phenomena. *Biometrika* 37(1/2),
        17-23. doi:10.2307/2332142
        Cliff, A. D. and Ord, J. K. (1981) *Spatial Processes: Models and Applications*.
        London: Pion (the moments, chapter 2).
    """
    caller = "moran"
    check_options(caller, transform, permutations, alternative)
    yv = checked_values(y, caller)
    n = len(yv)
    W, isl = prepared_weights(w, n, transform, caller)
    s0, s1, s2 = s012(W)
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

    stat = GlobalStat("moran", W, n / (s0 * z2ss))
    I_obs = float(stat(z)[0])
    seI_norm, seI_rand = np.sqrt(VI_norm), np.sqrt(VI_rand)
    z_norm, z_rand = (I_obs - EI) / seI_norm, (I_obs - EI) / seI_rand
    perm = global_permutations(stat, z, I_obs, permutations, alternative, seed, caller)
    return MoranResult(
        n=n,
        I=I_obs,
        EI=EI,
        VI_norm=float(VI_norm),
        seI_norm=float(seI_norm),
        z_norm=float(z_norm),
        p_norm=float(normal_p(z_norm, alternative)),
        VI_rand=float(VI_rand),
        seI_rand=float(seI_rand),
        z_rand=float(z_rand),
        p_rand=float(normal_p(z_rand, alternative)),
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


def moran_local(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    transform: str = "r",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: Seed = None,
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
        seed: int, :class:`numpy.random.Generator` or :class:`numpy.random.SeedSequence` for
            the permutations.
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
    check_options(caller, transform, permutations, alternative)
    yv = checked_values(y, caller)
    n = len(yv)
    W, isl = prepared_weights(w, n, transform, caller)
    rng = as_generator(seed, caller)
    ids = conditional_ids(rng, n, max_cardinality(W), permutations)
    return _moran_local(yv, W, isl, ids, alternative, keep_simulations)


# The computation once the draws are made: shared with the tests, which pass esda's draws as
# ``ids`` to replay its permutations exactly.


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

    Is, lag, crand = local_core(z, z / m2, np.zeros(n), W, ids, keep)
    q = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3)).astype(np.int8)
    q[isl] = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        z_rand = (Is - EI) / np.sqrt(VI)
        z_cond = (Is - EIc) / np.sqrt(VIc)
    z_rand[isl] = np.nan
    z_cond[isl] = np.nan
    perm = local_inference(Is, crand, isl, ids.shape[0], alternative, "moran_local")
    return MoranLocalResult(
        n=n,
        Is=read_only(Is),
        q=read_only(q),
        EI=read_only(EI),
        VI=read_only(VI),
        z_rand=read_only(z_rand),
        p_rand=read_only(normal_p(z_rand, alternative)),
        EIc=read_only(EIc),
        VIc=read_only(VIc),
        z_cond=read_only(z_cond),
        p_cond=read_only(normal_p(z_cond, alternative)),
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
