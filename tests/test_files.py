"""The internal file helpers: a staged folder is all or nothing; a user's TOML file fails in
one line."""

from __future__ import annotations

import pytest

from innocluster._files import read_toml, staged_folder
from innocluster.errors import InnoclusterError


def test_a_staged_folder_moves_its_files_in_and_leaves_others_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    (out / "table.parquet").write_text("old")
    with staged_folder(out) as staging:
        (staging / "table.parquet").write_text("new")
        assert (out / "table.parquet").read_text() == "old"  # nothing visible yet
    assert (out / "table.parquet").read_text() == "new"
    assert (out / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "table.parquet"]


def test_an_error_in_a_staged_folder_changes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "table.parquet").write_text("old")
    with pytest.raises(RuntimeError), staged_folder(out) as staging:
        (staging / "table.parquet").write_text("half")
        raise RuntimeError("interrupted")
    assert (out / "table.parquet").read_text() == "old"
    assert [p.name for p in out.iterdir()] == ["table.parquet"]


def test_a_staged_folder_refuses_a_file_in_its_place(tmp_path):
    (tmp_path / "out").write_text("a file")
    with pytest.raises(InnoclusterError, match="exists and is not a folder"):
        staged_folder(tmp_path / "out").__enter__()  # refused on entry, before any writing
    assert (tmp_path / "out").read_text() == "a file"


def test_read_toml_names_the_file_and_the_problem(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('a = 1\n[b]\nc = "x"\n')
    assert read_toml(good, "mapping file") == {"a": 1, "b": {"c": "x"}}
    with pytest.raises(InnoclusterError, match=r"mapping file '.*missing.toml' does not exist"):
        read_toml(tmp_path / "missing.toml", "mapping file")
    bad = tmp_path / "bad.toml"
    bad.write_text("a = = 1\n")
    with pytest.raises(InnoclusterError, match=r"targets file '.*bad.toml': not valid TOML"):
        read_toml(bad, "targets file")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InnoclusterError, match="not valid TOML"):
        read_toml(binary, "experiment file")
