"""标定依据 Calibration: the reported figures beside the model's fit, with sources and quotes."""

from __future__ import annotations

import calendar
import re

import streamlit as st

from growthsim.i18n import join, separator
from growthsim.wording import publisher_text

from . import page_backtest
from .charts import calibration_figure
from .context import Ctx
from .i18n import md_escape, t
from .sources import document_name, is_web_source, quote_lines, source_names, source_text
from .tables import calibration_label, calibration_table
from .ui import chart, labelled_choice


def render(ctx: Ctx) -> None:
    """Draw the calibration page: the reported figures beside the model's fit, with their sources and quotes."""
    lang = ctx.lang
    cal = ctx.calibration
    report, reported = cal.report, cal.reported
    st.subheader(ctx.t("page_calibration"))
    st.markdown(ctx.t("cal_intro"))
    st.caption(ctx.t("cal_base", start=cal.start_year, base_year=cal.base_year, through=cal.data_through,
                     n=len(report), fit=weighed_count(report), web=int(reported.source_file.map(is_web_source).sum())))

    st.markdown(f"#### {ctx.t('cal_table')}")
    lines = quote_lines(reported)
    table = calibration_table(report, reported, lines, lang)
    # a blank number (no model value for a context figure) reads "—", not the table widget's grey "None"
    st.dataframe(table, hide_index=True, placeholder="—", width="stretch", key="calibration_table",
                 column_config={ctx.t("col_quote"): st.column_config.TextColumn(width="large"),
                                # English names, units and roles are longer than Chinese ones: wider columns
                                ctx.t("col_indicator"): st.column_config.TextColumn(
                                    width="medium" if lang == "zh" else 260),
                                ctx.t("col_unit"): st.column_config.TextColumn(width=60 if lang == "zh" else 130),
                                ctx.t("col_role"): st.column_config.TextColumn(width=210 if lang == "zh" else 230),
                                # a web figure's publisher and date whole (아주경제 亚洲经济（报道青岛市统计局…）,
                                # 2017-02-03)
                                ctx.t("col_document"): st.column_config.TextColumn(width="large"),
                                **{ctx.t(c): st.column_config.NumberColumn(width=96, format="%.8g")
                                   for c in ("col_reported", "col_model", "col_residual")},
                                ctx.t("col_tolerance"): st.column_config.NumberColumn(width=96, format="%.4g"),
                                ctx.t("col_url"): st.column_config.LinkColumn(width="medium")})

    chart(calibration_figure(report, lang), key="calibration_chart")
    page_backtest.render_prior_posterior(ctx)

    st.markdown(f"#### {ctx.t('cal_sources')}")
    used = sorted(n for n in set(reported.source_file) if not is_web_source(n))
    names = [n for n in source_names() if n in used] or source_names()
    name = labelled_choice(st.selectbox, ctx.t("cal_source_pick"), names, {n: document_name(n, lang) for n in names},
                           "cal_source")
    text = source_text(name) or ""
    quoted = reported[reported.source_file == name]
    st.markdown(ctx.t("cal_quotes_in"))
    items = []
    for quote, rows in quoted.groupby("quote", sort=False):
        first = rows.iloc[0]
        line = lines.get(first.name)  # quote_lines is keyed by the row of `reported`
        where = ctx.t("quote_found", line=line) if line else ctx.t("quote_missing")
        names = join((calibration_label(i, lang) for i in rows.indicator), lang)
        colon = separator("separator.colon", lang)
        items.append(f"- **{int(first.year)} · {md_escape(names)}**{colon}“{md_escape(quote)}” — {where}")
    st.markdown("\n".join(items) or "—")
    with st.expander(ctx.t("cal_full_text") + f" · {document_name(name, lang)}"):
        st.text(text)

    web = reported[reported.source_file.map(is_web_source)]
    if len(web):
        with st.expander(ctx.t("cal_web_sources", pages=web.source_file.nunique(), n=len(web))):
            st.markdown(ctx.t("cal_web_note"))
            st.markdown("\n".join(web_source_lines(web, lang)))


def weighed_count(report) -> int:
    """Figures the calibration weighs (imposed, filtered or in the pre-sample likelihood; a partial-year figure
    where its year has no full-year one); other partial-year figures serve the in-year monitoring, superseded
    vintages and context figures are not used."""
    return int(report.use.isin(["base", "observed", "force"]).sum())


_DOMAIN = re.compile(r"^https?://([A-Za-z0-9.-]+)")


def web_source_lines(web, lang: str) -> list[str]:
    """One Markdown item per web page: publisher, date and link, then each figure taken from it with its quote."""
    colon, sep = separator("separator.colon", lang), separator("separator.comma", lang)
    out = []
    for url, rows in web.groupby("source_file", sort=False):
        first = rows.iloc[0]
        m = _DOMAIN.match(str(url))
        link = f"[{m.group(1)}]({str(url).replace('(', '%28').replace(')', '%29')})" if m else md_escape(url)
        publisher = publisher_text(first.publisher, first.publisher_zh, lang)
        who = sep.join(x for x in (md_escape(publisher), md_escape(first.published)) if x)
        out.append(f"- {who}{sep}{link}")
        for r in rows.itertuples():
            last = str(r.period).split("-")[-1] if r.period else ""
            period = t("through_month", lang, n=last, month=_month(r.period)) if r.period else ""
            out.append(f"    - **{int(r.year)}{md_escape(period)} · {md_escape(calibration_label(r.indicator, lang))}**"
                       f"{colon}“{md_escape(r.quote)}”")
    return out


def _month(period: str) -> str:
    """The English name of a partial year's last month ('1-6' -> 'June')."""
    return calendar.month_name[int(str(period).split("-")[-1])]
