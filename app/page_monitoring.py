"""年内监测 In-year monitoring: the year's targets against the months so far.

Region and year are picked at the top; the monthly figures are an editable table
(st.data_editor) validated exactly like the CSV files; every edit rebuilds the report
(:func:`growthsim.monitor.build_report`) and the page draws it: the table (target,
so far, pace needed, probability, status), the cumulative path against the path the
target needs, and the probability's history. Region, year and edited figures live in
the URL (``m_region``, ``m_year``, ``m_edit``) like the other pages' settings.
Illustrative (示例) figures are labelled so wherever they appear.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from growthsim.calibration import city as packs
from growthsim.calibration.monitoring_data import (
    STATUSES,
    MonitoringDataError,
    MonthlyData,
    find_monthly,
    status_name,
)
from growthsim.i18n import Joined, MessageError, Pair
from growthsim.i18n import text as catalogue_text
from growthsim.monitor import (
    GROWTH,
    Bundle,
    MonitorReport,
    annual_prior,
    build_report,
    data_source_text,
    edited_data,
    load_bundle,
    targets_for,
)
from growthsim.monitor_export import ILLUSTRATIVE_BANNER, csv_table, stem, summary_table, workbook_bytes
from growthsim.presentation import publisher_text
from growthsim.simulation.monitoring import INDICATORS, MONTHS
from growthsim.vega import MAIN_COLOUR, REFERENCE_COLOUR, STAR, TARGET_COLOUR, spec, wrap

from . import cache
from .context import Ctx
from .i18n import md_escape, pick
from .i18n import t as ui_t
from .sources import source_note
from .ui import chart, labelled_choice

COLS = ("month", "indicator", "value", "unit", "status")


def _t(key: str, lang: str, **fmt) -> str:
    """The page's text ``key`` in ``lang``: the catalogue's ``monitor_page.<key>``."""
    return catalogue_text(f"monitor_page.{key}", lang, **fmt)


@cache.per_city(st.cache_resource(show_spinner=False))
def _bundle() -> Bundle:
    return load_bundle()


@cache.per_city(st.cache_resource(show_spinner=False, max_entries=32))
def _prior(year: int, indicator: str, record_key: tuple):
    return annual_prior(year, indicator, record=dict(record_key))


def _frame(data) -> pd.DataFrame:
    rows = [] if data is None else [dict(month=r.month, indicator=r.indicator, value=r.value, unit=r.unit,
                                         status=r.status) for r in data.rows]
    return pd.DataFrame(rows, columns=list(COLS)).astype({"month": "Int64", "value": "Float64"})


def _name(indicator: str, lang: str) -> str:
    spec = INDICATORS.get(indicator)
    return indicator if spec is None else (spec[2] if lang == "zh" else spec[3])


def encode_edit(frame: pd.DataFrame) -> str:
    """The edited table as URL text: ``indicator@month=value;...`` in table order."""
    parts = []
    for r in frame.to_dict("records"):
        if r.get("indicator") and not pd.isna(r.get("month")) and not pd.isna(r.get("value")):
            parts.append(f"{r['indicator']}@{int(r['month'])}={float(r['value']):g}")
    return ";".join(parts)


MAX_EDIT_CHARS = 20_000  # every indicator in every month fits in a few KB


class EditError(MessageError):
    """A bad ``m_edit`` part: a catalogue message (monitor_page.edit_...), ``text(lang)`` in the reader's language."""


def _edit_row(part: str) -> dict:
    """One ``indicator@month=value`` part, each piece checked before it becomes a number in a table."""
    shown = repr(part[:80])
    try:
        ind, rest = part.split("@", 1)
        month_text, value_text = rest.split("=", 1)
        value = float(value_text)
    except ValueError:
        raise EditError("monitor_page.edit_form", part=shown) from None
    ind, month_text = ind.strip(), month_text.strip()
    if ind not in INDICATORS:
        raise EditError("monitor_page.edit_indicator", part=shown, name=ind[:40], allowed=list(INDICATORS))
    if not (month_text.isdigit() and len(month_text) <= 2 and 1 <= int(month_text) <= MONTHS):
        raise EditError("monitor_page.edit_month", part=shown, months=MONTHS)
    if not math.isfinite(value) or abs(value) > 1e9:
        raise EditError("monitor_page.edit_value", part=shown)
    return dict(month=int(month_text), indicator=ind, value=value, unit=INDICATORS[ind][1][0], status="edited")


def decode_edit(text: str) -> pd.DataFrame:
    """URL text -> table; raises EditError naming the bad part (a month beyond 1-12 never reaches the table)."""
    if len(text) > MAX_EDIT_CHARS:
        raise EditError("monitor_page.edit_too_long", n=len(text), most=MAX_EDIT_CHARS)
    rows = [_edit_row(part) for part in text.split(";") if part.strip()]
    return pd.DataFrame(rows, columns=list(COLS)).astype({"month": "Int64", "value": "Float64"})


def _read_url(bundle: Bundle, lang: str) -> None:
    """First run: region, year and edits from the URL (each checked; problems shown, defaults kept)."""
    ss = st.session_state
    if ss.get("mon_url_read"):
        return
    ss["mon_url_read"] = True
    q = st.query_params
    problems = []
    region = q.get("m_region")
    if region is not None:
        if region in bundle.regions:
            ss["mon_region"] = region
        else:
            problems.append(_t("bad_region", lang, value=region, allowed=list(bundle.regions)))
    year = q.get("m_year")
    if year is not None:
        reg = ss.get("mon_region", bundle.city)
        allowed = _years(bundle, reg)
        try:
            y = int(year)
            if y not in allowed:
                raise ValueError
            ss["mon_year"] = y
        except ValueError:
            problems.append(_t("bad_year", lang, value=year, allowed=[str(y) for y in allowed]))
    edit = q.get("m_edit")
    if edit is not None:
        try:
            ss["mon_url_edit"] = decode_edit(edit)
        except EditError as exc:
            problems.append(exc.text(lang))
    if problems:
        ss["mon_url_problems"] = problems


def _priors(bundle: Bundle, year: int, region: str) -> dict:
    """The annual model's priors the report of ``region`` in ``year`` needs (cached): growth, and each count."""
    city = bundle.city
    record = tuple(sorted((d.year, d.series(GROWTH)[12].value) for d in bundle.datasets
                          if d.region == city and 12 in d.series(GROWTH) and d.series(GROWTH)[12].usable))
    specs, _ = targets_for(bundle, year, region)
    priors = {GROWTH: _prior(year, GROWTH, record)}
    for s in specs:
        if INDICATORS[s.indicator][0] == "count":
            priors[s.indicator] = _prior(year, s.indicator, ())
    return priors


def city_standing(year: int):
    """The city's in-year monitoring of ``year`` from the shipped monthly figures, or None when none is in the data.

    Returns
    -------
    tuple
        (report or None, the latest year with the city's monthly figures).
    """
    bundle = _bundle()
    city = bundle.city
    latest = max((d.year for d in bundle.datasets if d.region == city), default=year - 1)
    data = find_monthly(bundle.datasets, year, city)
    if data is None:
        return None, latest
    return build_report(bundle, year, city, data, _priors(bundle, year, city)), latest


def _years(bundle: Bundle, region: str) -> list[int]:
    return [y for y in bundle.years(region) if any(targets_for(bundle, y, region))]


def _target_source(r: dict, lang: str) -> str:
    """A target's source as the reader reads it: a seed document by title, a web page by its publisher (in the
    reader's language), date and address."""
    if r.get("target_url"):
        publisher = publisher_text(r["target_publisher"], r.get("target_publisher_zh", ""), lang)
        who = Joined([x for x in (publisher, r.get("target_published", "")) if x], "separator.comma")
        return _t("source_web", lang, who=who, url=r["target_url"])
    return source_note(str(r["target_source"]).removeprefix("calibration/sources/"), lang)


def render(ctx: Ctx) -> None:
    """Draw the monitoring page: a region's monthly figures of a year (editable) and the report on its targets."""
    lang = ctx.lang
    ss = st.session_state
    st.subheader(_t("title", lang))
    st.markdown(_t("intro", lang))
    if not packs.active().has_monitoring:  # a pack without monthly figures (Xiamen's)
        st.info(ui_t("standing_no_monitoring", lang, city=packs.active().name(lang)))
        return
    bundle = _bundle()
    _read_url(bundle, lang)
    for p in ss.pop("mon_url_problems", []):
        st.error(_t("bad_url", lang) + "\n- " + md_escape(p))
    region, year = _region_and_year(bundle, lang)
    base = find_monthly(bundle.datasets, year, region)
    frame = _monthly_editor(base, region, year, lang)
    data = base
    edited = not _same(frame, _frame(base))
    if edited:
        try:
            data = edited_data(frame, base, year, region, bundle.regions)
        except MonitoringDataError as err:
            st.error(_t("bad_table", lang) + "\n\n" + md_escape(err.text(lang)))
            data = ss.get(f"mon_last_{region}_{year}", base)
    ss[f"mon_last_{region}_{year}"] = data

    city = bundle.city
    rep = build_report(bundle, year, region, data, _priors(bundle, year, region))

    url = {"m_region": region, "m_year": str(year)}
    if edited:
        url["m_edit"] = encode_edit(frame)
    ctx.extras["url"] = {k: v for k, v in url.items() if not (k == "m_region" and v == city)}

    st.markdown(f"#### {_t('table', lang)}" + _illustrative(lang, rep.illustrative))
    if not rep.rows:
        st.info(_t("no_targets", lang))
        return
    st.dataframe(summary_table(rep, lang), hide_index=True, placeholder="—", width="stretch", key="mon_table")
    names = {r["target_id"]: (r["target_zh"] if lang == "zh" else r["target_en"]) for r in rep.rows}
    _charts(rep, names, lang)
    _district_shares(rep, lang)
    with st.expander(_t("model", lang)):
        _model_notes(rep, names, lang)
    _downloads(rep, region, year, lang)


def _region_and_year(bundle: Bundle, lang: str) -> tuple[str, int]:
    """The region and year pickers (a year with targets for the region; its default when the pick has none)."""
    ss = st.session_state
    regions = list(bundle.regions)
    c1, c2 = st.columns(2)
    region = labelled_choice(c1.selectbox, _t("region", lang), regions,
                             {r: bundle.regions[r].name(lang) for r in regions}, "mon_region")
    years = _years(bundle, region)
    if ss.get("mon_year") not in years:
        ss["mon_year"] = bundle.default_year(region)
    year = c2.selectbox(_t("year", lang), years, key="mon_year")
    return region, year


def _monthly_editor(base: MonthlyData | None, region: str, year: int, lang: str) -> pd.DataFrame:
    """The year's monthly figures as an editable table (a link's edits first); returns the table as edited."""
    ss = st.session_state
    editor_key = f"mon_editor_{region}_{year}"
    start_key = f"mon_start_{region}_{year}"
    if start_key not in ss:
        url_edit = ss.pop("mon_url_edit", None)
        ss[start_key] = url_edit if url_edit is not None else _frame(base)
    illustrative = base is not None and base.illustrative
    if illustrative:
        st.warning(pick(ILLUSTRATIVE_BANNER, lang))
    with st.expander(_t("data", lang) + _illustrative(lang, illustrative), expanded=False):
        st.caption(_t("data_help", lang))
        # indicator names and statuses shown in the page's language; the table keeps the ids
        return st.data_editor(
            ss[start_key], key=editor_key, num_rows="dynamic", hide_index=True, width="stretch",
            column_config={
                "month": st.column_config.NumberColumn(_t("month", lang), min_value=1, max_value=12, step=1),
                "indicator": st.column_config.SelectboxColumn(
                    ui_t("col_indicator", lang), options=list(INDICATORS), required=True,
                    format_func=lambda k: _name(k, lang)),
                "value": st.column_config.NumberColumn(_t("col_value", lang), format="%.6g"),
                "unit": st.column_config.TextColumn(ui_t("col_unit", lang)),
                "status": st.column_config.SelectboxColumn(
                    catalogue_text("monitor_table.col_status", lang), options=list(STATUSES), disabled=True,
                    format_func=lambda k: status_name(k).text(lang) if k in STATUSES else str(k)),
            })


def _charts(rep: MonitorReport, names: dict[str, str], lang: str) -> None:
    """Each target's path (growth targets first), then every target's probability month by month."""
    growth_ids = [r["target_id"] for r in rep.rows if rep.paths[r["target_id"]]["kind"] == "growth"]
    other_ids = [r["target_id"] for r in rep.rows if rep.paths[r["target_id"]]["kind"] != "growth"]
    st.markdown(f"#### {_t('path', lang)}")
    cols = st.columns(2)
    for i, tid in enumerate(growth_ids + other_ids):
        with cols[i % 2]:
            chart(path_figure(rep.paths[tid], names[tid], lang, rep.illustrative), key=f"mon_path_{tid}")
    hist = rep.history_frame()
    if not hist.empty:
        st.markdown(f"#### {_t('history', lang)}")
        chart(history_figure(hist, names, lang, rep.illustrative), key="mon_history")


def _district_shares(rep: MonitorReport, lang: str) -> None:
    """A district's cumulative figures as shares of the city's targets (nothing for the city itself)."""
    if not rep.shares:
        return
    st.markdown(f"#### {_t('shares', lang)}")
    st.dataframe(pd.DataFrame([{_t("col_city_target", lang): Pair(s["city_target_zh"], s["city_target_en"]).text(lang),
                                _t("col_district_so_far", lang): s["region_so_far"],
                                _t("col_month", lang): s["month"],
                                _t("col_share", lang): f"{s['share']:.0%}"}
                               for s in rep.shares]), hide_index=True, placeholder="—", key="mon_shares")


def _model_notes(rep: MonitorReport, names: dict[str, str], lang: str) -> None:
    """How the report is made: the prior, the error model, the months' weights, notes and every source."""
    st.markdown(f"- {md_escape(rep.prior_label_zh if lang == 'zh' else rep.prior_label_en)}")
    st.markdown("- " + _t("error_model", lang, s=rep.error_fit.scale, years=rep.error_fit.years,
                          pairs=rep.error_fit.pairs))
    wtxt = _t("profile", lang) if rep.weights_from_profile else _t("equal", lang)
    st.markdown(f"- {_t('weights', lang)}: {wtxt} — " + " ".join(
        f"{m}: {w:.1%}" for m, w in enumerate(rep.weights, start=1)))
    for zh, en in rep.notes:
        st.markdown(f"- {md_escape(zh if lang == 'zh' else en)}")
    col = {k: catalogue_text(f"monitor_table.{k}", lang) for k in ("col_target", "src_target_quote",
                                                                    "src_target_source", "src_data_source",
                                                                    "src_data_quote")}
    src = pd.DataFrame([{col["col_target"]: names[r["target_id"]], col["src_target_quote"]: r["target_quote"],
                         col["src_target_source"]: _target_source(r, lang),
                         col["src_data_source"]: data_source_text(r, lang), col["src_data_quote"]: r["data_quote"]}
                        for r in rep.rows])
    st.dataframe(src, hide_index=True, placeholder="—", key="mon_sources")


def _downloads(rep: MonitorReport, region: str, year: int, lang: str) -> None:
    """The report as CSV and as the workbook the command writes (made when the button is pressed)."""
    d1, d2 = st.columns(2)
    d1.download_button(_t("download_csv", lang), data=lambda: csv_table(rep).to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{stem(rep)}_{region}_{year}.csv", mime="text/csv", on_click="ignore",
                       key="mon_csv", icon=":material/download:")
    d2.download_button(_t("download_xlsx", lang), data=lambda: workbook_bytes(rep, lang),
                       file_name=f"{stem(rep)}_{region}_{year}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       key="mon_xlsx", icon=":material/table_view:")


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a[list(COLS[:3])].to_dict("records"), b[list(COLS[:3])].to_dict("records"), strict=True):
        for k in COLS[:3]:
            u, v = x[k], y[k]
            if pd.isna(u) and pd.isna(v):
                continue
            if pd.isna(u) or pd.isna(v):
                return False
            if k == "indicator":
                if u != v:
                    return False
            elif not math.isclose(float(u), float(v)):
                return False
    return True


def _illustrative(lang: str, illustrative: bool) -> str:
    """The mark of made-up figures in the reader's language: '（示例）' or ' (illustrative)'."""
    if not illustrative:
        return ""
    return _t("illustrative_mark", lang)


def path_figure(path: dict, name: str, lang: str, illustrative: bool) -> dict:
    """One target's cumulative figures month by month against what the target needs (Vega-Lite).

    Parameters
    ----------
    path : dict
        The report's path of the target: ``kind`` ("growth" or a level), ``actual`` (the months so far),
        and ``needed`` and ``plan`` (growth), or ``plan`` (cumulative milestones, or None) and ``target``.
    name : str
        The chart's title: the target's name.
    lang : str
        "zh" or "en".
    illustrative : bool
        The figures are illustrative (示例): the title says so.

    Returns
    -------
    dict
        For growth, the path the remaining months need and the target's line; for a level, its milestones,
        or the year-end target as a star.
    """
    rows = [{"month": m, "value": float(v), "key": _t("actual", lang)}
            for m, v in enumerate(path["actual"], start=1) if v is not None and not pd.isna(v)]
    lines = [(_t("actual", lang), MAIN_COLOUR, [1, 0])]
    if path["kind"] == "growth":
        line = _target_line(path, lang)
        for key, vals in ((_t("needed", lang), path["needed"]), (line, path["plan"])):
            rows += [{"month": m, "value": float(v), "key": key} for m, v in enumerate(vals, start=1)
                     if v is not None and not pd.isna(v)]
        lines += [(_t("needed", lang), TARGET_COLOUR, [6, 4]), (line, REFERENCE_COLOUR, [2, 3])]
        unit = "%"
    elif path["plan"] is not None:
        rows += [{"month": m, "value": float(v), "key": _t("schedule", lang)}
                 for m, v in enumerate(path["plan"], start=1) if v is not None and not pd.isna(v)]
        lines.append((_t("schedule", lang), TARGET_COLOUR, [6, 4]))
        unit = ""
    else:
        unit = ""
    domain = [k for k, _, _ in lines]
    x = {"field": "month", "type": "quantitative", "title": _t("month", lang),
         "scale": {"domain": [0.5, MONTHS + 0.5], "nice": False}, "axis": {"values": list(range(1, MONTHS + 1)),
                                                                            "format": "d"}}
    # 12 px of room below and above the data: a target's line at the lowest value was drawn on the x axis itself
    y = {"field": "value", "type": "quantitative", "title": unit or None, "scale": {"zero": False, "padding": 12}}
    colour = {"field": "key", "type": "nominal", "title": None,
              "scale": {"domain": domain, "range": [c for _, c, _ in lines]}}
    layers = [{"transform": [{"filter": {"field": "key", "equal": key}}],
               "mark": {"type": "line", "point": True, "strokeDash": dash},
               "encoding": {"x": x, "y": y, "color": colour,
                            "tooltip": [{"field": "key", "title": " "}, {"field": "month", "title": _t("month", lang)},
                                        {"field": "value", "title": unit or " ", "format": ",.1f"}]}}
              for key, _, dash in lines[1:] + lines[:1]]  # the figures so far drawn last: on top where paths meet
    if path["kind"] != "growth" and path["plan"] is None:
        layers.append({"data": {"values": [{"month": MONTHS, "value": float(path["target"])}]},
                       "mark": {"type": "point", "shape": STAR, "filled": True, "size": 200, "color": TARGET_COLOUR},
                       "encoding": {"x": x, "y": y}})
    last = rows[-1] if rows and rows[-1]["key"] == _t("actual", lang) else next(
        (r for r in reversed(rows) if r["key"] == _t("actual", lang)), None)
    said = _t("path_description", lang, name=name, month=last["month"], value=last["value"], unit=unit) if last \
        else name
    return spec(layers, title=wrap(name + _illustrative(lang, illustrative), 20 if lang == "zh" else 44),
                description=said, height=260, data={"values": rows})


def _target_line(path: dict, lang: str) -> str:
    """The growth target's line in the legend: 目标 at the target's value, or the lowest growth that meets a target
    said with a tolerance ('5.5%左右' is met from 5.0 %, where the line and the path the months need are drawn)."""
    if math.isclose(float(path["threshold"]), float(path["target"])):
        return _t("target_line", lang)
    return _t("target_floor", lang, threshold=float(path["threshold"]))


def history_figure(hist: pd.DataFrame, names: dict, lang: str, illustrative: bool) -> dict:
    """Each target's probability of being reached, month by month (month 0: the prior only); 示例 if illustrative.

    Parameters
    ----------
    hist : pd.DataFrame
        Each target's probability (0-1) after each month.
    names : dict
        Target names by id, in ``lang``.
    lang : str
        ``zh`` or ``en``: the reader's language.
    illustrative : bool
        The figures are made up (示例).
    """
    rows = [{"month": int(r.month), "p": float(r.probability), "target": names.get(r.target_id, r.target_id)}
            for r in hist.itertuples()]
    x = {"field": "month", "type": "quantitative", "title": _t("month", lang),
         "scale": {"domain": [-0.5, MONTHS + 0.5], "nice": False}, "axis": {"values": list(range(0, MONTHS + 1)),
                                                                             "format": "d"}}
    layer = {"mark": {"type": "line", "point": True},
             "encoding": {"x": x, "y": {"field": "p", "type": "quantitative", "title": _t("prob", lang),
                                        "scale": {"domain": [0, 1]}, "axis": {"format": ".0%"}},
                          "color": {"field": "target", "type": "nominal", "title": None},
                          "tooltip": [{"field": "target", "title": _t("prob", lang)},
                                      {"field": "month", "title": _t("month", lang)},
                                      {"field": "p", "title": _t("prob", lang), "format": ".0%"}]}}
    latest = hist.sort_values("month").groupby("target_id").tail(1)
    said = Joined(f"{names.get(r.target_id, r.target_id)} {r.probability:.0%}" for r in latest.itertuples())
    title = _t("history_title", lang, history=_t("history", lang), prior=_t("prior_month", lang),
               mark=_illustrative(lang, illustrative))
    return spec([layer], title=wrap(title, 24 if lang == "zh" else 50),
                description=_t("history_description", lang, title=title, said=said), height=240,
                data={"values": rows})
