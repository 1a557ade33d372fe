"""Plotly figures for the app, built from summary tables (pure: no Streamlit, no I/O).

Every indicator chart has the same parts: for each scenario a median line
(P50) and, where asked, its 80% band (P10–P90); the reported figures as
points; each plan target as a star at its year, with its tolerance as an
error bar when the target is "about" a value.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from growthsim.presentation import assumed_path, marked_assumed
from growthsim.simulation.indicators import indicators
from growthsim.simulation.targets import Target
from growthsim.simulation.units import unit_of
from growthsim.wording import indicator_name, target_label
from growthsim.wording import unit as unit_in

from .i18n import CALIBRATION_LABELS, pick, t
from .sources import document_name
from .store import safe_stem

MAIN_COLOUR = "#1f5fa8"
REFERENCE_COLOUR = "#7f8c8d"
TARGET_COLOUR = "#b22222"
REPORTED_COLOUR = "#111111"
SCENARIO_COLOURS = {
    "baseline": "#5b6c7f",
    "edited": "#e07b00",
    "intensified": "#1b8a3a",
    "downside": "#c0392b",
    "intensified+edited": "#7b3fa0",
}
EXTRA_COLOURS = ("#17becf", "#8c564b", "#e377c2", "#bcbd22", "#1f77b4", "#9467bd")
FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def scenario_colour(key: str, position: int = 0) -> str:
    """A scenario's line colour: its own for the shipped and edited scenarios, else an extra colour by ``position``."""
    return SCENARIO_COLOURS.get(key, EXTRA_COLOURS[position % len(EXTRA_COLOURS)])


def fmt_in_unit(x: float, unit: str, signed: bool = False) -> str:
    """A value as shown in its unit (the unit table's decimals, thousands separated, signed if ``signed``); '—'
    if missing."""
    return "—" if x is None or pd.isna(x) else unit_of(unit).number(float(x), signed)


def plotly_config(filename: str) -> dict:
    """Modebar settings: the camera icon downloads a PNG (rendered in the browser, no kaleido)."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": safe_stem(filename, fallback="chart"),
                                 "scale": 2, "width": 900, "height": 520},
    }


@dataclass(frozen=True)
class Series:
    """One scenario's path of one indicator: rows with year, p10, p50, p90."""

    name: str
    colour: str
    frame: pd.DataFrame
    band: bool = True
    dash: str = "solid"
    width: float = 2.5


def _wrap(text: str, width: int = 36) -> str:
    return "<br>".join(textwrap.wrap(str(text), width)) or ""


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """A Figure from plain trace and layout dicts, without plotly's per-property validation.

    Validation costs ~15 ms a chart and the page redraws a dozen charts on every
    slider move; the dicts are built here from known-good keys, and the tests
    validate every kind of chart the app builds (``go.Figure(fig.to_dict())``).
    """
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def _target_traces(targets: Sequence[Target], lang: str, lo: int, hi: int, legend: bool,
                   probabilities: Mapping[str, float | None]) -> list[dict]:
    """Each target as a star at its year, its rule and probability beside it, 左右's tolerance as an error bar."""
    traces = []
    for i, tg in enumerate(targets):
        label = target_label(tg, lang)
        p = probabilities.get(tg.id)
        prob = "" if p is None else t("chart_prob", lang, p=f"{p:.0%}")
        position = "top left" if tg.year >= hi else ("top right" if tg.year <= lo else "top center")
        text = tg.text(lang) + (f" · {prob}" if prob else "")
        if not legend:  # a small chart: the probability alone, the rule is in the hover and the scorecard
            text = prob or tg.text(lang)
            # beside the star, on the side with room: a label left of an early year's star ran into the y axis's
            # tick labels ("10%左右" over "10.0" on the growth chart's 2021 target)
            position = "middle right" if tg.year - lo < (hi - lo) / 2 else "middle left"
        trace = {
            "type": "scatter", "x": [tg.year], "y": [tg.value], "mode": "markers+text", "name": t("chart_target", lang),
            "legendgroup": "target", "showlegend": i == 0, "cliponaxis": False,
            "marker": {"color": TARGET_COLOUR, "size": 15, "symbol": "star", "line": {"color": "white", "width": 1}},
            "text": [text], "textposition": position, "textfont": {"color": TARGET_COLOUR, "size": 11},
            "hovertemplate": f"{_wrap(label)}<br>{tg.text(lang)}" + (f"<br>{prob}" if prob else "")
                             + "<extra></extra>"}
        if tg.comparator == "about":  # "左右": the tolerance as an error bar
            trace["error_y"] = {"type": "data", "array": [tg.tolerance], "arrayminus": [tg.tolerance], "visible": True,
                                "color": TARGET_COLOUR, "thickness": 1.5, "width": 6}
        traces.append(trace)
    return traces


def _series_traces(s: Series, f: pd.DataFrame, lang: str, d: int, shown_unit: str, band: bool, band_legend: bool,
                   alone: bool, assumed: bool) -> list[dict]:
    """One scenario's band (P10–P90) and median line; an indicator that assumptions set is its assumed path alone."""
    years = [int(y) for y in f.year]
    p10, p50, p90 = ([float(v) for v in f[c]] for c in ("p10", "p50", "p90"))
    traces = []
    if band:
        traces.append({
            "type": "scatter", "x": years + years[::-1], "y": p90 + p10[::-1], "fill": "toself", "mode": "lines",
            "fillcolor": _rgba(s.colour, 0.16), "line": {"width": 0, "color": _rgba(s.colour, 0.16)},
            "hoverinfo": "skip", "legendgroup": s.name, "showlegend": band_legend,
            "name": t("chart_band", lang) if alone else f"{s.name} · {t('chart_band', lang)}"})
    line = {
        "type": "scatter", "x": years, "y": p50, "mode": "lines+markers", "legendgroup": s.name,
        "name": f"{s.name} · {assumed_path(lang) if assumed else t('chart_p50', lang)}",
        "line": {"color": s.colour, "width": s.width, "dash": s.dash}, "marker": {"size": 5, "color": s.colour},
        "hovertemplate": (marked_assumed(f"{s.name}<br>%{{x}}: %{{y:,.{d}f}} {shown_unit}", lang) if assumed else
                          f"{s.name}<br>%{{x}}: %{{y:,.{d}f}} {shown_unit}"
                          f"<br>P10–P90: %{{customdata[0]:,.{d}f}}–%{{customdata[1]:,.{d}f}}") + "<extra></extra>"}
    if not assumed:
        line["customdata"] = [[a, b] for a, b in zip(p10, p90, strict=True)]
    traces.append(line)
    return traces


def indicator_figure(indicator: str, lang: str, series: Sequence[Series], reported: pd.DataFrame | None = None,
                     targets: Sequence[Target] = (), height: int = 330, title: str | None = None,
                     legend: bool = True, probabilities: Mapping[str, float | None] | None = None) -> go.Figure:
    """A chart of one indicator: bands, medians, reported points and targets (stars, with ``probabilities`` by id)."""
    meta = indicators()[indicator]
    unit = meta.unit
    shown_unit = unit_in(unit, lang)
    d = meta.decimals
    traces: list[dict] = []
    years_all: list[int] = []
    band_legend = True
    for s in series:
        f = s.frame.dropna(subset=["p50"]).sort_values("year")
        if f.empty:
            continue
        years_all += [int(y) for y in f.year]
        band = s.band and not meta.assumed and (f.p90 - f.p10).abs().max() > 0
        traces += _series_traces(s, f, lang, d, shown_unit, band, band_legend or len(series) > 1, len(series) == 1,
                                 meta.assumed)
        band_legend = band_legend and not band
    if reported is not None and not reported.empty:
        rep = reported.sort_values("year")
        traces.append({
            "type": "scatter", "x": [int(y) for y in rep.year], "y": [float(v) for v in rep.value], "mode": "markers",
            "name": t("chart_reported", lang),
            "marker": {"color": REPORTED_COLOUR, "size": 9, "symbol": "circle", "line": {"color": "white", "width": 1}},
            "customdata": [_wrap(f"{document_name(r.source_file, lang)}" + (f"：{r.quote}" if lang == "zh" else ""))
                           for r in rep.itertuples()],
            "hovertemplate": f"{t('chart_reported', lang)} %{{x}}: %{{y:,.{d}f}} {shown_unit}<br>%{{customdata}}"
                             "<extra></extra>"})
        years_all += [int(y) for y in rep.year]
    years_all += [tg.year for tg in targets]
    lo, hi = (min(years_all), max(years_all)) if years_all else (0, 1)
    traces += _target_traces(targets, lang, lo, hi, legend, probabilities or {})
    name = indicator_name(meta, lang)
    head = title or (f"{name}（{unit}）" if lang == "zh" else f"{name} ({shown_unit})")
    head = _wrap(head, 15 if lang == "zh" else 36)  # two short lines rather than one cut at a third of a screen
    grid = {"showgrid": True, "gridcolor": "#eeeeee"}
    layout = {
        # the title sits just above the plot, below the toolbar (always shown on phones, where nothing hovers)
        "title": {"text": head, "font": {"size": 14}, "x": 0, "xref": "paper", "xanchor": "left",
                  "y": 1, "yref": "paper", "yanchor": "bottom", "pad": {"b": 8}},
        "height": height, "margin": {"l": 10, "r": 10, "t": 78, "b": 10},  # room for a two-line title: plots align
        "font": {"family": FONT, "size": 12},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": 10}},
        "xaxis": {"dtick": 1, "range": [lo - 0.45, hi + 0.45], "tickformat": "d", **grid},
        "yaxis": {"title": {"text": shown_unit}, "tickformat": f",.{min(d, 1)}f" if d else ",d", "zeroline": False, **grid},
        "hovermode": "closest", "plot_bgcolor": "white", "showlegend": legend,
    }
    return figure(traces, layout)


def calibration_figure(report: pd.DataFrame, lang: str) -> go.Figure:
    """Residual / tolerance of every figure the model reproduces; within ±1 means within tolerance."""
    rows = report[report.model.notna() & (report.tolerance > 0)].copy()
    rows = rows[rows.role.isin(["observed", "derive"])]  # base figures and imposed flows match by construction
    rows["z"] = rows.residual / rows.tolerance
    meta = indicators()
    names = []
    for r in rows.itertuples():
        name = indicator_name(meta[r.indicator], lang) if r.indicator in meta else pick(
            CALIBRATION_LABELS.get(r.indicator, (r.indicator, r.indicator)), lang)
        names.append(f"{r.year} {name}")
    bar = {
        "type": "bar", "orientation": "h", "x": [float(z) for z in rows.z], "y": names,
        "marker": {"color": ["#1b8a3a" if abs(z) <= 1 else "#c0392b" for z in rows.z]},
        "customdata": [[float(a), float(b), float(c), u] for a, b, c, u in
                       zip(rows.reported, rows.model, rows.tolerance, [unit_in(u, lang) for u in rows.unit], strict=True)],
        "hovertemplate": "%{y}<br>" + t("col_reported", lang) + " %{customdata[0]:.3g} %{customdata[3]}<br>"
                         + t("col_model", lang) + " %{customdata[1]:.3g}<br>" + t("col_tolerance", lang)
                         + " ±%{customdata[2]:.3g}<extra></extra>"}
    layout = {
        "title": {"text": t("cal_chart", lang), "font": {"size": 15}}, "height": max(260, 34 * len(names) + 90),
        "margin": {"l": 10, "r": 10, "t": 46, "b": 10}, "font": {"family": FONT, "size": 12},
        "xaxis": {"title": {"text": t("cal_axis", lang)}, "zeroline": True},
        "yaxis": {"autorange": "reversed"}, "plot_bgcolor": "white",
        "shapes": [{"type": "rect", "xref": "x", "yref": "paper", "x0": -1, "x1": 1, "y0": 0, "y1": 1,
                    "fillcolor": "#1b8a3a", "opacity": 0.08, "line": {"width": 0}, "layer": "below"}],
    }
    return figure([bar], layout)
