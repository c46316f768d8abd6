"""Technology-space measures: hand-checked cases, properties, zero rows and fields, the argument
checks, the ecomplexity cross-check of proximity, the documentation.

RCA, specialisation, diversity and ubiquity, co-occurrence, proximity, relatedness and its
density, external access, concentration (Herfindahl, entropy), specialisation change and field
communities. The complexity measures (ECI, PCI, reflections, COI, COG) are tested in
``test_complexity.py``, with their cross-checks against ``ecomplexity``; the tests of argument
checks below cover both modules (one set of checks, ``measures/_matrices.py``, whose functions
are tested directly in ``test_matrices.py``), and so does the documentation test. The example
matrices and helpers defined here are shared with ``test_complexity.py``.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from innocluster.errors import InnoclusterError
from innocluster.measures import complexity as cx_module
from innocluster.measures import technology as tech_module
from innocluster.measures.complexity import complexity_indices, complexity_outlook, reflections
from innocluster.measures.technology import (
    co_occurrence,
    diversity,
    entropy,
    external_access,
    field_communities,
    herfindahl,
    proximity,
    rca,
    relatedness,
    relatedness_density,
    relatedness_density_split,
    specialisation,
    specialisation_change,
    ubiquity,
)
from tests.measures.helpers import (
    FAST,
    HH,
    assert_close,
    count_matrices,
    counts,
    with_empty,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "measures-technology.md"


# ---------------------------------------------------------------------------------------------
# Hand-checkable cases
# ---------------------------------------------------------------------------------------------

# Row sums 4, column sums 3, total 12: RCA = X_cp / 4 / (3 / 12) = X_cp.
X34 = np.array([[2, 0, 1, 1], [0, 2, 2, 0], [1, 1, 0, 2]], dtype=float)


def test_rca_and_specialisation_on_a_3x4_matrix():
    np.testing.assert_array_equal(rca(X34), X34)
    np.testing.assert_array_equal(specialisation(X34), (X34 >= 1).astype(float))
    np.testing.assert_array_equal(specialisation(X34, threshold_rule=">"), (X34 > 1) * 1.0)
    np.testing.assert_array_equal(specialisation(X34, threshold=2), (X34 >= 2) * 1.0)
    # RCA exactly 1 on ties: every share equal to the field's overall share.
    assert np.all(rca(np.ones((3, 5)) * 7) == 1.0)
    assert specialisation(np.full((2, 3), 3.0), threshold_rule=">").sum() == 0


def test_diversity_and_ubiquity_count_each_rows_and_fields_specialisations():
    # The Hidalgo and Hausmann example: C1 makes P1-P4, C2 P2, C3 P3 and P4, C4 P4.
    np.testing.assert_array_equal(diversity(HH), [4, 1, 2, 1])
    np.testing.assert_array_equal(ubiquity(HH), [1, 2, 2, 3])
    for M in (HH, specialisation(X34)):
        assert diversity(M).dtype == np.float64 and ubiquity(M).shape == (M.shape[1],)
        np.testing.assert_array_equal(diversity(sp.csr_array(M)), diversity(M))
        np.testing.assert_array_equal(ubiquity(sp.csr_matrix(M)), ubiquity(M))
        assert diversity(M).sum() == ubiquity(M).sum() == M.sum()
    np.testing.assert_array_equal(diversity(X34), [4, 4, 4])  # weighted: the row's total
    np.testing.assert_array_equal(diversity(np.zeros((2, 3))), [0, 0])
    with pytest.raises(InnoclusterError, match="'M' argument of ubiquity must be non-negative"):
        ubiquity(-HH)


M43 = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 1, 0]], dtype=float)


def test_co_occurrence_and_proximity_by_hand():
    C = co_occurrence(M43)
    np.testing.assert_array_equal(C, [[3, 2, 2], [2, 3, 1], [2, 1, 2]])
    np.testing.assert_array_equal(np.diag(co_occurrence(M43, diagonal=False)), 0)
    np.testing.assert_array_equal(co_occurrence(M43 * 5, binary=True), C)
    phi = proximity(M43)
    np.testing.assert_allclose(phi, [[1, 2 / 3, 2 / 3], [2 / 3, 1, 1 / 3], [2 / 3, 1 / 3, 1]])
    # P(M_j | M_i) = C_ij / u_i
    np.testing.assert_allclose(proximity(M43, symmetric=False)[2], [1, 1 / 2, 1])


def test_density_by_hand_with_and_without_self_proximity():
    phi = proximity(M43)
    d = relatedness_density(M43, phi)
    # Row 3 holds field 1 only: density of field 0 = phi_10 / sum_p' phi_p'0 = (2/3) / (7/3).
    assert d[3, 0] == pytest.approx((2 / 3) / (1 + 2 / 3 + 2 / 3))
    assert d[3, 1] == pytest.approx(1 / (1 + 2 / 3 + 1 / 3))
    np.testing.assert_allclose(d[2], 1.0)  # row 2 holds every field
    d0 = relatedness_density(M43, phi, include_self=False)
    assert d0[3, 0] == pytest.approx((2 / 3) / (2 / 3 + 2 / 3))
    assert d0[3, 1] == 0.0  # field 1's own specialisation no longer counts


def test_relatedness_methods_by_hand():
    C = np.array([[9, 4, 2], [4, 9, 0], [2, 0, 9]], dtype=float)  # diagonal is ignored
    s, T = np.array([6.0, 4.0, 2.0]), 12.0
    assoc = relatedness(C, method="association")
    assert assoc[0, 1] == pytest.approx(4 * T / (6 * 4))
    assert assoc[0, 2] == pytest.approx(2 * T / (6 * 2))
    assert relatedness(C, method="cosine")[0, 1] == pytest.approx(4 / np.sqrt(24))
    assert relatedness(C, method="jaccard")[0, 1] == pytest.approx(4 / (6 + 4 - 4))
    expected = (T / 2) * (s[0] / T * s[1] / (T - s[0]) + s[1] / T * s[0] / (T - s[1]))
    assert relatedness(C)[0, 1] == pytest.approx(4 / expected)
    for method in ("prob", "association", "cosine", "jaccard"):
        R = relatedness(C, method=method)
        assert R[1, 2] == 0 and np.all(np.diag(R) == 0)
        np.testing.assert_allclose(R, R.T)


def test_herfindahl_and_entropy_by_hand():
    X = np.array([[5, 0, 0, 0], [1, 1, 1, 1], [3, 1, 0, 0]], dtype=float)
    np.testing.assert_allclose(herfindahl(X), [1, 0.25, 0.625])
    np.testing.assert_allclose(
        entropy(X), [0, np.log(4), -(0.75 * np.log(0.75) + 0.25 * np.log(0.25))]
    )
    np.testing.assert_allclose(entropy(X, base=2)[1], 2.0)


def test_specialisation_change_by_hand():
    M0 = np.array([[1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 1, 0]], dtype=float)
    M1 = np.array([[1, 0, 1, 1], [0, 1, 0, 0], [1, 0, 1, 0]], dtype=float)
    ch = specialisation_change(M0, M1)
    np.testing.assert_array_equal(ch.entry[0], [False, False, True, True])
    np.testing.assert_array_equal(ch.exit[0], [False, True, False, False])
    np.testing.assert_array_equal(ch.entries, [2, 1, 0])
    np.testing.assert_array_equal(ch.exits, [1, 0, 0])
    np.testing.assert_array_equal(ch.growth, [0.5, np.nan, 0.0])
    with pytest.raises(InnoclusterError, match="all-zero rows"):
        specialisation_change(M0, M1, empty="raise")


def test_external_access_and_density_split():
    M = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 0], [1, 1, 0]], dtype=float)
    L = np.array([[5, 1, 0, 0], [1, 0, 0, 3], [0, 0, 0, 0], [0, 3, 0, 0]], dtype=float)
    E = external_access(L, M)
    np.testing.assert_array_equal(E, [[0, 1, 0], [1, 1, 0], [0, 0, 0], [0, 1, 0]])
    share = external_access(L, M, rule="share")
    np.testing.assert_allclose(share[1], [1, 3 / 4, 0])  # (1 * [1,0,0] + 3 * [1,1,0]) / 4
    phi = np.array([[1, 0.5, 0.2], [0.5, 1, 0.4], [0.2, 0.4, 1]])
    split = relatedness_density_split(M, E, phi)
    np.testing.assert_allclose(split.internal, relatedness_density(M, phi))
    np.testing.assert_allclose(split.total, relatedness_density(np.maximum(M, E), phi))
    np.testing.assert_allclose(split.internal + split.external, split.total)
    assert split.external[3].sum() == 0  # row 3 reaches field 1 only, which it holds
    sparse = relatedness_density_split(sp.csr_array(M), sp.csr_array(E), phi)
    np.testing.assert_allclose(sparse.external, split.external)


def test_field_communities_find_two_blocks():
    block = np.kron(np.eye(2), np.ones((4, 4)))
    phi = 0.9 * block + 0.05 * (1 - block)
    for method in ("louvain", "greedy"):
        labels = field_communities(phi, method=method, seed=3)
        np.testing.assert_array_equal(labels, [0, 0, 0, 0, 1, 1, 1, 1])
    np.testing.assert_array_equal(field_communities(phi, min_proximity=0.95), np.arange(8))


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@FAST
@given(count_matrices, st.floats(0.01, 1e6))
def test_rca_is_invariant_to_scaling(X, k):
    np.testing.assert_allclose(rca(X * k), rca(X), rtol=1e-12, atol=0)


@FAST
@given(count_matrices)
def test_proximity_is_symmetric_in_unit_interval_with_unit_diagonal(X):
    M = specialisation(X)
    phi = proximity(M)
    np.testing.assert_array_equal(phi, phi.T)
    assert phi.min() >= 0 and phi.max() <= 1
    np.testing.assert_array_equal(np.diag(phi), (M.sum(axis=0) > 0) * 1.0)
    d = relatedness_density(M, phi)
    assert d.min() >= 0 and d.max() <= 1 + 1e-12


@FAST
@given(count_matrices)
def test_sparse_inputs_give_the_dense_results(X):
    S = sp.csr_matrix(X)
    assert isinstance(rca(S), sp.csr_matrix) and isinstance(rca(sp.csr_array(X)), sp.csr_array)
    np.testing.assert_array_equal(rca(S).toarray(), rca(X))
    M = specialisation(X)
    Ms = specialisation(S)
    np.testing.assert_array_equal(Ms.toarray(), M)
    np.testing.assert_array_equal(proximity(Ms), proximity(M))
    np.testing.assert_allclose(
        relatedness_density(Ms, proximity(M)), relatedness_density(M, proximity(M)), atol=1e-15
    )
    np.testing.assert_allclose(herfindahl(S), herfindahl(X), equal_nan=True)
    np.testing.assert_allclose(entropy(S), entropy(X), atol=1e-12, equal_nan=True)
    np.testing.assert_array_equal(co_occurrence(S), co_occurrence(X))


@FAST
@given(count_matrices, st.sampled_from(["prob", "association", "cosine", "jaccard"]))
def test_relatedness_is_symmetric_and_bounded(X, method):
    R = relatedness(co_occurrence(specialisation(X)), method=method)
    np.testing.assert_allclose(R, R.T, rtol=1e-12)
    assert np.all(np.isfinite(R)) and R.min() >= 0
    if method in ("cosine", "jaccard"):
        assert R.max() <= 1 + 1e-12


binary_pairs = hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=10).flatmap(
    lambda shape: st.tuples(
        hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0])),
        hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0])),
    )
)


@FAST
@given(binary_pairs)
def test_entries_minus_exits_is_the_change_in_diversity(pair):
    M0, M1 = pair
    ch = specialisation_change(M0, M1)
    np.testing.assert_array_equal(ch.entries - ch.exits, M1.sum(axis=1) - M0.sum(axis=1))
    assert not (ch.entry & ch.exit).any()
    np.testing.assert_array_equal(M0 + ch.entry - ch.exit, M1)


# ---------------------------------------------------------------------------------------------
# All-zero rows and fields
# ---------------------------------------------------------------------------------------------


def test_rca_zero_rows_and_columns_become_zero_or_raise():
    X = with_empty()
    R = rca(X)
    assert np.all(np.isfinite(R)) and np.all(R[[2, 9]] == 0) and np.all(R[:, 5] == 0)
    with pytest.raises(InnoclusterError, match=r"2 all-zero rows \(index 2, 9\)"):
        rca(X, empty="raise")
    with pytest.raises(InnoclusterError, match=r"1 all-zero columns \(index 5\)"):
        specialisation(np.delete(X, [2, 9], axis=0), empty="raise")
    assert np.all(rca(np.zeros((3, 4))) == 0)


def test_empty_rows_and_fields_in_proximity_density_and_outlook():
    X = with_empty()
    M = specialisation(X)
    phi = proximity(M)
    assert np.all(phi[5] == 0) and np.all(phi[:, 5] == 0)  # ecomplexity: NaN (0/0)
    d = relatedness_density(M, phi)
    assert np.all(np.isfinite(d)) and np.all(d[[2, 9]] == 0) and np.all(d[:, 5] == 0)
    out = complexity_outlook(M, phi, complexity_indices(M).pci)  # NaN PCI of field 5 contributes 0
    assert np.all(np.isfinite(out.coi)) and np.all(np.isfinite(out.cog))
    assert np.all(out.coi[[2, 9]] == 0)
    for method in ("prob", "association", "cosine", "jaccard"):
        R = relatedness(co_occurrence(M), method=method)
        assert np.all(np.isfinite(R)) and np.all(R[5] == 0)


def test_empty_rows_in_concentration_measures():
    X = with_empty()
    h = herfindahl(X)
    assert np.isnan(h[[2, 9]]).all() and np.isfinite(np.delete(h, [2, 9])).all()
    assert np.isnan(entropy(X)[[2, 9]]).all()
    with pytest.raises(InnoclusterError, match=r"all-zero rows \(index 2, 9\)"):
        entropy(X, empty="raise")
    with pytest.raises(InnoclusterError, match="all-zero rows"):
        herfindahl(sp.csr_array(X), empty="raise")


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def test_unknown_options_raise_one_line_errors():
    with pytest.raises(InnoclusterError) as err:
        specialisation(X34, threshold_rule="x")
    assert str(err.value) == (
        "The 'threshold_rule' parameter of specialisation must be one of '>=', '>'; got 'x'"
    )
    cases = [
        (lambda: rca(X34, empty="nan"), "'empty' parameter of rca must be one of 'zero'"),
        (lambda: relatedness(co_occurrence(X34), method="pmi"), "'method' parameter"),
        (
            lambda: complexity_indices(HH, solver="lapack"),
            "'solver' parameter of complexity_indices",
        ),
        (lambda: complexity_indices(HH, pci_standardisation="atlas"), "'pci_standardisation'"),
        (
            lambda: complexity_indices(HH, ddof=2),
            "'ddof' parameter of complexity_indices must be 0 or 1",
        ),
        (lambda: complexity_outlook(HH, proximity(HH), np.zeros(4), cog_rule="x"), "cog_rule"),
        (lambda: specialisation(X34, threshold=0), "'threshold' parameter"),
        (lambda: entropy(X34, base=1), "'base' parameter of entropy"),
        (lambda: reflections(HH, steps=-1), "'steps' parameter"),
        (lambda: field_communities(proximity(HH), method="leiden"), "'method' parameter"),
        (lambda: external_access(np.eye(3), HH), "must be 4x4"),
    ]
    for call, message in cases:
        with pytest.raises(InnoclusterError, match=message) as err:
            call()
        assert "\n" not in str(err.value)


def test_bad_matrices_raise():
    bad = [
        (lambda: rca(np.ones(4)), "must be 2-D"),
        (lambda: rca(-X34), "must be non-negative; found -2"),
        (lambda: rca(np.array([[1.0, np.nan]])), "must be finite"),
        (lambda: rca(np.zeros((0, 3))), "at least one row"),
        (lambda: rca([["a", "b"]]), "numeric 2-D array"),
        (lambda: proximity(X34), "'M' argument of proximity must be binary"),
        (lambda: relatedness_density(HH, np.eye(3)), "must be 4x4"),
        (lambda: relatedness(np.ones((2, 3))), "must be square"),
        (lambda: relatedness(np.array([[0, 1], [2, 0]])), "must be symmetric"),
        (lambda: specialisation_change(HH, HH[:3]), "must have the same shape"),
        (lambda: relatedness_density_split(HH, HH * 2, np.eye(4)), "must lie in \\[0, 1\\]"),
        (lambda: complexity_indices(np.array([[1, 1], [0, 0]])), "at least 2 rows and 2 fields"),
        (lambda: complexity_indices(np.ones((3, 3))), "single non-zero eigenvalue"),
        (lambda: complexity_outlook(HH, np.eye(4), np.zeros(3)), "must have shape \\(4,\\)"),
    ]
    for call, message in bad:
        with pytest.raises(InnoclusterError, match=message):
            call()
    assert issubclass(InnoclusterError, ValueError)


# ---------------------------------------------------------------------------------------------
# Cross-checks against the ecomplexity package
# ---------------------------------------------------------------------------------------------


def test_matches_ecomplexity_proximity_both_ways():
    ecomplexity = pytest.importorskip("ecomplexity")
    import pandas as pd

    X = counts(5, 35, 20)
    n, m = X.shape
    r, c = np.divmod(np.arange(n * m), m)
    frame = pd.DataFrame({"year": 2000, "loc": r, "prod": c, "val": X[r, c]})
    cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
    M = specialisation(X)
    for asymmetric in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = ecomplexity.proximity(frame, cols, asymmetric=asymmetric)
        theirs = out.sort_values(["prod_1", "prod_2"])["proximity"].to_numpy().reshape(m, m)
        assert_close(proximity(M, symmetric=not asymmetric), theirs, f"proximity {asymmetric}")


# ---------------------------------------------------------------------------------------------
# Documentation
# ---------------------------------------------------------------------------------------------


def test_every_public_name_is_documented():
    text = DOC.read_text()
    for module in (tech_module, cx_module):
        for name in module.__all__:
            assert re.search(rf"`{name}[`(]", text), name
