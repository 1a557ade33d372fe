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

from growthsim.calibration.monitoring_data import ILLUSTRATIVE_TAG

from . import io as gio
from .exports import _autowidth, _sheet_name, csv_bytes
from .i18n import Pair, both
from .i18n import text as catalogue_text
from .monitor import MonitorReport, data_source_text, pick, status_text
from .settings import DEFAULT_LANG

ILLUSTRATIVE_BANNER = both("monitor_table.banner")  # (Chinese, English): the app and the command show one


def _pct(p) -> str:
    return "—" if p is None or (isinstance(p, float) and math.isnan(p)) else f"{p:.0%}"


def _num(x, digits=1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:,.{digits}f}"


def _m(key: str, lang: str, **fields: object) -> str:
    """The monitoring table's text ``key`` in ``lang``: the catalogue's ``monitor_table.<key>``."""
    return catalogue_text(f"monitor_table.{key}", lang, **fields)


def _cell(key: str) -> str:
    """A monitor.csv cell said once for readers of either language: ``monitor_table.<key>``'s Chinese and English."""
    return " ".join(both(f"monitor_table.{key}"))


def summary_table(rep: MonitorReport, lang: str = DEFAULT_LANG) -> pd.DataFrame:
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
                 weights=_cell("cell_weights_profile" if rep.weights_from_profile else "cell_weights_equal"),
                 prior=rep.prior_label_zh, illustrative=_cell("cell_illustrative") if r["illustrative"] else "")
        out.append(d)
    return pd.DataFrame(out, columns=cols)


def history_table(rep: MonitorReport) -> pd.DataFrame:
    """monitor_history.csv: the probability after each reported month, with year, region and 示例 when illustrative."""
    h = rep.history_frame()
    h.insert(0, "region", rep.region.id)
    h.insert(0, "year", rep.year)
    if rep.illustrative:
        h["illustrative"] = _cell("cell_illustrative")
    return h


def stem(rep: MonitorReport) -> str:
    """The stem of the report's file names: ``monitor``, or ``monitor_示例`` for illustrative figures."""
    return f"monitor_{ILLUSTRATIVE_TAG}" if rep.illustrative else "monitor"


def add_monitor_sheet(wb: gio.SafeWorkbook, rep: MonitorReport, used: set[str] | None = None,
                      lang: str = DEFAULT_LANG) -> None:
    """Add the 年内监测 sheet (and its probability history) to a workbook, in ``lang``.

    Parameters
    ----------
    wb : gio.SafeWorkbook
        The workbook the sheet is added to.
    rep : MonitorReport
        The monitoring report.
    used : set[str] | None
        Sheet names already in the workbook (a new sheet gets a name not among them), or None.
    lang : str
        ``zh`` or ``en``: the language of the sheets.
    """
    lang = "en" if lang == "en" else "zh"
    used = set(wb.sheetnames) if used is None else used
    ws = wb.create_sheet(_sheet_name(_m("sheet_illustrative" if rep.illustrative else "sheet", lang), used))
    ws.append([catalogue_text("monitor_cli.title", lang, year=rep.year,
                              region=Pair(rep.region.name_zh, rep.region.name_en))])
    ws["A1"].font = Font(bold=True, size=12)
    if rep.illustrative:
        ws.append([pick(ILLUSTRATIVE_BANNER, lang)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, color="C00000")
    ws.append([rep.prior_label_en if lang == "en" else rep.prior_label_zh])
    ws.append([_m("error_model", lang, scale=rep.error_fit.scale, years=rep.error_fit.years,
                  pairs=rep.error_fit.pairs)])
    weights = (catalogue_text("monitor_cli.weights_profile", lang) if rep.weights_from_profile else
               _m("weights_equal", lang))
    ws.append([_m("weights", lang, weights=weights,
                  by_month=" ".join(_m("month_weight", lang, month=m, weight=w)
                                    for m, w in enumerate(rep.weights, start=1)))])
    table = summary_table(rep, lang)
    start = ws.max_row + 2
    ws.append([])
    _write_rows(ws, [list(table.columns)] + table.values.tolist(), header_rows=0)
    for c in ws[start]:
        c.font = Font(bold=True)
    ws.append([])
    ws.append([_m(key, lang) for key in ("src_target", "src_target_source", "src_target_quote", "src_data_source",
                                         "src_data_quote")])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for r in rep.rows:
        ws.append([r[f"target_{lang}"], r["target_source"], r["target_quote"], data_source_text(r, lang),
                   r["data_quote"]])
    for note in rep.notes:
        ws.append([pick(note, lang)])
    _autowidth(ws, maximum=60)
    hist = history_table(rep)
    ws2 = wb.create_sheet(_sheet_name(_m("history_sheet_illustrative" if rep.illustrative else "history_sheet", lang),
                                      used))
    names = {r["target_id"]: r[f"target_{lang}"] for r in rep.rows}
    rows = [[_m(key, lang) for key in ("col_target", "col_month", "col_cumulative", "col_predictor", "col_base",
                                       "col_error_sd", "col_probability", "col_posterior_mean")]]
    for h in hist.itertuples():
        rows.append([names.get(h.target_id, h.target_id), int(h.month), _round(h.cumulative), _round(h.predictor),
                     _m("two_year_average", lang) if h.base_effect else "", _round(h.error_sd),
                     _round(h.probability, 3), _round(h.posterior_mean)])
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


def workbook_bytes(rep: MonitorReport, lang: str = DEFAULT_LANG) -> bytes:
    """The report as an Excel workbook in ``lang`` (formula-like text neutralised), as bytes."""
    wb = gio.SafeWorkbook()
    wb.remove(wb.active)
    add_monitor_sheet(wb, rep, set(), lang)
    gio.neutralise_workbook(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_monitor_outputs(rep: MonitorReport, out_dir: str | Path, lang: str = DEFAULT_LANG) -> list[Path]:
    """Write monitor(.csv/_history.csv/.xlsx) into ``out_dir``; return the paths. The workbook is in ``lang``.

    The files go through :func:`growthsim.io.replace_folder` under their own
    manifest (``monitor.json``, ``monitor_示例.json``), so the monitor shares a
    folder with ``growthsim run`` and the planner's files, touching only its own.

    Parameters
    ----------
    rep : MonitorReport
        The monitoring report.
    out_dir : str | Path
        The output folder.
    lang : str
        ``zh`` or ``en``: the workbook's language (the CSV files hold both).
    """
    name = stem(rep)
    files = {f"{name}.csv": csv_bytes(csv_table(rep)),
             f"{name}_history.csv": csv_bytes(history_table(rep)),
             f"{name}.xlsx": workbook_bytes(rep, lang)}
    facts = {"command": "monitor", "year": rep.year, "region": rep.region.id, "illustrative": bool(rep.illustrative),
             "files": sorted(files)}
    files[f"{name}.json"] = (json.dumps(facts, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    written = gio.replace_folder(out_dir, files, manifest=f"{name}.json", command="monitor")
    return [p for p in written if p.suffix != ".json"]
