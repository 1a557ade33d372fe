"""The catalogue of interface text (growthsim/i18n): every message in both languages, each language whole.

Every code renders in Chinese and in English with sample fields; a Chinese message holds no Latin word beyond
ids, options, file names, commands and the symbols Chinese documents write in Latin letters (P10, GDP, TOML);
an English message holds no Chinese beyond quoted source text and the labels 示例 and 假设 (made-up data is
labelled 示例 and an assumption 假设 in every language, as the house rules ask). Every code the source names
exists in the catalogue, and every entry is used.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from growthsim.i18n import LANGS, Message, MessageError, Pair, _flatten, _resolved, catalogue, homes, text

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ("growthsim", "app", "calibration", "simulation")

# Symbols and names Chinese documents write in Latin letters, and what the user types (placeholders of syntax).
ZH_LATIN = {"P10", "P50", "P90", "P05", "P95", "P5",
            "TOML", "CSV", "Excel", "PNG", "GDP", "Sobol", "Morris", "ST", "S1",
            "MB",
            "UTF", "ILLUSTRATIVE", "SimPy", "PPI", "CRPS", "IS", "PRIM", "Dask", "KEY", "VALUE", "YEAR", "LOW", "HIGH",
            "LEVELS", "LEVER", "N", "A", "B", "TARGET", "P", "x", "Word", "URL", "PDF", "HTML", "JSON", "Parquet",
            "R&D", "ESS", "μ", "ID",
            "Streamlit", "Python", "BOM", "GBK", "UTF-8", "OWASP", "KB", "English", "YYYY", "MM", "DD", "YYYY-MM",
            "YYYY-MM-DD", "YYYY-01-01", "GB18030", "s", "n", "IS90", "UTC",
            "Markdown", "Shapley"}  # s: the error model's scale, a symbol; Shapley: the share's name (Shapley 值)
# What the user types: the program's name, the values of options and fields with fixed choices, the keys of
# the files' tables.
TYPED = {"growthsim", "zh", "en", "both", "vector", "event", "csv", "xlsx", "parquet", "lhs", "sobol", "random", "grid",
         "prim", "tree", "morris", "illustrative", "cumulative", "id", "parent", "months", "values", "source", "url",
         "publisher", "note", "stage", "password", "password_sha256",
         "avg", "change", "total",          # a compact target's forms (indicator@Y1-Y2:avg>=VALUE)
         "vary", "seed", "draws",           # the keys of a sweep's sweep.json
         "tcp", "HOST"}                     # a Dask scheduler's address, tcp://HOST:8786
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&-]*")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")
ID = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")
OPTION = re.compile(r"--[a-z][a-z-]*")
FILE = re.compile(r"[\w.\-/<>\u3400-\u9fff]+\.(?:csv|toml|json|xlsx|docx|parquet|png|html|txt|py|md|lock)\b|\b\w+/")
CODE = re.compile(r"`[^`]*`|growthsim [a-z]+")  # a command line is code, the same in both languages
KEY = re.compile(r"\[[a-z_.]+\]|'[a-z_]+'|\b[a-z_]+\.[a-z_0-9]+")  # a TOML section, a quoted key, a dotted key
WEB = re.compile(r"https?://\S+")
QUOTE = re.compile(r"“[^”]*”")
SAMPLE = 7  # every field's sample value: a number takes any numeric format spec and adds no letters


def fields_of(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def sample_fields(code: str) -> dict[str, object]:
    zh, en = catalogue()[code]["zh"], catalogue()[code]["en"]
    return dict.fromkeys(fields_of(zh) | fields_of(en), SAMPLE)


CODES = sorted(catalogue())


def test_the_catalogue_is_read_and_codes_name_their_file():
    assert len(CODES) > 0
    stems = {p.stem for p in (ROOT / "growthsim" / "i18n" / "catalogue").glob("*.toml")}
    assert {c.split(".")[0] for c in CODES} == stems  # every file holds entries, every code's first part is a file


@pytest.mark.parametrize("code", CODES)
def test_every_message_renders_in_both_languages_with_the_same_fields(code):
    entry = catalogue()[code]
    omitted = set(entry.get("omits", ()))  # declared: a library's English reason, shown in English only
    assert fields_of(entry["zh"]) | omitted == fields_of(entry["en"]) | omitted, code  # else a field would be lost
    assert set(entry) <= {"zh", "en", "omits"}, code
    assert all(f.isidentifier() for f in fields_of(entry["zh"])), code  # plain names: no attribute or index access
    for lang in LANGS:
        assert text(code, lang, **sample_fields(code)).strip(), (code, lang)


def latin_words(shown: str) -> set[str]:
    for pattern in (CODE, WEB, FILE, OPTION, KEY, ID, QUOTE):
        shown = pattern.sub(" ", shown)
    return set(LATIN_WORD.findall(shown.replace("示例", ""))) - ZH_LATIN - TYPED


@pytest.mark.parametrize("code", CODES)
def test_a_chinese_message_has_no_english_and_an_english_one_no_chinese(code):
    zh = text(code, "zh", **sample_fields(code))
    en = text(code, "en", **sample_fields(code))
    assert not latin_words(zh), (code, zh, latin_words(zh))
    assert not CJK.search(QUOTE.sub("", FILE.sub("", en)).replace("示例", "").replace("假设", "")), (code, en)


def test_the_checks_catch_the_other_language():
    # known answers: the Latin check sees an English word, not an id, option, file or symbol
    assert latin_words("未知参数 upgrade_target（--set，见 out/a.csv，P10）") == set()
    assert latin_words("超出 bounds") == {"bounds"}
    assert CJK.search("out of 范围")


def source_strings() -> dict[str, set[str]]:
    """Every string constant in the installed code, with the files it appears in."""
    out: dict[str, set[str]] = {}
    for folder in SOURCE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    out.setdefault(node.value, set()).add(str(path.relative_to(ROOT)))
    return out


# Areas whose entries the code names by key alone, through a helper that adds the area: the app's pages call
# app.i18n.t("run_facts", lang), which shows app.run_facts; a page's own _t("title", lang) shows
# seek_page.title. There a string constant equal to a key, or an f-string's literal start (t(f"role_{use}")
# names every app.role_...), names the entry. Area: (the folder or file that uses it, its helper's name).
KEYED_AREAS = {"app": ("app", "t"), "seek_page": ("app/page_seek.py", "_t"),
               "sensitivity_page": ("app/page_sensitivity.py", "_t"), "targets_page": ("app/page_targets.py", "_t"),
               "monitor_page": ("app/page_monitoring.py", "_t"), "pipeline_page": ("app/page_pipeline.py", "_t"),
               "login": ("app/login.py", "_t"), "workbook": ("growthsim/exports.py", "_w"),
               "backtest": ("growthsim/backtest_report.py", "_b"), "backtest_page": ("app/page_backtest.py", "_t"),
               "prior_table": ("app/page_backtest.py", "_p"), "scorecard": ("growthsim/scorecard.py", "_w"),
               "desk": ("growthsim", "header"), "seek_cli": ("growthsim/cli/explore.py", "_s"),
               "benchmark_page": ("app/page_benchmark.py", "_t"),
               "pipeline": ("growthsim/pipeline_report.py", "_g"),
               "pipeline_table": ("growthsim/pipeline_report.py", "_p"),
               "explore_cli": ("growthsim/cli/explore.py", "_x"),
               "tornado": ("growthsim/explore/sensitivity.py", "_n"),
               "monitor_table": ("growthsim/monitor_export.py", "_m"),
               "split": ("growthsim/target_split.py", "_p"),
               "desk_words": ("growthsim/target_words.py", "_d"),
               "monitor_cli": ("growthsim/cli/monitor.py", "_o"),
               "note": ("growthsim/target_note.py", "_h"),
               "core_cli": ("growthsim/cli/core.py", "_c")}


def keyed_uses(where: str, helper: str) -> tuple[set[str], set[str], set[str]]:
    """(string constants, f-string literal starts, first arguments of ``helper(...)`` calls) in ``where``'s code."""
    constants, starts, called = set(), set(), set()
    base = ROOT / where
    for path in ([base] if base.is_file() else base.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                starts.add(str(node.values[0].value))
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == helper
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                called.add(node.args[0].value)
    return constants, starts, called


def test_every_code_in_the_source_exists_and_every_entry_is_used():
    areas = {c.split(".")[0] for c in CODES}
    shaped = re.compile(r"[a-z_]+(?:\.[a-z0-9_]+)+")
    strings = source_strings()
    named = {s for s in strings if shaped.fullmatch(s) and s.split(".")[0] in areas
             and not re.search(r"\.(csv|toml|json|xlsx|parquet|py|md|txt|html|png)$", s)}
    for area, (where, helper) in KEYED_AREAS.items():
        keys = {c.split(".", 1)[1] for c in CODES if c.split(".")[0] == area}
        constants, starts, called = keyed_uses(where, helper)
        assert called <= keys, sorted(called - keys)  # t("key") names an entry the catalogue has
        named |= {f"{area}.{k}" for k in keys if k in constants or any(k.startswith(p) for p in starts if p)}
    # a code built in an f-string (f"record.status_{status}") names every code that starts with its literal part
    built = {start for folder in SOURCE_FOLDERS for start in keyed_uses(folder, "")[1]
             if shaped.fullmatch(start.rstrip("_")) and start.split(".")[0] in areas}
    named = (named - built) | {c for c in CODES if any(c.startswith(b) for b in built)}
    named |= {homes()[c] for c in named if c in homes()}  # a word is used by every entry that names it
    missing = sorted(f"{s} ({', '.join(sorted(strings[s]))})" for s in named - set(CODES))
    assert not missing, missing
    unused = sorted(set(CODES) - named)
    assert not unused, unused


def test_fields_are_shown_in_the_readers_language():
    # a nested message, a pair and a list follow the language of the message they are in (known answers)
    code = next(c for c in CODES if fields_of(catalogue()[c]["en"]))
    field = sorted(fields_of(catalogue()[code]["en"]))[0]
    others = dict.fromkeys(fields_of(catalogue()[code]["en"]) - {field}, SAMPLE)
    for value, zh, en in ((Pair("基准情景", "Baseline"), "基准情景", "Baseline"), (["a", "b"], "a、b", "a, b")):
        assert zh in text(code, "zh", **{field: value}, **others)
        assert en in text(code, "en", **{field: value}, **others)
    err = MessageError(code, **{field: Pair("甲", "A")}, **others)
    assert str(err) == err.text("en") and "甲" in err.text("zh")
    assert Message(code, **{field: 1}, **others) == Message(code, **{field: 1}, **others)


def _first_lower(en: str) -> str:
    return en[:1].lower() + en[1:]


def test_a_text_is_written_once():
    """No two entries with their own text say the same thing (the same Chinese, the same English but for the
    case of its first letter, the same fields left out): the second names the first (``same = "word.unit"``),
    so a change of wording is made in one place and every table that shows the word follows."""
    written: dict[tuple, list[str]] = {}
    for code in CODES:
        if code in homes():
            continue
        e = catalogue()[code]
        written.setdefault((e["zh"], _first_lower(e["en"]), tuple(e.get("omits", ()))), []).append(code)
    assert not {k: v for k, v in written.items() if len(v) > 1}


def test_an_entry_that_names_another_has_its_text_with_its_own_initial():
    """Known answer: a header naming a lower-case word reads it capitalised in English, Chinese unchanged; a
    name that points at nothing, or at another pointer, is refused (a text has exactly one home)."""
    raw: dict[str, dict] = {}
    _flatten({"unit": {"zh": "单位", "en": "unit"}, "col_unit": {"same": "t.unit", "initial": "upper"},
              "word_unit": {"same": "t.unit"}}, "t", raw)
    assert _resolved("t.col_unit", raw["t.col_unit"], raw) == {"zh": "单位", "en": "Unit"}
    assert _resolved("t.word_unit", raw["t.word_unit"], raw) == {"zh": "单位", "en": "unit"}
    with pytest.raises(ValueError, match="names no entry"):
        _resolved("t.x", {"same": "t.col_unit"}, raw)
    with pytest.raises(ValueError, match="initial"):
        _resolved("t.y", {"same": "t.unit", "initial": "title"}, raw)
    # in the shipped catalogue: the app's column header and the target desk's word are one text
    assert homes()["app.col_unit"] == homes()["desk.unit"] == "word.unit"
    assert (text("app.col_unit", "en"), text("desk.unit", "en"), text("app.col_unit", "zh")) == (
        "Unit", "unit", "单位")
