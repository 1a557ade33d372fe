"""``--city NAME|PATH`` on every command: the city pack a command reads (calibration/city.py).

:func:`add_city_option` gives every registered command the option once, after the commands are registered
(growthsim/cli/__init__.py), so no command declares it on its own: the command runs inside
``city.using(pack)``, and every reader's default (the record, targets, scenarios, monitoring data, project
list, document titles) is that pack's. A command that takes several cities (``compare``) declares its own
``city`` parameter and is left as it is.
"""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

import typer

from growthsim.calibration import city as packs
from growthsim.i18n import localise, text
from growthsim.simulation.indicators import indicators

from ..errors import UserInputError, print_error
from ..presentation import terminal_console
from ..settings import DEFAULT_LANG, LANGS, check_choice
from .help import h


def city_option(many: bool = False):
    """The ``--city`` option (repeatable when ``many``)."""
    return typer.Option([] if many else None, "--city", help=h("cli_help.option.city", default=packs.DEFAULT_CITY))


def resolve_or_exit(name, lang: str | None, err_console):
    """The pack ``name`` names; a bad name prints its message (in ``lang``, or both) and exits 2.

    Parameters
    ----------
    name : str or Path or None
        A city id or a pack folder; None is the default city.
    lang : str or None
        ``zh``, ``en``, or None for both languages.
    err_console : rich Console
        Where the message is printed.
    """
    try:
        return packs.resolve_city(name)
    except packs.CityPackError as err:
        print_error(err_console, UserInputError(err.message), lang if lang in LANGS else None)
        raise typer.Exit(code=2) from None


def with_city(fn, err_console):
    """``fn`` with a ``--city`` option, run inside ``city.using`` the chosen pack."""
    sig = inspect.signature(fn)
    if "city" in sig.parameters:   # the command takes its cities itself (compare --city A --city B)
        return fn

    @functools.wraps(fn)
    def command(*args, city: str | None = None, **kw):
        pack = resolve_or_exit(city, kw.get("lang"), err_console)
        with packs.using(pack):
            return fn(*args, **kw)

    option = inspect.Parameter("city", inspect.Parameter.KEYWORD_ONLY, default=city_option(),
                               annotation="str | None")
    command.__signature__ = sig.replace(parameters=[*sig.parameters.values(), option])
    command.__annotations__ = {**getattr(fn, "__annotations__", {}), "city": "str | None"}
    return command


def add_city_option(app: typer.Typer, err_console) -> None:
    """Give every command registered on ``app`` the ``--city`` option (once)."""
    for info in app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_has_city", False):
            info.callback = with_city(info.callback, err_console)
            info.callback._has_city = True


# ---------------------------------------------------------------- growthsim city new | check

city_app = typer.Typer(add_completion=False, no_args_is_help=True, help=h("cli_help.city.group"))


@city_app.command("new", short_help=h("cli_help.city.new_short"), help=h("cli_help.city.new_about"))
def city_new_cmd(
    name: str = typer.Argument(..., help=h("cli_help.city.new_name")),
    out: Path | None = typer.Option(None, "--out", help=h("cli_help.city.new_out")),
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang")),
):
    """Write an empty pack: every file with a header saying what it needs, and a README of the layout."""
    # deferred: loaded by this command only, not by `growthsim --help` (city_pack: +13 ms)
    from ..city_pack import write_skeleton

    console = terminal_console(markup=False, emoji=False)
    try:
        lang = check_choice(lang, LANGS, "--lang")
        written = write_skeleton(name, out, lang)
    except UserInputError as err:
        print_error(_err_console(), err, lang if lang in LANGS else None)
        raise typer.Exit(code=2) from None
    folder = out if out is not None else Path(name)
    console.print(text("city_new.wrote", lang, out=str(folder), n=len(written)), markup=False, highlight=False)


@city_app.command("check", short_help=h("cli_help.city.check_short"), help=h("cli_help.city.check_about"))
def city_check_cmd(
    path: str = typer.Argument(..., help=h("cli_help.city.check_path")),
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang")),
):
    """Read every file of the pack as a run would and say what the calibration will do with each base figure."""
    # deferred: loaded by this command only, not by `growthsim --help` (city_pack: +12 ms)
    from ..city_pack import check_pack

    console = terminal_console(markup=False, emoji=False)
    try:
        lang = check_choice(lang, LANGS, "--lang")
        report = check_pack(path)
    except UserInputError as err:
        print_error(_err_console(), err, lang if lang in LANGS else None)
        raise typer.Exit(code=2) from None
    for line in check_lines(report, path, lang):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def check_lines(report, arg: str, lang: str) -> list[str]:
    """The lines ``city check`` prints: the pack, each file read, each base figure, the starting year.

    Parameters
    ----------
    report : PackReport
        What :func:`growthsim.city_pack.check_pack` found.
    arg : str
        The pack as the user named it (printed back).
    lang : str
        ``zh`` or ``en``.
    """
    pack = report.pack
    lines = [text("city_check.title", lang, name=pack.name(lang), id=pack.id, pack=str(pack.root))]
    lines += [f"  {name}: {localise(what, lang)}" for name, what in report.files]
    lines.append(text("city_check.figures_title", lang))
    meta = indicators()
    for f in report.figures:
        lines.append("  " + _figure_line(f, meta, report.base_year, lang))
    if report.base_year is not None:
        code = "city_check.base_year" if report.complete else "city_check.base_year_sparse"
        lines.append(text(code, lang, year=report.base_year))
    else:
        lines.append(text("city_check.no_base_year", lang, problem=report.base_problem))
    lines.append(text("city_check.ok", lang, arg=arg))
    return lines


def _figure_line(f, meta, start: int | None, lang: str) -> str:
    """One base figure: the years that report it, and the prior it takes in the start year if that year does not."""
    label = meta[f.indicator].name(lang) if f.indicator in meta else f.indicator
    if f.prior is None:
        return text("city_check.figure_reported", lang, label=label, id=f.indicator, years=_years_text(f.years))
    rel_en, rel_zh, src_en, src_zh = f.prior
    relation, source = (rel_zh, src_zh) if lang == "zh" else (rel_en, src_en)
    code = "city_check.figure_prior_later" if f.years else "city_check.figure_missing"
    return text(code, lang, label=label, id=f.indicator, years=_years_text(f.years) if f.years else "", year=start,
                relation=relation, source=source)


def _years_text(years) -> str:
    """2017, 2018, 2019, 2021 -> '2017–2019, 2021' (runs of years joined)."""
    runs, start, prev = [], years[0], years[0]
    for y in (*years[1:], None):
        if y is not None and y == prev + 1:
            prev = y
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(runs)


def _err_console():
    return terminal_console(stderr=True, markup=False, emoji=False)
