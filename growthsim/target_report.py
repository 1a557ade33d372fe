"""The target desk's tables and files: ladder.csv, ladder_targets.csv, the 目标测算 sheet, the Word note.

Every number comes from a :class:`growthsim.target_setting.TargetDesk`; this
module lays it out (CSV, the workbook sheet the run's workbook also gains) and
writes the files atomically into one output folder.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from growthsim.simulation.indicators import indicators
from growthsim.simulation.ladder import RUNGS

from . import io as gio
from .exports import _autowidth, _header, _page, _put, _sheet_name
from .presentation import unit
from .settings import DEFAULT_LANG, LANGS, check_choice
from .target_setting import TargetDesk, measure_of
from .target_split import add_split_sheet, split_frame
from .target_words import (
    between_sentence,
    gap_sentence,
    header,
    indicator_name,
    kind_name,
    lever_columns,
    lever_table_rows,
    measure_unit,
    package_sentence,
    rung_name,
    rung_note,
)

DESK_FORMATS = ("csv", "xlsx", "docx")


def target_label(t, lang: str) -> str:
    """A target's label in ``lang`` (English without Chinese asides)."""
    return t.label_zh if lang == "zh" else t.label_en


def titles(desk: TargetDesk, lang: str) -> tuple[str, str]:
    """(the laddered scenario's title, the package's title) in ``lang``."""
    return desk.scenario.title(lang), desk.package.title(lang) if desk.package is not None else ""


def ladder_table(desk: TargetDesk, lang: str | None = None) -> pd.DataFrame:
    """The ladder, long: one row per indicator and year, rounded to the indicator's precision.

    Without ``lang`` the columns are ids (for scripts); with it, names in that language beside them.
    """
    out = desk.ladder.copy()
    for r in RUNGS:
        out[r.key] = [round(float(v), indicators()[i].decimals) for v, i in zip(out[r.key], out.indicator, strict=True)]
    if lang is None:
        return out
    out.insert(2, "indicator_name", [indicator_name(i, lang) for i in out.indicator])
    out["unit"] = [unit(u, lang) for u in out["unit"]]
    if lang == "en":
        return out
    return out.rename(columns={k: header(k, lang) for k in ("year", "unit", "floor", "strive", "stretch")}
                      | {"indicator_name": header("indicator", lang), "scenario": header("scenario", lang)})


def targets_table(desk: TargetDesk, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Each target on the ladder: kind (测算目标 / 已公布目标), value, median, probability, rung, what it takes, gap."""
    by_id = {t.id: t for t in desk.pool}
    names = titles(desk, lang)
    rows = []
    for r in desk.targets.itertuples(index=False):
        t = by_id[r.target_id]
        m = measure_of(t)
        d = indicators()[t.indicator].decimals
        ans, gap = desk.answers.get(t.id), desk.gaps.get(t.id)
        rows.append({"target_id": t.id, header("target", lang): target_label(t, lang),
                     header("kind", lang): kind_name(bool(r.posed), lang), header("year", lang): int(r.year),
                     header("value", lang): float(r.value), header("unit", lang): measure_unit(m, lang),
                     header("p50", lang): round(float(r.p50), max(d, 1)),
                     header("probability", lang): round(float(r.probability), 4),
                     header("rung", lang): rung_name(r.rung, lang),
                     header("takes", lang): package_sentence(ans, names, lang) if ans else "",
                     header("gap", lang): gap_sentence(gap, t, m, names, lang) if gap else ""})
    return pd.DataFrame(rows)


def gaps_table(desk: TargetDesk, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The waterfall of every solved target: from the starting median, each group's part, what is left, the target."""
    by_id = {t.id: t for t in desk.pool}
    rows = []
    for tid, gap in desk.gaps.items():
        label = target_label(by_id[tid], lang)
        start = header("gap_start", lang)
        rows.append({"target_id": tid, header("target", lang): label, "step": start, "value": gap.start_median})
        for pl, c in zip(gap.attribution.players, gap.attribution.contributions, strict=True):
            rows.append({"target_id": tid, header("target", lang): label, "step": pl.label(lang), "value": float(c)})
        rows.append({"target_id": tid, header("target", lang): label,
                     "step": header("gap_left_open", lang), "value": gap.remainder})
        rows.append({"target_id": tid, header("target", lang): label,
                     "step": header("gap_target", lang), "value": gap.target_value})
    return pd.DataFrame(rows, columns=["target_id", header("target", lang), "step", "value"])


# ---------------------------------------------------------------- the workbook sheet


def _ladder_block(ws, desk: TargetDesk, row: int, lang: str) -> int:
    years = sorted(int(y) for y in desk.ladder.year.unique())
    _header(ws, row, [header("indicator", lang), header("unit", lang), "", *years])
    row += 1
    for ind, sub in desk.ladder.groupby("indicator", sort=False):
        fmt = indicators()[ind].number_format
        for r in RUNGS:
            _put(ws, row, 1, indicator_name(ind, lang))
            _put(ws, row, 2, unit(indicators()[ind].unit, lang))
            _put(ws, row, 3, f"{r.name(lang)} {r.probability:.0%}")
            for j, y in enumerate(years):
                v = sub.loc[sub.year == y, r.key]
                _put(ws, row, 4 + j, float(v.iloc[0]) if len(v) else None, fmt)
            row += 1
    return row


def _targets_block(ws, desk: TargetDesk, row: int, lang: str) -> int:
    tab = targets_table(desk, lang).drop(columns=["target_id"])
    if tab.empty:
        return row
    _header(ws, row, list(tab.columns))
    row += 1
    for rec in tab.itertuples(index=False):
        for j, v in enumerate(rec):
            c = _put(ws, row, 1 + j, v, "0.0%" if tab.columns[j] == header("probability", lang) else None)
            c.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    return row


def _levers_block(ws, desk: TargetDesk, row: int, lang: str) -> int:
    by_id = {t.id: t for t in desk.pool}
    for tid, ans in desk.answers.items():
        _put(ws, row, 1, target_label(by_id[tid], lang)).font = Font(bold=True)
        row += 1
        _header(ws, row, [header(k, lang) for k in lever_columns(ans)])
        row += 1
        for rec in lever_table_rows(ans, lang):
            for j, v in enumerate(rec.values()):
                _put(ws, row, 1 + j, v, "0.00" if isinstance(v, float) else None)
            row += 1
    return row


def add_desk_sheet(wb: Workbook, desk: TargetDesk, lang: str = DEFAULT_LANG, used: set[str] | None = None) -> None:
    """The 目标测算 sheet: the ladder by indicator and year, each target with its probability, what it takes
    and where its gap lies, and the levers each answer implies.

    Parameters
    ----------
    wb : Workbook
        The workbook the sheet is added to.
    desk : TargetDesk
        The target desk: ladders, targets on them, package answers and gaps.
    lang : str
        ``zh`` or ``en``: the reader's language.
    used : set[str] | None
        Sheet names already in the workbook (a new sheet gets a name not among them), or None.
    """
    used = used if used is not None else set(wb.sheetnames)
    ws = wb.create_sheet(_sheet_name(header("sheet", lang), used))
    title = header("sheet_title", lang, scenario=desk.scenario.title(lang), draws=desk.draws, seed=desk.seed)
    ws.cell(1, 1, title).font = Font(bold=True, size=12)
    ws.cell(2, 1, rung_note(lang))
    row = _ladder_block(ws, desk, 4, lang) + 1
    row = _targets_block(ws, desk, row, lang) + 1
    _levers_block(ws, desk, row, lang)
    _page(ws, 4, "D5", "A:C")
    _autowidth(ws, first_row=4, maximum=60)


def desk_workbook_bytes(desk: TargetDesk, lang: str = DEFAULT_LANG, extra=None) -> bytes:
    """A workbook of its own: the 目标测算 sheet (and ``extra(wb, used)`` sheets, e.g. the 分解表).

    Parameters
    ----------
    desk : TargetDesk
        The target desk: ladders, targets on them, package answers and gaps.
    lang : str
        ``zh`` or ``en``: the reader's language.
    extra
        Called with (workbook, used sheet names) to add sheets, or None.
    """
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    add_desk_sheet(wb, desk, lang, used)
    if extra is not None:
        extra(wb, used)
    gio.neutralise_workbook(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- files


def write_desk_outputs(desk: TargetDesk, out: str | Path, formats=("csv", "xlsx"), lang: str = DEFAULT_LANG,
                       facts: dict | None = None, docx: bytes | None = None, split=None) -> list[Path]:
    """Make ``out`` hold exactly this ladder's files (ladder.csv, ladder_targets.csv, ladder_gaps.csv,
    ladder_split.csv, ladder.xlsx with the 分解表, ladder.docx), swapped in whole; return the paths written.

    Parameters
    ----------
    desk : TargetDesk
        The target desk: ladders, targets on them, package answers and gaps.
    out : str | Path
        The output folder.
    formats
        File formats to write (csv, xlsx, docx).
    lang : str
        ``zh`` or ``en``: the reader's language.
    facts : dict | None
        The run's facts for the manifest, or None.
    docx : bytes | None
        The Word note's bytes, or None.
    split
        The split tables (分解表), or None.
    """
    check_choice(lang, LANGS, "--lang")
    for f in formats:
        check_choice(f, DESK_FORMATS, "--format")
    files: dict[str, bytes] = {}
    if "csv" in formats:
        files["ladder.csv"] = gio.csv_bytes(ladder_table(desk, lang), float_format="%.10g")
        files["ladder_targets.csv"] = gio.csv_bytes(targets_table(desk, lang), float_format="%.10g")
        if desk.gaps:
            files["ladder_gaps.csv"] = gio.csv_bytes(gaps_table(desk, lang).round(6), float_format="%.10g")
        if split is not None:
            files["ladder_split.csv"] = gio.csv_bytes(split_frame(split, lang), float_format="%.10g")
    if "xlsx" in formats:
        extra = (lambda wb, used: add_split_sheet(wb, split, lang, used)) if split is not None else None
        files["ladder.xlsx"] = desk_workbook_bytes(desk, lang, extra)
    if "docx" in formats and docx is not None:
        files["ladder.docx"] = docx
    manifest = dict(facts or {}, files=sorted(files))
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return gio.replace_folder(Path(out), files, manifest="manifest.json", command="ladder")


__all__ = ["ladder_table", "targets_table", "gaps_table", "add_desk_sheet", "desk_workbook_bytes",
           "write_desk_outputs", "between_sentence", "DESK_FORMATS"]
