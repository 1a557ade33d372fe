"""Reading scenario files (TOML) into :class:`simulation.scenario.Scenario`.

Only data is read: ``tomllib`` parses, nothing is evaluated or unpickled.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from simulation.registry import parameters
from simulation.scenario import HORIZON_MAX, ParameterValueError, Scenario, validate_values

from .errors import UserInputError

SECTIONS = {"scenario", "levers", "uncertainties"}
SECTION_OF_KIND = {"lever": "levers", "uncertainty": "uncertainties"}
META_KEYS = {"id", "title_zh", "title_en", "description_zh", "description_en"}
MAX_BYTES = 1_000_000
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


def shipped_scenarios() -> dict[str, Path]:
    """The scenario files that ship with the project, by id (file stem)."""
    return {p.stem: p for p in sorted(SCENARIO_DIR.glob("*.toml"))}


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _where(name: str, text: str, key: str) -> str:
    line = _line_of(text, key.split(".")[0])
    return f"{name}, line {line}" if line else name


def parse_scenario(text: str, name: str = "<scenario>", first_year: int = 2021,
                   last_year: int = HORIZON_MAX) -> Scenario:
    """Parse and validate scenario TOML text; raise UserInputError naming file, line and key."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise UserInputError(f"{name}: file larger than {MAX_BYTES} bytes; a scenario lists only a few values")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{name}: not valid TOML: {exc}") from None
    unknown = set(data) - SECTIONS
    if unknown:
        key = sorted(unknown)[0]
        near = difflib.get_close_matches(key, sorted(SECTIONS), n=1)
        hint = f" (did you mean [{near[0]}]?)" if near else ""
        reg = parameters()
        if key in reg:
            hint = f" ({key} is a{'n' if reg[key].kind == 'uncertainty' else ''} {reg[key].kind}: put it under [{SECTION_OF_KIND[reg[key].kind]}])"
        raise UserInputError(f"{_where(name, text, key) if not isinstance(data[key], dict) else name}: "
                             f"unknown section or key {key!r}{hint}; allowed sections: [scenario], [levers], [uncertainties]")
    meta = data.get("scenario", {})
    if not isinstance(meta, dict):
        raise UserInputError(f"{name}: 'scenario' must be a table [scenario]")
    for key, value in meta.items():
        if key not in META_KEYS:
            near = difflib.get_close_matches(key, sorted(META_KEYS), n=1)
            raise UserInputError(f"{_where(name, text, key)}: unknown key scenario.{key}"
                                 + (f" (did you mean {near[0]}?)" if near else "")
                                 + f"; allowed: {', '.join(sorted(META_KEYS))}")
        if not isinstance(value, str):
            raise UserInputError(f"{_where(name, text, key)}: scenario.{key} must be text, got {value!r}")
    for key in ("title_zh", "title_en"):
        if not meta.get(key, "").strip():
            raise UserInputError(f"{name}: [scenario] needs {key} (a Chinese and an English title)")
    stem = Path(name).stem if name and not name.startswith("<") else "scenario"
    sid = meta.get("id", stem)
    if not re.fullmatch(r"[A-Za-z0-9_\-]{1,64}", sid):
        raise UserInputError(f"{name}: scenario id {sid!r} must be 1-64 letters, digits, '_' or '-'")
    values: dict[str, object] = {}
    reg = parameters()
    for section, kind in (("levers", "lever"), ("uncertainties", "uncertainty")):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise UserInputError(f"{name}: [{section}] must be a table")
        for key, value in table.items():
            if key in reg and reg[key].kind != kind:
                raise UserInputError(f"{_where(name, text, key)}: {key} is a{'n' if reg[key].kind == 'uncertainty' else ''} "
                                     f"{reg[key].kind}; put it under [{SECTION_OF_KIND[reg[key].kind]}], not [{section}]")
            if key in values:
                raise UserInputError(f"{_where(name, text, key)}: {key} is given twice")
            values[key] = value
    try:
        clean = validate_values(values, first_year, last_year)
    except ParameterValueError as err:
        where = _where(name, text, err.key)
        raise UserInputError(f"{where}: {err.key} = {err.value!r}: {err.problem}; allowed: {err.allowed}") from None
    return Scenario(sid, meta["title_zh"].strip(), meta["title_en"].strip(),
                    meta.get("description_zh", "").strip(), meta.get("description_en", "").strip(), clean)


def load_scenario(path: str | Path, first_year: int = 2021, last_year: int = HORIZON_MAX) -> Scenario:
    """Read a scenario file; a name without a path may name a shipped scenario (e.g. ``baseline``)."""
    p = Path(path)
    if not p.exists() and p.suffix == "" and str(path) in shipped_scenarios():
        p = shipped_scenarios()[str(path)]
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise UserInputError(f"{path}: no such scenario file; shipped scenarios: "
                             + ", ".join(shipped_scenarios())) from None
    except IsADirectoryError:
        raise UserInputError(f"{path}: is a folder, not a scenario file") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserInputError(f"{path}: not UTF-8 text") from None
    return parse_scenario(text, str(path), first_year, last_year)


def dump_scenario(scenario: Scenario) -> str:
    """TOML text for a scenario (only its departures from the baseline)."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    def v(x) -> str:
        if isinstance(x, dict):
            return "{ " + ", ".join(f"{int(y)} = {v(val)}" for y, val in sorted(x.items())) + " }"
        x = float(x)
        return str(int(x)) if x.is_integer() else repr(x)

    reg = parameters()
    lines = ["[scenario]", f"id = {q(scenario.id)}", f"title_zh = {q(scenario.title_zh)}",
             f"title_en = {q(scenario.title_en)}"]
    if scenario.description_zh:
        lines.append(f"description_zh = {q(scenario.description_zh)}")
    if scenario.description_en:
        lines.append(f"description_en = {q(scenario.description_en)}")
    for section, kind in (("levers", "lever"), ("uncertainties", "uncertainty")):
        items = [(k, val) for k, val in scenario.values.items() if reg[k].kind == kind]
        if items:
            lines += ["", f"[{section}]"] + [f"{k} = {v(val)}" for k, val in items]
    return "\n".join(lines) + "\n"
