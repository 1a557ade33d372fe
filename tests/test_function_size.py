"""No function over 80 lines in the code a reader maintains (house rule: small named functions).

The length is counted as the AST gives it, from the ``def`` line to the function's last line (docstring and
comments included, decorators not); a nested function counts towards its parent and is checked itself too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("simulation", "calibration", "growthsim", "app")
MAX_LINES = 80  # the house rule's limit


def long_functions(folder: Path, root: Path = ROOT, limit: int = MAX_LINES) -> list[str]:
    """``path::name (lines)`` of every function in ``folder`` longer than ``limit`` lines."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > limit:
                    found.append(f"{path.relative_to(root)}::{node.name} ({lines} lines)")
    return found


def test_no_function_is_over_80_lines():
    found = [f for folder in FOLDERS for f in long_functions(ROOT / folder)]
    assert not found, f"functions over {MAX_LINES} lines (split them into named steps):\n" + "\n".join(found)


def test_the_walk_finds_a_long_function(tmp_path):
    # the check itself: a made-up module with an 81-line function is named, an 80-line one is not
    body = "\n".join(f"    x{i} = {i}" for i in range(79))
    (tmp_path / "m.py").write_text(f"def long():\n{body}\n    return 0\n\n\ndef fits():\n"
                                   + "\n".join(f"    y{i} = {i}" for i in range(78)) + "\n    return 0\n")
    assert long_functions(tmp_path, root=tmp_path) == ["m.py::long (81 lines)"]
