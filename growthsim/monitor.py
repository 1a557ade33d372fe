"""In-year monitoring (年内监测): the year's targets against the months so far.

Glue between the data (:mod:`calibration.monitoring_data`), the annual model's
projection (the prior) and the pure monitoring maths (:mod:`simulation.monitoring`).
The command line (``growthsim monitor``) and the app page both build a
:class:`MonitorReport` here and only lay it out.

The prior for the monitored year's above-scale VA growth (and counts) comes from the
annual model through three calls only: ``calibration.fit.read_reported``,
``calibration.fit.calibrate(reported, rng, data_through=year - 1)`` and
``simulation.model.project(base, baseline, posterior, year, draws, rng).at(indicator, year)``.
If that fails, a normal prior from the record's full years is used and labelled so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from growthsim.calibration import cache as calibration_cache
from growthsim.calibration.fit import read_reported
from growthsim.calibration.monitoring_data import (
    MonitoringDataError,
    MonthlyData,
    MonthlyRow,
    Region,
    RegionPlan,
    city_of,
    find_monthly,
    full_years,
    predictor_for,
    read_all_monthly,
    read_monthly,
    read_plans,
    read_regions,
    record_pairs,
    status_name,
    validate_rows,
)
from growthsim.calibration.targets import targets
from growthsim.simulation.model import project
from growthsim.simulation.monitoring import (
    INDICATORS,
    MONTHS,
    ErrorFit,
    count_pace,
    count_probability,
    due_by,
    fit_error_scale,
    indicator_name,
    milestone_schedule,
    monthly_weights,
    needed_path,
    pace_reached,
    probability_history,
    required_pace,
    status_of,
    update_draws,
)
from growthsim.simulation.scenario import baseline
from growthsim.simulation.targets import Target

from .errors import UserInputError
from .i18n import Message, Pair, both, text
from .settings import DEFAULT_LANG, DEFAULT_SEED, DRAWS

PRIOR_DRAWS = DRAWS["monitor"].default  # the settings' (growthsim.settings.DRAWS)
GROWTH = "above_scale_va_growth"


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Chinese or English text of a (中文, English) pair: English for ``lang == 'en'``, else Chinese."""
    return pair[1] if lang == "en" else pair[0]


# ---------------------------------------------------------------- the prior


@dataclass(frozen=True)
class Prior:
    """The prior of a monitored full-year value, with the label that says where it comes from.

    Attributes
    ----------
    draws : numpy.ndarray or None
        Draws of the full-year value (None: no prior, no probability given).
    label_zh, label_en : str
        Where the prior comes from, shown beside every probability.
    fallback : bool
        True when the annual model could not be run and a fallback (or no prior) is used.
    """

    draws: np.ndarray | None
    label_zh: str
    label_en: str
    fallback: bool = False

    def label(self, lang: str = DEFAULT_LANG) -> str:
        """The prior's label in ``lang`` (``zh`` or ``en``)."""
        return self.label_en if lang == "en" else self.label_zh


def annual_prior(year: int, indicator: str = GROWTH, draws: int = PRIOR_DRAWS, seed: int = DEFAULT_SEED,
                 record: Mapping[int, float] | None = None) -> Prior:
    """The annual model's draws for ``indicator`` in ``year`` (baseline, data through year - 1).

    The same draws as ``growthsim run baseline --data-through {year-1} --horizon {year} --draws 2000`` (the
    settings' seed, for the calibration and the projection alike).

    On failure: for growth a normal prior with the mean and sd of the record's full years
    (labelled 后备/fallback with the reason); for counts no prior (probability not given).

    Parameters
    ----------
    year : int
        The monitored year (calendar year).
    indicator : str
        Indicator id.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    record : Mapping[int, float] | None
        The record's full-year values by year (the indicator's unit): the fallback prior's mean and sd when the
        model cannot run; or None.
    """
    try:
        cal = calibration_cache.calibrate_cached(read_reported(), seed, data_through=year - 1)
        proj = project(cal.base, baseline(), cal.posterior, year, draws, np.random.default_rng(seed))
        x = np.asarray(proj.at(indicator, year), dtype=float)
        if x.size == 0 or not np.all(np.isfinite(x)):
            raise ValueError("the projection gave no finite draws")
        return Prior(x, *both("monitor.prior_model", year=year - 1, draws=draws))
    except calibration_cache.CacheSettingError:
        raise  # a setting the user must mend is said, not hidden behind a fallback
    except Exception as exc:  # noqa: BLE001 - any failure becomes a labelled fallback, never a silent one
        reason = f"{type(exc).__name__}: {exc}"
        if INDICATORS.get(indicator, ("",))[0] != "growth" or not record:
            return Prior(None, *both("monitor.prior_none", reason=reason), True)
        vals = np.array(list(record.values()), dtype=float)
        mu, sd = float(vals.mean()), float(vals.std(ddof=1)) if vals.size > 1 else 2.0
        x = np.random.default_rng(seed).normal(mu, sd, draws)
        return Prior(x, *both("monitor.prior_fallback", mu=mu, sd=sd, reason=reason), True)


# ---------------------------------------------------------------- the data bundle


@dataclass(frozen=True)
class Bundle:
    """Everything read from ``monitoring/``: regions, every monthly file, every plan."""

    regions: Mapping[str, Region]
    datasets: tuple[MonthlyData, ...]
    plans: tuple[RegionPlan, ...]

    @property
    def city(self) -> str:
        """The id of the city: the region without a parent."""
        return city_of(self.regions)

    def plan(self, year: int, region: str) -> RegionPlan | None:
        """The targets file of ``region`` for ``year``, or None when it has none."""
        return next((p for p in self.plans if p.year == year and p.region == region), None)

    def years(self, region: str) -> list[int]:
        """The years with monthly figures or targets for ``region`` (the city's own targets included), sorted."""
        ys = {d.year for d in self.datasets if d.region == region}
        ys |= {p.year for p in self.plans if p.region == region}
        if region == self.city:
            ys |= {t.year for t in city_targets_all()}
        return sorted(ys)

    def default_year(self, region: str) -> int:
        """The year shown first for ``region``.

        The latest year with both targets and monthly figures, else the latest with
        figures, else the latest with anything (2021 when there is nothing).
        """
        with_targets = [y for y in self.years(region) if targets_for(self, y, region)[0] or targets_for(self, y,
                                                                                                        region)[1]]
        with_data = {d.year for d in self.datasets if d.region == region}
        both = [y for y in with_targets if y in with_data]
        if both:
            return max(both)
        if with_data:
            return max(with_data)
        return max(self.years(region)) if self.years(region) else 2021


def load_bundle(folder=None) -> Bundle:
    """Read and validate everything in the monitoring folder.

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        The folder (default ``monitoring/``).

    Returns
    -------
    Bundle

    Raises
    ------
    calibration.monitoring_data.MonitoringDataError
        Naming the file, line and column of the first problem.
    """
    regions = read_regions(None if folder is None else f"{folder}/regions.toml")
    return Bundle(regions, tuple(read_all_monthly(regions, folder)), tuple(read_plans(regions, folder)))


def monitorable(t: Target) -> bool:
    """Whether monthly figures can monitor a target: a cumulative growth rate or a count, read in its year."""
    return (t.tracked and t.indicator in INDICATORS and INDICATORS[t.indicator][0] in ("growth", "count")
            and t.reads.form == "level")


def city_targets_all(extra=()):
    """The city's targets that monthly figures can monitor (cumulative growth or counts), every year, and any
    posed ones (``extra``: 测算目标 given with ``--target``)."""
    return [t for t in [*targets().values(), *extra] if monitorable(t)]


def targets_for(bundle: Bundle, year: int, region: str, extra=()) -> tuple[list[Target], list]:
    """(annual targets, milestones) for ``region`` in ``year``: the city's plan targets (and posed ones), or a
    region's from its plan.

    Parameters
    ----------
    bundle : Bundle
        The monitoring data: monthly datasets, regions, plans and weights.
    year : int
        The monitored year (calendar year).
    region : str
        Region id.
    extra
        Targets the user poses (``--target``), or None.
    """
    specs: list[Target] = [t for t in city_targets_all(extra) if t.year == year] if region == bundle.city else []
    plan = bundle.plan(year, region)
    milestones = []
    if plan is not None:
        specs += list(plan.targets)
        milestones = list(plan.milestones)
    return specs, milestones


def _cited(t: Target) -> tuple[str, str]:
    """(source, quote) of a target as the report cites it: a seed file by its path, a web page with its publisher."""
    if t.url:
        return f"{t.url} ({t.publisher}, {t.published})", t.quote
    if t.source_file.endswith(".txt") and "/" not in t.source_file:
        return "calibration/sources/" + t.source_file, t.quote
    return t.source_file, t.quote


# ---------------------------------------------------------------- the report


@dataclass
class MonitorReport:
    """The year's monitoring of one region: each target's status and probability after the months so far.

    ``rows`` has one dict per target or milestone (figures so far, pace needed,
    probability, status and sources); ``history`` the probability after each
    reported month; ``weights`` the months' shares of the year (last year's monthly
    profile when given, else equal); ``error_fit`` and ``pairs`` the fitted error of
    the full-year predictor; the prior labels say where the prior came from.
    """

    year: int
    region: Region
    city: Region
    data: MonthlyData | None
    illustrative: bool
    weights: np.ndarray
    weights_from_profile: bool
    error_fit: ErrorFit
    pairs: list
    prior_label_zh: str
    prior_label_en: str
    rows: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    paths: dict[str, dict] = field(default_factory=dict)
    shares: list[dict] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def month(self) -> int:
        """The latest month with any figure (0 before the first)."""
        if self.data is None:
            return 0
        return max((r.month for r in self.data.rows if INDICATORS[r.indicator][0] != "profile"), default=0)

    def table(self, lang: str = DEFAULT_LANG) -> pd.DataFrame:
        """The report's rows, one per target or milestone (the rows carry both languages: ``lang`` changes nothing)."""
        return pd.DataFrame(self.rows)

    def history_frame(self) -> pd.DataFrame:
        """The probability history: one row per target and reported month, with predictor, error sd and posterior."""
        return pd.DataFrame(self.history, columns=["target_id", "month", "cumulative", "predictor", "base_effect",
                                                   "error_sd", "probability", "posterior_mean"])


_DECIDED = both("monitor.year_decided")  # the pace text once the twelfth month is in


def _per_month(unit: str) -> str:
    """A count's pace unit (``家/月``): the unit's code a month, as the monitor's files write it (in Chinese)."""
    return text("monitor.per_month", "zh", unit=unit)


def _fmt(x, digits=1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    return f"{x:,.{digits}f}"


def build_report(bundle: Bundle, year: int, region: str, data: MonthlyData | None = None,
                 priors: Mapping[str, Prior] | None = None, extra=()) -> MonitorReport:
    """The monitoring report for ``region`` in ``year``: each annual target, then each milestone.

    ``data`` replaces the shipped monthly figures for (year, region) (a --data file or the
    app's edited table); ``priors`` maps indicator -> :class:`Prior` (computed when absent).

    Parameters
    ----------
    bundle : Bundle
        The monitoring data: monthly datasets, regions, plans and weights.
    year : int
        The monitored year (calendar year).
    region : str
        Region id.
    data : MonthlyData | None
        Monthly figures replacing the shipped ones for (year, region), or None.
    priors : Mapping[str, Prior] | None
        The annual model's draws by indicator (:class:`Prior`), or None: computed.
    extra
        Targets the user poses (``--target``), or None.
    """
    if region not in bundle.regions:
        raise UserInputError("monitor.unknown_region", region=region, allowed=list(bundle.regions))
    city = bundle.city
    if data is None:
        data = find_monthly(bundle.datasets, year, region)
    fit, pairs = _error_fit(bundle, year)
    full_record = full_years([d for d in bundle.datasets if d.region == city], city)
    profile = data.profile() if data is not None else {}
    weights = monthly_weights(profile or None)
    specs, milestones = targets_for(bundle, year, region, extra)
    priors = dict(priors or {})
    rep = MonitorReport(year, bundle.regions[region], bundle.regions[city], data,
                        bool(data is not None and data.illustrative), weights, bool(profile), fit, pairs, "", "")
    for ind in dict.fromkeys(s.indicator for s in specs if INDICATORS[s.indicator][0] == "growth"):
        _growth_prior(rep, priors, year, full_record if ind == GROWTH else {}, region != city, ind)
        if ind != GROWTH:   # the record's partial/full pairs are above-scale growth's: GDP borrows their error
            rep.notes.append(both("monitor.note_gdp_error_model"))
    ctx = _Context(bundle, year, region, data, weights, fit, {y: v for y, v in full_record.items() if y < year},
                   full_years([d for d in bundle.datasets if d.region == region], region).get(year - 1), priors)
    for s in specs:
        row = _growth_row(rep, ctx, s) if INDICATORS[s.indicator][0] == "growth" else _count_row(rep, ctx, s)
        rep.rows.append(row)
    for ms in milestones:
        rep.rows.append(_milestone_row(rep, data, ms))
    if region != city and data is not None:
        _region_shares(rep, bundle, year, data)
    if data is None:
        name = bundle.regions[region]
        rep.notes.append(both("monitor.note_no_monthly", year=year, region=Pair(name.name_zh, name.name_en)))
    return rep


@dataclass(frozen=True)
class _Context:
    """What every target's row of one report reads: the year's figures, weights, error fit, record and priors."""

    bundle: Bundle
    year: int
    region: str
    data: MonthlyData | None
    weights: np.ndarray
    fit: ErrorFit
    recent: Mapping[int, float]       # the city's full-year growth before the year
    last_full: float | None           # the region's full-year growth of the year before
    priors: dict                      # indicator -> Prior, filled as needed


def _error_fit(bundle: Bundle, year: int) -> tuple[ErrorFit, list]:
    """The error model fitted on the city's record (the monitored year's own figures are not used)."""
    record_sets = [d for d in bundle.datasets if d.region == bundle.city and d.year != year]
    pairs = record_pairs(record_sets, bundle.city)
    if not pairs:
        raise UserInputError("monitor.no_pairs")
    return fit_error_scale([p.month for p in pairs], [p.error for p in pairs], [p.year for p in pairs]), pairs


def _growth_prior(rep: MonitorReport, priors: dict, year: int, full_record: Mapping[int, float],
                  district: bool, indicator: str = GROWTH) -> None:
    """The annual model's prior for the year's growth of ``indicator`` (above-scale VA or real GDP), into
    ``priors`` and the report's labels (one label: every growth prior comes from the same baseline run)."""
    growth_prior = priors.get(indicator) or annual_prior(year, indicator, record=full_record)
    priors[indicator] = growth_prior
    rep.prior_label_zh, rep.prior_label_en = growth_prior.label_zh, growth_prior.label_en
    if district:
        rep.prior_label_zh, rep.prior_label_en = both("monitor.prior_of_the_city",
                                                      prior=Pair(growth_prior.label_zh, growth_prior.label_en))


def _target_row(ctx: _Context, s: Target) -> tuple[dict, dict, MonthlyRow | None, int]:
    """A target's common row (labels, rule, month, sources), its series by month, its latest figure and month."""
    series = ctx.data.series(s.indicator) if ctx.data is not None else {}
    latest = series[max(series)] if series else None
    n = latest.month if latest else 0
    source, quote = _cited(s)
    row = _base_row(s.id, s.label_zh, s.label_en, s.indicator, s.text("zh"), s.text("en"), n, latest, source, quote,
                    ctx.data)
    # a page cited by URL: its parts, so that a view names the publisher in the reader's language
    row.update(target_url=s.url, target_publisher=s.publisher, target_publisher_zh=s.publisher_zh,
               target_published=s.published)
    return row, series, latest, n


def _growth_history(rep: MonitorReport, ctx: _Context, s: Target, series: Mapping) -> tuple:
    """The probability before any month (month 0) and after each reported month, into ``rep.history``.

    Returns (probability, posterior mean, observations); (None, NaN, obs) without a prior of draws.
    """
    obs = []
    for m in sorted(series):
        pred, adj = predictor_for(ctx.data, m, ctx.last_full if s.indicator == GROWTH else None, s.indicator)
        obs.append((m, series[m].value, pred, adj))
    prior = ctx.priors.get(s.indicator)
    if prior is None or prior.draws is None:
        return None, math.nan, obs
    steps = probability_history(prior.draws, obs, ctx.fit.scale, s.rule)
    p0 = update_draws(prior.draws, None, 0.0, s.rule)
    rep.history.append(dict(target_id=s.id, month=0, cumulative=math.nan, predictor=math.nan, base_effect=False,
                            error_sd=math.nan, probability=p0.probability, posterior_mean=p0.mean))
    for st in steps:
        rep.history.append(dict(target_id=s.id, month=st.month, cumulative=st.cumulative, predictor=st.predictor,
                                base_effect=st.base_effect, error_sd=st.sd, probability=st.update.probability,
                                posterior_mean=st.update.mean))
    last = steps[-1].update if steps else p0
    return last.probability, last.mean, obs


def _growth_row(rep: MonitorReport, ctx: _Context, s: Target) -> dict:
    """A growth target's row: so far, the pace the other months need, whether recent years reached it, probability."""
    row, series, latest, n = _target_row(ctx, s)
    prob, post_mean, obs = _growth_history(rep, ctx, s, series)
    so_far = latest.value if latest else math.nan
    pace = required_pace(s.rule.threshold, so_far if latest else 0.0, n, ctx.weights) if n < MONTHS else math.nan
    recent = ctx.recent if s.indicator == GROWTH else {}   # the monthly record holds above-scale growth only
    reached = pace_reached(pace, recent, s.rule.upward)
    decided = n == MONTHS
    pace_text = both("monitor.pace_growth", months=MONTHS - n, pace=_fmt(pace)) if n < MONTHS else _DECIDED
    reached_text = (both("monitor.reached_in", years=reached) if reached else
                    both("monitor.reached_none", first=min(recent), last=max(recent)) if recent and n < MONTHS
                    else ("—", "—"))
    row.update(so_far=so_far, unit="%", pace_needed=pace, pace_unit="%",
               pace_text_zh=pace_text[0], pace_text_en=pace_text[1],
               probability=prob, predictor=obs[-1][2] if obs else math.nan,
               base_effect=bool(obs and obs[-1][3]), posterior_mean=post_mean,
               error_sd=ctx.fit.sd(n) if n else math.nan,
               pace_reached_years=",".join(map(str, reached)),
               pace_reached_zh=reached_text[0], pace_reached_en=reached_text[1],
               behind=math.nan,
               status=status_of(prob, decided, bool(s.rule.met(so_far)) if decided else None))
    rep.paths[s.id] = dict(kind="growth", actual=_monthly(series),
                           needed=needed_path(s.rule.threshold, so_far if latest else 0.0, n, ctx.weights),
                           plan=np.full(MONTHS, s.rule.threshold), target=s.rule.value, threshold=s.rule.threshold)
    return _no_data(row, latest)


def _count_row(rep: MonitorReport, ctx: _Context, s: Target) -> dict:
    """A count target's row: so far, what is still needed a month, whether past years reached it, probability."""
    row, series, latest, n = _target_row(ctx, s)
    so_far = latest.value if latest else 0.0
    need, per_month = count_pace(s.rule.threshold + (1 if s.rule.comparator == "above" else 0), so_far, n)
    prior = ctx.priors.get(s.indicator)
    if prior is None:
        prior = annual_prior(ctx.year, s.indicator)
        ctx.priors[s.indicator] = prior
    prob = count_probability(prior.draws, so_far, n, s.rule) if prior.draws is not None else None
    decided = n == MONTHS
    record_counts = {d.year: d.series(s.indicator)[MONTHS].value for d in ctx.bundle.datasets
                     if d.region == ctx.region and d.year < ctx.year and MONTHS in d.series(s.indicator)}
    reached = pace_reached(per_month, {y: v / MONTHS for y, v in record_counts.items()})
    unit = INDICATORS[s.indicator][1][0]
    pace_text = both("monitor.pace_count", need=_fmt(need, 0), per_month=_fmt(per_month)) if n < MONTHS else _DECIDED
    reached_text = both("monitor.reached_in", years=reached) if reached else ("—", "—")
    row.update(so_far=so_far if latest else math.nan, unit=unit, pace_needed=per_month, pace_unit=_per_month(unit),
               pace_text_zh=pace_text[0], pace_text_en=pace_text[1],
               probability=prob, predictor=math.nan, base_effect=False, posterior_mean=math.nan,
               error_sd=math.nan, pace_reached_years=",".join(map(str, reached)),
               pace_reached_zh=reached_text[0], pace_reached_en=reached_text[1],
               behind=math.nan,
               status=status_of(prob, decided, bool(s.rule.met(so_far)) if decided else None))
    rep.notes.append(both("monitor.note_count_pro_rata", target=Pair(s.label_zh, s.label_en),
                          prior=Pair(prior.label_zh, prior.label_en)))
    rep.paths[s.id] = dict(kind="count", actual=_monthly(series), plan=None, target=s.rule.value,
                           threshold=s.rule.threshold, needed=None)
    return _no_data(row, latest)


def _no_data(row: dict, latest) -> dict:
    """A target without any figure yet is 'no_data' when it has no probability either."""
    if latest is None:
        row["status"] = "no_data" if row.get("probability") is None else row["status"]
    return row


def _monthly(series: Mapping) -> np.ndarray:
    """Twelve values by month from a series of rows (NaN where none)."""
    actual = np.full(MONTHS, np.nan)
    for m, r in series.items():
        actual[m - 1] = r.value
    return actual


def _milestone_row(rep: MonitorReport, data: MonthlyData | None, ms) -> dict:
    """A milestone's row: so far against what was due by the latest month; no probability (no district model)."""
    schedule = milestone_schedule(ms.months, ms.values, ms.reading)
    series = data.series(ms.indicator) if data is not None else {}
    latest = series[max(series)] if series else None
    n = latest.month if latest else 0
    so_far = latest.value if latest else 0.0
    due_month, due = due_by(schedule, n)
    behind = max(0.0, due - so_far)
    final = schedule[max(schedule)]
    need, per_month = count_pace(final, so_far, n)
    unit = INDICATORS[ms.indicator][1][0]
    rule = both("monitor.milestones", schedule=[Message("monitor.milestone_at", month=m, value=_fmt(v, 0))
                                                for m, v in schedule.items()])
    row = _base_row(ms.id, ms.label_zh, ms.label_en, ms.indicator, *rule, n, latest, ms.source,
                    " / ".join(ms.quotes), data)
    if latest is None:
        status = "no_data"
    elif n == MONTHS:
        status = "met" if so_far >= final else "missed"
    else:
        status = "behind" if behind > 0 else "on_schedule"
    pace_text = (both("monitor.pace_milestone", final=_fmt(final, 0), need=_fmt(need, 1), per_month=_fmt(per_month))
                 if n < MONTHS else _DECIDED)
    row.update(so_far=so_far if latest else math.nan, unit=unit, pace_needed=per_month, pace_unit=_per_month(unit),
               pace_text_zh=pace_text[0], pace_text_en=pace_text[1],
               probability=None, predictor=math.nan, base_effect=False, posterior_mean=math.nan,
               error_sd=math.nan, pace_reached_years="", pace_reached_zh="—", pace_reached_en="—",
               behind=behind if latest else math.nan, due_month=due_month, due=due, reading=ms.reading,
               status=status)
    plan_path = np.array([due_by(schedule, m)[1] for m in range(1, MONTHS + 1)])
    rep.paths[ms.id] = dict(kind="milestone", actual=_monthly(series), plan=plan_path, target=final, threshold=final,
                            needed=None)
    rep.notes.append(both("monitor.note_milestone", target=Pair(ms.label_zh, ms.label_en),
                          reading=Message(f"monitor.reading_{ms.reading}"), source=ms.source, region=ms.region,
                          year=ms.year))
    return row


def _region_shares(rep: MonitorReport, bundle: Bundle, year: int, data: MonthlyData) -> None:
    """A district's count so far as a share of each city count target (示例 figures stay the district's own)."""
    city_specs, _ = targets_for(bundle, year, bundle.city)
    for s in city_specs:
        if INDICATORS[s.indicator][0] != "count":
            continue
        latest = data.latest(s.indicator)
        if latest is None:
            continue
        rep.shares.append(dict(city_target_id=s.id, city_target_zh=s.label_zh, city_target_en=s.label_en,
                               city_target=s.rule.value, region_so_far=latest.value, month=latest.month,
                               share=latest.value / s.rule.value if s.rule.value else math.nan))
    rep.notes.append(both("monitor.note_district_apart"))


def _base_row(tid, zh, en, indicator, rule_zh, rule_en, n, latest, source, quote, data) -> dict:
    status = latest.status if latest else ""
    return dict(target_id=tid, target_zh=zh, target_en=en, indicator=indicator,
                indicator_zh=indicator_name(indicator, "zh"), indicator_en=indicator_name(indicator, "en"),
                rule_zh=rule_zh, rule_en=rule_en, month=n,
                month_zh=text("monitor.months_to", "zh", month=n) if n > 1 else
                text("monitor.month_first", "zh") if n == 1 else "—",
                data_status=status, data_status_zh=status_name(status).text("zh") if status else "—",
                data_status_en=status_name(status).text("en") if status else "—",
                data_source=latest.source if latest else "", data_quote=latest.quote if latest else "",
                target_source=source, target_quote=quote,
                illustrative=bool(data is not None and data.illustrative))


def status_text(key: str, lang: str = DEFAULT_LANG) -> str:
    """A status (met, likely, possible, unlikely, missed, unknown) as words in ``lang``."""
    return text(f"monitor.status_{key}", lang)


# ---------------------------------------------------------------- loading for the CLI


def monitor(year: int | None, region: str | None, data_file: str | None, folder=None, extra=()) -> MonitorReport:
    """Load, validate and build the report; every input problem is a :class:`UserInputError`.

    ``extra`` are targets the user poses (``--target``): each must be a cumulative growth or a count in its year.

    Parameters
    ----------
    year : int | None
        The monitored year (calendar year; None: the latest with figures).
    region : str | None
        Region id (None: the city).
    data_file : str | None
        A monthly-figures CSV, or None: the shipped one.
    folder
        The monitoring data folder, or None: the shipped one.
    extra
        Targets the user poses (``--target``), or None.
    """
    try:
        bundle = load_bundle(folder)
        data = None
        if data_file:
            data = read_monthly(data_file, bundle.regions)
            if region is not None and data.region != region:
                raise UserInputError("monitor.data_region", file=data_file, found=data.region, region=region)
            if year is not None and data.year != year:
                raise UserInputError("monitor.data_year", file=data_file, found=data.year, year=year)
            region, year = data.region, data.year
        region = region or bundle.city
        if region not in bundle.regions:
            raise UserInputError("monitor.unknown_region", region=region, allowed=list(bundle.regions))
        if year is None:
            year = bundle.default_year(region)
        if not 2000 <= year <= 2100:
            raise UserInputError("monitor.year_range", year=year)
        _check_posed(extra)
        specs, milestones = targets_for(bundle, year, region, extra)
        if not specs and not milestones:
            have = [y for y in bundle.years(region) if any(targets_for(bundle, y, region))]
            name = bundle.regions[region]
            raise UserInputError("monitor.no_target_that_year", year=year, region=Pair(name.name_zh, name.name_en),
                                 allowed=[str(y) for y in have])
        return build_report(bundle, year, region, data, extra=extra)
    except MonitoringDataError as err:
        raise UserInputError("error.data_problem", problem=err) from None


def _check_posed(extra) -> None:
    """A posed target that monthly figures cannot monitor is refused, naming the indicators they can."""
    allowed = [k for k, v in INDICATORS.items() if v[0] in ("growth", "count")]
    for t in extra:
        if not monitorable(t):
            raise UserInputError("monitor.posed_not_monitorable", id=t.id, allowed=allowed)


def rows_from_frame(frame: pd.DataFrame, base: MonthlyData | None, year: int, region: str) -> list[dict]:
    """The app's edited table (month, indicator, value[, unit, status]) as rows for :func:`validate_rows`.

    Rows whose value differs from the shipped file, or that are new, become status ``edited``;
    unchanged rows keep their source and quote.

    Parameters
    ----------
    frame : pd.DataFrame
        The app's edited table: month, indicator, value (in its unit)[, unit, status].
    base : MonthlyData | None
        The shipped monthly figures of (year, region), or None.
    year : int
        The monitored year (calendar year; None: the latest with figures).
    region : str
        Region id (None: the city).
    """
    shipped = {(r.month, r.indicator): r for r in base.rows} if base is not None else {}
    out = []
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        month, ind, value = rec.get("month"), rec.get("indicator"), rec.get("value")
        if all(v is None or (isinstance(v, float) and math.isnan(v)) or v == "" for v in (month, ind, value)):
            continue
        key = (_as_int(month), str(ind or "").strip())
        old = shipped.get(key)
        same = old is not None and _as_float(value) is not None and math.isclose(old.value, _as_float(value))
        unit = INDICATORS[key[1]][1][0] if key[1] in INDICATORS else ""
        if same:
            out.append(dict(year=year, month=month, region=region, indicator=ind, value=value, unit=old.unit,
                            status=old.status, source=old.source, publisher=old.publisher, published=old.published,
                            quote=old.quote, note=old.note, publisher_zh=old.publisher_zh, _line=i + 1))
        else:
            out.append(dict(year=year, month=month, region=region, indicator=ind, value=value,
                            unit=old.unit if old else unit, status="edited", source=EDITED_SOURCE,
                            publisher="", published="", quote="", note="", publisher_zh="", _line=i + 1))
    return out


# an edited row's source: an id (the data files' cells are ids or as cited), shown as monitor.edited_source in the
# reader's language (data_source_text)
EDITED_SOURCE = "edited"


def data_source_text(row: Mapping, lang: str) -> str:
    """A report row's data source as the reader reads it: as cited, or 'edited in the app' for an edited figure."""
    edited = row.get("data_status") == "edited" and row.get("data_source") == EDITED_SOURCE
    return text("monitor.edited_source", lang) if edited else str(row.get("data_source") or "")


def _as_int(x):
    try:
        return int(float(x))
    except (TypeError, ValueError):
        return x


def _as_float(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def edited_data(frame: pd.DataFrame, base: MonthlyData | None, year: int, region: str,
                regions: Mapping[str, Region]) -> MonthlyData:
    """Validate the app's edited table; raises :class:`MonitoringDataError` on a bad row.

    Parameters
    ----------
    frame : pd.DataFrame
        The app's edited table: month, indicator, value (in its unit)[, unit, status].
    base : MonthlyData | None
        The shipped monthly figures of (year, region), or None.
    year : int
        The monitored year (calendar year; None: the latest with figures).
    region : str
        Region id (None: the city).
    regions : Mapping[str, Region]
        The declared regions by id.
    """
    name = Message("monitor.edited_name", name=base.name if base is not None else f"{region}_{year}",
                   marker=Message("monitor.edited_marker"))  # a table's name, shown in the reader's language
    return validate_rows(rows_from_frame(frame, base, year, region), name, regions)
