"""Complexity measures: ECI and PCI, the method of reflections, the complexity outlook (COI, COG).

Hand-checked cases (the Hidalgo and Hausmann 2009 example, the definition by a general
eigensolver, COG as the exact change in COI), properties, zero rows and fields, and cross-checks
against the ``ecomplexity`` package (test-only dependency), run in this process on the same
inputs and compared to 1e-9 wherever the conventions agree; where they differ (PCI's
standardisation, COI/COG's use of the unstandardised PCI) the test converts with the algebra
documented in docs/measures-technology.md. The argument checks and the documentation of the
complexity functions are tested with those of the technology measures, in
``test_technology.py``, whose example matrices and helpers these tests share.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from innocluster.errors import InnoclusterError
from innocluster.measures.complexity import complexity_indices, complexity_outlook, reflections
from innocluster.measures.technology import (
    diversity,
    proximity,
    rca,
    relatedness_density,
    specialisation,
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


def brute_eci_pci(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ECI and PCI (own standardisation) straight from the definition, by a general eig."""
    d, u = M.sum(axis=1), M.sum(axis=0)
    Mc = (M / d[:, None]) @ (M / u[None, :]).T
    Mp = (M / u[None, :]).T @ (M / d[:, None])
    kc, kp = (
        np.real(vec[:, np.argsort(np.real(val))[-2]])
        for val, vec in (np.linalg.eig(Mc), np.linalg.eig(Mp))
    )
    kc = kc * np.sign(np.corrcoef(d, kc)[0, 1])
    kp = kp * np.sign(np.corrcoef(kc, (M @ kp) / d)[0, 1])
    return (kc - kc.mean()) / kc.std(), (kp - kp.mean()) / kp.std()


# ---------------------------------------------------------------------------------------------
# Hand-checkable cases
# ---------------------------------------------------------------------------------------------


def test_diversity_ubiquity_and_reflections_of_the_hidalgo_hausmann_example():
    np.testing.assert_array_equal(diversity(HH), [4, 1, 2, 1])
    np.testing.assert_array_equal(ubiquity(HH), [1, 2, 2, 3])
    r = reflections(HH, steps=2)
    np.testing.assert_allclose(r.kc[1], [2, 2, 2.5, 3])  # mean ubiquity of each row's fields
    np.testing.assert_allclose(r.kp[1], [4, 2.5, 3, 7 / 3])  # mean diversity of field's rows
    np.testing.assert_allclose(r.kc[2], [(4 + 2.5 + 3 + 7 / 3) / 4, 2.5, (3 + 7 / 3) / 2, 7 / 3])
    assert r.kc.shape == (3, 4) and r.kp.shape == (3, 4) and not r.empty_rows.any()


def test_eci_pci_match_the_definition_on_the_hidalgo_hausmann_example():
    res = complexity_indices(HH)
    eci, pci = brute_eci_pci(HH)
    np.testing.assert_allclose(res.eci, eci, atol=1e-12)
    np.testing.assert_allclose(res.pci, pci, atol=1e-12)
    assert np.corrcoef(res.eci, diversity(HH))[0, 1] > 0


def test_marginal_cog_is_the_exact_change_in_coi():
    X = counts(11, 20, 9)
    M, phi = specialisation(X), proximity(specialisation(X))
    pci = complexity_indices(M).pci
    for include_self in (True, False):
        base = complexity_outlook(M, phi, pci, include_self=include_self).coi
        cog = complexity_outlook(M, phi, pci, include_self=include_self, cog_rule="marginal").cog
        c, p = np.nonzero(M == 0)
        for k in range(0, len(c), 7):
            M2 = M.copy()
            M2[c[k], p[k]] = 1
            after = complexity_outlook(M2, phi, pci, include_self=include_self).coi[c[k]]
            assert cog[c[k], p[k]] == pytest.approx(after - base[c[k]], abs=1e-12)
    assert np.all(cog[M == 1] == 0)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@FAST
@given(count_matrices, st.integers(0, 2**32 - 1))
def test_complexity_is_equivariant_under_permutations_and_follows_diversity(X, seed):
    M = specialisation(X)
    assume((M.sum(axis=1) > 0).sum() >= 2 and (M.sum(axis=0) > 0).sum() >= 2)
    try:
        res = complexity_indices(M)
    except InnoclusterError:  # rank one (all rows alike): documented as undefined
        return
    assume(1e-6 < res.eigenvalue < 1 - 1e-6)  # connected
    ok = ~res.empty_rows
    # A repeated second eigenvalue leaves the eigenvector (hence ECI) undefined up to rotation.
    Mk = np.asarray(M)[ok][:, M.sum(axis=0) > 0]
    Mt = (Mk / Mk.sum(axis=1, keepdims=True)) @ (Mk / Mk.sum(axis=0, keepdims=True)).T
    eig = np.sort(np.linalg.eigvals(Mt).real)[::-1]
    assume(len(eig) < 3 or eig[1] - eig[2] > 1e-6)
    d = M.sum(axis=1)[ok]
    d_centred = d - d.mean()
    cov = np.mean(d_centred * res.eci[ok])
    assume(abs(cov) > 1e-6)  # the sign is set by diversity (not by a fallback rule)
    assert cov > 0
    rng = np.random.default_rng(seed)
    r, c = rng.permutation(M.shape[0]), rng.permutation(M.shape[1])
    perm = complexity_indices(M[r][:, c])
    np.testing.assert_allclose(perm.eci, res.eci[r], atol=1e-7)
    np.testing.assert_allclose(perm.pci, res.pci[c], atol=1e-7)


def test_eci_is_the_mean_pci_of_each_rows_fields_with_the_eci_convention():
    M = specialisation(counts(2, 60, 25))
    res = complexity_indices(M, pci_standardisation="eci")
    np.testing.assert_allclose(res.eci, (M @ res.pci) / M.sum(axis=1), atol=1e-12)
    own = complexity_indices(M)
    assert own.pci.mean() == pytest.approx(0, abs=1e-12)
    assert own.pci.std() == pytest.approx(1)
    assert complexity_indices(M, ddof=1).eci.std(ddof=1) == pytest.approx(1)


@pytest.mark.parametrize("shape", [(300, 120), (90, 400)])
def test_arpack_and_dense_solvers_agree_on_sparse_input(shape):
    X = counts(7, *shape, p_zero=0.85)
    M = specialisation(sp.csr_array(X))
    dense = complexity_indices(M.toarray(), solver="dense")
    for solver in ("arpack", "auto"):
        res = complexity_indices(M, solver=solver)
        np.testing.assert_allclose(res.eci, dense.eci, atol=1e-8)
        np.testing.assert_allclose(res.pci, dense.pci, atol=1e-8)
        assert res.eigenvalue == pytest.approx(dense.eigenvalue, abs=1e-12)


def test_disconnected_network_has_eigenvalue_one():
    M = np.kron(np.eye(2), np.array([[1, 1, 0], [0, 1, 1], [1, 1, 1]]))
    res = complexity_indices(M)
    assert res.eigenvalue == pytest.approx(1.0)
    # ECI only separates the two components: constant within each.
    assert np.ptp(res.eci[:3]) < 1e-8 and np.ptp(res.eci[3:]) < 1e-8


# ---------------------------------------------------------------------------------------------
# All-zero rows and fields
# ---------------------------------------------------------------------------------------------


def test_empty_rows_and_fields_are_reported_and_the_rest_is_unchanged():
    X = with_empty()
    M = specialisation(X)
    res = complexity_indices(M)
    np.testing.assert_array_equal(np.flatnonzero(res.empty_rows), [2, 9])
    np.testing.assert_array_equal(np.flatnonzero(res.empty_fields), [5])
    assert np.isnan(res.eci[[2, 9]]).all() and np.isnan(res.pci[5])
    sub = complexity_indices(np.delete(np.delete(M, [2, 9], axis=0), 5, axis=1))
    np.testing.assert_allclose(np.delete(res.eci, [2, 9]), sub.eci, atol=1e-12)
    np.testing.assert_allclose(np.delete(res.pci, 5), sub.pci, atol=1e-12)
    refl = reflections(M, steps=3)
    assert np.isnan(refl.kc[:, [2, 9]]).all() and np.isfinite(np.delete(refl.kc, [2, 9], 1)).all()
    assert np.isnan(refl.kp[:, 5]).all() and refl.empty_fields[5]
    with pytest.raises(InnoclusterError, match="all-zero rows"):
        complexity_indices(M, empty="raise")
    with pytest.raises(InnoclusterError, match="all-zero"):
        reflections(M, empty="raise")


# ---------------------------------------------------------------------------------------------
# Cross-checks against the ecomplexity package
# ---------------------------------------------------------------------------------------------


def ecx(X: np.ndarray, presence_test: str = "rca", threshold: float = 1.0) -> dict:
    """Run ecomplexity on a rows x fields matrix and return its outputs as matrices."""
    ecomplexity = pytest.importorskip("ecomplexity")
    import pandas as pd

    n, m = X.shape
    r, c = np.divmod(np.arange(n * m), m)
    frame = pd.DataFrame(
        {
            "year": 2000,
            "loc": [f"r{i:04d}" for i in r],
            "prod": [f"f{j:04d}" for j in c],
            "val": X[r, c],
        }
    )
    cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity.ecomplexity(
            frame,
            cols,
            presence_test=presence_test,
            rca_mcp_threshold=threshold,
            check_logsupermodularity=False,
            verbose=False,
        )
    out = out.sort_values(["loc", "prod"])
    res = {
        k: out[k].to_numpy(dtype=float).reshape(n, m)
        for k in ("rca", "mcp", "density", "cog", "diversity", "ubiquity", "eci", "pci", "coi")
    }
    for k in ("eci", "coi", "diversity"):
        res[k] = res[k][:, 0]
    for k in ("pci", "ubiquity"):
        res[k] = res[k][0]
    return res


def ecomplexity_outlook(M, phi, res) -> tuple[np.ndarray, np.ndarray]:
    """COI and COG as ecomplexity computes them, from innocluster's outputs.

    ecomplexity forms COI and COG from the raw eigenvector Q (before standardising), then
    z-scores COI and divides COG by std(K). Since the raw K has diversity-weighted mean 0
    (it is orthogonal to the first eigenvector), Q / std(K) = PCI_eci + a with
    a = -sum_c d_c ECI_c / sum_c d_c.
    """
    d = M.sum(axis=1)
    a = -np.nansum(d * res.eci) / d.sum()
    return complexity_outlook(M, phi, res.pci + a, standardise_coi=True)


@pytest.mark.parametrize(
    ("seed", "shape", "threshold"),
    [(0, (40, 25), 1.0), (1, (25, 60), 1.0), (2, (80, 30), 1.3), (3, (30, 30), 0.8)],
)
def test_matches_ecomplexity(seed, shape, threshold):
    X = counts(seed, *shape)
    theirs = ecx(X, threshold=threshold)
    M = specialisation(X, threshold=threshold)
    assert_close(rca(X), theirs["rca"], "rca")
    assert_close(M, theirs["mcp"], "mcp")
    assert_close(diversity(M), theirs["diversity"], "diversity")
    assert_close(ubiquity(M), theirs["ubiquity"], "ubiquity")
    phi = proximity(M)
    assert_close(relatedness_density(M, phi), theirs["density"], "density")
    res = complexity_indices(M, pci_standardisation="eci")
    assert_close(res.eci, theirs["eci"], "eci")
    assert_close(res.pci, theirs["pci"], "pci")
    out = ecomplexity_outlook(M, phi, res)
    assert_close(out.coi, theirs["coi"], "coi")
    assert_close(out.cog, theirs["cog"], "cog")
    # innocluster's default PCI: the same vector standardised with its own mean and std.
    own = complexity_indices(M).pci
    assert_close(own, (theirs["pci"] - theirs["pci"].mean()) / theirs["pci"].std(), "pci own")
    # Sparse input and the ARPACK solver give the same numbers.
    sparse = complexity_indices(sp.csr_array(M), pci_standardisation="eci", solver="arpack")
    assert_close(sparse.eci, theirs["eci"], "eci arpack")
    assert_close(sparse.pci, theirs["pci"], "pci arpack")


def test_matches_ecomplexity_with_empty_rows_and_fields():
    """ecomplexity drops all-zero rows and fields first; innocluster leaves them out alike."""
    X = with_empty()
    theirs = ecx(X)
    assert np.isnan(theirs["eci"][[2, 9]]).all() and np.isnan(theirs["pci"][5])
    M = specialisation(X)
    phi = proximity(M)
    res = complexity_indices(M, pci_standardisation="eci")
    for name, ours in [
        ("rca", rca(X)),
        ("density", relatedness_density(M, phi)),
        ("eci", res.eci),
        ("pci", res.pci),
    ]:
        assert_close(ours, theirs[name], name)
    out = ecomplexity_outlook(M, phi, res)
    assert_close(out.coi, theirs["coi"], "coi")
    assert_close(out.cog, theirs["cog"], "cog")


def test_rows_without_specialisation_where_ecomplexity_gives_all_nan():
    """A row with activity but no RCA above the threshold has diversity 0 after thresholding.

    ecomplexity then returns NaN for every ECI, PCI and COI (its NaN re-insertion fails); its
    manual presence test on M without that row gives the values innocluster computes.
    """
    X = counts(6, 20, 10, p_zero=0.0) + 1
    X[0] = X.sum(axis=0)  # shares equal to the overall shares: RCA ~ 1, below 1.3
    theirs = ecx(X, threshold=1.3)
    assert np.isnan(theirs["eci"]).all()
    M = specialisation(X, threshold=1.3)
    res = complexity_indices(M, pci_standardisation="eci")
    assert res.empty_rows[0] and np.isfinite(res.eci[1:]).all()
    manual = ecx(M[1:], presence_test="manual")
    assert_close(res.eci[1:], manual["eci"], "eci")
    assert_close(res.pci, manual["pci"], "pci")
