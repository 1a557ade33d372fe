"""The paste-ready 测算说明: a short Word note (python-docx) a plan drafter pastes from.

Four parts, every number from the model run it describes: the ladder of each
target-bearing indicator (保底/力争/冲刺 by year), the targets on it (published
and 测算目标 candidates, with what each takes and where its gap lies, in
sentences), the assumptions (the scenario's and the package's levers, the
run's settings), and the model's track record from ``growthsim backtest``
(coverage of its bands, its error beside the naive forecasts), so that a
reader knows how far to trust it.
"""

from __future__ import annotations

import io

import pandas as pd

from growthsim.simulation.indicators import indicators
from growthsim.simulation.ladder import RUNGS
from growthsim.simulation.registry import parameters

from .i18n import Pair
from .i18n import text as catalogue_text
from .presentation import fmt_count_or_number, unit
from .settings import DEFAULT_LANG
from .target_report import target_label, targets_table, titles
from .target_setting import TargetDesk
from .target_split import split_frame, split_note
from .target_words import (
    gap_sentence,
    header,
    indicator_name,
    lever_amount,
    package_sentence,
    rung_note,
)


def _h(key: str, lang: str, **fmt) -> str:
    """The note's text ``key`` in ``lang``: the catalogue's ``note.<key>``."""
    return catalogue_text(f"note.{key}", lang, **fmt)


def _table(doc, frame: pd.DataFrame) -> None:
    """A Word table of ``frame``: a bold header row, then the cells as text."""
    t = doc.add_table(rows=1, cols=len(frame.columns))
    t.style = "Table Grid"
    for j, c in enumerate(frame.columns):
        t.rows[0].cells[j].text = str(c)
        for run in t.rows[0].cells[j].paragraphs[0].runs:
            run.bold = True
    for rec in frame.itertuples(index=False):
        cells = t.add_row().cells
        for j, v in enumerate(rec):
            cells[j].text = "—" if v is None or (isinstance(v, float) and v != v) else str(v)


def ladder_frame_for_note(desk: TargetDesk, year: int, lang: str) -> pd.DataFrame:
    """The ladder of every laddered indicator in ``year``, formatted: indicator, unit, the three rungs.

    Parameters
    ----------
    desk : TargetDesk
        The target desk: ladders, targets on them, package answers and gaps.
    year : int
        The calendar year.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    rows = []
    sub = desk.ladder[desk.ladder.year == year]
    for r in sub.itertuples(index=False):
        u = indicators()[r.indicator].unit
        rows.append({header("indicator", lang): indicator_name(r.indicator, lang),
                     header("unit", lang): unit(u, lang),
                     **{rung.name(lang): fmt_count_or_number(getattr(r, rung.key), u) for rung in RUNGS}})
    return pd.DataFrame(rows)


def _ladder_part(doc, desk: TargetDesk, lang: str) -> None:
    doc.add_heading(_h("ladder", lang), level=1)
    doc.add_paragraph(rung_note(lang))
    years = sorted(int(y) for y in desk.ladder.year.unique())
    for y in (years[1] if len(years) > 1 else years[0], years[-1]):   # next year and the horizon
        doc.add_paragraph(_h("year", lang, year=y)).runs[0].bold = True
        _table(doc, ladder_frame_for_note(desk, y, lang))


def _targets_part(doc, desk: TargetDesk, lang: str) -> None:
    doc.add_heading(_h("targets", lang), level=1)
    tab = targets_table(desk, lang)
    if tab.empty:
        return
    keep = [c for c in tab.columns if c not in ("target_id", header("takes", lang), header("gap", lang))]
    shown = tab[keep].copy()
    prob = header("probability", lang)
    shown[prob] = [f"{p:.0%}" for p in shown[prob]]
    _table(doc, shown)
    by_id = {t.id: t for t in desk.pool}
    names = titles(desk, lang)
    for tid in desk.answers:
        t = by_id[tid]
        doc.add_paragraph(target_label(t, lang)).runs[0].bold = True
        doc.add_paragraph(package_sentence(desk.answers[tid], names, lang))
        doc.add_paragraph(gap_sentence(desk.gaps[tid], t, t.reads, names, lang))


def _assumptions_part(doc, desk: TargetDesk, cal, lang: str) -> None:
    doc.add_heading(_h("assumptions", lang), level=1)
    doc.add_paragraph(_h("run", lang, scen=desk.scenario.title(lang), draws=f"{desk.draws:,}", seed=desk.seed,
                         horizon=desk.horizon, through=cal.data_through))
    reg = parameters()
    for scen in [s for s in (desk.scenario, desk.package) if s is not None]:
        levers = {k: v for k, v in scen.values.items() if reg[k].kind == "lever"}
        doc.add_paragraph(_h("levers", lang, scen=scen.title(lang)))
        if not levers:
            doc.add_paragraph(_h("none", lang), style="List Bullet")
        for k, v in levers.items():
            value = v if not isinstance(v, dict) else v[max(v)]
            name = Pair(reg[k].label("zh"), reg[k].label("en"))
            doc.add_paragraph(_h("lever_line", lang, name=name, value=lever_amount(k, float(value), lang)),
                              style="List Bullet")


def _record_part(doc, backtest, lang: str) -> None:
    doc.add_heading(_h("record", lang), level=1)
    if backtest is None:
        doc.add_paragraph(_h("no_record", lang))
        return
    # deferred: backtest_report loads scoringrules; only this path needs it
    from .backtest_report import coverage_display, errors_display

    doc.add_paragraph(_h("record_note", lang))
    doc.add_paragraph(_h("coverage", lang)).runs[0].bold = True
    _table(doc, coverage_display(backtest, lang))
    doc.add_paragraph(_h("errors", lang)).runs[0].bold = True
    err = errors_display(backtest, lang)
    _table(doc, err[err.columns[:7]])


def _split_part(doc, tab, lang: str) -> None:
    doc.add_heading(_h("split", lang), level=1)
    doc.add_paragraph(tab.target.label(lang)).runs[0].bold = True
    doc.add_paragraph(split_note(tab, lang))
    frame = split_frame(tab, lang)
    frame[frame.columns[3]] = [f"{p:.0%}" for p in frame[frame.columns[3]]]
    _table(doc, frame)


def note_bytes(desk: TargetDesk, lang: str = DEFAULT_LANG, cal=None, backtest=None, split=None) -> bytes:
    """The Word note (.docx) of a target desk, in ``lang``; ``backtest`` adds the track record.

    Parameters
    ----------
    desk : TargetDesk
        The ladder, targets and answers to write up.
    lang : {"zh", "en"}
        The note's language.
    cal : Calibration, optional
        The calibration (for the data-through year); None reads it from the desk's projection.
    backtest : calibration.backtest.Backtest, optional
        ``growthsim backtest``'s result.
    split : growthsim.target_split.SplitTable, optional
        A city target split among the districts.

    Returns
    -------
    bytes
        The .docx file.
    """
    from docx import Document  # python-docx: only this note needs it

    doc = Document()
    doc.add_heading(_h("title", lang), level=0)
    _ladder_part(doc, desk, lang)
    _targets_part(doc, desk, lang)
    if cal is not None:
        _assumptions_part(doc, desk, cal, lang)
    _record_part(doc, backtest, lang)
    if split is not None:
        _split_part(doc, split, lang)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
