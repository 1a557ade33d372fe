"""Simulation-based calibration: the filter's 90 % intervals cover a known truth about 90 % of the time.

"Reported" figures are drawn from the model itself with parameters drawn from the prior; the filter is
run on them; over the replications the posterior 90 % interval of the long-run growth rate and the
90 % band of the next year's growth must cover the truth close to 90 % of the time.
"""

from __future__ import annotations

import numpy as np

from growthsim.calibration import smc
from growthsim.simulation import dynamics as dyn
from growthsim.simulation.indicators import indicators
from growthsim.simulation.model import _constants, advance, year_shocks

BASE = {"above_scale_firms": 3956, "revenue": 9589.3, "profit": 531.6, "gdp": 12400.56, "mfg_va_share_gdp": 24.9,
        "high_tech_share": 10.8, "secondary_industry_va": 4361.56, "above_scale_va_growth": 5.5,
        "gdp_real_growth": 3.7}
OBSERVED = ("above_scale_va_growth", "gdp_real_growth", "gdp", "secondary_industry_va")
REPLICATIONS = 40


def _simulate_truth(rng):
    truth = {k: v[:1] for k, v in smc.prior_draws(1, rng).items()}
    smc.scale_levers(truth, BASE)   # the levers that scale with the city, as the filter sets them
    st = smc.initial_state(BASE, truth, None)
    constants = _constants(BASE["revenue"], smc.baselines(truth))
    shocks = year_shocks(rng, 6, 1, True)
    out = {}
    for k, year in enumerate(range(2021, 2027)):
        p = dict(truth, **constants)
        st, values = advance(st, p, year, k, dict(zip(dyn.SHOCKS, shocks[k], strict=True)), {}, np.zeros(1), None,
                             p["incremental_projects"])
        out[year] = {key: float(values[key][0]) for key in indicators()}
    return truth, out


def test_intervals_cover_the_truth_about_as_often_as_they_say():
    rng = np.random.default_rng(20261201)
    hits_mu, hits_next = [], []
    for _ in range(REPLICATIONS):
        truth, path = _simulate_truth(rng)
        obs = {y: {k: (path[y][k], 0.05 if "growth" in k else 0.5) for k in OBSERVED} for y in range(2021, 2026)}
        res = smc.run_filter(BASE, obs, {}, {}, 2020, 2025, rng, n=4000)
        lo, hi = np.percentile(res.params["growth_long_run"], [5, 95])
        hits_mu.append(lo <= truth["growth_long_run"][0] <= hi)
        # the next year's growth: project each particle one year on
        p = dict(res.params, **_constants(BASE["revenue"], smc.baselines(res.params)))
        st, values = advance(res.state, p, 2026, 5, dict(zip(dyn.SHOCKS, year_shocks(rng, 1, 4000, True)[0],
                                                             strict=True)), {},
                             np.zeros(4000), None, p["incremental_projects"])
        lo, hi = np.percentile(values["above_scale_va_growth"], [5, 95])
        hits_next.append(lo <= path[2026]["above_scale_va_growth"] <= hi)
    # 40 replications: the binomial sd of a 90 % coverage is 4.7 points; allow about 3 sd either way
    # (a badly calibrated filter gives 50-60 % or 100 % every time).
    assert 0.75 <= np.mean(hits_mu) <= 1.0
    assert 0.75 <= np.mean(hits_next) <= 1.0
    assert np.mean(hits_mu + hits_next) < 1.0 or REPLICATIONS < 20  # not trivially wide everywhere
