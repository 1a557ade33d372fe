"""Summaries of a projection: quantile tables and target attainment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .indicators import indicators
from .model import Projection
from .targets import Target, tracked_targets

QUANTILES = (("p05", 5), ("p10", 10), ("p50", 50), ("p90", 90), ("p95", 95))
PROJECTION_COLUMNS = ["scenario", "indicator", "unit", "year", "mean", "p05", "p10", "p50", "p90", "p95"]
TARGET_COLUMNS = ["scenario", "target_id", "indicator", "year", "comparator", "target", "p50", "gap", "probability"]


def summarise(projection: Projection, indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Long table: one row per indicator and year, with mean and quantiles over draws."""
    meta = indicators()
    ids = indicator_ids or [i for i in meta if i in projection.values]
    frames = []
    for ind in ids:
        arr = projection.values[ind]
        finite = np.isfinite(arr).all(axis=0)
        stats = np.full((len(QUANTILES) + 1, arr.shape[1]), np.nan)
        if finite.any():
            sub = arr[:, finite]
            stats[0, finite] = sub.mean(axis=0)
            stats[1:, finite] = np.percentile(sub, [q for _, q in QUANTILES], axis=0)
        frame = pd.DataFrame({
            "scenario": projection.scenario_id,
            "indicator": ind,
            "unit": meta[ind].unit,
            "year": projection.years.astype(int),
            "mean": stats[0],
        })
        for i, (name, _) in enumerate(QUANTILES, start=1):
            frame[name] = stats[i]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)[PROJECTION_COLUMNS]


def attainment(projection: Projection, target: Target) -> tuple[float, float, float]:
    """(median, gap = median - target, probability the target is met)."""
    values = projection.at(target.indicator, target.year)
    median = float(np.median(values))
    return median, median - target.value, float(np.mean(target.met(values)))


def target_table(projection: Projection) -> pd.DataFrame:
    """One row per tracked target whose year lies within the projection."""
    rows = []
    first, last = int(projection.years[0]), int(projection.years[-1])
    for t in tracked_targets().values():
        if not first < t.year <= last:
            continue
        median, gap, prob = attainment(projection, t)
        rows.append({"scenario": projection.scenario_id, "target_id": t.id, "indicator": t.indicator,
                     "year": t.year, "comparator": t.comparator, "target": t.value, "p50": median,
                     "gap": gap, "probability": prob})
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)
