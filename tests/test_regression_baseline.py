"""Every preset computes exactly what the stored baseline says (``tests/baseline/regression``).

A failure here means the model's behaviour changed. If that was meant, regenerate the baseline
with ``python scripts/make_regression_baseline.py`` and explain the change in the commit.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import innocluster as ic
from tests.regression_cases import BASELINE, CASES, run_case, table_digests

DIGESTS = json.loads((BASELINE / "digests.json").read_text("utf-8"))


def test_every_case_has_a_stored_baseline():
    assert sorted(DIGESTS) == sorted(case.name for case in CASES)
    presets = {case.preset for case in CASES}
    assert presets == set(ic.preset_names())


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_tables_equal_the_stored_baseline(case):
    run = run_case(case)
    stored = pd.read_parquet(BASELINE / f"{case.name}.parquet")
    pd.testing.assert_frame_equal(run.indicators, stored, check_exact=True)
    assert table_digests(run) == DIGESTS[case.name]
