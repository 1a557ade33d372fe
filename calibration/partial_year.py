"""Partial-year figures (1-N月) in the annual filter, through the in-year monitoring's error model.

The monitoring (:mod:`simulation.monitoring`) reads a cumulative figure to month ``n`` as a predictor of the
full year, with error ``full year - predictor ~ N(0, s² h(n))``, ``h(n) = (12 - n) / (12 n)``, and fits ``s``
by maximum likelihood on pairs of partial-year and full-year figures
(:func:`simulation.monitoring.fit_error_scale`); where the bureau reports a two-year average (两年平均)
because last year's base was abnormal, the predictor carries it to the full year
(:func:`simulation.monitoring.full_year_predictor`). The annual filter uses the same model, fitted per
indicator on the record's own pairs (a partial-year row beside an exact full-year row of the same year):

- a year with an exact full-year figure (final, preliminary, revised) weighs that; its partial figures
  serve the monitoring only;
- a year without one weighs its latest cumulative figure (which contains every earlier month) as an
  observation of the full year with the fitted error;
- a year whose full-year figure is derived (e.g. 2025's real GDP growth from a five-year average) weighs
  both, as two normal measurements of one quantity: their precision-weighted mean, with the combined error;
- an indicator with no pairs to fit (a share) weighs its partial figure with the row's own tolerance.

Pairs from 2020 are left out of the fit (:data:`FIT_EXCLUDED_YEARS`): its first half was the lockdown (GDP
up 0.1 % against 3.7 % for the year), not the ordinary months the error model describes; the monitoring's own
record has no 2020 partial figure either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from growthsim.simulation.monitoring import ErrorFit, error_sd, fit_error_scale, full_year_predictor

# Indicators whose partial-year figures the filter weighs, with the id of their two-year average (两年平均).
SCALED = {"above_scale_va_growth": "above_scale_va_growth_avg2", "gdp_real_growth": "gdp_real_growth_avg2",
          "high_tech_mfg_va_growth": None, "mfg_va_growth_above_scale": None}
OWN_TOLERANCE = ("high_tech_share",)  # no partial/full pairs to fit: the row's tolerance is its error
EXACT = ("final", "preliminary", "revised")
FIT_EXCLUDED_YEARS = (2020,)


@dataclass(frozen=True)
class PartialUse:
    """One partial-year figure the filter weighs: its row, the full-year value it stands for and its error.

    ``value`` and ``error`` are what the filter weighs (combined with a derived full-year figure when
    ``derived_line`` names one); ``predictor`` and ``predictor_error`` are the partial figure's own.
    """

    year: int
    indicator: str
    line: int
    month: int
    predictor: float
    predictor_error: float
    value: float
    error: float
    derived_line: int | None = None


def _month(period: str) -> int:
    return int(str(period).split("-")[1])


class _Record:
    """The rows in use, looked up by (year, indicator): pandas filtering per lookup costs a second per calibration."""

    def __init__(self, df: pd.DataFrame):
        self.full: dict[tuple[int, str, str], object] = {}
        self.partial: dict[tuple[int, str], list] = {}
        for r in df.itertuples():
            key = (int(r.year), r.indicator)
            if r.status == "partial_year":
                self.partial.setdefault(key, []).append(r)
            elif r.period == "":
                self.full[(*key, r.status)] = r  # the file's last row of a status wins, as iloc[-1] did

    def full_year(self, year: int, indicator: str, statuses: tuple[str, ...]):
        """The year's full-year row of ``indicator`` with one of ``statuses`` (None: none)."""
        hits = [self.full[(year, indicator, s)] for s in statuses if (year, indicator, s) in self.full]
        return max(hits, key=lambda r: r.line) if hits else None

    def partials(self, indicator: str) -> list:
        """Every partial-year row of ``indicator``."""
        return [r for (_, ind), rows in sorted(self.partial.items()) if ind == indicator for r in rows]


def predictor_of(rec: _Record, row) -> float:
    """The full-year predictor of a partial-year growth row: the two-year average carried to the full year where
    one is reported for the same months and last year's full-year figure is known, else the figure itself."""
    avg2_id = SCALED.get(row.indicator)
    avg2 = None
    if avg2_id is not None:
        same = [a for a in rec.partial.get((int(row.year), avg2_id), []) if a.period == row.period]
        avg2 = float(same[-1].value) if same else None
    last = rec.full_year(int(row.year) - 1, row.indicator, EXACT + ("derived",))
    value, _ = full_year_predictor(float(row.value), avg2, None if last is None else float(last.value))
    return value


def record_pairs(rec: _Record, indicator: str) -> list[tuple[int, int, float]]:
    """(year, month, full year - predictor) for every partial-year row of ``indicator`` beside an exact full year."""
    out = []
    for r in rec.partials(indicator):
        full = rec.full_year(int(r.year), indicator, EXACT)
        if full is None or int(r.year) in FIT_EXCLUDED_YEARS:
            continue
        out.append((int(r.year), _month(r.period), float(full.value) - predictor_of(rec, r)))
    return out


def error_scales(df: pd.DataFrame | _Record) -> dict[str, ErrorFit]:
    """The fitted error model per indicator of :data:`SCALED` that has pairs (maximum likelihood, as the monitoring).

    ``df`` holds the rows in use (superseded rows dropped).
    """
    rec = df if isinstance(df, _Record) else _Record(df)
    out = {}
    for ind in SCALED:
        pairs = record_pairs(rec, ind)
        if pairs:
            out[ind] = fit_error_scale([m for _, m, _ in pairs], [e for _, _, e in pairs], [y for y, _, _ in pairs])
    return out


def partial_uses(df: pd.DataFrame, after: int, scales: dict[str, ErrorFit] | None = None) -> list[PartialUse]:
    """The partial-year figures the filter weighs in the years after ``after`` (see the module's rules).

    ``df`` holds the rows in use (superseded rows dropped), up to the last year the filter sees.

    Parameters
    ----------
    df : pd.DataFrame
        The reported figures in use (superseded rows dropped).
    after : int
        The last year before those weighed (calendar year).
    scales : dict[str, ErrorFit] | None
        Fitted error scales by indicator (:class:`ErrorFit`, percentage points), or None: the shipped ones.
    """
    rec = _Record(df)
    scales = error_scales(rec) if scales is None else scales
    uses = []
    for (year, ind), rows in sorted(rec.partial.items()):
        if year <= after or ind not in (*SCALED, *OWN_TOLERANCE) or rec.full_year(year, ind, EXACT) is not None:
            continue
        latest = max(rows, key=lambda r: (_month(r.period), r.vintage))
        n = _month(latest.period)
        if ind in OWN_TOLERANCE:
            pred, err = float(latest.value), float(latest.tolerance)
        elif ind in scales:
            pred, err = predictor_of(rec, latest), error_sd(n, scales[ind].scale)
        else:
            continue  # no pairs, no error model: monitoring only
        value, error, derived_line = pred, err, None
        derived = rec.full_year(year, ind, ("derived",))
        if derived is not None:
            value, error = _combine(pred, err, float(derived.value), float(derived.tolerance))
            derived_line = int(derived.line)
        uses.append(PartialUse(year, ind, int(latest.line), n, pred, err, value, error, derived_line))
    return uses


def _combine(a: float, sa: float, b: float, sb: float) -> tuple[float, float]:
    """Two normal measurements of one quantity: the precision-weighted mean and its standard deviation."""
    wa, wb = 1.0 / sa ** 2, 1.0 / sb ** 2
    return (a * wa + b * wb) / (wa + wb), math.sqrt(1.0 / (wa + wb))
