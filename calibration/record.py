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

from growthsim.i18n import Message
from growthsim.simulation.indicators import indicators

from . import city
from .textfile import TextFileError, read_text

# The built-in default pack's record and its sources; a reader given no path takes the active pack's (city.active).
DATA_FILE = city.DEFAULT_ROOT / "reported_figures.csv"
SOURCES_DIR = city.DEFAULT_ROOT / "sources"
COLUMNS = ("year", "indicator", "value", "unit", "status", "period", "vintage", "source_file", "url",
           "publisher", "published", "quote", "tolerance")
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


class CalibrationDataError(ValueError):
    """A broken calibration table: names the file, line, column, value and what is allowed (zh and en)."""

    def __init__(self, path: str, line: int | None, column: str | None, value: object, problem: str,
                 allowed: str = "", problem_zh: str = "", allowed_zh: str = ""):
        """Describe one problem in the calibration table.

        Parameters
        ----------
        path : str
            The file, as shown to the user.
        line : int or None
            The line (None: the file as a whole).
        column : str or None
            The column at fault.
        value : object
            The value found (None: nothing to show).
        problem, allowed : str
            What is wrong and what is allowed, in English.
        problem_zh, allowed_zh : str, optional
            The same in Chinese (default: the English text).
        """
        self.path, self.line, self.column, self.value = path, line, column, value
        self.problem, self.allowed = problem, allowed
        toml = ".toml" in str(path)  # a TOML table's key is a field, a CSV's a column
        where = path + (f", line {line}" if line else "") + (
            (f", field {column}" if toml else f", column {column}") if column else "")
        text = f"{where}: {problem}" + (f" (got {value!r})" if value is not None else "")
        if allowed:
            text += f"; allowed: {allowed}"
        where_zh = path + (f" 第{line}行" if line else "") + ((f" 字段 {column}" if toml else f" {column}列") if column
                                                            else "")
        self.message_zh = f"{where_zh}：{problem_zh or problem}" + (f"（收到 {value!r}）" if value is not None
                                                                   else "") \
            + (f"；允许：{allowed_zh or allowed}" if (allowed_zh or allowed) else "")
        super().__init__(text)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``: ``zh`` for Chinese, anything else for English."""
        return self.message_zh if lang == "zh" else str(self)

    def text(self, lang: str) -> str:
        """The message in ``lang``, as a catalogue message's field shows it (growthsim.i18n)."""
        return self.message(lang)


class BaseFigureError(CalibrationDataError):
    """A record the filter cannot start from, as a catalogue message (``growthsim/i18n/catalogue/calibration.toml``)."""

    def __init__(self, code: str, /, **fields: object):
        """The catalogue's ``code`` with its ``fields`` (``file``: the table as the user named it)."""
        self.catalogue_message = Message(code, **fields)
        self.path, self.line, self.column, self.value = str(fields.get("file", "")), None, None, None
        self.problem = self.allowed = ""
        self.message_zh = self.catalogue_message.text("zh")
        ValueError.__init__(self, self.catalogue_message.text("en"))


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
        raise CalibrationDataError(name, err.line, None, None, err.problem_en, err.allowed_en, err.problem_zh,
                                   err.allowed_zh) from None
    return parse_reported(text, name)


_VINTAGE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PERIOD = re.compile(r"^1-(\d{1,2})$")


def parse_reported(text: str, name: str = "reported_figures.csv") -> pd.DataFrame:
    """Parse the table's text; every row checked, the first bad one reported."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise CalibrationDataError(name, 1, None, None, "empty file", "a header: " + ",".join(COLUMNS),
                                   "空文件", "表头：" + ",".join(COLUMNS)) from None
    header = [h.strip() for h in header]
    twice = [c for c in dict.fromkeys(header) if header.count(c) > 1]
    if twice:  # the last one would silently win
        raise CalibrationDataError(name, 1, twice[0], None, "column appears twice", "each column once",
                                   "列名重复", "每列一次")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CalibrationDataError(name, 1, missing[0], None, f"missing column {missing[0]!r}",
                                   "header " + ",".join(COLUMNS), f"缺少列 {missing[0]!r}")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise CalibrationDataError(name, 1, unknown[0], None, f"unknown column {unknown[0]!r}",
                                   ",".join(COLUMNS), f"未知列 {unknown[0]!r}")
    rows: list[dict] = []
    for line_no, raw in enumerate(reader, start=2):
        if not raw or all(not c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            raise CalibrationDataError(name, line_no, None, ",".join(raw),
                                       f"{len(raw)} fields where the header has {len(header)}",
                                       "quote fields that contain commas",
                                       f"本行 {len(raw)} 个字段，表头 {len(header)} 个",
                                       "含逗号的字段请加引号")
        cell = dict.fromkeys(COLUMNS, "")
        cell.update({c: raw[i].strip() for i, c in enumerate(header)})
        rows.append(_parse_row(cell, name, line_no))
    if not rows:
        raise CalibrationDataError(name, None, None, None, "no data rows", "", "没有数据行")
    df = _resolve_vintages(pd.DataFrame(rows), name)
    df.attrs["file"] = name  # messages about the table as a whole name the file the user gave
    return df


def _parse_row(cell: dict, name: str, line_no: int) -> dict:
    def bad(column: str, problem: str, allowed: str, problem_zh: str, allowed_zh: str) -> CalibrationDataError:
        return CalibrationDataError(name, line_no, column, cell[column], problem, allowed, problem_zh, allowed_zh)

    try:
        year = int(cell["year"])
    except ValueError:
        raise bad("year", "not a year", "a whole year such as 2021", "不是年份", "整数年份，如 2021") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise bad("year", "a year the model cannot place", f"{FIRST_YEAR}-{LAST_YEAR}", "模型无法使用该年份",
                  f"{FIRST_YEAR}-{LAST_YEAR}")
    ind = cell["indicator"]
    if ind not in KNOWN:
        near = difflib.get_close_matches(ind, list(KNOWN), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        raise bad("indicator", "unknown indicator" + hint, "an indicator id listed in calibration/record.py KNOWN",
                  "未知指标" + hint, "calibration/record.py KNOWN 中的指标")
    known = KNOWN[ind]
    try:
        value = float(cell["value"])
    except ValueError:
        raise bad("value", "not a number", "a number such as 12.5", "不是数字", "数字，如 12.5") from None
    if not math.isfinite(value):
        raise bad("value", "not a finite number", "a finite number", "不是有限数", "有限数")
    if not known.lower <= value <= known.upper:
        raise bad("value", f"implausible for {ind}", f"{known.lower:g} to {known.upper:g} {known.unit}",
                  f"{known.label_zh}的数值不合理", f"{known.lower:g} 至 {known.upper:g} {known.unit}")
    if known.unit in ("家", "个") and value != int(value):
        raise bad("value", "a count must be a whole number", "a whole number", "数量须为整数", "整数")
    if cell["unit"] != known.unit:
        raise bad("unit", f"wrong unit for {ind}", known.unit, f"{known.label_zh}的单位不对", known.unit)
    status = cell["status"] or "final"
    if status not in STATUSES:
        raise bad("status", "unknown status", ", ".join(STATUSES), "未知状态", ", ".join(STATUSES))
    period = cell["period"]
    if status == "partial_year" or (status == "lower_bound" and period):  # a bound may hold for part of a year
        m = _PERIOD.match(period)
        if not m or not 2 <= int(m.group(1)) <= 11:
            raise bad("period", "a partial-year figure needs its months", "1-N with N from 2 to 11, e.g. 1-6",
                      "年内累计数据须注明月份", "1-N，N 为 2 至 11，如 1-6")
    elif period:
        raise bad("period", "a period is only for status partial_year or lower_bound", "empty",
                  "只有 partial_year 或 lower_bound 状态可填期间", "留空")
    vintage = cell["vintage"] or str(year + 1)
    if not _VINTAGE.match(vintage) or int(vintage[:4]) < year:
        raise bad("vintage", "not a publication date on or after the figure's year", "YYYY, YYYY-MM or YYYY-MM-DD",
                  "不是该年及以后的发布日期", "YYYY、YYYY-MM 或 YYYY-MM-DD")
    cited = {"file": name, "line": line_no, "indicator": ind, "year": year}
    if not cell["quote"]:
        raise CitationError("calibration.no_quote", column="quote", **cited)
    if cell["url"]:
        if not re.match(r"^https?://\S+$", cell["url"]):
            raise bad("url", "not a web address", "http://… or https://…", "不是网址", "http://… 或 https://…")
        if not cell["publisher"]:
            raise CitationError("calibration.no_publisher", column="publisher", **cited)
    elif not cell["source_file"]:
        raise CitationError("calibration.no_source", column="source_file", **cited)
    tol = known.error
    if cell["tolerance"]:
        low, high = TOLERANCE_MIN, _max_tolerance(known.unit)
        allowed = f"empty, or {low:g} to {high:g}" + (" (% of the value)" if known.unit == "亿元" else f" {known.unit}")
        allowed_zh = f"留空，或 {low:g} 至 {high:g}" + ("（占数值的百分比）" if known.unit == "亿元"
                                                   else f" {known.unit}")
        try:
            tol = float(cell["tolerance"])
        except ValueError:
            raise bad("tolerance", "not a number", allowed, "不是数字", allowed_zh) from None
        if not (math.isfinite(tol) and low <= tol <= high):
            raise bad("tolerance", "an implausible measurement error", allowed, "测量误差不合理", allowed_zh)
    return {"year": year, "indicator": ind, "value": value, "unit": known.unit, "status": status,
            "period": period, "vintage": vintage, "source_file": cell["source_file"] or cell["url"],
            "url": cell["url"], "publisher": cell["publisher"], "published": cell["published"],
            "quote": cell["quote"], "tolerance": tol, "role": known.role, "line": line_no}


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
                raise CalibrationDataError(
                    name, int(r.line), "vintage", r.vintage,
                    f"vintage conflict: line {int(dup.iloc[0].line)} gives the same figure with the same vintage",
                    "a later vintage (publication date) for a revised figure",
                    f"版本冲突：第{int(dup.iloc[0].line)}行以相同发布日期给出同一数据", "修订数据须填更晚的发布日期")
            df.loc[order.index[:-1], "superseded"] = True
    return df


def current(df: pd.DataFrame) -> pd.DataFrame:
    """The rows in force: full-year figures, latest vintage (a partial-year figure or bound is not one)."""
    return df[(~df.superseded) & (df.status != "partial_year") & (df.period == "")]
