"""The filter's high-tech share steps are exact importance samplers: each agrees with weighing the same draws by
the report (the bootstrap weight) where both can be computed, here with a report loose enough (6 points) that
the bootstrap keeps thousands of particles.

1. A share first reported after a start year that did not report it draws the start share again
   (:func:`calibration.smc._pin_start_share`).
2. A share reported without high-tech growth solves for the year's premium
   (:func:`simulation.dynamics.high_tech`).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from growthsim.calibration import priors, smc
from growthsim.simulation import dynamics as dyn

N = 200_000
REPORT = (30.0, 6.0)  # a share of 30 % known within 6 points (示例: a made-up report)


def _weighted_mean(x: np.ndarray, logw: np.ndarray) -> float:
    w = np.exp(logw - logw.max())
    return float((w * x).sum() / w.sum())


def _year(rng: np.random.Generator, start_share: np.ndarray, volatility: float) -> tuple[dict, dict, dict]:
    """One year's high-tech step from a start share (%, per draw): the premium's mean and the relative price
    drawn per draw, its volatility [points] given."""
    p = {"high_tech_growth_premium": rng.uniform(0.0, 10.0, N),
         "high_tech_premium_volatility": np.full(N, volatility),
         "high_tech_relative_price_drift": rng.uniform(-4.0, 0.0, N),
         # a persistent premium whose last year was off its mean: the steps use this year's law given it
         "high_tech_premium_persistence": rng.uniform(0.0, 0.9, N)}
    z = {"high_tech": rng.standard_normal(N), "measure": rng.standard_normal(N)}
    st = {"ht_odds": start_share / (100.0 - start_share), "ht_premium_gap": rng.normal(0.0, volatility / 2, N),
          **{k: np.zeros(N) for k in dyn.HIGH_TECH_LAGS},
          **{k: np.zeros(N) for k in dyn.HIGH_TECH_LAG_VARS}}
    return p, z, st


def test_a_fresh_start_share_weighs_as_the_report_would():
    rng = np.random.default_rng(11)
    prior = next(r for r in priors.BASE_PRIORS if r.figure == "high_tech_share")
    start = rng.triangular(prior.low, prior.mode, prior.high, N)
    p, z, st = _year(rng, start, 20.0)  # a volatile premium: the Jacobian varies from draw to draw
    growth = np.full(N, 6.0)
    odds, g_ht, lags = dyn.high_tech(p, st, z, {}, growth, np.zeros(N))
    share = 100.0 * odds / (1.0 + odds)
    boot = dyn.normal_logpdf(share, *REPORT)              # the prior's draws weighed by the report
    pf = SimpleNamespace(n=N, state=st, years_values=[{"high_tech_share": start}], ancestry=[np.arange(N)])
    st_after = {"ht_odds": odds, "growth": growth, "ht_growth": g_ht, **lags}
    values = {"high_tech_share": share, "high_tech_mfg_va_growth": g_ht}
    logw = np.zeros(N)
    scale = smc._pin_start_share(pf, p, z, {"high_tech_share": REPORT}, st_after, values,
                                 rng.standard_normal(N), logw)
    fresh = 100.0 * start * scale / (100.0 - start + start * scale)  # each draw's new start share
    # every draw now agrees with the report within its error (the true share is the report plus its noise)
    assert np.all(np.abs(values["high_tech_share"] - REPORT[0]) < 6 * REPORT[1])
    np.testing.assert_allclose(values["high_tech_share"], 100.0 * st_after["ht_odds"] / (1 + st_after["ht_odds"]))
    # the start share's posterior mean and sd agree with the bootstrap's: with an ESS near 100,000 the Monte Carlo
    # error of either mean is about 0.02 point; 0.1 allows five of them (without the Jacobian the means are 0.27
    # apart)
    assert abs(_weighted_mean(fresh, logw) - _weighted_mean(start, boot)) < 0.1
    sd_fresh = np.sqrt(_weighted_mean(fresh ** 2, logw) - _weighted_mean(fresh, logw) ** 2)
    sd_boot = np.sqrt(_weighted_mean(start ** 2, boot) - _weighted_mean(start, boot) ** 2)
    assert abs(sd_fresh - sd_boot) < 0.1
    # and more of the draws keep weight (seed 11: an ESS of 96.7 % of them against 47.1 %; with a report
    # known within 0.05 point, as Xiamen's, the bootstrap keeps a few hundred of 100,000)
    assert smc._ess(logw) > 0.9 * N and smc._ess(boot) < 0.6 * N


def test_a_share_reported_alone_solves_for_the_premium_and_weighs_as_the_report_would():
    rng = np.random.default_rng(12)
    start = rng.uniform(26.0, 34.0, N)  # last year's share spread about the report
    p, z, st = _year(rng, start, 3.0)
    growth = np.full(N, 6.0)
    boot_logw = np.zeros(N)
    odds_boot, _, _ = dyn.high_tech(p, st, z, {}, growth, boot_logw)
    boot_logw += dyn.normal_logpdf(100.0 * odds_boot / (1.0 + odds_boot), *REPORT)
    logw = np.zeros(N)
    odds, _, _ = dyn.high_tech(p, st, z, {"high_tech_share": REPORT}, growth, logw)
    share = 100.0 * odds / (1.0 + odds)
    assert np.all(np.abs(share - REPORT[0]) < 6 * REPORT[1])
    # the premium's mean parameter and last year's share: the same posterior means within a few Monte Carlo errors
    # (about 0.01 point each; without the Jacobian the shares' means are 0.23 apart)
    q = p["high_tech_growth_premium"]
    assert abs(_weighted_mean(q, logw) - _weighted_mean(q, boot_logw)) < 0.05
    assert abs(_weighted_mean(start, logw) - _weighted_mean(start, boot_logw)) < 0.05
    assert abs(_weighted_mean(share, logw) - _weighted_mean(100.0 * odds_boot / (1 + odds_boot), boot_logw)) < 0.05
