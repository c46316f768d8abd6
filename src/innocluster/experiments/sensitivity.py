"""Global sensitivity of the indicators to the factors: Sobol indices and Morris screening.

The experiment's design must be the matching SALib sample: ``design.method = "sobol"`` for
Sobol indices, ``"morris"`` for elementary effects. The problem definition (names, bounds) and
the sampler's settings are in the output folder's ``problem.json``; the design points in
``design.parquet``, in the sampler's order.

The model is stochastic: the output ``Y`` of a design point is the mean of the indicator over
its seeds (every design point has the same seeds), so the indices describe the expected
indicator. Integer factors are rounded when run; the analysis uses the sampled values.

- Sobol (Saltelli et al. 2010): first-order ``S1`` and total ``ST`` indices (and ``S2`` with
  ``design.second_order = true``), with 95% bootstrap confidence intervals, through
  :func:`SALib.analyze.sobol.analyze`.
- Morris (1991), with the ``mu*`` of Campolongo, Cariboni and Saltelli (2007): ``mu``,
  ``mu_star`` (with its 95% bootstrap interval) and ``sigma``, through
  :func:`SALib.analyze.morris.analyze`.

Results go to ``sensitivity.parquet`` (one row per method, indicator, factor and index; a new
analysis of an indicator replaces its old rows).

References:
    Campolongo, F., Cariboni, J. and Saltelli, A. (2007). An effective screening design for
    sensitivity analysis of large models. Environmental Modelling & Software 22(10),
    1509-1518. https://doi.org/10.1016/j.envsoft.2006.10.004
    Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
    Technometrics 33(2), 161-174. https://doi.org/10.1080/00401706.1991.10484804
    Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S. (2010).
    Variance based sensitivity analysis of model output. Computer Physics Communications
    181(2), 259-270. https://doi.org/10.1016/j.cpc.2009.09.018
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError
from innocluster.experiments import store

__all__ = ["COLUMNS", "sensitivity"]

#: The columns of ``sensitivity.parquet``.
COLUMNS = ["method", "indicator", "factor", "factor2", "index", "value", "ci_low", "ci_high"]

#: Bootstrap resamples of the confidence intervals.
RESAMPLES = 1000


def sensitivity(out: str | Path, indicators: list[str] | None = None) -> pd.DataFrame:
    """Sobol or Morris indices of each indicator (at the last step) over the folder's runs.

    Args:
        out: the output folder of a sweep of a ``sobol`` or ``morris`` design.
        indicators: the indicators to analyse (default: every numeric indicator kept).

    Returns:
        Columns :data:`COLUMNS`: ``index`` is ``S1``, ``ST`` or ``S2`` (``factor2`` names the
        second factor) for Sobol, ``mu``, ``mu_star`` or ``sigma`` for Morris; ``ci_low`` and
        ``ci_high`` bound the 95% interval where SALib gives one (``S1``, ``ST``, ``S2``,
        ``mu_star``) and are null otherwise.

    Raises:
        InnoclusterError: the design is not a Sobol or Morris sample, a run is not finished
            (pending or failed), or an indicator is unknown or not numeric.
    """
    from SALib.analyze import morris, sobol

    out = Path(out)
    record = store.read_record(out)
    path = out / store.PROBLEM
    method = record.get("method")
    if method not in ("sobol", "morris") or not path.is_file():
        raise InnoclusterError(
            f"output folder '{out}': sensitivity needs a sobol or morris design; this "
            f"experiment's design is '{method}'"
        )
    spec = json.loads(path.read_text("utf-8"))
    problem = {key: spec[key] for key in ("num_vars", "names", "bounds")}
    runs = store.read_runs(out)
    unfinished = runs[runs["status"] != "ok"]
    if not unfinished.empty:
        raise InnoclusterError(
            f"output folder '{out}': {len(unfinished)} of {len(runs)} runs are not finished "
            f"(status {', '.join(sorted(set(unfinished['status'])))}); the {method} analysis "
            "needs them all: resume the sweep, or fix the failed runs"
        )
    numeric = [name for name in record["indicators"] if pd.api.types.is_numeric_dtype(runs[name])]
    chosen = numeric if indicators is None else list(indicators)
    for name in chosen:
        if name not in numeric:
            raise InnoclusterError(
                f"--indicators {name}: expected a numeric indicator of this experiment: "
                f"{', '.join(numeric)}"
            )
    mean = runs.groupby("design_id")[chosen].mean().sort_index()
    if len(mean) != record["design_points"]:
        raise InnoclusterError(f"output folder '{out}': the catalog misses design points")
    X = pd.read_parquet(out / store.DESIGN)[problem["names"]].to_numpy(float)
    rows: list[list[Any]] = []
    for name in chosen:
        Y = mean[name].to_numpy(float)
        with warnings.catch_warnings():  # a constant output gives NaN indices, said so below
            warnings.simplefilter("ignore", RuntimeWarning)
            if method == "sobol":
                result = sobol.analyze(
                    problem,
                    Y,
                    calc_second_order=spec["second_order"],
                    conf_level=0.95,
                    num_resamples=RESAMPLES,
                    seed=spec["seed"],
                )
            else:
                result = morris.analyze(
                    problem,
                    X,
                    Y,
                    conf_level=0.95,
                    num_resamples=RESAMPLES,
                    num_levels=spec["levels"],
                    seed=spec["seed"],
                )
        rows.extend(_rows(method, name, problem["names"], result, spec))
    table = pd.DataFrame(rows, columns=COLUMNS)
    store.merge_analysis(out, "sensitivity", table, ["method", "indicator"])
    return table


def _rows(method: str, indicator: str, names: list[str], result: Any, spec: dict) -> list:
    rows = []
    if method == "sobol":
        for j, factor in enumerate(names):
            for index in ("S1", "ST"):
                value, conf = result[index][j], result[f"{index}_conf"][j]
                rows.append(
                    [method, indicator, factor, None, index, value, value - conf, value + conf]
                )
        if spec["second_order"]:
            for j, k in zip(*np.triu_indices(len(names), 1), strict=True):
                value, conf = result["S2"][j, k], result["S2_conf"][j, k]
                rows.append(
                    [method, indicator, names[j], names[k], "S2", value, value - conf, value + conf]
                )
        return rows
    for j, factor in enumerate(names):
        star, conf = float(result["mu_star"][j]), float(result["mu_star_conf"][j])
        rows.append([method, indicator, factor, None, "mu", float(result["mu"][j]), None, None])
        rows.append([method, indicator, factor, None, "mu_star", star, star - conf, star + conf])
        rows.append(
            [method, indicator, factor, None, "sigma", float(result["sigma"][j]), None, None]
        )
    return rows
