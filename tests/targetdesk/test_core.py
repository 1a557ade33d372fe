"""The target desk's pure core, on known answers: ladder, measures, Shapley values, splits, package intensity."""

from __future__ import annotations

import math

import numpy as np
import pytest

from growthsim.calibration.city import pack_defaults
from growthsim.simulation.attribution import (
    Player,
    coalition_masks,
    coalition_paths,
    rounded_parts,
    shapley_values,
)
from growthsim.simulation.ladder import RUNGS, exceedance, probability_reaching, rung_values
from growthsim.simulation.measures import Measure
from growthsim.simulation.model import Posterior
from growthsim.simulation.package import least_intensity, package_between
from growthsim.simulation.scenario import Scenario, baseline
from growthsim.simulation.split import (
    capacity_parts,
    growth_region_draws,
    level_region_draws,
    split_target,
)

# ---------------------------------------------------------------- ladder


def _pack_posterior() -> Posterior:
    """The default pack's values with no draws (405 upgrades a year, 6.5 % long-run growth: its levers.toml)."""
    return Posterior(point=pack_defaults(), draws={})


def test_rungs_are_the_plan_words_at_90_70_50():
    assert [(r.name("zh"), r.probability) for r in RUNGS] == [("保底", 0.9), ("力争", 0.7), ("冲刺", 0.5)]


def test_rungs_of_1_to_101_are_their_percentiles():
    # the draws 1..101: the p-th percentile (linear interpolation) is exactly 1 + p
    draws = np.arange(1.0, 102.0)
    assert rung_values(draws).tolist() == [11.0, 31.0, 51.0]
    # a ceiling reads the other tail: reached with 90 % means at most the 90th percentile
    assert rung_values(draws, higher_is_better=False).tolist() == [91.0, 71.0, 51.0]


def test_each_rung_is_reached_with_its_probability():
    draws = np.random.default_rng(3).normal(size=10_001)
    for r, v in zip(RUNGS, rung_values(draws), strict=True):
        # the (1-p) quantile of 10,001 draws: exactly p of them lie at or above it, give or take one draw
        assert abs(probability_reaching(draws, v) - r.probability) <= 1 / 10_001 + 1e-12


def test_columns_with_a_nan_give_nan_and_the_others_are_kept():
    draws = np.column_stack([np.arange(1.0, 102.0), np.r_[np.nan, np.arange(2.0, 102.0)]])
    got = rung_values(draws)
    assert got[:, 0].tolist() == [11.0, 31.0, 51.0]
    assert np.isnan(got[:, 1]).all()


def test_exceedance_counts_draws_at_or_above_x():
    x, p = exceedance(np.array([1.0, 2.0, 2.0, 3.0]), points=5)
    # x = 1, 1.5, 2, 2.5, 3: draws >= x are 4, 3, 3, 1, 1 of 4
    assert x.tolist() == [1.0, 1.5, 2.0, 2.5, 3.0]
    assert p.tolist() == [1.0, 0.75, 0.75, 0.25, 0.25]


def test_a_probability_outside_0_1_is_refused():
    with pytest.raises(ValueError):
        rung_values(np.arange(10.0), [1.0])


# ---------------------------------------------------------------- measures


def _years(ind, values, first=2025):
    """A mapping (indicator, year) -> draws for consecutive years from ``first``."""
    return {(ind, first + i): np.asarray(v, dtype=float) for i, v in enumerate(values)}


def test_average_of_a_constant_rate_is_that_rate():
    m = Measure("above_scale_va_growth", 2030, "average", 2026, kind="rate")
    assert m.needs() == tuple(("above_scale_va_growth", y) for y in range(2026, 2031))
    got = m.values(_years("above_scale_va_growth", [[6.0, 4.0]] * 5, first=2026))
    assert np.allclose(got, [6.0, 4.0], rtol=0, atol=1e-12)


def test_average_of_rates_is_compound_not_arithmetic():
    m = Measure("gdp_real_growth", 2027, "average", 2026, kind="rate")
    # 10 % then 0 %: sqrt(1.1) - 1 = 4.88 %, not 5 %
    got = m.values(_years("gdp_real_growth", [10.0, 0.0], first=2026))
    assert got == pytest.approx(100 * (math.sqrt(1.1) - 1), abs=1e-12)


def test_average_growth_of_a_level_runs_from_the_year_before_the_period():
    m = Measure("gdp", 2030, "average", 2026, kind="level")
    assert m.needs() == (("gdp", 2025), ("gdp", 2030))
    # 100 -> 100 * 1.05^5: exactly 5 % a year over 2026-2030
    got = m.values({("gdp", 2025): np.array([100.0]), ("gdp", 2030): np.array([100.0 * 1.05 ** 5])})
    assert got[0] == pytest.approx(5.0, abs=1e-12)


def test_change_and_total():
    change = Measure("mfg_va_share_gdp", 2030, "change", 2026, kind="share")
    got = change.values({("mfg_va_share_gdp", 2025): np.array([25.0]), ("mfg_va_share_gdp", 2030): np.array([27.5])})
    assert got.tolist() == [2.5]
    assert change.unit("%") == "百分点"
    total = Measure("firm_upgrades", 2028, "total", 2026, kind="flow")
    assert total.values(_years("firm_upgrades", [[400], [410], [420]], first=2026)).tolist() == [1230.0]


@pytest.mark.parametrize("form,kind", [("total", "share"), ("change", "rate"), ("average", "share")])
def test_a_form_that_does_not_suit_the_indicator_is_refused(form, kind):
    with pytest.raises(ValueError, match="does not apply"):
        Measure("x", 2030, form, 2026, kind=kind)


# ---------------------------------------------------------------- Shapley values


def test_shapley_on_an_additive_game_gives_each_part_its_own_effect():
    effects = np.array([1.5, -0.25, 3.0, 0.0, 2.0])
    masks = coalition_masks(len(effects))
    v = 10.0 + masks @ effects  # v(S) = 10 + sum of the effects in S
    phi = shapley_values(v)
    assert np.allclose(phi, effects, rtol=0, atol=1e-12)
    assert math.fsum(phi) == pytest.approx(v[-1] - v[0], abs=1e-12)


def test_shapley_splits_a_pure_interaction_equally():
    # v(S) = 1 only when players 0 and 1 are both in: each gets 1/2, player 2 (a dummy) 0
    masks = coalition_masks(3)
    v = (masks[:, 0] & masks[:, 1]).astype(float)
    assert np.allclose(shapley_values(v), [0.5, 0.5, 0.0], atol=1e-15)


def test_shapley_values_add_up_on_an_arbitrary_game():
    v = np.random.default_rng(11).normal(size=2 ** 6)
    assert math.fsum(shapley_values(v)) == pytest.approx(v[-1] - v[0], abs=1e-12)


def test_rounded_parts_add_up_to_the_rounded_total():
    parts = [1.04, 1.04, 1.04, -0.06]   # sum 3.06 -> shown 3.1; naive rounding gives 1.0+1.0+1.0-0.1 = 2.9
    got = rounded_parts(parts, sum(parts), 1)
    assert round(sum(got), 6) == 3.1
    assert all(abs(g - p) < 0.1 + 1e-9 for g, p in zip(got, parts, strict=True))


def test_coalition_paths_take_b_values_for_members_only():
    a = baseline()
    b = Scenario("b", "", "", values={"upgrade_target": 600, "growth_long_run": 5.0})
    years = np.arange(2026, 2029)
    players = [Player("lever", "firm_upgrades", ("upgrade_target",)),
               Player("uncertainty", "economy", ("growth_long_run",))]
    paths = coalition_paths(players, a, b, _pack_posterior(), years)
    # rows: {}, {0}, {1}, {0, 1}
    assert paths["upgrade_target"][:, 0].tolist() == [405, 600, 405, 600]
    assert paths["growth_long_run"][:, 0].tolist() == [6.5, 6.5, 5.0, 5.0]


# ---------------------------------------------------------------- splits


def test_level_region_draws_add_up_to_the_city_in_every_draw():
    city = np.random.default_rng(1).normal(1000, 50, size=500)
    regions = level_region_draws(city, [3, 2, 1], 0.2, np.random.default_rng(2))
    assert np.allclose(regions.sum(axis=0), city, rtol=1e-13)


def test_growth_region_draws_weigh_up_to_the_city():
    city = np.random.default_rng(1).normal(6, 1, size=500)
    w = np.array([0.5, 0.3, 0.2])
    regions = growth_region_draws(city, w, 1.5, np.random.default_rng(2))
    assert np.allclose(w @ regions, city, rtol=0, atol=1e-12)


def test_equal_probability_parts_add_up_and_share_one_probability():
    rng = np.random.default_rng(5)
    city = rng.normal(6000, 300, size=4000)
    regions = level_region_draws(city, [4, 3, 2, 1], 0.15, rng)
    s = split_target(6000.0, regions)
    assert math.fsum(s.parts) == pytest.approx(6000.0, abs=1e-9)
    # every part is reached with (nearly) the same probability: within 2 percentage points of each other
    assert s.probabilities.max() - s.probabilities.min() < 0.02
    assert abs(s.probabilities.mean() - (1 - s.level)) < 0.02


def test_whole_parts_of_a_count_add_up_to_the_whole_target():
    rng = np.random.default_rng(5)
    regions = level_region_draws(rng.normal(6000, 300, size=2000), [4, 3, 2, 1], 0.15, rng)
    s = split_target(6001.0, regions, whole=True)
    assert s.parts.sum() == 6001 and all(float(p).is_integer() for p in s.parts)


def test_capacity_parts_are_proportional():
    assert capacity_parts(100.0, [1, 1, 2]).tolist() == [25.0, 25.0, 50.0]
    # growth with capacity equal to the weights: every region grows at the city's rate
    assert np.allclose(capacity_parts(6.5, [0.5, 0.3, 0.2], weights=[0.5, 0.3, 0.2]), 6.5)


def test_equal_probability_growth_parts_weigh_up_to_the_city_target():
    rng = np.random.default_rng(8)
    w = np.array([0.4, 0.35, 0.25])
    regions = growth_region_draws(rng.normal(6.0, 1.0, size=4000), w, 2.0, rng)
    s = split_target(6.5, regions, weights=w)
    assert float(w @ s.parts) == pytest.approx(6.5, abs=1e-12)
    assert s.probabilities.max() - s.probabilities.min() < 0.02


def test_a_target_no_draw_can_reach_is_refused():
    regions = np.ones((2, 10))
    with pytest.raises(ValueError, match="outside"):
        split_target(5.0, regions)


# ---------------------------------------------------------------- package intensity


def test_package_paths_run_from_start_through_the_package_and_clip_at_bounds():
    years = np.arange(2026, 2031)
    pkg = Scenario("p", "", "", values={"upgrade_target": 605, "key_firm_growth": {2027: 15.0}})
    package = package_between(baseline(), pkg, _pack_posterior(), years)
    assert package.levers == ("upgrade_target", "key_firm_growth")
    paths = package.paths([0.0, 1.0, 2.0, 10.0])
    assert paths["upgrade_target"][:, 0].tolist() == [405, 605, 805, 1200]   # 1200 is the registry's upper bound
    assert paths["key_firm_growth"][:, :2].tolist() == [[13, 13], [13, 15], [13, 17], [13, 30]]
    # saturation: upgrade_target reaches 1200 at k = 795/200 = 3.975, key firms 30 at k = 17/2 = 8.5
    assert package.saturation() == pytest.approx(8.5)


def test_a_package_that_moves_nothing_is_refused():
    with pytest.raises(ValueError, match="moves no lever"):
        package_between(baseline(), Scenario("p", "", "", values={"growth_long_run": 5.0}), _pack_posterior(),
                        np.arange(2026, 2028))


def test_least_intensity_on_a_known_curve():
    # p(k) = min(1, k / 2): the goal 0.6 is first reached at k = 1.2 (grid of 0.01)
    res = least_intensity(lambda k: np.minimum(1.0, k / 2.0), 0.6, 3.0)
    assert res.intensity == pytest.approx(1.2)
    assert res.probability >= 0.6 and res.before < 0.6


def test_least_intensity_says_when_nothing_reaches_the_goal():
    res = least_intensity(lambda k: 0.1 * k, 0.9, 2.0)
    assert res.intensity is None and res.best_intensity == 2.0 and res.best_probability == pytest.approx(0.2)
