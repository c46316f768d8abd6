"""Designs: the rows of factor values an experiment runs, one module-level verb per method.

A design is a :class:`pandas.DataFrame` with one column per factor (named by its scenario key,
``"spillover.r_geo"``) and one row per design point; ``design_id`` is the row's position. Every
design point runs once per seed.

- ``grid``: the Cartesian product of the factors' lists of values, first factor slowest.
- ``list``: the factors' lists read side by side (all of one length): row ``i`` takes the
  ``i``-th value of each list.
- ``lhs``: a Latin hypercube of ``samples`` rows over the factors' ranges (McKay, Beckman and
  Conover 1979), through :func:`SALib.sample.latin.sample`.
- ``sobol``: Saltelli's extension of the Sobol sequence (Saltelli et al. 2010) through
  :func:`SALib.sample.sobol.sample`: ``samples * (k + 2)`` rows for ``k`` factors, or
  ``samples * (2k + 2)`` with second-order indices; ``samples`` must be a power of two.
- ``morris``: ``samples`` elementary-effects trajectories on a ``levels``-level grid (Morris
  1991), through :func:`SALib.sample.morris.sample`: ``samples * (k + 1)`` rows.

The sampled designs (``lhs``, ``sobol``, ``morris``) draw from uniform ranges
``{low = .., high = ..}`` and are reproducible from the design's ``seed``. The SALib *problem*
(names, bounds) is returned beside them, so that :mod:`innocluster.experiments.sensitivity` can
analyse the runs with the matching method.

References:
    McKay, M. D., Beckman, R. J. and Conover, W. J. (1979). A comparison of three methods for
    selecting values of input variables in the analysis of output from a computer code.
    Technometrics 21(2), 239-245. https://doi.org/10.2307/1268522
    Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
    Technometrics 33(2), 161-174. https://doi.org/10.1080/00401706.1991.10484804
    Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S. (2010).
    Variance based sensitivity analysis of model output. Computer Physics Communications
    181(2), 259-270. https://doi.org/10.1016/j.cpc.2009.09.018
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError

__all__ = ["SAMPLED", "grid", "listed", "problem_of", "sample"]

#: The methods that sample ranges (and can be analysed by SALib, for ``sobol`` and ``morris``).
SAMPLED = ("lhs", "sobol", "morris")


def grid(factors: dict[str, list[Any]]) -> pd.DataFrame:
    """Every combination of the factors' values; the first factor varies slowest."""
    rows = list(itertools.product(*factors.values()))
    return _frame(factors, rows)


def listed(factors: dict[str, list[Any]], origin: str) -> pd.DataFrame:
    """The factors' lists side by side: row ``i`` takes the ``i``-th value of every list.

    Raises:
        InnoclusterError: the lists are not all of one length.
    """
    lengths = {key: len(values) for key, values in factors.items()}
    if len(set(lengths.values())) > 1:
        found = ", ".join(f"{key}: {n}" for key, n in lengths.items())
        raise InnoclusterError(
            f"{origin}: factors: the list design needs lists of one length, got {found}"
        )
    return _frame(factors, list(zip(*factors.values(), strict=True)))


def problem_of(ranges: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """The SALib problem of uniform ranges: ``{"num_vars", "names", "bounds"}``."""
    return {
        "num_vars": len(ranges),
        "names": list(ranges),
        "bounds": [[float(low), float(high)] for low, high in ranges.values()],
    }


def sample(
    method: str,
    problem: dict[str, Any],
    samples: int,
    *,
    seed: int,
    levels: int = 4,
    second_order: bool = False,
    origin: str = "experiment",
) -> pd.DataFrame:
    """Sample ``problem``'s ranges with ``method`` (``lhs``, ``sobol`` or ``morris``).

    Args:
        method: ``lhs``, ``sobol`` or ``morris``.
        problem: a SALib problem (:func:`problem_of`).
        samples: rows (``lhs``), base samples ``N`` (``sobol``) or trajectories (``morris``).
        seed: the seed of the sampler.
        levels: grid levels of the Morris design.
        second_order: with ``sobol``, sample for second-order indices too.
        origin: where the design comes from, for error messages.

    Returns:
        One row per design point, one float column per factor.

    Raises:
        InnoclusterError: ``samples`` is not a power of two for ``sobol``, or a Morris design
            has fewer than two trajectories.
    """
    from SALib.sample import latin, morris, sobol

    if method == "sobol":
        if samples & (samples - 1):
            raise InnoclusterError(
                f"{origin}: design.samples: the Sobol design needs a power of two, got {samples}"
            )
        values = sobol.sample(problem, samples, calc_second_order=second_order, seed=seed)
    elif method == "morris":
        if samples < 2:
            raise InnoclusterError(
                f"{origin}: design.samples: the Morris design needs at least 2 trajectories, "
                f"got {samples}"
            )
        values = morris.sample(problem, samples, num_levels=levels, seed=seed)
    else:
        values = latin.sample(problem, samples, seed=seed)
    return pd.DataFrame(np.asarray(values, dtype=float), columns=problem["names"])


def _frame(factors: dict[str, list[Any]], rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    # Object columns keep each value as it was written (a list stays a list).
    frame = pd.DataFrame(
        {key: pd.Series([row[i] for row in rows], dtype=object) for i, key in enumerate(factors)}
    )
    return frame.infer_objects()
