"""Parameters of the benchmark model (``benchmark-model.md``); lengths in unit-square units."""

from __future__ import annotations

from typing import Literal

from innocluster.core.parameters import ScenarioBase, Section, parameter

__all__ = ["BenchmarkMechanisms", "BenchmarkParams", "BenchmarkScenario"]


class BenchmarkParams(Section):
    """Parameters of the benchmark model (``benchmark-model.md``); lengths in unit-square units."""

    n0: int = parameter(10_000, "organisations at start", ge=0, le=50_000_000)
    D: int = parameter(16, "technology fields", ge=1, le=1024)
    r: float = parameter(0.05, "neighbour radius", "unit square", gt=0.0, le=1.5)
    lam: float = parameter(0.02, "distance decay length", "unit square", gt=0.0)
    s: float = parameter(0.02, "spillover strength", ge=0.0)
    a: float = parameter(0.5, "base innovation rate", "innovations per step", ge=0.0)
    delta: float = parameter(0.05, "knowledge depreciation per step", ge=0.0, le=1.0)
    p_spin: float = parameter(0.01, "spin-off probability per step", ge=0.0, le=1.0)
    sigma_spin: float = parameter(0.01, "spin-off displacement (s.d.)", "unit square", ge=0.0)
    phi: float = parameter(0.5, "share of parent knowledge inherited", ge=0.0, le=1.0)
    q_exit: float = parameter(0.01, "exit probability per step", ge=0.0, le=1.0)


class BenchmarkMechanisms(Section):
    """Which steps of the benchmark model run; a switched-off step leaves the state unchanged."""

    spillover: bool = True
    innovation: bool = True
    depreciation: bool = True
    spinoff: bool = True
    exit: bool = True


class BenchmarkScenario(ScenarioBase):
    """The benchmark model: spillover, innovation, depreciation, spin-off, exit."""

    model: Literal["benchmark"] = "benchmark"
    benchmark: BenchmarkParams = BenchmarkParams()
    mechanisms: BenchmarkMechanisms = BenchmarkMechanisms()
