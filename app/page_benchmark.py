"""对标 Benchmark: two or more cities' baselines and targets side by side (growthsim.benchmark).

Each city is projected from its own pack with the page's draws, seed and horizon; its calibration and
baseline are cached per city (app/cache.py ``per_city``), so a city seen once comes back at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from growthsim.benchmark import CityRun, benchmark_table, headers, localised, run_city, wide_table
from growthsim.calibration import city as packs
from growthsim.i18n import text as catalogue_text
from growthsim.runner import RunSettings
from growthsim.simulation.indicators import indicators
from growthsim.wording import unit as unit_in

from . import cache
from .charts import fmt_in_unit
from .context import Ctx
from .ui import labelled_choice


def _t(key: str, lang: str, **fields: object) -> str:
    """The page's text ``key`` in ``lang``: the catalogue's ``benchmark_page.<key>``."""
    return catalogue_text(f"benchmark_page.{key}", lang, **fields)


@cache.per_city(st.cache_resource(show_spinner=False, max_entries=16))
def _city_run(seed: int, draws: int, horizon: int) -> CityRun:
    """The active city's baseline (its calibration from the app's cache)."""
    through = cache.through_years()[-1]
    return run_city(packs.active(), RunSettings(draws=draws, seed=seed, horizon=horizon),
                    calibration=cache.calibration(seed, through))


def targets_view(runs: Sequence[CityRun], first_year: int, lang: str) -> pd.DataFrame:
    """Each city's own targets from ``first_year`` on as the page shows them: the city's name, the target as
    written, its year, the target and the median in the indicator's unit (the unit table's decimals, thousands
    separated, as every other page), and the probability in per cent.

    Parameters
    ----------
    runs : sequence of CityRun
        The cities' projections.
    first_year : int
        First target year shown (year).
    lang : str
        ``zh`` or ``en``.
    """
    meta = indicators()
    rows = []
    for r in runs:
        for x in r.targets[r.targets.year >= first_year].itertuples():
            u = meta[x.indicator].unit
            rows.append({_t("col_city", lang): r.pack.name(lang), _t("col_target", lang): getattr(x, f"label_{lang}"),
                         _t("col_year", lang): str(int(x.year)), _t("col_unit", lang): unit_in(u, lang),
                         _t("col_value", lang): fmt_in_unit(x.target, u), _t("col_p50", lang): fmt_in_unit(x.p50, u),
                         _t("col_probability", lang): "—" if pd.isna(x.probability) else f"{x.probability:.0%}"})
    return pd.DataFrame(rows)


def render(ctx: Ctx) -> None:
    """The city choice, the indicators side by side and each city's targets with their probability."""
    lang = ctx.lang
    st.caption(_t("intro", lang))
    ids = packs.shipped_ids()
    here = packs.active()
    names = {i: packs.resolve_city(i).name(lang) for i in ids}
    default = [here.id] + [p for p in here.peers if p in ids and p != here.id]
    if len(default) < 2:
        default += [i for i in ids if i not in default][:2 - len(default)]
    chosen = labelled_choice(st.multiselect, _t("cities", lang), ids, names, "bench_cities", default=default,
                             select_all=0)  # no built-in "Select all" (English only)
    if len(chosen) < 2:
        st.info(_t("need_two", lang, ids=[names[i] for i in ids]))
        return
    runs = []
    for cid in chosen:
        with packs.using(cid):
            runs.append(_city_run(ctx.seed, ctx.draws, ctx.horizon))
    table = benchmark_table(runs, ctx.horizon)
    st.subheader(_t("levels", lang, horizon=ctx.horizon))
    # tables that wrap their text: a grid of fixed-width columns cut the second city and the units (QA walk)
    with st.container(key="bench_levels"):
        head = headers(lang)  # the exports' headers (lower case in English, as a CSV's); the page's are titles
        st.table(wide_table(table, runs, lang).rename(columns={head["indicator"]: _t("col_indicator", lang),
                                                               head["unit"]: _t("col_unit", lang)}), hide_index=True)
    first = min(r.base_year for r in runs) + 1
    st.subheader(_t("targets", lang))
    with st.container(key="bench_targets"):
        st.table(targets_view(runs, first, lang), hide_index=True)
    st.download_button(_t("download_csv", lang), localised(table, runs, lang).to_csv(index=False).encode("utf-8-sig"),
                       file_name="benchmark.csv", mime="text/csv", on_click="ignore", key="bench_csv",
                       icon=":material/download:")
