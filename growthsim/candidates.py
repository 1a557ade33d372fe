"""Targets as the user gives them: a shipped id, a compact form, or a file (``--target``, ``--targets``).

``--target`` takes a shipped target's id (``gdp_growth_2026``) or a compact
form (``mfg_va_share_gdp@2030>=27``, see :mod:`simulation.posed`), and may be
repeated; ``--targets FILE`` reads a whole set in the schema of
``cities/<id>/targets.toml``. A posed target is marked 测算目标
(candidate) wherever it is shown. A bad target is refused with one message in
the user's language naming what is wrong, where and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from growthsim.calibration.record import CalibrationDataError
from growthsim.calibration.targets import read_targets, targets
from growthsim.simulation.posed import PosedTargetError, nearest_indicators, parse_posed, posed_target
from growthsim.simulation.registry import nearest_names
from growthsim.simulation.scenario import HORIZON_MAX
from growthsim.simulation.targets import Target
from growthsim.simulation.units import unit_of

from .errors import UserInputError
from .i18n import Message
from .presentation import untracked_pair


def _split(items: Iterable[str]) -> list[str]:
    """Repeated options, each possibly comma-separated (a compact form has no comma)."""
    out: list[str] = []
    for item in items:
        out += [p.strip() for p in str(item).split(",") if p.strip()]
    return out


def posed_error(err: PosedTargetError, option: str) -> UserInputError:
    """A :class:`PosedTargetError` as one catalogue message, naming what is wrong and what is allowed."""
    f, code = err.fields, err.code
    where = f"{option} {f['text']}"
    if code == "indicator":
        near = f["nearest"] or Message("target.see_targets")
        return UserInputError("target.posed_indicator", where=where, indicator=f["indicator"], near=near,
                              forms=Message("target.forms"))
    if code == "year":
        return UserInputError("target.posed_year", where=where, year=f["year"], first=f["first"], last=f["last"])
    if code == "period":
        return UserInputError("target.posed_period", where=where, first=f["first"], last=f["last"])
    if code == "form":
        allowed = f["allowed"] or Message("target.form_none")
        return UserInputError("target.posed_form", where=where, kind=f["kind"], allowed=allowed)
    if code == "comparator":
        return UserInputError("target.posed_comparator", where=where, comparator=f["comparator"])
    if code == "value":
        return UserInputError("target.posed_value", where=where, value=f"{f['value']:g}", lower=f"{f['lower']:g}",
                              upper=f"{f['upper']:g}", unit=unit_of(f["unit"]))
    if code == "id":
        return UserInputError("target.posed_id", where=where, id=f["id"])
    return UserInputError("target.posed_syntax", where=where, forms=Message("target.forms"))


def _unknown_id(text: str, option: str) -> UserInputError:
    pool = list(targets())
    near = nearest_names(text, pool) or nearest_indicators(text)
    hint = Message("explore.hint_near", names=near) if near else Message("target.see_targets")
    return UserInputError("target.unknown", option=option, text=text, hint=hint, forms=Message("target.forms"))


def resolve_one(text: str, first_year: int, last_year: int = HORIZON_MAX, option: str = "--target") -> Target:
    """One ``--target`` value: a shipped id, or a compact form read as a posed target.

    Parameters
    ----------
    text : str
        The ``--target`` value: a shipped id or a compact form (``ind@2030>=27``).
    first_year : int
        First projected year (calendar year).
    last_year : int
        Last year allowed (calendar year).
    option : str
        The command-line option the value came from, for messages.
    """
    shipped = targets()
    if text in shipped:
        t = shipped[text]
        if not t.tracked:
            raise UserInputError("explore.untracked_target", option=option, name=text,
                                 reason=untracked_pair(t))
        return t
    if "@" not in text:
        raise _unknown_id(text, option)
    try:
        return posed_target(parse_posed(text, first_year, last_year))
    except PosedTargetError as err:
        raise posed_error(err, option) from None


def resolve_targets(items: Sequence[str], files: Sequence[str | Path] = (), first_year: int = 2026,
                    last_year: int = HORIZON_MAX, option: str = "--target") -> list[Target]:
    """Every target the user gave, in order: ``--target`` values, then each ``--targets`` file's tracked ones.

    A target given twice (the same id, or the same compact form) is refused.

    Parameters
    ----------
    items : Sequence[str]
        The ``--target`` values, in order.
    files : Sequence[str | Path]
        The ``--targets`` files (TOML).
    first_year : int
        First projected year (calendar year).
    last_year : int
        Last year allowed (calendar year).
    option : str
        The command-line option the value came from, for messages.
    """
    out: list[Target] = [resolve_one(t, first_year, last_year, option) for t in _split(items)]
    for f in files:
        try:
            read = read_targets(f)
        except CalibrationDataError as err:
            raise UserInputError("target.file_problem", file=f, problem=err.message) from None
        out += [t for t in read.values() if t.tracked]
    seen: set[str] = set()
    for t in out:
        if t.id in seen:
            raise UserInputError("target.given_twice", option=option, id=t.id)
        seen.add(t.id)
    return out
