"""The target desk's words: headers, rung names and the sentences a policy writer pastes (测算说明).

One text per language, chosen by ``lang``; every number in a sentence comes
from the model run it describes. Contributions are rounded so that the parts
shown add up to the whole shown (:func:`simulation.attribution.rounded_parts`).
"""

from __future__ import annotations

from collections.abc import Mapping

from growthsim.simulation.attribution import Attribution, rounded_parts
from growthsim.simulation.indicators import indicators
from growthsim.simulation.ladder import RUNGS
from growthsim.simulation.measures import Measure
from growthsim.simulation.registry import parameters

from .i18n import text as catalogue_text
from .presentation import english, unit

RUNG_ZH = {r.key: r.name_zh for r in RUNGS} | {"beyond": "超出冲刺"}
RUNG_EN = {r.key: r.name_en for r in RUNGS} | {"beyond": "beyond stretch"}



def header(key: str, lang: str) -> str:
    """A column header in ``lang``: the catalogue's ``desk.<key>``."""
    return catalogue_text(f"desk.{key}", lang)


def rung_name(key: str, lang: str) -> str:
    """保底 / 力争 / 冲刺 / 超出冲刺 (floor / strive / stretch / beyond stretch)."""
    return (RUNG_ZH if lang == "zh" else RUNG_EN)[key]


def kind_name(posed: bool, lang: str) -> str:
    """测算目标 (a candidate the user posed) or 已公布目标 (published)."""
    return catalogue_text("desk.kind_candidate" if posed else "desk.kind_published", lang)


def indicator_name(ind: str, lang: str) -> str:
    """The indicator's name in ``lang`` (English without Chinese asides)."""
    meta = indicators()[ind]
    return meta.name_zh if lang == "zh" else english(meta.name_en)


def measure_unit(measure: Measure, lang: str) -> str:
    """The unit of a measure in ``lang``: % for an average, 百分点 / points for a share's change."""
    return unit(measure.unit(indicators()[measure.indicator].unit), lang)


def amount(x: float, u: str, decimals: int, lang: str, signed: bool = False) -> str:
    """A number with its unit: '2.0个百分点' / '2.0 points', '5,846家' / '5,846 firms'.

    Parameters
    ----------
    x : float
        The value, in its unit.
    u : str
        Unit code (``simulation/units.py``).
    decimals : int
        Decimals shown.
    lang : str
        ``zh`` or ``en``: the reader's language.
    signed : bool
        Write a + before a positive value.
    """
    text = f"{x:+,.{decimals}f}" if signed else f"{x:,.{decimals}f}"
    if lang == "zh":
        return text + {"百分点": "个百分点"}.get(u, u)
    shown = unit(u, "en")
    return text + (shown if shown in ("%", "") else " " + shown)


def _points(u: str) -> str:
    """The unit of a difference: a % share or rate differs in points."""
    return "百分点" if u == "%" else u


def _parts_text(att: Attribution, shown: list[float], u: str, decimals: int, lang: str) -> str:
    order = sorted(range(len(shown)), key=lambda i: -abs(att.contributions[i]))
    items = [(att.players[i].label(lang), shown[i]) for i in order if shown[i] != 0]
    if not items:
        return ""
    du = _points(u)
    first = f"{items[0][0]}（{amount(items[0][1], du, decimals, lang, True)}）" if lang == "zh" else \
        f"{items[0][0]} ({amount(items[0][1], du, decimals, lang, True)})"
    rest = [f"{n}（{amount(v, du, decimals, 'zh', True)}）" if lang == "zh"
            else f"{n} ({amount(v, du, decimals, 'en', True)})"
            for n, v in items[1:]]
    if lang == "zh":
        return f"主要来自{first}" + (f"，其次是{'、'.join(rest)}" if rest else "")
    return first + (f", then {', '.join(rest)}" if rest else "")


def between_sentence(att: Attribution, measure: Measure, names: tuple[str, str], lang: str) -> str:
    """Two scenarios' difference in words, with every group's part: the sentence a policy writer pastes.

    ``names`` are the two scenarios' titles in ``lang`` (from, to).

    Parameters
    ----------
    att : Attribution
        The attribution: each group's Shapley value (in the measure's unit).
    measure : Measure
        What is measured: indicator, year or period and form (level, average growth, change, total).
    names : tuple[str, str]
        Titles of the starting scenario and the package (or the two scenarios) in ``lang``.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    meta = indicators()[measure.indicator]
    u = measure.unit(meta.unit)
    d = meta.decimals if u != "%" else 1
    shown = rounded_parts(att.contributions, att.difference, d)
    total = round(att.difference, d)
    what = _what(measure, lang)
    parts = _parts_text(att, shown, u, d, lang)
    if lang == "zh":
        return (f"与“{names[0]}”相比，“{names[1]}”{what}中位数{'高' if total >= 0 else '低'}"
                f"{amount(abs(total), _points(u), d, 'zh')}（{amount(att.from_value, u, d, 'zh')}→"
                f"{amount(att.to_value, u, d, 'zh')}），差距{parts}。各项相加等于全部差距。")
    return (f"Against {names[0]}, {names[1]} has a median {what} {'higher' if total >= 0 else 'lower'} by "
            f"{amount(abs(total), _points(u), d, 'en')} ({amount(att.from_value, u, d, 'en')} → "
            f"{amount(att.to_value, u, d, 'en')}); the difference comes mainly from {parts}. The parts add up to "
            f"the whole.")


def gap_sentence(gap, target, measure: Measure, names: tuple[str, str], lang: str) -> str:
    """The gap from a scenario's median to a target, and what the package would close, group by group.

    ``names`` are (the starting scenario's title, the package's title) in ``lang``.

    Parameters
    ----------
    gap
        The gap's attribution: each group's share of the distance to the target (in the measure's unit).
    target
        The target: indicator, year, rule (value in the indicator's unit) and source.
    measure : Measure
        What is measured: indicator, year or period and form (level, average growth, change, total).
    names : tuple[str, str]
        Titles of the starting scenario and the package (or the two scenarios) in ``lang``.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    meta = indicators()[measure.indicator]
    u = measure.unit(meta.unit)
    d = meta.decimals if u != "%" else 1
    att = gap.attribution
    shown = rounded_parts(list(att.contributions) + [gap.remainder], gap.gap, d)
    parts = _parts_text(att, shown[:-1], u, d, lang)
    what = _what(measure, lang)
    left = shown[-1]
    rule = rule_words(target.comparator, target.value, u, lang)
    if lang == "zh":
        head = (f"{what}：“{names[0]}”中位数为{amount(gap.start_median, u, d, 'zh')}，距目标（{rule}）"
                f"{'差' if gap.gap > 0 else '已超出'}{amount(abs(round(gap.gap, d)), _points(u), d, 'zh')}。")
        how = (f"按“{names[1]}”一揽子措施同步推进，力度需达到{gap.intensity:.2f}倍，" if gap.reached else
               f"“{names[1]}”一揽子措施加到{gap.intensity:.2f}倍仍不足，")
        tail = f"尚余{amount(left, _points(u), d, 'zh')}未弥补。" if gap.remainder > 0 and left else ""
        return head + how + (f"弥补差距{parts}。" if parts else "") + tail
    head = (f"{what}: the median under {names[0]} is {amount(gap.start_median, u, d, 'en')}, "
            f"{amount(abs(round(gap.gap, d)), _points(u), d, 'en')} {'short of' if gap.gap > 0 else 'beyond'} "
            f"the target ({rule}). ")
    how = (f"Moving the {names[1]} package {gap.intensity:.2f} times as far closes it; " if gap.reached else
           f"The {names[1]} package at {gap.intensity:.2f} times is not enough; ")
    tail = f" {amount(left, _points(u), d, 'en')} remain open." if gap.remainder > 0 and left else ""
    return head + how + (f"the gap is closed mainly by {parts}." if parts else "") + tail


def rule_words(comparator: str, value: float, u: str, lang: str) -> str:
    """A target's rule in words with its unit: 不低于27%, 6.5%左右, at least 27%, about 6.5%.

    Parameters
    ----------
    comparator : str
        The comparator id (``at_least``, ``at_most``, ``about`` ...).
    value : float
        The target value, in unit ``u``.
    u : str
        Unit code (``simulation/units.py``).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    from growthsim.simulation.targets import COMPARATORS

    shown = amount(value, u, max(0, len(f"{value:g}".partition(".")[2])), lang)
    if lang == "zh":
        return f"{shown}左右" if comparator == "about" else f"{COMPARATORS[comparator].zh}{shown}"
    return f"{COMPARATORS[comparator].en} {shown}"


def _what(measure: Measure, lang: str) -> str:
    name = indicator_name(measure.indicator, lang)
    if lang == "zh" and measure.form == "average":
        name = name.removesuffix("增速")
    if measure.form == "level":
        return f"{measure.year}年{name}" if lang == "zh" else f"{name} in {measure.year}"
    form = {"average": ("年均增长", "average growth"), "change": ("累计变化", "change"), "total": ("累计", "total")}
    zh, en = form[measure.form]
    return (f"{measure.first}—{measure.year}年{name}{zh}" if lang == "zh" else
            f"{name}, {en} over {measure.first}-{measure.year}")


def package_sentence(answer, names: tuple[str, str], lang: str) -> str:
    """What a candidate takes: the package's least intensity and the lever values it implies.

    Parameters
    ----------
    answer
        A package answer: the package's least intensity and the lever values it implies.
    names : tuple[str, str]
        Titles of the starting scenario and the package (or the two scenarios) in ``lang``.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    reg = parameters()
    res = answer.result
    lev = "；".join(f"{reg[k].label('zh')} {lever_amount(k, v[2], 'zh')}（方案{lever_amount(k, v[1], 'zh')}）"
                   for k, v in answer.lever_values.items()) if lang == "zh" else \
        "; ".join(f"{english(reg[k].label('en'))} {lever_amount(k, v[2], 'en')} (package {lever_amount(k, v[1], 'en')})"
                  for k, v in answer.lever_values.items())
    p = f"{answer.probability:.0%}"
    if res.intensity is None:
        return (f"“{names[1]}”一揽子措施在{res.upper:.2f}倍力度内达不到{p}的概率（最高{res.best_probability:.0%}，"
                f"{res.best_intensity:.2f}倍）。" if lang == "zh" else
                f"The {names[1]} package cannot reach {p} within {res.upper:.2f} times its moves (best "
                f"{res.best_probability:.0%} at {res.best_intensity:.2f}).")
    if lang == "zh":
        return (f"以{p}的把握达成，需将“{names[1]}”一揽子措施推进到{res.intensity:.2f}倍力度（当前"
                f"{answer.current:.0%}，"
                f"达到{res.probability:.0%}）：{lev}。")
    return (f"To reach it with {p} probability, the {names[1]} package must go {res.intensity:.2f} times as far "
            f"(now {answer.current:.0%}, then {res.probability:.0%}): {lev}.")


def lever_decimals(lever: str) -> int:
    """Decimals a lever is shown with: whole numbers for counts, else its slider step's."""
    p = parameters()[lever]
    step = 1.0 if p.integer else p.step
    return 0 if step >= 1 else len(f"{step:g}".partition(".")[2])


def lever_amount(lever: str, value: float, lang: str) -> str:
    """A lever's value at its slider's precision, with its unit: '518家/年', '0.91', '15.6%'.

    Parameters
    ----------
    lever : str
        The lever's parameter id.
    value : float
        The value, in the lever's registry unit.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    p = parameters()[lever]
    d = lever_decimals(lever)
    shown = unit(p.unit, lang) if p.unit not in ("比例", "倍") else ""
    text = f"{value:,.{d}f}"
    if not shown:
        return text
    return text + shown if (lang == "zh" or shown == "%") else f"{text} {shown}"


def share_text(x: float) -> str:
    """A probability as a whole per cent."""
    return f"{x:.0%}"


def rung_note(lang: str) -> str:
    """How to read the ladder, one sentence."""
    if lang == "zh":
        return "保底：有90%的把握达到；力争：70%；冲刺：50%（中位数）。每个数字来自同一组模拟。"
    return "Floor: reached with 90 % probability; strive: 70 %; stretch: 50 % (the median). All from one set of draws."


def lever_table_rows(answer, lang: str) -> list[Mapping[str, object]]:
    """The package's levers: name, unit, starting value, the package as written, the value at the answer."""
    reg = parameters()
    return [{"lever": reg[k].label(lang) if lang == "zh" else english(reg[k].label("en")),
             "unit": unit(reg[k].unit, lang), "start": round(v[0], lever_decimals(k)),
             "package": round(v[1], lever_decimals(k)), "needed": round(v[2], lever_decimals(k))}
            for k, v in answer.lever_values.items()]
