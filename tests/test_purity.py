"""The core is pure: importing `growthsim.simulation` (folder simulation/) pulls in no Streamlit and no file reading."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SIMULATION = Path(__file__).resolve().parent.parent / "simulation"


def test_importing_simulation_pulls_in_no_streamlit():
    code = ("import sys, growthsim.simulation, growthsim.simulation.model, growthsim.simulation.registry, "
            "growthsim.simulation.summary, growthsim.simulation.targets, growthsim.simulation.scenario; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly', 'openpyxl')); "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == ""


def test_simulation_does_no_file_io():
    forbidden_calls = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "read_csv", "to_csv",
                       "read_parquet", "to_parquet", "load", "loads"}
    offenders = []
    for path in SIMULATION.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in forbidden_calls:
                    offenders.append(f"{path.name}:{node.lineno} {name}()")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for m in mods:
                    if m.split(".")[0] in ("streamlit", "pickle", "os", "pathlib", "shutil"):
                        offenders.append(f"{path.name}:{node.lineno} import {m}")
    assert offenders == []
