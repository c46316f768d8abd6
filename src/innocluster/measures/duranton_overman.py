"""Duranton and Overman's K-density: the density of bilateral distances between points.

:func:`kd` is a zoning-free, absolute (unnormalised) measure of how points of one kind
concentrate: the kernel density of the distances between pairs of points of interest, with a
Gaussian kernel reflected at zero, univariate or bivariate (co-localisation), and its
employee-weighted form. This is the Kd of the R package ``dbmss`` (Marcon, Traissac, Puech and
Lang 2015); ``docs/measures-distance.md`` lists every place where innocluster deliberately
differs. The conventions on positions, distances and labels, the checks and the pairs are shared
with the other distance-based measures, in :mod:`innocluster.measures._points`.

The compiled kernel takes a batch of labellings of the same sites at once: :class:`KdSites` and
:func:`kd_inputs` are also what :mod:`innocluster.measures.envelopes` uses to reuse one set of
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
    checked_distances,
    checked_positions,
    checked_weights,
    pairs_within,
    point_types,
)

__all__ = ["KDensity", "kd"]

#: The Gaussian kernel is summed over distances within this many bandwidths of ``r``: the terms
#: left out are below ``exp(-32) = 1.3e-14`` of the kernel's peak.
KERNEL_REACH = 8.0


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, eq=False)
class KDensity:
    """Duranton-Overman K-density at each distance.

    Attributes:
        r: distances, km, ``(n_r,)``.
        value: ``Kd(r)``, per km, ``(n_r,)``: a probability density of bilateral distances.
        bandwidth: the Gaussian kernel's bandwidth ``h``, km.
        total_pairs: the denominator: number of pairs of interest (``n(n-1)/2`` univariate,
            ``n_1 n_2`` bivariate) or their total weight ``sum w_i w_j`` when weighted.
        weighted: whether pairs are weighted by ``w_i w_j``.
    """

    r: np.ndarray
    value: np.ndarray
    bandwidth: float
    total_pairs: float
    weighted: bool


# --------------------------------------------------------------------------------------------
# Compiled kernels: a batch of labellings (rows of `code` and `w`) of the same sites


@numba.njit(cache=True)
def _nrd0(x: np.ndarray) -> float:
    """Silverman's rule of thumb (R's ``bw.nrd0``) for sorted values ``x``; NaN if fewer than 2."""
    m = x.size
    if m < 2:
        return np.nan
    mean = 0.0
    for v in x:
        mean += v
    mean /= m
    ss = 0.0
    for v in x:
        ss += (v - mean) * (v - mean)
    sd = math.sqrt(ss / (m - 1))
    pos1 = 0.25 * (m - 1)
    k1 = int(math.floor(pos1))
    q1 = x[k1] + (pos1 - k1) * (x[min(k1 + 1, m - 1)] - x[k1])
    pos3 = 0.75 * (m - 1)
    k3 = int(math.floor(pos3))
    q3 = x[k3] + (pos3 - k3) * (x[min(k3 + 1, m - 1)] - x[k3])
    lo = min(sd, (q3 - q1) / 1.34)
    if lo == 0.0:
        lo = sd
        if lo == 0.0:
            lo = abs(x[0])
            if lo == 0.0:
                lo = 1.0
    return 0.9 * lo * m ** (-0.2)


#: Bins of the kernel sums are ``h / _BINS_PER_H`` wide and carry ``_MOMENTS`` moments: the
#: truncated Hermite series is exact to about 1e-13 of the kernel's peak.
_BINS_PER_H = 16
_MOMENTS = 8


@numba.njit(cache=True, nogil=True)
def _kernel_sums(d, wt, r, h):
    """``sum_j wt_j [exp(-((r_k - d_j) / h)^2 / 2) + exp(-((r_k + d_j) / h)^2 / 2)]`` for each k.

    Distances ``d`` (any order, >= 0) are binned into bins of width ``delta = h / 16``; bin b
    keeps the moments ``A_bn = sum_j wt_j u_j^n / n!`` (n < 8) of the offsets ``u_j = (d_j -
    c_b) / h`` from its centre ``c_b``, ``|u_j| <= 1/32``. As ``exp(-(t - u)^2 / 2) = exp(-t^2 /
    2) sum_n He_n(t) u^n / n!`` (the generating function of the Hermite polynomials ``He_n``),
    the sum over a bin at ``t = (r_k - c_b) / h`` is ``exp(-t^2 / 2) sum_n He_n(t) A_bn``, and
    the mirror image ``-d_j`` at ``t = (r_k + c_b) / h`` gives ``sum_n (-1)^n He_n(t) A_bn``.
    Truncating after 8 terms errs by less than about 1e-13 of the peak; bins further than 8 h
    (plus a bin) from ``r_k`` are left out (their terms are below ``exp(-32)``). The cost is
    ``O(m)`` for the moments plus ``O(n_r * 256 * 8)``, however fine the distances ``r``.
    """
    nr = r.size
    out = np.zeros(nr)
    m = d.size
    if m == 0:
        return out
    delta = h / _BINS_PER_H
    dmax = 0.0
    for t in range(m):
        dmax = max(dmax, d[t])
    nb = int(dmax / delta) + 1
    mom = np.zeros((nb, _MOMENTS))
    inv_h = 1.0 / h
    inv_delta = 1.0 / delta
    scale = delta * inv_h
    # Moments accumulate in registers while the bin does not change (d is usually sorted).
    cur = -1
    a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
    for t in range(m):
        pos = d[t] * inv_delta
        b = min(int(pos), nb - 1)
        if b != cur:
            if cur >= 0:
                _flush(mom, cur, a0, a1, a2, a3, a4, a5, a6, a7)
            cur = b
            a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
        u = (pos - b - 0.5) * scale
        v = wt[t]
        a0 += v
        v *= u
        a1 += v
        v *= u * 0.5
        a2 += v
        v *= u * (1.0 / 3.0)
        a3 += v
        v *= u * 0.25
        a4 += v
        v *= u * 0.2
        a5 += v
        v *= u * (1.0 / 6.0)
        a6 += v
        v *= u * (1.0 / 7.0)
        a7 += v
    _flush(mom, cur, a0, a1, a2, a3, a4, a5, a6, a7)
    reach = 8.0 * h + delta
    for k in range(nr):
        rk = r[k]
        b_lo = max(int((rk - reach) / delta), 0)
        b_hi = min(int((rk + reach) / delta) + 1, nb)
        acc = 0.0
        for b in range(b_lo, b_hi):
            if mom[b, 0] == 0.0:
                continue
            x = (rk - (b + 0.5) * delta) * inv_h
            acc += math.exp(-0.5 * x * x) * _hermite_sum(mom[b], x, 1.0)
        # Reflection at zero distance: the mirror images -d_j.
        b_hi = min(int(max(reach - rk, 0.0) / delta) + 1, nb)
        for b in range(0, b_hi):
            if mom[b, 0] == 0.0:
                continue
            x = (rk + (b + 0.5) * delta) * inv_h
            acc += math.exp(-0.5 * x * x) * _hermite_sum(mom[b], x, -1.0)
        out[k] = acc
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _flush(mom, b, a0, a1, a2, a3, a4, a5, a6, a7):
    mom[b, 0] += a0
    mom[b, 1] += a1
    mom[b, 2] += a2
    mom[b, 3] += a3
    mom[b, 4] += a4
    mom[b, 5] += a5
    mom[b, 6] += a6
    mom[b, 7] += a7


@numba.njit(cache=True, nogil=True, inline="always")
def _hermite_sum(a, x, sign):
    """``sum_n sign^n He_n(x) a_n``, with ``He_0 = 1, He_1 = x, He_n+1 = x He_n - n He_n-1``."""
    h_prev = 1.0
    h_cur = x
    total = a[0] + sign * x * a[1]
    s = sign
    for n in range(1, a.size - 1):
        h_next = x * h_cur - n * h_prev
        s *= sign
        total += s * h_next * a[n + 1]
        h_prev = h_cur
        h_cur = h_next
    return total


@numba.njit(cache=True, nogil=True)
def _kd_batch(pd, pi, pj, code, w, weighted, univariate, r, bw_limit, bw_fixed, adjust):
    """Kd for each labelling; pairs sorted by distance. Returns ``(values (b, n_r), h (b,))``."""
    n_sim, n = code.shape
    nr = r.size
    npairs = pd.size
    out = np.full((n_sim, nr), np.nan)
    hs = np.full(n_sim, np.nan)
    for s in range(n_sim):
        c = code[s]
        ws = w[s]
        # Branch-free selection of the pairs of interest (half of them may be selected).
        m = 0
        for p in range(npairs):
            a = c[pi[p]]
            b = c[pj[p]]
            m += ((a & b >> 1) | (b & a >> 1)) & 1
        dsel = np.empty(m + 1)
        wsel = np.empty(m + 1)
        q = 0
        for p in range(npairs):
            i = pi[p]
            j = pj[p]
            a = c[i]
            b = c[j]
            dsel[q] = pd[p]
            wsel[q] = ws[i] * ws[j] if weighted else 1.0
            q += ((a & b >> 1) | (b & a >> 1)) & 1
        dsel = dsel[:m]
        wsel = wsel[:m]
        # Denominator: every pair of interest, however far apart.
        s_ref = 0.0
        s_ref2 = 0.0
        s_nbr = 0.0
        for t in range(n):
            wt = ws[t] if weighted else 1.0
            if c[t] & 1:
                s_ref += wt
                s_ref2 += wt * wt
            if c[t] & 2:
                s_nbr += wt
        if univariate:
            total = 0.5 * (s_ref * s_ref - s_ref2)
        else:
            total = s_ref * s_nbr
        if bw_fixed > 0.0:
            h = bw_fixed
        else:
            m2 = np.searchsorted(dsel, bw_limit, side="right")
            h = _nrd0(dsel[:m2]) * adjust
        if not (h > 0.0) or not (total > 0.0):
            continue
        hs[s] = h
        sums = _kernel_sums(dsel, wsel, r, h)
        norm = 1.0 / (total * h * 2.5066282746310002)
        for k in range(nr):
            out[s, k] = sums[k] * norm
    return out, hs


# --------------------------------------------------------------------------------------------
# Prepared sites: the pairs of a set of sites, reused for every labelling of the sites


class KdSites:
    """Sites prepared for Kd: pairs within the reach of the kernel, sorted by distance."""

    def __init__(self, x, y, r, bandwidth, adjust, weighted, univariate):
        self.x, self.y, self.r = x, y, r
        self.bw_fixed = float(bandwidth) if bandwidth is not None else 0.0
        self.adjust = float(adjust)
        self.weighted = weighted
        self.univariate = univariate
        self.bw_limit = 2.0 * float(r[-1])
        cutoff = self.bw_limit
        if self.bw_fixed > 0:
            cutoff = max(cutoff, float(r[-1]) + KERNEL_REACH * self.bw_fixed)
        self._load(cutoff)

    def _load(self, cutoff: float) -> None:
        self.cutoff = cutoff
        self.pi, self.pj, self.pd = pairs_within(self.x, self.y, cutoff, sort=True)

    def values(self, code: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Kd and bandwidth for each labelling (rows): ``(b, n_r)``, ``(b,)``."""
        return _kd_batch(
            self.pd, self.pi, self.pj, code, w, self.weighted, self.univariate, self.r,
            self.bw_limit, self.bw_fixed, self.adjust,
        )  # fmt: skip

    def enough(self, hs: np.ndarray) -> bool:
        """Whether the pairs reach ``max(r) + 8 h`` for every bandwidth ``hs``; if not, reload.

        A wide bandwidth (few pairs) lets pairs beyond ``2 max(r)`` weigh at ``max(r)``: the
        values computed with the old pairs must then be computed again.
        """
        finite = hs[np.isfinite(hs)]
        need = float(self.r[-1]) + KERNEL_REACH * (float(finite.max()) if finite.size else 0.0)
        if need <= self.cutoff:
            return True
        self._load(need * (1.0 + 1e-9))
        return False


# --------------------------------------------------------------------------------------------
# Public functions


def kd_inputs(fn, x, y, r, labels, reference, neighbor, weights, bandwidth, adjust, need_labels):
    """Checked inputs of Kd: ``x, y, r, code, univariate, weights`` (None: unweighted)."""
    xa, ya = checked_positions(fn, x, y)
    ra = checked_distances(fn, r)
    code, univariate = point_types(
        fn, xa.size, labels, reference, neighbor, need_labels=need_labels
    )
    w = checked_weights(fn, weights, xa.size)
    if bandwidth is not None and not (np.isfinite(bandwidth) and bandwidth > 0):
        raise InnoclusterError(
            f"The 'bandwidth' parameter of {fn} must be a positive distance (km) or None; "
            f"got {bandwidth!r}"
        )
    if not (np.isfinite(adjust) and adjust > 0):
        raise InnoclusterError(f"The 'adjust' parameter of {fn} must be positive; got {adjust!r}")
    n_ref = int(np.count_nonzero(code & REF))
    if univariate and n_ref < 2:
        raise InnoclusterError(f"{fn} needs at least 2 reference points; got {n_ref}")
    return xa, ya, ra, code, univariate, w


def kd(
    x: np.ndarray,
    y: np.ndarray,
    r: np.ndarray,
    *,
    labels: np.ndarray | None = None,
    reference: Any = None,
    neighbor: Any = None,
    weights: np.ndarray | None = None,
    bandwidth: float | None = None,
    adjust: float = 1.0,
) -> KDensity:
    """Duranton-Overman K-density: the kernel density of bilateral distances, at each ``r``.

    Over the ``N`` pairs of points of interest (univariate: the ``n (n - 1) / 2`` unordered
    pairs of reference points; bivariate: the ``n_1 n_2`` pairs of a reference and a neighbour
    point), with a Gaussian kernel ``phi`` of bandwidth ``h`` reflected at zero distance::

        Kd(r) = 1 / (N h) * sum_{pairs} [phi((r - d_ij) / h) + phi((r + d_ij) / h)]

    Weighted (``weights`` given, e.g. employees; Duranton and Overman 2005, section 4.3) each
    pair counts ``w_i w_j`` and ``N = sum_{pairs} w_i w_j``. Reflection (Silverman 1986, 3.10)
    puts back the mass the kernel spreads below zero, so ``Kd`` integrates to 1 over
    ``[0, inf)`` exactly. Only pairs closer than ``max(r) + 8 h`` (and ``2 max(r)``) are
    formed; further ones change the value by less than ``exp(-32)`` of a pair's peak.

    The bandwidth is Silverman's rule of thumb (R's ``bw.nrd0``), ``h = 0.9 min(sd, IQR /
    1.34) m^(-1/5)``, over the ``m`` (unweighted) distances of pairs of interest up to
    ``2 max(r)`` (as dbmss does: the distances further away do not shape the density below
    ``max(r)`` and are never formed), times ``adjust``; or ``bandwidth`` when given.

    Args:
        x: abscissae of the points, km, ``(n,)``.
        y: ordinates of the points, km, ``(n,)``.
        r: distances, km, increasing, ``(n_r,)``; ``Kd`` is evaluated exactly at each.
        labels: one label per point ``(n,)``; default all points are of interest.
        reference: the label of the points of interest.
        neighbor: the label of the second type for the bivariate Kd (co-localisation).
        weights: ``(n,)``, non-negative: the employee-weighted Kd.
        bandwidth: fixed kernel bandwidth, km; default Silverman's rule.
        adjust: multiplies the rule-of-thumb bandwidth (dbmss's ``Adjust``).

    Returns:
        :class:`KDensity` with ``value (n_r,)`` per km.

    References:
        Duranton, G. and Overman, H. G. (2005) Testing for localization using micro-geographic
        data. *Review of Economic Studies* 72(4), 1077-1106. doi:10.1111/0034-6527.00362.
        Silverman, B. W. (1986) *Density Estimation for Statistics and Data Analysis*. Chapman
        and Hall. doi:10.1007/978-1-4899-3324-9.
    """
    fn = "kd"
    xa, ya, ra, code, univariate, w = kd_inputs(
        fn, x, y, r, labels, reference, neighbor, weights, bandwidth, adjust, need_labels=False
    )
    keep = code != 0
    weighted = w is not None
    wk = (w[keep] if weighted else np.ones(int(keep.sum())))[None, :]
    sites = KdSites(xa[keep], ya[keep], ra, bandwidth, adjust, weighted, univariate)
    values, hs = sites.values(code[keep][None, :], wk)
    if not sites.enough(hs):
        values, hs = sites.values(code[keep][None, :], wk)
    if not np.isfinite(hs[0]):
        raise InnoclusterError(
            f"{fn}: fewer than 2 pairs of points of interest lie within 2 max(r) = "
            f"{2 * ra[-1]:g} km, so Silverman's bandwidth is undefined: pass 'bandwidth'"
        )
    total = _kd_total(code, w, univariate)
    return KDensity(ra, values[0], float(hs[0]), total, weighted)


def _kd_total(code: np.ndarray, w: np.ndarray | None, univariate: bool) -> float:
    wt = np.ones(code.size) if w is None else w
    ref = (code & REF) != 0
    nbr = (code & NBR) != 0
    if univariate:
        s = wt[ref].sum()
        return float(0.5 * (s * s - np.dot(wt[ref], wt[ref])))
    return float(wt[ref].sum() * wt[nbr].sum())
