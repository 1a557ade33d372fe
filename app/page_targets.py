"""目标测算 Target setting: the attainability ladder, candidate targets, what they take, where the gap lies.

The page draws what :mod:`growthsim.target_setting` computes (the numbers of
``growthsim ladder`` with the page's settings): the ladder of the headline
indicators in the horizon year and next year's growth ladder first, then the
full ladder of any year, a target editor (candidates, 测算目标, kept in the
share link as ``m_tg``), each target's probability and place on the ladder,
the curve P(indicator ≥ x) with the targets marked, what a target takes (a
policy package's least intensity), the gap's waterfall and its sentences, and
the split of a city target among the districts (示例 where no source gives a
district's figure). The projection is cached per scenario and setting, so a
changed candidate costs its own search only.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from growthsim import vega
from growthsim.calibration import city as packs
from growthsim.calibration.targets import tracked_targets
from growthsim.candidates import posed_error, resolve_one
from growthsim.errors import UserInputError
from growthsim.i18n import Joined
from growthsim.i18n import text as catalogue_text
from growthsim.presentation import fmt_count_or_number, unit
from growthsim.simulation.indicators import indicators, shown_in
from growthsim.simulation.ladder import RUNGS
from growthsim.simulation.posed import PosedTargetError, parse_posed, posed_target
from growthsim.simulation.scenario import Scenario
from growthsim.target_note import note_bytes
from growthsim.target_report import desk_workbook_bytes
from growthsim.target_setting import (
    TargetDesk,
    exceedance_frame,
    gap_to_target,
    ladder_frame,
    ladder_indicators,
    projection,
    seek_package,
    target_frame,
)
from growthsim.target_split import (
    METHODS,
    add_split_sheet,
    method_label,
    split_city_target,
    split_frame,
    split_note,
    splittable,
)
from growthsim.target_words import (
    gap_sentence,
    indicator_name,
    kind_name,
    lever_columns,
    lever_table_rows,
    package_sentence,
    rung_name,
)

from . import cache
from .charts import MAIN_COLOUR, TARGET_COLOUR, text_in_unit
from .context import Ctx
from .i18n import md_escape
from .i18n import t as ui_t
from .state import values_from_key, values_key
from .ui import chart, labelled_choice

GROWTH = ("above_scale_va_growth", "gdp_real_growth", "mfg_va_growth")
FORMS = ("level", "average", "change", "total")            # shown as targets_page.form_<form>
COMPARATORS = ("at_least", "above", "about", "at_most")    # shown as targets_page.rule_<comparator>
URL_KEY = "m_tg"


def _t(key: str, lang: str, **fmt) -> str:
    """The page's text ``key`` in ``lang``: the catalogue's ``targets_page.<key>``."""
    return catalogue_text(f"targets_page.{key}", lang, **fmt)


@cache.per_city(st.cache_resource(show_spinner=False, max_entries=32))
def _projection(seed: int, through: int | None, key: tuple, draws: int, horizon: int):
    """The scenario's projection (shared, read-only): the numbers ``growthsim ladder`` gives with these settings."""
    cal = cache.calibration(seed, through)
    return projection(cal, Scenario("s", "", "", values=values_from_key(key)), horizon, draws, seed)


@cache.per_city(st.cache_data(show_spinner=False, max_entries=256))
def _answer(seed: int, through: int | None, scen_key: tuple, pkg_key: tuple, compact: str, probability: float,
            draws: int, horizon: int):
    """(package answer, gap) of one target: its least package intensity and its Shapley waterfall (cached)."""
    cal = cache.calibration(seed, through)
    start = Scenario("start", "", "", values=values_from_key(scen_key))
    pkg = Scenario("package", "", "", values=values_from_key(pkg_key))
    t = resolve_one(compact, cal.base_year + 1, horizon)
    try:
        ans = seek_package(cal, start, pkg, [t], probability, draws, seed)
        gap = gap_to_target(cal, start, pkg, t, draws, seed)
    except UserInputError as err:
        return None, None, err.message  # a message: shown in the reader's language
    return ans, gap, None


def _read_url(ctx: Ctx) -> None:
    """First run: the candidates in the link (``m_tg``, compact forms joined by ';'); a bad one is reported."""
    ss = st.session_state
    if ss.get("tg_url_read"):
        return
    ss["tg_url_read"] = True
    raw = st.query_params.get(URL_KEY)
    rows, problems = [], []
    for text in (raw or "").split(";"):
        if not text.strip():
            continue
        try:
            spec = parse_posed(text.strip(), ctx.first_year, ctx.horizon)
        except PosedTargetError as err:
            e = posed_error(err, URL_KEY)
            problems.append(e.text(ctx.lang))
            continue
        rows.append(_row_of(spec))
    ss["tg_base"] = rows     # the editor's input: set from the link or by "add"; the editor's own edits apply on top
    ss["tg_rows"] = rows
    ss["tg_url_problems"] = problems


def _row_of(spec) -> dict:
    m = spec.measure
    return {"indicator": m.indicator, "form": m.form, "start": m.first if m.form != "level" else None,
            "year": m.year, "comparator": spec.comparator, "value": spec.value}


def _compact(row: dict) -> str:
    """A row of the editor as a compact target."""
    period = str(int(row["year"])) if row["form"] == "level" or row.get("start") in (None, "") or \
        pd.isna(row.get("start")) else f"{int(row['start'])}-{int(row['year'])}:{row['form']}"
    sign = {"at_least": ">=", "above": ">", "about": "~", "at_most": "<="}[row["comparator"]]
    return f"{row['indicator']}@{period}{sign}{float(row['value']):g}"


def _candidates(ctx: Ctx) -> list:
    """The editor's rows as posed targets; a wrong row is reported in the page's language and left out."""
    lang = ctx.lang
    ss = st.session_state
    for p in ss.pop("tg_url_problems", []):
        st.error(_t("bad_url", lang) + " " + md_escape(p))
    out = []
    for row in ss.get("tg_rows", []):
        try:
            out.append(posed_target(parse_posed(_compact(row), ctx.first_year, ctx.horizon)))
        except PosedTargetError as err:
            e = posed_error(err, "")
            st.error(_t("bad", lang) + " " + md_escape(e.text(lang)))
        except (KeyError, TypeError, ValueError):
            continue
    ids = [t.id for t in out]
    return [t for i, t in enumerate(out) if t.id not in ids[:i]]


def _name(ind: str, lang: str) -> str:
    return indicator_name(ind, lang)


def _ladder_table(ladder: pd.DataFrame, ids, year: int, lang: str) -> pd.DataFrame:
    """The three rungs of each indicator in one year, formatted at the indicator's precision, with its unit."""
    rows = []
    sub = ladder[(ladder.year == year) & ladder.indicator.isin(list(ids))]
    for r in sub.itertuples(index=False):
        u = indicators()[r.indicator].unit
        rows.append({_t("indicator", lang): _name(r.indicator, lang), _t("unit", lang): unit(u, lang),
                     **{_t(f"rung_{k.key}", lang): fmt_count_or_number(getattr(r, k.key), u) for k in RUNGS}})
    return pd.DataFrame(rows)


def _ladders(ctx: Ctx, ladder: pd.DataFrame) -> None:
    """The page's opening: the headline ladder in the horizon year beside next year's growth ladder, then any year."""
    lang = ctx.lang
    ids = list(dict.fromkeys(ladder.indicator))
    headline = [i for i in ids if i in shown_in("headline")]
    nxt = ctx.first_year + 1 if ctx.first_year + 1 <= ctx.horizon else ctx.first_year
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"#### {_t('headline', lang, y=ctx.horizon)}")
        st.dataframe(_ladder_table(ladder, headline, ctx.horizon, lang), hide_index=True, width="stretch")
    with c2:
        st.markdown(f"#### {_t('growth', lang, y=nxt)}")
        st.dataframe(_ladder_table(ladder, [i for i in GROWTH if i in ids], nxt, lang), hide_index=True,
                     width="stretch")
    with st.expander(_t("full", lang)):
        years = sorted(int(y) for y in ladder.year.unique())
        year = st.select_slider(_t("year", lang), years, value=years[-1], key="tg_year")
        st.dataframe(_ladder_table(ladder, ids, year, lang), hide_index=True, width="stretch")


def _editor(ctx: Ctx, ids: list[str]) -> None:
    """The candidate editor: a table of rows (indicator, form, period, rule, value); kept in the share link."""
    lang = ctx.lang
    ss = st.session_state
    st.markdown(f"#### {_t('editor', lang)}")
    cols = ["indicator", "form", "start", "year", "comparator", "value"]
    frame = pd.DataFrame(ss.get("tg_base", []), columns=cols).astype({"start": "float", "year": "Int64",
                                                                       "value": "Float64"})
    edited = st.data_editor(
        frame, num_rows="dynamic", hide_index=True, width="stretch", key="tg_editor",
        column_config={
            "indicator": st.column_config.SelectboxColumn(_t("indicator", lang), options=ids, required=True,
                                                          format_func=lambda k: _name(k, lang)),
            "form": st.column_config.SelectboxColumn(_t("form", lang), options=list(FORMS), required=True,
                                                     format_func=lambda k: _t(f"form_{k}", lang)),
            "start": st.column_config.NumberColumn(_t("start", lang), min_value=ctx.first_year,
                                                   max_value=ctx.horizon, step=1, format="%d"),
            "year": st.column_config.NumberColumn(_t("year", lang), min_value=ctx.first_year, max_value=ctx.horizon,
                                                  step=1, format="%d", required=True),
            "comparator": st.column_config.SelectboxColumn(_t("comparator", lang), options=list(COMPARATORS),
                                                           required=True,
                                                           format_func=lambda k: _t(f"rule_{k}", lang)),
            "value": st.column_config.NumberColumn(_t("value", lang), required=True, format="%g"),
        })
    rows = [r for r in edited.to_dict("records") if r.get("indicator") and pd.notna(r.get("value"))
            and pd.notna(r.get("year"))]
    for r in rows:
        r["form"] = r.get("form") or "level"
        r["comparator"] = r.get("comparator") or "at_least"
    ss["tg_rows"] = rows
    _quick_add(ctx, ids)


def _quick_add(ctx: Ctx, ids: list[str]) -> None:
    """One line to add a candidate (the editor's table also takes new rows)."""
    lang = ctx.lang
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    ind = labelled_choice(c1.selectbox, _t("indicator", lang), ids, {k: _name(k, lang) for k in ids}, "tg_add_ind")
    year = c2.number_input(_t("year", lang), ctx.first_year, ctx.horizon, ctx.horizon, 1, key="tg_add_year")
    comp = labelled_choice(c3.selectbox, _t("comparator", lang), list(COMPARATORS),
                           {k: _t(f"rule_{k}", lang) for k in COMPARATORS}, "tg_add_cmp")
    value = c4.number_input(_t("value", lang), value=None, key="tg_add_value", format="%g")
    if st.button(_t("add", lang), key="tg_add", icon=":material/add:") and value is not None:
        rows = [*st.session_state.get("tg_rows", []), {"indicator": ind, "form": "level", "start": None,
                                                       "year": int(year), "comparator": comp, "value": float(value)}]
        st.session_state["tg_base"] = st.session_state["tg_rows"] = rows
        st.session_state.pop("tg_editor", None)   # the table starts again from the rows, the new one included
        st.rerun()


def _targets_table(ctx: Ctx, tf: pd.DataFrame, by_id: dict) -> None:
    """Every target the projection covers: published and 测算目标, value, median, probability, rung."""
    lang = ctx.lang
    st.markdown(f"#### {_t('targets', lang)}")
    meta = indicators()  # targets of different units share the median's column: each in its own unit
    rows = [{_t("target", lang): by_id[r.target_id].label(lang), _t("kind", lang): kind_name(bool(r.posed), lang),
             _t("median", lang): text_in_unit(r.p50, meta[by_id[r.target_id].indicator].unit, lang),
             _t("prob", lang): float(r.probability),
             _t("rung", lang): rung_name(r.rung, lang)} for r in tf.itertuples(index=False)]
    frame = pd.DataFrame(rows)
    st.dataframe(frame.style.format({_t("prob", lang): "{:.0%}"}), hide_index=True, width="stretch")


def curve_figure(proj, target, marks: list, lang: str) -> dict:
    """P(measure ≥ x) over the draws (Vega-Lite), the 90/70/50 % rungs as guides and each target marked.

    A candidate target's rule is dashed, a published one solid; the text alternative reads the rungs' values.

    Parameters
    ----------
    proj
        The projection.
    target
        The measure's target (its rule marked).
    marks : list
        The targets marked on the curve.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    curve = exceedance_frame(proj, target.reads)
    name = _name(target.indicator, lang)
    values = [{"kind": "curve", "x": float(x), "p": float(p), "p_text": f"{p:.0%}"}
              for x, p in zip(curve.x, curve.probability, strict=True)]
    values += [{"kind": "rung", "p": r.probability, "label": r.name(lang)} for r in RUNGS]
    values += [{"kind": "target", "x": float(t.value), "posed": bool(getattr(t, "posed", False)),
                "label": t.text(lang) if hasattr(t, "text") else f"{float(t.value):g}"} for t in marks]
    x = {"field": "x", "type": "quantitative", "title": name, "scale": {"zero": False}}
    y = {"field": "p", "type": "quantitative", "title": None, "scale": {"domain": [0, 1.02]},
         "axis": {"format": ".0%", "tickCount": 6}}
    layers = [
        {"transform": [{"filter": "datum.kind === 'curve'"}], "mark": {"type": "line", "strokeWidth": 2.5,
                                                                        "color": MAIN_COLOUR},
         "encoding": {"x": x, "y": y, "tooltip": [{"field": "x", "title": name, "format": ",.1f"},
                                                  {"field": "p_text", "title": _t("prob", lang)}]}},
        {"transform": [{"filter": "datum.kind === 'rung'"}],
         "mark": {"type": "rule", "color": "#767676", "strokeDash": [2, 3]}, "encoding": {"y": y}},
        {"transform": [{"filter": "datum.kind === 'rung'"}],
         "mark": {"type": "text", "align": "left", "dx": 4, "dy": -7, "x": 0, "fontSize": 11, "color": "#444444"},
         "encoding": {"y": y, "text": {"field": "label"}}},
        {"transform": [{"filter": "datum.kind === 'target'"}],
         "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeWidth": 1.5},
         "encoding": {"x": x, "strokeDash": {"field": "posed", "type": "nominal", "legend": None,
                                             "scale": {"domain": [False, True], "range": [[1, 0], [6, 4]]}},
                      "tooltip": [{"field": "label", "title": _t("target", lang)}]}},
    ]
    rungs = Joined(f"{r.name(lang)} {_read_at(curve, r.probability):,.1f}" for r in RUNGS).text(lang)
    return vega.spec(layers, title=None, height=340, data={"values": values},
                     description=f"{_t('curve', lang)} · {name}: {rungs}", label=f"{_t('curve', lang)} · {name}")


def _read_at(curve: pd.DataFrame, probability: float) -> float:
    """The largest x reached with at least ``probability`` on the curve (its rung's value)."""
    ok = curve[curve.probability >= probability]
    return float(ok.x.max()) if len(ok) else float("nan")


def waterfall_figure(gap, lang: str) -> dict:
    """The gap's waterfall (Vega-Lite): the scenario's median, each group's Shapley part, what is left open, the
    target; each bar from the level before it to the level after, its change written on it."""
    att = gap.attribution
    names = [_t("waterfall_start", lang)] + [p.label(lang) for p in att.players] + [_t("left", lang),
                                                                                     _t("target", lang)]
    steps = [float(c) for c in att.contributions] + [float(gap.remainder)]
    rows, level = [{"name": names[0], "lo": 0.0, "hi": float(gap.start_median), "kind": "total",
                    "text": f"{gap.start_median:,.2f}"}], float(gap.start_median)
    for name, step in zip(names[1:-1], steps, strict=True):
        rows.append({"name": name, "lo": level, "hi": level + step, "kind": "up" if step >= 0 else "down",
                     "text": f"{step:+.2f}"})
        level += step
    rows.append({"name": names[-1], "lo": 0.0, "hi": float(gap.target_value), "kind": "total",
                 "text": f"{gap.target_value:,.2f}"})
    # the levels the bars climb through: the axis spans them, not zero to the target (a gap is small beside a level)
    levels = [r["hi"] for r in rows] + [r["lo"] for r in rows[1:-1]]
    lo, hi = min(levels), max(levels)
    pad = 0.15 * (hi - lo) or 0.5
    for r in rows:
        r["lo"] = max(r["lo"], lo - pad)  # a total's bar starts at the axis's foot, not at zero
    x = {"field": "name", "type": "nominal", "sort": None, "title": None, "axis": {"labelAngle": -30,
                                                                                   "labelLimit": 160}}
    y = {"field": "lo", "type": "quantitative", "title": None, "scale": {"domain": [lo - pad, hi + pad], "zero": False}}
    colour = {"field": "kind", "type": "nominal", "legend": None,
              "scale": {"domain": ["total", "up", "down"], "range": [MAIN_COLOUR, "#2e7d32", "#c62828"]}}
    layers = [{"mark": {"type": "bar", "clip": True},
               "encoding": {"x": x, "y": y, "y2": {"field": "hi"}, "color": colour,
                            "tooltip": [{"field": "name", "title": _t("gap", lang)},
                                        {"field": "text", "title": _t("value", lang)}]}},
              {"mark": {"type": "text", "dy": -8, "fontSize": 11, "color": "#333333"},
               "encoding": {"x": x, "y": {"field": "hi", "type": "quantitative"}, "text": {"field": "text"}}}]
    said = Joined(f"{r['name']} {r['text']}" for r in rows).text(lang)
    return vega.spec(layers, title=None, height=380, data={"values": rows}, description=f"{_t('gap', lang)}: {said}",
                     label=_t("gap", lang))


def _takes(ctx: Ctx, target, scen_key, pkg, probability: float) -> None:
    """What the chosen target takes (the package's least intensity) and where its gap comes from."""
    lang = ctx.lang
    if pkg is None:
        return
    with st.spinner("…"):
        ans, gap, err = _answer(ctx.seed, ctx.through, scen_key, values_key(pkg.values), target.id,
                                float(probability), ctx.draws, ctx.horizon)
    if ans is None:
        st.warning(md_escape(err.text(lang)))
        return
    st.session_state.setdefault("tg_answers", {})[target.id] = (ans, gap)
    names = (ctx.title(st.session_state.get("tg_scenario", "baseline")), pkg.title(lang))
    st.markdown(f"#### {_t('takes', lang)}")
    st.markdown(md_escape(package_sentence(ans, names, lang)))
    st.dataframe(pd.DataFrame(lever_table_rows(ans, lang)).rename(columns={k: _t(f"col_{k}", lang)
                                                                           for k in lever_columns(ans)}),
                 hide_index=True, width="stretch")
    st.markdown(f"#### {_t('gap', lang)}")
    chart(waterfall_figure(gap, lang), key="tg_waterfall")
    st.markdown(md_escape(gap_sentence(gap, target, target.reads, names, lang)))


def _split(ctx: Ctx, proj, pool: list) -> None:
    """A city target split among the districts (示例 where a district's figure is illustrative)."""
    lang = ctx.lang
    st.markdown(f"#### {_t('split', lang)}")
    if not packs.active().has_monitoring:  # the districts and their weights live in the pack's monitoring/
        st.info(ui_t("split_no_regions", lang, city=packs.active().name(lang)))
        return
    ahead = [t for t in pool if splittable(t)]
    if not ahead:
        st.info(_t("no_split", lang))
        return
    c1, c2 = st.columns([3, 2])
    by_id = {t.id: t for t in ahead}
    tid = labelled_choice(c1.selectbox, _t("split_pick", lang), list(by_id),
                          {k: t.label(lang) for k, t in by_id.items()}, "tg_split")
    method = c2.segmented_control(_t("method", lang), list(METHODS), default=METHODS[0], required=True,
                                  key="tg_split_method", format_func=lambda k: method_label(k, lang))
    try:
        tab = split_city_target(proj, by_id[tid], method, ctx.seed)
    except UserInputError as err:
        st.warning(md_escape(err.text(lang)))
        return
    st.caption(md_escape(split_note(tab, lang)))
    frame = split_frame(tab, lang)
    d = 1 if tab.split.growth else indicators()[tab.target.indicator].decimals
    cols = list(frame.columns)
    st.dataframe(frame.style.format({cols[1]: "{:.1f}", cols[2]: f"{{:,.{d}f}}", cols[3]: "{:.0%}"}), hide_index=True,
                 width="stretch")
    st.session_state["tg_split_table"] = tab


def _downloads(ctx: Ctx, desk) -> None:
    """The 目标测算 workbook (with the 分解表 when a split is shown) and the Word note, in the page's language."""
    lang = ctx.lang
    tab = st.session_state.get("tg_split_table")
    extra = (lambda wb, used: add_split_sheet(wb, tab, lang, used)) if tab is not None else None
    c1, c2 = st.columns(2)
    # the files are built when a button is pressed (a callable), not on every run of the page
    c1.download_button(_t("xlsx", lang), data=lambda: desk_workbook_bytes(desk, lang, extra), key="tg_xlsx",
                       file_name=_t("xlsx_file", lang),
                       icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c2.download_button(_t("docx", lang), data=lambda: note_bytes(desk, lang, ctx.calibration), key="tg_docx",
                       file_name=_t("docx_file", lang), icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _settings(ctx: Ctx):
    """The scenario laddered, the policy package and the probability asked."""
    lang = ctx.lang
    keys = list(ctx.catalogue)
    c1, c2, c3 = st.columns(3)
    scen_key = labelled_choice(c1.selectbox, _t("scenario", lang), keys, {k: ctx.title(k) for k in keys}, "tg_scenario")
    pkg_opts = ["", *[k for k in keys if k != scen_key]]
    default = pkg_opts.index("intensified") if "intensified" in pkg_opts else 0
    pkg_key = labelled_choice(c2.selectbox, _t("package", lang), pkg_opts,
                              {k: ctx.title(k) if k else _t("no_package", lang) for k in pkg_opts}, "tg_package",
                              index=default)
    probability = c3.slider(_t("probability", lang), 0.5, 0.95, 0.8, 0.05, key="tg_probability", format="%.2f")
    return ctx.catalogue[scen_key], (ctx.catalogue[pkg_key] if pkg_key else None), float(probability)


def render(ctx: Ctx) -> None:
    """Draw the 目标测算 page (see the module's docstring)."""
    lang = ctx.lang
    _read_url(ctx)
    st.subheader(_t("title", lang))
    st.caption(_t("intro", lang))
    scen, pkg, probability = _settings(ctx)
    scen_key = values_key(scen.values)
    proj = _projection(ctx.seed, ctx.through, scen_key, ctx.draws, ctx.horizon)
    ids = ladder_indicators(tracked_targets())
    ladder = ladder_frame(proj, ids)
    _ladders(ctx, ladder)
    _editor(ctx, ids)
    posed = _candidates(ctx)
    ctx.extras["url"] = {URL_KEY: ";".join(t.id for t in posed)} if posed else {}
    pool = list(tracked_targets().values()) + posed
    tf = target_frame(proj, pool)
    by_id = {t.id: t for t in pool}
    _targets_table(ctx, tf, by_id)
    ahead = [by_id[i] for i in tf.target_id]
    if ahead:
        default = next((i for i, t in enumerate(ahead) if getattr(t, "posed", False)), 0)
        chosen = labelled_choice(st.selectbox, _t("pick", lang), [t.id for t in ahead],
                                 {t.id: t.label(lang) for t in ahead}, "tg_pick", index=default)
        target = by_id[chosen]
        st.markdown(f"#### {_t('curve', lang)}")
        marks = [t for t in ahead if t.reads == target.reads]
        chart(curve_figure(proj, target, marks, lang), key="tg_curve")
        _takes(ctx, target, scen_key, pkg, probability)
    _split(ctx, proj, ahead)
    done = {k: v for k, v in st.session_state.get("tg_answers", {}).items() if k in set(tf.target_id)}
    desk = TargetDesk(scen, pkg, pool, ladder, tf, {k: v[0] for k, v in done.items()},
                      {k: v[1] for k, v in done.items()}, ctx.draws, ctx.seed, ctx.horizon, probability, proj)
    _downloads(ctx, desk)
