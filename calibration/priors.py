"""Priors for base figures a city does not report in its start year.

Few cities publish all seven base figures of the filter's starting state (the manufacturing share of GDP,
secondary-industry VA, above-scale revenue, profit, the firm count, the high-tech share, GDP) in one year. A
base figure the start year does not report becomes a state drawn per particle from a prior, built from the
figures that are reported through a ratio (a :class:`Relation`): each ratio is triangular, its mode taken from
a national relation with its source where one is published, its bounds a 假设 assumption saying how far a
city may stand from the nation. Its band in the calibration says how little is known; a later year's report
of the figure narrows it (the filter weighs it there).

GDP has no prior: every other figure is scaled on it. Declared once here; the calibration report
(:func:`relations_used`) and ``growthsim calibrate`` show which relation each figure took.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from growthsim.simulation.registry import parameters
from growthsim.simulation.streams import Streams


@dataclass(frozen=True)
class Citation:
    """A national figure's source: its address, who published it (in each language), when, and the verbatim
    quote; ``rows`` names the public record's rows it gives (a pointer for whoever checks it). Shown by
    ``growthsim calibrate`` under the pinned-by table (the catalogue's ``calibration.citation``)."""

    url: str
    publisher_en: str
    publisher_zh: str
    published: str
    quote: str
    rows: str = ""



# Where the national relations come from (verbatim quotes).
NATIONAL_2024 = Citation("https://www.chaxiaohao.com/read-1752170188l6493911.html",
                         "reporting 国家统计局 2024 figures", "报道国家统计局2024年数据", "2025-07-11",
                         "中国2024年GDP达到1349084亿元,同比增长5.0%,其中工业增加值405442亿元 ... 三次产业占比分别为"
                         "6.8%、36.5%和56.7%")
NATIONAL_MFG = Citation("http://meihua365.ccin.com.cn/detail/ee12847d8d0cd03d2b4ab08131b10ca7",
                        "国务院新闻办 press conference", "国务院新闻办新闻发布会", "2025-09-09",
                        "全部工业增加值从31.3万亿元增长到了40.5万亿元,制造业增加值从26.6万亿元增长到了33.6万亿元",
                        rows="rows industrial_va_national, mfg_va_national")
NATIONAL_MARGIN = Citation("https://www.itdcw.com/news/focus/0130139B02024.html", "reporting 国家统计局",
                           "报道国家统计局", "2024-01-27",
                           "2023年,规模以上工业企业实现营业收入133.44万亿元 ... 营业收入利润率为5.76%")
NATIONAL_HIGH_TECH = Citation("http://lyrb.lyd.com.cn/html2/2021-09/14/content_279226.htm",
                              "洛阳日报 reproducing 新华社", "洛阳日报转载新华社", "2021-09-14",
                              "其中,高技术制造业占规模以上工业增加值比重从2012年的9.4%提高到2020年的15.1%。",
                              rows="row high_tech_share_national")

CITATIONS = {"NATIONAL_2024": NATIONAL_2024, "NATIONAL_MFG": NATIONAL_MFG, "NATIONAL_MARGIN": NATIONAL_MARGIN,
             "NATIONAL_HIGH_TECH": NATIONAL_HIGH_TECH}


@dataclass(frozen=True)
class Relation:
    """A base figure as a reported (or already drawn) figure times a triangular ratio.

    ``figure = basis * ratio`` (``basis / ratio`` when ``divide``); a ``basis`` of "" means the ratio is the
    figure itself. ``low``, ``mode``, ``high`` bound the triangular ratio (in the unit the text gives);
    ``scale`` converts it (1/100 for a percentage). ``source`` names the citations (:data:`CITATIONS`) and
    says what is 假设 assumption (``source_zh`` in Chinese).
    """

    figure: str
    basis: str
    low: float
    mode: float
    high: float
    text_en: str
    text_zh: str
    source: str
    source_zh: str
    divide: bool = False
    scale: float = 1.0

    def draw(self, basis: np.ndarray | float, streams: Streams, n: int) -> np.ndarray:
        """``n`` draws of the figure from the stream ``base_prior/<figure>``.

        Parameters
        ----------
        basis : numpy.ndarray or float
            The figure the ratio scales (亿元), per particle or one value.
        streams : Streams
            The filter's streams.
        n : int
            Number of draws.

        Returns
        -------
        numpy.ndarray
            The figure's draws, in the basis's unit (or the ratio's, when there is no basis).
        """
        ratio = streams.generator(f"base_prior/{self.figure}").triangular(self.low, self.mode, self.high, size=n)
        ratio = ratio * self.scale
        return basis / ratio if self.divide else basis * ratio

    def central(self, basis: float) -> float:
        """The figure at the ratio's mean (the triangle's)."""
        ratio = (self.low + self.mode + self.high) / 3.0 * self.scale
        return basis / ratio if self.divide else basis * ratio


# The manufacturing VA (亿元) a figure implies: the first relation whose basis is known is taken, in this order.
# From industrial VA the model's own mining-and-utilities share does it (industry_non_mfg_share, a prior of
# the registry), so it is no relation here: see ``_manufacturing``.
BASE_PRIORS: tuple[Relation, ...] = (
    Relation("mfg_va", "secondary_industry_va", 0.50, 0.68, 0.85,
             "manufacturing VA = secondary-industry VA x 50-85 % (nationally 68 % in 2024)",
             "制造业增加值 = 第二产业增加值 × 50%—85%（2024年全国约68%）",
             "national 2024 (NATIONAL_MFG, NATIONAL_2024); 假设 assumption: the bounds",
             "全国2024年（NATIONAL_MFG、NATIONAL_2024）；上下限为假设"),
    Relation("mfg_va", "gdp", 10.0, 25.0, 40.0,
             "manufacturing share of GDP 10-40 % (nationally 24.9 % in 2024)",
             "制造业增加值占GDP比重 10%—40%（2024年全国24.9%）",
             "national 2024 (NATIONAL_MFG, NATIONAL_2024); 假设 assumption: the bounds",
             "全国2024年（NATIONAL_MFG、NATIONAL_2024）；上下限为假设", scale=0.01),
    Relation("secondary_industry_va", "mfg_va", 0.50, 0.68, 0.85,
             "secondary-industry VA = manufacturing VA / 50-85 % (nationally 68 % in 2024)",
             "第二产业增加值 = 制造业增加值 ÷ 50%—85%（2024年全国约68%）",
             "national 2024 (NATIONAL_MFG, NATIONAL_2024); 假设 assumption: the bounds",
             "全国2024年（NATIONAL_MFG、NATIONAL_2024）；上下限为假设", divide=True),
    Relation("revenue", "mfg_va", 18.0, 27.0, 40.0,
             "above-scale revenue = manufacturing VA / a VA rate of 18-40 %",
             "规上工业营业收入 = 制造业增加值 ÷ 增加值率 18%—40%",
             "假设 assumption: no national VA rate of above-scale industry is published; 27 % is between the "
             "rates implied by the shipped records",
             "假设：未见全国规上工业增加值率的公布数；27%介于已收录城市记录所隐含的比率之间", divide=True, scale=0.01),
    Relation("profit", "revenue", 2.0, 5.76, 10.0,
             "profit = revenue x a margin of 2-10 % (nationally 5.76 % in 2023)",
             "利润总额 = 营业收入 × 利润率 2%—10%（2023年全国5.76%）",
             "national 2023 (NATIONAL_MARGIN); 假设 assumption: the bounds",
             "全国2023年（NATIONAL_MARGIN）；上下限为假设", scale=0.01),
    Relation("above_scale_firms", "revenue", 1.0, 2.5, 6.0,
             "firm count = revenue / 1-6 亿元 a firm",
             "规上工业企业数 = 营业收入 ÷ 每家 1—6 亿元",
             "假设 assumption: revenue per above-scale firm; no published national count was found",
             "假设：每家规上企业的营业收入；未找到公布的全国数", divide=True),
    # The upper bound is above the highest share on record with room to spare: at 45 % it left Xiamen's 45.1 %
    # (2022 1-7月) outside the prior, so the filter made up a rise from 2018 to 2022 that no figure shows and a
    # steeper, seed-dependent fall after it (tests/test_xiamen_pack.py).
    Relation("high_tech_share", "", 3.0, 15.1, 65.0,
             "high-tech share 3-65 % (nationally 15.1 % in 2020)",
             "高技术制造业占比 3%—65%（2020年全国15.1%）",
             "national 2020 (NATIONAL_HIGH_TECH); 假设 assumption: the bounds (the upper one above Xiamen's 45.1 %)",
             "全国2020年（NATIONAL_HIGH_TECH）；上下限为假设（上限高于厦门的45.1%）"),
)
INDUSTRIAL_VA_TEXT = ("manufacturing VA = industrial VA x (1 - the mining and utilities share, a prior of the "
                      "registry: industry_non_mfg_share)",
                      "制造业增加值 = 工业增加值 × (1 − 采矿业和公用事业占工业比重，"
                      "参数 industry_non_mfg_share 的先验)")
GROWTH_TEXT = ("start-year growth drawn around the long-run rate with the cycle's spread (假设 assumption)",
               "起始年增速：围绕长期增速按周期波动幅度抽取（假设）")
# The figures in the order they are drawn: each relation's basis is drawn (or reported) before it.
ORDER = ("mfg_va", "secondary_industry_va", "revenue", "profit", "above_scale_firms", "high_tech_share")


def relations_used(reported: Mapping[str, float]) -> dict[str, Relation | str]:
    """For each base figure the start year does not report, the relation its prior takes.

    ``reported`` maps the start year's figures (``gdp``, ``mfg_va_share_gdp``, ``industrial_va``, ...) to
    their values (NaN or absent: not reported). Returns figure -> :class:`Relation`, or ``"industrial_va"``
    for manufacturing VA from industrial VA, or ``"reported"``. ``mfg_va`` stands for the manufacturing share.
    """
    known = {k for k, v in reported.items() if v is not None and math.isfinite(v)}
    if "mfg_va_share_gdp" in known:
        known.add("mfg_va")
    used: dict[str, Relation | str] = {}
    for figure in ORDER:
        if figure in known:
            used[figure] = "reported"
            continue
        if figure == "mfg_va" and "industrial_va" in known:
            used[figure] = "industrial_va"
        else:
            used[figure] = next(r for r in BASE_PRIORS if r.figure == figure and (not r.basis or r.basis in known))
        known.add(figure)
    return used


def _manufacturing(reported, used, params, streams, n):
    """Manufacturing VA (亿元, per particle, or a float when reported) as the relation says."""
    how = used["mfg_va"]
    if how == "reported":
        return reported["gdp"] * reported["mfg_va_share_gdp"] / 100.0
    if how == "industrial_va":
        return reported["industrial_va"] * (1.0 - params["industry_non_mfg_share"] / 100.0)
    return how.draw(reported[how.basis], streams, n)


def draw_base(reported: Mapping[str, float], params: Mapping[str, np.ndarray], streams: Streams,
              n: int) -> dict[str, float | np.ndarray]:
    """The start year's base figures, reported ones as given and the others drawn per particle.

    Parameters
    ----------
    reported : Mapping[str, float]
        The start year's figures (亿元, %, firms); NaN where not reported.
    params : Mapping[str, numpy.ndarray]
        The particles' parameters (``industry_non_mfg_share``, %; ``growth_long_run`` and the cycle's).
    streams : Streams
        The filter's streams; each prior draws from ``base_prior/<figure>``.
    n : int
        Number of particles.

    Returns
    -------
    dict
        The base figures of :func:`calibration.smc.initial_state`: a float where reported, else ``(n,)`` draws.
    """
    used = relations_used(reported)
    out = dict(reported)
    values = {"gdp": reported["gdp"], "mfg_va": _manufacturing(reported, used, params, streams, n)}
    for figure in ORDER[1:]:
        how = used[figure]
        values[figure] = reported[figure] if how == "reported" else how.draw(
            values[how.basis] if how.basis else 1.0, streams, n)
        out[figure] = values[figure]
    out["mfg_va_share_gdp"] = 100.0 * values["mfg_va"] / reported["gdp"]
    if not math.isfinite(reported.get("above_scale_va_growth", math.nan)):
        out["above_scale_va_growth"] = _start_growth(params, streams, n)
    return out


def _start_growth(params: Mapping[str, np.ndarray], streams: Streams, n: int) -> np.ndarray:
    """Start-year growth (%) when no source gives it: the long-run rate plus the cycle's stationary spread."""
    phi, sigma = params["growth_persistence"], params["growth_shock_scale"]
    spread = sigma / np.sqrt(np.maximum(1.0 - phi ** 2, 1e-6))
    return params["growth_long_run"] + spread * streams.generator("base_prior/above_scale_va_growth").standard_normal(n)


def central_base(reported: Mapping[str, float], non_mfg_share: float | None = None) -> dict[str, float]:
    """The base figures at each prior's central ratio (floats): for the pre-sample's manufacturing weight.

    ``non_mfg_share`` is the pack's mode of ``industry_non_mfg_share`` [%] (None: the registry's default).
    """
    used = relations_used(reported)
    out = dict(reported)
    how = used["mfg_va"]
    if how == "reported":
        return out
    if how == "industrial_va":  # at the pack's share outside manufacturing (its prior's mode)
        share = parameters()["industry_non_mfg_share"].default if non_mfg_share is None else non_mfg_share
        mfg = reported["industrial_va"] * (1.0 - share / 100.0)
    else:
        mfg = how.central(reported[how.basis])
    out["mfg_va_share_gdp"] = 100.0 * mfg / reported["gdp"]
    return out


def needs_priors(reported: Mapping[str, float]) -> bool:
    """Whether some base figure (or the start year's growth) is not reported and takes a prior."""
    figures = ("mfg_va_share_gdp", *ORDER[1:], "above_scale_va_growth")
    return any(not math.isfinite(reported.get(k, math.nan)) for k in figures)
