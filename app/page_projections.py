"""情景预测 Projections: the edited scenario's paths, bands, reported figures, targets and scorecard.

The charts' choice (显示指标 / Show) offers the headline indicators, those
with targets, all, or none: "不显示图表 / No charts" leaves the scorecard, the
tables and the exports, which makes every slider change lighter for the
browser and the server (the figures are neither built nor drawn).
"""

from __future__ import annotations

import streamlit as st

from simulation.indicators import indicators
from calibration.targets import tracked_targets

from . import compute
from .charts import MAIN_COLOUR, REFERENCE_COLOUR, Series, TargetMark, indicator_figure, plotly_config
from .context import Ctx
from .i18n import md_escape
from .state import changed_parameters
from .tables import chart_sets, scorecard, style_scorecard, untracked_targets
from .ui import render_exports

NO_CHARTS = "none"  # the charts choice that shows none (scorecard only)


def render(ctx: Ctx) -> None:
    lang = ctx.lang
    st.subheader(ctx.t("page_projections"))
    st.caption(ctx.t("proj_intro"))
    changed = bool(ctx.values)
    edited = ctx.summary(compute.EDITED)
    base = ctx.summary("baseline") if changed else None
    main_name = ctx.title(compute.EDITED) if changed else ctx.title("baseline")

    # -- what is changed
    changes = changed_parameters(ctx.values, ctx.defaults, ctx.first_year, lang)
    if changes:
        sep = "；" if lang == "zh" else "; "
        items = sep.join(f"{md_escape(label)} {md_escape(old)} → **{md_escape(new)}**" for label, old, new in changes)
        st.info(ctx.t("changes_some", n=len(changes)) + " " + items, icon=":material/edit:")
    else:
        st.caption(ctx.t("changes_none"))

    # -- scorecard first: it is what a slider change should update fastest
    st.markdown(f"#### {ctx.t('scorecard')}")
    card = scorecard(edited.target_table, edited.projection_table, ctx.calibration.reported, lang,
                     ctx.data_through, base.target_table if base is not None else None)
    counts = card.counts()
    st.markdown(ctx.t("scorecard_summary", **counts))
    st.table(style_scorecard(card), hide_index=True)
    st.caption(ctx.t("scorecard_legend"))
    untracked = untracked_targets(lang)
    with st.expander(ctx.t("untracked", n=len(untracked))):
        st.table(untracked, hide_index=True)

    # -- charts
    st.markdown(f"#### {ctx.t('charts')}")
    sets = chart_sets()
    # "No charts" keeps the page to the scorecard: quicker on a slow computer or a shared server.
    which = st.segmented_control(ctx.t("charts_which"), [*sets, NO_CHARTS], default="headline", required=True,
                                 key="charts_which", help=ctx.t("charts_which_help"),
                                 format_func=lambda k: ctx.t(f"charts_{k}", n=len(sets.get(k, ()))))
    ids = sets.get(which, [])
    probs = {r.target_id: r.probability for r in edited.target_table.itertuples()}
    tracked = tracked_targets()
    cols = st.columns(2)
    by_indicator = dict(tuple(edited.projection_table.groupby("indicator", sort=False)))
    base_by_indicator = dict(tuple(base.projection_table.groupby("indicator", sort=False))) if base is not None else {}
    for i, ind in enumerate(ids):
        series = [Series(main_name, MAIN_COLOUR, by_indicator[ind])]
        if base is not None:
            series.append(Series(ctx.title("baseline"), REFERENCE_COLOUR, base_by_indicator[ind], band=False,
                                 dash="dash", width=1.8))
        marks = [TargetMark(tg, probs.get(tid)) for tid, tg in tracked.items()
                 if tg.indicator == ind and tg.year <= ctx.horizon]
        fig = indicator_figure(ind, lang, series, ctx.reported(ind), marks)
        name = f"{indicators()[ind].name(lang)}_{main_name}"
        with cols[i % 2]:
            st.plotly_chart(fig, config=plotly_config(name), key=f"chart_{ind}", width="stretch")

    # -- exports
    keys = ["baseline", compute.EDITED] if changed else ["baseline"]
    render_exports(ctx, keys, "projections")
