"""回测 Back-test: each origin's band against what was reported later, and the coverage it earned.

The page draws what :func:`calibration.backtest.run_backtest` computes (the
same numbers as ``growthsim backtest`` with the page's seed); the
calibrations of every origin are cached on disk, so only the first visit
waits for them.
"""

from __future__ import annotations

import streamlit as st

from growthsim.backtest_report import coverage_display, errors_display, fan_figure, goal_lines, label
from growthsim.calibration.backtest import SCORED, run_backtest
from growthsim.calibration.fit import read_reported
from growthsim.calibration.smc import NARROWED_RATIO
from growthsim.settings import DRAWS

from .ui import chart

TEXT = {
    "zh": {
        "title": "回测：带宽是否经得起后来公布的数据",
        "intro": "每个起点年份只用当时已公布的数据校准，投影到最近公布年份，再与后来公布的数值对照。"
                 "90% 区间应包含约九成的后来数值；过宽或过窄都说明不确定性估计有误。",
        "coverage": "区间覆盖率（各起点汇总）", "errors": "增速预测的中位数绝对误差（百分点），与朴素预测对比",
        "fans": "各起点的预测扇形图与实际公布值", "pick": "指标",
        "how": "与命令行一致：`growthsim backtest --seed {seed}`",
        "scores": "IS90：90% 区间的区间评分（区间宽度，加上实际值落在区间外时的罚分）；CRPS：连续分级概率评分"
                  "（整个预测分布与实际值的距离）。两者单位与指标相同，越小越好。",
    },
    "en": {
        "title": "Back-test: do the bands hold what was reported later?",
        "intro": "Each origin year is calibrated on the figures published by then, projected to the last reported "
                 "year and held against what was published later. A 90 % band should hold about nine in ten later "
                 "figures; too wide or too narrow means the uncertainty is wrong.",
        "coverage": "Band coverage (pooled over origins)", "errors": "Median's absolute error on growth (points) "
        "beside naive forecasts", "fans": "Each origin's fan and the reported figures", "pick": "Indicator",
        "how": "The same as the command line: `growthsim backtest --seed {seed}`",
        "scores": "IS90: the interval score of the 90 % band (its width, plus a penalty when the reported value falls "
                  "outside it); CRPS: the continuous ranked probability score (the distance between the whole "
                  "forecast distribution and the reported value). Both in the indicator's unit; smaller is better.",
    },
}


@st.cache_data(show_spinner=False, max_entries=4)
def _backtest(seed: int):
    return run_backtest(read_reported(), draws=DRAWS["backtest"].default, seed=seed)  # the command's draws


def render(ctx) -> None:
    """Draw the back-test page: the bands' coverage, the errors and one indicator's fans against later reports."""
    lang = ctx.lang
    T = TEXT[lang]
    st.subheader(T["title"])
    st.markdown(T["intro"])
    with st.spinner("…"):
        bt = _backtest(int(ctx.seed))
    st.caption(T["how"].format(seed=ctx.seed))
    st.markdown(f"#### {T['coverage']}")
    st.dataframe(coverage_display(bt, lang), hide_index=True, placeholder="—", width="stretch", key="bt_coverage")
    st.caption(T["scores"])
    st.markdown(f"#### {T['errors']}")
    st.dataframe(errors_display(bt, lang), hide_index=True, placeholder="—", width="stretch", key="bt_errors")
    st.caption("  \n".join(goal_lines(bt, lang)))
    st.markdown(f"#### {T['fans']}")
    shown = [i for i in SCORED if (bt.fans.indicator == i).any()]
    ind = st.selectbox(T["pick"], shown, format_func=lambda i: label(i, lang), key="bt_indicator")
    chart(fan_figure(bt, ind, lang), key="bt_fan")


PRIOR_TEXT = {
    "zh": {"title": "先验与后验：数据告诉了模型什么", "note": "后验/先验标准差接近1：数据几乎没有提供信息，该参数仍是假设。",
           "param": "参数", "unit": "单位", "prior": "先验均值", "prior_band": "先验90%区间", "post": "后验均值",
           "post_band": "后验90%区间", "ratio": "后验/先验标准差", "learned": f"数据是否收窄（比值<{NARROWED_RATIO:g}）", "yes": "是", "no": "否",
           "ess": "滤波诊断：每年的有效样本量", "year": "年份", "ess_col": "有效样本量", "resampled": "是否重抽样",
           "unique": "不同粒子数", "stages": "分步计入（退火）",
           "ess_note": "有效样本量骤降（如数据较多的年份）说明该年的数据对粒子权重影响很大，后验依赖少数粒子。"
                       "此时该年的似然分几步计入（退火），每步之间重抽样并移动参数。"},
    "en": {"title": "Prior and posterior: what the data told the model", "note": "A posterior/prior sd ratio near 1: "
           "the data said little; the parameter is still an assumption.", "param": "parameter", "unit": "unit",
           "prior": "prior mean", "prior_band": "prior 90% band", "post": "posterior mean",
           "post_band": "posterior 90% band", "ratio": "sd posterior / prior", "learned": f"narrowed by the data (ratio < {NARROWED_RATIO:g})",
           "yes": "yes", "no": "no", "ess": "Filter diagnostics: effective sample size per year", "year": "year",
           "ess_col": "effective sample size", "resampled": "resampled", "unique": "distinct particles",
           "stages": "parts (tempering)",
           "ess_note": "A sharp fall of the effective sample size (in years with many figures) means that year's "
           "figures weigh heavily on the particles: the posterior rests on few of them. Such a year's likelihood "
           "is then taken in parts (tempering), resampling and moving the parameters between parts."},
}


def prior_posterior_table(par, lang: str):
    """The prior-versus-posterior table in one language (the calibration's ``parameters`` frame)."""
    import pandas as pd

    from growthsim.wording import english, unit

    T = PRIOR_TEXT[lang]
    return pd.DataFrame({
        T["param"]: list(par.label_zh) if lang == "zh" else [english(x) for x in par.label_en],
        T["unit"]: [unit(u, lang) for u in par.unit],
        T["prior"]: par.prior_mean.round(3),
        T["prior_band"]: [f"{a:.3g} – {b:.3g}" for a, b in zip(par.prior_p05, par.prior_p95, strict=True)],
        T["post"]: par.posterior_mean.round(3),
        T["post_band"]: [f"{a:.3g} – {b:.3g}" for a, b in zip(par.posterior_p05, par.posterior_p95, strict=True)],
        T["ratio"]: par.sd_ratio.round(2),
        T["learned"]: [T["yes"] if bool(x) else T["no"] for x in par.narrowed] if "narrowed" in par else "",
    })


def diagnostics_table(d, lang: str):
    """The filter's effective sample size per year (the calibration's ``diagnostics`` frame) in one language."""
    import pandas as pd

    T = PRIOR_TEXT[lang]
    stages = d["stages"] if "stages" in d else pd.Series([float("nan")] * len(d), index=d.index)
    return pd.DataFrame({T["year"]: d.year.astype(int), T["ess_col"]: d.ess.round(1),
                         T["resampled"]: [T["yes"] if bool(x) else T["no"] for x in d.resampled],
                         T["unique"]: d.unique.astype(int),
                         T["stages"]: [f"{x:.0f}" if x == x else "—" for x in stages]})  # — : the start year


def render_prior_posterior(ctx) -> None:
    """The calibration page's prior-versus-posterior table (one row per drawn parameter) and the filter's ESS."""
    lang = ctx.lang
    T = PRIOR_TEXT[lang]
    par = ctx.calibration.parameters
    if par is None or par.empty:
        return
    st.markdown(f"#### {T['title']}")
    # the parameter's name whole (the longest: 制造业以外GDP长期实际增速, Growth lost outside manufacturing in a
    # downturn year)
    st.dataframe(prior_posterior_table(par, lang), hide_index=True, placeholder="—", width="stretch",
                 key="cal_prior_posterior",
                 column_config={T["param"]: st.column_config.TextColumn(width=230 if lang == "zh" else 360)})
    st.caption(T["note"])
    d = ctx.calibration.diagnostics
    if d is not None and not d.empty:
        st.markdown(f"#### {T['ess']}")
        st.dataframe(diagnostics_table(d, lang), hide_index=True, placeholder="—", width="stretch", key="cal_ess")
        st.caption(T["ess_note"])
