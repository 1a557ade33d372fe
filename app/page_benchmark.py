"""对标 Benchmark: two or more cities' baselines and targets side by side (growthsim.benchmark).

Each city is projected from its own pack with the page's draws, seed and horizon; its calibration and
baseline are cached per city (app/cache.py ``per_city``), so a city seen once comes back at once.
"""

from __future__ import annotations

import streamlit as st

from growthsim.benchmark import CityRun, benchmark_table, localised, run_city, targets_table, wide_table
from growthsim.calibration import city as packs
from growthsim.i18n import text as catalogue_text
from growthsim.runner import RunSettings

from . import cache
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
    st.dataframe(wide_table(table, runs, lang), hide_index=True, width="stretch")
    first = min(r.base_year for r in runs) + 1
    st.subheader(_t("targets", lang))
    st.dataframe(localised(targets_table(runs, first, lang), runs, lang), hide_index=True, width="stretch")
    st.download_button(_t("download_csv", lang), localised(table, runs, lang).to_csv(index=False).encode("utf-8-sig"),
                       file_name="benchmark.csv", mime="text/csv", on_click="ignore", key="bench_csv",
                       icon=":material/download:")
