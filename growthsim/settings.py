"""Run settings and ``--set`` values, declared once for the CLI, the app's URL and the sweep.

:class:`Settings` (pydantic) holds the bounds of draws, seed, horizon,
data-through year, language, output formats and engine. The CLI checks its
options with it, the app checks its URL with it and the sweep its seed, so a
run the CLI accepts has a seed the app accepts too (0 ≤ seed < 2**32).

:func:`parse_value_text` reads one parameter value as the CLI's ``--set`` and
the app's URL write it — ``500`` or ``2024:500,2026:600`` — and
:func:`parse_sets` a list of ``KEY=VALUE`` items. A year given twice is refused
after the year is read as a number, so ``2024`` and ``02024`` are the same year.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from growthsim.i18n import Message, MessageError
from growthsim.simulation.scenario import HORIZON_MAX

from .errors import UserInputError

__all__ = ["Settings", "SEED_LIMIT", "SEED_MAX", "MAX_DRAWS", "LANGS", "ENGINES", "FORMATS", "check_settings",
           "check_choice", "check_out_folder", "parse_origins", "SCHEDULER_TIMEOUT_S", "parse_value_text", "parse_sets", "year_of", "ValueTextError"]

SEED_LIMIT = 2**32          # numpy accepts any size; the app's number field and links hold 32 bits
SEED_MAX = SEED_LIMIT - 1
MAX_DRAWS = 200_000
YEAR_MIN = 2000
LANGS = ("zh", "en")
ENGINES = ("vector", "event")
FORMATS = ("csv", "xlsx", "parquet")

# How each setting is named where the user typed it.
CLI_NAMES = {"draws": "--draws", "seed": "--seed", "horizon": "--horizon", "data_through": "--data-through",
             "lang": "--lang", "formats": "--format", "engine": "--engine"}
URL_NAMES = {"draws": "draws", "seed": "seed", "horizon": "horizon", "data_through": "through", "lang": "lang",
             "formats": "format", "engine": "engine"}
ALLOWED = {
    "draws": Message("option.allowed_draws", most=MAX_DRAWS),
    "seed": Message("option.allowed_seed", most=SEED_MAX),
    "horizon": Message("option.allowed_year_range", first=YEAR_MIN + 1, last=HORIZON_MAX),
    "data_through": Message("option.allowed_year_range", first=YEAR_MIN, last=HORIZON_MAX),
    "lang": Message("option.allowed_lang"),
    "formats": list(FORMATS),
    "engine": Message("option.allowed_engine"),
}


class Settings(BaseModel):
    """What a run needs besides its scenarios; every field bounded."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    draws: int = Field(1000, ge=1, le=MAX_DRAWS)
    seed: int = Field(20211, ge=0, lt=SEED_LIMIT)
    horizon: int = Field(2025, gt=YEAR_MIN, le=HORIZON_MAX)
    data_through: int | None = Field(None, ge=YEAR_MIN, le=HORIZON_MAX)
    lang: Literal["zh", "en"] = "zh"
    formats: tuple[Literal["csv", "xlsx", "parquet"], ...] = ("csv", "xlsx")
    engine: Literal["vector", "event"] = "vector"

    @field_validator("formats")
    @classmethod
    def _some_formats(cls, v: tuple) -> tuple:
        if not v:
            raise ValueError("at least one format")
        return tuple(dict.fromkeys(v))


def _value_of(kw: Mapping[str, object], field: str) -> object:
    return kw.get(field)


def check_settings(names: Mapping[str, str] = CLI_NAMES, **kw) -> Settings:
    """A :class:`Settings` from keyword values; a bad one raises UserInputError naming it as ``names`` does."""
    kw = {k: (tuple(v) if k == "formats" and isinstance(v, list) else v) for k, v in kw.items()}
    try:
        return Settings(**kw)
    except ValidationError as err:
        first = err.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        got = _value_of(kw, field)
        if field == "formats" and isinstance(got, tuple):
            bad = [f for f in got if f not in FORMATS]
            got = bad[0] if bad else got
        name = names.get(field, field)
        raise UserInputError("option.not_allowed", option=name, value=got, allowed=ALLOWED.get(field, "")) from None


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
    """A value from a fixed set (``--lang``, ``--design`` ...); anything else raises UserInputError."""
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
