"""Plan targets as data: reading and validating ``cities/<id>/targets.toml``.

A user adds a target by adding a ``[[target]]`` table (or gives a file of
their own); every field is checked against the indicator registry and the
comparators, and a bad entry is refused with its file, entry and field.
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from growthsim.simulation.indicators import indicators
from growthsim.simulation.measures import FORM_KINDS, FORMS, Measure
from growthsim.simulation.targets import COMPARATORS, Rule, Target

from . import city
from .record import CalibrationDataError
from .textfile import TextFileError, check_nesting, read_text

# The built-in default pack's targets; a reader given no path takes the active pack's (city.active).
TARGETS_FILE = city.DEFAULT_ROOT / "targets.toml"
FIELDS = {"id", "indicator", "year", "comparator", "value", "tolerance", "label_zh", "label_en", "source", "url",
          "publisher", "published", "quote", "untracked_reason", "form", "start"}
MAX_BYTES = 1_000_000
WHAT = ("目标文件（TOML）", "a targets file (TOML)")
TEXT_FIELDS = {"label_zh", "label_en", "source", "url", "publisher", "published", "quote", "untracked_reason"}
MAX_TEXT = 2000  # a label or a quote; a longer one would swamp every table it is shown in


def parse_targets(text: str, name: str = "targets.toml") -> dict[str, Target]:
    """Validate a targets file's text; raise CalibrationDataError naming the entry and field."""
    out: dict[str, Target] = {}
    meta = indicators()
    for i, entry in enumerate(_target_tables(text, name), start=1):
        where = f"{name} [[target]] #{i}"

        def bad(field: str, problem: str, allowed: str, problem_zh: str, allowed_zh: str, where=where, entry=entry):
            return CalibrationDataError(where, None, field, entry.get(field), problem, allowed, problem_zh, allowed_zh)

        target = _target_entry(entry, where, bad, meta, set(out))
        out[target.id] = target
    if not out:
        raise CalibrationDataError(name, None, None, None, "no targets", "at least one [[target]]", "没有目标",
                                   "至少一个 [[target]]")
    return out


def _target_tables(text: str, name: str) -> list[dict]:
    """The file's ``[[target]]`` tables, after checking that it is TOML with nothing else at the top."""
    text = text.lstrip("\ufeff")
    try:
        check_nesting(text, name=name, what=WHAT)  # before the recursive parser: 5,000 [ would exhaust its stack
        data = tomllib.loads(text)
    except TextFileError as err:
        raise CalibrationDataError(name, err.line, None, None, err.problem_en, err.allowed_en, err.problem_zh,
                                   err.allowed_zh) from None
    except tomllib.TOMLDecodeError as exc:
        raise CalibrationDataError(name, None, None, None, f"not valid TOML ({exc})", "a [[target]] table per target",
                                   f"不是有效的 TOML（{exc}）", "每个目标一个 [[target]] 表") from None
    extra = set(data) - {"target"}
    if extra:
        key = sorted(extra)[0]
        raise CalibrationDataError(name, None, key, None, "unknown top-level key", "[[target]] tables only",
                                   "未知的顶层键", "只允许 [[target]] 表")
    entries = data.get("target", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CalibrationDataError(name, None, "target", None, "target is not a list of tables",
                                   "one [[target]] table per target (two brackets)", "target 不是表的列表",
                                   "每个目标一个 [[target]] 表（两层方括号）")
    return entries


def _target_entry(entry: dict, where: str, bad, meta: dict, seen: set[str]) -> Target:
    """One ``[[target]]`` table checked field by field and made a :class:`Target`.

    Parameters
    ----------
    entry : dict
        The table as TOML gives it.
    where : str
        The file and the entry's number, for messages.
    bad : callable
        ``bad(field, problem, allowed, problem_zh, allowed_zh)`` makes the error naming the field.
    meta : dict
        The indicator registry by id.
    seen : set[str]
        The ids of the entries before this one.

    Returns
    -------
    Target
        The target, its value in its indicator's unit (or the period form's unit).
    """
    unknown = sorted(set(entry) - FIELDS)
    if unknown:
        raise bad(unknown[0], "unknown field", ", ".join(sorted(FIELDS)), "未知字段", ", ".join(sorted(FIELDS)))
    for req in ("id", "indicator", "year", "comparator", "value", "label_zh", "label_en", "quote"):
        if req not in entry:
            raise CalibrationDataError(where, None, req, None, f"missing field {req!r}", "every target needs it",
                                       f"缺少字段 {req!r}", "每个目标都必须填写")
    for field in sorted(TEXT_FIELDS & set(entry)):
        if not isinstance(entry[field], str) or len(entry[field]) > MAX_TEXT:
            raise bad(field, f"not text of at most {MAX_TEXT} characters", "text in quotes",
                      f"不是不超过 {MAX_TEXT} 字的文字", "带引号的文字")
    tid = entry["id"]
    if not isinstance(tid, str) or not tid.replace("_", "").isalnum():
        raise bad("id", "not an id", "letters, digits and _", "不是合法的标识", "字母、数字和下划线")
    if tid in seen:
        raise bad("id", "id used twice", "one entry per id", "标识重复", "每个标识只用一次")
    ind = entry["indicator"] or None
    if ind is not None and ind not in meta:
        raise bad("indicator", "unknown indicator", "an indicator id (growthsim targets lists them) or \"\"",
                  "未知指标", "指标标识或空字符串")
    if ind is None and not entry.get("untracked_reason"):
        raise bad("untracked_reason", "a target the model does not carry needs its reason", "a sentence",
                  "模型未涵盖的目标须说明原因", "一句说明")
    year, comp, value, tol = _year_and_rule(entry, bad)
    source = _citation(entry, bad)
    measure = _period_measure(entry, ind, int(year), bad)
    unit = (measure.unit(meta[ind].unit) if measure is not None else meta[ind].unit) if ind else ""
    return Target(tid, ind, int(year), Rule(comp, float(value), float(tol)), entry["label_zh"],
                  entry["label_en"], unit=unit, source=source,
                  source_file=str(entry.get("source", "")) if not entry.get("url") else "",
                  url=str(entry.get("url", "")), publisher=str(entry.get("publisher", "")),
                  published=str(entry.get("published", "")), quote=str(entry["quote"]),
                  untracked_reason=entry.get("untracked_reason", ""),
                  decided_by=meta[ind].set_by if ind else (), measure=measure)


def _year_and_rule(entry: dict, bad) -> tuple[int, str, float, float]:
    """A target's year, comparator, value and tolerance, checked (the value in the indicator's unit)."""
    year = entry["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 2016 <= year <= 2035:
        raise bad("year", "not a year the model covers", "a whole year from 2016 to 2035", "年份超出范围",
                  "2016 至 2035 的整数年份")
    comp = entry["comparator"]
    if comp not in COMPARATORS:
        raise bad("comparator", "unknown comparator", ", ".join(COMPARATORS), "未知比较方式",
                  "、".join(f"{k}（{v.zh}）" for k, v in COMPARATORS.items()))
    value, tol = entry["value"], entry.get("tolerance", 0.0)
    for field, v in (("value", value), ("tolerance", tol)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise bad(field, "not a number", "a finite number", "不是数字", "有限数")
    if tol < 0 or (comp != "about" and tol != 0):
        raise bad("tolerance", "a tolerance is for 'about' targets and is not negative", "0, or > 0 with about",
                  "容差只用于“左右”目标且不能为负", "0，或“左右”目标的正数")
    return year, comp, value, tol


def _citation(entry: dict, bad) -> str:
    """A target's citation: a URL with its publisher, date and quote, or a seed file and its quote."""
    if entry.get("url"):
        if not entry.get("publisher"):
            raise bad("publisher", "a URL needs its publisher", "who published it", "网址须注明发布者", "发布单位")
        return f"{entry['url']} ({entry['publisher']}, {entry.get('published', '')}): {entry['quote']}"
    if entry.get("source"):
        return f"{entry['source']}: {entry['quote']}"
    raise bad("source", "every target needs its citation", "source (a seed file) or url + publisher",
              "每个目标都须注明出处", "source（资料文件）或 url + publisher")


def _period_measure(entry: dict, ind: str | None, year: int, bad) -> Measure | None:
    """A target over a period (``form`` average, change or total from ``start`` to ``year``), or None for a level."""
    form = entry.get("form", "level")
    if form not in FORMS:
        raise bad("form", "unknown form", ", ".join(FORMS), "未知形式",
                  "level（水平）、average（年均增长）、change（累计提高）、total（累计）")
    if form == "level":
        if "start" in entry:
            raise bad("start", "a level target has no period", "leave start out, or give a form", "水平目标没有时期",
                      "去掉 start，或注明 form")
        return None
    start = entry.get("start")
    if isinstance(start, bool) or not isinstance(start, int) or not 2016 <= start <= year:
        raise bad("start", "not the first year of the period", f"a whole year from 2016 to {year}",
                  "不是时期的起始年", f"2016 至 {year} 的整数年份")
    if ind is None:
        return None
    kind = indicators()[ind].kind
    if kind not in FORM_KINDS[form]:
        raise bad("form", f"does not apply to a {kind} indicator", ", ".join(f for f in FORMS if kind in FORM_KINDS[f]),
                  "不适用于该指标", "、".join(f for f in FORMS if kind in FORM_KINDS[f]))
    return Measure(ind, year, form, start, kind=kind)


def read_targets(path: str | Path | None = None) -> dict[str, Target]:
    """Read and validate a targets file (default: the active city pack's ``targets.toml``).

    The file goes through the one bounded reader (a regular file of at most 1 MB, UTF-8 with the fix named).
    """
    path = Path(path) if path is not None else city.active().targets_file
    try:
        text = read_text(path, what=WHAT, max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise CalibrationDataError(str(path), err.line, None, None, err.problem_en, err.allowed_en, err.problem_zh,
                                   err.allowed_zh) from None
    return parse_targets(text, str(path))


@lru_cache(maxsize=16)
def _targets_of(path: str, mtime_ns: int) -> dict[str, Target]:
    return read_targets(path)


def targets() -> dict[str, Target]:
    """The active city pack's targets, by id (read once while the file is unchanged)."""
    path = city.active().targets_file
    return _targets_of(str(path), path.stat().st_mtime_ns if path.is_file() else 0)


def announced_growth_targets(all_targets: dict[str, Target] | None = None) -> dict[int, tuple[float, bool]]:
    """The above-scale growth target announced for each year: ``{year: (value %, is a floor)}``.

    A year's target comes out in its spring (work report, the bureau's plan),
    together with the previous year's figures: the calibration lets it pull
    that year's growth (:func:`simulation.dynamics.target_pull`), and a
    projection from year Y knows the target of Y + 1 only. A "左右" target
    pulls both ways; a floor ("以上", "突破") only lifts growth expected below it.
    """
    pool = targets() if all_targets is None else all_targets
    out: dict[int, tuple[float, bool]] = {}
    for t in pool.values():
        if t.indicator == "above_scale_va_growth" and t.comparator in ("about", "at_least", "above"):
            out[int(t.year)] = (float(t.value), t.comparator != "about")
    return out


def tracked_targets() -> dict[str, Target]:
    """The shipped targets whose indicator the model carries."""
    return {k: t for k, t in targets().items() if t.tracked}


OUTCOME_COLUMNS = ["target_id", "year", "indicator", "comparator", "target", "tolerance", "reported", "met",
                   "probability", "basis", "status"]


def reported_outcomes(cal, all_targets: dict[str, Target] | None = None) -> pd.DataFrame:
    """Targets of years up to the calibration's last year: 达成/未达成 from the reported value.

    Where the year is covered but the figure was never published (no firm
    count after 2020, say), the filtered posterior gives the probability that
    the target was met, marked as an estimate. ``status`` is the reported
    row's (final, preliminary, revised, derived): a derived figure is ours,
    computed from published ones, and is shown as such.
    """
    rows = []
    rep = cal.reported
    rep = rep[(~rep.superseded) & (rep.status.isin(("final", "preliminary", "revised", "derived")))] \
        if "superseded" in rep else rep
    years = [int(y) for y in cal.history_years]
    for t in (all_targets or targets()).values():
        if not t.tracked or t.year > cal.data_through:
            continue
        hit = rep[(rep.year == t.year) & (rep.indicator == _reported_id(t.indicator))]
        row = {"target_id": t.id, "year": t.year, "indicator": t.indicator, "comparator": t.comparator,
               "target": t.value, "tolerance": t.tolerance, "reported": math.nan, "met": None,
               "probability": math.nan, "basis": "", "status": ""}
        if len(hit):
            value = float(hit.value.iloc[-1])
            row.update(reported=value, met=bool(t.met(np.array([value]))[0]), basis="reported",
                       status=str(hit.status.iloc[-1]) if "status" in hit else "")
        elif t.indicator in cal.history and t.year in years:
            draws = cal.history[t.indicator][:, years.index(t.year)]
            if np.isfinite(draws).all():
                row.update(probability=float(np.mean(t.met(draws))), reported=float(np.median(draws)),
                           basis="estimated")
        rows.append(row)
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)  # the columns also when no target is in a reported year


def _reported_id(indicator: str) -> str:
    return {"mfg_va_growth": "mfg_va_growth_above_scale"}.get(indicator, indicator)
