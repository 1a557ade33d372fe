"""Scenarios as data: only what differs from the baseline, constant or keyed by year.

A year-keyed value holds from its year until the next key (Tax-Calculator's
reform semantics); before the first key the baseline value applies.
This module is pure: reading TOML files lives in :mod:`growthsim.scenario_files`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from growthsim.i18n import Message, MessageError

from .registry import NOT_YEAR_KEYED, Parameter, nearest_names, parameters
from .units import unit_of

Value = float | Mapping[int, float]

HORIZON_MAX = 2035


class ParameterValueError(MessageError, ValueError):
    """One bad scenario value: which key, what value, what is allowed (catalogue ``value.*`` messages)."""

    def __init__(self, key: str, value: object, problem: Message, allowed: Message, section: str | None = None):
        """Describe one bad scenario value.

        Parameters
        ----------
        key : str
            The parameter id (or file key) that is wrong.
        value : object
            The value given.
        problem : Message
            What is wrong with it.
        allowed : Message
            What is allowed instead.
        section : str, optional
            The scenario file section the key was in.
        """
        self.key = key
        self.value = value
        self.problem = problem
        self.allowed = allowed
        self.section = section
        super().__init__("value.problem", key=key, value=value, problem=problem, allowed=allowed)


@dataclass(frozen=True)
class Scenario:
    """A named set of departures from the baseline.

    ``values`` maps a parameter id to a constant or to ``{year: value}``.
    """

    id: str
    title_zh: str
    title_en: str
    description_zh: str = ""
    description_en: str = ""
    values: Mapping[str, Value] = field(default_factory=dict)

    def title(self, lang: str = "zh") -> str:
        """The scenario's title in ``lang`` (``zh`` or ``en``)."""
        return self.title_zh if lang == "zh" else self.title_en

    def with_values(self, **changes: Value) -> Scenario:
        """A copy of the scenario with some values set or replaced.

        Parameters
        ----------
        **changes : float or Mapping[int, float]
            Parameter id to a constant or to ``{year: value}``.

        Returns
        -------
        Scenario
            Same id and titles, the merged values.
        """
        merged = dict(self.values)
        merged.update(changes)
        return Scenario(self.id, self.title_zh, self.title_en, self.description_zh,
                        self.description_en, merged)


def baseline() -> Scenario:
    """The baseline scenario: no departures, every lever at its registry default (current trends continue)."""
    return Scenario("baseline", "基准情景", "Baseline", "延续当前趋势", "Current trends continue")


def allowed_values(p: Parameter) -> Message:
    """What a parameter allows: a (whole) number between its registry bounds, in its unit."""
    return Message("value.allowed_whole" if p.integer else "value.allowed_number", lower=f"{p.lower:g}",
                   upper=f"{p.upper:g}", unit=unit_of(p.unit))


def check_number(p: Parameter, raw: object, where: str) -> float:
    """Validate one value against the registry; raise ParameterValueError.

    Parameters
    ----------
    p : Parameter
        The registry entry.
    raw : object
        The value as given (in the parameter's unit).
    where : str
        Where it was given, for the message.
    """
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        got = Message("value.got_text") if isinstance(raw, str) else type(raw).__name__
        raise ParameterValueError(where, raw, Message("value.not_a_number", got=got), allowed_values(p))
    value = float(raw)
    if not math.isfinite(value):
        raise ParameterValueError(where, raw, Message("value.not_finite"), allowed_values(p))
    if p.integer and value != int(value):
        raise ParameterValueError(where, raw, Message("value.not_whole"), allowed_values(p))
    if not p.lower <= value <= p.upper:
        raise ParameterValueError(where, raw, Message("value.out_of_bounds"), allowed_values(p))
    return value


def validate_values(values: Mapping[str, object], first_year: int = 2021,
                    last_year: int = HORIZON_MAX) -> dict[str, Value]:
    """Check every key, value and year; return the cleaned mapping.

    Raises the first :class:`ParameterValueError` found, naming the key.

    Parameters
    ----------
    values : Mapping[str, object]
        Parameter id to a value in its registry unit, or a table of values by year.
    first_year : int
        First year a year-keyed value may name.
    last_year : int
        Last year a year-keyed value may name.
    """
    reg = parameters()
    clean: dict[str, Value] = {}
    for key, raw in values.items():
        if key not in reg:
            near = nearest_names(key)
            problem = (Message("value.unknown_parameter_near", names=near) if near else
                       Message("value.unknown_parameter_see"))
            raise ParameterValueError(key, raw, problem, Message("value.allowed_parameter_id"))
        p = reg[key]
        if isinstance(raw, Mapping):
            if key in NOT_YEAR_KEYED:
                raise ParameterValueError(key, dict(raw), Message("value.not_year_keyed"), allowed_values(p))
            if not raw:
                raise ParameterValueError(key, {}, Message("value.empty_year_table"),
                                          Message("value.allowed_year_table"))
            path: dict[int, float] = {}
            years = Message("value.allowed_years", first=first_year, last=last_year)
            for ykey, yval in raw.items():
                try:
                    year = int(str(ykey))
                except ValueError:
                    raise ParameterValueError(f"{key}.{ykey}", yval, Message("value.year_key_not_year"),
                                              years) from None
                if not first_year <= year <= last_year:
                    raise ParameterValueError(f"{key}.{year}", yval, Message("value.year_outside_horizon"), years)
                path[year] = check_number(p, yval, f"{key}.{year}")
            clean[key] = dict(sorted(path.items()))
        else:
            clean[key] = check_number(p, raw, key)
    return clean


def value_path(value: Value | None, default: float, years: np.ndarray) -> np.ndarray:
    """A parameter's value in each of ``years`` (float array).

    Parameters
    ----------
    value : Value | None
        A constant, a table of values by year, or None (the parameter's registry unit).
    default : float
        The value where none is given (registry unit).
    years : numpy.ndarray
        The projected years (calendar years).
    """
    out = np.full(len(years), float(default))
    if value is None:
        return out
    if isinstance(value, Mapping):
        for year, v in sorted(value.items()):
            out[years >= int(year)] = float(v)
        return out
    out[:] = float(value)
    return out
