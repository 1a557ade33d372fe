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
import math
import re
from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from growthsim.calibration import city as packs
from growthsim.calibration.targets import reported_outcomes, targets
from growthsim.simulation.events import EVENT_PARAMETERS
from growthsim.simulation.indicators import indicators, shown_in
from growthsim.simulation.registry import parameters
from growthsim.simulation.targets import COMPARATORS
from growthsim.simulation.units import unit_of

from . import io as gio
from .errors import UserInputError
from .i18n import Joined, Pair
from .i18n import text as catalogue_text
from .pipeline_report import extra_tables
from .presentation import (
    DOCUMENTS,
    FILE_NAME,
    assumed_path,
    document_name,
    marked_assumed,
    unit,
    untracked_reason,
)
from .runner import RunResult
from .scorecard import assumption_flag, readings
from .settings import DEFAULT_LANG, FORMATS, check_choice
from .target_split import add_split_sheet

CSV_ENCODING = gio.CSV_ENCODING  # a BOM so that Excel shows the Chinese units correctly
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
LANGS = ("zh", "en")



def _w(key: str, lang: str, **fmt) -> str:
    """The workbook's text ``key`` in ``lang``: the catalogue's ``workbook.<key>``."""
    return catalogue_text(f"workbook.{key}", lang, **fmt)


def _sheet_name(text: str, used: set[str]) -> str:
    """A sheet name Excel opens, unique in ``used`` (:func:`growthsim.io.safe_sheet_name`)."""
    return gio.safe_sheet_name(text, used)


def _text_width(value) -> float:
    text = str(value)
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def _autowidth(ws, first_row: int = 1, minimum: float = 6, maximum: float = 40,
               fixed: dict[int, float] | None = None) -> None:
    """Column widths from the cells' text (Chinese counts double), ignoring a wide title in row 1."""
    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row):
        for c in row:
            if c.value is None or type(c).__name__ == "MergedCell":
                continue
            if isinstance(c.value, (int, float)):
                w = len(f"{c.value:,.1f}") + 1
            else:
                w = max(_text_width(line) for line in str(c.value).split("\n"))
            widths[c.column] = max(widths.get(c.column, 0), w)
    for col, w in widths.items():
        width = (fixed or {}).get(col) or max(minimum, min(maximum, w + 1.5))
        ws.column_dimensions[get_column_letter(col)].width = width


# A sheet prints one page wide at 9 pt or more: on A4 landscape (margins 0.4 in) 11 pt type keeps 9 pt when the
# columns add up to at most about 160 widths (one width is a digit of the default font, about 5.7 pt in print);
# 150 leaves room for the CJK font's wider glyphs.
PRINT_WIDTH = 150
LINE_HEIGHT = 16.0  # points per line of 11 pt type (Noto CJK's line gap is the widest of the fonts used)


def _wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` wide (a word moved to the next line wastes up to a
    fifth of a line: hence 0.8)."""
    room = max(1.0, (width - 1.5) * 0.8)
    return sum(max(1, math.ceil(_text_width(line) / room)) for line in text.split("\n"))


def _longest_word(text: str) -> float:
    """The width of the longest run a line cannot break inside: a Latin word up to a space, a hyphen or a slash
    (Chinese breaks between characters)."""
    return max((_text_width(w) for w in re.findall(r"[\x21-\x2c\x2e\x30-\x7e\u00a0-\u2e7f]+", text)),
               default=0.0)


def _shrink_to_page(ws, widths: dict[int, float]) -> None:
    """Widen each column to its longest word, then narrow the widest text columns (never below 12 nor below a
    word) until the sheet is :data:`PRINT_WIDTH` wide."""
    floor = dict.fromkeys(widths, 0.0)
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, str) and type(c).__name__ != "MergedCell":
                floor[c.column] = max(floor[c.column], _longest_word(c.value) + 1.5)
    for col, least in floor.items():
        widths[col] = max(widths[col], least)
    text_cols = {c.column for row in ws.iter_rows(min_row=2) for c in row
                 if isinstance(c.value, str) and _text_width(c.value) > 12}
    while sum(widths.values()) > PRINT_WIDTH:
        wide = [col for col in text_cols if widths[col] > max(12.0, floor[col])]
        if not wide:
            return
        widths[max(wide, key=widths.get)] -= 1


def fit_for_print(ws) -> None:
    """Make a sheet print whole: one page wide at a readable size, long text wrapped, rows tall enough for it.

    LibreOffice and Excel print a cell's text only as far as its column reaches, and neither sizes a row for
    wrapped text the workbook did not measure: each text cell too long for its column wraps, and its row is
    given the height of its lines.

    Parameters
    ----------
    ws : Worksheet
        A finished sheet (values, widths and styles set).
    """
    widths = {col: ws.column_dimensions[get_column_letter(col)].width or 8.43 for col in range(1, ws.max_column + 1)}
    _shrink_to_page(ws, widths)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    spans = {(r.min_row, r.min_col): sum(widths[c] for c in range(r.min_col, r.max_col + 1))
             for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for c in row:
            if not isinstance(c.value, str) or type(c).__name__ == "MergedCell":
                continue
            width = spans.get((c.row, c.column), widths[c.column])
            if _text_width(c.value) > width - 1.5 and (c.row, c.column) not in spans and len(widths) > c.column \
                    and not any(x.value is not None for x in row[c.column:]):
                # a line of its own (a note under a table): the row's width, merged, rather than a thin column
                ws.merge_cells(start_row=c.row, start_column=c.column, end_row=c.row, end_column=len(widths))
                width = sum(widths[col] for col in range(c.column, len(widths) + 1))
            if _text_width(c.value) > width - 1.5 or "\n" in c.value:
                a = c.alignment
                c.alignment = Alignment(wrap_text=True, horizontal=a.horizontal, vertical=a.vertical or "top")
                lines = max(lines, _wrapped_lines(c.value, width))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines + 2


def _header(ws, row: int, values: list, start: int = 1) -> None:
    for i, v in enumerate(values):
        c = ws.cell(row=row, column=start + i, value=v)
        c.font, c.fill = BOLD, HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if isinstance(v, int):
            c.number_format = "0"


def _title(ws, text: str) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=12)


def _page(ws, header_rows: int, freeze: str, title_cols: str | None = "A:B") -> None:
    """Frozen panes, print titles, A4 landscape fitted to one page wide."""
    ws.freeze_panes = freeze
    ws.print_title_rows = f"1:{header_rows}"
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _num(x, digits: int | None = None):
    if x is None or pd.isna(x):
        return None
    v = float(x)
    return round(v, digits) if digits is not None else v


def _put(ws, row: int, col: int, value, fmt: str | None = None):
    c = ws.cell(row=row, column=col, value=value)
    if fmt and isinstance(value, (int, float)):
        c.number_format = fmt
    return c


def _indicator_name(m, lang: str) -> str:
    """An indicator's row name: its name, marked 假设路径 / assumed path when assumptions set it (no P10, P90)."""
    name = m.name_zh if lang == "zh" else m.name_en
    return marked_assumed(name, lang) if m.assumed else name


def _scenario_sheet(ws, s, sub: pd.DataFrame, tgt: pd.DataFrame, years: list[int], lang: str,
                    all_targets: dict | None = None) -> None:
    """Per indicator three rows, the median, P10 and P90 (all numbers), one column per year; the latest target,
    its year and probability on the median's row. Years run across and the band down, so the sheet prints one
    page wide at a readable size (the band beside each year's median printed near 7 pt)."""
    meta, all_targets = indicators(), all_targets or targets()
    _title(ws, _w("title", lang, name=s.title(lang)))
    ncols = 3 + len(years)
    _header(ws, 2, [_w("indicator", lang), _w("unit", lang), _w("statistic", lang), *(int(y) for y in years),
                    _w("target", lang), _w("target_year", lang), _w("probability", lang)])
    row = 3
    for ind in shown_in("workbook"):
        rows = sub[sub.indicator == ind].set_index("year")
        if not rows.empty:
            row = _indicator_rows(ws, row, meta[ind], rows, years, lang)
            _target_cells(ws, row, ncols, tgt[(tgt.scenario == s.id) & (tgt.indicator == ind)], all_targets, lang)
            row += 1 if meta[ind].assumed else 3
    ws.cell(row=row + 1, column=1, value=s.description_zh if lang == "zh" else s.description_en)
    _page(ws, 2, "D3", "A:C")
    _autowidth(ws, first_row=2, fixed={1: 30, 2: 10, ncols + 1: 16})
    for j in range(len(years)):  # the medians are bold: a bold digit is about a tenth wider
        values = [c.value for c in ws[get_column_letter(4 + j)][2:] if isinstance(c.value, int | float)]
        widest = max((len(f"{v:,.1f}") for v in values), default=6)
        ws.column_dimensions[get_column_letter(4 + j)].width = max(8.0, 1.15 * widest + 2)
    for col, width in ((3, 8), (ncols + 2, 8), (ncols + 3, 9)):
        ws.column_dimensions[get_column_letter(col)].width = width


def _indicator_rows(ws, row: int, m, rows: pd.DataFrame, years: list[int], lang: str) -> int:
    """One indicator's rows from ``row``: the median (bold) and, unless assumptions set it, P10 and P90 in grey.

    Parameters
    ----------
    ws : Worksheet
        The scenario's sheet.
    row : int
        The median's row (1-based).
    m : Indicator
        The indicator's registry entry (name, unit, decimals, format).
    rows : pandas.DataFrame
        Its quantiles by year (columns p50, p10, p90).
    years : list of int
        The years, one column each from column 4.
    lang : str
        ``zh`` or ``en``.

    Returns
    -------
    int
        ``row`` (the median's row, where the target goes).
    """
    stats = (("p50", _w("median", lang)),) if m.assumed else (("p50", _w("median", lang)), ("p10", "P10"),
                                                                ("p90", "P90"))
    ws.cell(row=row, column=1, value=_indicator_name(m, lang)).alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(row=row, column=2, value=unit(m.unit, lang)).alignment = Alignment(wrap_text=True, vertical="top")
    for k, (q, label) in enumerate(stats):
        ws.cell(row=row + k, column=3, value=assumed_path(lang) if m.assumed else label)
        for j, y in enumerate(years):
            c = _put(ws, row + k, 4 + j, _num(rows[q].get(y), m.decimals), m.number_format)
            c.font = BOLD if k == 0 else Font(color="595959")  # grey at 7:1 on white
    return row


def _target_cells(ws, row: int, ncols: int, ind_targets: pd.DataFrame, all_targets: dict, lang: str) -> None:
    """The indicator's latest target (not a past year's), its year and probability after its year columns.

    Parameters
    ----------
    ws : Worksheet
        The scenario's sheet.
    row : int
        The indicator's median row (1-based).
    ncols : int
        The columns before the target's (indicator, unit, statistic and the years).
    ind_targets : pandas.DataFrame
        The scenario's target rows for this indicator (target_id, year, probability).
    all_targets : dict
        Targets by id.
    lang : str
        ``zh`` or ``en``.
    """
    if ind_targets.empty:
        return
    tr = ind_targets.loc[ind_targets.year.idxmax()]
    tg = all_targets[tr.target_id]
    ws.cell(row=row, column=ncols + 1, value=tg.text(lang)).alignment = Alignment(wrap_text=True, vertical="top")
    _put(ws, row, ncols + 2, int(tr.year), "0")
    if tg.decided_by:  # an assumption decides it: no probability
        ws.cell(row=row, column=ncols + 3, value=assumption_flag(lang))
    else:
        _put(ws, row, ncols + 3, _num(tr.probability, 3), "0%")


def _compare_sheet(ws, result: RunResult, lang: str) -> None:
    meta, all_targets = indicators(), result.pool or targets()
    tgt = result.target_table
    names = {s.id: s.title(lang) for s in result.scenarios}
    _title(ws, _w("compare_title", lang))
    head = [_w("target", lang), _w("indicator", lang), _w("year", lang), _w("rule", lang), _w("reading", lang)]
    head += [f"{names[i]} {_w('median', lang)}" for i in names] + [f"{names[i]} {_w('probability', lang)}"
                                                                   for i in names]
    _header(ws, 2, head)
    order = list(all_targets)
    ids = sorted(tgt.target_id.unique(), key=lambda tid: (all_targets[tid].year, order.index(tid)))
    row = 3
    for tid in ids:
        tg = all_targets[tid]
        m = meta[tg.indicator]
        u = tg.unit or m.unit
        sub = tgt[tgt.target_id == tid].set_index("scenario")
        ws.cell(row=row, column=1, value=tg.label_zh if lang == "zh" else tg.label_en)
        ws.cell(row=row, column=2, value=m.name_zh if lang == "zh" else m.name_en)
        _put(ws, row, 3, int(tg.year), "0")
        ws.cell(row=row, column=4, value=tg.text(lang))
        ws.cell(row=row, column=5, value=tg.reading(lang))
        for j, i in enumerate(names):
            _put(ws, row, 6 + j, _num(sub.p50.get(i), unit_of(u).decimals), unit_of(u).number_format)
            if tg.decided_by:  # an assumption decides it: no probability
                ws.cell(row=row, column=6 + len(names) + j, value=assumption_flag(lang))
            else:
                _put(ws, row, 6 + len(names) + j, _num(sub.probability.get(i), 3), "0%")
        row += 1
    row = _past_targets(ws, result, row + 1, lang)
    _page(ws, 2, "B3", "A:A")
    _autowidth(ws, first_row=2, fixed={1: 34, 2: 24})
    for r in range(3, row):
        if not isinstance(ws.cell(row=r, column=3).value, int):  # the reported years' title and header rows
            continue
        for c in (1, 2):
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="center")


def _past_targets(ws, result: RunResult, row: int, lang: str) -> int:
    """Below the projected targets: targets of reported years, read as the scorecard reads them.

    The same for every scenario (scenarios change years after the base year only): the reported value and
    达成/未达成, or, where the figure was not published, the posterior median and the probability it was met
    (:func:`growthsim.scorecard.readings`).
    """
    out = reported_outcomes(result.calibration)
    if out.empty:
        return row
    meta, all_targets = indicators(), targets()
    empty = result.target_table.iloc[0:0]
    past = readings(all_targets, empty, result.projection_table.iloc[0:0], out, result.calibration.data_through)
    ws.cell(row=row, column=1, value=_w("past_title", lang)).font = BOLD
    _header(ws, row + 1, [_w("target", lang), _w("indicator", lang), _w("year", lang), _w("rule", lang),
                          _w("reading", lang), _w("reported", lang), _w("outcome", lang)])
    row += 2
    for r in past:
        tg = r.target
        m = meta[tg.indicator]
        ws.cell(row=row, column=1, value=tg.label_zh if lang == "zh" else tg.label_en)
        ws.cell(row=row, column=2, value=m.name_zh if lang == "zh" else m.name_en)
        _put(ws, row, 3, int(tg.year), "0")
        ws.cell(row=row, column=4, value=tg.text(lang))
        ws.cell(row=row, column=5, value=tg.reading(lang))
        _put(ws, row, 6, _num(r.value, m.decimals), m.number_format)
        ws.cell(row=row, column=7, value=r.outcome(lang))
        row += 1
    return row


def _levels_sheet(ws, result: RunResult, lang: str) -> None:
    meta = indicators()
    table = result.projection_table
    horizon = int(max(table.year))
    names = {s.id: s.title(lang) for s in result.scenarios}
    _title(ws, _w("levels_title", lang, y=horizon))
    _header(ws, 2, [_w("indicator", lang), _w("unit", lang)])
    for j, i in enumerate(names):
        col = 3 + 3 * j
        _header(ws, 2, [names[i]], start=col)
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + 2)
        _header(ws, 3, [_w("median", lang), "P10", "P90"], start=col)
    for col in (1, 2):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    row = 4
    for ind in shown_in("workbook"):
        sub = table[(table.indicator == ind) & (table.year == horizon)].set_index("scenario")
        if sub.empty:
            continue
        m = meta[ind]
        ws.cell(row=row, column=1, value=_indicator_name(m, lang))
        ws.cell(row=row, column=2, value=unit(m.unit, lang))
        for j, i in enumerate(names):
            for k, q in enumerate(("p50", "p10", "p90")):
                _put(ws, row, 3 + 3 * j + k, _num(sub[q].get(i), m.decimals), m.number_format)
        row += 1
    _page(ws, 3, "C4")
    _autowidth(ws, first_row=2, fixed={1: 30, 2: 8})


def _assumptions_sheet(ws, result: RunResult, lang: str) -> None:
    post = result.calibration.posterior
    reg, own = parameters(), packs.calibration_values(result.calibration)   # the pack's values and sources
    scen = result.scenarios
    has_years = {s.id: any(isinstance(v, dict) for v in s.values.values()) for s in scen}
    _title(ws, _w("assumptions_title", lang))
    head = [_w("parameter", lang), _w("kind", lang), _w("unit", lang), _w("lower", lang), _w("upper", lang)]
    for s in scen:
        head.append(s.title(lang))
        if has_years[s.id]:
            head.append(_w("by_year", lang, name=s.title(lang)))
    head += [_w("source", lang), _w("id", lang)]
    _header(ws, 2, head)
    row = 3
    for pid, p in reg.items():
        unused = pid in EVENT_PARAMETERS and result.settings.engine != "event"
        label = (p.label_zh if lang == "zh" else p.label_en) + (_w("event_only", lang) if unused else "")
        fmt = "0" if p.integer else "0.0##"
        values = [label, _w(f"kind_{p.kind}", lang), unit(p.unit, lang)]
        for i, v in enumerate(values):
            ws.cell(row=row, column=1 + i, value=v)
        _put(ws, row, 4, float(p.lower), fmt)
        _put(ws, row, 5, float(p.upper), fmt)
        col = 6
        for s in scen:
            v = s.values.get(pid)
            first = post.default(pid) if v is None or isinstance(v, dict) else v
            _put(ws, row, col, _num(first, 4), fmt)
            col += 1
            if has_years[s.id]:
                if isinstance(v, dict):
                    ws.cell(row=row, column=col, value=Joined(_w("from_year", lang, y=y, v=f"{x:g}")
                                                               for y, x in sorted(v.items())).text(lang))
                col += 1
        docs = sorted({document_name(m.group(0), lang) for m in FILE_NAME.finditer(own[pid].source)})
        note = packs.value_note(own[pid])
        ws.cell(row=row, column=col, value=Joined([*docs, *([note] if note else [])]).text(lang)
                or _w("no_source", lang))
        ws.cell(row=row, column=col + 1, value=pid)
        row += 1
    _page(ws, 2, "B3", "A:A")
    _autowidth(ws, first_row=2, fixed={1: 30, len(head) - 1: 48})
    for r in range(3, row):
        ws.cell(row=r, column=len(head) - 1).alignment = Alignment(wrap_text=True, vertical="top")


def _run_sheet(ws, result: RunResult, lang: str) -> None:
    f = result.facts
    items = [("seed", f["seed"]), ("draws", f["draws"]), ("base_year", f["base_year"]),
             ("data_through", f["data_through"]), ("horizon", f["horizon"]), ("data_file", f["data_file"]),
             ("scenarios", ", ".join(s.title(lang) for s in result.scenarios)), ("version", f["package_version"]),
             ("created", f["created"])]
    if f.get("engine") == "event":
        items += [("engine", _w("run_event_engine", lang)), ("projects_file", f["projects_file"] or "—"),
                  ("projects_label", f["projects_label"]), ("projects_as_of", f["projects_as_of"]),
                  ("projects", f["projects"])]
    _title(ws, _w("run", lang))
    _header(ws, 2, [_w("item", lang), _w("value", lang)])
    for i, (key, v) in enumerate(items):
        ws.cell(row=3 + i, column=1, value=_w(f"run_{key}", lang))
        c = ws.cell(row=3 + i, column=2, value=v.item() if hasattr(v, "item") else v)
        if isinstance(c.value, int):
            c.number_format = "0"
        c.alignment = Alignment(horizontal="left")
    _page(ws, 2, "A3", None)
    _autowidth(ws, first_row=2, fixed={2: 40})


def _notes_sheet(ws, result: RunResult, lang: str) -> None:
    """How to read the workbook, in the reader's language: bands, the 左右 rule, targets not modelled, sources."""
    all_targets = targets()
    heading = assumed_path(lang)
    lines: list[tuple[str, str]] = [(_w("notes_reading", lang), ""),
                                    (_w("notes_band", lang), _w("notes_band_text", lang)),
                                    (_w("notes_probability", lang), _w("notes_probability_text", lang)),
                                    (_w("notes_about", lang), _w("notes_about_text", lang)),
                                    (heading[:1].upper() + heading[1:], _w("notes_assumed_text", lang)),
                                    (_w("notes_units", lang), _w("notes_units_text", lang))]
    untracked = [t for t in all_targets.values() if not t.tracked]
    if untracked:
        lines.append(("", ""))
        lines.append((_w("untracked", lang), ""))
        for t in untracked:
            lines.append((Pair(t.label_zh, t.label_en).text(lang), untracked_reason(t, lang)))
    lines.append(("", ""))
    lines.append((_w("notes_sources", lang), ""))
    for name in DOCUMENTS:
        lines.append((document_name(name, lang), name))
    rep = result.calibration.reported
    web = rep[rep.source_file.astype(str).str.startswith(("http://", "https://"))]
    if len(web):  # figures cited by web address (statistical bulletins, press releases): publisher, date, URL
        lines.append((_w("notes_web", lang), _w("notes_web_text", lang, n=len(web),
                                                addresses=len(set(web.source_file)))))
    _title(ws, _w("notes", lang))
    for i, (a, b) in enumerate(lines):
        ca = ws.cell(row=2 + i, column=1, value=a or None)
        cb = ws.cell(row=2 + i, column=2, value=b or None)
        if a and not b:
            ca.font = BOLD
        ca.alignment = Alignment(wrap_text=True, vertical="top")
        cb.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 90
    _page(ws, 1, "A2", None)


def _extra_sheet(ws, title: str, frame: pd.DataFrame) -> None:
    _title(ws, title)
    _header(ws, 2, list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else (v.item() if hasattr(v, "item") else v)
                   for v in row])
    for col in ws.iter_cols(min_row=3):
        for c in col:
            if isinstance(c.value, float):
                c.number_format = "#,##0.0##"
            elif isinstance(c.value, int):
                c.number_format = "0"
    _page(ws, 2, "F3", "A:E")
    _autowidth(ws, first_row=2, maximum=24)


def _extra_tables(result, lang: str | None) -> list:
    """The event engine's tables in the output's language (Chinese unless ``--lang en``); none for a vector run."""
    if not result.extra_tables:
        return []

    return result.extra_tables if (lang or "zh") == "zh" else extra_tables(result, lang)


def workbook_bytes(result: RunResult, lang: str = DEFAULT_LANG) -> bytes:
    """The Excel workbook, in ``lang``: a sheet per scenario, the comparison, indicators, assumptions, run, notes."""
    check_choice(lang, LANGS, "--lang")
    table, tgt = result.projection_table, result.target_table
    years = sorted(int(y) for y in table.year.unique())
    wb = gio.SafeWorkbook()  # text made safe where it lands: no control characters, valid unique sheet names
    wb.remove(wb.active)
    used: set[str] = set()
    for s in result.scenarios:
        _scenario_sheet(wb.create_sheet(_sheet_name(s.title(lang), used)), s, table[table.scenario == s.id], tgt,
                        years, lang, result.pool)
    _compare_sheet(wb.create_sheet(_sheet_name(_w("compare", lang), used)), result, lang)
    _levels_sheet(wb.create_sheet(_sheet_name(_w("levels", lang), used)), result, lang)
    _assumptions_sheet(wb.create_sheet(_sheet_name(_w("assumptions", lang), used)), result, lang)
    _run_sheet(wb.create_sheet(_sheet_name(_w("run", lang), used)), result, lang)
    _notes_sheet(wb.create_sheet(_sheet_name(_w("notes", lang), used)), result, lang)
    if result.desk is not None:   # the first scenario's 目标测算 and 分解表 (growthsim.target_setting, target_split)
        # deferred: circular (target_report imports exports)
        from .target_report import add_desk_sheet

        add_desk_sheet(wb, result.desk, lang, used)
        if result.splits:
            add_split_sheet(wb, result.splits, lang, used)
    for _stem, sheet, title, frame in _extra_tables(result, lang):  # event engine: per-project and pipeline sheets
        _extra_sheet(wb.create_sheet(_sheet_name(sheet, used), index=len(result.scenarios)), title, frame)
    for ws in wb.worksheets:
        fit_for_print(ws)
    gio.neutralise_workbook(wb)  # a title or project name such as "=HYPERLINK(...)" stays text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# The columns whose CSV header is the catalogue's export.header_<column> in Chinese (``--lang zh``); English
# keeps the column ids.
CSV_COLUMNS = ("scenario", "scenario_title", "indicator", "indicator_name", "unit", "year", "mean", "p05", "p10",
               "p50", "p90", "p95", "target_id", "target_label", "comparator", "target", "gap", "probability")
VALUE_COLUMNS = ("mean", "p05", "p10", "p50", "p90", "p95", "target", "gap")


def localised_table(frame: pd.DataFrame, lang: str | None = None, titles: dict[str, str] | None = None,
                    pool: dict | None = None) -> pd.DataFrame:
    """A projection or target table rounded to each indicator's precision; with ``lang`` also its names.

    ``lang='zh'``: Chinese headers, the indicator's and target's Chinese names and the scenario's title
    beside the ids; ``lang='en'``: the same names in English, headers as ids.

    Parameters
    ----------
    frame : pd.DataFrame
        A projection table (indicator, year, quantiles in the indicator's unit) or a target table.
    lang : str | None
        ``zh`` or ``en``: the language of the headers and names, or None: ids only.
    titles : dict[str, str] | None
        Scenario titles by scenario id, in ``lang``.
    pool : dict | None
        Targets to choose from by id (None: the shipped plan targets).
    """
    out = frame.copy()
    if "indicator" in out.columns:
        meta = indicators()
        digits = [meta[i].decimals if i in meta else 2 for i in out.indicator]
        for col in VALUE_COLUMNS:
            if col in out.columns:
                out[col] = [None if pd.isna(v) else round(float(v), int(d)) for v, d in zip(out[col], digits,
                                                                                            strict=True)]
    if "probability" in out.columns:
        out["probability"] = pd.to_numeric(out["probability"], errors="coerce").round(4)  # None: no probability
    if "year" in out.columns:
        out["year"] = out["year"].astype(int)
    if lang is None:
        return out
    meta, all_targets = indicators(), pool or targets()
    zh = lang == "zh"
    if "indicator" in out.columns:
        out.insert(out.columns.get_loc("indicator") + 1, "indicator_name",
                   [(meta[i].name_zh if zh else meta[i].name_en) if i in meta else i for i in out.indicator])
    if "unit" in out.columns:
        out["unit"] = [unit(u, lang) for u in out["unit"]]
    if "target_id" in out.columns:
        out.insert(out.columns.get_loc("target_id") + 1, "target_label",
                   [(all_targets[i].label_zh if zh else all_targets[i].label_en) for i in out.target_id])
    if "comparator" in out.columns:
        out["comparator"] = [COMPARATORS[c].word(lang) for c in out.comparator]
    if titles and "scenario" in out.columns:
        out.insert(out.columns.get_loc("scenario") + 1, "scenario_title", [titles.get(s, s) for s in out.scenario])
    if zh:
        out = out.rename(columns={c: catalogue_text(f"export.header_{c}", "zh") for c in CSV_COLUMNS})
    return out


def csv_bytes(frame: pd.DataFrame, lang: str | None = None, titles: dict[str, str] | None = None,
              pool: dict | None = None) -> bytes:
    """A table as CSV (UTF-8 with BOM), rounded to each indicator's precision (no float noise); text that a
    spreadsheet would read as a formula gets the prefix ``'`` (:func:`growthsim.io.csv_bytes`).

    Parameters
    ----------
    frame : pd.DataFrame
        A projection table (indicator, year, quantiles in the indicator's unit) or a target table.
    lang : str | None
        ``zh`` or ``en``: the language of the headers and names, or None: ids only.
    titles : dict[str, str] | None
        Scenario titles by scenario id, in ``lang``.
    pool : dict | None
        Targets to choose from by id (None: the shipped plan targets).
    """
    table = localised_table(frame, lang, titles, pool) if ("indicator" in frame.columns or lang) else frame
    return gio.csv_bytes(table, float_format="%.10g")


def write_outputs(result: RunResult, out_dir: str | Path, formats: tuple[str, ...] = ("csv", "xlsx"),
                  lang: str | None = None) -> list[Path]:
    """Make ``out_dir`` hold exactly this run's files, swapped in whole; return the paths written.

    ``lang`` (zh or en) sets the workbook's language (default zh) and, when given, the CSV files'
    headers and names; without it the CSVs carry ids only.

    Parameters
    ----------
    result : RunResult
        The run's result: projections, target tables, settings.
    out_dir : str | Path
        The output folder.
    formats : tuple[str, ...]
        File formats (csv, xlsx, parquet).
    lang : str | None
        ``zh`` or ``en``: the language of the headers and names, or None: ids only.
    """
    if not formats:
        raise UserInputError("out.no_format", allowed=list(FORMATS))
    for f in formats:
        check_choice(f, FORMATS, "--format")
    if lang is not None:
        check_choice(lang, LANGS, "--lang")
    out = gio.check_out_dir(Path(out_dir))
    files: dict[str, bytes] = {}
    if "csv" in formats:
        titles = {s.id: s.title(lang or "zh") for s in result.scenarios}
        files["projections.csv"] = csv_bytes(result.projection_table, lang, titles)
        files["targets.csv"] = csv_bytes(result.target_table, lang, titles, result.pool)
        for stem, _sheet, _title, frame in _extra_tables(result, lang):
            files[f"{stem}.csv"] = gio.csv_bytes(frame.round(6), float_format="%.10g")
    if "xlsx" in formats:
        files["projections.xlsx"] = workbook_bytes(result, lang or "zh")
    if "parquet" in formats:
        for name, frame in (("projections.parquet", result.projection_table),
                            ("targets.parquet", result.target_table),
                            *((f"{stem}.parquet", frame) for stem, _s, _t, frame in _extra_tables(result, lang))):
            buf = io.BytesIO()
            frame.to_parquet(buf, index=False)
            files[name] = buf.getvalue()
    manifest = dict(result.facts, files=sorted(files))
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return gio.replace_folder(out, files, manifest="manifest.json", command="run")
