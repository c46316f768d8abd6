"""Geographic concentration of industries and specialisation of regions.

Where is an industry (a technology field, a kind of organisation) more present than the economy
as a whole, and how unevenly is it spread over regions? These are pure functions of counts per
region (employment, organisations, patents):

- :func:`location_quotient`: over- or under-representation of each industry in each region;
- :func:`locational_gini` and :func:`hoover`: how unevenly one industry is spread over the
  regions compared with a reference distribution (the aggregate, or equal-sized regions);
- :func:`rarefied_gini`: the Gini of counts over regions at a common number of events, to
  compare samples of different sizes (few events look concentrated by chance);
- :func:`krugman_specialisation`: how different a region's industry mix is from the rest;
- :func:`ellison_glaeser` and :func:`maurel_sedillot`: concentration beyond what the lumpiness of
  plants (organisations) explains, from plant sizes, with the plant Herfindahl index
  :func:`plant_herfindahl`.

Shapes: ``counts`` is ``(R,)`` (one industry, or one total, over ``R`` regions) or ``(R, F)``
(``R`` regions by ``F`` industries); ``reference`` is ``(R,)``. With ``(R, F)`` counts the
default reference is the aggregate over industries ``counts.sum(axis=1)``; with ``(R,)`` counts
it is uniform (equal-sized regions, such as the simulator's equal-area grid cells). Undefined
values (an industry with no activity, a region with no reference activity, a single plant) are
NaN, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from innocluster.errors import InnoclusterError
from innocluster.measures._seeds import Seed, as_generator
from innocluster.measures.inequality import gini, gini_rows

__all__ = [
    "IndustryConcentration",
    "ellison_glaeser",
    "hoover",
    "krugman_specialisation",
    "location_quotient",
    "locational_gini",
    "maurel_sedillot",
    "plant_herfindahl",
    "rarefied_gini",
]

BENCHMARKS = ("rest", "total")


@dataclass(frozen=True, eq=False)
class IndustryConcentration:
    """A plant-based concentration index per industry: arrays of shape ``(F,)``, read-only.

    The result of :func:`ellison_glaeser` and of :func:`maurel_sedillot`.

    Attributes:
        gamma: the index (``gamma_EG`` or ``gamma_MS``); NaN where undefined (no employment,
            ``H == 1``, or all aggregate activity in one region).
        G: the raw geographic concentration the index corrects: ``sum_r (s_r - x_r)^2`` for
            Ellison-Glaeser, ``(sum_r s_r^2 - sum_r x_r^2) / (1 - sum_r x_r^2)`` for
            Maurel-Sedillot.
        H: plant Herfindahl index ``sum_j z_j^2`` of the industry.
        employment: total size of the industry's plants.
        plants: number of plants with positive size.
        sum_x2: ``sum_r x_r^2`` of the aggregate shares (a scalar, the same for every industry).
    """

    gamma: np.ndarray
    G: np.ndarray
    H: np.ndarray
    employment: np.ndarray
    plants: np.ndarray
    sum_x2: float


def location_quotient(counts: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """Location quotient of each industry in each region.

    ``LQ_rf = (x_rf / x_.f) / (a_r / a_.)``: the region's share of the industry over its share
    of the reference ``a``. With the default reference (the aggregate over industries) this is
    ``(x_rf / x_r.) / (x_.f / x_..)``, the industry's share in the region's activity over its
    share in all activity; ``LQ > 1`` marks over-representation. ``sum_r (a_r / a_.) LQ_rf = 1``.

    Args:
        counts: non-negative activity (employment, organisations, patents), ``(R, F)`` or
            ``(R,)``.
        reference: non-negative reference activity per region ``(R,)``; default
            ``counts.sum(axis=1)`` for ``(R, F)`` counts, equal-sized regions for ``(R,)``.

    Returns:
        ``float64`` of the shape of ``counts``; NaN where the region has no reference activity
        or the industry no activity.

    References:
        Isard, W. (1960) *Methods of Regional Analysis: An Introduction to Regional Science*.
        Cambridge, MA: MIT Press (chapter 7, the location quotient).
    """
    x, ref, one_d = _counts_and_reference(counts, reference, "location_quotient")
    industry_share = _divide(x, x.sum(axis=0)[None, :])
    region_share = _divide(ref, ref.sum())[:, None]
    lq = _divide(industry_share, region_share)
    return lq[:, 0] if one_d else lq


def locational_gini(counts: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray | float:
    """Locational Gini coefficient of each industry: the Gini of its location quotients.

    ``G_f = gini(LQ_.f)`` over the regions with reference activity, with the Gini of
    :func:`innocluster.measures.inequality.gini` (unweighted: each region counts once). It is 0
    when the industry is spread like the reference and approaches 1 when it sits in one region
    among many. With equal-sized regions (the default for ``(R,)`` counts) it is the plain Gini
    of the counts, the absolute concentration. Krugman's (1991) locational Gini weights each
    region by its reference share (a Lorenz curve of cumulated industry shares against
    cumulated reference shares); the two coincide when the reference is uniform.

    Args:
        counts: non-negative activity ``(R, F)`` or ``(R,)``.
        reference: reference activity per region ``(R,)``; defaults as in
            :func:`location_quotient`.

    Returns:
        ``(F,)`` for ``(R, F)`` counts, a float for ``(R,)``; NaN for an industry with no
        activity.

    References:
        Krugman, P. (1991) *Geography and Trade*. Cambridge, MA: MIT Press (appendix D).
        Audretsch, D. B. and Feldman, M. P. (1996) R&D spillovers and the geography of
        innovation and production. *American Economic Review* 86(3), 630-640.
        https://www.jstor.org/stable/2118216
    """
    x, ref, one_d = _counts_and_reference(counts, reference, "locational_gini")
    lq = _divide(_divide(x, x.sum(axis=0)[None, :]), _divide(ref, ref.sum())[:, None])
    lq = lq[ref > 0]
    active = x.sum(axis=0) > 0
    # One call of the project's gini per industry (columns), each vectorised over regions.
    out = np.array([gini(lq[:, f]) if active[f] else np.nan for f in range(x.shape[1])])
    return float(out[0]) if one_d else out


def rarefied_gini(counts: np.ndarray, size: int, draws: int = 200, seed: Seed = 0) -> float:
    """Expected Gini of the counts over regions of ``size`` events drawn from ``counts``.

    A Gini of event counts over regions rises as the number of events falls: 400 events
    spread at random over 100 regions give about 0.28, 4,000 about 0.09. To compare the
    concentration of samples of different sizes (two periods, two scenarios), each is
    rarefied to a common ``size``: ``size`` of its events are drawn at random without
    replacement (a multivariate hypergeometric draw of counts per region), the plain Gini
    of :func:`innocluster.measures.inequality.gini` is taken over all regions, and the mean
    over ``draws`` draws is returned. With ``size`` equal to the total it is the plain Gini.

    Args:
        counts: non-negative integer events per region ``(R,)`` (patents, organisations).
        size: events per draw, ``1 <= size <= counts.sum()``.
        draws: number of random draws averaged, >= 1.
        seed: seed of the draws: an int, a ``numpy.random.Generator`` or ``SeedSequence`` (the
            same arguments with an int seed give the same value).

    Returns:
        The mean Gini of the draws, in ``[0, 1)``.

    References:
        Sanders, H. L. (1968) Marine benthic diversity: a comparative study. *American
        Naturalist* 102(925), 243-282 (rarefaction to a common sample size).
        Deltas, G. (2003) The small-sample bias of the Gini coefficient: results and
        implications for empirical research. *Review of Economics and Statistics* 85(1),
        226-234.
    """
    x = np.asarray(counts)
    if x.ndim != 1 or not np.issubdtype(x.dtype, np.integer) or (x < 0).any():
        raise InnoclusterError(
            "The 'counts' parameter of rarefied_gini must be non-negative integers of shape (R,)"
        )
    total = int(x.sum())
    if not 1 <= size <= total:
        raise InnoclusterError(
            f"The 'size' parameter of rarefied_gini must lie in [1, {total}] (the events "
            f"counted); got {size}"
        )
    if draws < 1:
        raise InnoclusterError(f"The 'draws' parameter of rarefied_gini must be >= 1; got {draws}")
    rng = as_generator(seed, "rarefied_gini")
    sample = rng.multivariate_hypergeometric(x.astype(np.int64), size, size=draws)
    return float(gini_rows(sample).mean())


def hoover(counts: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray | float:
    """Hoover coefficient of localisation of each industry.

    ``H_f = 1/2 sum_r |x_rf / x_.f - a_r / a_.|``: the share of the industry's activity that
    would have to move for it to be spread like the reference ``a``. It lies in ``[0, 1)``
    (0: spread like the reference) when every region with industry activity has reference
    activity, as with the default aggregate reference.

    Args:
        counts: non-negative activity ``(R, F)`` or ``(R,)``.
        reference: reference activity per region ``(R,)``; defaults as in
            :func:`location_quotient`.

    Returns:
        ``(F,)`` for ``(R, F)`` counts, a float for ``(R,)``; NaN for an industry with no
        activity.

    References:
        Hoover, E. M. (1936) The measurement of industrial localization. *Review of Economics
        and Statistics* 18(4), 162-171. doi:10.2307/1927875
    """
    x, ref, one_d = _counts_and_reference(counts, reference, "hoover")
    s = _divide(x, x.sum(axis=0)[None, :])
    a = ref / ref.sum()
    out = 0.5 * np.abs(s - a[:, None]).sum(axis=0)
    return float(out[0]) if one_d else out


def krugman_specialisation(counts: np.ndarray, benchmark: str = "rest") -> np.ndarray:
    """Krugman specialisation index of each region.

    ``K_r = sum_f |v_rf - b_rf|`` with the region's industry mix ``v_rf = x_rf / x_r.`` and the
    benchmark mix ``b_rf = (x_.f - x_rf) / (x_.. - x_r.)`` of all other regions (``'rest'``,
    the default) or ``b_f = x_.f / x_..`` of all regions (``'total'``). It lies in ``[0, 2]``:
    0 for the benchmark's mix, 2 when the region has only industries absent from the benchmark.

    Args:
        counts: non-negative activity ``(R, F)``.
        benchmark: ``'rest'`` or ``'total'``.

    Returns:
        ``(R,)`` float64; NaN for a region without activity (or, for ``'rest'``, when no other
        region has any).

    References:
        Krugman, P. (1991) *Geography and Trade*. Cambridge, MA: MIT Press (chapter 3).
        Midelfart-Knarvik, K. H., Overman, H. G., Redding, S. J. and Venables, A. J. (2000)
        The location of European industry. *Economic Papers* 142, European Commission.
    """
    if benchmark not in BENCHMARKS:
        raise InnoclusterError(
            "The 'benchmark' parameter of krugman_specialisation must be one of 'rest', "
            f"'total'; got {benchmark!r}"
        )
    x = _counts(counts, "krugman_specialisation")
    if x.ndim != 2:
        raise InnoclusterError(
            f"The counts of krugman_specialisation must have shape (R, F); got {x.shape}"
        )
    rows = x.sum(axis=1)
    v = _divide(x, rows[:, None])
    cols = x.sum(axis=0)
    if benchmark == "total":
        b = np.broadcast_to(_divide(cols, cols.sum())[None, :], x.shape)
    else:
        b = _divide(cols[None, :] - x, (rows.sum() - rows)[:, None])
    return np.abs(v - b).sum(axis=1)  # NaN propagates from undefined mixes


def plant_herfindahl(
    sizes: np.ndarray, industry: np.ndarray | None = None, n_industries: int | None = None
) -> np.ndarray:
    """Plant (organisation) Herfindahl index of each industry.

    ``H_f = sum_{j in f} z_j^2`` with ``z_j = e_j / sum_{k in f} e_k`` the plant's share of
    its industry's employment: ``1 / n`` for ``n`` equal plants, 1 for a single plant.

    Args:
        sizes: plant sizes (employees), non-negative, ``(N,)``.
        industry: industry of each plant, integers in ``[0, F)``, ``(N,)``; None: one industry.
        n_industries: ``F``; default ``industry.max() + 1``.

    Returns:
        ``(F,)`` float64; NaN for an industry with no employment.

    References:
        Ellison, G. and Glaeser, E. L. (1997) Geographic concentration in U.S. manufacturing
        industries: a dartboard approach. *Journal of Political Economy* 105(5), 889-927.
        doi:10.1086/262098
    """
    e, ind, F = _plants(sizes, industry, n_industries, "plant_herfindahl")
    total = np.bincount(ind, weights=e, minlength=F)
    return _divide(np.bincount(ind, weights=e * e, minlength=F), total * total)


def ellison_glaeser(
    sizes: np.ndarray,
    region: np.ndarray,
    industry: np.ndarray | None = None,
    *,
    n_regions: int | None = None,
    n_industries: int | None = None,
    aggregate: np.ndarray | None = None,
) -> IndustryConcentration:
    """Ellison-Glaeser index of geographic concentration of each industry.

    With ``s_r`` the industry's share of employment in region ``r``, ``x_r`` the region's share
    of aggregate employment and ``H`` the plant Herfindahl index (:func:`plant_herfindahl`)::

        G = sum_r (s_r - x_r)^2
        gamma_EG = (G - (1 - sum_r x_r^2) H) / ((1 - sum_r x_r^2) (1 - H))

    ``E[gamma_EG] = gamma`` in Ellison and Glaeser's dartboard model, where ``gamma`` is the
    correlation of location choices of two plants of the industry (natural advantage and
    spillovers): 0 when plants locate independently with probabilities ``x_r`` (however lumpy
    the plants), 1 when all locate together. Negative values mean more dispersion than random.

    Args:
        sizes: plant (organisation) sizes, employees, non-negative, ``(N,)``.
        region: region of each plant, integers in ``[0, R)``, ``(N,)``.
        industry: industry of each plant, integers in ``[0, F)``, ``(N,)``; None: one industry.
        n_regions: ``R``; default ``region.max() + 1`` (or ``len(aggregate)``).
        n_industries: ``F``; default ``industry.max() + 1``.
        aggregate: aggregate employment per region ``(R,)`` giving ``x_r``; default the
            employment of all the plants given, by region.

    Returns:
        :class:`IndustryConcentration` with ``gamma`` = ``gamma_EG`` and ``G`` = the raw
        concentration ``sum_r (s_r - x_r)^2``; ``gamma`` is NaN where ``H == 1`` (one plant
        holds the industry: the index is undefined), where the industry has no employment,
        or where all aggregate employment is in one region.

    References:
        Ellison, G. and Glaeser, E. L. (1997) Geographic concentration in U.S. manufacturing
        industries: a dartboard approach. *Journal of Political Economy* 105(5), 889-927.
        doi:10.1086/262098
    """
    s, x, H, emp, plants = _industry_shares(
        sizes, region, industry, n_regions, n_industries, aggregate, "ellison_glaeser"
    )
    sum_x2 = float(x @ x)
    G = ((s - x[None, :]) ** 2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = (G - (1.0 - sum_x2) * H) / ((1.0 - sum_x2) * (1.0 - H))
    return _result(gamma, G, H, emp, plants, sum_x2)


def maurel_sedillot(
    sizes: np.ndarray,
    region: np.ndarray,
    industry: np.ndarray | None = None,
    *,
    n_regions: int | None = None,
    n_industries: int | None = None,
    aggregate: np.ndarray | None = None,
) -> IndustryConcentration:
    """Maurel-Sedillot index of geographic concentration of each industry.

    With ``s_r``, ``x_r`` and ``H`` as in :func:`ellison_glaeser`::

        G_MS = (sum_r s_r^2 - sum_r x_r^2) / (1 - sum_r x_r^2)
        gamma_MS = (G_MS - H) / (1 - H)

    It estimates the same ``gamma`` as Ellison-Glaeser (the correlation of two plants'
    location choices) from the probability that two employees of the industry work in the
    same region; it is exactly 1 when all the industry's employment is in one region.

    Args:
        sizes: plant (organisation) sizes, employees, non-negative, ``(N,)``.
        region: region of each plant, integers in ``[0, R)``, ``(N,)``.
        industry: industry of each plant, integers in ``[0, F)``, ``(N,)``; None: one industry.
        n_regions: ``R``; default ``region.max() + 1`` (or ``len(aggregate)``).
        n_industries: ``F``; default ``industry.max() + 1``.
        aggregate: aggregate employment per region ``(R,)`` giving ``x_r``; default the
            employment of all the plants given, by region.

    Returns:
        :class:`IndustryConcentration` with ``gamma`` = ``gamma_MS`` and ``G`` = ``G_MS``; NaN
        where undefined, as in :func:`ellison_glaeser`.

    References:
        Maurel, F. and Sedillot, B. (1999) A measure of the geographic concentration in French
        manufacturing industries. *Regional Science and Urban Economics* 29(5), 575-604.
        doi:10.1016/S0166-0462(99)00020-4
    """
    s, x, H, emp, plants = _industry_shares(
        sizes, region, industry, n_regions, n_industries, aggregate, "maurel_sedillot"
    )
    sum_x2 = float(x @ x)
    with np.errstate(divide="ignore", invalid="ignore"):
        G = ((s * s).sum(axis=1) - sum_x2) / (1.0 - sum_x2)
        gamma = (G - H) / (1.0 - H)
    return _result(gamma, G, H, emp, plants, sum_x2)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _result(gamma, G, H, emp, plants, sum_x2) -> IndustryConcentration:
    undefined = (emp <= 0) | ~(H < 1.0) | (not sum_x2 < 1.0)
    gamma = np.where(undefined, np.nan, gamma)
    G = np.where(emp > 0, G, np.nan)
    arrays = [gamma, G, H, emp, plants]
    for a in arrays:
        a.setflags(write=False)
    return IndustryConcentration(*arrays, sum_x2=sum_x2)


def _industry_shares(sizes, region, industry, n_regions, n_industries, aggregate, caller):
    """``s (F, R)``, ``x (R,)``, ``H (F,)``, employment ``(F,)``, plants ``(F,)``."""
    e, ind, F = _plants(sizes, industry, n_industries, caller)
    reg = _labels(region, "region", caller, len(e))
    if aggregate is not None:
        agg = _counts(aggregate, caller, name="aggregate")
        if agg.ndim != 1:
            raise InnoclusterError(
                f"The 'aggregate' parameter of {caller} must have shape (R,); got {agg.shape}"
            )
    R = _n_labels(n_regions, reg, "n_regions", caller, None if aggregate is None else len(agg))
    if aggregate is not None and len(agg) != R:
        raise InnoclusterError(
            f"The 'aggregate' parameter of {caller} must have {R} regions; got {len(agg)}"
        )
    cell = np.bincount(ind * R + reg, weights=e, minlength=F * R).reshape(F, R)
    emp = cell.sum(axis=1)
    if aggregate is None:
        agg = cell.sum(axis=0)
    if agg.sum() <= 0:
        raise InnoclusterError(f"The aggregate employment of {caller} is zero")
    x = agg / agg.sum()
    s = _divide(cell, emp[:, None])
    H = _divide(np.bincount(ind, weights=e * e, minlength=F), emp * emp)
    plants = np.bincount(ind[e > 0], minlength=F)
    return s, x, H, emp, plants


def _plants(sizes, industry, n_industries, caller):
    e = _counts(sizes, caller, name="sizes")
    if e.ndim != 1:
        raise InnoclusterError(f"The 'sizes' parameter of {caller} must have shape (N,)")
    if industry is None:
        ind = np.zeros(len(e), dtype=np.int64)
        F = _n_labels(n_industries, ind, "n_industries", caller, 1)
    else:
        ind = _labels(industry, "industry", caller, len(e))
        F = _n_labels(n_industries, ind, "n_industries", caller, None)
    return e, ind, F


def _labels(labels, name, caller, n):
    arr = np.asarray(labels)
    if arr.shape != (n,) or not np.issubdtype(arr.dtype, np.integer):
        raise InnoclusterError(
            f"The '{name}' parameter of {caller} must be integers of shape ({n},); got shape "
            f"{arr.shape} and dtype {arr.dtype}"
        )
    if n and arr.min() < 0:
        raise InnoclusterError(f"The '{name}' parameter of {caller} must be non-negative")
    return arr.astype(np.int64)


def _n_labels(given, labels, name, caller, default):
    needed = int(labels.max()) + 1 if len(labels) else 0
    if given is None:
        value = default if default is not None else max(needed, 1)
    elif isinstance(given, bool) or not isinstance(given, int | np.integer) or given < 1:
        raise InnoclusterError(
            f"The '{name}' parameter of {caller} must be a positive integer; got {given!r}"
        )
    else:
        value = int(given)
    if needed > value:
        raise InnoclusterError(
            f"The '{name}' parameter of {caller} is {value} but a label is {needed - 1}"
        )
    return value


def _counts(counts, caller, name="counts"):
    arr = np.asarray(counts)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool) or arr.ndim not in (1, 2):
        raise InnoclusterError(
            f"The '{name}' parameter of {caller} must be a numeric array of shape (R,) or "
            f"(R, F); got shape {arr.shape} and dtype {arr.dtype}"
        )
    x = arr.astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise InnoclusterError(f"The '{name}' parameter of {caller} must be finite")
    if np.any(x < 0):
        raise InnoclusterError(
            f"The '{name}' parameter of {caller} must be non-negative; got "
            f"{int((x < 0).sum())} negative entries"
        )
    return x


def _counts_and_reference(counts, reference, caller):
    x = _counts(counts, caller)
    one_d = x.ndim == 1
    if one_d:
        x = x[:, None]
    R = x.shape[0]
    if R == 0:
        raise InnoclusterError(f"The 'counts' parameter of {caller} has no regions")
    if reference is None:
        ref = np.ones(R) if one_d else x.sum(axis=1)
    else:
        ref = _counts(reference, caller, name="reference")
        if ref.shape != (R,):
            raise InnoclusterError(
                f"The 'reference' parameter of {caller} must have shape ({R},); got {ref.shape}"
            )
    if ref.sum() <= 0:
        raise InnoclusterError(f"The 'reference' parameter of {caller} is all zero")
    return x, ref, one_d


def _divide(a, b):
    """``a / b`` with NaN where ``b == 0``."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    return np.divide(a, b, out=np.full(a.shape, np.nan), where=b != 0)
