"""Measuring from the command line: ``innocluster measure`` and ``innocluster diagnose``.

The measures and the diagnosis themselves, and the commands on other folders, are tested in
``tests/measures``; these tests cover what the commands add: the files they write and the
options they parse.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import invoke, unwrapped


def test_measure_writes_to_a_json_file_what_it_prints(tmp_path):
    printed = invoke("measure", "example")
    assert printed.exit_code == 0, printed.output
    out = tmp_path / "new" / "profile.json"
    written = invoke("measure", "example", "--out", out)
    assert written.exit_code == 0, written.output
    assert unwrapped(written.stdout) == unwrapped(f"wrote {out}")
    saved, shown = json.loads(out.read_text("utf-8")), json.loads(printed.stdout)
    assert saved.keys() == shown.keys()
    saved.pop("seconds"), shown.pop("seconds")  # how long each section took: not the same twice
    assert saved == shown
    assert [p.name for p in out.parent.iterdir()] == ["profile.json"]  # no staging file left


@pytest.mark.parametrize("thresholds", ["1,x", "1", "1,2,3"])
def test_diagnose_thresholds_must_be_two_numbers(thresholds):
    result = invoke("diagnose", "example", "--reference", "thresholds", "--thresholds", thresholds)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"error: --thresholds '{thresholds}': expected two numbers, KNOWLEDGE,ALLIANCES\n"
    )
