"""情景比较 Compare scenarios: 2–4 scenarios side by side, targets, paths and a difference table.

The default comparison is the baseline, the baseline with the user's changed
assumptions and the policy scenario, so that a change of assumptions is never
read as the effect of policy.
"""

from __future__ import annotations

import streamlit as st

from growthsim.calibration.targets import targets, tracked_targets
from growthsim.scorecard import readings

from . import compute, controls
from .charts import Series, indicator_figure, scenario_colour
from .context import Ctx
from .state import values_key
from .tables import chart_sets, compare_targets, difference_table, style_probabilities
from .ui import HALF_PICTURE_WIDTH, kept_chart, kept_picture, kept_table, let_it_paint, place, render_exports


def render(ctx: Ctx) -> None:
    """Draw the comparison page: the chosen scenarios' targets, paths and differences from a reference scenario."""
    lang = ctx.lang
    st.subheader(ctx.t("page_compare"))
    st.markdown(ctx.t("compare_intro"))
    titles = {k: ctx.title(k) for k in ctx.catalogue}
    chosen = controls.compare_picker(lang, titles, ctx.compare)
    if len(chosen) < 2:
        st.warning(ctx.t("compare_need_two"))
        return
    if compute.EDITED in chosen and not ctx.values:
        st.info(ctx.t("compare_same"), icon=":material/info:")
    summaries = {k: ctx.summary(k) for k in chosen}
    shown = {k: titles[k] for k in chosen}

    st.markdown(f"#### {ctx.t('compare_targets')}")
    table, prob_cols = compare_targets({k: s.target_table for k, s in summaries.items()}, shown, lang,
                                       ctx.data_through)
    st.table(style_probabilities(table, prob_cols, lang), hide_index=True)

    st.markdown(f"#### {ctx.t('charts')}")
    sets = chart_sets()
    c1, c2 = st.columns([3, 1])
    with c1:
        which = st.segmented_control(ctx.t("charts_which"), list(sets), default="headline", required=True,
                                     key="cmp_charts_which",
                                     format_func=lambda k: ctx.t(f"charts_{k}", n=len(sets[k])))
    with c2:
        bands = st.toggle(ctx.t("compare_bands"), key="cmp_bands")
    ids = sets[which]
    tracked = tracked_targets()
    # a reported year's target reads the same in every scenario: its outcome, or the estimate of an unpublished year
    first = summaries[chosen[0]]
    past = {r.target.id: r for r in readings(targets(), first.target_table, first.projection_table, ctx.outcomes(),
                                              ctx.data_through) if r.past}
    cols = st.columns(2)

    def rows(k: str, ind: str):
        return summaries[k].projection_of(ind)

    def build(ind: str) -> dict:
        series = [Series(shown[k], scenario_colour(k, j), rows(k, ind), band=bands,
                         dash="dash" if k == "baseline" else "solid") for j, k in enumerate(chosen)]
        marks = [tg for tg in tracked.values() if tg.indicator == ind and tg.year <= ctx.horizon]
        return indicator_figure(ind, lang, series, ctx.reported(ind), marks, readings=past)

    # what the charts are built from: each compared scenario's values (an upload or a saved file may change under
    # its key), their titles and order, the bands, the run settings and the language
    inputs = (lang, tuple(chosen), tuple(shown[k] for k in chosen),
              tuple(values_key(ctx.catalogue[k].values) for k in chosen), ctx.seed, ctx.through, ctx.draws,
              ctx.horizon)
    # Drawn afresh (a page switch), each chart's kept picture goes out before the charts and a pause: the browser
    # then draws the page down to the pictures on its own, not with the charts and the tables below (:mod:`app.ui`)
    places, pictured = [], False
    for i, ind in enumerate(ids):
        with cols[i % 2]:
            into, slot = place(f"cmp_chart_{ind}")
        if ctx.fresh:
            with slot:
                pictured |= kept_picture(f"cmp_chart_{ind}", (*inputs, bands, ind), lambda ind=ind: build(ind),
                                         HALF_PICTURE_WIDTH, first_screen=False)
        places.append(into)
    if pictured:
        let_it_paint()
    for into, ind in zip(places, ids, strict=True):
        with into:
            kept_chart(f"cmp_chart_{ind}", (*inputs, bands, ind), lambda ind=ind: build(ind))

    st.markdown(f"#### {ctx.t('diff_table')}")
    ref = controls.pick_reference(lang, chosen, shown)
    st.caption(ctx.t("diff_caption"))
    diff = kept_table(("difference", *inputs, ref, ctx.first_year), lambda: difference_table(
        {k: s.projection_table for k, s in summaries.items()}, ref, shown, lang, ctx.first_year))
    st.dataframe(diff, hide_index=True, placeholder="—", width="stretch")

    render_exports(ctx, list(chosen), "compare")
