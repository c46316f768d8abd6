"""The panels of an experiment folder's report, from the overview to the mechanism attribution.

They are the overview, the indicators over steps per factor level with 95% bands, the
final-value comparison, the sensitivity indices and the mechanism attribution.

:func:`experiment_panels` makes the list for one folder (one band panel per factor, so the list
depends on the experiment); each builder takes the folder's
:class:`~innocluster.report.experiment.ExperimentData` and returns a
:class:`~innocluster.report.panels.PanelContent` or raises
:class:`~innocluster.report.data.Unavailable` with the command that would make its data.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from innocluster.report.data import Unavailable
from innocluster.report.experiment import BandData, ExperimentData
from innocluster.report.panels import Panel, PanelContent
from innocluster.report.style import SERIES_COLOURS

__all__ = [
    "MAX_BAND_PANELS",
    "MAX_FAILED_LISTED",
    "attribution_figure",
    "band_figure",
    "compare_figure",
    "experiment_panels",
    "sensitivity_figure",
]

#: Factors drawn over steps, one panel each; the others are named in the overview.
MAX_BAND_PANELS = 8
#: Failed runs listed by name in the overview.
MAX_FAILED_LISTED = 20
#: Comparisons (factor, metric, step) of ``compare.parquet`` drawn.
MAX_COMPARISONS = 6

_LAYOUT = dict(template="plotly_white", margin=dict(l=60, r=20, t=40, b=50))


def _number(value: float) -> str:
    return "n/a" if pd.isna(value) else f"{value:,.4g}"


def _interval(low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high):
        return "n/a"
    return f"{low:,.4g} to {high:,.4g}"


def _colour(i: int) -> str:
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _step_name(step) -> str:
    return "last step" if pd.isna(step) else f"step {int(step)}"


def _command(data: ExperimentData, verb: str) -> str:
    return f"innocluster {verb} {data.folder}"


# --- figures -------------------------------------------------------------------------------


def band_figure(data: BandData) -> go.Figure:
    """One subplot per indicator: each level's mean over steps as a line, with a 95% band.

    The band is the mean's 95% interval, shaded (none where fewer than two runs reached the
    step).
    """
    indicators = list(dict.fromkeys(data.table["indicator"]))
    fig = make_subplots(
        rows=1, cols=len(indicators), subplot_titles=indicators, horizontal_spacing=0.08
    )
    for c, name in enumerate(indicators, start=1):
        rows = data.table[data.table["indicator"] == name]
        for i, level in enumerate(data.levels):
            part = rows[rows["level"] == level]
            step = part["step"].to_numpy(np.int32)
            mean = part["mean"].to_numpy(np.float32)
            low = np.where(np.isnan(part["low"]), part["mean"], part["low"]).astype(np.float32)
            high = np.where(np.isnan(part["high"]), part["mean"], part["high"]).astype(np.float32)
            label = level if data.factor is None else f"{data.factor} = {level}"
            fig.add_trace(
                go.Scatter(
                    x=np.concatenate([step, step[::-1]]),
                    y=np.concatenate([high, low[::-1]]),
                    mode="lines",
                    fill="toself",
                    fillcolor=_rgba(_colour(i), 0.18),
                    line=dict(width=0),
                    hoverinfo="skip",
                    legendgroup=level,
                    showlegend=False,
                    name=f"{label}: 95% CI",
                ),
                row=1,
                col=c,
            )
            fig.add_trace(
                go.Scatter(
                    x=step,
                    y=mean,
                    mode="lines",
                    line=dict(color=_colour(i), width=2),
                    name=label,
                    legendgroup=level,
                    showlegend=c == 1,
                    customdata=np.stack([part["n"].to_numpy(np.float32), low, high], axis=1),
                    hovertemplate="step %{x}: %{y:,.4g} (95% CI %{customdata[1]:,.4g} to "
                    "%{customdata[2]:,.4g}, %{customdata[0]} runs)<extra>" + label + "</extra>",
                ),
                row=1,
                col=c,
            )
        fig.update_xaxes(title_text="step", row=1, col=c)
    fig.update_layout(**_LAYOUT, height=430, legend=dict(orientation="h", y=-0.2))
    return fig


def _error_bars(rows: pd.DataFrame, value: str = "mean") -> dict:
    v = rows[value].to_numpy(float)
    return dict(
        type="data",
        symmetric=False,
        array=np.nan_to_num(rows["ci_high"].to_numpy(float) - v).astype(np.float32),
        arrayminus=np.nan_to_num(v - rows["ci_low"].to_numpy(float)).astype(np.float32),
        thickness=1.5,
        width=5,
    )


def compare_figure(groups: list[tuple[tuple, pd.DataFrame]]) -> go.Figure:
    """One row per comparison: level means (left) and differences from the reference (right).

    The left column shows the level means with their 95% intervals; the right one each level's
    difference from the reference with its interval, zero dashed.
    """
    titles = []
    for (factor, metric, step), rows in groups:
        where = _step_name(step)
        diffs = rows[rows["kind"] == "difference"]
        kind = "paired" if len(diffs) and bool(diffs["paired"].fillna(False).all()) else "unpaired"
        reference = diffs["reference"].iloc[0] if len(diffs) else "-"
        titles += [f"{metric} ({where}) by {factor}", f"minus {reference} ({kind})"]
    fig = make_subplots(rows=len(groups), cols=2, subplot_titles=titles, vertical_spacing=0.12)
    for r, ((factor, _metric, _step), rows) in enumerate(groups, start=1):
        means = rows[rows["kind"] == "mean"]
        diffs = rows[rows["kind"] == "difference"]
        fig.add_trace(
            go.Scatter(
                x=means["level"].astype(str).tolist(),
                y=means["mean"].to_numpy(np.float32),
                mode="markers",
                marker=dict(size=10, color=_colour(0)),
                error_y=_error_bars(means),
                name="mean, 95% CI",
                showlegend=r == 1,
                customdata=means["n"].to_numpy(np.int32),
                hovertemplate="%{x}: %{y:,.4g} (%{customdata} runs)<extra>mean</extra>",
            ),
            row=r,
            col=1,
        )
        if len(diffs):
            fig.add_trace(
                go.Scatter(
                    x=diffs["level"].astype(str).tolist(),
                    y=diffs["mean"].to_numpy(np.float32),
                    mode="markers",
                    marker=dict(size=10, color=_colour(1), symbol="diamond"),
                    error_y=_error_bars(diffs),
                    name="difference, 95% CI",
                    showlegend=r == 1,
                    customdata=diffs["n"].to_numpy(np.int32),
                    hovertemplate="%{x}: %{y:,.4g} (%{customdata} pairs)<extra>difference</extra>",
                ),
                row=r,
                col=2,
            )
            fig.add_hline(y=0, line=dict(color="#777", dash="dash", width=1), row=r, col=2)
        fig.update_xaxes(title_text=factor, type="category", row=r, col=1)
        fig.update_xaxes(title_text=factor, type="category", row=r, col=2)
    fig.update_layout(**_LAYOUT, height=330 * len(groups) + 60)
    return fig


def sensitivity_figure(table: pd.DataFrame) -> go.Figure:
    """One subplot per (method, indicator): each factor's sensitivity indices as bars.

    The bars are Sobol ``S1`` and ``ST``, or Morris ``mu*`` and ``sigma``, per factor, with
    their 95% intervals as error bars.
    """
    groups = list(table[table["index"] != "S2"].groupby(["method", "indicator"], sort=False))
    cols = min(len(groups), 2)
    rows = -(-len(groups) // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[f"{indicator} ({method})" for (method, indicator), _ in groups],
        vertical_spacing=0.18,
    )
    seen: set[str] = set()
    for g, ((method, _indicator), part) in enumerate(groups):
        r, c = g // cols + 1, g % cols + 1
        indices = ("S1", "ST") if method == "sobol" else ("mu_star", "sigma")
        for i, index in enumerate(indices):
            bars = part[part["index"] == index]
            has_ci = bars["ci_low"].notna().any()
            fig.add_trace(
                go.Bar(
                    x=bars["factor"].tolist(),
                    y=bars["value"].to_numpy(np.float32),
                    name={"mu_star": "mu*"}.get(index, index),
                    marker_color=_colour(i),
                    error_y=_error_bars(bars, "value") if has_ci else None,
                    legendgroup=index,
                    showlegend=index not in seen,
                    hovertemplate="%{x}: %{y:.3g}<extra>" + index + "</extra>",
                ),
                row=r,
                col=c,
            )
            seen.add(index)
        fig.update_yaxes(title_text="index" if method == "sobol" else "effect", row=r, col=c)
    fig.update_layout(**_LAYOUT, height=380 * rows + 40, barmode="group")
    return fig


def attribution_figure(table: pd.DataFrame) -> go.Figure:
    """One subplot per (metric, step): each mechanism's Shapley value as a horizontal bar.

    Each bar has its 95% interval over seeds; zero is dashed.
    """
    groups = list(table.groupby(["metric", "step"], sort=False, dropna=False))
    fig = make_subplots(
        rows=len(groups),
        cols=1,
        subplot_titles=[f"{metric} ({_step_name(step)})" for (metric, step), _ in groups],
        vertical_spacing=0.15,
    )
    for r, (_, part) in enumerate(groups, start=1):
        part = part.iloc[::-1]  # the first mechanism on top
        v = part["shapley"].to_numpy(float)
        fig.add_trace(
            go.Bar(
                y=part["mechanism"].tolist(),
                x=v.astype(np.float32),
                orientation="h",
                marker_color=[_colour(0) if x >= 0 else _colour(1) for x in v],
                error_x=_error_bars(part, "shapley"),
                customdata=part["share"].to_numpy(np.float32) * 100,
                hovertemplate="%{y}: %{x:,.4g} (%{customdata:.1f}% of the whole effect)"
                "<extra>Shapley value</extra>",
                showlegend=False,
            ),
            row=r,
            col=1,
        )
        fig.add_vline(x=0, line=dict(color="#777", dash="dash", width=1), row=r, col=1)
        fig.update_xaxes(title_text="Shapley value (metric units)", row=r, col=1)
    fig.update_layout(
        **_LAYOUT, height=max(300, 60 * len(table) // len(groups) + 140) * len(groups)
    )
    return fig


# --- builders ------------------------------------------------------------------------------


def _values_text(data: ExperimentData, factor: str) -> str:
    values = data.design[factor] if data.design is not None and factor in data.design else None
    if values is None:
        values = data.runs[factor]
    distinct = list(dict.fromkeys(values.dropna().tolist()))
    if len(distinct) > 6 and pd.api.types.is_numeric_dtype(values):
        return f"{len(distinct)} sampled values from {min(distinct):.4g} to {max(distinct):.4g}"
    return ", ".join(str(v) for v in distinct)


def _seeds_text(seeds: list[int]) -> str:
    if len(seeds) > 5 and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]} .. {seeds[-1]}"
    return ", ".join(str(s) for s in seeds)


def _overview(data: ExperimentData) -> PanelContent:
    r = data.record
    runs = data.runs
    counts = runs["status"].value_counts()
    ok, failed, pending = (int(counts.get(s, 0)) for s in ("ok", "error", "pending"))
    seeds = list(r.get("seeds", []))
    text = [
        f"Experiment '{r.get('name')}'"
        + (f": {r['description']}" if r.get("description") else "")
        + f". Base scenario '{r.get('base')}' ({r.get('model')} model), design "
        f"'{r.get('method')}': {r.get('design_points')} design points x {len(seeds)} "
        f"replications (seeds {_seeds_text(seeds)}) = {r.get('runs')} runs.",
        (
            "Factors: " + "; ".join(f"{f}: {_values_text(data, f)}" for f in data.factors) + "."
            if data.factors
            else "No factor is varied: one design point."
        ),
        f"Runs in the catalog: {len(runs)} of {r.get('runs')} planned; {ok} ok, {failed} failed, "
        f"{pending} pending."
        + (f" Total run time {runs['wall_seconds'].sum():,.1f} s." if ok else ""),
        "Indicators kept per step: " + ", ".join(r.get("indicators", [])) + ".",
    ]
    present = [n for n in ("compare", "sensitivity", "attribution") if getattr(data, n) is not None]
    text.append(
        "Analyses in the folder: "
        + (", ".join(f"{n}.parquet" for n in present) if present else "none")
        + "."
    )
    table = None
    notes = [
        f"Read from {data.folder}/experiment.json and the catalog (catalog.duckdb, table runs)."
    ]
    if failed:
        bad = runs[runs["status"] == "error"]
        names = ", ".join(bad["run_id"].head(MAX_FAILED_LISTED))
        text.append(
            f"Failed runs: {names}" + (" and more." if len(bad) > MAX_FAILED_LISTED else ".")
        )
        shown = bad.head(MAX_FAILED_LISTED)
        table = pd.DataFrame(
            {
                "run": shown["run_id"],
                "design": shown["design_id"].astype(str),
                "seed": shown["seed"].astype(str),
                **{f: shown[f].astype(str) for f in data.factors if f in shown},
                "error": shown["error"].astype(str).str.slice(0, 200),
            }
        )
        if len(bad) > MAX_FAILED_LISTED:
            notes.append(
                f"{len(bad) - MAX_FAILED_LISTED} more failed runs: innocluster query "
                f"{data.folder} \"SELECT * FROM runs WHERE status = 'error'\"."
            )
    skipped = data.band_factors()[MAX_BAND_PANELS:]
    if skipped:
        notes.append(f"Not drawn over steps (more than {MAX_BAND_PANELS} factors): "
                     + ", ".join(skipped) + ".")  # fmt: skip
    return PanelContent(paragraphs=text, table=table, notes=notes)


def _bands(data: ExperimentData, factor: str | None) -> PanelContent:
    indicators = data.band_indicators()
    if not indicators:
        raise Unavailable("The experiment keeps no numeric indicator to draw over steps.")
    result = data.bands(factor, indicators)
    words = "Finished runs per level: " + ", ".join(f"{v} ({n})" for v, n in result.runs.items())
    paragraphs = [words + "."]
    if result.empty:
        paragraphs.append(
            f"No finished run for {factor} = " + ", ".join(result.empty) + ": not drawn."
        )
    left = [n for n in data.numeric_indicators if n not in indicators]
    notes = [
        *result.notes,
        "Mean over the finished runs of each level (every seed and every value of the other "
        "factors) with the 95% Student interval of the mean, aggregated per step in DuckDB "
        "over runs/*.parquet.",
    ]
    if left:
        notes.append(
            "Other kept indicators, not drawn: " + ", ".join(left) + f" (innocluster query "
            f'{data.folder} "SELECT ... FROM steps JOIN runs USING (run_id) ...").'
        )
    return PanelContent(band_figure(result), paragraphs=paragraphs, notes=notes)


def _comparison(data: ExperimentData) -> PanelContent:
    table = data.compare
    if table is None:
        factor = data.factors[0] if data.factors else "scenario"
        metric = (data.numeric_indicators or ["INDICATOR"])[0]
        raise Unavailable(
            "no comparison of final values in this folder: run "
            f"`{_command(data, 'compare')} --by {factor} --metric {metric}`."
        )
    keys = ["factor", "metric", "step"]
    groups = list(table.groupby(keys, sort=False, dropna=False))
    drawn = groups[:MAX_COMPARISONS]
    paragraphs = []
    for (factor, metric, step), rows in drawn:
        for row in rows[rows["kind"] == "difference"].itertuples(index=False):
            covers = "includes" if row.ci_low <= 0 <= row.ci_high else "excludes"
            how = f"paired over {row.n} pairs" if row.paired else f"unpaired, Welch, n = {row.n}"
            paragraphs.append(
                f"{metric} ({_step_name(step)}), {factor} = {row.level} minus {row.reference}: "
                f"{_number(row.mean)} (95% CI {_interval(row.ci_low, row.ci_high)}, {how}); "
                f"the interval {covers} 0."
            )
    shown = pd.concat([rows for _, rows in drawn], ignore_index=True)
    out = pd.DataFrame(
        {
            "factor": shown["factor"],
            "metric": shown["metric"],
            "step": shown["step"].map(_step_name),
            "level": shown["level"],
            "kind": np.where(
                shown["kind"] == "difference", "minus " + shown["reference"].astype(str), "mean"
            ),
            "n": shown["n"].astype(str),
            "value": shown["mean"].map(_number),
            "95% CI": [
                _interval(a, b) for a, b in zip(shown["ci_low"], shown["ci_high"], strict=True)
            ],
        }
    )
    notes = [
        "From compare.parquet (innocluster compare): each level's mean over its finished runs "
        "with the 95% Student interval; differences paired over runs that share a seed and the "
        "other factors' values (common random numbers), else Welch's interval.",
    ]
    if len(groups) > MAX_COMPARISONS:
        notes.append(f"{len(groups) - MAX_COMPARISONS} more comparisons in compare.parquet.")
    return PanelContent(compare_figure(drawn), paragraphs=paragraphs, table=out, notes=notes)


def _sensitivity(data: ExperimentData) -> PanelContent:
    table = data.sensitivity
    method = data.record.get("method")
    if table is None:
        if method in ("sobol", "morris"):
            raise Unavailable(
                f"no sensitivity analysis in this folder: run `{_command(data, 'sensitivity')}`."
            )
        raise Unavailable(
            f"no sensitivity analysis in this folder: the design is '{method}', and Sobol or "
            "Morris indices need a sobol or morris design (docs/experiments.md)."
        )
    paragraphs = []
    for (m, indicator), part in table[table["index"] != "S2"].groupby(
        ["method", "indicator"], sort=False
    ):
        key = "ST" if m == "sobol" else "mu_star"
        ranked = part[part["index"] == key].sort_values("value", ascending=False)
        if ranked["value"].notna().any() and ranked["value"].abs().max() > 0:
            top = ranked.iloc[0]
            paragraphs.append(
                f"{indicator}: most influential factor {top['factor']} "
                f"({'ST' if m == 'sobol' else 'mu*'} {_number(top['value'])}, 95% CI "
                f"{_interval(top['ci_low'], top['ci_high'])})."
            )
        else:
            paragraphs.append(f"{indicator}: no factor moves it (every index is 0 or undefined).")
    second = table[table["index"] == "S2"]
    out = None
    if len(second):
        out = pd.DataFrame(
            {
                "indicator": second["indicator"],
                "factors": second["factor"] + " x " + second["factor2"].astype(str),
                "S2": second["value"].map(_number),
                "95% CI": [
                    _interval(a, b)
                    for a, b in zip(second["ci_low"], second["ci_high"], strict=True)
                ],
            }
        )
    notes = [
        "From sensitivity.parquet (innocluster sensitivity): Sobol S1 and ST (Saltelli et al. "
        "2010) or Morris mu* and sigma (Campolongo et al. 2007; Morris 1991) of each indicator "
        "at the last step, the output of a design point being its mean over seeds; error bars "
        "are 95% bootstrap intervals (none for sigma).",
        "Small designs give wide intervals, and Sobol estimates can fall below 0 or above 1.",
    ]
    return PanelContent(sensitivity_figure(table), paragraphs=paragraphs, table=out, notes=notes)


def _attribution(data: ExperimentData) -> PanelContent:
    table = data.attribution
    if table is None:
        raise Unavailable(
            "no mechanism attribution in this folder: `innocluster attribute "
            f"{data.record.get('base')} --out DIR` runs its own experiment and writes "
            "attribution.parquet into DIR; `innocluster report DIR` shows it."
        )
    paragraphs = []
    for (metric, step), part in table.groupby(["metric", "step"], sort=False, dropna=False):
        first = part.iloc[0]
        ranked = part.sort_values("shapley", ascending=False)
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        against = ranked[ranked["ci_high"] < 0]["mechanism"].tolist()
        paragraphs.append(
            f"{metric} ({_step_name(step)}): {_number(first['all_on'])} with every chosen "
            f"mechanism on, {_number(first['all_off'])} with all off; the Shapley values split "
            f"the difference. Largest: {top['mechanism']} ({_number(top['shapley'])}, "
            f"{_number(100 * top['share'])}% of it); smallest: {bottom['mechanism']} "
            f"({_number(bottom['shapley'])})."
            + (
                " Working against it (interval below 0): " + ", ".join(against) + "."
                if against
                else ""
            )
        )
    out = pd.DataFrame(
        {
            "metric": table["metric"],
            "step": table["step"].map(_step_name),
            "mechanism": table["mechanism"],
            "Shapley value": table["shapley"].map(_number),
            "95% CI": [
                _interval(a, b) for a, b in zip(table["ci_low"], table["ci_high"], strict=True)
            ],
            "share": table["share"].map(lambda v: f"{_number(100 * v)}%"),
            "seeds": table["n"].astype(str),
            "method": table["method"] + ", " + table["coalitions"].astype(str) + " coalitions",
        }
    )
    notes = [
        "From attribution.parquet (innocluster attribute): each mechanism's Shapley value "
        "(Shapley 1953) by ablation, computed per seed; bars are the mean over seeds with the "
        "95% Student interval.",
    ]
    return PanelContent(attribution_figure(table), paragraphs=paragraphs, table=out, notes=notes)


def experiment_panels(data: ExperimentData) -> list[Panel]:
    """The panels of an experiment folder, in the order of the report.

    They are the overview, one panel of indicators over steps per factor (at most
    :data:`MAX_BAND_PANELS`; one panel of all runs when no factor varies), the final-value
    comparison, sensitivity, attribution.
    """
    panels = [
        Panel("overview", "Experiment", "What was run, and what finished.", _overview),
    ]
    factors = data.band_factors()[:MAX_BAND_PANELS]
    for k, factor in enumerate(factors or [None]):
        panels.append(
            Panel(
                f"steps-{k}",
                f"Over steps by {factor}" if factor else "Over steps",
                "Indicators over steps per level: mean over replications and its 95% band."
                if factor
                else "Indicators over steps: mean over the runs and its 95% band.",
                partial(_bands, factor=factor),
            )
        )
    panels += [
        Panel("compare", "Final values compared", "Each level's mean with its 95% interval, "
              "and its difference from the reference level.", _comparison),
        Panel("sensitivity", "Sensitivity", "How much of each indicator's variation each "
              "factor drives (Sobol) or how strongly it moves it (Morris).", _sensitivity),
        Panel("attribution", "Mechanism attribution", "Which forming mechanism the indicator "
              "owes to, and which works against it (Shapley values).", _attribution),
    ]  # fmt: skip
    return panels
