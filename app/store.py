"""Saved scenarios: TOML files in one folder, with names that cannot leave it.

The folder is ``$GROWTHSIM_SAVED_DIR`` or ``saved_scenarios/`` under the
current directory. It is created on first save together with a
``.gitignore`` so that planners' files never end up in the repository.
Files are written atomically (temporary file, then ``os.replace``).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from growthsim.errors import UserInputError
from growthsim.scenario_files import MAX_BYTES, dump_scenario, parse_scenario
from simulation.scenario import Scenario

ENV_VAR = "GROWTHSIM_SAVED_DIR"
DEFAULT_DIR = "saved_scenarios"
MAX_STEM = 64
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
ID_PATTERN = re.compile(r"[A-Za-z0-9_\-]{1,64}")


def saved_dir() -> Path:
    """The folder for saved scenarios (read from the environment at call time)."""
    return Path(os.environ.get(ENV_VAR) or Path.cwd() / DEFAULT_DIR)


def safe_stem(name: str, fallback: str = "scenario", ascii_only: bool = False) -> str:
    """A file-name stem that stays in its folder.

    Keeps letters (Chinese too unless ``ascii_only``), digits, ``_`` and ``-``;
    everything else, path separators and dots included, becomes ``_``. No
    leading dot or dash, at most 64 characters, never a reserved device name.
    """
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
    return stem


def download_name(title: str, suffix: str) -> str:
    """A download file name from a (possibly Chinese) title: ``我的情景.toml``."""
    return f"{safe_stem(title)}.{suffix}"


def scenario_id_for(title: str) -> str:
    """A scenario id (ASCII, as scenario files require) for a title; Chinese titles get a short hash."""
    stem = safe_stem(title, fallback="", ascii_only=True)
    if stem and len(stem) >= 3 and not re.search(r"[^\x00-\x7f]", title):
        return stem
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    return f"s-{stem[:40]}-{digest}" if stem else f"s-{digest}"


def path_in(folder: Path, stem: str) -> Path:
    """``folder/stem.toml``, refusing anything that would resolve outside ``folder``."""
    clean = safe_stem(stem, ascii_only=True)
    target = (folder / f"{clean}.toml").resolve()
    if target.parent != folder.resolve():
        raise UserInputError(f"{stem!r}: a saved file must stay in {folder}")
    return target


def save(scenario: Scenario, folder: Path | None = None) -> Path:
    """Write a scenario as ``<id>.toml`` into the folder, atomically; return the path."""
    folder = Path(folder or saved_dir())
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# planners' saved scenarios stay out of git\n*\n", encoding="utf-8")
    target = path_in(folder, scenario.id)
    text = dump_scenario(scenario)
    fd, tmp = tempfile.mkstemp(prefix=".saving-", suffix=".toml", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


@dataclass(frozen=True)
class SavedList:
    scenarios: dict[str, Scenario]  # by id
    problems: tuple[str, ...]       # one message per unreadable file


def list_saved(first_year: int, folder: Path | None = None) -> SavedList:
    """Every readable scenario in the folder; unreadable files are reported, not fatal."""
    folder = Path(folder or saved_dir())
    if not folder.is_dir():
        return SavedList({}, ())
    found: dict[str, Scenario] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            if path.stat().st_size > MAX_BYTES:
                raise UserInputError(f"{path.name}: larger than {MAX_BYTES} bytes")
            text = path.read_bytes().decode("utf-8")
            s = parse_scenario(text, path.name, first_year)
        except UnicodeDecodeError:
            problems.append(f"{path.name}: not UTF-8 text")
            continue
        except (UserInputError, OSError) as err:
            problems.append(str(err))
            continue
        if s.id in found:
            problems.append(f"{path.name}: scenario id {s.id!r} is also used by another file; skipped")
            continue
        found[s.id] = s
    return SavedList(found, tuple(problems))
