"""The models the engine runs, by the name a scenario gives in its ``model`` key."""

from innocluster.models import benchmark, cluster
from innocluster.models.spec import ModelSpec

MODELS: dict[str, ModelSpec] = {"benchmark": benchmark.MODEL, "cluster": cluster.MODEL}

__all__ = ["MODELS", "ModelSpec"]
