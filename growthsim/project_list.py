"""Reading and validating a project list (项目库) CSV for the event engine.

The file is UTF-8 (a byte-order mark is fine) with one header row and one row
per project. Lines before the header that start with ``#`` are comments; a
comment ``# as_of: YYYY`` (or ``YYYY-01-01``) gives the date the stages refer
to (default: 1 January of the first projected year), and a comment containing
``ILLUSTRATIVE`` or ``示例`` marks the list as illustrative, as does a file name
containing ``illustrative`` or ``示例``.

Columns (English or Chinese header names):

=====================  ==========================  =============================================
column                 中文                          allowed
=====================  ==========================  =============================================
id                     编号                          unique, 1-40 letters, digits, ``-``, ``_``, ``.``
name                   项目名称                      non-empty text
industry               行业                          non-empty text
district               区市                          non-empty text
type                   类型                          增量 / incremental, 技改 / renovation
investment             总投资                        亿元, a number from 0 to 2000
planned_start          计划开工                      a date YYYY-MM or YYYY-MM-DD, 1990-2050
planned_commissioning  计划投产                      a date, not before planned_start
output                 达产产值                      亿元 a year at full capacity, 0 to 2000
stage                  当前阶段 (optional)           签约 开工 竣工 投产 纳统 (or signed, started,
                                                     completed, commissioned, statistics); blank:
                                                     inferred from the dates. 技改 ends at 投产.
=====================  ==========================  =============================================

Any problem rejects the whole file with one message naming the file, line,
column, value and what is allowed; nothing is half-read.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
from pathlib import Path

import numpy as np

from growthsim.calibration import city
from growthsim.calibration.textfile import TextFileError, decode_text, read_text
from growthsim.i18n import Message
from growthsim.simulation.events import INCREMENTAL, RENOVATION, STAGE_ZH, STAGES, ProjectSet, decimal_year
from growthsim.simulation.units import unit_of

from .errors import UserInputError

# The built-in default pack's illustrative list; a reader given no path takes the active pack's (city.active).
SHIPPED_LIST = city.DEFAULT_ROOT / "illustrative_projects_示例项目清单.csv"
MAX_BYTES = 5_000_000
WHAT = Message("file.what_project_list")
MAX_ROWS = 20_000
MAX_MONEY = 2000.0  # 亿元; the largest project in the sources is 奇瑞汽车, 投资120亿元 (001)

COLUMNS = ("id", "name", "industry", "district", "type", "investment", "planned_start",
           "planned_commissioning", "output", "stage")
OPTIONAL = frozenset({"stage"})
ALIASES = {
    "编号": "id", "项目编号": "id", "项目名称": "name", "名称": "name", "行业": "industry", "产业": "industry",
    "区市": "district", "区(市)": "district", "区（市）": "district", "类型": "type", "项目类型": "type",
    "总投资": "investment", "投资": "investment", "总投资(亿元)": "investment", "总投资（亿元）": "investment",
    "计划开工": "planned_start", "计划开工日期": "planned_start", "计划投产": "planned_commissioning",
    "计划投产日期": "planned_commissioning", "达产产值": "output", "达产产值(亿元)": "output",
    "达产产值（亿元）": "output", "当前阶段": "stage", "阶段": "stage",
}
TYPE_WORDS = ("增量", "技改")  # the type column's values as a list writes them, by kind (INCREMENTAL, RENOVATION)
TYPES = {TYPE_WORDS[INCREMENTAL]: INCREMENTAL, "增量项目": INCREMENTAL, "incremental": INCREMENTAL,
         TYPE_WORDS[RENOVATION]: RENOVATION, "技改项目": RENOVATION, "技术改造": RENOVATION, "renovation": RENOVATION,
         "technical renovation": RENOVATION, "technical_renovation": RENOVATION}
STAGE_NAMES = {**{zh: i for i, zh in enumerate(STAGE_ZH)}, **{en: i for i, en in enumerate(STAGES)},
               "in_statistics": 4, "entered statistics": 4}
ID_PATTERN = re.compile(r"[A-Za-z0-9_.\-]{1,40}")
DATE_PATTERN = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
AS_OF_PATTERN = re.compile(r"#\s*as_of\s*[:=]\s*(\S+)\s*$", re.IGNORECASE)


class ProjectListError(UserInputError):
    """A broken project list: names the file, line, column, value and what is allowed (``project_list.*``)."""

    def __init__(self, name: str, line: int | None, column: str | None, value: object, problem: Message,
                 allowed: Message | str = ""):
        """Describe one problem in a project list; the whole list is rejected.

        Parameters
        ----------
        name : str
            The file, as shown to the user.
        line : int or None
            The line at fault (None: the file as a whole).
        column : str or None
            The column at fault.
        value : object
            The value found (None: nothing to show).
        problem : Message
            What is wrong.
        allowed : Message or str
            What is allowed ("": nothing to say).
        """
        self.path, self.line, self.column, self.value = name, line, column, value
        if line and column:
            where: str | Message = Message("project_list.where_line_column", file=name, line=line, column=column)
        elif line:
            where = Message("file.where_line", file=name, line=line)
        else:
            where = Message("project_list.where_column", file=name, column=column) if column else name
        super().__init__("project_list.problem", where=where, problem=problem,
                         got=Message("project_list.got", value=value) if value is not None else "",
                         allowed=Message("project_list.allowed", allowed=allowed) if allowed else "")


def shipped_list() -> Path:
    """The active city pack's illustrative project list (``projects.csv`` when the pack has none: not found)."""
    return city.active().projects_file or city.active().root / "projects.csv"


def is_illustrative_name(name: str) -> bool:
    """Whether a project list's file name marks it as made up (``illustrative`` or 示例)."""
    low = name.lower()
    return "illustrative" in low or "示例" in name


def read_project_list(path: str | Path | None = None) -> ProjectSet:
    """Read and validate a project list; the active city pack's illustrative list when ``path`` is None."""
    p = Path(path) if path is not None else shipped_list()
    name = str(path) if path is not None else p.name
    try:
        text = read_text(p, what=WHAT, max_bytes=MAX_BYTES, name=name)
    except TextFileError as err:
        raise ProjectListError(name, err.line, None, None, err.problem, err.allowed) from None
    return parse_project_list(text, name)


def parse_project_bytes(data: bytes, name: str) -> ProjectSet:
    """An uploaded project list: the same size and encoding checks as a file, then :func:`parse_project_list`."""
    try:
        text = decode_text(data, name=name, what=WHAT, max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise ProjectListError(name, err.line, None, None, err.problem, err.allowed) from None
    return parse_project_list(text, name)


def _money() -> Message:
    return Message("project_list.allowed_money", most=MAX_MONEY, unit=unit_of("亿元"))


def _number(cell: str, column: str, bad) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise bad(column, Message("project_list.not_a_number"), _money()) from None
    if not math.isfinite(value):
        raise bad(column, Message("project_list.not_finite"), _money())
    if value < 0:
        raise bad(column, Message("project_list.negative"), _money())
    if value > MAX_MONEY:
        raise bad(column, Message("project_list.too_large"), _money())
    return value


def _date(cell: str, column: str, bad) -> float:
    m = DATE_PATTERN.fullmatch(cell)
    if not m:
        raise bad(column, Message("project_list.not_a_date"), Message("project_list.allowed_date"))
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    try:
        dt.date(year, month, day)
    except ValueError:
        raise bad(column, Message("project_list.no_such_date"), Message("project_list.allowed_real_date")) from None
    if not 1990 <= year <= 2050:
        raise bad(column, Message("project_list.year_out_of_range"), Message("value.allowed_years", first=1990,
                                                                             last=2050))
    return decimal_year(year, month, day)


def parse_as_of(value: str, name: str, line: int) -> float:
    """The list's date from its ``# as_of:`` header line, as a decimal year.

    Parameters
    ----------
    value : str
        ``YYYY`` or ``YYYY-01-01`` (1990-2050).
    name : str
        The file, for messages.
    line : int
        The header's line, for messages.

    Returns
    -------
    float
        The year (1 January).

    Raises
    ------
    ProjectListError
        If the date is not 1 January of a year in range.
    """
    m = re.fullmatch(r"(\d{4})(?:-01-01)?", value)
    if not m or not 1990 <= int(m.group(1)) <= 2050:
        raise ProjectListError(name, line, "as_of", value, Message("project_list.as_of_not_january"),
                               Message("project_list.allowed_as_of"))
    return float(m.group(1))


def parse_project_list(text: str, name: str = "<project list>") -> ProjectSet:
    """Parse and validate project-list text; raise ProjectListError naming file, line and column."""
    lines = text.lstrip("\ufeff").splitlines()
    as_of, illustrative, header_line = _preamble(lines, name)
    reader = csv.reader(io.StringIO("\n".join(lines[header_line - 1:])))
    header = [h.strip() for h in next(reader)]
    idx = _columns(header, name, header_line)
    rows, seen = [], {}
    for line_no, raw in enumerate(reader, start=header_line + 1):
        if not raw or all(not c.strip() for c in raw):
            continue
        if raw[0].lstrip().startswith("#"):
            raise ProjectListError(name, line_no, None, raw[0], Message("project_list.comment_among_projects"),
                                   Message("project_list.allowed_comments"))
        if len(raw) != len(header):
            raise ProjectListError(name, line_no, None, ",".join(raw),
                                   Message("project_list.field_count", n=len(raw), header=len(header)),
                                   Message("project_list.allowed_field_count"))
        if len(rows) >= MAX_ROWS:
            raise ProjectListError(name, line_no, None, None, Message("project_list.too_many", most=MAX_ROWS),
                                   Message("project_list.allowed_rows", most=MAX_ROWS))
        rows.append(_project_row({c: raw[i].strip() for c, i in idx.items()}, name, line_no, seen))
    if not rows:
        raise ProjectListError(name, None, None, None, Message("project_list.no_projects"),
                               Message("project_list.allowed_projects"))
    cols = list(zip(*rows, strict=True))
    return ProjectSet(ids=tuple(cols[0]), names=tuple(cols[1]), industries=tuple(cols[2]),
                      districts=tuple(cols[3]), kind=np.array(cols[4], dtype=np.int64),
                      investment=np.array(cols[5], dtype=float), output=np.array(cols[6], dtype=float),
                      planned_start=np.array(cols[7], dtype=float),
                      planned_commissioning=np.array(cols[8], dtype=float), stage=np.array(cols[9], dtype=np.int64),
                      as_of=as_of, illustrative=illustrative, source=Path(name).name)


def _preamble(lines: list[str], name: str) -> tuple[float | None, bool, int]:
    """The comment lines before the header: the list's date (``# as_of``), whether it is illustrative (示例),
    and the header's line number; a list without a header is refused."""
    as_of: float | None = None
    illustrative = is_illustrative_name(name)
    for i, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or all(not c.strip() for c in stripped.split(",")):
            continue
        if stripped.startswith("#"):
            m = AS_OF_PATTERN.match(stripped)
            if m:
                as_of = parse_as_of(m.group(1), name, i)
            if "ILLUSTRATIVE" in stripped.upper() or "示例" in stripped:
                illustrative = True
            continue
        return as_of, illustrative, i
    raise ProjectListError(name, None, None, None, Message("project_list.no_header"),
                           Message("project_list.allowed_header", columns=",".join(COLUMNS)))


def _columns(header: list[str], name: str, header_line: int) -> dict[str, int]:
    """Each column's position by its canonical name (aliases and case allowed), every required one present."""
    canon = []
    for h in header:
        c = ALIASES.get(h, h.lower())
        if c not in COLUMNS:
            near = difflib.get_close_matches(c, list(COLUMNS) + list(ALIASES), n=1, cutoff=0.6)
            raise ProjectListError(name, header_line, h, None, Message(
                "project_list.unknown_column", hint=Message("hint.did_you_mean", names=near[0]) if near else ""),
                Message("project_list.allowed_columns", columns=list(COLUMNS)))
        if c in canon:
            raise ProjectListError(name, header_line, h, None, Message("project_list.column_twice", column=c),
                                   Message("project_list.each_column_once"))
        canon.append(c)
    missing = [c for c in COLUMNS if c not in canon and c not in OPTIONAL]
    if missing:
        raise ProjectListError(name, header_line, missing[0], None, Message("project_list.missing_column"),
                               Message("project_list.allowed_required_columns",
                                       columns=[c for c in COLUMNS if c not in OPTIONAL], optional="stage"))
    return {c: canon.index(c) for c in canon}


def _project_row(cell: dict[str, str], name: str, line_no: int, seen: dict[str, int]) -> tuple:
    """One project's checked fields: id, name, industry, district, type, investment and output (亿元), planned
    start and commissioning (decimal years) and stage (-1: inferred from the dates); ``seen`` gains its id."""

    def bad(column: str, problem: Message, allowed: Message) -> ProjectListError:
        return ProjectListError(name, line_no, column, cell.get(column), problem, allowed)

    pid = cell["id"]
    if not ID_PATTERN.fullmatch(pid):
        raise bad("id", Message("project_list.bad_id"), Message("project_list.allowed_id"))
    if pid in seen:
        raise bad("id", Message("project_list.duplicate_id", line=seen[pid]), Message("project_list.each_id_once"))
    seen[pid] = line_no
    for col in ("name", "industry", "district"):
        if not cell[col]:
            raise bad(col, Message("project_list.empty"), Message("project_list.allowed_text"))
    t = TYPES.get(cell["type"], TYPES.get(cell["type"].lower()))
    if t is None:
        raise bad("type", Message("project_list.unknown_type"),
                  Message("project_list.allowed_type", incremental=TYPE_WORDS[INCREMENTAL],
                                                       renovation=TYPE_WORDS[RENOVATION]))
    investment = _number(cell["investment"], "investment", bad)
    output = _number(cell["output"], "output", bad)
    start = _date(cell["planned_start"], "planned_start", bad)
    commissioning = _date(cell["planned_commissioning"], "planned_commissioning", bad)
    if commissioning < start:
        raise bad("planned_commissioning", Message("project_list.before_start", start=cell["planned_start"]),
                  Message("project_list.allowed_after_start"))
    return (pid, cell["name"], cell["industry"], cell["district"], t, investment, output, start, commissioning,
            _stage(cell.get("stage", ""), t, bad))


def _stage(raw_stage: str, kind: int, bad) -> int:
    """A project's stage at the list's date from its ``stage`` cell (-1 when empty: inferred from the dates)."""
    if not raw_stage:
        return -1
    stage = STAGE_NAMES.get(raw_stage, STAGE_NAMES.get(raw_stage.lower(), -2))
    if stage == -2:
        raise bad("stage", Message("project_list.unknown_stage"),
                  Message("project_list.allowed_stage", stages=list(STAGE_ZH)))
    if kind == RENOVATION and stage == 4:
        raise bad("stage", Message("project_list.renovation_statistics"),
                  Message("project_list.allowed_renovation_stage", stages=list(STAGE_ZH[:3]),
                          last=STAGE_ZH[3], renovation=TYPE_WORDS[RENOVATION]))
    return stage


def load_project_list(path: str | Path | None) -> ProjectSet:
    """The runner's entry point: the shipped illustrative list when ``path`` is None."""
    return read_project_list(path)
