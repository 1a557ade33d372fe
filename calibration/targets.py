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

from growthsim.i18n import Message
from growthsim.simulation.indicators import indicators
from growthsim.simulation.measures import FORM_KINDS, FORMS, Measure
from growthsim.simulation.targets import COMPARATORS, Rule, Target

from . import city
from .record import CalibrationDataError
from .textfile import TextFileError, check_nesting, read_text

# The built-in default pack's targets; a reader given no path takes the active pack's (city.active).
TARGETS_FILE = city.DEFAULT_ROOT / "targets.toml"
FIELDS = {"id", "indicator", "year", "comparator", "value", "tolerance", "label_zh", "label_en", "source", "url",
          "publisher", "publisher_zh", "published", "quote", "untracked_reason", "untracked_reason_zh", "form",
          "start"}
MAX_BYTES = 1_000_000
WHAT = Message("file.what_targets")
TEXT_FIELDS = {"label_zh", "label_en", "source", "url", "publisher", "publisher_zh", "published", "quote",
               "untracked_reason", "untracked_reason_zh"}
MAX_TEXT = 2000  # a label or a quote; a longer one would swamp every table it is shown in


def parse_targets(text: str, name: str = "targets.toml") -> dict[str, Target]:
    """Validate a targets file's text; raise CalibrationDataError naming the entry and field."""
    out: dict[str, Target] = {}
    meta = indicators()
    for i, entry in enumerate(_target_tables(text, name), start=1):
        where = f"{name} [[target]] #{i}"

        def bad(field: str, problem: Message, allowed: Message | str, where=where, entry=entry):
            return CalibrationDataError(where, None, field, entry.get(field), problem, allowed)

        target = _target_entry(entry, where, bad, meta, set(out))
        out[target.id] = target
    if not out:
        raise CalibrationDataError(name, None, None, None, Message("targets_file.no_targets"),
                                   Message("targets_file.allowed_one_target"))
    return out


def _target_tables(text: str, name: str) -> list[dict]:
    """The file's ``[[target]]`` tables, after checking that it is TOML with nothing else at the top."""
    text = text.lstrip("\ufeff")
    try:
        check_nesting(text, name=name, what=WHAT)  # before the recursive parser: 5,000 [ would exhaust its stack
        data = tomllib.loads(text)
    except TextFileError as err:
        raise CalibrationDataError(name, err.line, None, None, err.problem, err.allowed) from None
    except tomllib.TOMLDecodeError as exc:
        raise CalibrationDataError(name, None, None, None, Message("targets_file.not_toml", detail=str(exc)),
                                   Message("targets_file.allowed_tables")) from None
    extra = set(data) - {"target"}
    if extra:
        key = sorted(extra)[0]
        raise CalibrationDataError(name, None, key, None, Message("targets_file.unknown_top_key"),
                                   Message("targets_file.allowed_tables_only"))
    entries = data.get("target", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CalibrationDataError(name, None, "target", None, Message("targets_file.not_a_list"),
                                   Message("targets_file.allowed_two_brackets"))
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
        ``bad(field, problem, allowed)`` makes the error naming the field (``problem``, ``allowed``: messages).
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
        raise bad(unknown[0], Message("targets_file.unknown_field"), ", ".join(sorted(FIELDS)))
    for req in ("id", "indicator", "year", "comparator", "value", "label_zh", "label_en", "quote"):
        if req not in entry:
            raise CalibrationDataError(where, None, req, None, Message("targets_file.missing_field", field=req),
                                       Message("targets_file.allowed_required"))
    for field in sorted(TEXT_FIELDS & set(entry)):
        if not isinstance(entry[field], str) or len(entry[field]) > MAX_TEXT:
            raise bad(field, Message("targets_file.not_text", most=MAX_TEXT), Message("targets_file.allowed_text"))
    tid = entry["id"]
    if not isinstance(tid, str) or not tid.replace("_", "").isalnum():
        raise bad("id", Message("targets_file.not_an_id"), Message("targets_file.allowed_id"))
    if tid in seen:
        raise bad("id", Message("targets_file.id_twice"), Message("targets_file.allowed_id_once"))
    ind = entry["indicator"] or None
    if ind is not None and ind not in meta:
        raise bad("indicator", Message("targets_file.unknown_indicator"), Message("targets_file.allowed_indicator"))
    for field in ("untracked_reason", "untracked_reason_zh") if ind is None else ():  # the reason in each language
        if not str(entry.get(field, "")).strip():
            raise bad(field, Message("targets_file.needs_reason"), Message("targets_file.allowed_sentence"))
    year, comp, value, tol = _year_and_rule(entry, bad)
    source = _citation(entry, bad)
    measure = _period_measure(entry, ind, int(year), bad)
    unit = (measure.unit(meta[ind].unit) if measure is not None else meta[ind].unit) if ind else ""
    return Target(tid, ind, int(year), Rule(comp, float(value), float(tol)), entry["label_zh"],
                  entry["label_en"], unit=unit, source=source,
                  source_file=str(entry.get("source", "")) if not entry.get("url") else "",
                  url=str(entry.get("url", "")), publisher=str(entry.get("publisher", "")),
                  publisher_zh=str(entry.get("publisher_zh", "")),
                  published=str(entry.get("published", "")), quote=str(entry["quote"]),
                  untracked_reason=entry.get("untracked_reason", ""),
                  untracked_reason_zh=entry.get("untracked_reason_zh", ""),
                  decided_by=meta[ind].set_by if ind else (), measure=measure)


def _year_and_rule(entry: dict, bad) -> tuple[int, str, float, float]:
    """A target's year, comparator, value and tolerance, checked (the value in the indicator's unit)."""
    year = entry["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 2016 <= year <= 2035:
        raise bad("year", Message("targets_file.year_not_covered"), Message("targets_file.allowed_year", first=2016,
                                                                                 last=2035))
    comp = entry["comparator"]
    if comp not in COMPARATORS:
        raise bad("comparator", Message("targets_file.unknown_comparator"),
                  [Message("targets_file.comparator_choice", id=k, word=v.zh) for k, v in COMPARATORS.items()])
    value, tol = entry["value"], entry.get("tolerance", 0.0)
    for field, v in (("value", value), ("tolerance", tol)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise bad(field, Message("calibration.not_a_number"), Message("calibration.allowed_finite"))
    if tol < 0 or (comp != "about" and tol != 0):
        raise bad("tolerance", Message("targets_file.bad_tolerance"), Message("targets_file.allowed_tolerance"))
    return year, comp, value, tol


def _citation(entry: dict, bad) -> str:
    """A target's citation: a URL with its publisher, date and quote, or a seed file and its quote."""
    if entry.get("url"):
        if not entry.get("publisher"):
            raise bad("publisher", Message("targets_file.needs_publisher"), Message("targets_file.allowed_publisher"))
        if "publisher_zh" in entry and not entry["publisher_zh"].strip():  # given: a Chinese reader reads it
            raise bad("publisher_zh", Message("calibration.empty_publisher_zh"),
                      Message("targets_file.allowed_publisher_zh"))
        return f"{entry['url']} ({entry['publisher']}, {entry.get('published', '')}): {entry['quote']}"
    if "publisher_zh" in entry:
        raise bad("publisher_zh", Message("targets_file.publisher_zh_without_url"),
                  Message("calibration.allowed_empty"))
    if entry.get("source"):
        return f"{entry['source']}: {entry['quote']}"
    raise bad("source", Message("targets_file.needs_citation"), Message("targets_file.allowed_citation"))


def _period_measure(entry: dict, ind: str | None, year: int, bad) -> Measure | None:
    """A target over a period (``form`` average, change or total from ``start`` to ``year``), or None for a level."""
    form = entry.get("form", "level")
    if form not in FORMS:
        raise bad("form", Message("targets_file.unknown_form"), Message("targets_file.allowed_form"))
    if form == "level":
        if "start" in entry:
            raise bad("start", Message("targets_file.level_has_no_period"), Message("targets_file.allowed_no_start"))
        return None
    start = entry.get("start")
    if isinstance(start, bool) or not isinstance(start, int) or not 2016 <= start <= year:
        raise bad("start", Message("targets_file.not_period_start"), Message("targets_file.allowed_year", first=2016,
                                                                                  last=year))
    if ind is None:
        return None
    kind = indicators()[ind].kind
    if kind not in FORM_KINDS[form]:
        raise bad("form", Message("targets_file.form_not_for_kind", kind=kind),
                  [f for f in FORMS if kind in FORM_KINDS[f]])
    return Measure(ind, year, form, start, kind=kind)


def read_targets(path: str | Path | None = None) -> dict[str, Target]:
    """Read and validate a targets file (default: the active city pack's ``targets.toml``).

    The file goes through the one bounded reader (a regular file of at most 1 MB, UTF-8 with the fix named).
    """
    path = Path(path) if path is not None else city.active().targets_file
    try:
        text = read_text(path, what=WHAT, max_bytes=MAX_BYTES)
    except TextFileError as err:
        raise CalibrationDataError(str(path), err.line, None, None, err.problem, err.allowed) from None
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
