"""The layers hold: text ← simulation ← calibration ← services and exploration ← cli | app.

Every import in the installed code (at the top of a module or inside a function) is read with ``ast`` and
resolved to the module it names; a module may import its own layer and the layers below, never above, and the
command line and the app never import each other. The data packages (scenarios, monitoring) hold files only
and may be imported by any layer. The text catalogue (growthsim.i18n) is the bottom layer: every layer chooses
its messages by code, and the catalogue imports nothing of growthsim.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# installed name of each source folder (pyproject.toml's package-dir)
FOLDERS = {"simulation": "growthsim.simulation", "calibration": "growthsim.calibration", "app": "growthsim.app",
           "growthsim": "growthsim"}
DATA = ("growthsim.cities",)
RANK = {"text": -1, "simulation": 0, "calibration": 1, "services": 2, "cli": 3, "app": 3}


def layer(module: str) -> str | None:
    """The layer of an installed module name (None: a data package or not ours)."""
    if module.startswith(DATA) or not (module == "growthsim" or module.startswith("growthsim.")):
        return None
    for prefix, name in (("growthsim.i18n", "text"), ("growthsim.simulation", "simulation"),
                         ("growthsim.calibration", "calibration"),
                         ("growthsim.cli", "cli"), ("growthsim.app", "app")):
        if module == prefix or module.startswith(prefix + "."):
            return name
    return "services"  # growthsim itself, its service modules and growthsim.explore


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT)
    parts = list(rel.with_suffix("").parts)
    parts[0] = FOLDERS[parts[0]]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, relative imports resolved."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # "from growthsim import simulation" names a subpackage: judge the subpackage
            out += [(node.lineno, f"{base}.{a.name}" if base == "growthsim" else base) for a in node.names]
    return out


SOURCES = sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))


def test_the_walk_sees_every_layer():
    seen = {layer(module_name(p)) for p in SOURCES}
    assert seen == set(RANK), seen  # a folder renamed or moved would otherwise escape the check


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down_the_layers(path):
    mine = layer(module_name(path))
    wrong = []
    for line, target in imported(path):
        theirs = layer(target)
        if theirs is None or theirs == mine:
            continue
        if RANK[theirs] > RANK[mine] or {mine, theirs} == {"cli", "app"}:
            wrong.append(f"line {line}: {target} ({theirs}) from the {mine} layer")
    assert not wrong, wrong


def test_a_known_upward_import_is_caught(tmp_path):
    # known answer: the walk resolves a relative import two levels up and ranks it
    assert layer("growthsim.cli.explore") == "cli" and layer("growthsim.explore.seek") == "services"
    assert layer("growthsim.cities") is None and layer("numpy") is None
    path = ROOT / "simulation" / "model.py"
    assert ("growthsim.simulation.registry" in {m for _, m in imported(path)})
