"""Writing a group of files into a folder so that a reader never sees half of them."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from innocluster.errors import InnoclusterError

__all__ = ["staged_folder"]


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
