"""达成条件 What it takes: the lever settings that meet targets with a chosen probability.

The same search as ``growthsim seek`` (growthsim.explore.seek): every candidate
uses the run's seed (common random numbers), so the probability shown for an
answer is exactly what the projection page shows for that lever value. Results
are cached per (seed, data, scenario, targets, levers, probability, draws).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from growthsim.calibration.targets import tracked_targets
from growthsim.errors import UserInputError
from growthsim.explore.common import DEFAULT_PROBABILITY, csv_bytes, fmt_value, projected_targets
from growthsim.explore.seek import Unreachable, frontier_direction, result_tables, seek
from growthsim.i18n import Joined
from growthsim.i18n import text as catalogue_text
from growthsim.settings import DRAWS
from growthsim.simulation.batch import used_parameters
from growthsim.simulation.registry import levers, parameters
from growthsim.simulation.scenario import Scenario
from growthsim.vega import spec, wrap
from growthsim.wording import named_text, param_label, target_label, unit

from . import cache
from .charts import MAIN_COLOUR, Series, indicator_figure
from .context import Ctx
from .i18n import t as ui_t
from .state import values_from_key, values_key
from .ui import chart, labelled_choice, scenario_file

MAX_DRAWS = DRAWS["app_seek"].most   # the settings' limit for the page's search (growthsim.settings.DRAWS)



def _t(key: str, lang: str, **fmt) -> str:
    """The page's text ``key`` in ``lang``: the catalogue's ``seek_page.<key>``."""
    return catalogue_text(f"seek_page.{key}", lang, **fmt)


@cache.per_city(st.cache_data(show_spinner=False, max_entries=256))
def _seek_cached(seed: int, through: int | None, scen_key: tuple, scen_title: tuple[str, str], target_ids: tuple,
                 lever_ids: tuple, probability: float, draws: int, from_year: int | None, joint: bool,
                 points: int, horizon: int):
    """(result, tables, error): the search, or the user-facing reason it has no answer."""
    cal = cache.calibration(seed, through)
    scenario = Scenario("scenario", scen_title[0], scen_title[1], values=values_from_key(scen_key))
    reg, tgt = parameters(), tracked_targets()
    try:
        res = seek(cal, scenario, [tgt[t] for t in target_ids], [reg[lv] for lv in lever_ids], probability, draws,
                   seed, from_year, joint, None, points, scenario_ref="SCENARIO.toml", horizon=horizon)
    except Unreachable as err:  # an answer: no lever value within the bounds is enough
        return None, None, ("unreachable", err.message)
    except UserInputError as err:
        return None, None, ("error", err.message)
    return res, result_tables(res), res.failure


def render(ctx: Ctx) -> None:
    """Draw the what-it-takes page: the lever settings that meet the chosen targets with the chosen probability."""
    lang = ctx.lang
    st.subheader(_t("title", lang))
    st.caption(_t("intro", lang))
    cal = ctx.calibration
    # targets in projected years within the app's horizon (a reported year's target is history, shown on the
    # scorecard): the search projects to the horizon, as the projections page does
    tgts = {t.id: t for t in projected_targets(cal.base_year, ctx.horizon)}
    if not tgts:
        st.info(_t("no_targets", lang, first=cal.base_year + 1, last=ctx.horizon))
        return
    used = used_parameters(cal.base, cal.posterior, ctx.horizon)
    lever_ids = [k for k in levers() if k in used]

    c1, c2 = st.columns([3, 2])
    with c1:
        # default: the first tracked target after the calibration's last year (gdp_growth_2026 today)
        chosen = labelled_choice(st.multiselect, _t("targets", lang), list(tgts),
                                 {k: target_label(tgts[k], lang) for k in tgts}, "seek_targets",
                                 default=[next(iter(tgts))], placeholder=ui_t("choose", lang), select_all=0)
    with c2:
        probability = st.slider(_t("probability", lang), 0.05, 0.99, DEFAULT_PROBABILITY, 0.01, key="seek_probability",
                                format="%.2f")
    mode = st.segmented_control(_t("mode", lang), ["one", "two", "each"], default="one", required=True,
                                key="seek_mode", format_func=lambda k: _t(k, lang))
    chosen_levers, base_key = _levers_and_scenario(ctx, mode, lever_ids)
    c1, c2, c3 = st.columns(3)
    last_year = max((tgts[k].year for k in chosen), default=ctx.first_year)
    with c1:
        years = list(range(ctx.first_year, last_year + 1))
        from_year = st.selectbox(_t("from_year", lang), years, index=0, key="seek_from_year")
    with c2:
        joint = st.toggle(_t("joint", lang), key="seek_joint", disabled=len(chosen) < 2)
    with c3:
        points = st.slider(_t("points", lang), 3, 21, 9, 1, key="seek_points", disabled=mode != "two")
    draws = min(ctx.draws, MAX_DRAWS)
    if ctx.draws > MAX_DRAWS:
        st.caption(_t("draws_note", lang, n=MAX_DRAWS))
    if not chosen:
        st.info(_t("need_target", lang))
        return
    if mode == "two" and chosen_levers[0] == chosen_levers[1]:
        st.warning(_t("same_lever", lang))
        return

    scen = ctx.catalogue[base_key]
    with st.spinner(_t("searching", lang)):
        res, tables, error = _seek_cached(ctx.seed, ctx.through, values_key(scen.values),
                                          (scen.title_zh, scen.title_en), tuple(chosen), tuple(chosen_levers),
                                          float(probability), draws, None if from_year == ctx.first_year else from_year,
                                          bool(joint and len(chosen) > 1), int(points), int(ctx.horizon))
    if res is None:
        kind, said = error
        (st.warning if kind == "unreachable" else st.error)(named_text(said, lang, ids=False))
        return
    _show_answer(ctx, res, tables, error, base_key)


def _levers_and_scenario(ctx: Ctx, mode: str, lever_ids: list[str]) -> tuple[list[str], str]:
    """The lever pickers (one, or two for a frontier; none for each lever in turn) and the starting scenario."""
    lang = ctx.lang
    reg = parameters()

    def label(k: str) -> str:
        return catalogue_text("value.name_aside", lang, name=param_label(reg[k], lang), aside=unit(reg[k].unit, lang))
    labels = {k: label(k) for k in lever_ids}
    c1, c2, c3 = st.columns(3)
    chosen_levers: list[str] = []
    with c1:
        if mode in ("one", "two"):
            chosen_levers.append(labelled_choice(st.selectbox, _t("lever", lang), lever_ids, labels, "seek_lever",
                                                 index=lever_ids.index("key_firm_growth")))
    with c2:
        if mode == "two":
            chosen_levers.append(labelled_choice(st.selectbox, _t("lever2", lang), lever_ids, labels, "seek_lever2",
                                                 index=lever_ids.index("incremental_projects")))
    with c3:
        titles = {k: ctx.title(k) for k in ctx.catalogue}
        base_key = labelled_choice(st.selectbox, _t("scenario", lang), list(titles), titles, "seek_scenario")
    return chosen_levers, base_key


def _show_answer(ctx: Ctx, res, tables: dict, error, base_key: str) -> None:
    """The search's answer: today's probabilities, the answer as its mode draws it, the command and the CSV."""
    lang = ctx.lang
    now = Joined(f"{target_label(t, lang)} {res.current.probability(i):.1%}" for i, t in enumerate(res.targets))
    st.caption(catalogue_text("value.labelled", lang, label=_t("now", lang), value=now))
    if res.mode == "single":
        _single(res, lang)
    elif res.mode == "frontier":
        _frontier(res, lang)
    else:
        _table(res, lang)
        if error:
            st.warning(named_text(error, lang, ids=False))
    if res.command:
        st.caption(_t("reproduce", lang))
        st.code(res.command.replace("SCENARIO.toml", scenario_file(ctx, base_key) or "SCENARIO.toml"),
                language="bash")
    st.download_button(_t("download", lang), data=csv_bytes(tables["solutions"], "%.10g"),
                       file_name="seek_solutions.csv", mime="text/csv", key="seek_download",
                       icon=":material/download:")


def _single(res, lang: str) -> None:
    s = res.solutions[0]
    p = parameters()[s.lever]
    if s.status == "no_effect":
        st.info(_t("no_effect", lang))
        return
    sign = "≤" if s.direction == "down" else "≥"
    score = s.point.joint_probability if res.joint else min(s.point.met) / s.point.draws
    c1, c2, c3 = st.columns(3)
    c1.metric(_t("required", lang), f"{sign} {fmt_value(p, s.value)} {unit(p.unit, lang)}")
    c2.metric(_t("achieved", lang), f"{score:.1%}")
    c3.metric(param_label(p, lang), f"{fmt_value(p, res.scenario_values[s.lever])} {unit(p.unit, lang)}",
              help=_t("now", lang))
    st.markdown(_t("hurts" if s.direction == "down" else "helps", lang))
    if s.status == "met_at_bound":
        st.caption(_t("status_met_at_bound", lang))
    if s.neighbour is not None:
        nv = dict(s.neighbour.values)[s.lever]
        nscore = s.neighbour.joint_probability if res.joint else min(s.neighbour.met) / s.neighbour.draws
        st.caption(_t("neighbour", lang, v=fmt_value(p, nv), p=f"{nscore:.1%}"))
    for note in s.notes:
        st.warning(named_text(note, lang, ids=False))
    st.markdown(f"#### {_t('path', lang)}")
    cols = st.columns(2)
    for i, ind in enumerate(dict.fromkeys(t.indicator for t in res.targets)):
        frame = res.paths[res.paths.indicator == ind][["year", "p10", "p50", "p90"]]
        marks = [t for t in res.targets if t.indicator == ind]
        fig = indicator_figure(ind, lang, [Series(f"{param_label(p, lang)} = {fmt_value(p, s.value)}", MAIN_COLOUR,
                                                  frame)],
                               None, marks, probabilities={t.id: s.point.probability(j)
                                                           for j, t in enumerate(res.targets)})
        with cols[i % 2]:
            chart(fig, key=f"seek_path_{ind}")


def _frontier(res, lang: str) -> None:
    reg = parameters()
    a, b = res.levers
    pa, pb = reg[a], reg[b]
    rows = []
    for s in res.solutions:
        ok = s.status in ("met", "met_at_bound")
        pt = s.point if ok else s.best
        score = pt.joint_probability if res.joint else min(pt.met) / pt.draws
        rows.append({param_label(pa, lang): s.context[a],
                     param_label(pb, lang): s.value if ok else None,
                     _t("col_prob", lang): score,
                     _t("col_note", lang): "" if ok else _t("no_effect" if s.status == "no_effect" else "cannot",
                                                            lang)})
    frame = pd.DataFrame(rows)
    st.markdown(f"#### {_t('frontier', lang)}")
    st.caption(_t("frontier_caption", lang, a=param_label(pa, lang), b=param_label(pb, lang)) + " "
               + _t({"down": "hurts", "none": "none"}.get(frontier_direction(res), "helps"), lang))
    reached = frame.dropna(subset=[param_label(pb, lang)])
    chart(frontier_figure(reached, pa, pb, lang), key="seek_frontier")
    shown = {_t("col_prob", lang): "{:.1%}",  # the levers at their own precision (a count whole), not 149.000000
             param_label(pa, lang): lambda v: fmt_value(pa, v),
             param_label(pb, lang): lambda v: "—" if v != v else fmt_value(pb, v)}
    st.dataframe(frame.style.format(shown, na_rep="—"), hide_index=True, placeholder="—", width="stretch")


def frontier_figure(reached: pd.DataFrame, pa, pb, lang: str) -> dict:
    """The two-lever frontier (Vega-Lite): the second lever's value needed at each value of the first.

    Parameters
    ----------
    reached : pd.DataFrame
        The frontier's points: the two levers' values (registry units) where the target is met.
    pa
        The first lever's registry entry.
    pb
        The second lever's registry entry.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    a, b = param_label(pa, lang), param_label(pb, lang)
    rows = [{"a": float(x), "b": float(y), "a_text": fmt_value(pa, x), "b_text": fmt_value(pb, y)}
            for x, y in zip(reached[a], reached[b], strict=True)]
    layer = {"mark": {"type": "line", "point": True, "color": MAIN_COLOUR, "strokeWidth": 2.5},
             "encoding": {"x": {"field": "a", "type": "quantitative", "title": f"{a} ({unit(pa.unit, lang)})",
                                "scale": {"zero": False}},
                          "y": {"field": "b", "type": "quantitative", "title": wrap(f"{b} ({unit(pb.unit, lang)})", 30),
                                "scale": {"zero": False}},
                          "tooltip": [{"field": "a_text", "title": a}, {"field": "b_text", "title": b}]}}
    alt = _t("frontier_description", lang, a=a, b=b, n=len(rows))
    return spec([layer], title=None, description=alt, height=360, data={"values": rows}, label=f"{a} · {b}")


def _table(res, lang: str) -> None:
    reg = parameters()
    rows = []
    for s in res.solutions:
        p = reg[s.lever]
        ok = s.status in ("met", "met_at_bound")
        pt = s.point if ok else s.best
        score = pt.joint_probability if res.joint else min(pt.met) / pt.draws
        note = "" if ok else _t("no_effect" if s.status == "no_effect" else "cannot", lang)
        sign = "≤ " if s.direction == "down" else "≥ "
        rows.append({_t("col_lever", lang): param_label(p, lang), _t("col_unit", lang): unit(p.unit, lang),
                     _t("col_required", lang): (sign + fmt_value(p, s.value)) if ok else "—",
                     _t("col_prob", lang): score,
                     _t("col_now", lang): fmt_value(p, res.scenario_values[s.lever]),
                     _t("col_note", lang): note})
    st.markdown(f"#### {_t('table', lang)}")
    st.dataframe(pd.DataFrame(rows).style.format({_t("col_prob", lang): "{:.1%}"}), hide_index=True,
                 placeholder="—", width="stretch")
    for note in res.notes:
        st.caption(named_text(note, lang, ids=False))
