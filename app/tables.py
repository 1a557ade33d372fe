"""Tables the pages show, built from the model's summary tables (pure pandas).

Each builder returns a DataFrame with localised column names; numbers the
tests compare stay numeric (probability, P50) and the rest is formatted text.
:func:`style_probability` colours a table for display.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from growthsim.calibration.targets import targets
from growthsim.presentation import calibration_document
from growthsim.simulation.indicators import indicators
from growthsim.simulation.registry import parameters
from growthsim.simulation.targets import Target
from growthsim.wording import (
    figure_status,
    indicator_name,
    note_text,
    param_label,
    target_label,
    unit,
    untracked_reason,
    with_unit,
)

from .charts import fmt_in_unit, target_text
from .i18n import CALIBRATION_LABELS, pick, t
from .sources import document_name, is_web_source

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
    """The indicators with at least one plan target, in the indicators' order."""
    return [i for i in indicator_order() if any(tg.indicator == i for tg in targets().values())]


def _bands(projection: pd.DataFrame) -> dict[tuple[str, int], tuple[float, float]]:
    """(indicator, year) -> (P10, P90), read once per table."""
    return {(ind, int(y)): (lo, hi) for ind, y, lo, hi in
            zip(projection.indicator, projection.year, projection.p10, projection.p90, strict=True)}


def _band(bands: Mapping[tuple[str, int], tuple[float, float]], indicator: str, year: int, unit: str) -> str:
    lo, hi = bands.get((indicator, int(year)), (math.nan, math.nan))
    if pd.isna(lo):
        return "—"
    return f"{fmt_in_unit(lo, unit)}–{fmt_in_unit(hi, unit)}"


@dataclass(frozen=True)
class Scorecard:
    """The scorecard's display table and, per target, what the pages colour and count it by."""

    frame: pd.DataFrame          # display table, localised columns
    target_ids: tuple[str, ...]  # row order (by year)
    probabilities: tuple[float, ...]  # projected: the model's; a reported year's: the estimate, or NaN
    prob_column: str
    delta_column: str | None

    past: tuple[bool, ...] = ()
    driven: tuple[str | None, ...] = ()   # the assumption that decides the target, if any
    reported_met: tuple[bool | None, ...] = ()  # a reported year's outcome, if known
    lang: str = "zh"

    def counts(self) -> dict[str, int]:
        """Targets still ahead and not decided by an assumption: how many are likely, possible, unlikely."""
        n = len(self.probabilities)
        past = self.past or (False,) * n
        driven = self.driven or (None,) * n
        levels = [level(p) for p, old, d in zip(self.probabilities, past, driven, strict=True) if not old and not d]
        return {"total": len(levels), **{k: levels.count(k) for k in ("green", "amber", "red")}}


def reading_text(tg: Target, unit_: str, lang: str) -> str:
    """How the model reads a target: '≥ 28.5%（29 − 容差 0.5）', '大于 5,000家', '≥ 6.5%'."""
    def v(x: float) -> str:
        return with_unit(f"{x:,g}", unit_, lang)
    if tg.comparator == "about":
        return t("reading_about", lang, floor=v(tg.value - tg.tolerance), value=f"{tg.value:g}", tol=f"{tg.tolerance:g}")
    if tg.comparator == "above":  # words, not ">": the table renders Markdown, where "> " starts a quote
        return f"大于 {v(tg.value)}" if lang == "zh" else f"more than {v(tg.value)}"
    sign = {"at_least": "≥", "at_most": "≤"}[tg.comparator]
    return f"{sign} {v(tg.value)}"


def gap_text(gap: float, unit_: str, lang: str) -> str:
    """The gap with its unit: '+0.30 个百分点' for a share or rate, '-194家' for firms."""
    if gap is None or pd.isna(gap):
        return "—"
    number = fmt_in_unit(gap, unit_, signed=True)
    if unit_ == "%":
        return f"{number} {t('gap_unit_pp', lang)}"
    return with_unit(number, unit_, lang)


def _status(tg: Target, outcome: Mapping | None, unit_: str, lang: str) -> tuple[str, bool | None, float]:
    """A reported year's outcome, from :func:`calibration.targets.reported_outcomes`.

    Returns (text, met, estimated probability): the reported value and 达成/未达成
    (basis "reported"); or, where the year's figure was not published, the
    posterior probability that it was met, marked 估计 (basis "estimated").
    A target's own ``status_reported`` (a dict with value and met), if it has one, wins.
    """
    lead = getattr(tg, "status_reported", None)
    if isinstance(lead, dict) and lead.get("value") is not None:
        outcome = {"basis": "reported", "reported": lead["value"], "met": lead.get("met")}
    if outcome is None:
        return "—", None, math.nan
    sep = "，" if lang == "zh" else ", "
    if outcome.get("basis") == "reported":
        met = outcome.get("met")
        word = "—" if met is None else t("met" if met else "not_met", lang)
        value = with_unit(fmt_in_unit(float(outcome["reported"]), unit_), unit_, lang)
        if outcome.get("status") == "derived":  # ours, computed from published figures: not "reported"
            value += t("derived_value", lang)
        return f"{value}{sep}{word}", (None if met is None else bool(met)), math.nan
    p = outcome.get("probability")
    if outcome.get("basis") == "estimated" and p is not None and not pd.isna(p):
        return t("outcome_estimated", lang, p=f"{float(p):.0%}"), None, float(p)
    return "—", None, math.nan


def scorecard(target_table: pd.DataFrame, projection: pd.DataFrame, outcomes: pd.DataFrame | None, lang: str,
              data_through: int, baseline_targets: pd.DataFrame | None = None) -> Scorecard:
    """Every tracked target by year: reported years' outcomes, then the projected targets within the horizon.

    ``outcomes`` is :func:`calibration.targets.reported_outcomes` of the calibration:
    a target of a reported year shows the reported value and whether it was met
    (no model probability), or, where the figure was not published, an estimated
    probability marked 估计 / estimated. A projected target (from ``target_table``)
    keeps its probability. A target decided by an assumption says which one.
    """
    meta, all_targets, reg = indicators(), targets(), parameters()
    order = list(all_targets)
    rows = []
    ids, probs, pasts, driven_by, outcomes_met = [], [], [], [], []
    past_rows = {} if outcomes is None or outcomes.empty else \
        {r["target_id"]: r for r in outcomes.to_dict("records") if int(r["year"]) <= data_through}
    entries = [(int(r["year"]), tid, r) for tid, r in past_rows.items()]
    entries += [(int(r.year), r.target_id, r) for r in target_table.itertuples() if r.target_id not in past_rows]
    entries.sort(key=lambda e: (e[0], order.index(e[1])))
    base = baseline_targets.set_index("target_id") if baseline_targets is not None else None
    bands = _bands(projection)
    base_probs = dict(zip(base.index, base.probability, strict=True)) if base is not None else {}
    prob_col, delta_col = t("col_prob", lang), (t("col_vs_base", lang) if base is not None else None)
    for year, tid, r in entries:
        tg: Target = all_targets[tid]
        u = meta[tg.indicator].unit
        past = tid in past_rows
        if past:
            status, met, prob = _status(tg, r, u, lang)
            value = r.get("reported")
            estimated = r.get("basis") == "estimated"
            median = with_unit(fmt_in_unit(value, u), u, lang) if estimated else "—"  # the posterior's median
            gap = math.nan if value is None or pd.isna(value) else float(value) - tg.value
            band, shown_prob = "—", math.nan
        else:
            status, met, prob = "—", None, float(r.probability)
            median, gap, band, shown_prob = with_unit(fmt_in_unit(r.p50, u), u, lang), r.gap, _band(bands, tg.indicator, year, u), prob
        # A lever's assumed value is the indicator in a projected or unreported year; a reported figure is not.
        driver = None if past and r.get("basis") == "reported" else getattr(tg, "assumption_driven", None)
        if driver:
            name = param_label(reg[driver], lang) if driver in reg else driver
            status = t("assumption_driven", lang, name=name) + ("" if status == "—" else
                                                                ("；" if lang == "zh" else "; ") + status)
        row = {
            t("col_target", lang): target_label(tg, lang),
            t("col_rule", lang): target_text(tg, u, lang),
            t("col_reading", lang): reading_text(tg, u, lang),
            t("col_p50", lang): median,
            t("col_band", lang): band,
            t("col_gap", lang): gap_text(gap, u, lang),
            prob_col: shown_prob,
        }
        if delta_col:
            b = base_probs.get(tid, math.nan)
            row[delta_col] = math.nan if math.isnan(shown_prob) else 100.0 * (shown_prob - float(b))
        row[t("col_status", lang)] = status
        rows.append(row)
        ids.append(tid)
        probs.append(prob)
        pasts.append(past)
        driven_by.append(driver or None)
        outcomes_met.append(met)
    return Scorecard(pd.DataFrame(rows), tuple(ids), tuple(probs), prob_col, delta_col, tuple(pasts),
                     tuple(driven_by), tuple(outcomes_met), lang)


def style_scorecard(card: Scorecard):
    """A pandas Styler: probabilities coloured green / amber / red, changes signed."""
    formats = {card.prob_column: lambda p: "—" if pd.isna(p) else f"{p:.0%}"}
    sty = card.frame.style.hide(axis="index").map(lambda p: "" if pd.isna(p) else STYLE[level(p)],
                                                   subset=[card.prob_column])
    if card.delta_column:
        pts = t("vs_base_unit", card.lang)
        formats[card.delta_column] = lambda x: "—" if pd.isna(x) else ("±0" if abs(x) < 0.05 else f"{x:+.1f} {pts}")
        sty = sty.map(lambda x: "" if pd.isna(x) or abs(x) < 0.05 else ("color: #006100" if x > 0 else "color: #9c0006"),
                      subset=[card.delta_column])
    return sty.format(formats)


def untracked_targets(lang: str) -> pd.DataFrame:
    """The declared targets the model does not track: each with why not and the documents it comes from."""
    from .sources import source_quotes

    rows = []
    for tg in targets().values():
        if tg.tracked:
            continue
        docs = source_quotes(tg.source)
        rows.append({t("col_target", lang): target_label(tg, lang),
                     t("col_reason", lang): untracked_reason(tg.untracked_reason, lang),
                     t("col_source", lang): "；".join(document_name(n, lang) for n, _ in docs) if docs else "—"})
    return pd.DataFrame(rows)


def compare_targets(tables: Mapping[str, pd.DataFrame], titles: Mapping[str, str], lang: str,
                    data_through: int) -> tuple[pd.DataFrame, list[str]]:
    """Targets by scenario, by year: each scenario's median and probability side by side.

    Returns the table and the names of its probability columns (to colour).
    """
    meta, all_targets = indicators(), targets()
    order = list(all_targets)
    keys = list(tables)
    ids = [tid for tid in all_targets if any(tid in set(tb.target_id) for tb in tables.values())]
    ids.sort(key=lambda tid: (all_targets[tid].year, order.index(tid)))
    prob_cols = [f"{titles[k]} · {t('col_prob', lang)}" for k in keys]
    rows = []
    for tid in ids:
        tg = all_targets[tid]
        u = meta[tg.indicator].unit
        row = {t("col_target", lang): target_label(tg, lang),
               t("col_rule", lang): target_text(tg, u, lang),
               t("col_reading", lang): reading_text(tg, u, lang)}
        for k in keys:
            hit = tables[k][tables[k].target_id == tid]
            row[f"{titles[k]} · {t('col_p50', lang)}"] = with_unit(fmt_in_unit(hit.p50.iloc[0], u), u, lang) \
                if len(hit) else "—"
        for k, col in zip(keys, prob_cols, strict=True):
            hit = tables[k][tables[k].target_id == tid]
            row[col] = float(hit.probability.iloc[0]) if len(hit) else math.nan
        rows.append(row)
    return pd.DataFrame(rows), prob_cols


def style_probabilities(frame: pd.DataFrame, prob_cols: Sequence[str]):
    """The comparison's target table styled: probabilities as percentages, coloured by :func:`level`."""
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
            unit_ = meta[ind].unit
            row = {t("col_indicator", lang): indicator_name(meta[ind], lang),
                   t("col_unit", lang): (t("gap_unit_pp", lang) if unit_ == "%" else unit(unit_, lang)),
                   t("col_scenario", lang): titles[key]}
            for y in years:
                row[str(y)] = fmt_in_unit(sub.get(y), unit_, signed=True)
            rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- calibration


def calibration_label(indicator: str, lang: str) -> str:
    """A calibration figure's name: the indicator's name, or the label of a series only the calibration uses."""
    meta = indicators()
    if indicator in meta:
        return indicator_name(meta[indicator], lang)
    return pick(CALIBRATION_LABELS.get(indicator, (indicator, indicator)), lang)


def _num(x) -> float:
    return math.nan if x is None or pd.isna(x) else round(float(x), 4)


def calibration_table(report: pd.DataFrame, reported: pd.DataFrame, quote_lines: Mapping[object, int | None],
                      lang: str) -> pd.DataFrame:
    """The reported figures beside the model's values, with document, quote and whether the quote was found.

    ``report`` and ``reported`` are row-aligned (calibration.fit builds the report row by row);
    ``quote_lines`` is keyed by the row label of ``reported`` (:func:`app.sources.quote_lines`).
    Missing numbers are NaN (shown as blank), never the text "None"; the file name (or URL) is the last column.
    """
    rows = []
    for r, src in zip(report.itertuples(), reported.itertuples(), strict=True):
        line = quote_lines.get(src.Index)
        web = is_web_source(src.source_file)
        within = "—" if r.within is None or (isinstance(r.within, float) and math.isnan(r.within)) else (
            t("within_yes", lang) if r.within else t("within_no", lang))
        checked = t("quote_web", lang) if web else (
            t("quote_found", lang, line=line) if line else t("quote_missing", lang))
        rows.append({
            t("col_year", lang): int(r.year),
            t("col_indicator", lang): calibration_label(r.indicator, lang),
            t("col_figure_status", lang): figure_status(src.status, getattr(src, "period", ""), lang),
            t("col_unit", lang): unit(r.unit, lang),
            t("col_reported", lang): _num(r.reported),
            t("col_model", lang): _num(r.model),
            t("col_residual", lang): _num(r.residual),
            t("col_tolerance", lang): _num(r.tolerance),
            t("col_within", lang): within,
            t("col_role", lang): t(f"role_{r.use}", lang),
            t("col_quote", lang): src.quote,
            t("col_document", lang): calibration_document(src, lang),
            t("col_checked", lang): checked,
            t("col_note", lang): note_text(r.note, lang),
            t("col_file", lang): r.source_file,
        })
    return pd.DataFrame(rows)
