"""Marcon and Puech's M: the relative concentration of points of interest around reference points.

:func:`m_function` compares, around each reference point, the weight of the neighbours of
interest within ``r`` with the weight of all neighbours within ``r``, against the same ratio over
the whole area: a zoning-free, *relative* measure of concentration (Marcon and Puech 2017 give
the typology), univariate, bivariate or case-control. This is the M of the R package ``dbmss``
(Marcon, Traissac, Puech and Lang 2015); ``docs/measures-distance.md`` lists every place where
innocluster deliberately differs. The conventions on positions, distances and labels, the checks
and the pairs are shared with the other distance-based measures, in
:mod:`innocluster.measures._points`.

The compiled kernel takes a batch of labellings of the same sites at once: :class:`MSites` and
:func:`m_inputs` are also what :mod:`innocluster.measures.envelopes` uses to reuse one set of
pairs for all its simulations.
"""

from __future__ import annotations

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
    distance_bins,
    pairs_within,
    point_types,
)

__all__ = ["MFunction", "m_function"]


# --------------------------------------------------------------------------------------------
# Results


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
# Compiled kernel: a batch of labellings (rows of `code` and `w`) of the same sites


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
# Prepared sites: the pairs of a set of sites, reused for every labelling of the sites


class MSites:
    """Sites prepared for M: pairs within max(r) and their distance bins."""

    def __init__(self, x, y, r, case_control, univariate):
        self.r = r
        self.case_control = case_control
        self.univariate = univariate
        i, j, d = pairs_within(x, y, float(r[-1]))
        self.pi, self.pj = i, j
        self.pbin = distance_bins(d, r)

    def values(self, code: np.ndarray, w: np.ndarray) -> np.ndarray:
        return _m_batch(
            self.pbin, self.pi, self.pj, code, w, self.r.size, self.case_control, self.univariate
        )


# --------------------------------------------------------------------------------------------
# Public functions


def m_inputs(fn, x, y, r, labels, reference, neighbor, weights, case_control):
    """Checked inputs of M: ``x, y, r, code, univariate, weights, case_control``."""
    xa, ya = checked_positions(fn, x, y)
    ra = checked_distances(fn, r)
    code, univariate = point_types(fn, xa.size, labels, reference, neighbor, need_labels=True)
    w = checked_weights(fn, weights, xa.size)
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
    if case_control and wt[(code & NBR) != 0].sum() <= 0:
        raise InnoclusterError(f"{fn}: the controls have no weight")
    if univariate and int(np.count_nonzero(code & REF)) < 2:
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
        x: abscissae of the points, km, ``(n,)``.
        y: ordinates of the points, km, ``(n,)``.
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
    xa, ya, ra, code, univariate, wt, cc = m_inputs(
        fn, x, y, r, labels, reference, neighbor, weights, case_control
    )
    keep = code != 0 if cc else np.ones(xa.size, dtype=bool)
    sites = MSites(xa[keep], ya[keep], ra, cc, univariate)
    value = sites.values(code[keep][None, :], wt[keep][None, :])[0]
    n_ref = int(np.count_nonzero(code & REF))
    return MFunction(ra, value, np.ones_like(ra), cc, n_ref)
