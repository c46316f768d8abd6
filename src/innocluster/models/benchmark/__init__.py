"""The benchmark model of ``benchmark-model.md``, exactly as specified.

See ``docs/benchmark-model.md``. The folder:

- ``parameters.py``: the scenario and its parameters;
- ``kernels.py``: the compiled spillover pool and the spread of innovations over fields;
- ``model.py``: the initial state, the five mechanisms in order, the observer.
"""

from innocluster.models.benchmark.model import MODEL

__all__ = ["MODEL"]
