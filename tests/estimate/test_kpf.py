"""The knowledge production function: recovery of known elasticities, errors, real panels."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import innocluster as ic
from innocluster.errors import InnoclusterError
from innocluster.estimate import COLUMNS, kpf
from innocluster.estimate.kpf import _fit

ELASTICITY = 0.6
HGH_LAGS = ["logr", "logr1", "logr2", "logr3", "logr4", "logr5"]


def simulate_panel(
    seed: int,
    firms: int = 300,
    years: int = 5,
    correlated: float = 0.0,
    spread: float = 0.5,
    alpha: float = 0.0,
) -> pd.DataFrame:
    """patents ~ Poisson(exp(b0 + 0.6 log R&D + firm effect)), optionally gamma-mixed.

    The firm effect is ``correlated`` times the firm's mean log R&D plus normal noise of
    standard deviation ``spread``: with ``correlated`` = 0 pooled models are consistent,
    otherwise only fixed effects are. ``alpha`` > 0 mixes the Poisson with a gamma of mean 1
    and variance ``alpha`` (a negative binomial NB2).
    """
    rng = np.random.default_rng(seed)
    firm = np.repeat(np.arange(firms), years)
    year = np.tile(np.arange(2000, 2000 + years), firms)
    level = rng.normal(1.0, 1.0, firms)
    log_rd = level[firm] + rng.normal(0.0, 0.4, firm.size)
    effect = correlated * (level - 1.0) + rng.normal(0.0, spread, firms)
    mean = np.exp(0.2 + ELASTICITY * log_rd + effect[firm] + 0.05 * (year - 2000))
    if alpha > 0:
        mean = mean * rng.gamma(1 / alpha, alpha, firm.size)
    return pd.DataFrame(
        {"firm": firm, "year": year, "patents": rng.poisson(mean), "log_rd": log_rd}
    )


def covers(result, term: str, value: float) -> bool:
    row = result.coefficients.set_index("term").loc[term]
    return bool(row["ci_low"] <= value <= row["ci_high"])


@pytest.fixture(scope="module")
def uncorrelated():
    return simulate_panel(seed=11)


@pytest.fixture(scope="module")
def correlated():
    return simulate_panel(seed=12, correlated=1.0)


def test_pooled_and_fixed_effects_poisson_recover_the_elasticity(uncorrelated):
    for model in ("poisson", "fe-poisson"):
        fit = kpf(uncorrelated, "patents", ["log_rd"], panel="firm", time="year", model=model)
        assert fit.converged and fit.cov_type == "cluster"
        assert covers(fit, "log_rd", ELASTICITY), (model, fit.coefficients)
        assert fit.n_groups == 300 - fit.dropped_groups
        assert fit.nobs == 1500 - 5 * fit.dropped_groups


def test_fixed_effects_recover_what_correlated_firm_effects_bias(correlated):
    pooled = kpf(correlated, "patents", "log_rd", panel="firm")
    fixed = kpf(correlated, "patents", "log_rd", panel="firm", model="fe-poisson")
    assert pooled.params["log_rd"] > ELASTICITY and not covers(pooled, "log_rd", ELASTICITY)
    assert covers(fixed, "log_rd", ELASTICITY)
    assert "const" in pooled.params and "const" not in fixed.params


def test_negative_binomial_reports_alpha_and_recovers_the_elasticity():
    data = simulate_panel(seed=13, firms=400, years=1, spread=0.0, alpha=0.5)
    fit = kpf(data, "patents", ["log_rd"], model="negbin")
    assert fit.cov_type == "robust" and fit.n_groups is None
    assert fit.coefficients["term"].tolist() == ["const", "log_rd", "alpha"]
    assert fit.alpha == pytest.approx(fit.params["alpha"]) and fit.alpha > 0
    assert covers(fit, "alpha", 0.5) and covers(fit, "log_rd", ELASTICITY)


def test_clustered_standard_errors_differ_from_model_based_ones_on_clustered_data(uncorrelated):
    clustered = kpf(uncorrelated, "patents", ["log_rd"], panel="firm")
    plain = kpf(uncorrelated, "patents", ["log_rd"], panel="firm", cluster=False)
    assert plain.cov_type == "model"
    pd.testing.assert_series_equal(clustered.params, plain.params)
    # firm effects make the observations of a firm move together: clustering widens the CI
    assert clustered.std_errors["log_rd"] > 1.5 * plain.std_errors["log_rd"]


def test_fixed_effects_poisson_equals_poisson_with_firm_dummies():
    """Including a firm whose counts are constant and positive: statsmodels' own
    ConditionalPoisson would leave it out, the Poisson with dummies does not."""
    data = simulate_panel(seed=14, firms=40, years=4, correlated=1.0)
    data.loc[data["firm"] == 0, "patents"] = 3
    fit = kpf(data, "patents", ["log_rd"], panel="firm", time="year", model="fe-poisson",
              year_effects=True, cluster=False)  # fmt: skip
    kept = data[data.groupby("firm")["patents"].transform("sum") > 0]
    dummies = pd.get_dummies(kept[["firm", "year"]].astype(str), drop_first=False, dtype=float)
    X = pd.concat([kept[["log_rd"]], dummies.drop(columns="year_2000")], axis=1)
    glm = sm.GLM(kept["patents"], X, family=sm.families.Poisson()).fit(tol=1e-12)
    for term in ("log_rd", "year[2001]", "year[2002]", "year[2003]"):
        name = term if term == "log_rd" else f"year_{term[5:9]}"
        assert fit.params[term] == pytest.approx(glm.params[name], abs=1e-6)
        assert fit.std_errors[term] == pytest.approx(glm.bse[name], rel=1e-4)
    assert fit.dropped_groups == (data.groupby("firm")["patents"].sum() == 0).sum()


def test_year_effects_categorical_controls_and_the_table(uncorrelated):
    data = uncorrelated.assign(
        region=np.where(uncorrelated["firm"] % 3 == 0, "north", "south"),
        big=uncorrelated["firm"] % 2 == 0,
    )
    fit = kpf(data, "patents", ["log_rd"], panel="firm", time="year", year_effects=True,
              controls=["region", "big"])  # fmt: skip
    assert fit.coefficients.columns.tolist() == list(COLUMNS)
    assert fit.coefficients["term"].tolist() == [
        "const", "log_rd", "region[south]", "big",
        "year[2001]", "year[2002]", "year[2003]", "year[2004]",
    ]  # fmt: skip
    table = fit.coefficients
    assert np.allclose(table["z"], table["estimate"] / table["std_error"])
    assert np.allclose(table["ci_high"] - table["estimate"], 1.959964 * table["std_error"])
    assert (table["p_value"].between(0, 1)).all()
    assert covers(fit, "year[2004]", 0.2)  # 0.05 a year for four years


def test_json_has_one_entry_per_term_with_the_keys(uncorrelated):
    fit = kpf(uncorrelated, "patents", ["log_rd"], panel="firm", model="negbin")
    out = json.loads(json.dumps(fit.to_dict()))
    assert list(out["terms"]) == fit.coefficients["term"].tolist() == ["const", "log_rd", "alpha"]
    for entry in out["terms"].values():
        assert set(entry) == {"estimate", "std_error", "z", "p_value", "ci_low", "ci_high"}
    assert out["model"] == "negbin" and out["nobs"] == 1500 and out["alpha"] > 0


def test_combination_is_the_sum_with_its_standard_error(uncorrelated):
    data = uncorrelated.assign(lag=uncorrelated.groupby("firm")["log_rd"].shift(1))
    fit = kpf(data, "patents", ["log_rd", "lag"], panel="firm", time="year")
    assert fit.dropped_rows == 300 and fit.nobs == 1200
    both = fit.combination(["log_rd", "lag"])
    assert both["estimate"] == pytest.approx(fit.params["log_rd"] + fit.params["lag"])
    cov = fit.covariance.loc[["log_rd", "lag"], ["log_rd", "lag"]].to_numpy()
    assert both["std_error"] == pytest.approx(np.sqrt(cov.sum()))
    with pytest.raises(InnoclusterError, match="unknown term 'nope'"):
        fit.combination(["nope"])


def first_row(col, value):
    return lambda d: d.assign(**{col: d[col].where(d.index != 0, value)})


@pytest.mark.parametrize(
    ("edit", "kwargs", "message"),
    [
        (None, {"inputs": ["rd"]}, "column 'rd' (input) not found in the data"),
        (None, {"count": "n"}, "column 'n' (count) not found"),
        (lambda d: d.assign(log_rd="high"), {}, "column 'log_rd' (input) is not numeric (dtype"),
        (first_row("patents", -1), {}, "count column 'patents' has negative values (min -1)"),
        (first_row("patents", 0.5), {}, "count column 'patents' holds fractional values (such"),
        (first_row("log_rd", -np.inf), {}, "column 'log_rd' has 1 infinite value(s) (the log"),
        (None, {"model": "logit"}, "unknown model 'logit': expected one of poisson, negbin, fe-"),
        (None, {"model": "fe-poisson", "panel": None}, "model 'fe-poisson' needs a panel column"),
        (None, {"year_effects": True, "time": None}, "year effects need a time column"),
        (None, {"controls": ["log_rd"]}, "column 'log_rd' is given twice"),
        (lambda d: d.assign(size=1.0), {"controls": "size"}, "column 'size' (term 'size') is co"),
        (
            lambda d: d.assign(size=0.1 * d["firm"]),
            {"controls": ["size"], "model": "fe-poisson"},
            "column 'size' does not vary within any firm",
        ),
        (lambda d: d.assign(year=2000), {}, "has more than one row for year 2000"),
    ],
)
def test_bad_input_raises_one_line_naming_the_column_or_option(edit, kwargs, message):
    data = simulate_panel(seed=15, firms=30, years=3)
    if edit is not None:
        data = edit(data)
    args = {"count": "patents", "inputs": ["log_rd"], "panel": "firm", "time": "year"} | kwargs
    with pytest.raises(InnoclusterError) as error:
        kpf(data, **args)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_cincera_panel_gives_a_positive_finite_rd_elasticity():
    data = ic.datasets.cincera1997()
    for model in ("poisson", "negbin", "fe-poisson"):
        controls = () if model == "fe-poisson" else ("sector", "geo")
        fit = kpf(data, "patent", ["rdexp", "spil"], panel="fi", time="year", model=model,
                  year_effects=True, controls=controls)  # fmt: skip
        assert fit.converged and np.isfinite(fit.coefficients[list(COLUMNS[1:])]).all().all()
        assert (
            fit.params["rdexp"] > 0
            and fit.coefficients.set_index("term").loc["rdexp", "ci_low"] > 0
        ), model


def test_hgh_panel_gives_a_positive_long_run_rd_elasticity():
    data = ic.datasets.hgh1986()
    for model in ("poisson", "negbin", "fe-poisson"):
        controls = () if model == "fe-poisson" else ("logk", "scisect")
        fit = kpf(data, "pat", HGH_LAGS, panel="obsno", time="year", model=model,
                  year_effects=True, controls=controls)  # fmt: skip
        total = fit.combination(HGH_LAGS)
        assert fit.converged and np.isfinite(list(total.values())).all()
        assert total["estimate"] > 0 and total["ci_low"] > 0, model
    assert fit.dropped_groups == 22  # firms without a patent in 1975-79


def test_importing_innocluster_does_not_import_statsmodels():
    code = (
        "import sys, innocluster as ic; before = 'statsmodels' in sys.modules; "
        "ic.datasets.cincera1997(); middle = 'statsmodels' in sys.modules; "
        "ic.estimate.kpf; print(before, middle, 'statsmodels' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]


class _SingularOnNewton:
    """A model whose Newton steps meet a singular Hessian; BFGS works."""

    def __init__(self, fail_after_bfgs: bool):
        self.fail_after_bfgs, self.calls = fail_after_bfgs, []

    def fit(self, start_params=None, method="newton", **kwargs):
        self.calls.append(method)
        if method == "newton" and (len(self.calls) == 1 or self.fail_after_bfgs):
            raise np.linalg.LinAlgError("Singular matrix")
        return SimpleNamespace(params=np.array([0.5]), mle_retvals={"converged": True})


def test_a_singular_hessian_falls_back_on_bfgs_and_fails_clearly_if_it_stays():
    recovered = _SingularOnNewton(fail_after_bfgs=False)
    assert _fit(recovered, {}).params[0] == 0.5
    assert recovered.calls == ["newton", "bfgs", "newton"]
    with pytest.raises(InnoclusterError, match="singular Hessian"):
        _fit(_SingularOnNewton(fail_after_bfgs=True), {})
