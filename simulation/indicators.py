"""The indicator registry: every outcome the model produces, declared once.

Each indicator owns its computation (``compute``, as EMA Workbench's
``Outcome(function=...)``: a function of the year's state and flows, see
:func:`simulation.model.record`), its official Chinese and English names, its
unit (:mod:`simulation.units`) and precision (the unit's decimals unless the
entry says otherwise), its kind, the parameters whose assumed values set it
(``set_by``: shown as an assumed path, without quantiles, in every view, and a
target on it reads 由假设决定) and the views that show it:

- ``workbook``: a row of each scenario's sheet and of the 指标比较 sheet;
- ``headline``: the app's first-screen charts (the first three) and its 核心指标 choice;
- ``cli``: the horizon table of ``growthsim compare``;
- ``sensitivity``: the leading-factor table of ``growthsim sensitivity``.

Adding an indicator is one entry here (plus its golden rows): the model
records it, the summaries, CSV files, the workbook, the charts, the CLI and the
calibration's labels follow. ``tests/test_indicators.py`` holds every view to
its declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from .units import unit_of

IndicatorKind = Literal["stock", "flow", "rate", "share", "index", "level"]
VIEWS = ("workbook", "headline", "cli", "sensitivity")
Record = Mapping[str, np.ndarray]  # the year's state and flows (simulation.model.record)


@dataclass(frozen=True)
class Indicator:
    """One outcome of the model.

    Attributes
    ----------
    id, name_zh, name_en : str
        Id and official names.
    unit : str
        A unit code of :mod:`simulation.units`.
    kind : str
        stock, flow, rate, share, index or level.
    compute : callable
        The indicator from the year's record (state and flows), an array over draws.
    views : tuple of str
        The views that show it (:data:`VIEWS`).
    set_by : tuple of str
        Parameters whose assumed values set it in projected years: shown as
        an assumed path, without quantiles, everywhere.
    precision : int or None
        Decimals shown; None: the unit's.
    note : str
        What a reader should know about it.
    grows_zh : str
        For a growth rate, the Chinese name of what grows (地区生产总值 for 地区生产总值增速): the subject of a
        sentence that says 年均增长 itself; "" for others.
    """

    id: str
    name_zh: str
    name_en: str
    unit: str
    kind: IndicatorKind
    compute: Callable[[Record], np.ndarray]
    views: tuple[str, ...] = ("workbook",)
    set_by: tuple[str, ...] = ()
    precision: int | None = None
    note: str = ""
    grows_zh: str = ""

    def __post_init__(self):
        """Refuse a view nobody draws."""
        unknown = set(self.views) - set(VIEWS)
        if unknown:
            raise ValueError(f"indicator {self.id}: unknown view {sorted(unknown)}; allowed {', '.join(VIEWS)}")

    @property
    def decimals(self) -> int:
        """Decimals a value is shown and rounded to (CSV, workbook, charts, tables): its own or its unit's."""
        return unit_of(self.unit).decimals if self.precision is None else self.precision

    @property
    def number_format(self) -> str:
        """The spreadsheet number format: the unit's, at :attr:`decimals`."""
        fmt = unit_of(self.unit).number_format
        whole = fmt.split(".")[0]
        return whole + ("." + "0" * self.decimals if self.decimals else "")

    @property
    def assumed(self) -> bool:
        """Whether assumptions set it (an assumed path, shown without quantiles)."""
        return bool(self.set_by)

    def name(self, lang: str = "zh") -> str:
        """The indicator's name in ``lang`` (``zh`` or ``en``)."""
        return self.name_zh if lang == "zh" else self.name_en

    def unit_label(self, lang: str = "zh") -> str:
        """The unit as shown in ``lang``: Chinese as declared, or its English name (亿元 -> 100 million yuan)."""
        return unit_of(self.unit).name(lang)


def _investment(r: Record) -> np.ndarray:
    return r["renovation"] + r["other_investment"]


# The investment levers and the renovation share they start from set the investment series (no source
# reports industrial investment after 2021): an assumed path, not a forecast.
_RENOVATION = ("tech_renovation_investment_growth",)
_INVESTMENT = ("tech_renovation_investment_growth", "new_capacity_investment_growth", "tech_renovation_share_base")
_HEAD = ("workbook", "headline", "cli", "sensitivity")

_INDICATORS = (
    Indicator("mfg_va_share_gdp", "制造业增加值占全市生产总值比重", "Manufacturing VA share of GDP", "%", "share",
              lambda r: 100.0 * r["mfg_va"] / r["gdp"], _HEAD),
    Indicator("above_scale_firms", "规模以上工业企业数量", "Above-scale industrial enterprises", "家", "stock",
              lambda r: r["firms"], _HEAD, note="no count has been published since 2020: estimated"),
    Indicator("above_scale_va_growth", "规模以上工业增加值增速", "Above-scale industrial VA growth (real)", "%",
              "rate", lambda r: r["growth"], _HEAD, grows_zh="规模以上工业增加值"),
    Indicator("mfg_va_growth", "制造业增加值增速", "Manufacturing VA growth (real)", "%", "rate",
              lambda r: r["mfg_growth"], note="above-scale growth plus a yearly gap (mfg_growth_gap_sd)",
              grows_zh="制造业增加值"),
    Indicator("gdp", "地区生产总值", "GDP (current prices)", "亿元", "level", lambda r: r["gdp"], ("workbook", "cli")),
    Indicator("gdp_real_growth", "地区生产总值增速", "Real GDP growth", "%", "rate", lambda r: r["gdp_growth"],
              grows_zh="地区生产总值"),
    Indicator("mfg_va", "制造业增加值", "Manufacturing value added (current prices)", "亿元", "level",
              lambda r: r["mfg_va"]),
    Indicator("secondary_industry_va", "第二产业增加值", "Secondary-industry value added", "亿元", "level",
              lambda r: r["mfg_va"] * r["sec_ratio"]),
    Indicator("revenue", "规模以上工业企业营业收入", "Above-scale industrial revenue", "亿元", "level",
              lambda r: r["revenue"], ("workbook", "cli")),
    Indicator("profit", "规模以上工业企业利润总额", "Above-scale industrial profit", "亿元", "level",
              lambda r: r["revenue"] * r["margin"] / 100.0),
    Indicator("profit_margin", "规上工业企业营业收入利润率", "Profit margin on revenue", "%", "share",
              lambda r: r["margin"], ("workbook", "cli", "sensitivity")),
    Indicator("high_tech_share", "高技术制造业增加值占规上工业增加值比重",
              "High-tech manufacturing share of above-scale VA", "%", "share",
              lambda r: 100.0 * r["ht_odds"] / (1.0 + r["ht_odds"]), ("workbook", "cli", "sensitivity")),
    Indicator("high_tech_mfg_va_growth", "高技术制造业增加值增速", "High-tech manufacturing VA growth", "%", "rate",
              lambda r: r["ht_growth"], grows_zh="高技术制造业增加值"),
    Indicator("tech_renovation_investment", "制造业技改投资(指数)", "Technical-renovation investment (index)",
              "基年=100", "index", lambda r: r["renovation"], set_by=_INVESTMENT,
              note="no source gives the level; index with 2020 industrial investment = 100"),
    Indicator("tech_renovation_investment_growth", "工业技改投资增速", "Technical-renovation investment growth",
              "%", "rate", lambda r: r["tr_growth"], set_by=_RENOVATION,
              note="set by the lever: the model takes it from the assumption", grows_zh="工业技改投资"),
    Indicator("industrial_investment", "工业投资(指数)", "Industrial investment (index)", "基年=100", "index",
              _investment, set_by=_INVESTMENT, note="no source gives the level; index with 2020 = 100"),
    Indicator("industrial_investment_growth", "工业投资增速", "Industrial investment growth", "%", "rate",
              lambda r: r["_investment_growth"], ("workbook", "headline", "sensitivity"), set_by=_INVESTMENT,
              grows_zh="工业投资"),
    Indicator("tech_renovation_share_industrial_investment", "工业技改投资占工业投资比重",
              "Renovation share of industrial investment", "%", "share",
              lambda r: 100.0 * r["renovation"] / _investment(r), set_by=_INVESTMENT),
    Indicator("ppi_national", "全国工业生产者出厂价格涨幅", "National producer-price change", "%", "rate",
              lambda r: r["ppi"], ()),
    Indicator("firm_upgrades", "小升规企业数", "Firms upgraded", "家", "flow", lambda r: r["upgrades"]),
    Indicator("projects_entering_statistics", "增量项目纳统数", "Incremental projects entering statistics", "个",
              "flow", lambda r: r["entries"]),
    Indicator("firm_exits", "规上企业退出数", "Above-scale firms exiting", "家", "flow", lambda r: r["exits"]),
    Indicator("project_growth_contribution", "增量项目拉动规上工业增速", "Projects' contribution to growth",
              "百分点", "rate", lambda r: r["project_growth"], (), grows_zh="增量项目拉动规上工业"),
)


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    """All indicators by id, in the registry's order (every view lists them in this order)."""
    out: dict[str, Indicator] = {}
    for i in _INDICATORS:
        if i.id in out:
            raise ValueError(f"indicator {i.id} declared twice")
        out[i.id] = i
    return out


def shown_in(view: str) -> list[str]:
    """Ids of the indicators a view shows, in the registry's order.

    Parameters
    ----------
    view : str
        One of :data:`VIEWS`.

    Returns
    -------
    list of str
        The indicators whose ``views`` name it.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; allowed {', '.join(VIEWS)}")
    return [i.id for i in _INDICATORS if view in i.views]
