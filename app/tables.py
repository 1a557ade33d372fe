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
from growthsim.i18n import Joined
from growthsim.presentation import calibration_document
from growthsim.scorecard import Reading, level, readings
from growthsim.settings import DEFAULT_LANG
from growthsim.simulation.indicators import indicators, shown_in
from growthsim.wording import (
    figure_status,
    indicator_name,
    note_text,
    target_label,
    unit,
    untracked_reason,
    with_unit,
)

from .charts import fmt_in_unit, text_in_unit
from .i18n import CALIBRATION_LABELS, pick, t
from .sources import document_name, is_web_source, source_quotes

STYLE = {
    "green": "background-color: #c6efce; color: #006100; font-weight: 600",
    "amber": "background-color: #ffeb9c; color: #9c5700; font-weight: 600",
    "red": "background-color: #ffc7ce; color: #9c0006; font-weight: 600",
}


def indicator_order() -> list[str]:
    """Indicators with plan targets first (in target order), then the rest in list order."""
    seen: list[str] = []
    for tg in targets().values():
        if tg.indicator and tg.indicator not in seen:
            seen.append(tg.indicator)
    return seen + [i for i in indicators() if i not in seen]


def chart_sets() -> dict[str, list[str]]:
    """The indicator sets the pages offer: headline (default), those with targets, all."""
    return {"headline": shown_in("headline"), "targeted": targeted_indicators(), "all": indicator_order()}


def targeted_indicators() -> list[str]:
    """The indicators with at least one plan target, in the indicators' order."""
    return [i for i in indicator_order() if any(tg.indicator == i for tg in targets().values())]


def _band(band: tuple[float, float], unit: str) -> str:
    lo, hi = band
    if pd.isna(lo):
        return "—"
    return f"{fmt_in_unit(lo, unit)}–{fmt_in_unit(hi, unit)}"


@dataclass(frozen=True)
class Scorecard:
    """The scorecard's display table and, per target, its reading (:mod:`growthsim.scorecard`)."""

    frame: pd.DataFrame          # display table, localised columns
    readings: tuple[Reading, ...]  # row order (by year)
    prob_column: str
    delta_column: str | None
    lang: str = "zh"

    @property
    def target_ids(self) -> tuple[str, ...]:
        """The targets' ids, in row order."""
        return tuple(r.target.id for r in self.readings)

    @property
    def probabilities(self) -> tuple[float, ...]:
        """Projected: the model's; a reported year's: the estimate, or NaN."""
        return tuple(r.probability for r in self.readings)

    @property
    def past(self) -> tuple[bool, ...]:
        """Whether each target is of a reported year."""
        return tuple(r.past for r in self.readings)

    @property
    def driven(self) -> tuple[tuple[str, ...], ...]:
        """The assumptions that decide each target (empty when the model does)."""
        return tuple(r.driven_by for r in self.readings)

    def counts(self) -> dict[str, int]:
        """Targets still ahead and not decided by an assumption: how many are likely, possible, unlikely."""
        levels = [level(r.probability) for r in self.readings if r.counted]
        return {"total": len(levels), **{k: levels.count(k) for k in ("green", "amber", "red")}}


def gap_text(gap: float, unit_: str, lang: str) -> str:
    """The gap with its unit: '+0.30 个百分点' for a share or rate, '-194家' for firms.

    Parameters
    ----------
    gap : float
        The gap's attribution: each group's share of the distance to the target (in the measure's unit).
    unit_ : str
        Unit code (``simulation/units.py``).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    if gap is None or pd.isna(gap):
        return "—"
    number = fmt_in_unit(gap, unit_, signed=True)
    if unit_ == "%":
        return f"{number} {t('gap_unit_pp', lang)}"
    return with_unit(number, unit_, lang)


def _scorecard_row(r: Reading, lang: str) -> dict:
    """One reading as the scorecard's row: rule as written and as read, median, band, gap, probability, outcome."""
    tg, u = r.target, r.target.unit
    projected = r.basis == "projected"
    median = r.value_text(lang) if r.basis in ("estimated", "projected") else "—"
    return {
        t("col_target", lang): target_label(tg, lang),
        t("col_rule", lang): tg.text(lang),
        t("col_reading", lang): tg.reading(lang),
        t("col_p50", lang): median,
        t("col_band", lang): _band(r.band, u) if projected else "—",
        t("col_gap", lang): gap_text(r.gap, u, lang),
        t("col_prob", lang): r.probability if projected and not r.driven_by else math.nan,
    }


def scorecard(target_table: pd.DataFrame, projection: pd.DataFrame, outcomes: pd.DataFrame | None, lang: str,
              data_through: int, baseline_targets: pd.DataFrame | None = None) -> Scorecard:
    """Every tracked target by year (:func:`growthsim.scorecard.readings`): reported years' outcomes, then the
    projected targets within the horizon, each with its outcome as every view words it.

    ``baseline_targets``, when given, adds each projected probability's change against the baseline.

    Parameters
    ----------
    target_table : pd.DataFrame
        Each target's median and probability per scenario.
    projection : pd.DataFrame
        The projection table (P10/P50/P90 by indicator and year).
    outcomes : pd.DataFrame | None
        The reported years' outcomes, or None.
    lang : str
        ``zh`` or ``en``: the reader's language.
    data_through : int
        The last reported year used (calendar year).
    baseline_targets : pd.DataFrame | None
        The baseline's target table (for the change column), or None.
    """
    read = readings(targets(), target_table, projection, outcomes, data_through)
    base_probs = {} if baseline_targets is None else dict(zip(baseline_targets.target_id,
                                                              baseline_targets.probability, strict=True))
    prob_col = t("col_prob", lang)
    delta_col = t("col_vs_base", lang) if baseline_targets is not None else None
    rows = []
    for r in read:
        row = _scorecard_row(r, lang)
        if delta_col:
            shown = row[prob_col]
            b = base_probs.get(r.target.id, math.nan)
            row[delta_col] = math.nan if math.isnan(shown) else 100.0 * (shown - float(b))
        row[t("col_status", lang)] = r.outcome(lang)
        rows.append(row)
    return Scorecard(pd.DataFrame(rows), tuple(read), prob_col, delta_col, lang)


def probability_text(p: float, lang: str) -> str:
    """A probability as the tables show it: the number and its standing in words and a sign ('69% ◆ 有望'),
    so that it reads without its colour."""
    if pd.isna(p):
        return "—"
    return f"{p:.0%} {t(f'level_{level(p)}', lang)}"


def style_scorecard(card: Scorecard, rows: Sequence[bool] | None = None):
    """A pandas Styler: probabilities coloured green / amber / red and said in words, changes signed.

    ``rows`` (one flag per target, in the card's order) keeps only some rows: the targets ahead, or the review.
    """
    frame = card.frame if rows is None else card.frame[list(rows)]
    formats = {card.prob_column: lambda p: probability_text(p, card.lang)}
    sty = frame.style.hide(axis="index").map(lambda p: "" if pd.isna(p) else STYLE[level(p)],
                                              subset=[card.prob_column])
    if card.delta_column:
        pts = t("vs_base_unit", card.lang)
        formats[card.delta_column] = lambda x: "—" if pd.isna(x) else ("±0" if abs(x) < 0.05 else f"{x:+.1f} {pts}")
        sty = sty.map(lambda x: "" if pd.isna(x) or abs(x) < 0.05 else ("color: #006100" if x > 0
                                                                        else "color: #9c0006"),
                      subset=[card.delta_column])
    return sty.format(formats)


def untracked_targets(lang: str) -> pd.DataFrame:
    """The declared targets the model does not track: each with why not and the documents it comes from."""
    rows = []
    for tg in targets().values():
        if tg.tracked:
            continue
        docs = source_quotes(tg.source)
        rows.append({t("col_target", lang): target_label(tg, lang),
                     t("col_reason", lang): untracked_reason(tg, lang),
                     t("col_source", lang): Joined(document_name(n, lang) for n, _ in docs).text(lang)
                     if docs else "—"})
    return pd.DataFrame(rows)


def compare_targets(tables: Mapping[str, pd.DataFrame], titles: Mapping[str, str], lang: str,
                    data_through: int) -> tuple[pd.DataFrame, list[str]]:
    """Targets by scenario, by year: each scenario's median and probability side by side.

    Returns the table and the names of its probability columns (to colour).

    Parameters
    ----------
    tables : Mapping[str, pd.DataFrame]
        Target tables by scenario key.
    titles : Mapping[str, str]
        Scenario titles by scenario id, in ``lang``.
    lang : str
        ``zh`` or ``en``: the reader's language.
    data_through : int
        The last reported year used (calendar year).
    """
    meta, all_targets = indicators(), targets()
    order = list(all_targets)
    keys = list(tables)
    # each target's first row per scenario, looked up once (a boolean scan per cell cost the page ~7 % of a run)
    first = {k: tb.drop_duplicates("target_id").set_index("target_id") for k, tb in tables.items()}
    ids = [tid for tid in all_targets if any(tid in f.index for f in first.values())]
    ids.sort(key=lambda tid: (all_targets[tid].year, order.index(tid)))
    prob_cols = [f"{titles[k]} · {t('col_prob', lang)}" for k in keys]
    rows = []
    for tid in ids:
        tg = all_targets[tid]
        u = meta[tg.indicator].unit
        row = {t("col_target", lang): target_label(tg, lang),
               t("col_rule", lang): tg.text(lang),
               t("col_reading", lang): tg.reading(lang)}
        for k in keys:
            row[f"{titles[k]} · {t('col_p50', lang)}"] = text_in_unit(first[k].p50[tid], u, lang) \
                if tid in first[k].index else "—"
        for k, col in zip(keys, prob_cols, strict=True):
            row[col] = float(first[k].probability[tid]) if tid in first[k].index else math.nan
        rows.append(row)
    return pd.DataFrame(rows), prob_cols


def style_probabilities(frame: pd.DataFrame, prob_cols: Sequence[str], lang: str = DEFAULT_LANG):
    """The comparison's target table styled: probabilities as percentages, coloured by :func:`level`.

    Parameters
    ----------
    frame : pd.DataFrame
        The comparison's target table (:func:`compare_targets`).
    prob_cols : Sequence[str]
        Its probability columns (0-1).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    sty = frame.style.hide(axis="index")
    return sty.map(lambda p: "" if pd.isna(p) else STYLE[level(p)], subset=list(prob_cols)).format(
        {c: (lambda p: probability_text(p, lang)) for c in prob_cols})


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
    """Wide display table: a row per indicator and scenario, a column per projected year.

    Parameters
    ----------
    projections : Mapping[str, pd.DataFrame]
        Projection tables by scenario key.
    reference : str
        The key of the scenario subtracted.
    titles : Mapping[str, str]
        Scenario titles by scenario id, in ``lang``.
    lang : str
        ``zh`` or ``en``: the reader's language.
    first_year : int
        First projected year (calendar year).
    """
    meta = indicators()
    long = difference_values(projections, reference)
    long = long[long.year >= first_year]
    years = sorted(int(y) for y in long.year.unique())
    series = {}  # (indicator, scenario) -> {year: diff}, built in one pass (a boolean scan per row cost ~15 % of a run)
    for ind, key, y, d in zip(long.indicator, long.scenario, long.year, long["diff"], strict=True):
        series.setdefault((ind, key), {})[int(y)] = d
    rows = []
    for ind in indicator_order():
        for key in projections:
            if key == reference or (ind, key) not in series:
                continue
            sub = series[(ind, key)]
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
    Missing numbers are NaN (shown as blank), never the text "None"; a web figure's address is the last column (a
    figure from the pack's documents has its title in the document column; its file name is not shown).

    Parameters
    ----------
    report : pd.DataFrame
        The fit report, row by row.
    reported : pd.DataFrame
        The reported figures, row-aligned with ``report``.
    quote_lines : Mapping[object, int | None]
        The line of each row's quote in its source, or None: not found.
    lang : str
        ``zh`` or ``en``: the reader's language.
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
            t("col_url", lang): r.source_file if web else None,
        })
    return pd.DataFrame(rows)
