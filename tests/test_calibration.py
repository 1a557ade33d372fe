"""Calibration: exact base, 2021 within tolerance, a distribution, re-basing, back-tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.fit import DATA_FILE, calibrate, parse_reported
from simulation.model import project
from simulation.scenario import Scenario, baseline


def test_base_year_is_2020_and_every_draw_equals_the_reported_values(calibration):
    assert calibration.base_year == 2020
    proj = project(calibration.base, baseline(), calibration.posterior, 2025, 2000, np.random.default_rng(3))
    # Reported 2020 figures (003 and the 2020 bulletin via MODEL.md), reproduced exactly.
    expected = {"mfg_va_share_gdp": 24.9, "above_scale_firms": 3956, "revenue": 9589.3, "profit": 531.6,
                "gdp": 12400.56, "high_tech_share": 10.8}
    for ind, value in expected.items():
        assert np.all(proj.at(ind, 2020) == value), ind


def test_2021_outcomes_within_stated_tolerances(calibration):
    rep = calibration.report.set_index(["year", "indicator"])
    # Fitted outcomes: growth 8.1% (tolerance 0.3 in the CSV), projects' contribution ~1 point (0.15).
    assert abs(rep.loc[(2021, "above_scale_va_growth"), "residual"]) <= 0.3
    assert abs(rep.loc[(2021, "project_growth_contribution"), "residual"]) <= 0.15
    proj = project(calibration.base, baseline(), calibration.posterior, 2025, 2000, np.random.default_rng(4))
    # Reported 2021 flows are imposed in their year: every draw has 405 upgrades and 42 projects (001).
    assert np.all(proj.at("firm_upgrades", 2021) == 405)
    assert np.all(proj.at("projects_entering_statistics", 2021) == 42)
    # The Monte Carlo median of 2021 growth stays within the tolerance of the reported 8.1%.
    assert abs(np.median(proj.at("above_scale_va_growth", 2021)) - 8.1) <= 0.3


def test_calibration_yields_a_distribution_not_a_point(calibration):
    draws = calibration.posterior.draws["incumbent_organic_growth"]
    fitted = {f["parameter"]: f for f in calibration.report.attrs["fitted"]}
    assert len(draws) >= 1000
    # The draws' spread is the Laplace posterior's sd (within sampling error of 10%).
    assert np.std(draws) == pytest.approx(fitted["incumbent_organic_growth"]["sd"], rel=0.1)
    assert np.std(draws) > 0


def test_report_lists_every_reported_figure(calibration, reported):
    assert len(calibration.report) == len(reported)
    fit = calibration.report[calibration.report.role.isin(["base", "fit", "force"])]
    np.testing.assert_allclose(fit.residual, fit.model - fit.reported)


def with_rows(extra: str) -> pd.DataFrame:
    text = DATA_FILE.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra
    return parse_reported(text, "test.csv")


# Rows for a later year, made up for this test only (TEST DATA, not a source figure).
TEST_2022 = "\n".join([
    "2022,mfg_va_share_gdp,26.0,%,TEST,test row,",
    "2022,above_scale_firms,4300,家,TEST,test row,",
    "2022,revenue,11000,亿元,TEST,test row,",
    "2022,profit,600,亿元,TEST,test row,",
    "2022,gdp,14000,亿元,TEST,test row,",
    "2022,high_tech_share,12.0,%,TEST,test row,",
]) + "\n"


def test_adding_a_complete_newer_year_rebases_the_model():
    cal = calibrate(with_rows(TEST_2022), np.random.default_rng(1))
    assert cal.base_year == 2022
    proj = project(cal.base, baseline(), cal.posterior, 2025, 100, np.random.default_rng(2))
    assert int(proj.years[0]) == 2022
    assert np.all(proj.at("above_scale_firms", 2022) == 4300)
    assert np.all(proj.at("mfg_va_share_gdp", 2022) == 26.0)


def test_a_newer_growth_figure_alone_is_fitted_without_rebasing():
    cal = calibrate(with_rows("2022,above_scale_va_growth,3.0,%,TEST,test row,0.3\n"), np.random.default_rng(1))
    assert cal.base_year == 2020
    row = cal.report[(cal.report.year == 2022) & (cal.report.indicator == "above_scale_va_growth")].iloc[0]
    assert row.role == "fit" and np.isfinite(row.model)
    # A weak 2022 (3% in this test row) must pull the fitted organic growth down.
    base_fit = calibrate(with_rows(""), np.random.default_rng(1))
    assert cal.posterior.point["incumbent_organic_growth"] < base_fit.posterior.point["incumbent_organic_growth"]


def test_data_through_uses_only_rows_up_to_that_year(reported):
    cal = calibrate(reported, np.random.default_rng(1), data_through=2020)
    assert cal.data_through == 2020 and int(cal.reported.year.max()) == 2020
    assert 2021 not in cal.base.history
    proj = project(cal.base, baseline(), cal.posterior, 2022, 500, np.random.default_rng(2))
    # Without the 2021 rows, 2021's upgrades are drawn, not imposed.
    assert proj.at("firm_upgrades", 2021).std() > 0


def test_reported_key_firm_growth_is_imposed_in_its_year(calibration):
    # 001 reports the key firms' 2021 growth (13%); a scenario's value applies only after it.
    fast = Scenario("fast", "快", "fast", values={"key_firm_growth": 30.0})
    a = project(calibration.base, baseline(), calibration.posterior, 2023, 300, np.random.default_rng(5))
    b = project(calibration.base, fast, calibration.posterior, 2023, 300, np.random.default_rng(5))
    np.testing.assert_array_equal(a.at("above_scale_va_growth", 2021), b.at("above_scale_va_growth", 2021))
    assert np.all(b.at("above_scale_va_growth", 2022) > a.at("above_scale_va_growth", 2022))


def test_a_longer_horizon_leaves_earlier_years_unchanged(calibration):
    # Noise is drawn year by year, so the 2025 numbers do not depend on the horizon.
    short = project(calibration.base, baseline(), calibration.posterior, 2025, 300, np.random.default_rng(8))
    long = project(calibration.base, baseline(), calibration.posterior, 2035, 300, np.random.default_rng(8))
    for ind in ("above_scale_firms", "mfg_va_share_gdp", "revenue"):
        np.testing.assert_array_equal(short.values[ind], long.values[ind][:, : len(short.years)])
