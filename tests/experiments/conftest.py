"""Fixtures of the experiments' tests.

One local Dask cluster of two worker processes is shared by every module of the package (it
starts with the first test that needs it); sweeps that need their own cluster (other worker
counts) say so. The reference sweep is the uninterrupted sweep of the test experiment on it.
"""

from __future__ import annotations

import pytest

from innocluster.experiments import dask_client, load_experiment, sweep
from tests.experiments.helpers import make_spec, sweep_results


@pytest.fixture(scope="package")
def client():
    with dask_client(workers=2) as active:
        yield active


@pytest.fixture(scope="package")
def reference(tmp_path_factory, client):
    """The uninterrupted sweep of the test experiment on the package's two workers."""
    tmp = tmp_path_factory.mktemp("reference")
    result = sweep(load_experiment(make_spec(tmp)), client=client)
    assert result.ran == 8 and result.failed.empty
    return sweep_results(tmp / "out")
