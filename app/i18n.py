"""The app's interface text: the catalogue's ``app`` entries (growthsim/i18n/catalogue/app.toml), by key.

Parameter, indicator, target and scenario names come from the registry, the indicator list, the target
list and the scenario files, each of which carries both languages. Streamlit's own words (its buttons and
menus) are the catalogue's ``streamlit`` entries, read here English to Chinese for the browser to replace.
"""

from __future__ import annotations

from growthsim.i18n import catalogue, text
from growthsim.settings import DEFAULT_LANG, LANGS  # noqa: E402,F401 - the settings' languages, re-exported


def _streamlit_keys(kind: str) -> list[str]:
    """The keys of the catalogue's ``streamlit.<kind>_<key>`` entries, in the file's order."""
    return [c[len(f"streamlit.{kind}_"):] for c in catalogue() if c.startswith(f"streamlit.{kind}_")]


# Streamlit's and the charts' own words (buttons, menus, tooltips, the running indicator): English in Streamlit,
# put in the reader's language in the browser (app.style.language_script), as Streamlit offers no setting for them.
# English -> Chinese, from the catalogue's streamlit.word_* entries.
STREAMLIT_WORDS: dict[str, str] = {text(f"streamlit.word_{k}", "en"): text(f"streamlit.word_{k}", "zh")
                                   for k in _streamlit_keys("word")}
# Streamlit's words with a label inside: (English pattern, Chinese), {0} the label as the page shows it.
STREAMLIT_PATTERNS: tuple[tuple[str, str], ...] = tuple(
    (text(f"streamlit.pattern_{k}", "en", label="{0}"), text(f"streamlit.pattern_{k}", "zh", label="{0}"))
    for k in _streamlit_keys("pattern"))

from growthsim.presentation import CALIBRATION_LABELS  # noqa: E402,F401 - re-exported


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The app's text ``key`` in ``lang``, formatted with ``fmt``: the catalogue's ``app.<key>``
    (growthsim/i18n/catalogue/app.toml).

    Parameters
    ----------
    key : str
        The text's key.
    lang : str
        ``zh`` or ``en``: the reader's language.
    **fmt
        The template's fields.
    """
    return text(f"app.{key}", lang, **fmt)


def pick(pair: tuple[str, str], lang: str) -> str:
    """One of a (zh, en) pair."""
    return pair[1] if lang == "en" else pair[0]


def md_escape(text: str) -> str:
    """Escape Markdown (and Streamlit's $…$ LaTeX) in text that came from a user or a file."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]<>()#+-.!|~$:":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
