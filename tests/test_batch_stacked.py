"""The stacked (settings, draws) path gives exactly the numbers of one projection per setting."""

from __future__ import annotations

import numpy as np
import pytest

from growthsim.simulation.batch import constant_paths, outcome_draws, sample_inputs_many, scenario_paths, simulate_many
from growthsim.simulation.indicators import indicators
from growthsim.simulation.model import PARTICLE, lagged_projects, project, sample_inputs, simulate
from growthsim.simulation.scenario import baseline

DRAWS = 30      # few draws: these tests check equality, not statistics
SEED = 41

# three settings: a lever, a year-keyed lever (as `seek --from-year` builds), and a drawn uncertainty
# (its value moves the centre of its posterior spread, so the clipped sum must match too)
SETTINGS = [
    {"upgrade_target": 150.0, "incremental_projects": {2026: 60.0, 2028: 120.0}, "growth_long_run": 5.0},
    {"upgrade_target": 405.0, "incremental_projects": 60.0, "growth_long_run": 6.5},
    {"upgrade_target": 1100.0, "incremental_projects": {2027: 10.0}, "growth_long_run": 8.0},
]


def scenarios():
    return [baseline().with_values(**s) for s in SETTINGS]


def test_stacked_inputs_are_each_settings_own_inputs(calibration):
    years = np.arange(calibration.base_year + 1, 2031)   # 2026-2030: after the last reported year (2025)
    post = calibration.posterior
    many = sample_inputs_many(baseline(), post, years, DRAWS, np.random.default_rng(SEED),
                              scenario_paths(scenarios(), post, years))
    assert many[PARTICLE].shape == (1, DRAWS, len(years))   # one posterior row per draw, shared by the settings
    assert many["upgrade_target"].shape == (3, 1, len(years))   # a varied lever: per setting, not per draw
    assert many["exit_rate"].shape == (1, DRAWS, len(years))    # a drawn parameter no setting varies: per draw
    assert many["growth_long_run"].shape == (3, DRAWS, len(years))  # varied and drawn: both
    for i, s in enumerate(scenarios()):
        alone = sample_inputs(s, post, years, DRAWS, np.random.default_rng(SEED))
        assert set(alone) == set(many)
        for pid, v in alone.items():
            # the same numbers as sample_inputs for that scenario with the same seed, bit for bit
            np.testing.assert_array_equal(np.broadcast_to(many[pid], (3, DRAWS, len(years)))[i], v, err_msg=pid)


@pytest.mark.parametrize("horizon", [2030, 2027])
def test_every_setting_gets_exactly_its_own_projection(calibration, horizon):
    years = np.arange(calibration.base_year + 1, horizon + 1)
    post = calibration.posterior
    rng = np.random.default_rng(SEED)
    res = simulate_many(calibration.base, baseline(), post, scenario_paths(scenarios(), post, years), years,
                        DRAWS, rng)
    assert set(res) == set(indicators())
    for i, s in enumerate(scenarios()):
        alone_rng = np.random.default_rng(SEED)
        alone = project(calibration.base, s, post, horizon, DRAWS, alone_rng)
        for k in indicators():   # every indicator, every year: identical, not merely close
            np.testing.assert_array_equal(res[k][i], alone.values[k], err_msg=k)
        # the generator ends where one projection leaves it (a caller can keep drawing from it)
        assert rng.bit_generator.state == alone_rng.bit_generator.state
    # the settings do differ (the levers move the firms): not three copies of one run
    assert not np.array_equal(res["above_scale_firms"][0], res["above_scale_firms"][2])


def test_a_shorter_horizon_leaves_the_earlier_years_unchanged(calibration):
    s = scenarios()[0]
    long = project(calibration.base, s, calibration.posterior, 2030, DRAWS, np.random.default_rng(SEED))
    short = project(calibration.base, s, calibration.posterior, 2027, DRAWS, np.random.default_rng(SEED))
    for k in indicators():
        # 2025 (base), 2026, 2027: the recursion is causal and its noise is drawn year by year
        np.testing.assert_array_equal(short.values[k], long.values[k][:, :3], err_msg=k)


def test_outcome_draws_stop_early_and_match_the_full_projection(calibration):
    post = calibration.posterior
    needs = [("gdp_real_growth", 2026), ("above_scale_firms", 2028), ("mfg_va_share_gdp", 2026)]
    years = np.arange(calibration.base_year + 1, 2029)   # the last year needed is 2028
    got = outcome_draws(calibration.base, baseline(), post, scenario_paths(scenarios(), post, years), needs,
                        DRAWS, np.random.default_rng(SEED))
    assert set(got) == set(needs)
    for i, s in enumerate(scenarios()):
        full = project(calibration.base, s, post, 2030, DRAWS, np.random.default_rng(SEED))   # horizon 2030
        for ind, year in needs:
            np.testing.assert_array_equal(got[(ind, year)][i], full.at(ind, year), err_msg=f"{ind} {year}")


def test_constant_paths_give_the_numbers_of_with_values(calibration):
    names = ["key_firm_growth", "tech_renovation_investment_growth"]
    values = np.array([[-5.0, 2.0], [13.0, 12.0], [25.0, 30.0]])
    got = outcome_draws(calibration.base, baseline(), calibration.posterior, constant_paths(names, values, 1),
                        [("gdp_real_growth", 2026)], DRAWS, np.random.default_rng(SEED))[("gdp_real_growth", 2026)]
    for i, row in enumerate(values):
        s = baseline().with_values(**dict(zip(names, map(float, row), strict=True)))
        alone = project(calibration.base, s, calibration.posterior, 2030, DRAWS, np.random.default_rng(SEED))
        np.testing.assert_array_equal(got[i], alone.at("gdp_real_growth", 2026))


def test_the_steps_give_the_same_numbers_on_one_and_two_row_axes(calibration):
    years = np.arange(calibration.base_year + 1, 2031)
    flat = sample_inputs(scenarios()[0], calibration.posterior, years, DRAWS, np.random.default_rng(SEED))
    one = simulate(calibration.base, flat, years, np.random.default_rng(7))
    # the same inputs as (2, draws, T): two identical settings; and as (1, draws, T)
    two = simulate(calibration.base, {k: np.stack([v, v]) for k, v in flat.items()}, years, np.random.default_rng(7))
    lone = simulate(calibration.base, {k: v[None] for k, v in flat.items()}, years, np.random.default_rng(7))
    for k in indicators():
        assert one[k].shape == (DRAWS, len(years) + 1) and two[k].shape == (2, DRAWS, len(years) + 1)
        for got in (two[k][0], two[k][1], lone[k][0]):
            np.testing.assert_array_equal(got, one[k], err_msg=k)


def test_the_project_lag_is_read_per_setting():
    lever = np.array([[10.0, 20.0, 30.0, 40.0, 50.0]])            # 2026-2030, one path for every setting
    lag = np.array([[0.0], [1.0], [3.0]])[:, :, None] * np.ones((1, 1, 5))   # (settings, 1, T)
    # year index 3 with lags up to 3: the baseline before the first projected year (0.0 here) is never read
    got = lagged_projects({"incremental_projects": lever[:, None, :], "project_lag_years": lag}, 3, 0.0)
    # year index 3 (2029): lag 0 reads 2029's 40, lag 1 reads 2028's 30, lag 3 reads 2026's 10
    np.testing.assert_array_equal(got, [[40.0], [30.0], [10.0]])
    for s in range(3):   # and what the 1-D layout reads for a single setting's draws
        flat = lagged_projects({"incremental_projects": np.repeat(lever, 4, 0), "project_lag_years": lag[s].repeat(4,
                                                                                                                   0)},
                               3, 0.0)
        np.testing.assert_array_equal(flat, np.full(4, got[s, 0]))


def test_a_deterministic_stacked_run_is_the_deterministic_path(calibration):
    years = np.arange(calibration.base_year + 1, 2031)
    post = calibration.posterior
    res = simulate_many(calibration.base, baseline(), post, scenario_paths(scenarios(), post, years), years, 1,
                        None, stochastic=False)
    for i, s in enumerate(scenarios()):
        alone = project(calibration.base, s, post, 2030, 1, stochastic=False)
        for k in indicators():
            np.testing.assert_array_equal(res[k][i], alone.values[k], err_msg=k)
