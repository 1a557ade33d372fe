"""Writing files safely: atomic files, whole output folders swapped in, spreadsheet-safe cells, file names.

One place for what every writer needs:

- :func:`atomic_write` — a file is written beside its target and moved over it
  with ``os.replace``: a reader sees the old file or the new one, never half.
- :func:`replace_folder` (from :mod:`growthsim.outfolder`) — the one function a
  command calls to write its output folder: it touches only the files that
  command wrote, swaps the run in whole and keeps the folder's permissions.
- :func:`safe_cell` and :func:`csv_bytes` — text a spreadsheet could read as a
  formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
  gets OWASP's prefix ``'`` in CSV; :func:`neutralise_workbook` stores such
  cells in xlsx as explicit text, so no file growthsim writes holds a formula.
- :func:`safe_stem` — a file-name stem that stays in its folder on every
  system (pathvalidate, plus the project's own rules).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .outfolder import lock_path, replace_folder
from .settings import check_out_folder

__all__ = ["atomic_write", "replace_folder", "lock_path", "check_out_dir", "safe_cell", "csv_bytes",
           "neutralise_workbook", "safe_stem", "FORMULA_START", "CSV_ENCODING", "terminal_text", "cell_text",
           "safe_sheet_name", "SafeWorkbook", "write_new_folder", "write_new"]

CSV_ENCODING = "utf-8-sig"  # a BOM so that Excel shows Chinese text correctly
# OWASP "CSV injection": cells starting with these may be read as a formula or a DDE call.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


# ---------------------------------------------------------------- files


def _synced_temp(path: Path, data: bytes) -> str:
    """Write ``data`` to a new temporary file beside ``path``, flushed to disk; return its name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, ``fsync`` and ``os.replace``."""
    path = Path(path)
    tmp = _synced_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_new(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` only if no file of that name exists (atomic: ``os.link``); return whether written."""
    path = Path(path)
    tmp = _synced_temp(path, data)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: exclusive create (not atomic in content)
            try:
                with open(path, "xb") as fh:
                    fh.write(data)
            except FileExistsError:
                return False
        return True
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_new_folder(target: str | Path, files: dict[str, str]) -> None:
    """Write a new folder ``target`` holding ``files`` whole or not at all.

    Parameters
    ----------
    target : str or Path
        The folder to create; it must not exist (nor a file of that name).
    files : dict of str to str
        Relative path (``/``-separated) to UTF-8 text.

    Raises
    ------
    FileExistsError
        ``target`` appeared while the files were written; nothing of it was touched.
    OSError
        Anything else the file system refuses; the staging folder (ours) is removed.
    """
    target = Path(target)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.resolve().parent))
    try:
        for rel, text in files.items():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_text(text, encoding="utf-8")
        if os.path.lexists(target):
            raise FileExistsError(str(target))
        os.rename(stage, target)  # checked just before; only an empty folder made in between could be replaced
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)  # the staging folder is ours alone
        raise


# ---------------------------------------------------------------- output folders


def check_out_dir(out: str | Path, option: str = "--out") -> Path:
    """``out`` as given, once :func:`growthsim.settings.check_out_folder` has found it usable as an output folder."""
    check_out_folder(out, option)
    return Path(out)


# ---------------------------------------------------------------- cells


def safe_cell(value):
    """Text a spreadsheet would read as a formula gets OWASP's prefix ``'``; everything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    text_cols = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    renamed = {c: safe_cell(c) for c in frame.columns if isinstance(c, str) and safe_cell(c) != c}
    if not text_cols and not renamed:
        return frame
    out = frame.copy()
    for c in text_cols:
        out[c] = out[c].map(safe_cell)
    return out.rename(columns=renamed)


def csv_bytes(frame: pd.DataFrame, float_format: str = "%.6g") -> bytes:
    """A table as UTF-8 CSV with a BOM; text cells neutralised against formula injection."""
    return _safe_frame(frame).to_csv(index=False, float_format=float_format).encode(CSV_ENCODING)


def neutralise_workbook(wb) -> int:
    """Store every cell that openpyxl would write as a formula as plain text instead; return how many.

    The cell shows exactly the text (``=cmd|' /C calc'!A0`` stays visible) but
    Excel and LibreOffice never evaluate it: it is written as a string, not
    as ``<f>``. growthsim's workbooks contain no formulas of their own.
    """
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=")):
                    c.data_type = "s"
                    n += 1
    return n


# ---------------------------------------------------------------- text where it lands

# Control characters: a workbook cannot hold C0 controls but tab and line breaks (openpyxl refuses them); a
# terminal would obey them (ESC sequences retitle the window or clear the screen, a carriage return overwrites).
_CELL_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_CELL = 32_767  # Excel's limit of characters in a cell
SHEET_FORBIDDEN = '[]:*?/\\'


def terminal_text(text: str) -> str:
    """``text`` with every control character but tab and line feed shown as ``\\xNN`` (never obeyed)."""
    return _TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def cell_text(value):
    """A value as a workbook may hold it: control characters removed, text cut at Excel's 32,767 characters."""
    if not isinstance(value, str):
        return value
    text = _CELL_CONTROL.sub("", value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def safe_sheet_name(text: str, used: set[str]) -> str:
    """A sheet name Excel opens, unique in ``used`` (ignoring case), and added to it.

    Excel refuses ``[ ] : * ? / \\``, control characters, a name starting or ending with ``'``, a
    name over 31 characters, the reserved ``History`` and two names that differ only in case.
    """
    name = "".join(ch for ch in cell_text(str(text)) if ch not in SHEET_FORBIDDEN and ch.isprintable())
    name = name.strip().strip("'")[:31].strip().strip("'") or "sheet"
    if name.lower() == "history":
        name += "_1"
    taken = {u.lower() for u in used}
    base, i = name, 2
    while name.lower() in taken:
        suffix = f"_{i}"
        name, i = base[: 31 - len(suffix)].rstrip("'") + suffix, i + 1
    used.add(name)
    return name


class SafeWorksheet(Worksheet):
    """A worksheet whose cells receive text through :func:`cell_text` (no control characters, Excel's length)."""

    def cell(self, row, column, value=None):
        """As openpyxl's, with text made safe for the workbook.

        Parameters
        ----------
        row
            Row number (1 first).
        column
            Column number (1 first).
        value
            The cell's value.
        """
        return super().cell(row, column, cell_text(value))

    def append(self, iterable):
        """As openpyxl's, with text made safe for the workbook."""
        if isinstance(iterable, (list, tuple)):
            iterable = [cell_text(v) for v in iterable]
        return super().append(iterable)


class SafeWorkbook(Workbook):
    """The workbook growthsim writes: every sheet a :class:`SafeWorksheet` with a name Excel opens."""

    def create_sheet(self, title=None, index=None):
        """A new :class:`SafeWorksheet` (``title`` is made a valid sheet name, unique in this workbook)."""
        name = safe_sheet_name(title or "sheet", set(self.sheetnames))
        ws = SafeWorksheet(parent=self, title=name)
        self._add_sheet(sheet=ws, index=index)
        return ws


# ---------------------------------------------------------------- file names

MAX_STEM = 64
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_stem(name: str, fallback: str = "scenario", ascii_only: bool = False) -> str:
    """A file-name stem that stays in its folder, on Windows, macOS and Linux.

    Keeps letters (Chinese too unless ``ascii_only``), digits, ``_`` and ``-``;
    everything else, path separators and dots included, becomes ``_``. No
    leading dot or dash, at most 64 characters, never a reserved device name;
    the result is checked once more with pathvalidate for every platform.

    Parameters
    ----------
    name : str
        The name given.
    fallback : str
        The stem when nothing of ``name`` is left.
    ascii_only : bool
        Keep ASCII letters only.
    """
    # deferred: pathvalidate (12 modules) is needed only on this path
    from pathvalidate import is_valid_filename

    text = unicodedata.normalize("NFKC", str(name))
    out = []
    for ch in text:
        ok = ch.isascii() and (ch.isalnum() or ch in "_-") if ascii_only else (ch.isalnum() or ch in "_-")
        out.append(ch if ok else "_")
    stem = re.sub(r"_+", "_", "".join(out)).strip("_-")[:MAX_STEM].strip("_-")
    if not stem:
        stem = fallback
    if stem.lower() in _WINDOWS_RESERVED:
        stem = "_" + stem
    if not is_valid_filename(stem + ".toml", platform="universal"):
        stem = fallback
    return stem
