"""The app's page style: a compact first screen, always-visible slider bounds, phones, one language.

Injected first in every run as a ``<style>`` element (:func:`inject`). Streamlit's
own widget texts (the file uploader's "… per file", "Upload") are replaced
here with the reader's language through CSS ``content``: the widget has no
option for them.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from .i18n import STREAMLIT_PATTERNS, STREAMLIT_WORDS, t

PHONE = 640  # px: below this the layout switches to one column, cards and scrolling tables
# A card's edge and its probability's colour by standing (contrast on white: edges 3:1 or more, text 4.5:1 or more;
# tests/app/test_app_access.py). The standing is also said in words and a sign on the card.
CARD_EDGES = {"green": "#1b8a3a", "amber": "#a87100", "red": "#c0392b", "grey": "#767676"}
CARD_TEXT = {"green": "#006100", "amber": "#9c5700", "red": "#9c0006", "grey": "#555555"}
STYLE_KEY = "gs_style"  # the hidden container holding the page style


def card_labels_css(card_labels: list[str]) -> str:
    """On a phone each row of the full scorecard is a card and each cell shows its column's name (a ``<style>``)."""
    cells = "\n".join(
        f'  [class*="st-key-scorecard"] [data-testid="stTable"] td:nth-child({i + 1})::before {{ content: "{lab}"; }}'
        for i, lab in enumerate(x.replace('"', "'") for x in card_labels))
    return f"<style>\n@media (max-width: {PHONE}px) {{\n{cells}\n}}\n</style>"


def texts_css(lang: str) -> str:
    """The texts put in place of Streamlit's own English (a ``<style>``): the file uploader's, in ``lang``."""
    drop = t("upload_limit", lang, mb=1).replace('"', "'")
    browse = t("upload_browse", lang).replace('"', "'")
    return f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: "{drop}"; font-size: 0.8rem;
  opacity: 0.7; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: "{browse}"; font-size: 0.875rem; }}
</style>"""


def language_script(lang: str) -> str:
    """A ``<script>`` that sets the page's ``lang`` attribute and puts Streamlit's own words in ``lang``.

    Streamlit writes ``<html lang="en">`` and its buttons, menus and tooltips in English whatever the page's
    language; a screen reader then reads Chinese with an English voice. The script marks the document
    ``zh-CN`` or ``en`` and, watching the page as Streamlit redraws it, replaces the words of
    :data:`app.i18n.STREAMLIT_WORDS` (visible text and ``aria-label``, ``title``, ``placeholder``) in Chinese
    mode, and back in English mode.
    """
    words = STREAMLIT_WORDS if lang == "zh" else {zh: en for en, zh in STREAMLIT_WORDS.items()}
    # each pattern as (regular expression, replacement) in the direction of the page's language
    pairs = STREAMLIT_PATTERNS if lang == "zh" else tuple((zh, en) for en, zh in STREAMLIT_PATTERNS)
    patterns = [("^" + re.escape(a).replace(re.escape("{0}"), "(.+)") + "$", b.replace("{0}", "$1"))
                for a, b in pairs]
    return f"""<script>
(() => {{
  const w = window.parent && window.parent.document ? window.parent : window;
  const doc = w.document;
  doc.documentElement.lang = {json.dumps("zh-CN" if lang == "zh" else "en")};
  w.__gsWords = {json.dumps(words, ensure_ascii=False)};
  w.__gsPatterns = {json.dumps(patterns, ensure_ascii=False)}.map(([a, b]) => [new RegExp(a), b]);
  const say = (v) => {{
    const t = v.trim();
    if (w.__gsWords[t]) return w.__gsWords[t];
    for (const [re, b] of w.__gsPatterns) if (re.test(t)) return t.replace(re, b);
    return null;
  }};
  const fix = (root) => {{
    if (!root) return;  // a text node already taken out of the page has no parent
    const els = root.querySelectorAll ? [root, ...root.querySelectorAll('[aria-label],[title],[placeholder]')] : [];
    for (const el of els) for (const a of ['aria-label', 'title', 'placeholder']) {{
      const v = el.getAttribute && el.getAttribute(a);
      const said = v && say(v);
      if (said) el.setAttribute(a, said);
    }}
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {{
      const v = n.nodeValue.trim();
      if (v && w.__gsWords[v] && !n.parentElement.closest('[data-testid=stMarkdownContainer]'))
        n.nodeValue = w.__gsWords[v];
    }}
  }};
  fix(doc.body);
  if (!w.__gsObserver) {{
    w.__gsObserver = new MutationObserver((ms) => {{
      for (const m of ms) {{
        if (m.type === 'childList') m.addedNodes.forEach((n) => fix(n.nodeType === 3 ? n.parentNode : n));
        else if (m.type === 'attributes') fix(m.target);
        else if (m.type === 'characterData' && m.target.parentNode) fix(m.target.parentNode);
      }}
    }});
    w.__gsObserver.observe(doc.body, {{childList: true, subtree: true, characterData: true, attributes: true,
                                       attributeFilter: ['aria-label', 'title', 'placeholder']}});
  }}
}})();
</script>"""

FIGURE_KEY = "gs_fig_"   # a chart's place: gs_fig_<chart key> (app/ui.py::place; its picture lies over it)
PICTURE_KEY = "gs_pic_"  # the chart's picture: gs_pic_<chart key> (app/ui.py::kept_picture)


def css() -> str:
    """The page's ``<style>`` element (the same in both languages: :func:`texts_css` holds the texts)."""
    return f"""<style>
/* the container of this style takes no room */
.st-key-{STYLE_KEY} {{ display: none; }}
/* a compact first screen: the charts and the scorecard fit 1440x900 */
.block-container, [data-testid="stMainBlockContainer"] {{ padding-top: 3.6rem; padding-bottom: 3rem; }}
h1 {{ font-size: 1.55rem !important; padding: 0 0 0.2rem 0 !important; }}
h3 {{ font-size: 1.15rem !important; padding-top: 0.3rem !important; }}
/* slider bounds visible at all times, not only on focus */
[data-testid="stSliderTickBar"] {{ opacity: 1 !important; transition: none !important; }}
/* the file uploader's own English: replaced */
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small
  {{ font-size: 0 !important; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"],
[data-testid="stFileUploaderDropzone"] button span:not([data-testid="stIconMaterial"]) {{ font-size: 0 !important; }}
/* tables scroll within themselves */
[data-testid="stTable"] {{ overflow-x: auto; max-width: 100%; }}
/* the compact scorecard (cards: Streamlit containers keyed gs_card_<colour>_<target>) */
.st-key-gs_cards {{ display: grid !important; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 6px;
                   margin: 2px 0 6px 0; }}
[class*="st-key-gs_card_"] {{ border: 1px solid #e3e3e3; border-left: 6px solid {CARD_EDGES["grey"]};
  border-radius: 6px;
                   padding: 3px 8px; background: #fff; gap: 0; }}
[class*="st-key-gs_card_"] [data-testid="stMarkdownContainer"], [class*="st-key-gs_card_"] p
  {{ margin: 0 !important; }}  /* Streamlit pulls a Markdown block's last line up by 1rem */
[class*="st-key-gs_card_"] p {{ font-size: 0.80rem; line-height: 1.25; color: #555; margin: 0; }}
[class*="st-key-gs_card_"] strong {{ font-size: 1.0rem; }}
{"".join(f'[class*="st-key-gs_card_{k}_"] {{ border-left-color: {CARD_EDGES[k]}; }} '
         f'[class*="st-key-gs_card_{k}_"] strong {{ color: {CARD_TEXT[k]}; }}' + chr(10) for k in CARD_EDGES)}
/* a chart's place (app/ui.py::place): on a page drawn afresh (a session's first screen, a page switch) its picture
   (app/ui.py::kept_picture) lies over the chart's place until Vega has drawn the chart, then is hidden */
[class*="st-key-{FIGURE_KEY}"] {{ display: grid !important; grid-template-columns: minmax(0, 1fr); }}  /* full width:
   an auto track took the chart's own width, and a chart as wide as its container drew 16 px wide */
[class*="st-key-{FIGURE_KEY}"] > * {{ grid-area: 1 / 1; min-width: 0; }}
[class*="st-key-{FIGURE_KEY}"] > :has(> [class*="st-key-{PICTURE_KEY}"])
  {{ z-index: 1; background: #fff; pointer-events: none; overflow: hidden; }}
[class*="st-key-{FIGURE_KEY}"]:has([data-testid="stVegaLiteChart"] svg) > :has(> [class*="st-key-{PICTURE_KEY}"])
  {{ display: none; }}
[class*="st-key-{PICTURE_KEY}"] img {{ display: block; width: 100%; height: 100%; object-fit: contain;
  object-position: left top; max-width: 100%; }}
/* a chart's text alternative (app/ui.py::chart): read by a screen reader right after the chart, not shown */
[class*="st-key-alt_"] {{ position: absolute !important; width: 1px !important; height: 1px !important;
  overflow: hidden !important; clip-path: inset(50%) !important; white-space: nowrap !important; }}
/* the live lever preview's slider (app/live.py, a Vega-Lite binding): as wide as the chart, its label above it on
   a phone, so a thumb can drag it */
.vega-bindings .vega-bind label {{ display: flex; align-items: center; gap: 10px; width: 100%; flex-wrap: wrap; }}
.vega-bindings .vega-bind input[type=range] {{ flex: 1 1 220px; min-width: 160px; height: 28px; }}
/* the chart toolbar comes after the page's text in the keyboard order and is hidden on phones, where nothing
   hovers and it covered the titles */
@media (max-width: {PHONE}px) {{
  [data-testid="stElementToolbar"] {{ display: none !important; }}
  .block-container, [data-testid="stMainBlockContainer"] {{ padding-left: 0.8rem; padding-right: 0.8rem;
    padding-top: 3.6rem; }}
  .st-key-gs_cards {{ grid-template-columns: 1fr; }}
  /* a wide table keeps readable columns and scrolls sideways within its frame, not squeezed a character a line */
  [data-testid="stTable"] table {{ width: max-content; min-width: 100%; }}
  /* the full scorecard: one card per target, each cell with its column name */
  [class*="st-key-scorecard"] [data-testid="stTable"] thead {{ display: none; }}
  [class*="st-key-scorecard"] [data-testid="stTable"] table, [class*="st-key-scorecard"] [data-testid="stTable"] tbody,
  [class*="st-key-scorecard"] [data-testid="stTable"] tr {{ display: block; width: 100%; }}
  [class*="st-key-scorecard"] [data-testid="stTable"] tr {{ border: 1px solid #ddd; border-radius: 6px;
    margin-bottom: 8px; padding: 4px 6px; }}
  [class*="st-key-scorecard"] [data-testid="stTable"] td {{ display: flex; justify-content: space-between; gap: 12px;
    border: none !important; padding: 2px 2px !important; text-align: right; }}
  [class*="st-key-scorecard"] [data-testid="stTable"] td::before {{ font-weight: 600; color: #555; text-align: left;
    flex: 0 0 38%; }}
}}
</style>"""


def inject() -> None:
    """Add the page style (:func:`css`) to this run's page, as its first element (every page, the login too).

    It goes out as Markdown (HTML allowed) in a hidden container, the page's first element: the browser
    starts on the Markdown renderer, which the title and the compact scorecard's cards also use, with the
    page's first message, and the page has its look from the first paint.
    """
    with st.container(key=STYLE_KEY):
        st.markdown(css(), unsafe_allow_html=True)


def inject_texts(lang: str) -> None:
    """Add the reader's-language texts that replace Streamlit's own (:func:`texts_css`, :func:`language_script`),
    once the language is known."""
    st.html(texts_css(lang))
    st.html(language_script(lang), unsafe_allow_javascript=True)


def inject_card_labels(card_labels: list[str]) -> None:
    """Add the phone layout's column names of the full scorecard (:func:`card_labels_css`)."""
    st.html(card_labels_css(card_labels))
