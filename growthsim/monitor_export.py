"""年内监测 outputs: the report as tables, CSV files and an Excel sheet, written atomically.

Illustrative (示例) monthly figures carry the label in the file names
(``monitor_示例.csv``), the sheet name and a banner row.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pandas as pd
from openpyxl.styles import Font

from . import io as gio
from .exports import _autowidth, _sheet_name, csv_bytes
from .i18n import text as catalogue_text
from .monitor import MonitorReport, status_text

ILLUSTRATIVE_BANNER = ("⚠ 示例数据：月度数字为虚构的演示数据，不是统计数据。",
                       "⚠ ILLUSTRATIVE (示例): the monthly figures are made up for a demonstration, not statistics.")


def _pct(p) -> str:
    return "—" if p is None or (isinstance(p, float) and math.isnan(p)) else f"{p:.0%}"


def _num(x, digits=1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:,.{digits}f}"


def _m(key: str, lang: str, **fields: object) -> str:
    """The monitoring table's text ``key`` in ``lang``: the catalogue's ``monitor_table.<key>``."""
    return catalogue_text(f"monitor_table.{key}", lang, **fields)


def summary_table(rep: MonitorReport, lang: str = "zh") -> pd.DataFrame:
    """The table a planner reads: target, so far, pace needed, probability, status (Chinese first)."""
    lang = "en" if lang == "en" else "zh"
    rows = []
    for r in rep.rows:
        status = status_text(r["status"], lang)
        if r["status"] == "behind":
            status += _m("behind", lang, behind=_num(r.get("behind")), unit=r["unit"], month=r["due_month"],
                         due=_num(r["due"], 0))
        so_far = "—" if r["month"] == 0 else _m("so_far", lang, month_name=r["month_zh"], month=r["month"],
                                                  value=_num(r["so_far"]), unit=r["unit"])
        rows.append({
            _m("col_target", lang): r[f"target_{lang}"],
            _m("col_rule", lang): r[f"rule_{lang}"],
            _m("col_so_far", lang): so_far,
            _m("col_pace", lang): r[f"pace_text_{lang}"],
            _m("col_reached", lang): r[f"pace_reached_{lang}"],
            _m("col_probability", lang): _pct(r["probability"]),
            _m("col_status", lang): status,
            _m("col_data", lang): r[f"data_status_{lang}"],
        })
    return pd.DataFrame(rows)


def csv_table(rep: MonitorReport) -> pd.DataFrame:
    """monitor.csv: one row per target or milestone, every figure with its source."""
    cols = ["year", "region", "target_id", "target_zh", "target_en", "indicator", "rule_zh", "month", "so_far", "unit",
            "pace_needed", "pace_unit", "pace_text_zh", "probability", "status", "status_zh", "behind",
            "pace_reached_years", "predictor", "base_effect", "error_sd", "data_status", "data_source", "data_quote",
            "target_source", "target_quote", "illustrative", "weights", "prior"]
    out = []
    for r in rep.rows:
        d = {k: r.get(k) for k in cols if k in r}
        d.update(year=rep.year, region=rep.region.id, status_zh=status_text(r["status"], "zh"),
                 weights="上年分月产出 last year's profile" if rep.weights_from_profile else "等权 equal weights",
                 prior=rep.prior_label_zh, illustrative="示例 illustrative" if r["illustrative"] else "")
        out.append(d)
    return pd.DataFrame(out, columns=cols)


def history_table(rep: MonitorReport) -> pd.DataFrame:
    """monitor_history.csv: the probability after each reported month, with year, region and 示例 when illustrative."""
    h = rep.history_frame()
    h.insert(0, "region", rep.region.id)
    h.insert(0, "year", rep.year)
    if rep.illustrative:
        h["illustrative"] = "示例 illustrative"
    return h


def stem(rep: MonitorReport) -> str:
    """The stem of the report's file names: ``monitor``, or ``monitor_示例`` for illustrative figures."""
    return "monitor_示例" if rep.illustrative else "monitor"


def add_monitor_sheet(wb: gio.SafeWorkbook, rep: MonitorReport, used: set[str] | None = None) -> None:
    """Add the 年内监测 sheet (and its probability history) to a workbook.

    Parameters
    ----------
    wb : gio.SafeWorkbook
        The workbook the sheet is added to.
    rep : MonitorReport
        The monitoring report.
    used : set[str] | None
        Sheet names already in the workbook (a new sheet gets a name not among them), or None.
    """
    used = set(wb.sheetnames) if used is None else used
    title = "年内监测（示例）" if rep.illustrative else "年内监测"
    ws = wb.create_sheet(_sheet_name(title, used))
    ws.append([f"{rep.year}年 {rep.region.name_zh} 年内监测（{rep.region.name_en}, in-year monitoring）"])
    ws["A1"].font = Font(bold=True, size=12)
    if rep.illustrative:
        ws.append([ILLUSTRATIVE_BANNER[0] + " " + ILLUSTRATIVE_BANNER[1]])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, color="C00000")
    ws.append([rep.prior_label_zh])
    ws.append([f"误差模型：全年 − 预测值 ~ N(0, s²(12−n)/(12n))，s = {rep.error_fit.scale:.2f}，"
               f"由 {rep.error_fit.years} 年 {rep.error_fit.pairs} 对部分年份/全年数字估计"])
    ws.append(["月度权重：" + ("上年分月产出" if rep.weights_from_profile else "等权（未给出上年分月产出）") + " "
               + " ".join(f"{m}月{w:.1%}" for m, w in enumerate(rep.weights, start=1))])
    table = summary_table(rep, "zh")
    start = ws.max_row + 2
    ws.append([])
    _write_rows(ws, [list(table.columns)] + table.values.tolist(), header_rows=0)
    for c in ws[start]:
        c.font = Font(bold=True)
    ws.append([])
    ws.append(["来源", "目标来源", "目标原文", "数据来源", "数据原文"])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for r in rep.rows:
        ws.append([r["target_zh"], r["target_source"], r["target_quote"], r["data_source"], r["data_quote"]])
    for zh, _en in rep.notes:
        ws.append([zh])
    _autowidth(ws, maximum=60)
    hist = history_table(rep)
    ws2 = wb.create_sheet(_sheet_name("概率历史（示例）" if rep.illustrative else "概率历史", used))
    names = {r["target_id"]: r["target_zh"] for r in rep.rows}
    rows = [["目标", "月份", "累计增速", "全年预测值", "基数调整", "误差标准差", "达成概率", "后验均值"]]
    for h in hist.itertuples():
        rows.append([names.get(h.target_id, h.target_id), int(h.month), _round(h.cumulative), _round(h.predictor),
                     "两年平均" if h.base_effect else "", _round(h.error_sd), _round(h.probability, 3),
                     _round(h.posterior_mean)])
    _write_rows(ws2, rows)
    _autowidth(ws2)


def _write_rows(ws, rows: list[list], header_rows: int = 1) -> None:
    """Append rows; the first ``header_rows`` in bold (formula-like text is neutralised when saved)."""
    for i, row in enumerate(rows):
        ws.append(list(row))
        if i < header_rows:
            for c in ws[ws.max_row]:
                c.font = Font(bold=True)


def _round(x, digits=2):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), digits)


def workbook_bytes(rep: MonitorReport) -> bytes:
    """The report as an Excel workbook of one sheet (formula-like text neutralised), as bytes."""
    wb = gio.SafeWorkbook()
    wb.remove(wb.active)
    add_monitor_sheet(wb, rep, set())
    gio.neutralise_workbook(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_monitor_outputs(rep: MonitorReport, out_dir: str | Path) -> list[Path]:
    """Write monitor(.csv/_history.csv/.xlsx) into ``out_dir``; return the paths.

    The files go through :func:`growthsim.io.replace_folder` under their own
    manifest (``monitor.json``, ``monitor_示例.json``), so the monitor shares a
    folder with ``growthsim run`` and the planner's files, touching only its own.
    """
    name = stem(rep)
    files = {f"{name}.csv": csv_bytes(csv_table(rep)),
             f"{name}_history.csv": csv_bytes(history_table(rep)),
             f"{name}.xlsx": workbook_bytes(rep)}
    facts = {"command": "monitor", "year": rep.year, "region": rep.region.id, "illustrative": bool(rep.illustrative),
             "files": sorted(files)}
    files[f"{name}.json"] = (json.dumps(facts, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    written = gio.replace_folder(out_dir, files, manifest=f"{name}.json", command="monitor")
    return [p for p in written if p.suffix != ".json"]
