"""标定依据 Calibration: the reported figures beside the model's fit, with sources and quotes."""

from __future__ import annotations

import streamlit as st

from .charts import calibration_figure, plotly_config
from .context import Ctx
from .i18n import md_escape
from .sources import document_name, quote_lines, source_names, source_text
from .tables import calibration_label, calibration_table, fitted_table


def render(ctx: Ctx) -> None:
    lang = ctx.lang
    cal = ctx.calibration
    report, reported = cal.report, cal.reported
    st.subheader(ctx.t("page_calibration"))
    st.markdown(ctx.t("cal_intro"))
    st.caption(ctx.t("cal_base", base_year=cal.base_year, through=cal.data_through, n=len(report),
                     fit=int((report.role == "fit").sum())))

    st.markdown(f"#### {ctx.t('cal_table')}")
    lines = quote_lines(reported)
    table = calibration_table(report, reported, lines, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="calibration_table",
                 column_config={ctx.t("col_quote"): st.column_config.TextColumn(width="large"),
                                ctx.t("col_indicator"): st.column_config.TextColumn(width="medium"),
                                ctx.t("col_document"): st.column_config.TextColumn(width="medium"),
                                **{ctx.t(c): st.column_config.NumberColumn(width=96, format="%.8g")
                                   for c in ("col_reported", "col_model", "col_residual", "col_tolerance")}})

    c1, c2 = st.columns([1, 1])
    with c1:
        st.markdown(f"#### {ctx.t('cal_fitted')}")
        st.dataframe(fitted_table(report.attrs.get("fitted", []), lang), hide_index=True, width="stretch")
    with c2:
        st.plotly_chart(calibration_figure(report, lang), config=plotly_config("calibration_residuals"),
                        key="calibration_chart", width="stretch")

    st.markdown(f"#### {ctx.t('cal_sources')}")
    used = sorted(set(reported.source_file))
    names = [n for n in source_names() if n in used] or source_names()
    name = st.selectbox(ctx.t("cal_source_pick"), names, key="cal_source",
                        format_func=lambda n: document_name(n, lang))
    text = source_text(name) or ""
    quoted = reported[reported.source_file == name]
    st.markdown(ctx.t("cal_quotes_in"))
    items = []
    for quote, rows in quoted.groupby("quote", sort=False):
        first = rows.iloc[0]
        line = lines.get((int(first.year), first.indicator))
        where = ctx.t("quote_found", line=line) if line else ctx.t("quote_missing")
        names = "、".join(calibration_label(i, lang) for i in rows.indicator) if lang == "zh" else ", ".join(
            calibration_label(i, lang) for i in rows.indicator)
        colon = "：" if lang == "zh" else ": "
        items.append(f"- **{int(first.year)} · {md_escape(names)}**{colon}“{md_escape(quote)}” — {where}")
    st.markdown("\n".join(items) or "—")
    st.caption(f"{ctx.t('col_file')}: {name}")
    with st.expander(ctx.t("cal_full_text") + f" · {document_name(name, lang)}"):
        st.text(text)
