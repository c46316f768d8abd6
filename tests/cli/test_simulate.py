"""Simulating: ``innocluster run`` (the folder it writes, exact repeats, scenario files, the
output folder) and ``innocluster scenarios``."""

from __future__ import annotations

import pandas as pd
import pytest

from innocluster.scenario import preset_description, preset_names
from tests.cli.helpers import invoke


def run_acceptance_case(seed, out):
    """``innocluster run benchmark --set n0=2000 --steps 20 --seed SEED --out OUT``."""
    result = invoke(
        "run", "benchmark", "--set", "n0=2000", "--steps", 20, "--seed", seed, "--out", out
    )
    assert result.exit_code == 0, result.output
    return result, pd.read_parquet(out / "indicators.parquet")


def test_run_writes_the_folder_and_repeats_exactly(tmp_path):
    out = tmp_path / "out"
    result, first = run_acceptance_case(7, out)
    assert "n_orgs" in result.stdout and f"wrote {out}/" in result.stdout
    assert len(first) == 20
    assert sorted(p.name for p in out.iterdir()) == [
        "alliances.parquet",
        "citations.parquet",
        "indicators.parquet",
        "organizations.parquet",
        "patents.parquet",
        "run.json",
        "scenario.toml",
    ]
    pd.testing.assert_frame_equal(first, run_acceptance_case(7, tmp_path / "again")[1])
    assert not first.equals(run_acceptance_case(8, tmp_path / "other")[1])

    replay = invoke("run", out / "scenario.toml", "--seed", 7, "--out", tmp_path / "replay")
    assert replay.exit_code == 0
    pd.testing.assert_frame_equal(first, pd.read_parquet(tmp_path / "replay/indicators.parquet"))


def test_default_output_folder_is_out_slash_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("run", "default", "--steps", 1, "--set", "n_firms=20").exit_code == 0
    assert (tmp_path / "out/default/organizations.parquet").is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"steps = [", "malformed TOML"),
        (b"\x89PNG\r\n\x1a\n\x00", "not UTF-8 text"),
        (b"[benchmark]\nn0 = 'many'\n", "benchmark.n0: expected a valid integer"),
    ],
)
def test_bad_scenario_files(tmp_path, content, message):
    path = tmp_path / "s.toml"
    path.write_bytes(content)
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code == 2 and message in result.stderr and str(path) in result.stderr
    assert not (tmp_path / "out").exists()


def test_output_path_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = invoke("run", "benchmark", "--set", "n0=10", "--steps", 1, "--out", target)
    assert result.exit_code == 2 and "is not a folder" in result.stderr


def test_scenarios_lists_every_preset_with_its_description_in_order():
    listing = invoke("scenarios")
    assert listing.exit_code == 0 and listing.stderr == ""
    expected = " ".join(f"{name} {preset_description(name)}" for name in preset_names())
    assert " ".join(listing.stdout.split()) == " ".join(expected.split())  # lines may wrap
