"""The mechanisms of the cluster model, one module each.

A mechanism module has a step ``step(state, scenario, rng)`` that changes, in place and
vectorised over organisations, only what the module's ``CONTRACT`` declares (checked by
``tests/models/test_contracts.py``). Mechanisms share state through
:mod:`innocluster.models.cluster.state` and never import each other; the model
(:mod:`innocluster.models.cluster.model`, its ``ORDER``) fixes their order.
"""
