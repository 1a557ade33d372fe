"""Closed-form checks: with noise and flows switched off, the recursion is plain compounding."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import BaseState, prior_posterior, sample_inputs, simulate
from simulation.scenario import baseline

BASE = BaseState(year=2020, above_scale_firms=3956, revenue=9589.3, profit=531.6, gdp=12400.56,
                 mfg_va_share_gdp=24.9, high_tech_share=10.8)
YEARS = np.arange(2021, 2031)


def quiet_inputs(**overrides: float) -> dict[str, np.ndarray]:
    """Deterministic inputs with every flow and shock set to zero, then ``overrides``."""
    inputs = {k: np.array(v, dtype=float) for k, v in
              sample_inputs(baseline(), prior_posterior(), YEARS, 1, None, stochastic=False).items()}
    zero = dict(upgrade_target=0, incremental_projects=0, exit_rate=0, policy_closures=0,
                tech_renovation_productivity_effect=0, demand_shock_size=0, price_level_growth=0,
                mfg_relative_price_drift=0, profit_margin_drift=0, incumbent_organic_growth=0, key_firm_growth=0)
    zero.update(overrides)
    for k, v in zero.items():
        inputs[k] = np.full((1, len(YEARS)), float(v))
    return inputs


def test_zero_flows_leave_the_firm_count_unchanged():
    out = simulate(BASE, quiet_inputs(), YEARS, None, stochastic=False, forced={})
    # No upgrades, no projects, no exits, no closures: the 2020 count (3956) stays.
    assert np.all(out["above_scale_firms"] == 3956)


@pytest.mark.parametrize("growth", [0.0, 3.0, 6.5, -1.5])
def test_constant_growth_compounds_exactly(growth):
    # Incumbents and key firms grow at the same constant rate; nothing else moves,
    # so output is revenue_2020 * (1 + g)^t exactly (up to float rounding).
    inputs = quiet_inputs(incumbent_organic_growth=growth, key_firm_growth=growth)
    out = simulate(BASE, inputs, YEARS, None, stochastic=False, forced={})
    t = np.arange(len(YEARS) + 1)
    expected_revenue = 9589.3 * (1 + growth / 100) ** t
    np.testing.assert_allclose(out["revenue"][0], expected_revenue, rtol=1e-12)
    np.testing.assert_allclose(out["above_scale_va_growth"][0, 1:], growth, atol=1e-9)


def test_gdp_outside_manufacturing_compounds_with_real_growth_and_prices():
    inputs = quiet_inputs(incumbent_organic_growth=0, key_firm_growth=0, non_mfg_gdp_real_growth=5,
                          price_level_growth=2)
    out = simulate(BASE, inputs, YEARS, None, stochastic=False, forced={})
    t = np.arange(len(YEARS) + 1)
    mfg_2020 = 12400.56 * 0.249
    # Manufacturing output is flat in real terms; its price rises with the price level.
    expected_mfg = mfg_2020 * 1.02 ** t
    expected_gdp = expected_mfg + (12400.56 - mfg_2020) * (1.05 * 1.02) ** t
    np.testing.assert_allclose(out["mfg_va"][0], expected_mfg, rtol=1e-12)
    np.testing.assert_allclose(out["gdp"][0], expected_gdp, rtol=1e-12)


def test_renovation_investment_compounds_at_its_growth_rate():
    inputs = quiet_inputs(tech_renovation_investment_growth=12, new_capacity_investment_growth=12)
    out = simulate(BASE, inputs, YEARS, None, stochastic=False, forced={})
    t = np.arange(len(YEARS) + 1)
    np.testing.assert_allclose(out["tech_renovation_investment"][0], 100 * 1.12 ** t, rtol=1e-12)
    # Both parts grow alike, so the whole grows at 12% too and the share stays put.
    np.testing.assert_allclose(out["industrial_investment_growth"][0, 1:], 12.0, rtol=1e-12)
    np.testing.assert_allclose(out["tech_renovation_share_industrial_investment"][0], 40.0, rtol=1e-12)


def test_high_tech_odds_grow_by_the_premium():
    inputs = quiet_inputs(high_tech_growth_premium=5)
    out = simulate(BASE, inputs, YEARS, None, stochastic=False, forced={})
    odds0 = 10.8 / 89.2
    odds = odds0 * 1.05 ** np.arange(len(YEARS) + 1)
    np.testing.assert_allclose(out["high_tech_share"][0], 100 * odds / (1 + odds), rtol=1e-12)


def test_upgrades_equal_pool_times_realisation_without_noise():
    inputs = quiet_inputs(upgrade_target=500, upgrade_pool_ratio=1.2, upgrade_realisation_rate=0.75)
    out = simulate(BASE, inputs, YEARS, None, stochastic=False, forced={})
    # pool = 500 * 1.2 = 600 candidates, three in four cross the threshold: 450 a year.
    np.testing.assert_allclose(out["firm_upgrades"][0, 1:], 450)
    np.testing.assert_allclose(out["above_scale_firms"][0], 3956 + 450 * np.arange(len(YEARS) + 1))


def test_projects_ramp_to_full_capacity_after_a_year():
    inputs = quiet_inputs(incremental_projects=10, project_full_capacity_output=4, project_first_year_ramp=0.5,
                          project_lag_years=0)
    out = simulate(BASE, inputs, YEARS, None, stochastic=False, forced={})
    revenue = out["revenue"][0]
    # Year 1: 10 projects at half of 4 亿元 = 20; afterwards each cohort adds 40 a year in full.
    assert revenue[1] - revenue[0] == pytest.approx(20)
    assert revenue[2] - revenue[1] == pytest.approx(20 + 20)  # new cohort's half + last cohort's second half
    assert out["project_growth_contribution"][0, 1] == pytest.approx(100 * 20 / 9589.3)


def test_demand_shock_cuts_output_in_its_year_and_recovers():
    inputs = quiet_inputs(demand_shock_size=4, demand_shock_year=2022, demand_shock_recovery=0.5)
    out = simulate(BASE, inputs, YEARS, None, stochastic=False, forced={})
    rev = out["revenue"][0]
    assert rev[1] == pytest.approx(9589.3)
    assert rev[2] == pytest.approx(9589.3 * 0.96)  # 4% lost in 2022
    assert rev[3] == pytest.approx(9589.3 * 0.98)  # half the loss made good in 2023
