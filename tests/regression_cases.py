"""The cases of the stored regression baseline (``tests/baseline/regression/``).

Each case is a preset with overrides, a seed and a number of steps. ``table_digests`` reduces a
run's four cluster tables to SHA-256 digests of their CSV text, with floats written to 17
significant digits (exact: every float64 round-trips), so that the digests depend on the values
alone and not on the Parquet writer's version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import innocluster as ic

BASELINE = Path(__file__).parent / "baseline" / "regression"


@dataclass(frozen=True)
class Case:
    name: str
    preset: str
    seed: int
    steps: int
    overrides: dict = field(default_factory=dict)


CASES = (
    Case("default-s0", "default", 0, 80),
    Case("default-s1", "default", 1, 80),
    Case("default-s2-40", "default", 2, 40),
    Case(
        "default-private-platform-s3-40",
        "default",
        3,
        40,
        {"governance.regime": "platform", "governance.platform_owner": "private"},
    ),
    Case("default-supply-s4-40", "default", 4, 40, {"governance.regime": "supply"}),
    Case("benchmark-s0", "benchmark", 0, 15, {"benchmark.n0": 3000}),
    Case("benchmark-s1", "benchmark", 1, 15, {"benchmark.n0": 3000}),
)


def run_case(case: Case) -> ic.Run:
    """Simulate one case."""
    return ic.simulate(case.preset, seed=case.seed, steps=case.steps, overrides=case.overrides)


def table_digests(run: ic.Run) -> dict[str, str]:
    """SHA-256 of each cluster table's CSV text (floats to 17 significant digits)."""
    frames = {
        "organizations": run.organizations,
        "patents": run.patents,
        "alliances": run.alliances,
        "citations": run.citations,
        "indicators": run.indicators,
    }
    return {
        name: hashlib.sha256(
            frame.to_csv(index=False, float_format="%.17g").encode("utf-8")
        ).hexdigest()
        for name, frame in frames.items()
    }
