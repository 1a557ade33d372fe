"""What a target measures, per draw: a level in a year, an average growth, a change or a total over a period.

The plan's own target forms (国家和地方五年规划的指标写法):

- ``level``: the indicator in one year (制造业增加值占比达到 27 %、规上工业企业 6000 家);
- ``average``: average growth over a period (年均增长). For a growth rate
  (above-scale VA growth, %) it is the compound average of the yearly rates of
  the period's years, ``(Π (1 + g_t/100))^(1/n) - 1``; for a level (GDP,
  manufacturing VA, firms) it is the compound growth from the year before the
  period to its last year, ``(x_end / x_before)^(1/n) - 1``, where ``n`` is the
  number of years in the period. Both read "年均增长 over 2026–2030" the way the
  plan does: the growth of the years 2026 to 2030;
- ``change``: the change over the period's years, ``x_end - x_before`` (占比提高 2 个百分点:
  2030's share less 2025's for the period 2026–2030);
- ``total``: a flow summed over the period's years (累计升规 2000 家).

Each is computed draw by draw from the projection's draws, so its probability
is honest: the chance of averaging 6 % is not the chance of each year's 6 %.
Pure numpy: a measure says which (indicator, year) draws it needs and turns
them into one value per draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

Form = Literal["level", "average", "change", "total"]
FORMS: tuple[str, ...] = ("level", "average", "change", "total")

# Which indicator kinds (simulation.indicators.Indicator.kind) each form applies to.
FORM_KINDS: dict[str, tuple[str, ...]] = {
    "level": ("stock", "flow", "rate", "share", "index", "level"),
    "average": ("rate", "stock", "index", "level"),
    "change": ("stock", "share", "index", "level"),
    "total": ("flow",),
}



@dataclass(frozen=True)
class Measure:
    """What a target measures: an indicator's level in ``year``, or a form over the years ``start``..``year``.

    ``kind`` is the indicator's kind (its registry entry's), which decides how
    an average is taken: compound yearly rates for a ``rate``, compound growth
    of the level otherwise.
    """

    indicator: str
    year: int
    form: Form = "level"
    start: int | None = None
    kind: str = "level"

    def __post_init__(self):
        """Check the form, the period and that the form suits the indicator's kind."""
        if self.form not in FORMS:
            raise ValueError(f"unknown form {self.form!r}; allowed {', '.join(FORMS)}")
        if self.form == "level":
            if self.start not in (None, self.year):
                raise ValueError("a level is read in one year: no period")
        elif self.start is None or not int(self.start) <= int(self.year):
            raise ValueError(f"a {self.form} needs a period whose first year is not after its last")
        if self.kind not in FORM_KINDS[self.form]:
            raise ValueError(f"a {self.form} does not apply to an indicator of kind {self.kind}; "
                             f"allowed kinds {', '.join(FORM_KINDS[self.form])}")

    @property
    def first(self) -> int:
        """The period's first year (the year itself for a level)."""
        return int(self.year if self.start is None else self.start)

    @property
    def years_in_period(self) -> int:
        """Number of years in the period (1 for a level)."""
        return int(self.year) - self.first + 1

    def needs(self) -> tuple[tuple[str, int], ...]:
        """The (indicator, year) draws the measure is computed from, in order."""
        ind, last = self.indicator, int(self.year)
        if self.form == "level":
            return ((ind, last),)
        if self.form == "total" or (self.form == "average" and self.kind == "rate"):
            return tuple((ind, y) for y in range(self.first, last + 1))
        return ((ind, self.first - 1), (ind, last))

    def earliest_year(self) -> int:
        """The earliest year whose draws the measure reads (the year before the period for a change)."""
        return min(y for _, y in self.needs())

    def values(self, draws: Mapping[tuple[str, int], np.ndarray]) -> np.ndarray:
        """One value per draw (any array shape, elementwise), in the measure's unit.

        Parameters
        ----------
        draws : mapping
            ``(indicator, year) -> array`` for every pair of :meth:`needs` (all of one shape).

        Returns
        -------
        numpy.ndarray
            The level (the indicator's unit), the average growth (% a year), the change (the
            indicator's unit, points for a share) or the total (the flow's unit).
        """
        cols = [np.asarray(draws[k], dtype=float) for k in self.needs()]
        if self.form == "level":
            return cols[0]
        if self.form == "total":
            return np.sum(cols, axis=0)
        if self.form == "change":
            return cols[1] - cols[0]
        n = self.years_in_period
        if self.kind == "rate":
            log_growth = np.sum([np.log1p(c / 100.0) for c in cols], axis=0)
            return 100.0 * np.expm1(log_growth / n)
        return 100.0 * ((cols[1] / cols[0]) ** (1.0 / n) - 1.0)

    def unit(self, indicator_unit: str) -> str:
        """The measure's unit given its indicator's: % for an average, points (百分点) for a share's change."""
        if self.form == "average":
            return "%"
        if self.form == "change" and indicator_unit == "%":
            return "百分点"
        return indicator_unit
