"""Geary's contiguity ratio C of values over regions (:func:`geary`).

A global statistic of spatial autocorrelation built on squared differences between neighbours,
so more sensitive to local differences than Moran's I (:mod:`innocluster.measures.moran_i`):
``C < 1`` means positive autocorrelation. A pure function of the values per region ``y``
(``(n,)``) and the spatial weights ``w`` (``(n, n)``, see :mod:`innocluster.measures.weights`),
with its moments under normality and under randomisation and permutation inference; the
permutations, pseudo p-values and input checks are shared, in
:mod:`innocluster.measures._inference`. Attribute names follow PySAL ``esda`` (``C``, ``EC``,
``VC_norm``, ``z_norm``, ``p_sim``...); the differences from esda are in
``docs/measures-geography.md``.
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
    global_permutations,
    normal_p,
    prepared_weights,
    s012,
)
from innocluster.measures._seeds import Seed

__all__ = ["GearyResult", "geary"]


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


def geary(
    y: np.ndarray,
    w: sp.spmatrix | np.ndarray,
    *,
    transform: str = "r",
    permutations: int = 999,
    alternative: str = "two-sided",
    seed: Seed = None,
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
        seed: int, :class:`numpy.random.Generator` or :class:`numpy.random.SeedSequence` for
            the permutations.

    Returns:
        :class:`GearyResult`.

    References:
        Geary, R. C. (1954) The contiguity ratio and statistical mapping. *The Incorporated
        Statistician* 5(3), 115-145. doi:10.2307/2986645
        Cliff, A. D. and Ord, J. K. (1981) *Spatial Processes: Models and Applications*.
        London: Pion.
    """
    caller = "geary"
    check_options(caller, transform, permutations, alternative)
    yv = checked_values(y, caller)
    n = len(yv)
    W, isl = prepared_weights(w, n, transform, caller)
    s0, s1, s2 = s012(W)
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

    stat = GlobalStat("geary", W, (n - 1) / (2.0 * s0 * z2ss))
    C_obs = float(stat(z)[0])
    seC_norm, seC_rand = np.sqrt(VC_norm), np.sqrt(VC_rand)
    z_norm, z_rand = (C_obs - 1.0) / seC_norm, (C_obs - 1.0) / seC_rand
    perm = global_permutations(stat, z, C_obs, permutations, alternative, seed, caller)
    return GearyResult(
        n=n,
        C=C_obs,
        EC=1.0,
        VC_norm=float(VC_norm),
        seC_norm=float(seC_norm),
        z_norm=float(z_norm),
        p_norm=float(normal_p(z_norm, alternative)),
        VC_rand=float(VC_rand),
        seC_rand=float(seC_rand),
        z_rand=float(z_rand),
        p_rand=float(normal_p(z_rand, alternative)),
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
