"""Targets a planner poses (测算目标): the compact form ``indicator@year<op>value``.

Examples::

    mfg_va_share_gdp@2030>=27                  manufacturing share at least 27 % in 2030
    above_scale_va_growth@2027~6.5             above-scale growth about 6.5 % in 2027 (左右)
    above_scale_firms@2030>6000                more than 6,000 above-scale firms in 2030
    above_scale_va_growth@2026-2030:avg>=6     average growth at least 6 % a year over 2026–2030 (年均; or :average)
    mfg_va_share_gdp@2026-2030:change>=2       the share up by at least 2 points over 2026–2030
    firm_upgrades@2026-2030:total>=2000        at least 2,000 upgrades over 2026–2030 (累计)
    share27=mfg_va_share_gdp@2030>=27          the same, with an id of its own

Comparators: ``>=`` (≥, 不低于), ``>`` (突破), ``~`` (左右: met at value − tolerance or
more; the tolerance is the indicator's, see :func:`about_tolerance`), ``<=`` (≤, 不高于).
A period ``Y1-Y2`` needs a form: ``avg`` (年均增长), ``change`` (累计提高) or ``total``
(累计); see :mod:`simulation.measures`.

Parsing is pure: :func:`parse_posed` returns a :class:`PosedSpec` or raises
:class:`PosedTargetError` with a code and the fields of the message (what is
wrong, where, what is allowed, the nearest indicator ids), which the shell
renders in the user's language.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

from growthsim.i18n import LANGS, Message, Pair, text

from .indicators import indicators
from .measures import FORM_KINDS, Measure
from .targets import COMPARATORS, Rule, Target
from .units import unit_of

OPERATORS: dict[str, str] = {">=": "at_least", "≥": "at_least", ">": "above", "~": "about", "<=": "at_most",
                             "≤": "at_most"}
FORM_NAMES: dict[str, str] = {"avg": "average", "average": "average", "change": "change", "total": "total"}
ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
FORM_RE = re.compile(
    r"^\s*(?:(?P<id>[^=@<>~≥≤]+?)\s*=\s*)?(?P<ind>[A-Za-z_][A-Za-z0-9_]*)\s*@\s*(?P<y1>\d{4})"
    r"(?:\s*-\s*(?P<y2>\d{4}))?(?:\s*:\s*(?P<form>[A-Za-z]+))?\s*(?P<op>>=|<=|≥|≤|>|<|~|=)\s*"
    r"(?P<value>[-+]?\d+(?:\.\d+)?)(?:\s*±\s*(?P<tol>\d+(?:\.\d+)?))?\s*(?P<unit>%|家|个|亿元)?\s*$")
MAX_TEXT = 200

# "左右" read as a band below the value (假设 assumption: the documents give no tolerance; the same
# convention as cities/<id>/targets.toml): half a point for shares and growth rates,
# one point for investment growth, two for the renovation share, and 1 % of the value for levels
# and counts.
ABOUT_TOLERANCE = {"industrial_investment_growth": 1.0, "tech_renovation_investment_growth": 1.0,
                   "tech_renovation_share_industrial_investment": 2.0}


class PosedTargetError(ValueError):
    """A compact target that cannot be read: ``code`` names the problem, ``fields`` the message's parts.

    Codes: ``syntax``, ``id``, ``indicator``, ``year``, ``period``, ``form``, ``comparator``, ``value``.
    ``fields`` always holds ``text`` (what was given); the others depend on the code (``allowed``,
    ``nearest``, ``first``, ``last``, ``lower``, ``upper``, ``unit``, ``kind``).
    """

    def __init__(self, code: str, **fields):
        """Record the problem's code and the parts of its message."""
        self.code = code
        self.fields = fields
        super().__init__(f"{code}: {fields}")


@dataclass(frozen=True)
class PosedSpec:
    """A posed target as read: its id, what it measures and its rule."""

    id: str
    text: str
    measure: Measure
    comparator: str
    value: float
    tolerance: float

    @property
    def indicator(self) -> str:
        """The measured indicator's id."""
        return self.measure.indicator

    @property
    def year(self) -> int:
        """The target's year (the period's last year)."""
        return self.measure.year


def about_tolerance(indicator: str, value: float) -> float:
    """The tolerance of "about" (左右) for an indicator: the band below the value that still counts as met."""
    if indicator in ABOUT_TOLERANCE:
        return ABOUT_TOLERANCE[indicator]
    meta = indicators()[indicator]
    if meta.unit in ("%", "百分点"):
        return 0.5
    return round(abs(float(value)) * 0.01, 6)


def value_range(measure: Measure, unit: str) -> tuple[float, float]:
    """The values a target of ``measure`` may take (its unit): a share 0–100, a growth rate above −100, …"""
    if measure.form == "change":
        return (-100.0, 100.0) if unit == "%" else (-math.inf, math.inf)
    if measure.form == "average" or (unit == "%" and measure.kind == "rate"):
        return -100.0, 1000.0
    if unit == "%":
        return 0.0, 100.0
    return 0.0, math.inf


def nearest_indicators(name: str, n: int = 3) -> list[str]:
    """The indicator ids closest to ``name`` (for "did you mean")."""
    return difflib.get_close_matches(name, list(indicators()), n=n, cutoff=0.5)


def _period(m: re.Match, text: str, first: int, last: int) -> tuple[int, int | None]:
    y1 = int(m["y1"])
    y2 = int(m["y2"]) if m["y2"] else None
    end = y2 if y2 is not None else y1
    for y in (y1, end):
        if not first <= y <= last:
            raise PosedTargetError("year", text=text, year=y, first=first, last=last)
    if y2 is not None and y2 < y1:
        raise PosedTargetError("period", text=text, first=y1, last=y2)
    return end, (y1 if y2 is not None else None)


def _measure(m: re.Match, text: str, first: int, last: int) -> Measure:
    ind = m["ind"]
    meta = indicators()
    if ind not in meta:
        raise PosedTargetError("indicator", text=text, indicator=ind, nearest=nearest_indicators(ind))
    year, start = _period(m, text, first, last)
    form_name = (m["form"] or "").lower()
    if start is None and not form_name:
        return Measure(ind, year, "level", kind=meta[ind].kind)
    allowed = [f for f in ("average", "change", "total") if meta[ind].kind in FORM_KINDS[f]]
    if form_name not in FORM_NAMES or start is None:
        raise PosedTargetError("form", text=text, form=form_name or "", allowed=allowed, kind=meta[ind].kind)
    form = FORM_NAMES[form_name]
    if meta[ind].kind not in FORM_KINDS[form]:
        raise PosedTargetError("form", text=text, form=form_name, allowed=allowed, kind=meta[ind].kind)
    return Measure(ind, year, form, start, kind=meta[ind].kind)


def parse_posed(text: str, first_year: int, last_year: int) -> PosedSpec:
    """Read one compact target; see the module's docstring.

    Parameters
    ----------
    text : str
        The compact form, e.g. ``mfg_va_share_gdp@2030>=27``.
    first_year, last_year : int
        The projected years a target may name (the first projected year to the horizon).

    Returns
    -------
    PosedSpec

    Raises
    ------
    PosedTargetError
        Naming what is wrong and what is allowed.
    """
    raw = str(text)
    if len(raw) > MAX_TEXT:
        raise PosedTargetError("syntax", text=raw[:40] + "…")
    m = FORM_RE.match(raw)
    if m is None:
        raise PosedTargetError("syntax", text=raw)
    if m["id"] is not None and not ID_RE.match(m["id"].strip()):
        raise PosedTargetError("id", text=raw, id=m["id"].strip())
    measure = _measure(m, raw, first_year, last_year)
    if m["op"] not in OPERATORS:
        raise PosedTargetError("comparator", text=raw, comparator=m["op"], allowed=[">=", ">", "~", "<="])
    comparator, value = OPERATORS[m["op"]], float(m["value"])
    unit = indicators()[measure.indicator].unit
    lower, upper = value_range(measure, unit)
    if not lower <= value <= upper:
        raise PosedTargetError("value", text=raw, value=value, lower=lower, upper=upper,
                               unit=measure.unit(unit))
    if m["tol"] is not None and comparator != "about":
        raise PosedTargetError("comparator", text=raw, comparator=m["op"] + "±", allowed=["~VALUE±TOLERANCE"])
    tolerance = (float(m["tol"]) if m["tol"] is not None else about_tolerance(measure.indicator, value)) \
        if comparator == "about" else 0.0
    canonical = canonical_text(measure, m["op"], value) + (f"±{float(m['tol']):g}" if m["tol"] is not None else "")
    return PosedSpec((m["id"] or "").strip() or canonical, canonical, measure, comparator, value, tolerance)


def canonical_text(measure: Measure, op: str, value: float) -> str:
    """The compact form written one way: ``ind@2030>=27``, ``ind@2026-2030:avg>=6`` (≥ as >=).

    Parameters
    ----------
    measure : Measure
        What is measured: indicator, year or period and form.
    op : str
        Comparator (``>=``, ``<=``, ``about`` ...).
    value : float
        The target value, in the measure's unit.
    """
    op = {"≥": ">=", "≤": "<="}.get(op, op)
    period = str(measure.year) if measure.form == "level" else f"{measure.first}-{measure.year}"
    form = "" if measure.form == "level" else f":{measure.form}"
    return f"{measure.indicator}@{period}{form}{op}{value:g}"


def describe(spec: PosedSpec, lang: str = "zh") -> str:
    """A posed target in words: 2030年制造业增加值占全市生产总值比重不低于27% / … at least 27 in 2030.

    Marked 测算目标 (candidate) so that it is never taken for a published target.
    """
    m = spec.measure
    meta = indicators()[m.indicator]
    amount = Pair(*(unit_of(m.unit(meta.unit)).attach(f"{spec.value:g}", lang_, sentence=True) for lang_ in LANGS))
    word = Pair(COMPARATORS[spec.comparator].zh, COMPARATORS[spec.comparator].en)
    rule = Message("target.posed_rule_about" if spec.comparator == "about" else "target.posed_rule", word=word,
                   amount=amount)
    name_zh = (meta.grows_zh or meta.name_zh) if m.form == "average" else meta.name_zh  # 年均增长 says it
    return text(f"target.posed_{m.form}", lang, year=m.year, first=m.first, name=Pair(name_zh, meta.name_en),
                rule=rule)


@dataclass(frozen=True)
class PosedTarget(Target):
    """A target a user poses (测算目标): a plan target's rule over a :class:`Measure`, marked ``posed``."""

    posed: bool = True


def posed_target(spec: PosedSpec) -> PosedTarget:
    """The target a :class:`PosedSpec` describes, with its labels in both languages."""
    m = spec.measure
    meta = indicators()[m.indicator]
    return PosedTarget(spec.id, spec.indicator, spec.year, Rule(spec.comparator, spec.value, spec.tolerance),
                       describe(spec, "zh"), describe(spec, "en"), unit=m.unit(meta.unit),
                       measure=m if m.form != "level" else None, source=f"posed by the user: {spec.text}",
                       decided_by=meta.set_by)
