"""Tables the pages show, built from the model's summary tables (pure pandas).

Each builder returns a DataFrame with localised column names; numbers the
tests compare stay numeric (probability, P50) and the rest is formatted text.
:func:`style_probability` colours a table for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import pandas as pd

from simulation.indicators import indicators
from simulation.targets import Target
from calibration.targets import targets

from .charts import fmt_in_unit, target_text
from .i18n import CALIBRATION_LABELS, pick, t

GREEN, AMBER = 0.8, 0.5
STYLE = {
    "green": "background-color: #c6efce; color: #006100; font-weight: 600",
    "amber": "background-color: #ffeb9c; color: #9c5700; font-weight: 600",
    "red": "background-color: #ffc7ce; color: #9c0006; font-weight: 600",
}


def level(probability: float) -> str:
    """green (≥80%), amber (50–80%) or red (<50%)."""
    if probability >= GREEN:
        return "green"
    if probability >= AMBER:
        return "amber"
    return "red"


def indicator_order() -> list[str]:
    """Indicators with plan targets first (in target order), then the rest in list order."""
    seen: list[str] = []
    for tg in targets().values():
        if tg.indicator and tg.indicator not in seen:
            seen.append(tg.indicator)
    return seen + [i for i in indicators() if i not in seen]


# The headline: "the manufacturing share, the above-scale firm count, growth, investment".
HEADLINE = ("mfg_va_share_gdp", "above_scale_firms", "above_scale_va_growth", "industrial_investment_growth")


def chart_sets() -> dict[str, list[str]]:
    """The indicator sets the pages offer: headline (default), those with targets, all."""
    return {"headline": list(HEADLINE), "targeted": targeted_indicators(), "all": indicator_order()}


def targeted_indicators() -> list[str]:
    return [i for i in indicator_order() if any(tg.indicator == i for tg in targets().values())]


def _bands(projection: pd.DataFrame) -> dict[tuple[str, int], tuple[float, float]]:
    """(indicator, year) -> (P10, P90), read once per table."""
    return {(ind, int(y)): (lo, hi) for ind, y, lo, hi in
            zip(projection.indicator, projection.year, projection.p10, projection.p90)}


def _band(bands: Mapping[tuple[str, int], tuple[float, float]], indicator: str, year: int, unit: str) -> str:
    lo, hi = bands.get((indicator, int(year)), (math.nan, math.nan))
    if pd.isna(lo):
        return "—"
    return f"{fmt_in_unit(lo, unit)}–{fmt_in_unit(hi, unit)}"


@dataclass(frozen=True)
class Scorecard:
    frame: pd.DataFrame          # display table, localised columns
    target_ids: tuple[str, ...]  # row order
    probabilities: tuple[float, ...]
    prob_column: str
    delta_column: str | None

    past: tuple[bool, ...] = ()

    def counts(self) -> dict[str, int]:
        """How many targets still ahead are likely, possible and unlikely (past ones are back-tests)."""
        levels = [level(p) for p, old in zip(self.probabilities, self.past or (False,) * len(self.probabilities))
                  if not old]
        return {"total": len(levels), **{k: levels.count(k) for k in ("green", "amber", "red")}}


def scorecard(target_table: pd.DataFrame, projection: pd.DataFrame, reported: pd.DataFrame, lang: str,
              data_through: int, baseline_targets: pd.DataFrame | None = None) -> Scorecard:
    """Every tracked target within the horizon: projected median, band, gap, probability.

    Targets of years still ahead come first; targets of years already reported
    follow, marked as past and with the reported value beside the model's.
    """
    meta, all_targets = indicators(), targets()
    rows = []
    ids, probs, pasts = [], [], []
    ordered = sorted(target_table.itertuples(), key=lambda r: (r.year <= data_through, list(all_targets).index(r.target_id)))
    base = baseline_targets.set_index("target_id") if baseline_targets is not None else None
    bands = _bands(projection)
    base_probs = dict(zip(base.index, base.probability)) if base is not None else {}
    reported_at = {(r.indicator, int(r.year)): float(r.value) for r in reported.itertuples()}
    prob_col, delta_col = t("col_prob", lang), (t("col_vs_base", lang) if base is not None else None)
    for r in ordered:
        tg: Target = all_targets[r.target_id]
        unit = meta[tg.indicator].unit
        past = r.year <= data_through
        label = pick((tg.label_zh, tg.label_en), lang) + (f"（{t('past', lang)}）" if lang == "zh" and past
                                                          else (f" ({t('past', lang)})" if past else ""))
        rep = reported_at.get((tg.indicator, int(r.year))) if past else None
        row = {
            t("col_target", lang): label,
            t("col_target_value", lang): target_text(tg, unit, lang),
            t("col_p50", lang): fmt_in_unit(r.p50, unit) + ("" if unit == "%" else " ") + unit,
            t("col_band", lang): _band(bands, tg.indicator, r.year, unit),
            t("col_gap", lang): fmt_in_unit(r.gap, unit, signed=True),
            prob_col: float(r.probability),
        }
        if delta_col:
            b = base_probs.get(r.target_id, math.nan)
            row[delta_col] = 100.0 * (float(r.probability) - float(b))
        row[t("col_reported", lang)] = "—" if rep is None else fmt_in_unit(rep, unit)
        rows.append(row)
        ids.append(r.target_id)
        probs.append(float(r.probability))
        pasts.append(bool(past))
    return Scorecard(pd.DataFrame(rows), tuple(ids), tuple(probs), prob_col, delta_col, tuple(pasts))


def style_scorecard(card: Scorecard):
    """A pandas Styler: probabilities coloured green / amber / red, changes signed."""
    formats = {card.prob_column: "{:.0%}"}
    sty = card.frame.style.hide(axis="index").map(lambda p: STYLE[level(p)], subset=[card.prob_column])
    if card.delta_column:
        formats[card.delta_column] = lambda x: "—" if pd.isna(x) else ("±0" if abs(x) < 0.05 else f"{x:+.1f}")
        sty = sty.map(lambda x: "" if pd.isna(x) or abs(x) < 0.05 else ("color: #006100" if x > 0 else "color: #9c0006"),
                      subset=[card.delta_column])
    return sty.format(formats)


def untracked_targets(lang: str) -> pd.DataFrame:
    return pd.DataFrame([{t("col_target", lang): pick((tg.label_zh, tg.label_en), lang),
                          t("col_reason", lang): tg.untracked_reason, t("col_source", lang): tg.source}
                         for tg in targets().values() if not tg.tracked])


def compare_targets(tables: Mapping[str, pd.DataFrame], titles: Mapping[str, str], lang: str,
                    data_through: int) -> tuple[pd.DataFrame, list[str]]:
    """Targets by scenario: each scenario's median and probability side by side.

    Returns the table and the names of its probability columns (to colour).
    """
    meta, all_targets = indicators(), targets()
    keys = list(tables)
    ids = [tid for tid in all_targets if any(tid in set(tb.target_id) for tb in tables.values())]
    ids.sort(key=lambda tid: (all_targets[tid].year <= data_through, list(all_targets).index(tid)))
    prob_cols = [f"{titles[k]} · {t('col_prob', lang)}" for k in keys]
    rows = []
    for tid in ids:
        tg = all_targets[tid]
        unit = meta[tg.indicator].unit
        row = {t("col_target", lang): pick((tg.label_zh, tg.label_en), lang),
               t("col_target_value", lang): target_text(tg, unit, lang)}
        for k in keys:
            hit = tables[k][tables[k].target_id == tid]
            row[f"{titles[k]} · {t('col_p50', lang)}"] = fmt_in_unit(hit.p50.iloc[0], unit) if len(hit) else "—"
        for k, col in zip(keys, prob_cols):
            hit = tables[k][tables[k].target_id == tid]
            row[col] = float(hit.probability.iloc[0]) if len(hit) else math.nan
        rows.append(row)
    return pd.DataFrame(rows), prob_cols


def style_probabilities(frame: pd.DataFrame, prob_cols: Sequence[str]):
    sty = frame.style.hide(axis="index")
    return sty.map(lambda p: "" if pd.isna(p) else STYLE[level(p)], subset=list(prob_cols)).format(
        {c: (lambda p: "—" if pd.isna(p) else f"{p:.0%}") for c in prob_cols})


def difference_values(projections: Mapping[str, pd.DataFrame], reference: str) -> pd.DataFrame:
    """Long table: indicator, scenario, year, diff = P50(scenario) − P50(reference), for every other scenario."""
    ref = projections[reference].set_index(["indicator", "year"]).p50
    frames = []
    for key, table in projections.items():
        if key == reference:
            continue
        p50 = table.set_index(["indicator", "year"]).p50
        diff = (p50 - ref.reindex(p50.index)).rename("diff").reset_index()
        diff["scenario"] = key
        frames.append(diff)
    if not frames:
        return pd.DataFrame(columns=["indicator", "scenario", "year", "diff"])
    return pd.concat(frames, ignore_index=True)[["indicator", "scenario", "year", "diff"]]


def difference_table(projections: Mapping[str, pd.DataFrame], reference: str, titles: Mapping[str, str],
                     lang: str, first_year: int) -> pd.DataFrame:
    """Wide display table: a row per indicator and scenario, a column per projected year."""
    meta = indicators()
    long = difference_values(projections, reference)
    long = long[long.year >= first_year]
    years = sorted(int(y) for y in long.year.unique())
    rows = []
    for ind in indicator_order():
        for key in projections:
            if key == reference:
                continue
            sub = long[(long.indicator == ind) & (long.scenario == key)].set_index("year")["diff"]
            if sub.empty:
                continue
            unit = meta[ind].unit
            row = {t("col_indicator", lang): meta[ind].name(lang), t("col_unit", lang): unit,
                   t("col_scenario", lang): titles[key]}
            for y in years:
                row[str(y)] = fmt_in_unit(sub.get(y), unit, signed=True)
            rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- calibration


def calibration_label(indicator: str, lang: str) -> str:
    meta = indicators()
    if indicator in meta:
        return meta[indicator].name(lang)
    return pick(CALIBRATION_LABELS.get(indicator, (indicator, indicator)), lang)


def calibration_table(report: pd.DataFrame, reported: pd.DataFrame, quote_lines: Mapping[tuple[int, str], int | None],
                      lang: str) -> pd.DataFrame:
    """The reported figures beside the model's values, with source, quote and whether the quote was found."""
    quotes = {(int(r.year), r.indicator): r.quote for r in reported.itertuples()}
    rows = []
    for r in report.itertuples():
        key = (int(r.year), r.indicator)
        line = quote_lines.get(key)
        within = "—" if r.within is None or (isinstance(r.within, float) and math.isnan(r.within)) else (
            t("within_yes", lang) if r.within else t("within_no", lang))
        rows.append({
            t("col_year", lang): int(r.year),
            t("col_indicator", lang): calibration_label(r.indicator, lang),
            t("col_unit", lang): r.unit,
            t("col_reported", lang): r.reported,
            t("col_model", lang): None if pd.isna(r.model) else round(float(r.model), 4),
            t("col_residual", lang): None if pd.isna(r.residual) else round(float(r.residual), 4),
            t("col_tolerance", lang): r.tolerance,
            t("col_within", lang): within,
            t("col_role", lang): t(f"role_{r.role}", lang),
            t("col_quote", lang): quotes.get(key, ""),
            t("col_source", lang): r.source_file,
            t("col_checked", lang): t("quote_found", lang, line=line) if line else t("quote_missing", lang),
            t("col_note", lang): r.note,
        })
    return pd.DataFrame(rows)


def fitted_table(fitted: Sequence[Mapping], lang: str) -> pd.DataFrame:
    from simulation.registry import parameters

    reg = parameters()
    rows = []
    for f in fitted:
        p = reg[f["parameter"]]
        name = p.label(lang) + (f" ({f['year']})" if f.get("year") else "")
        rows.append({t("col_parameter", lang): name, t("col_unit", lang): p.unit,
                     t("col_estimate", lang): round(f["estimate"], 4), t("col_sd", lang): round(f["sd"], 4),
                     t("col_prior", lang): p.default})
    return pd.DataFrame(rows)
