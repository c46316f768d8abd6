"""What a claim is: the runs it compares, its effect per seed, its margin, and its verdict.

A claim states a stylised fact from the literature as one number per seed (the *effect*,
computed from that seed's runs of one or more *variants* of a scenario: common random
numbers make the comparison paired) and a *margin* the effect must clear. Over the seeds the
effect's mean gets a 95% t-interval; the claim passes when the whole interval lies on the
claimed side of the margin. So a world where the effect sits exactly at the margin passes
with probability at most 2.5%, whatever the number of seeds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import stats

__all__ = ["AS_GIVEN", "Variant", "Claim", "ClaimResult", "interval", "verdict"]

#: One run's summary statistics, by name (see :mod:`innocluster.facts.summaries`).
Summary = Mapping[str, Any]


@dataclass(frozen=True)
class Variant:
    """A scenario changed for a comparison: a label and the overrides that make it.

    ``overrides`` is a mapping of ``"section.key"`` to values, or a function of the base
    scenario that returns one (for changes that depend on it, such as holding demand at the
    scenario's own saturation level). ``seed_offset`` is added to every seed of the variant: a
    variant that stands for another industry, not the same one changed, gets draws of its own
    (the comparison is then unpaired).
    """

    label: str
    overrides: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] = field(default_factory=dict)
    seed_offset: int = 0

    def resolve(self, scenario: Any) -> dict[str, Any]:
        """The overrides for base scenario ``scenario``."""
        made = self.overrides(scenario) if callable(self.overrides) else self.overrides
        return dict(made)


#: The base scenario unchanged, the variant most claims read.
AS_GIVEN = Variant("as given")


@dataclass(frozen=True)
class Claim:
    """A stylised fact the model claims, checkable over any seeds.

    Attributes:
        name: what it is and whom it follows, e.g. ``klepper-shakeout``.
        source: the literature it reproduces.
        compares: what is compared, in words.
        variants: the runs it needs, by label (the effect function receives their summaries).
        effect: ``effect(summaries by variant label) -> float`` for one seed.
        margin: the value the effect must clear.
        direction: ``"above"``: the interval must lie above the margin; ``"below"``: below it.
        unit: the effect's unit.
        cause: the cause the claim credits, or what removing it shows.
        panel: the claim reads a firm-panel statistic (``pool_elasticity``), so its runs
            record the panel (slower; other runs do not).
    """

    name: str
    source: str
    compares: str
    variants: tuple[Variant, ...]
    effect: Callable[[dict[str, Summary]], float]
    margin: float
    direction: Literal["above", "below"]
    unit: str = ""
    cause: str = ""
    panel: bool = False


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on one claim for one base scenario over a set of seeds."""

    name: str
    source: str
    compares: str
    preset: str
    seeds: tuple[int, ...]
    effect: float
    ci_low: float
    ci_high: float
    margin: float
    direction: str
    passed: bool
    unit: str
    per_seed: tuple[float, ...]

    def as_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready values."""
        return {
            "name": self.name,
            "source": self.source,
            "compares": self.compares,
            "preset": self.preset,
            "seeds": [int(s) for s in self.seeds],
            "effect": _plain(self.effect),
            "ci_low": _plain(self.ci_low),
            "ci_high": _plain(self.ci_high),
            "margin": self.margin,
            "direction": self.direction,
            "passed": self.passed,
            "unit": self.unit,
            "per_seed": [_plain(v) for v in self.per_seed],
        }


def _plain(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t-interval of ``values`` (NaNs dropped): ``(mean, low, high)``.

    One value gives a zero-width interval at it; none gives NaNs.
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(v.mean())
    if len(v) == 1:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return mean, mean - float(half), mean + float(half)


def verdict(claim: Claim, per_seed: np.ndarray, preset: str, seeds) -> ClaimResult:
    """The result of ``claim`` from its per-seed effects."""
    mean, low, high = interval(per_seed)
    if claim.direction == "above":
        passed = bool(np.isfinite(low) and low > claim.margin)
    else:
        passed = bool(np.isfinite(high) and high < claim.margin)
    return ClaimResult(
        name=claim.name,
        source=claim.source,
        compares=claim.compares,
        preset=preset,
        seeds=tuple(int(s) for s in seeds),
        effect=mean,
        ci_low=low,
        ci_high=high,
        margin=claim.margin,
        direction=claim.direction,
        passed=passed,
        unit=claim.unit,
        per_seed=tuple(float(v) for v in per_seed),
    )
