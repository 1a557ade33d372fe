"""The target desk (目标测算): ladders, what a candidate takes, where a gap comes from.

Services around the pure core (:mod:`simulation.ladder`, :mod:`simulation.measures`,
:mod:`simulation.attribution`, :mod:`simulation.package`): each takes the
calibration and scenarios, runs the model with common random numbers and
returns tables. The command line (``growthsim ladder``, ``seek --package``),
the app's 目标测算 page and the workbook only lay them out.

A target here is anything with ``indicator``, ``year``, ``value`` and
``met(values)`` (a plan target or a posed one); a target that measures a
period (average growth, change, total) carries its :class:`Measure` as
``measure``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from growthsim.calibration.fit import Calibration
from growthsim.simulation.attribution import (
    Attribution,
    attribution_from_values,
    coalition_paths,
    coalition_statistic,
    players_between,
)
from growthsim.simulation.batch import outcome_draws
from growthsim.simulation.indicators import indicators
from growthsim.simulation.ladder import RUNGS, exceedance, rung_values
from growthsim.simulation.measures import Measure
from growthsim.simulation.model import Projection, project
from growthsim.simulation.package import IntensityResult, Package, least_intensity, lever_values_table, package_between
from growthsim.simulation.scenario import Scenario

from .errors import UserInputError
from .i18n import Pair
from .settings import DEFAULT_HORIZON, DEFAULT_PROBABILITY, DEFAULT_SEED, DRAWS

DEFAULT_DRAWS = DRAWS["desk"].default  # the settings' (growthsim.settings.DRAWS)
MAX_ROWS = 200_000      # rows of one stacked run (settings × draws): bounds the memory of a batch
MAX_GROUPS = 8          # Shapley over at most 2^8 coalitions


# ---------------------------------------------------------------- measures and targets


def measure_of(target) -> Measure:
    """What a target measures: its own :class:`Measure`, or its indicator's level in its year (``Target.reads``)."""
    return target.reads


def higher_is_better(target) -> bool:
    """Whether a target is met by more (a floor: 不低于, 突破, 左右) rather than by less (不高于): its rule's."""
    return target.rule.upward


def measure_values(projection: Projection, measure: Measure) -> np.ndarray:
    """The measure's value in every draw of a projection (the projection must cover its years)."""
    return measure.values({(ind, y): projection.at(ind, y) for ind, y in measure.needs()})


def ladder_indicators(pool: Mapping[str, object] | Sequence[object]) -> list[str]:
    """The indicators some target in ``pool`` bears, in the registry's order, less those a lever decides.

    An indicator a lever sets directly (renovation investment growth, say) has
    no ladder: every draw equals the assumption.
    """
    items = pool.values() if isinstance(pool, Mapping) else pool
    bearing = {t.indicator for t in items if getattr(t, "indicator", None) and not indicators()[t.indicator].set_by}
    return [i for i in indicators() if i in bearing]


# ---------------------------------------------------------------- the ladder


def projection(cal: Calibration, scenario: Scenario, horizon: int, draws: int = DEFAULT_DRAWS,
               seed: int = DEFAULT_SEED) -> Projection:
    """The scenario's projection to ``horizon``: the numbers ``growthsim run`` gives with the same settings.

    Parameters
    ----------
    cal : Calibration
        The calibration: base state and posterior.
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    horizon : int
        Last projected year (calendar year).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    """
    return project(cal.base, scenario, cal.posterior, horizon, draws, np.random.default_rng(seed))


def ladder_frame(proj: Projection, indicator_ids: Sequence[str], first_year: int | None = None) -> pd.DataFrame:
    """The ladder of every indicator in every projected year: 保底 / 力争 / 冲刺 (90 / 70 / 50 %).

    Parameters
    ----------
    proj : Projection
        The scenario's draws.
    indicator_ids : sequence of str
        The indicators to ladder (each one's unit in the registry).
    first_year : int, optional
        The first year shown (default: the first projected year).

    Returns
    -------
    pandas.DataFrame
        ``scenario, indicator, year, unit, floor, strive, stretch``: one row per indicator and year.
    """
    meta = indicators()
    start = int(proj.years[0]) + 1 if first_year is None else int(first_year)
    years = [int(y) for y in proj.years if int(y) >= start]
    cols = np.concatenate([np.asarray(proj.values[i], dtype=float)[:, [y - int(proj.years[0]) for y in years]]
                           for i in indicator_ids], axis=1)
    rungs = rung_values(cols)
    frame = pd.DataFrame({
        "scenario": proj.scenario_id,
        "indicator": np.repeat(np.array(indicator_ids, dtype=object), len(years)),
        "year": np.tile(np.array(years), len(indicator_ids)),
        "unit": np.repeat(np.array([meta[i].unit for i in indicator_ids], dtype=object), len(years)),
    })
    for r, row in zip(RUNGS, rungs, strict=True):
        frame[r.key] = row
    return frame


def measure_ladder(proj: Projection, measure: Measure, higher: bool = True) -> dict[str, float]:
    """The three rungs of one measure (a level, an average growth, a change or a total), by rung key.

    Parameters
    ----------
    proj : Projection
        The projection: each indicator's draws per year.
    measure : Measure
        What is measured: indicator, year or period and form (level, average growth, change, total).
    higher : bool
        True when more is better (the rungs are lower quantiles).
    """
    vals = rung_values(measure_values(proj, measure), higher_is_better=higher)
    return {r.key: float(v) for r, v in zip(RUNGS, vals, strict=True)}


def rung_of(value: float, rungs: Mapping[str, float], higher: bool = True) -> str:
    """Where a target value sits on the ladder: at or below 保底, 力争, 冲刺, or beyond 冲刺 (stretch+).

    Parameters
    ----------
    value : float
        The target value (the measure's unit).
    rungs : Mapping[str, float]
        The rungs' values by key (the measure's unit).
    higher : bool
        True when more is better (the rungs are lower quantiles).
    """
    for r in RUNGS:
        if (value <= rungs[r.key]) if higher else (value >= rungs[r.key]):
            return r.key
    return "beyond"


def target_frame(proj: Projection, pool: Sequence[object]) -> pd.DataFrame:
    """Each target the projection covers: its measure's median, probability and rung (same draws as the ladder).

    Returns
    -------
    pandas.DataFrame
        ``scenario, target_id, indicator, year, form, start, value, p50, probability, floor, strive, stretch,
        rung, posed``.
    """
    rows = []
    first, last = int(proj.years[0]), int(proj.years[-1])
    for t in pool:
        if not getattr(t, "indicator", None):
            continue
        m = measure_of(t)
        if not (first <= m.earliest_year() and first < m.year <= last):
            continue
        vals = measure_values(proj, m)
        higher = higher_is_better(t)
        rungs = measure_ladder(proj, m, higher)
        rows.append({"scenario": proj.scenario_id, "target_id": t.id, "indicator": t.indicator, "year": m.year,
                     "form": m.form, "start": m.first, "value": float(t.value), "p50": float(np.median(vals)),
                     "probability": float(np.mean(t.met(vals))), **rungs,
                     "rung": rung_of(float(t.value), rungs, higher), "posed": bool(getattr(t, "posed", False))})
    cols = ["scenario", "target_id", "indicator", "year", "form", "start", "value", "p50", "probability",
            *[r.key for r in RUNGS], "rung", "posed"]
    return pd.DataFrame(rows, columns=cols)


def exceedance_frame(proj: Projection, measure: Measure, points: int = 201) -> pd.DataFrame:
    """The curve P(measure ≥ x) of one indicator and year (or period): ``x, probability``.

    Parameters
    ----------
    proj : Projection
        The projection: each indicator's draws per year.
    measure : Measure
        What is measured: indicator, year or period and form (level, average growth, change, total).
    points : int
        Points on the curve [points].
    """
    x, p = exceedance(measure_values(proj, measure), points)
    return pd.DataFrame({"x": x, "probability": p})


# ---------------------------------------------------------------- what a candidate takes: a package


@dataclass(frozen=True)
class PackageAnswer:
    """The least intensity of a package that meets the targets with the probability asked.

    ``lever_values`` maps each lever to (starting value, the package as written, the value
    at the answer) in the last projected year of the search; ``current`` is the probability
    with the starting scenario (intensity 0).
    """

    package: Package
    package_id: str
    start_id: str
    probability: float
    joint: bool
    result: IntensityResult
    current: float
    lever_values: Mapping[str, tuple[float, float, float]]
    draws: int
    seed: int

    @property
    def met(self) -> bool:
        """Whether some intensity within the search's range meets the targets."""
        return self.result.intensity is not None


def _years_for(cal: Calibration, pool: Sequence[object]) -> np.ndarray:
    last = max(measure_of(t).year for t in pool)
    return np.arange(cal.base_year + 1, last + 1)


def _check_projected(cal: Calibration, pool: Sequence[object]) -> None:
    for t in pool:
        m = measure_of(t)
        if m.year <= cal.base_year or m.earliest_year() < cal.base_year:
            raise UserInputError("target.years_not_projected", id=t.id, first=m.first, last=m.year,
                                 base=cal.base_year, allowed=cal.base_year + 1)


def probability_function(cal: Calibration, start: Scenario, paths_of: Callable[[np.ndarray], Mapping[str, np.ndarray]],
                         pool: Sequence[object], draws: int, seed: int, joint: bool = False
                         ) -> Callable[[np.ndarray], np.ndarray]:
    """Settings (an array of numbers each mapped to value paths) -> the decisive probability of each.

    Every batch is one stacked run from a fresh generator with ``seed``
    (common random numbers): the probability moves with the setting only.
    The decisive probability is the joint one (``joint``) or the weakest target's.

    Parameters
    ----------
    cal : Calibration
        The calibration: base state and posterior.
    start : Scenario
        The starting scenario.
    paths_of : Callable[[numpy.ndarray], Mapping[str, numpy.ndarray]]
        Settings (numbers) to value paths by parameter id, each ``(settings, T)`` in registry units.
    pool : Sequence[object]
        The targets whose probability decides.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    joint : bool
        Require all targets together (True) or each on its own.
    """
    needs = list(dict.fromkeys(n for t in pool for n in measure_of(t).needs()))

    def prob(settings: np.ndarray) -> np.ndarray:
        out = []
        per = max(1, MAX_ROWS // draws)
        for i in range(0, len(settings), per):
            got = outcome_draws(cal.base, start, cal.posterior, paths_of(np.asarray(settings[i:i + per])), needs,
                                draws, np.random.default_rng(seed))
            met = np.stack([t.met(measure_of(t).values(got)) for t in pool])   # (targets, settings, draws)
            per_target = met.mean(axis=2)
            out.append(met.all(axis=0).mean(axis=1) if joint else per_target.min(axis=0))
        return np.concatenate(out)

    return prob


def seek_package(cal: Calibration, start: Scenario, package_scenario: Scenario, pool: Sequence[object],
                 probability: float = DEFAULT_PROBABILITY, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                 joint: bool = False,
                 upper: float | None = None) -> PackageAnswer:
    """The least intensity of ``package_scenario``'s levers (from ``start``) meeting the targets with ``probability``.

    Parameters
    ----------
    cal : Calibration
        The starting state and posterior.
    start : Scenario
        The scenario the package moves from (intensity 0).
    package_scenario : Scenario
        The package: its levers at intensity 1.
    pool : sequence of targets
        The targets to meet (each with probability ``probability``, or all in one draw with ``joint``).
    probability : float
        The probability asked, 0-1.
    draws, seed : int
        Draws per setting and the seed every setting shares.
    joint : bool
        Whether all targets must be met in the same draw.
    upper : float, optional
        The largest intensity searched (default: where every lever is at a bound, at most 3).

    Returns
    -------
    PackageAnswer
    """
    if not pool:
        raise UserInputError("target.none_given")
    _check_projected(cal, pool)
    years = _years_for(cal, pool)
    try:
        package = package_between(start, package_scenario, cal.posterior, years)
    except ValueError:
        raise UserInputError("target.package_moves_nothing", package=package_scenario.id,
                             start_title=Pair(start.title("zh"), start.id)) from None
    top = float(upper) if upper is not None else min(3.0, package.saturation())
    prob = probability_function(cal, start, package.paths, pool, draws, seed, joint)
    res = least_intensity(prob, probability, top)
    at = res.intensity if res.intensity is not None else res.best_intensity

    current = float(prob(np.array([0.0]))[0])
    return PackageAnswer(package, package_scenario.id, start.id, probability, joint, res, current,
                         lever_values_table(package, at), draws, seed)


# ---------------------------------------------------------------- where a gap comes from


def attribute(cal: Calibration, a: Scenario, b: Scenario, measure: Measure, draws: int = DEFAULT_DRAWS,
              seed: int = DEFAULT_SEED, statistic: str = "median") -> Attribution:
    """Shapley values of every lever and uncertainty group in ``statistic(measure)`` from ``a`` to ``b``.

    All coalitions run in one stacked run from one generator (common random
    numbers); ``a`` and ``b`` themselves are the empty and the full coalition,
    so their values are exactly those of ``growthsim run`` with the same seed.

    Parameters
    ----------
    cal : Calibration
        The calibration: base state and posterior.
    a : Scenario
        The starting scenario (A).
    b : Scenario
        The scenario compared with it (B).
    measure : Measure
        What is measured: indicator, year or period and form (level, average growth, change, total).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    statistic : str
        ``median`` or ``mean`` over the draws.
    """
    years = np.arange(cal.base_year + 1, measure.year + 1)
    players = players_between(a, b, cal.posterior, years)
    if len(players) > MAX_GROUPS:
        raise UserInputError("target.too_many_groups", n=len(players), most=MAX_GROUPS)
    paths = coalition_paths(players, a, b, cal.posterior, years)
    got = outcome_draws(cal.base, a, cal.posterior, paths, measure.needs(), draws, np.random.default_rng(seed))
    values = coalition_statistic(measure.values(got), statistic)
    return attribution_from_values(players, values)


@dataclass(frozen=True)
class Gap:
    """The gap from a scenario's median to a target, and the share of it each group closes.

    ``attribution`` runs from ``start`` to the package at ``intensity`` (the
    least intensity whose median reaches the target, or the most searched when
    none does); ``remainder`` is what the package leaves open: target minus the
    median at that intensity (≤ 0 when the target is passed).
    """

    target_value: float
    start_median: float
    intensity: float
    reached: bool
    attribution: Attribution
    remainder: float

    @property
    def gap(self) -> float:
        """Target minus the starting median (the whole gap)."""
        return self.target_value - self.start_median


def gap_to_target(cal: Calibration, start: Scenario, package_scenario: Scenario, target, draws: int = DEFAULT_DRAWS,
                  seed: int = DEFAULT_SEED) -> Gap:
    """Where the gap from ``start``'s median to ``target`` would be closed, group by group (Shapley values).

    The package's least intensity that lifts the median to the target (a 50 %
    probability) is found first; the gap is then the contributions of the
    groups it moves plus what it leaves open.

    Parameters
    ----------
    cal : Calibration
        The calibration: base state and posterior.
    start : Scenario
        The starting scenario.
    package_scenario : Scenario
        The policy package (a scenario setting levers).
    target
        The target: indicator, year, rule (value in the indicator's unit) and source.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    """
    answer = seek_package(cal, start, package_scenario, [target], 0.5, draws, seed)
    k = answer.result.intensity if answer.met else answer.result.best_intensity
    b = answer.package.scenario_at(start, k)
    att = attribute(cal, start, b, measure_of(target), draws, seed)
    return Gap(float(target.value), att.from_value, float(k), answer.met, att, float(target.value) - att.to_value)


# ---------------------------------------------------------------- the desk: everything one page or file shows


@dataclass
class TargetDesk:
    """The ladder of a scenario, its targets on it, and for each candidate what it takes and where its gap lies.

    ``ladder`` (:func:`ladder_frame`) and ``targets`` (:func:`target_frame`)
    come from one projection; ``answers`` and ``gaps`` map a target id to its
    :class:`PackageAnswer` and :class:`Gap` (moving ``package`` from
    ``scenario``).
    """

    scenario: Scenario
    package: Scenario | None
    pool: list
    ladder: pd.DataFrame
    targets: pd.DataFrame
    answers: dict
    gaps: dict
    draws: int
    seed: int
    horizon: int
    probability: float
    projection: Projection


def build_desk(cal: Calibration, scenario: Scenario, pool: Sequence[object], package: Scenario | None = None,
               probability: float = DEFAULT_PROBABILITY, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
               horizon: int = DEFAULT_HORIZON,
               indicator_ids: Sequence[str] | None = None, solve: Callable[[object], bool] | None = None,
               proj: Projection | None = None) -> TargetDesk:
    """The ladder of ``scenario`` with its targets, and what each target ``solve`` picks takes.

    Parameters
    ----------
    cal : Calibration
        The starting state and posterior.
    scenario : Scenario
        The scenario laddered (and the package's starting point).
    pool : sequence of targets
        Published and posed targets; those in projected years up to ``horizon`` are placed on the ladder.
    package : Scenario, optional
        The policy package whose intensity is sought for each solved target (None: no search).
    probability : float
        The probability a target is sought with, 0-1.
    draws, seed, horizon : int
        The projection's settings: Monte Carlo draws [draws], random seed and last projected year (calendar
        year); the ladder equals ``growthsim run``'s quantiles with them.
    indicator_ids : sequence of str, optional
        The indicators laddered (default: every one some target in ``pool`` bears).
    solve : callable, optional
        Which targets get a package search and a gap attribution (default: the posed ones, or every
        target in a projected year when none is posed).
    proj : Projection, optional
        The scenario's projection with these settings, when it is already at hand (a run's).

    Returns
    -------
    TargetDesk
    """
    proj = proj if proj is not None else projection(cal, scenario, horizon, draws, seed)
    ids = list(indicator_ids) if indicator_ids is not None else ladder_indicators(pool)
    ladder = ladder_frame(proj, ids) if ids else pd.DataFrame()
    tf = target_frame(proj, pool)
    ahead = [t for t in pool if t.id in set(tf.target_id)]
    pick = solve or (lambda t: bool(getattr(t, "posed", False)) or not any(getattr(x, "posed", False) for x in ahead))
    answers, gaps = {}, {}
    if package is not None:
        for t in (t for t in ahead if pick(t)):
            try:
                answers[t.id] = seek_package(cal, scenario, package, [t], probability, draws, seed)
                gaps[t.id] = gap_to_target(cal, scenario, package, t, draws, seed)
            except UserInputError:
                continue   # the package moves no lever from this scenario: nothing to seek
    return TargetDesk(scenario, package, list(pool), ladder, tf, answers, gaps, draws, seed, horizon, probability,
                      proj)
