"""敏感性分析 Sensitivity: which lever or uncertainty drives each outcome, in which year.

Shows the results of ``growthsim sensitivity`` when its output folder
(``out/sensitivity``) exists, else runs a smaller analysis in the app (N = 64
to 256 base samples, 100 draws each, one process), cached per setting. Both
are the same computation (growthsim.explore.sensitivity); the CLI's default
N = 1024 gives narrower confidence intervals.
"""

from __future__ import annotations

import collections
import hashlib
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from growthsim.calibration import cache as cal_cache
from growthsim.calibration import city as packs
from growthsim.calibration.cache import cache_dir, keep, kept
from growthsim.calibration.fit import read_reported
from growthsim.calibration.smc import PARTICLES
from growthsim.errors import UserInputError
from growthsim.explore import sensitivity
from growthsim.explore.sensitivity import (
    SensitivityResult,
    SensitivitySettings,
    chart_targets,
    factor_axis,
    indicators_over_time,
    load_result,
    row_px,
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
from .ui import HALF_PICTURE_WIDTH, chart, kept_picture, labelled_choice, place

CLI_FOLDER = Path("out") / "sensitivity"
APP_DRAWS = 100
APP_N = (64, 128, 256)
DEFAULT_N = 128
TORNADO_PICTURE_WIDTH = HALF_PICTURE_WIDTH  # [px] a tornado panel's picture: half the main area (app/ui.py)

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
    # a long factor name on the lines it needs, as the tornado draws it (at 150 px on one line it was cut)
    y = {"field": "factor", "type": "nominal", "sort": order, "title": None, "axis": factor_axis(lang)}
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
    return spec([cells, text], title=None, description=alt, height=row_px(order, lang) * len(order),
                data={"values": rows}, label=name)


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
    lead = _leading_factors(res.drivers)
    rows = []
    for ind in meta:
        row = {_t("indicator", lang): indicator_name(meta[ind], lang)}
        for y in years:
            factor, value = lead.get(f"{ind}:{y}", (None, None))
            row[str(y)] = (f"{param_label(reg[factor], lang)} ({value:.2f})" if isinstance(factor, str)
                           else _t("constant", lang))
        rows.append(row)
    return pd.DataFrame(rows)


def _leading_factors(drivers: pd.DataFrame) -> dict[str, tuple]:
    """Each outcome's leading factor and its index, from its first row of the drivers table: one pass over the
    table, where a filter per indicator and year took most of the page's server time (py-spy, 2026-12-07)."""
    if "driver_1" not in drivers:  # every outcome constant
        return {}
    lead: dict[str, tuple] = {}
    for outcome, factor, value in zip(drivers.outcome, drivers.driver_1, drivers.driver_1_value, strict=True):
        lead.setdefault(outcome, (factor, value))
    return lead


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


def _computing(name: str) -> threading.Lock:
    """The lock held while the indices kept as ``name`` are computed or read: a session that opens the page while
    the server's warm-up (or another session) computes the same setting waits for that result, not a second run."""
    with _COMPUTING_GUARD:
        return _COMPUTING.setdefault(name, threading.Lock())


_COMPUTING: dict[str, threading.Lock] = {}
_COMPUTING_GUARD = threading.Lock()
# How far each computation under way has come: disk name -> (stage, done, total), from run_sensitivity's progress
_PROGRESS: dict[str, tuple[str, int, int]] = {}


def _compute_or_read(seed: int, through: int | None, n: int, horizon: int):
    """The indices kept on disk when this setting was computed before (by any session or server), else computed
    here and kept: the page's first open after a restart reads them instead of computing."""
    name = _disk_name(seed, through, n, horizon)
    with _computing(name):
        res = kept(name, SensitivityResult)
        if res is None:
            cal = cache.calibration(seed, through)
            settings = SensitivitySettings(n=n, trajectories=32, draws=APP_DRAWS, seed=seed, horizon=horizon,
                                           workers=1)
            try:
                res = run_sensitivity(cal, settings, on_progress=lambda stage, done, total: _PROGRESS.__setitem__(
                    name, (stage, done, total)))
            finally:
                _PROGRESS.pop(name, None)
            keep(name, res)
    return res


@cache.per_city(st.cache_data(show_spinner=False, max_entries=16))
def _computed(seed: int, through: int | None, n: int, horizon: int):
    return _compute_or_read(seed, through, n, horizon)


def _app_result(seed: int, through: int | None, n: int, horizon: int, lang: str) -> SensitivityResult:
    """The page's own indices for this setting: from memory or disk at once; when they must be computed, the
    computation runs beside the page, which shows how far it has come until the indices are there.

    Parameters
    ----------
    seed : int
        Random seed; the same seed gives the same numbers.
    through : int | None
        Reported figures used up to this year (calendar year; None: the latest).
    n : int
        Sobol base samples [samples].
    horizon : int
        Last projected year (calendar year).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    key = (str(packs.active().root), seed, through, n, horizon)
    if key not in _READY:
        name = _disk_name(seed, through, n, horizon)
        if not (cache_dir() / name).is_file():
            _show_progress(name, (seed, through, n, horizon), lang)
    res = _computed(seed, through, n, horizon)
    _READY.add(key)
    return res


_READY: set[tuple] = set()  # the settings whose indices this server has (in memory or on disk)


def _show_progress(name: str, setting: tuple, lang: str) -> None:
    """Compute the indices of ``setting`` (seed, through, n, horizon) in a thread of the session's city and show
    a progress bar until they are kept; a computation already under way (the server's warm-up) is waited for."""
    n = setting[2]
    bar = st.progress(0.0, text=_t("computing", lang, n=n))
    root = packs.active().root

    def compute() -> None:
        with packs.using(root):
            _compute_or_read(*setting)

    worker = threading.Thread(target=compute, daemon=True, name="growthsim-sensitivity-page")
    worker.start()
    while worker.is_alive():
        stage, done, total = _PROGRESS.get(name, ("", 0, 0))
        if total:
            bar.progress(min(1.0, done / total), text=_t("progress", lang, n=n, done=f"{done:,}", total=f"{total:,}",
                                                         stage=_t(f"stage_{stage.replace(' ', '_')}", lang)))
        worker.join(0.25)
    bar.empty()


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


def _cli_source(ctx: Ctx) -> tuple | None:
    """The CLI's output folder as a source of the page (``("cli", folder, its manifest's mtime)``), when it holds
    results of this calibration's base year; else None."""
    manifest = CLI_FOLDER / "manifest.json"
    if not manifest.is_file():
        return None
    source = ("cli", str(CLI_FOLDER), manifest.stat().st_mtime_ns)
    try:
        res = _result(source)
    except UserInputError:
        return None
    return source if res.base_year == ctx.calibration.base_year else None


def _result(source: tuple) -> SensitivityResult:
    """The results a page source names: ``("cli", folder, mtime_ns)`` or ``("app", seed, through, n, horizon)``."""
    return _loaded(*source[1:]) if source[0] == "cli" else _computed(*source[1:])


# Views built from a result (the cache's misses): a test checks that a page's second open builds none again.
BUILT: collections.Counter = collections.Counter()


@cache.per_city(st.cache_data(show_spinner=False, max_entries=64))
def _target_views(source: tuple, target_id: str, lang: str) -> tuple[list[dict], pd.DataFrame]:
    """A target's tornado panels and index table, built once per result, target and language."""
    BUILT["target"] += 1
    res = _result(source)
    target = next(t for t in chart_targets(res) if t.id == target_id)
    return tornado_panels(res, target, lang), _index_table(target_table(res, target), lang)


@cache.per_city(st.cache_data(show_spinner=False, max_entries=64))
def _heatmap_view(source: tuple, indicator: str, lang: str) -> dict:
    """An indicator's heatmap (:func:`indicator_heatmap`), built once per result, indicator and language."""
    BUILT["heatmap"] += 1
    return indicator_heatmap(_result(source), indicator, lang)


@cache.per_city(st.cache_data(show_spinner=False, max_entries=16))
def _leading_view(source: tuple, lang: str) -> pd.DataFrame:
    """The leading-factor table (:func:`leading_table`), built once per result and language."""
    BUILT["leading"] += 1
    return leading_table(_result(source), lang)


def render(ctx: Ctx) -> None:
    """Draw the sensitivity page: which lever or uncertainty drives each outcome (the CLI's results or a run here)."""
    lang = ctx.lang
    reg = parameters()
    meta = indicators()
    st.subheader(_t("title", lang))
    st.caption(_t("intro", lang))
    cli = _cli_source(ctx)
    options = (["cli"] if cli is not None else []) + ["app"]
    choice = st.segmented_control(_t("source", lang), options, default=options[0], required=True, key="sens_source",
                                  format_func=lambda k: _t("cli", lang, path=str(CLI_FOLDER),
                                                           n=_result(cli).settings.n)
                                  if k == "cli" else _t("app", lang))
    if choice == "cli":
        source, res = cli, _result(cli)
    else:
        n = st.select_slider(_t("n", lang), APP_N, value=DEFAULT_N, key="sens_n")
        source = ("app", ctx.seed, ctx.through, int(n), int(ctx.horizon))
        res = _app_result(*source[1:], lang)
        runs = sum(v for k, v in res.runs.items() if k.endswith("model_runs"))
        st.caption(_t("app_note", lang, n=n, d=APP_DRAWS, runs=runs))
    if res.not_in_model:
        st.caption(_t("not_in_model", lang, ids=[param_label(reg[k], lang) if k in reg else k
                                                 for k in res.not_in_model]))

    targets = chart_targets(res)
    pictures: list[tuple] = []
    def label_t(k):
        return target_label(k, lang)
    if not targets:
        st.info(_t("no_targets", lang, first=res.base_year + 1, last=res.settings.horizon))
    else:
        # targets are sorted by year: the first is the first tracked target after the calibration's last year
        target = labelled_choice(st.selectbox, _t("target", lang), targets, {k: label_t(k) for k in targets},
                                 "sens_target")
        st.markdown(f"#### {_t('tornado', lang)}")
        panels, index_table = _target_views(source, target.id, lang)
        if not panels:
            st.caption(_t("constant", lang))
        cols = st.columns(len(panels) or 1)  # side by side on a screen, one above the other on a phone
        for i, (col, panel) in enumerate(zip(cols, panels, strict=False)):
            key = f"sens_tornado_{i}"
            with col:
                into, slot = place(key)
            with into:
                chart(panel, key=key)
            if ctx.first_run:  # the panel's picture until the browser's Vega draws it: drawn last (below)
                pictures.append((slot, key, (source, target.id, lang), panel))
        with st.expander(_t("table", lang)):
            st.dataframe(index_table, hide_index=True, placeholder="—", width="stretch")

    st.markdown(f"#### {_t('over_time', lang)}")
    over_time = indicators_over_time(res)  # one look at the results, not a table built per indicator to see it
    shown = [i for i in meta if i in over_time]
    if shown:
        ind = labelled_choice(st.selectbox, _t("indicator", lang), shown,
                              {i: indicator_name(meta[i], lang) for i in shown}, "sens_indicator",
                              index=shown.index("mfg_va_share_gdp") if "mfg_va_share_gdp" in shown else 0)
        chart(_heatmap_view(source, ind, lang), key="sens_heatmap")

    st.markdown(f"#### {_t('leading', lang)}")
    st.dataframe(_leading_view(source, lang), hide_index=True, placeholder="—", width="stretch")
    if not res.sobol.empty:  # the file is written when the button is pressed, not at every run (~70 ms, py-spy)
        st.download_button(_t("download", lang), data=lambda: res.sobol.to_csv(index=False).encode("utf-8-sig"),
                           file_name="sobol.csv", mime="text/csv", on_click="ignore", key="sens_download",
                           icon=":material/download:")
    # a session's first screen: the tornado panels' pictures, drawn after everything else (a panel's picture takes
    # the server ~0.2 s the first time, 0.6 s for the server's very first picture; kept afterwards)
    for slot, key, inputs, panel in pictures:
        with slot:
            kept_picture(key, inputs, lambda panel=panel: panel, TORNADO_PICTURE_WIDTH)
