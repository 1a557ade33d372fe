"""What one unit of each lever does (issue 19): the table README's "What a lever does" shows and tests recompute.

For each lever the baseline and the baseline with the lever one step higher from the first projected year
are projected with one seed (common random numbers: the difference is the lever's, not the dice's); the
table gives the mean difference per unit of the lever: on above-scale growth in the first projected year,
in the first year the lever acts (the project lever acts after its lag), on the manufacturing share and the
firm count in the horizon year. For projects it also gives the bureau's own accounting (the gross first-year
contribution, ``project_growth_contribution``) beside the model's net effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from growthsim.calibration.fit import Calibration
from growthsim.simulation.model import project
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import baseline

from ..i18n import Pair
from ..i18n import text as catalogue_text
from ..settings import DEFAULT_HORIZON, DEFAULT_SEED
from ..settings import DRAWS as LIMITS

DRAWS = LIMITS["levers"].default  # the settings' (growthsim.settings.DRAWS)
HORIZON = DEFAULT_HORIZON


@dataclass(frozen=True)
class LeverStep:
    """A lever and the step it is moved by; its unit and the evidence for its mechanism are the catalogue's
    (``levers.unit_<lever>``, ``levers.evidence_<lever>``)."""

    lever: str
    step: float

    def unit(self, lang: str) -> str:
        """One unit of the lever in words (每年1个项目 / 1 project a year)."""
        return catalogue_text(f"levers.unit_{self.lever}", lang)

    def evidence(self, lang: str) -> str:
        """The evidence for the lever's mechanism, in ``lang``."""
        return catalogue_text(f"levers.evidence_{self.lever}", lang)


STEPS = (
    LeverStep("incremental_projects", 10.0),
    LeverStep("upgrade_target", 100.0),
    LeverStep("tech_renovation_investment_growth", 1.0),
    LeverStep("key_firm_growth", 1.0),
    LeverStep("policy_closures", 10.0),
)

COLUMNS = ("lever", "step", "first_year", "growth_first_year", "gross_first_year", "growth_2026",
           "growth_horizon", "share_horizon", "firms_horizon")


def _effect(base, moved, indicator: str, year: int, step: float) -> float:
    """Mean paired difference per unit of the lever."""
    return float(np.mean(moved.at(indicator, year) - base.at(indicator, year)) / step)


def lever_table(calibration: Calibration, draws: int = DRAWS, seed: int = DEFAULT_SEED,
                horizon: int = HORIZON) -> pd.DataFrame:
    """Each lever's effect per unit, from the model (one row per :data:`STEPS` entry).

    Columns: ``first_year`` (the first projected year whose growth the lever moves; None when it moves none),
    ``growth_first_year`` (points of above-scale growth that year), ``gross_first_year`` (the bureau's gross first-year
    contribution per
    project, that year; NaN for other levers), ``growth_2026`` (points in the first projected year; named for
    the shipped data), ``growth_horizon``, ``share_horizon`` (points of the manufacturing share) and
    ``firms_horizon`` (firms), all per unit of the lever.

    Parameters
    ----------
    calibration : Calibration
        The calibration: base state and posterior.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    horizon : int
        Last projected year (calendar year).
    """
    first = calibration.base_year + 1
    post = calibration.posterior
    scenario = baseline()

    def run(s):
        return project(calibration.base, s, post, horizon, draws, np.random.default_rng(seed))

    base = run(scenario)
    rows = []
    years = range(first, horizon + 1)
    for st in STEPS:
        moved = run(scenario.with_values(**{st.lever: post.default(st.lever) + st.step}))
        growth = {y: _effect(base, moved, "above_scale_va_growth", y, st.step) for y in years}
        acting = [y for y in years if abs(growth[y]) > 1e-9]
        year = acting[0] if acting else None
        gross = _effect(base, moved, "project_growth_contribution", year, st.step) \
            if st.lever == "incremental_projects" and year is not None else float("nan")
        rows.append({
            "lever": st.lever, "step": st.step, "first_year": year,
            "growth_first_year": growth[year] if year is not None else 0.0,
            "gross_first_year": gross, "growth_2026": growth[first], "growth_horizon": growth[horizon],
            "share_horizon": _effect(base, moved, "mfg_va_share_gdp", horizon, st.step),
            "firms_horizon": _effect(base, moved, "above_scale_firms", horizon, st.step),
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))


HEADERS = ("lever", "first_year", "growth", "gross", "growth_2030", "share_2030", "firms_2030", "evidence")


def headers(lang: str) -> list[str]:
    """The table's column headers in ``lang``: the catalogue's ``levers.col_<column>``."""
    return [catalogue_text(f"levers.col_{c}", lang) for c in HEADERS]


def _num(x: float, digits: int) -> str:
    if x != x:  # NaN: the column does not apply
        return "—"
    return f"{x:+.{digits}f}" if abs(x) >= 0.5 * 10 ** -digits else f"{0.0:.{digits}f}"


def table_rows(table: pd.DataFrame, lang: str = "en") -> list[list[str]]:
    """The table's rows as text, in ``lang``: growth and share in points to 4 decimals, firms to 2."""
    steps = {st.lever: st for st in STEPS}
    rows = []
    for r in table.itertuples():
        st, p = steps[r.lever], parameters()[r.lever]
        label = catalogue_text("levers.row_label", lang, name=Pair(p.label_zh, p.label_en), id=r.lever,
                               unit=st.unit(lang))
        year = "—" if r.first_year is None or r.first_year != r.first_year else str(int(r.first_year))
        rows.append([label, year, _num(r.growth_first_year, 4), _num(r.gross_first_year, 4), _num(r.growth_horizon, 4),
                     _num(r.share_horizon, 4), _num(r.firms_horizon, 2), st.evidence(lang)])
    return rows


def markdown(table: pd.DataFrame, lang: str = "en") -> str:
    """The table as Markdown (README's "What a lever does, per unit" is this, in English)."""
    head = headers(lang)
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(table, lang)]
    return "\n".join(lines)
