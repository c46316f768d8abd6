"""What the cluster model must show (issue: the forming mechanisms), over many seeds.

Each claim compares means or medians over ten seeds (0..9) with fixed margins stated in the
test; common random numbers (one generator per mechanism) make the paired comparisons sharp.
The life cycle, firm sizes and Audretsch and Feldman's two forms are claims of
``innocluster claims``, tested on held-out seeds in ``tests/facts``.
"""

from __future__ import annotations

import numpy as np
import pytest

import innocluster as ic
from innocluster.core.engine import run_model
from innocluster.measures.concentration import rarefied_gini
from innocluster.models import model_of
from innocluster.models.cluster.state import INSTITUTE, knowledge_stock, region_of
from innocluster.scenario import load_scenario
from tests.default_runs import SEEDS, runs

pytestmark = pytest.mark.slow


def region_counts(patents, years) -> np.ndarray:
    """Patents filed in the given years per region of the 10 x 10 grid, ``(100,)``."""
    p = patents[patents.year.isin(years)]
    return np.bincount(region_of(p.x.to_numpy(), p.y.to_numpy(), 100.0, 10), minlength=100)


def paired_concentration(a: np.ndarray, b: np.ndarray, seed: int) -> tuple[float, float]:
    """Gini of two patent counts over regions, both rarefied to the smaller count.

    A Gini over 100 regions rises as the count falls (400 random patents give about 0.28,
    900 about 0.19), so samples of different sizes are compared at a common size.
    """
    size = int(min(a.sum(), b.sum()))
    return rarefied_gini(a, size, seed=seed), rarefied_gini(b, size, seed=seed)


CLAIM_1_SEEDS = range(20)
WINDOW = range(46, 51)


@pytest.mark.xfail(
    strict=True,
    reason="not reproduced since the life cycle was rebuilt for Klepper's reasons; the knowledge "
    "flows behind the forming mechanisms are being rebuilt (docs/model.md, Behaviour)",
)
def test_spinoffs_and_spillover_concentrate_patents_in_space():
    # Uniform start; patents of steps 46-50 (one window around step 50, enough patents for a
    # stable Gini). The effect is small against the spread between seeds once congestion caps
    # the clusters, so this claim uses 20 seeds. Measured: 0.50 on against 0.47 off, higher in
    # 18 of 20 seeds (docs/model.md).
    off_overrides = {"mechanisms.spillover": False, "p_spin": 0.0, "p_academic": 0.0}
    on, off = np.array(
        [
            paired_concentration(
                region_counts(a.patents, WINDOW), region_counts(b.patents, WINDOW), s
            )
            for s, a, b in zip(
                CLAIM_1_SEEDS,
                runs(CLAIM_1_SEEDS, steps=50),
                runs(CLAIM_1_SEEDS, steps=50, **off_overrides),
                strict=True,
            )
        ]
    ).T
    assert on.mean() > off.mean() + 0.015
    assert (on > off).sum() >= 15


def _share_in_zone(run: ic.Run, step: int) -> float:
    o = run.organizations
    alive = o[(o.born <= step) & (o.exited.isna() | (o.exited > step))]
    return float(alive.region.isin([44, 45, 54, 55]).mean())


def test_planned_zone_draws_organisations_into_its_regions():
    with_zone = [_share_in_zone(r, 40) for r in runs(steps=40)]
    without = [_share_in_zone(r, 40) for r in runs(steps=40, **{"government.zone": 0.0})]
    # Four of 100 regions: about 4% of organisations without a zone, about 6% with one.
    assert np.mean(with_zone) > 1.25 * np.mean(without)
    assert sum(a > b for a, b in zip(with_zone, without, strict=True)) >= 9


def _strategic_share(run: ic.Run) -> float:
    p = run.patents
    p = p[p.year > 10]
    return float(p.field.isin([0, 1, 2]).mean())


def test_targeted_subsidies_specialise_in_the_strategic_fields():
    common = {"steps": 40, "strategic_fields": [0, 1, 2]}
    targeted = [_strategic_share(r) for r in runs(targeted=True, **common)]
    broad = [_strategic_share(r) for r in runs(targeted=False, **common)]
    # Three of 16 fields: about 0.19 under broad subsidies.
    assert np.mean(targeted) > np.mean(broad) + 0.05


def _knowledge_near(scenario, seed: int, x: float, y: float, radius: float) -> float:
    state = run_model(model_of(scenario), scenario, seed, observe=False).state
    orgs = state.orgs
    near = np.hypot(orgs["x"] - x, orgs["y"] - y) < radius
    anchor = (orgs["kind"] == INSTITUTE) & (orgs["x"] == x) & (orgs["y"] == y)
    others = near & ~anchor
    return float(knowledge_stock(orgs["tacit"][others], orgs["explicit"][others]).sum())


def test_an_anchor_institute_raises_knowledge_in_its_neighbourhood():
    base = {"steps": 30, "anchor_x": 50.0, "anchor_y": 50.0}
    with_anchor = load_scenario("default", {**base, "anchor_steps": [5]})
    without = load_scenario("default", base)
    gained = [
        _knowledge_near(with_anchor, s, 50.0, 50.0, 10.0)
        - _knowledge_near(without, s, 50.0, 50.0, 10.0)
        for s in SEEDS
    ]
    assert np.mean(gained) > 0 and sum(g > 0 for g in gained) >= 7


def test_start_up_grants_raise_entries():
    granted = [r.indicators.entries.sum() for r in runs(steps=30)]
    none = [r.indicators.entries.sum() for r in runs(steps=30, **{"government.grants": 0.0})]
    assert np.mean(granted) > 1.1 * np.mean(none)
    assert sum(a > b for a, b in zip(granted, none, strict=True)) >= 8
