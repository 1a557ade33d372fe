"""Command line for issue #5: ``seek``, ``sensitivity``, ``sweep`` and ``discover``.

Registered on the main ``growthsim`` app by :func:`register`. Heavy libraries
(SALib, scikit-learn, dask) are imported inside the commands, so ``growthsim
--help`` stays fast. Bad input raises :class:`growthsim.errors.UserInputError`,
printed as ``error: ...`` with exit code 2, before anything is written.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from growthsim.calibration.targets import targets as registry_targets
from growthsim.presentation import fmt_count_or_number, unit
from growthsim.simulation.indicators import indicators, shown_in
from growthsim.simulation.registry import levers as registry_levers
from growthsim.simulation.registry import nearest_names, parameters

from ..errors import UserInputError, print_error
from ..explore.common import (
    DEFAULT_PROBABILITY,
    check_out_dir,
    check_probability,
    csv_bytes,
    default_target,
    fmt_value,
    json_bytes,
    parse_range,
    resolve_levers,
    split_names,
    write_folder,
)
from ..explore.seek import frontier_direction, result_facts, result_tables, seek
from ..i18n import Joined, Message, Pair
from ..i18n import text as catalogue_text
from ..presentation import terminal_console, wrote
from ..runner import RunSettings, load_calibration
from ..scenario_files import load_scenario
from ..settings import DEFAULT_HORIZON, DEFAULT_LANG, DEFAULT_SEED, DRAWS, LANGS, check_choice, check_settings
from ..target_words import header, indicator_name, lever_columns, lever_table_rows, package_sentence
from .help import h

# Output is literal text (scenario titles, notes and file names may hold brackets); styles are given as styles.
console = terminal_console(markup=False, emoji=False)
err_console = terminal_console(stderr=True, markup=False, emoji=False)

SeedOpt = typer.Option(DEFAULT_SEED, "--seed", help=h("cli_help.option.seed"))
ThroughOpt = typer.Option(None, "--data-through", help=h("cli_help.seek.data_through"))
DataOpt = typer.Option(None, "--data", help=h("cli_help.seek.data"))
ScenarioOpt = typer.Option("baseline", "--scenario", help=h("cli_help.seek.scenario"))
LangOpt = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang"))


def _fail(err: Exception, lang: str | None = None) -> None:
    """Print the error in the command's language (as the app shows it) and exit 2."""
    print_error(err_console, err, lang if lang in LANGS else None)
    raise typer.Exit(code=2)


def _lang(lang: str) -> str:
    return check_choice(lang, LANGS, "--lang")


def _note(note: object, lang: str) -> None:
    """A note after a result: a catalogue message in the reader's language, other text as written."""
    said = note.text(lang) if hasattr(note, "text") else str(note)
    console.print(Text.assemble((_x("note_label", lang), "yellow"), said))


def _calibration(seed: int, data_through, data):
    settings = RunSettings(seed=seed, data_through=data_through, data_file=str(data) if data else None)
    settings.check()
    return load_calibration(settings)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err_console, transient=True)


def _sort_extra(extra: list[str], target_ids: list[str], lever_ids: list[str]) -> None:
    """Values after ``--target A`` or ``--levers A`` without repeating the option: ``--levers A B``."""
    lev, tgt = registry_levers(), registry_targets()
    for item in split_names(extra):
        if item in lev:
            lever_ids.append(item)
        elif item in tgt or "@" in item:
            target_ids.append(item)
        else:
            near = nearest_names(item, list(lev) + list(tgt))
            hint = Message("explore.hint_near", names=near) if near else Message("explore.see_params_targets")
            raise UserInputError("explore.neither_lever_nor_target", item=item, hint=hint)


# ---------------------------------------------------------------- seek

def seek_cmd(
    target: list[str] = typer.Option([], "--target", help=h("cli_help.seek.target")),
    target_files: list[Path] = typer.Option([], "--targets", help=h("cli_help.seek.targets")),
    package: str | None = typer.Option(None, "--package", help=h("cli_help.seek.package")),
    extra: list[str] | None = typer.Argument(None, hidden=True),
    probability: float = typer.Option(DEFAULT_PROBABILITY, "--probability", help=h("cli_help.seek.probability")),
    levers: list[str] = typer.Option([], "--levers", help=h("cli_help.seek.levers")),
    scenario: str = ScenarioOpt,
    from_year: int | None = typer.Option(None, "--from-year", help=h("cli_help.seek.from_year")),
    joint: bool = typer.Option(False, "--joint", help=h("cli_help.seek.joint")),
    bounds: list[str] = typer.Option([], "--bounds", help=h("cli_help.seek.bounds")),
    points: int = typer.Option(9, "--points", help=h("cli_help.seek.points")),
    draws: int = typer.Option(DRAWS["seek"].default, "--draws", help=h("cli_help.seek.draws")),
    seed: int = SeedOpt,
    horizon: int | None = typer.Option(None, "--horizon", help=h("cli_help.seek.horizon")),
    data_through: int | None = ThroughOpt,
    data: Path | None = DataOpt,
    out: Path | None = typer.Option(None, "--out", help=h("cli_help.seek.out")),
    lang: str = LangOpt,
):
    """What it takes: the least lever effort that meets the target(s) with at least the probability."""
    # deferred: loaded by this command only, not by `growthsim --help` (candidates: +5 ms)
    from ..candidates import resolve_targets

    try:
        lang = _lang(lang)
        if out is not None:
            check_out_dir(out)
        target_ids, lever_ids = [t.strip() for t in target if t.strip()], split_names(levers)
        _sort_extra(list(extra or []), target_ids, lever_ids)
        levs = resolve_levers(lever_ids)
        check_probability(probability)
        rng_bounds = {}
        for item in bounds:
            p, lo, hi = parse_range(item, "--bounds", ("lever",))
            rng_bounds[p.id] = (lo, hi)
        cal = _calibration(seed, data_through, data)
        # none given: seek takes the first projected one
        tgts = resolve_targets(target_ids, [str(f) for f in target_files], cal.base_year + 1)
        scen = load_scenario(scenario, first_year=cal.base_year + 1)
        if package is not None:
            _seek_package(cal, scen, package, tgts, probability, draws, seed, joint, lang)
            return
        t0 = time.perf_counter()
        with _progress() as progress:
            task = progress.add_task(_x("progress_seeking", lang), total=None)
            res = seek(cal, scen, tgts, levs, probability, draws, seed, from_year, joint, rng_bounds, points,
                       scenario, horizon, on_progress=lambda m: progress.update(task, description=m.text(lang)))
        seconds = time.perf_counter() - t0
        if res.failure:  # lever by lever, none enough: show the table, then fail
            _print_seek(res, lang, seconds)
            raise UserInputError(res.failure)
        if out is not None:
            tables = result_tables(res)
            facts = dict(result_facts(res), seconds=round(seconds, 3))
            write_folder(out, {"solutions.csv": csv_bytes(tables["solutions"], "%.10g"),
                               "paths.csv": csv_bytes(tables["paths"]),
                               "seek.json": json_bytes(facts)}, last="seek.json", command="seek")
    except UserInputError as err:
        _fail(err, lang)
    except OSError as err:
        _fail(UserInputError("out.could_not_write_any", out=out, reason=str(err)), lang)
    _print_seek(res, lang, seconds)
    if out is not None:
        console.print(wrote(_s("wrote", lang, out=out), lang), markup=False, highlight=False)


def _seek_package(cal, scen, package: str, tgts, probability, draws, seed, joint, lang) -> None:
    """``seek --package``: the least intensity of a whole policy package, and the lever values it implies."""
    # deferred: loaded by this command only, not by `growthsim --help` (target_setting: +8 ms)
    from ..target_setting import seek_package

    pkg = load_scenario(package, first_year=cal.base_year + 1)
    pool = list(tgts) or [default_target(cal.base_year)]
    ans = seek_package(cal, scen, pkg, pool, probability, draws, seed, joint)
    names = (scen.title(lang), pkg.title(lang))
    for t in pool:
        console.print(t.label(lang), style="bold")
    console.print(package_sentence(ans, names, lang))
    table = Table(title=_s("package_levers", lang))
    columns = lever_columns(ans)
    for col in columns:
        table.add_column(header(col, lang), justify="left" if col in ("lever", "unit") else "right")
    for rec in lever_table_rows(ans, lang):
        table.add_row(rec["lever"], rec["unit"], *(f"{rec[k]:g}" for k in columns[2:]))
    console.print(table)
    if not ans.met:
        raise UserInputError("target.package_unmet", sentence=Pair(
            package_sentence(ans, (scen.title("zh"), pkg.title("zh")), "zh"),
            package_sentence(ans, (scen.title("en"), pkg.title("en")), "en")))


def _s(key: str, lang: str, **fields: object) -> str:
    """The seek command's text ``key`` in ``lang``: the catalogue's ``seek_cli.<key>``."""
    return catalogue_text(f"seek_cli.{key}", lang, **fields)


def _target_line(res, lang: str) -> str:
    return Joined([Pair(t.label_zh, t.label_en) for t in res.targets]).text(lang)


def _lname(p, lang: str) -> str:
    """A lever by its Chinese name in Chinese mode; by its id in English (the id --levers takes)."""
    return p.label_zh if lang == "zh" else p.id


def _tname(t, lang: str) -> str:
    return _s("target_name", lang, year=t.year, name=indicators()[t.indicator].name_zh, id=t.id)


def _print_seek(res, lang: str, seconds: float) -> None:
    reg = parameters()
    several = len(res.targets) > 1
    mode = _s("joint" if res.joint else "each_target", lang) if several else ""
    console.print(_s("targets_line_mode" if mode else "targets_line", lang, targets=_target_line(res, lang),
                     p=res.probability, mode=mode))
    console.print(_s("run_line", lang, scenario=res.scenario.title(lang), draws=res.draws, seed=res.seed,
                     year=res.from_year, n=res.evaluations, seconds=seconds))
    cur = ", ".join(f"{_tname(t, lang)} {res.current.probability(i):.1%}" for i, t in enumerate(res.targets))
    console.print(_s("current", lang, probabilities=cur))
    if res.mode == "single":
        s = res.solutions[0]
        p = reg[s.lever]
        if s.status == "no_effect":
            console.print(_s("no_effect_met", lang, lever=_lname(p, lang)))
            return
        _print_solution(s, res, lang)
        _print_path(res, lang)
        console.print(_s("reproduce", lang, command=res.command), highlight=False, soft_wrap=True)
    elif res.mode == "frontier":
        _print_frontier(res, lang)
    else:
        _print_table(res, lang)


def _direction_text(s, p, lang: str, direction: str | None = None) -> str:
    direction = s.direction if direction is None else direction
    key = {"none": "direction_none", "down": "direction_down"}.get(direction, "direction_up")
    return _s(key, lang, lever=Pair(p.label_zh, s.lever))


def _print_solution(s, res, lang: str) -> None:
    p = parameters()[s.lever]
    sign = "≤" if s.direction == "down" else "≥"
    console.print(Text.assemble((_s("required", lang, lever=_lname(p, lang), sign=sign, value=fmt_value(p, s.value),
                                    unit=unit(p.unit, lang)), "bold"),
                                _s("searched", lang, direction=_direction_text(s, p, lang), lo=fmt_value(p, s.lower),
                                   hi=fmt_value(p, s.upper), step=s.resolution)))
    if s.status == "met_at_bound":
        console.print(_s("met_at_end", lang, end=fmt_value(p, s.value)))
    ach = ", ".join(f"{_tname(t, lang)} {s.point.probability(i):.1%}" for i, t in enumerate(res.targets))
    line = _s("achieved", lang, probabilities=ach)
    if len(res.targets) > 1:
        line += _s("all_together", lang, p=s.point.joint_probability)
    if s.neighbour is not None:
        nv = dict(s.neighbour.values)[s.lever]
        score = s.neighbour.joint_probability if res.joint else min(s.neighbour.met) / s.neighbour.draws
        line += _s("neighbour", lang, value=fmt_value(p, nv), p=score)
    console.print(line)
    for note in s.notes:
        _note(note, lang)


def _print_path(res, lang: str) -> None:
    meta = indicators()
    for ind in dict.fromkeys(t.indicator for t in res.targets):
        sub = res.paths[res.paths.indicator == ind]
        if sub.empty:
            continue
        tg = [t for t in res.targets if t.indicator == ind]
        table = Table(title=_s("path_title", lang, name=meta[ind].name(lang), unit=unit(meta[ind].unit, lang)))
        for col in (_s("col_year", lang), "P10", "P50", "P90", _s("col_target", lang)):
            table.add_column(col, justify="right")
        for r in sub.itertuples():
            mark = "; ".join(t.text(lang) for t in tg if t.year == r.year)
            f = (lambda x, u=meta[ind].unit: fmt_count_or_number(x, u))
            table.add_row(str(r.year), f(r.p10), f(r.p50), f(r.p90), mark)
        console.print(table)


def _print_frontier(res, lang: str) -> None:
    reg = parameters()
    a, b = res.levers
    pa, pb = reg[a], reg[b]
    s0 = next((s for s in res.solutions if s.status in ("met", "met_at_bound")), res.solutions[0])
    table = Table(title=_s("frontier_title", lang, a=Pair(pa.label_zh, a), b=Pair(pb.label_zh, b)))
    table.add_column(f"{_lname(pa, lang)} ({unit(pa.unit, lang)})", justify="right")
    table.add_column(f"{_lname(pb, lang)} ({unit(pb.unit, lang)})", justify="right")
    table.add_column(_s("col_probability", lang), justify="right")
    for t in res.targets:
        table.add_column(_s("col_median", lang, name=_tname(t, lang)), justify="right", overflow="fold")
    for s in res.solutions:
        av = fmt_value(pa, s.context[a])
        if s.status in ("met", "met_at_bound"):
            sign = "≤" if s.direction == "down" else "≥"
            score = s.point.joint_probability if res.joint else min(s.point.met) / s.point.draws
            table.add_row(av, f"{sign} {fmt_value(pb, s.value)}", f"{score:.1%}",
                          *[f"{m:,.2f}" for m in s.point.medians])
        else:
            score = res_score(res, s.best)
            what = _s("no_effect" if s.status == "no_effect" else "cannot", lang)
            table.add_row(av, what, _s("best", lang, p=score), *[f"{m:,.2f}" for m in s.best.medians])
    console.print(table)
    console.print(_direction_text(s0, pb, lang, frontier_direction(res)))
    console.print(_s("reproduce_first", lang, command=res.command), highlight=False, soft_wrap=True)


def res_score(res, point) -> float:
    """A sought point's attainment probability as the search judged it.

    Parameters
    ----------
    res : SeekResult
        The search; ``res.joint`` says whether all targets must be met in the same draw.
    point : Point
        An evaluated setting.

    Returns
    -------
    float
        The joint probability, or the lowest of the targets' probabilities (0-1).
    """
    return point.joint_probability if res.joint else min(point.met) / point.draws


def _print_table(res, lang: str) -> None:
    reg = parameters()
    table = Table(title=_s("table_title", lang))
    for col in ("lever", "unit", "required", "prob", "now", "note"):
        table.add_column(_s(f"col_{col}", lang, year=res.from_year) if col == "now" else _s(f"col_{col}", lang),
                         justify="left" if col in ("lever", "note") else "right")
    for s in res.solutions:
        p = reg[s.lever]
        scen_txt = fmt_value(p, res.scenario_values[s.lever])
        if s.status in ("met", "met_at_bound"):
            sign = "≤" if s.direction == "down" else "≥"
            table.add_row(_lname(p, lang), unit(p.unit, lang), f"{sign} {fmt_value(p, s.value)}",
                          f"{res_score(res, s.point):.1%}",
                          scen_txt, Joined(s.notes).text(lang))
        elif s.status == "no_effect":
            table.add_row(_lname(p, lang), unit(p.unit, lang), "—", f"{res_score(res, s.best):.1%}", scen_txt,
                          _s("no_effect", lang))
        else:
            bv = dict(s.best.values)[s.lever]
            table.add_row(_lname(p, lang), unit(p.unit, lang), "—", f"{res_score(res, s.best):.1%}", scen_txt,
                          _s("unreachable_best", lang, value=fmt_value(p, bv)))
    console.print(table)
    for note in res.notes:
        _note(note, lang)
    console.print(_s("table_footer", lang))


# ---------------------------------------------------------------- sensitivity



def _print_leading_factors(res, lang: str) -> None:
    """The table of each indicator the registry marks for it (``sensitivity``): its leading factor by year."""
    # deferred: loaded by this command only, not by `growthsim --help` (explore.sensitivity: +12 ms)
    from ..explore.sensitivity import summary_rows

    table = Table(title=_x("leading_title", lang))
    table.add_column(_x("col_indicator", lang))
    for y in range(res.base_year + 1, res.settings.horizon + 1):
        table.add_column(str(y))
    for row in summary_rows(res, shown_in("sensitivity"), lang):
        table.add_row(*row)
    console.print(table)


def sensitivity_cmd(
    n: int = typer.Option(1024, "--n", help=h("cli_help.sensitivity.n")),
    draws: int = typer.Option(DRAWS["sensitivity"].default, "--draws", help=h("cli_help.sensitivity.draws")),
    methods: list[str] = typer.Option(["sobol", "morris"], "--method", help=h("cli_help.sensitivity.method")),
    trajectories: int = typer.Option(64, "--trajectories", help=h("cli_help.sensitivity.trajectories")),
    params: list[str] = typer.Option([], "--params", help=h("cli_help.sensitivity.params")),
    target: list[str] = typer.Option([], "--target", help=h("cli_help.sensitivity.target")),
    horizon: int = typer.Option(DEFAULT_HORIZON, "--horizon", help=h("cli_help.sensitivity.horizon")),
    second_order: bool = typer.Option(False, "--second-order", help=h("cli_help.sensitivity.second_order")),
    workers: int = typer.Option(0, "--workers", help=h("cli_help.sensitivity.workers")),
    seed: int = SeedOpt,
    data_through: int | None = ThroughOpt,
    data: Path | None = DataOpt,
    out: Path = typer.Option(Path("out/sensitivity"), "--out", help=h("cli_help.sensitivity.out")),
    png: bool = typer.Option(True, "--png/--no-png", help=h("cli_help.sensitivity.png_charts")),
    lang: str = LangOpt,
):
    """Global sensitivity (Sobol, Morris) of every indicator in every year, and of each target's probability."""
    # deferred: loaded by this command only, not by `growthsim --help` (explore.sensitivity: +12 ms)
    from ..explore.sensitivity import (
        SensitivitySettings,
        chart_targets,
        default_workers,
        output_files,
        run_sensitivity,
        target_table,
    )

    try:
        lang = _lang(lang)
        check_out_dir(out)
        settings = SensitivitySettings(n=n, trajectories=trajectories, draws=draws, seed=seed, horizon=horizon,
                                       parameters=tuple(split_names(params)), methods=tuple(split_names(methods)),
                                       targets=tuple(split_names(target)),
                                       second_order=second_order, workers=workers or default_workers())
        cal = _calibration(seed, data_through, data)
        t0 = time.perf_counter()
        with _progress() as progress:
            task = progress.add_task(_x("progress_sensitivity", lang), total=None)

            def step(label, done, total):  # label: the method and its stage ("sobol", "morris analysis")
                method, _, stage = label.partition(" ")
                what = _x("progress_analysis" if stage == "analysis" else "progress_model", lang)
                progress.update(task, description=_x("progress_sensitivity_step", lang, method=method, what=what),
                                completed=done, total=total)
            res = run_sensitivity(cal, settings, step)
        seconds = time.perf_counter() - t0
        files = output_files(res, lang, png)
        written = write_folder(out, files, command="sensitivity")
    except UserInputError as err:
        _fail(err, lang)
    except OSError as err:
        _fail(UserInputError("out.could_not_write_outputs", out=out, reason=str(err)), lang)
    reg = parameters()
    runs = ", ".join(_x("runs_samples" if k.endswith("samples") else "runs_runs", lang, method=k.split("_")[0], n=v)
                     for k, v in res.runs.items())
    console.print(_x("factors_line", lang, n=len(res.factors), runs=runs, seconds=seconds))
    for t in chart_targets(res):
        tab = target_table(res, t)
        col = next((c for c in ("probability_ST", "indicator_ST", "probability_mu_star", "indicator_mu_star")
                    if c in tab and (tab[c] > 0).any()), None)
        if col is None:
            continue
        top = tab[tab[col] > 0].sort_values(col, ascending=False).head(4)
        what = _x("what_probability" if col.startswith("probability") else "what_indicator", lang, year=t.year)
        metric = "ST" if col.endswith("ST") else "μ*"
        cells = ", ".join(f"{reg[r.parameter].label(lang)} {getattr(r, col):.2f}" for r in top.itertuples())
        console.print(Text.assemble((t.label(lang), "bold"), _x("target_drivers", lang, what=what, metric=metric,
                                                                cells=cells)))
    _print_leading_factors(res, lang)
    console.print(wrote(_x("sensitivity_wrote", lang, n=len(written), out=out), lang), markup=False, highlight=False)


# ---------------------------------------------------------------- sweep

def sweep_cmd(
    vary: list[str] = typer.Option(..., "--vary", help=h("cli_help.sweep.vary")),
    grid: int | None = typer.Option(None, "--grid", help=h("cli_help.sweep.grid")),
    samples: int | None = typer.Option(None, "--samples", help=h("cli_help.sweep.samples")),
    design: str = typer.Option("lhs", "--design", help=h("cli_help.sweep.design")),
    scenario: str = ScenarioOpt,
    draws: int = typer.Option(DRAWS["sweep"].default, "--draws", help=h("cli_help.sweep.draws")),
    seed: int = SeedOpt,
    horizon: int = typer.Option(DEFAULT_HORIZON, "--horizon", help=h("cli_help.sweep.horizon")),
    chunk_size: int | None = typer.Option(None, "--chunk-size", help=h("cli_help.sweep.chunk_size")),
    workers: int = typer.Option(0, "--workers", help=h("cli_help.sensitivity.workers")),
    scheduler: str | None = typer.Option(None, "--scheduler", help=h("cli_help.sweep.scheduler")),
    data_through: int | None = ThroughOpt,
    data: Path | None = DataOpt,
    out: Path = typer.Option(..., "--out", help=h("cli_help.sweep.out")),
    target: list[str] = typer.Option([], "--target", help=h("cli_help.sweep.target")),
    outcome: list[str] = typer.Option([], "--outcome", help=h("cli_help.sweep.outcome")),
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.sweep.lang")),
):
    """Run a grid or sample of scenarios in resumable chunks, locally or on a Dask cluster."""
    # deferred: loaded by this command only, not by `growthsim --help` (explore.sensitivity: +12 ms)
    from ..explore.sensitivity import default_workers

    # deferred: loaded by this command only, not by `growthsim --help` (explore.sweep: +11 ms)
    from ..explore.sweep import SweepSpec, data_fingerprint, parse_vary, run_sweep

    try:
        _lang(lang)
        check_out_dir(out)
        if (grid is None) == (samples is None):
            raise UserInputError("explore.grid_or_samples")
        if grid is not None and design != "lhs":
            raise UserInputError("explore.design_with_grid")
        cal = _calibration(seed, data_through, data)
        scen = load_scenario(scenario, first_year=cal.base_year + 1)
        spec = SweepSpec(scen, parse_vary(vary), "grid" if grid is not None else design,
                         grid if grid is not None else samples, draws, seed, horizon, chunk_size, scenario,
                         data_fingerprint(str(data) if data else None, data_through),
                         tuple(t.strip() for t in target if t.strip()), tuple(o.strip() for o in outcome if o.strip()))
        spec.check(cal.base_year)
        with _progress() as progress:
            task = progress.add_task(_x("progress_sweep", lang, n=spec.n_runs()), total=spec.n_chunks())

            def step(_i, done, total):
                progress.update(task, completed=done, total=total)
            report = run_sweep(cal, spec, out, workers or default_workers(), scheduler, step)
    except UserInputError as err:
        _fail(err, lang)
    except KeyboardInterrupt:
        err_console.print(f"interrupted: finished chunks are kept in {out}; run the same command to resume")
        raise typer.Exit(code=130) from None
    except OSError as err:
        _fail(UserInputError("explore.sweep_not_written", out=out, reason=str(err)), lang)
    _sweep_summary(report, out, lang)


EXECUTORS = ("inline", "processes", "dask")


def _x(key: str, lang: str, **fields: object) -> str:
    """The exploration commands' text ``key`` in ``lang``: the catalogue's ``explore_cli.<key>``."""
    return catalogue_text(f"explore_cli.{key}", lang, **fields)


def _sweep_summary(report, out: Path, lang: str) -> None:
    """What the sweep did and each target's probability across its runs, in ``lang``."""
    how = _x(f"executor_{report.executor}", lang) if report.executor in EXECUTORS else report.executor
    console.print(_x("sweep_done_repaired" if report.repaired else "sweep_done", lang, runs=report.runs,
                     chunks=report.chunks, computed=report.computed, skipped=report.skipped,
                     repaired=len(report.repaired), how=how, seconds=report.seconds))
    res = report.results
    # deferred: loaded by this command only, not by `growthsim --help` (candidates: +10 ms)
    from ..candidates import resolve_targets

    posed = [c[len("prob__"):] for c in res.columns if c.startswith("prob__") and "@" in c]
    pool = dict(registry_targets()) | {t.id: t for t in resolve_targets(posed, (), 2000, 2035)}
    table = Table(title=_x("probability_title", lang))
    for col in ("target", "min", "median", "max", "runs_80"):
        table.add_column(_x(f"col_{col}", lang), justify="left" if col == "target" else "right")
    for c in [c for c in res.columns if c.startswith("prob__")]:
        v = res[c]
        if v.min() == v.max():
            continue
        tid = c[len("prob__"):]
        name = pool[tid].label(lang) if tid in pool else tid
        table.add_row(_x("target_row", lang, name=name, id=tid), f"{v.min():.1%}", f"{v.median():.1%}",
                      f"{v.max():.1%}", f"{(v >= 0.8).mean():.0%}")
    console.print(table)
    _outcomes_summary(res, lang)
    first = next((c[len("prob__"):] for c in res.columns if c.startswith("prob__")), "TARGET")
    console.print(_x("sweep_next", lang, out=out, first=first))


def _outcomes_summary(res, lang: str) -> None:
    """Each plain outcome's median across the runs: lowest, median and highest run."""
    cols = [c for c in res.columns if c.startswith("p50__") and f"p10__{c[len('p50__'):]}" in res.columns]
    if not cols:
        return
    table = Table(title=_x("outcomes_title", lang))
    for col in ("outcome", "min", "median", "max"):
        table.add_column(_x(f"col_{col}", lang), justify="left" if col == "outcome" else "right")
    for c in cols:
        ind, _, year = c[len("p50__"):].partition("@")
        u = indicators()[ind].unit
        v = res[c]
        name = _x("outcome_name", lang, year=year, name=indicator_name(ind, lang))
        table.add_row(name, *(fmt_count_or_number(x, u) for x in (v.min(), v.median(), v.max())))
    console.print(table)


# ---------------------------------------------------------------- discover

def discover_cmd(
    folder: Path = typer.Argument(..., help=h("cli_help.discover.folder")),
    target: str | None = typer.Option(None, "--target", help=h("cli_help.discover.target")),
    probability: float = typer.Option(DEFAULT_PROBABILITY, "--probability", help=h("cli_help.discover.probability")),
    method: str = typer.Option("prim", "--method", help=h("cli_help.discover.method")),
    density: float = typer.Option(0.8, "--density", help=h("cli_help.discover.density")),
    alpha: float = typer.Option(0.05, "--alpha", help=h("cli_help.discover.alpha")),
    min_support: float = typer.Option(0.05, "--min-support", help=h("cli_help.discover.min_support")),
    out: Path | None = typer.Option(None, "--out", help=h("cli_help.discover.out")),
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.discover.lang")),
):
    """State, in Chinese and English, the conditions under which a target is met (from a sweep)."""
    # deferred: loaded by this command only, not by `growthsim --help` (explore.discovery: +5 ms)
    from ..explore.discovery import discover, finding_facts, finding_table

    # deferred: loaded by this command only, not by `growthsim --help` (explore.sweep: +10 ms)
    from ..explore.sweep import load_sweep

    try:
        if lang not in ("zh", "en", "both"):
            raise UserInputError("explore.choice", option="--lang", value=lang, allowed=["zh", "en", "both"])
        if out is not None:
            check_out_dir(out)
        if target is not None and target not in registry_targets() and "@" not in target:
            near = nearest_names(target, list(registry_targets()))
            hint = Message("explore.hint_near", names=near) if near else Message("explore.hint_see",
                                                                                   listing="growthsim targets")
            raise UserInputError("explore.unknown_target", option="--target", name=target, hint=hint)
        definition, results = load_sweep(folder)
        title = _scenario_titles(definition)
        f = discover(definition, results, target, probability, method, density, alpha, min_support,
                     scenario_title=title)
        if out is not None:
            write_folder(out, {"box.csv": csv_bytes(finding_table(f), "%.10g"),
                               "trajectory.csv": csv_bytes(f.trajectory, "%.10g"),
                               "discovery.json": json_bytes(finding_facts(f))}, last="discovery.json",
                         command="discover")
    except UserInputError as err:
        _fail(err, lang)
    except OSError as err:
        _fail(UserInputError("out.could_not_write_any", out=out, reason=str(err)), lang)
    if lang in ("zh", "both"):
        console.print(f.sentence_zh, highlight=False)
    if lang in ("en", "both"):
        console.print(f.sentence_en, highlight=False)
    for shown in [x for x in ("zh", "en") if lang in (x, "both")]:  # --lang both: Chinese, then English
        method = _x(f"method_{f.method}", shown) if f.method in ("prim", "tree") else f.method
        console.print(_x("box_summary", shown, method=method, runs=f.runs, in_box=f.in_box, p=f.probability,
                         density=f.density, cases=f.cases, coverage=f.coverage, mean=f.mean_probability,
                         p10=f.p10_probability, outside=f.outside_probability), highlight=False)
    for note in f.notes:
        _note(note, lang)


def _scenario_titles(definition: dict) -> tuple[str, str]:
    scen = definition.get("scenario", {})
    sid = scen.get("id", "baseline")
    return scen.get("title_zh", sid), scen.get("title_en", sid)


def levers_cmd(
    draws: int = typer.Option(DRAWS["levers"].default, "--draws", help=h("cli_help.levers.draws")),
    seed: int = SeedOpt,
    data_through: int | None = ThroughOpt,
    data: Path | None = DataOpt,
    markdown: bool = typer.Option(False, "--markdown", help=h("cli_help.levers.markdown")),
    lang: str = LangOpt,
):
    """Each lever's effect per unit: on above-scale growth in the first year it acts, on growth, the
    manufacturing share and the firm count in 2030, beside the evidence for its mechanism."""
    # deferred: loaded by this command only, not by `growthsim --help` (explore.levers: +2 ms)
    from ..explore.levers import headers, lever_table, table_rows

    # deferred: loaded by this command only, not by `growthsim --help` (explore.levers: +2 ms)
    from ..explore.levers import markdown as as_markdown

    try:
        _lang(lang)
        check_settings(kind="levers", draws=draws, seed=seed)
        table = lever_table(_calibration(seed, data_through, data), draws=draws, seed=seed)
    except UserInputError as err:
        _fail(err, lang)
    if markdown:
        console.print(as_markdown(table, lang), soft_wrap=True)
        return
    out = Table(title=_x("levers_title", lang))
    for col in headers(lang)[:-1]:  # the evidence follows the table, one lever a paragraph
        out.add_column(col, overflow="fold")
    rows = table_rows(table, lang)
    for row in rows:
        out.add_row(*row[:-1])
    console.print(out)
    for row in rows:
        console.print(f"{row[0]}: {row[-1]}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the exploration commands to the ``growthsim`` app."""
    app.command("seek", short_help=h("cli_help.seek.short"), help=h("cli_help.seek.about"))(seek_cmd)
    app.command("sensitivity", short_help=h("cli_help.sensitivity.short"),
                help=h("cli_help.sensitivity.about"))(sensitivity_cmd)
    app.command("sweep", short_help=h("cli_help.sweep.short"), help=h("cli_help.sweep.about"))(sweep_cmd)
    app.command("levers", short_help=h("cli_help.levers.short"), help=h("cli_help.levers.about"))(levers_cmd)
    app.command("discover", short_help=h("cli_help.discover.short"), help=h("cli_help.discover.about"))(discover_cmd)
