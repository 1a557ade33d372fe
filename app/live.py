"""拖动预览 Live lever: a chart that follows a lever's slider while it is dragged, the exact projection on release.

A lever step costs a server run and a redraw (a few hundred ms); a drag should not wait for it. So the chart
carries the indicator's band at a few values across the lever's range (:func:`growthsim.live.lever_grid`, each an
exact run with the scenario's draws and seed) and a Vega-Lite parameter bound to a range slider under it: while
the slider moves, Vega interpolates linearly between the two runs either side, in the browser, without the server.
On release, a small bridge (:data:`BRIDGE_JS`, a Streamlit component with no view of its own) sends the value to
the server, which writes it into the scenario as if the lever's own slider in the sidebar had been moved: the page,
its cards and this chart are then the exact projection at that value.
"""

from __future__ import annotations

import functools
import json
import math

import streamlit as st

from growthsim.i18n import Joined
from growthsim.live import BAND, LeverGrid, moved_most
from growthsim.simulation.events import EVENT_PARAMETERS
from growthsim.simulation.indicators import indicators
from growthsim.simulation.registry import Parameter, parameters
from growthsim.vega import MAIN_COLOUR, REFERENCE_COLOUR, spec, year_axis
from growthsim.wording import indicator_name, param_label, param_label_unit
from growthsim.wording import unit as unit_in

from . import cache, compute, controls
from .charts import Series, _legend_scales, _mark_layers, _target_rows, fmt_in_unit, unit_decimals, y_axis
from .context import Ctx
from .i18n import t
from .state import values_key
from .tables import chart_sets
from .ui import chart, labelled_choice

ss = st.session_state

PARAM = "gs_live"                    # the Vega-Lite parameter; its slider's input is named after it
K_ON, K_KEPT_ON, K_LEVER, K_INDICATOR = "live_on", "live_on_kept", "live_lever", "live_indicator"
K_BRIDGE = "live_bridge"
HEIGHT = 300  # px

# On the slider's release (its change event; a drag's input events stay in the browser), send its value.
# Listening on the document: Vega builds the slider afresh whenever the chart is embedded again.
BRIDGE_JS = """
export default function(component) {
  const { setStateValue, data } = component;
  const w = window;
  const sel = 'input[type=range][name="' + data.param + '"]';
  // a release by pointer is sent at once; arrow keys fire a change at every press, so a key's change waits for
  // the next press (0.7 s), and the slider gets the focus back once the page has drawn the exact projection
  const onChange = (e) => {
    const el = e.target;
    if (!(el && el.matches && el.matches(sel))) return;
    clearTimeout(w.__gsLiveTimer);
    const send = () => setStateValue('value', parseFloat(el.value));
    if (w.__gsLiveByKey) { w.__gsLiveRefocus = true; w.__gsLiveTimer = setTimeout(send, 700); } else send();
  };
  const onKey = (e) => { if (e.target && e.target.matches && e.target.matches(sel)) w.__gsLiveByKey = true; };
  const onPointer = () => { w.__gsLiveByKey = false; };
  for (const [type, f] of [['change', onChange], ['keydown', onKey], ['pointerdown', onPointer]]) {
    const old = w['__gsLive_' + type];
    if (old) document.removeEventListener(type, old, true);
    w['__gsLive_' + type] = f;
    document.addEventListener(type, f, true);
  }
  if (w.__gsLiveRefocus) {
    let tries = 0;
    const refocus = () => {
      const el = document.querySelector(sel);
      if (el && el.value === String(data.value)) { el.focus(); w.__gsLiveRefocus = false; }
      else if (tries++ < 60) setTimeout(refocus, 100);
    };
    refocus();
  }
}
"""


@functools.cache
def bridge():
    """The release bridge's mount function (registered once per process, on first use: nothing at import)."""
    return st.components.v2.component("growthsim.live_release", js=BRIDGE_JS, isolate_styles=False)


def offered_levers(years: dict) -> list[str]:
    """The levers a preview can drag: every lever the page's projection reads (not the event engine's own, which
    the projection does not read: its preview would be flat), set by one value (one with a year table follows its
    table)."""
    return [pid for pid, p in parameters().items()
            if p.kind == "lever" and pid not in EVENT_PARAMETERS and not years.get(pid)]


def _grid_rows(grid: LeverGrid, indicator: str) -> list[dict]:
    """An indicator's grid runs as rows, each with its neighbours' values (the interpolation's hat function)."""
    g = grid.values
    table = grid.table[grid.table.indicator == indicator]
    rows = []
    for i, v in enumerate(g):
        lo, hi = g[max(i - 1, 0)], g[min(i + 1, len(g) - 1)]
        for r in table[(table.value == v) & table.p50.notna()].itertuples():
            rows.append({"kind": "grid", "g": v, "lo": lo, "hi": hi, "year": int(r.year), **_band_of(r)})
    return rows


def _band_of(r) -> dict[str, float]:
    """A row's quantiles; a band the projection leaves blank (the base year, an assumed path) is the median's
    (Vega would add a blank as 0 when it interpolates)."""
    p50 = float(r.p50)
    return {q: (p50 if math.isnan(float(getattr(r, q))) else float(getattr(r, q))) for q in BAND}


def weight_expression() -> str:
    """Vega's weight of a grid run at the slider's value: 1 at its own value, falling linearly to 0 at its
    neighbours' (so the two runs either side of the slider add up to a linear interpolation)."""
    x = PARAM
    return (f"datum.g == {x} ? 1 : ({x} > datum.lo && {x} < datum.g) ? ({x} - datum.lo) / (datum.g - datum.lo)"
            f" : ({x} > datum.g && {x} < datum.hi) ? (datum.hi - {x}) / (datum.hi - datum.g) : 0")


def _band_layers(x: dict, y: dict, colour: dict, shape: dict, last: int, decimals: int) -> list[dict]:
    """The previewed band, median and its last year's value (the rows' ``key`` names them in the legend)."""
    key = {"field": "key", "type": "nominal"}
    legend = {"symbolStrokeWidth": 2.5}
    return [
        {"mark": {"type": "area", "opacity": 0.18},
         "encoding": {"x": x, "y": {**y, "field": "p10"}, "y2": {"field": "p90"},
                      "color": {**key, "scale": colour, "legend": legend}}},
        {"mark": {"type": "line", "strokeWidth": 2.5, "point": {"filled": True, "size": 22}},
         "encoding": {"x": x, "y": {**y, "field": "p50"}, "color": {**key, "scale": colour, "legend": legend},
                      "shape": {**key, "scale": shape, "legend": legend}}},
    ] + [  # the last year's median, over a white halo so that the band behind it does not cross it
        {"transform": [{"filter": f"datum.year == {last}"}],
         "mark": {"type": "text", "align": "left", "dx": 6, "dy": -8, "fontSize": 12, "fontWeight": 600,
                  "color": MAIN_COLOUR, **halo},
         "encoding": {"x": x, "y": {**y, "field": "p50"}, "text": {"field": "p50", "format": f",.{decimals}f"}}}
        for halo in ({"stroke": "white", "strokeWidth": 3, "strokeJoin": "round"}, {})]


def live_figure(grid: LeverGrid, indicator: str, now, value: float, lang: str, targets=(), probabilities=None,
                readings=None) -> dict:
    """The preview chart: the band at the slider's value (interpolated between the grid's runs, exact at the
    scenario's own value), the scenario as it is (dashed), the targets, and the slider bound under it.

    Parameters
    ----------
    grid : LeverGrid
        The runs across the lever's range.
    indicator : str
        The indicator's id (one of the grid's).
    now : pandas.DataFrame
        The scenario's own projection of the indicator (year and :data:`growthsim.live.BAND`).
    value : float
        The scenario's value of the lever, in its registry unit (the slider starts there).
    lang : str
        ``zh`` or ``en``: every word of the chart.
    targets : sequence of Target
        The indicator's targets, drawn as stars.
    probabilities, readings : mapping, optional
        A target's probability and the scorecard's reading, by target id (as the page's charts).
    """
    p, meta = parameters()[grid.lever], indicators()[indicator]
    unit = meta.unit
    preview, current = t_live("preview", lang), t_live("current", lang)
    now = now[now.p50.notna()].sort_values("year")
    years = [int(y) for y in now.year] + [int(tg.year) for tg in targets]  # every star inside the axis
    lo_year, hi_year = min(years), max(years)
    marks = _target_rows(targets, lang, lo_year, hi_year, probabilities or {}, readings or {}, unit)
    series = [Series(preview, MAIN_COLOUR, now), Series(current, REFERENCE_COLOUR, now, band=False, dash="dash")]
    colour, shape = _legend_scales(series, False, bool(marks), lang)
    x, y = year_axis(lo_year, hi_year), y_axis("p50", unit, unit_in(unit, lang))
    now_rows = [{"kind": "now", "year": int(r.year), **_band_of(r)} for r in now.itertuples()]
    label = json.dumps(preview, ensure_ascii=False)
    band = _band_layers(x, y, colour, shape, int(now.year.max()), unit_decimals(unit))
    interpolated = {"transform": [{"filter": f"datum.kind === 'grid' && {PARAM} != {value!r}"},
                                  {"calculate": weight_expression(), "as": "w"}, {"filter": "datum.w > 0"},
                                  *[{"calculate": f"datum.w * datum.{q}", "as": f"w_{q}"} for q in BAND],
                                  {"aggregate": [{"op": "sum", "field": f"w_{q}", "as": q} for q in BAND],
                                   "groupby": ["year"]},
                                  {"calculate": label, "as": "key"}],
                    "layer": band}
    exact = {"transform": [{"filter": f"datum.kind === 'now' && {PARAM} == {value!r}"},
                           {"calculate": label, "as": "key"}], "layer": band}
    dashed = {"transform": [{"filter": "datum.kind === 'now'"},
                            {"calculate": json.dumps(current, ensure_ascii=False), "as": "key"}],
              "mark": {"type": "line", "strokeWidth": 1.8, "strokeDash": [6, 4]},
              "encoding": {"x": x, "y": {**y, "field": "p50"},
                           "color": {"field": "key", "type": "nominal", "scale": colour},
                           "shape": {"field": "key", "type": "nominal", "scale": shape}}}
    name = indicator_name(meta, lang)
    title = t_live("chart_title", lang, indicator=name, lever=param_label(p, lang))
    targets_drawn = _mark_layers(x, y, colour, shape, lang, marks, points=False)  # stars and words, no points
    out = spec([dashed, interpolated, exact, *targets_drawn], title=title,
               description=live_description(grid, indicator, now, value, lang), height=HEIGHT,
               data={"values": _grid_rows(grid, indicator) + now_rows + marks}, label=title)
    step = 1 if p.integer else p.step
    out["params"] = [{"name": PARAM, "value": value,
                      "bind": {"input": "range", "min": p.lower, "max": p.upper, "step": step,
                               "name": param_label_unit(p, lang) + " "}}]
    return out


def live_description(grid: LeverGrid, indicator: str, now, value: float, lang: str) -> str:
    """The chart's text alternative: the indicator's median in the last year now and at each grid value.

    Parameters
    ----------
    grid : LeverGrid
        The runs across the lever's range.
    indicator : str
        The indicator's id (one of the grid's).
    now : pandas.DataFrame
        The scenario's own projection of the indicator (year and its quantiles).
    value : float
        The scenario's value of the lever, in its registry unit.
    lang : str
        ``zh`` or ``en``.
    """
    p, meta = parameters()[grid.lever], indicators()[indicator]
    last = int(grid.table.year.max())
    at = grid.table[(grid.table.year == last) & (grid.table.indicator == indicator)]
    points = Joined(t_live("point", lang, value=_lever_text(p, v), median=fmt_in_unit(m, meta.unit))
                    for v, m in zip(at.value, at.p50, strict=True)).text(lang)
    median = now[now.year == last].p50
    return t_live("description", lang, indicator=indicator_name(meta, lang), year=last,
                  lever=param_label_unit(p, lang), value=_lever_text(p, value),
                  median=fmt_in_unit(float(median.iloc[0]) if len(median) else math.nan, meta.unit), points=points)


def _lever_text(p: Parameter, v: float) -> str:
    """A lever's value as its slider shows it: whole numbers thousands separated, else as short as it is."""
    return f"{v:,.0f}" if p.integer else f"{v:g}"


def t_live(key: str, lang: str, **fmt: object) -> str:
    """The preview's text ``key`` (the catalogue's ``app.live_<key>``).

    Parameters
    ----------
    key : str
        The text's key after ``live_``.
    lang : str
        ``zh`` or ``en``.
    **fmt
        The template's fields.
    """
    return t(f"live_{key}", lang, **fmt)


def released_value(p: Parameter, value: object) -> float | int | None:
    """The value a released slider sent, as the lever's own slider would hold it; None if it is not a number.

    It comes from the browser: one outside the lever's bounds is brought inside them, and it is put on the
    slider's step (a whole number for a count).

    Parameters
    ----------
    p : Parameter
        The lever (its bounds and step, in its registry unit).
    value : object
        What the browser sent.
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    v = min(max(float(value), p.lower), p.upper)
    v = min(max(p.lower + round((v - p.lower) / p.step) * p.step, p.lower), p.upper)
    return int(round(v)) if p.integer else round(v, 10)


def on_release() -> None:
    """The slider was released: write its value into the scenario, as the lever's own slider would (a value that
    is not a number is ignored)."""
    lever, result = ss.get(K_LEVER), ss.get(K_BRIDGE)
    if lever not in parameters() or result is None:
        return
    v = released_value(parameters()[lever], getattr(result, "value", None))
    if v is not None:
        ss[controls.widget_key(lever, bool(ss.get(controls.W_NUMBER_FIELDS)))] = v


def render(ctx: Ctx, draw_targets) -> None:
    """The preview's switch, and when it is on: the lever and indicator choices, the chart and its note.

    Parameters
    ----------
    ctx : Ctx
        The page's context.
    draw_targets : callable
        ``indicator -> (targets, probabilities, readings)``: the page's marks for an indicator's chart.
    """
    lang = ctx.lang
    st.markdown(f"#### {t_live('title', lang)}")
    # kept under its own key too: a page without the switch drops the widget's state, and the way back found it off
    on = st.toggle(t_live("toggle", lang), value=bool(ss.get(K_KEPT_ON)), key=K_ON, help=t_live("toggle_help", lang),
                   on_change=lambda: ss.__setitem__(K_KEPT_ON, bool(ss.get(K_ON))))
    if not on:
        return
    levers = offered_levers(ss.get(controls.K_YEARS) or {})
    shown = list(chart_sets()["headline"])
    reg = parameters()
    c1, c2 = st.columns(2)
    with c1:
        lever = labelled_choice(st.selectbox, t_live("lever", lang), levers,
                                {pid: param_label_unit(reg[pid], lang) for pid in levers}, key=K_LEVER)
    values = dict(ctx.values)
    value = float(values.get(lever, ctx.defaults[lever]))
    grid = cache.lever_grid(ctx.seed, ctx.through, _without(values, lever), lever, tuple(shown), ctx.draws,
                            ctx.horizon)
    with c2:  # each lever its own choice, starting on the indicator it moves most
        ind = labelled_choice(st.selectbox, t_live("indicator", lang), shown,
                              {i: indicator_name(indicators()[i], lang) for i in shown}, key=f"{K_INDICATOR}_{lever}",
                              index=shown.index(moved_most(grid)))
    now = ctx.summary(compute.EDITED).projection_table
    targets, probabilities, readings = draw_targets(ind)
    chart(live_figure(grid, ind, now[now.indicator == ind], value, lang, targets, probabilities, readings),
          key="chart_live")
    bridge()(data={"param": PARAM, "value": _lever_text(reg[lever], value).replace(",", "")}, key=K_BRIDGE,
             on_value_change=on_release)
    st.caption(t_live("note", lang, n=len(grid.values)))


def _without(values: dict, lever: str) -> tuple:
    """The cache key of the scenario's other values (the grid does not depend on the lever's own)."""
    return values_key({k: v for k, v in values.items() if k != lever})
