"""innocluster: simulate, measure and steer innovation clusters.

>>> import innocluster as ic
>>> run = ic.simulate("benchmark", seed=1, steps=5, overrides={"n0": 1000})
>>> run.save("out/bench")          # doctest: +SKIP
>>> again = ic.load_run("out/bench")  # doctest: +SKIP
"""

import importlib
from typing import Any

from innocluster._version import __version__
from innocluster.errors import InnoclusterError
from innocluster.run import Run, load_run, simulate
from innocluster.scenario import load_scenario, preset_names

__all__ = [
    "InnoclusterError",
    "Run",
    "__version__",
    "load_run",
    "load_scenario",
    "preset_names",
    "simulate",
]

#: Subpackages loaded on first use (PEP 562): ``ic.estimate`` imports statsmodels.
_SUBMODULES = ("data", "datasets", "estimate", "experiments", "measures", "report")


def __getattr__(name: str) -> Any:
    if name == "diagnose":  # ic.diagnose(tables or a folder): the seeds' two questions, from data
        return importlib.import_module(f"{__name__}.data.sources").read_and_diagnose
    if name == "claims":  # ic.claims(names, presets, seeds): the stylised facts, checked
        return importlib.import_module(f"{__name__}.facts").check_claims
    if name == "load_tables":  # ic.load_tables(folder): real data, validated
        return importlib.import_module(f"{__name__}.data.files").load_tables
    if name not in _SUBMODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(f"{__name__}.{name}")
