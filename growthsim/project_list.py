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

from growthsim import scenarios as _scenarios
from growthsim.calibration.textfile import TextFileError, decode_text, read_text
from growthsim.simulation.events import INCREMENTAL, RENOVATION, STAGE_ZH, STAGES, ProjectSet, decimal_year

from .errors import UserInputError

# scenarios/ in the repository, growthsim/scenarios/ once installed: located through the package.
SHIPPED_LIST = Path(_scenarios.__file__).resolve().parent / "illustrative_projects_示例项目清单.csv"
MAX_BYTES = 5_000_000
WHAT = ("项目清单 CSV", "a project list CSV")
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
COLUMN_ZH = {"id": "编号", "name": "项目名称", "industry": "行业", "district": "区市", "type": "类型",
             "investment": "总投资", "planned_start": "计划开工", "planned_commissioning": "计划投产",
             "output": "达产产值", "stage": "当前阶段"}
TYPES = {"增量": INCREMENTAL, "增量项目": INCREMENTAL, "incremental": INCREMENTAL,
         "技改": RENOVATION, "技改项目": RENOVATION, "技术改造": RENOVATION, "renovation": RENOVATION,
         "technical renovation": RENOVATION, "technical_renovation": RENOVATION}
STAGE_NAMES = {**{zh: i for i, zh in enumerate(STAGE_ZH)}, **{en: i for i, en in enumerate(STAGES)},
               "in_statistics": 4, "entered statistics": 4}
ID_PATTERN = re.compile(r"[A-Za-z0-9_.\-]{1,40}")
DATE_PATTERN = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
AS_OF_PATTERN = re.compile(r"#\s*as_of\s*[:=]\s*(\S+)\s*$", re.IGNORECASE)


class ProjectListError(UserInputError):
    """A broken project list: names the file, line, column, value and what is allowed."""

    def __init__(self, name: str, line: int | None, column: str | None, value: object, problem: str,
                 allowed: str = ""):
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
        problem : str
            What is wrong.
        allowed : str
            What is allowed.
        """
        self.path, self.line, self.column, self.value = name, line, column, value
        where = name + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        text = f"{where}: {problem}"
        if value is not None:
            text += f" (got {value!r})"
        if allowed:
            text += f"; allowed: {allowed}"
        super().__init__(text + ". The whole list is rejected; nothing was read from it.")


def is_illustrative_name(name: str) -> bool:
    """Whether a project list's file name marks it as made up (``illustrative`` or 示例)."""
    low = name.lower()
    return "illustrative" in low or "示例" in name


def read_project_list(path: str | Path | None = None) -> ProjectSet:
    """Read and validate a project list; the shipped illustrative list when ``path`` is None."""
    p = Path(path) if path is not None else SHIPPED_LIST
    name = str(path) if path is not None else p.name
    try:
        text = read_text(p, what=WHAT, max_bytes=MAX_BYTES, name=name)
    except TextFileError as err:
        raise ProjectListError(name, err.line, None, None, err.problem_en, err.allowed_en) from None
    return parse_project_list(text, name)


def parse_project_bytes(data: bytes, name: str) -> ProjectSet:
    """An uploaded project list: the same size and encoding checks as a file, then :func:`parse_project_list`."""
    try:
        text = decode_text(data, name=name, what=WHAT, max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise ProjectListError(name, err.line, None, None, err.problem_en, err.allowed_en) from None
    return parse_project_list(text, name)


def _number(cell: str, column: str, bad) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise bad(column, "not a number", f"a number of 亿元 from 0 to {MAX_MONEY:g}") from None
    if not math.isfinite(value):
        raise bad(column, "not a finite number", f"a number of 亿元 from 0 to {MAX_MONEY:g}")
    if value < 0:
        raise bad(column, "must not be negative", f"a number of 亿元 from 0 to {MAX_MONEY:g}")
    if value > MAX_MONEY:
        raise bad(column, "implausibly large", f"a number of 亿元 from 0 to {MAX_MONEY:g}")
    return value


def _date(cell: str, column: str, bad) -> float:
    m = DATE_PATTERN.fullmatch(cell)
    if not m:
        raise bad(column, "not a date", "a date such as 2022-06 or 2022-06-15")
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    try:
        dt.date(year, month, day)
    except ValueError:
        raise bad(column, "no such date", "a real calendar date such as 2022-06-15") from None
    if not 1990 <= year <= 2050:
        raise bad(column, "year out of range", "years 1990-2050")
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
        raise ProjectListError(name, line, "as_of", value, "the list's date must be 1 January of a year",
                               "# as_of: YYYY or # as_of: YYYY-01-01")
    return float(m.group(1))


def parse_project_list(text: str, name: str = "<project list>") -> ProjectSet:
    """Parse and validate project-list text; raise ProjectListError naming file, line and column."""
    lines = text.lstrip("\ufeff").splitlines()
    as_of: float | None = None
    illustrative = is_illustrative_name(name)
    header_line = None
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
        header_line = i
        break
    if header_line is None:
        raise ProjectListError(name, None, None, None, "no header row and no projects",
                               "a header: " + ",".join(COLUMNS))
    reader = csv.reader(io.StringIO("\n".join(lines[header_line - 1:])))
    header = [h.strip() for h in next(reader)]
    canon = []
    for h in header:
        c = ALIASES.get(h, h.lower())
        if c not in COLUMNS:
            near = difflib.get_close_matches(c, list(COLUMNS) + list(ALIASES), n=1, cutoff=0.6)
            raise ProjectListError(name, header_line, h, None, "unknown column"
                                   + (f" (did you mean {near[0]}?)" if near else ""),
                                   "columns " + ", ".join(COLUMNS) + " (or their Chinese names)")
        if c in canon:
            raise ProjectListError(name, header_line, h, None, f"column {c} appears twice", "each column once")
        canon.append(c)
    missing = [c for c in COLUMNS if c not in canon and c not in OPTIONAL]
    if missing:
        raise ProjectListError(name, header_line, missing[0], None, "missing column",
                               "a header with " + ", ".join(c for c in COLUMNS if c not in OPTIONAL)
                               + " and optionally stage")
    idx = {c: canon.index(c) for c in canon}

    rows, seen = [], {}
    for line_no, raw in enumerate(reader, start=header_line + 1):
        if not raw or all(not c.strip() for c in raw):
            continue
        if raw[0].lstrip().startswith("#"):
            raise ProjectListError(name, line_no, None, raw[0], "a comment among the projects",
                                   "comment lines (#) only before the header")
        if len(raw) != len(header):
            raise ProjectListError(name, line_no, None, ",".join(raw),
                                   f"{len(raw)} fields where the header has {len(header)}",
                                   "one value per column; quote text that contains commas")
        if len(rows) >= MAX_ROWS:
            raise ProjectListError(name, line_no, None, None, f"more than {MAX_ROWS:,} projects",
                                   f"at most {MAX_ROWS:,} projects")
        cell = {c: raw[i].strip() for c, i in idx.items()}

        def bad(column: str, problem: str, allowed: str, line_no=line_no, cell=cell) -> ProjectListError:
            return ProjectListError(name, line_no, column, cell.get(column), problem, allowed)

        pid = cell["id"]
        if not ID_PATTERN.fullmatch(pid):
            raise bad("id", "not a valid id", "1-40 letters, digits, '-', '_' or '.'")
        if pid in seen:
            raise bad("id", f"duplicate id (also on line {seen[pid]})", "each id once")
        seen[pid] = line_no
        for col in ("name", "industry", "district"):
            if not cell[col]:
                raise bad(col, "empty", "non-empty text")
        t = TYPES.get(cell["type"], TYPES.get(cell["type"].lower()))
        if t is None:
            raise bad("type", "unknown project type", "增量 (incremental) or 技改 (renovation)")
        investment = _number(cell["investment"], "investment", bad)
        output = _number(cell["output"], "output", bad)
        start = _date(cell["planned_start"], "planned_start", bad)
        commissioning = _date(cell["planned_commissioning"], "planned_commissioning", bad)
        if commissioning < start:
            raise bad("planned_commissioning", f"before planned_start ({cell['planned_start']})",
                      "a date on or after the planned start")
        stage = -1
        raw_stage = cell.get("stage", "")
        if raw_stage:
            stage = STAGE_NAMES.get(raw_stage, STAGE_NAMES.get(raw_stage.lower(), -2))
            if stage == -2:
                raise bad("stage", "unknown stage", "签约, 开工, 竣工, 投产, 纳统 (or signed, started, "
                          "completed, commissioned, statistics), or blank")
            if t == RENOVATION and stage == 4:
                raise bad("stage", "a technical-renovation project does not enter statistics (its firm is "
                          "already above scale)", "签约, 开工, 竣工 or 投产 for 技改")
        rows.append((pid, cell["name"], cell["industry"], cell["district"], t, investment, output, start,
                     commissioning, stage))
    if not rows:
        raise ProjectListError(name, None, None, None, "no projects", "at least one row after the header")
    cols = list(zip(*rows, strict=True))
    return ProjectSet(ids=tuple(cols[0]), names=tuple(cols[1]), industries=tuple(cols[2]),
                      districts=tuple(cols[3]), kind=np.array(cols[4], dtype=np.int64),
                      investment=np.array(cols[5], dtype=float), output=np.array(cols[6], dtype=float),
                      planned_start=np.array(cols[7], dtype=float),
                      planned_commissioning=np.array(cols[8], dtype=float), stage=np.array(cols[9], dtype=np.int64),
                      as_of=as_of, illustrative=illustrative, source=Path(name).name)


def load_project_list(path: str | Path | None) -> ProjectSet:
    """The runner's entry point: the shipped illustrative list when ``path`` is None."""
    return read_project_list(path)
