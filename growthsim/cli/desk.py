"""``growthsim ladder``: the attainability ladder (目标梯度) and what each candidate target takes.

Registered on the main app by :func:`register` (one line in growthsim/cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

import growthsim
from growthsim.calibration.targets import tracked_targets
from growthsim.simulation.indicators import indicators
from growthsim.simulation.ladder import RUNGS

from ..errors import UserInputError, print_error
from ..explore.common import check_probability
from ..io import check_out_dir
from ..presentation import fmt_count_or_number, terminal_console, unit, wrote
from ..runner import DEFAULT_SEED, RunSettings, apply_overrides, load_calibration
from ..scenario_files import load_scenario
from ..settings import (
    CLI_NAMES,
    DEFAULT_HORIZON,
    DEFAULT_LANG,
    DEFAULT_PROBABILITY,
    DRAWS,
    LANGS,
    check_choice,
    check_settings,
    parse_sets,
)
from ..target_words import (
    gap_sentence,
    header,
    indicator_name,
    kind_name,
    measure_unit,
    package_sentence,
    rung_name,
    rung_note,
)
from .help import h

console = terminal_console(markup=False, emoji=False)
err_console = terminal_console(stderr=True, markup=False, emoji=False)

TargetOpt = typer.Option([], "--target", help=h("cli_help.ladder.target"))
TargetsOpt = typer.Option([], "--targets", help=h("cli_help.option.targets"))


def _fail(err: Exception, lang: str) -> None:
    print_error(err_console, err, lang)  # in the command's language (both, Chinese first, if --lang is wrong)
    raise typer.Exit(code=2)


def ladder_cmd(
    scenario: str = typer.Argument("baseline", help=h("cli_help.ladder.scenario")),
    targets_given: list[str] = TargetOpt,
    target_files: list[Path] = TargetsOpt,
    package: str = typer.Option("intensified", "--package", help=h("cli_help.ladder.package")),
    probability: float = typer.Option(DEFAULT_PROBABILITY, "--probability", help=h("cli_help.ladder.probability")),
    sets: list[str] = typer.Option([], "--set", help=h("cli_help.ladder.set")),
    draws: int = typer.Option(DRAWS["desk"].default, "--draws", help=h("cli_help.ladder.draws")),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help=h("cli_help.ladder.seed")),
    horizon: int = typer.Option(DEFAULT_HORIZON, "--horizon", help=h("cli_help.option.horizon")),
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang")),
    out: Path = typer.Option(Path("out/ladder"), "--out", help=h("cli_help.option.out")),
    formats: list[str] = typer.Option(["csv", "xlsx"], "--format", help=h("cli_help.ladder.format")),
    split: str | None = typer.Option(None, "--split", help=h("cli_help.ladder.split")),
    split_method: str = typer.Option("equal_probability", "--split-method", help=h("cli_help.ladder.split_method")),
):
    """目标梯度: the value each target-bearing indicator reaches with 90/70/50 % probability (保底/力争/冲刺), every
    year to the horizon; each target on the ladder; what each candidate takes and where its gap comes from."""
    # deferred: loaded by this command only, not by `growthsim --help` (candidates: +5 ms)
    from ..candidates import resolve_targets

    # deferred: loaded by this command only, not by `growthsim --help` (target_report: +15 ms)
    from ..target_report import DESK_FORMATS, write_desk_outputs

    # deferred: loaded by this command only, not by `growthsim --help` (target_setting: +7 ms)
    from ..target_setting import build_desk

    try:
        check_choice(lang, LANGS, "--lang")
        check_settings(CLI_NAMES, draws=draws, seed=seed, horizon=horizon)
        check_probability(probability)
        for f in formats:
            check_choice(f, DESK_FORMATS, "--format")
        check_out_dir(out)   # before any work: a folder that cannot be written is refused first
        cal = load_calibration(RunSettings(seed=seed))
        first = cal.base_year + 1
        scen = apply_overrides(load_scenario(scenario, first_year=first), parse_sets(sets), first)
        pkg = None if package == "none" else load_scenario(package, first_year=first)

        posed = resolve_targets(targets_given, [str(f) for f in target_files], first, horizon)
        pool = list(tracked_targets().values()) + [t for t in posed if t.id not in tracked_targets()]
        desk = build_desk(cal, scen, pool, pkg, probability, draws, seed, horizon)
        tab = _split(desk, split, split_method, first, horizon, seed) if split else None
        docx = _docx(desk, lang, cal, seed, tab) if "docx" in formats else None
        facts = {"scenario": scen.id, "package": pkg.id if pkg else None, "draws": draws, "seed": seed,
                 "horizon": horizon, "probability": probability, "targets": [t.id for t in posed]}
        written = write_desk_outputs(desk, out, tuple(formats), lang, facts, docx, tab)
    except UserInputError as err:
        _fail(err, lang)
    except OSError as err:
        _fail(UserInputError("out.could_not_write", out=out, reason=str(err)), lang)
    _print_ladder(desk, lang)
    _print_targets(desk, lang)
    if tab is not None:
        _print_split(tab, lang)
    for p in written:
        console.print(wrote(str(p), lang))


def _docx(desk, lang: str, cal, seed: int, tab) -> bytes:
    """The Word note, with the track record of ``growthsim backtest`` at the same seed (calibrations cached)."""
    # deferred: loaded by this command only, not by `growthsim --help` (target_note: +17 ms)
    from ..target_note import note_bytes

    return note_bytes(desk, lang, cal, growthsim.backtest(seed=seed), tab)


def _split(desk, text: str, method: str, first: int, horizon: int, seed: int):
    """``--split``: the target split among the districts (:mod:`growthsim.target_split`)."""
    # deferred: loaded by this command only, not by `growthsim --help` (candidates: +5 ms)
    from ..candidates import resolve_one

    # deferred: loaded by this command only, not by `growthsim --help` (target_split: +16 ms)
    from ..target_split import split_city_target

    return split_city_target(desk.projection, resolve_one(text, first, horizon, "--split"), method, seed)


def _print_split(tab, lang: str) -> None:
    # deferred: loaded by this command only, not by `growthsim --help` (target_split: +15 ms)
    from ..target_split import split_frame, split_note

    frame = split_frame(tab, lang)
    table = Table(title=header("split_title", lang, label=tab.target.label(lang)), caption=split_note(tab, lang))
    for i, c in enumerate(frame.columns):
        table.add_column(str(c), justify="left" if i in (0, len(frame.columns) - 1) else "right")  # district, basis
    d = 1 if tab.split.growth else indicators()[tab.target.indicator].decimals
    for rec in frame.itertuples(index=False):
        table.add_row(rec[0], f"{rec[1]:.1f}", f"{rec[2]:,.{d}f}", f"{rec[3]:.0%}", rec[4])
    console.print(table)


def _print_ladder(desk, lang: str) -> None:
    years = sorted(int(y) for y in desk.ladder.year.unique())
    title = header("ladder_title", lang, scenario=desk.scenario.title(lang), draws=desk.draws, seed=desk.seed)
    table = Table(title=title, caption=rung_note(lang))
    table.add_column(header("indicator", lang), overflow="fold", ratio=3)
    table.add_column(header("ladder_rung", lang))
    for y in years:
        table.add_column(str(y), justify="right")
    for ind, sub in desk.ladder.groupby("indicator", sort=False):
        u = indicators()[ind].unit
        for i, r in enumerate(RUNGS):
            vals = [sub.loc[sub.year == y, r.key].iloc[0] for y in years]
            name = header("indicator_unit", lang, name=indicator_name(ind, lang), unit=unit(u, lang))
            table.add_row(name if i == 0 else "", r.name(lang), *(fmt_count_or_number(v, u) for v in vals))
    console.print(table)


def _print_targets(desk, lang: str) -> None:
    # deferred: loaded by this command only, not by `growthsim --help` (target_report: +16 ms)
    from ..target_report import target_label, titles

    # deferred: loaded by this command only, not by `growthsim --help` (target_setting: +9 ms)
    from ..target_setting import measure_of

    by_id = {t.id: t for t in desk.pool}
    table = Table(title=header("targets_title", lang))
    for col in ("target", "kind", "value_short", "p50", "probability", "rung"):
        table.add_column(header(col, lang), overflow="fold", ratio=3 if col == "target" else 1)
    for r in desk.targets.itertuples(index=False):
        t = by_id[r.target_id]
        u = measure_unit(measure_of(t), lang)
        table.add_row(target_label(t, lang), kind_name(bool(r.posed), lang), f"{r.value:g}",
                      f"{fmt_count_or_number(r.p50, indicator_unit(t))}{'' if u == '%' else ' '}{u}".strip(),
                      f"{r.probability:.0%}", rung_name(r.rung, lang))
    console.print(table)
    names = titles(desk, lang)
    for tid in desk.answers:
        t = by_id[tid]
        console.print(target_label(t, lang), style="bold")
        console.print("  " + package_sentence(desk.answers[tid], names, lang))
        console.print("  " + gap_sentence(desk.gaps[tid], t, measure_of(t), names, lang))


def indicator_unit(t) -> str:
    """The unit a target's measure is read in, for formatting its median."""
    # deferred: loaded by this command only, not by `growthsim --help` (target_setting: +6 ms)
    from ..target_setting import measure_of

    return measure_of(t).unit(indicators()[t.indicator].unit)


def register(app: typer.Typer) -> None:
    """Register ``growthsim ladder`` on the command-line app."""
    app.command("ladder", short_help=h("cli_help.ladder.short"), help=h("cli_help.ladder.about"))(ladder_cmd)
