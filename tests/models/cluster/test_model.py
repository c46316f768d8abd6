"""The cluster model as a whole: its tables, seeds, switches, threads and indicator helpers.

The unit tests of each mechanism are in ``tests/models/cluster/mechanisms/``, one module per
mechanism module; the parameters' in ``test_parameters.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import innocluster as ic
from innocluster.core.engine import run_model
from innocluster.models import MODELS, model_of
from innocluster.models.cluster.model import morans_i, top_share
from innocluster.models.cluster.state import World
from tests.models.cluster.helpers import SMALL, scenario

# --- the whole model ----------------------------------------------------------------------


def test_a_run_writes_valid_tables_and_every_indicator(tmp_path):
    run = ic.simulate("default", seed=3, overrides=SMALL)
    declared = [c.name for c in MODELS["cluster"].indicators]
    assert run.indicators.columns.tolist() == ["step", *declared]
    for name in ("gini_orgs_regions", "tech_entropy", "size_top10_share", "price"):
        assert run.indicators[name].notna().all(), name
    eg = run.indicators.eg_index.to_numpy()
    assert np.isfinite(eg).all() and eg.std() > 0  # measures space, not only firm sizes
    orgs = run.organizations
    assert set(orgs.kind) <= {"firm", "leader", "institute", "intermediary"}
    spun = orgs[orgs.parent.notna()]
    assert spun.parent.isin(orgs.org_id).all()
    assert run.patents.org_id.isin(orgs.org_id).all()
    again = ic.load_run(run.save(tmp_path / "run"))
    for name in ("organizations", "patents", "indicators"):
        assert again.tables[name].equals(run.tables[name])


def test_same_seed_same_tables_and_different_seed_different_ones():
    a = ic.simulate("default", seed=11, overrides=SMALL)
    b = ic.simulate("default", seed=11, overrides=SMALL)
    c = ic.simulate("default", seed=12, overrides=SMALL)
    assert all(a.tables[n].equals(b.tables[n]) for n in a.tables)
    assert not a.tables["patents"].equals(c.tables["patents"])


def _final(seed=5, **overrides):
    sc = scenario(steps=20, **overrides)
    sim = run_model(model_of(sc), sc, seed)
    return sim.rows, sim.state


@pytest.mark.parametrize(
    ("mechanism", "changed"),
    [
        ("government", lambda on, off: off[0]["gov_spending"] == 0 < on[0]["gov_spending"]),
        (
            "spillover",
            lambda on, off: (
                sum(r["knowledge_explicit"] for r in off) < sum(r["knowledge_explicit"] for r in on)
            ),
        ),
        (
            "research",
            lambda on, off: (
                all(np.isnan(r["process_share"]) for r in off)
                and not np.isnan(on[-1]["process_share"])
            ),
        ),
        (
            "entrepreneurship",
            lambda on, off: sum(r["entries"] for r in off) == 0 < sum(r["entries"] for r in on),
        ),
        (
            "market",
            lambda on, off: (
                sum(r["exits"] for r in off) == 0 == sum(r["output"] for r in off)
                and np.isnan(off[-1]["price"])
                and on[-1]["output"] > 0
            ),
        ),
        (
            "mobility",
            lambda on, off: (
                sum(r["knowledge_tacit"] for r in off) < sum(r["knowledge_tacit"] for r in on)
            ),
        ),
        (
            "depreciation",
            lambda on, off: off[-1]["knowledge_tacit"] > on[-1]["knowledge_tacit"],
        ),
    ],
)
def test_each_mechanism_switched_off_alone_changes_what_it_should(mechanism, changed):
    on, _ = _final()
    off, state = _final(**{f"mechanisms.{mechanism}": False})
    assert len(off) == 20 and state.orgs.n > 0
    assert changed(on, off)


def test_top_share_and_morans_i():
    assert top_share(np.array([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 0.1) == 1.0
    assert top_share(np.ones(20), 0.1) == pytest.approx(0.1)
    assert np.isnan(top_share(np.zeros(3), 0.1))
    row, col = np.divmod(np.arange(100), 10)
    checkerboard = ((row + col) % 2).astype(float)  # every rook neighbour differs
    assert morans_i(checkerboard, 10) == pytest.approx(-1.0)
    assert morans_i((col < 5).astype(float), 10) > 0.7  # two halves
    assert np.isnan(morans_i(np.ones(100), 10))


def test_world_defaults_have_the_right_shapes():
    world = World(Q=0.5, D=4, regions=9)
    assert world.strategic.shape == (4,) and world.zone.shape == (9,)
    assert world.location_weight.tolist() == [1.0] * 9


def test_one_or_two_threads_give_the_same_run():
    import numba

    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs two numba threads")
    before = numba.get_num_threads()
    tables = []
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            run = ic.simulate("default", seed=4, overrides={**SMALL, "steps": 25})
            tables.append(run.tables)
    finally:
        numba.set_num_threads(before)
    assert all(tables[0][name].equals(tables[1][name]) for name in tables[0])
