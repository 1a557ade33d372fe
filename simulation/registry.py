"""The parameter registry: every lever and uncertainty, declared once.

Sliders, CLI help, scenario validation and sensitivity bounds are all built
from :func:`parameters`. Each entry carries its Chinese and English label, unit,
default, bounds, kind (lever: what the bureau controls; uncertainty: what it
does not), the planner's group it belongs to, a description in English and in Chinese, and its source.

The registry names no city: each default is city-free, from national statistics (URL, publisher, date and
the verbatim clause) or marked ``假设 assumption`` in its source with the reasoning. A city's own values, each
with its source, are in its pack's ``levers.toml`` (``cities/<id>/levers.toml``). A lever that grows with the
size of a city (firms a year, projects a year, service places) has no absolute default: its entry declares a
:class:`Scale` (what it scales with and a reference rate with its source), and a pack without its own value takes
the rate times its calibrated start figure (:func:`growthsim.calibration.city.parameter_values`).
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

Kind = Literal["lever", "uncertainty"]
Group = Literal[
    "firm_upgrades",
    "incremental_projects",
    "tech_renovation",
    "key_firms",
    "economy",
    "shocks",
]
Spread = Literal["none", "triangular", "calibrated"]
Basis = Literal["above_scale_firms"]

GROUP_LABELS: dict[str, tuple[str, str]] = {
    "firm_upgrades": ("小升规", "Firm upgrades"),
    "incremental_projects": ("增量项目", "Incremental projects"),
    "tech_renovation": ("技术改造", "Technical renovation"),
    "key_firms": ("重点企业", "Key firms"),
    "economy": ("经济环境", "Economic environment"),
    "shocks": ("冲击", "Shocks"),
}


class Scale(BaseModel):
    """What a scale-dependent lever grows with: ``rate`` per unit of ``basis``, a start-year figure of the city.

    ``basis`` is a base figure of the calibration (``above_scale_firms``: the above-scale firm count, 家);
    ``unit`` the rate's unit (e.g. 家/家: firm upgrades a year per above-scale firm); ``source`` where the rate
    comes from (URL, publisher, date and quote, or 假设 assumption with the reason).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    basis: Basis
    rate: float
    unit: str
    source: str



class Parameter(BaseModel):
    """One lever or uncertainty of the model.

    ``spread`` says how the Monte Carlo draws vary it: ``none`` (one value for
    all draws, as a lever is set), ``triangular`` (lower, default, upper: a
    prior the data do not narrow) or ``calibrated`` (the calibration's posterior
    draws).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label_zh: str
    label_en: str
    unit: str
    default: float | None = None
    lower: float
    upper: float
    kind: Kind
    group: Group
    integer: bool = False
    spread: Spread = "none"
    # the description in English: another parameter is named by a declared reference, its id in braces
    # ("{downturn_size}"), which the views show as that parameter's name (growthsim.wording.parameter_description)
    description: str
    description_zh: str  # the description in Chinese (the Chinese editor's explanation)
    source: str
    scale: Scale | None = None

    @model_validator(mode="after")
    def _check_bounds(self) -> Parameter:
        if (self.default is None) == (self.scale is None):
            raise ValueError(f"{self.id}: give a default or a scale (a scale-dependent lever), not both")
        if self.default is not None and not self.lower <= self.default <= self.upper:
            raise ValueError(
                f"{self.id}: default {self.default} outside [{self.lower}, {self.upper}]"
            )
        if self.kind == "lever" and self.spread == "triangular":
            raise ValueError(f"{self.id}: a lever is set, not drawn; spread must be none or calibrated")
        return self

    @property
    def step(self) -> float:
        """A slider step: whole numbers for counts, else 1/100 of the range rounded."""
        if self.integer:
            return 1.0
        span = self.upper - self.lower
        for step in (0.001, 0.01, 0.05, 0.1, 0.5, 1.0):
            if span / step <= 400:
                return step
        return 1.0

    def label(self, lang: str = "zh") -> str:
        """The parameter's label in ``lang`` (``zh`` or ``en``)."""
        return self.label_zh if lang == "zh" else self.label_en

    def scaled(self, basis_value: float, rate: float | None = None) -> float:
        """A scale-dependent lever's value for a city whose basis figure is ``basis_value``: ``rate`` (None: the
        scale's reference rate) times it, rounded to the unit and kept within the bounds (a very large city meets
        the upper bound)."""
        x = (self.scale.rate if rate is None else rate) * float(basis_value)
        return min(max(float(round(x)) if self.integer else x, self.lower), self.upper)


_P = Parameter


# The statistics' comparable basis (同口径), which decides what each lever adds to above-scale growth: the
# base of a year's growth is last year's figures of this year's firms (cited by several entries below).
COMPARABLE_BASIS = (
    "国家统计局, 规模以上工业增加值 release for 2022 1-8月 (2022-09, reproduced at "
    "http://bbs.totaleventcreations.com/html/361b3899600.html): "
    "由于规模以上工业企业范围每年发生变化,为保证本年数据与上年可比,"
    "计算产品产量等各项指标同比增长速度所采用的同期数与本期的企业统计范围尽可能相一致 ... "
    "每年有部分企业达到规模纳入调查范围,"
    "也有部分企业因规模变小退出调查范围,还有新建投产企业、破产、注(吊)销企业等影响"
)

_ENTRIES: tuple[dict, ...] = (
    # ---- levers: firm upgrades (小升规) ----
    dict(
        id="upgrade_target", label_zh="小升规目标", label_en="Firm upgrades target",
        unit="家/年", lower=0, upper=1200, kind="lever", group="firm_upgrades",
        integer=True,
        description="Small firms the bureau aims to bring above the revenue threshold each year; "
        "the cultivated pool is this times the pool ratio. Upgrades add to the firm count and to the "
        "above-scale revenue level, not to above-scale growth: growth is "
        "on the comparable basis, whose base holds this year's firms' figures of last year, so an "
        "upgraded firm brings its own base with it.",
        description_zh="市工信局每年力争推动升规纳统的小微企业数；培育库规模为此数乘以培育库倍数。升规企业增加规上企业数和规"
        "上营业收入总量（每家按2000万元门槛计），不增加规上工业增速：增速按同口径计算，同期数包含本期企业"
        "上年的数据，升规企业带着自己的基数进入。",
        source="Scaled with the city's above-scale firm count (scale below); a pack's levers.toml gives the "
        "city's own value. Comparable basis: " + COMPARABLE_BASIS,
        scale=Scale(basis="above_scale_firms", rate=0.111, unit="家/家", source=(
            # the nation's above-scale firms grew 6.1 % net in 2024
            "工业和信息化部 data for 2024 (国务院新闻办 press conference 2025-01-21, reproduced at "
            "https://tqly.totwzx.cn/html/00d19299807.html): 规上工业企业数量达51.2万家,较2023年底增加6.1%. "
            "假设 assumption: upgrades bring in the count's net growth and make up its exits, 6.1 % + exit_rate's "
            "5 % = 11.1 % of the firms a year; incremental projects add to the count beside them.")),
    ),
    dict(
        id="upgrade_pool_ratio", label_zh="培育库倍数", label_en="Candidate pool / target",
        unit="倍", default=1.2, lower=1.0, upper=2.0, kind="lever", group="firm_upgrades",
        description="Size of the candidate pool as a multiple of the year's upgrade target. "
        "The pool is the list the bureau cultivates, not a cap: a firm outside it that passes the threshold "
        "is counted too, so a push that lands well can bring more firms than the pool holds.",
        description_zh="准规上企业培育库的规模，为当年“小升规”目标数的倍数。培育库是重点培育名单而非上限：库外企业跨过门槛"
        "同样纳统（应统尽统），政策落地好的年份升规数可超过库容。",
        source="假设 assumption: a pool a fifth larger than the target, which the realisation rate "
        "(upgrade_realisation_rate) turns into the target on average; no national rule sets it.",
    ),
    dict(
        id="upgrade_realisation_rate", label_zh="培育库升规率", label_en="Pool realisation rate",
        unit="比例", default=round(1 / 1.2, 4), lower=0.3, upper=1.0, kind="lever", group="firm_upgrades",
        description="Share of the candidate pool that crosses the threshold in the year (binomial); where "
        "it times how the push lands exceeds 1, firms outside the pool cross too.",
        description_zh="培育库中当年跨过规上门槛的企业比例（二项分布抽样）；该比例乘以政策落地系数超过1时，库外企业也会升规"
        "。",
        source="derived from upgrade_pool_ratio: a pool of 1.2× the target meets the target on average when "
        "1/1.2 of it upgrades; 假设 assumption that the pool is sized for that.",
    ),
    # ---- levers: incremental projects (增量项目) ----
    dict(
        id="incremental_projects", label_zh="增量项目纳统数", label_en="Incremental projects entering statistics",
        unit="个/年", lower=0, upper=150, kind="lever", group="incremental_projects",
        integer=True,
        description="New industrial projects that start production and enter above-scale statistics each "
        "year (Poisson around this mean); a change takes effect after the project lag. A project enters as a "
        "new firm with no base, so its output is all growth in the statistics (gross, as the bureau books "
        "it); the effect on growth is what is left after displacement ({project_displacement}).",
        description_zh="每年投产并纳入规上统计的新增工业项目数（围绕该均值按泊松分布抽样）；调整后经项目滞后期生效。新项目作"
        "为无基数的新企业纳统，其产出在统计上全部计为增长（毛贡献，即工信局口径）；对增速的影响须扣除挤出部分"
        "（增量项目挤出比例）。",
        source="Scaled with the city's above-scale firm count (scale below); a pack's levers.toml gives the "
        "city's own value.",
        scale=Scale(basis="above_scale_firms", rate=0.01, unit="个/家", source="假设 assumption: one "
              "project entering statistics a year per hundred above-scale firms; no national statistic counts "
              "projects entering above-scale statistics."),
    ),
    dict(
        id="project_full_capacity_output", label_zh="增量项目达产产值", label_en="Project output at full capacity",
        unit="亿元/个", default=3.0, lower=0.5, upper=20.0, kind="uncertainty", group="incremental_projects",
        spread="calibrated",
        description="Average annual output of one incremental project at full capacity, in base-year "
        "prices. The default is fitted by the calibration on the two reported first-year contributions, "
        "which it reads as gross (the bureau's own accounting).",
        description_zh="一个增量项目达产后的年产值（基年价格）。默认值由标定按两次公布的纳统当年贡献（视为毛贡献）拟合得到。",
        source="calibrated on a city's reported first-year contributions of its projects, read as gross; "
        "假设 assumption: the prior's mode, 3 亿元 a year, a project of the 亿元 scale; a record without such "
        "figures keeps the prior.",
    ),
    dict(
        id="project_size_spread", label_zh="项目规模年度波动", label_en="Year-to-year spread of project size",
        unit="对数标准差", default=0.3, lower=0.05, upper=0.8, kind="uncertainty", group="incremental_projects",
        spread="calibrated",
        description="Log standard deviation of a year's average project output around the full-capacity "
        "output: some years bring larger projects.",
        description_zh="某年项目平均达产产值围绕达产产值的对数标准差：有的年份纳统的项目更大。",
        source="calibrated on a city's reported project contributions; prior 假设 assumption.",
    ),
    dict(
        id="project_first_year_ramp", label_zh="纳统当年达产比例", label_en="Share of capacity in the first year",
        unit="比例", default=0.5, lower=0.1, upper=1.0, kind="lever", group="incremental_projects",
        description="Share of full-capacity output a project yields in the year it enters statistics; "
        "full capacity from the next year. The rest is growth the next year (the carry): on the comparable "
        "basis the first year's part-year output is the project's base.",
        description_zh="项目纳统当年达到的产能比例；次年起满产。其余产能在次年计为增长（结转）：按同口径，纳统当年的部分年度"
        "产出就是次年的基数。",
        source="假设 assumption: entry spread evenly over the year gives half a year's output. Carry on the "
        "comparable basis: " + COMPARABLE_BASIS + ".",
    ),
    dict(
        id="project_lag_years", label_zh="增量项目纳统滞后", label_en="Project lag to entering statistics",
        unit="年", default=1, lower=0, upper=3, kind="lever", group="incremental_projects", integer=True,
        description="Years between a change in the project pipeline (the lever's value in a year) and "
        "the projects entering statistics. It holds from the first projected year: the projects entering "
        "statistics before the lag has passed were set in motion before the run, at the baseline's pace.",
        description_zh="项目储备的变化（某年的杠杆取值）到项目纳统之间相隔的年数。从第一个预测年起即生效：滞后期内纳统的项目"
        "在预测开始前已启动，按基准节奏推进。",
        source="假设 assumption: projects signed and started in one year commission the next "
        "(当年签约、当年开工 is the goal bureaus hold up).",
    ),
    dict(
        id="project_displacement", label_zh="增量项目挤出比例", label_en="Displacement by incremental projects",
        unit="比例", default=0.25, lower=0.0, upper=0.6, kind="uncertainty", group="incremental_projects",
        spread="triangular",
        description="Share of incremental projects' gross output (what the bureau books as their contribution) "
        "that replaces output the city's other firms would have made: relocated plants, new plants of "
        "incumbents registered as new firms, local rivals losing orders. The effect on growth, the firm "
        "count aside, is the rest. The record cannot tell it from the growth cycle (three years of project "
        "counts), so the prior stands.",
        description_zh="增量项目毛产出（工信局计入的贡献）中替代本市其他企业本会生产的部分：搬迁工厂、存量企业以新法人新建的"
        "工厂、本地竞争对手减少的订单。对增速的影响为其余部分。已公布数据无法将其与增速周期区分，先验保持不变"
        "（假设）。",
        source="假设 assumption, with no source measuring it: a quarter. Why not 0: a bureau's figure of its "
        "projects' contribution is gross, and incumbents' new plants are among a city's projects. Why the range "
        "starts at 0: a new plant can raise incumbents' output instead "
        "(Greenstone, Hornbeck and Moretti, NBER working paper 13833, 2008, https://www.nber.org/papers/w13833: "
        "Five years after the opening, TFP of incumbent plants in winning counties is 12% higher than TFP of "
        "incumbent plants in losing counties).",
    ),
    # ---- levers: technical renovation (技改) ----
    dict(
        id="tech_renovation_investment_growth", label_zh="技改投资增速",
         label_en="Technical-renovation investment growth",
        unit="%", default=8.0, lower=-20.0, upper=40.0, kind="lever", group="tech_renovation",
        description="Annual nominal growth of manufacturing technical-renovation investment.",
        description_zh="制造业技改投资的年名义增速。",
        source="国家统计局 (新闻发言人付凌晖, 国务院新闻办 press conference 2025-03-17; 人民网, reproduced at "
        "http://ayzwhls.com/news/hgxx/57491.htm): 前兩個(gè)月,制造業(yè)技改投資同比增長10%,"
        "增速比上年全年加快2個(gè)百分點(diǎn) "
        "— the nation's manufacturing renovation investment grew 10 - 2 = 8 % in 2024.",
    ),
    dict(
        id="new_capacity_investment_growth", label_zh="其他工业投资增速", label_en="Other industrial investment growth",
        unit="%", default=9.3, lower=-20.0, upper=40.0, kind="lever", group="tech_renovation",
        description="Annual nominal growth of industrial investment other than technical renovation "
        "(new capacity).",
        description_zh="技改以外工业投资（新增产能）的年名义增速。",
        source="国家统计局 (新闻发言人刘爱华, 国务院新闻办 press conference 2024-08-15; 人民网, reproduced at "
        "http://admin.richbox.biz:80/bjcs3.aspx?TP4=jk.html): 1-7月份,制造业投资同比增长9.3%. 假设 assumption: "
        "investment other than renovation grows as all manufacturing investment does.",
    ),
    # ---- levers: key firms (倍增企业) and closures ----
    dict(
        id="key_firm_growth", label_zh="倍增企业增速", label_en="Key doubling firms' growth",
        unit="%", default=14.9, lower=-10.0, upper=30.0, kind="lever", group="key_firms",
        description="Real output growth of the key cultivated firms; their base-year share of "
        "above-scale revenue is {key_firm_base_share}. Growth above the pack's value adds to above-scale growth.",
        description_zh="倍增培育企业的实际产出增速；其基年营收占比见“倍增企业营收占比(基年)”。高于数据包取值的部分计入规上工业增速。",
        source="假设 assumption: a doubling plan doubles its firms' output within a five-year plan: "
        "2^(1/5) - 1 = 14.9 % a year.",
    ),
    dict(
        id="key_firm_base_share", label_zh="倍增企业营收占比(基年)", label_en="Key firms' share of revenue (base year)",
        unit="%", default=15.0, lower=5.0, upper=40.0, kind="uncertainty", group="key_firms",
        description="Share of above-scale revenue earned by the key cultivated firms in the base year; "
        "derived by the calibration where the data allow.",
        description_zh="基年倍增培育企业营业收入占规上工业营业收入的比重；数据允许时由标定推算。",
        source="假设 assumption: a cultivated list of about a hundred of a city's larger firms earns about a sixth "
        "of above-scale revenue; it acts only where key_firm_growth departs from the pack's default.",
    ),
    dict(
        id="policy_closures", label_zh="政策性关闭退出", label_en="Policy-driven closures",
        unit="家/年", default=0, lower=0, upper=300, kind="lever", group="key_firms", integer=True,
        description="Above-scale firms closed or moved out by policy each year, on top of ordinary exits.",
        description_zh="每年因政策关闭或迁出的规上企业数，另加一般退出。",
        source="假设 assumption: none in the baseline (a closure programme is a one-off batch a scenario sets).",
    ),
    # ---- uncertainties: growth dynamics (calibrated on the whole record) ----
    dict(
        id="growth_long_run", label_zh="规上工业长期增速", label_en="Long-run above-scale VA growth",
        unit="%", default=5.2, lower=2.0, upper=10.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="The rate above-scale industrial VA growth reverts to, with every lever at its baseline "
        "value. The prior is triangular on the bounds around the default; the record narrows it.",
        description_zh="各政策杠杆取基准值时，规上工业增加值增速回归的长期水平。先验为以默认值为中心、以上下限为端点的三角分"
        "布，由已公布数据收窄。",
        source="calibrated on a city's reported growth; prior centre: the nation's above-scale growth, 4.6 % in 2023 "
        "(人民日报, 国务院新闻办 press conference 2024-01-19, reproduced at "
        "http://sm.enjoyage.com/meeting/?cl=g0RLp.html: 2023年规模以上工业增加值同比增长4.6%) and 5.8 % in 2024 "
        "(工业和信息化部 data, 国务院新闻办 press conference 2025-01-21, reproduced at "
        "https://tqly.totwzx.cn/html/00d19299807.html: 规上工业增加值同比增加5.8%,较2023年进步1.2个百分点): their mean "
        "5.2; 假设 assumption for the spread.",
    ),
    dict(
        id="growth_persistence", label_zh="增速偏离持续性", label_en="Persistence of growth deviations",
        unit="比例", default=0.3, lower=0.0, upper=0.9, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of this year's deviation from the long-run rate carried into next year (AR(1)).",
        description_zh="当年增速对长期水平的偏离延续到下一年的比例（一阶自回归）。",
        source="calibrated on the reported growth 2016-2025; 假设 assumption: the prior spans no persistence "
        "to strong persistence.",
    ),
    dict(
        id="growth_shock_scale", label_zh="增速年度冲击", label_en="Year-to-year growth shock",
        unit="百分点", default=1.5, lower=0.5, upper=4.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Standard deviation of the yearly growth shock outside downturns; shocks are Student-t "
        "with 4 degrees of freedom (fat tails).",
        description_zh="非下行年份增速年度冲击的标准差；冲击服从自由度为4的t分布（厚尾）。",
        source="calibrated on a city's reported growth; 假设 assumption: t with 4 degrees of freedom, and the "
        "prior: its mode 1.5 puts the prior's whole year-to-year spread (with downturn years and how a push lands) at "
        "about 1.9 points.",
    ),
    dict(
        id="downturn_probability", label_zh="下行年份概率", label_en="Probability of a downturn year",
        unit="比例", default=0.15, lower=0.0, upper=0.4, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Yearly probability of a downturn (as 2020 and 2022), which takes {downturn_size} off "
        "above-scale growth and {rest_downturn_size} off growth outside manufacturing, on top of the ordinary "
        "shocks.",
        description_zh="每年出现下行年份（如2020年、2022年）的概率；下行年份在一般冲击之外，规上工业增速再减去“下行"
        "年份额外降幅”，制造业以外增速再减去“制造业以外下行年份降幅”。",
        source="calibrated on a city's reported growth; prior centre: the nation's two downturn years (2020 and "
        "2022, the pandemic years) in ten (假设 assumption for the spread).",
    ),
    dict(
        id="downturn_size", label_zh="下行年份额外降幅", label_en="Extra growth lost in a downturn year",
        unit="百分点", default=3.0, lower=0.0, upper=8.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Points of growth a downturn year loses beyond the ordinary shock (the shock is centred, "
        "so the long-run rate stays the mean).",
        description_zh="下行年份在一般冲击之外损失的增速百分点（冲击已中心化，长期水平仍是均值）。",
        source="calibrated on a city's reported growth; 假设 assumption: the prior's mode, a downturn year losing "
        "about half of an ordinary year's growth (3 of some 6 points).",
    ),
    dict(
        id="growth_target_pull", label_zh="年度目标牵引", label_en="Pull of the year's announced target",
        unit="比例", default=0.3, lower=0.0, upper=1.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of the gap between the year's announced above-scale growth target (the spring "
        "work report or the bureau's plan, known with the previous year's figures) and the model's "
        "expected growth that the year closes; 0 in years without an announced target. The push behind "
        "a target (the bureau's campaigns) is what it stands for.",
        description_zh="当年公布了规上工业增速目标（春季政府工作报告或工信局计划，与上年数据同时公布）时，增速从模型预期向目"
        "标靠拢的比例；没有公布目标的年份为0。它代表目标背后的推动力度（市工信局的专项行动）。",
        source="calibrated on the years of a city's record with both an announced target and a result; "
        "假设 assumption: the prior, from no pull to closing the whole gap, centred low.",
    ),
    dict(
        id="exit_rate", label_zh="规上企业退出率", label_en="Exit rate of above-scale firms",
        unit="%", default=5.0, lower=2.0, upper=10.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of above-scale firms leaving each year (closure, relocation, falling below "
        "the threshold); binomial. Narrowed where a firm count is reported.",
        description_zh="每年退出规上的企业比例（关闭、迁出或跌破门槛），二项分布抽样；有已公布的企业数时由其收窄。",
        source="假设 assumption: no source gives exits; the range brackets ordinary threshold churn.",
    ),
    dict(
        id="count_cycle_elasticity", label_zh="项目与升规随周期变动", label_en="Counts' response to the cycle",
        unit="%/百分点", default=5.0, lower=0.0, upper=15.0, kind="uncertainty", group="economy",
        spread="triangular",
        description="Per cent more upgrades and projects entering statistics per point of last year's growth "
        "above its long-run rate.",
        description_zh="上年增速每高于长期水平1个百分点，当年升规企业数和纳统项目数多出的百分比。",
        source="假设 assumption: no source measures it; more firms cross the threshold in good years.",
    ),
    dict(
        id="lever_landing_spread", label_zh="政策落地波动", label_en="Spread of how a push lands",
        unit="对数标准差", default=0.3, lower=0.05, upper=0.8, kind="uncertainty", group="economy",
        description="Log standard deviation of a year's realised upgrades or projects around the lever's "
        "centre (beyond counting noise).",
        description_zh="某年实际升规企业数或纳统项目数围绕杠杆设定值的对数标准差（计数噪声以外）。",
        source="假设 assumption: a year's realised upgrades or projects within about a third of the aim (log sd "
        "0.3); a city's targets against its results give its own value.",
    ),
    # ---- uncertainties: the rest of the economy and prices ----
    dict(
        id="non_mfg_gdp_real_growth", label_zh="制造业以外GDP趋势增速(起始年)",
        label_en="Trend real growth outside manufacturing (start year)",
        unit="%", default=6.0, lower=3.0, upper=9.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Trend (potential) real growth of value added outside manufacturing (services, agriculture, "
        "construction, non-manufacturing industry) in the filter's start year (2020); the trend then declines each "
        "year by the {non_mfg_trend_decline} and moves with the permanent part of each year's shock.",
        description_zh="制造业以外增加值（服务业、农业、建筑业、非制造业工业）2020年的趋势（潜在）实际增速；此后每年下降"
        "“趋势增速年降幅”，并随每年冲击中的趋势部分永久变动。",
        source="calibrated on a city's reported real GDP growth; prior 假设 assumption: centred at 6 %, about "
        "the pace of growth before 2020.",
    ),
    dict(
        id="non_mfg_trend_decline", label_zh="制造业以外趋势增速年降幅",
        label_en="Yearly decline of trend growth outside manufacturing",
        unit="百分点/年", default=0.1, lower=0.0, upper=0.4, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Points by which trend growth outside manufacturing falls each year (potential growth "
        "declining as the economy matures).",
        description_zh="制造业以外趋势增速每年下降的百分点（经济成熟、潜在增速下行）。",
        source="calibrated on a city's reported real GDP growth; prior 假设 assumption: potential growth falling "
        "by about a point a decade, and the bounds.",
    ),
    dict(
        id="non_mfg_trend_share", label_zh="冲击中趋势部分占比",
        label_en="Share of a shock that moves the trend outside manufacturing",
        unit="比例", default=0.7, lower=0.0, upper=1.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of an ordinary year's shock to growth outside manufacturing that moves its trend "
        "for good; the rest opens a level gap that closes later. A downturn year's loss is all gap (made up "
        "later, as after 2020).",
        description_zh="普通年份冲击中永久改变制造业以外趋势增速的比例；其余形成日后弥合的水平缺口。下行年份的损失全部为缺口"
        "（如2020年后得到弥补）。",
        source="calibrated on reported real GDP growth 2015-2025; 假设 assumption: the prior, centred on a weak "
        "ordinary year being mostly trend.",
    ),
    dict(
        id="non_mfg_growth_persistence", label_zh="制造业以外产出缺口持续性",
         label_en="Persistence of the output gap outside manufacturing",
        unit="比例", default=0.5, lower=0.0, upper=0.9, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of the level gap of output outside manufacturing (its points off the trend path) "
        "still open a year later; growth is the trend plus the gap's change.",
        description_zh="制造业以外产出偏离趋势路径的缺口（百分点）一年后仍未弥合的比例；增速等于趋势增速加缺口的变化。",
        source="calibrated on reported real GDP growth 2021-2025; prior 假设 assumption.",
    ),
    dict(
        id="non_mfg_growth_volatility", label_zh="制造业以外增速波动",
         label_en="Volatility of growth outside manufacturing",
        unit="百分点", default=1.3, lower=0.2, upper=3.5, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Standard deviation of the yearly real growth shock outside manufacturing, beyond a "
        "downturn year's loss ({rest_downturn_size}); part of it moves the trend (the {non_mfg_trend_share}), "
        "the rest the level gap.",
        description_zh="制造业以外实际增速普通年度冲击（下行年份之外）的标准差，含趋势部分与缺口部分。",
        source="calibrated on a city's reported real GDP growth and its year-to-year changes; 假设 "
        "assumption: the prior, whose mode 1.3 with a downturn term keeps the prior's whole spread at about 1.5 "
        "points.",
    ),
    dict(
        id="rest_downturn_size", label_zh="制造业以外下行年份降幅",
         label_en="Growth lost outside manufacturing in a downturn year",
        unit="百分点", default=1.5, lower=0.0, upper=5.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Points of real growth outside manufacturing lost in a downturn year (a year that "
        "also hits industry; its chance is the {downturn_probability}), beyond the ordinary shock; centred, so "
        "the long-run rate stays the mean.",
        description_zh="下行年份（与工业同一年）制造业以外实际增速在一般冲击之外损失的百分点（已中心化）。",
        source="calibrated on a city's reported real GDP growth in downturn years; 假设 assumption: one "
        "downturn indicator for industry and the rest of the economy, and the prior.",
    ),
    dict(
        id="price_level_growth", label_zh="制造业以外价格涨幅", label_en="Price growth outside manufacturing",
        unit="%", default=1.5, lower=-1.0, upper=4.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Mean growth of the deflator of value added outside manufacturing.",
        description_zh="制造业以外增加值平减指数的平均涨幅；把实际增速换算为现价。",
        source="calibrated on reported nominal and real GDP 2021-2025; prior 假设 assumption.",
    ),
    dict(
        id="price_level_persistence", label_zh="制造业以外价格持续性",
        label_en="Persistence of prices outside manufacturing",
        unit="比例", default=0.5, lower=0.0, upper=0.9, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of this year's deflator growth outside manufacturing above or below its mean (beyond "
        "what producer prices pass on) carried into next year (AR(1)): a projection starts from the recent "
        "years' prices.",
        description_zh="制造业以外平减指数涨幅偏离均值（出厂价格传导之外）的部分延续到下一年的比例（一阶自回归）：预测从近年"
        "价格出发。",
        source="calibrated on reported nominal and real GDP 2015-2025; prior 假设 assumption.",
    ),
    dict(
        id="price_level_volatility", label_zh="制造业以外价格波动",
         label_en="Volatility of prices outside manufacturing",
        unit="百分点", default=1.0, lower=0.2, upper=3.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Standard deviation of the yearly deflator growth outside manufacturing.",
        description_zh="制造业以外平减指数年涨幅的标准差。",
        source="calibrated on reported nominal and real GDP 2021-2025; prior 假设 assumption.",
    ),
    dict(
        id="rest_price_ppi_passthrough", label_zh="出厂价格对其他行业价格的传导",
         label_en="PPI pass-through to prices outside manufacturing",
        unit="比例", default=0.2, lower=0.0, upper=0.6, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Points of deflator growth outside manufacturing per point of national PPI above its long-run "
        "rate (construction, utilities and trade price from the same inputs).",
        description_zh="全国工业生产者出厂价格涨幅每高于其长期水平1个百分点，制造业以外（建筑业、公用事业、商贸等）价格指数"
        "多涨的百分点。",
        source="calibrated on reported nominal and real GDP 2021-2025 with national PPI (2021: 8.1%, 2023: -3.0%); "
        "prior 假设 assumption.",
    ),
    dict(
        id="ppi_long_run", label_zh="工业品出厂价格长期涨幅", label_en="Long-run producer-price growth",
        unit="%", default=0.5, lower=-2.0, upper=3.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="The national producer price index (PPI) change that yearly PPI reverts to.",
        description_zh="全国工业生产者出厂价格指数（PPI）年涨幅回归的长期水平。",
        source="calibrated on reported national PPI (calibration/reported_figures.csv, ppi_national); prior "
        "假设 assumption.",
    ),
    dict(
        id="ppi_persistence", label_zh="出厂价格持续性", label_en="Producer-price persistence",
        unit="比例", default=0.4, lower=0.0, upper=0.9, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of this year's PPI deviation carried into next year (AR(1)).",
        description_zh="PPI当年偏离延续到下一年的比例（一阶自回归）。",
        source="calibrated on reported national PPI; prior 假设 assumption.",
    ),
    dict(
        id="ppi_shock_scale", label_zh="出厂价格冲击", label_en="Producer-price shock",
        unit="百分点", default=3.0, lower=0.5, upper=6.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Standard deviation of the yearly PPI shock.",
        description_zh="PPI年度冲击的标准差。",
        source="calibrated on reported national PPI (e.g. 2023: 工业生产者出厂价格比上年下降3.0%); prior 假设 "
               "assumption.",
    ),
    dict(
        id="mfg_price_ppi_passthrough", label_zh="出厂价格传导系数",
         label_en="PPI pass-through to manufacturing VA prices",
        unit="比例", default=0.5, lower=0.0, upper=1.0, kind="uncertainty", group="economy",
        spread="triangular",
        description="Points of manufacturing VA deflator growth per point of PPI change.",
        description_zh="PPI每变动1个百分点，制造业增加值平减指数变动的百分点数。",
        source="假设 assumption: value added moves less than gross output prices, since input prices move too.",
    ),
    dict(
        id="mfg_relative_price_drift", label_zh="制造业价格基础涨幅", label_en="Manufacturing price drift",
        unit="%", default=0.0, lower=-3.0, upper=3.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Mean growth of the manufacturing VA deflator apart from the PPI pass-through.",
        description_zh="制造业增加值平减指数在PPI传导之外的平均涨幅；占比按现价计算，因此会改变占比。",
        source="calibrated on reported secondary-industry VA and GDP; prior 假设 assumption.",
    ),
    dict(
        id="mfg_price_volatility", label_zh="制造业价格波动", label_en="Manufacturing price volatility",
        unit="百分点", default=1.0, lower=0.2, upper=3.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Standard deviation of the yearly manufacturing deflator growth beyond the PPI pass-through.",
        description_zh="制造业平减指数在PPI传导之外年涨幅的标准差。",
        source="calibrated on reported secondary-industry VA and GDP; prior 假设 assumption.",
    ),
    dict(
        id="secondary_ratio_volatility", label_zh="二产与制造业比值波动",
         label_en="Drift of secondary industry / manufacturing",
        unit="对数标准差", default=0.02, lower=0.005, upper=0.06, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Yearly log standard deviation of the ratio of secondary-industry VA to manufacturing VA "
        "(construction and utilities move apart from manufacturing); reported secondary VA then bounds the "
        "manufacturing share.",
        description_zh="第二产业增加值与制造业增加值之比每年的对数标准差（建筑业、水电燃气与制造业走势不同）；已公布的二产增"
        "加值因此约束制造业占比。",
        source="calibrated on a city's reported secondary-industry VA; the base ratio from its start "
        "year's figures; prior 假设 assumption.",
    ),
    dict(
        id="industry_non_mfg_share", label_zh="采矿业和公用事业占工业比重",
        label_en="Mining and utilities share of industry",
        unit="%", default=15.0, lower=2.0, upper=15.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of industrial value added outside manufacturing: mining and electricity, "
        "heat, gas and water. Manufacturing VA is industrial VA times (1 - this share), so it never exceeds "
        "industrial VA; a reported industrial VA bounds the manufacturing share. It acts on the filtered history "
        "only (industrial VA is not projected).",
        description_zh="全部工业增加值中制造业以外（采矿业，电力、热力、燃气及水生产和供应业）的比重。制造业增加值等于工业增"
        "加值乘以（1 − 该比重），不会超过工业增加值；已公布的工业增加值据此约束制造业占比。只影响历史滤波"
        "。",
        source="calibrated on a city's reported industrial VA; prior mode: the nation's share in 2020, "
        "(31.3 - 26.6)/31.3 = 15.0 % (中国化工信息网, reporting 国务院新闻办 press conference 2025-09-09, "
        "工业和信息化部部长李乐成, http://meihua365.ccin.com.cn/detail/ee12847d8d0cd03d2b4ab08131b10ca7: "
        "2020—2024年,我国全部工业增加值从31.3万亿元增长到了40.5万亿元,制造业增加值从26.6万亿元增长到了33.6万亿元), "
        "also the upper bound (17.0 % in 2024 lies above it); 假设 assumption: the prior's shape.",
    ),
    dict(
        id="mfg_growth_gap_sd", label_zh="制造业与规上工业增速差", label_en="Manufacturing vs above-scale growth gap",
        unit="百分点", default=0.5, lower=0.0, upper=2.0, kind="uncertainty", group="economy",
        spread="triangular",
        description="Standard deviation of the yearly gap between manufacturing VA growth and above-scale "
        "industrial VA growth (mining and utilities move apart).",
        description_zh="制造业增加值增速与规上工业增加值增速年度差距的标准差（采矿业、水电燃气走势不同）。",
        source="假设 assumption: half a point; mining and utilities are a small part of industry.",
    ),
    dict(
        id="va_ratio_volatility", label_zh="增加值率波动", label_en="Drift of the VA / revenue ratio",
        unit="对数标准差", default=0.02, lower=0.0, upper=0.05, kind="uncertainty", group="economy",
        spread="triangular",
        description="Yearly log standard deviation of the ratio of value added to revenue, which links "
        "revenue and profit to value added.",
        description_zh="增加值与营业收入之比每年的对数标准差；该比值把营业收入、利润与增加值联系起来。",
        source="假设 assumption: no source reports the ratio after 2020.",
    ),
    dict(
        id="high_tech_growth_premium", label_zh="高技术制造业增速差", label_en="High-tech growth premium",
        unit="%", default=2.3, lower=0.0, upper=20.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Mean real growth premium of high-tech manufacturing over the rest of above-scale industry "
        "(relative growth); the share's odds grow by it times the relative price change.",
        description_zh="高技术制造业实际增速高于其他规上工业的平均幅度（相对增速）。",
        source="calibrated on a city's reported high-tech growth; prior centre derived from the nation's "
        "high-tech share, 15.1 % in 2020 (洛阳日报 reproducing 新华社, 2021-09-14, "
        "http://lyrb.lyd.com.cn/html2/2021-09/14/content_279226.htm: "
        "高技术制造业占规模以上工业增加值比重从2012年的9.4%提高到2020年的15.1%) and 16.3 % in 2024 "
        "(中国化工信息网, 2025-09-09, http://meihua365.ccin.com.cn/detail/ee12847d8d0cd03d2b4ab08131b10ca7: "
        "高技术制造业增加值分别年均增长7.9%和8.7%,占规上工业比重分别提升到34.6%和16.3%): the odds grew by "
        "ln((16.3/83.7)/(15.1/84.9))/4 = 2.3 % a year (假设 assumption: no relative price change).",
    ),
    dict(
        id="high_tech_relative_price_drift", label_zh="高技术制造业相对价格年变动",
        label_en="High-tech relative price change",
        unit="%", default=0.0, lower=-12.0, upper=4.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Yearly change of high-tech manufacturing's value-added prices against the rest of "
        "above-scale industry (and any drift of its scope). The high-tech share is in current prices: its odds "
        "grow by the real growth premium times this relative price.",
        description_zh="高技术制造业增加值价格相对其余规上工业的年变动（及口径变化）。高技术占比按现价计算，其几率每年按实际"
        "增速差乘以该相对价格变动。",
        source="calibrated on a city's reported high-tech share with its real growth; 假设 assumption: "
        "the prior, centred on no change: nationally the share rose from 15.1 % (2020) to 16.3 % (2024) while "
        "high-tech VA grew 8.7 % a year (see high_tech_growth_premium), about what real growth alone gives.",
    ),
    dict(
        id="high_tech_premium_volatility", label_zh="高技术增速差波动", label_en="Volatility of the high-tech premium",
        unit="百分点", default=4.0, lower=0.5, upper=10.0, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Standard deviation of the yearly high-tech growth premium about its mean (its stationary "
        "spread: a year's own shock is this times the square root of 1 less the squared "
        "{high_tech_premium_persistence}).",
        description_zh="高技术制造业年度增速差围绕其均值的标准差（平稳分布的离散度；当年冲击为其乘以1减持续性平方的平方根）。",
        source="calibrated on reported high-tech manufacturing growth; prior 假设 assumption.",
    ),
    dict(
        id="high_tech_premium_persistence", label_zh="高技术增速差持续性",
        label_en="Persistence of the high-tech premium",
        unit="比例", default=0.5, lower=0.0, upper=0.9, kind="uncertainty", group="economy",
        spread="calibrated",
        description="Share of this year's high-tech premium above or below its mean carried into next year "
        "(AR(1)): a burst of high-tech growth fades over a few years instead of lifting the mean for good, and a "
        "projection starts from the recent years' premium.",
        description_zh="当年高技术制造业增速差偏离其均值的部分延续到下一年的比例（一阶自回归）：高技术增速的阶段性跃升逐年"
        "消退而非永久抬高均值，预测从近年的增速差出发。",
        source="calibrated on reported high-tech manufacturing growth and the 十四五 five-year average; 假设 "
        "assumption: the prior, triangular on no persistence to strong persistence with mode 0.5 (as the other "
        "persistences' priors; no source measures it).",
    ),
    dict(
        id="profit_margin_drift", label_zh="利润率年变动", label_en="Profit margin drift",
        unit="百分点", default=0.0, lower=-0.3, upper=0.3, kind="uncertainty", group="economy",
        spread="triangular",
        description="Yearly change of above-scale firms' profit margin.",
        description_zh="规上工业企业营业收入利润率的年变动。",
        source="假设 assumption: no source gives a trend.",
    ),
    dict(
        id="tech_renovation_share_base", label_zh="技改投资占工业投资比重(基年)",
        label_en="Renovation share of industrial investment (base year)",
        unit="%", default=40.0, lower=25.0, upper=60.0, kind="uncertainty", group="economy",
        spread="triangular",
        description="Technical renovation's share of industrial investment in 2020; no source "
        "gives it, so it is drawn from this range.",
        description_zh="基年技改投资占工业投资的比重；没有来源给出，因此在此范围内抽样。",
        source="假设 assumption: renovation about two fifths of industrial investment; no source gives a "
        "city's base.",
    ),
    dict(
        id="tech_renovation_productivity_effect", label_zh="技改存量产出弹性",
         label_en="Output elasticity of renovation stock",
        unit="比例", default=0.1, lower=0.0, upper=0.3, kind="uncertainty", group="tech_renovation",
        spread="triangular",
        description="Per cent more above-scale output per per cent more completed renovation stock than the "
        "baseline path gives (the stock: last year's renovation investment plus the depreciated stock).",
        description_zh="技改存量比基准路径每多1%，规上产出多出的百分比（技改存量：上年技改投资加折旧后的存量）。",
        source="假设 assumption: no source measures the effect.",
    ),
    dict(
        id="renovation_depreciation", label_zh="技改存量折旧率", label_en="Depreciation of the renovation stock",
        unit="比例", default=0.1, lower=0.03, upper=0.25, kind="uncertainty", group="tech_renovation",
        description="Share of the completed renovation stock that wears out each year.",
        description_zh="已竣工技改存量每年损耗的比例。",
        source="假设 assumption: equipment lives of about ten years.",
    ),
    dict(
        id="key_firm_growth_fade", label_zh="倍增企业超额增速保持", label_en="Key firms' extra growth kept each year",
        unit="比例", default=0.5, lower=0.0, upper=1.0, kind="uncertainty", group="key_firms",
        spread="triangular",
        description="Share of the key firms' growth above the baseline that is kept from one year to the next: "
        "their growth fades toward the incumbents' rate.",
        description_zh="倍增企业高于基准的增速逐年保留的比例：其增速向存量企业的增速回落。",
        source="假设 assumption: doubling plans are multi-year pushes that fade.",
    ),
    # ---- uncertainties: shocks ----
    dict(
        id="demand_shock_size", label_zh="需求冲击幅度", label_en="Demand shock size",
        unit="%", default=0.0, lower=0.0, upper=15.0, kind="uncertainty", group="shocks",
        description="Output lost in the shock year, as a share of above-scale output.",
        description_zh="冲击当年损失的产出占规上工业产出的比例。",
        source="MODEL.md: Demand shocks of a given size and year (2022 was one); size is a scenario assumption.",
    ),
    dict(
        id="demand_shock_year", label_zh="需求冲击年份", label_en="Demand shock year",
        unit="年", default=2027, lower=2021, upper=2035, kind="uncertainty", group="shocks", integer=True,
        description="Year in which the demand shock hits.",
        description_zh="需求冲击发生的年份。",
        source="MODEL.md: Demand shocks of a given size and year (2022 was one)",
    ),
    dict(
        id="demand_shock_recovery", label_zh="冲击次年恢复比例", label_en="Shock recovery per year",
        unit="比例", default=0.5, lower=0.0, upper=1.0, kind="uncertainty", group="shocks",
        description="Share of the remaining output loss recovered each year after the shock.",
        description_zh="冲击之后每年收回剩余产出损失的比例。",
        source="假设 assumption: half the loss made good each year.",
    ),
    # ---- event engine (项目管线, simulation/events.py): stages, stalls, the 帮包 service ----
    dict(
        id="project_stall_probability", label_zh="项目停滞概率", label_en="Probability a project stalls",
        unit="比例", default=0.1, lower=0.0, upper=0.5, kind="uncertainty", group="incremental_projects",
        description="Probability that a signed project stalls before completion (in preparation or in "
        "construction, equally likely in each) and leaves the project library (event engine).",
        description_zh="已签约项目在竣工前停滞（前期或在建阶段各占一半）并退出项目库的概率（事件模型）。",
        source="假设 assumption: no source reports stalled projects. Given this value the stage lengths are "
        "calibrated on a city's project library (see incremental_build_years).",
    ),
    dict(
        id="project_schedule_slip", label_zh="工期延误率", label_en="Schedule slip",
        unit="比例", default=0.25, lower=0.0, upper=1.5, kind="uncertainty", group="incremental_projects",
        description="Mean overrun of a stage over its planned length: a stage takes planned × (1 + slip × E), "
        "E exponential with mean 1. With 0 every project keeps its plan (event engine).",
        description_zh="各阶段相对计划工期的平均超期：阶段用时 = 计划 ×(1 + 延误率 × E)，E 为均值1的指数分"
        "布。为0时每个项目按计划推进（事件模型）。",
        source="假设 assumption: no source measures overruns; bureaus hold up 当年签约、当年开工 as an "
        "achievement, so stages usually run late.",
    ),
    dict(
        id="project_signing_to_start_years", label_zh="签约至开工(计划)", label_en="Planned signing to start",
        unit="年", default=0.5, lower=0.05, upper=2.0, kind="uncertainty", group="incremental_projects",
        description="Planned time from signing to the start of construction (event engine; a listed project "
        "that is only signed uses it to scale its slip).",
        description_zh="从签约到开工的计划时长（事件模型；仅签约的清单项目用它折算延误）。",
        source="假设 assumption: 当年签约、当年开工 (signed and started in the same year) is the goal "
        "bureaus hold up; half a year is its midpoint.",
    ),
    dict(
        id="incremental_build_years", label_zh="增量项目建设期(计划)", label_en="Planned construction, incremental",
        unit="年", default=2.0, lower=0.25, upper=5.0, kind="uncertainty", group="incremental_projects",
        description="Planned start-to-completion time of an incremental project (event engine). Calibrated "
        "so that the library turns over as the city's key projects did, given stalls, slip and signing time.",
        description_zh="增量项目从开工到竣工的计划时长（事件模型），按本市重点项目库的周转标定，已考虑停滞、延误和签约"
        "时间。",
        source="假设 assumption: a new plant takes about two years to build; a city's key-project library "
        "(completions against projects in progress) calibrates it (simulation/events.py calibrate_build_years).",
    ),
    dict(
        id="renovation_build_years", label_zh="技改项目建设期(计划)", label_en="Planned construction, renovation",
        unit="年", default=1.0, lower=0.1, upper=4.0, kind="uncertainty", group="tech_renovation",
        description="Planned start-to-completion time of a technical-renovation project (event engine), "
        "calibrated on the city's renovation library.",
        description_zh="技改项目从开工到竣工的计划时长（事件模型），按本市技改项目库标定。",
        source="假设 assumption: renovating a running plant takes about a year; a city's renovation library "
        "calibrates it (simulation/events.py calibrate_build_years).",
    ),
    dict(
        id="project_commissioning_years", label_zh="竣工至投产", label_en="Completion to commissioning",
        unit="年", default=0.25, lower=0.0, upper=1.5, kind="uncertainty", group="incremental_projects",
        description="Planned time from completion to commissioning (trial production), for served projects "
        "(event engine).",
        description_zh="接受帮包服务的项目从竣工到投产（试生产）的计划时长（事件模型）。",
        source="假设 assumption: two to three months of trial production.",
    ),
    dict(
        id="project_statistics_years", label_zh="投产至纳统", label_en="Commissioning to entering statistics",
        unit="年", default=0.25, lower=0.0, upper=1.5, kind="uncertainty", group="incremental_projects",
        description="Planned time from commissioning to entering above-scale statistics, for served "
        "incremental projects (event engine).",
        description_zh="接受帮包服务的增量项目从投产到纳入规上统计的计划时长（事件模型）。",
        source="假设 assumption: a quarter from commissioning to entering statistics (reaching the threshold "
        "and filing with the statistics bureau).",
    ),
    dict(
        id="renovation_projects_completed", label_zh="重点技改项目竣工数", label_en="Renovation projects completed",
        unit="个/年", lower=0, upper=1000, kind="lever", group="tech_renovation", integer=True,
        description="Key technical-renovation projects completed a year at the start's investment level (event "
        "engine): new projects are signed at this rate / (1 - stall probability), scaled by the renovation-"
        "investment index since the first projected year.",
        description_zh="按起始投资水平每年竣工的重点技改项目数（事件模型）：新项目按此数 ÷（1 − 停滞概率）签约，"
        "并随首个预测年以来的技改投资指数缩放。",
        source="Scaled with the city's above-scale firm count (scale below); a pack's levers.toml gives "
        "the city's own value.",
        scale=Scale(basis="above_scale_firms", rate=0.05, unit="个/家", source="假设 assumption: "
              "one key renovation project completed a year per twenty above-scale firms: equipment lives of about ten "
              "years (renovation_depreciation) with about half the renovation done in key listed projects."),
    ),
    dict(
        id="service_capacity", label_zh="帮包服务容量", label_en="One-to-one service capacity",
        unit="家", lower=1, upper=10000, kind="lever", group="incremental_projects", integer=True,
        description="Firms the three-level one-to-one service follows at once (event engine). A project above the "
        "threshold asks for a place on completion and keeps it until it enters statistics; when"
        " every place is taken it queues and proceeds more slowly.",
        description_zh="市—区（市）—镇（街道）三级帮包服务可同时跟踪的企业数（事件模型）。达到门槛的项目竣工时申请名额，保"
        "留到纳统（技改项目到投产）；名额用尽时排队，进度放慢。",
        source="Scaled with the city's above-scale firm count (scale below); a pack's levers.toml gives the "
        "city's own value.",
        scale=Scale(basis="above_scale_firms", rate=0.02, unit="家/家", source="假设 assumption: places for "
              "about two years of incremental projects (one per hundred firms a year, incremental_projects' rate)."),
    ),
    dict(
        id="service_output_threshold", label_zh="帮包服务门槛", label_en="Service threshold (new output)",
        unit="亿元", default=1.0, lower=0.0, upper=50.0, kind="lever", group="incremental_projects",
        description="Projects adding at least this much output a year need a place in the one-to-one service; "
        "smaller ones are followed at town level without a capacity limit (event engine).",
        description_zh="年新增产值达到此数的项目需要帮包服务名额；较小的项目由镇街跟踪，不受名额限制（事件模型）。",
        source="假设 assumption: projects adding 1 亿元 of output a year or more are followed one by one (the "
        "亿元 scale bureaus commonly serve individually).",
    ),
    dict(
        id="service_speedup", label_zh="帮包服务提速", label_en="Service speed-up",
        unit="比例", default=0.3, lower=0.0, upper=0.8, kind="uncertainty", group="incremental_projects",
        description="Share by which a place in the service shortens commissioning and entering statistics: "
        "without one a project takes 1/(1 - speed-up) times as long. Calibrated stage lengths are those of "
        "served projects (event engine).",
        description_zh="获得服务名额使投产和纳统缩短的比例：没有名额的项目用时为 1/(1 − 提速) 倍。标定的阶段时长是"
        "受服务项目的时长（事件模型）。",
        source="假设 assumption: no source gives a figure; a place in the service shortens the last stages by "
        "about a third.",
    ),
    dict(
        id="output_investment_ratio", label_zh="新增产值投资比", label_en="New output per 100 million yuan invested",
        unit="亿元/亿元", default=1.0, lower=0.1, upper=5.0, kind="uncertainty", group="tech_renovation",
        description="Annual output at full capacity per 100 million yuan of investment; sizes the renovation projects "
        "generated beyond the list (for the service threshold) and the illustrative list.",
        description_zh="每亿元投资达产后的年产值；用于确定清单外技改项目的规模（对照服务门槛）和示例清单。",
        source="假设 assumption: no source gives a project's investment and its output together.",
    ),
    dict(
        id="project_size_dispersion", label_zh="项目规模离散度", label_en="Dispersion of project sizes",
        unit="对数标准差", default=1.0, lower=0.0, upper=2.0, kind="uncertainty", group="tech_renovation",
        description="Log standard deviation of a generated renovation project's investment around the mean "
        "renovation project size of the event engine (simulation/events.py; lognormal).",
        description_zh="生成的技改项目投资额围绕事件模型技改项目平均投资额的对数标准差（事件模型；对数正态"
        "分布）。",
        source="假设 assumption: project sizes are right-skewed (a few large plants beside many small "
        "renovations).",
    ),
)

# Values a scenario may not key by year (they are one-off or structural).
NOT_YEAR_KEYED = frozenset({"demand_shock_year", "demand_shock_size", "demand_shock_recovery",
                            "tech_renovation_share_base", "project_lag_years", "project_displacement",
                            "key_firm_base_share",
                            # dynamics: one value per draw; a year-keyed value would break the posterior
                            "growth_long_run", "growth_persistence", "growth_shock_scale",
                            "downturn_probability", "downturn_size", "growth_target_pull", "count_cycle_elasticity",
                            "lever_landing_spread", "non_mfg_gdp_real_growth", "non_mfg_growth_volatility",
                            "non_mfg_trend_decline", "non_mfg_trend_share", "price_level_persistence",
                            "industry_non_mfg_share", "high_tech_relative_price_drift",
                            "non_mfg_growth_persistence", "rest_downturn_size",
                            "price_level_growth", "price_level_volatility", "ppi_long_run", "ppi_persistence",
                            "rest_price_ppi_passthrough",
                            "ppi_shock_scale", "mfg_price_ppi_passthrough", "mfg_relative_price_drift",
                            "mfg_price_volatility", "secondary_ratio_volatility", "mfg_growth_gap_sd",
                            "va_ratio_volatility", "high_tech_growth_premium", "high_tech_premium_volatility",
                            "high_tech_premium_persistence",
                            "tech_renovation_productivity_effect", "renovation_depreciation",
                            "key_firm_growth_fade", "exit_rate",
                            # event engine: a project's pace and the service do not change by calendar year
                            "project_stall_probability", "project_schedule_slip",
                            "project_signing_to_start_years", "incremental_build_years",
                            "renovation_build_years", "project_commissioning_years",
                            "project_statistics_years", "service_capacity", "service_output_threshold",
                            "service_speedup", "output_investment_ratio", "project_size_dispersion"})


@lru_cache(maxsize=1)
def parameters() -> dict[str, Parameter]:
    """All parameters by id, validated once on first use."""
    out: dict[str, Parameter] = {}
    for entry in _ENTRIES:
        p = _P(**entry)
        if p.id in out:
            raise ValueError(f"parameter {p.id} declared twice")
        out[p.id] = p
    return out


def levers() -> dict[str, Parameter]:
    """The levers by id: the parameters a scenario sets (policy and planning choices)."""
    return {k: p for k, p in parameters().items() if p.kind == "lever"}


def uncertainties() -> dict[str, Parameter]:
    """The uncertainties by id: the parameters the model draws or the calibration fits."""
    return {k: p for k, p in parameters().items() if p.kind == "uncertainty"}


def nearest_names(name: str, candidates: list[str] | None = None, n: int = 3) -> list[str]:
    """Registry ids that look like ``name`` (for 'did you mean' messages).

    Parameters
    ----------
    name : str
        The name given.
    candidates : list[str] | None
        Names to choose from (None: every registry id).
    n : int
        At most this many names.
    """
    pool = candidates if candidates is not None else list(parameters())
    return difflib.get_close_matches(name, pool, n=n, cutoff=0.5)


def salib_problem(ids: list[str] | None = None) -> dict:
    """A SALib problem dict over the registry bounds (sensitivity analysis)."""
    reg = parameters()
    chosen = ids if ids is not None else [k for k in reg if k != "demand_shock_year"]
    return {
        "num_vars": len(chosen),
        "names": chosen,
        "bounds": [[reg[k].lower, reg[k].upper] for k in chosen],
    }
