"""Estimation: the knowledge production function on firm panels, and calibration of the simulator.

The knowledge production function is :func:`kpf`; the calibration by simulated moments is
:func:`calibrate`, with :mod:`.moments` and the simulated firm panel of :func:`simulate_panel`.

See ``docs/estimation.md``. This package imports statsmodels; ``import innocluster`` does not
import it, because ``innocluster.estimate`` itself loads on first use (PEP 562).

>>> import innocluster as ic
>>> fit = ic.estimate.kpf(ic.datasets.hgh1986(), "pat", ["logr"], panel="obsno")
>>> fit.coefficients.columns.tolist()
['term', 'estimate', 'std_error', 'z', 'p_value', 'ci_low', 'ci_high']
"""

from __future__ import annotations

# The functions share their names with their submodules: importing them here, eagerly, binds
# ``innocluster.estimate.kpf`` and ``.calibrate`` to the functions once and for all (a lazy
# look-up would be shadowed by the submodule as soon as anyone imports the submodule).
from innocluster.estimate.calibrate import CalibrationResult, Targets, calibrate, load_targets
from innocluster.estimate.kpf import COLUMNS, MODELS, KPFResult, kpf
from innocluster.estimate.panel import PANEL_COLUMNS, simulate_panel

__all__ = [
    "COLUMNS",
    "MODELS",
    "PANEL_COLUMNS",
    "CalibrationResult",
    "KPFResult",
    "Targets",
    "calibrate",
    "kpf",
    "load_targets",
    "simulate_panel",
]
