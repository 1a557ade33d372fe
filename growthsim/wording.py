"""Wording that makes each language whole: units, parameter descriptions, names beside ids.

The registry, the indicator list and the target list carry Chinese and English
names, but a few texts reach the user in one language only: the parameters'
descriptions and source notes are English, units are Chinese. This module gives
the app, the command line and the exports the other language, keyed by id, until
the registry carries them itself. Messages are catalogue entries (growthsim.i18n),
chosen by code where they arise: nothing here translates a message after the fact.
"""

from __future__ import annotations

import re

from growthsim.i18n import Joined, Message, MessageError, text
from growthsim.presentation import (  # noqa: F401 - re-exported
    CJK,
    EN_TERMS,
    english,
    has_cjk,
    publisher_text,
    unit,
    untracked_reason,
    with_unit,
)

# ---------------------------------------------------------------- parameter descriptions in Chinese

PARAM_ZH: dict[str, str] = {
    "upgrade_target": "市工信局每年力争推动升规纳统的小微企业数；培育库规模为此数乘以培育库倍数。升规企业增加规上企业数和规上营业收入总量（每家按2000万元门槛计），不增加规上工业增速：增速按同口径计算，同期数包含本期企业上年的数据，升规企业带着自己的基数进入。",
    "upgrade_pool_ratio": "准规上企业培育库的规模，为当年“小升规”目标数的倍数。培育库是重点培育名单而非上限：库外企业跨过门槛同样纳统（应统尽统），政策落地好的年份升规数可超过库容（2021年目标300家、实际405家）。",
    "upgrade_realisation_rate": "培育库中当年跨过规上门槛的企业比例（二项分布抽样）；该比例乘以政策落地系数超过1时，库外企业也会升规。",
    "incremental_projects": "每年投产并纳入规上统计的新增工业项目数（围绕该均值按泊松分布抽样）；调整后经项目滞后期生效。新项目作为无基数的新企业纳统，其产出在统计上全部计为增长（毛贡献，即工信局口径）；对增速的影响须扣除挤出部分（增量项目挤出比例）。",
    "project_full_capacity_output": "一个增量项目达产后的年产值（基年价格）。默认值由标定按两次公布的纳统当年贡献（视为毛贡献）拟合得到。",
    "project_first_year_ramp": "项目纳统当年达到的产能比例；次年起满产。其余产能在次年计为增长（结转）：按同口径，纳统当年的部分年度产出就是次年的基数。",
    "project_lag_years": "项目储备的变化（某年的杠杆取值）到项目纳统之间相隔的年数。从第一个预测年起即生效：滞后期内纳统的项目在预测开始前已启动，按基准节奏推进。",
    "project_displacement": "增量项目毛产出（工信局计入的贡献）中替代本市其他企业本会生产的部分：搬迁工厂、存量企业以新法人新建的工厂、本地竞争对手减少的订单。对增速的影响为其余部分。已公布数据无法将其与增速周期区分，先验保持不变（假设）。",
    "tech_renovation_investment_growth": "制造业技改投资的年名义增速。",
    "tech_renovation_productivity_effect": "技改存量比基准路径每多1%，规上产出多出的百分比（技改存量：上年技改投资加折旧后的存量）。",
    "new_capacity_investment_growth": "技改以外工业投资（新增产能）的年名义增速。",
    "key_firm_growth": "倍增培育企业的实际产出增速；其基年营收占比由2021年数据推算。",
    "key_firm_base_share": "基年倍增培育企业营业收入占规上工业营业收入的比重；数据允许时由标定推算。",
    "policy_closures": "每年因政策关闭或迁出的规上企业数，另加一般退出。",
    "exit_rate": "每年退出规上的企业比例（关闭、迁出或跌破门槛），二项分布抽样；有已公布的企业数时由其收窄。",
    "project_size_spread": "某年项目平均达产产值围绕达产产值的对数标准差：有的年份纳统的项目更大。",
    "growth_long_run": "各政策杠杆取基准值时，规上工业增加值增速回归的长期水平。先验为以默认值为中心、以上下限为端点的三角分布，由已公布数据收窄。",
    "growth_persistence": "当年增速对长期水平的偏离延续到下一年的比例（一阶自回归）。",
    "growth_shock_scale": "非下行年份增速年度冲击的标准差；冲击服从自由度为4的t分布（厚尾）。",
    "downturn_probability": "每年出现下行年份（如2020年、2022年）的概率；下行年份在一般冲击之外，规上工业增速再减去“下行年份额外降幅”，制造业以外增速再减去“制造业以外下行年份降幅”。",
    "downturn_size": "下行年份在一般冲击之外损失的增速百分点（冲击已中心化，长期水平仍是均值）。",
    "growth_target_pull": "当年公布了规上工业增速目标（春季政府工作报告或工信局计划，与上年数据同时公布）时，增速从模型预期向目标靠拢的比例；没有公布目标的年份为0。它代表目标背后的推动力度（市工信局的专项行动）。",
    "rest_price_ppi_passthrough": "全国工业生产者出厂价格涨幅每高于其长期水平1个百分点，制造业以外（建筑业、公用事业、商贸等）价格指数多涨的百分点。",
    "count_cycle_elasticity": "上年增速每高于长期水平1个百分点，当年升规企业数和纳统项目数多出的百分比。",
    "lever_landing_spread": "某年实际升规企业数或纳统项目数围绕杠杆设定值的对数标准差（计数噪声以外）。",
    "non_mfg_gdp_real_growth": "制造业以外增加值（服务业、农业、建筑业、非制造业工业）2020年的趋势（潜在）实际增速；"
                               "此后每年下降“趋势增速年降幅”，并随每年冲击中的趋势部分永久变动。",
    "non_mfg_trend_decline": "制造业以外趋势增速每年下降的百分点（经济成熟、潜在增速下行）。",
    "non_mfg_trend_share": "普通年份冲击中永久改变制造业以外趋势增速的比例；其余形成日后弥合的水平缺口。"
                           "下行年份的损失全部为缺口（如2020年后得到弥补）。",
    "non_mfg_growth_persistence": "制造业以外产出偏离趋势路径的缺口（百分点）一年后仍未弥合的比例；增速等于趋势增速加缺口的变化。",
    "non_mfg_growth_volatility": "制造业以外实际增速普通年度冲击（下行年份之外）的标准差，含趋势部分与缺口部分。",
    "price_level_persistence": "制造业以外平减指数涨幅偏离均值（出厂价格传导之外）的部分延续到下一年的比例（一阶自回归）：预测从近年价格出发。",
    "industry_non_mfg_share": "全部工业增加值中制造业以外（采矿业，电力、热力、燃气及水生产和供应业）的比重。制造业增加值等于"
                              "工业增加值乘以（1 − 该比重），不会超过工业增加值；已公布的工业增加值据此约束制造业占比。只影响历史滤波。",
    "high_tech_relative_price_drift": "高技术制造业增加值价格相对其余规上工业的年变动（及口径变化）。高技术占比按现价计算，"
                                      "其几率每年按实际增速差乘以该相对价格变动。",
    "rest_downturn_size": "下行年份（与工业同一年）制造业以外实际增速在一般冲击之外损失的百分点（已中心化）。",
    "price_level_growth": "制造业以外增加值平减指数的平均涨幅；把实际增速换算为现价。",
    "price_level_volatility": "制造业以外平减指数年涨幅的标准差。",
    "ppi_long_run": "全国工业生产者出厂价格指数（PPI）年涨幅回归的长期水平。",
    "ppi_persistence": "PPI当年偏离延续到下一年的比例（一阶自回归）。",
    "ppi_shock_scale": "PPI年度冲击的标准差。",
    "mfg_price_ppi_passthrough": "PPI每变动1个百分点，制造业增加值平减指数变动的百分点数。",
    "mfg_relative_price_drift": "制造业增加值平减指数在PPI传导之外的平均涨幅；占比按现价计算，因此会改变占比。",
    "mfg_price_volatility": "制造业平减指数在PPI传导之外年涨幅的标准差。",
    "secondary_ratio_volatility": "第二产业增加值与制造业增加值之比每年的对数标准差（建筑业、水电燃气与制造业走势不同）；已公布的二产增加值因此约束制造业占比。",
    "mfg_growth_gap_sd": "制造业增加值增速与规上工业增加值增速年度差距的标准差（采矿业、水电燃气走势不同）。",
    "va_ratio_volatility": "增加值与营业收入之比每年的对数标准差；该比值把营业收入、利润与增加值联系起来。",
    "high_tech_growth_premium": "高技术制造业实际增速高于其他规上工业的平均幅度（相对增速）。",
    "high_tech_premium_volatility": "高技术制造业年度增速差的标准差。",
    "renovation_depreciation": "已竣工技改存量每年损耗的比例。",
    "key_firm_growth_fade": "倍增企业高于基准的增速逐年保留的比例：其增速向存量企业的增速回落。",
    "profit_margin_drift": "规上工业企业营业收入利润率的年变动。",
    "tech_renovation_share_base": "基年技改投资占工业投资的比重；没有来源给出，因此在此范围内抽样。",
    "demand_shock_size": "冲击当年损失的产出占规上工业产出的比例。",
    "demand_shock_year": "需求冲击发生的年份。",
    "demand_shock_recovery": "冲击之后每年收回剩余产出损失的比例。",
    "project_stall_probability": "已签约项目在竣工前停滞（前期或在建阶段各占一半）并退出项目库的概率（事件模型）。",
    "project_schedule_slip": "各阶段相对计划工期的平均超期：阶段用时 = 计划 ×(1 + 延误率 × E)，E 为均值1的指数分布。为0时每个项目按计划推进（事件模型）。",
    "project_signing_to_start_years": "从签约到开工的计划时长（事件模型；仅签约的清单项目用它折算延误）。",
    "incremental_build_years": "增量项目从开工到竣工的计划时长（事件模型），按2021年重点项目库的周转标定，已考虑停滞、延误和签约时间。",
    "renovation_build_years": "技改项目从开工到竣工的计划时长（事件模型），按2021年技改项目库标定。",
    "project_commissioning_years": "接受帮包服务的项目从竣工到投产（试生产）的计划时长（事件模型）。",
    "project_statistics_years": "接受帮包服务的增量项目从投产到纳入规上统计的计划时长（事件模型）。",
    "renovation_projects_completed": "按2021年投资水平每年竣工的重点技改项目数（事件模型）：新项目按此数 ÷（1 − 停滞概率）签约，并随首个预测年以来的技改投资指数缩放。",
    "service_capacity": "市—区（市）—镇（街道）三级帮包服务可同时跟踪的企业数（事件模型）。达到门槛的项目竣工时申请名额，保留到纳统（技改项目到投产）；名额用尽时排队，进度放慢。",
    "service_output_threshold": "年新增产值达到此数的项目需要帮包服务名额；较小的项目由镇街跟踪，不受名额限制（事件模型）。",
    "service_speedup": "获得服务名额使投产和纳统缩短的比例：没有名额的项目用时为 1/(1 − 提速) 倍。标定的阶段时长是受服务项目的时长（事件模型）。",
    "output_investment_ratio": "每亿元投资达产后的年产值；用于确定清单外技改项目的规模（对照服务门槛）和示例清单。",
    "project_size_dispersion": "生成的技改项目投资额围绕均值 758.2/662 = 1.15 亿元的对数标准差（事件模型；对数正态分布）。",
}


def parameter_description(p, lang: str) -> str:
    """A parameter's explanation for the editor: the Chinese text (else its name), or the English without asides."""
    if lang == "zh":
        return PARAM_ZH.get(p.id, p.label_zh)
    return _label_ids(english(p.description), "en", ids=False)  # another parameter by its name, not its id


def _label_ids(text: str, lang: str, ids: bool = True) -> str:
    """Put the parameter's (or target's) name beside its id: 'upgrade_target' -> '小升规目标（upgrade_target）'.

    With ``ids=False`` the name replaces the id: for messages about choices the reader made by name (the
    levers and targets of the "what it takes" page), where the id would be noise.
    """
    from growthsim.calibration.targets import targets
    from growthsim.simulation.registry import parameters

    reg = parameters()
    tgts = targets()

    def sub(m: re.Match) -> str:
        pid = m.group(0)
        if pid in reg:
            name = reg[pid].label_zh if lang == "zh" else english(reg[pid].label_en)
        elif pid in tgts:
            name = target_label(tgts[pid], lang)
        else:
            return pid
        if not ids:  # mid-sentence in English: 'takes extra growth lost in a downturn year off growth'
            start = m.start() == 0 or text[:m.start()].rstrip().endswith((".", ":", ";"))
            return name if (lang == "zh" or start or name[1:2].isupper()) else name[:1].lower() + name[1:]
        return f"{name}（{pid}）" if lang == "zh" else f"{name} ({pid})"

    return re.sub(r"(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w])", sub, text)


# ---------------------------------------------------------------- ids shown with their names (the app's way)

# A link's own keys, shown beside their meaning in Chinese ("draws（模拟次数）").
URL_KEY_CODES = {"lang": "link.key_lang", "page": "link.key_page", "draws": "link.key_draws", "seed": "link.key_seed",
                 "horizon": "link.key_horizon", "through": "link.key_through", "cmp": "link.key_cmp"}
NAMED_FIELDS = ("key", "keys", "names", "ids", "value_key")


class Named:
    """A parameter's or target's id with its name beside it ('小升规目标（upgrade_target）'), or its name alone."""

    __slots__ = ("id", "ids")

    def __init__(self, id_: str, ids: bool = True):
        """The id, and whether it is shown beside the name (``ids=False``: the name alone)."""
        self.id, self.ids = id_, ids

    def text(self, lang: str) -> str:
        """The name (with the id) in ``lang``."""
        from growthsim.calibration.targets import targets
        from growthsim.simulation.registry import parameters

        reg, tgts = parameters(), targets()
        name = (param_label(reg[self.id], lang) if self.id in reg else target_label(tgts[self.id], lang)
                if self.id in tgts else self.id)
        if not self.ids or name == self.id:
            return name
        return f"{name}（{self.id}）" if lang == "zh" else f"{name} ({self.id})"


class Id:
    """An id as a finding states it: as typed in English, its name beside it in Chinese ('倍增企业增速（key_firm_growth）').

    The command line shows a search's findings so; the app shows the name alone (:func:`with_names`).
    """

    __slots__ = ("id",)

    def __init__(self, id_: str):
        """The parameter's or target's id."""
        self.id = id_

    def text(self, lang: str) -> str:
        """The id (English) or the name with the id (Chinese)."""
        return Named(self.id).text("zh") if lang == "zh" else self.id

    def __str__(self) -> str:
        """The id."""
        return self.id


def _names_something(value: object) -> bool:
    """Whether a field's value holds an id to show with its name, or a message that may."""
    if isinstance(value, list | tuple):
        return any(_names_something(v) for v in value)
    return isinstance(value, Id | Message | Joined)


def with_names(value: object, ids: bool = True) -> object:
    """A message (or a field's value) whose parameter and target ids show their names, as the app shows them.

    The fields that name something (``key``, ``names`` ...) are read: a registry or target id becomes
    :class:`Named`, ``id.YEAR`` the id's value in that year, a link's own key its meaning; other text stays.
    """
    from growthsim.calibration.targets import targets
    from growthsim.simulation.registry import parameters

    if isinstance(value, MessageError):
        value = value.message
    if isinstance(value, Message):
        return Message(value.code, **{k: with_names(v, ids) if k in NAMED_FIELDS or _names_something(v) else v
                                      for k, v in value.fields.items()})
    if isinstance(value, Id):
        return Named(value.id, ids)
    if isinstance(value, Joined):
        return Joined([with_names(v, ids) for v in value.items], value.separator)
    if isinstance(value, list | tuple):
        return [with_names(v, ids) for v in value]
    if not isinstance(value, str):
        return value
    if value in parameters() or value in targets():
        return Named(value, ids)
    if value in URL_KEY_CODES:
        return Message(URL_KEY_CODES[value], key=value)
    m = re.fullmatch(r"([a-z][a-z0-9_]*)\.(\d{4})", value)
    if m and m[1] in parameters():
        return Message("link.key_year", key=Named(m[1], ids), year=m[2])
    return value


def named_text(err: object, lang: str, ids: bool = True) -> str:
    """An error or message in the reader's language with names beside the ids it names (the app's way)."""
    if isinstance(err, MessageError | Message):
        return with_names(err, ids).text(lang)
    return str(err)  # not a message (an operating system's error): as it is written


def problem_text(problem, lang: str) -> str:
    """A URL / table problem (key, value, what is wrong, what is allowed) in the reader's language, with names."""
    return text("value.problem", lang, key=with_names(problem.key), value=problem.value,
                problem=with_names(problem.problem), allowed=with_names(problem.allowed))


def param_label(p, lang: str) -> str:
    """A parameter's name in one language (the English without its Chinese aside)."""
    return p.label_zh if lang == "zh" else english(p.label_en)


def param_label_unit(p, lang: str) -> str:
    """A parameter's name with its unit in brackets, in one language."""
    return f"{p.label_zh}（{p.unit}）" if lang == "zh" else f"{english(p.label_en)} ({unit(p.unit, 'en')})"


def indicator_name(meta, lang: str) -> str:
    """An indicator's name in one language (the English without its Chinese aside)."""
    return meta.name_zh if lang == "zh" else english(meta.name_en)


def target_label(tg, lang: str) -> str:
    """A plan target's label in one language (the English without its Chinese aside)."""
    return tg.label_zh if lang == "zh" else english(tg.label_en)


# The calibration report's notes (calibration/fit.py), in Chinese.
_NOTES_ZH: tuple[tuple[str, str], ...] = (
    (r"^base year$", "基年"),
    (r"^context: not modelled by the annual engine$", "背景：年度模型未建模"),
    (r"^weak anchor: model's mean growth (\d{4})-(\d{4})$", r"弱约束：模型\1—\2年平均增速"),
    (r"^imposed in its year$", "当年直接采用"),
    (r"^high-tech growth premium = (.+)$", r"高技术制造业增速差 = \1"),
    (r"^derives base-year growth (.+)$", r"推算基年增速 \1"),
    (r"^proxy: model's change of the manufacturing share$", "代理指标：模型中制造业占比的变动"),
    (r"^key firms' base share = (.+)$", r"倍增企业基年营收占比 = \1"),
    (r"^partial year 1-(\d+)月: for in-year monitoring$", r"年内累计（1—\1月）：用于年内监测"),
    (r"^superseded by a later vintage$", "已被后来公布的数值取代"),
    (r"^start year \(reported base\)$", "起始年（以公布值为起点）"),
    (r"^filtered: weighed in its year$", "滤波：在当年计入似然"),
    (r"^lower bound: weighed as a floor$", "下限：作为下限计入"),
    (r"^before the start year: weighs the cycle's likelihood$", "起始年之前：计入周期参数的似然"),
    (r"^before the start year: weighs the PPI's likelihood$", "起始年之前：计入出厂价格参数的似然"),
    (r"^before the start year: its changes weigh the trend and the volatility outside manufacturing$",
     "起始年之前：其逐年变化计入制造业以外趋势增速与波动的似然"),
    (r"^partial year 1-(\d+)月: stands for the full year \(error ([\d.]+)\); with the derived figure: "
     r"([\d.]+) ± ([\d.]+)$", r"年内累计（1—\1月）：代表全年（误差 \2）；与推算的全年数合并：\3 ± \4"),
    (r"^partial year 1-(\d+)月: stands for the full year \(error ([\d.]+)\)$", r"年内累计（1—\1月）：代表全年（误差 \2）"),
    (r"^partial year 1-(\d+)月: weighed as the year's$", r"年内累计（1—\1月）：作为当年数计入似然"),
    (r"^lower bound: an exact figure of the same months makes it redundant$", "下限：同期已有确切数，不再单独计入"),
    (r"^derived: weighed with partial year 1-(\d+)月 as ([\d.]+) ± ([\d.]+)$", r"推算值：与1—\1月累计数合并计入，\2 ± \3"),
    (r"^filtered: manufacturing VA over one less the mining and utilities share$",
     "滤波：制造业增加值除以（1 − 采矿业和公用事业占工业比重）"),
    (r"^filtered: the model's firm count over last year's$", "滤波：模型企业数与上年之比"),
    (r"^filtered: the model's high-tech growth over the five years$", "滤波：模型五年高技术制造业增速"),
    (r"^before the start year: with real growth and the PPI, gives a deflator that weighs the prices$",
     "起始年之前：与实际增速、出厂价格一起算出平减指数，计入价格参数的似然"),
    (r"^before the start year: not used$", "起始年之前：未使用"),
    (r"^weighs the long-run rate \(pre-sample likelihood\)$", "约束长期增速（样本前似然）"),
    (r"^feeds a derivation \(registry default\)$", "用于推算参数（注册表默认值）"),
    (r"^after data-through$", "晚于数据截至年份"),
    (r"revenue", "营业收入"),
    (r"/yr", "/年"),
)


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def note_text(note: object, lang: str) -> str:
    """A calibration report note in the reader's language ('' for none): translated into Chinese, or English."""
    if note is None or (isinstance(note, float) and note != note):
        return ""
    s = str(note)
    if lang != "zh":
        s = re.sub(r"partial year 1-(\d+)月", lambda m: f"partial year, January–{_MONTHS_EN[int(m.group(1)) - 1]}", s)
        return english(s)
    for pattern, repl in _NOTES_ZH:
        s = re.sub(pattern, repl, s)
    return s


DISTRICT_EN = {
    "市南区": "Shinan", "市北区": "Shibei", "李沧区": "Licang", "崂山区": "Laoshan", "城阳区": "Chengyang",
    "黄岛区": "Huangdao", "西海岸新区": "West Coast New Area", "即墨区": "Jimo", "胶州市": "Jiaozhou",
    "平度市": "Pingdu", "莱西市": "Laixi", "高新区": "High-tech Zone",
}


def district(name: str, lang: str) -> str:
    """A Qingdao district's name: its English name in English, else as written."""
    return DISTRICT_EN.get(name, name) if lang == "en" else name


# The industries of the illustrative project list (growthsim/illustrative.py), as the city's plans name them.
INDUSTRY_EN = {
    "现代海洋": "Modern marine", "新一代信息技术": "Next-generation IT", "智能家电": "Smart home appliances",
    "轨道交通装备": "Rail transit equipment", "新能源汽车": "New-energy vehicles", "装备制造": "Equipment manufacturing",
    "高端化工": "High-end chemicals", "食品饮料": "Food and beverages", "纺织服装": "Textiles and apparel",
    "生物医药": "Biomedicine", "新材料": "New materials", "航空航天": "Aerospace",
}
_ILLUSTRATIVE_NAME = re.compile(r"^示例(增量|技改)项目(\d+)（虚构）$")


def industry(name: str, lang: str) -> str:
    """An industry's name: its English name in English (for the illustrative list's industries), else as written."""
    return INDUSTRY_EN.get(name, name) if lang == "en" else name


def project_name(name: str, lang: str) -> str:
    """A project's name: the illustrative list's made-up names in English in English ('Illustrative incremental
    project 001 (made up)'); a real list's names are its own and stay as written."""
    m = _ILLUSTRATIVE_NAME.match(str(name)) if lang == "en" else None
    if not m:
        return name
    kind = "incremental" if m.group(1) == "增量" else "renovation"
    return f"Illustrative {kind} project {m.group(2)} (made up)"


# ---------------------------------------------------------------- publishers of figures cited by URL

# The record's publisher field names the site in Chinese and notes in English how the page relates to the
# original ("mirror of 国家统计局 release"). In Chinese the notes are translated; in English the Chinese names
# stay as published, in quotation marks (a name, like a quote, is shown in its own language).


# ---------------------------------------------------------------- a reported figure's status (calibration/record.py)

_FIGURE_STATUS = {"final": ("全年终值", "final"), "preliminary": ("全年初步", "preliminary"),
                  "revised": ("全年修订", "revised"), "derived": ("推算", "derived"),
                  "lower_bound": ("下限", "lower bound"), "partial_year": ("年内累计", "partial year")}


def figure_status(status: object, period: object, lang: str) -> str:
    """'全年初步' / 'preliminary'; a partial year with its months: '1—6月累计' / 'January–June'."""
    st_ = str(status or "")
    per = "" if period is None or (isinstance(period, float) and period != period) else str(period)
    if st_ == "partial_year" and per:
        last = int(per.split("-")[-1])
        return f"1—{last}月累计" if lang == "zh" else f"January–{_MONTHS_EN[last - 1]}"
    zh, en = _FIGURE_STATUS.get(st_, (st_, st_))
    return zh if lang == "zh" else en
