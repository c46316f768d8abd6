"""Policy experiments at scale: sweeps on Dask, a DuckDB catalog, and analyses of the runs.

The analyses are comparison, sensitivity and mechanism attribution.

>>> from innocluster import experiments as ex
>>> plan = ex.load_experiment("policy.toml")             # doctest: +SKIP
>>> result = ex.sweep(plan, workers=2)                   # doctest: +SKIP
>>> ex.query(plan.out, "SELECT status, count(*) FROM runs GROUP BY 1")  # doctest: +SKIP
>>> ex.compare(plan.out, by="government.targeted", metric="patents")   # doctest: +SKIP

One module per verb: :mod:`~.spec` (the experiment file), :mod:`~.design` (grid, list, Latin
hypercube, Sobol and Morris designs), :mod:`~.store` (the output folder, run ids, the catalog),
:mod:`~.execute` (Dask, :func:`run_batch`), :mod:`~.sweep`, :mod:`~.compare`,
:mod:`~.sensitivity` and :mod:`~.attribution`. The file format and the output folder are
described in ``docs/experiments.md``.
"""

from innocluster.experiments.attribution import attribute, shapley
from innocluster.experiments.compare import compare
from innocluster.experiments.execute import dask_client, run_batch
from innocluster.experiments.sensitivity import sensitivity
from innocluster.experiments.spec import Experiment, load_experiment
from innocluster.experiments.store import connect, query, read_runs, run_id
from innocluster.experiments.sweep import SweepResult, sweep

__all__ = [
    "Experiment",
    "SweepResult",
    "attribute",
    "compare",
    "connect",
    "dask_client",
    "load_experiment",
    "query",
    "read_runs",
    "run_batch",
    "run_id",
    "sensitivity",
    "shapley",
    "sweep",
]
