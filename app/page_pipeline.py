"""项目管线 Project pipeline: the event engine (SimPy) on a project list, project by project.

Shows, for the edited scenario, when each listed project is likely to start,
finish, enter statistics and add output (a Gantt chart of median stage dates
and a per-project table), and what the list does to the targets. The default
list is the shipped ILLUSTRATIVE one (示例/虚构: made-up projects), and the page
says so wherever it shows it; a planner may upload their own list (CSV).

The chart and tables are built by :mod:`growthsim.pipeline_report` (testable
without Streamlit); this module only lays them out.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from growthsim.calibration import city as packs
from growthsim.calibration.monitoring_data import ILLUSTRATIVE_TAG
from growthsim.i18n import text as catalogue_text
from growthsim.io import csv_bytes
from growthsim.pipeline_report import (
    ILLUSTRATIVE_LABEL,
    gantt_figure,
    list_label,
    list_words,
    project_frame,
    project_table,
    summary_frame,
    titled,
)
from growthsim.project_list import ProjectListError, parse_project_bytes, read_project_list, shipped_list
from growthsim.simulation.events import INCREMENTAL, RENOVATION, ProjectSet, project_events
from growthsim.simulation.scenario import Scenario
from growthsim.simulation.units import unit_of
from growthsim.wording import district

from . import cache
from .context import Ctx
from .i18n import md_escape
from .i18n import t as ui_t
from .state import values_key
from .ui import chart, labelled_choice

EVENT_DRAWS = (100, 200, 500, 1000)


def _t(key: str, lang: str, **fmt: object) -> str:
    """The page's text ``key`` in ``lang``: the catalogue's ``pipeline_page.<key>``."""
    return catalogue_text(f"pipeline_page.{key}", lang, **fmt)


@cache.per_city(st.cache_resource(show_spinner=False, max_entries=4))
def _shipped_list() -> ProjectSet:
    return read_project_list(None)  # the shipped list, through the same bounded reader as any other


@st.cache_data(show_spinner=False, max_entries=16)
def _uploaded_list(data: bytes, name: str) -> ProjectSet:
    return parse_project_bytes(data, name)  # size and encoding checked as for a file


@cache.per_city(st.cache_resource(show_spinner=False, max_entries=8))
def _run(seed: int, through: int | None, key: tuple, draws: int, horizon: int, list_digest: str,
         _scenario: Scenario, _projects: ProjectSet):
    cal = cache.calibration(seed, through)
    proj, pipe = project_events(cal.base, _scenario, cal.posterior, horizon, draws, np.random.default_rng(seed),
                                _projects)
    return proj, pipe


def _choose_list(lang: str) -> ProjectSet | None:
    upload = st.file_uploader(_t("upload", lang), type=["csv"], help=_t("upload_help", lang),
                              key="pipeline_upload")
    if upload is not None:
        try:
            return _uploaded_list(upload.getvalue(), upload.name)
        except (ProjectListError, UnicodeDecodeError) as err:
            st.error(_t("bad_list", lang) + " " + md_escape(err.text(lang) if isinstance(err, ProjectListError)
                                                            else str(err)))
    return _shipped_list() if packs.active().projects_file is not None else None


def _digest(projects: ProjectSet) -> str:
    h = hashlib.sha256()
    h.update(repr((projects.source, projects.ids, projects.as_of)).encode("utf-8"))
    for arr in (projects.kind, projects.output, projects.planned_start, projects.planned_commissioning,
                projects.stage, projects.investment):
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


LABEL_CHARS = 17  # a project's id and name on the Gantt chart's axis, at most (the full name is in the hover):
# 'INC014 示例增量项目014…', whole to its number (12 cut it to 'INC014 示例增量…')


def render(ctx: Ctx) -> None:
    """Draw the pipeline page: a project list through the event engine for the edited scenario, project by project."""
    lang = ctx.lang
    st.subheader(_t("title", lang))
    st.markdown(_t("intro", lang))
    projects = _choose_list(lang)
    if projects is None:  # a pack without a project list, and no (good) upload
        st.info(ui_t("pipeline_no_list", lang, city=packs.active().name(lang)))
        return
    if projects.illustrative:
        st.warning(_t("illustrative", lang))
    draws = st.select_slider(_t("runs", lang), EVENT_DRAWS, value=200 if ctx.draws > 200 else 100,
                             help=_t("runs_help", lang), key="pipeline_draws")
    scenario = ctx.edited
    with st.spinner(_t("running", lang)):
        proj, pipe = _run(ctx.seed, ctx.through, values_key(ctx.values), int(draws), ctx.horizon,
                          _digest(projects), scenario, projects)
    label = list_label(pipe)
    as_of = f"{int(pipe.as_of)}-01-01"
    shipped = projects.source == shipped_list().name
    name = _t("shipped_list", lang) if shipped else projects.source
    st.caption(_t("using", lang, name=md_escape(name), n=len(projects), as_of=as_of, label=list_words(pipe, lang)))

    horizon = int(pipe.years[-1])
    base = ctx.calibration.base
    title = ctx.title("edited") if "edited" in ctx.catalogue else scenario.title(lang)
    summary = summary_frame(pipe, proj, base, scenario.id, title, lang)
    last = summary.iloc[-1]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_t("m_entries", lang, y=horizon), f"{last['entries_mean']:.1f}",
              f"{_t('m_listed', lang)} {last['entries_listed']:.1f}", delta_color="off")
    c2.metric(_t("m_growth", lang, y=horizon), unit_of("百分点").attach(f"{last['listed_growth_mean']:.2f}", lang,
                                                                      sentence=True))
    c3.metric(_t("m_firms", lang, y=horizon), f"{last['firms_mean']:,.0f}")
    c4.metric(_t("m_queue", lang), f"{(pipe.per_year['service_waited'] > 0).any(axis=1).mean():.0%}")

    st.markdown(f"#### {_t('by_year', lang)}")
    shown = ["year", "entries_mean", "entries_listed", "entries_generated_new", "entries_generated_unlisted",
             "list_expected", "listed_cumulative_mean", "listed_growth_mean", "renovation_completed",
             "renovation_rolling", "service_constrained", "note"]
    st.dataframe(titled(summary[shown].round(2), lang), hide_index=True, placeholder="—", width="stretch",
                 key="pipeline_summary")

    st.markdown(f"#### {_t('gantt', lang)}")
    f1, f2, f3, f4 = st.columns([1, 2, 1, 1])
    kinds = {"all": None, "incremental": INCREMENTAL, "renovation": RENOVATION}
    kind_labels = {"all": _t("all", lang), "incremental": catalogue_text("pipeline.kind_incremental", lang),
                   "renovation": catalogue_text("pipeline.kind_renovation", lang)}
    kind = kinds[labelled_choice(f1.selectbox, _t("kind", lang), list(kinds), kind_labels, "pipeline_kind", index=1)]
    names = sorted(set(projects.districts))
    districts = labelled_choice(f2.multiselect, _t("districts", lang), names, {d: district(d, lang) for d in names},
                                "pipeline_districts", placeholder=_t("all_districts", lang),
                                select_all=0)
    # the next projects to deliver (the chart lists projects still under way, earliest delivery first)
    limit = f3.number_input(_t("limit", lang), 5, 300, 15, step=5, key="pipeline_limit")
    orders = {"delivery": _t("order_delivery", lang), "output": _t("order_output", lang)}
    order = labelled_choice(f4.selectbox, _t("order", lang), list(orders), orders, "pipeline_order")
    chart(gantt_figure(pipe, lang, kind, districts or None, int(limit), order, LABEL_CHARS), key="pipeline_gantt")
    st.caption(_t("gantt_note", lang, h=horizon))

    st.markdown(f"#### {_t('table', lang)}")
    table = project_frame(pipe, scenario.id, title, lang)
    query = st.text_input(_t("search", lang), key="pipeline_search").strip()
    if query:
        hay = table[["id", "name", "industry", "district"]].astype(str).agg(" ".join, axis=1)
        table = table[hay.str.contains(query, case=False, regex=False)]
    st.dataframe(titled(table.drop(columns=["scenario_id"]), lang), hide_index=True, placeholder="—", width="stretch",
                 key="pipeline_table")
    tag = f"_illustrative_{ILLUSTRATIVE_TAG}" if label == ILLUSTRATIVE_LABEL else ""  # the file says it is made up
    d1, d2 = st.columns(2)
    # project names come from an uploaded list: text that reads as a formula is neutralised (growthsim.io)
    d1.download_button(_t("download_projects", lang), csv_bytes(project_table(pipe, scenario.id, title, lang),
                                                                float_format="%.10g"),
                       file_name=f"projects{tag}.csv", mime="text/csv", key="pipeline_dl_projects")
    d2.download_button(_t("download_pipeline", lang), csv_bytes(titled(summary, lang).round(6), float_format="%.10g"),
                       file_name=f"pipeline{tag}.csv", mime="text/csv", key="pipeline_dl_summary")
    with st.expander(_t("how", lang)):
        st.markdown(_t("how_text", lang))
