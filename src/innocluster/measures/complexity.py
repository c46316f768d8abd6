"""Economic and technological complexity of rows and fields of a specialisation matrix.

From the binary specialisation matrix ``M`` (rows = regions or organisations, columns =
technology fields; see :func:`innocluster.measures.technology.specialisation`) this module
computes the method of reflections, the eigenvector complexity indices (ECI of rows, also
called KCI for regions' knowledge complexity; PCI of fields, also called TCI for technologies)
and the complexity outlook of rows (COI) and gain of fields (COG).

The eigenvector is found on a symmetric matrix similar to ``M~``: for large inputs a partial
symmetric eigensolver (ARPACK's Lanczos via ``scipy.sparse.linalg.eigsh``) works on a sparse
``M`` through matrix-vector products, with no dense ``n x n`` matrix formed. Rows or fields with
no specialisation have no complexity: they are left out of the computation, get NaN, and are
reported in the result's ``empty_rows`` / ``empty_fields`` masks (or raise with
``empty='raise'``). Conventions and the differences from ``ecomplexity`` are in
``docs/measures-technology.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from innocluster.measures._matrices import (
    Mat,
    Matrix,
    axis_sums,
    check_choice,
    check_empty,
    check_fields,
    checked_matrix,
    fail,
    proximity_weights,
    safe_divide,
    to_dense,
    weighted_density,
)
from innocluster.measures._seeds import as_generator

__all__ = [
    "Complexity",
    "Outlook",
    "Reflections",
    "complexity_indices",
    "complexity_outlook",
    "reflections",
]

#: For a dense M, ``solver='auto'`` uses LAPACK up to this many elements on the smaller side.
DENSE_LIMIT = 1500
#: Seed of ARPACK's start vector (fixed: see :func:`_arpack`).
_ARPACK_START_SEED = 0


def _valid(A: Mat, func: str, empty: str) -> tuple[Mat, np.ndarray, np.ndarray]:
    """The submatrix of non-empty rows and fields, and the two boolean masks of empty ones."""
    check_choice(empty, ("nan", "raise"), "empty", func)
    d, u = axis_sums(A, 1), axis_sums(A, 0)
    if empty == "raise":
        check_empty(d, u, "M", func)
    empty_rows, empty_fields = d == 0, u == 0
    sub = A[~empty_rows][:, ~empty_fields]
    return sub, empty_rows, empty_fields


def _fill(values: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """Put ``values`` at the non-empty positions of an array of NaN (last axis)."""
    out = np.full(values.shape[:-1] + empty.shape, np.nan)
    out[..., ~empty] = values
    return out


@dataclass(frozen=True)
class Reflections:
    """The method of reflections (see :func:`reflections`).

    Attributes:
        kc: shape ``(steps + 1, n_rows)``, ``kc[n] = k_c,n`` (``kc[0]`` is the diversity).
        kp: shape ``(steps + 1, n_fields)``, ``kp[n] = k_p,n`` (``kp[0]`` is the ubiquity).
        empty_rows: shape ``(n_rows,)``, bool: rows with no specialisation (NaN in ``kc``).
        empty_fields: shape ``(n_fields,)``, bool: fields with no specialised row (NaN in
            ``kp``).
    """

    kc: np.ndarray
    kp: np.ndarray
    empty_rows: np.ndarray
    empty_fields: np.ndarray


def reflections(
    M: Matrix, *, steps: int = 20, empty: Literal["nan", "raise"] = "nan"
) -> Reflections:
    """The method of reflections: iterated averages of diversity and ubiquity.

    ``k_c,0 = sum_p M_cp`` (diversity), ``k_p,0 = sum_c M_cp`` (ubiquity) and, for
    ``n >= 1``, ``k_c,n = (1 / k_c,0) sum_p M_cp k_p,n-1`` and
    ``k_p,n = (1 / k_p,0) sum_c M_cp k_c,n-1``: ``k_c,1`` is the average ubiquity of the row's
    fields, ``k_p,1`` the average diversity of the field's rows, and so on. The values converge
    to a constant; the eigenvector method (:func:`complexity_indices`) gives the direction in which
    they approach it.

    Args:
        M: shape ``(n_rows, n_fields)``, binary specialisation matrix (non-negative weights
            accepted); dense or sparse.
        steps: the number of reflections ``N >= 0``; ``kc`` and ``kp`` hold steps ``0..N``.
        empty: rows or fields with no specialisation have no average: ``"nan"`` (default)
            leaves them out of every average and gives them NaN, reported in
            ``empty_rows`` / ``empty_fields``; ``"raise"`` raises ``InnoclusterError``.

    Returns:
        :class:`Reflections`.

    References:
        Hidalgo, C. A., & Hausmann, R. (2009). The building blocks of economic complexity.
        *PNAS*, 106(26), 10570-10575. https://doi.org/10.1073/pnas.0900943106
    """
    func = "reflections"
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 0:
        fail(f"The 'steps' parameter of {func} must be an integer >= 0; got {steps!r}")
    A, empty_rows, empty_fields = _valid(checked_matrix(M, "M", func), func, empty)
    d, u = axis_sums(A, 1), axis_sums(A, 0)
    kc = np.empty((steps + 1, len(d)))
    kp = np.empty((steps + 1, len(u)))
    kc[0], kp[0] = d, u
    for n in range(1, steps + 1):  # a loop over reflection steps only
        kc[n] = np.asarray(A @ kp[n - 1]) / d
        kp[n] = np.asarray(A.T @ kc[n - 1]) / u
    return Reflections(
        kc=_fill(kc, empty_rows),
        kp=_fill(kp, empty_fields),
        empty_rows=empty_rows,
        empty_fields=empty_fields,
    )


@dataclass(frozen=True)
class Complexity:
    """Complexity indices of rows and fields (see :func:`complexity_indices`).

    Attributes:
        eci: shape ``(n_rows,)``, ECI (KCI) of each row, standardised; NaN for empty rows.
        pci: shape ``(n_fields,)``, PCI (TCI) of each field; NaN for empty fields.
        eigenvalue: the second-largest eigenvalue of ``M~`` (in [0, 1]). A value of 1 means the
            bipartite network of rows and fields is disconnected: ECI then separates its
            components and says nothing else.
        empty_rows: shape ``(n_rows,)``, bool: rows with no specialisation, left out.
        empty_fields: shape ``(n_fields,)``, bool: fields with no specialised row, left out.
    """

    eci: np.ndarray
    pci: np.ndarray
    eigenvalue: float
    empty_rows: np.ndarray
    empty_fields: np.ndarray


def _arpack(G: Mat, H: Mat, top: np.ndarray) -> tuple[float, np.ndarray] | None:
    """Top eigenpair of ``G @ H`` with its known top eigenvector ``top`` deflated (ARPACK).

    Works on matrix-vector products only. Returns None if ARPACK does not converge.
    """
    n = H.shape[1]

    def matvec(x: np.ndarray) -> np.ndarray:
        x = np.ravel(x)
        return np.asarray(G @ np.asarray(H @ x)).ravel() - top * (top @ x)

    op = spla.LinearOperator((n, n), matvec=matvec, rmatvec=matvec, dtype=np.float64)
    # A fixed start vector, not a user seed: ARPACK's own start is random, and a fixed one
    # makes the iterations, hence ECI and PCI to the last bit, the same on every call (the
    # eigenvector does not depend on the start beyond rounding).
    v0 = as_generator(_ARPACK_START_SEED, "complexity_indices").standard_normal(n)
    try:
        values, vectors = spla.eigsh(op, k=1, which="LA", v0=v0 - top * (top @ v0), tol=0)
    except spla.ArpackNoConvergence:  # pragma: no cover - the dense solver takes over
        return None
    return float(values[0]), vectors[:, 0]


def _second_eigenpair(
    A: Mat, d: np.ndarray, u: np.ndarray, solver: str
) -> tuple[float, np.ndarray, np.ndarray]:
    """Second eigenvalue of ``M~`` and the raw vectors ``(kc, kp)`` with ``kc = D^-1 M kp``.

    ``B = D^-1/2 M U^-1/2`` has singular values ``sqrt(lambda)`` of ``M~ = D^-1 M U^-1 M^T``
    (rows) and of ``U^-1 M^T D^-1 M`` (fields); its top pair is known (``sqrt(d)``,
    ``sqrt(u)``, eigenvalue 1), so the second is the top pair of the deflated Gram matrix of
    the smaller side.
    """
    n_rows, n_fields = A.shape
    rd, ru = 1.0 / np.sqrt(d), 1.0 / np.sqrt(u)
    if sp.issparse(A):
        B = sp.diags_array(rd) @ A @ sp.diags_array(ru)
        B = sp.csr_array(B)
    else:
        B = A * rd[:, None] * ru[None, :]
    on_fields = n_fields <= n_rows
    # S = G @ H is B^T B (fields side) or B B^T (rows side): n x n, n = the smaller side.
    G, H = (B.T, B) if on_fields else (B, B.T)
    n = H.shape[1]
    top = np.sqrt(u if on_fields else d)
    top = top / np.linalg.norm(top)
    dense = solver == "dense" or (solver == "auto" and not sp.issparse(A) and n <= DENSE_LIMIT)
    if not dense and n >= 3:
        lam_v = _arpack(G, H, top)
    if dense or n < 3 or lam_v is None:
        S = G @ H
        S = np.asarray(S.toarray() if sp.issparse(S) else S)
        values, vectors = scipy.linalg.eigh(S, subset_by_index=[n - 2, n - 1])
        lam_v = float(values[0]), vectors[:, 0]
    lam, v = lam_v
    if lam <= 1e-12:
        fail(
            "complexity is undefined for this M: M~ has a single non-zero eigenvalue (every "
            "row is specialised in the same fields), so ECI cannot rank the rows"
        )
    if on_fields:
        kp = v * ru
        kc = np.asarray(A @ kp) / d
    else:
        kc = v * rd
        kp = np.asarray(A.T @ kc) / u / lam
    return min(lam, 1.0), kc, kp


def _orientation(d: np.ndarray, kc: np.ndarray, u: np.ndarray, kp: np.ndarray) -> float:
    """+1 or -1: the sign that makes ECI correlate positively with diversity."""
    for x, y, sign in ((d, kc, 1.0), (u, kp, -1.0)):
        cov = np.mean((x - x.mean()) * (y - y.mean()))
        scale = x.std() * y.std()
        if scale > 0 and abs(cov) > 1e-12 * scale:
            return sign * float(np.sign(cov))
    return 1.0 if kc[np.argmax(np.abs(kc))] > 0 else -1.0


def _standardise(x: np.ndarray, mean: float, std: float, func: str) -> np.ndarray:
    if not std > 0:
        fail(f"{func} cannot standardise: the index has zero spread")
    return (x - mean) / std


def complexity_indices(
    M: Matrix,
    *,
    pci_standardisation: Literal["own", "eci"] = "own",
    ddof: int = 0,
    solver: Literal["auto", "dense", "arpack"] = "auto",
    empty: Literal["nan", "raise"] = "nan",
) -> Complexity:
    """ECI (KCI) of rows and PCI (TCI) of fields by the eigenvector method.

    With ``D = diag(diversity)`` and ``U = diag(ubiquity)``, ``K`` is the eigenvector of
    ``M~ = D^-1 M U^-1 M^T`` (rows x rows) for its second-largest eigenvalue and ``Q`` that of
    ``U^-1 M^T D^-1 M`` (fields x fields), scaled so that ``K = D^-1 M Q`` (a row's raw index
    is the mean of its fields' raw indices). Then

    - ``ECI = (K - mean(K)) / std(K)``;
    - ``PCI = (Q - mean(Q)) / std(Q)`` (``pci_standardisation="own"``, default: the Atlas
      definition; PCI has mean 0 and standard deviation 1), or
      ``PCI = (Q - mean(K)) / std(K)`` (``"eci"``: the ``ecomplexity`` / Stata convention,
      which keeps ``ECI_c = mean of PCI over the fields of c``).

    The sign is fixed so that ECI correlates positively with diversity (if that correlation is
    zero, so that PCI correlates negatively with ubiquity; if that is zero too, so that the
    largest ``|K_c|`` is positive). ``std`` uses ``ddof`` (0, numpy's and ``ecomplexity``'s
    default; R's ``sd`` is 1).

    The eigenvector is computed on the symmetric matrix ``B^T B`` or ``B B^T`` (whichever is
    smaller) with ``B = D^-1/2 M U^-1/2``, which is similar to ``M~``; its known top
    eigenvector (eigenvalue 1) is deflated. ``solver="dense"`` uses LAPACK on the formed
    matrix, ``"arpack"`` the Lanczos method on matrix-vector products with ``M`` (sparse
    friendly; never forms an ``n x n`` matrix; falls back to LAPACK if it does not
    converge), ``"auto"`` (default) LAPACK for a dense ``M`` whose smaller side has at most
    1,500 elements and ARPACK otherwise, in particular for every sparse ``M``.

    Rows with no specialisation and fields with no specialised row are left out: they get NaN
    and are reported in ``empty_rows`` / ``empty_fields`` (``empty="nan"``, default), or raise
    ``InnoclusterError`` (``empty="raise"``). At least two non-empty rows and two non-empty
    fields are needed.

    Args:
        M: shape ``(n_rows, n_fields)``, binary specialisation matrix (non-negative weights are
            accepted and treated as a weighted bipartite network); dense or sparse.
        pci_standardisation: ``"own"`` (default) or ``"eci"``.
        ddof: delta degrees of freedom of the standard deviations, 0 or 1.
        solver: ``"auto"``, ``"dense"`` or ``"arpack"``.
        empty: ``"nan"`` or ``"raise"``.

    Returns:
        :class:`Complexity` with ``eci`` (n_rows,), ``pci`` (n_fields,), the eigenvalue and the
        masks of left-out rows and fields.

    References:
        Hidalgo, C. A., & Hausmann, R. (2009). The building blocks of economic complexity.
        *PNAS*, 106(26), 10570-10575. https://doi.org/10.1073/pnas.0900943106

        Hausmann, R., Hidalgo, C. A., Bustos, S., Coscia, M., Simoes, A., & Yildirim, M. A.
        (2014). *The Atlas of Economic Complexity: Mapping Paths to Prosperity*. MIT Press.
        https://doi.org/10.7551/mitpress/9647.001.0001

        Balland, P.-A., & Rigby, D. (2017). The geography of complex knowledge. *Economic
        Geography*, 93(1), 1-23. https://doi.org/10.1080/00130095.2016.1205947

        Mealy, P., Farmer, J. D., & Teytelboym, A. (2019). Interpreting economic complexity.
        *Science Advances*, 5(1), eaau1705. https://doi.org/10.1126/sciadv.aau1705
    """
    func = "complexity_indices"
    check_choice(pci_standardisation, ("own", "eci"), "pci_standardisation", func)
    solver = check_choice(solver, ("auto", "dense", "arpack"), "solver", func)
    if isinstance(ddof, bool) or ddof not in (0, 1):
        fail(f"The 'ddof' parameter of {func} must be 0 or 1; got {ddof!r}")
    A, empty_rows, empty_fields = _valid(checked_matrix(M, "M", func), func, empty)
    if min(A.shape) < 2:
        fail(
            f"{func} needs at least 2 rows and 2 fields with specialisations; got "
            f"{A.shape[0]} and {A.shape[1]}"
        )
    d, u = axis_sums(A, 1), axis_sums(A, 0)
    lam, kc, kp = _second_eigenpair(A, d, u, solver)
    sign = _orientation(d, kc, u, kp)
    kc, kp = sign * kc, sign * kp
    eci = _standardise(kc, kc.mean(), kc.std(ddof=ddof), func)
    if pci_standardisation == "own":
        pci = _standardise(kp, kp.mean(), kp.std(ddof=ddof), func)
    else:
        pci = _standardise(kp, kc.mean(), kc.std(ddof=ddof), func)
    return Complexity(
        eci=_fill(eci, empty_rows),
        pci=_fill(pci, empty_fields),
        eigenvalue=lam,
        empty_rows=empty_rows,
        empty_fields=empty_fields,
    )


@dataclass(frozen=True)
class Outlook:
    """Complexity outlook of rows and gains of fields (see :func:`complexity_outlook`).

    Attributes:
        coi: shape ``(n_rows,)``, complexity outlook index of each row.
        cog: shape ``(n_rows, n_fields)``, complexity outlook gain of each field for each row
            (0 where the row is already specialised).
    """

    coi: np.ndarray
    cog: np.ndarray


def complexity_outlook(
    M: Matrix,
    proximity: Matrix,
    pci: np.ndarray,
    *,
    include_self: bool = True,
    cog_rule: Literal["growthlab", "marginal"] = "growthlab",
    standardise_coi: bool = False,
    ddof: int = 0,
) -> Outlook:
    """Complexity outlook index (COI) and complexity outlook gain (COG).

    With ``density`` as in :func:`innocluster.measures.technology.relatedness_density` (same
    ``include_self``) and ``N_pp' = phi_pp' / sum_p'' phi_p''p'`` the rise in the density of
    ``p'`` when a row acquires ``p``:

    - ``COI_c = sum_p (1 - M_cp) density_cp PCI_p``: the complexity of the fields the row is
      not specialised in, weighted by how close they are (the Atlas' *opportunity value*);
    - ``COG_cp = (1 - M_cp) sum_p' (1 - M_cp') N_pp' PCI_p'`` (``cog_rule="growthlab"``,
      default: the Atlas / Growth Lab software formula of Stata's and Python's
      ``ecomplexity``): how much acquiring ``p`` brings the row closer to complex fields it
      lacks;
    - ``cog_rule="marginal"``: the exact change of ``COI_c`` if ``c`` acquired ``p`` (PCI and
      proximity held fixed), ``(1 - M_cp) [sum_{p' != p} (1 - M_cp') N_pp' PCI_p' -
      density_cp PCI_p]``: the Growth Lab sum without ``p`` itself, minus the outlook ``p``
      itself contributed before being acquired (the subtraction the Atlas' Technical Box 5.4
      writes as ``-(1 - d_cp) PCI_p`` with ``d`` the distance).

    Fields whose PCI is NaN (no specialised row, from :func:`complexity_indices`) contribute
    nothing. A row with no specialisation has density 0, so COI 0; its COG is defined. With
    ``standardise_coi=True`` COI is turned into z-scores using the mean and standard deviation
    (``ddof``) of the rows that have a specialisation, as ``ecomplexity`` does (it standardises
    over the rows it keeps).

    Args:
        M: shape ``(n_rows, n_fields)``, binary specialisation matrix; dense or sparse.
        proximity: shape ``(n_fields, n_fields)``, non-negative proximity ``phi``.
        pci: shape ``(n_fields,)``, the complexity of each field, e.g.
            ``complexity_indices(M).pci``.
        include_self: whether the diagonal of ``proximity`` counts (default True).
        cog_rule: ``"growthlab"`` (default) or ``"marginal"``.
        standardise_coi: z-score COI (default False: the Atlas' raw sum).
        ddof: 0 or 1, for ``standardise_coi``.

    Returns:
        :class:`Outlook` with ``coi`` (n_rows,) and ``cog`` (n_rows, n_fields), in PCI units.

    References:
        Hausmann, R., Hidalgo, C. A., Bustos, S., Coscia, M., Simoes, A., & Yildirim, M. A.
        (2014). *The Atlas of Economic Complexity: Mapping Paths to Prosperity*. MIT Press.
        https://doi.org/10.7551/mitpress/9647.001.0001

        Hidalgo, C. A., Klinger, B., Barabasi, A.-L., & Hausmann, R. (2007). The product space
        conditions the development of nations. *Science*, 317(5837), 482-487.
        https://doi.org/10.1126/science.1144581
    """
    func = "complexity_outlook"
    rule = check_choice(cog_rule, ("growthlab", "marginal"), "cog_rule", func)
    if isinstance(ddof, bool) or ddof not in (0, 1):
        fail(f"The 'ddof' parameter of {func} must be 0 or 1; got {ddof!r}")
    A = checked_matrix(M, "M", func, unit=True)
    W, S = proximity_weights(proximity, func, include_self)
    check_fields(A, W, "proximity", func)
    q = np.asarray(pci, dtype=np.float64)
    if q.shape != (A.shape[1],):
        fail(f"The 'pci' argument of {func} must have shape ({A.shape[1]},); got {q.shape}")
    if np.any(np.isinf(q)):
        fail(f"The 'pci' argument of {func} must not contain infinity")
    q = np.where(np.isnan(q), 0.0, q)
    absent = 1.0 - to_dense(A)
    dens = weighted_density(A, W, S)
    coi = (absent * dens) @ q
    N = safe_divide(W, S[None, :])
    gain = (absent * q[None, :]) @ N.T
    if rule == "marginal":
        gain = gain - (np.diag(N)[None, :] + dens) * q[None, :]
    cog = absent * gain
    if standardise_coi:
        has = axis_sums(A, 1) > 0
        if has.sum() < 2:
            fail(f"{func} needs at least 2 rows with specialisations to standardise COI")
        coi = _standardise(coi, coi[has].mean(), coi[has].std(ddof=ddof), func)
    return Outlook(coi=coi, cog=cog)
