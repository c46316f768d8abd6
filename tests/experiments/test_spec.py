"""The experiment file: its keys, a design given as a DataFrame, errors naming the key or the
file, and the documentation of every key and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from innocluster.errors import InnoclusterError
from innocluster.experiments import load_experiment
from tests.experiments.helpers import make_spec


def test_design_from_a_dataframe(tmp_path):
    spec = make_spec(tmp_path, factors={})
    rows = pd.DataFrame({"benchmark.s": [0.0, 0.02, 0.04], "steps": [2.0, 3.0, 4.0]})
    plan = load_experiment(spec, design=rows)
    assert [s.steps for s in plan.scenarios] == [2, 3, 4]
    assert plan.applied["steps"].tolist() == [2, 3, 4]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bogus": 1}, "bogus: unknown key; expected one of: name,"),
        ({"replications": 0}, "replications: expected greater than or equal to 1, got 0"),
        ({"seeds": [1], "replications": 2}, "give replications or seeds, not both"),
        ({"factors": {"benchmark.nope": [1]}}, "factors.benchmark.nope: unknown key"),
        ({"factors": {"s": {"low": 0, "high": 1}}}, "factors.s: the grid design needs"),
        ({"factors": {"s": {"low": 1, "high": 0}}}, "expected high > low"),
        ({"indicators": ["nope"]}, "indicators: unknown indicator 'nope'"),
        ({"factors": {"s": [0.1, -1.0]}}, "design row 1: override benchmark.s=-1.0"),
        ({"base": "nosuch"}, "base: unknown scenario preset 'nosuch'"),
        ({"design": {"method": "sobol", "samples": 6}}, None),
    ],
)
def test_bad_experiment_is_refused_naming_the_key(tmp_path, changes, message):
    spec = make_spec(tmp_path, **changes)
    if message is None:  # a Sobol design needs ranges and a power-of-two sample size
        spec["factors"] = {"s": {"low": 0.0, "high": 1.0}}
        message = "design.samples: the Sobol design needs a power of two, got 6"
    with pytest.raises(InnoclusterError, match="experiment mapping: ") as err:
        load_experiment(spec)
    assert message in str(err.value)


def test_experiment_file_errors_name_the_file(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text('base = "benchmark"\nreplications = "three"\n')
    with pytest.raises(InnoclusterError, match=r"experiment file '.*e.toml': replications: "):
        load_experiment(path)


def test_docs_list_every_key_and_column():
    from innocluster.experiments.attribution import COLUMNS as ATTRIBUTION
    from innocluster.experiments.compare import COLUMNS as COMPARE
    from innocluster.experiments.sensitivity import COLUMNS as SENSITIVITY
    from innocluster.experiments.spec import DesignSection, ExperimentFile

    text = (Path(__file__).resolve().parents[2] / "docs" / "experiments.md").read_text()
    for name in set(ExperimentFile.model_fields) - {"design"}:  # design.* below
        assert f"| `{name}` |" in text, name
    for name in DesignSection.model_fields:
        assert f"| `design.{name}` |" in text, name
    for columns in (COMPARE, SENSITIVITY, ATTRIBUTION):
        for name in columns:
            assert f"`{name}`" in text, name
