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


@pytest.fixture(autouse=True, scope="session")
def _component_manifests_scanned_once():
    """Streamlit's AppTest scans every installed distribution's metadata for custom components at each new
    AppTest's first run (about 1 s under load: 420 METADATA files parsed). The installed packages do not change
    during a test session, so the scan's answer is kept after the first (the app uses no custom components)."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(manifest_scanner, "scan_component_manifests",
                   functools.cache(manifest_scanner.scan_component_manifests))
        yield
