"""The indicator registry: every outcome the model produces, declared once.

Each indicator carries its official Chinese name, English name, unit (zh and
en), number precision, kind (stock, flow, rate, share, index), whether it is a
headline indicator (shown first, in the workbook's own sheets) and a note.
The model's outputs (:data:`simulation.model.OUTPUTS`), the exports, the CLI
tables, the app and the calibration's figure labels are built from it;
``tests/test_indicators.py`` fails when the model produces an indicator that is
not declared here, or a declared one is not produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .units import unit_of

IndicatorKind = Literal["stock", "flow", "rate", "share", "index", "level"]


@dataclass(frozen=True)
class Indicator:
    """One outcome of the model.

    ``precision`` is the number of decimals a table shows; ``headline``
    indicators lead every table and get a workbook sheet of their own.
    """

    id: str
    name_zh: str
    name_en: str
    unit: str
    kind: IndicatorKind
    precision: int
    headline: bool = False
    note: str = ""
    set_by: tuple[str, ...] = ()

    def name(self, lang: str = "zh") -> str:
        """The indicator's name in ``lang`` (``zh`` or ``en``)."""
        return self.name_zh if lang == "zh" else self.name_en

    def unit_label(self, lang: str = "zh") -> str:
        """The unit as shown in ``lang``: Chinese as declared, or its English name (亿元 -> 100 million yuan)."""
        return unit_of(self.unit).name(lang)


_INDICATORS = (
    Indicator("mfg_va_share_gdp", "制造业增加值占全市生产总值比重", "Manufacturing VA share of GDP", "%",
              "share", 1, True),
    Indicator("above_scale_firms", "规模以上工业企业数量", "Above-scale industrial enterprises", "家",
              "stock", 0, True, "no count has been published since 2020: estimated"),
    Indicator("above_scale_va_growth", "规模以上工业增加值增速", "Above-scale industrial VA growth (real)", "%",
              "rate", 1, True),
    Indicator("mfg_va_growth", "制造业增加值增速", "Manufacturing VA growth (real)", "%", "rate", 1, True,
              "above-scale growth plus a yearly gap (mfg_growth_gap_sd)"),
    Indicator("gdp", "地区生产总值", "GDP (current prices)", "亿元", "level", 1, True),
    Indicator("gdp_real_growth", "地区生产总值增速", "Real GDP growth", "%", "rate", 1, True),
    Indicator("mfg_va", "制造业增加值", "Manufacturing value added (current prices)", "亿元", "level", 1),
    Indicator("secondary_industry_va", "第二产业增加值", "Secondary-industry value added", "亿元", "level", 1),
    Indicator("revenue", "规模以上工业企业营业收入", "Above-scale industrial revenue", "亿元", "level", 1),
    Indicator("profit", "规模以上工业企业利润总额", "Above-scale industrial profit", "亿元", "level", 1),
    Indicator("profit_margin", "规上工业企业营业收入利润率", "Profit margin on revenue", "%", "share", 1),
    Indicator("high_tech_share", "高技术制造业增加值占规上工业增加值比重",
              "High-tech manufacturing share of above-scale VA", "%", "share", 1, True),
    Indicator("high_tech_mfg_va_growth", "高技术制造业增加值增速", "High-tech manufacturing VA growth", "%",
              "rate", 1),
    Indicator("tech_renovation_investment", "制造业技改投资(指数)", "Technical-renovation investment (index)",
              "基年=100", "index", 1, note="no source gives the level; index with 2020 industrial investment = 100"),
    Indicator("tech_renovation_investment_growth", "工业技改投资增速", "Technical-renovation investment growth",
              "%", "rate", 1, note="set by the lever: the model takes it from the assumption",
              set_by=("tech_renovation_investment_growth",)),
    Indicator("industrial_investment", "工业投资(指数)", "Industrial investment (index)", "基年=100", "index", 1,
              note="no source gives the level; index with 2020 = 100"),
    Indicator("industrial_investment_growth", "工业投资增速", "Industrial investment growth", "%", "rate", 1,
              set_by=("new_capacity_investment_growth",)),
    Indicator("tech_renovation_share_industrial_investment", "工业技改投资占工业投资比重",
              "Renovation share of industrial investment", "%", "share", 1, set_by=("tech_renovation_share_base",)),
    Indicator("ppi_national", "全国工业生产者出厂价格涨幅", "National producer-price change", "%", "rate", 1),
    Indicator("firm_upgrades", "小升规企业数", "Firms upgraded (小升规)", "家", "flow", 0),
    Indicator("projects_entering_statistics", "增量项目纳统数", "Incremental projects entering statistics", "个",
              "flow", 0),
    Indicator("firm_exits", "规上企业退出数", "Above-scale firms exiting", "家", "flow", 0),
    Indicator("project_growth_contribution", "增量项目拉动规上工业增速", "Projects' contribution to growth",
              "百分点", "rate", 1),
)


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    """All indicators by id, in display order (headline first within the declaration)."""
    out: dict[str, Indicator] = {}
    for i in _INDICATORS:
        if i.id in out:
            raise ValueError(f"indicator {i.id} declared twice")
        out[i.id] = i
    return out


def headline_indicators() -> list[str]:
    """Ids of the headline indicators, in declaration order."""
    return [i.id for i in _INDICATORS if i.headline]


# The indicators every projection must carry (issue: projections.csv).
CORE_INDICATORS = (
    "above_scale_firms", "above_scale_va_growth", "mfg_va_share_gdp", "gdp", "gdp_real_growth", "mfg_va",
    "revenue", "profit", "profit_margin", "tech_renovation_investment", "high_tech_share",
)
