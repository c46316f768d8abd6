"""Reading a user's small text files (TOML) with the project's one-line errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from innocluster.errors import InnoclusterError

__all__ = ["read_toml"]


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
