"""The target desk's services on the calibrated model: numbers equal to plain projections, parts that add up."""

from __future__ import annotations

import math

import numpy as np
import pytest

from growthsim.calibration.targets import targets
from growthsim.errors import UserInputError
from growthsim.scenario_files import load_scenario
from growthsim.simulation.indicators import indicators
from growthsim.simulation.ladder import rung_values
from growthsim.simulation.measures import Measure
from growthsim.simulation.model import project
from growthsim.simulation.scenario import baseline
from growthsim.simulation.summary import summarise, target_table
from growthsim.simulation.targets import Rule, Target
from growthsim.target_setting import (
    attribute,
    gap_to_target,
    ladder_frame,
    ladder_indicators,
    measure_values,
    projection,
    seek_package,
    target_frame,
)

DRAWS = 600
SEED = 20211


def candidate(tid, indicator, year, comparator, value, tolerance=0.0) -> Target:
    """A test fixture, not a plan target."""
    return Target(tid, indicator, year, Rule(comparator, float(value), float(tolerance)), f"测试 {tid}", f"test {tid}",
                  unit=indicators()[indicator].unit, source="test fixture (tests/targetdesk/test_services.py)")


@pytest.fixture(scope="module")
def proj(calibration):
    return projection(calibration, baseline(), 2030, DRAWS, SEED)


def test_the_ladder_equals_the_projections_quantiles(proj):
    ids = ladder_indicators(targets())
    frame = ladder_frame(proj, ids)
    table = summarise(proj, ids).set_index(["indicator", "year"])
    got = frame.set_index(["indicator", "year"])
    common = got.index.intersection(table.index)
    assert len(common) == len(ids) * 5          # every target-bearing indicator, 2026-2030
    # 保底 (reached with 90 %) is the P10 of the projection table, 冲刺 (50 %) its median: the same numbers
    assert np.array_equal(got.loc[common, "floor"].to_numpy(), table.loc[common, "p10"].to_numpy())
    assert np.array_equal(got.loc[common, "stretch"].to_numpy(), table.loc[common, "p50"].to_numpy())
    strive = np.percentile(proj.at("mfg_va_share_gdp", 2030), 30)
    assert got.loc[("mfg_va_share_gdp", 2030), "strive"] == strive


def test_lever_decided_indicators_have_no_ladder():
    ids = ladder_indicators(targets())
    assert "tech_renovation_investment_growth" not in ids and "mfg_va_share_gdp" in ids


def test_a_target_reads_the_same_probability_as_the_run_table(proj):
    t = targets()["gdp_growth_2026"]
    mine = target_frame(proj, [t]).iloc[0]
    run = target_table(proj, [t]).iloc[0]
    assert mine.probability == run.probability and mine.p50 == run.p50


def test_an_average_growth_target_is_computed_per_draw(proj):
    m = Measure("above_scale_va_growth", 2030, "average", 2026, kind="rate")
    g = np.stack([proj.at("above_scale_va_growth", y) for y in range(2026, 2031)])
    by_hand = 100 * (np.prod(1 + g / 100, axis=0) ** 0.2 - 1)
    assert np.allclose(measure_values(proj, m), by_hand, rtol=0, atol=1e-12)


def test_attribution_adds_up_and_its_ends_are_the_plain_projections(calibration):
    a, b = baseline(), load_scenario("downside", first_year=2026)
    m = Measure("mfg_va_share_gdp", 2030, kind="share")
    att = attribute(calibration, a, b, m, DRAWS, SEED)
    keys = [p.key for p in att.players]
    # downside moves levers (investment, upgrades, projects, key firms) and uncertainties (growth, a demand shock)
    assert {"lever:tech_renovation", "uncertainty:economy", "uncertainty:shocks"} <= set(keys)
    assert math.fsum(att.contributions) == pytest.approx(att.difference, abs=1e-9)
    # common random numbers: the empty and the full coalition are exactly the two scenarios' own projections
    for scen, value in ((a, att.from_value), (b, att.to_value)):
        p = project(calibration.base, scen, calibration.posterior, 2030, DRAWS, np.random.default_rng(SEED))
        assert value == float(np.median(p.at("mfg_va_share_gdp", 2030)))


def test_a_package_answer_is_reproduced_by_a_plain_projection(calibration):
    # the baseline meets it in 51.5 % of 600 draws, the whole intensified package in 61.7 %
    share = candidate("share_2030", "mfg_va_share_gdp", 2030, "at_least", 24.0)
    ans = seek_package(calibration, baseline(), load_scenario("intensified", first_year=2026), [share], 0.6,
                       DRAWS, SEED)
    assert ans.met
    k = ans.result.intensity
    p = project(calibration.base, ans.package.scenario_at(baseline(), k), calibration.posterior, 2030, DRAWS,
                np.random.default_rng(SEED))
    assert float(np.mean(share.met(p.at("mfg_va_share_gdp", 2030)))) == ans.result.probability >= 0.6
    assert ans.result.before is None or ans.result.before < 0.6
    assert ans.current < 0.6


def test_the_gap_is_the_groups_contributions_plus_what_is_left(calibration):
    share = candidate("share_2030", "mfg_va_share_gdp", 2030, "at_least", 27.0)
    gap = gap_to_target(calibration, baseline(), load_scenario("intensified", first_year=2026), share, DRAWS, SEED)
    assert math.fsum(gap.attribution.contributions) + gap.remainder == pytest.approx(gap.gap, abs=1e-9)
    assert all(p.kind == "lever" for p in gap.attribution.players)


def test_a_target_in_a_reported_year_is_refused(calibration):
    with pytest.raises(UserInputError, match="not projected"):
        seek_package(calibration, baseline(), load_scenario("intensified", first_year=2026),
                     [targets()["va_growth_2024"]], 0.5, 50, SEED)


def test_rungs_match_numpy_for_a_measure(proj):
    draws = proj.at("above_scale_firms", 2028)
    assert rung_values(draws).tolist() == np.percentile(draws, [10, 30, 50]).tolist()


@pytest.mark.parametrize("met", [True, False])
def test_a_value_that_is_not_enough_is_never_headed_needed(met):
    # a package that cannot reach the probability within its search range lists the values at the most tried:
    # the workbook, the app and the command line take their headers from lever_columns
    from types import SimpleNamespace

    from growthsim.target_words import header, lever_columns, lever_table_rows

    answer = SimpleNamespace(met=met, lever_values={"upgrade_target": (405.0, 500.0, 690.0)})
    columns = lever_columns(answer)
    rows = lever_table_rows(answer, "zh")
    assert list(rows[0]) == list(columns) and rows[0][columns[-1]] == 690
    assert header(columns[-1], "zh") == ("所需" if met else "最高力度下（仍不足）")
    assert (header(columns[-1], "en") == "needed") == met
