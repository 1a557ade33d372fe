"""The app stays thin: its logic modules import no Streamlit, and importing the app runs nothing."""

from __future__ import annotations

import subprocess
import sys

from app_testkit import ROOT

LOGIC = tuple(f"growthsim.app.{m}" for m in ("state", "charts", "tables", "store", "compute", "i18n", "sources",
                                             "serve"))


def test_logic_modules_import_no_streamlit():
    code = (f"import sys; import {', '.join(LOGIC)}; "
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == ""


def test_importing_the_app_has_no_side_effects(tmp_path):
    # No page is drawn, no file written, nothing printed: Streamlit runs main() only as __main__.
    code = "import growthsim.app.main as m; print(len(m.PAGES) > 0)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.strip() == "True"
    assert "Warning" not in out.stderr and "ScriptRunContext" not in out.stderr
    assert list(tmp_path.iterdir()) == []
