"""The calibration's source documents, read only from their own folder.

A reported figure names its source file; the calibration page shows that
file's text and checks that the quoted sentence really occurs in it. Only
names listed in ``calibration/sources/`` are opened, so a crafted name in a
data file cannot read anything else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from calibration.fit import SOURCES_DIR


def source_names(folder: Path = SOURCES_DIR) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


@lru_cache(maxsize=32)
def _read(folder: str, name: str, mtime_ns: int) -> str:
    return (Path(folder) / name).read_text(encoding="utf-8", errors="replace")


def source_text(name: str, folder: Path = SOURCES_DIR) -> str | None:
    """The text of a listed source file, or None if ``name`` is not one of them."""
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


def quote_lines(reported: pd.DataFrame, folder: Path = SOURCES_DIR) -> dict[tuple[int, str], int | None]:
    """For every reported figure, the line of its quote in its source (None when not found)."""
    out = {}
    for r in reported.itertuples():
        out[(int(r.year), r.indicator)] = quote_line(source_text(r.source_file, folder), r.quote)
    return out
