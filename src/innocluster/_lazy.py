"""Internal: a package's public names, loaded from their submodules on first use (PEP 562).

Interface: :func:`lazy_exports` gives a package the ``__getattr__`` and ``__dir__`` of its
exports table, so that importing the package imports none of the libraries only some of its
submodules need (``innocluster.measures`` without networkx, ``innocluster.report`` without
plotly).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package``.

    Args:
        package: the package's ``__name__``.
        exports: public name -> the submodule (relative to the package) that defines it.

    Returns:
        ``(__getattr__, __dir__)``: the first imports the submodule of a name on its first look-up
        and keeps the value in the package (later look-ups skip it); the second lists the names.
    """
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{exports[name]}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
