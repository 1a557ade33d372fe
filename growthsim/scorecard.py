"""The scorecard's reading of every target, built once for the app, the command line and the workbook.

A target of a reported year reads 达成/未达成 from the reported value; where
the year is covered but its figure was never published, the filtered
posterior gives the probability it was met (估计). A target in a projected year
reads the projection's median, band and probability. A target whose indicator
a lever or an assumption sets (the indicator registry's ``set_by``) says so:
由假设决定 — in a projected or unreported year its outcome is the assumption's,
not the model's. The colours of a probability (green, amber, red) are declared
here once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from growthsim.simulation.registry import parameters
from growthsim.simulation.targets import LIKELY, POSSIBLE, Target, likelihood
from growthsim.simulation.units import unit_of

from .i18n import join
from .i18n import text as catalogue_text
from .presentation import untracked_reason

Basis = str  # "reported", "estimated", "projected", "ahead", "unknown", "untracked"



def _w(key: str, lang: str, **fields) -> str:
    """The scorecard's text ``key`` in ``lang``: the catalogue's ``scorecard.<key>``."""
    return catalogue_text(f"scorecard.{key}", lang, **fields)


def thresholds() -> dict[str, str]:
    """The colour thresholds as a sentence writes them: likely '80%', possible '50%' (possible_n: '50')."""
    return {"likely": f"{LIKELY:.0%}", "possible": f"{POSSIBLE:.0%}", "possible_n": f"{100 * POSSIBLE:.0f}"}


COLOURS = {"likely": "green", "possible": "amber", "unlikely": "red"}


def level(probability: float) -> str:
    """The scorecard's colour of a probability: ``green`` (likely), ``amber`` (possible) or ``red`` (unlikely)."""
    return COLOURS[likelihood(probability)]


def assumption_flag(lang: str) -> str:
    """The short mark of a target an assumption decides: 由假设决定 / set by assumption."""
    return _w("driven_flag", lang)


def assumption_names(ids: Iterable[str], lang: str) -> str:
    """The parameters that set an indicator, by their labels in ``lang`` ('技改投资增速')."""
    reg = parameters()
    names = [(reg[i].label_zh if lang == "zh" else reg[i].label_en) if i in reg else i for i in ids]
    return join(names, lang)


@dataclass(frozen=True)
class Reading:
    """What the scorecard says of one target.

    Attributes
    ----------
    target : Target
    basis : str
        ``reported`` (the year's figure, met or not), ``estimated`` (the year is
        covered, its figure unpublished: a posterior probability), ``projected``
        (a projected year), ``ahead`` (after the data, not projected here),
        ``unknown`` (no figure, no estimate) or ``untracked`` (not modelled).
    value : float
        The reported value, the posterior median (estimated) or the projected median; NaN otherwise.
    met : bool or None
        Whether a reported value meets the target.
    probability : float
        Estimated or projected probability of meeting it; NaN otherwise.
    derived : bool
        The reported value is ours, computed from published figures (status ``derived``).
    band : tuple of float
        The projection's P10 and P90 in the target's year (NaN when not projected).
    """

    target: Target
    basis: Basis
    value: float = math.nan
    met: bool | None = None
    probability: float = math.nan
    derived: bool = False
    band: tuple[float, float] = (math.nan, math.nan)

    @property
    def past(self) -> bool:
        """A target of a reported year (reported or estimated, or unknown)."""
        return self.basis in ("reported", "estimated", "unknown")

    @property
    def driven_by(self) -> tuple[str, ...]:
        """The parameters that decide the outcome: none for a reported figure, else the indicator's ``set_by``."""
        return () if self.basis in ("reported", "untracked") else self.target.decided_by

    @property
    def gap(self) -> float:
        """The value less the target's value (NaN without a value)."""
        return self.value - self.target.value if not math.isnan(self.value) else math.nan

    @property
    def counted(self) -> bool:
        """Whether the target counts among those still ahead (projected, not decided by an assumption)."""
        return self.basis == "projected" and not self.driven_by

    def value_text(self, lang: str) -> str:
        """The value with its unit at its precision ('8.1%', '4,907家'); '—' when none."""
        return unit_of(self.target.unit).with_number(self.value, lang)

    def outcome(self, lang: str) -> str:
        """The outcome as every view words it: '8.1%，未达成', '数据中暂无；估计达成概率 9%（后验中位数 4,907家）',
        '由假设决定：技改投资增速；…'; '—' for a projected target the model decides."""
        if self.basis == "reported":
            word = "—" if self.met is None else _w("met" if self.met else "not_met", lang)
            derived = _w("derived", lang) if self.derived else ""
            return _w("outcome_reported", lang, value=self.value_text(lang), derived=derived, word=word)
        if self.basis == "estimated":
            text = _w("estimated", lang, p=f"{self.probability:.0%}", median=self.value_text(lang))
        elif self.basis == "untracked":
            return _w("untracked", lang, reason=untracked_reason(self.target, lang))
        elif self.basis in ("ahead", "unknown"):
            text = _w(self.basis, lang)
        else:
            text = ""
        if self.driven_by:
            driven = _w("driven", lang, name=assumption_names(self.driven_by, lang))
            return _w("driven_then", lang, driven=driven, then=text) if text else driven
        return text or "—"


def past_reading(target: Target, outcome: Mapping | None) -> Reading:
    """A reported year's target from its row of :func:`calibration.targets.reported_outcomes` (None: no row)."""
    if not target.tracked:
        return Reading(target, "untracked")
    if outcome is None:
        return Reading(target, "unknown")
    if outcome.get("basis") == "reported":
        met = outcome.get("met")
        return Reading(target, "reported", float(outcome["reported"]), None if met is None else bool(met),
                       derived=outcome.get("status") == "derived")
    p = outcome.get("probability")
    if outcome.get("basis") == "estimated" and p is not None and not pd.isna(p):
        return Reading(target, "estimated", float(outcome["reported"]), probability=float(p))
    return Reading(target, "unknown")


def projected_reading(target: Target, row, band: tuple[float, float] = (math.nan, math.nan)) -> Reading:
    """A projected year's target from its row of a target table (median ``p50``, ``probability``).

    Parameters
    ----------
    target : Target
        The target: indicator, year, rule (value in the indicator's unit) and source.
    row
        The target's row of a target table (``p50`` in the indicator's unit, ``probability`` 0-1).
    band : tuple[float, float]
        The probabilities bounding 'possible' and 'likely' (0-1).
    """
    return Reading(target, "projected", float(row.p50), probability=float(row.probability), band=band)


def readings(all_targets: Mapping[str, Target], target_table: pd.DataFrame, projection: pd.DataFrame,
             outcomes: pd.DataFrame | None, data_through: int) -> list[Reading]:
    """Every tracked target by year: reported years' outcomes, then the projected targets within the horizon.

    Parameters
    ----------
    all_targets : Mapping[str, Target]
        The targets by id, in their file's order (ties within a year keep it).
    target_table : pandas.DataFrame
        One scenario's :func:`simulation.summary.target_table`.
    projection : pandas.DataFrame
        The scenario's :func:`simulation.summary.summarise` (for the bands).
    outcomes : pandas.DataFrame or None
        :func:`calibration.targets.reported_outcomes` of the calibration.
    data_through : int
        The last reported year: targets up to it are read from the record.

    Returns
    -------
    list of Reading
        Ordered by year, then the targets' order.
    """
    order = list(all_targets)
    past = {} if outcomes is None or outcomes.empty else \
        {r["target_id"]: r for r in outcomes.to_dict("records") if int(r["year"]) <= data_through}
    bands = {(ind, int(y)): (lo, hi) for ind, y, lo, hi in
             zip(projection.indicator, projection.year, projection.p10, projection.p90, strict=True)}
    out = [past_reading(all_targets[tid], r) for tid, r in past.items()]
    for r in target_table.itertuples():
        if r.target_id not in past:
            tg = all_targets[r.target_id]
            out.append(projected_reading(tg, r, bands.get((tg.indicator, tg.year), (math.nan, math.nan))))
    out.sort(key=lambda x: (x.target.year, order.index(x.target.id)))
    return out
