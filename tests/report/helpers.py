"""Folders and page parsing shared by the report's test modules.

``small_run`` simulates a small run folder and ``data_folder`` writes a synthetic real-data
folder; ``panel_sections`` and ``experiment_sections`` split a report's HTML into its panels.
The fixtures built from them (one run folder, the experiment folders) are in ``conftest.py``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import innocluster as ic

#: A small default run: 30 steps from 100 firms (a few seconds).
SMALL = {"population.n_firms": 100}


def small_run(folder, steps=30, **overrides):
    """Simulate the default scenario with 100 firms into ``folder``; returns the folder."""
    ic.simulate("default", seed=1, steps=steps, overrides={**SMALL, **overrides}).save(folder)
    return folder


def data_folder(folder, n=300, years=20, seed=0, alliances=True, employees=True):
    """A synthetic real-data folder (CSV): firms entering and leaving over ``years`` years in a
    50 km square, two technology hubs, patents in 8 fields, some alliances."""
    rng = np.random.default_rng(seed)
    hub = rng.integers(0, 3, n)  # 0, 1: hubs; 2: scattered
    centres = np.array([[12.0, 15.0], [35.0, 30.0]])
    x = np.where(
        hub < 2, centres[np.minimum(hub, 1), 0] + rng.normal(0, 2, n), rng.uniform(0, 50, n)
    )
    y = np.where(
        hub < 2, centres[np.minimum(hub, 1), 1] + rng.normal(0, 2, n), rng.uniform(0, 50, n)
    )
    born = np.where(np.arange(n) < n // 3, 2000, 2000 + rng.integers(1, years // 2, n))
    life = rng.integers(3, 3 * years, n)
    exited = np.where(born + life < 2000 + years, born + life, -1)
    kind = np.where(rng.random(n) < 0.08, "institute", "firm")
    orgs = pd.DataFrame(
        {
            "org_id": np.arange(n) + 100,
            "kind": kind,
            "x": np.clip(x, 0, 50).round(3),
            "y": np.clip(y, 0, 50).round(3),
            "born": born,
            "exited": pd.array(np.where(exited > 0, exited, None), dtype="Int64"),
        }
    )
    if employees:
        orgs["employees"] = rng.integers(1, 200, n)
    folder.mkdir(parents=True, exist_ok=True)
    orgs.to_csv(folder / "organizations.csv", index=False)
    m = 2000
    owner = rng.integers(0, n, m)
    field = np.where(hub[owner] == 0, rng.integers(0, 3, m), rng.integers(0, 8, m))
    year = np.minimum(born[owner] + rng.integers(0, years, m), 2000 + years - 1)
    pd.DataFrame(
        {"patent_id": np.arange(m), "org_id": owner + 100, "year": year, "field": field}
    ).to_csv(folder / "patents.csv", index=False)
    pairs = rng.integers(0, n // 3, (150, 2)) + 100  # among the first organisations
    pairs = np.unique(np.sort(pairs[pairs[:, 0] != pairs[:, 1]], axis=1), axis=0)
    table = pd.DataFrame({"org_a": pairs[:, 0], "org_b": pairs[:, 1], "start": 2001})
    (table if alliances else table.iloc[:0]).to_csv(folder / "alliances.csv", index=False)
    return folder


def panel_sections(html):
    """Panel key -> the HTML of its section, in a run or data folder's report."""
    parts = re.split(r'(?=<section class="panel")', html)
    return {re.search(r'data-panel="(\w+)"', p).group(1): p for p in parts if "data-panel" in p}


def experiment_sections(html: str) -> dict[str, str]:
    """Panel key (``overview``, ``steps-0`` ...) -> the HTML of its section, in an experiment's
    report."""
    parts = re.split(r'(?=<section class="panel")', html)[1:]
    return {re.search(r'data-panel="([^"]+)"', p).group(1): p for p in parts}


def missing_text(section: str) -> str:
    """The sentence of a section that says why its panel is not available."""
    return re.search(r'<p class="missing">Not available: (.*?)</p>', section, re.S).group(1)
