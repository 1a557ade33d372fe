"""A lever's preview grid: indicators' bands at a few values of one lever, for a chart that follows a slider.

While a planner drags a lever, the browser cannot wait for the server: a run takes longer than a frame. So the
projection is run beforehand at a few values across the lever's range (:data:`GRID_POINTS`), each exactly as the
scenario's own run (the same draws, seed and horizon: common random numbers, so the paths move smoothly with the
lever), and the chart interpolates linearly between the two runs on either side of the slider
(:func:`interpolate`, the same rule the chart's Vega-Lite expression applies). At a grid value the preview *is*
the run; between them it is an interpolation, shown as a preview until the slider is released and the exact
projection replaces it.

Pure: no I/O, no Streamlit; the app caches and draws what this returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from growthsim.calibration.fit import Calibration
from growthsim.simulation.model import project
from growthsim.simulation.registry import Parameter, parameters
from growthsim.simulation.scenario import Scenario, Value
from growthsim.simulation.summary import summarise

GRID_POINTS = 11  # runs across a lever's range: ~10 ms each at 1,000 draws (benchmarks/bench_live.py)
BAND = ("p10", "p50", "p90")  # the quantiles the preview draws: the 80 % band and the median


@dataclass(frozen=True)
class LeverGrid:
    """Indicators' quantiles at each grid value of one lever, the scenario's other values held.

    Attributes
    ----------
    lever : str
        The lever's parameter id.
    indicators : tuple[str, ...]
        The indicators' ids.
    values : tuple[float, ...]
        The grid, ascending, in the lever's registry unit (its bounds included, on its slider's step).
    table : pandas.DataFrame
        Columns ``indicator``, ``value``, ``year`` and :data:`BAND` (the indicator's unit): one row per indicator,
        grid value and year.
    """

    lever: str
    indicators: tuple[str, ...]
    values: tuple[float, ...]
    table: pd.DataFrame


def grid_values(p: Parameter, points: int = GRID_POINTS) -> tuple[float, ...]:
    """Values evenly across a lever's range, each on its slider's step (so the slider can stop on every one).

    Parameters
    ----------
    p : Parameter
        The lever (its bounds and step, in its registry unit).
    points : int
        How many values at most [count]; a whole-number lever with a narrower range gets one per step.
    """
    if points < 2:
        raise ValueError(f"a grid needs two values at least, got {points}")
    raw = np.linspace(p.lower, p.upper, points)
    snapped = p.lower + np.round((raw - p.lower) / p.step) * p.step
    snapped = np.clip(np.round(snapped, 10), p.lower, p.upper)
    return tuple(float(v) for v in sorted(set(snapped.tolist())))


def lever_grid(calibration: Calibration, values: Mapping[str, Value], lever: str, indicator_ids: Sequence[str], *,
               draws: int, seed: int, horizon: int, points: int = GRID_POINTS) -> LeverGrid:
    """Run the scenario at each grid value of ``lever`` and keep the indicators' bands.

    Each run is the scenario's own (``runner.run``'s projection: the seed's generator, these draws and horizon),
    so at a grid value the preview equals what the app's exact projection shows for that value.

    Parameters
    ----------
    calibration : Calibration
        The calibration: base state and posterior.
    values : Mapping[str, Value]
        The scenario's values (parameter id to a value in its registry unit, or a table by year); ``lever``'s own
        is replaced by each grid value.
    lever : str
        The lever's parameter id (a lever with one value for every year).
    indicator_ids : Sequence[str]
        The indicators' ids.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        The run's seed (every grid run uses it: common random numbers).
    horizon : int
        Last projected year (calendar year).
    points : int
        Grid values at most [count].
    """
    p = parameters()[lever]
    if p.kind != "lever":
        raise ValueError(f"{lever} is an uncertainty, not a lever")
    grid = grid_values(p, points)
    frames = []
    for v in grid:
        scenario = Scenario("preview", "", "", values={**values, lever: v})
        proj = project(calibration.base, scenario, calibration.posterior, horizon, draws,
                       np.random.default_rng(seed))
        band = summarise(proj, list(indicator_ids))[["indicator", "year", *BAND]]
        frames.append(band.assign(value=v))
    table = pd.concat(frames, ignore_index=True)[["indicator", "value", "year", *BAND]]
    return LeverGrid(lever, tuple(indicator_ids), grid, table)


def moved_most(grid: LeverGrid) -> str:
    """The indicator the lever moves most across its range, in its last year: the change of the median from the
    lowest to the highest value, over the band's width (P10–P90) at the lowest (so a unit does not decide)."""
    last = grid.table[grid.table.year == grid.table.year.max()]

    def moved(ind: str) -> float:
        rows = last[last.indicator == ind].set_index("value")
        lo, hi = rows.loc[grid.values[0]], rows.loc[grid.values[-1]]
        width = abs(lo.p90 - lo.p10)
        return abs(hi.p50 - lo.p50) / width if width > 0 else 0.0

    return max(grid.indicators, key=moved)


def interpolate(grid: LeverGrid, indicator: str, value: float) -> pd.DataFrame:
    """An indicator's preview band at ``value``: linear between the two grid runs on either side (the chart's rule).

    Parameters
    ----------
    grid : LeverGrid
        The runs across the lever's range.
    indicator : str
        The indicator's id (one of the grid's).
    value : float
        The lever's value, in its registry unit, within the grid's range.

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` and :data:`BAND`.
    """
    g = np.asarray(grid.values)
    if not g[0] <= value <= g[-1]:
        raise ValueError(f"{value} is outside the grid's range [{g[0]}, {g[-1]}]")
    hi = int(np.clip(np.searchsorted(g, value), 1, len(g) - 1))
    lo = hi - 1
    w = (value - g[lo]) / (g[hi] - g[lo])
    rows = grid.table[grid.table.indicator == indicator]
    at = {v: f.set_index("year")[list(BAND)] for v, f in rows.groupby("value")}
    mixed = at[g[lo]] * (1 - w) + at[g[hi]] * w
    return mixed.reset_index()
