"""growthsim planner app: ``streamlit run app/main.py`` (or ``make app``).

Adding a page
-------------
Write a module with ``render(ctx: app.context.Ctx) -> None`` and add one line
to :data:`PAGES`: ``Page(key, 中文标题, English title, module.render)``. The key
is the page's name in the URL (``?page=key``); ``editor=False`` hides the
scenario editor in the sidebar for pages that do not use it. ``ctx`` carries
the language, settings, calibration, the edited scenario and the scenario
catalogue; ``ctx.summary(key)`` gives a scenario's cached summary tables.

Nothing runs on import: Streamlit executes this file as ``__main__``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from growthsim.app import (
    cache,
    compute,
    controls,
    login,
    page_calibration,
    page_compare,
    page_projections,
    page_seek,
    page_sensitivity,
    style,
    ui,
)
from growthsim.app.context import Ctx
from growthsim.app.i18n import md_escape, t
from growthsim.app.state import View, defaults_from
from growthsim.calibration import city as packs
from growthsim.wording import named_text

PREPARE = "GROWTHSIM_PREPARE"  # "1" (make app, app/serve.py): a server prepares slow pages' defaults at its start


@dataclass(frozen=True)
class Page:
    """One page of the app: its key in the URL, its titles, what draws it and whether it shows the scenario editor."""

    key: str
    title_zh: str
    title_en: str
    render: Callable[[Ctx], None]
    editor: bool = True  # show the scenario editor (sliders) in the sidebar


PAGES: tuple[Page, ...] = (
    Page("projections", "情景预测", "Projections", page_projections.render),
    Page("compare", "情景比较", "Compare scenarios", page_compare.render),
    Page("calibration", "标定依据", "Calibration", page_calibration.render, editor=False),
    Page("seek", "达成条件", "What it takes", page_seek.render),
    Page("targets", "目标测算", "Target setting", __import__("growthsim.app.page_targets", fromlist=["render"]).render),
    Page("sensitivity", "敏感性分析", "Sensitivity", page_sensitivity.render, editor=False),
    Page("pipeline", "项目管线", "Project pipeline", __import__("growthsim.app.page_pipeline",
                                                            fromlist=["render"]).render),
    Page("monitoring", "年内监测", "In-year monitoring", __import__("growthsim.app.page_monitoring",
                                                                fromlist=["render"]).render,
         editor=False),
    Page("backtest", "回测", "Back-test", __import__("growthsim.app.page_backtest", fromlist=["render"]).render,
         editor=False),
    Page("benchmark", "城市对标", "Benchmark cities",
         __import__("growthsim.app.page_benchmark", fromlist=["render"]).render, editor=False),
)


K_IN_FULL_RUN = "gs_in_full_run"  # True while a full run draws the page's fragment (its reruns are then the app's)
K_FIRST_PAINT = "gs_first_paint"  # True until the session's first run has drawn its page (the browser drew nothing)
K_SHOWN_PAGE = "gs_shown_page"    # the page the last run drew (a run that draws another is a page switch)


def main() -> None:
    """Draw one full run of the app inside the session's city pack (its data, scenarios, targets and title)."""
    with packs.using(controls.peek_city()):
        draw()


def draw() -> None:
    """Draw one full run of the app: the style, the page and its editor (a fragment), the sidebar's shell, the URL.

    A lever moved in the editor reruns only :func:`scenario_part` (the page and the editor, Streamlit's
    ``st.fragment``): the city, the language switch, the page choice and the run settings are not drawn again,
    and the browser keeps them as they are. Changing one of those reruns the whole script.
    """
    keys = [p.key for p in PAGES]
    years = cache.through_years()
    latest = years[-1]
    lang_now = "en" if st.session_state.get(controls.W_LANG) else "zh"
    st.set_page_config(page_title=packs.active().title(lang_now), page_icon="🏭", layout="wide",
                       initial_sidebar_state="auto")
    style.inject()  # first: the page's look from the first paint, and the Markdown renderer loaded early
    if not login.gate(lang_now):  # optional shared password ([login] in .streamlit/secrets.toml)
        return
    first_run = controls.init_session(latest)
    ss = st.session_state
    ss[K_FIRST_PAINT] = first_run
    if first_run and os.environ.get(PREPARE) == "1":
        # the sensitivity page's default indices, computed once per server in the background (or read from disk)
        page_sensitivity.prepare_in_background(controls.DEFAULT_SEED, latest, controls.DEFAULT_HORIZON)
        ui.warm_pictures_in_background()
    if first_run:
        first_year = cache.calibration(controls.DEFAULT_SEED, latest).base_year + 1
        saved_now = cache.saved(first_year)
        linkable = list(cache.shipped(first_year)) + [compute.EDITED, compute.POLICY_EDITED] + [
            compute.SAVED_PREFIX + sid for sid in saved_now.scenarios]
        controls.apply_url(st.query_params.to_dict(), keys, years, linkable)

    # The main area is drawn before the sidebar's shell: a new session's browser then renders its title and
    # scorecard before the sidebar's widgets. The sidebar's two slots are made first so that the shell (language,
    # page, settings) sits above the editor the page's fragment writes into.
    lang, page_key = controls.peek_shell(SHELL)
    style.inject_texts(lang)
    settings = controls.peek_settings()
    shell_slot, editor_slot = st.sidebar.container(), st.sidebar.container()
    st.title(packs.active().title(lang))
    controls.render_notices(lang)
    ss[K_IN_FULL_RUN] = True
    try:
        scenario_part(editor_slot)
    finally:
        ss[K_IN_FULL_RUN] = False
        with shell_slot:
            controls.render_city(lang)
            drawn = controls.render_shell(SHELL) + controls.render_settings(lang, years)
    controls.agree((lang, page_key, *settings), drawn, "shell")


SHELL = tuple((p.key, p.title_zh, p.title_en) for p in PAGES)


@st.fragment
def scenario_part(editor_slot) -> None:
    """The page and the scenario editor (its levers in the sidebar's editor slot), rerun alone when a lever moves.

    A fragment's own rerun does not pass through :func:`main`, so it enters the session's city pack itself.

    Parameters
    ----------
    editor_slot : streamlit.delta_generator.DeltaGenerator
        The sidebar's container under the shell, where the editor is drawn.
    """
    with packs.using(controls.peek_city()):
        draw_page(editor_slot)


def draw_page(editor_slot) -> None:
    """Draw the chosen page, then the scenario editor into ``editor_slot``, then write the view into the URL.

    Everything is read afresh from the session state: a fragment's rerun is called with its last full run's
    arguments, so nothing that a lever, the year table, a load or a save changes may come in as one.

    Parameters
    ----------
    editor_slot : streamlit.delta_generator.DeltaGenerator
        The sidebar's container under the shell, where the editor is drawn.
    """
    ss = st.session_state
    keys = [p.key for p in PAGES]
    lang, page_key = controls.peek_shell(SHELL)
    draws, seed, horizon, through = controls.peek_settings()
    latest = cache.through_years()[-1]
    cal = cache.calibration(seed, through)
    defaults = defaults_from(cal.posterior.default)
    first_year = cal.base_year + 1
    ship = cache.shipped(first_year)
    saved = cache.saved(first_year)
    page = next(p for p in PAGES if p.key == page_key)
    uploaded = ss[controls.K_UPLOADED]
    values = controls.peek_values(defaults, first_year) if page.editor else dict(ss[controls.K_VALUES])
    catalogue = compute.catalogue(ship, compute.edited_scenario(values, defaults, first_year), uploaded,
                                  saved.scenarios)
    if saved.problems:
        st.warning(t("saved_problems", lang) + "\n" + "\n".join(f"- {md_escape(named_text(p, lang))}"
                                                                for p in saved.problems))
    first_run = bool(ss.pop(K_FIRST_PAINT, False))
    ctx = Ctx(lang=lang, page=page_key, draws=draws, seed=seed, horizon=horizon, through=through,
              latest_through=latest, calibration=cal, defaults=defaults, values=values, catalogue=catalogue,
              compare=controls.compare_choice(list(catalogue)),
              edited_title=str(ss.get(controls.W_SAVE_NAME) or ""), saved_problems=saved.problems,
              first_run=first_run, fresh=first_run or ss.get(K_SHOWN_PAGE) != page_key)
    ss[K_SHOWN_PAGE] = page_key
    drawn = values
    try:
        page.render(ctx)
        # the run's facts close the page: on a phone the first screen is the page's own (the targets ahead)
        st.caption(t("run_facts", lang, draws=f"{draws:,}", seed=seed, base_year=cal.base_year,
                     through=cal.data_through, horizon=horizon) + " · " + t("share", lang))
    finally:
        if page.editor:
            load_options = dict(ship) | {compute.UPLOAD_PREFIX + k: s for k, s in uploaded.items()} | {
                compute.SAVED_PREFIX + k: s for k, s in saved.scenarios.items()}
            with editor_slot:
                drawn = controls.render_editor(lang, defaults, first_year, load_options)
    controls.agree(values, drawn, "editor", scope="app" if ss.get(K_IN_FULL_RUN) else "fragment")

    compare = controls.compare_choice(list(catalogue))
    linkable = tuple(k for k in compare if not k.startswith(compute.UPLOAD_PREFIX))
    default_cmp = compute.default_comparison(list(catalogue))
    controls.sync_url(View(values=values, lang=lang, page=page_key, draws=draws, seed=seed, horizon=horizon,
                           through=None if through == latest else through,
                           compare=None if linkable == default_cmp or len(linkable) < 2 else linkable,
                           extra=tuple(ctx.extras.get("url", {}).items())), keys)


if __name__ == "__main__":
    main()
