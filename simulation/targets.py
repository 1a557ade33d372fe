"""Plan targets: value, comparator, tolerance for "about", year and source.

Comparators:

- ``at_least``: met when the value is >= the target (以上, 不低于).
- ``above``: met when the value is > the target (突破, 超过).
- ``about``: met when the value is >= target - tolerance (左右). A planning
  target "about X" is a floor in spirit: overshooting it is not a failure.
- ``at_most``: met when the value is <= the target.

Targets whose indicator the model does not carry are declared too, with the
reason, so nobody mistakes a silent omission for attainment.
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
    id: str
    indicator: str | None
    year: int
    comparator: Comparator
    value: float
    tolerance: float
    label_zh: str
    label_en: str
    source: str
    untracked_reason: str = ""

    @property
    def tracked(self) -> bool:
        return self.indicator is not None

    def met(self, values: np.ndarray) -> np.ndarray:
        """Boolean array: which draws meet the target."""
        if self.comparator == "at_least":
            return values >= self.value
        if self.comparator == "above":
            return values > self.value
        if self.comparator == "about":
            return values >= self.value - self.tolerance
        return values <= self.value


# "左右" is read as ±0.5 point for shares and growth rates (假设 assumption: the
# documents give no tolerance) and ±1 point for investment growth.
_TARGETS = (
    Target("mfg_share_2025", "mfg_va_share_gdp", 2025, "about", 29.0, 0.5,
           "2025年制造业增加值占GDP比重29%左右", "Manufacturing share of GDP about 29% by 2025",
           "003_98086a54bbfbe68d.txt: 到2025年,全市制造业增加值占全市生产总值比重达到29%左右"),
    Target("firms_2024", "above_scale_firms", 2024, "above", 5000, 0.0,
           "2024年规模以上工业企业数量突破5000家", "Over 5000 above-scale firms in 2024",
           "002_1db8d1e4b329fac1.txt: 规模以上工业企业数量突破5000家"),
    Target("va_growth_2024", "above_scale_va_growth", 2024, "about", 6.5, 0.5,
           "2024年规上工业增加值增长6.5%左右", "Above-scale VA growth about 6.5% in 2024",
           "002_1db8d1e4b329fac1.txt: 规模以上工业增加值同比增长6.5%左右"),
    Target("mfg_growth_2024", "mfg_va_growth", 2024, "at_least", 6.5, 0.0,
           "2024年制造业增加值增长6.5%以上", "Manufacturing VA growth 6.5% or more in 2024",
           "002_1db8d1e4b329fac1.txt: 其中制造业增加值增长6.5%以上"),
    Target("industrial_investment_growth_2024", "industrial_investment_growth", 2024, "about", 10.0, 1.0,
           "2024年工业投资增长10%左右", "Industrial investment growth about 10% in 2024",
           "002_1db8d1e4b329fac1.txt: 工业投资同比增长10%左右"),
    Target("tech_renovation_growth_2024", "tech_renovation_investment_growth", 2024, "at_least", 12.0, 0.0,
           "2024年工业技改投资增长12%以上", "Renovation investment growth 12% or more in 2024",
           "002_1db8d1e4b329fac1.txt: 工业技改投资增长12%以上"),
    Target("tech_renovation_share_2024", "tech_renovation_share_industrial_investment", 2024, "about", 45.0, 2.0,
           "2024年技改投资占工业投资比重45%左右", "Renovation share of industrial investment about 45% in 2024",
           "002_1db8d1e4b329fac1.txt: 占工业投资比重达到45%左右"),
    Target("high_tech_share_2024", "high_tech_share", 2024, "at_least", 13.0, 0.0,
           "2024年高技术制造业占规上工业增加值比重13%以上", "High-tech share 13% or more in 2024",
           "002_1db8d1e4b329fac1.txt: 高技术制造业增加值占规模以上工业增加值比重达到13%以上"),
    Target("high_tech_share_2025", "high_tech_share", 2025, "at_least", 20.0, 0.0,
           "2025年高技术制造业占规上工业增加值比重20%", "High-tech share 20% by 2025",
           "003_98086a54bbfbe68d.txt: 高技术制造业增加值占规上工业增加值比重(%) | - | 20"),
    Target("profit_margin_2025", "profit_margin", 2025, "at_least", 6.0, 0.0,
           "2025年规上工业营业收入利润率6%", "Profit margin 6% by 2025",
           "003_98086a54bbfbe68d.txt: 规模以上工业企业营业收入利润率力争达到6%"),
    Target("va_growth_2021", "above_scale_va_growth", 2021, "about", 10.0, 0.5,
           "2021年规上工业增加值增长10%左右", "Above-scale VA growth about 10% in 2021",
           "000_5dd6b5807495692d.txt: 力争规上工业增加值增长10%左右"),
    Target("upgrades_2021", "firm_upgrades", 2021, "at_least", 300, 0.0,
           "2021年小微企业升规纳统300家", "300 firms upgraded in 2021",
           "000_5dd6b5807495692d.txt: 力争300家小微企业升规纳统"),
    Target("projects_2021", "projects_entering_statistics", 2021, "above", 30, 0.0,
           "2021年30个以上增量项目投产纳统", "Over 30 incremental projects in 2021",
           "000_5dd6b5807495692d.txt: 力争30个以上增量工业项目投产纳统"),
    Target("tech_renovation_growth_2021", "tech_renovation_investment_growth", 2021, "at_least", 10.0, 0.0,
           "2021年制造业技改投资增长10%以上", "Renovation investment growth 10% or more in 2021",
           "000_5dd6b5807495692d.txt: 全市制造业技改投资增长10%以上"),
    # Declared but not modelled: the reason is shown wherever targets are listed.
    Target("industrial_investment_share_2024", None, 2024, "about", 30.0, 1.0,
           "2024年工业投资占全部投资比重30%左右", "Industrial share of all investment about 30% in 2024",
           "002_1db8d1e4b329fac1.txt: 占全部投资比重达到30%左右",
           "the model does not carry total fixed investment; no source gives its level"),
    Target("labour_productivity_2025", None, 2025, "at_least", 35.0, 0.0,
           "2025年规上工业全员劳动生产率35万元/人", "Labour productivity 35 万元/person by 2025",
           "003_98086a54bbfbe68d.txt: 规上工业全员劳动生产率(万元/人) | 30.8 | 35",
           "the model does not carry employment"),
    Target("rd_intensity_2025", None, 2025, "at_least", 3.1, 0.0,
           "2025年规上制造业研发经费占营业收入比重3.1%", "R&D spending 3.1% of revenue by 2025",
           "003_98086a54bbfbe68d.txt: 规上制造业企业研发经费投入占营业收入比重(%) | 2.3 | 3.1",
           "the model does not carry R&D spending"),
    Target("specialised_firms_2025", None, 2025, "at_least", 600, 0.0,
           "2025年省级以上专精特新企业600家", "600 provincial 专精特新 firms by 2025",
           "003_98086a54bbfbe68d.txt: 省级以上“专精特新”企业累计数量(家) | 237 | 600",
           "the model does not carry firm certifications"),
    Target("single_champions_2025", None, 2025, "at_least", 70, 0.0,
           "2025年省级以上单项冠军70家", "70 single champions by 2025",
           "003_98086a54bbfbe68d.txt: 省级以上制造业单项冠军企业累计数量(家) | 43 | 70",
           "the model does not carry firm certifications"),
    Target("renovation_projects_2024", None, 2024, "at_least", 150, 0.0,
           "2024年重点技改项目竣工150个", "150 key renovation projects completed in 2024",
           "002_1db8d1e4b329fac1.txt: 跟踪推进重点技改项目500个以上,竣工150个",
           "project completions are simulated by the event engine, not the annual model"),
)


def targets() -> dict[str, Target]:
    return {t.id: t for t in _TARGETS}


def tracked_targets() -> dict[str, Target]:
    return {k: t for k, t in targets().items() if t.tracked}
