"""Calibration: the 2020 base, the filter through 2025, re-running as known at an origin, newer figures."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from growthsim.calibration.fit import DATA_FILE, calibrate, parse_reported
from growthsim.simulation.model import project
from growthsim.simulation.scenario import Scenario, baseline

PARTICLES = 20_000  # enough for these checks, and fast


def test_the_filter_starts_from_the_reported_2020_base(calibration):
    assert calibration.start_year == 2020
    years = list(calibration.history_years)
    # Reported 2020 figures (003 and the 2020 bulletin) are every particle's starting state.
    expected = {"mfg_va_share_gdp": 24.9, "above_scale_firms": 3956, "revenue": 9589.3, "gdp": 12400.56,
                "high_tech_share": 10.8, "secondary_industry_va": 4361.56}
    for ind, value in expected.items():
        np.testing.assert_allclose(calibration.history[ind][:, years.index(2020)], value, rtol=1e-12, err_msg=ind)


def test_reported_flows_are_imposed_in_their_year(calibration):
    years = list(calibration.history_years)
    h = calibration.history
    # 001: 405 upgrades and 42 projects in 2021; 60 projects in 2022 and 100 in 2024 (public record).
    assert np.all(h["firm_upgrades"][:, years.index(2021)] == 405)
    for year, count in ((2021, 42), (2022, 60), (2024, 100)):
        assert np.all(h["projects_entering_statistics"][:, years.index(year)] == count)
    assert np.all(h["tech_renovation_investment_growth"][:, years.index(2021)] == 32.4)


def test_the_posterior_is_a_joint_distribution_not_a_point(calibration):
    draws = calibration.posterior.draws
    assert len(draws["growth_long_run"]) == 20_000
    assert np.std(draws["growth_long_run"]) > 0.1
    # Joint draws: every parameter's row i goes with state row i (the same particle).
    assert all(len(v) == len(calibration.base.state["cycle"]) for v in draws.values())


def test_report_lists_every_reported_figure(calibration, reported):
    assert len(calibration.report) == len(reported)
    filtered = calibration.report[calibration.report.note.astype(str) == "filtered: weighed in its year"]
    assert len(filtered) >= 20
    np.testing.assert_allclose(filtered.residual, filtered.model - filtered.reported)
    # every filtered figure lies inside the model's band in its year (within 3 measurement errors)
    assert filtered.within.all()


def with_rows(extra: str) -> pd.DataFrame:
    text = DATA_FILE.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra
    return parse_reported(text, "test.csv")


def test_a_newer_year_moves_the_start_of_projections():
    # A 2026 growth row, made up for this test only (TEST DATA, not a source figure).
    cal = calibrate(with_rows("2026,above_scale_va_growth,2.0,%,final,,2027,TEST,,,,,test row 2.0,\n"),
                    np.random.default_rng(1), particles=PARTICLES)
    assert cal.base_year == 2026 and cal.data_through == 2026
    proj = project(cal.base, baseline(), cal.posterior, 2028, 200, np.random.default_rng(2))
    assert int(proj.years[0]) == 2026
    np.testing.assert_allclose(proj.at("above_scale_va_growth", 2026), 2.0, atol=0.25)  # 5 measurement sds


def test_a_weak_newer_year_pulls_the_long_run_rate_down():
    base_fit = calibrate(with_rows(""), np.random.default_rng(1), particles=PARTICLES)
    weak = calibrate(with_rows("2026,above_scale_va_growth,-4.0,%,final,,2027,TEST,,,,,test row -4.0,\n"),
                     np.random.default_rng(1), particles=PARTICLES)
    assert weak.posterior.point["growth_long_run"] < base_fit.posterior.point["growth_long_run"]


def test_data_through_uses_only_rows_up_to_that_year(reported):
    cal = calibrate(reported, np.random.default_rng(1), data_through=2021, particles=PARTICLES)
    assert cal.data_through == 2021 and cal.base_year == 2021 and int(cal.reported.year.max()) == 2021
    proj = project(cal.base, baseline(), cal.posterior, 2023, 500, np.random.default_rng(2))
    # Without the 2022 rows, 2022's projects are drawn around the lever, not the reported 60.
    assert proj.at("projects_entering_statistics", 2022).std() > 0


def test_a_key_firm_push_raises_growth(calibration):
    fast = Scenario("fast", "快", "fast", values={"key_firm_growth": 30.0})
    a = project(calibration.base, baseline(), calibration.posterior, 2028, 300, np.random.default_rng(5))
    b = project(calibration.base, fast, calibration.posterior, 2028, 300, np.random.default_rng(5))
    # the key firms' extra growth over the baseline (17 points on about 16 % of output) lifts every draw
    assert np.all(b.at("above_scale_va_growth", 2026) > a.at("above_scale_va_growth", 2026))


def test_a_longer_horizon_leaves_earlier_years_unchanged(calibration):
    # Noise is drawn year by year, so the 2028 numbers do not depend on the horizon.
    short = project(calibration.base, baseline(), calibration.posterior, 2028, 300, np.random.default_rng(8))
    long = project(calibration.base, baseline(), calibration.posterior, 2035, 300, np.random.default_rng(8))
    for ind in ("above_scale_firms", "mfg_va_share_gdp", "revenue"):
        np.testing.assert_array_equal(short.values[ind], long.values[ind][:, : len(short.years)])


def test_an_announced_target_pulls_its_year_by_the_calibrated_share(calibration):
    # A deterministic path (every shock 0) with and without an announced 2026 target T: the pull adds
    # lambda * (T - expected growth) to 2026 only (target_pull), so the two paths differ in 2026 by
    # lambda * (T - g_without) exactly, where g_without is the expected growth (no loss, no pull).
    base = calibration.base
    post = calibration.posterior
    lam = post.default("growth_target_pull")
    without = project(base, baseline(), post, 2027, 1, stochastic=False)
    pulled = project(dataclasses.replace(base, announced={2026: (12.0, False)}), baseline(), post, 2027, 1,
                     stochastic=False)
    g0 = float(without.at("above_scale_va_growth", 2026)[0])
    g1 = float(pulled.at("above_scale_va_growth", 2026)[0])
    assert g1 - g0 == pytest.approx(lam * (12.0 - g0), rel=1e-9)
    # the pull is not part of the cycle: 2027 differs only through the levels it left behind (the
    # counts follow last year's cycle, which the pull does not change), far less than 2026 did
    g1_next = float(pulled.at("above_scale_va_growth", 2027)[0])
    g0_next = float(without.at("above_scale_va_growth", 2027)[0])
    assert abs(g1_next - g0_next) < 0.1 * abs(g1 - g0)


def test_the_projection_knows_only_next_years_announced_target(reported):
    # Data through 2023: the 2024 target (6.5%左右, announced in spring 2024 with the 2023 figures) is known,
    # the 2021 one is history (it pulled 2021 in the filter) and none is known for later years.
    cal = calibrate(reported, np.random.default_rng(1), data_through=2023, particles=PARTICLES)
    assert dict(cal.base.announced) == {2024: (6.5, False)}
    assert 0.0 < cal.posterior.point["growth_target_pull"] < 1.0


def test_a_floor_target_lifts_growth_expected_below_it_and_never_lowers_it(calibration):
    # "以上" is a floor the push defends: a floor above the expected growth pulls like a "左右" target, a
    # floor below it changes nothing (the model does not pull growth down toward a floor).
    base, post = calibration.base, calibration.posterior
    path = lambda announced: float(project(dataclasses.replace(base, announced=announced), baseline(), post,  # noqa: E731
                                           2026, 1, stochastic=False).at("above_scale_va_growth", 2026)[0])
    free = path({})
    assert path({2026: (free - 3.0, True)}) == free
    assert path({2026: (free + 3.0, True)}) == pytest.approx(path({2026: (free + 3.0, False)}), rel=1e-12)
    assert path({2026: (free - 3.0, False)}) < free  # "左右" pulls both ways
