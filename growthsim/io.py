"""Writing files safely: atomic files, whole output folders swapped in, spreadsheet-safe cells, file names.

One place for what every writer needs:

- :func:`atomic_write` — a file is written beside its target and moved over it
  with ``os.replace``: a reader sees the old file or the new one, never half.
- :func:`replace_folder` — a run's files are written into a new folder beside
  the output folder, which is then swapped in whole (``renameat2`` with
  ``RENAME_EXCHANGE`` on Linux: one atomic step). An output folder therefore
  always holds one run: never files of two runs, never an earlier run's files
  of other formats. Files growthsim did not write (a planner's notes, another
  command's sub-folder) are carried into the new folder. A lock beside the
  folder refuses a second run into the same folder while one is writing, and
  the next run removes what a killed run left behind.
- :func:`safe_cell` and :func:`csv_bytes` — text a spreadsheet could read as a
  formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
  gets OWASP's prefix ``'`` in CSV; :func:`neutralise_workbook` stores such
  cells in xlsx as explicit text, so no file growthsim writes holds a formula.
- :func:`safe_stem` — a file-name stem that stays in its folder on every
  system (pathvalidate, plus the project's own rules).
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .errors import UserInputError

__all__ = ["atomic_write", "replace_folder", "safe_cell", "csv_bytes", "neutralise_workbook", "safe_stem",
           "FORMULA_START", "CSV_ENCODING"]

CSV_ENCODING = "utf-8-sig"  # a BOM so that Excel shows Chinese text correctly
# OWASP "CSV injection": cells starting with these may be read as a formula or a DDE call.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Files an operating system or Excel puts into a folder; they are never a reason to refuse it.
_SYSTEM_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}


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


# ---------------------------------------------------------------- output folders


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _prefix(out: Path) -> str:
    return f".{out.name}.growthsim-"


def lock_path(out: Path) -> Path:
    """The lock file of an output folder: beside it, so that it survives the folder's swap."""
    return out.parent / f".{out.name}.growthsim.lock"


def _listed(manifest: Path) -> set[str] | None:
    """Top-level names an earlier run's manifest lists (None: no readable manifest)."""
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(listed, list):
        return None
    return {Path(n).parts[0] for n in listed if isinstance(n, str) and n and ".." not in Path(n).parts}


def _clean_leftovers(out: Path) -> None:
    """Remove what a killed run left: new folders never swapped in, old folders never removed.

    Called under the folder's lock, so none of them belongs to a live run. If
    the output folder itself is missing (a run killed between the two renames
    of the fallback swap), the newest old folder is put back first.
    """
    parent = out.parent
    if not parent.is_dir():
        return
    olds = sorted((p for p in parent.glob(_prefix(out) + "old-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    if olds and not out.exists():
        os.rename(olds.pop(), out)
    for p in list(parent.glob(_prefix(out) + "new-*")) + olds:
        shutil.rmtree(p, ignore_errors=True)
    if out.is_dir():  # temporary folders of earlier growthsim versions, inside the folder
        for p in out.glob(".growthsim-*"):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)


def check_out_dir(out: str | Path, option: str = "--out") -> Path:
    """An output folder path that is not a file."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UserInputError(f"{option} {out}: 已存在且不是文件夹；允许：一个文件夹（新的或 growthsim 写过的）\n"
                             f"{option} {out}: exists and is not a folder; allowed: a folder (new, or one growthsim wrote)")
    return out


def replace_folder(out: str | Path, files: Mapping[str, bytes], manifest: str = "manifest.json",
                   option: str = "--out") -> list[Path]:
    """Make ``out`` hold exactly this run's ``files`` (names may have one sub-folder), swapped in whole.

    Returns the paths written. Raises UserInputError when another run is
    writing the same folder; OSError when the disk refuses (then ``out`` is
    unchanged). See the module notes for the guarantees.
    """
    from filelock import FileLock, Timeout

    out = given = check_out_dir(Path(out), option)
    here, target = Path.cwd().resolve(), out.resolve()
    if target == here or target in here.parents or not out.name or out.name in (".", ".."):
        raise UserInputError(f"{option} {out}: 是当前文件夹或其上级；growthsim 每次运行整体替换输出文件夹；允许：一个子文件夹，如 out/\n"
                             f"{option} {out}: is the current folder or holds it; growthsim replaces the output folder "
                             f"as a whole; allowed: a sub-folder such as out/")
    out = target
    if manifest not in files:
        raise ValueError(f"the files must include the manifest {manifest}")
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(out)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UserInputError(f"{option} {out}: 另一个 growthsim 运行正在写入此文件夹；请等待其完成，或换一个 {option}\n"
                             f"{option} {out}: another growthsim run is writing this folder; wait for it to finish "
                             f"or choose another {option} (lock {lock_path(out).name})") from None
    try:
        _clean_leftovers(out)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        new = Path(tempfile.mkdtemp(prefix=_prefix(out) + f"new-{stamp}-", dir=out.parent))
        os.chmod(new, 0o777 & ~_umask())  # mkdtemp makes it private; the output folder is an ordinary folder
        try:
            for name, data in files.items():
                target = new / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            if out.is_dir():
                earlier = _listed(out / manifest) or set()
                ours = {Path(n).parts[0] for n in files}
                carried: list[str] = []
                try:
                    for entry in sorted(out.iterdir()):  # carry over what no growthsim run wrote
                        if entry.name in earlier or entry.name in ours or entry.name == manifest:
                            continue
                        if entry.name.startswith(".growthsim-") or entry.name.startswith("~$"):
                            continue  # a temporary folder of an earlier version; an Excel owner file
                        os.rename(entry, new / entry.name)
                        carried.append(entry.name)
                    swapped = _exchange(new, out)
                except BaseException:
                    for name in carried:  # put them back: the folder stays as it was
                        os.rename(new / name, out / name)
                    raise
                if not swapped:
                    old = out.parent / (_prefix(out) + f"old-{stamp}-{new.name[-8:]}")
                    os.rename(out, old)
                    os.rename(new, out)
                    shutil.rmtree(old, ignore_errors=True)
                    new = old
            else:
                os.rename(new, out)
        finally:
            shutil.rmtree(new, ignore_errors=True)  # after a swap: the earlier run's folder
        return [given / name for name in files]
    finally:
        lock.release()


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


# ---------------------------------------------------------------- file names

MAX_STEM = 64
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_stem(name: str, fallback: str = "scenario", ascii_only: bool = False) -> str:
    """A file-name stem that stays in its folder, on Windows, macOS and Linux.

    Keeps letters (Chinese too unless ``ascii_only``), digits, ``_`` and ``-``;
    everything else, path separators and dots included, becomes ``_``. No
    leading dot or dash, at most 64 characters, never a reserved device name;
    the result is checked once more with pathvalidate for every platform.
    """
    import re
    import unicodedata

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
