"""Technology-space measures: specialisation, co-occurrence, relatedness and density.

The input of every function here is a matrix ``X`` with one row per region or organisation and
one column per technology field (patent class, industry, product): counts or values as a dense
2-D numpy array or a ``scipy.sparse`` matrix. From it come the Balassa index (RCA) and the binary
specialisation matrix ``M``; from ``M`` the field-by-field co-occurrence, proximity and
relatedness matrices; from both the relatedness density of each row to each field, the
concentration of each row over fields, the entries into and exits from specialisations between
two periods, and groups of related fields. The checks and helpers shared with complexity are
in :mod:`innocluster.measures._matrices`. Complexity (ECI/PCI, the method of reflections, COI
and COG) is in :mod:`innocluster.measures.complexity`.

Every function is a pure, vectorised function of arrays. Inputs are checked at the entry point:
a wrong shape, a negative, NaN or infinite value, or an unknown option raises
:class:`~innocluster.errors.InnoclusterError` with a one-line message. Rows or fields with no
activity at all never turn into NaN unannounced: each docstring says what they become, and
functions where a value is undefined for them take an ``empty`` option (``"nan"`` or
``"raise"``; RCA has ``"zero"`` or ``"raise"``).

Region-by-field results keep the input's kind where the result is as sparse as the input (RCA,
``M``): a sparse input gives a CSR result (``csr_matrix`` for a ``spmatrix`` input,
``csr_array`` for a ``sparray``). Field-by-field matrices and densities are dense numpy arrays.
Formulas, conventions and differences from ``ecomplexity`` and EconGeo are in
``docs/measures-technology.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from innocluster.measures._matrices import (
    Mat,
    Matrix,
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
from innocluster.measures._seeds import Seed, library_seed

__all__ = [
    "DensitySplit",
    "SpecialisationChange",
    "co_occurrence",
    "diversity",
    "entropy",
    "external_access",
    "field_communities",
    "herfindahl",
    "proximity",
    "rca",
    "relatedness",
    "relatedness_density",
    "relatedness_density_split",
    "specialisation",
    "specialisation_change",
    "ubiquity",
]

# ---------------------------------------------------------------------------------------------
# Specialisation
# ---------------------------------------------------------------------------------------------


def _rca(A: Mat, empty: str, func: str) -> Mat:
    rows, cols = axis_sums(A, 1), axis_sums(A, 0)
    if empty == "raise":
        check_empty(rows, cols, "X", func)
    total = cols.sum()
    share = safe_divide(cols, np.full_like(cols, total))  # X_p / X, the field's overall share
    if sp.issparse(A):
        # Stored elements lie in rows and columns with positive sums: no division by zero.
        data = (A.data / rows[row_index(A)]) / share[A.indices]
        return sp.csr_array((data, A.indices.copy(), A.indptr.copy()), shape=A.shape)
    return safe_divide(safe_divide(A, rows[:, None]), share[None, :])


def rca(X: Matrix, *, empty: Literal["zero", "raise"] = "zero") -> Matrix:
    """Revealed comparative advantage (Balassa index, location quotient) of each row in each field.

    ``RCA_cp = (X_cp / X_c.) / (X_.p / X..)``: the field's share in the row's activity over its
    share in all activity. It is computed in exactly this order, so for integer counts (exact
    sums) RCA is exactly 1 wherever the two shares are equal, and the ``'>='`` / ``'>'`` rules
    of :func:`specialisation` act as intended on ties. RCA is invariant to multiplying ``X`` by
    a positive constant.

    Args:
        X: shape ``(n_rows, n_fields)``, non-negative counts or values (patents, employees,
            exports) of each row (region or organisation) in each technology field; dense or
            ``scipy.sparse``.
        empty: what to do with all-zero rows or columns, where RCA is 0/0: ``"zero"`` (default)
            gives them RCA 0 (no advantage, hence no specialisation, as ``ecomplexity`` does
            after its ``nan_to_num``); ``"raise"`` raises ``InnoclusterError`` naming them.

    Returns:
        RCA, shape ``(n_rows, n_fields)``, dimensionless, >= 0: a float64 ndarray for a dense
        ``X``, a CSR sparse matrix with the same pattern for a sparse ``X``.

    References:
        Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage. *The
        Manchester School*, 33(2), 99-123. https://doi.org/10.1111/j.1467-9957.1965.tb00050.x
    """
    func = "rca"
    A = checked_matrix(X, "X", func)
    check_choice(empty, ("zero", "raise"), "empty", func)
    out = _rca(A, empty, func)
    return like_input(out, X) if sp.issparse(out) else out


def specialisation(
    X: Matrix,
    *,
    threshold: float = 1.0,
    threshold_rule: Literal[">=", ">"] = ">=",
    empty: Literal["zero", "raise"] = "zero",
) -> Matrix:
    """Binary specialisation matrix ``M``: 1 where the row has a revealed comparative advantage.

    ``M_cp = 1 if RCA_cp >= threshold`` (default, as in Hidalgo et al. 2007 and ``ecomplexity``)
    or ``RCA_cp > threshold`` (``threshold_rule='>'``, as in several EconGeo-based studies),
    else 0. Rows or columns of ``X`` that are all zero have RCA 0 and so ``M = 0`` (or raise
    with ``empty='raise'``).

    Args:
        X: shape ``(n_rows, n_fields)``, non-negative counts or values; dense or sparse.
        threshold: the RCA cut-off, > 0 (default 1).
        threshold_rule: ``">="`` (default) or ``">"``.
        empty: as in :func:`rca`.

    Returns:
        ``M``, shape ``(n_rows, n_fields)``, 0/1 stored as float64 so that it goes straight into
        matrix products: a dense ndarray, or CSR sparse for a sparse ``X``.

    References:
        Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage. *The
        Manchester School*, 33(2), 99-123. https://doi.org/10.1111/j.1467-9957.1965.tb00050.x

        Hidalgo, C. A., Klinger, B., Barabasi, A.-L., & Hausmann, R. (2007). The product space
        conditions the development of nations. *Science*, 317(5837), 482-487.
        https://doi.org/10.1126/science.1144581
    """
    func = "specialisation"
    A = checked_matrix(X, "X", func)
    rule = check_choice(threshold_rule, (">=", ">"), "threshold_rule", func)
    check_choice(empty, ("zero", "raise"), "empty", func)
    threshold = checked_number(threshold, "threshold", func, "a finite number > 0", lambda x: x > 0)
    R = _rca(A, empty, func)
    compare = np.greater_equal if rule == ">=" else np.greater
    if sp.issparse(R):
        out = sp.csr_array(
            (compare(R.data, threshold).astype(np.float64), R.indices, R.indptr), shape=R.shape
        )
        out.eliminate_zeros()
        return like_input(out, X)
    return compare(R, threshold).astype(np.float64)


def diversity(M: Matrix) -> np.ndarray:
    """Diversity of each row: the number of fields it is specialised in.

    ``k_c,0 = sum_p M_cp``. With a weighted ``M`` it is the row's total weight.

    Args:
        M: shape ``(n_rows, n_fields)``, the binary specialisation matrix (non-negative values
            are accepted); dense or sparse.

    Returns:
        shape ``(n_rows,)``, float64; 0 for a row with no specialisation.

    References:
        Hidalgo, C. A., & Hausmann, R. (2009). The building blocks of economic complexity.
        *PNAS*, 106(26), 10570-10575. https://doi.org/10.1073/pnas.0900943106
    """
    return axis_sums(checked_matrix(M, "M", "diversity"), 1)


def ubiquity(M: Matrix) -> np.ndarray:
    """Ubiquity of each field: the number of rows specialised in it.

    ``k_p,0 = sum_c M_cp``. With a weighted ``M`` it is the field's total weight.

    Args:
        M: shape ``(n_rows, n_fields)``, the binary specialisation matrix; dense or sparse.

    Returns:
        shape ``(n_fields,)``, float64; 0 for a field in which no row is specialised.

    References:
        Hidalgo, C. A., & Hausmann, R. (2009). The building blocks of economic complexity.
        *PNAS*, 106(26), 10570-10575. https://doi.org/10.1073/pnas.0900943106
    """
    return axis_sums(checked_matrix(M, "M", "ubiquity"), 0)


# ---------------------------------------------------------------------------------------------
# Co-occurrence, proximity, relatedness
# ---------------------------------------------------------------------------------------------


def _gram(A: Mat) -> np.ndarray:
    """``A^T A`` as a dense float64 array."""
    C = A.T @ A
    return np.asarray(C.toarray() if sp.issparse(C) else C, dtype=np.float64)


def co_occurrence(B: Matrix, *, binary: bool = False, diagonal: bool = True) -> np.ndarray:
    """Field-by-field co-occurrence counts: ``C = B^T B``.

    ``C_ij = sum_r B_ri B_rj``. With ``B = M`` (regions x fields), ``C_ij`` is the number of
    regions specialised in both ``i`` and ``j`` and ``C_ii`` the ubiquity of ``i``. With a raw
    co-classification incidence matrix (documents x fields, e.g. 1 where a patent carries a
    code of field ``j``), ``C_ij`` is the number of documents classified in both fields and
    ``C_ii`` the number classified in ``i``. Weighted inputs give weighted co-occurrences.

    Args:
        B: shape ``(n_rows, n_fields)``, non-negative: a specialisation matrix ``M`` or a
            document-by-field incidence matrix; dense or sparse.
        binary: if True, count presence only (``B > 0``) before multiplying.
        diagonal: if False, set ``C_ii = 0`` (EconGeo's ``co_occurrence(diagonal = FALSE)``).

    Returns:
        ``C``, shape ``(n_fields, n_fields)``, symmetric, float64 (counts).

    References:
        van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of
        some well-known similarity measures. *Journal of the American Society for Information
        Science and Technology*, 60(8), 1635-1651. https://doi.org/10.1002/asi.21075
    """
    A = checked_matrix(
        B, "B", "co_occurrence", hint="rows = regions or documents, columns = fields"
    )
    if binary:
        A = (A > 0).astype(np.float64)
    C = _gram(A)
    if not diagonal:
        np.fill_diagonal(C, 0.0)
    return C


def proximity(M: Matrix, *, symmetric: bool = True) -> np.ndarray:
    """Proximity of fields by minimum conditional probability (the product space).

    ``phi_ij = min(P(M_i | M_j), P(M_j | M_i)) = C_ij / max(u_i, u_j)`` with ``C = M^T M`` and
    ``u_i = C_ii`` the ubiquity of field ``i``; ``phi_ii = 1`` for every field with ``u_i > 0``.
    A field in which no row is specialised (``u_i = 0``) has proximity 0 to every field,
    itself included (where ``ecomplexity`` gives 0/0 = NaN). With ``symmetric=False`` the
    conditional probabilities themselves are returned, ``P_ij = P(M_j | M_i) = C_ij / u_i``
    (the matrix of ``ecomplexity``'s ``asymmetric=True``).

    Args:
        M: shape ``(n_rows, n_fields)``, binary specialisation matrix (0/1); dense or sparse.
        symmetric: the minimum of both conditional probabilities (default) or ``P(M_j|M_i)``.

    Returns:
        shape ``(n_fields, n_fields)``, float64 in [0, 1]; symmetric when ``symmetric``.

    References:
        Hidalgo, C. A., Klinger, B., Barabasi, A.-L., & Hausmann, R. (2007). The product space
        conditions the development of nations. *Science*, 317(5837), 482-487.
        https://doi.org/10.1126/science.1144581
    """
    A = checked_matrix(M, "M", "proximity", binary=True)
    C = _gram(A)
    u = np.diag(C).copy()
    if symmetric:
        return safe_divide(C, np.maximum(u[:, None], u[None, :]))
    return safe_divide(C, u[:, None])


def relatedness(
    C: Matrix, *, method: Literal["prob", "association", "cosine", "jaccard"] = "prob"
) -> np.ndarray:
    """Relatedness of fields from their co-occurrence matrix (van Eck & Waltman normalisations).

    The diagonal of ``C`` is ignored. With ``c_ij`` the co-occurrences of ``i`` and ``j``
    (``i != j``), ``s_i = sum_{j != i} c_ij`` the total co-occurrences of ``i`` and
    ``T = sum_i s_i``:

    - ``"prob"`` (default, probability index of Steijn 2017 as in EconGeo): observed over the
      count expected if the ``T / 2`` co-occurring pairs were drawn without repetition,
      ``c_ij / [(T/2) (s_i/T * s_j/(T - s_i) + s_j/T * s_i/(T - s_j))]``;
    - ``"association"`` (association strength, observed over expected with repetition):
      ``c_ij / (s_i s_j / T) = c_ij T / (s_i s_j)``;
    - ``"cosine"``: ``c_ij / sqrt(s_i s_j)``;
    - ``"jaccard"``: ``c_ij / (s_i + s_j - c_ij)``.

    ``"prob"`` and ``"association"`` are 1 where fields co-occur as often as chance predicts;
    ``"cosine"`` and ``"jaccard"`` lie in [0, 1]. The diagonal of the result is 0, and pairs
    involving a field with no co-occurrence (``s_i = 0``, where the ratios are 0/0) are 0.

    Args:
        C: shape ``(n_fields, n_fields)``, symmetric non-negative co-occurrence counts, e.g.
            from :func:`co_occurrence`; dense or sparse.
        method: ``"prob"``, ``"association"``, ``"cosine"`` or ``"jaccard"``.

    Returns:
        shape ``(n_fields, n_fields)``, symmetric, float64, zero diagonal.

    References:
        van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of
        some well-known similarity measures. *Journal of the American Society for Information
        Science and Technology*, 60(8), 1635-1651. https://doi.org/10.1002/asi.21075

        Steijn, M. P. A. (2017). Improvement on the association strength: implementing
        probability measures based on combinations without repetition. Working paper, Utrecht
        University.

        Balland, P.-A. (2017). EconGeo: Computing key indicators of the spatial distribution of
        economic activities. R package (function ``relatedness``).
    """
    func = "relatedness"
    method = check_choice(method, ("prob", "association", "cosine", "jaccard"), "method", func)
    c = to_dense(checked_matrix(C, "C", func, square=True, hint="fields x fields")).copy()
    if not np.allclose(c, c.T, rtol=1e-12, atol=0):
        fail(f"The 'C' argument of {func} must be symmetric (a co-occurrence matrix)")
    np.fill_diagonal(c, 0.0)
    s = c.sum(axis=0)
    T = s.sum()
    si, sj = s[:, None], s[None, :]
    if method == "prob":
        expected = (T / 2) * (
            safe_divide(si, T) * safe_divide(sj, T - si)
            + safe_divide(sj, T) * safe_divide(si, T - sj)
        )
        out = safe_divide(c, expected)
    elif method == "association":
        out = safe_divide(c * T, si * sj)
    elif method == "cosine":
        out = safe_divide(c, np.sqrt(si * sj))
    else:
        out = safe_divide(c, si + sj - c)
    np.fill_diagonal(out, 0.0)
    return out


# ---------------------------------------------------------------------------------------------
# Relatedness density
# ---------------------------------------------------------------------------------------------


def relatedness_density(M: Matrix, proximity: Matrix, *, include_self: bool = True) -> np.ndarray:
    """Relatedness density of each row to each field.

    ``density_cp = sum_p' M_cp' phi_p'p / sum_p' phi_p'p``: the proximity-weighted share of the
    fields related to ``p`` in which row ``c`` is specialised, in [0, 1] for a binary ``M``
    (EconGeo reports the same number times 100). ``1 - density`` is the Atlas' *distance*.

    By default a field's proximity to itself counts (``include_self=True``), as in Hidalgo et
    al. (2007), the Atlas and ``ecomplexity``: with ``phi_pp = 1``, being specialised in ``p``
    adds ``1 / sum_p' phi_p'p`` to the density of ``p``. With ``include_self=False`` the
    diagonal of ``proximity`` is ignored in both sums (what EconGeo's density gives, since its
    relatedness matrices have a zero diagonal), so that the density of ``p`` measures related
    capabilities only. A field whose proximities all vanish (no specialised row, or isolated)
    has density 0 in every row; a row with no specialisation has density 0 everywhere.

    Args:
        M: shape ``(n_rows, n_fields)``, binary specialisation matrix (non-negative weights such
            as RCA are accepted); dense or sparse.
        proximity: shape ``(n_fields, n_fields)``, non-negative proximity or relatedness
            ``phi`` (e.g. from :func:`proximity` or :func:`relatedness`). For an asymmetric
            matrix, ``phi[p', p]`` is the weight of ``p'`` in the density of ``p`` (columns are
            normalised).
        include_self: whether the diagonal of ``proximity`` counts (default True).

    Returns:
        shape ``(n_rows, n_fields)``, float64 ndarray.

    References:
        Hidalgo, C. A., Klinger, B., Barabasi, A.-L., & Hausmann, R. (2007). The product space
        conditions the development of nations. *Science*, 317(5837), 482-487.
        https://doi.org/10.1126/science.1144581

        Boschma, R., Balland, P.-A., & Kogler, D. F. (2015). Relatedness and technological
        change in cities: the rise and fall of technological knowledge in US metropolitan areas
        from 1981 to 2010. *Industrial and Corporate Change*, 24(1), 223-250.
        https://doi.org/10.1093/icc/dtu012
    """
    func = "relatedness_density"
    A = checked_matrix(M, "M", func)
    W, S = proximity_weights(proximity, func, include_self)
    check_fields(A, W, "proximity", func)
    return weighted_density(A, W, S)


@dataclass(frozen=True)
class DensitySplit:
    """Relatedness density split into internal and external parts.

    See :func:`relatedness_density_split`.

    Attributes:
        internal: shape ``(n_rows, n_fields)``, density from the row's own specialisations.
        external: shape ``(n_rows, n_fields)``, density from fields reached only externally.
        total: ``internal + external``, in [0, 1].
    """

    internal: np.ndarray
    external: np.ndarray
    total: np.ndarray


def relatedness_density_split(
    M: Matrix, external: Matrix, proximity: Matrix, *, include_self: bool = True
) -> DensitySplit:
    """Relatedness density split into the part a row holds and the part it reaches externally.

    Interpretation (after Balland & Boschma 2021, complementary interregional linkages):
    ``external[c, p']`` says how far row ``c`` can draw on capabilities in field ``p'`` through
    its relations with other rows (1/0, or a share in [0, 1], e.g. from
    :func:`external_access`). Capabilities the row holds itself count as internal only, so
    that nothing counts twice:

    - ``internal_cp = sum_p' M_cp' phi_p'p / sum_p' phi_p'p`` (the ordinary
      :func:`relatedness_density`);
    - ``external_cp = sum_p' (1 - M_cp') E_cp' phi_p'p / sum_p' phi_p'p``;
    - ``total = internal + external``, which for a binary ``E`` is the density of
      ``max(M, E)``: the relatedness of ``p`` to everything the row holds or reaches.

    This is not EconGeo's ``relatedness_density_int`` / ``_ext``, which take no second matrix
    and mask the ordinary density to fields inside / outside the row's portfolio; those are
    ``np.where(M == 1, density, nan)`` and ``np.where(M == 0, density, nan)``.

    Args:
        M: shape ``(n_rows, n_fields)``, binary specialisation matrix (values in [0, 1]).
        external: shape ``(n_rows, n_fields)``, external access ``E`` in [0, 1].
        proximity: shape ``(n_fields, n_fields)``, non-negative proximity ``phi``.
        include_self: whether the diagonal of ``proximity`` counts (default True), as in
            :func:`relatedness_density`.

    Returns:
        :class:`DensitySplit` of three ``(n_rows, n_fields)`` float64 arrays.

    References:
        Balland, P.-A., & Boschma, R. (2021). Complementary interregional linkages and Smart
        Specialisation: an empirical study on European regions. *Regional Studies*, 55(6),
        1059-1070. https://doi.org/10.1080/00343404.2020.1861240

        Hidalgo, C. A., Klinger, B., Barabasi, A.-L., & Hausmann, R. (2007). The product space
        conditions the development of nations. *Science*, 317(5837), 482-487.
        https://doi.org/10.1126/science.1144581
    """
    func = "relatedness_density_split"
    A = checked_matrix(M, "M", func, unit=True)
    E = checked_matrix(external, "external", func, unit=True)
    check_same_shape(A, E, "M", "external", func)
    W, S = proximity_weights(proximity, func, include_self)
    check_fields(A, W, "proximity", func)
    only_external = E - (E.multiply(A) if sp.issparse(E) else E * to_dense(A))
    internal = weighted_density(A, W, S)
    ext = weighted_density(sp.csr_array(only_external) if sp.issparse(E) else only_external, W, S)
    return DensitySplit(internal=internal, external=ext, total=internal + ext)


def external_access(
    links: Matrix, M: Matrix, *, rule: Literal["any", "share"] = "any"
) -> np.ndarray:
    """External access of each row to each field through its links to other rows.

    With ``L`` the row-by-row link weights (collaborations, co-inventions, trade; the diagonal
    is ignored):

    - ``"any"`` (default): ``E_cp = 1`` if some linked row (``L_cc' > 0``) is specialised in
      ``p``, else 0;
    - ``"share"``: ``E_cp = sum_c' L_cc' M_c'p / sum_c' L_cc'``, the link-weighted share of
      partners specialised in ``p``.

    A row without links has ``E = 0``. The result is the ``external`` input of
    :func:`relatedness_density_split`.

    Args:
        links: shape ``(n_rows, n_rows)``, non-negative link weights; dense or sparse.
        M: shape ``(n_rows, n_fields)``, binary specialisation matrix; dense or sparse.
        rule: ``"any"`` or ``"share"``.

    Returns:
        shape ``(n_rows, n_fields)``, float64 ndarray in [0, 1].

    References:
        Balland, P.-A., & Boschma, R. (2021). Complementary interregional linkages and Smart
        Specialisation: an empirical study on European regions. *Regional Studies*, 55(6),
        1059-1070. https://doi.org/10.1080/00343404.2020.1861240
    """
    func = "external_access"
    rule = check_choice(rule, ("any", "share"), "rule", func)
    L = checked_matrix(links, "links", func, square=True, hint="rows x rows")
    A = checked_matrix(M, "M", func, binary=True)
    if L.shape[0] != A.shape[0]:
        fail(
            f"The 'links' argument of {func} must be {A.shape[0]}x{A.shape[0]} (one row and "
            f"column per row of M); got {L.shape[0]}x{L.shape[1]}"
        )
    if sp.issparse(L):
        L = L.tolil()
        L.setdiag(0.0)
        L = sp.csr_array(L)
        L.eliminate_zeros()
    else:
        L = L.copy()
        np.fill_diagonal(L, 0.0)
    reach = L @ A
    reach = reach.toarray() if sp.issparse(reach) else np.asarray(reach)
    if rule == "any":
        return (reach > 0).astype(np.float64)
    return safe_divide(reach, axis_sums(L, 1)[:, None])


# ---------------------------------------------------------------------------------------------
# Concentration of rows over fields
# ---------------------------------------------------------------------------------------------


def _shares(X: Matrix, func: str, empty: str) -> tuple[Mat, np.ndarray]:
    A = checked_matrix(X, "X", func)
    check_choice(empty, ("nan", "raise"), "empty", func)
    rows = axis_sums(A, 1)
    if empty == "raise":
        check_empty(rows, None, "X", func)
    return A, rows


def herfindahl(X: Matrix, *, empty: Literal["nan", "raise"] = "nan") -> np.ndarray:
    """Herfindahl-Hirschman index of each row's distribution over fields.

    ``H_c = sum_p s_cp^2`` with ``s_cp = X_cp / sum_p' X_cp'``: 1 when the row is active in one
    field, ``1 / n_fields`` when spread evenly.

    Args:
        X: shape ``(n_rows, n_fields)``, non-negative counts or values; dense or sparse.
        empty: an all-zero row has no distribution: ``"nan"`` (default) returns NaN for it,
            ``"raise"`` raises ``InnoclusterError``.

    Returns:
        shape ``(n_rows,)``, float64 in ``[1 / n_fields, 1]`` (NaN for all-zero rows).

    References:
        Hirschman, A. O. (1964). The paternity of an index. *American Economic Review*, 54(5),
        761. https://www.jstor.org/stable/1818582

        Herfindahl, O. C. (1950). *Concentration in the steel industry*. PhD thesis, Columbia
        University.
    """
    A, rows = _shares(X, "herfindahl", empty)
    squares = axis_sums(A.multiply(A) if sp.issparse(A) else A * A, 1)
    out = np.full(rows.shape, np.nan)
    np.divide(squares, rows * rows, out=out, where=rows > 0)
    return out


def entropy(
    X: Matrix, *, base: float | None = None, empty: Literal["nan", "raise"] = "nan"
) -> np.ndarray:
    """Shannon entropy of each row's distribution over fields.

    ``E_c = -sum_p s_cp log(s_cp)`` with ``s_cp = X_cp / sum_p' X_cp'`` and ``0 log 0 = 0``: 0
    when the row is active in one field, ``log(n_fields)`` when spread evenly.

    Args:
        X: shape ``(n_rows, n_fields)``, non-negative counts or values; dense or sparse.
        base: logarithm base, > 0 and != 1; None (default) for the natural logarithm (nats),
            2 for bits.
        empty: an all-zero row has no distribution: ``"nan"`` (default) returns NaN for it,
            ``"raise"`` raises ``InnoclusterError``.

    Returns:
        shape ``(n_rows,)``, float64 >= 0 (NaN for all-zero rows).

    References:
        Shannon, C. E. (1948). A mathematical theory of communication. *Bell System Technical
        Journal*, 27(3), 379-423. https://doi.org/10.1002/j.1538-7305.1948.tb01338.x

        Frenken, K., Van Oort, F., & Verburg, T. (2007). Related variety, unrelated variety and
        regional economic growth. *Regional Studies*, 41(5), 685-697.
        https://doi.org/10.1080/00343400601120296
    """
    func = "entropy"
    if base is not None:
        base = checked_number(
            base, "base", func, "None or a number > 0 other than 1", lambda x: x > 0 and x != 1
        )
    A, rows = _shares(X, func, empty)
    if sp.issparse(A):
        s = A.data / rows[row_index(A)]
        h = np.bincount(row_index(A), weights=-s * np.log(s), minlength=A.shape[0])
    else:
        s = safe_divide(A, rows[:, None])
        h = -np.sum(s * np.log(np.where(s > 0, s, 1.0)), axis=1)
    if base is not None:
        h = h / np.log(base)
    return np.where(rows > 0, h + 0.0, np.nan)


# ---------------------------------------------------------------------------------------------
# Change between two periods
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialisationChange:
    """Entries into and exits from specialisations between two periods.

    Attributes:
        entry: shape ``(n_rows, n_fields)``, bool: not specialised before, specialised after.
        exit: shape ``(n_rows, n_fields)``, bool: specialised before, not after.
        entries: shape ``(n_rows,)``, number of entries of each row.
        exits: shape ``(n_rows,)``, number of exits of each row.
        growth: shape ``(n_rows,)``, relative growth of the number of specialisations,
            ``(diversity_after - diversity_before) / diversity_before`` (NaN where the row had
            none before, unless ``empty='raise'``).
    """

    entry: np.ndarray
    exit: np.ndarray
    entries: np.ndarray
    exits: np.ndarray
    growth: np.ndarray


def specialisation_change(
    M_before: Matrix, M_after: Matrix, *, empty: Literal["nan", "raise"] = "nan"
) -> SpecialisationChange:
    """Entry, exit and growth of specialisations between two periods.

    ``entry_cp = (1 - M0_cp) M1_cp`` and ``exit_cp = M0_cp (1 - M1_cp)``. Entry can only happen
    where ``M0 = 0`` and exit where ``M0 = 1``; EconGeo's ``entry_mat`` / ``exit_mat`` mark the
    other cells NA, which is ``np.where(M0 == 1, nan, entry)`` here. Per row: ``entries``,
    ``exits`` and ``growth = (d1 - d0) / d0 = (entries - exits) / d0`` with ``d`` the
    diversity. A row with ``d0 = 0`` has no growth rate: NaN (``empty="nan"``, default) or
    ``InnoclusterError`` (``"raise"``); its entries are still counted.

    Args:
        M_before: shape ``(n_rows, n_fields)``, binary specialisation matrix of the first
            period; dense or sparse.
        M_after: same shape, the second period (same rows and fields in the same order).
        empty: ``"nan"`` or ``"raise"`` for rows with no specialisation before.

    Returns:
        :class:`SpecialisationChange`.

    References:
        Neffke, F., Henning, M., & Boschma, R. (2011). How do regions diversify over time?
        Industry relatedness and the development of new growth paths in regions. *Economic
        Geography*, 87(3), 237-265. https://doi.org/10.1111/j.1944-8287.2011.01121.x

        Boschma, R., Balland, P.-A., & Kogler, D. F. (2015). Relatedness and technological
        change in cities. *Industrial and Corporate Change*, 24(1), 223-250.
        https://doi.org/10.1093/icc/dtu012
    """
    func = "specialisation_change"
    check_choice(empty, ("nan", "raise"), "empty", func)
    A0 = to_dense(checked_matrix(M_before, "M_before", func, binary=True)) > 0
    A1 = to_dense(checked_matrix(M_after, "M_after", func, binary=True)) > 0
    check_same_shape(A0, A1, "M_before", "M_after", func)
    d0 = A0.sum(axis=1).astype(np.float64)
    if empty == "raise":
        check_empty(d0, None, "M_before", func)
    entry, exit_ = A1 & ~A0, A0 & ~A1
    entries = entry.sum(axis=1).astype(np.float64)
    exits = exit_.sum(axis=1).astype(np.float64)
    growth = np.full(d0.shape, np.nan)
    np.divide(entries - exits, d0, out=growth, where=d0 > 0)
    return SpecialisationChange(
        entry=entry, exit=exit_, entries=entries, exits=exits, growth=growth
    )


# ---------------------------------------------------------------------------------------------
# Groups of related fields
# ---------------------------------------------------------------------------------------------


def field_communities(
    proximity: Matrix,
    *,
    method: Literal["louvain", "greedy"] = "louvain",
    resolution: float = 1.0,
    min_proximity: float = 0.0,
    seed: Seed = 0,
) -> np.ndarray:
    """Groups of related fields: communities of the weighted proximity network.

    The network has one node per field and an edge of weight ``phi_ij`` between ``i != j``
    wherever ``phi_ij > min_proximity`` (self-loops are dropped). Its communities maximise the
    weighted modularity ``Q = (1/2w) sum_ij [phi_ij - gamma k_i k_j / 2w] delta(g_i, g_j)``
    (``k`` the weighted degree, ``w`` the total weight, ``gamma = resolution``), found by the
    Louvain method (``"louvain"``, default; randomised, so ``seed`` fixes the result) or by
    Clauset-Newman-Moore greedy agglomeration (``"greedy"``, deterministic). Fields without any
    edge form groups of their own. Needs ``networkx``.

    Args:
        proximity: shape ``(n_fields, n_fields)``, symmetric non-negative proximity or
            relatedness; dense or sparse.
        method: ``"louvain"`` or ``"greedy"``.
        resolution: modularity resolution ``gamma`` > 0; larger gives more, smaller groups.
        min_proximity: edges with ``phi_ij <= min_proximity`` are dropped (default 0: every
            positive proximity is an edge).
        seed: seed of the Louvain method: an int is passed to networkx as it is; a
            ``numpy.random.Generator`` or ``SeedSequence`` draws one.

    Returns:
        shape ``(n_fields,)``, int64 group labels ``0 .. n_groups - 1``, numbered by decreasing
        group size (ties by smallest field index).

    References:
        Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding
        of communities in large networks. *Journal of Statistical Mechanics*, P10008.
        https://doi.org/10.1088/1742-5468/2008/10/P10008

        Clauset, A., Newman, M. E. J., & Moore, C. (2004). Finding community structure in very
        large networks. *Physical Review E*, 70(6), 066111.
        https://doi.org/10.1103/PhysRevE.70.066111
    """
    func = "field_communities"
    method = check_choice(method, ("louvain", "greedy"), "method", func)
    W = to_dense(checked_matrix(proximity, "proximity", func, square=True, hint="fields x fields"))
    if not np.allclose(W, W.T, rtol=1e-12, atol=0):
        fail(f"The 'proximity' argument of {func} must be symmetric")
    resolution = checked_number(resolution, "resolution", func, "a number > 0", lambda x: x > 0)
    min_proximity = checked_number(
        min_proximity, "min_proximity", func, "a finite number", lambda x: True
    )
    try:
        import networkx as nx
    except ImportError as exc:  # pragma: no cover - networkx is a dependency of the extras
        raise ImportError("field_communities needs networkx: pip install 'networkx>=3.2'") from exc
    n = W.shape[0]
    i, j = np.nonzero(np.triu(W > min_proximity, k=1))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(zip(i.tolist(), j.tolist(), W[i, j].tolist(), strict=True))
    if method == "louvain":
        groups = nx.community.louvain_communities(
            graph, weight="weight", resolution=resolution, seed=library_seed(seed, func)
        )
    else:
        groups = nx.community.greedy_modularity_communities(
            graph, weight="weight", resolution=resolution
        )
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    labels = np.empty(n, dtype=np.int64)
    sizes = np.array([len(g) for g in ordered])
    labels[np.concatenate(ordered)] = np.repeat(np.arange(len(ordered)), sizes)
    return labels
