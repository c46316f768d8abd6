"""The region-by-field matrix checks and helpers (``measures/_matrices.py``), tested directly.

The technology and complexity measures rely on these functions for their one-line errors and
their handling of dense and ``scipy.sparse`` input; ``test_technology.py`` and
``test_complexity.py`` test them through the public functions.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from innocluster.errors import InnoclusterError
from innocluster.measures._matrices import (
    SHAPE_HINT,
    axis_sums,
    check_choice,
    check_empty,
    check_fields,
    check_same_shape,
    checked_matrix,
    checked_number,
    fail,
    like_input,
    proximity_weights,
    row_index,
    safe_divide,
    to_dense,
    weighted_density,
)

X = np.array([[2, 0, 1], [0, 0, 3]], dtype=np.int64)


def test_fail_raises_the_projects_error_with_the_message():
    with pytest.raises(InnoclusterError, match=r"^something is wrong$"):
        fail("something is wrong")
    assert issubclass(InnoclusterError, ValueError)


def test_check_choice_returns_a_listed_value_and_names_the_others():
    assert check_choice("b", ("a", "b"), "rule", "f") == "b"
    for bad in ("c", None, 1, "A"):
        with pytest.raises(InnoclusterError) as err:
            check_choice(bad, ("a", "b"), "rule", "f")
        assert str(err.value) == f"The 'rule' parameter of f must be one of 'a', 'b'; got {bad!r}"


def test_checked_matrix_returns_a_float64_copy_of_dense_input():
    A = checked_matrix(X, "X", "f")
    assert isinstance(A, np.ndarray) and A.dtype == np.float64
    np.testing.assert_array_equal(A, X)
    A[0, 0] = 99
    assert X[0, 0] == 2  # a copy: the caller's array is untouched
    np.testing.assert_array_equal(checked_matrix([[1, 2], [3, 4]], "X", "f"), [[1, 2], [3, 4]])


@pytest.mark.parametrize("kind", [sp.csr_matrix, sp.csr_array, sp.coo_array, sp.csc_matrix])
def test_checked_matrix_makes_sparse_input_a_csr_array_without_explicit_zeros(kind):
    S = kind(X.astype(float))
    S.data[S.data == 1] = 0  # an explicit zero, stored
    A = checked_matrix(S, "X", "f")
    assert isinstance(A, sp.csr_array) and A.dtype == np.float64
    assert A.nnz == 2 and not np.any(A.data == 0)
    np.testing.assert_array_equal(A.toarray(), [[2, 0, 0], [0, 0, 3]])
    assert S.nnz == 3  # the input keeps its stored zero


def test_checked_matrix_sums_duplicate_entries_of_sparse_input():
    S = sp.coo_array(([1.0, 2.0, 0.5], ([0, 0, 1], [1, 1, 0])), shape=(2, 2))
    np.testing.assert_array_equal(checked_matrix(S, "X", "f").toarray(), [[0, 3], [0.5, 0]])


@pytest.mark.parametrize(
    ("value", "options", "message"),
    [
        (np.ones(3), {}, rf"must be 2-D \({SHAPE_HINT}\); got shape \(3,\)"),
        (np.ones((2, 2, 2)), {}, "must be 2-D .*; got shape \\(2, 2, 2\\)"),
        ([["a", "b"]], {}, "must be a numeric 2-D array"),
        ([[1, 2], [3]], {}, "must be a numeric 2-D array"),
        (np.zeros((0, 3)), {}, "must have at least one row and one column"),
        (np.zeros((3, 0)), {}, "must have at least one row and one column"),
        (sp.csr_array((0, 2)), {}, "must have at least one row and one column"),
        (np.ones((2, 3)), {"square": True}, r"must be square \(fields x fields\); got 2x3"),
        (np.array([[1.0, np.nan]]), {}, "must be finite; found NaN or infinity"),
        (np.array([[1.0, np.inf]]), {}, "must be finite"),
        (sp.csr_array(np.array([[0.0, -np.inf]])), {}, "must be finite"),
        (np.array([[1.0, -0.5]]), {}, "must be non-negative; found -0.5"),
        (sp.csr_array(np.array([[0.0, -2.0]])), {}, "must be non-negative; found -2"),
        (np.array([[0.0, 2.0]]), {"binary": True}, r"must be binary \(0/1\); found 2"),
        (np.array([[0.0, 0.5]]), {"binary": True}, r"must be binary \(0/1\); found 0.5"),
        (np.array([[0.0, 1.5]]), {"unit": True}, r"must lie in \[0, 1\]; found 1.5"),
    ],
)
def test_checked_matrix_refuses_bad_input_with_a_clear_error(value, options, message):
    with pytest.raises(InnoclusterError, match=message) as err:
        checked_matrix(value, "X", "somefunc", **options)
    assert str(err.value).startswith("The 'X' argument of somefunc must ")
    assert "\n" not in str(err.value)


def test_checked_matrix_accepts_what_its_options_allow():
    assert checked_matrix(np.eye(3), "M", "f", binary=True, square=True).shape == (3, 3)
    assert checked_matrix(np.full((2, 2), 0.5), "M", "f", unit=True)[0, 0] == 0.5
    assert checked_matrix(sp.csr_array((2, 3)), "M", "f", binary=True).nnz == 0  # all zero
    with pytest.raises(InnoclusterError, match=r"\(my hint\)"):
        checked_matrix(np.ones(2), "M", "f", hint="my hint")


def test_check_same_shape_and_check_fields_name_both_shapes():
    A, B = np.ones((2, 3)), np.ones((3, 2))
    check_same_shape(A, np.zeros((2, 3)), "A", "B", "f")
    with pytest.raises(InnoclusterError) as err:
        check_same_shape(A, B, "M0", "M1", "f")
    assert str(err.value) == (
        "The 'M0' and 'M1' arguments of f must have the same shape; got 2x3 and 3x2"
    )
    check_fields(A, np.eye(3), "phi", "f")
    with pytest.raises(InnoclusterError) as err:
        check_fields(A, np.eye(2), "phi", "f")
    assert str(err.value) == (
        "The 'phi' argument of f must be 3x3 (one row and column per field); got 2x2"
    )


def test_check_empty_names_the_first_all_zero_rows_or_columns():
    check_empty(np.array([1.0, 2.0]), np.array([3.0]), "X", "f")
    check_empty(None, None, "X", "f")
    with pytest.raises(InnoclusterError) as err:
        check_empty(np.array([0.0, 1.0, 0.0]), None, "X", "f")
    assert str(err.value) == (
        "The 'X' argument of f has 2 all-zero rows (index 0, 2) and empty='raise'"
    )
    with pytest.raises(
        InnoclusterError, match=r"7 all-zero columns \(index 0, 1, 2, 3, 4, \.\.\.\)"
    ):
        check_empty(np.ones(2), np.zeros(7), "X", "f")
    with pytest.raises(InnoclusterError, match="all-zero rows"):  # rows are checked first
        check_empty(np.zeros(1), np.zeros(1), "X", "f")


def test_axis_sums_are_1d_float64_for_dense_and_sparse():
    A = X.astype(float)
    for M in (A, sp.csr_array(A), sp.csr_matrix(A)):
        rows, cols = axis_sums(M, 1), axis_sums(M, 0)
        assert rows.ndim == cols.ndim == 1 and rows.dtype == cols.dtype == np.float64
        np.testing.assert_array_equal(rows, [3, 3])
        np.testing.assert_array_equal(cols, [2, 0, 4])


def test_safe_divide_gives_zero_where_the_denominator_is_zero():
    out = safe_divide(np.array([1.0, 2.0, 0.0, 3.0]), np.array([2.0, 0.0, 0.0, -1.0]))
    np.testing.assert_array_equal(out, [0.5, 0.0, 0.0, -3.0])
    assert out.dtype == np.float64 and np.all(np.isfinite(out))
    grid = safe_divide(np.ones((2, 3)), np.array([1.0, 0.0, 4.0]))  # broadcasting
    np.testing.assert_array_equal(grid, [[1, 0, 0.25], [1, 0, 0.25]])
    column = safe_divide(np.ones((2, 2)), np.array([[2.0], [0.0]]))
    np.testing.assert_array_equal(column, [[0.5, 0.5], [0, 0]])
    assert safe_divide(3, 0) == 0.0 and safe_divide([1, 2], 4).tolist() == [0.25, 0.5]
    with pytest.raises(ValueError):
        safe_divide(np.ones(3), np.ones(2))


def test_to_dense_and_like_input_keep_the_callers_kind():
    A = X.astype(float)
    assert to_dense(A) is A
    dense = to_dense(sp.csr_array(A))
    assert isinstance(dense, np.ndarray) and not sp.issparse(dense)
    np.testing.assert_array_equal(dense, A)
    result = sp.csr_array(A)
    assert isinstance(like_input(result, sp.csr_matrix(A)), sp.csr_matrix)
    assert like_input(result, sp.csr_array(A)) is result
    assert like_input(result, A) is result


def test_row_index_names_the_row_of_every_stored_element():
    A = sp.csr_array(np.array([[0, 1, 2], [0, 0, 0], [3, 0, 4]], dtype=float))
    np.testing.assert_array_equal(row_index(A), [0, 0, 2, 2])
    rows, _ = A.nonzero()
    np.testing.assert_array_equal(row_index(A), rows)
    assert row_index(sp.csr_array((3, 3))).size == 0


def test_checked_number_takes_real_numbers_that_pass_and_refuses_the_rest():
    positive = lambda v: v > 0  # noqa: E731
    assert checked_number(2, "k", "f", "positive", positive) == 2.0
    assert isinstance(checked_number(np.float32(0.5), "k", "f", "positive", positive), float)
    assert checked_number(np.int64(3), "k", "f", "positive", positive) == 3.0
    for bad in (0, -1.0, True, "2", None, float("nan"), float("inf"), 1j):
        with pytest.raises(InnoclusterError) as err:
            checked_number(bad, "k", "f", "a positive number", positive)
        assert str(err.value) == f"The 'k' parameter of f must be a positive number; got {bad!r}"


def test_proximity_weights_check_the_matrix_and_drop_the_diagonal_on_request():
    phi = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.25], [0.0, 0.25, 1.0]])
    W, S = proximity_weights(phi, "f", include_self=True)
    np.testing.assert_array_equal(W, phi)
    np.testing.assert_array_equal(S, [1.5, 1.75, 1.25])
    W0, S0 = proximity_weights(sp.csr_array(phi), "f", include_self=False)
    assert isinstance(W0, np.ndarray) and np.all(np.diag(W0) == 0)
    np.testing.assert_array_equal(S0, [0.5, 0.75, 0.25])
    assert np.all(np.diag(phi) == 1)  # the caller's matrix is untouched
    with pytest.raises(InnoclusterError, match="'proximity' argument of f must be square"):
        proximity_weights(np.ones((2, 3)), "f", include_self=True)
    with pytest.raises(InnoclusterError, match="'proximity' argument of f must be non-negative"):
        proximity_weights(-phi, "f", include_self=True)


def test_weighted_density_is_the_share_of_each_fields_proximity_held():
    M = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    phi = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 0.0]])
    W, S = proximity_weights(phi, "f", include_self=True)
    d = weighted_density(M, W, S)
    np.testing.assert_allclose(d, [[1 / 1.5, 0.5 / 1.5, 0], [0, 0, 0], [1, 1, 0]])
    np.testing.assert_allclose(weighted_density(sp.csr_array(M), W, S), d)
