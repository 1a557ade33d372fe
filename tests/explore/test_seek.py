"""Goal seeking: minimal, stable answers that anyone can reproduce with a plain projection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import growthsim.explore.seek as seek_mod
from growthsim.errors import UserInputError
from growthsim.explore.common import check_probability, resolve_levers, resolve_targets
from growthsim.explore.seek import Evaluator, result_tables, seek
from simulation.model import project
from simulation.registry import parameters
from simulation.scenario import baseline
from calibration.targets import targets

DRAWS = 400
SEED = 20211
T = targets()
P = parameters()


def probability_at(calibration, target, scenario, draws=DRAWS, seed=SEED, horizon=2025):
    """The attainment probability from a plain projection (independent of the seek code), to seek's horizon."""
    proj = project(calibration.base, scenario, calibration.posterior, horizon, draws, np.random.default_rng(seed))
    return float(np.mean(target.met(proj.at(target.indicator, target.year))))


def test_one_lever_that_helps_gives_the_smallest_value_meeting_the_probability(calibration):
    res = seek(calibration, baseline(), [T["firms_2024"]], [P["upgrade_target"]], 0.8, DRAWS, SEED)
    s = res.solutions[0]
    assert s.status == "met" and s.direction == "up"
    v = s.value
    assert v == int(v)  # a count lever is sought in whole firms
    at_v = probability_at(calibration, T["firms_2024"], baseline().with_values(upgrade_target=v))
    below = probability_at(calibration, T["firms_2024"], baseline().with_values(upgrade_target=v - 1))
    # minimality, checked with plain projections: v meets 80 %, one firm fewer does not
    assert at_v >= 0.8 > below
    # the reported probability is exactly the plain projection's (same seed, same draws)
    assert s.point.probability(0) == at_v
    assert res.command.startswith("growthsim compare baseline --set upgrade_target=")


def test_a_lever_that_hurts_gives_the_largest_value_tolerated(calibration):
    # closures lower the firm count; with 20 % required, how many closures a year can be tolerated?
    res = seek(calibration, baseline(), [T["firms_2024"]], [P["policy_closures"]], 0.2, DRAWS, SEED)
    s = res.solutions[0]
    assert s.direction == "down" and s.status == "met"
    at_v = probability_at(calibration, T["firms_2024"], baseline().with_values(policy_closures=s.value))
    above = probability_at(calibration, T["firms_2024"], baseline().with_values(policy_closures=s.value + 1))
    # the largest tolerated value: it meets 20 %, one more closure a year does not
    assert at_v >= 0.2 > above


def test_continuous_lever_is_found_to_a_tenth_of_its_slider_step(calibration):
    res = seek(calibration, baseline(), [T["mfg_share_2025"]], [P["key_firm_growth"]], 0.8, DRAWS, SEED)
    s = res.solutions[0]
    step = P["key_firm_growth"].step / 10  # the search grid's resolution
    assert s.resolution == pytest.approx(step)
    at_v = probability_at(calibration, T["mfg_share_2025"], baseline().with_values(key_firm_growth=s.value))
    below = probability_at(calibration, T["mfg_share_2025"],
                           baseline().with_values(key_firm_growth=round(s.value - step, 6)))
    assert at_v >= 0.8 > below  # one grid step less falls short
    # the path printed is the solution's: its 2025 median equals the plain projection's median
    proj = project(calibration.base, baseline().with_values(key_firm_growth=s.value), calibration.posterior, 2025,
                   DRAWS, np.random.default_rng(SEED))
    p50 = res.paths[(res.paths.year == 2025)].p50.iloc[0]
    assert p50 == pytest.approx(float(np.median(proj.at("mfg_va_share_gdp", 2025))), rel=1e-12)


def test_the_horizon_is_that_of_a_plain_run(calibration):
    # the model draws its noise for the whole horizon: seek projects to 2025 like `growthsim compare`
    res = seek(calibration, baseline(), [T["firms_2024"]], [P["upgrade_target"]], 0.8, DRAWS, SEED)
    assert res.horizon == 2025 and res.command.endswith("--horizon 2025")
    assert res.current.probability(0) == probability_at(calibration, T["firms_2024"], baseline())
    later = seek(calibration, baseline(), [T["firms_2024"]], [P["upgrade_target"]], 0.8, DRAWS, SEED, horizon=2030)
    v = later.solutions[0].value
    at_v = probability_at(calibration, T["firms_2024"], baseline().with_values(upgrade_target=v), horizon=2030)
    assert later.solutions[0].point.probability(0) == at_v  # any horizon: the plain run to it agrees
    with pytest.raises(UserInputError, match="--horizon 2023: allowed 2024"):
        seek(calibration, baseline(), [T["firms_2024"]], [P["upgrade_target"]], 0.8, DRAWS, SEED, horizon=2023)


def test_same_inputs_give_the_same_answer(calibration):
    a = seek(calibration, baseline(), [T["mfg_share_2025"]], [P["incremental_projects"]], 0.6, DRAWS, SEED)
    b = seek(calibration, baseline(), [T["mfg_share_2025"]], [P["incremental_projects"]], 0.6, DRAWS, SEED)
    pd.testing.assert_frame_equal(result_tables(a)["solutions"], result_tables(b)["solutions"], check_exact=True)
    pd.testing.assert_frame_equal(a.paths, b.paths, check_exact=True)


def test_several_targets_need_the_most_any_one_needs(calibration):
    lever = [P["upgrade_target"]]
    share = seek(calibration, baseline(), [T["mfg_share_2025"]], lever, 0.45, DRAWS, SEED).solutions[0].value
    firms = seek(calibration, baseline(), [T["firms_2024"]], lever, 0.45, DRAWS, SEED).solutions[0].value
    both = seek(calibration, baseline(), [T["mfg_share_2025"], T["firms_2024"]], lever, 0.45, DRAWS, SEED)
    # each target with 45 %: the answer is the larger of the two single answers (the lever helps both)
    assert both.solutions[0].value == max(share, firms)
    joint = seek(calibration, baseline(), [T["mfg_share_2025"], T["firms_2024"]], lever, 0.45, DRAWS, SEED,
                 joint=True)
    # both in the same draw is at least as demanding as each on its own
    assert joint.solutions[0].value >= both.solutions[0].value
    assert joint.solutions[0].point.joint_probability >= 0.45  # the requirement, now for both together


def test_two_levers_trace_a_frontier_that_falls_as_the_first_lever_rises(calibration):
    res = seek(calibration, baseline(), [T["mfg_share_2025"]], [P["key_firm_growth"], P["incremental_projects"]],
               0.7, 300, SEED, frontier_points=5)
    assert res.mode == "frontier" and len(res.solutions) == 5  # frontier_points=5 values of key_firm_growth
    reached = [s for s in res.solutions if s.status in ("met", "met_at_bound")]
    assert len(reached) >= 2  # with key firms growing fast enough, some project count suffices
    needed = [s.value for s in reached]
    # both levers raise the share: more key-firm growth never needs more projects
    assert all(b <= a for a, b in zip(needed, needed[1:]))
    for s in reached:
        assert s.point.probability(0) >= 0.7  # every frontier point meets the requirement


def test_from_year_keeps_earlier_years_and_needs_more_when_later(calibration):
    ev = Evaluator(calibration, baseline().with_values(upgrade_target={2023: 450.0}), [T["firms_2024"]], 100, SEED,
                   from_year=2024)
    scen = ev.scenario_for({"upgrade_target": 700.0})
    # the scenario's own 2023 value stays; the sought value holds from 2024
    assert scen.values["upgrade_target"] == {2023: 450.0, 2024: 700.0}
    early = seek(calibration, baseline(), [T["firms_2024"]], [P["upgrade_target"]], 0.8, DRAWS, SEED)
    late = seek(calibration, baseline(), [T["firms_2024"]], [P["upgrade_target"]], 0.8, DRAWS, SEED, from_year=2023)
    # two years of extra upgrades (2023-24) must do what four years (2021-24) did: more a year
    assert late.solutions[0].value > early.solutions[0].value


def test_every_lever_on_its_own(calibration):
    res = seek(calibration, baseline(), [T["firms_2024"]], [], 0.8, 200, SEED)
    assert res.mode == "table"
    by = {s.lever: s for s in res.solutions}
    assert by["upgrade_target"].status == "met"
    # the high-tech premium is an uncertainty, and new-capacity investment cannot move the firm count
    assert "high_tech_growth_premium" not in by
    assert by["new_capacity_investment_growth"].status == "no_effect"


def test_unreachable_target_is_one_clear_error(calibration):
    with pytest.raises(UserInputError) as exc:
        seek(calibration, baseline(), [T["mfg_share_2025"]], [P["upgrade_target"]], 0.9, 200, SEED)
    msg = str(exc.value)
    assert "cannot be met with probability 90%" in msg and "upgrade_target" in msg and "[0, 1200]" in msg
    assert "the best is at upgrade_target=" in msg


def test_narrowed_bounds_that_exclude_any_solution(calibration):
    with pytest.raises(UserInputError, match=r"within \[0, 300\]"):
        seek(calibration, baseline(), [T["firms_2024"]], [P["upgrade_target"]], 0.8, 200, SEED,
             bounds={"upgrade_target": (0, 300)})


def test_a_lever_the_annual_model_does_not_read_is_refused(calibration, monkeypatch):
    real = seek_mod.used_parameters
    monkeypatch.setattr(seek_mod, "used_parameters",
                        lambda *a: [p for p in real(*a) if p != "upgrade_target"])
    with pytest.raises(UserInputError, match="does not use this lever"):
        seek(calibration, baseline(), [T["firms_2024"]], [P["upgrade_target"]], 0.8, 100, SEED)


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
        seek(calibration, baseline(), [T["firms_2024"]],
             [P["upgrade_target"], P["upgrade_pool_ratio"], P["upgrade_realisation_rate"]], 0.8, 100, SEED)
