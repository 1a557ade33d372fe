"""Tables and the Gantt chart of the event engine's results (项目管线), with Chinese headers.

Pure pandas (charts as Vega-Lite specifications): no Streamlit, no file I/O. Used by the exports, the CLI and
the app. Everything shown comes from a :class:`simulation.events.PipelineRun`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from growthsim.calibration.targets import targets
from growthsim.i18n import text as catalogue_text
from growthsim.simulation.events import (
    COMMISSIONED,
    COMPLETED,
    INCREMENTAL,
    SIGNED,
    STAGE_ZH,
    STARTED,
    STATISTICS,
    TYPE_ZH,
    PipelineRun,
    date_of,
    real_output,
)
from growthsim.simulation.model import BaseState, Projection
from growthsim.wording import project_name

ILLUSTRATIVE_LABEL = "示例/虚构 ILLUSTRATIVE"
USER_LABEL = "用户清单"
GENERATED_LABEL = "无清单(全部按杠杆生成)"
PASSED = "已过(清单日期前)"
RENOVATION_TARGET = "renovation_projects_2024"  # 2024年重点技改项目竣工150个 (002)

# per-year series of the engine: id -> (中文, English, unit)
PER_YEAR = {
    "entries_listed": ("清单项目纳统数", "Listed projects entering statistics", "个"),
    "entries_generated_new": ("清单外新签约项目纳统数", "New projects (signed after the list's date) entering", "个"),
    "entries_generated_unlisted": ("杠杆补足的清单外既有项目纳统数", "Projects the lever adds beyond the list", "个"),
    "output_added_listed": ("清单项目新增产值", "Output added by listed projects", "亿元"),
    "renovation_output_listed": ("清单技改项目新增产值(仅列示,汇总已含技改效应)",
                                 "Output added by listed renovation projects (shown only: the aggregate has the "
                                 "renovation effect)", "亿元"),
    "renovation_completed": ("重点技改项目竣工数", "Renovation projects completed", "个"),
    "renovation_rolling": ("重点技改项目滚动推进数", "Renovation projects rolling", "个"),
    "incremental_completed": ("增量项目竣工数", "Incremental projects completed", "个"),
    "incremental_rolling": ("增量项目滚动推进数", "Incremental projects rolling", "个"),
    "service_requests": ("申请帮包服务项目数", "Projects asking for the 帮包 service", "个"),
    "service_waited": ("排队等候服务项目数", "Projects that had to queue", "个"),
    "service_unserved": ("未获服务即完成项目数", "Projects that finished unserved", "个"),
    "service_max_queue": ("最长排队(个)", "Longest queue", "个"),
    "stalled": ("停滞项目数", "Projects stalling", "个"),
    "upgrades": ("小升规企业数(事件模型)", "Firm upgrades (event engine)", "家"),
}


def list_label(pipe: PipelineRun) -> str:
    """Which project list the event engine ran on: the illustrative one, the user's, or none (all from the levers)."""
    if pipe.projects is None or not len(pipe.projects):
        return GENERATED_LABEL
    return ILLUSTRATIVE_LABEL if pipe.projects.illustrative else USER_LABEL


LIST_WORDS = {ILLUSTRATIVE_LABEL: "list_illustrative", USER_LABEL: "list_user", GENERATED_LABEL: "list_generated"}


def _g(key: str, lang: str, **fields: object) -> str:
    """The pipeline's text ``key`` in ``lang``: the catalogue's ``pipeline.<key>``."""
    return catalogue_text(f"pipeline.{key}", lang, **fields)


def label_words(label: str, lang: str = "zh") -> str:
    """A list's label (:func:`list_label`) in the reader's language only; another text as it is."""
    return _g(LIST_WORDS[label], lang) if label in LIST_WORDS else label


def list_words(pipe: PipelineRun, lang: str = "zh") -> str:
    """:func:`list_label` in the reader's language only: '示例/虚构' or 'illustrative (made up)'."""
    return label_words(list_label(pipe), lang)


def to_date(t: float) -> dt.date:
    """The calendar date of a decimal year (see :func:`simulation.events.date_of`)."""
    y, m, d = date_of(float(t))
    return dt.date(y, m, d)


def month_text(t: float, horizon: int) -> str:
    """A stage date as text: 'YYYY-MM', passed, or after the horizon."""
    if t == -np.inf:
        return PASSED
    if not np.isfinite(t):
        return f"{horizon}年后或未达到"
    y, m, _ = date_of(float(t))
    return f"{y:04d}-{m:02d}"


def median_times(pipe: PipelineRun) -> np.ndarray:
    """(n, 5) median stage times over runs (inf where half the runs do not reach it; NaN: no such stage)."""
    times = pipe.list_times
    with np.errstate(invalid="ignore"):
        med = np.median(np.where(np.isnan(times), np.inf, times), axis=0)
    na = np.isnan(times).all(axis=0)
    med[na] = np.nan
    return med


def delivery_probability(pipe: PipelineRun) -> np.ndarray:
    """(n, T): probability that each listed project has delivered by the end of each year.

    Delivered: entered statistics (增量) or commissioned (技改); a project already
    there on the list's date counts as delivered.
    """
    kind = pipe.projects.kind
    t = np.where(kind[None, :] == INCREMENTAL, pipe.list_times[:, :, STATISTICS], pipe.list_times[:, :, COMMISSIONED])
    ends = pipe.years.astype(float) + 1.0
    return np.stack([(t < e).mean(axis=0) for e in ends], axis=1)


def project_table(pipe: PipelineRun, scenario_id: str, scenario_title: str = "") -> pd.DataFrame:
    """The per-project table (项目明细): probabilities, median stage dates, expected output by year.

    Parameters
    ----------
    pipe : PipelineRun
        The event engine's run (per-project stage times and per-year tallies).
    scenario_id : str
        The scenario's id.
    scenario_title : str
        The scenario's title in the output's language.
    """
    ps = pipe.projects
    if ps is None or not len(ps):
        return pd.DataFrame()
    horizon = int(pipe.years[-1])
    med = median_times(pipe)
    prob = delivery_probability(pipe)
    asked = pipe.list_asked
    waited = np.where(asked, pipe.list_wait, np.nan)  # NaN also: still queued when the horizon ends
    with np.errstate(invalid="ignore"):
        n_wait = np.isfinite(waited).sum(axis=0)
        mean_wait = np.where(n_wait > 0, np.nansum(waited, axis=0) / np.maximum(n_wait, 1), np.nan)
    rows = {
        "情景": scenario_title or scenario_id,
        "清单性质": list_label(pipe),
        "编号": list(ps.ids),
        "项目名称": list(ps.names),
        "类型": [TYPE_ZH[k] for k in ps.kind],
        "行业": list(ps.industries),
        "区市": list(ps.districts),
        "总投资(亿元)": np.round(ps.investment, 2),
        "达产产值(亿元/年)": np.round(ps.output, 2),
        "清单日期阶段": [STAGE_ZH[s] for s in pipe.list_stage],
        "计划开工": [month_text(t, horizon) for t in pipe.list_planned[:, STARTED]],
        "计划投产": [month_text(t, horizon) for t in pipe.list_planned[:, COMMISSIONED]],
    }
    for k, label in ((STARTED, "开工"), (COMPLETED, "竣工"), (COMMISSIONED, "投产"), (STATISTICS, "纳统")):
        rows[f"{label}日期(中位)"] = ["—" if np.isnan(t) else month_text(t, horizon) for t in med[:, k]]
    rows["停滞概率"] = np.round(np.isfinite(pipe.list_stall).mean(axis=0), 3)
    rows["需帮包服务概率"] = np.round(asked.mean(axis=0), 3)
    rows["平均排队(月)"] = np.round(12.0 * mean_wait, 2)
    for j, y in enumerate(pipe.years):
        rows[f"截至{y}年末纳统概率(技改为投产)"] = np.round(prob[:, j], 3)
    for j, y in enumerate(pipe.years):
        rows[f"{y}年产值贡献(亿元,期望)"] = np.round(pipe.list_level[:, j], 3)
    frame = pd.DataFrame(rows)
    frame.insert(0, "情景编号", scenario_id)
    return frame


def _q(a: np.ndarray, q: float) -> np.ndarray:
    return np.percentile(a, q, axis=0)


def summary_table(pipe: PipelineRun, projection: Projection, base: BaseState, scenario_id: str,
                  scenario_title: str = "") -> pd.DataFrame:
    """The yearly summary (项目管线汇总): where the entries come from, the list's contribution, the service.

    Parameters
    ----------
    pipe : PipelineRun
        The event engine's run (per-project stage times and per-year tallies).
    projection : Projection
        The projection the pipeline's flows fed.
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    scenario_id : str
        The scenario's id.
    scenario_title : str
        The scenario's title in the output's language.
    """
    py = pipe.per_year
    T = len(pipe.years)
    values = projection.values
    out = real_output(values, pipe.output_start)  # (D, T+1), starting year first
    listed_growth = 100.0 * py["output_added_listed"] / out[:, :T]
    entries = pipe.flows["projects_entering_statistics"]
    cum_listed = np.cumsum(py["entries_listed"], axis=1)
    forced = {int(y) for y, f in base.history.items() if "projects_entering_statistics" in f}
    rows = {
        "情景编号": scenario_id,
        "情景": scenario_title or scenario_id,
        "清单性质": list_label(pipe),
        "年份": pipe.years.astype(int),
        "纳统项目数(均值)": entries.mean(axis=0),
        "纳统项目数P10": _q(entries, 10),
        "纳统项目数P90": _q(entries, 90),
        "清单预期纳统数(服务不受限)": pipe.list_expected_entries,
        "清单项目累计纳统(家,均值)": cum_listed.mean(axis=0),
        "清单项目累计纳统P10": _q(cum_listed, 10),
        "清单项目累计纳统P90": _q(cum_listed, 90),
        "清单项目拉动规上工业增速(百分点,均值)": listed_growth.mean(axis=0),
        "清单项目拉动P10": _q(listed_growth, 10),
        "清单项目拉动P90": _q(listed_growth, 90),
        "增量项目拉动规上工业增速(百分点,均值)": values["project_growth_contribution"][:, 1:].mean(axis=0),
        "规模以上工业企业数(均值)": values["above_scale_firms"][:, 1:].mean(axis=0),
    }
    for key, (zh, _, unit) in PER_YEAR.items():
        rows[f"{zh}({unit},均值)" if unit != "个" else f"{zh}(均值)"] = py[key].mean(axis=0)
    ratio = np.where(py["renovation_rolling"] > 0, py["renovation_completed"] / np.maximum(py["renovation_rolling"], 1),
                     np.nan)
    rows["技改项目竣工率(竣工/滚动)"] = np.nanmean(ratio, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rows["平均排队(月,排队项目)"] = 12.0 * py["service_wait_years"].sum(axis=0) / py["service_waited"].sum(axis=0)
    rows["帮包容量是否受限(排队概率)"] = (py["service_waited"] > 0).mean(axis=0)
    t = targets()[RENOVATION_TARGET]
    rows[f"目标:{t.label_zh} 达成概率"] = [float(np.mean(t.met(py["renovation_completed"][:, j])))
                                         if int(y) == t.year else np.nan for j, y in enumerate(pipe.years)]
    frame = pd.DataFrame(rows)
    frame["说明"] = ["该年纳统数为统计公报数(模型采用报告值)" if int(y) in forced else "" for y in pipe.years]
    return frame


# ----------------------------------------------------------------- Gantt ----

SEGMENTS = ((SIGNED, STARTED, "签约→开工", "Signed → started"),
            (STARTED, COMPLETED, "开工→竣工", "Construction"),
            (COMPLETED, COMMISSIONED, "竣工→投产", "Commissioning"),
            (COMMISSIONED, STATISTICS, "投产→纳统", "Entering statistics"))
# each 3:1 or more against white (a graphic's contrast), the stages told apart by hue and lightness
COLORS = {"签约→开工": "#5b8fc7", "开工→竣工": "#1f4e8c", "竣工→投产": "#c8650a", "投产→纳统": "#2e8540",
          "Signed → started": "#5b8fc7", "Construction": "#1f4e8c", "Commissioning": "#c8650a",
          "Entering statistics": "#2e8540"}


def gantt_frame(pipe: PipelineRun, lang: str = "zh", kind: int | None = None, districts: list[str] | None = None,
                limit: int = 40, order: str = "delivery") -> pd.DataFrame:
    """Bars of the Gantt chart: one row per project and stage segment, from median stage dates.

    A stage passed before the list's date starts at its planned date; a stage
    not reached in half the runs by the horizon runs to the horizon's end (open).
    ``order``: 'delivery' (earliest median delivery first) or 'output' (largest first).

    Parameters
    ----------
    pipe : PipelineRun
        The event engine's run (per-project stage times and per-year tallies).
    lang : str
        ``zh`` or ``en``: the reader's language.
    kind : int | None
        Project type (0 incremental, 1 renovation), or None: both.
    districts : list[str] | None
        Districts to show, or None: all.
    limit : int
        Projects shown at most [projects].
    order : str
        ``delivery`` (earliest median delivery first) or ``output`` (largest first).
    """
    ps = pipe.projects
    if ps is None or not len(ps):
        return pd.DataFrame(columns=["项目", "阶段", "开始", "结束", "未完成"])
    med = median_times(pipe)
    prob = delivery_probability(pipe)[:, -1]
    horizon_end = pipe.t_end
    keep = np.ones(len(ps), dtype=bool)
    if kind is not None:
        keep &= ps.kind == kind
    if districts:
        keep &= np.isin(np.array(ps.districts), districts)
    # only projects still under way on the list's date
    last = np.where(ps.kind == INCREMENTAL, STATISTICS, COMMISSIONED)
    keep &= pipe.list_stage < last
    idx = np.flatnonzero(keep)
    deliver = np.where(ps.kind == INCREMENTAL, med[:, STATISTICS], med[:, COMMISSIONED])
    if order == "output":
        idx = idx[np.argsort(-ps.output[idx], kind="stable")]
    else:
        idx = idx[np.lexsort((-ps.output[idx], np.where(np.isfinite(deliver[idx]), deliver[idx], 1e9)))]
    idx = idx[:limit]
    rows = []
    zh = lang != "en"
    for i in idx:
        label = f"{ps.ids[i]} {project_name(ps.names[i], lang)}"
        planned = pipe.list_planned[i]
        for a, b, name_zh, name_en in SEGMENTS:
            if b > last[i]:
                continue
            t0, t1 = med[i, a], med[i, b]
            if t1 == -np.inf:
                continue  # passed before the list's date
            if a == SIGNED:
                t0 = pipe.as_of  # the signing date is not in the list
            elif t0 == -np.inf:  # passed before the list's date: from its planned date
                t0 = min(planned[a], pipe.as_of) if np.isfinite(planned[a]) else pipe.as_of
            if not np.isfinite(t0) or t0 >= horizon_end:
                break
            open_end = not np.isfinite(t1)
            t1 = horizon_end if open_end else t1
            rows.append({"项目": label, "编号": ps.ids[i], "阶段": name_zh if zh else name_en,
                         "开始": pd.Timestamp(to_date(t0)), "结束": pd.Timestamp(to_date(max(t1, t0 + 1 / 365))),
                         "未完成": open_end, "类型": TYPE_ZH[ps.kind[i]], "区市": ps.districts[i],
                         "达产产值(亿元)": round(float(ps.output[i]), 2),
                         "期末前完成概率": round(float(prob[i]), 3)})
            if open_end:
                break
    return pd.DataFrame(rows)


def gantt_figure(pipe: PipelineRun, lang: str = "zh", kind: int | None = None, districts: list[str] | None = None,
                 limit: int = 40, order: str = "delivery", label_chars: int = 12) -> dict:
    """A Gantt chart (Vega-Lite) of the listed projects' median stage dates (tooltip: probability of delivery).

    The stages' legend sits in a row above the bars; a project's name on the axis is cut to ``label_chars``
    characters (whole in the tooltip), so on a phone the bars keep most of the width; a bar still open at the
    horizon is drawn faded; a dotted rule marks the horizon's end.

    Parameters
    ----------
    pipe : PipelineRun
        The event engine's run (per-project stage times and per-year tallies).
    lang : str
        ``zh`` or ``en``: the reader's language.
    kind : int | None
        Project type (0 incremental, 1 renovation), or None: both.
    districts : list[str] | None
        Districts to show, or None: all.
    limit : int
        Projects shown at most [projects].
    order : str
        ``delivery`` (earliest median delivery first) or ``output`` (largest first).
    label_chars : int
        Characters of a project's name on the axis.
    """
    from growthsim import vega
    from growthsim.wording import district

    frame = gantt_frame(pipe, lang, kind, districts, limit, order)
    zh = lang != "en"
    horizon = int(pipe.years[-1])
    title = _g("gantt_title", lang, list=list_words(pipe, lang))
    stages = [s[2] if zh else s[3] for s in SEGMENTS]
    n = frame["项目"].nunique() if len(frame) else 0
    alt = _g("gantt_description", lang, title=title, n=n)
    if frame.empty:
        return vega.spec([{"mark": "text", "encoding": {"text": {"value": "—"}}}], title=vega.wrap(title, 22 if zh
                         else 48), description=alt, height=60)
    names = list(dict.fromkeys(frame["项目"]))
    rows = [{"project": r["项目"], "short": r["项目"] if len(r["项目"]) <= label_chars else
             r["项目"][: label_chars - 1] + "…", "stage": r["阶段"], "start": r["开始"].strftime("%Y-%m-%d"),
             "end": r["结束"].strftime("%Y-%m-%d"), "open": bool(r["未完成"]),
             "kind": _g("kind_incremental" if r["类型"] == TYPE_ZH[INCREMENTAL] else "kind_renovation", lang),
             "district": district(r["区市"], lang),
             "output": float(r["达产产值(亿元)"]), "prob": float(r["期末前完成概率"])} for _, r in frame.iterrows()]
    y = {"field": "short", "type": "nominal", "title": None,
         "sort": [r["short"] for r in ({"short": x if len(x) <= label_chars else x[: label_chars - 1] + "…"}
                                       for x in names)],
         "axis": {"labelFontSize": 11, "labelLimit": 160}}
    words = [_g(f"col_{k}", lang) for k in ("project", "stage", "start", "end", "district", "output", "probability")]
    bars = {"mark": {"type": "bar", "height": {"band": 0.7}},
            "encoding": {"y": y, "x": {"field": "start", "type": "temporal", "title": None,
                                       "axis": {"format": "%Y", "tickCount": "year"}},
                         "x2": {"field": "end"},
                         "color": {"field": "stage", "type": "nominal", "title": None,
                                   "scale": {"domain": stages, "range": [COLORS[s] for s in stages]},
                                   "legend": {"orient": "top", "direction": "horizontal", "columns": 2}},
                         "opacity": {"condition": {"test": "datum.open", "value": 0.35}, "value": 1},
                         "tooltip": [{"field": "project", "title": words[0]}, {"field": "stage", "title": words[1]},
                                     {"field": "start", "title": words[2], "type": "temporal", "format": "%Y-%m"},
                                     {"field": "end", "title": words[3], "type": "temporal", "format": "%Y-%m"},
                                     {"field": "district", "title": words[4]},
                                     {"field": "output", "title": words[5], "format": ",.2f"},
                                     {"field": "prob", "title": words[6], "format": ".0%"}]}}
    end = {"data": {"values": [{"t": f"{horizon + 1}-01-01"}]}, "mark": {"type": "rule", "strokeDash": [2, 3],
                                                                         "color": "#666666"},
           "encoding": {"x": {"field": "t", "type": "temporal"}}}
    return vega.spec([bars, end], title=vega.wrap(title, 22 if zh else 48), description=alt, height=22 * n,
                     data={"values": rows})


# ------------------------------------------------------------- exports ----

def event_facts(result) -> dict:
    """Run facts of an event-engine run (manifest, run sheet)."""
    pipe = next(iter(result.pipelines.values()))
    ps = pipe.projects
    y, m, d = date_of(pipe.as_of)
    return {
        "engine": "event",
        "projects_file": ps.source if ps is not None else None,
        "projects": len(ps) if ps is not None else 0,
        "projects_illustrative": bool(ps.illustrative) if ps is not None else False,
        "projects_label": list_label(pipe),
        "projects_as_of": f"{y:04d}-{m:02d}-{d:02d}",
    }


def extra_tables(result) -> list[tuple[str, str, str, pd.DataFrame]]:
    """The event engine's tables for the exports: (file stem, sheet name, title line, frame)."""
    titles = {s.id: s.title_zh for s in result.scenarios}
    pipes = result.pipelines
    label = list_label(next(iter(pipes.values())))
    note = ("本表项目均为虚构示例，不是真实项目 (ILLUSTRATIVE: made-up projects)"
            if label == ILLUSTRATIVE_LABEL else "")
    detail = pd.concat([project_table(p, sid, titles[sid]) for sid, p in pipes.items()], ignore_index=True)
    summary = pd.concat([summary_table(p, result.projections[sid], result.calibration.base, sid, titles[sid])
                         for sid, p in pipes.items()], ignore_index=True)
    tag = "(示例)" if label == ILLUSTRATIVE_LABEL else ""
    out = []
    if not detail.empty:
        out.append(("projects", f"项目明细{tag}",
                    f"项目明细（事件模型，{label}）— 纳统概率、各阶段中位日期、逐年产值贡献。{note}", detail))
    out.append(("pipeline", f"项目管线汇总{tag}",
                f"项目管线汇总（事件模型，{label}）— 纳统来源、清单贡献、技改竣工、帮包服务。{note}", summary))
    return out
