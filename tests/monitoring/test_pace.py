"""The pace still needed, in closed form: r = (G - W_n c_n) / (1 - W_n)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from growthsim.simulation.monitoring import (
    count_pace,
    due_by,
    implied_full_year,
    milestone_schedule,
    monthly_weights,
    needed_path,
    required_pace,
)


def test_equal_weights_closed_form():
    # 1–6月 at 4.0 %, target 6.5 %: the second half must carry (12*6.5 - 6*4.0)/6 = 9.0 %.
    assert required_pace(6.5, 4.0, 6) == pytest.approx(9.0, abs=1e-12)
    # 1–9月 at 5.7 %, target 5.8 %: (12*5.8 - 9*5.7)/3 = 6.1 %.
    assert required_pace(5.8, 5.7, 9) == pytest.approx(6.1, abs=1e-12)


def test_target_met_exactly_so_far_needs_the_same_pace():
    # A cumulative figure equal to the target needs exactly the target's pace in every month left.
    for n in range(1, 12):
        assert required_pace(10.0, 10.0, n) == pytest.approx(10.0, abs=1e-12)


def test_pace_inverts_to_the_target_with_a_profile():
    # Last year's profile (1–2月 together as month 2) gives unequal weights; growing at the pace reaches G exactly.
    prof = {2: 15.2, 3: 8.6, 4: 8.3, 5: 8.4, 6: 8.9, 7: 8.0, 8: 8.1, 9: 8.5, 10: 8.2, 11: 8.6, 12: 9.2}
    w = monthly_weights(prof)
    assert w.sum() == pytest.approx(1.0)
    assert w[0] == pytest.approx(w[1])  # 1–2月 split equally between January and February
    r = required_pace(10.0, 9.5, 8, w)
    assert implied_full_year(9.5, 8, r, w) == pytest.approx(10.0, abs=1e-12)
    # With more weight in the last months than equal weights give, less extra growth is needed per month.
    assert r < required_pace(10.0, 9.5, 8)


def test_needed_path_runs_from_so_far_to_the_target():
    path = needed_path(6.5, 4.0, 6)
    assert np.isnan(path[:5]).all()  # nothing drawn before the latest month
    assert path[5] == pytest.approx(4.0)  # starts at the figure so far
    assert path[11] == pytest.approx(6.5)  # ends at the target
    assert np.all(np.diff(path[5:]) > 0)  # climbs month by month at a constant 9 %


def test_month_twelve_has_no_pace_left():
    assert math.isnan(required_pace(6.5, 9.4, 12))  # the year is decided


def test_count_pace():
    # 300 upgrades, 120 by June: 180 more, 30 a month.
    assert count_pace(300, 120, 6) == (180.0, 30.0)
    assert count_pace(300, 320, 6) == (0.0, 0.0)  # already met: nothing needed


def test_milestone_readings():
    per = milestone_schedule([3, 6, 9, 12], [3, 8, 9, 10], "per_period")
    assert per == {3: 3, 6: 11, 9: 20, 12: 30}  # each quarter adds its number
    cum = milestone_schedule([3, 6, 9, 12], [3, 8, 9, 10], "cumulative")
    assert cum == {3: 3, 6: 8, 9: 9, 12: 10}
    assert due_by(per, 8) == (6, 11.0)  # by August the June milestone is the one due
    assert due_by(per, 2) == (None, 0.0)
    with pytest.raises(ValueError):
        milestone_schedule([3], [3], "weekly")
