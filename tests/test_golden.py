"""Golden files for the shipped scenarios.

Each scenario's summary table (seed 20211, 1000 draws, to 2030) is compared
with tests/golden/<scenario>.csv. A change fails by printing the old and new
rows. After an intended model change, regenerate with
``GROWTHSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py`` and
review the diff before committing it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from growthsim.runner import RunSettings, run
from growthsim.scenario_files import load_scenario, shipped_scenarios

GOLDEN = Path(__file__).with_name("golden")
SETTINGS = RunSettings(draws=1000, seed=20211, horizon=2030)
NUMBERS = ["mean", "p05", "p10", "p50", "p90", "p95"]


def current_table(scenario_id: str, calibration) -> pd.DataFrame:
    result = run([load_scenario(scenario_id, first_year=calibration.base_year + 1)], SETTINGS, calibration)
    return result.projection_table


@pytest.mark.parametrize("scenario_id", ["baseline", "intensified", "downside"])
def test_shipped_scenario_matches_golden(scenario_id, calibration):
    assert scenario_id in shipped_scenarios()
    new = current_table(scenario_id, calibration)
    path = GOLDEN / f"{scenario_id}.csv"
    if os.environ.get("GROWTHSIM_UPDATE_GOLDEN") == "1":
        path.write_text(new.to_csv(index=False, float_format="%.10g"), encoding="utf-8")
    old = pd.read_csv(path, encoding="utf-8")
    new = pd.read_csv(io.StringIO(new.to_csv(index=False, float_format="%.10g")))
    assert list(old.columns) == list(new.columns)
    assert len(old) == len(new), f"row count changed: golden {len(old)}, now {len(new)}"
    keys_equal = (old[["scenario", "indicator", "unit", "year"]] == new[["scenario", "indicator", "unit", "year"]]).all(axis=1)
    # 1e-9 relative: the numbers are the same computation, so only float noise may differ.
    same = np.isclose(old[NUMBERS].to_numpy(float), new[NUMBERS].to_numpy(float), rtol=1e-9, atol=1e-9,
                      equal_nan=True).all(axis=1)
    bad = ~(keys_equal.to_numpy() & same)
    if bad.any():
        lines = []
        for i in np.flatnonzero(bad)[:20]:
            lines.append("golden: " + ",".join(map(str, old.iloc[i].tolist())))
            lines.append("now:    " + ",".join(map(str, new.iloc[i].tolist())))
        pytest.fail(f"{bad.sum()} rows differ from {path.name}:\n" + "\n".join(lines))
