"""Goal seeking: minimal, stable answers that anyone can reproduce with a plain projection."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import pytest

import growthsim.explore.seek as seek_mod
from growthsim.calibration.targets import targets
from growthsim.errors import UserInputError
from growthsim.explore.common import check_probability, resolve_levers, resolve_targets
from growthsim.explore.seek import Evaluator, result_tables, seek
from growthsim.simulation.indicators import indicators
from growthsim.simulation.model import project
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import baseline
from growthsim.simulation.targets import Rule, Target

DRAWS = 400
SEED = 20211
T = targets()
P = parameters()


def fixture_target(tid, indicator, year, comparator, value, tolerance=0.0) -> Target:
    """A test fixture, not a plan target: the shipped file's only future target is gdp_growth_2026."""
    return Target(tid, indicator, year, Rule(comparator, float(value), float(tolerance)), f"测试目标 {tid}",
                  f"test target {tid}", unit=indicators()[indicator].unit,
                  source="test fixture (tests/explore/test_seek.py)")


# The probabilities below: 400 draws, seed 20211, re-measured 2026-12-07 on the calibration with the persistent
# high-tech premium (the particles moved; the earlier value in brackets where it changed)
GDP = T["gdp_growth_2026"]  # GDP real growth 5 % or more in 2026 (shipped); 42 % in the baseline (40 %)
# Firm count above 6,600 in 2028: 17.5 % in the baseline (median 6,219), 100 % with upgrade_target at 1200
FIRMS = fixture_target("firms_2028", "above_scale_firms", 2028, "above", 6600)
# Firm count above 6,230 in 2028: 36.5 % with no projects (33.75), 48.25 % with the baseline's 60 a year (47.25),
# 56 % with 100, 66 % with 150 (64.75) (projects act after their one-year lag: 2027-2028). At 6,200 the baseline
# sat at 49.75-51 %, on the test's 50 % edge, and the census revision's calibration tipped it over; at 6,240 the
# joint target (with SHARE) needs 148 of the lever's 150 (so little room above it)
FIRMS_MID = fixture_target("firms_2028_mid", "above_scale_firms", 2028, "above", 6230)
# Firm count above 5,400 in 2028: 99 % with no closures, 73 % with 200 a year (70), 44 % with 300 (43)
FIRMS_LOW = fixture_target("firms_2028_low", "above_scale_firms", 2028, "above", 5400)
# Manufacturing share about 24 % in 2030 (met at >= 23.5): 60.25 % in the baseline (56), 43.25 % with no projects
# (39), 76.25 % with 150 a year (75), 85.5 % with 150 projects and key firms at 30 % (83) (the 2030 band is wide:
# P10-P90 20-28 %); upgrades do not move it (comparable basis: no growth)
SHARE = fixture_target("share_2030", "mfg_va_share_gdp", 2030, "about", 24.0, 0.5)


def probability_at(calibration, target, scenario, draws=DRAWS, seed=SEED, horizon=2030):
    """The attainment probability from a plain projection (independent of the seek code), to seek's horizon."""
    proj = project(calibration.base, scenario, calibration.posterior, horizon, draws, np.random.default_rng(seed))
    return float(np.mean(target.met(proj.at(target.indicator, target.year))))


def test_one_lever_that_helps_gives_the_smallest_value_meeting_the_probability(calibration):
    res = seek(calibration, baseline(), [FIRMS], [P["upgrade_target"]], 0.8, DRAWS, SEED)
    s = res.solutions[0]
    assert s.status == "met" and s.direction == "up"
    v = s.value
    assert v == int(v)  # a count lever is sought in whole firms
    at_v = probability_at(calibration, FIRMS, baseline().with_values(upgrade_target=v))
    below = probability_at(calibration, FIRMS, baseline().with_values(upgrade_target=v - 1))
    # minimality, checked with plain projections: v meets 80 %, one firm fewer does not
    assert at_v >= 0.8 > below
    # the reported probability is exactly the plain projection's (same seed, same draws)
    assert s.point.probability(0) == at_v
    assert res.command.startswith("growthsim compare baseline --set upgrade_target=")


def test_a_lever_that_hurts_gives_the_largest_value_tolerated(calibration):
    # closures lower the firm count; with 50 % required, how many closures a year can be tolerated?
    # (72 % at 200 a year, 44 % at 300: the answer lies between, not at a bound)
    res = seek(calibration, baseline(), [FIRMS_LOW], [P["policy_closures"]], 0.5, DRAWS, SEED)
    s = res.solutions[0]
    assert s.direction == "down" and s.status == "met"
    at_v = probability_at(calibration, FIRMS_LOW, baseline().with_values(policy_closures=s.value))
    above = probability_at(calibration, FIRMS_LOW, baseline().with_values(policy_closures=s.value + 1))
    # the largest tolerated value: it meets 50 %, one more closure a year does not
    assert at_v >= 0.5 > above


def test_continuous_lever_is_found_to_a_tenth_of_its_slider_step(calibration):
    # GDP growth of 5 % in 2026 with 30 %: 15 % with key firms at -10 %, 25 % at 0 %, 39.5 % at the baseline 13 %
    res = seek(calibration, baseline(), [GDP], [P["key_firm_growth"]], 0.3, DRAWS, SEED)
    s = res.solutions[0]
    assert s.status == "met" and P["key_firm_growth"].lower < s.value < calibration.posterior.default("key_firm_growth")
    step = P["key_firm_growth"].step / 10  # the search grid's resolution
    assert s.resolution == pytest.approx(step)
    at_v = probability_at(calibration, GDP, baseline().with_values(key_firm_growth=s.value))
    below = probability_at(calibration, GDP, baseline().with_values(key_firm_growth=round(s.value - step, 6)))
    assert at_v >= 0.3 > below  # one grid step less falls short
    # the path printed is the solution's: its 2026 median equals the plain projection's median
    proj = project(calibration.base, baseline().with_values(key_firm_growth=s.value), calibration.posterior, 2030,
                   DRAWS, np.random.default_rng(SEED))
    p50 = res.paths[(res.paths.year == 2026)].p50.iloc[0]
    assert p50 == pytest.approx(float(np.median(proj.at("gdp_real_growth", 2026))), rel=1e-12)


def test_the_horizon_is_that_of_a_plain_run(calibration):
    # the model draws its noise for the whole horizon: seek projects to 2030 like `growthsim compare`
    res = seek(calibration, baseline(), [FIRMS], [P["upgrade_target"]], 0.8, DRAWS, SEED)
    assert res.horizon == 2030 and res.command.endswith("--horizon 2030")
    assert res.current.probability(0) == probability_at(calibration, FIRMS, baseline())
    later = seek(calibration, baseline(), [FIRMS], [P["upgrade_target"]], 0.8, DRAWS, SEED, horizon=2035)
    v = later.solutions[0].value
    at_v = probability_at(calibration, FIRMS, baseline().with_values(upgrade_target=v), horizon=2035)
    assert later.solutions[0].point.probability(0) == at_v  # any horizon: the plain run to it agrees
    # a horizon before the target's year (2028) is refused, naming the allowed range
    with pytest.raises(UserInputError, match="--horizon 2027: allowed 2028"):
        seek(calibration, baseline(), [FIRMS], [P["upgrade_target"]], 0.8, DRAWS, SEED, horizon=2027)


def test_same_inputs_give_the_same_answer(calibration):
    # 56 % in the baseline's 60 a year, 75 % with 150: 65 % is met in between
    a = seek(calibration, baseline(), [SHARE], [P["incremental_projects"]], 0.65, DRAWS, SEED)
    b = seek(calibration, baseline(), [SHARE], [P["incremental_projects"]], 0.65, DRAWS, SEED)
    assert a.solutions[0].status == "met"
    pd.testing.assert_frame_equal(result_tables(a)["solutions"], result_tables(b)["solutions"], check_exact=True)
    pd.testing.assert_frame_equal(a.paths, b.paths, check_exact=True)


def test_several_targets_need_the_most_any_one_needs(calibration):
    lever = [P["incremental_projects"]]
    # with 50 %: the share needs fewer projects than the baseline's 60 (43.25 % at 0, 60.25 % at 60: 35 a year),
    # the firm count more (48.25 % at 60, 56 % at 100): 67 a year (71); both in the same draw 143 (50.25 %; 145)
    share = seek(calibration, baseline(), [SHARE], lever, 0.5, DRAWS, SEED).solutions[0].value
    firms = seek(calibration, baseline(), [FIRMS_MID], lever, 0.5, DRAWS, SEED).solutions[0].value
    assert share < 60 < firms
    both = seek(calibration, baseline(), [SHARE, FIRMS_MID], lever, 0.5, DRAWS, SEED)
    # each target with 50 %: the answer is the larger of the two single answers (the lever helps both)
    assert both.solutions[0].value == max(share, firms)
    joint = seek(calibration, baseline(), [SHARE, FIRMS_MID], lever, 0.5, DRAWS, SEED, joint=True)
    # both in the same draw is at least as demanding as each on its own
    assert joint.solutions[0].value >= both.solutions[0].value
    assert joint.solutions[0].point.joint_probability >= 0.5  # the requirement, now for both together


# A test fixture: the share about 25.5 % in 2030 (met at >= 25.0). At 150 projects a year it is met in 48 % of
# draws with key firms at -10 %, 52 % at 0 %, 57.33 % at 10 %, 65.33 % at 20 %, 73.33 % at 30 % (seed 20211, 300
# draws; re-measured 2026-12-07 on the calibration with the persistent high-tech premium, 46/52/59/65/72 before):
# with 60 % required, unreachable at the first three frontier points, reachable at the last two.
SHARE_HIGH = fixture_target("share_2030_high", "mfg_va_share_gdp", 2030, "about", 25.5, 0.5)


def test_two_levers_trace_a_frontier_that_falls_as_the_first_lever_rises(calibration):
    res = seek(calibration, baseline(), [SHARE_HIGH], [P["key_firm_growth"], P["incremental_projects"]],
               0.6, 300, SEED, frontier_points=5)
    assert res.mode == "frontier" and len(res.solutions) == 5  # frontier_points=5 values of key_firm_growth
    reached = [s for s in res.solutions if s.status in ("met", "met_at_bound")]
    # with key firms growing fast enough (20 %, 30 %), some project count suffices; at -10 % none does
    assert len(reached) >= 2 and res.solutions[0].status == "unreachable"
    needed = [s.value for s in reached]
    # both levers raise the share: more key-firm growth never needs more projects
    assert all(b <= a for a, b in pairwise(needed))
    for s in reached:
        assert s.point.probability(0) >= 0.6  # every frontier point meets the requirement


def test_from_year_keeps_earlier_years_and_needs_more_when_later(calibration):
    ev = Evaluator(calibration, baseline().with_values(upgrade_target={2027: 450.0}), [FIRMS], 100, SEED,
                   from_year=2028)
    scen = ev.scenario_for({"upgrade_target": 700.0})
    # the scenario's own 2027 value stays; the sought value holds from 2028
    assert scen.values["upgrade_target"] == {2027: 450.0, 2028: 700.0}
    early = seek(calibration, baseline(), [FIRMS], [P["upgrade_target"]], 0.8, DRAWS, SEED)
    late = seek(calibration, baseline(), [FIRMS], [P["upgrade_target"]], 0.8, DRAWS, SEED, from_year=2027)
    assert late.from_year == 2027 and early.from_year == 2026  # the first projected year by default
    # two years of extra upgrades (2027-28) must do what three years (2026-28) did: more a year
    assert late.solutions[0].value > early.solutions[0].value


def test_every_lever_on_its_own(calibration):
    res = seek(calibration, baseline(), [FIRMS], [], 0.8, 200, SEED)
    assert res.mode == "table"
    by = {s.lever: s for s in res.solutions}
    assert by["upgrade_target"].status == "met"
    # the high-tech premium is an uncertainty, and new-capacity investment cannot move the firm count
    assert "high_tech_growth_premium" not in by
    assert by["new_capacity_investment_growth"].status == "no_effect"


def test_unreachable_target_is_one_clear_error(calibration):
    with pytest.raises(UserInputError) as exc:
        seek(calibration, baseline(), [SHARE], [P["incremental_projects"]], 0.95, 200, SEED)  # about 75 % at most
    msg = str(exc.value)
    assert "cannot be met with probability 95%" in msg and "incremental_projects" in msg and "[0, 150]" in msg
    assert "the best is at incremental_projects=" in msg


def test_a_lever_that_does_not_move_the_target_says_so(calibration):
    # upgrades add firms, not growth (the comparable basis puts an upgraded firm's last year in the base)
    with pytest.raises(UserInputError, match="upgrade_target has no effect on share_2030"):
        seek(calibration, baseline(), [SHARE], [P["upgrade_target"]], 0.9, 200, SEED)


def test_narrowed_bounds_that_exclude_any_solution(calibration):
    with pytest.raises(UserInputError, match=r"within \[0, 300\]"):
        seek(calibration, baseline(), [FIRMS], [P["upgrade_target"]], 0.8, 200, SEED,
             bounds={"upgrade_target": (0, 300)})


def test_a_lever_the_annual_model_does_not_read_is_refused(calibration, monkeypatch):
    real = seek_mod.used_parameters
    monkeypatch.setattr(seek_mod, "used_parameters",
                        lambda *a: [p for p in real(*a) if p != "upgrade_target"])
    with pytest.raises(UserInputError, match="does not use this lever"):
        seek(calibration, baseline(), [FIRMS], [P["upgrade_target"]], 0.8, 100, SEED)


def test_no_target_named_seeks_the_first_target_after_the_last_reported_year(calibration):
    assert calibration.base_year == 2025  # the shipped data run through 2025
    res = seek(calibration, baseline(), [], [P["key_firm_growth"]], 0.5, DRAWS, SEED)
    assert [t.id for t in res.targets] == ["gdp_growth_2026"]  # the only shipped target after 2025
    named = seek(calibration, baseline(), [GDP], [P["key_firm_growth"]], 0.5, DRAWS, SEED)
    assert res.solutions[0].value == named.solutions[0].value


@pytest.mark.parametrize("tid", ["mfg_share_2025", "firms_2024"])
def test_a_target_of_a_reported_year_is_refused_naming_the_allowed_years(calibration, tid):
    with pytest.raises(UserInputError) as exc:
        seek(calibration, baseline(), [T[tid]], [P["upgrade_target"]], 0.8, 100, SEED)
    msg, zh = str(exc.value), exc.value.text("zh")
    year = T[tid].year
    assert f"--target {tid}: its year {year} is not a projected year" in msg
    assert "allowed target years 2026 to 2035" in msg and "gdp_growth_2026" in msg   # English
    assert f"目标 {tid} 的年份 {year} 已有统计数据" in zh and "只能选择 2026–2035 年的目标" in zh  # Chinese


@pytest.mark.parametrize("bad, fragment", [
    (0.0, "must lie in (0, 1]"), (1.5, "must lie in (0, 1]"), (80, "for 80% write 0.8"), (float("nan"), "(0, 1]"),
])
def test_impossible_probabilities_are_refused(bad, fragment):
    with pytest.raises(UserInputError) as exc:
        check_probability(bad)
    assert fragment in str(exc.value)


def test_unknown_names_get_the_nearest_valid_ones():
    with pytest.raises(UserInputError, match="did you mean mfg_share_2025"):
        resolve_targets(["mfg_share_2026"])
    with pytest.raises(UserInputError, match="did you mean upgrade_target"):
        resolve_levers(["upgrade_targt"])
    with pytest.raises(UserInputError, match="is an uncertainty"):
        resolve_levers(["exit_rate"])
    with pytest.raises(UserInputError, match="does not project this target"):
        resolve_targets(["rd_intensity_2025"])


def test_three_levers_are_refused(calibration):
    with pytest.raises(UserInputError, match="one lever .* or two"):
        seek(calibration, baseline(), [FIRMS],
             [P["upgrade_target"], P["upgrade_pool_ratio"], P["upgrade_realisation_rate"]], 0.8, 100, SEED)
