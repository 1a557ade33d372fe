"""Plan targets: value, comparator, tolerance for "about", year and source.

Comparators:

- ``at_least``: met when the value is >= the target (以上, 不低于).
- ``above``: met when the value is > the target (突破, 超过).
- ``about``: met when the value is >= target - tolerance (左右). A planning
  target "about X" is a floor in spirit: overshooting it is not a failure.
- ``at_most``: met when the value is <= the target.

Targets whose indicator the model does not carry are declared too, with the
reason, so nobody mistakes a silent omission for attainment. The targets
themselves are data (``scenarios/targets/plan_targets.toml``, read by
:mod:`calibration.targets`); this module is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Comparator = Literal["at_least", "above", "about", "at_most"]

COMPARATOR_LABELS = {
    "at_least": ("不低于", "at least"),
    "above": ("突破", "above"),
    "about": ("左右", "about"),
    "at_most": ("不高于", "at most"),
}


def rule_text(comparator: str, value: float, lang: str = "zh") -> str:
    """A target's rule as a planner writes it: '29左右', '不低于 6.5', 'about 29'."""
    if lang == "zh" and comparator == "about":
        return f"{value:g}左右"
    return f"{COMPARATOR_LABELS[comparator][0 if lang == 'zh' else 1]} {value:g}"


@dataclass(frozen=True)
class Target:
    """One plan target: indicator, year, comparator, value and its citation.

    ``decided_by`` names the lever whose assumed value *is* the indicator in
    a projected year (the outcome is set by an assumption, not the model).
    """

    id: str
    indicator: str | None
    year: int
    comparator: Comparator
    value: float
    tolerance: float
    label_zh: str
    label_en: str
    source: str  # the citation as one line: "file: quote" or "url (publisher, published): quote"
    untracked_reason: str = ""
    decided_by: str | None = None
    # the citation's parts (a seed file, or a page's address, publisher and date), as the targets file gives them
    source_file: str = ""
    url: str = ""
    publisher: str = ""
    published: str = ""
    quote: str = ""

    @property
    def tracked(self) -> bool:
        """True when the model projects the target's indicator (untracked targets are shown, not evaluated)."""
        return self.indicator is not None

    @property
    def assumption_driven(self) -> str | None:
        """The lever whose assumed value decides the target in a projected year, or None when the model does."""
        return self.decided_by

    def label(self, lang: str = "zh") -> str:
        """The target's label in ``lang`` (``zh`` or ``en``)."""
        return self.label_zh if lang == "zh" else self.label_en

    def met(self, values: np.ndarray) -> np.ndarray:
        """Boolean array: which draws meet the target."""
        if self.comparator == "at_least":
            return values >= self.value
        if self.comparator == "above":
            return values > self.value
        if self.comparator == "about":
            return values >= self.value - self.tolerance
        return values <= self.value

    def rule(self, lang: str = "zh") -> str:
        """How the model reads the target, in the planner's words."""
        if self.comparator == "about":
            return (f"{self.value:g}左右（按 ≥ {self.value - self.tolerance:g} 计为达成，容差 {self.tolerance:g}）"
                    if lang == "zh" else
                    f"about {self.value:g} (met at ≥ {self.value - self.tolerance:g}; tolerance {self.tolerance:g})")
        return rule_text(self.comparator, self.value, lang)


# Indicators that a lever sets directly in projected years (the target's outcome is an assumption).
# (No source reports industrial investment after 2021, so its growth and the renovation share follow the
# investment levers' assumed growth rates, in projected and unreported years alike.)
DECIDED_BY = {"tech_renovation_investment_growth": "tech_renovation_investment_growth",
              "industrial_investment_growth": "new_capacity_investment_growth",
              "tech_renovation_share_industrial_investment": "tech_renovation_share_base"}
