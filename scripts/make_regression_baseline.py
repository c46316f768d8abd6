"""Regenerate the stored regression baseline of ``tests/test_regression_baseline.py``.

The baseline pins what the model computes: for each case below (a preset, some overrides, a
seed, a number of steps) it stores the indicators table as Parquet and a SHA-256 digest of each
of the four cluster tables. The test reruns every case and compares exactly, so any change of
behaviour, however small, fails it. Run this script only when a change of behaviour is meant,
and say in the commit that changes the baseline what changed and why:

    python scripts/make_regression_baseline.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.regression_cases import BASELINE, CASES, run_case, table_digests  # noqa: E402


def main() -> None:
    BASELINE.mkdir(parents=True, exist_ok=True)
    for old in BASELINE.glob("*.parquet"):
        old.unlink()
    digests = {}
    for case in CASES:
        run = run_case(case)
        run.indicators.to_parquet(BASELINE / f"{case.name}.parquet", index=False)
        digests[case.name] = table_digests(run)
        print(f"{case.name}: {run.indicators.shape[0]} steps")
    path = BASELINE / "digests.json"
    path.write_text(json.dumps(digests, indent=2, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {BASELINE}")


if __name__ == "__main__":
    main()
