"""Saved scenarios: TOML files in one folder, with names that cannot leave it.

The folder is ``$GROWTHSIM_SAVED_DIR`` or ``saved_scenarios/`` under the
current directory. It is created on first save together with a
``.gitignore`` so that planners' files never end up in the repository.

Saving never replaces a file: the file appears whole or not at all
(:func:`growthsim.io.write_new`), and when a file of that name already holds
another scenario — another planner's with the same title, or an earlier
version — the new one is kept beside it as a version stamped with its time
(``<id>-20250102-153000.toml``). The folder is bounded: at most
:data:`MAX_FILES` files and :data:`MAX_TOTAL_BYTES` in all; at the limit a
save is refused with a message saying so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from growthsim.calibration.textfile import TextFileError, read_text
from growthsim.errors import UserInputError
from growthsim.i18n import Message
from growthsim.io import safe_stem, write_new
from growthsim.scenario_files import MAX_BYTES, WHAT, dump_scenario, parse_scenario
from growthsim.simulation.scenario import Scenario

ENV_VAR = "GROWTHSIM_SAVED_DIR"
DEFAULT_DIR = "saved_scenarios"
MAX_FILES = 500               # saved scenarios in the folder
MAX_TOTAL_BYTES = 20_000_000  # all saved scenarios together (one is a few hundred bytes)
ID_PATTERN = re.compile(r"[A-Za-z0-9_\-]{1,64}")


def saved_dir() -> Path:
    """The folder for saved scenarios (read from the environment at call time)."""
    return Path(os.environ.get(ENV_VAR) or Path.cwd() / DEFAULT_DIR)


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
        raise UserInputError("store.outside_folder", stem=stem, folder=str(folder))
    return target


def _check_room(folder: Path, size: int) -> None:
    files = [p for p in folder.glob("*.toml") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    if len(files) >= MAX_FILES:
        raise UserInputError("store.too_many_files", n=len(files), most=MAX_FILES, folder=str(folder))
    if total + size > MAX_TOTAL_BYTES:
        raise UserInputError("store.too_many_bytes", n=total, most=MAX_TOTAL_BYTES, folder=str(folder))


def save(scenario: Scenario, folder: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Write a scenario as ``<id>.toml`` into the folder; return the path. Never replaces a file.

    If ``<id>.toml`` exists and holds this very scenario, nothing is written.
    If it holds another, the scenario is saved as a version
    ``<id>-YYYYMMDD-HHMMSS.toml`` (its id changed to match, the title kept), so
    two planners' scenarios with the same title both stay.

    Parameters
    ----------
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    folder : Path | None
        The scenario folder, or None: the user's.
    now : dt.datetime | None
        The time stamped on a version, or None: now.
    """
    folder = Path(folder or saved_dir())
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# planners' saved scenarios stay out of git\n*\n", encoding="utf-8")
    target = path_in(folder, scenario.id)
    data = dump_scenario(scenario).encode("utf-8")
    try:
        if target.is_file() and target.read_bytes() == data:
            return target  # already saved, unchanged
    except OSError:
        pass
    _check_room(folder, len(data))
    if write_new(target, data):
        return target
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = scenario.id[: 64 - len(stamp) - 4]
    for n in range(1, 100):
        vid = f"{base}-{stamp}" + (f"-{n}" if n > 1 else "")
        version = replace(scenario, id=vid)
        target = path_in(folder, vid)
        if write_new(target, dump_scenario(version).encode("utf-8")):
            return target
    raise UserInputError("store.too_many_versions", id=scenario.id)


@dataclass(frozen=True)
class SavedList:
    """The saved-scenario folder as read: its scenarios by id, and one message per unreadable file."""

    scenarios: dict[str, Scenario]          # by id
    problems: tuple[Message | str, ...]     # one message per unreadable file


def list_saved(first_year: int, folder: Path | None = None) -> SavedList:
    """Every readable scenario in the folder; unreadable files are reported, not fatal."""
    folder = Path(folder or saved_dir())
    if not folder.is_dir():
        return SavedList({}, ())
    found: dict[str, Scenario] = {}
    problems: list[Message | str] = []
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            text = read_text(path, what=WHAT, max_bytes=MAX_BYTES, name=path.name)
            s = parse_scenario(text, path.name, first_year)
        except (TextFileError, UserInputError) as err:
            problems.append(err.message)
            continue
        except OSError as err:
            problems.append(Message("store.unreadable", file=path.name, reason=str(err)))
            continue
        if s.id in found:
            problems.append(Message("store.id_used_twice", file=path.name, id=s.id))
            continue
        found[s.id] = s
    return SavedList(found, tuple(problems))
