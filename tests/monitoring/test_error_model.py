"""The error model recovers a known spread on synthetic data; the base-effect predictor on the record."""

from __future__ import annotations

import numpy as np
import pytest

from growthsim.calibration.monitoring_data import read_all_monthly, read_regions, record_pairs
from growthsim.simulation.monitoring import MONTHS, error_shape, fit_error_scale, full_year_predictor


def test_recovers_a_known_spread():
    # Monthly growth = year mean + iid N(0, sigma^2) shocks, equal weights: full - cumulative_to_n has
    # variance sigma^2 (12 - n)/(12 n) exactly, so the fitted s must come back near sigma.
    rng = np.random.default_rng(11)
    sigma, years = 2.5, 4000
    g = rng.normal(6.0, 3.0, (years, 1)) + rng.normal(0.0, sigma, (years, MONTHS))
    full = g.mean(axis=1)
    months = rng.integers(1, MONTHS, years)
    cum = np.array([g[i, : months[i]].mean() for i in range(years)])
    fit = fit_error_scale(months, full - cum)
    assert fit.scale == pytest.approx(sigma, rel=0.05)  # 4000 pairs: the ML estimate is within 5 %


def test_shape_is_zero_at_month_twelve():
    assert error_shape(12) == 0.0
    assert error_shape(6) == pytest.approx(6 / 72)


def test_rejects_month_twelve_pairs():
    with pytest.raises(ValueError):
        fit_error_scale([12], [0.1])


def test_two_year_average_removes_2021s_base_effect():
    # 2021: 1–6月 16.4 % after a weak 2020 H1, two-year average 7.3 %, 2020 full year 5.52 %.
    pred, adj = full_year_predictor(16.4, 7.3, 5.52)
    assert adj
    assert pred == pytest.approx(100 * (1.073 ** 2 / 1.0552 - 1))  # = 9.11 %
    assert abs(8.1 - pred) < 1.1 < abs(8.1 - 16.4)  # full year 8.1: error -1.0 instead of -8.3


def test_shipped_record_pairs():
    regions = read_regions()
    pairs = record_pairs(read_all_monthly(regions), "qingdao")
    got = {(p.year, p.month): round(p.error, 2) for p in pairs}
    # Verified rows only: 2023's 1–6月 and 1–9月 (unverified) are left out.
    assert (2023, 6) not in got and (2023, 9) not in got
    assert got[(2022, 8)] == 0.2  # 3.8 - 3.6
    assert got[(2024, 3)] == -0.6  # 9.4 - 10.0
    assert got[(2021, 6)] == -1.01  # with the two-year-average predictor
    fit = fit_error_scale([p.month for p in pairs], [p.error for p in pairs], [p.year for p in pairs])
    assert (fit.pairs, fit.years) == (10, 5)
    assert 1.0 < fit.scale < 2.5  # s ≈ 1.70: sd 0.49 at month 6, 0.15 at month 11
