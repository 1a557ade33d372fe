"""Golden files for the event engine on the shipped scenarios.

Each scenario is run with the event engine and the shipped illustrative list (seed 20211, 200 draws, to
2030). Its projection table is compared with tests/golden/events_<scenario>.csv and its pipeline summary
(项目管线汇总) with tests/golden/events_pipeline_<scenario>.csv. 200 draws: the files pin the numbers a fixed
seed gives (any change to the engine, the list or the calibration shows), not their accuracy, which
test_ev_agreement checks. A change fails by printing the golden and the new rows. After an intended model
change, regenerate with
``GROWTHSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/events/test_ev_golden.py -p no:cacheprovider``
and review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_check import compare_golden

from growthsim.runner import RunSettings, run
from growthsim.scenario_files import load_scenario

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
SETTINGS = RunSettings(draws=200, seed=20211, horizon=2030, engine="event")


@pytest.fixture(scope="module")
def results(calibration):
    out = {}
    for sid in ("baseline", "intensified", "downside"):
        res = run([load_scenario(sid, first_year=calibration.base_year + 1)], SETTINGS, calibration)
        tables = {stem: frame for stem, _sheet, _title, frame in res.extra_tables}
        out[sid] = {"events": res.projection_table, "events_pipeline": tables["pipeline"]}
    return out


@pytest.mark.parametrize("scenario_id", ["baseline", "intensified", "downside"])
@pytest.mark.parametrize("table", ["events", "events_pipeline"])
def test_event_engine_matches_golden(results, scenario_id, table):
    compare_golden(GOLDEN / f"{table}_{scenario_id}.csv", results[scenario_id][table])
