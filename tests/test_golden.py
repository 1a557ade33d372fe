"""Golden files for the shipped scenarios.

Each scenario's summary table (seed 20211, 1000 draws, to 2030) is compared
with tests/golden/<scenario>.csv. A change fails by printing the old and new
rows. After an intended model change, regenerate with
``GROWTHSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py`` and
review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from golden_check import compare_golden

from growthsim.runner import RunSettings, run
from growthsim.scenario_files import load_scenario, shipped_scenarios

GOLDEN = Path(__file__).with_name("golden")
SETTINGS = RunSettings(draws=1000, seed=20211, horizon=2030)


def current_table(scenario_id: str, calibration) -> pd.DataFrame:
    result = run([load_scenario(scenario_id, first_year=calibration.base_year + 1)], SETTINGS, calibration)
    return result.projection_table


@pytest.mark.parametrize("scenario_id", ["baseline", "intensified", "downside"])
def test_shipped_scenario_matches_golden(scenario_id, calibration):
    assert scenario_id in shipped_scenarios()
    new = current_table(scenario_id, calibration)
    compare_golden(GOLDEN / f"{scenario_id}.csv", new)
