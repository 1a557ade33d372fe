"""The attainability ladder (目标梯度): what value an indicator reaches with a given probability.

For a target-setter the question is not "what is the median?" but "what
can we promise?". The ladder gives, for one indicator in one year (or one
cumulative measure), the value reached with 90 %, 70 % and 50 % probability:

- 保底 (floor): reached in 90 % of the draws;
- 力争 (strive): reached in 70 %;
- 冲刺 (stretch): reached in 50 % (the median).

"Reached" means at least that value for an indicator where more is better,
so the floor is the 10th percentile of the draws, the strive rung the
30th and the stretch rung the 50th (numpy's linear interpolation, as
:func:`simulation.summary.summarise` computes its quantiles: the floor equals
the projection table's P10 and the stretch rung its P50). Where less is
better (a ceiling), the rungs are the 90th, 70th and 50th percentiles.

The exceedance curve P(indicator ≥ x) is the ladder for every probability at
once. Everything here is pure numpy over the draws: no model run, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rung:
    """One rung of the ladder: its key, the probability it is reached with, and its names."""

    key: str
    probability: float
    name_zh: str
    name_en: str

    def name(self, lang: str = "zh") -> str:
        """The rung's name in ``lang`` (保底 / floor, 力争 / strive, 冲刺 / stretch)."""
        return self.name_zh if lang == "zh" else self.name_en


RUNGS = (Rung("floor", 0.9, "保底", "floor"), Rung("strive", 0.7, "力争", "strive"),
         Rung("stretch", 0.5, "冲刺", "stretch"))


def percentile_for(probability: float, higher_is_better: bool = True) -> float:
    """The percentile (0-100) of the draws that is reached with ``probability``.

    Parameters
    ----------
    probability : float
        The chance of reaching the value, strictly between 0 and 1.
    higher_is_better : bool
        True when reaching means "at least" (a floor target), False for "at most".

    Returns
    -------
    float
        ``100 (1 - probability)`` for "at least", ``100 probability`` for "at most".
    """
    if not 0.0 < float(probability) < 1.0:
        raise ValueError(f"a ladder probability lies strictly between 0 and 1, got {probability!r}")
    # rounded so that 0.9 reads the 10th percentile exactly (100 * (1 - 0.9) is 9.999999999999998)
    return round(100.0 * (1.0 - probability), 9) if higher_is_better else round(100.0 * probability, 9)


def rung_values(draws: np.ndarray, probabilities: Sequence[float] = tuple(r.probability for r in RUNGS),
                higher_is_better: bool = True) -> np.ndarray:
    """The value reached with each probability, for every column of ``draws``.

    Parameters
    ----------
    draws : numpy.ndarray
        ``(draws,)`` or ``(draws, k)``: one column per indicator-year (in the indicator's unit).
    probabilities : sequence of float
        The chances to read, each strictly between 0 and 1 (default 0.9, 0.7, 0.5).
    higher_is_better : bool
        True: the value is reached when the indicator is at least it.

    Returns
    -------
    numpy.ndarray
        ``(len(probabilities),)`` or ``(len(probabilities), k)``, in the indicator's unit; NaN in a
        column whose draws are not all finite.
    """
    arr = np.asarray(draws, dtype=float)
    qs = [percentile_for(p, higher_is_better) for p in probabilities]
    if arr.ndim == 1:
        return np.percentile(arr, qs) if np.isfinite(arr).all() else np.full(len(qs), np.nan)
    out = np.full((len(qs), arr.shape[1]), np.nan)
    finite = np.isfinite(arr).all(axis=0)
    if finite.any():
        out[:, finite] = np.percentile(arr[:, finite], qs, axis=0)
    return out


def probability_reaching(draws: np.ndarray, value: float, higher_is_better: bool = True) -> float:
    """P(indicator ≥ value) over the draws (or ≤ when less is better), 0-1.

    Parameters
    ----------
    draws : numpy.ndarray
        The indicator's value in each draw (its unit).
    value : float
        The candidate value (the indicator's unit).
    higher_is_better : bool
        True: P(≥ value); False: P(≤ value).
    """
    arr = np.asarray(draws, dtype=float)
    return float(np.mean(arr >= value)) if higher_is_better else float(np.mean(arr <= value))


def exceedance(draws: np.ndarray, points: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """The curve P(indicator ≥ x): ``points`` values of x over the draws' range and the probability at each.

    Parameters
    ----------
    draws : numpy.ndarray
        ``(draws,)``, in the indicator's unit; all finite.
    points : int
        Number of x values, at least 2, evenly spaced from the smallest to the largest draw.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        x (the indicator's unit) and P(indicator ≥ x) (0-1), non-increasing.
    """
    arr = np.sort(np.asarray(draws, dtype=float))
    if arr.size == 0 or not np.isfinite(arr).all():
        raise ValueError("the exceedance curve needs finite draws")
    if points < 2:
        raise ValueError("the exceedance curve needs at least 2 points")
    x = np.linspace(arr[0], arr[-1], int(points))
    # the number of draws >= x is n minus those strictly below x
    below = np.searchsorted(arr, x, side="left")
    return x, 1.0 - below / arr.size
