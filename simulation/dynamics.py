"""One year of the annual model, as small named steps.

Each function is one mechanism: a pure function of last year's state, this
year's parameter values (``p``: arrays over rows, one row per draw or
particle), this year's standard normals (``z``) and, in the calibration's
filter, this year's reported figures (``obs``).

Where a figure is reported, the step does not draw the quantity it pins: it
solves for the shock that reproduces the figure (within its measurement error)
and adds the log density of that shock to ``logw`` (a fully adapted particle
filter). Projection and calibration therefore run the same code; a projected
year is a year with nothing reported.

Growth of above-scale value added is the long-run rate, plus a persistent
cycle with fat-tailed shocks and downturn years, plus what the levers change
against their baseline values (projects net of displacement, closures, key
firms, technical renovation), counted as the statistics count growth (同口径:
an upgraded firm brings its base with it). Money is in 亿元, growth in %,
shares in %.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping

import numpy as np

from .registry import parameters

Array = np.ndarray
State = MutableMapping[str, Array]

# The standard normals one year uses, per row; their count never depends on the
# parameters, so scenarios run with one seed share them (common random numbers).
SHOCKS = ("upgrades", "projects", "exits", "land_upgrades", "land_projects", "cycle", "chi1", "chi2",
          "chi3", "chi4", "downturn", "ppi", "mfg_price", "mfg_gap", "rest_growth", "rest_price",
          "secondary", "va_ratio", "high_tech", "measure", "project_size", "industry_measure")
T_DF = 4.0  # degrees of freedom of the growth shock (fat tails; registry growth_shock_scale)
_T_LOGC = math.lgamma(2.5) - math.lgamma(2.0) - 0.5 * math.log(4.0 * math.pi)
_LOG_SQRT2PI = 0.5 * math.log(2.0 * math.pi)
_SCALE_T = math.sqrt(T_DF / (T_DF - 2.0))  # a t4 variate over this has unit variance
_M = parameters()["industry_non_mfg_share"]


# ---------------------------------------------------------------- distributions
def normal_logpdf(x: Array, mean: Array, sd: Array) -> Array:
    """Log density of a normal distribution, elementwise.

    Parameters
    ----------
    x, mean, sd : numpy.ndarray
        Points, means and standard deviations (sd is floored at 1e-9).

    Returns
    -------
    numpy.ndarray
        log N(x; mean, sd) per element.
    """
    sd = np.maximum(sd, 1e-9)
    u = (x - mean) / sd
    return -0.5 * u * u - np.log(sd) - _LOG_SQRT2PI


def t_unit(z: Mapping[str, Array]) -> Array:
    """Student-t (4 df) variates with unit variance, from five standard normals, cut at ±6 sd.

    The cut (probability 2e-4) keeps a year's growth above -100 % at any allowed shock scale.
    """
    chi = (z["chi1"] ** 2 + z["chi2"] ** 2 + z["chi3"] ** 2 + z["chi4"] ** 2) / T_DF
    return np.clip(z["cycle"] / np.sqrt(np.maximum(chi, 1e-12)) / _SCALE_T, -6.0, 6.0)


def t_unit_logpdf(x: Array) -> Array:
    """Log density of the unit-variance Student-t (4 df) shock that :func:`t_unit` draws.

    Used where a reported growth figure pins the cycle shock: the shock is solved for and its density
    weights the particle.

    Parameters
    ----------
    x : numpy.ndarray
        Unit-variance t variates.

    Returns
    -------
    numpy.ndarray
        Their log densities.
    """
    u = x * _SCALE_T
    return _T_LOGC - 2.5 * np.log1p(u * u / T_DF) + math.log(_SCALE_T)


def growth_shock_branches(e: Array, sigma: Array, p_down: Array, d_down: Array) -> tuple[Array, Array]:
    """Joint log densities of the cycle's innovation ``sigma·t - d·(D - p)`` and D = 0 (calm), D = 1 (down).

    Parameters
    ----------
    e : numpy.ndarray
        The cycle's innovation [percentage points].
    sigma : numpy.ndarray
        Scale of the t shock [percentage points].
    p_down : numpy.ndarray
        Probability of a downturn year, 0-1.
    d_down : numpy.ndarray
        Growth a downturn year takes off [percentage points].
    """
    sigma = np.maximum(sigma, 1e-9)
    calm = np.log1p(-p_down + 1e-12) + t_unit_logpdf((e - d_down * p_down) / sigma) - np.log(sigma)
    down = np.log(p_down + 1e-12) + t_unit_logpdf((e + d_down * (1.0 - p_down)) / sigma) - np.log(sigma)
    return calm, down


def growth_shock_logpdf(e: Array, sigma: Array, p_down: Array, d_down: Array) -> Array:
    """Log density of the cycle's innovation ``sigma·t - d·(D - p)``, D ~ Bernoulli(p).

    Parameters
    ----------
    e : numpy.ndarray
        The cycle's innovation [percentage points].
    sigma : numpy.ndarray
        Scale of the t shock [percentage points].
    p_down : numpy.ndarray
        Probability of a downturn year, 0-1.
    d_down : numpy.ndarray
        Growth a downturn year takes off [percentage points].
    """
    return np.logaddexp(*growth_shock_branches(e, sigma, p_down, d_down))


def _normal_cdf(z: Array) -> Array:
    from scipy.special import ndtr  # scipy's C routine: vectorised and exact

    return ndtr(z)


def _count(mean: Array, z: Array, upper: Array | None = None) -> Array:
    """A count around ``mean`` from a standard normal (normal approximation to Poisson)."""
    out = np.maximum(np.floor(mean + np.sqrt(np.maximum(mean, 0.0)) * z + 0.5), 0.0)
    return out if upper is None else np.minimum(out, upper)


# ---------------------------------------------------------------- mechanisms
def business_climate(st: Mapping[str, Array]) -> Array:
    """Last year's growth above its long-run rate (points), less a demand shock's loss: what counts follow."""
    return st["cycle"] - 100.0 * st["loss"]


def landing(p: Mapping[str, Array], cycle_prev: Array, z: Array) -> Array:
    """How a year's push lands: log-normal spread, more in good years (lever_landing_spread).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values (``lever_landing_spread``, ``count_cycle_elasticity``), arrays over rows.
    cycle_prev : numpy.ndarray
        Last year's business climate [percentage points of growth].
    z : numpy.ndarray
        Standard normals, one per row.
    """
    s = p["lever_landing_spread"]
    if p.get("_deterministic"):  # the mean landing: 1 apart from the cycle
        return np.exp(p["count_cycle_elasticity"] / 100.0 * cycle_prev)
    return np.exp(s * z - 0.5 * s * s + p["count_cycle_elasticity"] / 100.0 * cycle_prev)


def firm_upgrades(p, st, z, obs):
    """小升规: upgrades around the cultivated pool's expected crossings; a reported count is imposed.

    The pool (准规上企业培育库, ``round(upgrade_target × upgrade_pool_ratio)`` firms) is the list the bureau
    cultivates, not a cap: every firm whose revenue passes 2000万 is counted (004: 实现应统尽统), so a push
    that lands well brings more firms than the list holds, as 2021 did (405 against a target of 300, more
    than a 1.2-times pool). The mean is the pool times the realisation rate times how the push lands.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    """
    centre = np.rint(p["upgrade_target"] * p["upgrade_pool_ratio"]) * p["upgrade_realisation_rate"]
    if "firm_upgrades" in obs:
        return np.full_like(centre, obs["firm_upgrades"][0]), centre
    mean = centre * landing(p, business_climate(st), z["land_upgrades"])
    return _count(mean, z["upgrades"]), centre


def projects_entering(p, st, z, obs, lagged_lever):
    """增量项目纳统: projects entering statistics around the (lagged) lever; reported counts imposed.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    lagged_lever : numpy.ndarray
        The incremental-projects lever ``project_lag_years`` earlier [projects/yr].
    """
    centre = lagged_lever
    if "projects_entering_statistics" in obs:
        return np.full_like(centre, obs["projects_entering_statistics"][0]), centre
    mean = centre * landing(p, business_climate(st), z["land_projects"])
    return _count(mean, z["projects"]), centre


def count_measurements(obs, firms_last):
    """The year's reported firm counts as normal measurements of its count: ``(value, sd)`` pairs.

    A count (``above_scale_firms``) is one; a count's growth on last year's (``above_scale_firms_growth``, %,
    e.g. 同比增长11%) is another, ``firms_last × (1 + g)`` with sd ``firms_last × err``: it informs last
    year's count as much as this year's.
    """
    out = []
    if "above_scale_firms" in obs:
        value, err = obs["above_scale_firms"]
        out.append((value + 0.0 * firms_last, np.full_like(firms_last, float(err))))
    if "above_scale_firms_growth" in obs:
        value, err = obs["above_scale_firms_growth"]
        out.append((firms_last * (1.0 + value / 100.0), firms_last * err / 100.0))
    return out


def firm_stock(p, st, z, obs, upgrades, entries, logw):
    """Above-scale firms: ``N = N_prev + upgrades + projects - exits - closures``.

    Exits are binomial (normal approximation). Where counts are reported (:func:`count_measurements`), the count
    is drawn from its distribution given them, the optimal proposal of a normal model: the measurements are
    combined (precision-weighted, the constant of their product weighing the row), the row is weighed by the
    predictive density of the combination, and the count is drawn between prediction and measurement by their
    precisions (stream ``measure``), then rounded to whole firms.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    upgrades : numpy.ndarray
        Firms crossing the threshold this year (小升规) [firms].
    entries : numpy.ndarray
        Projects entering statistics this year [projects].
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    firms = st["firms"]
    q = p["exit_rate"] / 100.0
    closures = np.minimum(p["policy_closures"], firms)
    mean, sd = firms * q, np.sqrt(np.maximum(firms * q * (1.0 - q), 1e-9))
    measured = count_measurements(obs, firms)
    if measured:
        value, err = measured[0]
        for v2, e2 in measured[1:]:  # two measurements of one count: their product is a normal times a constant
            logw += normal_logpdf(value, v2, np.sqrt(err ** 2 + e2 ** 2))
            value, err = (value / err ** 2 + v2 / e2 ** 2) / (1 / err ** 2 + 1 / e2 ** 2), 1 / np.sqrt(1 / err ** 2 + 1
                                                                                                       / e2 ** 2)
        predicted = firms + upgrades + entries - closures - mean
        logw += normal_logpdf(value, predicted, np.sqrt(sd ** 2 + err ** 2))
        gain = sd ** 2 / (sd ** 2 + err ** 2)
        count = predicted + gain * (value - predicted) + np.sqrt(gain) * err * z["measure"]
        exits = firms + upgrades + entries - closures - np.rint(count)
        logw += np.where(exits >= 0, 0.0, -np.inf)
    else:
        exits = np.clip(np.floor(mean + sd * z["exits"] + 0.5), 0.0, firms - closures)
    return firms + upgrades + entries - exits - closures, exits, closures


def renovation_investment(p, st, obs):
    """技改投资: the renovation index grows at the lever (or reported) rate; the completed stock follows.

    The stock is last year's investment plus the depreciated stock, and a
    baseline stock runs beside it at the default growth, so the effect on
    output is the stock's departure from the baseline path.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    """
    growth = p["tech_renovation_investment_growth"]
    if "tech_renovation_investment_growth" in obs:
        growth = np.full_like(growth, obs["tech_renovation_investment_growth"][0])
    dep = p["renovation_depreciation"]
    stock = (1.0 - dep) * st["renovation_stock"] + st["renovation"]
    stock_norm = (1.0 - dep) * st["renovation_stock_norm"] + st["renovation_norm"]
    renovation = st["renovation"] * (1.0 + growth / 100.0)
    renovation_norm = st["renovation_norm"] * (1.0 + p["_renovation_growth_default"] / 100.0)
    other = st["other_investment"] * (1.0 + p["new_capacity_investment_growth"] / 100.0)
    return growth, renovation, renovation_norm, stock, stock_norm, other


def lever_effects(p, st, z, obs, entries, closures, project_output, stock, stock_norm, k, logw):
    """Points of above-scale growth the levers add against their baseline values (0 in the baseline).

    Growth is the statistics' comparable-basis growth (同口径: last year's figures of this year's firms are
    the base). A project enters statistics as a new firm with no base, so its output is all growth: its
    first year's output (a share ``project_first_year_ramp`` of full capacity) is what the bureau books
    (``project_growth_contribution``, gross); the rest of its capacity comes the next year, when the first
    year's part-year output is its base (the carry). Of that gross output a share
    ``project_displacement`` replaces output the city's other firms would have made (relocations, new plants
    of incumbents, local rivals): the effect on growth is the rest. A one-off batch of projects raises the
    level of output for good and growth for two years only. An upgraded firm (小升规) brings its last year's
    output into the base with it, so upgrades add firms and levels, not growth. A year's new projects are
    ``project_full_capacity_output`` times a size factor (log-normal, ``project_size_spread``); a reported
    contribution pins the size factor. ``project_output`` is the event engine's gross output added by
    projects (亿元, base-year prices), or None for this model's own. Returns (effects, the first-year
    gross contribution, the carry).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    entries : numpy.ndarray
        Projects entering statistics this year [projects].
    closures : numpy.ndarray
        Firms closed by policy this year [firms].
    project_output : numpy.ndarray or None
        The event engine's gross output added by projects [亿元, base-year prices], or None.
    stock : numpy.ndarray
        Completed renovation investment stock [亿元].
    stock_norm : numpy.ndarray
        The same stock on the baseline path [亿元].
    k : int
        The year's index among the projected years.
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    out_prev = st["output"]
    cap, ramp, thr = p["project_full_capacity_output"], p["project_first_year_ramp"], p["_threshold_revenue"]
    s = p["project_size_spread"]
    if "project_growth_contribution" in obs:
        value, err = obs["project_growth_contribution"]
        wanted = np.maximum(value + err * z["measure"], 1e-6) * out_prev / 100.0
        size = wanted / np.maximum(cap * ramp * entries, 1e-9)
        logw += normal_logpdf(np.log(size), -0.5 * s * s, s) - np.log(size)
    elif p.get("_deterministic"):
        size = np.ones_like(out_prev)
    else:
        size = np.exp(s * z["project_size"] - 0.5 * s * s)
    first_year_output = cap * size * ramp * entries
    if project_output is None:
        gross = first_year_output + st["project_carry"]
    else:
        gross = project_output
        first_year_output = cap * ramp * entries
    norm = cap * ramp * p["_projects_baseline"] + cap * (1.0 - ramp) * st["entries_baseline"]
    projects = 100.0 * (1.0 - p["project_displacement"]) * (gross - norm) / out_prev
    carry = cap * size * (1.0 - ramp) * entries  # the rest of their capacity comes next year
    closed = -100.0 * thr * closures / out_prev  # closed firms' output, at the threshold revenue (假设)
    key = st["key_share"] * (p["key_firm_growth"] - p["_key_growth_default"]) * p["key_firm_growth_fade"] ** k
    renovation = 100.0 * p["tech_renovation_productivity_effect"] * (
        np.log(stock / stock_norm) - np.log(st["renovation_stock"] / st["renovation_stock_norm"]))
    return projects + closed + key + renovation, 100.0 * first_year_output / out_prev, carry


def target_pull(p, st, effects):
    """Points of growth the year's announced target adds: ``pull × (target - expected growth)``.

    ``p["_growth_target"]`` is the above-scale growth target announced for this
    year (%, known with last year's figures), NaN or absent when none was
    announced; then the pull is 0. Expected growth is the long-run rate, the
    carried cycle and the lever effects. A "左右" target pulls both ways; a
    "以上" target (``p["_growth_target_floor"]`` true) only lifts growth
    expected below it. The pull lasts one year: it is not part of the cycle.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    effects : numpy.ndarray
        Points of above-scale growth the levers add [percentage points].
    """
    target = p.get("_growth_target")
    if target is None or not np.isfinite(target):
        return 0.0
    expected = p["growth_long_run"] + p["growth_persistence"] * st["cycle"] + effects
    gap = target - expected
    if p.get("_growth_target_floor"):  # "以上": a floor the push defends, no pull down toward it
        gap = np.maximum(gap, 0.0)
    return p["growth_target_pull"] * gap


def cycle_and_growth(p, st, z, obs, effects, logw):
    """Above-scale VA growth: long-run rate + cycle + lever effects + a target's pull, less demand-shock losses.

    The cycle is AR(1) with a centred innovation ``sigma·t4 - d·(D - p)``
    (downturn years D with probability p). Reported growth pins the cycle, and
    the innovation's density weights the row; the year's downturn indicator is
    then drawn from its probability given that innovation. Returns the cycle,
    the growth (%) and the indicator D (0 or 1; ``p`` itself in a deterministic
    run), which the rest of the economy shares: a downturn year is the whole
    city's (2020, 2022).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    effects : numpy.ndarray
        Points of above-scale growth the levers add [percentage points].
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    mu, phi = p["growth_long_run"], p["growth_persistence"]
    sigma, p_down, d_down = p["growth_shock_scale"], p["downturn_probability"], p["downturn_size"]
    loss_factor = (1.0 - st["loss_now"]) / (1.0 - st["loss"])
    pull = target_pull(p, st, effects)
    if "above_scale_va_growth" in obs:
        value, err = obs["above_scale_va_growth"]
        growth = value + err * z["measure"]
        pre = 100.0 * ((1.0 + growth / 100.0) / loss_factor - 1.0)
        cycle = pre - mu - effects - pull
        calm, down_density = growth_shock_branches(cycle - phi * st["cycle"], sigma, p_down, d_down)
        marginal = np.logaddexp(calm, down_density)
        logw += marginal
        down = (_normal_cdf(z["downturn"]) < np.exp(down_density - marginal)).astype(float)
    else:
        # a deterministic run (all shocks zero) takes the expected downturn, so its innovation is zero
        down = p_down if p.get("_deterministic") else (_normal_cdf(z["downturn"]) < p_down).astype(float)
        cycle = phi * st["cycle"] + sigma * t_unit(z) - d_down * (down - p_down)
        pre = mu + cycle + effects + pull
        growth = 100.0 * ((1.0 + pre / 100.0) * loss_factor - 1.0)
    return cycle, growth, down


def producer_prices(p, st, z, obs, logw):
    """National PPI (%): AR(1) around its long-run rate; a reported PPI is imposed.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    m, phi, s = p["ppi_long_run"], p["ppi_persistence"], p["ppi_shock_scale"]
    mean = m + phi * (st["ppi"] - m)
    if "ppi_national" in obs:
        ppi = np.full_like(mean, obs["ppi_national"][0])
        logw += normal_logpdf(ppi, mean, s)
        return ppi
    return mean + s * z["ppi"]


def triangular_logpdf(x: Array, lower: float, mode: float, upper: float) -> Array:
    """Log density of a triangular distribution on [lower, upper] peaked at ``mode`` (-inf outside).

    Parameters
    ----------
    x : numpy.ndarray
        Points.
    lower : numpy.ndarray
        Lower end.
    mode : numpy.ndarray
        Peak.
    upper : numpy.ndarray
        Upper end.
    """
    x = np.asarray(x, dtype=float)
    rising = 2.0 * (x - lower) / ((upper - lower) * max(mode - lower, 1e-12))
    falling = 2.0 * (upper - x) / ((upper - lower) * max(upper - mode, 1e-12))
    dens = np.where(x <= mode, rising, falling)
    with np.errstate(divide="ignore"):
        return np.where((x > lower) & (x < upper), np.log(np.maximum(dens, 1e-300)), -np.inf)


def manufacturing(p, st, z, obs, growth, ppi, logw):
    """Manufacturing VA: real growth (above-scale growth plus a gap) and its deflator (PPI pass-through).

    Manufacturing is part of industry: industrial VA is manufacturing VA over ``1 - m``, with ``m`` the mining and
    utilities share (%, state ``industry_non_mfg``), so manufacturing VA never exceeds it. The first reported
    industrial VA (within its measurement error, stream ``industry_measure``) solves for ``m`` given the year's
    manufacturing VA, and the row is weighed by ``m``'s prior (registry ``industry_non_mfg_share``, triangular)
    times the change of variables ``(1 - m)² / manufacturing VA``: nothing before that year uses ``m``, so it is
    drawn where the record first speaks of it, from every particle's own path. A later one pins the year's
    deflator given ``m`` and weighs the row by the deflator shock's density. Returns (real growth, deflator
    growth, VA, m).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    growth : numpy.ndarray
        Above-scale industrial VA growth, real [%].
    ppi : numpy.ndarray
        National producer-price growth [%].
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    gap_sd = np.maximum(p["mfg_growth_gap_sd"], 0.05)
    if "mfg_va_growth_above_scale" in obs:
        value, err = obs["mfg_va_growth_above_scale"]
        mfg_growth = value + err * z["measure"]
        logw += normal_logpdf(mfg_growth - growth, 0.0, gap_sd)
    else:
        mfg_growth = growth + p["mfg_growth_gap_sd"] * z["mfg_gap"]
    mean = p["mfg_relative_price_drift"] + p["mfg_price_ppi_passthrough"] * ppi
    real = st["mfg_va"] * (1.0 + mfg_growth / 100.0)  # this year's output at last year's prices
    m = st["industry_non_mfg"]
    if "industrial_va" in obs and np.all(st["industry_share_known"] > 0):
        value, err = obs["industrial_va"]
        mfg_va = value * (1.0 + err / 100.0 * z["industry_measure"]) * (1.0 - m / 100.0)
        inflation = 100.0 * (mfg_va / real - 1.0)
        logw += normal_logpdf(inflation, mean, np.maximum(p["mfg_price_volatility"], 1e-6))
        return mfg_growth, inflation, mfg_va, m
    inflation = mean + p["mfg_price_volatility"] * z["mfg_price"]
    mfg_va = real * (1.0 + inflation / 100.0)
    if "industrial_va" in obs:
        value, err = obs["industrial_va"]
        industry = value * (1.0 + err / 100.0 * z["industry_measure"])
        m = 100.0 * (1.0 - mfg_va / industry)
        prior = (_M.lower, p["_industry_non_mfg_mode"], _M.upper)  # the pack's mode, the registry's bounds
        logw += triangular_logpdf(m, *prior) + 2.0 * np.log(np.maximum(1.0 - m / 100.0, 1e-9)) - np.log(mfg_va)
    return mfg_growth, inflation, mfg_va, m


def industrial_va(st, mfg_va):
    """Industrial value added (全部工业增加值, 亿元): manufacturing VA over one less the mining and utilities share."""
    return mfg_va / (1.0 - st["industry_non_mfg"] / 100.0)


TREND_YEAR = 2020  # the year whose trend growth outside manufacturing the registry's non_mfg_gdp_real_growth is


def rest_trend(p, st, year: int):
    """Trend growth outside manufacturing in ``year`` (%): 2020's (``non_mfg_gdp_real_growth``) less
    ``non_mfg_trend_decline`` a year since, plus the permanent part of every shock since the start
    (state ``rest_trend_shift``). A scenario that sets either parameter moves the trend itself.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    year : int
        The calendar year.
    """
    return p["non_mfg_gdp_real_growth"] - p["non_mfg_trend_decline"] * (year - TREND_YEAR) + st["rest_trend_shift"]


def rest_real_growth(p, st, z, obs, mfg_growth, logw, year: int, down=None):
    """Real growth outside manufacturing: a declining trend, a level gap that closes, and the year's shock.

    The trend ``mu`` (:func:`rest_trend`) falls by ``non_mfg_trend_decline`` a year. The year's ordinary shock
    ``v`` (sd ``non_mfg_growth_volatility``) is split: a share ``k`` (``non_mfg_trend_share``) moves the trend for
    good, the rest joins the level gap, of which a share ``phi`` (``non_mfg_growth_persistence``) is still open a
    year later. A downturn year's loss ``d·(D - p)`` (``rest_downturn_size``; D from :func:`cycle_and_growth`,
    None: no downturn term) is all gap, made up later (2021 after 2020). So::

        growth = mu + (phi - 1)·gap_last - d·(D - p) + v
        gap    = phi·gap_last - d·(D - p) + (1 - k)·v,   and next year's trend carries k·v

    A weak ordinary year lowers next year's expected growth by ``k - (1 - phi)(1 - k)`` per point when that is
    positive: it is mostly trend, not a gap to make up. Reported real GDP growth pins the rest's growth
    (manufacturing weighted by last year's share) and the shock's density weighs the row.
    Returns (rest growth, GDP growth, trend shift, gap).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    mfg_growth : numpy.ndarray
        Manufacturing VA real growth [%].
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    year : int
        The calendar year.
    down : numpy.ndarray
        Downturn year indicator per row (0 or 1).
    """
    phi, s, k = p["non_mfg_growth_persistence"], p["non_mfg_growth_volatility"], p["non_mfg_trend_share"]
    gap = phi * st["rest_gap"]
    if down is not None:  # centred, so the trend stays the mean
        gap = gap - p["rest_downturn_size"] * (down - p["downturn_probability"])
    mean = rest_trend(p, st, year) + gap - st["rest_gap"]
    w = st["mfg_va"] / (st["mfg_va"] + st["rest_nominal"])
    if "gdp_real_growth" in obs:
        value, err = obs["gdp_real_growth"]
        gdp_growth = value + err * z["measure"]
        rest_growth = (gdp_growth - w * mfg_growth) / (1.0 - w)
        logw += normal_logpdf(rest_growth, mean, s)
    else:
        rest_growth = mean + s * z["rest_growth"]
        gdp_growth = w * mfg_growth + (1.0 - w) * rest_growth
    shock = rest_growth - mean
    return rest_growth, gdp_growth, st["rest_trend_shift"] + k * shock, gap + (1.0 - k) * shock


def rest_prices(p, st, z, obs, rest_real, mfg_va, logw, ppi=None):
    """The deflator outside manufacturing and GDP: mean, PPI pass-through, and a persistent core.

    Deflator growth is ``price_level_growth + pass-through × (PPI - its long-run rate) + c``, where the core
    ``c`` is AR(1): ``c = rho·c_last + sd·e`` (``price_level_persistence``, ``price_level_volatility``), so a
    projection starts from the recent years' prices and returns to the mean at rate ``rho``. ``ppi`` None:
    no pass-through term. Reported GDP pins the deflator and the core shock's density weighs the row; a lower
    bound on GDP (e.g. 突破1.7万亿元) weighs it as a soft floor. In a year whose GDP is on a new basis
    (``gdp_new_basis``: 2024, after the fifth economic census revised 2023 while 2023's figure in the record is
    the first release) the year's core is drawn, the rest's VA is returned on the old basis and GDP is the
    reported level: the jump is the revision, not the year's prices, and :func:`census_revision` shares it
    among the sectors. ``rest_real`` is the rest's output at last year's prices.
    Returns (rest nominal VA, GDP, core).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    rest_real : numpy.ndarray
        Real growth outside manufacturing [%].
    mfg_va : numpy.ndarray
        Manufacturing VA, current prices [亿元].
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    ppi : numpy.ndarray
        National producer-price growth [%].
    """
    price_mean = p["price_level_growth"]
    if ppi is not None:
        price_mean = price_mean + p["rest_price_ppi_passthrough"] * (ppi - p["ppi_long_run"])
    core_mean = p["price_level_persistence"] * st["rest_price_core"]
    if "gdp" in obs and "gdp_new_basis" in obs:  # the old basis's prices; census_revision rescales the level
        value, err = obs["gdp"]
        gdp = value * (1.0 + err / 100.0 * z["secondary"])
        core = core_mean + p["price_level_volatility"] * z["rest_price"]
        rest_nominal = rest_real * (1.0 + (price_mean + core) / 100.0)
    elif "gdp" in obs:
        value, err = obs["gdp"]
        gdp = value * (1.0 + err / 100.0 * z["secondary"])
        rest_nominal = gdp - mfg_va
        ok = rest_nominal > 0
        core = 100.0 * (np.where(ok, rest_nominal, 1.0) / rest_real - 1.0) - price_mean
        logw += np.where(ok, normal_logpdf(core, core_mean, p["price_level_volatility"]), -np.inf)
    else:
        core = core_mean + p["price_level_volatility"] * z["rest_price"]
        rest_nominal = rest_real * (1.0 + (price_mean + core) / 100.0)
        gdp = mfg_va + rest_nominal
    if "gdp_lower_bound" in obs:  # a soft floor one measurement error wide
        bound, err = obs["gdp_lower_bound"]
        logw += np.log(np.maximum(_normal_cdf((gdp - bound) / (bound * err / 100.0)), 1e-300))
    return rest_nominal, gdp, core


def census_revision(obs, mfg_va, rest_nominal, gdp, logw):
    """A census's new GDP basis revises every sector alike: manufacturing VA and the rest scaled as GDP is.

    In a year whose GDP is on a new basis (``gdp_new_basis``, :func:`rest_prices`) the revision ratio is the
    reported GDP over the old basis's, ``R = GDP / (manufacturing VA + rest)``; both are multiplied by ``R``, so
    GDP is the reported level and the manufacturing share is the old basis's. What is derived from
    manufacturing VA follows it: industrial VA (over ``1 - m``), secondary-industry VA (through its ratio,
    which a reported figure still pins, :func:`secondary_industry`) and the share (which a reported share
    still weighs, :func:`reported_checks`). An industrial VA reported in the year measured manufacturing on the
    new basis already (:func:`manufacturing`): it is kept and the rest takes the remainder, which must be
    positive. Other years: unchanged. Returns (manufacturing VA, rest nominal VA), 亿元.

    假设 assumption: the census revised manufacturing in proportion to GDP. No revision by sector was found for the
    shipped cities or their provinces. Nationally the fourth census raised 2018's GDP by 2.1 % and lowered
    secondary industry's by 0.3 %: "第二产业增加值366001亿元 … 比重为40.7%" (国家统计局 2018年统计公报, 新华社
    2019-02-28, https://m.iverstown.com/Article/news/politics/2019-03-02/193948.html), then "比初步核算数增加18972
    亿元,增幅为2.1%", "第二产业增加值为364835亿元,比重为39.7%" (新华社 2019-11-22, 舜网-济南日报,
    http://news.e23.cn/guonei/2019-11-23/2019B2300025.html). That is the nation's, not a city's, and the shipped
    record that spans the fourth census kept its secondary share across the break (41.3 % in 2018's first
    release, 41.6 % in 2019).

    Parameters
    ----------
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    mfg_va : numpy.ndarray
        Manufacturing VA, current prices, on the old basis [亿元].
    rest_nominal : numpy.ndarray
        VA outside manufacturing, current prices, on the old basis in a break year [亿元].
    gdp : numpy.ndarray
        GDP, current prices: the reported level in a break year [亿元].
    logw : numpy.ndarray
        Log weights of the rows, added to in place (a row with no room left for the rest is impossible).
    """
    if "gdp_new_basis" not in obs or "gdp" not in obs:
        return mfg_va, rest_nominal
    if "industrial_va" in obs:  # manufacturing measured on the new basis this year
        rest = gdp - mfg_va
        logw += np.where(rest > 0, 0.0, -np.inf)
        return mfg_va, rest
    ratio = gdp / (mfg_va + rest_nominal)
    return mfg_va * ratio, rest_nominal * ratio


def rest_of_economy(p, st, z, obs, mfg_growth, mfg_va, logw, year: int, ppi=None, down=None):
    """GDP outside manufacturing (:func:`rest_real_growth`, :func:`rest_prices`); GDP is manufacturing plus the rest
    (in a break year once :func:`census_revision` has shared the revision).

    Returns (rest growth, GDP growth, rest nominal VA, GDP, and the new state: trend shift, gap, price core).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    mfg_growth : numpy.ndarray
        Manufacturing VA real growth [%].
    mfg_va : numpy.ndarray
        Manufacturing VA, current prices [亿元].
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    year : int
        The calendar year.
    ppi : numpy.ndarray
        National producer-price growth [%].
    down : numpy.ndarray
        Downturn year indicator per row (0 or 1).
    """
    rest_growth, gdp_growth, shift, gap = rest_real_growth(p, st, z, obs, mfg_growth, logw, year, down)
    rest_real = st["rest_nominal"] * (1.0 + rest_growth / 100.0)  # in last year's prices
    rest_nominal, gdp, core = rest_prices(p, st, z, obs, rest_real, mfg_va, logw, ppi)
    return rest_growth, gdp_growth, rest_nominal, gdp, {"rest_trend_shift": shift, "rest_gap": gap,
                                                        "rest_price_core": core}


def secondary_industry(p, st, z, obs, mfg_va, logw):
    """Secondary-industry VA: manufacturing VA times a ratio that drifts (log random walk).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    mfg_va : numpy.ndarray
        Manufacturing VA, current prices [亿元].
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    s = p["secondary_ratio_volatility"]
    if "secondary_industry_va" in obs:
        value, err = obs["secondary_industry_va"]
        ratio = value * (1.0 + err / 100.0 * z["measure"]) / mfg_va
        logw += normal_logpdf(np.log(ratio / st["sec_ratio"]), 0.0, s)
    else:
        ratio = st["sec_ratio"] * np.exp(s * z["secondary"])
    return ratio, mfg_va * ratio


def scope_revenue(p, upgrades, exits):
    """Revenue (亿元, current prices) that firms crossing the threshold add to the above-scale level.

    Comparable-basis growth leaves out firms entering and leaving the scope (an upgraded firm's last year is
    in the base; a leaving firm drops out of both years), but the level counts them: upgrades add their
    revenue, exits take theirs away. 假设 assumption: both are at the threshold (2000万元, ``_threshold_revenue``).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    upgrades : numpy.ndarray
        Firms crossing the threshold this year (小升规) [firms].
    exits : numpy.ndarray
        Firms leaving the above-scale scope this year [firms].
    """
    return p["_threshold_revenue"] * (upgrades - exits)


def revenue_and_profit(p, st, z, growth, inflation, scope=0.0):
    """Revenue moves with real growth and manufacturing prices over the VA / revenue ratio, plus the revenue
    of firms entering and leaving the scope (``scope``, 亿元: :func:`scope_revenue`).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    growth : numpy.ndarray
        Above-scale industrial VA growth, real [%].
    inflation : numpy.ndarray
        Manufacturing price growth (deflator) [%].
    scope : numpy.ndarray
        Revenue firms entering and leaving the scope add [亿元, current prices].
    """
    va_ratio = st["va_ratio"] * np.exp(p["va_ratio_volatility"] * z["va_ratio"])
    revenue = (st["revenue"] * (1.0 + growth / 100.0) * (1.0 + inflation / 100.0) * st["va_ratio"] / va_ratio
               + scope)
    margin = st["margin"] + p["profit_margin_drift"]
    return va_ratio, revenue, margin


# The last four years' log growth of high-tech VA (its expectation where no figure pinned it) and its variance.
HIGH_TECH_LAGS = ("ht_log_growth_1", "ht_log_growth_2", "ht_log_growth_3", "ht_log_growth_4")
HIGH_TECH_LAG_VARS = ("ht_log_var_1", "ht_log_var_2", "ht_log_var_3", "ht_log_var_4")


def premium_law(p, st) -> tuple[Array, Array]:
    """This year's law of the high-tech premium given last year's: an AR(1) about its long-run mean.

    ``premium_t = mean + rho·(premium_(t-1) - mean) + shock``, ``rho`` the ``high_tech_premium_persistence``; the
    shock's sd is the ``high_tech_premium_volatility`` times ``sqrt(1 - rho²)``, so the volatility stays the
    premium's stationary spread about its mean. A burst of a few years then fades over a few years instead of
    being read as the mean, and a projection starts from where the last years left the premium.
    Returns (mean [%], sd [points]) over rows.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows, each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state; ``ht_premium_gap`` is last year's premium less its mean [points].
    """
    rho = p["high_tech_premium_persistence"]
    mean = p["high_tech_growth_premium"] + rho * st["ht_premium_gap"]
    return mean, p["high_tech_premium_volatility"] * np.sqrt(1.0 - rho ** 2)


def start_premium_gap(p, z: Array) -> Array:
    """The start year's premium less its mean [points], drawn from the AR(1)'s stationary law (sd the
    ``high_tech_premium_volatility``): no source gives the start year's high-tech growth.

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        Parameter values, arrays over rows, each in its registry unit.
    z : numpy.ndarray
        Standard normals over rows.
    """
    return p["high_tech_premium_volatility"] * z


def guided_premium(q_mean: Array, q_sd: Array, guide: tuple[Array, Array], z: Array, logw: Array) -> Array:
    """A year's high-tech premium [%] drawn from its normal law times a normal guide (mean, sd [points]), the
    row weighed by the law's density over the proposal's, so weighed the draws follow the law.

    Parameters
    ----------
    q_mean, q_sd : numpy.ndarray
        The premium's mean [%] and sd [points], over rows.
    guide : tuple[numpy.ndarray, numpy.ndarray]
        The guide's mean [%] and sd [points], over rows.
    z : numpy.ndarray
        The year's standard normals of the premium.
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    guide_mean, guide_sd = guide
    var = 1.0 / (1.0 / q_sd ** 2 + 1.0 / guide_sd ** 2)
    mean = var * (q_mean / q_sd ** 2 + guide_mean / guide_sd ** 2)
    premium = mean + np.sqrt(var) * z
    logw += normal_logpdf(premium, q_mean, q_sd) - normal_logpdf(premium, mean, np.sqrt(var))
    return premium


def high_tech(p, st, z, obs, growth, logw):
    """High-tech manufacturing: a real growth premium, and a share in current prices with its own relative price.

    With last year's (current-price) share ``s`` and real premium ``q`` (fractions), the rest of above-scale
    industry grows at ``(1+g)/(1+s·q) - 1`` and high tech at ``(1+g_rest)(1+q) - 1`` (this year's real growth,
    weighted by last year's prices). The share's odds grow by ``(1+q)(1+r)``, ``r`` the relative price change
    (``high_tech_relative_price_drift``): the reported share stayed near 11 % while real high-tech growth ran near
    16 % a year. Reported high-tech growth pins the premium and a share reported with it weighs the row; a
    share reported alone pins the premium (the true share is the report plus its measurement error, drawn with
    the premium's own shock, which the year then does not need), and the premium's density times
    ``|d premium / d share|`` weighs the row: the filter's fully adapted step, every particle agreeing with
    the report.
    A reported five-year average (年均增长) weighs the five years' log growth in closed form: a year whose growth
    was reported counts with its figure and measurement error, a year without with its expectation and the
    premium's variance, so the average informs the premium's parameters without tying the weight to one path
    (the closed form ignores the AR(1)'s correlation; a window the filter steps is calibration.smc's, exact).
    The premium is an AR(1) (:func:`premium_law`): every weight and draw uses this year's law given last
    year's premium, and the year's premium less its mean is carried (``ht_premium_gap``).
    Returns (odds, growth %, the lags' and the premium gap's new values).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    z : Mapping[str, numpy.ndarray]
        This year's standard normals by shock name (:data:`SHOCKS`), arrays over rows.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    growth : numpy.ndarray
        Above-scale industrial VA growth, real [%].
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    s = st["ht_odds"] / (1.0 + st["ht_odds"])
    g = growth / 100.0
    q_mean, q_sd = premium_law(p, st)  # this year's law given last year's premium (AR(1))
    drift = 1.0 + p["high_tech_relative_price_drift"] / 100.0
    share_alone = "high_tech_share" in obs and "high_tech_mfg_va_growth" not in obs
    if share_alone:  # the share solves for the year's premium (adapted); its shock is the share's measurement
        value, err = obs["high_tech_share"]
        true = np.clip(value + err * z["high_tech"], 1e-6, 100.0 - 1e-6) / 100.0
        premium = 100.0 * (true / (1.0 - true) / (st["ht_odds"] * drift) - 1.0)
        # the premium's density times |d premium / d share| (the measurement densities cancel)
        logw += normal_logpdf(premium, q_mean, q_sd) + np.log(100.0 / (st["ht_odds"] * drift)) \
            - 2.0 * np.log1p(-true)
    if "high_tech_mfg_va_growth" in obs:
        value, err = obs["high_tech_mfg_va_growth"]
        g_ht = (value + err * z["measure"]) / 100.0
        g_rest = (1.0 + g - s * (1.0 + g_ht)) / (1.0 - s) - 1.0
        premium = 100.0 * ((1.0 + g_ht) / (1.0 + g_rest) - 1.0)
        logw += normal_logpdf(premium, q_mean, q_sd)
        log_mean = np.full_like(g, math.log1p(value / 100.0))
        log_var = np.full_like(g, (err / (100.0 + value)) ** 2)
    elif "high_tech_premium_guide" in obs and not share_alone:  # a normal guide (calibration.smc's window)
        premium = guided_premium(q_mean, q_sd, obs["high_tech_premium_guide"], z["high_tech"], logw)
    elif not share_alone:
        premium = q_mean + q_sd * z["high_tech"]
    if "high_tech_mfg_va_growth" not in obs:
        g_rest = (1.0 + g) / (1.0 + s * premium / 100.0) - 1.0
        g_ht = (1.0 + g_rest) * (1.0 + premium / 100.0) - 1.0
        log_mean = np.log1p((1.0 + g) / (1.0 + s * q_mean / 100.0) - 1.0) + np.log1p(q_mean / 100.0)
        log_var = (q_sd / (100.0 + q_mean)) ** 2
    odds = st["ht_odds"] * (1.0 + premium / 100.0) * drift
    if "high_tech_share" in obs and not share_alone:
        value, err = obs["high_tech_share"]
        logw += normal_logpdf(100.0 * odds / (1.0 + odds), value, err)
    if "high_tech_mfg_va_growth_avg5" in obs:
        value, err = obs["high_tech_mfg_va_growth_avg5"]
        total = log_mean + sum(st[k] for k in HIGH_TECH_LAGS)
        var = log_var + sum(st[k] for k in HIGH_TECH_LAG_VARS) + (5.0 * err / (100.0 + value)) ** 2
        ok = np.isfinite(total)
        logw += np.where(ok, normal_logpdf(np.where(ok, total, 0.0), 5.0 * math.log1p(value / 100.0),
                                           np.sqrt(np.where(ok, var, 1.0))), 0.0)
    lags = {HIGH_TECH_LAGS[0]: log_mean + 0.0 * g, HIGH_TECH_LAG_VARS[0]: log_var + 0.0 * g,
            "ht_premium_gap": premium - p["high_tech_growth_premium"] + 0.0 * g}
    for names in (HIGH_TECH_LAGS, HIGH_TECH_LAG_VARS):
        lags.update({names[i + 1]: st[names[i]] for i in range(len(names) - 1)})
    return odds, 100.0 * g_ht, lags


def demand_shock(p, st, year: int, k: int) -> Array:
    """Share of output lost to a scenario's demand shock this year (recovering afterwards).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    st : Mapping[str, numpy.ndarray]
        Last year's state, arrays over rows (firms, 亿元, %, as each key's unit).
    year : int
        The calendar year.
    k : int
        The year's index among the projected years.
    """
    hit = p["demand_shock_year"] == year
    carried = st["loss"] * (1.0 - p["demand_shock_recovery"]) if k else st["loss"]
    return np.where(hit, p["demand_shock_size"] / 100.0, carried)


def reported_checks(p, obs, st_before, st_new, logw):
    """Figures that no step pins but that weight the rows: the share and industry's share change.

    Industry's share of GDP is manufacturing's over ``1 - m`` (:func:`industrial_va`); its change is compared with
    the manufacturing share's change (a proxy, within 6 % of it for m up to 6 %): weighing it with ``m`` would
    use ``m`` before the record first reports industrial VA (:func:`manufacturing`).

    Parameters
    ----------
    p : Mapping[str, numpy.ndarray]
        This year's parameter values, arrays over rows (one per draw or particle), each in its registry unit.
    obs : Mapping[str, tuple[float, float]]
        This year's reported figures: indicator id to (value, measurement error), both in the indicator's unit.
    st_before : Mapping[str, numpy.ndarray]
        Last year's state.
    st_new : Mapping[str, numpy.ndarray]
        This year's state.
    logw : numpy.ndarray
        Log weights of the rows, added to in place.
    """
    share_before = 100.0 * st_before["mfg_va"] / st_before["gdp"]
    share = 100.0 * st_new["mfg_va"] / st_new["gdp"]
    if "industrial_va_share_change" in obs:  # proxy: the manufacturing share's change (m is not known then)
        value, err = obs["industrial_va_share_change"]
        logw += normal_logpdf(share - share_before, value, err)
    if "mfg_va_share_gdp" in obs:
        value, err = obs["mfg_va_share_gdp"]
        logw += normal_logpdf(share, value, err)
