"""The command line: ``innocluster estimate kpf`` on bundled names and on files."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import innocluster as ic
from innocluster.cli import app

runner = CliRunner()
HGH = ["hgh1986", "--count", "pat", "--inputs", "logr,logr1,logr2", "--panel", "obsno"]


def invoke(*args):
    """``innocluster estimate kpf ARGS``."""
    return runner.invoke(app, ["estimate", "kpf", *(str(a) for a in args)])


def test_table_for_a_bundled_dataset():
    result = invoke(*HGH, "--time", "year", "--year-effects", "--model", "fe-poisson")
    assert result.exit_code == 0, result.output
    for text in ("fe-poisson: pat on logr, logr1, logr2 (hgh1986)", "logr2", "year[5]"):
        assert text in result.stdout
    assert "324 firms" in result.stdout and "clustered by obsno" in result.stdout
    assert "const" not in result.stdout
    assert result.stderr.startswith("note: left out 22 firm(s)")


def test_json_has_one_entry_per_term_and_matches_the_python_api():
    result = invoke(*HGH, "--model", "negbin", "--controls", "logk,scisect", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    expected = ic.estimate.kpf(
        ic.datasets.hgh1986(),
        "pat",
        ["logr", "logr1", "logr2"],
        panel="obsno",
        model="negbin",
        controls=["logk", "scisect"],
    )
    assert list(out["terms"]) == expected.coefficients["term"].tolist()
    assert list(out["terms"]) == ["const", "logr", "logr1", "logr2", "logk", "scisect", "alpha"]
    for term, entry in out["terms"].items():
        assert list(entry) == ["estimate", "std_error", "z", "p_value", "ci_low", "ci_high"]
        assert entry["estimate"] == pytest.approx(expected.params[term])
    assert out["alpha"] > 0 and out["nobs"] == 1730 and out["n_groups"] == 346


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_csv_or_parquet_file(tmp_path, suffix):
    data = ic.datasets.cincera1997()[["fi", "year", "patent", "rdexp", "spil"]]
    path = tmp_path / f"panel{suffix}"
    data.to_csv(path, index=False) if suffix == ".csv" else data.to_parquet(path)
    result = invoke(path, "--count", "patent", "--inputs", "rdexp, spil", "--panel", "fi",
                    "--no-cluster", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["cov_type"] == "model" and list(out["terms"]) == ["const", "rdexp", "spil"]
    assert out["terms"]["rdexp"]["estimate"] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "ols"], "unknown model 'ols': expected one of poisson, negbin, fe-poisson"),
        (["--inputs", "logr,nope"], "column 'nope' (input) not found in the data"),
        (["--inputs", "logr,,logr1"], "--inputs 'logr,,logr1': expected COL[,COL...]"),
        (["--count", "scisect"], "column 'scisect' (count) is not numeric (dtype bool)"),
        (["--controls", "scisect", "--model", "fe-poisson"], "'scisect' does not vary within"),
        (["--year-effects"], "year effects need a time column (--time)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    base = ["--count", "pat", "--inputs", "logr", "--panel", "obsno"]
    result = invoke("hgh1986", *base, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_bad_data_sources(tmp_path):
    result = invoke("hgh1987", "--count", "pat", "--inputs", "logr")
    assert result.exit_code == 2 and "no such file or bundled dataset" in result.stderr
    path = tmp_path / "negative.csv"
    pd.DataFrame({"n": [1, -2, 3], "x": [0.1, 0.2, 0.3]}).to_csv(path, index=False)
    result = invoke(path, "--count", "n", "--inputs", "x")
    assert result.exit_code == 2 and "count column 'n' has negative values" in result.stderr
    text = tmp_path / "text.csv"
    pd.DataFrame({"n": [1, 2, 3], "x": ["a", "b", "c"]}).to_csv(text, index=False)
    result = invoke(text, "--count", "n", "--inputs", "x")
    assert result.exit_code == 2 and "column 'x' (input) is not numeric" in result.stderr
