"""One run's summary statistics: everything the claims read, computed where the run ran.

:func:`summarise` is the task a worker runs for one (scenario, seed): it simulates the run,
records a cross-section of the producers every step (sizes, R&D, margins), and returns a flat
mapping of numbers, so that only a few hundred bytes per run travel back.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from scipy import stats

from innocluster.estimate.moments import kpf_pool_elasticity
from innocluster.estimate.panel import simulate_panel
from innocluster.measures.concentration import rarefied_gini
from innocluster.measures.inequality import pareto_tail
from innocluster.measures.lifecycle import exit_hazard, lifecycle_stage, shakeout
from innocluster.measures.localisation import citation_localisation
from innocluster.models import model_of
from innocluster.models.cluster.model import top_share
from innocluster.models.cluster.state import is_producer, region_of
from innocluster.run import simulate

__all__ = [
    "CROSS_SECTION_STEPS",
    "EARLY_AGES",
    "MATURITY_LAG",
    "LAST_YEARS",
    "COMMON_SAMPLE",
    "FORMATION_SAMPLE",
    "summarise",
    "summarise_run",
]

#: Steps at which the producers' sizes and R&D are recorded (Cohen and Klepper 1996).
CROSS_SECTION_STEPS = (10, 20, 30, 40)

#: Years after the producers' peak at which the size distribution is measured (maturity).
MATURITY_LAG = 10

#: Years at the end of a run over which an industry's concentration is measured.
LAST_YEARS = 5

#: Patents every concentration of innovation is rarefied to, when compared across runs.
COMMON_SAMPLE = 50

#: Patents the concentration of innovation during formation is rarefied to, across runs.
FORMATION_SAMPLE = 400

#: Ages over which the exit hazards of early and late entrants are compared.
EARLY_AGES = 10


def summarise(scenario: Any, seed: int, panel: bool = False) -> dict[str, float]:
    """Simulate ``scenario`` with ``seed`` and summarise the run (see :func:`summarise_run`).

    With ``panel`` (and research on) the run also records its firm panel, and the summary adds
    ``pool_elasticity`` (:func:`~innocluster.estimate.moments.kpf_pool_elasticity`: the
    within-firm elasticity of patents to the local spillover pool, Cincera's 1997
    specification); otherwise it is NaN.
    """
    sections: dict[int, tuple[np.ndarray, ...]] = {}
    model = _recording(model_of(scenario), sections)
    if not (panel and scenario.mechanisms.research):
        run = simulate(scenario, seed=seed, model=model)
        return {**summarise_run(run, sections), "pool_elasticity": np.nan}
    run, firms = simulate_panel(scenario, seed, model=model)
    return {**summarise_run(run, sections), "pool_elasticity": kpf_pool_elasticity(firms)}


def summarise_run(run, sections: dict) -> dict[str, float]:
    """The statistics of a finished cluster run and its recorded cross-sections.

    Keys: ``peak_step``, ``fall`` (of producers from their peak), ``output_growth`` (output of
    the last 5 steps over the 5 steps around the peak), ``entry_peak_step``, ``late_entry``
    (entries a year from 10 years after the peak on, over the peak 5-year mean of entries),
    ``hazard_early``, ``hazard_late`` (exit hazard over the first :data:`EARLY_AGES` years of
    producers that entered up to the peak, and after it), ``process_early``,
    ``process_late`` (process share of innovations, mean of the first 10 and last 20 steps),
    ``rd_size``, ``process_size`` (Spearman correlation of producers' employees with their R&D
    money and with its process share among producers that made a profit in the last market,
    mean over the cross-sections), ``tail_alpha``
    (Hill exponent of the top 10% of producers' employees ten years after the peak) and
    ``top10_share``; for Audretsch and Feldman (1996): ``excess_last`` (the rarefied Gini of
    the patents of the last :data:`LAST_YEARS` years over the regions, at
    :data:`COMMON_SAMPLE` patents, minus the mean Gini of producers' employment over those
    years), and ``patents_early``, ``patents_late`` (the Gini of the patents of emergence and
    growth, and of the stages after, both rarefied to the smaller count) with
    ``production_early``, ``production_late`` (the stages' mean Gini of employment), and
    ``formation_gini`` (the Gini of the patents of emergence and growth rarefied to
    :data:`FORMATION_SAMPLE`, comparable across runs; NaN with fewer); for Jaffe,
    Trajtenberg and Henderson (1993): ``localisation_excess`` and ``localisation_ratio`` (the
    same-region share of the run's citations between its patents, self-citations left out,
    minus and over that of field-year matched controls; NaN without citations).
    """
    ind = run.indicators
    producers = (ind.n_firms + ind.n_leaders).to_numpy()
    steps = ind.step.to_numpy()
    peak, fall = shakeout(producers)
    output = ind.output.to_numpy()
    entries = ind.entries.to_numpy()
    smooth = ind.entries.rolling(5, center=True, min_periods=1).mean().to_numpy()
    late = steps >= steps[peak] + 10
    orgs = run.organizations
    firms = orgs[orgs.kind.isin(["firm", "leader"])]
    end = int(steps[-1])
    born, exited = firms.born.to_numpy(), firms.exited.to_numpy()
    early_entrant = born <= steps[peak]
    mature = sections.get(int(steps[peak]) + MATURITY_LAG, sections[max(sections)])[0]
    process = ind.process_share.to_numpy()
    return {
        **_innovation_geography(run),
        **_knowledge_flows(run),
        "peak_step": float(steps[peak]),
        "fall": fall,
        "output_growth": float(output[-5:].mean() / output[max(peak - 2, 0) : peak + 3].mean()),
        "entry_peak_step": float(steps[int(smooth.argmax())]),
        "late_entry": float(entries[late].mean() / smooth.max()) if late.any() else np.nan,
        "hazard_early": exit_hazard(born[early_entrant], exited[early_entrant], end, EARLY_AGES),
        "hazard_late": exit_hazard(born[~early_entrant], exited[~early_entrant], end, EARLY_AGES),
        "process_early": float(np.nanmean(process[:10])),
        "process_late": float(np.nanmean(process[-20:])),
        "rd_size": _mean_rank_correlation(sections, 1),
        "process_size": _mean_rank_correlation(sections, 2),
        "tail_alpha": pareto_tail(mature, 0.1),
        "top10_share": top_share(mature, 0.1),
    }


def _recording(model, sections: dict):
    # The model with its observe wrapped: each step, copy the producers' employees, R&D money,
    # its process share and their last margin (the state is not kept in a run's tables).
    def observe(state, scenario):
        orgs = state.orgs
        producer = is_producer(orgs["kind"])
        sections[state.step] = tuple(
            orgs[name][producer].copy() for name in ("employees", "rd", "rd_process", "margin")
        )
        return model.observe(state, scenario)

    return dataclasses.replace(model, observe=observe)


def _mean_rank_correlation(sections: dict, column: int) -> float:
    # Among the going concerns: producers that sold at a profit in the last market (those that
    # make losses are on their way out, and put all their R&D into cutting costs).
    values = []
    for recorded in (sections[t] for t in CROSS_SECTION_STEPS if t in sections):
        going = recorded[3] >= 0
        size, other = recorded[0][going], recorded[column][going]
        if len(size) > 2 and np.ptp(size) > 0 and np.ptp(other) > 0:
            values.append(stats.spearmanr(size, other).statistic)
    return float(np.mean(values)) if values else float("nan")


def _patent_regions(run, years) -> np.ndarray:
    # Patents filed in the given years per region of the scenario's grid, (R * R,).
    space = run.scenario.space
    p = run.patents
    p = p[p.year.isin(years)]
    region = region_of(p.x.to_numpy(), p.y.to_numpy(), space.L, space.R)
    return np.bincount(region, minlength=space.R * space.R)


def _innovation_geography(run) -> dict[str, float]:
    ind = run.indicators
    steps, production = ind.step.to_numpy(), ind.gini_employment_regions.to_numpy()
    last = steps > steps[-1] - LAST_YEARS
    counts = _patent_regions(run, steps[last])
    excess = (
        rarefied_gini(counts, COMMON_SAMPLE, seed=run.seed) - np.nanmean(production[last])
        if counts.sum() >= COMMON_SAMPLE
        else np.nan
    )
    stage = lifecycle_stage(ind.n_firms.to_numpy(), ind.entries.to_numpy(), ind.exits.to_numpy())
    early = np.isin(stage, ["emergence", "growth"])
    late = np.isin(stage, ["maturity", "shakeout", "decline"])
    a, b = _patent_regions(run, steps[early]), _patent_regions(run, steps[late])
    size = int(min(a.sum(), b.sum()))
    both = size > 0
    formation = (
        rarefied_gini(a, FORMATION_SAMPLE, seed=run.seed) if a.sum() >= FORMATION_SAMPLE else np.nan
    )
    return {
        "formation_gini": float(formation),
        "excess_last": float(excess),
        "patents_early": rarefied_gini(a, size, seed=run.seed) if both else np.nan,
        "patents_late": rarefied_gini(b, size, seed=run.seed) if both else np.nan,
        "production_early": float(np.nanmean(production[early])) if early.any() else np.nan,
        "production_late": float(np.nanmean(production[late])) if late.any() else np.nan,
    }


def _knowledge_flows(run) -> dict[str, float]:
    # The localisation test of the run's citations (no bootstrap: the claim's interval is
    # over seeds), patents in the regions of the scenario's grid.
    cites = run.citations
    inside = cites[cites["cited"].notna()]
    if inside.empty:
        return {"localisation_excess": np.nan, "localisation_ratio": np.nan}
    space = run.scenario.space
    patents = run.patents
    patents["region"] = region_of(patents.x.to_numpy(), patents.y.to_numpy(), space.L, space.R)
    pairs = inside[["citing", "cited"]].astype(np.int64)
    row = citation_localisation(pairs, patents, boot=0, seed=run.seed).iloc[0]
    return {
        "localisation_excess": float(row["share_cite"] - row["share_control"]),
        "localisation_ratio": float(row["ratio"]),
    }
