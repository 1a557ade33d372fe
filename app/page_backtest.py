"""回测 Back-test: each origin's band against what was reported later, and the coverage it earned.

The page draws what :func:`calibration.backtest.run_backtest` computes (the
same numbers as ``growthsim backtest`` with the page's seed); the
calibrations of every origin are cached on disk, so only the first visit
waits for them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from growthsim.backtest_report import coverage_display, errors_display, fan_figure, goal_lines, label
from growthsim.calibration.backtest import SCORED, run_backtest
from growthsim.calibration.fit import read_reported
from growthsim.calibration.smc import NARROWED_RATIO
from growthsim.i18n import text as catalogue_text
from growthsim.settings import DRAWS
from growthsim.wording import unit

from . import cache
from .ui import chart, labelled_choice


def _t(key: str, lang: str, **fields: object) -> str:
    """The page's text ``key`` in ``lang``: the catalogue's ``backtest_page.<key>``."""
    return catalogue_text(f"backtest_page.{key}", lang, **fields)


def _p(key: str, lang: str, **fields: object) -> str:
    """The prior-versus-posterior table's text ``key`` in ``lang``: the catalogue's ``prior_table.<key>``."""
    return catalogue_text(f"prior_table.{key}", lang, **fields)


@cache.per_city(st.cache_data(show_spinner=False, max_entries=4))
def _backtest(seed: int):
    return run_backtest(read_reported(), draws=DRAWS["backtest"].default, seed=seed)  # the command's draws


def render(ctx) -> None:
    """Draw the back-test page: the bands' coverage, the errors and one indicator's fans against later reports."""
    lang = ctx.lang
    st.subheader(_t("title", lang))
    st.markdown(_t("intro", lang))
    with st.spinner("…"):
        bt = _backtest(int(ctx.seed))
    st.caption(_t("how", lang, seed=ctx.seed))
    st.markdown(f"#### {_t('coverage', lang)}")
    st.dataframe(coverage_display(bt, lang), hide_index=True, placeholder="—", width="stretch", key="bt_coverage")
    st.caption(_t("scores", lang))
    st.markdown(f"#### {_t('errors', lang)}")
    st.dataframe(errors_display(bt, lang), hide_index=True, placeholder="—", width="stretch", key="bt_errors")
    st.caption("  \n".join(goal_lines(bt, lang)))
    st.markdown(f"#### {_t('fans', lang)}")
    shown = [i for i in SCORED if (bt.fans.indicator == i).any()]
    ind = labelled_choice(st.selectbox, _t("pick", lang), shown, {i: label(i, lang) for i in shown}, "bt_indicator")
    chart(fan_figure(bt, ind, lang), key="bt_fan")




def prior_posterior_table(par, lang: str):
    """The prior-versus-posterior table in one language (the calibration's ``parameters`` frame)."""
    return pd.DataFrame({
        _p("param", lang): list(par.label_zh) if lang == "zh" else list(par.label_en),
        _p("unit", lang): [unit(u, lang) for u in par.unit],
        _p("prior", lang): par.prior_mean.round(3),
        _p("prior_band", lang): [f"{a:.3g} – {b:.3g}" for a, b in zip(par.prior_p05, par.prior_p95, strict=True)],
        _p("post", lang): par.posterior_mean.round(3),
        _p("post_band", lang): [f"{a:.3g} – {b:.3g}" for a, b in zip(par.posterior_p05, par.posterior_p95,
                                                                     strict=True)],
        _p("ratio", lang): par.sd_ratio.round(2),
        _p("learned", lang, ratio=NARROWED_RATIO): ([_p("yes" if bool(x) else "no", lang) for x in par.narrowed]
                                                    if "narrowed" in par else ""),
    })


def diagnostics_table(d, lang: str):
    """The filter's effective sample size per year (the calibration's ``diagnostics`` frame) in one language."""
    stages = d["stages"] if "stages" in d else pd.Series([float("nan")] * len(d), index=d.index)
    return pd.DataFrame({_p("year", lang): d.year.astype(int), _p("ess_col", lang): d.ess.round(1),
                         _p("resampled", lang): [_p("yes" if bool(x) else "no", lang) for x in d.resampled],
                         _p("unique", lang): d.unique.astype(int),
                         _p("stages", lang): [f"{x:.0f}" if x == x else "—" for x in stages]})  # — : the start year


def render_prior_posterior(ctx) -> None:
    """The calibration page's prior-versus-posterior table (one row per drawn parameter) and the filter's ESS."""
    lang = ctx.lang
    par = ctx.calibration.parameters
    if par is None or par.empty:
        return
    st.markdown(f"#### {_p('title', lang)}")
    # the parameter's name whole (the longest: 制造业以外GDP长期实际增速, Growth lost outside manufacturing in a
    # downturn year)
    st.dataframe(prior_posterior_table(par, lang), hide_index=True, placeholder="—", width="stretch",
                 key="cal_prior_posterior",
                 column_config={_p("param", lang): st.column_config.TextColumn(width=230 if lang == "zh" else 360)})
    st.caption(_p("note", lang))
    d = ctx.calibration.diagnostics
    if d is not None and not d.empty:
        st.markdown(f"#### {_p('ess', lang)}")
        st.dataframe(diagnostics_table(d, lang), hide_index=True, placeholder="—", width="stretch", key="cal_ess")
        st.caption(_p("ess_note", lang))
