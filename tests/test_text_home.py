"""Interface text has one home: no string literal in the code holds Chinese outside the catalogue.

Every sentence a reader sees is a catalogue entry (``growthsim/i18n/catalogue/*.toml``, both languages side by
side); a concept's own names sit on its declared entry (a lever's or uncertainty's in ``simulation/registry.py``,
an indicator's in ``simulation/indicators.py``, a unit's in ``simulation/units.py``); a city's names and
figures in its pack (``cities/<id>/``). So an AST walk over ``simulation/``, ``calibration/``, ``growthsim/``
and ``app/`` finds a string constant holding Chinese (CJK characters or full-width punctuation) only

- inside a declaration (the arguments of a ``Parameter``, ``Indicator`` or ``Unit`` entry, of a ``dict``
  entry of the parameter registry, of a reported figure's ``Known`` entry or a comparator's ``Wording``, and
  the parameter groups' names ``GROUP_LABELS``);
- equal to a unit's code (``亿元``, ``家``: the statistics' own ids, which the data files carry) or to the
  label 示例 (made-up data is labelled so in every language: a file-name tag and a column value);
- in a docstring (documentation of the code, not interface text), a pattern given to ``re.compile`` (what
  input is read: full-width signs a user may type, the 示例 tag of a file name) or a comparison
  (``"\u4e00" <= ch``: a character range, not text).

Text not yet moved is listed file by file in :data:`NOT_YET_MOVED` with its count (issue 18, item 2): the test
fails on a file not listed, and on a listed file whose count went up (new text outside the catalogue) or down
(the list must shrink with the code: lower the count, or remove the file). A branch ``if lang == "zh": <words>``
is one such literal, so the rule "no words in a language branch" holds itself as the list reaches zero.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from growthsim.simulation.units import units

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("simulation", "calibration", "growthsim", "app")
CHINESE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")

# file -> the calls whose arguments declare a concept's names and descriptions (one home each)
DECLARATIONS: dict[str, set[str]] = {
    # GROUP_LABELS: the groups' names; COMPARABLE_BASIS: a source's verbatim quote that several entries cite
    "simulation/registry.py": {"dict", "Parameter", "_P", "GROUP_LABELS", "COMPARABLE_BASIS"},
    "simulation/indicators.py": {"Indicator"},
    "simulation/units.py": {"Unit"},
    "calibration/record.py": {"Known"},      # a reported figure the model does not carry: its names
    "simulation/targets.py": {"Wording"},    # a comparator's word in each language (不低于, at least)
    "app/main.py": {"Page"},                 # a page's titles, declared once on its entry of PAGES
    "simulation/scenario.py": {"Scenario"},  # a scenario's titles and description (the baseline's)
    "app/compute.py": {"Scenario"},          # the app's own scenario, its titles
    "growthsim/io.py": {"FORMULA_START"},    # the full-width signs a cell may start with (what is read)
    "simulation/monitoring.py": {"INDICATORS"},      # the monthly figures' indicators: kind, units, names
    "simulation/ladder.py": {"Rung"},                # a rung's names (保底 / floor)
    "simulation/events.py": {"STAGE_ZH", "TYPE_ZH"},  # a project's stages and kinds (the pipeline files hold them)
    # a base figure's prior relation (its description in each language and its source) and the national figures'
    # verbatim quotes the relations cite
    "calibration/priors.py": {"Relation", "Citation", "INDUSTRIAL_VA_TEXT", "GROWTH_TEXT", "NATIONAL_2024",
                              "NATIONAL_MFG", "NATIONAL_MARGIN", "NATIONAL_HIGH_TECH"},
    # the files `growthsim city new` writes: their example tables (the same in both languages; their headers come
    # from the catalogue in the command's language)
    "growthsim/city_pack.py": {"CITY_TOML", "CITY_SOURCES_EXAMPLE", "TARGETS_EXAMPLE", "BASELINE_TOML",
                               "LEVERS_EXAMPLE"},
    # the project-list format: the column names and type words a list may use (what is read, as planners' files
    # write them, and what the illustrative list writes), not text shown to a reader
    "growthsim/project_list.py": {"ALIASES", "TYPES", "TYPE_WORDS"},
}
# values that are ids or labels rather than text (reason beside each)
# a unit's code is the statistics' id; 示例 labels made-up data and 假设 an assumption in every language
IDS = set(units()) | {"示例", "假设"}
FILE_NAME = re.compile(r"^[\w.\-]+\.(csv|toml|xlsx|json|txt)$")  # a file's name on disk is an id, not text

# file -> literals still holding Chinese (issue 18 item 2/3: interface text not yet in the catalogue); empty since
# the publishers' Chinese became the record's publisher_zh column. A file that gains one fails the test below.
NOT_YET_MOVED: dict[str, int] = {}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants of a module, its classes and functions."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _declared(tree: ast.AST, calls: set[str]) -> set[int]:
    """The ids of the constants inside the arguments of a declaring call, or the value of a declaring table."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None and any(
                getattr(t, "id", None) in calls for t in (node.targets if isinstance(node, ast.Assign) else
                                                          [node.target])):
            out |= {id(c) for c in ast.walk(node.value)}
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in calls:
            out |= {id(c) for arg in (*node.args, *(k.value for k in node.keywords)) for c in ast.walk(arg)}
    return out


def _not_text(tree: ast.AST) -> set[int]:
    """The ids of the constants that are a pattern (``re.compile``'s) or a comparison's operand (a range)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            out |= {id(c) for c in (node.left, *node.comparators) if isinstance(c, ast.Constant)}
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "compile" and node.args:
            out |= {id(c) for c in ast.walk(node.args[0])}
    return out


def chinese_literals(path: Path) -> list[tuple[int, str]]:
    """Each string constant of ``path`` that holds Chinese outside a docstring, a declaration or the ids."""
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree) | _declared(tree, DECLARATIONS.get(rel, set())) | _not_text(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and node.value not in IDS and not FILE_NAME.match(node.value) and CHINESE.search(node.value)]


def found() -> dict[str, list[tuple[int, str]]]:
    """The literals holding Chinese, file by file (files with none left out)."""
    out = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            hits = chinese_literals(path)
            if hits:
                out[path.relative_to(ROOT).as_posix()] = hits
    return out


def test_chinese_text_lives_in_the_catalogue_the_declarations_or_the_packs():
    now = found()
    wrong = {f: (len(now.get(f, [])), NOT_YET_MOVED.get(f, 0), [f"{n}: {v[:40]!r}" for n, v in now.get(f, [])[:3]])
             for f in set(now) | set(NOT_YET_MOVED) if len(now.get(f, [])) != NOT_YET_MOVED.get(f, 0)}
    assert not wrong, wrong  # file: (literals now, listed, the first few)


def test_the_walk_finds_a_literal_and_skips_a_docstring_and_a_declaration(tmp_path):
    # known answers on a small module: a branch with words is found; its docstring and a declaration are not
    src = ('"""模块说明。"""\n'
           'def f(lang):\n    """函数说明。"""\n    return "你好" if lang == "zh" else "hello"\n'
           'X = Indicator("gdp", "地区生产总值", "GDP", "亿元")\n'
           'Y = re.compile(r"_示例$")\nZ = "\\u4e00" <= "甲"\n')
    tree = ast.parse(src)
    skip = _docstrings(tree) | _declared(tree, {"Indicator"}) | _not_text(tree)
    hits = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in skip and CHINESE.search(n.value)]
    assert hits == ["你好"]
    assert "亿元" in IDS and "示例" in IDS and "不是数字" not in IDS


def test_english_names_and_reasons_hold_no_chinese():
    # the English of a declared name, a parameter's description and a target's reason is whole: the views show it
    # as it is written (no Chinese aside is stripped after the fact), so none may hold Chinese
    from growthsim.calibration import city
    from growthsim.calibration.record import KNOWN
    from growthsim.calibration.targets import targets
    from growthsim.simulation.indicators import indicators
    from growthsim.simulation.registry import parameters

    texts = [(pid, p.label_en) for pid, p in parameters().items()]
    texts += [(pid, p.description) for pid, p in parameters().items()]
    texts += [(k, m.name_en) for k, m in indicators().items()] + [(k, v.label_en) for k, v in KNOWN.items()]
    for pack in city.shipped_ids():
        with city.using(pack):
            texts += [(f"{pack}:{k}", t.label_en) for k, t in targets().items()]
            texts += [(f"{pack}:{k}", t.untracked_reason) for k, t in targets().items()]
    assert len(texts) > 100  # the walk saw the registry, the indicators and both packs' targets
    assert not [(k, v) for k, v in texts if CHINESE.search(v)]


def test_a_description_names_another_parameter_by_a_declared_reference():
    # issue 18 item 2: no pattern finds ids in a rendered description; a description declares the parameter it
    # names ("{downturn_size}") and the view puts that parameter's English name there
    import string

    from growthsim.simulation.registry import parameters
    from growthsim.wording import parameter_description

    reg = parameters()
    refs = {p.id: [f for _, f, _, _ in string.Formatter().parse(p.description) if f is not None] for p in reg.values()}
    assert sum(len(r) for r in refs.values()) == 9  # the 9 references in 7 descriptions (simulation/registry.py)
    assert all(r in reg for rs in refs.values() for r in rs), refs
    bare = {p.id: w for p in reg.values() for w in re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", p.description)
            if w in reg and "{" + w + "}" not in p.description}
    assert not bare  # a parameter named by its bare id would reach the reader as an id
    shown = parameter_description(reg["rest_downturn_size"], "en")
    # the name of downturn_probability (its label_en), lower-cased mid-sentence; no brace or id left
    assert "its chance is the probability of a downturn year)" in shown and "{" not in shown, shown
    assert parameter_description(reg["rest_downturn_size"], "zh") == reg["rest_downturn_size"].description_zh
