"""Region-by-field matrices: the checks and small helpers of the technology-space measures.

Internal to :mod:`innocluster.measures`: :mod:`~innocluster.measures.technology` and
:mod:`~innocluster.measures.complexity` take the same inputs (a matrix with one row per region
or organisation and one column per field, dense or ``scipy.sparse``) and check them alike, with
one-line :class:`~innocluster.errors.InnoclusterError` messages naming the function.

Interface offered to those modules:

- types: :data:`Matrix` (an input), :data:`Mat` (a checked matrix: float64 ndarray or
  ``csr_array``), :data:`SHAPE_HINT`;
- checks: :func:`fail`, :func:`check_choice`, :func:`checked_matrix`,
  :func:`check_same_shape`, :func:`check_fields`, :func:`check_empty`,
  :func:`checked_number`;
- helpers: :func:`axis_sums`, :func:`like_input`, :func:`row_index`, :func:`safe_divide`,
  :func:`to_dense`;
- relatedness density: :func:`proximity_weights` (the checked proximity and its column sums)
  and :func:`weighted_density`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, NoReturn

import numpy as np
import scipy.sparse as sp

from innocluster.errors import InnoclusterError

#: A 2-D input: a dense array (or anything ``np.asarray`` makes 2-D) or a scipy.sparse matrix.
Matrix = Any
#: Internal form of a validated matrix: float64 ndarray or float64 ``csr_array``.
Mat = np.ndarray | sp.csr_array

SHAPE_HINT = "rows = regions or organisations, columns = fields"


# ---------------------------------------------------------------------------------------------
# Validation and small helpers
# ---------------------------------------------------------------------------------------------


def fail(message: str) -> NoReturn:
    """Raise the project's one-line error."""
    raise InnoclusterError(message)


def check_choice(value: object, options: tuple[str, ...], param: str, func: str) -> str:
    """Return ``value`` if it is one of ``options``, else raise the project's one-line error."""
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(f"'{o}'" for o in options)
        fail(f"The '{param}' parameter of {func} must be one of {listed}; got {value!r}")
    return value


def checked_matrix(
    X: Matrix,
    name: str,
    func: str,
    *,
    binary: bool = False,
    unit: bool = False,
    square: bool = False,
    hint: str = SHAPE_HINT,
) -> Mat:
    """Validate a 2-D non-negative finite matrix and return it as float64 ndarray or CSR array.

    ``binary`` requires values in {0, 1}; ``unit`` requires values in [0, 1]; ``square``
    requires a square matrix. Explicit zeros of a sparse input are dropped.
    """
    if sp.issparse(X):
        if X.ndim != 2:
            fail(f"The '{name}' argument of {func} must be 2-D ({hint}); got {X.ndim}-D")
        A: Mat = sp.csr_array(X, dtype=np.float64, copy=True)
        A.sum_duplicates()
        A.eliminate_zeros()
        values = A.data
    else:
        try:
            A = np.array(X, dtype=np.float64)
        except (TypeError, ValueError):
            fail(f"The '{name}' argument of {func} must be a numeric 2-D array ({hint})")
        if A.ndim != 2:
            fail(f"The '{name}' argument of {func} must be 2-D ({hint}); got shape {A.shape}")
        values = A
    n, m = A.shape
    if n == 0 or m == 0:
        fail(f"The '{name}' argument of {func} must have at least one row and one column")
    if square and n != m:
        fail(f"The '{name}' argument of {func} must be square (fields x fields); got {n}x{m}")
    if not np.all(np.isfinite(values)):
        fail(f"The '{name}' argument of {func} must be finite; found NaN or infinity")
    if values.size and values.min() < 0:
        fail(f"The '{name}' argument of {func} must be non-negative; found {values.min():g}")
    if binary and not np.all((values == 0) | (values == 1)):
        bad = values[(values != 0) & (values != 1)][0]
        fail(f"The '{name}' argument of {func} must be binary (0/1); found {bad:g}")
    if unit and values.size and values.max() > 1:
        fail(f"The '{name}' argument of {func} must lie in [0, 1]; found {values.max():g}")
    return A


def check_same_shape(A: Mat, B: Mat, a: str, b: str, func: str) -> None:
    """Raise unless ``A`` and ``B`` (the arguments ``a`` and ``b``) have one shape."""
    if A.shape != B.shape:
        fail(
            f"The '{a}' and '{b}' arguments of {func} must have the same shape; got "
            f"{A.shape[0]}x{A.shape[1]} and {B.shape[0]}x{B.shape[1]}"
        )


def check_fields(A: Mat, phi: np.ndarray, name: str, func: str) -> None:
    """Raise unless ``phi`` (the argument ``name``) has one row and column per field of ``A``."""
    if phi.shape[0] != A.shape[1]:
        fail(
            f"The '{name}' argument of {func} must be {A.shape[1]}x{A.shape[1]} (one row and "
            f"column per field); got {phi.shape[0]}x{phi.shape[1]}"
        )


def axis_sums(A: Mat, axis: int) -> np.ndarray:
    """Row (``axis=1``) or column (``axis=0``) sums as a 1-D float64 array."""
    return np.asarray(A.sum(axis=axis), dtype=np.float64).ravel()


def like_input(result: sp.csr_array, original: Matrix) -> Matrix:
    """Return a sparse result as ``csr_matrix`` if the input was a ``spmatrix``."""
    return sp.csr_matrix(result) if isinstance(original, sp.spmatrix) else result


def row_index(A: sp.csr_array) -> np.ndarray:
    """Row index of every stored element of a CSR array."""
    return np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))


def safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with 0 wherever ``den`` is 0 (broadcasting as numpy does)."""
    num, den = np.broadcast_arrays(np.asarray(num, np.float64), np.asarray(den, np.float64))
    return np.divide(num, den, out=np.zeros(num.shape), where=den != 0)


def check_empty(rows: np.ndarray | None, cols: np.ndarray | None, name: str, func: str) -> None:
    """Raise for all-zero rows or columns (used when ``empty='raise'``)."""
    for sums, what in ((rows, "rows"), (cols, "columns")):
        if sums is not None and np.any(sums == 0):
            where = np.flatnonzero(sums == 0)
            first = ", ".join(str(i) for i in where[:5]) + (", ..." if len(where) > 5 else "")
            fail(
                f"The '{name}' argument of {func} has {len(where)} all-zero {what} "
                f"(index {first}) and empty='raise'"
            )


def to_dense(A: Mat) -> np.ndarray:
    """``A`` as a dense array."""
    return A.toarray() if sp.issparse(A) else A


def checked_number(
    value: object, param: str, func: str, what: str, ok: Callable[[float], bool]
) -> float:
    """Return ``value`` as a float if it is a real number (not bool) with ``ok(value)``."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if np.isfinite(float(value)) and ok(float(value)):
            return float(value)
    fail(f"The '{param}' parameter of {func} must be {what}; got {value!r}")


# ---------------------------------------------------------------------------------------------
# Relatedness density
# ---------------------------------------------------------------------------------------------


def proximity_weights(phi: Matrix, func: str, include_self: bool) -> tuple[np.ndarray, np.ndarray]:
    """Validated proximity (diagonal zeroed unless ``include_self``) and its column sums."""
    W = to_dense(checked_matrix(phi, "proximity", func, square=True, hint="fields x fields")).copy()
    if not include_self:
        np.fill_diagonal(W, 0.0)
    return W, W.sum(axis=0)


def weighted_density(A: Mat, W: np.ndarray, S: np.ndarray) -> np.ndarray:
    """``(A @ W) / S``: the density of each row to each field (0 where ``S`` is 0)."""
    return safe_divide(np.asarray(A @ W), S[None, :])
