"""Simulated confidence envelopes of the distance-based measures, and the tests they make.

Each ``*_envelope`` function computes a distance-based measure
(:mod:`~innocluster.measures.ripley`, :mod:`~innocluster.measures.duranton_overman`,
:mod:`~innocluster.measures.marcon_puech`) on the observed points and on ``n_sim`` point sets
simulated under a null hypothesis, and returns the band the simulations leave, local (pointwise
quantiles) or global (Duranton and Overman 2005, made exact: :func:`global_envelope`), with the
distances where the observed curve lies above it (*localisation*, concentration) or below it
(*dispersion*). Under the null, the observed curve leaves the global envelope somewhere with
probability at most ``alpha``; it leaves a local envelope somewhere far more often (a local
envelope describes, it does not test).

Null hypotheses (Marcon and Puech 2017, section 4), all keeping the observed sites:

- ``'random_location'`` (default): the points' marks (label and weight together) are permuted
  over the sites, so the points of each type are redistributed over the observed sites, with
  their weights: the null of Duranton and Overman (2005), who take all sites of the industry's
  sector as the counterfactual locations;
- ``'random_labelling'``: the labels are permuted over the sites and the weights stay where they
  are (the sites keep their size, the type is drawn);
- ``'population_independence'``: the reference points stay, the marks of all other points are
  permuted over the other sites (for bivariate measures: do the neighbours locate
  independently of the reference points?);
- ``'random_position'`` (Ripley's K and L only): complete spatial randomness, the same numbers
  of points drawn uniformly in the window.

Random location and labelling keep the sites, so the pairs of sites within the largest distance
are found once and every simulation only relabels them; the simulations then run in parallel in
compiled code. Simulation ``s`` draws from its own ``numpy.random.SeedSequence`` spawned from
``seed``, so results for a given seed are identical whatever the number of threads or the
batching.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numba
import numpy as np
from scipy.stats import rankdata

from innocluster.errors import InnoclusterError
from innocluster.measures._points import NBR, REF, choice
from innocluster.measures._seeds import Seed, as_generator, spawn
from innocluster.measures.duranton_overman import KdSites, kd_inputs
from innocluster.measures.marcon_puech import MSites, m_inputs
from innocluster.measures.ripley import KSites, k_inputs

__all__ = [
    "ENVELOPE_KINDS",
    "NULLS",
    "Envelope",
    "global_envelope",
    "global_envelope_dbmss",
    "k_envelope",
    "kd_envelope",
    "l_envelope",
    "local_envelope",
    "m_envelope",
]

#: Null hypotheses of the envelopes; the first is the default. Ripley's K and L also take
#: ``'random_position'``.
NULLS = ("random_location", "random_labelling", "population_independence")
#: Kinds of envelope; the first is the default.
ENVELOPE_KINDS = ("global", "local", "global_dbmss")
_K_NULLS = (*NULLS, "random_position")
#: Elements of the batch of simulated labellings (rows x points) handed to a kernel at once.
_BATCH_ELEMENTS = 4_000_000


@dataclass(frozen=True, eq=False)
class Envelope:
    """An observed curve, the band of its simulations under a null, and where it leaves it.

    Attributes:
        measure: ``'K'``, ``'L'``, ``'Kd'`` or ``'M'``.
        r: distances, km, ``(n_r,)``.
        value: the observed curve ``(n_r,)``.
        lo, hi: the envelope ``(n_r,)`` (NaN where the simulations give no value).
        mean: mean of the simulations ``(n_r,)``: the curve expected under the null.
        localised: ``value > hi`` ``(n_r,)``: significant concentration at that distance.
        dispersed: ``value < lo`` ``(n_r,)``: significant dispersion at that distance.
        null: the null hypothesis simulated.
        kind: ``'global'``, ``'local'`` or ``'global_dbmss'``.
        alpha: the risk. A global envelope is left at some distance with probability at most
            ``alpha`` under the null (it ranks the observed curve with the simulations); a
            local one holds ``1 - alpha`` of the simulations at each distance.
        n_sim: the number of simulations.
        simulations: the simulated curves ``(n_sim, n_r)``.
    """

    measure: str
    r: np.ndarray
    value: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    mean: np.ndarray
    localised: np.ndarray
    dispersed: np.ndarray
    null: str
    kind: str
    alpha: float
    n_sim: int
    simulations: np.ndarray

    @property
    def localised_r(self) -> np.ndarray:
        """Distances (km) where the observed curve is above the envelope."""
        return self.r[self.localised]

    @property
    def dispersed_r(self) -> np.ndarray:
        """Distances (km) where the observed curve is below the envelope."""
        return self.r[self.dispersed]

    @property
    def significant(self) -> bool:
        """Whether the observed curve leaves the envelope at some distance."""
        return bool(self.localised.any() or self.dispersed.any())

    def with_kind(self, kind: str | None = None, alpha: float | None = None) -> Envelope:
        """The same simulations summarised by another kind of envelope or risk."""
        kind = self.kind if kind is None else choice("with_kind", "kind", kind, ENVELOPE_KINDS)
        alpha = self.alpha if alpha is None else _alpha("with_kind", alpha, kind, self.n_sim)
        lo, hi = _band(self.simulations, alpha, kind, self.value)
        return replace(
            self, lo=lo, hi=hi, localised=self.value > hi, dispersed=self.value < lo,
            kind=kind, alpha=alpha,
        )  # fmt: skip

    def summary(self) -> str:
        """One line: where the curve is above or below the envelope, as ranges of distances."""
        head = (
            f"{self.measure}: {self.kind} {100 * (1 - self.alpha):g}% envelope of {self.n_sim} "
            f"simulations under {self.null}"
        )
        parts = []
        for word, mask in (("localised", self.localised), ("dispersed", self.dispersed)):
            if mask.any():
                parts.append(f"{word} at {_ranges(self.r, mask)} km")
        return f"{head}: " + ("; ".join(parts) if parts else "no departure")


def _ranges(r: np.ndarray, mask: np.ndarray) -> str:
    out = []
    k = 0
    while k < mask.size:
        if mask[k]:
            start = k
            while k + 1 < mask.size and mask[k + 1]:
                k += 1
            out.append(f"{r[start]:g}" if start == k else f"{r[start]:g}-{r[k]:g}")
        k += 1
    return ", ".join(out)


# --------------------------------------------------------------------------------------------
# Envelopes from simulated curves


def local_envelope(simulations: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise envelope: the ``alpha / 2`` and ``1 - alpha / 2`` quantiles at each distance.

    Quantiles interpolate linearly between order statistics (R's type 7, as dbmss); NaN
    simulated values are ignored.

    Args:
        simulations: simulated curves ``(n_sim, n_r)``.
        alpha: risk in ``(0, 1)``.

    Returns:
        ``lo, hi``, each ``(n_r,)``.
    """
    sims = np.asarray(simulations, dtype=np.float64)
    lo = np.full(sims.shape[1], np.nan)
    hi = np.full(sims.shape[1], np.nan)
    ok = np.isfinite(sims).any(axis=0)
    if ok.any():
        q = np.nanquantile(sims[:, ok], [alpha / 2, 1 - alpha / 2], axis=0)
        lo[ok], hi[ok] = q[0], q[1]
    return lo, hi


def global_envelope(
    simulations: np.ndarray, alpha: float = 0.05, observed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Global envelope: the band of the curves left once the ``alpha`` most extreme are dropped.

    The procedure of Duranton and Overman (2005) made exact. The curves (the simulations, and
    the observed curve when given) are pooled; one at a time, the most extreme curve among
    those kept is dropped, until ``floor(alpha * n_curves)`` are dropped; the band of the kept
    curves (their minimum and maximum at each distance) is the envelope. The most extreme
    curve is the one that is lowest or highest of the kept curves at some distance: each kept
    curve gets, at each distance, its two-sided rank ``min(#{j: T_j <= T_i}, #{j: T_j >=
    T_i})`` among the kept curves (1 for the lowest or the highest; ties share the larger rank),
    and curves are compared by their ranks sorted in increasing order, lexicographically (the
    *extreme rank length* of Myllymaki et al. 2017): first by their most extreme rank, then by
    the next one, and so on. Ties drop simulations before the observed curve.

    With the observed curve among the curves, it leaves the envelope exactly when it is
    dropped, and under the null (the observed curve exchangeable with the simulations) that
    happens with probability ``floor(alpha (n_sim + 1)) / (n_sim + 1) <= alpha``: the envelope
    is a Monte Carlo test of level ``alpha`` whatever the number of distances. Distances where
    some curves are NaN rank those curves as central; distances where all are NaN give NaN.

    Args:
        simulations: simulated curves ``(n_sim, n_r)``.
        alpha: risk in ``(0, 1)``; ``alpha * n_curves >= 1`` for the envelope to drop anything.
        observed: the observed curve ``(n_r,)``, to rank with the simulations (the test); without
            it the envelope holds ``1 - alpha`` of the simulations entirely (a description).

    Returns:
        ``lo, hi``, each ``(n_r,)``.

    References:
        Duranton, G. and Overman, H. G. (2005) Testing for localization using micro-geographic
        data. *Review of Economic Studies* 72(4), 1077-1106. doi:10.1111/0034-6527.00362.
        Myllymaki, M., Mrkvicka, T., Grabarnik, P., Seijo, H. and Hahn, U. (2017) Global
        envelope tests for spatial processes. *Journal of the Royal Statistical Society B*
        79(2), 381-404. doi:10.1111/rssb.12172.
    """
    sims = np.asarray(simulations, dtype=np.float64)
    pool = sims if observed is None else np.vstack([sims, np.asarray(observed, float)[None, :]])
    n = pool.shape[0]
    n_drop = int(math.floor(alpha * n + 1e-9))
    kept = np.arange(n)
    cols = np.isfinite(pool).any(axis=0)
    vals = pool[:, cols]
    if vals.size:
        with np.errstate(all="ignore"):
            centre = np.nanmedian(vals, axis=0)
        vals = np.where(np.isnan(vals), centre, vals)
    for _ in range(min(n_drop, n - 1)):
        v = vals[kept]
        ext = np.minimum(rankdata(v, axis=0, method="max"), rankdata(-v, axis=0, method="max"))
        ext.sort(axis=1)
        keys = [kept, *(ext[:, c] for c in range(ext.shape[1] - 1, -1, -1))]
        kept = np.delete(kept, np.lexsort(keys)[0])
    return _min_max(pool[kept])


def _min_max(curves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = np.full(curves.shape[1], np.nan)
    hi = np.full(curves.shape[1], np.nan)
    ok = np.isfinite(curves).any(axis=0)
    if ok.any():
        lo[ok] = np.nanmin(curves[:, ok], axis=0)
        hi[ok] = np.nanmax(curves[:, ok], axis=0)
    return lo, hi


def global_envelope_dbmss(
    simulations: np.ndarray, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """The global envelope as dbmss computes it (``GlobalEnvelope``), for replication.

    Rounds drop *every* simulation that is the lowest or the highest of those kept at some
    distance, until at most ``(1 - alpha) n_sim`` are kept; the band of the kept simulations is
    then moved towards the band before the last round by ``(previous - present) / n_sim *
    (target - kept)``, dbmss's interpolation. A round can drop many curves at once, and the
    band is fitted to the simulations without the observed curve, so the real risk is well
    above ``alpha`` (about 0.2 with 99 simulations and 30 distances: see
    ``docs/measures-distance.md``); :func:`global_envelope` is the exact version.

    Args:
        simulations: simulated curves ``(n_sim, n_r)``, ``n_sim * alpha >= 1``.
        alpha: risk in ``(0, 1)``.

    Returns:
        ``lo, hi``, each ``(n_r,)``.

    References:
        Marcon, E., Traissac, S., Puech, F. and Lang, G. (2015) Tools to characterize point
        patterns: dbmss for R. *Journal of Statistical Software* 67(c3), 1-15.
        doi:10.18637/jss.v067.c03.
    """
    sims = np.asarray(simulations, dtype=np.float64)
    n_sim = sims.shape[0]
    target = (1.0 - alpha) * n_sim
    kept = np.ones(n_sim, dtype=bool)
    lo, hi = _min_max(sims)
    prev_lo, prev_hi = lo, hi
    while kept.sum() > target:
        rows = np.flatnonzero(kept)
        part = sims[rows]
        cols = np.isfinite(part).any(axis=0)
        if not cols.any():
            break
        part = part[:, cols]
        low = np.argmin(np.where(np.isnan(part), np.inf, part), axis=0)
        high = np.argmax(np.where(np.isnan(part), -np.inf, part), axis=0)
        kept[rows[low]] = False
        kept[rows[high]] = False
        if not kept.any():
            raise InnoclusterError(
                f"global_envelope_dbmss: no simulation is left; more simulations are needed "
                f"(got {n_sim} for alpha = {alpha:g})"
            )
        prev_lo, prev_hi = lo, hi
        lo, hi = _min_max(sims[kept])
    shift = (target - kept.sum()) / n_sim
    return lo + (prev_lo - lo) * shift, hi + (prev_hi - hi) * shift


def _band(
    sims: np.ndarray, alpha: float, kind: str, observed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    if kind == "global":
        return global_envelope(sims, alpha, observed)
    if kind == "global_dbmss":
        return global_envelope_dbmss(sims, alpha)
    return local_envelope(sims, alpha)


# --------------------------------------------------------------------------------------------
# Validation and random draws (one seed sequence per simulation: ``_seeds.spawn``)


def _alpha(fn: str, alpha: Any, kind: str, n_sim: int) -> float:
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        a = math.nan
    if not (0.0 < a < 1.0):
        raise InnoclusterError(f"The 'alpha' parameter of {fn} must be in (0, 1); got {alpha!r}")
    need = {"global": math.ceil(1 / a - 1 - 1e-9), "global_dbmss": math.ceil(1 / a - 1e-9)}
    if n_sim < need.get(kind, 1):
        raise InnoclusterError(
            f"{fn}: a {kind} envelope at alpha = {a:g} needs at least {need[kind]} "
            f"simulations; got n_sim = {n_sim}"
        )
    return a


def _common(fn: str, null: Any, kind: Any, n_sim: Any, alpha: Any, nulls: tuple[str, ...]):
    null = choice(fn, "null", null, nulls)
    kind = choice(fn, "kind", kind, ENVELOPE_KINDS)
    if isinstance(n_sim, bool) or not isinstance(n_sim, int | np.integer) or n_sim < 1:
        raise InnoclusterError(
            f"The 'n_sim' parameter of {fn} must be a positive integer; got {n_sim!r}"
        )
    return null, kind, int(n_sim), _alpha(fn, alpha, kind, int(n_sim))


def _relabel(code: np.ndarray, w: np.ndarray, null: str, rng: np.random.Generator):
    """One labelling of the sites drawn under ``null``: ``(code, w)``."""
    n = code.size
    if null == "population_independence":
        others = np.flatnonzero((code & REF) == 0)
        index = np.arange(n)
        index[others] = others[rng.permutation(others.size)]
    else:
        index = rng.permutation(n)
    if null == "random_labelling":
        return code[index], w
    return code[index], w[index]


def _map(job, items: list) -> list:
    """``[job(item) for item in items]``, on numba's number of threads (kernels release the GIL)."""
    threads = max(1, numba.get_num_threads())
    if threads == 1 or len(items) == 1:
        return [job(item) for item in items]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(job, items))


def _simulate(fn, code, w, null, children, compute) -> list:
    """``compute(codes, weights)`` on batches of labellings drawn under ``null``, in order.

    Simulation ``s`` always draws from ``children[s]``, so the labellings do not depend on the
    batching nor on the order in which threads run the batches.
    """
    n = code.size
    threads = max(1, numba.get_num_threads())
    rows = max(1, min(math.ceil(len(children) / threads), _BATCH_ELEMENTS // max(n, 1)))
    batches = [children[start : start + rows] for start in range(0, len(children), rows)]

    def job(batch):
        codes = np.empty((len(batch), n), dtype=np.int8)
        weights = np.empty((len(batch), n))
        for b, child in enumerate(batch):
            rng = as_generator(child, fn)
            codes[b], weights[b] = _relabel(code, w, null, rng)
        return compute(codes, weights)

    return _map(job, batches)


def _no_population_independence(fn: str, null: str, univariate: bool) -> None:
    if null == "population_independence" and univariate:
        raise InnoclusterError(
            f"{fn}: the 'population_independence' null keeps the reference points in place, so "
            "it needs a 'neighbor' label different from 'reference'"
        )


def _result(measure, r, value, sims, null, kind, alpha) -> Envelope:
    lo, hi = _band(sims, alpha, kind, value)
    with np.errstate(all="ignore"):
        mean = np.full(r.size, np.nan)
        ok = np.isfinite(sims).any(axis=0)
        mean[ok] = np.nanmean(sims[:, ok], axis=0)
    return Envelope(
        measure, r, value, lo, hi, mean, value > hi, value < lo, null, kind, alpha,
        sims.shape[0], sims,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Envelopes of each measure


def _k_sims(fn, x, y, r, window, labels, reference, neighbor, correction, null, n_sim, seed):
    xa, ya, ra, win, correction, code, univariate, n_ref, n_nbr = k_inputs(
        fn, x, y, r, window, labels, reference, neighbor, correction
    )
    if labels is None and null != "random_position":
        raise InnoclusterError(
            f"{fn}: the '{null}' null moves labels between points, so it needs 'labels' and "
            "'reference'; use null='random_position' (complete spatial randomness) without them"
        )
    _no_population_independence(fn, null, univariate)
    children = spawn(seed, fn, n_sim)
    keep = code != 0
    observed = KSites(xa[keep], ya[keep], ra, win, correction)
    value = observed.values(code[keep][None, :], n_nbr)[0]
    if null == "random_position":
        sim_code = np.full(n_ref + (0 if univariate else n_nbr), REF | NBR, np.int8)
        if not univariate:
            sim_code[:n_ref] = REF
            sim_code[n_ref:] = NBR
        m = sim_code.size

        def one(child):
            rng = as_generator(child, fn)
            sx = rng.uniform(win[0], win[2], m)
            sy = rng.uniform(win[1], win[3], m)
            sites = KSites(sx, sy, ra, win, correction)
            return sites.values(sim_code[None, :], n_nbr)[0]

        sims = np.array(_map(one, children))
    else:
        sites = KSites(xa, ya, ra, win, correction)
        parts = _simulate(
            fn, code, np.ones(xa.size), null, children, lambda c, _w: sites.values(c, n_nbr)
        )
        sims = np.concatenate(parts, axis=0)
    return ra, value, sims


def k_envelope(
    x: np.ndarray,
    y: np.ndarray,
    r: np.ndarray,
    *,
    window: tuple[float, float, float, float] | None = None,
    labels: np.ndarray | None = None,
    reference: Any = None,
    neighbor: Any = None,
    correction: str = "isotropic",
    null: str | None = None,
    n_sim: int = 99,
    alpha: float = 0.05,
    kind: str = "global",
    seed: Seed = None,
) -> Envelope:
    """Ripley's K of the points and its envelope under a null hypothesis.

    The points, the window and the edge correction are as in
    :func:`innocluster.measures.ripley.ripley_k`.

    Args:
        x: abscissae of the points, km, ``(n,)``.
        y: ordinates of the points, km, ``(n,)``.
        r: distances, km, increasing, ``(n_r,)``.
        window: the study area ``(xmin, ymin, xmax, ymax)``, km; default the points' bounding
            box. Every point must lie inside.
        labels: one label per point ``(n,)``; with ``reference`` selects the points of interest.
        reference: the label of the (reference) points whose K is computed.
        neighbor: the label of neighbour points for the bivariate (cross) K; default univariate.
        correction: the edge correction, ``'isotropic'``, ``'border'`` or ``'none'``.
        null: ``'random_location'`` (the default with ``labels``), ``'random_labelling'``,
            ``'population_independence'`` (bivariate only) or ``'random_position'`` (the same
            numbers of points uniform in the window: complete spatial randomness; the default
            without ``labels``).
        n_sim: number of simulations.
        alpha: risk; the envelope holds ``1 - alpha`` of the simulations.
        kind: ``'global'`` (default: a test of level ``alpha`` over all distances, see
            :func:`global_envelope`), ``'local'`` (pointwise) or ``'global_dbmss'`` (dbmss's
            global envelope, to replicate it).
        seed: an int, a ``numpy.random.SeedSequence``, a ``numpy.random.Generator`` (it is
            advanced) or None (fresh entropy, not reproducible).

    Returns:
        :class:`Envelope` with ``measure = 'K'``.

    References:
        Ripley, B. D. (1977) Modelling spatial patterns. *Journal of the Royal Statistical
        Society B* 39(2), 172-212. doi:10.1111/j.2517-6161.1977.tb01615.x.
    """
    fn = "k_envelope"
    if null is None:
        null = "random_position" if labels is None else "random_location"
    null, kind, n_sim, alpha = _common(fn, null, kind, n_sim, alpha, _K_NULLS)
    r, value, sims = _k_sims(
        fn, x, y, r, window, labels, reference, neighbor, correction, null, n_sim, seed
    )
    return _result("K", r, value, sims, null, kind, alpha)


def l_envelope(
    x: np.ndarray,
    y: np.ndarray,
    r: np.ndarray,
    *,
    window: tuple[float, float, float, float] | None = None,
    labels: np.ndarray | None = None,
    reference: Any = None,
    neighbor: Any = None,
    correction: str = "isotropic",
    null: str | None = None,
    n_sim: int = 99,
    alpha: float = 0.05,
    kind: str = "global",
    seed: Seed = None,
) -> Envelope:
    """Besag's L of the points and its envelope: :func:`k_envelope` with ``sqrt(K / pi)``.

    Args and returns as :func:`k_envelope` (``measure = 'L'``, values in km). The same seed
    gives the same simulations as :func:`k_envelope`, transformed.

    References:
        Besag, J. E. (1977) Comments on Ripley's paper. *Journal of the Royal Statistical
        Society B* 39(2), 193-195. doi:10.1111/j.2517-6161.1977.tb01616.x.
    """
    fn = "l_envelope"
    if null is None:
        null = "random_position" if labels is None else "random_location"
    null, kind, n_sim, alpha = _common(fn, null, kind, n_sim, alpha, _K_NULLS)
    r, value, sims = _k_sims(
        fn, x, y, r, window, labels, reference, neighbor, correction, null, n_sim, seed
    )
    return _result("L", r, np.sqrt(value / math.pi), np.sqrt(sims / math.pi), null, kind, alpha)


def kd_envelope(
    x: np.ndarray,
    y: np.ndarray,
    r: np.ndarray,
    *,
    labels: np.ndarray,
    reference: Any,
    neighbor: Any = None,
    weights: np.ndarray | None = None,
    bandwidth: float | None = None,
    adjust: float = 1.0,
    null: str = "random_location",
    n_sim: int = 99,
    alpha: float = 0.05,
    kind: str = "global",
    seed: Seed = None,
) -> Envelope:
    """Duranton-Overman Kd of the points of interest and its envelope under a null hypothesis.

    Every simulation recomputes the bandwidth by Silverman's rule from its own distances
    (unless ``bandwidth`` is fixed), as dbmss does. All sites are candidate locations: the pairs
    of sites within ``2 max(r)`` (16 bytes each) are found once.

    The points, the weights and the bandwidth are as in
    :func:`innocluster.measures.duranton_overman.kd`.

    Args:
        x: abscissae of the points, km, ``(n,)``.
        y: ordinates of the points, km, ``(n,)``.
        r: distances, km, increasing, ``(n_r,)``; ``Kd`` is evaluated exactly at each.
        labels: one label per point ``(n,)``.
        reference: the label of the points of interest.
        neighbor: the label of the second type for the bivariate Kd (co-localisation).
        weights: ``(n,)``, non-negative: the employee-weighted Kd.
        bandwidth: fixed kernel bandwidth, km; default Silverman's rule.
        adjust: multiplies the rule-of-thumb bandwidth (dbmss's ``Adjust``).
        null: ``'random_location'`` (default), ``'random_labelling'`` or
            ``'population_independence'`` (bivariate only).
        n_sim: number of simulations.
        alpha: risk; the envelope holds ``1 - alpha`` of the simulations.
        kind: ``'global'`` (default: Duranton and Overman's test, exact, see
            :func:`global_envelope`), ``'local'`` (pointwise) or ``'global_dbmss'`` (dbmss's
            global envelope, to replicate it).
        seed: an int, a ``numpy.random.SeedSequence``, a ``numpy.random.Generator`` (it is
            advanced) or None (fresh entropy, not reproducible).

    Returns:
        :class:`Envelope` with ``measure = 'Kd'``.

    References:
        Duranton, G. and Overman, H. G. (2005) Testing for localization using micro-geographic
        data. *Review of Economic Studies* 72(4), 1077-1106. doi:10.1111/0034-6527.00362.
    """
    fn = "kd_envelope"
    null, kind, n_sim, alpha = _common(fn, null, kind, n_sim, alpha, NULLS)
    xa, ya, ra, code, univariate, w = kd_inputs(
        fn, x, y, r, labels, reference, neighbor, weights, bandwidth, adjust, need_labels=True
    )
    _no_population_independence(fn, null, univariate)
    children = spawn(seed, fn, n_sim)
    weighted = w is not None
    wt = w if weighted else np.ones(xa.size)
    sites = KdSites(xa, ya, ra, bandwidth, adjust, weighted, univariate)
    while True:
        values, hs = sites.values(code[None, :], wt[None, :])
        if not np.isfinite(hs[0]):
            raise InnoclusterError(
                f"{fn}: fewer than 2 pairs of points of interest lie within 2 max(r) = "
                f"{2 * ra[-1]:g} km, so Silverman's bandwidth is undefined: pass 'bandwidth'"
            )
        parts = _simulate(fn, code, wt, null, children, sites.values)
        sims = np.concatenate([p[0] for p in parts], axis=0)
        # All curves come from the same pairs: if a bandwidth needs more, compute all again.
        if sites.enough(np.concatenate([hs, *(p[1] for p in parts)])):
            break
    return _result("Kd", ra, values[0], sims, null, kind, alpha)


def m_envelope(
    x: np.ndarray,
    y: np.ndarray,
    r: np.ndarray,
    *,
    labels: np.ndarray,
    reference: Any,
    neighbor: Any = None,
    weights: np.ndarray | None = None,
    case_control: bool = False,
    null: str = "random_location",
    n_sim: int = 99,
    alpha: float = 0.05,
    kind: str = "global",
    seed: Seed = None,
) -> Envelope:
    """Marcon-Puech M of the points and its envelope under a null hypothesis.

    The points, the weights and the case-control form are as in
    :func:`innocluster.measures.marcon_puech.m_function`.

    Args:
        x: abscissae of the points, km, ``(n,)``.
        y: ordinates of the points, km, ``(n,)``.
        r: distances, km, increasing, ``(n_r,)``.
        labels: one label per point ``(n,)``.
        reference: the label of the reference points (the cases).
        neighbor: the label of the neighbours of interest (the controls, case-control);
            default ``reference`` (univariate).
        weights: ``(n,)``, non-negative (employees); default 1 per point.
        case_control: the case-control form.
        null: ``'random_location'`` (default), ``'random_labelling'`` (the usual null of the
            case-control M) or ``'population_independence'`` (bivariate only).
        n_sim: number of simulations.
        alpha: risk; the envelope holds ``1 - alpha`` of the simulations.
        kind: ``'global'`` (default: a test of level ``alpha`` over all distances, see
            :func:`global_envelope`), ``'local'`` (pointwise) or ``'global_dbmss'`` (dbmss's
            global envelope, to replicate it).
        seed: an int, a ``numpy.random.SeedSequence``, a ``numpy.random.Generator`` (it is
            advanced) or None (fresh entropy, not reproducible).

    Returns:
        :class:`Envelope` with ``measure = 'M'``.

    References:
        Marcon, E. and Puech, F. (2010) Measures of the geographic concentration of industries:
        improving distance-based methods. *Journal of Economic Geography* 10(5), 745-762.
        doi:10.1093/jeg/lbp056.
        Marcon, E. and Puech, F. (2017) A typology of distance-based measures of spatial
        concentration. *Regional Science and Urban Economics* 62, 56-67.
        doi:10.1016/j.regsciurbeco.2016.10.004.
    """
    fn = "m_envelope"
    null, kind, n_sim, alpha = _common(fn, null, kind, n_sim, alpha, NULLS)
    xa, ya, ra, code, univariate, wt, cc = m_inputs(
        fn, x, y, r, labels, reference, neighbor, weights, case_control
    )
    _no_population_independence(fn, null, univariate)
    children = spawn(seed, fn, n_sim)
    sites = MSites(xa, ya, ra, cc, univariate)
    value = sites.values(code[None, :], wt[None, :])[0]
    sims = np.concatenate(_simulate(fn, code, wt, null, children, sites.values), axis=0)
    return _result("M", ra, value, sims, null, kind, alpha)
