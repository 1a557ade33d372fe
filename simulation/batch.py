"""Many settings in one vectorised run, with common random numbers.

The recursion in :func:`simulation.model.simulate` is vectorised over rows, so
many parameter settings × draws can be stacked into one array and run at once.
This module does the stacking for goal seeking, sensitivity analysis and
sweeps. It is pure: no file I/O, no Streamlit, random numbers only from an
explicitly passed ``numpy.random.Generator``.

Rows are laid out setting-major: row ``s * draws + d`` is draw ``d`` of
setting ``s``. :class:`BlockRandom` hands every setting the *same* random
numbers (common random numbers), so a difference between two settings is the
settings', not the dice's:

- :func:`project_many` gives, for each scenario, exactly the numbers that
  ``project(base, scenario, posterior, horizon, draws, rng)`` gives with a
  generator in ``rng``'s state: the stacked run is a faster way to the same
  answer, not a different model.
- :func:`simulate_settings` sets each parameter to one fixed value per setting
  (no prior spread) and keeps only the model's own year-to-year noise, common
  to every setting; this is what a global sensitivity analysis needs.
"""

from __future__ import annotations

import copy
import threading
from typing import Mapping, Sequence

import numpy as np

from .model import BaseState, Posterior, Projection, sample_inputs, simulate
from .registry import parameters
from .scenario import Scenario


class BlockRandom:
    """A random source that repeats one block of draws for every setting.

    ``simulate`` asks its generator for a fixed count of parameter-free random
    numbers (standard normals), with one axis of length ``rows``. This source
    draws that request for ``block`` rows only, from ``rng``, and repeats it
    ``blocks`` times along that axis, so every setting sees the same numbers as
    a single run of ``block`` draws would. Draws whose distribution depends on
    per-row parameters (``binomial``, ``poisson``...) cannot be shared this way
    and are refused with a clear error.
    """

    def __init__(self, rng: np.random.Generator, block: int, blocks: int):
        """Share ``rng``'s draws among ``blocks`` settings of ``block`` rows each.

        Parameters
        ----------
        rng : numpy.random.Generator
            The source of the shared block of draws.
        block : int
            Draws per setting (at least 1).
        blocks : int
            Number of settings stacked one after another (at least 1).
        """
        if block < 1 or blocks < 1:
            raise ValueError(f"block {block} and blocks {blocks} must be at least 1")
        self.rng, self.block, self.blocks = rng, int(block), int(blocks)

    @property
    def rows(self) -> int:
        """Rows of the stacked run: draws per setting times settings."""
        return self.block * self.blocks

    def _shared(self, method: str, size) -> np.ndarray:
        draw = getattr(self.rng, method)
        if self.blocks == 1:
            return draw(size=size)
        shape = (size,) if np.isscalar(size) else tuple(size)
        axes = [i for i, n in enumerate(shape) if n == self.rows]
        if len(axes) != 1:
            raise ValueError(f"cannot tell the row axis of a request of shape {shape} for {self.rows} rows")
        axis = axes[0]
        small = list(shape)
        small[axis] = self.block
        reps = [1] * len(shape)
        reps[axis] = self.blocks
        return np.tile(draw(size=tuple(small)), reps)

    def standard_normal(self, size=None) -> np.ndarray:
        """Standard normals of ``size``, the same block repeated for every setting along the row axis.

        Parameters
        ----------
        size : int or tuple of int
            The shape ``simulate`` asks for; exactly one axis has length :attr:`rows`.

        Returns
        -------
        numpy.ndarray
            Draws of that shape.
        """
        return self._shared("standard_normal", size)

    def random(self, size=None) -> np.ndarray:
        """Uniform [0, 1) numbers of ``size``, shared among settings as :meth:`standard_normal`.

        Parameters
        ----------
        size : int or tuple of int
            The requested shape; exactly one axis has length :attr:`rows`.

        Returns
        -------
        numpy.ndarray
            Draws of that shape.
        """
        return self._shared("random", size)

    def __getattr__(self, name: str):
        """Refuse every other draw: its distribution depends on each row's parameters, so it cannot be shared."""
        raise TypeError(f"BlockRandom shares parameter-free draws only (standard_normal, random); "
                        f"the model asked for {name!r}, whose draws depend on each row's parameters")


def stack_inputs(blocks: Sequence[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Concatenate per-setting input dicts (each ``(draws, T)``) along the rows."""
    if not blocks:
        raise ValueError("nothing to stack")
    return {pid: np.concatenate([np.asarray(b[pid]) for b in blocks], axis=0) for pid in blocks[0]}


def _same_state(a: np.random.Generator, b: np.random.Generator) -> bool:
    return a.bit_generator.state == b.bit_generator.state


def project_many(base: BaseState, scenarios: Sequence[Scenario], posterior: Posterior, horizon: int,
                 draws: int, rng: np.random.Generator) -> list[Projection]:
    """Project several scenarios with common random numbers, in one stacked run.

    Each scenario gets exactly the numbers of ``project(base, scenario,
    posterior, horizon, draws, g)`` with ``g`` a copy of ``rng`` as passed:
    every scenario starts from the same generator state. ``rng`` is advanced as
    one such projection would advance it.
    """
    if not scenarios:
        return []
    if horizon <= base.year:
        raise ValueError(f"horizon {horizon} must be after the base year {base.year}")
    years = np.arange(base.year + 1, horizon + 1)
    blocks, after = [], None
    for s in scenarios:
        g = copy.deepcopy(rng)
        blocks.append(sample_inputs(s, posterior, years, draws, g))
        if after is None:
            after = g
        elif not _same_state(after, g):  # sample_inputs' draw count must not depend on the values
            raise RuntimeError("scenarios consumed different amounts of random numbers; "
                               "common random numbers are not possible")
    values = simulate(base, stack_inputs(blocks), years, BlockRandom(after, draws, len(scenarios)), True)
    rng.bit_generator.state = after.bit_generator.state
    all_years = np.arange(base.year, horizon + 1)
    out = []
    for i, s in enumerate(scenarios):
        rows = slice(i * draws, (i + 1) * draws)
        out.append(Projection(all_years, {k: v[rows] for k, v in values.items()}, s.id, draws))
    return out


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


_TRACE_LOCK = threading.Lock()


def used_parameters(base: BaseState, posterior: Posterior, horizon: int) -> list[str]:
    """The registry parameters the annual model reads (in registry order).

    Found by running one stochastic projection of two draws and recording
    which parameters the model looks up: in the inputs ``simulate`` is given,
    and in the per-year parameter dict it builds from them
    (:func:`simulation.model.year_inputs`, wrapped for this one run), so it
    follows the model as it changes. Parameters of other engines (the event
    engine's stages, say) are not among them. The run's numbers are
    discarded; its generator is a local one. Raises RuntimeError if the run
    read no parameter at all (the model no longer builds its parameters
    through ``year_inputs``: this function must follow it).
    """
    from . import model as model_mod

    years = np.arange(base.year + 1, horizon + 1)
    names = list(parameters())
    values = np.array([[posterior.default(n) for n in names]])
    read: set[str] = set()
    inputs = _Recording(fixed_inputs(posterior, years, names, values, 2), read)
    original = model_mod.year_inputs

    def traced(given, k, constants):
        p = original(given, k, constants)
        return _Recording(p, read) if given is inputs else p   # other threads' runs are left alone

    with _TRACE_LOCK:
        model_mod.year_inputs = traced
        try:
            simulate(base, inputs, years, np.random.default_rng(0), stochastic=True)
        finally:
            model_mod.year_inputs = original
    used = [n for n in names if n in read]
    if not set(used) - {"incremental_projects", "project_lag_years"}:   # only lagged_projects' direct reads
        raise RuntimeError("used_parameters saw no parameter read through simulation.model.year_inputs; "
                           "the model builds its parameters another way and this function must follow it")
    return used


def simulate_settings(base: BaseState, posterior: Posterior, names: Sequence[str], values: np.ndarray,
                      years: np.ndarray, draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Run every setting (row of ``values``) for ``draws`` draws of the model's own noise.

    The noise (upgrades, projects, exits, growth volatility) is common to all
    settings: the same ``draws`` realisations, from ``rng``. Returns indicator
    arrays ``(settings, draws, 1 + T)``.
    """
    inputs = fixed_inputs(posterior, years, names, values, draws)
    S = np.asarray(values).shape[0]
    res = simulate(base, inputs, years, BlockRandom(rng, draws, S), True)
    return {k: v.reshape(S, draws, v.shape[1]) for k, v in res.items()}
