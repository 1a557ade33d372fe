"""Back-tests: calibrate on what was known at an origin year, hold the bands against what came later.

For each origin year the model is calibrated on the figures up to that year
only and projected to the last reported year; every full-year figure reported
after the origin is then scored: whether it falls in the 50/80/90 % central
bands, the 90 % interval score and the CRPS (``scoringrules``), and the
median's absolute error beside three naive forecasts — last year's value, the
mean of the last five reported years, and the plan target itself where it was
public at the origin. The plan target announced after the origin is scored as
well, as hindsight: it is not a forecast anyone could have made then.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scoringrules as sr

from growthsim.simulation.model import project
from growthsim.simulation.scenario import baseline

from .cache import calibrate_cached
from .record import current
from .smc import PARTICLES
from .targets import targets

# Indicator of the model -> the id its reported figure carries.
SCORED = {
    "above_scale_va_growth": "above_scale_va_growth",
    "mfg_va_growth": "mfg_va_growth_above_scale",
    "gdp_real_growth": "gdp_real_growth",
    "gdp": "gdp",
    "secondary_industry_va": "secondary_industry_va",
    "high_tech_mfg_va_growth": "high_tech_mfg_va_growth",
    "projects_entering_statistics": "projects_entering_statistics",
    "ppi_national": "ppi_national",
}
GROWTH = ("above_scale_va_growth", "mfg_va_growth", "gdp_real_growth", "high_tech_mfg_va_growth")
BANDS = (50, 80, 90)
# Naive forecasts of growth made at the origin: last year's value, the five-year mean and the year's plan
# target where it was public then (next year's: a year's target comes out in its spring).
NAIVE = ("naive_last", "naive_mean5", "naive_target")
# The year's plan target whenever it was announced, also after the origin: hindsight, shown beside them.
HINDSIGHT = ("naive_target_later",)
# The back-test's goals: the pooled 90 % band holds 80-95 % of the later figures; the median's error on
# growth is below every naive forecast's on the same figures, and at least MEAN5_MARGIN below the five-year
# mean's; the 90 % band of above-scale growth holds at most GROWTH_BAND_MAX of its later figures (a band that
# holds them all is wider than history needs).
COVERAGE90_GOAL = (0.80, 0.95)
MEAN5_MARGIN = 0.10
GROWTH_BAND_MAX = 0.95
GROWTH_BAND_INDICATOR = "above_scale_va_growth"


@dataclass(frozen=True)
class Backtest:
    """Per-figure scores (``rows``), the pooled coverage and errors (``summary``) and the fan data."""

    rows: pd.DataFrame
    coverage: pd.DataFrame
    errors: pd.DataFrame
    fans: pd.DataFrame


def default_origins(reported: pd.DataFrame) -> list[int]:
    """Every year from 2020 to the year before the last reported one."""
    last = int(current(reported).year.max())
    return list(range(2020, last))


def _naive(rep: pd.DataFrame, indicator: str, origin: int, year: int) -> dict[str, float]:
    known = rep[(rep.indicator == indicator) & (rep.year <= origin)].sort_values("year")
    last = float(known.value.iloc[-1]) if len(known) else math.nan
    recent = known[known.year > origin - 5]
    mean5 = float(recent.value.mean()) if len(recent) else math.nan
    later = math.nan
    for t in targets().values():
        if t.indicator is not None and SCORED.get(t.indicator) == indicator and t.year == year:
            later = t.value
    # A year's target is announced in its spring, with the previous year's figures: at the origin only
    # next year's is public. Any later year's target is hindsight.
    known = later if year == origin + 1 else math.nan
    return {"naive_last": last, "naive_mean5": mean5, "naive_target": known, "naive_target_later": later}


def run_backtest(reported: pd.DataFrame, origins: list[int] | None = None, *, draws: int, seed: int,
                 particles: int | None = None, use_cache: bool = True) -> Backtest:
    """Calibrate at each origin, project to the last reported year, score what came later.

    ``draws`` and ``seed`` have no default here: the command's and the API's come from the run settings
    (:mod:`growthsim.settings`: 2,000 draws, seed 20211).

    Parameters
    ----------
    reported : pd.DataFrame
        The reported figures (rows of ``reported_figures.csv``: year, indicator, value in its unit, error, source).
    origins : list[int] | None
        The origins: last reported year each calibration sees (None: every usable one).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    particles : int | None
        Particles of the filter [particles].
    use_cache : bool
        Read and write calibrations in the disk cache.
    """
    rep = current(reported)
    rep = rep[rep.status != "lower_bound"]
    last = int(rep.year.max())
    origins = default_origins(reported) if origins is None else origins
    rows, fans = [], []
    for origin in origins:
        cal = calibrate_cached(reported, seed, origin, particles or PARTICLES, use_cache=use_cache)
        proj = project(cal.base, baseline(), cal.posterior, last, draws, np.random.default_rng([seed, origin, 2]))
        for ind, rid in SCORED.items():
            later = rep[(rep.indicator == rid) & (rep.year > origin)]
            for year in range(origin + 1, last + 1):
                x = proj.at(ind, year)
                q = np.percentile(x, [5, 10, 25, 50, 75, 90, 95])
                fans.append({"origin": origin, "indicator": ind, "year": year,
                             **dict(zip(("p05", "p10", "p25", "p50", "p75", "p90", "p95"), q, strict=True))})
            for r in later.itertuples():
                x = proj.at(ind, int(r.year))
                y = float(r.value)
                row = {"origin": origin, "indicator": ind, "year": int(r.year), "step": int(r.year) - origin,
                       "reported": y, "p50": float(np.median(x))}
                for b in BANDS:
                    lo, hi = np.percentile(x, [50 - b / 2, 50 + b / 2])
                    row[f"p{50 - b // 2:02d}"], row[f"p{50 + b // 2}"] = float(lo), float(hi)
                    row[f"in{b}"] = bool(lo <= y <= hi)
                row["interval_score90"] = float(sr.interval_score(y, row["p05"], row["p95"], 0.1))
                row["crps"] = float(sr.crps_ensemble(y, x))
                row.update(_naive(rep, rid, origin, int(r.year)))
                rows.append(row)
    table = pd.DataFrame(rows)
    return Backtest(rows=table, coverage=coverage_table(table), errors=error_table(table), fans=pd.DataFrame(fans))


def coverage_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Share of later figures inside each band: pooled, and per indicator."""
    out = []
    groups = [("all", rows)] + [(ind, g) for ind, g in rows.groupby("indicator", sort=False)]
    for name, g in groups:
        item = {"indicator": name, "figures": len(g)}
        for b in BANDS:
            item[f"coverage{b}"] = float(g[f"in{b}"].mean()) if len(g) else math.nan
        item["interval_score90"] = float(g.interval_score90.mean()) if len(g) else math.nan
        item["crps"] = float(g.crps.mean()) if len(g) else math.nan
        out.append(item)
    return pd.DataFrame(out)


def error_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Mean absolute error of the median beside the naive forecasts, for growth rates."""
    out = []
    growth = rows[rows.indicator.isin(GROWTH)]
    groups = [("growth (pooled)", growth)] + [(ind, g) for ind, g in growth.groupby("indicator", sort=False)]
    for name, g in groups:
        item = {"indicator": name, "figures": len(g), "model_median": float((g.p50 - g.reported).abs().mean())}
        for naive in NAIVE + HINDSIGHT:
            ok = g[np.isfinite(g[naive])]
            item[naive] = float((ok[naive] - ok.reported).abs().mean()) if len(ok) else math.nan
            item[f"model_on_{naive}_figures"] = float((ok.p50 - ok.reported).abs().mean()) if len(ok) else math.nan
            item[f"{naive}_figures"] = len(ok)
        out.append(item)
    return pd.DataFrame(out)


def goals(bt: Backtest) -> dict[str, bool]:
    """Whether the back-test meets its goals.

    ``coverage90``: the pooled 90 % band holds a share of the later figures within :data:`COVERAGE90_GOAL`.
    ``beats_naive``: on pooled growth, the median's mean absolute error is below each naive forecast's
    (:data:`NAIVE`) on the figures that forecast has; the hindsight target (:data:`HINDSIGHT`) is not a forecast
    at the origin and is not part of the goal. ``beats_mean5``: that error is at most ``1 - MEAN5_MARGIN`` times
    the five-year mean's. ``growth_band``: the 90 % band of above-scale growth holds at most
    :data:`GROWTH_BAND_MAX` of its later figures.
    """
    pooled = bt.coverage[bt.coverage.indicator == "all"].iloc[0]
    lo, hi = COVERAGE90_GOAL
    growth = bt.errors[bt.errors.indicator == "growth (pooled)"].iloc[0]
    beats = all(growth[f"model_on_{n}_figures"] < growth[n] for n in NAIVE if growth[f"{n}_figures"])
    mean5 = bool(growth["naive_mean5_figures"]) and bool(
        growth["model_on_naive_mean5_figures"] <= (1.0 - MEAN5_MARGIN) * growth["naive_mean5"])
    band = bt.coverage[bt.coverage.indicator == GROWTH_BAND_INDICATOR]
    narrow = bool(len(band)) and bool(band.iloc[0].coverage90 <= GROWTH_BAND_MAX)
    return {"coverage90": bool(lo <= pooled.coverage90 <= hi), "beats_naive": bool(beats), "beats_mean5": mean5,
            "growth_band": narrow}
