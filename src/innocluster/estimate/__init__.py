"""Estimation on real firm panels: the knowledge production function (:func:`kpf`).

See ``docs/estimation.md``. This package imports statsmodels; ``import innocluster`` does not
import it, because ``innocluster.estimate`` itself loads on first use (PEP 562).

>>> import innocluster as ic
>>> fit = ic.estimate.kpf(ic.datasets.hgh1986(), "pat", ["logr"], panel="obsno")
>>> fit.coefficients.columns.tolist()
['term', 'estimate', 'std_error', 'z', 'p_value', 'ci_low', 'ci_high']
"""

from __future__ import annotations

# The function shares its name with its submodule: importing it here, eagerly, binds
# ``innocluster.estimate.kpf`` to the function once and for all (a lazy look-up would be
# shadowed by the submodule as soon as anyone imports ``innocluster.estimate.kpf``).
from innocluster.estimate.kpf import COLUMNS, MODELS, KPFResult, kpf

__all__ = ["COLUMNS", "MODELS", "KPFResult", "kpf"]
