"""The depreciation mechanism: knowledge becomes obsolete."""

from __future__ import annotations

import numpy as np

from innocluster.models.cluster.mechanisms import depreciation
from tests.models.cluster.helpers import fresh_state, scenario, step_once


def test_depreciation_scales_knowledge():
    sc = scenario(delta=0.1)
    state = fresh_state(sc)
    tacit = state.orgs["tacit"].copy()
    step_once(depreciation, state, sc)
    np.testing.assert_allclose(state.orgs["tacit"], 0.9 * tacit)
