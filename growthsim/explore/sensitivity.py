"""Global sensitivity over time: Sobol and Morris indices per indicator and year.

Every lever and uncertainty of the registry is a factor, varied over its
registry bounds (SALib). Each sample of factor values is run for ``draws``
draws of the model's own noise (firm upgrades, projects, exits, growth
volatility); the outcome of a sample is

- the mean over its draws of each indicator in each projection year, and
- the share of its draws meeting each tracked target (the attainment probability).

The draws are the same for every sample (common random numbers), so a factor
that cannot reach an outcome gets an index of exactly zero, and differences
between samples come from the factors alone. A factor is fixed within a
sample: the prior spreads the scenario runs draw around a value are not added
here (they would blur which factor does what).

Mappings:

- whole-number factors (counts, the project lag) are sampled uniformly on
  ``[lower, upper + 1)`` and rounded down, so each whole value is equally likely;
- ``demand_shock_year`` is sampled over the projection years after the last
  reported year (2026 to the horizon with data through 2025): a reported year
  had no shock the data did not show, and a shock after the horizon cannot
  move these outcomes. Its size (from 0) is a separate factor, so half the
  range of sizes means a mild shock, not none.
- only the parameters the annual model reads are factors by default
  (:func:`simulation.batch.used_parameters`); the event engine's are listed as
  left out. Projections start after the last reported year, so no projected
  year has reported flows unless the base state imposes them
  (``base.history``), which then win in every sample: history is not a factor.
- the targets whose probability is an outcome are those in projected years
  (after the calibration's last year, up to the horizon), or those named.

Sobol indices: first order (S1, the share of variance a factor explains on its
own) and total order (ST, including its interactions), from Saltelli/Sobol
sequences (SALib ``sample.sobol`` and ``analyze.sobol``), N base samples give
N × (k + 2) model runs for k factors (N × (2k + 2) with second order). Morris
elementary effects (``mu_star``) rank the factors from far fewer runs.
"""

from __future__ import annotations

import concurrent.futures as cf
import io
import math
import os
import textwrap
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from growthsim import vega
from growthsim.calibration.fit import Calibration
from growthsim.calibration.targets import tracked_targets
from growthsim.calibration.textfile import TextFileError, read_text
from growthsim.simulation.batch import simulate_settings, used_parameters
from growthsim.simulation.indicators import indicators
from growthsim.simulation.model import BaseState, Posterior
from growthsim.simulation.registry import GROUP_LABELS, parameters
from growthsim.simulation.scenario import HORIZON_MAX
from growthsim.simulation.targets import Target

from ..candidates import resolve_one
from ..errors import UserInputError
from ..i18n import Message
from ..i18n import text as catalogue_text
from ..io import safe_stem
from ..outfolder import own_files, read_manifest
from ..settings import DEFAULT_HORIZON, DEFAULT_LANG, DEFAULT_SEED, DRAWS, check_settings
from .common import (
    check_projected,
    csv_bytes,
    json_bytes,
    process_pool,
    projected_targets,
    resolve_parameter,
    resolve_targets,
    split_names,
)

DEFAULT_N = 1024
DEFAULT_DRAWS = DRAWS["sensitivity"].default  # the settings' (growthsim.settings.DRAWS)
DEFAULT_TRAJECTORIES = 64
DEFAULT_LEVELS = 4
CHUNK_ROWS = 25_600  # rows (samples × draws) per stacked run
METHODS = ("sobol", "morris")


@dataclass(frozen=True)
class Factor:
    """One factor of the sensitivity analysis: a lever or uncertainty and the range it is varied over.

    ``lower`` and ``upper`` are the registry bounds (for ``demand_shock_year``, the
    projected years); whole-number factors are sampled on ``[lower, upper + 1)`` and
    rounded down.
    """

    id: str
    lower: float          # registry bounds (or the projection years for the shock year)
    upper: float
    integer: bool
    note: str = ""

    @property
    def sample_bounds(self) -> list[float]:
        """The range SALib samples: ``[lower, upper + 1]`` for whole numbers (rounded down), else ``[lower, upper]``."""
        return [self.lower, self.upper + 1.0] if self.integer else [self.lower, self.upper]

    def to_value(self, x: np.ndarray) -> np.ndarray:
        """Map SALib's samples to the factor's values: rounded down for whole numbers, clipped to the bounds."""
        if self.integer:
            return np.clip(np.floor(x), self.lower, self.upper)
        return np.clip(x, self.lower, self.upper)


@dataclass(frozen=True)
class Outcome:
    """One outcome whose sensitivity is measured.

    ``kind`` ``mean``: the mean over a sample's draws of ``indicator`` in ``year``;
    ``probability``: the share of its draws meeting target ``target_id``.
    """

    kind: str                 # mean | probability
    indicator: str
    year: int
    target_id: str = ""
    target: object = None     # the target itself (a shipped or a posed one), for a probability

    @property
    def key(self) -> str:
        """The outcome's column name: ``indicator:year`` or ``probability:target_id``."""
        return f"probability:{self.target_id}" if self.kind == "probability" else f"{self.indicator}:{self.year}"


@dataclass(frozen=True)
class SensitivitySettings:
    """The settings of a sensitivity analysis, as given on the command line.

    ``n`` is the Sobol base sample (a power of two); ``trajectories`` and ``levels``
    set the Morris design; ``draws`` and ``seed`` the model's own noise, shared by
    every sample; empty ``parameters`` and ``targets`` mean every factor and every
    tracked target in a projected year.
    """

    n: int = DEFAULT_N
    trajectories: int = DEFAULT_TRAJECTORIES
    levels: int = DEFAULT_LEVELS
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    horizon: int = DEFAULT_HORIZON
    parameters: tuple[str, ...] = ()       # empty: every lever and uncertainty
    targets: tuple[str, ...] = ()          # empty: every tracked target in a projected year (to the horizon)
    methods: tuple[str, ...] = METHODS
    second_order: bool = False
    resamples: int = 100
    workers: int = 1

    def check(self, base_year: int) -> None:
        """Refuse settings outside their allowed ranges.

        Parameters
        ----------
        base_year : int
            The calibration's last year; the horizon must be after it.

        Raises
        ------
        UserInputError
            Naming the first setting that is out of range and what is allowed.
        """
        bad = [m for m in self.methods if m not in METHODS]
        if bad or not self.methods:
            raise UserInputError("explore.choice", option="--method", value=bad[0] if bad else "",
                                 allowed=list(METHODS))
        if "sobol" in self.methods and (self.n < 4 or self.n & (self.n - 1)):
            raise UserInputError("explore.sobol_n", n=self.n)
        if self.n > 2**16:
            raise UserInputError("explore.up_to", option="--n", value=self.n, most=2**16)
        if not 2 <= self.trajectories <= 10_000:
            raise UserInputError("explore.range", option="--trajectories", value=self.trajectories, lo=2, hi=10000)
        if self.levels < 2 or self.levels % 2:
            raise UserInputError("explore.morris_levels", levels=self.levels)
        check_settings(kind="sensitivity", draws=self.draws, seed=self.seed)  # the draws' limit, every seed's bounds
        if not base_year < self.horizon <= HORIZON_MAX:
            raise UserInputError("explore.range", option="--horizon", value=self.horizon, lo=base_year + 1,
                                 hi=HORIZON_MAX)
        if not 1 <= self.workers <= 256:
            raise UserInputError("explore.range", option="--workers", value=self.workers, lo=1, hi=256)
        if not 10 <= self.resamples <= 10_000:
            raise UserInputError("explore.range", option="--resamples", value=self.resamples, lo=10, hi=10000)
        if self.targets:  # named: known, tracked, and in a projected year up to the horizon (zh/en otherwise)
            check_projected(given_targets(self.targets, base_year, self.horizon), base_year, self.horizon)


def factor_list(ids: Sequence[str], base_year: int, horizon: int, default: Sequence[str] | None = None,
                data_through: int | None = None) -> list[Factor]:
    """The factors: registry parameters with their sampling ranges (see the module notes).

    ``default`` (when no ids are given): the parameters the annual model reads.
    The shock year is sampled over the years after ``data_through`` (reported
    years had no shock) up to the horizon.

    Parameters
    ----------
    ids : Sequence[str]
        Parameter ids given (empty: the default set).
    base_year : int
        The calibration's last reported year (calendar year); projected years come after it.
    horizon : int
        Last projected year (calendar year).
    default : Sequence[str] | None
        The default factor ids, or None: the parameters the annual model reads.
    data_through : int | None
        Reported figures used up to this year (calendar year), or None: all.
    """
    reg = parameters()
    chosen = split_names(ids) or list(default if default is not None else reg)
    first_open = max(base_year, data_through if data_through is not None else base_year) + 1
    if first_open > horizon:
        first_open = base_year + 1
    out = []
    for pid in chosen:
        p = resolve_parameter(pid, "--params")
        if pid == "demand_shock_year":
            lo, hi = max(p.lower, first_open), min(p.upper, horizon)
            out.append(Factor(pid, lo, hi, True, f"sampled over the unreported projection years {lo:g}-{hi:g}"))
        else:
            out.append(Factor(pid, p.lower, p.upper, p.integer,
                              "whole numbers, each equally likely" if p.integer else ""))
    if len({f.id for f in out}) != len(out):
        raise UserInputError("explore.params_twice")
    if len(out) < 2:
        raise UserInputError("explore.params_too_few")
    return out


def problem(factors: Sequence[Factor]) -> dict:
    """The SALib problem for the factors: their count, ids and sampled bounds."""
    return {"num_vars": len(factors), "names": [f.id for f in factors],
            "bounds": [f.sample_bounds for f in factors]}


def to_values(factors: Sequence[Factor], X: np.ndarray) -> np.ndarray:
    """Map a SALib sample matrix (samples × factors) to factor values, column by column."""
    return np.column_stack([f.to_value(X[:, j]) for j, f in enumerate(factors)])


def outcome_targets(base_year: int, horizon: int, target_ids: Sequence[str] = ()) -> list[Target]:
    """The targets whose probability is an outcome: those named, else every tracked one in a projected year.

    Sorted by year (then file order), so the first is the first target after
    the calibration's last year (``gdp_growth_2026`` with data through 2025).

    Parameters
    ----------
    base_year : int
        The calibration's last reported year (calendar year); projected years come after it.
    horizon : int
        Last projected year (calendar year).
    target_ids : Sequence[str]
        Target ids named (empty: every tracked one in a projected year).
    """
    if target_ids:
        return sorted(given_targets(target_ids, base_year, horizon), key=lambda t: t.year)
    return projected_targets(base_year, horizon)


def runner_safe_stem(text: str) -> str:
    """A compact target as a file-name stem: ``mfg_va_share_gdp@2030>=27`` -> ``mfg_va_share_gdp_2030_ge_27``."""
    return safe_stem(text.replace(">=", "_ge_").replace("<=", "_le_").replace(">", "_gt_").replace("~", "_about_")
                     .replace("@", "_"), fallback="target", ascii_only=True)


def given_targets(items: Sequence[str], base_year: int, horizon: int) -> list[Target]:
    """Targets named on the command line: shipped ids (as ``resolve_targets``) or compact targets (测算目标).

    Parameters
    ----------
    items : Sequence[str]
        The ``--target`` values.
    base_year : int
        The calibration's last reported year (calendar year); projected years come after it.
    horizon : int
        Last projected year (calendar year).
    """
    if not any("@" in str(t) for t in items):
        return resolve_targets(items)
    return [resolve_one(str(t), base_year + 1, horizon) for t in split_names(items)]


def outcome_list(base_year: int, horizon: int, target_ids: Sequence[str] = ()) -> list[Outcome]:
    """Every outcome of the analysis.

    Parameters
    ----------
    base_year : int
        The calibration's last year.
    horizon : int
        The last projected year.
    target_ids : Sequence[str]
        Targets whose probability is an outcome (empty: every tracked one in a projected year).

    Returns
    -------
    list of Outcome
        The mean of each indicator in each projected year, then each target's probability.
    """
    out = [Outcome("mean", ind, y) for ind in indicators() for y in range(base_year + 1, horizon + 1)]
    out += [Outcome("probability", t.indicator, t.year, t.id, t) for t in outcome_targets(base_year, horizon,
                                                                                          target_ids)]
    return out


def evaluate(base: BaseState, posterior: Posterior, names: Sequence[str], values: np.ndarray, horizon: int,
             draws: int, seed: int, outcomes: Sequence[Outcome]) -> np.ndarray:
    """Outcomes ``(samples, len(outcomes))`` of each row of ``values``; pure and chunk-independent.

    Every call uses a fresh ``default_rng(seed)``: all samples, in any chunk,
    share the same draws of the model's noise.

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter.
    names : Sequence[str]
        The factors' parameter ids.
    values : numpy.ndarray
        Factor values ``(samples, len(names))``, each in its registry unit.
    horizon : int
        Last projected year (calendar year).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    outcomes : Sequence[Outcome]
        The outcomes: indicator means by year and targets' probabilities.
    """
    # only what the outcomes need: up to the last outcome year (earlier years do not depend on the horizon)
    # and only their indicators, in one stacked (settings, draws) run per part (simulation.batch)
    last = max((o.year for o in outcomes), default=horizon)
    years = np.arange(base.year + 1, min(horizon, last) + 1)
    needed = tuple(dict.fromkeys(o.indicator for o in outcomes))   # a measure reads only its own indicator
    S = len(values)
    out = np.empty((S, len(outcomes)))
    per = max(1, CHUNK_ROWS // draws)
    targets = tracked_targets()
    for start in range(0, S, per):
        part = values[start:start + per]
        res = simulate_settings(base, posterior, names, part, years, draws, np.random.default_rng(seed), needed)
        for j, o in enumerate(outcomes):
            if o.kind == "mean":
                col = np.ascontiguousarray(res[o.indicator][:, :, o.year - base.year])
                out[start:start + len(part), j] = col.mean(axis=1)
            else:
                t = o.target if o.target is not None else targets[o.target_id]
                # a level, or a posed target's average, change or total over its years
                vals = t.values(lambda ind, y, res=res: res[ind][:, :, y - base.year])
                out[start:start + len(part), j] = t.met(vals).mean(axis=1)
    return out


_WORKER: dict = {}


def _init_worker(base, posterior, names, horizon, draws, seed, outcomes) -> None:
    _WORKER.update(base=base, posterior=posterior, names=names, horizon=horizon, draws=draws, seed=seed,
                   outcomes=outcomes)


def _worker_chunk(values: np.ndarray) -> np.ndarray:
    w = _WORKER
    return evaluate(w["base"], w["posterior"], w["names"], values, w["horizon"], w["draws"], w["seed"],
                    w["outcomes"])


def evaluate_parallel(base: BaseState, posterior: Posterior, names: Sequence[str], values: np.ndarray,
                      horizon: int, draws: int, seed: int, outcomes: Sequence[Outcome], pool=None,
                      on_progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """:func:`evaluate` in chunks, on ``pool`` (a :func:`worker_pool`) if given; the numbers do not depend on it.

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter.
    names : Sequence[str]
        The factors' parameter ids.
    values : numpy.ndarray
        Factor values ``(samples, len(names))``, each in its registry unit.
    horizon : int
        Last projected year (calendar year).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    outcomes : Sequence[Outcome]
        The outcomes: indicator means by year and targets' probabilities.
    pool
        A worker pool from :func:`worker_pool`, or None: this process.
    on_progress : Callable[[int, int], None] | None
        Called as the work advances (for a progress bar), or None.
    """
    per = max(1, CHUNK_ROWS // draws)
    starts = list(range(0, len(values), per))
    out = np.empty((len(values), len(outcomes)))
    done = 0
    if pool is None or len(starts) == 1:
        for s in starts:
            out[s:s + per] = evaluate(base, posterior, names, values[s:s + per], horizon, draws, seed, outcomes)
            done += min(per, len(values) - s)
            if on_progress:
                on_progress(done, len(values))
        return out
    futures = {pool.submit(_worker_chunk, values[s:s + per]): s for s in starts}
    try:
        for fut in cf.as_completed(futures):
            s = futures[fut]
            out[s:s + per] = fut.result()
            done += min(per, len(values) - s)
            if on_progress:
                on_progress(done, len(values))
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    return out


def worker_pool(base: BaseState, posterior: Posterior, names: Sequence[str], horizon: int, draws: int, seed: int,
                outcomes: Sequence[Outcome], workers: int):
    """Local worker processes that know the model's context (None for one worker: run in this process).

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter.
    names : Sequence[str]
        The factors' parameter ids.
    horizon : int
        Last projected year (calendar year).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    outcomes : Sequence[Outcome]
        The outcomes: indicator means by year and targets' probabilities.
    workers : int
        Processes to run on (1: this one).
    """
    if workers <= 1:
        return None
    return process_pool(workers, _init_worker, (base, posterior, list(names), horizon, draws, seed, list(outcomes)))


def _analyze_one(method: str, prob: dict, y: np.ndarray, X: np.ndarray | None, opts: dict) -> dict:
    """SALib's analysis of one outcome column (runs in a worker process when there are several)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "sobol":
            # deferred: SALib.analyze (32 modules) is needed only on this path
            from SALib.analyze import sobol as sobol_analyze
            si = sobol_analyze.analyze(prob, y, calc_second_order=opts["second_order"],
                                       num_resamples=opts["resamples"], seed=opts["seed"])
            keys = ("S1", "S1_conf", "ST", "ST_conf") + (("S2",) if opts["second_order"] else ())
        else:
            # deferred: SALib.analyze (32 modules) is needed only on this path
            from SALib.analyze import morris as morris_analyze
            si = morris_analyze.analyze(prob, X, y, num_levels=opts["levels"], num_resamples=opts["resamples"],
                                        seed=opts["seed"])
            keys = ("mu", "mu_star", "sigma", "mu_star_conf")
    return {k: np.asarray(si[k], dtype=float) for k in keys}


def _analyze_star(args) -> dict:
    return _analyze_one(*args)


def analyze_all(method: str, prob: dict, Y: np.ndarray, X: np.ndarray | None, opts: dict,
                columns: Sequence[int], pool=None, workers: int = 1) -> dict[int, dict]:
    """Analyse every outcome column in ``columns`` (on ``pool`` if given); identical results either way.

    Parameters
    ----------
    method : str
        ``sobol`` or ``morris``.
    prob : dict
        The SALib problem: factor names and bounds (registry units).
    Y : numpy.ndarray
        Outcomes per sample ``(samples, outcomes)``.
    X : numpy.ndarray | None
        The samples ``(samples, factors)`` (registry units), or None for Sobol.
    opts : dict
        The analysis's options.
    columns : Sequence[int]
        The outcome columns to analyse.
    pool
        A worker pool from :func:`worker_pool`, or None: this process.
    workers : int
        Processes to run on (1: this one).
    """
    tasks = [(method, prob, np.ascontiguousarray(Y[:, j]), X, opts) for j in columns]
    if pool is None or len(tasks) < 2:
        return {j: _analyze_one(*t) for j, t in zip(columns, tasks, strict=True)}
    return dict(zip(columns, pool.map(_analyze_star, tasks, chunksize=max(1, len(tasks) // (4 * workers))),
                    strict=True))


@dataclass
class SensitivityResult:
    """The sensitivity analysis's result.

    ``sobol`` has one row per outcome and factor (S1, ST and their confidence),
    ``morris`` the same for the elementary effects, ``drivers`` one row per outcome
    with its leading factors; ``not_in_model`` lists the registry parameters the
    annual model does not read (left out as factors).
    """

    settings: SensitivitySettings
    base_year: int
    factors: list[Factor]
    outcomes: list[Outcome]
    sobol: pd.DataFrame          # one row per outcome and factor
    morris: pd.DataFrame
    drivers: pd.DataFrame        # one row per outcome: the leading factors
    runs: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    not_in_model: list[str] = field(default_factory=list)   # registry parameters the annual model does not read


def _meta(f: Factor) -> dict:
    p = parameters()[f.id]
    return {"parameter": f.id, "kind": p.kind, "group": p.group, "label_zh": p.label_zh, "label_en": p.label_en}


def _outcome_cols(o: Outcome) -> dict:
    return {"outcome": o.key, "measure": o.kind, "indicator": o.indicator, "year": o.year, "target_id": o.target_id}


def _constant(y: np.ndarray) -> bool:
    return (not np.isfinite(y).all()) or float(np.ptp(y)) <= 1e-12 * max(1.0, float(np.abs(y).max()))


def _seed_int(seed: int, stream: int) -> int:
    # SALib's analyze treats a seed of 0 as "no seed": derive a positive one.
    return int(np.random.default_rng([seed, stream]).integers(1, 2**31 - 1))


def run_sensitivity(calibration: Calibration, settings: SensitivitySettings,
                    on_progress: Callable[[str, int, int], None] | None = None) -> SensitivityResult:
    """Sample, run and analyse; nothing is written here.

    Parameters
    ----------
    calibration : Calibration
        The calibration: base state and posterior.
    settings : SensitivitySettings
        The sensitivity settings: factors, samples, draws, seed, horizon, methods.
    on_progress : Callable[[str, int, int], None] | None
        Called as the work advances (for a progress bar), or None.
    """
    base_year = calibration.base_year
    settings.check(base_year)
    used = used_parameters(calibration.base, calibration.posterior, settings.horizon)
    factors = factor_list(settings.parameters, base_year, settings.horizon, used, calibration.data_through)
    unused = [n for n in parameters() if n not in used]
    prob = problem(factors)
    names = [f.id for f in factors]
    outcomes = outcome_list(base_year, settings.horizon, settings.targets)
    timings: dict[str, float] = {}
    runs: dict[str, int] = {}
    say = on_progress or (lambda *_: None)

    pool = worker_pool(calibration.base, calibration.posterior, names, settings.horizon, settings.draws,
                       settings.seed, outcomes, settings.workers)
    try:
        return _run(calibration, settings, factors, prob, names, outcomes, timings, runs, say, pool, unused)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def sobol_indices(prob: dict, n: int, model: Callable[[np.ndarray], np.ndarray], seed: int, resamples: int = 100,
                  second_order: bool = False, pool=None, workers: int = 1, timings: dict | None = None,
                  say: Callable[[str, int, int], None] | None = None) -> tuple[np.ndarray, np.ndarray, dict]:
    """The Sobol pipeline: Saltelli/Sobol sample of ``prob``, ``model``, SALib analysis of each outcome column.

    ``model`` maps the samples ``(N (k + 2), k)`` (``N (2k + 2)`` with second
    order) to outcomes ``(samples,)`` or ``(samples, outcomes)``; columns
    constant across samples are not analysed (no variance to share). Returns
    ``(X, Y, indices)`` with ``indices[j]`` SALib's S1, S1_conf, ST, ST_conf
    (and S2) of column ``j``. :func:`run_sensitivity` runs the model through
    it; a known function (the Ishigami test) goes through the same code.

    Parameters
    ----------
    prob : dict
        The SALib problem: factor names and bounds (registry units).
    n : int
        Base samples (Saltelli's N) [samples].
    model : Callable[[numpy.ndarray], numpy.ndarray]
        Samples ``(samples, factors)`` to outcomes.
    seed : int
        Random seed; the same seed gives the same numbers.
    resamples : int
        Bootstrap resamples for the confidence intervals.
    second_order : bool
        Also the second-order indices.
    pool
        A worker pool from :func:`worker_pool`, or None: this process.
    workers : int
        Processes to run on (1: this one).
    timings : dict | None
        Seconds of each phase, filled in, or None.
    say : Callable[[str, int, int], None] | None
        Called with (phase, done, total) as it advances, or None.
    """
    # deferred: SALib.sample (32 modules) is needed only on this path
    from SALib.sample import sobol as sobol_sample

    timings = {} if timings is None else timings
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X = sobol_sample.sample(prob, n, calc_second_order=second_order, seed=np.random.default_rng([seed, 4]))
    timings["sobol_sample_s"] = time.perf_counter() - t0
    Y = np.asarray(model(X), dtype=float)
    Y = Y[:, None] if Y.ndim == 1 else Y
    t0 = time.perf_counter()
    if say:
        say("sobol analysis", 0, Y.shape[1])
    cols = [j for j in range(Y.shape[1]) if not _constant(Y[:, j])]
    opts = {"second_order": second_order, "resamples": resamples, "seed": _seed_int(seed, 6)}
    found = analyze_all("sobol", prob, Y, None, opts, cols, pool, workers)
    timings["sobol_analyze_s"] = time.perf_counter() - t0
    return X, Y, found


def _run(calibration, settings, factors, prob, names, outcomes, timings, runs, say, pool,
         unused) -> SensitivityResult:
    # deferred: SALib.sample (32 modules) is needed only on this path
    from SALib.sample import morris as morris_sample

    base_year = calibration.base_year
    sobol_rows, morris_rows = [], []

    def run_model(label: str, X: np.ndarray) -> np.ndarray:
        t0 = time.perf_counter()
        Y = evaluate_parallel(calibration.base, calibration.posterior, names, to_values(factors, X),
                              settings.horizon, settings.draws, settings.seed, outcomes, pool,
                              lambda d, n: say(label, d, n))
        timings[f"{label}_model_s"] = time.perf_counter() - t0
        runs[f"{label}_samples"] = len(X)
        runs[f"{label}_model_runs"] = len(X) * settings.draws
        return Y

    if "sobol" in settings.methods:
        _, _, found = sobol_indices(prob, settings.n, lambda X: run_model("sobol", X), settings.seed,
                                    settings.resamples, settings.second_order, pool, settings.workers, timings, say)
        cols = sorted(found)
        for j in cols:
            o, si = outcomes[j], found[j]
            for i, f in enumerate(factors):
                row = {**_outcome_cols(o), **_meta(f), "S1": si["S1"][i], "S1_conf": si["S1_conf"][i],
                       "ST": si["ST"][i], "ST_conf": si["ST_conf"][i]}
                if settings.second_order:
                    s2 = si["S2"][i]
                    row["S2_max"] = float(np.nanmax(np.abs(np.r_[s2, si["S2"][:, i]])))
                sobol_rows.append(row)
    if "morris" in settings.methods:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Xm = morris_sample.sample(prob, settings.trajectories, num_levels=settings.levels,
                                      seed=np.random.default_rng([settings.seed, 5]))
        timings["morris_sample_s"] = time.perf_counter() - t0
        Ym = run_model("morris", Xm)
        t0 = time.perf_counter()
        say("morris analysis", 0, len(outcomes))
        cols = [j for j in range(len(outcomes)) if not _constant(Ym[:, j])]
        opts = {"levels": settings.levels, "resamples": settings.resamples, "seed": _seed_int(settings.seed, 7)}
        found = analyze_all("morris", prob, Ym, Xm, opts, cols, pool, settings.workers)
        for j in cols:
            o, mi = outcomes[j], found[j]
            for i, f in enumerate(factors):
                morris_rows.append({**_outcome_cols(o), **_meta(f), "mu": mi["mu"][i], "mu_star": mi["mu_star"][i],
                                    "sigma": mi["sigma"][i], "mu_star_conf": mi["mu_star_conf"][i]})
        timings["morris_analyze_s"] = time.perf_counter() - t0
    sobol_df = pd.DataFrame(sobol_rows)
    morris_df = pd.DataFrame(morris_rows)
    drivers = drivers_table(outcomes, sobol_df, morris_df)
    return SensitivityResult(settings, base_year, factors, outcomes, sobol_df, morris_df, drivers, runs, timings,
                             not_in_model=unused)


def drivers_table(outcomes: Sequence[Outcome], sobol_df: pd.DataFrame, morris_df: pd.DataFrame,
                  top: int = 3) -> pd.DataFrame:
    """One row per outcome: the factors that drive it most (by ST, else by Morris mu*).

    Parameters
    ----------
    outcomes : Sequence[Outcome]
        The outcomes: indicator means by year and targets' probabilities.
    sobol_df : pd.DataFrame
        Sobol indices per outcome and factor.
    morris_df : pd.DataFrame
        Morris indices per outcome and factor.
    top : int
        Factors shown [factors].
    """
    rows = []
    for o in outcomes:
        row = _outcome_cols(o)
        if not sobol_df.empty and (sobol_df.outcome == o.key).any():
            sub = sobol_df[sobol_df.outcome == o.key].sort_values("ST", ascending=False, kind="stable")
            metric, col = "sobol_ST", "ST"
        elif not morris_df.empty and (morris_df.outcome == o.key).any():
            sub = morris_df[morris_df.outcome == o.key].sort_values("mu_star", ascending=False, kind="stable")
            metric, col = "morris_mu_star", "mu_star"
        else:
            row.update(metric="", note="constant across samples: fixed by reported figures or untouched by "
                                       "every factor")
            rows.append(row)
            continue
        row["metric"], row["note"] = metric, ""
        for r, rec in enumerate(sub.head(top).itertuples(), start=1):
            row[f"driver_{r}"] = rec.parameter
            row[f"driver_{r}_kind"] = rec.kind
            row[f"driver_{r}_value"] = getattr(rec, col)
        lev = sub[(sub.kind == "lever") & (sub[col] > 1e-9)].head(1)
        if len(lev):
            row["top_lever"], row["top_lever_value"] = lev.parameter.iloc[0], float(lev[col].iloc[0])
        rows.append(row)
    return pd.DataFrame(rows)


def target_table(res: SensitivityResult, target: Target) -> pd.DataFrame:
    """Per factor: Sobol and Morris indices of the target's indicator (mean in its year) and its probability."""
    keys = {"indicator": f"{target.indicator}:{target.year}", "probability": f"probability:{target.id}"}
    base = pd.DataFrame([_meta(f) for f in res.factors])
    for tag, key in keys.items():
        if not res.sobol.empty:
            s = res.sobol[res.sobol.outcome == key].set_index("parameter")
            for c in ("S1", "S1_conf", "ST", "ST_conf"):
                base[f"{tag}_{c}"] = base.parameter.map(s[c]) if len(s) else np.nan
        if not res.morris.empty:
            m = res.morris[res.morris.outcome == key].set_index("parameter")
            for c in ("mu_star", "mu_star_conf", "sigma"):
                base[f"{tag}_{c}"] = base.parameter.map(m[c]) if len(m) else np.nan
    order = next((c for c in ("probability_ST", "indicator_ST", "probability_mu_star", "indicator_mu_star")
                  if c in base and base[c].notna().any()), None)
    if order:
        base = base.sort_values(order, ascending=False, kind="stable", na_position="last")
    return base.reset_index(drop=True)


def chart_targets(res: SensitivityResult) -> list[Target]:
    """The analysed targets, first the first one after the calibration's last year."""
    return outcome_targets(res.base_year, res.settings.horizon, res.settings.targets)


def _tornado_data(res: SensitivityResult, target: Target, lang: str, top: int):
    tab = target_table(res, target)
    panels = []
    for tag in ("indicator", "probability"):
        for metric, second in (("ST", "S1"), ("mu_star", None)):
            col = f"{tag}_{metric}"
            if col in tab and tab[col].notna().any():
                panels.append((tag, _n(f"panel_{tag}", lang, year=target.year), col,
                               f"{tag}_{second}" if second else None, metric))
                break
    if not panels:
        return None, []
    lead = panels[-1][2] if panels[-1][0] == "probability" else panels[0][2]
    tab = tab.sort_values(lead, ascending=False, kind="stable", na_position="last").head(top)
    tab = tab.iloc[::-1]  # largest at the top of a horizontal bar chart
    return tab, panels


def _label(row, lang: str) -> str:
    """A row's parameter name in ``lang``."""
    return row["label_zh"] if lang == "zh" else row["label_en"]


LEVER_COLOUR, UNCERTAINTY_COLOUR = "#1f5fa8", "#b35900"  # 6.4:1 and 4.6:1 on white
# A long factor name on as many lines as it needs, centred on its row: English over 28 characters breaks at the
# last space within every 26, Chinese over 13 characters after every 12 (on one line at 150 px "Trend real growth
# outside manufacturing (start year)" read "Trend real growth outside …"). The data keep the whole name
# (tooltips, text alternative, order). LINE_PX: a line's height [px].
_WRAP = {"en": (28, 26, "(.{1,26})(?:\\\\s+|$)"), "zh": (13, 12, "(.{1,12})")}
LINE_PX = 12


def name_lines(name: str, lang: str) -> list[str]:
    """``name`` as the factor axis draws it (:func:`factor_axis`): its lines."""
    most, width, _ = _WRAP[lang]
    if len(name) <= most:
        return [name]
    if lang == "zh":
        return [name[i:i + width] for i in range(0, len(name), width)]
    return textwrap.wrap(name, width, break_long_words=False, break_on_hyphens=False)


def row_px(names: Sequence[str], lang: str) -> int:
    """A factor's row on a chart of ``names`` [px]: 26, or room for the longest name's lines (:func:`name_lines`)."""
    return max(26, LINE_PX * max((len(name_lines(n, lang)) for n in names), default=1) + 6)


def factor_axis(lang: str) -> dict:
    """The factor axis: a long name on two lines, or more if it needs them (Vega expressions, the same breaks as
    :func:`name_lines`), lifted half a line per extra line to centre it on its row."""
    most, _, pattern = _WRAP[lang]
    long = f"length(datum.label) > {most}"
    lines = f"split(trim(replace(datum.label, regexp('{pattern}', 'g'), '$1\\n')), '\\n')"
    return {"labelLimit": 190, "labelFontSize": 11, "labelLineHeight": LINE_PX,
            "labelExpr": f"{long} ? {lines} : datum.label",
            # half a line up per extra line (Vega evaluates a condition per label; at most three lines)
            "labelOffset": {"condition": [{"test": f"{long} && length({lines}) > 2", "value": -LINE_PX},
                                          {"test": long, "value": -(LINE_PX // 2)}], "value": 0}}


def tornado_panels(res: SensitivityResult, target: Target, lang: str = DEFAULT_LANG, top: int = 12) -> list[dict]:
    """A tornado chart per index (Vega-Lite): the factors' total-order ST (or Morris μ*), largest on top.

    One chart per panel — the target indicator's mean in its year, then the probability of meeting the
    target — each as wide as its column, so that on a phone the bars keep the width and the titles never
    overprint. A factor's kind is said in the legend in words (policy lever, uncertainty) and by colour;
    the first-order S1 is a thin dark bar inside its ST bar; the confidence interval a rule.

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    target : Target
        The target whose indicator and probability are charted.
    lang : str
        ``zh`` or ``en``: the reader's language.
    top : int
        Factors shown [factors].

    Returns
    -------
    list of dict
        Vega-Lite specifications; empty when no factor moves the target.
    """
    tab, panels = _tornado_data(res, target, lang, top)
    if tab is None:
        return []
    title = target.label(lang)
    kinds = {k: _n(f"kind_{k}", lang) for k in ("lever", "uncertainty")}
    order = [_label(r, lang) for _, r in tab.iloc[::-1].iterrows()]  # largest first, at the top
    out = []
    for _tag, ptitle, col, second, metric in panels:
        conf = col.replace(metric, metric + "_conf")
        rows = [{"factor": _label(r, lang), "kind": kinds.get(r["kind"], r["kind"]),
                 "value": _num(r[col]), **_first_order(r, second, col),
                 "lo": max(0.0, _num(r[col]) - _num(r.get(conf, 0))), "hi": _num(r[col]) + _num(r.get(conf, 0))}
                for _, r in tab.iterrows()]
        name = _n(f"metric_{metric}", lang)
        y = {"field": "factor", "type": "nominal", "sort": order, "title": None,
             "axis": factor_axis(lang)}
        x = {"field": "value", "type": "quantitative", "title": name, "scale": {"zero": True}}
        layers = [{"mark": {"type": "bar", "height": {"band": 0.7}},
                   "encoding": {"y": y, "x": x,
                                "color": {"field": "kind", "type": "nominal", "title": None,
                                          "scale": {"domain": list(kinds.values()),
                                                    "range": [LEVER_COLOUR, UNCERTAINTY_COLOUR]}},
                                "tooltip": [{"field": "factor", "title": _n("factor", lang)},
                                            {"field": "kind", "title": _n("kind", lang)},
                                            {"field": "value", "title": name, "format": ".3f"}]}},
                  {"mark": {"type": "rule", "color": "#222222"},
                   "encoding": {"y": y, "x": {"field": "lo", "type": "quantitative"}, "x2": {"field": "hi"}}}]
        if second:
            layers.append({"mark": {"type": "bar", "height": {"band": 0.28}, "color": "#111111", "opacity": 0.55},
                           "encoding": {"y": y, "x": {"field": "first", "type": "quantitative"},
                                        "tooltip": [{"field": "first_estimate", "title": _n("first_order", lang),
                                                     "format": ".3f"}]}})
        lead = rows[-1]
        alt = _n("description", lang, title=title, panel=ptitle, name=name, factor=lead["factor"], value=lead["value"])
        note = [line for key in ("note", "note_conf") for line in vega.wrap(_n(key, lang), 30 if lang == "zh" else 56)]
        out.append(vega.spec(layers, title=vega.wrap(f"{title} · {ptitle}", 22 if lang == "zh" else 48),
                             subtitle=note if second else None,
                             description=alt, height=row_px([r["factor"] for r in rows], lang) * len(rows),
                             data={"values": rows}))
    return out


def _first_order(row, second: str | None, total: str) -> dict:
    """The first-order index drawn inside its total-order bar, and its estimate as computed.

    In theory 0 <= S1 <= ST; with a few hundred base samples the estimate falls outside by its error (a
    negative S1, or an S1 above ST). The bar is drawn at the nearer bound so it never leaves its ST bar or
    points left; the tooltip and the index table keep the estimate as computed.
    """
    if not second:
        return {"first": None, "first_estimate": None}
    estimate = _num(row[second])
    return {"first": min(max(estimate, 0.0), _num(row[total])), "first_estimate": estimate}


def _n(key: str, lang: str, **fields: object) -> str:
    """The tornado charts' text ``key`` in ``lang``: the catalogue's ``tornado.<key>``."""
    return catalogue_text(f"tornado.{key}", lang, **fields)


def _num(x) -> float:
    return 0.0 if x is None or pd.isna(x) else float(x)


def tornado_figure(res: SensitivityResult, target: Target, lang: str = DEFAULT_LANG, top: int = 12) -> dict:
    """The tornado panels (:func:`tornado_panels`) one above the other, 640 px wide (the HTML file's chart).

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    target : Target
        The target whose indicator and probability are charted.
    lang : str
        ``zh`` or ``en``: the reader's language.
    top : int
        Factors shown [factors].
    """
    panels = tornado_panels(res, target, lang, top)
    title = target.label(lang)
    if not panels:
        empty = _n("nothing_moves", lang)
        return vega.spec([{"mark": "text", "encoding": {"text": {"value": empty}}}], title=f"{title}: {empty}",
                         description=f"{title}: {empty}", height=60, width=640)
    for p in panels:
        p.pop("$schema"), p.pop("config"), p.pop("autosize")
        p["width"] = 640
    return {"$schema": vega.SCHEMA, "description": " ".join(p["description"] for p in panels),
            "vconcat": panels, "config": {**vega.config(), "aria": False}, "spacing": 24}


def _cjk_font() -> str | None:
    # deferred: matplotlib (55 modules) is needed only on this path
    from matplotlib import font_manager
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "SimHei") if n in names),
                None)


def tornado_png(res: SensitivityResult, target: Target, lang: str = DEFAULT_LANG, top: int = 12) -> bytes | None:
    """The tornado chart as PNG (matplotlib, offline); None when matplotlib is missing.

    Chinese labels need a CJK font: one is used when installed; without one, English labels are drawn.

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    target : Target
        The target whose indicator and probability are charted.
    lang : str
        ``zh`` or ``en``: the reader's language.
    top : int
        Factors shown [factors].
    """
    try:
        # deferred: matplotlib (55 modules) is needed only on this path
        import matplotlib
        matplotlib.use("Agg")
        # deferred: matplotlib.pyplot (138 modules) is needed only on this path
        import matplotlib.pyplot as plt
    except ImportError:
        return None

    cjk = _cjk_font()
    if cjk is None:
        lang = "en"
    tab, panels = _tornado_data(res, target, lang, top)
    if tab is None:
        return None
    labels = [_label(r, lang) for _, r in tab.iterrows()]
    colors = ["#1f77b4" if k == "lever" else "#ff7f0e" for k in tab.kind]
    rc = {"font.family": [cjk, "DejaVu Sans"]} if cjk else {}
    with plt.rc_context(rc), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from a fallback font is not worth a warning
        fig, axes = plt.subplots(1, len(panels), figsize=(5 + 3.5 * len(panels), 1.2 + 0.38 * len(tab)),
                                 sharey=True)
        axes = np.atleast_1d(axes)
        ypos = np.arange(len(tab))
        for ax, (_tag, ptitle, col, second, metric) in zip(axes, panels, strict=True):
            ax.barh(ypos, tab[col].fillna(0), color=colors, height=0.7)
            if second:
                ax.barh(ypos, tab[second].fillna(0), color="black", alpha=0.35, height=0.3)
            ax.set_title(ptitle)
            ax.set_xlabel({"ST": "ST (S1)", "mu_star": "Morris μ*"}[metric])
            ax.axvline(0, color="grey", lw=0.5)
        axes[0].set_yticks(ypos)
        axes[0].set_yticklabels(labels)
        fig.suptitle(f"{target.label(lang)}\n{_n('colours', lang)}", fontsize=10)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
        plt.close(fig)
    return buf.getvalue()


def output_files(res: SensitivityResult, lang: str = DEFAULT_LANG, png: bool = True) -> dict[str, bytes]:
    """Every output file, by name: tables (CSV), tornado charts (HTML, PNG), manifest.

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    lang : str
        ``zh`` or ``en``: the reader's language.
    png : bool
        Also write the PNG charts.
    """
    # deferred: runner loads simpy; only writing the folder needs it
    from .. import runner

    files: dict[str, bytes] = {}
    if not res.sobol.empty:
        files["sobol.csv"] = csv_bytes(res.sobol)
    if not res.morris.empty:
        files["morris.csv"] = csv_bytes(res.morris)
    files["drivers.csv"] = csv_bytes(res.drivers)
    charts = []
    for t in chart_targets(res):
        # a posed target's id is its compact form (>=, @): its files get a stem that is a valid file name
        stem = t.id if "@" not in t.id else runner_safe_stem(t.id)
        files[f"targets/{stem}.csv"] = csv_bytes(target_table(res, t))
        page = vega.html(tornado_figure(res, t, lang), t.label(lang), lang)
        files[f"tornado/{stem}.html"] = page.encode("utf-8")
        charts.append(f"tornado/{stem}.html")
        if png:
            data = tornado_png(res, t, lang)
            if data is not None:
                files[f"tornado/{stem}.png"] = data
    s = res.settings
    manifest = {
        "command": "sensitivity",
        "settings": asdict(s),
        "base_year": res.base_year,
        "factors": [{"id": f.id, "kind": parameters()[f.id].kind, "lower": f.lower, "upper": f.upper,
                     "integer": f.integer, "note": f.note} for f in res.factors],
        "not_in_annual_model": [n for n in res.not_in_model if n not in {f.id for f in res.factors}],
        "outcomes": len(res.outcomes),
        "runs": res.runs,
        "timings_s": {k: round(v, 3) for k, v in res.timings.items()},
        "noise": "the same draws of the model's noise for every sample (common random numbers)",
        "package_version": runner.package_version(),
        "files": sorted(files) + ["manifest.json"],
    }
    files["manifest.json"] = json_bytes(manifest)
    return files


MAX_TABLE_BYTES = 200_000_000  # sobol.csv of every indicator, year and factor is a few MB


def load_result(folder: str | os.PathLike) -> SensitivityResult:
    """Read a folder written by ``growthsim sensitivity`` back (tables at CSV precision).

    Only a manifest growthsim wrote for ``sensitivity`` is read (:func:`growthsim.outfolder.own_files`), and
    every file through the bounded reader; anything else is a UserInputError naming the folder.
    """
    folder = Path(folder)
    manifest = read_manifest(folder / "manifest.json") if own_files(folder, "manifest.json", "sensitivity") else None
    if manifest is None:
        raise UserInputError("explore.no_sensitivity", folder=folder)

    def table(name: str) -> pd.DataFrame:
        path = folder / name
        if not path.exists():
            return pd.DataFrame()
        text = read_text(path, what=Message("file.what_sensitivity_table"), max_bytes=MAX_TABLE_BYTES)
        frame = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
        if "target_id" in frame:
            frame["target_id"] = frame["target_id"].fillna("")
        return frame

    try:
        raw = dict(manifest["settings"])
        for key in ("parameters", "methods", "targets"):
            raw[key] = tuple(raw.get(key) or ())
        settings = SensitivitySettings(**raw)
        base_year = int(manifest["base_year"])
        factors = [Factor(f["id"], f["lower"], f["upper"], f["integer"], f.get("note", ""))
                   for f in manifest["factors"]]
        return SensitivityResult(settings, base_year, factors,
                                 outcome_list(base_year, settings.horizon, settings.targets),
                                 table("sobol.csv"), table("morris.csv"), table("drivers.csv"),
                                 dict(manifest.get("runs", {})), dict(manifest.get("timings_s", {})),
                                 list(manifest.get("not_in_annual_model", [])))
    except TextFileError as err:
        raise UserInputError(err.message) from None
    except (KeyError, TypeError, ValueError) as err:
        raise UserInputError("explore.sensitivity_unreadable", folder=folder, kind=type(err).__name__,
                             reason=str(err)) from None


def year_matrix(res: SensitivityResult, indicator: str, metric: str = "ST") -> pd.DataFrame:
    """Factor × year table of one indicator's index (Sobol ST or S1, or Morris mu_star).

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    indicator : str
        Indicator id.
    metric : str
        ``ST``, ``S1`` or ``mu_star``.
    """
    src = res.morris if metric == "mu_star" else res.sobol
    if src.empty:
        return pd.DataFrame()
    sub = src[(src.measure == "mean") & (src.indicator == indicator)]
    if sub.empty:
        return pd.DataFrame()
    return sub.pivot_table(index="parameter", columns="year", values=metric, aggfunc="first")


def indicators_over_time(res: SensitivityResult, metric: str = "ST") -> set[str]:
    """The indicators that have a :func:`year_matrix` (Sobol ST or S1, or Morris mu_star, by year).

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    metric : str
        ``ST``, ``S1`` or ``mu_star``.
    """
    src = res.morris if metric == "mu_star" else res.sobol
    if src.empty:
        return set()
    return set(src.loc[src.measure == "mean", "indicator"])


def group_label(group: str, lang: str) -> str:
    """A registry group's label in ``lang`` (``zh`` or ``en``)."""
    return GROUP_LABELS[group][0 if lang == "zh" else 1]


def default_workers() -> int:
    """Default number of worker processes: the machine's cores, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


def summary_rows(res: SensitivityResult, indicators_shown: Sequence[str], lang: str = DEFAULT_LANG) -> list[list[str]]:
    """Rows 'indicator | year -> leading factor (ST)' for printing.

    Parameters
    ----------
    res : SensitivityResult
        The sensitivity analysis's results.
    indicators_shown : Sequence[str]
        Indicator ids to list.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    reg = parameters()
    meta = indicators()
    years = list(range(res.base_year + 1, res.settings.horizon + 1))
    rows = []
    for ind in indicators_shown:
        cells = [meta[ind].name(lang)]
        for y in years:
            d = res.drivers[res.drivers.outcome == f"{ind}:{y}"]
            if d.empty or not isinstance(d.iloc[0].get("driver_1"), str):
                cells.append("—")
                continue
            r = d.iloc[0]
            val = r["driver_1_value"]
            name = reg[r["driver_1"]].label(lang)
            cells.append(f"{name} {val:.2f}" if math.isfinite(val) else name)
        rows.append(cells)
    return rows
