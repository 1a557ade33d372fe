"""情景预测 Projections: the edited scenario's paths, bands, reported figures, targets and scorecard.

The first screen (1440×900) holds the three headline charts (share, firms,
growth) and a compact scorecard of the targets still ahead, so a slider move
visibly redraws the path. Below: the full scorecard (every target by year, its
rule as written and as the model reads it, gap with its unit, reported years'
outcomes), the other charts, and the exports.

The charts' choice (显示指标 / Show) offers the headline indicators, those
with targets, all, or none: "不显示图表 / No charts" leaves the scorecard, the
tables and the exports, which makes every slider change lighter for the
browser and the server (the figures are neither built nor drawn).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from growthsim.calibration import city as packs
from growthsim.calibration.targets import targets, tracked_targets
from growthsim.i18n import Joined
from growthsim.monitor import status_text
from growthsim.scorecard import assumption_flag, level, thresholds
from growthsim.wording import target_label

from . import compute, live, style
from .charts import MAIN_COLOUR, REFERENCE_COLOUR, Series, indicator_figure
from .context import Ctx
from .i18n import md_escape, t
from .page_monitoring import city_standing
from .state import changed_parameters, values_key
from .tables import chart_sets, scorecard, style_scorecard, untracked_targets
from .ui import kept_chart, kept_picture, let_it_paint, place, render_exports

NO_CHARTS = "none"  # the charts choice that shows none (scorecard only)
TOP = 3             # headline charts on the first screen
TOP_HEIGHT = 270


K_OPEN_REVIEW = "gs_open_review"        # the 14th plan's review box: its table drawn only while open
K_OPEN_UNTRACKED = "gs_open_untracked"  # the box of targets the model does not carry: likewise

CARD_KEY = "gs_card_"  # each card's container key: gs_card_<colour>_<target id> (class st-key-gs_card_...)


def _render_cards(card, lang: str) -> None:
    """The compact scorecard as Streamlit's own containers and Markdown (no HTML): one card per target ahead.

    Plain Markdown, not HTML, so a new session's browser draws the cards with the renderer it already has for
    the title, without first fetching the HTML parser (rehype-raw) behind the widgets' and charts' code. A card
    says its standing in words and a sign as well as by its colour (▲ likely, ◆ possible, ▼ unlikely).
    """
    all_t = targets()
    with st.container(key="gs_cards", gap="small"):
        for tid, p, past, driven in zip(card.target_ids, card.probabilities, card.past, card.driven, strict=True):
            if past:
                continue
            colour = "grey" if driven else level(p)
            median = card.frame.iloc[card.target_ids.index(tid)][t("col_p50", lang)]
            flag = f" · {assumption_flag(lang)}" if driven else ""
            with st.container(key=f"{CARD_KEY}{colour}_{tid}"):
                st.markdown(f"**{'—' if driven else f'{p:.0%}'}** {md_escape(t(f'level_{colour}', lang))} · "
                            f"{md_escape(target_label(all_t[tid], lang))}  \n"
                            f"{md_escape(t('col_p50', lang))} {md_escape(median)}{md_escape(flag)}")


def _headline_places(top: list[str], draw, ctx: Ctx) -> tuple[list, bool]:
    """The headline charts' places, one column each, for the charts to be drawn into; and whether any got its
    picture.

    When the page is drawn afresh each place gets its chart's picture now (:func:`app.ui.kept_picture`), before
    the pause that lets the cards paint: the browser draws the pictures with the cards (nothing above them moves
    later), and each chart, drawn into the place when Vega has drawn it, takes over from its picture (the page
    style hides the picture then). A session's first run makes the pictures it lacks (its browser has no Vega
    yet); a page switch shows those kept and has the others made for the next time.
    """
    if not top:
        return [], False
    places, shown = [], False
    for col, ind in zip(st.columns(len(top)), top, strict=True):
        with col:
            into, slot = place(f"chart_{ind}")
        if ctx.fresh:
            with slot:
                shown |= draw(ind, TOP_HEIGHT, legend=False, picture=True, first_screen=ctx.first_run)
        places.append(into)
    return places, shown


def _render_changes(ctx: Ctx) -> None:
    """What the edited scenario changes, parameter by parameter (or that it is the baseline)."""
    lang = ctx.lang
    changes = changed_parameters(ctx.values, ctx.defaults, ctx.first_year, lang)
    if changes:
        items = Joined(f"{md_escape(label)} {md_escape(old)} → **{md_escape(new)}**" for label, old, new in changes
                       ).text(lang)
        st.info(ctx.t("changes_some", n=len(changes)) + " " + items, icon=":material/edit:")
    else:
        st.caption(ctx.t("changes_none") + " " + ctx.t("proj_intro"))


def _render_standing(ctx: Ctx) -> None:
    """This year's standing from the in-year monitoring, one line a target (or that no month is in the data yet)."""
    year = ctx.first_year
    head = f"**{ctx.t('standing_title', year=year)}** · "
    if not packs.active().has_monitoring:  # a pack without monthly figures (Xiamen's)
        st.markdown(head + md_escape(ctx.t("standing_no_monitoring", city=packs.active().name(ctx.lang))))
        return
    rep, latest = city_standing(year)
    link = f"[{ctx.t('standing_link')}](?page=monitoring)"
    if rep is None or not rep.rows:
        st.markdown(head + md_escape(ctx.t("standing_none", year=year, last=latest)) + " " + link)
        return
    lines = [ctx.t("standing_row", target=md_escape(r["target_zh"] if ctx.lang == "zh" else r["target_en"]),
                   month=rep.month, so_far=md_escape(f"{r['so_far']:,.1f}{r.get('unit', '')}"),
                   status=md_escape(status_text(r["status"], ctx.lang)) if r.get("status") in STATUS_KEYS else "—")
             for r in rep.rows]
    st.markdown(head + link + "\n" + "\n".join(f"- {x}" for x in lines))


def _render_scorecards(ctx: Ctx, card, ahead: list[bool]) -> None:
    """The scorecard of the targets ahead, then the finished ones folded into the 14th plan's review, then the
    targets the model does not carry.

    The two folded tables are drawn only while open (Streamlit's lazy expander: opening one reruns the page's
    fragment). Drawn closed at every lever step, the review's styled table was ~20 ms of the step's server work
    (py-spy) and a table more for the browser to lay out, for a box a planner opens now and then.
    """
    st.markdown(f"#### {ctx.t('ahead_table')}")
    with st.container(key="scorecard"):
        st.table(style_scorecard(card, ahead), hide_index=True)
    st.caption(" ".join([ctx.t("scorecard_legend"), ctx.t("about_rule")]
                        + ([ctx.t("assumption_driven_note")] if any(card.driven) else [])))
    past_years = [r.target.year for r in card.readings if r.past]
    if past_years:
        first, last = min(past_years), max(past_years)
        years = str(first) if first == last else f"{first}–{last}"  # one year is not a range ("2021–2021")
        review = st.expander(ctx.t("review_title", years=years, n=len(past_years)), key=K_OPEN_REVIEW,
                             on_change="rerun")
        with review:
            if review.open:
                with st.container(key="scorecard_review"):
                    st.table(style_scorecard(card, [not a for a in ahead]), hide_index=True)
                st.caption(ctx.t("reported_note"))
    untracked = untracked_targets(ctx.lang)
    others = st.expander(ctx.t("untracked", n=len(untracked)), key=K_OPEN_UNTRACKED, on_change="rerun")
    with others:
        if others.open:
            st.table(untracked, hide_index=True)


def _chart_drawer(ctx: Ctx, edited, base, main_name: str, marks_of) -> Callable[..., None]:
    """The page's chart drawer, ``draw(indicator, height=330, legend=True, picture=False, first_screen=True)``: one
    indicator's chart, kept per what it shows (:func:`app.ui.kept_chart`), built from the summaries only when it is
    not; with ``picture``, the chart's stand-in picture (:func:`app.ui.kept_picture`, for a session's
    ``first_screen`` or a page switch). Returns whether it drew.

    Parameters
    ----------
    ctx : Ctx
        The page's context.
    edited : compute.Summary
        The edited scenario's summary tables.
    base : compute.Summary | None
        The baseline's, drawn beside the edited scenario when it has changes; else None.
    main_name : str
        The main line's name.
    marks_of : callable
        ``indicator -> (targets, probabilities, readings)``: the chart's target marks.
    """
    lang = ctx.lang
    # what every chart of the page is built from: the edited scenario (the baseline beside it when changed), the
    # run settings, the language and the lines' names
    inputs = (lang, main_name, ctx.title("baseline"), values_key(ctx.values), ctx.seed, ctx.through, ctx.draws,
              ctx.horizon)

    def rows(summary, ind: str):
        return summary.projection_of(ind)

    def build(ind: str, height: int, legend: bool) -> dict:
        series = [Series(main_name, MAIN_COLOUR, rows(edited, ind))]
        if base is not None:
            series.append(Series(ctx.title("baseline"), REFERENCE_COLOUR, rows(base, ind), band=False,
                                 dash="dash", width=1.8))
        marks, probs, read = marks_of(ind)
        return indicator_figure(ind, lang, series, ctx.reported(ind), marks, height=height, legend=legend,
                                probabilities=probs, readings=read)

    def draw(ind: str, height: int = 330, legend: bool = True, picture: bool = False,
             first_screen: bool = True) -> bool:
        key, kept, make = f"chart_{ind}", (*inputs, ind, height, legend), lambda: build(ind, height, legend)
        if picture:
            return kept_picture(key, kept, make, first_screen=first_screen)
        kept_chart(key, kept, make)
        return True

    return draw


STATUS_KEYS = ("met", "likely", "possible", "unlikely", "missed", "unknown", "no_data", "behind", "on_schedule")


def render(ctx: Ctx) -> None:
    """Draw the projections page: the targets ahead first (cards, this year's standing), the headline charts, the
    scorecard of the targets ahead, the 14th plan's review, the other charts and the exports."""
    lang = ctx.lang
    changed = bool(ctx.values)
    edited = ctx.summary(compute.EDITED)
    base = ctx.summary("baseline") if changed else None
    main_name = ctx.title(compute.EDITED) if changed else ctx.title("baseline")
    card = scorecard(edited.target_table, edited.projection_table, ctx.outcomes(), lang,
                     ctx.data_through, base.target_table if base is not None else None)
    style.inject_card_labels(list(card.frame.columns))

    sets = chart_sets()
    which = st.session_state.get("charts_which") or "headline"
    probs = {r.target_id: r.probability for r in edited.target_table.itertuples()}
    read = {r.target.id: r for r in card.readings}
    tracked = tracked_targets()

    def marks_of(ind: str) -> tuple[list, dict, dict]:
        marks = sorted((tg for tg in tracked.values() if tg.indicator == ind and tg.year <= ctx.horizon),
                       key=lambda tg: tg.year)
        return marks, probs, read

    draw = _chart_drawer(ctx, edited, base, main_name, marks_of)

    # -- first screen: what is still open. The cards of the targets ahead come first (before the charts in the
    # page and in the keyboard order; on a phone they fill the first screen), then this year's standing, then the
    # headline charts. Cards are plain Markdown in keyed containers (no HTML parser to fetch).
    ahead = [not p for p in card.past]
    st.markdown(f"#### {ctx.t('ahead_title', first=ctx.first_year, last=ctx.horizon)}")
    counts = card.counts()
    if any(ahead):
        st.markdown(ctx.t("scorecard_summary", **counts, **thresholds()))
        _render_cards(card, lang)
    else:
        st.info(ctx.t("ahead_none", first=ctx.first_year, last=ctx.horizon), icon=":material/flag:")
    top = [] if which == NO_CHARTS else list(sets["headline"][:TOP])
    _render_standing(ctx)
    places, pictured = _headline_places(top, draw, ctx)
    if ctx.first_run or pictured:
        let_it_paint()
    for into, ind in zip(places, top, strict=True):
        with into:
            draw(ind, TOP_HEIGHT, legend=False)

    _render_changes(ctx)
    if which != NO_CHARTS:
        live.render(ctx, marks_of)

    _render_scorecards(ctx, card, ahead)

    # -- the other charts
    st.markdown(f"#### {ctx.t('charts')}")
    which = st.segmented_control(ctx.t("charts_which"), [*sets, NO_CHARTS], default="headline", required=True,
                                 key="charts_which", help=ctx.t("charts_which_help"),
                                 format_func=lambda k: ctx.t(f"charts_{k}", n=len(sets.get(k, ()))))
    rest = [i for i in sets.get(which, []) if i not in top]
    cols = st.columns(2)
    for i, ind in enumerate(rest):
        with cols[i % 2]:
            draw(ind)

    # -- exports
    keys = ["baseline", compute.EDITED] if changed else ["baseline"]
    render_exports(ctx, keys, "projections")
