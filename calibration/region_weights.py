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

from growthsim.i18n import Message

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


def _bad(name: str, where: str | Message, field: str, value, problem: Message,
         allowed: Message | str | list) -> CalibrationDataError:
    """The error naming the file, the entry (``where``), the field and the value found."""
    return CalibrationDataError(Message("weights_file.where", file=name, entry=where) if where else name, None,
                                field, value, problem, allowed)


def _weight(entry: dict, i: int, name: str, regions: set[str]) -> Weight:
    where = f"[[weight]] #{i}"
    unknown = sorted(set(entry) - WEIGHT_FIELDS)
    if unknown:
        raise _bad(name, where, unknown[0], None, Message("targets_file.unknown_field"), sorted(WEIGHT_FIELDS))
    for req in ("region", "basis", "value", "status", "quote"):
        if req not in entry:
            raise _bad(name, where, req, None, Message("weights_file.missing"), Message("weights_file.allowed_weight"))
    if entry["region"] not in regions:
        raise _bad(name, where, "region", entry["region"], Message("weights_file.undeclared_region"), sorted(regions))
    if entry["basis"] not in BASES:
        raise _bad(name, where, "basis", entry["basis"], Message("weights_file.unknown_basis"), list(BASES))
    v = entry["value"]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
        raise _bad(name, where, "value", v, Message("weights_file.not_positive"),
                   Message("weights_file.allowed_positive"))
    if entry["status"] not in STATUSES:
        raise _bad(name, where, "status", entry["status"], Message("calibration.unknown_status"), list(STATUSES))
    if entry["status"] != "illustrative" and not entry.get("url"):
        raise _bad(name, where, "url", None, Message("weights_file.needs_url"), ["url", "publisher", "published"])
    source = f"{entry.get('url', '')} ({entry.get('publisher', '')}, {entry.get('published', '')})"
    return Weight(entry["region"], entry["basis"], float(v), str(entry.get("unit", "")), entry["status"],
                  str(entry.get("period", "")), source, str(entry["quote"]), str(entry.get("note", "")))


def _difference(entry: dict, i: int, name: str, regions: set[str]) -> tuple[str, int, float]:
    where = f"[[difference]] #{i}"
    unknown = sorted(set(entry) - DIFFERENCE_FIELDS)
    if unknown:
        raise _bad(name, where, unknown[0], None, Message("targets_file.unknown_field"), sorted(DIFFERENCE_FIELDS))
    for req in ("region", "year", "district", "city", "url", "quote"):
        if req not in entry:
            raise _bad(name, where, req, None, Message("weights_file.missing"),
                       Message("weights_file.allowed_difference"))
    if entry["region"] not in regions:
        raise _bad(name, where, "region", entry["region"], Message("weights_file.undeclared_region"), sorted(regions))
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
        check_nesting(text, name=name, what=Message("file.what_weights"))
        data = tomllib.loads(text.lstrip("\ufeff"))
    except TextFileError as err:
        raise CalibrationDataError(name, err.line, None, None, err.problem, err.allowed) from None
    except tomllib.TOMLDecodeError as exc:
        raise CalibrationDataError(name, None, None, None, Message("targets_file.not_toml", detail=str(exc)),
                                   Message("weights_file.allowed_tables")) from None
    weights = [_weight(e, i, name, regions) for i, e in enumerate(data.get("weight", []), start=1)]
    diffs = tuple(_difference(e, i, name, regions) for i, e in enumerate(data.get("difference", []), start=1))
    if not diffs:
        raise _bad(name, "", "difference", None, Message("weights_file.no_differences"),
                   Message("weights_file.allowed_one_difference"))
    by_basis: dict[str, tuple[Weight, ...]] = {}
    for b in BASES:
        chosen = tuple(w for w in weights if w.basis == b)
        seen = [w.region for w in chosen]
        if len(set(seen)) != len(seen):
            dup = next(r for r in seen if seen.count(r) > 1)
            raise _bad(name, Message("weights_file.basis", basis=b), "region", dup,
                       Message("weights_file.region_twice"), Message("weights_file.allowed_region_once"))
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
        text = read_text(path, what=Message("file.what_weights"), max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise CalibrationDataError(str(path.name), err.line, None, None, err.problem, err.allowed) from None
    return parse_region_weights(text, str(path.name), regions)
