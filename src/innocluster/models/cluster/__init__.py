"""The cluster model: how an innovation cluster forms and governs its knowledge (``docs/model.md``).

One folder holds the whole model:

- ``parameters.py``: the scenario, one section of parameters per part of the model;
- ``state.py``: the organisation fields and kinds, the :class:`~.state.World` of cluster-wide
  values, and the knowledge quantities every mechanism reads the same way;
- ``kernels.py``: the compiled neighbour kernels (knowledge gaps to neighbours, nearby kinds);
- ``mechanisms/``: one module per mechanism, each with its step and its contract;
- ``model.py``: the initial state, the order of the mechanisms, the observer (indicators) and
  the organizations table.
"""

from innocluster.models.cluster.model import MODEL

__all__ = ["MODEL"]
