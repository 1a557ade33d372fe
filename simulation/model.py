"""The annual projection model, vectorised over draws.

A pure function of a starting state, parameter draws, a scenario and a
``numpy.random.Generator``: no file I/O, no Streamlit. Arrays are
``draws × years``; the first year column is the starting (last reported) year.

The starting state is the calibration's filtered state: one row per particle,
each with its own parameter values (the posterior keeps their correlations).
Every year runs the named steps of :mod:`simulation.dynamics` in the order of
the model's story (see :func:`advance`). Accounting, in every draw and year:

- firms: ``N[t] = N[t-1] + upgrades + projects - exits - closures``;
- real above-scale output grows at above-scale VA growth (假设 assumption:
  value added moves with output);
- manufacturing VA (current prices) moves with its own real growth and
  deflator; ``GDP = manufacturing VA + the rest of the economy``; a GDP level on a
  census's new basis scales both by its revision (假设 assumption:
  :func:`simulation.dynamics.census_revision`), so the share is kept;
- ``profit = revenue × margin``; industrial investment = renovation + other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from . import dynamics as dyn
from .indicators import indicators
from .registry import parameters
from .scenario import Scenario, value_path
from .streams import Streams, as_streams

# Flows that a reported figure fixes in its year (indicator id -> what it forces).
FORCEABLE = {
    "firm_upgrades": "firm_upgrades",
    "projects_entering_statistics": "projects_entering_statistics",
    "tech_renovation_investment_growth": "tech_renovation_investment_growth",
    "key_firm_revenue_growth": "key_firm_growth",
}

# Revenue threshold of an above-scale firm (亿元): 年主营业务收入2000万元.
THRESHOLD_REVENUE = 0.2


# State carried from year to year (arrays over rows).
STATE_KEYS = ("firms", "output", "cycle", "growth", "key_share", "renovation", "renovation_norm",
              "renovation_stock", "renovation_stock_norm", "other_investment", "mfg_va", "industry_non_mfg",
              "industry_share_known", "rest_nominal",
              "rest_growth", "rest_trend_shift", "rest_gap", "rest_price_core", "gdp", "gdp_growth", "ppi", "sec_ratio",
              "va_ratio", "revenue", "margin", "ht_odds", "ht_growth", "ht_premium_gap", *dyn.HIGH_TECH_LAGS,
              *dyn.HIGH_TECH_LAG_VARS,
              "loss",
              "entries",
              "project_carry", "entries_baseline", "upgrades", "tr_growth", "mfg_growth")


@dataclass(frozen=True)
class BaseState:
    """The starting state: the last reported year, one row per posterior particle.

    ``state`` maps each of :data:`STATE_KEYS` to an array over particles (the
    calibration's filtered state); the scalar fields are their means, for
    display. Money in 亿元 (current prices), shares in %. ``history`` maps a
    projected year to reported flows that the model imposes (normally empty:
    projections start after the last reported year). ``announced`` maps a
    projected year to the above-scale growth target announced for it by the
    starting year, as (value %, whether it is a floor "以上"): next year's
    target comes out with this year's figures. ``baselines`` holds the pack's values of the levers whose change
    the model counts from them (:data:`BASELINE_LEVERS`), set by the calibration from the city's pack.
    """

    year: int
    above_scale_firms: float
    revenue: float
    profit: float
    gdp: float
    mfg_va_share_gdp: float
    high_tech_share: float
    above_scale_va_growth: float
    state: Mapping[str, np.ndarray] = field(default_factory=dict)
    history: Mapping[int, Mapping[str, float]] = field(default_factory=dict)
    output_base: float = 0.0
    threshold_revenue: float = THRESHOLD_REVENUE
    announced: Mapping[int, tuple[float, bool]] = field(default_factory=dict)
    baselines: Mapping[str, float] = field(default_factory=dict)

    @property
    def mfg_va(self) -> float:
        """Manufacturing value added, 亿元: GDP times the manufacturing share."""
        return self.gdp * self.mfg_va_share_gdp / 100.0

    @property
    def profit_margin(self) -> float:
        """Profit margin of above-scale firms, % of revenue."""
        return 100.0 * self.profit / self.revenue

    @property
    def particles(self) -> int:
        """Number of posterior particles in ``state`` (0 when there is no filtered state)."""
        return len(next(iter(self.state.values()))) if self.state else 0


@dataclass(frozen=True)
class Posterior:
    """The calibration's result: joint draws of the uncertain parameters.

    ``draws`` maps a parameter id to an array over particles; row ``i`` of every
    array belongs with row ``i`` of :attr:`BaseState.state` (the draws keep
    their correlations). ``point`` holds posterior means.
    """

    point: Mapping[str, float]
    draws: Mapping[str, np.ndarray]
    year_values: Mapping[int, Mapping[str, float]] = field(default_factory=dict)

    def default(self, pid: str) -> float:
        """The posterior mean of parameter ``pid``, or its registry default when the calibration did not draw it.

        Parameters
        ----------
        pid : str
            A parameter id of the registry.

        Returns
        -------
        float
            The value, in the parameter's unit.
        """
        if pid in self.point:
            return float(self.point[pid])
        return registry_default(pid)


def registry_default(pid: str) -> float:
    """The registry's city-free default of ``pid``; ValueError for a lever that scales with the city (its value
    is the pack's, :func:`growthsim.calibration.city.parameter_values`, which a calibration carries)."""
    default = parameters()[pid].default
    if default is None:
        raise ValueError(f"{pid} scales with the city's size: its value comes with a calibration of a pack")
    return float(default)


# The pack's values the model's equations read beside a run's own: the levers whose change it counts from the
# pack's value (renovation investment's growth, the key firms' growth, the projects entering statistics before a
# scenario's lag has passed) and the mode of the mining and utilities share's prior (a reported industrial VA).
BASELINE_LEVERS = ("tech_renovation_investment_growth", "key_firm_growth", "incremental_projects",
                   "industry_non_mfg_share")


def baseline_value(base: BaseState, pid: str) -> float:
    """The pack's value of lever ``pid`` (:data:`BASELINE_LEVERS`) the run counts its changes from."""
    return float(base.baselines[pid]) if pid in base.baselines else registry_default(pid)


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
        """The draws of ``indicator`` in ``year``.

        Parameters
        ----------
        indicator : str
            An indicator id.
        year : int
            A projected year (one of :attr:`years`).

        Returns
        -------
        numpy.ndarray
            One value per draw, in the indicator's unit.
        """
        return self.values[indicator][:, int(year) - int(self.years[0])]


PARTICLE = "_particle"  # the inputs' key for each draw's posterior row


def draw_spreads(posterior: Posterior, draws: int, rng: np.random.Generator | Streams | None,
                 stochastic: bool = True) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
    """The random part of :func:`sample_inputs`: each draw's posterior row and each drawn parameter's spread.

    Returns ``(rows, spreads)``: ``rows`` (one posterior row per draw, or None
    without posterior draws) and, for every parameter that is drawn, its
    departure from its centre, an array over draws. The rows come from the
    stream ``posterior-row`` and a parameter's prior spread from its own
    stream ``spread/<id>`` (:mod:`simulation.streams`): what one parameter
    draws never depends on the others, nor on a scenario's values, so
    settings projected with one seed share them (common random numbers).

    Parameters
    ----------
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    draws : int
        Monte Carlo draws [draws].
    rng : np.random.Generator | Streams | None
        The random generator or the run's named streams (:mod:`simulation.streams`).
    stochastic : bool
        Draw the parameters' spreads and the year shocks; False: centres only (one deterministic path).
    """
    streams = as_streams(rng) if stochastic else None
    pooled = stochastic and bool(posterior.draws)
    row = None
    if pooled:
        n = len(next(iter(posterior.draws.values())))
        row = streams.generator("posterior-row").integers(0, n, size=draws)
    spreads: dict[str, np.ndarray] = {}
    for pid, p in parameters().items():
        if not stochastic or p.spread == "none" or p.kind == "lever":
            continue
        if pooled and pid in posterior.draws:
            spreads[pid] = np.asarray(posterior.draws[pid], dtype=float)[row] - posterior.default(pid)
        elif p.spread in ("triangular", "calibrated"):
            g, mode = streams.generator(f"spread/{pid}"), posterior.default(pid)  # the pack's mode
            spreads[pid] = g.triangular(p.lower, mode, p.upper, size=draws) - mode
        else:
            spreads[pid] = np.zeros(draws)
    return row, spreads


def sample_inputs(scenario: Scenario, posterior: Posterior, years: np.ndarray, draws: int,
                  rng: np.random.Generator | Streams | None, stochastic: bool = True) -> dict[str, np.ndarray]:
    """Each parameter's value per draw and projection year: arrays ``(draws, T)``.

    Each draw takes one posterior row for every parameter at once (one random
    integer per draw), so correlations survive. A scenario value of a drawn
    parameter moves the centre of its distribution and keeps its spread.
    ``out[PARTICLE]`` holds the row, for the starting state. The random
    numbers are :func:`draw_spreads`'s (``simulation.batch.sample_inputs_many``
    builds many settings' inputs from one such draw).

    Parameters
    ----------
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    years : numpy.ndarray
        The projected years (calendar years).
    draws : int
        Monte Carlo draws [draws].
    rng : np.random.Generator | Streams | None
        The random generator or the run's named streams (:mod:`simulation.streams`).
    stochastic : bool
        Draw the parameters' spreads and the year shocks; False: centres only (one deterministic path).
    """
    out: dict[str, np.ndarray] = {}
    T = len(years)
    row, spreads = draw_spreads(posterior, draws, rng, stochastic)
    if row is not None:
        out[PARTICLE] = np.broadcast_to(row[:, None], (draws, T))
    for pid, p in parameters().items():
        path = value_path(scenario.values.get(pid), posterior.default(pid), years)
        if pid not in spreads:
            out[pid] = np.broadcast_to(path, (draws, T))
        else:
            out[pid] = np.clip(spreads[pid][:, None] + path[None, :], p.lower, p.upper)
    return out


def _constants(base_output: float, baselines: Mapping[str, float | np.ndarray]) -> dict:
    """The run's constants: the threshold and the pack's baseline levers (``baselines``: by lever id, a number or
    one per particle in the filter)."""
    return {
        "_threshold_revenue": THRESHOLD_REVENUE,
        "_renovation_growth_default": baselines["tech_renovation_investment_growth"],
        "_key_growth_default": baselines["key_firm_growth"],
        "_projects_baseline": baselines["incremental_projects"],
        "_industry_non_mfg_mode": baselines["industry_non_mfg_share"],
    }


def base_constants(base: BaseState) -> dict:
    """:func:`_constants` of a projection from ``base`` (its pack's baseline levers)."""
    return _constants(base.output_base, {pid: baseline_value(base, pid) for pid in BASELINE_LEVERS})


def starting_state(base: BaseState, rows: np.ndarray | None, D) -> dict[str, np.ndarray]:
    """The state each draw starts from: its posterior row, or the particles' mean (arrays of shape ``D``).

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    rows : numpy.ndarray | None
        One posterior row per draw, or None: the particles' mean.
    D : int
        Draws (rows of the result) [draws].
    """
    if rows is None:
        return {k: np.full(D, float(np.mean(v))) for k, v in base.state.items()}
    return {k: np.asarray(v, dtype=float)[rows].copy() for k, v in base.state.items()}


def record(st: Mapping[str, np.ndarray], upgrades, entries, exits, first_year, tr_growth) -> dict[str, np.ndarray]:
    """The indicators of one year, from its state and flows: each registry entry's ``compute``.

    The record an indicator reads is the state (:data:`STATE_KEYS`, and ``_investment_growth``) with the
    year's flows: ``upgrades``, ``entries``, ``exits`` (exits and closures), ``project_growth`` (the
    projects' first-year contribution, points) and ``tr_growth`` (renovation investment growth, %).

    Parameters
    ----------
    st : Mapping[str, numpy.ndarray]
        The year's state: arrays over draws, each in its own unit (firms, 亿元, %).
    upgrades
        Firms crossing the threshold this year (小升规) [firms].
    entries
        Projects entering statistics this year [projects].
    exits
        Firms leaving the scope, exits and closures [firms].
    first_year
        The projects' first-year growth contribution [percentage points].
    tr_growth
        Technical-renovation investment growth [%].
    """
    r = dict(st, upgrades=upgrades, entries=entries, exits=exits, project_growth=first_year, tr_growth=tr_growth)
    return {i.id: i.compute(r) for i in indicators().values()}


def advance(st: dict, p: Mapping[str, np.ndarray], year: int, k: int, z: Mapping[str, np.ndarray],
            obs: Mapping[str, tuple[float, float]], logw: np.ndarray,
            flows_k: Mapping[str, np.ndarray] | None = None,
            lagged_projects: np.ndarray | None = None) -> tuple[dict, dict]:
    """One year of the model's story; returns the new state and the year's indicators.

    Parameters
    ----------
    st : dict
        Last year's state: arrays over rows, each in its own unit (firms, 亿元, %).
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows, each in its registry unit.
    year : int
        The calendar year.
    k : int
        The year's index among the projected years.
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`simulation.dynamics.SHOCKS`).
    obs : Mapping[str, tuple[float, float]]
        Reported figures of the year: indicator id to (value, measurement error), in its unit; empty in a projection.
    logw : numpy.ndarray
        Log weights of the rows: the log density of what the reported figures pin is added in place.
    flows_k : Mapping[str, numpy.ndarray] | None
        Another engine's flows this year (the SimPy pipeline's upgrades [firms], projects [projects], project output
        [亿元]), or None.
    lagged_projects : numpy.ndarray | None
        The incremental-projects lever ``project_lag_years`` earlier [projects/yr], or None.
    """
    flows_k = flows_k or {}
    st = dict(st)
    st["loss_now"] = dyn.demand_shock(p, st, year, k)
    # 1. firms: upgrades, projects entering statistics, exits and closures
    upgrades, upgrades_centre = dyn.firm_upgrades(p, st, z, obs)
    if "firm_upgrades" in flows_k and "firm_upgrades" not in obs:
        upgrades = flows_k["firm_upgrades"]
    lagged = p["incremental_projects"] if lagged_projects is None else lagged_projects
    entries, entries_centre = dyn.projects_entering(p, st, z, obs, lagged)
    if "projects_entering_statistics" in flows_k and "projects_entering_statistics" not in obs:
        entries = flows_k["projects_entering_statistics"]
    firms, exits, closures = dyn.firm_stock(p, st, z, obs, upgrades, entries, logw)
    # 2. investment: renovation (and its completed stock) and new capacity
    tr_growth, renovation, renovation_norm, stock, stock_norm, other = dyn.renovation_investment(p, st, obs)
    # 3. output: the levers' effects, then the cycle
    project_output = None
    if "project_output_added" in flows_k and "projects_entering_statistics" not in obs:
        project_output = flows_k["project_output_added"]
    effects, first_year, carry = dyn.lever_effects(p, st, z, obs, entries, closures, project_output,
                                                  stock, stock_norm, k, logw)
    cycle, growth, down = dyn.cycle_and_growth(p, st, z, obs, effects, logw)
    # 4. prices, manufacturing, the rest of the economy, GDP; a census's new GDP basis revises every sector alike
    ppi = dyn.producer_prices(p, st, z, obs, logw)
    mfg_growth, mfg_inflation, mfg_va, non_mfg = dyn.manufacturing(p, st, z, obs, growth, ppi, logw)
    rest_growth, gdp_growth, rest_nominal, gdp, rest_state = dyn.rest_of_economy(p, st, z, obs, mfg_growth, mfg_va,
                                                                            logw, year, ppi, down)
    mfg_va, rest_nominal = dyn.census_revision(obs, mfg_va, rest_nominal, gdp, logw)
    sec_ratio, _ = dyn.secondary_industry(p, st, z, obs, mfg_va, logw)
    # 5. revenue, profit, high tech
    va_ratio, revenue, margin = dyn.revenue_and_profit(p, st, z, growth, mfg_inflation,
                                                       dyn.scope_revenue(p, upgrades, exits))
    ht_odds, ht_growth, ht_lags = dyn.high_tech(p, st, z, obs, growth, logw)

    new = {
        "firms": firms, "output": st["output"] * (1.0 + growth / 100.0), "cycle": cycle, "growth": growth,
        "key_share": st["key_share"], "renovation": renovation, "renovation_norm": renovation_norm,
        "renovation_stock": stock, "renovation_stock_norm": stock_norm, "other_investment": other,
        "mfg_va": mfg_va, "industry_non_mfg": non_mfg,
        "industry_share_known": np.maximum(st["industry_share_known"], 1.0 if "industrial_va" in obs else 0.0),
        "rest_nominal": rest_nominal, "rest_growth": rest_growth, **rest_state,
        "gdp": gdp,
        "gdp_growth": gdp_growth, "ppi": ppi, "sec_ratio": sec_ratio, "va_ratio": va_ratio, "revenue": revenue,
        "margin": margin, "ht_odds": ht_odds, "ht_growth": ht_growth, **ht_lags, "loss": st["loss_now"],
        "entries": entries, "project_carry": carry, "entries_baseline": np.broadcast_to(p["_projects_baseline"],
                                                                                        entries.shape),
        "upgrades": upgrades, "tr_growth": tr_growth, "mfg_growth": mfg_growth,
    }
    new["_investment_growth"] = 100.0 * ((renovation + other) / (st["renovation"] + st["other_investment"]) - 1.0)
    dyn.reported_checks(p, obs, st, new, logw)
    values = record(new, upgrades, entries, exits + closures, first_year, tr_growth)
    del new["_investment_growth"]
    return new, values


def set_announced_target(p: dict, announced: Mapping[int, tuple[float, bool]], year: int) -> None:
    """Put the year's announced growth target into its parameters (NaN, not a floor, when none was announced).

    Read by :func:`simulation.dynamics.target_pull`; the projection and the calibration's filter both call this.

    Parameters
    ----------
    p : dict
        The year's parameter values, changed in place.
    announced : Mapping[int, tuple[float, bool]]
        Announced above-scale growth targets by year: (target [%], whether it is a floor 以上).
    year : int
        The calendar year.
    """
    p["_growth_target"], p["_growth_target_floor"] = announced.get(int(year), (np.nan, False))


def year_inputs(inputs: Mapping[str, np.ndarray], k: int, constants: Mapping[str, float]) -> dict[str, np.ndarray]:
    """Column ``k`` of every input, with the model's constants.

    Parameters
    ----------
    inputs : Mapping[str, numpy.ndarray]
        Parameter values per draw and year, each in its registry unit.
    k : int
        The year's column.
    constants : Mapping[str, float]
        The model's constants by name (each in its own unit).
    """
    p = {pid: v[..., k] for pid, v in inputs.items() if pid != PARTICLE}
    p.update(constants)
    return p


def lagged_projects(inputs: Mapping[str, np.ndarray], k: int, baseline: float) -> np.ndarray:
    """The project lever ``project_lag_years`` before year ``k``.

    Before the first projected year the lever is the baseline's (``baseline``, the pack's value): the projects that
    enter statistics in the first ``lag`` years were set in motion before the run, whatever a scenario says
    from its first year on, so a lever moves growth only after its lag. Any row layout: inputs are ``(..., T)``
    arrays that broadcast against each other.

    Parameters
    ----------
    inputs : Mapping[str, numpy.ndarray]
        Parameter values per draw and year (``incremental_projects`` [projects/yr], ``project_lag_years`` [yr]).
    k : int
        The projected year's index (0: the first projected year).
    baseline : float
        The pack's projects a year [projects/yr]: the lever before the first projected year.
    """
    lever = inputs["incremental_projects"]
    lag = inputs["project_lag_years"][..., 0].astype(int)
    j = k - lag
    lagged = np.take_along_axis(lever, np.maximum(j, 0)[..., None], axis=-1)[..., 0]
    return np.where(j >= 0, lagged, baseline)


def year_shocks(rng: np.random.Generator | Streams | None, T: int, D: int, stochastic: bool) -> np.ndarray:
    """Standard normals ``(T, len(SHOCKS), D)``: each shock from its own stream ``shock/<name>``.

    Each stream is drawn year by year, so a longer horizon keeps the earlier
    years' numbers, and adding a shock to ``dynamics.SHOCKS`` leaves the
    others' numbers as they were.

    Parameters
    ----------
    rng : np.random.Generator | Streams | None
        The random generator or the run's named streams (:mod:`simulation.streams`).
    T : int
        Projected years.
    D : int
        Draws (rows) [draws].
    stochastic : bool
        Draw the parameters' spreads and the year shocks; False: centres only (one deterministic path).
    """
    out = np.zeros((T, len(dyn.SHOCKS), D))
    if not stochastic:
        return out
    streams = as_streams(rng)
    for j, name in enumerate(dyn.SHOCKS):
        out[:, j, :] = streams.generator(f"shock/{name}").standard_normal((T, D))
    return out


def simulate(base: BaseState, inputs: Mapping[str, np.ndarray], years: np.ndarray,
             rng: np.random.Generator | Streams | None, stochastic: bool = True,
             forced: Mapping[int, Mapping[str, float]] | None = None,
             flows: Mapping[str, np.ndarray] | None = None, *, draws: int | None = None,
             outputs: tuple[str, ...] | None = None,
             year_hook: Callable[[dict], Mapping[str, np.ndarray]] | None = None) -> dict[str, np.ndarray]:
    """Run the annual recursion from ``base`` over ``years`` (after the starting year).

    ``flows`` lets another engine (the SimPy project pipeline) supply flows as
    ``(draws, T)`` arrays in place of this model's own draws: ``firm_upgrades``,
    ``projects_entering_statistics`` and ``project_output_added`` (real output,
    亿元 in base-year prices, that incremental projects add in each year).
    Reported flows (``forced``, default ``base.history``) still win in their years.

    Returns indicator arrays ``(draws, 1 + len(years))`` including the starting year.

    Rows may be laid out in any shape (``simulation.batch`` stacks settings as
    ``(settings, draws)``): every input is a ``(..., T)`` array and they
    broadcast against each other; the last row axis is the draws', of length
    ``draws`` (default: the inputs' own), and the year's shocks are drawn over
    it alone, so settings share them.

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    inputs : Mapping[str, numpy.ndarray]
        Parameter values per draw and year, from :func:`sample_inputs`, each in its registry unit.
    years : numpy.ndarray
        The projected years (calendar years).
    rng : np.random.Generator | Streams | None
        The random generator or the run's named streams (:mod:`simulation.streams`).
    stochastic : bool
        Draw the parameters' spreads and the year shocks; False: centres only (one deterministic path).
    forced : Mapping[int, Mapping[str, float]] | None
        Reported flows by year, indicator id to value in its unit (default ``base.history``).
    flows : Mapping[str, numpy.ndarray] | None
        Another engine's flows, ``(draws, T)``: upgrades [firms], projects [projects], project output [亿元, base-year
        prices]; or None.
    draws : int | None
        Draws [draws] (None: from ``inputs``).
    outputs : tuple[str, ...] | None
        Indicator ids to keep (None: every indicator of the registry, :mod:`simulation.indicators`).
    year_hook : Callable[[dict], Mapping[str, numpy.ndarray]] | None
        Called with each year's parameter dict; returns the mapping the steps read
        (:func:`simulation.batch.used_parameters` records the reads this way).
    """
    flows = flows or {}
    forced = base.history if forced is None else forced
    shape = np.broadcast_shapes(*(np.shape(v)[:-1] for k, v in inputs.items() if k != PARTICLE))
    if draws is not None:
        shape = np.broadcast_shapes(shape, (int(draws),))
    D, T = shape[-1], len(years)
    rows = inputs[PARTICLE][..., 0] if PARTICLE in inputs and stochastic else None
    st = starting_state(base, rows, D)
    constants = base_constants(base)
    constants["_deterministic"] = 0.0 if stochastic else 1.0
    outputs = tuple(indicators()) if outputs is None else outputs
    res = {k: np.empty(shape + (T + 1,)) for k in outputs}
    first = record(dict(st, _investment_growth=np.full(shape, np.nan)), st["upgrades"], st["entries"],
                   np.full(shape, np.nan), np.full(shape, np.nan), st["tr_growth"])
    for key in outputs:
        res[key][..., 0] = first[key]
    shocks = year_shocks(rng, T, D, stochastic)
    logw = np.zeros(shape)
    for k, year in enumerate(years):
        p = year_inputs(inputs, k, constants)
        set_announced_target(p, base.announced, year)
        z = dict(zip(dyn.SHOCKS, shocks[k], strict=True))
        reported = {name: (value, 0.0) for name, value in forced.get(int(year), {}).items()}
        if "key_firm_growth" in reported:
            p["key_firm_growth"] = np.full(shape, reported.pop("key_firm_growth")[0])
        if year_hook is not None:
            p = year_hook(p)
        flows_k = {name: np.asarray(v[..., k], dtype=float) for name, v in flows.items()}
        st, values = advance(st, p, int(year), k, z, reported, logw, flows_k,
                             lagged_projects(inputs, k, constants["_projects_baseline"]))
        for key in outputs:
            res[key][..., k + 1] = values[key]
    return res


def project(base: BaseState, scenario: Scenario, posterior: Posterior, horizon: int,
            draws: int = 1000, rng: np.random.Generator | None = None,
            stochastic: bool = True) -> Projection:
    """Project every indicator from the starting year to ``horizon``.

    Parameters
    ----------
    base : BaseState
        The starting state (the calibration's filtered last reported year).
    scenario : Scenario
        Departures from the baseline (parameter values in their registry units).
    posterior : Posterior
        Calibrated parameters (joint draws).
    horizon : int
        Last projected year (calendar year, inclusive).
    draws : int
        Monte Carlo draws [draws] (1 for a deterministic path).
    rng : numpy.random.Generator or Streams or None
        The random generator or the run's named streams; required when ``stochastic``.
    stochastic : bool
        False gives the deterministic path at posterior means.
    """
    if stochastic and rng is None:
        raise ValueError("a stochastic projection needs a numpy.random.Generator")
    if horizon <= base.year:
        raise ValueError(f"horizon {horizon} must be after the base year {base.year}")
    years = np.arange(base.year + 1, horizon + 1)
    streams = as_streams(rng) if stochastic else None
    inputs = sample_inputs(scenario, posterior, years, draws, streams, stochastic)
    values = simulate(base, inputs, years, streams, stochastic)
    return Projection(np.arange(base.year, horizon + 1), values, scenario.id, draws)
