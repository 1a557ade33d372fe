"""Public functions of three or more arguments document each one in a numpy ``Parameters`` section.

House rule: numpy-style docstrings with units. The walk (``ast``, no import) covers ``simulation/``,
``calibration/``, ``growthsim/`` and ``app/``: every public function or method (name without a leading ``_``,
in a public class) whose arguments other than ``self``/``cls`` number three or more. A command-line command
(its defaults are ``typer.Option``/``typer.Argument``) is left out: each option's ``help=`` documents it and
``--help`` prints it, where a ``Parameters`` section would be printed too. Each argument must have an entry
(``name : type`` or ``a, b : type``) with a description below it. Whether the description gives the unit is
a reviewer's check; the walk holds the names that always carry one (years, draws).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("simulation", "calibration", "growthsim", "app")
MIN_ARGS = 3
HEADER = re.compile(r"^Parameters\n-{10,}\n", re.M)
NEXT_SECTION = re.compile(r"^\w[\w ]*\n-{3,}$", re.M)
# argument names whose unit is always the same: the description must say it
UNIT_WORDS = {"draws": "draw", "horizon": "year", "first_year": "year", "last_year": "year", "base_year": "year"}


def _is_command(fn: ast.FunctionDef) -> bool:
    defaults = fn.args.defaults + [d for d in fn.args.kw_defaults if d is not None]
    return any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ("Option", "Argument")
               for d in defaults)


def _arguments(fn: ast.FunctionDef) -> list[str]:
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    names += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
    return [n for n in names if n not in ("self", "cls")]


def public_functions(tree: ast.Module):
    """Public functions and methods of public classes, with their arguments."""
    def visit(node, private):
        for n in ast.iter_child_nodes(node):
            if isinstance(n, ast.ClassDef):
                yield from visit(n, private or n.name.startswith("_"))
            elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and not (private or n.name.startswith("_")):
                yield n, _arguments(n)
    yield from visit(tree, False)


def documented(doc: str) -> dict[str, str]:
    """The ``Parameters`` section's entries: argument name -> its description (empty when none)."""
    m = HEADER.search(doc)
    if not m:
        return {}
    section = doc[m.end():]
    nxt = NEXT_SECTION.search(section)
    section = section[:nxt.start()] if nxt else section
    entries, current = {}, []
    for line in section.splitlines():
        if line and not line[0].isspace():
            current = [n.strip().lstrip("*") for n in line.split(" : ")[0].split(",")]
            for n in current:
                entries[n] = ""
        elif line.strip():
            for n in current:
                entries[n] = (entries[n] + " " + line.strip()).strip()
    return entries


def problems_in(path: Path, root: Path = ROOT) -> list[str]:
    """What the walk finds wrong in one file: ``path::function: argument ...``."""
    found = []
    for fn, args in public_functions(ast.parse(path.read_text(encoding="utf-8"))):
        if len(args) < MIN_ARGS or _is_command(fn):
            continue
        where = f"{path.relative_to(root)}::{fn.name}"
        entries = documented(ast.get_docstring(fn) or "")
        if not entries:
            found.append(f"{where}: no Parameters section")
            continue
        for arg in args:
            if not entries.get(arg):
                found.append(f"{where}: {arg} is not described")
            elif arg in UNIT_WORDS and UNIT_WORDS[arg] not in entries[arg].lower():
                found.append(f"{where}: {arg}'s description does not give its unit ({UNIT_WORDS[arg]})")
    return found


def test_public_functions_of_three_or_more_arguments_document_each_one():
    found = [p for folder in FOLDERS for path in sorted((ROOT / folder).rglob("*.py")) for p in problems_in(path)]
    assert not found, "numpy Parameters sections missing or incomplete:\n" + "\n".join(found)


def test_the_walk_finds_what_is_missing(tmp_path):
    # the check itself: a made-up module with one complete docstring and three faulty ones
    (tmp_path / "m.py").write_text('''
def complete(a, b, *, draws=1):
    """Sum.

    Parameters
    ----------
    a, b : float
        Terms [亿元].
    draws : int
        Monte Carlo draws [draws].

    Returns
    -------
    float
    """


def bare(a, b, c):
    """No section."""


def partial(a, b, horizon):
    """Two of three.

    Parameters
    ----------
    a : float
        A term.
    horizon : int
        The end.
    """


def _private(a, b, c):
    """Not checked."""


def two(a, b):
    """Not checked: two arguments."""
''')
    assert problems_in(tmp_path / "m.py", root=tmp_path) == [
        "m.py::bare: no Parameters section",
        "m.py::partial: b is not described",
        "m.py::partial: horizon's description does not give its unit (year)",
    ]
