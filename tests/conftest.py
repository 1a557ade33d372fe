"""Shared fixtures: the calibration on the shipped data, fitted once per session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from growthsim.calibration.fit import calibrate, read_reported

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def reported():
    return read_reported()


@pytest.fixture(scope="session")
def calibration(reported):
    return calibrate(reported, np.random.default_rng([20211, 1]))
