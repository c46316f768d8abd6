"""Static figures (``innocluster plot``): written, non-trivial, and one compared with a baseline;
mistakes, an experiment folder among them, are one-line errors.

The baseline ``tests/baseline/lifecycle_synthetic.png`` is the life-cycle figure of a synthetic
real-data folder (fixed seed, no simulation, so that changes to the model do not move it).
After an intended change of the figure, rewrite it with ``INNOCLUSTER_UPDATE_BASELINE=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from innocluster.cli import app
from innocluster.errors import InnoclusterError
from innocluster.report.data import load_cluster
from innocluster.report.static import KINDS_OF_PLOT, plot_figure
from tests.report.helpers import data_folder

BASELINE = Path(__file__).resolve().parents[1] / "baseline" / "lifecycle_synthetic.png"


@pytest.fixture(scope="module")
def run_data(run_folder):
    return load_cluster(run_folder)


@pytest.mark.parametrize("kind", sorted(KINDS_OF_PLOT))
def test_every_kind_is_written_as_png(run_data, tmp_path, kind):
    out = plot_figure(run_data, kind, tmp_path / f"{kind}.png")
    image = np.asarray(Image.open(out).convert("L"), dtype=float)
    assert out.stat().st_size > 20_000
    assert image.shape[0] >= 800 and image.shape[1] >= 1000
    assert (image < 200).mean() > 0.01  # something is drawn, not a blank canvas


def test_vector_formats_and_the_cli(run_data, tmp_path):
    for suffix, magic in ((".svg", b"<?xml"), (".pdf", b"%PDF")):
        result = CliRunner().invoke(
            app,
            ["plot", str(run_data.folder), "--kind", "map", "--out", str(tmp_path / f"m{suffix}")],
        )
        assert result.exit_code == 0, result.output
        written = (tmp_path / f"m{suffix}").read_bytes()
        assert written.startswith(magic) and len(written) > 20_000


def test_map_of_another_year(run_data, tmp_path):
    first = np.asarray(Image.open(plot_figure(run_data, "map", tmp_path / "a.png", year=0)))
    last = np.asarray(Image.open(plot_figure(run_data, "map", tmp_path / "b.png")))
    assert first.shape == last.shape and (first != last).any()


def test_lifecycle_matches_the_baseline(tmp_path):
    folder = data_folder(tmp_path / "data")
    out = plot_figure(folder, "lifecycle", tmp_path / "lifecycle.png")
    if os.environ.get("INNOCLUSTER_UPDATE_BASELINE") == "1":
        BASELINE.parent.mkdir(exist_ok=True)
        BASELINE.write_bytes(out.read_bytes())
    got = np.asarray(Image.open(out).convert("RGB"), dtype=float)
    want = np.asarray(Image.open(BASELINE).convert("RGB"), dtype=float)
    assert got.shape == want.shape
    difference = np.abs(got - want).max(axis=2)
    # Anti-aliasing and font hinting may move a few edge pixels between library versions.
    assert difference.mean() < 2.0 and (difference > 64).mean() < 0.005


@pytest.mark.parametrize(
    ("kind", "out", "message"),
    [
        ("bogus", "f.png", "--kind 'bogus': expected one of map, network"),
        ("map", "f.jpg", "expected a file ending in .png, .svg or .pdf"),
        ("network", "f.png", "no network figure for"),
    ],
)
def test_mistakes_name_what_is_wrong(tmp_path, kind, out, message):
    folder = data_folder(tmp_path / "data", alliances=False)
    with pytest.raises(InnoclusterError, match=message):
        plot_figure(folder, kind, tmp_path / out)
    result = CliRunner().invoke(
        app, ["plot", str(folder), "--kind", kind, "--out", str(tmp_path / out)]
    )
    assert result.exit_code == 2 and message.split(":")[0] in result.output


def test_plot_of_an_experiment_folder_is_one_line_error(folders, tmp_path):
    out = tmp_path / "x.png"
    result = CliRunner().invoke(
        app, ["plot", str(folders["grid"]), "--kind", "map", "--out", str(out)]
    )
    assert result.exit_code == 2 and not out.exists()
    said = " ".join(result.output.split())
    assert "is an experiment folder: innocluster plot draws run and data folders" in said
