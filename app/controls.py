"""The sidebar: language, page, simulation settings, the scenario editor, save and load.

State lives in ``st.session_state`` under ``gs_*`` keys; the editor's
changes (``gs_values``, scenario values departing from the baseline) are the
one source of truth. Widgets are seeded from it whenever they (re)appear, and
anything that replaces it wholesale (a URL, an upload, loading a scenario,
reset) runs before the widgets are drawn: on the session's first run or in a
widget callback. Bad input never touches ``gs_values``: it leaves a message
and the previous valid state.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence

import streamlit as st

from growthsim.calibration import city as packs
from growthsim.errors import UserInputError
from growthsim.i18n import localise
from growthsim.i18n import text as catalogue_text
from growthsim.scenario_files import MAX_BYTES, parse_scenario_bytes
from growthsim.settings import DEFAULT_HORIZON, DEFAULT_SEED
from growthsim.simulation.registry import GROUP_LABELS, Parameter, parameters
from growthsim.simulation.scenario import Scenario
from growthsim.wording import named_text, param_label_unit, parameter_description, problem_text, unit, with_names

from . import cache, compute, store
from .i18n import md_escape, pick, t
from .sources import document_name, source_kind, source_quotes
from .state import (
    DEFAULT_DRAWS,
    DRAWS_CHOICES,
    HORIZONS,
    SEED_MAX,
    View,
    clean_number,
    compose,
    decode_query,
    decompose,
    defaults_from,
    describe_path,
    encode_query,
    entries_from_frame,
    fmt_number,
    step_decimals,
    year_frame,
    year_keyable,
)
from .ui import labelled_choice

ss = st.session_state

K_VALUES = "gs_values"          # dict: the edited scenario's values (the source of truth)
K_YEARS = "gs_years"            # dict pid -> {year: value}: year-by-year entries after the first year
K_VER = "gs_ver"                # bumped whenever values are replaced wholesale (fresh editors)
K_UPLOADED = "gs_uploaded"      # dict id -> Scenario uploaded in this session
K_COMPARE = "gs_compare"        # tuple of catalogue keys, or None for the default comparison
K_NOTICES = "gs_notices"        # list of (kind, text) shown at the top of the page
K_UPLOAD_MSG = "gs_upload_msg"  # (kind, text) under the uploader
K_SAVE_MSG = "gs_save_msg"
K_YEAR_SNAP = "gs_year_snap"    # pid -> DataFrame the open year editor started from
K_LOAD_OPTIONS = "gs_load_options"
K_STARTED = "gs_started"
K_OPEN_YEARS = "gs_open_years"  # the year table's box: drawn only while open (Streamlit's lazy expander)
K_OPEN_IO = "gs_open_io"        # the save-and-load box: likewise

W_LANG, W_PAGE, W_DRAWS, W_SEED, W_HORIZON, W_THROUGH = "lang_en", "page", "draws", "seed", "horizon", "through"
W_NUMBER_FIELDS, W_YEAR_PARAM, W_SAVE_NAME, W_LOAD_PICK = "number_fields", "year_param", "save_name", "load_pick"
W_CITY = "city"                 # the session's city pack (an installed id), kept in the link as city=


def in_session_city(fn):
    """A widget callback run inside the session's city pack (callbacks run before the script's own ``using``)."""
    @functools.wraps(fn)
    def run(*args, **kw):
        with packs.using(ss.get(W_CITY) or packs.DEFAULT_CITY):
            return fn(*args, **kw)
    return run


def widget_key(pid: str, number_fields: bool) -> str:
    """The session key of a parameter's editor widget: its slider (``w_``) or its number field (``n_``)."""
    return f"{'n' if number_fields else 'w'}_{pid}"


def upload_key() -> str:
    """The uploader's widget key: a new one (an empty uploader) whenever the values are replaced wholesale."""
    return f"upload_{ss[K_VER]}"


def year_editor_key(pid: str) -> str:
    """A parameter's year-by-year table key: a new one (a fresh table) whenever the values are replaced wholesale."""
    return f"ye_{pid}_{ss[K_VER]}"


def current_lang() -> str:
    """The reader's language from the sidebar's language toggle: 'en' or 'zh'."""
    return "en" if ss.get(W_LANG) else "zh"


# ---------------------------------------------------------------- session start


def peek_city() -> str:
    """The session's city pack: on its first run the link's ``city=`` (an installed id), else the sidebar's choice."""
    if W_CITY not in ss:
        asked = st.query_params.get("city")
        ss[W_CITY] = asked if asked in packs.shipped_ids() else packs.DEFAULT_CITY
    return ss[W_CITY]


def render_city(lang: str) -> str:
    """The city choice (城市), in the current container (the sidebar's shell): every installed pack, by its name; a
    change starts the session's values afresh."""
    ids = packs.shipped_ids()
    names = {i: packs.resolve_city(i).name(lang) for i in ids}
    return labelled_choice(st.selectbox, t("city", lang), ids, names, W_CITY, help=t("city_help", lang),
                           on_change=_on_city_changed)


def _on_city_changed() -> None:
    """Another city: its own data years, baseline and scenarios, so the edited values and comparison start afresh."""
    with packs.using(ss[W_CITY]):
        ss[W_THROUGH] = cache.through_years()[-1]
        ss[K_UPLOADED] = {}
        ss[K_COMPARE] = None
        set_values({})


def init_session(through_latest: int) -> bool:
    """Set the defaults of a new session; True on the session's first run."""
    if ss.get(K_STARTED):
        return False
    ss[K_STARTED] = True
    ss[K_VALUES] = {}
    ss[K_YEARS] = {}
    ss[K_VER] = 0
    ss[K_UPLOADED] = {}
    ss[K_COMPARE] = None
    ss[K_NOTICES] = []
    ss[K_YEAR_SNAP] = {}
    ss[W_LANG] = False
    ss[W_DRAWS] = DEFAULT_DRAWS
    ss[W_SEED] = DEFAULT_SEED
    ss[W_HORIZON] = DEFAULT_HORIZON
    ss[W_THROUGH] = through_latest
    ss[W_NUMBER_FIELDS] = False
    return True


def apply_url(params: Mapping[str, object], pages: Sequence[str], through_years: Sequence[int],
              compare_ids: Sequence[str]) -> None:
    """Read the page's URL into the session (first run only). Problems become a notice.

    Parameters
    ----------
    params : Mapping[str, object]
        The URL's query parameters.
    pages : Sequence[str]
        The page ids.
    through_years : Sequence[int]
        The data-through years offered (calendar years).
    compare_ids : Sequence[str]
        The scenario keys that may be compared.
    """
    latest = through_years[-1]
    first_year = cache.calibration(DEFAULT_SEED, latest).base_year + 1
    asked_city = params.get("city")
    params = {k: v for k, v in params.items() if k != "city"}   # read by peek_city before the calibration
    decoded = decode_query(params, pages, first_year, through_years, compare_ids)
    v = decoded.view
    ss[W_LANG] = v.lang == "en"
    ss[W_PAGE] = v.page if "page" in decoded.present and v.page in pages else pages[0]
    if decoded.numbers_ok:
        ss[W_DRAWS], ss[W_SEED], ss[W_HORIZON] = v.draws, v.seed, v.horizon
        ss[W_THROUGH] = v.through if v.through is not None else latest
        set_values(dict(v.values))
    if v.compare is not None:
        ss[K_COMPARE] = v.compare
    if decoded.problems:
        lang = "en" if ss[W_LANG] else "zh"
        lines = [t("url_error", lang), ""] + [f"- {md_escape(problem_text(p, lang))}" for p in decoded.problems]
        if decoded.ignored:
            lines += ["", t("url_values_ignored", lang, keys=md_escape(localise(with_names(list(decoded.ignored)),
                                                                                lang)))]
        ss[K_NOTICES] = [("error", "\n".join(lines))]
    if asked_city is not None and asked_city not in packs.shipped_ids():
        lang = "en" if ss[W_LANG] else "zh"
        ss[K_NOTICES] = [*ss[K_NOTICES], ("error", t("url_city_unknown", lang, city=md_escape(str(asked_city)),
                                                      allowed=", ".join(packs.shipped_ids())))]


def sync_url(view: View, pages: Sequence[str]) -> None:
    """Write the view into the page's URL (only when it changed)."""
    q = encode_query(view, pages)
    if ss.get(W_CITY, packs.DEFAULT_CITY) != packs.DEFAULT_CITY:
        q["city"] = ss[W_CITY]
    current = {k: (v[-1] if isinstance(v, list) else v) for k, v in st.query_params.to_dict().items()}
    if current != q:
        st.query_params.from_dict(q)


# ---------------------------------------------------------------- replacing the values wholesale


def _defaults_now() -> tuple[dict[str, float], int]:
    cal = cache.calibration(int(ss[W_SEED]), int(ss[W_THROUGH]))
    return defaults_from(cal.posterior.default), cal.base_year + 1


def _typed(p: Parameter, x: float) -> float | int:
    return int(round(x)) if p.integer else float(x)


def set_values(values: dict) -> None:
    """Replace the edited scenario's values and re-seed every editor widget from them."""
    ss[K_VALUES] = dict(values)
    reseed_widgets()


def reseed_widgets() -> None:
    """Seed every editor widget from the edited scenario's values (unchanged ones from the current baseline)."""
    defaults, first_year = _defaults_now()
    sliders, years = decompose(ss[K_VALUES], defaults, first_year)
    reg = parameters()
    number_fields = bool(ss.get(W_NUMBER_FIELDS))
    for pid, v in sliders.items():
        ss[widget_key(pid, number_fields)] = _typed(reg[pid], v)
        ss.pop(widget_key(pid, not number_fields), None)  # seeded afresh if the user switches input mode
    ss[K_YEARS] = years
    ss[K_YEAR_SNAP] = {}
    ss[K_VER] = ss.get(K_VER, 0) + 1


@in_session_city
def _on_settings_changed() -> None:
    # The baseline's values can depend on the data used for calibration: keep unchanged sliders on it.
    reseed_widgets()


@in_session_city
def _on_reset() -> None:
    set_values({})
    ss[K_UPLOAD_MSG] = None


@in_session_city
def _on_load() -> None:
    key = ss.get(W_LOAD_PICK)
    options = ss.get(K_LOAD_OPTIONS) or {}
    if key in options:
        set_values(dict(options[key]))


@in_session_city
def _on_upload(key: str) -> None:
    lang = current_lang()
    f = ss.get(key)
    if f is None:
        ss[K_UPLOAD_MSG] = None
        return
    _, first_year = _defaults_now()
    try:
        if f.size > MAX_BYTES:
            raise UserInputError("scenario.too_large", file=f.name, most=MAX_BYTES)
        scenario = parse_scenario_bytes(f.getvalue(), f.name, first_year)  # size, encoding, BOM: as for a file
    except UserInputError as err:
        ss[K_UPLOAD_MSG] = ("error", t("upload_error", lang, problem=md_escape(named_text(err, lang))))
        return
    uploaded = dict(ss[K_UPLOADED])
    uploaded[scenario.id] = scenario
    ss[K_UPLOADED] = uploaded
    set_values(dict(scenario.values))  # also renews the uploader, so the next file starts clean
    ss[K_UPLOAD_MSG] = ("success", t("upload_ok", lang, title=md_escape(pick((scenario.title_zh, scenario.title_en),
                                                                             lang)),
                                     n=len(scenario.values)))


def _dismiss_notices() -> None:
    ss[K_NOTICES] = []


# ---------------------------------------------------------------- the shell


def render_shell(pages: Sequence[tuple[str, str, str]]) -> tuple[str, str]:
    """Language switch and page choice, in the current container (the sidebar's shell); returns (lang, page key)."""
    sb = st
    sb.toggle(t("lang_switch", "zh"), key=W_LANG, help=t("lang_switch_help", current_lang()))
    lang = current_lang()
    labels = {k: pick((zh, en), lang) for k, zh, en in pages}
    if ss.get(W_PAGE) not in labels:
        ss[W_PAGE] = pages[0][0]
    page = labelled_choice(sb.radio, t("page", lang), list(labels), labels, W_PAGE)
    return lang, page


def peek_shell(pages: Sequence[tuple[str, str, str]]) -> tuple[str, str]:
    """What :func:`render_shell` returns in this run, read from the session state before it is drawn."""
    keys = [k for k, _, _ in pages]
    return current_lang(), ss.get(W_PAGE) if ss.get(W_PAGE) in keys else pages[0][0]


def peek_settings() -> tuple[int, int, int, int]:
    """What :func:`render_settings` returns in this run (draws, seed, horizon, data-through), before it is drawn."""
    return int(ss[W_DRAWS]), int(ss[W_SEED]), int(ss[W_HORIZON]), int(ss[W_THROUGH])


def _editor_parameters() -> list[Parameter]:
    """The parameters the editor shows, in its order: levers then uncertainties, by group."""
    reg = parameters()
    return [p for kind in ("lever", "uncertainty") for group in GROUP_LABELS for p in reg.values()
            if p.kind == kind and p.group == group]


def _settled(v: float, default: float) -> float:
    """An editor value as the scenario keeps it: exactly the baseline's when still at it (no rounding)."""
    return float(default) if math.isclose(float(v), default, rel_tol=1e-9, abs_tol=1e-12) else clean_number(v)


def peek_values(defaults: dict[str, float], first_year: int) -> dict:
    """What :func:`render_editor` returns in this run, read from the editor widgets' state before they are drawn."""
    number_fields = bool(ss.get(W_NUMBER_FIELDS))
    seeds, _ = decompose(ss[K_VALUES], defaults, first_year)
    sliders = {}
    for p in _editor_parameters():
        key = widget_key(p.id, number_fields)
        sliders[p.id] = _settled(ss[key] if key in ss else _typed(p, seeds[p.id]), defaults[p.id])
    return compose(sliders, ss[K_YEARS], defaults, first_year)


K_AGAIN = "gs_again"  # the run was repeated because the sidebar disagreed with what the page was drawn from


def agree(used: object, drawn: object, what: str, scope: str = "app") -> None:
    """Repeat the run (once) if the sidebar drawn after the page returned other settings than the page used.

    Parameters
    ----------
    used : object
        What the page was drawn from (read from the session state before the widgets were drawn).
    drawn : object
        What the widgets returned when drawn (a year-table edit is applied by the table itself).
    what : str
        Which part is checked (``"shell"``, ``"editor"``): each repeats at most once on its own.
    scope : str
        ``"app"``: repeat the whole script (the shell's settings, or the page's fragment within a full run);
        ``"fragment"``: repeat only the page's fragment (its own rerun).
    """
    key = f"{K_AGAIN}_{what}"
    if used == drawn or ss.get(key):
        ss[key] = False
        return
    ss[key] = True
    st.rerun(scope=scope)


def render_settings(lang: str, through_years: Sequence[int]) -> tuple[int, int, int, int]:
    """Draws, seed, horizon and data-through (each bounded), in the current container (the sidebar's shell)."""
    with st.expander(t("settings", lang), icon=":material/settings:"):
        draws = st.select_slider(t("draws", lang), options=list(DRAWS_CHOICES), key=W_DRAWS, help=t("draws_help", lang))
        seed = st.number_input(t("seed", lang), min_value=0, max_value=SEED_MAX, step=1, key=W_SEED,
                               help=t("seed_help", lang), on_change=_on_settings_changed)
        horizon = st.select_slider(t("horizon", lang), options=list(HORIZONS), key=W_HORIZON)
        through = st.selectbox(t("through", lang), list(through_years), key=W_THROUGH, help=t("through_help", lang),
                               on_change=_on_settings_changed)
        st.toggle(t("number_fields", lang), key=W_NUMBER_FIELDS, help=t("number_fields_help", lang))
    return int(draws), int(seed), int(horizon), int(through)


# ---------------------------------------------------------------- the editor


def _help(p: Parameter, default: float, lang: str) -> str:
    """The slider's help: what it is, range, default, how it is drawn, and its sources by document title.

    Kept per parameter, baseline value, language and city pack: built afresh for 67 sliders it took some 35 ms
    of each lever step (profiled with py-spy at load 9), and it changes only with those.
    """
    return _help_text(p.id, float(default), lang, str(packs.active().root))


@functools.lru_cache(maxsize=4096)
def _help_text(pid: str, default: float, lang: str, pack_root: str) -> str:
    """:func:`_help` for the active pack (whose folder, ``pack_root``, keys the cache)."""
    p = parameters()[pid]
    u = unit(p.unit, lang)
    lines = [md_escape(parameter_description(p, lang)), ""]
    lines.append(f"- {t('help_range', lang)}: {fmt_number(p.lower)} – {fmt_number(p.upper)} {u}")
    pv = packs.parameter_values()[p.id]   # the city pack's value and source (declared once)
    note = packs.value_note(pv)           # a lever scaled with the city: 假设, from its rate
    shown = default if pv.value is None else pv.value
    lines.append(f"- {t('help_default', lang)}: {fmt_number(round(shown, 4))} {u}"
                 + (f" ({md_escape(note.text(lang))})" if note else ""))
    if round(default, 6) != round(shown, 6):
        lines.append(f"- {t('help_calibrated', lang)}: {fmt_number(round(default, 4))} {u}")
    if p.spread == "triangular":
        lines.append(f"- {t('help_drawn_triangular', lang)}")
    elif p.spread == "calibrated":
        lines.append(f"- {t('help_drawn_calibrated', lang)}")
    lines.append(f"- {t('help_source', lang)}: {md_escape(source_kind(pv.source, lang))}")
    for name, quote in source_quotes(pv.source):
        lines.append("  - " + t("help_document_quote", lang, document=md_escape(document_name(name, lang)),
                                 quote=md_escape(quote)))
    return "\n".join(lines)


def _format(p: Parameter, value: float) -> str:
    """Slider/number format: the step's decimals, more if the value carries them (up to two more)."""
    if p.integer:
        return "%d"
    d = step_decimals(p)
    for extra in range(d, d + 3):
        if round(value, extra) == round(value, 10):
            return f"%.{extra}f"
    return f"%.{d + 2}f"


def _control(p: Parameter, default: float, slider_value: float, lang: str, number_fields: bool) -> float:
    key = widget_key(p.id, number_fields)
    ss.pop(widget_key(p.id, not number_fields), None)  # the other input mode re-seeds from the values
    if key not in ss:
        ss[key] = _typed(p, slider_value)
    label = param_label_unit(p, lang)
    lo, hi, step = (int(p.lower), int(p.upper), 1) if p.integer else (float(p.lower), float(p.upper), float(p.step))
    fmt = _format(p, float(ss[key]))
    if number_fields:
        v = st.number_input(label, min_value=lo, max_value=hi, step=step, format=fmt, key=key,
                            help=_help(p, default, lang))
    else:
        # value= the state's own: without it Streamlit reads the whole session state once per slider to learn
        # whether it is a range (some 70 sliders x 120 keys per lever step); the key keeps the slider's identity
        v = st.slider(label, min_value=lo, max_value=hi, step=step, format=fmt, key=key, value=ss[key],
                      help=_help(p, default, lang))
    # A value still at the baseline stays exactly the baseline's (no rounding of a calibrated value).
    return _settled(v, default)


def render_editor(lang: str, defaults: dict[str, float], first_year: int,
                  load_options: Mapping[str, Scenario]) -> dict:
    """The parameters' group boxes (sliders in the open ones), the year table, save and load, in the current
    container; returns every parameter's value (a closed box's kept as it was).

    Parameters
    ----------
    lang : str
        ``zh`` or ``en``: the reader's language.
    defaults : dict[str, float]
        The baseline's value of every parameter, in its registry unit.
    first_year : int
        First projected year (calendar year).
    load_options : Mapping[str, Scenario]
        Scenarios the editor may load, by key.
    """
    reg = parameters()
    sb = st  # the current container: the sidebar's editor slot, which the page's fragment draws into
    sb.header(t("editor", lang))
    slots = {"lever": sb.container(), "uncertainty": sb.container(), "years": sb.container(), "io": sb.container()}
    # The year table is drawn first (into its slot lower down), so the sliders' notes show its latest entries.
    with slots["years"]:
        _render_year_editor(lang, defaults, first_year)
    seeds, _ = decompose(ss[K_VALUES], defaults, first_year)
    sliders: dict[str, float] = {}
    for kind in ("lever", "uncertainty"):
        with slots[kind]:
            st.subheader(t("levers" if kind == "lever" else "uncertainties", lang))
            st.caption(t("levers_caption" if kind == "lever" else "uncertainties_caption", lang))
            first = True
            for group, labels in GROUP_LABELS.items():
                members = [p for p in reg.values() if p.kind == kind and p.group == group]
                if not members:
                    continue
                sliders |= _render_group(kind, group, pick(labels, lang), members, first and kind == "lever",
                                         seeds, defaults, first_year, lang)
                first = False
    values = compose(sliders, ss[K_YEARS], defaults, first_year)
    ss[K_VALUES] = values
    with slots["io"]:
        _render_save_load(lang, values, defaults, first_year, load_options)
    return values


def group_key(kind: str, group: str) -> str:
    """The session key of an editor group's box (open or closed): ``gs_open_<lever|uncertainty>_<group>``."""
    return f"gs_open_{kind}_{group}"


def _render_group(kind: str, group: str, label: str, members: Sequence[Parameter], open_first: bool,
                  seeds: Mapping[str, float], defaults: Mapping[str, float], first_year: int,
                  lang: str) -> dict[str, float]:
    """One group's box of sliders; its sliders are drawn (and sent to the browser) only while the box is open.

    A closed box keeps its parameters' values in the session state (the edited scenario's values, or a value a
    callback has just written into a slider's key, such as the drag preview's release): 67 sliders with their help
    texts were some 49 KB of every lever step and page switch, and the editor a fifth of a switch's script
    (profiled), while a planner works in one group at a time. Opening a box reruns the page's fragment (Streamlit's
    ``on_change="rerun"``), which draws its sliders from the values kept.

    Parameters
    ----------
    kind : str
        ``lever`` or ``uncertainty``.
    group : str
        The group's key in the registry (``GROUP_LABELS``).
    label : str
        The box's title in the reader's language.
    members : Sequence[Parameter]
        The group's parameters of this kind, in registry order.
    open_first : bool
        Whether the box starts open (the first group of levers).
    seeds : Mapping[str, float]
        Every parameter's first-year value in the edited scenario, in its registry unit.
    defaults : Mapping[str, float]
        The baseline's value of every parameter, in its registry unit.
    first_year : int
        First projected year (calendar year).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    number_fields = bool(ss.get(W_NUMBER_FIELDS))
    icon = ":material/tune:" if kind == "lever" else ":material/casino:"
    box = st.expander(label, expanded=open_first, icon=icon, key=group_key(kind, group), on_change="rerun")
    out: dict[str, float] = {}
    with box:
        for p in members:
            if not box.open:
                out[p.id] = _kept(p, defaults[p.id], seeds[p.id], number_fields)
                continue
            out[p.id] = _control(p, defaults[p.id], seeds[p.id], lang, number_fields)
            entries = ss[K_YEARS].get(p.id)
            if entries:
                st.caption(t("year_values_note", lang, path=describe_path(entries, out[p.id], first_year, lang)))
    return out


def _kept(p: Parameter, default: float, seed: float, number_fields: bool) -> float:
    """A closed group's parameter: the value a callback left in its widget's key (taken out: the widget is not
    drawn), else the edited scenario's; the same value :func:`peek_values` read before the page was drawn."""
    key = widget_key(p.id, number_fields)
    ss.pop(widget_key(p.id, not number_fields), None)
    v = ss.pop(key) if key in ss else _typed(p, seed)
    return _settled(v, default)


def _render_year_editor(lang: str, defaults: dict[str, float], first_year: int) -> None:
    reg = parameters()
    box = st.expander(t("year_editor", lang), icon=":material/calendar_month:", key=K_OPEN_YEARS, on_change="rerun")
    if not box.open:  # closed: its choice of 60-odd labels and its table are not drawn; the year entries are kept
        return
    with box:
        st.caption(t("year_editor_caption", lang))
        options = year_keyable()
        if ss.get(W_YEAR_PARAM) not in options:
            with_entries = [pid for pid in options if ss[K_YEARS].get(pid)]
            ss[W_YEAR_PARAM] = with_entries[0] if with_entries else options[0]
        labels = {k: param_label_unit(reg[k], lang) + (" ✎" if ss[K_YEARS].get(k) else "") for k in options}
        pid = labelled_choice(st.selectbox, t("year_param", lang), options, labels, W_YEAR_PARAM)
        p = reg[pid]
        key = year_editor_key(pid)
        snaps = ss[K_YEAR_SNAP]
        if key not in ss or pid not in snaps:
            snaps[pid] = year_frame(ss[K_YEARS].get(pid))
        value_name = catalogue_text("value.name_aside", lang, name=t("value_col", lang), aside=unit(p.unit, lang))
        # In a popover: the table widget's code (0.5 MB of script) loads only when it is opened, not on first paint.
        with st.popover(t("year_table_button", lang), icon=":material/edit:", width="stretch"):
            edited = st.data_editor(  # the columns keep their names (the editor's state uses them); labels localised
                snaps[pid], key=key, num_rows="dynamic", hide_index=True, width=340,  # the popover sizes to it
                column_config={
                    "year": st.column_config.NumberColumn(t("year_col", lang), min_value=first_year + 1,
                                                          max_value=max(HORIZONS), step=1, format="%d", required=True),
                    "value": st.column_config.NumberColumn(value_name, min_value=p.lower, max_value=p.upper,
                                                           step=p.step if not p.integer else 1, required=True),
                })
        entries, problems, incomplete = entries_from_frame(edited, pid, first_year)
        if problems:
            st.error(t("year_table_error", lang, problem="; ".join(md_escape(problem_text(x, lang)) for x in problems)))
        else:
            years = dict(ss[K_YEARS])
            if entries:
                years[pid] = entries
            else:
                years.pop(pid, None)
            ss[K_YEARS] = years
        if incomplete:
            st.caption(t("year_incomplete", lang))
        # the slider's value, or the scenario's while its group is closed (its slider not drawn)
        kept = decompose(ss[K_VALUES], defaults, first_year)[0][pid]
        slider_now = ss.get(widget_key(pid, bool(ss.get(W_NUMBER_FIELDS))), kept)
        st.caption(t("year_path", lang, path=describe_path(
            compose({pid: float(slider_now)}, {pid: ss[K_YEARS].get(pid, {})}, defaults, first_year).get(pid),
            defaults[pid], first_year, lang)))


def _render_save_load(lang: str, values: dict, defaults: dict[str, float], first_year: int,
                      load_options: Mapping[str, Scenario]) -> None:
    box = st.expander(t("save_load", lang), icon=":material/save:", key=K_OPEN_IO, on_change="rerun")
    if not box.open:  # closed: nothing of it is drawn; the scenario's name is kept (Streamlit drops an undrawn
        if W_SAVE_NAME in ss:  # widget's value unless the script sets it again)
            ss[W_SAVE_NAME] = ss[W_SAVE_NAME]
        return
    with box:
        if W_SAVE_NAME not in ss:
            ss[W_SAVE_NAME] = t("edited_title", lang)
        name = st.text_input(t("scenario_name", lang), key=W_SAVE_NAME, max_chars=60)
        title = name.strip() or t("edited_title", lang)
        scenario = compute.named_scenario(title, values, defaults, first_year)
        if st.button(t("save", lang), help=t("save_help", lang), icon=":material/save:", key="save_button"):
            try:
                path = store.save(scenario)
                ss[K_SAVE_MSG] = ("success", t("saved_ok", lang, file=md_escape(path.name)))
            except (OSError, UserInputError) as err:
                ss[K_SAVE_MSG] = ("error", t("save_failed", lang, problem=md_escape(named_text(err, lang))))
        msg = ss.get(K_SAVE_MSG)
        if msg:
            getattr(st, msg[0])(msg[1])
        st.download_button(t("download_toml", lang), data=compute.scenario_toml(scenario),
                           file_name=store.download_name(title, "toml"), mime="application/toml",
                           on_click="ignore", key="download_toml", icon=":material/download:")
        st.divider()
        key = upload_key()
        st.file_uploader(t("upload", lang), type=["toml"], key=key, help=t("upload_help", lang),
                         on_change=_on_upload, args=(key,))
        msg = ss.get(K_UPLOAD_MSG)
        if msg:
            getattr(st, msg[0])(msg[1])
        st.divider()
        ss[K_LOAD_OPTIONS] = {k: dict(s.values) for k, s in load_options.items()}
        if ss.get(W_LOAD_PICK) not in load_options:
            ss[W_LOAD_PICK] = next(iter(load_options))
        labelled_choice(st.selectbox, t("load_into_editor", lang), list(load_options),
                        {k: pick((o.title_zh, o.title_en), lang) for k, o in load_options.items()}, W_LOAD_PICK)
        st.button(t("load", lang), on_click=_on_load, key="load_button", icon=":material/upload:")
        st.button(t("reset", lang), on_click=_on_reset, key="reset_button", icon=":material/restart_alt:")


# ---------------------------------------------------------------- notices and comparison


def render_notices(lang: str) -> None:
    """Draw the session's notices (bad URL, upload, load) at the top of the page, with a button to dismiss them."""
    notices = ss.get(K_NOTICES) or []
    for kind, text in notices:
        getattr(st, kind)(text)
    if notices:
        st.button(t("dismiss", lang), on_click=_dismiss_notices, key="dismiss_notices")


def compare_choice(keys: Sequence[str]) -> tuple[str, ...]:
    """The scenarios to compare: the chosen ones still available, else the default three."""
    chosen = ss.get(K_COMPARE)
    if chosen:
        kept = tuple(k for k in chosen if k in keys)
        if len(kept) >= 2:
            return kept
    return compute.default_comparison(keys)


def set_compare(keys: Sequence[str]) -> None:
    """Remember the scenarios chosen for comparison across pages and reruns."""
    ss[K_COMPARE] = tuple(keys)


def compare_picker(lang: str, titles: Mapping[str, str], current: Sequence[str]) -> tuple[str, ...]:
    """The 2–4 scenarios to compare (multiselect), remembered across pages.

    Parameters
    ----------
    lang : str
        ``zh`` or ``en``: the reader's language.
    titles : Mapping[str, str]
        Scenario titles by key, in ``lang``.
    current : Sequence[str]
        The keys compared now.
    """
    key = "cmp"
    if key not in ss or any(k not in titles for k in ss[key]):
        ss[key] = [k for k in current if k in titles]
    chosen = labelled_choice(st.multiselect, t("compare_pick", lang), list(titles), titles, key, max_selections=4,
                             placeholder=t("choose", lang),
                             select_all=0)  # no built-in "Select all" (English only; at most 4 anyway)
    if len(chosen) >= 2:
        set_compare(chosen)
    return tuple(chosen)


def pick_reference(lang: str, keys: Sequence[str], titles: Mapping[str, str]) -> str:
    """The scenario the difference table subtracts (a selectbox; the first one if the pick is no longer compared).

    Parameters
    ----------
    lang : str
        ``zh`` or ``en``: the reader's language.
    keys : Sequence[str]
        The compared scenarios' keys.
    titles : Mapping[str, str]
        Scenario titles by key, in ``lang``.
    """
    key = "diff_ref"
    if ss.get(key) not in keys:
        ss[key] = keys[0]
    return labelled_choice(st.selectbox, t("diff_ref", lang), list(keys), titles, key)
