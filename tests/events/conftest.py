"""Fixtures for the event engine's tests."""

from __future__ import annotations

import pytest

from growthsim.project_list import read_project_list
from growthsim.simulation.events import ProjectSet


@pytest.fixture(scope="session")
def shipped_list() -> ProjectSet:
    return read_project_list()
