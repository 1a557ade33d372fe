"""Reading and validating the in-year monitoring data (年内监测数据) in ``monitoring/``.

- ``regions.toml``: the regions (city, 区市) figures and targets may belong to;
- ``<region>_<year>.csv`` (``_示例`` in the name for illustrative figures): monthly figures,
  columns ``year, month, region, indicator, value, unit, status, source, publisher,
  published, quote`` and an optional ``note``;
- ``targets_<region>_<year>.toml``: a region's targets and month-by-month milestones with
  their quotes. The city's annual targets come from :mod:`simulation.targets`.

Every problem raises :class:`MonitoringDataError`: one message naming the file, the line,
the column, what is wrong and what is allowed, in Chinese and in English. Nothing here
writes a file.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from growthsim.simulation.monitoring import INDICATORS, MONTHS, full_year_predictor
from growthsim.simulation.targets import COMPARATORS, Rule, Target

from . import city
from .textfile import TextFileError, check_nesting, read_text

# The built-in default pack's monitoring folder; a reader given no folder takes the active pack's (city.active).
MONITORING_DIR = city.DEFAULT_ROOT / "monitoring"
REGIONS_FILE = "regions.toml"
COLUMNS = ("year", "month", "region", "indicator", "value", "unit", "status", "source", "publisher", "published",
           "quote")
OPTIONAL_COLUMNS = ("note",)
ILLUSTRATIVE_TAG = "示例"
# status -> (中文, English, used in the error model)
STATUSES: dict[str, tuple[str, str, bool]] = {
    "reported": ("已公布", "reported", True),
    "derived": ("由已公布数字推算", "derived from a reported figure", True),
    "estimate": ("预计数", "estimate (预计)", True),
    "unverified": ("未核实（不参与估计）", "unverified (not used in estimation)", False),
    "illustrative": ("示例（虚构）", "illustrative (made up)", False),
    "edited": ("页面中编辑", "edited in the app", False),
}
FILE_RE = re.compile(r"^(?P<region>[a-z][a-z0-9_]*?)_(?P<year>\d{4})(?P<tag>_示例)?$")


class MonitoringDataError(ValueError):
    """One bad input: file, line, column, value, what is wrong and what is allowed (zh and en)."""

    def __init__(self, path: str, line: int | None, column: str | None, value: object,
                 problem_zh: str, problem_en: str, allowed_zh: str, allowed_en: str):
        """Describe one problem in a monitoring file.

        Parameters
        ----------
        path : str
            The file, as shown to the user.
        line : int or None
            The line in the file (None: the file as a whole).
        column : str or None
            The column or key at fault.
        value : object
            The value found (None: nothing to show).
        problem_zh, problem_en : str
            What is wrong, in Chinese and in English.
        allowed_zh, allowed_en : str
            What is allowed, in Chinese and in English.
        """
        self.path, self.line, self.column, self.value = str(path), line, column, value
        self.problem_zh, self.problem_en = problem_zh, problem_en
        self.allowed_zh, self.allowed_en = allowed_zh, allowed_en
        super().__init__(self.message())

    def text(self, lang: str) -> str:
        """The message in ``lang``, as a catalogue message's field shows it (growthsim.i18n)."""
        return self.message(lang)

    def message(self, lang: str | None = None) -> str:
        """The message: file, line, column, value, what is wrong and what is allowed.

        Parameters
        ----------
        lang : {"zh", "en"} or None
            One language, or None for Chinese then English on two lines.

        Returns
        -------
        str
        """
        where_zh = self.path + (f" 第{self.line}行" if self.line else "") + (f" {self.column}列" if self.column else "")
        where_en = self.path + (f", line {self.line}" if self.line else "") + (
            f", column {self.column}" if self.column else "")
        shown = "" if self.value is None else f" {self.value!r}"
        zh = f"{where_zh}：" + (f"值{shown} " if shown else "") + f"{self.problem_zh}；允许：{self.allowed_zh}"
        en = f"{where_en}: " + (f"value{shown} " if shown else "") + f"{self.problem_en}; allowed: {self.allowed_en}"
        if lang == "zh":
            return zh
        if lang == "en":
            return en
        return f"{zh}\n{en}"


# ---------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Region:
    """A region that monthly figures and targets belong to: the city or one of its 区市.

    Attributes
    ----------
    id : str
        Lower-case id used in file names (``<region>_<year>.csv``).
    name_zh, name_en : str
        Display names.
    parent : str
        The id of the region it belongs to ("" for the city).
    """

    id: str
    name_zh: str
    name_en: str
    parent: str = ""

    def name(self, lang: str = "zh") -> str:
        """The region's name in ``lang`` (``zh`` or ``en``)."""
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class MonthlyRow:
    """One validated row of a monthly file: a figure for one region, indicator and month.

    ``value`` is in ``unit`` (cumulative to ``month`` except for the monthly output
    profile); ``status`` is a key of :data:`STATUSES`; ``source``, ``publisher``,
    ``published`` and ``quote`` cite where the figure was read; ``line`` is its line
    in the file, for messages.
    """

    year: int
    month: int
    region: str
    indicator: str
    value: float
    unit: str
    status: str
    source: str
    publisher: str
    published: str
    quote: str
    note: str
    line: int

    @property
    def usable(self) -> bool:
        """Enters the error model's estimation (reported, derived or estimate)."""
        return STATUSES[self.status][2]


@dataclass(frozen=True)
class MonthlyData:
    """One region's monthly figures for one year, as read from one file (or the app's edited table).

    Attributes
    ----------
    name : str
        The file name, or the app's label for an edited table.
    year : int
        The year the figures belong to.
    region : str
        The region id.
    rows : tuple of MonthlyRow
        The validated rows.
    """

    name: str                 # file name (or the app's label)
    year: int
    region: str
    rows: tuple[MonthlyRow, ...]

    @property
    def illustrative(self) -> bool:
        """True when the figures are made up: the name carries 示例 or a row has status ``illustrative``."""
        return ILLUSTRATIVE_TAG in self.name or any(r.status == "illustrative" for r in self.rows)

    def series(self, indicator: str) -> dict[int, MonthlyRow]:
        """The rows of ``indicator`` by month (1-12)."""
        return {r.month: r for r in self.rows if r.indicator == indicator}

    def latest(self, indicator: str) -> MonthlyRow | None:
        """The row of ``indicator`` for the latest month reported, or None when it has none."""
        s = self.series(indicator)
        return s[max(s)] if s else None

    def profile(self) -> dict[int, float]:
        """Last year's output by month (亿元 or %), the weights of the months; empty when not given."""
        return {m: r.value for m, r in self.series("output_profile_last_year").items()}


@dataclass(frozen=True)
class Milestone:
    """A month-by-month milestone of a region's plan (e.g. projects to enter statistics by each quarter).

    ``reading`` says how ``values`` read: ``per_period`` (each month's own count)
    or ``cumulative`` (the total to that month); ``months`` are the months they
    fall in; ``source`` and ``quotes`` cite the plan.
    """

    id: str
    region: str
    year: int
    indicator: str
    reading: str              # per_period or cumulative
    months: tuple[int, ...]
    values: tuple[float, ...]
    label_zh: str
    label_en: str
    source: str
    quotes: tuple[str, ...]

    def label(self, lang: str = "zh") -> str:
        """The milestone's label in ``lang`` (``zh`` or ``en``)."""
        return self.label_en if lang == "en" else self.label_zh


@dataclass(frozen=True)
class RegionPlan:
    """Everything one region's targets file declares for one year.

    Attributes
    ----------
    region : str
        The region id.
    year : int
        The plan's year.
    file : str
        The file it was read from, as shown to the user.
    targets : tuple of simulation.targets.Target
        Annual targets (with ``region`` set).
    milestones : tuple of Milestone
        Month-by-month milestones.
    context : tuple of dict
        Quoted plan statements kept beside the targets (label and quote), not monitored.
    """

    region: str
    year: int
    file: str
    targets: tuple[Target, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    context: tuple[dict, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------- regions


def read_regions(path: str | Path | None = None) -> dict[str, Region]:
    """Read and validate the declared regions.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The regions file; default ``monitoring/regions.toml``.

    Returns
    -------
    dict of str to Region
        Regions by id.

    Raises
    ------
    MonitoringDataError
        If the file is missing, not UTF-8 TOML or declares no region, or a region is incomplete, repeated
        or has an undeclared parent.
    """
    p = Path(path) if path else city.active().monitoring_dir / REGIONS_FILE
    name = _shown(p)
    data = _toml(p, name)
    items = data.get("region")
    if not isinstance(items, list) or not items:
        raise MonitoringDataError(name, None, "region", None, "没有声明任何区域", "declares no region",
                                  "[[region]] 表，含 id、name_zh、name_en、parent",
                                  "[[region]] tables with id, name_zh, name_en, parent")
    out: dict[str, Region] = {}
    for i, r in enumerate(items, start=1):
        for key in ("id", "name_zh", "name_en"):
            if not isinstance(r.get(key), str) or not r.get(key).strip():
                raise MonitoringDataError(name, None, f"region[{i}].{key}", r.get(key), "缺失或为空",
                                          "is missing or empty",
                                          "非空文本", "non-empty text")
        rid = r["id"].strip()
        if not re.fullmatch(r"[a-z][a-z0-9_]*", rid):
            raise MonitoringDataError(name, None, f"region[{i}].id", rid, "不是合法的区域编号",
                                      "is not a valid region id",
                                      "小写字母开头的字母、数字、下划线", "lower-case letters, digits, underscores")
        if rid in out:
            raise MonitoringDataError(name, None, f"region[{i}].id", rid, "重复声明", "is declared twice",
                                      "每个区域只声明一次", "each region once")
        out[rid] = Region(rid, r["name_zh"].strip(), r["name_en"].strip(), str(r.get("parent", "")).strip())
    for i, reg in enumerate(out.values(), start=1):
        if reg.parent and reg.parent not in out:
            raise MonitoringDataError(name, None, f"region[{i}].parent", reg.parent, "未声明的上级区域",
                                      "is not a declared region", "已声明的区域编号或空：" + "、".join(out),
                                      "a declared region id or empty: " + ", ".join(out))
    return out


def city_of(regions: Mapping[str, Region]) -> str:
    """The region without a parent (the city)."""
    roots = [r.id for r in regions.values() if not r.parent]
    return roots[0] if roots else next(iter(regions))


# ---------------------------------------------------------------- monthly figures


def _shown(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(city.active().root))
    except ValueError:
        return str(p)


MAX_BYTES = 5_000_000  # a monitoring file lists a year's monthly figures: a few KB


def _text(p: Path, name: str, what: tuple[str, str]) -> str:
    """A monitoring file's text through the one bounded reader (regular file, size, UTF-8 with its fix)."""
    try:
        return read_text(p, what=what, max_bytes=MAX_BYTES, name=name)
    except TextFileError as err:
        raise MonitoringDataError(name, err.line, None, None, err.problem_zh, err.problem_en, err.allowed_zh,
                                  err.allowed_en) from None


def _toml(p: Path, name: str) -> dict:
    what = ("监测数据的 TOML 文件", "a monitoring TOML file")
    text = _text(p, name, what)
    try:
        check_nesting(text, name=name, what=what)
        return tomllib.loads(text)
    except TextFileError as err:
        raise MonitoringDataError(name, err.line, None, None, err.problem_zh, err.problem_en, err.allowed_zh,
                                  err.allowed_en) from None
    except tomllib.TOMLDecodeError as exc:
        raise MonitoringDataError(name, None, None, None, f"TOML 语法错误（{exc}）", f"TOML syntax error ({exc})",
                                  "合法的 TOML", "valid TOML") from None


def read_monthly(path: str | Path, regions: Mapping[str, Region]) -> MonthlyData:
    """Read and validate one monthly CSV (through the bounded reader: a regular file, at most 5 MB, UTF-8)."""
    p = Path(path)
    name = _shown(p)
    text = _text(p, name, ("月度数据 CSV", "a monthly figures CSV"))
    return parse_monthly(text, name, regions, stem=p.stem)


def parse_monthly(text: str, name: str, regions: Mapping[str, Region], stem: str | None = None) -> MonthlyData:
    """Parse and validate the text of one monthly CSV.

    Parameters
    ----------
    text : str
        The file's content.
    name : str
        The file name shown in messages.
    regions : Mapping[str, Region]
        The declared regions.
    stem : str, optional
        The file name without suffix, checked against the rows' year and region.

    Returns
    -------
    MonthlyData

    Raises
    ------
    MonitoringDataError
        If a column is missing or unknown, or a row is invalid.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise MonitoringDataError(name, 1, None, None, "文件为空", "file is empty", "表头：" + ",".join(COLUMNS),
                                  "a header: " + ",".join(COLUMNS)) from None
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise MonitoringDataError(name, 1, missing[0], None, "缺少此列", "column is missing",
                                  "表头列：" + ",".join(COLUMNS) + "（可加 note）",
                                  "header columns " + ",".join(COLUMNS) + " (note optional)")
    extra = [c for c in header if c not in COLUMNS + OPTIONAL_COLUMNS]
    if extra:
        raise MonitoringDataError(name, 1, extra[0], None, "不是已知的列", "is not a known column",
                                  "、".join(COLUMNS + OPTIONAL_COLUMNS), ", ".join(COLUMNS + OPTIONAL_COLUMNS))
    dup = [c for c in header if header.count(c) > 1]
    if dup:
        raise MonitoringDataError(name, 1, dup[0], None, "列名重复", "column appears twice", "每列一次",
                                  "each column once")
    rows: list[dict] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise MonitoringDataError(name, line, None, None, f"有 {len(cells)} 个字段，表头有 {len(header)} 个",
                                      f"has {len(cells)} fields, the header {len(header)}",
                                      "与表头相同的字段数（含逗号的文本加英文双引号）",
                                      "as many fields as the header (quote text containing commas)")
        rows.append(dict(zip(header, (c.strip() for c in cells), strict=True), _line=line))
    return validate_rows(rows, name, regions, stem)


def _bad(name, line, col, value, pzh, pen, azh, aen):
    raise MonitoringDataError(name, line, col, value, pzh, pen, azh, aen)


def validate_rows(rows: Sequence[Mapping[str, object]], name: str, regions: Mapping[str, Region],
                  stem: str | None = None) -> MonthlyData:
    """Validate rows (dicts with the CSV's columns and ``_line``) into :class:`MonthlyData`.

    Used for files and for the app's edited table alike.

    Parameters
    ----------
    rows : Sequence[Mapping[str, object]]
        Rows as dicts with the CSV's columns and ``_line`` (the file's line number).
    name : str
        The file's name, for messages.
    regions : Mapping[str, Region]
        The declared regions by id.
    stem : str | None
        The file's stem, for messages (None: from ``name``).
    """
    if not rows:
        _bad(name, None, None, None, "没有数据行", "has no data rows", "至少一行月度数据", "at least one monthly row")
    file_region = file_year = None
    tagged = False
    if stem is not None:
        m = FILE_RE.match(stem)
        if m:
            file_region, file_year, tagged = m["region"], int(m["year"]), bool(m["tag"])
    out: list[MonthlyRow] = []
    first_year = first_region = None
    for r in rows:
        line = int(r.get("_line", 0)) or None
        year = _int(r.get("year"), name, line, "year", 2000, 2100, "2000–2100 的年份", "a year 2000–2100")
        month = _int(r.get("month"), name, line, "month", 1, MONTHS, "1–12（1–2月合报填 2）",
                     "1–12 (1–2月 reported together as 2)")
        region = str(r.get("region") or "").strip()
        if region not in regions:
            _bad(name, line, "region", region, "不是已声明的区域", "is not a declared region",
                 "monitoring/regions.toml 中的区域：" + "、".join(regions),
                 "a region declared in monitoring/regions.toml: " + ", ".join(regions))
        ind = str(r.get("indicator") or "").strip()
        if ind not in INDICATORS:
            _bad(name, line, "indicator", ind, "不是可监测的指标", "is not a monitored indicator",
                 "、".join(INDICATORS), ", ".join(INDICATORS))
        kind, units = INDICATORS[ind][0], INDICATORS[ind][1]
        unit = str(r.get("unit") or "").strip()
        if unit not in units:
            _bad(name, line, "unit", unit, f"不是 {ind} 的单位", f"is not a unit of {ind}", " 或 ".join(units),
                 " or ".join(units))
        value = _checked_value(r.get("value"), kind, name, line)
        status, source = _status_and_source(r, name, line, tagged)
        first_year = year if first_year is None else first_year
        first_region = region if first_region is None else first_region
        if year != (file_year or first_year):
            _bad(name, line, "year", year,
                 f"与{'文件名' if file_year else '第一行'}的年份 {file_year or first_year} 不符",
                 f"differs from the {'file name' if file_year else 'first row'}'s year {file_year or first_year}",
                 "一个文件只含一年", "one year per file")
        if region != (file_region or first_region):
            _bad(name, line, "region", region,
                 f"与{'文件名' if file_region else '第一行'}的区域 {file_region or first_region} 不符",
                 f"differs from the {'file name' if file_region else 'first row'}'s region "
                 f"{file_region or first_region}",
                 "一个文件只含一个区域", "one region per file")
        out.append(MonthlyRow(year, month, region, ind, value, unit, status, source,
                              str(r.get("publisher") or "").strip(), str(r.get("published") or "").strip(),
                              str(r.get("quote") or "").strip(), str(r.get("note") or "").strip(), line or 0))
    _check_series(out, name)
    return MonthlyData(name, out[0].year, out[0].region, tuple(out))


def _checked_value(raw: object, kind: str, name: str, line: int | None) -> float:
    """A row's value, possible for its indicator's kind: growth (%), count (whole firms), amount or profile."""
    value = _number(raw, name, line)
    if kind in ("growth", "avg2") and not -100 < value < 1000:
        _bad(name, line, "value", raw, "不是可能的增速", "is not a possible growth rate",
             "大于 -100 的百分数", "a per cent above -100")
    if kind == "count" and (value < 0 or not float(value).is_integer()):
        _bad(name, line, "value", raw, "不是累计个数", "is not a cumulative count",
             "0 或正整数", "0 or a positive whole number")
    if kind == "amount" and value < 0:
        _bad(name, line, "value", raw, "累计金额不能为负", "is negative", "0 或正数", "0 or more")
    if kind == "profile" and value <= 0:
        _bad(name, line, "value", raw, "分月产出必须为正", "must be positive", "正数",
             "a positive number")
    return value


def _status_and_source(r: Mapping[str, object], name: str, line: int | None, tagged: bool) -> tuple[str, str]:
    """A row's status and source, checked: a quote where a figure is cited, 示例 rows only in a 示例 file."""
    status = str(r.get("status") or "").strip()
    if status not in STATUSES:
        _bad(name, line, "status", status, "不是已知的状态", "is not a known status",
             "、".join(f"{k}（{v[0]}）" for k, v in STATUSES.items()),
             ", ".join(f"{k} ({v[1]})" for k, v in STATUSES.items()))
    source = str(r.get("source") or "").strip()
    if not source:
        _bad(name, line, "source", "", "来源为空", "source is empty", "网址或来源文件", "a URL or a source file")
    if status in ("reported", "derived", "estimate", "unverified") and not str(r.get("quote") or "").strip():
        _bad(name, line, "quote", "", "引文为空", "quote is empty", "来源中的原文", "the sentence from the source")
    if status == "illustrative" and ILLUSTRATIVE_TAG not in name:
        _bad(name, line, "status", status, "示例数据必须放在文件名含“示例”的文件里",
             "illustrative rows belong in a file whose name carries 示例",
             "文件名如 xihaian_2021_示例.csv", "a file name such as xihaian_2021_示例.csv")
    if tagged and status not in ("illustrative", "edited"):
        _bad(name, line, "status", status, "文件名标为“示例”，行却不是示例数据",
             "the file is named 示例 but the row is not illustrative", "illustrative（示例）", "illustrative")
    return status, source


def _check_series(rows: Sequence[MonthlyRow], name: str) -> None:
    by_ind: dict[str, list[MonthlyRow]] = {}
    for r in rows:
        by_ind.setdefault(r.indicator, []).append(r)
    for ind, series in by_ind.items():
        seen: dict[int, MonthlyRow] = {}
        prev: MonthlyRow | None = None
        for r in series:
            if r.month in seen:
                _bad(name, r.line, "month", r.month, f"{ind} 的该月已在第{seen[r.month].line}行给出",
                     f"{ind} already has this month on line {seen[r.month].line}",
                     "每个指标每月一行", "one row per indicator and month")
            if prev is not None and r.month < prev.month:
                _bad(name, r.line, "month", r.month,
                     f"{ind} 的月份顺序颠倒（上一行为 {prev.month} 月，第{prev.line}行）",
                     f"is out of order for {ind} (the previous row, line {prev.line}, is month {prev.month})",
                     "同一指标按月份递增排列", "months in increasing order for each indicator")
            kind = INDICATORS[ind][0]
            if prev is not None and kind in ("count", "amount") and r.value < prev.value:
                _bad(name, r.line, "value", r.value,
                     f"累计数比 {prev.month} 月（第{prev.line}行，{prev.value:g}）还少",
                     f"is a cumulative figure below month {prev.month}'s {prev.value:g} (line {prev.line})",
                     f"不少于 {prev.value:g}（累计数不会下降）",
                     f"{prev.value:g} or more (a cumulative figure never falls)")
            seen[r.month] = r
            prev = r
        if INDICATORS[ind][0] == "profile":
            months = set(seen)
            need = set(range(1, MONTHS + 1)) if 1 in months else set(range(2, MONTHS + 1))
            if months != need:
                lacking = sorted(need - months)
                _bad(name, series[-1].line, "month", None, f"上年分月产出缺少 {lacking} 月",
                     f"last year's monthly output lacks months {lacking}",
                     "1–12 月全部给出（或 1–2 月合并为 2 月）", "every month 1–12 (or 1–2月 together as 2)")


def _int(raw, name, line, col, lo, hi, allowed_zh, allowed_en) -> int:
    try:
        x = float(str(raw).strip())
    except (TypeError, ValueError):
        _bad(name, line, col, raw, "不是整数", "is not a whole number", allowed_zh, allowed_en)
    if not x.is_integer() or not lo <= x <= hi:
        _bad(name, line, col, raw, "超出范围", "is out of range", allowed_zh, allowed_en)
    return int(x)


def _number(raw, name, line) -> float:
    try:
        x = float(str(raw).strip())
    except (TypeError, ValueError):
        _bad(name, line, "value", raw, "不是数字", "is not a number", "数字，如 8.1", "a number such as 8.1")
    if math.isnan(x) or math.isinf(x):
        _bad(name, line, "value", raw, "不是有限数字", "is not a finite number", "数字，如 8.1", "a number such as 8.1")
    return x


def monthly_files(folder: str | Path | None = None) -> list[Path]:
    """The monthly files (``<region>_<year>[_示例].csv``) in ``folder`` (default ``monitoring/``), sorted."""
    d = Path(folder) if folder else city.active().monitoring_dir
    return sorted(p for p in d.glob("*.csv") if FILE_RE.match(p.stem))


def read_all_monthly(regions: Mapping[str, Region], folder: str | Path | None = None) -> list[MonthlyData]:
    """Read and validate every monthly file in ``folder`` (default ``monitoring/``)."""
    return [read_monthly(p, regions) for p in monthly_files(folder)]


def find_monthly(datasets: Iterable[MonthlyData], year: int, region: str) -> MonthlyData | None:
    """The dataset for (year, region); a real one before an illustrative one.

    Parameters
    ----------
    datasets : Iterable[MonthlyData]
        The monthly datasets read.
    year : int
        The calendar year.
    region : str
        Region id (``monitoring/regions.toml``).
    """
    hits = [d for d in datasets if d.year == year and d.region == region]
    hits.sort(key=lambda d: d.illustrative)
    return hits[0] if hits else None


# ---------------------------------------------------------------- region targets and milestones


def read_plans(regions: Mapping[str, Region], folder: str | Path | None = None) -> list[RegionPlan]:
    """Read and validate every ``targets_*.toml`` in ``folder`` (default ``monitoring/``)."""
    d = Path(folder) if folder else city.active().monitoring_dir
    return [read_plan(p, regions) for p in sorted(d.glob("targets_*.toml"))]


def read_plan(path: str | Path, regions: Mapping[str, Region]) -> RegionPlan:
    """Read and validate one region's targets file.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``targets_<region>_<year>.toml``.
    regions : Mapping[str, Region]
        The declared regions; the file's region must be one of them.

    Returns
    -------
    RegionPlan

    Raises
    ------
    MonitoringDataError
        If the region, year, source or a target or milestone is invalid.
    """
    p = Path(path)
    name = _shown(p)
    data = _toml(p, name)
    region = data.get("region")
    if region not in regions:
        _bad(name, None, "region", region, "不是已声明的区域", "is not a declared region", "、".join(regions),
             ", ".join(regions))
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        _bad(name, None, "year", year, "不是年份", "is not a year", "2000–2100 的整数", "a whole number 2000–2100")
    source = str(data.get("source", "")).strip()
    if not source:
        _bad(name, None, "source", None, "缺少来源", "is missing", "来源文件或网址", "a source file or URL")
    targets = _plan_targets(data, region, year, source, name)
    milestones = []
    for i, m in enumerate(data.get("milestone", []), start=1):
        where = f"milestone[{i}]"
        ind = m.get("indicator")
        if ind not in INDICATORS or INDICATORS[ind][0] not in ("count", "amount"):
            _bad(name, None, f"{where}.indicator", ind, "不是可设节点的累计指标", "is not a cumulative count or amount",
                 "、".join(k for k, v in INDICATORS.items() if v[0] in ("count", "amount")),
                 ", ".join(k for k, v in INDICATORS.items() if v[0] in ("count", "amount")))
        if m.get("reading") not in ("per_period", "cumulative"):
            _bad(name, None, f"{where}.reading", m.get("reading"), "不是已知的读法", "is not a known reading",
                 "per_period（每期新增）或 cumulative（累计）", "per_period or cumulative")
        months, values = m.get("months"), m.get("values")
        if (not isinstance(months, list) or not months or any(not isinstance(x, int) or not 1 <= x <= 12
                                                              for x in months)
                or months != sorted(set(months))):
            _bad(name, None, f"{where}.months", months, "不是递增的月份列表", "is not a list of increasing months",
                 "如 [3, 6, 9, 12]", "e.g. [3, 6, 9, 12]")
        if not isinstance(values, list) or len(values) != len(months) or any(
                not isinstance(x, (int, float)) or isinstance(x, bool) or x < 0 for x in values):
            _bad(name, None, f"{where}.values", values, "与 months 不等长或含非数字",
                 "does not match months or is not numbers",
                 "与 months 等长的非负数列表", "non-negative numbers, as many as months")
        quotes = m.get("quotes", [])
        if not isinstance(quotes, list) or len(quotes) != len(months):
            _bad(name, None, f"{where}.quotes", None, "引文条数与节点数不符", "do not match the milestones",
                 "每个节点一条原文", "one quote per milestone")
        for key in ("id", "label_zh", "label_en"):
            if not str(m.get(key, "")).strip():
                _bad(name, None, f"{where}.{key}", None, "缺失或为空", "is missing or empty", "非空文本",
                     "non-empty text")
        milestones.append(Milestone(m["id"], region, year, ind, m["reading"], tuple(months),
                                    tuple(float(v) for v in values), m["label_zh"], m["label_en"], source,
                                    tuple(str(q) for q in quotes)))
    return RegionPlan(region, year, name, tuple(targets), tuple(milestones), tuple(data.get("context", [])))


def _plan_targets(data: Mapping, region: str, year: int, source: str, name: str) -> list[Target]:
    """A region's ``[[target]]`` tables, each checked (indicator, comparator, numbers, labels and quote)."""
    targets = []
    for i, t in enumerate(data.get("target", []), start=1):
        where = f"target[{i}]"
        ind = t.get("indicator")
        if ind not in INDICATORS or INDICATORS[ind][0] not in ("growth", "count", "amount"):
            _bad(name, None, f"{where}.indicator", ind, "不是可设目标的指标", "is not an indicator a target may name",
                 "、".join(k for k, v in INDICATORS.items() if v[0] in ("growth", "count", "amount")),
                 ", ".join(k for k, v in INDICATORS.items() if v[0] in ("growth", "count", "amount")))
        if t.get("comparator") not in COMPARATORS:
            _bad(name, None, f"{where}.comparator", t.get("comparator"), "不是已知的比较方式", "is not a comparator",
                 "、".join(COMPARATORS), ", ".join(COMPARATORS))
        for key in ("value", "tolerance"):
            if not isinstance(t.get(key, 0.0), (int, float)) or isinstance(t.get(key, 0.0), bool):
                _bad(name, None, f"{where}.{key}", t.get(key), "不是数字", "is not a number", "数字", "a number")
        for key in ("id", "label_zh", "label_en", "quote"):
            if not str(t.get(key, "")).strip():
                _bad(name, None, f"{where}.{key}", None, "缺失或为空", "is missing or empty", "非空文本",
                     "non-empty text")
        targets.append(_region_target(t, region, year, source, name, where))
    return targets


def _region_target(t: Mapping, region: str, year: int, source: str, name: str, where: str) -> Target:
    """A region's annual target from its checked ``[[target]]`` table: the rule in the indicator's unit."""
    try:
        rule = Rule(t["comparator"], float(t["value"]), float(t.get("tolerance", 0.0)))
    except ValueError:
        _bad(name, None, f"{where}.tolerance", t.get("tolerance"), "容差只用于“左右”目标且不能为负",
             "is for 'about' targets and is not negative", "0，或“左右”目标的正数", "0, or > 0 with about")
    unit = INDICATORS[t["indicator"]][1][0]
    return Target(t["id"], t["indicator"], year, rule, t["label_zh"], t["label_en"], unit=unit, region=region,
                  source=source, source_file=source, quote=t["quote"])


# ---------------------------------------------------------------- the record for the error model


@dataclass(frozen=True)
class Pair:
    """One (partial-year, full-year) pair for fitting the error of the full-year predictor.

    Attributes
    ----------
    year, month : int
        The year and the month reported to.
    cumulative : float
        The cumulative growth to that month, %.
    predictor : float
        The full-year predictor made from it, %.
    base_effect : bool
        Whether the two-year-average form made the predictor.
    full_year : float
        The reported full-year growth, %.
    """

    year: int
    month: int
    cumulative: float
    predictor: float
    base_effect: bool
    full_year: float

    @property
    def error(self) -> float:
        """Full year minus predictor, percentage points."""
        return self.full_year - self.predictor


def full_years(datasets: Iterable[MonthlyData], region: str, indicator: str = "above_scale_va_growth",
               usable_only: bool = True) -> dict[int, float]:
    """{year: month-12 value} for a region (the record's full years).

    Parameters
    ----------
    datasets : Iterable[MonthlyData]
        The monthly datasets read.
    region : str
        Region id (``monitoring/regions.toml``).
    indicator : str
        Monitored indicator id.
    usable_only : bool
        Leave out figures marked unusable (edited or illustrative).
    """
    out = {}
    for d in datasets:
        if d.region != region:
            continue
        r = d.series(indicator).get(MONTHS)
        if r is not None and (r.usable or not usable_only):
            out[d.year] = r.value
    return dict(sorted(out.items()))


def predictor_for(data: MonthlyData, month: int, last_full: float | None,
                  indicator: str = "above_scale_va_growth") -> tuple[float, bool] | None:
    """The full-year predictor from ``data``'s cumulative growth of ``indicator`` at ``month`` (base-effect form
    when a two-year average is given: above-scale growth only).

    Parameters
    ----------
    data : MonthlyData
        The year's monthly figures.
    month : int
        Month reported, 1-12.
    last_full : float | None
        Last year's full-year growth [%], or None.
    indicator : str
        Monitored indicator id.
    """
    g = data.series(indicator).get(month)
    if g is None:
        return None
    a2 = data.series("above_scale_va_growth_avg2").get(month) if indicator == "above_scale_va_growth" else None
    return full_year_predictor(g.value, a2.value if a2 is not None else None, last_full)


def record_pairs(datasets: Sequence[MonthlyData], region: str) -> list[Pair]:
    """Pairs of (partial-year predictor, full year) from the usable rows of a region's files."""
    full = full_years(datasets, region)
    pairs = []
    for d in datasets:
        if d.region != region or d.year not in full or d.illustrative:
            continue
        for m, r in sorted(d.series("above_scale_va_growth").items()):
            if m >= MONTHS or not r.usable:
                continue
            pred, adj = predictor_for(d, m, full.get(d.year - 1))
            pairs.append(Pair(d.year, m, r.value, pred, adj, full[d.year]))
    return pairs
