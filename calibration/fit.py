"""Calibration on the whole public record.

The reported figures live in ``reported_figures.csv`` (see
:mod:`calibration.record`). :func:`calibrate` builds the 2020 starting state
from the reported base figures, runs the particle filter of
:mod:`calibration.smc` through the last reported year (or ``data_through``)
and returns the posterior (joint parameter draws), the filtered state of that
year, from which projections start, and a fit report: for every reported
figure the model's posterior median and 90 % band beside it.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from growthsim.i18n import Message, both
from growthsim.simulation.model import BASELINE_LEVERS, FORCEABLE, STATE_KEYS, BaseState, Posterior
from growthsim.simulation.streams import Streams

from . import city, partial_year, priors, smc
from .record import (
    BASE_REQUIRED,
    COLUMNS,
    DATA_FILE,
    KNOWN,
    SOURCES_DIR,
    BaseFigureError,
    CalibrationDataError,
    current,
    parse_reported,
    read_reported,
)
from .targets import announced_growth_targets

__all__ = ["Calibration", "CalibrationDataError", "calibrate", "read_reported", "parse_reported", "base_year",
           "DATA_FILE", "SOURCES_DIR", "COLUMNS", "KNOWN", "BASE_REQUIRED", "FORCEABLE"]

RELATIVE_ERROR = ("gdp", "secondary_industry_va", "industrial_va")  # their measurement error is in % of the value
# Years whose GDP level is on a new basis while the year before's in the record is not: the fifth economic census
# (第五次全国经济普查) revised 2023's GDP; 2024's 16719.5亿元 is on the revised basis, 2023's 15760.34 is the first
# release, so 2023 -> 2024 nominal growth is no deflator (simulation.dynamics.rest_prices) but a revision, which
# revises manufacturing as GDP (simulation.dynamics.census_revision, 假设 assumption). The fourth census
# revised 2018's: "在初步核算2019年GDP时,将以2018年GDP修订数为基数" (经济日报-中国经济网, 2019-11-22, reporting
# 国家统计局; http://txcsxy.com/xwzx/gnsz/gdxw/201911/23/t20191123_33684428.shtml), and the regions' 2019 GDP was
# the first of the unified accounting (地区生产总值统一核算改革). Xiamen's 2018 figure in its record is the first
# release (4791.41亿元) and its 2019 figure 5995.04亿元 (+25 % nominal beside 7.9 % real growth). The
# default pack's record starts in 2020, after it.
GDP_BASIS_BREAKS = (2019, 2024)
# 假设 assumption: a count reported for mid-year stands for the year's count within 100 firms (half a
# year of exits; upgraded firms enter the statistics mostly at the start of the year).
MIDYEAR_FIRMS_ERROR = 100.0


def _value(df: pd.DataFrame, year: int, indicator: str) -> float | None:
    hit = df[(df.year == year) & (df.indicator == indicator) & ~df.status.isin(("lower_bound", "partial_year"))]
    return None if hit.empty else float(hit.value.iloc[-1])


def base_year(df: pd.DataFrame, name: str | None = None) -> int:
    """The filter's start year: the latest year that reports every base figure, else the first of the years
    that report GDP and the most base figures (the others then take a prior, :mod:`calibration.priors`).

    ``name`` is the file shown in messages (default: the file the table was read from).
    """
    name = name or df.attrs.get("file", "reported_figures.csv")
    df = current(df) if "superseded" in df else df
    counts = {int(y): len(set(BASE_REQUIRED) & set(g.indicator)) for y, g in df.groupby("year")
              if "gdp" in set(g.indicator)}
    complete = [y for y, c in counts.items() if c == len(BASE_REQUIRED)]
    if complete:
        return max(complete)
    if not counts:
        raise BaseFigureError("calibration.no_gdp", file=name)
    most = max(counts.values())
    return min(y for y, c in counts.items() if c == most)


@dataclass(frozen=True)
class Calibration:
    """Everything a projection needs from the data: starting state, posterior, fit report.

    ``history`` maps an indicator to its smoothed draws ``(particles, years)``
    over ``history_years`` (the start year through ``data_through``).
    """

    base: BaseState
    posterior: Posterior
    report: pd.DataFrame
    data_through: int
    reported: pd.DataFrame
    parameters: pd.DataFrame = field(default_factory=pd.DataFrame)
    diagnostics: pd.DataFrame = field(default_factory=pd.DataFrame)
    history: dict = field(default_factory=dict)
    history_years: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    start_year: int = 0
    pinned: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def base_year(self) -> int:
        """The last year of data: the year the projections start from."""
        return self.base.year


def _base_growth(df: pd.DataFrame, b: int) -> float:
    """Start-year growth: reported, or derived from the next year's two-year average."""
    g = _value(df, b, "above_scale_va_growth")
    if g is not None:
        return g
    avg2, nxt = _value(df, b + 1, "above_scale_va_growth_avg2"), _value(df, b + 1, "above_scale_va_growth")
    if avg2 is not None and nxt is not None:
        return 100.0 * ((1 + avg2 / 100) ** 2 / (1 + nxt / 100) - 1)
    return math.nan


def _observations(df: pd.DataFrame, b: int, uses: list[partial_year.PartialUse]) -> tuple[dict, dict]:
    """Per year after the start: figures the filter weighs (value, error) and flows it imposes.

    ``uses`` are the partial-year figures that stand for a year's figure (:mod:`calibration.partial_year`); a
    derived full-year figure they are combined with is weighed through them.
    """
    obs: dict[int, dict] = {}
    forced: dict[int, dict] = {}
    combined = {(u.year, u.indicator) for u in uses if u.derived_line is not None}
    for r in df[df.year > b].itertuples():
        y = int(r.year)
        if r.status == "partial_year" or r.period:
            if r.indicator == "above_scale_firms" and r.status == "partial_year":
                # a mid-year count: firms enter statistics mostly in January
                obs.setdefault(y, {}).setdefault("above_scale_firms", (float(r.value), MIDYEAR_FIRMS_ERROR))
            elif r.indicator == "above_scale_firms_growth":  # a mid-year count's growth on a year before
                obs.setdefault(y, {})["above_scale_firms_growth"] = (float(r.value), float(r.tolerance))
            continue
        if (y, r.indicator) in combined or (r.status == "lower_bound" and r.indicator != "gdp"):
            continue
        if r.indicator in FORCEABLE:
            forced.setdefault(y, {})[FORCEABLE[r.indicator]] = float(r.value)
        elif KNOWN[r.indicator].role in ("observed", "base") and r.indicator not in (
                "above_scale_va_growth_avg5", "revenue", "profit"):
            name = "gdp_lower_bound" if r.status == "lower_bound" else r.indicator
            obs.setdefault(y, {})[name] = (float(r.value), float(r.tolerance))
    for u in uses:
        obs.setdefault(u.year, {})[u.indicator] = (u.value, u.error)
    for y in GDP_BASIS_BREAKS:
        if "gdp" in obs.get(y, {}) and y > b:  # the year before is the start year or later: on the old basis
            obs[y]["gdp_new_basis"] = (1.0, 0.0)
    return obs, forced


def calibrate(reported: pd.DataFrame, rng: np.random.Generator, data_through: int | None = None,
              particles: int = smc.PARTICLES,
              announced: Mapping[int, tuple[float, bool]] | None = None) -> Calibration:
    """Fit the model to the reported figures up to ``data_through`` (inclusive).

    Parameters
    ----------
    reported : pandas.DataFrame
        The validated table (:func:`read_reported`); each value in its indicator's unit.
    rng : numpy.random.Generator
        The random generator of the filter.
    data_through : int, optional
        Last year of data used (calendar year; default: the last reported year).
    particles : int
        Number of particles [particles] (joint posterior draws).
    announced : Mapping[int, tuple[float, bool]], optional
        Above-scale growth target announced for each year, (value [%], is a floor) (default: the shipped
        targets file, :func:`calibration.targets.announced_growth_targets`). The filter uses the
        targets of years up to ``data_through``; the projection knows the next year's only.
    """
    announced = announced_growth_targets() if announced is None else dict(announced)
    df_all = reported[~reported.superseded] if "superseded" in reported else reported
    last = int(current(df_all).year.max()) if "superseded" in df_all else int(df_all.year.max())
    data_through = last if data_through is None else int(data_through)
    df = df_all[df_all.year <= data_through]
    if df.empty:
        raise CalibrationDataError(reported.attrs.get("file", "reported_figures.csv"), None, "year", data_through,
                                   Message("calibration.no_rows_through"),
                                   Message("calibration.allowed_from_year", year=int(reported.year.min())))
    b = base_year(df, reported.attrs.get("file"))
    base_figures = {k: _nan_if_none(_value(df, b, k)) for k in (*BASE_REQUIRED, "industrial_va")}
    base_figures["above_scale_va_growth"] = _base_growth(df, b)
    g = _value(df, b, "gdp_real_growth")
    base_figures["gdp_real_growth"] = math.nan if g is None else g
    pre = df[(df.year < b) & (df.status != "partial_year")]
    deflators = _presample_deflators(pre)
    presample = {
        "growth": {int(r.year): float(r.value) for r in pre[pre.indicator == "above_scale_va_growth"].itertuples()},
        "ppi": {int(r.year): float(r.value) for r in df[(df.year <= b) & (df.indicator == "ppi_national")
                                                          & (df.status != "partial_year")].itertuples()},
        "avg5": _value(df, b, "above_scale_va_growth_avg5"),
        "gdp_growth": {int(r.year): float(r.value) for r in pre[pre.indicator == "gdp_real_growth"].itertuples()},
        "deflators": deflators,
    }
    uses = partial_year.partial_uses(df, b)
    obs, forced = _observations(df, b, uses)
    values = city.parameter_values()  # the active pack's: prior modes, fixed values, own rates
    result = smc.run_filter(base_figures, obs, forced, presample, b, data_through, rng, particles,
                            {y: v for y, v in announced.items() if b < y <= data_through},
                            values={k: v.value for k, v in values.items() if v.value is not None},
                            rates={k: v.rate for k, v in values.items() if v.value is None and v.rate is not None})

    st = result.state
    mean = lambda k: float(np.mean(st[k]))  # noqa: E731
    base = BaseState(
        year=data_through,
        above_scale_firms=mean("firms"), revenue=mean("revenue"),
        profit=float(np.mean(st["revenue"] * st["margin"] / 100.0)), gdp=mean("gdp"),
        mfg_va_share_gdp=float(np.mean(100.0 * st["mfg_va"] / st["gdp"])),
        high_tech_share=float(np.mean(100.0 * st["ht_odds"] / (1.0 + st["ht_odds"]))),
        above_scale_va_growth=mean("growth"),
        state={k: st[k] for k in STATE_KEYS}, history={}, output_base=_output_base(base_figures, result),
        announced={y: v for y, v in announced.items() if y == data_through + 1},
    )
    drawn = set(smc.drawn_parameters())
    # the pack's values, a lever that scales with the city at its rate times the calibrated start figure
    own = city.pack_defaults(basis=city.basis_figures(base))
    base = replace(base, baselines={pid: own[pid] for pid in BASELINE_LEVERS})
    posterior = Posterior(point={**{k: v for k, v in own.items() if k not in drawn},
                                 **{k: float(np.mean(v)) for k, v in result.params.items() if k in drawn}},
                          draws={k: v for k, v in result.params.items() if k in drawn})
    report = _report(reported[reported.year <= data_through], result, b,
                     {y - k for y, _, _ in deflators for k in (0, 1)}, uses)
    return Calibration(base=base, posterior=posterior, report=report, data_through=data_through,
                       reported=reported[reported.year <= data_through].copy(),
                       parameters=smc.parameter_table(result), diagnostics=pd.DataFrame(result.ess),
                       history=result.history, history_years=result.years, start_year=b,
                       pinned=pinned_by(df, b, result, uses))


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else value


def _output_base(base_figures: dict, result: smc.FilterResult) -> float:
    """The start year's revenue (亿元): reported, else the mean of its prior's draws at the start."""
    revenue = base_figures["revenue"]
    return float(revenue) if math.isfinite(revenue) else float(np.mean(result.history["revenue"][:, 0]))


# The start state's figures, in the order the pinned-by table shows them.
PINNED = ("gdp", "mfg_va_share_gdp", "secondary_industry_va", "revenue", "profit", "above_scale_firms",
          "high_tech_share", "above_scale_va_growth")


def _prior_of(figure: str, used: dict) -> tuple[str, str, str, str]:
    """(relation in English, in Chinese, source in English, in Chinese) of a base figure's prior."""
    how = used.get("mfg_va" if figure == "mfg_va_share_gdp" else figure)
    if figure == "above_scale_va_growth":
        return (*priors.GROWTH_TEXT, *reversed(both("fit.source_assumption")))
    if how == "industrial_va":
        return (*priors.INDUSTRIAL_VA_TEXT, *reversed(both("fit.source_mining_utilities_share")))
    return how.text_en, how.text_zh, how.source, how.source_zh


PRIOR_BAND_DRAWS = 4_000  # draws of a prior for its band in the pinned-by table (its 5-95 % within ~1 %)


def _prior_bands(at_start: dict[str, float]) -> dict[str, np.ndarray]:
    """Draws of each base figure before any data weighs them: the reported ones as given, the others from
    their priors (fixed stream root 0, so the table is the same for every seed)."""
    streams = Streams(0)
    drawn = priors.draw_base(at_start, smc.prior_draws(PRIOR_BAND_DRAWS, streams, city.pack_defaults()), streams,
                             PRIOR_BAND_DRAWS)
    return {k: np.broadcast_to(np.asarray(v, dtype=float), (PRIOR_BAND_DRAWS,)) for k, v in drawn.items()
            if k in PINNED}


def _at_start(df: pd.DataFrame, b: int) -> dict[str, float]:
    """The start year's base figures (NaN: not reported) and its above-scale growth."""
    at_start = {k: _nan_if_none(_value(df, b, k)) for k in (*PINNED, "industrial_va", "gdp_real_growth")}
    at_start["above_scale_va_growth"] = _base_growth(df, b)
    return at_start


def start_priors(df: pd.DataFrame, b: int) -> dict[str, tuple[str, str, str, str] | None]:
    """For each base figure, the prior the start year gives it, before any filtering.

    Parameters
    ----------
    df : pandas.DataFrame
        The reported figures.
    b : int
        The start year (:func:`base_year`).

    Returns
    -------
    dict
        Figure id -> None when the start year reports it, else (relation in English, in Chinese, source in
        English, in Chinese).
    """
    at_start = _at_start(df, b)
    used = priors.relations_used(at_start)
    return {f: None if math.isfinite(at_start[f]) else _prior_of(f, used) for f in PINNED}


def pinned_by(df: pd.DataFrame, b: int, result: smc.FilterResult,
              uses: list[partial_year.PartialUse] = ()) -> pd.DataFrame:
    """Which figure pinned each base figure: reported in the start year (with its line), or a prior (with its
    relation and source); the years after that report it (the filter weighs them); its band (5/50/95 %) in the
    start year before any data weighs it (``p``) and its posterior in the last year of data (``q``).

    Parameters
    ----------
    df : pandas.DataFrame
        The reported figures up to the last year of data.
    b : int
        The start year.
    result : smc.FilterResult
        The filter's particles and smoothed history.
    uses : list[partial_year.PartialUse]
        The partial-year figures the filter weighs for their year (they count among the later reports).

    Returns
    -------
    pandas.DataFrame
        One row per base figure (:data:`PINNED`).
    """
    cur = current(df)
    at_start = _at_start(df, b)
    used = priors.relations_used(at_start)
    bands = _prior_bands(at_start) if priors.needs_priors(at_start) else {}
    rows = []
    for figure in PINNED:
        hit = cur[(cur.year == b) & (cur.indicator == figure)]
        reported = math.isfinite(at_start[figure])
        rel_en, rel_zh, source, source_zh = ("",) * 4 if reported else _prior_of(figure, used)
        later = sorted({int(y) for y in cur[(cur.year > b) & (cur.indicator == figure)].year}
                       | {u.year for u in uses if u.indicator == figure and u.year > b})
        first = np.percentile(bands[figure], (5, 50, 95)) if figure in bands else (at_start[figure],) * 3
        last = np.percentile(result.history[figure][:, -1], (5, 50, 95))
        rows.append({"figure": figure, "how": "reported" if reported else "prior", "year": b,
                     "line": int(hit.line.iloc[-1]) if len(hit) else None,
                     "relation_en": rel_en, "relation_zh": rel_zh, "source": source, "source_zh": source_zh,
                     "later": later,
                     "p05": first[0], "p50": first[1], "p95": first[2], "q05": last[0], "q50": last[1], "q95": last[2]})
    return pd.DataFrame(rows)


def _presample_deflators(pre: pd.DataFrame) -> list[tuple[int, float, float]]:
    """(year, GDP deflator %, national PPI %) for each year before the start whose GDP, the year before's GDP,
    real growth and PPI are all reported (full year): the deflator is nominal growth over real growth."""
    def val(y, ind):
        hit = pre[(pre.year == y) & (pre.indicator == ind)]
        return None if hit.empty else float(hit.value.iloc[-1])

    out = []
    for y in sorted(set(pre.year)):
        gdp, before, growth, ppi = val(y, "gdp"), val(y - 1, "gdp"), val(y, "gdp_real_growth"), val(y, "ppi_national")
        if None not in (gdp, before, growth, ppi):
            out.append((int(y), 100.0 * (gdp / before / (1.0 + growth / 100.0) - 1.0), ppi))
    return out


# The model indicator a reported figure is compared with.
_COMPARED = {"mfg_va_growth_above_scale": "mfg_va_growth", "above_scale_va_growth": "above_scale_va_growth"}


def _model_draws(r, result: smc.FilterResult, years: list[int]) -> np.ndarray | None:
    """The filtered history's draws of what a reported figure measures in its year (None: nothing to compare).

    Beside the indicators the model records: industrial VA (manufacturing VA over one less the mining and
    utilities share), industry's share change (the manufacturing share's over the same), a firm count's growth
    and a five-year average growth (年均增长).
    """
    h, y = result.history, int(r.year)
    if y not in years:
        return None
    i = years.index(y)
    ind = _COMPARED.get(r.indicator, r.indicator)
    rest = 1.0 - result.params["industry_non_mfg_share"] / 100.0  # the solved share (smc.SOLVED)
    if ind in h:
        return h[ind][:, i]
    if r.indicator == "industrial_va":
        return h["mfg_va"][:, i] / rest
    if i == 0:
        return None
    if r.indicator == "industrial_va_share_change":
        share = 100.0 * h["mfg_va"] / h["gdp"]
        return share[:, i] - share[:, i - 1]
    if r.indicator == "above_scale_firms_growth":
        return 100.0 * (h["above_scale_firms"][:, i] / h["above_scale_firms"][:, i - 1] - 1.0)
    if r.indicator == "high_tech_mfg_va_growth_avg5" and i >= 5:
        logs = np.log1p(h["high_tech_mfg_va_growth"][:, i - 4:i + 1] / 100.0)
        return 100.0 * np.expm1(logs.mean(axis=1))
    return None


# A report's note is a catalogue message (fit.<key>, growthsim/i18n/catalogue/fit.toml), shown in the reader's
# language; "" where there is nothing to say.
_PROXIES = {"industrial_va": "fit.proxy_industrial_va", "industrial_va_share_change": "fit.proxy_share_change",
            "above_scale_firms_growth": "fit.proxy_firms_growth",
            "high_tech_mfg_va_growth_avg5": "fit.proxy_high_tech_avg5"}


def months_through(last: int) -> Message:
    """A partial year's months, January to ``last``: '年内累计（1—6月）' / 'partial year, January–June'."""
    return Message("fit.months", n=last, month=calendar.month_name[last])


def _pre_sample_note(r, b: int, deflator_gdp_years: set[int]) -> tuple[Message | str, str | None]:
    """(note, use) of a figure before the start year or one that feeds no step; ("", None) for any other."""
    y = int(r.year)
    if y < b and r.indicator == "above_scale_va_growth":
        return Message("fit.pre_cycle"), None
    if y < b and r.indicator == "ppi_national":
        return Message("fit.pre_ppi"), None
    if y < b and r.indicator == "gdp_real_growth":
        return Message("fit.pre_trend"), None
    if y < b and r.indicator == "gdp" and y in deflator_gdp_years:
        # weighed in the pre-sample likelihood, not the start year's base
        return Message("fit.pre_deflator"), "observed"
    if r.indicator == "above_scale_va_growth_avg5":
        return Message("fit.long_run"), None
    if r.role == "derive":
        return Message("fit.derivation"), None
    if r.role == "context":
        return Message("fit.context"), None
    return "", None


def _partial_note(r, used: dict[int, partial_year.PartialUse]) -> tuple[Message, str]:
    """(note, use) of a partial-year row: weighed for its year (the latest months) or left to the monitoring."""
    months = months_through(int(r.period.split("-")[1]))
    u = used.get(int(r.line))
    if u is not None:
        if u.derived_line is not None:
            return Message("fit.partial_stands_combined", months=months, error=u.predictor_error, value=u.value,
                           spread=u.error), "observed"
        return Message("fit.partial_stands", months=months, error=u.predictor_error), "observed"
    if r.indicator in ("above_scale_firms", "above_scale_firms_growth"):  # weighed (_observations)
        return Message("fit.partial_weighed", months=months), "observed"
    return Message("fit.partial_monitoring", months=months), "monitoring"


def _report(df: pd.DataFrame, result: smc.FilterResult, b: int, deflator_gdp_years: set[int],
            uses: list[partial_year.PartialUse] = ()) -> pd.DataFrame:
    """Every reported figure beside the model's posterior median and 90 % band in its year.

    ``deflator_gdp_years``: the years before the start whose GDP level went into a pre-sample deflator;
    ``uses``: the partial-year figures weighed for their year.
    """
    rows = []
    years = [int(y) for y in result.years]
    used = {u.line: u for u in uses}
    combined = {u.derived_line: u for u in uses if u.derived_line is not None}
    for r in df.sort_values(["year", "line"]).itertuples():
        model = lo = hi = math.nan
        y = int(r.year)
        draws = None if r.superseded else _model_draws(r, result, years)
        if r.status == "partial_year" or r.period:
            note, use = _partial_note(r, used) if not r.superseded else (Message("fit.superseded"), "superseded")
            if r.status == "lower_bound":
                note, use = Message("fit.lower_bound_redundant"), "superseded"
            draws = draws if use == "observed" else None
        elif r.superseded:
            note, use = Message("fit.superseded"), "superseded"
        elif draws is not None:
            use = r.role
            note = Message(_PROXIES.get(r.indicator) or ("fit.start_year" if y == b else (
                "fit.imposed" if r.role == "force" else "fit.filtered")))
            if r.status == "lower_bound":
                note = Message("fit.lower_bound_floor")
            if int(r.line) in combined:
                u = combined[int(r.line)]
                note = Message("fit.derived_combined", n=u.month, month=calendar.month_name[u.month], value=u.value,
                               spread=u.error)
        else:
            note, use = _pre_sample_note(r, b, deflator_gdp_years)
            use = use or r.role
            if not note and y > max(years):
                note = Message("fit.after_data_through")
            elif not note and y < b:
                note, use = Message("fit.pre_unused"), "unused"
        if draws is not None and np.isfinite(draws).all():
            model, lo, hi = (float(np.percentile(draws, q)) for q in (50, 5, 95))
        tol = float(r.tolerance)
        if r.indicator in RELATIVE_ERROR:
            tol = abs(r.value) * tol / 100.0
        residual = model - r.value if math.isfinite(model) else math.nan
        within = None
        if math.isfinite(residual):
            within = bool(model >= r.value - 3
                          * tol) if r.status == "lower_bound" else bool(lo - 3 * tol <= r.value <= hi + 3 * tol)
        weighed, error = _weighed(r, tol, used, combined)
        rows.append({"year": y, "indicator": r.indicator, "unit": r.unit, "status": r.status,
                     "period": r.period if isinstance(r.period, str) else "",
                     "reported": r.value, "model": model, "p05": lo, "p95": hi, "residual": residual,
                     "tolerance": tol, "within": within, "role": r.role, "use": use,
                     "weighed": weighed if use == "observed" else math.nan,
                     "error": error if use == "observed" else math.nan,
                     "source_file": r.source_file, "note": note})
    return pd.DataFrame(rows)


def _weighed(r, tol: float, used: dict[int, partial_year.PartialUse],
             combined: dict[int, partial_year.PartialUse]) -> tuple[float, float]:
    """The value a figure's year was weighed at, and its error, as the filter weighed it (:func:`_observations`).

    A partial-year figure that stands for its year is weighed at its full-year value with its error; combined
    with a derived full-year figure, the pair is weighed once, at the derived row (the partial row: NaN). A
    mid-year firm count is weighed with :data:`MIDYEAR_FIRMS_ERROR`; any other figure at its own value with its
    tolerance.
    """
    u = used.get(int(r.line))
    if u is not None:
        return (math.nan, math.nan) if u.derived_line is not None else (u.value, u.error)
    u = combined.get(int(r.line))
    if u is not None:
        return u.value, u.error
    if r.indicator == "above_scale_firms" and r.status == "partial_year":
        return float(r.value), MIDYEAR_FIRMS_ERROR  # firms enter statistics mostly in January
    return float(r.value), tol
