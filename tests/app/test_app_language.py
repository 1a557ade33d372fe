"""One language at a time: every page and every table in Chinese, then in English.

Walks each page (AppTest, the real script) in each language and collects what
a reader sees: titles, text, captions, messages, table headers and cells,
widget labels, options, help pop-ups and metrics. In Chinese mode nothing may
be English beyond a short list of symbols and names that are the same in both
(P10, GDP, TOML, Sobol…); in English mode nothing may be Chinese except quoted
source text (inside “…”), the source documents' own text and data values that
are names in Chinese (project names, districts). In neither may an id
(``upgrade_target``, ``mfg_share_2025``) or a source file name
(``001_5e00b26a04c94cbe.txt``) appear, except in the one place that names the
file as a detail. A quoted source sentence (“…”) stays in its own language in either mode (some figures are
cited from English summaries); a web address or a site's domain (the link of a figure cited by URL) is the same
in both; a selectbox column is read as the reader sees it, by its options' labels.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from app_testkit import new_app, open_editor, plain, run

from growthsim.app.main import PAGES

ID = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.-])")
FILE = re.compile(r"\d{3}_[0-9a-f]{16}")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
# Symbols and names written the same way in Chinese documents.
ZH_ALLOWED = {"P10", "P50", "P90", "P10–P90", "TOML", "CSV", "Excel", "PNG", "GDP", "Sobol", "Morris", "ST", "S1",
              "MB", "UTF", "SimPy", "English", "μ", "N", "R&D", "MODEL", "md", "PDF",
              "PPI", "APP", "QTV", "KOTRA",  # as Chinese sources write them (工业生产者出厂价格 PPI, 青岛新闻APP,
              # 青岛广播电视台 QTV, 大韩贸易投资振兴公社 KOTRA)
              "CRPS", "IS"}  # the back-test's scores, written as symbols (CRPS, IS90 interval score)
# A web address (the link of a figure cited by URL) or a site's domain is the same in both languages.
WEB = re.compile(r"\(?https?://[^\s)）\]]+\)?|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|ai|kr)(?:\.cn)?(?![a-z0-9-])")
# English-mode columns whose values are data in Chinese (names of projects, districts).
EN_DATA_COLUMNS = {"Project", "Industry", "District", "List", "Quote", "No.", "Scenario",
                   "Target quote", "Data quote"}  # the monitoring page's quoted target and figure
# the quoted sentence, a project list's own codes (no page shows a file name where a title exists)
ZH_DETAIL_COLUMNS = {"引文", "编号"}
# Made-up data carries its bilingual label in either language (the project's rule: 示例/illustrative everywhere).
ILLUSTRATIVE = ("示例/虚构", "示例")


def _strip_quotes(text: str) -> str:
    """Text with quoted source sentences (“…”) removed: a quote stays in the source's language."""
    text = re.sub(r"“[^”]*”", "", text)
    for label in ILLUSTRATIVE:
        text = text.replace(label, "")
    return text


def _texts(at) -> list[tuple[str, str]]:
    """(where, text) for everything the reader sees on the page."""
    out: list[tuple[str, str]] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "html"):
        for el in getattr(at, kind):
            # a page style is not shown text, but the texts it puts in place of Streamlit's own are
            out += [("style content", c) for c in re.findall(r'content: "([^"]*)"', str(el.value))]
            text = re.sub(r"<style>.*?</style>|<script>.*?</script>", " ", str(el.value), flags=re.S)
            text = re.sub(r"\]\([^)\s]*\)", "]", text)  # a Markdown link's target (?page=monitoring) is not read
            out.append((kind, re.sub(r"<[^>]+>", " ", text)))  # HTML cards: the text, not the tags
    for el in at.expander:
        out.append(("expander", str(el.label)))
    for kind in ("slider", "select_slider", "selectbox", "multiselect", "number_input", "text_input", "toggle",
                 "button", "radio"):
        for el in getattr(at, kind):
            out.append((f"{kind} label", str(el.label)))
            if getattr(el, "help", None):
                out.append((f"{kind} help", str(el.help)))
            if kind in ("selectbox", "multiselect", "radio"):
                out += [(f"{kind} option", str(o)) for o in el.options]
    for el in at.metric:
        out += [("metric", str(el.label)), ("metric", str(el.value))]
    for kind in ("table", "dataframe"):
        for el in getattr(at, kind):
            frame = el.value
            if hasattr(frame, "data"):  # a Styler
                frame = frame.data
            frame = pd.DataFrame(frame)
            labels = {}
            if kind == "dataframe":  # headers the reader sees: a column's configured label, else its name
                import json
                cfg = json.loads(el.proto.columns or "{}") if getattr(el.proto, "columns", "") else {}
                labels = {k: v.get("label") for k, v in cfg.items() if isinstance(v, dict) and v.get("label")}
                # a selectbox column shows each value by its option's label (format_func), not the stored id
                shown = {k: {o.get("value"): o.get("label") for o in (v.get("type_config") or {}).get("options", [])
                             if isinstance(o, dict)} for k, v in cfg.items() if isinstance(v, dict)}
                out += [(f"{kind} option", str(label)) for opts in shown.values() for label in opts.values()]
            else:
                shown = {}
            for col in frame.columns:
                out.append((f"{kind} header", str(labels.get(str(col), col))))
                as_shown = shown.get(str(col)) or {}
                for v in frame[col].tolist():
                    v = as_shown.get(v, v) if isinstance(v, str) else v
                    out.append((f"{kind}[{col}]", "" if v is None or (isinstance(v, float) and v != v) else str(v)))
    return out


def _problems(texts: list[tuple[str, str]], lang: str) -> list[str]:
    bad = []
    for where, text in texts:
        col = where[where.find("[") + 1:-1] if "[" in where else ""
        detail = col in (ZH_DETAIL_COLUMNS if lang == "zh" else {"Quote"})
        if detail:
            continue
        text = re.sub(r"`[^`]*`", "", text)  # a command line is code, the same in both languages
        text = WEB.sub("", plain(text))  # as the reader sees it: Markdown escapes ("reportify\\.ai") undone
        if FILE.search(text) or ID.search(text):
            bad.append(f"{where}: id or file name in {text[:120]!r}")
        if lang == "zh":  # a quoted source sentence (“…”) stays in its own language, here as in English mode
            words = set(LATIN_WORD.findall(_strip_quotes(text))) - ZH_ALLOWED
            if words:
                bad.append(f"{where}: English {sorted(words)[:5]} in {text[:120]!r}")
        elif col not in EN_DATA_COLUMNS and CJK.search(_strip_quotes(text)):
            bad.append(f"{where}: Chinese in {text[:120]!r}")
    return bad


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", [p.key for p in PAGES])
def test_every_page_is_in_one_language(page, lang):
    query = {"page": page} | ({"lang": "en"} if lang == "en" else {})
    at = run(open_editor(new_app(query)))  # every editor group open: every slider's label and help is read
    texts = _texts(at)
    assert len(texts) > 20  # the page was drawn: titles, tables and widgets were read
    bad = _problems(texts, lang)
    assert not bad, "\n".join(bad[:40])
    # Streamlit's own multiselect "Select all" is English in both languages: every multiselect turns it off
    # (select_all=0: shown for at most 0 options, i.e. never)
    assert [m.proto.select_all for m in at.multiselect] == [0] * len(at.multiselect)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_changed_scenario_and_a_bad_link_stay_in_one_language(lang):
    """The changes line, the baseline comparison and a link's error details, in the page's language."""
    query = {"upgrade_target": "800", "incremental_projects": "99999", "no_such_lever": "3"} | (
        {"lang": "en"} if lang == "en" else {})
    at = run(new_app(query))
    errors = plain(" ".join(e.value for e in at.error))
    if lang == "zh":
        assert "超出范围" in errors and "增量项目纳统数（incremental_projects）" in errors  # label beside the id
        assert "未知参数" in errors
    else:
        assert "out of bounds" in errors and "Incremental projects entering statistics (incremental_projects)" in errors
    # the error details name the bad keys beside their labels; everything else in one language
    texts = [(w, ID.sub("", x)) for w, x in _texts(at) if w != "error"]
    # in the error, each bad key stands beside its label ("增量项目纳统数（incremental_projects）"), and the
    # link's own keys beside their meaning ("draws（模拟次数）"): drop those pairs and the quoted values
    keyed = r"[（(]?[a-z]+(?:_[a-z0-9]+)*[)）]|[a-z]+(?:_[a-z0-9]+)*[（(][^)）]*[)）]|[a-z]+(?:_[a-z0-9]+)+|'[^']*'"
    bad = _problems(texts, lang) + _problems([("error", re.sub(keyed, "", plain(e.value))) for e in at.error], lang)
    assert not bad, "\n".join(bad[:40])


def test_every_parameter_has_its_chinese_description():
    # The Chinese editor's help is the registry entry's own Chinese description (declared with the entry: a
    # parameter cannot be added without it, the registry's model requires the field).
    from growthsim.simulation.registry import Parameter, parameters
    from growthsim.wording import parameter_description

    assert Parameter.model_fields["description_zh"].is_required()
    assert all(re.search(r"[\u4e00-\u9fff]", parameter_description(p, "zh")) for p in parameters().values())


@pytest.mark.parametrize("page", ["calibration", "pipeline", "backtest"])  # the pages whose tables have blanks
def test_blank_table_cells_read_a_dash_not_none(page):
    # st.dataframe shows a blank (NaN) cell as a grey "None" unless given a placeholder: every table
    # with a blank cell says "—" instead, in either language.
    at = run(new_app({"page": page, "draws": "200"}))
    blanks = [d for d in at.dataframe if isinstance(d.value, pd.DataFrame) and d.value.isna().any().any()]
    assert blanks, f"{page}: the page was expected to have a table with blank cells"
    assert all(d.proto.placeholder == "—" for d in blanks)
