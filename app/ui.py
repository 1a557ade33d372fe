"""Streamlit pieces shared by pages: a choice whose labels may change, a chart, the export buttons and the matching
command line."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Hashable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from growthsim import vega
from growthsim.calibration import city as packs

from . import compute, pictures, store
from .context import Ctx
from .i18n import md_escape
from .style import FIGURE_KEY, PICTURE_KEY

ss = st.session_state


def labelled_choice(widget, label: str, options: Sequence[str], labels: Mapping[str, str], key: str, **kw):
    """A selectbox, radio or multiselect whose option labels may change, its choice kept under ``key``.

    Streamlit (1.67) keeps these widgets' values in the browser as their labels, and a keyed widget keeps its
    identity when its labels change: a label that changed (the other language, a ✎ mark) came back from the browser
    as a value no option has (a city came back as its name; a language switch sent the page back to the first). So each
    set of labels gets a widget of its own, started from the choice kept under ``key``.

    Parameters
    ----------
    widget : callable
        ``st.selectbox``, ``st.sidebar.selectbox`` or a multiselect.
    label : str
        The widget's label, in the reader's language.
    options : Sequence[str]
        The option ids.
    labels : Mapping[str, str]
        Each option's label.
    key : str
        Where the choice (an option id) is kept.
    **kw
        The widget's other arguments (``on_change`` runs after the choice is kept under ``key``).
    """
    digest = hashlib.blake2s(repr([labels[o] for o in options]).encode("utf-8"), digest_size=4).hexdigest()
    wkey = f"{key}~{digest}"
    kept = ss.get(key)
    valid = kept is not None and (set(kept) <= set(options) if isinstance(kept, list) else kept in options)
    if valid:
        ss[wkey] = kept
        kw.pop("default", None)  # the kept choice starts the widget (Streamlit refuses a default beside it)
        kw.pop("index", None)
    then = kw.pop("on_change", None)

    def changed() -> None:
        ss[key] = ss[wkey]
        if then is not None:
            then()

    ss[key] = widget(label, list(options), format_func=labels.__getitem__, key=wkey, on_change=changed, **kw)
    return ss[key]


def chart(spec: dict, key: str) -> None:
    """Draw a Vega-Lite chart (:mod:`app.charts`, :mod:`growthsim.vega`) across its column, in the project's look.

    The chart's ``description`` is its text alternative: what it shows and its latest values against the
    targets. It is said in a visually hidden text right after the chart (``st-key-alt_<key>``), and the chart
    itself is labelled by its title: so a lever step leaves the specification as it was, and the browser
    updates the chart's data in place instead of compiling and laying it out again (the described values
    change at every step). Streamlit's theme is off: the specification carries its fonts (Chinese first) and
    colours, and its toolbar is hidden on phones by the page style.
    """
    alt = spec.get("description", "")
    # the key travels in the specification's usermeta too: a test reads a chart back by it
    st.vega_lite_chart({**spec, "description": chart_label(spec),
                        "usermeta": {**spec.get("usermeta", {}), "key": key}},
                       width="stretch", theme=None, key=key)
    if alt:
        with st.container(key=f"alt_{key}"):
            st.markdown(md_escape(alt))


def kept_chart(key: str, inputs: Hashable, build: Callable[[], dict]) -> None:
    """Draw the chart ``build`` makes (as :func:`chart`), built once per ``inputs`` and city pack for the server.

    A page switch reruns the whole script: without this, every chart of the page was built again from its
    tables (about a fifth of a switch's script, profiled with py-spy) and its rows turned into Arrow by
    Streamlit (another sixth), though nothing it shows had changed. Kept, a switch back to a page draws the
    same specification and rows without building either; a lever step changes ``inputs`` and builds anew.

    Parameters
    ----------
    key : str
        The chart's key (:func:`chart`).
    inputs : Hashable
        Everything the chart is built from (the scenarios' values, run settings, language, titles, sizes): two
        calls with the same ``inputs`` must build the same chart.
    build : Callable[[], dict]
        Makes the Vega-Lite specification.
    """
    chart(_kept_spec(str(packs.active().root), key, inputs, build), key)


@st.cache_resource(show_spinner=False, max_entries=512)  # a chart's specification and rows: ~10-40 KB each
def _kept_spec(pack_root: str, key: str, inputs: Hashable, _build: Callable[[], dict]) -> dict:
    """:func:`kept_chart`'s store: the specification with its rows already in Arrow (never changed in place:
    :func:`chart` and Streamlit copy its top level before they change it)."""
    return with_arrow_rows(_built(pack_root, key, inputs, _build))


@st.cache_resource(show_spinner=False, max_entries=64)  # a chart's rows only wait here for its picture
def _built(pack_root: str, key: str, inputs: Hashable, _build: Callable[[], dict]) -> dict:
    """The specification as built, its rows as lists: a chart and its picture build it once between them."""
    return _build()


# A run that has sent a page's first elements and its charts' pictures pauses this long (s) before the rest.
# Streamlit's browser side takes the messages that reach it together in one render: without a pause the cards and
# pictures wait for the charts, the tables and the sidebar's widgets to be laid out with them (a session's first
# screen: some 1.8 s to the cards on this machine in a new browser, against 1.35 s with the pause;
# benchmarks/bench_app.py). A lever step is not paused.
PAINT_PAUSE_S = 0.05


def let_it_paint() -> None:
    """Pause the run (:data:`PAINT_PAUSE_S`) so the browser draws what has been sent so far on its own."""
    time.sleep(PAINT_PAUSE_S)


# A picture is drawn as wide [px] as its chart's place at 1440 px with the sidebar open (measured in Chromium), so
# the chart that replaces it lies over it: a third of the main area (the headline charts) unless told, or half of
# it (two charts a row). Elsewhere the page style fits it to its place, its height as drawn.
PICTURE_WIDTH = 316
HALF_PICTURE_WIDTH = 482


def place(key: str):
    """A chart's place: the container to draw the chart into, and after it a slot for the chart's picture.

    On a page drawn afresh (a session's first screen, a page switch) the caller draws the chart's picture into the
    slot (``with slot:`` :func:`kept_picture`): it lies over the place until the browser's Vega has drawn the chart,
    then the page style hides it (``gs_fig_``). Left alone, the slot is an empty element, which on a later run takes
    the picture's place (a fragment's rerun leaves what it does not redraw).

    Parameters
    ----------
    key : str
        The chart's key.

    Returns
    -------
    tuple
        The container the chart is drawn into, and the picture's slot (``st.empty``).
    """
    with st.container(key=f"{FIGURE_KEY}{key}", gap=None):
        into = st.container()
        slot = st.empty()
    return into, slot


def kept_picture(key: str, inputs: Hashable, build: Callable[[], dict], width: int = PICTURE_WIDTH,
                 first_screen: bool = True) -> bool:
    """Stand in for the chart :func:`kept_chart` draws with the same arguments until the browser has drawn it: the
    same specification drawn by Vega on the server (:mod:`app.pictures`), kept per ``inputs`` and city pack like
    the chart. Returns whether the picture was drawn.

    A new browser draws a Vega-Lite chart only after fetching and compiling Vega's scripts: the first headline
    chart came ~2 s after the cards on this page (0.5 s in Streamlit's smallest chart app; benchmarks/bench_app.py).
    A browser that has Vega mounts a page's charts again at every page switch, after the page's tables and widgets
    (0.5-0.8 s to the first chart). On a session's first screen the picture is a Markdown image (the renderer the
    cards already use: no script to fetch before it is drawn; an ``st.html`` image came 0.5 s after the cards);
    later, Streamlit's image (the Markdown renderer parsed the picture's 20-40 KB data URL: a switch's first
    picture came ~30 ms later that way, in an A/B of 14 page switches). Either has an empty alternative text,
    so a screen reader passes it by: the chart's own text alternative follows the chart.

    Parameters
    ----------
    key, inputs, build
        As for :func:`kept_chart`.
    width : int
        The width it is drawn at [px]: about its place's on a 1440 px screen.
    first_screen : bool
        A session's first screen, whose browser has no Vega yet: a picture not yet kept is drawn now (the server's
        script waits ~0.2-0.3 s). Else (a page switch) a picture not yet kept is not drawn but made in the
        background for the next time.
    """
    pack_root = str(packs.active().root)
    kept = (pack_root, key, inputs, width)
    found = _pictures().get(kept)
    if found is None:
        spec = _built(pack_root, key, inputs, build)
        if not first_screen:
            _pictures().draw_later(kept, spec, width)
            return False
        found = _pictures().draw_now(kept, spec, width)
    src, height = found
    with st.container(key=f"{PICTURE_KEY}{key}", height=height, border=False):
        if first_screen:
            st.markdown(f"![]({src})")
        else:
            st.image(src, width="stretch", alt="")  # decorative, as the Markdown image: the chart says it
    return True


@st.cache_resource(show_spinner=False)  # once per server
def _pictures() -> pictures.Pictures:
    """The server's kept pictures (:func:`kept_picture`)."""
    return pictures.Pictures(size=64)


def wait_for_pictures(timeout: float = 60.0) -> None:
    """Wait until the pictures being made in the background are kept (tests)."""
    _pictures().wait(timeout)


@st.cache_resource(show_spinner=False)  # once per server
def warm_pictures_in_background() -> threading.Thread:
    """Start Vega's engine for :func:`kept_picture` in a thread: its first picture takes ~0.4 s longer than the
    next ones (vl-convert starting, measured), which the server's first session would otherwise wait for."""
    thread = threading.Thread(target=vega.svg, args=({"mark": "point", "height": 10}, 10), daemon=True,
                              name="growthsim-picture-warmup")
    thread.start()
    return thread


def kept_table(inputs: Hashable, build: Callable[[], pd.DataFrame]) -> pa.Table:
    """The table ``build`` makes, built once per ``inputs`` and city pack for the server, in Arrow as Streamlit
    would convert it (``st.dataframe`` sends an Arrow table as it is): a switch back to a page builds and
    converts it again no more (the compare page's difference table was ~16 % of a switch's script, py-spy).

    Parameters
    ----------
    inputs : Hashable
        Everything the table is built from: two calls with the same ``inputs`` must build the same table.
    build : Callable[[], pd.DataFrame]
        Makes the table.
    """
    return _kept_table(str(packs.active().root), inputs, build)


@st.cache_resource(show_spinner=False, max_entries=256)
def _kept_table(pack_root: str, inputs: Hashable, _build: Callable[[], pd.DataFrame]) -> pa.Table:
    """:func:`kept_table`'s store."""
    return arrow_table(_build())


def arrow_table(rows) -> pa.Table:
    """Rows (a list of records, or a data frame) as the Arrow table Streamlit would make of them."""
    return pa.ipc.open_stream(dataframe_util.convert_anything_to_arrow_bytes(rows)).read_all()


def with_arrow_rows(spec: dict) -> dict:
    """The specification with its inline rows (``data.values``) as an Arrow table, which Streamlit sends as it is
    (it converts a list of rows through pandas at every run); the same Arrow bytes as Streamlit makes of the list."""
    data = spec.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        return spec
    return {**spec, "data": {**data, "values": arrow_table(data["values"])}}


def chart_label(spec: dict) -> str:
    """The chart's own label for a screen reader (``usermeta.label``: its title unless it was given one), or its
    description when it has neither."""
    return spec.get("usermeta", {}).get("label") or spec.get("description", "")


def scenario_file(ctx: Ctx, key: str) -> str | None:
    """The file a ``growthsim run`` would read for a catalogue scenario, if there is one."""
    if key in ("baseline", "intensified", "downside"):
        return key
    if key == compute.EDITED:
        return store.download_name(ctx.edited_title or ctx.title(key), "toml")
    if key.startswith(compute.SAVED_PREFIX):
        return str(store.saved_dir() / f"{key[len(compute.SAVED_PREFIX):]}.toml")
    return None  # uploads keep their own file name; the policy + edits scenario has no file


def render_exports(ctx: Ctx, keys: list[str], where: str) -> None:
    """Excel (the CLI's workbook), the CSV tables, and the command line that writes the same workbook.

    The files are made when the button is pressed (deferred), not on every rerun.

    Parameters
    ----------
    ctx : Ctx
        The page's context: settings, calibration, scenarios.
    keys : list[str]
        The scenarios' keys.
    where : str
        A key that tells apart this page's widgets.
    """
    st.markdown(f"#### {ctx.t('exports')}")
    stem = store.safe_stem("_".join(ctx.title(k) for k in keys), fallback="growthsim")
    c1, c2, c3 = st.columns(3)
    c1.download_button(ctx.t("excel"), data=lambda: ctx.workbook(keys), file_name=f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       key=f"excel_{where}", icon=":material/table_view:", type="primary")
    c2.download_button(ctx.t("csv_proj"), data=lambda: ctx.projection_csv(keys), file_name=f"{stem}_projections.csv",
                       mime="text/csv", on_click="ignore", key=f"csv_proj_{where}", icon=":material/download:")
    c3.download_button(ctx.t("csv_targets"), data=lambda: ctx.targets_csv(keys), file_name=f"{stem}_targets.csv",
                       mime="text/csv", on_click="ignore", key=f"csv_targets_{where}", icon=":material/download:")
    st.caption(ctx.t("png_hint"))
    files = [scenario_file(ctx, k) for k in keys]
    if all(files):  # in a popover: its code block's highlighter (1.5 MB of script) loads only when it is opened
        with st.popover(ctx.t("cli_button"), icon=":material/terminal:"):
            st.caption(ctx.t("cli_equivalent"))
            st.code(compute.cli_command(files, ctx.draws, ctx.seed, ctx.horizon, ctx.through, ctx.latest_through,
                                        ctx.lang),
                    language="bash")
