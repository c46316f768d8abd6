"""Scenarios: presets, overrides, TOML round trip, and every kind of bad input."""

from __future__ import annotations

import pytest

from innocluster.errors import InnoclusterError
from innocluster.scenario import (
    load_scenario,
    parse_override,
    preset_description,
    preset_names,
    scenario_to_toml,
)


def test_presets_load_and_describe_themselves():
    assert {"benchmark", "default"} <= set(preset_names())
    for name in preset_names():
        scenario = load_scenario(name)
        assert scenario.name == name
        assert preset_description(name)


def test_benchmark_preset_has_the_spec_defaults():
    p = load_scenario("benchmark").benchmark
    assert (p.n0, p.D, p.r, p.lam, p.s, p.a) == (10_000, 16, 0.05, 0.02, 0.02, 0.5)
    assert (p.delta, p.p_spin, p.sigma_spin, p.phi, p.q_exit) == (0.05, 0.01, 0.01, 0.5, 0.01)
    assert load_scenario("benchmark").steps == 50


def test_override_by_section_key_and_by_unique_key():
    a = load_scenario("benchmark", {"benchmark.n0": 123})
    b = load_scenario("benchmark", ["n0=123", "steps=7", "mechanisms.exit=false"])
    assert a.benchmark.n0 == b.benchmark.n0 == 123
    assert b.steps == 7 and b.mechanisms.exit is False


def test_toml_round_trip_gives_the_same_scenario(tmp_path):
    scenario = load_scenario("benchmark", {"n0": 77, "r": 0.1, "steps": 3})
    path = tmp_path / "s.toml"
    path.write_text(scenario_to_toml(scenario))
    assert load_scenario(path) == scenario


def test_file_name_is_the_default_name(tmp_path):
    path = tmp_path / "my_cluster.toml"
    path.write_text('model = "benchmark"\nsteps = 2\n')
    assert load_scenario(path).name == "my_cluster"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"benchmark.nope": 1}, "benchmark.nope=1: unknown key; expected one of: n0, D"),
        ({"n0": -5}, "benchmark.n0=-5: expected greater than or equal to 0"),
        ({"q_exit": 1.5}, "benchmark.q_exit=1.5: expected less than or equal to 1"),
        ({"n0": 2.5}, "benchmark.n0=2.5: expected a valid integer"),
        ({"r": "wide"}, "benchmark.r='wide': expected a valid number"),
        ({"mechanisms.exit": 1}, "mechanisms.exit=1: expected a valid boolean"),
        ({"model": "nosuch"}, "model: expected one of benchmark, cluster, got 'nosuch'"),
        ({"a.b.c": 1}, "override 'a.b.c': expected KEY or SECTION.KEY"),
        ({"name.x": 1}, "override 'name.x': 'name' is not a section"),
    ],
)
def test_bad_overrides_name_the_key_and_the_expectation(overrides, expected):
    with pytest.raises(InnoclusterError, match=expected.replace("(", r"\(").replace(".", r"\.")):
        load_scenario("benchmark", overrides)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"steps = [", "malformed TOML"),
        (b"[benchmark]\nfoo = 1\n", "benchmark.foo: unknown key"),
        (b"steps = 0\n", "steps: expected greater than or equal to 1, got 0"),
        (b'steps = "ten"\n', "steps: expected a valid integer, got 'ten'"),
        (b"\xff\xfe\x00binary", "is not UTF-8 text"),
        (b"steps = 1\x00\n", "is binary"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path, content, expected):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(InnoclusterError) as err:
        load_scenario(path)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_unknown_preset_and_missing_file():
    with pytest.raises(InnoclusterError, match="unknown scenario preset 'nosuch'"):
        load_scenario("nosuch")
    with pytest.raises(InnoclusterError, match="does not exist"):
        load_scenario("no/such/file.toml")


@pytest.mark.parametrize("item", ["n0", "=3", ""])
def test_malformed_set_is_refused(item):
    with pytest.raises(InnoclusterError, match="expected KEY=VALUE"):
        parse_override(item)


def test_set_values_are_read_as_toml_or_plain_strings():
    assert parse_override("benchmark.n0=2000") == ("benchmark.n0", 2000)
    assert parse_override("r=0.5") == ("r", 0.5)
    assert parse_override("mechanisms.exit=false") == ("mechanisms.exit", False)
    assert parse_override("model=benchmark") == ("model", "benchmark")
    assert parse_override('name="a b"') == ("name", "a b")
