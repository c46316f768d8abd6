"""Compare the levels of one factor over replications: means, 95% intervals, paired differences.

For each level of the factor ``by``, the mean of an indicator over that level's finished runs
(every seed and every value of the other factors), its standard deviation and the 95%
confidence interval of the mean, ``mean +- t(0.975, n - 1) * sd / sqrt(n)`` (Student).

Each other level is then compared with the reference level (the first in design order, or
``reference``). Runs that share a seed and the values of every other factor are *pairs*: they
drew the same random numbers (common random numbers), so their difference removes the noise
the two runs share, and its mean, standard deviation and t interval over the pairs are reported
(``paired = true``). When no run pairs (e.g. different seeds per level), the difference of the
two means gets Welch's interval (Welch 1947; ``paired = false``).

Results go to ``compare.parquet`` in the output folder (rows of other comparisons are kept; a
comparison of the same factor, metric and step replaces its old rows) and to a plot,
``compare-METRIC-by-FACTOR.png``.

References:
    Law, A. M. (2015). Simulation Modeling and Analysis, 5th ed., McGraw-Hill, sections 10.2
    (paired-t interval) and 11.2 (common random numbers).
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. Biometrika 34(1-2), 28-35.
    https://doi.org/10.1093/biomet/34.1-2.28
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from innocluster.errors import InnoclusterError
from innocluster.experiments import store

__all__ = ["COLUMNS", "compare", "mean_interval", "plot_comparison"]

#: The columns of ``compare.parquet``.
COLUMNS = [
    "factor",
    "level",
    "reference",
    "kind",
    "metric",
    "step",
    "n",
    "mean",
    "std",
    "ci_low",
    "ci_high",
    "paired",
]


def mean_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, standard deviation (ddof 1) and the Student ``level`` interval of the mean."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = float(values.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan"), float("nan")
    sd = float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / np.sqrt(n)
    return mean, sd, mean - half, mean + half


def _welch(a: np.ndarray, b: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Difference of means ``a - b`` and Welch's interval."""
    diff = float(a.mean() - b.mean())
    if len(a) < 2 or len(b) < 2:
        return diff, float("nan"), float("nan")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    if va + vb == 0:
        return diff, diff, diff
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df)) * np.sqrt(va + vb)
    return diff, diff - half, diff + half


def compare(
    out: str | Path,
    by: str,
    metric: str,
    at_step: int | None = None,
    reference: str | None = None,
    *,
    plot: bool = True,
) -> pd.DataFrame:
    """Compare the levels of factor ``by`` on indicator ``metric`` over the folder's runs.

    Args:
        out: an output folder of a sweep.
        by: a factor of the experiment (``SECTION.KEY``, ``steps`` or ``base``) or
            ``scenario``.
        metric: an indicator kept by the experiment.
        at_step: the step to compare at (default: each run's last step).
        reference: the level the others are compared with, as text (default: the first).
        plot: also write ``compare-METRIC-by-FACTOR.png`` into ``out`` (its path is in
            ``result.attrs["plot"]``).

    Returns:
        One ``kind = "mean"`` row per level and one ``kind = "difference"`` row per level but
        the reference (columns :data:`COLUMNS`, described in ``docs/experiments.md``).

    Raises:
        InnoclusterError: ``by`` is not a factor, ``metric`` not a kept numeric indicator,
            ``reference`` not a level, or no run has finished.
    """
    out = Path(out)
    record = store.read_record(out)
    factors = list(record["factors"])
    if by not in [*factors, "scenario"]:
        raise InnoclusterError(
            f"--by {by}: not a factor of this experiment; expected one of: "
            f"{', '.join([*factors, 'scenario'])}"
        )
    runs = store.metric_values(out, metric, at_step)
    if runs.empty:
        raise InnoclusterError(f"output folder '{out}': no run has finished")
    if not pd.api.types.is_numeric_dtype(runs["value"]):
        raise InnoclusterError(f"--metric {metric}: expected a numeric indicator")
    runs = runs.sort_values(["design_id", "seed"])
    runs["level"] = runs[by].astype(str)
    levels = list(dict.fromkeys(runs["level"]))
    ref = levels[0] if reference is None else reference
    if ref not in levels:
        raise InnoclusterError(
            f"--reference {reference}: not a level of {by}; expected one of: {', '.join(levels)}"
        )
    step = pd.NA if at_step is None else int(at_step)
    rows = []
    for level in levels:
        values = runs.loc[runs["level"] == level, "value"].to_numpy(float)
        mean, sd, low, high = mean_interval(values)
        rows.append([by, level, None, "mean", metric, step, len(values), mean, sd, low, high, None])
    others = [f for f in factors if f != by]
    match = ["seed", *others]
    base = runs[runs["level"] == ref]
    for level in levels:
        if level == ref:
            continue
        this = runs[runs["level"] == level]
        pairs = this[[*match, "value"]].merge(
            base[[*match, "value"]], on=match, suffixes=("", "_ref")
        )
        if not pairs.empty:
            diff = (pairs["value"] - pairs["value_ref"]).to_numpy(float)
            mean, sd, low, high = mean_interval(diff)
            rows.append(
                [by, level, ref, "difference", metric, step, len(diff), mean, sd, low, high, True]
            )
        else:
            a, b = this["value"].to_numpy(float), base["value"].to_numpy(float)
            mean, low, high = _welch(a, b)
            rows.append(
                [
                    by,
                    level,
                    ref,
                    "difference",
                    metric,
                    step,
                    min(len(a), len(b)),
                    mean,
                    float("nan"),
                    low,
                    high,
                    False,
                ]
            )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["step"] = table["step"].astype("Int64")
    table["paired"] = table["paired"].astype("boolean")
    store.merge_analysis(out, "compare", table, ["factor", "metric", "step"])
    if plot:
        table.attrs["plot"] = str(plot_comparison(table, out / _plot_name(metric, by)))
    return table


def _plot_name(metric: str, by: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"compare-{metric}-by-{by}")
    return f"{safe}.png"


def plot_comparison(table: pd.DataFrame, path: Path) -> Path:
    """Plot a comparison: the means with their intervals, and the differences with theirs."""
    from matplotlib.figure import Figure

    means = table[table["kind"] == "mean"]
    diffs = table[table["kind"] == "difference"]
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    _bars(left, means)
    metric, factor = table["metric"].iloc[0], table["factor"].iloc[0]
    step = table["step"].iloc[0]
    where = "last step" if pd.isna(step) else f"step {step}"
    left.set_title(f"{metric} ({where}): mean and 95% CI")
    left.set_xlabel(factor)
    if not diffs.empty:
        _bars(right, diffs)
        right.axhline(0.0, color="grey", linewidth=0.8)
        kind = "paired" if bool(diffs["paired"].all()) else "unpaired"
        right.set_title(f"difference from {diffs['reference'].iloc[0]} ({kind})")
        right.set_xlabel(factor)
    else:
        right.set_axis_off()
    path = Path(path)
    _atomic_png(fig, path)
    return path


def _bars(axes: Any, rows: pd.DataFrame) -> None:
    x = np.arange(len(rows))
    mean = rows["mean"].to_numpy(float)
    low = np.nan_to_num(mean - rows["ci_low"].to_numpy(float))
    high = np.nan_to_num(rows["ci_high"].to_numpy(float) - mean)
    axes.errorbar(x, mean, yerr=[low, high], fmt="o", capsize=4)
    axes.set_xticks(x, rows["level"].tolist(), rotation=30 if len(rows) > 4 else 0)


def _atomic_png(fig: Any, path: Path) -> None:
    tmp = path.with_name(f"{path.name}.tmp-write.png")
    try:
        fig.savefig(tmp, dpi=120)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
