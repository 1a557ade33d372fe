"""对标 Benchmarking: two or more cities' baselines and targets side by side on the same indicators.

As the plan documents' benchmarking tables do (a city's plan sets it beside its peer cities), each city is
projected from its own pack — its record, calibration and baseline scenario — with the same draws and seed,
and the table puts, per indicator, each city's base-year level, its median at the
horizon with the 80 % band, and the average yearly growth between them; beneath, each city's own targets
with the probability its baseline gives them. Nothing here writes a file (:func:`write_benchmark` does).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from growthsim.calibration import city as packs
from growthsim.calibration.fit import Calibration
from growthsim.calibration.targets import tracked_targets
from growthsim.simulation.indicators import indicators, shown_in
from growthsim.simulation.model import project
from growthsim.simulation.summary import summarise, target_table

from .errors import UserInputError
from .i18n import text as catalogue_text
from .presentation import fmt_count_or_number, unit
from .runner import RunSettings, load_calibration
from .scenario_files import load_scenario
from .settings import DEFAULT_LANG

# The indicators set side by side: what `growthsim compare` prints (the registry's "cli" view).
VIEW = "cli"
LEVEL_UNITS = ("亿元", "家")   # a level: its average yearly growth between the base year and the horizon is shown


@dataclass
class CityRun:
    """One city's baseline: its pack, base year, summary table (every indicator by year) and target table."""

    pack: packs.CityPack
    base_year: int
    summary: pd.DataFrame
    targets: pd.DataFrame


def run_city(pack: packs.CityPack, settings: RunSettings, scenario: str = "baseline",
             calibration: Calibration | None = None) -> CityRun:
    """Calibrate on the pack's record (or take ``calibration``) and project its ``scenario`` with the settings'
    draws and seed (every city alike).

    Parameters
    ----------
    pack : CityPack
        The city's data pack (record, targets, scenarios, lever defaults).
    settings : RunSettings
        Draws (count), seed and horizon (year) shared by every city.
    scenario : str
        Scenario id in the pack (default ``baseline``).
    calibration : Calibration or None
        A calibration already made on this pack's record; None calibrates.
    """
    with packs.using(pack):
        cal = calibration or load_calibration(settings)
        s = load_scenario(scenario, first_year=cal.base_year + 1)
        proj = project(cal.base, s, cal.posterior, settings.horizon, settings.draws,
                       np.random.default_rng(settings.seed))
        pool = tracked_targets()
        targets = target_table(proj, pool)
        targets["label_zh"] = [pool[i].label_zh for i in targets.target_id]
        targets["label_en"] = [pool[i].label_en for i in targets.target_id]
        return CityRun(pack, cal.base_year, summarise(proj), targets)


def run_cities(cities: Sequence[str], settings: RunSettings, scenario: str = "baseline") -> list[CityRun]:
    """Each named city's baseline; UserInputError for a city named twice or fewer than two cities.

    Parameters
    ----------
    cities : sequence of str
        City ids or pack folders, two or more, each once.
    settings : RunSettings
        Draws (count), seed and horizon (year) shared by every city.
    scenario : str
        Scenario id each pack holds (default ``baseline``).
    """
    try:
        chosen = [packs.resolve_city(c) for c in cities]
    except packs.CityPackError as err:
        raise UserInputError(err.message) from None
    roots = [p.root for p in chosen]
    twice = [p.id for p in chosen if roots.count(p.root) > 1]
    if twice:
        raise UserInputError("benchmark.city_twice", id=twice[0])
    if len(chosen) < 2:
        raise UserInputError("benchmark.too_few", n=len(chosen))
    return [run_city(p, settings, scenario) for p in chosen]


def _value(tab: pd.DataFrame, ind: str, year: int, col: str = "p50") -> float:
    hit = tab[(tab.indicator == ind) & (tab.year == year)]
    return float(hit[col].iloc[0]) if len(hit) else math.nan


def benchmark_table(runs: Sequence[CityRun], horizon: int) -> pd.DataFrame:
    """Long table: one row per (indicator, city) with the base-year level, the horizon's median and band, growth.

    Columns: ``indicator, unit, city, base_year, base, horizon, p50, p10, p90, growth`` — ``growth`` the
    average yearly growth of the median from the base year to the horizon, in %, for levels (亿元, 家) only.
    """
    rows = []
    meta = indicators()
    for ind in shown_in(VIEW):
        for r in runs:
            base = _value(r.summary, ind, r.base_year)
            p50 = _value(r.summary, ind, horizon)
            years = horizon - r.base_year
            growth = (100.0 * ((p50 / base) ** (1 / years) - 1) if meta[ind].unit in LEVEL_UNITS and base > 0
                      and p50 > 0 and years > 0 else math.nan)
            rows.append({"indicator": ind, "unit": meta[ind].unit, "city": r.pack.id, "base_year": r.base_year,
                         "base": base, "horizon": horizon, "p50": p50, "p10": _value(r.summary, ind, horizon, "p10"),
                         "p90": _value(r.summary, ind, horizon, "p90"), "growth": growth})
    return pd.DataFrame(rows)


def targets_table(runs: Sequence[CityRun], first_year: int, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Each city's own targets from ``first_year`` on: the target as written, year, value, median, probability.

    Parameters
    ----------
    runs : sequence of CityRun
        The cities' projections.
    first_year : int
        First target year shown (year).
    lang : str
        ``zh`` or ``en``.
    """
    frames = []
    for r in runs:
        t = r.targets[r.targets.year >= first_year]
        frames.append(pd.DataFrame({"city": r.pack.id, "label": t[f"label_{lang}"], "year": t.year,
                                    "target": t.target, "p50": t.p50, "probability": t.probability}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _number(x: float, unit_code: str) -> str:
    return "—" if not math.isfinite(x) else fmt_count_or_number(x, unit_code)


def wide_table(table: pd.DataFrame, runs: Sequence[CityRun], lang: str) -> pd.DataFrame:
    """The plan documents' layout: one row per indicator, one column per city, each cell
    ``base → median [P10–P90]`` and, for a level, its average yearly growth.

    Parameters
    ----------
    table : DataFrame
        The long benchmark table (one row per city and indicator).
    runs : sequence of CityRun
        The cities' projections, in column order.
    lang : str
        ``zh`` or ``en``.
    """
    meta = indicators()
    rows = []
    for ind in dict.fromkeys(table.indicator):
        row = {headers(lang)["indicator"]: meta[ind].name(lang), headers(lang)["unit"]: unit(meta[ind].unit, lang)}
        for r in runs:
            x = table[(table.indicator == ind) & (table.city == r.pack.id)].iloc[0]
            cell = f"{x.base_year}: {_number(x.base, x.unit)} → {_number(x.p50, x.unit)}"
            if not meta[ind].assumed and math.isfinite(x.p10):
                cell += f" [{_number(x.p10, x.unit)}–{_number(x.p90, x.unit)}]"
            if math.isfinite(x.growth):
                cell += catalogue_text("benchmark.growth_a_year", lang, growth=x.growth)
            row[r.pack.name(lang)] = cell
        rows.append(row)
    return pd.DataFrame(rows)


# the exports' columns, titled by headers(lang)
COLUMNS = ("indicator", "unit", "city", "base_year", "base", "horizon", "p50", "p10", "p90", "growth", "label", "year",
           "target", "probability")


def headers(lang: str) -> dict[str, str]:
    """The exports' column headers in ``lang``, by column: the catalogue's ``benchmark.col_<column>``."""
    return {k: catalogue_text(f"benchmark.col_{k}", lang) for k in COLUMNS}


def localised(frame: pd.DataFrame, runs: Sequence[CityRun], lang: str) -> pd.DataFrame:
    """A benchmark table with the indicators' official names, the cities' names and headers in ``lang``.

    Parameters
    ----------
    frame : DataFrame
        A benchmark table with ids as codes.
    runs : sequence of CityRun
        The cities whose names replace their ids.
    lang : str
        ``zh`` or ``en``.
    """
    meta, names = indicators(), {r.pack.id: r.pack.name(lang) for r in runs}
    out = frame.copy()
    if "indicator" in out:
        out["indicator"] = [meta[i].name(lang) if i in meta else i for i in out["indicator"]]
    if "unit" in out:
        out["unit"] = [unit(u, lang) for u in out["unit"]]
    out["city"] = [names.get(c, c) for c in out["city"]]
    if "probability" in out:
        out["probability"] = (100 * out["probability"]).round(1)
    for col in ("base", "p50", "p10", "p90", "growth", "target"):
        if col in out:
            out[col] = out[col].round(2)
    return out.rename(columns=headers(lang))


def write_benchmark(table: pd.DataFrame, targets: pd.DataFrame, runs: Sequence[CityRun], out: Path,
                    lang: str) -> list[Path]:
    """``benchmark.csv``, ``benchmark_targets.csv`` and ``benchmark.xlsx`` (headers and names in ``lang``) in
    ``out``, through :func:`growthsim.io.replace_folder` (only growthsim's own files are ever replaced).

    Parameters
    ----------
    table : DataFrame
        The long benchmark table.
    targets : DataFrame
        Each city's own targets (:func:`targets_table`).
    runs : sequence of CityRun
        The cities' projections.
    out : Path
        The output folder.
    lang : str
        ``zh`` or ``en`` for headers and names.
    """
    # deferred: growthsim.io loads openpyxl; only this path needs it
    from . import io as gio

    shown, shown_targets = localised(table, runs, lang), localised(targets, runs, lang)
    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        shown.to_excel(xl, sheet_name=catalogue_text("benchmark.sheet_benchmark", lang), index=False)
        shown_targets.to_excel(xl, sheet_name=catalogue_text("benchmark.sheet_targets", lang), index=False)
    files = {"benchmark.csv": gio.csv_bytes(shown), "benchmark_targets.csv": gio.csv_bytes(shown_targets),
             "benchmark.xlsx": book.getvalue()}
    facts = {"command": "benchmark", "cities": [r.pack.id for r in runs], "files": sorted(files)}
    files["benchmark.json"] = (json.dumps(facts, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    written = gio.replace_folder(out, files, manifest="benchmark.json", command="benchmark")
    return [p for p in written if p.suffix != ".json"]
