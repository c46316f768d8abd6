"""Claims from the command line: the table, the JSON, the exit codes."""

from __future__ import annotations

import json

from tests.cli.helpers import invoke


def _small(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text('model = "cluster"\nsteps = 30\n[population]\nn_firms = 60\n')
    return str(path)


def test_json_lists_each_claim_with_its_interval_and_verdict(tmp_path):
    shown = invoke(
        "claims", "klepper-shakeout", "klepper-process-cause", "--preset", _small(tmp_path),
        "--seeds", "0-2", "--workers", "1", "--json",
    )  # fmt: skip
    assert shown.exit_code in (0, 1), shown.output
    results = json.loads(shown.stdout)
    assert [r["name"] for r in results] == ["klepper-shakeout", "klepper-process-cause"]
    for r in results:
        assert {"name", "source", "effect", "ci_low", "ci_high", "margin", "passed"} <= set(r)
        assert r["seeds"] == [0, 1, 2]
    assert shown.exit_code == (0 if all(r["passed"] for r in results) else 1)


def test_a_failing_claim_exits_with_1_and_says_so(tmp_path):
    # Without process innovation there is no shakeout to survive the removal of a fixed cost.
    path = tmp_path / "flat.toml"
    path.write_text('model = "cluster"\nsteps = 30\n[population]\nn_firms = 60\n'
                    '[research]\ncost_step = 0.0\n')  # fmt: skip
    shown = invoke(
        "claims", "klepper-no-fixed-cost", "--preset", str(path), "--seeds", "0-1",
        "--workers", "1",
    )  # fmt: skip
    assert shown.exit_code == 1 and "fail" in shown.stdout


def test_user_mistakes_exit_with_2_in_one_line():
    for args, message in (
        (("claims", "nosuch"), "claim 'nosuch': unknown"),
        (("claims", "--seeds", "9-3"), "--seeds '9-3'"),
        (("claims", "--preset", "benchmark", "--seeds", "0-1"), "cluster model"),
    ):
        shown = invoke(*args)
        assert shown.exit_code == 2 and message in shown.stderr, shown.output
        assert "Traceback" not in shown.output
