"""The code passes ruff as configured in pyproject.toml: no syntax errors, no line over 120 columns, no
unused or undefined names (pyflakes), sorted imports, bugbear, comprehension, pyupgrade and simplify rules, and a
docstring on every public module, class, method and function of the core
and of the planner's app (pydocstyle D100-D107, numpy convention; tests and benchmarks are exempt from
docstrings).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("simulation", "calibration", "growthsim", "app", "benchmarks", "tests", "tools")


def test_ruff_check_is_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *PATHS], cwd=ROOT,
                         capture_output=True, text=True)
    # exit 0: no finding; 1: findings (listed below); 2: ruff itself failed (e.g. a bad configuration)
    assert out.returncode == 0, f"ruff check {' '.join(PATHS)} exited {out.returncode}:\n{out.stdout}{out.stderr}"
