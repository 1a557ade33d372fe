"""Helpers for the event engine's tests (imported as a plain module: tests/ is not a package)."""

from __future__ import annotations

import numpy as np

from growthsim.simulation.events import ProjectSet, decimal_year, run_pipeline
from growthsim.simulation.model import sample_inputs
from growthsim.simulation.scenario import baseline


def make_list(rows, as_of=None) -> ProjectSet:
    """rows: (type, stage or -1, planned start, planned commissioning, output); dates as (y, m) or decimal years."""
    def t(x):
        return decimal_year(*x) if isinstance(x, tuple) else float(x)

    n = len(rows)
    return ProjectSet(
        ids=tuple(f"P{i}" for i in range(n)), names=tuple(f"项目{i}" for i in range(n)),
        industries=("智能家电",) * n, districts=("城阳区",) * n,
        kind=np.array([r[0] for r in rows], dtype=np.int64), investment=np.ones(n),
        output=np.array([r[4] for r in rows], dtype=float),
        planned_start=np.array([t(r[2]) for r in rows]), planned_commissioning=np.array([t(r[3]) for r in rows]),
        stage=np.array([r[1] for r in rows], dtype=np.int64), as_of=as_of, illustrative=False, source="test.csv")


def quiet(**values):
    """A scenario with no generated projects and no upgrades: only the list moves (no project lag either, so
    that the first projected year has no generated projects at the baseline's pace)."""
    base = dict(incremental_projects=0, project_lag_years=0, renovation_projects_completed=0, upgrade_target=0)
    base.update(values)
    return baseline().with_values(**base)


def pipeline(calibration, projects, scenario=None, draws=3, horizon=2030, seed=1, trace=None):
    """The pipeline alone over the projected years (2026 to ``horizon``; the calibration ends in 2025), with the
    annual engine's yearly factors at 1 (no landing spread, mean project size: ``run_pipeline``'s default)."""
    years = np.arange(calibration.base_year + 1, horizon + 1)
    inputs = sample_inputs(scenario or baseline(), calibration.posterior, years, draws, np.random.default_rng(seed))
    return run_pipeline(projects, calibration.base, inputs, years, np.random.default_rng([seed, 9]), trace=trace)

