"""The ``innocluster`` command: a thin layer over the Python API.

One module per group of commands; each registers its commands on the one :data:`app` of
:mod:`innocluster.cli.common`. User mistakes arrive as :class:`~innocluster.errors.InnoclusterError`
and leave as one line on standard error with exit code 2, no traceback.
"""

# The order of registration is the order of `innocluster --help`: from a first run to
# experiments.
# isort: off
from innocluster.cli import simulate, measure, report, data, experiments  # noqa: F401
from innocluster.cli import estimate, calibrate, claims  # noqa: F401

# isort: on
from innocluster.cli.common import app

__all__ = ["app"]
