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
:data:`MAX_TEMPER_STAGES` parts before the last). Ancestry is tracked, so the
filtered history of every final particle is its smoothed path.

Why not ``particles``, ``pyabc`` or ``emcee``: the model already runs
vectorised over rows, and the adapted step needs the model's own equations;
a library filter would call the model one particle at a time (``particles``)
or need a summary-statistic distance that discards the adapted likelihood
(``pyabc``), and MCMC over latent yearly states (``emcee``) would mix slowly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from growthsim.simulation import dynamics as dyn
from growthsim.simulation.indicators import indicators
from growthsim.simulation.model import (
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


class InconsistentFigures(ValueError):
    """No particle reproduces a year's reported figures: a figure far outside what the model can produce."""

    def __init__(self, year: int):
        """Name the year whose figures no particle is consistent with."""
        self.year = int(year)
        super().__init__(f"no particle is consistent with the figures reported for {year}; check the calibration "
                         f"table for a figure far outside what the model can produce")


PARTICLES = 100_000
KEEP = 20_000  # particles kept after the last year: the posterior's joint draws (equally weighted)
SHRINK = 0.98
MAX_TEMPER_STAGES = 10  # at most this many parts of one year's likelihood (tempering), the last one included


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


def prior_draws(n: int, rng: np.random.Generator | Streams) -> dict[str, np.ndarray]:
    """Joint prior draws: triangular on each parameter's bounds, peaked at its default; others fixed.

    Each parameter draws from its own stream ``prior/<id>`` (:mod:`simulation.streams`),
    so adding a parameter leaves the others' draws as they were.
    """
    streams = as_streams(rng)
    out = {}
    for pid, p in parameters().items():
        if pid in drawn_parameters():
            out[pid] = streams.generator(f"prior/{pid}").triangular(p.lower, p.default, p.upper, size=n)
        else:
            out[pid] = np.full(n, float(p.default))
    return out


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
    var_mean = var / n * (1 + 2 * phi / np.maximum(1 - phi, 1e-6) * (1 - (1 - phi ** n) / (n * np.maximum(1 - phi, 1e-6))))
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


def _rest_presample_logw(params, gdp_growth_before: dict[int, float]) -> np.ndarray:
    """Log likelihood of the changes in real GDP growth before the start year under each particle's rest of
    the economy (closed form; 0 with fewer than three consecutive years).

    Outside manufacturing growth is ``m + gap_t - gap_(t-1)`` with an AR(1) level gap
    (:func:`simulation.dynamics.rest_of_economy`), so a year's change in growth,
    ``gap_t - 2·gap_(t-1) + gap_(t-2)``, does not depend on the long-run rate ``m``:
    the consecutive changes are jointly normal with a covariance set by the gap's
    persistence and the ordinary shock. Two approximations, both of which widen
    rather than narrow the posterior: GDP growth stands for the rest's (manufacturing,
    a quarter of GDP, is the more volatile part), and the long-run rate's slow decline
    counts as shock. The years are taken as calm (no downturn): none of 2016-2019 was one.
    """
    run, longest = [], []
    for y in sorted(gdp_growth_before):  # the longest run of consecutive years
        run = run + [y] if run and y == run[-1] + 1 else [y]
        longest = run if len(run) > len(longest) else longest
    run = longest
    phi = params["non_mfg_growth_persistence"]
    logw = np.zeros_like(phi)
    if len(run) < 3:
        return logw
    g = np.array([gdp_growth_before[y] for y in run])
    d = np.diff(g)  # changes in growth
    k = len(d)
    s = params["non_mfg_growth_volatility"]
    var_gap = s ** 2 / np.maximum(1.0 - phi ** 2, 1e-6)
    gamma = lambda h: var_gap * phi ** abs(h)  # noqa: E731  autocovariance of the gap
    c = (1.0, -2.0, 1.0)  # a change in growth: gap_t - 2 gap_(t-1) + gap_(t-2)
    cov = np.zeros(phi.shape + (k, k))
    for i in range(k):
        for j in range(k):
            h = j - i
            cov[..., i, j] = sum(c[a] * c[b] * gamma(h + a - b) for a in range(3) for b in range(3))
    chol = np.linalg.cholesky(cov)
    white = np.linalg.solve(chol, np.broadcast_to(d, phi.shape + (k,))[..., None])[..., 0]
    logdet = 2.0 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(axis=-1)
    return -0.5 * (white ** 2).sum(axis=-1) - 0.5 * logdet - 0.5 * k * math.log(2.0 * math.pi)


def _deflator_presample_logw(params, years: list[tuple[float, float]], mfg_share: float) -> np.ndarray:
    """Log likelihood of GDP deflators before the start year under each particle's prices (closed form).

    ``years`` holds (deflator %, national PPI %) pairs: the deflator from two consecutive GDP levels on one
    basis and the year's real growth. The model's deflator is manufacturing's (drift + pass-through x PPI)
    and the rest's (long-run + pass-through x the PPI's departure from its long-run rate), weighted by
    manufacturing's share of GDP (``mfg_share``, a fraction; the start year's stands for the years before,
    an approximation); each part has its own normal noise, and 0.05 point is added for the real growth's
    rounding.
    """
    w = mfg_share
    logw = np.zeros_like(params["price_level_growth"])
    for deflator, ppi in years:
        mean = (w * (params["mfg_relative_price_drift"] + params["mfg_price_ppi_passthrough"] * ppi)
                + (1 - w) * (params["price_level_growth"]
                             + params["rest_price_ppi_passthrough"] * (ppi - params["ppi_long_run"])))
        sd = np.sqrt((w * params["mfg_price_volatility"]) ** 2 + ((1 - w) * params["price_level_volatility"]) ** 2
                     + 0.05 ** 2)
        logw += dyn.normal_logpdf(deflator, mean, sd)
    return logw


def initial_state(base: dict[str, float], params: dict[str, np.ndarray], ppi_start: float | None) -> dict:
    """The 2020 state of every particle from the reported base figures."""
    n = len(params["growth_long_run"])
    col = lambda v: np.full(n, float(v))  # noqa: E731
    mfg_va = base["gdp"] * base["mfg_va_share_gdp"] / 100.0
    tr_share = params["tech_renovation_share_base"]
    g0 = base["above_scale_va_growth"]
    dep, g_def = params["renovation_depreciation"], parameters()["tech_renovation_investment_growth"].default / 100
    stock0 = tr_share / (dep + g_def)  # the steady-state stock of a renovation index growing at the default
    w = mfg_va / base["gdp"]
    rest_growth = (base["gdp_real_growth"] - w * g0) / (1 - w) if math.isfinite(base.get("gdp_real_growth", math.nan)) \
        else params["non_mfg_gdp_real_growth"]
    ht = base["high_tech_share"] / 100.0
    return {
        "firms": col(base["above_scale_firms"]), "output": col(base["revenue"]), "cycle": g0 - params["growth_long_run"],
        "growth": col(g0), "key_share": params["key_firm_base_share"] / 100.0, "renovation": tr_share.copy(),
        "renovation_norm": tr_share.copy(), "renovation_stock": stock0, "renovation_stock_norm": stock0.copy(),
        "other_investment": 100.0 - tr_share, "mfg_va": col(mfg_va), "rest_nominal": col(base["gdp"] - mfg_va),
        "rest_growth": col(rest_growth) if np.isscalar(rest_growth) else rest_growth.copy(),
        # the base year's deviation from the long-run rate is its level gap (假设 assumption: the year before
        # was on the long-run path)
        "rest_gap": (col(rest_growth) if np.isscalar(rest_growth) else rest_growth) - params["non_mfg_gdp_real_growth"],
        "gdp": col(base["gdp"]), "gdp_growth": col(base.get("gdp_real_growth", math.nan)),
        "ppi": col(ppi_start) if ppi_start is not None else params["ppi_long_run"].copy(),
        "sec_ratio": col(base["secondary_industry_va"] / mfg_va), "va_ratio": col(mfg_va / base["revenue"]),
        "revenue": col(base["revenue"]), "margin": col(100.0 * base["profit"] / base["revenue"]),
        "ht_odds": col(ht / (1 - ht)), "ht_growth": col(math.nan), "loss": col(0.0),
        "entries": col(parameters()["incremental_projects"].default),
        "project_carry": params["project_full_capacity_output"] * (1 - parameters()["project_first_year_ramp"].default)
        * parameters()["incremental_projects"].default,
        "entries_baseline": col(parameters()["incremental_projects"].default),
        "upgrades": col(math.nan), "tr_growth": col(math.nan), "mfg_growth": col(g0),
    }


def _scaled_weights(logw: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Weights ``exp(logw - top)`` (0 where ``logw`` is not finite) and ``top``, the largest finite log weight;
    None when no particle has a finite weight."""
    finite = np.isfinite(logw)
    if not finite.any():
        return None
    top = logw[finite].max()
    return np.where(finite, np.exp(logw - top), 0.0), top


def _systematic(w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(w)
    positions = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(np.cumsum(w), positions), n - 1)


class _Movers(dict):
    """One generator per parameter for the Liu-West moves (stream ``move/<id>``), kept for the whole run."""

    def __init__(self, streams: Streams):
        super().__init__()
        self.streams = streams

    def __missing__(self, pid: str) -> np.random.Generator:
        self[pid] = self.streams.generator(f"move/{pid}")
        return self[pid]


def _liu_west(params: dict[str, np.ndarray], w: np.ndarray | None, movers: Mapping[str, np.random.Generator]) -> None:
    reg = parameters()
    for pid in drawn_parameters():
        x = params[pid]
        mean, sd = x.mean(), x.std()
        if sd <= 0:
            continue
        noise = movers[pid].standard_normal(len(x))
        moved = SHRINK * x + (1 - SHRINK) * mean + math.sqrt(1 - SHRINK ** 2) * sd * noise
        p = reg[pid]
        params[pid] = np.clip(moved, p.lower, p.upper)


def run_filter(base: dict[str, float], observations: dict[int, dict[str, tuple[float, float]]],
               forced: dict[int, dict[str, float]], presample: dict, start_year: int, last_year: int,
               rng: np.random.Generator, n: int = PARTICLES,
               announced: Mapping[int, tuple[float, bool]] | None = None) -> FilterResult:
    """Filter from ``start_year`` (the reported base) through ``last_year``.

    ``announced`` maps a year to its announced above-scale growth target
    (value %, whether a floor), which pulls that year's expected growth (:func:`simulation.dynamics.target_pull`).
    """
    announced = announced or {}
    streams = as_streams(rng)  # every random quantity below has a stream of its own (simulation.streams)
    params = prior_draws(n, streams)
    movers, resampler = _Movers(streams), streams.generator("resample")
    prior = {k: v.copy() for k, v in params.items() if k in drawn_parameters()}
    logw = _cycle_presample_logw(params, presample.get("growth", {}), presample.get("avg5"),
                                 base["above_scale_va_growth"], start_year)
    logw += _ppi_presample_logw(params, presample.get("ppi", {}))
    logw += _rest_presample_logw(params, presample.get("gdp_growth", {}))
    logw += _deflator_presample_logw(params, presample.get("deflators", []), base["mfg_va_share_gdp"] / 100.0)
    ppi_start = presample.get("ppi", {}).get(start_year)
    st = initial_state(base, params, ppi_start)
    history = {k: [v] for k, v in record(dict(st, _investment_growth=np.full(n, np.nan)), st["upgrades"],
                                         st["entries"], np.full(n, np.nan), np.full(n, np.nan),
                                         st["tr_growth"]).items()}
    constants = _constants(base["revenue"])
    diagnostics = []
    log_evidence = 0.0
    years = np.arange(start_year + 1, last_year + 1)
    shocks = year_shocks(streams, len(years), n, True)

    def resample_if_needed(logw: np.ndarray, year: int, force: bool = False, stage: bool = False) -> np.ndarray:
        nonlocal st, params, history, log_evidence
        scaled = _scaled_weights(logw)
        if scaled is None:
            raise InconsistentFigures(year)
        w, top = scaled
        log_evidence += float(top + np.log(w.mean()))
        w /= w.sum()
        ess = float(1.0 / np.sum(w ** 2))
        row = {"year": year, "ess": ess, "resampled": False}
        if force or ess < n / 2:
            idx = _systematic(w, resampler)
            st = {k: v[idx] for k, v in st.items()}
            params = {k: v[idx] for k, v in params.items()}
            history = {k: [h[idx] for h in hs] for k, hs in history.items()}
            _liu_west(params, None, movers)
            row["resampled"] = True
            logw = np.zeros(n)
        else:
            logw = np.log(np.maximum(w, 1e-300)) + math.log(n)
        row["unique"] = int(len(np.unique(st["cycle"])))
        if not stage:  # a tempering stage's resampling is not the year's own row
            diagnostics.append(row)
        return logw

    def ess_of(lw: np.ndarray) -> float:
        scaled = _scaled_weights(lw)
        if scaled is None:
            return 0.0
        w = scaled[0]
        return float(w.sum() ** 2 / np.sum(w ** 2))

    def temper(logw: np.ndarray, step_logw: np.ndarray, remaining: float) -> float:
        """The share of the year's likelihood (at most ``remaining``) whose weights keep an ESS of half."""
        if ess_of(logw + remaining * step_logw) >= n / 2:
            return remaining
        lo, hi = 0.0, remaining
        for _ in range(30):  # bisection: the ESS falls as more of the likelihood is taken
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if ess_of(logw + mid * step_logw) >= n / 2 else (lo, mid)
        return max(lo, remaining * 1e-3)

    logw = resample_if_needed(logw, start_year)
    for k, year in enumerate(years):
        year = int(year)
        obs = dict(observations.get(year, {}))
        fixed = {}
        for name, value in forced.get(year, {}).items():
            if name == "key_firm_growth":
                fixed["key_firm_growth"] = np.full(n, value)
            else:
                obs[name] = (value, 0.0)
        z = dict(zip(dyn.SHOCKS, shocks[k], strict=True))

        def step(st_before, params_now, fixed=fixed, year=year, k=k, z=z, obs=obs):
            p = dict(params_now.items())
            p.update(constants)
            p.update(fixed)
            set_announced_target(p, announced, year)
            step_logw = np.zeros(n)
            st_after, values = advance(st_before, p, year, k, z, obs, step_logw, None, p["incremental_projects"])
            return st_after, values, step_logw

        # Tempering: when the year's figures would leave fewer than half the particles' worth of weight,
        # take its likelihood in parts, resampling and moving the parameters (Liu-West) between parts and
        # re-running the year from last year's states with the moved parameters.
        remaining, stages = 1.0, 0
        st_after, values, step_logw = step(st, params)
        while stages < MAX_TEMPER_STAGES:
            beta = temper(logw, step_logw, remaining)
            if beta >= remaining:
                break
            logw = resample_if_needed(logw + beta * step_logw, year, force=True, stage=True)
            remaining -= beta
            stages += 1
            st_after, values, step_logw = step(st, params)
        st = st_after
        for key in indicators():
            history[key].append(values[key])
        logw = resample_if_needed(logw + remaining * step_logw, year, force=(year == last_year))
        diagnostics[-1]["stages"] = stages + 1
    if not len(years):
        logw = resample_if_needed(logw, start_year, force=True)
    keep = np.sort(streams.generator("keep").choice(n, size=min(KEEP, n), replace=False))  # equally weighted after the last resampling
    hist = {k: np.stack(v, axis=1)[keep] for k, v in history.items()}
    params = {k: v[keep] for k, v in params.items()}
    st = {k: v[keep] for k, v in st.items()}
    return FilterResult(params=params, state=st, history=hist, years=np.arange(start_year, last_year + 1),
                        prior=prior, ess=diagnostics, log_evidence=log_evidence)


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
