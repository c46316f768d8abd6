"""The command line of experiments: ``sweep``, ``query``, ``attribute`` and ``compare``.

One local Dask cluster of two worker processes is shared by the module.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from innocluster.cli import app
from innocluster.experiments import dask_client, read_runs


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2) as active:
        yield active


def test_cli_sweep_exits_non_zero_naming_failed_runs(tmp_path, client):
    path = tmp_path / "e.toml"
    path.write_text(
        'base = "benchmark"\nsteps = 3\nreplications = 1\nout = "o"\n'
        '[overrides]\nn0 = 100\n[factors]\n"benchmark.a" = [0.5, 1e300]\n'
    )
    address = client.scheduler.address
    result = CliRunner().invoke(app, ["sweep", str(path), "--scheduler", address])
    assert result.exit_code == 1
    failed = read_runs(tmp_path / "o").query("status == 'error'")["run_id"].item()
    assert f"failed: run {failed} (design 1, seed 0): ValueError" in result.output
    assert "1 runs failed" in result.output
    query_ = CliRunner().invoke(
        app, ["query", str(tmp_path / "o"), "SELECT status FROM runs ORDER BY 1", "--csv"]
    )
    assert query_.output == "status\nerror\nok\n"


def test_cli_attribute_and_compare(tmp_path, client):
    address = client.scheduler.address
    out = tmp_path / "attr"
    args = [
        "attribute",
        "benchmark",
        "--mechanisms",
        "spillover,innovation",
        "--replications",
        "2",
        "--steps",
        "2",
        "--set",
        "n0=100",
        "--scheduler",
        address,
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the table's title may wrap
    assert "Shapley values for total_knowledge (exact, 4 coalitions x 2 seeds)" in said
    result = CliRunner().invoke(
        app, ["compare", str(out), "--by", "mechanisms.spillover", "--metric", "total_knowledge"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "compare-total_knowledge-by-mechanisms.spillover.png").is_file()
    broken = [*args[:-1], str(tmp_path / "broken"), "--set", "a=1e300"]
    result = CliRunner().invoke(app, broken)
    assert result.exit_code == 1 and "4 runs failed" in result.output  # innovation on
