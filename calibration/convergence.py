"""Convergence of the particle filter: independent runs must agree within their Monte Carlo error.

A particle filter has no chains to compare, so the check runs it several
times with independent seeds and compares, for every learned parameter, the
spread of the runs' posterior means with the posterior's own standard
deviation (a between-run / within-run ratio in the spirit of R-hat): a
ratio well under 0.1 means the runs agree and the reported posterior is not
an accident of one seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .fit import calibrate
from .smc import PARTICLES


def convergence_table(reported: pd.DataFrame, seeds: tuple[int, ...] = (1, 2, 3), particles: int = PARTICLES,
                      data_through: int | None = None) -> pd.DataFrame:
    """Posterior mean of every learned parameter in each independent run, and their agreement.

    Returns one row per parameter: the runs' means, the spread of the means (sd between runs), the mean
    posterior sd within runs, and their ratio.
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
    return table
