"""Moments of a cluster for the method of simulated moments: one pure function each.

Every function reads cluster tables (or the firm panel of :mod:`innocluster.estimate.panel`) and
an inclusive window of years ``first..last`` (``None`` for an open end), so that the same numbers
can be computed on a simulated run and on real data. A moment is named in a targets file as
``NAME`` or ``NAME@A-B`` (years A to B) or ``NAME@A`` (year A); :func:`parse_moment` reads the
name and :func:`compute` evaluates it on a run.

- ``kpf_rd_elasticity`` (dimensionless; all years): the R&D elasticity of a pooled Poisson KPF
  of patents per firm-year on log R&D with year effects (:func:`kpf_rd_elasticity`);
- ``kpf_pool_elasticity`` (dimensionless; all years): the spillover-pool elasticity of a
  fixed-effects Poisson KPF of patents on log R&D and the log local pool with year effects,
  Cincera's (1997) within-firm specification (:func:`kpf_pool_elasticity`);
- ``entry_rate`` (1/year; all years): producers entering per producer alive at the start of the
  year (:func:`entry_rate`);
- ``exit_rate`` (1/year; all years): producers exiting per producer alive at the start of the
  year (:func:`exit_rate`);
- ``shakeout_fall`` (in [0, 1]; all years): the fall of the number of producers from its peak
  in the window (:func:`shakeout_fall`; Klepper and Simons 2000);
- ``job_reallocation`` (1/year; all years): gross job creation plus destruction among the
  producers, over their mean employment, mean over the years of the window
  (:func:`job_reallocation`; Davis, Haltiwanger and Schuh 1996);
- ``creation_persistence``, ``destruction_persistence`` (in [0, 1]; all years): the share of
  the jobs created (lost) in a year that are still filled (lost) a year later
  (:func:`job_persistence`; Davis and Haltiwanger 1992);
- ``size_tail`` (dimensionless; the last year): the Hill exponent of the upper tail of the
  employment of the producers alive at the end of the table (:func:`size_tail`; Axtell 2001);
- ``patent_gini`` (in [0, 1); all years): the locational Gini of the patents filed in the window
  over the ``R x R`` regions (:func:`patent_gini`);
- ``alliance_density`` (dimensionless; last year): active alliances per possible pair of live
  organisations, mean over the window (:func:`alliance_density`);
- ``indicator:COLUMN`` (the column's unit; last year): a column of the indicators table, mean
  over the window (:func:`indicator`).

References:
    Griliches, Z. (1979). Issues in assessing the contribution of research and development to
    productivity growth. Bell Journal of Economics 10(1), 92-116.

    Krugman, P. (1991). Geography and Trade. MIT Press (the locational Gini).

    Davis, S. J. and J. C. Haltiwanger (1992). Gross job creation, gross job destruction, and
    employment reallocation. Quarterly Journal of Economics 107(3), 819-863.

    Davis, S. J., J. C. Haltiwanger and S. Schuh (1996). Job Creation and Destruction. MIT
    Press.

    Axtell, R. L. (2001). Zipf distribution of U.S. firm sizes. Science 293, 1818-1820.

    Klepper, S. and K. L. Simons (2000). The making of an oligopoly: firm survival and
    technological change in the evolution of the U.S. tire industry. Journal of Political
    Economy 108(4), 728-760.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError
from innocluster.measures import gini
from innocluster.measures.inequality import pareto_tail
from innocluster.measures.lifecycle import shakeout
from innocluster.models.cluster.state import region_of
from innocluster.tables import PRODUCERS

__all__ = [
    "MOMENTS",
    "Moment",
    "alliance_density",
    "compute",
    "entry_rate",
    "exit_rate",
    "shakeout_fall",
    "size_tail",
    "indicator",
    "job_persistence",
    "job_reallocation",
    "kpf_pool_elasticity",
    "kpf_rd_elasticity",
    "parse_moment",
    "patent_gini",
]

#: The moment names (besides ``indicator:COLUMN``).
MOMENTS = (
    "kpf_rd_elasticity",
    "kpf_pool_elasticity",
    "entry_rate",
    "exit_rate",
    "shakeout_fall",
    "size_tail",
    "job_reallocation",
    "creation_persistence",
    "destruction_persistence",
    "patent_gini",
    "alliance_density",
)

_NAME = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)?)"
                   r"(?:@(?P<first>\d+)(?:-(?P<last>\d+))?)?$")  # fmt: skip


def _window(years: pd.Series, first: int | None, last: int | None) -> pd.Series:
    keep = pd.Series(True, index=years.index)
    if first is not None:
        keep &= years >= first
    if last is not None:
        keep &= years <= last
    return keep


def kpf_rd_elasticity(
    panel: pd.DataFrame, first: int | None = None, last: int | None = None
) -> float:
    """The R&D elasticity of a pooled Poisson knowledge production function, dimensionless.

    ``E[patents_it] = exp(b log(rd_it) + year effect_t)`` fitted by Poisson pseudo-maximum
    likelihood (:func:`innocluster.estimate.kpf`) on the firm-years of firms and leaders with
    positive R&D in the window; returns ``b``. It is the regression an analyst runs on a real
    patent-R&D panel (Griliches 1979), and in calibration it is an auxiliary statistic (indirect
    inference): it need not equal the simulator's ``research.beta`` (it does not: knowledge
    feeds back, see ``docs/estimation.md``), only move with it. NaN when there are fewer than
    two such firms or no patent.

    Args:
        panel: a firm panel with columns ``org_id``, ``year``, ``kind``, ``rd`` (MU) and
            ``patents`` (counts), one row per organisation and year.
        first: the first year to use, inclusive (``None``: no lower bound).
        last: the last year to use, inclusive (``None``: no upper bound).
    """
    return _producer_kpf(panel, first, last, {"log_rd": "rd"}, "log_rd")


def kpf_pool_elasticity(
    panel: pd.DataFrame, first: int | None = None, last: int | None = None
) -> float:
    """The spillover-pool elasticity of a fixed-effects Poisson KPF, dimensionless.

    ``E[patents_it] = exp(a_i + b log(rd_it) + c log(spillover_pool_it) + year effect_t)``
    fitted by the conditional (fixed-effects) Poisson of :func:`innocluster.estimate.kpf` on
    the firm-years of firms and leaders with positive R&D and a positive pool in the window;
    returns ``c``. It is the within-firm specification of Cincera (1997) that
    ``docs/estimation.md`` fits to the Cincera panel (0.275, s.e. 0.355), here on the local
    pool of :mod:`innocluster.estimate.panel`. NaN when the fit is not possible.

    Args:
        panel: a firm panel with columns ``org_id``, ``year``, ``kind``, ``rd`` (MU),
            ``spillover_pool`` (units) and ``patents`` (counts).
        first: the first year to use, inclusive (``None``: no lower bound).
        last: the last year to use, inclusive (``None``: no upper bound).
    """
    logs = {"log_rd": "rd", "log_pool": "spillover_pool"}
    return _producer_kpf(panel, first, last, logs, "log_pool", model="fe-poisson")


def _producer_kpf(panel, first, last, logs: dict[str, str], term: str, **options) -> float:
    # The coefficient `term` of a KPF of patents on the logs of panel columns (`logs`: regressor
    # name -> column), firms and leaders with every column positive in the window, year effects
    # when there are several years; NaN when there is too little to fit or the fit fails.
    from innocluster.estimate.kpf import kpf

    keep = _window(panel["year"], first, last) & panel["kind"].isin(PRODUCERS)
    for column in logs.values():
        keep &= panel[column] > 0
    rows = panel[keep]
    if rows["org_id"].nunique() < 2 or rows["patents"].sum() == 0:
        return float("nan")
    data = pd.DataFrame(
        {
            "org_id": rows["org_id"].to_numpy(),
            "year": rows["year"].to_numpy(),
            "patents": rows["patents"].to_numpy(),
            **{name: np.log(rows[column].to_numpy()) for name, column in logs.items()},
        }
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = kpf(data, "patents", list(logs), panel="org_id", time="year",
                      year_effects=data["year"].nunique() > 1, **options)  # fmt: skip
    except InnoclusterError:
        return float("nan")
    return float(fit.params[term])


def _producer_years(
    organizations: pd.DataFrame, first: int, last: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # For each producer, the years it was alive at the start of, it entered in, it exited in.
    prod = organizations[organizations["kind"].isin(PRODUCERS)]
    born = prod["born"].to_numpy(dtype=np.int64)
    exited = prod["exited"].to_numpy(dtype=float)
    exited = np.where(np.isnan(exited), np.inf, exited)
    years = np.arange(first, last + 1)
    at_start = (born[:, None] < years) & (exited[:, None] >= years)
    return (
        at_start.sum(axis=0),
        (born[:, None] == years).sum(axis=0),
        (exited[:, None] == years).sum(axis=0),
    )


def _years(organizations: pd.DataFrame, first: int | None, last: int | None) -> tuple[int, int]:
    exited = organizations["exited"].dropna()
    end = int(max(organizations["born"].max(), exited.max() if len(exited) else 0))
    return (1 if first is None else first), (end if last is None else last)


def entry_rate(
    organizations: pd.DataFrame, first: int | None = None, last: int | None = None
) -> float:
    """Entry rate of producers, entrants per producer-year (1/year).

    ``sum_t E_t / sum_t N_t`` over the years of the window, with ``E_t`` the firms and leaders
    born in year ``t`` (outside entrants, spin-offs, anchors, foreign leaders) and ``N_t`` those
    alive at the start of year ``t`` (born before ``t``, not exited before ``t``). Default
    window: year 1 to the last year in the table. NaN when no producer is at risk.

    Args:
        organizations: the organizations table (``kind``, ``born``, ``exited``).
        first: the first year, inclusive (``None``: year 1).
        last: the last year, inclusive (``None``: the last year in the table).
    """
    at_risk, entered, _ = _producer_years(organizations, *_years(organizations, first, last))
    return float(entered.sum() / at_risk.sum()) if at_risk.sum() else float("nan")


def exit_rate(
    organizations: pd.DataFrame, first: int | None = None, last: int | None = None
) -> float:
    """Exit rate of producers, exits per producer-year (1/year).

    ``sum_t X_t / sum_t N_t``, with ``X_t`` the firms and leaders that exited in year ``t`` and
    ``N_t`` as in :func:`entry_rate` (an entrant of year ``t`` that exits in ``t`` counts in
    ``X_t`` but not in ``N_t``). NaN when no producer is at risk.

    Args:
        organizations: the organizations table (``kind``, ``born``, ``exited``).
        first: the first year, inclusive (``None``: year 1).
        last: the last year, inclusive (``None``: the last year in the table).
    """
    at_risk, _, exited = _producer_years(organizations, *_years(organizations, first, last))
    return float(exited.sum() / at_risk.sum()) if at_risk.sum() else float("nan")


def shakeout_fall(
    organizations: pd.DataFrame, first: int | None = None, last: int | None = None
) -> float:
    """Fall of the number of producers from its peak in the window, in [0, 1].

    ``1 - min(N_t, t >= peak) / N_peak`` with ``N_t`` the firms and leaders alive at the end of
    year ``t`` (born by ``t``, not exited by ``t``), as
    :func:`innocluster.measures.lifecycle.shakeout` measures it; Klepper and Simons (2000) count
    falls of 83-97% in autos, tyres, television receivers and penicillin. NaN without producers.

    Args:
        organizations: the organizations table (``kind``, ``born``, ``exited``).
        first: the first year, inclusive (``None``: year 1).
        last: the last year, inclusive (``None``: the last year in the table).
    """
    at_start, entered, exited = _producer_years(organizations, *_years(organizations, first, last))
    return shakeout(at_start + entered - exited)[1]


def size_tail(organizations: pd.DataFrame, top: float = 0.1) -> float:
    """Hill exponent of the upper tail of producers' employment at the end of the table.

    The employees of the firms and leaders still alive (no exit year), their largest ``top``
    share as the tail (:func:`innocluster.measures.pareto_tail`); Axtell (2001) finds 1.06 for
    US firms. It reads the organizations table's ``employees``, which is the last year's for a
    live organisation, so it has no window. NaN with too few producers.

    Args:
        organizations: the organizations table (``kind``, ``exited``, ``employees``).
        top: the share of the largest producers that forms the tail.
    """
    prod = organizations[organizations["kind"].isin(PRODUCERS)]
    alive = prod["exited"].isna() | (prod["exited"] < 0)
    return pareto_tail(prod.loc[alive, "employees"].to_numpy(dtype=float), top)


def _employment(panel: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    # Producers' employment, (organisations, years), 0 in a year an organisation is absent.
    rows = panel[panel["kind"].isin(PRODUCERS)]
    first = int(panel["year"].min())
    years = np.arange(first, int(panel["year"].max()) + 1)
    org = pd.factorize(rows["org_id"])[0]
    cell = org * len(years) + (rows["year"].to_numpy(dtype=np.int64) - first)
    n_orgs = int(org.max()) + 1 if len(org) else 0
    flat = np.bincount(cell, weights=rows["employees"].to_numpy(dtype=float),
                       minlength=n_orgs * len(years))  # fmt: skip
    return years, flat.reshape(n_orgs, len(years))


def job_reallocation(
    panel: pd.DataFrame, first: int | None = None, last: int | None = None
) -> float:
    """Gross job reallocation among the producers, jobs per job per year (1/year).

    For each year ``t`` of the window with a year before it in the panel::

        r_t = sum_i |E_it - E_i,t-1| / ((sum_i E_i,t-1 + sum_i E_it) / 2)

    over the firms and leaders, with ``E = 0`` in a year a producer is not in the panel (so
    entries count as job creation and exits as destruction), as Davis, Haltiwanger and Schuh
    (1996) measure it on US manufacturing plants (19.4% a year in 1973-1988); returns the mean
    of ``r_t``. NaN when the window has no such year or no employment.

    Args:
        panel: a firm panel with columns ``org_id``, ``year``, ``kind`` and ``employees``
            (persons), one row per organisation and year (:mod:`innocluster.estimate.panel`).
        first: the first year ``t``, inclusive (``None``: the panel's second year).
        last: the last year ``t``, inclusive (``None``: the panel's last year).
    """
    years, employment = _employment(panel)
    change = np.abs(np.diff(employment, axis=1)).sum(axis=0)
    mean = (employment[:, :-1].sum(axis=0) + employment[:, 1:].sum(axis=0)) / 2.0
    keep = _window(pd.Series(years[1:]), first, last).to_numpy() & (mean > 0)
    return float(np.mean(change[keep] / mean[keep])) if keep.any() else float("nan")


def job_persistence(
    panel: pd.DataFrame, kind: str = "creation", first: int | None = None, last: int | None = None
) -> float:
    """One-year persistence of job creation or destruction among the producers, in [0, 1].

    The share of the jobs created in year ``t`` (at producers that grew from ``t-1`` to ``t``)
    that are still filled in ``t+1``, ``max(min(E_t, E_t+1) - E_t-1, 0)`` per producer; for
    destruction, the share of the jobs lost in ``t`` still lost in ``t+1``,
    ``max(E_t-1 - max(E_t, E_t+1), 0)``. Summed over the producers and the years ``t`` of the
    window that have a year before and after them in the panel, over the jobs created (lost).
    Davis and Haltiwanger (1992) measure 68% for creation and 81% for destruction on US
    manufacturing plants, 1972-1986: growth that persists is growth a firm chose, growth that
    reverses is a shock. NaN when nothing was created (lost).

    Args:
        panel: a firm panel (``org_id``, ``year``, ``kind``, ``employees``).
        kind: ``"creation"`` or ``"destruction"``.
        first: the first year ``t``, inclusive (``None``: the panel's second year).
        last: the last year ``t``, inclusive (``None``: the panel's last year but one).
    """
    years, e = _employment(panel)
    before, now, after = e[:, :-2], e[:, 1:-1], e[:, 2:]
    if kind == "creation":
        flow = np.maximum(now - before, 0.0)
        kept = np.maximum(np.minimum(now, after) - before, 0.0)
    elif kind == "destruction":
        flow = np.maximum(before - now, 0.0)
        kept = np.maximum(before - np.maximum(now, after), 0.0)
    else:
        raise InnoclusterError(f"kind: expected 'creation' or 'destruction', got {kind!r}")
    keep = _window(pd.Series(years[1:-1]), first, last).to_numpy()
    total = flow[:, keep].sum()
    return float(kept[:, keep].sum() / total) if total > 0 else float("nan")


def patent_gini(
    patents: pd.DataFrame,
    L: float,
    R: int,
    first: int | None = None,
    last: int | None = None,
) -> float:
    """Locational Gini of patents over the ``R x R`` regions, in ``[0, 1)`` (Krugman 1991).

    The patents filed in the window are counted by the region of the place they were filed at
    (their ``x``, ``y``: where the invention was made), all ``R * R`` regions of the ``L`` km
    square included (empty ones count as zero), and
    :func:`innocluster.measures.inequality.gini` is taken of the counts: the indicator
    ``gini_patents_regions`` over a window of years instead of one. NaN when no patent was
    filed in the window.

    Args:
        patents: the patents table (``year``, ``x``, ``y`` in km).
        L: side of the square, km.
        R: regions per side.
        first: the first year of filing, inclusive (``None``: no lower bound).
        last: the last year of filing, inclusive (``None``: no upper bound).
    """
    filed = patents[_window(patents["year"], first, last)]
    if len(filed) == 0:
        return float("nan")
    region = region_of(filed["x"].to_numpy(float), filed["y"].to_numpy(float), L, R)
    return gini(np.bincount(region, minlength=R * R))


def alliance_density(
    alliances: pd.DataFrame,
    organizations: pd.DataFrame,
    first: int | None = None,
    last: int | None = None,
) -> float:
    """Alliance density, mean over the years of the window: ``2 A_t / (n_t (n_t - 1))``.

    ``A_t`` counts the alliances active at the end of year ``t`` (started by ``t``, not ended by
    ``t``), ``n_t`` the organisations alive at the end of year ``t`` (every kind). Default
    window: the last year in the organizations table only (the ``alliance_density`` indicator of
    the last step). A year with fewer than two organisations has density 0.

    Args:
        alliances: the alliances table (``start``, ``end``).
        organizations: the organizations table (``born``, ``exited``).
        first: the first year, inclusive (``None``: ``last``, a window of one year).
        last: the last year, inclusive (``None``: the last year in the organizations table).
    """
    end_year = _years(organizations, None, None)[1]
    last = end_year if last is None else last
    first = last if first is None else first
    years = np.arange(first, last + 1)
    born = organizations["born"].to_numpy(dtype=np.int64)
    exited = organizations["exited"].to_numpy(dtype=float)
    alive = ((born[:, None] <= years) & ~(exited[:, None] <= years)).sum(axis=0)
    start = alliances["start"].to_numpy(dtype=np.int64)
    end = alliances["end"].to_numpy(dtype=float)
    active = ((start[:, None] <= years) & ~(end[:, None] <= years)).sum(axis=0)
    pairs = alive * (alive - 1) / 2.0
    density = np.divide(active, pairs, out=np.zeros(len(years)), where=pairs > 0)
    return float(density.mean())


def indicator(
    indicators: pd.DataFrame, column: str, first: int | None = None, last: int | None = None
) -> float:
    """An indicators column (in its own unit), mean over the steps of the window.

    Default window: the last step only. Missing values (a measure undefined in a year) are left
    out of the mean; NaN if all are missing.

    Raises:
        InnoclusterError: there is no such numeric column.
    """
    if column not in indicators.columns or not pd.api.types.is_numeric_dtype(indicators[column]):
        numeric = [c for c in indicators.columns if pd.api.types.is_numeric_dtype(indicators[c])]
        raise InnoclusterError(
            f"indicator '{column}': expected a numeric indicators column: {', '.join(numeric)}"
        )
    steps = indicators["step"]
    last_step = int(steps.max())
    last = last_step if last is None else last
    first = last if first is None else first
    values = indicators.loc[_window(steps, first, last), column].astype(float)
    return float(values.mean()) if values.notna().any() else float("nan")


@dataclass(frozen=True)
class Moment:
    """A moment as named in a targets file: ``name``, optional ``column`` and window.

    ``text`` is the name as written (``indicator:patents@11-20``); ``first`` and ``last`` the
    window of years, ``None`` for the moment's default.
    """

    text: str
    name: str
    column: str | None
    first: int | None
    last: int | None


def parse_moment(text: str, columns: tuple[str, ...] | None = None) -> Moment:
    """Read a moment name: ``NAME``, ``NAME@A-B`` or ``NAME@A``.

    ``NAME`` is one of :data:`MOMENTS` or ``indicator:COLUMN``; ``@A`` is the window of year
    ``A`` alone.

    Args:
        text: the name as written.
        columns: the numeric indicator columns of the model, to check ``indicator:COLUMN``.

    Raises:
        InnoclusterError: an unknown name or column, or a malformed or empty window.
    """
    match = _NAME.match(text)
    if match is None:
        raise InnoclusterError(
            f"moment '{text}': expected NAME, NAME@A-B or NAME@A with NAME one of "
            f"{', '.join(MOMENTS)} or indicator:COLUMN"
        )
    name, column = match["name"], None
    if name.startswith("indicator:"):
        name, column = "indicator", name.split(":", 1)[1]
        if columns is not None and column not in columns:
            raise InnoclusterError(
                f"moment '{text}': unknown indicator '{column}'; expected one of "
                f"{', '.join(columns)}"
            )
    elif name not in MOMENTS:
        raise InnoclusterError(
            f"moment '{text}': unknown moment '{name}'; expected one of {', '.join(MOMENTS)} "
            "or indicator:COLUMN"
        )
    first = None if match["first"] is None else int(match["first"])
    last = first if match["last"] is None else int(match["last"])
    if first is not None and (first < 1 or last < first):
        raise InnoclusterError(f"moment '{text}': expected years 1 <= A <= B in @A-B")
    return Moment(text, name, column, first, last)


def compute(moment: Moment, tables: dict[str, pd.DataFrame], L: float, R: int) -> float:
    """The value of a moment on a run's tables.

    Args:
        moment: from :func:`parse_moment`.
        tables: ``organizations``, ``patents``, ``alliances``, ``indicators`` (the cluster
            tables; the last step of ``indicators`` closes an open window) and ``panel`` (the
            firm panel; the two KPF elasticities and the job-flow moments read it).
        L: side of the square, km, for ``patent_gini``.
        R: regions per side, for ``patent_gini``.
    """
    orgs = tables["organizations"]
    # The run's last year, which the organizations table alone need not show.
    final = int(tables["indicators"]["step"].max())
    window = {"first": moment.first, "last": final if moment.last is None else moment.last}
    if moment.name == "kpf_rd_elasticity":
        return kpf_rd_elasticity(tables["panel"], **window)
    if moment.name == "kpf_pool_elasticity":
        return kpf_pool_elasticity(tables["panel"], **window)
    if moment.name == "entry_rate":
        return entry_rate(orgs, **window)
    if moment.name == "exit_rate":
        return exit_rate(orgs, **window)
    if moment.name == "shakeout_fall":
        return shakeout_fall(orgs, **window)
    if moment.name == "size_tail":
        return size_tail(orgs)
    if moment.name == "job_reallocation":
        return job_reallocation(tables["panel"], **window)
    if moment.name in ("creation_persistence", "destruction_persistence"):
        kind = moment.name.split("_")[0]
        return job_persistence(tables["panel"], kind, **window)
    if moment.name == "patent_gini":
        return patent_gini(tables["patents"], L, R, **window)
    if moment.name == "alliance_density":
        return alliance_density(tables["alliances"], orgs, **window)
    return indicator(tables["indicators"], moment.column, **window)
