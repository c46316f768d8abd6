"""Distance-based measures of geographic concentration over points, with no regions.

Zoning-free measures of how points of one kind (an industry, a kind of organisation, the cases of
a case-control design) concentrate in space, computed from the distances between points rather
than from counts over arbitrary regions (Marcon and Puech 2017 give the typology):

- :func:`ripley_k` and :func:`ripley_l`: Ripley's K and Besag's L in a rectangular window
  (a *density* function, absolute: compared with complete spatial randomness);
- :func:`kd`: Duranton and Overman's K-density, the density of bilateral distances (absolute,
  unnormalised), with its employee-weighted form;
- :func:`m_function`: Marcon and Puech's M, the relative concentration of the points of interest
  around reference points compared with all points, and its case-control form.

Simulated confidence envelopes and the tests of localisation and dispersion are in
:mod:`innocluster.measures.envelopes`. These are the measures of the R package ``dbmss``
(Marcon, Traissac, Puech and Lang 2015); ``docs/measures-distance.md`` lists every place where
innocluster deliberately differs from it.

Conventions for every function: positions ``x, y`` are arrays ``(n,)`` in km, distances ``r``
an increasing array ``(n_r,)`` of non-negative km, ``labels`` one value per point (any type
numpy can compare), ``weights`` non-negative ``(n,)`` (employees, patents). A point is a
*neighbour* of another at distance ``r`` when their distance ``d_ij <= r``; a point is never its
own neighbour. Only pairs closer than the largest distance needed are ever formed (a
``scipy.spatial.cKDTree``), never all pairs; the kernels are compiled with numba and take a
batch of labellings of the same sites at once, which is how the envelopes reuse one set of
pairs for all their simulations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
from scipy.spatial import cKDTree

from innocluster.errors import InnoclusterError

__all__ = [
    "CORRECTIONS",
    "KDensity",
    "MFunction",
    "RipleyK",
    "RipleyL",
    "kd",
    "m_function",
    "ripley_k",
    "ripley_l",
]

#: The edge corrections of Ripley's K; the first is the default.
CORRECTIONS = ("isotropic", "border", "none")
#: Largest isotropic edge-correction weight (spatstat's ``maxweight``): caps the weight of pairs
#: whose circle lies almost entirely outside the window.
MAX_EDGE_WEIGHT = 100.0
#: The Gaussian kernel is summed over distances within this many bandwidths of ``r``: the terms
#: left out are below ``exp(-32) = 1.3e-14`` of the kernel's peak.
KERNEL_REACH = 8.0

_REF = np.int8(1)  # bit of a point of the reference type (cases)
_NBR = np.int8(2)  # bit of a point of the neighbour type (controls in a case-control design)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


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


@dataclass(frozen=True, eq=False)
class MFunction:
    """Marcon-Puech M at each distance.

    Attributes:
        r: distances, km, ``(n_r,)``.
        value: ``M(r)``, dimensionless, ``(n_r,)``; NaN where no reference point has a
            neighbour (a control, in the case-control form) within ``r``.
        theo: 1, the value when the points of interest are spread like all points.
        case_control: whether this is the case-control form.
        n_reference: number of reference points (cases).
    """

    r: np.ndarray
    value: np.ndarray
    theo: np.ndarray
    case_control: bool
    n_reference: int


# --------------------------------------------------------------------------------------------
# Validation


def _choice(fn: str, name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(f"'{a}'" for a in allowed)
        raise InnoclusterError(
            f"The '{name}' parameter of {fn} must be one of {options}; got {value!r}"
        )
    return value


def _distances(fn: str, r: Any) -> np.ndarray:
    try:
        arr = np.asarray(r, dtype=np.float64)
    except (TypeError, ValueError):
        raise InnoclusterError(
            f"The 'r' parameter of {fn} must be an array of distances in km; got {r!r}"
        ) from None
    arr = np.atleast_1d(arr)
    if (
        arr.ndim != 1
        or arr.size == 0
        or not np.all(np.isfinite(arr))
        or arr[0] < 0
        or np.any(np.diff(arr) <= 0)
        or arr[-1] <= 0
    ):
        raise InnoclusterError(
            f"The 'r' parameter of {fn} must be a non-empty, strictly increasing 1-D array of "
            f"finite distances >= 0 (km) with a positive largest value; got {_show(arr)}"
        )
    return arr


def _show(arr: np.ndarray) -> str:
    text = np.array2string(np.asarray(arr), threshold=6, edgeitems=2)
    return text.replace("\n", " ")


def _positions(fn: str, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    try:
        xa = np.asarray(x, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise InnoclusterError(f"{fn}: positions x and y must be numeric arrays (km)") from None
    if xa.ndim != 1 or ya.ndim != 1 or xa.shape != ya.shape:
        raise InnoclusterError(
            f"{fn}: positions x and y must be 1-D arrays of one length; "
            f"got shapes {xa.shape} and {ya.shape}"
        )
    if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya))):
        raise InnoclusterError(f"{fn}: positions x and y must be finite")
    return xa, ya


def _weights(fn: str, weights: Any, n: int) -> np.ndarray | None:
    if weights is None:
        return None
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError):
        raise InnoclusterError(f"{fn}: weights must be a numeric array") from None
    if w.shape != (n,):
        raise InnoclusterError(
            f"{fn}: weights must have shape ({n},), one per point; got {w.shape}"
        )
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InnoclusterError(f"{fn}: weights must be finite and >= 0")
    return w


def _types(
    fn: str,
    n: int,
    labels: Any,
    reference: Any,
    neighbor: Any,
    *,
    need_labels: bool,
) -> tuple[np.ndarray, bool]:
    """Bit codes per point (1: reference, 2: neighbour) and whether the measure is univariate."""
    if labels is None:
        if need_labels:
            raise InnoclusterError(f"{fn} needs 'labels' (one per point) and a 'reference' label")
        if reference is not None or neighbor is not None:
            raise InnoclusterError(f"{fn}: 'reference' and 'neighbor' need 'labels'")
        return np.full(n, _REF | _NBR, dtype=np.int8), True
    lab = np.asarray(labels)
    if lab.shape != (n,):
        raise InnoclusterError(
            f"{fn}: labels must have shape ({n},), one per point; got {lab.shape}"
        )
    if reference is None:
        raise InnoclusterError(f"{fn}: 'reference' (the label of interest) is missing")
    is_ref = lab == reference
    if not np.any(is_ref):
        raise InnoclusterError(f"{fn}: no point has the reference label {reference!r}")
    univariate = neighbor is None or neighbor == reference
    code = np.where(is_ref, _REF, np.int8(0)).astype(np.int8)
    if univariate:
        code[is_ref] |= _NBR
    else:
        is_nbr = lab == neighbor
        if not np.any(is_nbr):
            raise InnoclusterError(f"{fn}: no point has the neighbor label {neighbor!r}")
        code[is_nbr] |= _NBR
    return code, bool(univariate)


def _window(fn: str, window: Any, x: np.ndarray, y: np.ndarray) -> tuple[float, ...]:
    if window is None:
        if x.size == 0:
            raise InnoclusterError(f"{fn}: no points")
        win = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    else:
        try:
            win = tuple(float(v) for v in window)
        except (TypeError, ValueError):
            raise InnoclusterError(
                f"The 'window' parameter of {fn} must be (xmin, ymin, xmax, ymax) in km; "
                f"got {window!r}"
            ) from None
        if len(win) != 4:
            raise InnoclusterError(
                f"The 'window' parameter of {fn} must be (xmin, ymin, xmax, ymax) in km; "
                f"got {window!r}"
            )
    xmin, ymin, xmax, ymax = win
    if not (np.all(np.isfinite(win)) and xmax > xmin and ymax > ymin):
        raise InnoclusterError(
            f"The 'window' of {fn} must have xmin < xmax and ymin < ymax; got {win}"
        )
    outside = int(np.count_nonzero((x < xmin) | (x > xmax) | (y < ymin) | (y > ymax)))
    if outside:
        raise InnoclusterError(f"{fn}: {outside} points lie outside the window {win}")
    return win


# --------------------------------------------------------------------------------------------
# Pairs of points (never all pairs): unordered i < j within a cutoff, with their distance


def _pairs(
    x: np.ndarray, y: np.ndarray, cutoff: float, sort: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unordered pairs ``i < j`` with ``hypot(dx, dy) <= cutoff``: indices and distances.

    The tree is asked with a hair more than the cutoff and the distances recomputed with
    ``hypot``, so that ``d <= r`` is decided by the same arithmetic everywhere.
    """
    n = x.size
    idx = np.int32 if n < 2**31 - 1 else np.int64
    if n < 2:
        return np.empty(0, idx), np.empty(0, idx), np.empty(0)
    tree = cKDTree(np.column_stack([x, y]))
    pairs = tree.query_pairs(cutoff * (1.0 + 1e-9) + 1e-12, output_type="ndarray")
    i = pairs[:, 0].astype(idx)
    j = pairs[:, 1].astype(idx)
    del pairs
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    keep = d <= cutoff
    if not np.all(keep):
        i, j, d = i[keep], j[keep], d[keep]
    if sort:
        order = np.argsort(d)
        i, j, d = i[order], j[order], d[order]
    return i, j, d


def _bins(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Index of the first distance ``r_k >= d`` (the pair is a neighbour from ``r_k`` on)."""
    return np.searchsorted(r, d, side="left").astype(np.int32)


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


@numba.njit(cache=True, nogil=True)
def _m_batch(pbin, pi, pj, code, w, nr, case_control, univariate):
    """Marcon-Puech M for each labelling. Returns ``(b, n_r)``."""
    n_sim, n = code.shape
    npairs = pbin.size
    out = np.full((n_sim, nr), np.nan)
    for s in range(n_sim):
        c = code[s]
        ws = w[s]
        rows = np.full(n, -1, dtype=np.int64)
        nref = 0
        w_ref = 0.0
        w_nbr = 0.0
        w_all = 0.0
        for t in range(n):
            if c[t] & 1:
                rows[t] = nref
                nref += 1
                w_ref += ws[t]
            if c[t] & 2:
                w_nbr += ws[t]
            w_all += ws[t]
        interest = np.zeros((nref, nr))
        around = np.zeros((nref, nr))
        for p in range(npairs):
            k = pbin[p]
            if k >= nr:
                continue
            for side in range(2):
                if side == 0:
                    i = pi[p]
                    j = pj[p]
                else:
                    i = pj[p]
                    j = pi[p]
                if not (c[i] & 1):
                    continue
                row = rows[i]
                cj = c[j]
                if case_control:
                    if cj & 2:
                        around[row, k] += ws[j]
                    if cj & 1:
                        interest[row, k] += ws[j]
                else:
                    around[row, k] += ws[j]
                    if cj & 2:
                        interest[row, k] += ws[j]
        num = np.zeros(nr)
        den = np.zeros(nr)
        for t in range(n):
            row = rows[t]
            if row < 0:
                continue
            if case_control:
                g = (w_ref - ws[t]) / w_nbr if w_nbr > 0 else np.nan
            elif univariate:
                g = (w_ref - ws[t]) / (w_all - ws[t]) if w_all - ws[t] > 0 else np.nan
            else:
                g = w_nbr / (w_all - ws[t]) if w_all - ws[t] > 0 else np.nan
            cum_i = 0.0
            cum_a = 0.0
            for k in range(nr):
                cum_i += interest[row, k]
                cum_a += around[row, k]
                if cum_a > 0.0 and np.isfinite(g):
                    num[k] += cum_i / cum_a
                    den[k] += g
        for k in range(nr):
            if den[k] > 0.0:
                out[s, k] = num[k] / den[k]
    return out


# --------------------------------------------------------------------------------------------
# Ripley's isotropic edge correction for a rectangle


def _isotropic_weight(
    x: np.ndarray, y: np.ndarray, d: np.ndarray, window: tuple[float, ...]
) -> np.ndarray:
    """``1 / (share of the circle of radius d centred on (x, y) inside the window)``, capped.

    Each edge closer than ``d`` cuts an arc of half-angle ``acos(edge distance / d)``; the arcs
    of two adjacent edges overlap by ``a + b - pi/2`` when the corner lies inside the circle,
    and opposite arcs never overlap, so the outside angle is the sum of the arcs less the
    overlaps (Ripley 1977; the rectangle case of spatstat's ``edge.Ripley``).
    """
    xmin, ymin, xmax, ymax = window
    with np.errstate(divide="ignore", invalid="ignore"):
        dd = np.where(d > 0, d, 1.0)
        half = [
            np.arccos(np.clip(e / dd, 0.0, 1.0))
            for e in (x - xmin, xmax - x, y - ymin, ymax - y)  # left, right, bottom, top
        ]
    left, right, bottom, top = half
    half_pi = 0.5 * math.pi
    outside = 2.0 * (left + right + bottom + top)
    for a, b in ((left, bottom), (left, top), (right, bottom), (right, top)):
        outside -= np.maximum(a + b - half_pi, 0.0)
    inside = 1.0 - outside / (2.0 * math.pi)
    with np.errstate(divide="ignore"):
        weight = np.where(inside > 0, 1.0 / inside, np.inf)
    weight = np.minimum(weight, MAX_EDGE_WEIGHT)
    return np.where(d > 0, weight, 1.0)


def _border_bins(
    x: np.ndarray, y: np.ndarray, r: np.ndarray, window: tuple[float, ...]
) -> np.ndarray:
    """Number of distances ``r_k <= b_i``, ``b_i`` the distance of point i to the window's edge."""
    xmin, ymin, xmax, ymax = window
    b = np.minimum.reduce([x - xmin, xmax - x, y - ymin, ymax - y])
    return np.searchsorted(r, b, side="right").astype(np.int32)


# --------------------------------------------------------------------------------------------
# Prepared site sets: the pairs of a set of sites, reused for every labelling of the sites


class _KSites:
    """Sites prepared for Ripley's K: pairs within max(r), their distance bins, edge weights."""

    def __init__(self, x, y, r, window, correction):
        self.r = r
        self.window = window
        self.correction = correction
        self.mode = {"none": 0, "isotropic": 1, "border": 2}[correction]
        i, j, d = _pairs(x, y, float(r[-1]))
        self.pi, self.pj = i, j
        self.pbin = _bins(d, r)
        if self.mode == 1:
            self.eij = _isotropic_weight(x[i], y[i], d, window)
            self.eji = _isotropic_weight(x[j], y[j], d, window)
        else:
            self.eij = self.eji = np.empty(0)
        if self.mode == 2:
            self.kb = _border_bins(x, y, r, window)
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


class _KdSites:
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
        self.pi, self.pj, self.pd = _pairs(self.x, self.y, cutoff, sort=True)

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


class _MSites:
    """Sites prepared for M: pairs within max(r) and their distance bins."""

    def __init__(self, x, y, r, case_control, univariate):
        self.r = r
        self.case_control = case_control
        self.univariate = univariate
        i, j, d = _pairs(x, y, float(r[-1]))
        self.pi, self.pj = i, j
        self.pbin = _bins(d, r)

    def values(self, code: np.ndarray, w: np.ndarray) -> np.ndarray:
        return _m_batch(
            self.pbin, self.pi, self.pj, code, w, self.r.size, self.case_control, self.univariate
        )


# --------------------------------------------------------------------------------------------
# Public functions


def _k_inputs(fn, x, y, r, window, labels, reference, neighbor, correction):
    xa, ya = _positions(fn, x, y)
    ra = _distances(fn, r)
    correction = _choice(fn, "correction", correction, CORRECTIONS)
    win = _window(fn, window, xa, ya)
    code, univariate = _types(fn, xa.size, labels, reference, neighbor, need_labels=False)
    n_ref = int(np.count_nonzero(code & _REF))
    n_nbr = int(np.count_nonzero(code & _NBR))
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
        x, y: positions, km, ``(n,)``.
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
    xa, ya, ra, win, correction, code, _, n_ref, n_nbr = _k_inputs(
        fn, x, y, r, window, labels, reference, neighbor, correction
    )
    keep = code != 0
    sites = _KSites(xa[keep], ya[keep], ra, win, correction)
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


def _kd_inputs(fn, x, y, r, labels, reference, neighbor, weights, bandwidth, adjust, need_labels):
    xa, ya = _positions(fn, x, y)
    ra = _distances(fn, r)
    code, univariate = _types(fn, xa.size, labels, reference, neighbor, need_labels=need_labels)
    w = _weights(fn, weights, xa.size)
    if bandwidth is not None and not (np.isfinite(bandwidth) and bandwidth > 0):
        raise InnoclusterError(
            f"The 'bandwidth' parameter of {fn} must be a positive distance (km) or None; "
            f"got {bandwidth!r}"
        )
    if not (np.isfinite(adjust) and adjust > 0):
        raise InnoclusterError(f"The 'adjust' parameter of {fn} must be positive; got {adjust!r}")
    n_ref = int(np.count_nonzero(code & _REF))
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
        x, y: positions, km, ``(n,)``.
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
    xa, ya, ra, code, univariate, w = _kd_inputs(
        fn, x, y, r, labels, reference, neighbor, weights, bandwidth, adjust, need_labels=False
    )
    keep = code != 0
    weighted = w is not None
    wk = (w[keep] if weighted else np.ones(int(keep.sum())))[None, :]
    sites = _KdSites(xa[keep], ya[keep], ra, bandwidth, adjust, weighted, univariate)
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
    ref = (code & _REF) != 0
    nbr = (code & _NBR) != 0
    if univariate:
        s = wt[ref].sum()
        return float(0.5 * (s * s - np.dot(wt[ref], wt[ref])))
    return float(wt[ref].sum() * wt[nbr].sum())


def _m_inputs(fn, x, y, r, labels, reference, neighbor, weights, case_control):
    xa, ya = _positions(fn, x, y)
    ra = _distances(fn, r)
    code, univariate = _types(fn, xa.size, labels, reference, neighbor, need_labels=True)
    w = _weights(fn, weights, xa.size)
    if not isinstance(case_control, bool | np.bool_):
        raise InnoclusterError(
            f"The 'case_control' parameter of {fn} must be True or False; got {case_control!r}"
        )
    if case_control and univariate:
        raise InnoclusterError(
            f"{fn}: the case-control M needs 'neighbor', the label of the controls, different "
            "from 'reference' (the cases)"
        )
    wt = np.ones(xa.size) if w is None else w
    if case_control and wt[(code & _NBR) != 0].sum() <= 0:
        raise InnoclusterError(f"{fn}: the controls have no weight")
    if univariate and int(np.count_nonzero(code & _REF)) < 2:
        raise InnoclusterError(f"{fn} needs at least 2 reference points")
    return xa, ya, ra, code, univariate, wt, bool(case_control)


def m_function(
    x: np.ndarray,
    y: np.ndarray,
    r: np.ndarray,
    *,
    labels: np.ndarray,
    reference: Any,
    neighbor: Any = None,
    weights: np.ndarray | None = None,
    case_control: bool = False,
) -> MFunction:
    """Marcon-Puech M: the relative concentration of points of interest around reference points.

    For each reference point ``i``, the weight of neighbours of interest within ``r`` over the
    weight of all neighbours within ``r``, against the same ratio over the whole area, summed
    over reference points (univariate: the points of interest are the reference type ``S``)::

        M(r) = sum_i [ sum_{j != i, j in S, d_ij <= r} w_j / sum_{j != i, d_ij <= r} w_j ]
               / sum_i [ (W_S - w_i) / (W - w_i) ]

    with ``W_S`` the total weight of ``S`` and ``W`` of all points. Bivariate (``neighbor``:
    type ``T`` around reference points of type ``S``) the numerator counts ``j in T`` and the
    global ratio is ``W_T / (W - w_i)``. ``M = 1`` when the points of interest are spread like
    all points, ``> 1`` concentration. Reference points are not weighted; their neighbours are.

    Case-control (``case_control=True``, Marcon and Puech 2017; cases ``reference``, controls
    ``neighbor``; points of other labels are ignored)::

        M_cc(r) = sum_i [ sum_{j != i, case, d_ij <= r} w_j / sum_{j control, d_ij <= r} w_j ]
                  / sum_i [ (W_cases - w_i) / W_controls ]

    Reference points with no neighbour (no control, case-control) within ``r`` are left out of
    both sums, as in dbmss; ``M(r)`` is NaN if that leaves none.

    Args:
        x, y: positions, km, ``(n,)``.
        r: distances, km, increasing, ``(n_r,)``.
        labels: one label per point ``(n,)``.
        reference: the label of the reference points (the cases).
        neighbor: the label of the neighbours of interest (the controls, case-control);
            default ``reference`` (univariate).
        weights: ``(n,)``, non-negative (employees); default 1 per point.
        case_control: the case-control form.

    Returns:
        :class:`MFunction` with ``value (n_r,)``.

    References:
        Marcon, E. and Puech, F. (2010) Measures of the geographic concentration of industries:
        improving distance-based methods. *Journal of Economic Geography* 10(5), 745-762.
        doi:10.1093/jeg/lbp056.
        Marcon, E. and Puech, F. (2017) A typology of distance-based measures of spatial
        concentration. *Regional Science and Urban Economics* 62, 56-67.
        doi:10.1016/j.regsciurbeco.2016.10.004.
    """
    fn = "m_function"
    xa, ya, ra, code, univariate, wt, cc = _m_inputs(
        fn, x, y, r, labels, reference, neighbor, weights, case_control
    )
    keep = code != 0 if cc else np.ones(xa.size, dtype=bool)
    sites = _MSites(xa[keep], ya[keep], ra, cc, univariate)
    value = sites.values(code[keep][None, :], wt[keep][None, :])[0]
    n_ref = int(np.count_nonzero(code & _REF))
    return MFunction(ra, value, np.ones_like(ra), cc, n_ref)
