"""Writing run outputs: CSV, Excel, Parquet and the manifest, as one folder swapped in whole.

All files are first written into a new folder beside the output folder; only
when every file is complete is it swapped in (:func:`growthsim.io.replace_folder`),
so the output folder always holds exactly one run: a failed or killed run
leaves the earlier run complete, and a run with other formats leaves none of
the earlier run's files behind. Text cells are neutralised against formula
injection in CSV (OWASP's ``'`` prefix) and xlsx (explicit text cells).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from simulation.indicators import indicators
from simulation.targets import rule_text, targets

from . import io as gio
from .errors import UserInputError
from .runner import RunResult, assumptions_table
from .settings import FORMATS, check_choice

CSV_ENCODING = gio.CSV_ENCODING  # a BOM so that Excel shows the Chinese units correctly
SHEET_INDICATORS = (
    "mfg_va_share_gdp", "above_scale_firms", "above_scale_va_growth", "mfg_va_growth", "gdp", "mfg_va",
    "revenue", "profit", "profit_margin", "high_tech_share", "tech_renovation_investment",
    "tech_renovation_investment_growth", "industrial_investment", "industrial_investment_growth",
    "tech_renovation_share_industrial_investment", "firm_upgrades", "projects_entering_statistics", "firm_exits",
)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)


def _sheet_name(text: str, used: set[str]) -> str:
    name = "".join(ch for ch in text if ch not in '[]:*?/\\')[:31] or "sheet"
    base, i = name, 2
    while name in used:
        suffix = f"_{i}"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name)
    return name


def _autowidth(ws, minimum: int = 8, maximum: int = 48) -> None:
    for col in ws.columns:
        width = max((len(str(c.value)) * (2 if any(ord(ch) > 127 for ch in str(c.value)) else 1)
                     for c in col if c.value is not None), default=minimum)
        ws.column_dimensions[get_column_letter(col[0].column)].width = max(minimum, min(maximum, width + 2))


def _write_rows(ws, rows: list[list], header_rows: int = 1) -> None:
    for row in rows:
        ws.append(row)
    for r in ws.iter_rows(min_row=1, max_row=header_rows):
        for c in r:
            c.font, c.fill = BOLD, HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="center")


def _round(x, digits: int = 2):
    return None if pd.isna(x) else round(float(x), digits)


def workbook_bytes(result: RunResult) -> bytes:
    """The Excel workbook: a sheet per scenario, comparison, assumptions and run sheets."""
    meta, all_targets = indicators(), targets()
    table, tgt = result.projection_table, result.target_table
    years = sorted(table.year.unique())
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for s in result.scenarios:
        ws = wb.create_sheet(_sheet_name(s.title_zh, used))
        sub = table[table.scenario == s.id]
        ws.append([f"{s.title_zh}（{s.title_en}）— 中位数 P50，括号内为80%区间 P10–P90"])
        ws["A1"].font = Font(bold=True, size=12)
        header = ["指标", "单位"] + [str(y) for y in years] + ["目标", "目标年份", "达成概率"]
        ws.append(header)
        for c in ws[2]:
            c.font, c.fill = BOLD, HEADER_FILL
        for ind in SHEET_INDICATORS:
            rows = sub[sub.indicator == ind].set_index("year")
            if rows.empty:
                continue
            line = [meta[ind].name_zh, meta[ind].unit] + [_round(rows.p50.get(y)) for y in years]
            ind_targets = tgt[(tgt.scenario == s.id) & (tgt.indicator == ind)]
            if not ind_targets.empty:
                t = ind_targets.loc[ind_targets.year.idxmax()]  # the latest target, not a past year's
                line += [rule_text(t.comparator, t.target), int(t.year), _round(t.probability, 3)]
            ws.append(line)
            if len(line) == len(header):
                ws.cell(row=ws.max_row, column=len(header)).number_format = "0.0%"
        ws.append([])
        ws.append(["80%区间 (P10–P90)", ""] + [str(y) for y in years])
        for c in ws[ws.max_row]:
            c.font = BOLD
        for ind in SHEET_INDICATORS:
            rows = sub[sub.indicator == ind].set_index("year")
            if rows.empty:
                continue
            ws.append([meta[ind].name_zh, meta[ind].unit] + [
                "" if pd.isna(rows.p10.get(y)) else f"{rows.p10.get(y):.2f}–{rows.p90.get(y):.2f}" for y in years])
        ws.append([])
        ws.append([s.description_zh])
        ws.freeze_panes = "C3"
        _autowidth(ws)

    ws = wb.create_sheet(_sheet_name("情景比较", used))
    names = {s.id: s.title_zh for s in result.scenarios}
    rows = [["目标", "指标", "年份", "目标值"] + [f"{names[i]} P50" for i in names] + [f"{names[i]} 达成概率" for i in names]]
    for tid in tgt.target_id.unique():
        t = all_targets[tid]
        sub = tgt[tgt.target_id == tid].set_index("scenario")
        rows.append([t.label_zh, meta[t.indicator].name_zh, t.year,
                     rule_text(t.comparator, t.value)]
                    + [_round(sub.p50.get(i)) for i in names] + [_round(sub.probability.get(i), 3) for i in names])
    untracked = [t for t in all_targets.values() if not t.tracked]
    if untracked:
        rows.append([])
        rows.append(["未纳入模型的目标", "原因"])
        rows += [[t.label_zh, t.untracked_reason] for t in untracked]
    _write_rows(ws, rows)
    for r in range(2, 2 + tgt.target_id.nunique()):
        for c in range(5 + len(names), 5 + 2 * len(names)):
            ws.cell(row=r, column=c).number_format = "0.0%"
    ws.append([])
    horizon = max(years)
    ws.append([f"{horizon}年 指标比较 (P50)", "单位"] + [names[i] for i in names])
    for c in ws[ws.max_row]:
        c.font = BOLD
    for ind in SHEET_INDICATORS:
        sub = table[(table.indicator == ind) & (table.year == horizon)].set_index("scenario")
        ws.append([meta[ind].name_zh, meta[ind].unit] + [_round(sub.p50.get(i)) for i in names])
    _autowidth(ws)

    ws = wb.create_sheet(_sheet_name("参数假设", used))
    a = assumptions_table(result)
    header = ["参数", "中文名称", "English", "类型", "单位", "下限", "上限"] + [names[s.id] for s in result.scenarios] + ["来源"]
    _write_rows(ws, [header] + [[r["parameter"], r["label_zh"], r["label_en"],
                                 "政策杠杆" if r["kind"] == "lever" else "不确定因素", r["unit"], r["lower"], r["upper"]]
                                + [r[s.id] for s in result.scenarios] + [r["source"]] for r in a.to_dict("records")])
    _autowidth(ws)

    ws = wb.create_sheet(_sheet_name("运行信息", used))
    f = result.facts
    _write_rows(ws, [["项目", "值"], ["随机种子 seed", f["seed"]], ["模拟次数 draws", f["draws"]],
                     ["基准年 base year", f["base_year"]], ["数据截至 data through", f["data_through"]],
                     ["预测终年 horizon", f["horizon"]], ["数据文件 data file", f["data_file"]],
                     ["情景 scenarios", ", ".join(f["scenarios"])], ["版本 version", f["package_version"]],
                     ["生成时间 created (UTC)", f["created"]]]
                + ([["模型 engine", "事件模型 event (SimPy 项目管线)"], ["项目清单 project list", f["projects_file"] or "—"],
                    ["清单性质 list", f["projects_label"]], ["清单日期 as of", f["projects_as_of"]],
                    ["项目数 projects", f["projects"]]] if f.get("engine") == "event" else []))
    _autowidth(ws)
    for _stem, sheet, title, frame in result.extra_tables:  # event engine: per-project and pipeline sheets
        ws = wb.create_sheet(_sheet_name(sheet, used), index=len(result.scenarios))
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append(list(frame.columns))
        for c in ws[2]:
            c.font, c.fill = BOLD, HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="center")
        for row in frame.itertuples(index=False):
            ws.append([None if (isinstance(v, float) and v != v) else (v.item() if hasattr(v, "item") else v)
                       for v in row])
        ws.freeze_panes = "F3"
        _autowidth(ws, maximum=24)
    gio.neutralise_workbook(wb)  # a title or project name such as "=HYPERLINK(...)" stays text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM; text that a spreadsheet would read as a formula gets the prefix ``'``."""
    return gio.csv_bytes(frame, float_format="%.6g")


def write_outputs(result: RunResult, out_dir: str | Path, formats: tuple[str, ...] = ("csv", "xlsx")) -> list[Path]:
    """Make ``out_dir`` hold exactly this run's files, swapped in whole; return the paths written."""
    if not formats:
        raise UserInputError(f"--format: 至少一种；允许：{'、'.join(FORMATS)}\n--format: give at least one; "
                             f"allowed: {', '.join(FORMATS)}")
    for f in formats:
        check_choice(f, FORMATS, "--format")
    out = gio.check_out_dir(Path(out_dir))
    files: dict[str, bytes] = {}
    if "csv" in formats:
        files["projections.csv"] = csv_bytes(result.projection_table)
        files["targets.csv"] = csv_bytes(result.target_table)
        for stem, _sheet, _title, frame in result.extra_tables:
            files[f"{stem}.csv"] = csv_bytes(frame)
    if "xlsx" in formats:
        files["projections.xlsx"] = workbook_bytes(result)
    if "parquet" in formats:
        for name, frame in (("projections.parquet", result.projection_table),
                            ("targets.parquet", result.target_table),
                            *((f"{stem}.parquet", frame) for stem, _s, _t, frame in result.extra_tables)):
            buf = io.BytesIO()
            frame.to_parquet(buf, index=False)
            files[name] = buf.getvalue()
    manifest = dict(result.facts, files=sorted(files))
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return gio.replace_folder(out, files, manifest="manifest.json")
