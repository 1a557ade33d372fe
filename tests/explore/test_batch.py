"""simulation.batch: stacked runs give exactly the single-run numbers, and share their random numbers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from growthsim.simulation.batch import fixed_inputs, project_many, simulate_settings, used_parameters
from growthsim.simulation.model import PARTICLE, project, sample_inputs, simulate
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import baseline


def test_project_many_gives_each_scenario_exactly_its_own_projection(calibration):
    scenarios = [baseline().with_values(upgrade_target=v, key_firm_growth=g)
                 for v, g in ((0, -10.0), (405, 13.0), (1200, 30.0))]
    rng = np.random.default_rng(99)
    # horizon 2030, the default: the base year is the last reported one (2025), so 2026-2030 are projected
    many = project_many(calibration.base, scenarios, calibration.posterior, 2030, 300, rng)
    for s, got in zip(scenarios, many, strict=True):
        alone_rng = np.random.default_rng(99)
        alone = project(calibration.base, s, calibration.posterior, 2030, 300, alone_rng)
        assert set(got.values) == set(alone.values)
        for k in alone.values:
            # the stacked run must be byte-identical, not merely close: the CLI reproduces seek's numbers
            assert np.array_equal(got.values[k], alone.values[k], equal_nan=True), k
        # rng is advanced exactly as one projection advances it
        assert rng.bit_generator.state == alone_rng.bit_generator.state


def test_common_noise_makes_an_unrelated_factor_change_nothing(calibration):
    years = np.arange(calibration.base_year + 1, 2031)   # 2026-2030: the years after the last reported one
    # two settings differing only in the high-tech premium, which does not enter the firm count
    values = np.array([[4.0, 500.0], [9.0, 500.0]])
    res = simulate_settings(calibration.base, calibration.posterior, ["high_tech_growth_premium", "upgrade_target"],
                            values, years, 50, np.random.default_rng(3))
    assert res["above_scale_firms"].shape == (2, 50, len(years) + 1)  # settings × draws × (base year + years)
    # same noise, same firm parameters: identical firm paths in every draw
    assert np.array_equal(res["above_scale_firms"][0], res["above_scale_firms"][1])
    # the premium does move the high-tech share (4% vs 9% a year compounds to different shares)
    assert (res["high_tech_share"][1, :, -1] > res["high_tech_share"][0, :, -1]).all()


def test_fixed_inputs_are_the_point_values_a_noiseless_run_uses(calibration):
    years = np.arange(calibration.base_year + 1, 2031)
    names = ["upgrade_target", "exit_rate"]
    inputs = fixed_inputs(calibration.posterior, years, names, np.array([[300.0, 4.0], [900.0, 6.0]]), 3)
    plain = sample_inputs(baseline(), calibration.posterior, years, 6, None, stochastic=False)
    assert PARTICLE not in inputs  # no posterior row: every setting starts from the particles' mean state
    assert set(inputs) == set(plain) - {PARTICLE}
    for pid, arr in inputs.items():
        assert arr.shape == (6, len(years))  # 2 settings × 3 draws, one column per projected year
        if pid not in names:  # not a factor: the calibration's point value, exactly as a noiseless run has it
            assert np.array_equal(arr, plain[pid]), pid
    # setting s holds its value in every year and every one of its draws
    assert np.all(inputs["upgrade_target"][:3] == 300.0) and np.all(inputs["upgrade_target"][3:] == 900.0)
    assert np.all(inputs["exit_rate"][:3] == 4.0) and np.all(inputs["exit_rate"][3:] == 6.0)


def test_reported_flows_of_a_projected_year_win_over_every_setting(calibration):
    # projections start after the last reported year, so base.history is empty in the shipped calibration;
    # a base state that imposes a reported flow (here a fixture: 350 upgrades in 2026) must still win
    assert dict(calibration.base.history) == {}
    base = replace(calibration.base, history={2026: {"firm_upgrades": 350.0}})
    years = np.arange(2026, 2029)
    res = simulate_settings(base, calibration.posterior, ["upgrade_target"], np.array([[100.0], [1100.0]]), years,
                            20, np.random.default_rng(4))
    # 2026 (column 1 after the base year): the reported 350 whatever the target; 2027: the target decides
    assert np.all(res["firm_upgrades"][:, :, 1] == 350.0)
    assert (res["firm_upgrades"][1, :, 2] > res["firm_upgrades"][0, :, 2]).all()


def test_used_parameters_are_exactly_those_that_move_the_model(calibration):
    used = used_parameters(calibration.base, calibration.posterior, 2030)
    reg = parameters()
    assert "upgrade_target" in used and "exit_rate" in used  # read in the firm accounting
    # read in the output and price steps (seen only through the per-year parameters the model builds)
    assert {"growth_long_run", "high_tech_growth_premium", "ppi_long_run", "demand_shock_year"} <= set(used)
    # the event engine's stages are not read by the annual model
    assert not {"project_stall_probability", "service_capacity", "incremental_build_years"} & set(used)
    years = np.arange(calibration.base_year + 1, 2031)
    names = list(reg)
    low = np.array([[reg[n].lower if n not in used else calibration.posterior.default(n) for n in names]])
    high = np.array([[reg[n].upper if n not in used else calibration.posterior.default(n) for n in names]])
    a = simulate(calibration.base, fixed_inputs(calibration.posterior, years, names, low, 20), years,
                 np.random.default_rng(8))
    b = simulate(calibration.base, fixed_inputs(calibration.posterior, years, names, high, 20), years,
                 np.random.default_rng(8))
    # moving every unused parameter from its lower to its upper bound changes no number at all
    for k in a:
        assert np.array_equal(a[k], b[k], equal_nan=True), k
