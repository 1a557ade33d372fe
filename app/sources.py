"""The calibration's source documents, read only from their own folder.

A reported figure names its source file; the calibration page shows that
file's text and checks that the quoted sentence really occurs in it. Only
names listed in ``calibration/sources/`` are opened, so a crafted name in a
data file cannot read anything else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from growthsim.calibration import city
from growthsim.i18n import text as catalogue_text
from growthsim.presentation import DOCUMENTS, FILE_NAME, SHORT_REF, document_name, is_web_source  # noqa: F401 - re-exported


def source_names(folder: Path | None = None) -> list[str]:
    """The source files' names in the folder (default: the active city pack's ``sources/``; hidden files left out):
    the only names a reported figure may open."""
    folder = folder or city.active().sources_dir
    if not folder.is_dir():
        return []   # a pack whose figures are all cited by URL
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


@lru_cache(maxsize=32)
def _read(folder: str, name: str, mtime_ns: int) -> str:
    return (Path(folder) / name).read_text(encoding="utf-8", errors="replace")


def source_text(name: str, folder: Path | None = None) -> str | None:
    """The text of a listed source file, or None if ``name`` is not one of them."""
    folder = folder or city.active().sources_dir
    if name not in source_names(folder):
        return None
    path = folder / name
    return _read(str(folder), name, path.stat().st_mtime_ns)


def quote_line(text: str | None, quote: str) -> int | None:
    """1-based line where the quote occurs (whole, or each '|'-separated part), else None."""
    if not text or not quote:
        return None
    parts = [quote] if quote in text else [p.strip() for p in quote.split("|") if p.strip()]
    if not parts or any(p not in text for p in parts):
        return None
    return text.count("\n", 0, text.index(parts[0])) + 1


def quote_lines(reported: pd.DataFrame, folder: Path | None = None) -> dict[object, int | None]:
    """For every reported figure (by its row label in ``reported``), the line of its quote in its source file.

    None when the quote is not found, and for a figure cited by URL (no local copy). Keyed by row, not by
    (year, indicator): a year's figure may be reported more than once (half-year, preliminary, final).
    """
    out = {}
    for r in reported.itertuples():
        out[r.Index] = None if is_web_source(r.source_file) else quote_line(source_text(r.source_file, folder), r.quote)
    return out


# ---------------------------------------------------------------- the documents, by title and date

def _by_number(num: str) -> str | None:
    return next((k for k in DOCUMENTS if k.startswith(num + "_")), None)


def source_note(text: str, lang: str) -> str:
    """A registry or target source note with every file name (or '002' short reference) as its document."""
    s = FILE_NAME.sub(lambda m: document_name(m.group(0), lang), str(text))
    return SHORT_REF.sub(lambda m: document_name(_by_number(m.group(1)), lang) if _by_number(m.group(1))
                         else m.group(0), s)


_QUOTE_EDGES = re.compile(r"^[ :：,.;]+|[ :：,.;]+$")  # the punctuation a quoted run is trimmed of, at each end


def source_quotes(text: str) -> list[tuple[str, str]]:
    """(file name, quoted Chinese text) pairs of a source note: the runs of Chinese after each file reference."""
    out = []
    s = str(text)
    marks = [(m.start(), m.end(), m.group(0)) for m in FILE_NAME.finditer(s)]
    marks += [(m.start(), m.end(), _by_number(m.group(1))) for m in SHORT_REF.finditer(s) if _by_number(m.group(1))]
    marks.sort()
    for i, (_start, end, name) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else len(s)
        chunk = s[end:stop]
        runs = re.findall(r"[^\sA-Za-z(),;.][^A-Za-z();]*[\u3400-\u9fff][^A-Za-z();]*", chunk)
        quote = " … ".join(_QUOTE_EDGES.sub("", r) for r in runs if re.search(r"[\u3400-\u9fff]", r))
        if len(quote) >= 3:
            out.append((name, quote))
    return out


def source_kind(text: str, lang: str) -> str:
    """How a value is grounded: reported in a document, derived or calibrated from one, or an assumption."""
    s = str(text).strip()
    low = s.lower()
    if s.startswith("假设") or low.startswith("assumption"):
        kind = "assumption"
    elif low.startswith("calibrated"):
        kind = "calibrated"
    elif low.startswith("derived"):
        kind = "derived"
    elif low.startswith("model.md"):
        kind = "model_brief"
    else:
        kind = "documents"
    return catalogue_text(f"source.kind_{kind}", lang)
