"""Geary's C: PySAL esda on Columbus, with esda's permutations replayed.

The statistic and its analytical moments agree with esda to 1e-9, and its permutation
distribution with the *same* permutations. The brute-force checks of its moments, shared with
the other statistics, are in ``tests/measures/test_inference.py``, with the Columbus fixture.
"""

from __future__ import annotations

import numpy as np
import pytest

from innocluster.measures._inference import GlobalStat
from innocluster.measures.geary_c import geary
from innocluster.measures.weights import transform_weights
from tests.measures.test_inference import P, fresh, legacy_permutations, load_columbus


@pytest.fixture(scope="module")
def columbus():
    return load_columbus()


def test_geary_matches_esda(columbus):
    esda, y, n = columbus["esda"], columbus["CRIME"], 49
    np.random.seed(7)  # noqa: NPY002 -- esda draws from the global state
    theirs = esda.Geary(y, fresh(columbus), transformation="r", permutations=P)
    ours = geary(y, columbus["w"], permutations=0)
    for name in ("C", "EC", "VC_norm", "seC_norm", "z_norm", "VC_rand", "seC_rand", "z_rand"):
        assert getattr(ours, name) == pytest.approx(getattr(theirs, name), rel=1e-9, abs=1e-12)
    # esda's analytical p-values of Geary's C are one-sided in the observed direction.
    assert ours.p_norm == pytest.approx(2 * theirs.p_norm, rel=1e-9)
    less = geary(y, columbus["w"], permutations=0, alternative="less")
    assert ours.C < 1 and less.p_rand == pytest.approx(theirs.p_rand, rel=1e-9)
    w_r = transform_weights(columbus["w"], "r")
    z = y - y.mean()
    stat = GlobalStat("geary", w_r, (n - 1) / (2 * w_r.sum() * (z @ z)))
    np.testing.assert_allclose(stat(z, legacy_permutations(7, n, P)), theirs.sim, rtol=1e-9)
