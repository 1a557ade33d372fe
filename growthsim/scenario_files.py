"""Reading scenario files (TOML) into :class:`simulation.scenario.Scenario`.

Only data is read: ``tomllib`` parses, nothing is evaluated or unpickled.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from growthsim.calibration import city
from growthsim.calibration.textfile import MAX_DEPTH, TextFileError, check_nesting, decode_text, read_text
from growthsim.i18n import Message
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import HORIZON_MAX, ParameterValueError, Scenario, validate_values

from .errors import UserInputError
from .settings import duplicate_years

SECTIONS = {"scenario", "levers", "uncertainties"}
WHAT = Message("file.what_scenario")
# A key in the wrong place, by the kind it is: as a section of its own, or under the other section.
HINT_PUT = {"lever": "scenario.hint_put_lever", "uncertainty": "scenario.hint_put_uncertainty"}
WRONG_SECTION = {"lever": "scenario.wrong_section_lever", "uncertainty": "scenario.wrong_section_uncertainty"}
META_KEYS = {"id", "title_zh", "title_en", "description_zh", "description_en"}
MAX_BYTES = 1_000_000
# The longest title and description: a title is repeated in every row of the CSV files and names a sheet.
MAX_TEXT = {"id": 64, "title_zh": 200, "title_en": 200, "description_zh": 5_000, "description_en": 5_000}
# The built-in default pack's scenarios; the shipped scenarios of a run are the active pack's (city.active).
SCENARIO_DIR = city.DEFAULT_ROOT / "scenarios"


def shipped_scenarios() -> dict[str, Path]:
    """The active city pack's scenario files, by id (file stem)."""
    return {p.stem: p for p in sorted(city.active().scenarios_dir.glob("*.toml"))}


def _line_of(text: str, key: str) -> int | None:
    # ``key = ...`` or a table header ``[levers.key]`` (how tomli-w writes a year table)
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[[^\]\n]*\b{re.escape(key)}\s*\])", re.MULTILINE)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _where(name: str, text: str, key: str) -> str | Message:
    line = _line_of(text, key.split(".")[0])
    return Message("file.where_line", file=name, line=line) if line else name


def _toml_error(name: str, exc: tomllib.TOMLDecodeError) -> UserInputError:
    """tomllib's own message is English: in Chinese the line and column it names are kept, the wording is ours."""
    at = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    if at is None:
        return UserInputError("scenario.not_toml", file=name, detail=str(exc))
    return UserInputError("scenario.not_toml_at", file=name, detail=str(exc), line=int(at[1]), column=int(at[2]))


def parse_scenario(text: str, name: str = "<scenario>", first_year: int = 2021,
                   last_year: int = HORIZON_MAX) -> Scenario:
    """Parse and validate scenario TOML text; raise UserInputError naming file, line and key.

    Parameters
    ----------
    text : str
        The text.
    name : str
        The file's name, for messages.
    first_year : int
        First year a year-keyed value may name (calendar year).
    last_year : int
        Last year a year-keyed value may name (calendar year).
    """
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise UserInputError("scenario.too_large", file=name, most=MAX_BYTES)
    text = text.removeprefix("\ufeff")  # a byte-order mark (Notepad's default) is not part of the TOML
    try:
        check_nesting(text, name=name, what=WHAT, max_depth=MAX_DEPTH)
        data = tomllib.loads(text)
    except TextFileError as err:
        raise UserInputError(err.message) from None
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(name, exc) from None
    except RecursionError:  # check_nesting should make this unreachable; never a traceback
        raise UserInputError("scenario.too_deep", file=name, depth=MAX_DEPTH) from None
    unknown = set(data) - SECTIONS
    if unknown:
        key = sorted(unknown)[0]
        near = difflib.get_close_matches(key, sorted(SECTIONS), n=1)
        hint: str | Message = Message("scenario.hint_section", section=near[0]) if near else ""
        reg = parameters()
        if key in reg:
            hint = Message(HINT_PUT[reg[key].kind], key=key)
        raise UserInputError("scenario.unknown_section", where=name if isinstance(data[key], dict) else
                             _where(name, text, key), key=key, hint=hint)
    meta, sid = _scenario_meta(data, name, text)
    values = _parameter_values(data, name, text)
    try:
        clean = validate_values(values, first_year, last_year)
    except ParameterValueError as err:
        raise UserInputError("scenario.value_problem", where=_where(name, text, err.key), problem=err.message) from None
    return Scenario(sid, meta["title_zh"].strip(), meta["title_en"].strip(),
                    meta.get("description_zh", "").strip(), meta.get("description_en", "").strip(), clean)


def _scenario_meta(data: dict, name: str, text: str) -> tuple[dict, str]:
    """The ``[scenario]`` table checked (known keys, text of bounded length, both titles) and the scenario's id
    (given, or the file's stem)."""
    meta = data.get("scenario", {})
    if not isinstance(meta, dict):
        raise UserInputError("scenario.meta_not_table", file=name)
    for key, value in meta.items():
        if key not in META_KEYS:
            near = difflib.get_close_matches(key, sorted(META_KEYS), n=1)
            raise UserInputError("scenario.unknown_meta_key", where=_where(name, text, key), key=key,
                                 hint=Message("hint.did_you_mean", names=near[0]) if near else "",
                                 allowed=", ".join(sorted(META_KEYS)))
        if not isinstance(value, str):
            raise UserInputError("scenario.meta_not_text", where=_where(name, text, key), key=key, value=value)
        limit = MAX_TEXT.get(key, MAX_TEXT["title_zh"])
        if len(value) > limit:  # a title lands in every table row, a sheet name and the terminal
            raise UserInputError("scenario.meta_too_long", where=_where(name, text, key), key=key, n=len(value),
                                 most=limit)
    for key in ("title_zh", "title_en"):
        if not meta.get(key, "").strip():
            raise UserInputError("scenario.needs_title", file=name, key=key)
    stem = Path(name).stem if name and not name.startswith("<") else "scenario"
    sid = meta.get("id", stem)
    if not isinstance(sid, str) or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_\-]{0,63}", sid):
        if "id" not in meta:  # the id comes from the file's name: say how to give it one
            fit = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-")[:64] or "my_scenario"
            raise UserInputError("scenario.id_from_file_name", file=name, stem=stem, fit=fit)
        raise UserInputError("scenario.bad_id", file=name, id=sid)
    return meta, sid


def _parameter_values(data: dict, name: str, text: str) -> dict[str, object]:
    """The ``[levers]`` and ``[uncertainties]`` tables merged: each key in its own section, once, years once."""
    values: dict[str, object] = {}
    reg = parameters()
    for section, kind in (("levers", "lever"), ("uncertainties", "uncertainty")):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise UserInputError("scenario.section_not_table", file=name, section=section)
        for key, value in table.items():
            if key in reg and reg[key].kind != kind:
                raise UserInputError(WRONG_SECTION[reg[key].kind], where=_where(name, text, key),
                                     key=key, section=section)
            if key in values:
                raise UserInputError("scenario.key_twice", where=_where(name, text, key), key=key)
            if isinstance(value, dict):
                dup = duplicate_years(value)
                if dup:
                    year, first, second = dup
                    raise UserInputError("scenario.year_twice", where=_where(name, text, key), key=key, year=year,
                                         first=first, second=second)
            values[key] = value
    return values


def load_scenario(path: str | Path, first_year: int = 2021, last_year: int = HORIZON_MAX) -> Scenario:
    """Read a scenario file; a name without a path may name a shipped scenario (e.g. ``baseline``).

    Parameters
    ----------
    path : str | Path
        The file, or a shipped scenario's name.
    first_year : int
        First year a year-keyed value may name (calendar year).
    last_year : int
        Last year a year-keyed value may name (calendar year).
    """
    p = Path(path)
    if not p.exists() and p.suffix == "" and str(path) in shipped_scenarios():
        p = shipped_scenarios()[str(path)]
    if not p.exists() and not p.is_symlink():
        raise UserInputError("scenario.no_such_file", file=str(path), shipped=list(shipped_scenarios()))
    try:
        text = read_text(p, what=WHAT, max_bytes=MAX_BYTES, name=str(path))
    except TextFileError as err:
        raise UserInputError(err.message) from None
    return parse_scenario(text, str(path), first_year, last_year)


def parse_scenario_bytes(data: bytes, name: str, first_year: int = 2021, last_year: int = HORIZON_MAX) -> Scenario:
    """An uploaded scenario file: the same size and encoding checks as a file on disk, then :func:`parse_scenario`.

    Parameters
    ----------
    data : bytes
        The uploaded bytes.
    name : str
        The file's name, for messages.
    first_year : int
        First year a year-keyed value may name (calendar year).
    last_year : int
        Last year a year-keyed value may name (calendar year).
    """
    try:
        text = decode_text(data, name=name, what=WHAT, max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise UserInputError(err.message) from None
    return parse_scenario(text, name, first_year, last_year)


def dump_scenario(scenario: Scenario) -> str:
    """TOML text for a scenario (only its departures from the baseline), written by tomli-w.

    tomli-w escapes every character TOML requires (``\\r``, control characters,
    quotes), so any title reads back unchanged with ``tomllib``.
    """
    # deferred: only writing a scenario needs tomli_w; `growthsim --help` does not load it
    import tomli_w

    def v(x):
        if isinstance(x, dict):
            return {str(int(y)): v(val) for y, val in sorted(x.items())}
        x = float(x)
        return int(x) if x.is_integer() else x

    reg = parameters()
    doc: dict = {"scenario": {"id": scenario.id, "title_zh": scenario.title_zh, "title_en": scenario.title_en}}
    if scenario.description_zh:
        doc["scenario"]["description_zh"] = scenario.description_zh
    if scenario.description_en:
        doc["scenario"]["description_en"] = scenario.description_en
    for section, kind in (("levers", "lever"), ("uncertainties", "uncertainty")):
        items = {k: v(val) for k, val in scenario.values.items() if reg[k].kind == kind}
        if items:
            doc[section] = items
    return tomli_w.dumps(doc)
