"""Xiamen's pack (cities/xiamen): its record, targets and calibration from a sparse record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from growthsim.calibration import city, priors
from growthsim.calibration.fit import calibrate, read_reported
from growthsim.calibration.targets import announced_growth_targets, read_targets

PACK = Path(__file__).resolve().parent.parent / "cities" / "xiamen"

PARTICLES = 5_000  # the share steps are adapted, so every particle reaches each reported share (20,000 before)


@pytest.fixture(scope="module")
def xiamen():
    pool = read_targets(PACK / "targets.toml")
    return PACK, read_reported(PACK / "reported_figures.csv"), pool, announced_growth_targets(pool)


def test_every_row_is_cited_and_no_billion_yuan_is_left(xiamen):
    _, reported, _, _ = xiamen
    assert len(reported) == 103
    assert (reported.url.str.startswith("http") & (reported.publisher != "") & (reported.quote != "")).all()
    # English pages print billion yuan: converted to 亿元 and the row says so
    converted = reported[reported.publisher.str.contains("x 10 = 亿元")]
    assert len(converted) >= 10 and (converted.unit == "亿元").all()
    # 2018's GDP as the bulletin gives it (4791.41 亿元), 2025's converted from 898.037 billion yuan
    gdp = reported[(reported.indicator == "gdp") & ~reported.superseded & (reported.period == "")]
    level = dict(zip(gdp.year, gdp.value, strict=True))
    assert level[2018] == 4791.41 and level[2025] == 8980.37


def test_the_targets_are_xiamens_and_pull_2021s_growth(xiamen):
    _, _, pool, announced = xiamen
    assert len(pool) == 10 and sum(t.tracked for t in pool.values()) == 4
    assert announced == {2021: (7.5, False)}  # 增长7.5%、力争8%: a point target, read as 左右


@pytest.fixture(scope="module")
def calibrated(xiamen):
    pack, reported, _, announced = xiamen
    with city.using(pack):   # the pack's parameter values: it has no levers.toml, so the registry's and scaled
        return calibrate(reported, np.random.default_rng(3), particles=PARTICLES, announced=announced)


def test_xiamen_calibrates_from_2018_with_priors_for_what_it_does_not_publish(calibrated):
    cal = calibrated
    pinned = cal.pinned.set_index("figure")
    assert cal.start_year == 2018  # GDP, secondary VA and the year-end firm count
    assert set(pinned.index[pinned.how == "prior"]) == {"mfg_va_share_gdp", "revenue", "profit", "high_tech_share"}
    assert "industry_non_mfg_share" in pinned.loc["mfg_va_share_gdp", "source"]  # from 2018's industrial VA
    years = list(cal.history_years)
    np.testing.assert_allclose(cal.history["above_scale_firms"][:, years.index(2018)], 1896)
    # 2025's high-tech share (40.8 %, tolerance 0.05) narrows its 3-65 % prior to the reported figure
    assert abs(pinned.loc["high_tech_share", "q50"] - 40.8) < 0.3
    assert pinned.loc["high_tech_share", "later"] == [2022, 2025]  # 2022's is a partial year the filter weighs
    # every particle agrees with both reported shares (45.1 % in 2022's 1-7月, 40.8 % in 2025; errors 0.05):
    # the first report draws the start share again, the second solves for its year's premium
    share = cal.history["high_tech_share"]
    for year, value in ((2022, 45.1), (2025, 40.8)):
        assert np.abs(share[:, years.index(year)] - value).max() < 0.5, year
    # no year reaches the tempering limit and each keeps over half its particles' worth of weight (before: 2019,
    # 2022 and 2025 reached it with an ESS of 4-20 %; 2019's GDP is on the fourth census's basis, fit.py)
    d = cal.diagnostics
    assert not d.capped.any() and (d.ess > 0.5 * PARTICLES).all(), d
    # the states every projection starts from are not degenerate: after the last year's resampling at least half
    # the particles are distinct ancestors (3,332 of 5,000 at seed 3, from an ESS of 2,888; 3,644 from 3,457 before
    # the census revision; a filter whose years reach the tempering limit keeps 11-34 %), so a band's width is the
    # model's, not a few particles' (README, *Why Xiamen's growth bands miss*)
    assert np.unique(cal.base.state["cycle"]).size > 0.5 * PARTICLES
    # known answer: with no levers.toml a lever that scales with the city is its reference rate (simulation/
    # registry.py: 0.111 upgrades, 0.01 projects, 0.05 renovation completions, 0.02 service places a year per
    # above-scale firm) times the posterior median of the base year's firm count, rounded to a whole number
    firms = float(np.median(cal.base.state["firms"]))
    for pid, rate in (("upgrade_target", 0.111), ("incremental_projects", 0.01),
                      ("renovation_projects_completed", 0.05), ("service_capacity", 0.02)):
        assert cal.posterior.point[pid] == round(rate * firms), pid
    assert cal.base.baselines["incremental_projects"] == round(0.01 * firms)
    # and a scale-free lever is the registry's city-free default (8 %: national renovation investment, 2024)
    assert cal.posterior.point["tech_renovation_investment_growth"] == 8.0


def test_the_fourth_census_keeps_xiamens_structure_at_its_2019_break(calibrated):
    """2019's GDP (5,995.04 亿元) is on the fourth census's basis and 2018's (4,791.41) is the first release: 25 %
    more beside 7.9 % real growth. The secondary industry's share of GDP held across it (41.3 % in 2018, 41.6 % in
    2019: context rows of the pack's record), so a revision that left manufacturing on the old basis and gave the
    whole jump to the rest of the economy lowered the manufacturing share's median by 3.6 points (31.0 % to
    27.4 %, seed 20211, before census_revision). The census now revises manufacturing as it revises GDP (假设
    assumption): the median moves by what the year's growth and prices move it, well under a point."""
    cal = calibrated
    years = list(cal.history_years)
    share = np.median(cal.history["mfg_va_share_gdp"][:, [years.index(2018), years.index(2019)]], axis=0)
    assert abs(share[1] - share[0]) < 1.0, share
    # and secondary-industry VA, reported in both years, is kept on either side of the break (medians within 1 %)
    secondary = cal.history["secondary_industry_va"]
    np.testing.assert_allclose(np.median(secondary[:, [years.index(2018), years.index(2019)]], axis=0),
                               [1980.16, 2493.99], rtol=0.01)


def test_the_high_tech_share_prior_holds_every_share_a_shipped_city_reports():
    # A start prior that leaves a share the city reports later in its far tail makes the filter invent a path to
    # it: at 3-45 % Xiamen's 45.1 % (2022 1-7月) was outside it, and the filter made up a rise 2018-2022 and a
    # fall after it steeper than the record's (45.1 -> 40.8 %, odds x0.943 a year) that moved from seed to seed.
    # Known answer: a triangular (low, mode, high) leaves (high - v)^2 / ((high - low)(high - mode)) above v > mode.
    prior = next(r for r in priors.BASE_PRIORS if r.figure == "high_tech_share")
    for pid in city.shipped_ids():
        reported = read_reported(city.resolve_city(pid).root / "reported_figures.csv")
        for v in reported.value[reported.indicator == "high_tech_share"]:
            tail = max(prior.high - v, 0.0) ** 2 / ((prior.high - prior.low) * (prior.high - prior.mode))
            above = tail if v > prior.mode else 1.0
            assert above >= 0.05, (pid, v, above)  # Xiamen's 45.1 %: 13 % of the prior above it (0 at 3-45 %)
