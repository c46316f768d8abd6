"""The models the engine runs, by the name a scenario gives in its ``model`` key."""

from innocluster.models import benchmark
from innocluster.models.spec import ModelSpec

MODELS: dict[str, ModelSpec] = {"benchmark": benchmark.MODEL}

__all__ = ["MODELS", "ModelSpec"]
