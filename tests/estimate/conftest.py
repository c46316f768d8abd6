"""Fixtures of the estimation tests: a small simulated run, its firm panel and its tables."""

from __future__ import annotations

import pytest

import innocluster as ic
from innocluster.estimate.panel import simulate_panel
from tests.estimate.helpers import SMALL


@pytest.fixture(scope="module")
def simulated():
    run, panel = simulate_panel(ic.load_scenario("default", SMALL), seed=5)
    tables = {n: getattr(run, n) for n in ("organizations", "patents", "alliances", "indicators")}
    return run, panel, {**tables, "panel": panel}
