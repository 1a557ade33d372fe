"""Helpers shared by the app's tests (imported by name: tests/app is on the test path)."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "app" / "main.py")


def new_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=90)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """Message text without Markdown escapes (the app escapes user-supplied text)."""
    return re.sub(r"\\(.)", r"\1", text)


def number(text: str) -> float:
    """'4,794 家' -> 4794.0; '27.74%' -> 27.74."""
    m = re.search(r"[-+]?[\d,]*\.?\d+", str(text))
    assert m, text
    return float(m.group(0).replace(",", ""))
