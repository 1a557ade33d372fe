"""The annual projection model, vectorised over draws.

A pure function of a base state, calibrated parameter draws, a scenario and a
``numpy.random.Generator``: no file I/O, no Streamlit. Arrays are
``draws × years``; the first year column is the base year, where every draw
equals the reported values.

Accounting, in every draw and year:

- firms: ``N[t] = N[t-1] + upgrades + projects - exits - closures``;
- real above-scale output ``O = incumbents + key firms + project stock``, less
  the demand-shock loss; its growth is above-scale VA growth (假设 assumption:
  value added moves with output);
- manufacturing VA (current prices) moves with above-scale output times the
  manufacturing price index; ``GDP = manufacturing VA + rest of the economy``;
- ``profit = revenue × margin``; industrial investment = renovation + other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .registry import parameters
from .scenario import Scenario, value_path

# Flows that a reported figure fixes in its year (indicator id -> what it forces).
FORCEABLE = {
    "firm_upgrades": "firm_upgrades",
    "projects_entering_statistics": "projects_entering_statistics",
    "tech_renovation_investment_growth": "tech_renovation_investment_growth",
    "key_firm_revenue_growth": "key_firm_growth",
}


@dataclass(frozen=True)
class BaseState:
    """Reported values in the base year, and reported flows of later years.

    Money in 亿元 (current prices of the base year), shares in %.
    ``history`` maps a year after the base to reported flows that the model
    imposes in that year (keys from :data:`FORCEABLE`).
    """

    year: int
    above_scale_firms: float
    revenue: float
    profit: float
    gdp: float
    mfg_va_share_gdp: float
    high_tech_share: float
    threshold_revenue: float = 0.2
    above_scale_va_growth: float = math.nan
    history: Mapping[int, Mapping[str, float]] = field(default_factory=dict)

    @property
    def mfg_va(self) -> float:
        return self.gdp * self.mfg_va_share_gdp / 100.0

    @property
    def profit_margin(self) -> float:
        return 100.0 * self.profit / self.revenue


@dataclass(frozen=True)
class Posterior:
    """The calibration's result: point values and draws of fitted parameters.

    ``draws`` maps a parameter id to a 1-d array of equally likely values;
    ``year_values`` maps a reported year to parameter values fitted for that
    year alone (e.g. the relative price drift of 2021).
    """

    point: Mapping[str, float]
    draws: Mapping[str, np.ndarray]
    year_values: Mapping[int, Mapping[str, float]] = field(default_factory=dict)

    def default(self, pid: str) -> float:
        return float(self.point.get(pid, parameters()[pid].default))


def prior_posterior() -> Posterior:
    """A posterior that knows nothing: registry defaults, no draws."""
    return Posterior(point={}, draws={})


@dataclass(frozen=True)
class Projection:
    """Model output: ``values[indicator]`` is a ``draws × len(years)`` array."""

    years: np.ndarray
    values: Mapping[str, np.ndarray]
    scenario_id: str
    draws: int

    def at(self, indicator: str, year: int) -> np.ndarray:
        return self.values[indicator][:, int(year) - int(self.years[0])]


def sample_inputs(scenario: Scenario, posterior: Posterior, years: np.ndarray, draws: int,
                  rng: np.random.Generator | None, stochastic: bool = True) -> dict[str, np.ndarray]:
    """Each parameter's value per draw and projection year: arrays ``(draws, T)``.

    Scenario values of a drawn parameter move the centre of its distribution
    and keep its spread. Draws are taken in registry order, so two scenarios
    run with the same seed share their random numbers (common random numbers).
    """
    out: dict[str, np.ndarray] = {}
    T = len(years)
    for pid, p in parameters().items():
        centre = posterior.default(pid)
        path = value_path(scenario.values.get(pid), centre, years)
        for year, fitted in posterior.year_values.items():
            if pid in fitted:  # a value fitted to a reported year wins over the scenario
                path[years == year] = fitted[pid]
        if not stochastic or p.spread == "none":
            out[pid] = np.broadcast_to(path, (draws, T))
            continue
        if p.spread == "calibrated" and pid in posterior.draws and len(posterior.draws[pid]):
            pool = np.asarray(posterior.draws[pid], dtype=float)
            base = pool[rng.integers(0, len(pool), size=draws)] - centre
        elif p.spread == "triangular":
            base = rng.triangular(p.lower, p.default, p.upper, size=draws) - p.default
        else:
            base = np.zeros(draws)
        out[pid] = np.clip(base[:, None] + path[None, :], p.lower, p.upper)
    return out


def simulate(base: BaseState, inputs: Mapping[str, np.ndarray], years: np.ndarray,
             rng: np.random.Generator | None, stochastic: bool = True,
             forced: Mapping[int, Mapping[str, float]] | None = None,
             flows: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Run the annual recursion from ``base`` over ``years`` (after the base year).

    ``flows`` lets another engine (the SimPy project pipeline) supply flows as
    ``(draws, T)`` arrays in place of this model's own draws: ``firm_upgrades``,
    ``projects_entering_statistics`` and ``project_output_added`` (real output,
    亿元 in base-year prices, that incremental projects add to the project stock
    in each year). Reported flows (``forced``) still win in their years.

    Returns indicator arrays ``(draws, 1 + len(years))`` including the base year.
    """
    flows = flows or {}
    forced = base.history if forced is None else forced
    D = next(iter(inputs.values())).shape[0]
    T = len(years)
    g = lambda pid: inputs[pid]  # noqa: E731 - short accessor

    def col(value: float) -> np.ndarray:
        return np.full(D, float(value))

    shape = (D, T + 1)
    res = {k: np.empty(shape) for k in (
        "above_scale_firms", "above_scale_va_growth", "mfg_va_growth", "mfg_va_share_gdp", "gdp",
        "mfg_va", "revenue", "profit", "profit_margin", "tech_renovation_investment",
        "tech_renovation_investment_growth", "industrial_investment", "industrial_investment_growth",
        "tech_renovation_share_industrial_investment", "high_tech_share", "firm_upgrades",
        "projects_entering_statistics", "firm_exits", "project_growth_contribution")}

    # Base year: every draw equals the reported values.
    firms = col(base.above_scale_firms)
    key = base.revenue * g("key_firm_base_share")[:, 0] / 100.0
    incumbents = base.revenue - key
    projects_stock = np.zeros(D)
    output = incumbents + key
    price_mfg = np.ones(D)
    rest_real = col(base.gdp - base.mfg_va)
    price_rest = np.ones(D)
    margin = col(base.profit_margin)
    tr_share0 = g("tech_renovation_share_base")[:, 0]
    renovation = tr_share0.copy()          # industrial investment = 100 in the base year
    other_investment = 100.0 - tr_share0
    ht_odds = col(base.high_tech_share / (100.0 - base.high_tech_share))
    loss = np.zeros(D)
    prev_entries = np.zeros(D)
    prev_tr_growth = g("tech_renovation_investment_growth")[:, 0]  # base year's, unreported: first year's stands in

    nan = np.full(D, np.nan)
    base_flows = forced.get(base.year, {})
    res["above_scale_firms"][:, 0] = firms
    res["above_scale_va_growth"][:, 0] = base.above_scale_va_growth
    res["mfg_va_growth"][:, 0] = base.above_scale_va_growth
    res["mfg_va_share_gdp"][:, 0] = base.mfg_va_share_gdp
    res["gdp"][:, 0] = base.gdp
    res["mfg_va"][:, 0] = base.mfg_va
    res["revenue"][:, 0] = base.revenue
    res["profit"][:, 0] = base.profit
    res["profit_margin"][:, 0] = margin
    res["tech_renovation_investment"][:, 0] = 100.0
    res["tech_renovation_investment_growth"][:, 0] = base_flows.get("tech_renovation_investment_growth", np.nan)
    res["industrial_investment"][:, 0] = 100.0
    res["industrial_investment_growth"][:, 0] = nan
    res["tech_renovation_share_industrial_investment"][:, 0] = tr_share0
    res["high_tech_share"][:, 0] = base.high_tech_share
    res["firm_upgrades"][:, 0] = base_flows.get("firm_upgrades", np.nan)
    res["projects_entering_statistics"][:, 0] = base_flows.get("projects_entering_statistics", np.nan)
    res["firm_exits"][:, 0] = nan
    res["project_growth_contribution"][:, 0] = nan

    lag = g("project_lag_years")[:, 0].astype(int)
    shock_year = g("demand_shock_year")[:, 0]
    shock_size = g("demand_shock_size")[:, 0] / 100.0
    recovery = g("demand_shock_recovery")[:, 0]
    rows = np.arange(D)
    project_mean = g("incremental_projects")

    if stochastic:
        # A fixed count of random numbers whatever the scenario: scenarios run with
        # one seed share them exactly (common random numbers). Drawn year by year
        # (year is the outer axis), so a longer horizon leaves earlier years unchanged.
        z_upgrades, z_projects, z_exits, z_organic = rng.standard_normal((T, 4, D)).transpose(1, 2, 0)

    for k, year in enumerate(years):
        year = int(year)
        reported = forced.get(year, {})
        # -- firm flows
        if "firm_upgrades" in reported:
            upgrades = col(reported["firm_upgrades"])
        elif "firm_upgrades" in flows:
            upgrades = np.asarray(flows["firm_upgrades"][:, k], dtype=float)
        else:
            pool = np.rint(g("upgrade_target")[:, k] * g("upgrade_pool_ratio")[:, k])
            rate = g("upgrade_realisation_rate")[:, k]
            upgrades = _binomial(pool, rate, z_upgrades[:, k]) if stochastic else pool * rate
        if "projects_entering_statistics" in reported:
            entries = col(reported["projects_entering_statistics"])
        elif "projects_entering_statistics" in flows:
            entries = np.asarray(flows["projects_entering_statistics"][:, k], dtype=float)
        else:
            lam = project_mean[rows, np.maximum(k - lag, 0)]
            entries = _poisson(lam, z_projects[:, k]) if stochastic else lam.copy()
        exit_p = g("exit_rate")[:, k] / 100.0
        exits = _binomial(firms, exit_p, z_exits[:, k]) if stochastic else firms * exit_p
        closures = np.minimum(g("policy_closures")[:, k], firms - exits)
        new_firms = firms + upgrades + entries - exits - closures

        # -- real output
        organic = g("incumbent_organic_growth")[:, k] / 100.0
        if stochastic:
            organic = organic + z_organic[:, k] * g("organic_growth_volatility")[:, k] / 100.0
        boost = g("tech_renovation_productivity_effect")[:, k] * prev_tr_growth / 100.0
        incumbents = np.maximum(
            incumbents * (1.0 + organic + boost)
            + base.threshold_revenue * (upgrades - exits - closures), 0.0)
        key_growth = reported.get("key_firm_growth")
        key = key * (1.0 + (g("key_firm_growth")[:, k] if key_growth is None else key_growth) / 100.0)
        capacity = g("project_full_capacity_output")[:, k]
        ramp = g("project_first_year_ramp")[:, k]
        first_year_output = capacity * ramp * entries
        if "project_output_added" in flows and "projects_entering_statistics" not in reported:
            projects_stock = projects_stock + flows["project_output_added"][:, k]
        else:
            projects_stock = projects_stock + first_year_output + capacity * (1.0 - ramp) * prev_entries
        hit = shock_year == year
        loss = np.where(hit, shock_size, loss * (1.0 - recovery) if k else loss)
        new_output = (incumbents + key + projects_stock) * (1.0 - loss)
        growth = new_output / output - 1.0

        # -- prices, GDP, shares
        inflation = g("price_level_growth")[:, k] / 100.0
        price_mfg = price_mfg * (1.0 + inflation) * (1.0 + g("mfg_relative_price_drift")[:, k] / 100.0)
        price_rest = price_rest * (1.0 + inflation)
        rest_real = rest_real * (1.0 + g("non_mfg_gdp_real_growth")[:, k] / 100.0)
        revenue = new_output * price_mfg
        mfg_va = base.mfg_va * (new_output / base.revenue) * price_mfg
        gdp = mfg_va + rest_real * price_rest
        margin = margin + g("profit_margin_drift")[:, k]

        # -- investment (indices, base year = 100)
        tr_growth = reported.get("tech_renovation_investment_growth")
        tr_growth = g("tech_renovation_investment_growth")[:, k] if tr_growth is None else col(tr_growth)
        investment_before = renovation + other_investment
        renovation = renovation * (1.0 + tr_growth / 100.0)
        other_investment = other_investment * (1.0 + g("new_capacity_investment_growth")[:, k] / 100.0)
        investment = renovation + other_investment

        ht_odds = ht_odds * (1.0 + g("high_tech_growth_premium")[:, k] / 100.0)

        j = k + 1
        res["above_scale_firms"][:, j] = new_firms
        res["above_scale_va_growth"][:, j] = 100.0 * growth
        res["mfg_va_growth"][:, j] = 100.0 * growth
        res["mfg_va"][:, j] = mfg_va
        res["gdp"][:, j] = gdp
        res["mfg_va_share_gdp"][:, j] = 100.0 * mfg_va / gdp
        res["revenue"][:, j] = revenue
        res["profit_margin"][:, j] = margin
        res["profit"][:, j] = revenue * margin / 100.0
        res["tech_renovation_investment"][:, j] = 100.0 * renovation / tr_share0
        res["tech_renovation_investment_growth"][:, j] = tr_growth
        res["industrial_investment"][:, j] = investment
        res["industrial_investment_growth"][:, j] = 100.0 * (investment / investment_before - 1.0)
        res["tech_renovation_share_industrial_investment"][:, j] = 100.0 * renovation / investment
        res["high_tech_share"][:, j] = 100.0 * ht_odds / (1.0 + ht_odds)
        res["firm_upgrades"][:, j] = upgrades
        res["projects_entering_statistics"][:, j] = entries
        res["firm_exits"][:, j] = exits + closures
        res["project_growth_contribution"][:, j] = 100.0 * first_year_output / output

        firms, output = new_firms, new_output
        prev_entries, prev_tr_growth = entries, tr_growth
    return res


def _binomial(n: np.ndarray, p: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Binomial(n, p) counts from standard normals ``z``.

    A continuity-corrected normal approximation, clipped to [0, n]: exact enough
    for the flows here (means of tens to thousands), and, unlike
    ``Generator.binomial``, it uses one random number per draw whatever ``n`` and
    ``p`` are, so more firms in the pool never means fewer upgrades in a draw.
    """
    mean = n * p
    return np.clip(np.floor(mean + np.sqrt(mean * (1.0 - p)) * z + 0.5), 0.0, n)


def _poisson(lam: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Poisson(lam) counts from standard normals ``z`` (normal approximation, >= 0)."""
    return np.maximum(np.floor(lam + np.sqrt(lam) * z + 0.5), 0.0)


def project(base: BaseState, scenario: Scenario, posterior: Posterior, horizon: int,
            draws: int = 1000, rng: np.random.Generator | None = None,
            stochastic: bool = True) -> Projection:
    """Project every indicator from the base year to ``horizon``.

    Parameters
    ----------
    base : reported base-year state.
    scenario : departures from the baseline.
    posterior : calibrated parameters (point and draws).
    horizon : last projected year (inclusive).
    draws : Monte Carlo draws (1 for a deterministic path).
    rng : the random generator; required when ``stochastic``.
    stochastic : False gives the deterministic path at point values.
    """
    if stochastic and rng is None:
        raise ValueError("a stochastic projection needs a numpy.random.Generator")
    if horizon <= base.year:
        raise ValueError(f"horizon {horizon} must be after the base year {base.year}")
    years = np.arange(base.year + 1, horizon + 1)
    inputs = sample_inputs(scenario, posterior, years, draws, rng, stochastic)
    values = simulate(base, inputs, years, rng, stochastic)
    return Projection(np.arange(base.year, horizon + 1), values, scenario.id, draws)
