"""Targets as the user gives them: a shipped id, a compact form, or a file (``--target``, ``--targets``).

``--target`` takes a shipped target's id (``gdp_growth_2026``) or a compact
form (``mfg_va_share_gdp@2030>=27``, see :mod:`simulation.posed`), and may be
repeated; ``--targets FILE`` reads a whole set in the schema of
``scenarios/targets/plan_targets.toml``. A posed target is marked 测算目标
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

from .errors import UserInputError

FORMS_EN = ("indicator@YEAR>=VALUE (also >, ~ for about, <=), or indicator@Y1-Y2:avg|change|total>=VALUE, "
            "e.g. mfg_va_share_gdp@2030>=27")
FORMS_ZH = ("指标@年份>=数值（也可用 >、~ 表示左右、<=），或 指标@起始年-终止年:avg|change|total>=数值，"
            "例如 mfg_va_share_gdp@2030>=27")


def _split(items: Iterable[str]) -> list[str]:
    """Repeated options, each possibly comma-separated (a compact form has no comma)."""
    out: list[str] = []
    for item in items:
        out += [p.strip() for p in str(item).split(",") if p.strip()]
    return out


def posed_error(err: PosedTargetError, option: str) -> UserInputError:
    """A :class:`PosedTargetError` as one message in each language, naming what is wrong and what is allowed."""
    f, code = err.fields, err.code
    where = f"{option} {f['text']}"
    if code == "indicator":
        near = ", ".join(f["nearest"]) or "see growthsim targets"
        near_zh = "、".join(f["nearest"]) or "见 growthsim targets"
        return UserInputError(f"{where}: unknown indicator {f['indicator']} (did you mean {near}?); allowed: "
                              f"{FORMS_EN}", zh=f"{where}：未知指标 {f['indicator']}（是否想输入 {near_zh}？）；"
                                                f"格式：{FORMS_ZH}")
    if code == "year":
        return UserInputError(f"{where}: the year {f['year']} is not projected; allowed {f['first']} to {f['last']}",
                              zh=f"{where}：{f['year']} 年不在预测期内；允许 {f['first']}—{f['last']} 年")
    if code == "period":
        return UserInputError(f"{where}: the period ends ({f['last']}) before it starts ({f['first']}); allowed "
                              f"Y1-Y2 with Y1 <= Y2", zh=f"{where}：时期终止年 {f['last']} 早于起始年 {f['first']}；"
                                                        f"应为 起始年-终止年")
    if code == "form":
        allowed = ", ".join(f["allowed"]) or "none (a level in one year only)"
        allowed_zh = "、".join(f["allowed"]) or "无（只能是某一年的水平）"
        return UserInputError(f"{where}: a period needs a form that suits this indicator ({f['kind']}); allowed: "
                              f"{allowed}", zh=f"{where}：时期目标须注明适合该指标的形式；允许：{allowed_zh}"
                                               "（avg 年均增长、change 累计提高、total 累计）")
    if code == "comparator":
        return UserInputError(f"{where}: comparator {f['comparator']} is not allowed; allowed: >=, >, ~ (about), <=",
                              zh=f"{where}：不支持比较符 {f['comparator']}；允许：>=、>、~（左右）、<=")
    if code == "value":
        return UserInputError(f"{where}: {f['value']:g} is outside the range {f['lower']:g} to {f['upper']:g} "
                              f"{f['unit']}", zh=f"{where}：{f['value']:g} 超出范围 {f['lower']:g}—{f['upper']:g}"
                                                 f"{f['unit']}")
    if code == "id":
        return UserInputError(f"{where}: {f['id']} is not an id; allowed: a letter, then letters, digits and _",
                              zh=f"{where}：{f['id']} 不是合法的编号；应以字母开头，只含字母、数字和下划线")
    return UserInputError(f"{where}: not a target id nor a compact target; allowed: a shipped id (growthsim targets) "
                          f"or {FORMS_EN}", zh=f"{where}：既不是已收录的目标编号，也不是测算目标的写法；允许：已收录目标"
                                              f"的编号（growthsim targets）或 {FORMS_ZH}")


def _unknown_id(text: str, option: str) -> UserInputError:
    pool = list(targets())
    near = nearest_names(text, pool) or nearest_indicators(text)
    hint, hint_zh = (f"did you mean {', '.join(near)}?", f"是否想输入 {'、'.join(near)}？") if near else \
        ("see growthsim targets", "见 growthsim targets")
    return UserInputError(f"{option} {text}: unknown target ({hint}); allowed: a shipped id or {FORMS_EN}",
                          zh=f"{option} {text}：未知目标（{hint_zh}）；允许：已收录目标的编号或 {FORMS_ZH}")


def resolve_one(text: str, first_year: int, last_year: int = HORIZON_MAX, option: str = "--target") -> Target:
    """One ``--target`` value: a shipped id, or a compact form read as a posed target."""
    shipped = targets()
    if text in shipped:
        t = shipped[text]
        if not t.tracked:
            raise UserInputError(f"{option} {text}: the model does not project this target ({t.untracked_reason})",
                                 zh=f"{option} {text}：模型不预测该目标的指标")
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
    """
    out: list[Target] = [resolve_one(t, first_year, last_year, option) for t in _split(items)]
    for f in files:
        try:
            read = read_targets(f)
        except CalibrationDataError as err:
            raise UserInputError(f"--targets {f}: {err}") from None
        out += [t for t in read.values() if t.tracked]
    seen: set[str] = set()
    for t in out:
        if t.id in seen:
            raise UserInputError(f"{option} {t.id}: given twice; allowed: each target once",
                                 zh=f"{option} {t.id}：重复给出；每个目标只能给一次")
        seen.add(t.id)
    return out
