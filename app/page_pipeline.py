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
import pandas as pd
import streamlit as st

from growthsim.calibration import city as packs
from growthsim.calibration.place_names import names_by_kind
from growthsim.i18n import text as catalogue_text
from growthsim.io import csv_bytes
from growthsim.pipeline_report import (
    ILLUSTRATIVE_LABEL,
    PASSED,
    gantt_figure,
    label_words,
    list_label,
    list_words,
    project_table,
    summary_table,
)
from growthsim.project_list import ProjectListError, parse_project_bytes, read_project_list, shipped_list
from growthsim.simulation.events import INCREMENTAL, RENOVATION, ProjectSet, project_events
from growthsim.simulation.scenario import Scenario
from growthsim.wording import district, industry, project_name

from . import cache
from .context import Ctx
from .i18n import md_escape, pick
from .i18n import t as ui_t
from .state import values_key
from .ui import chart, labelled_choice

EVENT_DRAWS = (100, 200, 500, 1000)


# English column titles of the pipeline's tables (growthsim.pipeline_report writes them in Chinese).
COLUMNS_EN = {
    "年份": "Year", "纳统项目数(均值)": "Projects entering statistics (mean)",
    "清单项目纳统数(均值)": "Listed projects entering (mean)",
    "清单外新签约项目纳统数(均值)": "New projects beyond the list entering (mean)",
    "杠杆补足的清单外既有项目纳统数(均值)": "Projects the lever adds beyond the list (mean)",
    "清单预期纳统数(服务不受限)": "List's expected entries (service unlimited)",
    "清单项目累计纳统(家,均值)": "Listed projects entered so far (mean)",
    "清单项目拉动规上工业增速(百分点,均值)": "Listed projects' growth contribution (points, mean)",
    "重点技改项目竣工数(均值)": "Renovation projects completed (mean)",
    "重点技改项目滚动推进数(均值)": "Renovation projects rolling (mean)",
    "帮包容量是否受限(排队概率)": "P(one-to-one service queue)", "说明": "Note",
    "编号": "No.", "项目名称": "Project", "类型": "Type", "行业": "Industry", "区市": "District",
    "总投资(亿元)": "Investment (100 million yuan)", "达产产值(亿元/年)": "Output at capacity (100 million yuan/yr)",
    "清单日期阶段": "Stage on the list's date", "计划开工": "Planned start", "计划投产": "Planned commissioning",
    "开工日期(中位)": "Start (median)", "竣工日期(中位)": "Completion (median)",
    "投产日期(中位)": "Commissioning (median)", "纳统日期(中位)": "Entry into statistics (median)",
    "停滞概率": "P(stall)", "需帮包服务概率": "P(needs the service)", "平均排队(月)": "Mean queue (months)",
    "情景": "Scenario", "清单性质": "List",
}
VALUES_EN = {"增量": "incremental", "技改": "renovation", "增量项目": "incremental", "技改项目": "renovation",
             "签约": "signed", "开工": "started", "竣工": "completed", "投产": "commissioned", "纳统": "in statistics",
             "该年纳统数为统计公报数(模型采用报告值)":
             "reported figure for the year (the model uses it)"}


def _columns_en(frame, lang: str):
    """The table with English column titles (and the few fixed Chinese values) in English mode."""
    if lang != "en":
        return frame
    import re

    def col(c: str) -> str:
        if c in COLUMNS_EN:
            return COLUMNS_EN[c]
        m = re.match(r"截至(\d{4})年末纳统概率\(技改为投产\)", c)
        if m:
            return f"P(in statistics by end {m.group(1)}; renovation: commissioned)"
        m = re.match(r"(\d{4})年产值贡献\(亿元,期望\)", c)
        if m:
            return f"Output contribution {m.group(1)} (100 million yuan, expected)"
        return c

    out = frame.copy()
    for column, word in (("项目名称", project_name), ("行业", industry)):  # the illustrative list's own names
        if column in out:
            out[column] = out[column].map(lambda v, w=word: w(v, "en") if isinstance(v, str) else v)
    if "清单性质" in out:
        out["清单性质"] = out["清单性质"].map(lambda v: label_words(v, "en"))
    out = out.rename(columns=col).replace({**VALUES_EN, **names_by_kind("district")})  # districts: the pack's
    for c in out.columns:  # stage dates: 'passed before the list's date', 'after 2025 or never'
        if not pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].map(lambda v: re.sub(r"^(\d{4})年后或未达到$", r"after \1 or never",
                                                 v.replace(PASSED, "passed (before the list's date)"))
                                if isinstance(v, str) else v)
    return out


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


LABEL_CHARS = 12  # a project's name on the Gantt chart's axis, at most (the full name is in the hover)


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
    name = pick(("内置示例项目清单", "the shipped illustrative list"), lang) if shipped else projects.source
    st.caption(_t("using", lang, name=md_escape(name), n=len(projects), as_of=as_of, label=list_words(pipe, lang)))

    horizon = int(pipe.years[-1])
    base = ctx.calibration.base
    title = ctx.title("edited") if "edited" in ctx.catalogue else scenario.title(lang)
    summary = summary_table(pipe, proj, base, scenario.id, title)
    last = summary.iloc[-1]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_t("m_entries", lang, y=horizon), f"{last['纳统项目数(均值)']:.1f}",
              f"{_t('m_listed', lang)} {last['清单项目纳统数(均值)']:.1f}", delta_color="off")
    c2.metric(_t("m_growth", lang, y=horizon), f"{last['清单项目拉动规上工业增速(百分点,均值)']:.2f} "
              + pick(("个百分点", "points"), lang))
    c3.metric(_t("m_firms", lang, y=horizon), f"{last['规模以上工业企业数(均值)']:,.0f}")
    c4.metric(_t("m_queue", lang), f"{(pipe.per_year['service_waited'] > 0).any(axis=1).mean():.0%}")

    st.markdown(f"#### {_t('by_year', lang)}")
    shown = ["年份", "纳统项目数(均值)", "清单项目纳统数(均值)", "清单外新签约项目纳统数(均值)",
             "杠杆补足的清单外既有项目纳统数(均值)", "清单预期纳统数(服务不受限)", "清单项目累计纳统(家,均值)",
             "清单项目拉动规上工业增速(百分点,均值)", "重点技改项目竣工数(均值)", "重点技改项目滚动推进数(均值)",
             "帮包容量是否受限(排队概率)", "说明"]
    st.dataframe(_columns_en(summary[shown].round(2), lang), hide_index=True, placeholder="—", width="stretch",
                 key="pipeline_summary")

    st.markdown(f"#### {_t('gantt', lang)}")
    f1, f2, f3, f4 = st.columns([1, 2, 1, 1])
    kinds = {"all": None, "incremental": INCREMENTAL, "renovation": RENOVATION}
    kind_labels = {"all": _t("all", lang), "incremental": pick(("增量项目", "Incremental"), lang),
                   "renovation": pick(("技改项目", "Renovation"), lang)}
    kind = kinds[labelled_choice(f1.selectbox, _t("kind", lang), list(kinds), kind_labels, "pipeline_kind", index=1)]
    names = sorted(set(projects.districts))
    districts = labelled_choice(f2.multiselect, _t("districts", lang), names, {d: district(d, lang) for d in names},
                                "pipeline_districts", placeholder=pick(("全部区市", "All districts"), lang),
                                select_all=0)
    # the next projects to deliver (the chart lists projects still under way, earliest delivery first)
    limit = f3.number_input(_t("limit", lang), 5, 300, 15, step=5, key="pipeline_limit")
    orders = {"delivery": _t("order_delivery", lang), "output": _t("order_output", lang)}
    order = labelled_choice(f4.selectbox, _t("order", lang), list(orders), orders, "pipeline_order")
    chart(gantt_figure(pipe, lang, kind, districts or None, int(limit), order, LABEL_CHARS), key="pipeline_gantt")
    st.caption(_t("gantt_note", lang, h=horizon))

    st.markdown(f"#### {_t('table', lang)}")
    table = project_table(pipe, scenario.id, title)
    query = st.text_input(_t("search", lang), key="pipeline_search").strip()
    if query:
        hay = table[["编号", "项目名称", "行业", "区市"]].astype(str).agg(" ".join, axis=1)
        table = table[hay.str.contains(query, case=False, regex=False)]
    st.dataframe(_columns_en(table.drop(columns=["情景编号"]), lang), hide_index=True, placeholder="—", width="stretch",
                 key="pipeline_table")
    tag = "_illustrative_示例" if label == ILLUSTRATIVE_LABEL else ""
    d1, d2 = st.columns(2)
    # project names come from an uploaded list: text that reads as a formula is neutralised (growthsim.io)
    d1.download_button(_t("download_projects", lang), csv_bytes(project_table(pipe, scenario.id, title),
                                                                float_format="%.10g"),
                       file_name=f"projects{tag}.csv", mime="text/csv", key="pipeline_dl_projects")
    d2.download_button(_t("download_pipeline", lang), csv_bytes(summary.round(6), float_format="%.10g"),
                       file_name=f"pipeline{tag}.csv", mime="text/csv", key="pipeline_dl_summary")
    with st.expander(_t("how", lang)):
        st.markdown(_t("how_text", lang))
