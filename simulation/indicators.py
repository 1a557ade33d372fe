"""Outcome indicators the model projects, with official Chinese names and units."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    unit: str
    note: str = ""

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


_INDICATORS = (
    Indicator("mfg_va_share_gdp", "制造业增加值占全市生产总值比重", "Manufacturing VA share of GDP", "%"),
    Indicator("above_scale_firms", "规模以上工业企业数量", "Above-scale industrial enterprises", "家"),
    Indicator("above_scale_va_growth", "规模以上工业增加值增速", "Above-scale industrial VA growth (real)", "%"),
    Indicator("mfg_va_growth", "制造业增加值增速", "Manufacturing VA growth (real)", "%",
              "假设 assumption: manufacturing grows like above-scale industry"),
    Indicator("gdp", "地区生产总值", "GDP (current prices)", "亿元"),
    Indicator("mfg_va", "制造业增加值", "Manufacturing value added (current prices)", "亿元"),
    Indicator("revenue", "规模以上工业企业营业收入", "Above-scale industrial revenue", "亿元"),
    Indicator("profit", "规模以上工业企业利润总额", "Above-scale industrial profit", "亿元"),
    Indicator("profit_margin", "规上工业企业营业收入利润率", "Profit margin on revenue", "%"),
    Indicator("high_tech_share", "高技术制造业增加值占规上工业增加值比重", "High-tech manufacturing share of above-scale VA", "%"),
    Indicator("tech_renovation_investment", "制造业技改投资(指数)", "Technical-renovation investment (index)", "基年=100",
              "no source gives the level; index on the base year"),
    Indicator("tech_renovation_investment_growth", "工业技改投资增速", "Technical-renovation investment growth", "%"),
    Indicator("industrial_investment", "工业投资(指数)", "Industrial investment (index)", "基年=100",
              "no source gives the level; index on the base year"),
    Indicator("industrial_investment_growth", "工业投资增速", "Industrial investment growth", "%"),
    Indicator("tech_renovation_share_industrial_investment", "工业技改投资占工业投资比重",
              "Renovation share of industrial investment", "%"),
    Indicator("firm_upgrades", "小升规企业数", "Firms upgraded (小升规)", "家"),
    Indicator("projects_entering_statistics", "增量项目纳统数", "Incremental projects entering statistics", "个"),
    Indicator("firm_exits", "规上企业退出数", "Above-scale firms exiting", "家"),
    Indicator("project_growth_contribution", "增量项目拉动规上工业增速", "Projects' contribution to growth", "百分点"),
)


def indicators() -> dict[str, Indicator]:
    return {i.id: i for i in _INDICATORS}


# The indicators every projection must carry (issue: projections.csv).
CORE_INDICATORS = (
    "above_scale_firms", "above_scale_va_growth", "mfg_va_share_gdp", "gdp", "mfg_va",
    "revenue", "profit", "profit_margin", "tech_renovation_investment", "high_tech_share",
)
