"""Mechanism attribution: each mechanism's Shapley value for an indicator, by ablation.

The players are mechanisms (``[mechanisms]`` switches), the value of a coalition ``S`` is the
indicator of a run with the mechanisms of ``S`` switched on and the other chosen mechanisms
switched off (mechanisms not chosen stay as the scenario has them). Mechanism ``i``'s Shapley
value (Shapley 1953) is its marginal contribution averaged over every order in which the
mechanisms could be switched on:

    phi_i = sum over S not containing i of |S|! (k - |S| - 1)! / k! * (v(S + i) - v(S)).

The values add up to ``v(all on) - v(all off)`` (efficiency): they split the whole effect of
the chosen mechanisms among them, interactions included. The largest says which forming
mechanism the cluster owes the indicator to; the smallest (or a negative one) which it lacks or
which works against it (seed 000: "the problems are associated with the lack of a forming
mechanism").

Every coalition runs with the same seeds (common random numbers: the engine gives each
mechanism its own stream, so switching one off leaves the others' draws alone). The Shapley
values are computed per seed, and their mean over seeds is reported with a 95% Student interval
over the seeds; efficiency holds per seed, hence for the means.

With ``k`` mechanisms, the exact method runs all ``2**k`` coalitions; it is used up to
:data:`EXACT_UP_TO` mechanisms. Beyond that, ``permutations`` random orders of the mechanisms
are drawn (Castro, Gomez and Tejada 2009) and the marginal contributions along each order are
averaged; only the coalitions on those orders run (at most ``permutations * k + 1``). Each
order's contributions telescope to ``v(all on) - v(all off)``, so efficiency still holds
exactly; the interval covers the variation over seeds, not the sampling of orders.

The runs are a sweep into an output folder (resumable like any sweep); the results go to
``attribution.parquet`` there.

References:
    Castro, J., Gomez, D. and Tejada, J. (2009). Polynomial calculation of the Shapley value
    based on sampling. Computers & Operations Research 36(5), 1726-1730.
    https://doi.org/10.1016/j.cor.2008.04.004
    Shapley, L. S. (1953). A value for n-person games. In Kuhn, H. W. and Tucker, A. W.
    (eds.), Contributions to the Theory of Games II, Annals of Mathematics Studies 28,
    307-317. Princeton University Press. https://doi.org/10.1515/9781400881970-018
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from innocluster.errors import InnoclusterError
from innocluster.experiments import store
from innocluster.experiments.compare import mean_interval
from innocluster.experiments.spec import load_experiment
from innocluster.experiments.sweep import sweep
from innocluster.models import MODELS
from innocluster.scenario import load_scenario, parse_override

__all__ = [
    "COLUMNS",
    "DEFAULT_MECHANISMS",
    "DEFAULT_METRIC",
    "EXACT_UP_TO",
    "FailedRuns",
    "attribute",
    "shapley",
]

#: The forming mechanisms of seed 000 in each model: the players when none are chosen.
DEFAULT_MECHANISMS = {
    "cluster": ("spillover", "mobility", "entrepreneurship", "government", "market"),
    "benchmark": ("spillover", "innovation", "spinoff", "exit", "depreciation"),
}
#: The indicator attributed when none is chosen.
DEFAULT_METRIC = {"cluster": "patents", "benchmark": "total_knowledge"}
#: Up to this many mechanisms, every coalition is run (2**8 = 256 coalitions).
EXACT_UP_TO = 8
#: Random orders drawn beyond :data:`EXACT_UP_TO` mechanisms, unless given.
PERMUTATIONS = 64

#: The columns of ``attribution.parquet``.
COLUMNS = [
    "metric",
    "step",
    "mechanism",
    "shapley",
    "std",
    "ci_low",
    "ci_high",
    "n",
    "share",
    "all_on",
    "all_off",
    "method",
    "coalitions",
]


class FailedRuns(RuntimeError):
    """Some runs of an attribution raised: the Shapley values need every coalition.

    Attributes:
        failed: the catalog rows of the failed runs (``run_id``, ``design_id``, ``seed``,
            ``error``, ...).
    """

    def __init__(self, failed: pd.DataFrame) -> None:
        first = failed.iloc[0]
        super().__init__(
            f"{len(failed)} attribution runs failed, e.g. run {first['run_id']} "
            f"(design {first['design_id']}, seed {first['seed']}): {first['error']}"
        )
        self.failed = failed


def shapley(values: np.ndarray, orders: np.ndarray | None = None) -> np.ndarray:
    """Shapley values of ``k`` players from the values of their coalitions.

    Args:
        values: shape ``(2**k, ...)``: ``values[mask]`` is the value of the coalition whose
            members are the set bits of ``mask`` (player ``i`` is bit ``i``); trailing axes
            (e.g. one per seed) are carried along. Unused coalitions may be NaN when
            ``orders`` is given.
        orders: shape ``(P, k)``, each row an order of the players ``0..k-1``: the average of
            the marginal contributions along these orders (Castro, Gomez and Tejada 2009).
            ``None``: the exact value over all coalitions (Shapley 1953).

    Returns:
        Shape ``(k, ...)``; the values sum over players to ``values[-1] - values[0]``.
    """
    values = np.asarray(values, dtype=float)
    k = int(round(math.log2(values.shape[0])))
    if values.shape[0] != 2**k:
        raise ValueError(f"values: expected 2**k rows, got {values.shape[0]}")
    phi = np.zeros((k, *values.shape[1:]))
    if orders is None:
        masks = np.arange(2**k)
        sizes = np.array([bin(m).count("1") for m in masks])
        weight = np.array(
            [
                math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) if s < k else 0.0
                for s in sizes
            ]
        )
        for i in range(k):
            without = masks[(masks >> i) & 1 == 0]
            w = weight[without].reshape(-1, *([1] * (values.ndim - 1)))
            phi[i] = (w * (values[without | (1 << i)] - values[without])).sum(axis=0)
        return phi
    orders = np.asarray(orders)
    for order in orders:
        mask = 0
        for player in order:
            phi[player] += values[mask | (1 << player)] - values[mask]
            mask |= 1 << player
    return phi / len(orders)


def attribute(
    scenario: str | Path,
    metric: str | None = None,
    mechanisms: list[str] | None = None,
    replications: int = 10,
    *,
    overrides: list[str] | None = None,
    steps: int | None = None,
    at_step: int | None = None,
    permutations: int | None = None,
    seed: int = 0,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Each mechanism's Shapley value for ``metric``, over ``replications`` seeds.

    Args:
        scenario: a preset name or a scenario file.
        metric: the indicator (default :data:`DEFAULT_METRIC` of the model).
        mechanisms: the ``[mechanisms]`` switches to attribute to (default
            :data:`DEFAULT_MECHANISMS` of the model).
        replications: seeds ``0..replications-1``, the same for every coalition.
        overrides: ``SECTION.KEY=VALUE`` changes of the scenario, for every run.
        steps: steps per run (default: the scenario's).
        at_step: the step at which the metric is read (default: the last).
        permutations: random orders to sample instead of the exact method (default: exact up
            to :data:`EXACT_UP_TO` mechanisms, else :data:`PERMUTATIONS` orders).
        seed: the seed of the orders' sampling.
        out: the output folder (default ``out/attribution-SCENARIO``); a later call with the
            same arguments reuses its runs.
        workers: worker processes of a local Dask cluster (default: one per core).
        scheduler: the address of a running Dask scheduler, instead of a local cluster.
        client: a Dask client to reuse (at most one of ``workers``, ``scheduler`` and
            ``client`` is given; see :func:`~.execute.dask_client`).
        progress: called as ``progress(done, total)`` as runs finish.

    Returns:
        One row per mechanism, columns :data:`COLUMNS` (``docs/experiments.md``).

    Raises:
        InnoclusterError: a mechanism or the metric is unknown, or ``replications`` is below 2.
        FailedRuns: a run raised (the runs that did not are kept in ``out``).
    """
    base = load_scenario(scenario, overrides or [])
    model = MODELS[base.model]
    switches = [m.name for m in model.mechanisms]
    chosen = list(mechanisms) if mechanisms else list(DEFAULT_MECHANISMS[base.model])
    for name in chosen:
        if name not in switches:
            raise InnoclusterError(
                f"--mechanisms {name}: not a mechanism of the {base.model} model; expected "
                f"some of: {', '.join(switches)}"
            )
    if len(set(chosen)) < len(chosen):
        raise InnoclusterError(f"--mechanisms: expected distinct names, got {','.join(chosen)}")
    metric = metric or DEFAULT_METRIC[base.model]
    if replications < 2:
        raise InnoclusterError(f"--replications: expected at least 2, got {replications}")
    k = len(chosen)
    if permutations is None and k > EXACT_UP_TO:
        permutations = PERMUTATIONS
    if permutations is not None and permutations < 1:
        raise InnoclusterError(f"--permutations: expected at least 1, got {permutations}")
    orders = None
    if permutations is not None:
        rng = np.random.default_rng(seed)
        orders = np.array([rng.permutation(k) for _ in range(permutations)])
        masks = _coalitions(orders)
    else:
        masks = list(range(2**k))
    design = pd.DataFrame(
        {f"mechanisms.{name}": [bool((m >> i) & 1) for m in masks] for i, name in enumerate(chosen)}
    )
    spec = {
        "name": f"attribution-{base.name}",
        "base": str(scenario),
        "overrides": dict(parse_override(item) for item in overrides or []),
        "replications": replications,
        "indicators": [metric],
    }
    if steps is not None:
        spec["steps"] = steps
    target = Path(out) if out is not None else Path("out") / f"attribution-{base.name}"
    experiment = load_experiment(spec, design=design, out=target)
    result = sweep(
        experiment,
        workers=workers,
        scheduler=scheduler,
        client=client,
        resume=True,
        progress=progress,
    )
    if not result.failed.empty:
        raise FailedRuns(result.failed)
    runs = store.metric_values(target, metric, at_step)
    values = np.full((2**k, replications), np.nan)
    table = runs.pivot_table(index="design_id", columns="seed", values="value", aggfunc="first")
    values[np.array(masks)] = table.sort_index().to_numpy(float)
    phi = shapley(values, orders)  # (k, replications)
    on, off = values[-1], values[0]
    total = float(on.mean() - off.mean())
    rows = []
    for i, name in enumerate(chosen):
        mean, sd, low, high = mean_interval(phi[i])
        rows.append(
            [
                metric,
                at_step,
                name,
                mean,
                sd,
                low,
                high,
                replications,
                mean / total if total else float("nan"),
                float(on.mean()),
                float(off.mean()),
                "exact" if orders is None else "permutation",
                len(masks),
            ]
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["step"] = frame["step"].astype("Int64")
    store.merge_analysis(target, "attribution", frame, ["metric", "step"])
    frame.attrs["out"] = str(target)
    return frame


def _coalitions(orders: np.ndarray) -> list[int]:
    """Every coalition on the given orders: the empty one and each prefix of each order."""
    found = {0}
    for order in orders:
        mask = 0
        for player in order:
            mask |= 1 << int(player)
            found.add(mask)
    return sorted(found)
