"""The ``innocluster`` command: a thin layer over the Python API.

One module per group of commands; each registers its commands on the one :data:`app` of
:mod:`innocluster.cli.common`. User mistakes arrive as :class:`~innocluster.errors.InnoclusterError`
and leave as one line on standard error with exit code 2, no traceback.
"""

from innocluster.cli import (  # noqa: F401  (they register)
    calibrate,
    data,
    estimate,
    experiments,
    measure,
    report,
    simulate,
)
from innocluster.cli.common import app

__all__ = ["app"]
