"""The posterior over the whole record: a fully adapted particle filter.

Particles are joint draws of every uncertain parameter (from the registry's
triangular priors) and of the model's state. From the 2020 starting state the
filter runs the model's own yearly step (:func:`simulation.model.advance`) over
every reported year. Where a figure is reported the step solves for the shock
that reproduces it and weighs the particle by that shock's density (a fully
adapted filter: every particle agrees with the reported figure within its
measurement error). Growth reported before 2020 (and the 2016-2020 average)
weighs the particles through the cycle's AR(1) likelihood in closed form.

After each weighted year the particles are resampled (systematic) when the
effective sample size falls below half, and the static parameters are moved
by a Liu-West kernel (shrinkage 0.98), which keeps their diversity without
changing the posterior's mean and variance. A year whose figures would leave
less than half the particles' worth of weight (2024, with a dozen figures) is
tempered: its likelihood is taken in parts, each as large as keeps the ESS
at half, with a resampling and a Liu-West move between parts and the year
re-run from last year's states with the moved parameters (at most
:data:`MAX_TEMPER_STAGES` parts before the last; a year that reaches it is
flagged ``capped`` and ``growthsim calibrate`` says so). Ancestry is tracked, so
the filtered history of every final particle is its smoothed path.

Tempering cannot help a figure whose weight does not depend on anything a move
moves: a state drawn at the start and first reported years later. Xiamen's
high-tech share was such a figure (drawn from a 3-65 % prior in 2018, reported
within 0.05 point in 2022 and 2025): those years reached the limit with an ESS
of 4-12 % and 11-25 % of the particles as distinct ancestors (seeds 1-5; its
2019 was the fourth census's new GDP basis: ``calibration.fit.GDP_BASIS_BREAKS``).
So a share reported alone
is adapted like every other figure (its year's premium is solved for,
:func:`simulation.dynamics.high_tech`), and where a start share drawn from its
prior is first reported, nothing having weighed it before, each particle's
start share is drawn again to agree with the report (:func:`_pin_start_share`,
an exact importance weight: the prior's density over the Jacobian). Neither
acts on the default pack's record (its start year reports the share; 2024 reports it
with high-tech growth), whose numbers are unchanged. More parts or a
Metropolis-Hastings move were the alternatives: more parts would resample the
same few states again, and an exact move on the static parameters needs each
particle's whole path's likelihood, which the filter does not keep.

Why not ``particles``, ``pyabc`` or ``emcee``: the model already runs
vectorised over rows, and the adapted step needs the model's own equations;
a library filter would call the model one particle at a time (``particles``)
or need a summary-statistic distance that discards the adapted likelihood
(``pyabc``), and MCMC over latent yearly states (``emcee``) would mix slowly.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from growthsim.simulation import dynamics as dyn
from growthsim.simulation.indicators import indicators
from growthsim.simulation.model import (
    BASELINE_LEVERS,
    FORCEABLE,
    STATE_KEYS,
    THRESHOLD_REVENUE,
    _constants,
    advance,
    record,
    set_announced_target,
    year_shocks,
)
from growthsim.simulation.registry import parameters
from growthsim.simulation.streams import Streams, as_streams

from . import priors


class InconsistentFigures(ValueError):
    """No particle reproduces a year's reported figures: a figure far outside what the model can produce."""

    def __init__(self, year: int):
        """Name the year whose figures no particle is consistent with."""
        self.year = int(year)
        super().__init__(f"no particle is consistent with the figures reported for {year}; check the calibration "
                         f"table for a figure far outside what the model can produce")


PARTICLES = 100_000
KEEP = 20_000  # particles kept after the last year: the posterior's joint draws (equally weighted)
SHRINK = 0.9
MAX_TEMPER_STAGES = 10  # at most this many parts of a year's likelihood before the last (tempering): flagged
TEMPER_ESS = 0.5  # a tempering part is as large as keeps this share of the particles' worth of weight
# A parameter a step solves for where the record first speaks of it, carried as state from then on
# (simulation.dynamics.manufacturing): its posterior is the state's.
SOLVED = {"industry_non_mfg_share": "industry_non_mfg"}


@dataclass
class FilterResult:
    """Particles after the last reported year, with their smoothed history and diagnostics."""

    params: dict[str, np.ndarray]
    state: dict[str, np.ndarray]
    history: dict[str, np.ndarray]          # indicator -> (N, years) from the start year
    years: np.ndarray
    prior: dict[str, np.ndarray]
    ess: list[dict] = field(default_factory=list)
    log_evidence: float = 0.0


def drawn_parameters() -> list[str]:
    """The parameters the filter draws per particle: every uncertainty with a prior spread."""
    return [k for k, p in parameters().items() if p.kind == "uncertainty" and p.spread in ("calibrated", "triangular")]


def prior_draws(n: int, rng: np.random.Generator | Streams,
                values: Mapping[str, float] | None = None) -> dict[str, np.ndarray]:
    """Joint prior draws: triangular on each parameter's bounds, peaked at the pack's value; others fixed at it.

    ``values`` are the pack's parameter values (:func:`calibration.city.pack_defaults`; None: the registry's
    defaults). A lever that scales with the city and has no value yet is NaN until the start figures are known
    (:func:`scale_levers`). Each parameter draws from its own stream ``prior/<id>`` (:mod:`simulation.streams`),
    so adding a parameter leaves the others' draws as they were.

    Parameters
    ----------
    n : int
        Particles [particles].
    rng : numpy.random.Generator | Streams
        The generator or the run's named streams.
    values : Mapping[str, float] | None
        The pack's values by parameter id, each in its registry unit.
    """
    streams = as_streams(rng)
    values = values or {}
    out = {}
    for pid, p in parameters().items():
        mode = values.get(pid, p.default)
        if pid in drawn_parameters():
            out[pid] = streams.generator(f"prior/{pid}").triangular(p.lower, mode, p.upper, size=n)
        else:
            out[pid] = np.full(n, math.nan if mode is None else float(mode))
    return out


def scale_levers(params: dict[str, np.ndarray], base: Mapping[str, float | np.ndarray],
                 rates: Mapping[str, float] | None = None) -> None:
    """Give each lever that scales with the city and has no value (NaN) its rate times the start figure.

    The start figure is the median over particles of ``base``'s basis (reported, or drawn from its prior), the
    value rounded to the unit and kept within the bounds: one value for every particle, as a lever is set.

    Parameters
    ----------
    params : dict[str, numpy.ndarray]
        Parameter values per particle (changed in place).
    base : Mapping[str, float | numpy.ndarray]
        The start year's figures (``above_scale_firms`` [家], one or one per particle).
    rates : Mapping[str, float] | None
        The pack's own rates by lever id (else the registry's reference rate).
    """
    for pid, p in parameters().items():
        if p.scale is None or not np.isnan(params[pid]).all():
            continue
        at = float(np.median(np.asarray(base[p.scale.basis], dtype=float)))
        params[pid] = np.full(len(params[pid]), p.scaled(at, (rates or {}).get(pid)))


def _cycle_presample_logw(params, growth_before: dict[int, float], avg5: float | None, base_growth: float,
                          base_year: int) -> np.ndarray:
    """Log likelihood of growth up to the start year under each particle's cycle (AR(1), closed form)."""
    mu, phi = params["growth_long_run"], params["growth_persistence"]
    sigma, p, d = params["growth_shock_scale"], params["downturn_probability"], params["downturn_size"]
    var = (sigma ** 2 + d ** 2 * p * (1 - p)) / np.maximum(1 - phi ** 2, 1e-6)
    series = dict(growth_before)
    if math.isfinite(base_growth):
        series[base_year] = base_growth
    years = sorted(series)
    logw = np.zeros_like(mu)
    if len(years) >= 5 or avg5 is None:
        prev = None
        for y in years:
            c = series[y] - mu
            if prev is None or y != prev[0] + 1:
                logw += dyn.normal_logpdf(c, 0.0, np.sqrt(var))
            else:
                logw += dyn.growth_shock_logpdf(c - phi * prev[1], sigma, p, d)
            prev = (y, c)
        return logw
    # Only the five-year average (and the start year): the mean of five AR(1) years around mu.
    n = 5
    var_mean = var / n * (1 + 2 * phi / np.maximum(1 - phi, 1e-6) * (1 - (1 - phi ** n) / (n * np.maximum(1 - phi,
                                                                                                          1e-6))))
    logw += dyn.normal_logpdf(avg5 - mu, 0.0, np.sqrt(np.maximum(var_mean, 1e-6)))
    if math.isfinite(base_growth):  # the start year given the average: a rough conditional
        logw += dyn.normal_logpdf(base_growth - mu, phi * (avg5 - mu), np.sqrt(var * (1 - phi ** 2) + 1e-6))
    return logw


def _ppi_presample_logw(params, ppi_before: dict[int, float]) -> np.ndarray:
    m, phi, s = params["ppi_long_run"], params["ppi_persistence"], params["ppi_shock_scale"]
    logw = np.zeros_like(m)
    prev = None
    for y in sorted(ppi_before):
        x = ppi_before[y]
        if prev is None or y != prev[0] + 1:
            logw += dyn.normal_logpdf(x, m, s / np.sqrt(np.maximum(1 - phi ** 2, 1e-6)))
        else:
            logw += dyn.normal_logpdf(x, m + phi * (prev[1] - m), s)
        prev = (y, x)
    return logw


def _mvn_logpdf(x: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Log density of zero-mean normal vectors ``x`` (rows ``(..., k)``) with covariances ``cov`` (``(..., k, k)``)."""
    k = x.shape[-1]
    chol = np.linalg.cholesky(cov)
    white = np.linalg.solve(chol, x[..., None])[..., 0]
    logdet = 2.0 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(axis=-1)
    return -0.5 * (white ** 2).sum(axis=-1) - 0.5 * logdet - 0.5 * k * math.log(2.0 * math.pi)


def _growth_change_cov(phi: np.ndarray, s: np.ndarray, k_trend: np.ndarray, n: int) -> np.ndarray:
    """Covariance of ``n`` consecutive changes in growth outside manufacturing, less their mean ``-delta``.

    A change is ``k·v_t + (1 - k)·(a_t - 2 a_(t-1) + a_(t-2))``: the trend's part of the year's shock ``v`` and the
    level gap's second difference, the gap being ``(1 - k)·a`` with ``a_t = phi·a_(t-1) + v_t``
    (:func:`simulation.dynamics.rest_real_growth`), ``v ~ N(0, s²)``. With ``Cov(v_t, a_(t+m)) = s²·phi^m``
    (m >= 0) and ``Cov(a_t, a_(t+h)) = s²·phi^|h| / (1 - phi²)`` every entry is a finite sum.
    """
    c = (1.0, -2.0, 1.0)  # a second difference
    var_a = s ** 2 / np.maximum(1.0 - phi ** 2, 1e-6)
    gamma = lambda h: var_a * phi ** abs(h)  # noqa: E731  autocovariance of a
    cross = lambda h: s ** 2 * phi ** h if h >= 0 else 0.0 * s  # noqa: E731  Cov(v_t, a_(t+h))
    cov = np.zeros(phi.shape + (n, n))
    for i in range(n):
        for j in range(n):
            h = j - i
            gap = sum(c[a] * c[b] * gamma(h + a - b) for a in range(3) for b in range(3))
            mixed = sum(c[b] * cross(h - b) for b in range(3)) + sum(c[a] * cross(-h - a) for a in range(3))
            cov[..., i, j] = (k_trend ** 2 * s ** 2 * (h == 0) + (1.0 - k_trend) ** 2 * gap
                              + k_trend * (1.0 - k_trend) * mixed)
    return cov


def _rest_presample_logw(params, gdp_growth_before: dict[int, float]) -> np.ndarray:
    """Log likelihood of the changes in real GDP growth before the start year under each particle's rest of
    the economy (closed form; 0 with fewer than three consecutive years).

    Outside manufacturing growth is ``trend + gap_t - gap_(t-1)``, the trend falling by ``delta`` a year and
    taking a share ``k`` of each year's shock, the AR(1) level gap the rest
    (:func:`simulation.dynamics.rest_real_growth`), so a year's change in growth is ``-delta`` plus a term that
    does not depend on the trend's level: the consecutive changes are jointly normal with mean ``-delta`` and the
    covariance of :func:`_growth_change_cov`. Two approximations, both of which widen rather than narrow the
    posterior: GDP growth stands for the rest's (manufacturing, a quarter of GDP, is the more volatile part), and
    the years are taken as calm (no downturn): none of 2016-2019 was one.
    """
    run, longest = [], []
    for y in sorted(gdp_growth_before):  # the longest run of consecutive years
        run = run + [y] if run and y == run[-1] + 1 else [y]
        longest = run if len(run) > len(longest) else longest
    run = longest
    phi = params["non_mfg_growth_persistence"]
    if len(run) < 3:
        return np.zeros_like(phi)
    d = np.diff(np.array([gdp_growth_before[y] for y in run]))  # changes in growth
    s = params["non_mfg_growth_volatility"]
    k_trend = params.get("non_mfg_trend_share", np.zeros_like(phi))
    delta = params.get("non_mfg_trend_decline", np.zeros_like(phi))
    cov = _growth_change_cov(phi, s, k_trend, len(d))
    return _mvn_logpdf(d[None, :] + delta[..., None], cov)


def _deflator_presample_logw(params, years: list[tuple[int, float, float]], mfg_share: float) -> np.ndarray:
    """Log likelihood of GDP deflators before the start year under each particle's prices (closed form).

    ``years`` holds (year, deflator %, national PPI %): the deflator from two consecutive GDP levels on one
    basis and the year's real growth. The model's deflator is manufacturing's (drift + pass-through x PPI) and
    the rest's (long-run + pass-through x the PPI's departure from its long-run rate + an AR(1) core,
    :func:`simulation.dynamics.rest_prices`), weighted by manufacturing's share of GDP (``mfg_share``, a
    fraction; the start year's stands for the years before, an approximation). Manufacturing's noise is
    independent from year to year; the rest's core is stationary AR(1), so two years ``h`` apart share
    ``(1-w)²·sd²·rho^h / (1 - rho²)``; 0.05 point is added for the real growth's rounding.
    """
    w = mfg_share
    base = params["price_level_growth"]
    if not years:
        return np.zeros_like(base)
    rho = params.get("price_level_persistence", np.zeros_like(base))
    x = []
    for _, deflator, ppi in years:
        mean = (w * (params["mfg_relative_price_drift"] + params["mfg_price_ppi_passthrough"] * ppi)
                + (1 - w) * (base + params["rest_price_ppi_passthrough"] * (ppi - params["ppi_long_run"])))
        x.append(deflator - mean)
    x = np.stack(x, axis=-1)
    n = len(years)
    var_core = (1 - w) ** 2 * params["price_level_volatility"] ** 2 / np.maximum(1.0 - rho ** 2, 1e-6)
    own = (w * params["mfg_price_volatility"]) ** 2 + 0.05 ** 2
    cov = np.zeros(base.shape + (n, n))
    for i in range(n):
        for j in range(n):
            h = abs(years[j][0] - years[i][0])
            cov_core = var_core * rho ** h
            cov[..., i, j] = cov_core + (own if i == j else 0.0)
    return _mvn_logpdf(x, cov)


def initial_state(base: dict[str, float], params: dict[str, np.ndarray], ppi_start: float | None,
                  start_year: int = dyn.TREND_YEAR) -> dict:
    """The start year's state of every particle from the reported base figures.

    Parameters
    ----------
    base : dict[str, float]
        The start year's reported figures by indicator id, each in its unit (firms, 亿元, %).
    params : dict[str, numpy.ndarray]
        Parameter values per particle, each in its registry unit.
    ppi_start : float | None
        Producer-price growth of the start year [%], or None: its long-run rate.
    start_year : int
        The year the filter starts from (calendar year).
    """
    n = len(params["growth_long_run"])
    # a reported figure is one value for every particle; a figure with a prior (calibration.priors) one each
    col = lambda v: np.full(n, float(v)) if np.ndim(v) == 0 else np.array(v, dtype=float)  # noqa: E731
    mfg_va = base["gdp"] * base["mfg_va_share_gdp"] / 100.0
    tr_share = params["tech_renovation_share_base"]
    g0 = base["above_scale_va_growth"]
    dep, g_def = params["renovation_depreciation"], params["tech_renovation_investment_growth"] / 100
    stock0 = tr_share / (dep + g_def)  # the steady-state stock of a renovation index growing at the default
    w = mfg_va / base["gdp"]
    trend = params["non_mfg_gdp_real_growth"] - params["non_mfg_trend_decline"] * (start_year - dyn.TREND_YEAR)
    rest_growth = (base["gdp_real_growth"] - w * g0) / (1 - w) if math.isfinite(base.get("gdp_real_growth", math.nan)) \
        else trend
    ht = base["high_tech_share"] / 100.0
    return {
        "firms": col(base["above_scale_firms"]), "output": col(base["revenue"]), "cycle": g0
            - params["growth_long_run"],
        "growth": col(g0), "key_share": params["key_firm_base_share"] / 100.0, "renovation": tr_share.copy(),
        "renovation_norm": tr_share.copy(), "renovation_stock": stock0, "renovation_stock_norm": stock0.copy(),
        "other_investment": 100.0 - tr_share, "mfg_va": col(mfg_va), "rest_nominal": col(base["gdp"] - mfg_va),
        # the mining and utilities share: its prior draw until the record first reports industrial VA
        "industry_non_mfg": params["industry_non_mfg_share"].copy(), "industry_share_known": col(0.0),
        "rest_growth": col(rest_growth) if np.isscalar(rest_growth) else rest_growth.copy(),
        # the base year's deviation from its trend is its level gap (假设 assumption: the year before was on the
        # trend path), and its prices outside manufacturing are on their mean (a core of 0)
        "rest_trend_shift": col(0.0),
        "rest_gap": (col(rest_growth) if np.isscalar(rest_growth) else rest_growth) - trend,
        "rest_price_core": col(0.0),
        "gdp": col(base["gdp"]), "gdp_growth": col(base.get("gdp_real_growth", math.nan)),
        "ppi": col(ppi_start) if ppi_start is not None else params["ppi_long_run"].copy(),
        "sec_ratio": col(base["secondary_industry_va"] / mfg_va), "va_ratio": col(mfg_va / base["revenue"]),
        "revenue": col(base["revenue"]), "margin": col(100.0 * base["profit"] / base["revenue"]),
        "ht_odds": col(ht / (1 - ht)), "ht_growth": col(math.nan),
        **{k: col(math.nan) for k in (*dyn.HIGH_TECH_LAGS, *dyn.HIGH_TECH_LAG_VARS)},
        "ht_premium_gap": col(0.0),  # the stationary draw is _start's (it has the streams)
        "loss": col(0.0),
        "entries": col(params["incremental_projects"]),
        "project_carry": params["project_full_capacity_output"] * (1 - params["project_first_year_ramp"])
        * params["incremental_projects"],
        "entries_baseline": col(params["incremental_projects"]),
        "upgrades": col(math.nan), "tr_growth": col(math.nan), "mfg_growth": col(g0),
    }


def _scaled_weights(logw: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Weights ``exp(logw - top)`` (0 where ``logw`` is not finite) and ``top``, the largest finite log weight;
    None when no particle has a finite weight."""
    finite = np.isfinite(logw)
    if finite.all():  # the usual case, without the masked copies (the same numbers)
        top = logw.max()
        return np.exp(logw - top), top
    if not finite.any():
        return None
    top = logw[finite].max()
    return np.where(finite, np.exp(logw - top), 0.0), top


def _systematic(w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(w)
    positions = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(np.cumsum(w), positions), n - 1)


class _Movers:
    """The Liu-West moves' noise: one generator per parameter (stream ``move/<id>``), kept for the whole run.

    The noise depends on nothing but the streams, so with ``threads`` (a spare core: :func:`_spare_core`) the next
    move's noise is drawn ahead on the noise threads (:meth:`draw_ahead`) while the model re-runs the year; if the
    next move's parameters are not the ones drawn ahead, the generators are put back where they were and drawn
    again. Without, each move draws its noise when it asks, in this thread. The numbers are the same every way.
    """

    def __init__(self, streams: Streams, threads: bool = False):
        """No generator is made and nothing drawn until a move asks."""
        self.streams, self.threads = streams, threads
        self.generators: dict[str, np.random.Generator] = {}
        self.ahead: tuple[tuple[tuple[str, ...], int], dict, list] | None = None

    def generator(self, pid: str) -> np.random.Generator:
        """The generator of ``move/<pid>``, made on first use (in the calling thread)."""
        if pid not in self.generators:
            self.generators[pid] = self.streams.generator(f"move/{pid}")
        return self.generators[pid]

    def noise(self, pids: list[str], n: int) -> list[np.ndarray]:
        """``n`` standard normals for each parameter in ``pids``, each the next ``n`` numbers of its own stream.

        The streams are independent and each is drawn once, so drawing them on several threads (numpy releases
        the GIL while it fills an array) gives the same numbers as one after another.
        """
        ahead, self.ahead = self.ahead, None
        if ahead is not None:
            key, states, futures = ahead
            drawn = [f.result() for f in futures]
            if key == (tuple(pids), n):
                return drawn
            for pid, state in states.items():  # not the parameters drawn ahead: undo the draws
                self.generators[pid].bit_generator.state = state
        gens = [self.generator(pid) for pid in pids]
        drawing = _noise_pool().map if self.threads else map
        return list(drawing(lambda g: g.standard_normal(n), gens))

    def draw_ahead(self, pids: list[str], n: int) -> None:
        """Start drawing the next move's noise for ``pids`` on the noise threads (taken by :meth:`noise`); nothing
        without ``threads``."""
        if not self.threads:
            return
        gens = [self.generator(pid) for pid in pids]
        states = {pid: g.bit_generator.state for pid, g in zip(pids, gens, strict=True)}
        self.ahead = ((tuple(pids), n), states, [_noise_pool().submit(g.standard_normal, n) for g in gens])


def _spare_core() -> bool:
    """Whether a core is idle (the 1-minute load average below the cores less one): only then do threads for the
    noise pay. On a machine others keep busy they slowed the filter: Xiamen's calibration at load 8-14, in turns
    in one process, median 23.5 s with the noise drawn ahead on two threads against 16.5 s drawn when asked, and
    (a later run) 9.5 s drawn when asked on two threads against 8.3 s in this one, at about the same CPU time.
    """
    try:
        return os.getloadavg()[0] < (os.cpu_count() or 1) - 1
    except OSError:  # no load average on this platform
        return False


@functools.cache
def _noise_pool() -> ThreadPoolExecutor:
    """Threads for the Liu-West noise (made on first use: nothing starts at import)."""
    return ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="liu-west")


def _spreads(params: Mapping[str, np.ndarray]) -> list[tuple[str, float, float]]:
    """(id, mean, sd) of each drawn parameter with a spread across the particles: the ones a move moves."""
    out = []
    for pid in drawn_parameters():
        x = params[pid]
        mean = float(x.mean())
        sd = math.sqrt(max(float(np.square(x).mean()) - mean * mean, 0.0))  # (BLAS dot contends for cores)
        if sd > 0:  # a parameter with no spread is not moved, and its stream not drawn
            out.append((pid, mean, sd))
    return out


def _liu_west(params: dict[str, np.ndarray], movers: _Movers, ahead: bool = True) -> None:
    """Move the drawn parameters by a Liu-West kernel: shrink toward the mean, add noise, keep mean and variance.

    With ``ahead`` the next move's noise is drawn ahead for the parameters moved now (:meth:`_Movers.draw_ahead`).
    """
    reg = parameters()
    a, b = SHRINK, math.sqrt(1 - SHRINK ** 2)
    moving = _spreads(params)
    pids = [m[0] for m in moving]
    n = len(params[pids[0]]) if pids else 0
    noise = movers.noise(pids, n) if pids else []
    if ahead and pids:
        movers.draw_ahead(pids, n)
    for (pid, mean, sd), moved in zip(moving, noise, strict=True):
        shrunk = np.multiply(params[pid], a)  # a x + (1 - a) mean + b sd noise, in the order it always had
        shrunk += (1 - a) * mean
        moved *= b * sd
        moved += shrunk
        p = reg[pid]
        params[pid] = np.minimum(np.maximum(moved, p.lower, out=moved), p.upper, out=moved)


def _ess(logw: np.ndarray) -> float:
    """Effective sample size of log weights (0 when none is finite)."""
    scaled = _scaled_weights(logw)
    if scaled is None:
        return 0.0
    w = scaled[0]
    return float(w.sum() ** 2 / np.square(w).sum())


def _temper_share(logw: np.ndarray, step_logw: np.ndarray, remaining: float, target: float) -> float:
    """The share of a likelihood (at most ``remaining``) whose weights keep an ESS of ``target``.

    Bisection: the ESS falls as more of the likelihood is taken; 16 halvings place the share within
    1/65,536 of the remainder, far finer than the ESS criterion needs.
    """
    if _ess(logw + remaining * step_logw) >= target:
        return remaining
    lo, hi = 0.0, remaining
    for _ in range(16):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _ess(logw + mid * step_logw) >= target else (lo, mid)
    return max(lo, remaining * 1e-3)


class _ParticleFilter:
    """The filter's particles, their weights and smoothed history, advanced by small named steps.

    ``params`` holds every parameter per particle (the undrawn ones constant, never resampled); ``state`` the
    model's state; the history is kept per year as computed, with each year's ancestry (``ancestry[t][i]``: the
    row of year ``t``'s arrays that particle ``i`` descends from), so a resampling moves one index array per
    year rather than every recorded indicator.
    """

    def __init__(self, n: int, streams: Streams, values: Mapping[str, float] | None = None, threads: bool = False):
        self.n, self.streams = n, streams
        self.params, self.values = prior_draws(n, streams, values), dict(values or {})
        self.drawn = drawn_parameters()
        self.prior = {k: self.params[k].copy() for k in self.drawn}
        self.movers, self.resampler = _Movers(streams, threads), streams.generator("resample")
        self.movers.draw_ahead([m[0] for m in _spreads(self.params)], n)  # the first move's, during the start
        self.state: dict[str, np.ndarray] = {}
        self.years_values: list[dict[str, np.ndarray]] = []
        self.ancestry: list[np.ndarray] = []
        self.diagnostics: list[dict] = []
        self.log_evidence = 0.0
        # the start's high-tech share was drawn from its prior and no high-tech figure has weighed it yet
        self.share_free = False
        self.capped = False  # the last tempered likelihood reached MAX_TEMPER_STAGES parts with more to take

    def record(self, values: Mapping[str, np.ndarray]) -> None:
        """Keep one year's indicators, in the particles' present order."""
        self.years_values.append({k: values[k] for k in indicators()})
        self.ancestry.append(np.arange(self.n))

    def resample(self, logw: np.ndarray, year: int, force: bool = False, stage: bool = False,
                 last: bool = False) -> np.ndarray:
        """Normalise the weights, resample (systematic) and move the parameters when the ESS falls below half
        (or ``force``); returns the log weights carried on. A tempering ``stage`` is not the year's own row; after
        the ``last`` move no noise is drawn ahead."""
        scaled = _scaled_weights(logw)
        if scaled is None:
            raise InconsistentFigures(year)
        w, top = scaled
        self.log_evidence += float(top + np.log(w.mean()))
        w /= w.sum()
        ess = float(1.0 / np.square(w).sum())
        row = {"year": year, "ess": ess, "resampled": False}
        if force or ess < self.n / 2:
            idx = _systematic(w, self.resampler)
            self.state = {k: v[idx] for k, v in self.state.items()}
            self.params.update({k: self.params[k][idx] for k in self.drawn})
            self.ancestry = [a[idx] for a in self.ancestry]
            _liu_west(self.params, self.movers, ahead=not last)
            row["resampled"] = True
            logw = np.zeros(self.n)
        else:
            logw = np.log(np.maximum(w, 1e-300)) + math.log(self.n)
        if not stage:  # a tempering stage's resampling is not the year's own row
            if self.state:
                row["unique"] = int(len(np.unique(self.state["cycle"])))
            self.diagnostics.append(row)
        return logw

    def temper(self, logw: np.ndarray, likelihood, year: int) -> tuple[np.ndarray, object, float, int]:
        """Take a likelihood in parts that keep the ESS at half, resampling and moving between parts.

        ``likelihood()`` returns ``(extra, step_logw)`` under the present parameters and states (re-run after
        each move). Returns the log weights before the last part, the last ``extra``, the share of the
        likelihood left for the last part, and the number of parts before it.
        """
        remaining, stages = 1.0, 0
        extra, step_logw = likelihood()
        self.capped = False
        while True:
            beta = _temper_share(logw, step_logw, remaining, self.n * TEMPER_ESS)
            if beta >= remaining:
                break
            if stages == MAX_TEMPER_STAGES:  # the rest in one part: the year's ESS falls below half
                self.capped = True
                break
            logw = self.resample(logw + beta * step_logw, year, force=True, stage=True)
            remaining -= beta
            stages += 1
            extra, step_logw = likelihood()
        return logw + remaining * step_logw, extra, remaining, stages

    def rescale_share_history(self, scale: np.ndarray) -> None:
        """Multiply every recorded year's high-tech odds by ``scale`` (one factor per present particle) and
        recompute the high-tech growth each year's new share implies (:func:`_pin_start_share`).

        Each year's row is first put in the particles' present order (the ancestry of that year becomes the
        identity), as the factor is each present particle's own.
        """
        share_before = share_after = None
        for t, (values, rows) in enumerate(zip(self.years_values, self.ancestry, strict=True)):
            values = {key: v[rows] for key, v in values.items()}
            old = values["high_tech_share"] / 100.0
            odds = old / (1.0 - old) * scale
            new = odds / (1.0 + odds)
            if share_before is not None:
                values["high_tech_mfg_va_growth"] = _high_tech_growth_again(
                    values["above_scale_va_growth"], values["high_tech_mfg_va_growth"], share_before, share_after)
            values["high_tech_share"] = 100.0 * new
            self.years_values[t], self.ancestry[t] = values, np.arange(self.n)
            share_before, share_after = old, new

    def smoothed(self, keep: np.ndarray) -> dict[str, np.ndarray]:
        """Each indicator's smoothed history of the kept particles: ``(len(keep), years)``."""
        return {key: np.stack([v[key][a[keep]] for v, a in zip(self.years_values, self.ancestry, strict=True)],
                              axis=1) for key in indicators()}


def _triangular_logpdf(x: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """Log density of a triangular distribution on ``[low, high]`` peaked at ``mode`` (-inf outside)."""
    rising = 2.0 * (x - low) / ((high - low) * (mode - low))
    falling = 2.0 * (high - x) / ((high - low) * (high - mode))
    density = np.where(x < mode, rising, falling)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((x > low) & (x < high), np.log(np.maximum(density, 1e-300)), -np.inf)


def _high_tech_growth_again(growth: np.ndarray, high_tech_growth: np.ndarray, share_before: np.ndarray,
                            share_after: np.ndarray) -> np.ndarray:
    """A year's high-tech growth [%] again with last year's share changed from ``share_before`` to
    ``share_after`` (fractions), the year's real premium and above-scale growth [%] unchanged.

    :func:`simulation.dynamics.high_tech` gives ``1 + g_ht = (1 + g)(1 + q) / (1 + s·q)``; the premium ``q``
    follows from the old share and growth, and the new growth from ``q`` and the new share.
    """
    g, g_ht = growth / 100.0, high_tech_growth / 100.0
    premium = (g_ht - g) / ((1.0 + g) - share_before * (1.0 + g_ht))
    return 100.0 * ((1.0 + g) * (1.0 + premium) / (1.0 + share_after * premium) - 1.0)


def _pin_start_share(pf: _ParticleFilter, p: Mapping[str, np.ndarray], z, obs, st_after: dict, values: dict,
                     noise: np.ndarray, step_logw: np.ndarray) -> np.ndarray:
    """Where the record first reports the high-tech share of a start year that did not, draw the start share
    again so that every particle agrees with the report; returns each particle's factor on its odds.

    Nothing but the high-tech block reads the share, and no figure has weighed it since the start
    (``pf.share_free``), so each particle's start share can be drawn afresh: the year's true share is the
    report plus its measurement error (``noise``), the odds of every year so far are scaled by one factor
    (the year's premium and relative price unchanged), and the particle is weighed by the start share's prior
    density over the Jacobian ``ds_t/ds_0 = s_t(1 - s_t) / (s_0(1 - s_0))``: an exact importance weight, the
    measurement densities cancelling, as in the fully adapted steps. Weighing the prior's draws by the report
    instead (a share known within 0.05 point against a prior of 3-65 %) left a few hundred particles.
    """
    value, err = obs["high_tech_share"]
    true = np.clip(value + err * noise, 1e-6, 100.0 - 1e-6) / 100.0
    scale = true / (1.0 - true) / st_after["ht_odds"]
    last = dict(pf.state, ht_odds=pf.state["ht_odds"] * scale)
    others = {k: v for k, v in obs.items() if k != "high_tech_share"}
    odds, g_ht, lags = dyn.high_tech(p, last, z, others, st_after["growth"], np.zeros(pf.n))
    st_after.update(ht_odds=odds, ht_growth=g_ht, **lags)
    values["high_tech_share"], values["high_tech_mfg_va_growth"] = 100.0 * odds / (1.0 + odds), g_ht
    start = pf.years_values[0]["high_tech_share"][pf.ancestry[0]] / 100.0
    start_odds = start / (1.0 - start) * scale
    s0 = start_odds / (1.0 + start_odds)
    prior = next(r for r in priors.BASE_PRIORS if r.figure == "high_tech_share")
    step_logw += (_triangular_logpdf(100.0 * s0, prior.low, prior.mode, prior.high)
                  + np.log(s0 * (1.0 - s0)) - np.log(true * (1.0 - true)))
    return scale


def _presample_logw(params, base: dict[str, float], presample: dict, start_year: int) -> np.ndarray:
    """The closed-form likelihood of everything reported before the start year (growth, PPI, GDP, deflators)."""
    logw = _cycle_presample_logw(params, presample.get("growth", {}), presample.get("avg5"),
                                 base["above_scale_va_growth"], start_year)
    logw += _ppi_presample_logw(params, presample.get("ppi", {}))
    logw += _rest_presample_logw(params, presample.get("gdp_growth", {}))
    logw += _deflator_presample_logw(params, presample.get("deflators", []), base["mfg_va_share_gdp"] / 100.0)
    return logw


def _start(pf: _ParticleFilter, base: dict[str, float], presample: dict, start_year: int,
           rates: Mapping[str, float] | None = None) -> np.ndarray:
    """Weigh the prior by the pre-sample likelihood (tempered, as a crowded year) and set the start state."""
    ppi_start = presample.get("ppi", {}).get(start_year)

    central = priors.central_base(base, pf.values.get("industry_non_mfg_share"))

    def likelihood():
        return None, _presample_logw(pf.params, central, presample, start_year)

    logw, _, _, stages = pf.temper(np.zeros(pf.n), likelihood, start_year)
    pf.share_free = not math.isfinite(base.get("high_tech_share", math.nan))
    if priors.needs_priors(base):  # base figures the start year does not report: drawn per particle
        base = priors.draw_base(base, pf.params, pf.streams, pf.n)
    scale_levers(pf.params, base, rates)
    pf.state = initial_state(base, pf.params, ppi_start, start_year)
    pf.state["ht_premium_gap"] = dyn.start_premium_gap(
        pf.params, pf.streams.generator("base_prior/high_tech_premium_gap").standard_normal(pf.n))
    pf.record(record(dict(pf.state, _investment_growth=np.full(pf.n, np.nan)), pf.state["upgrades"],
                     pf.state["entries"], np.full(pf.n, np.nan), np.full(pf.n, np.nan), pf.state["tr_growth"]))
    capped = pf.capped
    logw = pf.resample(logw, start_year)
    pf.diagnostics[-1].update(stages=stages + 1, capped=capped)
    return logw


def baselines(params: Mapping[str, np.ndarray], values: Mapping[str, float] | None = None) -> dict[str, float]:
    """The pack's values the equations read (:data:`simulation.model.BASELINE_LEVERS`): a set lever's value in
    ``params`` (one for every particle, scaled where the pack gives none) or a drawn parameter's prior mode
    (``values``, the pack's, else the registry's default)."""
    drawn, out = drawn_parameters(), {}
    for pid in BASELINE_LEVERS:
        mode = (values or {}).get(pid, parameters()[pid].default)
        out[pid] = float(mode) if pid in drawn else float(params[pid][0])
    return out


def _year_inputs(year: int, observations, forced, n: int) -> tuple[dict, dict]:
    """The year's observations (with imposed flows as exact figures) and the parameters a report fixes."""
    obs = dict(observations.get(year, {}))
    fixed = {}
    for name, value in forced.get(year, {}).items():
        if name == "key_firm_growth":
            fixed["key_firm_growth"] = np.full(n, value)
        else:
            obs[name] = (value, 0.0)
    return obs, fixed


AVERAGE = "high_tech_mfg_va_growth_avg5"
# the state keys of the high-tech window's twist: the realised log growth so far and last year's log psi
WINDOW_KEYS = ("ht_window_log", "ht_window_psi")


@dataclass(frozen=True)
class HighTechWindow:
    """A reported five-year average of high-tech growth (年均增长), weighed on each particle's own path.

    The exact weight of the average is its density at the particle's realised five years, known only in the
    last year; weighed then, the draws of the years without high-tech growth are fixed in lineages the earlier
    resamplings have thinned, and few agree with the average. So the filter is twisted (a look-ahead
    function psi): in each year of the window the particle is weighed by psi_t / psi_(t-1), psi_t the average's
    density given the realised years so far and the expected rest, and in the last year psi is the exact
    density, so the product of the factors is the exact weight (it telescopes; the evidence stays unbiased).
    Each year's draw is pulled toward what the average needs given the years still to come.
    """

    year: int      # the year that reports the average (the window's last)
    value: float   # the average [%]
    error: float   # its measurement error [points]
    # per window year after the first: (log growth, its variance) of a reported year, or (nan, above-scale
    # growth reported that year [%] or nan) of a year without high-tech growth
    ahead: dict[int, tuple[float, float]]

    def first(self) -> int:
        """The window's first year."""
        return self.year - 4

    def log_total(self) -> float:
        """The five years' log growth the average states."""
        return 5.0 * math.log1p(self.value / 100.0)


def high_tech_window(observations: Mapping[int, Mapping[str, tuple[float, float]]], start_year: int):
    """The window of a reported five-year average of high-tech growth whose years the filter all steps
    (None: no average, or one whose window starts at or before the start year, weighed in closed form by
    :func:`simulation.dynamics.high_tech`)."""
    year = next((y for y, o in observations.items() if AVERAGE in o), None)
    if year is None or year - 4 <= start_year:
        return None
    ahead = {}
    for u in range(year - 3, year + 1):
        o = observations.get(u, {})
        if "high_tech_mfg_va_growth" in o:
            v, e = o["high_tech_mfg_va_growth"]
            ahead[u] = (math.log1p(v / 100.0), (e / (100.0 + v)) ** 2)
        else:
            ahead[u] = (math.nan, o.get("above_scale_va_growth", (math.nan, 0.0))[0])
    value, error = observations[year][AVERAGE]
    return HighTechWindow(year, value, error, ahead)


def _window_twist(window: HighTechWindow, year: int, p, st_before: Mapping[str, np.ndarray],
                  st_after: dict, values: Mapping[str, np.ndarray], step_logw: np.ndarray) -> None:
    """Add this year's factor psi_t / psi_(t-1) of the high-tech window's twist (:class:`HighTechWindow`) to
    ``step_logw`` and keep the realised log growth and log psi_t in ``st_after``.

    A later year reported counts with its figure's log and measurement variance; one without high-tech growth
    with the premium's expectation over that year's reported above-scale growth (else the long-run rate) and
    the premium's variance (a guide only: the last year's psi is exact whatever the guide).
    """
    first = year == window.first()
    realised = (0.0 if first else st_before[WINDOW_KEYS[0]]) + np.log1p(values["high_tech_mfg_va_growth"] / 100.0)
    share = st_after["ht_odds"] / (1.0 + st_after["ht_odds"])
    mean, var = _window_rest(window, year, p, share, st_after["ht_premium_gap"])
    psi = dyn.normal_logpdf(realised + mean, window.log_total(), np.sqrt(var))
    step_logw += psi - (0.0 if first else st_before[WINDOW_KEYS[1]])
    st_after[WINDOW_KEYS[0]], st_after[WINDOW_KEYS[1]] = realised, psi


def _window_rest(window: HighTechWindow, year: int, p, share: np.ndarray,
                 gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The window's log growth after ``year`` as the guide expects it, (mean, variance) over rows, the variance
    with the average's own measurement error: a later year reported with its figure's log and measurement
    variance, one without high-tech growth with the premium's expectation ``h`` years on from ``year``'s gap
    [points] (the AR(1): mean + rho^h·gap) over that year's reported above-scale growth (else the long-run rate)
    and the premium's variance at that horizon (vol²·(1 - rho^(2h)); the years' covariance left out: a guide)."""
    q_long, vol = p["high_tech_growth_premium"], p["high_tech_premium_volatility"]
    rho = p["high_tech_premium_persistence"]
    mean, var = np.zeros_like(share), np.full_like(share, (5.0 * window.error / (100.0 + window.value)) ** 2)
    for u in range(year + 1, window.year + 1):
        log_growth, second = window.ahead[u]
        if math.isfinite(log_growth):
            mean, var = mean + log_growth, var + second
            continue
        growth = second if math.isfinite(second) else p["growth_long_run"]
        q_mean = q_long + rho ** (u - year) * gap
        q_sd = vol * np.sqrt(1.0 - rho ** (2 * (u - year)))
        mean = mean + np.log1p(growth / 100.0) + np.log1p(q_mean / 100.0) - np.log1p(share * q_mean / 100.0)
        var = var + (q_sd / (100.0 + q_mean)) ** 2
    return mean, var


def _premium_guide(window: HighTechWindow, year: int, p, st_before: Mapping[str, np.ndarray],
                   growth: float) -> tuple[np.ndarray, np.ndarray]:
    """A normal guide for the premium [%] of a window year without high-tech growth: what the average needs of
    this year given the realised years and the rest's expectation, through the year's log growth linearised
    in the premium at this year's expected premium (slope ``1/(100+q) - s/(100+s·q)``). Only a proposal: the
    draw is weighed by the premium's density over the proposal's (:func:`simulation.dynamics.high_tech`) and
    by psi."""
    q_mean, _ = dyn.premium_law(p, st_before)
    share = st_before["ht_odds"] / (1.0 + st_before["ht_odds"])
    done = 0.0 if year == window.first() else st_before[WINDOW_KEYS[0]]
    mean, var = _window_rest(window, year, p, share, q_mean - p["high_tech_growth_premium"])
    at_mean = math.log1p(growth / 100.0) + np.log1p(q_mean / 100.0) - np.log1p(share * q_mean / 100.0)
    slope = 1.0 / (100.0 + q_mean) - share / (100.0 + share * q_mean)
    needed = window.log_total() - done - mean
    return q_mean + (needed - at_mean) / slope, np.sqrt(var) / slope


def _filter_year(pf: _ParticleFilter, logw: np.ndarray, year: int, k: int, z, obs, fixed, constants,
                 announced, last_year: int, window: HighTechWindow | None = None) -> np.ndarray:
    """One reported year: run the model's step from last year's states (re-run after every tempering move),
    weigh it, keep its indicators and resample."""
    pin = pf.share_free and "high_tech_share" in obs and not any(
        key.startswith("high_tech") for key in obs if key != "high_tech_share")
    noise = pf.streams.generator(f"share_measure/{year}").standard_normal(pf.n) if pin else None
    run_obs = {key: v for key, v in obs.items() if key != "high_tech_share"} if pin else obs
    twisted = window is not None and window.first() <= year <= window.year
    if window is not None:  # the average is the twist's (its last psi), not the closed form's
        run_obs = {key: v for key, v in run_obs.items() if key != AVERAGE}
    guided = twisted and "high_tech_mfg_va_growth" not in obs and "above_scale_va_growth" in obs

    def likelihood():
        p = dict(pf.params)
        p.update(constants)
        p.update(fixed)
        set_announced_target(p, announced, year)
        step_logw = np.zeros(pf.n)
        year_obs = run_obs if not guided else {
            **run_obs, "high_tech_premium_guide": _premium_guide(window, year, p, pf.state,
                                                                 obs["above_scale_va_growth"][0])}
        st_after, values = advance(pf.state, p, year, k, z, year_obs, step_logw, None, p["incremental_projects"])
        scale = _pin_start_share(pf, p, z, obs, st_after, values, noise, step_logw) if pin else None
        if twisted:
            _window_twist(window, year, p, pf.state, st_after, values, step_logw)
        return (st_after, values, scale), step_logw

    logw, (st_after, values, scale), _, stages = pf.temper(logw, likelihood, year)
    if pin:
        pf.rescale_share_history(scale)
    pf.share_free = pf.share_free and not any(key.startswith("high_tech") for key in obs)
    pf.state = st_after
    pf.record(values)
    logw = pf.resample(logw, year, force=(year == last_year), last=(year == last_year))
    pf.diagnostics[-1].update(stages=stages + 1, capped=pf.capped)
    return logw


def run_filter(base: dict[str, float], observations: dict[int, dict[str, tuple[float, float]]],
               forced: dict[int, dict[str, float]], presample: dict, start_year: int, last_year: int,
               rng: np.random.Generator, n: int = PARTICLES,
               announced: Mapping[int, tuple[float, bool]] | None = None,
               values: Mapping[str, float] | None = None, rates: Mapping[str, float] | None = None) -> FilterResult:
    """Filter from ``start_year`` (the reported base) through ``last_year``.

    ``announced`` maps a year to its announced above-scale growth target (value %, whether a floor), which
    pulls that year's expected growth (:func:`simulation.dynamics.target_pull`). Every random quantity has a
    stream of its own (:mod:`simulation.streams`).

    Parameters
    ----------
    base : dict[str, float]
        The start year's reported figures by indicator id, each in its unit (firms, 亿元, %).
    observations : dict[int, dict[str, tuple[float, float]]]
        Reported figures by year: indicator id to (value, measurement error), both in its unit.
    forced : dict[int, dict[str, float]]
        Reported flows imposed by year: indicator id to value in its unit.
    presample : dict
        The prior draws per parameter (registry units), drawn before the filter.
    start_year : int
        The year the filter starts from (calendar year).
    last_year : int
        The last year filtered (calendar year).
    rng : np.random.Generator
        The random generator; each random quantity comes from a named stream of it (:mod:`simulation.streams`).
    n : int
        Particles [particles].
    announced : Mapping[int, tuple[float, bool]] | None
        Announced above-scale growth targets by year: (target [%], whether a floor 以上), or None.
    values : Mapping[str, float] | None
        The pack's parameter values (prior modes, fixed values; :func:`calibration.city.pack_defaults`), or None:
        the registry's defaults.
    rates : Mapping[str, float] | None
        The pack's own rates of the levers that scale with the city (:func:`scale_levers`).
    """
    announced = announced or {}
    streams = as_streams(rng)
    years = np.arange(start_year + 1, last_year + 1)
    threads = _spare_core()
    drawing = _noise_pool().submit(year_shocks, streams, len(years), n, True) if threads else None  # meanwhile
    pf = _ParticleFilter(n, streams, values, threads)
    logw = _start(pf, base, presample, start_year, rates)
    # a five-year average of high-tech growth reads the lags of every year's share: no fresh start share then
    pf.share_free = pf.share_free and not any("high_tech_mfg_va_growth_avg5" in o for o in observations.values())
    constants = _constants(base["revenue"], baselines(pf.params, pf.values))
    shocks = drawing.result() if drawing else year_shocks(streams, len(years), n, True)
    window = high_tech_window({y: o for y, o in observations.items() if y <= last_year}, start_year)
    for k, year in enumerate(years):
        obs, fixed = _year_inputs(int(year), observations, forced, n)
        z = dict(zip(dyn.SHOCKS, shocks[k], strict=True))
        logw = _filter_year(pf, logw, int(year), k, z, obs, fixed, constants, announced, last_year, window)
    if not len(years):
        pf.resample(logw, start_year, force=True, last=True)
    keep = np.sort(streams.generator("keep").choice(n, size=min(KEEP, n), replace=False))  # equally weighted now
    for pid, key in SOLVED.items():  # parameters the record solves for in a year (the state holds them)
        pf.params[pid] = pf.state[key]
    return FilterResult(params={k: v[keep] for k, v in pf.params.items()},
                        state={k: v[keep] for k, v in pf.state.items()}, history=pf.smoothed(keep),
                        years=np.arange(start_year, last_year + 1), prior=pf.prior, ess=pf.diagnostics,
                        log_evidence=pf.log_evidence)


# A posterior standard deviation below this share of the prior's: the data narrowed the parameter.
NARROWED_RATIO = 0.8


def parameter_table(result: FilterResult) -> pd.DataFrame:
    """Prior and posterior of every drawn parameter, side by side.

    ``learned``: declared to be calibrated on the record (registry spread "calibrated"); ``narrowed``: the data
    did narrow it (posterior sd below ``NARROWED_RATIO`` of the prior's).
    """
    reg = parameters()
    rows = []
    for pid in drawn_parameters():
        pr, po = result.prior[pid], result.params[pid]
        p = reg[pid]
        rows.append({
            "parameter": pid, "label_zh": p.label_zh, "label_en": p.label_en, "unit": p.unit,
            "prior_mean": float(pr.mean()), "prior_p05": float(np.percentile(pr, 5)),
            "prior_p95": float(np.percentile(pr, 95)),
            "posterior_mean": float(po.mean()), "posterior_sd": float(po.std()),
            "posterior_p05": float(np.percentile(po, 5)), "posterior_p95": float(np.percentile(po, 95)),
            "sd_ratio": float(po.std() / pr.std()) if pr.std() > 0 else math.nan,
            "learned": p.spread == "calibrated",
            "narrowed": bool(pr.std() > 0 and po.std() / pr.std() < NARROWED_RATIO),
        })
    return pd.DataFrame(rows)


THRESHOLD = THRESHOLD_REVENUE
__all__ = ["FilterResult", "run_filter", "parameter_table", "prior_draws", "drawn_parameters", "PARTICLES",
           "STATE_KEYS", "FORCEABLE"]
