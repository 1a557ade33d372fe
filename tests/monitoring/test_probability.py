"""The probability update: it tends to 0 or 1 as the year completes and agrees with the conjugate normal."""

from __future__ import annotations

import numpy as np
import pytest

from growthsim.simulation.monitoring import (
    count_probability,
    error_sd,
    probability_history,
    update_draws,
    update_normal,
)
from growthsim.simulation.targets import Rule

RULE = Rule("about", 6.5, 0.5)  # met at 6.0 or more


def test_probability_goes_to_one_or_zero_as_the_year_completes():
    prior = np.random.default_rng(1).normal(7.0, 2.0, 4000)
    s = 1.7
    up = [update_draws(prior, 7.0, error_sd(n, s), RULE).probability for n in range(1, 13)]
    down = [update_draws(prior, 5.0, error_sd(n, s), RULE).probability for n in range(1, 13)]
    assert up[-1] == 1.0 and down[-1] == 0.0  # month 12 decides
    assert up[10] > 0.99 and down[10] < 0.01  # by month 11 the error sd is 0.15: nearly decided
    assert up[10] > up[2] and down[10] < down[2]  # more months, firmer answer


def test_draws_and_normal_prior_agree():
    rng = np.random.default_rng(7)
    prior = rng.normal(6.0, 1.5, 20000)
    for pred, sd in ((6.3, 0.5), (5.2, 0.9), (8.0, 0.2)):
        a = update_draws(prior, pred, sd, RULE)
        b = update_normal(6.0, 1.5, pred, sd, RULE)
        # The kernel-smoothed prior widens the normal slightly (Silverman bandwidth): within 0.02.
        assert a.probability == pytest.approx(b.probability, abs=0.02)
        assert a.mean == pytest.approx(b.mean, abs=0.05)


def test_no_figure_yet_gives_the_prior_probability():
    prior = np.array([5.0, 6.0, 7.0, 8.0])
    assert update_draws(prior, None, 0.5, RULE).probability == 0.75  # 3 of 4 draws are >= 6.0


def test_a_predictor_far_outside_the_prior_is_still_defined():
    prior = np.random.default_rng(2).normal(5.0, 0.5, 2000)
    p = update_draws(prior, 16.0, 0.3, RULE)  # a rebound year far above every draw
    assert 0.0 <= p.probability <= 1.0 and p.probability > 0.99


def test_history_keeps_every_month():
    prior = np.random.default_rng(3).normal(6.0, 2.0, 2000)
    steps = probability_history(prior, [(3, 4.8, 4.8, False), (6, 5.4, 5.4, False), (12, 5.8, 5.8, False)], 1.7, RULE)
    assert [s.month for s in steps] == [3, 6, 12]
    assert steps[-1].update.probability == 0.0  # 5.8 < 6.0 once the year is complete
    assert steps[-1].sd == 0.0


def test_count_probability_is_decided_at_month_twelve():
    prior = np.full(100, 400.0)
    assert count_probability(prior, 280, 12, Rule("at_least", 300)) == 0.0  # 280 < 300 with no month left
    assert count_probability(prior, 200, 6, Rule("at_least", 300)) == 1.0  # 200 + 400*6/12 = 400
