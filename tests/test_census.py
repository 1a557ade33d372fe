"""A census's new GDP basis revises every sector alike (simulation/dynamics.py::census_revision).

An economic census revises GDP (the fourth 2018's, the fifth 2023's) and the next year's figure is on the new
basis while the record's year before is the first release. The model reads the jump as a revision, not as
prices, and scales manufacturing VA and the rest of the economy by the same ratio (假设 assumption: no revision
by sector was found for either city or its province), so the economy's structure is kept unless a figure of
the year says otherwise.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from growthsim.calibration.fit import DATA_FILE, calibrate, parse_reported
from growthsim.simulation import dynamics as dyn
from growthsim.simulation.model import project, sample_inputs, simulate
from growthsim.simulation.scenario import baseline

BREAK = {"gdp_new_basis": (1.0, 0.0)}
PARTICLES = 4_000  # a fraction of a second; enough to see a reported share kept within its tolerance


def test_the_revision_scales_both_sectors_by_gdps_ratio():
    """Closed form: manufacturing 30 and the rest 110 on the old basis (GDP 140), 168 reported on the new: the
    ratio is 1.2, both sectors are scaled by it and the share stays 30 / 140."""
    mfg, rest, gdp, logw = np.array([30.0]), np.array([110.0]), np.array([168.0]), np.zeros(1)
    new_mfg, new_rest = dyn.census_revision(dict(BREAK, gdp=(168.0, 0.0)), mfg, rest, gdp, logw)
    assert new_mfg[0] == pytest.approx(36.0) and new_rest[0] == pytest.approx(132.0)
    assert new_mfg[0] / gdp[0] == pytest.approx(30.0 / 140.0) and logw[0] == 0.0
    # a year on one basis is not revised
    assert dyn.census_revision({"gdp": (140.0, 0.0)}, mfg, rest, mfg + rest, logw) == (mfg, rest)
    # an industrial VA reported in the year measured manufacturing on the new basis: kept, the rest takes 168 - 30
    kept, remainder = dyn.census_revision(dict(BREAK, gdp=(168.0, 0.0), industrial_va=(32.0, 0.0)), mfg, rest,
                                          gdp, logw)
    assert kept[0] == 30.0 and remainder[0] == pytest.approx(138.0)


def test_a_break_with_no_other_shock_scales_every_level_and_keeps_every_share(calibration):
    """Known answer on the model's own step (projection and filter share it): one deterministic path to 2027,
    then the same path with 2026's GDP reported 20 % above the path's on a new basis. 2026's GDP is the report;
    manufacturing and secondary-industry VA are 1.2 times the path's; the manufacturing share is
    the path's in 2026 and 2027 (growth rates and prices do not depend on levels); revenue, a survey figure,
    is not revised."""
    years = np.array([2026, 2027])
    inputs = sample_inputs(baseline(), calibration.posterior, years, 1, None, stochastic=False)
    path = simulate(calibration.base, inputs, years, None, stochastic=False)
    reported = 1.2 * path["gdp"][0, 1]
    forced = {**calibration.base.history, 2026: {"gdp": reported, "gdp_new_basis": 1.0}}
    revised = simulate(calibration.base, inputs, years, None, stochastic=False, forced=forced)
    assert revised["gdp"][0, 1] == pytest.approx(reported, rel=1e-12)
    for level in ("mfg_va", "secondary_industry_va"):  # industrial VA is manufacturing's over 1 - m: the same
        np.testing.assert_allclose(revised[level][0, 1:], 1.2 * path[level][0, 1:], rtol=1e-12, err_msg=level)
    np.testing.assert_allclose(revised["mfg_va_share_gdp"][0], path["mfg_va_share_gdp"][0], rtol=1e-12)
    np.testing.assert_allclose(revised["revenue"][0], path["revenue"][0], rtol=1e-12)
    # and a projection without the report is untouched by the rule (no break in a projected year)
    alone = project(calibration.base, baseline(), calibration.posterior, 2027, 1, stochastic=False)
    np.testing.assert_allclose(alone.at("mfg_va_share_gdp", 2027), path["mfg_va_share_gdp"][0, 2], rtol=1e-12)


def _record_with(extra: str) -> str:
    """The shipped record with ``extra`` CSV lines added."""
    text = DATA_FILE.read_text(encoding="utf-8").lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:6] == ["year", "indicator", "value", "unit", "status", "period"]
    return text.rstrip("\n") + "\n" + extra


def test_a_share_reported_in_the_break_year_is_matched():
    """A figure of the year still weighs what it weighs: Qingdao's 2024 (the fifth census's basis) with a
    manufacturing share of 25.5 % reported (not in the record; tolerance 0.2 point) ends with its filtered share
    within the tolerance of the report, though the proportional revision alone would keep 2023's share (about
    23.7 %)."""
    extra = ("2024,mfg_va_share_gdp,25.5,%,final,,2025-01,s.txt,,test,test,2025-01,q,0.2\n")
    cal = calibrate(parse_reported(_record_with(extra), "break.csv"), np.random.default_rng(7),
                    data_through=2024, particles=PARTICLES)
    share = cal.history["mfg_va_share_gdp"][:, list(cal.history_years).index(2024)]
    assert abs(np.median(share) - 25.5) < 0.2
    # without the row the same filter keeps 2024's share near 2023's, more than a point below the report
    plain = calibrate(parse_reported(_record_with(""), "plain.csv"), np.random.default_rng(7), data_through=2024,
                      particles=PARTICLES)
    years = list(plain.history_years)
    shares = np.median(plain.history["mfg_va_share_gdp"][:, [years.index(2023), years.index(2024)]], axis=0)
    assert abs(shares[1] - shares[0]) < 0.5 and shares[1] < 24.5
