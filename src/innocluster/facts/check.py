"""Checking claims: run every variant a set of claims needs over the seeds, then judge each.

The runs are tasks on the experiment layer's Dask runner
(:func:`innocluster.experiments.execute.run_tasks`): one task per (base scenario, variant,
seed), each returning its summary (:func:`innocluster.facts.summaries.summarise`). Variants that
several claims share run once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from innocluster.errors import InnoclusterError
from innocluster.facts.claim import Claim, ClaimResult, verdict
from innocluster.facts.flows import CLAIMS as FLOWS
from innocluster.facts.geography import CLAIMS as GEOGRAPHY
from innocluster.facts.lifecycle import CLAIMS as LIFECYCLE
from innocluster.facts.summaries import summarise
from innocluster.scenario import load_scenario

__all__ = ["CLAIMS", "DEFAULT_SEEDS", "check_claims", "parse_seeds", "claim_named"]

#: Every claim, by name, in the order they are reported.
CLAIMS: dict[str, Claim] = {claim.name: claim for claim in (*LIFECYCLE, *GEOGRAPHY, *FLOWS)}

#: Seeds on which nothing was tuned (the parameters were tuned on seeds 0-9).
DEFAULT_SEEDS = range(1000, 1020)


def claim_named(name: str) -> Claim:
    """The claim called ``name``; a clear error naming the known ones otherwise."""
    if name not in CLAIMS:
        raise InnoclusterError(f"claim '{name}': unknown; expected one of {', '.join(CLAIMS)}")
    return CLAIMS[name]


def parse_seeds(text: str) -> range:
    """Seeds from ``"A-B"`` (inclusive) or ``"A"``."""
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", text.strip())
    if match is None:
        raise InnoclusterError(f"--seeds {text!r}: expected A-B, e.g. 1000-1019")
    first = int(match[1])
    last = int(match[2]) if match[2] is not None else first
    if last < first:
        raise InnoclusterError(f"--seeds {text!r}: expected A <= B")
    return range(first, last + 1)


def check_claims(
    names: Sequence[str] | None = None,
    presets: Sequence[str] = ("default",),
    seeds: Sequence[int] = DEFAULT_SEEDS,
    workers: int | None = None,
    client: Any = None,
    on_run: Callable[[int, int], None] | None = None,
) -> list[ClaimResult]:
    """Check claims on base scenarios over seeds; one result per (preset, claim).

    Args:
        names: claim names (default: all of :data:`CLAIMS`).
        presets: base scenarios: preset names or TOML paths of the cluster model.
        seeds: the seeds (at least 2, for an interval).
        workers: local Dask worker processes (default: one per core).
        client: a :class:`dask.distributed.Client` to use instead.
        on_run: called as ``on_run(done, total)`` as runs finish (progress display).

    Raises:
        InnoclusterError: an unknown claim, a scenario that is not a cluster scenario, fewer
            than 2 seeds.
    """
    from innocluster.experiments.execute import dask_client, run_tasks

    claims = [claim_named(n) for n in (names or CLAIMS)]
    seeds = [int(s) for s in seeds]
    if len(seeds) < 2:
        raise InnoclusterError("seeds: expected at least 2, for an interval")
    bases = {preset: load_scenario(preset) for preset in presets}
    for preset, base in bases.items():
        if base.model != "cluster":
            raise InnoclusterError(f"preset '{preset}': claims are about the cluster model")
    jobs: dict[tuple[str, str], tuple[Any, int]] = {}
    panels: set[tuple[str, str]] = set()  # the variants whose runs record the firm panel
    for preset, base in bases.items():
        for claim in claims:
            for variant in claim.variants:
                if claim.panel:
                    panels.add((preset, variant.label))
                scenario = load_scenario(base, variant.resolve(base))
                job = (scenario, variant.seed_offset)
                if jobs.setdefault((preset, variant.label), job) != job:
                    raise InnoclusterError(
                        f"claim '{claim.name}': variant '{variant.label}' is declared twice, "
                        "differently"
                    )
    keys = [(p, v, s) for (p, v) in jobs for s in seeds]
    arguments = [(jobs[(p, v)][0], s + jobs[(p, v)][1], (p, v) in panels) for p, v, s in keys]
    done = [0]

    def progress(_i: int, _result: Any) -> None:
        done[0] += 1
        if on_run is not None:
            on_run(done[0], len(arguments))

    with dask_client(workers=None if client is not None else workers, client=client) as c:
        summaries = run_tasks(c, summarise, arguments, on_result=progress)
    for key, summary in zip(keys, summaries, strict=True):
        if isinstance(summary, Exception):
            raise InnoclusterError(f"run {key}: {type(summary).__name__}: {summary}")
    by_key = dict(zip(keys, summaries, strict=True))
    results = []
    for preset in bases:
        for claim in claims:
            per_seed = np.array(
                [
                    claim.effect({v.label: by_key[(preset, v.label, s)] for v in claim.variants})
                    for s in seeds
                ],
                dtype=float,
            )
            results.append(verdict(claim, per_seed, preset, seeds))
    return results
