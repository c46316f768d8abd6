"""The knowledge production function estimated on firm panels: count models of patents.

The knowledge production function (Griliches 1979) relates a firm's
patents to its R&D, to the R&D of others it can draw on (the spillover pool) and to controls:

    E[patents_it | x_it, a_i] = exp(a_i + b_0 + sum_k b_k x_kit + year effect_t)

with ``x`` the logs of R&D (current and lagged) and of the spillover pool, so each ``b_k`` is an
elasticity. :func:`kpf` estimates it by pooled Poisson (pseudo-)maximum likelihood, by the
negative binomial (NB2) or by fixed-effects Poisson (the firm effects ``a_i`` conditioned away),
with standard errors clustered by firm. See ``docs/estimation.md``.

>>> import innocluster as ic
>>> fit = ic.estimate.kpf(ic.datasets.cincera1997(), "patent", ["rdexp", "spil"], panel="fi")
>>> round(float(fit.params["rdexp"]), 3) > 0
True

References:
    Griliches, Z. (1979). Issues in assessing the contribution of research and development to
    productivity growth. Bell Journal of Economics 10(1), 92-116.

    Hausman, J., Hall, B. H. and Griliches, Z. (1984). Econometric models for count data with an
    application to the patents-R&D relationship. Econometrica 52(4), 909-938.

    Cameron, A. C. and Trivedi, P. K. (1998). Regression Analysis of Count Data, chapters 3
    and 9. Cambridge University Press.

    Wooldridge, J. M. (1999). Distribution-free estimation of some nonlinear panel data models.
    Journal of Econometrics 90(1), 77-97.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from statsmodels.base.model import GenericLikelihoodModel
from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson

from innocluster.errors import InnoclusterError

__all__ = ["COLUMNS", "MODELS", "KPFResult", "kpf"]

#: The models :func:`kpf` fits.
MODELS = ("poisson", "negbin", "fe-poisson")
#: The columns of :attr:`KPFResult.coefficients`.
COLUMNS = ("term", "estimate", "std_error", "z", "p_value", "ci_low", "ci_high")
#: Confidence level of ``ci_low`` and ``ci_high``.
LEVEL = 0.95
_Z = float(stats.norm.ppf(0.5 + LEVEL / 2))


@dataclass(frozen=True, eq=False)
class KPFResult:
    """A fitted knowledge production function.

    Attributes:
        model: ``"poisson"``, ``"negbin"`` or ``"fe-poisson"``.
        count: The count column (patents).
        inputs: The input columns (log R&D, its lags, the log spillover pool, ...).
        controls: The control columns as given (a categorical one enters as dummies).
        panel: The firm column, or None.
        time: The time column, or None.
        year_effects: Whether time dummies were included.
        cov_type: ``"cluster"`` (by ``panel``), ``"robust"`` (heteroskedasticity-robust, HC0,
            when no panel is given) or ``"model"`` (the inverse information matrix).
        coefficients: One row per term, columns :data:`COLUMNS`; normal-based z, p-value and
            95% interval. Terms: ``const`` (pooled models), the inputs, the controls (a
            categorical control ``c`` as ``c[level]`` dummies), the time dummies ``time[t]``
            (first period left out), and ``alpha`` for the negative binomial.
        covariance: Covariance matrix of the estimates, indexed by term.
        nobs: Observations used.
        n_groups: Firms used (None without a panel column).
        loglike: Log-likelihood at the estimates; for ``fe-poisson`` the conditional
            (multinomial) one, its constant ``sum_i (log n_i! - sum_t log y_it!)`` included.
        converged: Whether the optimiser reported convergence.
        alpha: Overdispersion of the negative binomial (``Var = mu + alpha mu^2``), else None.
        dropped_rows: Rows left out for a missing value in a column of the model.
        dropped_groups: Firms left out by ``fe-poisson`` because all their counts are zero
            (they carry no information on the slopes).
        notes: Warnings raised while fitting, one line each.
    """

    model: str
    count: str
    inputs: tuple[str, ...]
    controls: tuple[str, ...]
    panel: str | None
    time: str | None
    year_effects: bool
    cov_type: str
    coefficients: pd.DataFrame = field(repr=False)
    covariance: pd.DataFrame = field(repr=False)
    nobs: int
    n_groups: int | None
    loglike: float
    converged: bool
    alpha: float | None = None
    dropped_rows: int = 0
    dropped_groups: int = 0
    notes: tuple[str, ...] = ()

    @property
    def params(self) -> pd.Series:
        """The estimates, indexed by term."""
        return self.coefficients.set_index("term")["estimate"]

    @property
    def std_errors(self) -> pd.Series:
        """The standard errors, indexed by term."""
        return self.coefficients.set_index("term")["std_error"]

    def combination(
        self, terms: Sequence[str], weights: Sequence[float] | None = None
    ) -> dict[str, float]:
        """A linear combination of estimates with its standard error, e.g. a sum of lags.

        The sum of the coefficients of log R&D and its lags is the long-run elasticity of
        patents with respect to R&D (Hall, Griliches and Hausman 1986).

        Args:
            terms: Terms of :attr:`coefficients`.
            weights: One weight per term (default: all 1, the sum).

        Returns:
            ``estimate, std_error, z, p_value, ci_low, ci_high`` of the combination.

        Raises:
            InnoclusterError: An unknown term or a wrong number of weights.
        """
        terms = list(terms)
        unknown = [t for t in terms if t not in self.covariance.index]
        if unknown:
            raise InnoclusterError(
                f"unknown term '{unknown[0]}' (terms: {', '.join(self.params.index)})"
            )
        w = np.ones(len(terms)) if weights is None else np.asarray(weights, dtype=float)
        if w.shape != (len(terms),):
            raise InnoclusterError(f"expected {len(terms)} weights, got {w.size}")
        estimate = float(w @ self.params[terms].to_numpy())
        cov = self.covariance.loc[terms, terms].to_numpy()
        return _row(estimate, math.sqrt(max(float(w @ cov @ w), 0.0)))

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready values; ``terms`` has one entry per term.

        Returns:
            ``model, count, inputs, controls, panel, time, year_effects, cov_type, nobs,
            n_groups, loglike, converged, alpha, dropped_rows, dropped_groups, notes`` and
            ``terms``: term -> ``estimate, std_error, z, p_value, ci_low, ci_high`` (a value
            that is not finite becomes None).
        """
        terms = {
            row["term"]: {k: _finite(row[k]) for k in COLUMNS[1:]}
            for row in self.coefficients.to_dict("records")
        }
        return {
            "model": self.model,
            "count": self.count,
            "inputs": list(self.inputs),
            "controls": list(self.controls),
            "panel": self.panel,
            "time": self.time,
            "year_effects": self.year_effects,
            "cov_type": self.cov_type,
            "nobs": self.nobs,
            "n_groups": self.n_groups,
            "loglike": _finite(self.loglike),
            "converged": self.converged,
            "alpha": None if self.alpha is None else _finite(self.alpha),
            "dropped_rows": self.dropped_rows,
            "dropped_groups": self.dropped_groups,
            "notes": list(self.notes),
            "terms": terms,
        }


def kpf(
    df: pd.DataFrame,
    count: str,
    inputs: str | Sequence[str],
    panel: str | None = None,
    time: str | None = None,
    model: str = "poisson",
    year_effects: bool = False,
    controls: str | Sequence[str] = (),
    cluster: bool = True,
) -> KPFResult:
    """Estimate a knowledge production function: a count model of patents on inputs.

    Models (all with the exponential mean ``exp(x b)``):

    - ``"poisson"``: pooled Poisson (pseudo-)maximum likelihood. Consistent for ``b`` whenever
      the mean is right, whatever the distribution of the counts; with clustered standard
      errors it is the robust default.
    - ``"negbin"``: pooled negative binomial NB2, ``Var = mu + alpha mu^2``; reports ``alpha``.
    - ``"fe-poisson"``: fixed-effects Poisson, a multiplicative effect per firm. Fitted by the
      conditional likelihood (conditioning on each firm's total count), which gives exactly the
      Poisson estimates with one dummy per firm (Hausman, Hall and Griliches 1984; Cameron and
      Trivedi 1998, 9.4) without building the dummies. Firms whose counts are all zero carry no
      information and are left out; controls that do not vary within a firm are absorbed by the
      effects and rejected. Consistent under correlated firm effects, where pooled models are
      biased; with clustered standard errors it needs only the mean to be right (Wooldridge
      1999).

    Standard errors: ``cluster=True`` clusters by ``panel`` (statsmodels' sandwich with its
    small-sample factor ``G/(G-1) (N-1)/(N-K)``) when a panel is given, and is
    heteroskedasticity-robust (HC0) without one; ``cluster=False`` gives the model-based
    standard errors (inverse information matrix).

    Rows with a missing value in a column of the model are left out (counted in
    ``dropped_rows``).

    Args:
        df: The panel, one row per firm and period.
        count: Column of non-negative integer counts (patents).
        inputs: Column(s) of numeric regressors, typically logs (R&D, lags, spillover pool).
        panel: Column identifying the firm: clusters the standard errors, and is required by
            ``fe-poisson``.
        time: Column identifying the period; required by ``year_effects``.
        model: ``"poisson"``, ``"negbin"`` or ``"fe-poisson"``.
        year_effects: Add one dummy per period but the first.
        controls: Further regressors: numeric and boolean columns enter as they are;
            categorical or text columns enter as dummies, their first level left out.
        cluster: Cluster the standard errors by firm (see above).

    Returns:
        The fitted model with its tidy coefficient table.

    Raises:
        InnoclusterError: A missing, repeated or non-numeric column, a negative or fractional
            count, an infinite value, an unknown model, a missing panel or time column where
            one is needed, or a regressor collinear with the others (or constant within every
            firm under ``fe-poisson``).

    References:
        Hausman, J., Hall, B. H. and Griliches, Z. (1984). Econometric models for count data
        with an application to the patents-R&D relationship. Econometrica 52(4), 909-938.

        Cameron, A. C. and Trivedi, P. K. (1998). Regression Analysis of Count Data.
        Cambridge University Press.

        Wooldridge, J. M. (1999). Distribution-free estimation of some nonlinear panel data
        models. Journal of Econometrics 90(1), 77-97.
    """
    if model not in MODELS:
        raise InnoclusterError(f"unknown model '{model}': expected one of {', '.join(MODELS)}")
    if not isinstance(df, pd.DataFrame):
        raise InnoclusterError(f"expected a pandas DataFrame, got {type(df).__name__}")
    inputs = _names(inputs)
    controls = _names(controls)
    if not inputs:
        raise InnoclusterError("give at least one input column")
    if model == "fe-poisson" and panel is None:
        raise InnoclusterError(
            "model 'fe-poisson' needs a panel column (--panel): the fixed effects are per firm"
        )
    if year_effects and time is None:
        raise InnoclusterError("year effects need a time column (--time)")

    design = _Design.build(df, count, inputs, controls, panel, time, model, year_effects)
    cov_type = "cluster" if cluster and panel is not None else ("robust" if cluster else "model")
    fit_kwargs: dict[str, Any] = {"cov_type": "nonrobust"}
    if cov_type == "cluster":
        fit_kwargs = {"cov_type": "cluster", "cov_kwds": {"groups": design.groups}}
    elif cov_type == "robust":
        fit_kwargs = {"cov_type": "HC0"}

    constant = 0.0  # added to the log-likelihood
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if model == "poisson":
            result = _fit(Poisson(design.y, design.X), fit_kwargs)
        elif model == "negbin":
            result = _fit(NegativeBinomial(design.y, design.X, loglike_method="nb2"), fit_kwargs)
        else:
            fe = _ConditionalPoisson(design.y, design.X, groups=design.groups)
            result = _fit(fe, fit_kwargs, start_params=np.zeros(design.X.shape[1]))
            constant = fe.log_constant()
    notes = list(design.notes)
    for item in caught:  # numpy's overflow warnings along the way are not worth a note
        text = str(item.message).strip()
        line = text.splitlines()[0] if text else ""
        if line and line not in notes and not issubclass(item.category, RuntimeWarning):
            notes.append(line)

    names = list(design.names) + (["alpha"] if model == "negbin" else [])
    params = np.asarray(result.params, dtype=float)
    cov = np.asarray(result.cov_params(), dtype=float)
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    if not np.all(np.isfinite(se)):
        notes.append("some standard errors are not finite (a singular information matrix)")
    table = pd.DataFrame(
        [{"term": n, **_row(b, s)} for n, b, s in zip(names, params, se, strict=True)],
        columns=list(COLUMNS),
    )
    converged = bool(result.mle_retvals.get("converged", True))
    if not converged:
        notes.append("the optimiser did not report convergence: treat the estimates with care")
    return KPFResult(
        model=model,
        count=count,
        inputs=tuple(inputs),
        controls=tuple(controls),
        panel=panel,
        time=time,
        year_effects=year_effects,
        cov_type=cov_type,
        coefficients=table,
        covariance=pd.DataFrame(cov, index=names, columns=names),
        nobs=int(design.y.size),
        n_groups=None if design.groups is None else int(design.groups.max() + 1),
        loglike=float(result.llf) + constant,
        converged=converged,
        alpha=float(params[-1]) if model == "negbin" else None,
        dropped_rows=design.dropped_rows,
        dropped_groups=design.dropped_groups,
        notes=tuple(notes),
    )


# -- the design matrix ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Design:
    y: np.ndarray
    X: np.ndarray
    names: tuple[str, ...]
    groups: np.ndarray | None  # firm codes 0..G-1, or None
    dropped_rows: int
    dropped_groups: int
    notes: tuple[str, ...]

    @classmethod
    def build(
        cls,
        df: pd.DataFrame,
        count: str,
        inputs: list[str],
        controls: list[str],
        panel: str | None,
        time: str | None,
        model: str,
        year_effects: bool,
    ) -> _Design:
        roles = [(count, "count")] + [(c, "input") for c in inputs]
        roles += [(c, "control") for c in controls]
        roles += [(c, role) for c, role in ((panel, "panel"), (time, "time")) if c is not None]
        seen: dict[str, str] = {}
        for col, role in roles:
            if col in seen:
                raise InnoclusterError(
                    f"column '{col}' is given twice (as {seen[col]} and as {role})"
                )
            seen[col] = role
            if col not in df.columns:
                shown = ", ".join(map(str, list(df.columns)[:12]))
                more = ", ..." if len(df.columns) > 12 else ""
                raise InnoclusterError(
                    f"column '{col}' ({role}) not found in the data (columns: {shown}{more})"
                )
        for col, role in roles[: 1 + len(inputs)]:
            _numeric(df[col], col, role)

        used = [c for c, _ in roles]
        keep = df[used].notna().all(axis=1).to_numpy()
        data = df.loc[keep, used]
        dropped_rows = int((~keep).sum())
        if data.empty:
            raise InnoclusterError("no row has values in every column of the model")

        y = data[count].to_numpy(dtype=float)
        if (y < 0).any():
            raise InnoclusterError(
                f"count column '{count}' has negative values (min {y.min():g}): expected counts"
            )
        if not np.isfinite(y).all():
            raise InnoclusterError(f"count column '{count}' has infinite values")
        fractional = y[y != np.round(y)]
        if fractional.size:
            raise InnoclusterError(
                f"count column '{count}' holds fractional values (such as {fractional[0]:g}): "
                "expected whole-number counts"
            )

        columns: list[np.ndarray] = []
        names: list[str] = []
        sources: list[str] = []
        for col in inputs:
            x = data[col].to_numpy(dtype=float)
            if not np.isfinite(x).all():
                raise InnoclusterError(
                    f"column '{col}' has {int((~np.isfinite(x)).sum())} infinite value(s) "
                    "(the log of zero?)"
                )
            columns.append(x)
            names.append(col)
            sources.append(col)
        for col in controls:
            for name, x in _control(data[col], col):
                columns.append(x)
                names.append(name)
                sources.append(col)
        if year_effects:
            assert time is not None
            for name, x in _dummies(data[time], time):
                columns.append(x)
                names.append(name)
                sources.append(time)

        groups = None
        dropped_groups = 0
        notes: list[str] = []
        if panel is not None:
            twice = data.duplicated([panel, time]) if time is not None else None
            if twice is not None and twice.any():
                where = twice.to_numpy().argmax()
                raise InnoclusterError(
                    f"firm {data[panel].iloc[where]} has more than one row for {time} "
                    f"{data[time].iloc[where]}"
                )
            codes = pd.factorize(data[panel], sort=True)[0]
            if model == "fe-poisson":
                totals = np.bincount(codes, weights=y)
                informative = totals[codes] > 0
                dropped_groups = int((totals == 0).sum())
                if dropped_groups:
                    notes.append(
                        f"left out {dropped_groups} firm(s) ({int((~informative).sum())} rows) "
                        f"whose counts are all zero: they carry no information under fixed effects"
                    )
                y = y[informative]
                columns = [x[informative] for x in columns]
                codes = pd.factorize(codes[informative], sort=True)[0]
            groups = codes

        if model != "fe-poisson":
            columns.insert(0, np.ones(y.size))
            names.insert(0, "const")
            sources.insert(0, "const")
        if not (y > 0).any():
            raise InnoclusterError(f"count column '{count}' is zero in every row used")
        X = np.column_stack(columns)
        if model == "fe-poisson":
            assert groups is not None
            _full_rank(_within(X, groups), names, sources, fixed_effects=True)
        else:
            _full_rank(X, names, sources, fixed_effects=False)
        if y.size <= X.shape[1] + (1 if model == "negbin" else 0):
            raise InnoclusterError(
                f"{y.size} observation(s) for {X.shape[1]} coefficients: too few to estimate"
            )
        return cls(y, X, tuple(names), groups, dropped_rows, dropped_groups, tuple(notes))


def _names(value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        return [value]
    return list(value)


def _numeric(values: pd.Series, col: str, role: str) -> None:
    dtype = values.dtype
    if (
        not pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    ):
        raise InnoclusterError(f"column '{col}' ({role}) is not numeric (dtype {dtype})")


def _control(values: pd.Series, col: str) -> list[tuple[str, np.ndarray]]:
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return [(col, values.to_numpy(dtype=float))]
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        x = values.to_numpy(dtype=float)
        if not np.isfinite(x).all():
            raise InnoclusterError(f"column '{col}' has infinite values")
        return [(col, x)]
    return _dummies(values, col)


def _dummies(values: pd.Series, col: str) -> list[tuple[str, np.ndarray]]:
    """One 0/1 column per level but the first (levels in sorted or categorical order)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        levels = [lv for lv in values.cat.categories if (values == lv).any()]
    else:
        levels = sorted(values.unique(), key=lambda v: (str(type(v)), v))
    return [(f"{col}[{lv}]", (values == lv).to_numpy(dtype=float)) for lv in levels[1:]]


def _within(X: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Columns minus their firm means."""
    sizes = np.bincount(groups)
    means = np.stack([np.bincount(groups, weights=x) for x in X.T], axis=1) / sizes[:, None]
    return X - means[groups]


def _full_rank(X: np.ndarray, names: list[str], sources: list[str], fixed_effects: bool) -> None:
    """Raise naming the first column that adds nothing to the ones before it."""
    scale = np.sqrt((X**2).mean(axis=0))
    if fixed_effects:
        flat = np.flatnonzero(scale <= 1e-10 * (1 + np.abs(X).max(axis=0)))
        if flat.size:
            col = sources[flat[0]]
            raise InnoclusterError(
                f"column '{col}' does not vary within any firm: the firm fixed effects absorb "
                "it; leave it out of a fe-poisson model"
            )
    Z = X / np.where(scale > 0, scale, 1.0)
    gram = Z.T @ Z / Z.shape[0]  # unit diagonal but for all-zero columns
    kept: list[int] = []
    for j in range(Z.shape[1]):
        trial = gram[np.ix_(kept + [j], kept + [j])]
        if np.linalg.eigvalsh(trial).min() < 1e-12:
            what = "under fixed effects " if fixed_effects else ""
            raise InnoclusterError(
                f"column '{sources[j]}' (term '{names[j]}') is collinear with the other "
                f"regressors {what}and cannot be estimated"
            )
        kept.append(j)


# -- fitting -------------------------------------------------------------------------------------


def _fit(model: Any, fit_kwargs: dict[str, Any], start_params: np.ndarray | None = None) -> Any:
    """Fit with Newton's method, falling back on BFGS then Newton if it does not converge.

    A singular Hessian on Newton's way (a degenerate panel) also sends the fit to BFGS; if
    Newton still meets one from BFGS's point, the fit fails with an :class:`InnoclusterError`.
    """
    try:
        result = model.fit(
            start_params=start_params, method="newton", maxiter=100, disp=0, **fit_kwargs
        )
        if result.mle_retvals.get("converged", True) and np.all(np.isfinite(result.params)):
            return result
    except np.linalg.LinAlgError:
        pass  # start again from BFGS, which needs no Hessian
    rough = model.fit(start_params=start_params, method="bfgs", maxiter=1000, disp=0)
    try:
        return model.fit(
            start_params=np.asarray(rough.params), method="newton", maxiter=100, disp=0,
            **fit_kwargs,
        )  # fmt: skip
    except np.linalg.LinAlgError as err:
        raise InnoclusterError(f"the KPF cannot be fitted: a singular Hessian ({err})") from None


class _ConditionalPoisson(GenericLikelihoodModel):
    """Fixed-effects Poisson by the conditional likelihood, with analytic score and Hessian.

    Given firm i's total count ``n_i``, its counts are multinomial with probabilities
    ``p_it = exp(x_it b) / sum_s exp(x_is b)``, free of the firm effect. The log-likelihood is
    ``sum_it y_it log p_it``; its maximiser equals the Poisson estimate with firm dummies.

    statsmodels' own ``ConditionalPoisson`` leaves out every firm whose counts do not vary,
    which is right for the conditional logit but drops informative firms here (a firm with the
    same positive count every year still constrains ``b``), and it has no clustered standard
    errors; hence this small model on statsmodels' generic likelihood machinery.

    ``score_obs`` gives each observation's share ``x_it (y_it - n_i p_it)`` of its firm's
    score: the shares add up to the firm's score, which is all the cluster-robust covariance
    (clustered by firm) needs. They are not per-observation scores: do not use them for a
    heteroskedasticity-robust covariance that treats observations as independent.
    """

    def __init__(self, endog: np.ndarray, exog: np.ndarray, groups: np.ndarray) -> None:
        super().__init__(endog, exog)
        self.firm = np.asarray(groups)
        self.n_firms = int(self.firm.max()) + 1
        self.firm_total = np.bincount(self.firm, weights=self.endog, minlength=self.n_firms)
        self.df_model = float(self.exog.shape[1])
        self.df_resid = float(self.exog.shape[0] - self.exog.shape[1])

    def _probabilities(self, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xb = self.exog @ params
        top = np.full(self.n_firms, -np.inf)
        np.maximum.at(top, self.firm, xb)
        shifted = xb - top[self.firm]
        weight = np.exp(shifted)
        total = np.bincount(self.firm, weights=weight, minlength=self.n_firms)
        log_p = shifted - np.log(total)[self.firm]
        return np.exp(log_p), log_p

    def log_constant(self) -> float:
        """``sum_i (log n_i! - sum_t log y_it!)``: turns ``loglike`` into the multinomial one."""
        return float(
            special.gammaln(self.firm_total + 1).sum() - special.gammaln(self.endog + 1).sum()
        )

    def loglikeobs(self, params: np.ndarray) -> np.ndarray:
        """Each observation's term ``y_it log p_it`` of the conditional log-likelihood."""
        return self.endog * self._probabilities(params)[1]

    def score_obs(self, params: np.ndarray, **kwargs: Any) -> np.ndarray:
        """Each observation's share of its firm's score (see the class docstring)."""
        p, _ = self._probabilities(params)
        return self.exog * (self.endog - self.firm_total[self.firm] * p)[:, None]

    def score(self, params: np.ndarray) -> np.ndarray:
        """The score of the conditional log-likelihood."""
        return self.score_obs(params).sum(axis=0)

    def hessian(self, params: np.ndarray) -> np.ndarray:
        """``-sum_i n_i (sum_t p_it x_it x_it' - m_i m_i')`` with ``m_i = sum_t p_it x_it``."""
        p, _ = self._probabilities(params)
        w = self.firm_total[self.firm] * p
        outer = (self.exog * w[:, None]).T @ self.exog
        px = self.exog * p[:, None]
        means = np.stack(
            [np.bincount(self.firm, weights=c, minlength=self.n_firms) for c in px.T], axis=1
        )
        between = (means * self.firm_total[:, None]).T @ means
        return -(outer - between)


# -- helpers -------------------------------------------------------------------------------------


def _row(estimate: float, std_error: float) -> dict[str, float]:
    estimate, std_error = float(estimate), float(std_error)
    z = estimate / std_error if std_error > 0 else math.nan
    p = float(2 * stats.norm.sf(abs(z))) if math.isfinite(z) else math.nan
    return {
        "estimate": estimate,
        "std_error": std_error,
        "z": z,
        "p_value": p,
        "ci_low": estimate - _Z * std_error,
        "ci_high": estimate + _Z * std_error,
    }


def _finite(value: Any) -> Any:
    value = float(value)
    return value if math.isfinite(value) else None
