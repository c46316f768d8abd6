"""Calibration of the cluster model by the method of simulated moments.

The parameters ``theta`` named in a targets file are chosen, within their ranges, to minimise

    J(theta) = (m(theta) - m*)' W (m(theta) - m*),    m(theta) = 1/R sum_r m(theta, seed_r)

where ``m*`` are the target moments, ``m(theta, seed_r)`` the moments of one simulated run
(:mod:`innocluster.estimate.moments`) and ``W = diag(w)`` with ``w_k`` the weight the targets
file gives or, by default, ``1 / Var_r m_k(theta_0, seed_r)``: the inverse variance of the
moment across the replications at the start point (McFadden 1989; Pakes and Pollard 1989).
Every candidate is simulated with the same seeds ``seed, seed + 1, ..., seed + R - 1`` (common
random numbers), so that differences between candidates come from the parameters, not from the
draws. A statistic of an auxiliary model, such as the R&D elasticity of a Poisson knowledge
production function, is a moment like any other: indirect inference (Gourieroux, Monfort and
Renault 1993).

The optimiser works in the unit cube of the parameter ranges: the start point, a scrambled Sobol
design (:class:`scipy.stats.qmc.Sobol`, evaluated as one parallel batch), then Nelder-Mead
(:func:`scipy.optimize.minimize`, bounded) from the best point so far, until the budget of
candidates is spent or the simplex has converged; the estimate is the best candidate simulated.
Standard errors come from the MSM sandwich

    Var(theta_hat) = (1 + 1/R) (G'WG)^-1 G'W Omega W G (G'WG)^-1

with ``G`` the Jacobian of ``m`` by central differences (5% of each range, one-sided at a bound)
and ``Omega`` the covariance of one run's moments across the replications at the estimate: the
targets are taken to come from one cluster like the simulated one, and ``1/R`` adds the
simulation noise of averaging ``R`` runs. See ``docs/estimation.md``.

References:
    McFadden, D. (1989). A method of simulated moments for estimation of discrete response
    models without numerical integration. Econometrica 57(5), 995-1026.

    Pakes, A. and Pollard, D. (1989). Simulation and the asymptotics of optimization
    estimators. Econometrica 57(5), 1027-1057.

    Gourieroux, C., Monfort, A. and Renault, E. (1993). Indirect inference. Journal of Applied
    Econometrics 8(S1), S85-S118.
"""

from __future__ import annotations

import contextlib
import json
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from scipy import optimize, stats
from scipy.stats import qmc

from innocluster._files import read_toml, staged_folder
from innocluster.core.parameters import Section
from innocluster.errors import InnoclusterError
from innocluster.estimate.moments import Moment, compute, parse_moment
from innocluster.estimate.panel import simulate_panel
from innocluster.experiments.execute import dask_client, run_tasks
from innocluster.models import MODELS
from innocluster.scenario import Scenario, load_scenario, scenario_to_toml

__all__ = [
    "CalibrationResult",
    "Targets",
    "calibrate",
    "evaluate",
    "load_targets",
]

#: Step of the numerical Jacobian, as a share of each parameter's range.
JACOBIAN_STEP = 0.05
#: Edge of Nelder-Mead's first simplex, as a share of each parameter's range.
SIMPLEX_EDGE = 0.1
#: Confidence level of the intervals reported.
LEVEL = 0.95


class _MomentTarget(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target: float
    weight: float | None = Field(default=None, gt=0.0, allow_inf_nan=False)


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    budget: int = Field(default=40, ge=4, le=100_000, strict=True)
    replications: int = Field(default=4, ge=2, le=10_000, strict=True)
    seed: int = Field(default=0, ge=0, strict=True)


class _TargetsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parameters: dict[str, tuple[float, float]] = Field(min_length=1)
    moments: dict[str, float | _MomentTarget] = Field(min_length=1)
    calibration: _Settings = _Settings()


@dataclass(frozen=True)
class Targets:
    """A validated targets file.

    Attributes:
        parameters: ``"section.key"`` names of the parameters to calibrate, ``(p,)``.
        low, high: their ranges, ``(p,)`` each, inside the parameters' declared bounds.
        moments: the moments, ``(k,)``.
        target: target values, ``(k,)``, in each moment's unit.
        weight: weights given in the file, ``(k,)``; NaN where the default (inverse variance at
            the start point) applies.
        budget, replications, seed: the defaults of the ``[calibration]`` table.
    """

    parameters: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    moments: tuple[Moment, ...]
    target: np.ndarray
    weight: np.ndarray
    budget: int
    replications: int
    seed: int


def load_targets(source: str | Path | dict[str, Any], scenario: Scenario) -> Targets:
    """Read and validate a targets file against the scenario it calibrates.

    The file has three tables::

        [parameters]                      # "section.key" = [low, high]
        "research.beta" = [0.3, 0.9]
        [moments]                         # name = target, or name = {target = .., weight = ..}
        kpf_rd_elasticity = 0.7
        "indicator:patents@11-20" = {target = 180.0, weight = 0.001}
        [calibration]                     # optional: budget, replications, seed
        budget = 40

    Args:
        source: a path to the TOML file, or its content as a mapping.
        scenario: the scenario to calibrate (the parameters must be real-valued keys of it).

    Raises:
        InnoclusterError: the file cannot be read, a key is unknown, a parameter is not a
            real-valued parameter of the scenario, a range is empty or outside the parameter's
            declared bounds, or a moment name is unknown.
    """
    origin = "targets" if isinstance(source, dict) else f"targets file '{source}'"
    raw = source if isinstance(source, dict) else read_toml(Path(source), "targets file")
    try:
        parsed = _TargetsFile.model_validate(raw)
    except ValidationError as err:
        # The deepest error says most (for a moment given as a table, the table's error).
        first = max(err.errors(), key=lambda e: len(e["loc"]))
        loc = ".".join(str(p) for p in first["loc"] if p not in ("float", "_MomentTarget"))
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "unknown key; expected parameters, moments, calibration (budget, "
            message += "replications, seed) and, for a moment, target and weight"
        raise InnoclusterError(f"{origin}: {loc}: {message}") from None
    for name, (low, high) in parsed.parameters.items():
        _check_parameter(scenario, name, low, high, origin)
    columns = tuple(
        c.name for c in MODELS[scenario.model].indicators if c.dtype in ("int64", "float64")
    )
    moments, target, weight = [], [], []
    for text, value in parsed.moments.items():
        try:
            moments.append(parse_moment(text, columns))
        except InnoclusterError as err:
            raise InnoclusterError(f"{origin}: {err}") from None
        value = value if isinstance(value, _MomentTarget) else _MomentTarget(target=value)
        target.append(value.target)
        weight.append(np.nan if value.weight is None else value.weight)
    if moments and any(m.last is not None and m.last > scenario.steps for m in moments):
        late = next(m.text for m in moments if m.last is not None and m.last > scenario.steps)
        raise InnoclusterError(
            f"{origin}: moment '{late}': its window ends after the scenario's last step "
            f"({scenario.steps})"
        )
    settings = parsed.calibration
    return Targets(
        parameters=tuple(parsed.parameters),
        low=np.array([r[0] for r in parsed.parameters.values()]),
        high=np.array([r[1] for r in parsed.parameters.values()]),
        moments=tuple(moments),
        target=np.array(target, dtype=float),
        weight=np.array(weight, dtype=float),
        budget=settings.budget,
        replications=settings.replications,
        seed=settings.seed,
    )


def _check_parameter(scenario: Scenario, name: str, low: float, high: float, origin: str) -> None:
    section, _, key = name.partition(".")
    sections = {
        n: f.annotation
        for n, f in type(scenario).model_fields.items()
        if isinstance(f.annotation, type) and issubclass(f.annotation, Section)
    }
    if section not in sections or not key:
        raise InnoclusterError(
            f"{origin}: parameter '{name}': expected SECTION.KEY with SECTION one of "
            f"{', '.join(sections)}"
        )
    fields = sections[section].model_fields
    if key not in fields:
        raise InnoclusterError(
            f"{origin}: parameter '{name}': unknown key; expected one of "
            f"{', '.join(f'{section}.{k}' for k in fields)}"
        )
    info = fields[key]
    if info.annotation is not float:
        raise InnoclusterError(
            f"{origin}: parameter '{name}': only real-valued parameters can be calibrated "
            f"(this one is {getattr(info.annotation, '__name__', info.annotation)})"
        )
    if not low < high:
        raise InnoclusterError(f"{origin}: parameter '{name}': expected low < high, got "
                               f"[{low:g}, {high:g}]")  # fmt: skip
    for bound in info.metadata:
        for attr, ok in (
            ("ge", lambda b: low >= b),
            ("gt", lambda b: low > b),
            ("le", lambda b: high <= b),
            ("lt", lambda b: high < b),
        ):
            value = getattr(bound, attr, None)
            if value is not None and not ok(value):
                symbol = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}[attr]
                raise InnoclusterError(
                    f"{origin}: parameter '{name}': range [{low:g}, {high:g}] leaves the "
                    f"parameter's bounds (expected {symbol} {value:g})"
                )


def _run_moments(scenario: Scenario, seed: int, moments: tuple[Moment, ...]) -> np.ndarray:
    run, panel = simulate_panel(scenario, seed)
    tables = {name: getattr(run, name) for name in ("organizations", "patents", "alliances")}
    tables.update(indicators=run.indicators, panel=panel)
    space = scenario.space
    return np.array([compute(m, tables, space.L, space.R) for m in moments], dtype=float)


def evaluate(
    scenarios: Sequence[Scenario],
    seeds: Sequence[int],
    moments: Sequence[Moment],
    client: Any = None,
) -> np.ndarray:
    """Simulate every scenario with every seed and compute the moments of each run.

    Args:
        scenarios: validated cluster-model scenarios, ``(n,)``.
        seeds: the seeds, ``(R,)``: every scenario runs with all of them.
        moments: the moments, ``(k,)``.
        client: a Dask client (:func:`innocluster.experiments.execute.dask_client`) whose
            workers run the simulations as tasks; ``None`` runs them in this process.

    Returns:
        The moments, shape ``(n, R, k)``; the same whatever the client and its workers.

    Raises:
        InnoclusterError: a simulation failed (the message names the candidate and seed).
    """
    jobs = [(s, int(seed), tuple(moments)) for s in scenarios for seed in seeds]
    if client is None:
        values = [_run_moments(*job) for job in jobs]
    else:
        values = run_tasks(client, _run_moments, jobs)
    for (scenario, seed, _), value in zip(jobs, values, strict=True):
        if isinstance(value, Exception):
            raise InnoclusterError(
                f"a candidate failed to simulate (scenario '{scenario.name}', seed {seed}): "
                f"{type(value).__name__}: {value}"
            )
    return np.array(values, dtype=float).reshape(len(scenarios), len(seeds), len(moments))


@dataclass
class CalibrationResult:
    """A calibrated scenario with its uncertainty and fit.

    Attributes:
        scenario: the fitted scenario (the base scenario with the estimates set).
        parameters: one row per parameter: ``parameter, estimate, std_error, ci_low, ci_high,
            low, high, start`` (95% normal intervals from the sandwich standard errors).
        moments: one row per moment: ``moment, target, weight, simulated`` (mean over the
            replications at the estimate), ``sd`` (across replications), ``deviation``
            (``simulated - target``), ``contribution`` (``weight * deviation**2``).
        objective: ``J`` at the estimate.
        evaluations: one row per candidate simulated: ``stage`` (start, sobol, nelder-mead,
            jacobian), the parameters and ``objective``.
        seeds: the common seeds of the replications.
        budget: the candidates allowed to the search (the Jacobian's are extra).
        weights_from: ``"file"``, ``"start variance"`` or ``"mixed"``.
        notes: warnings, one line each.
    """

    scenario: Scenario
    parameters: pd.DataFrame
    moments: pd.DataFrame
    objective: float
    evaluations: pd.DataFrame
    seeds: tuple[int, ...]
    budget: int
    weights_from: str
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready values (``calibration.json``)."""

        def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in json.loads(frame.to_json(orient="records"))
            ]

        return {
            "method": "method of simulated moments, common random numbers",
            "scenario": self.scenario.name,
            "objective": self.objective,
            "seeds": list(self.seeds),
            "budget": self.budget,
            "candidates": int((self.evaluations["stage"] != "jacobian").sum()),
            "weights_from": self.weights_from,
            "standard_errors": "MSM sandwich, central-difference Jacobian "
            f"({JACOBIAN_STEP:.0%} of each range), (1 + 1/R) for simulation noise",
            "parameters": rows(self.parameters),
            "moments": rows(self.moments),
            "notes": list(self.notes),
        }

    def write(self, out: str | Path) -> Path:
        """Write the calibration's files into folder ``out`` (created if needed), atomically.

        The files are ``calibration.json``, ``parameters.csv``, ``moments.csv``,
        ``evaluations.csv`` and the fitted ``scenario.toml``, written into a temporary folder
        first, then moved into place.

        Returns:
            ``out`` as a path.

        Raises:
            InnoclusterError: ``out`` exists and is not a folder.
        """
        with staged_folder(out) as staging:
            text = json.dumps(self.to_dict(), indent=2) + "\n"
            (staging / "calibration.json").write_text(text, "utf-8")
            self.parameters.to_csv(staging / "parameters.csv", index=False)
            self.moments.to_csv(staging / "moments.csv", index=False)
            self.evaluations.to_csv(staging / "evaluations.csv", index=False)
            (staging / "scenario.toml").write_text(scenario_to_toml(self.scenario), "utf-8")
        return Path(out)


class _Search:
    """Candidates in the unit cube of the ranges, simulated with common seeds and remembered."""

    def __init__(self, scenario, targets, seeds, client, on_evaluation) -> None:
        self.scenario, self.targets, self.seeds = scenario, targets, seeds
        self.client, self.on_evaluation = client, on_evaluation
        self.points: list[np.ndarray] = []
        self.values: list[np.ndarray] = []  # (R, k) per point
        self.stages: list[str] = []
        self.weight = targets.weight.copy()
        self._seen: dict[tuple[float, ...], int] = {}

    def theta(self, u: np.ndarray) -> np.ndarray:
        t = self.targets
        return t.low + np.clip(u, 0.0, 1.0) * (t.high - t.low)

    @staticmethod
    def key(u: np.ndarray) -> tuple[float, ...]:
        """The point clipped into the cube, rounded: how a candidate is remembered."""
        return tuple(float(v) for v in np.round(np.clip(u, 0.0, 1.0), 12))

    def seen(self, u: np.ndarray) -> bool:
        return self.key(u) in self._seen

    def candidate(self, u: np.ndarray) -> Scenario:
        values = {k: float(v) for k, v in zip(self.targets.parameters, self.theta(u), strict=True)}
        return load_scenario(self.scenario, values)

    def run(self, points: Sequence[np.ndarray], stage: str) -> list[int]:
        """Simulate the points not seen yet; returns the index of every point."""
        keys = [self.key(u) for u in points]
        fresh = {}  # key -> the point, clipped into the cube, in order of first appearance
        for key, u in zip(keys, points, strict=True):
            if key not in self._seen and key not in fresh:
                fresh[key] = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if fresh:
            scenarios = [self.candidate(u) for u in fresh.values()]
            values = evaluate(scenarios, self.seeds, self.targets.moments, self.client)
            for (key, u), value in zip(fresh.items(), values, strict=True):
                self._seen[key] = len(self.points)
                self.points.append(u)
                self.values.append(value)
                self.stages.append(stage)
                if self.on_evaluation is not None:
                    self.on_evaluation(len(self.points), stage)
        return [self._seen[key] for key in keys]

    def objective(self, index: int) -> float:
        mean = self.values[index].mean(axis=0)
        if not np.all(np.isfinite(mean)):
            return math.inf
        deviation = mean - self.targets.target
        return float(np.sum(self.weight * deviation**2))

    def searched(self) -> int:
        return sum(stage != "jacobian" for stage in self.stages)


def calibrate(
    scenario: str | Path | Scenario,
    targets: Targets | str | Path,
    *,
    budget: int | None = None,
    replications: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    seed: int | None = None,
    overrides: dict[str, Any] | list[str] | None = None,
    on_evaluation: Callable[[int, str], None] | None = None,
) -> CalibrationResult:
    """Calibrate a cluster-model scenario to target moments by simulated moments.

    Args:
        scenario: the base scenario (preset name, TOML path or validated scenario); parameters
            not in the targets keep its values.
        targets: a :class:`Targets` or the path to a targets file.
        budget: candidates to simulate in the search (start point, Sobol design and
            Nelder-Mead); the Jacobian of the standard errors adds ``2 p`` more. Default: the
            targets file's.
        replications: runs per candidate, ``R >= 2``, with seeds ``seed .. seed + R - 1``.
            Default: the targets file's.
        workers: worker processes of a local Dask cluster (each runs whole simulations);
            1 runs them in this process.
        scheduler: the address of a running Dask scheduler to send the simulations to,
            instead of local workers.
        seed: the first seed; it also scrambles the Sobol design. Default: the targets file's.
        overrides: values to change in the base scenario first (``["population.n_firms=60"]``).
        on_evaluation: called as ``on_evaluation(candidates so far, stage)`` after each
            candidate.

    Returns:
        The :class:`CalibrationResult`.

    Raises:
        InnoclusterError: a bad scenario, targets file or option, or a moment that is undefined
            or does not vary across replications at the start point when no weight is given.
    """
    base = load_scenario(scenario, overrides)
    if base.model != "cluster":
        raise InnoclusterError(f"scenario '{base.name}': calibration needs the cluster model")
    if not isinstance(targets, Targets):
        targets = load_targets(targets, base)
    budget = targets.budget if budget is None else budget
    replications = targets.replications if replications is None else replications
    seed = targets.seed if seed is None else seed
    for name, value, least in (("budget", budget, 4), ("replications", replications, 2),
                               ("workers", workers, 1), ("seed", seed, 0)):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise InnoclusterError(f"{name}: expected an integer >= {least}, got {value!r}")
    seeds = tuple(range(seed, seed + replications))
    p = len(targets.parameters)
    start_theta = np.array([_get(base, name) for name in targets.parameters])
    inside = (start_theta >= targets.low) & (start_theta <= targets.high)
    u0 = np.where(inside, (start_theta - targets.low) / (targets.high - targets.low), 0.5)

    if scheduler is not None:
        executor = dask_client(scheduler=scheduler)
    elif workers > 1:
        executor = dask_client(workers=workers)
    else:
        executor = contextlib.nullcontext()
    with executor as client:
        search = _Search(base, targets, seeds, client, on_evaluation)
        (start,) = search.run([u0], "start")
        weights_from = _weights(search, start, targets)
        n_sobol = 2 ** int(math.log2(max(2, (budget - 1) // 2)))
        sobol = qmc.Sobol(d=p, scramble=True, seed=seed)
        search.run(list(sobol.random(n_sobol)), "sobol")
        best = min(range(len(search.points)), key=search.objective)
        if not _nelder_mead(search, search.points[best], budget):
            # Too little budget left for a simplex: the rest goes to the design.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # not a power of 2
                search.run(list(sobol.random(budget - search.searched())), "sobol")
        best = min(range(len(search.points)), key=search.objective)
        if not math.isfinite(search.objective(best)):
            raise InnoclusterError(
                "no candidate gave every moment a value (e.g. no patents, no producers): "
                "choose other moments or ranges"
            )
        G, notes = _jacobian(search, best)
    return _result(search, best, G, start, budget, weights_from, notes)


def _get(scenario: Scenario, name: str) -> float:
    section, key = name.split(".")
    return float(getattr(getattr(scenario, section), key))


def _weights(search: _Search, start: int, targets: Targets) -> str:
    missing = np.isnan(targets.weight)
    values = search.values[start]
    for k in np.flatnonzero(missing):
        column = values[:, k]
        text = targets.moments[k].text
        if not np.all(np.isfinite(column)):
            raise InnoclusterError(
                f"moment '{text}' is undefined at the start point in some replications; "
                "give it a weight in the targets file or choose another moment"
            )
        variance = float(np.var(column, ddof=1))
        if variance <= 0.0:
            raise InnoclusterError(
                f"moment '{text}' does not vary across replications at the start point, so it "
                "has no default weight: give it a weight in the targets file"
            )
        search.weight[k] = 1.0 / variance
    if missing.all():
        return "start variance"
    return "file" if not missing.any() else "mixed"


def _nelder_mead(search: _Search, u_start: np.ndarray, budget: int) -> bool:
    """Nelder-Mead from ``u_start`` within the budget; False if the budget left is too small."""
    p = len(u_start)
    left = budget - search.searched()
    if left < p + 1:
        return False
    simplex = [u_start]
    for j in range(p):
        vertex = u_start.copy()
        vertex[j] += SIMPLEX_EDGE if vertex[j] + SIMPLEX_EDGE <= 1.0 else -SIMPLEX_EDGE
        simplex.append(vertex)
    search.run(simplex[1:], "nelder-mead")

    def objective(u: np.ndarray) -> float:
        if search.searched() >= budget and not search.seen(u):
            return math.inf  # the budget is spent: nothing new is simulated
        (index,) = search.run([u], "nelder-mead")
        return search.objective(index)

    optimize.minimize(
        objective,
        u_start,
        method="Nelder-Mead",
        bounds=[(0.0, 1.0)] * p,
        options={
            "initial_simplex": np.array(simplex),
            "maxfev": left + p + 1,
            "xatol": 1e-3,
            "fatol": 1e-3,
        },
    )
    return True


def _jacobian(search: _Search, best: int) -> tuple[np.ndarray, list[str]]:
    u, p = search.points[best], len(search.points[best])
    lower, upper = np.maximum(u - JACOBIAN_STEP, 0.0), np.minimum(u + JACOBIAN_STEP, 1.0)
    points = []
    for j in range(p):
        for edge in (upper[j], lower[j]):
            point = u.copy()
            point[j] = edge
            points.append(point)
    index = search.run(points, "jacobian")
    span = search.targets.high - search.targets.low
    G = np.empty((len(search.targets.moments), p))
    for j in range(p):
        hi, lo = search.values[index[2 * j]], search.values[index[2 * j + 1]]
        G[:, j] = (hi.mean(axis=0) - lo.mean(axis=0)) / ((upper[j] - lower[j]) * span[j])
    notes = []
    if not np.all(np.isfinite(G)):
        notes.append("a moment is undefined next to the estimate: no standard errors")
    return G, notes


def _result(search, best, G, start, budget, weights_from, notes) -> CalibrationResult:
    targets, R = search.targets, len(search.seeds)
    values = search.values[best]
    W = np.diag(search.weight)
    theta = search.theta(search.points[best])
    se = np.full(len(theta), np.nan)
    if np.all(np.isfinite(G)) and np.all(np.isfinite(values)):
        omega = np.atleast_2d(np.cov(values, rowvar=False))
        bread = G.T @ W @ G
        if np.linalg.cond(bread) < 1e12:
            inverse = np.linalg.inv(bread)
            cov = (1.0 + 1.0 / R) * inverse @ G.T @ W @ omega @ W @ G @ inverse
            se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        else:
            flat = [n for n, g in zip(targets.parameters, G.T, strict=True) if not np.any(g)]
            notes.append(
                "the moments do not identify the parameters near the estimate (G'WG is "
                f"singular{': no moment moves with ' + ', '.join(flat) if flat else ''}): "
                "no standard errors"
            )
    z = float(stats.norm.ppf(0.5 + LEVEL / 2))
    parameters = pd.DataFrame(
        {
            "parameter": list(targets.parameters),
            "estimate": theta,
            "std_error": se,
            "ci_low": theta - z * se,
            "ci_high": theta + z * se,
            "low": targets.low,
            "high": targets.high,
            "start": search.theta(search.points[start]),
        }
    )
    mean = values.mean(axis=0)
    deviation = mean - targets.target
    moments = pd.DataFrame(
        {
            "moment": [m.text for m in targets.moments],
            "target": targets.target,
            "weight": search.weight,
            "simulated": mean,
            "sd": values.std(axis=0, ddof=1),
            "deviation": deviation,
            "contribution": search.weight * deviation**2,
        }
    )
    thetas = np.array([search.theta(u) for u in search.points])
    evaluations = pd.DataFrame(thetas, columns=list(targets.parameters))
    evaluations.insert(0, "stage", search.stages)
    evaluations["objective"] = [search.objective(i) for i in range(len(search.points))]
    fitted = search.candidate(search.points[best])
    return CalibrationResult(
        scenario=fitted,
        parameters=parameters,
        moments=moments,
        objective=search.objective(best),
        evaluations=evaluations,
        seeds=search.seeds,
        budget=budget,
        weights_from=weights_from,
        notes=tuple(notes),
    )
