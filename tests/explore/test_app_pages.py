"""The app's "what it takes" and sensitivity pages, run headless (streamlit.testing)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from growthsim.explore.common import fmt_value
from growthsim.explore.seek import seek
from simulation.batch import used_parameters
from simulation.registry import parameters
from simulation.scenario import baseline
from calibration.targets import targets

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=120)
    at.query_params["page"] = page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_what_it_takes_page_shows_the_same_answer_as_seek(calibration):
    at = open_page("seek")
    metrics = {m.label: m.value for m in at.metric}
    # the page's defaults: mfg_share_2025, 80 %, key_firm_growth, baseline, the app's 1000 draws and seed 20211
    res = seek(calibration, baseline(), [targets()["mfg_share_2025"]], [parameters()["key_firm_growth"]], 0.8,
               1000, 20211)
    s = res.solutions[0]
    assert metrics["所需取值"] == f"≥ {fmt_value(parameters()['key_firm_growth'], s.value)} %"
    assert metrics["达成概率"] == f"{s.point.probability(0):.1%}"
    at.segmented_control(key="seek_mode").set_value("two").run()
    assert not at.exception and not at.error
    assert len(at.dataframe) >= 1  # the frontier table
    at.segmented_control(key="seek_mode").set_value("each").run()
    assert not at.exception and not at.error


def test_sensitivity_page_computes_a_small_analysis(calibration):
    k = len(used_parameters(calibration.base, calibration.posterior, 2025))  # the factors: 25 today
    at = open_page("sensitivity")
    at.segmented_control(key="sens_source").set_value("app").run()   # not a CLI folder that may lie around
    at.select_slider(key="sens_n").set_value(64).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="sens_target").value.id == "mfg_share_2025"
    # N (k + 2) Sobol samples and 32 Morris trajectories of k + 1 points, 100 draws each
    runs = (64 * (k + 2) + 32 * (k + 1)) * 100
    assert any("N=64" in c.value and f"{runs:,}" in c.value for c in at.caption), [c.value for c in at.caption]
    assert len(at.dataframe) >= 1  # the leading-factor table
