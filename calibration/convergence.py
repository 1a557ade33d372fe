"""Convergence of the particle filter: independent runs must agree within their Monte Carlo error.

A particle filter has no chains to compare, so the check runs it several
times with independent seeds and compares, for every learned parameter, the
spread of the runs' posterior means with the posterior's own standard
deviation (a between-run / within-run ratio in the spirit of R-hat): a
ratio well under 0.1 means the runs agree and the reported posterior is not
an accident of one seed. The headline states of the last reported year, from
which every projection starts, are compared directly: the runs' posterior
medians must lie within :data:`HEADLINE_GOALS` of each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from growthsim.simulation.indicators import indicators

from .fit import Calibration, calibrate
from .smc import PARTICLES

# Headline states of the last reported year: (unit, how close the runs' medians must be, whether that closeness
# is relative (a share of the median) or in the state's unit); their names are the indicator registry's.
HEADLINE_GOALS: dict[str, tuple[str, float, bool]] = {
    "mfg_va_share_gdp": ("%", 0.2, False),
    "above_scale_firms": ("家", 0.005, True),
    "high_tech_share": ("%", 0.2, False),
}


@dataclass(frozen=True)
class Convergence:
    """The runs' agreement: per learned parameter (``parameters``) and per headline state (``headline``)."""

    parameters: pd.DataFrame
    headline: pd.DataFrame


def headline_states(cal: Calibration) -> dict[str, np.ndarray]:
    """The headline states of the last reported year, one value per posterior particle."""
    st = cal.base.state
    return {"mfg_va_share_gdp": 100.0 * st["mfg_va"] / st["gdp"], "above_scale_firms": np.asarray(st["firms"]),
            "high_tech_share": 100.0 * st["ht_odds"] / (1.0 + st["ht_odds"])}


def headline_table(runs: list[Calibration], seeds: tuple[int, ...]) -> pd.DataFrame:
    """Each headline state's posterior median in every run, their spread (largest less smallest) and the goal.

    ``goal`` is in the state's unit (a relative goal times the runs' mean median); ``met``: spread <= goal.
    """
    rows = []
    medians = [{k: float(np.median(v)) for k, v in headline_states(r).items()} for r in runs]
    names = indicators()
    for key, (unit, goal, relative) in HEADLINE_GOALS.items():
        zh, en = names[key].name_zh, names[key].name_en
        values = [m[key] for m in medians]
        spread = max(values) - min(values)
        allowed = goal * float(np.mean(values)) if relative else goal
        rows.append({"state": key, "label_zh": zh, "label_en": en, "unit": unit,
                     **{f"median_seed{s}": v for s, v in zip(seeds, values, strict=True)},
                     "spread": spread, "goal": allowed, "goal_text": f"{goal:.1%}" if relative else f"{goal:g}",
                     "met": bool(spread <= allowed)})
    return pd.DataFrame(rows)


def convergence_table(reported: pd.DataFrame, seeds: tuple[int, ...] = (1, 2, 3), particles: int = PARTICLES,
                      data_through: int | None = None) -> pd.DataFrame:
    """Posterior mean of every learned parameter in each independent run, and their agreement.

    Returns one row per parameter: the runs' means, the spread of the means (sd between runs), the mean
    posterior sd within runs, and their ratio. :func:`convergence` also compares the headline states.

    Parameters
    ----------
    reported : pd.DataFrame
        The reported figures (rows of ``reported_figures.csv``: year, indicator, value in its unit, error, source).
    seeds : tuple[int, ...]
        One seed per independent run.
    particles : int
        Particles of the filter [particles].
    data_through : int | None
        Use reported figures up to this year only (calendar year); None: all.
    """
    return convergence(reported, seeds, particles, data_through).parameters


def convergence(reported: pd.DataFrame, seeds: tuple[int, ...] = (1, 2, 3), particles: int = PARTICLES,
                data_through: int | None = None) -> Convergence:
    """Run the filter once per seed (``default_rng([seed, 7])``) and compare the runs (:class:`Convergence`).

    Parameters
    ----------
    reported : pd.DataFrame
        The reported figures (rows of ``reported_figures.csv``: year, indicator, value in its unit, error, source).
    seeds : tuple[int, ...]
        One seed per independent run.
    particles : int
        Particles of the filter [particles].
    data_through : int | None
        Use reported figures up to this year only (calendar year); None: all.
    """
    runs = [calibrate(reported, np.random.default_rng([s, 7]), data_through, particles) for s in seeds]
    table = runs[0].parameters[["parameter", "label_zh", "label_en", "unit", "learned"]].copy()
    means = np.array([r.parameters.posterior_mean.to_numpy() for r in runs])
    sds = np.array([r.parameters.posterior_sd.to_numpy() for r in runs])
    for i, s in enumerate(seeds):
        table[f"mean_seed{s}"] = means[i]
    table["between_sd"] = means.std(axis=0, ddof=1)
    table["within_sd"] = sds.mean(axis=0)
    table["ratio"] = table.between_sd / table.within_sd
    return Convergence(parameters=table, headline=headline_table(runs, seeds))
