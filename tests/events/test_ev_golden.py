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

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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


def text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, float_format="%.10g")


def compare(path: Path, new_frame: pd.DataFrame) -> None:
    if os.environ.get("GROWTHSIM_UPDATE_GOLDEN") == "1":
        path.write_text(text(new_frame), encoding="utf-8")
    assert path.exists(), f"{path.name} missing: generate it with GROWTHSIM_UPDATE_GOLDEN=1"
    old = pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""])
    new = pd.read_csv(io.StringIO(text(new_frame)), keep_default_na=False, na_values=[""])
    assert list(old.columns) == list(new.columns), f"{path.name}: columns changed"
    assert len(old) == len(new), f"{path.name}: row count changed: golden {len(old)}, now {len(new)}"
    numeric = [c for c in old.columns if pd.api.types.is_numeric_dtype(old[c]) and pd.api.types.is_numeric_dtype(new[c])]
    keys = [c for c in old.columns if c not in numeric]
    keys_equal = (old[keys].astype(str) == new[keys].astype(str)).all(axis=1).to_numpy()
    # 1e-9 relative: the same computation with the same seed, so only float noise may differ
    same = np.isclose(old[numeric].to_numpy(float), new[numeric].to_numpy(float), rtol=1e-9, atol=1e-9,
                      equal_nan=True).all(axis=1)
    bad = ~(keys_equal & same)
    if bad.any():
        lines = []
        for i in np.flatnonzero(bad)[:20]:
            lines.append("golden: " + ",".join(map(str, old.iloc[i].tolist())))
            lines.append("now:    " + ",".join(map(str, new.iloc[i].tolist())))
        pytest.fail(f"{bad.sum()} rows differ from {path.name}:\n" + "\n".join(lines))


@pytest.mark.parametrize("scenario_id", ["baseline", "intensified", "downside"])
@pytest.mark.parametrize("table", ["events", "events_pipeline"])
def test_event_engine_matches_golden(results, scenario_id, table):
    compare(GOLDEN / f"{table}_{scenario_id}.csv", results[scenario_id][table])
