"""simulation.batch: stacked runs give exactly the single-run numbers, and share their random numbers."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.batch import BlockRandom, fixed_inputs, project_many, simulate_settings, used_parameters
from simulation.model import project, simulate
from simulation.registry import parameters
from simulation.scenario import baseline


def test_project_many_gives_each_scenario_exactly_its_own_projection(calibration):
    scenarios = [baseline().with_values(upgrade_target=v, key_firm_growth=g)
                 for v, g in ((0, -10.0), (405, 13.0), (1200, 30.0))]
    rng = np.random.default_rng(99)
    many = project_many(calibration.base, scenarios, calibration.posterior, 2025, 300, rng)
    for s, got in zip(scenarios, many):
        alone_rng = np.random.default_rng(99)
        alone = project(calibration.base, s, calibration.posterior, 2025, 300, alone_rng)
        assert set(got.values) == set(alone.values)
        for k in alone.values:
            # the stacked run must be byte-identical, not merely close: the CLI reproduces seek's numbers
            assert np.array_equal(got.values[k], alone.values[k], equal_nan=True), k
        # rng is advanced exactly as one projection advances it
        assert rng.bit_generator.state == alone_rng.bit_generator.state


def test_block_random_repeats_one_block_for_every_setting():
    shared = BlockRandom(np.random.default_rng(5), block=3, blocks=4).standard_normal((2, 12, 5))
    single = np.random.default_rng(5).standard_normal((2, 3, 5))
    for s in range(4):
        # setting s (rows 3s..3s+2) sees exactly the block a 3-draw run would see
        assert np.array_equal(shared[:, 3 * s:3 * s + 3, :], single)


def test_block_random_refuses_draws_that_depend_on_row_parameters():
    src = BlockRandom(np.random.default_rng(1), block=2, blocks=3)
    with pytest.raises(TypeError, match="binomial"):
        src.binomial(np.array([10] * 6), 0.5)


def test_common_noise_makes_an_unrelated_factor_change_nothing(calibration):
    years = np.arange(calibration.base_year + 1, 2026)
    # two settings differing only in the high-tech premium, which does not enter the firm count
    values = np.array([[4.0, 500.0], [9.0, 500.0]])
    res = simulate_settings(calibration.base, calibration.posterior, ["high_tech_growth_premium", "upgrade_target"],
                            values, years, 50, np.random.default_rng(3))
    assert res["above_scale_firms"].shape == (2, 50, len(years) + 1)  # settings × draws × (base year + years)
    # same noise, same firm parameters: identical firm paths in every draw
    assert np.array_equal(res["above_scale_firms"][0], res["above_scale_firms"][1])
    # the premium does move the high-tech share (4% vs 9% a year compounds to different shares)
    assert (res["high_tech_share"][1, :, -1] > res["high_tech_share"][0, :, -1]).all()


def test_fixed_inputs_keep_values_fitted_to_reported_years(calibration):
    years = np.arange(calibration.base_year + 1, 2026)
    fitted = calibration.posterior.year_values
    assert fitted, "the shipped calibration fits a year value (2021's relative price drift)"
    year, values = next(iter(fitted.items()))
    pid, v = next(iter(values.items()))
    inputs = fixed_inputs(calibration.posterior, years, [pid], np.array([[-3.0], [3.0]]), 4)
    col = list(years).index(year)
    # the reported year keeps its fitted value whatever the setting; later years take the setting
    assert np.all(inputs[pid][:, col] == v)
    assert np.all(inputs[pid][:4, col + 1] == -3.0) and np.all(inputs[pid][4:, col + 1] == 3.0)


def test_used_parameters_are_exactly_those_that_move_the_model(calibration):
    used = used_parameters(calibration.base, calibration.posterior, 2025)
    reg = parameters()
    assert "upgrade_target" in used and "exit_rate" in used  # read in the firm accounting
    years = np.arange(calibration.base_year + 1, 2026)
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
