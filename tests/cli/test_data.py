"""Real data from the command line: ``innocluster validate`` and ``innocluster import``.

Reading, validating and importing data are tested in ``tests/data``, with the commands on
their folders; these tests cover what the commands add: their options and how they report
problems.
"""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke


@pytest.mark.parametrize("option", [["--grid-km", "0"], ["--limit", "0"]])
def test_validate_options_are_checked(option):
    result = invoke("validate", "example", *option)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "error: --grid-km must be > 0 and --limit >= 1\n"


def test_validate_lists_problems_up_to_the_limit_and_says_so(tmp_path):
    every = invoke("validate", tmp_path)  # an empty folder: every table is missing
    assert every.exit_code == 2 and every.stdout == ""
    lines = every.stderr.splitlines()
    assert len(lines) == 4 and lines[-1] == "3 problem(s)"
    assert all(line.startswith("error: ") and ": missing: " in line for line in lines[:-1])
    first = invoke("validate", tmp_path, "--limit", 1)
    assert first.exit_code == 2
    assert first.stderr.splitlines() == [lines[0], "1 problem(s) (the limit; there may be more)"]


def test_import_csv_refuses_a_grid_of_no_size_before_reading_anything(tmp_path):
    out = tmp_path / "out"
    result = invoke(
        "import", "csv", tmp_path / "none", "--out", out, "--map", tmp_path / "none.toml",
        "--grid-km", 0,
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == "error: --grid-km must be > 0; got 0.0\n"
    assert not out.exists()
