"""Summaries of a projection: quantile tables and target attainment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .indicators import indicators
from .model import Projection
from .targets import Target

QUANTILES = (("p05", 5), ("p10", 10), ("p50", 50), ("p90", 90), ("p95", 95))
PROJECTION_COLUMNS = ["scenario", "indicator", "unit", "year", "mean", "p05", "p10", "p50", "p90", "p95"]
TARGET_COLUMNS = ["scenario", "target_id", "indicator", "year", "comparator", "target", "p50", "gap", "probability"]


def summarise(projection: Projection, indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Long table: one row per indicator and year, with mean and quantiles over draws.

    An indicator that assumptions set (its registry entry's ``set_by``) is an
    assumed path, not a forecast: its mean and median are kept, its other
    quantiles are NaN, so no view shows a band for it.
    A year whose draws are not all finite gets NaN statistics. Every indicator's
    columns are stacked into one ``draws × (indicators·years)`` array, so the mean
    and the quantiles are one numpy call each (column by column, the same numbers
    as one call per indicator) and the table is built once.
    """
    meta = indicators()
    ids = indicator_ids or [i for i in meta if i in projection.values]
    n_years = len(projection.years)
    stacked = np.concatenate([np.asarray(projection.values[ind], dtype=float) for ind in ids], axis=1)
    finite = np.isfinite(stacked).all(axis=0)
    stats = np.full((len(QUANTILES) + 1, stacked.shape[1]), np.nan)
    if finite.any():
        sub = stacked[:, finite]
        stats[0, finite] = sub.mean(axis=0)
        stats[1:, finite] = np.percentile(sub, [q for _, q in QUANTILES], axis=0)
    columns = {
        "scenario": np.full(len(ids) * n_years, projection.scenario_id, dtype=object),
        "indicator": np.repeat(np.array(ids, dtype=object), n_years),
        "unit": np.repeat(np.array([meta[ind].unit for ind in ids], dtype=object), n_years),
        "year": np.tile(projection.years.astype(int), len(ids)),
        "mean": stats[0],
    }
    assumed = np.repeat(np.array([meta[ind].assumed for ind in ids]), n_years)
    for i, (name, _) in enumerate(QUANTILES, start=1):
        columns[name] = stats[i] if name == "p50" else np.where(assumed, np.nan, stats[i])
    return pd.DataFrame(columns, columns=PROJECTION_COLUMNS)


def attainment(projection: Projection, target: Target) -> tuple[float, float, float]:
    """(median, gap = median - target, probability the target is met), from the target's measure per draw."""
    values = target.values(projection.at)
    median = float(np.median(values))
    return median, median - target.value, float(np.mean(target.met(values)))


def target_table(projection: Projection, targets: Mapping[str, Target] | Iterable[Target]) -> pd.DataFrame:
    """One row per tracked target whose year lies within the projection (after its first year)."""
    rows = []
    first, last = int(projection.years[0]), int(projection.years[-1])
    for t in (targets.values() if isinstance(targets, Mapping) else targets):
        if not t.tracked:
            continue
        if not first < t.year <= last:
            continue
        median, gap, prob = attainment(projection, t)
        rows.append({"scenario": projection.scenario_id, "target_id": t.id, "indicator": t.indicator,
                     "year": t.year, "comparator": t.comparator, "target": t.value, "p50": median,
                     "gap": gap, "probability": prob})
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)
