"""Audretsch and Feldman's claims: two industries of different ages in one common year."""

from __future__ import annotations

from innocluster.facts.geography import CLAIMS, COMMON_YEAR, MATURE, YOUNG, YOUNG_AGE


def test_the_industries_differ_only_in_age_and_draws():
    assert MATURE.resolve(None) == {"steps": COMMON_YEAR}
    assert YOUNG.resolve(None) == {"steps": YOUNG_AGE}
    assert YOUNG.seed_offset != MATURE.seed_offset  # another industry, not the same one younger
    assert YOUNG_AGE < COMMON_YEAR // 2


def test_the_industries_effect_is_the_young_minus_the_mature_excess():
    claim = {c.name: c for c in CLAIMS}["audretsch-feldman-industries"]
    runs = {YOUNG.label: {"excess_last": 0.3}, MATURE.label: {"excess_last": 0.1}}
    assert abs(claim.effect(runs) - 0.2) < 1e-12
