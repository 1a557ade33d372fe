"""Packaging: the folders simulation/, calibration/, scenarios/, app/ install as subpackages of growthsim.

Nothing generic lands at the top of site-packages, and each module has one name only
(``growthsim.simulation.model``, never ``simulation.model``): a module imported under two
names is two modules, with two copies of every class (isinstance fails) and of every cache.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("simulation", "calibration", "cities", "app")
CODE = ("simulation", "calibration", "cities", "app", "growthsim", "tests", "benchmarks")


def _clean_env() -> dict[str, str]:
    # No PYTHONPATH: only what is installed in this venv counts, not the checkout.
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=_clean_env(), capture_output=True, text=True)


def test_the_generic_names_are_not_importable_outside_the_checkout(tmp_path):
    for name in FOLDERS:
        out = _run(f"import {name}", tmp_path)
        # Outside the repository nothing called simulation/calibration/... is installed.
        assert out.returncode == 1, (name, out.stdout, out.stderr)
        assert f"ModuleNotFoundError: No module named '{name}'" in out.stderr, (name, out.stderr)


def test_the_installed_names_import_outside_the_checkout(tmp_path):
    code = ("import growthsim.simulation.model as m, growthsim.calibration.fit as f, growthsim.app.state, "
            "growthsim.cities; "
            "from growthsim.calibration.record import DATA_FILE, SOURCES_DIR; "
            "from growthsim.scenario_files import shipped_scenarios; "
            "from growthsim.calibration.targets import TARGETS_FILE; "
            "from growthsim.calibration.monitoring_data import MONITORING_DIR; "
            "from growthsim.project_list import SHIPPED_LIST; "
            "print(m.Projection.__module__, f.calibrate.__module__); "
            "print(DATA_FILE.is_file(), len(list(SOURCES_DIR.glob('*.txt'))) > 0, sorted(shipped_scenarios()), "
            "TARGETS_FILE.is_file(), len(list(MONITORING_DIR.glob('*.csv'))) > 0, SHIPPED_LIST.is_file())")
    out = _run(code, tmp_path)
    assert out.returncode == 0, out.stderr
    names, files = out.stdout.splitlines()
    # The classes live under their one installed name.
    assert names == "growthsim.simulation.model growthsim.calibration.fit"
    # Every shipped data file is found through its package: the calibration table with its sources,
    # the three scenarios, the plan targets, the monthly monitoring figures and the example project list.
    assert files == "True True ['baseline', 'downside', 'intensified'] True True True"


def _absolute_imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in
              ("__import__", "import_module") and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            yield node.lineno, node.args[0].value


def test_no_code_imports_a_folder_by_its_bare_name():
    offenders = []
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line, mod in _absolute_imports(tree):
                if mod.split(".")[0] in FOLDERS:
                    offenders.append(f"{path.relative_to(ROOT)}:{line} {mod}")
    # Run from the checkout (pytest, streamlit), `import simulation` would work and make a second copy.
    assert offenders == []


def test_the_wheel_installs_nothing_generic_at_the_top_and_ships_the_data(tmp_path):
    # Build the wheel from a copy of the sources, so the checkout gets no build/ folder.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in (*FOLDERS, "growthsim"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    code = "import sys, setuptools.build_meta as b; print(b.build_wheel(sys.argv[1]))"
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=src, env=_clean_env(),
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    wheel = tmp_path / out.stdout.strip().splitlines()[-1]
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    # Only the growthsim package and its metadata folder at the top of site-packages.
    assert top == {"growthsim", "growthsim-0.1.0.dist-info"}, top
    for f in ("growthsim/simulation/model.py", "growthsim/calibration/fit.py", "growthsim/app/main.py",
              "growthsim/explore/sweep.py", "growthsim/cities/qingdao/reported_figures.csv",
              "growthsim/cities/qingdao/city.toml", "growthsim/cities/qingdao/README.md",
              "growthsim/cities/qingdao/scenarios/baseline.toml", "growthsim/cities/qingdao/targets.toml",
              "growthsim/cities/qingdao/illustrative_projects_示例项目清单.csv",
              "growthsim/cities/qingdao/monitoring/regions.toml",
              "growthsim/cities/qingdao/monitoring/region_weights.toml",
              "growthsim/cities/qingdao/monitoring/qingdao_2021.csv"):
        assert f in names, f
    # Every source text the calibration table cites ships beside it.
    assert (sum(n.startswith("growthsim/cities/qingdao/sources/") and n.endswith(".txt") for n in names)
            == len(list((ROOT / "cities" / "qingdao" / "sources").glob("*.txt"))))
