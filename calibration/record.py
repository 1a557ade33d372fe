"""The public record: reading and validating ``reported_figures.csv``.

One row per reported figure: year, indicator, value, unit, status, period,
vintage and a citation — a seed file in ``calibration/sources/`` with its
verbatim quote, or a URL with publisher, publication date and the clause that
states the figure. A later vintage of the same figure (year, indicator,
period) supersedes the earlier one, which stays in the table, marked.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from growthsim.i18n import Message, MessageError, Pair
from growthsim.simulation.indicators import indicators

from . import city
from .textfile import TextFileError, read_text

# The built-in default pack's record and its sources; a reader given no path takes the active pack's (city.active).
DATA_FILE = city.DEFAULT_ROOT / "reported_figures.csv"
SOURCES_DIR = city.DEFAULT_ROOT / "sources"
# publisher_zh: the publisher in Chinese, for Chinese readers (optional: without it they read publisher as written)
COLUMNS = ("year", "indicator", "value", "unit", "status", "period", "vintage", "source_file", "url",
           "publisher", "publisher_zh", "published", "quote", "tolerance")
REQUIRED_COLUMNS = ("year", "indicator", "value", "unit", "source_file", "quote")
STATUSES = ("final", "preliminary", "revised", "derived", "partial_year", "lower_bound")
# the pre-sample starts 2016; projections end by 2035, so the last reported year leaves at least one to project
FIRST_YEAR, LAST_YEAR = 2015, 2034
MAX_BYTES = 2_000_000
# A tolerance is a measurement error (sd): in the unit, for 亿元 in % of the value. Below the smallest the
# filter would need a figure reproduced to more digits than any source gives; above the largest it is no figure.
TOLERANCE_MIN = 0.001
TOLERANCE_MAX = {"%": 10.0, "百分点": 10.0, "亿元": 20.0, "家": 1000.0, "个": 1000.0}


def _max_tolerance(unit: str) -> float:
    return TOLERANCE_MAX.get(unit, 10.0)


@dataclass(frozen=True)
class Known:
    """What the calibration knows of an indicator: unit, role, measurement error, plausible range.

    Roles: ``base`` (sets the 2020 starting state; observed later too),
    ``observed`` (the filter weighs it in its year), ``force`` (a reported
    flow imposed in its year), ``derive`` (feeds a derivation), ``context``
    (reported, not modelled). ``error`` is the measurement error (sd, in the
    unit; for money, in % of the value).
    """

    unit: str
    role: str
    error: float
    lower: float
    upper: float
    label_zh: str = ""   # "" for an indicator of the registry: its name there (_named)
    label_en: str = ""


_GROWTH = (-30.0, 60.0)
KNOWN: dict[str, Known] = {
    "mfg_va_share_gdp": Known("%", "base", 0.05, 1.0, 90.0),
    "above_scale_firms": Known("家", "base", 0.5, 100.0, 100_000.0),
    "revenue": Known("亿元", "base", 0.5, 100.0, 1e6),
    "profit": Known("亿元", "base", 0.5, -1e5, 1e5),
    "gdp": Known("亿元", "base", 0.5, 100.0, 1e6),
    "secondary_industry_va": Known("亿元", "base", 0.5, 10.0, 1e6),
    "high_tech_share": Known("%", "base", 0.05, 0.1, 99.9),
    "profit_margin": Known("%", "context", 0.05, -50.0, 100.0),
    "above_scale_va_growth": Known("%", "observed", 0.05, *_GROWTH),
    "mfg_va_growth_above_scale": Known("%", "observed", 0.05, *_GROWTH, "规上制造业增加值增速",
                                       "Above-scale manufacturing VA growth"),
    "gdp_real_growth": Known("%", "observed", 0.05, *_GROWTH),
    "high_tech_mfg_va_growth": Known("%", "observed", 0.05, *_GROWTH),
    "ppi_national": Known("%", "observed", 0.05, -30.0, 30.0),
    "project_growth_contribution": Known("百分点", "observed", 0.15, 0.0, 20.0),
    "industrial_va_share_change": Known("百分点", "observed", 0.5, -10.0, 10.0, "工业增加值占GDP比重变动",
                                        "Change of industry's share of GDP"),
    "above_scale_va_growth_avg5": Known("%", "observed", 0.05, *_GROWTH, "规上工业增加值五年年均增速",
                                        "Above-scale VA growth, five-year average"),
    "above_scale_va_growth_avg2": Known("%", "derive", 0.05, *_GROWTH, "规上工业增加值两年平均增速",
                                        "Above-scale VA growth, two-year average"),
    "high_tech_share_change_5y": Known("百分点", "derive", 0.1, -50.0, 50.0, "高技术制造业占比五年提高",
                                       "Five-year rise of the high-tech share"),
    "key_firm_revenue_increase": Known("亿元", "derive", 1.0, 0.0, 1e5, "倍增培育企业营业收入净增",
                                       "Key firms' revenue increase"),
    "firm_upgrades": Known("家", "force", 0.5, 0.0, 5000.0),
    "projects_entering_statistics": Known("个", "force", 0.5, 0.0, 2000.0),
    "tech_renovation_investment_growth": Known("%", "force", 0.05, *_GROWTH),
    "key_firm_revenue_growth": Known("%", "force", 0.05, *_GROWTH, "倍增培育企业营业收入增速",
                                     "Key firms' revenue growth"),
    "secondary_industry_va_growth": Known("%", "context", 0.05, *_GROWTH, "第二产业增加值增速",
                                          "Secondary-industry growth"),
    "fixed_asset_investment_growth": Known("%", "context", 0.05, *_GROWTH, "固定资产投资增速",
                                           "Fixed-asset investment growth"),
    "industrial_investment_growth": Known("%", "context", 0.05, *_GROWTH),
    "manufacturing_investment_growth": Known("%", "context", 0.05, *_GROWTH, "制造业投资增速",
                                             "Manufacturing investment growth"),
    "high_tech_industry_investment_growth": Known("%", "context", 0.05, -50.0, 200.0, "高技术产业投资增速",
                                                  "High-tech investment growth"),
    "gdp_structure_secondary_share": Known("%", "context", 0.05, 0.0, 100.0, "第二产业占GDP比重",
                                           "Secondary industry's share of GDP"),
    "industrial_va": Known("亿元", "observed", 0.5, 10.0, 1e6, "工业增加值", "Industrial value added"),
    "above_scale_firms_growth": Known("%", "observed", 0.5, -50.0, 100.0, "规上工业企业数同比增速",
                                      "Growth of the above-scale firm count"),
    "high_tech_mfg_va_growth_avg5": Known("%", "observed", 0.05, *_GROWTH, "高技术制造业增加值五年年均增速",
                                          "High-tech manufacturing growth, five-year average"),
    "gdp_real_growth_avg2": Known("%", "derive", 0.05, *_GROWTH, "地区生产总值两年平均增速",
                                  "Real GDP growth, two-year average"),
    "profit_growth": Known("%", "context", 0.05, -100.0, 500.0, "规上工业利润总额增速", "Above-scale profit growth"),
    "mfg_projects_commissioned": Known("个", "context", 0.0, 0.0, 100_000.0, "制造业项目建成投产数",
                                       "Manufacturing projects commissioned"),
    "industrial_va_national": Known("万亿元", "context", 0.5, 0.0, 1e3, "全国全部工业增加值",
                                    "National industrial value added"),
    "mfg_va_national": Known("万亿元", "context", 0.5, 0.0, 1e3, "全国制造业增加值",
                             "National manufacturing value added"),
    "high_tech_share_national": Known("%", "context", 0.05, 0.0, 100.0, "全国高技术制造业增加值占规上工业比重",
                                      "National high-tech share of above-scale VA"),
    "high_tech_investment_growth": Known("%", "context", 0.05, -50.0, 200.0, "高技术投资增速",
                                         "High-tech investment growth"),
    "equipment_mfg_va_growth": Known("%", "context", 0.05, *_GROWTH, "装备制造业增加值增速",
                                     "Equipment manufacturing growth"),
    "secondary_industry_investment_growth": Known("%", "context", 0.05, -50.0, 200.0, "第二产业投资增速",
                                                  "Secondary-industry investment growth"),
    "gdp_avg_growth_5y": Known("%", "context", 0.05, *_GROWTH, "GDP五年年均增速", "Five-year average GDP growth"),
    "equipment_mfg_share": Known("%", "context", 0.0, 0.0, 100.0, "装备制造业增加值占规上工业比重",
                                 "Equipment manufacturing share of above-scale VA"),
    "labour_productivity": Known("万元/人", "context", 0.0, 0.0, 1000.0, "规上工业全员劳动生产率",
                                 "Above-scale labour productivity"),
    "rd_intensity": Known("%", "context", 0.0, 0.0, 100.0, "规上制造业研发经费占营业收入比重",
                          "R&D spending share of revenue"),
    "specialised_sme_count": Known("家", "context", 0.0, 0.0, 100_000.0, "省级以上专精特新企业数",
                                   "Provincial 'specialised and innovative' firms"),
    "single_champion_count": Known("家", "context", 0.0, 0.0, 10_000.0, "省级以上制造业单项冠军企业数",
                                   "Provincial single champions"),
    "tech_renovation_projects_rolling": Known("个", "context", 0.0, 0.0, 100_000.0, "滚动推进重点技改项目数",
                                              "Key renovation projects in progress"),
    "tech_renovation_projects_completed": Known("个", "context", 0.0, 0.0, 100_000.0, "重点技改项目竣工数",
                                                "Key renovation projects completed"),
    "tech_renovation_planned_investment": Known("亿元", "context", 0.0, 0.0, 1e6, "重点技改项目计划总投资",
                                                "Planned investment of key renovation projects"),
    "key_projects_rolling": Known("个", "context", 0.0, 0.0, 100_000.0, "滚动推进重点项目数",
                                  "Key projects in progress"),
    "key_projects_completed": Known("个", "context", 0.0, 0.0, 100_000.0, "重点项目竣工数", "Key projects completed"),
    "large_projects_under_construction": Known("个", "context", 0.0, 0.0, 100_000.0, "在建大项目数",
                                               "Large projects under construction"),
    "chemical_firm_closures": Known("家", "context", 0.0, 0.0, 10_000.0, "关闭退出化工生产企业数",
                                    "Chemical firms closed"),
    "cluster_concentration": Known("%", "context", 0.0, 0.0, 100.0, "产业集聚度", "Cluster concentration"),
    # Figures other cities publish that the model does not carry (context; first shipped in Xiamen's pack)
    "above_scale_va": Known("亿元", "context", 0.5, 10.0, 1e6, "规上工业增加值", "Above-scale industrial value added"),
    "above_scale_va_share_gdp": Known("%", "context", 0.05, 0.0, 100.0, "规上工业增加值占GDP比重",
                                      "Above-scale industrial VA share of GDP"),
    "hi_new_tech_industry_share": Known("%", "context", 0.05, 0.0, 100.0, "规上高新技术产业增加值占规上工业比重",
                                        "Hi- and new-tech industry share of above-scale VA "
                                        "(Fujian's wider definition)"),
    "new_above_scale_firms": Known("家", "context", 0.0, 0.0, 100_000.0, "新增规上工业企业数",
                                   "Firms newly in the above-scale statistics"),
    "strategic_emerging_share_above_scale_va": Known("%", "context", 0.05, 0.0, 100.0,
                                                     "战略性新兴产业增加值占规上工业比重",
                                                     "Strategic emerging industries' share of above-scale VA"),
    "industry_contribution_gdp_growth": Known("%", "context", 0.05, 0.0, 100.0, "工业对GDP增长贡献率",
                                              "Industry's contribution to GDP growth"),
    "gdp_increase_nominal": Known("亿元", "context", 0.5, 0.0, 1e6, "地区生产总值比上年增加额",
                                  "GDP increase over the year before (current prices)"),
    "gdp_avg_growth_10y": Known("%", "context", 0.05, *_GROWTH, "GDP十年年均增速", "Ten-year average GDP growth"),
}


def _named(known: dict[str, Known]) -> dict[str, Known]:
    """Each figure with its label: a model indicator's is its registry name (declared once), the others their own."""
    meta = indicators()
    out = {}
    for k, v in known.items():
        if k in meta:
            if v.label_zh or v.label_en or v.unit != meta[k].unit:
                raise ValueError(f"{k} is an indicator: its label comes from the indicator registry, in its unit")
            v = replace(v, label_zh=meta[k].name_zh, label_en=meta[k].name_en)
        elif not (v.label_zh and v.label_en):
            raise ValueError(f"{k} needs a Chinese and an English label")
        out[k] = v
    return out


KNOWN = _named(KNOWN)
BASE_REQUIRED = ("mfg_va_share_gdp", "above_scale_firms", "revenue", "profit", "gdp", "high_tech_share",
                 "secondary_industry_va")


class CalibrationDataError(MessageError, ValueError):
    """A broken calibration table: names the file, line, column, value and what is allowed (``calibration.*``).

    A catalogue message: ``err.text(lang)`` in the reader's language, ``str(err)`` its English. The parts are
    kept as attributes (``path``, ``line``, ``column``, ``value``, ``problem``, ``allowed``).
    """

    def __init__(self, path: str, line: int | None, column: str | None, value: object, problem: Message | str,
                 allowed: Message | str = ""):
        """Describe one problem in a calibration table (reported figures, targets, district weights).

        Parameters
        ----------
        path : str
            The file, as shown to the user.
        line : int or None
            The line (None: the file as a whole).
        column : str or None
            The column (a CSV's) or field (a TOML table's) at fault.
        value : object
            The value found (None: nothing to show).
        problem : Message
            What is wrong.
        allowed : Message or str
            What is allowed ("": nothing to say).
        """
        self.path, self.line, self.column, self.value = str(path), line, column, value
        self.problem, self.allowed = problem, allowed
        where: str | Message = Message("calibration.where_line", file=path, line=line) if line else str(path)
        if column:  # a TOML table's key is a field, a CSV's a column
            where = Message("calibration.where_field" if ".toml" in str(path) else "calibration.where_column",
                            where=where, column=column)
        super().__init__("calibration.data_problem", where=where,
                         got=Message("calibration.got", value=value) if value is not None else "",
                         allowed=Message("calibration.allowed", allowed=allowed) if allowed else "",
                         problem=problem)


class BaseFigureError(CalibrationDataError):
    """A record the filter cannot start from, as a catalogue message (``growthsim/i18n/catalogue/calibration.toml``)."""

    def __init__(self, code: str, /, **fields: object):
        """The catalogue's ``code`` with its ``fields`` (``file``: the table as the user named it)."""
        MessageError.__init__(self, code, **fields)
        self.path, self.line, self.column, self.value = str(fields.get("file", "")), None, None, None
        self.problem = self.allowed = ""


class CitationError(BaseFigureError):
    """A row without its citation (quote, source, publisher): a catalogue message naming file and line."""

    def __init__(self, code: str, /, column: str, **fields: object):
        """The catalogue's ``code``; ``column`` is the column at fault, ``fields`` name file, line, figure."""
        super().__init__(code, **fields)
        self.line, self.column = fields.get("line"), column


def read_reported(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the reported-figures table; raise CalibrationDataError on any bad row.

    The file goes through the one bounded reader (:func:`calibration.textfile.read_text`: a regular file of
    at most 2 MB, UTF-8 with or without a BOM; another encoding is named with the fix, 另存为 UTF-8).
    """
    path = Path(path) if path is not None else city.active().reported_figures
    name = str(path)
    try:
        text = read_text(path, what=Message("file.what_reported"), max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise CalibrationDataError(name, err.line, None, None, err.problem, err.allowed) from None
    return parse_reported(text, name)


_VINTAGE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PERIOD = re.compile(r"^1-(\d{1,2})$")


def parse_reported(text: str, name: str = "reported_figures.csv") -> pd.DataFrame:
    """Parse the table's text; every row checked, the first bad one reported."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise CalibrationDataError(name, 1, None, None, Message("calibration.empty_file"),
                                   Message("calibration.allowed_header", columns=",".join(COLUMNS))) from None
    header = [h.strip() for h in header]
    twice = [c for c in dict.fromkeys(header) if header.count(c) > 1]
    if twice:  # the last one would silently win
        raise CalibrationDataError(name, 1, twice[0], None, Message("calibration.column_twice"),
                                   Message("calibration.allowed_each_column_once"))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CalibrationDataError(name, 1, missing[0], None, Message("calibration.missing_column", column=missing[0]),
                                   Message("calibration.allowed_header_columns", columns=",".join(COLUMNS)))
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise CalibrationDataError(name, 1, unknown[0], None, Message("calibration.unknown_column", column=unknown[0]),
                                   ",".join(COLUMNS))
    rows: list[dict] = []
    for line_no, raw in enumerate(reader, start=2):
        if not raw or all(not c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            raise CalibrationDataError(name, line_no, None, ",".join(raw),
                                       Message("calibration.field_count", found=len(raw), header=len(header)),
                                       Message("calibration.allowed_quote_commas"))
        cell = dict.fromkeys(COLUMNS, "")
        cell.update({c: raw[i].strip() for i, c in enumerate(header)})
        if "publisher_zh" not in header:
            cell["publisher_zh"] = None  # no Chinese column: the Chinese reader sees the publisher as written
        rows.append(_parse_row(cell, name, line_no))
    if not rows:
        raise CalibrationDataError(name, None, None, None, Message("calibration.no_rows"))
    df = _resolve_vintages(pd.DataFrame(rows), name)
    df.attrs["file"] = name  # messages about the table as a whole name the file the user gave
    return df


def _parse_row(cell: dict, name: str, line_no: int) -> dict:
    def bad(column: str, problem: Message, allowed: Message | str) -> CalibrationDataError:
        return CalibrationDataError(name, line_no, column, cell[column], problem, allowed)

    try:
        year = int(cell["year"])
    except ValueError:
        raise bad("year", Message("calibration.not_a_year"), Message("calibration.allowed_year")) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise bad("year", Message("calibration.year_unplaceable"), f"{FIRST_YEAR}-{LAST_YEAR}")
    ind = cell["indicator"]
    if ind not in KNOWN:
        near = difflib.get_close_matches(ind, list(KNOWN), n=3, cutoff=0.5)
        problem = Message("calibration.unknown_indicator_near", near=near) if near else Message(
            "calibration.unknown_indicator")
        raise bad("indicator", problem, Message("calibration.allowed_indicator"))
    known = KNOWN[ind]
    try:
        value = float(cell["value"])
    except ValueError:
        raise bad("value", Message("calibration.not_a_number"), Message("calibration.allowed_number")) from None
    if not math.isfinite(value):
        raise bad("value", Message("calibration.not_finite"), Message("calibration.allowed_finite"))
    if not known.lower <= value <= known.upper:
        raise bad("value", Message("calibration.implausible", indicator=Pair(known.label_zh, ind)),
                  Message("calibration.allowed_range", lower=known.lower, upper=known.upper, unit=known.unit))
    if known.unit in ("家", "个") and value != int(value):
        raise bad("value", Message("calibration.count_not_whole"), Message("calibration.allowed_whole"))
    if cell["unit"] != known.unit:
        raise bad("unit", Message("calibration.wrong_unit", indicator=Pair(known.label_zh, ind)), known.unit)
    status = cell["status"] or "final"
    if status not in STATUSES:
        raise bad("status", Message("calibration.unknown_status"), ", ".join(STATUSES))
    period = cell["period"]
    if status == "partial_year" or (status == "lower_bound" and period):  # a bound may hold for part of a year
        m = _PERIOD.match(period)
        if not m or not 2 <= int(m.group(1)) <= 11:
            raise bad("period", Message("calibration.period_needs_months"), Message("calibration.allowed_period"))
    elif period:
        raise bad("period", Message("calibration.period_not_allowed"), Message("calibration.allowed_empty"))
    vintage = cell["vintage"] or str(year + 1)
    if not _VINTAGE.match(vintage) or int(vintage[:4]) < year:
        raise bad("vintage", Message("calibration.bad_vintage"), Message("calibration.allowed_vintage"))
    cited = {"file": name, "line": line_no, "indicator": ind, "year": year}
    if not cell["quote"]:
        raise CitationError("calibration.no_quote", column="quote", **cited)
    if cell["url"]:
        if not re.match(r"^https?://\S+$", cell["url"]):
            raise bad("url", Message("calibration.not_a_url"), Message("calibration.allowed_url"))
        if not cell["publisher"]:
            raise CitationError("calibration.no_publisher", column="publisher", **cited)
    elif not cell["source_file"]:
        raise CitationError("calibration.no_source", column="source_file", **cited)
    _check_publisher_zh(cell, bad)
    tol = known.error
    if cell["tolerance"]:
        low, high = TOLERANCE_MIN, _max_tolerance(known.unit)
        allowed = (Message("calibration.allowed_tolerance_share", low=low, high=high) if known.unit == "亿元"
                   else Message("calibration.allowed_tolerance", low=low, high=high, unit=known.unit))
        try:
            tol = float(cell["tolerance"])
        except ValueError:
            raise bad("tolerance", Message("calibration.not_a_number"), allowed) from None
        if not (math.isfinite(tol) and low <= tol <= high):
            raise bad("tolerance", Message("calibration.implausible_tolerance"), allowed)
    return {"year": year, "indicator": ind, "value": value, "unit": known.unit, "status": status,
            "period": period, "vintage": vintage, "source_file": cell["source_file"] or cell["url"],
            "url": cell["url"], "publisher": cell["publisher"], "publisher_zh": cell["publisher_zh"] or "",
            "published": cell["published"],
            "quote": cell["quote"], "tolerance": tol, "role": known.role, "line": line_no}


def _check_publisher_zh(cell: dict, bad) -> None:
    """The Chinese publisher where the column is given: filled beside a publisher, empty without one."""
    zh = cell["publisher_zh"]
    if zh is None:
        return
    if cell["publisher"] and not zh:  # the column is there: a row left empty would show its reader a mixed list
        raise bad("publisher_zh", Message("calibration.empty_publisher_zh"),
                  Message("calibration.allowed_publisher_zh"))
    if zh and not cell["publisher"]:
        raise bad("publisher_zh", Message("calibration.publisher_zh_alone"), Message("calibration.allowed_empty"))


def _resolve_vintages(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Mark superseded vintages; refuse two rows of one figure with the same vintage."""
    df = df.copy()
    df["superseded"] = False
    for (_, _, _), g in df.groupby(["year", "indicator", "period"], sort=False):
        if len(g) == 1:
            continue
        lb = g[g.status == "lower_bound"]
        exact = g[g.status != "lower_bound"]
        if len(exact) and len(lb):  # an exact figure makes a bound redundant
            df.loc[lb.index, "superseded"] = True
        if len(exact) > 1:
            order = exact.sort_values("vintage")
            if order.vintage.duplicated().any():
                dup = order[order.vintage.duplicated(keep=False)]
                r = dup.iloc[-1]
                raise CalibrationDataError(name, int(r.line), "vintage", r.vintage,
                                           Message("calibration.vintage_conflict", first=int(dup.iloc[0].line)),
                                           Message("calibration.allowed_later_vintage"))
            df.loc[order.index[:-1], "superseded"] = True
    return df


def current(df: pd.DataFrame) -> pd.DataFrame:
    """The rows in force: full-year figures, latest vintage (a partial-year figure or bound is not one)."""
    return df[(~df.superseded) & (df.status != "partial_year") & (df.period == "")]
