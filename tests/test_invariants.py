"""Invariants over random scenarios (Hypothesis): bounds, identities, monotonicity."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growthsim.simulation.model import project
from growthsim.simulation.registry import NOT_YEAR_KEYED, parameters
from growthsim.simulation.scenario import Scenario

REG = parameters()


def value_strategy(pid: str):
    p = REG[pid]
    if p.integer:
        return st.integers(int(p.lower), int(p.upper)).map(float)
    return st.floats(p.lower, p.upper, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw):
    chosen = draw(st.lists(st.sampled_from(sorted(REG)), max_size=8, unique=True))
    values = {}
    for pid in chosen:
        if pid not in NOT_YEAR_KEYED and draw(st.booleans()):
            years = draw(st.lists(st.integers(2021, 2030), min_size=1, max_size=3, unique=True))
            values[pid] = {y: draw(value_strategy(pid)) for y in years}
        else:
            values[pid] = draw(value_strategy(pid))
    return Scenario("random", "随机", "random", values=values)


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_bounds_and_identities_hold_in_every_draw_and_year(calibration, scenario, seed):
    proj = project(calibration.base, scenario, calibration.posterior, 2030, 200, np.random.default_rng(seed))
    v = proj.values
    for share in ("mfg_va_share_gdp", "high_tech_share", "tech_renovation_share_industrial_investment"):
        assert np.all((v[share] > 0) & (v[share] < 100)), share
    for count in ("above_scale_firms", "firm_upgrades", "projects_entering_statistics", "firm_exits"):
        assert np.all(v[count][:, 1:] >= 0), count
        assert np.all(v[count][:, 1:] == np.round(v[count][:, 1:])), f"{count} must be whole firms"
    # Firm stock identity: the change equals inflows minus outflows.
    change = np.diff(v["above_scale_firms"], axis=1)
    flows = v["firm_upgrades"][:, 1:] + v["projects_entering_statistics"][:, 1:] - v["firm_exits"][:, 1:]
    np.testing.assert_allclose(change, flows)
    # Profit = revenue x margin; share = manufacturing VA / GDP.
    np.testing.assert_allclose(v["profit"], v["revenue"] * v["profit_margin"] / 100, rtol=1e-12)
    np.testing.assert_allclose(v["mfg_va_share_gdp"], 100 * v["mfg_va"] / v["gdp"], rtol=1e-12)
    assert np.all(v["gdp"] > v["mfg_va"])
    # Growth is the change of real output: revenue deflated by the same price index.
    assert np.all(np.isfinite(v["above_scale_va_growth"][:, 1:]))


@FAST
@given(low=value_strategy("upgrade_target"), extra=st.integers(1, 400), seed=st.integers(0, 2**32 - 1))
def test_more_upgrades_never_mean_fewer_firms(calibration, low, extra, seed):
    high = min(low + extra, REG["upgrade_target"].upper)
    a = project(calibration.base, Scenario("a", "a", "a", values={"upgrade_target": low}),
                calibration.posterior, 2030, 200, np.random.default_rng(seed))
    b = project(calibration.base, Scenario("b", "b", "b", values={"upgrade_target": high}),
                calibration.posterior, 2030, 200, np.random.default_rng(seed))
    # Same seed = same random numbers; a larger target may only add firms, draw by draw.
    assert np.all(b.values["above_scale_firms"] >= a.values["above_scale_firms"])
