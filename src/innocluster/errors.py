"""The one error type for user mistakes.

Every mistake a user can make (a bad scenario file, an unknown key, an out-of-range value, a
malformed ``--set``, a table that breaks its schema) raises :class:`InnoclusterError` with a
message that names the file, key, row or value and says what was expected. The command line
catches it once, prints the message on one line and exits non-zero, with no traceback.
"""

from __future__ import annotations

__all__ = ["InnoclusterError"]


class InnoclusterError(ValueError):
    """A user mistake, described in one line: where, what was expected, what came instead.

    A subclass of ``ValueError``, so that code catching bad values in the numpy way catches it.
    """
