"""Shared helpers of the estimation tests.

A plain module (not a conftest): tests import what they use, e.g.
``from tests.estimate.helpers import SMALL``. The simulated panel shared by the panel and the
moments tests is a fixture, in ``conftest.py``.
"""

from __future__ import annotations

__all__ = ["SMALL"]

#: A small cluster scenario (overrides of the default preset) for the panel and its moments.
SMALL = {"population.n_firms": 40, "population.n_institutes": 4, "steps": 10}
