"""Targets: one rule type for every target the project reads, poses, monitors or draws.

A **rule** (:class:`Rule`) is a comparator, a value and, for "about", a
tolerance. It says whether values meet it (:meth:`Rule.met`, written once), how
the plan writes it (:meth:`Rule.text`: 29%左右, 不低于 6.5%, 突破 5,000家) and how
the model reads it (:meth:`Rule.reading`: 不低于 28.5%（29 − 容差 0.5）). The
comparators are worded as the plan documents word them, in every view:

=============  ==========  ==============  ==================================  =======
comparator     中文        English         met when                            compact
=============  ==========  ==============  ==================================  =======
``at_least``   不低于      at least        value >= target (以上, 不低于)       ``>=``
``above``      突破        above           value > target (突破, 超过)          ``>``
``about``      左右        about           value >= target - tolerance (左右)   ``~``
``at_most``    不高于      at most         value <= target                     ``<=``
=============  ==========  ==============  ==================================  =======

A planning target "about X" is a floor in spirit: overshooting it is not a failure.

A **target** (:class:`Target`) holds a rule and says what it applies to: an
indicator, a year, and how a draw's value is read from the indicator's path —
its :class:`simulation.measures.Measure` (``measure``): the level in its year
(the default), the average growth over a period (年均增长), the change over a
period or a flow's total. :meth:`Target.values` computes it draw by draw.

Every view — the plan targets file (:mod:`calibration.targets`), a region's
targets (:mod:`calibration.monitoring_data`), in-year monitoring, seek, sweep,
sensitivity, the scorecard and the chart marks — holds a :class:`Target`.

The compact form
----------------
:meth:`Target.compact` writes a target the way a planner may pose one on the
command line: ``indicator@year`` then the comparator's sign and the value::

    mfg_va_share_gdp@2030>=27           at least 27 % in 2030
    above_scale_va_growth@2027~6.5      about 6.5 % (左右, with its tolerance)
    above_scale_firms@2030>6000         above 6,000 firms
    above_scale_va_growth@2026-2030:average>=6   averaging at least 6 % a year over 2026–2030
    mfg_va_share_gdp@2026-2030:change>=2         up at least 2 points over 2026–2030

(the tolerance of ``~`` is the target's own, ``~6.5±0.5`` when it must be said).

Targets whose indicator the model does not carry are declared too, with the
reason, so nobody mistakes a silent omission for attainment. The shipped
targets are data (``cities/<id>/targets.toml``, read by
:mod:`calibration.targets`); this module is pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from growthsim.i18n import text

from .indicators import indicators
from .measures import Measure
from .units import unit_of

Comparator = Literal["at_least", "above", "about", "at_most"]


@dataclass(frozen=True)
class Wording:
    """How a comparator is written: the plan's word in each language and its sign in the compact form."""

    zh: str
    en: str
    sign: str

    def word(self, lang: str = "zh") -> str:
        """The comparator's word in ``lang``."""
        return self.zh if lang == "zh" else self.en


COMPARATORS: dict[str, Wording] = {
    "at_least": Wording("不低于", "at least", ">="),
    "above": Wording("突破", "above", ">"),
    "about": Wording("左右", "about", "~"),
    "at_most": Wording("不高于", "at most", "<="),
}
# How a probability of meeting a target reads, in every view (the scorecard's colours, the monitoring's status):
# likely from LIKELY on (green), possible from POSSIBLE (amber), unlikely below (red).
LIKELY, POSSIBLE = 0.8, 0.5


def likelihood(probability: float) -> str:
    """``likely`` (≥ LIKELY), ``possible`` (≥ POSSIBLE) or ``unlikely``."""
    if probability >= LIKELY:
        return "likely"
    if probability >= POSSIBLE:
        return "possible"
    return "unlikely"


def _value_text(value: float) -> str:
    """A target's value as the plan writes it: thousands separated, no trailing zeros ('5,000', '6.5')."""
    return f"{value:,g}"


@dataclass(frozen=True)
class Rule:
    """A target's rule: comparator, value and (for ``about``) tolerance, in the indicator's unit.

    Raises ValueError for an unknown comparator, naming the allowed ones, or a
    tolerance on anything but ``about``.
    """

    comparator: Comparator
    value: float
    tolerance: float = 0.0

    def __post_init__(self):
        """Refuse an unknown comparator or a tolerance where none is read."""
        if self.comparator not in COMPARATORS:
            raise ValueError(f"comparator {self.comparator!r}: allowed {', '.join(COMPARATORS)}")
        if self.tolerance < 0 or (self.comparator != "about" and self.tolerance != 0):
            raise ValueError(f"tolerance {self.tolerance!r}: only an 'about' rule has one, and it is not negative")

    @property
    def threshold(self) -> float:
        """The value from which the rule is met: the target, or the target minus its tolerance for ``about``."""
        return self.value - self.tolerance if self.comparator == "about" else self.value

    @property
    def upward(self) -> bool:
        """True when a higher value helps meet the rule (every comparator but ``at_most``)."""
        return self.comparator != "at_most"

    @property
    def wording(self) -> Wording:
        """The comparator's words and sign."""
        return COMPARATORS[self.comparator]

    def met(self, x):
        """Whether values meet the rule.

        Parameters
        ----------
        x : float or array_like
            Values in the target's unit (any shape: draws, settings × draws).

        Returns
        -------
        bool or numpy.ndarray of bool
            Elementwise: met or not.
        """
        x = np.asarray(x, dtype=float)
        if self.comparator == "above":
            return x > self.value
        if self.comparator == "at_most":
            return x <= self.value
        return x >= self.threshold

    def text(self, lang: str = "zh", unit: str = "") -> str:
        """The rule as the plan writes it.

        '29%左右', '不低于 6.5%', '突破 5,000家' / 'about 29%', 'above 5,000 firms'.
        """
        value = unit_of(unit).attach(_value_text(self.value), lang) if unit else _value_text(self.value)
        if self.comparator == "about":  # the plan writes 29%左右: the word after the value in Chinese
            return text("target.rule_about", lang, value=value)
        return f"{self.wording.word(lang)} {value}"

    def reading(self, lang: str = "zh", unit: str = "") -> str:
        """How the model reads the rule: '不低于 28.5%（29 − 容差 0.5）' for about 29; otherwise as written."""
        if self.comparator != "about":
            return self.text(lang, unit)
        floor = _value_text(self.threshold)
        floor = unit_of(unit).attach(floor, lang) if unit else floor
        return text("target.rule_reading", lang, floor=floor, value=f"{self.value:g}", tolerance=f"{self.tolerance:g}")

    def compact(self) -> str:
        """The rule in the compact form: '>=27', '~6.5' (tolerance said as '~6.5±0.5'), '>6000', '<=3'."""
        tol = f"±{self.tolerance:g}" if self.comparator == "about" and self.tolerance else ""
        return f"{self.wording.sign}{self.value:g}{tol}"


@dataclass(frozen=True)
class Target:
    """One target: what it applies to, its rule, its labels and its citation.

    Attributes
    ----------
    id : str
        Unique among the targets it is read with.
    indicator : str or None
        The indicator it applies to; None when the model does not carry it
        (then ``untracked_reason`` says why).
    year : int
        The year it falls in (the last year of a period).
    rule : Rule
        Comparator, value and tolerance, in ``unit``.
    label_zh, label_en : str
        The target as the plan states it.
    unit : str
        The unit of ``rule``'s value (a code of :mod:`simulation.units`): the
        measure's (:meth:`simulation.measures.Measure.unit`).
    measure : Measure or None
        How a draw's value is read from the indicator's path; None for the
        indicator's level in ``year``.
    region : str
        The region whose target it is ("" for the city's plan targets).
    source : str
        The citation as one line ("file: quote" or "url (publisher, published): quote").
    source_file, url, publisher, published, quote : str
        The citation's parts, as the targets file gives them.
    publisher_zh : str
        The publisher in Chinese, as the targets file gives it ("": Chinese readers read ``publisher``).
    untracked_reason, untracked_reason_zh : str
        Why the model does not carry the indicator, in English and in Chinese (the targets file's own words).
    decided_by : tuple of str
        The parameters whose assumed values set the indicator in a projected
        or unreported year (from the indicator's registry entry): the outcome
        is an assumption, not the model's (由假设决定).
    """

    id: str
    indicator: str | None
    year: int
    rule: Rule
    label_zh: str
    label_en: str
    unit: str = ""
    measure: Measure | None = None
    region: str = ""
    source: str = ""
    source_file: str = ""
    url: str = ""
    publisher: str = ""
    published: str = ""
    quote: str = ""
    publisher_zh: str = ""
    untracked_reason: str = ""
    untracked_reason_zh: str = ""
    decided_by: tuple[str, ...] = ()

    def __post_init__(self):
        """Refuse a measure of another indicator or year than the target's."""
        m = self.measure
        if m is not None and (m.indicator != self.indicator or int(m.year) != int(self.year)):
            raise ValueError(f"measure of {m.indicator}@{m.year} on a target of {self.indicator}@{self.year}")

    # the rule's parts, read where a target is laid out as a table row
    @property
    def comparator(self) -> str:
        """The rule's comparator."""
        return self.rule.comparator

    @property
    def value(self) -> float:
        """The rule's value, in :attr:`unit`."""
        return self.rule.value

    @property
    def tolerance(self) -> float:
        """The rule's tolerance (``about`` only; 0 otherwise)."""
        return self.rule.tolerance

    @property
    def tracked(self) -> bool:
        """True when the model projects the target's indicator (untracked targets are shown, not evaluated)."""
        return self.indicator is not None

    @property
    def assumption_driven(self) -> tuple[str, ...]:
        """The parameters whose assumed values decide the target in a projected year; empty when the model does."""
        return self.decided_by

    def label(self, lang: str = "zh") -> str:
        """The target's label in ``lang`` (``zh`` or ``en``)."""
        return self.label_zh if lang == "zh" else self.label_en

    def met(self, values) -> np.ndarray:
        """Boolean array: which values (draws of :meth:`values`) meet the rule."""
        return self.rule.met(values)

    def text(self, lang: str = "zh") -> str:
        """The target's rule as the plan writes it, with its unit (:meth:`Rule.text`)."""
        return self.rule.text(lang, self.unit)

    def reading(self, lang: str = "zh") -> str:
        """How the model reads the target's rule, with its unit (:meth:`Rule.reading`)."""
        return self.rule.reading(lang, self.unit)

    def compact(self) -> str:
        """The target in the compact form (module docstring): 'mfg_va_share_gdp@2030>=27'."""
        m = self.reads
        when = str(self.year) if m.form == "level" else f"{m.first}-{self.year}:{m.form}"
        return f"{self.indicator}@{when}{self.rule.compact()}"

    @property
    def reads(self) -> Measure:
        """What the target measures: its own :class:`Measure`, or its indicator's level in its year."""
        if self.measure is not None:
            return self.measure
        return Measure(str(self.indicator), int(self.year), "level", kind=indicators()[self.indicator].kind)

    def needs(self) -> tuple[tuple[str, int], ...]:
        """The (indicator, year) pairs whose draws :meth:`values` reads."""
        return self.reads.needs()

    def values(self, at: Callable[[str, int], np.ndarray]) -> np.ndarray:
        """Each draw's value of the measure, from ``at(indicator, year)`` (the draws of one year).

        Parameters
        ----------
        at : callable
            ``at(indicator, year)`` gives the indicator's draws in a year
            (e.g. :meth:`simulation.model.Projection.at`), any shape.

        Returns
        -------
        numpy.ndarray
            The measure per draw, in :attr:`unit`.
        """
        return self.reads.values({k: at(*k) for k in self.needs()})
