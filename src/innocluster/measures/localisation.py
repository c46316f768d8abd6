"""The localisation of knowledge flows: patent citations against matched controls (JTH 1993).

Jaffe, Trajtenberg and Henderson (1993) ask whether a patent's citations come from near it more
often than the geography of innovation alone would make them. For every citation they draw a
*control* patent: one of the same technology field and year as the citing patent that does not
cite the cited patent. The citations' share of pairs in the same region as the cited patent
is compared with the controls' share; with the same field and year, the control has the same
opportunity to be near the cited patent, so an excess of the citations is localisation of the
flow itself, not of the industry. :func:`citation_localisation` gives, for the same region and
for each distance ``d`` (km) the user names:

    share_cite    = 1/n sum_k 1[citing_k near cited_k]
    share_control = 1/n sum_k 1[control_k near cited_k]
    ratio         = share_cite / share_control

over the ``n`` citations that have a control, with 95% bootstrap intervals over citations.
Self-citations (citing and cited patent of one organisation) are excluded by default, as JTH
report both, and counted. The bootstrap resamples whole citations, i.e. the pair of
indicators ``(citing near, control near)``: since that pair takes four values, a resample of
``n`` citations is a multinomial draw of the four counts, which is exact and costs nothing per
citation (the test on 10 million citations is one pass over them).

Controls are drawn at random from the field-year cell of each citing patent, never the citing
or the cited patent itself and never one that cites the cited patent (redrawn up to
:data:`REDRAWS` times); a citation whose cell offers no such patent has no control and is left
out of both shares (``no_control`` counts them).

Thompson and Fox-Kean (2005) showed that coarse technology classes overstate localisation:
pass the finest field the data have. The distance-based version (Murata et al. 2014) compares
the distance distributions of citations and controls: the rows for several ``distances`` are
that comparison at those distances.

References:
    Jaffe, A. B., M. Trajtenberg and R. Henderson (1993). Geographic localization of knowledge
    spillovers as evidenced by patent citations. Quarterly Journal of Economics 108(3),
    577-598.

    Thompson, P. and M. Fox-Kean (2005). Patent citations and the geography of knowledge
    spillovers: a reassessment. American Economic Review 95(1), 450-460.

    Murata, Y., R. Nakajima, R. Okamoto and R. Tamura (2014). Localized knowledge spillovers
    and patent citations: a distance-based approach. Review of Economics and Statistics 96(5),
    967-985.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError
from innocluster.measures._seeds import Seed, as_generator

__all__ = ["REDRAWS", "citation_localisation"]

#: Times a control that is the citing or cited patent, or cites the cited one, is drawn again.
REDRAWS = 20

_PATENT_COLUMNS = ("patent_id", "org_id", "year", "field", "x", "y")


def citation_localisation(
    citations: pd.DataFrame,
    patents: pd.DataFrame,
    distances: Sequence[float] = (),
    *,
    self_citations: bool = False,
    boot: int = 1000,
    seed: Seed = 0,
) -> pd.DataFrame:
    """Localisation of citations against field-year matched controls (see the module docstring).

    Args:
        citations: one row per citation, columns ``citing`` and ``cited`` (patent ids, both in
            ``patents``; a citation of a patent outside the data cannot be placed and must be
            dropped first).
        patents: one row per patent: ``patent_id`` (unique), ``org_id``, ``year``, ``field``,
            ``x``, ``y`` (km) and, for the same-region row, ``region`` (any hashable code).
        distances: distances ``d`` in km; one row each, "within ``d`` km".
        self_citations: keep citations between patents of one organisation (default: drop
            them, and count them in ``self_citations``).
        boot: bootstrap resamples of the citations for the intervals (0: none).
        seed: the seed of the controls and the bootstrap.

    Returns:
        One row per comparison (``same region`` when ``patents`` has ``region``, then
        ``within D km``): ``comparison``, ``citations`` (with a control), ``share_cite``,
        ``share_control``, ``ratio``, ``share_cite_low``/``_high``, ``share_control_low``/
        ``_high``, ``ratio_low``/``_high`` (2.5% and 97.5% bootstrap quantiles; NaN without
        bootstrap), ``self_citations`` (dropped, or kept when ``self_citations``) and
        ``no_control``.

    Raises:
        InnoclusterError: a missing column, a duplicate patent id, a citation naming a patent
            not in ``patents``, a negative distance, no comparison asked for.
    """
    _check(citations, patents, distances, boot)
    rng = as_generator(seed, "citation_localisation")
    ids = patents["patent_id"].to_numpy(dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    row_of = _rows(ids, order)
    citing = row_of(citations["citing"].to_numpy(dtype=np.int64), "citing")
    cited = row_of(citations["cited"].to_numpy(dtype=np.int64), "cited")

    # Every citation of the data, as one int64 key, to keep controls that cite the cited patent out.
    cites = np.sort(citing * len(ids) + cited)
    org = patents["org_id"].to_numpy()
    own = org[citing] == org[cited]
    n_self = int(own.sum())
    if not self_citations:
        citing, cited = citing[~own], cited[~own]

    control = _controls(patents, citing, cited, cites, rng)
    has = control >= 0
    citing, cited, control = citing[has], cited[has], control[has]

    x = patents["x"].to_numpy(dtype=float)
    y = patents["y"].to_numpy(dtype=float)
    tests: list[tuple[str, np.ndarray, np.ndarray]] = []
    if "region" in patents.columns:
        region = pd.factorize(patents["region"])[0]
        tests.append(("same region", region[citing] == region[cited],
                      region[control] == region[cited]))  # fmt: skip
    cite_d = np.hypot(x[citing] - x[cited], y[citing] - y[cited])
    control_d = np.hypot(x[control] - x[cited], y[control] - y[cited])
    for d in distances:
        tests.append((f"within {d:g} km", cite_d <= d, control_d <= d))

    rows = []
    for name, near_cite, near_control in tests:
        row = {"comparison": name, **_shares(near_cite, near_control, boot, rng)}
        row.update(self_citations=n_self, no_control=int((~has).sum()))
        rows.append(row)
    return pd.DataFrame(rows)


def _check(citations, patents, distances, boot) -> None:
    for column in ("citing", "cited"):
        if column not in citations.columns:
            raise InnoclusterError(f"citations: missing column '{column}'")
    for column in _PATENT_COLUMNS:
        if column not in patents.columns:
            raise InnoclusterError(f"patents: missing column '{column}'")
    if patents["patent_id"].duplicated().any():
        first = patents.loc[patents["patent_id"].duplicated(), "patent_id"].iloc[0]
        raise InnoclusterError(f"patents: patent_id {first} appears more than once")
    if any(d < 0 for d in distances):
        raise InnoclusterError(f"distances: expected non-negative km, got {list(distances)}")
    if "region" not in patents.columns and not len(distances):
        raise InnoclusterError(
            "citation_localisation: nothing to compare; give patents a 'region' column or "
            "name distances"
        )
    if boot < 0:
        raise InnoclusterError(f"boot: expected >= 0 resamples, got {boot}")


def _rows(ids: np.ndarray, order: np.ndarray):
    sorted_ids = ids[order]

    def row_of(wanted: np.ndarray, column: str) -> np.ndarray:
        at = np.searchsorted(sorted_ids, wanted)
        at = np.minimum(at, len(sorted_ids) - 1)
        found = sorted_ids[at] == wanted if len(sorted_ids) else np.zeros(len(wanted), bool)
        if not found.all():
            missing = wanted[~found][0]
            raise InnoclusterError(
                f"citations: {column} patent {missing} is not in the patents table "
                f"({int((~found).sum())} such rows); drop citations of patents outside the data"
            )
        return order[at]

    return row_of


def _controls(
    patents: pd.DataFrame,
    citing: np.ndarray,
    cited: np.ndarray,
    cites: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """A control patent (row) per citation from the citing patent's field-year cell; -1: none.

    ``cites`` holds ``citing_row * n_patents + cited_row`` of every citation in the data, sorted
    (membership by binary search: no set is built, however many citations).
    """
    n_pat = len(patents)
    cell = pd.MultiIndex.from_arrays([patents["field"], patents["year"]]).factorize()[0]
    by_cell = np.argsort(cell, kind="stable")  # patent rows grouped by cell
    counts = np.bincount(cell)
    start = np.concatenate(([0], np.cumsum(counts)[:-1]))
    c = cell[citing]
    size, first = counts[c], start[c]
    control = np.full(len(citing), -1, dtype=np.int64)
    todo = np.flatnonzero(size > 1)
    for _ in range(REDRAWS + 1):
        if not len(todo):
            break
        draw = by_cell[first[todo] + (rng.random(len(todo)) * size[todo]).astype(np.int64)]
        key = draw * n_pat + cited[todo]
        at = np.minimum(np.searchsorted(cites, key), len(cites) - 1)
        known = cites[at] == key  # the control cites the cited patent
        ok = (draw != citing[todo]) & (draw != cited[todo]) & ~known
        control[todo[ok]] = draw[ok]
        todo = todo[~ok]
    return control


_SHARES = ("share_cite", "share_control", "ratio")


def _shares(near_cite: np.ndarray, near_control: np.ndarray, boot: int, rng) -> dict:
    n = len(near_cite)
    nan = float("nan")
    out = {"citations": n, **{k: nan for k in _SHARES}}
    out.update({f"{k}_{end}": nan for k in _SHARES for end in ("low", "high")})
    if n == 0:
        return out
    # The four kinds of citation: (citing near, control near) = (0,0), (0,1), (1,0), (1,1).
    kinds = np.bincount(near_cite.astype(np.int64) * 2 + near_control.astype(np.int64),
                        minlength=4)  # fmt: skip
    cite, control = (kinds[2] + kinds[3]) / n, (kinds[1] + kinds[3]) / n
    out.update(share_cite=cite, share_control=control,
               ratio=cite / control if control > 0 else nan)  # fmt: skip
    if boot:
        draws = rng.multinomial(n, kinds / n, size=boot)
        c = (draws[:, 2] + draws[:, 3]) / n
        k = (draws[:, 1] + draws[:, 3]) / n
        r = np.divide(c, k, out=np.full(boot, np.nan), where=k > 0)
        for name, values in zip(_SHARES, (c, k, r), strict=True):
            finite = values[np.isfinite(values)]
            if len(finite):
                low, high = np.quantile(finite, [0.025, 0.975])
                out[f"{name}_low"], out[f"{name}_high"] = float(low), float(high)
    return out
