"""A policy package moved by one intensity: every lever of a scenario, together.

A planner asks "how much of the 强化政策 package does a 27 % share by 2030
take?". The package is a scenario's set of levers; intensity k moves every one
of them from the starting scenario's path toward the package's, and beyond:

    lever_t(k) = start_t + k · (package_t - start_t),

clipped to the lever's registry bounds (whole numbers for counts). k = 0 is the
starting scenario, k = 1 the package as written, k = 2 twice its departures.
Uncertainties the package file sets are not part of it: a package is what the
bureau controls.

:func:`least_intensity` finds the smallest k on a grid whose probability
reaches a goal, from probabilities the caller computes (one stacked model run
per batch of intensities, common random numbers). Pure: no model run here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .model import Posterior
from .registry import parameters
from .scenario import Scenario, value_path

RESOLUTION = 0.01   # intensities are searched to a hundredth of the package
SCAN_POINTS = 17
REFINE_POINTS = 16


@dataclass(frozen=True)
class Package:
    """The levers a package moves: each lever's starting path and the package's, over ``years``."""

    levers: tuple[str, ...]
    start: np.ndarray      # (levers, T)
    target: np.ndarray     # (levers, T)
    years: np.ndarray

    def saturation(self) -> float:
        """The intensity beyond which no lever moves any more (every moving lever at a bound), or inf."""
        reg = parameters()
        most = 0.0
        for i, lid in enumerate(self.levers):
            diff = self.target[i] - self.start[i]
            moving = diff != 0
            if not moving.any():
                continue
            bound = np.where(diff > 0, reg[lid].upper, reg[lid].lower)
            most = max(most, float(np.max(((bound - self.start[i]) / np.where(moving, diff, 1.0))[moving])))
        return most if most > 0 else float("inf")

    def paths(self, intensities: Sequence[float] | np.ndarray) -> dict[str, np.ndarray]:
        """Each lever's path ``(len(intensities), T)`` at every intensity (clipped, counts whole)."""
        k = np.asarray(intensities, dtype=float)[:, None]
        reg = parameters()
        out = {}
        for i, lid in enumerate(self.levers):
            p = reg[lid]
            path = np.clip(self.start[i][None, :] + k * (self.target[i] - self.start[i])[None, :], p.lower, p.upper)
            out[lid] = np.round(path) if p.integer else path
        return out

    def values_at(self, intensity: float) -> dict[str, dict[int, float]]:
        """The levers' year-keyed values at one intensity, as a scenario file would hold them."""
        paths = self.paths([intensity])
        return {lid: {int(y): float(v) for y, v in zip(self.years, paths[lid][0], strict=True)}
                for lid in self.levers}

    def scenario_at(self, start: Scenario, intensity: float) -> Scenario:
        """``start`` with the package's levers at ``intensity`` (year-keyed values from the first year)."""
        return start.with_values(**self.values_at(intensity))


def package_between(start: Scenario, package: Scenario, posterior: Posterior, years: np.ndarray) -> Package:
    """The levers ``package`` sets on a different path from ``start`` in ``years`` (registry order).

    Raises ValueError when the package moves no lever (it sets none, or the
    same values as the starting scenario).

    Parameters
    ----------
    start : Scenario
        The starting scenario.
    package : Scenario
        The policy package: a scenario setting levers (registry units).
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    years : numpy.ndarray
        The projected years (calendar years).
    """
    levers, a, b = [], [], []
    for lid, p in parameters().items():
        if p.kind != "lever" or lid not in package.values:
            continue
        pa = value_path(start.values.get(lid), posterior.default(lid), years)
        pb = value_path(package.values.get(lid), posterior.default(lid), years)
        if not np.array_equal(pa, pb):
            levers.append(lid)
            a.append(pa)
            b.append(pb)
    if not levers:
        raise ValueError(f"the package {package.id} moves no lever from {start.id}")
    return Package(tuple(levers), np.array(a), np.array(b), np.asarray(years))


@dataclass(frozen=True)
class IntensityResult:
    """The least intensity meeting the goal (None when none within ``[0, upper]`` does).

    ``probability`` is the decisive probability at ``intensity`` (or the best
    reached, at ``best_intensity``); ``before`` the probability one grid step
    below the answer (None at 0).
    """

    intensity: float | None
    probability: float
    before: float | None
    best_intensity: float
    best_probability: float
    upper: float
    evaluations: int


def least_intensity(probability_of: Callable[[np.ndarray], np.ndarray], goal: float, upper: float,
                    resolution: float = RESOLUTION) -> IntensityResult:
    """The smallest intensity on the grid ``0, resolution, …, upper`` whose probability reaches ``goal``.

    Parameters
    ----------
    probability_of : callable
        Intensities (array) -> the decisive probability at each (array, 0-1); called with batches.
    goal : float
        The probability to reach, 0-1.
    upper : float
        The largest intensity searched (> 0).
    resolution : float
        The grid step (default a hundredth).

    Returns
    -------
    IntensityResult
        As the scan and refinement found it: the first grid value reaching the goal whose
        neighbour below does not (or, when none does, the best probability scanned).
    """
    K = int(np.ceil(upper / resolution - 1e-9))
    grid = np.minimum(np.arange(K + 1) * resolution, upper)
    seen: dict[int, float] = {}

    def ask(ks: Sequence[int]) -> None:
        todo = sorted({int(k) for k in ks} - set(seen))
        if todo:
            for k, p in zip(todo, probability_of(grid[todo]), strict=True):
                seen[k] = float(p)

    scan = sorted({int(round(x)) for x in np.linspace(0, K, min(SCAN_POINTS, K + 1))})
    ask(scan)
    first = next((k for k in scan if seen[k] >= goal), None)
    if first is None:
        best = max(scan, key=lambda k: seen[k])
        return IntensityResult(None, seen[best], None, float(grid[best]), seen[best], float(upper), len(seen))
    lo = max((k for k in scan if k < first), default=None)
    hi = first
    while lo is not None and hi - lo > 1:
        inner = sorted({int(round(x)) for x in np.linspace(lo + 1, hi - 1, min(REFINE_POINTS, hi - lo - 1))})
        ask(inner)
        hit = next((k for k in inner if seen[k] >= goal), None)
        if hit is None:
            lo = inner[-1]
        else:
            lo, hi = max((k for k in inner if k < hit), default=lo), hit
    best = max(seen, key=lambda k: seen[k])
    return IntensityResult(float(grid[hi]), seen[hi], None if lo is None else seen[lo], float(grid[best]),
                           seen[best], float(upper), len(seen))


def lever_values_table(package: Package, intensity: float) -> Mapping[str, tuple[float, float, float]]:
    """Each lever's value in the package's last year: (starting value, package as written, at ``intensity``)."""
    at = package.paths([intensity])
    return {lid: (float(package.start[i, -1]), float(package.target[i, -1]), float(at[lid][0, -1]))
            for i, lid in enumerate(package.levers)}
