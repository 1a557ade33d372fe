"""敏感性分析 Sensitivity: which lever or uncertainty drives each outcome, in which year.

Shows the results of ``growthsim sensitivity`` when its output folder
(``out/sensitivity``) exists, else runs a smaller analysis in the app (N = 64
to 256 base samples, 100 draws each, one process), cached per setting. Both
are the same computation (growthsim.explore.sensitivity); the CLI's default
N = 1024 gives narrower confidence intervals.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from growthsim.calibration import cache as cal_cache
from growthsim.calibration.cache import cache_dir, keep, kept
from growthsim.calibration.fit import read_reported
from growthsim.calibration.smc import PARTICLES
from growthsim.errors import UserInputError
from growthsim.explore import sensitivity
from growthsim.explore.sensitivity import (
    SensitivityResult,
    SensitivitySettings,
    chart_targets,
    indicators_over_time,
    load_result,
    run_sensitivity,
    target_table,
    tornado_panels,
    year_matrix,
)
from growthsim.i18n import text as catalogue_text
from growthsim.simulation.indicators import indicators
from growthsim.simulation.registry import parameters
from growthsim.vega import spec
from growthsim.wording import indicator_name, param_label, target_label

from . import cache
from .context import Ctx
from .ui import chart, labelled_choice

CLI_FOLDER = Path("out") / "sensitivity"
APP_DRAWS = 100
APP_N = (64, 128, 256)
DEFAULT_N = 128

# The index table's columns: <indicator|probability>_<metric> (growthsim.explore.sensitivity.target_table).
INDEXES = ("indicator", "probability")
METRICS = ("S1", "S1_conf", "ST", "ST_conf", "mu_star", "mu_star_conf", "sigma")


def _index_table(tab: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The indices per factor, with names and column titles in the reader's language (no ids)."""
    reg = parameters()
    out = pd.DataFrame({_t("col_factor", lang): [param_label(reg[p], lang) for p in tab.parameter],
                        _t("col_kind", lang): [_t("kind_lever" if k == "lever" else "kind_uncertainty", lang)
                                               for k in tab.kind]})
    for col in tab.columns:
        tag, _, metric = col.partition("_")
        if tag in INDEXES and metric in METRICS:
            out[_t("index_column", lang, index=_t(f"index_{tag}", lang), metric=_t(f"metric_{metric}", lang))] = \
                tab[col].round(3).to_numpy()
    return out


def heatmap(mat: pd.DataFrame, name: str, lang: str) -> dict:
    """Each factor's total-order ST for an indicator, year by year (Vega-Lite): a cell per factor and year.

    The index is written in each cell, so the chart reads without its colour scale.

    Parameters
    ----------
    mat : pd.DataFrame
        ST per factor (rows) and year (columns).
    name : str
        The indicator's name in ``lang``.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    reg = parameters()
    rows = [{"factor": param_label(reg[p], lang), "year": int(y), "st": float(v)}
            for p, r in mat.iterrows() for y, v in r.items() if pd.notna(v)]
    order = [param_label(reg[p], lang) for p in mat.index[::-1]]  # the largest at the top
    x = {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}}
    y = {"field": "factor", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 150}}
    cells = {"mark": {"type": "rect"}, "encoding": {
        "x": x, "y": y, "color": {"field": "st", "type": "quantitative", "title": "ST",
                                  "scale": {"scheme": "blues", "domain": [0, max(1e-9, mat.max().max())]},
                                  "legend": {"direction": "horizontal", "gradientLength": 160}},
        "tooltip": [{"field": "factor", "title": _t("col_factor", lang)},
                    {"field": "year", "title": _t("col_year", lang)},
                    {"field": "st", "title": "ST", "format": ".2f"}]}}
    text = {"mark": {"type": "text", "fontSize": 10}, "encoding": {
        "x": x, "y": y, "text": {"field": "st", "format": ".2f"},
        "color": {"condition": {"test": "datum.st > 0.5", "value": "white"}, "value": "#111111"}}}
    top = mat.max(axis=1).idxmax() if len(mat) else None
    alt = _t("heatmap_description", lang, name=name, top=param_label(reg[top], lang)) if top else name
    return spec([cells, text], title=None, description=alt, height=26 * len(order), data={"values": rows}, label=name)


def indicator_heatmap(res: SensitivityResult, indicator: str, lang: str) -> dict:
    """The heatmap of one indicator's ST by factor and year (:func:`heatmap`): the factors that move it (ST over
    0.005 in some year), the largest at the top.

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    indicator : str
        Indicator id (one of :func:`indicators_over_time`).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    mat = year_matrix(res, indicator)
    mat = mat.loc[mat.max(axis=1).sort_values(ascending=True).index]
    mat = mat[mat.max(axis=1) > 0.005]
    return heatmap(mat, indicator_name(indicators()[indicator], lang), lang)


def leading_table(res: SensitivityResult, lang: str) -> pd.DataFrame:
    """The leading factor of every indicator in every projected year, with its index ("constant" when none moves it).

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    reg, meta = parameters(), indicators()
    years = list(range(res.base_year + 1, res.settings.horizon + 1))
    rows = []
    for ind in meta:
        row = {_t("indicator", lang): indicator_name(meta[ind], lang)}
        for y in years:
            d = res.drivers[res.drivers.outcome == f"{ind}:{y}"]
            if d.empty or not isinstance(d.iloc[0].get("driver_1"), str):
                row[str(y)] = _t("constant", lang)
            else:
                r = d.iloc[0]
                row[str(y)] = f"{param_label(reg[r['driver_1']], lang)} ({r['driver_1_value']:.2f})"
        rows.append(row)
    return pd.DataFrame(rows)


def _t(key: str, lang: str, **fmt) -> str:
    """The page's text ``key`` in ``lang``: the catalogue's ``sensitivity_page.<key>``."""
    return catalogue_text(f"sensitivity_page.{key}", lang, **fmt)


def _disk_name(seed: int, through: int | None, n: int, horizon: int) -> str:
    """The name the indices of these settings are kept under in the calibration cache's folder: a key of the
    settings, the reported figures and the source of the model and the analysis (any change computes afresh)."""
    h = hashlib.sha256()
    h.update(cal_cache.fingerprint(read_reported(), seed, through, PARTICLES).encode())
    h.update(f"{n}|{horizon}|{APP_DRAWS}".encode())
    h.update(Path(sensitivity.__file__).read_bytes())
    return f"sensitivity-{h.hexdigest()[:32]}.pkl"


def _compute_or_read(seed: int, through: int | None, n: int, horizon: int):
    """The indices kept on disk when this setting was computed before (by any session or server), else computed
    here and kept: the page's first open after a restart reads them instead of computing."""
    name = _disk_name(seed, through, n, horizon)
    res = kept(name, SensitivityResult)
    if res is None:
        cal = cache.calibration(seed, through)
        settings = SensitivitySettings(n=n, trajectories=32, draws=APP_DRAWS, seed=seed, horizon=horizon, workers=1)
        res = run_sensitivity(cal, settings)
        keep(name, res)
    return res


@cache.per_city(st.cache_data(show_spinner=False, max_entries=16))
def _computed(seed: int, through: int | None, n: int, horizon: int):
    return _compute_or_read(seed, through, n, horizon)


@st.cache_resource(show_spinner=False)
def prepare_in_background(seed: int, through: int, horizon: int) -> None:
    """Compute the page's default indices once per server, in a thread, if no earlier run kept them on disk.

    Called by the app's first session: by the time a planner opens the sensitivity page, its indices are
    ready (reading them takes a fraction of a second; computing N = 128 took 13-25 s on this machine).

    Parameters
    ----------
    seed : int
        Random seed; the same seed gives the same numbers.
    through : int
        Reported figures used up to this year (calendar year).
    horizon : int
        Last projected year (calendar year).
    """
    if not (cache_dir() / _disk_name(seed, through, DEFAULT_N, horizon)).is_file():
        threading.Thread(target=_compute_or_read, args=(seed, through, DEFAULT_N, horizon), daemon=True,
                         name="growthsim-sensitivity-warmup").start()


@st.cache_data(show_spinner=False, max_entries=4)
def _loaded(folder: str, mtime_ns: int):
    return load_result(folder)


def _cli_result(ctx: Ctx):
    manifest = CLI_FOLDER / "manifest.json"
    if not manifest.is_file():
        return None
    try:
        res = _loaded(str(CLI_FOLDER), manifest.stat().st_mtime_ns)
    except UserInputError:
        return None
    if res.base_year != ctx.calibration.base_year:
        return None
    return res


def render(ctx: Ctx) -> None:
    """Draw the sensitivity page: which lever or uncertainty drives each outcome (the CLI's results or a run here)."""
    lang = ctx.lang
    reg = parameters()
    meta = indicators()
    st.subheader(_t("title", lang))
    st.caption(_t("intro", lang))
    cli = _cli_result(ctx)
    options = (["cli"] if cli is not None else []) + ["app"]
    source = st.segmented_control(_t("source", lang), options, default=options[0], required=True, key="sens_source",
                                  format_func=lambda k: _t("cli", lang, path=str(CLI_FOLDER), n=cli.settings.n)
                                  if k == "cli" else _t("app", lang))
    if source == "cli":
        res = cli
    else:
        n = st.select_slider(_t("n", lang), APP_N, value=DEFAULT_N, key="sens_n")
        with st.spinner(_t("computing", lang, n=n)):
            res = _computed(ctx.seed, ctx.through, int(n), int(ctx.horizon))
        runs = sum(v for k, v in res.runs.items() if k.endswith("model_runs"))
        st.caption(_t("app_note", lang, n=n, d=APP_DRAWS, runs=runs))
    if res.not_in_model:
        st.caption(_t("not_in_model", lang, ids=[param_label(reg[k], lang) if k in reg else k
                                                 for k in res.not_in_model]))

    targets = chart_targets(res)
    def label_t(k):
        return target_label(k, lang)
    if not targets:
        st.info(_t("no_targets", lang, first=res.base_year + 1, last=res.settings.horizon))
    else:
        # targets are sorted by year: the first is the first tracked target after the calibration's last year
        target = labelled_choice(st.selectbox, _t("target", lang), targets, {k: label_t(k) for k in targets},
                                 "sens_target")
        st.markdown(f"#### {_t('tornado', lang)}")
        panels = tornado_panels(res, target, lang)
        if not panels:
            st.caption(_t("constant", lang))
        cols = st.columns(len(panels) or 1)  # side by side on a screen, one above the other on a phone
        for i, (col, panel) in enumerate(zip(cols, panels, strict=False)):
            with col:
                chart(panel, key=f"sens_tornado_{i}")
        with st.expander(_t("table", lang)):
            st.dataframe(_index_table(target_table(res, target), lang), hide_index=True, placeholder="—",
                         width="stretch")

    st.markdown(f"#### {_t('over_time', lang)}")
    over_time = indicators_over_time(res)  # one look at the results, not a table built per indicator to see it
    shown = [i for i in meta if i in over_time]
    if shown:
        ind = labelled_choice(st.selectbox, _t("indicator", lang), shown,
                              {i: indicator_name(meta[i], lang) for i in shown}, "sens_indicator",
                              index=shown.index("mfg_va_share_gdp") if "mfg_va_share_gdp" in shown else 0)
        chart(indicator_heatmap(res, ind, lang), key="sens_heatmap")

    st.markdown(f"#### {_t('leading', lang)}")
    st.dataframe(leading_table(res, lang), hide_index=True, placeholder="—", width="stretch")
    if not res.sobol.empty:
        st.download_button(_t("download", lang), data=res.sobol.to_csv(index=False).encode("utf-8-sig"),
                           file_name="sobol.csv", mime="text/csv", key="sens_download", icon=":material/download:")
