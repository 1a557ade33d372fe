"""The app's state as plain data: scenario edits, view settings and the URL.

Pure functions, no Streamlit: the page code keeps the state in
``st.session_state`` and calls these to encode it into the page's URL, to
decode and validate a URL, and to move between the editor's form (a slider
value per parameter plus year-by-year entries) and a scenario's ``values``.

Scenario values mean what they mean in :mod:`simulation.scenario`: a constant,
or ``{year: value}`` where a value holds from its year until the next key and
the baseline applies before the first key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from growthsim.i18n import Message
from growthsim.settings import DEFAULT_HORIZON, DEFAULT_LANG, DEFAULT_SEED, DRAWS, LANGS, SEED_MAX, ValueTextError
from growthsim.settings import parse_value_text as _parse_value_text
from growthsim.simulation.registry import NOT_YEAR_KEYED, Parameter, nearest_names, parameters
from growthsim.simulation.scenario import HORIZON_MAX, ParameterValueError, validate_values

from .i18n import t

Value = float | dict[int, float]

# The draws a planner picks from: within the settings' limit for the app (growthsim.settings.DRAWS["app"]).
DEFAULT_DRAWS = DRAWS["app"].default
DRAWS_CHOICES = tuple(n for n in (100, 200, 500, 1000, 2000, 5000, 10000) if n <= DRAWS["app"].most)
# The shortest horizon keeps every plan target in view; the longest is the model's.
HORIZON_MIN = 2026  # the first year after the last reported one (2025)
HORIZONS = tuple(range(HORIZON_MIN, HORIZON_MAX + 1))
# Query keys that are view settings, not parameters. Streamlit itself owns "embed*".
VIEW_KEYS = ("lang", "page", "draws", "seed", "horizon", "through", "cmp")
# Keys with this prefix belong to a page (e.g. 年内监测's m_year): the page validates them itself.
PAGE_KEY_PREFIX = "m_"
STREAMLIT_KEYS = ("embed", "embed_options")


@dataclass(frozen=True)
class View:
    """Everything a link reproduces: scenario edits, settings, language, page, comparison."""

    values: Mapping[str, Value] = field(default_factory=dict)
    lang: str = DEFAULT_LANG
    page: str = "projections"
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    horizon: int = DEFAULT_HORIZON
    through: int | None = None
    compare: tuple[str, ...] | None = None  # None: the default comparison
    extra: tuple[tuple[str, str], ...] = ()  # a page's own settings (keys starting with PAGE_KEY_PREFIX)


@dataclass(frozen=True)
class Problem:
    """One bad input: where (key, or a table's row), what (value), what went wrong and what is allowed."""

    key: str | Message
    value: object
    problem: Message
    allowed: Message | str

    def __str__(self) -> str:
        """The problem on one line, in English: ``key = value: problem; allowed: allowed``."""
        return Message("value.problem", key=self.key, value=self.value, problem=self.problem,
                       allowed=self.allowed).text("en")


# ---------------------------------------------------------------- numbers


def fmt_number(x: float) -> str:
    """Shortest exact text for a number: 500, 0.85, 12.5 (no float noise kept)."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(round(x, 10))


def clean_number(x: float) -> float:
    """Drop binary noise a slider adds (0.30000000000000004 -> 0.3); keep typed precision."""
    return float(round(float(x), 10))


def step_decimals(p: Parameter) -> int:
    """Decimal places of a parameter's slider step (0 for whole numbers)."""
    if p.integer:
        return 0
    return max(0, -math.floor(math.log10(p.step) + 1e-9))


def fmt_value(value: Value) -> str:
    """A scenario value as URL text: ``500`` or ``2024:60,2026:70``."""
    if isinstance(value, Mapping):
        return ",".join(f"{int(y)}:{fmt_number(v)}" for y, v in sorted(value.items()))
    return fmt_number(value)


def describe_path(value: Value | None, default: float, first_year: int, lang: str) -> str:
    """A value in words: '500' or '405; 2024年起 500'.

    Parameters
    ----------
    value : Value | None
        A constant, a table of values by year, or None (the parameter's registry unit).
    default : float
        The baseline's value (registry unit).
    first_year : int
        First projected year (calendar year).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    if value is None:
        return fmt_number(default)
    if not isinstance(value, Mapping):
        return fmt_number(value)
    parts = []
    items = sorted(value.items())
    if items[0][0] > first_year:
        parts.append(fmt_number(default))
    for year, v in items:
        parts.append(t("value_from_year", lang, year=year, value=fmt_number(v)))
    return "; ".join(parts)


# ---------------------------------------------------------------- validation


def problem_from(err: ParameterValueError) -> Problem:
    """The Problem a parameter value's check raised, as the pages list it."""
    return Problem(err.key, err.value, err.problem, err.allowed)


def validate_each(values: Mapping[str, object], first_year: int,
                  last_year: int = HORIZON_MAX) -> tuple[dict[str, Value], list[Problem]]:
    """Validate every key on its own; return the clean values and *every* problem found.

    Parameters
    ----------
    values : Mapping[str, object]
        Scenario values: parameter id to a value in its registry unit, or a table of values by year.
    first_year : int
        First projected year (calendar year).
    last_year : int
        Last year allowed (calendar year).
    """
    clean: dict[str, Value] = {}
    problems: list[Problem] = []
    for key, raw in values.items():
        try:
            clean.update(validate_values({key: raw}, first_year, last_year))
        except ParameterValueError as err:
            problems.append(problem_from(err))
    return clean, problems


# ---------------------------------------------------------------- editor form <-> scenario values


def defaults_from(posterior_default) -> dict[str, float]:
    """The baseline's value of every parameter (the calibration's where it fits one)."""
    return {pid: float(posterior_default(pid)) for pid in parameters()}


def compose(sliders: Mapping[str, float], years: Mapping[str, Mapping[int, float]],
            defaults: Mapping[str, float], first_year: int) -> dict[str, Value]:
    """Scenario values from the editor: only what departs from the baseline.

    ``sliders[pid]`` is the value from the first projected year on;
    ``years[pid]`` the year-by-year entries after it.

    Parameters
    ----------
    sliders : Mapping[str, float]
        Each slider's value by parameter id (registry unit).
    years : Mapping[str, Mapping[int, float]]
        Year-by-year entries by parameter id (registry unit).
    defaults : Mapping[str, float]
        The baseline's value of every parameter, in its registry unit.
    first_year : int
        First projected year (calendar year).
    """
    out: dict[str, Value] = {}
    for pid in parameters():
        base = defaults[pid]
        s = sliders.get(pid, base)
        entries = {int(y): float(v) for y, v in (years.get(pid) or {}).items() if int(y) > first_year}
        changed = not math.isclose(float(s), float(base), rel_tol=1e-9, abs_tol=1e-12)
        if entries:
            path = ({first_year: float(s)} if changed else {}) | entries
            out[pid] = dict(sorted(path.items()))
        elif changed:
            out[pid] = float(s)
    return out


def decompose(values: Mapping[str, Value], defaults: Mapping[str, float],
              first_year: int) -> tuple[dict[str, float], dict[str, dict[int, float]]]:
    """The editor's form of scenario values: a slider value per parameter, year entries after it.

    Parameters
    ----------
    values : Mapping[str, Value]
        Scenario values: parameter id to a value in its registry unit, or a table of values by year.
    defaults : Mapping[str, float]
        The baseline's value of every parameter, in its registry unit.
    first_year : int
        First projected year (calendar year).
    """
    sliders = {pid: float(defaults[pid]) for pid in parameters()}
    years: dict[str, dict[int, float]] = {}
    for pid, value in values.items():
        if isinstance(value, Mapping):
            items = sorted((int(y), float(v)) for y, v in value.items())
            early = [v for y, v in items if y <= first_year]
            if early:
                sliders[pid] = early[-1]
            later = {y: v for y, v in items if y > first_year}
            if later:
                years[pid] = later
        else:
            sliders[pid] = float(value)
    return sliders, years


def values_key(values: Mapping[str, Value]) -> tuple:
    """A hashable, canonical form of scenario values (cache key)."""
    items = []
    for pid in sorted(values):
        v = values[pid]
        if isinstance(v, Mapping):
            items.append((pid, tuple(sorted((int(y), float(x)) for y, x in v.items()))))
        else:
            items.append((pid, float(v)))
    return tuple(items)


def values_from_key(key: tuple) -> dict[str, Value]:
    """The scenario values back from their canonical key (:func:`values_key`): year-by-year values as dicts again."""
    return {pid: (dict(v) if isinstance(v, tuple) else v) for pid, v in key}


def changed_parameters(values: Mapping[str, Value], defaults: Mapping[str, float], first_year: int,
                       lang: str) -> list[tuple[str, str, str]]:
    """(label, baseline, now) for each changed parameter, in registry order.

    Parameters
    ----------
    values : Mapping[str, Value]
        Scenario values: parameter id to a value in its registry unit, or a table of values by year.
    defaults : Mapping[str, float]
        The baseline's value of every parameter, in its registry unit.
    first_year : int
        First projected year (calendar year).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    out = []
    for pid, p in parameters().items():
        if pid in values:
            out.append((p.label(lang), fmt_number(round(defaults[pid], 4)),
                        describe_path(values[pid], defaults[pid], first_year, lang)))
    return out


# ---------------------------------------------------------------- year-by-year table

YEAR_COLUMN, VALUE_COLUMN = "year", "value"


def year_keyable() -> list[str]:
    """Parameters a scenario may key by year."""
    return [pid for pid in parameters() if pid not in NOT_YEAR_KEYED]


def year_frame(entries: Mapping[int, float] | None) -> pd.DataFrame:
    """The year-by-year entries as the editor's table (two columns, sorted by year)."""
    rows = sorted((entries or {}).items())
    return pd.DataFrame({YEAR_COLUMN: pd.array([int(y) for y, _ in rows], dtype="Int64"),
                         VALUE_COLUMN: pd.array([float(v) for _, v in rows], dtype="Float64")})


def entries_from_frame(frame: pd.DataFrame, pid: str, first_year: int,
                       last_year: int = HORIZON_MAX) -> tuple[dict[int, float], list[Problem], int]:
    """Parse the editor's table: (entries, problems, number of incomplete rows ignored).

    Parameters
    ----------
    frame : pd.DataFrame
        The editor's table (year, value).
    pid : str
        The parameter id.
    first_year : int
        First projected year (calendar year).
    last_year : int
        Last year allowed (calendar year).
    """
    if pid not in parameters():  # a year table is only ever for a registry parameter
        raise KeyError(pid)
    entries: dict[int, float] = {}
    problems: list[Problem] = []
    incomplete = 0
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        year, value = _as_number(getattr(row, YEAR_COLUMN)), _as_number(getattr(row, VALUE_COLUMN))
        if _missing(year) or _missing(value):
            if not (_missing(year) and _missing(value)):
                incomplete += 1
            continue
        where = Message("link.table_row", key=pid, row=i)
        years = Message("value.allowed_years", first=first_year + 1, last=last_year)
        try:
            y = float(year)
        except (TypeError, ValueError):
            problems.append(Problem(where, year, Message("link.year_not_number"), years))
            continue
        if not y.is_integer() or not first_year < y <= last_year:
            problems.append(Problem(where, year, Message("value.year_outside_horizon"), years))
            continue
        y = int(y)
        if y in entries:
            problems.append(Problem(where, y, Message("link.year_listed_twice"), Message("link.each_year_once")))
            continue
        try:
            clean = validate_values({pid: {y: _as_number(value)}}, first_year, last_year)
        except ParameterValueError as err:
            problems.append(replace(problem_from(err), key=Message("link.table_row_key", key=pid, row=i,
                                                                      value_key=err.key)))
            continue
        entries[y] = clean[pid][y]
    return dict(sorted(entries.items())), problems, incomplete


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _as_number(x: object) -> object:
    if x is None or x is pd.NA:
        return None
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return x
    if hasattr(x, "item"):  # numpy / pandas scalars
        return x.item()
    return x


# ---------------------------------------------------------------- the URL


def encode_query(view: View, pages: Sequence[str]) -> dict[str, str]:
    """Query parameters for a view: only what differs from the defaults, so links stay short."""
    q: dict[str, str] = {}
    if view.lang != DEFAULT_LANG:
        q["lang"] = view.lang
    if pages and view.page != pages[0]:
        q["page"] = view.page
    if view.draws != DEFAULT_DRAWS:
        q["draws"] = str(view.draws)
    if view.seed != DEFAULT_SEED:
        q["seed"] = str(view.seed)
    if view.horizon != DEFAULT_HORIZON:
        q["horizon"] = str(view.horizon)
    if view.through is not None:
        q["through"] = str(view.through)
    if view.compare is not None:
        q["cmp"] = ",".join(view.compare)
    for pid in parameters():  # registry order: the same view gives the same link
        if pid in view.values:
            q[pid] = fmt_value(view.values[pid])
    for key, value in view.extra:
        q[key] = value
    return q


def _one(raw: object) -> str:
    """A query value as one string (a repeated key keeps its last value, as st.query_params does)."""
    if isinstance(raw, (list, tuple)):
        return str(raw[-1]) if raw else ""
    return str(raw)


def parse_value_text(key: str, text: str) -> object:
    """``'500'`` -> 500.0, ``'2024:60,2026:70'`` -> {2024: 60.0, 2026: 70.0} — the CLI's ``--set`` parser.

    Raises ValueTextError (a year given twice, also as ``2024`` and ``02024``; a part that is not YEAR:VALUE).
    """
    return _parse_value_text(text)


def _int_setting(key: str, raw: str, allowed: Sequence[int] | range,
                 allowed_text: Message) -> tuple[int | None, Problem | None]:
    try:
        value = int(raw.strip())
    except ValueError:
        return None, Problem(key, raw, Message("link.not_whole"), allowed_text)
    if value not in allowed:
        return None, Problem(key, raw, Message("link.not_allowed_value"), allowed_text)
    return value, None


@dataclass(frozen=True)
class Decoded:
    """A decoded URL: the parts that are valid, and every problem found.

    ``numbers`` (scenario values, draws, seed, horizon, data-through) apply all
    together or not at all, so a half-read link never shows numbers that the
    link did not mean; language, page and comparison apply on their own.
    """

    view: View
    problems: tuple[Problem, ...]
    numbers_ok: bool
    present: frozenset[str]
    ignored: tuple[str, ...] = ()  # valid settings not applied because another number was bad


def _setting_bounds(key: str, through_years: Sequence[int]) -> tuple[Sequence[int], Message]:
    """The values a link's ``draws``, ``seed``, ``horizon`` or ``through`` may take, and how to say so."""
    if key == "draws":
        return DRAWS_CHOICES, Message("link.one_of", items=list(DRAWS_CHOICES))
    if key == "seed":
        return range(0, SEED_MAX + 1), Message("link.whole_from_to", lower=0, upper=SEED_MAX)
    if key == "horizon":
        return HORIZONS, Message("link.year_from_to", first=HORIZONS[0], last=HORIZONS[-1])
    return list(through_years), Message("link.one_of", items=list(through_years))


def _compared(raw: str, compare_ids: Sequence[str] | None) -> tuple[tuple[str, ...], Problem | None]:
    """A link's ``cmp``: two to four different known scenario keys, or the problem with it."""
    ids = tuple(s.strip() for s in raw.split(",") if s.strip())
    unknown = [i for i in ids if compare_ids is not None and i not in compare_ids]
    if unknown:
        return ids, Problem("cmp", raw, Message("link.unknown_scenario", id=unknown[0]),
                            Message("link.two_to_four_of", ids=list(compare_ids or [])))
    if not 2 <= len(ids) <= 4 or len(set(ids)) != len(ids):
        return ids, Problem("cmp", raw, Message("link.need_two_to_four"),
                            Message("link.two_to_four_of", ids=list(compare_ids or [])))
    return ids, None


def decode_query(params: Mapping[str, object], pages: Sequence[str], first_year: int,
                 through_years: Sequence[int], compare_ids: Sequence[str] | None = None) -> Decoded:
    """Read and validate query parameters against the registry and the allowed settings.

    Parameters
    ----------
    params : Mapping[str, object]
        The URL's query parameters.
    pages : Sequence[str]
        The page ids.
    first_year : int
        First projected year (calendar year).
    through_years : Sequence[int]
        The data-through years offered (calendar years).
    compare_ids : Sequence[str] | None
        The scenario keys that may be compared, or None: any.
    """
    problems: list[Problem] = []
    number_problems = 0
    kw: dict[str, object] = {}
    raw_values: dict[str, object] = {}
    for key, raw_any in params.items():
        raw = _one(raw_any)
        if key in STREAMLIT_KEYS or key.startswith(PAGE_KEY_PREFIX):
            continue
        if key == "lang":
            if raw in LANGS:
                kw["lang"] = raw
            else:
                problems.append(Problem(key, raw, Message("link.unknown_language"), Message("option.allowed_lang")))
        elif key == "page":
            if raw in pages:
                kw["page"] = raw
            else:
                problems.append(Problem(key, raw, Message("link.unknown_page"), list(pages)))
        elif key in ("draws", "seed", "horizon", "through"):
            v, bad = _int_setting(key, raw, *_setting_bounds(key, through_years))
            _collect(kw, problems, key, v, bad)
            number_problems += bad is not None
        elif key == "cmp":
            ids, problem = _compared(raw, compare_ids)
            if problem is None:
                kw["compare"] = ids
            else:
                problems.append(problem)
        else:
            if key not in parameters():
                near = nearest_names(key)
                problem = (Message("value.unknown_parameter_near", names=near) if near else
                           Message("link.unknown_parameter"))
                problems.append(Problem(key, raw, problem, Message("link.allowed_keys", keys=list(VIEW_KEYS))))
                number_problems += 1
                continue
            try:
                raw_values[key] = parse_value_text(key, raw)
            except ValueTextError as exc:
                problems.append(Problem(key, raw, exc.message, Message("link.allowed_value_text")))
                number_problems += 1
    clean, value_problems = validate_each(raw_values, first_year)
    # Name a bad value as it was written in the link, not as the number it was read as.
    texts = {k: _one(v) for k, v in params.items()}
    value_problems = [replace(p, value=texts[p.key]) if p.key in texts and not isinstance(raw_values.get(p.key), dict)
                      else p for p in value_problems]
    problems += value_problems
    number_problems += len(value_problems)
    numbers_ok = number_problems == 0
    ignored: list[str] = []
    if numbers_ok:
        kw["values"] = clean
    else:
        ignored = [k for k in ("draws", "seed", "horizon", "through") if kw.pop(k, None) is not None]
        ignored += list(clean)
    return Decoded(View(**kw), tuple(problems), numbers_ok, frozenset(params), tuple(ignored))


def _collect(kw: dict, problems: list[Problem], key: str, value: object, bad: Problem | None) -> None:
    if bad is not None:
        problems.append(bad)
    else:
        kw[key] = value
