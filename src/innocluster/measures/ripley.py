"""Ripley's K and Besag's L of points in a rectangular window, with an edge correction.

Zoning-free measures of how points of one kind (an industry, a kind of organisation) concentrate
in space, from the distances between points rather than from counts over arbitrary regions:
:func:`ripley_k` and :func:`ripley_l` are *density* functions (absolute: compared with complete
spatial randomness, ``K(r) = pi r^2``), univariate or bivariate (cross). These are the measures
of the R package ``dbmss`` (Marcon, Traissac, Puech and Lang 2015) and of spatstat;
``docs/measures-distance.md`` lists every place where innocluster deliberately differs. The
conventions on positions, distances and labels, the checks, the pairs and the edge corrections
are shared with the other distance-based measures, in :mod:`innocluster.measures._points`.

The compiled kernel takes a batch of labellings of the same sites at once: :class:`KSites` and
:func:`k_inputs` are also what :mod:`innocluster.measures.envelopes` uses to reuse one set of
pairs for all its simulations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from innocluster.errors import InnoclusterError
from innocluster.measures._points import (
    NBR,
    REF,
    border_bins,
    checked_distances,
    checked_positions,
    checked_window,
    choice,
    distance_bins,
    isotropic_weight,
    pairs_within,
    point_types,
)

__all__ = ["CORRECTIONS", "RipleyK", "RipleyL", "ripley_k", "ripley_l"]

#: The edge corrections of Ripley's K; the first is the default.
CORRECTIONS = ("isotropic", "border", "none")


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, eq=False)
class RipleyK:
    """Ripley's K at each distance.

    Attributes:
        r: distances, km, ``(n_r,)``.
        value: ``K(r)``, km², ``(n_r,)`` (NaN where the border correction keeps no point).
        theo: ``pi r^2``, the value under complete spatial randomness, ``(n_r,)``.
        correction: the edge correction used.
        n_reference: number of reference points.
        n_neighbor: number of neighbour points (``n_reference`` for the univariate K).
        area: area of the window, km².
    """

    r: np.ndarray
    value: np.ndarray
    theo: np.ndarray
    correction: str
    n_reference: int
    n_neighbor: int
    area: float


@dataclass(frozen=True, eq=False)
class RipleyL:
    """Besag's L at each distance: ``L(r) = sqrt(K(r) / pi)``, in km.

    Attributes:
        r: distances, km, ``(n_r,)``.
        value: ``L(r)``, km, ``(n_r,)``; ``value - r`` is the usual centred plot.
        theo: ``r``, the value under complete spatial randomness.
        correction: the edge correction used.
        n_reference, n_neighbor, area: as in :class:`RipleyK`.
    """

    r: np.ndarray
    value: np.ndarray
    theo: np.ndarray
    correction: str
    n_reference: int
    n_neighbor: int
    area: float


# --------------------------------------------------------------------------------------------
# Compiled kernel: a batch of labellings (rows of `code`) of the same sites


@numba.njit(cache=True, nogil=True)
def _k_batch(pbin, pi, pj, eij, eji, kb, code, nr, mode):
    """Ripley's K numerators and denominators for each labelling.

    ``mode`` 0: no correction, 1: isotropic (weights ``eij`` around i, ``eji`` around j),
    2: border (point i counts up to distance index ``kb[i]``, excluded). Returns ``num, den``
    ``(b, n_r)``: for modes 0 and 1 ``den`` is the number of ordered pairs of interest.
    """
    n_sim, n = code.shape
    npairs = pbin.size
    num = np.zeros((n_sim, nr))
    den = np.zeros((n_sim, nr))
    for s in range(n_sim):
        c = code[s]
        acc = np.zeros(nr + 1)
        for p in range(npairs):
            k = pbin[p]
            if k >= nr:
                continue
            i = pi[p]
            j = pj[p]
            a = c[i]
            b = c[j]
            if (a & 1) and (b & 2):
                if mode == 0:
                    acc[k] += 1.0
                elif mode == 1:
                    acc[k] += eij[p]
                elif kb[i] > k:
                    acc[k] += 1.0
                    acc[kb[i]] -= 1.0
            if (b & 1) and (a & 2):
                if mode == 0:
                    acc[k] += 1.0
                elif mode == 1:
                    acc[k] += eji[p]
                elif kb[j] > k:
                    acc[k] += 1.0
                    acc[kb[j]] -= 1.0
        run = 0.0
        for k in range(nr):
            run += acc[k]
            num[s, k] = run
        if mode == 2:
            cnt = np.zeros(nr + 1)
            for t in range(n):
                if c[t] & 1:
                    cnt[0] += 1.0
                    cnt[kb[t]] -= 1.0
            run = 0.0
            for k in range(nr):
                run += cnt[k]
                den[s, k] = run
        else:
            n_ref = 0.0
            n_nbr = 0.0
            n_both = 0.0
            for t in range(n):
                if c[t] & 1:
                    n_ref += 1.0
                if c[t] & 2:
                    n_nbr += 1.0
                if (c[t] & 3) == 3:
                    n_both += 1.0
            for k in range(nr):
                den[s, k] = n_ref * n_nbr - n_both
    return num, den


# --------------------------------------------------------------------------------------------
# Prepared sites: the pairs of a set of sites, reused for every labelling of the sites


class KSites:
    """Sites prepared for Ripley's K: pairs within max(r), their distance bins, edge weights."""

    def __init__(self, x, y, r, window, correction):
        self.r = r
        self.window = window
        self.correction = correction
        self.mode = {"none": 0, "isotropic": 1, "border": 2}[correction]
        i, j, d = pairs_within(x, y, float(r[-1]))
        self.pi, self.pj = i, j
        self.pbin = distance_bins(d, r)
        if self.mode == 1:
            self.eij = isotropic_weight(x[i], y[i], d, window)
            self.eji = isotropic_weight(x[j], y[j], d, window)
        else:
            self.eij = self.eji = np.empty(0)
        if self.mode == 2:
            self.kb = border_bins(x, y, r, window)
        else:
            self.kb = np.empty(0, np.int32)
        self.area = (window[2] - window[0]) * (window[3] - window[1])

    def values(self, code: np.ndarray, n_neighbor: int) -> np.ndarray:
        """K for each row of ``code`` ``(b, n)``: ``(b, n_r)``."""
        num, den = _k_batch(
            self.pbin, self.pi, self.pj, self.eij, self.eji, self.kb, code, self.r.size, self.mode
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.mode == 2:
                # spatstat's border estimator: lambda_j = n_j / A per retained reference point.
                return self.area * num / (n_neighbor * den)
            return self.area * num / den


# --------------------------------------------------------------------------------------------
# Public functions


def k_inputs(fn, x, y, r, window, labels, reference, neighbor, correction):
    """Checked inputs of K: ``x, y, r, window, correction, code, univariate, n_ref, n_nbr``."""
    xa, ya = checked_positions(fn, x, y)
    ra = checked_distances(fn, r)
    correction = choice(fn, "correction", correction, CORRECTIONS)
    win = checked_window(fn, window, xa, ya)
    code, univariate = point_types(fn, xa.size, labels, reference, neighbor, need_labels=False)
    n_ref = int(np.count_nonzero(code & REF))
    n_nbr = int(np.count_nonzero(code & NBR))
    if univariate and n_ref < 2:
        raise InnoclusterError(f"{fn} needs at least 2 reference points; got {n_ref}")
    return xa, ya, ra, win, correction, code, univariate, n_ref, n_nbr


def ripley_k(
    x: np.ndarray,
    y: np.ndarray,
    r: np.ndarray,
    *,
    window: tuple[float, float, float, float] | None = None,
    labels: np.ndarray | None = None,
    reference: Any = None,
    neighbor: Any = None,
    correction: str = "isotropic",
) -> RipleyK:
    """Ripley's K function of points in a rectangular window, with an edge correction.

    Univariate (all points, or the points labelled ``reference``), with ``n`` points in the
    window ``A``::

        K(r) = |A| / (n (n - 1)) * sum_i sum_{j != i} e_ij 1(d_ij <= r)

    Bivariate (``neighbor`` given: neighbours of type 2 around reference points of type 1)::

        K_12(r) = |A| / (n_1 n_2) * sum_{i in 1} sum_{j in 2} e_ij 1(d_ij <= r)

    ``K(r) = pi r^2`` under complete spatial randomness; above means aggregation at distance r.
    Edge corrections ``e_ij``:

    - ``'isotropic'`` (default, Ripley 1977): ``e_ij`` is the inverse of the share of the
      circle centred on i through j that lies inside the window (capped at 100 as spatstat
      does). Valid up to about half the window's shorter side; the usual ``r`` stops at a
      quarter of it.
    - ``'border'`` (reduced sample): only reference points at least ``r`` from the window's
      edge are centres, ``K(r) = |A| / n_2 * sum_{i: b_i >= r} #{j: d_ij <= r} /
      #{i: b_i >= r}`` (``n_2 = n`` univariate; spatstat's ``border``); NaN where no point is
      that far inside.
    - ``'none'``: ``e_ij = 1`` (biased downwards near the edges).

    Args:
        x: abscissae of the points, km, ``(n,)``.
        y: ordinates of the points, km, ``(n,)``.
        r: distances, km, increasing, ``(n_r,)``.
        window: the study area ``(xmin, ymin, xmax, ymax)``, km; default the points' bounding
            box. Every point must lie inside.
        labels: one label per point ``(n,)``; with ``reference`` selects the points of interest.
        reference: the label of the (reference) points whose K is computed.
        neighbor: the label of neighbour points for the bivariate (cross) K; default univariate.
        correction: ``'isotropic'``, ``'border'`` or ``'none'``.

    Returns:
        :class:`RipleyK` with ``value (n_r,)`` in km².

    References:
        Ripley, B. D. (1976) The second-order analysis of stationary point processes. *Journal
        of Applied Probability* 13(2), 255-266. doi:10.2307/3212829.
        Ripley, B. D. (1977) Modelling spatial patterns. *Journal of the Royal Statistical
        Society B* 39(2), 172-212. doi:10.1111/j.2517-6161.1977.tb01615.x.
        Baddeley, A., Rubak, E. and Turner, R. (2015) *Spatial Point Patterns: Methodology and
        Applications with R*. Chapman and Hall/CRC. doi:10.1201/b19708.
    """
    fn = "ripley_k"
    xa, ya, ra, win, correction, code, _, n_ref, n_nbr = k_inputs(
        fn, x, y, r, window, labels, reference, neighbor, correction
    )
    keep = code != 0
    sites = KSites(xa[keep], ya[keep], ra, win, correction)
    value = sites.values(code[keep][None, :], n_nbr)[0]
    return RipleyK(ra, value, math.pi * ra**2, correction, n_ref, n_nbr, sites.area)


def ripley_l(
    x: np.ndarray,
    y: np.ndarray,
    r: np.ndarray,
    *,
    window: tuple[float, float, float, float] | None = None,
    labels: np.ndarray | None = None,
    reference: Any = None,
    neighbor: Any = None,
    correction: str = "isotropic",
) -> RipleyL:
    """Besag's L function: ``L(r) = sqrt(K(r) / pi)``, in km; ``L(r) = r`` under randomness.

    Args and edge corrections as :func:`ripley_k`.

    Returns:
        :class:`RipleyL` with ``value (n_r,)`` in km (plot ``value - r``).

    References:
        Besag, J. E. (1977) Comments on Ripley's paper. *Journal of the Royal Statistical
        Society B* 39(2), 193-195. doi:10.1111/j.2517-6161.1977.tb01616.x.
    """
    k = ripley_k(
        x, y, r, window=window, labels=labels, reference=reference, neighbor=neighbor,
        correction=correction,
    )  # fmt: skip
    return RipleyL(
        k.r, np.sqrt(k.value / math.pi), k.r.copy(), k.correction, k.n_reference, k.n_neighbor,
        k.area,
    )  # fmt: skip
