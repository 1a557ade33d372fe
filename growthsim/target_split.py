"""Splitting a city target among its districts (指标分解) and the 分解表 sheet.

The city's draws of the target's measure come from the projection; each
district's draws from the city's, around its weight (``monitoring/region_weights.toml``:
GDP weights for GDP targets, industrial weights — illustrative, 示例 — for
industrial ones), with the spreads the weights file gives. The parts add up
to the city's target (levels, counts) or weigh up to it (growth rates), each
with the same probability of being reached (or in proportion to capacity, the
user's choice). District figures that no source gives are illustrative and
the table says so (示例) in every row that uses one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from growthsim.calibration.monitoring_data import read_regions
from growthsim.calibration.region_weights import RegionWeights, region_weights
from growthsim.simulation.indicators import indicators
from growthsim.simulation.model import Projection
from growthsim.simulation.split import Split, growth_region_draws, level_region_draws, split_target
from growthsim.simulation.streams import Streams

from .errors import UserInputError
from .i18n import text as catalogue_text
from .settings import DEFAULT_LANG, DEFAULT_SEED

METHODS = ("equal_probability", "capacity")
GDP_BASIS = ("gdp", "gdp_real_growth")   # split on the districts' GDP; every other indicator on industry


def splittable(target) -> bool:
    """Whether a target can be split among districts: a level, count or total, or a growth rate (or its average)."""
    if not getattr(target, "indicator", None):
        return False
    m = target.reads
    kind = indicators()[target.indicator].kind
    if m.form == "change" or kind in ("share", "index"):
        return False
    return kind in ("stock", "flow", "level") or (kind == "rate" and target.indicator in
                                                 ("above_scale_va_growth", "gdp_real_growth", "mfg_va_growth"))


def is_growth(target) -> bool:
    """Whether the target is a growth rate (split so that the weighted parts give the city's rate)."""
    return target.reads.form == "average" or indicators()[target.indicator].kind == "rate"


@dataclass(frozen=True)
class SplitTable:
    """A split with its table: one row per district (``frame``), the split itself and where its figures come from."""

    target: object
    split: Split
    frame: pd.DataFrame
    basis: str
    illustrative: bool
    city_probability: float
    spread: float


def split_city_target(proj: Projection, target, method: str = "equal_probability", seed: int = DEFAULT_SEED,
                      weights: RegionWeights | None = None) -> SplitTable:
    """Split ``target`` among the districts; see the module's docstring.

    Parameters
    ----------
    proj : Projection
        The city's projection (covering the target's years).
    target : Target
        A splittable target (:func:`splittable`).
    method : str
        ``equal_probability`` or ``capacity``.
    seed : int
        The root of the districts' deviations (stream ``split/<target id>``).
    weights : RegionWeights, optional
        The districts' weights (default: the shipped file).

    Returns
    -------
    SplitTable
    """
    if method not in METHODS:
        raise UserInputError("target.split_method", method=method, allowed=list(METHODS))
    if not splittable(target):
        raise UserInputError("target.not_splittable", id=target.id)
    rw = weights or region_weights()
    basis = "gdp" if target.indicator in GDP_BASIS else "industry"
    chosen = rw.of(basis)
    w = np.array([x.value for x in chosen])
    city = target.values(proj.at)
    rng = Streams(int(seed)).generator(f"split/{target.id}")
    growth = is_growth(target)
    if growth:
        spread = rw.growth_spread
        draws = growth_region_draws(city, w, spread, rng)
    else:
        spread = rw.level_spread
        draws = level_region_draws(city, w, spread, rng)
    try:
        s = split_target(float(target.value), draws, method, weights=w if growth else None,
                         capacities=w, whole=indicators()[target.indicator].decimals == 0 and not growth)
    except ValueError:
        raise UserInputError("target.split_unreached", id=target.id, value=f"{target.value:g}") from None
    frame = pd.DataFrame({"region": [x.region for x in chosen], "weight": w / w.sum(), "part": s.parts,
                          "probability": s.probabilities, "status": [x.status for x in chosen]})
    return SplitTable(target, s, frame, basis, any(x.illustrative for x in chosen),
                      float(np.mean(target.met(city))), spread)


def split_frame(tab: SplitTable, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The split as a table to show: district, weight (%), part, probability, basis (示例 where illustrative)."""
    regions = read_regions()
    growth = tab.split.growth
    d = 1 if growth else indicators()[tab.target.indicator].decimals
    out = pd.DataFrame({
        _p("col_district", lang): [regions[r].name(lang) for r in tab.frame.region],
        _p("col_weight", lang): (100 * tab.frame.weight).round(1),
        _p("col_part_growth" if growth else "col_part", lang): tab.frame.part.round(d),
        _p("col_probability", lang): tab.frame.probability.round(3),
        _p("col_basis", lang): [_p("basis_illustrative" if s == "illustrative" else "basis_reported", lang)
                                for s in tab.frame.status],
    })
    return out


def _p(key: str, lang: str, **fields: object) -> str:
    """The split's text ``key`` in ``lang``: the catalogue's ``split.<key>``."""
    return catalogue_text(f"split.{key}", lang, **fields)


def method_label(method: str, lang: str) -> str:
    """同等把握 / equal probability, 按能力 / by capacity."""
    return _p(f"method_{method}", lang)


def split_note(tab: SplitTable, lang: str) -> str:
    """How the split was made, one sentence, with 示例 where any weight is illustrative."""
    growth = tab.split.growth
    return _p("note_illustrative" if tab.illustrative else "note", lang, how=method_label(tab.split.method, lang),
              basis=_p("weights_gdp" if tab.basis == "gdp" else "weights_industry", lang),
              add=_p("adds_weighted" if growth else "adds_sum", lang),
              spread=_p("spread_growth" if growth else "spread_share", lang, spread=tab.spread),
              p=tab.city_probability)


def add_split_sheet(wb, tabs, lang: str = DEFAULT_LANG, used: set[str] | None = None) -> None:
    """The 分解表 sheet: each city target (one :class:`SplitTable` or several, one block each), how it was split,
    one row per district and the city's total.

    Parameters
    ----------
    wb
        The workbook the sheet is added to.
    tabs
        The split tables, one per city target.
    lang : str
        ``zh`` or ``en``: the reader's language.
    used : set[str] | None
        Sheet names already in the workbook (a new sheet gets a name not among them), or None.
    """
    # deferred: exports loads openpyxl, simpy; only this path needs it
    from .exports import _autowidth, _page

    tabs = [tabs] if isinstance(tabs, SplitTable) else list(tabs)
    used = used if used is not None else set(wb.sheetnames)
    name = _p("sheet_illustrative" if any(t.illustrative for t in tabs) else "sheet", lang)
    # deferred: exports loads openpyxl, simpy; only this path needs it
    from .exports import _sheet_name

    ws = wb.create_sheet(_sheet_name(name, used))
    row = 1
    for tab in tabs:
        row = _split_block(ws, tab, row, lang) + 2
    _page(ws, 1, "A2", "A:A")
    _autowidth(ws, first_row=2, maximum=40)


def _split_block(ws, tab: SplitTable, row: int, lang: str) -> int:
    """One target's block of the 分解表: title, how it was split, the districts, the city; returns its last row."""
    # deferred: openpyxl.styles (198 modules) is needed only on this path
    from openpyxl.styles import Font

    # deferred: exports loads openpyxl, simpy; only this path needs it
    from .exports import _header, _put

    ws.cell(row, 1, _p("block_title", lang, label=tab.target.label(lang))).font = Font(bold=True)
    ws.cell(row + 1, 1, split_note(tab, lang))
    frame = split_frame(tab, lang)
    _header(ws, row + 2, list(frame.columns))
    r = row + 3
    for rec in frame.itertuples(index=False):
        for j, v in enumerate(rec, start=1):
            _put(ws, r, j, v, "0%" if j == 4 else None)
        r += 1
    _put(ws, r, 1, _p("city", lang))
    _put(ws, r, 2, 100.0)
    total = float(tab.split.weights @ tab.split.parts) if tab.split.growth else float(tab.split.parts.sum())
    _put(ws, r, 3, round(total, 6))
    _put(ws, r, 4, tab.city_probability, "0%")
    return r
