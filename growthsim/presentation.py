"""Presentation shared by the exports, the command line and the app: units, number formats, documents.

Kept in the growthsim layer so that the workbook, the CSV files, the CLI
tables and the app show the same units, the same decimals and the same
document titles. Units and their decimals come from the unit table
(:mod:`simulation.units`), an indicator's from its registry entry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from growthsim.calibration import city
from growthsim.calibration.record import KNOWN
from growthsim.i18n import Pair
from growthsim.i18n import text as catalogue_text
from growthsim.simulation.units import unit_of

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2e80-\u2fdf]")

# ---------------------------------------------------------------- units (the table: simulation/units.py)


def unit(u: str, lang: str) -> str:
    """A unit in the reader's language ('家' -> 'firms'), from the unit table (:mod:`simulation.units`)."""
    return unit_of(u).name(lang)


def with_unit(number_text: str, u: str, lang: str) -> str:
    """'4,806' + '家' -> '4,806家' / '4,806 firms'; '%' sticks to the number in both.

    Parameters
    ----------
    number_text : str
        The number, formatted.
    u : str
        Unit code (``simulation/units.py``).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    return unit_of(u).attach(number_text, lang)


def wrote(what: str, lang: str) -> str:
    """The line that tells where a command wrote its files, in ``lang`` ("已写入 …" / "wrote …")."""
    return catalogue_text("out.wrote", lang, what=what)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds any Chinese (CJK) character: the one-language checks use it."""
    return bool(CJK.search(str(text)))


# ---------------------------------------------------------------- why a target is not modelled


def untracked_reason(target, lang: str) -> str:
    """Why a declared target is not modelled, in the reader's language (the targets file gives both)."""
    return target.untracked_reason_zh if lang == "zh" else target.untracked_reason


def untracked_pair(target) -> Pair:
    """Why a declared target is not modelled, as a message's field: shown in the reader's language."""
    return Pair(target.untracked_reason_zh, target.untracked_reason)


# ---------------------------------------------------------------- the source documents, by title and date

# Each archived document's title and date as the text itself gives them, from the active city pack's
# city.toml ([sources."<file>"]): where the text gives no date, the year it covers is shown and marked as
# such; nothing is made up.


class _PackDocuments(Mapping):
    """The active city pack's documents by file name (``city.toml`` ``[sources]``), read at each lookup."""

    def __getitem__(self, name: str) -> Mapping[str, str]:
        """The document's title_zh, title_en, date, year_zh and year_en."""
        return city.active().documents[name]

    def __iter__(self) -> Iterator[str]:
        """The documents' file names."""
        return iter(city.active().documents)

    def __len__(self) -> int:
        """How many documents the pack names."""
        return len(city.active().documents)


DOCUMENTS: Mapping[str, Mapping[str, str]] = _PackDocuments()
FILE_NAME = re.compile(r"\b(\d{3})_[0-9a-f]{16}\.txt\b")
SHORT_REF = re.compile(r"(?<![\w.])(00[0-4])(?![\w.])")


def document_name(file_name: str, lang: str) -> str:
    """《<the document's title>》，2021-10-25 / <its English title>, 2021-10-25 (from the pack's city.toml)."""
    doc = DOCUMENTS.get(file_name)
    if doc is None:
        return catalogue_text("source.untitled", lang, file=file_name)
    when = doc["date"] or Pair(doc["year_zh"], doc["year_en"])
    return catalogue_text("source.document", lang, title=Pair(doc["title_zh"], doc["title_en"]), when=when)



# ---------------------------------------------------------------- who published a figure cited by URL

# The record gives each publisher twice, as data: ``publisher`` as the source is cited (Chinese names, English
# notes on how the page relates to the original: "mirror of 国家统计局 release") and ``publisher_zh`` as a Chinese
# reader reads it ("转载自国家统计局发布"). A pack without the Chinese column shows its publisher as written. In
# English the Chinese names in ``publisher`` are set in quotation marks: a mark (a name, like a quote, is shown
# in its own language), not a translation, so it is done here rather than written into every cell.
_CHINESE_RUN = re.compile(r"“[^”]*”|[\d《]*[\u3400-\u9fff][\u3400-\u9fff\d《》·/、：—.% -]*")


def _absent(value: object) -> bool:
    """An empty cell: None, NaN (a pandas gap) or blank text."""
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def publisher_text(publisher: object, publisher_zh: object, lang: str) -> str:
    """Who published a figure cited by URL, in the reader's language.

    Parameters
    ----------
    publisher : object
        The record's ``publisher`` cell, as the source is cited.
    publisher_zh : object
        Its ``publisher_zh`` cell (empty or NaN where the pack has no such column).
    lang : str
        ``zh``: the Chinese cell, or ``publisher`` as written without one; ``en``: ``publisher`` with its
        Chinese names in quotation marks.
    """
    if _absent(publisher):
        return ""
    s = str(publisher).strip()
    if lang == "zh":
        return s if _absent(publisher_zh) else str(publisher_zh).strip()
    return _CHINESE_RUN.sub(lambda m: m.group(0) if m.group(0).startswith("“") else
                            f"“{m.group(0).rstrip()}”" + (" " if m.group(0).endswith(" ") else ""), s)


def is_web_source(source_file: str) -> bool:
    """A figure cited by web address (no local copy of the page to check the quote against)."""
    return str(source_file).startswith(("http://", "https://"))


def calibration_document(row, lang: str) -> str:
    """A figure's source: the seed document's title and date, or, for a figure cited by URL, its publisher and date."""
    if is_web_source(row.source_file):
        shown = publisher_text(getattr(row, "publisher", ""), getattr(row, "publisher_zh", ""), lang)
        published = str(getattr(row, "published", "") or "")
        if shown and published:
            return catalogue_text("source.who_when", lang, who=shown, when=published)
        return shown or published
    return document_name(row.source_file, lang)


# ---------------------------------------------------------------- numbers

def assumed_path(lang: str) -> str:
    """The mark of an indicator that assumptions set (the registry's set_by), shown without quantiles in every
    view: 假设路径 / assumed path."""
    return catalogue_text("value.assumed_path", lang)


def marked_assumed(text: str, lang: str) -> str:
    """``text`` with the assumed-path mark after it: '10.2（假设路径）' / '10.2 (assumed path)'."""
    return catalogue_text("value.name_aside", lang, name=text, aside=assumed_path(lang))



def fmt_count_or_number(x: float, unit_: str) -> str:
    """A value as text at its unit's precision, with thousands separators: '4,806', '27.9', '12,400.6'."""
    return unit_of(unit_).number(x)


# Reported-figure labels: declared once, beside their unit and role, in calibration/record.py KNOWN.
CALIBRATION_LABELS: dict[str, tuple[str, str]] = {k: (v.label_zh, v.label_en) for k, v in KNOWN.items()}


def terminal_console(**options):
    """A rich Console whose width follows the terminal (or ``COLUMNS``) at each print, and which never
    passes a control character of the text it prints to the terminal.

    rich fixes the width when a Console is made if ``COLUMNS`` is set then; the
    command-line modules make theirs at import, so the width is read again at
    every print instead (a resized terminal, a test's ``COLUMNS``). A title or
    label holding an escape sequence (``ESC]0;…`` retitles the window,
    ``ESC[2J`` clears the screen) is printed as ``\\x1b]0;…``: every control
    character but tab and line feed is shown, never obeyed
    (:func:`growthsim.io.terminal_text`); rich's own styles and cursor controls
    are not text and pass as they are.

    Parameters
    ----------
    **options
        Passed to ``rich.console.Console``.

    Returns
    -------
    rich.console.Console
        The console.
    """
    console = _SafeConsole(**options)
    if "width" not in options:
        console._width = None  # rich's own attribute: None means "ask the terminal each time"
    return console


@functools.lru_cache(maxsize=1)
def _safe_console_class():
    # deferred: rich.console (42 modules) is needed only on this path
    from rich.console import Console

    # deferred: rich.segment (15 modules) is needed only on this path
    from rich.segment import Segment

    # deferred: growthsim.io loads openpyxl, pydantic; only this path needs it
    from .io import terminal_text

    class SafeConsole(Console):
        """A Console that shows the control characters of printed text instead of sending them."""

        def _render_buffer(self, buffer):
            # rich's own controls (cursor moves of a progress bar) come as control segments: kept
            safe = (seg if seg.control else Segment(terminal_text(seg.text), seg.style, seg.control) for seg in buffer)
            return super()._render_buffer(safe)

    return SafeConsole


def _SafeConsole(**options):  # noqa: N802 - built on first use: rich is imported only when a console is made
    return _safe_console_class()(**options)
