"""Splitting a city target among its regions (指标分解): parts that add up to the city's.

A city target for a level or a count (GDP, manufacturing VA, firms) is split
into regional parts that add up to it; a target for a growth rate into
regional rates whose base-weighted sum is the city's (a region of weight
``w_i`` growing ``g_i`` adds ``w_i g_i`` points to the city's growth). Two
ways:

- **equal probability** (同等把握): every region's part is reached with the
  same probability. With ``Q_i`` the region's quantile function, find the
  probability level q with ``Σ a_i Q_i(1 - q) = target`` (``a_i`` = 1 for levels,
  the base weight for growth); the level is found by bisection, since the sum
  rises as q falls, and the last rounding residue is spread over the parts;
- **capacity** (按能力): parts in proportion to each region's capacity (a
  level's part ``T · c_i / Σ c``; a growth rate such that each region's
  contribution ``w_i g_i`` is in proportion to ``c_i``: with ``c = w``
  every region gets the city's rate).

Regional draws come from the city's draws: the regions' shares of a level
vary around their base shares (log-normal, renormalised so that the regions
add up to the city in every draw), and regional growth rates around the
city's (normal deviations whose weighted sum is zero). The spread is an
assumption of the caller's. Counts are split into whole numbers by the largest
remainder. Pure numpy; the random numbers come from the generator passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .attribution import rounded_parts

BISECTION_STEPS = 60


def level_region_draws(city: np.ndarray, shares: Sequence[float], spread: float,
                       rng: np.random.Generator) -> np.ndarray:
    """Regional draws ``(regions, draws)`` of a level whose regions add up to ``city`` in every draw.

    Parameters
    ----------
    city : numpy.ndarray
        The city's draws ``(draws,)`` (亿元, firms, …).
    shares : sequence of float
        Each region's base share of the city (positive; normalised to sum 1).
    spread : float
        The log standard deviation of a region's share around its base share (假设 assumption, ≥ 0).
    rng : numpy.random.Generator
        The random numbers of the regional deviations.

    Returns
    -------
    numpy.ndarray
        ``(regions, draws)``; each column sums to the city's draw.
    """
    w = _weights(shares)
    city = np.asarray(city, dtype=float)
    z = rng.standard_normal((w.size, city.size))
    raw = w[:, None] * np.exp(spread * z - 0.5 * spread ** 2)
    return city[None, :] * raw / raw.sum(axis=0, keepdims=True)


def growth_region_draws(city: np.ndarray, weights: Sequence[float], spread: float,
                        rng: np.random.Generator) -> np.ndarray:
    """Regional growth draws ``(regions, draws)`` whose weighted sum is the city's growth in every draw.

    Parameters
    ----------
    city : numpy.ndarray
        The city's growth draws ``(draws,)``, %.
    weights : sequence of float
        Each region's base weight in the city's level (normalised to sum 1).
    spread : float
        The standard deviation of a region's growth around the city's, points (假设 assumption, ≥ 0).
    rng : numpy.random.Generator
        The random numbers of the regional deviations.

    Returns
    -------
    numpy.ndarray
        ``(regions, draws)``, %; ``weights @ result`` equals ``city``.
    """
    w = _weights(weights)
    city = np.asarray(city, dtype=float)
    z = spread * rng.standard_normal((w.size, city.size))
    return city[None, :] + z - (w @ z)[None, :]


def _weights(shares: Sequence[float]) -> np.ndarray:
    w = np.asarray(shares, dtype=float)
    if w.ndim != 1 or w.size == 0 or not np.isfinite(w).all() or (w <= 0).any():
        raise ValueError("region shares are positive finite numbers, one per region")
    return w / w.sum()


@dataclass(frozen=True)
class Split:
    """A city target split into regional parts.

    ``parts`` add up to ``target`` (levels, counts) or weigh up to it
    (``weights @ parts`` for growth rates); ``probabilities`` are each part's
    chance of being reached in its region's draws; ``level`` is the common
    probability level of an equal-probability split (None for capacity).
    """

    target: float
    parts: np.ndarray
    probabilities: np.ndarray
    weights: np.ndarray
    method: str
    growth: bool
    level: float | None


def _quantiles(sorted_draws: np.ndarray, q: float) -> np.ndarray:
    return np.quantile(sorted_draws, q, axis=1)


def equal_probability_parts(target: float, region_draws: np.ndarray, weights: Sequence[float] | None = None
                            ) -> tuple[np.ndarray, float]:
    """Parts reached with one common probability, adding (or weighing) up to ``target``.

    Parameters
    ----------
    target : float
        The city's target (the level's unit, or % for growth).
    region_draws : numpy.ndarray
        ``(regions, draws)``, all finite.
    weights : sequence of float, optional
        Growth rates: each region's base weight (normalised); None for levels (the parts add up).

    Returns
    -------
    (numpy.ndarray, float)
        The parts and the quantile level q of the draws they sit at (each is reached with
        probability about 1 - q).

    Raises
    ------
    ValueError
        When the target lies beyond what every region's draws can give together.
    """
    draws = np.sort(np.asarray(region_draws, dtype=float), axis=1)
    a = np.ones(draws.shape[0]) if weights is None else _weights(weights)

    def total(q: float) -> float:
        return float(a @ _quantiles(draws, q))

    lo, hi = 0.0, 1.0
    if not total(lo) <= target <= total(hi):
        raise ValueError(f"target {target:g} lies outside what the regions' draws give together "
                         f"({total(lo):g} to {total(hi):g})")
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        if total(mid) < target:
            lo = mid
        else:
            hi = mid
    q = 0.5 * (lo + hi)
    parts = _quantiles(draws, q)
    # the bisection's last residue, spread so that the parts add (weigh) up to the target exactly
    residue = target - float(a @ parts)
    parts = parts + residue * a / float(a @ a)
    return parts, q


def capacity_parts(target: float, capacities: Sequence[float], weights: Sequence[float] | None = None) -> np.ndarray:
    """Parts in proportion to capacity: ``T c_i / Σ c`` for levels; for growth, contributions ``w_i g_i ∝ c_i``.

    Parameters
    ----------
    target : float
        The city target (the indicator's unit: firms, 亿元 or %).
    capacities : Sequence[float]
        Each district's capacity, in any one unit (only their shares count: they are normalised to sum to 1).
    weights : Sequence[float] | None
        Each district's weight in the city's growth (shares summing to 1), or None for a level.
    """
    c = _weights(capacities)
    if weights is None:
        return target * c
    return target * c / _weights(weights)


def split_target(target: float, region_draws: np.ndarray, method: str = "equal_probability",
                 capacities: Sequence[float] | None = None, weights: Sequence[float] | None = None,
                 whole: bool = False) -> Split:
    """Split a city target among regions; see the module's docstring.

    Parameters
    ----------
    target : float
        The city's target (its unit; % for growth).
    region_draws : numpy.ndarray
        ``(regions, draws)``: the regions' draws of the indicator.
    method : str
        ``equal_probability`` or ``capacity``.
    capacities : sequence of float, optional
        The regions' capacities (``capacity``; default: ``weights`` or equal).
    weights : sequence of float, optional
        Growth rates: the regions' base weights; None for a level or a count.
    whole : bool
        A count: parts are whole numbers adding up to ``round(target)``.

    Returns
    -------
    Split
    """
    draws = np.asarray(region_draws, dtype=float)
    growth = weights is not None
    level = None
    if method == "equal_probability":
        parts, level = equal_probability_parts(target, draws, weights)
    elif method == "capacity":
        caps = capacities if capacities is not None else (weights if growth else np.ones(draws.shape[0]))
        parts = capacity_parts(target, caps, weights)
    else:
        raise ValueError(f"unknown split method {method!r}; allowed equal_probability, capacity")
    if whole and not growth:
        parts = np.array(rounded_parts(parts, round(target), 0))
    probs = np.mean(draws >= parts[:, None], axis=1)
    w = _weights(weights) if growth else np.ones(draws.shape[0])
    return Split(float(target), parts, probs, w, method, growth, level)
