"""Every public name of innocluster.measures resolves to a documented object."""

from __future__ import annotations

import subprocess
import sys

import pytest

import innocluster.measures as measures


def test_every_export_loads_and_has_a_docstring():
    for name in measures.__all__:
        value = getattr(measures, name)
        assert value is not None, name
        if callable(value):
            assert value.__doc__, f"{name} has no docstring"


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no_such_measure"):
        measures.no_such_measure  # noqa: B018


def test_the_simulator_does_not_import_the_heavy_measure_libraries():
    code = (
        "import sys, innocluster.run; "
        "print(sorted(m for m in ('networkx', 'scipy.signal', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
