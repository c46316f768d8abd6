"""Small numeric kernels for compiled mechanisms: deterministic on every machine.

``exp_neg`` is the exponential of a non-positive number written in plain IEEE arithmetic
(Cody-Waite range reduction and a degree-13 Taylor polynomial), so that numba can inline it into
vectorised loops where a call to the C library cannot be; its results do not depend on the C
library or on the vector width. Its relative error is below 3e-16 for ``x >= -708``; below that
it returns values under 1e-307 (0 from ``x < -745``), as ``math.exp`` would up to rounding.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["exp_neg"]

_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LOG2E = 1.44269504088896338700e00
_MIN_EXPONENT = -1080
#: 2**n for n = _MIN_EXPONENT .. 0 (numba freezes a global array into the compiled code).
_POW2 = np.ldexp(1.0, np.arange(_MIN_EXPONENT, 1))


@numba.njit(cache=True, inline="always", error_model="numpy")
def exp_neg(x: float) -> float:
    """``exp(x)`` for ``x <= 0`` (``x > 0`` is not supported)."""
    x = max(x, -745.0)
    n = math.floor(x * _LOG2E + 0.5)
    r = x - n * _LN2_HI - n * _LN2_LO  # |r| <= ln(2) / 2
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    return p * _POW2[int(n) - _MIN_EXPONENT]
