"""Regional weights for splitting a city target (指标分解): reading ``monitoring/region_weights.toml``.

Each district's weight on a basis (``gdp`` for GDP targets, ``industry`` for
industrial ones), with its citation or an illustrative (示例) mark, and the
spreads that decide how far a district may stray from the city: the growth
spread estimated from the cited district–city differences, the level spread
an assumption. Every field is checked; a bad entry is refused with its file,
entry and field, in both languages.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import city
from .monitoring_data import MONITORING_DIR, read_regions
from .record import CalibrationDataError
from .textfile import TextFileError, check_nesting, read_text

WEIGHTS_FILE = MONITORING_DIR / "region_weights.toml"
MAX_BYTES = 1_000_000   # the shipped file is 20 KB
BASES = ("gdp", "industry")
STATUSES = ("reported", "derived", "illustrative")
WEIGHT_FIELDS = {"region", "basis", "value", "unit", "status", "period", "url", "publisher", "published", "quote",
                 "note"}
DIFFERENCE_FIELDS = {"region", "year", "district", "city", "url", "publisher", "published", "quote", "note"}


@dataclass(frozen=True)
class Weight:
    """One district's weight on one basis, with where it comes from."""

    region: str
    basis: str
    value: float
    unit: str
    status: str
    period: str
    source: str
    quote: str
    note: str = ""

    @property
    def illustrative(self) -> bool:
        """True when no source gives the figure (示例)."""
        return self.status == "illustrative"


@dataclass(frozen=True)
class RegionWeights:
    """The districts' weights by basis and the spreads of their growth (points) and shares (log)."""

    weights: dict[str, tuple[Weight, ...]]
    growth_spread: float
    level_spread: float
    differences: tuple[tuple[str, int, float], ...]   # (region, year, district minus city, points)

    def of(self, basis: str) -> tuple[Weight, ...]:
        """The weights of one basis, in file order."""
        return self.weights[basis]


def _bad(name: str, where: str, field: str, value, en: tuple[str, str], zh: tuple[str, str]) -> CalibrationDataError:
    return CalibrationDataError(f"{name} {where}", None, field, value, en[0], en[1], zh[0], zh[1])


def _weight(entry: dict, i: int, name: str, regions: set[str]) -> Weight:
    where = f"[[weight]] #{i}"
    unknown = sorted(set(entry) - WEIGHT_FIELDS)
    if unknown:
        raise _bad(name, where, unknown[0], None, ("unknown field", ", ".join(sorted(WEIGHT_FIELDS))),
                   ("未知字段", "、".join(sorted(WEIGHT_FIELDS))))
    for req in ("region", "basis", "value", "status", "quote"):
        if req not in entry:
            raise _bad(name, where, req, None, ("missing", "every weight needs it"), ("缺少该字段", "每项权重都须填写"))
    if entry["region"] not in regions:
        raise _bad(name, where, "region", entry["region"], ("not a declared region", ", ".join(sorted(regions))),
                   ("不是 regions.toml 中声明的区域", "、".join(sorted(regions))))
    if entry["basis"] not in BASES:
        raise _bad(name, where, "basis", entry["basis"], ("unknown basis", ", ".join(BASES)), ("未知依据",
                                                                                               "、".join(BASES)))
    v = entry["value"]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
        raise _bad(name, where, "value", v, ("not a positive number", "a number above 0"), ("不是正数", "大于 0 的数"))
    if entry["status"] not in STATUSES:
        raise _bad(name, where, "status", entry["status"], ("unknown status", ", ".join(STATUSES)),
                   ("未知状态", "、".join(STATUSES)))
    if entry["status"] != "illustrative" and not entry.get("url"):
        raise _bad(name, where, "url", None, ("a figure from a source needs its URL", "url, publisher, published"),
                   ("来自来源的数字须注明网址", "url、publisher、published"))
    source = f"{entry.get('url', '')} ({entry.get('publisher', '')}, {entry.get('published', '')})"
    return Weight(entry["region"], entry["basis"], float(v), str(entry.get("unit", "")), entry["status"],
                  str(entry.get("period", "")), source, str(entry["quote"]), str(entry.get("note", "")))


def _difference(entry: dict, i: int, name: str, regions: set[str]) -> tuple[str, int, float]:
    where = f"[[difference]] #{i}"
    unknown = sorted(set(entry) - DIFFERENCE_FIELDS)
    if unknown:
        raise _bad(name, where, unknown[0], None, ("unknown field", ", ".join(sorted(DIFFERENCE_FIELDS))),
                   ("未知字段", "、".join(sorted(DIFFERENCE_FIELDS))))
    for req in ("region", "year", "district", "city", "url", "quote"):
        if req not in entry:
            raise _bad(name, where, req, None, ("missing", "every difference needs it and its citation"),
                       ("缺少该字段", "每一行都须填写并注明出处"))
    if entry["region"] not in regions:
        raise _bad(name, where, "region", entry["region"], ("not a declared region", ", ".join(sorted(regions))),
                   ("不是 regions.toml 中声明的区域", "、".join(sorted(regions))))
    return str(entry["region"]), int(entry["year"]), float(entry["district"]) - float(entry["city"])


def parse_region_weights(text: str, name: str, regions: set[str]) -> RegionWeights:
    """Validate the weights file's text; raise CalibrationDataError naming the entry and field.

    Parameters
    ----------
    text : str
        The file's text (TOML).
    name : str
        The file's name, for messages.
    regions : set[str]
        The declared region ids.
    """
    try:
        # before the recursive parser
        check_nesting(text, name=name, what=("区市权重 TOML", "a district weights TOML"))
        data = tomllib.loads(text.lstrip("\ufeff"))
    except TextFileError as err:
        raise CalibrationDataError(name, err.line, None, None, err.problem_en, err.allowed_en, err.problem_zh,
                                   err.allowed_zh) from None
    except tomllib.TOMLDecodeError as exc:
        raise CalibrationDataError(name, None, None, None, f"not valid TOML ({exc})", "[[weight]] tables",
                                   f"不是有效的 TOML（{exc}）", "[[weight]] 表") from None
    weights = [_weight(e, i, name, regions) for i, e in enumerate(data.get("weight", []), start=1)]
    diffs = tuple(_difference(e, i, name, regions) for i, e in enumerate(data.get("difference", []), start=1))
    if not diffs:
        raise _bad(name, "", "difference", None, ("no district-city differences", "at least one [[difference]]"),
                   ("没有区市与全市的差值", "至少一个 [[difference]]"))
    by_basis: dict[str, tuple[Weight, ...]] = {}
    for b in BASES:
        chosen = tuple(w for w in weights if w.basis == b)
        seen = [w.region for w in chosen]
        if len(set(seen)) != len(seen):
            dup = next(r for r in seen if seen.count(r) > 1)
            raise _bad(name, f"basis {b}", "region", dup, ("a region given twice", "each region once per basis"),
                       ("区域重复", "每个依据下每个区域一次"))
        by_basis[b] = chosen
    level = data.get("spread", {}).get("level", 0.10)
    growth = math.sqrt(sum(d * d for _, _, d in diffs) / len(diffs))   # root mean square of the differences
    return RegionWeights(by_basis, growth, float(level), diffs)


def region_weights() -> RegionWeights:
    """The active pack's weights (``monitoring/region_weights.toml``), checked against ``monitoring/regions.toml``."""
    folder = city.active().monitoring_dir
    path = folder / "region_weights.toml"
    return _region_weights_of(str(folder), path.stat().st_mtime_ns if path.is_file() else 0)


@lru_cache(maxsize=16)
def _region_weights_of(folder: str, mtime_ns: int) -> RegionWeights:
    path = Path(folder) / "region_weights.toml"
    regions = set(read_regions(Path(folder) / "regions.toml"))
    try:   # the one bounded reader: a regular file of at most MAX_BYTES, UTF-8
        text = read_text(path, what=("区市权重 TOML", "a district weights TOML"), max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise CalibrationDataError(str(path.name), err.line, None, None, err.problem_en, err.allowed_en,
                                   err.problem_zh, err.allowed_zh) from None
    return parse_region_weights(text, str(path.name), regions)
