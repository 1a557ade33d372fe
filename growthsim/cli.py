"""The ``growthsim`` command line (typer).

Options that name parameters (``--set``) and the ``params`` listing are built
from the parameter registry, so the CLI never drifts from the model.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from simulation.indicators import indicators
from simulation.registry import GROUP_LABELS, parameters
from simulation.targets import COMPARATOR_LABELS, targets

from .errors import UserInputError, print_error
from .presentation import fmt_count_or_number, unit
from .runner import DEFAULT_DRAWS, DEFAULT_HORIZON, DEFAULT_SEED, RunSettings, apply_overrides, load_calibration, run
from .scenario_files import load_scenario
from .settings import CLI_NAMES, LANGS, check_choice, check_settings
from .settings import parse_sets as _parse_sets

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="growthsim: 青岛工业增长目标情景模拟 — scenario projections of Qingdao's industrial targets.")
# Output is literal text: scenario titles, file names and messages may hold brackets ("[lever]", "[/]").
console = Console(markup=False, emoji=False)
err_console = Console(stderr=True, markup=False, emoji=False)


def _param_help() -> str:
    return "Override a parameter in every scenario: KEY=VALUE (see `growthsim params`). Repeatable."


def parse_sets(items: list[str]) -> dict[str, object]:
    """``KEY=VALUE`` strings -> {key: value}; VALUE may be ``YEAR:V,YEAR:V`` (one parser: growthsim.settings)."""
    return _parse_sets(items)


def _fail(err: Exception) -> None:
    print_error(err_console, err)
    raise typer.Exit(code=2)


def _lang(lang: str) -> str:
    return check_choice(lang, LANGS, "--lang")


def _settings(draws, seed, horizon, data_through, data, engine="vector", projects=None, lang="zh",
              formats=("csv", "xlsx")) -> RunSettings:
    check_settings(CLI_NAMES, draws=draws, seed=seed, horizon=horizon, data_through=data_through, engine=engine,
                   lang=lang, formats=tuple(formats))
    s = RunSettings(draws=draws, seed=seed, horizon=horizon, data_through=data_through,
                    data_file=str(data) if data else None, engine=engine,
                    projects_file=str(projects) if projects else None)
    s.check()
    return s


def _run(files, sets, settings):
    cal = load_calibration(settings)
    overrides = parse_sets(sets)
    scenarios = [apply_overrides(load_scenario(f, first_year=cal.base_year + 1), overrides, cal.base_year + 1)
                 for f in files]
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task(f"projecting {settings.draws} draws", total=len(scenarios))
        return run(scenarios, settings, cal, on_progress=lambda _: progress.advance(task))


FilesArg = typer.Argument(..., help="Scenario files (TOML), or names of shipped scenarios: baseline, intensified, downside.")
DrawsOpt = typer.Option(DEFAULT_DRAWS, "--draws", help="Monte Carlo draws per scenario.")
SeedOpt = typer.Option(DEFAULT_SEED, "--seed", help="Random seed; the same seed gives the same numbers.")
HorizonOpt = typer.Option(DEFAULT_HORIZON, "--horizon", help="Last projected year (up to 2035).")
ThroughOpt = typer.Option(None, "--data-through", help="Use only reported figures up to this year (back-tests).")
DataOpt = typer.Option(None, "--data", help="Reported-figures CSV (default: the shipped calibration/reported_figures.csv).")
SetOpt = typer.Option([], "--set", help=_param_help())
EngineOpt = typer.Option("vector", "--engine", help="vector (the annual model) or event (the SimPy project pipeline).")
ProjectsOpt = typer.Option(None, "--projects", help="Project list CSV for --engine event (default: the shipped "
                           "ILLUSTRATIVE list scenarios/illustrative_projects_示例项目清单.csv, made-up projects).")


@app.command("run")
def run_cmd(
    files: List[str] = FilesArg,
    draws: int = DrawsOpt,
    seed: int = SeedOpt,
    horizon: int = HorizonOpt,
    data_through: Optional[int] = ThroughOpt,
    data: Optional[Path] = DataOpt,
    sets: List[str] = SetOpt,
    out: Path = typer.Option(Path("out"), "--out", help="Output folder."),
    formats: List[str] = typer.Option(["csv", "xlsx"], "--format", help="csv, xlsx or parquet; repeatable."),
    engine: str = EngineOpt,
    projects: Optional[Path] = ProjectsOpt,
    lang: Optional[str] = typer.Option(None, "--lang", help="zh or en: the workbook's language (default zh) and, when "
                                       "given, the CSV files' headers and names (default: ids only)."),
):
    """Project scenarios and write projections.csv, targets.csv, projections.xlsx and manifest.json.

    With --engine event also projects.csv (each listed project) and pipeline.csv (the pipeline by year)."""
    from .exports import write_outputs

    try:
        result = _run(files, sets, _settings(draws, seed, horizon, data_through, data, engine, projects,
                                             lang=lang or "zh", formats=formats))
        written = write_outputs(result, out, tuple(formats), lang)
    except UserInputError as err:
        _fail(err)
    except OSError as err:
        _fail(UserInputError(f"--out {out}: 无法写入输出（{err}）；此文件夹仍是上一次运行的完整结果\n"
                             f"--out {out}: could not write the outputs ({err}); the folder still holds the "
                             f"earlier run, complete and unchanged"))
    _print_targets(result, lang or "zh")
    if result.pipelines:
        _print_pipeline(result, lang or "zh")
    for p in written:
        console.print(f"wrote {p}")


@app.command("compare")
def compare_cmd(
    files: List[str] = FilesArg,
    draws: int = DrawsOpt,
    seed: int = SeedOpt,
    horizon: int = HorizonOpt,
    data_through: Optional[int] = ThroughOpt,
    data: Optional[Path] = DataOpt,
    sets: List[str] = SetOpt,
    lang: str = typer.Option("zh", "--lang", help="zh or en."),
    engine: str = EngineOpt,
    projects: Optional[Path] = ProjectsOpt,
):
    """Compare scenarios side by side: each target's median and attainment probability."""
    try:
        result = _run(files, sets, _settings(draws, seed, horizon, data_through, data, engine, projects,
                                             lang=lang))
    except UserInputError as err:
        _fail(err)
    _print_targets(result, lang)
    _print_indicators(result, lang)
    if result.pipelines:
        _print_pipeline(result, lang)


def _print_pipeline(result, lang: str = "zh") -> None:
    """The event engine's pipeline by year: where the entries come from, the list's share, the service."""
    from .pipeline_report import ILLUSTRATIVE_LABEL, list_label

    zh = lang == "zh"
    f = result.facts
    label = list_label(next(iter(result.pipelines.values())))
    banner = (f"项目清单 {f['projects_file'] or '—'}（{f['projects']} 个项目，截至 {f['projects_as_of']}）— {label}"
              if zh else f"Project list {f['projects_file'] or '—'} ({f['projects']} projects, as of "
              f"{f['projects_as_of']}) — {label}")
    style = "bold yellow" if label == ILLUSTRATIVE_LABEL else "bold"
    console.print(banner, style=style, markup=False, highlight=False)
    cols = (["年份", "纳统(均值)", "清单", "清单外新签约", "杠杆补足", "清单拉动增速(百分点)", "技改竣工", "帮包排队概率"]
            if zh else ["year", "entering (mean)", "listed", "new beyond list", "added by lever",
                        "list's growth pts", "renovation completed", "P(queue)"])
    for s in result.scenarios:
        tab = next(t for stem, _sheet, _title, t in result.extra_tables if stem == "pipeline")
        sub = tab[tab["情景编号"] == s.id]
        table = Table(title=f"{s.title(lang)} — 项目管线 (事件模型)" if zh else f"{s.title(lang)} — project pipeline (event engine)")
        for c in cols:
            table.add_column(c, justify="right")
        for r in sub.to_dict("records"):
            table.add_row(str(r["年份"]), f"{r['纳统项目数(均值)']:.1f}", f"{r['清单项目纳统数(均值)']:.1f}",
                          f"{r['清单外新签约项目纳统数(均值)']:.1f}", f"{r['杠杆补足的清单外既有项目纳统数(均值)']:.1f}",
                          f"{r['清单项目拉动规上工业增速(百分点,均值)']:.2f}", f"{r['重点技改项目竣工数(均值)']:.0f}",
                          f"{r['帮包容量是否受限(排队概率)']:.0%}")
        console.print(table)


def _print_targets(result, lang: str = "zh") -> None:
    tgt, all_t = result.target_table, targets()
    zh = lang == "zh"
    table = Table(title="目标达成 (P50 / 概率)" if zh else "Targets (median / probability)")
    table.add_column("目标" if zh else "target", ratio=2, overflow="fold")
    for s in result.scenarios:
        table.add_column(s.title(lang), justify="right")
    for tid in tgt.target_id.unique():
        t = all_t[tid]
        cells = []
        for s in result.scenarios:
            row = tgt[(tgt.scenario == s.id) & (tgt.target_id == tid)].iloc[0]
            cells.append(f"{fmt_count_or_number(row.p50, indicators()[t.indicator].unit)} / {row.probability:.0%}")
        table.add_row(t.label_zh if zh else t.label_en, *cells)
    console.print(table)


def _print_indicators(result, lang: str) -> None:
    meta, tab = indicators(), result.projection_table
    horizon = result.settings.horizon
    table = Table(title=f"{horizon} P50 [P10–P90]")
    table.add_column("指标" if lang == "zh" else "indicator", ratio=2, overflow="fold")
    table.add_column("单位" if lang == "zh" else "unit")
    for s in result.scenarios:
        table.add_column(s.title(lang), justify="right")
    for ind in ("mfg_va_share_gdp", "above_scale_firms", "above_scale_va_growth", "gdp", "revenue", "profit_margin",
                "high_tech_share"):
        cells = []
        u = meta[ind].unit
        for s in result.scenarios:
            r = tab[(tab.scenario == s.id) & (tab.indicator == ind) & (tab.year == horizon)].iloc[0]
            f = (lambda x: fmt_count_or_number(x, u))
            cells.append(f"{f(r.p50)} [{f(r.p10)}–{f(r.p90)}]")
        table.add_row(meta[ind].name(lang), unit(u, lang), *cells)
    console.print(table)


@app.command("calibrate")
def calibrate_cmd(
    data_through: Optional[int] = ThroughOpt,
    data: Optional[Path] = DataOpt,
    seed: int = SeedOpt,
    lang: str = typer.Option("zh", "--lang", help="zh or en."),
):
    """Fit the model to the reported figures and print each figure, the model's value and the residual.

    One record per block (readable in an 80-column terminal): the figure, its reported and model values,
    the residual against the tolerance, its role, source document and note."""
    from rich.text import Text

    from .presentation import CALIBRATION_LABELS, document_name, english, unit

    try:
        _lang(lang)
        check_settings(CLI_NAMES, seed=seed, data_through=data_through)
        cal = load_calibration(RunSettings(seed=seed, data_through=data_through, data_file=str(data) if data else None))
    except UserInputError as err:
        _fail(err)
    zh = lang == "zh"
    meta = indicators()
    rep = cal.report
    console.print((f"校准报告 — 基年 {cal.base_year}，数据截至 {cal.data_through}" if zh else
                   f"calibration report — base year {cal.base_year}, data through {cal.data_through}"), style="bold")
    roles = {"base": ("基年起点", "base"), "fit": ("拟合", "fit"), "force": ("当年采用", "imposed"),
             "derive": ("推导参数", "derives a parameter"), "check": ("核对", "check"),
             "context": ("背景（未建模）", "context (not modelled)")}
    for r in rep.itertuples():
        name = (meta[r.indicator].name_zh if zh else english(meta[r.indicator].name_en)) if r.indicator in meta \
            else CALIBRATION_LABELS.get(r.indicator, (r.indicator, r.indicator))[0 if zh else 1]
        ident = "" if zh else f" [{r.indicator}]"
        u = unit(r.unit, lang)
        fmt = (lambda x: "—" if x != x else f"{x:,.{_decimals(x)}f}")
        ok = "" if r.within is None else (" ✓" if r.within else " ✗")
        role = roles.get(r.role, (r.role, r.role))[0 if zh else 1]
        console.print(Text.assemble((f"{r.year} {name}", "bold"), f"{ident} ({u}) — {role}"), highlight=False)
        line = (f"  {'实际' if zh else 'reported'} {fmt(r.reported)}  {'模型' if zh else 'model'} {fmt(r.model)}  "
                f"{'残差' if zh else 'residual'} {fmt(r.residual)}")
        if r.role != "context":
            line += f"  {'容差' if zh else 'tolerance'} ±{fmt(r.tolerance)}{ok}"
        console.print(line, highlight=False)
        note = str(r.note or "")
        console.print(f"  {'来源' if zh else 'source'}: {document_name(r.source_file, lang)}"
                      + (f"; {'说明' if zh else 'note'}: {note}" if note and not zh else ""), highlight=False,
                      markup=False)
    console.print("拟合的参数（后验均值 ± 标准差）" if zh else "fitted parameters (posterior mean ± sd)", style="bold")
    reg = parameters()
    for f in rep.attrs["fitted"]:
        p = reg[f["parameter"]]
        label = p.label_zh if zh else f"{english(p.label_en)} [{f['parameter']}]"
        year = "" if f["year"] is None else (f" {f['year']}年" if zh else f" {f['year']}")
        console.print(f"  {label}{year}: {f['estimate']:.3f} ± {f['sd']:.3f} {unit(p.unit, lang)}", markup=False,
                      highlight=False)
    derived = {k: v for k, v in cal.posterior.point.items() if k not in {f["parameter"] for f in rep.attrs["fitted"]}}
    for k, v in derived.items():
        label = reg[k].label_zh if zh and k in reg else k
        console.print(f"{'推导' if zh else 'derived'} {label} = {v:.3f}", highlight=False)


def _decimals(x: float) -> int:
    """Decimals that show a reported figure as written: 3956 -> 0, 24.9 -> 1, 0.335 -> 3."""
    for d in range(0, 4):
        if abs(round(x, d) - x) < 1e-9:
            return d
    return 3


@app.command("params")
def params_cmd(lang: str = typer.Option("zh", "--lang", help="zh or en.")):
    """List every lever and uncertainty: label, unit, default, bounds and source."""
    try:
        _lang(lang)
    except UserInputError as err:
        _fail(err)
    for kind, title in (("lever", "政策杠杆 levers"), ("uncertainty", "不确定因素 uncertainties")):
        table = Table(title=title, show_lines=False)
        for col in ("id", "label", "group", "unit", "default", "bounds", "source"):
            table.add_column(col, overflow="fold")
        for pid, p in parameters().items():
            if p.kind != kind:
                continue
            table.add_row(pid, p.label(lang), GROUP_LABELS[p.group][0 if lang == "zh" else 1], p.unit,
                          f"{p.default:g}", f"{p.lower:g} – {p.upper:g}", p.source)
        console.print(table)


@app.command("targets")
def targets_cmd():
    """List the plan targets: comparator, value, year, tolerance and source."""
    table = Table(title="规划目标 targets")
    for col in ("id", "target", "year", "rule", "tolerance", "source / not modelled because"):
        table.add_column(col, overflow="fold")
    for t in targets().values():
        table.add_row(t.id, t.label_zh, str(t.year), f"{COMPARATOR_LABELS[t.comparator][0]} {t.value:g}",
                      f"{t.tolerance:g}", t.source if t.tracked else f"{t.source} — {t.untracked_reason}")
    console.print(table)


# Further command groups register themselves here.
from .explore.cli import register as _register_explore  # noqa: E402 - seek, sensitivity, sweep, discover

_register_explore(app)


def main() -> None:
    try:
        app()
    except UserInputError as err:  # raised outside a command's own handler
        print_error(err_console, err)
        sys.exit(2)


if __name__ == "__main__":
    main()
