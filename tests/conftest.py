"""Shared fixtures: small scenarios that run in milliseconds."""

from __future__ import annotations

import pytest

import innocluster as ic


@pytest.fixture
def small():
    """The benchmark model with 400 organisations for 5 steps."""
    return ic.load_scenario("benchmark", {"n0": 400, "steps": 5})
