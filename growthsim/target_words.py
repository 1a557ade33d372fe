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
from growthsim.simulation.targets import COMPARATORS
from growthsim.simulation.units import unit_of

from .i18n import Joined, Pair
from .i18n import text as catalogue_text
from .presentation import unit

RUNG_ZH = {r.key: r.name_zh for r in RUNGS} | {"beyond": catalogue_text("desk_words.beyond_stretch", "zh")}
RUNG_EN = {r.key: r.name_en for r in RUNGS} | {"beyond": catalogue_text("desk_words.beyond_stretch", "en")}



def _d(key: str, lang: str, **fields: object) -> str:
    """The desk's sentence ``key`` in ``lang``: the catalogue's ``desk_words.<key>``."""
    return catalogue_text(f"desk_words.{key}", lang, **fields)


def header(key: str, lang: str, **fields: object) -> str:
    """A column header (or a table's title) in ``lang``: the catalogue's ``desk.<key>``.

    Parameters
    ----------
    key : str
        The entry's key in ``catalogue/desk.toml``.
    lang : str
        ``zh`` or ``en``: the reader's language.
    **fields
        The template's named fields.
    """
    return catalogue_text(f"desk.{key}", lang, **fields)


def rung_name(key: str, lang: str) -> str:
    """保底 / 力争 / 冲刺 / 超出冲刺 (floor / strive / stretch / beyond stretch)."""
    return (RUNG_ZH if lang == "zh" else RUNG_EN)[key]


def kind_name(posed: bool, lang: str) -> str:
    """测算目标 (a candidate the user posed) or 已公布目标 (published)."""
    return catalogue_text("desk.kind_candidate" if posed else "desk.kind_published", lang)


def indicator_name(ind: str, lang: str) -> str:
    """The indicator's name in ``lang`` (English without Chinese asides)."""
    meta = indicators()[ind]
    return meta.name_zh if lang == "zh" else meta.name_en


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
    number = f"{x:+,.{decimals}f}" if signed else f"{x:,.{decimals}f}"
    return unit_of(u).attach(number, lang, sentence=True)


def _points(u: str) -> str:
    """The unit of a difference: a % share or rate differs in points."""
    return "百分点" if u == "%" else u


def _parts_text(att: Attribution, shown: list[float], u: str, decimals: int, lang: str) -> str:
    order = sorted(range(len(shown)), key=lambda i: -abs(att.contributions[i]))
    items = [(att.players[i].label(lang), shown[i]) for i in order if shown[i] != 0]
    if not items:
        return ""
    du = _points(u)
    shown_items = [_d("parts_item", lang, name=n, amount=amount(v, du, decimals, lang, True)) for n, v in items]
    first, rest = shown_items[0], shown_items[1:]
    return _d("parts_more", lang, first=first, rest=rest) if rest else _d("parts_one", lang, first=first)


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
    return _d("between_higher" if total >= 0 else "between_lower", lang, a=names[0], b=names[1], what=what,
              gap=amount(abs(total), _points(u), d, lang), start=amount(att.from_value, u, d, lang),
              end=amount(att.to_value, u, d, lang), parts=parts)


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
    head = _d("gap_short" if gap.gap > 0 else "gap_beyond", lang, what=what, a=names[0],
              start=amount(gap.start_median, u, d, lang), rule=rule,
              gap=amount(abs(round(gap.gap, d)), _points(u), d, lang))
    how = _d("gap_how_reached" if gap.reached else "gap_how_not_reached", lang, b=names[1], k=gap.intensity)
    tail = _d("gap_left", lang, left=amount(left, _points(u), d, lang)) if gap.remainder > 0 and left else ""
    return head + how + (_d("gap_parts", lang, parts=parts) if parts else "") + tail


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
    shown = amount(value, u, max(0, len(f"{value:g}".partition(".")[2])), lang)
    word = Pair(COMPARATORS[comparator].zh, COMPARATORS[comparator].en)
    return _d("rule_about" if comparator == "about" else "rule", lang, word=word, shown=shown)


def _what(measure: Measure, lang: str) -> str:
    name = indicator_name(measure.indicator, lang)
    if lang == "zh" and measure.form == "average":  # 年均增长 says it: what grows is the subject
        name = indicators()[measure.indicator].grows_zh or name
    if measure.form == "level":
        return _d("what_level", lang, year=measure.year, name=name)
    return _d("what_period", lang, first=measure.first, year=measure.year, name=name,
              form=_d(f"form_{measure.form}", lang))


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
    levers = Joined(_d("package_lever", lang, name=Pair(reg[k].label("zh"), reg[k].label("en")),
                       needed=lever_amount(k, v[2], lang), package=lever_amount(k, v[1], lang))
                    for k, v in answer.lever_values.items())
    if res.intensity is None:
        return _d("package_unreached", lang, b=names[1], upper=res.upper, p=answer.probability,
                  best=res.best_probability, at=res.best_intensity)
    return _d("package_reached", lang, p=answer.probability, b=names[1], k=res.intensity, now=answer.current,
              then=res.probability, levers=levers)


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
    return _d("rung_note", lang)


def lever_columns(answer) -> tuple[str, ...]:
    """The lever table's columns (keys of ``desk.toml``, each view's header): the last is the value the answer
    needs, or, when no intensity in the search's range meets the targets, the value at the most tried
    (``at_most``): a value that is not enough is never headed "needed"."""
    return ("lever", "unit", "start", "package", "needed" if answer.met else "at_most")


def lever_table_rows(answer, lang: str) -> list[Mapping[str, object]]:
    """The package's levers by :func:`lever_columns`: name, unit, starting value, the package as written, the
    value at the answer (or at the most tried)."""
    reg = parameters()
    last = lever_columns(answer)[-1]
    return [{"lever": reg[k].label(lang) if lang == "zh" else reg[k].label("en"),
             "unit": unit(reg[k].unit, lang), "start": round(v[0], lever_decimals(k)),
             "package": round(v[1], lever_decimals(k)), last: round(v[2], lever_decimals(k))}
            for k, v in answer.lever_values.items()]
