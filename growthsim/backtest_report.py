"""``growthsim backtest`` and ``growthsim calibrate``'s prior/posterior table: printing and files.

The back-test itself is :func:`calibration.backtest.run_backtest`; this module
prints its tables and writes ``backtest.csv``, the coverage and error tables
and a fan chart per indicator (PNG and HTML), all into a new folder that
replaces the old one only when every file is written.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from growthsim import vega
from growthsim.calibration import backtest as calibration_backtest
from growthsim.calibration.backtest import (
    BANDS,
    HINDSIGHT,
    NAIVE,
    SCORED,
    Backtest,
    default_origins,
    goals,
)
from growthsim.calibration.fit import CalibrationDataError, read_reported
from growthsim.calibration.smc import InconsistentFigures
from growthsim.i18n import text as catalogue_text
from growthsim.simulation.indicators import indicators

from .errors import UserInputError
from .settings import DEFAULT_LANG, LANGS, check_choice, check_settings, parse_origins

# Indicators of the back-test's pooled rows (calibration/backtest.py), by their catalogue keys.
POOLED = {"all": "all", "growth (pooled)": "growth_pooled"}


def _b(key: str, lang: str, **fields: object) -> str:
    """The back-test's text ``key`` in ``lang``: the catalogue's ``backtest.<key>``."""
    return catalogue_text(f"backtest.{key}", lang, **fields)


def label(ind: str, lang: str) -> str:
    """The display name of a back-tested indicator in ``lang``: the indicator registry's, else this module's label."""
    meta = indicators()
    if ind in meta:
        return meta[ind].name(lang)
    return _b(POOLED[ind], lang) if ind in POOLED else ind


def fan_figure_png(bt: Backtest, indicator: str, lang: str = DEFAULT_LANG) -> bytes:
    """One fan per origin (the 50 % and 90 % bands and the median) with the reported points, as PNG bytes.

    Parameters
    ----------
    bt : Backtest
        The back-test: its origins, projections and the figures reported later.
    indicator : str
        Indicator id.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    # deferred: matplotlib.pyplot (152 modules) is needed only on this path
    import matplotlib.pyplot as plt

    fig = fan_figure_matplotlib(bt, indicator, lang)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _cjk_font(font_manager) -> str | None:
    """A font with Chinese glyphs for the PNG charts, or None.

    matplotlib's font list is cached on first use: a machine that got Debian's fonts-noto-cjk afterwards (as
    ``make browser`` installs it) has it on disk but not in the list, and Chinese titles came out as boxes.
    The system's fonts are searched once more and a Noto CJK file is added to the list.
    """
    def known() -> str | None:
        names = [f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name or "Noto Sans SC" in f.name]
        return next((n for n in names if "Sans" in n), names[0] if names else None)

    if known() is None:
        for path in sorted(font_manager.findSystemFonts()):
            if "NotoSansCJK-Regular" in path or "NotoSansSC-Regular" in path:
                font_manager.fontManager.addfont(path)
                break
    return known()


def fan_figure_matplotlib(bt: Backtest, indicator: str, lang: str = DEFAULT_LANG):
    """The matplotlib figure of :func:`fan_figure_png` (the caller closes it).

    Parameters
    ----------
    bt : Backtest
        The back-test: its origins, projections and the figures reported later.
    indicator : str
        Indicator id.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    # deferred: matplotlib (65 modules) is needed only on this path
    import matplotlib

    matplotlib.use("Agg")
    # deferred: matplotlib.pyplot (152 modules) is needed only on this path
    import matplotlib.pyplot as plt

    # deferred: matplotlib (65 modules) is needed only on this path
    from matplotlib import font_manager

    # deferred: matplotlib.ticker (65 modules) is needed only on this path
    from matplotlib.ticker import MaxNLocator

    cjk = _cjk_font(font_manager)
    if cjk:
        plt.rcParams["font.family"] = cjk
    fans = bt.fans[bt.fans.indicator == indicator]
    pts = bt.rows[bt.rows.indicator == indicator].drop_duplicates("year")
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    colours = plt.cm.viridis([i / max(fans.origin.nunique(), 1) for i in range(fans.origin.nunique())])
    for c, (origin, g) in zip(colours, fans.groupby("origin"), strict=True):
        ax.fill_between(g.year, g.p05, g.p95, color=c, alpha=0.15)
        ax.fill_between(g.year, g.p25, g.p75, color=c, alpha=0.3)
        ax.plot(g.year, g.p50, color=c, label=_b("origin", lang, origin=origin))
    ax.scatter(pts.year, pts.reported, color="black", zorder=5, label=_b("reported", lang))
    meta = indicators()[indicator]
    ax.set_title(_b("chart_title", lang, name=meta.name(lang), unit=meta.unit_label(lang)))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole years, never 2021.5
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


ORIGIN_COLOURS = ("#1f5fa8", "#b35900", "#1b7a34", "#b03a2e", "#6a3d9a", "#0f7c8c")


def fan_figure(bt: Backtest, indicator: str, lang: str = DEFAULT_LANG) -> dict:
    """The fans of every origin against the figures reported later, as a Vega-Lite chart (the app's 回测 page
    and the HTML files): each origin's median and 90 % band, the reported figures as points.

    Parameters
    ----------
    bt : Backtest
        The back-test: its origins, projections and the figures reported later.
    indicator : str
        Indicator id.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    fans = bt.fans[bt.fans.indicator == indicator]
    pts = bt.rows[bt.rows.indicator == indicator].drop_duplicates("year")
    origins = [int(o) for o in sorted(fans.origin.unique())]
    names = [_b("origin", lang, origin=o) for o in origins]
    reported = _b("reported", lang)
    rows = [{"key": _b("origin", lang, origin=int(r.origin)), "year": int(r.year),
             "p05": float(r.p05), "p50": float(r.p50), "p95": float(r.p95)} for r in fans.itertuples()]
    rows += [{"key": reported, "year": int(r.year), "value": float(r.reported)} for r in pts.itertuples()]
    years = [r["year"] for r in rows]
    x = vega.year_axis(min(years), max(years)) if years else vega.year_axis(0, 1)
    colour = {"domain": [*names, reported], "range": [*ORIGIN_COLOURS[: len(names)], vega.REPORTED_COLOUR]}
    key = {"field": "key", "type": "nominal", "scale": colour}
    band = {"transform": [{"filter": "isValid(datum.p50)"}], "mark": {"type": "area", "opacity": 0.14},
            "encoding": {"x": x, "y": {"field": "p05", "type": "quantitative", "scale": {"zero": False},
                                       "title": indicators()[indicator].unit_label(lang)},
                         "y2": {"field": "p95"}, "color": key}}
    line = {"transform": [{"filter": "isValid(datum.p50)"}], "mark": {"type": "line", "point": True},
            "encoding": {"x": x, "y": {"field": "p50", "type": "quantitative"}, "color": key,
                         "tooltip": [{"field": "key", "title": " "}, {"field": "year", "title": _b("year", lang)},
                                     {"field": "p50", "title": _b("median", lang), "format": ",.2f"}]}}
    points = {"transform": [{"filter": "isValid(datum.value)"}],
              "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
              "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"}, "color": key,
                           "shape": {"field": "key", "type": "nominal", "scale": {
                               "domain": [*names, reported], "range": ["stroke"] * len(names) + ["circle"]}},
                           "tooltip": [{"field": "year", "title": _b("year", lang)},
                                       {"field": "value", "title": reported, "format": ",.2f"}]}}
    meta = indicators()[indicator]
    title = _b("chart_title", lang, name=meta.name(lang), unit=meta.unit_label(lang))
    alt = _b("chart_description", lang, title=title, first=origins[0], last=origins[-1], n=len(pts)) if origins \
        else title
    return vega.spec([band, line, points], title=vega.wrap(title, 22 if lang == "zh" else 48), description=alt,
                     height=320,
                     data={"values": rows})


def coverage_display(bt: Backtest, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The back-test's band coverage as a table to show: one row per indicator, coverage in %.

    Parameters
    ----------
    bt : calibration.backtest.Backtest
        The back-test.
    lang : {"zh", "en"}
        Language of the labels.

    Returns
    -------
    pandas.DataFrame
        Figures scored, share of figures inside the 50/80/90 % bands (%), interval score IS90 and CRPS.
    """
    df = bt.coverage.copy()
    df["indicator"] = [label(i, lang) for i in df.indicator]
    for b in BANDS:
        df[f"coverage{b}"] = (100 * df[f"coverage{b}"]).round(0)
    cols = {"indicator": _b("indicator", lang), "figures": _b("figures", lang), "coverage50": "50%",
            "coverage80": "80%",
            "coverage90": "90%", "interval_score90": "IS90", "crps": "CRPS"}
    return df[list(cols)].rename(columns=cols).round(2)


def errors_display(bt: Backtest, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The model median's absolute errors beside the naive forecasts', as a table to show.

    Parameters
    ----------
    bt : calibration.backtest.Backtest
        The back-test.
    lang : {"zh", "en"}
        Language of the labels.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: absolute errors (percentage points for growth) of the model's median,
        last year's value, the five-year mean, the plan target where it was public at the origin, and (as
        hindsight) the plan target whenever it was announced, each with the figures it was scored on.
    """
    df = bt.errors.copy()
    df["indicator"] = [label(i, lang) for i in df.indicator]
    keys = {"indicator": "indicator", "figures": "figures", "model_median": "model_median",
            "naive_last_figures": "figures_naive", "model_on_naive_last_figures": "model_same_figures",
            "naive_last": "naive_last", "naive_mean5": "naive_mean5", "naive_target": "naive_target",
            "model_on_naive_target_figures": "model_target_figures", "naive_target_figures": "figures_target",
            "naive_target_later": "naive_target_later",
            "model_on_naive_target_later_figures": "model_target_later_figures",
            "naive_target_later_figures": "figures_target_later"}
    cols = {column: _b(key, lang) for column, key in keys.items()}
    return df[list(cols)].rename(columns=cols).round(2)


def backtest_files(bt: Backtest, lang: str = DEFAULT_LANG) -> dict[str, bytes]:
    """Every file of a back-test by name: the four tables (CSV), a fan chart per indicator (PNG, HTML), the manifest."""
    files = {name: frame.to_csv(index=False, float_format="%.4f").encode("utf-8")
             for name, frame in (("backtest.csv", bt.rows), ("backtest_coverage.csv", bt.coverage),
                                 ("backtest_errors.csv", bt.errors), ("backtest_fans.csv", bt.fans))}
    for ind in SCORED:
        if (bt.fans.indicator == ind).any():
            files[f"charts/{ind}.png"] = fan_figure_png(bt, ind, lang)
            files[f"charts/{ind}.html"] = vega.html(fan_figure(bt, ind, lang), label(ind, lang), lang).encode("utf-8")
    origins = sorted(int(o) for o in bt.fans.origin.unique()) if len(bt.fans) else []
    facts = {"command": "backtest", "origins": origins, "figures": len(bt.rows), "files": sorted(files)}
    files["manifest.json"] = (json.dumps(facts, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def write_backtest(bt: Backtest, out: Path, lang: str = DEFAULT_LANG) -> list[Path]:
    """Write the back-test's files into ``out``: only its own files change (:func:`growthsim.io.replace_folder`).

    Parameters
    ----------
    bt : Backtest
        The back-test: its origins, projections and the figures reported later.
    out : Path
        The output folder.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    # deferred: growthsim.io loads openpyxl; only this path needs it
    from .io import replace_folder

    return replace_folder(out, backtest_files(bt, lang), manifest="manifest.json", command="backtest")


def run_backtest_cli(origins: str | None, draws: int, seed: int, data_file: str | None, out: Path, lang: str):
    """Check the options, run the back-test and write its files; bad input raises UserInputError.

    The seed has the bounds of every other command (:mod:`growthsim.settings`), the origins are checked
    before they are expanded (:func:`growthsim.settings.parse_origins`) and the output folder before any
    calibration runs.

    Parameters
    ----------
    origins : str | None
        The ``--origins`` text (``2020-2024`` or ``2021,2023``), or None: every usable one.
    draws : int
        Monte Carlo draws [draws].
    seed : int
        Random seed; the same seed gives the same numbers.
    data_file : str | None
        A reported-figures CSV, or None: the shipped one.
    out : Path
        The output folder.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    # deferred: growthsim.io loads openpyxl; only this path needs it
    from .io import check_out_dir

    # deferred: runner loads simpy; only this path needs it
    from .runner import data_error

    check_choice(lang, LANGS, "--lang")
    check_settings(kind="backtest", draws=draws, seed=seed)  # the bounds of the back-test's draws, every seed's
    check_out_dir(out)
    try:
        reported = read_reported(data_file)
        allowed = default_origins(reported)
        if not allowed:
            raise UserInputError("run.backtest_no_year")
        chosen = parse_origins(origins, allowed) if origins else allowed
        bt = calibration_backtest.run_backtest(reported, chosen, draws=draws, seed=seed)
    except (CalibrationDataError, InconsistentFigures) as err:
        raise data_error(err, data_file) from None
    return bt, write_backtest(bt, out, lang)


def _table(df: pd.DataFrame, title: str):
    # deferred: rich.table (32 modules) is needed only on this path
    from rich.table import Table

    t = Table(title=title)
    for c in df.columns:
        t.add_column(str(c), justify="left" if df[c].dtype == object else "right", overflow="fold")
    for row in df.itertuples(index=False):
        t.add_row(*("" if (isinstance(v, float) and v != v) else f"{v:g}" if isinstance(v, float) else str(v)
                    for v in row))
    return t


def print_backtest(bt: Backtest, console, lang: str = DEFAULT_LANG) -> None:
    """Print the back-test's coverage and error tables to ``console`` in ``lang``.

    Parameters
    ----------
    bt : Backtest
        The back-test: its origins, projections and the figures reported later.
    console
        The rich console printed to.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    console.print(_table(coverage_display(bt, lang), _b("coverage", lang)))
    _print_errors(bt, console, lang)
    for line in goal_lines(bt, lang):
        console.print(line, highlight=False, markup=False)


def goal_lines(bt: Backtest, lang: str = DEFAULT_LANG) -> list[str]:
    """The back-test's four goals and whether they are met, one line each in ``lang``."""
    g = goals(bt)
    keys = (("goal_coverage", "coverage90"), ("goal_naive", "beats_naive"), ("goal_mean5", "beats_mean5"),
            ("goal_band", "growth_band"))
    return [_b("goal_met" if g[key] else "goal_not_met", lang, goal=_b(goal, lang)) for goal, key in keys]


def _print_errors(bt: Backtest, console, lang: str) -> None:
    """The error table as one block per indicator: readable in an 80-column terminal."""
    # deferred: rich.text (28 modules) is needed only on this path
    from rich.text import Text

    console.print(Text(_b("errors_points", lang), style="bold"))
    fmt = (lambda x: "—" if x != x else f"{x:.2f}")  # noqa: E731
    for r in bt.errors.itertuples():
        name = label(r.indicator, lang)
        console.print(Text.assemble((name, "bold"), _b("indicator_line", lang, n=r.figures,
                                                       median=fmt(r.model_median))), highlight=False)
        for naive in NAIVE + HINDSIGHT:
            n = getattr(r, f"{naive}_figures")
            if not n:
                continue
            model = fmt(getattr(r, f"model_on_{naive}_figures"))
            console.print(_b("naive_line" if n != 1 else "naive_line_one", lang, naive=_b(naive, lang),
                             value=fmt(getattr(r, naive)), model=model, n=n), highlight=False, markup=False)
