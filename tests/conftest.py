"""Shared fixtures, and the hypothesis profile.

Property tests run without per-example deadlines (the first example of a test may compile numba
kernels, and CI machines vary in speed: deadlines would test the machine, not the code). Under CI
(``CI=true``) hypothesis is derandomised, so that a run is reproducible.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

import innocluster as ic

settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")


@pytest.fixture
def small():
    """The benchmark model with 400 organisations for 5 steps."""
    return ic.load_scenario("benchmark", {"n0": 400, "steps": 5})
