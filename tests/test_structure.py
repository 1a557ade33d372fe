"""Issue 19: what the record says and the structure the data show, each mechanism against its closed form.

Partial-year figures through the monitoring's error model, the manufacturing share held to industry, high tech as a
current-price share with its own relative price, the firm count's growth, the GDP basis break, the persistent
deflator, the convergence report and the industrial-VA bound in every filtered draw.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from growthsim.calibration import partial_year
from growthsim.calibration.record import parse_reported
from growthsim.simulation import dynamics as dyn
from growthsim.simulation.monitoring import error_shape, fit_error_scale

HEADER = "year,indicator,value,unit,status,period,vintage,source_file,url,publisher,published,quote,tolerance\n"


def _table(rows: list[str]) -> pd.DataFrame:
    """A small record from "year,indicator,value,unit,status,period[,tolerance]" lines (source s.txt, quote q)."""
    lines = []
    for r in rows:
        f = r.split(",")
        f += [""] * (7 - len(f))
        lines.append(",".join(f[:6] + ["", "s.txt", "", "", "", "q", f[6]]) + "\n")
    df = parse_reported(HEADER + "".join(lines))
    return df[~df.superseded]


def test_partial_years_stand_for_a_year_through_the_monitorings_error_model():
    """Known answer: the error scale is the monitoring's maximum-likelihood s on the record's pairs; a year without
    a full-year figure weighs its latest cumulative figure with sd s·sqrt(h(n)); beside a derived full-year figure
    the two are combined by their precisions."""
    df = _table(["2022,gdp_real_growth,3.9,%,final,", "2022,gdp_real_growth,3.7,%,partial_year,1-6",
                 "2023,gdp_real_growth,5.9,%,final,", "2023,gdp_real_growth,6.2,%,partial_year,1-6",
                 "2023,gdp_real_growth,6.0,%,partial_year,1-9",
                 "2025,gdp_real_growth,5.8,%,derived,,0.5", "2025,gdp_real_growth,5.3,%,partial_year,1-6",
                 "2025,gdp_real_growth,5.4,%,partial_year,1-9"])
    fit = partial_year.error_scales(df)["gdp_real_growth"]
    # errors 0.2 (month 6), -0.3 (month 6), -0.1 (month 9): s^2 = mean(e^2 / h(n))
    s2 = np.mean([0.2 ** 2 / error_shape(6), 0.3 ** 2 / error_shape(6), 0.1 ** 2 / error_shape(9)])
    assert fit.scale == pytest.approx(math.sqrt(s2))
    assert fit.scale == pytest.approx(fit_error_scale([6, 6, 9], [0.2, -0.3, -0.1]).scale)
    (use,) = partial_year.partial_uses(df, 2020)
    assert (use.year, use.month, use.predictor) == (2025, 9, 5.4)  # the latest months, not 1-6
    sd = fit.scale * math.sqrt(error_shape(9))
    assert use.predictor_error == pytest.approx(sd)
    w1, w2 = 1 / sd ** 2, 1 / 0.5 ** 2
    assert use.value == pytest.approx((5.4 * w1 + 5.8 * w2) / (w1 + w2))
    assert use.error == pytest.approx(math.sqrt(1 / (w1 + w2)))


def test_a_base_effect_year_uses_its_two_year_average_and_2020_is_left_out():
    """2021's first half grew 13.8 % on a lockdown base; its two-year average (6.7 %) carried to the full year,
    (1.067^2 / 1.037 - 1), is the predictor, as the monitoring does. The pair from 2020 itself is not fitted."""
    df = _table(["2020,gdp_real_growth,3.7,%,final,", "2020,gdp_real_growth,0.1,%,partial_year,1-6",
                 "2021,gdp_real_growth,8.3,%,final,", "2021,gdp_real_growth,13.8,%,partial_year,1-6",
                 "2021,gdp_real_growth_avg2,6.7,%,partial_year,1-6"])
    rec = partial_year._Record(df)
    pairs = partial_year.record_pairs(rec, "gdp_real_growth")
    assert [(y, m) for y, m, _ in pairs] == [(2021, 6)]
    assert pairs[0][2] == pytest.approx(8.3 - 100 * (1.067 ** 2 / 1.037 - 1))


def test_the_record_weighs_2025s_growth_between_the_derivation_and_the_first_nine_months(calibration):
    """2025's real GDP growth: the derivation from the five-year average (5.8 %, error 0.5) and 1-9月's 5.4 % (error
    from the fitted model) are weighed together; the filtered median lies between them, nearer 5.4."""
    years = list(calibration.history_years)
    g = calibration.history["gdp_real_growth"][:, years.index(2025)]
    assert 5.4 < np.median(g) < 5.75
    r = calibration.report
    row = r[(r.year == 2025) & (r.indicator == "gdp_real_growth") & (r.status == "partial_year")
            & r.note.astype(str).str.contains("January–September")].iloc[0]  # a note reads in English as str()
    assert row.use == "observed" and "stands for the full year" in str(row.note)


def test_manufacturing_is_held_to_industry_in_every_draw(calibration):
    """2023's industrial VA (3937亿元) bounds manufacturing VA: in every filtered draw manufacturing VA is at most
    industrial VA, with the mining and utilities share inside its prior's support (2-15 %)."""
    years = list(calibration.history_years)
    mfg = calibration.history["mfg_va"][:, years.index(2023)]
    m = calibration.posterior.draws["industry_non_mfg_share"]
    assert (m > 2.0).all() and (m < 15.0).all()
    industry = mfg / (1 - m / 100)
    assert (mfg < industry).all()
    assert np.abs(industry / 3937 - 1).max() < 5 * 0.005  # the figure's measurement error, 0.5 %
    share = 100 * mfg / calibration.history["gdp"][:, years.index(2023)]
    assert 22.5 < np.median(share) < 24.5  # 3937 x (1 - m) / 15760.34, not the 24.8-25.1 % of before


def test_the_first_industrial_va_solves_the_mining_and_utilities_share():
    """Closed form: where industrial VA is first reported, m = 100 (1 - manufacturing VA / industrial VA), and the
    row is weighed by m's triangular prior times the change of variables (1 - m)^2 / manufacturing VA."""
    one = np.ones(3)
    p = {"mfg_growth_gap_sd": 0.0, "mfg_relative_price_drift": 0.0, "mfg_price_ppi_passthrough": 0.0,
         "mfg_price_volatility": 0.0, "_industry_non_mfg_mode": 6.0}   # a pack's mode of the share's prior
    st = {"mfg_va": np.array([3500.0, 3600.0, 3800.0]), "industry_non_mfg": 7.0 * one,
          "industry_share_known": 0.0 * one}
    z = {"mfg_gap": 0 * one, "mfg_price": 0 * one, "industry_measure": 0 * one, "measure": 0 * one}
    logw = np.zeros(3)
    _, _, mfg_va, m = dyn.manufacturing(p, st, z, {"industrial_va": (3937.0, 0.5)}, 0.0 * one, 0.0 * one, logw)
    assert m == pytest.approx(100 * (1 - st["mfg_va"] / 3937))  # 11.1, 8.6, 3.5 %
    lo, mode, hi = 2.0, 6.0, 15.0   # the registry's bounds around the pack's mode given above
    for i in range(3):
        x = m[i]
        dens = 2 * (x - lo) / ((hi - lo) * (mode - lo)) if x <= mode else 2 * (hi - x) / ((hi - lo) * (hi - mode))
        assert logw[i] == pytest.approx(math.log(dens) + 2 * math.log(1 - x / 100) - math.log(mfg_va[i]))
    # once known, a later figure pins the deflator instead and m stays
    st2 = dict(st, industry_share_known=one, industry_non_mfg=m)
    logw = np.zeros(3)
    _, infl, mfg_va, m2 = dyn.manufacturing(dict(p, mfg_price_volatility=1.0), st2,
                                             z, {"industrial_va": (4100.0, 0.5)}, 0.0 * one, 0.0 * one, logw)
    assert m2 == pytest.approx(m) and mfg_va == pytest.approx(4100 * (1 - m / 100))


def test_the_high_tech_share_moves_by_its_real_premium_and_relative_price():
    """Closed form: the share's odds grow by (1 + q)(1 + r), q the real premium, r the relative price change;
    with a 10 % premium and -8 % prices the odds grow 1.2 %, not the 10 % a real share would."""
    one = np.ones(1)
    p = {"high_tech_growth_premium": 10.0, "high_tech_premium_volatility": 0.0, "high_tech_relative_price_drift": -8.0,
         "high_tech_premium_persistence": 0.0}
    st = {"ht_odds": 0.108 / 0.892 * one, "ht_premium_gap": 0 * one,
          **dict.fromkeys(dyn.HIGH_TECH_LAGS + dyn.HIGH_TECH_LAG_VARS, 0 * one)}
    odds, g_ht, _ = dyn.high_tech(p, st, {"high_tech": 0 * one}, {}, 8.0 * one, np.zeros(1))
    assert odds[0] == pytest.approx(0.108 / 0.892 * 1.10 * 0.92)
    s = 0.108
    g_rest = 1.08 / (1 + s * 0.10) - 1
    assert g_ht[0] == pytest.approx(100 * ((1 + g_rest) * 1.10 - 1))


def test_the_premium_is_an_ar1_about_its_mean_with_the_volatility_its_stationary_spread():
    """Closed form: with persistence 0.6 and last year's premium 5 points above its mean 8 %, this year's law is
    N(8 + 0.6 x 5, 4 x sqrt(1 - 0.36)) = N(11, 3.2); the year's gap is carried, and the stationary law is kept:
    a gap drawn from N(0, 4) gives next year's premium sd 4 (0.6² x 16 + 3.2² = 16)."""
    one = np.ones(1)
    p = {"high_tech_growth_premium": 8.0 * one, "high_tech_premium_volatility": 4.0 * one,
         "high_tech_relative_price_drift": 0.0 * one, "high_tech_premium_persistence": 0.6 * one}
    st = {"ht_odds": 0.12 * one, "ht_premium_gap": 5.0 * one,
          **dict.fromkeys(dyn.HIGH_TECH_LAGS + dyn.HIGH_TECH_LAG_VARS, 0 * one)}
    mean, sd = dyn.premium_law(p, st)
    assert (mean[0], sd[0]) == pytest.approx((11.0, 3.2))
    odds, _, new = dyn.high_tech(p, st, {"high_tech": one}, {}, 6.0 * one, np.zeros(1))  # a shock of one sd
    assert odds[0] == pytest.approx(0.12 * 1.142)  # premium 11 + 3.2 = 14.2 %
    assert new["ht_premium_gap"][0] == pytest.approx(6.2)
    n = 400_000
    rng = np.random.default_rng(5)
    many = {k: np.full(n, v[0]) for k, v in p.items()}
    gap = dyn.start_premium_gap(many, rng.standard_normal(n))
    mean, sd = dyn.premium_law(many, {"ht_premium_gap": gap})
    premium = mean + sd * rng.standard_normal(n)
    # Monte Carlo: the sd of 400,000 normal draws is within 0.02 of 4 (its standard error 4 / sqrt(2n) = 0.0045)
    assert premium.mean() == pytest.approx(8.0, abs=0.03) and premium.std() == pytest.approx(4.0, abs=0.02)


def test_a_five_year_average_weighs_reported_years_by_their_figures_and_others_by_expectation():
    """Closed form: the average's log is the mean of five years' log growth; a year with a figure counts with its
    figure and error, a year without with its expectation and the premium's variance, and the weight is the
    normal density of the sum."""
    one = np.ones(1)
    # no persistence (rho 0): the premium's law is its mean and volatility whatever last year's gap
    p = {"high_tech_growth_premium": 8.0, "high_tech_premium_volatility": 5.0, "high_tech_relative_price_drift": 0.0,
         "high_tech_premium_persistence": 0.0}
    lags = [math.log(1.2), math.log(1.17), math.log(1.19), math.log(1.11)]
    variances = [0.01, 0.0, 0.02, 0.001]
    st = {"ht_odds": 0.12 * one, "ht_premium_gap": 3.0 * one,
          **{k: v * one for k, v in zip(dyn.HIGH_TECH_LAGS, lags, strict=True)},
          **{k: v * one for k, v in zip(dyn.HIGH_TECH_LAG_VARS, variances, strict=True)}}
    logw = np.zeros(1)
    obs = {"high_tech_mfg_va_growth": (8.6, 1.8), "high_tech_mfg_va_growth_avg5": (15.9, 0.3)}
    _, _, new = dyn.high_tech(p, st, {"high_tech": 0 * one, "measure": 0 * one}, obs, 8.0 * one, logw)
    total = math.log(1.086) + sum(lags)
    var = (1.8 / 108.6) ** 2 + sum(variances) + (5 * 0.3 / 115.9) ** 2
    premium = 100 * (1.086 / ((1.08 - 0.12 / 1.12 * 1.086) / (1 - 0.12 / 1.12)) - 1)
    want = (-0.5 * ((total - 5 * math.log(1.159)) / math.sqrt(var)) ** 2 - 0.5 * math.log(2 * math.pi * var)
            - 0.5 * ((premium - 8.0) / 5.0) ** 2 - 0.5 * math.log(2 * math.pi * 25.0))
    assert logw[0] == pytest.approx(want)
    assert new[dyn.HIGH_TECH_LAGS[1]][0] == pytest.approx(lags[0])  # the lags move back a year
    assert new[dyn.HIGH_TECH_LAGS[0]][0] == pytest.approx(math.log(1.086))


def test_firm_counts_are_drawn_from_their_normal_posterior_given_the_reported_counts():
    """Known answer (the optimal proposal of a normal model): with a mid-year count 4902 ± 100 and growth 11 % ± 1
    on last year's 4400, the two measurements combine by precision; the weight is the predictive density of the
    combination times the constant of their product; the count is drawn between prediction and measurement."""
    n = 200_000
    one = np.ones(n)
    p = {"exit_rate": 4.0, "policy_closures": 0.0}
    st = {"firms": 4400.0 * one}
    rng = np.random.default_rng(0)
    z = {"measure": rng.standard_normal(n), "exits": 0 * one}
    logw = np.zeros(n)
    obs = {"above_scale_firms": (4902.0, 100.0), "above_scale_firms_growth": (11.0, 1.0)}
    firms, exits, _ = dyn.firm_stock(p, st, z, obs, 500.0 * one, 100.0 * one, logw)
    v1, e1, v2, e2 = 4902.0, 100.0, 4400 * 1.11, 44.0
    value = (v1 / e1 ** 2 + v2 / e2 ** 2) / (1 / e1 ** 2 + 1 / e2 ** 2)
    err = 1 / math.sqrt(1 / e1 ** 2 + 1 / e2 ** 2)
    sd = math.sqrt(4400 * 0.04 * 0.96)
    predicted = 4400 + 500 + 100 - 4400 * 0.04
    post_mean = predicted + sd ** 2 / (sd ** 2 + err ** 2) * (value - predicted)
    post_sd = math.sqrt(sd ** 2 * err ** 2 / (sd ** 2 + err ** 2))
    assert firms.mean() == pytest.approx(post_mean, abs=0.05)  # 200,000 draws: se 0.03 (rounding to whole firms)
    assert firms.std() == pytest.approx(post_sd, rel=0.01)
    from scipy.stats import norm
    want = norm(v2, math.hypot(e1, e2)).logpdf(v1) + norm(predicted, math.hypot(sd, err)).logpdf(value)
    assert logw[0] == pytest.approx(want)
    assert np.allclose(firms, 4400 + 500 + 100 - exits)


def test_the_deflator_outside_manufacturing_carries_its_core_and_a_basis_break_draws_it():
    """Closed form: deflator growth = mean + pass-through x (PPI - long-run) + core, core = rho x last core + shock.
    In a year whose GDP is on a new basis the core is drawn, the rest stays on the old basis at the drawn prices and
    GDP is the reported level (the revision is shared among the sectors by census_revision, tests/test_census.py)."""
    one = np.ones(1)
    p = {"price_level_growth": 1.5, "rest_price_ppi_passthrough": 0.2, "ppi_long_run": 0.5,
         "price_level_persistence": 0.6, "price_level_volatility": 1.0}
    st = {"rest_price_core": -2.0 * one}
    z = {"rest_price": 0 * one, "secondary": 0 * one}
    rest_nominal, gdp, core = dyn.rest_prices(p, st, z, {}, 100.0 * one, 30.0 * one, np.zeros(1), ppi=-2.6 * one)
    assert core[0] == pytest.approx(0.6 * -2.0)
    assert rest_nominal[0] == pytest.approx(100 * (1 + (1.5 + 0.2 * (-2.6 - 0.5) - 1.2) / 100))
    logw = np.zeros(1)
    obs = {"gdp": (140.0, 0.0), "gdp_new_basis": (1.0, 0.0)}
    rest_nominal, gdp, core = dyn.rest_prices(p, st, dict(z, rest_price=0.5 * one), obs, 100.0 * one, 30.0 * one,
                                              logw, ppi=-2.6 * one)
    # the same prices as a year without GDP, core -0.7: 100 x (1 + (1.5 - 0.62 - 0.7) / 100)
    assert rest_nominal[0] == pytest.approx(100.18) and gdp[0] == pytest.approx(140.0)
    assert core[0] == pytest.approx(-1.2 + 0.5) and logw[0] == 0.0


def test_the_convergence_report_compares_headline_medians_with_their_goals():
    """Known answer: spreads are the largest less the smallest median; the share's goal is 0.2 point, the firms'
    0.5 % of their mean median."""
    from growthsim.calibration.convergence import headline_table

    def run(share, firms, ht):
        n = 5
        st = {"mfg_va": share * np.ones(n), "gdp": 100 * np.ones(n), "firms": firms * np.ones(n),
              "ht_odds": ht / (100 - ht) * np.ones(n)}
        return SimpleNamespace(base=SimpleNamespace(state=st))

    t = headline_table([run(23.9, 5250, 11.2), run(24.05, 5270, 11.3), run(24.0, 5240, 11.25)], (1, 2, 3)).set_index(
        "state")
    assert t.loc["mfg_va_share_gdp", "spread"] == pytest.approx(0.15) and t.loc["mfg_va_share_gdp", "met"]
    assert t.loc["above_scale_firms", "spread"] == pytest.approx(30.0)
    assert t.loc["above_scale_firms", "goal"] == pytest.approx(0.005 * 5253.333333)
    assert bool(t.loc["above_scale_firms", "met"]) is False  # 30 firms > 26.3
    assert t.loc["high_tech_share", "spread"] == pytest.approx(0.1)
