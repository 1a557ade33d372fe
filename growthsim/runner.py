"""Orchestration: calibration + scenarios -> projections and target tables.

Every scenario of a run uses the same seed, so they share their random
numbers (common random numbers): a difference between scenarios is the
scenario's, not the dice's.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pandas as pd

from growthsim.calibration import city
from growthsim.calibration import city as packs
from growthsim.calibration.cache import CacheSettingError, calibrate_cached
from growthsim.calibration.fit import Calibration, CalibrationDataError, read_reported
from growthsim.calibration.smc import InconsistentFigures
from growthsim.calibration.targets import tracked_targets
from growthsim.calibration.textfile import TextFileError, check_file
from growthsim.i18n import Message, MessageError, Pair, both
from growthsim.i18n import text as catalogue_text
from growthsim.simulation.events import EVENT_PARAMETERS, project_events
from growthsim.simulation.model import Projection, project
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import HORIZON_MAX, ParameterValueError, Scenario, validate_values
from growthsim.simulation.summary import summarise, target_table

from .errors import UserInputError
from .project_list import load_project_list
from .scenario_files import load_scenario
from .settings import DEFAULT_HORIZON, DEFAULT_SEED, DRAWS, ENGINES, check_settings  # noqa: F401 - ENGINES re-exported

CALIBRATION_MAX_BYTES = 5_000_000  # the shipped reported figures are 20 KB
EVENT_DETAIL_LIMIT = 25_000_000  # draws × listed projects: 5 stage dates each, 1 GB


def package_version() -> str:
    """The installed growthsim version, or ``0+source`` when run from a source tree."""
    try:
        return version("growthsim")
    except PackageNotFoundError:  # running from a source tree
        return "0+source"


@dataclass(frozen=True)
class RunSettings:
    """The settings of one run, shared by the CLI and the app.

    ``draws`` model runs per scenario with ``seed``, projected to ``horizon``;
    ``data_through`` the last year of data the calibration uses (None: every year);
    ``data_file`` the reported figures (None: the shipped table); ``engine``
    ``vector`` (annual model) or ``event`` (the SimPy project pipeline), which may
    take a ``projects_file`` (default: the illustrative list).
    """

    draws: int = DRAWS["run"].default
    seed: int = DEFAULT_SEED
    horizon: int = DEFAULT_HORIZON
    data_through: int | None = None
    data_file: str | None = None
    engine: str = "vector"             # "vector" (annual) or "event" (SimPy project pipeline)
    projects_file: str | None = None   # event engine: project list CSV (default: the illustrative list)

    def check(self) -> None:
        """The bounds of :class:`growthsim.settings.Settings` (the same in the CLI, the app and the sweep)."""
        check_settings(draws=self.draws, seed=self.seed, horizon=self.horizon, data_through=self.data_through,
                       engine=self.engine)
        if self.projects_file is not None and self.engine != "event":
            raise UserInputError("run.projects_need_event", file=self.projects_file)


@dataclass
class RunResult:
    """Everything one run produced: the calibration, each scenario's projection and the tables to show and export.

    ``projection_table`` summarises every indicator by scenario and year,
    ``target_table`` each tracked target by scenario; ``facts`` holds the seed,
    draws, horizon, data and versions the run used;
    ``pipelines`` the event engine's output per scenario; ``extra_tables`` further
    (file stem, sheet name, title, frame) tables to export.
    """

    settings: RunSettings
    calibration: Calibration
    scenarios: list[Scenario]
    projections: dict[str, Projection]
    projection_table: pd.DataFrame
    target_table: pd.DataFrame
    facts: dict = field(default_factory=dict)
    pipelines: dict = field(default_factory=dict)      # event engine: scenario id -> PipelineRun
    extra_tables: list = field(default_factory=list)   # (file stem, sheet name, title, DataFrame) to export
    pool: dict = field(default_factory=dict)           # every target shown, by id: shipped and posed (测算目标)
    desk: object = None                                # the first scenario's ladder and candidates (目标测算 sheet)
    splits: list = field(default_factory=list)         # the targets ahead split among the districts (分解表)


def data_error(err: Exception, data_file: str | None) -> UserInputError:
    """A calibration data problem as a UserInputError, rendered in the reader's language.

    ``err`` is a :class:`CalibrationDataError`, a :class:`TextFileError` or the filter's
    :class:`InconsistentFigures` (no particle reproduces a year's figures).
    """
    if isinstance(err, InconsistentFigures):
        return UserInputError("run.inconsistent_figures", file=data_file or "reported_figures.csv", year=err.year)
    if isinstance(err, MessageError):
        return UserInputError(err.message)
    return UserInputError("error.data_problem", problem=err)  # the table's reader words it in both languages


def load_calibration(settings: RunSettings) -> Calibration:
    """Read the reported figures and fit the model; errors become UserInputError (``err.text(lang)``)."""
    try:
        if settings.data_file is not None:  # never hand a folder, a device or a huge file to the CSV reader
            check_file(settings.data_file, what=Message("file.what_reported"),
                       max_bytes=CALIBRATION_MAX_BYTES, name=f"--data {settings.data_file}")
        reported = read_reported(settings.data_file)
        first = int(reported.year.min())
        if settings.data_through is not None and settings.data_through < first:
            raise UserInputError("run.data_through_before_data", year=settings.data_through, first=first)
        return calibrate_cached(reported, settings.seed, settings.data_through)  # with the pack's values
    except (CalibrationDataError, TextFileError, InconsistentFigures, packs.CityPackError, CacheSettingError) as err:
        raise data_error(err, settings.data_file) from None


def apply_overrides(scenario: Scenario, overrides: dict[str, object], first_year: int) -> Scenario:
    """Apply ``--set key=value`` overrides on top of a scenario (validated).

    Parameters
    ----------
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    overrides : dict[str, object]
        Parameter id to a value in its registry unit.
    first_year : int
        First projected year (calendar year).
    """
    if not overrides:
        return scenario
    try:
        clean = validate_values(overrides, first_year)
    except ParameterValueError as err:
        raise UserInputError("run.set_problem", key=err.key, value=err.value, problem=err.problem,
                             allowed=err.allowed) from None
    return scenario.with_values(**clean)


def run(scenarios: Sequence[Scenario], settings: RunSettings, calibration: Calibration | None = None,
        on_progress: Callable[[str], None] | None = None, posed: Sequence = (), desk: bool = True) -> RunResult:
    """Project every scenario; nothing is written here.

    ``posed`` are targets the user gave (``--target``, ``--targets``): tabled beside the shipped ones.

    Parameters
    ----------
    scenarios : Sequence[Scenario]
        The scenarios (parameter values in their registry units).
    settings : RunSettings
        The run settings (draws, seed, horizon, data-through year, language).
    calibration : Calibration | None
        The calibration (None: calibrated or read from the cache).
    on_progress : Callable[[str], None] | None
        Called with a line of progress, or None.
    posed : Sequence
        Targets the user gave (``--target``, ``--targets``).
    desk : bool
        Also build the first scenario's 目标测算 and 分解表 (the workbook's sheets); the app's pages that show
        only the projection and target tables leave them out (two thirds of a 1,000-draw run's time).
    """
    settings.check()
    cal = calibration or load_calibration(settings)
    if settings.horizon <= cal.base_year:
        raise UserInputError("run.horizon_not_after_base", horizon=settings.horizon, base=cal.base_year,
                             first=cal.base_year + 1, last=HORIZON_MAX)
    ids = [s.id for s in scenarios]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise UserInputError("run.scenario_twice", id=dupes[0])
    for s in scenarios:
        early = [f"{k}.{y}" for k, v in s.values.items() if isinstance(v, dict) for y in v if y <= cal.base_year]
        if early:
            raise UserInputError("run.year_not_after_base", id=s.id, key=early[0], base=cal.base_year,
                                 first=cal.base_year + 1, last=HORIZON_MAX)
    projections, tables, targets, pipelines = {}, [], [], {}
    pool = dict(tracked_targets()) | {t.id: t for t in posed}
    projects = load_project_list(settings.projects_file) if settings.engine == "event" else None
    if projects is not None and settings.draws * max(len(projects), 1) > EVENT_DETAIL_LIMIT:
        allowed = max(EVENT_DETAIL_LIMIT // max(len(projects), 1), 1)
        raise UserInputError("run.event_draws", draws=settings.draws, most=allowed, projects=len(projects))
    for s in scenarios:
        rng = np.random.default_rng(settings.seed)
        if settings.engine == "event":
            try:
                proj, pipelines[s.id] = project_events(cal.base, s, cal.posterior, settings.horizon, settings.draws,
                                                       rng, projects)
            except ValueError as err:  # e.g. the list's date outside the projected years
                raise UserInputError("project_list.engine_problem", file=projects.source,
                                     problem=err.message if isinstance(err, MessageError) else str(err)) from None
        else:
            proj = project(cal.base, s, cal.posterior, settings.horizon, settings.draws, rng)
        projections[s.id] = proj
        tables.append(summarise(proj))
        targets.append(target_table(proj, pool))
        if on_progress:
            on_progress(s.id)
    facts = run_facts(settings, cal, ids)
    result = RunResult(settings, cal, list(scenarios), projections, pd.concat(tables, ignore_index=True),
                       pd.concat(targets, ignore_index=True), facts, pipelines, pool=pool)
    if desk:
        result.desk, result.splits = target_desk(cal, scenarios[0], projections[scenarios[0].id], pool, posed,
                                                 settings)
    if settings.engine == "event":
        # deferred: pipeline_report is not loaded by `growthsim --help`, which imports runner
        from .pipeline_report import event_facts, extra_tables

        facts.update(event_facts(result))
        result.extra_tables = extra_tables(result)
    return result


def run_facts(settings: RunSettings, cal: Calibration, ids: Sequence[str]) -> dict:
    """What a run was made from (the workbook's Run sheet): settings, data, scenarios, versions and time.

    Parameters
    ----------
    settings : RunSettings
        The run settings (draws, seed, horizon, data-through year, language).
    cal : Calibration
        The calibration: base state and posterior.
    ids : Sequence[str]
        The scenarios' ids, in the run's order.
    """
    return {
        "seed": settings.seed,
        "draws": settings.draws,
        "horizon": settings.horizon,
        "base_year": cal.base_year,
        "data_through": cal.data_through,
        "data_file": str(Path(settings.data_file).name) if settings.data_file else "reported_figures.csv",
        "scenarios": list(ids),
        "package_version": package_version(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def target_desk(cal: Calibration, scenario: Scenario, proj: Projection, pool: dict, posed: Sequence,
                settings: RunSettings) -> tuple:
    """The first scenario's 目标测算 (its ladder, the targets on it, and for each posed target what the shipped
    强化政策 package takes and where its gap lies) and the 分解表 (every splittable target ahead, equal probability).

    Parameters
    ----------
    cal : Calibration
        The calibration: base state and posterior.
    scenario : Scenario
        The scenario: parameter values (each in its registry unit), by parameter id.
    proj : Projection
        The first scenario's projection.
    pool : dict
        The targets by id.
    posed : Sequence
        Targets the user gave (``--target``, ``--targets``).
    settings : RunSettings
        The run settings (draws, seed, horizon, data-through year, language).
    """
    # deferred: target_setting is not loaded by `growthsim --help`, which imports runner
    from .target_setting import build_desk

    # deferred: target_split is not loaded by `growthsim --help`, which imports runner
    from .target_split import split_city_target, splittable

    package = load_scenario("intensified", first_year=cal.base_year + 1) if posed else None
    desk = build_desk(cal, scenario, list(pool.values()), package, draws=settings.draws, seed=settings.seed,
                      horizon=settings.horizon, proj=proj)
    ahead = {t.id for t in desk.pool} & set(desk.targets.target_id)
    splits = []
    if not (city.active().monitoring_dir / "region_weights.toml").is_file():
        return desk, splits   # a pack without district weights (monitoring/ is optional) has nothing to split
    for t in (t for t in desk.pool if t.id in ahead and splittable(t)):
        try:
            splits.append(split_city_target(proj, t, "equal_probability", settings.seed))
        except UserInputError:
            continue   # no split reaches the target in the districts' draws: nothing to table
    return desk, splits


def describe_value(value, default: float) -> str:
    """A parameter's value in a scenario, as text: '405' or '405; 2024起 500'."""
    def fmt(x: float) -> str:
        return f"{x:g}"
    if value is None:
        return fmt(default)
    if isinstance(value, dict):
        return "; ".join([fmt(default)] + [catalogue_text("run.value_from", "zh", year=y, value=fmt(v))
                                           for y, v in sorted(value.items())])
    return fmt(value)


def assumptions_table(result: RunResult) -> pd.DataFrame:
    """Every parameter's value in each scenario (the assumptions sheet)."""
    post, own = result.calibration.posterior, packs.calibration_values(result.calibration)
    rows = []
    for pid, p in parameters().items():
        unused = pid in EVENT_PARAMETERS and result.settings.engine != "event"
        label_zh, label_en = (both("run.event_only", label=Pair(p.label_zh, p.label_en)) if unused
                              else (p.label_zh, p.label_en))
        row = {"parameter": pid, "label_zh": label_zh, "label_en": label_en, "kind": p.kind,
               "unit": p.unit, "lower": p.lower, "upper": p.upper}
        for s in result.scenarios:
            row[s.id] = describe_value(s.values.get(pid), post.default(pid))
        note = packs.value_note(own[pid])
        row["source"] = own[pid].source + (f" ({note.text('en')})" if note else "")
        rows.append(row)
    return pd.DataFrame(rows)
