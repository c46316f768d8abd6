"""Knowledge stock and alliance stock: the two axes of a cluster's phase.

The knowledge stock is the perpetual inventory of patents (:func:`perpetual_inventory` of a
flow, :func:`patent_stock` of a patents table); the alliance stock counts the alliances active
in a year. Both work on the cluster tables (``patents``, ``alliances``) of a simulated run or of
real data, per organisation, per region or for the whole cluster. (The simulator's knowledge of
an organisation, tacit plus explicit, is another quantity of the same everyday name.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError

__all__ = ["perpetual_inventory", "patent_stock", "alliance_stock", "alliances_per_organisation"]

#: Annual depreciation of the knowledge stock, the usual R&D-capital rate (Hall 2005).
DEPRECIATION = 0.15


def perpetual_inventory(
    flows: np.ndarray, depreciation: float = DEPRECIATION, initial: np.ndarray | float = 0.0
) -> np.ndarray:
    """Perpetual inventory of a flow: ``S_t = (1 - d) S_{t-1} + P_t``.

    Args:
        flows: the flow ``P`` (patents, innovations) per period, shape ``(T,)`` or
            ``(T, units)``; time runs along axis 0.
        depreciation: ``d`` in ``[0, 1]``, per period.
        initial: the stock before the first period, ``S_{-1}``: a number or shape ``(units,)``.

    Returns:
        The stock after each period, the shape of ``flows``.

    References:
        Griliches, Z. (1979) Issues in assessing the contribution of research and development to
        productivity growth. *Bell Journal of Economics* 10(1), 92-116. doi:10.2307/3003321
        Hall, B. H. (2005) Measuring the returns to R&D: the depreciation problem. *Annales
        d'Economie et de Statistique* 79/80, 341-381. doi:10.2307/20777581
    """
    flows = np.asarray(flows, dtype=np.float64)
    if flows.ndim not in (1, 2):
        raise InnoclusterError(
            f"The 'flows' parameter of perpetual_inventory must be 1-D or 2-D; got {flows.ndim}-D"
        )
    if not 0.0 <= depreciation <= 1.0:
        raise InnoclusterError(
            "The 'depreciation' parameter of perpetual_inventory must be in [0, 1]; "
            f"got {depreciation}"
        )
    keep = 1.0 - depreciation
    from scipy.signal import lfilter  # imported on use: the simulator loads this module

    # lfilter runs y_t = x_t + keep * y_{t-1}; the initial stock enters as the filter state.
    state = keep * np.broadcast_to(np.asarray(initial, dtype=np.float64), flows.shape[1:])
    stock, _ = lfilter([1.0], [1.0, -keep], flows, axis=0, zi=state[np.newaxis, ...])
    return stock


def patent_stock(
    patents: pd.DataFrame,
    by: str | None = "region",
    years: Sequence[int] | None = None,
    depreciation: float = DEPRECIATION,
) -> pd.DataFrame:
    """Knowledge stock from a patents table, per year and per unit.

    Args:
        patents: the patents table (columns ``year`` and, if ``by`` is given, that column).
        by: ``"region"``, ``"org_id"``, ``"field"`` or another column of ``patents`` to split
            by; ``None`` for the whole cluster. For ``"region"`` the patents table needs a
            ``region`` column (join it from ``organizations`` first).
        years: the years to report; default every year from the first to the last patent.
            Patents outside them are ignored; years without patents count zero.
        depreciation: annual depreciation ``d``.

    Returns:
        A DataFrame indexed by year with one column per unit (one column ``"cluster"`` when
        ``by`` is ``None``): the stock at the end of each year.
    """
    missing = [c for c in ("year", by) if c is not None and c not in patents.columns]
    if missing:
        raise InnoclusterError(f"patent_stock: the patents table has no column {missing[0]}")
    if years is None:
        years = (
            range(int(patents["year"].min()), int(patents["year"].max()) + 1)
            if len(patents)
            else []
        )
    years = pd.Index(list(years), name="year")
    if by is None:
        counts = patents["year"].value_counts().reindex(years, fill_value=0).to_frame("cluster")
    else:
        counts = pd.crosstab(patents["year"], patents[by]).reindex(index=years, fill_value=0)
    stock = perpetual_inventory(counts.to_numpy(), depreciation)
    return pd.DataFrame(stock, index=years, columns=counts.columns.rename(by))


def alliance_stock(
    alliances: pd.DataFrame, years: Sequence[int], n_orgs: Sequence[int] | None = None
) -> pd.DataFrame:
    """Alliances active in each year, and the density of the alliance network.

    An alliance is active in year ``t`` if ``start <= t`` and it has not ended by then
    (``end`` null or ``end > t``).

    Args:
        alliances: the alliances table (``org_a``, ``org_b``, ``start``, ``end``).
        years: the years to report.
        n_orgs: organisations in each year, for the density ``2 A / (n (n - 1))``; omit it to
            leave density out.

    Returns:
        A DataFrame indexed by year with ``alliances`` (count), ``partners`` (organisations in
        at least one active alliance) and, with ``n_orgs``, ``density``.
    """
    years = np.asarray(list(years))
    start = alliances["start"].to_numpy(dtype=np.int64)
    end = alliances["end"].to_numpy(dtype=np.float64, na_value=np.inf)
    active = (start[None, :] <= years[:, None]) & (end[None, :] > years[:, None])  # (T, A)
    a = alliances["org_a"].to_numpy()
    b = alliances["org_b"].to_numpy()
    partners = [len(np.union1d(a[row], b[row])) for row in active]  # per year, not per agent
    out = pd.DataFrame(
        {"alliances": active.sum(axis=1), "partners": partners},
        index=pd.Index(years, name="year"),
    )
    if n_orgs is not None:
        n = np.asarray(list(n_orgs), dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["density"] = np.where(n > 1, 2.0 * out["alliances"] / (n * (n - 1)), 0.0)
    return out


def alliances_per_organisation(
    alliances: pd.DataFrame, year: int, org_ids: Sequence[int] | None = None
) -> pd.Series:
    """Alliances active in ``year`` for each organisation: its alliance stock (its degree).

    Args:
        alliances: the alliances table (``org_a``, ``org_b``, ``start``, ``end``).
        year: the year.
        org_ids: the organisations to report (default: those in an active alliance); the
            others count zero.

    Returns:
        A Series indexed by ``org_id``.
    """
    end = alliances["end"].to_numpy(dtype=np.float64, na_value=np.inf)
    active = (alliances["start"].to_numpy(dtype=np.int64) <= year) & (end > year)
    ends = np.concatenate(
        [alliances["org_a"].to_numpy()[active], alliances["org_b"].to_numpy()[active]]
    )
    counts = pd.Series(ends).value_counts().sort_index()
    if org_ids is not None:
        counts = counts.reindex(list(org_ids), fill_value=0)
    return counts.rename("alliances").rename_axis("org_id")
