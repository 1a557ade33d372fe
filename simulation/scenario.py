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

from .registry import NOT_YEAR_KEYED, Parameter, nearest_names, parameters

Value = float | Mapping[int, float]

HORIZON_MAX = 2035


class ParameterValueError(ValueError):
    """One bad scenario value: which key, what value, what is allowed."""

    def __init__(self, key: str, value: object, problem: str, allowed: str, section: str | None = None):
        """Describe one bad scenario value.

        Parameters
        ----------
        key : str
            The parameter id (or file key) that is wrong.
        value : object
            The value given.
        problem : str
            What is wrong with it.
        allowed : str
            What is allowed instead.
        section : str, optional
            The scenario file section the key was in.
        """
        self.key = key
        self.value = value
        self.problem = problem
        self.allowed = allowed
        self.section = section
        super().__init__(f"{key} = {value!r}: {problem}; allowed: {allowed}")


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


def _allowed(p: Parameter) -> str:
    kind = "a whole number" if p.integer else "a number"
    return f"{kind} from {p.lower:g} to {p.upper:g} {p.unit}"


def check_number(p: Parameter, raw: object, where: str) -> float:
    """Validate one value against the registry; raise ParameterValueError."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        got = "text" if isinstance(raw, str) else type(raw).__name__
        raise ParameterValueError(where, raw, f"not a number (got {got})", _allowed(p))
    value = float(raw)
    if not math.isfinite(value):
        raise ParameterValueError(where, raw, "not a finite number", _allowed(p))
    if p.integer and value != int(value):
        raise ParameterValueError(where, raw, "must be a whole number", _allowed(p))
    if not p.lower <= value <= p.upper:
        raise ParameterValueError(where, raw, "out of bounds", _allowed(p))
    return value


def validate_values(values: Mapping[str, object], first_year: int = 2021,
                    last_year: int = HORIZON_MAX) -> dict[str, Value]:
    """Check every key, value and year; return the cleaned mapping.

    Raises the first :class:`ParameterValueError` found, naming the key.
    """
    reg = parameters()
    clean: dict[str, Value] = {}
    for key, raw in values.items():
        if key not in reg:
            near = nearest_names(key)
            hint = f"did you mean {', '.join(near)}?" if near else "see `growthsim params`"
            raise ParameterValueError(key, raw, f"unknown parameter ({hint})",
                                      "a parameter id from the registry")
        p = reg[key]
        if isinstance(raw, Mapping):
            if key in NOT_YEAR_KEYED:
                raise ParameterValueError(key, dict(raw), "cannot be keyed by year", _allowed(p))
            if not raw:
                raise ParameterValueError(key, {}, "empty year table", "{year = value, ...}")
            path: dict[int, float] = {}
            for ykey, yval in raw.items():
                try:
                    year = int(str(ykey))
                except ValueError:
                    raise ParameterValueError(f"{key}.{ykey}", yval, "year key is not a year",
                                              f"years {first_year}-{last_year}") from None
                if not first_year <= year <= last_year:
                    raise ParameterValueError(f"{key}.{year}", yval, "year outside the horizon",
                                              f"years {first_year}-{last_year}")
                path[year] = check_number(p, yval, f"{key}.{year}")
            clean[key] = dict(sorted(path.items()))
        else:
            clean[key] = check_number(p, raw, key)
    return clean


def value_path(value: Value | None, default: float, years: np.ndarray) -> np.ndarray:
    """A parameter's value in each of ``years`` (float array)."""
    out = np.full(len(years), float(default))
    if value is None:
        return out
    if isinstance(value, Mapping):
        for year, v in sorted(value.items()):
            out[years >= int(year)] = float(v)
        return out
    out[:] = float(value)
    return out
