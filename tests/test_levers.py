"""Levers as the statistics count them (issue 19, item 2): each mechanism against its closed form.

Deterministic paths (``stochastic=False``: every shock zero, parameters at their posterior means) make the
closed forms exact: the growth cycle does not depend on the levers (they add to growth, not to the cycle), so
two settings share their cycle, and a difference of growth is a difference of lever effects.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from growthsim.simulation import dynamics as dyn
from growthsim.simulation.events import _outside_crossings, run_pipeline
from growthsim.simulation.model import project, sample_inputs
from growthsim.simulation.scenario import baseline

HORIZON = 2030
YEARS = list(range(2025, HORIZON + 1))  # the starting (last reported) year, then the projected ones
THRESHOLD = 0.2  # 亿元: 年主营业务收入2000万元, the above-scale threshold (simulation.model.THRESHOLD_REVENUE)


def path(calibration, **values):
    """The deterministic path of the baseline with ``values`` from the first projected year."""
    return project(calibration.base, baseline().with_values(**values), calibration.posterior, HORIZON, 1,
                   stochastic=False).values


def col(year: int) -> int:
    return YEARS.index(year)


def real_output(calibration, values) -> np.ndarray:
    """Above-scale real output (亿元, 2020 prices) each year: the starting state's, grown at the path's growth."""
    out = [float(np.mean(calibration.base.state["output"]))]
    for g in values["above_scale_va_growth"][0, 1:]:
        out.append(out[-1] * (1.0 + g / 100.0))
    return np.array(out)


def mean(calibration, pid: str) -> float:
    return calibration.posterior.default(pid)


# ------------------------------------------------------------------ upgrades (小升规)

def test_upgrades_add_firms_and_revenue_but_not_growth(calibration):
    """Comparable basis (同口径): an upgraded firm brings its last year into the base, so 400 more upgrades a
    year leave every growth rate, GDP and the share exactly as they were; the firm count gains the extra
    upgrades less the extra exits they bring; revenue gains 2000万元 per extra firm crossing (in or out)."""
    a, b = path(calibration), path(calibration, upgrade_target=805)
    for ind in ("above_scale_va_growth", "mfg_va_growth", "gdp_real_growth", "mfg_va_share_gdp", "gdp",
                "project_growth_contribution"):
        np.testing.assert_array_equal(a[ind], b[ind], err_msg=ind)  # not a digit moves
    d_up = b["firm_upgrades"][0, 1:] - a["firm_upgrades"][0, 1:]
    # 400 more in the target is round(805 x 1.2) - round(405 x 1.2) = 480 more in the pool, times the
    # realisation rate 1/1.2 and the year's deterministic landing factor L = exp(elasticity x cycle / 100),
    # the same in both paths; the baseline's count is 405 L: so the difference is 400 / 405 of it, within
    # the two counts' rounding to whole firms (1 each) and the rate's rounding (0.8333, 0.02 firm)
    assert np.abs(d_up - 400 / 405 * a["firm_upgrades"][0, 1:]).max() <= 2
    d_exit = b["firm_exits"][0, 1:] - a["firm_exits"][0, 1:]
    np.testing.assert_allclose(np.diff(b["above_scale_firms"][0] - a["above_scale_firms"][0]), d_up - d_exit,
                               atol=1e-9)  # whole firms, summed in floating point
    # revenue: R_t = R_{t-1} x m_t + 0.2 x (upgrades - exits), m_t the same in both paths (growth, prices and the
    # VA/revenue ratio do not move), so the gap follows dR_t = dR_{t-1} x m_t + 0.2 x (dU - dX)
    ra, rb = a["revenue"][0], b["revenue"][0]
    m = (ra[1:] - THRESHOLD * (a["firm_upgrades"][0, 1:] - a["firm_exits"][0, 1:])) / ra[:-1]
    gap = 0.0
    for k in range(len(m)):
        gap = gap * m[k] + THRESHOLD * (d_up[k] - d_exit[k])
        assert rb[k + 1] - ra[k + 1] == pytest.approx(gap, rel=1e-9)
    assert gap > 0.2 * 5 * 300  # five years of about 380 more firms a year, less their exits


def test_the_pool_is_not_a_cap_2021s_405_against_300_is_possible():
    """2021: target 300 (000), 405 realised (001). A pool of 1.2 x 300 = 360 firms with the realisation rate
    1/1.2 expects 300; a push landing at 405/300 = 1.35 expects 405, and the count is not cut at 360."""
    p = {"upgrade_target": np.array([300.0]), "upgrade_pool_ratio": np.array([1.2]),
         "upgrade_realisation_rate": np.array([1 / 1.2]), "lever_landing_spread": np.array([0.32]),
         "count_cycle_elasticity": np.array([0.0])}
    s = 0.32
    z_land = (math.log(405 / 300) + s * s / 2) / s  # exp(s z - s^2/2) = 1.35
    z = {"land_upgrades": np.array([z_land]), "upgrades": np.array([0.0])}
    st = {"cycle": np.array([0.0]), "loss": np.array([0.0])}
    count, centre = dyn.firm_upgrades(p, st, z, {})
    assert centre[0] == pytest.approx(300.0)
    assert count[0] == 405  # floor(405 + sqrt(405) x 0 + 1/2): above the pool of 360


def test_the_event_engine_counts_firms_outside_the_pool():
    """Where the push lands at q = 0.8333 x 1.35 = 1.125 of the pool (360), every pool firm crosses and
    Poisson(360 x 0.125 = 45) outside it: mean 405, as in the annual engine. Tolerance: 4 standard errors of
    the mean of 4000 Poisson(45) draws (sd 6.7)."""
    pool = np.full((4000, 1), 360.0)
    counts, last = _outside_crossings(np.random.default_rng(5), pool, np.full((4000, 1), 1.125))
    assert abs(counts.mean() - 45.0) <= 4 * math.sqrt(45.0 / 4000)
    assert ((last > 0) == (counts > 0)).all() and (last <= 1).all()
    none, _ = _outside_crossings(np.random.default_rng(5), pool, np.full((4000, 1), 0.99))
    assert (none == 0).all()  # a push within the pool's capacity brings nobody from outside


# ------------------------------------------------------------------ the project lag

@pytest.mark.parametrize("lag", [1, 2])
def test_the_project_lag_holds_from_the_first_projected_year(calibration, lag):
    """110 projects a year from 2026 instead of 60: nothing moves in the first ``lag`` years (the projects
    entering then were set in motion before the run, at the baseline's 60); then the entries jump by 50
    times the year's deterministic landing factor."""
    a, b = path(calibration, project_lag_years=lag), path(calibration, project_lag_years=lag, incremental_projects=110)
    for k in range(1, 1 + lag):
        for ind in ("projects_entering_statistics", "above_scale_va_growth", "mfg_va_share_gdp"):
            assert b[ind][0, k] == a[ind][0, k], (ind, YEARS[k])
    k = 1 + lag
    assert 45 <= b["projects_entering_statistics"][0, k] - a["projects_entering_statistics"][0, k] <= 55
    assert b["above_scale_va_growth"][0, k] > a["above_scale_va_growth"][0, k]


def test_the_event_engine_keeps_the_lag_too(calibration):
    """The event engine with no list, capacity unbound: 150 projects a year from 2026 still enter at the
    baseline's 60 a year (landed) in 2026, and at 150 from 2027. Tolerance: 4 standard errors of the mean
    entries over 300 draws (Poisson, sd about 8 at 60)."""
    years = np.arange(2026, 2029)
    scenario = baseline().with_values(incremental_projects=150, service_capacity=10000)
    inputs = sample_inputs(scenario, calibration.posterior, years, 300, np.random.default_rng(2))
    pipe = run_pipeline(None, calibration.base, inputs, years, np.random.default_rng(3))
    entries = pipe.flows["projects_entering_statistics"]
    for k, lever in ((0, 60.0), (1, 150.0)):
        assert abs(entries[:, k].mean() - lever) <= 4 * math.sqrt(lever / 300), (years[k], entries[:, k].mean())


# ------------------------------------------------------------------ projects: gross, displacement, carry

def test_a_project_adds_its_gross_first_year_output_less_displacement(calibration):
    """The first year a project lever acts (2027, after the one-year lag): the bureau's accounting
    (project_growth_contribution) rises by 100 C r dE / Y_2026 exactly, and growth by (1 - d) times that,
    C the project output at full capacity, r the first-year share, d the displacement (posterior means),
    Y real above-scale output. Exact up to floating point (1e-9)."""
    a, b = path(calibration), path(calibration, incremental_projects=110)
    y = real_output(calibration, a)
    c, r, d = (mean(calibration, k) for k in ("project_full_capacity_output", "project_first_year_ramp",
                                              "project_displacement"))
    k = col(2027)
    de = b["projects_entering_statistics"][0, k] - a["projects_entering_statistics"][0, k]
    gross = 100.0 * c * r * de / y[k - 1]
    assert b["project_growth_contribution"][0, k] - a["project_growth_contribution"][0, k] == pytest.approx(gross,
                                                                                                            rel=1e-9)
    assert b["above_scale_va_growth"][0, k] - a["above_scale_va_growth"][0, k] == pytest.approx((1 - d) * gross,
                                                                                                rel=1e-9)
    assert 0.0 < d < 0.6  # a prior (假设 assumption) on [0, 0.6]: the record does not pin it


def test_displacement_scales_the_effect_and_leaves_the_bureaus_figure(calibration):
    """Displacement 0 against 0.5: the first acting year's growth effect per unit of gross output halves
    exactly (each on its own path's 2026 output, which displacement also moves through the carry of 2025's
    projects); the bureau's gross figure per unit of output is the same."""
    eff, gross = {}, {}
    k = col(2027)
    for d in (0.0, 0.5):
        a = path(calibration, project_displacement=d)
        b = path(calibration, project_displacement=d, incremental_projects=110)
        y = real_output(calibration, a)[k - 1]  # 2026 output, the same in a and b (the lever acts from 2027)
        de = b["projects_entering_statistics"][0, k] - a["projects_entering_statistics"][0, k]
        eff[d] = (b["above_scale_va_growth"][0, k] - a["above_scale_va_growth"][0, k]) * y / de
        gross[d] = (b["project_growth_contribution"][0, k] - a["project_growth_contribution"][0, k]) * y / de
    assert eff[0.5] == pytest.approx(0.5 * eff[0.0], rel=1e-9)
    assert gross[0.5] == pytest.approx(gross[0.0], rel=1e-9) == eff[0.0]


def project_gross(values, c: float, r: float) -> np.ndarray:
    """Gross project output (亿元, 2020 prices) each year from 2027: the year's entries' first-year share and
    last year's entries' rest (a deterministic path: every size factor 1)."""
    e = values["projects_entering_statistics"][0]
    out = np.full(len(e), np.nan)
    for k in range(col(2027), len(e)):
        out[k] = c * (r * e[k] + (1 - r) * e[k - 1])
    return out


def test_a_one_off_batch_raises_the_level_for_good_and_growth_for_two_years(calibration):
    """50 more projects entering in 2027 only (the lever's 2026 value, one year's lag). Each year's growth
    difference is the difference of the project effects 100 (1 - d) (G - N) / Y_prev, G the gross output
    (first-year share r of the year's entries, the rest of last year's: the carry), N the baseline's C x 60,
    Y last year's output of each path: exact up to floating point. So growth rises in 2027 and 2028 (the
    carry) and from 2029 differs only because the other projects' effects are measured on a larger base
    (second order, under 0.01 point), while the level gap stays: a one-off does not compound into trend."""
    a = path(calibration)
    b = path(calibration, incremental_projects={2026: 110, 2027: 60})
    ya, yb = real_output(calibration, a), real_output(calibration, b)
    c, r, d = (mean(calibration, k) for k in ("project_full_capacity_output", "project_first_year_ramp",
                                              "project_displacement"))
    n = c * calibration.posterior.default("incremental_projects")  # the pack's 60
    ea, eb = a["projects_entering_statistics"][0], b["projects_entering_statistics"][0]
    k27 = col(2027)
    assert eb[k27] - ea[k27] >= 45 and (eb[k27 + 1:] == ea[k27 + 1:]).all()
    ga, gb = a["above_scale_va_growth"][0], b["above_scale_va_growth"][0]
    gra, grb = project_gross(a, c, r), project_gross(b, c, r)
    for k in range(k27, col(HORIZON) + 1):
        expected = 100 * (1 - d) * ((grb[k] - n) / yb[k - 1] - (gra[k] - n) / ya[k - 1])
        assert gb[k] - ga[k] == pytest.approx(expected, rel=1e-9, abs=1e-12), YEARS[k]
    assert gb[k27] - ga[k27] > 0.5 and gb[k27 + 1] - ga[k27 + 1] > 0.5  # about 1 point each at r = 1/2
    assert all(abs(gb[k] - ga[k]) < 0.01 for k in range(col(2029), col(HORIZON) + 1))
    gap = yb / ya - 1.0
    assert gap[col(HORIZON)] > 0.95 * gap[col(2028)] > 0  # the level effect stays


def test_setting_projects_to_zero_keeps_the_lag_and_nets_displacement(calibration):
    """No projects from 2026: 2026 unchanged (lag); 2027 loses the first-year effect of the baseline's
    entries and 2028 onwards also their carry, each net of displacement: (1 - d) C E / Y per year in
    the steady state, E the baseline's landed entries."""
    a, b = path(calibration), path(calibration, incremental_projects=0)
    ga, gb = a["above_scale_va_growth"][0], b["above_scale_va_growth"][0]
    assert gb[col(2026)] == ga[col(2026)]
    c, r, d = (mean(calibration, k) for k in ("project_full_capacity_output", "project_first_year_ramp",
                                              "project_displacement"))
    ya = real_output(calibration, a)
    e27 = a["projects_entering_statistics"][0, col(2027)]
    assert ga[col(2027)] - gb[col(2027)] == pytest.approx(100 * (1 - d) * c * r * e27 / ya[col(2026)], rel=1e-9)
    e28 = a["projects_entering_statistics"][0, col(2028)]
    yb = real_output(calibration, b)
    # in 2028 b has no entries and no carry; a has both: the difference of effects, each on its own base
    gross_a = c * (r * e28 + (1 - r) * e27)
    norm = c * calibration.posterior.default("incremental_projects")  # the baseline's first year and carry
    expected = 100 * (1 - d) * ((gross_a - norm) / ya[col(2027)] - (0.0 - norm) / yb[col(2027)])
    assert ga[col(2028)] - gb[col(2028)] == pytest.approx(expected, rel=1e-6)
