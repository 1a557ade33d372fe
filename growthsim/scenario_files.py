"""Reading scenario files (TOML) into :class:`simulation.scenario.Scenario`.

Only data is read: ``tomllib`` parses, nothing is evaluated or unpickled.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from growthsim import scenarios as _scenarios
from growthsim.calibration.textfile import MAX_DEPTH, TextFileError, check_nesting, decode_text, read_text
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import HORIZON_MAX, ParameterValueError, Scenario, validate_values

from .errors import UserInputError
from .settings import duplicate_years

SECTIONS = {"scenario", "levers", "uncertainties"}
WHAT = ("情景文件 (TOML)", "a scenario file (TOML)")
SECTION_OF_KIND = {"lever": "levers", "uncertainty": "uncertainties"}
META_KEYS = {"id", "title_zh", "title_en", "description_zh", "description_en"}
MAX_BYTES = 1_000_000
# The longest title and description: a title is repeated in every row of the CSV files and names a sheet.
MAX_TEXT = {"id": 64, "title_zh": 200, "title_en": 200, "description_zh": 5_000, "description_en": 5_000}
# scenarios/ in the repository, growthsim/scenarios/ once installed: located through the package.
SCENARIO_DIR = Path(_scenarios.__file__).resolve().parent


def shipped_scenarios() -> dict[str, Path]:
    """The scenario files that ship with the project, by id (file stem)."""
    return {p.stem: p for p in sorted(SCENARIO_DIR.glob("*.toml"))}


def _line_of(text: str, key: str) -> int | None:
    # ``key = ...`` or a table header ``[levers.key]`` (how tomli-w writes a year table)
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[[^\]\n]*\b{re.escape(key)}\s*\])", re.MULTILINE)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _where(name: str, text: str, key: str) -> str:
    line = _line_of(text, key.split(".")[0])
    return f"{name}, line {line}" if line else name


def parse_scenario(text: str, name: str = "<scenario>", first_year: int = 2021,
                   last_year: int = HORIZON_MAX) -> Scenario:
    """Parse and validate scenario TOML text; raise UserInputError naming file, line and key."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise UserInputError(f"{name}: 文件超过 {MAX_BYTES:,} 字节；情景文件只列出少数几个取值\n"
                             f"{name}: file larger than {MAX_BYTES:,} bytes; a scenario lists only a few values")
    text = text.removeprefix("\ufeff")  # a byte-order mark (Notepad's default) is not part of the TOML
    try:
        check_nesting(text, name=name, what=WHAT, max_depth=MAX_DEPTH)
        data = tomllib.loads(text)
    except TextFileError as err:
        raise UserInputError(str(err)) from None
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{name}: 不是有效的 TOML：{exc}\n{name}: not valid TOML: {exc}") from None
    except RecursionError:  # check_nesting should make this unreachable; never a traceback
        raise UserInputError(f"{name}: 嵌套过深 / nested too deeply; allowed: at most {MAX_DEPTH} levels") from None
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
        limit = MAX_TEXT.get(key, MAX_TEXT["title_zh"])
        if len(value) > limit:  # a title lands in every table row, a sheet name and the terminal
            zh = f"{_where(name, text, key)}：scenario.{key} 有 {len(value):,} 个字符；允许：不超过 {limit:,} 个"
            en = f"{_where(name, text, key)}: scenario.{key} has {len(value):,} characters; allowed: at most {limit:,}"
            raise UserInputError(f"{zh}\n{en}", zh=zh)
    for key in ("title_zh", "title_en"):
        if not meta.get(key, "").strip():
            raise UserInputError(f"{name}: [scenario] needs {key} (a Chinese and an English title)")
    stem = Path(name).stem if name and not name.startswith("<") else "scenario"
    sid = meta.get("id", stem)
    if not isinstance(sid, str) or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_\-]{0,63}", sid):
        if "id" not in meta:  # the id comes from the file's name: say how to give it one
            fit = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-")[:64] or "my_scenario"
            zh = (f"{name}：未给出 id，情景编号取自文件名 {stem!r}，而编号只能含字母、数字、'_' 和 '-'；请在 [scenario] 下"
                  f"加一行 id = \"{fit}\"，或把文件改名为 {fit}.toml")
            en = (f"{name}: no id is given, so the scenario's id is taken from the file name {stem!r}, which an id "
                  f"cannot hold (letters, digits, '_' and '-' only); add a line id = \"{fit}\" under [scenario], or "
                  f"rename the file to {fit}.toml")
            raise UserInputError(f"{zh}\n{en}", zh=zh)
        raise UserInputError(f"{name}: 情景编号 {sid!r} 应为 1-64 个字母、数字、'_' 或 '-'，且不以 '-' 开头\n"
                             f"{name}: scenario id {sid!r} must be 1-64 letters, digits, '_' or '-', not starting "
                             f"with '-'")
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
            if isinstance(value, dict):
                dup = duplicate_years(value)
                if dup:
                    year, first, second = dup
                    raise UserInputError(
                        f"{_where(name, text, key)}: {key} 的年份 {year} 出现两次（{first!r} 和 {second!r}）；允许：每年一次\n"
                        f"{_where(name, text, key)}: {key} gives the year {year} twice ({first!r} and {second!r}); "
                        f"allowed: each year once")
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
    if not p.exists() and not p.is_symlink():
        raise UserInputError(f"{path}: 没有这个情景文件；随附的情景：{', '.join(shipped_scenarios())}\n"
                             f"{path}: no such scenario file; shipped scenarios: " + ", ".join(shipped_scenarios()))
    try:
        text = read_text(p, what=WHAT, max_bytes=MAX_BYTES, name=str(path))
    except TextFileError as err:
        raise UserInputError(str(err)) from None
    return parse_scenario(text, str(path), first_year, last_year)


def parse_scenario_bytes(data: bytes, name: str, first_year: int = 2021, last_year: int = HORIZON_MAX) -> Scenario:
    """An uploaded scenario file: the same size and encoding checks as a file on disk, then :func:`parse_scenario`."""
    try:
        text = decode_text(data, name=name, what=WHAT, max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise UserInputError(str(err)) from None
    return parse_scenario(text, name, first_year, last_year)


def dump_scenario(scenario: Scenario) -> str:
    """TOML text for a scenario (only its departures from the baseline), written by tomli-w.

    tomli-w escapes every character TOML requires (``\\r``, control characters,
    quotes), so any title reads back unchanged with ``tomllib``.
    """
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
