"""Running the model for the app: the same runner, settings and exports as the CLI.

No Streamlit here; the page code wraps these in its caches. Every scenario is
run with the run's seed (common random numbers), exactly as
``growthsim run``/``compare`` do, so the app and the command line give the same
numbers for the same scenario, draws, seed and horizon.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from growthsim.calibration.fit import Calibration
from growthsim.exports import csv_bytes, workbook_bytes
from growthsim.i18n import Joined
from growthsim.runner import RunResult, RunSettings, run
from growthsim.scenario_files import dump_scenario, load_scenario, shipped_scenarios
from growthsim.settings import DEFAULT_LANG
from growthsim.simulation.scenario import Scenario

from .i18n import t
from .state import Value, changed_parameters, values_from_key
from .store import scenario_id_for

EDITED = "edited"
POLICY = "intensified"          # the policy scenario of the default comparison
POLICY_EDITED = "intensified+edited"
UPLOAD_PREFIX = "upload:"
SAVED_PREFIX = "saved:"


@dataclass(frozen=True)
class Summary:
    """One scenario's summary tables (scenario column set to a placeholder)."""

    projection_table: pd.DataFrame
    target_table: pd.DataFrame

    @cached_property
    def _by_indicator(self) -> dict[str, pd.DataFrame]:
        # split once: each chart filtered the whole table (~12 ms of a lever step's script, py-spy)
        return dict(tuple(self.projection_table.groupby("indicator", sort=False)))

    def projection_of(self, indicator: str) -> pd.DataFrame:
        """The projection table's rows of one indicator, in the table's order (none if it has none)."""
        return self._by_indicator.get(indicator, self.projection_table.iloc[:0])


def summarise_values(calibration: Calibration, key: tuple, draws: int, seed: int, horizon: int) -> Summary:
    """Project the baseline with the values of ``key`` and summarise (runner.run, as the CLI).

    Parameters
    ----------
    calibration : Calibration
        The calibration: base state and posterior.
    key : tuple
        The cache key: the scenario values as a hashable tuple.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    horizon : int
        Last projected year (calendar year).
    """
    scenario = Scenario("scenario", "情景", "Scenario", values=values_from_key(key))
    settings = RunSettings(draws=draws, seed=seed, horizon=horizon, data_through=calibration.data_through)
    result = run([scenario], settings, calibration, desk=False)  # the tables only: no workbook sheets built
    return Summary(result.projection_table, result.target_table)


def shipped(first_year: int) -> dict[str, Scenario]:
    """The shipped scenario files (baseline first), validated for the calibration's first year."""
    files = shipped_scenarios()
    order = ["baseline"] + sorted(k for k in files if k != "baseline")
    return {k: load_scenario(files[k], first_year=first_year) for k in order if k in files}


def describe_changes(values: Mapping[str, Value], defaults: Mapping[str, float], first_year: int) -> tuple[str, str]:
    """A scenario description listing its changes, in Chinese and English.

    Parameters
    ----------
    values : Mapping[str, Value]
        Scenario values: parameter id to a value in its registry unit, or a table of values by year.
    defaults : Mapping[str, float]
        The baseline's value of every parameter, in its registry unit.
    first_year : int
        First projected year (calendar year).
    """
    def said(lang: str) -> str:
        changes = [f"{label} {now}" for label, _, now in changed_parameters(values, defaults, first_year, lang)]
        return t("described_changes", lang, changes=Joined(changes)) if changes else t("described_unchanged", lang)

    return said("zh"), said("en")


def edited_scenario(values: Mapping[str, Value], defaults: Mapping[str, float], first_year: int) -> Scenario:
    """The baseline plus the editor's changes ("基准+调整假设").

    Parameters
    ----------
    values : Mapping[str, Value]
        Scenario values: parameter id to a value in its registry unit, or a table of values by year.
    defaults : Mapping[str, float]
        The baseline's value of every parameter, in its registry unit.
    first_year : int
        First projected year (calendar year).
    """
    zh, en = describe_changes(values, defaults, first_year)
    return Scenario(EDITED, t("edited_title", "zh"), t("edited_title", "en"), zh, en, dict(values))


def named_scenario(title: str, values: Mapping[str, Value], defaults: Mapping[str, float], first_year: int) -> Scenario:
    """The edited scenario under the user's name, as saved and downloaded.

    Under its default name it is exactly the edited scenario, so running the
    downloaded file with ``growthsim run`` writes the same workbook as the app.

    Parameters
    ----------
    title : str
        The user's name for the scenario.
    values : Mapping[str, Value]
        Scenario values: parameter id to a value in its registry unit, or a table of values by year.
    defaults : Mapping[str, float]
        The baseline's value of every parameter, in its registry unit.
    first_year : int
        First projected year (calendar year).
    """
    if title.strip() in (t("edited_title", "zh"), t("edited_title", "en")):
        return edited_scenario(values, defaults, first_year)
    zh, en = describe_changes(values, defaults, first_year)
    return Scenario(scenario_id_for(title), title.strip(), title.strip(), zh, en, dict(values))


def policy_with_edits(policy: Scenario, values: Mapping[str, Value]) -> Scenario:
    """The policy scenario with the editor's changes on top (the editor's values win)."""
    return Scenario(POLICY_EDITED, t("policy_edited_title", "zh"), t("policy_edited_title", "en"),
                    t("policy_edited_desc", "zh"), t("policy_edited_desc", "en"),
                    {**dict(policy.values), **dict(values)})


def catalogue(ship: Mapping[str, Scenario], edited: Scenario, uploaded: Mapping[str, Scenario],
              saved: Mapping[str, Scenario]) -> dict[str, Scenario]:
    """Every scenario the user can compare, by key; each Scenario's id is its run id.

    Order: the shipped baseline, the edited one, the other shipped scenarios,
    the policy scenario with the edits (when there are edits), uploads, saved.

    Parameters
    ----------
    ship : Mapping[str, Scenario]
        The shipped scenarios by key.
    edited : Scenario
        The baseline with the editor's changes.
    uploaded : Mapping[str, Scenario]
        Uploaded scenarios by key.
    saved : Mapping[str, Scenario]
        Saved scenarios by key.
    """
    out: dict[str, Scenario] = {"baseline": ship["baseline"], EDITED: edited}
    for k, s in ship.items():
        if k != "baseline":
            out[k] = s
    if edited.values and POLICY in ship:
        out[POLICY_EDITED] = policy_with_edits(ship[POLICY], edited.values)
    for sid, s in uploaded.items():
        out[UPLOAD_PREFIX + sid] = replace(s, id="upload-" + sid, title_zh=s.title_zh + t("uploaded_suffix", "zh"),
                                           title_en=s.title_en + t("uploaded_suffix", "en"))
    for sid, s in saved.items():
        out[SAVED_PREFIX + sid] = replace(s, id="saved-" + sid, title_zh=s.title_zh + t("saved_suffix", "zh"),
                                          title_en=s.title_en + t("saved_suffix", "en"))
    return out


def default_comparison(keys: Sequence[str]) -> tuple[str, ...]:
    """Baseline, baseline + the user's changes, and the policy scenario."""
    return tuple(k for k in ("baseline", EDITED, POLICY) if k in keys)


def run_result(scenarios: Sequence[Scenario], draws: int, seed: int, horizon: int,
               calibration: Calibration) -> RunResult:
    """Run the scenarios through the CLI's runner with these settings, all on one seed (common random numbers).

    Parameters
    ----------
    scenarios : Sequence[Scenario]
        The scenarios (parameter values in their registry units).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    horizon : int
        Last projected year (calendar year).
    calibration : Calibration
        The calibration: base state and posterior.
    """
    settings = RunSettings(draws=draws, seed=seed, horizon=horizon, data_through=calibration.data_through)
    return run(list(scenarios), settings, calibration)


def workbook(scenarios: Sequence[Scenario], draws: int, seed: int, horizon: int, calibration: Calibration,
             lang: str = DEFAULT_LANG) -> bytes:
    """The Excel workbook the CLI writes for these scenarios and settings (``growthsim run --lang``).

    Parameters
    ----------
    scenarios : Sequence[Scenario]
        The scenarios (parameter values in their registry units).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    horizon : int
        Last projected year (calendar year).
    calibration : Calibration
        The calibration: base state and posterior.
    lang : str
        ``zh`` or ``en``: the language of the files (None in :func:`cli_command`: ids only).
    """
    return workbook_bytes(run_result(scenarios, draws, seed, horizon, calibration), lang)


def _titles(scenarios: Sequence[Scenario], lang: str) -> dict[str, str]:
    return {s.id: s.title(lang) for s in scenarios}


def projection_csv(scenarios: Sequence[Scenario], draws: int, seed: int, horizon: int,
                   calibration: Calibration, lang: str = DEFAULT_LANG) -> bytes:
    """The projection table (P10/P50/P90 by indicator and year) as the CLI's CSV, with scenario titles in ``lang``.

    Parameters
    ----------
    scenarios : Sequence[Scenario]
        The scenarios (parameter values in their registry units).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    horizon : int
        Last projected year (calendar year).
    calibration : Calibration
        The calibration: base state and posterior.
    lang : str
        ``zh`` or ``en``: the language of the files (None in :func:`cli_command`: ids only).
    """
    return csv_bytes(run_result(scenarios, draws, seed, horizon, calibration).projection_table, lang,
                     _titles(scenarios, lang))


def targets_csv(scenarios: Sequence[Scenario], draws: int, seed: int, horizon: int,
                calibration: Calibration, lang: str = DEFAULT_LANG) -> bytes:
    """The target table (each plan target's probability) as the CLI's CSV, with scenario titles in ``lang``.

    Parameters
    ----------
    scenarios : Sequence[Scenario]
        The scenarios (parameter values in their registry units).
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    horizon : int
        Last projected year (calendar year).
    calibration : Calibration
        The calibration: base state and posterior.
    lang : str
        ``zh`` or ``en``: the language of the files (None in :func:`cli_command`: ids only).
    """
    return csv_bytes(run_result(scenarios, draws, seed, horizon, calibration).target_table, lang,
                     _titles(scenarios, lang))


def scenario_toml(scenario: Scenario) -> str:
    """The scenario as a scenario file's TOML text (what the app downloads and saves)."""
    return dump_scenario(scenario)


def cli_command(scenario_files: Sequence[str], draws: int, seed: int, horizon: int, through: int | None,
                latest_through: int, lang: str | None = None) -> str:
    """The ``growthsim run`` command that writes the same workbook (and, with ``lang``, the same CSV files).

    Parameters
    ----------
    scenario_files : Sequence[str]
        The scenario files the command names.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    horizon : int
        Last projected year (calendar year).
    through : int | None
        Data-through year chosen (calendar year), or None: the latest.
    latest_through : int
        The latest data-through year (calendar year).
    lang : str | None
        ``zh`` or ``en``: the language of the files (None in :func:`cli_command`: ids only).
    """
    parts = ["growthsim", "run", *scenario_files, "--draws", str(draws), "--seed", str(seed), "--horizon", str(horizon)]
    if lang:
        parts += ["--lang", lang]
    if through is not None and through != latest_through:
        parts += ["--data-through", str(through)]
    return " ".join(parts)
