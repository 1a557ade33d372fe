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

from growthsim.i18n import Joined, Message, MessageError, both
from growthsim.simulation.monitoring import INDICATORS, MONTHS, full_year_predictor
from growthsim.simulation.targets import COMPARATORS, Rule, Target

from . import city
from .textfile import TextFileError, check_nesting, read_text

# The built-in default pack's monitoring folder; a reader given no folder takes the active pack's (city.active).
MONITORING_DIR = city.DEFAULT_ROOT / "monitoring"
REGIONS_FILE = "regions.toml"
COLUMNS = ("year", "month", "region", "indicator", "value", "unit", "status", "source", "publisher", "published",
           "quote")
# publisher_zh: the publisher in Chinese (without the column, Chinese readers read publisher as written)
OPTIONAL_COLUMNS = ("publisher_zh", "note")
ILLUSTRATIVE_TAG = "示例"
# status -> used in the error model; its words are the catalogue's monitoring_data.status_<status>
STATUSES: dict[str, bool] = {"reported": True, "derived": True, "estimate": True, "unverified": False,
                             "illustrative": False, "edited": False}


def status_name(status: str) -> Message:
    """A row status's words (``monitoring_data.status_<status>``), shown in the reader's language."""
    return Message(f"monitoring_data.status_{status}")
FILE_RE = re.compile(r"^(?P<region>[a-z][a-z0-9_]*?)_(?P<year>\d{4})(?P<tag>_示例)?$")


class MonitoringDataError(MessageError, ValueError):
    """One bad input: file, line, column, value, what is wrong and what is allowed (``monitoring_data.*``).

    A catalogue message: ``err.text(lang)`` in the reader's language, ``str(err)`` its English. The parts are
    kept as attributes (``path``, ``line``, ``column``, ``value``, ``problem``, ``allowed``).
    """

    def __init__(self, path: str | Message, line: int | None, column: str | None, value: object, problem: Message,
                 allowed: Message | str | list):
        """Describe one problem in a monitoring file.

        Parameters
        ----------
        path : str or Message
            The file, as shown to the user (a Message: a table that is no file, named in the reader's language).
        line : int or None
            The line in the file (None: the file as a whole).
        column : str or None
            The column or key at fault.
        value : object
            The value found (None: nothing to show).
        problem : Message
            What is wrong.
        allowed : Message, str or list
            What is allowed (a list: its items joined in the reader's language).
        """
        self.path, self.line, self.column, self.value = str(path), line, column, value
        self.problem, self.allowed = problem, allowed
        shown = path if isinstance(path, Message) else str(path)  # a Message: a table's name in the reader's words
        where: str | Message = Message("monitoring_data.where_line", file=shown, line=line) if line else shown
        if column:
            where = Message("monitoring_data.where_column", where=where, column=column)
        super().__init__("monitoring_data.data_problem", where=where, problem=problem, allowed=allowed,
                         got=Message("monitoring_data.got", value=value) if value is not None else "")


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
    ``published`` and ``quote`` cite where the figure was read (``publisher_zh``: the
    publisher in Chinese, "" where the file has no such column); ``line`` is its line
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
    publisher_zh: str = ""

    @property
    def usable(self) -> bool:
        """Enters the error model's estimation (reported, derived or estimate)."""
        return STATUSES[self.status]


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
        raise MonitoringDataError(name, None, "region", None, Message("monitoring_data.no_region"),
                                  Message("monitoring_data.allowed_regions"))
    out: dict[str, Region] = {}
    for i, r in enumerate(items, start=1):
        for key in ("id", "name_zh", "name_en"):
            if not isinstance(r.get(key), str) or not r.get(key).strip():
                raise MonitoringDataError(name, None, f"region[{i}].{key}", r.get(key),
                                          Message("monitoring_data.missing"), Message("monitoring_data.allowed_text"))
        rid = r["id"].strip()
        if not re.fullmatch(r"[a-z][a-z0-9_]*", rid):
            raise MonitoringDataError(name, None, f"region[{i}].id", rid, Message("monitoring_data.bad_region_id"),
                                      Message("monitoring_data.allowed_region_id"))
        if rid in out:
            raise MonitoringDataError(name, None, f"region[{i}].id", rid, Message("monitoring_data.declared_twice"),
                                      Message("monitoring_data.allowed_region_once"))
        out[rid] = Region(rid, r["name_zh"].strip(), r["name_en"].strip(), str(r.get("parent", "")).strip())
    for i, reg in enumerate(out.values(), start=1):
        if reg.parent and reg.parent not in out:
            raise MonitoringDataError(name, None, f"region[{i}].parent", reg.parent,
                                      Message("monitoring_data.undeclared_parent"),
                                      Message("monitoring_data.allowed_parent", regions=list(out)))
    return out


def city_of(regions: Mapping[str, Region]) -> str:
    """The region without a parent (the city)."""
    roots = [r.id for r in regions.values() if not r.parent]
    return roots[0] if roots else next(iter(regions))


# ---------------------------------------------------------------- monthly figures


def _shown(p: Path) -> str:
    """A monitoring file as messages name it: in the built-in pack its path there (``monitoring/x.csv``), in any
    other pack its whole path, which names the pack's folder (a bureau's pack is known by its folder)."""
    pack = city.active()
    try:
        inside = p.resolve().relative_to(pack.root)
    except ValueError:
        return str(p)
    return str(inside) if pack.root == city.default_pack().root else str(pack.root / inside)


MAX_BYTES = 5_000_000  # a monitoring file lists a year's monthly figures: a few KB


def _text(p: Path, name: str, what: Message) -> str:
    """A monitoring file's text through the one bounded reader (regular file, size, UTF-8 with its fix)."""
    try:
        return read_text(p, what=what, max_bytes=MAX_BYTES, name=name)
    except TextFileError as err:
        raise MonitoringDataError(name, err.line, None, None, err.problem, err.allowed) from None


def _toml(p: Path, name: str) -> dict:
    what = Message("file.what_monitoring_toml")
    text = _text(p, name, what)
    try:
        check_nesting(text, name=name, what=what)
        return tomllib.loads(text)
    except TextFileError as err:
        raise MonitoringDataError(name, err.line, None, None, err.problem, err.allowed) from None
    except tomllib.TOMLDecodeError as exc:
        raise MonitoringDataError(name, None, None, None, Message("monitoring_data.toml_syntax", detail=str(exc)),
                                  Message("monitoring_data.allowed_toml")) from None


def read_monthly(path: str | Path, regions: Mapping[str, Region]) -> MonthlyData:
    """Read and validate one monthly CSV (through the bounded reader: a regular file, at most 5 MB, UTF-8)."""
    p = Path(path)
    name = _shown(p)
    text = _text(p, name, Message("file.what_monthly_csv"))
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
        raise MonitoringDataError(name, 1, None, None, Message("monitoring_data.empty_file"),
                                  Message("calibration.allowed_header", columns=",".join(COLUMNS))) from None
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise MonitoringDataError(name, 1, missing[0], None, Message("monitoring_data.column_missing"),
                                  Message("monitoring_data.allowed_columns", columns=",".join(COLUMNS)))
    extra = [c for c in header if c not in COLUMNS + OPTIONAL_COLUMNS]
    if extra:
        raise MonitoringDataError(name, 1, extra[0], None, Message("monitoring_data.unknown_column"),
                                  list(COLUMNS + OPTIONAL_COLUMNS))
    dup = [c for c in header if header.count(c) > 1]
    if dup:
        raise MonitoringDataError(name, 1, dup[0], None, Message("calibration.column_twice"),
                                  Message("calibration.allowed_each_column_once"))
    rows: list[dict] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise MonitoringDataError(name, line, None, None,
                                      Message("monitoring_data.field_count", found=len(cells), header=len(header)),
                                      Message("monitoring_data.allowed_field_count"))
        rows.append(dict(zip(header, (c.strip() for c in cells), strict=True), _line=line))
    return validate_rows(rows, name, regions, stem)


def _bad(name, line, col, value, problem: Message, allowed: Message | str | list):
    raise MonitoringDataError(name, line, col, value, problem, allowed)


def validate_rows(rows: Sequence[Mapping[str, object]], name: str | Message, regions: Mapping[str, Region],
                  stem: str | None = None) -> MonthlyData:
    """Validate rows (dicts with the CSV's columns and ``_line``) into :class:`MonthlyData`.

    Used for files and for the app's edited table alike.

    Parameters
    ----------
    rows : Sequence[Mapping[str, object]]
        Rows as dicts with the CSV's columns and ``_line`` (the file's line number).
    name : str or Message
        The file's name, for messages (a Message: the app's edited table, named in the reader's language; the
        data's ``name`` is then its English).
    regions : Mapping[str, Region]
        The declared regions by id.
    stem : str | None
        The file's stem, for messages (None: from ``name``).
    """
    if not rows:
        _bad(name, None, None, None, Message("monitoring_data.no_rows"), Message("monitoring_data.allowed_one_row"))
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
        year = _int(r.get("year"), name, line, "year", 2000, 2100, Message("monitoring_data.allowed_year"))
        month = _int(r.get("month"), name, line, "month", 1, MONTHS, Message("monitoring_data.allowed_month"))
        region = str(r.get("region") or "").strip()
        if region not in regions:
            _bad(name, line, "region", region, Message("monitoring_data.undeclared_region"),
                 Message("monitoring_data.allowed_declared_region", regions=list(regions)))
        ind = str(r.get("indicator") or "").strip()
        if ind not in INDICATORS:
            _bad(name, line, "indicator", ind, Message("monitoring_data.not_monitored"), list(INDICATORS))
        kind, units = INDICATORS[ind][0], INDICATORS[ind][1]
        unit = str(r.get("unit") or "").strip()
        if unit not in units:
            _bad(name, line, "unit", unit, Message("monitoring_data.not_a_unit", indicator=ind),
                 Joined(units, dict(zip(("zh", "en"), both("monitoring_data.or"), strict=True))))
        value = _checked_value(r.get("value"), kind, name, line)
        status, source = _status_and_source(r, name, line, tagged)
        first_year = year if first_year is None else first_year
        first_region = region if first_region is None else first_region
        if year != (file_year or first_year):
            _bad(name, line, "year", year,
                 Message("monitoring_data.year_differs_file" if file_year else "monitoring_data.year_differs_row",
                         year=file_year or first_year),
                 Message("monitoring_data.allowed_one_year"))
        if region != (file_region or first_region):
            _bad(name, line, "region", region,
                 Message("monitoring_data.region_differs_file" if file_region else "monitoring_data.region_differs_row",
                         region=file_region or first_region),
                 Message("monitoring_data.allowed_one_region"))
        out.append(MonthlyRow(year, month, region, ind, value, unit, status, source,
                              str(r.get("publisher") or "").strip(), str(r.get("published") or "").strip(),
                              str(r.get("quote") or "").strip(), str(r.get("note") or "").strip(), line or 0,
                              _publisher_zh(r, name, line)))
    _check_series(out, name)
    return MonthlyData(str(name), out[0].year, out[0].region, tuple(out))


def _publisher_zh(r: Mapping[str, object], name: str, line: int | None) -> str:
    """A row's Chinese publisher where the file has the column: filled beside a publisher, empty without one."""
    if "publisher_zh" not in r:
        return ""
    zh, publisher = str(r.get("publisher_zh") or "").strip(), str(r.get("publisher") or "").strip()
    if publisher and not zh:
        _bad(name, line, "publisher_zh", "", Message("calibration.empty_publisher_zh"),
             Message("calibration.allowed_publisher_zh"))
    if zh and not publisher:
        _bad(name, line, "publisher_zh", zh, Message("calibration.publisher_zh_alone"),
             Message("calibration.allowed_empty"))
    return zh


def _checked_value(raw: object, kind: str, name: str, line: int | None) -> float:
    """A row's value, possible for its indicator's kind: growth (%), count (whole firms), amount or profile."""
    value = _number(raw, name, line)
    if kind in ("growth", "avg2") and not -100 < value < 1000:
        _bad(name, line, "value", raw, Message("monitoring_data.not_growth"), Message("monitoring_data.allowed_growth"))
    if kind == "count" and (value < 0 or not float(value).is_integer()):
        _bad(name, line, "value", raw, Message("monitoring_data.not_count"), Message("monitoring_data.allowed_count"))
    if kind == "amount" and value < 0:
        _bad(name, line, "value", raw, Message("monitoring_data.negative"), Message("monitoring_data.allowed_amount"))
    if kind == "profile" and value <= 0:
        _bad(name, line, "value", raw, Message("monitoring_data.not_positive"),
             Message("monitoring_data.allowed_positive"))
    return value


def _status_and_source(r: Mapping[str, object], name: str, line: int | None, tagged: bool) -> tuple[str, str]:
    """A row's status and source, checked: a quote where a figure is cited, 示例 rows only in a 示例 file."""
    status = str(r.get("status") or "").strip()
    if status not in STATUSES:
        _bad(name, line, "status", status, Message("monitoring_data.unknown_status"),
             [Message("monitoring_data.status_choice", id=k, name=status_name(k)) for k in STATUSES])
    source = str(r.get("source") or "").strip()
    if not source:
        _bad(name, line, "source", "", Message("monitoring_data.no_source"), Message("monitoring_data.allowed_source"))
    if status in ("reported", "derived", "estimate", "unverified") and not str(r.get("quote") or "").strip():
        _bad(name, line, "quote", "", Message("monitoring_data.no_quote"), Message("monitoring_data.allowed_quote"))
    if status == "illustrative" and ILLUSTRATIVE_TAG not in str(name):  # an edited table: a Message
        _bad(name, line, "status", status, Message("monitoring_data.illustrative_untagged"),
             Message("monitoring_data.allowed_tagged_name"))
    if tagged and status not in ("illustrative", "edited"):
        _bad(name, line, "status", status, Message("monitoring_data.tagged_not_illustrative"),
             Message("monitoring_data.allowed_illustrative"))
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
                _bad(name, r.line, "month", r.month,
                     Message("monitoring_data.month_twice", indicator=ind, first=seen[r.month].line),
                     Message("monitoring_data.allowed_month_once"))
            if prev is not None and r.month < prev.month:
                _bad(name, r.line, "month", r.month,
                     Message("monitoring_data.out_of_order", indicator=ind, month=prev.month, line=prev.line),
                     Message("monitoring_data.allowed_increasing"))
            kind = INDICATORS[ind][0]
            if prev is not None and kind in ("count", "amount") and r.value < prev.value:
                _bad(name, r.line, "value", r.value,
                     Message("monitoring_data.cumulative_falls", month=prev.month, line=prev.line, before=prev.value),
                     Message("monitoring_data.allowed_not_below", before=prev.value))
            seen[r.month] = r
            prev = r
        if INDICATORS[ind][0] == "profile":
            months = set(seen)
            need = set(range(1, MONTHS + 1)) if 1 in months else set(range(2, MONTHS + 1))
            if months != need:
                lacking = sorted(need - months)
                _bad(name, series[-1].line, "month", None,
                     Message("monitoring_data.profile_lacks", months=str(lacking)),
                     Message("monitoring_data.allowed_every_month"))


def _int(raw, name, line, col, lo, hi, allowed: Message) -> int:
    try:
        x = float(str(raw).strip())
    except (TypeError, ValueError):
        _bad(name, line, col, raw, Message("monitoring_data.not_whole"), allowed)
    if not x.is_integer() or not lo <= x <= hi:
        _bad(name, line, col, raw, Message("monitoring_data.out_of_range"), allowed)
    return int(x)


def _number(raw, name, line) -> float:
    try:
        x = float(str(raw).strip())
    except (TypeError, ValueError):
        _bad(name, line, "value", raw, Message("monitoring_data.not_a_number"),
             Message("monitoring_data.allowed_number"))
    if math.isnan(x) or math.isinf(x):
        _bad(name, line, "value", raw, Message("monitoring_data.not_finite"), Message("monitoring_data.allowed_number"))
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
        _bad(name, None, "region", region, Message("monitoring_data.undeclared_region"), list(regions))
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        _bad(name, None, "year", year, Message("monitoring_data.not_a_year"),
             Message("monitoring_data.allowed_whole_year"))
    source = str(data.get("source", "")).strip()
    if not source:
        _bad(name, None, "source", None, Message("monitoring_data.no_plan_source"),
             Message("monitoring_data.allowed_plan_source"))
    targets = _plan_targets(data, region, year, source, name)
    milestones = []
    for i, m in enumerate(data.get("milestone", []), start=1):
        where = f"milestone[{i}]"
        ind = m.get("indicator")
        if ind not in INDICATORS or INDICATORS[ind][0] not in ("count", "amount"):
            _bad(name, None, f"{where}.indicator", ind, Message("monitoring_data.not_cumulative"),
                 [k for k, v in INDICATORS.items() if v[0] in ("count", "amount")])
        if m.get("reading") not in ("per_period", "cumulative"):
            _bad(name, None, f"{where}.reading", m.get("reading"), Message("monitoring_data.unknown_reading"),
                 Message("monitoring_data.allowed_reading"))
        months, values = m.get("months"), m.get("values")
        if (not isinstance(months, list) or not months or any(not isinstance(x, int) or not 1 <= x <= 12
                                                              for x in months)
                or months != sorted(set(months))):
            _bad(name, None, f"{where}.months", months, Message("monitoring_data.bad_months"),
                 Message("monitoring_data.allowed_months"))
        if not isinstance(values, list) or len(values) != len(months) or any(
                not isinstance(x, (int, float)) or isinstance(x, bool) or x < 0 for x in values):
            _bad(name, None, f"{where}.values", values, Message("monitoring_data.bad_values"),
                 Message("monitoring_data.allowed_values"))
        quotes = m.get("quotes", [])
        if not isinstance(quotes, list) or len(quotes) != len(months):
            _bad(name, None, f"{where}.quotes", None, Message("monitoring_data.quotes_mismatch"),
                 Message("monitoring_data.allowed_quotes"))
        for key in ("id", "label_zh", "label_en"):
            if not str(m.get(key, "")).strip():
                _bad(name, None, f"{where}.{key}", None, Message("monitoring_data.missing"),
                     Message("monitoring_data.allowed_text"))
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
            _bad(name, None, f"{where}.indicator", ind, Message("monitoring_data.not_targetable"),
                 [k for k, v in INDICATORS.items() if v[0] in ("growth", "count", "amount")])
        if t.get("comparator") not in COMPARATORS:
            _bad(name, None, f"{where}.comparator", t.get("comparator"), Message("monitoring_data.not_comparator"),
                 list(COMPARATORS))
        for key in ("value", "tolerance"):
            if not isinstance(t.get(key, 0.0), (int, float)) or isinstance(t.get(key, 0.0), bool):
                _bad(name, None, f"{where}.{key}", t.get(key), Message("monitoring_data.not_a_number"),
                     Message("monitoring_data.allowed_a_number"))
        for key in ("id", "label_zh", "label_en", "quote"):
            if not str(t.get(key, "")).strip():
                _bad(name, None, f"{where}.{key}", None, Message("monitoring_data.missing"),
                     Message("monitoring_data.allowed_text"))
        targets.append(_region_target(t, region, year, source, name, where))
    return targets


def _region_target(t: Mapping, region: str, year: int, source: str, name: str, where: str) -> Target:
    """A region's annual target from its checked ``[[target]]`` table: the rule in the indicator's unit."""
    try:
        rule = Rule(t["comparator"], float(t["value"]), float(t.get("tolerance", 0.0)))
    except ValueError:
        _bad(name, None, f"{where}.tolerance", t.get("tolerance"), Message("monitoring_data.bad_tolerance"),
             Message("targets_file.allowed_tolerance"))
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
