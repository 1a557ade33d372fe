"""``growthsim monitor``: the year's targets against the months so far (年内监测).

Registered on the main app by :func:`register` (one line in growthsim/cli/__init__.py).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ..errors import UserInputError, print_error
from ..io import check_out_dir
from ..presentation import terminal_console, wrote

console = terminal_console()
err_console = terminal_console(stderr=True)


def monitor_cmd(
    year: int | None = typer.Option(None, "--year", help="Monitored year (default: the latest with targets and data)."),
    region: str | None = typer.Option(None, "--region",
                                      help="Region id from the pack's monitoring/regions.toml (default: the city)."),
    data: Path | None = typer.Option(None, "--data",
                                     help="Monthly figures CSV (default: the pack's monitoring/<region>_<year>.csv)."),
    lang: str = typer.Option("zh", "--lang", help="zh or en."),
    out: Path = typer.Option(Path("out"), "--out",
                             help="Output folder for monitor.csv, monitor_history.csv, monitor.xlsx."),
    target: list[str] = typer.Option([], "--target", help="A target to monitor beside the year's own: a shipped id or "
                                     "a compact target, e.g. above_scale_va_growth@2026~6.5 (测算目标). Repeatable."),
    target_files: list[Path] = typer.Option([], "--targets", help="A targets file (the schema of "
                                            "cities/<id>/targets.toml). Repeatable."),
):
    """年内监测: each target of the year — so far, pace needed, probability, status — and its history by month."""
    from ..monitor import monitor
    from ..monitor_export import ILLUSTRATIVE_BANNER, summary_table, write_monitor_outputs

    try:
        if lang not in ("zh", "en"):
            raise UserInputError("monitor.unknown_lang", lang=lang)
        check_out_dir(out)
        from ..candidates import resolve_targets

        posed = resolve_targets(target, [str(f) for f in target_files], 2000, 2035) if (target or target_files) else ()
        rep = monitor(year, region, str(data) if data else None, extra=tuple(posed))
        written = write_monitor_outputs(rep, out)
    except UserInputError as err:
        # in the reader's language; in both, Chinese first, when --lang itself is the problem
        print_error(err_console, err, lang if lang in ("zh", "en") else None)
        raise typer.Exit(code=2) from None
    except OSError as err:
        print_error(err_console, UserInputError("out.could_not_write", out=out, reason=str(err)), lang)
        raise typer.Exit(code=2) from None
    zh = lang == "zh"
    if rep.illustrative:
        console.print(ILLUSTRATIVE_BANNER[0] if zh else ILLUSTRATIVE_BANNER[1], style="bold yellow", markup=False)
    title = (f"{rep.year}年 {rep.region.name_zh} 年内监测" + ("（示例）" if rep.illustrative else "") if zh else
             f"{rep.region.name_en}, {rep.year}: in-year monitoring" + (" (ILLUSTRATIVE 示例)" if rep.illustrative
                                                                        else ""))
    tab = summary_table(rep, lang)
    table = Table(title=title)
    for c in tab.columns:
        table.add_column(c, overflow="fold")
    for row in tab.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    console.print(table)
    hist = rep.history_frame()
    if not hist.empty:
        names = {r["target_id"]: (r["target_zh"] if zh else r["target_en"]) for r in rep.rows}
        h = Table(title="达成概率逐月变化（0 = 仅先验）" if zh else "Probability by month (0 = prior only)")
        h.add_column("目标" if zh else "target")
        months = sorted(set(hist.month))
        for m in months:
            h.add_column(str(m), justify="right")
        for tid, g in hist.groupby("target_id", sort=False):
            p = dict(zip(g.month, g.probability, strict=True))
            h.add_row(names.get(tid, tid), *(f"{p[m]:.0%}" if m in p else "" for m in months))
        console.print(h)
    console.print(rep.prior_label_zh if zh else rep.prior_label_en, markup=False, highlight=False)
    console.print((f"误差模型：s = {rep.error_fit.scale:.2f}（{rep.error_fit.years} 年 {rep.error_fit.pairs} "
                   f"对部分年份/全年数字）；"
                   f"月度权重：{'上年分月产出' if rep.weights_from_profile else '等权'}") if zh else
                  (f"error model: s = {rep.error_fit.scale:.2f} ({rep.error_fit.pairs} partial/full pairs from "
                   f"{rep.error_fit.years} years); monthly weights: "
                   f"{'last year profile' if rep.weights_from_profile else 'equal'}"), markup=False, highlight=False)
    for s in rep.shares:
        console.print((f"区市占全市目标：{s['city_target_zh']} — 截至{s['month']}月 {s['region_so_far']:g}，"
                       f"占 {s['share']:.0%}"
                       if zh else f"Share of the city's target: {s['city_target_en']} — "
                                  f"{s['region_so_far']:g} by month "
                       f"{s['month']}, {s['share']:.0%}"), markup=False, highlight=False)
    for note in rep.notes:
        console.print(note[0] if zh else note[1], markup=False, highlight=False)
    for p in written:
        console.print(wrote(str(p), lang), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Register ``growthsim monitor`` on the command-line app."""
    app.command("monitor",
                short_help="年内监测：各目标至今进度、所需步伐、达成概率与逐月变化 — in-year monitoring.")(monitor_cmd)
