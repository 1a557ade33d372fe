"""What a page gets: language, settings, calibration, the edited scenario and the catalogue.

A page is a function ``render(ctx: Ctx) -> None``. Pages read the model
through ``ctx.summary(key)`` (cached) and never touch the session's state
directly, so adding a page is one line in ``app/main.py``'s ``PAGES``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from growthsim.calibration.fit import Calibration
from growthsim.simulation.scenario import Scenario

from . import cache, compute
from .i18n import pick, t
from .state import Value, values_key


@dataclass
class Ctx:
    """What a page gets: language, run settings, the calibration, the editor's changes and the scenario catalogue."""

    lang: str
    page: str
    draws: int
    seed: int
    horizon: int
    through: int                 # reported data used: up to this year
    latest_through: int          # the latest reported year (the default)
    calibration: Calibration
    defaults: dict[str, float]   # the baseline's value of every parameter
    values: dict[str, Value]     # the editor's changes (the edited scenario's values)
    catalogue: dict[str, Scenario]
    compare: tuple[str, ...]     # the scenarios chosen for comparison
    edited_title: str = ""        # the name the user gave the edited scenario (save / download)
    saved_problems: tuple[str, ...] = ()
    first_run: bool = False       # the session's first run: its browser has drawn nothing yet
    fresh: bool = False           # the browser shows nothing of this page yet: the session's first run, or a
                                  # switch from another page
    extras: dict = field(default_factory=dict)  # room for other pages' state

    # ---- convenience
    def t(self, key: str, **fmt: object) -> str:
        """The interface text ``key`` in the page's language, filled in with ``fmt``."""
        return t(key, self.lang, **fmt)

    @property
    def first_year(self) -> int:
        """The first projected year: the year after the calibration's base year."""
        return self.calibration.base_year + 1

    @property
    def data_through(self) -> int:
        """The last reported year the calibration uses."""
        return self.calibration.data_through

    @property
    def edited(self) -> Scenario:
        """The edited scenario: the baseline with the editor's changes."""
        return self.catalogue[compute.EDITED]

    def title(self, key: str) -> str:
        """A catalogue scenario's title in the page's language."""
        s = self.catalogue[key]
        return pick((s.title_zh, s.title_en), self.lang)

    def summary(self, key: str) -> compute.Summary:
        """The catalogue scenario's summary tables (cached), with the scenario column set to ``key``."""
        return self.summary_of(self.catalogue[key].values, key)

    def summary_of(self, values: Mapping[str, Value], label: str) -> compute.Summary:
        """The summary tables (cached) of a scenario with these values, with the scenario column set to ``label``."""
        s = cache.summary(self.seed, self.through, values_key(values), self.draws, self.horizon)
        proj = s.projection_table.assign(scenario=label)
        tgt = s.target_table.assign(scenario=label)
        return compute.Summary(proj, tgt)

    def workbook(self, keys: list[str]) -> bytes:
        """The Excel workbook ``growthsim run`` writes for these catalogue scenarios with the page's settings."""
        return compute.workbook([self.catalogue[k] for k in keys], self.draws, self.seed, self.horizon,
                                self.calibration, self.lang)

    def projection_csv(self, keys: list[str]) -> bytes:
        """The projection CSV ``growthsim run`` writes for these catalogue scenarios with the page's settings."""
        return compute.projection_csv([self.catalogue[k] for k in keys], self.draws, self.seed, self.horizon,
                                      self.calibration, self.lang)

    def targets_csv(self, keys: list[str]) -> bytes:
        """The targets CSV ``growthsim run`` writes for these catalogue scenarios with the page's settings."""
        return compute.targets_csv([self.catalogue[k] for k in keys], self.draws, self.seed, self.horizon,
                                   self.calibration, self.lang)

    def reported(self, indicator: str) -> pd.DataFrame:
        """The indicator's reported full-year figures, as the charts plot them.

        Partial-year figures (a half-year GDP, January–July growth) and superseded
        vintages are calibration evidence, not the year's value: they are left out.
        """
        return cache.reported(self.seed, self.through, indicator)

    def outcomes(self) -> pd.DataFrame:
        """Targets of reported years: reported value and 达成/未达成, or an estimated probability."""
        return cache.outcomes(self.seed, self.through)


FULL_YEAR = ("final", "preliminary", "revised", "derived")


def full_year(reported: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """An indicator's full-year figures of the current vintage (no partial-year or superseded rows)."""
    rep = reported[reported.indicator == indicator]
    if "status" in rep:
        rep = rep[rep.status.isin(FULL_YEAR)]
    if "superseded" in rep:
        rep = rep[~rep.superseded.astype(bool)]
    return rep
