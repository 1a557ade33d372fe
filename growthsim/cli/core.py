"""The core commands of the ``growthsim`` command line: run, compare, calibrate, backtest, params, targets.

Options that name parameters (``--set``) and the ``params`` listing are built
from the parameter registry, so the CLI never drifts from the model.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from growthsim.calibration import city as packs
from growthsim.calibration.fit import CalibrationDataError
from growthsim.calibration.priors import CITATIONS
from growthsim.calibration.record import KNOWN
from growthsim.calibration.targets import read_targets, reported_outcomes, targets
from growthsim.i18n import join, text
from growthsim.simulation.indicators import indicators, shown_in
from growthsim.simulation.registry import GROUP_LABELS, parameters

from ..errors import UserInputError, print_error
from ..i18n import Joined, Pair
from ..i18n import text as catalogue_text
from ..io import check_out_dir
from ..presentation import (
    DOCUMENTS,
    calibration_document,
    document_name,
    fmt_count_or_number,
    is_web_source,
    marked_assumed,
    publisher_text,
    terminal_console,
    unit,
    wrote,
)
from ..runner import RunSettings, apply_overrides, load_calibration, run
from ..scenario_files import load_scenario
from ..scorecard import Reading, assumption_flag, past_reading
from ..settings import (
    CLI_NAMES,
    DEFAULT_HORIZON,
    DEFAULT_LANG,
    DEFAULT_SEED,
    DRAWS,
    LANGS,
    check_choice,
    check_settings,
)
from ..settings import parse_sets as _parse_sets
from ..target_words import between_sentence
from ..wording import note_text
from .city import city_option, resolve_or_exit
from .help import h

app = typer.Typer(add_completion=False, no_args_is_help=True, help=h("cli_help.app"))
# Output is literal text: scenario titles, file names and messages may hold brackets ("[lever]", "[/]").
console = terminal_console(markup=False, emoji=False)
err_console = terminal_console(stderr=True, markup=False, emoji=False)


def parse_sets(items: list[str]) -> dict[str, object]:
    """``KEY=VALUE`` strings -> {key: value}; VALUE may be ``YEAR:V,YEAR:V`` (one parser: growthsim.settings)."""
    return _parse_sets(items)


def _c(key: str, lang: str, **fields: object) -> str:
    """The core commands' text ``key`` in ``lang``: the catalogue's ``core_cli.<key>``."""
    return catalogue_text(f"core_cli.{key}", lang, **fields)


def _target_source(t, lang: str) -> str:
    """A target's citation to print: a seed document by title and date, a web page by publisher, date and URL."""
    if t.url:
        who = Joined([x for x in (publisher_text(t.publisher, t.publisher_zh, lang), t.published) if x],
                     "separator.comma")
        return _c("source_web", lang, who=who, quote=t.quote, url=t.url)
    if t.source_file in DOCUMENTS:
        return _c("source_document", lang, document=document_name(t.source_file, lang), quote=t.quote)
    return t.source


def _figure_source(row, lang: str) -> str:
    """A reported figure's source to print: as the app shows it (:func:`presentation.calibration_document`),
    with the page's URL for a figure cited by URL."""
    shown = calibration_document(row, lang)
    if not is_web_source(row.source_file):
        return shown
    return _c("source_with_url", lang, shown=shown, url=row.source_file)


def _fail(err: Exception, lang: str | None) -> None:
    """Print the error in the command's language and exit 2; without one (``run`` with no --lang) in both."""
    print_error(err_console, err, lang)
    raise typer.Exit(code=2)


def _lang(lang: str) -> str:
    return check_choice(lang, LANGS, "--lang")


def _settings(draws, seed, horizon, data_through, data, engine="vector", projects=None, lang=DEFAULT_LANG,
              formats=("csv", "xlsx")) -> RunSettings:
    check_settings(CLI_NAMES, draws=draws, seed=seed, horizon=horizon, data_through=data_through, engine=engine,
                   lang=lang, formats=tuple(formats))
    s = RunSettings(draws=draws, seed=seed, horizon=horizon, data_through=data_through,
                    data_file=str(data) if data else None, engine=engine,
                    projects_file=str(projects) if projects else None)
    s.check()
    return s


def _run(files, sets, settings, target_items=(), target_files=(), lang: str = DEFAULT_LANG):
    # deferred: loaded by this command only, not by `growthsim --help` (candidates: +5 ms)
    from ..candidates import resolve_targets

    cal = load_calibration(settings)
    posed = resolve_targets(target_items, [str(f) for f in target_files], cal.base_year + 1, settings.horizon)
    overrides = parse_sets(sets)
    scenarios = [apply_overrides(load_scenario(f, first_year=cal.base_year + 1), overrides, cal.base_year + 1)
                 for f in files]
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task(_c("progress_projecting", lang, draws=settings.draws), total=len(scenarios))
        return run(scenarios, settings, cal, on_progress=lambda _: progress.advance(task), posed=posed)


FilesArg = typer.Argument(..., help=h("cli_help.option.files"))
DrawsOpt = typer.Option(DRAWS["run"].default, "--draws", help=h("cli_help.option.draws"))
SeedOpt = typer.Option(DEFAULT_SEED, "--seed", help=h("cli_help.option.seed"))
HorizonOpt = typer.Option(DEFAULT_HORIZON, "--horizon", help=h("cli_help.option.horizon"))
ThroughOpt = typer.Option(None, "--data-through", help=h("cli_help.option.data_through"))
DataOpt = typer.Option(None, "--data", help=h("cli_help.option.data"))
SetOpt = typer.Option([], "--set", help=h("cli_help.option.set"))
TargetOpt = typer.Option([], "--target", help=h("cli_help.option.target"))
TargetsOpt = typer.Option([], "--targets", help=h("cli_help.option.targets"))
EngineOpt = typer.Option("vector", "--engine", help=h("cli_help.option.engine"))
ProjectsOpt = typer.Option(None, "--projects", help=h("cli_help.option.projects"))


@app.command("run", short_help=h("cli_help.run.short"), help=h("cli_help.run.about"))
def run_cmd(
    files: list[str] = FilesArg,
    draws: int = DrawsOpt,
    seed: int = SeedOpt,
    horizon: int = HorizonOpt,
    data_through: int | None = ThroughOpt,
    data: Path | None = DataOpt,
    sets: list[str] = SetOpt,
    target_items: list[str] = TargetOpt,
    target_files: list[Path] = TargetsOpt,
    out: Path = typer.Option(Path("out"), "--out", help=h("cli_help.option.out")),
    formats: list[str] = typer.Option(["csv", "xlsx"], "--format", help=h("cli_help.run.format")),
    engine: str = EngineOpt,
    projects: Path | None = ProjectsOpt,
    lang: str | None = typer.Option(None, "--lang", help=h("cli_help.run.lang")),
):
    """Project scenarios and write projections.csv, targets.csv, projections.xlsx and manifest.json.

    With --engine event also projects.csv (each listed project) and pipeline.csv (the pipeline by year)."""
    # deferred: loaded by this command only, not by `growthsim --help` (exports: +7 ms)
    from ..exports import write_outputs

    try:
        check_out_dir(out)
        result = _run(files, sets, _settings(draws, seed, horizon, data_through, data, engine, projects,
                                             lang=lang or "zh", formats=formats), target_items, target_files,
                      lang or DEFAULT_LANG)
        written = write_outputs(result, out, tuple(formats), lang)
    except UserInputError as err:
        _fail(err, lang)
    except OSError as err:
        _fail(UserInputError("out.run_not_written", out=str(out), reason=str(err)), lang)
    _print_targets(result, lang or "zh")
    if result.pipelines:
        _print_pipeline(result, lang or "zh")
    for p in written:
        console.print(wrote(str(p), lang or "zh"), markup=False, highlight=False)


@app.command("compare", short_help=h("cli_help.compare.short"), help=h("cli_help.compare.about"))
def compare_cmd(
    files: list[str] = typer.Argument(None, help=h("cli_help.compare.files")),
    draws: int = DrawsOpt,
    seed: int = SeedOpt,
    horizon: int = HorizonOpt,
    data_through: int | None = ThroughOpt,
    data: Path | None = DataOpt,
    sets: list[str] = SetOpt,
    target_items: list[str] = TargetOpt,
    target_files: list[Path] = TargetsOpt,
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang")),
    engine: str = EngineOpt,
    projects: Path | None = ProjectsOpt,
    gap: list[str] = typer.Option([], "--gap", help=h("cli_help.compare.gap")),
    city: list[str] = city_option(many=True),
    out: Path | None = typer.Option(None, "--out", help=h("cli_help.compare.out")),
):
    """Compare scenarios side by side: each target's median and attainment probability.

    With two or more --city, 对标: each city's baseline (or the one scenario named) and its own targets side by side."""
    files = list(files or [])
    if len(city) >= 2:
        return _benchmark(city, files, draws, seed, horizon, data_through, data, sets, target_items, target_files,
                          engine, projects, gap, out, lang)
    pack = resolve_or_exit(city[0] if city else None, lang, err_console)
    with packs.using(pack):
        _compare(files, draws, seed, horizon, data_through, data, sets, target_items, target_files, lang, engine,
                 projects, gap, out)


def _compare(files, draws, seed, horizon, data_through, data, sets, target_items, target_files, lang, engine,
             projects, gap, out) -> None:
    """``compare`` in one city: the scenarios side by side."""
    try:
        if not files:
            raise UserInputError("benchmark.no_scenario")
        if out is not None:
            raise UserInputError("benchmark.out_needs_cities")
        result = _run(files, sets, _settings(draws, seed, horizon, data_through, data, engine, projects,
                                             lang=lang), target_items, target_files, lang)
        sentences = _gap_sentences(result, gap, lang) if gap else []
    except UserInputError as err:
        _fail(err, lang)
    _print_targets(result, lang)
    _print_indicators(result, lang)
    if result.pipelines:
        _print_pipeline(result, lang)
    for s in sentences:
        console.print(s, markup=False, highlight=False)


def _benchmark(cities: list[str], files: list[str], draws, seed, horizon, data_through, data, sets, target_items,
               target_files, engine, projects, gap, out, lang) -> None:
    """``compare --city A --city B``: the cities' baselines and own targets side by side (对标)."""
    # deferred: loaded by this command only, not by `growthsim --help` (benchmark: +2 ms)
    from ..benchmark import benchmark_table, run_cities, targets_table, wide_table, write_benchmark

    try:
        for option, given in (("--data", data), ("--set", sets), ("--target", target_items),
                              ("--targets", target_files),
                              ("--gap", gap), ("--projects", projects), ("--data-through", data_through)):
            if given:
                raise UserInputError("benchmark.not_with_cities", option=option)
        if engine != "vector":
            raise UserInputError("benchmark.not_with_cities", option="--engine")
        if len(files) > 1:
            raise UserInputError("benchmark.one_scenario", given=list(files))
        settings = _settings(draws, seed, horizon, None, None, lang=lang)
        if out is not None:
            check_out_dir(out)
        runs = run_cities(cities, settings, scenario=files[0] if files else "baseline")
        table = benchmark_table(runs, settings.horizon)
        first = min(r.base_year for r in runs) + 1
        targets = targets_table(runs, first, lang)
        written = write_benchmark(table, targets, runs, out, lang) if out is not None else []
    except UserInputError as err:
        _fail(err, lang)
    except OSError as err:
        _fail(UserInputError("out.run_not_written", out=str(out), reason=str(err)), lang)
    wide = wide_table(table, runs, lang)
    title = _c("benchmark_title", lang, cities=[r.pack.name(lang) for r in runs], draws=settings.draws,
               seed=settings.seed)
    _print_frame(title, wide)
    # deferred: loaded by this command only, not by `growthsim --help` (benchmark: +2 ms)
    from ..benchmark import localised

    shown = localised(targets, runs, lang)
    _print_frame(_c("benchmark_targets_title", lang),
                 shown[[shown.columns[i] for i in (0, 1, 4, 5)]])
    for p in written:
        console.print(wrote(str(p), lang), markup=False, highlight=False)


def _print_frame(title: str, frame) -> None:
    """A table of text cells, as rich prints it (80 columns: long cells fold)."""
    table = Table(title=title)
    for i, col in enumerate(frame.columns):
        table.add_column(str(col), overflow="fold", ratio=2 if i == 0 else 1)
    for row in frame.itertuples(index=False):
        table.add_row(*("—" if v is None or (isinstance(v, float) and v != v) else str(v) for v in row))
    console.print(table)


def _gap_sentences(result, items: list[str], lang: str) -> list[str]:
    """``compare --gap``: the Shapley attribution of each scenario's difference from the first, in sentences."""
    # deferred: loaded by this command only, not by `growthsim --help` (simulation.posed: +4 ms)
    from growthsim.simulation.posed import PosedTargetError, parse_posed

    # deferred: loaded by this command only, not by `growthsim --help` (candidates: +5 ms)
    from ..candidates import posed_error

    # deferred: loaded by this command only, not by `growthsim --help` (target_setting: +7 ms)
    from ..target_setting import attribute

    cal, s0 = result.calibration, result.scenarios[0]
    out = []
    for item in items:
        try:   # an outcome is read as a compact target's measure: the rule's value is not used
            m = parse_posed(f"{item}>=0", cal.base_year + 1, result.settings.horizon).measure
        except PosedTargetError as err:
            raise posed_error(err, "--gap") from None
        for s in result.scenarios[1:]:
            att = attribute(cal, s0, s, m, result.settings.draws, result.settings.seed)
            out.append(between_sentence(att, m, (s0.title(lang), s.title(lang)), lang))
    return out


def _print_pipeline(result, lang: str = DEFAULT_LANG) -> None:
    """The event engine's pipeline by year: where the entries come from, the list's share, the service."""
    # deferred: loaded by this command only, not by `growthsim --help` (pipeline_report: +4 ms)
    from ..pipeline_report import ILLUSTRATIVE_LABEL, label_value, list_label, summary_frame

    f = result.facts
    label = list_label(next(iter(result.pipelines.values())))
    banner = _c("pipeline_banner", lang, file=f["projects_file"] or "—", n=f["projects"], as_of=f["projects_as_of"],
                label=label_value(label, lang))
    style = "bold yellow" if label == ILLUSTRATIVE_LABEL else "bold"
    console.print(banner, style=style, markup=False, highlight=False)
    cols = [_c(f"pipeline_col_{k}", lang) for k in ("year", "entering", "listed", "new", "lever", "growth",
                                                    "renovation", "queue")]
    for s in result.scenarios:
        sub = summary_frame(result.pipelines[s.id], result.projections[s.id], result.calibration.base, s.id)
        table = Table(title=_c("pipeline_title", lang, scenario=s.title(lang)))
        for c in cols:
            table.add_column(c, justify="right")
        for r in sub.to_dict("records"):
            table.add_row(str(r["year"]), f"{r['entries_mean']:.1f}", f"{r['entries_listed']:.1f}",
                          f"{r['entries_generated_new']:.1f}", f"{r['entries_generated_unlisted']:.1f}",
                          f"{r['listed_growth_mean']:.2f}", f"{r['renovation_completed']:.0f}",
                          f"{r['service_constrained']:.0%}")
        console.print(table)


def _print_targets(result, lang: str = DEFAULT_LANG) -> None:
    tgt, all_t = result.target_table, result.pool or targets()
    table = Table(title=_c("targets_title", lang))
    table.add_column(_c("col_target", lang), ratio=2, overflow="fold")
    for s in result.scenarios:
        table.add_column(s.title(lang), justify="right")
    for tid in tgt.target_id.unique():
        t = all_t[tid]
        cells = []
        for s in result.scenarios:
            row = tgt[(tgt.scenario == s.id) & (tgt.target_id == tid)].iloc[0]
            chance = assumption_flag(lang) if t.decided_by else f"{row.probability:.0%}"  # an assumption decides it
            u = t.unit or indicators()[t.indicator].unit   # a posed target over a period has its own unit
            cells.append(f"{fmt_count_or_number(row.p50, u)} / {chance}")
        table.add_row(t.label(lang), *cells)
    console.print(table)


def _print_indicators(result, lang: str) -> None:
    meta, tab = indicators(), result.projection_table
    horizon = result.settings.horizon
    table = Table(title=f"{horizon} P50 [P10–P90]")
    table.add_column(_c("col_indicator", lang), ratio=2, overflow="fold")
    table.add_column(_c("col_unit", lang))
    for s in result.scenarios:
        table.add_column(s.title(lang), justify="right")
    for ind in shown_in("cli"):
        cells = []
        u = meta[ind].unit
        for s in result.scenarios:
            r = tab[(tab.scenario == s.id) & (tab.indicator == ind) & (tab.year == horizon)].iloc[0]
            f = (lambda x, u=u: fmt_count_or_number(x, u))
            cells.append(marked_assumed(f(r.p50), lang) if meta[ind].assumed else f"{f(r.p50)} [{f(r.p10)}–{f(r.p90)}]")
        table.add_row(meta[ind].name(lang), unit(u, lang), *cells)
    console.print(table)


@app.command("calibrate", short_help=h("cli_help.calibrate.short"), help=h("cli_help.calibrate.about"))
def calibrate_cmd(
    data_through: int | None = ThroughOpt,
    data: Path | None = DataOpt,
    seed: int = SeedOpt,
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang")),
    convergence: bool = typer.Option(False, "--convergence", help=h("cli_help.calibrate.convergence")),
):
    """Fit the model to the reported figures: each figure beside the model's band, then prior vs posterior.

    One record per block (readable in an 80-column terminal): the figure, its reported value, the model's
    median and 90 % band, its role, source document and note; then each parameter's prior and posterior,
    and the filter's effective sample size per year."""
    try:
        _lang(lang)
        check_settings(CLI_NAMES, seed=seed, data_through=data_through)
        cal = load_calibration(RunSettings(seed=seed, data_through=data_through, data_file=str(data) if data else None))
    except UserInputError as err:
        _fail(err, lang)
    rep = cal.report
    rep = rep[(rep.status != "partial_year") | (rep.use == "observed")]  # a partial year the filter weighs is shown
    console.print(_c("report_title", lang, start=cal.start_year, through=cal.data_through, n=len(cal.report),
                     partial=len(cal.report) - len(rep)), style="bold")
    for r in rep.itertuples():
        _print_report_row(cal, r, lang)
    _print_pinned(cal, lang)
    _print_priors(cal, lang)
    if convergence:
        _print_convergence(cal, lang)


ROLES = ("base", "observed", "force", "derive", "context", "superseded", "unused")


def _print_report_row(cal, r, lang: str) -> None:
    """One reported figure: its name, unit and use, the reported value beside the model's, its source and note."""

    meta = indicators()
    known = KNOWN.get(r.indicator)
    name = (Pair(meta[r.indicator].name_zh, meta[r.indicator].name_en) if r.indicator in meta
            else Pair(known.label_zh, known.label_en) if known else r.indicator)
    places = _decimals(r.reported)  # the model's median and band at the reported figure's precision
    fmt = (lambda x, d=places: "—" if x != x else f"{x:,.{d}f}")
    ok = "" if r.within is None else (" ✓" if r.within else " ✗")
    role = _c(f"role_{r.use}", lang) if r.use in ROLES else r.use
    shown = name.text(lang) if isinstance(name, Pair) else name
    console.print(Text.assemble((f"{r.year} {shown}", "bold"),
                                _c("figure_role", lang, id=r.indicator, unit=unit(r.unit, lang), role=role)),
                  highlight=False)
    line = _c("reported", lang, value=fmt(r.reported))
    if r.model == r.model:
        line += _c("model_band", lang, median=fmt(r.model), lo=fmt(r.p05), hi=fmt(r.p95), ok=ok)
    console.print(line, highlight=False, markup=False)
    note = note_text(r.note, lang)  # as the app's table words it
    source = _figure_source(cal.reported.loc[r.Index], lang)
    console.print(_c("figure_source_note" if note else "figure_source", lang, source=source, note=note),
                  highlight=False, markup=False)


def _print_priors(cal, lang: str) -> None:
    """Each drawn parameter's prior and posterior, then the filter's effective sample size by year."""

    console.print(_c("prior_title", lang), style="bold")
    for p in cal.parameters.itertuples():
        label = _c("parameter_label", lang, label=Pair(p.label_zh, p.label_en), id=p.parameter)
        console.print(_c("parameter_line", lang, label=label, unit=unit(p.unit, lang)), markup=False, highlight=False)
        console.print(_c("prior_line", lang, prior=p.prior_mean, prior_lo=p.prior_p05, prior_hi=p.prior_p95,
                         post=p.posterior_mean, post_lo=p.posterior_p05, post_hi=p.posterior_p95, ratio=p.sd_ratio),
                      markup=False, highlight=False)
    console.print(_c("ess_title", lang), style="bold")
    for d in cal.diagnostics.itertuples():
        stages = getattr(d, "stages", float("nan"))
        parts = _c("tempered", lang, stages=stages) if stages == stages and stages > 1 else ""
        if getattr(d, "capped", False) in (True,):  # the rest taken in one part: said, not hidden (NaN: not)
            parts += _c("temper_limit", lang, stages=stages)
        console.print(_c("ess_line", lang, year=d.year, ess=d.ess) + (_c("resampled", lang) if d.resampled else "")
                      + parts, markup=False, highlight=False)


def _print_pinned(cal, lang: str) -> None:
    """The pinned-by table: each base figure of the start state, reported (year, line) or a prior (relation,
    source), the later years that report it and its band at the start and at the last year of data."""
    meta = indicators()
    console.print(text("calibration.pinned_title", lang, year=cal.start_year), style="bold", markup=False)
    for r in cal.pinned.itertuples():
        name = text("calibration.pinned_name", lang, name=Pair(meta[r.figure].name_zh, meta[r.figure].name_en),
                    id=r.figure)
        known_line = r.line == r.line and r.line is not None
        how = (text("calibration.pinned_reported", lang, year=r.year, line=int(r.line)) if known_line else
               text("calibration.pinned_derived", lang, year=r.year)) if r.how == "reported" else \
            text("calibration.pinned_prior", lang, relation=r.relation_zh if lang == "zh" else r.relation_en,
                 source=r.source_zh if lang == "zh" else r.source)
        places = meta[r.figure].decimals
        f = (lambda x, d=places: f"{x:,.{d}f}")
        console.print("  " + text("value.name_aside", lang, name=name, aside=unit(meta[r.figure].unit, lang)),
                      markup=False, highlight=False)
        console.print(f"    {how}", markup=False, highlight=False)
        if r.later:
            console.print("    " + text("calibration.pinned_later", lang, years=join(r.later, lang)), markup=False,
                          highlight=False)
        console.print("    " + text("calibration.pinned_band", lang, p05=f(r.p05), p50=f(r.p50), p95=f(r.p95),
                                     through=cal.data_through, q05=f(r.q05), q50=f(r.q50), q95=f(r.q95)),
                      markup=False, highlight=False)
    cited = [k for k in CITATIONS if cal.pinned.source.str.contains(k).any()]
    for key in cited:
        c = CITATIONS[key]
        console.print("  " + text("calibration.citation", lang, key=key, url=c.url, published=c.published,
                                  publisher=Pair(c.publisher_zh, c.publisher_en), quote=c.quote,
                                  rows=f"; {c.rows}" if c.rows else ""), markup=False, highlight=False)


def _print_convergence(cal, lang: str) -> None:
    """Three independent filter runs: their parameters' agreement, then the headline states' medians."""
    # deferred: loaded by this command only, not by `growthsim --help` (calibration.convergence: +1 ms)
    from growthsim.calibration.convergence import convergence

    conv = convergence(cal.reported, data_through=cal.data_through)
    console.print(_c("convergence_title", lang), style="bold")
    for r in conv.parameters.itertuples():
        console.print(f"  {Pair(r.label_zh, r.label_en).text(lang)}: {r.ratio:.2f}", markup=False, highlight=False)
    console.print(_c("headline_title", lang, year=cal.data_through), style="bold")
    for r in conv.headline.itertuples():
        values = [getattr(r, c) for c in conv.headline.columns if c.startswith("median_seed")]
        digits = 0 if r.unit == "家" else 2
        shown = " / ".join(f"{v:,.{digits}f}" for v in values)
        console.print(_c("headline_met" if r.met else "headline_not_met", lang, label=Pair(r.label_zh, r.label_en),
                         shown=shown, spread=f"{r.spread:,.{max(digits, 2)}f}", goal=r.goal_text),
                      markup=False, highlight=False)


@app.command("backtest", short_help=h("cli_help.backtest.short"), help=h("cli_help.backtest.about"))
def backtest_cmd(
    origins: str | None = typer.Option(None, "--origins", help=h("cli_help.backtest.origins")),
    draws: int = typer.Option(DRAWS["backtest"].default, "--draws",
                              help=h("cli_help.backtest.draws", least=DRAWS["backtest"].least,
                                     most=DRAWS["backtest"].most)),
    seed: int = SeedOpt,
    data: Path | None = DataOpt,
    out: Path = typer.Option(Path("out/backtest"), "--out", help=h("cli_help.backtest.out")),
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang")),
):
    """Calibrate at each origin year, project, and score the bands against what was reported later."""
    # deferred: loaded by this command only, not by `growthsim --help` (backtest_report and scoringrules: +23 ms)
    from ..backtest_report import print_backtest, run_backtest_cli

    try:
        _lang(lang)
        check_out_dir(out)
        bt, files = run_backtest_cli(origins, draws, seed, str(data) if data else None, out, lang)
    except UserInputError as err:
        _fail(err, lang)
    print_backtest(bt, console, lang)
    console.print(wrote(_c("files_to", lang, n=len(files), out=out), lang), highlight=False, markup=False)


def _decimals(x: float) -> int:
    """Decimals that show a reported figure as written: 1234 -> 0, 12.5 -> 1, 0.335 -> 3."""
    for d in range(0, 4):
        if abs(round(x, d) - x) < 1e-9:
            return d
    return 3


@app.command("params", short_help=h("cli_help.params.short"), help=h("cli_help.params.about"))
def params_cmd(lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang"))):
    """List every lever and uncertainty: label, unit, the city pack's value (a lever that scales with the city: its
    rate), bounds and source."""
    try:
        _lang(lang)
    except UserInputError as err:
        _fail(err, lang)
    own = packs.parameter_values()
    for kind in ("lever", "uncertainty"):
        table = Table(title=_c(f"params_{kind}", lang), show_lines=False)
        for col in ("id", "label", "group", "unit", "default", "bounds", "source"):
            table.add_column(_c(f"params_col_{col}", lang), overflow="fold")
        for pid, p in parameters().items():
            if p.kind != kind:
                continue
            pv = own[pid]   # the pack's value (its levers.toml, else the registry's; a scaled lever its rate)
            shown = f"{pv.value:g}" if pv.value is not None else packs.value_note(pv).text(lang)
            table.add_row(pid, p.label(lang), GROUP_LABELS[p.group][0 if lang == "zh" else 1],
                          unit(p.unit, lang),
                          shown, f"{p.lower:g} – {p.upper:g}", pv.source)
        console.print(table)


@app.command("targets", short_help=h("cli_help.targets.short"), help=h("cli_help.targets.about"))
def targets_cmd(
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang")),
    file: Path | None = typer.Option(None, "--file", help=h("cli_help.targets.file")),
    target_items: list[str] = TargetOpt,
    target_files: list[Path] = TargetsOpt,
    seed: int = SeedOpt,
):
    """List the plan targets: rule as written and as read, status (reported, estimated or projected), source."""
    try:
        _lang(lang)
        # deferred: loaded by this command only, not by `growthsim --help` (candidates: +5 ms)
        from ..candidates import resolve_targets

        chosen = dict(read_targets(file) if file else targets())
        cal = load_calibration(RunSettings(seed=seed))
        posed = resolve_targets(target_items, [str(f) for f in target_files], cal.base_year + 1)
        chosen |= {t.id: t for t in posed}
    except CalibrationDataError as err:
        _fail(UserInputError("error.data_problem", problem=err), lang)
    except UserInputError as err:
        _fail(err, lang)
    past = reported_outcomes(cal, chosen) if len(chosen) else None
    rows = {} if past is None or past.empty else {r["target_id"]: r for r in past.to_dict("records")}
    for t in sorted(chosen.values(), key=lambda t: (t.year, t.id)):
        reading = past_reading(t, rows.get(t.id)) if t.id in rows or not t.tracked else Reading(t, "ahead")
        console.print(f"{t.year} {t.label(lang)} [{t.id}]", style="bold", markup=False, highlight=False)
        rule = t.text(lang) if t.reading(lang) == t.text(lang) else _c("rule_read_as", lang, text=t.text(lang),
                                                                        reading=t.reading(lang))
        console.print(_c("rule", lang, rule=rule), markup=False, highlight=False)
        console.print(_c("status", lang, outcome=reading.outcome(lang)), markup=False, highlight=False)
        source = _c("posed_source", lang, source=t.source.partition(": ")[2]) \
            if getattr(t, "posed", False) else _target_source(t, lang)
        console.print(_c("source", lang, source=source), markup=False, highlight=False)
