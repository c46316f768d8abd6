"""The model registry: every model the engine can run, by the name a scenario gives in ``model``.

Each model is one folder of this package (``cluster/``, ``benchmark/``) whose ``__init__``
exports ``MODEL``, its :class:`~innocluster.core.spec.ModelSpec`. The scenario loader takes the
scenario classes from here; the generic core (:mod:`innocluster.core`) never imports a model.
To add a model, add its folder and one entry below (``docs/extending.md``).
"""

from __future__ import annotations

from innocluster.core.parameters import ScenarioBase
from innocluster.core.spec import ModelSpec
from innocluster.models.benchmark import MODEL as BENCHMARK
from innocluster.models.benchmark.parameters import BenchmarkScenario
from innocluster.models.cluster import MODEL as CLUSTER
from innocluster.models.cluster.parameters import ClusterScenario

__all__ = ["MODELS", "SCENARIO_CLASSES", "ModelSpec", "Scenario", "model_of"]

#: The models by name.
MODELS: dict[str, ModelSpec] = {model.name: model for model in (BENCHMARK, CLUSTER)}

#: Scenario classes by the value of their ``model`` key.
SCENARIO_CLASSES: dict[str, type[ScenarioBase]] = {
    name: model.scenario for name, model in MODELS.items()
}

#: Any validated scenario of a registered model.
Scenario = BenchmarkScenario | ClusterScenario


def model_of(scenario: ScenarioBase) -> ModelSpec:
    """The model that runs ``scenario`` (by its ``model`` key)."""
    return MODELS[scenario.model]
