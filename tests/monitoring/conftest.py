"""Fixtures of the monitoring tests (constants and row builders live in mon_helpers.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mon_helpers import SHIPPED


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the shipped monitoring folder that a test may change."""
    d = tmp_path / "monitoring"
    shutil.copytree(SHIPPED, d)
    return d
