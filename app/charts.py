"""Vega-Lite charts for the app, built from summary tables (pure: no Streamlit, no I/O).

Every indicator chart has the same parts: for each scenario a median line
(P50) and, where asked, its 80% band (P10–P90), sent as quantile series (never
raw draws); the reported figures as points; each plan target as a star at its
year, with its tolerance as an error bar when the target is "about" a value and
its probability beside it; one legend naming them all below the plot. The
chart's text alternative says what it shows and the latest value against the
target (:func:`indicator_description`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from growthsim.i18n import Joined
from growthsim.i18n import text as catalogue_text
from growthsim.presentation import assumed_path
from growthsim.scorecard import Reading
from growthsim.simulation.indicators import indicators
from growthsim.simulation.targets import Target
from growthsim.simulation.units import unit_of
from growthsim.vega import (
    MAIN_COLOUR,
    REFERENCE_COLOUR,
    REPORTED_COLOUR,
    STAR,
    TARGET_COLOUR,
    TEXT_COLOUR,
    spec,
    wrap,
    year_axis,
)
from growthsim.wording import figure_status, indicator_name, target_label
from growthsim.wording import unit as unit_in

from .i18n import CALIBRATION_LABELS, pick, t
from .sources import document_name

__all__ = ["MAIN_COLOUR", "REFERENCE_COLOUR", "TARGET_COLOUR", "Series", "calibration_figure", "fmt_in_unit",
           "indicator_figure", "scenario_colour", "unit_decimals"]

SCENARIO_COLOURS = {
    "baseline": REFERENCE_COLOUR,
    "edited": "#c25e00",      # 4.0:1 on white (a line needs 3:1)
    "intensified": "#1b7a34",
    "downside": "#b03a2e",
    "intensified+edited": "#7b3fa0",
}
EXTRA_COLOURS = ("#0f7c8c", "#8c564b", "#b8377e", "#6f6f12", "#1f77b4", "#9467bd")
GOOD_COLOUR, BAD_COLOUR = "#1b7a34", "#b03a2e"


def scenario_colour(key: str, position: int = 0) -> str:
    """A scenario's line colour: its own for the shipped and edited scenarios, else an extra colour by ``position``."""
    return SCENARIO_COLOURS.get(key, EXTRA_COLOURS[position % len(EXTRA_COLOURS)])


def unit_decimals(unit: str) -> int:
    """Decimals for showing a value of this unit: the unit table's (growthsim.simulation.units), declared once."""
    return unit_of(unit).decimals


def fmt_in_unit(x: float, unit: str, signed: bool = False) -> str:
    """A value as shown in its unit (the unit table's decimals, thousands separated, signed if ``signed``); '—'
    if missing.

    Parameters
    ----------
    x : float
        The value, in its unit.
    unit : str
        Unit code (``simulation/units.py``).
    signed : bool
        Write a + before a positive value.
    """
    return "—" if x is None or pd.isna(x) else unit_of(unit).number(float(x), signed)


def text_in_unit(x: float, unit: str, lang: str) -> str:
    """A value as shown in its unit, the unit attached in ``lang`` ('4.7%', '18,490.9亿元', '6,700 firms'); '—' if
    missing: for a column whose rows have different units.

    Parameters
    ----------
    x : float
        The value, in its unit.
    unit : str
        Unit code (``simulation/units.py``).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    return "—" if x is None or pd.isna(x) else unit_of(unit).attach(fmt_in_unit(x, unit), lang)


@dataclass(frozen=True)
class Series:
    """One scenario's path of one indicator: rows with year, p10, p50, p90."""

    name: str
    colour: str
    frame: pd.DataFrame
    band: bool = True
    dash: str = "solid"
    width: float = 2.5


DASHES = {"solid": [1, 0], "dash": [6, 4], "dot": [2, 3]}


def _drawn_years(frame: pd.DataFrame) -> pd.DataFrame:
    """A series' years that have a median, in order (a mask: a quarter of ``dropna``'s time on these frames)."""
    return frame[frame["p50"].notna()].sort_values("year")


def _path_rows(series: Sequence[Series], unit: str, lang: str, assumed: bool = False) -> tuple[list[dict], list[int]]:
    """The quantile series as rows (one per scenario and year), with their tooltips' texts; and every year.

    An indicator that assumptions set (``assumed``) has no band: its path is the assumption, not a forecast.
    """
    rows, years = [], []
    for s in series:
        f = _drawn_years(s.frame)
        band = bool(s.band and not assumed and len(f) and (f.p90 - f.p10).abs().max() > 0)
        for r in f.itertuples():
            y = int(r.year)
            years.append(y)
            row = {"kind": "path", "key": s.name, "year": y, "p50": float(r.p50), "band": band,
                   "p50_text": fmt_in_unit(r.p50, unit), "band_text": "—"}
            if not assumed:  # an assumed path has no quantiles (the projection leaves them blank)
                row.update(p10=float(r.p10), p90=float(r.p90),
                           band_text=f"{fmt_in_unit(r.p10, unit)}–{fmt_in_unit(r.p90, unit)}")
            rows.append(row)
    return rows, years


def _reported_rows(reported: pd.DataFrame | None, unit: str, lang: str) -> list[dict]:
    if reported is None or reported.empty:
        return []
    name = t("chart_reported", lang)
    return [{"kind": "reported", "key": name, "year": int(r.year), "value": float(r.value),
             "value_text": fmt_in_unit(r.value, unit), "source": document_name(r.source_file, lang)}
            for r in reported.sort_values("year").itertuples()]


def mark_text(target: Target, reading: Reading | None, probability: float | None, lang: str) -> str:
    """The words beside a target's star: its outcome where the year is reported or estimated, else its probability.

    '✓ 达成' / '✗ 未达成' (reported), '估计 9%' (the year's figure unpublished: the posterior's probability),
    '概率 35%' (projected); the rule as written when there is nothing else to say.

    Parameters
    ----------
    target : Target
        The target: indicator, year, rule (value in the indicator's unit) and source.
    reading : Reading | None
        The target's reading where its year is reported or estimated, or None.
    probability : float | None
        Probability of meeting the target, 0-1, or None.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    if reading is not None and reading.driven_by:  # an assumption decides it, not the model
        return t("level_grey", lang)
    if reading is not None and reading.basis == "reported" and reading.met is not None:
        return t("chart_met" if reading.met else "chart_not_met", lang)
    if reading is not None and reading.basis == "estimated":
        return t("chart_estimated_prob", lang, p=f"{reading.probability:.0%}")
    p = reading.probability if reading is not None and reading.basis == "projected" else probability
    if p is None or pd.isna(p):
        return target.text(lang)
    return t("chart_prob", lang, p=f"{p:.0%}")


def _target_rows(targets: Sequence[Target], lang: str, lo: int, hi: int, probabilities: Mapping[str, float | None],
                 readings: Mapping[str, Reading], unit: str) -> list[dict]:
    """Each target's star (and, for a year whose figure is unpublished, the estimate beside it) as rows."""
    name = t("chart_target", lang)
    rows = []
    for tg in targets:
        reading = readings.get(tg.id)
        text = mark_text(tg, reading, probabilities.get(tg.id), lang)
        rows.append({"kind": "target", "key": name, "year": int(tg.year), "value": float(tg.value),
                     "lo": float(tg.value - tg.tolerance), "hi": float(tg.value + tg.tolerance),
                     "about": tg.comparator == "about", "rule": tg.text(lang), "label": target_label(tg, lang),
                     "mark_text": text, "outcome": reading.outcome(lang) if reading is not None else text,
                     # beside the star on the side with room: a label left of an early star ran into the y axis
                     "side": "right" if tg.year - lo < (hi - lo) / 2 else "left"})
        if reading is not None and reading.basis == "estimated":
            rows.append({"kind": "estimated", "key": t("chart_estimated", lang), "year": int(tg.year),
                         "value": float(reading.value), "value_text": fmt_in_unit(reading.value, unit),
                         "outcome": reading.outcome(lang)})
    return rows


def _legend_scales(series: Sequence[Series], has_reported: bool, has_target: bool, lang: str,
                   has_estimate: bool = False) -> tuple[dict, dict]:
    """The colour and shape scales shared by every layer: one legend entry per scenario, reported, estimate, target."""
    domain = [s.name for s in series]
    colours = [s.colour for s in series]
    shapes = ["stroke"] * len(series)
    if has_reported:
        domain.append(t("chart_reported", lang))
        colours.append(REPORTED_COLOUR)
        shapes.append("circle")
    if has_estimate:
        domain.append(t("chart_estimated", lang))
        colours.append(REPORTED_COLOUR)
        shapes.append("diamond")
    if has_target:
        domain.append(t("chart_target", lang))
        colours.append(TARGET_COLOUR)
        shapes.append(STAR)
    return {"domain": domain, "range": colours}, {"domain": domain, "range": shapes}


def y_axis(field: str, unit: str, title: str | None = None) -> dict:
    """A y encoding of ``field`` in the indicator's unit: not from zero, ticks at the unit's precision.

    Parameters
    ----------
    field : str
        The data field on the y axis.
    unit : str
        Unit code (``simulation/units.py``).
    title : str | None
        Axis title, or None.
    """
    d = unit_decimals(unit)
    # 10 px of room at both ends: a mark at the data's extreme (a target's tolerance, a band's edge) is drawn
    # clear of the axis and of the top, not on them
    return {"field": field, "type": "quantitative", "title": title, "scale": {"zero": False, "padding": 10},
            "axis": {"format": f",.{min(d, 1)}f", "tickCount": 5}}


def _path_layers(series: Sequence[Series], x: dict, y: dict, colour: dict, shape: dict,
                 lang: str, banded: bool = True) -> list[dict]:
    """The bands (when ``banded``: a row has one) and a median line per scenario."""
    key = {"field": "key", "type": "nominal"}
    legend = {"symbolStrokeWidth": 2.5}
    layers = [{
        "transform": [{"filter": "datum.kind === 'path' && datum.band"}],
        "mark": {"type": "area", "opacity": 0.16},
        "encoding": {"x": x, "y": {**y, "field": "p10"},
                     "y2": {"field": "p90"}, "color": {**key, "scale": colour, "legend": legend}}}] if banded else []
    # a line per scenario with its own width and dash (encoding them by scenario broke the legend's layout in
    # the browser's Vega: its symbols and labels were drawn on top of each other)
    for s in series:
        layers.append({
            "transform": [{"filter": {"and": [{"field": "kind", "equal": "path"}, {"field": "key", "equal": s.name}]}}],
            "mark": {"type": "line", "strokeWidth": s.width, "strokeDash": DASHES.get(s.dash, [1, 0]),
                     "point": {"filled": True, "size": 22}},
            "encoding": {
                "x": x, "y": {**y, "field": "p50"},
                "color": {**key, "scale": colour, "legend": legend},
                "shape": {**key, "scale": shape, "legend": legend},
                "tooltip": [{"field": "key", "title": t("col_scenario", lang)},
                            {"field": "year", "title": t("col_year", lang)},
                            {"field": "p50_text", "title": t("chart_p50", lang)},
                            {"field": "band_text", "title": t("chart_band", lang)}]}})
    return layers


def _mark_layers(x: dict, y_base: dict, colour: dict, shape: dict, lang: str, rows: Sequence[Mapping],
                 points: bool = True) -> list[dict]:
    """The layers that draw ``rows``' reported and estimated points (unless not ``points``) and targets.

    Only layers with rows to draw: the browser's Vega builds a dataflow for every layer and, for an empty one,
    logged a warning ("Infinite extent") at every draw, some 200 on a page switch (~40 ms of the browser's
    time a switch in a CPU profile).
    """
    kinds = {r["kind"] for r in rows}
    sides = {r["side"] for r in rows if r["kind"] == "target"}
    with_tolerance = any(r["kind"] == "target" and r["about"] for r in rows)  # an "about" target's range
    key = {"field": "key", "type": "nominal"}
    y = {**y_base, "field": "value"}
    reported = {
        "transform": [{"filter": "datum.kind === 'reported'"}],
        "mark": {"type": "point", "filled": True, "size": 70, "stroke": "white", "strokeWidth": 1, "opacity": 1},
        "encoding": {"x": x, "y": y, "color": {**key, "scale": colour}, "shape": {**key, "scale": shape},
                     "tooltip": [{"field": "year", "title": t("col_year", lang)},
                                 {"field": "value_text", "title": t("chart_reported", lang)},
                                 {"field": "source", "title": t("col_source", lang)}]}}
    estimated = {
        "transform": [{"filter": "datum.kind === 'estimated'"}],
        "mark": {"type": "point", "filled": False, "size": 80, "strokeWidth": 2, "opacity": 1},
        "encoding": {"x": x, "y": y, "color": {**key, "scale": colour}, "shape": {**key, "scale": shape},
                     "tooltip": [{"field": "year", "title": t("col_year", lang)},
                                 {"field": "value_text", "title": t("chart_estimated", lang)},
                                 {"field": "outcome", "title": t("col_status", lang)}]}}
    about = [{"filter": "datum.kind === 'target' && datum.about"}]
    tolerance = {
        "transform": about,
        "mark": {"type": "rule", "strokeWidth": 1.5, "color": TARGET_COLOUR},
        "encoding": {"x": x, "y": {**y_base, "field": "lo"}, "y2": {"field": "hi"}}}
    # caps at both ends: the tolerance reads as a range (an error bar), not as an axis line
    caps = [{"transform": about, "mark": {"type": "tick", "orient": "horizontal", "size": 10, "thickness": 1.5,
                                          "color": TARGET_COLOUR},
             "encoding": {"x": x, "y": {**y_base, "field": end}}} for end in ("lo", "hi")]
    star = {
        "transform": [{"filter": "datum.kind === 'target'"}],
        "mark": {"type": "point", "filled": True, "size": 230, "stroke": "white", "strokeWidth": 1, "opacity": 1},
        "encoding": {"x": x, "y": y, "color": {**key, "scale": colour}, "shape": {**key, "scale": shape},
                     "tooltip": [{"field": "label", "title": t("chart_target", lang)},
                                 {"field": "rule", "title": t("col_rule", lang)},
                                 {"field": "outcome", "title": t("col_status", lang)}]}}
    # the words beside a star, over a white halo so that a line or band behind them does not cross them
    texts = [{
        "transform": [{"filter": f"datum.kind === 'target' && datum.side === '{side}'"}],
        "mark": {"type": "text", "align": "left" if side == "right" else "right", "dx": 9 if side == "right" else -9,
                 "dy": -9, "fontSize": 11, "fontWeight": 600, "color": TARGET_COLOUR, **halo},
        "encoding": {"x": x, "y": y, "text": {"field": "mark_text"}}}
        for side in ("right", "left") if side in sides
        for halo in ({"stroke": "white", "strokeWidth": 4, "strokeJoin": "round"}, {})]
    return ([reported] if points and "reported" in kinds else []) + \
        ([estimated] if points and "estimated" in kinds else []) + \
        ([tolerance, *caps] if with_tolerance else []) + ([star] if "target" in kinds else []) + texts


def indicator_description(indicator: str, lang: str, series: Sequence[Series], reported: pd.DataFrame | None,
                          targets: Sequence[Target], probabilities: Mapping[str, float | None],
                          readings: Mapping[str, Reading] | None = None) -> str:
    """The chart's text alternative: what it shows, the last reported value, the path's end and each target.

    '制造业增加值占GDP比重（%）图：最近公布值 2020 年 X；基准情景中位数 2030 年 Y（80%区间 A–B）；目标 …'

    Parameters
    ----------
    indicator : str
        Indicator id.
    lang : str
        ``zh`` or ``en``: the reader's language.
    series : Sequence[Series]
        The lines drawn (scenario, quantiles per year, in the indicator's unit).
    reported : pd.DataFrame | None
        Reported figures of the indicator (year, value), or None.
    targets : Sequence[Target]
        The indicator's targets.
    probabilities : Mapping[str, float | None]
        Each target's probability (0-1) by id.
    readings : Mapping[str, Reading] | None
        Each reported target's reading by id, or None.
    """
    meta = indicators()[indicator]
    unit = meta.unit
    parts = []
    if reported is not None and not reported.empty:
        last = reported.sort_values("year").iloc[-1]
        parts.append(t("alt_reported", lang, year=int(last.year), value=fmt_in_unit(last.value, unit)))
    for s in series:
        f = _drawn_years(s.frame)
        if len(f):
            r = f.iloc[-1]
            if meta.assumed:  # an assumption, not a forecast: its value, no band
                parts.append(t("alt_assumed", lang, name=s.name, year=int(r.year), p50=fmt_in_unit(r.p50, unit)))
            else:
                parts.append(t("alt_path", lang, name=s.name, year=int(r.year), p50=fmt_in_unit(r.p50, unit),
                               band=f"{fmt_in_unit(r.p10, unit)}–{fmt_in_unit(r.p90, unit)}"))
    for tg in targets:
        r = (readings or {}).get(tg.id)
        said = r.outcome(lang) if r is not None and r.basis in ("reported", "estimated") else \
            mark_text(tg, r, probabilities.get(tg.id), lang)
        parts.append(t("alt_target", lang, year=tg.year, rule=tg.text(lang), outcome=said))
    head = t("alt_head", lang, name=indicator_name(meta, lang), unit=unit_in(unit, lang))
    return head + Joined(parts).text(lang)


def indicator_figure(indicator: str, lang: str, series: Sequence[Series], reported: pd.DataFrame | None = None,
                     targets: Sequence[Target] = (), height: int = 330, title: str | None = None,
                     legend: bool = True, probabilities: Mapping[str, float | None] | None = None,
                     readings: Mapping[str, Reading] | None = None) -> dict:
    """A Vega-Lite chart of one indicator: bands, medians, reported points and targets, with one legend.

    Parameters
    ----------
    indicator : str
        The indicator's id (its name, unit and precision come from the registry).
    lang : str
        ``zh`` or ``en``: every word of the chart.
    series : sequence of Series
        The scenarios' quantile series (P10, P50, P90 by year).
    reported : pandas.DataFrame, optional
        The reported full-year figures (year, value, source_file).
    targets : sequence of Target
        The targets drawn as stars, each with its probability from ``probabilities`` (by target id).
    height : int
        The plot's height in pixels (the legend and title add to it).
    title : str, optional
        The title; by default the indicator's name and unit.
    legend : bool
        False: the legend's labels are smaller (the first screen's three small charts keep it).
    probabilities : mapping, optional
        A projected target's probability by target id.
    readings : mapping, optional
        The scorecard's reading of each target by id (:mod:`growthsim.scorecard`): a reported year's star says
        met or not, an unpublished year's shows the posterior's estimate as a point beside it.

    Returns
    -------
    dict
        The Vega-Lite specification.
    """
    meta = indicators()[indicator]
    unit = meta.unit
    shown_unit = unit_in(unit, lang)
    probabilities, readings = probabilities or {}, readings or {}
    if meta.assumed:  # each scenario's line says it is an assumed path, in the legend and the tooltip
        series = [replace(s, name=f"{s.name} · {assumed_path(lang)}", band=False) for s in series]
    paths, years = _path_rows(series, unit, lang, assumed=meta.assumed)
    rep = _reported_rows(reported, unit, lang)
    years += [r["year"] for r in rep] + [tg.year for tg in targets]
    lo, hi = (min(years), max(years)) if years else (0, 1)
    marks = _target_rows(targets, lang, lo, hi, probabilities, readings, unit)
    colour, shape = _legend_scales(series, bool(rep), bool(marks), lang,
                                   has_estimate=any(m["kind"] == "estimated" for m in marks))
    x = year_axis(lo, hi)
    y = y_axis("p50", unit, shown_unit)
    layers = _path_layers(series, x, y, colour, shape, lang, banded=any(r["band"] for r in paths)) + \
        _mark_layers(x, y, colour, shape, lang, rep + marks)
    name = indicator_name(meta, lang)
    head = title or catalogue_text("value.name_aside", lang, name=name, aside=shown_unit)
    chart = spec(layers, title=wrap(head, 18 if lang == "zh" else 40),
                 description=indicator_description(indicator, lang, series, reported, targets, probabilities, readings),
                 height=height, data={"values": paths + rep + marks})
    if not legend:
        chart["config"]["legend"].update(labelFontSize=10, symbolSize=60, columnPadding=8)
    if max(map(_label_width, colour["domain"]), default=0) > LEGEND_PAIR_WIDTH:
        chart["config"]["legend"]["columns"] = 1  # two columns of it would run past a phone's chart
    return chart


# The widest legend label (in half-width characters) that two columns of a phone's chart (~330 px) hold whole:
# 'Estimate (not yet in the data)' beside 'Baseline · assumed path' was cut at the right edge.
LEGEND_PAIR_WIDTH = 24


def _label_width(label: str) -> int:
    """A label's width in half-width characters: a Chinese character counts two."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in str(label))


CAL_ROW_PX, CAL_BAR_PX = 30, 10  # a figure's row in the residual chart: its name, then its bar [px]


def calibration_figure(report: pd.DataFrame, lang: str) -> dict:
    """How far the model's median is from each figure, in the errors the filter weighed it with; within ±1: fits.

    A partial-year figure is measured at the full-year value it stands for, a pair of a derived figure and the
    partial year it is combined with once (as the filter weighs them: ``weighed`` and ``error`` of the
    report). Each bar's colour and its legend say both: within (green) or outside (red), in words.
    """
    rows = report[report.model.notna() & (report.error > 0)]
    rows = rows[rows.role.isin(["observed", "derive"])]  # base figures and imposed flows match by construction
    inside, outside = t("cal_inside", lang), t("cal_outside", lang)
    values = []
    for r in rows.itertuples():
        z = float((r.model - r.weighed) / r.error)
        u = unit_in(r.unit, lang)
        values.append({"name": _calibration_bar_name(r, lang), "z": z, "status": inside if abs(z) <= 1 else outside,
                       "reported": f"{r.reported:.4g} {u}", "weighed": f"{r.weighed:.4g} ± {r.error:.3g}",
                       "model": f"{r.model:.4g}"})
    order = [v["name"] for v in values]
    n_out = sum(v["status"] == outside for v in values)
    # each figure's name on its own line above its bar, not on an axis beside it: the bars keep the chart's
    # whole width on a phone, where the names took all but 40 px of it
    y = {"field": "name", "type": "nominal", "sort": order, "title": None, "axis": None,
         "scale": {"paddingInner": 0, "paddingOuter": 0}}
    names = {"mark": {"type": "text", "align": "left", "baseline": "bottom", "x": 0, "yOffset": -1,
                      "fontSize": 11, "color": TEXT_COLOUR, "limit": {"expr": "width"}},
             "encoding": {"y": {**y, "bandPosition": 0.5}, "text": {"field": "name"}}}
    bars = {"mark": {"type": "bar", "height": CAL_BAR_PX, "yOffset": CAL_BAR_PX // 2 + 1},
            "encoding": {"y": y, "x": {"field": "z", "type": "quantitative", "title": t("cal_axis", lang)},
                         "color": {"field": "status", "type": "nominal",
                                   "scale": {"domain": [inside, outside], "range": [GOOD_COLOUR, BAD_COLOUR]}},
                         "tooltip": [{"field": "name", "title": t("col_indicator", lang)},
                                     {"field": "reported", "title": t("col_reported", lang)},
                                     {"field": "weighed", "title": t("cal_weighed", lang)},
                                     {"field": "model", "title": t("col_model", lang)}]}}
    zone = {"data": {"values": [{"a": -1, "b": 1}]}, "mark": {"type": "rect", "color": GOOD_COLOUR, "opacity": 0.08},
            "encoding": {"x": {"field": "a", "type": "quantitative"}, "x2": {"field": "b"}}}
    return spec([zone, bars, names], title=t("cal_chart", lang), height=max(200, CAL_ROW_PX * len(values)),
                description=t("alt_calibration", lang, n=len(values), out=n_out),
                data={"values": values})


def _calibration_bar_name(r, lang: str) -> str:
    """A bar's label: the year and the figure's name, with the months of a partial year ('2025 地区生产总值增速
    （1—9月）') or that a derived figure was weighed with one; two bars of one year never share a label."""
    meta = indicators()
    name = indicator_name(meta[r.indicator], lang) if r.indicator in meta else pick(
        CALIBRATION_LABELS.get(r.indicator, (r.indicator, r.indicator)), lang)
    if r.period:
        return t("cal_bar_partial", lang, year=r.year, name=name, months=figure_status(r.status, r.period, lang))
    if r.weighed != r.reported:
        return t("cal_bar_combined", lang, year=r.year, name=name)
    return f"{r.year} {name}"


__all__ += ["TEXT_COLOUR", "GOOD_COLOUR", "BAD_COLOUR", "indicator_description"]
