"""One model, two executions: where the service capacity does not bind, the event engine and the annual
engine agree within Monte Carlo error on the shipped scenarios; where a list is given, the list and the
lever combine as documented (the list counts towards the lever; where it alone exceeds it, it wins).

Shared random numbers. ``project_events`` takes the parameter draws from the generator exactly as
``project`` does, and the annual engine's common yearly factors (how the upgrade and project levers land,
log-normal with the cycle's elasticity, and the year's project size) are replayed from the same generator
(``annual_factors``), so both engines use the same factors, and the same exit and growth noise, in every
draw. Only the pipeline's own numbers differ: which projects enter when (Poisson around the landed lever
in both, exact in the event engine, a rounded normal approximation in the annual one) and which firms cross
the threshold (binomial in the pool plus Poisson outside it where the push lands above the pool's capacity,
in the event engine; a rounded normal approximation of the same mean in the annual one).

Statistical tolerance. The comparison is paired: d_i = event_i - vector_i over the draws i (n = 600). If
the engines agree, mean(d) / (sd(d) / sqrt(n)) is approximately standard normal. We require
|mean(d)| <= K * sd(d) / sqrt(n) with K = 4: over the 15 comparisons below a false alarm has probability
about 15 * 6.3e-5 ~ 0.1 %. The two approximations above are not exactly the event engine's distributions,
but their means are: the difference is below 1e-6 for projects and for upgrades
(``test_the_annual_approximations_are_nearly_unbiased`` computes both exactly), so no allowance is added. The
power check shows that the tolerance is not vacuous: three projects a year more in the event engine (5 % of
the lever's 60) break it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtr

from growthsim.calibration.city import pack_defaults
from growthsim.scenario_files import load_scenario
from growthsim.simulation import dynamics as dyn
from growthsim.simulation.events import annual_factors, project_events
from growthsim.simulation.model import Posterior, project, sample_inputs, simulate, year_shocks
from growthsim.simulation.registry import parameters
from growthsim.simulation.streams import Streams

K = 4.0
DRAWS = 600
SEED = 20211
HORIZON = 2030  # the default horizon; the projection runs 2026-2030 from the last reported year, 2025
CHECKS = [("above_scale_firms", 2028), ("above_scale_firms", 2030), ("above_scale_va_growth", 2028),
          ("above_scale_va_growth", 2030), ("mfg_va_share_gdp", 2030)]
LEVER = 60.0  # incremental_projects: the registry default (baseline)


def paired(event, vector, indicator, year):
    d = event.at(indicator, year) - vector.at(indicator, year)
    return d.mean(), d.std(ddof=1) / math.sqrt(len(d))


def run_both(calibration, scenario, projects=None, draws=DRAWS, event_scenario=None):
    ev, pipe = project_events(calibration.base, event_scenario or scenario, calibration.posterior, HORIZON, draws,
                              np.random.default_rng(SEED), projects)
    vec = project(calibration.base, scenario, calibration.posterior, HORIZON, draws, np.random.default_rng(SEED))
    return ev, pipe, vec


@pytest.mark.parametrize("scenario_id", ["baseline", "intensified", "downside"])
def test_without_a_capacity_limit_the_engines_agree(calibration, scenario_id):
    # "capacity removed": 10,000 places, far above the ~100 projects ever in the service phase at once
    scenario = load_scenario(scenario_id, first_year=calibration.base_year + 1).with_values(service_capacity=10000)
    ev, pipe, vec = run_both(calibration, scenario)
    assert (pipe.per_year["service_waited"] == 0).all()  # no queue: capacity never binds
    # the starting year (2025, the calibration's filtered state) is the same numbers in both engines;
    # no projected year has reported figures, so from 2026 on both are projections
    assert not calibration.base.history
    for key in ev.values:
        assert np.array_equal(ev.values[key][:, 0], vec.values[key][:, 0], equal_nan=True), key
    for indicator, year in CHECKS:
        mean, se = paired(ev, vec, indicator, year)
        assert se > 0
        assert abs(mean) <= K * se, f"{scenario_id} {indicator} {year}: mean difference {mean:.4f}, SE {se:.4f}"


def test_the_tolerance_detects_a_small_difference(calibration):
    """Power: the event engine with 63 projects a year instead of 60 fails the same check."""
    scenario = load_scenario("baseline").with_values(service_capacity=10000)
    ev, _, vec = run_both(calibration, scenario, event_scenario=scenario.with_values(incremental_projects=63))
    mean, se = paired(ev, vec, "above_scale_firms", 2030)
    assert mean > K * se


@pytest.mark.parametrize("scenario_id", ["baseline", "intensified", "downside"])
def test_the_replayed_factors_are_the_annual_engines(calibration, scenario_id):
    """``annual_factors`` replays the annual engine's own shocks: with them, the annual engine's upgrades and
    projects are reproduced exactly (the same rounded counts), draw by draw and year by year (downside: the
    2027 demand shock lowers the business climate the counts follow). The project lever is taken its lag
    earlier, and the baseline's 60 before the first projected year."""
    scenario = load_scenario(scenario_id)
    years = np.arange(calibration.base_year + 1, HORIZON + 1)
    streams = Streams(SEED)  # one run's named streams: the replay reads the same shock streams as simulate
    inputs = sample_inputs(scenario, calibration.posterior, years, 200, streams)
    shocks = year_shocks(streams, len(years), 200, True)
    factors = annual_factors(calibration.base, inputs, years, streams)
    values = simulate(calibration.base, inputs, years, streams)
    lag = inputs["project_lag_years"][:, 0].astype(int)
    for k in range(len(years)):
        z = dict(zip(dyn.SHOCKS, shocks[k], strict=True))
        pool = np.rint(inputs["upgrade_target"][:, k] * inputs["upgrade_pool_ratio"][:, k])
        upgrades = dyn._count(pool * inputs["upgrade_realisation_rate"][:, k] * factors["landing_upgrades"][:, k],
                              z["upgrades"])  # not capped at the pool
        assert np.array_equal(upgrades, values["firm_upgrades"][:, k + 1])
        lever = np.where(k - lag >= 0, inputs["incremental_projects"][np.arange(200), np.maximum(k - lag, 0)], LEVER)
        entries = dyn._count(lever * factors["landing_projects"][:, k], z["projects"])
        assert np.array_equal(entries, values["projects_entering_statistics"][:, k + 1])


def annual_count_mean(mean: float, cap: float | None = None) -> float:
    """Exact mean of the annual engine's count ``min(max(floor(m + sqrt(m) z + 1/2), 0), cap)``, z ~ N(0, 1):
    the sum over j >= 1 of P(count >= j) = P(z >= (j - 1/2 - m) / sqrt(m))."""
    sd = math.sqrt(mean)
    top = int(cap) if cap is not None else int(mean + 12 * sd + 2)
    j = np.arange(1, top + 1)
    return float(np.sum(ndtr(-(j - 0.5 - mean) / sd)))


def approximation_bias(pool: float, rate: float, spread: float = 0.32) -> tuple[float, float]:
    """Annual minus event mean of a year's count, averaged over the landing factor (log-normal with the
    registry's lever_landing_spread, 80-point Gauss-Hermite quadrature): (upgrades, projects at the lever).
    The event engine's upgrades are binomial(pool, min(q, 1)) plus Poisson(pool max(q - 1, 0)) outside the
    pool, q = rate x landing: mean pool q."""
    x, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    landing = np.exp(spread * x - spread ** 2 / 2)
    upgrades = sum(wi * (annual_count_mean(pool * rate * g) - (pool * min(rate * g, 1.0)
                                                                + pool * max(rate * g - 1.0, 0.0)))
                   for wi, g in zip(w, landing, strict=True))
    projects = sum(wi * (annual_count_mean(LEVER * g) - LEVER * g) for wi, g in zip(w, landing, strict=True))
    return float(upgrades), float(projects)


# The shipped scenarios' pools and realisation rates (round(target x 1.2 pool ratio), rate), from 2026.
SCENARIO_POOLS = {"baseline": (486, 0.8333), "intensified": (600, 0.9), "downside": (486, 0.7)}


def test_the_annual_approximations_are_nearly_unbiased(calibration):
    """The annual engine's rounded normal counts against the event engine's exact distributions, computed
    exactly (no sampling). Projects (Poisson around the landed lever) and upgrades (the pool's binomial plus
    the Poisson count outside it, against a rounded normal count of the same mean, not capped at the pool):
    the difference of the means is below 1e-6, so the agreement test needs no allowance for it. (Their
    widths differ: the annual upgrade count has a Poisson's, sd about 20 for 405; the event engine's binomial
    the pool's own, about 8; the paired test compares means.)"""
    for pool, rate in SCENARIO_POOLS.values():
        upgrades, projects = approximation_bias(pool, rate)
        assert abs(upgrades) < 1e-6, (pool, rate, upgrades)
        assert abs(projects) < 1e-6
    # the pools and rates are the scenario files' (every year from 2026 on)
    years = np.arange(2026, HORIZON + 1)
    for sid, (pool, rate) in SCENARIO_POOLS.items():
        pack = Posterior(point=pack_defaults(), draws={})   # the default pack's values, no draws
        inputs = sample_inputs(load_scenario(sid), pack, years, 1, None, False)
        assert (np.rint(inputs["upgrade_target"] * inputs["upgrade_pool_ratio"]) == pool).all(), sid
        assert np.allclose(inputs["upgrade_realisation_rate"], rate), sid
    # the spread used is the model's (a fixed parameter: the registry's value in every draw)
    assert parameters()["lever_landing_spread"].spread == "none"
    assert calibration.posterior.default("lever_landing_spread") == 0.32


def expected_entries(pipe, lever):
    """Each draw's expected entries in each year: the list's own expectation, and where the lever exceeds it the
    rest, landed by the annual engine's factor of that draw and year (listed projects enter on their own dates)."""
    listed = pipe.list_expected_entries[None, :]
    return listed + np.maximum(lever - listed, 0.0) * pipe.factors["landing_projects"]


def test_the_list_counts_towards_the_lever(calibration, shipped_list):
    """Baseline with the shipped list: each draw's expected entries are the list's expectation plus the landed
    rest of the lever (see expected_entries).

    Tolerance: K standard errors of the mean difference over 300 draws (the list's expectation comes from
    2000 pilot draws, whose error is a fifth as large and is included).
    """
    scenario = load_scenario("baseline").with_values(service_capacity=10000)
    draws = 300
    ev, pipe = project_events(calibration.base, scenario, calibration.posterior, HORIZON, draws,
                              np.random.default_rng(SEED), shipped_list)
    d = pipe.flows["projects_entering_statistics"] - expected_entries(pipe, LEVER)
    se = d.std(axis=0, ddof=1) * math.sqrt(1 / draws + 1 / 2000)
    assert (np.abs(d.mean(axis=0)) <= K * se).all(), (d.mean(axis=0), se)
    # the list (dated 2026, sampled from the pipeline that delivers 60 a year) covers the first years; the
    # lever's new projects take over later
    listed, new = pipe.per_year["entries_listed"].mean(axis=0), pipe.per_year["entries_generated_new"].mean(axis=0)
    assert listed[0] > 50 and new[0] == 0 and new[-1] > listed[-1]


def test_where_the_list_exceeds_the_lever_the_list_wins(calibration, shipped_list):
    """Downside lowers the lever to 30 from 2026, so after the one-year lag 30 a year (landed) enter from 2027
    in the annual engine; but the shipped list alone holds about 60 projects due in 2027: the event engine
    enters those (minus stalls), not 30."""
    scenario = load_scenario("downside").with_values(service_capacity=10000)
    draws = 300
    ev, pipe, vec = run_both(calibration, scenario, shipped_list, draws=draws)
    k = 2027 - 2026
    listed = pipe.list_expected_entries[k]
    assert listed > 50  # the list's own expectation (pilot), well above the lever's 30
    event = pipe.flows["projects_entering_statistics"][:, k]
    assert (pipe.per_year["entries_generated_new"][:, k] == 0).all()
    assert (pipe.per_year["entries_generated_unlisted"][:, k] == 0).all()  # nothing generated: the list wins
    assert abs(event.mean() - listed) <= K * event.std(ddof=1) * math.sqrt(1 / draws + 1 / 2000)
    # the annual engine (no list) enters the landed lever: 30 times the same factors
    vector = vec.at("projects_entering_statistics", 2027) - 30.0 * pipe.factors["landing_projects"][:, k]
    assert abs(vector.mean()) <= K * vector.std(ddof=1) / math.sqrt(draws)
