"""Many settings in one vectorised run, with common random numbers.

The recursion in :func:`simulation.model.simulate` broadcasts over rows of
any shape, so many parameter settings × draws run at once as ``(settings,
draws)`` arrays. This module does the stacking for goal seeking, sensitivity
analysis and sweeps. It is pure: no file I/O, no Streamlit, random numbers
only from an explicitly passed ``numpy.random.Generator``.

One set of random draws serves every setting (common random numbers), so a
difference between two settings is the settings', not the dice's. The
parameter spreads and posterior rows are drawn once
(:func:`sample_inputs_many`) and the year's shocks once, over the draws axis
only; parameters that no setting varies stay ``(1, draws)`` (or scalars per
year), varied ones ``(settings, 1)``, and numpy broadcasting computes each
step at the size its inputs need: the cycle's noise, producer prices and the
demand shock once per draw, what the levers move per setting and draw.

- :func:`project_many` gives, for each scenario, exactly the numbers that
  ``project(base, scenario, posterior, horizon, draws, rng)`` gives with a
  generator in ``rng``'s state: the stacked run is a faster way to the same
  answer, not a different model.
- :func:`outcome_draws` computes only what outcomes need: it stops at the
  last year an outcome asks for and keeps only the indicators asked for.
  The recursion is causal and its noise is drawn year by year, so the years
  it runs have the numbers of a projection to any later horizon.
- :func:`simulate_settings` sets each parameter to one fixed value per setting
  (no prior spread) and keeps only the model's own year-to-year noise, common
  to every setting; this is what a global sensitivity analysis needs.

Random numbers come from named streams (:mod:`simulation.streams`): the
caller's generator gives one root, and each parameter and each year shock
has a stream of its own, exactly as in :func:`simulation.model.project`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .model import PARTICLE, BaseState, Posterior, Projection, draw_spreads, simulate
from .registry import parameters
from .scenario import Scenario, value_path
from .streams import as_streams


def stack_inputs(blocks: Sequence[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Concatenate per-setting input dicts (each ``(draws, T)``) along the rows."""
    if not blocks:
        raise ValueError("nothing to stack")
    return {pid: np.concatenate([np.asarray(b[pid]) for b in blocks], axis=0) for pid in blocks[0]}


def constant_paths(names: Sequence[str], values: np.ndarray, T: int) -> dict[str, np.ndarray]:
    """Value paths ``(settings, T)`` where parameter ``names[j]`` is ``values[s, j]`` in every year of setting ``s``.

    Parameters
    ----------
    names : Sequence[str]
        Parameter ids.
    values : numpy.ndarray
        Values ``(settings, len(names))``, each in its parameter's registry unit.
    T : int
        Projected years.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] != len(names):
        raise ValueError(f"values must be (settings, {len(names)}), got {values.shape}")
    return {n: np.broadcast_to(values[:, j:j + 1], (values.shape[0], T)) for j, n in enumerate(names)}


def scenario_paths(scenarios: Sequence[Scenario], posterior: Posterior,
                   years: np.ndarray) -> dict[str, np.ndarray]:
    """Value paths ``(len(scenarios), T)`` of every parameter some scenario sets (year-keyed values included).

    A scenario that leaves such a parameter alone has its centre (the
    posterior mean or registry default) in every year, as
    :func:`simulation.model.sample_inputs` gives it.

    Parameters
    ----------
    scenarios : Sequence[Scenario]
        The scenarios (parameter values in their registry units).
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    years : numpy.ndarray
        The projected years (calendar years).
    """
    keys = list(dict.fromkeys(k for s in scenarios for k in s.values))
    return {pid: np.stack([value_path(s.values.get(pid), posterior.default(pid), years) for s in scenarios])
            for pid in keys}


def sample_inputs_many(scenario: Scenario, posterior: Posterior, years: np.ndarray, draws: int,
                       rng: np.random.Generator | None, paths: Mapping[str, np.ndarray],
                       stochastic: bool = True) -> dict[str, np.ndarray]:
    """The inputs of many settings at once, from ONE set of random draws (common random numbers).

    A setting is ``scenario`` with parameter ``pid`` following ``paths[pid][s]``
    (a value per projected year; :func:`constant_paths` for constants,
    :func:`scenario_paths` for whole scenarios). The random numbers are those
    :func:`simulation.model.sample_inputs` draws (:func:`simulation.model.draw_spreads`),
    taken once from ``rng`` for every setting, so setting ``s`` gets exactly
    the inputs ``sample_inputs(scenario.with_values(...), posterior, years,
    draws, g)`` gives with ``g`` in ``rng``'s state.

    Arrays are laid out ``(settings, draws, T)`` with axes of length 1 where a
    parameter does not vary: a parameter no setting changes is ``(1, draws,
    T)`` if drawn, ``(1, 1, T)`` if not; a varied lever ``(settings, 1, T)``.
    :func:`simulation.model.simulate` broadcasts them (pass ``draws=``), so
    what does not depend on the settings is computed once per draw.
    ``out[PARTICLE]`` is ``(1, draws, T)``. No loop over settings.

    Parameters
    ----------
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    years : numpy.ndarray
        The projected years (calendar years).
    draws : int
        Monte Carlo draws [draws].
    rng : np.random.Generator | None
        The random generator or the run's named streams (:mod:`simulation.streams`).
    paths : Mapping[str, numpy.ndarray]
        Value paths by parameter id: ``(settings, T)`` arrays, each in the parameter's registry unit.
    stochastic : bool
        Draw the parameters' spreads and the year shocks; False: centres only (one deterministic path).
    """
    reg = parameters()
    unknown = [n for n in paths if n not in reg]
    if unknown:
        raise KeyError(f"unknown parameter {unknown[0]!r}")
    T = len(years)
    sizes = {np.shape(v)[0] for v in paths.values()}
    if len(sizes) > 1 or any(np.shape(v) != (np.shape(v)[0], T) for v in paths.values()):
        raise ValueError(f"paths must all be (settings, {T}); got {[np.shape(v) for v in paths.values()]}")
    row, spreads = draw_spreads(posterior, draws, rng, stochastic)
    out: dict[str, np.ndarray] = {}
    if row is not None:
        out[PARTICLE] = np.broadcast_to(row[None, :, None], (1, draws, T))
    for pid, p in reg.items():
        if pid in paths:
            path = np.asarray(paths[pid], dtype=float)[:, None, :]
        else:
            path = value_path(scenario.values.get(pid), posterior.default(pid), years)[None, None, :]
        if pid in spreads:
            out[pid] = np.clip(spreads[pid][None, :, None] + path, p.lower, p.upper)
        else:
            out[pid] = path
    return out


def simulate_many(base: BaseState, scenario: Scenario, posterior: Posterior, paths: Mapping[str, np.ndarray],
                  years: np.ndarray, draws: int, rng: np.random.Generator | None, stochastic: bool = True,
                  outputs: Sequence[str] | None = None, sample: bool = True) -> dict[str, np.ndarray]:
    """Run many settings (see :func:`sample_inputs_many`) in one stacked run: arrays ``(settings, draws, 1 + T)``.

    Setting ``s`` gets exactly the numbers ``project(base, scenario with
    paths[.][s], posterior, years[-1], draws, g)`` gives with ``g`` in
    ``rng``'s state, in the years it covers. The recursion is causal and its
    noise is drawn year by year, so ``years`` may stop at the last year an
    outcome needs: the years run are unchanged by a shorter horizon (only
    ``rng`` ends in another state). ``outputs`` names the indicators kept (None: every indicator).
    ``sample=False`` takes no parameter spread and no posterior row (every
    parameter at its point value, rows from the particles' mean state), as
    :func:`fixed_inputs`; the model's own noise stays.

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    paths : Mapping[str, numpy.ndarray]
        Value paths by parameter id: ``(settings, T)`` arrays, each in the parameter's registry unit.
    years : numpy.ndarray
        The projected years (calendar years).
    draws : int
        Monte Carlo draws [draws].
    rng : np.random.Generator | None
        The random generator or the run's named streams (:mod:`simulation.streams`).
    stochastic : bool
        Draw the parameters' spreads and the year shocks; False: centres only (one deterministic path).
    outputs : Sequence[str] | None
        Indicator ids to keep (None: every indicator).
    sample : bool
        Draw the parameters' spreads (True) or keep their centres.
    """
    streams = as_streams(rng) if stochastic else None
    inputs = sample_inputs_many(scenario, posterior, years, draws, streams if sample else None, paths,
                                stochastic and sample)
    S = max([np.shape(v)[0] for v in paths.values()], default=1)
    res = simulate(base, inputs, years, streams, stochastic, draws=draws, outputs=None if outputs is None
                   else tuple(outputs))
    full = (S, draws)
    return {k: v if v.shape[:-1] == full else np.broadcast_to(v, full + v.shape[-1:]).copy() for k, v in res.items()}


def outcome_draws(base: BaseState, scenario: Scenario, posterior: Posterior, paths: Mapping[str, np.ndarray],
                  needs: Sequence[tuple[str, int]], draws: int, rng: np.random.Generator,
                  sample: bool = True) -> dict[tuple[str, int], np.ndarray]:
    """Only what outcomes need: the draws ``(settings, draws)`` of each (indicator, year) in ``needs``.

    The run stops at the last year needed and keeps only the indicators
    needed (see :func:`simulate_many`: earlier years do not depend on the
    horizon), so an outcome in the first projected year costs one year of
    the recursion. The numbers are those of a full projection to any later
    horizon.

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    paths : Mapping[str, numpy.ndarray]
        Value paths by parameter id: ``(settings, T)`` arrays, each in the parameter's registry unit.
    needs : Sequence[tuple[str, int]]
        The (indicator id, calendar year) pairs the outcomes read.
    draws : int
        Monte Carlo draws [draws].
    rng : np.random.Generator
        The random generator or the run's named streams (:mod:`simulation.streams`).
    sample : bool
        Draw the parameters' spreads (True) or keep their centres.
    """
    if not needs:
        return {}
    last = max(int(y) for _, y in needs)
    if last <= base.year:
        raise ValueError(f"outcome year {last} must be after the base year {base.year}")
    years = np.arange(base.year + 1, last + 1)
    indicators = tuple(dict.fromkeys(ind for ind, _ in needs))
    res = simulate_many(base, scenario, posterior, paths, years, draws, rng, True, indicators, sample)
    return {(ind, int(y)): res[ind][:, :, int(y) - base.year] for ind, y in needs}


def project_many(base: BaseState, scenarios: Sequence[Scenario], posterior: Posterior, horizon: int,
                 draws: int, rng: np.random.Generator) -> list[Projection]:
    """Project several scenarios with common random numbers, in one stacked run.

    Each scenario gets exactly the numbers of ``project(base, scenario,
    posterior, horizon, draws, g)`` with ``g`` a copy of ``rng`` as passed:
    every scenario starts from the same generator state. ``rng`` is advanced as
    one such projection would advance it.

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    scenarios : Sequence[Scenario]
        The scenarios (parameter values in their registry units).
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    horizon : int
        Last projected year (calendar year).
    draws : int
        Monte Carlo draws [draws].
    rng : np.random.Generator
        The random generator or the run's named streams (:mod:`simulation.streams`).
    """
    if not scenarios:
        return []
    if horizon <= base.year:
        raise ValueError(f"horizon {horizon} must be after the base year {base.year}")
    years = np.arange(base.year + 1, horizon + 1)
    paths = scenario_paths(scenarios, posterior, years)
    empty = Scenario(scenarios[0].id, "", "")
    values = simulate_many(base, empty, posterior, paths, years, draws, rng)
    all_years = np.arange(base.year, horizon + 1)
    return [Projection(all_years, {k: v[i] for k, v in values.items()}, s.id, draws)
            for i, s in enumerate(scenarios)]


def fixed_inputs(posterior: Posterior, years: np.ndarray, names: Sequence[str], values: np.ndarray,
                 draws: int) -> dict[str, np.ndarray]:
    """Inputs where parameter ``names[j]`` is ``values[s, j]`` in every year and draw of setting ``s``.

    Parameters not named keep the calibration's point value (or the registry
    default), as :func:`simulation.model.sample_inputs` gives them without
    noise. No projected year is a reported year (projections start after the
    last one); reported flows a base state imposes in a projected year
    (``base.history``) still win there in :func:`simulation.model.simulate`:
    history is not a factor. There is no ``_particle`` key: every row starts
    from the particles' mean state. Arrays are ``(settings * draws, T)``.

    Parameters
    ----------
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    years : numpy.ndarray
        The projected years (calendar years).
    names : Sequence[str]
        Parameter ids.
    values : numpy.ndarray
        Values ``(settings, len(names))``, each in its parameter's registry unit.
    draws : int
        Monte Carlo draws [draws].
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] != len(names):
        raise ValueError(f"values must be (settings, {len(names)}), got {values.shape}")
    reg = parameters()
    unknown = [n for n in names if n not in reg]
    if unknown:
        raise KeyError(f"unknown parameter {unknown[0]!r}")
    S, T = values.shape[0], len(years)
    R = S * draws
    column = {n: j for j, n in enumerate(names)}
    out: dict[str, np.ndarray] = {}
    for pid in reg:
        if pid in column:
            per_row = np.repeat(values[:, column[pid]], draws)[:, None]
        else:
            per_row = np.full((1, 1), posterior.default(pid))
        out[pid] = np.broadcast_to(per_row, (R, T))
    return out


class _Recording(dict):
    """A dict that notes which keys are read (``[]``, ``get``, ``in``)."""

    def __init__(self, data, read: set[str] | None = None):
        super().__init__(data)
        self.read: set[str] = set() if read is None else read

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)




def used_parameters(base: BaseState, posterior: Posterior, horizon: int) -> list[str]:
    """The registry parameters the annual model reads (in registry order).

    Found by running one stochastic projection of two draws and recording
    which parameters the model looks up: in the inputs ``simulate`` is given,
    and in the per-year parameter dict (through ``simulate``'s ``year_hook``),
    so it follows the model as it changes. Parameters of other engines (the
    event engine's stages, say) are not among them. The run's numbers are
    discarded; its generator is a local one.

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    horizon : int
        Last projected year (calendar year).
    """
    years = np.arange(base.year + 1, horizon + 1)
    names = list(parameters())
    values = np.array([[posterior.default(n) for n in names]])
    read: set[str] = set()
    inputs = _Recording(fixed_inputs(posterior, years, names, values, 2), read)
    simulate(base, inputs, years, np.random.default_rng(0), stochastic=True,
             year_hook=lambda p: _Recording(p, read))
    return [n for n in names if n in read]


def simulate_settings(base: BaseState, posterior: Posterior, names: Sequence[str], values: np.ndarray,
                      years: np.ndarray, draws: int, rng: np.random.Generator,
                      outputs: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Run every setting (row of ``values``) for ``draws`` draws of the model's own noise.

    The noise (upgrades, projects, exits, growth volatility) is common to all
    settings: the same ``draws`` realisations, from ``rng``. Parameters take
    their point values (:func:`fixed_inputs`). Returns indicator arrays
    ``(settings, draws, 1 + T)`` of ``outputs``.

    Parameters
    ----------
    base : BaseState
        The base state: the starting year's state per particle and the reported history.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    names : Sequence[str]
        Parameter ids.
    values : numpy.ndarray
        Values ``(settings, len(names))``, each in its parameter's registry unit.
    years : numpy.ndarray
        The projected years (calendar years).
    draws : int
        Monte Carlo draws [draws].
    rng : np.random.Generator
        The random generator or the run's named streams (:mod:`simulation.streams`).
    outputs : Sequence[str] | None
        Indicator ids to keep (None: every indicator).
    """
    values = np.asarray(values, dtype=float)
    paths = constant_paths(names, values, len(years))
    if not paths:
        raise ValueError("no parameter to set")
    return simulate_many(base, Scenario("settings", "", ""), posterior, paths, years, draws, rng,
                         outputs=outputs, sample=False)
