"""In-year monitoring (年内监测): where the year stands against its targets, month by month.

Pure functions, no file I/O: reading and validating the monthly figures lives in
:mod:`calibration.monitoring_data`; the command line and the app only call these.

Conventions
-----------
- Months run 1..12; ``n`` is the last month with a cumulative figure (1–2月 is
  reported together, as month 2).
- Growth rates are in per cent (8.1 means 8.1 %), as the bureau reports them.
- ``weights`` are the twelve monthly shares of last year's output (they sum to 1);
  equal weights (1/12 each) when no profile is given.

The pace still needed (closed form)
-----------------------------------
This year's month ``m`` output is last year's month ``m`` times ``1 + g_m``, so the
cumulative growth to month ``n`` is ``c_n = sum_{m<=n} w_m g_m / W_n`` with
``W_n = sum_{m<=n} w_m``. For a full-year growth ``G`` the remaining months need
the growth ``r`` with ``W_n c_n + (1 - W_n) r = G``:

    r = (G - W_n c_n) / (1 - W_n)          (equal weights: r = (12 G - n c_n) / (12 - n))

The probability update
----------------------
Prior: the annual model's draws for the full-year growth (or a normal).
Observation: the full-year *predictor* from the cumulative figure to month ``n``
(the cumulative growth itself, or, where the statistics bureau reports a
two-year average because last year's base was abnormal, the two-year average
carried to the full year: ``(1 + a_n)^2 / (1 + G_last) - 1``).
Error model: ``full year - predictor ~ Normal(0, s^2 h(n))`` with
``h(n) = (12 - n) / (12 n)``, the variance shape that independent monthly
shocks give with equal weights (it is 0 at month 12). ``s`` is estimated by
maximum likelihood from the public record's pairs of partial-year and
full-year figures (:func:`fit_error_scale`).
The prior draws are smoothed with a normal kernel (Silverman's bandwidth), so
the posterior is a normal mixture in closed form and stays well defined as the
error shrinks to 0; at month 12 the probability is 0 or 1.
Only the latest cumulative figure enters: it contains every earlier month, so
using each month's figure as a separate observation would count the same
months twice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from .targets import Rule, likelihood

MONTHS = 12

# Indicators the monthly figures may carry: (kind, allowed units, 中文, English).
#  growth  : 1–N月 cumulative growth, per cent
#  avg2    : 1–N月 two-year average growth (两年平均), per cent, reported when last year's base was abnormal
#  count   : cumulative count to month N (never falls)
#  amount  : cumulative amount to month N (never falls)
#  profile : last year's output in that month (one month, not cumulative), for the monthly weights
INDICATORS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "above_scale_va_growth": ("growth", ("%",), "规上工业增加值累计增速",
                              "Above-scale industrial VA, cumulative growth"),
    "gdp_real_growth": ("growth", ("%",), "地区生产总值累计增速", "Real GDP, cumulative growth"),
    "above_scale_va_growth_avg2": ("avg2", ("%",), "规上工业增加值两年平均增速（累计）",
                                   "Above-scale industrial VA, two-year average growth (cumulative)"),
    "firm_upgrades": ("count", ("家",), "小微企业升规纳统（累计）", "Firms upgraded to above-scale (cumulative)"),
    "projects_entering_statistics": ("count", ("个",), "增量项目投产纳统（累计）",
                                     "Incremental projects entering statistics (cumulative)"),
    "tech_renovation_projects_completed": ("count", ("个",), "技改项目竣工（累计）",
                                           "Renovation projects completed (cumulative)"),
    "project_output_contribution": ("amount", ("亿元",), "重点项目贡献产值（累计）",
                                    "Key project's output contribution (cumulative)"),
    "output_profile_last_year": ("profile", ("亿元", "%"), "上年分月产出（权重）",
                                 "Last year's monthly output (weights)"),
}


def indicator_name(indicator: str, lang: str = "zh") -> str:
    """The display name of a monthly indicator in ``lang``; an unknown id is returned as it is."""
    meta = INDICATORS.get(indicator)
    if meta is None:
        return indicator
    return meta[3] if lang == "en" else meta[2]


# ---------------------------------------------------------------- weights and the pace needed


def monthly_weights(profile: Mapping[int, float] | None = None) -> np.ndarray:
    """Twelve weights summing to 1 from last year's monthly output; equal weights when ``profile`` is empty.

    ``profile`` maps month -> output in that month. A combined 1–2月 figure given as
    month 2 (month 1 absent) is split equally between January and February.
    """
    if not profile:
        return np.full(MONTHS, 1.0 / MONTHS)
    p = {int(m): float(v) for m, v in profile.items()}
    if 1 not in p and 2 in p:
        p[1] = p[2] = p[2] / 2.0
    missing = [m for m in range(1, MONTHS + 1) if m not in p]
    if missing:
        raise ValueError(f"profile lacks months {missing}")
    w = np.array([p[m] for m in range(1, MONTHS + 1)], dtype=float)
    if np.any(w <= 0):
        raise ValueError("profile values must be positive")
    return w / w.sum()


def cumulative_weight(weights: np.ndarray, n: int) -> float:
    """W_n: the share of the year's weight in months 1..n."""
    return float(np.sum(weights[: int(n)]))


def required_pace(target: float, so_far: float, n: int, weights: np.ndarray | None = None) -> float:
    """Growth the remaining months need so the full year reaches ``target`` (closed form, per cent).

    NaN at month 12: no month is left (the year is decided).

    Parameters
    ----------
    target : float
        The full-year target: cumulative growth [%] (or a count [firms] in :func:`count_pace`).
    so_far : float
        Cumulative growth to month ``n`` [%] (or the count so far).
    n : int
        Months reported, 1-12.
    weights : numpy.ndarray | None
        Each month's share of the year's output (12 values summing to 1), or None: equal months.
    """
    w = monthly_weights() if weights is None else weights
    if int(n) >= MONTHS:
        return math.nan
    wn = cumulative_weight(w, n)
    return (target - wn * so_far) / (1.0 - wn)


def implied_full_year(so_far: float, n: int, rest: float, weights: np.ndarray | None = None) -> float:
    """Full-year growth if months n+1..12 grow at ``rest`` (the inverse of :func:`required_pace`).

    Parameters
    ----------
    so_far : float
        Cumulative growth to month ``n`` [%] (or the count so far).
    n : int
        Months reported, 1-12.
    rest : float
        Growth of the months left [%].
    weights : numpy.ndarray | None
        Each month's share of the year's output (12 values summing to 1), or None: equal months.
    """
    w = monthly_weights() if weights is None else weights
    wn = cumulative_weight(w, n)
    return wn * so_far + (1.0 - wn) * rest


def needed_path(target: float, so_far: float, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Cumulative growth month by month if months after ``n`` grow at the required pace.

    Entries before ``n`` are NaN; entry ``n`` is ``so_far``; entry 12 is ``target``.

    Parameters
    ----------
    target : float
        The full-year target: cumulative growth [%] (or a count [firms] in :func:`count_pace`).
    so_far : float
        Cumulative growth to month ``n`` [%] (or the count so far).
    n : int
        Months reported, 1-12.
    weights : numpy.ndarray | None
        Each month's share of the year's output (12 values summing to 1), or None: equal months.
    """
    w = monthly_weights() if weights is None else weights
    out = np.full(MONTHS, np.nan)
    if n <= 0:
        so_far, n = 0.0, 0
        r = target
    else:
        out[n - 1] = so_far
        r = required_pace(target, so_far, n, w) if n < MONTHS else math.nan
    wn = cumulative_weight(w, n)
    for m in range(n + 1, MONTHS + 1):
        wm = cumulative_weight(w, m)
        out[m - 1] = (wn * so_far + (wm - wn) * r) / wm
    return out


def count_pace(target: float, so_far: float, n: int) -> tuple[float, float]:
    """(remaining need, per remaining month) for a cumulative count target; the need is never below 0.

    Parameters
    ----------
    target : float
        The full-year count target [firms or projects].
    so_far : float
        Count to month ``n``.
    n : int
        Months reported, 1-12.
    """
    need = max(0.0, float(target) - float(so_far))
    left = MONTHS - int(n)
    return need, (need / left if left > 0 else (0.0 if need == 0 else math.inf))


# ---------------------------------------------------------------- the error model


def error_shape(n) -> np.ndarray | float:
    """h(n) = (12 - n) / (12 n): the variance of full-year minus cumulative-to-n, per unit s^2."""
    n = np.asarray(n, dtype=float)
    out = (MONTHS - n) / (MONTHS * n)
    return float(out) if out.ndim == 0 else out


def error_sd(n: int, scale: float) -> float:
    """The error model's spread at month n (0 at month 12)."""
    return float(scale) * math.sqrt(max(0.0, error_shape(int(n))))


def full_year_predictor(cumulative: float, two_year_avg: float | None = None,
                        last_year_full: float | None = None) -> tuple[float, bool]:
    """(predictor of the full year from the figure to month n, whether the base-effect form was used).

    Where a two-year average to month n is reported (the bureau reports one when last
    year's base was abnormal) and last year's full-year growth is known, the two-year
    average is carried to the full year: ``(1 + a)^2 / (1 + G_last) - 1``. Otherwise
    the cumulative growth itself.

    Parameters
    ----------
    cumulative : float
        Cumulative growth to month n [%].
    two_year_avg : float | None
        Two-year average growth to month n [%/yr], or None.
    last_year_full : float | None
        Last year's full-year growth [%], or None.
    """
    if two_year_avg is not None and last_year_full is not None and not (
            math.isnan(two_year_avg) or math.isnan(last_year_full)):
        return 100.0 * ((1 + two_year_avg / 100.0) ** 2 / (1 + last_year_full / 100.0) - 1), True
    return float(cumulative), False


@dataclass(frozen=True)
class ErrorFit:
    """The fitted error of the full-year predictor: sd at month n is ``scale * sqrt(h(n))``.

    Attributes
    ----------
    scale : float
        The fitted ``s``, in the indicator's unit (percentage points for growth).
    pairs : int
        (month, full-year) pairs the fit used.
    years : int
        Distinct years among them.
    mean_error : float
        Mean of full year minus predictor: a bias check, not used in the update.
    """

    scale: float          # s: sd at month n is s * sqrt(h(n))
    pairs: int            # partial/full pairs used
    years: int            # distinct years
    mean_error: float     # mean of full - predictor (a bias check; not used)

    def sd(self, n: int) -> float:
        """Spread of the full-year value around the predictor after month ``n``.

        Parameters
        ----------
        n : int
            Months reported so far (1-12).

        Returns
        -------
        float
            Standard deviation, in the indicator's unit (0 at month 12).
        """
        return error_sd(n, self.scale)


def fit_error_scale(months: Sequence[int], errors: Sequence[float], years: Sequence[int] | None = None) -> ErrorFit:
    """Maximum-likelihood ``s`` from pairs (month n < 12, full year - predictor).

    With ``e_i ~ N(0, s^2 h(n_i))`` the estimate is ``s^2 = mean(e_i^2 / h(n_i))``.
    Pairs from one year are not independent (they share the later months); the estimate
    treats them as if they were, which the README names as a limitation.

    Parameters
    ----------
    months : Sequence[int]
        Months (1-12).
    errors : Sequence[float]
        Full year less the predictor, for each pair [percentage points].
    years : Sequence[int] | None
        The year of each pair, or None.
    """
    m = np.asarray(months, dtype=float)
    e = np.asarray(errors, dtype=float)
    if m.shape != e.shape or m.size == 0:
        raise ValueError("need at least one (month, error) pair, months and errors of equal length")
    if np.any((m < 1) | (m >= MONTHS)):
        raise ValueError("pair months must be 1..11 (month 12 is the full year itself)")
    s2 = float(np.mean(e ** 2 / error_shape(m)))
    n_years = len(set(years)) if years is not None else 0
    return ErrorFit(math.sqrt(s2), int(m.size), n_years, float(np.mean(e)))


# ---------------------------------------------------------------- the probability


@dataclass(frozen=True)
class Update:
    """The target's probability after one reported month, with the full-year value's posterior.

    Attributes
    ----------
    probability : float
        P(full-year value meets the rule), 0-1.
    mean, sd : float
        Posterior mean and standard deviation of the full-year value, in the indicator's unit.
    """

    probability: float
    mean: float      # posterior mean of the full-year value
    sd: float        # posterior sd


def _bandwidth(draws: np.ndarray) -> float:
    sd = float(np.std(draws))
    if draws.size < 2 or sd == 0.0:
        return 1e-9
    return 1.06 * sd * draws.size ** (-0.2)


def update_draws(prior_draws: np.ndarray, predictor: float | None, sd: float, rule: Rule) -> Update:
    """P(full-year value meets ``rule``) given prior draws and an observed predictor with error sd.

    ``predictor=None`` (no month reported yet) returns the prior's own probability.
    ``sd=0`` (month 12) returns 0 or 1 from the predictor itself.

    Parameters
    ----------
    prior_draws : numpy.ndarray
        The full-year value in each draw of the projection (the indicator's unit).
    predictor : float | None
        The full-year predictor from the months reported (the indicator's unit), or None.
    sd : float
        The predictor's error sd (the indicator's unit).
    rule : Rule
        The target's rule: comparator, value (in the indicator's unit) and tolerance.
    """
    x = np.asarray(prior_draws, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("prior_draws is empty")
    if predictor is None:
        return Update(float(np.mean(rule.met(x))), float(x.mean()), float(x.std()))
    y = float(predictor)
    if sd <= 0.0:
        return Update(float(rule.met(y)), y, 0.0)
    b2, s2 = _bandwidth(x) ** 2, float(sd) ** 2
    logw = -0.5 * (y - x) ** 2 / (b2 + s2)
    w = np.exp(logw - logw.max())
    w /= w.sum()
    v = b2 * s2 / (b2 + s2)
    m = (x * s2 + y * b2) / (b2 + s2)
    p_up = ndtr((m - rule.threshold) / math.sqrt(v))
    p = float(np.sum(w * (p_up if rule.upward else 1.0 - p_up)))
    mean = float(np.sum(w * m))
    var = float(np.sum(w * (v + m ** 2)) - mean ** 2)
    return Update(min(1.0, max(0.0, p)), mean, math.sqrt(max(0.0, var)))


def update_normal(prior_mean: float, prior_sd: float, predictor: float | None, sd: float, rule: Rule) -> Update:
    """The same update for a normal prior (conjugate, closed form).

    Parameters
    ----------
    prior_mean : float
        The prior's mean (the indicator's unit).
    prior_sd : float
        The prior's sd (the indicator's unit).
    predictor : float | None
        The full-year predictor from the months reported (the indicator's unit), or None.
    sd : float
        The predictor's error sd (the indicator's unit).
    rule : Rule
        The target's rule: comparator, value (in the indicator's unit) and tolerance.
    """
    if predictor is None:
        mu, tau = float(prior_mean), float(prior_sd)
    elif sd <= 0.0:
        return Update(float(rule.met(float(predictor))), float(predictor), 0.0)
    else:
        t2, s2 = float(prior_sd) ** 2, float(sd) ** 2
        tau2 = t2 * s2 / (t2 + s2)
        mu, tau = (prior_mean * s2 + predictor * t2) / (t2 + s2), math.sqrt(tau2)
    z = (mu - rule.threshold) / tau if tau > 0 else math.copysign(math.inf, mu - rule.threshold)
    p_up = float(ndtr(z))
    return Update(p_up if rule.upward else 1.0 - p_up, float(mu), float(tau))


@dataclass(frozen=True)
class Step:
    """One reported month in a target's probability history.

    Attributes
    ----------
    month : int
        The month reported (1-12).
    cumulative : float
        The reported cumulative figure to that month.
    predictor : float
        The full-year predictor made from it.
    base_effect : bool
        Whether the two-year-average (base-effect) form made the predictor.
    sd : float
        The error model's spread at that month.
    update : Update
        The probability and posterior after that month.
    """

    month: int
    cumulative: float
    predictor: float
    base_effect: bool
    sd: float
    update: Update


def probability_history(prior_draws: np.ndarray, observations: Iterable[tuple[int, float, float, bool]],
                        scale: float, rule: Rule) -> list[Step]:
    """The probability after each reported month: [(month, cumulative, predictor, base_effect)] -> steps.

    Each step uses the prior and that month's figure only (the latest cumulative figure
    contains every earlier month).

    Parameters
    ----------
    prior_draws : numpy.ndarray
        The full-year value in each draw of the projection (the indicator's unit).
    observations : Iterable[tuple[int, float, float, bool]]
        (month, cumulative [%], predictor [%], base-effect form used) per reported month.
    scale : float
        The error model's scale ``s`` [percentage points].
    rule : Rule
        The target's rule: comparator, value (in the indicator's unit) and tolerance.
    """
    steps = []
    for n, cum, pred, adj in sorted(observations):
        sd = error_sd(n, scale)
        steps.append(Step(int(n), float(cum), float(pred), bool(adj), sd, update_draws(prior_draws, pred, sd, rule)))
    return steps


def count_probability(prior_draws: np.ndarray, so_far: float, n: int, rule: Rule) -> float:
    """P(a cumulative count meets ``rule``): the months left bring the prior's annual count pro rata.

    Full-year count = so_far + draw * (12 - n) / 12. At month 12 it is ``so_far`` itself.

    Parameters
    ----------
    prior_draws : numpy.ndarray
        The full-year count in each draw of the projection.
    so_far : float
        Count to month ``n``.
    n : int
        Months reported, 1-12.
    rule : Rule
        The target's rule: comparator, value (in the indicator's unit) and tolerance.
    """
    x = np.asarray(prior_draws, dtype=float).ravel()
    total = float(so_far) + np.clip(x, 0, None) * (MONTHS - int(n)) / MONTHS
    return float(np.mean(rule.met(total)))


def pace_reached(pace: float, record: Mapping[int, float], upward: bool = True) -> list[int]:
    """Years of the record whose value reached ``pace`` (>= pace; <= for an upper limit).

    Parameters
    ----------
    pace : float
        The pace needed (the indicator's unit).
    record : Mapping[int, float]
        Reported value by year (the indicator's unit).
    upward : bool
        True: reaching means ≥ pace; False: ≤ pace.
    """
    if pace is None or math.isnan(pace):
        return []
    return sorted(y for y, v in record.items() if (v >= pace if upward else v <= pace))


# ---------------------------------------------------------------- milestones


def milestone_schedule(months: Sequence[int], values: Sequence[float], reading: str) -> dict[int, float]:
    """Cumulative amount due by each milestone month.

    ``reading='per_period'``: each value is what the period ending that month adds;
    ``reading='cumulative'``: each value is the total due by that month.

    Parameters
    ----------
    months : Sequence[int]
        Months (1-12).
    values : Sequence[float]
        Each milestone's value (the indicator's unit).
    reading : str
        ``per_period`` or ``cumulative``.
    """
    pairs = sorted(zip((int(m) for m in months), (float(v) for v in values), strict=True))
    if reading == "cumulative":
        return dict(pairs)
    if reading != "per_period":
        raise ValueError(f"reading {reading!r}: allowed per_period, cumulative")
    out, total = {}, 0.0
    for m, v in pairs:
        total += v
        out[m] = total
    return out


def due_by(schedule: Mapping[int, float], n: int) -> tuple[int | None, float]:
    """(latest milestone month <= n, cumulative amount due by then); (None, 0) before the first."""
    past = [m for m in schedule if m <= n]
    if not past:
        return None, 0.0
    m = max(past)
    return m, float(schedule[m])


def status_of(probability: float | None, decided: bool, met: bool | None) -> str:
    """One status key: met / missed (year decided), likely, possible, unlikely (:func:`simulation.targets.likelihood`),
    unknown.

    Parameters
    ----------
    probability : float | None
        Probability, 0-1.
    decided : bool
        The year is over (month 12 reported).
    met : bool | None
        Whether the decided year met its target, or None.
    """
    if decided:
        return "met" if met else "missed"
    if probability is None or (isinstance(probability, float) and math.isnan(probability)):
        return "unknown"
    return likelihood(probability)


# A monitored target's statuses; their words are the catalogue's monitor.status_<status> (growthsim/i18n).
STATUSES = ("met", "missed", "likely", "possible", "unlikely", "unknown", "on_schedule", "behind", "no_data")
