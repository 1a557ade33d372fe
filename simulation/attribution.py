"""Where a gap comes from (差距分解): Shapley values over groups of levers and uncertainties.

Two settings A and B of the model (two scenarios; the baseline and a policy
package) give two values of a statistic (the median of an indicator in a
year, say). Their parameters differ in some groups: the registry's lever
groups (小升规, 增量项目, 技术改造, 重点企业) and uncertainty groups (经济环境,
冲击, …). A *player* is one such group of parameters (kind and group). For every
coalition S of players, the setting "A with the players in S moved to B's
values" is run; the Shapley value of a player is its marginal contribution
averaged over every order in which the players could be moved:

    φ_i = Σ_{S ∌ i} |S|! (n - |S| - 1)! / n! · (v(S ∪ {i}) - v(S)).

The values add up to the whole difference, v(B) - v(A), whatever the model's
interactions (efficiency); a player that changes nothing gets 0; on an
additive model each player gets exactly its own effect. All 2^n coalitions are
run in one stacked run with the same random numbers (common random numbers),
so a contribution is the group's, not the dice's.

Pure: :func:`shapley_values` is arithmetic; :func:`coalition_paths` builds the
parameters' value paths of every coalition; the model run is the caller's
(:func:`simulation.batch.outcome_draws`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from growthsim.i18n import Pair, text

from .model import Posterior
from .registry import GROUP_LABELS, parameters
from .scenario import Scenario, value_path

MAX_PLAYERS = 10  # 2^10 = 1024 coalitions: more would need sampling, which would lose exact additivity


def coalition_masks(n: int) -> np.ndarray:
    """Every coalition of ``n`` players as a boolean matrix ``(2^n, n)``: row ``m`` holds player i iff bit i of m."""
    if not 0 <= n <= MAX_PLAYERS:
        raise ValueError(f"at most {MAX_PLAYERS} players, got {n}")
    m = np.arange(2 ** n)[:, None]
    return ((m >> np.arange(n)[None, :]) & 1).astype(bool)


def shapley_values(v: Sequence[float] | np.ndarray) -> np.ndarray:
    """Exact Shapley values from a value per coalition.

    Parameters
    ----------
    v : array of length 2^n
        ``v[m]`` is the value of the coalition whose members are the set bits of ``m``
        (``v[0]`` the empty coalition, ``v[2^n - 1]`` everyone).

    Returns
    -------
    numpy.ndarray
        ``(n,)``: each player's Shapley value, in ``v``'s unit; they sum to ``v[-1] - v[0]``
        (to floating-point rounding).
    """
    v = np.asarray(v, dtype=float)
    n = int(round(math.log2(v.size))) if v.size else -1
    if v.size == 0 or 2 ** n != v.size:
        raise ValueError(f"one value per coalition: 2^n values, got {v.size}")
    masks = np.arange(v.size)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) if s < n else 0.0
                       for s in range(n + 1)])
    phi = np.empty(n)
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        phi[i] = math.fsum(weight[sizes[without]] * (v[without | (1 << i)] - v[without]))
    return phi


def rounded_parts(parts: Sequence[float], total: float, decimals: int) -> list[float]:
    """Round ``parts`` to ``decimals`` so that the rounded parts add up to ``total`` rounded.

    The largest-remainder method: each part is rounded down at the last shown
    decimal, and the units still missing go to the parts with the largest
    remainders. A waterfall and its sentences then add up to the figure shown.

    Parameters
    ----------
    parts : sequence of float
        The exact parts (they add up to ``total``).
    total : float
        Their sum.
    decimals : int
        Decimals shown (0 or more).

    Returns
    -------
    list of float
        The rounded parts, summing to ``round(total, decimals)`` at that precision.
    """
    scale = 10.0 ** decimals
    raw = np.asarray(parts, dtype=float) * scale
    floor = np.floor(raw)
    missing = int(round(round(float(total) * scale) - floor.sum()))
    order = np.argsort(-(raw - floor), kind="stable")
    out = floor.copy()
    if missing >= 0:
        out[order[:missing]] += 1
    else:
        out[order[::-1][:-missing]] -= 1
    return [float(x) / scale for x in out]


@dataclass(frozen=True)
class Player:
    """A group of parameters moved together: a registry group of one kind (lever or uncertainty)."""

    kind: str
    group: str
    parameters: tuple[str, ...]

    @property
    def key(self) -> str:
        """``lever:firm_upgrades``, ``uncertainty:economy``, …"""
        return f"{self.kind}:{self.group}"

    def label(self, lang: str = "zh") -> str:
        """The group's name with its kind: 小升规（政策）, Firm upgrades (policy), 经济环境（不确定因素）."""
        return text("attribution.group_lever" if self.kind == "lever" else "attribution.group_uncertainty", lang,
                    group=Pair(*GROUP_LABELS[self.group]))


def scenario_path(scenario: Scenario, pid: str, posterior: Posterior, years: np.ndarray) -> np.ndarray:
    """A parameter's centre in each of ``years`` under ``scenario`` (the posterior mean where it is not set).

    Parameters
    ----------
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    pid : str
        Parameter id.
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    years : numpy.ndarray
        The projected years (calendar years).
    """
    return value_path(scenario.values.get(pid), posterior.default(pid), years)


def players_between(a: Scenario, b: Scenario, posterior: Posterior, years: np.ndarray) -> list[Player]:
    """The groups whose parameters differ between ``a`` and ``b`` in ``years``, in the registry's order.

    A parameter that both scenarios set to the same path (or neither sets) is
    not a player's: it contributes nothing.

    Parameters
    ----------
    a : Scenario
        The starting scenario (A).
    b : Scenario
        The scenario compared with it (B).
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    years : numpy.ndarray
        The projected years (calendar years).
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for pid, p in parameters().items():
        if pid not in a.values and pid not in b.values:
            continue
        if np.array_equal(scenario_path(a, pid, posterior, years), scenario_path(b, pid, posterior, years)):
            continue
        groups.setdefault((p.kind, p.group), []).append(pid)
    return [Player(kind, group, tuple(pids)) for (kind, group), pids in groups.items()]


def coalition_paths(players: Sequence[Player], a: Scenario, b: Scenario, posterior: Posterior,
                    years: np.ndarray) -> dict[str, np.ndarray]:
    """Value paths ``(2^n, T)`` of every player's parameters: coalition ``m`` has B's values for its members.

    Row ``m`` follows :func:`coalition_masks`: player i's parameters take B's
    path where bit i of ``m`` is set and A's otherwise. Parameters outside every
    player are A's (equal to B's) and are left to the scenario ``a``.

    Parameters
    ----------
    players : Sequence[Player]
        The players: groups of parameters that move together.
    a : Scenario
        The starting scenario (A).
    b : Scenario
        The scenario compared with it (B).
    posterior : Posterior
        The calibration's posterior: particle rows per calibrated parameter and its centres.
    years : numpy.ndarray
        The projected years (calendar years).
    """
    masks = coalition_masks(len(players))
    out: dict[str, np.ndarray] = {}
    for i, pl in enumerate(players):
        for pid in pl.parameters:
            pa = scenario_path(a, pid, posterior, years)
            pb = scenario_path(b, pid, posterior, years)
            out[pid] = np.where(masks[:, i:i + 1], pb[None, :], pa[None, :])
    return out


@dataclass(frozen=True)
class Attribution:
    """The Shapley attribution of ``to_value - from_value`` among ``players``.

    ``contributions[i]`` is player i's share of the difference (the statistic's
    unit); they add up to ``to_value - from_value``. ``coalition_values`` holds
    the statistic of every coalition (row order of :func:`coalition_masks`).
    """

    players: tuple[Player, ...]
    contributions: np.ndarray
    from_value: float
    to_value: float
    coalition_values: np.ndarray

    @property
    def difference(self) -> float:
        """The whole difference, ``to_value - from_value``."""
        return self.to_value - self.from_value

    def by_key(self) -> dict[str, float]:
        """Each player's contribution by its key."""
        return {pl.key: float(c) for pl, c in zip(self.players, self.contributions, strict=True)}


def attribution_from_values(players: Sequence[Player], coalition_values: np.ndarray) -> Attribution:
    """The :class:`Attribution` of a statistic evaluated at every coalition (see :func:`coalition_masks`)."""
    v = np.asarray(coalition_values, dtype=float)
    if not players:
        return Attribution((), np.zeros(0), float(v[0]), float(v[0]), v)
    return Attribution(tuple(players), shapley_values(v), float(v[0]), float(v[-1]), v)


def coalition_statistic(draws: Mapping[str, np.ndarray] | np.ndarray, statistic: str = "median") -> np.ndarray:
    """The statistic over the draws (last axis) of each coalition: ``median`` or ``mean``."""
    arr = np.asarray(draws, dtype=float)
    if statistic == "median":
        return np.median(arr, axis=-1)
    if statistic == "mean":
        return np.mean(arr, axis=-1)
    raise ValueError(f"unknown statistic {statistic!r}; allowed median, mean")
