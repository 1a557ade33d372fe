"""The twisted weight of a five-year average of high-tech growth (:class:`calibration.smc.HighTechWindow`).

1. The yearly factors psi_t / psi_(t-1) telescope: over the window they sum to the exact log density of the
   average at each particle's realised five years, whatever the guide expected of the years to come.
2. The guided premium draw of a year without high-tech growth is an exact importance sampler of the premium's own
   normal law: weighed, its draws have the law's mean and sd.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from growthsim.calibration import smc
from growthsim.simulation import dynamics as dyn

N = 200_000


def _params(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"high_tech_growth_premium": rng.uniform(4.0, 14.0, n), "high_tech_premium_volatility": np.full(n, 6.0),
            "high_tech_relative_price_drift": np.full(n, -5.0), "growth_long_run": np.full(n, 6.0),
            "high_tech_premium_persistence": rng.uniform(0.0, 0.9, n)}


def _window() -> smc.HighTechWindow:
    """Qingdao's record's shape (示例 values): 2022, 2024, 2025 report growth; 2021, 2023 only above-scale growth."""
    obs = {2021: {"above_scale_va_growth": (8.1, 0.05)},
           2022: {"above_scale_va_growth": (3.8, 0.05), "high_tech_mfg_va_growth": (17.3, 0.05)},
           2023: {"above_scale_va_growth": (5.8, 0.05)},
           2024: {"above_scale_va_growth": (9.4, 0.05), "high_tech_mfg_va_growth": (11.1, 4.3)},
           2025: {"above_scale_va_growth": (7.9, 0.05), "high_tech_mfg_va_growth": (8.6, 1.8),
                  smc.AVERAGE: (15.9, 0.3)}}
    return smc.high_tech_window(obs, 2020)


def test_the_window_is_found_only_where_the_filter_steps_all_its_years():
    w = _window()
    assert (w.year, w.first(), w.value, w.error) == (2025, 2021, 15.9, 0.3)
    assert w.ahead[2022] == pytest.approx((math.log(1.173), (0.05 / 117.3) ** 2))  # its figure's log, variance
    assert math.isnan(w.ahead[2023][0]) and w.ahead[2023][1] == 5.8  # no high-tech growth: above-scale growth
    # a window reaching back to the start year is left to the closed form
    assert smc.high_tech_window({2024: {smc.AVERAGE: (15.9, 0.3)}}, 2020) is None
    assert smc.high_tech_window({2022: {"above_scale_va_growth": (3.8, 0.05)}}, 2020) is None


def test_the_yearly_factors_sum_to_the_exact_density_of_the_realised_average():
    rng = np.random.default_rng(3)
    n, w = 1_000, _window()
    st = {"ht_odds": np.full(n, 0.108 / 0.892)}
    total, realised = np.zeros(n), np.zeros(n)
    for year in range(2021, 2026):
        p = _params(n, rng)  # the parameters move between years (Liu-West): the telescoping must not care
        values = {"high_tech_mfg_va_growth": rng.normal(14.0, 6.0, n)}
        after = {"ht_odds": st["ht_odds"] * rng.uniform(0.95, 1.1, n), "ht_premium_gap": rng.normal(0.0, 6.0, n)}
        step = np.zeros(n)
        smc._window_twist(w, year, p, st, after, values, step)
        total += step
        realised += np.log1p(values["high_tech_mfg_va_growth"] / 100.0)
        st = after
    # closed form: the average's normal density at the realised log total, sd 5 x 0.3 / 115.9 in log terms
    exact = dyn.normal_logpdf(realised, 5.0 * math.log(1.159), 5.0 * 0.3 / 115.9)
    np.testing.assert_allclose(total, exact, rtol=0, atol=1e-9)
    np.testing.assert_allclose(st[smc.WINDOW_KEYS[0]], realised, rtol=0, atol=1e-12)


def test_a_guided_premium_weighs_back_to_the_premiums_own_law():
    rng = np.random.default_rng(7)
    # the year's law given last year's premium 4 points above its mean 6 % (AR(1), persistence 0.5, stationary sd
    # 6 / sqrt(0.75)): N(6 + 0.5 x 4, 6) = N(8, 6)
    q_mean, q_sd = 8.0, 6.0
    p = {"high_tech_growth_premium": np.full(N, 6.0),
         "high_tech_premium_volatility": np.full(N, q_sd / math.sqrt(0.75)),
         "high_tech_relative_price_drift": np.full(N, -5.0), "high_tech_premium_persistence": np.full(N, 0.5)}
    st = {"ht_odds": np.full(N, 0.12), "ht_premium_gap": np.full(N, 4.0),
          **{k: np.zeros(N) for k in dyn.HIGH_TECH_LAGS},
          **{k: np.zeros(N) for k in dyn.HIGH_TECH_LAG_VARS}}
    z = {"high_tech": rng.standard_normal(N), "measure": rng.standard_normal(N)}
    # a guide toward 15 % (the product's mean 9.86, variance 26.5): wide enough that the weights' variance is
    # finite (the proposal's variance above half the law's, 18); in the filter psi multiplies the weight back
    guide = (np.full(N, 15.0), np.full(N, 10.0))
    logw = np.zeros(N)
    odds, _, _ = dyn.high_tech(p, st, z, {"high_tech_premium_guide": guide}, np.full(N, 6.0), logw)
    premium = 100.0 * (odds / (st["ht_odds"] * 0.95) - 1.0)
    assert premium.mean() > q_mean + 1.5  # the draws were pulled
    w = np.exp(logw - logw.max())
    w /= w.sum()
    mean = float((w * premium).sum())
    sd = math.sqrt(float((w * (premium - mean) ** 2).sum()))
    # weighed, they are the premium's own N(8, 6): Monte Carlo error about 6 / sqrt(ESS), ESS in the tens of thousands
    assert mean == pytest.approx(q_mean, abs=0.1)
    assert sd == pytest.approx(q_sd, abs=0.1)
