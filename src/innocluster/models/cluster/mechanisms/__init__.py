"""The mechanisms of the cluster model, one module each.

A mechanism is a function ``step(state, scenario, rng)`` that changes, in place and vectorised
over organisations, only the fields its module docstring lists. Mechanisms share state through
:mod:`innocluster.models.cluster.state` and never import each other; the model
(:mod:`innocluster.models.cluster`) fixes their order.
"""
