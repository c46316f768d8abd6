"""Internal file helpers: write a group of files atomically, and read a user's TOML file.

A group of files is written so that no reader sees half of them, and a user's small TOML file
is read with the project's one-line errors.

- :func:`staged_folder`: used by every writer of an output folder (runs, calibrations);
- :func:`read_toml`: used by every reader of a user's TOML file (mapping, targets, experiment
  and reference files).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from innocluster.errors import InnoclusterError

__all__ = ["read_toml", "staged_folder"]


@contextmanager
def staged_folder(folder: str | Path) -> Iterator[Path]:
    """A hidden temporary folder inside ``folder`` whose files move into ``folder`` at the end.

    Write the files into the folder yielded; when the block ends without an error they replace
    their namesakes in ``folder`` (created if needed), each by one rename, and files of other
    names are left alone. On an error nothing is moved and the temporary folder is removed.

    Raises:
        InnoclusterError: ``folder`` exists and is not a folder.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise InnoclusterError(f"output '{target}' exists and is not a folder")
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".innocluster-", dir=target))
    try:
        yield staging
        for item in sorted(staging.iterdir()):
            os.replace(item, target / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The TOML file ``path``, described as ``what`` (e.g. "mapping file") in errors.

    Raises:
        InnoclusterError: the file does not exist, is not UTF-8 or is not valid TOML.
    """
    try:
        return tomllib.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise InnoclusterError(f"{what} '{path}' does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise InnoclusterError(f"{what} '{path}': not valid TOML ({err})") from None
