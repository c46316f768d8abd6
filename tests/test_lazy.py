"""A package's lazy exports load a submodule on first look-up and only then."""

from __future__ import annotations

import subprocess
import sys

import pytest

import innocluster.measures as measures


def test_a_name_loads_from_its_submodule_and_stays():
    gini = measures.gini
    assert gini is measures.__dict__["gini"]
    assert gini([1.0, 1.0, 1.0]) == 0.0
    assert "moran" in dir(measures)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        measures.nothing  # noqa: B018


def test_importing_the_packages_loads_no_drawing_or_network_library():
    code = (
        "import sys, innocluster.measures, innocluster.report; "
        "print(sorted(m for m in ('networkx', 'plotly', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
