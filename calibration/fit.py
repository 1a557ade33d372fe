"""Calibration on reported figures.

The reported figures live in ``reported_figures.csv`` (year, indicator, value,
unit, source_file, quote, tolerance). This module reads and validates the
table, builds the base state from the latest year that has every base figure,
and fits the uncertain parameters to the figures reported after the base year
(scipy ``least_squares`` with weak priors at the registry defaults). The
posterior is a Laplace approximation: a multivariate normal around the fit
with the inverse Gauss-Newton Hessian as covariance, clipped to the registry
bounds, from which Monte Carlo draws are taken.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from simulation.model import FORCEABLE, BaseState, Posterior, project
from simulation.registry import parameters
from simulation.scenario import baseline

DATA_FILE = Path(__file__).with_name("reported_figures.csv")
SOURCES_DIR = Path(__file__).with_name("sources")
COLUMNS = ("year", "indicator", "value", "unit", "source_file", "quote", "tolerance")

# indicator id -> (unit, role, default tolerance)
# roles: base (sets the base state), fit (an outcome the calibration fits),
# force (a reported flow imposed in its year), derive (feeds a derivation),
# context (reported, not modelled; listed in the report).
KNOWN: dict[str, tuple[str, str, float]] = {
    "mfg_va_share_gdp": ("%", "base", 0.05),
    "above_scale_firms": ("家", "base", 0.5),
    "revenue": ("亿元", "base", 0.05),
    "profit": ("亿元", "base", 0.05),
    "gdp": ("亿元", "base", 0.005),
    "high_tech_share": ("%", "base", 0.05),
    "profit_margin": ("%", "check", 0.05),
    "above_scale_va_growth": ("%", "fit", 0.3),
    "project_growth_contribution": ("百分点", "fit", 0.15),
    "industrial_va_share_change": ("百分点", "fit", 0.5),
    "above_scale_va_growth_avg5": ("%", "fit", 1.5),
    "above_scale_va_growth_avg2": ("%", "derive", 0.1),
    "high_tech_share_change_5y": ("百分点", "derive", 0.1),
    "key_firm_revenue_increase": ("亿元", "derive", 1.0),
    "firm_upgrades": ("家", "force", 0.5),
    "projects_entering_statistics": ("个", "force", 0.5),
    "tech_renovation_investment_growth": ("%", "force", 0.05),
    "key_firm_revenue_growth": ("%", "force", 0.05),
    "equipment_mfg_share": ("%", "context", 0.0),
    "secondary_industry_va": ("亿元", "context", 0.0),
    "labour_productivity": ("万元/人", "context", 0.0),
    "rd_intensity": ("%", "context", 0.0),
    "specialised_sme_count": ("家", "context", 0.0),
    "single_champion_count": ("家", "context", 0.0),
    "tech_renovation_projects_rolling": ("个", "context", 0.0),
    "tech_renovation_projects_completed": ("个", "context", 0.0),
    "tech_renovation_planned_investment": ("亿元", "context", 0.0),
    "key_projects_rolling": ("个", "context", 0.0),
    "key_projects_completed": ("个", "context", 0.0),
    "large_projects_under_construction": ("个", "context", 0.0),
    "chemical_firm_closures": ("家", "context", 0.0),
    "cluster_concentration": ("%", "context", 0.0),
}
BASE_REQUIRED = ("mfg_va_share_gdp", "above_scale_firms", "revenue", "profit", "gdp", "high_tech_share")
FITTED = ("incumbent_organic_growth", "project_full_capacity_output")
YEAR_FITTED = "mfg_relative_price_drift"
POSTERIOR_DRAWS = 4000


class CalibrationDataError(ValueError):
    """A broken calibration table: names the file, line, column, value and what is allowed."""

    def __init__(self, path: str, line: int | None, column: str | None, value: object, problem: str,
                 allowed: str = ""):
        self.path, self.line, self.column, self.value = path, line, column, value
        where = path + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        text = f"{where}: {problem}" + (f" (got {value!r})" if value is not None else "")
        if allowed:
            text += f"; allowed: {allowed}"
        super().__init__(text)


def read_reported(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the reported-figures table; raise CalibrationDataError on any bad row."""
    path = Path(path) if path is not None else DATA_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalibrationDataError(str(path), None, None, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise CalibrationDataError(str(path), None, None, None, f"not UTF-8 text ({exc.reason})") from None
    return parse_reported(text, str(path))


def parse_reported(text: str, name: str = "reported_figures.csv") -> pd.DataFrame:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise CalibrationDataError(name, 1, None, None, "empty file", "a header: " + ",".join(COLUMNS)) from None
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CalibrationDataError(name, 1, missing[0], None, f"missing column {missing[0]!r}",
                                   "header " + ",".join(COLUMNS))
    idx = {c: header.index(c) for c in COLUMNS}
    rows, seen = [], {}
    for line_no, raw in enumerate(reader, start=2):
        if not raw or all(not c.strip() for c in raw):
            continue
        if len(raw) != len(header):
            raise CalibrationDataError(name, line_no, None, ",".join(raw),
                                       f"{len(raw)} fields where the header has {len(header)}",
                                       "quote fields that contain commas")
        cell = {c: raw[i].strip() for c, i in idx.items()}

        def bad(column: str, problem: str, allowed: str) -> CalibrationDataError:
            return CalibrationDataError(name, line_no, column, cell[column], problem, allowed)

        try:
            year = int(cell["year"])
        except ValueError:
            raise bad("year", "not a year", "a whole year such as 2021") from None
        if not 1990 <= year <= 2100:
            raise bad("year", "year out of range", "1990-2100")
        ind = cell["indicator"]
        if ind not in KNOWN:
            import difflib
            near = difflib.get_close_matches(ind, list(KNOWN), n=3, cutoff=0.5)
            raise bad("indicator", "unknown indicator" + (f" (did you mean {', '.join(near)}?)" if near else ""),
                      "an indicator id listed in calibration/fit.py KNOWN")
        try:
            value = float(cell["value"])
        except ValueError:
            raise bad("value", "not a number", "a number such as 24.9") from None
        if not math.isfinite(value):
            raise bad("value", "not a finite number", "a finite number")
        unit = KNOWN[ind][0]
        if cell["unit"] != unit:
            raise bad("unit", f"wrong unit for {ind}", unit)
        if not cell["source_file"]:
            raise bad("source_file", "every figure needs its source", "a file name in calibration/sources/ or a named publication")
        if not cell["quote"]:
            raise bad("quote", "every figure needs a quote from its source", "the sentence that gives the figure")
        tol = KNOWN[ind][2]
        if cell["tolerance"]:
            try:
                tol = float(cell["tolerance"])
            except ValueError:
                raise bad("tolerance", "not a number", "empty or a positive number") from None
            if not (math.isfinite(tol) and tol > 0):
                raise bad("tolerance", "must be positive", "empty or a positive number")
        if (year, ind) in seen:
            raise bad("indicator", f"duplicate of line {seen[(year, ind)]}", "one row per year and indicator")
        seen[(year, ind)] = line_no
        if ind in ("mfg_va_share_gdp", "high_tech_share", "profit_margin") and not 0 < value < 100:
            raise bad("value", "a share must lie between 0 and 100", "0-100")
        if ind in ("above_scale_firms", "revenue", "profit", "gdp") and value <= 0 and ind != "profit":
            raise bad("value", "must be positive", "a positive number")
        rows.append({"year": year, "indicator": ind, "value": value, "unit": unit,
                     "source_file": cell["source_file"], "quote": cell["quote"], "tolerance": tol,
                     "role": KNOWN[ind][1], "line": line_no})
    if not rows:
        raise CalibrationDataError(name, None, None, None, "no data rows")
    return pd.DataFrame(rows)


def _value(df: pd.DataFrame, year: int, indicator: str) -> float | None:
    hit = df[(df.year == year) & (df.indicator == indicator)]
    return None if hit.empty else float(hit.value.iloc[0])


def base_year(df: pd.DataFrame) -> int:
    """The latest year that reports every base figure."""
    complete = [y for y, g in df.groupby("year") if set(BASE_REQUIRED) <= set(g.indicator)]
    if not complete:
        missing = sorted(set(BASE_REQUIRED) - set(df.indicator))
        raise CalibrationDataError("reported_figures.csv", None, "indicator", None,
                                   "no year reports every base figure; missing " + ", ".join(missing or BASE_REQUIRED),
                                   "rows for " + ", ".join(BASE_REQUIRED) + " in one year")
    return max(complete)


@dataclass(frozen=True)
class Calibration:
    """Everything a projection needs from the data: base, posterior, fit report."""

    base: BaseState
    posterior: Posterior
    report: pd.DataFrame
    data_through: int
    reported: pd.DataFrame

    @property
    def base_year(self) -> int:
        return self.base.year


def _derived_base_growth(df: pd.DataFrame, b: int) -> float:
    """Base-year growth: reported, or derived from the next year's two-year average."""
    g = _value(df, b, "above_scale_va_growth")
    if g is not None:
        return g
    avg2, nxt = _value(df, b + 1, "above_scale_va_growth_avg2"), _value(df, b + 1, "above_scale_va_growth")
    if avg2 is not None and nxt is not None:
        return 100.0 * ((1 + avg2 / 100) ** 2 / (1 + nxt / 100) - 1)
    return math.nan


def calibrate(reported: pd.DataFrame, rng: np.random.Generator, data_through: int | None = None) -> Calibration:
    """Fit the model to the reported figures up to ``data_through`` (inclusive)."""
    reg = parameters()
    last = int(reported.year.max())
    data_through = last if data_through is None else int(data_through)
    df = reported[reported.year <= data_through]
    if df.empty:
        raise CalibrationDataError("reported_figures.csv", None, "year", data_through,
                                   "no rows up to --data-through", f"a year from {int(reported.year.min())}")
    b = base_year(df)
    history = {int(y): {FORCEABLE[r.indicator]: float(r.value) for r in g.itertuples() if r.indicator in FORCEABLE}
               for y, g in df[df.year > b].groupby("year")}
    base_flows = {FORCEABLE[r.indicator]: float(r.value) for r in df[df.year == b].itertuples()
                  if r.indicator in FORCEABLE}
    if base_flows:
        history[b] = base_flows
    base = BaseState(
        year=b,
        above_scale_firms=_value(df, b, "above_scale_firms"),
        revenue=_value(df, b, "revenue"),
        profit=_value(df, b, "profit"),
        gdp=_value(df, b, "gdp"),
        mfg_va_share_gdp=_value(df, b, "mfg_va_share_gdp"),
        high_tech_share=_value(df, b, "high_tech_share"),
        above_scale_va_growth=_derived_base_growth(df, b),
        history=history,
    )

    point: dict[str, float] = {}
    notes: list[dict] = []
    # Key firms' base share: next year's net increase over its growth rate.
    inc, kg = _value(df, b + 1, "key_firm_revenue_increase"), _value(df, b + 1, "key_firm_revenue_growth")
    if inc is not None and kg:
        share = 100.0 * inc / (kg / 100.0) / base.revenue
        p = reg["key_firm_base_share"]
        point["key_firm_base_share"] = float(np.clip(share, p.lower, p.upper))
        notes.append(_note(b + 1, "key_firm_revenue_increase", inc, inc, "derive",
                           f"key firms' base share = {inc:g}/{kg:g}% / revenue = {share:.2f}%"))
    # High-tech premium: growth of the share's odds over the five years to the base.
    change = _value(df, b, "high_tech_share_change_5y")
    if change is not None:
        s1, s0 = base.high_tech_share / 100, (base.high_tech_share - change) / 100
        premium = 100.0 * (((s1 / (1 - s1)) / (s0 / (1 - s0))) ** (1 / 5) - 1)
        p = reg["high_tech_growth_premium"]
        point["high_tech_growth_premium"] = float(np.clip(premium, p.lower, p.upper))
        notes.append(_note(b, "high_tech_share_change_5y", change, change, "derive",
                           f"high-tech growth premium = {premium:.2f}%/yr"))

    # Observations after the base year, and the five-year trend as a weak anchor.
    obs = df[(df.year > b) & (df.role == "fit")]
    share_years = sorted(int(y) for y in obs[obs.indicator == "industrial_va_share_change"].year)
    trend = df[(df.year <= b) & (df.indicator == "above_scale_va_growth_avg5")]
    horizon = max([b + 5] + [int(y) for y in obs.year])
    names = list(FITTED) + [f"{YEAR_FITTED}@{y}" for y in share_years]
    prior_mu = np.array([reg[n.split("@")[0]].default for n in names])
    prior_sd = np.array([(reg[n.split("@")[0]].upper - reg[n.split("@")[0]].lower) / 4 for n in names])
    lower = np.array([reg[n.split("@")[0]].lower for n in names])
    upper = np.array([reg[n.split("@")[0]].upper for n in names])

    def posterior_at(theta: np.ndarray) -> Posterior:
        pt = dict(point)
        pt.update({n: float(v) for n, v in zip(FITTED, theta[: len(FITTED)])})
        yv = {y: {YEAR_FITTED: float(v)} for y, v in zip(share_years, theta[len(FITTED):])}
        return Posterior(point=pt, draws={}, year_values=yv)

    def model_values(theta: np.ndarray) -> dict:
        proj = project(base, baseline(), posterior_at(theta), horizon, draws=1, stochastic=False)
        return {k: v[0] for k, v in proj.values.items()}, proj.years

    def outcome(values: dict, years: np.ndarray, indicator: str, year: int) -> float:
        j = year - int(years[0])
        if indicator == "industrial_va_share_change":  # proxy: manufacturing is most of industry
            return values["mfg_va_share_gdp"][j] - values["mfg_va_share_gdp"][j - 1]
        return values[indicator][j]

    def residuals(theta: np.ndarray) -> np.ndarray:
        values, years = model_values(theta)
        out = [(outcome(values, years, r.indicator, int(r.year)) - r.value) / r.tolerance for r in obs.itertuples()]
        for r in trend.itertuples():
            growth = values["above_scale_va_growth"][1:6]
            out.append((float(np.mean(growth)) - r.value) / r.tolerance)
        out.extend((theta - prior_mu) / prior_sd)
        return np.asarray(out)

    start = np.array([point.get(n, reg[n.split("@")[0]].default) for n in names])
    fit = least_squares(residuals, np.clip(start, lower, upper), bounds=(lower, upper), x_scale=prior_sd)
    jac = fit.jac
    cov = np.linalg.pinv(jac.T @ jac)
    sd = np.sqrt(np.clip(np.diag(cov), 0, None))
    post = posterior_at(fit.x)
    k = len(FITTED)
    sample = rng.multivariate_normal(fit.x[:k], cov[:k, :k], size=POSTERIOR_DRAWS, method="cholesky") \
        if np.all(np.isfinite(cov[:k, :k])) else np.tile(fit.x[:k], (POSTERIOR_DRAWS, 1))
    draws = {n: np.clip(sample[:, i], reg[n].lower, reg[n].upper) for i, n in enumerate(FITTED)}
    posterior = Posterior(point=dict(post.point), draws=draws, year_values=post.year_values)

    values, years = model_values(fit.x)
    report = _report(df, base, obs, trend, values, years, outcome, notes)
    fitted_rows = [{"year": (int(n.split("@")[1]) if "@" in n else None), "parameter": n.split("@")[0],
                    "estimate": float(v), "sd": float(s)} for n, v, s in zip(names, fit.x, sd)]
    report.attrs["fitted"] = fitted_rows
    report.attrs["base_year"] = b
    return Calibration(base=base, posterior=posterior, report=report, data_through=data_through, reported=df)


def _note(year, indicator, reported, model, role, note) -> dict:
    return {"year": year, "indicator": indicator, "reported": reported, "model": model, "role": role, "note": note}


def _report(df, base, obs, trend, values, years, outcome, notes) -> pd.DataFrame:
    rows = []
    base_values = {"mfg_va_share_gdp": base.mfg_va_share_gdp, "above_scale_firms": base.above_scale_firms,
                   "revenue": base.revenue, "profit": base.profit, "gdp": base.gdp,
                   "high_tech_share": base.high_tech_share, "profit_margin": base.profit_margin}
    note_by_key = {(n["year"], n["indicator"]): n for n in notes}
    for r in df.sort_values(["year", "line"]).itertuples():
        model, note = math.nan, ""
        if r.year == base.year and r.indicator in base_values:
            model, note = base_values[r.indicator], "base year"
        elif r.role == "fit" and r.year > base.year:
            model = outcome(values, years, r.indicator, int(r.year))
            if r.indicator == "industrial_va_share_change":
                note = "proxy: model's change of the manufacturing share"
        elif r.role == "fit" and r.indicator == "above_scale_va_growth_avg5" and r.year <= base.year:
            model = float(np.mean(values["above_scale_va_growth"][1:6]))
            note = f"weak anchor: model's mean growth {base.year + 1}-{base.year + 5}"
        elif r.role == "force" and r.year > base.year:
            model, note = r.value, "imposed in its year"
        elif (r.year, r.indicator) in note_by_key:
            model, note = note_by_key[(r.year, r.indicator)]["model"], note_by_key[(r.year, r.indicator)]["note"]
        elif r.indicator == "above_scale_va_growth_avg2" and r.year == base.year + 1:
            j = r.year - int(years[0])
            model = 100.0 * (math.sqrt((1 + base.above_scale_va_growth / 100) * (1 + values["above_scale_va_growth"][j] / 100)) - 1)
            note = f"derives base-year growth {base.above_scale_va_growth:.2f}%"
        elif r.role == "context":
            note = "context: not modelled by the annual engine"
        elif r.year < base.year:
            note = "before the base year"
        residual = model - r.value if math.isfinite(model) else math.nan
        within = bool(abs(residual) <= r.tolerance) if math.isfinite(residual) else None
        rows.append({"year": int(r.year), "indicator": r.indicator, "unit": r.unit, "reported": r.value,
                     "model": model, "residual": residual, "tolerance": r.tolerance, "within": within,
                     "role": r.role, "source_file": r.source_file, "note": note})
    return pd.DataFrame(rows)
