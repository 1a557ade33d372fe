"""Goal seeking: the least lever effort that meets targets with a given probability.

"What does it take to keep GDP growth at 5 % or more in 2026 with four chances in five?"

Only targets in projected years can be sought (after the calibration's last
reported year, 2025 with the shipped data); a target of a reported year is
refused, naming the allowed years. Without a target, the first tracked target
after the last reported year is sought (``gdp_growth_2026`` today).

Every candidate setting is projected with the same seed, so all candidates
share their random numbers (common random numbers): the attainment
probability then moves with the lever only, and is (nearly) monotone in a
lever that helps. A candidate's numbers are exactly those of ``growthsim run
SCENARIO --set LEVER=VALUE --draws D --seed S`` (see
:func:`simulation.batch.project_many`), so the printed probability can be
reproduced by anyone. Candidates are evaluated together in one stacked run
(:func:`simulation.batch.outcome_draws`) that stops at the last target year:
earlier years do not depend on the horizon.

The search for one lever, over its registry bounds (or ``--bounds``), on a
grid of a tenth of the lever's slider step (whole numbers for counts):

1. Scan 17 evenly spaced values (all of them if fewer). The probability at
   the two bounds gives the lever's direction: if more of it helps, the least
   effort is the *smallest* value meeting the targets; if it hurts (e.g.
   policy closures), the *largest* value tolerated.
2. Take the first scanned value, in order of effort, that meets the targets;
   refine between it and the one before by evaluating up to 16 values at a
   time until neighbours on the grid are reached. The answer meets the targets
   at the answer itself, and the grid value before it does not.
3. If no value within the bounds meets the targets, say so, with the best
   probability reached and where.

Two levers give a frontier: for each of several values of the first lever, the
least effort of the second. "Meets the targets" means each target is met with
at least the probability (``joint=False``, the default) or all of them in the
same draw (``joint=True``).

Seeking sets a lever to a constant value from ``from_year`` (default: the
first projection year, as a plain value in a scenario file does); years before
``from_year`` keep the scenario's own values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from growthsim.calibration.fit import Calibration
from growthsim.simulation.batch import outcome_draws, project_many, scenario_paths, used_parameters
from growthsim.simulation.indicators import indicators
from growthsim.simulation.model import Projection
from growthsim.simulation.registry import NOT_YEAR_KEYED, Parameter, parameters
from growthsim.simulation.registry import levers as all_levers
from growthsim.simulation.scenario import HORIZON_MAX, ParameterValueError, Scenario, validate_values, value_path
from growthsim.simulation.targets import Target
from growthsim.simulation.units import unit_of

from ..errors import UserInputError
from ..i18n import Joined, Message
from ..settings import DEFAULT_HORIZON, DEFAULT_SEED, DRAWS, check_settings
from ..wording import Id
from .common import (
    DEFAULT_PROBABILITY,
    check_probability,
    check_projected,
    decimals_for,
    default_target,
    fmt_value,
)

SCAN_POINTS = 17
REFINE_POINTS = 16
MAX_ROWS = 120_000  # rows per stacked run: bounds the memory of one evaluation batch


class Unreachable(UserInputError):
    """No value of the lever within its bounds meets the targets with the required probability.

    An answer about the world, not a fault: the app shows it as a finding (a warning), the CLI as an error.
    """


@dataclass(frozen=True)
class Point:
    """One evaluated setting: how many draws meet each target, and all of them."""

    values: tuple[tuple[str, float], ...]
    met: tuple[int, ...]
    joint: int
    medians: tuple[float, ...]
    draws: int

    def probability(self, i: int) -> float:
        """The share of draws meeting target ``i`` (0-1)."""
        return self.met[i] / self.draws

    @property
    def joint_probability(self) -> float:
        """The share of draws meeting every target in the same draw (0-1)."""
        return self.joint / self.draws


@dataclass
class LeverSolution:
    """The answer for one lever (with the other levers of ``context`` fixed)."""

    lever: str
    context: dict[str, float]
    status: str                      # met | met_at_bound | unreachable | no_effect
    direction: str                   # up (more helps) | down (more hurts) | none
    value: float | None              # the least-effort value meeting the targets
    point: Point | None              # the evaluation at ``value``
    neighbour: Point | None          # the grid value just before it, which does not meet them
    best: Point                      # best probability reached (for unreachable)
    lower: float
    upper: float
    resolution: float
    feasible_until: float | None = None   # beyond this value the targets fail again (scan)
    notes: list[Message] = field(default_factory=list)


@dataclass
class SeekResult:
    """What a goal search found, with everything needed to reproduce and show it.

    ``current`` is the scenario as given; ``solutions`` has one entry per lever
    (``mode`` ``single`` or ``table``) or per frontier point (``frontier``);
    ``paths`` holds P10/P50/P90 by year at each solution; ``command`` reproduces
    the first point reached; ``failure`` says why no lever alone meets the targets.
    """

    targets: list[Target]
    probability: float
    joint: bool
    levers: list[str]
    scenario: Scenario
    draws: int
    seed: int
    horizon: int
    from_year: int
    current: Point
    solutions: list[LeverSolution]                 # one per lever (single), or one per frontier point
    mode: str                                       # single | frontier | table
    paths: pd.DataFrame                             # P10/P50/P90 by year at each solution
    evaluations: int
    command: str = ""
    notes: list[Message] = field(default_factory=list)
    failure: Message | None = None  # lever by lever: why no lever alone meets the targets (the table still helps)
    scenario_values: dict[str, float] = field(default_factory=dict)   # each lever's value in from_year, as given


def _round(v: float, p: Parameter) -> float:
    return float(round(v)) if p.integer else round(float(v), decimals_for(p) + 2)


class Evaluator:
    """Projects candidate settings with common random numbers; caches the results."""

    def __init__(self, calibration: Calibration, scenario: Scenario, targets: Sequence[Target], draws: int,
                 seed: int, from_year: int | None = None, joint: bool = False,
                 probability: float = DEFAULT_PROBABILITY, horizon: int | None = None):
        """Set up a search over the calibration's starting state.

        Parameters
        ----------
        calibration : Calibration
            The starting state and posterior.
        scenario : Scenario
            The scenario whose levers are moved.
        targets : Sequence[Target]
            Targets to meet (empty: the first tracked target after the last reported year).
        draws : int
            Draws per candidate (the settings' limit for a search, :data:`growthsim.settings.DRAWS`).
        seed : int
            The seed every candidate shares (common random numbers), 0 to 2^32-1 as every command's.
        from_year : int, optional
            First year the lever takes its sought value (default: the first projected year).
        joint : bool
            Whether all targets must be met in the same draw.
        probability : float
            The probability to reach, 0-1.
        horizon : int, optional
            Last projected year (default: 2030 or the last target year, if later).

        Raises
        ------
        UserInputError
            If a setting is outside its allowed range, naming it.
        """
        check_settings(kind="seek", draws=draws, seed=seed)  # the bounds of a search's draws, every seed's
        self.cal = calibration
        self.base_year = calibration.base_year
        self.first_year = self.base_year + 1
        # no target named: the first tracked target after the calibration's last year (gdp_growth_2026 today)
        self.targets = list(targets) or [default_target(self.base_year)]
        check_projected(self.targets, self.base_year)   # a reported year's target is history, not sought
        last_target = max(t.year for t in self.targets)
        self.horizon = int(horizon) if horizon is not None else max(DEFAULT_HORIZON, last_target)
        if not last_target <= self.horizon <= HORIZON_MAX:
            raise UserInputError("explore.seek_horizon", horizon=self.horizon, last_target=last_target,
                                 most=HORIZON_MAX)
        self.from_year = self.first_year if from_year is None else int(from_year)
        if not self.first_year <= self.from_year <= last_target:
            raise UserInputError("explore.seek_from_year", year=self.from_year, first=self.first_year,
                                 last_target=last_target)
        self.scenario = scenario
        self.draws, self.seed = int(draws), int(seed)
        self.joint = joint
        self.probability = check_probability(probability)
        # counts compared with integers: k/D >= P  <=>  k >= ceil(P*D) (guarding P*D's rounding)
        self.need = int(math.ceil(self.probability * self.draws - 1e-9))
        self._cache: dict[tuple, Point] = {}
        self.evaluations = 0

    # -- scenarios --
    def scenario_for(self, values: Mapping[str, float]) -> Scenario:
        """The scenario with each lever set to a constant from ``from_year`` on."""
        changes: dict[str, object] = {}
        for lid, v in values.items():
            v = float(v)
            if self.from_year == self.first_year:
                changes[lid] = v
                continue
            if lid in NOT_YEAR_KEYED:
                raise UserInputError("explore.seek_not_by_year", year=self.from_year, key=lid)
            old = self.scenario.values.get(lid)
            if old is None:
                path: dict[int, float] = {}
            elif isinstance(old, Mapping):
                path = {int(y): float(x) for y, x in old.items() if int(y) < self.from_year}
            else:
                path = {self.first_year: float(old)}
            path[self.from_year] = v
            changes[lid] = path
        try:
            clean = validate_values(changes, self.first_year)
        except ParameterValueError as err:
            raise UserInputError(err.message) from None
        return self.scenario.with_values(**clean)

    @staticmethod
    def key(values: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
        """A hashable cache key for a setting: its (lever, value) pairs, sorted."""
        return tuple(sorted((k, float(v)) for k, v in values.items()))

    def _point(self, key, proj: Projection) -> Point:
        return self._point_of(key, [t.values(proj.at) for t in self.targets])

    def _point_of(self, key, draws_per_target: Sequence[np.ndarray]) -> Point:
        met, medians, joint = [], [], np.ones(self.draws, dtype=bool)
        for t, vals in zip(self.targets, draws_per_target, strict=True):
            ok = t.met(vals)
            joint &= ok
            met.append(int(ok.sum()))
            medians.append(float(np.median(vals)))
        return Point(key, tuple(met), int(joint.sum()), tuple(medians), self.draws)

    def projections(self, settings: Sequence[Mapping[str, float]]) -> list[Projection]:
        """Full projections of the settings (not cached: used for paths)."""
        out: list[Projection] = []
        per = max(1, MAX_ROWS // self.draws)
        for i in range(0, len(settings), per):
            scen = [self.scenario_for(v) for v in settings[i:i + per]]
            out += project_many(self.cal.base, scen, self.cal.posterior, self.horizon, self.draws,
                                np.random.default_rng(self.seed))
        return out

    def evaluate(self, settings: Sequence[Mapping[str, float]]) -> list[Point]:
        """Evaluate candidate settings, projecting only those not seen before.

        Parameters
        ----------
        settings : Sequence[Mapping[str, float]]
            Lever id to value, one mapping per candidate.

        Returns
        -------
        list of Point
            One per setting, in order.
        """
        keys = [self.key(v) for v in settings]
        todo = list(dict.fromkeys(k for k in keys if k not in self._cache))
        per = max(1, MAX_ROWS // self.draws)
        needs = list(dict.fromkeys(n for t in self.targets for n in t.needs()))
        # only what the targets need: the stacked run stops at the last target year (earlier years do not
        # depend on the horizon) and keeps only the targets' indicators (simulation.batch.outcome_draws)
        years = np.arange(self.first_year, max(y for _, y in needs) + 1)
        for i in range(0, len(todo), per):
            batch = todo[i:i + per]
            scen = [self.scenario_for(dict(k)) for k in batch]
            got = outcome_draws(self.cal.base, self.scenario, self.cal.posterior,
                                scenario_paths(scen, self.cal.posterior, years), needs, self.draws,
                                np.random.default_rng(self.seed))
            for j, k in enumerate(batch):
                self._cache[k] = self._point_of(k, [t.values(lambda ind, y, j=j, got=got: got[(ind, y)][j])
                                                    for t in self.targets])
            self.evaluations += len(batch)
        return [self._cache[k] for k in keys]

    # -- criteria --
    def ok(self, p: Point) -> bool:
        """Whether a point meets the targets with the required probability (each target, or all jointly)."""
        if self.joint:
            return p.joint >= self.need
        return all(m >= self.need for m in p.met)

    def score(self, p: Point) -> float:
        """The probability that decides: the joint one, or the weakest target's."""
        return p.joint_probability if self.joint else min(p.met) / p.draws

    def margin(self, p: Point) -> float:
        """How far the medians are past the targets (relative), summed: a tie-breaker for direction."""
        total = 0.0
        for t, m in zip(self.targets, p.medians, strict=True):
            sign = 1.0 if t.rule.upward else -1.0
            total += sign * (m - t.value) / max(abs(t.value), 1e-9)
        return total


class _Grid:
    """A lever's search grid: ``lo + k * res`` for k = 0..K, the last point exactly ``hi``."""

    def __init__(self, p: Parameter, lo: float, hi: float):
        self.p, self.lo, self.hi = p, float(lo), float(hi)
        self.res = 1.0 if p.integer else p.step / 10.0
        self.K = int(math.ceil((self.hi - self.lo) / self.res - 1e-9)) if self.hi > self.lo else 0

    def value(self, k: int) -> float:
        if k >= self.K:
            return self.hi
        return _round(self.lo + k * self.res, self.p)


def _spread(a: int, b: int, n: int) -> list[int]:
    """Up to ``n`` distinct integers from a to b inclusive, evenly spaced, ends included."""
    if b - a + 1 <= n:
        return list(range(a, b + 1))
    return sorted({int(round(x)) for x in np.linspace(a, b, n)})


def solve_lever(ev: Evaluator, p: Parameter, lo: float, hi: float,
                contexts: Sequence[Mapping[str, float]] = ({},)) -> list[LeverSolution]:
    """The least-effort value of lever ``p`` in [lo, hi] for each context (other levers fixed).

    Parameters
    ----------
    ev : Evaluator
        The evaluator: the targets' probability for lever values (common random numbers).
    p : Parameter
        The lever's registry entry.
    lo : float
        Lower end of the lever [its registry unit].
    hi : float
        Upper end of the lever [its registry unit].
    contexts : Sequence[Mapping[str, float]]
        The other levers' values (registry units), one mapping per context.
    """
    grid = _Grid(p, lo, hi)
    K = grid.K

    def setting(ctx, k):
        return {**ctx, p.id: grid.value(k)}

    scan = _spread(0, K, SCAN_POINTS)
    pts = ev.evaluate([setting(c, k) for c in contexts for k in scan])
    scanned = [dict(zip(scan, pts[i * len(scan):(i + 1) * len(scan)], strict=True)) for i in range(len(contexts))]
    directions, unclear = _effort_directions(ev, scanned, K)
    states = _brackets(ev, scanned, directions, scan, K)
    _refine(ev, states, directions, [lambda k, c=c: setting(c, k) for c in contexts], K)
    return [_lever_solution(ev, p, grid, ctx, sc, d, st, unclear[i], scan, lambda k, c=ctx: setting(c, k))
            for i, (ctx, sc, d, st) in enumerate(zip(contexts, scanned, directions, states, strict=True))]


def _effort_directions(ev: Evaluator, scanned: list[dict], K: int) -> tuple[list[str], list[bool]]:
    """Each context's effort order: ``up`` (more of the lever is more effort), ``down`` (the lever hurts: less of
    it is the effort) or ``none``; and whether the order was unclear (equal at both ends, different between)."""
    directions, unclear = [], []
    for sc in scanned:
        s_lo, s_hi = ev.score(sc[0]), ev.score(sc[K])
        m_lo, m_hi = ev.margin(sc[0]), ev.margin(sc[K])
        if s_hi != s_lo:
            d = "up" if s_hi > s_lo else "down"
        elif m_lo != m_hi:
            d = "up" if m_hi > m_lo else "down"
        else:
            d = "none"
        flat = len({ev.ok(pt) for pt in sc.values()}) == 1
        if d == "none" and not flat:  # equal at both ends, different between: search from the lower end
            d = "up"
            unclear.append(True)
        else:
            unclear.append(False)
        directions.append(d)
    return directions, unclear


def _brackets(ev: Evaluator, scanned: list[dict], directions: list[str], scan: list[int], K: int) -> list:
    """Each context's bracket in effort order from the scan: [last failing e, first meeting e, k -> e], or None
    when no scanned value meets the targets."""
    states = []
    for sc, d in zip(scanned, directions, strict=True):
        order = sorted(scan) if d != "down" else sorted(scan, reverse=True)
        to_e = (lambda k: k) if d != "down" else (lambda k: K - k)
        first = next((k for k in order if ev.ok(sc[k])), None)
        if first is None:
            states.append(None)
            continue
        prev = [k for k in order if to_e(k) < to_e(first)]
        states.append([to_e(prev[-1]) if prev else None, to_e(first), to_e])
    return states


def _refine(ev: Evaluator, states: list, directions: list[str], settings: list, K: int) -> None:
    """Narrow all brackets together, in place: up to 16 interior grid values per round, until each is one step."""
    while True:
        wanted, plan = [], []
        for i, st in enumerate(states):
            if st is None or st[0] is None or st[1] - st[0] <= 1:
                continue
            es = _spread(st[0] + 1, st[1] - 1, REFINE_POINTS if st[1] - st[0] - 1 <= REFINE_POINTS
                         else REFINE_POINTS - 1)
            d = directions[i]
            ks = [e if d != "down" else K - e for e in es]
            plan.append((i, es))
            wanted += [settings[i](k) for k in ks]
        if not plan:
            break
        got = iter(ev.evaluate(wanted))
        for i, es in plan:
            res = [(e, next(got)) for e in es]
            st = states[i]
            hit = next((e for e, pt in res if ev.ok(pt)), None)
            if hit is None:
                st[0] = es[-1]
            else:
                before = [e for e, _ in res if e < hit]
                st[0], st[1] = (before[-1] if before else st[0]), hit


def _lever_solution(ev: Evaluator, p: Parameter, grid: _Grid, ctx: Mapping[str, float], sc: dict, d: str, st,
                    unclear: bool, scan: list[int], setting) -> LeverSolution:
    """One context's answer from its refined bracket: the least-effort value, its neighbour, and notes."""
    K = grid.K
    best_k = max(scan, key=lambda k: (ev.score(sc[k]), ev.margin(sc[k])))
    best = sc[best_k]
    common = dict(lever=p.id, context=dict(ctx), direction=d, best=best, lower=grid.lo, upper=grid.hi,
                  resolution=grid.res)
    if d == "none":  # the same at both bounds and everywhere scanned: the lever does not matter here
        return LeverSolution(status="no_effect", value=None, point=None, neighbour=None, **common)
    if st is None:
        return LeverSolution(status="unreachable", value=None, point=None, neighbour=None, **common)
    e_ans = st[1]
    k_ans = e_ans if d != "down" else K - e_ans
    value = grid.value(k_ans)
    point = ev.evaluate([setting(k_ans)])[0]
    neighbour = None
    if st[0] is not None:
        k_prev = st[0] if d != "down" else K - st[0]
        neighbour = ev.evaluate([setting(k_prev)])[0]
    status = "met_at_bound" if st[0] is None else "met"
    sol = LeverSolution(status=status, value=value, point=point, neighbour=neighbour, **common)
    if unclear:
        sol.notes.append(Message("explore.seek_note_flat", key=Id(p.id)))
    # does the scan show the targets failing again further along the effort order?
    to_e = st[2]
    beyond = sorted((k for k in scan if to_e(k) > e_ans), key=to_e)
    fail = next((k for k in beyond if not ev.ok(sc[k])), None)
    if fail is not None:
        ok_before = [k for k in beyond if to_e(k) < to_e(fail)]
        sol.feasible_until = grid.value(ok_before[-1]) if ok_before else value
        sol.notes.append(Message("explore.seek_note_fail_again", value=fmt_value(p, grid.value(fail)),
                             key=Id(p.id)))
    return sol


def _paths(ev: Evaluator, settings: Sequence[Mapping[str, float]], labels: Sequence[str]) -> pd.DataFrame:
    """P10/P50/P90 by year of each target's indicator at each setting."""
    meta = indicators()
    rows = []
    projs = ev.projections(list(settings))
    seen_ind = list(dict.fromkeys(t.indicator for t in ev.targets))
    for label, setting, proj in zip(labels, settings, projs, strict=True):
        reg = parameters()
        text = "; ".join(f"{k}={fmt_value(reg[k], v)}" for k, v in setting.items())
        for ind in seen_ind:
            arr = proj.values[ind]
            for j, year in enumerate(proj.years):
                col = arr[:, j]
                if not np.isfinite(col).all():
                    continue
                p10, p50, p90 = np.percentile(col, [10, 50, 90])
                rows.append({"setting": label, "levers": text, "indicator": ind,
                             "unit": meta[ind].unit, "year": int(year), "p10": p10, "p50": p50, "p90": p90})
    return pd.DataFrame(rows)


def command_for(scenario_ref: str, values: Mapping[str, float], ev: Evaluator) -> str:
    """The ``growthsim compare`` command that reproduces a solution's numbers (writes nothing).

    Parameters
    ----------
    scenario_ref : str
        The scenario as the user named it (a shipped name or a file).
    values : Mapping[str, float]
        Lever values by id, each in its registry unit.
    ev : Evaluator
        The evaluator: the targets' probability for lever values (common random numbers).
    """
    sets = []
    scen = ev.scenario_for(values)
    for lid in values:
        v = scen.values[lid]
        p = parameters()[lid]
        if isinstance(v, Mapping):
            sets.append(f"--set {lid}=" + ",".join(f"{y}:{fmt_value(p, x)}" for y, x in v.items()))
        else:
            sets.append(f"--set {lid}={fmt_value(p, v)}")
    return (f"growthsim compare {scenario_ref} " + " ".join(sets)
            + f" --draws {ev.draws} --seed {ev.seed} --horizon {ev.horizon}")


def _values_at(ev: Evaluator) -> dict[str, float]:
    """Each lever's value in ``from_year`` in the scenario as given (calibrated point where not set)."""
    out = {}
    years = np.array([ev.from_year])
    for lid, p in parameters().items():
        if p.kind == "lever":
            out[lid] = float(value_path(ev.scenario.values.get(lid), ev.cal.posterior.default(lid), years)[0])
    return out


def seek(calibration: Calibration, scenario: Scenario, targets: Sequence[Target], levers: Sequence[Parameter],
         probability: float = DEFAULT_PROBABILITY, draws: int = DRAWS["seek"].default, seed: int = DEFAULT_SEED,
         from_year: int | None = None,
         joint: bool = False, bounds: Mapping[str, tuple[float, float]] | None = None,
         frontier_points: int = 9, scenario_ref: str = "baseline", horizon: int | None = None,
         on_progress: Callable[[Message], None] | None = None) -> SeekResult:
    """Find what it takes to meet ``targets`` with at least ``probability``.

    ``targets`` empty: the first tracked target after the calibration's last
    year. A target of a reported year raises UserInputError (zh/en).

    ``levers``: one (the required value), two (a frontier: the second lever's
    least effort for each of ``frontier_points`` values of the first), or none
    (every lever on its own, a table). ``bounds`` narrows a lever's search
    range (within the registry bounds). ``horizon`` is the projection's last
    year (default: 2030, as ``growthsim compare``, or the last target year if
    later): the model draws its noise for the whole horizon, so the same
    horizon gives the same numbers as a plain run. Raises UserInputError when
    the targets cannot be met within the bounds. Draws, seed and probability
    default to the settings' (:mod:`growthsim.settings`).

    Parameters
    ----------
    calibration : Calibration
        The calibration: base state and posterior.
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    targets : Sequence[Target]
        The targets (empty: the first tracked target after the calibration's last year).
    levers : Sequence[Parameter]
        The levers searched (one, two for a frontier, or a package).
    probability : float
        The probability required, 0-1.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    from_year : int | None
        First year the lever moves (calendar year), or None: the first projected year.
    joint : bool
        Require all targets together (True) or each on its own.
    bounds : Mapping[str, tuple[float, float]] | None
        Search ranges by lever id, in its registry unit, or None: the registry's.
    frontier_points : int
        Points on a two-lever frontier [points].
    scenario_ref : str
        The scenario as the user named it (a shipped name or a file).
    horizon : int | None
        Last projected year (calendar year), or None: the last target's year.
    on_progress : Callable[[Message], None] | None
        Called as the work advances with what it is doing (for a progress bar, in the reader's language), or None.
    """
    probability = check_probability(probability)
    bounds = _check_search(levers, frontier_points, bounds)
    ev = Evaluator(calibration, scenario, targets, draws, seed, from_year, joint, probability, horizon)
    used = set(used_parameters(calibration.base, calibration.posterior, ev.horizon))
    for p in levers:
        if p.id not in used:
            raise UserInputError("explore.seek_lever_unused", key=p.id)
    current = ev.evaluate([{}])[0]
    say = on_progress or (lambda _msg: None)
    search = _Search(ev, scenario, scenario_ref, probability, joint, current, bounds, say)
    if len(levers) == 1:
        return search.one(levers[0])
    if len(levers) == 2:
        return search.frontier(*levers, frontier_points)
    return search.each(used)


def _check_search(levers: Sequence[Parameter], frontier_points: int,
                  bounds: Mapping[str, tuple[float, float]] | None) -> dict[str, tuple[float, float]]:
    """The search's own options: at most two levers, the frontier's points, bounds only for levers sought."""
    if len(levers) > 2:
        raise UserInputError("explore.seek_too_many_levers")
    if not 2 <= frontier_points <= 101:
        raise UserInputError("explore.range", option="--points", value=frontier_points, lo=2, hi=101)
    bounds = dict(bounds or {})
    for lid in bounds:
        if lid not in [p.id for p in levers]:
            sought = [p.id for p in levers] or Message("explore.none_given")
            raise UserInputError("explore.seek_bounds_not_sought", key=lid, sought=sought)
    return bounds


@dataclass
class _Search:
    """One search's evaluator and options; :meth:`one`, :meth:`frontier` and :meth:`each` give its result."""

    ev: Evaluator
    scenario: Scenario
    scenario_ref: str
    probability: float
    joint: bool
    current: Point
    bounds: dict[str, tuple[float, float]]
    say: Callable[[Message], None]  # what it is doing, for a progress bar

    def range_of(self, p: Parameter) -> tuple[float, float]:
        """The lever's search range: its bounds, or the narrower ones given."""
        return self.bounds.get(p.id, (p.lower, p.upper))

    def result(self, levers: list[str], sols: list, kind: str, paths: pd.DataFrame, settings: dict | None = None,
               **extra) -> SeekResult:
        """The search's result; ``settings`` (a lever setting) also gives the command that reproduces it."""
        ev = self.ev
        if settings is not None:
            extra["command"] = command_for(self.scenario_ref, settings, ev)
        return SeekResult(list(ev.targets), self.probability, self.joint, levers, self.scenario, ev.draws, ev.seed,
                          ev.horizon, ev.from_year, self.current, sols, kind, paths, ev.evaluations,
                          scenario_values=_values_at(ev), **extra)

    def one(self, p: Parameter) -> SeekResult:
        """One lever: the value it needs."""
        ev = self.ev
        self.say(Message("explore.seek_progress_lever", id=p.id))
        sol = solve_lever(ev, p, *self.range_of(p))[0]
        if sol.status == "unreachable":
            raise Unreachable(_unreachable_message(ev, sol))
        if sol.status == "no_effect":
            if not ev.ok(self.current):
                raise UserInputError("explore.seek_no_effect", lever=Id(p.id), names=[Id(t.id) for t in ev.targets],
                                     lo=fmt_value(p, sol.lower), hi=fmt_value(p, sol.upper), unit=unit_of(p.unit),
                                     p=ev.score(sol.best))
            return self.result([p.id], [sol], "single", _paths(ev, [{}], ["scenario"]), {})
        return self.result([p.id], [sol], "single", _paths(ev, [{p.id: sol.value}], ["solution"]), {p.id: sol.value})

    def frontier(self, a: Parameter, b: Parameter, points: int) -> SeekResult:
        """Two levers: the second's least effort for each of ``points`` values of the first."""
        ev = self.ev
        ga = _Grid(a, *self.range_of(a))
        contexts = [{a.id: ga.value(k)} for k in _spread(0, ga.K, points)]
        self.say(Message("explore.seek_progress_frontier", a=a.id, b=b.id))
        sols = [_met_without(ev, b, s) for s in solve_lever(ev, b, *self.range_of(b), contexts=contexts)]
        reached = [s for s in sols if s.status in ("met", "met_at_bound")]
        if not reached:
            best = max(sols, key=lambda s: ev.score(s.best))
            raise Unreachable(  # an answer about the world, as for one lever
                "explore.seek_unreachable_two", names=[Id(t.id) for t in ev.targets], p=self.probability,
                a=Id(a.id), b=Id(b.id), lo=fmt_value(a, ga.lo), hi=fmt_value(a, ga.hi), unit=unit_of(a.unit),
                best=ev.score(best.best), va=fmt_value(a, best.context[a.id]),
                vb=fmt_value(b, dict(best.best.values)[b.id]), unit_b=unit_of(b.unit))
        settings = [{**s.context, b.id: s.value} for s in reached]
        paths = _paths(ev, settings, [f"{a.id}={fmt_value(a, s.context[a.id])}" for s in reached])
        return self.result([a.id, b.id], sols, "frontier", paths, settings[0])

    def each(self, used: set[str]) -> SeekResult:
        """No lever named: every lever the model reads, each on its own (a table)."""
        ev = self.ev
        sols, notes = [], []
        for p in all_levers().values():
            if p.id not in used:
                notes.append(Message("explore.seek_note_unused", key=Id(p.id)))
                continue
            if ev.from_year != ev.first_year and p.id in NOT_YEAR_KEYED:
                notes.append(Message("explore.seek_note_not_by_year", key=Id(p.id), year=ev.from_year))
                continue
            self.say(Message("explore.seek_progress_lever", id=p.id))
            sols.append(solve_lever(ev, p, p.lower, p.upper)[0])
        reached = [s for s in sols if s.status in ("met", "met_at_bound")]
        failure = None
        if not reached and not ev.ok(self.current):
            best = max(sols, key=lambda s: ev.score(s.best))
            failure = Message("explore.seek_no_lever_alone", p=self.probability, lever=Id(best.lever),
                              value=fmt_value(parameters()[best.lever], dict(best.best.values)[best.lever]),
                              best=ev.score(best.best))
        paths = _paths(ev, [{s.lever: s.value} for s in reached], [s.lever for s in reached]) if reached else \
            pd.DataFrame(columns=["setting", "levers", "indicator", "unit", "year", "p10", "p50", "p90"])
        return self.result([], sols, "table", paths, notes=notes, failure=failure)


def frontier_direction(res: SeekResult) -> str:
    """Whether more of the frontier's second lever helps (``up``), hurts (``down``) or matters nowhere
    (``none``): the first frontier point where it matters says."""
    return next((s.direction for s in res.solutions if s.direction in ("up", "down")), "none")


def _met_without(ev: Evaluator, b: Parameter, sol: LeverSolution) -> LeverSolution:
    """A frontier point where ``b`` does not matter but the first lever alone meets the targets: reached, with
    ``b`` at its lower bound (no effort of it is needed; e.g. projects, which act after their lag, for a target
    of the first projected year). Any other solution is returned as it is."""
    if sol.status != "no_effect" or not ev.ok(sol.best):
        return sol
    value = sol.lower
    point = ev.evaluate([{**sol.context, b.id: value}])[0]
    out = LeverSolution(status="met_at_bound", value=value, point=point, neighbour=None, lever=sol.lever,
                        context=sol.context, direction="none", best=sol.best, lower=sol.lower, upper=sol.upper,
                        resolution=sol.resolution)
    out.notes.append(Message("explore.seek_note_not_needed", key=Id(b.id)))
    return out


def _unreachable_message(ev: Evaluator, sol: LeverSolution) -> Message:
    """No value of one lever is enough: the best it reaches, target by target."""
    p = parameters()[sol.lever]
    joint = Message("explore.seek_joint") if ev.joint and len(ev.targets) > 1 else ""
    per = Joined(Message("explore.seek_target_probability", key=Id(t.id), p=sol.best.probability(i))
                 for i, t in enumerate(ev.targets))
    return Message("explore.seek_unreachable_one", names=[Id(t.id) for t in ev.targets], p=ev.probability,
                   joint=joint, lever=Id(sol.lever), lo=fmt_value(p, sol.lower), hi=fmt_value(p, sol.upper),
                   unit=unit_of(p.unit), best=fmt_value(p, dict(sol.best.values)[sol.lever]), per=per)


def result_tables(res: SeekResult) -> dict[str, pd.DataFrame]:
    """The result as tables (solutions, paths) for files and the app."""
    rows = []
    for s in res.solutions:
        p = parameters()[s.lever]
        row = {**{f"context_{k}": v for k, v in s.context.items()}, "lever": s.lever, "unit": p.unit,
               "status": s.status, "direction": s.direction, "required_value": s.value,
               "search_lower": s.lower, "search_upper": s.upper, "resolution": s.resolution,
               "feasible_until": s.feasible_until}
        pt = s.point if s.point is not None else s.best
        if s.point is None:
            row["best_value"] = dict(s.best.values)[s.lever]
        for i, t in enumerate(res.targets):
            row[f"probability_{t.id}"] = pt.probability(i)
            row[f"p50_{t.id}"] = pt.medians[i]
        row["probability_all"] = pt.joint_probability
        if s.neighbour is not None:
            row["previous_value"] = dict(s.neighbour.values)[s.lever]
            row["previous_probability"] = (s.neighbour.joint_probability if res.joint
                                           else min(s.neighbour.met) / s.neighbour.draws)
        row["notes"] = "; ".join(str(n) for n in s.notes)  # the file's notes in English
        rows.append(row)
    return {"solutions": pd.DataFrame(rows), "paths": res.paths}


def result_facts(res: SeekResult) -> dict:
    """The search's settings and outcome as a JSON-ready dict (for ``seek.json``)."""
    return {
        "targets": [t.id for t in res.targets], "probability": res.probability, "joint": res.joint,
        "levers": res.levers, "mode": res.mode, "scenario": res.scenario.id, "draws": res.draws, "seed": res.seed,
        "horizon": res.horizon, "from_year": res.from_year, "evaluations": res.evaluations,
        "current_probabilities": {t.id: res.current.probability(i) for i, t in enumerate(res.targets)},
        "reproduce": res.command, "notes": [str(n) for n in res.notes],
    }
