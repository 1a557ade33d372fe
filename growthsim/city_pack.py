"""``growthsim city new`` and ``growthsim city check``: a pack skeleton, and what a pack holds and lacks.

:func:`write_skeleton` writes an empty pack (every file with a header saying what it needs, a README of the
layout) into a new folder, whole or not at all: the files are written into a temporary folder beside it,
which is then renamed into place, and an existing folder is never touched. :func:`check_pack` reads every
file of a pack with the readers a run uses (so a pack that passes loads) and says, figure by figure, what the
calibration will do with the record: which base figures are reported and in which years, and which no year
reports.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from growthsim.calibration import city as packs
from growthsim.calibration.fit import BASE_REQUIRED, CalibrationDataError, base_year, read_reported, start_priors
from growthsim.calibration.monitoring_data import MonitoringDataError, read_all_monthly, read_plans, read_regions
from growthsim.calibration.record import COLUMNS, current
from growthsim.calibration.targets import read_targets
from growthsim.i18n import Joined, Message, MessageError, Pair, text
from growthsim.scenario_files import load_scenario, shipped_scenarios

from .errors import UserInputError
from .io import write_new_folder
from .settings import DEFAULT_LANG

ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


# ---------------------------------------------------------------- city new


def skeleton_files(city_id: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The files of an empty pack, by relative path: each with a header saying what it needs, the headers and the
    READMEs in ``lang`` (``zh`` or ``en``); the example tables are the same in both."""
    def heading(code: str) -> str:
        return _commented(text(code, lang))

    return {
        "city.toml": heading("city_new.header_city") + "\n" + CITY_TOML.format(id=city_id) + "\n"
        + heading("city_new.header_city_sources") + _commented(CITY_SOURCES_EXAMPLE),
        "reported_figures.csv": ",".join(COLUMNS) + "\n",
        "targets.toml": heading("city_new.header_targets") + "#\n" + _commented(TARGETS_EXAMPLE),
        "scenarios/baseline.toml": heading("city_new.header_baseline") + "\n" + BASELINE_TOML,
        "levers.toml": heading("city_new.header_levers") + "#\n" + _commented(LEVERS_EXAMPLE),
        "sources/README.md": text("city_new.sources_readme", lang).lstrip("\n"),
        "README.md": text("city_new.readme", lang, id=city_id).lstrip("\n"),
    }


def write_skeleton(city_id: str, out: Path | None = None, lang: str = DEFAULT_LANG) -> list[Path]:
    """Write an empty pack for ``city_id`` into ``out`` (default ``./<city_id>``), a folder that must not exist.

    Raises UserInputError (nothing written) for an id that is not lower-case letters, digits and ``_``, or a
    folder (or file) already there.

    Parameters
    ----------
    city_id : str
        The pack's id (lower-case letters, digits and ``_``), e.g. ``xiamen``.
    out : Path or None
        The new folder (None: ``./<city_id>``).
    lang : str
        ``zh`` or ``en``: the language of the pack's READMEs and of the files' headers.
    """
    if not ID_RE.match(city_id):
        raise UserInputError("city_new.bad_id", id=city_id)
    target = Path(out) if out is not None else Path(city_id)
    if os.path.lexists(target):
        raise UserInputError("city_new.exists", out=str(target))
    parent = target.resolve().parent
    if not parent.is_dir():
        raise UserInputError("city_new.no_parent", out=str(target), parent=str(parent))
    try:
        write_new_folder(target, skeleton_files(city_id, lang))
    except OSError as err:
        raise UserInputError("city_new.not_written", out=str(target), reason=str(err)) from None
    return sorted(p for p in target.rglob("*") if p.is_file())


# ---------------------------------------------------------------- city check


@dataclass
class FigureUse:
    """What the calibration does with one base figure: the years that report it (empty: none does) and, when
    the start year does not report it, the prior it takes there (relation and source, in English and Chinese)."""

    indicator: str
    years: tuple[int, ...]
    prior: tuple[str, str, str, str] | None = None


@dataclass
class PackReport:
    """What ``city check`` found: the pack, the files read (with a count), the base figures, the base year."""

    pack: packs.CityPack
    files: list[tuple[str, Message]] = field(default_factory=list)
    figures: list[FigureUse] = field(default_factory=list)
    base_year: int | None = None
    base_problem: Message | None = None
    complete: bool = False  # the start year reports every base figure


def _as_user_error(err: Exception) -> UserInputError:
    if isinstance(err, MessageError):
        return UserInputError(err.message)
    return UserInputError("error.data_problem", problem=err)  # the table's reader words it in both languages


def _figures(reported, start: int | None) -> list[FigureUse]:
    rows = current(reported) if "superseded" in reported else reported
    rows = rows[~rows.status.isin(("partial_year", "lower_bound"))]
    given = start_priors(reported, start) if start is not None else {}
    return [FigureUse(ind, tuple(sorted(int(y) for y in rows[rows.indicator == ind].year.unique())), given.get(ind))
            for ind in BASE_REQUIRED]


def check_pack(path: str | Path) -> PackReport:
    """Read every file of the pack as a run would; UserInputError naming the pack, file and line at the first fault.

    Returns the report of what was read and, figure by figure, what the calibration will do with the record.
    """
    try:
        pack = packs.resolve_city(path)
    except packs.CityPackError as err:
        raise UserInputError(err.message) from None
    report = PackReport(pack)
    try:
        with packs.using(pack):
            reported = read_reported()
            report.files.append(("reported_figures.csv", Message("city_check.rows", n=len(reported))))
            _check_citations(pack, reported)
            try:
                report.base_year = base_year(reported)
            except CalibrationDataError as err:
                report.base_problem = Message("error.data_problem", problem=err)
            report.figures = _figures(reported, report.base_year)
            report.complete = report.base_year is not None and all(f.prior is None for f in report.figures)
            found = read_targets()
            report.files.append(("targets.toml", Message("city_check.targets", n=len(found))))
            first = (report.base_year or max(int(y) for y in reported.year)) + 1
            for sid in shipped_scenarios():
                load_scenario(sid, first_year=first)
            report.files.append(("scenarios/", Message("city_check.scenarios", n=len(shipped_scenarios()),
                                                       ids=", ".join(shipped_scenarios()))))
            report.files.append(("levers.toml", _levers_line(pack)))
            if (pack.monitoring_dir / "regions.toml").is_file():
                regions = read_regions()
                monthly = read_all_monthly(regions)
                plans = read_plans(regions)
                report.files.append(("monitoring/", Message("city_check.monitoring", regions=len(regions),
                                                            files=len(monthly), plans=len(plans))))
            if pack.projects_file is not None:
                # deferred: project_list loads simpy; only this path needs it
                from .project_list import read_project_list

                report.files.append((pack.projects_file.name, Message("city_check.projects",
                                                                      n=len(read_project_list()))))
    except UserInputError:
        raise
    except packs.CityPackError as err:  # names the pack itself
        raise UserInputError(err.message) from None
    except (CalibrationDataError, MonitoringDataError, MessageError) as err:
        raise _in_pack(pack, _as_user_error(err)) from None
    return report


def _levers_line(pack: packs.CityPack) -> Message | Joined:
    """What ``levers.toml`` gives: how many values are the city's own, and which levers that scale with the city
    take their rate times the calibrated start figure (an assumption the views mark 假设)."""
    values = packs.parameter_values(pack)
    own = Message("city_check.levers", n=sum(v.origin == "pack" for v in values.values()))
    scaled = [Message("city_check.levers_scaled_item", id=pid, rate=f"{v.rate:g}", unit=v.rate_unit)
              for pid, v in values.items() if v.origin == "scaled"]
    if not scaled:
        return own
    return Joined([own, Message("city_check.levers_scaled", items=Joined(scaled))])


def _in_pack(pack: packs.CityPack, err: UserInputError) -> UserInputError:
    """An error of a file in the pack, prefixed with the pack's folder."""
    return UserInputError("city_check.in_pack", pack=str(pack.root), problem=Pair(err.text("zh"), err.text("en")))


def _check_citations(pack: packs.CityPack, reported) -> None:
    """Every figure cited by a file names a file in the pack's ``sources/`` whose text holds its quote."""
    for i, r in enumerate(reported.itertuples(), start=2):
        name = str(r.source_file or "").strip()
        if not name or name.startswith("http"):
            continue
        line = int(getattr(r, "line", i) or i)
        path = pack.sources_dir / name
        problem = None
        if not path.is_file() or path.parent != pack.sources_dir:
            problem = Message("city_check.source_missing", file=name)
        elif not _quoted(path.read_text(encoding="utf-8", errors="replace"), str(r.quote)):
            problem = Message("city_check.quote_missing", file=name)
        if problem is not None:
            raise packs.CityPackError("city.bad_file", pack=str(pack.root),
                                      where=Message("file.where_line", file="reported_figures.csv", line=line),
                                      problem=problem, allowed=Message("city_check.allowed_source"))


def _quoted(text: str, quote: str) -> bool:
    """Whether the source text holds the quote (whole, or each of its ``|``-separated parts)."""
    parts = [quote] if quote in text else [p.strip() for p in quote.split("|") if p.strip()]
    return bool(parts) and all(p in text for p in parts)


# ---------------------------------------------------------------- the skeleton's files

CITY_TOML = '''[city]
id = "{id}"
name_zh = ""          # 厦门市
name_en = ""          # Xiamen
short_zh = ""         # 厦门
short_en = ""         # Xiamen
title_zh = ""         # 厦门工业增长目标情景模拟
title_en = ""         # Xiamen industrial growth targets: scenario simulator
peers = []
'''

CITY_SOURCES_EXAMPLE = '''[sources."000_work_report_2025.txt"]
title_zh = "2025年政府工作报告"
title_en = "2025 government work report"
date = "2025-01-20"
year_zh = ""
year_en = ""
'''

TARGETS_EXAMPLE = '''[[target]]
id = "mfg_share_2030"
indicator = "mfg_va_share_gdp"
year = 2030
comparator = "at_least"
value = 30.0
tolerance = 0.0
label_zh = "2030年制造业增加值占GDP比重达到30%"
label_en = "Manufacturing share of GDP 30% by 2030"
url = "https://..."
publisher = "..."
publisher_zh = "..."
published = "2026-01-01"
quote = "……制造业增加值占地区生产总值比重达到30%……"
'''

BASELINE_TOML = '''[scenario]
title_zh = "基准情景"
title_en = "Baseline"
description_zh = "延续当前趋势，不做调整。"
description_en = "Current trends, no departures."
'''

LEVERS_EXAMPLE = '''[levers.upgrade_target]
value = 300
source = "2025年政府工作报告：新增规上工业企业300家以上（https://...）"
'''


def _commented(text_: str) -> str:
    """Lines as TOML comments ('# ...'; an empty line '#')."""
    return "".join(f"# {line}".rstrip() + "\n" for line in text_.strip("\n").splitlines())

