"""Shared fixtures, and the hypothesis profile.

Property tests run without per-example deadlines (the first example of a test may compile numba
kernels, and CI machines vary in speed: deadlines would test the machine, not the code). Under CI
(``CI=true``) hypothesis is derandomised, so that a run is reproducible.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

import innocluster as ic
from innocluster.tables import ALLIANCES, ORGANIZATIONS, PATENTS, from_arrays, write_table

settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")


@pytest.fixture
def small():
    """The benchmark model with 400 organisations for 5 steps."""
    return ic.load_scenario("benchmark", {"n0": 400, "steps": 5})


SIDE = 6  # a 6 x 6 grid of 10 km regions
HUB = (0, 1, 6, 7)  # a 2 x 2 block of neighbouring regions where innovation concentrates


def _cluster_tables(seed=0, patents_on=True, entrants=True, institutes=True):
    """Ten organisations per region (thirty in region 0), born at year 0, plus recent entrants."""
    rng = np.random.default_rng(seed)
    region = np.concatenate([np.repeat(np.arange(SIDE * SIDE), 10), np.zeros(20, int)])
    n = len(region)
    born = np.zeros(n, int)
    parent = np.full(n, -1)
    if entrants:  # 15% entered over the last five years, two thirds of them spin-offs
        new = rng.choice(n, int(0.15 * n), replace=False)
        born[new] = rng.integers(6, 11, len(new))
        parent[new[: 2 * len(new) // 3]] = 0
    kind = np.where(rng.random(n) < (0.1 if institutes else 0.0), "institute", "firm")
    x = (region % SIDE) * 10 + rng.uniform(0, 10, n)
    y = (region // SIDE) * 10 + rng.uniform(0, 10, n)
    orgs = pd.DataFrame(
        {
            "org_id": np.arange(n),
            "kind": kind,
            "x": x,
            "y": y,
            "region": region,
            "field_focus": 0,
            "born": born,
            "exited": pd.array([pd.NA] * n, dtype="Int32"),
            "employees": 10,
            "parent": pd.array(np.where(parent < 0, None, parent), dtype="Int64"),
        }
    )
    rate = np.where(np.isin(region, HUB), 3.0, 0.2) if patents_on else np.zeros(n)
    counts = rng.poisson(rate * 10)  # patents over ten years
    owner = np.repeat(np.arange(n), counts)
    patents = pd.DataFrame(
        {
            "patent_id": np.arange(len(owner)),
            "org_id": owner,
            "year": rng.integers(1, 11, len(owner)),
            "field": 0,
            "x": x[owner],
            "y": y[owner],
        }
    )
    in_zero = np.flatnonzero(region == 0)
    a, b = in_zero[:20], in_zero[10:30]  # twenty alliances inside region 0
    alliances = pd.DataFrame(
        {
            "org_a": np.minimum(a, b),
            "org_b": np.maximum(a, b),
            "start": 2,
            "end": pd.array([pd.NA] * 20, dtype="Int32"),
            "strength": 1.0,
        }
    )
    return {"organizations": orgs, "patents": patents, "alliances": alliances}


@pytest.fixture
def cluster_tables():
    """Builds real-looking cluster tables: a 6 x 6 grid of regions with an innovation hub."""
    return _cluster_tables


@pytest.fixture
def write_cluster_tables():
    """Writes cluster tables (DataFrames) into a folder as validated Parquet."""

    def write(tables, folder):
        for schema in (ORGANIZATIONS, PATENTS, ALLIANCES):
            frame = tables[schema.name]
            arrays = {
                c.name: frame[c.name].to_numpy(na_value=-1)
                if str(frame[c.name].dtype) in ("Int32", "Int64")
                else frame[c.name].to_numpy()
                for c in schema.columns
            }
            write_table(from_arrays(schema, arrays), folder / f"{schema.name}.parquet")

    return write
