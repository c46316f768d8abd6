"""Checking claims: seeds, names, scenarios, and one small check end to end."""

from __future__ import annotations

import pytest

from innocluster.errors import InnoclusterError
from innocluster.facts import CLAIMS, check_claims, claim_named, parse_seeds


def test_seeds_are_read_as_an_inclusive_range():
    assert parse_seeds("1000-1019") == range(1000, 1020)
    assert parse_seeds("7") == range(7, 8)
    for bad in ("a-b", "5-1", "-3", "1-"):
        with pytest.raises(InnoclusterError, match="--seeds"):
            parse_seeds(bad)


def test_claim_names_are_unique_and_say_whom_they_follow():
    assert len(CLAIMS) == len({c.name for c in CLAIMS.values()})
    for claim in CLAIMS.values():
        assert claim.name == claim.name.lower() and " " not in claim.name
        assert claim.source and claim.compares and claim.variants
    with pytest.raises(InnoclusterError, match="unknown; expected one of klepper-shakeout"):
        claim_named("shakeout")


def test_bad_requests_are_refused_before_any_run():
    with pytest.raises(InnoclusterError, match="at least 2"):
        check_claims(["klepper-shakeout"], seeds=[1])
    with pytest.raises(InnoclusterError, match="cluster model"):
        check_claims(["klepper-shakeout"], presets=["benchmark"], seeds=[1, 2])


def test_a_small_check_runs_end_to_end(tmp_path):
    small = tmp_path / "small.toml"
    small.write_text('model = "cluster"\nsteps = 30\n[population]\nn_firms = 60\n')
    results = check_claims(
        ["klepper-shakeout", "klepper-process-cause"], presets=[str(small)], seeds=[0, 1],
        workers=1,
    )  # fmt: skip
    assert [r.name for r in results] == ["klepper-shakeout", "klepper-process-cause"]
    for r in results:
        assert r.preset == str(small) and r.seeds == (0, 1) and len(r.per_seed) == 2
        assert r.ci_low <= r.effect <= r.ci_high
        assert r.passed == (r.ci_low > r.margin if r.direction == "above" else r.ci_high < r.margin)


def test_a_variant_label_stands_for_one_scenario(monkeypatch):
    from innocluster.facts import check as check_module
    from innocluster.facts.claim import Claim, Variant

    def twin(overrides):
        variant = Variant("as given", overrides)
        return Claim("twin", "s", "x", (variant,), lambda r: 0.0, 0.0, "above")

    clash = {"a": twin({}), "b": twin({"research.cost_step": 0.0})}
    monkeypatch.setattr(check_module, "CLAIMS", clash)
    with pytest.raises(InnoclusterError, match="declared twice, differently"):
        check_claims(["a", "b"], seeds=[0, 1])
