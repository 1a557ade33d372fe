"""Run settings and ``--set`` values: every default and bound declared once, for every command and the app.

:class:`Settings` (pydantic) is the source of every default and bound of a run:
draws, seed, horizon, data-through year, language, probability, output formats
and engine. The run, compare, seek, sensitivity, sweep, back-test and
in-year monitoring take their defaults from it and check their options with
it (:func:`check_settings`), and the app's links are read against it, so a
run the CLI accepts has settings the app accepts too.

- **seed**: 0 ≤ seed < 2**32 everywhere (numpy takes any size; the app's
  number field and links hold 32 bits); the default, 20211, is the seed of
  every published figure (README, golden files, the illustrative list).
- **draws**: one limit per kind of run (:data:`DRAWS`), each with its reason.
- **horizon**: 2030 by default (the 15th plan's last year), up to 2035.

:func:`parse_value_text` reads one parameter value as the CLI's ``--set`` and
the app's URL write it — ``500`` or ``2024:500,2026:600`` — and
:func:`parse_sets` a list of ``KEY=VALUE`` items. A year given twice is refused
after the year is read as a number, so ``2024`` and ``02024`` are the same year.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

# the languages and the default one are the catalogue's (the bottom layer), re-exported as settings
from growthsim.i18n import DEFAULT_LANG, LANGS, Message, MessageError
from growthsim.simulation.scenario import HORIZON_MAX

from .errors import UserInputError

__all__ = ["Settings", "DrawsLimit", "DRAWS", "DEFAULT_SEED", "DEFAULT_HORIZON", "DEFAULT_LANG",
           "DEFAULT_PROBABILITY", "SEED_LIMIT", "SEED_MAX", "MAX_DRAWS", "LANGS", "ENGINES", "FORMATS",
           "check_settings", "check_choice", "check_out_folder", "parse_origins", "SCHEDULER_TIMEOUT_S",
           "parse_value_text", "parse_sets", "year_of", "ValueTextError"]

DEFAULT_SEED = 20211        # the seed of every published figure: README, golden files, the illustrative list
SEED_LIMIT = 2**32          # numpy accepts any size; the app's number field and links hold 32 bits
SEED_MAX = SEED_LIMIT - 1
DEFAULT_HORIZON = 2030      # the 15th plan's last year
YEAR_MIN = 2000
DEFAULT_PROBABILITY = 0.8   # the probability a target must be met with (seek, discover, the app), four in five
ENGINES = ("vector", "event")
FORMATS = ("csv", "xlsx", "parquet")
KINDS = ("run", "seek", "sweep", "sensitivity", "backtest", "monitor", "desk", "levers", "app", "app_seek")


@dataclass(frozen=True)
class DrawsLimit:
    """The draws of one kind of run: its default, its bounds and why the upper bound is where it is."""

    default: int
    most: int
    why: str
    least: int = 1


# One draws limit per kind of run, each with its reason (memory or time on a 2-core machine).
DRAWS: dict[str, DrawsLimit] = {
    "run": DrawsLimit(1000, 200_000, "a run keeps every draw of every indicator and year: 200,000 draws x 23 "
                      "indicators x 11 years of 8-byte numbers is 400 MB a scenario"),
    "seek": DrawsLimit(1000, 20_000, "every candidate setting is a projection of its own, and a search makes "
                       "dozens"),
    "sweep": DrawsLimit(200, 20_000, "every run of the grid or sample has its own draws: a chunk of 100,000 rows "
                        "holds five runs at 20,000"),
    "sensitivity": DrawsLimit(200, 10_000, "every Sobol sample runs them: N x (factors + 2) samples, 48,128 at "
                              "N = 1024 and 45 factors"),
    "backtest": DrawsLimit(2000, 20_000, "each origin year is calibrated and projected; fewer than 100 draws give no "
                           "5 % quantile", least=100),
    "monitor": DrawsLimit(2000, 20_000, "the annual model's prior for the year: one projection a target"),
    "desk": DrawsLimit(2000, 20_000, "the target desk projects every rung and candidate with the same draws"),
    "levers": DrawsLimit(2000, 20_000, "each lever is moved on its own and projected beside the baseline"),
    "app": DrawsLimit(1000, 10_000, "every slider move projects again while the planner waits"),
    "app_seek": DrawsLimit(1000, 5000, "the page's search projects hundreds of candidates while the planner waits"),
}
MAX_DRAWS = DRAWS["run"].most

# How each setting is named where the user typed it.
CLI_NAMES = {"draws": "--draws", "seed": "--seed", "horizon": "--horizon", "data_through": "--data-through",
             "lang": "--lang", "formats": "--format", "engine": "--engine", "probability": "--probability"}
URL_NAMES = {"draws": "draws", "seed": "seed", "horizon": "horizon", "data_through": "through", "lang": "lang",
             "formats": "format", "engine": "engine", "probability": "probability"}
ALLOWED = {
    "seed": Message("option.allowed_seed", most=SEED_MAX),
    "horizon": Message("option.allowed_year_range", first=YEAR_MIN + 1, last=HORIZON_MAX),
    "data_through": Message("option.allowed_year_range", first=YEAR_MIN, last=HORIZON_MAX),
    "lang": Message("option.allowed_lang"),
    "probability": Message("option.allowed_probability"),
    "formats": list(FORMATS),
    "engine": Message("option.allowed_engine"),
}


def _allowed_draws(kind: str) -> Message:
    lim = DRAWS[kind]
    return Message("option.allowed_draws", least=lim.least, most=lim.most)


class Settings(BaseModel):
    """What a run needs besides its scenarios: every default and bound, for every command and the app.

    ``kind`` (one of :data:`KINDS`) says which kind of run it is: its draws
    default and limit are :data:`DRAWS`'s for that kind; every other field has
    one default and one bound everywhere.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    kind: Literal[KINDS] = "run"
    draws: int = Field(DRAWS["run"].default, ge=1)
    seed: int = Field(DEFAULT_SEED, ge=0, lt=SEED_LIMIT)
    horizon: int = Field(DEFAULT_HORIZON, gt=YEAR_MIN, le=HORIZON_MAX)
    data_through: int | None = Field(None, ge=YEAR_MIN, le=HORIZON_MAX)
    lang: Literal["zh", "en"] = DEFAULT_LANG
    probability: float = Field(DEFAULT_PROBABILITY, gt=0, le=1, allow_inf_nan=False)
    formats: tuple[Literal["csv", "xlsx", "parquet"], ...] = ("csv", "xlsx")
    engine: Literal["vector", "event"] = "vector"

    @model_validator(mode="before")
    @classmethod
    def _kinds_draws(cls, data):
        if isinstance(data, dict) and "draws" not in data:
            data = {**data, "draws": DRAWS[data.get("kind", "run")].default if data.get("kind", "run") in DRAWS
                    else DRAWS["run"].default}
        return data

    @field_validator("draws")
    @classmethod
    def _draws_within_kind(cls, v: int, info: ValidationInfo) -> int:
        lim = DRAWS.get(info.data.get("kind", "run"), DRAWS["run"])
        if not lim.least <= v <= lim.most:
            raise ValueError(f"draws from {lim.least} to {lim.most}: {lim.why}")
        return v

    @field_validator("formats")
    @classmethod
    def _some_formats(cls, v: tuple) -> tuple:
        if not v:
            raise ValueError("at least one format")
        return tuple(dict.fromkeys(v))

    @classmethod
    def default(cls, field: str, kind: str = "run"):
        """A field's default (the draws of ``kind``)."""
        return DRAWS[kind].default if field == "draws" else cls.model_fields[field].default


def _value_of(kw: Mapping[str, object], field: str) -> object:
    return kw.get(field)


def check_settings(names: Mapping[str, str] = CLI_NAMES, **kw) -> Settings:
    """A :class:`Settings` from keyword values; a bad one raises UserInputError naming it as ``names`` does.

    Parameters
    ----------
    names : Mapping[str, str]
        How each setting is named where the user typed it (:data:`CLI_NAMES`, :data:`URL_NAMES`).
    **kw
        Settings fields (``kind`` picks the draws limit).

    Returns
    -------
    Settings
    """
    kw = {k: (tuple(v) if k == "formats" and isinstance(v, list) else v) for k, v in kw.items()}
    if isinstance(kw.get("probability"), int) and not isinstance(kw.get("probability"), bool):
        kw["probability"] = float(kw["probability"])
    try:
        return Settings(**kw)
    except ValidationError as err:
        first = err.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        got = _value_of(kw, field)
        if field == "formats" and isinstance(got, tuple):
            bad = [f for f in got if f not in FORMATS]
            got = bad[0] if bad else got
        allowed = _allowed_draws(kw.get("kind", "run")) if field == "draws" else ALLOWED.get(field, "")
        name = names.get(field, field)
        raise UserInputError("option.not_allowed", option=name, value=got, allowed=allowed) from None


def check_out_folder(out: str | Path, option: str = "--out") -> Path:
    """An output folder as an absolute path, or UserInputError naming why it cannot be one.

    Refused: an empty name; a symbolic-link loop; the current folder or one
    holding it (the folder is replaced as a whole); an existing file; a path
    inside a file. A folder growthsim may write is new, or a folder (its own or
    the planner's: growthsim touches only the files it wrote).
    """
    text = str(out)
    if not text.strip() or "\x00" in text:
        raise UserInputError("out.not_a_name", option=option, text=text)
    path = Path(text)
    try:
        target = path.resolve()  # a loop: RuntimeError (Python 3.11) or OSError ELOOP (later versions)
        os.stat(path)
    except FileNotFoundError:
        pass  # a new folder (or a link to one not made yet)
    except (RuntimeError, OSError) as err:
        if isinstance(err, RuntimeError) or err.errno == errno.ELOOP:
            raise UserInputError("out.link_loop", option=option, out=text) from None
        raise UserInputError("out.unreadable", option=option, out=text, reason=err.strerror) from None
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        raise UserInputError("out.current_folder", option=option, out=text)
    if os.path.lexists(target) and not target.is_dir():
        raise UserInputError("out.not_a_folder", option=option, out=text)
    for parent in target.parents:
        if os.path.lexists(parent) and not parent.is_dir():
            raise UserInputError("out.parent_is_file", option=option, out=text, parent=str(parent))
    return target


# A Dask scheduler must accept the connection, and answer, each within this many seconds (``sweep --scheduler``).
SCHEDULER_TIMEOUT_S = 10
MAX_ORIGINS = 50  # a back-test calibrates once per origin; the record covers 2015-2034


def parse_origins(text: str, allowed: Sequence[int], option: str = "--origins") -> list[int]:
    """``2020-2024`` or ``2021,2023`` -> the back-test's origin years, each checked before a range is expanded.

    Refused: text that is neither; a range running backwards; a range or list
    longer than :data:`MAX_ORIGINS` (checked before it is expanded, so
    ``0-2000000000`` costs nothing); a year given twice; a year outside
    ``allowed`` (the years with a later figure to score).

    Parameters
    ----------
    text : str
        The option's text.
    allowed : Sequence[int]
        The origin years the record allows.
    option : str
        The command-line option the value came from, for messages.
    """
    span = f"{allowed[0]}-{allowed[-1]}" if allowed else "—"
    form = Message("origins.allowed_form", span=span)
    text = str(text).strip()
    try:
        if "-" in text.lstrip("-"):
            a, b = (int(x) for x in text.split("-", 1))
            if b < a:
                raise UserInputError("origins.backwards", option=option, text=text, allowed=form)
            if b - a + 1 > MAX_ORIGINS:
                raise UserInputError("origins.too_many", option=option, text=text, n=b - a + 1, most=MAX_ORIGINS,
                                     allowed=form)
            chosen = list(range(a, b + 1))
        else:
            parts = text.split(",")
            if len(parts) > MAX_ORIGINS:
                raise UserInputError("origins.too_many_listed", option=option, n=len(parts), most=MAX_ORIGINS,
                                     allowed=form)
            chosen = [int(x) for x in parts]
    except ValueError:
        raise UserInputError("origins.not_years", option=option, text=text, allowed=form) from None
    twice = [y for y in dict.fromkeys(chosen) if chosen.count(y) > 1]
    if twice:
        raise UserInputError("origins.twice", option=option, text=text, year=twice[0])
    bad = [y for y in chosen if y not in allowed]
    if bad:
        raise UserInputError("origins.not_scored", option=option, text=text, year=bad[0], span=span)
    return chosen


def check_choice(value: str, allowed: Iterable[str], option: str) -> str:
    """A value from a fixed set (``--lang``, ``--design`` ...); anything else raises UserInputError.

    Parameters
    ----------
    value : str
        The value given.
    allowed : Iterable[str]
        The values allowed.
    option : str
        The command-line option the value came from, for messages.
    """
    allowed = tuple(allowed)
    if value not in allowed:
        raise UserInputError("option.not_allowed", option=option, value=value, allowed=list(allowed))
    return value


# ---------------------------------------------------------------- --set and URL values


class ValueTextError(MessageError, ValueError):
    """A value text that is neither a number nor YEAR:VALUE pairs (or gives a year twice): ``value_text.*``."""


def year_of(key: object) -> int | None:
    """A year key as the scenario validation reads it (``"02024"`` -> 2024); None if it is not a year."""
    try:
        return int(str(key).strip())
    except ValueError:
        return None


def _number_or_text(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text  # the scenario validation names it: "expected a number ..., got str"


def parse_value_text(text: str) -> object:
    """``'500'`` -> 500.0, ``'2024:60,2026:70'`` -> {2024: 60.0, 2026: 70.0}.

    Raises ValueTextError for a part that is not YEAR:VALUE, a year that is not
    a whole number, or a year given twice (after reading it as a number).
    Values that are not numbers are passed on as text for the scenario
    validation to name with the parameter's bounds.
    """
    text = str(text).strip()
    if ":" not in text:
        return _number_or_text(text)
    out: dict[int, object] = {}
    written: dict[int, str] = {}
    for part in text.split(","):
        if ":" not in part:
            raise ValueTextError("value_text.not_year_value", part=part.strip())
        y_text, v = (s.strip() for s in part.split(":", 1))
        year = year_of(y_text)
        if year is None:
            raise ValueTextError("value_text.year_not_whole", year=y_text)
        if year in out:
            raise ValueTextError("value_text.year_twice", year=year, first=written[year], second=y_text)
        out[year], written[year] = _number_or_text(v), y_text
    return out


def parse_sets(items: Iterable[str], option: str = "--set") -> dict[str, object]:
    """``KEY=VALUE`` items -> {key: value}; VALUE as :func:`parse_value_text`. A key given twice is refused."""
    out: dict[str, object] = {}
    for item in items:
        key, sep, raw = (s.strip() for s in str(item).partition("="))
        if not sep or not key:
            raise UserInputError("option.set_not_key_value", option=option, item=item)
        if key in out:
            raise UserInputError("option.set_twice", option=option, key=key)
        try:
            out[key] = parse_value_text(raw)
        except ValueTextError as err:
            raise UserInputError("option.set_bad_value_text", option=option, item=item, problem=err.message) from None
        if isinstance(out[key], str):
            raise UserInputError("option.set_not_a_number", option=option, item=item)
    return out


def duplicate_years(table: Mapping) -> tuple[int, str, str] | None:
    """The first year a year table gives twice under different spellings (``2024`` and ``"02024"``)."""
    seen: dict[int, str] = {}
    for k in table:
        y = year_of(k)
        if y is None:
            continue
        if y in seen:
            return y, seen[y], str(k)
        seen[y] = str(k)
    return None
