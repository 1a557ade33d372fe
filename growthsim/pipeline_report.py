"""Tables and the Gantt chart of the event engine's results (项目管线), with Chinese headers.

Pure pandas (charts as Vega-Lite specifications): no Streamlit, no file I/O. Used by the exports, the CLI and
the app. Everything shown comes from a :class:`simulation.events.PipelineRun`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from growthsim import vega
from growthsim.calibration.targets import targets
from growthsim.i18n import Pair
from growthsim.i18n import text as catalogue_text
from growthsim.simulation.events import (
    COMMISSIONED,
    COMPLETED,
    INCREMENTAL,
    SIGNED,
    STAGES,
    STARTED,
    STATISTICS,
    PipelineRun,
    date_of,
    real_output,
)
from growthsim.simulation.model import BaseState, Projection
from growthsim.wording import district, industry, project_name

from .settings import DEFAULT_LANG


def _p(key: str, lang: str = DEFAULT_LANG, **fields: object) -> str:
    """The tables' text ``key`` in ``lang``: the catalogue's ``pipeline_table.<key>``."""
    return catalogue_text(f"pipeline_table.{key}", lang, **fields)


# Which list a run used, as the 清单性质 column, the run facts and the manifest record it (Chinese: the files' own
# values); the reader's language through :func:`label_words`.
ILLUSTRATIVE_LABEL = _p("list_illustrative")
USER_LABEL = _p("list_user")
GENERATED_LABEL = _p("list_generated")
PASSED = _p("passed")
RENOVATION_TARGET = "renovation_projects_2024"  # 2024年重点技改项目竣工150个 (002)

# the engine's per-year series shown in the summary, by id (their titles: pipeline_table.col.<id>)
PER_YEAR = ("entries_listed", "entries_generated_new", "entries_generated_unlisted", "output_added_listed",
            "renovation_output_listed", "renovation_completed", "renovation_rolling", "incremental_completed",
            "incremental_rolling", "service_requests", "service_waited", "service_unserved", "service_max_queue",
            "stalled", "upgrades")
TYPE_KEYS = ("type_incremental", "type_renovation")  # by kind (INCREMENTAL, RENOVATION)


def column_title(column: str, lang: str = DEFAULT_LANG) -> str:
    """A table's column id as its title in ``lang``: ``entries_mean`` -> 纳统项目数(均值); ``delivered_by_2026`` ->
    截至2026年末纳统概率(技改为投产); ``target_probability`` names the renovation target."""
    head, _, year = column.rpartition("_")
    if year.isdigit() and head in ("delivered_by", "output_in"):
        return _p(f"col.{head}", lang, year=year)
    if column == "target_probability":
        t = targets()[RENOVATION_TARGET]
        return _p("col.target_probability", lang, label=Pair(t.label_zh, t.label_en))
    return _p(f"col.{column}", lang)


def titled(frame: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """``frame`` (columns by id) with its columns titled in ``lang``."""
    return frame.rename(columns={c: column_title(c, lang) for c in frame.columns})


def list_label(pipe: PipelineRun) -> str:
    """Which project list the event engine ran on: the illustrative one, the user's, or none (all from the levers)."""
    if pipe.projects is None or not len(pipe.projects):
        return GENERATED_LABEL
    return ILLUSTRATIVE_LABEL if pipe.projects.illustrative else USER_LABEL


LIST_WORDS = {ILLUSTRATIVE_LABEL: "list_illustrative", USER_LABEL: "list_user", GENERATED_LABEL: "list_generated"}


def label_value(label: str, lang: str = DEFAULT_LANG) -> str:
    """A list's label as the 清单性质 column shows it in ``lang`` (Chinese: the label itself)."""
    return _p(LIST_WORDS[label], lang) if label in LIST_WORDS else label


def _g(key: str, lang: str, **fields: object) -> str:
    """The pipeline's text ``key`` in ``lang``: the catalogue's ``pipeline.<key>``."""
    return catalogue_text(f"pipeline.{key}", lang, **fields)


def label_words(label: str, lang: str = DEFAULT_LANG) -> str:
    """A list's label (:func:`list_label`) in the reader's language only; another text as it is."""
    return _g(LIST_WORDS[label], lang) if label in LIST_WORDS else label


def list_words(pipe: PipelineRun, lang: str = DEFAULT_LANG) -> str:
    """:func:`list_label` in the reader's language only: '示例/虚构' or 'illustrative (made up)'."""
    return label_words(list_label(pipe), lang)


def to_date(t: float) -> dt.date:
    """The calendar date of a decimal year (see :func:`simulation.events.date_of`)."""
    y, m, d = date_of(float(t))
    return dt.date(y, m, d)


def month_text(t: float, horizon: int, lang: str = DEFAULT_LANG) -> str:
    """A stage date as text: 'YYYY-MM', passed, or after the horizon (in ``lang``).

    Parameters
    ----------
    t : float
        The stage's date as a decimal year (``-inf``: passed before the run; ``inf`` or NaN: after the horizon).
    horizon : int
        The run's last year (calendar year).
    lang : str
        ``zh`` or ``en``.
    """
    if t == -np.inf:
        return _p("passed", lang)
    if not np.isfinite(t):
        return _p("after_horizon", lang, year=horizon)
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


def project_frame(pipe: PipelineRun, scenario_id: str, scenario_title: str = "",
                  lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The per-project table (项目明细) by column id, its cells in ``lang``: probabilities, median stage dates,
    expected output by year (:func:`project_table` titles it).

    Parameters
    ----------
    pipe : PipelineRun
        The event engine's run (per-project stage times and per-year tallies).
    scenario_id : str
        The scenario's id.
    scenario_title : str
        The scenario's title in the output's language.
    lang : str
        ``zh`` or ``en``: the language of the cells (the list, type, stage, names and dates in words).
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
        "scenario_id": scenario_id,
        "scenario": scenario_title or scenario_id,
        "list": label_value(list_label(pipe), lang),
        "id": list(ps.ids),
        "name": [project_name(n, lang) for n in ps.names],
        "type": [_p(TYPE_KEYS[k], lang) for k in ps.kind],
        "industry": [industry(n, lang) for n in ps.industries],
        "district": [district(n, lang) for n in ps.districts],
        "investment": np.round(ps.investment, 2),
        "output": np.round(ps.output, 2),
        "stage": [_p(f"stage.{STAGES[s]}", lang) for s in pipe.list_stage],
        "planned_start": [month_text(t, horizon, lang) for t in pipe.list_planned[:, STARTED]],
        "planned_commissioning": [month_text(t, horizon, lang) for t in pipe.list_planned[:, COMMISSIONED]],
    }
    for k, key in ((STARTED, "started"), (COMPLETED, "completed"), (COMMISSIONED, "commissioned"),
                   (STATISTICS, "statistics")):
        rows[f"{key}_median"] = ["—" if np.isnan(t) else month_text(t, horizon, lang) for t in med[:, k]]
    rows["stall_probability"] = np.round(np.isfinite(pipe.list_stall).mean(axis=0), 3)
    rows["service_probability"] = np.round(asked.mean(axis=0), 3)
    rows["mean_queue"] = np.round(12.0 * mean_wait, 2)
    for j, y in enumerate(pipe.years):
        rows[f"delivered_by_{y}"] = np.round(prob[:, j], 3)
    for j, y in enumerate(pipe.years):
        rows[f"output_in_{y}"] = np.round(pipe.list_level[:, j], 3)
    return pd.DataFrame(rows)


def project_table(pipe: PipelineRun, scenario_id: str, scenario_title: str = "",
                  lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The per-project table (项目明细) titled in ``lang`` (:func:`project_frame`).

    Parameters
    ----------
    pipe : PipelineRun
        The event engine's run (per-project stage times and per-year tallies).
    scenario_id : str
        The scenario's id.
    scenario_title : str
        The scenario's title in the output's language.
    lang : str
        ``zh`` or ``en``: the language of the titles and the cells.
    """
    return titled(project_frame(pipe, scenario_id, scenario_title, lang), lang)


def _q(a: np.ndarray, q: float) -> np.ndarray:
    return np.percentile(a, q, axis=0)


def summary_frame(pipe: PipelineRun, projection: Projection, base: BaseState, scenario_id: str,
                  scenario_title: str = "", lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The yearly summary (项目管线汇总) by column id: where the entries come from, the list's contribution, the
    service (:func:`summary_table` titles it).

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
    lang : str
        ``zh`` or ``en``: the language of the cells (the list, the note).
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
        "scenario_id": scenario_id,
        "scenario": scenario_title or scenario_id,
        "list": label_value(list_label(pipe), lang),
        "year": pipe.years.astype(int),
        "entries_mean": entries.mean(axis=0),
        "entries_p10": _q(entries, 10),
        "entries_p90": _q(entries, 90),
        "list_expected": pipe.list_expected_entries,
        "listed_cumulative_mean": cum_listed.mean(axis=0),
        "listed_cumulative_p10": _q(cum_listed, 10),
        "listed_cumulative_p90": _q(cum_listed, 90),
        "listed_growth_mean": listed_growth.mean(axis=0),
        "listed_growth_p10": _q(listed_growth, 10),
        "listed_growth_p90": _q(listed_growth, 90),
        "project_growth_mean": values["project_growth_contribution"][:, 1:].mean(axis=0),
        "firms_mean": values["above_scale_firms"][:, 1:].mean(axis=0),
    }
    for key in PER_YEAR:
        rows[key] = py[key].mean(axis=0)
    ratio = np.where(py["renovation_rolling"] > 0, py["renovation_completed"] / np.maximum(py["renovation_rolling"], 1),
                     np.nan)
    rows["renovation_completion_rate"] = np.nanmean(ratio, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rows["queue_months"] = 12.0 * py["service_wait_years"].sum(axis=0) / py["service_waited"].sum(axis=0)
    rows["service_constrained"] = (py["service_waited"] > 0).mean(axis=0)
    t = targets()[RENOVATION_TARGET]
    rows["target_probability"] = [float(np.mean(t.met(py["renovation_completed"][:, j])))
                                  if int(y) == t.year else np.nan for j, y in enumerate(pipe.years)]
    frame = pd.DataFrame(rows)
    frame["note"] = [_p("reported_year", lang) if int(y) in forced else "" for y in pipe.years]
    return frame


def summary_table(pipe: PipelineRun, projection: Projection, base: BaseState, scenario_id: str,
                  scenario_title: str = "", lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The yearly summary (项目管线汇总) titled in ``lang`` (:func:`summary_frame`).

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
    lang : str
        ``zh`` or ``en``: the language of the titles and the cells.
    """
    return titled(summary_frame(pipe, projection, base, scenario_id, scenario_title, lang), lang)


# ----------------------------------------------------------------- Gantt ----

# the Gantt chart's segments: (from stage, to stage); their names pipeline_table.segment.<from stage's id>
SEGMENTS = ((SIGNED, STARTED), (STARTED, COMPLETED), (COMPLETED, COMMISSIONED), (COMMISSIONED, STATISTICS))
# each 3:1 or more against white (a graphic's contrast), the stages told apart by hue and lightness
COLORS = ("#5b8fc7", "#1f4e8c", "#c8650a", "#2e8540")  # by segment


def segment_name(i: int, lang: str = DEFAULT_LANG) -> str:
    """The name of the Gantt chart's segment ``i`` (:data:`SEGMENTS`) in ``lang``."""
    return _p(f"segment.{STAGES[SEGMENTS[i][0]]}", lang)


def gantt_frame(pipe: PipelineRun, lang: str = DEFAULT_LANG, kind: int | None = None,
                districts: list[str] | None = None, limit: int = 40, order: str = "delivery") -> pd.DataFrame:
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
        return pd.DataFrame(columns=["project", "stage", "start", "end", "open"])
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
    for i in idx:
        label = f"{ps.ids[i]} {project_name(ps.names[i], lang)}"
        planned = pipe.list_planned[i]
        for segment, (a, b) in enumerate(SEGMENTS):
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
            rows.append({"project": label, "id": ps.ids[i], "stage": segment_name(segment, lang),
                         "start": pd.Timestamp(to_date(t0)), "end": pd.Timestamp(to_date(max(t1, t0 + 1 / 365))),
                         "open": open_end, "kind": int(ps.kind[i]), "district": ps.districts[i],
                         "output": round(float(ps.output[i]), 2), "probability": round(float(prob[i]), 3)})
            if open_end:
                break
    return pd.DataFrame(rows)


def gantt_figure(pipe: PipelineRun, lang: str = DEFAULT_LANG, kind: int | None = None,
                 districts: list[str] | None = None, limit: int = 40, order: str = "delivery",
                 label_chars: int = 12) -> dict:
    """A Gantt chart (Vega-Lite) of the listed projects' median stage dates (tooltip: probability of delivery).

    The stages' legend sits in a row above the bars; a project's name on the axis is cut to ``label_chars``
    characters (whole in the tooltip), so on a phone the bars keep most of the width; a bar still open at the
    horizon is drawn faded; a dotted rule marks the horizon's end when a bar reaches it (else the axis spans the
    bars only, in quarters when they span under three years).

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
    frame = gantt_frame(pipe, lang, kind, districts, limit, order)
    zh = lang != "en"
    horizon = int(pipe.years[-1])
    title = _g("gantt_title", lang, list=list_words(pipe, lang))
    stages = [segment_name(i, lang) for i in range(len(SEGMENTS))]
    n = frame["project"].nunique() if len(frame) else 0
    alt = _g("gantt_description", lang, title=title, n=n)
    if frame.empty:
        return vega.spec([{"mark": "text", "encoding": {"text": {"value": "—"}}}], title=vega.wrap(title, 22 if zh
                         else 48), description=alt, height=60)
    names = list(dict.fromkeys(frame["project"]))
    rows = [{"project": r["project"], "short": r["project"] if len(r["project"]) <= label_chars else
             r["project"][: label_chars - 1] + "…", "stage": r["stage"], "start": r["start"].strftime("%Y-%m-%d"),
             "end": r["end"].strftime("%Y-%m-%d"), "open": bool(r["open"]),
             "kind": _g("kind_incremental" if r["kind"] == INCREMENTAL else "kind_renovation", lang),
             "district": district(r["district"], lang),
             "output": float(r["output"]), "prob": float(r["probability"])} for _, r in frame.iterrows()]
    y = {"field": "short", "type": "nominal", "title": None,
         "sort": [r["short"] for r in ({"short": x if len(x) <= label_chars else x[: label_chars - 1] + "…"}
                                       for x in names)],
         "axis": {"labelFontSize": 11, "labelLimit": 200}}
    words = [_g(f"col_{k}", lang) for k in ("project", "stage", "start", "end", "district", "output", "probability")]
    bars = {"mark": {"type": "bar", "height": {"band": 0.7}},
            "encoding": {"y": y, "x": {"field": "start", "type": "temporal", "title": None,
                                       "axis": {"format": "%Y", "tickCount": "year"}},
                         "x2": {"field": "end"},
                         "color": {"field": "stage", "type": "nominal", "title": None,
                                   "scale": {"domain": stages, "range": list(COLORS)},
                                   "legend": {"orient": "top", "direction": "horizontal", "columns": 2}},
                         "opacity": {"condition": {"test": "datum.open", "value": 0.35}, "value": 1},
                         "tooltip": [{"field": "project", "title": words[0]}, {"field": "stage", "title": words[1]},
                                     {"field": "start", "title": words[2], "type": "temporal", "format": "%Y-%m"},
                                     {"field": "end", "title": words[3], "type": "temporal", "format": "%Y-%m"},
                                     {"field": "district", "title": words[4]},
                                     {"field": "output", "title": words[5], "format": ",.2f"},
                                     {"field": "prob", "title": words[6], "format": ".0%"}]}}
    bars["encoding"]["x"]["axis"] = _gantt_time_axis(frame)
    layers = [bars]
    if frame["open"].any():  # a bar reaches the horizon: its end is marked (else the axis spans the bars only)
        layers.append({"data": {"values": [{"t": f"{horizon + 1}-01-01"}]},
                       "mark": {"type": "rule", "strokeDash": [2, 3], "color": "#666666"},
                       "encoding": {"x": {"field": "t", "type": "temporal"}}})
    return vega.spec(layers, title=vega.wrap(title, 22 if zh else 48), description=alt, height=22 * n,
                     data={"values": rows})


def _gantt_time_axis(frame: pd.DataFrame) -> dict:
    """The Gantt chart's time axis: years over a span of three years or more, else quarters ('2026-04')."""
    span_years = (frame["end"].max() - frame["start"].min()).days / 365.25
    if span_years >= 3:
        return {"format": "%Y", "tickCount": "year"}
    return {"format": "%Y-%m", "tickCount": {"interval": "month", "step": 3}, "labelAngle": 0}


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


def extra_tables(result, lang: str = DEFAULT_LANG) -> list[tuple[str, str, str, pd.DataFrame]]:
    """The event engine's tables for the exports: (file stem, sheet name, title line, frame), in ``lang``.

    The runner keeps the Chinese ones (``result.extra_tables``: the golden files' headers); the exports ask for
    the output's language (``--lang en``: English headers, sheet names and cells).
    """
    titles = {s.id: s.title(lang) for s in result.scenarios}
    pipes = result.pipelines
    label = list_label(next(iter(pipes.values())))
    illustrative = label == ILLUSTRATIVE_LABEL
    note = _p("sheet.illustrative_note", lang) if illustrative else ""
    detail = pd.concat([project_table(p, sid, titles[sid], lang) for sid, p in pipes.items()], ignore_index=True)
    summary = pd.concat([summary_table(p, result.projections[sid], result.calibration.base, sid, titles[sid], lang)
                         for sid, p in pipes.items()], ignore_index=True)
    tag = _p("sheet.tag", lang) if illustrative else ""
    shown = label_value(label, lang)
    out = []
    if not detail.empty:
        out.append(("projects", _p("sheet.projects", lang, tag=tag),
                    _p("sheet.projects_title", lang, label=shown, note=note), detail))
    out.append(("pipeline", _p("sheet.pipeline", lang, tag=tag),
                _p("sheet.pipeline_title", lang, label=shown, note=note), summary))
    return out
