"""``growthsim monitor``: the year's targets against the months so far (年内监测).

Registered on the main app by :func:`register` (one line in growthsim/cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ..errors import UserInputError, print_error
from ..i18n import Pair
from ..i18n import text as catalogue_text
from ..io import check_out_dir
from ..presentation import terminal_console, wrote
from ..settings import DEFAULT_LANG
from .help import h

console = terminal_console()
err_console = terminal_console(stderr=True)


def monitor_cmd(
    year: int | None = typer.Option(None, "--year", help=h("cli_help.monitor.year")),
    region: str | None = typer.Option(None, "--region", help=h("cli_help.monitor.region")),
    data: Path | None = typer.Option(None, "--data", help=h("cli_help.monitor.data")),
    lang: str = typer.Option(DEFAULT_LANG, "--lang", help=h("cli_help.option.lang")),
    out: Path = typer.Option(Path("out"), "--out", help=h("cli_help.monitor.out")),
    target: list[str] = typer.Option([], "--target", help=h("cli_help.monitor.target")),
    target_files: list[Path] = typer.Option([], "--targets", help=h("cli_help.seek.targets")),
):
    """年内监测: each target of the year — so far, pace needed, probability, status — and its history by month."""
    # deferred: loaded by this command only, not by `growthsim --help` (monitor: +19 ms)
    from ..monitor import monitor

    # deferred: loaded by this command only, not by `growthsim --help` (monitor_export: +28 ms)
    from ..monitor_export import ILLUSTRATIVE_BANNER, summary_table, write_monitor_outputs

    try:
        if lang not in ("zh", "en"):
            raise UserInputError("monitor.unknown_lang", lang=lang)
        check_out_dir(out)
        # deferred: loaded by this command only, not by `growthsim --help` (candidates: +5 ms)
        from ..candidates import resolve_targets

        posed = resolve_targets(target, [str(f) for f in target_files], 2000, 2035) if (target or target_files) else ()
        rep = monitor(year, region, str(data) if data else None, extra=tuple(posed))
        written = write_monitor_outputs(rep, out, lang)
    except UserInputError as err:
        # in the reader's language; in both, Chinese first, when --lang itself is the problem
        print_error(err_console, err, lang if lang in ("zh", "en") else None)
        raise typer.Exit(code=2) from None
    except OSError as err:
        print_error(err_console, UserInputError("out.could_not_write", out=out, reason=str(err)), lang)
        raise typer.Exit(code=2) from None
    if rep.illustrative:
        console.print(Pair(*ILLUSTRATIVE_BANNER).text(lang), style="bold yellow", markup=False)
    title = _o("title_illustrative" if rep.illustrative else "title", lang, year=rep.year,
               region=Pair(rep.region.name_zh, rep.region.name_en))
    tab = summary_table(rep, lang)
    table = Table(title=title)
    for c in tab.columns:
        table.add_column(c, overflow="fold")
    for row in tab.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    console.print(table)
    hist = rep.history_frame()
    if not hist.empty:
        names = {r["target_id"]: Pair(r["target_zh"], r["target_en"]).text(lang) for r in rep.rows}
        h = Table(title=_o("history_title", lang))
        h.add_column(_o("col_target", lang))
        months = sorted(set(hist.month))
        for m in months:
            h.add_column(str(m), justify="right")
        for tid, g in hist.groupby("target_id", sort=False):
            p = dict(zip(g.month, g.probability, strict=True))
            h.add_row(names.get(tid, tid), *(f"{p[m]:.0%}" if m in p else "" for m in months))
        console.print(h)
    console.print(Pair(rep.prior_label_zh, rep.prior_label_en).text(lang), markup=False, highlight=False)
    console.print(_o("error_model", lang, scale=rep.error_fit.scale, years=rep.error_fit.years,
                     pairs=rep.error_fit.pairs,
                     weights=_o("weights_profile" if rep.weights_from_profile else "weights_equal", lang)),
                  markup=False, highlight=False)
    for s in rep.shares:
        console.print(_o("share", lang, target=Pair(s["city_target_zh"], s["city_target_en"]), month=s["month"],
                         so_far=s["region_so_far"], share=s["share"]), markup=False, highlight=False)
    for note in rep.notes:
        console.print(Pair(*note).text(lang), markup=False, highlight=False)
    for p in written:
        console.print(wrote(str(p), lang), markup=False, highlight=False)


def _o(key: str, lang: str, **fields: object) -> str:
    """The monitor command's text ``key`` in ``lang``: the catalogue's ``monitor_cli.<key>``."""
    return catalogue_text(f"monitor_cli.{key}", lang, **fields)


def register(app: typer.Typer) -> None:
    """Register ``growthsim monitor`` on the command-line app."""
    app.command("monitor", short_help=h("cli_help.monitor.short"), help=h("cli_help.monitor.about"))(monitor_cmd)
